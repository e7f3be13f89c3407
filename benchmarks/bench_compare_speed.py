"""How long the default ``compare()`` takes: airline, and a 2,284-point weekly series.

Issue 16 asks for the default ``compare()`` on the shipped airline series to
be 2x faster; issue 12 for a default ``compare()`` on a ~2,000-point series
to finish within 3 minutes on 2 cores. Each run is a fresh process (TensorFlow
start-up included), serial (``n_jobs=1``):

* ``airline, defaults before``: on log airline, with horizon 12 and season
  12, the default models as they were before issue 12
  (window 24 on the seasonal differences, no linear skip, 100 epochs without
  early stopping), given explicitly;
* ``airline, defaults``: the same call with today's default models;
* ``co2 weekly, defaults``: statsmodels' weekly CO2 series (2,284 points,
  gaps filled linearly), ``compare(y, horizon=52, seasonal_period=52)``
  with today's default models (the defaults before would take about 20
  minutes; not run).

The MASE of each model in the report is recorded next to the time, so that a
faster default can be seen not to be a worse one.

Run: python benchmarks/bench_compare_speed.py [--quick]
(--quick: the airline runs only, with 5 epochs.)
"""

import argparse

from _common import run_in_fresh_process, write_results

RUN = """
import json, sys, time
start = time.perf_counter()
import numpy as np, pandas as pd
import skrnn
from skrnn.comparison import default_models
which, quick = sys.argv[1], sys.argv[2] == "1"
if which.startswith("airline"):
    from skrnn.datasets import load_airline
    y, horizon, season = np.log(load_airline()), 12, 12
else:
    from statsmodels.datasets import co2
    y = co2.load_pandas().data["co2"].interpolate(method="linear")
    y = y.asfreq(pd.infer_freq(y.index))
    horizon, season = 52, 52
models = default_models(seasonal_period=season)
if which.endswith("before"):
    from skrnn import RecursiveForecaster, RNNRegressor
    for name in ("SimpleRNN", "LSTM", "GRU"):
        cell = models[name].estimator.cell
        models[name] = RecursiveForecaster(
            RNNRegressor(cell, random_state=0, linear_skip=False,
                         early_stopping=False, validation_fraction=0.0),
            window=2 * season, differences=0, seasonal_differences=1,
            seasonal_period=season,
        )
if quick:
    for name in ("SimpleRNN", "LSTM", "GRU"):
        models[name].set_params(estimator__epochs=5)
report = skrnn.compare(models, y, horizon=horizon, seasonal_period=season,
                       progress=False)
seconds = time.perf_counter() - start
mase = report.summary()["mase_mean"].to_dict()
print(json.dumps({"seconds": seconds, "n": len(y), "mase": mase}))
"""


def _run(which, quick):
    return run_in_fresh_process(RUN, which, "1" if quick else "0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    runs = ["airline, defaults before", "airline, defaults"]
    if not args.quick:
        runs.append("co2 weekly, defaults")
    results = {which: _run(which, args.quick) for which in runs}
    before = results["airline, defaults before"]["seconds"]
    rows = []
    for which, result in results.items():
        mase = result["mase"]
        rows.append(
            {
                "run": which,
                "points": result["n"],
                "seconds": round(result["seconds"], 1),
                "speed-up vs airline before": (
                    round(before / result["seconds"], 2)
                    if which.startswith("airline")
                    else ""
                ),
                "MASE LSTM / GRU / SimpleRNN / AR(aic)": " / ".join(
                    f"{mase.get(name, float('nan')):.3f}"
                    for name in ("LSTM", "GRU", "SimpleRNN", "AR(aic)")
                ),
            }
        )
    table = write_results(
        "compare_speed",
        "Time of the default compare() (fresh process, serial)",
        rows,
        notes=__doc__.split("\n\n", 1)[1].rsplit("\n\nRun:", 1)[0]
        + (" QUICK RUN (5 epochs)." if args.quick else ""),
        extra={"runs": results, "quick": args.quick},
    )
    print(table)


if __name__ == "__main__":
    main()
