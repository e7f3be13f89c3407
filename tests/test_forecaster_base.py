"""The forecaster contract shared by every forecaster (skrnn/forecasting/_base.py)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate

from skrnn import ARForecaster, NaiveForecaster, RecursiveForecaster
from skrnn.datasets import load_airline
from skrnn.metrics import get_scorer, mase, rmse

FORECASTERS = [
    NaiveForecaster("drift"),
    ARForecaster(lags=2),
    RecursiveForecaster(LinearRegression(), window=4),
]
IDS = ["naive", "ar", "recursive"]


@pytest.fixture
def series():
    rng = np.random.default_rng(0)
    t = np.arange(60)
    values = 10 + 0.1 * t + np.sin(t / 3) + rng.normal(0, 0.1, 60)
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=60, freq="MS"))


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2020-01-01", periods=60, freq="MS"),
        pd.period_range("2020Q1", periods=60, freq="Q"),
        pd.period_range("2020-01", periods=60, freq="2M"),  # were 2 steps apart
        pd.RangeIndex(100, 160),
    ],
    ids=["datetime", "period", "period-multiple", "range"],
)
def test_predict_rows_of_x_carry_the_future_index(forecaster, index, series):
    y = pd.Series(series.to_numpy(), index=index, name="level")
    X = pd.DataFrame(index=index)
    f = clone(forecaster).fit(X[:48], y[:48])
    pred = f.predict(X[48:])
    assert isinstance(pred, pd.Series)
    assert pred.name == "level"
    pd.testing.assert_index_equal(pred.index, index[48:])
    ahead = f.forecast(12)
    pd.testing.assert_index_equal(ahead.index, index[48:])
    np.testing.assert_allclose(ahead.to_numpy(), pred.to_numpy())


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
def test_a_gap_after_the_training_end_is_forecast_through(forecaster, series):
    X = pd.DataFrame(index=series.index)
    f = clone(forecaster).fit(X[:40], series[:40])
    later = f.predict(X[45:50])
    np.testing.assert_allclose(later.to_numpy(), f.forecast(10).to_numpy()[5:10])


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
def test_numpy_in_numpy_out(forecaster, series):
    y = series.to_numpy()
    f = clone(forecaster).fit(np.empty((40, 0)), y[:40])
    pred = f.predict(np.empty((5, 0)))
    assert isinstance(pred, np.ndarray)
    assert pred.shape == (5,)
    np.testing.assert_allclose(pred, f.forecast(5))


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
def test_several_series(forecaster, series):
    y = pd.DataFrame({"a": series, "b": 2 * series + 1}, index=series.index)
    f = clone(forecaster).fit(None, y[:40])
    pred = f.forecast(6)
    assert isinstance(pred, pd.DataFrame)
    assert list(pred.columns) == ["a", "b"]
    assert pred.shape == (6, 2)


def test_naive_forecasts_each_series_alone(series):
    y = pd.DataFrame({"a": series, "b": -series})
    pred = NaiveForecaster().fit(None, y).forecast(3)
    np.testing.assert_allclose(pred["a"], series.iloc[-1])
    np.testing.assert_allclose(pred["b"], -series.iloc[-1])


def test_y_train_is_kept_as_given(series):
    f = NaiveForecaster().fit(None, series[:30])
    pd.testing.assert_series_equal(f.y_train_, series[:30])
    series.iloc[0] = -1.0  # the user's later changes do not leak in
    assert f.y_train_.iloc[0] != -1.0


@pytest.mark.parametrize(
    "forecaster",
    [
        NaiveForecaster("seasonal_last", period=12),
        ARForecaster(),
        RecursiveForecaster(LinearRegression(), window=13, differences=1),
    ],
    ids=IDS,
)
def test_cross_validation_scores_are_out_of_sample_multi_step_forecasts(forecaster):
    y = np.log(load_airline())
    X = pd.DataFrame(index=y.index)
    cv = TimeSeriesSplit(n_splits=3, test_size=12)
    scores = cross_validate(
        forecaster,
        X,
        y,
        cv=cv,
        scoring={
            "rmse": get_scorer("rmse"),
            "mase": get_scorer("mase", seasonal_period=12),
        },
    )
    train, test = list(cv.split(X))[1]
    by_hand = clone(forecaster).fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
    assert len(by_hand) == 12
    assert by_hand.index[0] == y.index[test[0]]
    np.testing.assert_allclose(scores["test_rmse"][1], -rmse(y.iloc[test], by_hand))
    np.testing.assert_allclose(
        scores["test_mase"][1],
        -mase(y.iloc[test], by_hand, y_train=y.iloc[train], seasonal_period=12),
    )


def test_grid_search_tunes_naive_and_ar_like_any_estimator():
    y = np.log(load_airline())
    X = pd.DataFrame(index=y.index)
    cv = TimeSeriesSplit(n_splits=3, test_size=12)
    naive = GridSearchCV(
        NaiveForecaster(period=12),
        {"strategy": ["last", "seasonal_last", "drift"]},
        cv=cv,
        scoring=get_scorer("rmse"),
    ).fit(X, y)
    assert naive.best_params_ == {"strategy": "seasonal_last"}
    ar = GridSearchCV(
        ARForecaster(), {"lags": [1, 13]}, cv=cv, scoring=get_scorer("rmse")
    )
    assert ar.fit(X, y).best_params_ == {"lags": 13}


# --- bad input -------------------------------------------------------------


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
def test_nan_in_y_is_refused(forecaster, series):
    y = series.copy()
    y.iloc[10] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        clone(forecaster).fit(None, y)


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
def test_unsorted_or_duplicated_time_index_is_refused(forecaster, series):
    with pytest.raises(ValueError, match="not sorted"):
        clone(forecaster).fit(None, series.iloc[::-1])
    duplicated = series.copy()
    duplicated.index = series.index[[0, *range(59)]]
    with pytest.raises(ValueError, match="duplicated"):
        clone(forecaster).fit(None, duplicated)


def test_x_and_y_must_line_up(series):
    with pytest.raises(ValueError, match="X has 10 rows, but y has 60"):
        NaiveForecaster().fit(np.empty((10, 0)), series)
    with pytest.raises(ValueError, match="different indexes"):
        NaiveForecaster().fit(
            pd.DataFrame(index=series.index + pd.DateOffset(days=1)), series
        )


def test_rows_before_the_training_end_are_refused(series):
    X = pd.DataFrame(index=series.index)
    f = NaiveForecaster().fit(X[:40], series[:40])
    with pytest.raises(ValueError, match="at or before the end of the training data"):
        f.predict(X[30:45])
    with pytest.raises(ValueError, match="not on the series' frequency"):
        f.predict(pd.DataFrame(index=pd.DatetimeIndex(["2024-01-15"])))


@pytest.mark.parametrize("forecaster", FORECASTERS, ids=IDS)
def test_forecast_checks_an_integer_index_on_x(forecaster):
    # Rows from the past were taken for the next steps' regressors.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"u": rng.normal(size=63)})
    y = pd.Series(10 + 2 * X["u"][:60].to_numpy())
    f = clone(forecaster).fit(X[:60], y)
    with pytest.raises(ValueError, match="at or before the end of the training"):
        f.forecast(3, X=X.iloc[57:60])
    expected = f.forecast(3, X=X.iloc[60:])
    fresh = pd.DataFrame({"u": X["u"][60:].to_numpy()})  # RangeIndex(3): in order
    pd.testing.assert_series_equal(f.forecast(3, X=fresh), expected)


def test_future_x_with_the_wrong_columns_is_refused(series):
    X = pd.DataFrame({"promo": np.arange(60.0) % 2}, index=series.index)
    f = RecursiveForecaster(LinearRegression(), window=3).fit(X[:40], series[:40])
    with pytest.raises(
        ValueError, match=r"X has 0 features, but .* expecting 1 features"
    ):
        f.predict(pd.DataFrame(index=series.index[40:45]))
    with pytest.raises(ValueError, match=r"columns \['price'\].*\['promo'\]"):
        f.predict(X[40:45].rename(columns={"promo": "price"}))
    with pytest.raises(ValueError, match="pass their future values as X"):
        f.forecast(3)


def test_a_gap_with_exogenous_regressors_is_refused(series):
    X = pd.DataFrame({"promo": np.arange(60.0) % 2}, index=series.index)
    f = ARForecaster(lags=1).fit(X[:40], series[:40])
    with pytest.raises(
        ValueError, match=r"X starts 2 time point\(s\) after the end.*skipped rows"
    ):
        f.predict(X[42:45])
    with pytest.raises(ValueError, match=r"X skips time points after the end"):
        f.predict(X.iloc[[40, 42]])
    # forecast(3, X) reads X's dates too, instead of taking its rows for the
    # next three whatever they say.
    np.testing.assert_array_equal(f.forecast(3, X[40:43]), f.predict(X[40:43]))
    with pytest.raises(ValueError, match=r"X's rows start at .*3 time point\(s\)"):
        f.forecast(3, X[42:45])
    np.testing.assert_array_equal(
        f.forecast(3, X[42:45].to_numpy()), f.predict(X[40:43])
    )


def _with_regressor(n=90):
    rng = np.random.default_rng(0)
    index = pd.period_range("2000-01", periods=n, freq="M")
    X = pd.DataFrame({"a": rng.normal(size=n)}, index=index)
    y = pd.Series(np.cumsum(rng.normal(size=n)) + 5 * X["a"], index=index)
    return X, y


def test_a_pipeline_that_drops_the_time_index_is_not_scored_on_other_dates():
    # StandardScaler gave the forecaster a NumPy X: with a gap it forecast
    # the months after the training end, and the scores compared them with
    # the test months by position (three finite scores, no word).
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _with_regressor()
    cv = TimeSeriesSplit(n_splits=3, test_size=6, gap=3)
    pipe = make_pipeline(StandardScaler(), ARForecaster(lags=1))
    match = r"y_pred is at other time points \(2005-10 to 2006-03\) than y_true "
    match += r"\(2006-01 to 2006-06\).*set_output\(transform=\"pandas\"\)"
    for scoring in (get_scorer("mase"), None):  # skrnn's scorer, and score()
        with pytest.raises(ValueError, match=match):
            cross_validate(pipe, X, y, cv=cv, scoring=scoring, error_score="raise")
    # Keeping the index, the forecaster sees the gap and names it.
    keeps = make_pipeline(
        StandardScaler().set_output(transform="pandas"), ARForecaster(lags=1)
    )
    with pytest.raises(
        ValueError, match=r"starts 3 time point.*TimeSeriesSplit\(gap=0"
    ):
        cross_validate(
            keeps, X, y, cv=cv, scoring=get_scorer("mase"), error_score="raise"
        )
    no_gap = TimeSeriesSplit(n_splits=3, test_size=6)
    scores = cross_validate(pipe, X, y, cv=no_gap, scoring=get_scorer("mase"))
    assert np.isfinite(scores["test_score"]).all()


def test_train_scores_are_refused_naming_return_train_score():
    # The advice was to pass X without an index, which scores forecasts of
    # the future against the training values.
    X, y = _with_regressor(60)
    with pytest.raises(
        ValueError,
        match=r"only time points of the training data.*"
        r"return_train_score=True\) ask for them: leave it False",
    ):
        cross_validate(
            ARForecaster(lags=1),
            X,
            y,
            cv=TimeSeriesSplit(3, test_size=6),
            scoring=get_scorer("mase"),
            return_train_score=True,
            error_score="raise",
        )


def test_predict_before_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        NaiveForecaster().predict(np.empty((3, 0)))


def test_predict_with_a_number_of_steps_points_to_forecast():
    model = NaiveForecaster().fit(None, pd.Series(np.arange(10.0)))
    with pytest.raises(TypeError, match=r"Got the int 5: .* call forecast\(5\)"):
        model.predict(5)
