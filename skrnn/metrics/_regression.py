"""Forecast error metrics: MAE, RMSE, sMAPE and MASE.

Each metric takes the observed values ``y_true`` and the forecasts ``y_pred``
as 1-D (n_samples,) or 2-D (n_samples, n_outputs) arrays or pandas objects
(or dicts of series, as a forecaster fitted on a dict panel predicts),
computes one error per output (column) and aggregates the outputs as
scikit-learn's regression metrics do (``multioutput``). Two frames naming the
same series are matched by column name, not by position.
"""

import numbers

import numpy as np
import pandas as pd

__all__ = ["mae", "mase", "rmse", "smape"]

_MULTIOUTPUT_OPTIONS = ("raw_values", "uniform_average")


def _as_2d_float(y, name, *, ragged=False, unscored=None):
    """Return ``y`` as a finite float array of shape (n_samples, n_outputs).

    With ``ragged``, a column may be NaN before its first and after its last
    value (a series of a panel that starts late or ends early), not between.
    Cells where the boolean array ``unscored`` is true may hold anything.
    """
    try:
        if hasattr(y, "to_numpy"):  # pandas, including nullable dtypes with NA
            array = y.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            array = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"`{name}` must contain numbers. Got values that cannot be "
            f"converted to float instead ({exc})."
        ) from exc
    if array.ndim not in (1, 2):
        got = "a scalar" if array.ndim == 0 else f"shape {array.shape}"
        raise ValueError(
            f"`{name}` must be 1-D (n_samples,) or 2-D (n_samples, n_outputs). "
            f"Got {got} instead."
        )
    if array.ndim == 1:
        array = array[:, np.newaxis]
    finite = np.isfinite(array)
    if ragged:
        # Missing edges count as finite; a gap inside a series does not.
        observed = np.cumsum(finite, axis=0)
        edge = (observed == 0) | (observed == observed[-1:])
        finite |= np.isnan(array) & edge
    if unscored is not None and unscored.shape == array.shape:
        finite |= unscored
    if not finite.all():
        row, column = np.argwhere(~finite)[0]
        what = "NaN" if np.isnan(array[row, column]) else "infinity"
        where = f"row {row}" + (f", column {column}" if array.shape[1] > 1 else "")
        fix = (
            "check the model that produced the forecasts"
            if name == "y_pred"
            else "drop or impute missing values first"
        )
        raise ValueError(
            f"`{name}` must contain only finite values. Got {what} at {where} "
            f"instead; {fix}."
        )
    return array


def _as_frame(y):
    """A dict of series (a panel as the forecasters take and return it) as a
    wide frame, one column per key in order; anything else as it is."""
    if isinstance(y, dict):
        return pd.DataFrame({key: pd.Series(value) for key, value in y.items()})
    return y


def _in_order_of(reference, y):
    """``y``'s columns in ``reference``'s order when both are frames naming
    the same series: columns are matched by name, not by position (a
    reordered frame was scored against the other series)."""
    if (
        isinstance(reference, pd.DataFrame)
        and isinstance(y, pd.DataFrame)
        and reference.columns.is_unique
        and y.columns.is_unique
        and set(reference.columns) == set(y.columns)
    ):
        return y[reference.columns]
    return y


def _check_same_times(y_true, y_pred):
    """Refuse forecasts at other time points than the observed values.

    Values are compared by position; where both carry a time index of one
    kind, the positions must be the same time points. In a Pipeline, a
    transformer that returns a NumPy array drops X's time index, and the
    forecaster then forecasts the rows right after its training end: with a
    splitter's gap, those are not the test rows.
    """
    times_true = getattr(y_true, "index", None)
    times_pred = getattr(y_pred, "index", None)
    kinds = (pd.DatetimeIndex, pd.PeriodIndex)
    if not (
        isinstance(times_true, kinds)
        and type(times_pred) is type(times_true)
        and len(times_pred) == len(times_true)
    ) or times_pred.equals(times_true):
        return
    raise ValueError(
        f"y_pred is at other time points ({times_pred[0]} to {times_pred[-1]}) "
        f"than y_true ({times_true[0]} to {times_true[-1]}), so it does not "
        "forecast these values. A forecaster forecasts the rows right after "
        "its training end when X has no time index: in a Pipeline, make the "
        "steps before it keep X's index (e.g. "
        'StandardScaler().set_output(transform="pandas")).'
    )


def naive_scale(y_train, lag):
    """MASE's scale: the in-sample mean absolute error of the naive forecast
    at ``lag`` (the seasonal one for a season), per column of a 2-D
    ``y_train`` (NaN edges left out), or a float for a 1-D one."""
    y_train = np.asarray(y_train, dtype=np.float64)
    return np.nanmean(np.abs(y_train[lag:] - y_train[:-lag]), axis=0)


