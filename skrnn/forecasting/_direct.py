"""DirectForecaster: the whole horizon from one call of a multi-output model."""

import math
import warnings
from collections.abc import Mapping
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import clone
from sklearn.multioutput import MultiOutputRegressor
from sklearn.utils import get_tags
from sklearn.utils._param_validation import Interval

from .._warnings import user_stacklevel
from ..preprocessing import WindowLayout
from ._recursive import RecursiveForecaster, _default_estimator

__all__ = ["DirectForecaster"]


def direct_windows(layout, z, exog, horizon):
    """Training inputs and their ``horizon`` targets, time-major over series.

    Parameters
    ----------
    layout : WindowLayout
        The layout of the past part of each input.
    z : ndarray of shape (n_timesteps, n_series)
        The (transformed) target series.
    exog : ndarray of shape (n_timesteps, n_exog)
        Exogenous rows shared by all series (``n_exog`` may be 0).
    horizon : int
        Number of targets after each window.

    Returns
    -------
    X : ndarray of shape (n_windows * n_series, n_steps, n_features)
        The layout's window (its last step carries the regressors of the
        first forecast time point), followed, with regressors and
        ``horizon > 1``, by ``horizon - 1`` future steps: target 0 (unknown)
        and the regressors of forecast time points 2 to ``horizon``.
        ``n_windows = n_timesteps - window - horizon + 1``.
    Y : ndarray of shape (n_windows * n_series, horizon)
        The ``horizon`` target values after each window.
    """
    n, n_series = z.shape
    w = layout.window
    n_windows = n - w - horizon + 1
    X, _ = layout.training_windows(z, exog)
    X = X[: n_windows * n_series]
    Y = sliding_window_view(z, horizon, axis=0)[w : w + n_windows]
    Y = Y.reshape(n_windows * n_series, horizon)
    if layout.n_exog and horizon > 1:
        # Window i ends at time t = i + w - 1; its future steps carry the
        # regressors of times t + 2 ... t + horizon.
        rows = sliding_window_view(exog, horizon - 1, axis=0)
        rows = rows[w + 1 : w + 1 + n_windows].transpose(0, 2, 1)[:, np.newaxis]
        future = layout.assemble(np.zeros((n_windows, n_series, horizon - 1)), rows)
        X = np.concatenate(
            [X, future.reshape(n_windows * n_series, horizon - 1, -1)], axis=1
        )
    return X, Y


def direct_inputs(layout, targets, rows, horizon):
    """The input that forecasts the ``horizon`` time points after ``targets``.

    Parameters
    ----------
    layout : WindowLayout
        The layout of the past part.
    targets : ndarray of shape (n_series, window)
        The last ``window`` target values of each series.
    rows : ndarray of shape (window + horizon - 1, n_exog)
        The exogenous rows the window and the future steps read (see
        :meth:`WindowLayout.forecast_rows`).
    horizon : int
        Number of time points forecast.

    Returns
    -------
    X : ndarray of shape (n_series, n_steps, n_features)
        Laid out as the rows of :func:`direct_windows`.
    """
    w = layout.window
    X = layout.assemble(targets, rows[:w])
    if layout.n_exog and horizon > 1:
        future = layout.assemble(
            np.zeros((len(targets), horizon - 1)), rows[w : w + horizon - 1]
        )
        X = np.concatenate([X, future], axis=1)
    return X


