"""Checks of time tables shared by the transformers and make_windows.

A time table is a 2-D array (n_timesteps, n_features), one row per time point.
The transformers accept leading rows whose columns are all NaN (padding, for
instance the first rows of a ``Differencer``'s output).
"""

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_numeric_dtype
from sklearn.utils.validation import validate_data

__all__ = ["check_time_table"]


def _describe_column(col, columns):
    """'column 2' or "column 'price'" for error messages."""
    if columns is not None:
        return f"column {columns[col]!r}"
    return f"column {col}"


_NUMERIC_KINDS = {
    "floating",
    "integer",
    "mixed-integer-float",
    "boolean",
    "decimal",
    "empty",
}
_TIME_KINDS = {"datetime64", "datetime", "date", "timedelta64", "timedelta", "period"}
_TIME_ADVICE = (
    "Dates and times belong in the index, not in the values: e.g. "
    "y = df.set_index('date')['sales']; convert durations to numbers first "
    "(e.g. with .dt.total_seconds())."
)


def _where(col, columns, row=None):
    """'column 0 (unnamed)', "column 'price'", plus the row, for messages."""
    if columns is None:
        where = f"column {col}"
    elif isinstance(columns[col], str):
        where = f"column {columns[col]!r}"
    else:
        where = f"column {columns[col]!r} (unnamed)"
    return where if row is None else f"{where}, row {row!r}"


def _first_text(values):
    """Position and value of the first entry that is not a number, or None.

    Only text that does not parse as a number counts: other odd objects (a
    dict, complex numbers) are left to scikit-learn's ``check_array``, whose
    messages the common checks expect.
    """
    for i, value in enumerate(values):
        if isinstance(value, str | bytes):
            try:
                float(value)
            except ValueError:
                return i, value
    return None


