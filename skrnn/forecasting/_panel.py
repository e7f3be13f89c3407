"""The target of a forecaster: one series, aligned columns, or a ragged panel.

A panel is several series that may start and end at different time points:
a wide table whose columns are series, NaN before a series starts and after
it ends, or a dict of series with their own indexes. Forecasters see it as
one float array (n_timesteps, n_series) in which every series *ends at the
last row* (its own time: a series that ended earlier is shifted down) and
NaN only comes before a series starts. ``Target`` keeps what is needed to
put forecasts back on the user's time axis.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ._checks import check_series, check_time_index
from ._time import infer_freq

__all__ = ["Target", "from_long", "parse_target", "to_long"]


@dataclass
class Target:
    """A validated forecasting target.

    Attributes
    ----------
    values : ndarray of shape (n_timesteps, n_series)
        Every series ends at the last row; NaN only before a series starts.
    lags : ndarray of shape (n_series,)
        Time points between each series' end and the last time point of the
        index (0 when it ends last), i.e. how far it was shifted down.
    kind : {"1d", "2d", "dict"}
        The container y came in, and forecasts go out in.
    names : object
        The Series name, the column labels or the dict keys; None for arrays.
    index : pandas.Index or None
        The common time index of y (the union of a dict's indexes).
    """

    values: np.ndarray
    lags: np.ndarray
    kind: str
    names: object
    index: object

    @property
    def lengths(self):
        """Number of observed time points of each series."""
        return (~np.isnan(self.values)).sum(axis=0)

    @property
    def ragged(self):
        """Whether some series start or end at other time points."""
        return bool(self.lags.any() or np.isnan(self.values[0]).any())

    def label(self, j):
        """How messages name series ``j``."""
        if self.kind == "1d":
            return "y"
        if self.names is None:
            return f"series {j}"
        return f"series {list(self.names)[j]!r}"


def _dict_to_frame(y, input_name):
    """A dict of series as one wide frame on the union of their time indexes."""
    if not y:
        raise ValueError(f"{input_name} is an empty dict: give at least one series.")
    series = list(y.values())
    if all(isinstance(s, pd.Series) for s in series):
        zones = {
            str(s.index.tz) for s in series if isinstance(s.index, pd.DatetimeIndex)
        }
        if len(zones) > 1:
            named = sorted(z if z != "None" else "no time zone" for z in zones)
            raise ValueError(
                f"The series of {input_name} are in different time zones "
                f"({', '.join(named)}). Put them in one: s.tz_convert('UTC') "
                "for a series with a zone, s.tz_localize('UTC') (its own zone) "
                "for one without; or drop the zones with tz_localize(None) if "
                "they are all local times."
            )
        # Before the frequencies: monthly periods and month starts differ in
        # kind, not in frequency.
        kinds = {type(s.index) for s in series}
        if len(kinds) > 1 and not all(
            pd.api.types.is_integer_dtype(s.index.dtype) for s in series
        ):
            raise ValueError(
                f"The series of {input_name} have different kinds of index "
                f"({', '.join(sorted(k.__name__ for k in kinds))}). Give them "
                "all the same kind (e.g. all PeriodIndex)."
            )
        # A series of one or two points has no frequency of its own: it takes
        # the others' (and must lie on their grid, checked below).
        axes = [check_time_index(s.index, require_freq=len(s) >= 3) for s in series]
        if any(axis.freq is None for axis in axes) and isinstance(
            series[0].index, pd.DatetimeIndex
        ):
            known = [axis for axis in axes if axis.freq is not None]
            if not known:
                raise ValueError(axes[0].irregular_message())
            axes = [axis if axis.freq is not None else known[0] for axis in axes]
        # One spelling per frequency: an index's own offset or an inferred string.
        freqs = {to_offset(axis.freq).freqstr for axis in axes if axis.freq is not None}
        steps = {axis.step for axis in axes}
        if len(freqs) > 1 or len(steps) > 1:
            raise ValueError(
                f"The series of {input_name} have different frequencies "
                f"({', '.join(sorted(freqs)) or steps}). A panel needs one: "
                "resample them to a common frequency first."
            )
        grid = _grid(series, axes[0])
        for key, s in y.items():
            if not s.index.isin(grid).all():
                raise ValueError(
                    f"Series {key!r} of {input_name} has time points off the "
                    f"common grid of the others ({axes[0].freq or axes[0].step}): "
                    "e.g. month starts against month ends. Put them on one grid."
                )
        return pd.DataFrame({key: s.reindex(grid) for key, s in y.items()}, index=grid)
    if any(isinstance(s, pd.Series | pd.DataFrame) for s in series):
        raise ValueError(
            f"{input_name} mixes pandas Series and arrays. Give all series as "
            "Series with their time indexes, or all as 1-D arrays (then they "
            "are taken to end at the same time point)."
        )
    arrays = [
        check_series(np.asarray(s), input_name=f"{input_name}[{key!r}]")
        for key, s in y.items()
    ]
    if any(a.ndim != 1 for a in arrays):
        raise ValueError(f"Each series of {input_name} must be 1-D.")
    n = max(len(a) for a in arrays)
    values = np.full((n, len(arrays)), np.nan)
    for j, a in enumerate(arrays):
        values[n - len(a) :, j] = a
    return pd.DataFrame(values, columns=list(y))


def _grid(series, axis):
    """Every time point from the first start to the last end, on one frequency."""
    first = min(s.index[0] for s in series)
    last = max(s.index[-1] for s in series)
    index = series[0].index
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(first, last, freq=axis.freq, name=index.name)
    if isinstance(index, pd.DatetimeIndex):
        return pd.date_range(first, last, freq=axis.freq, name=index.name)
    return pd.RangeIndex(first, last + axis.step, axis.step, name=index.name)


def parse_target(y, *, input_name="y"):
    """Validate ``y`` and lay it out as a :class:`Target`.

    Parameters
    ----------
    y : array-like of shape (n_timesteps,) or (n_timesteps, n_series), or dict
        One series (1-D), several (2-D; NaN before a series starts and after
        it ends make a ragged panel), or a dict of series.
    input_name : str, default="y"
        Name of the input in error messages.

    Returns
    -------
    target : Target
    """
    kind = "2d"
    if isinstance(y, dict):
        kind, names = "dict", list(y)
        y = _dict_to_frame(y, input_name)
    if isinstance(y, pd.DataFrame) or _float_table_with_nan(y):
        values = _ragged_values(y, input_name, from_dict=kind == "dict")
    else:
        values = check_series(y, input_name=input_name)
    index = getattr(y, "index", None)
    if values.ndim == 1:
        kind = "1d"
        names = y.name if isinstance(y, pd.Series) else None
        values = values[:, None]
    elif kind != "dict":
        names = list(y.columns) if isinstance(y, pd.DataFrame) else None
    values, lags = _align_ends(values)
    if not isinstance(index, pd.Index):
        index = None
    return Target(values, lags, kind, names, index)


def _float_table_with_nan(y):
    """Whether ``y`` is a 2-D float array-like with NaN (maybe a ragged panel)."""
    if isinstance(y, pd.Series):
        return False
    raw = np.asarray(y)  # array-likes without len() too (sklearn's checks)
    return raw.ndim == 2 and raw.dtype.kind == "f" and bool(np.isnan(raw).any())


def ended_rows(observed):
    """How many last rows of the boolean (n_timesteps, n_series) array
    ``observed`` hold no value of any series: rows after every series ended."""
    return int(np.argmax(observed.any(axis=1)[::-1])) if observed.any() else 0


def _ragged_values(y, input_name, *, from_dict=False):
    """The values of a 2-D target; NaN allowed only before and after a series."""
    frame = y if isinstance(y, pd.DataFrame) else pd.DataFrame(np.asarray(y))
    missing = frame.isna().to_numpy()
    if not missing.any():
        return check_series(y, input_name=input_name)
    observed = ~missing
    empty = ~observed.any(axis=0)
    if empty.any():
        column = frame.columns[int(np.argmax(empty))]
        raise ValueError(
            f"Column {column!r} of {input_name} has no values (all NaN). Drop "
            "it. In a cross-validation, this is a series that starts after a "
            "fold's training part ends: use fewer splits (a longer first "
            "training part), or cross-validate that series apart."
        )
    ended = ended_rows(observed)
    if ended:
        # Every series ended before these rows: the time axis (the dates of
        # forecasts, where predict's rows start) would run past the data.
        end, name = len(frame) - ended, input_name.strip("`")
        if from_dict:
            drop, last = "the NaN at the end of each series", frame.index[end - 1]
        elif isinstance(y, pd.DataFrame):
            drop, last = f"{name}.loc[:{name}.last_valid_index()]", frame.index[end - 1]
        else:
            drop, last = f"{name}[:{end}]", f"row {end - 1}"
        raise ValueError(
            f"The last {ended} rows of {input_name} have no value in any "
            f"series: the data end at {last}, not at the last row. Drop them "
            f"({drop}); future regressors go to forecast or predict, not to "
            "fit."
        )
    # Before the first and after the last observed value of each column.
    outside = (
        ~np.logical_or.accumulate(observed, axis=0)
        | ~np.logical_or.accumulate(observed[::-1], axis=0)[::-1]
    )
    # Interior NaN are refused by check_series, whose message names them.
    values = check_series(frame.mask(outside, 0.0), input_name=input_name).copy()
    values[outside] = np.nan
    return values


def _align_ends(values):
    """Shift each column down so that it ends at the last row."""
    observed = ~np.isnan(values)
    n = len(values)
    last = n - 1 - np.argmax(observed[::-1], axis=0)
    lags = (n - 1 - last).astype(np.int64)
    if not lags.any():
        return values, lags
    aligned = np.full_like(values, np.nan)
    for j in np.flatnonzero(lags):
        aligned[lags[j] :, j] = values[: n - lags[j], j]
    aligned[:, lags == 0] = values[:, lags == 0]
    return aligned, lags


def from_long(data, *, id, time, value):
    """A long table (one row per series and time point) as a wide panel.

    The shape neuralforecast and many databases use (``unique_id, ds, y``)
    becomes the wide frame every skrnn forecaster takes: one column per
    series, one row per time point, NaN before a series starts and after it
    ends.

    Parameters
    ----------
    data : DataFrame
        The long table.
    id, time, value : str
        Its columns naming the series, the time point and the value.

    Returns
    -------
    panel : DataFrame of shape (n_timesteps, n_series)
        Sorted by time, the series in the order they first appear in
        ``data``; a DatetimeIndex gets its frequency when one fits.

    See Also
    --------
    to_long : The inverse.

    Examples
    --------
    >>> import pandas as pd
    >>> from skrnn.forecasting import from_long
    >>> data = pd.DataFrame({
    ...     "store": ["a", "a", "a", "b", "b"],
    ...     "month": pd.to_datetime(
    ...         ["2024-01", "2024-02", "2024-03", "2024-02", "2024-03"]
    ...     ),
    ...     "sales": [10.0, 12.0, 11.0, 5.0, 6.0],
    ... })
    >>> from_long(data, id="store", time="month", value="sales")
    ... # doctest: +NORMALIZE_WHITESPACE
                   a    b
    month
    2024-01-01  10.0  NaN
    2024-02-01  12.0  5.0
    2024-03-01  11.0  6.0
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(
            f"from_long takes a DataFrame. Got a {type(data).__name__} instead."
        )
    missing = [c for c in (id, time, value) if c not in data.columns]
    if missing:
        raise ValueError(
            f"No column {missing[0]!r} in the table; its columns are "
            f"{', '.join(map(str, data.columns))}."
        )
    duplicated = data.duplicated([id, time])
    if duplicated.any():
        row = data[duplicated].iloc[0]
        raise ValueError(
            f"Series {row[id]!r} has several rows at {row[time]}. Give one row "
            "per series and time point (aggregate duplicates first)."
        )
    if pd.api.types.infer_dtype(data[time], skipna=True) in ("string", "mixed"):
        # Sorted as text, "2020-10" would come before "2020-2".
        raise ValueError(
            f"The time column {time!r} holds text (e.g. {data[time].iloc[0]!r}), "
            "which sorts as text, not in time. Parse it first, e.g. "
            f"data[{time!r}] = pd.to_datetime(data[{time!r}]), or "
            f"pd.PeriodIndex(data[{time!r}], freq='M') for months."
        )
    panel = data.pivot(index=time, columns=id, values=value).sort_index()
    # Series in the order they first appear, as to_long writes them.
    panel = panel[pd.unique(data[id])]
    panel.columns.name = None
    if isinstance(panel.index, pd.DatetimeIndex) and len(panel) >= 3:
        freq = infer_freq(panel.index)
        if freq is not None:
            panel = panel.asfreq(freq)
    return panel


def to_long(y, *, id="id", time="time", value="value"):
    """A wide panel (or dict of series) as a long table.

    The inverse of :func:`from_long`.

    Parameters
    ----------
    y : DataFrame or dict of Series or of 1-D arrays
        One column (entry) per series; NaN outside a series is dropped.
        Arrays of different lengths end at the same time point, as the
        forecasters read them.
    id, time, value : str, default="id", "time", "value"
        Names of the columns of the long table.

    Returns
    -------
    data : DataFrame
        Columns ``id``, ``time`` and ``value``, one row per observed value,
        series by series in time order.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skrnn.forecasting import to_long
    >>> panel = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [np.nan, 5.0, 6.0]})
    >>> to_long(panel)
      id  time  value
    0  a     0    1.0
    1  a     1    2.0
    2  a     2    3.0
    3  b     1    5.0
    4  b     2    6.0
    """
    if isinstance(y, dict):
        # Arrays of different lengths end together, as the forecasters read them.
        series = list(y.values())
        plain = series and not all(isinstance(s, pd.Series) for s in series)
        y = _dict_to_frame(y, "y") if plain else pd.DataFrame(y)
    if not isinstance(y, pd.DataFrame):
        raise ValueError(
            "to_long takes a DataFrame (one column per series) or a dict of "
            f"Series. Got a {type(y).__name__} instead."
        )
    frames = [
        pd.DataFrame({id: key, time: column.index, value: column.to_numpy()})
        for key, column in ((key, y[key].dropna()) for key in y.columns)
    ]
    return pd.concat(frames, ignore_index=True)
