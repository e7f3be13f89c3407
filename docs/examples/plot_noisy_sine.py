"""
A noisy sine wave: one step ahead and many steps ahead
======================================================

The "hello world" of recurrent networks: learn a sine wave from noisy
observations. This example shows the two ways skrnn offers:

1. :func:`~skrnn.make_windows` turns the series into a supervised data set
   (windows and the value that follows each), and
   :class:`~skrnn.RNNRegressor` learns it like any scikit-learn regressor.
   This predicts **one step ahead** from observed values.
2. :class:`~skrnn.RecursiveForecaster` does the windowing itself and
   forecasts **many steps ahead** by feeding its predictions back.
"""

# %%
# Data
# ----
# 400 points of a sine wave with a period of 40 steps, plus Gaussian noise.
# The first 320 are for training, the last 80 for testing.
import matplotlib.pyplot as plt
import numpy as np

from skrnn import RecursiveForecaster, RNNRegressor, make_windows
from skrnn.metrics import rmse

rng = np.random.default_rng(0)
t = np.arange(400)
signal = np.sin(2 * np.pi * t / 40)
y = signal + rng.normal(scale=0.2, size=t.size)
n_train = 320

# %%
# One step ahead
# --------------
# ``make_windows(series, window)`` returns ``X`` of shape
# (n_windows, window, 1), the 3-D layout recurrent networks expect, and the
# value after each window as ``y``. Windows are cut from the training part
# and, separately, from the test part (prefixed with the last training
# values so that the first test point has a full window).
window = 20
X_train, y_train = make_windows(y[:n_train], window)
X_test, y_test = make_windows(y[n_train - window :], window)
print("training windows:", X_train.shape, "targets:", y_train.shape)

model = RNNRegressor(
    "lstm",
    units=16,
    epochs=40,
    validation_fraction=0.1,  # the latest 10% of the windows
    early_stopping=True,
    random_state=0,
)
model.fit(X_train, y_train)
one_step = model.predict(X_test)
print(f"one-step RMSE: {rmse(y_test, one_step):.3f} (noise level 0.2)")

# %%
# The network cannot predict the noise, only the wave: an RMSE near the noise
# level (0.2) means it has learnt the signal. Early stopping watched the loss
# on the latest 10% of the training windows and kept the weights of the best
# epoch; ``history_`` keeps the training curves and ``n_epochs_`` says when
# training stopped.
print("epochs run:", model.n_epochs_)

# %%
# Many steps ahead
# ----------------
# Forecasting 80 steps at once, the network only sees its own predictions
# after the first ``window`` steps, so errors can accumulate. The forecaster
# follows scikit-learn's ``fit(X, y)`` with the series as ``y``; ``X`` holds
# exogenous regressors and is None here.
forecaster = RecursiveForecaster(
    RNNRegressor("lstm", units=16, epochs=40, random_state=0), window=window
)
forecaster.fit(None, y[:n_train])
many_steps = forecaster.forecast(80)
print(f"80-step RMSE: {rmse(y[n_train:], many_steps):.3f}")

fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(t[n_train - 60 :], y[n_train - 60 :], ".", color="gray", label="observed")
ax.plot(t, signal, color="black", linewidth=0.8, label="noise-free wave")
ax.plot(t[n_train:], one_step, label="one step ahead")
ax.plot(t[n_train:], many_steps, label="recursive, 80 steps")
ax.set_xlim(n_train - 60, t[-1])
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=4)
fig.tight_layout()

# %%
# ``forecast`` returns a NumPy array here because ``y`` was one; give it a
# pandas Series with a time index and the forecast comes back with the future
# time points as its index.
