"""fill_gaps: a series with missing values or missing time points, made whole.

Forecasters need one value per time point on a regular time grid. Real data
has holes: empty cells (NaN) and rows that are simply absent (a DatetimeIndex
that jumps). ``fill_gaps`` puts the series on its regular grid, inserting the
absent time points, and fills every missing value inside each series.
"""

import math

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ..preprocessing._table import _refuse_non_numeric
from ._time import infer_freq

__all__ = ["fill_gaps"]

_METHODS = ("interpolate", "ffill")


def _calendar_candidates(index):
    """Calendar frequencies the points of ``index`` may be on: the calendar
    names, and their multiple by the largest number of months, years or
    weeks that divides every step (6MS for half-years: on "MS" or "QS" the
    missing points would be most of the grid)."""
    first = index[0]
    month = first.strftime("%b").upper()
    weekday = first.strftime("%a").upper()
    candidates = [
        "D",  # calendar days: across a daylight-saving change, not 24 h
        "B",
        f"W-{weekday}",
        "MS",
        "ME",
        f"QS-{month}",
        f"QE-{month}",
        f"YS-{month}",
        f"YE-{month}",
    ]
    months = math.gcd(*np.diff(index.year * 12 + index.month).tolist())
    if months > 12 and months % 12 == 0:  # named by years when they can be
        candidates += [f"{months // 12}YS-{month}", f"{months // 12}YE-{month}"]
    if months > 1:
        candidates += [f"{months}MS", f"{months}ME"]
    days = np.diff(index.normalize().as_unit("ns").asi8) // pd.Timedelta(1, "D").value
    weeks = math.gcd(*days.tolist()) // 7 if (days % 7 == 0).all() else 0
    if weeks > 1:
        candidates.append(f"{weeks}W-{weekday}")
    return candidates


def _infer_grid(index):
    """The coarsest regular grid that holds every point of a DatetimeIndex."""
    if index.freq is not None:
        return pd.date_range(index[0], index[-1], freq=index.freq, name=index.name)
    if len(index) >= 3:
        freq = infer_freq(index)
        if freq is not None:
            return pd.date_range(index[0], index[-1], freq=freq, name=index.name)
    steps = np.diff(index.as_unit("ns").asi8)
    step = math.gcd(*(int(s) for s in steps)) if len(steps) else 0
    candidates = _calendar_candidates(index)
    span = int(index[-1].as_unit("ns").value - index[0].as_unit("ns").value)
    fine = ["D"]  # grids that must show some points one step apart (below)
    # A grid much finer than the data is no grid: the points are irregular.
    if step and span // step < 100 * len(index):
        day = pd.Timedelta(1, "D").value
        # Whole days as "D" (not "24h"), the way pandas names daily data;
        # last, so that a calendar name ("W-SUN", not "7D") wins a tie.
        candidates.append(
            f"{step // day}D" if step % day == 0 else pd.Timedelta(step, "ns")
        )
        fine.append(to_offset(candidates[-1]).freqstr)
    best = None
    for candidate in candidates:
        grid = pd.date_range(index[0], index[-1], freq=candidate, name=index.name)
        holds_all = len(grid) >= len(index) and index.isin(grid).all()
        if holds_all and (best is None or len(grid) < len(best)):
            best = grid
    # A grid of days or of the smallest step must explain the data: some
    # points one step apart (monthly data on the 15th lies on days too).
    if (
        best is not None
        and len(index) >= 3
        and best.freqstr in fine
        and not (np.diff(best.get_indexer(index)) == 1).any()
    ):
        best = None
    if best is None:
        raise ValueError(
            "The time points of y are not on one regular grid (e.g. daily, "
            "monthly), so the missing ones cannot be told apart. Pass freq "
            "(e.g. fill_gaps(y, freq='D'); for months on a day other than "
            "the first, freq=pd.DateOffset(months=1)), or aggregate to a "
            "regular frequency first (e.g. y.resample('MS').mean())."
        )
    return best


def _grid(index, freq):
    """The regular index that ``index`` (sorted, unique) is a part of."""
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(
            index[0], index[-1], freq=freq or index.freq, name=index.name
        )
    if isinstance(index, pd.DatetimeIndex):
        if freq is None:
            return _infer_grid(index)
        grid = pd.date_range(index[0], index[-1], freq=freq, name=index.name)
        if not index.isin(grid).all():
            off = index[~index.isin(grid)][0]
            raise ValueError(
                f"y has a time point ({off}) that is not on the grid of freq="
                f"{to_offset(freq).freqstr!r} from {index[0]}. Pass the "
                "frequency of the data, or aggregate to that frequency first "
                f"(e.g. y.resample({to_offset(freq).freqstr!r}).mean())."
            )
        return grid
    if pd.api.types.is_integer_dtype(index.dtype):
        values = index.to_numpy()
        if freq is not None:
            step = int(freq)
        else:
            steps = np.diff(values)
            step = math.gcd(*(int(s) for s in steps)) if len(steps) else 1
        if ((values - values[0]) % step).any():
            raise ValueError(
                f"y's integer index is not on steps of freq={step} from "
                f"{values[0]}. Pass the step of the data as freq."
            )
        return pd.RangeIndex(values[0], values[-1] + step, step, name=index.name)
    raise TypeError(
        "fill_gaps needs a time index on y: a DatetimeIndex, PeriodIndex or an "
        f"integer index. Got a {type(index).__name__} of dtype {index.dtype} "
        "instead; parse dates first (e.g. pd.to_datetime)."
    )


