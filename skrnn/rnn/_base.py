"""Shared machinery of RNNRegressor and RNNClassifier."""

import contextlib
import dataclasses
import math
import pickle
import re
import tempfile
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from .._pickling import SavedVersionMixin, installed_version
from .._state import restore_on_error
from .._validation import (
    _is_sequence_list,
    check_sequences,
    empty_sequences,
    end_aligned,
    padding_mask,
)
from .._warnings import user_stacklevel
from ._spec import NetworkSpec

ACTIVATIONS = {
    "tanh",
    "relu",
    "sigmoid",
    "linear",
    "elu",
    "selu",
    "gelu",
    "silu",
    "softsign",
    "hard_sigmoid",
}


# The parameters of RNNRegressor and RNNClassifier, in signature order: the
# network knobs, then (after each class's ``loss``) the training settings.
_NETWORK_PARAMETERS_DOC = """
    cell : {"lstm", "gru", "simple"}, default="lstm"
        Recurrent cell: Keras ``LSTM``, ``GRU`` or ``SimpleRNN``.

    units : int or tuple of int, default=32
        Width of the recurrent layer; a tuple stacks layers, first to last
        (``units=(64, 32)``). With ``conv_filters``, ``units=()`` leaves
        out the recurrent layers (a fully convolutional network).

    bidirectional : bool, default=False
        Wrap every recurrent layer in ``keras.layers.Bidirectional``.

    dropout : float in [0, 1), default=0.0
        Keras's ``dropout`` of every recurrent layer: the fraction of each
        recurrent layer's *inputs* dropped during training, the raw series
        included for the first layer. For the ``Dropout`` layers that Keras
        tutorials put between and after recurrent layers, use
        ``layer_dropout``.

    recurrent_dropout : float in [0, 1), default=0.0
        Fraction of the recurrent state dropped during training.

    layer_dropout : float in [0, 1) or "auto", default={layer_dropout_default}
        Rate of a ``keras.layers.Dropout`` after every recurrent layer and
        every hidden dense layer: between layers and before the output
        layer, as in ``LSTM -> Dropout -> LSTM -> Dropout -> Dense``. It
        never touches the input series. 0 adds no layer. "auto" is
        LSTM-FCN's setting (Karim et al. 2018): with a convolution front-end
        (``conv_filters``), one ``Dropout(0.8)`` on the recurrent summary
        where it joins the convolution features, and none elsewhere;
        without one, no dropout.{layer_dropout_note}

    activation : str or callable, default="tanh"
        Activation of the recurrent cells ("tanh", "relu", ...).

    dense_units : int or tuple of int, default=()
        Widths of hidden dense layers between the recurrent part and the
        output layer; empty for none.

    dense_activation : str or callable, default="relu"
        Activation of the hidden dense layers (``dense_units``).

    attention : bool, default=False
        Pool the last recurrent layer's states over time with a learned
        additive attention instead of using its last state.

    conv_filters : int or tuple of int, default={conv_filters_default}
        Widths of a convolutional front-end: one block of ``Conv1D`` (over
        time), ``BatchNormalization`` and ReLU per entry, before the
        recurrent layers. The recurrent layers read the blocks' output, and
        its average over time (over the observed steps) joins the last
        recurrent state before the output layer, the two branches of
        LSTM-FCN (Karim et al. 2018). Convolutions pick up local shapes that
        a recurrent layer learns slowly from raw steps, and their pooled
        features carry the gradient past a long recurrence. Padding is
        masked throughout: padded steps enter the convolutions as zeros, as
        a sequence's borders do, and are left out of the normalisation and
        the average. {conv_filters_note}

    conv_kernel_size : int or tuple of int, default={conv_kernel_default}
        Kernel size of each convolution block: one int for all, or one per
        entry of ``conv_filters``.

    conv_strides : int, tuple of int or "auto", default={conv_strides_default}
        Stride of each convolution block: one int for all, or one per entry
        of ``conv_filters``. A stride of s keeps every s-th step (counted
        back from the last step), so the recurrent layers read sequences s
        times shorter: the cheap way to read very long sequences. "auto"
        strides the first block by ``ceil(n_timesteps / 400)`` of the
        fitted (longest) sequences and the others by 1: sequences of up to
        400 steps are read whole, longer ones downsampled to at most 400
        steps (1,460-step sequences by 4).

    embedding_dim : int, default=None
        Read X as integer token ids (words of a text, items of a session)
        through a learned ``keras.layers.Embedding`` of this width, instead
        of as numbers. X is then a 2-D int array (n_samples, n_tokens) in
        which 0 is padding (at the start or the end of a row, as Keras's
        ``pad_sequences`` puts it), or a list of 1-D int arrays of different
        lengths, e.g. from :class:`~skrnn.TextTokenizer`.
        ``fit`` learns the vocabulary, the distinct ids of X
        (``token_ids_``); at prediction an id not among them maps to one
        out-of-vocabulary row of the embedding, and padding is masked
        through the whole network. A 2-D X may have any number of columns
        at prediction. The network knobs apply to the embedded sequences.
        Token ids are categories, not values, so the per-sequence
        normalisation (the classifier's ``normalize``) and the regressor's
        ``linear_skip`` are not applied to them. None (the default) reads
        X as numeric sequences.

    network : callable, default=None
        Your own network body, for architectures the knobs above cannot
        express. Called with the masked Keras input tensor of shape
        (batch, n_timesteps, n_features) (with ``embedding_dim``, the
        embedded tokens, of ``embedding_dim`` features), it must return a
        2-D tensor
        (3-D, one state per time step, with ``return_sequences``); skrnn
        adds the output layer. When given, ``cell``, ``units``,
        ``bidirectional``, ``dropout``, ``recurrent_dropout``,
        ``layer_dropout``, ``activation``, ``dense_units``,
        ``dense_activation``, ``attention`` and the ``conv_*`` knobs are not
        used. A body that needs the number of time steps (``Flatten``,
        ``TimeDistributed``) is built for the fitted length and then reads
        only that length.

    return_sequences : bool, default=False
        One output per time step (Keras's ``return_sequences``), for
        sequence labelling (tagging) and for returning the whole output
        sequence, instead of one output per sequence. y then holds a target
        for every time step of X: shape (n_samples, n_timesteps) or, for the
        regressor, (n_samples, n_timesteps, n_outputs); with X a list of
        sequences of different lengths, a list of arrays of the same
        lengths. Entries of y at padded steps of X are ignored (NaN, None or
        any value) and left out of the loss. The recurrent layers return
        every state and the dense and output layers read each one; with
        ``bidirectional`` the output at a step reads the whole sequence, and
        ``conv_filters`` join their features step by step (a kernel reads
        up to ``kernel_size // 2`` steps ahead). ``conv_strides`` must be 1
        ("auto" means 1), since a stride drops steps, and ``attention``,
        which pools the steps into one vector, must be False; the
        regressor's ``linear_skip`` reads the inputs of the same step.
        ``sample_weight`` weighs whole sequences, every step of one alike.
        ``predict`` returns one output per step (see Notes).

    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}, \
default="adam"
        Keras optimizer.

    learning_rate : float or keras.optimizers.schedules.LearningRateSchedule, \
default=1e-3
        Learning rate of the optimizer, or a Keras schedule of it (e.g.
        ``keras.optimizers.schedules.ExponentialDecay``), which counts
        optimizer steps from 0 in every fit. For a rate that drops when the
        loss stalls, pass ``keras.callbacks.ReduceLROnPlateau`` in
        ``callbacks`` instead.

    clipnorm : float, default=None
        Clip the gradient of each weight tensor to this L2 norm; helps
        against exploding gradients. Adam-type optimizers normalise their
        steps, so clipping bounds the size of an update only with ``"sgd"``;
        with them, a diverging fit needs a smaller ``learning_rate``.

    clipvalue : float, default=None
        Clip every gradient element to ``[-clipvalue, clipvalue]``.

    global_clipnorm : float, default=None
        Clip the gradients of all weights together to this global L2 norm
        (keeps their direction). At most one of ``clipnorm``, ``clipvalue``
        and ``global_clipnorm`` may be set.
"""

