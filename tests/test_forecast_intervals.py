"""Conformal prediction intervals of RecursiveForecaster, NaiveForecaster and
ARForecaster(intervals="conformal")."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import ARForecaster, NaiveForecaster, RecursiveForecaster, RNNRegressor


def _ar1(n, n_series=1, phi=0.7, seed=0):
    """AR(1) series with unit-variance noise, (n,) or (n, n_series)."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(n + 50, n_series))
    y = np.zeros_like(noise)
    for t in range(1, len(y)):
        y[t] = phi * y[t - 1] + noise[t]
    y = y[50:]
    return y[:, 0] if n_series == 1 else y


def _monthly(values, name="level"):
    index = pd.period_range("2000-01", periods=len(values), freq="M")
    if np.ndim(values) == 1:
        return pd.Series(values, index=index, name=name)
    return pd.DataFrame(values, index=index, columns=["a", "b"][: values.shape[1]])


FAST = [
    ("naive", NaiveForecaster(calibration_origins=9)),
    ("recursive-linear", RecursiveForecaster(LinearRegression(), window=3)),
    (
        "ar-conformal",
        ARForecaster(lags=1, intervals="conformal", calibration_origins=9),
    ),
]


@pytest.mark.parametrize("forecaster", [f for _, f in FAST], ids=[i for i, _ in FAST])
def test_the_frame_is_the_one_of_ar_forecaster(forecaster):
    y = _monthly(_ar1(80))
    X = pd.DataFrame(index=pd.period_range("2006-09", periods=4, freq="M"))
    ar = ARForecaster(lags=1).fit(None, y).predict_interval(X)
    intervals = forecaster.fit(None, y).predict_interval(X)
    pd.testing.assert_index_equal(intervals.columns, ar.columns)
    pd.testing.assert_index_equal(intervals.index, ar.index)
    assert intervals.dtypes.tolist() == ar.dtypes.tolist()
    # Several series: a column MultiIndex (series, "lower"/"upper").
    y2 = _monthly(_ar1(80, n_series=2))
    ar2 = ARForecaster(lags=1).fit(None, y2).predict_interval(X)
    intervals2 = forecaster.fit(None, y2).predict_interval(X)
    pd.testing.assert_index_equal(intervals2.columns, ar2.columns)
    pd.testing.assert_index_equal(intervals2.index, ar2.index)
    # NumPy y: a plain RangeIndex, as ARForecaster's.
    plain = forecaster.fit(None, _ar1(80)).predict_interval(np.empty((4, 0)))
    ar_plain = (
        ARForecaster(lags=1).fit(None, _ar1(80)).predict_interval(np.empty((4, 0)))
    )
    pd.testing.assert_index_equal(plain.index, ar_plain.index)
    pd.testing.assert_index_equal(plain.columns, ar_plain.columns)


@pytest.mark.parametrize("forecaster", [f for _, f in FAST], ids=[i for i, _ in FAST])
def test_the_forecast_lies_inside_and_width_grows_with_coverage(forecaster):
    y = _monthly(_ar1(100, seed=1))
    f = forecaster.fit(None, y)
    X = np.empty((6, 0))
    forecast = f.predict(X)
    narrow = f.predict_interval(X, coverage=0.5)
    wide = f.predict_interval(X, coverage=0.9)
    assert (narrow["lower"] <= forecast).all()
    assert (forecast <= narrow["upper"]).all()
    assert (wide["lower"] <= narrow["lower"]).all()
    assert (narrow["upper"] <= wide["upper"]).all()
    width = (wide["upper"] - wide["lower"]).mean()
    assert width > (narrow["upper"] - narrow["lower"]).mean()
    # Symmetric around the forecast: forecast +- the error quantile.
    np.testing.assert_allclose(wide["upper"] - forecast, forecast - wide["lower"])


def test_naive_intervals_are_the_conformal_quantile_of_its_errors():
    y = _ar1(40, seed=2)
    K, h = 9, 3
    f = NaiveForecaster("last", calibration_origins=K).fit(None, y)
    intervals = f.predict_interval(np.empty((h, 0)), coverage=0.9)
    n = len(y)
    for k in range(1, h + 1):
        # Step k: the K latest origins t whose k-th forecast y[t + k - 1] is
        # observed; the naive forecast from origin t is y[t - 1].
        scores = [abs(y[t + k - 1] - y[t - 1]) for t in range(n - k - K + 1, n - k + 1)]
        radius = np.sort(scores)[int(np.ceil((K + 1) * 0.9)) - 1]
        assert intervals["upper"][k - 1] == pytest.approx(y[-1] + radius)
        assert intervals["lower"][k - 1] == pytest.approx(y[-1] - radius)


