"""SlidingWindow: a time table to one window of past rows per row."""

import hashlib
import warnings
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
)

from .._pickling import SavedVersionMixin
from .._state import restore_on_error
from .._warnings import user_stacklevel
from ._output import ThreeDOutputMixin
from ._table import check_time_table

__all__ = ["SlidingWindow"]


# Rows of the fitted table kept to recognise a shorter table that starts
# where it started (at least the window's history).
_HEAD_ROWS = 16


def _digest(X):
    """A digest of a float table, to recognise the table seen in fit."""
    return X.shape, hashlib.blake2b(np.ascontiguousarray(X).tobytes()).hexdigest()


class SlidingWindow(
    ThreeDOutputMixin,
    TransformerMixin,
    SavedVersionMixin,
    BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Turn a time table into one window of recent rows per row.

    Row ``t`` of a time table (n_timesteps, n_features) becomes the window of
    rows ``t - window + 1`` to ``t`` (or ``t - window`` to ``t - 1`` with
    ``include_current=False``), so the output is 3-D (n_timesteps, window,
    n_features) with as many rows as the input: the transformer can feed a
    sequence model inside a Pipeline. Windows that reach before the first row
    are pre-padded with NaN, which skrnn's networks mask.

    Parameters
    ----------
    window : int
        Number of rows in each window (>= 1). A hyper-parameter like any
        other: ``GridSearchCV`` can tune it (``slidingwindow__window``).

    include_current : bool, default=True
        Whether the window of row ``t`` ends at row ``t`` itself. Set it to
        False to predict a row's target from the rows before it only, e.g.
        one-step-ahead forecasting with the series itself as the target.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in ``fit``.

    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when X was a DataFrame.

    See Also
    --------
    make_windows : Windows and their future targets as a data set, dropping
        the incomplete windows (outside Pipelines).
    Differencer : Differences a time table; its leading NaN rows pass through
        as padding.
    SequenceScaler : Scales the windows per feature.

    Notes
    -----
    The transformer has no state beyond the input checks. Leading all-NaN
    rows of the input (e.g. from a Differencer) are padding; NaN elsewhere is
    refused.

    A window holds the rows *before* a row only if they are in the table
    given to ``transform``. Transforming a table that starts later than the
    one seen in ``fit`` (a test block of ``cross_validate`` or
    ``GridSearchCV``, the last rows of a series) pads the first rows'
    windows instead of filling them with the rows that preceded them, so
    their predictions differ from those of the same rows transformed with
    their history: ``pipe.predict(table[-20:])`` is not
    ``pipe.predict(table)[-20:]``. ``transform`` warns (UserWarning) when
    that happens (not for a table that starts with the fitted rows). To
    forecast, and to score forecasts by cross-validation, use
    :class:`~skrnn.RecursiveForecaster`, which keeps the training history;
    to predict a part of a table with a Pipeline, transform the whole table
    and slice the predictions.

    The output is a 3-D NumPy array whatever the ``set_output``
    configuration, because pandas has no 3-D container; ``set_output`` is
    still accepted, so that ``Pipeline(...).set_output(transform="pandas")``
    works on a pipeline that contains the transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.preprocessing import SlidingWindow
    >>> X = np.arange(5.0).reshape(-1, 1)
    >>> windows = SlidingWindow(window=3).fit_transform(X)
    >>> windows.shape
    (5, 3, 1)
    >>> windows[:, :, 0]
    array([[nan, nan,  0.],
           [nan,  0.,  1.],
           [ 0.,  1.,  2.],
           [ 1.,  2.,  3.],
           [ 2.,  3.,  4.]])
    >>> SlidingWindow(window=2, include_current=False).fit_transform(X)[:, :, 0]
    array([[nan, nan],
           [nan,  0.],
           [ 0.,  1.],
           [ 1.,  2.],
           [ 2.,  3.]])
    """

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "include_current": ["boolean"],
    }

    def __init__(self, window, *, include_current=True):
        self.window = window
        self.include_current = include_current

    def _check_table(self, X, *, reset):
        return check_time_table(self, X, reset=reset, allow_all_padding=True)[0]

    def fit(self, X, y=None):
        """Check the parameters and record the columns of X.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time table, one row per time point.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        with restore_on_error(self):
            self._validate_params()
            X = self._check_table(X, reset=True)
            self._fit_digest = _digest(X)
            self._fit_head = X[: max(_HEAD_ROWS, self.window + 1)].copy()
        return self

    def _warn_if_history_is_lost(self, X):
        """Warn of a table that starts later than the fitted one: the
        windows of its first rows miss the rows before it. One that starts
        where it started (the fitted table, longer or shorter) misses none."""
        n_before = self.window - 1 if self.include_current else self.window
        head = getattr(self, "_fit_head", None)
        if n_before == 0 or head is None:
            return
        n_fit = self._fit_digest[0][0]
        if len(X) >= n_fit:  # the fitted table, and perhaps rows after it
            if _digest(X[:n_fit]) == self._fit_digest:
                return
        # A shorter table is recognised by its first rows only: a later block
        # of a periodic table (calendar dummies alone) repeating them passes.
        elif np.array_equal(X[: len(head)], head[: len(X)], equal_nan=True):
            return
        warnings.warn(
            "SlidingWindow.transform got a table that does not start where the "
            f"one it was fitted on started: the windows of its first "
            f"{min(n_before, len(X))} "
            "row(s) reach before its start and are padded, instead of holding "
            "the rows that preceded them, so their predictions differ from "
            "those of the same rows transformed with their history "
            "(pipe.predict(table[-20:]) is not pipe.predict(table)[-20:]). "
            "Scoring a Pipeline with cross_validate or GridSearchCV does this "
            "to every test block. To forecast and score forecasts, use "
            "skrnn.RecursiveForecaster, which keeps the training history; to "
            "predict part of a table, transform the whole table and slice the "
            "predictions. Silence with warnings.filterwarnings('ignore', "
            "message='SlidingWindow.transform got').",
            UserWarning,
            stacklevel=user_stacklevel(),
        )

    def transform(self, X):
        """Cut one window per row of X.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time table, one row per time point. Leading all-NaN rows are
            padding.

        Returns
        -------
        Xt : ndarray of shape (n_timesteps, window, n_features)
            ``Xt[t]`` is the window of row ``t``, oldest row first; rows
            before the start of X are NaN (padding).
        """
        check_is_fitted(self)
        X = self._check_table(X, reset=False)
        self._warn_if_history_is_lost(X)
        n_timesteps, n_features = X.shape
        n_before = self.window - 1 if self.include_current else self.window
        n_used = n_timesteps if self.include_current else n_timesteps - 1
        padded = np.concatenate([np.full((n_before, n_features), np.nan), X[:n_used]])
        # sliding_window_view puts the window axis last: (n, n_features, window).
        windows = sliding_window_view(padded, self.window, axis=0)
        return windows.transpose(0, 2, 1).copy()

    def get_feature_names_out(self, input_features=None):
        """Get the names of the features along the last axis of the output.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Column names of X; by default ``feature_names_in_`` if known,
            else ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str
            One name per feature of each time step of a window.
        """
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)
