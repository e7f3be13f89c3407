"""
Bidirectional and attention networks
=====================================

By default an RNN reads a sequence from first to last step and summarises it
by its final state. Information from early steps must survive the whole
sequence to reach that state. Two knobs of :class:`~skrnn.RNNRegressor` and
:class:`~skrnn.RNNClassifier` change this:

- ``bidirectional=True`` adds a second recurrent layer that reads the
  sequence backwards, so early steps are close to one of the two final
  states;
- ``attention=True`` replaces the final state by a learned weighted mean of
  the states at *all* steps, so the network can look directly at the steps
  that matter.

A toy task shows the difference: each sequence is noise with one pulse at a
random position, and the target is the pulse's height.
"""

# %%
# The task
# --------
import matplotlib.pyplot as plt
import numpy as np

from skrnn import RNNRegressor
from skrnn.metrics import rmse

rng = np.random.default_rng(0)
n_samples, n_steps = 800, 60
X = rng.normal(scale=0.1, size=(n_samples, n_steps, 1))
position = rng.integers(0, n_steps, size=n_samples)
height = rng.uniform(-2, 2, size=n_samples)
X[np.arange(n_samples), position, 0] += height
y = height

fig, ax = plt.subplots(figsize=(7, 2.5))
for i in range(3):
    ax.plot(X[i, :, 0], label=f"height {y[i]:+.2f} at step {position[i]}")
ax.set_xlabel("time step")
ax.legend(fontsize="small")
fig.tight_layout()

# %%
# Three networks of the same width
# --------------------------------
# All three are GRUs with 8 units, trained for the same 20 epochs (no early
# stopping, which would end each after its own number) on the first 600
# sequences and scored on the last 200.
X_train, X_test, y_train, y_test = X[:600], X[600:], y[:600], y[600:]
settings = dict(
    units=8,
    epochs=20,
    learning_rate=0.01,
    random_state=0,
    early_stopping=False,
    validation_fraction=0.0,
)
networks = {
    "GRU": RNNRegressor("gru", **settings),
    "bidirectional GRU": RNNRegressor("gru", bidirectional=True, **settings),
    "GRU + attention": RNNRegressor("gru", attention=True, **settings),
}
errors, predictions = {}, {}
for name, network in networks.items():
    network.fit(X_train, y_train)
    predictions[name] = network.predict(X_test)
    errors[name] = rmse(y_test, predictions[name])
    print(f"{name:>18}: test RMSE {errors[name]:.3f}")

# %%
# Predicted against true heights: the closer to the diagonal, the better.
# On this task both knobs help; attention is also the cheapest of the two,
# as it adds one small layer where ``bidirectional`` doubles the recurrent
# work.
fig, axes = plt.subplots(1, 3, figsize=(9, 3), sharex=True, sharey=True)
for ax, (name, y_pred) in zip(axes, predictions.items(), strict=True):
    ax.plot([-2, 2], [-2, 2], color="gray", linewidth=0.8)
    ax.plot(y_test, y_pred, ".", markersize=3)
    ax.set_title(f"{name}\nRMSE {errors[name]:.3f}", fontsize="medium")
    ax.set_xlabel("true height")
axes[0].set_ylabel("predicted height")
fig.tight_layout()

# %%
# Beyond the knobs: your own network
# ----------------------------------
# ``network`` takes a callable that receives the Keras input tensor
# (batch, n_timesteps, n_features) and returns a 2-D tensor; skrnn adds the
# output layer and keeps everything else (fitting, early stopping, seeding,
# pickling, scikit-learn compatibility). Here a 1-D convolution runs before
# the GRU. Define the callable at module level so that the estimator can be
# pickled and cloned.
import keras  # noqa: E402


def conv_gru(inputs):
    x = keras.layers.Conv1D(8, kernel_size=3, padding="same", activation="relu")(inputs)
    return keras.layers.GRU(8)(x)


custom = RNNRegressor(network=conv_gru, **settings).fit(X_train, y_train)
print(f"Conv1D + GRU: test RMSE {rmse(y_test, custom.predict(X_test)):.3f}")
custom.model_.summary()
