"""Classification accuracy on UCR/UEA data sets, next to published references.

The development suite of issue 14, on the official train/test splits of the
files sktime ships offline: GunPoint, ItalyPowerDemand, OSULeaf, ACSF1
(1,460 steps) and PLAID (variable length, 100 to 1,344 steps, read as lists
of arrays of their real lengths) from the UCR archive, BasicMotions (6
channels) from the UEA archive. PickupGestureWiimoteZ is not among sktime's
offline files and nothing may be downloaded, so it is not measured.

Measured per set: the default ``RNNClassifier()`` (only ``random_state``
set, raw data: no scaling by the user), three variants one knob away, and sktime's
``LSTMFCNClassifier`` (its defaults but for an epoch cap: its default 2,000
epochs would take hours per fit on 2 cores), each over several seeds: test
accuracy mean ± std and fit time. References: published 1-NN DTW test
accuracies, each cited; 1-NN DTW is recomputed here where it is cheap, as a
check that the data are the published ones.

Run: python benchmarks/bench_classification_accuracy.py [--quick] [--n-jobs N]
[--resume] [--table-only]
(--quick: one seed, three small sets, few epochs; results go to
benchmarks/results/quick/.) Every finished fit is appended to
results/classification_accuracy_runs.jsonl as it ends; --resume skips the
fits recorded there, --table-only writes the tables from them alone. Fits
run in order of importance (the default everywhere first), so a run cut
short still answers the main question.
"""

import argparse
import json
import os
import statistics
import time
import traceback

import _common
import numpy as np

SEEDS = (0, 1, 2, 3, 4)
# Fewer seeds where one fit takes minutes on 2 shared cores: the default
# gets all five on the long sets, the variants and LSTM-FCN one.
LONG_SET_SEEDS = SEEDS
LONG_SET_VARIANT_SEEDS = (0,)
# sktime's LSTMFCNClassifier trains 2,000 epochs by default; capped here.
LSTMFCN_EPOCHS = {"default": 100, "long": 25}

UCR_2018 = (
    "UCR archive 2018 (Dau et al., 'The UCR Time Series Classification "
    "Archive', https://www.cs.ucr.edu/~eamonn/time_series_data_2018/, "
    "DataSummary table), column 'DTW (w=100)', i.e. 1-NN with unconstrained "
    "warping window: test error {error}"
)
UEA_2018 = (
    "Bagnall et al. 2018, 'The UEA multivariate time series classification "
    "archive, 2018', arXiv:1811.00075, benchmark table, column DTW_D "
    "(dependent multivariate DTW)"
)

# name -> (reference accuracy %, what it is, source, long set)
PROBLEMS = {
    "GunPoint": (90.7, "1-NN DTW, full window", UCR_2018.format(error="0.093"), 0),
    "ItalyPowerDemand": (
        95.0,
        "1-NN DTW, full window",
        UCR_2018.format(error="0.050"),
        0,
    ),
    "BasicMotions": (97.5, "1-NN DTW_D (multivariate)", UEA_2018, 0),
    "OSULeaf": (59.1, "1-NN DTW, full window", UCR_2018.format(error="0.409"), 1),
    "ACSF1": (64.0, "1-NN DTW, full window", UCR_2018.format(error="0.360"), 1),
    "PLAID": (84.0, "1-NN DTW, full window", UCR_2018.format(error="0.160"), 1),
}
QUICK_PROBLEMS = ("GunPoint", "ItalyPowerDemand", "BasicMotions")
# 1-NN DTW is recomputed where it takes seconds (the others: minutes to hours
# in NumPy on 2 cores).
DTW_RECOMPUTED = ("GunPoint", "ItalyPowerDemand", "BasicMotions")

