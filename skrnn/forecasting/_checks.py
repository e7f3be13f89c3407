"""Checks of series and time indexes, in one place with one set of messages.

Every layer that takes a series (the forecasters, ``compare``, the command
line) calls these, so that the same problem gets the same message and the
same suggested fix everywhere:

* :func:`check_series` - the values of a target series (numbers, no NaN or
  infinity, a magnitude float64 arithmetic can handle);
* :func:`check_exog` - the same for exogenous regressors;
* :func:`check_time_index` - its time index (sorted, unique, evenly spaced),
  returned as a :class:`~skrnn.forecasting._time.TimeAxis`.
"""

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array

from ..preprocessing._table import _refuse_non_numeric
from ._time import TimeAxis

__all__ = ["MAX_MAGNITUDE", "check_exog", "check_series", "check_time_index"]

#: Largest magnitude accepted in a series. Beyond it the squares that
#: variances and least squares compute overflow float64 (1.8e308).
MAX_MAGNITUDE = 1e150


def _fill_advice(name):
    """How to fill the missing values of ``name`` ("y" or "X")."""
    return (
        f"fill them, e.g. {name} = skrnn.forecasting.fill_gaps({name}) (linear "
        f"interpolation) or fill_gaps({name}, 'ffill') (last value carried "
        f"forward). Dropping them ({name}.dropna()) leaves gaps in the time "
        "index, which fill_gaps also fills"
    )


def _label(obj, position):
    """The index label of row ``position`` of ``obj``, else the position."""
    index = getattr(obj, "index", None)
    if isinstance(index, pd.Index) and position < len(index):
        label = index[position]
        return repr(label) if isinstance(label, str) else str(label)
    return f"row {position}"


def _check_values(values, original, input_name, *, regressors=False):
    """Refuse NaN, infinity and magnitudes beyond MAX_MAGNITUDE."""
    missing = np.isnan(values)
    if missing.any():
        rows = np.flatnonzero(missing.reshape(len(values), -1).any(axis=1))
        edges = ""
        if regressors:
            # fill_gaps fills inside a column only, never before or after it.
            edges = (
                ". Where a regressor has no value yet or any more (before its "
                "first or after its last), cut X and y to the rows where "
                "every regressor is observed"
            )
        raise ValueError(
            f"Input {input_name} contains NaN: {len(rows)} time point(s) with "
            f"missing values, the first at {_label(original, rows[0])}. "
            "Forecasters need one value per time point: "
            f"{_fill_advice('X' if regressors else 'y')}{edges}."
        )
    infinite = np.isinf(values)
    if infinite.any():
        row = np.flatnonzero(infinite.reshape(len(values), -1).any(axis=1))[0]
        raise ValueError(
            f"Input {input_name} contains infinity (first at "
            f"{_label(original, row)}). Replace infinite values (e.g. by NaN, "
            "then fill them with skrnn.forecasting.fill_gaps)."
        )
    if values.size:
        largest = float(np.abs(values).max())
        if largest > MAX_MAGNITUDE:
            raise ValueError(
                f"Input {input_name} has values as large as {largest:.3g}; "
                f"skrnn's forecasters need magnitudes below {MAX_MAGNITUDE:g}, "
                "because beyond that the squares that variances and least "
                "squares compute overflow float64. Change the unit: divide "
                f"{input_name} by a power of ten (e.g. {input_name} / "
                f"1e{int(np.floor(np.log10(largest)))}) and multiply the "
                "forecasts back."
            )


def check_series(y, *, input_name="y"):
    """The values of a target series as a float64 array, or a clear error.

    Parameters
    ----------
    y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        A Series, DataFrame, NumPy array or list.
    input_name : str, default="y"
        Name of the input in error messages.

    Returns
    -------
    values : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
        The values as float64.

    Raises
    ------
    ValueError
        For dates or text instead of numbers, NaN (the message names
        :func:`~skrnn.forecasting.fill_gaps`), infinity, magnitudes beyond
        ``MAX_MAGNITUDE``, no time point, or more than two dimensions.
    """
    _refuse_non_numeric(y, input_name)
    if isinstance(y, pd.Series | pd.DataFrame):
        if len(y) == 0:
            raise ValueError(
                f"Found array with 0 sample(s) (shape={y.shape}) while a minimum "
                f"of 1 is required: {input_name} must hold at least one time "
                "point."
            )
        values = y.astype(np.float64).to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = check_array(
            y,
            ensure_2d=False,
            allow_nd=True,
            dtype=np.float64,
            ensure_all_finite=False,
            ensure_min_samples=1,
            input_name=input_name,
        )
    if values.ndim > 2:
        raise ValueError(
            f"{input_name} must be 1-D (one series) or 2-D (n_timesteps, "
            f"n_series). Got an array with dim {values.ndim} instead."
        )
    _check_values(values, y, input_name)
    return values


def check_exog(X, *, input_name="X"):
    """Exogenous regressors as a float64 2-D array (possibly 0 columns).

    The same checks and messages as :func:`check_series`; a DataFrame with
    no columns (``pd.DataFrame(index=y.index)``) is the normal no-regressors
    case.
    """
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if isinstance(X, pd.DataFrame) and X.shape[1] == 0:
        return np.empty((len(X), 0))
    _refuse_non_numeric(X, input_name)
    values = check_array(
        X,
        dtype=np.float64,
        ensure_min_features=0,
        ensure_min_samples=0,
        ensure_all_finite=False,
        input_name=input_name,
    )
    _check_values(values, X, input_name, regressors=True)
    return values


def check_time_index(index, *, require_freq=False):
    """The time index of a series, checked, as a ``TimeAxis``.

    Parameters
    ----------
    index : pandas.Index or None
        DatetimeIndex, PeriodIndex or integer index; None for plain arrays.
    require_freq : bool, default=False
        Also refuse a DatetimeIndex without a regular frequency (for callers
        that must place forecasts in time, such as ``compare``).

    Returns
    -------
    axis : TimeAxis

    Raises
    ------
    TypeError, ValueError
        For another kind of index, duplicated or unsorted time points, an
        unevenly spaced integer index or (with ``require_freq``) an
        irregular DatetimeIndex; the messages name
        :func:`~skrnn.forecasting.fill_gaps` where it is the fix.
    """
    axis = TimeAxis(index)
    if require_freq and isinstance(index, pd.DatetimeIndex) and axis.freq is None:
        raise ValueError(axis.irregular_message())
    return axis
