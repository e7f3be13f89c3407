"""The ``skrnn`` command line: compare forecasters on a CSV file, or run a demo.

``main(argv)`` returns the exit status instead of exiting, so that it can be
called (and tested) in-process; the console script exits with it.
"""

import argparse
import math
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
     target or --exog column, a column given two roles, unparseable or
     ambiguous dates, repeated dates, gaps or empty values without --fill,
     --out not writable or not .html, series too short for the horizon and
     splits or too long for the memory
"""
FILL_METHODS = ("interpolate", "ffill")  # as skrnn.datasets.read_csv_series
MODELS = {
    "simple": "SimpleRNN",
    "lstm": "LSTM",
    "gru": "GRU",
    "ar": "AR(aic)",
    "ar1": "AR(1)",
    "naive": "Naive",
    "snaive": "Seasonal naive",
}
RNN_KEYS = ("simple", "lstm", "gru")
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


def _comma_choices(text, allowed):
    """The names of a comma-separated option, each among ``allowed``, once."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if not names or any(name not in allowed for name in names):
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of {','.join(allowed)}; got {text!r}"
        )
    return list(dict.fromkeys(names))


def _model_keys(text):
    return _comma_choices(text, MODELS)


def _metric_names(text):
    from .comparison._metrics import METRICS

    return _comma_choices(text, METRICS)


