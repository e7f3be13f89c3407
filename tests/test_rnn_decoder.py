"""RNNRegressor(decoder=True): several outputs read as a sequence."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skrnn import DirectForecaster, RNNRegressor


def _data(n=120, steps=8, outputs=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, 2)).astype(np.float32)
    y = np.stack([X[:, -k:, 0].sum(axis=1) for k in range(1, outputs + 1)], axis=1)
    return X, y


def test_a_recurrent_decoder_gives_one_output_per_step():
    X, y = _data()
    reg = RNNRegressor(units=8, epochs=2, decoder=True, random_state=0).fit(X, y)
    names = [layer.name for layer in reg.model_.layers]
    assert "decoder_lstm" in names
    assert "decoder_input" in names
    assert reg.model_.get_layer("decoder_input").output.shape[1] == 3
    assert reg.predict(X[:5]).shape == (5, 3)
    dense = RNNRegressor(units=8, epochs=2, random_state=0).fit(X, y)
    assert "decoder_lstm" not in [layer.name for layer in dense.model_.layers]


def test_it_starts_at_the_least_squares_fit_of_each_output():
    X, y = _data()
    # One step of a vanishing learning rate: the network is still at its start.
    reg = RNNRegressor(
        units=8,
        epochs=1,
        learning_rate=1e-12,
        decoder=True,
        early_stopping=False,
        validation_fraction=0.0,
        random_state=0,
    ).fit(X, y)
    flat = X.reshape(len(X), -1).astype(np.float64)
    # skrnn's light ridge: 1e-3 of the mean variance of the inputs, per sample.
    alpha = 1e-3 * flat.var(axis=0).mean() * len(flat)
    by_hand = Ridge(alpha=alpha).fit(flat, y).predict(flat)
    np.testing.assert_allclose(reg.predict(X), by_hand, atol=1e-4)


def test_without_the_skip_the_decoder_learns_the_outputs():
    X, y = _data(n=400)
    reg = RNNRegressor(
        units=16,
        epochs=60,
        learning_rate=0.01,
        linear_skip=False,
        decoder=True,
        random_state=0,
    ).fit(X[:300], y[:300])
    assert reg.score(X[300:], y[300:]) > 0.8


def test_fits_are_reproducible():
    X, y = _data()
    params = dict(units=8, epochs=3, decoder=True, random_state=3)
    first = RNNRegressor(**params).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, RNNRegressor(**params).fit(X, y).predict(X))


def test_with_return_sequences_it_is_refused_and_the_fit_kept():
    X, y = _data()
    reg = RNNRegressor(units=8, epochs=2, decoder=True, random_state=0).fit(X, y)
    before = reg.predict(X)
    reg.set_params(return_sequences=True)
    with pytest.raises(ValueError, match="decoder=False or return_sequences=False"):
        reg.fit(X, X[:, :, 0])
    np.testing.assert_array_equal(reg.predict(X), before)


def test_a_direct_forecaster_with_a_decoder_in_a_grid_search():
    t = pd.period_range("2000-01", periods=240, freq="M")
    y = pd.Series(np.sin(2 * np.pi * np.arange(240) / 12), index=t)
    search = GridSearchCV(
        DirectForecaster(
            RNNRegressor(units=8, epochs=3, random_state=0),
            horizon=6,
            window=12,
            differences=0,
            seasonal_differences=0,
        ),
        {"estimator__decoder": [False, True]},
        cv=TimeSeriesSplit(2, test_size=6),
        scoring="neg_mean_absolute_error",
    ).fit(pd.DataFrame(index=t), y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    forecast = search.best_estimator_.forecast(9)
    assert len(forecast) == 9
    assert np.isfinite(forecast).all()
