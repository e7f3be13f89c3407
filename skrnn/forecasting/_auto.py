"""Choices a forecaster makes from its training series: season, differencing, window.

Everything here looks only at the training series given to ``fit``, so the
choices are part of the model and are re-made on every training fold.
"""

import collections
import contextlib
import hashlib
import threading
import warnings

import numpy as np
import pandas as pd

from ..preprocessing import Differencer, make_windows

# Season lengths of the calendar frequencies (per one unit of the offset).
_SEASONS = (
    (pd.offsets.QuarterBegin, 4),
    (pd.offsets.QuarterEnd, 4),
    (pd.offsets.BQuarterBegin, 4),
    (pd.offsets.BQuarterEnd, 4),
    (pd.offsets.MonthBegin, 12),
    (pd.offsets.MonthEnd, 12),
    (pd.offsets.BusinessMonthBegin, 12),
    (pd.offsets.BusinessMonthEnd, 12),
    (pd.offsets.Week, 52),
    (pd.offsets.BusinessDay, 5),
    (pd.offsets.Day, 7),
    (pd.offsets.Hour, 24),
)


def season_from_index(time_axis):
    """The season length a time index's frequency implies, or None.

    Quarterly data have a season of 4, monthly 12, weekly 52, daily 7,
    business-daily 5 and hourly 24 (the cycles of the calendar above each
    frequency; "7D" is weekly). A multiple such as "2M" divides it (6) when
    it can. Yearly,
    sub-hourly, integer and plain-array indexes have none.
    """
    freq = getattr(time_axis, "freq", None)
    if freq is None:
        return None
    freq = pd.tseries.frequencies.to_offset(freq)
    if isinstance(freq, pd.offsets.Day) and freq.n % 7 == 0:
        # "7D" is how pandas infers weekly data without an anchor day
        freq = pd.offsets.Week(freq.n // 7)
    for offset_type, season in _SEASONS:
        if isinstance(freq, offset_type):
            n = abs(freq.n) or 1
            if season % n == 0 and season // n >= 2:
                return season // n
            return None
    return None


@contextlib.contextmanager
def _quiet_statsmodels():
    """statsmodels' warnings (rank-deficient lags, ...) on the candidate fits
    are about a choice being made, not about the user's model: hide them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def differenced(y, differences, seasonal_period):
    """``(differencer or None, y differenced with its first rows dropped)``."""
    lost = differences + (seasonal_period or 0)
    if not lost:
        return None, y
    differencer = Differencer(differences, seasonal_period=seasonal_period)
    return differencer, differencer.fit_transform(y)[lost:]


def ar_order(z, *, maxlag=None):
    """The largest lag AR(aic) selects on ``z`` (at least 1); for several
    columns, the median of theirs, rounded up."""
    from ._ar import ARForecaster

    with _quiet_statsmodels():
        ar = ARForecaster("aic", maxlag=maxlag).fit(None, z)
    orders = [max(lags or [1]) for lags in ar.ar_lags_]
    return int(np.ceil(np.median(orders)))


def choice_sample(y, *, max_series=20, every_series=False):
    """What the "auto" choices of a panel look at: its longest series (up to
    ``max_series``, each at least half as long as the longest), cut to their
    common observed span, so that the choices cost a few AR fits whatever the
    number of series, and one short series does not cut the others' span.
    ``every_series`` keeps the shortest series instead (for a forecaster that
    needs a window of each), so that the choices fit every series.

    Parameters
    ----------
    y : ndarray of shape (n_timesteps, n_series)
        Series that end at the last row, NaN before a series starts.

    Returns
    -------
    sample : ndarray of shape (n_span, min(n_series, max_series))
        Without NaN.
    """
    lengths = (~np.isnan(y)).sum(axis=0)
    if y.shape[1] <= max_series and (lengths == len(y)).all():
        return y
    order = np.argsort(-lengths, kind="stable")
    if every_series:  # the longest and the shortest, however many series
        columns = np.union1d(order[: max_series - 1], order[-1:])
    else:
        columns = order[:max_series]
        columns = np.sort(columns[2 * lengths[columns] >= lengths.max()])
    span = int(lengths[columns].min())
    return y[len(y) - span :, columns]


def linear_window(z, season):
    """The "auto" window on ``z`` (n_timesteps, n_series), without NaN: the
    order AR(aic) selects (2 lags when ``z`` is too short to select from),
    at least one season when three fit."""
    window = max(ar_order(z), 2) if len(z) >= 12 else 2
    if season is not None and season <= len(z) // 3:
        window = max(window, season)
    return min(window, len(z) - 2)


def _standardised(y, differences, seasonal_period):
    """``(differencer, z, mean, scale)``: ``y``'s columns differenced, then
    standardised one by one, as a recursive forecaster transforms them."""
    differencer, z = differenced(y, differences, seasonal_period)
    mean, scale = z.mean(axis=0), z.std(axis=0)
    scale[~(scale > 0)] = 1.0
    return differencer, (z - mean) / scale, mean, scale


def _pooled_linear_forecast(y, differences, seasonal_period, steps, window):
    """About the linear model a recursive forecaster's network starts from
    (it adds a light ridge), forecast ``steps`` ahead in levels: one
    least-squares autoregression of ``window`` lags on the windows of all
    standardised, differenced columns together, run recursively. Fewer lags
    where the data would leave fewer than two rows per coefficient."""
    differencer, z, mean, scale = _standardised(y, differences, seasonal_period)
    n_rows, n_series = z.shape
    # (n_rows - p) * n_series windows for p + 1 coefficients, at least twice.
    p = min(window, (n_rows * n_series - 2) // (n_series + 2))
    if p < 1:
        raise ValueError("too short for a window after differencing")
    X, y_next = make_windows(z, p)  # (n_windows, p, n_series), (n_windows, n_series)
    lags = X.transpose(0, 2, 1).reshape(-1, p)  # every series' windows, pooled
    design = np.column_stack([lags, np.ones(len(lags))])
    coef = np.linalg.lstsq(design, y_next.reshape(-1), rcond=None)[0]
    history = z[-p:].T.copy()  # (n_series, p), oldest first
    z_hat = np.empty((steps, z.shape[1]))
    for step in range(steps):
        z_hat[step] = history @ coef[:-1] + coef[-1]
        history = np.column_stack([history[:, 1:], z_hat[step]])
    z_hat = z_hat * scale + mean
    if differencer is None:
        return z_hat
    return differencer.inverse_transform_forecast(z_hat)


# The forecasters of one comparison, or of a grid over network settings, make
# the same choice on the same training fold: the latest choices are kept.
_CHOICES = collections.OrderedDict()
_CHOICES_LOCK = threading.Lock()
_MAX_CHOICES = 64


def choose_differencing(y, candidates, seasonal_period, *, window=None, n_origins=6):
    """The ``(differences, seasonal)`` pair whose linear forecasts err least.

    Each candidate (a regular differencing order and whether to difference at
    the season) is scored by the absolute errors of a linear model like the
    one the forecaster's network starts from: one least-squares
    autoregression on the standardised, differenced windows of all columns
    together, of ``window`` lags (the "auto" window when None, chosen once
    per candidate on all of ``y``). It forecasts one season ahead (8 steps
    without a season) from ``n_origins`` origins in the last part of ``y``,
    fewer (but at least 3) when ``y`` is too short for the candidates that
    fit 3: the rolling-origin evaluation of forecasting practice (Tashman
    2000), with a cheap linear model standing in for the network. Pooling
    matters on a panel: the global network is one shared model, and a shared
    autoregression may prefer another differencing than AR models fitted
    series by series do (seasonal series of random phases: a seasonal
    difference, where most of them alone take a regular one). Errors of each
    column are divided by its spread, so that several series weigh the same.
    A candidate that leaves too little data at 3 origins is out; when all
    are, the one that differences least.

    Parameters
    ----------
    y : ndarray of shape (n_timesteps, n_series)
        Without NaN.
    candidates : list of (int, bool)
    seasonal_period : int or None
    window : int or None, default=None
        The forecaster's window; None for its "auto" choice.
    n_origins : int, default=6

    Returns
    -------
    differences : int
    seasonal : bool
    """
    if len(candidates) == 1:
        return candidates[0]
    y = np.ascontiguousarray(y, dtype=np.float64)
    key = (
        hashlib.blake2b(y.tobytes(), digest_size=16).digest(),
        y.shape,
        tuple(candidates),
        seasonal_period,
        window,
        n_origins,
    )
    with _CHOICES_LOCK:
        if key in _CHOICES:
            _CHOICES.move_to_end(key)
            return _CHOICES[key]
    choice = _choose_differencing(y, candidates, seasonal_period, window, n_origins)
    with _CHOICES_LOCK:
        _CHOICES[key] = choice
        while len(_CHOICES) > _MAX_CHOICES:
            _CHOICES.popitem(last=False)
    return choice


def _choose_differencing(y, candidates, seasonal_period, window, n_origins):
    steps = seasonal_period or 8
    n = len(y)

    def needed(candidate):
        """Points a candidate needs before its first origin: twice what its
        differencing loses, and 10 more to fit an autoregression on."""
        differences, seasonal = candidate
        return 2 * (differences + (seasonal_period if seasonal else 0)) + 10

    least = min(candidates, key=needed)
    # Candidates that fit at least 3 origins are scored, all on the same ones:
    # as many as the most demanding of them leaves, up to n_origins.
    fewest = min(n_origins, 3)
    scored = [c for c in candidates if n - fewest * steps >= needed(c)]
    if not scored:
        return least
    n_origins = max(min(n_origins, (n - max(map(needed, scored))) // steps), fewest)
    spread = y.std(axis=0)
    spread[~(spread > 0)] = 1.0
    best, best_error = least, np.inf
    for differences, seasonal in scored:
        lag = seasonal_period if seasonal else None
        # The "auto" window is chosen once, on all of y (the origins' targets
        # included, all training data): choosing it again at each origin
        # would cost an AR(aic) fit per series and origin.
        lags = window
        if lags is None:
            lags = linear_window(_standardised(y, differences, lag)[1], seasonal_period)
        error = 0.0
        for k in range(n_origins, 0, -1):
            end = n - k * steps
            try:
                forecast = _pooled_linear_forecast(
                    y[:end], differences, lag, steps, lags
                )
            except ValueError:  # too short for one lag after differencing
                error = np.inf
                break
            error += float((np.abs(forecast - y[end : end + steps]) / spread).sum())
        if error < best_error:
            best, best_error = (differences, seasonal), error
    return best
