"""Grid search with joblib's loky workers: serial vs n_jobs=2, and oversubscription.

The same GridSearchCV over a RecursiveForecaster (GRU) on monthly airline
passengers runs (a) serially, (b) with n_jobs=2, where skrnn sizes each
worker's TensorFlow thread pools to its share of the cores (1 thread each on
2 cores), and (c) with n_jobs=2 and 2 threads per worker, what TensorFlow
does on its own (4 busy threads on 2 cores). Each run is a fresh process
that fits the search twice: the first includes the workers' start-up, the
second reuses the workers. Best parameters and scores must agree.

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
def search():
    return GridSearchCV(
        RecursiveForecaster(RNNRegressor("gru", epochs=epochs, random_state=0),
                            differences=1, seasonal_period=12),
        {"window": [12, 24], "estimator__units": [16, 32],
         "estimator__learning_rate": [1e-3, 3e-3]},
        cv=TimeSeriesSplit(n_splits=3, test_size=12), scoring=get_scorer("rmse"),
        n_jobs=n_jobs,
    )
runs = []
with joblib.parallel_config("loky", inner_max_num_threads=threads or None):
    # The second search reuses the first one's workers, as later searches
    # of a session do (joblib keeps its loky workers between calls).
    for _ in range(2):
        fitted = search()
        start = time.perf_counter()
        fitted.fit(X, y)
        runs.append({"seconds": time.perf_counter() - start,
                     "best": fitted.best_params_,
                     "scores": fitted.cv_results_["mean_test_score"].tolist()})
print(json.dumps(runs))
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
    rows = []
    for i, search in enumerate(("first search", "second search, same workers")):
        reference = runs["serial (n_jobs=1)"][i]
        for name, both in runs.items():
            run = both[i]
            rows.append(
                {
                    "search": search,
                    "run": name,
                    "seconds": run["seconds"],
                    "speed-up vs serial": reference["seconds"] / run["seconds"],
                    "same best params": run["best"] == reference["best"],
                    "max score difference": float(
                        np.max(np.abs(np.subtract(run["scores"], reference["scores"])))
                    ),
                }
            )
    print(
        write_results(
            "parallel",
            "Grid search over loky workers",
            rows,
            notes=(
                f"GridSearchCV, 8 candidates x 3 folds + refit (25 fits), GRU, "
                f"{epochs} epochs (early stopping on), airline passengers (log). "
                "Each run is a fresh process that fits the search twice: the "
                "first search includes the start-up of the workers (each imports "
                "TensorFlow), the second reuses them, as the later searches of a "
                "session do. Wall time of the fit alone."
            ),
        )
    )


if __name__ == "__main__":
    main()