def test_conformal_ar_intervals_are_the_quantile_of_its_own_errors():
    y = _ar1(60, seed=6) + np.linspace(0, 6, 60)  # a trend AR(1) misses
    K, h = 9, 3
    f = ARForecaster(lags=1, intervals="conformal", calibration_origins=K)
    f.fit(None, y)
    forecast = f.forecast(h)
    intervals = f.predict_interval(np.empty((h, 0)), coverage=0.9)
    np.testing.assert_array_equal(f.forecast(h), forecast)  # the fit is untouched
    n = len(y)
    for k in range(1, h + 1):
        scores = [
            abs(y[t + k - 1] - ARForecaster(lags=1).fit(None, y[:t]).forecast(k)[-1])
            for t in range(n - k - K + 1, n - k + 1)
        ]
        radius = np.sort(scores)[int(np.ceil((K + 1) * 0.9)) - 1]
        assert intervals["upper"][k - 1] == pytest.approx(forecast[k - 1] + radius)
        assert intervals["lower"][k - 1] == pytest.approx(forecast[k - 1] - radius)
    # The analytic intervals do not depend on calibration_origins.
    analytic = [
        ARForecaster(lags=1, calibration_origins=c)
        .fit(None, y)
        .predict_interval(np.empty((h, 0)))
        for c in (9, 30)
    ]
    pd.testing.assert_frame_equal(*analytic)
    assert not np.allclose(analytic[0].to_numpy(), intervals.to_numpy())


# Slow (about 25 s): run with -m slow; benchmarks/bench_interval_coverage.py
# measures coverage on real series.
@pytest.mark.slow
def test_empirical_coverage_of_an_ar1_with_a_linear_model():
    # 150 independent AR(1) series, forecast 3 steps past their end: the
    # global linear model is refitted on all, each series gets its own
    # quantiles, and the true values must fall inside about 90% of the time.
    n_series, h = 150, 3
    full = _ar1(103, n_series=n_series, seed=3)
    y, future = full[:-h], full[-h:]
    f = RecursiveForecaster(LinearRegression(), window=2).fit(None, y)
    intervals = f.predict_interval(np.empty((h, 0)), coverage=0.9)
    lower = intervals.xs("lower", axis=1, level=1).to_numpy()
    upper = intervals.xs("upper", axis=1, level=1).to_numpy()
    inside = (lower <= future) & (future <= upper)
    assert 0.85 <= inside.mean() <= 0.97
    # 50% intervals cover about half.
    half = f.predict_interval(np.empty((h, 0)), coverage=0.5)
    inside = (half.xs("lower", axis=1, level=1).to_numpy() <= future) & (
        future <= half.xs("upper", axis=1, level=1).to_numpy()
    )
    assert 0.4 <= inside.mean() <= 0.62


def test_several_series_get_their_own_intervals():
    y = _monthly(np.column_stack([_ar1(60, seed=4), 100 * _ar1(60, seed=5)]))
    both = NaiveForecaster(calibration_origins=9).fit(None, y)
    alone = NaiveForecaster(calibration_origins=9).fit(None, y["b"])
    X = np.empty((4, 0))
    together = both.predict_interval(X)["b"]
    pd.testing.assert_frame_equal(together, alone.predict_interval(X))
    width = both.predict_interval(X).T.groupby(level=0).diff().dropna()
    assert (width.loc["b"] > 10 * width.loc["a"]).all(axis=None)


@pytest.mark.parametrize(
    "forecaster",
    [
        NaiveForecaster("drift", calibration_origins=9),
        ARForecaster(lags=2),
        ARForecaster(lags=2, intervals="conformal", calibration_origins=9),
    ],
    ids=["naive", "ar-analytic", "ar-conformal"],
)
def test_a_series_that_ends_earlier_gets_the_intervals_of_its_own_steps(forecaster):
    # b ends 4 months before a: the rows of X are its steps 5 to 7, as for b
    # fitted alone.
    y = _monthly(np.column_stack([_ar1(60, seed=7), 5 + _ar1(60, seed=8)]))
    y.iloc[-4:, 1] = np.nan
    X = pd.DataFrame(index=pd.period_range(y.index[-1] + 1, periods=3, freq="M"))
    together = clone(forecaster).fit(None, y)
    alone = clone(forecaster).fit(None, y["b"].dropna())
    pd.testing.assert_frame_equal(
        together.predict_interval(X)["b"], alone.predict_interval(X)
    )
    assert (together.predict_interval(X)["b"]["lower"] < together.predict(X)["b"]).all()


