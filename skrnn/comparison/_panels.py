"""compare on a panel: several series, each model fitted once per fold on all.

Each series is cut at its own last ``horizon`` points, fold by fold (the
same dates when the series end together), so that series that end at
different times are all scored on their most recent data. A global model
(one RecursiveForecaster over all series) is fitted once per fold; AR and
naive baselines fit each series on its own, under the same contract.
"""

import time
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import delayed
from sklearn.base import clone

from ..forecasting._panel import _dict_to_frame, ended_rows, parse_target
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
from ._metrics import METRICS
from ._panel_report import PanelComparisonReport
from ._tasks import (
    _checked_failures,
    _diverged,
    _history_rows,
    _result,
    _run,
    _settings_table,
)

__all__ = ["compare_panel", "is_panel"]


def is_panel(y):
    """Whether ``y`` holds several series (a dict, or a table of columns)."""
    if isinstance(y, dict):
        return True
    if isinstance(y, pd.DataFrame):
        return y.shape[1] > 1
    if isinstance(y, pd.Series) or y is None:
        return False
    shape = np.shape(y)
    return len(shape) == 2 and shape[1] > 1


@dataclass(frozen=True)
class _PanelSetup:
    """Checked inputs of a comparison on a panel."""

    y: pd.DataFrame
    X: pd.DataFrame  # no columns without exogenous regressors
    named: list
    metrics: list
    baseline: str
    starts: np.ndarray  # first observed row of each series
    cuts: np.ndarray  # (n_folds, n_series): first test row of each series
    horizon: int
    seasonal_period: int
    aligned: bool  # every series ends on the last row


def _check_panel(y, X):
    """y as a wide float DataFrame (NaN outside each series) and X on its rows."""
    if isinstance(y, dict):
        y = _dict_to_frame(y, "`y`")
    elif not isinstance(y, pd.DataFrame):
        y = pd.DataFrame(np.asarray(y))
    try:
        y = y.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"`y` must contain numbers. Got a column that does not convert to "
            f"float instead ({exc})."
        ) from exc
    if isinstance(y.columns, pd.MultiIndex) or any(
        isinstance(key, tuple) for key in y.columns
    ):
        raise ValueError(
            "The series of `y` must be named by strings or numbers. Got tuples "
            f"(e.g. {y.columns[0]!r}) instead; join them into one name, e.g. "
            "y.columns = ['_'.join(map(str, key)) for key in y.columns]."
        )
    if y.columns.has_duplicates:
        raise ValueError(
            "`y` has several series called "
            f"{y.columns[y.columns.duplicated()][0]!r}. Give each a unique name."
        )
    ended = ended_rows(y.notna().to_numpy())
    if ended:
        # Rows after every series has ended (a long table's future rows)
        # hold nothing to fit or score; each series is cut at its own end.
        end = len(y) - ended
        if X is not None and len(X) == len(y):
            X = X.iloc[:end] if hasattr(X, "iloc") else np.asarray(X)[:end]
        y = y.iloc[:end]
    target = parse_target(y, input_name="`y`")  # gaps, inf, empty columns
    axis = TimeAxis(y.index)  # refuses unsorted or duplicated time points
    if isinstance(y.index, pd.DatetimeIndex) and axis.freq is None:
        raise ValueError(
            "`y` has a DatetimeIndex without a regular frequency, so forecasts "
            "cannot be placed in time. Give it one (e.g. y.asfreq('MS'))."
        )
    if X is not None and target.lags.any():
        late = int(np.argmax(target.lags))
        raise ValueError(
            "Exogenous regressors `X` need every series to end at the same "
            f"time point, but {target.label(late)} ends "
            f"{int(target.lags[late])} time points before the last. Cut y "
            "to a common end (e.g. y.dropna()), or leave X out."
        )
    return y, _check_exog_rows(X, y.index), target


