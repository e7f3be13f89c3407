"""RNNRegressor: a scikit-learn regressor around a Keras recurrent network."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_array, check_is_fitted

from .._validation import check_sequences, padding_mask
from .._warnings import user_stacklevel
from ._base import (
    _LENGTH_NOTES_DOC,
    _SHARED_ATTRIBUTES_DOC,
    _BaseRNN,
    check_observed_values,
    network_parameters_doc,
    training_parameters_doc,
)

_REGRESSION_METRICS = {
    "mse": mean_squared_error,
    "rmse": root_mean_squared_error,
    "mae": mean_absolute_error,
    "r2": r2_score,
}


_STOPPING_DOC = """    validation_fraction : float in [0, 1), default=0.2
        Fraction of the samples held out to monitor ``val_loss``: the last
        samples (the latest windows of a series), so that validation never
        looks at data earlier than training. 0 trains on all samples. The
        network never trains on them, but with ``linear_skip`` its
        least-squares start is fitted on all samples, these included (on the
        forecasting suite a start on the training part alone forecast worse:
        benchmarks/results/forecast_suite.md), so ``val_loss`` is not an
        out-of-sample score of the linear part. Pass ``X_val, y_val`` to
        ``fit`` for a validation set that nothing is fitted on.

    early_stopping : bool, default=True
        Stop when the monitored loss has not improved for ``patience`` epochs
        and restore the weights of the best epoch. The validation loss is
        monitored when there is a validation set, else the training loss.
        With ``linear_skip``, training starts from the least-squares linear
        model, and stopping on the held-out tail keeps the network's part
        only as far as it forecasts better there. On skrnn's forecasting
        development suite (benchmarks/results/forecast_suite.md) these
        defaults cut the seed spread of MASE from 0.14 to under 0.02 and
        the geometric-mean MASE ratio to AR(aic) from 1.36 to about 0.99;
        without early stopping the network part fitted noise (1.16).
        Set ``early_stopping=False, validation_fraction=0.0`` to train on
        all samples for ``epochs``.

"""


_TRAINING_DOC = training_parameters_doc(
    '"mse", "rmse", "mae", "r2"', "100", "", stopping=_STOPPING_DOC
)

_DROPOUT_NOTE = (
    "\n        Off by default like ``dropout``: dropout helps large networks on\n"
    "        little data and slows the learning of small ones."
)


class RNNRegressor(RegressorMixin, _BaseRNN):
    __doc__ = f"""Recurrent neural network regressor (SimpleRNN, LSTM or GRU).

    Builds and trains a Keras 3 network on sequences and predicts one or
    several continuous targets per sequence.

    Parameters
    ----------
{network_parameters_doc("()", "8", "1", " Off by default.", "0.0", _DROPOUT_NOTE)}
    loss : {{"mse", "mae", "huber", "log_cosh"}} or callable, default="mse"
        Keras loss to minimise.

    output_activation : {{"linear", "sigmoid", "tanh", "softplus", "relu"}} \
