"""Bad input to RNNRegressor and RNNClassifier (issue 18 D7, D20, D22, the
mask warning) and to their training knobs: a clear error naming the problem
and the fix, the user's data untouched, a fitted estimator left as it was."""

import copy
import pickle
import tempfile
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import RNNClassifier, RNNRegressor

TINY = dict(units=4, epochs=2, random_state=0)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 2))
    return X, X[:, -1, 0] + X[:, -2, 1]


@pytest.fixture(scope="module")
def fitted(data):
    return RNNRegressor(**TINY).fit(*data)


def _refuses(estimator, call, data, error, match):
    data_before = copy.deepcopy(data)
    state_before = dict(estimator.__dict__)
    with pytest.raises(error, match=match):
        call()
    for before, after in zip(data_before, data, strict=True):
        if isinstance(after, list):
            for b, a in zip(before, after, strict=True):
                np.testing.assert_array_equal(b, a)
        elif after is not None:
            np.testing.assert_array_equal(before, after)
    assert estimator.__dict__.keys() == state_before.keys()
    for key, value in state_before.items():
        assert estimator.__dict__[key] is value, f"{key} changed by a failed call"


# --- D7: nothing to read ----------------------------------------------------


@pytest.mark.parametrize(
    ("X", "match"),
    [
        ([np.empty(0)], r"empty sequences \(no time step; first at sample 0\)"),
        ([np.ones((3, 2)), np.empty((0, 2))], "first at sample 1"),
        (np.full((3, 6, 2), np.nan), "Every sequence in X is entirely padding"),
        ([np.full((2, 2), np.nan)], "Every sequence in X is entirely padding"),
    ],
    ids=["one empty", "empty among others", "all padding", "all-NaN list"],
)
def test_predict_on_nothing_is_refused(X, match, fitted):
    _refuses(fitted, lambda: fitted.predict(X), (X,), ValueError, match)


def test_d7_repro_variable_length_fit_refuses_an_empty_sequence():
    reg = RNNRegressor(**TINY, validation_fraction=0.0).fit(
        [np.ones(5), np.ones(3), np.ones(4)], [0.0, 1.0, 2.0]
    )
    with pytest.raises(ValueError, match="empty sequences"):
        reg.predict([np.empty(0)])


def test_padding_rows_among_others_keep_the_rows(fitted, data):
    """The first windows of a SlidingWindow output are entirely padding; a
    Pipeline needs one prediction per row, so they are not refused."""
    X, _ = data
    Z = X[:5].copy()
    Z[0] = np.nan
    pred = fitted.predict(Z)
    assert pred.shape == (5,)
    np.testing.assert_allclose(pred[1:], fitted.predict(X[1:5]), rtol=1e-6)


# --- D20: mixed label types ----------------------------------------------------


def test_mixed_type_labels_are_refused_with_the_fix(data):
    X, _ = data
    y = np.array(["a", 1] * 20, dtype=object)
    clf = RNNClassifier(**TINY)
    _refuses(
        clf,
        lambda: clf.fit(X, y),
        (X, y),
        ValueError,
        r"y mixes labels of different types \(\['number', 'str'\]; e\.g\. 'a', 1\)"
        r".*y\.astype\(str\)",
    )


@pytest.mark.parametrize(
    "make_y",
    [
        lambda labels: np.where(np.arange(40) == 3, None, labels).astype(object),
        lambda labels: pd.Categorical(np.where(np.arange(40) == 3, None, labels)),
        lambda labels: np.where(np.arange(40) == 3, np.nan, labels == "a"),
        lambda labels: pd.Series(labels, dtype="string").mask(np.arange(40) == 3),
    ],
    ids=["None", "categorical-NaN", "float-NaN", "pandas-NA"],
)
def test_missing_labels_are_refused_as_missing(make_y, data):
    # "Mixes labels of different types ... y.astype(str)" made None a class.
    X, _ = data
    y = make_y(np.array(["a", "b"] * 20))
    clf = RNNClassifier(**TINY)
    match = r"y has 1 missing label\(s\) .*first at sample 3.*drop those samples"
    _refuses(clf, lambda: clf.fit(X, y), (X,), ValueError, match)


def test_two_dimensional_labels_name_return_sequences(data):
    X, _ = data
    y = np.stack([np.arange(40) % 2, np.arange(40) % 3], axis=1)
    clf = RNNClassifier(**TINY)
    match = r"y has shape \(40, 2\).*return_sequences=True.*one classifier per"
    _refuses(clf, lambda: clf.fit(X, y), (X, y), ValueError, match)


def test_labels_of_one_type_as_objects_are_fine(data):
    X, _ = data
    y = np.array(["a", "b"] * 20, dtype=object)
    assert set(RNNClassifier(**TINY).fit(X, y).classes_) == {"a", "b"}


# --- D22: a damaged pickle -----------------------------------------------------


