"""Behaviour of RNNRegressor and RNNClassifier that users rely on."""

import pickle
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, StratifiedKFold, check_cv
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.class_weight import compute_sample_weight

from skrnn import RNNClassifier, RNNRegressor

FAST = dict(units=8, epochs=5, random_state=0)


@pytest.fixture(scope="module")
def regression_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 10, 2)).astype(np.float32)
    y = X[:, -3:, 0].sum(axis=1)
    return X, y


@pytest.fixture(scope="module")
def classification_data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 8, 1))
    y = np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")
    return X, y


@pytest.fixture(scope="module")
def fitted_regressor(regression_data):
    return RNNRegressor(**FAST).fit(*regression_data)


def test_estimator_types():
    assert is_regressor(RNNRegressor())
    assert is_classifier(RNNClassifier())
    # GridSearchCV asks check_cv for its splitter: stratified for classifiers.
    y = np.array(["a", "b"] * 10)
    assert isinstance(
        check_cv(3, y, classifier=is_classifier(RNNClassifier())), StratifiedKFold
    )


def test_clone_keeps_every_parameter():
    def body(x):
        return x[:, -1, :]

    est = RNNClassifier(
        "gru",
        units=(16, 8),
        bidirectional=True,
        dropout=0.1,
        layer_dropout=0.2,
        dense_units=(4,),
        dense_activation="tanh",
        attention=True,
        network=body,
        clipvalue=0.5,
        class_weight={"a": 2.0, "b": 1.0},
        metrics=["accuracy"],
        warm_start=True,
        random_state=3,
    )
    assert clone(est).get_params() == est.get_params()
    reg = RNNRegressor(output_activation="sigmoid", global_clipnorm=1.0)
    assert clone(reg).get_params() == reg.get_params()


def test_grid_search_on_classifier_stratifies_and_refits(classification_data):
    X, y = classification_data
    search = GridSearchCV(
        RNNClassifier(units=4, epochs=3, random_state=0),
        {"cell": ["gru", "simple"]},
        cv=3,
    ).fit(X, y)
    assert isinstance(search.cv, int)
    assert set(search.best_estimator_.classes_) == {"down", "up"}
    assert search.predict(X[:4]).shape == (4,)


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
def test_regressor_learns(cell, regression_data):
    X, y = regression_data
    reg = RNNRegressor(cell, units=16, epochs=60, learning_rate=0.01, random_state=0)
    reg.fit(X, y)
    assert reg.score(X, y) > 0.8
    assert reg.model_.get_layer(f"{cell}_0") is not None


def test_fitted_attributes(fitted_regressor):
    reg = fitted_regressor
    assert reg.n_features_in_ == 10
    assert reg.sequence_shape_ == (10, 2)
    assert reg.n_outputs_ == 1
    # The last 20% of the samples are held out by default.
    assert set(reg.history_) == {"loss", "val_loss", "learning_rate"}
    assert len(reg.history_["loss"]) == reg.n_epochs_ == 5
    assert reg.history_["learning_rate"] == pytest.approx([1e-3] * 5)
    assert reg.model_.input_shape == (None, 10, 2)


def test_multi_output_regression(regression_data):
    X, y = regression_data
    Y = np.column_stack([y, -y, 2 * y])
    reg = RNNRegressor(**FAST).fit(X, Y)
    assert reg.predict(X[:7]).shape == (7, 3)
    assert reg.n_outputs_ == 3


def test_two_dimensional_input_is_univariate_sequences(regression_data):
    X, y = regression_data
    X2 = X[:, :, 0]
    reg = RNNRegressor(**FAST).fit(X2, y)
    assert reg.sequence_shape_ == (10, 1)
    np.testing.assert_array_equal(reg.predict(X2), reg.predict(X2[:, :, None]))


def test_pandas_input_matches_numpy(regression_data):
    X, y = regression_data
    X2 = X[:, :, 0]
    frame = pd.DataFrame(X2, columns=[f"t{i}" for i in range(10)])
    a = RNNRegressor(**FAST).fit(frame, pd.Series(y))
    b = RNNRegressor(**FAST).fit(X2, y)
    np.testing.assert_array_equal(a.feature_names_in_, frame.columns)
    np.testing.assert_allclose(a.predict(frame), b.predict(X2))


def test_variable_length_list_equals_nan_padded_array():
    rng = np.random.default_rng(2)
    seqs = [rng.normal(size=(n, 2)) for n in rng.integers(2, 9, size=40)]
    y = np.array([s[:, 0].sum() for s in seqs])
    padded = np.full((40, 8, 2), np.nan)
    for i, s in enumerate(seqs):
        padded[i, 8 - len(s) :] = s
    a = RNNRegressor(**FAST).fit(seqs, y)
    b = RNNRegressor(**FAST).fit(padded, y)
    assert a.sequence_shape_ == (8, 2)
    np.testing.assert_allclose(a.predict(seqs), b.predict(padded), rtol=1e-6)
    # Shorter sequences at predict time are padded to the fitted length.
    np.testing.assert_allclose(
        a.predict([s[-2:] for s in seqs[:3]]),
        b.predict(np.where(np.arange(8)[None, :, None] < 6, np.nan, padded[:3])),
        rtol=1e-6,
    )


