"""Read one column of a CSV file as an evenly spaced series (the CLI's reader).

The rows of the file may be in any order: they are sorted by their dates, the
values with them. Dates may be ISO dates, month names (``Jan 1950``),
quarters (``1959Q1``), integer years (``1871``), ``YYYYMMDD`` integers, or any
format given as ``date_format``. Day-first and month-first dates that both
fit the file, and dates without a four-digit year, are refused instead of
guessed.
"""

import csv
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

__all__ = ["FILL_METHODS", "read_csv_panel", "read_csv_series"]

FILL_METHODS = ("interpolate", "ffill")

# How the arguments are called in messages: Python names, or CLI options.
_PYTHON_NAMES = {
    "target": "`target`",
    "date_column": "`date_column`",
    "date_format": "`date_format`",
    "fill": "`fill`",
    "exog": "`exog`",
    "id_column": "`id_column`",
}
# Years of three or four digits: one or two are ambiguous (95 for 1995, or
# row numbers), refused with the integers below.
_YEARS = re.compile(r"^\d{3,4}(\.0*)?$")
_YYYYMMDD = re.compile(r"^\d{8}$")
_INTEGERS = re.compile(r"^-?\d+(\.0*)?$")
_QUARTER_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*[Qq]([1-4])$")
_QUARTER_LAST = re.compile(r"^[Qq]([1-4])\s*[-/ ]?\s*(\d{4})$")
_DAY_MONTH = re.compile(
    r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$"  # a time of day
)
_FOUR_DIGITS = re.compile(r"\d{4}")
_YEAR_DOT_DIGIT = re.compile(r"\d{4}\.\d")
_UTC_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
# Formats tried before pandas' own inference, which warns on the console for
# some of them (month names) and parses element by element.
_FORMATS = (
    "%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%Y/%m", "%Y.%m", "%b %Y", "%B %Y", "%b-%Y",
)  # fmt: skip


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
        values, and those before its first value and after its last are left
        out).

    date_column : str, default=None
        The column of dates. Integer years of three or four digits (1871,
        1872, ...) and quarters (``1959Q1``) become a yearly or quarterly
        ``PeriodIndex``; other dates (ISO ``2024-01-31``, ``2024.01``,
        ``Jan 1950``, ``20240131``, ...) a ``DatetimeIndex`` whose frequency is
        inferred. Day-first and month-first dates (``01/02/1950``, with or
        without a time of day) are read when only one order fits every row
        and refused as ambiguous otherwise; dates without a four-digit year
        (``95``, ``Jan-16``, ``13/01/50``) and a year with one digit after
        the dot (``1990.1``: a quarter or a month?) are refused too: give
        ``date_format``. Times whose UTC offset changes (daylight saving)
        are converted to UTC, or keep their local dates when all are at one
        time of day (daily data). The column cannot also be ``target``.
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
        A line reads the value after its gap: before :func:`~skrnn.compare`,
        a gap just before a fold's test points fills training points from
        them; ``"ffill"`` does not (the command line forward-fills such
        gaps itself).

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


