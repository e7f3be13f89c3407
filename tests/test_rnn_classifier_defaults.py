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


def test_normalize_makes_predictions_blind_to_level_and_scale(shape_data):
    X, y = shape_data
    clf = RNNClassifier(**SMALL).fit(X, y)
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
    inside = RNNClassifier(**SMALL).fit(X, y)
    by_hand = RNNClassifier(**SMALL, normalize=None).fit(_znorm(X), y)
    new = np.random.default_rng(2).normal(5, 3, size=(7, 16, 1))
    np.testing.assert_allclose(
        inside.predict_proba(new),
        by_hand.predict_proba(_znorm(new)),
        rtol=1e-4,
        atol=1e-5,
    )


def test_normalize_learns_shapes_that_raw_input_hides(shape_data):
    X, y = shape_data
    # 60 epochs of one batch: too few steps for the recurrent branch to
    # learn through the default dropout of 0.8 ("auto"), enough without it.
    params = dict(SMALL, epochs=60, conv_filters=(8,), units=8, layer_dropout=0.0)
    normalised = RNNClassifier(**params).fit(X[:32], y[:32])
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
    assert {"normalize", "conv_pool", "conv_concat", "lstm_0"} <= set(names)
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
    assert not plain_names & {"conv_0", "conv_pool", "normalize"}


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
            "normalize": ["sequence", None],
            "conv_filters": [(4,), (4, 4)],
            "conv_strides": [1, 2],
        },
        cv=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 8
    assert grid.best_estimator_.get_params()["conv_filters"] in [(4,), (4, 4)]
    specs = {
        clone(RNNClassifier(**SMALL)).set_params(**p).fit(X, y)._spec
        for p in (
            {},
            {"normalize": None},
            {"conv_kernel_size": 5},
            {"conv_strides": 2},
            {"conv_filters": (4, 6)},
        )
    }
    assert len(specs) == 5  # each knob is part of the compiled-template key


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