def test_padding_is_masked_wherever_it_is():
    """Masked steps are skipped: pre- and post-padding give the same output."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 6, 1))
    y = X[:, :, 0].sum(axis=1)
    reg = RNNRegressor(**FAST).fit(X, y)
    short = rng.normal(size=(5, 4, 1))
    pre = np.concatenate([np.full((5, 2, 1), np.nan), short], axis=1)
    post = np.concatenate([short, np.full((5, 2, 1), np.nan)], axis=1)
    np.testing.assert_allclose(reg.predict(pre), reg.predict(post), rtol=1e-5)


def test_fully_padded_training_samples_are_ignored(regression_data):
    X, y = regression_data
    X_pad = X.copy()
    X_pad[:5] = np.nan
    a = RNNRegressor(**FAST, validation_fraction=0.0).fit(X_pad, y)
    b = RNNRegressor(**FAST, validation_fraction=0.0).fit(X[5:], y[5:])
    np.testing.assert_allclose(a.predict(X[5:]), b.predict(X[5:]), rtol=1e-6)


@pytest.mark.parametrize(
    "knobs",
    [
        dict(units=(8, 4)),
        dict(bidirectional=True),
        dict(attention=True),
        dict(dense_units=(6, 3)),
        dict(cell="gru", dropout=0.2, recurrent_dropout=0.2),
        dict(activation="relu", clipnorm=1.0, optimizer="rmsprop"),
    ],
)
def test_architecture_knobs_build_what_they_say(knobs, regression_data):
    X, y = regression_data
    reg = RNNRegressor(**{**FAST, **knobs}).fit(X, y)
    names = [layer.name for layer in reg.model_.layers]
    if "units" in knobs:
        assert [reg.model_.get_layer(n).units for n in ("lstm_0", "lstm_1")] == [8, 4]
    if knobs.get("bidirectional"):
        assert "bidirectional_0" in names
    if knobs.get("attention"):
        assert "attention" in names
    if "dense_units" in knobs:
        assert [reg.model_.get_layer(f"dense_{i}").units for i in (0, 1)] == [6, 3]
    if "dropout" in knobs:
        assert reg.model_.get_layer("gru_0").dropout == 0.2
    assert np.isfinite(reg.predict(X)).all()


@pytest.mark.filterwarnings("ignore:Layer 'conv1d.*does not support masking")
def test_custom_network_body(regression_data):
    import keras

    def body(x):
        x = keras.layers.Conv1D(4, 3, padding="causal")(x)
        return keras.layers.GRU(5)(x)

    X, y = regression_data
    reg = RNNRegressor(network=body, epochs=3, random_state=0).fit(X, y)
    assert any(isinstance(layer, keras.layers.Conv1D) for layer in reg.model_.layers)
    assert reg.predict(X[:3]).shape == (3,)


def test_early_stopping_restores_best_epoch(regression_data):
    X, y = regression_data
    reg = RNNRegressor(
        units=8,
        epochs=40,
        early_stopping=True,
        validation_fraction=0.1,
        patience=2,
        learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    history = reg.history_
    assert reg.n_epochs_ < 40
    n_val = int(len(X) * reg.validation_fraction)
    val_mse = np.mean((reg.predict(X[-n_val:]) - y[-n_val:]) ** 2)
    np.testing.assert_allclose(val_mse, min(history["val_loss"]), rtol=1e-4)


def test_classifier_labels_and_probabilities(classification_data):
    X, y = classification_data
    clf = RNNClassifier(units=8, epochs=20, learning_rate=0.02, random_state=0).fit(
        X, y
    )
    np.testing.assert_array_equal(clf.classes_, ["down", "up"])
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X, y) > 0.8


def test_multiclass_with_integer_labels():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(90, 5, 1))
    y = np.digitize(X[:, :, 0].mean(axis=1), [-0.2, 0.2]) * 10
    clf = RNNClassifier(units=8, epochs=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, [0, 10, 20])
    assert clf.predict_proba(X).shape == (90, 3)
    assert set(clf.predict(X)) <= {0, 10, 20}


def test_class_weight_is_sample_weight_per_class(classification_data):
    X, y = classification_data
    y = y.copy()
    y[:90] = "down"  # imbalanced
    a = RNNClassifier(**FAST, class_weight="balanced").fit(X, y)
    weights = compute_sample_weight("balanced", y)
    b = RNNClassifier(**FAST).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=1e-6)
    c = RNNClassifier(**FAST).fit(X, y)
    assert not np.allclose(a.predict_proba(X), c.predict_proba(X))


def test_same_seed_same_predictions_in_one_process(regression_data):
    X, y = regression_data
    params = dict(units=8, epochs=4, dropout=0.2, random_state=7)
    first = RNNRegressor(**params).fit(X, y).predict(X)
    RNNRegressor(**{**params, "random_state": 8}).fit(X, y)  # interleaved fit
    second = RNNRegressor(**params).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)
    other = RNNRegressor(**{**params, "random_state": 8}).fit(X, y).predict(X)
    assert not np.array_equal(first, other)


def test_fit_leaves_global_random_state_alone(regression_data):
    import random

    # The legacy global NumPy stream is the user state under test.
    X, y = regression_data
    np.random.seed(123)  # noqa: NPY002
    random.seed(123)
    RNNRegressor(**FAST).fit(X, y)
    after = (np.random.random(), random.random())  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    random.seed(123)
    assert after == (np.random.random(), random.random())  # noqa: NPY002


_SUBPROCESS_FIT = """
import numpy as np, sys
from skrnn import RNNRegressor
rng = np.random.default_rng(0)
X = rng.normal(size=(60, 6, 2)); y = X[:, -2:, 0].sum(axis=1)
pred = RNNRegressor(units=8, epochs=4, dropout=0.1, random_state=5).fit(X, y).predict(X)
np.save(sys.argv[1], pred)
"""


def test_same_seed_same_predictions_across_processes(tmp_path):
    paths = [tmp_path / "a.npy", tmp_path / "b.npy"]
    for path in paths:
        subprocess.run([sys.executable, "-c", _SUBPROCESS_FIT, str(path)], check=True)
    np.testing.assert_array_equal(np.load(paths[0]), np.load(paths[1]))


_SUBPROCESS_LOAD = """
import pickle, sys, joblib, numpy as np
X = np.load(sys.argv[2])
path = sys.argv[1]
est = joblib.load(path) if path.endswith(".joblib") else pickle.load(open(path, "rb"))
np.save(sys.argv[3], est.predict(X))
"""


@pytest.mark.parametrize("in_pipeline", [False, True])
@pytest.mark.parametrize("fmt", ["pickle", "joblib"])
def test_persistence_round_trip_in_new_process(
    tmp_path, regression_data, in_pipeline, fmt
):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y = regression_data
    est = RNNRegressor(**FAST, attention=True)
    if in_pipeline:
        est = make_pipeline(FunctionTransformer(np.tanh), est)
    est.fit(X, y)
    path = tmp_path / f"model.{fmt}"
    if fmt == "joblib":
        joblib.dump(est, path)
    else:
        path.write_bytes(pickle.dumps(est))
    np.save(tmp_path / "X.npy", X)
    subprocess.run(
        [
            sys.executable,
            "-c",
            _SUBPROCESS_LOAD,
            str(path),
            str(tmp_path / "X.npy"),
            str(tmp_path / "pred.npy"),
        ],
        check=True,
    )
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"), est.predict(X))


def test_classifier_pickle_round_trip(classification_data):
    X, y = classification_data
    clf = RNNClassifier(**FAST).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(restored.classes_, clf.classes_)


def test_import_skrnn_does_not_import_tensorflow():
    code = textwrap.dedent(
        """
        import sys
        import skrnn
        from skrnn import RNNRegressor, RNNClassifier
        RNNRegressor(units=4).get_params()
        heavy = [m for m in ("tensorflow", "keras", "statsmodels") if m in sys.modules]
        assert not heavy, heavy
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- bad input -------------------------------------------------------------


