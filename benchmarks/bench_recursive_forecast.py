"""Recursive forecasting: skrnn's compiled loop vs per-step Keras calls.

A RecursiveForecaster with an LSTM(64), window 13, is fitted on yearly
sunspots (1 series) and on 100 series (sunspots shifted, rescaled and with
noise). It then forecasts 500 steps through skrnn, through the tutorials'
loop calling ``model.predict`` once per step, and through a loop calling
``model.predict_on_batch`` once per step: same Keras model, same run. The
three forecasts must agree to 1e-5.

Run: python benchmarks/bench_recursive_forecast.py [--quick]
"""

import argparse

import numpy as np
from _common import timed, write_results


def _fitted_forecaster(n_series, window):
    from skrnn import RecursiveForecaster, RNNRegressor
    from skrnn.datasets import load_sunspots

    base = load_sunspots().to_numpy()
    base = (base - base.mean()) / base.std()
    rng = np.random.default_rng(0)
    columns = [base] + [
        np.roll(base, int(rng.integers(1, 50))) * rng.uniform(0.5, 1.5)
        + rng.normal(0, 0.1, len(base))
        for _ in range(n_series - 1)
    ]
    y = np.column_stack(columns) if n_series > 1 else base
    estimator = RNNRegressor("lstm", units=64, epochs=2, random_state=0)
    # scale=False: the forecast is the raw recursion, comparable to the loops.
    return RecursiveForecaster(estimator, window=window, scale=False).fit(None, y)


def _loop(model, history, steps, call):
    """The tutorials' recursion: predict, append, slide, repeat."""
    history = history.copy()
    out = np.empty((steps, len(history)))
    for step in range(steps):
        prediction = np.asarray(call(model, history[:, :, None]))[:, 0]
        out[step] = prediction
        history = np.concatenate([history[:, 1:], prediction[:, None]], axis=1)
    return out


def _predict(model, x):
    return model.predict(x, verbose=0)


def _predict_on_batch(model, x):
    return model.predict_on_batch(x)


def run(n_series, steps, predict_steps, window=13):
    forecaster = _fitted_forecaster(n_series, window)
    model = forecaster.estimator_.model_
    history = forecaster._last_z.astype(np.float32)

    cold, _ = timed(forecaster.forecast, steps)  # includes tracing the loop
    warm, ours = timed(forecaster.forecast, steps)
    ours = np.asarray(ours).reshape(steps, n_series)
    on_batch_s, on_batch = timed(_loop, model, history, steps, _predict_on_batch)
    predict_s, predicted = timed(_loop, model, history, predict_steps, _predict)

    # float32 arithmetic fed back hundreds of times: XLA's fused kernels and
    # TensorFlow's differ in the last bits, and the difference compounds. The
    # largest difference is recorded; above 1e-4 something is wrong.
    differences = {
        "predict_on_batch loop": float(np.max(np.abs(ours - on_batch))),
        "model.predict loop": float(np.max(np.abs(ours[:predict_steps] - predicted))),
    }
    assert max(differences.values()) < 1e-4, differences
    per_step = {
        "skrnn (warm)": warm / steps,
        "skrnn (first call, incl. tracing)": cold / steps,
        "predict_on_batch loop": on_batch_s / steps,
        "model.predict loop": predict_s / predict_steps,
    }
    return [
        {
            "series": n_series,
            "path": name,
            "ms per step": 1000 * seconds,
            "speed-up of skrnn (warm)": seconds / per_step["skrnn (warm)"],
            "max abs difference from skrnn": differences.get(name, 0.0),
        }
        for name, seconds in per_step.items()
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    args = parser.parse_args()
    steps = 100 if args.quick else 500
    predict_steps = 20 if args.quick else 500
    rows = run(1, steps, predict_steps) + run(100, steps, predict_steps)
    print(
        write_results(
            "recursive_forecast",
            "Recursive forecasting: compiled loop vs per-step Keras calls",
            rows,
            notes=(
                f"LSTM(64), window 13, {steps} steps ({predict_steps} for the "
                "model.predict loop, whose cost per step is constant). Same fitted "
                "Keras model on every path; the largest difference between their "
                "forecasts is given (standardised units: float32 differences "
                "compound over the fed-back steps). 'speed-up' is the path's time "
                "per step divided by skrnn's (warm) in the same run."
            ),
        )
    )


if __name__ == "__main__":
    main()
