"""The classifier's sequence normalisation and the convolution front-end."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import RNNClassifier, RNNRegressor

# Small networks: two narrow convolution blocks and a narrow recurrent layer.
SMALL = dict(units=4, conv_filters=(4, 4), conv_kernel_size=3, epochs=3, random_state=0)


def _znorm(X):
    """Reference z-normalisation per sequence and feature over observed steps."""
    mean = np.nanmean(X, axis=1, keepdims=True)
    std = np.nanstd(X, axis=1, keepdims=True)
    return (X - mean) / np.where(std > 0, std, 1.0)


@pytest.fixture(scope="module")
def shape_data():
    """Two classes that differ in shape (a bump early or late), each sequence
    at its own level and scale."""
    rng = np.random.default_rng(0)
    n, steps = 48, 16
    t = np.arange(steps)
    late = rng.integers(0, 2, size=n).astype(bool)
    centre = np.where(late, 11, 4)[:, None]
    bump = np.exp(-0.5 * ((t[None, :] - centre) / 1.5) ** 2)
    level = rng.normal(0, 10, size=(n, 1))
    scale = rng.uniform(0.5, 20, size=(n, 1))
    X = level + scale * (bump + 0.05 * rng.normal(size=(n, steps)))
    return X[:, :, None], np.where(late, "late", "early")


def test_defaults_are_normalised_conv_lstm():
    params = RNNClassifier().get_params()
    assert params["normalize"] == "sequence"
    assert params["conv_filters"] == (64, 64, 64)
    assert params["conv_kernel_size"] == (8, 5, 3)
    assert params["conv_strides"] == "auto"
    assert params["epochs"] == "auto"
    assert params["layer_dropout"] == "auto"
    # The regressor shares the convolution knobs, off by default, and has no
    # per-sequence normalisation: a window's level is what it forecasts.
    reg = RNNRegressor().get_params()
    assert reg["conv_filters"] == ()
    assert "normalize" not in reg
    assert reg["epochs"] == 100
    assert reg["conv_strides"] == 1
    assert reg["layer_dropout"] == 0.0
    assert params["batch_size"] == reg["batch_size"] == "auto"


def test_auto_layer_dropout_drops_the_recurrent_branch_only(shape_data):
    import keras

    X, y = shape_data
    clf = RNNClassifier(**{**SMALL, "units": (4, 4)}).fit(X, y)
    drops = [
        layer for layer in clf.model_.layers if isinstance(layer, keras.layers.Dropout)
    ]
    # One Dropout(0.8), on the last recurrent state where it joins the
    # pooled convolution features; none between the recurrent layers.
    assert [(layer.name, layer.rate) for layer in drops] == [("recurrent_dropout", 0.8)]
    assert clf.model_.get_layer("conv_concat").input[0].name == drops[0].output.name
    # Without a convolution branch, or without a recurrent one, "auto" adds
    # none, and a rate means what it always meant: one Dropout per layer.
    for params in ({"conv_filters": ()}, {"units": ()}, {"layer_dropout": 0.0}):
        model = RNNClassifier(**{**SMALL, **params}).fit(X, y)
        assert not [
            layer
            for layer in model.model_.layers
            if isinstance(layer, keras.layers.Dropout)
        ]
    rate = RNNClassifier(**{**SMALL, "units": (4, 4)}, layer_dropout=0.3).fit(X, y)
    names = [layer.name for layer in rate.model_.layers]
    assert "recurrent_dropout" not in names
    assert {"lstm_0_dropout", "lstm_1_dropout"} <= set(names)
    # The branch dropout is seeded (the same fit twice) and off at predict.
    again = clone(clf).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize(
    ("n_timesteps", "strides"), [(16, (1, 1)), (400, (1, 1)), (401, (2, 1))]
)
def test_auto_strides_keep_at_most_400_steps(n_timesteps, strides):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(8, n_timesteps, 1))
    y = np.array(["a", "b"] * 4)
    clf = RNNClassifier(**{**SMALL, "epochs": 1}, conv_strides="auto").fit(X, y)
    assert clf._spec.conv_strides == strides
    assert [clf.model_.get_layer(f"conv_{i}").strides for i in (0, 1)] == list(strides)


@pytest.mark.parametrize(
    ("n_samples", "batch_size", "validation_fraction", "epochs"),
    [
        (50, 32, 0.0, 500),  # 2 batches: 1,000 steps need 500 epochs
        (70, 32, 0.0, 334),  # 3 batches
        (700, 32, 0.0, 100),  # 22 batches: at least 100 epochs
        (50, 32, 0.5, 1000),  # 25 trained on: 1 batch
    ],
)
def test_auto_epochs_give_at_least_1000_steps(
    n_samples, batch_size, validation_fraction, epochs
):
    from skrnn.rnn._base import _auto_epochs

    assert _auto_epochs(n_samples, batch_size, validation_fraction) == epochs


@pytest.mark.parametrize(
    ("n_samples", "batch_size"),
    [(50, 32), (32_000, 32), (32_001, 64), (110_000, 128), (2_600_000, 4096)],
)
def test_auto_batch_size_keeps_an_epoch_within_1000_batches(n_samples, batch_size):
    from skrnn.rnn._base import _auto_batch_size

    assert _auto_batch_size(n_samples) == batch_size
    assert -(-n_samples // batch_size) <= max(1000, -(-n_samples // 32))


@pytest.mark.parametrize(("held_out", "batch_size"), [(0.2, 32), (0.0, 64)])
def test_auto_batch_size_counts_the_training_samples(held_out, batch_size, monkeypatch):
    # The held-out ones were counted: 40,000 windows with 20% held out (32,000
    # trained on, "32 up to 32,000 training samples") got 64.
    from skrnn import RNNRegressor
    from skrnn.rnn import _keras

    seen = {}

    def record(*args, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop before training")

    monkeypatch.setattr(_keras, "fit", record)
    X = np.zeros((40_000, 2, 1))
    X[:, :, 0] = np.arange(40_000)[:, None] % 7
    with pytest.raises(RuntimeError, match="stop before training"):
        RNNRegressor(validation_fraction=held_out).fit(X, X[:, -1, 0])
    assert seen["batch_size"] == batch_size


def test_auto_epochs_in_a_fit(shape_data):
    X, y = shape_data  # 48 samples: 2 batches of 32, 6 of 8
    clf = RNNClassifier(**{**SMALL, "epochs": "auto"}, batch_size=8)
    clf.set_params(conv_filters=(2,), units=2).fit(X[:, :4], y)
    assert clf.n_epochs_ == 167


def test_standardization_layer_matches_numpy_and_keeps_padding():
    from skrnn.rnn._keras import SequenceStandardization

    rng = np.random.default_rng(1)
    X = rng.normal(3, 5, size=(4, 9, 2)).astype(np.float32)
    X[1, :4] = np.nan  # padding: all features of the first steps
    X[2, :, 1] = 7.0  # a constant feature
    out = np.asarray(SequenceStandardization()(X))
    np.testing.assert_array_equal(np.isnan(out), np.isnan(X))
    expected = _znorm(X.astype(np.float64))
    expected[2, :, 1] = 0.0
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_shape_makes_predictions_blind_to_level_and_scale(shape_data):
    X, y = shape_data
    clf = RNNClassifier(**SMALL, normalize="shape").fit(X, y)
    moved = 100.0 + 3.0 * X
    np.testing.assert_allclose(
        clf.predict_proba(moved), clf.predict_proba(X), rtol=1e-4, atol=1e-5
    )
    raw = RNNClassifier(**SMALL, normalize=None).fit(X, y)
    assert not np.allclose(raw.predict_proba(moved), raw.predict_proba(X), atol=1e-3)


def test_normalize_is_the_same_in_fit_and_predict(shape_data):
    """Normalising inside the network equals normalising the data by hand
    before both fit and predict."""
    X, y = shape_data
    inside = RNNClassifier(**SMALL, normalize="shape").fit(X, y)
    by_hand = RNNClassifier(**SMALL, normalize=None).fit(_znorm(X), y)
    new = np.random.default_rng(2).normal(5, 3, size=(7, 16, 1))
    np.testing.assert_allclose(
        inside.predict_proba(new),
        by_hand.predict_proba(_znorm(new)),
        rtol=1e-4,
        atol=1e-5,
    )


def test_statistics_layer_matches_numpy_and_ignores_padding():
    from skrnn.rnn._keras import SequenceStatistics

    rng = np.random.default_rng(6)
    X = rng.normal(3, 5, size=(5, 9, 2)).astype(np.float32)
    X[1, :4] = np.nan  # padding
    X[2, :, 1] = -7.0  # a constant feature: std 0
    layer = SequenceStatistics()
    out = np.asarray(layer(X))
    X64 = X.astype(np.float64)
    expected = np.arcsinh(
        np.concatenate([np.nanmean(X64, axis=1), np.nanstd(X64, axis=1)], axis=1)
    )
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    assert out[2, 3] == pytest.approx(0.0, abs=1e-5)
    np.testing.assert_allclose(np.asarray(layer(X[1:2, 4:])), out[1:2], rtol=1e-5)


def test_per_step_labels_read_the_shape_only(shape_data):
    X, _ = shape_data
    steps = np.where(X[:, :, 0] > np.median(X[:, :, 0]), "up", "down")
    clf = RNNClassifier(**SMALL, return_sequences=True).fit(X, steps)
    names = {layer.name for layer in clf.model_.layers}
    assert "normalize" in names
    assert "sequence_statistics" not in names
    assert clf._spec.normalize == "shape"  # one network, one compiled template


def _gru_body(x):
    import keras

    return keras.layers.GRU(3)(x)


def test_statistics_around_a_network_body_raise_no_mask_warning(shape_data):
    """skrnn's own layers around a `network` body read padding correctly:
    only the body's layers are checked for masking."""
    import warnings

    X, y = shape_data
    X = X.copy()
    X[:5, :3] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = RNNClassifier(network=_gru_body, epochs=1, random_state=0).fit(X, y)
    assert "sequence_statistics" in {layer.name for layer in clf.model_.layers}
    assert not [w for w in caught if "mask" in str(w.message)]