def _unchanged(before, after):
    np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ((0, 4, slice(None)), "NaN inside a sequence"),  # interior step
        ((0, 0, 1), "some but not all features"),  # partial NaN at a step
    ],
)
def test_nan_that_is_not_padding_is_refused(where, message, regression_data):
    X, y = regression_data
    X = X.copy()
    X[where] = np.nan
    before = X.copy()
    with pytest.raises(ValueError, match=message):
        RNNRegressor(**FAST).fit(X, y)
    _unchanged(before, X)


def test_inf_is_refused(regression_data, fitted_regressor):
    X, y = regression_data
    X = X.copy()
    X[3, 2, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        RNNRegressor(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="infinity"):
        fitted_regressor.predict(X)


def test_wrong_number_of_features_per_step_is_refused(fitted_regressor):
    # The time axis may have any length; the features per step may not differ.
    for X in (np.zeros((4, 10, 3)), np.zeros((4, 14, 3)), [np.zeros((3, 3))]):
        with pytest.raises(
            ValueError,
            match="X has 3 features per time step, but RNNRegressor is "
            "expecting 2 features per time step as input",
        ):
            fitted_regressor.predict(X)
    with pytest.raises(ValueError, match="4-D"):
        fitted_regressor.predict(np.zeros((2, 10, 2, 1)))


def test_2d_input_of_another_width_is_refused_with_the_way_out(regression_data):
    X, y = regression_data
    reg = RNNRegressor(**FAST).fit(X[:, :, 0], y)
    with pytest.raises(
        ValueError,
        match=r"X has 7 features, but RNNRegressor is expecting 10 features as "
        r"input\. .*pass them 3-D, e\.g\. X\[:, :, np\.newaxis\]",
    ):
        reg.predict(X[:, :7, 0])
    # The way out works, and gives what the same sequences give as a list.
    np.testing.assert_allclose(
        reg.predict(X[:, :7, 0][:, :, np.newaxis]),
        reg.predict(list(X[:, :7, 0])),
        rtol=1e-6,
    )


def test_empty_input_is_refused():
    with pytest.raises(ValueError, match="0 sample"):
        RNNRegressor(**FAST).fit(np.zeros((0, 5, 1)), np.zeros(0))


def test_single_class_is_refused(classification_data):
    X, _ = classification_data
    with pytest.raises(
        ValueError, match=r"at least two classes.*Got one class \('a'\)"
    ):
        RNNClassifier(**FAST).fit(X, np.array(["a"] * len(X)))


def test_a_class_only_on_all_padding_sequences_is_not_a_class(classification_data):
    # It was kept in classes_ (and counted as a second class) though no
    # sequence of it was trained on: all-padding rows are left out.
    X, _ = classification_data
    X = X.copy()
    X[:3] = np.nan
    y = np.array(["b"] * 3 + ["a"] * (len(X) - 3))
    with pytest.raises(
        ValueError, match=r"at least two classes.*Got one class \('a'\)"
    ):
        RNNClassifier(**FAST).fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(cell="transformer"), "'cell' parameter"),
        (dict(units=-1), "'units' parameter"),
        (dict(units=(8, 0)), "positive int"),
        (dict(units=()), "at least one layer"),
        (dict(dropout=1.5), "'dropout' parameter"),
        (dict(optimizer="lbfgs"), "'optimizer' parameter"),
    ],
)
def test_unknown_or_invalid_parameters(params, message, regression_data):
    X, y = regression_data
    with pytest.raises((InvalidParameterError, ValueError), match=message):
        RNNRegressor(**{**FAST, **params}).fit(X, y)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        RNNRegressor().predict(np.zeros((2, 3)))
    with pytest.raises(NotFittedError):
        RNNClassifier().predict_proba(np.zeros((2, 3)))


