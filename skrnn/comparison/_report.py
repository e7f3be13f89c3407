"""ComparisonReport: the scores, forecasts and tests of a comparison."""

import numpy as np
import pandas as pd

from ..metrics._regression import naive_scale
from ._metrics import (
    METRICS,
    TIMINGS,
    dm_verdict,
    format_number,
    get_metric,
    p_text,
    relative_change,
)
from ._stats import _dm_test, _loss_differential

__all__ = ["ComparisonReport"]

_MARKDOWN_SPECIAL = "\\`*_[]<>|"


def _markdown_text(value):
    """``value`` as Markdown text: special characters escaped, one line."""
    text = " ".join(str(value).split())
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)


def _markdown(frame):
    """A string DataFrame as a Markdown table, its index as the first column."""
    header = [frame.index.name or "", *frame.columns]
    lines = [
        "| " + " | ".join(map(_markdown_text, header)) + " |",
        "|:---|" + "---:|" * len(frame.columns),
    ]
    lines += [
        "| " + " | ".join(map(_markdown_text, [index, *row])) + " |"
        for index, row in zip(frame.index, frame.to_numpy().tolist(), strict=True)
    ]
    return "\n".join(lines)


class _Report:
    """What every comparison report shares: its failed and trained models,
    and its renderings (``_summary_strings`` and ``_render`` are each
    report's own)."""

    @property
    def _failed(self):
        """Models with a failed fold, in the order given."""
        failed = set(self.failures["model"])
        return [model for model in self.models if model in failed]

    @property
    def _networks(self):
        """Models that recorded training curves, in the order given."""
        trained = set(self.histories["model"])
        return [model for model in self.models if model in trained]

    def to_markdown(self):
        """The summary table as Markdown.

        Model names are text: Markdown's special characters in them are
        escaped. A model that failed in some fold shows "failed" as its rank.

        Returns
        -------
        text : str
            A Markdown table, one row per model, best first.
        """
        return _markdown(self._summary_strings())

    def to_html(self, path=None):
        """The report as one self-contained HTML page.

        Figures are embedded as PNG data URIs and styles are inline, so the
        file opens offline and can be mailed or attached as it is.

        Parameters
        ----------
        path : str or path-like, default=None
            File to write (UTF-8). None returns the page instead.

        Returns
        -------
        html : str or None
            The page when ``path`` is None, else None.
        """
        page = self._render()
        if path is None:
            return page
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(page)
        return None

    def _repr_html_(self):
        from ._html import summary_table

        return summary_table(self)


def _empty_settings():
    return pd.DataFrame(
        columns=["kind", "parameters", "fitted", "early_stopping", "epochs"],
        index=pd.Index([], name="model"),
    )


def _empty_failures():
    return pd.DataFrame(columns=["model", "fold", "reason"])


