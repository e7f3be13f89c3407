"""Split-conformal prediction intervals from time-ordered backtest residuals.

A forecaster without analytic intervals gets them from its own forecast
errors: clones of it are refitted on the training series cut at rolling
origins near its end, each forecasts the rest of the training series, and the
absolute errors at horizon step ``k`` calibrate the interval of step ``k``
(the split-conformal quantile, with the finite-sample ``(n + 1)``
correction). The residuals are computed on the first ``predict_interval``
call that needs them and cached, so a plain ``fit`` costs nothing extra.
"""

import math
import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import clone

__all__ = ["ConformalIntervalsMixin", "check_coverage", "interval_frame"]


def check_coverage(coverage):
    """``coverage`` as a float; refused outside (0, 1), in the wording of
    ARForecaster."""
    if isinstance(coverage, bool) or not isinstance(coverage, Real):
        raise ValueError(
            f"coverage must be a number in (0, 1), e.g. 0.9. Got {coverage!r} "
            f"(a {type(coverage).__name__}) instead."
        )
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must be in (0, 1). Got {coverage!r} instead.")
    return float(coverage)


# Ranks and counts below are ceilings of products of the coverage: a relative
# tolerance keeps e.g. (9 + 1) * 0.9 at 9, not 10, and a float32 coverage
# (0.8 stored as 0.800000012) at the rank of the value it stands for.
_TOLERANCE = 1e-6


def _conformal_rank(n_scores, coverage):
    """1-based rank of the conformal quantile among ``n_scores`` scores.

    ``ceil((n + 1) * coverage)``; above ``n`` the quantile is infinite.
    """
    return math.ceil((n_scores + 1) * coverage * (1 - _TOLERANCE))


def _fewest_origins(coverage):
    """The fewest scores whose conformal quantile at ``coverage`` is finite."""
    return max(1, math.ceil(coverage / (1 - coverage) * (1 - _TOLERANCE)))


def interval_frame(forecaster, lower, upper, index):
    """Bounds (n_rows, n_series) as ARForecaster.predict_interval frames them.

    Columns "lower" and "upper" for one series; for several, a column
    MultiIndex (series, "lower"/"upper").
    """
    if forecaster._y_is_1d:
        return pd.DataFrame(
            np.column_stack([lower[:, 0], upper[:, 0]]),
            index=index,
            columns=["lower", "upper"],
        )
    names = forecaster._y_names or range(forecaster.n_series_)
    values = np.stack([lower, upper], axis=2).reshape(len(lower), -1)
    columns = pd.MultiIndex.from_product([list(names), ["lower", "upper"]])
    return pd.DataFrame(values, index=index, columns=columns)