def test_diverging_training_raises_with_advice_and_keeps_the_old_fit(
    regression_data,
):
    X, y = regression_data
    reg = RNNRegressor(**FAST).fit(X, y)
    before = reg.predict(X)
    reg.set_params(learning_rate=1e12, linear_skip=False)  # the next fit diverges
    state = dict(reg.__dict__)
    with pytest.raises(FloatingPointError, match=r"learning_rate.*clipnorm.*scale"):
        reg.fit(X[:, :5], y)
    assert reg.__dict__ == state
    np.testing.assert_array_equal(reg.predict(X), before)


def test_interrupted_fit_leaves_the_estimator_as_it_was(regression_data, monkeypatch):
    from skrnn.rnn import _keras

    X, y = regression_data
    reg = RNNRegressor(**FAST).fit(X, y)
    before = reg.predict(X)
    state = dict(reg.__dict__)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_keras, "fit", interrupt)
    with pytest.raises(KeyboardInterrupt):
        reg.fit(X[:, :5, :1], y)
    assert reg.__dict__ == state
    np.testing.assert_array_equal(reg.predict(X), before)


# --- sequences of any length (issue 11) -------------------------------------


@pytest.fixture(scope="module")
def variable_length_fit():
    rng = np.random.default_rng(5)
    seqs = [rng.normal(size=(n, 2)) for n in rng.integers(3, 9, size=60)]
    y = np.array([s[-2:, 0].sum() for s in seqs])
    return RNNRegressor(**FAST).fit(seqs, y), seqs


def test_variable_length_fit_predicts_longer_and_shorter_sequences(
    variable_length_fit,
):
    reg, _ = variable_length_fit
    assert reg.sequence_shape_ == (8, 2)
    rng = np.random.default_rng(6)
    tests = [rng.normal(size=(n, 2)) for n in (29, 1, 12, 8)]
    batch = reg.predict(tests)
    # Each sequence gives the same prediction alone, as plain 3-D of its own
    # length, and NaN-padded to any longer length: nothing was padded for it.
    for seq, pred in zip(tests, batch, strict=True):
        np.testing.assert_allclose(reg.predict(seq[None]), [pred], rtol=1e-5)
        padded = np.concatenate([np.full((40 - len(seq), 2), np.nan), seq])
        np.testing.assert_allclose(reg.predict(padded[None]), [pred], rtol=1e-5)
    # The whole of a longer sequence is read, not only its last 8 steps.
    long = tests[0]
    assert not np.allclose(reg.predict(long[None]), reg.predict(long[None, -8:]))


def test_fixed_length_fit_reads_any_length(fitted_regressor, regression_data):
    X, _ = regression_data
    reg = fitted_regressor
    assert reg.sequence_shape_ == (10, 2)
    longer = np.concatenate([X[:6], X[:6]], axis=1)  # 20 steps
    shorter = X[:6, -4:]  # 4 steps
    for Z in (longer, shorter):
        pred = reg.predict(Z)
        assert pred.shape == (6,)
        assert np.isfinite(pred).all()
        np.testing.assert_allclose(reg.predict(list(Z)), pred, rtol=1e-5)
    # Pre-padding a plain 3-D array changes nothing: padding is masked.
    padded = np.concatenate([np.full((6, 3, 2), np.nan), shorter], axis=1)
    np.testing.assert_allclose(reg.predict(padded), reg.predict(shorter), rtol=1e-5)


