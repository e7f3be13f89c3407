"""Run every benchmark in benchmarks/ and write a combined summary.

Each benchmark runs as its own process (``python bench_<name>.py [--quick]``),
so that TensorFlow state, memory and timing of one cannot leak into another.
Afterwards ``results/README.md`` (``results/quick/README.md`` with
``--quick``) embeds the latest table of every benchmark, with the run time
and status of the latest run of each (kept in ``results/run_all.json``).

Run:
    python benchmarks/run_all.py                 # everything, full size
    python benchmarks/run_all.py --quick         # CI-sized smoke run
    python benchmarks/run_all.py --only scaling forecast_accuracy
    python benchmarks/run_all.py --list
    python benchmarks/run_all.py --summary-only  # rewrite results/README.md

With --quick the accuracy benchmarks write to results/quick/ (their full
results are what the repository keeps); the speed benchmarks write their
usual files. A whole --quick run takes about 4 minutes on 2 cores
(bench_memory.py --quick about 1 of them).
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results"

# name -> (what it measures, result files it writes, kind, accepts --n-jobs)
BENCHMARKS = {
    "forecast_accuracy": (
        "hold-out MASE/RMSE of SimpleRNN/LSTM/GRU (default and grid-searched) vs "
        "AR(aic), AR(1), naive and seasonal naive on airline, CO2, sunspots",
        ["forecast_accuracy"],
        "accuracy",
        True,
    ),
    "classification_accuracy": (
        "test accuracy and fit time of the default RNNClassifier, two "
        "variants and sktime's LSTM-FCN on six UCR/UEA sets (issue 14) next "
        "to published 1-NN DTW",
        ["classification_accuracy"],
        "accuracy",
        True,
    ),
    "defaults": (
        "validation scores of candidate default training settings "
        "(forecasting and classification), the evidence for the defaults",
        ["defaults_forecasting", "defaults_classification"],
        "accuracy",
        True,
    ),
    "recall": (
        "test R² of SimpleRNN/LSTM/GRU recalling step 0 of 100-step noise, "
        "skrnn vs plain Keras, and what lets the gated cells learn it",
        ["recall"],
        "accuracy",
        False,
    ),
    "forecast_suite": (
        "hold-out MASE of the default RNN forecasters (and the defaults "
        "before, a tuned one, the linear part) vs AR(aic) on ten real series",
        ["forecast_suite"],
        "accuracy",
        True,
    ),
    "interval_coverage": (
        "backtested coverage, width and interval score of 90% prediction "
        "intervals (naive, AR analytic and conformal, linear and RNN conformal) "
        "on ten real series",
        ["interval_coverage"],
        "accuracy",
        False,
    ),
    "panels": (
        "issue 13: global vs per-series RNN, AR(aic) and seasonal naive on "
        "macro's 12 quarterly series (ragged), fpp2's visnights and prison "
        "and 1,000 synthetic series; mean/median MASE and fit time",
        ["panels"],
        "accuracy",
        False,
    ),
    "panel_scale": (
        "issue 13: one global RNN on panels of 1,000 and 10,000 series of 20 "
        "to 500 points: fit and forecast time per series, peak memory",
        ["panel_scale"],
        "speed",
        False,
    ),
    "forecast_peers": (
        "issue 12 peers: hold-out MASE of the tutorial loop, sktime's "
        "make_reduction(SimpleRNNRegressor) and skforecast's ForecasterRnn on "
        "the ten series of forecast_suite",
        ["forecast_peers"],
        "accuracy",
        False,
    ),
    "text": (
        "issue 15: test accuracy and fit time of TextTokenizer + "
        "RNNClassifier(embedding_dim) vs TF-IDF + logistic regression on "
        "dslabs' campaign tweets (Android vs iPhone)",
        ["text"],
        "accuracy",
        False,
    ),
    "training_parity": (
        "skrnn's compiled training vs Keras's fit from the same weights: "
        "the order of the batches",
        ["training_parity"],
        "accuracy",
        False,
    ),
    "fit_overhead": (
        "RNNRegressor.fit throughput vs raw Keras model.fit; import time",
        ["fit_overhead", "import_time"],
        "speed",
        False,
    ),
    "recursive_forecast": (
        "time per forecast step: compiled recursion vs per-step Keras calls",
        ["recursive_forecast"],
        "speed",
        False,
    ),
    "make_windows": (
        "make_windows vs a Python loop",
        ["make_windows"],
        "speed",
        False,
    ),
    "scaling": (
        "fit time vs number of windows and window length",
        ["scaling"],
        "speed",
        False,
    ),
    "parallel": (
        "grid search serial vs n_jobs=2, and thread oversubscription",
        ["parallel"],
        "speed",
        False,
    ),
    "compare_speed": (
        "time of the default compare() on airline and a 2,284-point weekly "
        "series, vs the training of 2026-12-02 in the same run",
        ["compare_speed"],
        "speed",
        False,
    ),
    "memory": (
        "resident memory over many fits and a grid search",
        ["memory"],
        "memory",
        False,
    ),
}
SKIPPED_WHEN_QUICK = set()  # names to leave out of --quick runs


def discover():
    """Registered benchmarks, then any other bench_*.py found beside this file."""
    found = dict(BENCHMARKS)
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if name not in found:
            # Not registered: assume it writes results/<name>.md, as most do.
            found[name] = ("(not described in run_all.py)", [name], "other", False)
    return {name: spec for name, spec in found.items() if _script(name).exists()}


def _script(name):
    return HERE / f"bench_{name}.py"


def run(name, quick, n_jobs):
    command = [sys.executable, str(_script(name))]
    if quick:
        command.append("--quick")
    if n_jobs is not None and BENCHMARKS.get(name, (None,) * 4)[3]:
        command += ["--n-jobs", str(n_jobs)]
    print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
    start = time.perf_counter()
    status = subprocess.run(command, cwd=HERE, check=False).returncode
    seconds = time.perf_counter() - start
    print(f"=== {name}: exit {status} after {seconds:.0f} s", flush=True)
    return {
        "seconds": round(seconds, 1),
        "status": "ok" if status == 0 else f"failed (exit {status})",
        "quick": quick,
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _table_file(result, quick, kind):
    """The latest Markdown table of a result: quick/ first for quick accuracy runs."""
    candidates = [RESULTS / f"{result}.md"]
    if quick and kind != "speed":
        candidates.insert(0, RESULTS / "quick" / f"{result}.md")
    return next((path for path in candidates if path.exists()), None)


def _recorded_run(results, quick, kind):
    """What a result file says of its run, for benchmarks run on their own."""
    for result in results:
        table = _table_file(result, quick, kind)
        if table is None or not table.with_suffix(".json").exists():
            continue
        payload = json.loads(table.with_suffix(".json").read_text())
        seconds = payload.get("seconds")
        return {
            "seconds": seconds if seconds is not None else float("nan"),
            "status": "ok (run on its own)",
            "quick": bool(payload.get("quick", False)),
            "date": payload.get("environment", {}).get("date", "?"),
        }
    return None


def write_summary(benchmarks, runs, quick):
    out_dir = RESULTS / "quick" if quick else RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "# skrnn benchmark results" + (" (quick run)" if quick else ""),
        "",
        "Written by `python benchmarks/run_all.py"
        + (" --quick`" if quick else "`")
        + "; see benchmarks/README.md for what each benchmark measures and "
        "how to read it. Each section below is the latest table the benchmark "
        "wrote (its own .md/.json files sit beside this one).",
        "",
        "| benchmark | measures | last run | run time | status |",
        "|---|---|---|---|---|",
    ]
    for name, (what, results, kind, _) in benchmarks.items():
        last = runs.get(name) or _recorded_run(results, quick, kind)
        when = f"{last['date']}" + (" (quick)" if last["quick"] else "") if last else ""
        took = f"{last['seconds'] / 60:.1f} min" if last else ""
        took = "" if took == "nan min" else took
        status = last["status"] if last else "not run"
        lines.append(f"| [{name}](#{name}) | {what} | {when} | {took} | {status} |")
    for name, (_, results, kind, _) in benchmarks.items():
        lines += ["", f"## {name}", ""]
        tables = [(r, _table_file(r, quick, kind)) for r in results]
        if not any(path for _, path in tables):
            lines.append("No results yet.")
        for result, path in tables:
            if path is None:
                lines.append(f"`{result}`: no results yet.")
                continue
            link = path.relative_to(out_dir) if path.is_relative_to(out_dir) else None
            link = link or Path("..") / path.relative_to(RESULTS)
            text = path.read_text().strip().splitlines() or [result]
            title = text[0].lstrip("# ").strip()
            body = "\n".join(text[1:]).strip()
            lines += [f"### {title}", "", f"Source: [{link}]({link.as_posix()})"]
            lines += ["", body, ""]
    (out_dir / "README.md").write_text("\n".join(lines).rstrip() + "\n")
    return out_dir / "README.md"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized runs")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="run only these benchmarks"
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="parallel fits inside the accuracy benchmarks (default: 1)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the benchmarks and exit"
    )
    parser.add_argument(
        "--summary-only",
        action="store_true",
        help="run nothing; rewrite the summary from the results on disk",
    )
    args = parser.parse_args()
    benchmarks = discover()
    if args.list:
        for name, (what, _, kind, _) in benchmarks.items():
            print(f"{name:24s} [{kind}] {what}")
        return 0

    if args.summary_only:
        names = []
    elif args.only:
        names = [n.removeprefix("bench_").removesuffix(".py") for n in args.only]
        unknown = [n for n in names if n not in benchmarks]
        if unknown:
            parser.error(
                f"unknown benchmark(s) {', '.join(unknown)}; choose from "
                f"{', '.join(benchmarks)}"
            )
    else:
        names = [n for n in benchmarks if not (args.quick and n in SKIPPED_WHEN_QUICK)]

    log_path = RESULTS / ("quick" if args.quick else "") / "run_all.json"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(log_path.read_text()) if log_path.exists() else {}
    for name in names:
        runs[name] = run(name, args.quick, args.n_jobs)
        log_path.write_text(json.dumps(runs, indent=2))
    summary = write_summary(benchmarks, runs, args.quick)
    print(f"\nSummary: {summary}")
    failed = [n for n in names if runs[n]["status"] != "ok"]
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
