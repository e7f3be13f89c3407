"""TextTokenizer: raw documents to integer token sequences for an RNN."""

from collections import Counter
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._pickling import SavedVersionMixin
from .._state import restore_on_error

__all__ = ["TextTokenizer"]

PADDING_ID, OOV_ID = 0, 1
# Names of the two reserved ids in get_feature_names_out and
# inverse_transform: "<" and ">" are no word characters, so the default
# token_pattern never makes a token of these.
PADDING_NAME, OOV_NAME = "<pad>", "<oov>"


class TextTokenizer(
    TransformerMixin, SavedVersionMixin, BaseEstimator, auto_wrap_output_keys=None
):
    """Turn documents into sequences of integer token ids.

    Splits each document into tokens with scikit-learn's
    :class:`~sklearn.feature_extraction.text.CountVectorizer` analyzer
    (lowercasing, ``token_pattern``, ``ngram_range`` as there), learns a
    vocabulary of the most frequent tokens in ``fit``, and replaces every
    token by its id, in the order of the document. The output, one 1-D int
    array per document of its own length, is what
    ``RNNClassifier(embedding_dim=...)`` and ``RNNRegressor(embedding_dim=...)``
    read: ``make_pipeline(TextTokenizer(), RNNClassifier(embedding_dim=32))``
    goes from raw strings to a classifier.

    Ids: 0 is padding (never produced; the estimators pad with it), 1 is
    out of vocabulary (a token not kept in ``fit``), and the kept tokens get
    2, 3, ... from the most frequent down.

    Parameters
    ----------
    max_tokens : int, default=None
        Keep at most this many tokens, the most frequent in the training
        documents; ties are broken alphabetically, so the vocabulary does
        not depend on the order of the documents. The others become the
        out-of-vocabulary id 1 (so the network learns what a rare token
        means). None keeps all tokens of at least ``min_count``
        occurrences.

    min_count : int, default=1
        Keep only tokens that occur at least this many times in the
        training documents.

    max_length : int, default=None
        Cut every document after this many tokens (its first ones). A
        recurrent network reads a sequence step by step, so long documents
        cost training time in proportion to their length. None keeps every
        token. With ``ngram_range=(1, 2)`` a document's pairs come after all
        its words (see ``ngram_range``), so the cut drops its pairs first.

    lowercase : bool, default=True
        Lowercase the documents before tokenizing.

    token_pattern : str, default=r"(?u)\\b\\w+\\b"
        Regular expression of a token (``analyzer="word"``). Unlike
        ``CountVectorizer``'s default, which drops one-letter words, every
        word is kept: in a sequence, "a" and "I" carry meaning.

    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The n-grams of tokens (or characters) to produce, as in
        ``CountVectorizer``: with (1, 2) a document becomes its words
        followed by its pairs of consecutive words.

    analyzer : {"word", "char", "char_wb"} or callable, default="word"
        Tokens are words, or character n-grams (``"char"``; ``"char_wb"``
        inside word boundaries), or what a callable ``doc -> list of str``
        returns.

    strip_accents : {"ascii", "unicode"} or None, default=None
        Remove accents, as in ``CountVectorizer``.

    stop_words : "english", list of str or None, default=None
        Tokens to drop before counting, as in ``CountVectorizer``. Off by
        default: words such as "not" carry sentiment.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Each kept token and its id (from 2).

    token_counts_ : dict of str to int
        Occurrences of each kept token in the training documents.

    See Also
    --------
    skrnn.RNNClassifier : reads the token ids with ``embedding_dim``.
    sklearn.feature_extraction.text.CountVectorizer : the tokenizer used,
        which counts tokens instead of keeping their order.

    Examples
    --------
    >>> from skrnn.preprocessing import TextTokenizer
    >>> docs = ["a good film", "a bad, bad film", "good"]
    >>> tokenizer = TextTokenizer(max_tokens=3).fit(docs)
    >>> tokenizer.vocabulary_
    {'a': 2, 'bad': 3, 'film': 4}
    >>> tokenizer.transform(["a good film", "bad"])
    [array([2, 1, 4]), array([3])]
    >>> tokenizer.inverse_transform([[2, 1, 4]])
    [['a', '<oov>', 'film']]
    """

    _parameter_constraints: dict = {
        "max_tokens": [Interval(Integral, 1, None, closed="left"), None],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "ngram_range": [tuple],
        "analyzer": [StrOptions({"word", "char", "char_wb"}), callable],
        "strip_accents": [StrOptions({"ascii", "unicode"}), None],
        "stop_words": [StrOptions({"english"}), list, None],
    }

    def __init__(
        self,
        *,
        max_tokens=None,
        min_count=1,
        max_length=None,
        lowercase=True,
        token_pattern=r"(?u)\b\w+\b",
        ngram_range=(1, 1),
        analyzer="word",
        strip_accents=None,
        stop_words=None,
    ):
        self.max_tokens = max_tokens
        self.min_count = min_count
        self.max_length = max_length
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.strip_accents = strip_accents
        self.stop_words = stop_words

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Like CountVectorizer: an iterable of documents, not a 2-D array.
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def _build_analyzer(self):
        ngram_range = self.ngram_range
        if (
            len(ngram_range) != 2
            or not all(
                isinstance(n, Integral) and not isinstance(n, bool) for n in ngram_range
            )
            or not 1 <= ngram_range[0] <= ngram_range[1]
        ):
            raise ValueError(
                "`ngram_range` must be a tuple (min_n, max_n) of ints with "
                f"1 <= min_n <= max_n. Got {ngram_range!r} instead."
            )
        return CountVectorizer(
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            ngram_range=ngram_range,
            analyzer=self.analyzer,
            strip_accents=self.strip_accents,
            stop_words=self.stop_words,
        ).build_analyzer()

    def _tokens(self, X, analyzer):
        """The tokens of every document of X, cut at ``max_length``."""
        if isinstance(X, (str, bytes)):
            raise ValueError(
                "X must be an iterable of documents (strings), e.g. a list or "
                "a pandas Series. Got a single string instead: pass [X]."
            )
        if hasattr(X, "ndim") and X.ndim != 1:
            raise ValueError(
                "X must be a 1-D iterable of documents (strings). Got an array "
                f"of shape {X.shape} instead; for one column of a DataFrame, "
                'select it as a Series (df["text"]).'
            )
        try:
            documents = list(X)
        except TypeError as exc:
            raise ValueError(
                "X must be an iterable of documents (strings). Got "
                f"{type(X).__name__} instead."
            ) from exc
        tokens = []
        for i, document in enumerate(documents):
            if not isinstance(document, (str, bytes)):
                raise ValueError(
                    "X must hold documents (strings). Got "
                    f"{type(document).__name__} {document!r} at position {i}; "
                    "replace missing documents by empty strings, e.g. "
                    'X.fillna("") for a pandas Series.'
                )
            tokens.append(analyzer(document)[: self.max_length])
        return tokens

    def fit(self, X, y=None):
        """Learn the vocabulary of the documents.

        Parameters
        ----------
        X : iterable of str
            Training documents.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted tokenizer.
        """
        with restore_on_error(self):
            self._validate_params()
            analyzer = self._build_analyzer()
            counts = Counter()
            for tokens in self._tokens(X, analyzer):
                counts.update(tokens)
            kept = sorted(
                (item for item in counts.items() if item[1] >= self.min_count),
                key=lambda item: (-item[1], item[0]),
            )[: self.max_tokens]
            if not kept:
                raise ValueError(
                    "The training documents hold no token"
                    + (
                        f" occurring at least min_count={self.min_count} times"
                        if counts
                        else ""
                    )
                    + ". Check `token_pattern` and `stop_words`, lower "
                    "`min_count`, or pass documents with words."
                )
            self.vocabulary_ = {
                token: i + OOV_ID + 1 for i, (token, _) in enumerate(kept)
            }
            self.token_counts_ = dict(kept)
        return self

    def transform(self, X):
        """Replace every token of each document by its id.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        ids : list of ndarray of int64
            One 1-D array per document, of its number of tokens (up to
            ``max_length``): the ids of its tokens in order, 1 for tokens
            out of the vocabulary. A document without tokens gives an empty
            array.
        """
        check_is_fitted(self)
        vocabulary = self.vocabulary_
        return [
            np.array([vocabulary.get(token, OOV_ID) for token in tokens], np.int64)
            for tokens in self._tokens(X, self._build_analyzer())
        ]

    def get_feature_names_out(self, input_features=None):
        """The token of every id: position ``i`` holds the token of id ``i``.

        Positions 0 and 1, padding and out of vocabulary, hold ``"<pad>"``
        and ``"<oov>"``.

        Parameters
        ----------
        input_features : None
            Ignored; the input is documents, not columns.

        Returns
        -------
        names : ndarray of str objects
            ``len(vocabulary_) + 2`` names.
        """
        check_is_fitted(self)
        names = [PADDING_NAME, OOV_NAME, *self.vocabulary_]
        return np.asarray(names, dtype=object)

    def inverse_transform(self, X):
        """The tokens of sequences of ids.

        Parameters
        ----------
        X : list of array-like of int, or 2-D array of int
            Token ids, as ``transform`` returns them; padding (0) is
            dropped.

        Returns
        -------
        tokens : list of list of str
            The tokens of each sequence, ``"<oov>"`` for id 1.
        """
        check_is_fitted(self)
        names = self.get_feature_names_out()
        out = []
        for i, seq in enumerate(X):
            ids = np.asarray(seq)
            if ids.ndim != 1 or (ids.size and ids.dtype.kind not in "iu"):
                raise ValueError(
                    "X must hold sequences of integer token ids. Got "
                    f"{ids.dtype} values of shape {ids.shape} at position {i}."
                )
            ids = ids[ids != PADDING_ID].astype(np.intp)  # [] is float
            if ids.size and (ids.min() < 0 or ids.max() >= len(names)):
                raise ValueError(
                    f"X holds ids outside [0, {len(names) - 1}], the ids of "
                    f"this tokenizer, at position {i}: e.g. "
                    f"{ids[(ids < 0) | (ids >= len(names))][0]}."
                )
            out.append(names[ids].tolist())
        return out
