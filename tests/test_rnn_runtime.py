"""skrnn's Keras runtime: no global side effects, the template cache, threads,
and divergence detection (issues 11.12, 17.3, 18 D3-D6, 16.3)."""

import functools
import random
import subprocess
import sys
import threading

import keras
import numpy as np
import pytest
from sklearn.base import clone

from skrnn import RNNClassifier, RNNRegressor
from skrnn.rnn import _keras, clear_cache

FAST = {"units": 4, "epochs": 2, "random_state": 0}


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 6, 1)).astype(np.float32)
    return X, X[:, -2:, 0].sum(axis=1)


_IMPORT_AND_FIT = """
import logging, os, sys
import numpy as np
env_before = dict(os.environ)
from skrnn.rnn import _keras
import tensorflow as tf
assert dict(os.environ) == env_before, "the environment changed on import"
assert not tf.get_logger().filters, tf.get_logger().filters
threads = tf.config.threading
assert threads.get_intra_op_parallelism_threads() == 0
from skrnn import RNNRegressor
X = np.random.default_rng(0).normal(size=(40, 5, 1)); y = X[:, -1, 0]
RNNRegressor(units=4, epochs=2, random_state=0).fit(X, y).predict(X)
assert not tf.get_logger().filters, tf.get_logger().filters
print("done")
"""


def test_import_and_fit_change_nothing_global_and_print_nothing():
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("TF_CPP_MIN_LOG_LEVEL", "OMP_NUM_THREADS")
    }
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_AND_FIT],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "done\n"
    # TensorFlow's start-up lines (CUDA stubs, cuInit, CPU features) are hidden
    assert result.stderr == ""


