"""RecursiveForecaster's "auto" choices (season, differencing, window) and the
linear skip connection of RNNRegressor they are paired with."""

import collections

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression

from skrnn import RecursiveForecaster, RNNRegressor
from skrnn.forecasting import _auto
from skrnn.forecasting._auto import (
    ar_order,
    choose_differencing,
    season_from_index,
)
from skrnn.forecasting._time import TimeAxis


@pytest.mark.parametrize(
    ("index", "season"),
    [
        (pd.period_range("2000-01", periods=30, freq="M"), 12),
        (pd.date_range("2000-01-01", periods=30, freq="MS"), 12),
        (pd.date_range("2000-01-31", periods=30, freq="ME"), 12),
        (pd.period_range("2000Q1", periods=30, freq="Q"), 4),
        (pd.date_range("2000-01-01", periods=30, freq="QS-OCT"), 4),
        (pd.date_range("2000-01-02", periods=30, freq="W-SUN"), 52),
        (pd.date_range("2000-01-02", periods=30, freq="7D"), 52),  # was None
        (pd.date_range("2000-01-02", periods=30, freq="14D"), 26),
        (pd.date_range("2000-01-01", periods=30, freq="D"), 7),
        (pd.date_range("2000-01-03", periods=30, freq="B"), 5),
        (pd.date_range("2000-01-01", periods=30, freq="h"), 24),
        (pd.date_range("2000-01-01", periods=30, freq="2MS"), 6),
        (pd.date_range("2000-01-01", periods=30, freq="5MS"), None),
        (pd.period_range("1900", periods=30, freq="Y"), None),
        (pd.date_range("2000-01-01", periods=30, freq="min"), None),
        (pd.RangeIndex(30), None),
        (None, None),
    ],
)
def test_the_season_is_read_from_the_frequency(index, season):
    assert season_from_index(TimeAxis(index)) == season