def _check_pair(y_true, y_pred):
    """Validate observed values and forecasts of the same shape.

    NaN in ``y_true`` before a series starts or after it ends (a panel's
    series in a test window) marks cells without an observation; both
    arrays come back NaN there, and the metrics leave those cells out.
    """
    y_true = _as_frame(y_true)
    y_pred = _in_order_of(y_true, _as_frame(y_pred))
    _check_same_times(y_true, y_pred)
    y_true = _as_2d_float(y_true, "y_true", ragged=True)
    y_pred = _as_2d_float(y_pred, "y_pred", unscored=np.isnan(y_true))
    if y_true.size == 0:
        raise ValueError(
            "`y_true` and `y_pred` must contain at least one time point and one "
            f"output to compute an error. Got shape {y_true.shape} instead."
        )
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            "`y_true` and `y_pred` must have the same number of time points. "
            f"Got {y_true.shape[0]} and {y_pred.shape[0]} instead."
        )
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            "`y_true` and `y_pred` must have the same number of outputs "
            f"(columns). Got {y_true.shape[1]} and {y_pred.shape[1]} instead."
        )
    unobserved = np.isnan(y_true)
    if unobserved.all():
        raise ValueError(
            "`y_true` has no observed value (all NaN), so there is no error "
            "to compute. Score on time points where the series are observed."
        )
    y_pred = np.where(unobserved, np.nan, y_pred)
    return y_true, y_pred


def _column_mean(values):
    """The mean of each column over its observed (non-NaN) cells; NaN for a
    column without any."""
    counts = np.sum(~np.isnan(values), axis=0)
    totals = np.nansum(values, axis=0)
    return np.divide(
        totals, counts, out=np.full(totals.shape, np.nan), where=counts > 0
    )


def _check_multioutput(multioutput):
    """Validate ``multioutput``; return the string or a 1-D float weight array."""
    if isinstance(multioutput, str):
        if multioutput not in _MULTIOUTPUT_OPTIONS:
            raise ValueError(
                "`multioutput` must be 'raw_values', 'uniform_average' or an "
                f"array of weights, one per output. Got {multioutput!r} instead."
            )
        return multioutput
    try:
        weights = np.asarray(multioutput, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "`multioutput` must be 'raw_values', 'uniform_average' or an "
            f"array of weights, one per output. Got {multioutput!r} instead."
        ) from exc
    if (
        weights.ndim != 1
        or not np.isfinite(weights).all()
        or (weights < 0).any()
        or weights.sum() <= 0
    ):
        raise ValueError(
            "`multioutput` weights must be a 1-D array of finite, non-negative "
            f"numbers with a positive sum. Got {multioutput!r} instead."
        )
    return weights


