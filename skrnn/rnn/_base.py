"""Shared machinery of RNNRegressor and RNNClassifier."""

import pickle
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from .._state import restore_on_error
from .._validation import check_sequences, padding_mask
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
        (``units=(64, 32)``).

    bidirectional : bool, default=False
        Wrap every recurrent layer in ``keras.layers.Bidirectional``.

    dropout : float in [0, 1), default=0.0
        Fraction of each recurrent layer's inputs dropped during training.

    recurrent_dropout : float in [0, 1), default=0.0
        Fraction of the recurrent state dropped during training.

    activation : str or callable, default="tanh"
        Activation of the recurrent cells ("tanh", "relu", ...).

    dense_units : int or tuple of int, default=()
        Widths of hidden ReLU layers between the recurrent part and the
        output layer; empty for none.

    attention : bool, default=False
        Pool the last recurrent layer's states over time with a learned
        additive attention instead of using its last state.

    network : callable, default=None
        Your own network body, for architectures the knobs above cannot
        express. Called with the masked Keras input tensor of shape
        (batch, n_timesteps, n_features), it must return a 2-D tensor;
        skrnn adds the output layer. When given, ``cell``, ``units``,
        ``bidirectional``, ``dropout``, ``recurrent_dropout``,
        ``activation``, ``dense_units`` and ``attention`` are not used.

    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}, \
default="adam"
        Keras optimizer.

    learning_rate : float, default=1e-3
        Learning rate of the optimizer.

    clipnorm : float, default=None
        Clip each gradient to this norm; helps against exploding gradients.
"""

_TRAINING_PARAMETERS_DOC = """
    epochs : int, default=100
        Maximum number of passes over the training data.

    batch_size : int, default=32
        Samples per gradient update.

    validation_fraction : float in [0, 1), default=0.0
        Fraction of the samples held out to monitor ``val_loss``; 0 trains on
        all samples. The regressor holds out the last samples (the latest
        windows of a series); the classifier a random (seeded) subset, since
        labelled data are often sorted by class.

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

    patience : int, default=10
        Epochs without improvement before early stopping.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. With an int, two
        fits on the same data give identical predictions on CPU. Python's and
        NumPy's global random states are left as they were.

    verbose : int, default=0
        0 is silent; otherwise one line per epoch with the losses.

    callbacks : list of keras.callbacks.Callback, default=None
        Called at the start and end of training and of every epoch, with the
        epoch's ``loss`` (and ``val_loss``) in ``logs``. A whole epoch runs as
        one compiled call, so batch-level hooks are not called. Setting
        ``self.model.stop_training = True`` stops training.
"""

_SHARED_ATTRIBUTES_DOC = """
    model_ : keras.Model
        The trained Keras model.

    history_ : dict of list of float
        Loss per epoch (``"loss"``, and ``"val_loss"`` with a validation set).

    n_epochs_ : int
        Number of epochs run.

    n_features_in_ : int
        Number of columns of X seen in fit: the number of time steps, as
        scikit-learn counts features of a 2-D or 3-D array.

    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame of univariate sequences.

    sequence_shape_ : tuple of int
        ``(n_timesteps, n_features)`` of the fitted sequences.
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


