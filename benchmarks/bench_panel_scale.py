"""One global RNN on panels of 1,000 and 10,000 series of 20 to 500 points
(issue 13): fit and forecast time per series, and peak memory.

Each panel holds monthly series of random lengths between 20 and 500 points
(uniform), ragged starts, with a level, a trend, a yearly season of random
amplitude and phase, and AR(1) noise. The default ``RecursiveForecaster()``
(one LSTM for all series; window, differencing and season chosen on the
panel) is fitted on the panel and forecasts every series 12 months ahead.
Series shorter than the window train nothing and are forecast from their
padded history. Each size runs in a fresh interpreter, so that its peak
resident memory (``ru_maxrss``, TensorFlow included) is its own; the
1,000-series run is the reference the 10,000-series one is compared with.

Run: ``python benchmarks/bench_panel_scale.py [--quick]`` (about 8 minutes
on 2 cores; --quick: 100 and 300 series, results in benchmarks/results/quick/).
"""

import argparse

import _common
from _common import run_in_fresh_process, write_results

CHILD = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
from skrnn import RecursiveForecaster

n_series = int(sys.argv[1])
rng = np.random.default_rng(0)
end = pd.Period("2024-12", "M")
panel = {}
for j in range(n_series):
    n = int(rng.integers(20, 501))
    t = np.arange(n)
    shocks = rng.normal(scale=rng.uniform(0.2, 1.0), size=n)
    noise = np.zeros(n)
    phi = rng.uniform(0.2, 0.8)
    for i in range(1, n):
        noise[i] = phi * noise[i - 1] + shocks[i]
    values = (
        rng.uniform(20, 100) + rng.uniform(-0.05, 0.05) * t
        + rng.uniform(1, 8) * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6.3))
        + noise
    )
    panel[f"s{j:05d}"] = pd.Series(
        values, index=pd.period_range(end=end, periods=n, freq="M")
    )
points = sum(len(s) for s in panel.values())
model = RecursiveForecaster()
start = time.perf_counter()
model.fit(None, panel)
fitted = time.perf_counter()
forecasts = model.forecast(12)
done = time.perf_counter()
finite = sum(bool(np.isfinite(f).all()) for f in forecasts.values())
print(json.dumps({
    "series": n_series,
    "points": points,
    "window": model.window_,
    "differences": model.differences_,
    "seasonal differences": model.seasonal_differences_,
    "epochs run": len(model.history_["loss"]) if model.history_ else None,
    "fit s": fitted - start,
    "forecast s": done - fitted,
    "fit ms per series": 1000 * (fitted - start) / n_series,
    "forecast ms per series": 1000 * (done - fitted) / n_series,
    "series with finite forecasts": finite,
    "peak memory MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    args = parser.parse_args()
    sizes = (1000, 10000)
    if args.quick:
        sizes = (100, 300)
        _common.RESULTS = _common.RESULTS / "quick"
    rows = []
    for n in sizes:
        row = run_in_fresh_process(CHILD, n)
        print(row, flush=True)
        rows.append(row)
    reference = rows[0]
    for row in rows:
        row["fit s / reference"] = row["fit s"] / reference["fit s"]
        row["series / reference"] = row["series"] / reference["series"]
    notes = (
        "One fresh interpreter per panel. Times are for all series together; "
        "per-series figures divide by the number of series. `fit s / "
        "reference` is the fit time relative to the smallest panel, beside "
        "`series / reference`: linear scaling would make them equal."
    )
    print(
        write_results(
            "panel_scale",
            "One global RNN on panels of up to 10,000 series",
            rows,
            notes=notes,
        )
    )


if __name__ == "__main__":
    main()