def test_sequence_is_shape_where_sequences_share_level_and_scale(shape_data):
    """Statistics that do not vary over the training sequences (z-normalised
    data, up to float noise) are left out: the network is that of "shape"."""
    X, y = shape_data
    Z = _znorm(X)
    with_statistics = RNNClassifier(**SMALL).fit(Z, y)
    assert with_statistics.get_params()["normalize"] == "sequence"
    assert with_statistics._spec.normalize == "shape"
    shape = RNNClassifier(**SMALL, normalize="shape").fit(Z, y)
    np.testing.assert_array_equal(
        with_statistics.predict_proba(Z), shape.predict_proba(Z)
    )
    assert RNNClassifier(**SMALL).fit(X, y)._spec.normalize == "sequence"
    # The test is relative to the data's scale: the same data in tiny units.
    assert RNNClassifier(**SMALL).fit(1e-6 * X, y)._spec.normalize == "sequence"


def test_warm_start_keeps_the_statistics_it_continues(shape_data):
    X, y = shape_data
    clf = RNNClassifier(**SMALL, warm_start=True).fit(X, y)
    clf.fit(_znorm(X), y)  # shares one level and scale: still the same network
    assert clf._spec.normalize == "sequence"
    assert "sequence_statistics" in {layer.name for layer in clf.model_.layers}