def read_csv_panel(
    path,
    target,
    *,
    id_column=None,
    date_column=None,
    date_format=None,
    fill=None,
    exog=None,
):
    """Read several series (a panel) of a CSV file as one wide DataFrame.

    This is how ``skrnn compare --target a,b,c`` (wide layout) and ``skrnn
    compare --id-column store --target sales`` (long layout) read their file,
    for use from Python. Dates are read as by :func:`read_csv_series`.

    Parameters
    ----------
    path : str or path-like
        The CSV file, with a header row.

    target : str or list of str
        Without ``id_column`` (wide layout: one row per time point), the
        columns holding the series, one series each. With ``id_column`` (long
        layout: one row per series and time point), the one column holding
        the values.

    id_column : str, default=None
        The column naming the series of each row (long layout); its values,
        read as text as written (``001`` and ``1`` are two series), name the
        columns of the panel, integers among them in numeric order. Needs
        ``date_column``.

    date_column : str, default=None
        The column of dates, read as by :func:`read_csv_series`. The rows may
        be in any order: they are sorted by date (within each series in the
        long layout). None numbers the rows 0, 1, ... (wide layout only).

    date_format : str, default=None
        The ``strftime`` format of the dates; None infers it.

    fill : {"interpolate", "ffill"}, default=None
        How to fill the gaps of a series: empty values and missing time points
        between its first and its last value. None refuses them, naming the
        first. Empty values before a series starts and after it ends are not
        gaps: they stay NaN. As in :func:`read_csv_series`, ``"interpolate"``
        reads the value after a gap.

    exog : str or list of str, default=None
        Columns of exogenous regressors, returned as ``X`` on the time index
        of the panel. They may have no gap at all (or ``fill`` fills them). In
        the long layout they are shared by the series: every row of a date
        must hold the same value.

    Returns
    -------
    y : pandas.DataFrame of shape (n_timesteps, n_series)
        Float values, one column per series (named by ``target`` or the ids),
        NaN before each series starts and after it ends, on a ``PeriodIndex``,
        a ``DatetimeIndex`` with a frequency or a ``RangeIndex`` running from
        the first start to the last end.

    X : pandas.DataFrame of shape (n_timesteps, n_exog) or None
        The ``exog`` columns on the index of ``y``; None without ``exog``.

    Raises
    ------
    ValueError
        For a missing file or column, a non-numeric value, a column used
        twice, a date that cannot be read, dates not evenly spaced, a series
        with no value or with gaps without ``fill``, and, in the long layout,
        a series with two rows at one date or an exogenous column whose value
        differs between the series at one date; the message names the column,
        the line of the file and the fix.

    See Also
    --------
    read_csv_series : Read one series.
    skrnn.forecasting.from_long : Turn a long table into a wide panel.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skrnn.datasets import read_csv_panel
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "wide.csv").write_text(
    ...     "year,a,b,price\\n1871,1,,5\\n1872,2,20,6\\n1873,3,30,7\\n1874,,40,8\\n"
    ... )
    >>> y, X = read_csv_panel(
    ...     folder / "wide.csv", ["a", "b"], date_column="year", exog=["price"]
    ... )
    >>> y
            a     b
    year
    1871  1.0   NaN
    1872  2.0  20.0
    1873  3.0  30.0
    1874  NaN  40.0
    >>> X["price"].tolist()
    [5.0, 6.0, 7.0, 8.0]

    The same panel in the long layout, one row per series and year:

    >>> _ = (folder / "long.csv").write_text(
    ...     "name,year,value\\nb,1872,20\\na,1871,1\\na,1872,2\\nb,1873,30\\n"
    ...     "a,1873,3\\nb,1874,40\\n"
    ... )
    >>> y, X = read_csv_panel(
    ...     folder / "long.csv", "value", id_column="name", date_column="year"
    ... )
    >>> y
            a     b
    year
    1871  1.0   NaN
    1872  2.0  20.0
    1873  3.0  30.0
    1874  NaN  40.0
    >>> X is None
    True
    """
    targets = [target] if isinstance(target, str) else list(target)
    if isinstance(exog, str):  # one column, not its letters
        exog = [exog]
    y, X, _ = _read_panel(
        path,
        targets,
        id_column,
        date_column,
        date_format,
        fill,
        exog,
        _PYTHON_NAMES,
    )
    return y, X


def _read_panel(
    path, targets, id_column, date_column, date_format, fill, exog, names, holdout=None
):
    """:func:`read_csv_panel` with the argument names used in messages.

    Returns the panel, the exogenous columns (or None) and notes on what was
    done (sorted, filled), for the report. ``holdout`` as in :func:`_read`.
    """
    path = Path(path)
    frame = _load(path, fill, names, text_columns=[date_column, id_column])
    exog = list(exog or [])
    if not targets:
        raise ValueError(f"{names['target']} must name at least one column.")
    if len(set(targets)) != len(targets):
        twice = next(c for c in targets if targets.count(c) > 1)
        raise ValueError(f"{names['target']} lists {twice!r} twice. List it once.")
    if id_column is not None:
        if len(targets) != 1:
            raise ValueError(
                f"With {names['id_column']} (one row per series and date), "
                f"{names['target']} is the one column of values. Got "
                f"{len(targets)} columns ({', '.join(targets)}) instead."
            )
        if date_column is None:
            raise ValueError(
                f"{names['id_column']} needs {names['date_column']}: the dates "
                "line the series up in time."
            )
    _check_columns(
        frame,
        path,
        names,
        [("target", column) for column in targets]
        + [("date_column", date_column), ("id_column", id_column)]
        + [("exog", column) for column in exog],
    )
    used = {column: "target" for column in targets}
    for key, column in [("date_column", date_column), ("id_column", id_column)]:
        if column is not None and column in used:
            raise ValueError(
                f"{names[key]} {column!r} is also {names[used[column]]}. Give "
                "each column one role."
            )
        used[column] = key
    _check_exog_roles(
        exog, targets, names, date_column=date_column, id_column=id_column
    )
    values = {
        column: _numbers(frame[column], names[key], column, path.name)
        for column, key in [(c, "target") for c in targets]
        + [(c, "exog") for c in exog]
    }
    lines = pd.Series(np.arange(len(frame)) + 2.0)  # line of each row in the file
    notes = []
    if id_column is None:
        table = pd.DataFrame({column: values[column] for column in targets})
        X = pd.DataFrame({column: values[column] for column in exog})
        lines = pd.DataFrame(dict.fromkeys(targets, lines))
        label = None
        if date_column is not None:
            label = f"{names['date_column']} {date_column!r}"
            index = _parsed_dates(frame[date_column], date_format, names, label, path)
            order = np.argsort(index.asi8, kind="stable")
            if (np.diff(order) < 0).any():
                notes.append(
                    f"rows sorted by {date_column} (the file was not in order)"
                )
            table, X, lines = (
                part.set_axis(index).iloc[order] for part in (table, X, lines)
            )
            if table.index.has_duplicates:
                raise ValueError(_repeated_date_message(label, table.index))
    else:
        label = f"{names['date_column']} {date_column!r}"
        table, X, lines, sorted_note = _long_to_wide(
            frame, targets[0], id_column, date_column, date_format, values, exog,
            lines, names, label, path,
        )  # fmt: skip
        if sorted_note:
            notes.append(sorted_note)
    if date_column is not None:
        table = _regular(table, label, fill, names, refuse_missing=False)
        X, lines = X.reindex(table.index), lines.reindex(table.index)
        for part in (table, X, lines):
            part.index.name = date_column
    table, X, gaps = _trim_and_check_gaps(table, X, lines, fill, names, label, path)
    if fill is not None and gaps.any(axis=None):
        # Empty cells of the file, and time points without a row of the series.
        empty, absent = gaps & lines.notna(), gaps & lines.isna()
        forward = []
        for column in table.columns:
            if gaps[column].any():
                table[column] = (
                    _interpolate(table[column], holdout, forward, "inside")
                    if fill == "interpolate"
                    else table[column].ffill(limit_area="inside")
                )
        for count, what in [(absent, "missing time points"), (empty, "empty values")]:
            if count.any(axis=None):
                notes.append(
                    f"{int(count.sum().sum())} {what} inside the series filled ({fill})"
                )
        notes.extend(forward)
    if exog:
        X = _checked_exog(X, fill, names, lines, path, notes)
    return table, (X if exog else None), notes


