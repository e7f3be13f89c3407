"""Issue 12's development suite: does the default RNN forecaster beat AR(aic)?

Ten real univariate series that load offline (see ``_suite_data.py``), each
split once: the last ``h`` points are held out, every model is fitted on the
rest and forecasts them. Everything a model chooses (AR order, window,
differencing) it chooses on the training part. Scored by MASE (lag m = the
season, 1 without one).

Base models (RNN ones over 5 seeds, with ``RNNRegressor()``'s defaults:
LSTM(32), 100 epochs, Adam 1e-3):

* ``RNN default``: ``RecursiveForecaster(RNNRegressor())`` as a user gets it
  (window 12, no differencing);
* ``RNN on D``: the window from AR(aic)'s order on the transformed series
  (at least the season), the season read from the index (M: 12, Q: 4) and
  the series seasonally differenced when there is one;
* ``Hybrid D``: the same transform; a linear AR part fitted by least squares
  on the windows plus an RNN fitted to its residuals (Zhang 2003; LSTNet's
  linear highway), forecast = linear + RNN, fed back step by step;
* ``Linear D``: that linear part alone (an AR on the seasonal differences);
* ``Linear auto`` / ``Hybrid auto``: differencing chosen among none, first,
  seasonal and both by the summed error of a linear AR's forecasts from 3
  rolling origins at the end of the training part;
* AR(aic) (``ARForecaster("aic")``), seasonal naive (naive without a season).

Combinations (averages of base forecasts, computed from the stored runs, seed
by seed): ``AR + Linear D``, ``AR + Hybrid D``, ``AR + RNN on D``,
``AR + RNN default``, and ``RNN default x5`` (the mean of the 5 seeds'
forecasts; one value, no spread).

Run: python benchmarks/bench_forecast_suite.py [--quick] [--n-jobs 2]
(--quick: one seed, three series, 5 epochs; results go to
benchmarks/results/quick/.)
"""

import argparse
import sys
import time
from pathlib import Path

import _common
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _suite_data import SUITE, split

SEEDS = (0, 1, 2, 3, 4)
RNN_MODELS = ("RNN default", "RNN on D", "Hybrid D")
COMBOS = {
    "AR + Linear D": ("AR(aic)", "Linear D"),
    "AR + Hybrid D": ("AR(aic)", "Hybrid D"),
    "AR + RNN on D": ("AR(aic)", "RNN on D"),
    "AR + RNN default": ("AR(aic)", "RNN default"),
}


def make_model(name, seed, quick, m):
    from _hybrid_proto import Hybrid

    from skrnn import RecursiveForecaster, RNNRegressor
    from skrnn.forecasting import ARForecaster, NaiveForecaster

    rnn = RNNRegressor(random_state=seed, epochs=5 if quick else 100)
    models = {
        "AR(aic)": lambda: ARForecaster("aic"),
        "Seasonal naive": lambda: (
            NaiveForecaster("seasonal_last", period=m) if m else NaiveForecaster("last")
        ),
        "Linear D": lambda: Hybrid(n_models=0, differences=0),
        "Linear auto": lambda: Hybrid(n_models=0),
        "RNN default": lambda: RecursiveForecaster(rnn),
        "RNN on D": lambda: Hybrid(rnn, differences=0, linear=False),
        "Hybrid D": lambda: Hybrid(rnn, differences=0),
    }
    return models[name]()


def run(series, model_name, seed, quick):
    from skrnn.metrics import mase

    y_train, y_test, h, m = split(series)
    model = make_model(model_name, seed, quick, m)
    start = time.perf_counter()
    model.fit(pd.DataFrame(index=y_train.index), y_train)
    y_pred = np.ravel(np.asarray(model.forecast(h), dtype=float))
    seconds = time.perf_counter() - start
    score = mase(y_test, y_pred, y_train=y_train, seasonal_period=m or 1)
    print(
        f"{series:18s} {model_name:14s} seed {seed}: MASE {score:.3f} "
        f"({seconds:.1f} s)",
        flush=True,
    )
    config = {
        key: getattr(model, key)
        for key in ("window_", "differences_", "seasonal_period_")
        if hasattr(model, key)
    }
    return {
        "series": series,
        "model": model_name,
        "seed": seed,
        "mase": float(score),
        "seconds": seconds,
        "config": config,
        "forecast": y_pred.tolist(),
    }


