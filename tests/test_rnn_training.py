"""skrnn's compiled training against Keras's ``model.fit`` (issue 19.1).

skrnn runs a whole epoch as one graph call in a shared template (see
skrnn/rnn/_keras.py). These tests hold it to Keras: the same network, the
same initial weights and the same batches give the same loss every epoch
and the same final weights, within float32 tolerance.
"""

import keras
import numpy as np
import pytest

from skrnn import RNNClassifier, RNNRegressor
from skrnn.rnn import _keras
from skrnn.rnn._base import _auto_batch_size

# The network Keras builds here: no linear skip, all samples trained on.
PLAIN = {"linear_skip": False, "early_stopping": False, "validation_fraction": 0.0}


def _keras_twin(estimator, X, y, *, loss, sample_weight=None, epochs):
    """Keras's own fit of the network ``estimator`` started from: the same
    architecture and initial weights, batches in order."""
    spec = estimator._spec
    model = _keras.build_network(spec, estimator._keras_seed())
    model.compile(optimizer=keras.optimizers.Adam(estimator.learning_rate), loss=loss)
    history = model.fit(
        X,
        y,
        sample_weight=sample_weight,
        batch_size=_auto_batch_size(len(X)),  # the estimators' "auto": 32 here
        epochs=epochs,
        shuffle=False,
        verbose=0,
    )
    return model, history.history["loss"]


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
def test_regressor_epochs_equal_keras_fit(cell):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(75, 7, 2)).astype(np.float32)  # a last partial batch
    y = rng.normal(size=75).astype(np.float32)
    epochs = 4
    est = RNNRegressor(
        cell, units=8, epochs=epochs, shuffle=False, random_state=0, **PLAIN
    ).fit(X, y)
    model, keras_losses = _keras_twin(est, X, y[:, None], loss="mse", epochs=epochs)
    np.testing.assert_allclose(est.history_["loss"], keras_losses, rtol=2e-5)
    for ours, theirs in zip(est.model_.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


def test_sample_weights_reduce_like_keras():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(75, 6, 1)).astype(np.float32)
    y = rng.normal(size=75).astype(np.float32)
    w = rng.uniform(0.1, 3.0, size=75).astype(np.float32)
    est = RNNRegressor(units=4, epochs=3, shuffle=False, random_state=3, **PLAIN)
    est.fit(X, y, sample_weight=w)
    _, keras_losses = _keras_twin(
        est, X, y[:, None], loss="mse", sample_weight=w, epochs=3
    )
    np.testing.assert_allclose(est.history_["loss"], keras_losses, rtol=2e-5)


def test_classifier_epochs_equal_keras_fit():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(70, 5, 1)).astype(np.float32)
    labels = rng.integers(0, 3, size=70)
    est = RNNClassifier(units=6, epochs=3, shuffle=False, random_state=0)
    est.fit(X, labels)
    _, keras_losses = _keras_twin(
        est, X, labels, loss="sparse_categorical_crossentropy", epochs=3
    )
    np.testing.assert_allclose(est.history_["loss"], keras_losses, rtol=2e-5)


def test_shuffle_draws_a_new_order_every_epoch():
    """Keras's seeded ``fit`` repeats one order every epoch (see
    docs/user_guide/networks.rst); skrnn draws a new one, as Keras does
    unseeded, and ``shuffle=False`` keeps the data order."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 5, 1)).astype(np.float32)
    y = rng.normal(size=64)
    fits = {
        shuffle: RNNRegressor(
            units=4, epochs=3, shuffle=shuffle, random_state=0, **PLAIN
        ).fit(X, y)
        for shuffle in (True, False)
    }
    assert fits[True].history_["loss"] != fits[False].history_["loss"]
    again = RNNRegressor(units=4, epochs=3, shuffle=True, random_state=0, **PLAIN).fit(
        X, y
    )
    assert again.history_["loss"] == fits[True].history_["loss"]