class ConformalIntervalsMixin:
    """``predict_interval`` by split conformal prediction, for forecasters.

    Goes left of :class:`BaseForecaster` in the bases of a forecaster with a
    ``calibration_origins`` parameter. Refits clones of the forecaster through
    its public ``fit`` and ``forecast``, so it works for any forecaster that
    keeps the contract.
    """

    def _validate_fit_data(self, X, y):
        y_values, exog = super()._validate_fit_data(X, y)
        # What the calibration refits need, and an empty cache: a new fit
        # makes the old residuals stale. The refits are clones of the
        # forecaster as it is fitted now: parameters of its estimator set
        # later (``estimator__...``) do not reach its fitted model, so they
        # must not reach its intervals either.
        self._calibration_data = (y_values, exog)
        self._calibration_model = clone(self)
        self._calibration_errors = {}
        return y_values, exog

    def predict_interval(self, X, coverage=0.9):
        """Prediction intervals for the rows of X, by split conformal prediction.

        The interval of horizon step ``k`` is the forecast plus or minus the
        conformal quantile of the forecaster's absolute ``k``-step errors
        from ``calibration_origins`` rolling origins at the end of the
        training series. For each origin ``t``, a clone with these parameters
        is fitted on the first ``t`` time points and forecasts the rest of
        the training series; step ``k`` uses the latest
        ``calibration_origins`` origins whose ``k``-th forecast has an
        observed value. Of these ``n`` errors, the quantile is the
        ``ceil((n + 1) * coverage)``-th smallest (the finite-sample correction
        of split conformal prediction), computed per series. A series of a
        panel that starts late is calibrated on the origins where it has
        enough history to be fitted; its interval is infinite where these
        are too few for the coverage.

        The refits happen on the first call that needs them and are cached:
        a longer horizon later refits only the earlier origins it adds, and
        the interval of a step does not depend on how many steps are asked.
        The refits are clones of the forecaster as it was fitted:
        ``calibration_origins`` may be set after ``fit`` (it is read here),
        while parameters set on its estimator after ``fit`` reach neither
        the fitted model nor its intervals.
        The fitted forecaster itself is not changed (``predict`` gives the
        same forecasts before and after). With a regressor that has a fixed
        ``random_state``, the intervals are reproducible.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_exog)
            Rows to forecast, as in :meth:`predict`.
        coverage : float, default=0.9
            Nominal probability that the interval holds the true value. It
            needs ``calibration_origins >= coverage / (1 - coverage)``
            (9 for 0.9, 19 for 0.95).

        Returns
        -------
        intervals : DataFrame
            Columns "lower" and "upper" (for several series, a column
            MultiIndex (series, "lower"/"upper")), one row per row of X, with
            X's time index when y was pandas; the same frame as
            :meth:`ARForecaster.predict_interval`.

        Notes
        -----
        The calibration costs ``calibration_origins + h - 1`` refits for ``h``
        steps (the training series must have at least
        ``min_train_size() + calibration_origins + h - 1`` time points). That
        is cheap for naive and linear models and one network training each
        for an RNN: lower ``calibration_origins`` there, or accept the time
        once, since the errors are cached until the next ``fit``.
        """
        self._validate_params()  # calibration_origins may be set after fit
        coverage = check_coverage(coverage)
        positions, index, exog = self._prepare_predict(X)
        # As in predict; the calibration errors are of each series' steps too.
        steps = self._series_steps(positions)
        horizon = int(steps.max())
        radius = np.take_along_axis(
            self._conformal_radius(horizon, coverage), steps - 1, axis=0
        )
        center = np.take_along_axis(self._forecast(horizon, exog), steps - 1, axis=0)
        with np.errstate(invalid="ignore"):  # an infinite forecast and radius
            return interval_frame(self, center - radius, center + radius, index)

    def _conformal_radius(self, horizon, coverage):
        """Half-widths (horizon, n_series): the conformal quantile per step."""
        n_origins = self.calibration_origins
        name = type(self).__name__
        fewest = _fewest_origins(coverage)
        if n_origins < fewest:
            top = n_origins / (n_origins + 1)
            raise ValueError(
                f"coverage={coverage} needs at least {fewest} calibration "
                f"origins, but {name} has calibration_origins={n_origins}, "
                "whose conformal intervals are finite only up to coverage "
                f"{n_origins}/{n_origins + 1} = {top:.3f}. Set "
                f"calibration_origins={fewest} or more (each origin is one "
                "refit), or ask for a lower coverage."
            )
        data = getattr(self, "_calibration_data", None)
        if data is None:  # fitted by an skrnn without conformal intervals
            raise ValueError(
                f"This {name} was fitted by an older skrnn, without the data "
                "its intervals calibrate on: call fit again before "
                "predict_interval."
            )
        y, _ = data
        n = len(y)
        earliest = n - horizon - n_origins + 1
        minimum = self._min_fit_size(self.n_features_in_)
        if earliest < minimum:
            needed = minimum + n_origins + horizon - 1
            least = (
                "min_train_size()"
                if minimum == self.min_train_size()
                else f"{minimum} with {self.n_features_in_} exogenous columns"
            )
            raise ValueError(
                f"predict_interval over {horizon} steps with "
                f"calibration_origins={n_origins} refits {name} on the training "
                f"series cut at {n_origins + horizon - 1} earlier origins, the "
                f"earliest after {max(earliest, 0)} time points, but these "
                f"parameters need at least {minimum} to fit: the training series must "
                f"have at least {needed} time points ({least} + "
                f"calibration_origins + steps - 1). Got {n}. Fit on a longer "
                "series, forecast fewer steps, or set a smaller "
                f"calibration_origins (at least {fewest} for coverage="
                f"{coverage})."
            )
        cache = self._calibration_errors
        for origin in range(n - 1, earliest - 1, -1):
            if origin not in cache:
                cache[origin] = self._origin_errors(origin)
        radius = np.empty((horizon, y.shape[1]))
        for step in range(1, horizon + 1):
            latest = n - step
            scores = np.stack(
                [
                    cache[origin][step - 1]
                    for origin in range(latest - n_origins + 1, latest + 1)
                ]
            )
            # A series of a panel that starts late has no score at the
            # origins before it (NaN): its quantile is of the scores it has.
            counts = (~np.isnan(scores)).sum(axis=0)
            ranks = np.array([_conformal_rank(c, coverage) for c in counts])
            ordered = np.sort(scores, axis=0)  # NaN last
            finite = (ranks <= counts) & (counts > 0)
            picked = ordered[
                np.clip(ranks - 1, 0, n_origins - 1), np.arange(len(ranks))
            ]
            radius[step - 1] = np.where(finite, picked, np.inf)
        return radius

    def _origin_errors(self, origin):
        """Absolute errors (n - origin, n_series) of a clone fitted on the
        first ``origin`` time points, forecasting the rest of the series."""
        y, exog = self._calibration_data
        steps = len(y) - origin
        # The series of a panel with enough history at this origin; one that
        # starts later (or too late to fit) gets no score here (NaN).
        observed = (~np.isnan(y[:origin])).sum(axis=0)
        # A global model forecasts series shorter than its window, from one
        # point after differencing; the others need a fit of their own.
        needed = (
            1
            + self.differences_
            + self.seasonal_differences_ * (self.seasonal_period_ or 0)
            if getattr(self, "_trains_short_series", False)
            else self.min_train_size()
        )
        columns = np.flatnonzero(observed >= needed)
        if self._y_is_1d or not len(columns):
            columns = np.arange(y.shape[1])  # fit refuses, naming the problem
        history = y[:origin, 0] if self._y_is_1d else y[:origin, columns]
        index = self.time_axis_.index
        # An irregular DatetimeIndex gives no season and no future dates (the
        # fit took its rows by position), so the refit goes without it too.
        irregular = isinstance(index, pd.DatetimeIndex) and self.time_axis_.freq is None
        if index is not None and len(index) == len(y) and not irregular:
            # With its time index, so that the refit makes the choices the fit
            # made (a season read from the index); a series of a panel that
            # ended earlier is shifted to the panel's end, as it is in ``y``.
            frame = pd.Series if self._y_is_1d else pd.DataFrame
            history = frame(history, index=index[:origin])
        # (An estimator pickled before the template was kept has none.)
        model = clone(getattr(self, "_calibration_model", self))
        with warnings.catch_warnings():
            # The early origins' refits are short by design: that their
            # network holds out no validation sample is no news to the user.
            warnings.filterwarnings("ignore", message=r"validation_fraction=.*none")
            model.fit(None if exog is None else exog[:origin], history)
        forecast = model.forecast(steps, X=None if exog is None else exog[origin:])
        forecast = np.asarray(forecast, dtype=np.float64).reshape(steps, -1)
        errors = np.full((steps, y.shape[1]), np.nan)
        # A forecast that failed (NaN) is an error of unbounded size.
        fitted = np.abs(y[origin:, columns] - forecast)
        errors[:, columns] = np.where(np.isnan(fitted), np.inf, fitted)
        return errors
