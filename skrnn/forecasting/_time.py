"""Time indexes: where rows of X lie relative to the end of the training data."""

import warnings

import numpy as np
import pandas as pd

__all__ = ["TimeAxis", "infer_freq"]

_FILL_GAPS = (
    "skrnn.forecasting.fill_gaps(y) puts y on its regular grid and fills the "
    "missing time points"
)


def infer_freq(index):
    """pandas.infer_freq as a string (or None), on every pandas version,
    checked against the index: pandas takes month starts with one on the
    2nd (a Monday) for business month starts."""
    with warnings.catch_warnings():
        # pandas 3.1 warns that infer_freq will return an offset; either works.
        warnings.simplefilter("ignore")
        freq = pd.infer_freq(index)
    freq = getattr(freq, "freqstr", freq)
    if freq is not None and isinstance(index, pd.DatetimeIndex):
        grid = pd.date_range(index[0], periods=len(index), freq=freq)
        if not grid.equals(index):
            return None
    return freq


class TimeAxis:
    """The time index of a training series, able to place later rows on it.

    Parameters
    ----------
    index : pandas.Index or None
        DatetimeIndex, PeriodIndex or an integer index (RangeIndex); None for
        plain arrays, where the rows of X simply follow the training data.
    """

    def __init__(self, index):
        self.index = index
        self.freq = None
        self.step = 1
        if index is None:
            return
        if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) and not (
            pd.api.types.is_integer_dtype(index.dtype)
        ):
            raise TypeError(
                "The time index of y/X must be a DatetimeIndex, PeriodIndex or "
                f"an integer index (RangeIndex). Got a {type(index).__name__} "
                f"of dtype {index.dtype} instead."
            )
        if not index.is_unique:
            raise ValueError(
                "The time index of y/X has duplicated time points (first: "
                f"{index[index.duplicated()][0]}). Give one row per time point: "
                "aggregate duplicates first (e.g. y.groupby(level=0).mean())."
            )
        if not index.is_monotonic_increasing:
            raise ValueError(
                "The time index of y/X is not sorted. Sort the data by time "
                "first (e.g. y.sort_index(), and X.sort_index() likewise)."
            )
        if isinstance(index, pd.PeriodIndex):
            # Periods keep their frequency with some of them missing; the
            # rows would then be taken for consecutive periods.
            steps = np.diff(index.asi8)
            if (steps != index.freq.n).any():
                missing = index[:-1][steps != index.freq.n][0] + index.freq.n
                raise ValueError(
                    f"The PeriodIndex of y/X misses time points (the first: "
                    f"{missing}). {_FILL_GAPS}; or number the rows with "
                    "y.reset_index(drop=True) if the steps do not matter."
                )
            self.freq = index.freq
        elif isinstance(index, pd.DatetimeIndex):
            # Slicing (e.g. by TimeSeriesSplit) drops .freq; infer it again.
            self.freq = index.freq or (infer_freq(index) if len(index) >= 3 else None)
        elif len(index) >= 2:
            steps = np.diff(index.to_numpy())
            if not (steps == steps[0]).all():
                raise ValueError(
                    "The integer time index of y/X is not evenly spaced (steps "
                    f"of {steps.min()} to {steps.max()}): time points are "
                    f"missing. {_FILL_GAPS}; or number the rows with "
                    "y.reset_index(drop=True) if the steps do not matter."
                )
            self.step = int(steps[0])

    def irregular_message(self, action="forecasts cannot be placed in time"):
        """Why an irregular DatetimeIndex is a problem, and the ways out."""
        return (
            "The DatetimeIndex of y has no regular frequency (time points are "
            f"missing or unevenly spaced), so {action}. {_FILL_GAPS} (or give "
            "y its frequency, e.g. y.asfreq('D'), when none are missing); or "
            "number the rows with y.reset_index(drop=True). In a "
            "cross-validation, split with TimeSeriesSplit: a shuffled KFold "
            "trains on scattered time points."
        )

    def _same_zone(self, index):
        """``index`` in the time zone of the training index, or a clear error."""
        fitted_tz = self.index.tz
        if fitted_tz is None and index.tz is None:
            return index
        if fitted_tz is not None and index.tz is not None:
            return index.tz_convert(fitted_tz)  # the same instants
        if fitted_tz is not None:
            raise ValueError(
                "X's DatetimeIndex has no time zone, but the model was fitted "
                f"on times in {fitted_tz}. Say which zone X's times are in, "
                f"e.g. X.index = X.index.tz_localize('{fitted_tz}')."
            )
        raise ValueError(
            f"X's DatetimeIndex is in the time zone {index.tz}, but the model "
            "was fitted on times without a time zone. Convert X's times to "
            "the zone of the training data and drop the zone, e.g. "
            f"X.index = X.index.tz_convert('<zone of y>').tz_localize(None)."
        )

    @property
    def has_time(self):
        return self.index is not None

    @property
    def regular(self):
        """False for a DatetimeIndex whose frequency could not be inferred."""
        return not (isinstance(self.index, pd.DatetimeIndex) and self.freq is None)

    def row_numbers(self, steps):
        """Row numbers of the ``steps`` rows after the training data."""
        start = 0 if self.index is None else len(self.index)
        return pd.RangeIndex(start, start + steps)

    @property
    def last(self):
        return self.index[-1]

    def positions(self, index):
        """1-based positions of ``index`` after the training end (1 = next)."""
        if self.index is None or index is None:
            raise ValueError("positions need a time index on both sides")
        if type(index) is not type(self.index) and not (
            pd.api.types.is_integer_dtype(index.dtype)
            and pd.api.types.is_integer_dtype(self.index.dtype)
        ):
            raise TypeError(
                f"X has a {type(index).__name__}, but the model was fitted on a "
                f"{type(self.index).__name__}. Give X the same kind of index as y."
            )
        if isinstance(self.index, pd.PeriodIndex):
            if index.freq != self.freq:
                raise ValueError(
                    f"X's PeriodIndex has frequency {index.freqstr}, but the "
                    f"model was fitted at {self.index.freqstr}."
                )
            # Ordinals count the base unit: "2M" periods are 2 apart.
            offset = index.asi8 - self.last.ordinal
            if (offset % self.freq.n).any():
                raise ValueError(
                    f"X's PeriodIndex is not on the series' periods ({self.freq})."
                )
            pos = offset // self.freq.n
        elif isinstance(self.index, pd.DatetimeIndex):
            if self.freq is None:
                raise ValueError(
                    self.irregular_message("the rows of X cannot be placed in time")
                    + " To mean the rows right after the training data, pass X "
                    "without an index instead (a NumPy array, e.g. "
                    "np.empty((n_rows, 0)) without regressors)."
                )
            index = self._same_zone(index)
            # Rows at or before the end stay at position 0 (refused by the caller).
            pos = np.zeros(len(index), dtype=np.int64)
            after = np.asarray(index > self.last)
            if after.any():
                grid = pd.date_range(self.last, index[after].max(), freq=self.freq)
                pos[after] = grid.get_indexer(index[after])
                if (pos[after] == -1).any():
                    bad = index[after][pos[after] == -1][0]
                    raise ValueError(
                        f"X has a time point ({bad}) that is not on the series' "
                        f"frequency ({self.freq}) after its end ({self.last})."
                    )
        else:
            offset = np.asarray(index) - self.last
            if (offset % self.step).any():
                raise ValueError(
                    f"X's integer index is not on the series' step ({self.step})."
                )
            pos = offset // self.step
        return np.asarray(pos, dtype=np.int64)

    def future(self, steps):
        """The index of the ``steps`` time points after the training end."""
        if self.index is None:
            return None
        name = self.index.name
        if isinstance(self.index, pd.PeriodIndex):
            return pd.period_range(
                self.last + 1, periods=steps, freq=self.freq, name=name
            )
        if isinstance(self.index, pd.DatetimeIndex):
            if self.freq is None:
                raise ValueError(
                    self.irregular_message("the future time points are unknown")
                    + " To forecast the next steps by position, use "
                    "predict(np.empty((steps, 0))), whose output is numbered "
                    "by row."
                )
            return pd.date_range(
                self.last, periods=steps + 1, freq=self.freq, name=name
            )[1:]
        start = self.last + self.step
        return pd.RangeIndex(start, start + steps * self.step, self.step, name=name)