class ComparisonReport(_Report):
    """Results of :func:`~skrnn.compare`: scores, forecasts, tests and figures.

    Every table is computed from the stored forecasts, so it can be checked
    (and extended, e.g. with another metric) from ``forecasts`` and the
    training rows of each fold in ``folds``.

    Parameters
    ----------
    scores : DataFrame
        Long table with columns model, fold, metric, value.
    forecasts : DataFrame
        Long table with columns model, fold, time, step, y_true, y_pred (and
        lower, upper: the prediction intervals, when ``coverage`` is set).
    histories : DataFrame
        Training curves with columns model, fold, epoch and one per curve
        ("loss", "val_loss").
    folds : DataFrame
        One row per fold: train_start, train_end, n_train, test_start,
        test_end, n_test.
    y : Series
        The whole series.
    models : list of str
        Model names, in the order given.
    metrics : list of str
        Metric names; the first ranks the models.
    baseline : str
        The model the others are tested against.
    seasonal_period : int, default=1
        Season length used to scale MASE.
    horizon : int
        Largest number of steps ahead forecast in a fold.
    settings : DataFrame, default=None
        One row per model: kind (class name), parameters (the settings that
        tell two runs apart, as text), fitted (what the fits decided, per
        fold: the window and differencing chosen where they were "auto",
        epochs run, the AR lags chosen), early_stopping and
        epochs (of a network; None otherwise). None: unknown.
    failures : DataFrame, default=None
        Folds where a model's forecasts were not finite: columns model,
        fold, reason. None: none failed.
    notes : list of str, default=()
        What was done to the data before the comparison (e.g. "rows sorted
        by month" by the command line), shown with the data summary.
    coverage : float, default=None
        Nominal coverage of the prediction intervals in ``forecasts``; None
        when the comparison made none.

    Attributes
    ----------
    scores, forecasts, histories, folds, y, models, metrics, baseline, \
seasonal_period, horizon, settings, failures, notes, coverage
        As given (an empty table or list where None was given).

    See Also
    --------
    compare : Makes the report.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import compare
    >>> from skrnn.forecasting import ARForecaster, NaiveForecaster
    >>> y = np.sin(np.arange(120) / 4) + np.arange(120) / 50
    >>> report = compare(
    ...     [ARForecaster(2), NaiveForecaster()], y, horizon=6, progress=False
    ... )
    >>> report.summary().index.tolist()
    ['AR(2)', 'Naive']
    >>> report.scores.columns.tolist()
    ['model', 'fold', 'metric', 'value']
    >>> print(report.to_markdown().splitlines()[0][:39])
    | model | rank | MASE mean | MASE std |
    """

    def __init__(
        self,
        *,
        scores,
        forecasts,
        histories,
        folds,
        y,
        models,
        metrics,
        baseline,
        seasonal_period=1,
        horizon,
        settings=None,
        failures=None,
        notes=(),
        coverage=None,
    ):
        self.scores = scores
        self.forecasts = forecasts
        self.histories = histories
        self.folds = folds
        self.y = y
        self.models = models
        self.metrics = metrics
        self.baseline = baseline
        self.seasonal_period = seasonal_period
        self.horizon = horizon
        self.settings = _empty_settings() if settings is None else settings
        self.failures = _empty_failures() if failures is None else failures
        self.notes = list(notes)
        self.coverage = coverage

    def __repr__(self):
        return (
            f"<ComparisonReport: {len(self.models)} models, {len(self.folds)} "
            f"folds, horizon {self.horizon}, baseline {self.baseline!r}>"
        )

    # -- tables ---------------------------------------------------------------

    def train_values(self, fold):
        """Return the training series of a fold.

        Parameters
        ----------
        fold : int
            Position of the fold in ``folds`` (0 for the first).

        Returns
        -------
        y_train : ndarray of shape (n_train,)
            The values of ``y`` the models were fitted on in that fold.
        """
        row = self.folds.iloc[fold]
        start = self.y.index.get_loc(row["train_start"])
        return self.y.to_numpy()[start : start + row["n_train"]]

    def _pooled_errors(self, model):
        """Forecast errors of ``model`` over all folds, in time order; under
        a scaled ranking metric (MASE) each divided by its fold's scale, as
        the ranking divides them (a volatile fold's raw errors outweighed
        the rest, and the test could contradict the ranking)."""
        rows = self.forecasts[self.forecasts["model"] == model]
        rows = rows.sort_values(["time", "fold"], kind="stable")
        errors = (rows["y_true"] - rows["y_pred"]).to_numpy()
        if not get_metric(self.metrics[0]).scaled:
            return errors
        scales = [self._naive_scale(fold) for fold in range(len(self.folds))]
        return errors / np.asarray(scales)[rows["fold"].to_numpy().astype(int)]

    def diebold_mariano(self, loss=None):
        """Diebold-Mariano test of every model against the baseline.

        The errors of all test points are pooled across folds in time order
        and tested with ``horizon`` set to the forecast horizon (see
        :func:`~skrnn.comparison.diebold_mariano`). When the ranking metric
        is scaled (MASE), each error is divided by its fold's scale first.

        Parameters
        ----------
        loss : {"squared", "absolute"}, default=None
            Loss applied to the errors. None: the loss of the metric that
            ranks the models (absolute errors for MASE, MAE and sMAPE,
            squared for RMSE), so that the test judges what the ranking does.

        Returns
        -------
        table : DataFrame
            One row per model other than the baseline, with columns baseline,
            statistic (negative: the model's loss is smaller), p_value,
            n_points and horizon_used (1 where the autocorrelation-robust
            variance was not positive and the test fell back to lag 0). With
            too few test points for the horizon (fewer than about twice the
            horizon), or where the model or the baseline failed, statistic and
            p_value are NaN and horizon_used is 0.
        """
        if loss is None:
            loss = get_metric(self.metrics[0]).test_loss
        reference = self._pooled_errors(self.baseline)
        failed = set(self._failed)
        rows = []
        for model in self.models:
            if model == self.baseline:
                continue
            errors = self._pooled_errors(model)
            untestable = (model, self.baseline, np.nan, np.nan, len(errors), 0)
            if failed & {model, self.baseline}:
                rows.append(untestable)
                continue
            try:
                d = _loss_differential(errors, reference, self.horizon, loss)
            except ValueError:  # too few test points for this horizon
                rows.append(untestable)
                continue
            statistic, pvalue, used = _dm_test(d, self.horizon)
            rows.append((model, self.baseline, statistic, pvalue, len(d), used))
        columns = [
            "model",
            "baseline",
            "statistic",
            "p_value",
            "n_points",
            "horizon_used",
        ]
        return pd.DataFrame(rows, columns=columns).set_index("model")

    def fold_scores(self):
        """The scores as a wide table: one row per (model, fold).

        Returns
        -------
        table : DataFrame
            Index (model, fold); one column per metric, then fit_seconds and
            predict_seconds. A fold where the model failed has NaN errors.
        """
        table = self.scores.pivot(
            index=["model", "fold"], columns="metric", values="value"
        )
        order = pd.MultiIndex.from_product([self.models, sorted(self.folds["fold"])])
        return table.reindex(
            index=order, columns=[*self.metrics, *TIMINGS]
        ).rename_axis(index=["model", "fold"], columns=None)

    def summary(self):
        """One row per model, best first by the first metric.

        Returns
        -------
        table : DataFrame
            Indexed by model: rank (1 = best by the mean of the first metric;
            missing for a model that failed in some fold, listed last), the
            mean and standard deviation over folds of every metric (NaN for
            a model that failed), the mean fit seconds, the Diebold-Mariano
            statistic and p-value against the baseline (on the loss of the
            first metric, see :meth:`diebold_mariano`; NaN on the baseline's
            row), and failed_folds, the number of folds in
            which the model's forecasts were not finite.
        """
        folds = self.fold_scores()
        grouped = folds.groupby(level="model", sort=False)
        table = pd.DataFrame(index=pd.Index(self.models, name="model"))
        failed = self._failed
        for metric in self.metrics:
            table[f"{metric}_mean"] = grouped[metric].mean()
            table[f"{metric}_std"] = grouped[metric].std()
            # A mean over the folds that worked would flatter a failed model.
            table.loc[failed, [f"{metric}_mean", f"{metric}_std"]] = np.nan
        table["fit_seconds"] = grouped["fit_seconds"].mean()
        tests = self.diebold_mariano()
        table["dm_statistic"] = tests["statistic"]
        table["dm_pvalue"] = tests["p_value"]
        counts = self.failures.groupby("model")["fold"].nunique()
        table["failed_folds"] = counts.reindex(table.index, fill_value=0).astype(int)
        first = table[f"{self.metrics[0]}_mean"]
        table.insert(0, "rank", first.rank(method="min").astype("Int64"))
        return table.sort_values(["rank"], kind="stable", na_position="last")

    def interval_scores(self):
        """How well each model's prediction intervals hold the test values.

        Over all test points of all folds: the share of values inside their
        interval, the mean width, and the mean interval score of Gneiting &
        Raftery (2007), ``width + 2 / alpha * miss`` with ``alpha = 1 -
        coverage`` and ``miss`` the distance by which the value falls outside
        (lower is better: narrow intervals that still hold the values). MSIS
        is the interval score divided, fold by fold, by the in-sample mean
        absolute error of the seasonal naive forecast (MASE's scale; the M4
        competition's measure), so that it compares across series.

        Returns
        -------
        table : DataFrame
            Indexed by model, in the order given: coverage, mean_width,
            interval_score, msis. NaN for a model whose intervals are not
            finite, and for a model that failed (unranked in ``summary``).

        Raises
        ------
        ValueError
            When the comparison made no intervals.
        """
        if self.coverage is None or "lower" not in self.forecasts:
            raise ValueError(
                "This report has no prediction intervals: run "
                "compare(..., coverage=0.9) to make and score them."
            )
        alpha = 1 - self.coverage
        scales = {fold: self._naive_scale(fold) for fold in range(len(self.folds))}
        rows = {}
        for model in self.models:
            f = self.forecasts[self.forecasts["model"] == model]
            y, lower, upper = (
                f[c].to_numpy(float) for c in ("y_true", "lower", "upper")
            )
            with np.errstate(invalid="ignore"):
                width = upper - lower
                miss = np.maximum(lower - y, 0) + np.maximum(y - upper, 0)
                score = width + 2 / alpha * miss
            scale = np.array([scales[fold] for fold in f["fold"].to_numpy()])
            # A failed model (NaN forecasts in some fold) is not scored here
            # either: its finite intervals could have won the table.
            finite = np.isfinite(width).all() and model not in self._failed
            rows[model] = {
                "coverage": float(((lower <= y) & (y <= upper)).mean())
                if finite
                else np.nan,
                "mean_width": float(width.mean()) if finite else np.nan,
                "interval_score": float(score.mean()) if finite else np.nan,
                "msis": float((score / scale).mean()) if finite else np.nan,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "model"
        return table

    def _naive_scale(self, fold):
        """In-sample mean absolute error of the seasonal naive forecast."""
        values = self.train_values(int(fold))
        m = self.seasonal_period
        return float(naive_scale(values, m))

    def error_by_step(self, metric=None):
        """The error of every model at each step ahead, over the folds.

        Parameters
        ----------
        metric : str, default=None
            One of the report's metrics; None means the first. For a metric
            scaled by each fold's training data ("mase"), the error at a step
            is the mean over folds of the absolute error scaled by that
            fold's scale; for the others it is the metric of the points at
            that step, pooled over folds.

        Returns
        -------
        table : DataFrame
            Index step (1, 2, ...), one column per model (NaN for a model
            that failed in some fold).
        """
        metric = get_metric(self.metrics[0] if metric is None else metric)
        failed = set(self._failed)
        values = {}
        for (model, step), rows in self.forecasts.groupby(
            ["model", "step"], sort=False
        ):
            if model in failed:
                values[model, step] = np.nan
            elif metric.scaled:
                values[model, step] = np.mean(
                    [
                        metric.score(
                            fold_rows["y_true"],
                            fold_rows["y_pred"],
                            self.train_values(fold),
                            self.seasonal_period,
                        )
                        for fold, fold_rows in rows.groupby("fold")
                    ]
                )
            else:
                values[model, step] = metric.function(rows["y_true"], rows["y_pred"])
        table = pd.Series(values).unstack(0)
        return table.reindex(columns=self.models).rename_axis(
            index="step", columns=None
        )

    def data_summary(self):
        """What the comparison was run on: the series and what was done to it.

        Returns
        -------
        summary : Series
            series (its name), time points, first and last time point,
            frequency, min, mean and max, folds, horizon, seasonal period,
            and notes (what was done to the data before, e.g. by the command
            line; "—" for nothing).
        """
        y, index = self.y, self.y.index
        freq = getattr(index, "freqstr", None)
        if freq is None and isinstance(index, pd.RangeIndex):
            freq = f"row numbers (step {index.step})"
        return pd.Series(
            {
                "series": "y" if y.name is None else str(y.name),
                "time points": len(y),
                "first": index[0],
                "last": index[-1],
                "frequency": freq or "—",
                "min": float(y.min()),
                "mean": float(y.mean()),
                "max": float(y.max()),
                "folds": len(self.folds),
                "horizon": self.horizon,
                "seasonal period": self.seasonal_period,
                "notes": "; ".join(self.notes) or "—",
            },
            name="value",
        )

    # -- rendering ------------------------------------------------------------

    def _headline(self):
        """Plain sentences: does a network beat the baseline, by how much?"""
        table = self.summary()
        metric = get_metric(self.metrics[0])
        column, label = f"{metric.name}_mean", metric.label
        sentences = []
        failed = self._failed
        if failed:
            sentences.append(_failure_sentence(self.failures, failed))
        ok = [m for m in table.index if m not in failed]
        others = [m for m in ok if m != self.baseline]
        if self.baseline in failed:
            sentences.append(
                f"The baseline {self.baseline} failed, so no model is tested "
                f"against it; {ok[0]} ranks first ({label} "
                f"{table.loc[ok[0], column]:.3g})."
            )
            return " ".join(sentences)
        if not others:
            sentences.append(
                f"One model only ({self.baseline}): nothing to compare it with."
            )
            return " ".join(sentences)
        networks = [m for m in others if m in self._networks]
        sentences.append(self._versus_baseline(table, networks or others, networks))
        top = ok[0]
        # by rank: a network tied with the first model ranks first too
        if networks and table.loc[networks, "rank"].min() > table.loc[top, "rank"]:
            best = table.loc[networks, column].idxmin()
            sentences.append(
                f"No network ranks first: {top} does ({label} "
                f"{table.loc[top, column]:.3g}), ahead of the best network, {best} "
                f"({table.loc[best, column]:.3g})."
            )
        if metric.scaled and networks and (table.loc[networks, column] > 1).all():
            naive = "seasonal naive" if self.seasonal_period > 1 else "naive"
            sentences.append(
                f"Every network is worse than the in-sample {naive} forecast "
                f"({label} above 1)."
            )
        return " ".join(sentences)

    def _versus_baseline(self, table, candidates, networks):
        """The best candidate against the baseline, with the test's verdict."""
        metric = get_metric(self.metrics[0])
        column, label = f"{metric.name}_mean", metric.label
        best = table.loc[candidates, column].idxmin()
        value, reference = table.loc[best, column], table.loc[self.baseline, column]
        change = relative_change(value, reference)
        test = dm_verdict(
            table.loc[best, "dm_statistic"],
            table.loc[best, "dm_pvalue"],
            metric.test_loss,
            self.baseline,
        )
        who = "Best network" if networks else "Best model besides the baseline"
        return (
            f"{who}: {best}, {label} {value:.3g}, {change} "
            f"{self.baseline} ({reference:.3g}); {test}."
        )

    def _summary_strings(self):
        """The summary with display names and formatted numbers."""
        table = self.summary()
        shown = pd.DataFrame(index=table.index)
        shown["rank"] = [
            "failed" if pd.isna(rank) else str(rank) for rank in table["rank"]
        ]
        for name in self.metrics:
            label = METRICS[name].label
            shown[f"{label} mean"] = table[f"{name}_mean"].map(format_number)
            shown[f"{label} std"] = table[f"{name}_std"].map(format_number)
        shown["fit s"] = table["fit_seconds"].map(lambda v: f"{v:.2f}")
        shown["DM stat"] = table["dm_statistic"].map(lambda v: format_number(v, 3))
        shown["DM p"] = table["dm_pvalue"].map(lambda v: p_text(v, 3))
        shown.loc[self.baseline, ["DM stat", "DM p"]] = "baseline"
        return shown

    def _render(self):
        from ._html import render

        return render(self)

    def plot(self, kind=None):
        """Draw the figures of the comparison (matplotlib, never shown on screen).

        Parameters
        ----------
        kind : {"summary", "forecasts", "error_by_step", "training"}, default=None
            The figure to draw; None draws all of them ("training" only when
            some model recorded training curves).

        Returns
        -------
        figure : matplotlib.figure.Figure or dict of str to Figure
            One figure, or all by kind when ``kind`` is None.
        """
        from ._plots import plot

        return plot(self, kind)


def _failure_sentence(failures, failed):
    """Which models failed, where and why, in one sentence."""
    parts = []
    for model in failed:
        rows = failures[failures["model"] == model]
        folds = ", ".join(str(fold) for fold in rows["fold"])
        which = "folds" if len(rows) > 1 else "fold"
        parts.append(f"{model} ({which} {folds}: {rows['reason'].iloc[0]})")
    return f"Failed, so not ranked: {'; '.join(parts)}."
