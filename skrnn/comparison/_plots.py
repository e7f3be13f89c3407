"""Figures of a ComparisonReport.

Figures are made with ``matplotlib.figure.Figure`` rather than pyplot: they
render with Agg, never open a window, and leave pyplot's state alone.
"""

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ._metrics import get_metric

__all__ = ["KINDS", "PANEL_KINDS", "model_colors", "plot", "plot_panel"]

KINDS = ("summary", "forecasts", "error_by_step", "training")
PANEL_KINDS = ("summary", "best", "median", "worst")
# Tableau 10: distinct, colour-blind-friendly enough, and familiar.
PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#9c755f",
    "#ff9da7",
    "#76b7b2",
    "#edc948",
    "#bab0ac",
]
ACTUAL = "#2b2b2b"
STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9a9a9a",
    "axes.grid": True,
    "grid.color": "#e8e8e8",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
}


def model_colors(models):
    """One colour per model, by position, the same in every figure."""
    return {model: PALETTE[i % len(PALETTE)] for i, model in enumerate(models)}


def _plain(text):
    """``text`` as matplotlib shows it literally: "$" starts no mathtext."""
    return str(text).replace("$", r"\$")


def _as_time(values):
    """Values matplotlib can place on an axis (Periods become Timestamps)."""
    index = pd.Index(values)
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def _grid(n, max_cols, height, width=11):
    ncols = min(n, max_cols)
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(width, height * nrows + 0.7), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    for index in range(n, nrows * ncols):
        row, col = divmod(index, ncols)
        axes[row, col].set_visible(False)
        # The panel above is now the bottom of its column: show its dates.
        axes[row - 1, col].xaxis.set_tick_params(labelbottom=True)
    return fig, axes.flat[:n]


