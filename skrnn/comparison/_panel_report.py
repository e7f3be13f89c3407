"""PanelComparisonReport: a comparison on several series, scored per series."""

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
from ._report import (
    ComparisonReport,
    _empty_failures,
    _empty_settings,
    _failure_sentence,
    _Report,
)
from ._stats import _dm_test, _loss_differential

__all__ = ["PanelComparisonReport"]

REPRESENTATIVES = ("best", "median", "worst")


class PanelComparisonReport(_Report):
    """Results of :func:`~skrnn.compare` on several series.

    Scores are per series (mean over folds), then summarised over series:
    mean, median and the number of series on which each model beats the
    baseline. Any one series can be looked at as a single-series
    :class:`ComparisonReport` with :meth:`series_report`.

    Parameters
    ----------
    scores : DataFrame
        Long table with columns model, series, fold, metric, value.
    forecasts : DataFrame
        Long table with columns model, series, fold, time, step, y_true,
        y_pred.
    timings : DataFrame
        One row per (model, fold) fit: fit_seconds and predict_seconds, for
        all series at once.
    histories : DataFrame
        Training curves with columns model, fold, epoch and one per curve.
    folds : DataFrame
        One row per (series, fold): train_start, train_end, n_train,
        test_start, test_end, n_test.
    y : DataFrame
        The panel: one column per series, NaN before it starts and after it
        ends.
    models : list of str
        Model names, in the order given.
    metrics : list of str
        Metric names; the first ranks the models.
    baseline : str
        Name of the model the others are tested against.
    seasonal_period : int, default=1
        Season length, the scale of MASE.
    horizon : int
        Time points forecast per fold.
    settings : DataFrame, default=None
        One row per model: kind, parameters, what its fits decided.
    failures : DataFrame, default=None
        Columns model, fold, reason: fits whose forecasts were not finite.
    notes : sequence of str, default=()
        What was done to the data before the comparison.

    See Also
    --------
    ComparisonReport : The report of one series.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skrnn import compare
    >>> from skrnn.forecasting import ARForecaster, NaiveForecaster
    >>> rng = np.random.default_rng(0)
    >>> y = pd.DataFrame(rng.normal(size=(60, 3)).cumsum(axis=0), columns=list("abc"))
    >>> report = compare(
    ...     {"AR(1)": ARForecaster(1), "Naive": NaiveForecaster()},
    ...     y, horizon=6, progress=False,
    ... )
    >>> report.series_scores().shape  # 3 series, 2 models
    (3, 2)
    >>> summary = report.summary()  # over series, wins against the baseline
    >>> int(summary.loc["Naive", "n_series"]), summary.loc["AR(1)", "wins"]
    (3, <NA>)
    """

    def __init__(
        self,
        *,
        scores,
        forecasts,
        timings,
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
    ):
        self.scores = scores
        self.forecasts = forecasts
        self.timings = timings
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
        # The single-series reports behind the figures, made when asked for.
        self._series_reports = {}
        self._scale_cache = None

    def __repr__(self):
        return (
            f"<PanelComparisonReport: {len(self.models)} models, "
            f"{self.y.shape[1]} series, {self.n_folds} folds, horizon "
            f"{self.horizon}, baseline {self.baseline!r}>"
        )

    @property
    def n_folds(self):
        """Number of folds of every series."""
        return int(self.folds["fold"].nunique())

    # -- tables ---------------------------------------------------------------

    def series_scores(self, metric=None):
        """Each model's score on each series: the mean over its folds.

        Parameters
        ----------
        metric : str, default=None
            One of the report's metrics; None means the first.

        Returns
        -------
        table : DataFrame
            One row per series (in the order of ``y``'s columns), one column
            per model (NaN for a model that failed in some fold).
        """
        metric = get_metric(self.metrics[0] if metric is None else metric).name
        if metric not in self.metrics:  # it gave a table of NaN
            raise ValueError(
                f"This comparison did not score {metric!r}: it scored "
                f"{', '.join(map(repr, self.metrics))}. Pass it in compare's "
                "metrics= to have it per series."
            )
        rows = self.scores[self.scores["metric"] == metric]
        table = rows.pivot_table(
            index="series", columns="model", values="value", aggfunc="mean"
        )
        table = table.reindex(index=self.y.columns, columns=self.models)
        table[self._failed] = np.nan
        return table.rename_axis(index="series", columns=None)

    def _pooled_errors(self, model):
        """Errors of all series and folds, each divided by its series' MASE
        scale, so that no series weighs by its unit."""
        rows = self.forecasts[self.forecasts["model"] == model]
        rows = rows.sort_values(["series", "time"], kind="stable")
        scales = self._scales()
        scale = np.array(
            [
                scales[key]
                for key in zip(rows["series"], rows["fold"].astype(int), strict=True)
            ]
        )
        return (rows["y_true"] - rows["y_pred"]).to_numpy() / scale

    def _scales(self):
        """The in-sample (seasonal) naive error of each (series, fold)."""
        if self._scale_cache is None:
            m = self.seasonal_period
            self._scale_cache = {}
            for series, fold in zip(
                self.folds["series"], self.folds["fold"].astype(int), strict=True
            ):
                values = self.train_values(series, fold)
                lag = m if len(values) > m else 1
                scale = float(naive_scale(values, lag))
                self._scale_cache[series, fold] = scale
        return self._scale_cache

    def train_values(self, series, fold):
        """Return the training part of one series in one fold.

        Parameters
        ----------
        series : label
            A column of ``y``.
        fold : int
            The fold (0 for the first).

        Returns
        -------
        y_train : ndarray of shape (n_train,)
            The values of that series the models were fitted on in that fold.
        """
        row = self.folds[
            (self.folds["series"] == series) & (self.folds["fold"] == fold)
        ].iloc[0]
        column = self.y[series]
        start = column.index.get_loc(row["train_start"])
        return column.to_numpy()[start : start + row["n_train"]]

    def diebold_mariano(self, loss=None):
        """Diebold-Mariano test of every model against the baseline.

        The errors of all series are pooled, series by series in time
        order, and tested with ``horizon`` lags. Each error is divided by its
        series' MASE scale (the in-sample seasonal naive error of that fold's
        training part; lag 1 without a season), so that series in large
        units do not decide the test.

        Parameters
        ----------
        loss : {"squared", "absolute"}, default=None
            Loss applied to the scaled errors. None: the loss of the metric
            that ranks the models (absolute errors for MASE, MAE and sMAPE,
            squared for RMSE), so that the test judges what the ranking does.

        Returns
        -------
        table : DataFrame
            One row per model other than the baseline: baseline, statistic
            (negative: the model's loss is smaller), p_value, n_points,
            horizon_used; NaN statistic where the model or the baseline
            failed.
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
            if failed & {model, self.baseline}:
                rows.append((model, self.baseline, np.nan, np.nan, len(errors), 0))
                continue
            try:
                d = _loss_differential(errors, reference, self.horizon, loss)
            except ValueError:  # too few test points for this horizon
                rows.append((model, self.baseline, np.nan, np.nan, len(errors), 0))
                continue
            statistic, pvalue, used = _dm_test(d, self.horizon)
            rows.append((model, self.baseline, statistic, pvalue, len(d), used))
        columns = ["model", "baseline", "statistic", "p_value", "n_points"]
        return pd.DataFrame(rows, columns=[*columns, "horizon_used"]).set_index("model")

    def summary(self):
        """One row per model, best first by the mean of the first metric.

        Returns
        -------
        table : DataFrame
            Indexed by model: rank (missing for a model that failed in some
            fold, listed last); for every metric the mean and the median over
            series of the per-series scores; wins, the number of series on
            which the model's first metric is below the baseline's (missing
            on the baseline's row), and n_series; the mean fit seconds per
            fold (all series together); the Diebold-Mariano statistic and
            p-value against the baseline on the pooled scaled errors; and
            failed_folds.
        """
        table = pd.DataFrame(index=pd.Index(self.models, name="model"))
        for metric in self.metrics:
            per_series = self.series_scores(metric)
            table[f"{metric}_mean"] = per_series.mean()
            table[f"{metric}_median"] = per_series.median()
            if metric == self.metrics[0]:
                first = per_series
        wins = first.lt(first[self.baseline], axis=0).sum()
        table["wins"] = wins.astype("Int64")
        failed = self._failed
        # Against a failed baseline nothing was compared.
        unscored = self.models if self.baseline in failed else [self.baseline, *failed]
        table.loc[unscored, "wins"] = pd.NA
        table["n_series"] = self.y.shape[1]
        table["fit_seconds"] = self.timings.groupby("model")["fit_seconds"].mean()
        tests = self.diebold_mariano()
        table["dm_statistic"] = tests["statistic"]
        table["dm_pvalue"] = tests["p_value"]
        counts = self.failures.groupby("model")["fold"].nunique()
        table["failed_folds"] = counts.reindex(table.index, fill_value=0).astype(int)
        mean = table[f"{self.metrics[0]}_mean"]
        table.insert(0, "rank", mean.rank(method="min").astype("Int64"))
        return table.sort_values(["rank"], kind="stable", na_position="last")

    def representative_series(self):
        """The series the figures show: best, median and worst.

        By the first metric of the top-ranked model.

        Returns
        -------
        series : dict
            Keys "best", "median", "worst"; values: columns of ``y``.
        """
        ranked = self.summary()
        top = ranked.index[0]
        scores = self.series_scores()[top].dropna()
        if scores.empty:  # every model failed somewhere: rank by the baseline
            scores = self.series_scores()[self.baseline].fillna(np.inf)
        order = scores.sort_values(kind="stable").index
        return {
            "best": order[0],
            "median": order[(len(order) - 1) // 2],
            "worst": order[-1],
        }

    def series_report(self, series):
        """The comparison on one series, as a single-series report.

        Parameters
        ----------
        series : label
            A column of ``y``.

        Returns
        -------
        report : ComparisonReport
            Its scores, forecasts, folds and figures; fit and predict times
            are those of the fits on all series.
        """
        if series not in self.y.columns:
            raise ValueError(
                f"No series {series!r} in this comparison; its series are "
                f"{', '.join(map(repr, self.y.columns[:5]))}"
                f"{', ...' if self.y.shape[1] > 5 else ''}."
            )
        if series in self._series_reports:
            return self._series_reports[series]
        scores = self.scores[self.scores["series"] == series].drop(columns="series")
        timings = self.timings.melt(
            id_vars=["model", "fold"], value_vars=list(TIMINGS), var_name="metric"
        )
        folds = self.folds[self.folds["series"] == series].drop(columns="series")
        forecasts = self.forecasts[self.forecasts["series"] == series]
        report = ComparisonReport(
            scores=pd.concat([scores, timings], ignore_index=True),
            forecasts=forecasts.drop(columns="series").reset_index(drop=True),
            histories=self.histories,
            folds=folds.reset_index(drop=True),
            y=self.y[series].dropna().rename(series),
            models=self.models,
            metrics=self.metrics,
            baseline=self.baseline,
            seasonal_period=self.seasonal_period,
            horizon=self.horizon,
            settings=self.settings,
            failures=self.failures,
            notes=self.notes,
        )
        self._series_reports[series] = report
        return report

    def data_summary(self):
        """What the comparison was run on.

        Returns
        -------
        summary : Series
            series (their number), the shortest, median and longest series,
            first and last time point, frequency, folds, horizon, seasonal
            period and notes.
        """
        lengths = self.y.notna().sum()
        index = self.y.index
        freq = getattr(index, "freqstr", None)
        if freq is None and isinstance(index, pd.RangeIndex):
            freq = f"row numbers (step {index.step})"
        return pd.Series(
            {
                "series": self.y.shape[1],
                "shortest": int(lengths.min()),
                "median length": float(lengths.median()),
                "longest": int(lengths.max()),
                "first": index[0],
                "last": index[-1],
                "frequency": freq or "—",
                "folds": self.n_folds,
                "horizon": self.horizon,
                "seasonal period": self.seasonal_period,
                "notes": "; ".join(self.notes) or "—",
            },
            name="value",
        )

    # -- rendering ------------------------------------------------------------

    def _headline(self):
        """Plain sentences: does a network beat the baseline, on how many series?"""
        table = self.summary()
        metric = get_metric(self.metrics[0])
        mean, median = f"{metric.name}_mean", f"{metric.name}_median"
        label, n = metric.label, self.y.shape[1]
        sentences = []
        failed = self._failed
        if failed:
            sentences.append(_failure_sentence(self.failures, failed))
        ok = [m for m in table.index if m not in failed]
        others = [m for m in ok if m != self.baseline]
        if self.baseline in failed or not others:
            sentences.append(
                f"{ok[0]} ranks first over {n} series (mean {label} "
                f"{table.loc[ok[0], mean]:.3g}); nothing is tested against the "
                f"baseline {self.baseline}."
            )
            return " ".join(sentences)
        networks = [m for m in others if m in self._networks]
        candidates = networks or others
        best = table.loc[candidates, mean].idxmin()
        value, reference = table.loc[best, mean], table.loc[self.baseline, mean]
        change = relative_change(value, reference)
        test = dm_verdict(
            table.loc[best, "dm_statistic"],
            table.loc[best, "dm_pvalue"],
            f"pooled scaled {metric.test_loss}",
            self.baseline,
        )
        who = "Best network" if networks else "Best model besides the baseline"
        sentences.append(
            f"{who} over {n} series: {best}, mean {label} {value:.3g} (median "
            f"{table.loc[best, median]:.3g}), {change} "
            f"{self.baseline} ({reference:.3g}, median "
            f"{table.loc[self.baseline, median]:.3g}); it beats {self.baseline} "
            f"on {int(table.loc[best, 'wins'])} of {n} series; {test}."
        )
        return " ".join(sentences)

    def _summary_strings(self):
        table = self.summary()
        shown = pd.DataFrame(index=table.index)
        shown["rank"] = [
            "failed" if pd.isna(rank) else str(rank) for rank in table["rank"]
        ]
        for name in self.metrics:
            label = METRICS[name].label
            shown[f"{label} mean"] = table[f"{name}_mean"].map(format_number)
            shown[f"{label} median"] = table[f"{name}_median"].map(format_number)
        n = self.y.shape[1]
        shown[f"wins (of {n})"] = [
            "—" if pd.isna(wins) else str(wins) for wins in table["wins"]
        ]
        shown["fit s"] = table["fit_seconds"].map(lambda v: f"{v:.2f}")
        shown["DM stat"] = table["dm_statistic"].map(lambda v: format_number(v, 3))
        shown["DM p"] = table["dm_pvalue"].map(lambda v: p_text(v, 3))
        shown.loc[self.baseline, [f"wins (of {n})", "DM stat", "DM p"]] = "baseline"
        return shown

    def plot(self, kind=None):
        """Draw the figures of the comparison (matplotlib, never shown on screen).

        Parameters
        ----------
        kind : {"summary", "best", "median", "worst"}, default=None
            "summary": the spread over series of each model's score;
            "best", "median", "worst": the forecasts of the series of
            :meth:`representative_series`. None draws all of them.

        Returns
        -------
        figure : matplotlib.figure.Figure or dict of str to Figure
            One figure, or all by kind when ``kind`` is None.
        """
        from ._plots import plot_panel

        return plot_panel(self, kind)

    def _render(self):
        from ._html import render_panel

        return render_panel(self)