def _refuse_column(values, input_name, where, labels):
    """Refuse one column (1-D values) of times or text, naming it."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and dtype.kind in "mM":
        raise ValueError(
            f"{input_name} must hold numbers, but {where} holds dates or times "
            f"(dtype {dtype}). {_TIME_ADVICE}"
        )
    if dtype is not None and is_numeric_dtype(dtype):
        return
    values = np.asarray(values, dtype=object).ravel()
    kind = infer_dtype(values, skipna=True)
    if kind in _NUMERIC_KINDS:
        return
    if kind in _TIME_KINDS:
        raise ValueError(
            f"{input_name} must hold numbers, but {where} holds dates or times "
            f"({kind} values). {_TIME_ADVICE}"
        )
    bad = _first_text(values)
    if bad is not None:
        row = bad[0] if labels is None else labels[bad[0]]
        raise ValueError(
            f"{input_name} must hold numbers only, but {where} holds text that "
            f"could not convert to float: got {bad[1]!r} at row {row!r} "
            "instead. Encode or drop non-numeric columns first (e.g. with "
            "df.select_dtypes('number')), or parse numbers stored as text with "
            "pd.to_numeric."
        )


def _refuse_non_numeric(X, input_name):
    """Raise a ValueError naming the input, column and row that is not numeric.

    Refused: dates and times (datetime64, timedelta, Timestamp objects), which
    would otherwise be read as nanoseconds, and text that is not a number.
    Object columns of numbers (and numbers stored as text) are accepted, the
    same for every skrnn input. Other invalid input (a dict in an object
    array, complex numbers, wrong dimensions) is left to scikit-learn's
    ``check_array``.
    """
    if isinstance(X, pd.DataFrame):
        columns = list(X.columns)
        times = [
            col
            for col, dtype in X.dtypes.items()
            if dtype.kind in "mM" or isinstance(dtype, pd.PeriodDtype)
        ]
        if times:
            raise ValueError(
                f"{input_name} must hold numbers, but column(s) "
                f"{[str(c) for c in times]} hold dates or times. {_TIME_ADVICE}"
            )
        problems = {}  # column position -> (row label, value)
        for j, dtype in enumerate(X.dtypes):
            if is_numeric_dtype(dtype):
                continue
            values = np.asarray(X.iloc[:, j], dtype=object)
            kind = infer_dtype(values, skipna=True)
            if kind in _TIME_KINDS:
                raise ValueError(
                    f"{input_name} must hold numbers, but "
                    f"{_where(j, columns)} holds dates or times ({kind} "
                    f"values). {_TIME_ADVICE}"
                )
            bad = None if kind in _NUMERIC_KINDS else _first_text(values)
            if bad is not None:
                problems[j] = (X.index[bad[0]], bad[1])
        if problems:
            named = {str(columns[j]): str(X.dtypes.iloc[j]) for j in problems}
            j, (row, value) = next(iter(problems.items()))
            raise ValueError(
                f"{input_name} must hold numbers only. Got non-numeric "
                f"column(s) {named} (name: dtype) instead; {_where(j, columns)} "
                f"holds {value!r} at row {row!r}, which could not convert to "
                "float. Encode or drop them first (e.g. with "
                "df.select_dtypes('number')), or parse numbers stored as text "
                "with pd.to_numeric."
            )
        return
    if isinstance(X, pd.Series):
        if isinstance(X.dtype, pd.PeriodDtype):
            raise ValueError(
                f"{input_name} must hold numbers, but it holds periods (dtype "
                f"{X.dtype}). {_TIME_ADVICE}"
            )
        name = "the Series" if X.name is None else f"the Series {X.name!r}"
        _refuse_column(X, input_name, name, X.index)
        return
    try:
        values = np.asarray(X)
    except (ValueError, TypeError):
        return  # ragged or odd input: check_array explains it
    if values.dtype.kind in "mM":
        raise ValueError(
            f"{input_name} must hold numbers, but it holds dates or times "
            f"(dtype {values.dtype}). {_TIME_ADVICE}"
        )
    if values.dtype.kind not in "OUS" or values.ndim > 2 or values.size == 0:
        return
    if values.ndim < 2:
        _refuse_column(values.reshape(-1), input_name, "it", None)
        return
    for j in range(values.shape[1]):
        _refuse_column(values[:, j], input_name, _where(j, None), None)


def _leading_padding(X, *, input_name="X", columns=None, allow_all_padding=False):
    """Check the NaN/inf rules of a float time table; count its padding rows.

    Parameters
    ----------
    X : ndarray of shape (n_timesteps, n_features)
        Float time table.
    input_name : str, default="X"
        Name of the input in error messages.
    columns : array-like of str, default=None
        Column names for error messages.
    allow_all_padding : bool, default=False
        Whether a table made of padding only is accepted.

    Returns
    -------
    n_padding : int
        Number of leading rows whose columns are all NaN.
    """
    infinite = np.isinf(X)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise ValueError(
            f"Input {input_name} contains infinity (first at row {row}, "
            f"{_describe_column(col, columns)}). Replace or drop infinite "
            "values first."
        )
    missing = np.isnan(X)
    if not missing.any():
        return 0
    padding = missing.all(axis=1)
    partial = missing.any(axis=1) & ~padding
    if partial.any():
        row = np.flatnonzero(partial)[0]
        col = np.flatnonzero(missing[row])[0]
        raise ValueError(
            f"Input {input_name} contains NaN in some but not all columns of "
            f"row {row} (first in {_describe_column(col, columns)}). A row is "
            "padding only when all its columns are NaN; impute missing values "
            "first (e.g. with pandas' interpolate)."
        )
    if padding.all():
        if allow_all_padding:
            return len(X)
        raise ValueError(
            f"Input {input_name} contains only NaN: all {len(X)} rows are "
            "padding, so there is no data."
        )
    n_padding = int(np.argmin(padding))
    later = np.flatnonzero(padding[n_padding:])
    if later.size:
        raise ValueError(
            f"Input {input_name} contains NaN in row {n_padding + later[0]}, "
            f"after the first row with data (row {n_padding}). Only leading "
            "rows may be all NaN (padding, e.g. the first rows of a "
            "Differencer's output); impute missing values first (e.g. with "
            "pandas' interpolate)."
        )
    return n_padding


def _refuse_unordered_time(who, X, name="X"):
    """A table with a time index must be in time order: differences and
    windows read each row's neighbours by position. ``who`` names the
    estimator or function in the message, ``name`` the argument."""
    index = getattr(X, "index", None)
    if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        return
    if not index.is_unique:
        raise ValueError(
            f"{who}: the time index of {name} repeats a time point "
            f"({index[index.duplicated()][0]}), so rows have no single "
            "neighbour. Give one row per time point (aggregate duplicates, e.g. "
            f"{name}.groupby(level=0).mean())."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            f"{who}: the time index of {name} is not sorted, so the rows next "
            "to each other are not neighbours in time. Sort it first: "
            f"{name}.sort_index()."
        )


def check_time_table(estimator, X, *, reset, allow_all_padding=False):
    """Validate a time table for ``estimator``.

    Returns the table as a float array and its number of leading padding rows.
    """
    _refuse_non_numeric(X, "X")
    _refuse_unordered_time(type(estimator).__name__, X)
    try:
        X = validate_data(
            estimator, X, reset=reset, dtype=np.float64, ensure_all_finite=False
        )
    except ValueError as exc:
        # A 1-D array, or a Series ("Expected a 2-dimensional container"):
        # sklearn's own advice offers a single sample, never meant here.
        if "got 1D array" not in str(exc) and not isinstance(X, pd.Series):
            raise
        raise ValueError(
            f"{type(estimator).__name__} expects a 2-D X, one row per time "
            f"point and one column per feature. Got a 1-D X of {len(X)} "
            "values. Reshape your data: pass one series as one column, "
            "X.reshape(-1, 1), series.to_frame() for a Series, or "
            "df[['column']] for a DataFrame column."
        ) from exc
    n_padding = _leading_padding(
        X,
        columns=getattr(estimator, "feature_names_in_", None),
        allow_all_padding=allow_all_padding,
    )
    return X, n_padding
