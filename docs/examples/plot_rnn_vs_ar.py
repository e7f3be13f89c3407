"""
Does an RNN beat AR(1) and AR(p)?
=================================

A recurrent network is a non-linear autoregression: it predicts the next
value from the past ones. So the first question about any RNN forecast is
whether it beats a *linear* autoregression, AR(1) or AR(p) with p chosen by
an information criterion. :func:`~skrnn.compare` answers it the honest way:
every model is fitted on the same time-series splits, forecasts the same
test periods, and the differences are tested for significance.

This example runs it on the airline passengers series with small networks
trained for a few epochs, so that it takes seconds; ``skrnn demo`` runs the
full-size version.
"""

# %%
# Models
# ------
# Each model follows the forecaster contract (``fit(X, y)``, ``predict(X)``),
# so networks and baselines are interchangeable. The networks forecast the
# log series from windows of two years, differenced as each fold's training
# part suggests (``"auto"``: a regular difference, a seasonal one, or both).
import numpy as np

from skrnn import (
    ARForecaster,
    NaiveForecaster,
    RecursiveForecaster,
    RNNRegressor,
    compare,
)
from skrnn.datasets import load_airline

y = np.log(load_airline())


def small_rnn(cell):
    network = RNNRegressor(cell, units=8, epochs=30, learning_rate=0.01, random_state=0)
    return RecursiveForecaster(network, window=24, seasonal_period=12)


models = {
    "LSTM": small_rnn("lstm"),
    "GRU": small_rnn("gru"),
    "AR(aic)": ARForecaster("aic"),
    "AR(1)": ARForecaster(1),
    "Seasonal naive": NaiveForecaster("seasonal_last", period=12),
}

# %%
# The comparison
# --------------
# Three folds of ``TimeSeriesSplit``, each forecasting the next 12 months
# from all the months before. ``seasonal_period=12`` makes MASE compare each
# error with that of the seasonal naive forecast in the training data.
report = compare(models, y, horizon=12, cv=3, seasonal_period=12, progress=False)
summary = report.summary()
summary[["rank", "mase_mean", "mase_std", "dm_statistic", "dm_pvalue"]].round(3)

# %%
# How to read it: ``mase_mean`` below 1 means the model's errors are smaller
# than those of the seasonal naive forecast within the training data. The
# Diebold-Mariano columns test each model against the baseline, AR(aic): a
# negative statistic means smaller absolute errors than AR(aic), and only a
# small p-value (say below 0.05) makes the difference more than luck. With
# three folds of twelve months there are only 36 test points, so large
# p-values are common; more folds (``cv=``) test more sharply. The user
# guide's :doc:`/user_guide/comparison` explains every column.
#
# The per-fold scores show how much the ranking depends on the year tested:
report.fold_scores()["mase"].unstack("fold").round(2)

# %%
# Forecasts in each fold
# ----------------------
# ``report.plot(kind)`` draws the figures of the HTML report with matplotlib
# and returns them (it never opens a window).
fig = report.plot("forecasts")

# %%
# Error by step ahead
# -------------------
# The networks feed their predictions back, and AR models forecast
# recursively as well, so errors tend to grow with the step. This table
# averages the MASE of each step over the folds:
report.error_by_step().round(2).head()

# %%
fig = report.plot("error_by_step")

# %%
# The whole report
# ----------------
# ``report.to_html("report.html")`` writes all tables and figures, including
# the networks' training curves, into one file that opens offline. The same
# report, with the default (larger) models, is what ``skrnn demo`` writes.
# In a notebook, the report itself displays as its summary table.
