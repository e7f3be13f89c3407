"""The one-file HTML page of a ComparisonReport (inline CSS, PNG data URIs)."""

import base64
import datetime
import io
import warnings
from html import escape
from numbers import Real

import numpy as np
import pandas as pd

from ._metrics import METRICS, TIMINGS, format_number, p_text
from ._plots import model_colors

__all__ = ["render", "render_panel", "summary_table"]

CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #222; background: #fafafa; margin: 0; line-height: 1.45; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 36px 0 8px; padding-bottom: 4px;
  border-bottom: 1px solid #e3e3e3; }
.meta { color: #666; margin: 0 0 16px; }
.headline { font-size: 1.08em; background: #f1f6fb; border-left: 4px solid #4e79a7;
  padding: 10px 14px; margin: 12px 0 8px; }
.howto { font-size: .9em; color: #444; background: #fbfaf4; border: 1px solid #eee6c8;
  padding: 8px 14px; margin: 10px 0 14px; }
.howto li { margin: 2px 0; }
table { border-collapse: collapse; font-size: .88em; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eee; white-space: nowrap; }
th { background: #f4f4f4; text-align: right; font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fbfbfb; }
tr.baseline td { background: #f6f6f6; font-style: italic; }
td.best { font-weight: 700; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; vertical-align: baseline; }
img { max-width: 100%; height: auto; display: block; margin: 6px 0; }
nav a { color: #4e79a7; margin-right: 14px; text-decoration: none; font-size: .92em; }
footer { color: #888; font-size: .8em; margin-top: 40px; }
"""


def _time_label(value):
    """A time point as text; midnight timestamps as plain dates."""
    if (
        isinstance(value, datetime.datetime)
        and hasattr(value, "normalize")
        and (value == value.normalize())
    ):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _png(figure):
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Long tick labels (errors of ~1e-15) can leave constrained layout no
        # room; matplotlib then keeps the plain layout, which reads fine.
        warnings.filterwarnings("ignore", "constrained_layout not applied")
        figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    titles = [figure.get_suptitle()] + [ax.get_title("left") for ax in figure.axes]
    alt = escape(next((t for t in titles if t), "figure"))
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">'


def _swatch(color):
    return f'<span class="swatch" style="background:{color}"></span>'


def _table(frame, *, colors=None, best=(), baseline=None, index_name=None):
    """An HTML table of a string DataFrame; ``best`` maps column -> row to bold."""
    names = [index_name or frame.index.name or "", *frame.columns]
    head = "".join(f"<th>{escape(str(name))}</th>" for name in names)
    rows = []
    for label, values in zip(frame.index, frame.to_numpy().tolist(), strict=True):
        model = label[0] if isinstance(label, tuple) else label
        shown = " · ".join(map(str, label)) if isinstance(label, tuple) else str(label)
        swatch = _swatch(colors[model]) if colors and model in colors else ""
        cells = [f"<td>{swatch}{escape(shown)}</td>"]
        for column, value in zip(frame.columns, values, strict=True):
            bold = ' class="best"' if dict(best).get(column) == label else ""
            cells.append(f"<td{bold}>{escape(str(value))}</td>")
        css = ' class="baseline"' if baseline is not None and model == baseline else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def summary_table(report):
    """The summary table as HTML, best value of each mean in bold."""
    table = report.summary()
    best = {
        f"{METRICS[m].label} mean": table[f"{m}_mean"].idxmin()
        for m in report.metrics
        if table[f"{m}_mean"].notna().any()
    }
    return _table(
        report._summary_strings(),
        colors=model_colors(report.models),
        best=best,
        baseline=report.baseline,
    )


def _fold_table(report):
    table = report.fold_scores()
    shown = table.apply(lambda column: column.map(format_number))
    for timing in TIMINGS:
        shown[timing] = table[timing].map(lambda v: f"{v:.2f}")
    shown.columns = [
        METRICS[c].label if c in METRICS else c.replace("_", " ") for c in table.columns
    ]
    return _table(
        shown,
        colors=model_colors(report.models),
        baseline=report.baseline,
        index_name="model · fold",
    )


def _folds_table(report):
    folds = report.folds.set_index("fold")
    shown = folds.apply(lambda column: column.map(_time_label))
    shown.columns = [c.replace("_", " ") for c in folds.columns]
    return _table(shown)


def _dm_table(report):
    tests = report.diebold_mariano()
    shown = tests.copy().astype(object)
    shown["statistic"] = tests["statistic"].map(lambda v: format_number(v, 3))
    shown["p_value"] = tests["p_value"].map(lambda v: p_text(v, 3))
    # With the direction: significant can mean significantly worse.
    shown["significant (p < 0.05)"] = np.where(
        tests["p_value"].isna(),
        "—",
        np.where(
            tests["p_value"] < 0.05,
            np.where(tests["statistic"] < 0, "yes, smaller", "yes, larger"),
            "no",
        ),
    )
    shown = shown.rename(columns=lambda c: c.replace("_", " "))
    return _table(shown, colors=model_colors(report.models))


def _interval_section(report):
    """The scores of the prediction intervals, when the report has them."""
    table = report.interval_scores()
    shown = pd.DataFrame(index=table.index)
    shown["coverage"] = table["coverage"].map(
        lambda v: "—" if np.isnan(v) else f"{v:.1%}"
    )
    shown["mean width"] = table["mean_width"].map(format_number)
    shown["interval score"] = table["interval_score"].map(format_number)
    shown["MSIS"] = table["msis"].map(format_number)
    best = {} if table["msis"].isna().all() else {"MSIS": table["msis"].idxmin()}
    return _section(
        "intervals",
        f"{report.coverage:.0%} prediction intervals",
        _table(shown, colors=model_colors(report.models), best=best)
        + "<p>Coverage: the share of test values inside their interval "
        f"(nominal {report.coverage:.0%}). Interval score: width plus "
        f"{2 / (1 - report.coverage):.3g} times the distance by which a value "
        "falls outside, averaged (lower is better); MSIS: the same divided by "
        "the in-sample error of the seasonal naive forecast of each fold.</p>",
    )


def _data_table(report):
    summary = report.data_summary()
    shown = [
        _time_label(value)
        if key in ("first", "last")
        else format_number(value)
        if isinstance(value, float)
        else str(value)
        for key, value in summary.items()
    ]
    frame = pd.DataFrame({"value": shown}, index=summary.index)
    return _table(frame, index_name="data")


def _settings_table(report):
    settings = report.settings.reindex(report.models)
    shown = pd.DataFrame(
        {
            "kind": settings["kind"].fillna("—"),
            "parameters": settings["parameters"].fillna("—").replace("", "—"),
            "fitted (per fold)": settings["fitted"].fillna("—").replace("", "—"),
        },
        index=settings.index,
    )
    return _table(shown, colors=model_colors(report.models), baseline=report.baseline)


def _section(anchor, title, body):
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{body}</section>'


def _count(n, noun):
    """The count with its noun: 1 fold, 3 folds."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _meta(report):
    y = report.y
    return (
        f"Series <b>{escape('y' if y.name is None else str(y.name))}</b>: "
        f"{len(y)} time points "
        f"({escape(_time_label(y.index[0]))} to {escape(_time_label(y.index[-1]))}) · "
        f"{_count(len(report.folds), 'fold')}, forecasting up to "
        f"{_count(report.horizon, 'step')} ahead "
        f"· seasonal period {report.seasonal_period} · baseline "
        f"<b>{escape(report.baseline)}</b>"
    )


def _howto(report):
    metric = METRICS[report.metrics[0]]
    loss = metric.test_loss
    scaled = [METRICS[m] for m in report.metrics if METRICS[m].scaled]
    naive = "seasonal naive" if report.seasonal_period > 1 else "naive"
    items = [
        "Every model is fitted on the same training rows and forecasts the "
        "same test rows in each fold (time-series cross-validation); the "
        "numbers are means and standard deviations over the folds.",
        *(
            f"<b>{m.label} &lt; {m.reference:g}</b> means the forecasts beat the "
            f"in-sample {naive} forecast (period {report.seasonal_period}) on "
            "average."
            for m in scaled
        ),
        "Lower is better for every error. RMSE and MAE are in the unit of "
        "the series, sMAPE in percent.",
        f"<b>DM p &lt; 0.05</b> means the model's {loss} errors differ "
        f"significantly from those of {escape(report.baseline)} (Diebold-Mariano "
        "test, Harvey-Leybourne-Newbold correction, all test points pooled); a "
        "negative DM statistic means the model's errors are the smaller.",
        f"Rank orders the models by mean {metric.label}; the best mean of each "
        "error is in bold.",
    ]
    if report._failed:
        items.append(
            "<b>failed</b>: the model's forecasts were not finite in some fold, "
            "so it is not ranked (see the headline and the scores per fold)."
        )
    return (
        '<div class="howto"><b>How to read this.</b><ul>'
        + "".join(f"<li>{item}</li>" for item in items)
        + "</ul></div>"
    )


def _training_caption(report):
    """What the training figure shows: only what happened."""
    histories = report.histories
    text = "Loss per epoch of each network on its (scaled) training windows."
    if "val_loss" in histories and histories["val_loss"].notna().any():
        text += (
            " Dashed: the loss on the held-out validation windows; a validation "
            "loss that rises while the training loss falls means over-fitting."
        )
    stopped = []
    runs = histories.groupby(["model", "fold"])["epoch"].max()
    for model in report._networks:
        if model not in report.settings.index:
            continue
        row = report.settings.loc[model]
        epochs = row["epochs"]
        stops = row["early_stopping"]
        # epochs="auto" is decided in each fit: no cap to compare with. A
        # number may come as a float: the baselines' rows are empty (NaN).
        capped = isinstance(epochs, Real) and float(epochs).is_integer()
        if isinstance(stops, bool | np.bool_) and stops and capped:
            epochs = int(epochs)
            ran = runs.loc[model]
            if (ran < epochs).any():
                counts = ", ".join(map(str, ran.tolist()))
                stopped.append(f"{model} ({counts} of {epochs} epochs)")
    if stopped:
        text += (
            " Early stopping ended the training of "
            + "; ".join(stopped)
            + ", keeping the weights of the best epoch."
        )
    return f"<p>{escape(text)}</p>"


def _figure_sections(report, figures):
    sections = [
        _section(
            "summary",
            "Summary",
            summary_table(report) + _howto(report) + _png(figures["summary"]),
        ),
        _section("forecasts", "Forecasts vs actual", _png(figures["forecasts"])),
        *([_interval_section(report)] if report.coverage is not None else []),
        _section(
            "steps",
            "Error by forecast step",
            "<p>How the error grows with the number of steps ahead.</p>"
            + _png(figures["error_by_step"]),
        ),
    ]
    if "training" in figures:
        sections.append(
            _section(
                "training",
                "Training curves",
                _training_caption(report) + _png(figures["training"]),
            )
        )
    return sections


def _table_sections(report):
    return [
        _section(
            "tests",
            f"Diebold-Mariano tests against {report.baseline}",
            _dm_table(report)
            + "<p>All test points of the folds pooled in time order (n points). "
            "<i>horizon used</i> is the forecast horizon the variance allows "
            "for (autocorrelated multi-step errors); it is 1 where that "
            "variance estimate was not positive and the test fell back to "
            "ignoring autocorrelation.</p>",
        ),
        _section(
            "folds", "Scores per fold", _fold_table(report) + _folds_table(report)
        ),
        _section(
            "setup",
            "Models and data",
            "<p>The settings of each model, what its fits decided, and the data "
            "it was compared on: what tells two reports apart.</p>"
            + _settings_table(report)
            + _data_table(report),
        ),
    ]


_NAV = [
    ("summary", "Summary"),
    ("forecasts", "Forecasts"),
    ("intervals", "Intervals"),
    ("steps", "By step"),
    ("training", "Training"),
    ("tests", "Tests"),
    ("folds", "Per fold"),
    ("setup", "Models and data"),
]


def _page(report, title, heading, meta, nav, sections):
    """The whole page: head, headline, the sections, the footer."""
    from .. import __version__

    today = datetime.date.today().isoformat()
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>skrnn comparison: {title}</title>"
        f"<style>{CSS}</style></head><body><main>"
        f"<h1>{heading}</h1>"
        f'<p class="meta">{meta}</p><nav>{nav}</nav>'
        f'<p class="headline">{escape(report._headline())}</p>'
        + "".join(sections)
        + f"<footer>Made with skrnn {escape(__version__)} on {today}. This file is "
        "self-contained: figures are embedded and nothing is loaded from the "
        "network.</footer></main></body></html>"
    )


def render(report):
    """The whole page as a string."""

    figures = report.plot()
    try:
        sections = _figure_sections(report, figures) + _table_sections(report)
    finally:
        for figure in figures.values():
            figure.clear()
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in _NAV
        if (anchor != "training" or "training" in figures)
        and (anchor != "intervals" or report.coverage is not None)
    )
    name = escape("y" if report.y.name is None else str(report.y.name))
    return _page(report, name, "Forecast comparison", _meta(report), nav, sections)


# Rows of the per-series table; more series are summarised, not listed.
_MAX_SERIES_ROWS = 500


def _panel_howto(report):
    metric = METRICS[report.metrics[0]]
    loss = metric.test_loss
    naive = "seasonal naive" if report.seasonal_period > 1 else "naive"
    items = [
        "Each series is cut at its own last points, fold by fold (the same "
        "dates when the series end together); each model is fitted once per "
        "fold on all series: one network for all of them, AR and naive "
        "baselines series by series.",
        f"A series' score is the mean over its folds; the table gives the "
        f"mean and the median over series. <b>wins</b>: the number of series "
        f"on which the model's {metric.label} is below "
        f"{escape(report.baseline)}'s.",
        *(
            [
                f"<b>{metric.label} &lt; 1</b> on a series means the forecasts "
                f"beat the in-sample {naive} forecast there."
            ]
            if metric.scaled
            else []
        ),
        f"<b>DM p &lt; 0.05</b>: the model's {loss} errors differ "
        f"significantly from those of {escape(report.baseline)} (Diebold-Mariano "
        "test on the errors of all series pooled, each divided by its series' "
        f"in-sample {naive} error so that no series weighs by its unit).",
    ]
    return (
        '<div class="howto"><b>How to read this.</b><ul>'
        + "".join(f"<li>{item}</li>" for item in items)
        + "</ul></div>"
    )


def _panel_series_table(report):
    scores = report.series_scores()
    note = ""
    if len(scores) > _MAX_SERIES_ROWS:
        note = (
            f"<p>The first {_MAX_SERIES_ROWS} of {len(scores)} series; "
            "report.series_scores() has them all.</p>"
        )
        scores = scores.iloc[:_MAX_SERIES_ROWS]
    rows = []
    for key, values in scores.iterrows():
        best = values.idxmin() if values.notna().any() else None
        cells = "".join(
            ('<td class="best">' if model == best else "<td>")
            + escape(format_number(value))
            + "</td>"
            for model, value in values.items()
        )
        rows.append(f"<tr><td>{escape(str(key))}</td>{cells}</tr>")
    head = "".join(f"<th>{escape(str(c))}</th>" for c in ["series", *scores.columns])
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        f"</table>{note}"
    )


def _panel_meta(report):
    summary = report.data_summary()
    return (
        f"<b>{summary['series']}</b> series of {summary['shortest']} to "
        f"{summary['longest']} time points ({escape(_time_label(summary['first']))} "
        f"to {escape(_time_label(summary['last']))}) · "
        f"{_count(report.n_folds, 'fold')}, forecasting "
        f"{_count(report.horizon, 'step')} ahead · seasonal period "
        f"{report.seasonal_period} · baseline <b>{escape(report.baseline)}</b>"
    )


_PANEL_NAV = [
    ("summary", "Summary"),
    ("series", "Representative series"),
    ("tests", "Tests"),
    ("per-series", "Per series"),
    ("setup", "Models and data"),
]


def render_panel(report):
    """The page of a comparison on several series, as a string."""

    figures = report.plot()
    try:
        chosen = report.representative_series()
        top = report.summary().index[0]
        series_body = (
            f"<p>The series on which {escape(top)} (ranked first) does best, at "
            "its median and worst; every series' scores are in the per-series "
            "table.</p>"
            + "".join(
                f"<h3>{which.capitalize()}: {escape(str(chosen[which]))}</h3>"
                + _png(figures[which])
                for which in ("best", "median", "worst")
            )
        )
        sections = [
            _section(
                "summary",
                "Summary",
                summary_table(report) + _panel_howto(report) + _png(figures["summary"]),
            ),
            _section("series", "Representative series", series_body),
            _section(
                "tests",
                f"Diebold-Mariano tests against {report.baseline}",
                _dm_table(report),
            ),
            _section(
                "per-series",
                f"{METRICS[report.metrics[0]].label} per series",
                "<p>Mean over the folds; the best model of each series in "
                "bold.</p>" + _panel_series_table(report),
            ),
            _section(
                "setup",
                "Models and data",
                _settings_table(report) + _data_table(report),
            ),
        ]
    finally:
        for figure in figures.values():
            figure.clear()
    nav = "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in _PANEL_NAV)
    return _page(
        report,
        f"{report.y.shape[1]} series",
        "Forecast comparison on a panel",
        _panel_meta(report),
        nav,
        sections,
    )
