"""compare: fit several forecasters on the same time-series splits."""

import time
import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import delayed
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit

from .._warnings import user_stacklevel
from ..forecasting._intervals import check_coverage
from ..forecasting._time import TimeAxis
from ..metrics._regression import naive_scale
from ._inputs import (
    _check_baseline,
    _check_exog_rows,
    _check_horizon,
    _check_metrics,
    _check_models,
    _min_train_size,
)
from ._metrics import METRICS, TIMINGS
from ._panels import compare_panel, is_panel
from ._report import ComparisonReport
from ._tasks import (
    _checked_failures,
    _diverged,
    _history_rows,
    _result,
    _run,
    _settings_table,
)

__all__ = ["compare"]


def _check_series(y, X):
    """y as a float Series with a usable time index, and X as a DataFrame."""
    if y is None:
        raise ValueError(
            "`y` must be the series to forecast. Got None instead; call "
            "compare(models, y) or compare(y=y)."
        )
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                "`y` must be one series. Got a DataFrame with "
                f"{y.shape[1]} columns instead; pick one, e.g. y=data['sales']."
            )
        y = y.iloc[:, 0]
    if not isinstance(y, pd.Series):
        values = np.asarray(y)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]
        if values.ndim != 1:
            raise ValueError(
                f"`y` must be one series (1-D). Got shape {values.shape} instead."
            )
        y = pd.Series(values, name="y")
    try:
        y = y.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"`y` must contain numbers. Got dtype {y.dtype} instead ({exc})."
        ) from exc
    if y.isna().any():
        raise ValueError(
            f"`y` must have no missing values. Got {int(y.isna().sum())} (first "
            f"at {y.index[y.isna().to_numpy()][0]}) instead; fill or drop them."
        )
    axis = TimeAxis(y.index)  # refuses unsorted or duplicated time points
    if isinstance(y.index, pd.DatetimeIndex) and axis.freq is None:
        raise ValueError(
            "`y` has a DatetimeIndex without a regular frequency, so forecasts "
            "cannot be placed in time. Give it one (e.g. y.asfreq('MS')) or "
            "use y.reset_index(drop=True)."
        )
    return y, _check_exog_rows(X, y.index)


def _splits(cv, horizon, n):
    """The (train, test) row positions of every fold, checked for time order."""
    if cv is None or isinstance(cv, Integral):
        n_splits = 3 if cv is None else int(cv)
        if n_splits < 1:
            raise ValueError(f"`cv` as an int must be at least 1. Got {cv} instead.")
        needed = n_splits * horizon + 2
        if n < needed:
            raise ValueError(
                f"`y` is too short for {n_splits} folds of horizon {horizon}: "
                f"that needs at least {needed} time points. Got {n} instead; "
                "use a smaller horizon, fewer splits or a longer series."
            )
        if n_splits == 1:  # a single hold-out; TimeSeriesSplit needs two folds
            return [(np.arange(n - horizon), np.arange(n - horizon, n))]
        cv = TimeSeriesSplit(n_splits=n_splits, test_size=horizon)
    if not hasattr(cv, "split"):
        raise TypeError(
            "`cv` must be None, an int (number of folds) or a splitter such as "
            f"TimeSeriesSplit. Got a {type(cv).__name__} instead."
        )
    try:
        splits = [
            (np.asarray(tr), np.asarray(te)) for tr, te in cv.split(np.zeros((n, 1)))
        ]
    except ValueError as exc:
        raise ValueError(
            f"`cv` cannot split y ({n} time points): {exc} Use a smaller "
            "horizon, fewer splits or a longer series."
        ) from exc
    for fold, (train, test) in enumerate(splits):
        contiguous = len(train) and (np.diff(train) == 1).all()
        ordered = len(test) and (np.diff(test) > 0).all() and test[0] > train[-1]
        if not (contiguous and ordered):
            raise ValueError(
                "`cv` must give each fold a contiguous block of training rows "
                "followed by later test rows, as TimeSeriesSplit does. Got fold "
                f"{fold} with training rows {train[:3].tolist()}... and test rows "
                f"{test[:3].tolist()}... instead."
            )
    return splits