def _activation_body(x):
    import keras

    x = keras.layers.Activation("tanh")(x)  # Keras names it "activation"
    return keras.layers.GRU(3)(x)


def test_a_network_body_may_hold_an_unnamed_activation(shape_data):
    import keras

    X, y = shape_data
    keras.backend.clear_session()  # so that Keras's automatic name is "activation"
    clf = RNNClassifier(network=_activation_body, epochs=1, random_state=0)
    assert np.isfinite(clf.fit(X, y).predict_proba(X)).all()


def test_statistics_term_starts_at_zero(shape_data):
    X, y = shape_data
    clf = RNNClassifier(**{**SMALL, "epochs": 1}, learning_rate=1e-9).fit(X, y)
    kernel = clf.model_.get_layer("statistics_output").get_weights()[0]
    np.testing.assert_allclose(kernel, 0.0, atol=1e-6)


def test_sequence_separates_classes_that_differ_only_in_level_or_scale():
    """Identical shapes; one class at a higher level and with a larger
    spread. "shape" cannot tell them apart, "sequence" can."""
    rng = np.random.default_rng(7)
    n, steps = 64, 16
    high = rng.integers(0, 2, size=n).astype(bool)
    bump = np.sin(np.linspace(0, 2 * np.pi, steps))[None, :]
    level = np.where(high, 5.0, 1.0)[:, None] + rng.normal(0, 0.5, size=(n, 1))
    spread = np.where(high, 3.0, 1.0)[:, None]
    X = (level + spread * (bump + 0.1 * rng.normal(size=(n, steps))))[:, :, None]
    y = np.where(high, "high", "low")
    params = dict(SMALL, epochs=60, conv_filters=(8,), units=8, layer_dropout=0.0)
    assert RNNClassifier(**params).fit(X[:48], y[:48]).score(X[48:], y[48:]) >= 0.9
    blind = RNNClassifier(**params, normalize="shape").fit(X[:48], y[:48])
    assert blind.score(X[48:], y[48:]) <= 0.75


