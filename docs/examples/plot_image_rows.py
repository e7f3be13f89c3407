"""
Reading images row by row with a stacked LSTM
=============================================

A classic exercise of the RNN tutorials: treat every image of handwritten
digits as a *sequence of its rows*, read top to bottom, and let a stack of
LSTM layers decide which digit it is from what it has seen so far. The
tutorials do it on MNIST (28 rows of 28 pixels), which has to be
downloaded; scikit-learn ships a smaller set of the same kind offline, its
1,797 digits of 8 x 8 pixels, so here every image is 8 steps of 8 features.
"""

# %%
# Images as sequences
# -------------------
# ``load_digits`` gives the images as an array (n_images, 8, 8): already the
# (n_samples, n_timesteps, n_features) layout of a recurrent network, with
# the row as the time step and its 8 pixels as the features.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split

from skrnn import RNNClassifier

digits = load_digits()
X = digits.images / 16.0  # pixel intensities 0..16, scaled to 0..1
y = digits.target
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print("training sequences:", X_train.shape)

# %%
# A stacked LSTM
# --------------
# ``units=(64, 64)`` stacks two LSTM layers: the first returns its state at
# every row, the second reads those states and keeps its last one for the
# softmax output. The pixels are already on one scale and the level of a
# row matters (a blank row is information), so the per-sequence
# normalisation the classifier applies by default is turned off, and so is
# its convolution front-end, which is meant for long sequences: these have 8
# steps. ``class_weight`` is not needed, the ten digits are balanced.
model = RNNClassifier(
    "lstm",
    units=(64, 64),
    normalize=None,
    conv_filters=(),
    conv_kernel_size=(),
    conv_strides=(),
    epochs=40,
    learning_rate=3e-3,
    random_state=0,
)
model.fit(X_train, y_train)
print("test accuracy:", round(model.score(X_test, y_test), 3))

# %%
# Which digits it confuses
# ------------------------
# The confusion matrix of the test images: rows are the true digits,
# columns the predicted ones.
fig, ax = plt.subplots(figsize=(5.5, 5))
ConfusionMatrixDisplay.from_predictions(
    y_test, model.predict(X_test), ax=ax, colorbar=False
)
fig.tight_layout()

# %%
# What it sees, row by row
# ------------------------
# A recurrent network's decision builds up over the sequence. Cutting each
# test image after its first ``k`` rows (the rest NaN, which skrnn reads as
# padding) shows how much of the image the network needs: this one stays
# near chance until past the middle rows and decides on the last ones, so
# it has learnt to read the whole digit.
accuracies = []
for k in range(1, 9):
    partial = X_test.copy()
    partial[:, k:] = np.nan
    accuracies.append(model.score(partial, y_test))
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(range(1, 9), accuracies, marker="o")
ax.set_xlabel("rows read (from the top)")
ax.set_ylabel("test accuracy")
ax.set_ylim(0, 1)
fig.tight_layout()

# %%
# A few test images with the model's answer and its probability:
proba = model.predict_proba(X_test[:8])
fig, axes = plt.subplots(1, 8, figsize=(9, 1.8))
for ax, image, p in zip(axes, X_test[:8], proba, strict=True):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(f"{model.classes_[p.argmax()]} ({p.max():.0%})", fontsize=9)
    ax.axis("off")
fig.tight_layout()