def _check_train_sizes(named, splits):
    """Refuse up front what a model would refuse in its smallest fold."""
    shortest = min(len(train) for train, _ in splits)
    for name, model in named:
        minimum = _min_train_size(model)
        if minimum is not None and shortest < minimum:
            raise ValueError(
                f"Model {name!r} needs at least {minimum} training points, but "
                f"the first fold trains on {shortest}. Use a longer series, a "
                "smaller horizon or fewer splits, or give the model a smaller "
                "window."
            )


def _check_season_fits(y, metrics, seasonal_period, splits):
    """Refuse up front a scaled metric (MASE) that a fold cannot scale: it
    divides by the training part's error of the seasonal naive forecast."""
    scaled = [name for name in metrics if METRICS[name].scaled]
    if not scaled:
        return
    label, lag = METRICS[scaled[0]].label, int(seasonal_period or 1)
    skip_it = (
        "or score without it (in compare, metrics=['rmse', 'mae']; on the "
        "command line, --metrics rmse,mae)."
    )
    shortest = min(len(train) for train, _ in splits)
    if shortest <= lag:
        raise ValueError(
            f"{label} is scaled by the in-sample error of the seasonal naive "
            f"forecast (lag {lag}), but the first fold trains on {shortest} "
            "points, no more than the season. Use a longer series, a smaller "
            f"horizon or fewer splits, {skip_it}"
        )
    values = np.asarray(y, dtype=np.float64)
    for fold, (train, _) in enumerate(splits):
        if not naive_scale(values[train], lag) > 0:
            # It failed after every model was fitted.
            raise ValueError(
                f"y repeats itself at lag {lag} over the training points of "
                f"fold {fold} (e.g. it is constant there), so {label}'s scale, "
                "the in-sample error of the seasonal naive forecast, is 0. "
                f"Start the series later, use fewer splits, {skip_it}"
            )


def _fit_predict(name, fold, model, y, X, train, test, coverage=None):
    """Clone, fit on the training rows, forecast the test rows, and time both
    (and, with ``coverage``, the prediction intervals of the test rows)."""
    estimator = clone(model)
    start = time.perf_counter()
    bounds, interval_failure = None, None
    # With regressors, a gap between training and test rows (a splitter's
    # gap) is forecast through with X's rows in it; the test rows are kept.
    first = train[-1] + 1
    rows, keep = X.iloc[test], slice(None)
    if X.shape[1] and test[0] > first:
        rows, keep = X.iloc[first : test[-1] + 1], test - first
    try:
        estimator.fit(X.iloc[train], y.iloc[train])
        fitted = time.perf_counter()
        y_pred = np.asarray(estimator.predict(rows), dtype=np.float64)[keep]
        done = time.perf_counter()
        if coverage is not None:
            bounds, interval_failure = _interval_bounds(
                estimator, rows, coverage, keep, len(test)
            )
    except FloatingPointError as exc:
        nan = np.full(len(test), np.nan)
        bounds = None if coverage is None else (nan, nan)
        return _diverged(estimator, exc, len(test), start, bounds=bounds)
    except ValueError as exc:
        raise ValueError(
            f"Model {name!r} failed on fold {fold} (training on {len(train)} "
            f"points): {exc}"
        ) from exc
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    return _result(
        estimator,
        y_pred,
        start,
        fitted,
        done,
        bounds=bounds,
        interval_failure=interval_failure,
    )


def _interval_bounds(estimator, rows, coverage, keep, n_test):
    """``((lower, upper), None)`` of the test rows, or NaN bounds and the
    reason where a calibration refit diverged: the point forecasts, already
    made, are kept."""
    try:
        intervals = estimator.predict_interval(rows, coverage=coverage)
    except FloatingPointError as exc:
        nan = np.full(n_test, np.nan)
        return (nan, nan), str(exc)
    return (
        np.asarray(intervals["lower"], dtype=np.float64).reshape(-1)[keep],
        np.asarray(intervals["upper"], dtype=np.float64).reshape(-1)[keep],
    ), None


