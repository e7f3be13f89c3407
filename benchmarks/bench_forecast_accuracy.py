"""Forecast accuracy on real series: skrnn's RNNs against naive and AR baselines.

Three series, each split once into a training part and a held-out test part
(the last ``h`` time points), which no model sees before it forecasts them:

* airline passengers (log scale), monthly, h=12, season 12;
* Mauna Loa CO2, weekly readings averaged to months (gaps interpolated),
  h=24, season 12;
* yearly sunspot numbers, h=11 (about one solar cycle), no fixed season.

The models are those of ``skrnn.compare`` when none are given
(``default_models``): SimpleRNN, LSTM and GRU RecursiveForecasters, AR(p)
with p by AIC, AR(1), naive and seasonal naive. Each RNN is run twice: with
``default_models``' configuration as it is, and tuned by a small
``GridSearchCV`` (window x units, rolling-origin ``TimeSeriesSplit`` of 3
folds of h points *inside the training part*, scored by MASE) and refitted on
the whole training part. RNN rows are mean ± standard deviation over 5 seeds;
the baselines are deterministic.

MASE divides the mean absolute forecast error by the in-sample mean absolute
error of the seasonal naive forecast on the training part (lag m = 12 for the
monthly series, 1 for sunspots): below 1 beats that naive forecast's
in-sample one-step error. RMSE is in the units of the modelled series (log
passengers, ppm, sunspot number).

Run: python benchmarks/bench_forecast_accuracy.py [--quick]
(--quick: one seed, one series, a tiny grid and few epochs; results go to
benchmarks/results/quick/ so the committed full results stay.)
"""

import argparse
import statistics
import time

import _common
import numpy as np
import pandas as pd

SEEDS = (0, 1, 2, 3, 4)


# -- data -------------------------------------------------------------------


def load_airline_log():
    from skrnn.datasets import load_airline

    return np.log(load_airline())


def load_co2_monthly():
    """Mauna Loa CO2 (statsmodels), weekly -> monthly means, gaps interpolated."""
    from statsmodels.datasets import co2

    weekly = co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate(method="linear")
    monthly.index = monthly.index.to_period("M")
    monthly.index.name = "month"
    return monthly.rename("co2")


def load_sunspots_yearly():
    from skrnn.datasets import load_sunspots

    return load_sunspots()


# name -> (loader, horizon h, seasonal period m or None)
SERIES = {
    "airline (log)": (load_airline_log, 12, 12),
    "co2 (monthly)": (load_co2_monthly, 24, 12),
    "sunspots (yearly)": (load_sunspots_yearly, 11, None),
}


def split(name):
    """(y_train, y_test, h, m) of a series: the test part is the last h points."""
    loader, h, m = SERIES[name]
    y = loader()
    return y.iloc[:-h], y.iloc[-h:], h, m


def no_exog(y):
    """The forecaster contract's X without regressors: the time index only."""
    return pd.DataFrame(index=y.index)


def scores(y_train, y_test, y_pred, m):
    from skrnn.metrics import mase, rmse

    return {
        "mase": mase(y_test, y_pred, y_train=y_train, seasonal_period=m or 1),
        "rmse": rmse(y_test, y_pred),
    }


def mean_std(values, digits=None):
    """'mean ± std' of the values (just the value when there is one).

    ``digits`` decimals, or by default 4 significant digits of the mean, with
    the standard deviation to the same decimal place.
    """
    values = [float(v) for v in values]
    mean = statistics.mean(values)
    if digits is None:
        magnitude = int(np.floor(np.log10(abs(mean)))) if mean else 0
        digits = max(0, 3 - magnitude)
    if len(values) == 1:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {statistics.stdev(values):.{digits}f}"


# -- models ----------------------------------------------------------------


def grid_for(quick):
    """Window x units: about one or two seasons (solar cycles), small or wide."""
    if quick:
        return {"window": [12, 24], "estimator__units": [16]}
    return {"window": [12, 24], "estimator__units": [16, 64]}


def tuned(forecaster, y_train, h, m, quick):
    """GridSearchCV on the training part only (rolling origin, h-step folds)."""
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from skrnn.metrics import get_scorer

    search = GridSearchCV(
        forecaster,
        grid_for(quick),
        cv=TimeSeriesSplit(n_splits=2 if quick else 3, test_size=h),
        scoring=get_scorer("mase", seasonal_period=m or 1),
        error_score="raise",
    )
    return search.fit(no_exog(y_train), y_train)


def run_rnn(name, model_name, variant, seed, quick):
    """One seeded RNN run (default configuration or grid search) on a series."""
    from sklearn.base import clone

    from skrnn.comparison import default_models

    y_train, y_test, h, m = split(name)
    model = clone(default_models(m)[model_name])
    model.set_params(estimator__random_state=seed)
    if quick:
        model.set_params(estimator__epochs=5)
    start = time.perf_counter()
    if variant == "default":
        fitted = model.fit(no_exog(y_train), y_train)
        best = {}
    else:
        search = tuned(model, y_train, h, m, quick)
        fitted, best = search.best_estimator_, search.best_params_
    y_pred = fitted.forecast(h)
    seconds = time.perf_counter() - start
    result = scores(y_train, y_test, y_pred, m)
    print(
        f"{name:18s} {model_name:10s} {variant:11s} seed {seed}: "
        f"MASE {result['mase']:.3f} ({seconds:.1f} s)",
        flush=True,
    )
    return {
        "series": name,
        "model": model_name,
        "variant": variant,
        "seed": seed,
        **result,
        "best_params": {k.removeprefix("estimator__"): v for k, v in best.items()},
        "epochs_run": fitted.estimator_.n_epochs_,
        "seconds": seconds,
        "forecast": np.asarray(y_pred).tolist(),
    }


