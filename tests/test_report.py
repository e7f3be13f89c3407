"""ComparisonReport: tables, figures, Markdown and the one-file HTML page."""

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.base import BaseEstimator

from skrnn import compare
from skrnn.forecasting import ARForecaster, NaiveForecaster
from skrnn.metrics import mae, mase

HORIZON = 4


class _Network:
    """Stands in for a fitted RNNRegressor: only its training curves matter."""

    def __init__(self, n_epochs):
        losses = 1.0 / np.arange(1, n_epochs + 1)
        self.history_ = {"loss": losses.tolist(), "val_loss": (1.2 * losses).tolist()}


class TrainedDrift(NaiveForecaster):
    """A fast forecaster that records training curves, as RNN forecasters do."""

    def __init__(self, strategy="drift", *, period=None):
        super().__init__(strategy, period=period)

    def _fit(self, y, exog):
        super()._fit(y, exog)
        self.estimator_ = _Network(n_epochs=len(y) // 10)


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    t = np.arange(60)
    y = pd.Series(
        20 + 0.2 * t + 2 * np.sin(2 * np.pi * t / 4) + rng.normal(scale=0.3, size=60),
        index=pd.period_range("2010Q1", periods=60, freq="Q", name="quarter"),
        name="sales",
    )
    models = {
        "Drift net": TrainedDrift(),
        "AR(aic)": ARForecaster("aic"),
        "Seasonal naive": NaiveForecaster("seasonal_last", period=4),
        "Naive": NaiveForecaster(),
    }
    return compare(models, y, horizon=HORIZON, seasonal_period=4, progress=False)


def test_fold_scores_and_error_by_step_match_the_forecasts(report):
    folds = report.fold_scores()
    assert folds.index.tolist()[:3] == [
        ("Drift net", 0),
        ("Drift net", 1),
        ("Drift net", 2),
    ]
    assert folds.columns.tolist() == [
        "mase",
        "rmse",
        "mae",
        "smape",
        "fit_seconds",
        "predict_seconds",
    ]
    forecasts = report.forecasts
    by_step = report.error_by_step("mae")
    assert by_step.shape == (HORIZON, 4)
    rows = forecasts.query("model == 'Naive' and step == 2")
    assert by_step.loc[2, "Naive"] == pytest.approx(mae(rows["y_true"], rows["y_pred"]))
    # MASE by step: each fold's absolute error over that fold's own scale.
    scaled = [
        mase(
            r["y_true"],
            r["y_pred"],
            y_train=report.train_values(fold),
            seasonal_period=4,
        )
        for fold, r in rows.groupby("fold")
    ]
    assert report.error_by_step().loc[2, "Naive"] == pytest.approx(np.mean(scaled))
    with pytest.raises(ValueError, match="Got 'mape'"):
        report.error_by_step("mape")


def test_summary_and_tests_against_the_baseline(report):
    summary = report.summary()
    assert report.baseline == "AR(aic)"
    assert summary.columns.tolist() == [
        "rank",
        "mase_mean",
        "mase_std",
        "rmse_mean",
        "rmse_std",
        "mae_mean",
        "mae_std",
        "smape_mean",
        "smape_std",
        "fit_seconds",
        "dm_statistic",
        "dm_pvalue",
        "failed_folds",
    ]
    assert (summary["failed_folds"] == 0).all()
    assert np.isnan(summary.loc["AR(aic)", "dm_statistic"])
    tests = report.diebold_mariano()
    assert "AR(aic)" not in tests.index
    assert tests.loc["Naive", "p_value"] == summary.loc["Naive", "dm_pvalue"]
    assert (tests["n_points"] == 3 * HORIZON).all()
    assert tests["horizon_used"].isin([1, HORIZON]).all()


def test_histories_are_the_training_curves_of_every_fold(report):
    histories = report.histories
    assert set(histories["model"]) == {"Drift net"}
    # Folds train on 48, 52 and 56 points: 4, 5 and 5 epochs.
    assert histories.groupby("fold")["epoch"].max().tolist() == [4, 5, 5]
    first = histories.query("fold == 0")
    assert first["loss"].tolist() == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4])