class _BaseRNN(BaseEstimator):
    """Base class: parameters, fitting and persistence of a Keras RNN."""

    _parameter_constraints: dict = {
        "cell": [StrOptions({"simple", "lstm", "gru"})],
        "units": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "activation": [StrOptions(ACTIVATIONS), callable],
        "dense_units": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "attention": ["boolean"],
        "network": [callable, None],
        "optimizer": [
            StrOptions({"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"})
        ],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "clipnorm": [Interval(Real, 0, None, closed="neither"), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
    }

    def __init__(
        self,
        cell="lstm",
        *,
        units=32,
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        activation="tanh",
        dense_units=(),
        attention=False,
        network=None,
        optimizer="adam",
        learning_rate=1e-3,
        clipnorm=None,
        loss,
        epochs=100,
        batch_size=32,
        validation_fraction=0.0,
        early_stopping=False,
        patience=10,
        random_state=None,
        verbose=0,
        callbacks=None,
    ):
        self.cell = cell
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.activation = activation
        self.dense_units = dense_units
        self.attention = attention
        self.network = network
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.clipnorm = clipnorm
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks

    # Subclasses define: _validate_y_kwargs, _output_activation,
    # _encode_targets(y, sample_weight) -> (y_encoded, sample_weight, n_outputs),
    # and the public prediction methods.

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        # allow_nan stays False: NaN is valid only as padding (all features of
        # a leading or trailing time step), not as a missing value anywhere.
        # A seeded fit is reproducible on CPU; an unseeded one is not.
        tags.non_deterministic = self.random_state is None
        return tags

    def fit(self, X, y, sample_weight=None):
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

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with restore_on_error(self):
            self._fit(X, y, sample_weight)
        return self

    def _fit(self, X, y, sample_weight):
        self._validate_params()
        units = _as_layer_widths(self.units, "units", allow_empty=False)
        dense_units = _as_layer_widths(
            self.dense_units, "dense_units", allow_empty=True
        )
        X, y = check_sequences(self, X, y, reset=True, **self._validate_y_kwargs)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float32, ensure_non_negative=True
            )
        y, sample_weight, n_outputs = self._encode_targets(y, sample_weight)

        observed = ~padding_mask(X).all(axis=1)
        if not observed.any():
            raise ValueError(
                "Every sequence in X is entirely padding (all NaN); there is "
                "nothing to learn from."
            )
        if not observed.all():
            # Windows cut at the start of a series can hold no observation at
            # all; they carry no information, so they are left out of training.
            X, y = X[observed], y[observed]
            if sample_weight is not None:
                sample_weight = sample_weight[observed]

        spec = NetworkSpec(
            input_shape=self.sequence_shape_,
            n_outputs=n_outputs,
            output_activation=self._output_activation,
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
        )
        from . import _keras

        try:
            model, history = _keras.fit(
                spec,
                X,
                y,
                sample_weight=sample_weight,
                seed=self._keras_seed(),
                learning_rate=self.learning_rate,
                epochs=self.epochs,
                batch_size=self.batch_size,
                validation_fraction=self.validation_fraction,
                early_stopping=self.early_stopping,
                patience=self.patience,
                verbose=self.verbose,
                callbacks=self.callbacks,
            )
        except _keras.NonFiniteLossError as exc:
            raise FloatingPointError(
                f"Training of {type(self).__name__} diverged: {exc}. Try a "
                f"smaller learning_rate (now {self.learning_rate}), set "
                "clipnorm (e.g. clipnorm=1.0), or scale X and y (e.g. "
                "SequenceScaler for X, StandardScaler on y)."
            ) from exc
        self._spec = spec
        self.model_ = model
        self.history_ = history
        self.n_epochs_ = len(history["loss"])

    def _keras_seed(self):
        if self.random_state is None:
            return None
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def _predict_raw(self, X):
        check_is_fitted(self)
        X = check_sequences(self, X, reset=False)
        from . import _keras

        return np.asarray(_keras.predict(self._spec, self.model_, X), dtype=np.float64)

    def __getstate__(self):
        state = dict(super().__getstate__())
        if state.get("callbacks"):
            state["callbacks"] = self._picklable_callbacks(state["callbacks"])
        if "model_" in state:
            from . import _keras

            state["model_"] = _keras.model_to_bytes(state["model_"])
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
                    stacklevel=3,
                )
            else:
                kept.append(callback)
        return kept

    def __setstate__(self, state):
        if isinstance(state.get("model_"), bytes):
            from . import _keras

            state = dict(state, model_=_keras.model_from_bytes(state["model_"]))
        super().__setstate__(state)