def _warn_interval_failures(tasks, results):
    """One warning per model, here in the calling process (a worker's
    warnings are lost)."""
    failed = {}
    for task, result in zip(tasks, results, strict=True):
        if result.get("interval_failure"):
            failed.setdefault(task[0], []).append((task[1], result["interval_failure"]))
    for name, folds in failed.items():
        which = "folds" if len(folds) > 1 else "fold"
        warnings.warn(
            f"The prediction intervals of {name!r} failed on {which} "
            f"{', '.join(str(fold) for fold, _ in folds)} ({folds[0][1]}); its "
            "forecasts are kept and scored, and its interval scores are NaN.",
            RuntimeWarning,
            stacklevel=user_stacklevel(),
        )


@dataclass(frozen=True)
class _Setup:
    """Checked inputs of a comparison."""

    y: pd.Series
    X: pd.DataFrame
    named: list
    metrics: list
    baseline: str
    splits: list
    seasonal_period: int
    coverage: float | None = None


def _check_interval_models(named, coverage):
    """With ``coverage``, every model must have ``predict_interval``."""
    if coverage is None:
        return
    check_coverage(coverage)
    missing = [name for name, model in named if not hasattr(model, "predict_interval")]
    if missing:
        raise ValueError(
            f"coverage={coverage} scores prediction intervals, but "
            f"{', '.join(repr(name) for name in missing)} has no "
            "predict_interval(X, coverage) method. Leave it out, or pass "
            "coverage=None to compare point forecasts only."
        )


def _prepare(
    models, y, X, horizon, cv, metrics, baseline, seasonal_period, coverage=None
):
    """Check every input and split the series; nothing is fitted yet."""
    horizon = _check_horizon(horizon)
    metrics = _check_metrics(metrics)
    if seasonal_period is not None and (
        not isinstance(seasonal_period, Integral) or seasonal_period < 1
    ):
        raise ValueError(
            "`seasonal_period` must be a positive int (12 for monthly data "
            f"with a yearly season). Got {seasonal_period!r} instead."
        )
    y, X = _check_series(y, X)
    named = _check_models(models, seasonal_period)
    _check_interval_models(named, coverage)
    baseline = _check_baseline(baseline, named)
    splits = _splits(cv, horizon, len(y))
    _check_train_sizes(named, splits)
    _check_season_fits(y, metrics, seasonal_period, splits)
    return _Setup(
        y, X, named, metrics, baseline, splits, int(seasonal_period or 1), coverage
    )


def _score_rows(setup, task, result):
    name, fold, _, train, test = task
    values = setup.y.to_numpy()
    rows = []
    for name_ in setup.metrics:
        value = np.nan
        if result["failure"] is None:
            value = METRICS[name_].score(
                values[test], result["y_pred"], values[train], setup.seasonal_period
            )
        rows.append((name, fold, name_, value))
    rows += [(name, fold, timing, result[timing]) for timing in TIMINGS]
    return rows


def _forecast_rows(setup, task, result):
    name, fold, _, train, test = task
    rows = pd.DataFrame(
        {
            "model": name,
            "fold": fold,
            "time": setup.y.index[test],
            "step": test - train[-1],
            "y_true": setup.y.to_numpy()[test],
            "y_pred": result["y_pred"],
        }
    )
    if setup.coverage is not None:
        rows["lower"], rows["upper"] = result["bounds"]
    return rows


def _folds_table(setup):
    index, splits = setup.y.index, setup.splits
    return pd.DataFrame(
        {
            "fold": range(len(splits)),
            "train_start": [index[tr[0]] for tr, _ in splits],
            "train_end": [index[tr[-1]] for tr, _ in splits],
            "n_train": [len(tr) for tr, _ in splits],
            "test_start": [index[te[0]] for _, te in splits],
            "test_end": [index[te[-1]] for _, te in splits],
            "n_test": [len(te) for _, te in splits],
        }
    )


