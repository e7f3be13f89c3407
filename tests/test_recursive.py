"""RecursiveForecaster: windows, recursion, inversion, and its estimators."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from statsmodels.tsa.ar_model import AutoReg

from skrnn import RecursiveForecaster, RNNRegressor
from skrnn.datasets import load_airline, load_macro
from skrnn.metrics import get_scorer, rmse
from skrnn.preprocessing import WindowLayout

TINY_RNN = dict(units=8, epochs=10, random_state=0)


def test_the_tutorial_workflow_matches_the_recursion_by_hand():
    """Difference a price series, window 13, RNN, forecast recursively, invert."""
    prices = load_macro()["cpi"].to_numpy()
    train, held_out = prices[:-20], prices[-20:]
    f = RecursiveForecaster(RNNRegressor(**TINY_RNN), window=13, differences=1)
    forecast = f.fit(None, train).forecast(len(held_out))

    # The tutorial's loop, with the same fitted Keras model.
    diffs = np.diff(train)
    mean, std = diffs.mean(), diffs.std()
    window = list((diffs[-13:] - mean) / std)
    by_hand = []
    for _ in range(len(held_out)):
        x = np.array(window[-13:], dtype=np.float32)[None, :, None]
        step = float(f.estimator_.model_.predict(x, verbose=0)[0, 0])
        by_hand.append(step)
        window.append(step)
    levels = train[-1] + np.cumsum(np.array(by_hand) * std + mean)
    np.testing.assert_allclose(forecast, levels, rtol=1e-5)
    # And it is a forecast, not noise: within 10% of the held-out prices
    # (the 2008 spike is the worst point).
    assert np.max(np.abs(forecast / held_out - 1)) < 0.1


def test_linear_regression_makes_an_ar_model():
    y = load_airline().to_numpy()
    f = RecursiveForecaster(
        LinearRegression(), window=3, differences=0, scale=False
    ).fit(None, y)
    direct = AutoReg(y, lags=3).fit()
    np.testing.assert_allclose(
        f.forecast(24), direct.predict(start=len(y), end=len(y) + 23), rtol=1e-8
    )


def test_compiled_recursion_equals_step_by_step_recursion():
    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(size=(150, 3)), axis=0)
    X = pd.DataFrame({"x": np.sin(np.arange(160) / 5)})
    f = RecursiveForecaster(RNNRegressor(**TINY_RNN), window=6).fit(X[:150], y)
    compiled = f.predict(X[150:])
    f.estimator_ = _PredictOnly(f.estimator_)  # no compiled path: one call per step
    np.testing.assert_allclose(compiled, f.predict(X[150:]), atol=1e-5)


class _PredictOnly:
    def __init__(self, estimator):
        self.estimator = estimator

    def predict(self, X):
        return self.estimator.predict(X)


def test_exogenous_regressors_drive_the_forecast():
    rng = np.random.default_rng(1)
    x = rng.normal(size=130)
    y = 3 * x + rng.normal(0, 0.01, 130)
    X = pd.DataFrame({"x": x})
    f = RecursiveForecaster(LinearRegression(), window=2).fit(X[:100], y[:100])
    np.testing.assert_allclose(f.predict(X[100:]), 3 * x[100:], atol=0.1)


def test_seasonal_differencing_is_inverted():
    y = np.log(load_airline())
    f = RecursiveForecaster(
        LinearRegression(), window=13, differences=1, seasonal_period=12
    )
    pred = f.fit(None, y[:-12]).forecast(12)
    assert rmse(y[-12:], pred) < 0.05
    pd.testing.assert_index_equal(pred.index, y.index[-12:])


def test_grid_search_over_window_and_network_scores_true_forecasts():
    y = np.log(load_airline())[:-12]
    X = pd.DataFrame(index=y.index)
    forecaster = RecursiveForecaster(
        RNNRegressor(**TINY_RNN), differences=1, seasonal_period=12
    )
    cv = TimeSeriesSplit(n_splits=3, test_size=12)
    search = GridSearchCV(
        forecaster,
        {"window": [6, 12], "estimator__units": [4, 8]},
        cv=cv,
        scoring=get_scorer("rmse"),
    ).fit(X, y)
    assert search.best_estimator_.forecast(12).index[0] == pd.Period("1960-01", "M")
    # The score of a fold is the RMSE of a 12-step forecast past its training data.
    params = search.cv_results_["params"][0]
    train, test = list(cv.split(X))[2]
    by_hand = clone(forecaster).set_params(**params).fit(X.iloc[train], y.iloc[train])
    expected = -rmse(y.iloc[test], by_hand.predict(X.iloc[test]))
    np.testing.assert_allclose(
        search.cv_results_["split2_test_score"][0], expected, rtol=1e-5
    )


def test_scikeras_regressor_as_estimator():
    pytest.importorskip("scikeras")
    import keras
    from scikeras.wrappers import KerasRegressor

    def build(meta):
        model = keras.Sequential(
            [
                keras.Input((meta["n_features_in_"],)),
                keras.layers.Dense(8, activation="relu"),
                keras.layers.Dense(1),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        return model

    y = np.log(load_airline())
    estimator = KerasRegressor(build, epochs=5, verbose=0, random_state=0)
    f = RecursiveForecaster(estimator, window=12, differences=1).fit(None, y[:-12])
    pred = f.forecast(12)
    assert pred.shape == (12,)
    assert np.isfinite(pred).all()
    # Windows reach a model without 3-D tags flattened: window x features.
    assert f.estimator_.n_features_in_ == 12


def test_too_short_a_series_is_refused():
    y = np.arange(14.0)  # window + differences + 1
    with pytest.raises(
        ValueError, match=r"y has 14 time points.*needs at least 15.*smaller window"
    ):
        RecursiveForecaster(LinearRegression(), window=12, differences=1).fit(None, y)


# -- the window layout (skrnn/preprocessing/_layout.py) -------------------------


@pytest.mark.parametrize("target_position", [0, 1, 2])
@pytest.mark.parametrize("exog_shift", [0, 1])
def test_forecast_windows_continue_the_training_windows(target_position, exog_shift):
    """The window a forecast reads at step s is the training window the series
    would have given for that time point, had it been observed."""
    rng = np.random.default_rng(0)
    z, exog = rng.normal(size=(30, 3)), rng.normal(size=(30, 2))
    layout = WindowLayout(
        4, n_exog=2, target_position=target_position, exog_shift=exog_shift
    )
    X_all, y_all = layout.training_windows(z, exog)
    n_train, steps = 24, 6
    targets, known = layout.last_state(z[:n_train], exog[:n_train])
    rows = layout.forecast_rows(known, exog[n_train:], steps=steps)
    assert rows.shape == (layout.n_known_rows + steps, 2)
    np.testing.assert_array_equal(targets, z[n_train - 4 : n_train].T)
    for step in range(steps):
        window = layout.assemble(
            z[n_train - 4 + step : n_train + step].T, rows[step : step + 4]
        )
        first = (n_train + step - 4) * 3  # time-major: 3 series per time point
        np.testing.assert_array_equal(window, X_all[first : first + 3])
        np.testing.assert_array_equal(y_all[first : first + 3], z[n_train + step])


def test_layout_puts_the_target_and_regressors_where_it_says():
    z = np.arange(6.0)[:, None]
    exog = np.column_stack([10 + np.arange(6.0), 20 + np.arange(6.0)])
    X, y = WindowLayout(2, n_exog=2, target_position=1).training_windows(z, exog)
    # Target of times 0, 1 in the middle; regressors of the next time points.
    np.testing.assert_array_equal(X[0], [[11, 0, 21], [12, 1, 22]])
    np.testing.assert_array_equal(y, [2, 3, 4, 5])
    X0, _ = WindowLayout(2, n_exog=2, exog_shift=0).training_windows(z, exog)
    np.testing.assert_array_equal(X0[0], [[0, 10, 20], [1, 11, 21]])


def test_layout_is_frozen_hashable_and_checked():
    layout = WindowLayout(12, n_exog=1)
    assert layout == WindowLayout(12, n_exog=1)
    assert {layout: 1}[WindowLayout(12, n_exog=1)] == 1
    with pytest.raises(AttributeError):
        layout.window = 3
    with pytest.raises(ValueError, match=r"`exog_shift` must be in \[0, 1\]. Got 2"):
        WindowLayout(3, exog_shift=2)
    with pytest.raises(ValueError, match=r"`target_position` must be in \[0, 1\]"):
        WindowLayout(3, n_exog=1, target_position=2)
    with pytest.raises(TypeError, match=r"`window` must be an int\. Got 2\.5"):
        WindowLayout(2.5)
    with pytest.raises(
        ValueError, match=r"must have shape \(10, 1\).*Got shape \(10, 2\)"
    ):
        layout.training_windows(np.zeros((10, 1)), np.zeros((10, 2)))


def test_recursive_forecaster_keeps_its_layout():
    y = load_airline().to_numpy()
    X = np.column_stack([np.arange(len(y)), np.arange(len(y)) % 12])
    f = RecursiveForecaster(LinearRegression(), window=5).fit(X, y)
    assert f.layout_ == WindowLayout(5, n_exog=2, target_position=0, exog_shift=1)
    assert f.estimator_.n_features_in_ == 5 * f.layout_.n_features


# -- the whole recursion handed to the estimator (predict_recursive) -----------


class _RecursiveLinear(LinearRegression):
    """A regressor that runs the recursion itself, through the public protocol."""

    def predict_recursive(self, X, steps, *, exog=None, target_index=0):
        self.calls_ = getattr(self, "calls_", 0) + 1
        windows, out = np.array(X, dtype=np.float64), []
        for step in range(steps):
            prediction = self.predict(windows.reshape(len(windows), -1))
            out.append(prediction)
            newest = np.insert(
                np.broadcast_to(exog[step], (len(windows), exog.shape[1]))
                if step < steps - 1 and exog is not None
                else np.zeros((len(windows), windows.shape[2] - 1)),
                target_index,
                prediction,
                axis=1,
            )
            windows = np.concatenate([windows[:, 1:], newest[:, None]], axis=1)
        return np.column_stack(out)


def test_an_estimator_with_predict_recursive_runs_the_whole_recursion():
    rng = np.random.default_rng(3)
    y = np.cumsum(rng.normal(size=(80, 2)), axis=0)
    X = rng.normal(size=(90, 2))
    own = RecursiveForecaster(_RecursiveLinear(), window=4).fit(X[:80], y)
    generic = RecursiveForecaster(LinearRegression(), window=4).fit(X[:80], y)
    np.testing.assert_allclose(own.predict(X[80:]), generic.predict(X[80:]))
    assert own.estimator_.calls_ == 1  # one call, not one per step


def test_rnn_predict_recursive_equals_feeding_predict_back():
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(40, 5, 2))
    reg = RNNRegressor(**TINY_RNN).fit(windows, windows[:, -1, 1])
    first, exog = windows[:3], rng.normal(size=(5, 1))
    compiled = reg.predict_recursive(first, 6, exog=exog, target_index=1)
    assert compiled.shape == (3, 6)
    assert compiled.dtype == np.float64
    current = first.copy()
    for step in range(6):
        prediction = reg.predict(current)
        np.testing.assert_allclose(compiled[:, step], prediction, atol=1e-5)
        if step < 5:
            newest = np.column_stack([np.full(3, exog[step, 0]), prediction])
            current = np.concatenate([current[:, 1:], newest[:, None]], axis=1)


def test_rnn_predict_recursive_refuses_bad_input_clearly():
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(30, 4, 2))
    reg = RNNRegressor(units=4, epochs=1, random_state=0).fit(windows, windows[:, 0, 0])
    with pytest.raises(
        ValueError, match=r"exog must have shape \(2, 1\).*Got shape \(3, 1\)"
    ):
        reg.predict_recursive(windows[:2], 3, exog=np.zeros((3, 1)))
    with pytest.raises(ValueError, match="exog must give the other 1 features"):
        reg.predict_recursive(windows[:2], 3)
    with pytest.raises(ValueError, match=r"target_index must be an int in \[0, 1\]"):
        reg.predict_recursive(windows[:2], 3, exog=np.zeros((2, 1)), target_index=2)
    with pytest.raises(ValueError, match=r"steps must be a positive int\. Got 0"):
        reg.predict_recursive(windows[:2], 0)
    with pytest.raises(ValueError, match="cannot be padded"):
        reg.predict_recursive(np.full((1, 4, 2), np.nan), 2, exog=np.zeros((1, 1)))
    multi = RNNRegressor(units=4, epochs=1).fit(windows, windows[:, 0, :])
    with pytest.raises(ValueError, match=r"predicts 2 outputs\. Fit it with a 1-D y"):
        multi.predict_recursive(windows[:2], 3, exog=np.zeros((2, 1)))


def test_the_private_recursive_forecast_is_a_deprecated_alias():
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(30, 4, 1))
    reg = RNNRegressor(units=4, epochs=1, random_state=0).fit(windows, windows[:, 0, 0])
    z = windows[:2, :, 0]
    with pytest.warns(FutureWarning, match="predict_recursive"):
        old = reg._recursive_forecast(z, np.empty((3 + 5, 0)), 5)
    np.testing.assert_array_equal(old, reg.predict_recursive(windows[:2], 5))


# -- compiled once per architecture and window, never per horizon -------------


def _recording_recursion(monkeypatch):
    from skrnn.rnn import _keras

    calls, real = [], _keras._Template.recursion

    def recording(self, *args, **kwargs):
        run = real(self, *args, **kwargs)

        def recorded(windows, exog, n):
            calls.append((tuple(windows.shape), exog.shape, int(n)))
            return run(windows, exog, n)

        recorded.run = run
        return recorded

    monkeypatch.setattr(_keras._Template, "recursion", recording)
    return calls


def test_every_horizon_runs_the_same_compiled_chunk(monkeypatch):
    from skrnn.rnn import _keras

    calls = _recording_recursion(monkeypatch)
    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(size=(100, 2)), axis=0)
    f = RecursiveForecaster(RNNRegressor(**TINY_RNN), window=6).fit(None, y)
    chunk = _keras.RECURSION_CHUNK
    horizons = [3, chunk + 40, 2 * chunk, 7]
    for steps in horizons:
        f.forecast(steps)
    # XLA compiles per input shape; the shapes never depend on the horizon,
    # and the number of steps run is a run-time value.
    assert {(windows, exog) for windows, exog, _ in calls} == {((2, 6, 1), (chunk, 0))}
    assert [n for _, _, n in calls] == [3, chunk, 40, chunk, chunk, 7]
    spec = __import__("dataclasses").replace(f.estimator_._spec, masked=False)
    with _keras._borrowed_template(spec) as template:
        run = template.recursion().run
    assert run.experimental_get_tracing_count() == 1  # traced once, all horizons


def test_a_new_horizon_costs_no_compilation():
    """XLA compiles again when a value it treats as a constant changes; the
    number of steps must not be one. The first forecast compiles (a tenth of
    a second or more); forecasts at new horizons after it run the compiled
    chunk (milliseconds)."""
    import time

    rng = np.random.default_rng(1)
    y = np.cumsum(rng.normal(size=(60, 1)), axis=0)
    rnn = RNNRegressor(cell="gru", units=5, epochs=1, random_state=0)
    f = RecursiveForecaster(rnn, window=7).fit(None, y)

    def seconds(steps):
        start = time.perf_counter()
        f.forecast(steps)
        return time.perf_counter() - start

    first = seconds(5)
    later = [seconds(steps) for steps in (9, 23, 41, 2)]
    assert max(later) < first / 4, (first, later)


def test_chunked_recursion_carries_the_windows_across_chunks(monkeypatch):
    """With a chunk of 4 steps, an 11-step forecast with regressors (three
    chunks, the last one partial) equals the step-by-step recursion."""
    from skrnn.rnn import _keras

    monkeypatch.setattr(_keras, "RECURSION_CHUNK", 4)
    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(size=(120, 2)), axis=0)
    X = pd.DataFrame({"x": np.sin(np.arange(131) / 5)})
    f = RecursiveForecaster(RNNRegressor(**TINY_RNN), window=5).fit(X[:120], y)
    compiled = f.predict(X[120:])
    f.estimator_ = _PredictOnly(f.estimator_)
    np.testing.assert_allclose(compiled, f.predict(X[120:]), atol=1e-5)


# -- float64 forecasts in the units of y; overflow named ----------------------


@pytest.mark.parametrize(
    ("offset", "unit"), [(1e8, 1.0), (0.0, 1e-100)], ids=["1e8", "1e-100"]
)
def test_forecasts_are_float64_in_the_units_of_y(offset, unit):
    t = np.arange(48.0)
    y = offset + (10 + 3 * np.sin(t / 2)) * unit
    f = RecursiveForecaster(RNNRegressor(units=4, epochs=2, random_state=0), window=4)
    forecast = f.fit(None, y).forecast(6)
    assert forecast.dtype == np.float64
    # Within the range of the series, and not collapsed onto float32's grid
    # (1e8 exactly; 0.0 for values near 1e-100).
    assert (forecast > y.min() - 3 * unit).all()
    assert (forecast < y.max() + 3 * unit).all()
    assert np.ptp(forecast) > 1e-3 * unit


def test_an_overflowing_compiled_forecast_warns_naming_the_step():
    grow = 1.1 ** np.arange(60)
    rnn = RNNRegressor(
        "simple",
        units=4,
        activation="linear",
        epochs=200,
        learning_rate=0.01,
        random_state=0,
    )
    f = RecursiveForecaster(rnn, window=3, scale=False).fit(None, grow)
    with pytest.warns(
        RuntimeWarning, match=r"overflows at step (\d+) of 3000"
    ) as record:
        forecast = f.forecast(3000)
    step = int(re.search(r"step (\d+)", str(record[0].message)).group(1))
    assert 1 < step < 3000
    assert np.isfinite(forecast[: step - 1]).all()
    assert np.isnan(forecast[step - 1 :]).all()


def test_an_overflowing_step_by_step_forecast_warns_instead_of_failing():
    growth = 1.5 ** np.arange(30)
    y = np.column_stack([growth, 1e-300 * growth])  # y_t = 1.5 y_(t-1) for both
    model = LinearRegression(fit_intercept=False)
    f = RecursiveForecaster(model, window=1, scale=False).fit(None, y)
    with pytest.warns(
        RuntimeWarning, match=r"overflows at step 17\d\d of 2000 \(series 0\)"
    ):
        forecast = f.forecast(2000)
    assert np.isnan(forecast[-1, 0])
    # The other series goes on: it overflows much later.
    expected = np.exp(np.log(1e-300) + np.arange(30, 2030) * np.log(1.5))
    np.testing.assert_allclose(forecast[:, 1], expected, rtol=1e-9)
