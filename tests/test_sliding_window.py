"""Behaviour of SlidingWindow that users rely on."""

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import RNNRegressor
from skrnn.preprocessing import Differencer, SequenceScaler, SlidingWindow


def _reference_windows(X, window, include_current):
    """One window per row, built with a plain loop."""
    n_timesteps, n_features = X.shape
    out = np.full((n_timesteps, window, n_features), np.nan)
    for t in range(n_timesteps):
        last = t if include_current else t - 1
        for k in range(window):
            row = last - window + 1 + k
            if row >= 0:
                out[t, k] = X[row]
    return out


@pytest.mark.parametrize("window", [1, 2, 5, 17])
@pytest.mark.parametrize("include_current", [True, False])
def test_windows_match_a_reference_loop(window, include_current):
    X = np.random.default_rng(window).normal(size=(12, 3))
    Xt = SlidingWindow(window, include_current=include_current).fit_transform(X)
    assert Xt.shape == (12, window, 3)
    np.testing.assert_array_equal(Xt, _reference_windows(X, window, include_current))


def test_a_row_never_sees_itself_without_include_current():
    X = np.arange(8.0).reshape(-1, 1)
    Xt = SlidingWindow(3, include_current=False).fit_transform(X)
    for t in range(len(X)):
        assert not np.any(Xt[t] >= X[t])  # only strictly earlier values
    assert np.isnan(Xt[0]).all()  # the first row has no past at all


def test_leading_padding_passes_through():
    X = np.array([[np.nan, np.nan], [np.nan, np.nan], [1.0, 2.0], [3.0, 4.0]])
    Xt = SlidingWindow(2).fit_transform(X)
    assert np.isnan(Xt[:2]).all()
    np.testing.assert_array_equal(Xt[2], [[np.nan, np.nan], [1.0, 2.0]])
    np.testing.assert_array_equal(Xt[3], [[1.0, 2.0], [3.0, 4.0]])
    # A table of padding only gives windows of padding only.
    assert np.isnan(SlidingWindow(2).fit_transform(np.full((3, 1), np.nan))).all()


def test_output_is_a_writable_copy():
    X = np.arange(10.0).reshape(-1, 1)
    before = X.copy()
    Xt = SlidingWindow(3).fit_transform(X)
    assert Xt.flags.writeable
    assert Xt.flags.c_contiguous
    assert not np.shares_memory(Xt, X)
    Xt[:] = -1
    np.testing.assert_array_equal(X, before)


def test_output_stays_numpy_under_pandas_output():
    df = pd.DataFrame({"a": np.arange(6.0), "b": np.ones(6)})
    with config_context(transform_output="pandas"):
        Xt = SlidingWindow(2).fit_transform(df)
    assert isinstance(Xt, np.ndarray)
    assert Xt.shape == (6, 2, 2)
    Xt = SlidingWindow(2).set_output(transform="pandas").fit_transform(df)
    assert isinstance(Xt, np.ndarray)
    assert Xt.shape == (6, 2, 2)


def test_feature_names_are_those_of_the_last_axis():
    df = pd.DataFrame({"temp": np.arange(6.0), "wind": np.ones(6)})
    sw = SlidingWindow(4).fit(df)
    assert list(sw.get_feature_names_out()) == ["temp", "wind"]
    assert list(SlidingWindow(4).fit(df.to_numpy()).get_feature_names_out()) == [
        "x0",
        "x1",
    ]
    pipe = make_pipeline(SlidingWindow(3), SequenceScaler()).fit(df)
    assert list(pipe.get_feature_names_out()) == ["temp", "wind"]


