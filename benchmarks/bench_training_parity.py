"""Training parity: does skrnn's compiled epoch train as well as Keras's fit?

Issue 19.1 measured skrnn behind ``keras.Model.fit`` on the same network and
initial weights. tests/test_rnn_training.py shows the compiled epoch equals
Keras's step for step given the same batches; what differs is the *order*:
under ``keras.utils.set_random_seed`` (how such comparisons are seeded)
Keras 3's ``fit`` draws one permutation and repeats it every epoch, while
skrnn draws a new one each epoch, as Keras does unseeded.

Per task and seed, from the same initial weights:

* ``keras (seeded fit)``: ``model.fit(shuffle=True)`` after
  ``set_random_seed``, i.e. one order repeated;
* ``skrnn, one order``: skrnn with ``shuffle=False`` on the data permuted
  once (the same procedure as Keras's seeded fit, another permutation);
* ``skrnn, new order per epoch``: skrnn's default ``shuffle=True``.

Tasks: memorising random targets of noise sequences (training MSE, lower is
better) and sklearn's digits read as 8 rows of 8 pixels (test accuracy).

Run: python benchmarks/bench_training_parity.py [--quick]
"""

import argparse
import time

import _common
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skrnn import RNNClassifier, RNNRegressor
from skrnn.rnn import _keras


def memorisation(seed):
    rng = np.random.default_rng(100 + seed)
    X = rng.normal(size=(256, 20, 1)).astype(np.float32)
    y = rng.normal(size=256).astype(np.float32)
    return X, y, X, y


def digits(seed):
    data = load_digits()
    X = (data.images / 16.0).astype(np.float32)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, data.target, test_size=0.3, random_state=0, stratify=data.target
    )
    return X_tr, y_tr, X_te, y_te


TASKS = {
    "memorise random targets (train MSE)": (memorisation, RNNRegressor, "mse"),
    "digits as sequences (test accuracy)": (
        digits,
        RNNClassifier,
        "sparse_categorical_crossentropy",
    ),
}


def _score(estimator_class, y_true, y_pred):
    if estimator_class is RNNRegressor:
        return float(np.mean((y_true - y_pred) ** 2))
    return float(np.mean(y_true == y_pred))


def run_task(load, estimator_class, loss, seed, epochs):
    X, y, X_test, y_test = load(seed)
    knobs = {"units": 32, "epochs": epochs, "random_state": seed}
    if estimator_class is RNNRegressor:
        # Keras's fit below trains the plain network on all samples.
        knobs.update(linear_skip=False, early_stopping=False, validation_fraction=0.0)
    scores = {}

    est = estimator_class(**knobs).fit(X, y)
    scores["skrnn, new order per epoch"] = _score(
        estimator_class, y_test, est.predict(X_test)
    )

    order = np.random.default_rng(seed).permutation(len(X))
    once = estimator_class(**knobs, shuffle=False).fit(X[order], y[order])
    scores["skrnn, one order"] = _score(estimator_class, y_test, once.predict(X_test))

    # Keras's own fit of the same network from the same initial weights.
    keras.utils.set_random_seed(seed)
    model = _keras.build_network(est._spec, est._keras_seed())
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    targets = (
        y[:, None]
        if estimator_class is RNNRegressor
        else np.searchsorted(est.classes_, y)
    )
    X_in = X if X.ndim == 3 else X[..., None]
    X_test_in = X_test if X_test.ndim == 3 else X_test[..., None]
    model.fit(X_in, targets, batch_size=32, epochs=epochs, shuffle=True, verbose=0)
    raw = model.predict(X_test_in, verbose=0)
    pred = (
        raw[:, 0]
        if estimator_class is RNNRegressor
        else est.classes_[raw.argmax(axis=1)]
    )
    scores["keras (seeded fit)"] = _score(estimator_class, y_test, pred)
    return scores


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
    seeds = range(2) if args.quick else range(5)
    epochs = 5 if args.quick else 30
    rows = []
    start = time.perf_counter()
    for task, (load, estimator_class, loss) in TASKS.items():
        per_variant = {}
        for seed in seeds:
            for variant, score in run_task(
                load, estimator_class, loss, seed, epochs
            ).items():
                per_variant.setdefault(variant, []).append(score)
        for variant, scores in per_variant.items():
            rows.append(
                {
                    "task": task,
                    "training": variant,
                    "mean": float(np.mean(scores)),
                    "std": float(np.std(scores)),
                    "per seed": ", ".join(f"{s:.4g}" for s in scores),
                }
            )
    notes = (
        f"LSTM(32), Adam 1e-3, batch 32, {epochs} epochs, seeds "
        f"{list(seeds)}; the three rows of a task start from the same "
        f"initial weights per seed. Run time "
        f"{time.perf_counter() - start:.0f} s."
    )
    print(
        _common.write_results(
            "training_parity",
            "Training parity with Keras's fit: the order of the batches",
            rows,
            notes=notes,
        )
    )


if __name__ == "__main__":
    main()