def _columns(text):
    """A comma-separated list of column names, in order (the reader refuses
    one listed twice, naming it)."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"must be a column name or a comma-separated list of them; got {text!r}"
        )
    return names


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
        "--seasonal-period 12\n"
        "  skrnn compare shops_long.csv --id-column shop --target sales "
        "--date-column month\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    comparison = commands.add_parser(
        "compare",
        help="compare the models on one or several series of a CSV file",
        description=textwrap.fill(
            "Compare RNN forecasters with AR and naive baselines on a column "
            "of a CSV file (one row per time point, in any order) and write an "
            "HTML report. Several columns, or a file with one row per series "
            "and date (--id-column), make a panel, compared on all its "
            "series. --exog adds columns of regressors whose "
            "values are known for the forecast dates."
        ),
        epilog="examples:\n"
        "  skrnn compare sales.csv --target sales --date-column month "
        "--seasonal-period 12\n"
        "  skrnn compare data.csv --target y --horizon 6 --models lstm,ar,naive "
        "--epochs 50 --out y.html\n"
        "  skrnn compare sales.csv --target sales --exog price,promo "
        "--date-column month\n"
        "  skrnn compare shops.csv --target north,south,east --date-column "
        "month\n"
        "  skrnn compare shops_long.csv --id-column shop --target sales "
        "--date-column month\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    comparison.add_argument("csv", metavar="data.csv", help="the CSV file")
    comparison.add_argument(
        "--target",
        required=True,
        type=_columns,
        metavar="COL[,COL...]",
        help="column holding the series to forecast; several comma-separated "
        "columns are a panel, one series each, which may start and end at "
        "other dates (empty cells before a series starts and after it ends "
        "are not gaps); with --id-column, the one column of values",
    )
    comparison.add_argument(
        "--id-column",
        metavar="C",
        help="column naming the series of each row, for a file with one row "
        "per series and date (long layout; needs --date-column): each id "
        "becomes a series of the panel",
    )
    comparison.add_argument(
        "--exog",
        type=_columns,
        metavar="COL[,COL...]",
        help="comma-separated columns of exogenous regressors, known for the "
        "forecast dates too (prices, holidays): numbers, read like the target "
        "(--fill fills their empty values); in the long layout one value per "
        "date, shared by the series",
    )
    comparison.add_argument(
        "--date-column",
        metavar="C",
        help="column of dates, in any row order (rows are sorted by it); "
        "integer years and quarters (1959Q1) become periods; default: rows "
        "are numbered 0, 1, ...",
    )
    comparison.add_argument(
        "--date-format",
        metavar="FMT",
        help="strftime format of the dates, e.g. %%d/%%m/%%Y for day-first "
        "dates or %%y for two-digit years (default: inferred; day-first and "
        "month-first dates that both fit, and dates without a four-digit "
        "year, are refused)",
    )
    comparison.add_argument(
        "--fill",
        choices=FILL_METHODS,
        help="fill empty values and missing dates (inside each series of a "
        "panel): interpolate (a straight line between neighbours) or ffill "
        "(repeat the last value); default: refuse them",
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
        "--metrics",
        type=_metric_names,
        metavar="LIST",
        help="comma-separated scores, the first ranks the models and is "
        "tested (default: mase,rmse,mae,smape)",
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
        help="the HTML report to write, a name ending in .html (default: report.html)",
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
        help="no progress bar or tables: print only the line naming the report",
    )


_CLI_NAMES = {
    "target": "--target",
    "date_column": "--date-column",
    "date_format": "--date-format",
    "fill": "--fill",
    "exog": "--exog",
    "id_column": "--id-column",
}


def _read_data(args):
    """The series (a Series, or a wide DataFrame for a panel), the exogenous
    columns (or None) and the notes, as the options of ``compare`` say."""
    from .datasets._csv import _check_common_end, _read, _read_panel

    try:
        if args.id_column is None and len(args.target) == 1:
            read = _read(
                args.csv,
                args.target[0],
                args.date_column,
                args.date_format,
                args.fill,
                _CLI_NAMES,
                exog=args.exog,
                holdout=(args.horizon, args.n_splits),
            )
            return read if args.exog else (read[0], None, read[1])
        table, X, notes = _read_panel(
            args.csv,
            args.target,
            args.id_column,
            args.date_column,
            args.date_format,
            args.fill,
            args.exog,
            _CLI_NAMES,
            holdout=(args.horizon, args.n_splits),
        )
        if X is not None:
            _check_common_end(table, _CLI_NAMES)
        return table, X, notes
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _read_series(path, target, date_column, date_format=None, fill=None):
    """The target column of a CSV file as a float Series on a time index."""
    return _read_with_notes(path, target, date_column, date_format, fill)[0]


def _read_with_notes(path, target, date_column, date_format, fill):
    """The series, and notes on what was done to it (sorted, filled)."""
    from .datasets._csv import _read

    try:
        return _read(path, target, date_column, date_format, fill, _CLI_NAMES)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _check_out(path, data=None):
    """Refuse an --out that cannot be written, before hours of fitting, or
    that is the data file (the report would replace the data)."""
    out = Path(path)
    if out.is_dir():
        raise UsageError(f"--out {path}: is a folder; give a file name.")
    if data is not None and out.exists() and out.resolve() == Path(data).resolve():
        raise UsageError(
            f"--out {path}: is the data file; the report would replace the "
            "data. Give another file name (e.g. report.html)."
        )
    if out.suffix.lower() not in (".html", ".htm"):
        # The file is HTML whatever its name: report.md would hold a page,
        # not Markdown, and open as text.
        raise UsageError(
            f"--out {path}: the report is an HTML page (tables and figures); "
            f"give a name ending in .html (e.g. {out.with_suffix('.html').name}). "
            "The summary table is also printed as Markdown unless --quiet."
        )
    if not out.parent.is_dir():
        raise UsageError(f"--out {path}: the folder {out.parent} does not exist.")
    existed = out.exists()
    try:
        # Opened for appending: an existing report is left as it is.
        with open(out, "ab"):
            pass
    except OSError as exc:
        raise UsageError(
            f"--out {path}: cannot be written ({exc.strerror}). Choose another "
            "path or fix the permissions."
        ) from exc
    if not existed:
        out.unlink()
    return out


def _memory_budget():
    """Bytes the comparison may hold at once: half the machine's memory."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, OSError, ValueError):  # not on POSIX
        return 4 * 2**30