def _check_common_end(table, names):
    """With regressors every series must end on the last date: a series'
    rows after its end would be both known and forecast (the command line
    refuses this when reading; ``read_csv_panel`` leaves it to the caller)."""
    ends = table.apply(lambda column: column.last_valid_index())
    early = ends[ends != table.index[-1]]
    if len(early):
        column, end = early.index[0], early.iloc[0]
        raise ValueError(
            f"{names['exog']} needs every series to end on the same date, but "
            f"series {column!r} ends on {_when(end)}, before "
            f"{_when(table.index[-1])}. Cut every series at {_when(end)} (or "
            f"remove series {column!r}) in the file, or leave out "
            f"{names['exog']}."
        )


def _long_to_wide(
    frame, target, id_column, date_column, date_format, values, exog, lines, names,
    label, path,
):  # fmt: skip
    """The long layout as a wide table, the exogenous columns per date, and
    the file line of each cell."""
    from ..forecasting import from_long

    ids = frame[id_column]
    if ids.isna().any():
        row = int(ids.isna().to_numpy().argmax())
        raise ValueError(
            f"{names['id_column']} {id_column!r}: line {row + 2} of {path.name} "
            "has no series id. Fill it in or remove the row."
        )
    index = _parsed_dates(frame[date_column], date_format, names, label, path)
    long = pd.DataFrame(
        {id_column: ids.to_numpy(), date_column: index, "_line": lines.to_numpy()}
    )
    repeated = long.duplicated([id_column, date_column], keep=False)
    if repeated.any():
        first = long[repeated].iloc[0]
        same = long[
            repeated
            & (long[id_column] == first[id_column])
            & (long[date_column] == first[date_column])
        ]["_line"].astype(int)
        raise ValueError(
            f"{names['id_column']} {id_column!r}: series {first[id_column]!r} has "
            f"several rows at {_when(first[date_column])} (lines "
            f"{', '.join(map(str, same))} of {path.name}). Give one row per series "
            "and date (aggregate duplicates first)."
        )
    # Sorted per series: each series' dates are compared in file order.
    steps = pd.Series(index.asi8).groupby(ids.to_numpy(), sort=False).diff()
    note = None
    if (steps < 0).any():
        note = (
            f"rows sorted by {date_column} within each {id_column} (the file was "
            "not in order)"
        )
    long[target] = values[target].to_numpy()
    table = from_long(long, id=id_column, time=date_column, value=target)
    cell_lines = from_long(long, id=id_column, time=date_column, value="_line")
    # Ids are text as written (001 stays 001); numbers among them in numeric
    # order (2 before 10).
    table = table[sorted(table.columns, key=_id_order)]
    _check_one_frequency(table, cell_lines, label)
    X = pd.DataFrame(index=table.index)
    for column in exog:
        per_date = pd.Series(values[column].to_numpy(), index=index)
        counts = per_date.groupby(level=0).nunique()
        if (counts > 1).any():
            when = counts.index[(counts > 1).to_numpy()][0]
            shown = per_date[per_date.index == when].dropna().unique()[:2]
            raise ValueError(
                f"{names['exog']} {column!r} holds {shown[0]:g} and {shown[1]:g} "
                f"at {_when(when)}: an exogenous regressor of the long layout is "
                "shared by the series, one value per date. Give the same value "
                f"on every row of a date, or leave {column!r} out of "
                f"{names['exog']}."
            )
        X[column] = per_date.groupby(level=0).first().reindex(table.index)
    return table, X, cell_lines.reindex(columns=table.columns), note


