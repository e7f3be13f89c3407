"""RecursiveForecaster: any regressor on windows, forecasting by feedback."""

import warnings
from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._warnings import user_stacklevel
from ..preprocessing import Differencer, WindowLayout
from ._auto import (
    choice_sample,
    choose_differencing,
    linear_window,
    season_from_index,
)
from ._base import BaseForecaster
from ._intervals import ConformalIntervalsMixin


def _default_estimator():
    from ..rnn import RNNRegressor

    return RNNRegressor()


class RecursiveForecaster(ConformalIntervalsMixin, BaseForecaster):
    """Forecast a series many steps ahead with a regressor on sliding windows.

    The target is differenced (optional) and standardised, cut into windows of
    ``window`` time points, and the regressor learns the next value from each
    window. ``predict`` forecasts by feeding each prediction back as the newest
    value of the window, then undoes scaling and differencing. Forecasts are
    float64 in the units of y (a network computes in float32, but only on
    standardised values).

    An estimator with a public ``predict_recursive(X, steps, *, exog,
    target_index)`` method runs the whole recursion itself: with an
    :class:`~skrnn.RNNRegressor` (see
    :meth:`~skrnn.RNNRegressor.predict_recursive`) it is one compiled
    TensorFlow loop, batched over series and compiled once per window
    whatever the horizon. Other regressors are called once per step. A
    forecast that overflows (a model unstable on its own predictions) warns,
    naming the step, and is NaN from there on.

    Exogenous columns of X are used when present: the window step of a time
    point holds its target value and the exogenous values of the *next* time
    point, so the last step carries the regressors of the time being
    forecast. Their future values come in the X given to ``predict``.
    Several series (2-D y) train one global model on the windows of all.

    Parameters
    ----------
    estimator : regressor, default=None
        The one-step model. None means ``RNNRegressor()``. Regressors that
        declare 3-D input in their tags (skrnn's RNNs) receive windows
        (n_windows, window, n_features); others receive them flattened to
        (n_windows, window * n_features), i.e. lag features, so that
        ``LinearRegression()`` makes an AR(window) model.
        Each ``fit`` trains a clone of it (as scikit-learn's
        meta-estimators do), so its ``warm_start`` does not carry training
        over from one forecaster fit to the next.

    window : int or "auto", default="auto"
        Number of past time points the model sees. "auto": the largest lag
        AR(aic) selects on the transformed training series, and at least the
        seasonal period (when the series has one and it fits in a third of
        the series), so that the window spans a season.

    differences : int or "auto", default="auto"
        Order of regular differencing of the target before modelling.
        "auto" chooses 0 or 1 on the training series (see Notes).

    seasonal_differences : {0, 1, "auto"}, default="auto"
        Whether the target is also differenced once at ``seasonal_period``.
        "auto" chooses on the training series when there is a season (see
        Notes); 1 needs a season.

    seasonal_period : int, "auto" or None, default="auto"
        The season length m. "auto" reads it from the time index of y: 4
        for quarterly data, 12 monthly, 52 weekly, 7 daily, 5 business-daily,
        24 hourly; none for yearly data, integer indexes and arrays. None: no
        season.

    scale : bool, default=True
        Standardise the (differenced) target and the exogenous columns with
        statistics of the training data.

    calibration_origins : int, default=20
        Number of rolling origins whose forecast errors calibrate the
        conformal intervals of :meth:`predict_interval`. ``h`` steps take
        ``calibration_origins + h - 1`` refits of the forecaster, on the
        first call, cached until the next fit; ``fit`` and ``predict`` do
        not use it. The largest coverage it allows is
        ``calibration_origins / (calibration_origins + 1)``: 0.952 with 20.
        With an RNN each refit is a network training: 10 (coverage up to
        0.909) saves ten of them.

    Attributes
    ----------
    estimator_ : regressor
        The fitted one-step model.

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
        The training curves of the fitted estimator (its ``history_``, e.g.
        ``{"loss": [...], "val_loss": [...]}`` for an RNNRegressor), or None
        when the estimator is not trained by epochs.

    n_series_ : int
        Number of series (columns of y).

    n_features_in_ : int
        Number of exogenous columns of X.

    time_axis_ : TimeAxis
        The training time index, used to place the rows of X.

    layout_ : WindowLayout
        Where the target and the exogenous columns sit in the windows the
        estimator is trained on and forecasts from.

    See Also
    --------
    ARForecaster : Autoregressive baseline (statsmodels AutoReg).
    NaiveForecaster : Naive baselines.

    Notes
    -----
    With ``differences="auto"`` or ``seasonal_differences="auto"``, each
    allowed combination (no differencing, a first difference, a seasonal
    difference, both) is scored by the errors of the linear model the
    network starts from (one least-squares autoregression on the
    standardised, differenced windows of all series together), forecasting
    one season (8 steps without a season) from up to 6 rolling origins at the
    end of the training series; the combination with the smallest error is
    used. The linear model stands in for the network: the choice costs a few
    least-squares fits, not network fits. It looks only at the training
    series, so it is re-made on every training fold of a cross-validation.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RNNRegressor, RecursiveForecaster
    >>> from skrnn.datasets import load_airline
    >>> y = np.log(load_airline())
    >>> f = RecursiveForecaster(
    ...     RNNRegressor(units=8, epochs=3, random_state=0),
    ...     window=13, differences=1, seasonal_differences=0,
    ... ).fit(None, y)
    >>> f.forecast(12).index[[0, -1]].astype(str).tolist()
    ['1961-01', '1961-12']
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "window": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "differences": [
            Interval(Integral, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "seasonal_differences": [
            Interval(Integral, 0, 1, closed="both"),
            StrOptions({"auto"}),
        ],
        "seasonal_period": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
        "scale": ["boolean"],
        "calibration_origins": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        estimator=None,
        *,
        window="auto",
        differences="auto",
        seasonal_differences="auto",
        seasonal_period="auto",
        scale=True,
        calibration_origins=20,
    ):
        self.estimator = estimator
        self.window = window
        self.differences = differences
        self.seasonal_differences = seasonal_differences
        self.seasonal_period = seasonal_period
        self.scale = scale
        self.calibration_origins = calibration_origins

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        estimator = (
            self.estimator if self.estimator is not None else _default_estimator()
        )
        tags.non_deterministic = get_tags(estimator).non_deterministic
        return tags

    def _check_params(self):
        if self.seasonal_differences == 1 and self.seasonal_period is None:
            raise ValueError(
                "seasonal_differences=1 differences at the season, but "
                "seasonal_period=None says there is none. Set seasonal_period "
                '(e.g. 12 for monthly data), or "auto" to read it from the time '
                "index, or seasonal_differences=0."
            )

    def min_train_size(self):
        """The shortest training series these parameters can fit.

        With "auto" choices this is the least any choice needs (a window of
        2, no differencing); ``fit`` makes only the choices the series allows.

        Returns
        -------
        n_points : int
            The number of time points.
        """
        window = 2 if self.window == "auto" else self.window
        lost = 0 if self.differences == "auto" else self.differences
        if self.seasonal_differences == 1 and self.seasonal_period != "auto":
            lost += self.seasonal_period
        # At least two training windows after differencing.
        return window + lost + 2

    def _min_train_hint(self):
        return "Use a longer series, a smaller window or less differencing."

    def _choose_structure(self, y):
        """Resolve the "auto" season, differencing and window on ``y``."""
        season = self.seasonal_period
        if season == "auto":
            season = season_from_index(self.time_axis_)
        if self.seasonal_differences == 1 and season is None:
            raise ValueError(
                "seasonal_differences=1 differences at the season, but the time "
                "index of y has no frequency with a season (yearly, integer or "
                "no index). Set seasonal_period, or seasonal_differences=0."
            )
        regular = [0, 1] if self.differences == "auto" else [self.differences]
        seasonal = (
            [bool(self.seasonal_differences)]
            if self.seasonal_differences != "auto"
            else [False, True]
            if season is not None
            else [False]
        )
        sample = choice_sample(y, every_series=not self._trains_short_series)
        shortest = int((~np.isnan(y)).sum(axis=0).min())
        # A panel's short series need one difference; their history is padded.
        left = 4 if y.shape[1] == 1 else 1
        candidates = [
            (d, s)
            for s in seasonal
            for d in regular
            if min(len(sample), shortest - left + 4) >= d + (season if s else 0) + 4
        ] or [(regular[0], seasonal[0])]
        window = None if self.window == "auto" else self.window
        d, s = choose_differencing(sample, candidates, season, window=window)
        self.seasonal_period_ = season
        self.differences_, self.seasonal_differences_ = int(d), int(s)
        lost = d + (season if s else 0)
        if shortest - lost < left:
            which = "y has" if y.shape[1] == 1 else "The shortest series of y has"
            raise ValueError(
                f"{which} {shortest} time points; differencing (differences={d}"
                + (f", at the season {season}" if s else "")
                + f") leaves {shortest - lost}, too few to fit. "
                + self._min_train_hint()
            )
        return lost

    # One network for a panel's series: those shorter than the window are
    # forecast from padded histories (compare reads this too).
    _trains_short_series = True

    def _check_lengths(self, target):
        if target.values.shape[1] == 1 or not self._trains_short_series:
            return super()._check_lengths(target)
        # One global model: the longest series must fit the parameters; the
        # others are trained on where long enough, and forecast in any case.
        lengths = target.lengths
        minimum = self.min_train_size()
        if lengths.max() < minimum:
            raise ValueError(
                f"The longest series of y has {int(lengths.max())} time points, "
                f"but {type(self).__name__} with these parameters needs at "
                f"least {minimum}. {self._min_train_hint()}"
            )
        return None

    def _choose_window(self, z):
        """The "auto" window on the transformed (scaled) series ``z``."""
        sample = choice_sample(z, every_series=not self._trains_short_series)
        if self.window != "auto":
            window = self.window
        else:
            window = linear_window(sample, self.seasonal_period_)
        lengths = (~np.isnan(z)).sum(axis=0)
        # On a panel, series shorter than the window train nothing but are
        # still forecast (their history padded); one long series must train.
        # A forecaster that needs a whole window of every series checks all.
        every = z.shape[1] == 1 or not self._trains_short_series
        shortest = int(lengths.min() if every else lengths.max())
        if shortest < window + 2:
            which = (
                "y has"
                if z.shape[1] == 1
                else f"the {'shortest' if every else 'longest'} series of y has"
            )
            raise ValueError(
                f"After differencing, {which} {shortest} time points, but a "
                f"window of {window} needs at least {window + 2}. "
                + self._min_train_hint()
            )
        self.window_ = int(window)
        return self.window_

    def _transform_target(self, y, lost):
        """Differenced and scaled ``y``: ``(z, differencer, scaler)``.

        ``y`` may start with NaN in some columns (a panel's later starts);
        they stay NaN in ``z``, and each column is scaled by its own
        observed values.
        """
        differencer, z = None, y
        if lost:
            differencer = Differencer(
                self.differences_,
                seasonal_period=(
                    self.seasonal_period_ if self.seasonal_differences_ else None
                ),
            )
            # Differences of the back-filled start are placeholders, NaN below.
            z = differencer.fit_transform(_backfill(y))[lost:]
            z[np.isnan(y[: len(y) - lost])] = np.nan
        scaler = None
        if self.scale:
            scaler = StandardScaler().fit(z)  # NaN are ignored
            z = scaler.transform(z)
        return z, differencer, scaler

    def _transform(self, y, exog):
        """Choose the structure on ``y``, then the transformed target ``z``
        and the regressors of its rows (scaled; no columns without any)."""
        lost = self._choose_structure(y)
        z, self.differencer_, self.target_scaler_ = self._transform_target(y, lost)
        self.exog_scaler_ = None
        if exog is None:
            return z, np.empty((len(z), 0))
        exog = exog[lost:]
        if self.scale:
            self.exog_scaler_ = StandardScaler().fit(exog)
            exog = self.exog_scaler_.transform(exog)
        return z, exog

    def _fit(self, y, exog):
        z, exog = self._transform(y, exog)

        estimator = (
            clone(self.estimator)
            if self.estimator is not None
            else _default_estimator()
        )
        self._three_d = get_tags(estimator).input_tags.three_d_array
        self.layout_ = WindowLayout(self._choose_window(z), n_exog=exog.shape[1])
        X_windows, y_windows = self.layout_.training_windows(z, exog)
        # Windows that reach before a series' start (panels) are left out.
        target = X_windows[..., self.layout_.target_position]
        complete = np.isfinite(y_windows) & np.isfinite(target).all(axis=1)
        if not complete.all():
            X_windows, y_windows = X_windows[complete], y_windows[complete]
        self.estimator_ = estimator.fit(self._as_input(X_windows), y_windows)
        history = getattr(self.estimator_, "history_", None)
        self.history_ = (
            None
            if not isinstance(history, Mapping)
            else {key: list(values) for key, values in history.items()}
        )
        targets, self._known_rows = self.layout_.last_state(z, exog)
        self._last_targets = _pad_history(targets)

    def _as_input(self, windows):
        return windows if self._three_d else windows.reshape(len(windows), -1)

    def _forecast(self, steps, exog):
        if exog is not None and self.exog_scaler_ is not None:
            exog = self.exog_scaler_.transform(exog)
        z = self._recurse(self._last_targets, self._known_rows, steps, exog)
        return self._to_levels(z, self.differencer_, self.target_scaler_)

    def _forecast_from(self, y, steps):
        """Continue other series with the fitted model (see ``forecast``)."""
        lost = self.differences_ + (
            self.seasonal_period_ if self.seasonal_differences_ else 0
        )
        lengths = (~np.isnan(y)).sum(axis=0)
        needed = lost + 1
        if lengths.min() < needed:
            raise ValueError(
                f"forecast(y=...): a series of y has {int(lengths.min())} time "
                f"points, but the fitted model loses {lost} to differencing and "
                f"continues series of at least {needed}."
            )
        short = self.layout_.window + lost - len(y)
        if short > 0:
            # Shorter than the window: NaN before its start, then padded as a
            # panel's short series are.
            y = np.vstack([np.full((short, y.shape[1]), np.nan), y])
        z, differencer, scaler = self._transform_target(y, lost)
        targets, rows = self.layout_.last_state(z)
        return self._to_levels(
            self._recurse(_pad_history(targets), rows, steps, None), differencer, scaler
        )

    def _recurse(self, last_targets, known_rows, steps, exog):
        """Forecasts (steps, n_series) of the transformed target."""
        layout = self.layout_
        rows = layout.forecast_rows(known_rows, exog, steps=steps)
        if _runs_the_recursion(self.estimator_):
            w = layout.window
            z = self.estimator_.predict_recursive(
                layout.assemble(last_targets, rows[:w]),
                steps,
                exog=rows[w : w + steps - 1] if layout.n_exog else None,
                target_index=layout.target_position,
            )
            return np.asarray(z, dtype=np.float64).reshape(-1, steps).T
        return self._forecast_step_by_step(last_targets, rows, steps)

    def _forecast_step_by_step(self, history, rows, steps):
        """The generic recursion: one ``predict`` call per step, all series at once.

        A series whose prediction is not finite leaves the recursion (the
        model cannot take it as input): its later steps stay NaN, and the
        other series go on.
        """
        layout = self.layout_
        w = layout.window
        out = np.full((steps, len(history)), np.nan)
        alive = np.arange(len(history))
        for step in range(steps):
            inputs = layout.assemble(history, rows[step : step + w])
            with np.errstate(over="ignore", invalid="ignore"):  # reported below
                prediction = self.estimator_.predict(self._as_input(inputs))
            prediction = np.asarray(prediction, dtype=np.float64).reshape(len(alive))
            out[step, alive] = prediction
            finite = np.isfinite(prediction)
            alive, history = alive[finite], history[finite]
            if not len(alive):
                break
            history = np.concatenate(
                [history[:, 1:], prediction[finite][:, None]], axis=1
            )
        return out

    def _to_levels(self, z, differencer, scaler):
        """Undo scaling and differencing, in float64; warn of a forecast that
        is not finite, naming the step where it stops being finite."""
        finite = np.isfinite(z)
        # Each inverse step is causal: a value depends only on those before it.
        levels = np.where(finite, z, 0.0)
        with np.errstate(over="ignore", invalid="ignore"):  # reported below
            if scaler is not None:
                levels = levels * scaler.scale_ + scaler.mean_
            if differencer is not None:
                levels = differencer.inverse_transform_forecast(levels)
        broken = np.logical_or.accumulate(~finite, axis=0) | ~np.isfinite(levels)
        if broken.any():
            levels = np.where(np.logical_or.accumulate(broken, axis=0), np.nan, levels)
            step = int(np.argmax(broken.any(axis=1)))
            series = np.flatnonzero(broken[step])
            which = (
                ""
                if self._y_is_1d
                else f" (series {', '.join(str(j) for j in series)})"
            )
            warnings.warn(
                f"The recursive forecast of {type(self).__name__} overflows at "
                f"step {step + 1} of {len(z)}{which}: fed its own predictions, "
                "the model's values grow without bound, and the forecast is NaN "
                "from that step on. Forecast fewer steps, or make the model "
                "stable: scale=True, differencing, a bounded activation such as "
                "tanh, or more training.",
                RuntimeWarning,
                stacklevel=user_stacklevel(),
            )
        return levels


def _backfill(y):
    """``y`` with each column's leading NaN set to its first observed value."""
    observed = ~np.isnan(y)
    if observed.all():
        return y
    first = np.argmax(observed, axis=0)
    return np.where(observed, y, y[first, np.arange(y.shape[1])])


def _pad_history(targets):
    """The last windows of the series, (n_series, window); a series shorter
    than the window gets its first value repeated before its start."""
    return _backfill(targets.T).T


def _runs_the_recursion(estimator):
    """Whether ``estimator`` runs a whole recursive forecast itself.

    The public protocol: a method ``predict_recursive(X, steps, *, exog,
    target_index)`` as :meth:`skrnn.RNNRegressor.predict_recursive` defines
    it. skrnn's RNNRegressor has it; other regressors go step by step.
    """
    return callable(getattr(estimator, "predict_recursive", None))
