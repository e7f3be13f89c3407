"""skforecast's ForecasterRnn on the suite, run in its own virtual environment.

``bench_forecast_peers.py`` runs this file with the interpreter of a separate
environment (skforecast pins an older pandas than skrnn's), so this file
imports neither skrnn nor anything from benchmarks/. It reads the training
series from a JSON file and writes the forecasts to another:

    python _peer_skforecast.py IN.json OUT.json

IN.json: ``{"epochs": int, "lags": int, "seeds": [...], "series": [{"name",
"values", "h"}, ...]}``. OUT.json: ``{"versions": {...}, "runs": [{"series",
"seed", "forecast" or "error", "seconds"}, ...]}``.

Settings (skforecast's documented usage, nothing tuned here):
``create_and_compile_model`` with its defaults (LSTM(100, tanh), Dense(64,
relu), a linear output of ``steps`` units, Adam and mean squared error),
``lags`` lags and ``steps = h`` (direct multi-output); ``ForecasterRnn`` with
its default ``MinMaxScaler``; ``fit_kwargs`` as in skforecast's example:
``epochs``, ``batch_size=32``, ``validation_split=0.1`` and
``EarlyStopping(patience=5)``. The optimizer is passed as a new ``Adam()``
per model (the default argument is one ``Adam`` instance shared by every
model built in a process, which Keras 3 refuses to reuse on a second model).
"""

import contextlib
import io
import json
import os
import sys
import time
import traceback
from importlib.metadata import PackageNotFoundError, version

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def versions():
    found = {}
    for name in ("skforecast", "keras", "tensorflow", "pandas", "numpy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def forecast(values, h, seed, epochs, lags):
    import keras
    import numpy as np
    import pandas as pd
    from keras.callbacks import EarlyStopping
    from keras.losses import MeanSquaredError
    from keras.optimizers import Adam
    from skforecast.deep_learning import ForecasterRnn, create_and_compile_model

    keras.utils.set_random_seed(seed)
    series = pd.DataFrame({"y": np.asarray(values, dtype=float)})
    # create_and_compile_model prints the Keras/TF versions: keep stdout clean.
    with contextlib.redirect_stdout(io.StringIO()):
        model = create_and_compile_model(
            series=series,
            lags=lags,
            steps=h,
            levels="y",
            recurrent_layer="LSTM",
            compile_kwargs={"optimizer": Adam(), "loss": MeanSquaredError()},
        )
    forecaster = ForecasterRnn(
        estimator=model,
        levels="y",
        lags=lags,
        fit_kwargs={
            "epochs": epochs,
            "batch_size": 32,
            "verbose": 0,
            "validation_split": 0.1,
            "callbacks": [EarlyStopping(patience=5)],
        },
    )
    forecaster.fit(series=series, suppress_warnings=True)
    pred = forecaster.predict(steps=h, suppress_warnings=True)
    return np.asarray(pred["pred"], dtype=float).tolist()


def main():
    in_path, out_path = sys.argv[1], sys.argv[2]
    with open(in_path) as handle:
        spec = json.load(handle)
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    runs = []
    for item in spec["series"]:
        for seed in spec["seeds"]:
            start = time.perf_counter()
            run = {"series": item["name"], "seed": seed}
            try:
                run["forecast"] = forecast(
                    item["values"], item["h"], seed, spec["epochs"], spec["lags"]
                )
            except Exception as exc:  # recorded in the results, not hidden
                run["error"] = f"{type(exc).__name__}: {exc}"
                run["traceback"] = traceback.format_exc()
            run["seconds"] = time.perf_counter() - start
            print(
                f"{item['name']:18s} skforecast seed {seed}: "
                f"{'ok' if 'forecast' in run else run['error']} "
                f"({run['seconds']:.1f} s)",
                flush=True,
            )
            runs.append(run)
    with open(out_path, "w") as out:
        json.dump({"versions": versions(), "runs": runs}, out)


if __name__ == "__main__":
    main()