# Variants of the default, each one documented knob away from it.
VARIANTS = {
    "default": {},
    "shape only": {"normalize": "shape"},
    "no dropout": {"layer_dropout": 0.0},
    "FCN only": {"units": ()},
}
VARIANT_DOC = {
    "default": "`RNNClassifier(random_state=seed)`: normalize='sequence' "
    "(z-normalised sequences, their mean and std beside the features), "
    "conv_filters=(64, 64, 64), conv_kernel_size=(8, 5, 3), "
    "conv_strides='auto', LSTM(32), layer_dropout='auto' (Dropout(0.8) on the "
    "LSTM's summary where it joins the pooled convolution features), "
    "epochs='auto'",
    "shape only": "`RNNClassifier(normalize='shape')`: z-normalised sequences "
    "without their mean and std (the default before 2026-12-07)",
    "no dropout": "`RNNClassifier(layer_dropout=0.0)`: the default without its dropout",
    "FCN only": "`RNNClassifier(units=())`: no recurrent layer, the "
    "convolution blocks and their average over time alone",
}


def _data_dir():
    import sktime

    return os.path.join(os.path.dirname(sktime.__file__), "datasets", "data")


def _read(name, split):
    """One split as (X, y): a 3-D array (n, steps, channels), or a list of
    (steps, channels) arrays of their real lengths for variable-length sets."""
    from sktime.datasets import load_from_tsfile

    path = os.path.join(_data_dir(), name, f"{name}_{split}.ts")
    X, y = load_from_tsfile(path, return_data_type="nested_univ")
    seqs = [
        np.column_stack(
            [np.asarray(X.iloc[i, j], dtype=np.float64) for j in range(X.shape[1])]
        )
        for i in range(len(X))
    ]
    if len({len(s) for s in seqs}) > 1:
        return seqs, np.asarray(y)
    return np.stack(seqs), np.asarray(y)


def load_problem(name):
    """Official (X_train, y_train, X_test, y_test)."""
    return (*_read(name, "TRAIN"), *_read(name, "TEST"))


