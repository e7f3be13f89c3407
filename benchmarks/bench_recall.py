"""Long-lag recall: can SimpleRNN, LSTM and GRU remember the first step?

Issue 19 found ``RNNRegressor("simple")`` learning to recall step 0 of a
100-step noise sequence while LSTM and GRU stayed at R² 0, against what the
tutorials and the docs said. This benchmark asks whether that is a skrnn
defect or a property of the task, by training the same network on the same
data through skrnn and through plain Keras:

* data: ``X`` standard normal (n, lag, 1), target ``y = X[:, 0, 0]`` (the
  value ``lag - 1`` steps before the last one), 2000 training and 500 test
  sequences, one data seed;
* skrnn: ``RNNRegressor(cell, random_state=seed)`` at its defaults (32
  units, Adam 1e-3, batch 32, no early stopping), ``epochs`` set;
* plain Keras: ``keras.Sequential([Input, LSTM/GRU/SimpleRNN(32), Dense(1)])``,
  Adam 1e-3, MSE, batch 32, ``model.fit``, ``keras.utils.set_random_seed(seed)``.

Test R² is recorded after every epoch (``1 - val_loss / var(y_test)``, the
test set passed as validation data, which only monitors: no early stopping)
and the gradient norm of the loss with respect to the first and the last
time step of the fitted network (skrnn.rnn.time_step_gradients, the same
computation for the Keras model). Besides the main grid (lag 100, 30 epochs,
two weight seeds, both paths) a few skrnn variants show what lets LSTM and GRU
learn the task: a larger learning rate, more epochs, a shorter lag.

Run: python benchmarks/bench_recall.py [--quick]
(--quick: lag 20, 300 sequences, 2 epochs; results go to
benchmarks/results/quick/.)
"""

import argparse
import time

import _common
import numpy as np

N_TRAIN, N_TEST, N_GRAD = 2000, 500, 200
MAIN = dict(lag=100, epochs=30, learning_rate=1e-3)
# (path, cell, lag, epochs, learning rate, weight seed); the main grid first
CONFIGS = (
    [
        (path, cell, MAIN["lag"], MAIN["epochs"], MAIN["learning_rate"], seed)
        for seed in (0, 1)
        for path in ("skrnn", "keras")
        for cell in ("simple", "lstm", "gru")
    ]
    + [("skrnn", cell, 100, 30, 1e-2, 0) for cell in ("simple", "lstm", "gru")]
    + [
        ("skrnn", "gru", 100, 100, 1e-3, 0),
    ]
    + [
        ("skrnn", cell, lag, 30, 1e-3, 0)
        for lag in (20, 50)
        for cell in ("lstm", "gru")
    ]
)