def test_classifier_predicts_longer_sequences_than_it_was_fitted_on():
    rng = np.random.default_rng(7)
    seqs = [rng.normal(size=(n, 1)) for n in rng.integers(5, 27, size=80)]
    y = np.array(["up" if s[:, 0].mean() > 0 else "down" for s in seqs])
    clf = RNNClassifier(**FAST).fit(seqs, y)
    proba = clf.predict_proba([rng.normal(size=(29, 1)), rng.normal(size=(3, 1))])
    assert proba.shape == (2, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def _flatten_body(x):
    import keras

    return keras.layers.Dense(4, activation="tanh")(keras.layers.Flatten()(x))


def _time_distributed_body(x):
    import keras

    x = keras.layers.LSTM(4, return_sequences=True)(x)
    x = keras.layers.TimeDistributed(keras.layers.Dense(3))(x)
    return keras.layers.LSTM(3)(x)


@pytest.mark.parametrize("body", [_flatten_body, _time_distributed_body])
def test_network_bodies_that_need_the_number_of_steps(body, regression_data):
    """A body that works in keras.Sequential with a fixed window works here:
    it is built for the fitted length and reads that length only."""
    import keras

    X, y = regression_data
    reg = RNNRegressor(network=body, epochs=20, learning_rate=0.01, random_state=0)
    reg.fit(X, y)
    assert reg.history_["loss"][-1] < reg.history_["loss"][0]
    # The predictions are those of model_, a plain Keras model of the
    # fitted shape.
    np.testing.assert_allclose(
        reg.predict(X[:5]), reg.model_(X[:5], training=False).numpy().ravel(), rtol=1e-5
    )
    assert isinstance(reg.model_, keras.Model)
    # Shorter sequences in a list are padded to the fitted length ...
    assert reg.predict([X[0, -3:], X[1]]).shape == (2,)
    # ... and another length of a plain array is refused, saying why.
    with pytest.raises(ValueError, match=r"needs the number of time steps.*10 steps"):
        reg.predict(np.zeros((2, 12, 2)))
    # Pickling keeps the behaviour.
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_allclose(restored.predict(X[:5]), reg.predict(X[:5]), rtol=1e-6)


# --- network knobs (issue 19) ------------------------------------------------


def test_layer_dropout_adds_dropout_between_and_after_layers(regression_data):
    import keras

    X, y = regression_data
    reg = RNNRegressor(
        **{**FAST, "units": (8, 4)}, dense_units=(3,), layer_dropout=0.3
    ).fit(X, y)
    names = [layer.name for layer in reg.model_.layers]
    assert names == [
        "sequences",
        "padding_mask",
        "lstm_0",
        "lstm_0_dropout",
        "lstm_1",
        "lstm_1_dropout",
        "dense_0",
        "dense_0_dropout",
        "linear_skip",
        "with_linear_skip",
        "output",
    ]
    drops = [
        layer for layer in reg.model_.layers if isinstance(layer, keras.layers.Dropout)
    ]
    assert [layer.rate for layer in drops] == [0.3, 0.3, 0.3]
    # Keras's input `dropout` of the recurrent layers is untouched.
    assert reg.model_.get_layer("lstm_0").dropout == 0.0
    # Dropout is active in training (another fit than without it), off when
    # predicting (repeatable), and seeded (the same fit twice).
    plain = RNNRegressor(**{**FAST, "units": (8, 4)}, dense_units=(3,)).fit(X, y)
    assert not np.allclose(plain.predict(X), reg.predict(X))
    np.testing.assert_array_equal(reg.predict(X), reg.predict(X))
    again = clone(reg).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))


def test_layer_dropout_zero_keeps_the_network_it_was(regression_data):
    X, y = regression_data
    a = RNNRegressor(**FAST, dense_units=(3,)).fit(X, y)
    b = RNNRegressor(**FAST, dense_units=(3,), layer_dropout=0.0).fit(X, y)
    assert not any("dropout" in layer.name for layer in b.model_.layers)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


def test_output_and_dense_activations(regression_data):
    X, y = regression_data
    target = (y > 0).astype(float) * 0.8 + 0.1  # bounded in [0.1, 0.9]
    reg = RNNRegressor(
        **FAST, output_activation="sigmoid", dense_units=(4,), dense_activation="tanh"
    ).fit(X, target)
    assert reg.model_.get_layer("output").activation.__name__ == "sigmoid"
    assert reg.model_.get_layer("dense_0").activation.__name__ == "tanh"
    extreme = reg.predict(np.concatenate([X * 1e3, -X * 1e3]))
    assert ((extreme >= 0) & (extreme <= 1)).all()
    linear = RNNRegressor(**FAST).fit(X, target)
    assert linear.model_.get_layer("output").activation.__name__ == "linear"


