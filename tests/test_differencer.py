"""Behaviour of Differencer that users rely on."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import (
    check_global_output_transform_pandas,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
)

from skrnn.preprocessing import Differencer, SlidingWindow

VALUES = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def differencers(draw):
    seasonal_period = draw(st.none() | st.integers(2, 7))
    order = draw(st.integers(0 if seasonal_period else 1, 3))
    return Differencer(order=order, seasonal_period=seasonal_period)


@st.composite
def tables(draw, min_rows, max_extra=30):
    n_rows = draw(st.integers(min_rows, min_rows + max_extra))
    n_features = draw(st.integers(1, 3))
    return draw(hnp.arrays(np.float64, (n_rows, n_features), elements=VALUES))


def _total_lag(diff):
    return diff.order + (diff.seasonal_period or 0)


def _tolerance(X):
    # Integrating differences adds rounding errors of the size of the values.
    return 1e-9 * max(1.0, np.abs(X).max())


@pytest.mark.parametrize(
    ("params", "reference"),
    [
        ({"order": 1}, lambda df: df.diff()),
        ({"order": 2}, lambda df: df.diff().diff()),
        ({"order": 0, "seasonal_period": 4}, lambda df: df.diff(4)),
        ({"order": 1, "seasonal_period": 4}, lambda df: df.diff(4).diff()),
        ({"order": 2, "seasonal_period": 3}, lambda df: df.diff(3).diff().diff()),
    ],
)
def test_transform_matches_pandas_diff_and_keeps_rows(params, reference):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(25, 3)).cumsum(axis=0)
    Xt = Differencer(**params).fit_transform(X)
    expected = reference(pd.DataFrame(X)).to_numpy()
    assert Xt.shape == X.shape
    np.testing.assert_allclose(Xt, expected, rtol=1e-12, atol=1e-12)
    # The rows without predecessor are padding: NaN in every column.
    n_nan = params["order"] + params.get("seasonal_period", 0)
    assert np.isnan(Xt[:n_nan]).all()
    assert np.isfinite(Xt[n_nan:]).all()


def test_seasonal_difference_removes_a_seasonal_pattern():
    season = np.array([5.0, -2.0, 0.0, 7.0])
    X = (np.tile(season, 6) + 0.5 * np.arange(24)).reshape(-1, 1)
    Xt = Differencer(order=0, seasonal_period=4).fit_transform(X)
    np.testing.assert_allclose(Xt[4:], 2.0)  # trend 0.5 per step over a lag of 4
    Xt = Differencer(order=1, seasonal_period=4).fit_transform(X)
    np.testing.assert_allclose(Xt[5:], 0.0, atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_inverse_transform_rebuilds_the_data(data):
    diff = data.draw(differencers())
    X = data.draw(tables(min_rows=_total_lag(diff) + 1))
    Xt = diff.fit_transform(X)
    np.testing.assert_allclose(
        diff.inverse_transform(Xt), X, rtol=0, atol=_tolerance(X)
    )


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_inverse_transform_forecast_of_true_differences_gives_true_levels(data):
    diff = data.draw(differencers())
    X = data.draw(tables(min_rows=_total_lag(diff) + 1))
    n_future = data.draw(st.integers(1, 20))
    future = data.draw(hnp.arrays(np.float64, (n_future, X.shape[1]), elements=VALUES))
    diff.fit(X)
    # The true differences of the future rows, as transform computes them on
    # the whole series.
    true_diffs = diff.transform(np.vstack([X, future]))[len(X) :]
    levels = diff.inverse_transform_forecast(true_diffs)
    np.testing.assert_allclose(
        levels, future, rtol=0, atol=_tolerance(np.vstack([X, future]))
    )


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_leading_padding_passes_through_and_is_restored(data):
    diff = data.draw(differencers())
    X = data.draw(tables(min_rows=_total_lag(diff) + 1))
    n_padding = data.draw(st.integers(1, 5))
    padded = np.vstack([np.full((n_padding, X.shape[1]), np.nan), X])
    Xt = diff.fit_transform(padded)
    assert np.isnan(Xt[: n_padding + _total_lag(diff)]).all()
    np.testing.assert_allclose(Xt[n_padding:], diff.fit_transform(X))
    diff.fit(padded)
    back = diff.inverse_transform(Xt)
    assert np.isnan(back[:n_padding]).all()
    np.testing.assert_allclose(back[n_padding:], X, rtol=0, atol=_tolerance(X))


def test_chained_differencers_equal_one_combined_differencer():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2)).cumsum(axis=0)
    chained = make_pipeline(
        Differencer(order=0, seasonal_period=6), Differencer(order=1)
    )
    combined = Differencer(order=1, seasonal_period=6)
    Xt = chained.fit_transform(X)
    np.testing.assert_allclose(Xt, combined.fit_transform(X))
    np.testing.assert_allclose(chained.inverse_transform(Xt), X)


def test_padding_rows_become_padded_windows():
    X = np.arange(1.0, 11.0).reshape(-1, 1) ** 2
    windows = make_pipeline(Differencer(), SlidingWindow(window=3)).fit_transform(X)
    assert windows.shape == (10, 3, 1)
    # Row 1 has one difference (4 - 1): the rest of its window is padding.
    np.testing.assert_array_equal(windows[1, :, 0], [np.nan, np.nan, 3.0])
    np.testing.assert_array_equal(windows[3, :, 0], [3.0, 5.0, 7.0])


def test_transform_differences_new_tables_of_any_length():
    X = np.arange(20.0).reshape(10, 2) ** 2
    diff = Differencer().fit(X)
    new = X[:4] + 100
    np.testing.assert_allclose(diff.transform(new)[1:], np.diff(new, axis=0))


def test_inverse_transform_forecast_with_seasonal_and_regular_lags():
    # y_t = t + season: after differencing, the forecast of constant
    # differences continues both the trend and the season.
    season = np.array([0.0, 10.0, 20.0])
    y = np.arange(15.0) + np.tile(season, 5)
    diff = Differencer(order=1, seasonal_period=3).fit(y.reshape(-1, 1))
    levels = diff.inverse_transform_forecast(np.zeros(6))
    future = np.arange(15.0, 21.0) + np.tile(season, 2)
    np.testing.assert_allclose(levels, future)
    assert levels.shape == (6,)


def test_inverse_transform_forecast_is_vectorised_on_long_horizons():
    diff = Differencer(order=2, seasonal_period=12).fit(np.arange(100.0).reshape(-1, 1))
    levels = diff.inverse_transform_forecast(np.zeros((10_000, 1)))
    np.testing.assert_allclose(levels[:, 0], np.arange(100.0, 10_100.0))


def test_pandas_index_and_columns_are_kept():
    index = pd.date_range("2000-01", periods=12, freq="MS")
    df = pd.DataFrame(
        {"sales": np.arange(12.0) ** 2, "stock": np.arange(12.0)}, index=index
    )
    diff = Differencer().set_output(transform="pandas")
    out = diff.fit_transform(df)
    assert isinstance(out, pd.DataFrame)
    pd.testing.assert_index_equal(out.index, index)
    assert list(out.columns) == ["sales", "stock"]
    assert list(diff.get_feature_names_out()) == ["sales", "stock"]
    back = diff.inverse_transform(out)
    pd.testing.assert_frame_equal(back, df)

    future_index = pd.date_range("2001-01", periods=3, freq="MS")
    future = pd.DataFrame(
        {"sales": [23.0, 25.0, 27.0], "stock": 1.0}, index=future_index
    )
    levels = diff.inverse_transform_forecast(future)
    expected = pd.DataFrame(
        {"sales": [144.0, 169.0, 196.0], "stock": [12.0, 13.0, 14.0]},
        index=future_index,
    )
    pd.testing.assert_frame_equal(levels, expected)


def test_series_forecast_stays_a_series():
    y = pd.Series(np.arange(10.0), name="y")
    diff = Differencer().fit(y.to_frame())
    future = pd.Series([1.0, 1.0], index=[10, 11], name="y")
    levels = diff.inverse_transform_forecast(future)
    pd.testing.assert_series_equal(
        levels, pd.Series([10.0, 11.0], index=[10, 11], name="y")
    )


def test_default_output_is_numpy():
    df = pd.DataFrame({"a": np.arange(5.0)})
    assert isinstance(Differencer().fit_transform(df), np.ndarray)


def test_inverse_transform_refuses_other_row_counts():
    X = np.arange(10.0).reshape(-1, 1)
    diff = Differencer().fit(X)
    with pytest.raises(
        ValueError,
        match=(
            r"as many rows as the data seen in fit \(10\).*Got 4 rows"
            r".*inverse_transform_forecast"
        ),
    ):
        diff.inverse_transform(np.ones((4, 1)))


def test_inverse_methods_check_columns_and_values():
    diff = Differencer().fit(np.arange(20.0).reshape(10, 2))
    with pytest.raises(
        ValueError,
        match=r"Xt is 1-D, which is one column.*fitted on 2 columns.*Got shape \(3,\)",
    ):
        diff.inverse_transform_forecast(np.ones(3))
    with pytest.raises(ValueError, match=r"Xt has 3 columns.*fitted on 2 columns"):
        diff.inverse_transform_forecast(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"Xt contains NaN \(first at row 1, column 0\)"
    ):
        diff.inverse_transform_forecast(np.array([[1.0, 1.0], [np.nan, 1.0]]))
    Xt = diff.transform(np.arange(20.0).reshape(10, 2))
    Xt[5, 1] = np.inf
    with pytest.raises(
        ValueError, match=r"Xt contains infinity \(first at row 5, column 1\)"
    ):
        diff.inverse_transform(Xt)


def test_inverse_methods_refuse_columns_in_another_order():
    # They integrated by position and relabelled: p's levels landed under q.
    X = pd.DataFrame({"p": np.arange(10.0) ** 2, "q": -np.arange(10.0)})
    diff = Differencer().fit(X)
    swapped = pd.DataFrame({"q": [-1.0, -1.0], "p": [19.0, 21.0]})
    match = r"columns \['q', 'p'\].*fitted on \['p', 'q'\].*Xt\[\['p', 'q'\]\]"
    with pytest.raises(ValueError, match=match):
        diff.inverse_transform_forecast(swapped)
    with pytest.raises(ValueError, match=match):
        diff.inverse_transform(
            pd.DataFrame(diff.transform(X), columns=["p", "q"])[["q", "p"]]
        )
    levels = diff.inverse_transform_forecast(swapped[["p", "q"]])
    np.testing.assert_allclose(levels.to_numpy(), [[100.0, -10.0], [121.0, -11.0]])


def test_columns_of_any_kind_in_another_order_are_refused():
    # Only string names were checked: integer columns (a frame made from an
    # array) and transform's pandas output (x0, x1) were relabelled silently.
    X = pd.DataFrame({0: [100.0, 101, 104, 109], 1: [0.0, 10, 20, 30]})
    diff = Differencer().set_output(transform="pandas").fit(X)
    Xt = diff.transform(X)
    assert list(Xt.columns) == ["x0", "x1"]
    with pytest.raises(ValueError, match=r"columns \['x1', 'x0'\].*\['x0', 'x1'\]"):
        diff.inverse_transform(Xt[["x1", "x0"]])
    with pytest.raises(ValueError, match=r"columns \[1, 0\].*fitted on \[0, 1\]"):
        diff.inverse_transform(X.diff()[[1, 0]])
    for same in (Xt, X.diff()):
        np.testing.assert_allclose(diff.inverse_transform(same).to_numpy(), X)
    on_array = Differencer().fit(X.to_numpy())
    with pytest.raises(ValueError, match=r"columns \['x1', 'x0'\]"):
        on_array.inverse_transform(Xt[["x1", "x0"]])
    np.testing.assert_allclose(on_array.inverse_transform(X.diff()), X)


def test_inverse_transform_refuses_rows_out_of_time_order():
    # transform refused them; the inverse integrated them by position and
    # relabelled them with the shuffled dates.
    index = pd.date_range("2020-01-01", periods=6, freq="D")
    X = pd.DataFrame({"a": np.arange(6.0) ** 2}, index=index)
    diff = Differencer().set_output(transform="pandas").fit(X)
    shuffled = diff.transform(X).iloc[[0, 3, 1, 5, 2, 4]]
    with pytest.raises(ValueError, match=r"time index of Xt is not sorted"):
        diff.inverse_transform(shuffled)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        (
            {"order": 0},
            ValueError,
            r"`order` must be at least 1 when `seasonal_period` is None.*Got order=0",
        ),
        (
            {"order": -1},
            InvalidParameterError,
            r"'order' parameter of Differencer.*Got -1",
        ),
        (
            {"seasonal_period": 1},
            InvalidParameterError,
            r"'seasonal_period' parameter.*Got 1",
        ),
        ({"order": 1.5}, InvalidParameterError, r"'order' parameter"),
    ],
)
def test_bad_parameters_are_refused_in_fit(params, error, match):
    diff = Differencer(**params)  # __init__ does not validate
    with pytest.raises(error, match=match):
        diff.fit(np.arange(10.0).reshape(-1, 1))


def _with(X, row, col, value):
    X = X.copy()
    X[row, col] = value
    return X


_BASE = np.arange(30.0).reshape(10, 3)


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (
            _with(_BASE, 4, 1, np.nan),
            r"NaN in some but not all columns of row 4 \(first in column 1\)",
        ),
        (
            _with(_with(_BASE, 4, slice(None), np.nan), 0, slice(None), np.nan),
            r"NaN in row 4, after the first row with data \(row 1\)",
        ),
        (
            _with(_BASE, 9, slice(None), np.nan),
            r"NaN in row 9.*Only leading rows may be all NaN",
        ),
        (_with(_BASE, 2, 0, np.inf), r"infinity \(first at row 2, column 0\)"),
        (_with(_BASE, 2, 0, -np.inf), r"infinity"),
        (np.full((5, 3), np.nan), r"contains only NaN"),
        (
            _BASE[:1],
            r"too short to difference: order=1 needs at least 2 rows with data"
            r".*Got 1 row\(s\)",
        ),
        (_BASE[:1].ravel(), r"expects a 2-D X.*Got a 1-D X"),
        # sklearn's advice for a Series: "a single row (i.e. single sample)"
        (pd.Series([1.0, 2.0, 3.0]), r"Got a 1-D X of 3 values.*series.to_frame"),
    ],
)
def test_bad_tables_are_refused_and_left_unchanged(X, match):
    before = X.copy()
    with pytest.raises(ValueError, match=match):
        Differencer().fit(X)
    np.testing.assert_array_equal(X, before)


def test_nan_in_the_middle_of_a_single_column():
    X = np.array([[1.0], [2.0], [np.nan], [4.0]])
    with pytest.raises(ValueError, match=r"NaN in row 2.*impute missing values"):
        Differencer().fit(X)
    with pytest.raises(ValueError, match=r"NaN in row 2"):
        Differencer().fit(np.arange(4.0).reshape(-1, 1)).transform(X)


def test_too_short_counts_the_seasonal_lag_and_padding():
    X = np.vstack([np.full((3, 1), np.nan), np.arange(13.0).reshape(-1, 1)])
    with pytest.raises(
        ValueError,
        match=(
            r"order=1 with seasonal_period=12 needs at least 14 rows with data"
            r".*Got 13 row\(s\) with data \(n_samples=13, after 3 padding rows\)"
        ),
    ):
        Differencer(seasonal_period=12).fit(X)


def test_non_numeric_columns_are_named():
    df = pd.DataFrame({"sales": [1.0, 2.0, 3.0], "city": ["a", "b", "c"]})
    with pytest.raises(ValueError, match=r"numbers only.*'city'.*select_dtypes"):
        Differencer().fit(df)
    X = np.array([["1", "x"], ["2", "y"], ["3", "z"]])
    with pytest.raises(ValueError, match=r"numbers only.*could not convert"):
        Differencer().fit(X)


def test_errors_name_dataframe_columns():
    df = pd.DataFrame({"sales": [1.0, 2.0, 3.0], "stock": [1.0, np.nan, 3.0]})
    with pytest.raises(ValueError, match=r"row 1 \(first in column 'stock'\)"):
        Differencer().fit(df)


def test_failed_refit_keeps_the_previous_fit():
    diff = Differencer().fit(np.arange(10.0).reshape(-1, 1))
    with pytest.raises(ValueError, match="too short"):
        diff.fit(np.ones((1, 3)))
    assert diff.n_features_in_ == 1
    assert diff.n_timesteps_fit_ == 10


def test_transform_checks_the_number_of_columns():
    diff = Differencer().fit(np.arange(10.0).reshape(-1, 1))
    with pytest.raises(
        ValueError, match="X has 2 features, but Differencer is expecting 1"
    ):
        diff.transform(np.ones((5, 2)))


@pytest.mark.parametrize(
    "check",
    [
        check_set_output_transform,
        check_set_output_transform_pandas,
        check_global_output_transform_pandas,
        check_transformer_get_feature_names_out,
        check_transformer_get_feature_names_out_pandas,
    ],
)
# The checks themselves mix DataFrame and array input on purpose.
@pytest.mark.filterwarnings(
    "ignore:X (does not have valid|has) feature names:UserWarning"
)
def test_sklearn_output_and_feature_name_checks(check):
    # Not part of parametrize_with_checks, but what set_output users rely on.
    check("Differencer", Differencer())
    check("Differencer", Differencer(order=0, seasonal_period=2))