def test_a_series_that_starts_late_is_calibrated_on_the_origins_it_has():
    # The calibration refits cut the panel before b started: "Column 1 of y
    # has no values".
    y = _monthly(np.column_stack([_ar1(100, seed=7), 5 + _ar1(100, seed=8)]))
    y.iloc[:85, 1] = np.nan
    f = NaiveForecaster("last", calibration_origins=20).fit(None, y)
    intervals = f.predict_interval(np.empty((3, 0)))
    b, n = y["b"].to_numpy(), len(y)
    for k in (1, 2, 3):
        # Origins t from n - k - 19 to n - k, with b observed at t - 1.
        origins = [t for t in range(n - k - 19, n - k + 1) if t - 1 >= 85]
        scores = np.sort([abs(b[t + k - 1] - b[t - 1]) for t in origins])
        rank = int(np.ceil((len(scores) + 1) * 0.9))
        radius = scores[rank - 1] if rank <= len(scores) else np.inf
        assert intervals["b"]["upper"].iloc[k - 1] == pytest.approx(b[-1] + radius)
    # a is calibrated as when fitted alone.
    alone = NaiveForecaster("last", calibration_origins=20).fit(None, y["a"])
    np.testing.assert_allclose(
        intervals["a"].to_numpy(), alone.predict_interval(np.empty((3, 0))).to_numpy()
    )
    # A differenced global model: b needs a point more than its differences.
    for params in ({"differences": 1, "seasonal_differences": 0}, {}):
        model = RecursiveForecaster(LinearRegression(), window=3, **params)
        bounds = model.fit(None, y).predict_interval(np.empty((3, 0)))
        assert np.isfinite(bounds.to_numpy()).all()


def test_the_refits_read_the_season_from_the_time_index_as_the_fit_does():
    # The calibration refits are fitted on the training series with its
    # index: "auto" finds the season 12 there as in the fit, and a seasonal
    # difference is possible.
    from skrnn.datasets import load_airline

    y = np.log(load_airline())[:-12]
    X = pd.DataFrame(index=pd.period_range("1960-01", periods=12, freq="M"))
    auto = RecursiveForecaster(LinearRegression(), calibration_origins=9)
    given = RecursiveForecaster(
        LinearRegression(), seasonal_period=12, calibration_origins=9
    )
    pd.testing.assert_frame_equal(
        auto.fit(None, y).predict_interval(X), given.fit(None, y).predict_interval(X)
    )
    seasonal = RecursiveForecaster(
        LinearRegression(), differences=1, seasonal_differences=1, calibration_origins=9
    )
    assert seasonal.fit(None, y).predict_interval(X).notna().all(axis=None)


def test_calibration_is_lazy_cached_and_consistent_across_horizons(monkeypatch):
    fits = []

    class Counting(LinearRegression):
        def fit(self, X, y, sample_weight=None):
            fits.append(len(X))
            return super().fit(X, y, sample_weight)

    f = RecursiveForecaster(Counting(), window=3, calibration_origins=10)
    y = _ar1(80, seed=6)
    f.fit(None, y)
    assert len(fits) == 1  # a plain fit: no calibration
    first = f.predict_interval(np.empty((2, 0)))
    assert len(fits) == 1 + 10 + 2 - 1
    again = f.predict_interval(np.empty((2, 0)), coverage=0.8)
    assert len(fits) == 12  # cached, whatever the coverage
    longer = f.predict_interval(np.empty((5, 0)))
    assert len(fits) == 12 + 3  # only the three earlier origins it adds
    # A step's interval does not depend on how many steps are asked.
    pd.testing.assert_frame_equal(longer.iloc[:2], first)
    assert (again["upper"] <= first["upper"]).all()
    # A new fit makes the old residuals stale.
    other = _ar1(80, seed=7)
    f.fit(None, other)
    fresh = RecursiveForecaster(LinearRegression(), window=3, calibration_origins=10)
    pd.testing.assert_frame_equal(
        f.predict_interval(np.empty((5, 0))),
        fresh.fit(None, other).predict_interval(np.empty((5, 0))),
    )


