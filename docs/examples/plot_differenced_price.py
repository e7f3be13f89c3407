"""
Differencing a price series and forecasting it recursively
==========================================================

A classic way to forecast a price with a recurrent network goes like this:
take the first difference of the prices (the change from one period to the
next), cut the differences into windows of 13 values, train a network to
predict the next difference from each window, then forecast many periods
ahead by appending every prediction to the window and predicting again.
Finally, add the forecast changes back onto the last known price.

Written by hand, that is a ``split_sequence`` helper, a reshape to 3-D, a
Python loop around ``model.predict`` and a cumulative sum. With skrnn it is
one estimator, :class:`~skrnn.RecursiveForecaster`, whose ``window`` and
``differences`` are ordinary parameters. This example rebuilds the recipe on
the US consumer price index (quarterly, 1959-2009).
"""

# %%
# The data
# --------
# ``load_macro`` ships with skrnn, so nothing is downloaded. The CPI is a
# trending, price-like series; its quarterly changes are much closer to
# stationary, which is what the network should learn from.
import matplotlib.pyplot as plt
import numpy as np

from skrnn import Differencer, NaiveForecaster, RecursiveForecaster, RNNRegressor
from skrnn.datasets import load_macro
from skrnn.metrics import mae

cpi = load_macro()["cpi"]
train, test = cpi[:-12], cpi[-12:]  # hold out the last three years

changes = Differencer(order=1).fit_transform(train.to_frame())
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
top.plot(train.index.to_timestamp(), train, color="black")
top.set_ylabel("CPI")
bottom.plot(train.index.to_timestamp(), changes[:, 0], color="tab:gray")
bottom.set_ylabel("quarterly change")
fig.tight_layout()

# %%
# The first row of the differenced table is NaN: the first quarter has no
# predecessor. :class:`~skrnn.Differencer` keeps the row (so it fits inside a
# scikit-learn Pipeline) and skrnn's networks treat such all-NaN rows as
# padding. Its inverse rebuilds the levels exactly:
diff = Differencer(order=1).fit(train.to_frame())
rebuilt = diff.inverse_transform(diff.transform(train.to_frame()))
print("largest rebuild error:", np.abs(rebuilt[:, 0] - train.to_numpy()).max())

# %%
# The forecaster
# --------------
# ``window=13`` and ``differences=1`` reproduce the recipe; the forecaster
# also standardises the differences before training. The network is a small
# SimpleRNN with ReLU activation and dropout, trained for a few epochs with
# a fixed seed so that the example is quick and repeatable.
rnn = RNNRegressor(
    "simple",
    units=32,
    activation="relu",
    dropout=0.1,
    epochs=60,
    learning_rate=0.003,
    random_state=0,
)
forecaster = RecursiveForecaster(rnn, window=13, differences=1)
forecaster.fit(None, train)  # no exogenous regressors: X is None

# %%
# ``forecast(12)`` runs the whole recursion (predict a change, append it to
# the window, predict the next) as one compiled loop and returns levels, not
# changes, indexed by the next twelve quarters:
forecast = forecaster.forecast(12)
print(forecast.head())

# %%
# How good is it? A forecast is only worth something if it beats a simple
# rule, here the drift forecast: the last price plus the average change.
# One hold-out period is an anecdote, though, all the more so with a price
# shock in it; :func:`~skrnn.compare` scores models over several folds.
drift = NaiveForecaster("drift").fit(None, train).forecast(12)
print(f"MAE of the RNN:   {mae(test, forecast):.2f}")
print(f"MAE of the drift: {mae(test, drift):.2f}")

# %%
# Forecast against the actual values
# ----------------------------------
# The hold-out years contain the price drop of late 2008, which no model
# trained on the data before it could foresee.
fig, ax = plt.subplots(figsize=(8, 4))
recent = cpi[-40:]
ax.plot(recent.index.to_timestamp(), recent, color="black", label="actual")
ax.plot(forecast.index.to_timestamp(), forecast, marker="o", label="SimpleRNN")
ax.plot(drift.index.to_timestamp(), drift, linestyle="--", label="drift")
ax.axvline(test.index[0].to_timestamp(), color="gray", linewidth=0.8)
ax.set_ylabel("CPI")
ax.legend()
fig.tight_layout()

# %%
# Going further
# -------------
# ``window`` and ``differences`` are hyper-parameters like any other:
# :doc:`/user_guide/forecasting` tunes them with ``GridSearchCV`` and
# ``TimeSeriesSplit``, and :ref:`sphx_glr_auto_examples_plot_rnn_vs_ar.py`
# compares an RNN with AR(p) over several folds instead of one hold-out.
