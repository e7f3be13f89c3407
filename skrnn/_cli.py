"""The ``skrnn`` command line: compare forecasters on a CSV file, or run a demo.

``main(argv)`` returns the exit status instead of exiting, so that it can be
called (and tested) in-process; the console script exits with it.
"""

import argparse
import os
import sys
import textwrap
import time
from pathlib import Path

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
EXIT_CODES = """\
exit status:
  0  success
  1  unexpected failure (please report it, with the message)
  2  usage or data error: bad option, missing file or column, non-numeric
     target, unparseable dates, series too short for the horizon and splits
"""
MODELS = {
    "simple": "SimpleRNN",
    "lstm": "LSTM",
    "gru": "GRU",
    "ar": "AR(aic)",
    "ar1": "AR(1)",
    "naive": "Naive",
    "snaive": "Seasonal naive",
}
# --quick: a CI-sized run that still shows every part of the report.
QUICK_RNN = {"epochs": 8, "units": 8}


class UsageError(Exception):
    """A problem with the command line or the data (exit status 2)."""


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _model_keys(text):
    keys = [key.strip().lower() for key in text.split(",") if key.strip()]
    unknown = [key for key in keys if key not in MODELS]
    if not keys or unknown:
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of {','.join(MODELS)}; got {text!r}"
        )
    return list(dict.fromkeys(keys))


