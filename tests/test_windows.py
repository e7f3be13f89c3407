"""Behaviour of make_windows that users rely on."""

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skrnn.preprocessing import make_windows


def _reference(values, window, horizon, targets):
    """Windows and targets built with a plain Python loop."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    X, y = [], []
    for start in range(len(values) - window - horizon + 1):
        X.append(values[start : start + window])
        future = values[start + window : start + window + horizon]
        y.append([[row[t] for t in targets] for row in future])
    return np.array(X), np.array(y)  # y: (n_windows, horizon, n_targets)


def _squeeze(y):
    _, horizon, n_targets = y.shape
    if n_targets == 1 and horizon == 1:
        return y[:, 0, 0]
    if n_targets == 1:
        return y[:, :, 0]
    if horizon == 1:
        return y[:, 0, :]
    return y


@pytest.mark.parametrize("window", [1, 3, 13])
@pytest.mark.parametrize("horizon", [1, 2, 7])
@pytest.mark.parametrize(
    ("target", "positions"),
    [(None, [0, 1, 2]), (1, [1]), (-1, [2]), ([2, 0], [2, 0]), ([1], [1])],
)
def test_equals_a_reference_loop(window, horizon, target, positions):
    table = np.random.default_rng(window * 10 + horizon).normal(size=(40, 3))
    X, y = make_windows(table, window, horizon, target=target)
    X_ref, y_ref = _reference(table, window, horizon, positions)
    assert X.shape == (40 - window - horizon + 1, window, 3)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, _squeeze(y_ref))


@pytest.mark.parametrize("window", [1, 5, 12])
@pytest.mark.parametrize("horizon", [1, 4])
def test_univariate_series_equals_a_reference_loop(window, horizon):
    series = np.random.default_rng(0).normal(size=50)
    X, y = make_windows(series, window, horizon)
    X_ref, y_ref = _reference(series, window, horizon, [0])
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, _squeeze(y_ref))


@pytest.mark.parametrize(
    ("shape", "horizon", "target", "y_shape"),
    [
        ((20,), 1, None, (18,)),
        ((20,), 3, None, (16, 3)),
        ((20, 1), 1, None, (18,)),
        ((20, 3), 1, 0, (18,)),
        ((20, 3), 3, 0, (16, 3)),
        ((20, 3), 1, None, (18, 3)),
        ((20, 3), 3, [0, 2], (16, 3, 2)),
        ((20, 3), 3, None, (16, 3, 3)),
    ],
)
def test_y_shape_squeezes_single_target_and_horizon(shape, horizon, target, y_shape):
    X, y = make_windows(np.ones(shape), 2, horizon, target=target)
    n_features = shape[1] if len(shape) == 2 else 1
    assert X.shape == (y_shape[0], 2, n_features)
    assert y.shape == y_shape


def test_pandas_input_gives_the_same_windows():
    index = pd.date_range("2020-01-01", periods=30, freq="D")
    df = pd.DataFrame(
        {"load": np.arange(30.0), "temp": np.arange(30.0) ** 2}, index=index
    )
    X_df, y_df = make_windows(df, 5, 2, target="temp")
    X_np, y_np = make_windows(df.to_numpy(), 5, 2, target=1)
    np.testing.assert_array_equal(X_df, X_np)
    np.testing.assert_array_equal(y_df, y_np)
    X_s, y_s = make_windows(df["load"], 5)
    assert X_s.shape == (25, 5, 1)
    np.testing.assert_array_equal(
        X_s[:, :, 0], np.arange(25.0)[:, None] + np.arange(5.0)
    )
    np.testing.assert_array_equal(y_s, np.arange(5.0, 30.0))
    _, y_named = make_windows(df["load"], 5, target="load")
    np.testing.assert_array_equal(y_named, y_s)
    _, y_list = make_windows(df, 5, target=["temp", "load"])
    np.testing.assert_array_equal(y_list, df.to_numpy()[5:, ::-1])


def test_outputs_are_float_copies():
    series = np.arange(20)  # integers
    X, y = make_windows(series, 4)
    assert X.dtype == np.float64
    assert y.dtype == np.float64
    floats = np.arange(20.0)
    before = floats.copy()
    X, y = make_windows(floats, 4)
    assert not np.shares_memory(X, floats)
    assert not np.shares_memory(y, floats)
    assert X.flags.writeable
    assert y.flags.writeable
    X[:] = -1
    y[:] = -1
    np.testing.assert_array_equal(floats, before)


def test_windows_overlap_and_targets_follow_them():
    X, y = make_windows(np.arange(10.0), window=3, horizon=2)
    np.testing.assert_array_equal(
        X[:, :, 0], [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7]]
    )
    np.testing.assert_array_equal(y, [[3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9]])


def test_window_plus_horizon_equal_to_length_gives_one_window():
    X, y = make_windows(np.arange(5.0), window=3, horizon=2)
    assert X.shape == (1, 3, 1)
    np.testing.assert_array_equal(y, [[3.0, 4.0]])


@pytest.mark.parametrize(
    ("series", "kwargs", "error", "match"),
    [
        (
            np.arange(144.0),
            {"window": 140, "horizon": 5},
            ValueError,
            r"`window` \+ `horizon` must be at most the series length \(144\)\. "
            r"Got 140 \+ 5 = 145 instead",
        ),
        (
            np.array([1.0, np.nan, 3.0, 4.0]),
            {"window": 2},
            ValueError,
            r"contains NaN \(first at row 1, column 0\).*impute",
        ),
        (
            np.array([[1.0, 2.0], [3.0, np.inf], [5.0, 6.0]]),
            {"window": 1},
            ValueError,
            r"contains infinity \(first at row 1, column 1\)",
        ),
        (np.array(["a", "b", "c"]), {"window": 1}, ValueError, r"numbers only"),
        (
            np.ones((4, 2, 2)),
            {"window": 1},
            ValueError,
            r"1-D \(n_timesteps,\) or a 2-D time table.*Got a 3-D array",
        ),
        (
            np.ones(10),
            {"window": 0},
            InvalidParameterError,
            r"'window' parameter of make_windows must be an int in the range "
            r"\[1, inf\)\. Got 0",
        ),
        (
            np.ones(10),
            {"window": 2, "horizon": 0},
            InvalidParameterError,
            r"'horizon' parameter of make_windows.*Got 0",
        ),
        (np.ones(10), {"window": 2.0}, InvalidParameterError, r"'window' parameter"),
        (
            np.ones((10, 2)),
            {"window": 2, "target": 2},
            ValueError,
            r"`target` column index 2 is out of range for a series with 2 column",
        ),
        (
            np.ones((10, 2)),
            {"window": 2, "target": "sales"},
            ValueError,
            r"column name only when series is a pandas DataFrame",
        ),
        (
            np.ones((10, 2)),
            {"window": 2, "target": []},
            ValueError,
            r"at least one column",
        ),
        (
            np.ones((10, 2)),
            {"window": 2, "target": True},
            ValueError,
            r"column index or name",
        ),
        # Cut by position, newest first: each target was the past of its window.
        (
            pd.Series(np.arange(6.0), index=pd.date_range("2000", periods=6))[::-1],
            {"window": 2},
            ValueError,
            r"make_windows: the time index of series is not sorted.*sort_index",
        ),
        (
            pd.Series(
                np.arange(4.0),
                index=pd.PeriodIndex(["2000"] * 2 + ["2001"] * 2, freq="Y"),
            ),
            {"window": 2},
            ValueError,
            r"repeats a time point \(2000\)",
        ),
    ],
)
def test_bad_input_is_refused_and_left_unchanged(series, kwargs, error, match):
    before = series.copy()
    with pytest.raises(error, match=match):
        make_windows(series, **kwargs)
    assert np.array_equal(series, before, equal_nan=series.dtype.kind == "f")


def test_rows_of_different_lengths_are_named():
    # numpy: "setting an array element with a sequence ... inhomogeneous".
    with pytest.raises(ValueError, match=r"Got rows of different lengths instead"):
        make_windows([[1.0, 2.0], [3.0]], 1)


def test_unknown_column_name_lists_the_columns():
    df = pd.DataFrame({"load": np.ones(5), "temp": np.ones(5)})
    with pytest.raises(
        ValueError,
        match=(
            r"`target` 'price' is not a column of series "
            r"\(columns: \['load', 'temp'\]\)"
        ),
    ):
        make_windows(df, 2, target="price")


def test_non_numeric_dataframe_columns_are_named():
    df = pd.DataFrame({"load": np.ones(5), "day": list("mtwtf")})
    with pytest.raises(ValueError, match=r"non-numeric column\(s\).*'day'"):
        make_windows(df, 2)
