"""Read one column of a CSV file as an evenly spaced series (the CLI's reader).

The rows of the file may be in any order: they are sorted by their dates, the
values with them. Dates may be ISO dates, month names (``Jan 1950``),
quarters (``1959Q1``), integer years (``1871``), ``YYYYMMDD`` integers, or any
format given as ``date_format``. Day-first and month-first dates that both
fit the file are refused as ambiguous instead of guessed.
"""

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..forecasting._time import infer_freq

# Every number exactly as written: before pandas 3.1 the default parser could
# be off in the last bit; 3.1 parses exactly and deprecates the option.
_PANDAS_VERSION = tuple(map(int, re.match(r"(\d+)\.(\d+)", pd.__version__).groups()))
_EXACT_NUMBERS = {} if _PANDAS_VERSION >= (3, 1) else {"float_precision": "round_trip"}

__all__ = ["FILL_METHODS", "read_csv_series"]

FILL_METHODS = ("interpolate", "ffill")

# How the arguments are called in messages: Python names, or CLI options.
_PYTHON_NAMES = {
    "target": "`target`",
    "date_column": "`date_column`",
    "date_format": "`date_format`",
    "fill": "`fill`",
}
_YEARS = re.compile(r"^\d{1,4}(\.0*)?$")
_YYYYMMDD = re.compile(r"^\d{8}$")
_INTEGERS = re.compile(r"^-?\d+(\.0*)?$")
_QUARTER_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*[Qq]([1-4])$")
_QUARTER_LAST = re.compile(r"^[Qq]([1-4])\s*[-/ ]?\s*(\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})$")
# Formats tried before pandas' own inference, which warns on the console for
# some of them (month names) and parses element by element.
_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%Y/%m", "%b %Y", "%B %Y", "%b-%Y")


class _DateError(ValueError):
    """A date that cannot be read: its row position and what is wrong."""

    def __init__(self, row, reason):
        super().__init__(reason)
        self.row = row


def read_csv_series(path, target, *, date_column=None, date_format=None, fill=None):
    """Read one column of a CSV file as a float series on an even time index.

    This is how ``skrnn compare`` reads its CSV file, for use from Python.
    The rows may be in any order: with ``date_column`` they are sorted by
    date, each value staying with its date.

    Parameters
    ----------
    path : str or path-like
        The CSV file, with a header row and one row per time point.

    target : str
        The column holding the series (numbers; empty cells are missing
        values).

    date_column : str, default=None
        The column of dates. Integer years (1871, 1872, ...) and quarters
        (``1959Q1``) become a yearly or quarterly ``PeriodIndex``; other dates
        (ISO ``2024-01-31``, ``Jan 1950``, ``20240131``, ...) a
        ``DatetimeIndex`` whose frequency is inferred. Day-first and
        month-first dates (``01/02/1950``) are read when only one order fits
        every row and refused as ambiguous otherwise: give ``date_format``.
        None numbers the rows 0, 1, ... (a ``RangeIndex``).

    date_format : str, default=None
        The ``strftime`` format of the dates, e.g. ``"%d/%m/%Y"``; every date
        must match it. None infers the format.

    fill : {"interpolate", "ffill"}, default=None
        How to fill missing values of ``target`` and missing time points (dates
        absent from the file between the first and the last):
        ``"interpolate"`` draws a straight line between the neighbouring
        values, ``"ffill"`` repeats the last value. None refuses a series with
        missing values or time points, naming the first one. Missing values
        before the first value cannot be filled and are refused either way.

    Returns
    -------
    y : pandas.Series
        Float values named ``target``, in time order, on a ``PeriodIndex``,
        a ``DatetimeIndex`` with a frequency, or a ``RangeIndex``.

    Raises
    ------
    ValueError
        For a missing file or column, a non-numeric value, a date that cannot
        be read or is ambiguous, repeated dates, dates that are not evenly
        spaced, or missing values without ``fill``; the message names the
        line of the file and the fix.

    See Also
    --------
    skrnn.compare : Compare forecasters on the series.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skrnn.datasets import read_csv_series
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "y.csv").write_text("year,y\\n1873,3\\n1871,1\\n1872,2\\n")
    >>> read_csv_series(folder / "y.csv", "y", date_column="year")
    year
    1871    1.0
    1872    2.0
    1873    3.0
    Freq: Y-DEC, Name: y, dtype: float64
    """
    y, _ = _read(path, target, date_column, date_format, fill, _PYTHON_NAMES)
    return y


