"""Differencer: order-d and seasonal differencing of time tables, with inverses."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted

from .._pickling import SavedVersionMixin
from .._state import restore_on_error
from ._table import _refuse_non_numeric, _refuse_unordered_time, check_time_table

__all__ = ["Differencer"]


def _difference(values, lags):
    """Apply the differences of ``lags`` in turn; return every stage.

    Stage 0 is ``values``; stage ``j + 1`` is ``stage_j[lag:] - stage_j[:-lag]``
    with ``lag = lags[j]``, so each stage is ``lag`` rows shorter and aligned
    with the end of ``values``.
    """
    stages = [values]
    for lag in lags:
        stages.append(stages[-1][lag:] - stages[-1][:-lag])
    return stages


def _integrate(diffs, start, lag):
    """Undo one difference of lag ``lag``.

    Returns the ``len(diffs)`` values that follow the ``lag`` rows ``start``,
    given their differences ``diffs`` (value - value ``lag`` rows earlier). Row
    ``i`` is ``start[i % lag]`` plus the sum of ``diffs[i], diffs[i - lag],
    ...``: a cumulative sum over blocks of ``lag`` rows.
    """
    n_rows, n_features = diffs.shape
    n_blocks = -(-n_rows // lag)
    blocks = np.zeros((n_blocks * lag, n_features))
    blocks[:n_rows] = diffs
    blocks = blocks.reshape(n_blocks, lag, n_features)
    levels = start[np.newaxis] + np.cumsum(blocks, axis=0)
    return levels.reshape(-1, n_features)[:n_rows]


class Differencer(
    OneToOneFeatureMixin, TransformerMixin, SavedVersionMixin, BaseEstimator
):
    """Difference a time table: seasonal and order-d differences, invertible.

    Applies one seasonal difference of lag ``seasonal_period`` (when set) and
    ``order`` regular differences (lag 1) to every column of a time table
    (n_timesteps, n_features). Rows are kept: the first rows, which have no
    predecessor to subtract, become NaN in all columns, so windows built
    downstream see them as padding. The inverses use the first and last
    values of each intermediate stage, stored by ``fit``.

    Parameters
    ----------
    order : int, default=1
        Number of regular differences (lag 1). 0 is allowed only together
        with ``seasonal_period``.

    seasonal_period : int, default=None
        Lag of one seasonal difference (>= 2), e.g. 12 for monthly data with
        a yearly season. None for no seasonal difference.

    Attributes
    ----------
    lags_ : tuple of int
        The lag of each difference, in the order applied: the seasonal lag
        first (if any), then ``order`` ones.

    heads_ : list of ndarray
        ``heads_[j]`` holds the first ``lags_[j]`` rows of the data before the
        ``j``-th difference (stage ``j``; stage 0 is the fitted data without
        its leading padding). Used by ``inverse_transform``.

    tails_ : list of ndarray
        ``tails_[j]`` holds the last ``lags_[j]`` rows of stage ``j``. Used by
        ``inverse_transform_forecast``.

    n_timesteps_fit_ : int
        Number of rows of the data seen in ``fit``.

    n_leading_padding_ : int
        Number of leading all-NaN rows (padding) of the data seen in ``fit``.

    n_features_in_ : int
        Number of columns seen in ``fit``.

    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when X was a DataFrame.

    See Also
    --------
    SlidingWindow : Windows of a time table, with the NaN rows as padding.
    skrnn.RecursiveForecaster : Differences the target, forecasts
        the differences and integrates them back.

    Notes
    -----
    The output has ``n_leading_padding_ + sum(lags_)`` leading NaN rows. Input
    may start with all-NaN rows (e.g. the output of another Differencer); NaN
    anywhere else is refused. ``transform`` differences whatever table it is
    given; the inverses refer to the data seen in ``fit``:
    ``inverse_transform`` rebuilds that data from its differences and
    ``inverse_transform_forecast`` turns differences of the rows that follow
    it (a forecast) into levels.

    With ``set_output(transform="pandas")``, ``transform`` returns a DataFrame
    with the input's index and columns. The inverses return pandas objects for
    pandas input whatever ``set_output`` says.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.preprocessing import Differencer
    >>> X = np.array([[1.0], [4.0], [9.0], [16.0], [25.0]])
    >>> diff = Differencer(order=1)
    >>> diff.fit_transform(X).ravel()
    array([nan,  3.,  5.,  7.,  9.])
    >>> diff.inverse_transform(diff.transform(X)).ravel()
    array([ 1.,  4.,  9., 16., 25.])
    >>> diff.inverse_transform_forecast(np.array([11.0, 13.0]))
    array([36., 49.])
    """

    _parameter_constraints: dict = {
        "order": [Interval(Integral, 0, None, closed="left")],
        "seasonal_period": [Interval(Integral, 2, None, closed="left"), None],
    }

    def __init__(self, order=1, *, seasonal_period=None):
        self.order = order
        self.seasonal_period = seasonal_period

    def _check_table(self, X, *, reset):
        """Validate a time table; return it as float and its leading padding."""
        X, n_padding = check_time_table(self, X, reset=reset)
        n_data = len(X) - n_padding
        total_lag = sum(self.lags_)
        if n_data <= total_lag:
            raise ValueError(
                f"X is too short to difference: {self._describe()} needs at "
                f"least {total_lag + 1} rows with data (the total lag "
                f"{total_lag} + 1). Got {n_data} row(s) with data "
                f"(n_samples={n_data}"
                + (f", after {n_padding} padding rows" if n_padding else "")
                + ") instead. Use a longer table, or a smaller order or "
                "seasonal_period."
            )
        return X, n_padding

    def _describe(self):
        if self.seasonal_period is None:
            return f"order={self.order}"
        return f"order={self.order} with seasonal_period={self.seasonal_period}"

    def fit(self, X, y=None):
        """Store the values needed to invert the differencing of X.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time table, one row per time point. Leading all-NaN rows are
            padding.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        with restore_on_error(self):
            self._validate_params()
            if self.order == 0 and self.seasonal_period is None:
                raise ValueError(
                    "`order` must be at least 1 when `seasonal_period` is None, "
                    "otherwise there is nothing to difference. Got order=0 "
                    "instead; set order >= 1 or a seasonal_period."
                )
            lags = () if self.seasonal_period is None else (self.seasonal_period,)
            self.lags_ = lags + (1,) * self.order
            # The columns the inverses compare Xt's with, of any kind
            # (feature_names_in_ holds string names only).
            self._columns_at_fit = (
                list(X.columns) if isinstance(X, pd.DataFrame) else None
            )
            X, n_padding = self._check_table(X, reset=True)
            # Stage j is the data before the j-th difference; the last stage
            # (the final differences) is not needed to invert.
            stages = _difference(X[n_padding:], self.lags_)[:-1]
            pairs = list(zip(stages, self.lags_, strict=True))
            self.heads_ = [stage[:lag].copy() for stage, lag in pairs]
            self.tails_ = [stage[-lag:].copy() for stage, lag in pairs]
            self.n_timesteps_fit_ = len(X)
            self.n_leading_padding_ = n_padding
        return self

    def transform(self, X):
        """Difference X, keeping its rows.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            Time table, one row per time point. Leading all-NaN rows are
            padding.

        Returns
        -------
        Xt : ndarray of shape (n_timesteps, n_features)
            The differences; the first ``n_padding + sum(lags_)`` rows are NaN
            (padding), where ``n_padding`` is the number of leading all-NaN
            rows of X.
        """
        check_is_fitted(self)
        X, n_padding = self._check_table(X, reset=False)
        Xt = np.full(X.shape, np.nan)
        Xt[n_padding + sum(self.lags_) :] = _difference(X[n_padding:], self.lags_)[-1]
        return Xt

    def _as_values(self, Xt, method):
        """Validate Xt of an inverse; return a float 2-D array and a re-wrapper."""
        check_is_fitted(self)
        if isinstance(Xt, pd.DataFrame):
            self._check_columns(list(Xt.columns), method)
        _refuse_non_numeric(Xt, "Xt")
        # As transform: rows are integrated by position.
        _refuse_unordered_time(type(self).__name__, Xt, "Xt")
        values = check_array(
            Xt,
            dtype=np.float64,
            ensure_2d=False,
            ensure_all_finite=False,
            ensure_min_samples=0,
            input_name="Xt",
        )
        n_features = self.n_features_in_
        one_d = values.ndim == 1
        if one_d:
            if n_features != 1:
                raise ValueError(
                    f"Xt is 1-D, which is one column, but {type(self).__name__} "
                    f"was fitted on {n_features} columns. Got shape "
                    f"{values.shape} instead; pass an array of shape (n_rows, "
                    f"{n_features}) to {method}."
                )
            values = values[:, np.newaxis]
        elif values.shape[1] != n_features:
            raise ValueError(
                f"Xt has {values.shape[1]} columns, but {type(self).__name__} "
                f"was fitted on {n_features} columns. Got shape {values.shape} "
                "instead."
            )

        def wrap(result):
            if isinstance(Xt, pd.DataFrame):
                return pd.DataFrame(result, index=Xt.index, columns=Xt.columns)
            if isinstance(Xt, pd.Series):
                return pd.Series(result[:, 0], index=Xt.index, name=Xt.name)
            return result[:, 0] if one_d else result

        return values, wrap

    def _check_columns(self, columns, method):
        """Refuse Xt columns in another order than those of fit (or of
        ``transform``'s pandas output): integrated by position, the values
        would land under other names."""
        fitted = getattr(self, "_columns_at_fit", None)
        out = list(self.get_feature_names_out())
        if fitted is None:  # fitted on an array: only its output names are known
            if set(columns) != set(out) or columns == out:
                return
            names = out
        elif columns in (fitted, out):
            return
        else:  # in the naming Xt uses
            names = out if set(columns) == set(out) else fitted
        raise ValueError(
            f"Xt has the columns {columns}, but {type(self).__name__} was "
            f"fitted on {names}, in this order. Pass Xt with these columns in "
            f"this order (e.g. Xt[{names}]) to {method}."
        )

    @staticmethod
    def _check_finite(values, first_row):
        bad = ~np.isfinite(values)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            kind = "NaN" if np.isnan(values[row, col]) else "infinity"
            raise ValueError(
                f"Input Xt contains {kind} (first at row {first_row + row}, "
                f"column {col}). Differences to integrate must be finite."
            )

    def inverse_transform(self, Xt):
        """Rebuild the data seen in ``fit`` from its differences.

        Parameters
        ----------
        Xt : array-like of shape (n_timesteps, n_features)
            Differences aligned with the rows of the data seen in ``fit``
            (``n_timesteps`` must be ``n_timesteps_fit_``),
            such as ``transform`` of that data; its first
            ``n_leading_padding_ + sum(lags_)`` rows are ignored (they may be
            NaN). A 1-D array or Series is accepted for one column.

        Returns
        -------
        X : ndarray or pandas object of the same shape as Xt
            The levels: the data seen in ``fit`` when Xt is its transform (up
            to floating-point rounding). Leading padding rows of the fitted
            data are NaN. A DataFrame or Series keeps its index and columns.
        """
        values, wrap = self._as_values(Xt, "inverse_transform")
        if len(values) != self.n_timesteps_fit_:
            raise ValueError(
                "Xt must have as many rows as the data seen in fit "
                f"({self.n_timesteps_fit_}): inverse_transform rebuilds that "
                f"data. Got {len(values)} rows instead. To turn differences of "
                "the rows that follow the fitted data (a forecast) into levels, "
                "use inverse_transform_forecast."
            )
        first = self.n_leading_padding_ + sum(self.lags_)
        levels = values[first:]
        self._check_finite(levels, first)
        pairs = zip(self.heads_[::-1], self.lags_[::-1], strict=True)
        for head, lag in pairs:
            levels = np.concatenate([head, _integrate(levels, head, lag)])
        X = np.full(values.shape, np.nan)
        X[self.n_leading_padding_ :] = levels
        return wrap(X)

    def inverse_transform_forecast(self, Xt):
        """Turn differences of the rows after the fitted data into levels.

        Parameters
        ----------
        Xt : array-like of shape (n_steps, n_features) or (n_steps,)
            Differences of the ``n_steps`` rows that follow the end of the
            data seen in ``fit``, in the same units as ``transform``'s output
            (e.g. a model's forecast of the next differences). 1-D for one
            column.

        Returns
        -------
        X : ndarray or pandas object of the same shape as Xt
            The levels of those rows, integrated from the last values of the
            fitted data. A DataFrame or Series keeps its index and columns.
        """
        values, wrap = self._as_values(Xt, "inverse_transform_forecast")
        self._check_finite(values, 0)
        levels = values
        pairs = zip(self.tails_[::-1], self.lags_[::-1], strict=True)
        for tail, lag in pairs:
            levels = _integrate(levels, tail, lag)
        return wrap(levels)
