"""Defaults study: which network settings serve a user who changes nothing?

A handful of candidate settings of the training knobs (units, epochs, early
stopping, patience, validation fraction, learning rate, batch size) is
evaluated on held-out data carved out of the *training* parts only, so the
test parts of the accuracy benchmarks are never used for choosing:

* forecasting: a RecursiveForecaster with ``RNNRegressor("lstm", **candidate)``
  and the window/differencing of ``default_models`` on the training part of
  each series of bench_forecast_accuracy.py (airline log, monthly CO2,
  sunspots), scored by MASE on a rolling origin: ``TimeSeriesSplit(n_splits=3,
  test_size=h)``;
* classification: ``SequenceScaler`` + ``RNNClassifier("lstm", **candidate)``
  on the official training sets of GunPoint, ItalyPowerDemand and
  BasicMotions, scored by accuracy in a stratified 3-fold cross-validation.

Every (candidate, problem, fold) is run with 3 seeds. The tables give the
mean validation score per problem, a summary across problems (forecasting:
geometric mean of each candidate's MASE divided by the best candidate's on
that series; classification: mean accuracy), the mean number of epochs run
and the mean fit time.

Run: python benchmarks/bench_defaults.py [--quick] [--n-jobs N]
(--quick: two candidates, one seed, one problem each, 5 epochs; results go to
benchmarks/results/quick/.)
"""

import argparse
import time

import _common
import numpy as np
import pandas as pd
from bench_classification_accuracy import PROBLEMS, load_problem
from bench_forecast_accuracy import SERIES, no_exog, split

SEEDS = (0, 1, 2)
N_FOLDS = 3

# Every candidate spells out all the knobs studied, so that the table keeps its
# meaning when the package defaults change.
_BASE = dict(units=32, learning_rate=1e-3, batch_size=32)
CANDIDATES = {
    "A: ES on last 10%, patience 10, 100 ep (defaults before this study)": dict(
        _BASE, epochs=100, early_stopping=True, patience=10, validation_fraction=0.1
    ),
    "B: ES on last 10%, patience 20, 200 ep, lr 3e-3 (old default_models)": dict(
        _BASE,
        epochs=200,
        early_stopping=True,
        patience=20,
        validation_fraction=0.1,
        learning_rate=3e-3,
    ),
    "C: ES on training loss, patience 20, 200 ep, all data": dict(
        _BASE, epochs=200, early_stopping=True, patience=20, validation_fraction=0.0
    ),
    "D: no ES, 100 ep, all data": dict(
        _BASE, epochs=100, early_stopping=False, validation_fraction=0.0
    ),
    "E: no ES, 200 ep, all data": dict(
        _BASE, epochs=200, early_stopping=False, validation_fraction=0.0
    ),
    "F: no ES, 100 ep, all data, lr 3e-3": dict(
        _BASE,
        epochs=100,
        early_stopping=False,
        validation_fraction=0.0,
        learning_rate=3e-3,
    ),
    "G: no ES, 100 ep, all data, 64 units": dict(
        _BASE, epochs=100, early_stopping=False, validation_fraction=0.0, units=64
    ),
    "H: no ES, 100 ep, all data, batch 16": dict(
        _BASE, epochs=100, early_stopping=False, validation_fraction=0.0, batch_size=16
    ),
}


def _forecaster(m, params, seed):
    from sklearn.base import clone

    from skrnn import RNNRegressor
    from skrnn.comparison import default_models

    model = clone(default_models(m)["LSTM"])
    return model.set_params(estimator=RNNRegressor("lstm", random_state=seed, **params))


def forecast_task(candidate, name, seed, fold, params):
    """MASE of one fit on one rolling-origin fold inside the training part."""
    from sklearn.model_selection import TimeSeriesSplit

    from skrnn.metrics import mase

    y_train, _, h, m = split(name)  # the test part is dropped here
    train, val = list(TimeSeriesSplit(n_splits=N_FOLDS, test_size=h).split(y_train))[
        fold
    ]
    y_fit, y_val = y_train.iloc[train], y_train.iloc[val]
    start = time.perf_counter()
    model = _forecaster(m, params, seed).fit(no_exog(y_fit), y_fit)
    y_pred = model.forecast(h)
    score = mase(y_val, y_pred, y_train=y_fit, seasonal_period=m or 1)
    return {
        "part": "forecasting",
        "candidate": candidate,
        "problem": name,
        "seed": seed,
        "fold": fold,
        "score": float(score),
        "epochs_run": model.estimator_.n_epochs_,
        "seconds": time.perf_counter() - start,
    }


def classification_task(candidate, name, seed, fold, params):
    """Accuracy of one fit on one stratified fold of the official training set."""
    from bench_classification_accuracy import rnn_pipeline
    from sklearn.model_selection import StratifiedKFold

    X, y, _, _ = load_problem(name)  # the official test set is dropped here
    cv = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=0)
    train, val = list(cv.split(X, y))[fold]
    start = time.perf_counter()
    model = rnn_pipeline("lstm", seed, **params).fit(X[train], y[train])
    return {
        "part": "classification",
        "candidate": candidate,
        "problem": name,
        "seed": seed,
        "fold": fold,
        "score": float(model.score(X[val], y[val])),
        "epochs_run": model[-1].n_epochs_,
        "seconds": time.perf_counter() - start,
    }


def _logged(func, *args):
    result = func(*args)
    print(
        f"{result['part'][:8]} {result['candidate'][:2]} {result['problem']:18s} "
        f"seed {result['seed']} fold {result['fold']}: {result['score']:.3f} "
        f"({result['epochs_run']} ep, {result['seconds']:.1f} s)",
        flush=True,
    )
    return result