def test_rows_after_a_gap_and_exogenous_regressors():
    y = _monthly(_ar1(70, seed=8))
    f = NaiveForecaster("drift", calibration_origins=9).fit(None, y)
    full = f.predict_interval(
        pd.DataFrame(index=pd.period_range("2005-11", periods=6, freq="M"))
    )
    later = f.predict_interval(
        pd.DataFrame(index=pd.period_range("2006-02", periods=3, freq="M"))
    )
    pd.testing.assert_frame_equal(later, full.iloc[3:])

    rng = np.random.default_rng(9)
    exog = rng.normal(size=(73, 1))
    target = _ar1(73, seed=9) + 3 * exog[:, 0]
    X = pd.DataFrame({"promo": exog[:, 0]}, index=_monthly(target).index)
    g = RecursiveForecaster(LinearRegression(), window=2, calibration_origins=9)
    g.fit(X[:70], _monthly(target)[:70])
    intervals = g.predict_interval(X[70:])
    forecast = g.predict(X[70:])
    assert (intervals["lower"] <= forecast).all()
    assert (forecast <= intervals["upper"]).all()
    # The regressor is used: its future values move the intervals.
    shifted = g.predict_interval(X[70:] + 1)
    np.testing.assert_allclose(
        shifted["upper"] - intervals["upper"], g.predict(X[70:] + 1) - forecast
    )


def test_a_tiny_rnn_is_reproducible_and_left_unchanged():
    y = _ar1(60, seed=10)

    def make():
        return RecursiveForecaster(
            RNNRegressor(units=4, epochs=2, random_state=0),
            window=3,
            calibration_origins=9,
        ).fit(None, y)

    f = make()
    X = np.empty((2, 0))
    before = f.predict(X)
    intervals = f.predict_interval(X)
    np.testing.assert_array_equal(f.predict(X), before)
    pd.testing.assert_frame_equal(make().predict_interval(X), intervals)
    restored = pickle.loads(pickle.dumps(f))
    pd.testing.assert_frame_equal(restored.predict_interval(X), intervals)


@pytest.mark.parametrize("coverage", [0, 1, 90, -0.1, "0.9", True, None])
def test_bad_coverage_is_refused(coverage):
    f = NaiveForecaster().fit(None, _ar1(50))
    kind = r"a number in \(0, 1\), e.g. 0.9. Got .* \(a \w+\)"
    match = kind if isinstance(coverage, str | bool | None) else r"in \(0, 1\)"
    with pytest.raises(ValueError, match="coverage must be " + match):
        f.predict_interval(np.empty((2, 0)), coverage=coverage)


def test_coverage_beyond_what_the_origins_allow_names_the_fix():
    f = NaiveForecaster().fit(None, _ar1(300))
    with pytest.raises(
        ValueError,
        match=r"coverage=0.99 needs at least 99 calibration origins.*"
        r"calibration_origins=20.*20/21 = 0.952.*calibration_origins=99",
    ):
        f.predict_interval(np.empty((2, 0)), coverage=0.99)
    # The advice works without a new fit: fit does not read the number (it
    # was refused as a parameter changed after fit).
    f.set_params(calibration_origins=99)
    intervals = f.predict_interval(np.empty((2, 0)), coverage=0.99)
    assert intervals.notna().all(axis=None)
    refitted = NaiveForecaster(calibration_origins=99).fit(None, _ar1(300))
    pd.testing.assert_frame_equal(
        refitted.predict_interval(np.empty((2, 0)), coverage=0.99), intervals
    )
    f.set_params(calibration_origins=0)
    with pytest.raises(InvalidParameterError, match="calibration_origins"):
        f.predict_interval(np.empty((2, 0)))


def test_ar_intervals_may_switch_after_fit():
    y = _ar1(120)
    f = ARForecaster(lags=1, calibration_origins=9).fit(None, y)
    analytic = f.predict_interval(np.empty((3, 0)))
    f.set_params(intervals="conformal")
    conformal = ARForecaster(lags=1, intervals="conformal", calibration_origins=9)
    pd.testing.assert_frame_equal(
        f.predict_interval(np.empty((3, 0))),
        conformal.fit(None, y).predict_interval(np.empty((3, 0))),
    )
    f.set_params(intervals="analytic")
    pd.testing.assert_frame_equal(f.predict_interval(np.empty((3, 0))), analytic)
    f.set_params(intervals="bootstrap")
    with pytest.raises(InvalidParameterError, match="'intervals' parameter"):
        f.predict_interval(np.empty((3, 0)))