def _check_one_frequency(table, cell_lines, label):
    """Refuse series of a long file dated at different frequencies (month
    starts against month ends, months against quarters): their union has
    none, and filling it would turn them into daily series."""
    if not isinstance(table.index, pd.DatetimeIndex):
        return
    freqs = {}
    for column in table.columns:
        dates = table.index[cell_lines[column].notna().to_numpy()]
        freq = infer_freq(dates) if len(dates) >= 3 else None
        if freq is not None:  # series with gaps are checked on the union
            freqs.setdefault(freq, column)
    if len(freqs) > 1:
        (freq_a, a), (freq_b, b) = list(freqs.items())[:2]
        raise ValueError(
            f"{label}: series {a!r} is dated at frequency {freq_a} and series "
            f"{b!r} at {freq_b}. The series of one comparison need one "
            "frequency on one grid: give their dates the same frequency and "
            "anchor in the file (e.g. all on the first of the month), or "
            "compare them separately, one file per frequency."
        )


def _id_order(series_id):
    """Sort key of a series id: integers by value, before the other ids."""
    return (0, int(series_id), series_id) if series_id.isdigit() else (1, 0, series_id)


def _trim_and_check_gaps(table, X, lines, fill, names, label, path):
    """The table from the first start to the last end, and where its series
    have gaps (empty values or missing time points between their first and
    last value), refused without ``fill``."""
    observed = table.notna()
    for column in table.columns:
        if not observed[column].any():
            raise ValueError(
                f"Series {column!r} has no values in {path.name}. Give it values "
                f"or leave it out of {names['target']}."
            )
    any_value = observed.any(axis=1).to_numpy()
    first, last = (
        int(any_value.argmax()),
        len(any_value) - int(any_value[::-1].argmax()),
    )
    table, X, lines, observed = (
        part.iloc[first:last] for part in (table, X, lines, observed)
    )
    started = observed.cummax()
    not_ended = observed.iloc[::-1].cummax().iloc[::-1]
    gaps = started & not_ended & ~observed
    if fill is None and gaps.any(axis=None):
        empty = gaps & lines.notna()
        if empty.any(axis=None):
            column = next(c for c in table.columns if empty[c].any())
            at = empty.index[empty[column].to_numpy()]
            line = int(lines.loc[at[0], column])
            raise ValueError(
                f"{names['target']} {column!r} has {len(at)} empty values inside "
                f"the series (first on line {line} of {path.name}). Fill them with "
                f"{names['fill']} interpolate or {names['fill']} ffill, or in the "
                "file (empty values before a series starts or after it ends are "
                "fine)."
            )
        # No empty cell: time points without a row (of the series, or at all).
        column = next(c for c in table.columns if gaps[c].any())
        at = gaps.index[gaps[column].to_numpy()]
        span = table.index[observed[column].to_numpy()]
        raise ValueError(
            _missing_message(
                label, at, span, table.index, names,
                within=f" inside series {column!r}",
            )
        )  # fmt: skip
    return table, X, gaps


def _checked_exog(X, fill, names, lines, path, notes):
    """The exogenous columns without a gap: refused, or filled with ``fill``."""
    for column in X.columns:
        empty = X[column].isna()
        if not empty.any():
            continue
        if fill is None:
            when = X.index[empty.to_numpy()][0]
            file_lines = lines.loc[when].dropna()
            where = (
                f"line {int(file_lines.iloc[0])} of {path.name}"
                if len(file_lines)
                else "a time point missing from the file"
            )
            raise ValueError(
                f"{names['exog']} {column!r} has {int(empty.sum())} empty values "
                f"(first at {_when(when)}, {where}). Fill them with "
                f"{names['fill']} interpolate or {names['fill']} ffill, or in the "
                "file."
            )
        X[column] = _fill(X[column], fill, names, "exog")
        notes.append(f"{int(empty.sum())} empty values of {column} filled ({fill})")
    return X


