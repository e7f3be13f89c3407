"""
Classifying sequences with LSTM and GRU
=======================================

:class:`~skrnn.RNNClassifier` learns a label per sequence. Here the
sequences are synthetic signals of three shapes (sine, square and sawtooth
waves) with random frequency, phase, amplitude and noise, so the network has
to recognise the *shape* of the wave, not memorise values. The sequences
also have different lengths, which skrnn handles by padding and masking.
"""

# %%
# A data set from NumPy
# ---------------------
# Each sample is one wave of 40 to 80 time steps. Labels are plain strings.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from skrnn import RNNClassifier

rng = np.random.default_rng(0)
SHAPES = ["sine", "square", "sawtooth"]


def make_wave(shape, n_steps):
    period = rng.uniform(8, 20)
    phase = rng.uniform(0, 2 * np.pi)
    angle = 2 * np.pi * np.arange(n_steps) / period + phase
    if shape == "sine":
        wave = np.sin(angle)
    elif shape == "square":
        wave = np.sign(np.sin(angle))
    else:
        wave = 2 * ((angle / (2 * np.pi)) % 1.0) - 1
    amplitude = rng.uniform(0.5, 2.0)
    return amplitude * wave + rng.normal(scale=0.15, size=n_steps)


labels = rng.choice(SHAPES, size=450)
waves = [make_wave(shape, rng.integers(40, 81)) for shape in labels]
print("lengths from", min(map(len, waves)), "to", max(map(len, waves)))

fig, axes = plt.subplots(1, 3, figsize=(9, 2.5), sharey=True)
for ax, shape in zip(axes, SHAPES, strict=True):
    ax.plot(waves[list(labels).index(shape)])
    ax.set_title(shape)
fig.tight_layout()

# %%
# Variable lengths
# ----------------
# A list of 1-D arrays of different lengths is one of the sequence forms the
# estimators accept. skrnn pads the shorter sequences in front with all-NaN
# time steps and masks those steps inside the network, so padding does not
# change what is learnt. A NaN-padded 3-D array is accepted as well (a time
# step whose features are all NaN is padding).
waves_train, waves_test, y_train, y_test = train_test_split(
    waves, labels, test_size=0.3, stratify=labels, random_state=0
)

# %%
# LSTM and GRU
# ------------
# The same knobs apply to every cell type; only ``cell`` changes. The GRU has
# fewer weights than an LSTM of the same width and often trains faster.
scores = {}
for cell in ["lstm", "gru"]:
    clf = RNNClassifier(
        cell,
        units=16,
        epochs=30,
        learning_rate=0.005,
        validation_fraction=0.1,
        early_stopping=True,
        random_state=0,
    )
    clf.fit(waves_train, y_train)
    name = cell.upper()
    scores[name] = accuracy_score(y_test, clf.predict(waves_test))
    print(f"{name}: accuracy {scores[name]:.2f} after {clf.n_epochs_} epochs")

# %%
# ``classes_`` holds the labels in the order of the columns of
# ``predict_proba``:
print(clf.classes_)
print(clf.predict_proba(waves_test[:3]).round(2))

# %%
# Training curves
# ---------------
# ``history_`` records the loss of every epoch on the training samples and on
# the samples held out by ``validation_fraction``, which early stopping
# watches.
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(clf.history_["loss"], label="training loss")
ax.plot(clf.history_["val_loss"], label="validation loss")
ax.set_xlabel("epoch")
ax.set_title("GRU")
ax.legend()
fig.tight_layout()

# %%
# Since :class:`~skrnn.RNNClassifier` is a scikit-learn classifier, it works
# with ``cross_val_score`` (stratified folds), ``GridSearchCV`` over
# ``units`` or ``cell``, and ``class_weight="balanced"`` for imbalanced
# labels.