def _read(path, target, date_column, date_format, fill, names):
    """:func:`read_csv_series` with the argument names used in messages.

    Returns the series and notes on what was done to it (sorted, filled), for
    the report.
    """
    path = Path(path)
    if fill is not None and fill not in FILL_METHODS:
        raise ValueError(
            f"{names['fill']} must be one of {', '.join(FILL_METHODS)} or None. "
            f"Got {fill!r} instead."
        )
    if not path.is_file():
        raise ValueError(f"{path}: no such file. Check the path.")
    try:
        frame = pd.read_csv(path, **_EXACT_NUMBERS)
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser errors too
        raise ValueError(f"{path}: cannot be read as CSV ({exc}).") from exc
    columns = ", ".join(map(str, frame.columns))
    for key, column in [("target", target), ("date_column", date_column)]:
        if column is not None and column not in frame.columns:
            raise ValueError(
                f"{names[key]} {column!r}: no such column in {path.name}. Its "
                f"columns are: {columns}."
            )
    values = _numbers(frame[target], names["target"], target, path.name)
    if values.isna().any() and fill is None:
        row = int(values.isna().to_numpy().argmax())
        raise ValueError(
            f"{names['target']} {target!r} has {int(values.isna().sum())} empty "
            f"values (first on line {row + 2} of {path.name}). Fill them with "
            f"{names['fill']} interpolate or {names['fill']} ffill, or in the file."
        )
    notes = []
    n_missing = int(values.isna().sum())
    if date_column is None:
        y = pd.Series(values.to_numpy(dtype=np.float64), name=target)
    else:
        label = f"{names['date_column']} {date_column!r}"
        try:
            index = _dates(frame[date_column], date_format, names)
        except _DateError as exc:
            raise ValueError(
                f"{label}: line {exc.row + 2} of {path.name} {exc}"
            ) from None
        y = pd.Series(values.to_numpy(dtype=np.float64), index=index, name=target)
        # The values travel with their dates (a stable sort keeps file order
        # among equal dates, refused just below).
        order = np.argsort(index.asi8, kind="stable")
        if (np.diff(order) < 0).any():
            notes.append(f"rows sorted by {date_column} (the file was not in order)")
        y = y.iloc[order]
        if y.index.has_duplicates:
            raise ValueError(
                f"{label} repeats the date "
                f"{_when(y.index[y.index.duplicated()][0])}. Give one row per time "
                "point (aggregate duplicates first)."
            )
        n_rows = len(y)
        y = _regular(y, label, fill, names)
        y.index.name = date_column
        if len(y) > n_rows:
            notes.append(f"{len(y) - n_rows} missing time points added ({fill})")
    if fill is not None and y.isna().any():
        y = _fill(y, fill, names, target)
        if n_missing:
            notes.append(f"{n_missing} empty values of {target} filled ({fill})")
    return y, notes


def _numbers(raw, option, target, filename):
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise ValueError(
            f"{option} {target!r} must hold numbers, but line {row + 2} of "
            f"{filename} holds {raw.iloc[row]!r}. Pick a numeric column or fix "
            "the file."
        )
    return values.astype(np.float64)