def test_transform_checks_columns_and_names():
    df = pd.DataFrame({"temp": np.arange(6.0), "wind": np.ones(6)})
    with pytest.raises(
        ValueError, match="X has 1 features, but SlidingWindow is expecting 2"
    ):
        SlidingWindow(2).fit(df.to_numpy()).transform(np.ones((4, 1)))
    sw = SlidingWindow(2).fit(df)
    with pytest.raises(ValueError, match="feature names"):
        sw.transform(df.rename(columns={"wind": "rain"}))


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (
            np.array([[1.0, 2.0], [np.nan, 3.0], [4.0, 5.0]]),
            r"NaN in some but not all columns of row 1",
        ),
        (
            np.array([[1.0], [np.nan], [4.0]]),
            r"NaN in row 1, after the first row with data",
        ),
        (np.array([[1.0], [2.0], [np.nan]]), r"NaN in row 2.*Only leading rows"),
        (np.array([[1.0], [np.inf], [4.0]]), r"infinity \(first at row 1, column 0\)"),
        (np.arange(5.0), r"expects a 2-D X.*Got a 1-D X of 5 values"),
        (np.array([["a"], ["b"]]), r"numbers only"),
    ],
)
def test_bad_tables_are_refused_and_left_unchanged(X, match):
    before = X.copy()
    with pytest.raises(ValueError, match=match):
        SlidingWindow(2).fit(X)
    assert np.array_equal(X, before, equal_nan=X.dtype.kind == "f")
    fitted = SlidingWindow(2).fit(np.zeros((3, 1)))
    if X.ndim == 2 and X.shape[1] == 1:
        with pytest.raises(ValueError, match=match):
            fitted.transform(X)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"window": 0},
            r"'window' parameter of SlidingWindow must be an int in the range "
            r"\[1, inf\)\. Got 0",
        ),
        ({"window": 2.5}, r"'window' parameter"),
        ({"window": 2, "include_current": "yes"}, r"'include_current' parameter"),
    ],
)
def test_bad_parameters_are_refused_in_fit(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        SlidingWindow(**params).fit(np.zeros((3, 1)))


def test_windows_after_a_differencer_mask_the_lost_rows():
    X = np.cumsum(np.random.default_rng(0).normal(size=(30, 2)), axis=0)
    Xt = make_pipeline(
        Differencer(order=1, seasonal_period=4), SlidingWindow(3)
    ).fit_transform(X)
    assert Xt.shape == (30, 3, 2)
    padding = np.isnan(Xt).all(axis=-1)
    # Rows 0..4 of the differences are NaN: windows ending there are padding
    # only, later windows have padding at the start only.
    assert padding[:5].all()
    assert not np.isnan(Xt[7:]).any()
    np.testing.assert_array_equal(padding[5], [True, True, False])


# Slow (about 45 s): run with -m slow; test_recursive.py grid-searches the
# window in the default run.
@pytest.mark.slow
def test_grid_search_over_window_and_units_on_sunspots():
    """One-step-ahead forecasting of yearly sunspots with a tuned window."""
    import statsmodels.api as sm

    series = sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"]
    X = series.to_frame()
    # RNNRegressor does not scale targets; bring them to about [0, 2].
    y = series / 100.0
    pipe = make_pipeline(
        SlidingWindow(window=3, include_current=False),
        SequenceScaler(),
        RNNRegressor("gru", units=4, epochs=15, learning_rate=0.02, random_state=0),
    )
    cv = TimeSeriesSplit(n_splits=3)
    search = GridSearchCV(
        pipe,
        {"slidingwindow__window": [3, 9], "rnnregressor__units": [4, 8]},
        cv=cv,
        scoring="neg_mean_squared_error",
    )
    # Each test block is transformed without its history: said, not hidden.
    with pytest.warns(UserWarning, match="SlidingWindow.transform got a table"):
        search.fit(X, y)

    assert search.best_params_["slidingwindow__window"] in (3, 9)
    # Refitted on all rows, and one prediction per row of X.
    assert search.best_estimator_[0].n_features_in_ == 1
    assert search.predict(X).shape == (len(series),)
    with pytest.warns(UserWarning, match="SlidingWindow.transform got a table"):
        assert search.predict(X.iloc[-20:]).shape == (20,)

    # On the last fold the tuned model is far better than the training mean.
    train, test = list(cv.split(X))[-1]
    model_mse = -search.cv_results_["split2_test_score"][search.best_index_]
    mean_mse = np.mean((y.iloc[test] - y.iloc[train].mean()) ** 2)
    assert model_mse < 0.5 * mean_mse


def test_pipeline_set_output_pandas_works_and_windows_stay_numpy():
    # Issue 11 item 7: Pipeline(...).set_output(transform="pandas") raised
    # "Unable to configure output ... `set_output` is not available".
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        rng.normal(size=(20, 2)).cumsum(axis=0),
        columns=["load", "temp"],
        index=pd.date_range("2020-01-01", periods=20),
    )
    steps = (Differencer(), SlidingWindow(3), SequenceScaler())
    expected = make_pipeline(*steps).fit_transform(table)
    pipe = make_pipeline(*steps).set_output(transform="pandas")
    windows = pipe.fit_transform(table)
    assert isinstance(windows, np.ndarray)
    np.testing.assert_array_equal(windows, expected)
    # The 2-D step honours the setting; the window names carry its columns.
    assert isinstance(pipe[:1].transform(table), pd.DataFrame)
    assert pipe[1].get_feature_names_out().tolist() == ["load", "temp"]
    with config_context(transform_output="pandas"):
        np.testing.assert_array_equal(
            make_pipeline(*steps).fit_transform(table), expected
        )
    with pytest.raises(ValueError, match=r"`transform` must be one of"):
        SlidingWindow(3).set_output(transform="arrow")


