"""Issue 12's development suite: does the default RNN forecaster beat AR(aic)?

Ten real univariate series that load offline (see ``_suite_data.py``), each
split once: the last ``h`` points are held out, every model is fitted on the
rest and forecasts them. Everything a model chooses (AR order, window,
differencing, the number of epochs) it chooses on the training part. Scored
by MASE (lag m = the season, 1 without one).

Models (the RNN ones over 3 seeds):

* ``LSTM default``: ``RecursiveForecaster(RNNRegressor(random_state=seed))``
  as a user gets it: window, differencing and season chosen on the training
  series ("auto"), the network's linear skip started at least squares, early
  stopping on the last 20% of the windows;
* ``GRU default`` and ``SimpleRNN default``: the same with the other cells,
  i.e. ``compare()``'s default networks;
* ``LSTM tuned``: the default inside ``GridSearchCV`` over units {16, 64} and
  cell {LSTM, GRU}, scored by MASE on 2 time-ordered folds of the training
  part (``TimeSeriesSplit(2, test_size=h)``), refitted on all of it (one
  seed: it costs 9 fits per run);
* ``LSTM before``: the defaults before issue 12 (window 12, no
  differencing, no linear skip, 100 epochs without early stopping);
* ``Linear auto``: ``RecursiveForecaster(LinearRegression())`` with the same
  "auto" choices: the linear model the network starts from, to show what the
  network adds;
* AR(aic) (``ARForecaster("aic")``) and seasonal naive (naive without a
  season).

``x3`` rows average the forecasts of the 3 seeds (a seed ensemble; one value,
no spread).

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

SEEDS = (0, 1, 2)
RNN_MODELS = (
    "LSTM default",
    "GRU default",
    "SimpleRNN default",
    "LSTM tuned",
    "LSTM before",
)
SINGLE_MODELS = ("AR(aic)", "Seasonal naive", "Linear auto")
ENSEMBLES = ("LSTM default", "LSTM before")


def make_model(name, seed, quick, m, h):
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from skrnn import RecursiveForecaster, RNNRegressor
    from skrnn.forecasting import ARForecaster, NaiveForecaster
    from skrnn.metrics import get_scorer

    epochs = {"epochs": 5} if quick else {}

    def rnn(cell="lstm", **params):
        return RNNRegressor(cell, random_state=seed, **epochs, **params)

    models = {
        "AR(aic)": lambda: ARForecaster("aic"),
        "Seasonal naive": lambda: (
            NaiveForecaster("seasonal_last", period=m) if m else NaiveForecaster("last")
        ),
        "Linear auto": lambda: RecursiveForecaster(LinearRegression()),
        "LSTM default": lambda: RecursiveForecaster(rnn()),
        "GRU default": lambda: RecursiveForecaster(rnn("gru")),
        "SimpleRNN default": lambda: RecursiveForecaster(rnn("simple")),
        "LSTM tuned": lambda: GridSearchCV(
            RecursiveForecaster(rnn()),
            {"estimator__units": [16, 64], "estimator__cell": ["lstm", "gru"]},
            cv=TimeSeriesSplit(2, test_size=h),
            scoring=get_scorer("mase", seasonal_period=m or 1),
        ),
        "LSTM before": lambda: RecursiveForecaster(
            rnn(linear_skip=False, early_stopping=False, validation_fraction=0.0),
            window=12,
            differences=0,
            seasonal_differences=0,
            seasonal_period=None,
        ),
    }
    return models[name]()


def run(series, model_name, seed, quick):
    from skrnn.metrics import mase

    y_train, y_test, h, m = split(series)
    model = make_model(model_name, seed, quick, m, h)
    start = time.perf_counter()
    model.fit(pd.DataFrame(index=y_train.index), y_train)
    fitted = getattr(model, "best_estimator_", model)
    y_pred = np.ravel(np.asarray(fitted.forecast(h), dtype=float))
    seconds = time.perf_counter() - start
    score = mase(y_test, y_pred, y_train=y_train, seasonal_period=m or 1)
    print(
        f"{series:18s} {model_name:14s} seed {seed}: MASE {score:.3f} "
        f"({seconds:.1f} s)",
        flush=True,
    )
    config = {
        key: getattr(fitted, key)
        for key in ("window_", "differences_", "seasonal_differences_")
        if hasattr(fitted, key)
    }
    if hasattr(model, "best_params_"):
        config.update(model.best_params_)
    estimator = getattr(fitted, "estimator_", None)
    if hasattr(estimator, "n_epochs_"):
        config["epochs"] = estimator.n_epochs_
    return {
        "series": series,
        "model": model_name,
        "seed": seed,
        "mase": float(score),
        "seconds": seconds,
        "config": config,
        "forecast": y_pred.tolist(),
    }


def with_ensembles(runs, seeds):
    """Add the seed ensembles: the mean of the seeds' forecasts."""
    from skrnn.metrics import mase

    by_key = {(r["series"], r["model"], r["seed"]): r for r in runs}
    extra = []
    for series in dict.fromkeys(r["series"] for r in runs):
        y_train, y_test, _, m = split(series)
        for model in ENSEMBLES:
            pred = np.mean(
                [by_key[(series, model, s)]["forecast"] for s in seeds], axis=0
            )
            score = mase(y_test, pred, y_train=y_train, seasonal_period=m or 1)
            extra.append(
                {
                    "series": series,
                    "model": f"{model} x{len(seeds)}",
                    "seed": None,
                    "mase": float(score),
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
    tasks = [(s, model, None) for s in names for model in SINGLE_MODELS]
    # The grid search costs 9 fits per run: one seed of it.
    tasks += [
        (s, model, seed)
        for s in names
        for model in RNN_MODELS
        for seed in (seeds[:1] if model == "LSTM tuned" else seeds)
    ]
    runs = list(
        Parallel(n_jobs=args.n_jobs)(delayed(run)(*task, args.quick) for task in tasks)
    )
    seconds = time.perf_counter() - start
    runs = with_ensembles(runs, seeds)
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
        "before (LSTM before).\n\n" + target_table + "\n"
    )
    print(table)
    print(target_table)


if __name__ == "__main__":
    main()