def _parser():
    parser = argparse.ArgumentParser(
        prog="skrnn",
        description=textwrap.fill(
            "Does an RNN beat AR(p) on your series, and by how much? Fits "
            "SimpleRNN, LSTM and GRU forecasters and AR / naive baselines on "
            "the same time-series splits and writes a one-file HTML report."
        ),
        epilog="examples:\n  skrnn demo --out report.html\n"
        "  skrnn compare sales.csv --target sales --date-column month "
        "--seasonal-period 12\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    comparison = commands.add_parser(
        "compare",
        help="compare the models on one column of a CSV file",
        description=textwrap.fill(
            "Compare RNN forecasters with AR and naive baselines on one column "
            "of a CSV file (one row per time point, in time order) and write "
            "an HTML report."
        ),
        epilog="examples:\n"
        "  skrnn compare sales.csv --target sales --date-column month "
        "--seasonal-period 12\n"
        "  skrnn compare data.csv --target y --horizon 6 --models lstm,ar,naive "
        "--epochs 50 --out y.html\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    comparison.add_argument("csv", metavar="data.csv", help="the CSV file")
    comparison.add_argument(
        "--target",
        required=True,
        metavar="COL",
        help="column holding the series to forecast",
    )
    comparison.add_argument(
        "--date-column",
        metavar="C",
        help="column of dates (evenly spaced); default: rows are numbered 0, 1, ...",
    )
    comparison.add_argument(
        "--horizon",
        type=_positive_int,
        default=12,
        metavar="H",
        help="time points forecast in each fold (default: 12)",
    )
    comparison.add_argument(
        "--models",
        type=_model_keys,
        metavar="LIST",
        help=f"comma-separated subset of {','.join(MODELS)} (default: all; "
        "snaive only with --seasonal-period)",
    )
    comparison.add_argument(
        "--seasonal-period",
        type=_positive_int,
        metavar="M",
        help="season length, e.g. 12 for monthly data; sets seasonal "
        "differencing, the seasonal naive baseline and the MASE scale",
    )
    comparison.add_argument(
        "--n-splits",
        type=_positive_int,
        default=3,
        metavar="K",
        help="number of folds (default: 3)",
    )
    comparison.add_argument(
        "--epochs",
        type=_positive_int,
        metavar="E",
        help="training epochs of the RNNs (default: 100)",
    )
    _add_common(comparison)

    demo = commands.add_parser(
        "demo",
        help="run the comparison on the shipped airline passengers series",
        description=textwrap.fill(
            "Compare the models on monthly airline passengers 1949-1960 (log "
            "scale; horizon 12, seasonal period 12, 3 folds) and write the report."
        ),
        epilog="example:\n  skrnn demo --quick --out report.html\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument(
        "--quick",
        action="store_true",
        help="small networks and few epochs: a CI-sized run",
    )
    _add_common(demo)
    return parser


def _add_common(parser):
    parser.add_argument(
        "--out",
        default="report.html",
        metavar="PATH",
        help="where to write the HTML report (default: report.html)",
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        metavar="N",
        help="fits run in parallel (default: 1; -1: all cores)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar or table: print only the report's path",
    )


def _read_series(path, target, date_column):
    """The target column of a CSV file as a float Series on a time index."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file. Check the path.")
    try:
        frame = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser errors too
        raise UsageError(f"{path}: cannot be read as CSV ({exc}).") from exc
    columns = ", ".join(map(str, frame.columns))
    for option, column in [("--target", target), ("--date-column", date_column)]:
        if column is not None and column not in frame.columns:
            raise UsageError(
                f"{option} {column!r}: no such column in {path.name}. Its columns "
                f"are: {columns}."
            )
    raw = frame[target]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise UsageError(
            f"--target {target!r} must hold numbers, but line {row + 2} of "
            f"{path.name} holds {raw.iloc[row]!r}. Pick a numeric column or fix "
            "the file."
        )
    if values.isna().any():
        row = int(values.isna().to_numpy().argmax())
        raise UsageError(
            f"--target {target!r} has {int(values.isna().sum())} empty values "
            f"(first on line {row + 2}). Fill or drop them first."
        )
    index = None
    if date_column is not None:
        index = _dates(frame[date_column], date_column, path.name)
    y = pd.Series(values.to_numpy(dtype=float), index=index, name=target)
    return y.sort_index() if index is not None else y


def _dates(column, name, filename):
    """Parsed, evenly spaced dates as a DatetimeIndex with a frequency."""
    import pandas as pd

    parsed = pd.to_datetime(column, errors="coerce")
    failed = parsed.isna()
    if failed.any():
        row = int(failed.to_numpy().argmax())
        raise UsageError(
            f"--date-column {name!r}: line {row + 2} of {filename} holds "
            f"{column.iloc[row]!r}, which is not a date. Use ISO dates such as "
            "2024-01-31, or leave out --date-column to number the rows."
        )
    index = pd.DatetimeIndex(parsed).sort_values()
    if index.has_duplicates:
        raise UsageError(
            f"--date-column {name!r} repeats the date {index[index.duplicated()][0]}. "
            "Give one row per time point (aggregate duplicates first)."
        )
    freq = pd.infer_freq(index) if len(index) >= 3 else None
    if freq is None:
        raise UsageError(
            f"--date-column {name!r}: the dates are not evenly spaced (or there "
            "are gaps), so their frequency cannot be inferred. Fill the gaps, or "
            "leave out --date-column to number the rows."
        )
    return pd.DatetimeIndex(index, freq=freq, name=name)


def _models(keys, seasonal_period, epochs, quick):
    from .comparison import default_models

    if keys is None:
        keys = [k for k in MODELS if k != "snaive" or seasonal_period]
    if "snaive" in keys and not seasonal_period:
        raise UsageError(
            "--models snaive needs the season length: add --seasonal-period "
            "(e.g. 12 for monthly data)."
        )
    available = default_models(seasonal_period)
    models = {MODELS[key]: available[MODELS[key]] for key in keys}
    settings = dict(QUICK_RNN) if quick else {}
    if epochs is not None:
        settings["epochs"] = epochs
    for model in models.values():
        if "estimator" in model.get_params(deep=False) and settings:
            model.set_params(**{f"estimator__{k}": v for k, v in settings.items()})
    return models


def _run(args):
    if args.command == "demo":
        import numpy as np

        from .datasets import load_airline

        y = np.log(load_airline()).rename("log(passengers)")
        horizon, seasonal_period, n_splits = 12, 12, 3
        models = _models(None, seasonal_period, None, args.quick)
    else:
        y = _read_series(args.csv, args.target, args.date_column)
        horizon, seasonal_period, n_splits = (
            args.horizon,
            args.seasonal_period,
            args.n_splits,
        )
        models = _models(args.models, seasonal_period, args.epochs, quick=False)
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UsageError(f"--out {args.out}: the folder {out.parent} does not exist.")

    from .comparison import compare

    start = time.perf_counter()
    try:
        report = compare(
            models,
            y,
            horizon=horizon,
            cv=n_splits,
            seasonal_period=seasonal_period,
            n_jobs=args.n_jobs,
            progress=not args.quiet,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    report.to_html(out)
    seconds = time.perf_counter() - start
    print(f"Report written to {out} ({seconds:.0f} s).")
    if not args.quiet:
        print()
        print(report._headline())
        print()
        print(report.to_markdown())
    return EXIT_OK


def main(argv=None):
    """Run the ``skrnn`` command line and return its exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    # TensorFlow's C++ start-up chatter is noise on a command line.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        return _run(args)
    except UsageError as exc:
        print(f"skrnn {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("skrnn: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line instead of a traceback
        print(
            f"skrnn {args.command}: unexpected error: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
