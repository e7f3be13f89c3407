"""make_windows: a series cut into a supervised data set of windows.

``make_windows`` accepts no NaN at all (the time-table checks it shares with
the transformers are in ``_table.py``).
"""

from collections.abc import Hashable
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.utils._param_validation import Interval, validate_params

from ._table import _describe_column, _refuse_non_numeric, _refuse_unordered_time

__all__ = ["make_windows"]


def _as_float_table(series):
    """Return ``(values, columns)``: a float 2-D array and the column names."""
    _refuse_non_numeric(series, "series")
    # Windows read neighbours by position: rows out of time order would make
    # targets of the past.
    _refuse_unordered_time("make_windows", series, "series")
    columns = None
    if hasattr(series, "columns"):
        columns = list(series.columns)
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    elif hasattr(series, "to_numpy"):
        columns = None if series.name is None else [series.name]
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        try:
            values = np.asarray(series)
        except ValueError as exc:  # numpy: "an inhomogeneous shape"
            raise ValueError(
                "series must be 1-D (n_timesteps,) or a 2-D time table "
                "(n_timesteps, n_features) with as many values in every row. "
                "Got rows of different lengths instead; to window several "
                "series of different lengths, window each one and concatenate."
            ) from exc
        if np.iscomplexobj(values):
            raise ValueError(
                "series must hold real numbers. Got complex values instead."
            )
        values = values.astype(np.float64, copy=False)
    if values.ndim == 1:
        values = values[:, np.newaxis]
    if values.ndim != 2:
        raise ValueError(
            "series must be 1-D (n_timesteps,) or a 2-D time table "
            f"(n_timesteps, n_features). Got a {values.ndim}-D array of shape "
            f"{values.shape} instead."
        )
    if values.shape[1] == 0:
        raise ValueError(
            f"series must have at least one column. Got shape {values.shape} instead."
        )
    return values, columns


def _target_columns(target, columns, n_features):
    """Resolve ``target`` to a list of column positions."""
    if target is None:
        return list(range(n_features))
    many = isinstance(target, (list, tuple, np.ndarray))
    targets = list(target) if many else [target]
    if not targets:
        raise ValueError(
            "`target` must name at least one column. Got an empty list instead; "
            "use target=None for all columns."
        )
    positions = []
    for item in targets:
        if isinstance(item, (bool, np.bool_)):
            raise ValueError(
                "`target` must be a column index or name, or a list of them. "
                f"Got {item!r} instead."
            )
        if isinstance(item, Integral):
            if not -n_features <= item < n_features:
                raise ValueError(
                    f"`target` column index {item} is out of range for a series "
                    f"with {n_features} column(s). Got target={target!r} instead."
                )
            positions.append(int(item) % n_features)
        elif isinstance(item, Hashable) and columns is not None and item in columns:
            positions.append(columns.index(item))
        elif columns is None:
            raise ValueError(
                "`target` can be a column name only when series is a pandas "
                "DataFrame or named Series; use a column index for arrays. Got "
                f"target={target!r} instead."
            )
        else:
            raise ValueError(
                f"`target` {item!r} is not a column of series (columns: "
                f"{columns}). Got target={target!r} instead."
            )
    return positions


@validate_params(
    {
        "series": ["array-like"],
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "target": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def make_windows(series, window, horizon=1, *, target=None):
    """Cut a series into input windows and the values that follow them.

    Turns a series into a supervised data set for a sequence model: window
    ``i`` holds the time steps ``i`` to ``i + window - 1``, and its target the
    ``horizon`` values after it. Windows are vectorised copies (no Python loop,
    no view into the input).

    Parameters
    ----------
    series : array-like of shape (n_timesteps,) or (n_timesteps, n_features)
        A series, or a time table of several series (one row per time point).
        A pandas Series or DataFrame is accepted; NaN and infinity are not.

    window : int
        Number of time steps in each input window (>= 1).

    horizon : int, default=1
        Number of future time steps to predict after each window (>= 1).

    target : int, str, list of int or str, or None, default=None
        Column(s) whose future values are the targets: positions (int,
        negative counts from the end) or DataFrame column names (str). None
        means all columns.

    Returns
    -------
    X : ndarray of shape (n_windows, window, n_features)
        Input windows, float64, with ``n_windows = n_timesteps - window -
        horizon + 1``.

    y : ndarray
        The ``horizon`` values following each window, float64, with the axes
        of length one squeezed out: shape (n_windows,) for one target and
        horizon 1, (n_windows, horizon) for one target, (n_windows,
        n_targets) for several targets and horizon 1, and (n_windows,
        horizon, n_targets) otherwise.

    See Also
    --------
    SlidingWindow : The row-preserving transformer for Pipelines, which pads
        the first windows instead of dropping rows.

    Notes
    -----
    ``make_windows`` changes the number of rows, so it is a function rather
    than a Pipeline step; inside a Pipeline use :class:`SlidingWindow`.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.preprocessing import make_windows
    >>> X, y = make_windows(np.arange(6.0), window=3)
    >>> X.shape, y.shape
    ((3, 3, 1), (3,))
    >>> X[0, :, 0], y[0]
    (array([0., 1., 2.]), np.float64(3.0))
    >>> table = np.column_stack([np.arange(10.0), np.arange(10.0) ** 2])
    >>> X, y = make_windows(table, window=4, horizon=2, target=1)
    >>> X.shape, y.shape
    ((5, 4, 2), (5, 2))
    >>> y[0]
    array([16., 25.])
    """
    values, columns = _as_float_table(series)
    n_timesteps, n_features = values.shape
    targets = _target_columns(target, columns, n_features)

    if not np.isfinite(values).all():
        bad = ~np.isfinite(values)
        row, col = np.argwhere(bad)[0]
        kind = "NaN" if np.isnan(values[row, col]) else "infinity"
        raise ValueError(
            f"Input series contains {kind} (first at row {row}, "
            f"{_describe_column(col, columns)}). make_windows needs a complete "
            "series; impute or drop missing and infinite values first (e.g. "
            "with pandas' interpolate)."
        )
    if window + horizon > n_timesteps:
        raise ValueError(
            "`window` + `horizon` must be at most the series length "
            f"({n_timesteps}). Got {window} + {horizon} = {window + horizon} "
            "instead; use a shorter window or horizon, or a longer series."
        )

    n_windows = n_timesteps - window - horizon + 1
    # sliding_window_view puts the window axis last: (n_windows, n_features, window).
    X = sliding_window_view(values[: n_windows + window - 1], window, axis=0)
    X = X.transpose(0, 2, 1).copy()
    y = sliding_window_view(values[window:, targets], horizon, axis=0)
    y = y.transpose(0, 2, 1)  # (n_windows, horizon, n_targets)
    if len(targets) == 1 and horizon == 1:
        y = y[:, 0, 0]
    elif len(targets) == 1:
        y = y[:, :, 0]
    elif horizon == 1:
        y = y[:, 0, :]
    return X, y.copy()
