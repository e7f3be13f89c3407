"""The (model, fold) fits of compare: running them, and what they record."""

import threading
import time

import numpy as np
import pandas as pd
from joblib import Parallel

__all__ = []


def _training_history(estimator):
    """The training curves of a fitted forecaster's network, or None."""
    history = getattr(estimator, "history_", None)
    if history is None:  # a forecaster without history_: its network's own
        history = getattr(getattr(estimator, "estimator_", None), "history_", None)
    if not isinstance(history, dict) or not history:
        return None
    return {key: list(values) for key, values in history.items()}


def _lag_text(lags):
    lags = [int(lag) for lag in lags]
    if not lags:
        return "none"
    if lags == list(range(lags[0], lags[-1] + 1)) and len(lags) > 2:
        return f"{lags[0]}-{lags[-1]}"
    return ",".join(map(str, lags))


def _fitted_facts(estimator, history):
    """What a fit decided: the window and differencing of "auto" choices,
    epochs run, AR lags chosen."""
    facts = {}
    params = (
        estimator.get_params(deep=False) if hasattr(estimator, "get_params") else {}
    )
    # Only what was left to the fit ("auto"); a value set is in the parameters.
    if params.get("window") == "auto" and hasattr(estimator, "window_"):
        facts["window"] = str(estimator.window_)
    chosen = "auto" in (params.get("differences"), params.get("seasonal_differences"))
    if chosen and hasattr(estimator, "differences_"):
        seasonal = getattr(estimator, "seasonal_differences_", 0)
        period = getattr(estimator, "seasonal_period_", None)
        facts["differences"] = f"{estimator.differences_}" + (
            f" + seasonal ({period})" if seasonal and period else ""
        )
    if history:
        facts["epochs run"] = str(len(next(iter(history.values()))))
    lags = getattr(estimator, "ar_lags_", None)
    if lags is not None and len(lags) <= 3:
        facts["AR lags"] = " | ".join(_lag_text(series) for series in lags)
    elif lags is not None:  # a panel: the range of the orders, not each one
        orders = [max(series, default=0) for series in lags]
        facts["AR order"] = f"{min(orders)}-{max(orders)}"
    return facts


class _Ticker(threading.Thread):
    """Redraws a progress bar every second, so a long fit shows time passing."""

    def __init__(self, bar):
        super().__init__(daemon=True)
        self.bar, self.stopped = bar, threading.Event()

    def run(self):
        while not self.stopped.wait(1.0):
            self.bar.refresh()


def _run(tasks, jobs, n_jobs, progress):
    """Results of the jobs (delayed calls, one per (model, fold) task), in the
    order of ``tasks`` whatever ``n_jobs``."""
    results = Parallel(n_jobs=n_jobs, return_as="generator")(jobs)
    if not progress:
        return list(results)
    from tqdm.auto import tqdm

    # delay: no bar at all for comparisons that finish in a blink; then the
    # bar names the fit it waits for and its clock runs during long fits.
    bar = tqdm(total=len(tasks), desc="compare", unit="fit", delay=1)
    ticker = _Ticker(bar)
    ticker.start()
    collected = []
    try:
        for name, fold, *_ in tasks:
            bar.set_postfix_str(f"{name}, fold {fold}", refresh=False)
            collected.append(next(results))
            bar.update()
    finally:
        ticker.stopped.set()
        bar.close()
    return collected


def _settings_text(model):
    """The parameters that tell two runs of a model apart, as "name=value"."""
    if not hasattr(model, "get_params"):
        return {}
    shown = {}
    params = model.get_params(deep=False)
    for key, value in params.items():
        if value is None or hasattr(value, "get_params"):
            continue
        shown[key] = value
    if params.get("intervals") == "analytic":  # AR: the origins are not used
        shown.pop("calibration_origins", None)
    inner = model.get_params(deep=False).get("estimator")
    if hasattr(inner, "get_params"):
        params = inner.get_params(deep=False)
        keys = [key for key in _NETWORK_KEYS if key in params]
        if keys:
            shown.update({key: params[key] for key in keys})
        else:  # a foreign regressor: its repr lists what differs from defaults
            shown["estimator"] = repr(inner)
    return {_SHOWN_AS.get(key, key): value for key, value in shown.items()}


_NETWORK_KEYS = (
    "cell",
    "units",
    "epochs",
    "batch_size",
    "learning_rate",
    "early_stopping",
    "patience",
    "validation_fraction",
    "random_state",
)

_SHOWN_AS = {"random_state": "seed"}


def _settings_table(setup, tasks, results):
    """One row per model: its kind, parameters and what its fits decided."""
    rows = []
    for name, model in setup.named:
        settings = _settings_text(model)
        facts = {}
        for task, result in zip(tasks, results, strict=True):
            if task[0] == name:
                for key, value in result["facts"].items():
                    facts.setdefault(key, []).append(value)
        rows.append(
            {
                "model": name,
                "kind": type(model).__name__,
                "parameters": ", ".join(f"{k}={v}" for k, v in settings.items()),
                "fitted": "; ".join(
                    f"{key} {' / '.join(values)}" for key, values in facts.items()
                ),
                "early_stopping": settings.get("early_stopping"),
                "epochs": settings.get("epochs"),
            }
        )
    return pd.DataFrame(rows).set_index("model")


def _failures_table(tasks, results):
    rows = [
        (task[0], task[1], result["failure"])
        for task, result in zip(tasks, results, strict=True)
        if result["failure"] is not None
    ]
    return pd.DataFrame(rows, columns=["model", "fold", "reason"])


def _result(estimator, y_pred, start, fitted, done, **extra):
    """What one (model, fold) fit records: forecasts, times, curves, facts,
    and why it failed (forecasts that are not finite), or None."""
    bad = int((~np.isfinite(y_pred)).sum())
    failure = f"{bad} of {y_pred.size} forecasts are NaN or infinite" if bad else None
    history = _training_history(estimator)
    return {
        "y_pred": y_pred,
        "fit_seconds": fitted - start,
        "predict_seconds": done - fitted,
        "history": history,
        "facts": _fitted_facts(estimator, history),
        "failure": failure,
        **extra,
    }


def _diverged(estimator, exc, shape, start, **extra):
    """The record of a fit whose training diverged (FloatingPointError): a
    failed fold, as NaN forecasts are, not the end of the comparison."""
    now = time.perf_counter()
    nan = np.full(shape, np.nan)
    return _result(estimator, nan, start, now, now, failure=str(exc), **extra)


def _checked_failures(tasks, results, named):
    """The failures table; an error when every model failed."""
    failures = _failures_table(tasks, results)
    if set(failures["model"]) == {name for name, _ in named}:
        first = failures.iloc[0]
        raise ValueError(
            "Every model failed, so there is nothing to compare: e.g. "
            f"{first['model']!r} on fold {first['fold']}: {first['reason']}. Check "
            "the data (its scale, its last values) and the models' settings."
        )
    return failures


def _history_rows(task, result):
    """The training curves of one fit, with its model and fold."""
    name, fold = task[:2]
    curves = pd.DataFrame(result["history"])
    curves.insert(0, "epoch", np.arange(1, len(curves) + 1))
    curves.insert(0, "fold", fold)
    curves.insert(0, "model", name)
    return curves