def test_network_knobs_are_grid_searchable(regression_data):
    X, y = regression_data
    search = GridSearchCV(
        RNNRegressor(units=4, epochs=2, dense_units=(2,), random_state=0),
        {"layer_dropout": [0.0, 0.2], "output_activation": ["linear", "tanh"]},
        cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


# --- training knobs (issue 19) -----------------------------------------------


def test_learning_rate_schedule_counts_steps_from_zero_in_every_fit(regression_data):
    import keras

    X, y = regression_data
    schedules = keras.optimizers.schedules
    constant = schedules.ExponentialDecay(0.01, decay_steps=1, decay_rate=1.0)
    # All 120 samples trained on, so that an epoch is 4 steps.
    on_all = dict(FAST, validation_fraction=0.0)
    by_float = RNNRegressor(**on_all, learning_rate=0.01).fit(X, y)
    by_schedule = RNNRegressor(**on_all, learning_rate=constant).fit(X, y)
    np.testing.assert_array_equal(by_float.predict(X), by_schedule.predict(X))

    decay = schedules.ExponentialDecay(0.01, decay_steps=4, decay_rate=0.5)
    reg = RNNRegressor(**on_all, learning_rate=decay)
    first = reg.fit(X, y).predict(X)
    assert not np.allclose(first, by_float.predict(X))
    # 120 samples / 32 = 4 steps per epoch: the rate halves every epoch.
    np.testing.assert_allclose(
        reg.history_["learning_rate"], [0.01 * 0.5**e for e in range(1, 6)], rtol=1e-5
    )
    np.testing.assert_array_equal(clone(reg).fit(X, y).predict(X), first)
    # Grid-searchable, the schedule among plain rates.
    search = GridSearchCV(
        RNNRegressor(units=4, epochs=2, random_state=0),
        {"learning_rate": [0.01, decay]},
        cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 2


def test_a_schedule_without_a_config_is_used_as_it_is(regression_data):
    """Keras's LearningRateSchedule.get_config raises NotImplementedError
    unless a subclass defines it: such a schedule cannot be described for
    the template cache, so it is used as the object itself."""
    import keras

    class Halving(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.01 * 0.5 ** keras.ops.floor(keras.ops.cast(step, "float32") / 4)

    X, y = regression_data
    reg = RNNRegressor(**FAST, validation_fraction=0.0, learning_rate=Halving())
    reg.fit(X, y)
    np.testing.assert_allclose(
        reg.history_["learning_rate"], [0.01 * 0.5**e for e in range(1, 6)], rtol=1e-5
    )


def test_reduce_lr_on_plateau_lowers_the_rate_and_history_shows_it(regression_data):
    import keras

    X, y = regression_data
    plateau = keras.callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=0, min_delta=1e9
    )
    reg = RNNRegressor(**FAST, learning_rate=0.01, callbacks=[plateau]).fit(X, y)
    # Every epoch after the first counts as no improvement: halved each time.
    expected = [0.01, 0.01, 0.005, 0.0025, 0.00125]
    np.testing.assert_allclose(reg.history_["learning_rate"], expected, rtol=1e-5)
    reg.fit(X, y)  # the next fit starts again at learning_rate
    np.testing.assert_allclose(reg.history_["learning_rate"], expected, rtol=1e-5)


def test_a_callback_that_restores_its_best_weights_has_the_last_word():
    # skrnn's early stopping restored its own best epoch after the user's
    # EarlyStopping(restore_best_weights=True) had restored the one it asked.
    import keras

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 6, 1))
    y = rng.normal(size=60)  # noise: the training loss falls, val_loss does not
    stop = keras.callbacks.EarlyStopping(
        monitor="loss", restore_best_weights=True, patience=100
    )
    reg = RNNRegressor(
        units=8, epochs=12, learning_rate=0.01, random_state=0, callbacks=[stop]
    ).fit(X, y)
    history = reg.history_
    assert stop.best_epoch == int(np.argmin(history["loss"]))
    assert stop.best_epoch != int(np.argmin(history["val_loss"]))
    for kept, restored in zip(reg.model_.get_weights(), stop.best_weights, strict=True):
        np.testing.assert_array_equal(kept, restored)


def test_callbacks_in_auto_mode_monitor_the_estimators_metrics(
    regression_data, classification_data
):
    # Keras reads a metric's direction from compiled metrics, which skrnn's
    # are not: these callbacks failed after the first epoch.
    import keras

    X, y = classification_data
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=1)
    clf = RNNClassifier(
        **FAST, validation_fraction=0.2, metrics=["accuracy"], callbacks=[stop]
    ).fit(X, y)
    assert stop.mode == "max"
    assert clf.n_epochs_ == len(clf.history_["val_accuracy"])
    X, y = regression_data
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="val_mae", patience=0)
    RNNRegressor(**FAST, metrics=["mae", "r2"], callbacks=[plateau]).fit(X, y)
    assert plateau.mode == "min"


def test_a_callback_that_is_not_one_is_refused_by_name(regression_data):
    X, y = regression_data
    # Keras said "'str' object has no attribute 'set_model'".
    with pytest.raises(ValueError, match=r"`callbacks` must be a list of keras"):
        RNNRegressor(**FAST, callbacks=["early"]).fit(X, y)


def _one_full_batch_step(regression_data, **clipping):
    """The weights before and after one SGD step (lr 1) that warm-starts a fit."""
    X, y = regression_data
    reg = RNNRegressor(**FAST).fit(X, y)
    before = reg.model_.get_weights()
    reg.set_params(
        warm_start=True,
        optimizer="sgd",
        learning_rate=1.0,
        epochs=1,
        batch_size=len(X),
        **clipping,
    )
    reg.fit(X, y * 100)  # large gradients
    after = reg.model_.get_weights()
    return [a - b for a, b in zip(after, before, strict=True)]


@pytest.mark.parametrize("kind", ["clipnorm", "clipvalue", "global_clipnorm"])
def test_gradient_clipping_is_applied(kind, regression_data):
    deltas = _one_full_batch_step(regression_data, **{kind: 1e-3})
    norms = [np.linalg.norm(d) for d in deltas]
    if kind == "clipnorm":  # each weight tensor's step
        assert max(norms) <= 1e-3 * (1 + 1e-4)
        assert min(norms) > 0.9e-3  # they were clipped, not small anyway
    elif kind == "clipvalue":  # every element's step
        assert max(np.abs(d).max() for d in deltas) <= 1e-3 * (1 + 1e-4)
    else:  # all steps together
        assert np.sqrt(sum(n**2 for n in norms)) == pytest.approx(1e-3, rel=1e-3)
    unclipped = _one_full_batch_step(regression_data)
    assert max(np.linalg.norm(d) for d in unclipped) > 1e-2


