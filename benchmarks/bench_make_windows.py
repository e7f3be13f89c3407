"""make_windows against the plain Python loop of the tutorials.

The usual tutorial code (``split_sequence``) walks over the series and slices
one window per step into a list, then converts the lists to arrays. Both
paths cut the same 100,000-step series into (X, y) for several window
lengths; the outputs are checked to be equal, and the best of several runs is
reported. As a floor, the time to allocate and fill a fresh array of the size
of X is recorded too: for long windows both paths are bound by writing that
much new memory, so the speedup shrinks as the window grows. The target
speedup applies to the tutorials' window of 13.

Run: python benchmarks/bench_make_windows.py [--quick]
"""

import argparse
import timeit

import numpy as np
from _common import write_results

N_TIMESTEPS = 100_000
WINDOWS = [4, 13, 52]
TARGET_WINDOW = 13
TARGET_SPEEDUP = 20.0


def split_sequence(sequence, window):
    """A plain loop: one window and its next value per step."""
    X, y = [], []
    for start in range(len(sequence) - window):
        X.append(sequence[start : start + window])
        y.append(sequence[start + window])
    return np.array(X), np.array(y)


def _best_time(func, repeat):
    return min(timeit.repeat(func, number=1, repeat=repeat))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else 5

    from skrnn.preprocessing import make_windows

    series = np.random.default_rng(0).normal(size=N_TIMESTEPS).cumsum()
    rows = []
    for window in WINDOWS:
        X, y = make_windows(series, window)
        X_loop, y_loop = split_sequence(series, window)
        np.testing.assert_array_equal(X[:, :, 0], X_loop)
        np.testing.assert_array_equal(y, y_loop)

        t_vec = _best_time(lambda w=window: make_windows(series, w), repeat)
        t_loop = _best_time(lambda w=window: split_sequence(series, w), repeat)
        t_floor = _best_time(lambda shape=X.shape: np.ones(shape), repeat)
        rows.append(
            {
                "n_timesteps": N_TIMESTEPS,
                "window": window,
                "n_windows": len(X),
                "X_MB": X.nbytes / 1e6,
                "make_windows_ms": 1e3 * t_vec,
                "python_loop_ms": 1e3 * t_loop,
                "speedup": t_loop / t_vec,
                "fill_X_floor_ms": 1e3 * t_floor,
                "outputs_equal": True,
            }
        )
        print(
            f"window={window:3d}: make_windows {1e3 * t_vec:8.2f} ms, "
            f"loop {1e3 * t_loop:8.2f} ms, speedup {t_loop / t_vec:6.1f}x"
        )

    achieved = next(row["speedup"] for row in rows if row["window"] == TARGET_WINDOW)
    table = write_results(
        "make_windows",
        "make_windows vs a Python loop",
        rows,
        notes=(
            f"Univariate random-walk series of {N_TIMESTEPS:,} steps, horizon 1; "
            f"best of {repeat} runs each. Target: at least {TARGET_SPEEDUP:.0f}x "
            f"faster than the loop at window {TARGET_WINDOW}; measured "
            f"{achieved:.1f}x. `fill_X_floor_ms` is the time to allocate and "
            "fill a fresh array of X's size (np.ones): for long windows both "
            "paths are bound by writing that much new memory."
        ),
        extra={
            "target_window": TARGET_WINDOW,
            "target_speedup": TARGET_SPEEDUP,
            "repeat": repeat,
        },
    )
    print(table)
    if achieved < TARGET_SPEEDUP:
        raise SystemExit(
            f"make_windows is only {achieved:.1f}x faster than the loop at "
            f"window {TARGET_WINDOW} (target {TARGET_SPEEDUP:.0f}x)."
        )


if __name__ == "__main__":
    main()