def dtw_distances(A, B, pairs_per_chunk=20_000):
    """Full-window DTW (squared-difference cost, summed over channels: DTW_D)
    between every sequence of A (n, T, C) and of B (m, T, C).

    Row i of the cost matrix follows ``D[i, j] = c[i, j] + min(m[j], D[i,
    j - 1])`` with ``m[j] = min(D[i-1, j], D[i-1, j-1])``, which unrolls to
    ``C[j] + min over k <= j of (m[k] - C[k-1])`` with C the running sum of
    row i's costs: one cumulative minimum per row, vectorised over pairs.
    """
    n, T, _ = A.shape
    m = len(B)
    out = np.empty(n * m)
    for start in range(0, n * m, pairs_per_chunk):
        idx = np.arange(start, min(start + pairs_per_chunk, n * m))
        a, b = A[idx // m], B[idx % m]
        inf = np.full((len(idx), 1), np.inf)
        zero = np.zeros((len(idx), 1))
        row = None
        for i in range(T):
            cum = np.cumsum(((a[:, i, None, :] - b) ** 2).sum(-1), axis=1)
            if row is None:
                row = cum
                continue
            reach = np.minimum(row, np.concatenate([inf, row[:, :-1]], axis=1))
            shifted = np.concatenate([zero, cum[:, :-1]], axis=1)
            row = cum + np.minimum.accumulate(reach - shifted, axis=1)
        out[idx] = row[:, -1]
    return out.reshape(n, m)


def one_nn_dtw(X_train, y_train, X_test, y_test):
    nearest = dtw_distances(X_test, X_train).argmin(axis=1)
    return float(np.mean(y_train[nearest] == y_test))


def mean_std(values, scale=100, digits=1):
    values = [scale * v for v in values]
    if not values:
        return ""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return (
        f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"
    )


def run_rnn(name, variant, seed, quick):
    """Test accuracy of one seeded RNNClassifier trained on the official split."""
    from skrnn import RNNClassifier

    X_train, y_train, X_test, y_test = load_problem(name)
    params = dict(VARIANTS[variant])
    if quick:
        params["epochs"] = 5
    start = time.perf_counter()
    model = RNNClassifier(random_state=seed, **params).fit(X_train, y_train)
    seconds = time.perf_counter() - start
    accuracy = float(model.score(X_test, y_test))
    print(
        f"{name:17s} {variant}: seed {seed} accuracy {accuracy:.3f} "
        f"({model.n_epochs_} epochs, {seconds:.1f} s)",
        flush=True,
    )
    return {
        "data set": name,
        "model": variant,
        "seed": seed,
        "accuracy": accuracy,
        "epochs_run": model.n_epochs_,
        "seconds": seconds,
    }


def run_lstmfcn(name, seed, epochs):
    """sktime's LSTMFCNClassifier (its defaults, ``n_epochs`` capped)."""
    X_train, y_train, X_test, y_test = load_problem(name)
    row = {"data set": name, "model": "LSTM-FCN (sktime)", "seed": seed}
    try:
        from sktime.classification.deep_learning.lstmfcn import LSTMFCNClassifier

        if isinstance(X_train, list):
            # It refuses unequal lengths (NaN padding: "has missing values"),
            # so the sequences get zeros after their end up to the longest
            # one, as sktime's PaddingTransformer pads them.
            longest = max(len(x) for x in (*X_train, *X_test))
            X_train, X_test = (_zero_padded(X, longest) for X in (X_train, X_test))
        model = LSTMFCNClassifier(n_epochs=epochs, random_state=seed, verbose=False)
        start = time.perf_counter()
        model.fit(X_train.transpose(0, 2, 1), y_train)
        seconds = time.perf_counter() - start
        accuracy = float(np.mean(model.predict(X_test.transpose(0, 2, 1)) == y_test))
    except Exception as exc:  # recorded, not raised: the table says why
        line = (traceback.format_exception_only(exc)[-1]).strip()
        print(f"{name:17s} LSTM-FCN: seed {seed} failed: {line}", flush=True)
        return {**row, "error": line[:300]}
    print(
        f"{name:17s} LSTM-FCN: seed {seed} accuracy {accuracy:.3f} "
        f"({epochs} epochs, {seconds:.1f} s)",
        flush=True,
    )
    return {**row, "accuracy": accuracy, "epochs_run": epochs, "seconds": seconds}


def _record(job, path):
    """Run one fit job and append its result to the runs file."""
    func, args = job
    row = func(*args)
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")
    return row


def _key(row):
    return row["data set"], row["model"], row["seed"]


def _job_key(job):
    """The ``_key`` of the row a job will return."""
    func, args = job
    if func is run_rnn:
        name, variant, seed, _ = args
        return name, variant, seed
    name, seed, _ = args
    return name, "LSTM-FCN (sktime)", seed


def _goal_rows(problems, runs, lstmfcn_epochs):
    """Issue 14's goals per set, from the recorded runs."""

    def finished(name, model):
        return [
            r
            for r in runs
            if r["data set"] == name and r["model"] == model and "accuracy" in r
        ]

    rows = []
    for name in problems:
        ref_acc, _, _, long_set = PROBLEMS[name]
        default = finished(name, "default")
        if not default:
            continue
        acc = 100 * statistics.mean(r["accuracy"] for r in default)
        row = {
            "data set": name,
            "default %": f"{acc:.1f}",
            "1-NN DTW % (published)": f"{ref_acc:.1f}",
            "default >= 1-NN DTW": "yes" if acc >= ref_acc else "no",
        }
        other = finished(name, "LSTM-FCN (sktime)")
        if long_set and other:
            fcn_acc = 100 * statistics.mean(r["accuracy"] for r in other)
            ratio = statistics.mean(r["seconds"] for r in default) / statistics.mean(
                r["seconds"] for r in other
            )
            epochs = lstmfcn_epochs(name)
            row["default - LSTM-FCN (points)"] = f"{acc - fcn_acc:+.1f}"
            row[f"fit time / LSTM-FCN's at {epochs} epochs"] = f"{ratio:.2f}"
            row["fit time / LSTM-FCN's at 2,000 (extrapolated)"] = (
                f"{ratio * epochs / 2000:.3f}"
            )
        rows.append(row)
    return rows


def _zero_padded(seqs, length):
    out = np.zeros((len(seqs), length, seqs[0].shape[1]))
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def _shape(X_train, X_test):
    if isinstance(X_train, list):
        lengths = [len(s) for s in (*X_train, *X_test)]
        return (
            f"{len(X_train)}/{len(X_test)} x {min(lengths)}-{max(lengths)} x "
            f"{X_train[0].shape[1]}"
        )
    n_train, steps, channels = X_train.shape
    return f"{n_train}/{len(X_test)} x {steps} x {channels}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (joblib)")
    parser.add_argument(
        "--resume", action="store_true", help="skip the fits in the runs file"
    )
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="write the tables from the runs file, fit nothing",
    )
    args = parser.parse_args()
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
        _common.RESULTS.mkdir(parents=True, exist_ok=True)
    problems = QUICK_PROBLEMS if args.quick else tuple(PROBLEMS)

    def seeds(name, model="default"):
        if args.quick:
            return SEEDS[:1]
        if not PROBLEMS[name][3]:
            return SEEDS
        return LONG_SET_SEEDS if model == "default" else LONG_SET_VARIANT_SEEDS

    def lstmfcn_epochs(name):
        if args.quick:
            return 2
        return LSTMFCN_EPOCHS["long" if PROBLEMS[name][3] else "default"]

    lstmfcn = "LSTM-FCN (sktime)"

    # In order of importance: the default on every set, LSTM-FCN on the
    # long sets (the goal compares them), the variants and LSTM-FCN on the
    # short sets, the variants on the long sets; the longest fits first
    # within each.
    def rnn_jobs(names, variants):
        return [
            (run_rnn, (name, variant, seed, args.quick))
            for variant in variants
            for name in reversed(names)
            for seed in seeds(name, variant)
        ]

    def lstmfcn_jobs(names):
        return [
            (run_lstmfcn, (name, seed, lstmfcn_epochs(name)))
            for name in reversed(names)
            for seed in seeds(name, lstmfcn)
        ]

    long_sets = [name for name in problems if PROBLEMS[name][3]]
    short_sets = [name for name in problems if not PROBLEMS[name][3]]
    others = [variant for variant in VARIANTS if variant != "default"]
    jobs = (
        rnn_jobs(problems, ["default"])
        + lstmfcn_jobs(long_sets)
        + rnn_jobs(short_sets, others)
        + lstmfcn_jobs(short_sets)
        + rnn_jobs(long_sets, others)
    )
    runs_file = _common.RESULTS / "classification_accuracy_runs.jsonl"
    wanted = {_job_key(job) for job in jobs}
    recorded = []
    if (args.resume or args.table_only) and runs_file.exists():
        recorded = [json.loads(line) for line in runs_file.read_text().splitlines()]
        recorded = [r for r in recorded if _key(r) in wanted]
    elif runs_file.exists():
        runs_file.unlink()
    done = {_key(r) for r in recorded}
    todo = [job for job in jobs if _job_key(job) not in done]

    from joblib import Parallel, delayed

    start = time.perf_counter()
    if not args.table_only:
        recorded += list(
            Parallel(n_jobs=args.n_jobs)(
                delayed(_record)(job, runs_file) for job in todo
            )
        )
    runs = recorded
    dtw_here = {}
    for name in problems:
        if name in DTW_RECOMPUTED:
            X_train, y_train, X_test, y_test = load_problem(name)
            dtw_here[name] = one_nn_dtw(X_train, y_train, X_test, y_test)
    seconds = time.perf_counter() - start

    rows, references = [], []
    models = [*VARIANTS, "LSTM-FCN (sktime)"]
    for name in problems:
        ref_acc, ref_what, ref_source, _ = PROBLEMS[name]
        X_train, _, X_test, _ = load_problem(name)
        row = {
            "data set": name,
            "train/test x steps x channels": _shape(X_train, X_test),
        }
        for model in models:
            mine = [r for r in runs if r["data set"] == name and r["model"] == model]
            done = [r for r in mine if "accuracy" in r]
            if done:
                row[f"{model} %"] = (
                    f"{mean_std(r['accuracy'] for r in done)} ({len(done)})"
                )
                row[f"{model} fit s"] = mean_std(
                    (r["seconds"] for r in done), scale=1, digits=0
                )
            elif mine:
                row[f"{model} %"] = "failed: " + mine[0]["error"][:80]
                row[f"{model} fit s"] = ""
            else:
                row[f"{model} %"] = "not run"
                row[f"{model} fit s"] = ""
        references.append(ref_source)
        row["1-NN DTW % (published)"] = f"{ref_acc:.1f} [{len(references)}]"
        row["1-NN DTW % (this run)"] = (
            f"{100 * dtw_here[name]:.1f}" if name in dtw_here else "not run"
        )
        row["reference is"] = ref_what
        rows.append(row)

    goals = _goal_rows(problems, runs, lstmfcn_epochs)
    resumed = (
        " (this invocation; earlier fits read from the runs file)"
        if args.resume or args.table_only
        else ""
    )
    reference_lines = "\n".join(
        f"[{i}] {name}: {source}."
        for i, (name, source) in enumerate(
            zip(problems, references, strict=True), start=1
        )
    )
    variant_lines = "\n".join(
        f"- **{name}**: {doc}" for name, doc in VARIANT_DOC.items()
    )
    notes = (
        "Official train/test splits (sktime's offline copies of the UCR/UEA "
        "files; PLAID as lists of arrays of their real lengths). Every model "
        "gets the raw data: no scaling by the user. Accuracy on the test "
        "set and fit time in seconds, mean ± std over seeds (their number in "
        f"brackets: {len(SEEDS)} on the short sets; on the three long sets, "
        f"where one fit takes minutes on 2 shared cores, {len(LONG_SET_SEEDS)} "
        f"for the default and {len(LONG_SET_VARIANT_SEEDS)} for the others). "
        "Fit times are wall-clock on a machine shared with other jobs: "
        "compare them within one run. Models, all with "
        "`random_state=seed`:\n\n"
        f"{variant_lines}\n"
        "- **LSTM-FCN (sktime)**: `sktime.classification.deep_learning."
        "LSTMFCNClassifier(n_epochs=E)`, its defaults otherwise, with E = "
        f"{LSTMFCN_EPOCHS['default']} on the short sets and "
        f"{LSTMFCN_EPOCHS['long']} on the long ones instead of "
        "its default 2,000: its fit time grows with E, and 2,000 epochs "
        "would take hours per fit here. Its figures are therefore a lower "
        "bound of what it reaches with its default training, and its fit "
        "times are for E epochs.\n\n"
        "References are published test accuracies of 1-NN DTW on the same "
        "splits; '(this run)' recomputes full-window 1-NN DTW (squared "
        "differences, dependent over channels) where it takes seconds:\n\n"
        f"{reference_lines}\n\n"
        "Against the goals of issue 14 (the default's mean accuracy; on the "
        "long sets its difference from LSTM-FCN and the ratio of their fit "
        "times, measured at the capped epochs and extrapolated to LSTM-FCN's "
        "default 2,000 epochs, its fit time being linear in them):\n\n"
        f"{_common.markdown_table(goals)}\n\n"
        f"Run time {seconds / 60:.1f} min with n_jobs={args.n_jobs}{resumed}."
        + (" QUICK RUN (smoke test only: 5 epochs)." if args.quick else "")
    )
    print(
        _common.write_results(
            "classification_accuracy",
            "Classification accuracy (UCR/UEA): RNNClassifier vs 1-NN DTW and LSTM-FCN",
            rows,
            notes=notes,
            extra={"runs": runs, "seconds": seconds, "quick": args.quick},
        )
    )


if __name__ == "__main__":
    main()