def plot_summary(report):
    """Bars of the first metric's mean over folds (± std), best on top."""
    table = report.summary()
    metric = get_metric(report.metrics[0])
    colors = model_colors(report.models)
    models = table.index[::-1]
    means = table.loc[models, f"{metric.name}_mean"]
    stds = table.loc[models, f"{metric.name}_std"].fillna(0)
    fig = Figure(figsize=(7.5, 0.42 * len(models) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(
        range(len(models)),
        means,
        xerr=stds,
        color=[colors[m] for m in models],
        height=0.65,
        error_kw={"ecolor": "#666666", "capsize": 3, "lw": 1},
    )
    labels = [_plain(f"{m}  (baseline)" if m == report.baseline else m) for m in models]
    ax.set_yticks(range(len(models)), labels=labels)
    ax.grid(axis="y", visible=False)
    for i, model in enumerate(models):
        p = table.loc[model, "dm_pvalue"]
        star = " *" if p < 0.05 else ""
        failed = np.isnan(means[model])
        ax.text(
            0 if failed else means[model] + stds[model],
            i,
            "  failed" if failed else f"  {means[model]:.3g}{star}",
            va="center",
            fontsize=8.5,
            color="#333333",
        )
    if metric.reference is not None:
        naive = "seasonal naive" if report.seasonal_period > 1 else "naive"
        ax.axvline(metric.reference, color="#555555", lw=1, ls="--")
        ax.text(
            metric.reference,
            len(models) - 0.45,
            f" {metric.reference:g} = in-sample {naive}",
            fontsize=7.5,
            color="#555555",
            va="bottom",
        )
    ax.set_ylim(-0.6, len(models) - 0.1)
    top = (means + stds).max()
    if metric.reference is not None:
        # The reference line and its label stay in view; far outside the
        # axes (scores near 0) the label's glyphs overflow the renderer.
        top = np.nanmax([top, metric.reference])
    ax.set_xlim(0, (top if np.isfinite(top) and top > 0 else 1) * 1.22)
    ax.set_xlabel(
        _plain(
            f"bars: mean, whiskers: ± std over {len(report.folds)} folds;   "
            f"* differs from {report.baseline} (Diebold-Mariano p < 0.05)"
        )
    )
    ax.set_title(f"{metric.label} of each model (lower is better)")
    return fig


def plot_forecasts(report):
    """One panel per model: the series and the model's forecast in each fold."""
    colors = model_colors(report.models)
    scores = report.summary()
    metric = get_metric(report.metrics[0])
    first_test = report.y.index.get_loc(report.folds["test_start"].iloc[0])
    shown = report.y.iloc[max(0, first_test - 3 * report.horizon) :]
    fig, axes = _grid(len(report.models), 2, height=2.3)
    intervals = report.interval_scores() if report.coverage is not None else None
    spans = [
        _as_time([row.test_start, row.test_end]) for row in report.folds.itertuples()
    ]
    for ax, model in zip(axes, report.models, strict=True):
        for k, (start, end) in enumerate(spans):
            ax.axvspan(
                start, end, color="#000000", alpha=0.035 if k % 2 else 0.07, lw=0
            )
        ax.plot(_as_time(shown.index), shown.to_numpy(), color=ACTUAL, lw=1.2)
        rows = report.forecasts[report.forecasts["model"] == model]
        for _, fold in rows.groupby("fold"):
            if intervals is not None:
                ax.fill_between(
                    _as_time(fold["time"]),
                    fold["lower"].to_numpy(),
                    fold["upper"].to_numpy(),
                    color=colors[model],
                    alpha=0.2,
                    lw=0,
                )
            ax.plot(
                _as_time(fold["time"]),
                fold["y_pred"].to_numpy(),
                color=colors[model],
                lw=1.8,
                marker="o",
                ms=2.5,
            )
        tag = "  (baseline)" if model == report.baseline else ""
        value = scores.loc[model, f"{metric.name}_mean"]
        score = "failed" if np.isnan(value) else f"{metric.label} {value:.3g}"
        if intervals is not None and np.isfinite(intervals.loc[model, "coverage"]):
            score += f", {intervals.loc[model, 'coverage']:.0%} inside"
        ax.set_title(_plain(f"{model}{tag}   {score}"))
    handles = [
        Line2D([], [], color=ACTUAL, lw=1.2, label="actual"),
        Line2D(
            [],
            [],
            color="#888888",
            lw=1.8,
            marker="o",
            ms=2.5,
            label="forecast (model colour)",
        ),
    ]
    if intervals is not None:
        handles.append(
            Patch(
                color="#888888",
                alpha=0.3,
                label=f"{report.coverage:.0%} prediction interval",
            )
        )
    fig.legend(handles=handles, loc="outside upper right", ncols=2, fontsize=8.5)
    fig.suptitle(
        "Forecasts vs actual; shaded: the test window of each fold",
        x=0.01,
        ha="left",
        fontsize=10,
    )
    return fig


def plot_error_by_step(report):
    """The first metric at each step ahead, one line per model."""
    table = report.error_by_step()
    colors = model_colors(report.models)
    fig = Figure(figsize=(8.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for model in report.models:
        baseline = model == report.baseline
        ax.plot(
            table.index,
            table[model],
            color=colors[model],
            lw=2.4 if baseline else 1.8,
            ls="--" if baseline else "-",
            marker="o",
            ms=3,
            label=_plain(f"{model} (baseline)" if baseline else model),
        )
    ax.set_xticks(table.index)
    ax.set_xlabel("steps ahead")
    metric = get_metric(report.metrics[0])
    ax.set_ylabel(f"{metric.step_label}, over folds")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{metric.label} by forecast step (lower is better)")
    fig.legend(loc="outside right upper")
    return fig


def plot_training(report):
    """Training and validation loss per epoch of every network, per fold."""
    histories = report.histories
    models = [m for m in report.models if m in set(histories["model"])]
    if not models:
        return None
    colors = model_colors(report.models)
    n_folds = len(report.folds)
    fig, axes = _grid(len(models), 3, height=2.5)
    validation = False
    for ax, model in zip(axes, models, strict=True):
        for fold, rows in histories[histories["model"] == model].groupby("fold"):
            # Later folds train on more data: drawn darker.
            alpha = 0.35 + 0.65 * (fold + 1) / n_folds
            ax.plot(
                rows["epoch"], rows["loss"], color=colors[model], alpha=alpha, lw=1.5
            )
            if "val_loss" in rows and rows["val_loss"].notna().any():
                validation = True
                ax.plot(
                    rows["epoch"],
                    rows["val_loss"],
                    color=colors[model],
                    alpha=alpha,
                    lw=1.5,
                    ls="--",
                )
        ax.set_yscale("log")
        ax.set_title(_plain(model))
        ax.set_xlabel("epoch")
    axes[0].set_ylabel("loss (scaled target)")
    # The legend lists only what was drawn.
    handles = [Line2D([], [], color="#666666", lw=1.5, label="training loss")]
    if validation:
        handles.append(
            Line2D([], [], color="#666666", lw=1.5, ls="--", label="validation loss")
        )
    fig.legend(
        handles=handles, loc="outside upper right", ncols=len(handles), fontsize=8.5
    )
    fig.suptitle(
        "Training curves (one line per fold; darker = later fold, more data)",
        x=0.01,
        ha="left",
        fontsize=10,
    )
    return fig


_PLOTTERS = {
    "summary": plot_summary,
    "forecasts": plot_forecasts,
    "error_by_step": plot_error_by_step,
    "training": plot_training,
}


def plot(report, kind=None):
    """The figure of ``kind``, or a dict of every available figure."""
    if kind is not None and kind not in _PLOTTERS:
        raise ValueError(
            f"`kind` must be one of {', '.join(map(repr, KINDS))} or None. Got "
            f"{kind!r} instead."
        )
    with mpl.rc_context(STYLE), np.errstate(all="ignore"):
        if kind is not None:
            figure = _PLOTTERS[kind](report)
            if figure is None:
                raise ValueError(
                    "No model recorded training curves, so there is no "
                    "'training' figure. Compare a RecursiveForecaster with an "
                    "RNNRegressor to get one."
                )
            return figure
        figures = {name: plotter(report) for name, plotter in _PLOTTERS.items()}
    return {name: fig for name, fig in figures.items() if fig is not None}


def plot_panel_summary(report):
    """Box plots of each model's per-series score, best model on top."""
    table = report.summary()
    metric = get_metric(report.metrics[0])
    colors = model_colors(report.models)
    scores = report.series_scores()
    models = [m for m in table.index[::-1] if scores[m].notna().any()]
    fig = Figure(figsize=(7.5, 0.42 * len(models) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    values = [scores[m].dropna().to_numpy() for m in models]
    boxes = ax.boxplot(
        values,
        orientation="horizontal",
        widths=0.6,
        patch_artist=True,
        showfliers=True,
        flierprops={"ms": 2.5, "alpha": 0.5},
        medianprops={"color": ACTUAL},
    )
    for patch, model in zip(boxes["boxes"], models, strict=True):
        patch.set(facecolor=colors[model], alpha=0.75, lw=0.8)
    labels = [_plain(f"{m}  (baseline)" if m == report.baseline else m) for m in models]
    ax.set_yticks(range(1, len(models) + 1), labels=labels)
    ax.grid(axis="y", visible=False)
    every = np.concatenate(values) if values else np.array([1.0])
    if metric.scaled and (every > 0).all():
        ax.set_xscale("log")  # scores spread over orders of magnitude
        plain = mpl.ticker.FuncFormatter(lambda value, _: f"{value:g}")
        ax.xaxis.set_major_formatter(plain)
        if every.max() < 10 * every.min():  # less than a decade: few ticks
            ax.xaxis.set_minor_formatter(plain)
    if metric.reference is not None:
        ax.axvline(metric.reference, color="#555555", lw=1, ls="--")
    n = report.y.shape[1]
    ax.set_xlabel(
        _plain(
            f"{metric.label} of each of the {n} series (mean over "
            f"{report.n_folds} folds); box: quartiles, line: median"
        )
    )
    ax.set_title(f"{metric.label} per series (lower is better)")
    return fig


def plot_panel_series(report, which):
    """The forecasts of one representative series ("best", "median", "worst")."""
    series = report.representative_series()[which]
    single = report.series_report(series)
    fig = plot_forecasts(single)
    top = report.summary().index[0]
    fig.suptitle(
        _plain(
            f"The {which} series for {top}: {series}. Forecasts vs actual; "
            "shaded: the test window of each fold"
        ),
        x=0.01,
        ha="left",
        fontsize=10,
    )
    return fig


def plot_panel(report, kind=None):
    """The figure of ``kind`` for a panel report, or a dict of all of them."""
    if kind is not None and kind not in PANEL_KINDS:
        raise ValueError(
            f"`kind` must be one of {', '.join(map(repr, PANEL_KINDS))} or None. "
            f"Got {kind!r} instead."
        )
    kinds = PANEL_KINDS if kind is None else (kind,)
    with mpl.rc_context(STYLE), np.errstate(all="ignore"):
        figures = {
            name: plot_panel_summary(report)
            if name == "summary"
            else plot_panel_series(report, name)
            for name in kinds
        }
    return figures if kind is None else figures[kind]