def test_markdown_lists_every_model_best_first(report):
    lines = report.to_markdown().splitlines()
    assert lines[0].startswith("| model | rank | MASE mean | MASE std | RMSE mean")
    assert lines[1].startswith("|:---|---:|")
    models = [line.split("|")[1].strip() for line in lines[2:]]
    assert models == report.summary().index.tolist()
    baseline_row = next(line for line in lines if line.startswith("| AR(aic) "))
    assert baseline_row.rstrip(" |").endswith("baseline | baseline")


def test_html_is_one_self_contained_page(report, tmp_path):
    path = tmp_path / "report.html"
    assert report.to_html(path) is None
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('src="data:image/png;base64,') == 4
    for anchor in ["summary", "forecasts", "steps", "training", "tests", "folds"]:
        assert f'<section id="{anchor}">' in page
    for text in [
        "How to read this",
        "MASE &lt; 1",
        "DM p &lt; 0.05",
        "Training curves",
        "Scores per fold",
        "Diebold-Mariano",
    ]:
        assert text in page
    for model in report.models:
        assert f"{model}</td>" in page
    # Nothing to fetch: no external scripts, styles, fonts or images.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page
    assert "<script" not in page
    assert "@import" not in page


def test_html_without_networks_has_no_training_section(report):
    rows = report.histories["model"] != "Drift net"
    report_without = type(report)(
        scores=report.scores,
        forecasts=report.forecasts,
        histories=report.histories[rows],
        folds=report.folds,
        y=report.y,
        models=report.models,
        metrics=report.metrics,
        baseline=report.baseline,
        seasonal_period=report.seasonal_period,
        horizon=report.horizon,
    )
    page = report_without.to_html()
    assert page.count("data:image/png;base64,") == 3
    assert 'id="training"' not in page
    assert "Best model besides the baseline" in page
    with pytest.raises(ValueError, match="no 'training' figure"):
        report_without.plot("training")


def test_plot_returns_figures_without_touching_pyplot(report):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    figures = report.plot()
    assert list(figures) == ["summary", "forecasts", "error_by_step", "training"]
    assert all(isinstance(figure, Figure) for figure in figures.values())
    assert plt.get_fignums() == before
    panels = [ax for ax in report.plot("forecasts").axes if ax.get_visible()]
    assert [ax.get_title("left").split("  ")[0] for ax in panels] == report.models
    # One line per fold for each model's forecasts, plus the series.
    assert len(panels[0].get_lines()) == 1 + 3
    with pytest.raises(ValueError, match="`kind` must be one of"):
        report.plot("residuals")


def test_a_perfect_forecast_renders_with_the_naive_line_in_view(tmp_path):
    # MASE near 0: the reference label far outside the axes overflowed
    # matplotlib's text renderer ("raster overflow").
    index = pd.date_range("2020-01-01", periods=40, freq="MS")
    line = pd.Series(3.0 * np.arange(40), index=index)
    report = compare({"AR(1)": ARForecaster(1)}, line, horizon=3, progress=False)
    assert report.summary().loc["AR(1)", "mase_mean"] < 1e-6
    assert report.plot("summary").axes[0].get_xlim()[1] > 1.0
    report.to_html(tmp_path / "perfect.html")
    assert (tmp_path / "perfect.html").stat().st_size > 0


class _DesignedErrors(BaseEstimator):
    """The truth plus designed errors: always off by 1 ("steady"), or exact
    but off by 4 at every 6th point ("spiky")."""

    def __init__(self, truth=None, kind="steady"):
        self.truth = truth
        self.kind = kind

    def fit(self, X, y):
        self.y_train_ = y
        return self

    def predict(self, X):
        rows = np.asarray(X.index)
        if self.kind == "steady":
            errors = np.where(rows % 2 == 0, 1.0, -1.0)
        else:
            errors = np.where(np.arange(len(rows)) % 6 == 0, 4.0, 0.0)
        return self.truth.to_numpy()[rows] + errors