def test_damaged_pickle_says_what_is_wrong(fitted):
    blob = pickle.dumps(fitted)
    weights = fitted.model_.get_weights()[0].tobytes()
    start = blob.find(weights)  # the first weight array inside the pickle
    assert start > 0
    # Changed values, not a broken pickle: without the checksum the network
    # would load with wrong weights.
    damaged = blob[:start] + bytes(len(weights)) + blob[start + len(weights) :]
    with pytest.raises(ValueError, match="The saved RNNRegressor is damaged") as info:
        pickle.loads(damaged)
    message = str(info.value)
    assert "fit the estimator again" in message
    assert tempfile.gettempdir() not in message  # no deleted temporary file


# --- the Keras mask warning ----------------------------------------------------


def _conv_body(x):
    import keras

    x = keras.layers.Conv1D(4, 3, padding="causal")(x)
    return keras.layers.GRU(3)(x)


def test_network_fit_without_padding_is_quiet(data):
    X, y = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reg = RNNRegressor(network=_conv_body, epochs=1, random_state=0).fit(X, y)
        reg.predict(X)
        pickle.loads(pickle.dumps(reg)).predict(X)
    assert not [w for w in caught if "mask" in str(w.message)]


def test_padding_that_reaches_an_unmasked_layer_is_said_once_per_fit(data):
    X, y = data
    X = X.copy()
    X[:5, :2] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        RNNRegressor(network=_conv_body, epochs=1, random_state=0).fit(X, y)
    messages = [str(w.message) for w in caught if "mask" in str(w.message)]
    assert len(messages) == 1
    assert "layer 'conv1d" in messages[0]
    assert "padded steps reach it as zeros" in messages[0]


# --- the training knobs ---------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        (
            dict(clipnorm=1.0, clipvalue=0.5),
            ValueError,
            r"at most one of `clipnorm`, `clipvalue` and `global_clipnorm`",
        ),
        (dict(learning_rate=lambda: 0.1), TypeError, "LearningRateSchedule"),
        (dict(metrics=["accuracy"]), ValueError, r"names among \['mae', 'mse'"),
        (dict(metrics=[3]), ValueError, "metric names or callables"),
        (dict(metrics=["mae", "mae"]), ValueError, "must be unique"),
        (dict(layer_dropout=1.0), InvalidParameterError, "'layer_dropout'"),
        (dict(dense_activation="swish2"), InvalidParameterError, "'dense_activation'"),
        (dict(output_activation="softmax"), InvalidParameterError, "output_activat"),
        (dict(global_clipnorm=-1.0), InvalidParameterError, "'global_clipnorm'"),
        (dict(warm_start="yes"), InvalidParameterError, "'warm_start'"),
    ],
)
def test_bad_knobs_are_refused_in_fit(params, error, match, data):
    X, y = data
    reg = RNNRegressor(**TINY, **params)
    _refuses(reg, lambda: reg.fit(X, y), (X, y), error, match)


@pytest.mark.parametrize(
    ("kwargs", "params", "match"),
    [
        (dict(X_val="X"), {}, r"`X_val` and `y_val` together.*only `X_val`"),
        (dict(y_val="y"), {}, r"only `y_val`"),
        (dict(sample_weight_val="w"), {}, r"`sample_weight_val`.*no `X_val`"),
        (dict(X_val="X3", y_val="y"), {}, "expecting 2 features per time step"),
        (dict(X_val="X", y_val="y2"), {}, r"y_val must have shape \(40, 1\)"),
    ],
)
def test_bad_validation_sets_are_refused(kwargs, params, match, data):
    X, y = data
    values = {"X": X, "y": y, "X3": X[:, :, [0, 1, 0]], "y2": np.ones((40, 2))}
    values["w"] = np.ones(len(X))
    kwargs = {k: values[v] for k, v in kwargs.items()}
    reg = RNNRegressor(**TINY, **params)
    _refuses(reg, lambda: reg.fit(X, y, **kwargs), (X, y), ValueError, match)


def test_targets_per_time_step_name_return_sequences(data):
    # scikit-learn's "Found array with dim 3" named no fix.
    X, _ = data
    y = X[:, :, :1].copy()
    reg = RNNRegressor(**TINY)
    _refuses(
        reg,
        lambda: reg.fit(X, y),
        (X, y),
        ValueError,
        r"y has shape \(40, 6, 1\): values per time step .* need return_sequences",
    )


def test_classifier_validation_labels_must_be_known(data):
    X, y = data
    labels = np.where(y > 0, "up", "down")
    clf = RNNClassifier(**TINY)
    with pytest.raises(ValueError, match=r"y_val has labels that are not among"):
        clf.fit(X, labels, X_val=X[:4], y_val=["up", "up", "sideways", "down"])