# The validation and early-stopping defaults differ between the estimators.
_CLASSIFIER_STOPPING_DOC = """    validation_fraction : float in [0, 1), default=0.0
        Fraction of the samples held out to monitor ``val_loss``; 0 trains on
        all samples. The regressor holds out the last samples (the latest
        windows of a series); the classifier a random (seeded) subset,
        stratified by class, since labelled data are often sorted by class
        and a rare class must keep samples to train on.

    early_stopping : bool, default=False
        Stop when the monitored loss has not improved for ``patience`` epochs
        and restore the weights of the best epoch. The validation loss is
        monitored when there is a validation set, else the training loss.
        Off by default, training on all samples for ``epochs``: with tens to
        hundreds of samples a held-out tail of 10% is a handful of samples
        and stopping on it is noisy. In skrnn's defaults study a fixed 100
        epochs on all the data forecast better on all three series and
        classified better on average than early stopping on the last 10%
        (benchmarks/results/defaults_forecasting.md and
        defaults_classification.md). With more data, set
        ``early_stopping=True, validation_fraction=0.2`` for example.
"""


def training_parameters_doc(
    metric_names, epochs_default, epochs_note, stopping=_CLASSIFIER_STOPPING_DOC
):
    """The training settings' docs with one estimator's defaults."""
    return (
        _TRAINING_PARAMETERS_DOC.replace("{metric_names}", metric_names)
        .replace("{epochs_default}", epochs_default)
        .replace("{epochs_note}", epochs_note)
        .replace("{stopping}", stopping)
    )


def network_parameters_doc(
    conv_filters, conv_kernel_size, conv_strides, conv_note, layer_dropout, dropout_note
):
    """The network knobs' docs with one estimator's convolution and
    dropout defaults."""
    return (
        _NETWORK_PARAMETERS_DOC.replace("{conv_filters_default}", conv_filters)
        .replace("{layer_dropout_default}", layer_dropout)
        .replace("{layer_dropout_note}", dropout_note)
        .replace("{conv_kernel_default}", conv_kernel_size)
        .replace("{conv_strides_default}", conv_strides)
        .replace(" {conv_filters_note}", conv_note)
    )


_TRAINING_PARAMETERS_DOC = """
    epochs : int or "auto", default={epochs_default}
        Maximum number of passes over the training data. "auto" decides in
        ``fit`` from the number of batches per epoch: enough epochs for at
        least 1,000 optimizer steps, and at least 100 epochs (a set of 50
        sequences in batches of 32 trains 500 epochs, one of 500
        sequences 100). Small training sets, a few dozen sequences as in
        many UCR/UEA sets, need many passes: with a fixed 100 epochs they
        get only 200 steps.{epochs_note}

    batch_size : int or "auto", default="auto"
        Samples per gradient update. "auto" is 32 up to 32,000 training
        samples (windows, for a forecaster); above, the smallest power of
        two that keeps an epoch within 1,000 updates (128 for 110,000
        windows), so that a large panel trains at the throughput of larger
        batches instead of running tens of thousands of small updates per
        epoch. On 1,000 synthetic series (110,000 windows) that fitted the
        global network 1.55x faster with the same MASE
        (benchmarks/results/panels.md).

    shuffle : bool, default=True
        Draw a new order of the training samples every epoch (from
        ``random_state``), as Keras's ``fit(shuffle=True)`` does; False
        takes them in their order. Given the same order, skrnn's epochs
        equal Keras's ``fit`` step for step. Note that Keras's seeded
        ``fit`` (after ``keras.utils.set_random_seed``) repeats one order
        every epoch; skrnn draws a new one, which trains as well
        (benchmarks/results/training_parity.md).

{stopping}
    patience : int, default=10
        Epochs without improvement before early stopping.

    metrics : list of str or callable, default=None
        Metrics recorded in ``history_`` after every epoch, on the training
        samples and (as ``"val_<name>"``) on the validation set. Names:
        {metric_names}; a callable ``f(y_true, y_pred) -> float`` gets the
        targets and the outputs of ``predict`` and is recorded under its
        ``__name__``. Computed with the weights at the end of the epoch
        (dropout off) and without sample weights; each costs one pass of
        prediction over the data per epoch. None records only the loss.

    warm_start : bool, default=False
        When True and the estimator is fitted, ``fit`` continues training
        the fitted network (its weights, with a fresh optimizer state) on
        the new data, e.g. a second series, instead of starting from new
        initial weights. The network must be the same (same knobs, number of
        features per step and outputs; for the classifier, labels among
        ``classes_``).

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. With an int, two
        fits on the same data give identical predictions on CPU. Python's and
        NumPy's global random states are left as they were.

    verbose : int, default=0
        0 is silent; otherwise one line per epoch with the losses.

    callbacks : list of keras.callbacks.Callback, default=None
        Called at the start and end of training and of every epoch, with the
        epoch's ``loss`` (``val_loss``, metrics) in ``logs``. A whole epoch
        runs as one compiled call, so batch-level hooks are not called.
        Setting ``self.model.stop_training = True`` stops training, and
        ``keras.callbacks.ReduceLROnPlateau`` lowers the learning rate (give
        it ``monitor="loss"`` without a validation set). A callback in
        ``mode="auto"`` that monitors one of ``metrics`` by name
        (``"val_accuracy"``) is set to its direction (``mode="max"``); for a
        callable metric, give ``mode``. ``history_["learning_rate"]`` is
        recorded before the epoch's callbacks run, so a callback's change
        shows from the next epoch on (as in Keras's logs). Their
        ``on_train_end`` runs after ``early_stopping`` has restored its best
        epoch, so a callback that restores weights of its own
        (``EarlyStopping(restore_best_weights=True)``) decides the weights
        kept.
"""