def test_the_test_judges_the_errors_the_ranking_does_and_says_which_way():
    # Spiky is better in absolute errors, worse in squared ones: under a MASE
    # ranking the squared-error test called it "significant" while finding
    # it significantly worse.
    truth = pd.Series(np.cumsum(np.random.default_rng(0).normal(size=150)) + 100)
    models = {
        "base": _DesignedErrors(truth, "steady"),
        "spiky": _DesignedErrors(truth, "spiky"),
    }
    by_mase = compare(models, truth, horizon=12, cv=8, progress=False)
    assert by_mase.summary().loc["spiky", "dm_statistic"] < 0
    assert "its absolute errors are significantly smaller than base's" in (
        by_mase._headline()
    )
    by_rmse = compare(
        models, truth, horizon=12, cv=8, metrics=["rmse", "mase"], progress=False
    )
    assert by_rmse.summary().loc["spiky", "dm_statistic"] > 0
    assert "its squared errors are significantly larger than base's" in (
        by_rmse._headline()
    )
    assert "yes, larger" in by_rmse._render()


def test_the_headline_answers_the_question(report):
    summary = report.summary()
    headline = report._headline()
    assert headline.startswith("Best network: Drift net, MASE ")
    value = summary.loc["Drift net", "mase_mean"]
    reference = summary.loc["AR(aic)", "mase_mean"]
    direction = "lower" if value < reference else "higher"
    assert (
        f"{abs(value / reference - 1) * 100:.0f}% {direction} than AR(aic)" in headline
    )
    assert "<ComparisonReport: 4 models, 3 folds, horizon 4" in repr(report)
    assert report._repr_html_().startswith("<table>")


def test_a_baseline_without_error_gets_no_percentage():
    # The headline read "nan% higher than Drift (0)".
    y = 3.0 + 0.5 * np.arange(40)
    report = compare(
        {"Drift": NaiveForecaster("drift"), "Last": NaiveForecaster()},
        y,
        horizon=4,
        cv=3,
        baseline="Drift",
        progress=False,
    )
    headline = report._headline()
    assert "nan" not in headline
    assert re.search(r"Last, MASE [0-9.]+, higher than Drift \(0\)", headline)


def test_one_fold_is_too_few_points_for_the_test_and_says_so():
    rng = np.random.default_rng(1)
    y = np.sin(np.arange(40) / 3) + np.arange(40) / 10 + rng.normal(0, 0.1, 40)
    report = compare(
        {"AR(aic)": ARForecaster("aic"), "Naive": NaiveForecaster()},
        y,
        horizon=6,
        cv=1,
        metrics=["rmse"],
        progress=False,
    )
    tests = report.diebold_mariano()
    assert np.isnan(tests.loc["Naive", "p_value"])
    assert tests.loc["Naive", "horizon_used"] == 0
    assert "too few test points" in report._headline()
    page = report.to_html()
    assert "MASE &lt; 1" not in page  # MASE was not scored
    assert page.count("data:image/png;base64,") == 3


# -- the headline, the settings and the training curves say what happened -----


