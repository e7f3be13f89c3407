"""compare: identical splits, recomputable scores, parallel = serial, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, TimeSeriesSplit

from skrnn import RecursiveForecaster, RNNRegressor, compare
from skrnn.comparison import ComparisonReport, default_models, diebold_mariano
from skrnn.forecasting import ARForecaster, NaiveForecaster
from skrnn.metrics import mae, mase, rmse, smape

HORIZON = 6


def _series(n=72):
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 10 + 0.05 * t + np.sin(2 * np.pi * t / 6) + rng.normal(scale=0.2, size=n)
    index = pd.period_range("2001-01", periods=n, freq="M", name="month")
    return pd.Series(values, index=index, name="demand")


def _models():
    # A validation set, so that the report keeps validation curves too.
    rnn = RNNRegressor(
        "gru", units=4, epochs=5, validation_fraction=0.2, random_state=0
    )
    return {
        "GRU": RecursiveForecaster(rnn, window=6, differences=1),
        "AR(2)": ARForecaster(2),
        "Naive": NaiveForecaster(),
    }


def _rows(forecasts, model, fold):
    return forecasts[(forecasts["model"] == model) & (forecasts["fold"] == fold)]


@pytest.fixture(scope="module")
def series():
    return _series()


@pytest.fixture(scope="module")
def report(series):
    return compare(
        _models(), series, horizon=HORIZON, seasonal_period=6, progress=False
    )


def test_every_metric_is_recomputed_exactly_from_the_stored_forecasts(report, series):
    metrics = {"mae": mae, "rmse": rmse, "smape": smape}
    for fold in report.folds.itertuples():
        start = series.index.get_loc(fold.train_start)
        y_train = series.iloc[start : start + fold.n_train]
        assert y_train.index[-1] == fold.train_end
        for model in report.models:
            rows = _rows(report.forecasts, model, fold.fold)
            expected = {
                name: metric(rows["y_true"], rows["y_pred"])
                for name, metric in metrics.items()
            }
            expected["mase"] = mase(
                rows["y_true"], rows["y_pred"], y_train=y_train, seasonal_period=6
            )
            got = _rows(report.scores, model, fold.fold)
            got = got.set_index("metric")["value"]
            for name, value in expected.items():
                assert got[name] == pytest.approx(value, rel=1e-12), (model, name)


def test_forecasts_are_the_test_rows_of_identical_splits(report, series):
    forecasts = report.forecasts
    assert forecasts.columns.tolist() == [
        "model",
        "fold",
        "time",
        "step",
        "y_true",
        "y_pred",
    ]
    assert len(forecasts) == 3 * 3 * HORIZON
    splits = list(TimeSeriesSplit(n_splits=3, test_size=HORIZON).split(series))
    for fold, (_, test) in enumerate(splits):
        for model in report.models:
            rows = _rows(forecasts, model, fold)
            assert rows["time"].tolist() == series.index[test].tolist()
            assert rows["step"].tolist() == list(range(1, HORIZON + 1))
            np.testing.assert_array_equal(rows["y_true"], series.iloc[test])


def test_forecasts_are_those_of_the_model_fitted_on_the_training_rows(report, series):
    train, test = list(TimeSeriesSplit(n_splits=3, test_size=HORIZON).split(series))[1]
    X = pd.DataFrame(index=series.index)
    for name, model in _models().items():
        fitted = clone(model).fit(X.iloc[train], series.iloc[train])
        stored = _rows(report.forecasts, name, 1)["y_pred"]
        np.testing.assert_allclose(stored, fitted.predict(X.iloc[test]), rtol=1e-6)


def test_scores_table_is_tidy_with_timings(report):
    scores = report.scores
    assert scores.columns.tolist() == ["model", "fold", "metric", "value"]
    assert set(scores["metric"]) == {
        "mase",
        "rmse",
        "mae",
        "smape",
        "fit_seconds",
        "predict_seconds",
    }
    assert len(scores) == 3 * 3 * 6
    timings = scores[scores["metric"].str.endswith("seconds")]["value"]
    assert (timings > 0).all()


def test_summary_aggregates_the_folds_and_ranks_best_first(report):
    summary = report.summary()
    means = report.scores.groupby(["model", "metric"])["value"].mean().unstack()
    stds = report.scores.groupby(["model", "metric"])["value"].std().unstack()
    for model in report.models:
        assert summary.loc[model, "mase_mean"] == pytest.approx(
            means.loc[model, "mase"]
        )
        assert summary.loc[model, "rmse_std"] == pytest.approx(stds.loc[model, "rmse"])
        assert summary.loc[model, "fit_seconds"] == pytest.approx(
            means.loc[model, "fit_seconds"]
        )
    assert summary["mase_mean"].is_monotonic_increasing
    assert summary["rank"].tolist() == [1, 2, 3]


def test_diebold_mariano_pools_the_test_points_in_time_order(report):
    summary = report.summary()
    assert report.baseline == "GRU"  # no "AR(aic)": the first model
    assert np.isnan(summary.loc["GRU", "dm_pvalue"])

    def scale(fold):  # MASE's: the fold's in-sample seasonal naive error
        y_train = report.train_values(fold)
        return np.mean(np.abs(y_train[6:] - y_train[:-6]))

    def pooled(model):
        # Divided by each fold's scale, as MASE (the ranking) divides them:
        # on raw errors, a volatile fold outweighed the others.
        rows = report.forecasts.query("model == @model").sort_values("time")
        scales = rows["fold"].map(scale)
        return ((rows["y_true"] - rows["y_pred"]) / scales).to_numpy()

    for model in ["AR(2)", "Naive"]:
        with warnings.catch_warnings():
            # A fallback to lag 0 is reported in the table, not warned about.
            warnings.simplefilter("ignore", RuntimeWarning)
            # On absolute errors: MASE, the first metric, ranks the models.
            expected = diebold_mariano(
                pooled(model), pooled("GRU"), horizon=HORIZON, loss="absolute"
            )
        assert summary.loc[model, "dm_statistic"] == pytest.approx(expected.statistic)
        assert summary.loc[model, "dm_pvalue"] == pytest.approx(expected.pvalue)
    table = report.diebold_mariano()
    assert table.index.tolist() == ["AR(2)", "Naive"]
    assert (table["n_points"] == 3 * HORIZON).all()


def test_histories_hold_the_training_curves_of_the_networks(report):
    histories = report.histories
    assert set(histories["model"]) == {"GRU"}
    assert sorted(set(histories["fold"])) == [0, 1, 2]
    assert {"epoch", "loss", "val_loss"} <= set(histories.columns)
    assert histories.groupby("fold")["epoch"].max().tolist() == [5, 5, 5]


def test_parallel_results_equal_serial_results(report, series):
    parallel = compare(
        _models(), series, horizon=HORIZON, seasonal_period=6, n_jobs=2, progress=False
    )
    values = ~report.scores["metric"].str.endswith("seconds")
    pd.testing.assert_frame_equal(
        parallel.scores[values].reset_index(drop=True),
        report.scores[values].reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(parallel.forecasts, report.forecasts)
    pd.testing.assert_frame_equal(parallel.histories, report.histories)


def test_default_models_are_rnns_against_ar_and_naive_baselines():
    models = default_models()
    assert list(models) == ["SimpleRNN", "LSTM", "GRU", "AR(aic)", "AR(1)", "Naive"]
    assert [models[m].estimator.cell for m in ["SimpleRNN", "LSTM", "GRU"]] == [
        "simple",
        "lstm",
        "gru",
    ]
    # The forecaster's and the network's own defaults, the season read from
    # the index unless given.
    assert models["LSTM"].get_params(deep=False) == {
        **RecursiveForecaster().get_params(deep=False),
        "estimator": models["LSTM"].estimator,
    }
    assert models["LSTM"].estimator.get_params() == {
        **RNNRegressor().get_params(),
        "random_state": 0,
    }
    seasonal = default_models(seasonal_period=4, random_state=7)
    assert seasonal["Seasonal naive"].get_params()["period"] == 4
    assert seasonal["LSTM"].seasonal_period == 4
    assert seasonal["SimpleRNN"].estimator.random_state == 7


def test_compare_without_models_runs_the_defaults_and_tests_against_ar(monkeypatch):
    # Replace the defaults by fast stand-ins: what matters is that compare
    # asks default_models for them and picks "AR(aic)" as the baseline.
    from skrnn.comparison import _inputs

    def fast_defaults(seasonal_period=None, random_state=0):
        assert seasonal_period == 6
        return {"Naive": NaiveForecaster(), "AR(aic)": ARForecaster("aic")}

    monkeypatch.setattr(_inputs, "default_models", fast_defaults)
    report = compare(y=_series(), horizon=HORIZON, seasonal_period=6, progress=False)
    assert report.models == ["Naive", "AR(aic)"]
    assert report.baseline == "AR(aic)"


def test_a_list_of_models_gets_readable_unique_names():
    report = compare(
        [
            ARForecaster(2),
            ARForecaster(2),
            NaiveForecaster("seasonal_last", period=6),
            NaiveForecaster("drift"),
        ],
        _series(),
        horizon=HORIZON,
        metrics=["rmse"],
        progress=False,
    )
    assert report.models == ["AR(2)", "AR(2) (2)", "Seasonal naive", "Naive(drift)"]
    assert report.summary().columns[:3].tolist() == ["rank", "rmse_mean", "rmse_std"]
    # Identical models, identical forecasts.
    first = report.forecasts.query("model == 'AR(2)'")["y_pred"].to_numpy()
    second = report.forecasts.query("model == 'AR(2) (2)'")["y_pred"].to_numpy()
    np.testing.assert_array_equal(first, second)
    assert report.diebold_mariano().loc["AR(2) (2)", "p_value"] == 1.0


def test_a_numpy_series_and_a_custom_splitter():
    y = _series().to_numpy()
    cv = TimeSeriesSplit(n_splits=2, test_size=4, gap=2)
    report = compare([NaiveForecaster(), ARForecaster(1)], y, cv=cv, progress=False)
    rows = report.forecasts.query("model == 'Naive' and fold == 1")
    # Integer time points; the gap is honoured: steps 3..6 after the training end.
    assert rows["time"].tolist() == [68, 69, 70, 71]
    assert rows["step"].tolist() == [3, 4, 5, 6]
    assert report.horizon == 6
    np.testing.assert_array_equal(rows["y_pred"], np.full(4, y[65]))


def test_progress_false_is_silent(capsys):
    compare([NaiveForecaster()], _series(), horizon=HORIZON, progress=False)
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(y=_series(19)), ValueError, "too short for 3 folds of horizon 6"),
        (dict(y=_series(), horizon=0), ValueError, "`horizon` must be a positive int"),
        (dict(y=_series(), metrics=["mase", "mape"]), ValueError, "Got 'mape'"),
        (dict(y=_series(), metrics=[]), ValueError, "Got none"),
        (dict(y=_series(), baseline="ARIMA"), ValueError, "Got 'ARIMA'"),
        (dict(models={}, y=_series()), ValueError, "at least one forecaster"),
        (dict(models=[object()], y=_series()), TypeError, r"fit\(X, y\)"),
        (
            dict(models={"lr": LinearRegression()}, y=_series()),
            TypeError,
            r"'lr' is a regressor .* RecursiveForecaster\(LinearRegression\(\)\)",
        ),
        (
            dict(models=[NaiveForecaster("seasonal_last")], y=_series()),
            ValueError,
            "needs the season length: set period",
        ),
        (dict(y=None), ValueError, r"compare\(y=y\)"),
        (dict(y=_series(), cv=KFold(3)), ValueError, "contiguous block"),
        (
            dict(y=_series().where(lambda s: s.index.month != 5)),
            ValueError,
            "no missing values",
        ),
        (
            dict(
                y=_series().set_axis(
                    pd.DatetimeIndex(
                        pd.date_range("2001-01-01", periods=73, freq="D").delete(3)
                    )
                )
            ),
            ValueError,
            "without a regular frequency",
        ),
    ],
)
def test_bad_input_is_refused_before_any_fit(kwargs, error, message):
    kwargs.setdefault("models", [NaiveForecaster(), ARForecaster(1)])
    kwargs.setdefault("horizon", HORIZON)
    with pytest.raises(error, match=message):
        compare(**kwargs, progress=False)


def test_a_model_that_needs_longer_training_data_is_named():
    model = RecursiveForecaster(RNNRegressor(units=4), window=60)
    with pytest.raises(ValueError, match="Model 'LSTM' needs at least 62 training"):
        compare([model], _series(), horizon=HORIZON, progress=False)


def test_a_failing_fit_names_the_model_and_the_fold():
    class Broken(NaiveForecaster):
        def _fit(self, y, exog):
            raise ValueError("boom")

    with pytest.raises(
        ValueError,
        match=r"Model 'Broken' failed on fold 0 \(training on 54 points\): boom",
    ):
        compare([Broken()], _series(), horizon=HORIZON, progress=False)


def test_the_report_type_is_exported():
    import skrnn

    assert skrnn.ComparisonReport is ComparisonReport
    assert skrnn.compare is compare


def test_exogenous_columns_reach_the_models():
    rng = np.random.default_rng(5)
    x = rng.normal(size=80)
    y = pd.Series(3 * x + rng.normal(scale=0.1, size=80))
    X = pd.DataFrame({"x": x})
    report = compare([ARForecaster(1)], y, X, horizon=5, progress=False)
    # The regressor explains y: far better than any forecast without it.
    assert report.summary().loc["AR(1)", "rmse_mean"] < 0.3
    train, test = np.arange(75), np.arange(75, 80)
    by_hand = ARForecaster(1).fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
    np.testing.assert_allclose(_rows(report.forecasts, "AR(1)", 2)["y_pred"], by_hand)


def test_exogenous_columns_on_other_time_points_are_refused_before_any_fit():
    y = _series(60)
    y.index = pd.period_range("2000-01", periods=60, freq="M")
    later = pd.DataFrame({"x": np.arange(60.0)}, index=y.index + 12)
    for X in (later, later["x"]):  # a Series keeps its index too
        with pytest.raises(ValueError, match=r"`X` and `y` have different indexes"):
            compare([NaiveForecaster()], y, X, horizon=HORIZON, progress=False)
    # An array is matched by position.
    report = compare(
        [NaiveForecaster()], y, later.to_numpy(), horizon=HORIZON, progress=False
    )
    assert len(report.forecasts)


def test_a_splitter_gap_is_forecast_through_with_the_regressors():
    # Every model with X failed: "X starts 3 time points after the end".
    rng = np.random.default_rng(3)
    x = rng.normal(size=80)
    y = pd.Series(3 * x + 1, index=pd.period_range("2000-01", periods=80, freq="M"))
    X = pd.DataFrame({"x": x}, index=y.index)
    models = {
        "AR(1)": ARForecaster(1),
        "Naive": NaiveForecaster(),
        "linear": RecursiveForecaster(
            LinearRegression(), window=2, differences=0, seasonal_differences=0
        ),
    }
    cv = TimeSeriesSplit(n_splits=3, test_size=6, gap=3)
    report = compare(models, y, X, cv=cv, coverage=0.9, progress=False)
    assert report.summary().loc[["AR(1)", "linear"], "mae_mean"].max() < 1e-8
    for fold, (train, test) in enumerate(cv.split(X)):
        rows = _rows(report.forecasts, "Naive", fold)
        assert rows["time"].tolist() == y.index[test].tolist()
        assert (rows["y_pred"] == y.iloc[train[-1]]).all()
        assert rows["step"].tolist() == list(range(4, 10))


def test_an_integer_index_of_years_stays_an_integer_index():
    years = pd.RangeIndex(1871, 1941, name="year")
    y = pd.Series(_series(70).to_numpy(), index=years)
    report = compare([NaiveForecaster()], y, horizon=HORIZON, progress=False)
    assert report.y.index.equals(years)
    assert isinstance(report.y.index, pd.RangeIndex)
    assert report.forecasts["time"].tolist()[:2] == [1923, 1924]
    assert report.folds["test_end"].iloc[-1] == 1940


class _Foreign:
    """A forecaster from elsewhere: public min_train_size() and history_."""

    def __init__(self, minimum=10):
        self.minimum = minimum

    def get_params(self, deep=True):
        return {"minimum": self.minimum}

    def set_params(self, **params):
        self.minimum = params.get("minimum", self.minimum)
        return self

    def min_train_size(self):
        return self.minimum

    def fit(self, X, y):
        self.last_ = float(y.iloc[-1])
        self.history_ = {"loss": [2.0, 1.0, 0.5]}
        return self

    def predict(self, X):
        return np.full(len(X), self.last_)


def test_public_min_train_size_and_history_are_used():
    with pytest.raises(ValueError, match="Model 'Mine' needs at least 500 training"):
        compare({"Mine": _Foreign(500)}, _series(), horizon=HORIZON, progress=False)
    report = compare({"Mine": _Foreign()}, _series(), horizon=HORIZON, progress=False)
    assert report.histories.groupby("fold")["epoch"].max().tolist() == [3, 3, 3]
    assert report.settings.loc["Mine", "fitted"] == "epochs run 3 / 3 / 3"


def test_the_progress_bar_names_the_fit_it_waits_for(capsys):
    import time as clock

    class Slow(NaiveForecaster):
        def _fit(self, y, exog):
            clock.sleep(1.3)
            super()._fit(y, exog)

    compare({"Slow one": Slow()}, _series(), horizon=HORIZON, cv=1, progress=True)
    err = capsys.readouterr().err
    # Shown during the first (and only) fit, not only once it is done.
    assert "0/1" in err
    assert "Slow one, fold 0" in err


def test_a_season_longer_than_the_first_fold_is_refused_before_any_fit(monkeypatch):
    # MASE failed after every model was fitted, naming `y_train`.
    import skrnn.comparison._compare as module

    def no_fit(*args, **kwargs):
        raise AssertionError("a model was fitted")

    monkeypatch.setattr(module, "_fit_predict", no_fit)
    y = np.random.default_rng(0).normal(size=24)
    models = {"AR(1)": ARForecaster(1), "Naive": NaiveForecaster()}
    with pytest.raises(ValueError, match=r"MASE is scaled .* first fold trains on 6"):
        compare(models, y, horizon=6, seasonal_period=12, progress=False)
    with pytest.raises(AssertionError, match="a model was fitted"):
        compare(
            models, y, horizon=6, seasonal_period=12, metrics=["rmse"], progress=False
        )


def test_a_fold_without_naive_error_is_refused_before_any_fit(monkeypatch):
    # A constant start made MASE's scale 0 after every model was fitted.
    import skrnn.comparison._compare as module

    def no_fit(*args, **kwargs):
        raise AssertionError("a model was fitted")

    monkeypatch.setattr(module, "_fit_predict", no_fit)
    rng = np.random.default_rng(0)
    y = np.r_[np.full(65, 5.0), 5 + np.cumsum(rng.normal(size=15))]
    models = {"AR(1)": ARForecaster(1), "Naive": NaiveForecaster()}
    with pytest.raises(ValueError, match=r"repeats itself at lag 1 .* fold 0"):
        compare(models, y, horizon=6, cv=3, progress=False)
    with pytest.raises(AssertionError, match="a model was fitted"):
        compare(models, y, horizon=6, cv=3, metrics=["rmse"], progress=False)


def test_an_unscaled_ranking_metric_tests_the_raw_errors(series):
    models = {"AR(2)": ARForecaster(2), "Naive": NaiveForecaster()}
    report = compare(
        models, series, horizon=HORIZON, metrics=["rmse", "mase"], progress=False
    )

    def pooled(model):
        rows = report.forecasts.query("model == @model").sort_values("time")
        return (rows["y_true"] - rows["y_pred"]).to_numpy()

    expected = diebold_mariano(
        pooled("Naive"), pooled("AR(2)"), horizon=HORIZON, loss="squared"
    )
    got = report.diebold_mariano().loc["Naive"]
    assert got["statistic"] == pytest.approx(expected.statistic)