@pytest.mark.parametrize("change", ["set_params", "in place"])
def test_estimator_parameters_set_after_fit_do_not_reach_the_intervals(change):
    # The refits cloned the forecaster with its current estimator: intervals
    # 14x too wide around the fitted model's forecasts, or not, by call order.
    from sklearn.linear_model import Ridge

    y = np.sin(np.arange(100) / 3) + 0.05 * _ar1(100)
    X = np.empty((3, 0))
    expected = RecursiveForecaster(Ridge(alpha=1e-3), window=6, calibration_origins=9)
    expected = expected.fit(None, y).predict_interval(X)
    f = RecursiveForecaster(Ridge(alpha=1e-3), window=6, calibration_origins=9)
    f.fit(None, y)
    if change == "set_params":
        f.set_params(estimator__alpha=1e5)
    else:
        f.estimator.alpha = 1e5
    pd.testing.assert_frame_equal(f.predict_interval(X), expected)


def test_a_float32_coverage_means_the_value_it_stands_for():
    f = NaiveForecaster(calibration_origins=4).fit(None, _ar1(60))
    X = np.empty((2, 0))
    # 0.8 is 0.800000012 in float32: it asked for 5 origins and was refused.
    pd.testing.assert_frame_equal(
        f.predict_interval(X, coverage=np.float32(0.8)), f.predict_interval(X, 0.8)
    )
    f = NaiveForecaster(calibration_origins=9).fit(None, _ar1(60))
    pd.testing.assert_frame_equal(
        f.predict_interval(X, coverage=np.float32(0.6)), f.predict_interval(X, 0.6)
    )


def test_too_short_a_series_names_the_minimum_and_the_fix():
    f = RecursiveForecaster(LinearRegression(), window=4).fit(None, _ar1(30))
    # min_train_size 6, plus 20 origins and 5 steps: 6 + 20 + 5 - 1 = 30.
    assert f.predict_interval(np.empty((5, 0))).notna().all(axis=None)
    with pytest.raises(
        ValueError,
        match=r"at least 31 time points \(min_train_size\(\) \+ "
        r"calibration_origins \+ steps - 1\)\. Got 30\. Fit on a longer series, "
        r"forecast fewer steps, or set a smaller calibration_origins "
        r"\(at least 9 for coverage=0.9\)",
    ):
        f.predict_interval(np.empty((6, 0)))


def test_unfitted_and_bad_parameters():
    with pytest.raises(NotFittedError):
        NaiveForecaster().predict_interval(np.empty((2, 0)))
    with pytest.raises(InvalidParameterError, match="calibration_origins"):
        NaiveForecaster(calibration_origins=0).fit(None, _ar1(30))
    with pytest.raises(InvalidParameterError, match="calibration_origins"):
        RecursiveForecaster(LinearRegression(), calibration_origins=2.5).fit(
            None, _ar1(30)
        )
    with pytest.raises(InvalidParameterError, match="'intervals' parameter"):
        ARForecaster(intervals="bootstrap").fit(None, _ar1(30))
    with pytest.raises(InvalidParameterError, match="calibration_origins"):
        ARForecaster(intervals="conformal", calibration_origins=0).fit(None, _ar1(30))


# -- compare(..., coverage=...) ----------------------------------------------


def _compared(coverage=0.9):
    from skrnn import compare

    y = _monthly(_ar1(90, seed=11) + 10)
    models = {
        "AR": ARForecaster(lags=1),
        "Naive": NaiveForecaster(calibration_origins=9),
    }
    return y, compare(models, y, horizon=4, coverage=coverage, progress=False)


