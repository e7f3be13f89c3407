"""ARForecaster: statsmodels' AutoReg with the forecaster contract."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._pickling import installed_version
from ._base import BaseForecaster
from ._intervals import ConformalIntervalsMixin, check_coverage, interval_frame


def _standardisation(values, *, center):
    """Centre and scale that bring each column of ``values`` to unit size.

    ``center=False`` keeps the origin (scale only). Computed on ``values``
    divided by their largest magnitude first, so that neither huge nor tiny
    values overflow or underflow. A constant column gets the scale of its
    magnitude (or 1 for zeros), so it is not blown up to rounding noise.
    """
    magnitude = np.abs(values).max(axis=0)
    magnitude[~(magnitude > 0)] = 1.0
    unit = values / magnitude
    mid = unit.mean(axis=0) if center else np.zeros(unit.shape[1])
    spread = unit.std(axis=0) if center else np.sqrt((unit**2).mean(axis=0))
    # Relative to the largest value, a spread of rounding size is no spread.
    spread[~(spread > 1e-12)] = 1.0
    return mid * magnitude, spread * magnitude


class ARForecaster(ConformalIntervalsMixin, BaseForecaster):
    """Autoregressive AR(p) forecaster on statsmodels ``AutoReg``.

    With ``lags="aic"``, ``"bic"`` or ``"hqic"`` the order is chosen by
    statsmodels' ``ar_select_order`` over lags ``1 .. maxlag``; the chosen
    lags are then fitted on the whole series. Exogenous columns of X enter as
    regressors (their future values come in the X given to ``predict``).
    Several series (2-D y) get one model each.

    Each series is standardised before fitting (and the forecasts and
    intervals brought back to its units), so the forecasts do not depend on
    the unit of the series: ``y * 1e15`` or ``y * 1e-20`` forecasts exactly
    ``1e15`` or ``1e-20`` times what ``y`` does, where a direct least-squares
    fit would lose its precision. The series is centred only when the model
    has a constant (``trend`` "c"/"ct" or seasonal dummies), which makes the
    centring exact; otherwise it is only scaled. Exogenous columns are treated
    the same way.

    Parameters
    ----------
    lags : int or {"aic", "bic", "hqic"}, default="aic"
        The AR order p, or the information criterion that selects it.

    trend : {"n", "c", "t", "ct"}, default="c"
        Deterministic trend: none, constant, time trend, or both.

    seasonal : bool, default=False
        Add seasonal dummies (needs ``period``).

    period : int, default=None
        Season length for ``seasonal=True``.

    maxlag : int, default=None
        Largest order ``ar_select_order`` considers. Default:
        ``ceil(12 * (n / 100) ** 0.25)`` (Schwert's rule), capped so that
        enough observations remain.

    intervals : {"analytic", "conformal"}, default="analytic"
        How :meth:`predict_interval` makes its intervals: statsmodels'
        analytic forecast standard errors (exact when the AR model is the
        true one), or split conformal prediction on the model's own
        backtest errors, as :class:`NaiveForecaster` and
        :class:`RecursiveForecaster` do (calibrated also when it is not:
        an AR model of a trending series in levels gets analytic intervals
        that are too narrow).

    calibration_origins : int, default=20
        With ``intervals="conformal"``, the number of rolling origins whose
        forecast errors calibrate the intervals (``h`` steps take
        ``calibration_origins + h - 1`` refits, on the first call, cached).
        Not used with ``intervals="analytic"``.

    Attributes
    ----------
    results_ : list of statsmodels AutoRegResults
        One fitted model per series, fitted on the standardised series
        ``(y - y_center_) / y_scale_`` (and exogenous columns
        ``(X - exog_center_) / exog_scale_``): its lag coefficients are those
        of ``y``; its deterministic and exogenous coefficients, residuals and
        ``sigma2`` are in standardised units (multiply by ``y_scale_``, or
        its square for ``sigma2``).

    y_center_, y_scale_ : ndarray of shape (n_series,)
        Mean (0 without a constant term) and standard deviation (root mean
        square without a constant term) of each training series.

    exog_center_, exog_scale_ : ndarray of shape (n_exog,)
        The same for the exogenous columns of X.

    ar_lags_ : list of list of int
        The lags used for each series.

    y_train_ : ndarray, Series or DataFrame
        The training series, as given.

    history_ : None
        None: statsmodels fits in closed form, without training curves.

    n_series_ : int
        Number of series (columns of y).

    n_features_in_ : int
        Number of exogenous columns of X.

    time_axis_ : TimeAxis
        The training time index, used to place the rows of X.

    See Also
    --------
    NaiveForecaster : Simpler baselines.
    RecursiveForecaster : RNN (or any regressor) forecasts.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.datasets import load_sunspots
    >>> from skrnn.forecasting import ARForecaster
    >>> y = load_sunspots()
    >>> f = ARForecaster(lags="aic").fit(None, y)
    >>> len(f.ar_lags_[0]) > 1
    True
    >>> f.forecast(5).shape
    (5,)
    >>> f.predict_interval(np.empty((5, 0)), coverage=0.9).columns.tolist()
    ['lower', 'upper']
    """

    _parameter_constraints: dict = {
        "lags": [
            Interval(Integral, 0, None, closed="left"),
            StrOptions({"aic", "bic", "hqic"}),
        ],
        "trend": [StrOptions({"n", "c", "t", "ct"})],
        "seasonal": ["boolean"],
        "period": [Interval(Integral, 2, None, closed="left"), None],
        "maxlag": [Interval(Integral, 1, None, closed="left"), None],
        "intervals": [StrOptions({"analytic", "conformal"})],
        "calibration_origins": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        lags="aic",
        *,
        trend="c",
        seasonal=False,
        period=None,
        maxlag=None,
        intervals="analytic",
        calibration_origins=20,
    ):
        self.lags = lags
        self.trend = trend
        self.seasonal = seasonal
        self.period = period
        self.maxlag = maxlag
        self.intervals = intervals
        self.calibration_origins = calibration_origins

    _interval_params = ("calibration_origins", "intervals")

    def _versions(self):
        versions = super()._versions()
        if hasattr(self, "results_"):  # statsmodels objects
            versions["statsmodels"] = installed_version("statsmodels")
        return versions

    def _check_params(self):
        if self.seasonal and self.period is None:
            raise ValueError(
                "seasonal=True needs the season length: set period (e.g. "
                "period=12 for monthly data)."
            )

    def _n_deterministic(self):
        return len(self.trend.replace("n", "")) + (
            self.period - 1 if self.seasonal else 0
        )

    def min_train_size(self):
        """The shortest training series these parameters can fit.

        Returns
        -------
        n_points : int
            The number of time points.
        """
        # With a criterion, at least the smallest order it may choose must fit.
        lags = (self.maxlag or 1) if isinstance(self.lags, str) else self.lags
        return 2 * lags + self._n_deterministic() + 2

    def _min_train_hint(self):
        return "Use a longer series, or fewer lags (lags / maxlag)."

    def _maxlag(self, n, n_exog):
        if self.maxlag is not None:
            return self.maxlag
        schwert = int(np.ceil(12 * (n / 100) ** 0.25))
        # Keep at least as many observations as parameters, twice over.
        room = (n - self._n_deterministic() - n_exog - 2) // 3
        return max(1, min(schwert, room))

    def _fit(self, y, exog):
        from statsmodels.tsa.ar_model import AutoReg, ar_select_order

        common = dict(
            trend=self.trend, seasonal=self.seasonal, period=self.period, exog=exog
        )
        centred = "c" in self.trend or self.seasonal
        # A panel's series start at different rows (NaN before): each is
        # fitted on its own observed part.
        starts = len(y) - (~np.isnan(y)).sum(axis=0)
        self._check_room_for_exog(len(y) - int(starts.max()), exog, y.shape[1])
        scales = [
            _standardisation(y[start:, [j]], center=centred)
            for j, start in enumerate(starts)
        ]
        self.y_center_ = np.concatenate([center for center, _ in scales])
        self.y_scale_ = np.concatenate([scale for _, scale in scales])
        y = (y - self.y_center_) / self.y_scale_
        n_exog = 0 if exog is None else exog.shape[1]
        self.exog_center_, self.exog_scale_ = (
            _standardisation(exog, center=centred)
            if n_exog
            else (np.zeros(0), np.ones(0))
        )
        scaled_exog = self._scaled_exog(exog)
        self.results_, self.ar_lags_ = [], []
        for series, start in zip(y.T, starts, strict=True):
            series = series[start:]
            common["exog"] = None if exog is None else scaled_exog[start:]
            if isinstance(self.lags, str):
                maxlag = self._maxlag(len(series), n_exog)
                selection = ar_select_order(series, maxlag, ic=self.lags, **common)
                lags = list(selection.ar_lags or [])
            else:
                lags = list(range(1, self.lags + 1))
            result = AutoReg(series, lags=lags or 0, **common).fit()
            self.results_.append(result)
            self.ar_lags_.append(lags)

    def _min_fit_size(self, n_exog):
        """``min_train_size()`` with ``n_exog`` exogenous columns: each is one
        more coefficient, and statsmodels fits no fewer observations (the
        points after the first lags) than coefficients."""
        lags = (self.maxlag or 1) if isinstance(self.lags, str) else self.lags
        needed = 2 * lags + self._n_deterministic() + n_exog
        return max(self.min_train_size(), needed)

    def _check_room_for_exog(self, shortest, exog, n_series):
        """Refuse a series too short for its exogenous columns here
        (statsmodels' error counts them as regressors of none of the kinds
        it lists)."""
        n_exog = 0 if exog is None else exog.shape[1]
        needed = self._min_fit_size(n_exog)
        if n_exog and shortest < needed:
            which = "y has" if n_series == 1 else "The shortest series of y has"
            raise ValueError(
                f"{which} {shortest} time points, but ARForecaster with these "
                f"parameters and {n_exog} exogenous columns needs at least "
                f"{needed}: each column is one more coefficient to fit. Use a "
                "longer series, fewer exogenous columns, or fewer lags."
            )

    def _scaled_exog(self, exog):
        if exog is None:
            return None
        return (exog - self.exog_center_) / self.exog_scale_

    def _prediction(self, result, steps, exog):
        n_train = result.model.endog.shape[0]
        return result.get_prediction(
            start=n_train,
            end=n_train + steps - 1,
            exog_oos=self._scaled_exog(exog),
        )

    def _forecast(self, steps, exog):
        z = np.column_stack(
            [self._prediction(r, steps, exog).predicted_mean for r in self.results_]
        )
        return z * self.y_scale_ + self.y_center_

    def predict_interval(self, X, coverage=0.9):
        """Prediction intervals for the rows of X.

        With ``intervals="analytic"`` they come from statsmodels' analytic
        forecast standard errors; with ``"conformal"``, from split conformal
        prediction on the model's backtest errors (see
        :meth:`NaiveForecaster.predict_interval`).

        Parameters
        ----------
        X : array-like of shape (n_rows, n_exog)
            Rows to forecast, as in :meth:`predict`.
        coverage : float, default=0.9
            Nominal probability that the interval holds the true value.

        Returns
        -------
        intervals : DataFrame
            Columns "lower" and "upper" (for several series, a column
            MultiIndex (series, "lower"/"upper")), one row per row of X, with
            X's time index when y was pandas.
        """
        self._validate_params()  # intervals may be set after fit
        if self.intervals == "conformal":
            return super().predict_interval(X, coverage=coverage)
        coverage = check_coverage(coverage)
        positions, index, exog = self._prepare_predict(X)
        steps = self._series_steps(positions)  # as in predict
        horizon = int(steps.max())
        bounds = np.stack(
            [
                np.asarray(
                    self._prediction(result, horizon, exog).conf_int(alpha=1 - coverage)
                )[steps[:, j] - 1]
                for j, result in enumerate(self.results_)
            ],
            axis=1,
        )  # (n_rows, n_series, 2), standardised
        bounds = bounds * self.y_scale_[:, None] + self.y_center_[:, None]
        return interval_frame(self, bounds[..., 0], bounds[..., 1], index)
