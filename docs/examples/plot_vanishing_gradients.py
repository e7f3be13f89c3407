"""
Vanishing gradients, step by step
=================================

A recurrent network learns a dependency on an early time step only through
the gradient of the loss with respect to that step. When the gradient
shrinks with every step it travels back, the early steps barely move the
weights: the **vanishing gradient**. :func:`skrnn.rnn.time_step_gradients`
measures it on a fitted network: for every time step, the norm of the
gradient of the loss with respect to the input at that step.

The task makes the point sharply: each sequence is noise, and the target is
its **first** value, so everything the network needs lies at the step
furthest from its output.
"""

# %%
# The task
# --------
import matplotlib.pyplot as plt
import numpy as np

from skrnn import RNNRegressor
from skrnn.rnn import time_step_gradients

rng = np.random.default_rng(0)
n_steps = 30
X = rng.standard_normal((1000, n_steps, 1)).astype(np.float32)
y = X[:, 0, 0].copy()
X_train, X_test, y_train, y_test = X[:800], X[800:], y[:800], y[800:]

# %%
# Gradients at the start of training
# ----------------------------------
# One epoch of each cell, then the mean gradient norm per time step over the
# test sequences. The plot is on a log scale: a straight falling line is a
# gradient that shrinks by the same factor at every step back.
# linear_skip=False: the plain recurrent network, whose gradient must flow
# back through the recurrence (a skip connection would reach every step).
# No early stopping: every network trains for the epochs it is given.
settings = dict(
    units=16,
    learning_rate=0.01,
    random_state=0,
    linear_skip=False,
    early_stopping=False,
    validation_fraction=0.0,
)
cells = {"SimpleRNN": "simple", "LSTM": "lstm", "GRU": "gru"}
networks = {
    name: RNNRegressor(cell, epochs=1, **settings).fit(X_train, y_train)
    for name, cell in cells.items()
}
start = {
    name: time_step_gradients(net, X_test, y_test) for name, net in networks.items()
}


def plot_gradients(ax, norms, title):
    for name, norm in norms.items():
        ax.semilogy(np.arange(n_steps), norm, label=name)
    ax.set_xlabel("time step (0 = the value to recall)")
    ax.set_title(title, fontsize="medium")


fig, ax = plt.subplots(figsize=(7, 3.5))
plot_gradients(ax, start, "after 1 epoch")
ax.set_ylabel("gradient norm")
ax.legend()
fig.tight_layout()
for name, norm in start.items():
    print(f"{name:>9}: gradient at step 0 / last step = {norm[0] / norm[-1]:.1e}")

# %%
# The gated cells are the ones whose gradient vanishes here. That is how
# Keras initialises them, not a defect: an LSTM's forget gate starts near
# ``sigmoid(1) = 0.73`` (its bias is initialised to 1), so its memory, and
# the gradient through it, shrinks by about that factor per step; a GRU's
# update gate starts near ``sigmoid(0) = 0.5``. The SimpleRNN's recurrent
# weights start as an orthogonal matrix, which preserves the norm of the
# state, and with small activations ``tanh`` is close to the identity, so
# its gradient decays far more slowly (compare the ratios printed above:
# orders of magnitude apart over only 30 steps).
#
# Gates help because they can **learn** to keep their memory (a forget gate
# near 1 passes the cell state and its gradient unchanged), not because they
# start that way. Training on: ``warm_start=True`` continues from the weights
# of the first epoch.
for net in networks.values():
    net.set_params(warm_start=True, epochs=14).fit(X_train, y_train)
trained = {
    name: time_step_gradients(net, X_test, y_test) for name, net in networks.items()
}
for name, net in networks.items():
    print(f"{name:>9}: test R² after 15 epochs {net.score(X_test, y_test):.2f}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
plot_gradients(axes[0], start, "after 1 epoch")
plot_gradients(axes[1], trained, "after 15 epochs")
axes[0].set_ylabel("gradient norm")
axes[1].legend()
fig.tight_layout()

# %%
# A network that has learnt the task has a large gradient at step 0: its
# prediction depends on that step. One that has not keeps a gradient there
# orders of magnitude below the last step's, and its R² stays near 0 (it
# predicts the mean). Which cell gets there depends on the lag, the learning
# rate, the number of epochs and even the initial weights:
# ``benchmarks/results/recall.md`` (see :doc:`../user_guide/networks`) has
# the figures for a 100-step lag. To tell a vanishing gradient from a network
# that merely needs more training, plot these norms; to avoid depending on a
# long memory at all, ``attention=True`` or ``bidirectional=True`` put the
# early steps next to the output (see
# :ref:`sphx_glr_auto_examples_plot_bidirectional_attention.py`).