def _read(path, target, date_column, date_format, fill, names, exog=None, holdout=None):
    """:func:`read_csv_series` with the argument names used in messages.

    Returns the series and notes on what was done to it (sorted, filled), for
    the report; with ``exog`` (column names), the series, the DataFrame of
    those columns on the same time index, and the notes. ``holdout``
    (horizon, n_splits) keeps the interpolation out of test points: see
    :func:`_interpolate`.
    """
    path = Path(path)
    frame = _load(path, fill, names, text_columns=[date_column])
    exog = list(exog or [])
    _check_columns(
        frame,
        path,
        names,
        [("target", target), ("date_column", date_column)]
        + [("exog", column) for column in exog],
    )
    if date_column is not None and date_column == target:
        raise ValueError(
            f"{names['date_column']} {date_column!r} is also {names['target']}. "
            "Give each column one role."
        )
    _check_exog_roles(exog, [target], names, date_column=date_column)
    keys = {target: "target", **dict.fromkeys(exog, "exog")}
    values = pd.DataFrame(
        {
            column: _numbers(frame[column], names[key], column, path.name)
            for column, key in keys.items()
        }
    )
    if values[target].isna().all():
        raise ValueError(
            f"{names['target']} {target!r} has no values in {path.name}. Pick "
            "a column with numbers or fix the file."
        )
    notes = []
    lines = pd.Series(np.arange(len(values)) + 2)  # the file line of each row
    if date_column is not None:
        label = f"{names['date_column']} {date_column!r}"
        index = _parsed_dates(frame[date_column], date_format, names, label, path)
        values, lines = values.set_axis(index), lines.set_axis(index)
        # The values travel with their dates (a stable sort keeps file order
        # among equal dates, refused just below).
        order = np.argsort(index.asi8, kind="stable")
        if (np.diff(order) < 0).any():
            notes.append(f"rows sorted by {date_column} (the file was not in order)")
        values, lines = values.iloc[order], lines.iloc[order]
        if values.index.has_duplicates:
            raise ValueError(_repeated_date_message(label, values.index))
    # As in a panel, the series runs from its first value to its last: empty
    # cells before and after are no gaps to fill.
    observed = values[target].notna().to_numpy()
    first, last = int(observed.argmax()), len(observed) - int(observed[::-1].argmax())
    if first or last < len(observed):
        notes.append(
            f"{len(observed) - (last - first)} rows with an empty {target} before "
            "its first value or after its last left out"
        )
        values, lines = values.iloc[first:last], lines.iloc[first:last]
    if fill is None:
        for column, key in keys.items():
            if values[column].isna().any():
                raise ValueError(
                    _empty_message(names, key, column, values[column], lines, path)
                )
    n_missing = values.isna().sum()
    if date_column is not None:
        n_rows = len(values)
        values = _regular(values, label, fill, names)
        values.index.name = date_column
        if len(values) > n_rows:
            notes.append(f"{len(values) - n_rows} missing time points added ({fill})")
    if fill is not None:
        for column, key in keys.items():
            if values[column].isna().any():
                # Future regressors are known by assumption; future targets not.
                held, forward = (holdout if key == "target" else None), []
                values[column] = _fill(values[column], fill, names, key, held, forward)
                if n_missing[column]:
                    notes.append(
                        f"{n_missing[column]} empty values of {column} filled ({fill})"
                    )
                notes.extend(forward)
    y = values[target]
    if not exog:
        return y, notes
    return y, values[exog], notes


def _load(path, fill, names, text_columns=()):
    """The CSV file as a DataFrame, after checking ``fill`` and the path.

    ``text_columns`` (dates, ids) are read as written: ``2016.10`` stays a
    month, not the number 2016.1, and the ids ``01`` and ``1`` stay two.
    Column names lose the spaces around them (``date, y``).
    """
    if fill is not None and fill not in FILL_METHODS:
        raise ValueError(
            f"{names['fill']} must be one of {', '.join(FILL_METHODS)} or None. "
            f"Got {fill!r} instead."
        )
    if not path.is_file():
        raise ValueError(f"{path}: no such file. Check the path.")
    text = {column: str for column in text_columns if column is not None}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            # index_col=False: a row with more fields than the header must not
            # turn its first field into the index (pandas' default).
            # The converters go by the names as the header writes them
            # (" month" in "y, month"), which lose their spaces below.
            header = pd.read_csv(path, nrows=0, index_col=False).columns
            raw = {c.strip() if isinstance(c, str) else c: c for c in header}
            frame = pd.read_csv(
                path,
                index_col=False,
                converters={raw.get(c, c): _stripped_text for c in text},
                **_EXACT_NUMBERS,
            )
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser errors too
        raise ValueError(f"{path}: cannot be read as CSV ({exc}).") from exc
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        raise ValueError(_extra_fields_message(path))
    frame = frame.rename(columns=lambda c: c.strip() if isinstance(c, str) else c)
    if len(set(frame.columns)) != len(frame.columns):
        twice = next(c for c in frame.columns if list(frame.columns).count(c) > 1)
        raise ValueError(
            f"{path.name} has two columns named {twice!r} (once the spaces "
            "around the names are removed). Rename one of them."
        )
    if frame.empty:
        raise ValueError(
            f"{path.name} has a header but no rows of data. Check the file."
        )
    return frame


