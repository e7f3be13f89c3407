"""RNNClassifier: a scikit-learn classifier around a Keras recurrent network."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from .._validation import padding_mask
from ._base import (
    _LENGTH_NOTES_DOC,
    _SHARED_ATTRIBUTES_DOC,
    _BaseRNN,
    network_parameters_doc,
    training_parameters_doc,
)

_EPOCHS_NOTE = (
    "\n        The classifier's default; on the small UCR/UEA training sets of\n"
    "        benchmarks/results/classification_accuracy.md it trains 143 to\n"
    "        500 epochs."
)

_CONV_NOTE = (
    "\n        The classifier's default, three blocks of 64 filters with kernels\n"
    "        of 8, 5 and 3 steps, is what lets it learn the long UCR/UEA\n"
    "        sequences of benchmarks/results/classification_accuracy.md; ``()``\n"
    "        for none."
)

_DROPOUT_NOTE = (
    "\n        The classifier's default: beside its convolution front-end, the\n"
    "        recurrent branch would otherwise drown out the convolution\n"
    "        features on small training sets (benchmarks/results/\n"
    "        classification_accuracy.md)."
)

_NETWORK_DOC = network_parameters_doc(
    "(64, 64, 64)", "(8, 5, 3)", '"auto"', _CONV_NOTE, '"auto"', _DROPOUT_NOTE
)


class RNNClassifier(ClassifierMixin, _BaseRNN):
    __doc__ = f"""Recurrent neural network classifier (SimpleRNN, LSTM or GRU).

    Builds and trains a Keras 3 network on sequences and predicts a class per
    sequence. Labels may be any hashable values (strings included); binary
    and multiclass problems use a softmax output.

    Parameters
    ----------
{_NETWORK_DOC}
    loss : {{"sparse_categorical_crossentropy"}} or callable, \
