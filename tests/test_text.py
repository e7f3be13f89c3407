"""Token sequences and text: ``embedding_dim`` and ``TextTokenizer``."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline

from skrnn import RNNClassifier, RNNRegressor
from skrnn.preprocessing import TextTokenizer
from skrnn.rnn import time_step_gradients

# A small recurrent network without the classifier's convolution front-end.
TINY = dict(
    units=8,
    conv_filters=(),
    conv_kernel_size=(),
    conv_strides=(),
    epochs=20,
    learning_rate=0.01,
    random_state=0,
)
POSITIVE = 2  # the token that decides the class


def token_task(n, seed):
    """Random ids 3..39 of 4 to 15 tokens; class 1 iff token 2 appears once
    somewhere. As numbers, the one 2 among values up to 39 is a small dip
    anywhere in the sequence; as a token it is one embedding vector."""
    rng = np.random.default_rng(seed)
    X, y = [], np.arange(n) % 2
    for label in y:
        seq = rng.integers(3, 40, size=rng.integers(4, 16))
        if label:
            seq[rng.integers(len(seq))] = POSITIVE
        X.append(seq)
    return X, y


@pytest.fixture(scope="module")
def task():
    return token_task(200, 0), token_task(200, 1)


@pytest.fixture(scope="module")
def fitted(task):
    (X, y), _ = task
    return RNNClassifier(embedding_dim=8, **TINY).fit(X, y)


def test_embedding_learns_the_token_task_and_numbers_do_not(task, fitted):
    (X, y), (X_test, y_test) = task
    numeric = RNNClassifier(**TINY).fit([s.astype(float) for s in X], y)
    token_accuracy = fitted.score(X_test, y_test)
    number_accuracy = numeric.score([s.astype(float) for s in X_test], y_test)
    assert token_accuracy >= 0.9
    assert number_accuracy <= 0.7
    assert token_accuracy - number_accuracy >= 0.25


def test_vocabulary_is_learnt_in_fit(task, fitted):
    (X, _), _ = task
    assert np.array_equal(fitted.token_ids_, np.unique(np.concatenate(X)))
    assert fitted.vocabulary_size_ == len(fitted.token_ids_) == 38
    assert fitted.model_.get_layer("embedding").input_dim == 38 + 2
    assert fitted.sequence_shape_ == (15, 1)


def test_unknown_ids_map_to_the_out_of_vocabulary_slot(fitted):
    seen = [3, 4, 5]
    proba = fitted.predict_proba(
        [np.array([*seen, 1]), np.array([*seen, 999]), np.array([*seen, 10**9])]
    )
    # 1 and 999 were never seen (ids 3..39 and 2 were): one slot for both.
    assert np.array_equal(proba[0], proba[1])
    assert np.array_equal(proba[1], proba[2])
    # ...which is not the row of a known id.
    assert not np.allclose(proba[0], fitted.predict_proba([np.array([*seen, 7])])[0])


def test_padding_does_not_change_predictions(task, fitted):
    _, (X_test, _) = task
    X_test = X_test[:20]
    plain = fitted.predict_proba(X_test)
    padded_list = [np.concatenate([[0, 0], seq, [0] * 3]) for seq in X_test]
    width = 25
    pre = np.zeros((len(X_test), width), np.int64)
    post = np.zeros((len(X_test), width), np.int64)
    for i, seq in enumerate(X_test):
        pre[i, width - len(seq) :] = seq
        post[i, : len(seq)] = seq
    np.testing.assert_allclose(fitted.predict_proba(padded_list), plain, atol=1e-6)
    np.testing.assert_allclose(fitted.predict_proba(pre), plain, atol=1e-6)
    np.testing.assert_allclose(fitted.predict_proba(post), plain, atol=1e-6)


def test_network_knobs_mask_padding_too(task):
    (X, y), (X_test, _) = task
    clf = RNNClassifier(
        "gru",
        embedding_dim=4,
        units=(4, 4),
        bidirectional=True,
        attention=True,
        dropout=0.1,
        layer_dropout=0.1,
        conv_filters=(4,),
        conv_kernel_size=3,
        dense_units=4,
        epochs=2,
        random_state=0,
    ).fit(X[:64], y[:64])
    padded = [np.concatenate([[0] * 4, seq, [0, 0]]) for seq in X_test[:10]]
    np.testing.assert_allclose(
        clf.predict_proba(padded), clf.predict_proba(X_test[:10]), atol=1e-5
    )
    names = [layer.name for layer in clf.model_.layers]
    assert "embedding" in names
    assert "normalize" not in names


def test_token_ids_are_not_normalised_or_skipped_linearly(task):
    (X, y), _ = task
    clf = RNNClassifier(embedding_dim=4, normalize="sequence", **TINY)
    clf.set_params(epochs=1).fit(X[:32], y[:32])
    assert clf._spec.normalize is None
    reg = RNNRegressor(units=4, embedding_dim=4, epochs=1, random_state=0)
    reg.fit(X[:32], y[:32].astype(float))
    assert reg.linear_skip
    assert reg._spec.linear_steps == 0
    assert reg.predict(X[:5]).shape == (5,)
    with pytest.raises(ValueError, match="reads token ids, not values"):
        reg.predict_recursive(np.array([[3, 4, 5]]), 2)
    with pytest.raises(ValueError, match="no gradient with respect to an integer"):
        time_step_gradients(reg, X[:5], y[:5].astype(float))


def test_random_state_reproduces_and_pickle_round_trips(task, fitted):
    (X, y), (X_test, _) = task
    again = clone(fitted).fit(X, y)
    np.testing.assert_array_equal(
        again.predict_proba(X_test), fitted.predict_proba(X_test)
    )
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.token_ids_, fitted.token_ids_)
    np.testing.assert_array_equal(
        restored.predict_proba([*X_test, np.array([999])]),
        fitted.predict_proba([*X_test, np.array([999])]),
    )
    params = fitted.get_params()
    assert params["embedding_dim"] == 8
    assert clone(fitted).get_params() == params
    assert not hasattr(clone(fitted), "token_ids_")


def test_two_d_int_arrays_and_dataframes(task):
    (X, y), _ = task
    width = 15
    dense = np.zeros((len(X), width), np.int64)
    for i, seq in enumerate(X):
        dense[i, : len(seq)] = seq
    clf = RNNClassifier(embedding_dim=4, **TINY).set_params(epochs=1)
    clf.fit(pd.DataFrame(dense), y)
    assert clf.n_features_in_ == width
    # Float ids that are whole numbers are ids too.
    np.testing.assert_array_equal(
        clf.predict_proba(dense[:5].astype(float)), clf.predict_proba(dense[:5])
    )


def test_warm_start_keeps_the_vocabulary(task):
    (X, y), _ = task
    clf = RNNClassifier(embedding_dim=4, warm_start=True, **TINY)
    clf.set_params(epochs=1).fit(X[:32], y[:32])
    token_ids = clf.token_ids_.copy()
    clf.fit([seq + 100 for seq in X[:32]], y[:32])  # all new ids: OOV
    np.testing.assert_array_equal(clf.token_ids_, token_ids)


def test_numeric_refit_drops_the_vocabulary(task, fitted):
    (X, y), _ = task
    clf = clone(fitted).set_params(epochs=1).fit(X[:32], y[:32])
    clf.set_params(embedding_dim=None).fit([s.astype(float) for s in X[:32]], y[:32])
    assert not hasattr(clf, "token_ids_")
    assert clf.predict([X[0].astype(float) / 7]).shape == (1,)


def test_per_step_labels_of_token_sequences(task):
    (X, _), _ = task
    y = [(seq == POSITIVE).astype(int) for seq in X[:64]]
    clf = RNNClassifier(embedding_dim=4, return_sequences=True, **TINY)
    clf.set_params(epochs=2).fit(X[:64], y)
    labels = clf.predict(X[:3])
    assert labels.shape == (3, max(len(s) for s in X[:3]))
    assert np.isnan(labels[0, : labels.shape[1] - len(X[0])]).all()


BAD_TOKENS = [
    ([np.array([3, -1, 4])], "negative token id -1 .*shift the ids"),
    ([np.array([3.0, 4.5])], "4.5, which is not a whole number"),
    ([np.array([3.0, np.nan, 4.0])], "NaN .*padding is 0, not NaN"),
    (np.array([[3, 0, 4]]), "padding id 0 between tokens .*add 1 to every id"),
    ([["good", "film"]], "Got str values .*TextTokenizer"),
    (np.ones((2, 3, 1), np.int64), r"2-D array \(n_samples, n_tokens\)"),
    ([np.ones((2, 2), np.int64)], "each sequence of a list holds token ids, 1-D"),
    (sp.csr_matrix(np.ones((2, 3))), "Got a sparse matrix"),
    (pd.Series([np.array([3, 4]), np.array([5])]), r"pass list\(X\)"),
]


@pytest.mark.parametrize(("X", "message"), BAD_TOKENS)
def test_bad_token_ids_are_refused_at_fit_and_predict(fitted, X, message):
    copy = [np.copy(s) for s in X] if isinstance(X, list) else X.copy()
    clf = RNNClassifier(embedding_dim=4, **TINY)
    y = np.arange(len(X) if isinstance(X, (list, pd.Series)) else X.shape[0]) % 2
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    with pytest.raises(ValueError, match=message):
        fitted.predict(X)
    assert not hasattr(clf, "token_ids_")
    if isinstance(X, list):  # input untouched
        for a, b in zip(X, copy, strict=True):
            np.testing.assert_array_equal(a, b)
    elif isinstance(X, np.ndarray):
        np.testing.assert_array_equal(X, copy)


def test_sequences_without_tokens(fitted):
    empty = [np.array([0, 0]), np.zeros(0, np.int64)]
    with pytest.raises(ValueError, match="X holds no token"):
        RNNClassifier(embedding_dim=4, **TINY).fit(empty, [0, 1])
    # Among others, fit leaves them out of training.
    clf = RNNClassifier(embedding_dim=4, **TINY).set_params(epochs=1)
    clf.fit([*empty, np.array([3, 4]), np.array([5])], [0, 1, 0, 1])
    assert clf.vocabulary_size_ == 3
    with pytest.raises(ValueError, match=r"entirely padding \(empty or all 0\)"):
        clf.fit([np.array([3, 4]), np.array([5])], [0, 1], X_val=empty, y_val=[0, 1])
    # At prediction they are read as no input: the same output for all.
    proba = fitted.predict_proba([*empty, np.array([3, 4])])
    assert np.isfinite(proba).all()
    np.testing.assert_array_equal(proba[0], proba[1])
    np.testing.assert_array_equal(fitted.predict_proba(empty), proba[:2])


def test_embedding_dim_is_validated():
    with pytest.raises(ValueError, match="embedding_dim"):
        RNNClassifier(embedding_dim=0).fit([np.array([3, 4])] * 2, [0, 1])


# -- TextTokenizer -----------------------------------------------------------

DOCS = ["A good film.", "a BAD, bad film", "good good acting", "bad plot"]


def test_tokenizer_vocabulary_by_frequency_with_alphabetical_ties():
    tokenizer = TextTokenizer().fit(DOCS)
    # bad 3, good 3, a 2, film 2, acting 1, plot 1
    assert tokenizer.vocabulary_ == {
        "bad": 2,
        "good": 3,
        "a": 4,
        "film": 5,
        "acting": 6,
        "plot": 7,
    }
    assert tokenizer.token_counts_["good"] == 3
    assert TextTokenizer().fit(DOCS[::-1]).vocabulary_ == tokenizer.vocabulary_
    capped = TextTokenizer(max_tokens=2).fit(DOCS)
    assert capped.vocabulary_ == {"bad": 2, "good": 3}
    assert TextTokenizer(min_count=2).fit(DOCS).vocabulary_.keys() == {
        "bad",
        "good",
        "a",
        "film",
    }


def test_tokenizer_transform_keeps_order_and_lengths():
    tokenizer = TextTokenizer(max_tokens=2).fit(DOCS)
    ids = tokenizer.transform(["Good, bad and GOOD!", "", "nothing known"])
    assert [a.dtype for a in ids] == [np.int64] * 3
    assert [a.tolist() for a in ids] == [[3, 2, 1, 3], [], [1, 1]]
    assert tokenizer.inverse_transform(ids[:1]) == [["good", "bad", "<oov>", "good"]]
    names = tokenizer.get_feature_names_out()
    assert names.tolist() == ["<pad>", "<oov>", "bad", "good"]
    # Cut in fit too: "good" is the most frequent of the first two tokens.
    cut = TextTokenizer(max_length=2).fit(DOCS)
    assert cut.vocabulary_["good"] == 2
    assert cut.transform(DOCS)[2].tolist() == [2, 2]


def test_tokenizer_passes_the_analyzer_options_through():
    pairs = TextTokenizer(ngram_range=(1, 2)).fit(["good film"])
    assert set(pairs.vocabulary_) == {"good", "film", "good film"}
    chars = TextTokenizer(analyzer="char").fit(["abba"])
    assert set(chars.vocabulary_) == {"a", "b"}
    assert chars.transform(["abc"])[0].tolist() == [
        chars.vocabulary_["a"],
        chars.vocabulary_["b"],
        1,
    ]
    kept_case = TextTokenizer(lowercase=False).fit(["Good good"])
    assert set(kept_case.vocabulary_) == {"Good", "good"}
    no_stop = TextTokenizer(stop_words=["a"]).fit(["a film"])
    assert set(no_stop.vocabulary_) == {"film"}


@pytest.mark.parametrize(
    ("X", "message"),
    [
        ("a good film", "Got a single string instead"),
        (["good", None], "NoneType None at position 1.*fillna"),
        (["good", 3.0], "float 3.0 at position 1"),
        (np.array([["good"], ["bad"]]), r"1-D iterable .*shape \(2, 1\)"),
        ([",", "!"], "hold no token"),
    ],
)
def test_tokenizer_refuses_what_is_not_documents(X, message):
    with pytest.raises(ValueError, match=message):
        TextTokenizer().fit(X)


def test_tokenizer_inverse_transform_refuses_unknown_ids():
    tokenizer = TextTokenizer().fit(DOCS)
    with pytest.raises(ValueError, match=r"outside \[0, 7\]"):
        tokenizer.inverse_transform([[2, 8]])
    assert tokenizer.inverse_transform(np.array([[0, 2, 3]])) == [["bad", "good"]]
    # An empty sequence (an empty document's ids) is no tokens: an
    # IndexError, as np.asarray([]) is float.
    assert tokenizer.inverse_transform([[], [2]]) == [[], ["bad"]]


def text_task(n, seed):
    """Reviews of random filler words; positive ones hold 'great' somewhere."""
    rng = np.random.default_rng(seed)
    filler = np.array(["the", "film", "plot", "was", "actor", "scene", "and"])
    docs, y = [], np.arange(n) % 2
    for label in y:
        words = list(rng.choice(filler, size=rng.integers(3, 10)))
        if label:
            words.insert(rng.integers(len(words) + 1), "great")
        docs.append(" ".join(words))
    return docs, y


def test_pipeline_from_strings_in_grid_search_and_cross_validate():
    docs, y = text_task(128, 0)  # folds of 64: whole batches, one compiled shape
    pipe = make_pipeline(
        TextTokenizer(max_tokens=50), RNNClassifier(embedding_dim=4, **TINY)
    )
    search = GridSearchCV(pipe, {"rnnclassifier__embedding_dim": [2, 4]}, cv=2)
    search.fit(docs, y)
    test_docs, y_test = text_task(100, 1)
    assert search.score(test_docs, y_test) >= 0.9
    assert search.best_estimator_[-1].vocabulary_size_ == 8  # every word kept
    scores = cross_validate(pipe.set_params(rnnclassifier__epochs=1), docs, y, cv=2)
    assert len(scores["test_score"]) == 2
    # A document without tokens is read as no input, and does not crash.
    assert search.predict(["", "!!"]).shape == (2,)


def test_tokenizer_keeps_scikit_learn_contracts_on_documents():
    """The ideas of scikit-learn's common checks that feed numeric arrays
    (expected failures in tests/test_common.py), on documents."""
    from sklearn.exceptions import NotFittedError

    docs, _ = text_task(40, 2)
    kept = list(docs)
    tokenizer = TextTokenizer(max_tokens=5, ngram_range=(1, 2))
    params = tokenizer.get_params()
    with pytest.raises(NotFittedError):
        tokenizer.transform(docs)
    assert tokenizer.fit(np.array(docs, dtype=object)) is tokenizer
    assert docs == kept  # input untouched
    assert tokenizer.get_params() == params  # parameters not overwritten
    out = tokenizer.transform(docs)
    state = dict(tokenizer.__dict__)
    tokenizer.transform(docs)
    assert tokenizer.__dict__.keys() == state.keys()  # transform sets nothing
    # idempotent fit; fit_transform as fit then transform; from a Series
    again = tokenizer.fit(pd.Series(docs)).transform(docs)
    assert all(np.array_equal(a, b) for a, b in zip(out, again, strict=True))
    both = clone(tokenizer).fit_transform(docs)
    assert all(np.array_equal(a, b) for a, b in zip(out, both, strict=True))
    # each document on its own: subsets and any order give the same ids
    order = np.random.default_rng(0).permutation(len(docs))
    shuffled = tokenizer.transform([docs[i] for i in order])
    assert all(np.array_equal(out[i], shuffled[k]) for k, i in enumerate(order))
    assert np.array_equal(tokenizer.transform(docs[3:4])[0], out[3])
    restored = pickle.loads(pickle.dumps(tokenizer))
    assert restored.vocabulary_ == tokenizer.vocabulary_
    assert np.array_equal(restored.transform(docs)[0], out[0])


def test_regressor_learns_a_token_count_with_a_token_validation_set(task):
    (X, _), (X_test, _) = task
    counts = np.array([(seq < 10).sum() for seq in X], float)
    reg = RNNRegressor(
        units=8,
        embedding_dim=4,
        epochs=20,
        learning_rate=0.01,
        early_stopping=False,
        random_state=0,
    )
    reg.fit(X, counts, X_val=X_test[:50], y_val=[(s < 10).sum() for s in X_test[:50]])
    assert len(reg.history_["val_loss"]) == 20
    test_counts = np.array([(seq < 10).sum() for seq in X_test], float)
    assert reg.score(X_test, test_counts) >= 0.8  # 0.96 when written


def test_token_ids_padded_at_the_end_read_as_padded_at_the_start():
    """A strided convolution's grid ends at the last token: 0-padding after
    the tokens and before them give the same model and probabilities."""
    rng = np.random.default_rng(0)
    lengths = rng.integers(4, 13, size=40)
    start, end = np.zeros((40, 12), int), np.zeros((40, 12), int)
    for i, n in enumerate(lengths):
        ids = rng.integers(1, 20, size=n)
        start[i, -n:], end[i, :n] = ids, ids
    y = (start.sum(axis=1) > np.median(start.sum(axis=1))).astype(int)
    params = dict(
        embedding_dim=4, units=4, conv_filters=(4,), conv_kernel_size=3,
        conv_strides=2, epochs=3, random_state=0,
    )  # fmt: skip
    fitted = [RNNClassifier(**params).fit(ids, y) for ids in (start, end)]
    np.testing.assert_array_equal(
        fitted[0].predict_proba(start), fitted[0].predict_proba(end)
    )
    np.testing.assert_array_equal(
        fitted[0].predict_proba(start), fitted[1].predict_proba(start)
    )
