"""Do 90% prediction intervals hold 90% of the values? Backtested coverage.

The ten real series of the development suite (``_suite_data.py``). For each
series, ``ORIGINS`` backtest origins at its end, ``STRIDE = ceil(h / 2)``
apart, the last one at ``n - h``: at each origin every model is fitted on the
series up to it and gives 90% intervals for the next ``h`` points, which are
then observed. Coverage is the share of these ``ORIGINS x h`` values inside
their interval (the windows overlap, so the points are not independent).

Models (window 12 for monthly series, 8 otherwise; the differencing chosen
on each training part, the "auto" default):

* ``Naive``: seasonal naive (naive without a season), conformal intervals,
  ``calibration_origins=20``;
* ``AR(aic)``: ``ARForecaster("aic")``, statsmodels' analytic intervals;
* ``AR(aic) conformal``: ``ARForecaster("aic", intervals="conformal")``,
  ``calibration_origins=20``: the same forecasts, conformal intervals;
* ``Linear``: ``RecursiveForecaster(LinearRegression())``, conformal,
  ``calibration_origins=20``;
* ``RNN``: ``RecursiveForecaster`` with a small GRU (8 units, 30 epochs,
  learning rate 0.01, seeded), conformal with ``calibration_origins=10``
  (the fewest that give a finite 90% interval is 9; each origin is one
  network training).

Scores: coverage, mean width, and the interval score of Gneiting & Raftery
(width plus 2 / 0.1 times the distance by which the value misses the
interval), both divided by the in-sample mean absolute error of the seasonal
naive forecast (MASE's scale), so they compare across series. Target:
coverage within 80-97% on every series, for every model.

With ``--dense``, the four models without a network are backtested at
``DENSE_ORIGINS`` (24) origins one step apart instead, written to
``interval_coverage_dense``: many more (still overlapping) windows, to tell
how much of a series' coverage is the noise of five origins.

Run: python benchmarks/bench_interval_coverage.py [--quick] [--dense]
(--quick: three series, two origins; results go to benchmarks/results/quick/.
The RNN keeps its 30 epochs there: skrnn compiles fits of 20 batch steps or
more, and a 3-epoch fit, run step by step, takes longer.)
"""

import argparse
import math
import sys
import time
from pathlib import Path

import _common
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _suite_data import SUITE, split

COVERAGE = 0.9
ORIGINS = 5
MODELS = ("Naive", "AR(aic)", "AR(aic) conformal", "Linear", "RNN")
# --dense: the models without a network, on many more origins (stride 1).
DENSE_ORIGINS = 24
DENSE_MODELS = ("Naive", "AR(aic)", "AR(aic) conformal", "Linear")
TARGET = (0.80, 0.97)


def make_model(name, m):
    from sklearn.linear_model import LinearRegression

    from skrnn import RecursiveForecaster, RNNRegressor
    from skrnn.forecasting import ARForecaster, NaiveForecaster

    window = 12 if m == 12 else 8
    if name == "Naive":
        if m:
            return NaiveForecaster("seasonal_last", period=m, calibration_origins=20)
        return NaiveForecaster("last", calibration_origins=20)
    if name == "AR(aic)":
        return ARForecaster("aic")
    if name == "AR(aic) conformal":
        return ARForecaster("aic", intervals="conformal", calibration_origins=20)
    if name == "Linear":
        return RecursiveForecaster(
            LinearRegression(), window=window, seasonal_period=m, calibration_origins=20
        )
    rnn = RNNRegressor("gru", units=8, epochs=30, learning_rate=0.01, random_state=0)
    return RecursiveForecaster(
        rnn, window=window, seasonal_period=m, calibration_origins=10
    )


def _scale(y_train, m):
    """In-sample mean absolute error of the seasonal naive forecast."""
    values = np.asarray(y_train, dtype=float)
    lag = m or 1
    return float(np.mean(np.abs(values[lag:] - values[:-lag])))


def run_series(series, n_origins, dense):
    y_train, y_test, h, m = split(series)
    y = pd.concat([y_train, y_test])
    n, stride = len(y), 1 if dense else math.ceil(h / 2)
    origins = [n - h - b * stride for b in reversed(range(n_origins))]
    runs = []
    for model_name in DENSE_MODELS if dense else MODELS:
        start = time.perf_counter()
        for origin in origins:
            model = make_model(model_name, m)
            train = y.iloc[:origin]
            model.fit(None, train)
            X = pd.DataFrame(index=y.index[origin : origin + h])
            intervals = model.predict_interval(X, coverage=COVERAGE)
            actual = y.iloc[origin : origin + h].to_numpy()
            lower = intervals["lower"].to_numpy()
            upper = intervals["upper"].to_numpy()
            scale = _scale(train, m)
            miss = np.maximum(lower - actual, 0) + np.maximum(actual - upper, 0)
            score = (upper - lower + 2 / (1 - COVERAGE) * miss) / scale
            run = {
                "series": series,
                "model": model_name,
                "origin": int(origin),
                "points": h,
                "inside": int(((lower <= actual) & (actual <= upper)).sum()),
                "width": float(np.mean((upper - lower) / scale)),
                "interval_score": float(np.mean(score)),
            }
            if not dense:  # the intervals themselves (the dense file stays small)
                run.update(
                    scale=scale,
                    lower=lower.tolist(),
                    upper=upper.tolist(),
                    actual=actual.tolist(),
                )
            runs.append(run)
        seconds = time.perf_counter() - start
        mine = [r for r in runs if r["model"] == model_name]
        inside = sum(r["inside"] for r in mine) / sum(r["points"] for r in mine)
        print(
            f"{series:18s} {model_name:8s} coverage {inside:.3f} ({seconds:.1f} s)",
            flush=True,
        )
        for r in runs:
            if r["model"] == model_name and "seconds" not in r:
                r["seconds"] = seconds / len(origins)
    return runs


