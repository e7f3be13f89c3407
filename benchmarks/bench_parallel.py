"""Grid search with joblib's loky workers: serial vs n_jobs=2, and oversubscription.

The same GridSearchCV over a RecursiveForecaster (GRU) on monthly airline
passengers runs (a) serially, (b) with n_jobs=2, where skrnn sizes each
worker's TensorFlow thread pools to its share of the cores (1 thread each on
2 cores), and (c) with n_jobs=2 and 2 threads per worker, what TensorFlow
does on its own (4 busy threads on 2 cores). Each run is a fresh process,
worker start-up included. Best parameters and scores must agree.

Run: python benchmarks/bench_parallel.py [--quick]
"""

import argparse

import numpy as np
from _common import run_in_fresh_process, write_results

SEARCH = """
import json, sys, time
import joblib, numpy as np, pandas as pd
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from skrnn import RecursiveForecaster, RNNRegressor
from skrnn.datasets import load_airline
from skrnn.metrics import get_scorer
n_jobs, threads, epochs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
y = np.log(load_airline())
X = pd.DataFrame(index=y.index)
search = GridSearchCV(
    RecursiveForecaster(RNNRegressor("gru", epochs=epochs, random_state=0),
                        differences=1, seasonal_period=12),
    {"window": [12, 24], "estimator__units": [16, 32]},
    cv=TimeSeriesSplit(n_splits=3, test_size=12), scoring=get_scorer("rmse"),
    n_jobs=n_jobs,
)
start = time.perf_counter()
with joblib.parallel_config("loky", inner_max_num_threads=threads or None):
    search.fit(X, y)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "best": search.best_params_,
                  "scores": search.cv_results_["mean_test_score"].tolist()}))
"""


def _run(n_jobs, threads, epochs):
    return run_in_fresh_process(SEARCH, n_jobs, threads, epochs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    epochs = 10 if args.quick else 60
    runs = {
        "serial (n_jobs=1)": _run(1, 0, epochs),
        "n_jobs=2, skrnn: 1 TF thread per worker": _run(2, 0, epochs),
        "n_jobs=2, 2 TF threads per worker (oversubscribed)": _run(2, 2, epochs),
    }
    reference = runs["serial (n_jobs=1)"]
    rows = [
        {
            "run": name,
            "seconds": run["seconds"],
            "speed-up vs serial": reference["seconds"] / run["seconds"],
            "same best params": run["best"] == reference["best"],
            "max score difference": float(
                np.max(np.abs(np.subtract(run["scores"], reference["scores"])))
            ),
        }
        for name, run in runs.items()
    ]
    print(
        write_results(
            "parallel",
            "Grid search over loky workers",
            rows,
            notes=(
                f"GridSearchCV, 4 candidates x 3 folds + refit, GRU, {epochs} epochs "
                "(early stopping on), airline passengers (log). Wall time of a fresh "
                "process, including worker start-up."
            ),
        )
    )


if __name__ == "__main__":
    main()