class DirectForecaster(RecursiveForecaster):
    """Forecast the next ``horizon`` time points at once with a multi-output model.

    The direct (multiple-input multiple-output) strategy: the target is
    differenced (optional) and standardised as in
    :class:`RecursiveForecaster`, cut into windows of ``window`` time
    points, and the regressor learns the ``horizon`` values after each
    window together, as one output vector. A forecast of up to ``horizon``
    steps is one ``predict`` call from the last window of the training data:
    no prediction is fed back, so errors do not compound step by step.

    Longer forecasts recurse by blocks: steps ``horizon + 1`` to
    ``2 * horizon`` are forecast from the window that ends with the first
    block's forecasts, and so on. A forecast of ``steps`` time points is the
    first ``steps`` values of these blocks, so the forecast of a step does
    not depend on how many steps are asked (without regressors; see Notes).

    Exogenous columns of X are used when present: the window carries them as
    in :class:`RecursiveForecaster` (each step the target of its time point
    and the regressors of the next, so the last step carries those of the
    first forecast time point), and ``horizon - 1`` further input steps carry
    the regressors of forecast time points 2 to ``horizon``, with the target
    0 (unknown). The model thus sees the regressors of every step it
    forecasts. Several series (2-D y) train one global model on the windows
    of all.

    Parameters
    ----------
    estimator : regressor, default=None
        The multi-output model. None means ``RNNRegressor()``, whose output
        layer then has ``horizon`` units (and whose linear skip starts from
        the least-squares direct linear model). Regressors that declare 3-D
        input in their tags (skrnn's RNNs) receive the inputs (n_windows,
        n_steps, n_features); others receive them flattened to (n_windows,
        n_steps * n_features), so that ``LinearRegression()`` makes a direct
        linear model (one least-squares AR per horizon step). A regressor
        whose tags say it fits one output only (e.g. ``SVR``) is wrapped in
        :class:`~sklearn.multioutput.MultiOutputRegressor`: one model per
        horizon step.
        Each ``fit`` trains a clone of it (as scikit-learn's
        meta-estimators do), so its ``warm_start`` does not carry training
        over from one forecaster fit to the next.

    horizon : int, default=12
        Number of time points the model forecasts at once: the length of its
        output vector. Set it to the horizon you forecast (12 is
        :func:`~skrnn.compare`'s default horizon, a year of monthly data). A
        longer horizon needs a longer series: every training window needs
        ``horizon`` observed values after it.

    window : int or "auto", default="auto"
        Number of past time points the model sees. "auto": as in
        :class:`RecursiveForecaster`, on the part of the transformed
        training series whose windows have all ``horizon`` targets.

    differences : int or "auto", default="auto"
        Order of regular differencing of the target before modelling.
        "auto" chooses 0 or 1 on the training series (see
        :class:`RecursiveForecaster`).

    seasonal_differences : {0, 1, "auto"}, default="auto"
        Whether the target is also differenced once at ``seasonal_period``.

    seasonal_period : int, "auto" or None, default="auto"
        The season length m; "auto" reads it from the time index of y.

    scale : bool, default=True
        Standardise the (differenced) target and the exogenous columns with
        statistics of the training data.

    calibration_origins : int, default=20
        Number of rolling origins whose forecast errors calibrate the
        conformal intervals of :meth:`predict_interval` (see
        :class:`RecursiveForecaster`).

    Attributes
    ----------
    estimator_ : regressor
        The fitted multi-output model.

    window_, differences_, seasonal_differences_ : int
        The window and differencing used (the "auto" choices made).

    seasonal_period_ : int or None
        The season used, None without one.

    differencer_ : Differencer or None
        The fitted differencing of the target.

    target_scaler_, exog_scaler_ : StandardScaler or None
        The fitted scaling of the target and of the exogenous columns.

    y_train_ : ndarray, Series or DataFrame
        The training series, as given.

    history_ : dict of list of float or None
        The training curves of the fitted estimator, or None when it is not
        trained by epochs.

    n_series_ : int
        Number of series (columns of y).

    n_features_in_ : int
        Number of exogenous columns of X.

    time_axis_ : TimeAxis
        The training time index, used to place the rows of X.

    layout_ : WindowLayout
        The layout of the window part of the inputs (the future steps, with
        regressors, follow it in the same step format).

    See Also
    --------
    RecursiveForecaster : One-step model, forecasts by feeding predictions back.
    ARForecaster : Autoregressive baseline (statsmodels AutoReg).

    Notes
    -----
    With regressors, each block reads the regressors of all its
    ``horizon`` steps. Where X ends inside a block (fewer than ``horizon``
    rows, or a number of rows that is not a multiple of it), the regressors
    of the missing time points are taken at their training mean, with a
    warning: the forecasts of the given rows then differ from those made
    with the missing rows known. The conformal calibration of
    :meth:`predict_interval` makes such forecasts at its latest origins
    (without the warning).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from skrnn import DirectForecaster
    >>> y = np.sin(np.arange(120) / 4)
    >>> f = DirectForecaster(
    ...     LinearRegression(), horizon=6, window=8, differences=0
    ... ).fit(None, y)
    >>> f.estimator_.coef_.shape  # one row of lag coefficients per step
    (6, 8)
    >>> bool(np.allclose(f.forecast(6), np.sin(np.arange(120, 126) / 4)))
    True
    """

    _parameter_constraints: dict = {
        **RecursiveForecaster._parameter_constraints,
        "horizon": [Interval(Integral, 1, None, closed="left")],
    }

    # Each block needs a whole window of history: every series must fit it.
    _trains_short_series = False

    def __init__(
        self,
        estimator=None,
        *,
        horizon=12,
        window="auto",
        differences="auto",
        seasonal_differences="auto",
        seasonal_period="auto",
        scale=True,
        calibration_origins=20,
    ):
        super().__init__(
            estimator,
            window=window,
            differences=differences,
            seasonal_differences=seasonal_differences,
            seasonal_period=seasonal_period,
            scale=scale,
            calibration_origins=calibration_origins,
        )
        self.horizon = horizon

    def _check_params(self):
        super()._check_params()
        if getattr(self.estimator, "return_sequences", False) is True:
            # Its (n, horizon) targets would be read as one per input step.
            raise ValueError(
                "DirectForecaster's estimator gives one output per horizon "
                "step, but return_sequences=True gives one per time step of "
                "its input window. Set return_sequences=False (decoder=True "
                "reads the horizon steps as a sequence). Got "
                "return_sequences=True instead."
            )

    def min_train_size(self):
        """The shortest training series these parameters can fit.

        Two windows, each followed by ``horizon`` values, after differencing
        (with "auto" choices, the least any choice needs).

        Returns
        -------
        n_points : int
            The number of time points.
        """
        return super().min_train_size() + self.horizon - 1

    def _min_train_hint(self):
        return (
            "Use a longer series, a shorter horizon, a smaller window or less "
            "differencing."
        )

    def _choose_window(self, z):
        horizon = self.horizon
        window = 2 if self.window == "auto" else self.window
        shortest = int((~np.isnan(z)).sum(axis=0).min())
        if shortest < window + horizon + 1:
            which = "y has" if z.shape[1] == 1 else "the shortest series of y has"
            raise ValueError(
                f"After differencing, {which} {shortest} time points, but a "
                f"window of {window} with horizon={horizon} needs at least "
                f"{window + horizon + 1} (two windows with {horizon} values "
                "after each). " + self._min_train_hint()
            )
        # The part of the series whose windows have all their targets.
        return super()._choose_window(z[: len(z) - horizon + 1])

    def _fit(self, y, exog):
        z, exog = self._transform(y, exog)
        # Regressors of time points X does not give: their (scaled) mean.
        self._exog_fill = exog.mean(axis=0) if len(exog) else np.zeros(0)

        estimator = (
            clone(self.estimator)
            if self.estimator is not None
            else _default_estimator()
        )
        tags = get_tags(estimator)
        self._three_d = tags.input_tags.three_d_array
        if self.horizon > 1 and not tags.target_tags.multi_output:
            estimator = MultiOutputRegressor(estimator)
        self.layout_ = WindowLayout(self._choose_window(z), n_exog=exog.shape[1])
        X_windows, Y = direct_windows(self.layout_, z, exog, self.horizon)
        # Windows that reach before a series' start (panels) are left out.
        past = X_windows[:, : self.layout_.window, self.layout_.target_position]
        complete = np.isfinite(Y).all(axis=1) & np.isfinite(past).all(axis=1)
        if not complete.all():
            X_windows, Y = X_windows[complete], Y[complete]
        self.estimator_ = estimator.fit(
            self._as_input(X_windows), Y[:, 0] if self.horizon == 1 else Y
        )
        history = getattr(self.estimator_, "history_", None)
        self.history_ = (
            None
            if not isinstance(history, Mapping)
            else {key: list(values) for key, values in history.items()}
        )
        self._last_targets, self._known_rows = self.layout_.last_state(z, exog)

    def _recurse(self, last_targets, known_rows, steps, exog):
        """Forecasts (steps, n_series) of the transformed target, by blocks."""
        layout, horizon = self.layout_, self.horizon
        w = layout.window
        total = math.ceil(steps / horizon) * horizon
        if layout.n_exog and total > steps:
            warnings.warn(
                f"X gives the regressors of {steps} time points, but "
                f"{type(self).__name__} with horizon={horizon} forecasts "
                f"blocks of {horizon} steps and reads the regressors of every "
                f"step of a block: those of the {total - steps} time points "
                "after the last row of X are taken at their training mean, "
                "which changes the forecasts. Give X a multiple of "
                f"horizon={horizon} rows (and keep the forecasts you need).",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
            fill = np.broadcast_to(self._exog_fill, (total - steps, layout.n_exog))
            exog = np.concatenate([exog, fill])
        rows = layout.forecast_rows(known_rows, exog, steps=total)
        history = last_targets
        out = np.full((total, len(history)), np.nan)
        alive = np.arange(len(history))
        for start in range(0, total, horizon):
            inputs = direct_inputs(
                layout, history, rows[start : start + w + horizon - 1], horizon
            )
            with np.errstate(over="ignore", invalid="ignore"):  # reported later
                block = self.estimator_.predict(self._as_input(inputs))
            block = np.asarray(block, dtype=np.float64).reshape(len(alive), horizon)
            out[start : start + horizon, alive] = block.T
            # A series with a value that is not finite cannot be fed back.
            finite = np.isfinite(block).all(axis=1)
            alive = alive[finite]
            if not len(alive):
                break
            history = np.concatenate([history[finite], block[finite]], axis=1)[:, -w:]
        return out[:steps]

    def _origin_errors(self, origin):
        # The calibration forecasts to the end of the training series, which
        # may end inside a block: its regressors are filled, as documented.
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="X gives the regressors", category=UserWarning
            )
            return super()._origin_errors(origin)
