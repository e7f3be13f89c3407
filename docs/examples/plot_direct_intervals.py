"""
A year at once: direct multi-step forecasts with prediction intervals
=====================================================================

A recursive forecaster predicts one step, feeds the prediction back and
predicts the next, so its errors can compound over the horizon. The other
strategy of the sequence-to-sequence tutorials is to have the network output
the whole horizon at once: :class:`~skrnn.DirectForecaster` trains an
:class:`~skrnn.RNNRegressor` whose output layer has one unit per future
step (a dense multi-output head on the recurrent summary of the window).

A point forecast alone hides how sure the model is. Every skrnn forecaster
has ``predict_interval``: for the recursive and direct networks (and the
naive forecaster) the intervals are split-conformal, calibrated on the
model's own errors at rolling origins at the end of the training series;
:class:`~skrnn.ARForecaster` gives statsmodels' analytic intervals. This
example forecasts the last year of the airline series with the three and
draws their 90% intervals.
"""

# %%
# Models
# ------
# The log of the monthly passengers, with the last 12 months held out. Both
# networks are small GRUs trained for a few epochs with a fixed seed, so the
# example runs in about a minute; ``calibration_origins=10`` refits each of
# them at the 10 + 11 latest origins it needs for 12 steps (the fewest that
# give a finite 90% interval is 9).
import matplotlib.pyplot as plt
import numpy as np

from skrnn import ARForecaster, DirectForecaster, RecursiveForecaster, RNNRegressor
from skrnn.datasets import load_airline
from skrnn.metrics import mase

y = np.log(load_airline())
train, test = y[:-12], y[-12:]


def small_gru():
    return RNNRegressor("gru", units=8, epochs=30, learning_rate=0.01, random_state=0)


models = {
    "Recursive GRU": RecursiveForecaster(
        small_gru(), window=24, seasonal_period=12, calibration_origins=10
    ),
    "Direct GRU": DirectForecaster(
        small_gru(), horizon=12, window=24, seasonal_period=12, calibration_origins=10
    ),
    "AR(aic)": ARForecaster("aic"),
}

# %%
# Forecasts and intervals
# -----------------------
# ``predict_interval`` takes the same X as ``predict``: here the 12 test
# months as a frame without columns (no exogenous regressors), whose index
# says which time points to forecast. It returns "lower" and "upper"
# columns on that index.
X_test = test.to_frame().iloc[:, :0]
results = {}
for name, model in models.items():
    model.fit(None, train)
    forecast = model.predict(X_test)
    interval = model.predict_interval(X_test, coverage=0.9)
    results[name] = forecast, interval
    inside = ((test >= interval["lower"]) & (test <= interval["upper"])).mean()
    width = (interval["upper"] - interval["lower"]).mean()
    score = mase(test, forecast, y_train=train, seasonal_period=12)
    print(f"{name:14s} MASE {score:.2f}  inside {inside:.0%}  mean width {width:.3f}")

# %%
# The picture
# -----------
# The last four years of the series, the held-out year, and each model's
# forecast with its 90% band. On the log scale a band of constant width is
# a constant *relative* uncertainty in passengers.
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True)
history = train[-36:]
for ax, (name, (forecast, interval)) in zip(axes, results.items(), strict=True):
    dates = test.index.to_timestamp()
    ax.plot(history.index.to_timestamp(), history, color="black", lw=1)
    ax.plot(dates, test, color="black", lw=1, linestyle="--", label="actual")
    ax.plot(dates, forecast, color="tab:blue", label="forecast")
    ax.fill_between(
        dates,
        interval["lower"],
        interval["upper"],
        color="tab:blue",
        alpha=0.25,
        label="90% interval",
    )
    ax.set_title(name)
    ax.tick_params(axis="x", labelrotation=45)
axes[0].set_ylabel("log passengers")
axes[0].legend(loc="upper left")
fig.tight_layout()

# %%
# How wide the intervals grow
# ---------------------------
# The conformal half-width of step ``k`` is a quantile of the model's own
# ``k``-step errors at the calibration origins, so it is free to grow with
# the horizon as fast as the errors do, rather than by a formula.
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, (_, interval) in results.items():
    ax.plot(
        np.arange(1, 13),
        (interval["upper"] - interval["lower"]).to_numpy() / 2,
        marker="o",
        label=name,
    )
ax.set_xlabel("steps ahead")
ax.set_ylabel("half-width of the 90% interval")
ax.legend()
fig.tight_layout()

# %%
# One held-out year says little about whether 90% intervals hold 90% of
# the values; ``benchmarks/bench_interval_coverage.py`` backtests them at
# several origins on ten real series (see :doc:`/user_guide/benchmarks`),
# and :func:`~skrnn.compare` scores coverage, width and the interval score
# per model when given ``coverage=0.9``.