def _dates(column, date_format, names):
    """The dates of ``column`` as a PeriodIndex or DatetimeIndex, in file order."""
    empty = column.isna()
    if empty.any():
        raise _DateError(int(empty.to_numpy().argmax()), "has no date.")
    text = column.astype(str).str.strip()
    if date_format is not None:
        return _strptime(text, date_format, names, given=True)
    if text.str.fullmatch(_YEARS).all():
        years = text.astype(float).astype(np.int64).to_numpy()
        return pd.PeriodIndex.from_ordinals(years - 1970, freq="Y")
    if text.str.fullmatch(_YYYYMMDD).all():
        return _strptime(text, "%Y%m%d", names, given=False)
    if text.str.fullmatch(_INTEGERS).all():
        raise _DateError(
            0,
            f"holds {text.iloc[0]!r}: integers that are neither years (1871) nor "
            f"YYYYMMDD dates. Give their format with {names['date_format']}, or "
            f"leave out {names['date_column']} to number the rows.",
        )
    quarters = _quarters(text)
    if quarters is not None:
        return quarters
    day_month = text.str.extract(_DAY_MONTH)
    if day_month.notna().all(axis=None):
        return _day_or_month_first(text, day_month, names)
    for form in _FORMATS:
        parsed = pd.to_datetime(text, format=form, errors="coerce")
        if parsed.notna().all():
            return pd.DatetimeIndex(parsed)
    with warnings.catch_warnings():
        # "Could not infer format": every date is then parsed on its own,
        # and checked below like any other.
        warnings.simplefilter("ignore", UserWarning)
        try:
            parsed = pd.to_datetime(text, errors="coerce")
        except (ValueError, TypeError) as exc:  # e.g. mixed time zones
            raise _DateError(
                0,
                f"starts dates that cannot be read together ({exc}). Give "
                f"{names['date_format']}.",
            ) from exc
    failed = parsed.isna()
    if failed.any():
        row = int(failed.to_numpy().argmax())
        raise _DateError(
            row,
            f"holds {text.iloc[row]!r}, which is not a date (or not in the format "
            f"of line 2, {text.iloc[0]!r}). Use ISO dates such as 2024-01-31, give "
            f"the format with {names['date_format']} (e.g. '%d/%m/%Y'), or leave "
            f"out {names['date_column']} to number the rows.",
        )
    return pd.DatetimeIndex(parsed)


def _strptime(text, date_format, names, *, given):
    try:
        parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    except ValueError as exc:  # a format pandas refuses
        raise _DateError(
            0, f"cannot be read with {names['date_format']} {date_format!r}: {exc}."
        ) from exc
    failed = parsed.isna()
    if failed.any():
        row = int(failed.to_numpy().argmax())
        fix = (
            f"Fix the date or {names['date_format']}."
            if given
            else f"Give the format with {names['date_format']}."
        )
        raise _DateError(
            row,
            f"holds {text.iloc[row]!r}, which does not match {date_format!r}. {fix}",
        )
    return pd.DatetimeIndex(parsed)


def _quarters(text):
    """Quarter labels (1959Q1, 1959-Q1, Q1 1959) as a quarterly PeriodIndex."""
    for pattern, year, quarter in [(_QUARTER_FIRST, 0, 1), (_QUARTER_LAST, 1, 0)]:
        parts = text.str.extract(pattern)
        if parts.notna().all(axis=None):
            years = parts[year].astype(np.int64).to_numpy()
            numbers = parts[quarter].astype(np.int64).to_numpy()
            return pd.PeriodIndex.from_ordinals(
                (years - 1970) * 4 + numbers - 1, freq="Q"
            )
    return None