def fill_gaps(y, method="interpolate", *, freq=None):
    """Put a series on its regular time grid and fill every missing value.

    The documented way through missing data: forecasters refuse NaN (and
    fit an irregular DatetimeIndex only by position, with a warning), and
    simply dropping the NaN rows leaves gaps in the time index.
    ``fill_gaps`` inserts the absent time points (rows the data skips), then
    fills them and any NaN inside each series.

    Parameters
    ----------
    y : Series, DataFrame or array-like of shape (n_timesteps,) or \
(n_timesteps, n_series)
        The series, with a DatetimeIndex, PeriodIndex or integer index for
        pandas input (time points may be absent and in any order; each must
        appear once). NumPy input has no time index: only its NaN are filled.

    method : {"interpolate", "ffill"}, default="interpolate"
        How a missing value is filled. "interpolate": on the straight line
        between the observed values around it (linear in time on the regular
        grid). "ffill": with the last observed value before it, which uses no
        future value (the choice when a filled value must not depend on
        later observations).

    freq : str, pandas offset or int, default=None
        The frequency of the grid (e.g. "D", "h", "MS"; an int step for an
        integer index). None infers it: the index's own frequency, or the
        coarsest daily, hourly, weekly, monthly, quarterly or yearly grid, or
        a multiple of one (``6MS`` for half-years, ``2W-SUN``), on which
        every time point lies (a grid of days or of the smallest step
        needs some points one step apart: monthly data dated the 15th lies
        on the daily grid too, and is refused; pass
        ``freq=pd.DateOffset(months=1)``).

    Returns
    -------
    filled : Series, DataFrame or ndarray
        Same kind as ``y``, sorted by time, one row per time point of the
        grid from the first observation to the last. Each series is filled
        between its own first and last value: nothing is invented before
        or after it. A single series therefore has no NaN left; the columns
        of a panel keep NaN before they start and after they end, which
        forecasters read as a series that starts late or ends early. A
        DatetimeIndex gets its ``freq`` set, so forecasts can be placed in
        time.

    Raises
    ------
    ValueError
        If the time points are not on one regular grid and ``freq`` is not
        given, a time point is repeated, or ``y`` has no observed value.

    See Also
    --------
    pandas.Series.interpolate, pandas.Series.ffill : The fills applied.
    pandas.Series.resample : To aggregate irregular data to a frequency.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skrnn.forecasting import fill_gaps
    >>> y = pd.Series(
    ...     [1.0, np.nan, 3.0, 6.0],
    ...     index=pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
    ...                           "2024-01-06"]),
    ... )
    >>> filled = fill_gaps(y)
    >>> filled.tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    >>> filled.index.freqstr
    'D'
    >>> fill_gaps(y, "ffill").tolist()
    [1.0, 1.0, 3.0, 3.0, 3.0, 6.0]
    """
    if not isinstance(method, str) or method not in _METHODS:
        raise ValueError(
            f"`method` must be one of {', '.join(map(repr, _METHODS))}. Got "
            f"{method!r} instead."
        )
    _refuse_non_numeric(y, "y")
    if isinstance(y, pd.Series | pd.DataFrame):
        frame = y.to_frame() if isinstance(y, pd.Series) else y
        frame = frame.astype(np.float64)
        index = frame.index
        if not isinstance(index, pd.RangeIndex) or freq is not None:
            if index.has_duplicates:
                raise ValueError(
                    "y has duplicated time points (first: "
                    f"{index[index.duplicated()][0]}), so there is no one value "
                    "per time point to fill from. Aggregate duplicates first "
                    "(e.g. y.groupby(level=0).mean())."
                )
            frame = frame.sort_index()
            frame = frame.reindex(_grid(frame.index, freq))
    else:
        values = np.asarray(y, dtype=np.float64)
        if values.ndim not in (1, 2):
            raise ValueError(
                f"y must be 1-D or 2-D. Got {values.ndim}-D input instead."
            )
        frame = pd.DataFrame(values.reshape(len(values), -1))
    observed = np.flatnonzero(frame.notna().any(axis=1).to_numpy())
    if not observed.size:
        raise ValueError(
            "y has no observed value (all NaN), so there is nothing to fill "
            "from. Check the data."
        )
    frame = frame.iloc[observed[0] : observed[-1] + 1]
    # Only inside each series: carrying a value past a series' last one
    # would invent observations that a forecaster then trusts.
    inside = frame.ffill().notna() & frame.bfill().notna()
    filled = (
        frame.interpolate(method="linear", limit_area="inside")
        if method == "interpolate"
        else frame.ffill()
    )
    frame = filled.where(inside)
    if isinstance(y, pd.Series):
        return frame.iloc[:, 0].rename(y.name)
    if isinstance(y, pd.DataFrame):
        return frame
    out = frame.to_numpy()
    return out[:, 0] if np.ndim(y) == 1 else out