def _aggregate(errors, multioutput):
    """Combine per-output errors as ``multioutput`` (already checked) says;
    an output without observed values (NaN error) is left out of averages."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        return float(np.mean(errors[~np.isnan(errors)]))
    if multioutput.shape != errors.shape:
        raise ValueError(
            f"`multioutput` must give one weight per output ({errors.shape[0]}). "
            f"Got {multioutput.shape[0]} weights instead."
        )
    scored = ~np.isnan(errors)
    if not multioutput[scored].sum() > 0:
        raise ValueError(
            "The outputs with a positive `multioutput` weight have no observed "
            f"value (weights {multioutput.tolist()}; outputs without one: "
            f"{np.flatnonzero(~scored).tolist()}), so there is nothing to "
            "average. Weight an output that has values, or use "
            "multioutput='raw_values'."
        )
    return float(np.average(errors[scored], weights=multioutput[scored]))


def _check_seasonal_period(seasonal_period):
    if (
        not isinstance(seasonal_period, numbers.Integral)
        or isinstance(seasonal_period, bool)
        or seasonal_period < 1
    ):
        raise ValueError(
            "`seasonal_period` must be a positive int (1 for the last-value "
            f"naive forecast, 12 for monthly data with a yearly season). Got "
            f"{seasonal_period!r} instead."
        )
    return int(seasonal_period)


def mae(y_true, y_pred, *, multioutput="uniform_average"):
    """Mean absolute error of a forecast.

    The mean of ``|y_true - y_pred|`` over time points, for each output. It is
    in the unit of the series, so it cannot be compared across series of
    different scales (use :func:`mase` for that).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed values. pandas objects are compared by position, not aligned
        on their index; where both carry a DatetimeIndex (or both a
        PeriodIndex), the positions must be the same time points, else the
        forecasts are refused. NaN before a series starts or after it ends (a
        panel's series in a test window) mark time points without an
        observation: they are left out, and an output without any is left
        out of the average.

    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Forecasts.

    multioutput : {"raw_values", "uniform_average"} or array-like of \
shape (n_outputs,), default="uniform_average"
        How to combine the errors of several outputs: "raw_values" returns
        one error per output, "uniform_average" their mean, and an array
        their average with these weights.

    Returns
    -------
    error : float or ndarray of shape (n_outputs,)
        A float, or one error per output with ``multioutput="raw_values"``.

    See Also
    --------
    rmse : Root mean squared error, which weighs large errors more.
    mase : The MAE scaled by that of a naive forecast.
    sklearn.metrics.mean_absolute_error : The same value for regression.

    Examples
    --------
    >>> from skrnn.metrics import mae
    >>> mae([3.0, 5.0, 2.0], [2.0, 5.0, 4.0])
    1.0
    >>> mae([[1.0, 10.0], [2.0, 20.0]], [[1.0, 12.0], [3.0, 20.0]],
    ...     multioutput="raw_values")
    array([0.5, 1. ])
    """
    multioutput = _check_multioutput(multioutput)
    y_true, y_pred = _check_pair(y_true, y_pred)
    errors = _column_mean(np.abs(y_true - y_pred))
    return _aggregate(errors, multioutput)


def rmse(y_true, y_pred, *, multioutput="uniform_average"):
    """Root mean squared error of a forecast.

    The square root of the mean of ``(y_true - y_pred) ** 2`` over time points,
    for each output; several outputs are combined after taking the root, as
    :func:`sklearn.metrics.root_mean_squared_error` does.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed values. pandas objects are compared by position, not aligned
        on their index; where both carry a DatetimeIndex (or both a
        PeriodIndex), the positions must be the same time points, else the
        forecasts are refused. NaN before a series starts or after it ends (a
        panel's series in a test window) mark time points without an
        observation: they are left out, and an output without any is left
        out of the average.

    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Forecasts.

    multioutput : {"raw_values", "uniform_average"} or array-like of \
shape (n_outputs,), default="uniform_average"
        How to combine the errors of several outputs: "raw_values" returns
        one error per output, "uniform_average" their mean, and an array
        their average with these weights.

    Returns
    -------
    error : float or ndarray of shape (n_outputs,)
        A float, or one error per output with ``multioutput="raw_values"``.

    See Also
    --------
    mae : Mean absolute error, less sensitive to single large errors.
    sklearn.metrics.root_mean_squared_error : The same value for regression.

    Examples
    --------
    >>> from skrnn.metrics import rmse
    >>> rmse([3.0, 5.0, 2.0, 7.0], [2.0, 5.0, 4.0, 8.0])
    1.224744871391589
    """
    multioutput = _check_multioutput(multioutput)
    y_true, y_pred = _check_pair(y_true, y_pred)
    errors = np.sqrt(_column_mean((y_true - y_pred) ** 2))
    return _aggregate(errors, multioutput)


def smape(y_true, y_pred, *, multioutput="uniform_average"):
    """Symmetric mean absolute percentage error of a forecast, in percent.

    The mean over time points of ``200 * |y_true - y_pred| / (|y_true| +
    |y_pred|)``, for each output. It lies between 0 (perfect) and 200; a time
    point where both the observation and the forecast are 0 counts as 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed values. pandas objects are compared by position, not aligned
        on their index; where both carry a DatetimeIndex (or both a
        PeriodIndex), the positions must be the same time points, else the
        forecasts are refused. NaN before a series starts or after it ends (a
        panel's series in a test window) mark time points without an
        observation: they are left out, and an output without any is left
        out of the average.

    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Forecasts.

    multioutput : {"raw_values", "uniform_average"} or array-like of \
shape (n_outputs,), default="uniform_average"
        How to combine the errors of several outputs: "raw_values" returns
        one error per output, "uniform_average" their mean, and an array
        their average with these weights.

    Returns
    -------
    error : float or ndarray of shape (n_outputs,)
        A float, or one error per output with ``multioutput="raw_values"``.

    See Also
    --------
    mase : A scale-free error that stays defined near zero.

    Notes
    -----
    This is the sMAPE of the M3 and M4 forecasting competitions. Other
    definitions exist (without the factor 2, so between 0 and 100, or with
    the absolute values taken after the sum). sMAPE is not symmetric in
    over- and under-forecasts, and a term jumps to 200 whenever exactly one
    of the observation and the forecast is 0, so prefer :func:`mase` for
    series near zero.

    Examples
    --------
    >>> from skrnn.metrics import smape
    >>> smape([100.0, 200.0], [110.0, 200.0])
    4.761904761904762
    >>> smape([0.0, 1.0], [0.0, 1.0])
    0.0
    """
    multioutput = _check_multioutput(multioutput)
    y_true, y_pred = _check_pair(y_true, y_pred)
    numerator = 2.0 * np.abs(y_true - y_pred)
    denominator = np.abs(y_true) + np.abs(y_pred)
    ratios = np.divide(
        numerator,
        denominator,
        out=np.zeros_like(numerator),
        where=denominator > 0,
    )
    errors = 100.0 * _column_mean(np.where(np.isnan(y_true), np.nan, ratios))
    return _aggregate(errors, multioutput)


def mase(y_true, y_pred, *, y_train, seasonal_period=1, multioutput="uniform_average"):
    """Mean absolute scaled error of a forecast.

    The mean absolute error of the forecast divided by the in-sample mean
    absolute error of the seasonal naive forecast on the training series
    (each value predicted by the value ``seasonal_period`` steps before), for
    each output. Below 1, the forecast beats the naive one's in-sample error;
    it is scale-free, so it can be averaged across series.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed values. pandas objects are compared by position, not aligned
        on their index; where both carry a DatetimeIndex (or both a
        PeriodIndex), the positions must be the same time points, else the
        forecasts are refused. NaN before a series starts or after it ends (a
        panel's series in a test window) mark time points without an
        observation: they are left out, and an output without any is left
        out of the average.

    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Forecasts.

    y_train : array-like of shape (n_train,) or (n_train, n_outputs)
        The series the forecaster was trained on, at least
        ``seasonal_period + 1`` time points long. A column may be NaN
        before its first and after its last value (a panel whose series
        start or end at different times): it is scaled on its own span.

    seasonal_period : int, default=1
        Season length of the naive forecast: 1 repeats the last value, 12
        repeats the value of the same month a year before in monthly data.

    multioutput : {"raw_values", "uniform_average"} or array-like of \
shape (n_outputs,), default="uniform_average"
        How to combine the errors of several outputs: "raw_values" returns
        one error per output, "uniform_average" their mean, and an array
        their average with these weights.

    Returns
    -------
    error : float or ndarray of shape (n_outputs,)
        A float, or one error per output with ``multioutput="raw_values"``.

    See Also
    --------
    mae : The unscaled mean absolute error.
    skrnn.NaiveForecaster : The naive forecasts themselves.

    Notes
    -----
    The scale is the mean of ``|y_train[t] - y_train[t - seasonal_period]|``
    over ``t = seasonal_period, ..., n_train - 1``, as in [1]_. MASE is
    undefined, and an error is raised, when that scale is 0.

    References
    ----------
    .. [1] Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures
       of forecast accuracy. International Journal of Forecasting, 22(4),
       679-688.

    Examples
    --------
    >>> from skrnn.metrics import mase
    >>> y_train = [1.0, 3.0, 2.0, 4.0, 3.0]
    >>> mase([5.0, 4.0], [4.0, 4.0], y_train=y_train)
    0.3333333333333333
    >>> mase([5.0, 4.0], [4.0, 4.0], y_train=y_train, seasonal_period=2)
    0.5
    """
    seasonal_period = _check_seasonal_period(seasonal_period)
    multioutput = _check_multioutput(multioutput)
    y_true = _as_frame(y_true)
    y_train = _in_order_of(y_true, _as_frame(y_train))
    y_true, y_pred = _check_pair(y_true, y_pred)
    y_train = _as_2d_float(y_train, "y_train", ragged=True)
    if y_train.shape[1] != y_true.shape[1]:
        raise ValueError(
            "`y_train` must have the same number of outputs (columns) as "
            f"`y_true` ({y_true.shape[1]}). Got {y_train.shape[1]} instead."
        )
    lengths = np.isfinite(y_train).sum(axis=0)
    if y_train.shape[0] == 0 or lengths.min() <= seasonal_period:
        shortest = int(lengths.min()) if y_train.shape[0] else 0
        which = f" (output {int(np.argmin(lengths))})" if y_train.shape[1] > 1 else ""
        raise ValueError(
            "`y_train` must be longer than `seasonal_period` "
            f"({seasonal_period}), so that the seasonal naive forecast has at "
            f"least one in-sample error to scale by. Got {shortest} observed "
            f"time points{which} instead; pass a longer training series or "
            "lower `seasonal_period`."
        )
    # Each column is scaled on its own observed span (NaN edges of a panel).
    scale = naive_scale(y_train, seasonal_period)
    if (scale == 0).any():
        column = int(np.flatnonzero(scale == 0)[0])
        which = f" (output {column})" if y_train.shape[1] > 1 else ""
        raise ValueError(
            "MASE is undefined when the seasonal naive forecast fits `y_train` "
            f"exactly: its in-sample MAE, the scale of MASE, must be positive. "
            f"Got 0{which} for seasonal_period={seasonal_period} instead "
            "(`y_train` repeats itself, e.g. it is constant); score with "
            "`mae` or `rmse` instead (in compare, metrics=['rmse', 'mae']; on "
            "the command line, --metrics rmse,mae)."
        )
    errors = _column_mean(np.abs(y_true - y_pred)) / scale
    return _aggregate(errors, multioutput)