def _day_or_month_first(text, parts, names):
    """Dates like 01/02/1950: the one order that fits every row, else refused."""
    sep = parts[1].iloc[0]
    year = "%Y" if len(parts[3].iloc[0]) == 4 else "%y"
    formats = {
        "day-first": f"%d{sep}%m{sep}{year}",
        "month-first": f"%m{sep}%d{sep}{year}",
    }
    parsed = {
        order: pd.to_datetime(text, format=form, errors="coerce")
        for order, form in formats.items()
    }
    fits = [order for order, dates in parsed.items() if dates.notna().all()]
    if len(fits) == 2 and not parsed["day-first"].equals(parsed["month-first"]):
        row = int((parsed["day-first"] != parsed["month-first"]).to_numpy().argmax())
        day, month = parsed["day-first"].iloc[row], parsed["month-first"].iloc[row]
        raise _DateError(
            row,
            f"holds {text.iloc[row]!r}, an ambiguous date: day-first it is "
            f"{day:%d %B %Y}, month-first {month:%d %B %Y}, and every date of the "
            f"file can be read either way. Say which with {names['date_format']} "
            f"'{formats['day-first']}' or {names['date_format']} "
            f"'{formats['month-first']}'.",
        )
    if not fits:
        failed = parsed["day-first"].isna() & parsed["month-first"].isna()
        row = int(failed.to_numpy().argmax()) if failed.any() else 0
        raise _DateError(
            row,
            f"holds {text.iloc[row]!r}, which is not a date (neither day-first nor "
            "month-first), or the file mixes both orders. Fix the date, or give "
            f"the format with {names['date_format']}.",
        )
    return pd.DatetimeIndex(parsed[fits[0]])


def _likely_freq(index):
    """The frequency of most runs of three consecutive dates, or None.

    For dates with gaps, where no frequency fits the whole index.
    """
    starts = np.unique(np.linspace(0, len(index) - 3, num=min(len(index) - 2, 200)))
    counts = {}
    for start in starts.astype(int):
        freq = infer_freq(index[start : start + 3])
        if freq is not None:
            counts[freq] = counts.get(freq, 0) + 1
    if counts:
        return max(counts, key=counts.get)
    # No three evenly spaced dates in a row: the smallest step, if fixed-size.
    step = pd.Series(index[1:] - index[:-1]).min()
    if step <= pd.Timedelta(0):
        return None
    if step % pd.Timedelta(days=1) == pd.Timedelta(0):
        return f"{step.days}D"
    return pd.tseries.frequencies.to_offset(step).freqstr


def _when(value):
    """A time point for a message: midnight timestamps as plain dates."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.strftime("%Y-%m-%d")
    return str(value)


def _regular(y, label, fill, names):
    """``y`` on an evenly spaced index: checked, and its gaps filled with NaN."""
    index = y.index
    if isinstance(index, pd.PeriodIndex):
        grid = pd.period_range(index[0], index[-1], freq=index.freq)
        if len(grid) == len(index):
            return pd.Series(y.to_numpy(), index=grid, name=y.name)
    else:
        if len(index) < 3:
            raise ValueError(
                f"{label}: {len(index)} dates are too few to infer their frequency; "
                "give at least 3 rows."
            )
        freq = infer_freq(index)
        if freq is not None:
            return pd.Series(
                y.to_numpy(), index=pd.DatetimeIndex(index, freq=freq), name=y.name
            )
        freq = _likely_freq(index)
        grid = None if freq is None else pd.date_range(index[0], index[-1], freq=freq)
        if grid is None or not index.isin(grid).all():
            off = index if grid is None else index[~index.isin(grid)]
            raise ValueError(
                f"{label}: the dates are not evenly spaced (e.g. {_when(off[0])}), "
                "so no frequency fits them. Check that they are read as meant "
                f"(day-first dates need {names['date_format']} '%d/%m/%Y'), or "
                f"leave out {names['date_column']} to number the rows."
            )
    missing = grid.difference(index)
    if fill is None:
        raise ValueError(
            f"{label}: {len(missing)} time points are missing (first: "
            f"{_when(missing[0])}) between {_when(index[0])} and "
            f"{_when(index[-1])} at frequency {grid.freqstr}. Fill them with "
            f"{names['fill']} interpolate or {names['fill']} ffill, or add the "
            "rows to the file."
        )
    return y.reindex(grid)


def _fill(y, fill, names, target):
    if np.isnan(y.iloc[0]):
        raise ValueError(
            f"{names['target']} {target!r} is missing at the start "
            f"({_when(y.index[0])}), "
            f"where {names['fill']} {fill} has no earlier value to fill from. "
            "Remove the leading rows without a value."
        )
    return y.interpolate(method="linear") if fill == "interpolate" else y.ffill()
