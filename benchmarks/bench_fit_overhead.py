"""RNNRegressor.fit against a default raw Keras ``model.fit``, and import time.

The same network (LSTM(32) -> Dense(1)) is trained on the same windows of a
real series for the same number of epochs and batch size, without validation
or early stopping, through both paths. Throughput is samples per second of
wall time, including building and compiling: what a user waits for. "cold" is
the first fit of an architecture in the process, "warm" a repeated fit of the
same architecture (a grid search, cross-validation, seeds).

Run: python benchmarks/bench_fit_overhead.py [--quick]
"""

import argparse
import statistics
import subprocess
import sys

import numpy as np
from _common import timed, write_results


def _series_windows(window, n_samples):
    from skrnn.datasets import load_sunspots
    from skrnn.preprocessing import make_windows

    y = load_sunspots().to_numpy()
    y = (y - y.mean()) / y.std()
    # Tile the real series to get enough windows for a throughput measurement.
    reps = -(-(n_samples + window) // len(y))
    X, target = make_windows(np.tile(y, reps), window)
    return X[:n_samples].astype(np.float32), target[:n_samples].astype(np.float32)


def _raw_keras_fit(X, y, epochs, batch_size, seed):
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=X.shape[1:])
    hidden = keras.layers.LSTM(32)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def _skrnn_fit(X, y, epochs, batch_size, seed):
    from skrnn import RNNRegressor

    return RNNRegressor(
        "lstm",
        units=32,
        epochs=epochs,
        batch_size=batch_size,
        validation_fraction=0.0,
        early_stopping=False,
        linear_skip=False,  # the network raw Keras builds
        random_state=seed,
    ).fit(X, y)


def fit_throughput(window, n_samples, epochs, batch_size, repeats):
    X, y = _series_windows(window, n_samples)
    work = n_samples * epochs
    raw, cold, warm = [], [], []
    from skrnn.rnn import clear_cache

    clear_cache()  # make the first skrnn fit a cold one
    for rep in range(repeats):
        raw.append(timed(_raw_keras_fit, X, y, epochs, batch_size, rep)[0])
        (cold if rep == 0 else warm).append(
            timed(_skrnn_fit, X, y, epochs, batch_size, rep)[0]
        )
    raw_rate = work / statistics.median(raw)
    rows = []
    for label, times in [("cold (first fit)", cold), ("warm (repeated fit)", warm)]:
        rate = work / statistics.median(times)
        rows.append(
            {
                "window": window,
                "batch": batch_size,
                "windows": n_samples,
                "skrnn fit": label,
                "raw Keras samples/s": round(raw_rate),
                "skrnn samples/s": round(rate),
                "skrnn / raw Keras": rate / raw_rate,
            }
        )
    return rows


def import_seconds(statement, repeats):
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import time; t = time.perf_counter(); {statement}; "
                "print(time.perf_counter() - t)",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    n_samples, epochs, repeats = (512, 2, 2) if args.quick else (4096, 5, 3)

    import keras

    keras.ops.convert_to_tensor([0.0])  # start TensorFlow before timing

    fit_rows = []
    for window in (13, 60, 250):
        # fewer of the long windows: the same order of work per fit
        samples = n_samples if window < 250 else n_samples // 4
        for batch_size in (32, 256):
            fit_rows += fit_throughput(window, samples, epochs, batch_size, repeats)
    print(
        write_results(
            "fit_overhead",
            "RNNRegressor.fit vs raw Keras model.fit",
            fit_rows,
            notes=(
                f"LSTM(32) -> Dense(1), Adam(1e-3), {epochs} epochs, windows of "
                "yearly sunspots (standardised, tiled), no validation. Raw "
                "Keras: a new model compiled with default settings "
                "(steps_per_execution=1, no XLA) per fit. skrnn runs the whole "
                "epoch in one graph. A fit of known length, as these (no early "
                "stopping, no callbacks), compiles each batch step with XLA "
                "from the first epoch if it will run 10,000 time steps (batch "
                "steps x window, XLA_PLANNED_TIMESTEPS), else trains in the "
                "plain graph: XLA at batch 32 for windows 60 and 250, the "
                "graph elsewhere. "
                f"Median of {repeats} fits (cold: the first); ratios are against "
                "raw Keras in the same run."
            ),
        )
    )

    n = 3 if args.quick else 7
    base = import_seconds("pass", n)
    import_rows = [
        {"statement": s, "seconds": import_seconds(s, n) - base}
        for s in (
            "import skrnn",
            "from skrnn import RNNRegressor",
            "import tensorflow",
        )
    ]
    print(
        write_results(
            "import_time",
            "Import time",
            import_rows,
            notes=f"Median of {n} fresh interpreters, minus an empty one's start.",
        )
    )


if __name__ == "__main__":
    main()