default="sparse_categorical_crossentropy"
        Keras loss to minimise; a callable receives the class indices
        ``0 .. n_classes - 1`` and the predicted probabilities.

    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn: ``{{label:
        weight}}``, or "balanced" for weights inversely proportional to the
        class frequencies. Multiplied with ``sample_weight``.

    normalize : {{"sequence", "shape"}} or None, default="sequence"
        "shape" z-normalises every sequence inside the network: per feature,
        over its observed (unpadded) steps, to mean 0 and standard deviation
        1, as the UCR/UEA literature does before classifying series; the
        predictions are then blind to each sequence's level and scale.
        "sequence" does the same and also gives the output layer what the
        z-normalisation took away, each sequence's mean and standard
        deviation per feature (through ``asinh`` and a
        ``BatchNormalization``, in a linear term that starts at zero), so
        that classes may differ in shape, level or scale. Where the training
        sequences all share one level and scale (files z-normalised
        already), these carry nothing and the network is that of "shape"
        (``model_`` has no "sequence_statistics" layer then); a warm start
        keeps the network it continues.
        Both are part of the network, so ``fit`` and ``predict`` (and a
        saved model) normalise identically, and no scaler is needed; a
        feature constant over a sequence becomes 0. With
        ``return_sequences`` the per-step labels read the shape only, as
        with "shape". None feeds the values as they are: scale them yourself
        (``SequenceScaler``). Not applied with ``embedding_dim``: token ids
        are not values.
{training_parameters_doc('"accuracy", "balanced_accuracy"', '"auto"', _EPOCHS_NOTE)}
    Attributes
    ----------
{_SHARED_ATTRIBUTES_DOC}
    classes_ : ndarray of shape (n_classes,)
        The class labels.

    See Also
    --------
    RNNRegressor : The regressor with the same network knobs.

    Notes
    -----
    Inputs may be 2-D (n_samples, n_timesteps) univariate sequences, 3-D
    (n_samples, n_timesteps, n_features) arrays, NaN-padded 3-D arrays or lists
    of arrays of different lengths: a time step whose features are all NaN is
    padding and is masked inside the network.

    With ``return_sequences=True`` the classifier labels every time step:
    ``classes_`` are the labels of all observed steps of y, ``class_weight``
    weighs steps, ``predict`` returns (n_samples, n_timesteps) labels and
    ``predict_proba`` (n_samples, n_timesteps, n_classes). At the padded
    steps of X (a list of sequences is padded at the start), probabilities
    are NaN and labels are missing: NaN where the labels are numbers
    (integer and boolean labels are then returned as floats), None for
    object labels and ``""`` for strings. ``score`` is the accuracy over the
    observed steps. ``normalize="sequence"`` and a bidirectional network let
    each step's label depend on the whole sequence; for labels that may
    depend only on the steps so far, use ``normalize=None``, no
    ``conv_filters`` and a unidirectional network.
{_LENGTH_NOTES_DOC}
    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RNNClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 12, 1))
    >>> y = np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")
    >>> clf = RNNClassifier(cell="gru", units=8, epochs=2, random_state=0)
    >>> clf.fit(X, y).classes_
    array(['down', 'up'], dtype='<U4')
    >>> clf.predict_proba(X[:3]).shape
    (3, 2)

    Token ids (words of a text, see ``TextTokenizer``) go through an
    embedding with ``embedding_dim``; ids not seen in ``fit`` share one
    out-of-vocabulary row:

    >>> tokens = [np.array([3, 7, 2]), np.array([5, 4]), np.array([2, 9, 9, 3])]
    >>> text_clf = RNNClassifier(embedding_dim=4, units=4, epochs=2, random_state=0)
    >>> text_clf.fit(tokens * 10, ["pos", "neg", "pos"] * 10).vocabulary_size_
    6
    >>> text_clf.predict_proba([np.array([2, 99])]).shape
    (1, 2)
    """

    _parameter_constraints: dict = {
        **_BaseRNN._parameter_constraints,
        "loss": [StrOptions({"sparse_categorical_crossentropy"}), callable],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "normalize": [StrOptions({"sequence", "shape"}), None],
    }

    _output_activation = "softmax"
    _validate_y_kwargs = {"y_numeric": False, "multi_output": False}
    _labels = True
    _metric_functions = {
        "accuracy": accuracy_score,
        "balanced_accuracy": balanced_accuracy_score,
    }
    _maximised_metrics = frozenset({"accuracy", "balanced_accuracy"})

    def __init__(
        self,
        cell="lstm",
        *,
        units=32,
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        layer_dropout="auto",
        activation="tanh",
        dense_units=(),
        dense_activation="relu",
        attention=False,
        conv_filters=(64, 64, 64),
        conv_kernel_size=(8, 5, 3),
        conv_strides="auto",
        embedding_dim=None,
        network=None,
        return_sequences=False,
        optimizer="adam",
        learning_rate=1e-3,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        loss="sparse_categorical_crossentropy",
        class_weight=None,
        normalize="sequence",
        epochs="auto",
        batch_size="auto",
        shuffle=True,
        validation_fraction=0.0,
        early_stopping=False,
        patience=10,
        metrics=None,
        warm_start=False,
        random_state=None,
        verbose=0,
        callbacks=None,
    ):
        super().__init__(
            cell,
            units=units,
            bidirectional=bidirectional,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            layer_dropout=layer_dropout,
            activation=activation,
            dense_units=dense_units,
            dense_activation=dense_activation,
            attention=attention,
            conv_filters=conv_filters,
            conv_kernel_size=conv_kernel_size,
            conv_strides=conv_strides,
            embedding_dim=embedding_dim,
            network=network,
            return_sequences=return_sequences,
            optimizer=optimizer,
            learning_rate=learning_rate,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            loss=loss,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=shuffle,
            validation_fraction=validation_fraction,
            early_stopping=early_stopping,
            patience=patience,
            metrics=metrics,
            warm_start=warm_start,
            random_state=random_state,
            verbose=verbose,
            callbacks=callbacks,
        )
        self.class_weight = class_weight
        self.normalize = normalize

    def _normalize(self, X, previous_spec):
        if self.normalize != "sequence":
            return self.normalize
        if previous_spec is not None:  # a warm start keeps its network
            return previous_spec.normalize
        # Per-step labels read no statistics, so "shape" is the same network
        # there (and one compiled template).
        if self.return_sequences or not _levels_or_scales_vary(X):
            return "shape"
        return "sequence"

    def _encode_step_targets(self, y, observed, sample_weight, *, warm=False):
        """Per-step labels (n_samples, n_timesteps) from ``step_targets``:
        class indices (0 at padded steps) and per-step weights that leave
        the padded steps out of the loss."""
        labels = y[observed]
        if labels.dtype == object:  # a padded list: the labels' own dtype
            labels = np.asarray(labels.tolist())
        weights = self._step_weights(observed, sample_weight)
        codes, step_weight, n_classes = self._encode_targets(
            labels, weights[observed], warm=warm
        )
        y_encoded = np.zeros(observed.shape, np.int32)
        y_encoded[observed] = codes
        weights[observed] = step_weight
        return y_encoded, weights, n_classes

    def _check_step_targets(self, y, observed, name):
        labels = y[observed]
        if labels.dtype == object:
            labels = np.asarray(labels.tolist())
        y_encoded = np.zeros(observed.shape, np.int32)
        y_encoded[observed] = self._check_validation_targets(labels, len(labels), name)
        return y_encoded

    def _check_raw_targets(self, y):
        _check_label_layout(y, "y")

    def _encode_targets(self, y, sample_weight, *, warm=False):
        y = _check_labels(y, "y")
        if warm:
            # Continue the fitted network: its outputs are the fitted classes.
            _check_known_labels(
                y,
                self.classes_,
                "y",
                "With warm_start=True the classes cannot change: set "
                "warm_start=False to fit a new network.",
            )
            encoder = LabelEncoder()
            encoder.classes_ = self.classes_
        else:
            encoder = LabelEncoder().fit(y)
            self.classes_ = encoder.classes_
        y_encoded = encoder.transform(y)
        if self.class_weight is not None:
            class_weights = compute_sample_weight(self.class_weight, y)
            if not (np.isfinite(class_weights) & (class_weights >= 0)).all():
                # sample_weight's own check ran before these were multiplied in.
                raise ValueError(
                    "class_weight must give every class a finite, non-negative "
                    f"weight. Got {self.class_weight!r} instead."
                )
            sample_weight = (
                class_weights
                if sample_weight is None
                else sample_weight * class_weights
            )
        present = y_encoded if sample_weight is None else y_encoded[sample_weight > 0]
        # A warm start continues a network that knows its classes: a chunk
        # may hold one of them, as scikit-learn's partial_fit allows.
        if len(np.unique(present)) < 2 and not warm:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least two classes "
                "(with positive sample weight) to learn from. Got one class "
                f"({self.classes_[present[:1]].tolist()[0]!r}) instead."
            )
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float32)
        return y_encoded.astype(np.int32), sample_weight, len(self.classes_)

    def _check_validation_targets(self, y_val, n_samples, name="y_val"):
        y_val = _check_labels(y_val, name)
        if len(y_val) != n_samples:
            raise ValueError(
                f"{name} must have one label per sequence ({n_samples}). "
                f"Got {len(y_val)} labels instead."
            )
        _check_known_labels(
            y_val, self.classes_, name, "Drop those samples or refit with them."
        )
        return np.searchsorted(self.classes_, y_val).astype(np.int32)

    def _decode_outputs(self, raw):
        return self.classes_[np.argmax(raw, axis=1)]

    def _decode_targets(self, y):
        return self.classes_[y]

    def predict_proba(self, X):
        """Probability of each class for each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities, columns in the order of ``classes_``. With
            ``return_sequences=True``, of shape (n_samples, n_timesteps,
            n_classes), NaN at the padded steps of X.
        """
        if self._per_step():
            proba, X = self._predict_raw(X, return_X=True)
            proba /= proba.sum(axis=-1, keepdims=True)
            proba[padding_mask(X)] = np.nan
            return proba
        proba = self._predict_raw(X)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns in the order of ``classes_``
            ((n_samples, n_timesteps, n_classes) with ``return_sequences``).
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict the class of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, of the type of ``classes_``. With
            ``return_sequences=True``, of shape (n_samples, n_timesteps),
            missing at the padded steps of X (see Notes).
        """
        proba = self.predict_proba(X)
        if not self._per_step():
            return self.classes_[np.argmax(proba, axis=1)]
        padded = np.isnan(proba).any(axis=-1)
        labels = self.classes_[np.argmax(np.nan_to_num(proba), axis=-1)]
        return _with_missing(labels, padded)

    def score(self, X, y, sample_weight=None):
        """Mean accuracy of the predictions.

        With ``return_sequences=True`` it is the accuracy over the observed
        (unpadded) time steps of X, each weighted by its sequence's
        ``sample_weight``; otherwise as in scikit-learn's ``ClassifierMixin``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``.
        y : array-like
            True labels, in the form of y in ``fit``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the sequences.

        Returns
        -------
        score : float
            Accuracy of ``predict(X)`` against y.
        """
        if not self._per_step():
            return super().score(X, y, sample_weight=sample_weight)
        y_true, y_pred, weights = self._observed_steps(X, y, sample_weight)
        return float(accuracy_score(y_true, y_pred, sample_weight=weights))