def recall_data(lag, n_train, n_test, seed=0):
    """Noise sequences and the value at their first step as the target."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_train + n_test, lag, 1)).astype(np.float32)
    y = X[:, 0, 0].copy()
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _fit_skrnn(cell, X, y, X_test, y_test, epochs, learning_rate, seed):
    from skrnn import RNNRegressor
    from skrnn.rnn import time_step_gradients

    # The plain network Keras builds below: no linear skip (which would read
    # step 0 directly), all epochs.
    model = RNNRegressor(
        cell,
        epochs=epochs,
        learning_rate=learning_rate,
        random_state=seed,
        linear_skip=False,
        early_stopping=False,
    ).fit(X, y, X_val=X_test, y_val=y_test)
    grads = time_step_gradients(model, X_test[:N_GRAD], y_test[:N_GRAD])
    return model.history_["val_loss"], grads


def _fit_keras(cell, X, y, X_test, y_test, epochs, learning_rate, seed):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    layer = {
        "simple": keras.layers.SimpleRNN,
        "lstm": keras.layers.LSTM,
        "gru": keras.layers.GRU,
    }[cell]
    model = keras.Sequential(
        [keras.Input(X.shape[1:]), layer(32), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    history = model.fit(
        X,
        y,
        batch_size=32,
        epochs=epochs,
        validation_data=(X_test, y_test),
        verbose=0,
    )
    # per-sample squared error summed, as time_step_gradients does
    xb = tf.convert_to_tensor(X_test[:N_GRAD])
    with tf.GradientTape() as tape:
        tape.watch(xb)
        pred = model(xb, training=False)[:, 0]
        loss = tf.reduce_sum(tf.square(pred - y_test[:N_GRAD]))
    grads = np.sqrt(np.square(tape.gradient(loss, xb).numpy()).sum(axis=-1))
    return history.history["val_loss"], grads.mean(axis=0)


def run(path, cell, lag, epochs, learning_rate, seed, n_train, n_test):
    X, y, X_test, y_test = recall_data(lag, n_train, n_test)
    fit = _fit_skrnn if path == "skrnn" else _fit_keras
    start = time.perf_counter()
    val_loss, grads = fit(cell, X, y, X_test, y_test, epochs, learning_rate, seed)
    r2 = [1.0 - float(v) / float(np.var(y_test)) for v in val_loss]
    result = {
        "path": path,
        "cell": cell,
        "lag": lag,
        "epochs": epochs,
        "learning_rate": learning_rate,
        "seed": seed,
        "r2_per_epoch": r2,
        "grad_first": float(grads[0]),
        "grad_last": float(grads[-1]),
        "seconds": time.perf_counter() - start,
    }
    print(
        f"{path:5s} {cell:6s} lag {lag:3d} {epochs:3d} ep lr {learning_rate:g} "
        f"seed {seed}: R2 {r2[-1]:.3f}, grad t=0 {grads[0]:.1e} "
        f"({result['seconds']:.0f} s)",
        flush=True,
    )
    return result


def _row(result):
    r2 = result["r2_per_epoch"]
    row = {
        "path": result["path"],
        "cell": result["cell"],
        "lag": result["lag"],
        "learning rate": f"{result['learning_rate']:g}",
        "seed": result["seed"],
        "epochs": result["epochs"],
    }
    for epoch in (10, 30, 100):
        if epoch <= len(r2):
            row[f"test R² ep {epoch}"] = f"{r2[epoch - 1]:.3f}"
    row["best test R² (epoch)"] = f"{max(r2):.3f} ({int(np.argmax(r2)) + 1})"
    row["grad norm t=0"] = f"{result['grad_first']:.1e}"
    row["grad norm last step"] = f"{result['grad_last']:.1e}"
    row["fit s"] = f"{result['seconds']:.0f}"
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    args = parser.parse_args()
    configs, n_train, n_test = CONFIGS, N_TRAIN, N_TEST
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
        configs = [(p, c, 20, 2, lr, s) for p, c, _, _, lr, s in CONFIGS[:6]]
        n_train, n_test = 300, 100
    start = time.perf_counter()
    runs = [run(*config, n_train, n_test) for config in configs]
    seconds = time.perf_counter() - start
    notes = (
        f"Recall of step 0: X standard normal ({n_train} training, {n_test} test "
        "sequences, lag steps, 1 feature), y = X[:, 0, 0]. skrnn is "
        "`RNNRegressor(cell, learning_rate=lr, epochs=epochs, random_state=seed)` "
        "(32 units, batch 32, Adam); keras is `Sequential([Input, "
        "SimpleRNN/LSTM/GRU(32), Dense(1)])`, Adam(lr), MSE, batch 32, "
        "`model.fit`, `keras.utils.set_random_seed(seed)`; same data for both. "
        "Test R² after the given epoch (1 - test MSE / var(y_test)); R² 0 is "
        "predicting the mean, 1 perfect recall. 'grad norm' is the mean over "
        f"{N_GRAD} test sequences of the L2 norm of the gradient of the squared "
        "error with respect to the input at step 0 (the step to recall) and at "
        "the last step, for the fitted network. The seed only changes the "
        "initial weights and the batch order. Run time "
        f"{seconds / 60:.1f} min."
        + (" QUICK RUN (smoke test only)." if args.quick else "")
    )
    print(
        _common.write_results(
            "recall",
            "Long-lag recall: test R² of SimpleRNN, LSTM, GRU, skrnn and plain Keras",
            [_row(r) for r in runs],
            notes=notes,
            extra={"runs": runs, "seconds": seconds, "quick": args.quick},
        )
    )


if __name__ == "__main__":
    main()