def test_shape_learns_shapes_that_raw_input_hides(shape_data):
    X, y = shape_data
    # 60 epochs of one batch: too few steps for the recurrent branch to
    # learn through the default dropout of 0.8 ("auto"), enough without it.
    params = dict(SMALL, epochs=60, conv_filters=(8,), units=8, layer_dropout=0.0)
    normalised = RNNClassifier(**params, normalize="shape").fit(X[:32], y[:32])
    assert normalised.score(X[32:], y[32:]) >= 0.9


@pytest.mark.parametrize("strides", [1, (2, 1)])
def test_conv_front_end_masks_padding(strides, shape_data):
    """A sequence predicts the same alone as padded in a batch of longer
    ones, and sequences longer than every training one are read whole."""
    X, y = shape_data
    rng = np.random.default_rng(3)
    train = [X[i, rng.integers(0, 6) :] for i in range(len(X))]
    clf = RNNClassifier(**SMALL, conv_strides=strides).fit(train, y)
    assert clf.sequence_shape_ == (16, 1)
    tests = [rng.normal(size=(n, 1)) for n in (30, 5, 11)]
    batch = clf.predict_proba(tests)
    for seq, proba in zip(tests, batch, strict=True):
        np.testing.assert_allclose(clf.predict_proba(seq[None]), [proba], atol=1e-5)
    long = tests[0]
    assert not np.allclose(
        clf.predict_proba(long[None]), clf.predict_proba(long[None, -16:])
    )


def test_end_padding_reads_as_start_padding(shape_data):
    """A strided convolution's grid ends at the last step: sequences padded
    at their end (NaN after the last observation, which skrnn accepts) are
    read as the same sequences padded at their start, in fit and predict."""
    X, y = shape_data
    rng = np.random.default_rng(4)
    lengths = rng.integers(5, 17, size=len(X))
    start = np.full(X.shape, np.nan, np.float32)
    end = np.full(X.shape, np.nan, np.float32)
    for i, n in enumerate(lengths):
        start[i, -n:], end[i, :n] = X[i, -n:], X[i, -n:]
    params = dict(SMALL, conv_strides=(2, 1))
    fitted = [RNNClassifier(**params).fit(a, y) for a in (start, end)]
    for a in (start, end):
        np.testing.assert_allclose(
            fitted[0].predict_proba(a), fitted[1].predict_proba(a), atol=1e-6
        )
    np.testing.assert_allclose(
        fitted[0].predict_proba(start), fitted[0].predict_proba(end), atol=1e-6
    )
    # The gradient diagnostics read them so too, each norm at its own step.
    from skrnn.rnn import time_step_gradients

    norms = [time_step_gradients(fitted[0], a, y, average=False) for a in (start, end)]
    assert np.isfinite(norms[0][~np.isnan(start[..., 0])]).all()
    for i, n in enumerate(lengths):
        np.testing.assert_allclose(norms[1][i, :n], norms[0][i, -n:], rtol=1e-4)
        assert np.isnan(norms[1][i, n:]).all()


def test_conv_knobs_build_what_they_say(shape_data):
    X, y = shape_data
    clf = RNNClassifier(
        **{**SMALL, "conv_filters": (3, 5), "conv_kernel_size": (7, 2)},
        conv_strides=(2, 1),
    ).fit(X, y)
    blocks = [clf.model_.get_layer(f"conv_{i}") for i in (0, 1)]
    assert [b.conv.filters for b in blocks] == [3, 5]
    assert [b.conv.kernel_size for b in blocks] == [(7,), (2,)]
    assert [b.strides for b in blocks] == [2, 1]
    names = [layer.name for layer in clf.model_.layers]
    assert {
        "normalize",
        "sequence_statistics",
        "conv_pool",
        "conv_concat",
        "lstm_0",
    } <= set(names)
    # The recurrent layer reads the strided features: half the steps.
    import keras

    features = keras.Model(clf.model_.input, clf.model_.get_layer("conv_1").output)
    assert tuple(features(X[:3].astype(np.float32)).shape) == (3, 8, 5)
    fcn = RNNClassifier(**{**SMALL, "units": ()}).fit(X, y)
    fcn_names = [layer.name for layer in fcn.model_.layers]
    assert "lstm_0" not in fcn_names
    assert "conv_pool" in fcn_names
    plain = RNNClassifier(**{**SMALL, "conv_filters": ()}, normalize=None).fit(X, y)
    plain_names = {layer.name for layer in plain.model_.layers}
    assert not plain_names & {
        "conv_0",
        "conv_pool",
        "normalize",
        "sequence_statistics",
    }


