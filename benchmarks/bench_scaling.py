"""Scaling of RNNRegressor.fit with the number of windows and the window length.

An LSTM(32) -> Dense(1) is trained for a few epochs (no validation, no early
stopping, batch 32) on windows cut from the yearly sunspot series
(standardised and tiled to get enough windows), for every combination of
number of windows (1e3, 1e4, 1e5) and window length (12, 48, 96). One warm-up
fit first compiles the network's template, so the times are those of repeated
fits (as in a grid search); the first fit of an architecture in a process
costs about a second more (bench_fit_overhead.py).

Reported per fit: seconds, windows (samples) per second and time steps per
second (windows x window length x epochs / seconds), and the time relative to
linear growth from the smallest setting of the same window length: 1.0 means
the time grew exactly in proportion to the number of windows.

Run: python benchmarks/bench_scaling.py [--quick]
(--quick: 1e3 and 1e4 windows, window lengths 12 and 48, 1 epoch.)
"""

import argparse
import statistics

import numpy as np
from _common import timed, write_results


def windows_of(n_windows, window):
    from skrnn.datasets import load_sunspots
    from skrnn.preprocessing import make_windows

    y = load_sunspots().to_numpy()
    y = (y - y.mean()) / y.std()
    reps = -(-(n_windows + window) // len(y))
    X, target = make_windows(np.tile(y, reps), window)
    return X[:n_windows].astype(np.float32), target[:n_windows].astype(np.float32)


def fit_seconds(X, y, epochs, repeats):
    from skrnn import RNNRegressor

    model = RNNRegressor(
        "lstm",
        units=32,
        epochs=epochs,
        batch_size=32,
        validation_fraction=0.0,
        early_stopping=False,
        random_state=0,
    )
    return statistics.median(timed(model.fit, X, y)[0] for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    if args.quick:
        sizes, lengths, epochs = (1_000, 10_000), (12, 48), 1
    else:
        sizes, lengths, epochs = (1_000, 10_000, 100_000), (12, 48, 96), 3

    X, y = windows_of(256, 12)
    fit_seconds(X, y, 1, 1)  # warm-up: TensorFlow started, template compiled

    rows = []
    for window in lengths:
        base = None
        for n in sizes:
            X, y = windows_of(n, window)
            repeats = 3 if n <= 1_000 else 1
            seconds = fit_seconds(X, y, epochs, repeats)
            base = base or (n, seconds)
            rows.append(
                {
                    "window": window,
                    "windows": n,
                    "epochs": epochs,
                    "fit s": seconds,
                    "windows/s": round(n * epochs / seconds),
                    "time steps/s": round(n * window * epochs / seconds),
                    "time / linear": seconds / (base[1] * n / base[0]),
                }
            )
            print(rows[-1], flush=True)
    print(
        write_results(
            "scaling",
            "RNNRegressor.fit: time vs number of windows and window length",
            rows,
            notes=(
                f"LSTM(32) -> Dense(1), Adam(1e-3), batch 32, {epochs} epoch(s), "
                "no validation or early stopping; windows of standardised yearly "
                "sunspots, tiled. Repeated (warm) fits; median of 3 fits for 1e3 "
                "windows, one fit otherwise. 'time / linear': fit time divided "
                "by the smallest size's time scaled linearly with the number of "
                "windows (same window length); below 1 means fixed costs are "
                "being amortised." + (" QUICK RUN." if args.quick else "")
            ),
            extra={"quick": args.quick},
        )
    )


if __name__ == "__main__":
    main()