def run_baselines(name):
    from sklearn.base import clone

    from skrnn.comparison import default_models

    y_train, y_test, h, m = split(name)
    runs = []
    for model_name, model in default_models(m).items():
        if hasattr(model, "window"):
            continue
        start = time.perf_counter()
        fitted = clone(model).fit(no_exog(y_train), y_train)
        y_pred = fitted.forecast(h)
        result = scores(y_train, y_test, y_pred, m)
        detail = f"p={len(fitted.ar_lags_[0])}" if hasattr(fitted, "ar_lags_") else ""
        runs.append(
            {
                "series": name,
                "model": model_name,
                "variant": "baseline",
                "seed": None,
                **result,
                "detail": detail,
                "seconds": time.perf_counter() - start,
                "forecast": np.asarray(y_pred).tolist(),
            }
        )
    return runs


def table_rows(runs):
    """One row per series and model; RNN runs as mean ± std over seeds."""
    frame = pd.DataFrame(runs)
    rows = []
    for name in dict.fromkeys(frame["series"]):
        on_series = frame[frame["series"] == name]
        for (model, variant), group in on_series.groupby(
            ["model", "variant"], sort=False
        ):
            if variant == "baseline":
                (run,) = group.to_dict("records")
                rows.append(
                    {
                        "series": name,
                        "model": model,
                        "MASE": f"{run['mase']:.3f}",
                        "RMSE": mean_std([run["rmse"]]),
                        "note": run["detail"],
                    }
                )
                continue
            note = f"{group['epochs_run'].mean():.0f} epochs run (mean)"
            if variant == "grid search":
                chosen = group["best_params"].map(
                    lambda p: ", ".join(f"{k}={v}" for k, v in sorted(p.items()))
                )
                note = "chosen: " + "; ".join(
                    f"{k} (x{n})" for k, n in chosen.value_counts().items()
                )
            rows.append(
                {
                    "series": name,
                    "model": f"{model} ({variant})",
                    "MASE": mean_std(group["mase"], 3),
                    "RMSE": mean_std(group["rmse"]),
                    "note": note,
                }
            )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="parallel RNN runs (joblib)"
    )
    args = parser.parse_args()
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[:1] if args.quick else SEEDS
    names = ["airline (log)"] if args.quick else list(SERIES)

    from joblib import Parallel, delayed

    from skrnn.comparison import default_models

    start = time.perf_counter()
    tasks = [
        (name, model_name, variant, seed)
        for name in names
        for model_name, model in default_models(SERIES[name][2]).items()
        if hasattr(model, "window")
        for variant in ("default", "grid search")
        for seed in seeds
    ]
    runs = Parallel(n_jobs=args.n_jobs)(
        delayed(run_rnn)(*task, args.quick) for task in tasks
    )
    runs = list(runs)
    for name in names:
        runs += run_baselines(name)
    order = {name: i for i, name in enumerate(names)}
    runs.sort(key=lambda r: order[r["series"]])
    seconds = time.perf_counter() - start

    series_lines = "\n".join(
        f"* **{name}**: {len(split(name)[0])} training points, test = the last "
        f"{SERIES[name][1]}; MASE lag m = {SERIES[name][2] or 1}."
        for name in names
    )
    grid = grid_for(args.quick)
    notes = (
        "Hold-out accuracy: every model is fitted on the training part of the "
        "series and forecasts the last h points, which it has not seen.\n\n"
        f"{series_lines}\n\n"
        "Models are `skrnn.comparison.default_models(seasonal_period=m)` "
        "(what `skrnn.compare` runs by default). '(default)': that "
        "configuration as it is. '(grid search)': `GridSearchCV` over "
        f"window {grid['window']} x units {grid['estimator__units']} with "
        f"`TimeSeriesSplit(n_splits={2 if args.quick else 3}, test_size=h)` on "
        "the training part only, scored by MASE, refitted on the whole "
        "training part; the note counts the chosen settings over seeds. RNN "
        f"rows: mean ± std over {len(seeds)} seed(s). AR rows give the order "
        "p (chosen by AIC, or fixed). MASE < 1: smaller errors than the "
        "in-sample seasonal naive (lag m) forecast; RMSE in the units of the "
        "modelled series (log passengers, ppm, sunspot number). "
        f"Run time {seconds / 60:.1f} min with n_jobs={args.n_jobs}."
        + (" QUICK RUN (smoke test only: 5 epochs, tiny grid)." if args.quick else "")
    )
    print(
        _common.write_results(
            "forecast_accuracy",
            "Forecast accuracy on held-out data: RNNs vs AR and naive baselines",
            table_rows(runs),
            notes=notes,
            extra={"runs": runs, "seconds": seconds, "quick": args.quick},
        )
    )


if __name__ == "__main__":
    main()
