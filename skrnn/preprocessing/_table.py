"""Checks of time tables shared by the transformers and make_windows.

A time table is a 2-D array (n_timesteps, n_features), one row per time point.
The transformers accept leading rows whose columns are all NaN (padding, for
instance the first rows of a ``Differencer``'s output).
"""

import numpy as np
from pandas.api.types import is_numeric_dtype
from sklearn.utils.validation import validate_data

__all__ = ["check_time_table"]


def _describe_column(col, columns):
    """'column 2' or "column 'price'" for error messages."""
    if columns is not None:
        return f"column {columns[col]!r}"
    return f"column {col}"


def _refuse_non_numeric(X, input_name):
    """Raise a ValueError naming the non-numeric columns of X.

    Only string-like data is refused here; other invalid input (a dict in an
    object array, complex numbers, wrong dimensions) is left to scikit-learn's
    ``check_array``, whose messages the common checks expect.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):  # a DataFrame
        bad = {
            col: str(dtype)
            for col, dtype in dtypes.items()
            if not is_numeric_dtype(dtype)
        }
        if bad:
            raise ValueError(
                f"{input_name} must hold numbers only. Got non-numeric "
                f"column(s) {bad} (name: dtype) instead. Encode or drop them "
                "first (e.g. with df.select_dtypes('number'))."
            )
        return
    dtype = getattr(X, "dtype", None)
    if dtype is not None and hasattr(X, "to_numpy"):  # a Series
        if not is_numeric_dtype(dtype):
            raise ValueError(
                f"{input_name} must hold numbers only. Got a Series of dtype "
                f"{dtype} instead. Convert it first (e.g. with pd.to_numeric)."
            )
        return
    if dtype is None:
        try:
            dtype = np.asarray(X).dtype
        except (ValueError, TypeError):
            return  # ragged or odd input: check_array explains it
    if dtype.kind in "OUS":
        try:
            np.asarray(X, dtype=np.float64)
        except ValueError as exc:
            raise ValueError(
                f"{input_name} must hold numbers only. Got values that cannot "
                f"be converted to float ({exc}) instead. Encode or drop "
                "non-numeric columns first."
            ) from exc


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


def check_time_table(estimator, X, *, reset, allow_all_padding=False):
    """Validate a time table for ``estimator``.

    Returns the table as a float array and its number of leading padding rows.
    """
    _refuse_non_numeric(X, "X")
    X = validate_data(
        estimator, X, reset=reset, dtype=np.float64, ensure_all_finite=False
    )
    n_padding = _leading_padding(
        X,
        columns=getattr(estimator, "feature_names_in_", None),
        allow_all_padding=allow_all_padding,
    )
    return X, n_padding