def test_warm_start_refuses_another_network(data):
    X, y = data
    reg = RNNRegressor(**TINY, warm_start=True).fit(X, y)
    before = reg.predict(X)
    reg.set_params(units=6)
    _refuses(reg, lambda: reg.fit(X, y), (X, y), ValueError, r"\['units'\] changed")
    reg.set_params(units=4)
    _refuses(
        reg,
        lambda: reg.fit(X[:, :, :1], y),
        (X, y),
        ValueError,
        "reads 2 features per time step",
    )
    _refuses(
        reg,
        lambda: reg.fit(X, np.column_stack([y, y])),
        (X, y),
        ValueError,
        "has 1 outputs. Got y with 2",
    )
    # The linear skip has a weight per step it reads: the fitted length.
    _refuses(
        reg,
        lambda: reg.fit(X[:, 1:], y),
        (X, y),
        ValueError,
        f"linear skip reads the last {X.shape[1]} time steps. Got sequences "
        f"of {X.shape[1] - 1}",
    )
    reg.set_params(linear_skip=False)
    _refuses(reg, lambda: reg.fit(X, y), (X, y), ValueError, "linear_skip changed")
    reg.set_params(linear_skip=True)
    np.testing.assert_array_equal(reg.predict(X), before)


def test_a_wrong_x_val_is_named(data):
    X, y = data
    reg = RNNRegressor(**TINY)
    with pytest.raises(ValueError, match=r"^X_val has 1 features per time step"):
        reg.fit(X, y, X_val=X[:5, :, :1], y_val=y[:5])


def test_warm_start_refuses_new_classes(data):
    X, y = data
    labels = np.where(y > 0, "up", "down")
    clf = RNNClassifier(**TINY, warm_start=True).fit(X, labels)
    new = np.where(y > 1, "far", labels)
    _refuses(
        clf,
        lambda: clf.fit(X, new),
        (X, new),
        ValueError,
        r"not among the fitted classes \['down', 'up'\]: \['far'\].*warm_start=False",
    )


def test_gradients_need_a_fitted_estimator_and_matching_targets(fitted, data):
    from sklearn.exceptions import NotFittedError

    from skrnn.rnn import time_step_gradients

    X, y = data
    with pytest.raises(NotFittedError):
        time_step_gradients(RNNRegressor(), X, y)
    with pytest.raises(ValueError, match=r"y must have shape \(40, 1\)"):
        time_step_gradients(fitted, X, y[:5])
    with pytest.raises(ValueError, match="features per time step"):
        time_step_gradients(fitted, X[:, :, :1], y)


def test_sequences_without_a_time_step_are_refused():
    with pytest.raises(ValueError, match=r"padding|empty|time step"):
        RNNRegressor(**TINY).fit(np.zeros((4, 0, 1)), np.zeros(4))


def test_a_validation_fraction_of_no_sample_warns():
    # Four samples at the default 0.2 held out none: no val_loss, and early
    # stopping watched the training loss, without a word.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(4, 6, 1)), rng.normal(size=4)
    with pytest.warns(
        UserWarning,
        match=r"validation_fraction=0.2 of 4 samples \(windows, in a forecaster\) "
        r"holds out none.*early stopping monitors the training loss. Fit on at "
        r"least 5 samples",
    ):
        reg = RNNRegressor(**TINY).fit(X, y)
    assert "val_loss" not in reg.history_
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        RNNRegressor(**TINY).fit(np.concatenate([X, X[:1]]), np.append(y, 0.0))
        RNNRegressor(**TINY, validation_fraction=0.0).fit(X, y)


@pytest.mark.parametrize("weight", [-1.0, np.nan, np.inf])
def test_bad_class_weights_are_refused(weight, data):
    # A negative weight trained against its class (the loss fell below 0);
    # NaN and infinity were reported as a diverged training.
    X, y = data
    labels = np.where(y > 0, "up", "down")
    clf = RNNClassifier(**TINY, class_weight={"up": weight, "down": 1.0})
    _refuses(
        clf,
        lambda: clf.fit(X, labels),
        (X, labels),
        ValueError,
        "class_weight must give every class a finite, non-negative weight",
    )


def test_sequences_in_an_object_array_name_the_fix(data):
    # numpy: "setting an array element with a sequence".
    X, y = data
    sequences = [X[i, i % 3 :] for i in range(len(X))]
    reg = RNNRegressor(**TINY).fit(sequences, y)
    for column in (pd.Series(sequences), pd.Series(sequences).to_numpy()):
        with pytest.raises(ValueError, match=r"1-D array of 40 objects.*list\(X\)"):
            reg.predict(column)
    np.testing.assert_array_equal(
        reg.predict(list(pd.Series(sequences))), reg.predict(sequences)
    )


def test_one_multivariate_sequence_as_2d_names_x_newaxis(data):
    # The advice was X[:, :, np.newaxis], which reads 1 feature per step.
    X, y = data
    reg = RNNRegressor(**TINY).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"X is 2-D.*2 features per time step.*"
        r"pass X\[np.newaxis\]",
    ):
        reg.predict(X[0])
    assert reg.predict(X[0][np.newaxis]).shape == (1,)


@pytest.mark.parametrize("container", [list, np.array, pd.Series])
def test_text_names_the_tokenizer(container):
    documents = container(["a good film", "a bad plot"])
    clf = RNNClassifier(**TINY)
    with pytest.raises(
        ValueError,
        match=r"X holds text.*TextTokenizer\(\), "
        r"RNNClassifier\(embedding_dim=32\)",
    ):
        clf.fit(documents, [0, 1])
