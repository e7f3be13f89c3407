"""WindowLayout: where the target and the exogenous values sit in a window.

One definition of the window layout serves every place that builds or reads
windows for a recursive forecast: the training windows, the step-by-step
recursion of any regressor, the compiled recursion of skrnn's RNNs, and the
state a fitted forecaster keeps of its last window.
"""

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["WindowLayout"]


def _check_int(name, value, low, high=None):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"`{name}` must be an int. Got {value!r} instead.")
    if value < low or (high is not None and value > high):
        bounds = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"`{name}` must be {bounds}. Got {value!r} instead.")


@dataclass(frozen=True)
class WindowLayout:
    """The layout of the windows a recursive forecaster feeds its model.

    A window is ``window`` consecutive time steps, oldest first; each step is
    a feature vector of length ``n_features = 1 + n_exog`` that holds the
    target value of its time point at position ``target_position`` and the
    ``n_exog`` exogenous values of the time point ``exog_shift`` later at
    the other positions, in their column order. The model predicts the
    target of the time point after the window.

    The layout is frozen and hashable, so one object can be shared and used
    as a key.

    Parameters
    ----------
    window : int
        Number of time steps in a window (>= 1).

    n_exog : int, default=0
        Number of exogenous columns.

    target_position : int, default=0
        Position of the target among the ``n_features`` features of a step.

    exog_shift : {0, 1}, default=1
        Which time point's exogenous values a step carries: 1 (the next
        one), so that the last step of a window carries the regressors of
        the time being forecast; 0 (its own), so that a window holds past
        regressors only. A larger shift would put values later than the
        forecast time into the window.

    Attributes
    ----------
    n_features : int
        Features per time step, ``1 + n_exog``.

    n_known_rows : int
        Exogenous rows of the last window that are known at the end of the
        training data, ``window - exog_shift``; a forecast of ``steps`` time
        points needs ``n_known_rows + steps`` rows (see :meth:`forecast_rows`).

    See Also
    --------
    skrnn.RecursiveForecaster : The forecaster that trains and forecasts on
        windows of this layout.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.preprocessing import WindowLayout
    >>> layout = WindowLayout(window=3, n_exog=1)
    >>> z = np.arange(6.0)[:, None]              # one series
    >>> exog = 10 + np.arange(6.0)[:, None]      # one regressor
    >>> X, y = layout.training_windows(z, exog)
    >>> X.shape, y.tolist()
    ((3, 3, 2), [3.0, 4.0, 5.0])
    >>> X[0].tolist()  # targets of times 0-2 with the regressors of times 1-3
    [[0.0, 11.0], [1.0, 12.0], [2.0, 13.0]]
    """

    window: int
    n_exog: int = 0
    target_position: int = 0
    exog_shift: int = 1

    def __post_init__(self):
        _check_int("window", self.window, 1)
        _check_int("n_exog", self.n_exog, 0)
        _check_int("target_position", self.target_position, 0, self.n_exog)
        _check_int("exog_shift", self.exog_shift, 0, 1)

    @property
    def n_features(self):
        return 1 + self.n_exog

    @property
    def n_known_rows(self):
        return self.window - self.exog_shift

    def assemble(self, targets, exog_rows):
        """Put target values and exogenous rows together into windows.

        Parameters
        ----------
        targets : ndarray of shape (..., window)
            Target values of the steps of each window.
        exog_rows : ndarray of shape (window, n_exog) or (..., window, n_exog)
            Their exogenous values; a 2-D array is shared by all windows.

        Returns
        -------
        windows : ndarray of shape (..., window, n_features)
            The windows, the target in column ``target_position``.
        """
        targets = np.asarray(targets)
        exog_rows = np.broadcast_to(
            exog_rows, (*targets.shape, np.shape(exog_rows)[-1])
        )
        p = self.target_position
        return np.concatenate(
            [exog_rows[..., :p], targets[..., np.newaxis], exog_rows[..., p:]],
            axis=-1,
        )

    def training_windows(self, z, exog=None):
        """The supervised windows of every series, ordered by time.

        Parameters
        ----------
        z : ndarray of shape (n_timesteps, n_series)
            The (transformed) target series.
        exog : ndarray of shape (n_timesteps, n_exog), default=None
            Exogenous rows shared by all series; None when ``n_exog`` is 0.

        Returns
        -------
        X : ndarray of shape (n_windows * n_series, window, n_features)
            The window of each target, time-major: the windows of all series
            for one time point come before those of the next, so that a
            validation split at the end holds the latest windows of all.
        y : ndarray of shape (n_windows * n_series,)
            The target after each window, ``n_windows = n_timesteps - window``.
        """
        z = np.asarray(z)
        n, n_series = z.shape
        exog = self._exog(exog, n)
        w, k = self.window, self.exog_shift
        n_windows = n - w
        past = sliding_window_view(z, w, axis=0)[:n_windows]  # (n_w, series, w)
        rows = sliding_window_view(exog, w, axis=0)[k : k + n_windows]
        rows = rows.transpose(0, 2, 1)[:, np.newaxis]  # (n_w, 1, w, n_exog)
        X = self.assemble(past, rows)
        return X.reshape(n_windows * n_series, w, -1), z[w:].reshape(-1)

    def last_state(self, z, exog=None):
        """What a forecast from the end of ``z`` starts from.

        Parameters
        ----------
        z : ndarray of shape (n_timesteps, n_series)
            The (transformed) target series up to the training end.
        exog : ndarray of shape (n_timesteps, n_exog), default=None
            Its exogenous rows.

        Returns
        -------
        targets : ndarray of shape (n_series, window)
            The last ``window`` target values of each series.
        known_rows : ndarray of shape (n_known_rows, n_exog)
            The exogenous rows of the last window known at the training end.
        """
        z = np.asarray(z)
        exog = self._exog(exog, len(z))
        start = len(z) - self.window
        return z[start:].T.copy(), exog[start + self.exog_shift :].copy()

    def forecast_rows(self, known_rows, future_exog=None, *, steps):
        """The exogenous rows a forecast of ``steps`` time points reads.

        Row ``step + j`` is the exogenous part of step ``j`` of the window
        that forecasts time point ``step`` (0 the first after the training
        end), so each window reads ``rows[step : step + window]``.

        Parameters
        ----------
        known_rows : ndarray of shape (n_known_rows, n_exog)
            From :meth:`last_state`.
        future_exog : ndarray of shape (steps, n_exog), default=None
            Exogenous values of the forecast time points.
        steps : int
            Number of time points to forecast.

        Returns
        -------
        rows : ndarray of shape (n_known_rows + steps, n_exog)
            The exogenous rows, in time order.
        """
        future = self._exog(future_exog, steps)
        return np.concatenate([known_rows, future.astype(known_rows.dtype)])

    def _exog(self, exog, n_rows):
        if exog is None:
            exog = np.empty((n_rows, 0))
        exog = np.asarray(exog)
        if exog.shape != (n_rows, self.n_exog):
            raise ValueError(
                f"The exogenous rows must have shape ({n_rows}, {self.n_exog}) "
                f"for this layout. Got shape {exog.shape} instead."
            )
        return exog
