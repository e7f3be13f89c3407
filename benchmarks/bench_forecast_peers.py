"""Issue 12's peers: the RNN forecasters a user would pick instead of skrnn.

The same ten series and splits as ``bench_forecast_suite.py`` (see
``_suite_data.py``): every model is fitted on the training part and forecasts
the last ``h`` points, scored by MASE (lag m = the season, 1 without one).
Each peer is used as its documentation or tutorial shows, nothing tuned on
the suite:

* ``Tutorial loop``: what skrnn's source tutorials write by hand: a
  ``MinMaxScaler`` fitted on the training series, windows of a fixed length
  12 (the tutorials use a fixed length, 10, 13 or 60, never the season; 12 is
  also sktime's and skforecast's setting below and skrnn's default window),
  ``Sequential([LSTM(50), Dense(1)])``, Adam, MSE, 100 epochs, batch 32, then
  ``model.predict`` called once per step in a Python loop, each prediction
  fed back into the window (starting from the last 12 training values).
  Seeded with ``keras.utils.set_random_seed(seed)``.
* ``sktime reduction``: sktime's ``make_reduction`` of
  ``SimpleRNNRegressor(random_state=seed)`` with ``window_length=12`` and
  ``strategy="recursive"``, SimpleRNNRegressor at its
  defaults (6 units, 100 epochs, batch 1, a ReduceLROnPlateau callback).
  Batch 1 makes it slow: about 265,000 optimizer steps per seed over the
  suite, 15 minutes on 2 shared cores, so the full run fits it with seed 0
  only (``--sktime-seeds`` sets how many).
* ``skforecast ForecasterRnn``: ``create_and_compile_model`` at its defaults
  (LSTM(100), Dense(64, relu), a linear output of h units: a direct
  multi-output forecast), 12 lags, ``steps = h``, the default
  ``MinMaxScaler``, and the fit settings of skforecast's example (50 epochs,
  batch 32, ``validation_split=0.1``, ``EarlyStopping(patience=5)``). It runs
  in its own virtual environment (skforecast pins an older pandas than
  skrnn): ``benchmarks/_peer_skforecast.py`` under ``.venv-skf``.
* References without a network: ``AR(aic)`` (``ARForecaster("aic")``) and
  seasonal naive (naive without a season), as in ``bench_forecast_suite.py``.

Every fit runs with one thread (OMP and TensorFlow intra/inter-op), so the
seconds are comparable between peers.

Setting up skforecast's environment (once, from the repository root):
``python -m venv .venv-skf && .venv-skf/bin/pip install skforecast
tensorflow keras matplotlib`` (matplotlib: skforecast's deep-learning module
imports it without declaring it). ``--skforecast-python`` points at another
interpreter; without one the peer is recorded as not run, with the reason.

Run: python benchmarks/bench_forecast_peers.py [--quick]
(--quick: one seed, two series, 5 epochs; results go to
benchmarks/results/quick/.)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import _common  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _suite_data import SUITE, split  # noqa: E402

HERE = Path(__file__).parent
SEEDS = (0, 1, 2)
WINDOW = 12
PEERS = ("Tutorial loop", "sktime reduction", "skforecast ForecasterRnn")
REFERENCES = ("AR(aic)", "Seasonal naive")
SKFORECAST_PYTHON = HERE.parent / ".venv-skf" / "bin" / "python"


def one_thread():
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def tutorial_loop(y_train, h, seed, epochs):
    """The hand-written loop of the tutorials: scale, window, fit, predict per step."""
    import keras
    from sklearn.preprocessing import MinMaxScaler

    keras.utils.set_random_seed(seed)
    scaler = MinMaxScaler()
    scaled = scaler.fit_transform(np.asarray(y_train, float).reshape(-1, 1)).ravel()
    X = np.array([scaled[i : i + WINDOW] for i in range(len(scaled) - WINDOW)])
    y = scaled[WINDOW:]
    model = keras.Sequential(
        [
            keras.layers.Input((WINDOW, 1)),
            keras.layers.LSTM(50),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(X[..., None], y, epochs=epochs, batch_size=32, verbose=0)
    window = scaled[-WINDOW:].copy()
    preds = []
    for _ in range(h):
        yhat = model.predict(window.reshape(1, WINDOW, 1), verbose=0)
        preds.append(float(yhat[0, 0]))
        window = np.append(window[1:], yhat[0, 0])
    return scaler.inverse_transform(np.array(preds).reshape(-1, 1)).ravel()


def sktime_reduction(y_train, h, seed, epochs):
    from sktime.forecasting.compose import make_reduction
    from sktime.regression.deep_learning.rnn import SimpleRNNRegressor

    regressor = SimpleRNNRegressor(random_state=seed, n_epochs=epochs)
    forecaster = make_reduction(regressor, window_length=WINDOW, strategy="recursive")
    forecaster.fit(y_train)
    return np.asarray(forecaster.predict(np.arange(1, h + 1)), dtype=float).ravel()


def reference(name, y_train, h, m):
    from skrnn.forecasting import ARForecaster, NaiveForecaster

    if name == "AR(aic)":
        model = ARForecaster("aic")
    elif m:
        model = NaiveForecaster("seasonal_last", period=m)
    else:
        model = NaiveForecaster("last")
    model.fit(pd.DataFrame(index=y_train.index), y_train)
    return np.ravel(np.asarray(model.forecast(h), dtype=float))


def score(series, y_pred):
    from skrnn.metrics import mase

    y_train, y_test, _, m = split(series)
    return float(mase(y_test, y_pred, y_train=y_train, seasonal_period=m or 1))


def run_in_process(series, model, seed, epochs):
    y_train, _, h, m = split(series)
    start = time.perf_counter()
    if model == "Tutorial loop":
        y_pred = tutorial_loop(y_train, h, seed, epochs)
    elif model == "sktime reduction":
        y_pred = sktime_reduction(y_train, h, seed, epochs)
    else:
        y_pred = reference(model, y_train, h, m)
    return finish(series, model, seed, y_pred, time.perf_counter() - start)


def finish(series, model, seed, y_pred, seconds):
    y_pred = np.asarray(y_pred, dtype=float)
    value = score(series, y_pred)
    print(
        f"{series:18s} {model:24s} seed {seed}: MASE {value:.3f} ({seconds:.1f} s)",
        flush=True,
    )
    return {
        "series": series,
        "model": model,
        "seed": seed,
        "mase": value,
        "seconds": seconds,
        "forecast": y_pred.tolist(),
    }


def run_skforecast(names, seeds, epochs, python):
    """Run ForecasterRnn in its own environment; failures become recorded errors."""
    model = "skforecast ForecasterRnn"
    if not Path(python).exists():
        reason = (
            f"interpreter {python} not found: create the environment as the "
            "docstring of bench_forecast_peers.py says"
        )
        print(f"skforecast not run: {reason}", flush=True)
        return [
            {"series": s, "model": model, "seed": None, "error": reason} for s in names
        ], {}
    spec = {
        "epochs": epochs,
        "lags": WINDOW,
        "seeds": list(seeds),
        "series": [
            {"name": s, "values": split(s)[0].tolist(), "h": split(s)[2]} for s in names
        ],
    }
    with tempfile.TemporaryDirectory() as tmp:
        in_path, out_path = Path(tmp) / "in.json", Path(tmp) / "out.json"
        log_path = Path(tmp) / "stderr.txt"
        in_path.write_text(json.dumps(spec))
        with open(log_path, "w") as log:
            status = subprocess.run(
                [str(python), str(HERE / "_peer_skforecast.py"), in_path, out_path],
                stderr=log,
                env=os.environ.copy(),
                check=False,
            ).returncode
        if status != 0 or not out_path.exists():
            tail = log_path.read_text()[-2000:]
            reason = f"runner exited with status {status}: {tail}"
            print(f"skforecast failed: {reason}", flush=True)
            return [
                {"series": s, "model": model, "seed": None, "error": reason}
                for s in names
            ], {}
        payload = json.loads(out_path.read_text())
    runs = []
    for run in payload["runs"]:
        if "forecast" in run:
            runs.append(
                finish(
                    run["series"], model, run["seed"], run["forecast"], run["seconds"]
                )
            )
        else:
            runs.append({**run, "model": model})
    return runs, payload["versions"]


def summary(runs, names):
    """Per-series MASE and seconds (mean ± std over seeds), and per-model totals."""
    scored = pd.DataFrame([r for r in runs if "mase" in r])
    models = [m for m in (*PEERS, *REFERENCES) if m in set(scored["model"])]
    failed = {r["model"] for r in runs if "error" in r}
    rows, second_rows = [], []
    for name in names:
        row, srow = {"series": name}, {"series": name}
        for model in (*PEERS, *REFERENCES):
            part = scored[(scored["series"] == name) & (scored["model"] == model)]
            if part.empty:
                row[model] = "failed" if model in failed else ""
                srow[model] = ""
                continue
            std = part["mase"].std(ddof=1) if len(part) > 1 else 0.0
            row[model] = f"{part['mase'].mean():.3f}" + (f" ± {std:.3f}" if std else "")
            srow[model] = f"{part['seconds'].mean():.1f}"
        rows.append(row)
        second_rows.append(srow)
    means = scored.groupby(["series", "model"])["mase"].mean().unstack("model")
    stds = scored.groupby(["series", "model"])["mase"].std(ddof=1).unstack("model")
    totals = []
    for model in models:
        ratio = (means[model] / means["AR(aic)"]).dropna()
        naive = (means[model] / means["Seasonal naive"]).dropna()
        totals.append(
            {
                "model": model,
                "series": int(means[model].notna().sum()),
                "geo-mean MASE / AR(aic)": float(np.exp(np.log(ratio).mean())),
                "series with MASE <= AR(aic)": int((ratio <= 1 + 1e-12).sum()),
                "worst MASE / seasonal naive": float(naive.max()),
                "mean seed std": _seed_std(stds, model),
                "mean seconds per fit": float(
                    scored[scored["model"] == model]["seconds"].mean()
                ),
            }
        )
    return rows, second_rows, totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    parser.add_argument(
        "--skforecast-python",
        default=str(SKFORECAST_PYTHON),
        help="interpreter of the environment that has skforecast "
        "(default: .venv-skf/bin/python in the repository root)",
    )
    parser.add_argument(
        "--sktime-seeds",
        type=int,
        default=1,
        help="how many of the seeds the sktime peer is fitted with (default: 1; "
        "each seed costs about 15 minutes on 2 cores)",
    )
    args = parser.parse_args()
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[:1] if args.quick else SEEDS
    names = list(SUITE)[:2] if args.quick else list(SUITE)
    epochs = {"Tutorial loop": 100, "sktime reduction": 100, "skforecast": 50}
    if args.quick:
        epochs = dict.fromkeys(epochs, 5)

    import keras

    keras.utils.disable_interactive_logging()  # sktime's predict shows progress bars
    one_thread()
    start = time.perf_counter()
    runs = [run_in_process(s, m, None, 0) for s in names for m in REFERENCES]
    runs += [
        run_in_process(s, "Tutorial loop", seed, epochs["Tutorial loop"])
        for s in names
        for seed in seeds
    ]
    skf_runs, skf_versions = run_skforecast(
        names, seeds, epochs["skforecast"], args.skforecast_python
    )
    runs += skf_runs
    sktime_seeds = seeds[: max(1, args.sktime_seeds)]
    runs += [
        run_in_process(s, "sktime reduction", seed, epochs["sktime reduction"])
        for s in names
        for seed in sktime_seeds
    ]
    seconds = time.perf_counter() - start
    rows, second_rows, totals = summary(runs, names)

    errors = sorted({f"{r['model']}: {r['error']}" for r in runs if "error" in r})
    versions = {"sktime": _version("sktime")}
    versions.update({f"{k} (skforecast env)": v for k, v in skf_versions.items()})
    notes = (
        __doc__.split("\n\n", 1)[1].rsplit("\n\nSetting up", 1)[0]
        + f"\n\nCells: MASE, mean ± std over {len(seeds)} seed(s) "
        f"({', '.join(map(str, seeds))}); sktime over {len(sktime_seeds)} "
        f"({', '.join(map(str, sktime_seeds))}); the references have no seed. "
        f"Epochs: {epochs}. Run time {seconds / 60:.1f} min, one process at a "
        "time, one thread each. Other packages: "
        + ", ".join(f"{k} {v}" for k, v in versions.items() if v)
        + "."
        + (" QUICK RUN (smoke test only: 5 epochs)." if args.quick else "")
        + ("\n\nNot run or failed: " + "; ".join(errors) if errors else "")
    )
    table = _common.write_results(
        "forecast_peers",
        "Issue 12 peers: RNN forecasters a user would pick instead of skrnn",
        rows,
        notes=notes,
        extra={
            "totals": totals,
            "seconds_table": second_rows,
            "runs": runs,
            "seconds": seconds,
            "quick": args.quick,
            "seeds": list(seeds),
            "sktime_seeds": list(sktime_seeds),
            "epochs": epochs,
            "peer_versions": versions,
        },
    )
    path = _common.RESULTS / "forecast_peers.md"
    path.write_text(
        path.read_text()
        + "\n## Fit + forecast seconds (mean over seeds)\n\n"
        + _common.markdown_table(second_rows)
        + "\n\n## Over the suite\n\n"
        + _common.markdown_table(totals)
        + "\n"
    )
    print(table)
    print(_common.markdown_table(totals))


def _seed_std(stds, model):
    """Mean over series of the std over seeds; None with a single seed."""
    if model not in PEERS:
        return 0.0
    value = stds[model].mean()
    return None if np.isnan(value) else float(value)


def _version(name):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    main()