def _levels_or_scales_vary(X):
    """Whether the sequences of X (NaN-padded, 3-D) differ in level or scale:
    whether, in some feature, the spread over sequences of their mean or of
    their standard deviation exceeds 1e-4 of that feature's typical scale
    (the median over sequences of their standard deviation, or of their
    absolute mean where sequences are constant). Files that are z-normalised
    already (most of the UCR archive) spread about 1e-7, float noise, and
    there these statistics carry nothing."""
    mean = np.nanmean(X, axis=1, dtype=np.float64)
    std = np.nanstd(X, axis=1, dtype=np.float64)
    scale = np.median(std, axis=0)
    flat = ~(scale > 0)
    scale[flat] = np.median(np.abs(mean), axis=0)[flat]
    scale[~(scale > 0)] = 1.0
    spread = np.maximum(mean.std(axis=0), std.std(axis=0)) / scale
    return bool((spread > 1e-4).any())


def _with_missing(labels, missing):
    """Per-step labels with the padded steps marked missing: NaN for numbers
    (as floats), "" for strings, None for objects."""
    kind = labels.dtype.kind
    if kind in "US":
        labels = labels.copy()
        labels[missing] = ""
    elif kind == "O":
        labels = labels.copy()
        labels[missing] = None
    else:
        labels = labels.astype(np.float64)
        labels[missing] = np.nan
    return labels