def _lagged_linear_pipeline(window):
    from sklearn.linear_model import LinearRegression
    from sklearn.preprocessing import FunctionTransformer

    flatten = FunctionTransformer(lambda w: np.nan_to_num(w.reshape(len(w), -1)))
    return make_pipeline(
        SlidingWindow(window, include_current=False), flatten, LinearRegression()
    )


def test_a_table_without_its_history_is_not_scored_silently():
    # Issue 11 item 4: predict(table[-20:]) differs from predict(table)[-20:]
    # (the first rows of the block lose their history) and cross_validate
    # scored every test block that way without a word.
    import warnings

    from sklearn.model_selection import cross_validate

    rng = np.random.default_rng(0)
    t = np.arange(120.0)
    y = np.sin(t / 3) + 0.1 * rng.normal(size=120)
    table = pd.DataFrame({"y": y})
    pipe = _lagged_linear_pipeline(4).fit(table, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the fitted table itself: no warning
        whole = pipe.predict(table)
    match = (
        r"SlidingWindow.transform got a table.*first 4 row\(s\).*RecursiveForecaster"
    )
    with pytest.warns(UserWarning, match=match):
        block = pipe.predict(table[-20:])
    # What the warning is about: the first 4 rows differ, the others do not.
    assert np.abs(block[:4] - whole[-20:-16]).max() > 0.1
    np.testing.assert_allclose(block[4:], whole[-16:])
    with pytest.warns(UserWarning, match="SlidingWindow.transform got a table"):
        cross_validate(pipe, table, y, cv=TimeSeriesSplit(n_splits=3))


def test_the_whole_table_after_the_fitted_rows_is_not_warned_of():
    # The warning's own advice (transform the whole table and slice) warned:
    # any table but the fitted one did.
    import warnings

    rng = np.random.default_rng(0)
    table = pd.DataFrame({"y": np.sin(np.arange(60.0) / 3) + rng.normal(size=60)})
    y = table["y"].to_numpy()
    pipe = _lagged_linear_pipeline(4).fit(table[:40], y[:40])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole = pipe.predict(table)
        np.testing.assert_allclose(pipe.predict(table[:30]), whole[:30])
    with pytest.warns(UserWarning, match="does not start where the one it was"):
        pipe.predict(table[40:])


def test_no_warning_where_no_history_is_needed():
    import warnings

    X = np.arange(12.0).reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SlidingWindow(1).fit(X).transform(X[5:])
        SlidingWindow(3).fit_transform(X)
        SlidingWindow(3, include_current=False).fit(X).transform(X.copy())
