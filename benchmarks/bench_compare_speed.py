"""How long the default `compare()` takes: airline, and a 2,284-point weekly series.

Issue 16 asks for the default `compare()` on the shipped airline series to
be 2x faster; issue 12 for a default `compare()` on a ~2,000-point series
to finish within 3 minutes on 2 cores. Each run is a fresh process (TensorFlow
start-up included), serial (`n_jobs=1`), with today's default models:

* `airline`: `compare(np.log(load_airline()), horizon=12,
  seasonal_period=12)`;
* `co2 weekly`: statsmodels' weekly CO2 series (2,284 points, gaps filled
  linearly), `compare(y, horizon=52, seasonal_period=52)`;
* `..., training as before`: the same call with the training of
  2026-12-02, the reference measured in this run: XLA compiles every batch
  step from the first epoch, the last batch of an epoch keeps its own shape
  (one more compilation for every training-set size), and the three networks
  of a fold each redo the choice of differencing. It is today's code with
  three module constants set back (`XLA_AFTER_TIMESTEPS = 0`, no padded
  batches, no remembered choices).

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
if which.endswith("training as before"):
    from skrnn.forecasting import _auto
    from skrnn.rnn import _keras
    _keras.XLA_AFTER_TIMESTEPS = _keras.XLA_PLANNED_TIMESTEPS = 0
    _keras._can_pad_batches = lambda spec: False
    _auto._MAX_CHOICES = 0
models = default_models(seasonal_period=season)
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
    series = ["airline"] if args.quick else ["airline", "co2 weekly"]
    runs = [f"{name}{how}" for name in series for how in (", training as before", "")]
    results = {which: _run(which, args.quick) for which in runs}
    rows = []
    for which, result in results.items():
        mase = result["mase"]
        rows.append(
            {
                "run": which,
                "points": result["n"],
                "seconds": round(result["seconds"], 1),
                "speed-up vs training as before": round(
                    results[f"{which.split(',')[0]}, training as before"]["seconds"]
                    / result["seconds"],
                    2,
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