_SHARED_ATTRIBUTES_DOC = """
    model_ : keras.Model
        The trained Keras model.

    history_ : dict of list of float
        Per epoch: ``"loss"``, ``"val_loss"`` with a validation set, the
        ``metrics`` (``"mae"``, ``"val_mae"``, ...), and ``"learning_rate"``,
        the rate at the end of the epoch (it changes with a schedule or
        ``ReduceLROnPlateau``). Of the latest ``fit``: a ``warm_start`` fit
        replaces it, as Keras's ``fit`` returns a new ``History`` per call.

    n_epochs_ : int
        Number of epochs run by the latest ``fit``.

    n_features_in_ : int
        Number of columns of X seen in fit: the number of time steps, as
        scikit-learn counts features of a 2-D or 3-D array.

    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame of univariate sequences.

    sequence_shape_ : tuple of int
        ``(n_timesteps, n_features)`` of the fitted sequences (the longest,
        for variable-length data). Prediction reads sequences of any length
        with ``n_features`` per step (see Notes). With ``embedding_dim``,
        ``n_features`` is 1, the token id.

    token_ids_ : ndarray of int
        With ``embedding_dim``: the distinct token ids seen in ``fit``,
        sorted (padding left out). Other ids are out of vocabulary.

    vocabulary_size_ : int
        With ``embedding_dim``: the number of distinct token ids seen in
        ``fit``, ``len(token_ids_)``. The embedding has two more rows, for
        padding and for out-of-vocabulary ids.
"""

_LENGTH_NOTES_DOC = """
    A recurrent network reads sequences of any length, so ``predict`` takes
    sequences shorter or longer than every training sequence, as a list of
    arrays, a NaN-padded 3-D array, or a 3-D array of another length;
    nothing needs padding to the fitted length. This holds whatever the
    training data was (fixed-length windows too), but what a network learned
    on one length need not carry over to much longer sequences. Only a
    ``network`` body that needs the number of time steps (``Flatten``,
    ``TimeDistributed``) reads the fitted length alone: shorter sequences in
    a list are padded to it and longer ones refused. A 2-D X keeps
    scikit-learn's contract, one column per time step: it must have the
    fitted number of columns. The number of features per step is always
    checked. A sequence with no observed step (an empty array in a list)
    cannot be read and is refused, as is an X in which every sequence is
    entirely padding; rows of a NaN-padded array that are entirely padding
    among others (the first rows of a ``SlidingWindow`` output) get the
    network's output for an empty input.
"""


def _as_layer_widths(value, name, *, allow_empty):
    """Normalise an int or a sequence of ints to a tuple of layer widths."""
    widths = (value,) if isinstance(value, Integral) else tuple(value)
    if not widths and not allow_empty:
        raise ValueError(f"`{name}` must give at least one layer. Got {value!r}.")
    for width in widths:
        if not isinstance(width, Integral) or isinstance(width, bool) or width < 1:
            raise ValueError(
                f"`{name}` must be a positive int or a tuple of positive ints. "
                f"Got {value!r} instead."
            )
    return tuple(int(w) for w in widths)


# conv_strides="auto": the first block strides so that the layers after it
# read at most this many steps. One seed each: on ACSF1 (1,460 steps) a
# stride of 4 scored 82% and one of 8 70%; on OSULeaf (427) 2 and 3 beat 1
# (75-81% against 61%).
AUTO_STRIDE_STEPS = 400
# epochs="auto": at least this many optimizer steps, and this many epochs.
AUTO_MIN_STEPS = 1000
AUTO_MIN_EPOCHS = 100


AUTO_BATCH_SIZE = 32
AUTO_MAX_BATCHES = 1000


