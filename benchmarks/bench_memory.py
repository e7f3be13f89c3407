"""Memory under load: resident memory growth over many fits, and a grid search.

1. 50 consecutive fits of the same small LSTM (as in cross-validation): the
   growth of resident memory per fit after 10 warm-up fits, for skrnn and for
   raw Keras building a new model per fit (the reference, same data).
2. A 50-candidate GridSearchCV over a RecursiveForecaster (window x units x
   learning rate, 2 folds): peak resident memory and growth, where most
   candidates are different architectures (compiled templates are created
   and evicted).

3. Cycling over 20 architectures (cell x units, as a grid search does) for
   200 fits, against 200 fits of one architecture: resident memory growth
   per fit and time per fit. The template cache holds every architecture,
   so after the first round no fit compiles again (issue 18 D4: before,
   a cache of 16 rebuilt a template on every fit of such a cycle).

Each measurement runs in its own process. Run:
python benchmarks/bench_memory.py [--quick]
"""

import argparse

from _common import run_in_fresh_process, write_results

FITS = """
import gc, json, sys
import numpy as np, psutil
n_fits, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
X = rng.normal(size=(256, 12, 1)).astype("float32")
y = X[:, -3:, 0].sum(axis=1)
proc = psutil.Process()

def skrnn_fit(i):
    from skrnn import RNNRegressor
    RNNRegressor(units=16, epochs=3, random_state=i).fit(X, y).predict(X)

def keras_fit(i):
    import keras
    inputs = keras.Input((12, 1))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(16)(inputs)))
    model.compile("adam", "mse")
    model.fit(X, y, epochs=3, batch_size=32, verbose=0, validation_split=0.1)
    model.predict(X, verbose=0)

fit = {"skrnn": skrnn_fit, "keras": keras_fit}[path]
rss = []
for i in range(n_fits):
    fit(i)
    gc.collect()
    rss.append(proc.memory_info().rss / 2**20)
print(json.dumps(rss))
"""

GRID = """
import json, resource, sys
import numpy as np, pandas as pd, psutil
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from skrnn import RecursiveForecaster, RNNRegressor
from skrnn.datasets import load_airline
quick = sys.argv[1] == "quick"
y = np.log(load_airline())
X = pd.DataFrame(index=y.index)
grid = {
    "window": [6, 12, 18, 24, 36][: 2 if quick else 5],
    "estimator__units": [4, 8, 16, 32, 64][: 2 if quick else 5],
    "estimator__learning_rate": [1e-3, 1e-2],
}
proc = psutil.Process()
# Warm-up: TensorFlow loaded and one forecaster fitted, as after the first fit.
warm = RecursiveForecaster(RNNRegressor(epochs=1), differences=1)
warm.fit(X[:-24], y[:-24]).forecast(12)
before = proc.memory_info().rss / 2**20
search = GridSearchCV(
    RecursiveForecaster(RNNRegressor(epochs=3, random_state=0), differences=1),
    grid, cv=TimeSeriesSplit(n_splits=2, test_size=12),
).fit(X, y)
after = proc.memory_info().rss / 2**20
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
n = len(search.cv_results_["params"])
print(json.dumps({"candidates": n, "fits": 2 * n + 1, "rss_before_MiB": before,
                  "rss_after_MiB": after, "peak_rss_MiB": peak}))
"""


CYCLE = """
import json, sys, time
import numpy as np, psutil
from skrnn import RNNRegressor
n_fits, n_architectures = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
X = rng.normal(size=(128, 12, 1)).astype("float32")
y = X[:, -3:, 0].sum(axis=1)
cells = ["simple", "gru", "lstm", "simple"]
architectures = [(cells[i % 4], 4 + i) for i in range(n_architectures)]
proc = psutil.Process()
def fit(i):
    cell, units = architectures[i % n_architectures]
    RNNRegressor(cell, units=units, epochs=2, random_state=i).fit(X, y)
fit(0)  # TensorFlow loaded, one template
first = proc.memory_info().rss / 2**20
for i in range(1, n_architectures):  # first round: every template compiled
    fit(i)
before = proc.memory_info().rss / 2**20
start = time.perf_counter()
for i in range(n_fits):
    fit(i)
seconds = time.perf_counter() - start
after = proc.memory_info().rss / 2**20
print(json.dumps({"rss_first_MiB": first, "rss_before_MiB": before,
                  "rss_after_MiB": after, "seconds_per_fit": seconds / n_fits}))
"""


def growth_per_fit(rss, warmup):
    """Least-squares slope of RSS over the fits after warm-up (MiB per fit)."""
    import numpy as np

    later = np.asarray(rss[warmup:])
    return float(np.polyfit(np.arange(len(later)), later, 1)[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    n_fits, warmup = (20, 5) if args.quick else (50, 10)

    rows = []
    for path in ("keras", "skrnn"):
        rss = run_in_fresh_process(FITS, n_fits, path)
        rows.append(
            {
                "path": "raw Keras, new model per fit"
                if path == "keras"
                else "skrnn RNNRegressor",
                "fits": n_fits,
                "RSS after warm-up (MiB)": rss[warmup - 1],
                "RSS at end (MiB)": rss[-1],
                "growth per fit after warm-up (MiB)": growth_per_fit(rss, warmup),
            }
        )
    grid = run_in_fresh_process(GRID, "quick" if args.quick else "full")
    rows.append(
        {
            "path": f"skrnn GridSearchCV, {grid['candidates']} candidates x 2 folds",
            "fits": grid["fits"],
            "RSS after warm-up (MiB)": grid["rss_before_MiB"],
            "RSS at end (MiB)": grid["rss_after_MiB"],
            "growth per fit after warm-up (MiB)": (
                grid["rss_after_MiB"] - grid["rss_before_MiB"]
            )
            / grid["fits"],
            "peak RSS (MiB)": grid["peak_rss_MiB"],
        }
    )
    n_cycle = 40 if args.quick else 200
    cycle = {k: run_in_fresh_process(CYCLE, n_cycle, k) for k in (1, 20)}
    for k, result in cycle.items():
        rows.append(
            {
                "path": f"skrnn, {n_cycle} fits cycling over {k} architecture(s)",
                "fits": n_cycle,
                "RSS after warm-up (MiB)": result["rss_before_MiB"],
                "RSS at end (MiB)": result["rss_after_MiB"],
                "growth per fit after warm-up (MiB)": (
                    result["rss_after_MiB"] - result["rss_before_MiB"]
                )
                / n_cycle,
                "growth per fit incl. compiling (MiB)": (
                    result["rss_after_MiB"] - result["rss_first_MiB"]
                )
                / (n_cycle + k - 1),
                "time per fit (s)": result["seconds_per_fit"],
                "time per fit / one architecture": result["seconds_per_fit"]
                / cycle[1]["seconds_per_fit"],
            }
        )
    print(
        write_results(
            "memory",
            "Resident memory over many fits",
            rows,
            notes=(
                "LSTM(16), 256 windows of 12 steps, 3 epochs per fit. Growth per fit "
                "is the least-squares slope of RSS after warm-up (for the grid "
                "search: total growth / fits, warm-up = one forecaster fitted). "
                "Cycling rows: RNNRegressor of 128 windows, 2 epochs; warm-up = "
                "one fit of each architecture. Targets: under 2 MiB per fit; "
                "cycling over 20 architectures within 1.2x the time per fit of "
                "one."
            ),
        )
    )


if __name__ == "__main__":
    main()