def _model_bytes(model, n):
    """Rough peak memory of fitting ``model`` on ``n`` points, in bytes."""
    params = model.get_params(deep=False)
    if type(model).__name__ == "ARForecaster":
        lags = params["lags"]
        if isinstance(lags, str):  # the order search builds all lags at once
            # ARForecaster's documented default maxlag (Schwert's rule).
            lags = params["maxlag"] or math.ceil(12 * (n / 100) ** 0.25)
        # The lag matrix and statsmodels' copy of it, in float64.
        return 2 * 8 * n * (int(lags) + 2)
    if "window" in params:
        window = params["window"]
        if window == "auto":
            # At most AR(aic)'s largest lag (Schwert's rule) or the season.
            season = params.get("seasonal_period")
            window = max(
                math.ceil(12 * (n / 100) ** 0.25),
                season if isinstance(season, int) else 52,
            )
        # The training windows in float64 and float32, and the scaled series.
        return (8 + 4) * n * (int(window) + 1) + 3 * 8 * n
    return 3 * 8 * n


def _check_size(models, n, n_series=1):
    """Refuse up front a series too long for the memory of this machine.

    ``n`` counts the observed time points of all ``n_series`` series: the
    training windows of a panel are cut from every series.
    """
    budget = _memory_budget()
    needs = {name: _model_bytes(model, n) for name, model in models.items()}
    too_big = {name: b for name, b in needs.items() if b > budget}
    if too_big:
        name, need = max(too_big.items(), key=lambda item: item[1])
        fits = max(int(n * budget / need) // n_series, 1)
        what = (
            f"the series has {n:,} time points"
            if n_series == 1
            else f"the {n_series} series have {n:,} time points in all"
        )
        rows = "rows" if n_series == 1 else "rows of each series"
        raise UsageError(
            f"{what}: fitting {name} would need about "
            f"{need / 2**30:.1f} GiB of memory, more than the {budget / 2**30:.1f} "
            f"GiB this comparison may use. Use the last {fits:,} {rows} or fewer "
            f"(or aggregate to a coarser frequency), or leave {name} out of "
            "--models."
        )


def _load_tensorflow():
    """Load TensorFlow before the work starts (its start-up lines are hidden
    while it loads: see skrnn/rnn/_tensorflow.py), so that a broken install
    fails before any data is read."""
    from .rnn import _keras  # noqa: F401


def _models(keys, seasonal_period, epochs, quick):
    from .comparison import default_models

    # A season of 1 is none: default_models adds snaive for longer ones only.
    seasonal = seasonal_period is not None and seasonal_period > 1
    if keys is None:
        keys = [k for k in MODELS if k != "snaive" or seasonal]
    if "snaive" in keys and not seasonal:
        raise UsageError(
            "--models snaive needs a season of 2 or more time points: add "
            "--seasonal-period (e.g. 12 for monthly data); with no season, "
            "the naive model is 'naive'."
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
    out = _check_out(args.out, getattr(args, "csv", None))
    notes = []
    if args.command == "demo":
        import numpy as np

        from .datasets import load_airline

        y = np.log(load_airline()).rename("log(passengers)")
        horizon, seasonal_period, n_splits = 12, 12, 3
        keys = None
        models = _models(keys, seasonal_period, None, args.quick)
        X = None
        notes.append("log of the monthly airline passengers, 1949-1960")
        if args.quick:
            notes.append(
                f"--quick: networks of {QUICK_RNN['units']} units trained for "
                f"{QUICK_RNN['epochs']} epochs"
            )
    else:
        y, X, notes = _read_data(args)
        if X is not None:
            notes.append(f"exogenous regressors (--exog): {', '.join(X.columns)}")
        horizon, seasonal_period, n_splits = (
            args.horizon,
            args.seasonal_period,
            args.n_splits,
        )
        keys = args.models
        models = _models(keys, seasonal_period, args.epochs, quick=False)
    if y.ndim == 1:
        _check_size(models, len(y))
    else:  # a panel: NaN before a series starts and after it ends
        _check_size(models, int(y.notna().to_numpy().sum()), y.shape[1])

    from .comparison import compare

    start = time.perf_counter()
    if any(key in RNN_KEYS for key in keys or RNN_KEYS):
        _load_tensorflow()
    try:
        report = compare(
            models,
            y,
            X=X,
            horizon=horizon,
            cv=n_splits,
            seasonal_period=seasonal_period,
            n_jobs=args.n_jobs,
            progress=not args.quiet,
            # compare's own default, unless --metrics names others
            **({"metrics": args.metrics} if getattr(args, "metrics", None) else {}),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    report.notes = [*notes, *report.notes]
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