or callable, default="linear"
        Activation of the output layer. "linear" for unbounded targets;
        "sigmoid" keeps predictions in (0, 1), e.g. for targets min-max
        scaled to [0, 1], "tanh" in (-1, 1), "softplus" and "relu" above 0.
        A bounded output can only reach its bounds asymptotically: scale the
        targets strictly inside them.

    linear_skip : bool, default=True
        Add a linear skip connection: the output is a linear function of the
        network's features *and* of the input values of the last
        ``n_timesteps`` steps seen in ``fit`` (LSTNet's "highway", Lai et al.
        2018). With the linear output activation, training starts from the
        ridge least-squares fit of y on those inputs (on forecasting windows,
        an AR model) with the network's contribution at zero, so the network
        learns what the linear model leaves, and early stopping keeps the
        epoch (from the first on; the start is no candidate) with the best
        held-out loss. The skip reads the last observed steps
        wherever the padding is: a sequence with fewer observed steps reads
        zeros before them, a longer one is read in full by the network and by
        its last steps in the skip. With ``return_sequences``, the output at
        each step is linear in the network's features and the inputs of that
        step, started at the least-squares fit over the observed steps.
        False gives the plain network. Not applied with ``embedding_dim``:
        a linear function of token ids means nothing.

    decoder : bool, default=False
        Read several outputs as a sequence (the encoder-decoder network of
        sequence-to-sequence forecasting, Sutskever et al. 2014, Cho et al.
        2014): the network's summary of the input (what the output layer
        reads otherwise) is repeated once per output, a recurrent layer of
        the same cell and the width of the last of ``units`` (32 with a
        ``network`` body or no recurrent layers) reads it as a sequence of
        ``n_outputs`` steps, and one shared Dense layer turns each of its
        states into one output. Column k of y is step k of that sequence,
        e.g. forecast step k of a direct forecaster
        (``DirectForecaster(RNNRegressor(decoder=True))``). The linear skip,
        when on, adds a linear function of the last steps to each output and
        starts at least squares with the decoder's part at zero, as with the
        dense head. Not with ``return_sequences``. False: one Dense layer
        reads the summary and gives all outputs at once.
{_TRAINING_DOC}
    Attributes
    ----------
{_SHARED_ATTRIBUTES_DOC}
    n_outputs_ : int
        Number of targets (per time step, with ``return_sequences``).

    See Also
    --------
    RNNClassifier : The classifier with the same network knobs.
    skrnn.RecursiveForecaster : Forecasts a series many steps ahead
        with a regressor such as this one.

    Notes
    -----
    Inputs may be 2-D (n_samples, n_timesteps) univariate sequences, 3-D
    (n_samples, n_timesteps, n_features) arrays, NaN-padded 3-D arrays or lists
    of arrays of different lengths: a time step whose features are all NaN is
    padding and is masked inside the network. Targets are not scaled; scale
    them yourself (``TransformedTargetRegressor``) when their range is large.

    With ``return_sequences=True``, ``predict`` returns one prediction per
    time step of X, shape (n_samples, n_timesteps) or (n_samples,
    n_timesteps, n_outputs) like y in ``fit``, NaN at the padded steps (a
    list of sequences is padded at the start, so sequence i's predictions
    are the last ``len(X[i])`` entries of row i). ``score`` is the R² over
    the observed steps, and ``metrics`` are computed over them.
{_LENGTH_NOTES_DOC}
    Networks of the same architecture share one compiled graph across fits,
    and a whole epoch runs as one compiled call; both only change speed, not
    the updates.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RNNRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 10, 2))
    >>> y = X[:, -3:, 0].sum(axis=1)
    >>> reg = RNNRegressor(units=8, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X[:5]).shape
    (5,)
    """

    _parameter_constraints: dict = {
        **_BaseRNN._parameter_constraints,
        "loss": [StrOptions({"mse", "mae", "huber", "log_cosh"}), callable],
        "output_activation": [
            StrOptions({"linear", "sigmoid", "tanh", "softplus", "relu"}),
            callable,
        ],
        "linear_skip": ["boolean"],
        "decoder": ["boolean"],
    }

    _validate_y_kwargs = {"y_numeric": True, "multi_output": True}
    _labels = False
    _metric_functions = _REGRESSION_METRICS
    _maximised_metrics = frozenset({"r2"})

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
        loss="mse",
        output_activation="linear",
        linear_skip=True,
        decoder=False,
        epochs=100,
        batch_size="auto",
        shuffle=True,
        validation_fraction=0.2,
        early_stopping=True,
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
        self.output_activation = output_activation
        self.linear_skip = linear_skip
        self.decoder = decoder

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _network_output_activation(self):
        return self.output_activation

    def _linear_steps(self):
        if not self.linear_skip:
            return 0
        # Per step, the skip reads the inputs of the step it outputs for.
        return 1 if self.return_sequences else self.sequence_shape_[0]

    def _decoder(self):
        return self.decoder

    def _check_raw_targets(self, y):
        try:
            # np.asarray, not np.shape: array-likes that only convert
            shape = np.asarray(y).shape
        except ValueError:  # ragged nested lists: left to scikit-learn's checks
            return
        if len(shape) == 3:  # scikit-learn: "Found array with dim 3"
            raise ValueError(
                f"y has shape {shape}: values per time step (n_samples, "
                "n_timesteps, n_outputs) need return_sequences=True. Without "
                "it, y is (n_samples,) or (n_samples, n_outputs)."
            )

    def _encode_targets(self, y, sample_weight, *, warm=False):
        self._y_is_1d = y.ndim == 1
        y = np.asarray(y, dtype=np.float32).reshape(len(y), -1)
        self.n_outputs_ = y.shape[1]
        return y, sample_weight, self.n_outputs_

    def _encode_step_targets(self, y, observed, sample_weight, *, warm=False):
        """Per-step targets (n_samples, n_timesteps[, n_outputs]) from
        ``step_targets``: float32 with an output axis, 0 at padded steps,
        and per-step weights that leave the padded steps out of the loss."""
        self._y_is_1d = y.ndim == 2
        y = check_observed_values(y.reshape(*y.shape[:2], -1), observed, "y")
        self.n_outputs_ = y.shape[2]
        return y, self._step_weights(observed, sample_weight), self.n_outputs_

    def _check_step_targets(self, y, observed, name):
        y = y.reshape(*y.shape[:2], -1)
        if y.shape[2] != self.n_outputs_:
            raise ValueError(
                f"{name} must have {self.n_outputs_} output(s) per time step, "
                f"like y in fit. Got {y.shape[2]} instead."
            )
        return check_observed_values(y, observed, name)

    def _check_validation_targets(self, y_val, n_samples, name="y_val"):
        y_val = check_array(
            y_val, ensure_2d=False, dtype=np.float32, input_name=name
        ).reshape(len(y_val), -1)
        if y_val.shape != (n_samples, self.n_outputs_):
            raise ValueError(
                f"{name} must have shape ({n_samples}, {self.n_outputs_}) or "
                f"({n_samples},) for one output, like y in fit. Got shape "
                f"{y_val.shape} instead."
            )
        return y_val

    def _decode_outputs(self, raw):
        raw = np.asarray(raw, dtype=np.float64)
        return raw.ravel() if self._y_is_1d else raw

    def _decode_targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        return y.ravel() if self._y_is_1d else y

    def predict(self, X):
        """Predict targets of sequences.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, 1-D when ``y`` was 1-D in ``fit``. With
            ``return_sequences=True``, one per time step: shape (n_samples,
            n_timesteps) or (n_samples, n_timesteps, n_outputs) like y in
            ``fit``, NaN at the padded steps of X.
        """
        if self._per_step():
            y_pred, X = self._predict_raw(X, return_X=True)
            y_pred[padding_mask(X)] = np.nan
            return y_pred[..., 0] if self._y_is_1d else y_pred
        y_pred = self._predict_raw(X)
        return y_pred.ravel() if self._y_is_1d else y_pred

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R² of the predictions.

        With ``return_sequences=True`` it is computed over the observed
        (unpadded) time steps of X, each weighted by its sequence's
        ``sample_weight``; otherwise as in scikit-learn's ``RegressorMixin``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``.
        y : array-like
            True targets, in the form of y in ``fit``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the sequences.

        Returns
        -------
        score : float
            R² of ``predict(X)`` against y.
        """
        if not self._per_step():
            return super().score(X, y, sample_weight=sample_weight)
        y_true, y_pred, weights = self._observed_steps(X, y, sample_weight)
        return float(r2_score(y_true, y_pred, sample_weight=weights))

    def predict_recursive(self, X, steps, *, exog=None, target_index=0):
        """Forecast ``steps`` values ahead by feeding each prediction back.

        Starting from the windows ``X``, each step predicts the next value of
        every sequence, appends a time step that holds the prediction at
        feature ``target_index`` and the next row of ``exog`` at the other
        features, and drops the oldest step. The whole recursion runs as
        compiled TensorFlow code (XLA), batched over the sequences; it is
        compiled once per window length and number of sequences, whatever
        ``steps`` is. This is the method by which
        :class:`~skrnn.RecursiveForecaster` hands the whole recursion to an
        estimator that can run it.

        Parameters
        ----------
        X : array-like of shape (n_series, n_timesteps, n_features)
            The first window of each sequence, without padding (2-D means
            univariate windows).
        steps : int
            Number of values to forecast.
        exog : array-like of shape (steps - 1, n_features - 1), default=None
            The features other than the target of the time steps appended
            after the first ``steps - 1`` predictions, shared by all
            sequences. Required when ``n_features > 1``.
        target_index : int, default=0
            The feature the predictions are fed back into.

        Returns
        -------
        y_pred : ndarray of shape (n_series, steps)
            The forecasts, float64 (computed in float32 inside the network).
        """
        check_is_fitted(self)
        if hasattr(self, "token_ids_"):
            raise ValueError(
                "Recursive forecasting feeds each predicted value back as an "
                "input, but this RNNRegressor was fitted with embedding_dim and "
                "reads token ids, not values. Fit it with embedding_dim=None."
            )
        if self._per_step():
            raise ValueError(
                "Recursive forecasting feeds one predicted value per sequence "
                "back; this RNNRegressor was fitted with return_sequences=True "
                "and predicts one value per time step. Fit it with "
                "return_sequences=False."
            )
        if self.n_outputs_ != 1:
            raise ValueError(
                "Recursive forecasting feeds one predicted value back per step; "
                f"this RNNRegressor predicts {self.n_outputs_} outputs. Fit it "
                "with a 1-D y."
            )
        if isinstance(steps, bool) or not isinstance(steps, Integral) or steps < 1:
            raise ValueError(f"steps must be a positive int. Got {steps!r} instead.")
        X = check_sequences(self, X, reset=False)
        if np.isnan(X).any():
            raise ValueError(
                "X holds NaN: the windows of a recursive forecast cannot be "
                "padded. Pass complete windows."
            )
        n_features = X.shape[2]
        if (
            isinstance(target_index, bool)
            or not isinstance(target_index, Integral)
            or not 0 <= target_index < n_features
        ):
            raise ValueError(
                f"target_index must be an int in [0, {n_features - 1}] (a feature "
                f"of X). Got {target_index!r} instead."
            )
        expected = (steps - 1, n_features - 1)
        if n_features == 1 and exog is None:
            exog = np.empty(expected)
        if exog is None:
            raise ValueError(
                f"X has {n_features} features per time step, so exog must give "
                f"the other {n_features - 1} features of the next "
                f"{steps - 1} time steps, shape {expected}. Got None instead."
            )
        exog = check_array(
            exog,
            dtype=np.float64,
            ensure_min_samples=0,
            ensure_min_features=0,
            input_name="exog",
        )
        if exog.shape != expected:
            raise ValueError(
                f"exog must have shape {expected} (steps - 1, n_features - 1). "
                f"Got shape {exog.shape} instead."
            )
        from . import _keras

        return _keras.recursive_forecast(
            self._spec, self.model_, X, exog, int(steps), int(target_index)
        )

    def _recursive_forecast(self, z, exog, steps):
        """Deprecated: use :meth:`predict_recursive`.

        ``z`` (n_series, window) are the last target values per series,
        ``exog`` (window - 1 + steps, n_features - 1) the other features of the
        rows after the window's first; returns (n_series, steps).
        """
        warnings.warn(
            "`_recursive_forecast` is deprecated; use the public "
            "`predict_recursive` instead.",
            FutureWarning,
            stacklevel=user_stacklevel(),
        )
        z, exog = np.asarray(z, np.float64), np.asarray(exog, np.float64)
        window = z.shape[1]
        rows = np.broadcast_to(exog[:window], (len(z), window, exog.shape[1]))
        first = np.concatenate([z[:, :, np.newaxis], rows], axis=2)
        return self.predict_recursive(
            first,
            steps,
            exog=exog[window : window + steps - 1] if exog.shape[1] else None,
        )
