"""Per-time-step outputs (``return_sequences=True``, issue 15 item 2):
sequence labelling and whole output sequences, padding and masking."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import RNNClassifier, RNNRegressor
from skrnn.rnn import time_step_gradients

# Small plain networks that train in a second or two.
PLAIN = dict(conv_filters=(), conv_kernel_size=3, conv_strides=1, normalize=None)
TAGGER = dict(
    cell="gru", units=8, learning_rate=1e-2, epochs=30, random_state=0, **PLAIN
)
REG = dict(
    cell="gru",
    units=8,
    learning_rate=1e-2,
    epochs=30,
    early_stopping=False,
    validation_fraction=0.0,
    random_state=0,
)
TINY_REG = dict(REG, units=4, epochs=2)
TINY_CLF = dict(TAGGER, units=4, epochs=2)


def _running_sign(X):
    """Label of each step: whether the running sum so far is positive."""
    return np.where(np.cumsum(X[..., 0], axis=1) > 0, "pos", "neg")


def _cumulative_mean(X):
    return np.cumsum(X[..., 0], axis=1) / np.arange(1, X.shape[1] + 1)


def _ragged(rng, n, low=3, high=12):
    return [rng.normal(size=(int(k), 1)) for k in rng.integers(low, high, size=n)]


def _padded(sequences):
    """The NaN-padded array skrnn makes of a list (padded at the start)."""
    longest = max(len(s) for s in sequences)
    out = np.full((len(sequences), longest, sequences[0].shape[1]), np.nan)
    for i, s in enumerate(sequences):
        out[i, longest - len(s) :] = s
    return out


@pytest.fixture(scope="module")
def tagging():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(224, 12, 1))
    X_test = rng.normal(size=(200, 12, 1))
    clf = RNNClassifier(return_sequences=True, **TAGGER).fit(X, _running_sign(X))
    return clf, X_test


@pytest.fixture(scope="module")
def ragged_regressor():
    rng = np.random.default_rng(1)
    X = _ragged(rng, 60)
    y = [_cumulative_mean(s[np.newaxis])[0] for s in X]
    return RNNRegressor(return_sequences=True, **TINY_REG).fit(X, y), X, y


def test_classifier_learns_a_tagging_task(tagging):
    clf, X = tagging
    y = _running_sign(X)
    # Chance is 50%: the label of a step depends on every step so far.
    assert clf.score(X, y) > 0.9
    assert clf.predict(X).shape == (200, 12)
    np.testing.assert_array_equal(clf.classes_, ["neg", "pos"])
    proba = clf.predict_proba(X)
    assert proba.shape == (200, 12, 2)
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=-1)])
    assert clf.predict_log_proba(X).shape == (200, 12, 2)
    # Any length: a network reads longer sequences step by step too.
    assert clf.predict(np.zeros((3, 20, 1))).shape == (3, 20)


def test_regressor_learns_the_cumulative_mean():
    rng = np.random.default_rng(2)
    X, X_test = rng.normal(size=(160, 10, 1)), rng.normal(size=(100, 10, 1))
    reg = RNNRegressor(return_sequences=True, **REG).fit(X, _cumulative_mean(X))
    assert reg.predict(X_test).shape == (100, 10)
    assert reg.n_outputs_ == 1
    assert reg.score(X_test, _cumulative_mean(X_test)) > 0.9
    # The per-step linear skip reads each step's own inputs.
    assert reg.model_.get_layer("output").input.shape[1:] == (10, 9)


def test_several_outputs_per_step():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 6, 2))
    y = np.stack([_cumulative_mean(X), X[..., 1]], axis=-1)
    reg = RNNRegressor(return_sequences=True, **TINY_REG).fit(X, y)
    assert reg.n_outputs_ == 2
    assert reg.predict(X).shape == (40, 6, 2)
    assert np.isfinite(reg.score(X, y))


def test_padded_steps_are_missing_in_the_output(ragged_regressor):
    reg, X, _ = ragged_regressor
    pred = reg.predict(X)
    longest = max(len(s) for s in X)
    assert pred.shape == (len(X), longest)
    # A list is padded at the start: sequence i owns the last len(X[i]) steps.
    for row, seq in zip(pred, X, strict=True):
        assert np.isnan(row[: longest - len(seq)]).all()
        assert np.isfinite(row[longest - len(seq) :]).all()


@pytest.mark.parametrize(
    ("labels", "missing"),
    [
        (np.array(["neg", "pos"]), ""),
        (np.array([0, 1]), np.nan),
    ],
)
def test_padded_steps_get_a_missing_label(labels, missing):
    rng = np.random.default_rng(4)
    X = _ragged(rng, 40)
    y = [labels[(np.cumsum(s[:, 0]) > 0).astype(int)] for s in X]
    clf = RNNClassifier(return_sequences=True, **TINY_CLF).fit(X, y)
    assert clf.classes_.dtype == labels.dtype
    assert clf.classes_.tolist() == labels.tolist()
    pred, proba = clf.predict(X), clf.predict_proba(X)
    padded = np.isnan(_padded(X)).all(axis=-1)
    assert np.isnan(proba[padded]).all()
    assert np.isfinite(proba[~padded]).all()
    if missing == "":
        assert (pred[padded] == "").all()
    else:  # numbers come back as floats, NaN where padded
        assert pred.dtype == np.float64
        assert np.isnan(pred[padded]).all()
    assert set(pred[~padded].tolist()) <= set(labels.tolist())


def test_targets_at_padded_steps_do_not_change_the_fit():
    rng = np.random.default_rng(5)
    X = _padded(_ragged(rng, 48))
    padded = np.isnan(X).all(axis=-1)
    y = np.where(padded, np.nan, _cumulative_mean(np.nan_to_num(X)))
    other = np.where(padded, rng.normal(scale=100, size=y.shape), y)
    fit = dict(TINY_REG, validation_fraction=0.25, early_stopping=True)
    first = RNNRegressor(return_sequences=True, **fit).fit(X, y)
    second = RNNRegressor(return_sequences=True, **fit).fit(X, other)
    for a, b in zip(
        first.model_.get_weights(), second.model_.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    assert first.history_ == second.history_
    # ... while a target at an observed step does change it.
    changed = y.copy()
    changed[~padded] += 1.0
    third = RNNRegressor(return_sequences=True, **fit).fit(X, changed)
    assert not np.allclose(first.predict(X[:5]), third.predict(X[:5]), equal_nan=True)


def test_labels_at_padded_steps_are_not_classes():
    rng = np.random.default_rng(6)
    X = _padded(_ragged(rng, 48))
    padded = np.isnan(X).all(axis=-1)
    y = np.where(padded, "pad", _running_sign(np.nan_to_num(X))).astype(object)
    other = np.where(padded, None, y)
    first = RNNClassifier(return_sequences=True, **TINY_CLF).fit(X, y)
    second = RNNClassifier(return_sequences=True, **TINY_CLF).fit(X, other)
    assert first.classes_.tolist() == ["neg", "pos"]
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))


def test_list_targets_equal_padded_array_targets(ragged_regressor):
    reg, X, y = ragged_regressor
    y_padded = np.full(reg.predict(X).shape, np.nan)
    for i, target in enumerate(y):
        y_padded[i, y_padded.shape[1] - len(target) :] = target
    same = RNNRegressor(return_sequences=True, **TINY_REG).fit(_padded(X), y_padded)
    np.testing.assert_array_equal(reg.predict(X), same.predict(_padded(X)))
    assert reg.score(X, y) == pytest.approx(same.score(_padded(X), y_padded))


def test_zero_weight_sequences_are_ignored():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(32, 5, 1))
    y = _cumulative_mean(X)
    w = np.r_[np.ones(24), np.zeros(8)]
    other = y.copy()
    other[24:] = 50.0
    a = RNNRegressor(return_sequences=True, **TINY_REG).fit(X, y, sample_weight=w)
    b = RNNRegressor(return_sequences=True, **TINY_REG).fit(X, other, sample_weight=w)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


def test_bidirectional_convolutions_and_dense_layers_keep_every_step():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(16, 20, 1))
    y = X[..., 0] > 0
    clf = RNNClassifier(
        "gru",
        units=(2,),
        bidirectional=True,
        conv_filters=(4,),
        conv_kernel_size=3,
        dense_units=(3,),
        epochs=1,
        random_state=0,
        return_sequences=True,
    ).fit(X, y)
    assert clf.predict_proba(X).shape == (16, 20, 2)
    # A fully convolutional network (no recurrent layer) labels steps too;
    # conv_strides="auto" keeps every step (450 steps would stride by 2).
    long = rng.normal(size=(4, 450, 1))
    fcn = RNNClassifier(
        units=(),
        conv_filters=(4,),
        conv_kernel_size=3,
        conv_strides="auto",
        epochs=1,
        random_state=0,
        return_sequences=True,
    ).fit(long, long[..., 0] > 0)
    assert fcn._spec.conv_strides == (1,)
    assert fcn.predict(long).shape == (4, 450)


def test_validation_set_early_stopping_and_metrics(ragged_regressor):
    _, X, y = ragged_regressor
    reg = RNNRegressor(
        return_sequences=True, metrics=["mae"], **dict(TINY_REG, epochs=3)
    ).fit(X[:40], y[:40], X_val=X[40:], y_val=y[40:])
    assert len(reg.history_["val_loss"]) == 3
    pred = reg.predict(X[40:])
    observed = ~np.isnan(pred)
    truth = np.full(pred.shape, np.nan)
    for i, target in enumerate(y[40:]):
        truth[i, truth.shape[1] - len(target) :] = target
    # the metric is over the observed steps, with the final weights
    mae = np.abs(pred[observed] - truth[observed]).mean()
    assert reg.history_["val_mae"][-1] == pytest.approx(mae, rel=1e-4)


def test_classifier_metrics_are_over_observed_steps():
    rng = np.random.default_rng(9)
    X = _ragged(rng, 30)
    y = [_running_sign(s[np.newaxis])[0] for s in X]
    clf = RNNClassifier(return_sequences=True, metrics=["accuracy"], **TINY_CLF)
    clf.fit(X, y)
    assert clf.history_["accuracy"][-1] == pytest.approx(clf.score(X, y))


def test_pickle_clone_and_get_params(ragged_regressor):
    reg, X, _ = ragged_regressor
    assert reg.get_params()["return_sequences"] is True
    assert RNNRegressor().get_params()["return_sequences"] is False
    assert clone(reg).return_sequences is True
    assert not hasattr(clone(reg), "model_")
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))


def test_grid_search_scores_per_step():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(40, 6, 1))
    y = _running_sign(X)
    search = GridSearchCV(
        RNNClassifier(return_sequences=True, **TINY_CLF),
        {"return_sequences": [True], "learning_rate": [1e-2, 1e-3]},
        cv=2,
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.predict(X).shape == (40, 6)


def test_time_step_gradients_read_per_step_targets(ragged_regressor):
    reg, X, y = ragged_regressor
    norms = time_step_gradients(reg, X, y, average=False)
    padded = np.isnan(_padded(X)).all(axis=-1)
    assert np.isnan(norms[padded]).all()
    assert np.isfinite(norms[~padded]).all()


# Bad input: a clear error naming the problem and the fix, the estimator
# (fitted or not) and the data left as they were.


def _refuses(estimator, call, match, error=ValueError):
    state = copy.copy(estimator.__dict__)
    with pytest.raises(error, match=match):
        call()
    assert estimator.__dict__.keys() == state.keys()
    for key, value in state.items():
        assert estimator.__dict__[key] is value, key


@pytest.fixture(scope="module")
def steps():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(20, 6, 1))
    return X, _cumulative_mean(X)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (dict(attention=True), r"`attention` pools .* Set attention=False"),
        (
            dict(conv_filters=(4,), conv_strides=2),
            r"`conv_strides` above 1 .* Set conv_strides=1",
        ),
        (
            dict(network=lambda x: x[:, -1, :]),
            r"must return a 3-D tensor \(batch, n_timesteps, n_hidden\)",
        ),
    ],
)
def test_knobs_that_cannot_keep_every_step_are_refused(
    ragged_regressor, steps, params, match
):
    reg = ragged_regressor[0]
    bad = clone(reg).set_params(**params)
    _refuses(bad, lambda: bad.fit(*steps), match)
    fitted = pickle.loads(pickle.dumps(reg))
    fitted.set_params(**params)
    _refuses(fitted, lambda: fitted.fit(*steps), match)


def test_bad_targets_are_refused(ragged_regressor, steps):
    reg = pickle.loads(pickle.dumps(ragged_regressor[0]))
    X, y = steps
    X_list = ragged_regressor[1][:5]
    bad_step = y.copy()
    bad_step[3, 2] = np.nan
    cases = [
        ((X, y[:, -1]), r"shape \(n_samples, n_timesteps\).* Got y of shape \(20,\)"),
        ((X, y[:, :4]), r"\(n_samples, n_timesteps\) = \(20, 6\).* shape \(20, 4\)"),
        ((X, y[:10]), r"\(20, 6\) like X's. Got y of shape \(10, 6\)"),
        ((X, None), "Got None instead"),
        ((X, bad_step), r"NaN or infinite at an observed .* sample 3, time step 2"),
        ((X_list, np.zeros((5, 11))), "X is a list of sequences of different"),
        ((X_list, [np.zeros(len(s) + 1) for s in X_list]), "Sequence 0 has"),
        ((X_list, [0.0] * 5), "Got a scalar for sequence 0"),
        ((X_list, [np.zeros(3)] * 4), r"one array per sequence of X \(5\)"),
    ]
    for (X_bad, y_bad), match in cases:
        data = copy.deepcopy((X_bad, y_bad))
        _refuses(reg, lambda X_bad=X_bad, y_bad=y_bad: reg.fit(X_bad, y_bad), match)
        np.testing.assert_equal(data, (X_bad, y_bad))
    _refuses(
        reg,
        lambda: reg.score(X, y[:, :3]),
        r"\(n_samples, n_timesteps\) = \(20, 6\)",
    )
    _refuses(
        reg,
        lambda: reg.fit(X, y, X_val=X, y_val=y[:, :, None].repeat(2, axis=2)),
        r"y_val must have 1 output\(s\) per time step, like y in fit. Got 2",
    )


def test_classifier_refuses_bad_labels(tagging):
    clf = pickle.loads(pickle.dumps(tagging[0]))
    X = np.zeros((4, 12, 1))
    _refuses(clf, lambda: clf.fit(X, np.zeros((4, 12, 2))), r"of labels\. Got y")
    _refuses(
        clf,
        lambda: clf.score(X, np.full((4, 12), "new")),
        r"not among the fitted classes \['neg', 'pos'\]",
    )
    _refuses(
        clf,
        lambda: clf.fit(X, np.full((4, 12), "one")),
        "at least two classes",
    )


def test_other_misuses_are_refused(ragged_regressor, steps):
    reg = pickle.loads(pickle.dumps(ragged_regressor[0]))
    _refuses(
        reg,
        lambda: reg.predict_recursive(steps[0][:2], 3),
        "fitted with return_sequences=True .* Fit it with return_sequences=False",
    )
    warm = clone(reg).set_params(return_sequences=False, warm_start=True)
    warm.fit(steps[0], steps[1][:, -1])
    warm.set_params(return_sequences=True)
    _refuses(warm, lambda: warm.fit(*steps), r"\['return_sequences'\]")
    bad = RNNRegressor(return_sequences="yes")
    _refuses(bad, lambda: bad.fit(*steps), "return_sequences", InvalidParameterError)