def test_explicit_validation_set(regression_data):
    from sklearn.metrics import mean_squared_error

    X, y = regression_data
    rng = np.random.default_rng(9)
    X_val = rng.normal(size=(30, 14, 2))  # another length is fine
    y_val = X_val[:, -3:, 0].sum(axis=1)
    # Trained for all epochs, so that the last val_loss is the final one; the
    # plain network, whose losses are not at float32 noise from the start.
    plain = dict(FAST, linear_skip=False, early_stopping=False)
    reg = RNNRegressor(**plain).fit(X, y, X_val=X_val, y_val=y_val)
    assert len(reg.history_["val_loss"]) == 5
    np.testing.assert_allclose(
        reg.history_["val_loss"][-1],
        mean_squared_error(y_val, reg.predict(X_val)),
        rtol=1e-4,
    )
    # All of X was trained on (X_val replaces validation_fraction): the same
    # fit as on all of X without a validation set.
    on_all = RNNRegressor(**plain, validation_fraction=0.0).fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), on_all.predict(X))
    # Early stopping watches it and restores its best epoch.
    stopped = RNNRegressor(
        units=8,
        epochs=40,
        learning_rate=0.05,
        early_stopping=True,
        patience=2,
        random_state=0,
        linear_skip=False,
    ).fit(X, y, X_val=X_val, y_val=y_val)
    np.testing.assert_allclose(
        mean_squared_error(y_val, stopped.predict(X_val)),
        min(stopped.history_["val_loss"]),
        rtol=1e-4,
    )


def test_explicit_validation_set_in_a_pipeline_and_weighted(regression_data):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y = regression_data
    pipe = make_pipeline(FunctionTransformer(), RNNRegressor(**FAST))
    weights = np.r_[np.ones(10), np.zeros(10)]
    pipe.fit(
        X,
        y,
        rnnregressor__X_val=X[:20],
        rnnregressor__y_val=y[:20],
        rnnregressor__sample_weight_val=weights,
    )
    reg = pipe[-1]
    # Weighted as Keras weighs a loss: sum(w * loss) / n_samples.
    squared = (reg.predict(X[:20]) - y[:20]) ** 2
    np.testing.assert_allclose(
        reg.history_["val_loss"][-1], np.sum(weights * squared) / 20, rtol=1e-4
    )


def test_per_epoch_metrics_in_history(regression_data, classification_data):
    from sklearn.metrics import (
        accuracy_score,
        mean_absolute_error,
        median_absolute_error,
    )

    X, y = regression_data
    reg = RNNRegressor(**FAST, metrics=["mae", "r2", median_absolute_error]).fit(
        X, y, X_val=X[:20], y_val=y[:20]
    )
    assert {"mae", "r2", "median_absolute_error", "val_mae", "val_r2"} <= set(
        reg.history_
    )
    assert all(len(v) == 5 for v in reg.history_.values())
    np.testing.assert_allclose(
        reg.history_["mae"][-1], mean_absolute_error(y, reg.predict(X)), rtol=1e-5
    )
    np.testing.assert_allclose(
        reg.history_["val_mae"][-1],
        mean_absolute_error(y[:20], reg.predict(X[:20])),
        rtol=1e-5,
    )
    # Metrics only watch: the fit is the one without them.
    np.testing.assert_array_equal(
        reg.predict(X),
        RNNRegressor(**FAST).fit(X, y, X_val=X[:20], y_val=y[:20]).predict(X),
    )
    Xc, yc = classification_data
    clf = RNNClassifier(**FAST, metrics=["accuracy"], validation_fraction=0.2).fit(
        Xc, yc
    )
    assert {"accuracy", "val_accuracy"} <= set(clf.history_)
    assert 0 <= min(clf.history_["val_accuracy"]) <= max(clf.history_["accuracy"]) <= 1
    # On all samples, the last epoch's accuracies combine to the final model's.
    n_val = int(0.2 * len(Xc))
    overall = (
        clf.history_["accuracy"][-1] * (len(Xc) - n_val)
        + clf.history_["val_accuracy"][-1] * n_val
    ) / len(Xc)
    np.testing.assert_allclose(overall, accuracy_score(yc, clf.predict(Xc)), rtol=1e-6)