def summary(runs, models):
    frame = pd.DataFrame(runs)
    grouped = frame.groupby(["series", "model"], sort=False)
    # Every origin of a series forecasts h points: means of the origins'
    # means are the means over all points.
    stats = grouped[["width", "interval_score"]].mean()
    stats.insert(0, "inside", grouped["inside"].sum() / grouped["points"].sum())
    points = grouped["points"].sum()
    series_names = list(dict.fromkeys(frame["series"]))
    rows = []
    for name in series_names:
        row = {"series": name, "points": int(points.loc[(name, models[0])])}
        for model in models:
            cov, width, score = stats.loc[(name, model)]
            row[model] = f"{100 * cov:.0f}% / {width:.2f} / {score:.2f}"
        rows.append(row)
    targets = []
    for model in models:
        cov = stats.xs(model, level="model")["inside"]
        inside_band = ((cov >= TARGET[0]) & (cov <= TARGET[1])).sum()
        targets.append(
            {
                "model": model,
                "mean coverage": float(cov.mean()),
                "lowest": float(cov.min()),
                "highest": float(cov.max()),
                f"series in {TARGET[0]:.0%}-{TARGET[1]:.0%}": (
                    f"{int(inside_band)}/{len(cov)}"
                ),
                "mean scaled width": float(
                    stats.xs(model, level="model")["width"].mean()
                ),
                "mean scaled interval score": float(
                    stats.xs(model, level="model")["interval_score"].mean()
                ),
            }
        )
    return rows, targets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    parser.add_argument(
        "--dense",
        action="store_true",
        help=f"no RNN; {DENSE_ORIGINS} origins one step apart "
        "(results/interval_coverage_dense.*)",
    )
    args = parser.parse_args()
    result = "interval_coverage_dense" if args.dense else "interval_coverage"
    models = DENSE_MODELS if args.dense else MODELS
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
    names = list(SUITE)[:3] if args.quick else list(SUITE)
    n_origins = 2 if args.quick else DENSE_ORIGINS if args.dense else ORIGINS

    start = time.perf_counter()
    runs = [run for name in names for run in run_series(name, n_origins, args.dense)]
    seconds = time.perf_counter() - start
    rows, targets = summary(runs, models)
    model_seconds = pd.DataFrame(runs).groupby("model", sort=False)["seconds"].mean()
    series_lines = "\n".join(
        f"* **{name}**: {len(split(name)[0]) + SUITE[name][1]} points, "
        f"h = {SUITE[name][1]}, m = {SUITE[name][2] or 1}."
        for name in names
    )
    notes = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\nRun:", 1)[0]
        + f"\n\n{series_lines}\n\nCells: coverage of the {COVERAGE:.0%} "
        "intervals / mean scaled width / mean scaled interval score, over "
        f"{n_origins} origins ({'one step' if args.dense else 'ceil(h / 2)'} "
        "apart) x h points (column `points`). Mean seconds per "
        "origin (fit + intervals, calibration refits included): "
        + ", ".join(f"{k} {v:.1f}" for k, v in model_seconds.items())
        + f". Run time {seconds / 60:.1f} min."
        + (" QUICK RUN (smoke test only)." if args.quick else "")
    )
    table = _common.write_results(
        result,
        "Backtested coverage of 90% prediction intervals on the development suite"
        + (" (dense origins, no RNN)" if args.dense else ""),
        rows,
        notes=notes,
        extra={
            "targets": targets,
            "runs": runs,
            "seconds": seconds,
            "quick": args.quick,
            "origins": n_origins,
            "coverage": COVERAGE,
        },
    )
    target_table = _common.markdown_table(targets)
    path = _common.RESULTS / f"{result}.md"
    path.write_text(
        path.read_text() + f"\n## Against the target\n\nTarget: coverage within "
        f"{TARGET[0]:.0%}-{TARGET[1]:.0%} on every series.\n\n" + target_table + "\n"
    )
    print(table)
    print(target_table)


if __name__ == "__main__":
    main()