def with_combinations(runs, seeds):
    """Add the averaged forecasts (per seed) and the 5-seed ensemble."""
    from skrnn.metrics import mase

    by_key = {(r["series"], r["model"], r["seed"]): r for r in runs}
    extra = []
    for series in dict.fromkeys(r["series"] for r in runs):
        y_train, y_test, _, m = split(series)

        def forecast(model, seed, series=series):
            run = by_key.get((series, model, seed)) or by_key[(series, model, None)]
            return np.asarray(run["forecast"])

        def score(pred, y_test=y_test, y_train=y_train, m=m):
            return float(mase(y_test, pred, y_train=y_train, seasonal_period=m or 1))

        for combo, parts in COMBOS.items():
            for seed in seeds:
                pred = np.mean([forecast(p, seed) for p in parts], axis=0)
                extra.append(
                    {
                        "series": series,
                        "model": combo,
                        "seed": seed,
                        "mase": score(pred),
                        "forecast": pred.tolist(),
                    }
                )
        pred = np.mean([forecast("RNN default", s) for s in seeds], axis=0)
        extra.append(
            {
                "series": series,
                "model": f"RNN default x{len(seeds)}",
                "seed": None,
                "mase": score(pred),
                "forecast": pred.tolist(),
            }
        )
    return runs + extra


def summary(runs):
    """Per-series table (mean ± std over seeds) and the targets per model."""
    frame = pd.DataFrame(runs)
    stats = frame.groupby(["series", "model"], sort=False)["mase"].agg(
        ["mean", lambda s: s.std(ddof=1) if len(s) > 1 else 0.0]
    )
    stats.columns = ["mean", "std"]
    models = list(dict.fromkeys(frame["model"]))
    series = list(dict.fromkeys(frame["series"]))
    rows = []
    for name in series:
        row = {"series": name}
        for model in models:
            mean, std = stats.loc[(name, model)]
            row[model] = f"{mean:.3f}" + (f" ± {std:.3f}" if std else "")
        rows.append(row)
    means = stats["mean"].unstack("model").loc[series, models]
    stds = stats["std"].unstack("model").loc[series, models]
    ar, naive = means["AR(aic)"], means["Seasonal naive"]
    targets = []
    for model in models:
        ratio = means[model] / ar
        targets.append(
            {
                "model": model,
                "geo-mean MASE / AR(aic)": float(np.exp(np.log(ratio).mean())),
                "series with MASE <= AR(aic)": (
                    f"{int((means[model] <= ar + 1e-12).sum())}/{len(series)}"
                ),
                "worst MASE / seasonal naive": float((means[model] / naive).max()),
                "series > 1.1 x seasonal naive": int(
                    (means[model] > 1.1 * naive).sum()
                ),
                "mean seed std": float(stds[model].mean()),
            }
        )
    return rows, targets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel runs (joblib)")
    args = parser.parse_args()
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[:1] if args.quick else SEEDS
    names = list(SUITE)[:3] if args.quick else list(SUITE)

    from joblib import Parallel, delayed

    start = time.perf_counter()
    tasks = [
        (s, model, None)
        for s in names
        for model in ("AR(aic)", "Seasonal naive", "Linear D", "Linear auto")
    ]
    tasks += [(s, model, seed) for s in names for model in RNN_MODELS for seed in seeds]
    runs = list(
        Parallel(n_jobs=args.n_jobs)(delayed(run)(*task, args.quick) for task in tasks)
    )
    seconds = time.perf_counter() - start
    runs = with_combinations(runs, seeds)
    rows, targets = summary(runs)

    series_lines = "\n".join(
        f"* **{name}**: {len(split(name)[0])} training points, h = {SUITE[name][1]}, "
        f"m = {SUITE[name][2] or 1}."
        for name in names
    )
    fit_seconds = (
        pd.DataFrame([r for r in runs if "seconds" in r])
        .groupby("model", sort=False)["seconds"]
        .mean()
    )
    notes = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\nRun:", 1)[0]
        + f"\n\n{series_lines}\n\nCells: MASE, mean ± std over {len(seeds)} "
        "seed(s) for models with an RNN in them. Mean fit+forecast seconds: "
        + ", ".join(f"{k} {v:.1f}" for k, v in fit_seconds.items())
        + f". Run time {seconds / 60:.1f} min with n_jobs={args.n_jobs}."
        + (" QUICK RUN (smoke test only: 5 epochs)." if args.quick else "")
    )
    table = _common.write_results(
        "forecast_suite",
        "Issue 12 development suite: RNN forecasters vs AR(aic) on held-out data",
        rows,
        notes=notes,
        extra={
            "targets": targets,
            "runs": runs,
            "seconds": seconds,
            "quick": args.quick,
            "seeds": list(seeds),
        },
    )
    target_table = _common.markdown_table(targets)
    path = _common.RESULTS / "forecast_suite.md"
    path.write_text(
        path.read_text() + "\n## Against the targets\n\n"
        "Targets: geo-mean ratio <= 0.90, MASE <= AR(aic) on >= 2/3 of "
        "the series, never > 1.1 x seasonal naive, seed std a third of "
        "today's (RNN default).\n\n" + target_table + "\n"
    )
    print(table)
    print(target_table)


if __name__ == "__main__":
    main()