def test_tensorflow_verbosity_is_the_users_choice():
    env = {**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "0"}
    code = (
        "from skrnn.rnn import _keras; import os; "
        "print(os.environ['TF_CPP_MIN_LOG_LEVEL'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0\n"


def test_first_fit_of_an_architecture_leaves_python_random_alone(data):
    X, y = data
    clear_cache()
    random.seed(7)
    expected = [random.random() for _ in range(3)]
    random.seed(7)
    RNNRegressor(units=5, epochs=1).fit(X, y)  # unseeded, new template
    RNNRegressor(units=5, epochs=1, random_state=1).fit(X, y)
    assert [random.random() for _ in range(3)] == expected


def _body(x, width=6):
    x = keras.layers.GRU(width)(x)
    return keras.layers.Dropout(0.1)(x)


def test_seeded_network_fits_in_threads_equal_serial_fits(data):
    """D5: layers of a ``network`` callable take their seeds from Python's
    random; skrnn builds them from a private seed under a lock."""
    X, y = data
    params = [{"network": _body, "epochs": 2, "random_state": s} for s in range(4)]
    serial = [RNNRegressor(**p).fit(X, y).predict(X) for p in params]
    results = [None] * len(params)

    def fit(i):
        results[i] = RNNRegressor(**params[i]).fit(X, y).predict(X)

    threads = [threading.Thread(target=fit, args=(i,)) for i in range(len(params))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for ours, theirs in zip(results, serial, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_predictions_of_one_architecture_do_not_wait_for_each_other(data):
    """A thread that holds a template does not block another thread's
    prediction with the same architecture: that one borrows another."""
    X, y = data
    reg = RNNRegressor(**FAST).fit(X, y)
    expected = reg.predict(X)
    spec = _keras._masked_if_padded(reg._spec, X)
    got = []
    with _keras._borrowed_template(spec):
        thread = threading.Thread(target=lambda: got.append(reg.predict(X)))
        thread.start()
        thread.join(timeout=120)
        assert not thread.is_alive(), "the prediction waited for the template"
    np.testing.assert_array_equal(got[0], expected)


@pytest.mark.parametrize(
    "loss",
    [
        functools.partial(keras.losses.huber, delta=0.5),
        keras.losses.Huber(delta=0.5),
    ],
    ids=["partial", "loss-object"],
)
def test_clones_share_one_compiled_template(data, loss):
    X, y = data
    clear_cache()
    est = RNNRegressor(**FAST, loss=loss)
    clone(est).fit(X, y)
    clone(est).fit(X, y)
    assert len(_keras._TEMPLATES) == 1


def test_clear_cache_drops_templates_and_fitted_models_still_work(data):
    X, y = data
    reg = RNNRegressor(**FAST).fit(X, y)
    before = reg.predict(X)
    assert _keras._TEMPLATES
    clear_cache()
    assert not _keras._TEMPLATES
    np.testing.assert_array_equal(reg.predict(X), before)


# Slow (about 25 s, 17 architectures compiled): run with -m slow.
@pytest.mark.slow
def test_a_grid_of_architectures_stays_in_the_cache(data):
    """D4: a grid over more architectures than the old cache held (16)
    compiles each architecture once: the first is still there at the end."""
    X, y = data
    clear_cache()
    built = []
    original = _keras._Template.__init__

    def counting(self, spec):
        built.append(spec)
        original(self, spec)

    grid = [("simple", units) for units in range(2, 19)]  # 17 architectures
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_keras._Template, "__init__", counting)
        for cell, units in [*grid, grid[0]]:
            RNNRegressor(cell, units=units, epochs=1, random_state=0).fit(X, y)
    assert len(built) == len(grid)


@pytest.mark.parametrize("linear_skip", [True, False])
@pytest.mark.parametrize("learning_rate", [1e6, 1e12])
def test_a_loss_that_explodes_is_reported_with_advice(data, learning_rate, linear_skip):
    """D3: a loss far above its start (not NaN yet) is divergence, with or
    without a least-squares start."""
    X, y = data
    reg = RNNRegressor(
        units=8,
        epochs=5,
        learning_rate=learning_rate,
        linear_skip=linear_skip,
        random_state=0,
    )
    with pytest.raises(FloatingPointError, match=r"diverged.*learning_rate"):
        reg.fit(X, y)
    assert not hasattr(reg, "model_")


@pytest.mark.parametrize(("optimizer", "learning_rate"), [("sgd", 1e3), ("adam", 100)])
def test_a_classifier_whose_loss_explodes_is_reported(optimizer, learning_rate):
    """Cross-entropy grows with the logits: 50-400x its chance level, not
    1000x, is a diverged classifier (saturated, wrong probabilities)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 8, 1)).astype(np.float32)
    y = (X[:, -3:, 0].sum(axis=1) > 0).astype(int)
    clf = RNNClassifier(
        units=4,
        conv_filters=(),
        epochs=10,
        optimizer=optimizer,
        learning_rate=learning_rate,
        random_state=0,
    )
    with pytest.raises(FloatingPointError, match=r"diverged.*scale X \(e\.g\."):
        clf.fit(X, y)


def test_healthy_training_is_not_called_divergence(data):
    X, y = data
    for lr in (1e-3, 1e-2, 0.1):
        RNNRegressor(units=8, epochs=20, learning_rate=lr, random_state=0).fit(X, y)
    labels = (y > 0).astype(int)
    RNNClassifier(units=8, epochs=20, learning_rate=0.1, random_state=0).fit(X, labels)


def test_intermittent_targets_are_not_called_divergence():
    """Unscaled spikes among zeros: a batch of zeros has a loss far below
    the mean, so the scale is the loss over all the training data."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((400, 8)).astype(np.float32)
    y = np.where(rng.random(400) < 0.03, 100.0, 0.0)
    for seed in (0, 1, 6):  # a first batch of zeros with these seeds
        RNNRegressor(units=4, epochs=3, linear_skip=False, random_state=seed).fit(X, y)


def _body_with_a_python_op(x):
    # tf.py_function runs Python: XLA cannot compile it.
    import tensorflow as tf

    x = keras.layers.GRU(4)(x)
    return keras.layers.Lambda(
        lambda t: tf.ensure_shape(
            tf.py_function(lambda a: a * 1.0, [t], tf.float32), t.shape
        ),
        output_shape=(4,),
    )(x)


def _record_xla_paths(monkeypatch):
    paths = []
    train_epoch = _keras._Template.train_epoch

    def recorded(self, *args):
        paths.append(args[-1])
        return train_epoch(self, *args)

    monkeypatch.setattr(_keras._Template, "train_epoch", recorded)
    return paths


def test_fits_switch_to_xla_once_they_run_long(data, monkeypatch):
    """Rent or buy: a fit that early stopping may end trains in the plain
    graph until it has run XLA_AFTER_TIMESTEPS time steps, then compiles; the
    switch depends on the fit alone, so a seeded fit gives the same model
    whatever ran before."""
    X, y = data  # 48 samples of 6 steps: 2 batches, 12 time steps an epoch
    monkeypatch.setattr(_keras, "XLA_AFTER_TIMESTEPS", 24)
    paths = _record_xla_paths(monkeypatch)
    clear_cache()
    settings = {  # every sample trains; patience outlasts the epochs
        "units": 4,
        "random_state": 0,
        "early_stopping": True,
        "patience": 10,
        "validation_fraction": 0.0,
    }
    first = RNNRegressor(epochs=4, **settings).fit(X, y)
    assert paths == [False, False, True, True]
    again = RNNRegressor(epochs=4, **settings).fit(X, y)  # XLA compiled by now
    assert paths[4:] == [False, False, True, True]
    np.testing.assert_array_equal(first.predict(X), again.predict(X))
    # Switching to XLA mid-fit trains the model the graph alone trains.
    monkeypatch.setattr(_keras, "XLA_AFTER_TIMESTEPS", 10**9)
    graph_only = RNNRegressor(epochs=4, **settings).fit(X, y)
    np.testing.assert_allclose(
        first.history_["loss"], graph_only.history_["loss"], rtol=1e-4
    )


def test_fits_of_known_length_decide_on_xla_at_once(data, monkeypatch):
    """Without early stopping or callbacks a fit's length is known: it
    compiles from the first epoch if it will run XLA_PLANNED_TIMESTEPS time
    steps, and never otherwise, whatever the rent-or-buy rule would do."""
    X, y = data  # 12 time steps an epoch
    monkeypatch.setattr(_keras, "XLA_AFTER_TIMESTEPS", 0)
    monkeypatch.setattr(_keras, "XLA_PLANNED_TIMESTEPS", 48)
    paths = _record_xla_paths(monkeypatch)
    settings = {"units": 4, "random_state": 0, "early_stopping": False}
    RNNRegressor(epochs=4, validation_fraction=0.0, **settings).fit(X, y)
    assert paths == [True] * 4
    RNNRegressor(epochs=3, validation_fraction=0.0, **settings).fit(X, y)
    assert paths[4:] == [False] * 3  # 36 time steps do not pay
    # A callback may end a fit early: rent or buy again.
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=10)
    RNNRegressor(epochs=2, callbacks=[stop], **settings).fit(X, y)
    assert paths[7:] == [True] * 2


def test_a_network_xla_cannot_compile_trains_in_the_plain_graph(data, monkeypatch):
    """Training steps are XLA-compiled; a body XLA refuses still trains."""
    X, y = data
    monkeypatch.setattr(_keras, "XLA_AFTER_TIMESTEPS", 0)  # XLA from the first epoch
    reg = RNNRegressor(network=_body_with_a_python_op, epochs=10, random_state=0)
    reg.fit(X, y)
    assert np.isfinite(reg.predict(X)).all()
    assert len(reg.history_["loss"]) == 10


def test_a_classifier_holds_out_every_class_in_proportion():
    """The random validation hold-out of a classifier is stratified: a rare
    class keeps training samples (a plain random subset could take them
    all), and the held-out share of each class is the fraction asked."""
    X = np.zeros((60, 2, 1), np.float32)
    y = np.r_[np.zeros(50, int), np.ones(8, int), [2, 2]]
    w = np.ones(60, np.float32)
    for seed in range(20):
        rng = np.random.default_rng(seed)
        (_, y_train, _), (_, y_val, _) = _keras._split_validation(
            X, y, w, 0.5, shuffle=True, rng=rng
        )
        assert np.bincount(y_train).tolist() == [25, 4, 1]
        assert np.bincount(y_val).tolist() == [25, 4, 1]
    # Small classes: the int(n * fraction) samples asked are held out.
    for counts, fraction in [((5, 5), 0.1), ((4,) * 10, 0.1), ((15,) * 3, 0.1)]:
        y = np.repeat(np.arange(len(counts)), counts)
        n = len(y)
        (_, y_train, _), (_, y_val, _) = _keras._split_validation(
            np.zeros((n, 2, 1)), y, np.ones(n), fraction, shuffle=True, rng=rng
        )
        assert len(y_val) == int(n * fraction)
        assert set(y_train) == set(y)
    # Regression keeps the latest samples for validation.
    (x_train, _, _), (x_val, _, _) = _keras._split_validation(
        np.arange(10.0), np.arange(10.0), np.ones(10), 0.2, shuffle=False, rng=rng
    )
    assert x_val.tolist() == [8.0, 9.0]
    assert x_train.tolist() == list(range(8))


def test_a_target_with_a_large_level_is_not_called_divergence():
    """The least-squares start sets the output bias near the target's level
    (here 2e6): a large weight that training did not move is not divergence."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 8, 1)).astype(np.float32)
    y = 2e6 + 1000 * X[:, -1, 0]
    reg = RNNRegressor(units=4, epochs=3, random_state=0).fit(X, y)
    assert reg.score(X, y) > 0.99


def test_inputs_with_a_large_level_are_not_called_divergence():
    """BatchNormalization's running mean follows raw inputs around 1e7 (it
    moved by 9e11 and was called divergence): only trainable weights count."""
    rng = np.random.default_rng(0)
    X = 1e7 + 1e6 * rng.normal(size=(60, 20, 1))
    y = (X[:, :, 0].mean(axis=1) > 1e7).astype(int)
    clf = RNNClassifier(
        normalize=None,
        conv_filters=(4,),
        conv_kernel_size=3,
        units=4,
        epochs=3,
        random_state=0,
    ).fit(X, y)
    assert np.abs(clf.model_.get_layer("conv_0").norm.moving_mean.numpy()).max() > 1e6