def test_compare_scores_the_intervals_of_every_model():
    from skrnn.metrics import mase

    y, report = _compared()
    assert report.coverage == 0.9
    assert {"lower", "upper"} <= set(report.forecasts.columns)
    # Fold 1 of the naive model, by hand.
    fold = report.folds.iloc[1]
    train = y[: fold["n_train"]]
    X = pd.DataFrame(index=y.index[fold["n_train"] : fold["n_train"] + 4])
    by_hand = NaiveForecaster(calibration_origins=9).fit(None, train)
    rows = report.forecasts.query("model == 'Naive' and fold == 1")
    np.testing.assert_allclose(rows["lower"], by_hand.predict_interval(X)["lower"])
    np.testing.assert_allclose(rows["upper"], by_hand.predict_interval(X)["upper"])
    # The scores, by hand from the stored intervals.
    scores = report.interval_scores()
    assert scores.index.tolist() == ["AR", "Naive"]
    rows = report.forecasts.query("model == 'AR'")
    lower, upper, truth = rows["lower"], rows["upper"], rows["y_true"]
    inside = ((lower <= truth) & (truth <= upper)).mean()
    miss = np.maximum(lower - truth, 0) + np.maximum(truth - upper, 0)
    score = (upper - lower + 20 * miss).to_numpy()
    scale = np.array(
        [
            mase(np.ones(1), np.zeros(1), y_train=report.train_values(f))
            for f in rows["fold"]
        ]
    )  # MASE of an error of 1: one over the in-sample naive error
    assert scores.loc["AR", "coverage"] == pytest.approx(inside)
    assert scores.loc["AR", "mean_width"] == pytest.approx((upper - lower).mean())
    assert scores.loc["AR", "interval_score"] == pytest.approx(score.mean())
    assert scores.loc["AR", "msis"] == pytest.approx((score * scale).mean())


def test_compare_draws_the_intervals_and_shows_their_table():
    _, report = _compared()
    _, plain = _compared(coverage=None)
    bands = report.plot("forecasts").axes[0].collections
    assert len(bands) == len(plain.plot("forecasts").axes[0].collections) + len(
        report.folds
    )
    page = report.to_html()
    assert 'id="intervals"' in page
    assert "MSIS" in page
    assert 'id="intervals"' not in plain.to_html()
    assert "lower" not in plain.forecasts.columns
    with pytest.raises(ValueError, match=r"compare\(\.\.\., coverage=0.9\)"):
        plain.interval_scores()


class _NoIntervals(BaseEstimator):
    """A forecaster from elsewhere without predict_interval."""

    def min_train_size(self):
        return 1

    def fit(self, X, y):
        self.last_ = float(np.asarray(y)[-1])
        return self

    def predict(self, X):
        return np.full(len(X), self.last_)


def test_compare_refuses_intervals_it_cannot_make():
    from skrnn import compare

    y = _ar1(60)
    with pytest.raises(ValueError, match=r"coverage must be in \(0, 1\)"):
        compare([NaiveForecaster()], y, horizon=3, coverage=90, progress=False)
    with pytest.raises(ValueError, match="'dummy' has no predict_interval"):
        compare(
            {"dummy": _NoIntervals(), "naive": NaiveForecaster()},
            y,
            horizon=3,
            coverage=0.9,
            progress=False,
        )


class _PointsFail(NaiveForecaster):
    """Finite intervals around NaN point forecasts."""

    def predict(self, X):
        return super().predict(X) * np.nan


def test_a_failed_model_has_no_interval_scores():
    # Unranked everywhere else, it won the interval table (MSIS 9.5 vs 19.8).
    from skrnn import compare

    y = pd.Series(np.sin(np.arange(80.0) / 3) + np.arange(80) / 30)
    models = {"AR": ARForecaster(2), "Bad": _PointsFail(calibration_origins=9)}
    report = compare(models, y, horizon=4, coverage=0.9, progress=False)
    assert set(report.failures["model"]) == {"Bad"}
    scores = report.interval_scores()
    assert scores.loc["Bad"].isna().all()
    assert scores.loc["AR"].notna().all()


def test_ar_conformal_intervals_count_the_exogenous_columns():
    # The length check counted no column; a refit then said "y has 20 time
    # points" of a series of 30.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(33, 16)), rng.normal(size=30)
    f = ARForecaster(lags=2, intervals="conformal", calibration_origins=9)
    f.fit(X[:30], y)
    with pytest.raises(
        ValueError,
        match=r"at least 32 time points \(21 with 16 exogenous columns \+ "
        r"calibration_origins \+ steps - 1\)\. Got 30",
    ):
        f.predict_interval(X[30:33])


def test_short_calibration_refits_of_a_network_do_not_warn():
    import warnings

    y = np.sin(np.arange(24) / 2)
    network = RNNRegressor(units=2, epochs=1, random_state=0)
    f = RecursiveForecaster(network, window=6, differences=0, calibration_origins=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f.fit(None, y).predict_interval(np.empty((2, 0)), coverage=0.8)