def test_no_conv_filters_turns_the_default_blocks_off(shape_data):
    # The default per-block kernel sizes (8, 5, 3) are not asked to match.
    X, y = shape_data
    clf = RNNClassifier(units=4, epochs=1, random_state=0, conv_filters=())
    names = {layer.name for layer in clf.fit(X, y).model_.layers}
    assert "lstm_0" in names
    assert not any(name.startswith("conv_") for name in names)


def test_regressor_takes_the_conv_front_end():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(40, 12, 2))
    y = X[:, -3:, 0].sum(axis=1)
    reg = RNNRegressor(units=4, conv_filters=4, conv_kernel_size=3, epochs=3)
    reg.set_params(random_state=0).fit(X, y)
    assert reg.model_.get_layer("conv_0").conv.filters == 4
    assert np.isfinite(reg.predict(X)).all()


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        (dict(normalize="minmax"), InvalidParameterError, "normalize"),
        (dict(conv_filters=0), InvalidParameterError, "conv_filters"),
        (dict(conv_filters=(4, -1)), ValueError, "conv_filters"),
        (dict(conv_kernel_size=0), InvalidParameterError, "conv_kernel_size"),
        (dict(conv_kernel_size=(3, 3, 3)), ValueError, "one per entry"),
        (dict(conv_strides=(2,)), ValueError, "conv_strides"),
        (dict(conv_strides=1.5), InvalidParameterError, "conv_strides"),
        (dict(conv_strides="half"), InvalidParameterError, "conv_strides"),
        (dict(epochs="many"), InvalidParameterError, "epochs"),
        (dict(batch_size="large"), InvalidParameterError, "batch_size"),
        (dict(layer_dropout="LSTM-FCN"), InvalidParameterError, "layer_dropout"),
        (dict(units=(), conv_filters=()), ValueError, "at least one layer"),
        (dict(units=(), attention=True), ValueError, "attention"),
    ],
)
def test_bad_knob_values_are_refused(params, error, message, shape_data):
    X, y = shape_data
    with pytest.raises(error, match=message):
        RNNClassifier(**{**SMALL, **params}).fit(X, y)


def test_seeded_fits_are_reproducible(shape_data):
    X, y = shape_data
    a = RNNClassifier(**SMALL).fit(X, y).predict_proba(X)
    b = RNNClassifier(**SMALL).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    other = RNNClassifier(**{**SMALL, "random_state": 1}).fit(X, y)
    assert not np.allclose(other.predict_proba(X), a)


# Slow (about 20 s): run with -m slow; test_rnn.py grid-searches network
# knobs in the default run.
@pytest.mark.slow
def test_new_knobs_are_grid_searchable_and_distinct_networks(shape_data):
    X, y = shape_data
    grid = GridSearchCV(
        RNNClassifier(**SMALL),
        {
            "normalize": ["sequence", "shape", None],
            "conv_filters": [(4,), (4, 4)],
            "conv_strides": [1, 2],
        },
        cv=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 12
    assert grid.best_estimator_.get_params()["conv_filters"] in [(4,), (4, 4)]
    specs = {
        clone(RNNClassifier(**SMALL)).set_params(**p).fit(X, y)._spec
        for p in (
            {},
            {"normalize": None},
            {"normalize": "shape"},
            {"conv_kernel_size": 5},
            {"conv_strides": 2},
            {"conv_filters": (4, 6)},
        )
    }
    assert len(specs) == 6  # each knob is part of the compiled-template key


def test_warm_start_refuses_another_front_end(shape_data):
    X, y = shape_data
    clf = RNNClassifier(**SMALL, warm_start=True).fit(X, y)
    clf.set_params(conv_filters=(4, 8))
    with pytest.raises(ValueError, match="conv_filters"):
        clf.fit(X, y)


def test_pickle_round_trip_keeps_normalisation_and_convolutions(shape_data):
    X, y = shape_data
    clf = RNNClassifier(**SMALL, conv_strides=(2, 1)).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(again.predict_proba(X), clf.predict_proba(X), rtol=1e-6)