def _auto_batch_size(n_samples):
    """``batch_size="auto"``: ``AUTO_BATCH_SIZE``, or the smallest power of
    two that makes at most ``AUTO_MAX_BATCHES`` batches of ``n_samples``."""
    if n_samples <= AUTO_BATCH_SIZE * AUTO_MAX_BATCHES:
        return AUTO_BATCH_SIZE
    return 1 << (-(-n_samples // AUTO_MAX_BATCHES) - 1).bit_length()


def _n_held_out(n_samples, validation_fraction):
    """The samples ``validation_fraction`` holds out, as the training split
    counts them (``_keras._split_validation``): rounded down."""
    return int(n_samples * validation_fraction)


def _n_trained(n_samples, validation_fraction):
    """The samples trained on: those left after the validation fraction."""
    n_val = _n_held_out(n_samples, validation_fraction)
    return n_samples - n_val if 0 < n_val < n_samples else n_samples


def _auto_epochs(n_samples, batch_size, validation_fraction):
    """``epochs="auto"``: enough passes for ``AUTO_MIN_STEPS`` batch steps
    on the samples that are trained on, and at least ``AUTO_MIN_EPOCHS``."""
    batches = -(-_n_trained(n_samples, validation_fraction) // batch_size)
    return max(AUTO_MIN_EPOCHS, -(-AUTO_MIN_STEPS // batches))


def _warn_no_validation_set(estimator, n_samples, fraction):
    """``fraction`` of ``n_samples`` rounds down to no sample at all
    (scikit-learn's MLP refuses it; a regressor's defaults meet it on fewer
    than 5 samples, so it is said, not refused)."""
    stopping = (
        ", and early stopping monitors the training loss"
        if estimator.early_stopping
        else ""
    )
    warnings.warn(
        f"validation_fraction={fraction} of {n_samples} samples (windows, in a "
        f"forecaster) holds out none "
        f"(it rounds down to 0), so there is no val_loss{stopping}. Fit on at "
        f"least {math.ceil(1 / fraction)} samples, raise validation_fraction, "
        "or pass X_val and y_val; validation_fraction=0 trains on every "
        "sample without this warning.",
        UserWarning,
        stacklevel=user_stacklevel(),
    )


def _with_directions(callbacks, metrics, maximised):
    """``callbacks``, those in ``mode="auto"`` that monitor one of skrnn's
    named ``metrics`` told which way is better (up for those in
    ``maximised``, down for the errors).

    Keras reads the direction from the compiled metrics of the model, and
    skrnn computes its metrics itself (they are not compiled): such a
    callback failed after the first epoch ("isn't able to automatically
    determine whether that metric should be maximized or minimized"). The
    callback is set as Keras would set it (its ``mode``).
    """
    named = {metric for metric in metrics or [] if isinstance(metric, str)}
    for callback in callbacks or []:
        monitor = str(getattr(callback, "monitor", "")).removeprefix("val_")
        if getattr(callback, "mode", None) == "auto" and monitor in named:
            callback.mode = "max" if monitor in maximised else "min"
    return callbacks


# layer_dropout="auto": LSTM-FCN's dropout on the recurrent branch beside the
# convolution branch (Karim et al. 2018). On the six UCR/UEA sets of
# benchmarks/results/classification_accuracy.md it raised the default
# classifier on every one (5.5 points on average) and removed its failed seeds.
AUTO_BRANCH_DROPOUT = 0.8


def _dropout_layers(layer_dropout, conv_filters, units):
    """The spec's ``layer_dropout`` and ``branch_dropout`` for a
    ``layer_dropout`` parameter (a rate, or "auto")."""
    if layer_dropout != "auto":
        return {"layer_dropout": layer_dropout, "branch_dropout": 0.0}
    branch = AUTO_BRANCH_DROPOUT if conv_filters and units else 0.0
    return {"layer_dropout": 0.0, "branch_dropout": branch}


def _conv_layers(estimator, n_timesteps, previous=None):
    """``(filters, kernel sizes, strides)`` of the convolution blocks, one
    entry per block, or three empty tuples for none. ``previous`` is the
    spec of the fit that ``warm_start`` continues: its strides stand for
    ``"auto"``."""
    filters = _as_layer_widths(estimator.conv_filters, "conv_filters", allow_empty=True)
    if not filters:
        # No blocks: kernel sizes and strides set for blocks are not used,
        # so that ``conv_filters=()`` turns the classifier's blocks off.
        return (), (), ()
    per_block = []
    for name in ("conv_kernel_size", "conv_strides"):
        value = getattr(estimator, name)
        if isinstance(value, str):  # conv_strides="auto"
            if previous is not None and previous.conv_filters == filters:
                per_block.append(previous.conv_strides)
                continue
            first = max(1, -(-n_timesteps // AUTO_STRIDE_STEPS))
            per_block.append((first, *(1,) * (len(filters) - 1))[: len(filters)])
            continue
        if isinstance(value, Integral) and not isinstance(value, bool):
            widths = _as_layer_widths(value, name, allow_empty=False) * len(filters)
        else:
            widths = _as_layer_widths(value, name, allow_empty=True)
            if len(widths) != len(filters):
                raise ValueError(
                    f"`{name}` must be one int or one per entry of "
                    f"`conv_filters` ({len(filters)}). Got {value!r} instead."
                )
        per_block.append(widths)
    kernels, strides = per_block
    if estimator.return_sequences:
        if isinstance(estimator.conv_strides, str):
            # "auto" downsamples long sequences; per step, every step is kept.
            strides = (1,) * len(filters)
        elif any(stride > 1 for stride in strides):
            raise ValueError(
                "`conv_strides` above 1 keep only every s-th time step, but "
                "return_sequences=True needs one output per time step. Set "
                'conv_strides=1 (or "auto") or return_sequences=False. Got '
                f"conv_strides={estimator.conv_strides!r} instead."
            )
    return filters, kernels, strides


_PER_STEP_SHAPES = {
    True: "(n_samples, n_timesteps) of labels",
    False: "(n_samples, n_timesteps) or (n_samples, n_timesteps, n_outputs)",
}


def step_targets(y, X, X_input, name, *, labels):
    """y with one entry per time step of X, as an array aligned with X.

    ``X`` is the checked (padded) 3-D array made from ``X_input``. A list
    ``y`` holds one array per sequence of a list ``X_input``, of its length,
    and is padded like it (at the start). Returns an array of shape
    (n_samples, n_timesteps) (labels: of their own dtype, object where a list
    was padded) or, for values, float64 (n_samples, n_timesteps, n_outputs)
    with the output axis kept only when y had it; entries at padded steps are
    what y held there (NaN or None where a list was padded).
    """
    n_samples, n_timesteps = X.shape[:2]
    shapes = _PER_STEP_SHAPES[labels]
    if y is None:
        raise ValueError(
            f"With return_sequences=True, {name} must give a target for every "
            f"time step of X, of shape {shapes}. Got None instead."
        )
    ragged_x = (
        _is_sequence_list(X_input) and len({np.shape(seq)[0] for seq in X_input}) > 1
    )
    if isinstance(y, (list, tuple)) and _is_sequence_list(X_input):
        if len(y) != n_samples:
            raise ValueError(
                f"{name} must hold one array per sequence of X ({n_samples}). "
                f"Got {len(y)} arrays instead."
            )
        arrays = [np.asarray(seq) if labels else _as_float(seq, name) for seq in y]
        if any(a.ndim == 0 for a in arrays):
            raise ValueError(
                f"With return_sequences=True, {name} must give a target for "
                "every time step: one array per sequence of X. Got a scalar "
                f"for sequence {next(i for i, a in enumerate(arrays) if a.ndim == 0)}"
                ". For one target per sequence, set return_sequences=False."
            )
        trailing = {a.shape[1:] for a in arrays}
        max_ndim = 1 if labels else 2
        if len(trailing) > 1 or any(a.ndim < 1 or a.ndim > max_ndim for a in arrays):
            raise ValueError(
                f"Each array of {name} must be 1-D (n_timesteps,)"
                + ("" if labels else " or 2-D (n_timesteps, n_outputs), all alike")
                + f". Got arrays of shapes {sorted({a.shape for a in arrays})} "
                "instead."
            )
        for i, (seq, arr) in enumerate(zip(X_input, arrays, strict=True)):
            if len(arr) != np.shape(seq)[0]:
                raise ValueError(
                    f"{name} must give one target per time step of each "
                    f"sequence of X. Sequence {i} has {np.shape(seq)[0]} time "
                    f"steps, but {name}[{i}] has {len(arr)}."
                )
        out = (
            np.empty((n_samples, n_timesteps), dtype=object)
            if labels
            else np.full((n_samples, n_timesteps, *trailing.pop()), np.nan)
        )
        for i, arr in enumerate(arrays):
            if len(arr):
                out[i, n_timesteps - len(arr) :] = arr
        return out
    if ragged_x:
        raise ValueError(
            f"X is a list of sequences of different lengths, so {name} must be "
            "a list too, one array per sequence of its length (padded like X, "
            f"at the start). Got {type(y).__name__} instead."
        )
    y = np.asarray(y) if labels else _as_float(y, name)
    max_ndim = 2 if labels else 3
    if y.ndim < 2 or y.ndim > max_ndim:
        raise ValueError(
            f"With return_sequences=True, {name} must give a target for every "
            f"time step of X, of shape {shapes}. Got {name} of shape "
            f"{y.shape} instead. For one target per sequence, set "
            "return_sequences=False."
        )
    if y.shape[:2] != (n_samples, n_timesteps):
        raise ValueError(
            f"{name} must give one target per time step of X: its first two "
            f"axes must be (n_samples, n_timesteps) = {(n_samples, n_timesteps)}"
            f" like X's. Got {name} of shape {y.shape} instead."
        )
    return y


def _as_float(y, name):
    try:
        return np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must hold numbers (one target per time step). Could not "
            f"read it as floats: {exc}."
        ) from exc


def check_observed_values(y, observed, name):
    """Per-step float targets finite at the observed steps; padding to 0."""
    values = y[observed]
    if not np.isfinite(values).all():
        bad = ~np.isfinite(values.reshape(len(values), -1)).all(axis=1)
        sample, step = np.argwhere(observed)[np.flatnonzero(bad)[0]]
        raise ValueError(
            f"{name} is NaN or infinite at an observed time step of X (first at "
            f"sample {sample}, time step {step}). Only the padded steps of X "
            "may hold NaN in y; give a finite target for every observed step."
        )
    y = y.copy()
    y[~observed] = 0.0
    return y.astype(np.float32)


def _warn_unmasked_layers(estimator, model, X, validation_data):
    """Say, only for padded data, that padding reaches a layer of a
    ``network`` body that cannot skip it. Keras would warn at every build,
    padded data or not; skrnn keeps that warning quiet."""
    arrays = [X] if validation_data is None else [X, validation_data[0]]
    if not any(np.isnan(a).any() for a in arrays):
        return
    body = [layer for layer in model.layers if layer.name not in _FRAME_LAYERS]
    unmasked = [layer.name for layer in body if not layer.supports_masking]
    if unmasked:
        warnings.warn(
            f"X has padding (NaN time steps), but the layer {unmasked[0]!r} of "
            f"the `network` of {type(estimator).__name__} does not support "
            "masking: padded steps reach it as zeros. Put a layer that masks "
            "(a Keras recurrent layer) before it, or give sequences without "
            "padding.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


# What Keras says of every layer that gets a mask it cannot use.
_KERAS_MASK_WARNING = ".*does not support masking"


@contextlib.contextmanager
def _quiet_mask_warning(active):
    """Hide Keras's mask warning while templates of a ``network`` body trace
    (skrnn says it itself, only for padded data: _warn_unmasked_layers)."""
    if not active:
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_KERAS_MASK_WARNING)
        yield


# Layers skrnn puts around a ``network`` body.
_FRAME_LAYERS = {
    "sequences",
    "normalize",
    "sequence_statistics",
    "statistics_norm",
    "statistics_output",
    "with_statistics",
    "output_activation",
    "padding_mask",
    "token_rows",
    "embedding",
    "output",
}


def _check_same_network(estimator, previous, previous_shape, spec):
    """``warm_start`` continues the fitted network: refuse another one."""
    name = type(estimator).__name__
    if previous_shape[1] != spec.input_shape[1]:
        raise ValueError(
            f"warm_start continues the fitted network of {name}, which reads "
            f"{previous_shape[1]} features per time step. Got X with "
            f"{spec.input_shape[1]} features per time step. Set "
            "warm_start=False to fit a new network."
        )
    if previous.n_outputs != spec.n_outputs:
        raise ValueError(
            f"warm_start continues the fitted network of {name}, which has "
            f"{previous.n_outputs} outputs. Got y with {spec.n_outputs}. Set "
            "warm_start=False to fit a new network."
        )
    # Training settings may change between fits; the architecture may not.
    settings = {
        "input_shape",
        "masked",
        "optimizer",
        "clipnorm",
        "clipvalue",
        "global_clipnorm",
        "learning_rate_schedule",
        "loss",
        "dropout",
        "recurrent_dropout",
        "layer_dropout",
    }
    changed = [
        field.name
        for field in dataclasses.fields(spec)
        if field.name not in settings
        and getattr(previous, field.name) != getattr(spec, field.name)
    ]
    if changed == ["linear_steps"]:
        # The skip has a weight per step it reads: the fitted length, unless
        # linear_skip itself changed. (With other changes, those are named.)
        raise ValueError(
            f"warm_start continues the fitted network of {name}, whose linear "
            f"skip reads the last {previous.linear_steps} time steps. Got "
            f"sequences of {spec.input_shape[0]} time steps. Pass sequences of "
            f"{previous.linear_steps} steps, or set warm_start=False to fit a "
            "new network."
            if previous.linear_steps and spec.linear_steps
            else f"warm_start continues the fitted network of {name}, but "
            "linear_skip changed since that fit. Set warm_start=False to fit "
            "a new network, or restore linear_skip."
        )
    changed = [field for field in changed if field != "linear_steps"]
    if changed:
        raise ValueError(
            f"warm_start continues the fitted network of {name}, but "
            f"{changed} changed since that fit. Set warm_start=False to fit a "
            "new network, or restore the fitted values."
        )
    if not _reads_any_length(previous) and previous_shape[0] != spec.input_shape[0]:
        raise ValueError(
            f"warm_start continues the fitted network of {name}, whose "
            f"`network` body reads exactly {previous_shape[0]} time steps. Got "
            f"sequences of {spec.input_shape[0]} time steps."
        )


def _reads_any_length(spec):
    from . import _keras

    return _keras.reads_any_length(spec)


class _BaseRNN(SavedVersionMixin, BaseEstimator):
    """Base class: parameters, fitting and persistence of a Keras RNN."""

    _parameter_constraints: dict = {
        "cell": [StrOptions({"simple", "lstm", "gru"})],
        "units": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "layer_dropout": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})],
        "activation": [StrOptions(ACTIVATIONS), callable],
        "dense_units": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "dense_activation": [StrOptions(ACTIVATIONS), callable],
        "attention": ["boolean"],
        "conv_filters": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "conv_kernel_size": [
            Interval(Integral, 1, None, closed="left"),
            tuple,
            list,
        ],
        "conv_strides": [
            Interval(Integral, 1, None, closed="left"),
            tuple,
            list,
            StrOptions({"auto"}),
        ],
        "embedding_dim": [Interval(Integral, 1, None, closed="left"), None],
        "network": [callable, None],
        "return_sequences": ["boolean"],
        "optimizer": [
            StrOptions({"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"})
        ],
        # A Keras LearningRateSchedule is callable; fit checks its type.
        "learning_rate": [Interval(Real, 0, None, closed="neither"), callable],
        "clipnorm": [Interval(Real, 0, None, closed="neither"), None],
        "clipvalue": [Interval(Real, 0, None, closed="neither"), None],
        "global_clipnorm": [Interval(Real, 0, None, closed="neither"), None],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "shuffle": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "metrics": [list, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
    }

    # Metrics by name, on the outputs of ``predict``; subclasses set theirs.
    _metric_functions: dict = {}
    # the names among them where a larger value is better
    _maximised_metrics: frozenset = frozenset()

    def __init__(
        self,
        cell="lstm",
        *,
        units=32,
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        layer_dropout=0.0,
        activation="tanh",
        dense_units=(),
        dense_activation="relu",
        attention=False,
        conv_filters=(),
        conv_kernel_size=8,
        conv_strides=1,
        embedding_dim=None,
        network=None,
        return_sequences=False,
        optimizer="adam",
        learning_rate=1e-3,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        loss,
        epochs=100,
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
        self.cell = cell
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.layer_dropout = layer_dropout
        self.activation = activation
        self.dense_units = dense_units
        self.dense_activation = dense_activation
        self.attention = attention
        self.conv_filters = conv_filters
        self.conv_kernel_size = conv_kernel_size
        self.conv_strides = conv_strides
        self.embedding_dim = embedding_dim
        self.network = network
        self.return_sequences = return_sequences
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.metrics = metrics
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks

    # Subclasses define: _validate_y_kwargs, _output_activation,
    # _encode_targets(y, sample_weight, *, warm) -> (y, sample_weight,
    # n_outputs), _decode_outputs(raw) and _decode_targets(y) (the encoded
    # targets and the network's outputs as ``predict`` returns them), and the
    # public prediction methods.

    def _check_raw_targets(self, y):
        """Checks of y before scikit-learn's, whose messages would not name
        the fix; none by default."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        # allow_nan stays False: NaN is valid only as padding (all features of
        # a leading or trailing time step), not as a missing value anywhere.
        # A seeded fit is reproducible on CPU; an unseeded one is not.
        tags.non_deterministic = self.random_state is None
        return tags

    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Build the network and train it on sequences.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences: 2-D (n_samples, n_timesteps) univariate, 3-D
            (n_samples, n_timesteps, n_features), NaN-padded 3-D, or a list
            of arrays of different lengths.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        X_val : array-like or list of array-like, default=None
            An explicit validation set, monitored as ``val_loss`` (and by
            early stopping) instead of holding out ``validation_fraction``
            of X; Keras's ``validation_data=(X_val, y_val)``. Sequences of
            any length with the features of X. It is data, not a setting,
            so it is a fit argument, as in scikit-learn's
            ``HistGradientBoostingRegressor.fit``; in a Pipeline pass
            ``rnnregressor__X_val=...`` (the earlier steps do not transform
            it).
        y_val : array-like, default=None
            Targets of ``X_val``; required with it.
        sample_weight_val : array-like of shape (n_val_samples,), default=None
            Weights of the samples of ``X_val`` in ``val_loss``; only with
            ``X_val``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with restore_on_error(self):
            self._fit(X, y, sample_weight, X_val, y_val, sample_weight_val)
        return self

    def _check_knobs(self):
        """Cross-parameter checks and normalised knobs, at the top of fit."""
        self._validate_params()
        clipping = {
            name: getattr(self, name)
            for name in ("clipnorm", "clipvalue", "global_clipnorm")
            if getattr(self, name) is not None
        }
        if len(clipping) > 1:
            raise ValueError(
                "Set at most one of `clipnorm`, `clipvalue` and "
                f"`global_clipnorm`. Got {clipping} instead."
            )
        for callback in self.callbacks or []:
            # Keras's own error named no parameter ('str' has no 'set_model').
            if not (
                hasattr(callback, "set_model") and hasattr(callback, "on_epoch_end")
            ):
                raise ValueError(
                    "`callbacks` must be a list of keras.callbacks.Callback "
                    f"objects. Got {callback!r} instead."
                )
        schedule = None
        if callable(self.learning_rate):
            import keras

            if not isinstance(
                self.learning_rate, keras.optimizers.schedules.LearningRateSchedule
            ):
                raise TypeError(
                    "`learning_rate` must be a positive float or a "
                    "keras.optimizers.schedules.LearningRateSchedule. Got "
                    f"{self.learning_rate!r} instead."
                )
            from . import _keras

            schedule = _keras.describe_schedule(self.learning_rate)
        return schedule, self._resolve_metrics()

    def _resolve_metrics(self):
        resolved = []
        for metric in self.metrics or []:
            if isinstance(metric, str):
                if metric not in self._metric_functions:
                    raise ValueError(
                        f"`metrics` of {type(self).__name__} must be names among "
                        f"{sorted(self._metric_functions)} or callables "
                        f"f(y_true, y_pred). Got {metric!r} instead."
                    )
                resolved.append((metric, self._metric_functions[metric]))
            elif callable(metric):
                resolved.append((getattr(metric, "__name__", repr(metric)), metric))
            else:
                raise ValueError(
                    "`metrics` must be a list of metric names or callables "
                    f"f(y_true, y_pred). Got {metric!r} instead."
                )
        names = [name for name, _ in resolved]
        if len(set(names)) < len(names) or {"loss", "val_loss"} & set(names):
            raise ValueError(
                "The names of `metrics` must be unique and not 'loss'. Got "
                f"{names} instead."
            )
        return resolved

    def _fit(self, X, y, sample_weight, X_val, y_val, sample_weight_val):
        schedule, metrics = self._check_knobs()
        units = _as_layer_widths(
            self.units, "units", allow_empty=bool(self.conv_filters)
        )
        if self.return_sequences and self.attention:
            raise ValueError(
                "`attention` pools the states of all time steps into one "
                "vector, but return_sequences=True needs one output per time "
                "step. Set attention=False or return_sequences=False."
            )
        if self.return_sequences and self._decoder():
            raise ValueError(
                "`decoder` reads the outputs of one sequence as a sequence of "
                "their own, but return_sequences=True gives one output per "
                "input time step. Set decoder=False or return_sequences=False."
            )
        if not units and self.attention:
            raise ValueError(
                "`attention` pools the states of the recurrent layers, but "
                "`units=()` builds none. Give recurrent layers (e.g. "
                "units=32) or set attention=False."
            )
        dense_units = _as_layer_widths(
            self.dense_units, "dense_units", allow_empty=True
        )
        if (X_val is None) != (y_val is None):
            raise ValueError(
                "Pass `X_val` and `y_val` together for a validation set. Got "
                f"only `{'X_val' if y_val is None else 'y_val'}`."
            )
        if sample_weight_val is not None and X_val is None:
            # Weights of no samples: ignoring them would hide a mistake.
            raise ValueError(
                "`sample_weight_val` weights the samples of `X_val`, but no "
                "`X_val` was passed. Pass `X_val` and `y_val` with it; the "
                "held-out part of `validation_fraction` takes its weights from "
                "`sample_weight`. Got `sample_weight_val` alone instead."
            )
        warm = self.warm_start and hasattr(self, "model_")
        previous_spec = self._spec if warm else None
        previous_shape = self.sequence_shape_ if warm else None
        tokens = self.embedding_dim is not None
        if tokens:
            X = self._fit_tokens(X, keep=warm and previous_spec.embedding_dim)
        else:  # a numeric refit of a token estimator
            for name in ("token_ids_", "vocabulary_size_"):
                self.__dict__.pop(name, None)
        if self.return_sequences:
            X_input = X
            X = check_sequences(self, X, reset=True)
            y = step_targets(y, X, X_input, "y", labels=self._labels)
        else:
            self._check_raw_targets(y)
            X, y = check_sequences(self, X, y, reset=True, **self._validate_y_kwargs)
            X = end_aligned(X)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float32, ensure_non_negative=True
            )
        observed = ~padding_mask(X).all(axis=1)
        if not observed.any():
            raise ValueError(
                "Every sequence in X is entirely padding (all NaN); there is "
                "nothing to learn from."
            )
        if not observed.all():
            # Windows cut at the start of a series can hold no observation at
            # all; they carry no information, so they are left out of training,
            # before the targets are read: a class seen only on them is none.
            X, y = X[observed], y[observed]
            if sample_weight is not None:
                sample_weight = sample_weight[observed]
        if self.return_sequences:
            y, sample_weight, n_outputs = self._encode_step_targets(
                y, ~padding_mask(X), sample_weight, warm=warm
            )
        else:
            y, sample_weight, n_outputs = self._encode_targets(
                y, sample_weight, warm=warm
            )

        conv = _conv_layers(self, self.sequence_shape_[0], previous_spec)
        held_out = 0.0 if X_val is not None else self.validation_fraction
        if held_out and _n_held_out(len(X), held_out) == 0:
            _warn_no_validation_set(self, len(X), held_out)
        batch_size = self.batch_size
        if batch_size == "auto":  # of the training samples, as documented
            batch_size = _auto_batch_size(_n_trained(len(X), held_out))
        epochs = self.epochs
        if epochs == "auto":
            epochs = _auto_epochs(len(X), batch_size, held_out)
        spec = NetworkSpec(
            input_shape=self.sequence_shape_,
            n_outputs=n_outputs,
            output_activation=self._network_output_activation(),
            cell=self.cell,
            units=units,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            activation=self.activation,
            dense_units=dense_units,
            attention=self.attention,
            network=self.network,
            optimizer=self.optimizer,
            clipnorm=self.clipnorm,
            loss=self.loss,
            name=type(self).__name__,
            **_dropout_layers(self.layer_dropout, conv[0], units),
            dense_activation=self.dense_activation,
            clipvalue=self.clipvalue,
            global_clipnorm=self.global_clipnorm,
            learning_rate_schedule=schedule,
            linear_steps=0 if tokens else self._linear_steps(),
            conv_filters=conv[0],
            conv_kernel_size=conv[1],
            conv_strides=conv[2],
            normalize=None if tokens else self._normalize(X, previous_spec),
            return_sequences=self.return_sequences,
            embedding_dim=self.embedding_dim,
            vocabulary_size=self.vocabulary_size_ if tokens else 0,
            decoder=self._decoder(),
        )
        initial_weights = None
        if warm:
            _check_same_network(self, previous_spec, previous_shape, spec)
            initial_weights = self.model_.get_weights()
        from . import _keras

        self._reads_any_length = _keras.reads_any_length(spec)
        validation_data = None
        if X_val is not None:
            validation_data = self._validation_data(X_val, y_val, sample_weight_val)

        epoch_metrics = None
        if metrics:

            def epoch_metrics(predict, x, y_encoded, w):
                raw = predict(x)
                if spec.return_sequences:  # over the observed steps
                    observed = ~padding_mask(x)
                    raw, y_encoded = raw[observed], y_encoded[observed]
                y_pred = self._decode_outputs(raw)
                y_true = self._decode_targets(y_encoded)
                return {name: float(fn(y_true, y_pred)) for name, fn in metrics}

        try:
            with _quiet_mask_warning(self.network is not None):
                model, history = _keras.fit(
                    spec,
                    X,
                    y,
                    sample_weight=sample_weight,
                    seed=self._keras_seed(),
                    learning_rate=self.learning_rate,
                    epochs=epochs,
                    batch_size=batch_size,
                    shuffle=self.shuffle,
                    validation_fraction=self.validation_fraction,
                    early_stopping=self.early_stopping,
                    patience=self.patience,
                    verbose=self.verbose,
                    callbacks=_with_directions(
                        self.callbacks, self.metrics, self._maximised_metrics
                    ),
                    validation_data=validation_data,
                    initial_weights=initial_weights,
                    epoch_metrics=epoch_metrics,
                )
        except _keras.TrainingDiverged as exc:
            scale = (
                "scale X (e.g. SequenceScaler)"
                if spec.output_activation == "softmax"  # y holds labels
                else "scale X and y (e.g. SequenceScaler for X, StandardScaler on y)"
            )
            raise FloatingPointError(
                f"Training of {type(self).__name__} diverged: {exc}. Try a "
                f"smaller learning_rate (now {self.learning_rate}), set "
                f"clipnorm (e.g. clipnorm=1.0), or {scale}."
            ) from exc
        if self.network is not None:
            _warn_unmasked_layers(self, model, X, validation_data)
        self._spec = spec
        self.model_ = model
        self.history_ = history
        self.n_epochs_ = len(history["loss"])

    def _fit_tokens(self, X, keep=False):
        """Token ids as the network's input, learning the vocabulary (kept
        as fitted with ``keep``, for ``warm_start``)."""
        from . import _tokens

        ids = _tokens.check_token_ids(X)
        if not keep:
            self.token_ids_ = _tokens.fitted_token_ids(ids)
            self.vocabulary_size_ = len(self.token_ids_)
        elif _tokens.is_all_padding(ids):
            raise ValueError(
                "X holds no token: every sequence is empty or all padding (0). "
                "There is nothing to learn from."
            )
        return _tokens.token_rows(ids, self.token_ids_)

    def _token_input(self, X):
        """X as the fitted network reads it: token ids mapped to their rows
        of the fitted embedding; numeric sequences unchanged."""
        if not hasattr(self, "token_ids_"):
            return X
        from . import _tokens

        return _tokens.token_rows(_tokens.check_token_ids(X), self.token_ids_)

    def _linear_steps(self):
        """Time steps a linear skip connection reads (0: none); see RNNRegressor."""
        return 0

    def _decoder(self):
        """Whether a recurrent decoder reads the outputs; see RNNRegressor."""
        return False

    def _normalize(self, X, previous_spec):
        """How the network normalises the input sequences X (None: not);
        ``previous_spec`` is the fitted spec that a warm start continues."""
        return None

    def _network_output_activation(self):
        return self._output_activation

    def _validation_data(self, X_val, y_val, sample_weight_val):
        """``X_val``, ``y_val`` checked against the fit and encoded like y."""
        X_val = self._token_input(X_val)
        X_input = X_val
        try:
            X_val = check_sequences(
                self, X_val, reset=False, any_length=self._reads_any_length
            )
        except ValueError as exc:
            # The checks name X; here the array is X_val.
            raise ValueError(re.sub(r"\bX\b", "X_val", str(exc), count=1)) from exc
        if not self.return_sequences:
            X_val = end_aligned(X_val)
        y_val = self._encoded_targets(
            y_val, X_val, X_input, "y_val", per_step=self.return_sequences
        )
        if sample_weight_val is not None:
            sample_weight_val = _check_sample_weight(
                sample_weight_val, X_val, dtype=np.float32, ensure_non_negative=True
            )
        else:
            sample_weight_val = np.ones(len(X_val), np.float32)
        if self.return_sequences:
            sample_weight_val = sample_weight_val[:, np.newaxis] * ~padding_mask(X_val)
        if padding_mask(X_val).all(axis=1).any():
            padding = "(empty or all 0)" if hasattr(self, "token_ids_") else "(all NaN)"
            raise ValueError(
                f"X_val has sequences that are entirely padding {padding}; drop "
                "them from the validation set."
            )
        return X_val, y_val, sample_weight_val

    def _encoded_targets(self, y, X, X_input, name, per_step=None):
        """Targets of the checked sequences ``X`` (made from ``X_input``),
        encoded as in training: for a validation set or a diagnostic.
        ``per_step`` defaults to the fitted network's."""
        if per_step is None:
            per_step = self._per_step()
        if not per_step:
            return self._check_validation_targets(y, len(X), name=name)
        y = step_targets(y, X, X_input, name, labels=self._labels)
        return self._check_step_targets(y, ~padding_mask(X), name)

    def _per_step(self):
        """Whether the fitted network outputs one value per time step."""
        return getattr(getattr(self, "_spec", None), "return_sequences", False)

    def _step_weights(self, observed, sample_weight):
        """Per-step weights: the sequence's weight at its observed steps."""
        weights = observed.astype(np.float32)
        if sample_weight is not None:
            weights *= np.asarray(sample_weight, np.float32)[:, np.newaxis]
        return weights

    def _observed_steps(self, X, y, sample_weight):
        """``(y_true, y_pred, weights)`` at the observed steps of X, as
        ``predict`` gives them, for ``score``."""
        X_input = X
        raw, X = self._predict_raw(X, return_X=True)
        y = self._encoded_targets(y, X, X_input, "y")
        observed = ~padding_mask(X)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
            sample_weight = np.broadcast_to(
                sample_weight[:, np.newaxis], observed.shape
            )[observed]
        return (
            self._decode_targets(y[observed]),
            self._decode_outputs(raw[observed]),
            sample_weight,
        )

    def _keras_seed(self):
        if self.random_state is None:
            return None
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def _predict_raw(self, X, return_X=False):
        check_is_fitted(self)
        # An empty token sequence is a text without tokens: it gets the
        # network's output for no input, like an all-padding row.
        empty = [] if hasattr(self, "token_ids_") else empty_sequences(X)
        X = self._token_input(X)
        if empty:
            raise ValueError(
                f"X contains empty sequences (no time step; first at sample "
                f"{empty[0]}). A network cannot predict from no observation: "
                "drop those samples."
            )
        any_length = getattr(self, "_reads_any_length", True)
        try:
            X = check_sequences(self, X, reset=False, any_length=any_length)
        except ValueError as exc:
            if any_length or ("time steps" not in str(exc) and "shape" not in str(exc)):
                raise
            raise ValueError(
                f"{exc} The `network` of this {type(self).__name__} needs the "
                "number of time steps (e.g. Flatten or TimeDistributed), so it "
                f"reads only sequences of {self.sequence_shape_[0]} steps; "
                "shorter ones in a list are padded to that length."
            ) from exc
        if padding_mask(X).all(axis=1).all() and not hasattr(self, "token_ids_"):
            raise ValueError(
                "Every sequence in X is entirely padding (all NaN): there is "
                "no observed time step to predict from. Pass sequences with "
                "at least one observed step."
            )
        if not self._per_step():  # the fitted network's layout, not the parameter
            X = end_aligned(X)
        from . import _keras

        if self.network is None:
            raw = _keras.predict(self._spec, self.model_, X)
        else:
            with _quiet_mask_warning(True):
                raw = _keras.predict(self._spec, self.model_, X)
            _warn_unmasked_layers(self, self.model_, X, None)
        raw = np.asarray(raw, dtype=np.float64)
        return (raw, X) if return_X else raw

    def _versions(self):
        versions = super()._versions()
        if hasattr(self, "model_"):  # rebuilt by Keras when loaded
            versions["keras"] = installed_version("keras")
        return versions

    def __getstate__(self):
        state = dict(super().__getstate__())
        if state.get("callbacks"):
            state["callbacks"] = self._picklable_callbacks(state["callbacks"])
        if "model_" in state:
            from . import _keras

            state["model_"] = _keras.saved_weights(state["model_"])
        return state

    def _picklable_callbacks(self, callbacks):
        """Callbacks serve only during fit; one that cannot be pickled (Keras's
        CSVLogger keeps its closed file) must not make the estimator unsavable."""
        kept = []
        for callback in callbacks:
            try:
                pickle.dumps(callback)
            except Exception as exc:
                warnings.warn(
                    f"The callback {type(callback).__name__} of "
                    f"{type(self).__name__} cannot be pickled ({exc}); it is left "
                    "out of the saved estimator's `callbacks`.",
                    stacklevel=user_stacklevel(),
                )
            else:
                kept.append(callback)
        return kept

    def _load_state(self, state):
        # After the version check (SavedVersionMixin): a Keras that cannot
        # rebuild the network fails below, with the versions already named.
        saved = state.get("model_")
        if isinstance(saved, bytes):
            raise ValueError(
                f"This {type(self).__name__} was saved by an earlier development "
                "version of skrnn, which stored its network in Keras's format; "
                "this version cannot load it. Fit the estimator again."
            )
        if isinstance(saved, dict):
            from . import _keras

            try:
                with _quiet_mask_warning(state.get("network") is not None):
                    model = _keras.network_from_weights(state["_spec"], saved)
            except Exception as exc:
                # Keras names the temporary file it was read from, which is
                # gone by now and means nothing to the user.
                detail = re.sub(
                    re.escape(tempfile.gettempdir()) + r"\S*",
                    "<temporary copy>",
                    (str(exc).splitlines() or ["no detail"])[0],
                )
                raise ValueError(
                    f"The saved {type(self).__name__} is damaged: its Keras "
                    f"network cannot be read ({type(exc).__name__}: {detail}). "
                    "The file was probably truncated or modified after saving, "
                    "or the `network` function (or skrnn) changed since; load "
                    "an intact copy with the code that saved it, or fit the "
                    "estimator again."
                ) from exc
            state = dict(state, model_=model)
        super()._load_state(state)
