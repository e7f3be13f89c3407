"""
Exploding gradients and gradient clipping
=========================================

Backpropagation through time multiplies the gradient by the recurrent
weights once per step it travels back. When those factors are above one,
the gradient grows with every step instead of vanishing, and one update can
throw the weights so far that the loss becomes NaN. The remedy the
tutorials teach is to clip the gradient: rescale it whenever its norm
exceeds a threshold, so that no single step of the optimizer is larger than
that. In skrnn it is a parameter of the estimator, ``clipnorm`` (each
weight's gradient), ``global_clipnorm`` (all gradients together) or
``clipvalue`` (each element), passed to the Keras optimizer.

The task is the stacked SimpleRNN regression of the tutorials: predict the
next value of a noisy two-frequency signal from the 60 before it, with two
ReLU SimpleRNN layers trained by plain stochastic gradient descent (Adam
adapts its step to the gradient's size, which hides the problem).
"""

# %%
# The data
# --------
import matplotlib.pyplot as plt
import numpy as np

from skrnn import RNNRegressor, make_windows

rng = np.random.default_rng(0)
t = np.arange(1200)
signal = np.sin(2 * np.pi * t / 40) + 0.5 * np.sin(2 * np.pi * t / 7)
y = signal + 0.2 * rng.normal(size=t.size)
X, target = make_windows(y, window=60)
print("windows:", X.shape, "targets:", target.shape)


# The tutorial's plain network: no linear skip (whose least-squares start
# would hold the loss at a linear model's from the first epoch) and all 20
# epochs (no early stopping), so that the curves are what SGD learns.
def stacked_rnn(learning_rate, **clipping):
    return RNNRegressor(
        "simple",
        units=(32, 32),
        activation="relu",
        optimizer="sgd",
        learning_rate=learning_rate,
        epochs=20,
        random_state=0,
        linear_skip=False,
        early_stopping=False,
        validation_fraction=0.0,
        **clipping,
    )


# %%
# A learning rate too large for unclipped gradients
# -------------------------------------------------
# At a learning rate of 0.5 the gradient explodes within the first epoch.
# skrnn checks the loss after every epoch and stops with an error that names
# the problem and the fixes, instead of returning a model whose weights are
# NaN (a model fitted before keeps its weights).
try:
    stacked_rnn(0.5).fit(X, target)
except FloatingPointError as error:
    print(error)

# %%
# The same learning rate with clipping
# ------------------------------------
# ``global_clipnorm=1.0`` rescales the whole gradient to norm 1 whenever it
# is larger. Training now runs; beside it, the unclipped network at a
# learning rate small enough to be stable.
clipped = stacked_rnn(0.5, global_clipnorm=1.0).fit(X, target)
small_steps = stacked_rnn(0.01).fit(X, target)

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(clipped.history_["loss"], label="learning rate 0.5, clipped at norm 1")
ax.plot(small_steps.history_["loss"], label="learning rate 0.01, no clipping")
ax.axhline(0.2**2, color="gray", linestyle=":", label="noise variance")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training MSE")
ax.legend()
fig.tight_layout()

# %%
# Clipping makes a large learning rate survivable, not good: the clipped
# steps are still large and noisy, and the small learning rate reaches a
# lower loss. Clipping is the safety net that lets training get past the
# rare steps where the gradient explodes; the step size is still chosen by
# the learning rate (or by an adaptive optimizer such as the default Adam,
# with which this network trains without either).
print(
    "final training MSE, clipped at rate 0.5:  ", round(clipped.history_["loss"][-1], 4)
)
print(
    "final training MSE, unclipped at rate 0.01:",
    round(small_steps.history_["loss"][-1], 4),
)