def _panel_cuts(y, target, cv, horizon):
    """First observed row and, per fold, first test row of every series."""
    if cv is not None and not (isinstance(cv, Integral) and not isinstance(cv, bool)):
        raise ValueError(
            "On a panel, `cv` must be None or an int, the number of folds: "
            "each series is cut at its own last `horizon` points, fold by fold. "
            f"Got {cv!r} instead."
        )
    n_splits = 3 if cv is None else int(cv)
    if n_splits < 1:
        raise ValueError(f"`cv` as an int must be at least 1. Got {cv} instead.")
    observed = y.notna().to_numpy()
    starts = observed.argmax(axis=0)
    ends = len(y) - target.lags  # one past each series' last observed row
    lengths = ends - starts
    needed = n_splits * horizon + 2
    short = int(np.argmin(lengths))
    if lengths[short] < needed:
        raise ValueError(
            f"{_capital(target.label(short))} of `y` is too short for "
            f"{n_splits} folds of horizon {horizon}: that needs at least "
            f"{needed} time points. It has {int(lengths[short])}; use a smaller "
            "horizon or fewer splits, or leave the shortest series out."
        )
    back = horizon * np.arange(n_splits, 0, -1)
    return starts, ends[None, :] - back[:, None]


def _capital(text):
    return text[:1].upper() + text[1:]


def _check_train_sizes(named, cuts, starts, target):
    """Refuse up front what a model would refuse in the first fold: the
    shortest series, or for a global model the longest (the others it
    forecasts from padded histories)."""
    lengths = cuts[0] - starts
    for name, model in named:
        minimum = _min_train_size(model)
        if minimum is None:
            continue
        pick = np.argmax if getattr(model, "_trains_short_series", False) else np.argmin
        j = int(pick(lengths))
        if lengths[j] < minimum:
            raise ValueError(
                f"Model {name!r} needs at least {minimum} training points, but "
                f"{target.label(j)} trains on {int(lengths[j])} in the first "
                "fold. Use a smaller horizon or fewer splits, leave the short "
                "series out, or give the model a smaller window."
            )


def _check_scales(y, starts, cuts, metrics, seasonal_period, target):
    """Every training part needs a positive (seasonal) naive error: MASE and
    the pooled test divide by it."""
    m = int(seasonal_period or 1)
    values = y.to_numpy()
    scaled = [name for name in metrics if METRICS[name].scaled]
    for j, begin in enumerate(starts):
        for fold, cut in enumerate(cuts[:, j]):
            train = values[begin:cut, j]
            if scaled and len(train) <= m:
                raise ValueError(
                    f"{_capital(target.label(j))} trains on {len(train)} points "
                    f"in fold {fold}, too few for the scale of "
                    f"{METRICS[scaled[0]].label} (the naive error at lag {m}). "
                    "Use a smaller horizon or fewer splits, or leave the "
                    "series out."
                )
            lag = m if len(train) > m else 1
            if not naive_scale(train, lag) > 0:
                raise ValueError(
                    f"{_capital(target.label(j))} does not change over its "
                    f"training points of fold {fold}, so its errors cannot be "
                    "scaled (MASE, the test on pooled errors). Leave it out of "
                    "the panel."
                )


def _prepare_panel(models, y, X, horizon, cv, metrics, baseline, seasonal_period):
    horizon = _check_horizon(horizon)
    metrics = _check_metrics(metrics)
    y, X, target = _check_panel(y, X)
    named = _check_models(models, seasonal_period)
    baseline = _check_baseline(baseline, named)
    starts, cuts = _panel_cuts(y, target, cv, horizon)
    _check_train_sizes(named, cuts, starts, target)
    _check_scales(y, starts, cuts, metrics, seasonal_period, target)
    return _PanelSetup(
        y,
        X,
        named,
        metrics,
        baseline,
        starts,
        cuts,
        horizon,
        int(seasonal_period or 1),
        aligned=not target.lags.any(),
    )


def _fit_forecast(name, fold, model, setup):
    """Clone, fit on every series' training part, forecast their next points."""
    y, h, cuts = setup.y, setup.horizon, setup.cuts[fold]
    estimator = clone(model)
    start = time.perf_counter()
    try:
        if setup.aligned:  # one cut for all: exogenous rows can follow it
            cut = int(cuts[0])
            estimator.fit(setup.X.iloc[:cut], y.iloc[:cut])
            fitted = time.perf_counter()
            y_pred = estimator.predict(setup.X.iloc[cut : cut + h])
        else:  # each series forecasts the points after its own end
            train = {
                key: y[key].iloc[begin:cut]
                for key, begin, cut in zip(y.columns, setup.starts, cuts, strict=True)
            }
            estimator.fit(None, train)
            fitted = time.perf_counter()
            y_pred = estimator.forecast(h)
        done = time.perf_counter()
        y_pred = _by_series(y_pred, y.columns, h)
    except FloatingPointError as exc:
        return _diverged(estimator, exc, (h, y.shape[1]), start)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Model {name!r} failed on fold {fold}: {exc} On a panel, a model "
            "must fit several series at once (a wide DataFrame or a dict of "
            "Series) and forecast each of them."
        ) from exc
    return _result(estimator, y_pred, start, fitted, done)