def _stripped_text(value):
    """A text cell as written, without surrounding spaces; None when empty."""
    value = value.strip()
    return value if value else None


def _extra_fields_message(path):
    """Where a row of ``path`` has more non-empty fields than its header."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = csv.reader(file)
        header = next(rows)
        line, row = next(
            (
                (line, row)
                for line, row in enumerate(rows, start=2)
                if any(field.strip() for field in row[len(header) :])
            ),
            (None, None),
        )
    if line is None:  # pandas saw more; the csv module does not agree
        return f"{path.name} has rows with more fields than its header. Check the file."
    return (
        f"Line {line} of {path.name} has {len(row)} fields, but the header has "
        f"{len(header)} ({', '.join(header)}): {row!r}. A number written with "
        'a thousands separator (1,234) must be in quotes ("1,234") or '
        "written without it (1234)."
    )


def _check_columns(frame, path, names, wanted):
    """Refuse a (key, column) of ``wanted`` that the file does not have."""
    columns = ", ".join(map(str, frame.columns))
    for key, column in wanted:
        if column is not None and column not in frame.columns:
            raise ValueError(
                f"{names[key]} {column!r}: no such column in {path.name}. Its "
                f"columns are: {columns}."
            )


def _check_exog_roles(exog, targets, names, *, date_column=None, id_column=None):
    """An exogenous column must be none of the other columns in use."""
    if len(set(exog)) != len(exog):
        twice = next(c for c in exog if exog.count(c) > 1)
        raise ValueError(f"{names['exog']} lists {twice!r} twice. List it once.")
    roles = dict.fromkeys(targets, ("target", "the series to forecast"))
    roles[date_column] = ("date_column", "the dates")
    roles[id_column] = ("id_column", "the series ids")
    for column in exog:
        if column in roles:
            key, what = roles[column]
            raise ValueError(
                f"{names['exog']} {column!r} is also {names[key]} ({what}); an "
                "exogenous regressor must be another column. Remove it from "
                f"{names['exog']}."
            )


def _empty_message(names, key, column, values, lines, path):
    """Empty cells of ``column``; ``lines`` are the file lines of its rows."""
    empty = values.isna().to_numpy()
    line = int(lines.to_numpy()[empty].min())
    return (
        f"{names[key]} {column!r} has {int(empty.sum())} empty "
        f"values (first on line {line} of {path.name}). Fill them with "
        f"{names['fill']} interpolate or {names['fill']} ffill, or in the file."
    )


def _parsed_dates(column, date_format, names, label, path):
    """:func:`_dates`, its errors naming the option and the line of the file."""
    try:
        return _dates(column, date_format, names)
    except _DateError as exc:
        raise ValueError(f"{label}: line {exc.row + 2} of {path.name} {exc}") from None


def _repeated_date_message(label, index):
    return (
        f"{label} repeats the date {_when(index[index.duplicated()][0])}. Give one "
        "row per time point (aggregate duplicates first)."
    )


def _numbers(raw, option, target, filename):
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        # A quoted thousands separator ("1,234"), as the error for an
        # unquoted one asks.
        text = raw.astype("string").str.strip()
        grouped = text.str.fullmatch(_THOUSANDS).fillna(False).to_numpy(bool)
        raw = raw.where(~grouped, text.str.replace(",", "", regex=False))
    values = pd.to_numeric(raw, errors="coerce")
    # "inf" is a number to pandas, not a value to forecast.
    bad = (values.isna() & raw.notna()) | np.isinf(values.astype(np.float64))
    if bad.any():
        row = int(bad.to_numpy().argmax())
        infinite = np.isinf(values.iloc[row])
        raise ValueError(
            f"{option} {target!r} must hold numbers, but line {row + 2} of "
            f"{filename} holds {str(raw.iloc[row])!r}. Pick a numeric column or "
            "fix the file"
            + (" (an infinity is no value to forecast)." if infinite else ".")
        )
    return values.astype(np.float64)


def _refuse_first(bad, text, reason):
    """Refuse the first date where ``bad`` holds: it ``holds '<text>'`` and
    ``reason`` follows."""
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise _DateError(row, f"holds {text.iloc[row]!r}{reason}")


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
            f"holds {text.iloc[0]!r}: integers that are neither years of three "
            "or four digits (1871) nor YYYYMMDD dates. Give their format with "
            f"{names['date_format']} ('%y' for two-digit years: 95 is 1995, 14 "
            f"is 2014), or leave out {names['date_column']} to number the rows.",
        )
    quarters = _quarters(text)
    if quarters is not None:
        return quarters
    day_month = text.str.extract(_DAY_MONTH)
    if day_month[[0, 1, 2, 3]].notna().all(axis=None):
        return _day_or_month_first(text, day_month, names)
    # %Y.%m reads 1990.1 as January, but 1990.1 to 1990.4 are often
    # quarters (and 2016.1 may be October written as a number).
    _refuse_first(
        text.str.fullmatch(_YEAR_DOT_DIGIT),
        text,
        ": a year and one digit, a quarter or a month. Write quarters as "
        "1990Q1 and months as 1990.01 (or 1990-01), or give the format with "
        f"{names['date_format']} (e.g. '%Y.%m' for months).",
    )
    for form in _FORMATS:
        parsed = pd.to_datetime(text, format=form, errors="coerce")
        if parsed.notna().all():
            return pd.DatetimeIndex(parsed)
    with warnings.catch_warnings():
        # "Could not infer format": every date is then parsed on its own,
        # and checked below like any other.
        warnings.simplefilter("ignore", UserWarning)
        try:
            parsed = _to_datetime(text)
        except (ValueError, TypeError) as exc:
            raise _DateError(
                0,
                f"starts dates that cannot be read together ({exc}). Give "
                f"{names['date_format']}.",
            ) from exc
    _refuse_first(
        parsed.isna(),
        text,
        f", which is not a date (or not in the format of line 2, {text.iloc[0]!r}). "
        "Use ISO dates such as 2024-01-31, give the format with "
        f"{names['date_format']} (e.g. '%d/%m/%Y'), or leave out "
        f"{names['date_column']} to number the rows.",
    )
    # pandas would guess the year (Jan-16 becomes 16 January of year 1).
    _refuse_first(
        ~text.str.contains(_FOUR_DIGITS),
        text,
        f", a date without a four-digit year. Give its format with "
        f"{names['date_format']}, e.g. '%b-%y' for Jan-16 (January 2016; %y "
        "reads 69-99 as 1969-1999 and 00-68 as 2000-2068).",
    )
    return pd.DatetimeIndex(parsed)


def _to_datetime(text, **kwargs):
    """pd.to_datetime, unreadable dates as NaT; times whose UTC offset changes
    (at a daylight-saving switch) in UTC, where they are evenly spaced, or,
    when every time is at the same time of day (daily data and coarser), as
    the local dates they name, which are evenly spaced there."""
    try:
        return pd.to_datetime(text, errors="coerce", **kwargs)
    except ValueError as exc:
        message = str(exc).lower()
        if not any(word in message for word in ("offset", "timezone", "time zone")):
            raise
        utc = pd.to_datetime(text, errors="coerce", utc=True, **kwargs)
    form = kwargs.get("format")
    if form is None or form.endswith("%z"):
        # the same dates and times without their offsets (and its %z)
        local = pd.to_datetime(
            text.str.replace(_UTC_OFFSET, "", regex=True).str.rstrip(),
            errors="coerce",
            **({} if form is None else {"format": form[:-2].rstrip()}),
        )
        clock = local - local.dt.normalize()
        if local.notna().all() and (clock == clock.iloc[0]).all():
            return local
    return utc


def _strptime(text, date_format, names, *, given):
    try:
        parsed = _to_datetime(text, format=date_format)
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
    """Dates like 01/02/1950 (and 01/02/1950 13:30): the one order that fits
    every row, else refused. The order is judged on the dates alone; the
    times of day are added to them."""
    sep = parts[1].iloc[0]
    time_format = ""
    timed = parts[4].notna()
    if timed.any():  # the formats to suggest, with the time of the first row
        first = text[timed].iloc[0]
        clock = parts[4][timed].iloc[0]
        time_format = first[len(first) - len(clock) - 1] + "%H:%M"
        time_format += (":%S" if clock.count(":") > 1 else "") + (
            ".%f" if "." in clock else ""
        )
    # %y would guess the century: 13/01/50 became 13 January 2050.
    _refuse_first(
        parts[3].str.len() < 4,
        text,
        f", a date with a two-digit year. Give its format with "
        f"{names['date_format']}, e.g. '%d{sep}%m{sep}%y{time_format}' or "
        f"'%m{sep}%d{sep}%y{time_format}' (%y reads 69-99 as 1969-1999 and "
        "00-68 as 2000-2068), or write four-digit years.",
    )
    formats = {
        "day-first": f"%d{sep}%m{sep}%Y",
        "month-first": f"%m{sep}%d{sep}%Y",
    }
    dates = parts[0] + sep + parts[2] + sep + parts[3]
    parsed = {
        order: pd.to_datetime(dates, format=form, errors="coerce")
        for order, form in formats.items()
    }
    formats = {order: form + time_format for order, form in formats.items()}
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
    times = parts[4].fillna("0:00")
    # "13:30" as a duration needs its seconds: "13:30:00".
    times = times.where(times.str.count(":") > 1, times + ":00")
    return pd.DatetimeIndex(parsed[fits[0]] + pd.to_timedelta(times))


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


def _regular(y, label, fill, names, *, refuse_missing=True):
    """``y`` (a Series or DataFrame) on an evenly spaced index: checked, and
    its missing time points added as NaN rows.

    Missing time points are refused without ``fill`` unless
    ``refuse_missing=False`` (a panel, where only those inside a series are
    gaps).
    """
    index = y.index
    if isinstance(index, pd.PeriodIndex):
        grid = pd.period_range(index[0], index[-1], freq=index.freq)
        if len(grid) == len(index):
            return y.set_axis(grid)
    else:
        if len(index) < 3:
            raise ValueError(
                f"{label}: {len(index)} dates are too few to infer their frequency; "
                "give at least 3 rows."
            )
        freq = infer_freq(index)
        if freq is not None:
            grid = pd.DatetimeIndex(index, freq=freq)
            return y.set_axis(grid)
        if _same_day_of_month(index):
            # Monthly dates on another day than the first or last (the 15th):
            # no pandas frequency, but months.
            return _regular(
                y.set_axis(index.to_period("M")), label, fill, names,
                refuse_missing=refuse_missing,
            )  # fmt: skip
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
    if fill is None and refuse_missing:
        raise ValueError(_missing_message(label, missing, index, grid, names))
    return y.reindex(grid)


def _same_day_of_month(index):
    """Whether ``index`` holds midnights of one day of the month between the
    2nd and the 28th (every month has it; the 1st and month ends have pandas
    frequencies), in distinct months, most of them consecutive."""
    if index.tz is not None or (index != index.normalize()).any():
        return False
    days = np.unique(index.day)
    if len(days) != 1 or not 2 <= days[0] <= 28:
        return False
    months = index.year * 12 + index.month
    steps = np.diff(months)
    return bool((steps > 0).all() and np.median(steps) == 1)


def _missing_message(label, missing, index, grid, names, within=""):
    return (
        f"{label}: {len(missing)} time points are missing{within} (first: "
        f"{_when(missing[0])}) between {_when(index[0])} and "
        f"{_when(index[-1])} at frequency {grid.freqstr}. Fill them with "
        f"{names['fill']} interpolate or {names['fill']} ffill, or add the "
        "rows to the file."
    )


def _fill(y, fill, names, key, holdout=None, notes=None):
    """``y`` filled; NaN before its first value cannot be and are refused."""
    if np.isnan(y.iloc[0]):
        raise ValueError(
            f"{names[key]} {y.name!r} is missing at the start "
            f"({_when(y.index[0])}), "
            f"where {names['fill']} {fill} has no earlier value to fill from. "
            "Remove the leading rows without a value."
        )
    if fill == "interpolate":
        return _interpolate(y, holdout, notes)
    return y.ffill()


def _interpolate(y, holdout=None, notes=None, limit_area=None):
    """``y`` with its gaps filled by straight lines.

    With ``holdout`` (horizon, n_splits), the folds ``compare`` will cut
    (each fold's test points run up to ``k * horizon`` before the last value,
    k = 1 .. n_splits): a gap point before a fold's first test point whose
    line would end at a test point is forward-filled instead, so that no
    training part is filled from a value its fold tests (that leaked the
    test points into the training data). ``notes`` gets how many.
    """
    filled = y.interpolate(method="linear", limit_area=limit_area)
    missing = y.isna().to_numpy()
    if holdout is None or not missing.any():
        return filled
    horizon, n_splits = holdout
    observed = ~missing
    positions = np.arange(len(y))
    # the first observed position at or after each row (len(y) after the last)
    following = np.minimum.accumulate(np.where(observed, positions, len(y))[::-1])[::-1]
    # compare counts a series' folds back from its end; a panel's series
    # (NaN outside, limit_area="inside") from its last value
    end = len(y) if limit_area is None else np.flatnonzero(observed)[-1] + 1
    cuts = np.sort(end - horizon * np.arange(1, n_splits + 1))
    # a cut c with p < c <= following[p]: p trains, its line's end is tested
    leaks = missing & (
        np.searchsorted(cuts, following, side="right")
        > np.searchsorted(cuts, positions, side="right")
    )
    forward = y.ffill(limit_area=limit_area)
    # after the last value both repeat it: only points on a line count
    changed = int((leaks & (filled != forward) & forward.notna()).to_numpy().sum())
    if changed and notes is not None:
        points = "point" if changed == 1 else "points"
        notes.append(
            f"{changed} filled {points} of {y.name} repeat the last value "
            "instead of a straight line, which would end at a point that a "
            "fold tests"
        )
    return filled.mask(leaks, forward)