def _check_label_layout(y, name):
    """Refuse labels that are not one per sample, or missing, naming the fix."""
    if y is None:  # scikit-learn's "requires y to be passed"
        return
    try:
        labels = np.asarray(y)
    except ValueError:  # ragged nested lists: left to scikit-learn's checks
        return
    shape = labels.shape
    if len(shape) > 1 and shape[1] > 1:
        raise ValueError(
            f"{name} has shape {shape}, but a label per sample is 1-D. For a "
            "label per time step, set return_sequences=True; several labels "
            "per sample (multi-label) need one classifier per label column."
        )
    labels = labels.ravel()
    missing = np.zeros(len(labels), bool)
    if labels.dtype.kind == "f":
        missing = np.isnan(labels)
    elif labels.dtype == object:
        missing = np.array(
            [
                v is None
                or (isinstance(v, float) and v != v)
                or type(v).__name__ == "NAType"  # pandas.NA
                for v in labels
            ]
        )
    if missing.any():
        raise ValueError(
            f"{name} has {int(missing.sum())} missing label(s) (None or NaN; "
            f"the first at sample {int(np.argmax(missing))}). A sample without "
            "a label teaches nothing: drop those samples from X and y first."
        )


def _check_labels(y, name):
    """1-D classification labels of one type, with a clear message otherwise."""
    _check_label_layout(y, name)  # None among strings is no other type
    y = column_or_1d(y, warn=True)
    if y.dtype == object:
        kinds = {
            "str"
            if isinstance(label, str)
            else "number"
            if isinstance(label, (int, float, np.number))
            and not isinstance(label, bool)
            else type(label).__name__
            for label in y
        }
        if len(kinds) > 1:
            examples = {}
            for label in y:
                kind = "str" if isinstance(label, str) else type(label).__name__
                examples.setdefault(kind, label)
            raise ValueError(
                f"{name} mixes labels of different types ({sorted(kinds)}; e.g. "
                f"{', '.join(repr(v) for v in examples.values())}), which cannot "
                "be sorted into classes. Give all labels one type, e.g. "
                f"{name}.astype(str) for strings."
            )
    check_classification_targets(y)
    return y


def _check_known_labels(y, classes, name, hint):
    unknown = np.setdiff1d(np.unique(y), classes)
    if len(unknown):
        raise ValueError(
            f"{name} has labels that are not among the fitted classes "
            f"{classes.tolist()}: {unknown[:5].tolist()}. {hint}"
        )