def _quarterly(seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(60)
    return pd.Series(
        20 + 0.2 * t + 2 * np.sin(2 * np.pi * t / 4) + rng.normal(scale=0.3, size=60),
        index=pd.period_range("2010Q1", periods=60, freq="Q", name="quarter"),
        name="sales",
    )


class TrainedMean(NaiveForecaster):
    """A poor "network": the mean, with training curves (no validation)."""

    def __init__(self, strategy="mean", *, period=None):
        super().__init__(strategy, period=period)

    def _fit(self, y, exog):
        super()._fit(y, exog)
        self.history_ = {"loss": [1.0, 0.5, 0.25]}


def test_the_headline_says_when_a_baseline_ranks_first_and_networks_lose():
    models = {
        "Mean net": TrainedMean(),
        "AR(aic)": ARForecaster("aic"),
        "Seasonal naive": NaiveForecaster("seasonal_last", period=4),
    }
    report = compare(models, _quarterly(), horizon=HORIZON, seasonal_period=4,
                     progress=False)  # fmt: skip
    summary = report.summary()
    top = summary.index[0]
    assert top != "Mean net"
    assert summary.loc["Mean net", "mase_mean"] > 1
    headline = report._headline()
    assert headline.startswith("Best network: Mean net, MASE ")
    assert f"No network ranks first: {top} does (MASE " in headline
    assert (
        "Every network is worse than the in-sample seasonal naive forecast "
        "(MASE above 1)." in headline
    )


class TrainedSeasonal(NaiveForecaster):
    """A good "network": the seasonal naive forecast, with training curves."""

    def __init__(self, strategy="seasonal_last", *, period=4):
        super().__init__(strategy, period=period)

    def _fit(self, y, exog):
        super()._fit(y, exog)
        self.history_ = {"loss": [1.0, 0.5]}


def test_a_network_ranking_first_gets_no_warning():
    models = {
        "Season net": TrainedSeasonal(),
        "AR(1)": ARForecaster(1),
        "Naive": NaiveForecaster(),
    }
    report = compare(models, _quarterly(), horizon=HORIZON, progress=False)
    headline = report._headline()
    assert report.summary().index[0] == "Season net"
    assert report.summary().loc["Season net", "mase_mean"] < 1
    assert "No network ranks first" not in headline
    assert "Every network is worse" not in headline


def test_the_report_shows_each_models_settings_and_the_data():
    from skrnn import RecursiveForecaster, RNNRegressor

    rnn = RNNRegressor("gru", units=3, epochs=4, early_stopping=True, patience=1,
                       random_state=7)  # fmt: skip
    models = {
        "GRU": RecursiveForecaster(rnn, window=4),
        "AR(aic)": ARForecaster("aic"),
    }
    report = compare(models, _quarterly(), horizon=HORIZON, progress=False)
    settings = report.settings
    gru = settings.loc["GRU", "parameters"]
    for text in ["window=4", "cell=gru", "units=3", "epochs=4",
                 "early_stopping=True", "patience=1", "seed=7"]:  # fmt: skip
        assert text in gru
    runs = report.histories.groupby("fold")["epoch"].max().astype(str).tolist()
    # The fit's own choices: differencing ("auto"), not the window set.
    fitted = settings.loc["GRU", "fitted"].split("; ")
    assert fitted[0].startswith("differences ")
    assert len(fitted[0].split(" / ")) == 3
    assert fitted[1] == "epochs run " + " / ".join(runs)
    lags = settings.loc["AR(aic)", "fitted"]
    assert lags.startswith("AR lags ")
    assert len(lags.split(" / ")) == 3
    assert "lags=aic" in settings.loc["AR(aic)", "parameters"]
    # The calibration origins of conformal intervals: not used by AR's
    # analytic ones, so not shown.
    assert "calibration_origins" not in settings.loc["AR(aic)", "parameters"]
    data = report.data_summary()
    assert data["time points"] == 60
    assert data["first"] == pd.Period("2010Q1", "Q")
    assert data["frequency"] == "Q-DEC"
    page = report.to_html()
    assert "Models and data" in page
    assert "early_stopping=True" in page
    assert "epochs run " in page


def test_training_legend_and_caption_show_only_what_happened(report):
    curves = report.plot("training")
    labels = [t.get_text() for legend in curves.legends for t in legend.get_texts()]
    assert labels == ["training loss", "validation loss"]  # both drawn
    page = report.to_html()
    assert "Dashed: the loss on the held-out validation windows" in page
    assert "Early stopping" not in page  # nobody stopped early

    no_validation = compare({"Mean net": TrainedMean(), "AR(1)": ARForecaster(1)},
                            _quarterly(), horizon=HORIZON, progress=False)  # fmt: skip
    curves = no_validation.plot("training")
    labels = [t.get_text() for legend in curves.legends for t in legend.get_texts()]
    assert labels == ["training loss"]
    page = no_validation.to_html()
    assert "validation" not in page.split('id="training"')[1].split("</p>")[0]
    assert "stopped early" not in page


def test_the_caption_names_networks_that_stopped_early():
    settings = pd.DataFrame(
        {
            "kind": ["X"],
            "parameters": [""],
            "fitted": [""],
            "early_stopping": [True],
            "epochs": [10],
        },
        index=pd.Index(["Net"], name="model"),
    )
    histories = pd.DataFrame(
        {
            "model": "Net",
            "fold": [0, 0, 0, 1, 1],
            "epoch": [1, 2, 3, 1, 2],
            "loss": [3.0, 2.0, 1.0, 2.0, 1.0],
        }
    )
    from skrnn.comparison._html import _training_caption

    class Stub:
        pass

    stub = Stub()
    stub.histories, stub.settings, stub._networks = histories, settings, ["Net"]
    caption = _training_caption(stub)
    assert "Early stopping ended the training of Net (3, 2 of 10 epochs)" in caption
    assert "validation" not in caption
    # Beside a baseline the column holds NaN and the epochs become 10.0: the
    # sentence was dropped whenever a non-network was compared.
    stub.settings = pd.concat(
        [settings, pd.DataFrame({"epochs": [np.nan]}, index=pd.Index(["AR"]))]
    )
    assert stub.settings["epochs"].dtype.kind == "f"
    assert "Net (3, 2 of 10 epochs)" in _training_caption(stub)


class NetLikeAR(ARForecaster):
    """AR with training curves: the report counts it as a network."""

    def _fit(self, y, exog):
        super()._fit(y, exog)
        self.history_ = {"loss": [1.0, 0.5]}


def test_a_network_tied_with_the_baseline_is_the_same_and_ranks_first():
    # "0% higher than AR(aic)", then "No network ranks first" of a network
    # ranked first with it.
    y = pd.Series(np.sin(np.arange(60) / 3) + np.arange(60) / 20)
    models = {"AR(aic)": ARForecaster("aic"), "Net": NetLikeAR("aic")}
    models["Naive"] = NaiveForecaster()
    report = compare(models, y, horizon=HORIZON, progress=False)
    assert report.summary().loc["Net", "rank"] == report.summary()["rank"].min()
    headline = report._headline()
    assert "the same as AR(aic)" in headline
    assert "No network ranks first" not in headline


def test_p_values_are_never_rounded_across_the_threshold():
    from skrnn.comparison._metrics import dm_verdict, p_text

    assert p_text(0.049545) == "0.0495"  # not "0.05" beside "significantly"
    assert p_text(0.0512) == "0.051"
    assert p_text(0.0499999, 3) == "0.0499999"
    assert p_text(0.12345, 3) == "0.123"
    assert p_text(np.nan) == "—"
    assert p_text(0.04999999999, 3) == "0.04999999999"
    assert "p = 0.0495" in dm_verdict(-2.0, 0.049545, "absolute", "AR")


def test_relative_changes_in_words():
    from skrnn.comparison._metrics import relative_change

    assert relative_change(0.5, 0.5) == "the same as"
    assert relative_change(0.5000000000001, 0.5) == "the same as"  # not 2e-11%
    assert relative_change(0.503, 0.5) == "0.6% higher than"
    assert relative_change(0.45, 0.5) == "10% lower than"
    assert relative_change(1.0, 0.0) == "higher than"  # no "inf%"


def test_the_comparison_modules_import_no_circle():
    """_report, _html and _plots: rendering depends on tables, never back."""
    import ast
    from pathlib import Path

    import skrnn.comparison

    folder = Path(skrnn.comparison.__file__).parent
    graph = {}
    for path in folder.glob("_*.py"):
        imports = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    imports.add(f"_{node.module.lstrip('_')}")
                else:
                    imports.update(f"_{a.name.lstrip('_')}" for a in node.names)
        graph[path.stem] = imports & {p.stem for p in folder.glob("_*.py")}

    def reaches(start, goal, seen=()):
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt)))
            for nxt in graph[start]
        )

    circles = [module for module in graph if reaches(module, module)]
    assert circles == []
    assert "_report" not in graph["_html"] | graph["_plots"]


def test_one_fold_is_one_fold():
    y = pd.Series(np.sin(np.arange(40) / 3) + np.arange(40) / 20)
    report = compare([NaiveForecaster()], y, horizon=1, cv=1, progress=False)
    page = report.to_html()
    assert "1 fold, forecasting up to 1 step ahead" in page
