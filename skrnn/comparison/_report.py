"""ComparisonReport: the scores, forecasts and tests of a comparison."""

import numpy as np
import pandas as pd

from ..metrics._regression import mae, mase, rmse, smape
from ._stats import _dm_test, _loss_differential

__all__ = ["ComparisonReport"]

METRICS = {"mase": mase, "rmse": rmse, "mae": mae, "smape": smape}
TIMINGS = ("fit_seconds", "predict_seconds")
_LABELS = {"mase": "MASE", "rmse": "RMSE", "mae": "MAE", "smape": "sMAPE"}


def _format(value, digits=4):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if isinstance(value, int | np.integer):
        return str(value)
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def _markdown(frame):
    """A string DataFrame as a Markdown table, its index as the first column."""
    header = [frame.index.name or "", *frame.columns]
    lines = [
        "| " + " | ".join(header) + " |",
        "|:---|" + "---:|" * len(frame.columns),
    ]
    lines += [
        "| " + " | ".join([str(index), *row]) + " |"
        for index, row in zip(frame.index, frame.to_numpy().tolist(), strict=True)
    ]
    return "\n".join(lines)


class ComparisonReport:
    """Results of :func:`~skrnn.compare`: scores, forecasts, tests and figures.

    Every table is computed from the stored forecasts, so it can be checked
    (and extended, e.g. with another metric) from ``forecasts`` and the
    training rows of each fold in ``folds``.

    Parameters
    ----------
    scores : DataFrame
        Long table with columns model, fold, metric, value.
    forecasts : DataFrame
        Long table with columns model, fold, time, step, y_true, y_pred.
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

    Attributes
    ----------
    scores, forecasts, histories, folds, y, models, metrics, baseline, \
seasonal_period, horizon
        As given.

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
        """Forecast errors of ``model`` over all folds, in time order."""
        rows = self.forecasts[self.forecasts["model"] == model]
        rows = rows.sort_values(["time", "fold"], kind="stable")
        return (rows["y_true"] - rows["y_pred"]).to_numpy()

    def diebold_mariano(self, loss="squared"):
        """Diebold-Mariano test of every model against the baseline.

        The errors of all test points are pooled across folds in time order
        and tested with ``horizon`` set to the forecast horizon (see
        :func:`~skrnn.comparison.diebold_mariano`).

        Parameters
        ----------
        loss : {"squared", "absolute"}, default="squared"
            Loss applied to the errors.

        Returns
        -------
        table : DataFrame
            One row per model other than the baseline, with columns baseline,
            statistic (negative: the model's loss is smaller), p_value,
            n_points and horizon_used (1 where the autocorrelation-robust
            variance was not positive and the test fell back to lag 0). With
            too few test points for the horizon (fewer than about twice the
            horizon), statistic and p_value are NaN and horizon_used is 0.
        """
        reference = self._pooled_errors(self.baseline)
        rows = []
        for model in self.models:
            if model == self.baseline:
                continue
            errors = self._pooled_errors(model)
            try:
                d = _loss_differential(errors, reference, self.horizon, loss)
            except ValueError:  # too few test points for this horizon
                rows.append((model, self.baseline, np.nan, np.nan, len(errors), 0))
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
            predict_seconds.
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
            Indexed by model: rank (1 = best by the mean of the first metric),
            the mean and standard deviation over folds of every metric, the
            mean fit seconds, and the Diebold-Mariano statistic and p-value
            against the baseline (squared loss; NaN on the baseline's row).
        """
        folds = self.fold_scores()
        grouped = folds.groupby(level="model", sort=False)
        table = pd.DataFrame(index=pd.Index(self.models, name="model"))
        for metric in self.metrics:
            table[f"{metric}_mean"] = grouped[metric].mean()
            table[f"{metric}_std"] = grouped[metric].std()
        table["fit_seconds"] = grouped["fit_seconds"].mean()
        tests = self.diebold_mariano()
        table["dm_statistic"] = tests["statistic"]
        table["dm_pvalue"] = tests["p_value"]
        first = table[f"{self.metrics[0]}_mean"]
        table.insert(0, "rank", first.rank(method="min").astype(int))
        return table.sort_values(["rank"], kind="stable")

    def error_by_step(self, metric=None):
        """The error of every model at each step ahead, over the folds.

        Parameters
        ----------
        metric : str, default=None
            One of the report's metrics; None means the first. For "mase",
            the error at a step is the mean over folds of the absolute error
            scaled by that fold's MASE scale; for the others it is the metric
            of the points at that step, pooled over folds.

        Returns
        -------
        table : DataFrame
            Index step (1, 2, ...), one column per model.
        """
        metric = self.metrics[0] if metric is None else metric
        if metric not in METRICS:
            raise ValueError(
                f"`metric` must be one of {', '.join(map(repr, METRICS))}. Got "
                f"{metric!r} instead."
            )
        values = {}
        for (model, step), rows in self.forecasts.groupby(
            ["model", "step"], sort=False
        ):
            if metric == "mase":
                values[model, step] = np.mean(
                    [
                        mase(
                            fold_rows["y_true"],
                            fold_rows["y_pred"],
                            y_train=self.train_values(fold),
                            seasonal_period=self.seasonal_period,
                        )
                        for fold, fold_rows in rows.groupby("fold")
                    ]
                )
            else:
                values[model, step] = METRICS[metric](rows["y_true"], rows["y_pred"])
        table = pd.Series(values).unstack(0)
        return table.reindex(columns=self.models).rename_axis(
            index="step", columns=None
        )

    # -- rendering ------------------------------------------------------------

    def _headline(self):
        """One sentence answering "does a network beat the baseline, by how much?"."""
        table = self.summary()
        metric = self.metrics[0]
        column, label = f"{metric}_mean", _LABELS[metric]
        others = [m for m in table.index if m != self.baseline]
        if not others:
            return f"One model only ({self.baseline}): nothing to compare it with."
        networks = [m for m in others if m in set(self.histories["model"])]
        best = table.loc[networks or others, column].idxmin()
        value, reference = table.loc[best, column], table.loc[self.baseline, column]
        change = abs(value / reference - 1) * 100 if reference else float("nan")
        direction = "lower" if value < reference else "higher"
        p = table.loc[best, "dm_pvalue"]
        if np.isnan(p):
            test = "too few test points to test the difference (use more folds)"
        else:
            verdict = "significant" if p < 0.05 else "not significant"
            test = f"the difference is {verdict} (Diebold-Mariano p = {p:.2g})"
        who = "Best network" if networks else "Best model besides the baseline"
        return (
            f"{who}: {best}, {label} {value:.3g}, {change:.0f}% {direction} than "
            f"{self.baseline} ({reference:.3g}); {test}."
        )

    def _summary_strings(self):
        """The summary with display names and formatted numbers."""
        table = self.summary()
        shown = pd.DataFrame(index=table.index)
        shown["rank"] = table["rank"].map(str)
        for metric in self.metrics:
            label = _LABELS[metric]
            shown[f"{label} mean"] = table[f"{metric}_mean"].map(_format)
            shown[f"{label} std"] = table[f"{metric}_std"].map(_format)
        shown["fit s"] = table["fit_seconds"].map(lambda v: f"{v:.2f}")
        shown["DM stat"] = table["dm_statistic"].map(lambda v: _format(v, 3))
        shown["DM p"] = table["dm_pvalue"].map(lambda v: _format(v, 3))
        shown.loc[self.baseline, ["DM stat", "DM p"]] = "baseline"
        return shown

    def to_markdown(self):
        """The summary table as Markdown.

        Returns
        -------
        text : str
            A Markdown table, one row per model, best first.
        """
        return _markdown(self._summary_strings())

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
        from . import _plots

        return _plots.plot(self, kind)

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
        from ._html import render

        page = render(self)
        if path is None:
            return page
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(page)
        return None

    def _repr_html_(self):
        from ._html import summary_table

        return summary_table(self)