def summary_rows(runs, part):
    frame = pd.DataFrame([r for r in runs if r["part"] == part])
    per_problem = frame.pivot_table(
        index="candidate", columns="problem", values="score", aggfunc="mean", sort=False
    )
    spread = frame.groupby(["candidate", "problem"], sort=False)["score"].std()
    effort = frame.groupby("candidate", sort=False)[["epochs_run", "seconds"]].mean()
    if part == "forecasting":
        ratio = per_problem / per_problem.min(axis=0)
        summary = np.exp(np.log(ratio).mean(axis=1))
        summary_name = "MASE / best, geo-mean"
        ranks = per_problem.rank(axis=0)
    else:
        summary = per_problem.mean(axis=1)
        summary_name = "mean accuracy"
        ranks = per_problem.rank(axis=0, ascending=False)
    # Paired with the first candidate (the old defaults): same problem, seed
    # and fold, so initialisation and fold difficulty cancel out.
    paired = frame.pivot_table(
        index=["problem", "seed", "fold"], columns="candidate", values="score"
    )
    reference = per_problem.index[0]
    sign = -1 if part == "forecasting" else 1  # lower MASE, higher accuracy
    rows = []
    for candidate in per_problem.index:
        row = {"candidate": candidate}
        for problem in per_problem.columns:
            value, std = per_problem.loc[candidate, problem], spread[candidate, problem]
            row[problem] = (
                f"{value:.3f} ± {std:.3f}" if np.isfinite(std) else f"{value:.3f}"
            )
        row[summary_name] = f"{summary[candidate]:.3f}"
        row["mean rank"] = f"{ranks.loc[candidate].mean():.1f}"
        gain = sign * (paired[candidate] - paired[reference])
        row[f"vs {reference[0]}: better/tie/worse"] = (
            f"{(gain > 0).sum()}/{(gain == 0).sum()}/{(gain < 0).sum()}"
        )
        row["epochs run"] = f"{effort.loc[candidate, 'epochs_run']:.0f}"
        row["fit s"] = f"{effort.loc[candidate, 'seconds']:.1f}"
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (joblib)")
    parser.add_argument(
        "--part",
        choices=["forecasting", "classification", "both"],
        default="both",
        help="run only one half of the study",
    )
    args = parser.parse_args()
    candidates = CANDIDATES
    seeds, folds = SEEDS, range(N_FOLDS)
    series, problems = list(SERIES), list(PROBLEMS)
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
        candidates = {k: dict(v, epochs=5) for k, v in list(CANDIDATES.items())[:2]}
        seeds, folds = SEEDS[:1], range(1)
        series, problems = series[:1], problems[1:2]

    from joblib import Parallel, delayed

    tasks = []
    if args.part in ("forecasting", "both"):
        tasks += [
            (forecast_task, c, name, seed, fold, params)
            for c, params in candidates.items()
            for name in series
            for seed in seeds
            for fold in folds
        ]
    if args.part in ("classification", "both"):
        tasks += [
            (classification_task, c, name, seed, fold, params)
            for c, params in candidates.items()
            for name in problems
            for seed in seeds
            for fold in folds
        ]
    start = time.perf_counter()
    runs = list(Parallel(n_jobs=args.n_jobs)(delayed(_logged)(*task) for task in tasks))
    seconds = time.perf_counter() - start

    settings = "\n".join(
        f"* {name}: " + ", ".join(f"{k}={v}" for k, v in params.items())
        for name, params in candidates.items()
    )
    common = (
        f"Candidates (all with cell='lstm'):\n\n{settings}\n\n"
        f"{len(seeds)} seeds x {len(folds)} folds per candidate and problem; "
        "cells are mean ± std over those fits. 'mean rank' ranks the "
        "candidates per problem (1 = best). 'vs A' counts the paired fits "
        "(same problem, seed and fold) where the candidate scored better than, "
        "the same as, or worse than candidate A. 'epochs run' and 'fit s' are means "
        "per fit. No test data is used: the scores come from folds inside the "
        "training parts. Run time of the whole study "
        f"{seconds / 60:.1f} min with n_jobs={args.n_jobs}."
        + (" QUICK RUN (smoke test only: 5 epochs)." if args.quick else "")
    )
    extra = {
        "runs": runs,
        "candidates": candidates,
        "seconds": seconds,
        "quick": args.quick,
    }
    if any(r["part"] == "forecasting" for r in runs):
        print(
            _common.write_results(
                "defaults_forecasting",
                "Defaults study, forecasting: validation MASE (lower is better)",
                summary_rows(runs, "forecasting"),
                notes=(
                    "RecursiveForecaster with the window and differencing of "
                    "`default_models` around `RNNRegressor('lstm', **candidate)`, "
                    "MASE on rolling-origin folds of h points inside each "
                    "series' training part (`TimeSeriesSplit(n_splits=3, "
                    "test_size=h)`; the held-out test part of "
                    "bench_forecast_accuracy.py is dropped first). "
                    "'MASE / best, geo-mean' is the geometric mean over series of "
                    "the candidate's MASE divided by the best candidate's "
                    "(1 = best everywhere).\n\n" + common
                ),
                extra=extra,
            )
        )
    if any(r["part"] == "classification" for r in runs):
        print(
            _common.write_results(
                "defaults_classification",
                "Defaults study, classification: validation accuracy "
                "(higher is better)",
                summary_rows(runs, "classification"),
                notes=(
                    "`make_pipeline(SequenceScaler(), RNNClassifier('lstm', "
                    "**candidate))`, accuracy on the held-out folds of a "
                    "stratified 3-fold cross-validation (shuffled, "
                    "random_state=0) of each official training set; the "
                    "official test sets are not loaded.\n\n" + common
                ),
                extra=extra,
            )
        )


if __name__ == "__main__":
    main()
