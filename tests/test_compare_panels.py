"""compare on several series: own cuts, one fit per fold, scores per series."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit

from skrnn import RecursiveForecaster, compare
from skrnn.comparison import ComparisonReport, PanelComparisonReport
from skrnn.forecasting import ARForecaster, NaiveForecaster
from skrnn.metrics import mase

HORIZON = 4


def _panel(n=48, seed=0):
    """Four monthly series; 'late' starts 10 months in, 'early' ends 3 early."""
    rng = np.random.default_rng(seed)
    index = pd.period_range("2010-01", periods=n, freq="M", name="month")
    t = np.arange(n)[:, None]
    values = (
        5
        + np.sin(2 * np.pi * t / 6 + np.arange(4))
        + rng.normal(scale=0.2, size=(n, 4)).cumsum(axis=0)
    )
    y = pd.DataFrame(values, index=index, columns=["a", "b", "late", "early"])
    y.iloc[:10, 2] = np.nan
    y.iloc[-3:, 3] = np.nan
    return y


def _models():
    return {
        "Global": RecursiveForecaster(LinearRegression(), window=6, differences=0),
        "AR(1)": ARForecaster(1),
        "Naive": NaiveForecaster(),
    }


@pytest.fixture(scope="module")
def report():
    return compare(_models(), _panel(), horizon=HORIZON, progress=False)


def test_a_panel_gets_a_panel_report_and_one_column_does_not(report):
    assert isinstance(report, PanelComparisonReport)
    one = compare([NaiveForecaster()], _panel()[["a"]], horizon=HORIZON, progress=False)
    assert isinstance(one, ComparisonReport)


def test_each_series_is_cut_at_its_own_last_points(report):
    y = _panel()
    folds = report.folds
    assert folds.shape[0] == 4 * 3  # series x folds
    for key in y.columns:
        observed = y[key].dropna()
        own = folds[folds["series"] == key].sort_values("fold")
        assert own["train_start"].iloc[0] == observed.index[0]
        assert own["test_end"].iloc[-1] == observed.index[-1]
        assert (own["n_test"] == HORIZON).all()
        # Each fold trains up to the point before its test window.
        ends = [observed.index.get_loc(t) for t in own["train_end"]]
        assert np.diff(ends).tolist() == [HORIZON, HORIZON]
    early = folds[folds["series"] == "early"]["test_end"].iloc[-1]
    assert early == y.index[-4]


def test_the_global_model_is_fitted_once_per_fold_on_every_series(report):
    y = _panel()
    assert len(report.timings) == 3 * 3  # models x folds
    fold = 1
    train = {}
    for key in y.columns:
        row = report.folds[
            (report.folds["series"] == key) & (report.folds["fold"] == fold)
        ]
        observed = y[key].dropna()
        end = observed.index.get_loc(row["train_end"].iloc[0])
        train[key] = observed.iloc[: end + 1]
    by_hand = clone(_models()["Global"]).fit(None, train).forecast(HORIZON)
    rows = report.forecasts[
        (report.forecasts["model"] == "Global") & (report.forecasts["fold"] == fold)
    ]
    for key in y.columns:
        own = rows[rows["series"] == key]
        np.testing.assert_allclose(own["y_pred"], np.asarray(by_hand[key]))
        np.testing.assert_allclose(own["y_true"], y[key].loc[own["time"]].to_numpy())


def test_scores_are_per_series_and_recomputed_from_the_forecasts(report):
    scores = report.series_scores("mase")
    assert scores.index.tolist() == ["a", "b", "late", "early"]
    assert scores.columns.tolist() == ["Global", "AR(1)", "Naive"]
    for key in ["late", "early"]:
        values = []
        for fold in range(3):
            rows = report.forecasts[
                (report.forecasts["model"] == "Naive")
                & (report.forecasts["series"] == key)
                & (report.forecasts["fold"] == fold)
            ]
            values.append(
                mase(
                    rows["y_true"],
                    rows["y_pred"],
                    y_train=report.train_values(key, fold),
                )
            )
        assert scores.loc[key, "Naive"] == pytest.approx(np.mean(values))


def test_summary_gives_mean_median_and_wins_over_the_baseline(report):
    report.baseline = "Naive"
    try:
        summary = report.summary()
        scores = report.series_scores()
    finally:
        report.baseline = "AR(1)"
    assert summary.loc["Global", "mase_mean"] == pytest.approx(scores["Global"].mean())
    assert summary.loc["Global", "mase_median"] == pytest.approx(
        scores["Global"].median()
    )
    assert summary.loc["Global", "wins"] == (scores["Global"] < scores["Naive"]).sum()
    assert pd.isna(summary.loc["Naive", "wins"])
    assert (summary["n_series"] == 4).all()
    assert summary["rank"].tolist() == sorted(summary["rank"].tolist())


def test_diebold_mariano_pools_the_scaled_errors_of_every_series(report):
    tests = report.diebold_mariano()
    assert tests.index.tolist() == ["Global", "Naive"]
    assert (tests["n_points"] == 4 * 3 * HORIZON).all()
    # Scaling a series leaves its scaled errors, so the test, unchanged.
    y = _panel()
    y["a"] *= 1000.0
    scaled = compare(
        {"AR(1)": ARForecaster(1), "Naive": NaiveForecaster()},
        y,
        horizon=HORIZON,
        progress=False,
    ).diebold_mariano()
    assert scaled.loc["Naive", "statistic"] == pytest.approx(
        tests.loc["Naive", "statistic"], rel=1e-6
    )


def test_a_dict_of_series_is_compared_like_the_wide_frame(report):
    y = _panel()
    as_dict = {key: y[key].dropna() for key in y.columns}
    again = compare(_models(), as_dict, horizon=HORIZON, progress=False)
    pd.testing.assert_frame_equal(again.series_scores(), report.series_scores())


def test_exogenous_columns_reach_every_series():
    rng = np.random.default_rng(1)
    index = pd.period_range("2000-01", periods=60, freq="M")
    x = pd.DataFrame({"price": rng.normal(size=60)}, index=index)
    y = pd.DataFrame(
        {
            f"s{j}": (j + 1) * x["price"] + rng.normal(scale=0.05, size=60)
            for j in range(3)
        }
    )
    models = {"AR(1)": ARForecaster(1), "Naive": NaiveForecaster()}
    with_x = compare(models, y, x, horizon=HORIZON, progress=False)
    without = compare(models, y, horizon=HORIZON, progress=False)
    ar_with = with_x.series_scores()["AR(1)"]
    ar_without = without.series_scores()["AR(1)"]
    assert (ar_with < 0.2 * ar_without).all()
    with pytest.raises(ValueError, match="`X` and `y` have different indexes"):
        compare(models, y, x[::-1], horizon=HORIZON, progress=False)


def test_the_report_renders_html_markdown_and_figures(report, tmp_path):
    path = tmp_path / "panel.html"
    report.to_html(path)
    page = path.read_text(encoding="utf-8")
    for text in ["Representative series", "MASE per series", "late", "early"]:
        assert text in page
    assert page.count("<img") == 4  # the spread, then best, median and worst
    assert report.to_markdown().splitlines()[0].startswith("| model | rank | MASE mean")
    chosen = report.representative_series()
    assert set(chosen) == {"best", "median", "worst"}
    top = report.series_scores()[report.summary().index[0]]
    assert top[chosen["best"]] == top.min()
    assert top[chosen["worst"]] == top.max()
    assert "over 4 series" in report._headline()
    with pytest.raises(ValueError, match="`kind` must be one of"):
        report.plot("forecasts")


def test_one_series_opens_as_a_single_series_report(report):
    single = report.series_report("late")
    assert isinstance(single, ComparisonReport)
    assert single.y.index[0] == _panel()["late"].dropna().index[0]
    assert single.summary().loc["Naive", "mase_mean"] == pytest.approx(
        report.series_scores().loc["late", "Naive"]
    )
    with pytest.raises(ValueError, match="No series 'z'"):
        report.series_report("z")


class _Diverging(NaiveForecaster):
    """Naive forecasts, but infinite after training on more than 40 points."""

    def fit(self, X, y):
        self.longest_ = max(len(series) for series in y.values())
        return super().fit(X, y)

    def forecast(self, steps, X=None, *, y=None):
        out = super().forecast(steps, X, y=y)
        if self.longest_ > 40:
            out = {key: series * np.inf for key, series in out.items()}
        return out


def test_a_model_that_fails_on_some_fold_is_not_ranked():
    report = compare(
        {"AR(1)": ARForecaster(1), "Bad": _Diverging()},
        _panel(),
        horizon=HORIZON,
        progress=False,
    )
    summary = report.summary()
    assert pd.isna(summary.loc["Bad", "rank"])
    assert summary.loc["Bad", "failed_folds"] >= 1
    assert report.series_scores()["Bad"].isna().all()
    assert "Failed, so not ranked: Bad" in report._headline()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(cv=TimeSeriesSplit(3)), "On a panel, `cv` must be None or an int"),
        (dict(coverage=0.9), "not supported on several series"),
        (dict(horizon=15), "Series 'late' of `y` is too short for 3 folds"),
        (
            dict(X=pd.DataFrame({"x": np.zeros(48)})),
            "need every series to end at the same time point, but series 'early'",
        ),
        (dict(baseline="ARIMA"), "Got 'ARIMA'"),
    ],
)
def test_bad_input_is_refused_before_any_fit(kwargs, message):
    kwargs.setdefault("horizon", HORIZON)
    with pytest.raises(ValueError, match=message):
        compare(_models(), _panel(), **kwargs, progress=False)


def test_gaps_and_duplicated_names_are_refused():
    y = _panel()
    y.iloc[20, 0] = np.nan
    with pytest.raises(ValueError, match="fill_gaps"):
        compare(_models(), y, horizon=HORIZON, progress=False)
    y = _panel()
    y.columns = ["a", "a", "late", "early"]
    with pytest.raises(ValueError, match="several series called 'a'"):
        compare(_models(), y, horizon=HORIZON, progress=False)


def test_a_model_too_long_for_the_shortest_series_is_named():
    # AR fits each series: the shortest must be long enough for it.
    with pytest.raises(
        ValueError, match=r"Model 'Long' needs at least \d+ .* series 'late'"
    ):
        compare({"Long": ARForecaster(15)}, _panel(), horizon=HORIZON, progress=False)


class _Transposed(NaiveForecaster):
    """Forecasts as (n_series, horizon): the wrong way round."""

    def forecast(self, steps, X=None, *, y=None):
        out = super().forecast(steps, X, y=y)
        return np.array([np.asarray(series) for series in out.values()])


def test_forecasts_of_the_wrong_shape_are_refused_not_misread():
    with pytest.raises(ValueError, match=r"'Bad' failed on fold 0: .* shape \(4, 3\)"):
        compare({"Bad": _Transposed()}, _panel(), horizon=3, progress=False)


def test_a_global_model_is_compared_on_series_shorter_than_its_window():
    y = _panel()
    y.iloc[:38, 2] = np.nan  # 'late': 10 points, 2 to train on in fold 0
    model = RecursiveForecaster(LinearRegression(), window=6, differences=0)
    report = compare(
        {"Global": model, "Naive": NaiveForecaster()},
        y,
        horizon=HORIZON,
        cv=2,
        progress=False,
    )
    assert np.isfinite(report.series_scores()["Global"]).all()
    with pytest.raises(ValueError, match="'AR' needs at least"):
        compare({"AR": ARForecaster(3)}, y, horizon=HORIZON, cv=2, progress=False)


def test_series_that_mase_cannot_scale_are_named_before_any_fit():
    y = _panel()
    y.iloc[:30, 2] = np.nan
    y = y.rename(columns={"late": "Late"})
    with pytest.raises(ValueError, match="Series 'Late' trains on 6 points"):
        compare(_models(), y, horizon=HORIZON, seasonal_period=12, progress=False)
    y = _panel()
    y["flat"] = 3.0
    with pytest.raises(ValueError, match="Series 'flat' does not change"):
        compare(_models(), y, horizon=HORIZON, progress=False)


def test_tuple_names_are_refused_and_frequencies_compared_by_their_spelling():
    y = _panel()
    y.columns = pd.MultiIndex.from_product([["shop"], list("abcd")])
    with pytest.raises(ValueError, match="named by strings or numbers"):
        compare(_models(), y, horizon=HORIZON, progress=False)
    index = pd.date_range("2010-01-01", periods=48, freq="MS")
    a = pd.Series(_panel()["a"].to_numpy(), index=index)
    b = pd.Series(_panel()["b"].to_numpy()[4:], index=pd.DatetimeIndex(list(index[4:])))
    assert b.index.freq is None  # inferred, spelled "MS"; a's is an offset
    report = compare(
        [NaiveForecaster()], {"a": a, "b": b}, horizon=HORIZON, progress=False
    )
    assert report.series_scores().shape == (2, 1)


def test_against_a_failed_baseline_no_wins_are_counted():
    report = compare(
        {"AR(1)": ARForecaster(1), "Bad": _Diverging()},
        _panel(),
        horizon=HORIZON,
        baseline="Bad",
        progress=False,
    )
    assert report.summary()["wins"].isna().all()
    # One series in a dict, one fold: fewer test points than the test needs.
    tiny = compare(
        [NaiveForecaster(), ARForecaster(1)],
        {"only": _panel()["a"]},
        horizon=HORIZON,
        cv=1,
        progress=False,
    )
    assert np.isnan(tiny.summary().loc["Naive", "dm_pvalue"])
    assert "too few test points" in tiny._headline()


def test_a_metric_not_scored_is_refused_not_a_table_of_nan():
    report = compare(
        [NaiveForecaster()], _panel(), horizon=HORIZON, metrics=["rmse"], progress=False
    )
    assert report.series_scores("rmse").notna().all(axis=None)
    with pytest.raises(ValueError, match=r"did not score 'mae': it scored 'rmse'"):
        report.series_scores("mae")


def test_a_series_named_0_is_not_called_y():
    # 0 is falsy: the series report of column 0 was labelled "y".
    values = _panel().to_numpy()
    report = compare([NaiveForecaster()], values, horizon=HORIZON, progress=False)
    single = report.series_report(0)
    assert single.data_summary()["series"] == "0"
    assert "Series <b>0</b>" in single.to_html()


@pytest.mark.parametrize("as_dict", [False, True])
def test_rows_after_every_series_ends_are_cut_off(as_dict):
    # The forecasters refuse such rows (they would stay on the time axis),
    # which made compare refuse a panel it had scored correctly.
    panel = _panel()
    padded = pd.concat(
        [panel, pd.DataFrame(np.nan, index=range(3), columns=panel.columns)]
    )
    padded.index = pd.period_range(
        panel.index[0], periods=len(padded), name=panel.index.name
    )
    trimmed = padded.iloc[: len(panel)]
    if as_dict:
        padded = {key: padded[key] for key in padded}
    models = [NaiveForecaster()]
    got = compare(models, padded, horizon=HORIZON, progress=False)
    expected = compare(models, trimmed, horizon=HORIZON, progress=False)
    pd.testing.assert_frame_equal(got.scores, expected.scores)
