"""NaiveForecaster: the baselines every forecast should beat."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseForecaster
from ._intervals import ConformalIntervalsMixin


class NaiveForecaster(ConformalIntervalsMixin, BaseForecaster):
    """Naive forecasts: last value, seasonal last value, mean, or drift.

    Follows the forecaster contract: ``fit(X, y)`` on the series ``y`` (X gives
    the time index; exogenous columns are accepted and not used), and
    ``predict(X)`` for the rows of X after the training data.

    Parameters
    ----------
    strategy : {"last", "seasonal_last", "mean", "drift"}, default="last"
        - "last": every forecast is the last observed value (random walk).
        - "seasonal_last": the value one season earlier, ``y[t - period]``.
        - "mean": the mean of the training series.
        - "drift": the last value plus the average change per step, i.e. the
          line through the first and last observations, extended.

    period : int, default=None
        Season length, required by "seasonal_last" (e.g. 12 for monthly data).

    calibration_origins : int, default=20
        Number of rolling origins whose forecast errors calibrate the
        conformal intervals of :meth:`predict_interval` (``h`` steps take
        ``calibration_origins + h - 1`` refits, on the first call, cached;
        ``fit`` and ``predict`` do not use it). The largest coverage it
        allows is ``calibration_origins / (calibration_origins + 1)``: 0.952
        with 20.

    Attributes
    ----------
    y_train_ : ndarray, Series or DataFrame
        The training series, as given.

    history_ : None
        None: nothing is trained by epochs.

    n_series_ : int
        Number of series (columns of y).

    n_features_in_ : int
        Number of exogenous columns of X seen in fit (not used).

    time_axis_ : TimeAxis
        The training time index, used to place the rows of X.

    See Also
    --------
    ARForecaster : Autoregressive baseline (statsmodels AutoReg).
    RecursiveForecaster : RNN (or any regressor) forecasts.

    Examples
    --------
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.forecasting import NaiveForecaster
    >>> y = load_airline()
    >>> f = NaiveForecaster("seasonal_last", period=12).fit(None, y)
    >>> f.forecast(3).index.astype(str).tolist()
    ['1961-01', '1961-02', '1961-03']
    >>> f.forecast(3).tolist() == y.iloc[-12:-9].tolist()
    True
    >>> import numpy as np
    >>> f.predict_interval(np.empty((3, 0)), coverage=0.9).columns.tolist()
    ['lower', 'upper']
    """

    _parameter_constraints: dict = {
        "strategy": [StrOptions({"last", "seasonal_last", "mean", "drift"})],
        "period": [Interval(Integral, 1, None, closed="left"), None],
        "calibration_origins": [Interval(Integral, 1, None, closed="left")],
    }
    _uses_exog = False  # accepted, not read: rows after a gap are fine

    def __init__(self, strategy="last", *, period=None, calibration_origins=20):
        self.strategy = strategy
        self.period = period
        self.calibration_origins = calibration_origins

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # A baseline that ignores X scores poorly by design (as DummyRegressor).
        tags.regressor_tags.poor_score = True
        return tags

    def _check_params(self):
        if self.strategy == "seasonal_last" and self.period is None:
            raise ValueError(
                'strategy="seasonal_last" needs the season length: set period '
                "(e.g. period=12 for monthly data)."
            )

    def min_train_size(self):
        """The shortest training series these parameters can fit.

        Returns
        -------
        n_points : int
            The number of time points.
        """
        if self.strategy == "seasonal_last":
            return self.period
        return 2 if self.strategy == "drift" else 1

    def _min_train_hint(self):
        return "Use a longer series or another strategy."

    def _fit(self, y, exog):
        if self.strategy == "seasonal_last":
            self._state = y[-self.period :]
        elif self.strategy == "mean":
            self._state = np.nanmean(y, axis=0)
        elif self.strategy == "drift":
            # A panel's series start at different rows (NaN before).
            lengths = (~np.isnan(y)).sum(axis=0)
            first = y[len(y) - lengths, np.arange(y.shape[1])]
            self._state = (y[-1], (y[-1] - first) / (lengths - 1))
        else:
            self._state = y[-1]

    def _forecast(self, steps, exog):
        h = np.arange(1, steps + 1)
        if self.strategy == "seasonal_last":
            return self._state[(h - 1) % self.period]
        if self.strategy == "drift":
            last, slope = self._state
            return last + h[:, None] * slope
        return np.tile(self._state, (steps, 1))