def test_warm_start_continues_training_on_a_second_series():
    rng = np.random.default_rng(11)

    def series_windows(phase):
        t = np.arange(300) / 6 + phase
        s = np.sin(t) + 0.05 * rng.normal(size=t.size)
        X = np.lib.stride_tricks.sliding_window_view(s[:-1], 12)[:, :, None]
        return X, s[12:]

    (X1, y1), (X2, y2) = series_windows(0.0), series_windows(1.3)
    # The plain network, trained for all epochs: a least-squares start would
    # make the first loss of every fit low.
    params = dict(
        units=8,
        epochs=15,
        learning_rate=0.01,
        random_state=0,
        linear_skip=False,
        early_stopping=False,
    )
    first = RNNRegressor(**params).fit(X1, y1)
    warm = clone(first).set_params(warm_start=True)
    warm.fit(X1, y1)
    np.testing.assert_array_equal(warm.predict(X2), first.predict(X2))
    warm.set_params(epochs=3).fit(X2, y2)
    cold = RNNRegressor(**{**params, "epochs": 3}).fit(X2, y2)
    # Three more epochs on the second series start from the first one's
    # network: far lower loss from the first epoch on, and a better end than
    # three epochs from scratch.
    assert warm.history_["loss"][0] < 0.5 * cold.history_["loss"][0]
    assert warm.score(X2, y2) > cold.score(X2, y2)
    # Reproducible: the same sequence of fits gives the same network.
    again = clone(first).set_params(warm_start=True).fit(X1, y1)
    again.set_params(epochs=3).fit(X2, y2)
    np.testing.assert_array_equal(again.predict(X2), warm.predict(X2))


def test_a_warm_start_from_a_close_fit_is_not_divergence():
    # The reference was the fitted weights' loss (1e-7 on noiseless data):
    # the first steps of a fresh optimizer raised "diverged" (1.6e-4).
    X = np.random.default_rng(0).normal(size=(200, 6, 1))
    y = 0.5 * X[:, -1, 0] + 0.3 * X[:, -2, 0]
    model = RNNRegressor(units=8, epochs=5, random_state=0, warm_start=True)
    model.fit(X, y).set_params(learning_rate=0.01).fit(X, y)
    assert model.score(X, y) > 0.99
    # A real divergence still raises, and leaves the fitted model as it was.
    before = model.predict(X)
    with pytest.raises(FloatingPointError, match="diverged"):
        model.set_params(optimizer="sgd", learning_rate=1e4).fit(X, y)
    np.testing.assert_array_equal(model.predict(X), before)


def test_warm_start_classifier_keeps_its_classes(classification_data):
    X, y = classification_data
    clf = RNNClassifier(**FAST, warm_start=True).fit(X, y)
    before = clf.model_.get_weights()
    only_up = np.where(np.arange(len(y)) % 3 == 0, "down", "up")
    clf.fit(X, only_up)
    np.testing.assert_array_equal(clf.classes_, ["down", "up"])
    assert not all(
        np.array_equal(a, b)
        for a, b in zip(before, clf.model_.get_weights(), strict=True)
    )
    # A chunk of one of the fitted classes continues training too.
    clf.fit(X[:8], np.full(8, "up"))
    np.testing.assert_array_equal(clf.classes_, ["down", "up"])


# --- gradient diagnostics (issue 19) -----------------------------------------


def test_time_step_gradients():
    from skrnn.rnn import time_step_gradients

    rng = np.random.default_rng(12)
    X = rng.normal(size=(64, 30, 1))
    y = X[:, -1, 0]
    # Without the linear skip, which would pass the gradient to every step
    # directly.
    reg = RNNRegressor(
        "simple", units=8, epochs=3, random_state=0, linear_skip=False
    ).fit(X, y)
    norms = time_step_gradients(reg, X, y)
    assert norms.shape == (30,)
    assert (norms > 0).all()
    # A tanh SimpleRNN forgets: the loss feels the last step far more than
    # the first (the vanishing gradient).
    assert norms[-1] > 10 * norms[0]
    per_sample = time_step_gradients(reg, X, y, average=False)
    assert per_sample.shape == (64, 30)
    np.testing.assert_allclose(per_sample.mean(axis=0), norms, rtol=1e-6)
    # By hand for one sample: the gradient of its squared error.
    import tensorflow as tf

    x0 = tf.constant(X[:1], tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x0)
        loss = tf.reduce_sum((reg.model_(x0)[:, 0] - y[0]) ** 2)
    by_hand = np.linalg.norm(tape.gradient(loss, x0).numpy()[0], axis=-1)
    np.testing.assert_allclose(per_sample[0], by_hand, rtol=1e-4)
    # Any length; padded steps are NaN and left out of the mean.
    seqs = [X[0, -5:], X[1, -3:]]
    ragged = time_step_gradients(reg, seqs, y[:2], average=False)
    assert ragged.shape == (2, 5)
    assert np.isnan(ragged[1, :2]).all()
    assert np.isfinite(ragged[1, 2:]).all()
    np.testing.assert_allclose(
        time_step_gradients(reg, seqs, y[:2])[:2], ragged[0, :2], rtol=1e-6
    )


def test_time_step_gradients_of_a_classifier(classification_data):
    from skrnn.rnn import time_step_gradients

    X, y = classification_data
    clf = RNNClassifier(**FAST).fit(X, y)
    norms = time_step_gradients(clf, X, y)
    assert norms.shape == (8,)
    assert np.isfinite(norms).all()
    # The default per-sequence z-normalisation passes finite gradients to
    # every observed step of padded and of constant sequences (they were NaN).
    odd = X[:3].copy()
    odd[0, :3], odd[1] = np.nan, 2.5
    per_step = time_step_gradients(clf, odd, y[:3], average=False)
    assert np.isnan(per_step[0, :3]).all()
    assert np.isfinite(per_step[0, 3:]).all()
    assert np.isfinite(per_step[1:]).all()