def _by_series(forecasts, names, h):
    """Forecasts as a float array (h, n_series), columns in the order of
    ``names``, whatever container the model returned."""
    if isinstance(forecasts, dict):
        forecasts = pd.DataFrame(
            {key: np.asarray(forecasts[key], dtype=np.float64) for key in names}
        )
    elif isinstance(forecasts, pd.DataFrame) and set(forecasts.columns) == set(names):
        forecasts = forecasts[list(names)]
    values = np.asarray(forecasts, dtype=np.float64)
    if values.shape != (h, len(names)):
        raise ValueError(
            f"It returned forecasts of shape {values.shape}, not one column of "
            f"{h} forecasts per series {(h, len(names))}."
        )
    return values


def _folds_table(setup):
    """One row per (series, fold): the training and test rows, as times."""
    index, h = setup.y.index, setup.horizon
    rows = []
    for j, key in enumerate(setup.y.columns):
        for fold, cuts in enumerate(setup.cuts):
            cut, begin = int(cuts[j]), int(setup.starts[j])
            train = (index[begin], index[cut - 1], cut - begin)
            rows.append((key, fold, *train, index[cut], index[cut + h - 1], h))
    columns = ["series", "fold", "train_start", "train_end", "n_train"]
    return pd.DataFrame(rows, columns=[*columns, "test_start", "test_end", "n_test"])


def _make_panel_report(setup, tasks, results):
    failures = _checked_failures(tasks, results, setup.named)
    names = [name for name, _ in setup.named]
    values, h, m = setup.y.to_numpy(), setup.horizon, setup.seasonal_period
    scores, forecasts, timings, histories = [], [], [], []
    for task, result in zip(tasks, results, strict=True):
        name, fold = task[:2]
        timings.append((name, fold, result["fit_seconds"], result["predict_seconds"]))
        for j, key in enumerate(setup.y.columns):
            cut, begin = int(setup.cuts[fold, j]), int(setup.starts[j])
            y_true, y_pred = values[cut : cut + h, j], result["y_pred"][:, j]
            for metric in setup.metrics:
                value = np.nan
                if result["failure"] is None:
                    value = METRICS[metric].score(
                        y_true, y_pred, values[begin:cut, j], m
                    )
                scores.append((name, key, fold, metric, value))
            forecasts.append(
                pd.DataFrame(
                    {
                        "model": name,
                        "series": [key] * h,
                        "fold": fold,
                        "time": setup.y.index[cut : cut + h],
                        "step": np.arange(1, h + 1),
                        "y_true": y_true,
                        "y_pred": y_pred,
                    }
                )
            )
        if result["history"]:
            histories.append(_history_rows(task, result))
    return PanelComparisonReport(
        scores=pd.DataFrame(
            scores, columns=["model", "series", "fold", "metric", "value"]
        ),
        forecasts=pd.concat(forecasts, ignore_index=True),
        timings=pd.DataFrame(
            timings, columns=["model", "fold", "fit_seconds", "predict_seconds"]
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
        horizon=h,
        settings=_settings_table(setup, tasks, results),
        failures=failures,
    )


def compare_panel(
    models, y, X, *, horizon, cv, metrics, baseline, seasonal_period, n_jobs, progress
):
    """:func:`~skrnn.compare` on several series; see its documentation."""
    setup = _prepare_panel(
        models, y, X, horizon, cv, metrics, baseline, seasonal_period
    )
    tasks = [
        (name, fold, model)
        for name, model in setup.named
        for fold in range(len(setup.cuts))
    ]
    jobs = (
        delayed(_fit_forecast)(name, fold, model, setup) for name, fold, model in tasks
    )
    results = _run(tasks, jobs, n_jobs, progress)
    return _make_panel_report(setup, tasks, results)