def _seasonal_trend(n=144, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return (0.05 * t + np.sin(2 * np.pi * t / 12) + 0.1 * rng.normal(size=n))[:, None]


def _seasonal_walk(n_years=20, seed=0):
    """Each month wanders on its own (y[t] = y[t-12] + drift + noise): only
    the seasonal difference makes it stationary (chosen for seeds 0-7)."""
    rng = np.random.default_rng(seed)
    y = np.sin(2 * np.pi * np.arange(12) / 12)
    for _ in range(n_years - 1):
        y = np.concatenate([y, y[-12:] + 0.05 + 0.3 * rng.normal(size=12)])
    return y[:, None]


def test_a_seasonal_random_walk_is_differenced_at_its_season():
    y = _seasonal_walk()
    candidates = [(0, False), (1, False), (0, True), (1, True)]
    assert choose_differencing(y, candidates, 12)[1] is True


def test_a_stationary_series_is_not_differenced():
    rng = np.random.default_rng(0)
    e = rng.normal(size=300)
    y = np.empty(300)
    y[0] = 0.0
    for t in range(1, 300):
        y[t] = 0.5 * y[t - 1] + e[t]
    assert choose_differencing(y[:, None], [(0, False), (1, False)], None) == (0, False)


def _seasonal_panel(n_series=20, n=120, seed=0):
    """Trend, a yearly season of random amplitude and phase, AR(1) noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    columns = []
    for _ in range(n_series):
        noise = np.zeros(n)
        phi = rng.uniform(0.2, 0.8)
        for i in range(1, n):
            noise[i] = phi * noise[i - 1] + rng.normal(scale=0.5)
        amplitude, phase = rng.uniform(1, 8), rng.uniform(0, 6.3)
        season = amplitude * np.sin(2 * np.pi * t / 12 + phase)
        columns.append(rng.uniform(-0.1, 0.1) * t + season + noise)
    return np.column_stack(columns)


def test_a_panel_is_differenced_for_its_pooled_model():
    """The choice is scored by one autoregression for all series, the
    global network's linear start: pooled, these series forecast best from
    their seasonal differences, though one by one most of them take a
    regular difference."""
    y = _seasonal_panel()
    candidates = [(0, False), (1, False), (0, True), (1, True)]
    assert choose_differencing(y, candidates, 12) == (0, True)
    alone = [choose_differencing(y[:, [j]], candidates, 12) for j in range(20)]
    assert alone.count((1, False)) >= 10


def _scored_origins(monkeypatch, y, candidates, season):
    """The ends of the training parts each candidate is scored on."""
    ends = collections.defaultdict(list)
    forecast = _auto._pooled_linear_forecast

    def recorded(part, differences, lag, *args):
        ends[differences, lag is not None].append(len(part))
        return forecast(part, differences, lag, *args)

    monkeypatch.setattr(_auto, "_pooled_linear_forecast", recorded)
    _auto._choose_differencing(y, candidates, season, None, 6)
    return dict(ends)


def test_candidates_are_scored_from_6_origins_or_at_least_3(monkeypatch):
    candidates = [(0, False), (1, False), (0, True), (1, True)]
    ends = _scored_origins(monkeypatch, _seasonal_walk(12), candidates, 12)
    assert all(e == [144 - 12 * k for k in range(6, 0, -1)] for e in ends.values())
    # 60 points: the seasonal candidates need 34 and 36 before the first of
    # 3 origins (24 left): out; the others are scored on 4 origins.
    ends = _scored_origins(monkeypatch, _seasonal_walk(5), candidates, 12)
    assert set(ends) == {(0, False), (1, False)}
    assert all(e == [12, 24, 36, 48] for e in ends.values())


def test_a_series_too_short_to_score_keeps_the_least_differencing():
    """No candidate fits 3 origins: the given differencing is kept, not
    replaced by none."""
    y = _seasonal_walk(3)  # 36 points
    assert choose_differencing(y, [(1, False), (1, True)], 12) == (1, False)
    f = RecursiveForecaster(LinearRegression(), differences=1)
    assert f.fit(None, _monthly(y)).differences_ == 1


def test_a_given_window_is_the_one_the_candidates_are_scored_with(monkeypatch):
    windows = set()
    forecast = _auto._pooled_linear_forecast

    def recorded(part, differences, lag, steps, window):
        windows.add(window)
        return forecast(part, differences, lag, steps, window)

    monkeypatch.setattr(_auto, "_pooled_linear_forecast", recorded)
    monkeypatch.setattr(_auto, "_CHOICES", type(_auto._CHOICES)())
    RecursiveForecaster(LinearRegression(), window=3).fit(
        None, _monthly(_seasonal_walk())
    )
    assert windows == {3}


def test_a_choice_on_the_same_series_is_remembered(monkeypatch):
    """The networks of one fold choose once: same series, same answer,
    computed once; another series is chosen afresh."""
    runs = []
    choose = _auto._choose_differencing

    def counted(*args):
        runs.append(args[0].copy())
        return choose(*args)

    monkeypatch.setattr(_auto, "_choose_differencing", counted)
    monkeypatch.setattr(_auto, "_CHOICES", type(_auto._CHOICES)())
    y = _seasonal_trend()
    candidates = [(0, False), (0, True)]
    first = choose_differencing(y, candidates, 12)
    assert choose_differencing(y.copy(), candidates, 12) == first
    assert len(runs) == 1
    choose_differencing(y[1:], candidates, 12)
    choose_differencing(y, candidates, 6)
    assert len(runs) == 3


def test_a_single_candidate_is_taken_as_is():
    y = _seasonal_trend()
    assert choose_differencing(y, [(1, True)], 12) == (1, True)


def test_ar_order_finds_the_order_of_an_ar2_series():
    rng = np.random.default_rng(1)
    y = np.zeros(600)
    e = rng.normal(size=600)
    for t in range(2, 600):
        y[t] = 0.5 * y[t - 1] - 0.4 * y[t - 2] + e[t]
    assert ar_order(y[:, None]) == 2


def _monthly(values):
    index = pd.period_range("2000-01", periods=len(values), freq="M")
    return pd.Series(np.ravel(values), index=index)


def test_auto_choices_are_fitted_attributes_and_parameters_stay_auto():
    f = RecursiveForecaster(LinearRegression())
    f.fit(None, _monthly(_seasonal_walk()))
    assert f.seasonal_period_ == 12
    assert f.seasonal_differences_ == 1
    assert f.window_ >= 12
    assert f.layout_.window == f.window_
    params = f.get_params()
    assert params["window"] == params["differences"] == "auto"
    assert params["seasonal_period"] == params["seasonal_differences"] == "auto"
    assert f.forecast(12).index[0] == pd.Period("2020-01", freq="M")


def test_explicit_settings_are_used_as_given():
    f = RecursiveForecaster(
        LinearRegression(),
        window=5,
        differences=1,
        seasonal_differences=0,
        seasonal_period=None,
    ).fit(None, _monthly(_seasonal_trend()))
    assert (f.window_, f.differences_, f.seasonal_differences_) == (5, 1, 0)
    assert f.seasonal_period_ is None
    assert f.differencer_.seasonal_period is None


def test_a_season_given_as_int_overrides_the_index():
    y = _seasonal_trend()[:, 0]
    f = RecursiveForecaster(
        LinearRegression(), seasonal_period=12, seasonal_differences=1
    ).fit(None, y)  # a plain array: no index to read a season from
    assert f.seasonal_period_ == 12
    assert f.differencer_.seasonal_period == 12


def test_seasonal_differencing_without_a_season_is_refused():
    y = _seasonal_trend()[:, 0]
    with pytest.raises(ValueError, match="seasonal_period=None"):
        RecursiveForecaster(
            LinearRegression(), seasonal_differences=1, seasonal_period=None
        ).fit(None, y)
    with pytest.raises(ValueError, match="no frequency with a season"):
        RecursiveForecaster(LinearRegression(), seasonal_differences=1).fit(None, y)


@pytest.mark.parametrize(
    "params",
    [
        {"window": "large"},
        {"differences": "yes"},
        {"seasonal_differences": 2},
        {"seasonal_period": "monthly"},
    ],
)
def test_unknown_auto_values_are_refused(params):
    with pytest.raises(ValueError, match=next(iter(params))):
        RecursiveForecaster(LinearRegression(), **params).fit(
            None, _seasonal_trend()[:, 0]
        )


def test_a_short_series_gets_a_window_it_can_fit():
    y = np.sin(np.arange(12.0))
    f = RecursiveForecaster(LinearRegression()).fit(None, y)
    assert f.window_ <= len(y) - f.differences_ - 2
    assert np.isfinite(f.forecast(3)).all()


def test_auto_choices_are_remade_on_each_fit():
    f = RecursiveForecaster(LinearRegression())
    seasonal = _monthly(_seasonal_walk())
    rng = np.random.default_rng(0)
    flat = pd.Series(rng.normal(size=len(seasonal)), index=seasonal.index)
    assert clone(f).fit(None, seasonal).seasonal_differences_ == 1
    assert clone(f).fit(None, flat).seasonal_differences_ == 0


# -- RNNRegressor's linear skip ------------------------------------------------


def _linear_data(n=200, steps=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, 1))
    y = X[:, :, 0] @ np.array([0.1, -0.2, 0.3, 0.5, 1.0])[-steps:] + 0.5
    return X, y


def test_training_starts_from_the_least_squares_fit():
    X, y = _linear_data()
    reg = RNNRegressor(units=4, epochs=1, learning_rate=1e-9, random_state=0)
    reg.fit(X, y)
    linear = LinearRegression().fit(X[:, :, 0], y)
    np.testing.assert_allclose(reg.predict(X), linear.predict(X[:, :, 0]), atol=5e-3)


def test_without_the_skip_the_start_is_not_the_linear_fit():
    X, y = _linear_data()
    reg = RNNRegressor(
        units=4, epochs=1, learning_rate=1e-9, linear_skip=False, random_state=0
    ).fit(X, y)
    linear = LinearRegression().fit(X[:, :, 0], y)
    assert np.abs(reg.predict(X) - linear.predict(X[:, :, 0])).max() > 0.1
    assert "linear_skip" not in [layer.name for layer in reg.model_.layers]


def test_a_near_perfect_linear_start_is_not_taken_for_divergence():
    # The loss at the least-squares start is ~0; growing from it is not a
    # diverging optimisation (the scale is the loss of random weights).
    X, y = _linear_data()
    RNNRegressor(units=4, epochs=3, learning_rate=0.05, random_state=0).fit(X, y)


def test_the_skip_reads_shorter_and_longer_sequences():
    X, y = _linear_data()
    reg = RNNRegressor(units=4, epochs=2, random_state=0).fit(X, y)
    assert reg.predict(X[:3, 2:]).shape == (3,)
    longer = np.concatenate([X[:3], X[:3]], axis=1)
    assert np.isfinite(reg.predict(longer)).all()


def test_the_skip_is_seeded_and_pickles():
    import pickle

    X, y = _linear_data()
    a = RNNRegressor(units=4, epochs=3, random_state=0).fit(X, y)
    b = RNNRegressor(units=4, epochs=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a.predict(X), c.predict(X))
