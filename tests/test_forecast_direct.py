"""DirectForecaster: multi-output training, blocks, regressors, its estimators."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.multioutput import MultiOutputRegressor
from sklearn.svm import SVR
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import (
    DirectForecaster,
    NaiveForecaster,
    RecursiveForecaster,
    RNNRegressor,
    compare,
)
from skrnn.forecasting._direct import direct_inputs, direct_windows
from skrnn.metrics import get_scorer, rmse
from skrnn.preprocessing import WindowLayout


def _sine(n, offset=0):
    return np.sin((np.arange(n) + offset) / 4)


def _noisy(n=160, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 5 + np.sin(2 * np.pi * t / 12) + 0.1 * rng.normal(size=n)
    return pd.Series(values, index=pd.period_range("2000-01", periods=n, freq="M"))


class _Counting(LinearRegression):
    """A linear regression that counts its predict calls."""

    def predict(self, X):
        self.calls_ = getattr(self, "calls_", 0) + 1
        return super().predict(X)


# -- what it learns ---------------------------------------------------------


def test_a_direct_linear_model_forecasts_a_sine_exactly_beyond_its_horizon():
    y = _sine(120)
    f = DirectForecaster(LinearRegression(), horizon=6, window=8).fit(None, y)
    assert f.estimator_.coef_.shape == (6, 8)  # one output per horizon step
    np.testing.assert_allclose(f.forecast(20), _sine(20, offset=120), atol=1e-8)


def test_each_output_is_the_least_squares_fit_of_its_step():
    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(size=80)) * 0.1 + rng.normal(size=80)
    f = DirectForecaster(
        LinearRegression(), horizon=4, window=3, differences=0, scale=False
    ).fit(None, y)
    lags = np.lib.stride_tricks.sliding_window_view(y, 3)
    by_hand = []
    for k in range(4):  # step k + 1 after each window
        n_windows = len(y) - 3 - 4 + 1
        model = LinearRegression().fit(lags[:n_windows], y[3 + k : 3 + k + n_windows])
        by_hand.append(model.predict(y[-3:][None])[0])
    np.testing.assert_allclose(f.forecast(4), by_hand, rtol=1e-10)


def test_a_tiny_rnn_beats_the_naive_forecast():
    y = _noisy()
    train, test = y[:-12], y[-12:]
    rnn = RNNRegressor(units=8, epochs=5, random_state=0)
    f = DirectForecaster(rnn, horizon=12, window=12, differences=0).fit(None, train)
    assert f.estimator_.n_outputs_ == 12
    assert len(f.history_["loss"]) == f.estimator_.n_epochs_
    naive = NaiveForecaster().fit(None, train).forecast(12)
    assert rmse(test, f.forecast(12)) < 0.5 * rmse(test, naive)


def test_a_single_output_regressor_gets_one_model_per_step():
    y = _sine(80)
    f = DirectForecaster(SVR(), horizon=3, window=6).fit(None, y)
    assert isinstance(f.estimator_, MultiOutputRegressor)
    assert len(f.estimator_.estimators_) == 3
    assert f.forecast(5).shape == (5,)
    # horizon=1 needs no wrapper, and its y is 1-D.
    one = DirectForecaster(SVR(), horizon=1, window=6).fit(None, y)
    assert isinstance(one.estimator_, SVR)


def test_several_series_train_one_global_model():
    y = np.column_stack([_sine(90), 2 * _sine(90, offset=3)])
    f = DirectForecaster(LinearRegression(), horizon=5, window=8).fit(None, y)
    np.testing.assert_allclose(
        f.forecast(7),
        np.column_stack([_sine(7, 90), 2 * _sine(7, 93)]),
        atol=1e-8,
    )


# -- the horizon: one call per block, blocks beyond it ------------------------


def test_one_predict_call_per_block_of_horizon_steps():
    y = _sine(100)
    f = DirectForecaster(_Counting(), horizon=4, window=5).fit(None, y)
    for steps, calls in [(1, 1), (4, 1), (5, 2), (9, 3)]:
        f.estimator_.calls_ = 0
        f.forecast(steps)
        assert f.estimator_.calls_ == calls, steps


def test_beyond_the_horizon_it_recurses_by_blocks():
    rng = np.random.default_rng(1)
    y = 0.1 * np.cumsum(rng.normal(size=100)) + rng.normal(size=100)
    params = dict(horizon=3, window=4, differences=0, scale=False)
    f = DirectForecaster(LinearRegression(), **params).fit(None, y)
    long = f.forecast(8)
    # A step's forecast does not depend on how many steps are asked.
    for steps in (1, 3, 5):
        np.testing.assert_allclose(f.forecast(steps), long[:steps])
    # Steps 4-6 are the model's block from the window that ends with the
    # first block's forecasts, as if they had been observed.
    extended = DirectForecaster(LinearRegression(), **params)
    extended.fit(None, np.concatenate([y, long[:3]]))
    extended.estimator_ = f.estimator_
    np.testing.assert_allclose(extended.forecast(3), long[3:6], rtol=1e-10)


def test_predict_forecasts_through_a_gap_in_the_time_index():
    y = _noisy(80)
    f = DirectForecaster(LinearRegression(), horizon=4, window=6).fit(None, y)
    ahead = f.forecast(10)
    X = pd.DataFrame(index=ahead.index[[2, 5, 9]])
    pd.testing.assert_series_equal(f.predict(X), ahead.iloc[[2, 5, 9]])


# -- exogenous regressors ---------------------------------------------------


def test_the_regressors_of_every_horizon_step_reach_the_model():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(130, 2))
    y = 3 * x[:, 0] - x[:, 1] + rng.normal(0, 0.01, 130)
    X = pd.DataFrame(x, columns=["a", "b"])
    f = DirectForecaster(LinearRegression(), horizon=5, window=2).fit(X[:100], y[:100])
    assert f.estimator_.n_features_in_ == (2 + 4) * 3  # window + future steps
    truth = 3 * x[100:, 0] - x[100:, 1]
    np.testing.assert_allclose(f.predict(X[100:130]), truth, atol=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a multiple of the horizon: no filling
        f.predict(X[100:110])


def test_missing_regressors_of_a_block_are_filled_with_a_warning():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(110, 1))
    y = 2 * x[:, 0] + rng.normal(0, 0.01, 110)
    f = DirectForecaster(LinearRegression(), horizon=4, window=2).fit(x[:100], y[:100])
    with pytest.warns(UserWarning, match=r"2 time points after the last row of X"):
        short = f.predict(x[100:102])
    assert short.shape == (2,)
    # Filled at the training mean, exactly as if those rows had been given so.
    fill = np.vstack([x[100:102], np.full((2, 1), x[:100].mean())])
    np.testing.assert_allclose(short, f.predict(fill)[:2])


def test_inputs_at_the_training_end_continue_the_training_windows():
    rng = np.random.default_rng(0)
    z, exog = rng.normal(size=(40, 3)), rng.normal(size=(40, 2))
    layout, horizon = WindowLayout(4, n_exog=2), 3
    X_all, Y_all = direct_windows(layout, z, exog, horizon)
    assert X_all.shape == ((40 - 4 - 3 + 1) * 3, 4 + 2, 3)
    n_train = 30
    targets, known = layout.last_state(z[:n_train], exog[:n_train])
    rows = layout.forecast_rows(known, exog[n_train : n_train + horizon], steps=3)
    inputs = direct_inputs(layout, targets, rows, horizon)
    first = (n_train - 4) * 3  # time-major: 3 series per time point
    np.testing.assert_array_equal(inputs, X_all[first : first + 3])
    np.testing.assert_array_equal(Y_all[first : first + 3], z[n_train : n_train + 3].T)
    # The future steps hold no target value.
    np.testing.assert_array_equal(inputs[:, 4:, 0], 0.0)


# -- the contract: search, intervals, compare, persistence, bad input ---------


def test_grid_search_over_horizon_and_window_scores_true_forecasts():
    y = _noisy(100)
    X = pd.DataFrame(index=y.index)
    forecaster = DirectForecaster(LinearRegression(), differences=0)
    cv = TimeSeriesSplit(n_splits=3, test_size=8)
    search = GridSearchCV(
        forecaster,
        {"horizon": [4, 8], "window": [6, 12]},
        cv=cv,
        scoring=get_scorer("rmse"),
    ).fit(X, y)
    # Which window wins depends on the differencing each one gets ("auto",
    # scored with that window); what matters is that the scores are those of
    # true forecasts.
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    params = search.cv_results_["params"][1]
    train, test = list(cv.split(X))[2]
    by_hand = clone(forecaster).set_params(**params).fit(X.iloc[train], y.iloc[train])
    expected = -rmse(y.iloc[test], by_hand.predict(X.iloc[test]))
    np.testing.assert_allclose(search.cv_results_["split2_test_score"][1], expected)


def test_predict_interval_is_conformal_and_holds_the_forecast():
    y = _noisy(120)
    f = DirectForecaster(LinearRegression(), horizon=6, window=12, differences=0)
    f.fit(None, y)
    forecast = f.forecast(6)
    X = pd.DataFrame(index=forecast.index)
    intervals = f.predict_interval(X, coverage=0.8)
    assert intervals.columns.tolist() == ["lower", "upper"]
    pd.testing.assert_index_equal(intervals.index, forecast.index)
    assert (intervals["lower"] < forecast).all()
    assert (forecast < intervals["upper"]).all()
    wider = f.predict_interval(X, coverage=0.95)
    assert (
        wider["upper"] - wider["lower"] >= intervals["upper"] - intervals["lower"]
    ).all()
    pd.testing.assert_series_equal(f.forecast(6), forecast)  # left unchanged


def test_predict_interval_with_regressors_is_silent():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(90, 1))
    y = 2 * x[:, 0] + rng.normal(0, 0.1, 90)
    f = DirectForecaster(
        LinearRegression(), horizon=4, window=2, calibration_origins=9
    ).fit(x[:80], y[:80])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        intervals = f.predict_interval(x[80:84], coverage=0.9)
    width = (intervals["upper"] - intervals["lower"]).to_numpy()
    assert np.isfinite(width).all()
    assert (width < 1.5).all()  # the regressors explain the series


def test_compare_takes_it_as_a_model():
    y = _noisy(96)
    models = {
        "direct": DirectForecaster(LinearRegression(), horizon=12, window=12),
        "recursive": RecursiveForecaster(LinearRegression(), window=12),
    }
    report = compare(models, y, horizon=12, cv=2, metrics=["rmse"], progress=False)
    assert report.models == ["direct", "recursive"]
    summary = report.summary()
    assert np.isfinite(summary["rmse_mean"]).all()
    named = compare(
        [DirectForecaster(LinearRegression(), horizon=12, window=12)],
        y,
        horizon=12,
        cv=2,
        metrics=["rmse"],
        progress=False,
    )
    assert named.models == ["Direct(LinearRegression)"]


def test_clone_pickle_and_parameters():
    f = DirectForecaster(LinearRegression(), horizon=5, window=6)
    assert f.get_params()["horizon"] == 5
    assert DirectForecaster().horizon == 12
    fitted = clone(f).fit(None, _noisy(60))
    restored = pickle.loads(pickle.dumps(fitted))
    pd.testing.assert_series_equal(restored.forecast(7), fitted.forecast(7))
    fitted.set_params(horizon=6)
    with pytest.raises(ValueError, match=r"horizon: 5 -> 6.*call fit again"):
        fitted.forecast(3)


@pytest.mark.parametrize("horizon", [0, 2.5, "12"])
def test_a_bad_horizon_is_refused(horizon):
    with pytest.raises(InvalidParameterError, match="'horizon' parameter"):
        DirectForecaster(LinearRegression(), horizon=horizon).fit(None, _sine(50))


@pytest.mark.parametrize("horizon", [4, 3])
def test_a_network_with_per_step_outputs_is_refused(horizon):
    # horizon == window: trained as one target per input step, forecasts
    # near 0 for a sine of amplitude 1; otherwise a shape error about an X
    # and y the user never passed.
    network = RNNRegressor(return_sequences=True, units=4, epochs=2)
    f = DirectForecaster(network, horizon=horizon, window=4)
    with pytest.raises(ValueError, match=r"return_sequences=True gives one per time"):
        f.fit(None, _sine(80))


def test_too_short_a_series_names_the_horizon():
    f = DirectForecaster(LinearRegression(), horizon=10, window=5, differences=0)
    assert f.min_train_size() == 5 + 10 + 1
    f.fit(None, _sine(16))
    with pytest.raises(
        ValueError, match=r"y has 15 time points.*needs at least 16.*shorter horizon"
    ):
        f.fit(None, _sine(15))
    # The least with "auto" choices: a window of 2, no differencing.
    auto = DirectForecaster(LinearRegression(), horizon=10)
    assert auto.min_train_size() == 2 + 10 + 1
    assert auto.fit(None, _sine(13)).window_ == 2