def _make_report(setup, tasks, results):
    """The report of the fits: scores, forecasts, curves, folds, settings."""
    failures = _checked_failures(tasks, results, setup.named)
    names = [name for name, _ in setup.named]
    pairs = list(zip(tasks, results, strict=True))
    histories = [_history_rows(t, r) for t, r in pairs if r["history"]]
    splits = setup.splits
    return ComparisonReport(
        scores=pd.DataFrame(
            [row for t, r in pairs for row in _score_rows(setup, t, r)],
            columns=["model", "fold", "metric", "value"],
        ),
        forecasts=pd.concat(
            [_forecast_rows(setup, t, r) for t, r in pairs], ignore_index=True
        ),
        histories=pd.concat(histories, ignore_index=True)
        if histories
        else pd.DataFrame(columns=["model", "fold", "epoch", "loss", "val_loss"]),
        folds=_folds_table(setup),
        y=setup.y,
        models=names,
        metrics=setup.metrics,
        baseline=setup.baseline,
        seasonal_period=setup.seasonal_period,
        horizon=int(max((te - tr[-1]).max() for tr, te in splits)),
        settings=_settings_table(setup, tasks, results),
        failures=failures,
        coverage=setup.coverage,
    )


def compare(
    models=None,
    y=None,
    X=None,
    *,
    horizon=12,
    cv=None,
    metrics=("mase", "rmse", "mae", "smape"),
    baseline=None,
    seasonal_period=None,
    coverage=None,
    n_jobs=None,
    progress=True,
):
    """Fit several forecasters on the same time-series splits and compare them.

    Every model is cloned, fitted on the training rows of each fold, and
    forecasts that fold's test rows; the forecasts, the fit and predict times
    and the training curves of the networks are kept in the returned report,
    which scores them, tests each model against a baseline with the
    Diebold-Mariano test, and renders tables, figures and a one-file HTML
    page.

    Parameters
    ----------
    models : dict of str to forecaster, list of forecaster or None, default=None
        The forecasters (skrnn's forecaster contract: ``fit(X, y)`` and
        ``predict(X)``). A list gets readable names ("LSTM", "AR(aic)", ...).
        None means :func:`~skrnn.comparison.default_models` for
        ``seasonal_period``: SimpleRNN, LSTM and GRU against AR(aic), AR(1)
        and naive baselines.

    y : array-like or pandas.Series of shape (n_timesteps,), or a panel
        The series, in time order. Its index (DatetimeIndex with a frequency,
        PeriodIndex or integer) is kept in the report. Several series (a
        wide DataFrame whose columns are series, NaN before a series starts
        and after it ends; a dict of Series; a 2-D array) make a comparison
        on a panel: each series is cut at its own last points (the same
        dates when they end together), each model is fitted once per fold
        on all series, and a :class:`PanelComparisonReport` scores every
        series (see :ref:`comparison-panels`).

    X : DataFrame or array-like of shape (n_timesteps, n_exog), default=None
        Exogenous regressors, one row per time point of ``y``; None for none.
        On a panel, they are shared by all series, which must then end at
        the same time point.

    horizon : int, default=12
        Time points forecast in each fold by the default ``cv``.

    cv : int or splitter, default=None
        None means ``TimeSeriesSplit(n_splits=3, test_size=horizon)``; an int
        sets ``n_splits`` (1: one hold-out of the last ``horizon`` points).
        Any scikit-learn splitter whose folds train on a contiguous block of
        rows and test on later rows may be given; the forecast horizon is
        then its longest distance from a training end. On a panel, None or
        an int only.

    metrics : sequence of {"mase", "rmse", "mae", "smape"}, \
default=("mase", "rmse", "mae", "smape")
        Errors scored per fold; the first one ranks the models.

    baseline : str, default=None
        Name of the model the others are tested against. None means
        "AR(aic)" when present, else the first model.

    seasonal_period : int, default=None
        Season length. Sets the default models (see
        :func:`~skrnn.comparison.default_models`) and the scale of MASE (the
        in-sample seasonal naive error; 1, the last-value naive error, when
        None).

    coverage : float, default=None
        If set (e.g. 0.9), every model also gives prediction intervals of
        this nominal coverage for the test rows of each fold
        (``predict_interval(X, coverage)``; every model must have it): the
        forecasts table gets "lower" and "upper" columns, the report scores
        them (:meth:`ComparisonReport.interval_scores`: empirical coverage,
        width, interval score) and draws them. Conformal intervals refit the
        model ``calibration_origins + horizon - 1`` times in each fold (see
        :meth:`skrnn.RecursiveForecaster.predict_interval`): for a network,
        that many trainings more. Where one of them diverges, the model's
        forecasts are kept and scored, its interval scores are NaN, and a
        ``RuntimeWarning`` names it. Not on panels yet.

    n_jobs : int, default=None
        Number of (model, fold) fits run in parallel with joblib; None means
        1 unless in a ``joblib.parallel_backend`` context, -1 all cores. The
        results do not depend on it.

    progress : bool, default=True
        Show a progress bar (tqdm, on stderr) when the comparison takes more
        than a second. It names the fit it waits for and its clock runs
        during a long fit (the first network fit also loads TensorFlow).

    Returns
    -------
    report : ComparisonReport or PanelComparisonReport
        Scores, forecasts, training curves, summary and Diebold-Mariano
        tables, each model's settings, plots and HTML output; for several
        series, a :class:`PanelComparisonReport`.

    Raises
    ------
    ValueError
        For bad input, before anything is fitted; when a model raises
        ValueError in a fold (naming the model and the fold); when every
        model failed.

    See Also
    --------
    ComparisonReport : What the report holds and renders.
    PanelComparisonReport : The report on several series.
    skrnn.comparison.default_models : The default models.
    skrnn.comparison.diebold_mariano : The test of each model against the
        baseline.

    Notes
    -----
    A model whose forecasts in some fold are NaN or infinite (a network
    that diverged, say) does not stop the comparison: its errors there are
    NaN, it is listed in ``report.failures``, it is not ranked, and the
    headline names it. The other models are scored as without it.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import compare
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.forecasting import ARForecaster, NaiveForecaster
    >>> y = np.log(load_airline())
    >>> report = compare(
    ...     {"AR": ARForecaster("aic"), "Naive": NaiveForecaster()},
    ...     y, horizon=12, seasonal_period=12, progress=False,
    ... )
    >>> report.summary().index.tolist()
    ['AR', 'Naive']
    >>> report.forecasts.shape
    (72, 6)
    """
    if is_panel(y):
        if coverage is not None:
            raise ValueError(
                "coverage= (prediction intervals) is not supported on several "
                "series yet. Leave it out, or compare the series one by one."
            )
        return compare_panel(
            models,
            y,
            X,
            horizon=horizon,
            cv=cv,
            metrics=metrics,
            baseline=baseline,
            seasonal_period=seasonal_period,
            n_jobs=n_jobs,
            progress=progress,
        )
    setup = _prepare(
        models, y, X, horizon, cv, metrics, baseline, seasonal_period, coverage
    )
    tasks = [
        (name, fold, model, train, test)
        for name, model in setup.named
        for fold, (train, test) in enumerate(setup.splits)
    ]
    jobs = (
        delayed(_fit_predict)(
            name, fold, model, setup.y, setup.X, train, test, setup.coverage
        )
        for name, fold, model, train, test in tasks
    )
    results = _run(tasks, jobs, n_jobs, progress)
    _warn_interval_failures(tasks, results)
    return _make_report(setup, tasks, results)
