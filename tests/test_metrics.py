"""Tests of skrnn.metrics: forecast errors and their scikit-learn scorers."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, root_mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skrnn.metrics import get_scorer, mae, mase, rmse, smape

METRICS = [mae, rmse, smape]


def _mase_seasonal_1(y_true, y_pred, **kwargs):
    y_train = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 4.0, 6.0])
    if np.ndim(y_true) == 2:
        y_train = np.tile(y_train[:, None], (1, np.shape(y_true)[1]))
    return mase(y_true, y_pred, y_train=y_train, **kwargs)


ALL_METRICS = [mae, rmse, smape, _mase_seasonal_1]


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    y_true = rng.normal(10.0, 3.0, size=(30, 3))
    y_pred = y_true + rng.normal(0.0, 1.0, size=(30, 3))
    return y_true, y_pred


# --- values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "reference"),
    [(mae, mean_absolute_error), (rmse, root_mean_squared_error)],
)
@pytest.mark.parametrize(
    "multioutput", ["raw_values", "uniform_average", [0.2, 0.3, 0.5]]
)
def test_matches_sklearn(pair, metric, reference, multioutput):
    y_true, y_pred = pair
    np.testing.assert_allclose(
        metric(y_true, y_pred, multioutput=multioutput),
        reference(y_true, y_pred, multioutput=multioutput),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        metric(y_true[:, 0], y_pred[:, 0]),
        reference(y_true[:, 0], y_pred[:, 0]),
        rtol=1e-12,
    )


def test_hand_computed_values():
    y_true = np.array([3.0, -1.0, 2.0, 8.0])
    y_pred = np.array([2.0, 1.0, 2.0, 4.0])
    # Absolute errors 1, 2, 0, 4.
    assert mae(y_true, y_pred) == pytest.approx(7 / 4)
    assert rmse(y_true, y_pred) == pytest.approx(np.sqrt(21 / 4))
    # 200 * |e| / (|y| + |yhat|): 200/5, 400/2, 0, 800/12.
    assert smape(y_true, y_pred) == pytest.approx((40 + 200 + 0 + 800 / 12) / 4)
    # Naive in-sample errors of [1, 3, 2, 6] are 2, 1, 4: scale 7/3.
    y_train = [1.0, 3.0, 2.0, 6.0]
    assert mase(y_true, y_pred, y_train=y_train) == pytest.approx((7 / 4) / (7 / 3))


def test_smape_zero_over_zero_and_bounds():
    assert smape([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert smape([0.0, 4.0], [0.0, 4.0]) == 0.0
    # Exactly one of observation and forecast at 0 gives the maximum, 200.
    assert smape([0.0, 5.0], [3.0, 0.0]) == 200.0
    assert smape([0.0, 2.0], [0.0, 1.0]) == pytest.approx((0 + 200 / 3) / 2)
    # Opposite signs also give 200.
    assert smape([1.0], [-1.0]) == 200.0


def test_smape_swapping_observation_and_forecast(pair):
    y_true, y_pred = pair
    assert smape(y_true, y_pred) == pytest.approx(smape(y_pred, y_true))


def test_mase_seasonal_period():
    rng = np.random.default_rng(1)
    y_train = rng.normal(size=40).cumsum()
    y_true = rng.normal(size=6)
    y_pred = rng.normal(size=6)
    scale = np.mean(np.abs(y_train[12:] - y_train[:-12]))
    expected = np.mean(np.abs(y_true - y_pred)) / scale
    got = mase(y_true, y_pred, y_train=y_train, seasonal_period=12)
    assert got == pytest.approx(expected)


def test_mase_of_the_naive_forecast_in_sample_is_one():
    y_train = np.sin(np.arange(50) / 3.0) + np.arange(50) / 10.0
    for m in (1, 4, 12):
        score = mase(y_train[m:], y_train[:-m], y_train=y_train, seasonal_period=m)
        assert score == pytest.approx(1.0)


def test_mase_scales_each_output_by_its_own_training_series():
    y_train = np.column_stack([[0.0, 1.0, 2.0, 3.0], [0.0, 10.0, 20.0, 30.0]])
    y_true = np.array([[4.0, 40.0], [5.0, 50.0]])
    y_pred = np.array([[3.0, 30.0], [5.0, 50.0]])
    raw = mase(y_true, y_pred, y_train=y_train, multioutput="raw_values")
    # MAE 0.5 and 5, naive scales 1 and 10.
    np.testing.assert_allclose(raw, [0.5, 0.5])
    assert mase(y_true, y_pred, y_train=y_train) == pytest.approx(0.5)
    weighted = mase(y_true, y_pred, y_train=y_train, multioutput=[1.0, 0.0])
    assert weighted == pytest.approx(0.5)


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_multioutput_options(pair, metric):
    y_true, y_pred = pair
    raw = metric(y_true, y_pred, multioutput="raw_values")
    assert isinstance(raw, np.ndarray)
    assert raw.shape == (3,)
    for j in range(3):
        assert raw[j] == pytest.approx(metric(y_true[:, j], y_pred[:, j]))
    average = metric(y_true, y_pred)
    assert isinstance(average, float)
    assert average == pytest.approx(raw.mean())
    weights = [1.0, 0.0, 3.0]
    weighted = metric(y_true, y_pred, multioutput=weights)
    assert weighted == pytest.approx((raw[0] + 3 * raw[2]) / 4)
    # A 1-D series and a single column are the same.
    single = metric(y_true[:, :1], y_pred[:, :1], multioutput="raw_values")
    assert single == pytest.approx(metric(y_true[:, 0], y_pred[:, 0]))


def test_weights_only_on_outputs_without_values_are_refused():
    # numpy's ZeroDivisionError ("Weights sum to zero") named no output.
    from skrnn.metrics import mae

    y_true = [[1.0, np.nan], [2.0, np.nan]]
    with pytest.raises(ValueError, match=r"have no observed value.*outputs without"):
        mae(y_true, [[5.0, 0.0], [5.0, 0.0]], multioutput=[0.0, 1.0])
    assert mae(y_true, [[5.0, 0.0], [5.0, 0.0]], multioutput=[1.0, 1.0]) == 3.5


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_pandas_input_is_compared_by_position(pair, metric):
    y_true, y_pred = pair
    expected = metric(y_true, y_pred)
    months = pd.period_range("2000-01", periods=30, freq="M")
    frame_true = pd.DataFrame(y_true, index=months)
    # Another index: values are matched by position, never aligned.
    frame_pred = pd.DataFrame(y_pred, index=np.arange(30)[::-1])
    assert metric(frame_true, frame_pred) == pytest.approx(expected)
    series = metric(pd.Series(y_true[:, 0], index=months), pd.Series(y_pred[:, 0]))
    assert series == pytest.approx(metric(y_true[:, 0], y_pred[:, 0]))


def test_mase_accepts_a_pandas_training_series():
    y_train = pd.Series([1.0, 3.0, 2.0, 6.0], index=pd.RangeIndex(10, 14))
    assert mase([3.0], [2.0], y_train=y_train) == pytest.approx(3 / 7)


# --- errors -----------------------------------------------------------------


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_mismatched_lengths_are_refused(metric):
    msg = "`y_true` and `y_pred` must have the same number of time points. Got 3 and 2"
    with pytest.raises(ValueError, match=re.escape(msg)):
        metric([1.0, 2.0, 3.0], [1.0, 2.0])


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_mismatched_outputs_are_refused(metric):
    with pytest.raises(ValueError, match=r"same number of outputs.*Got 1 and 2"):
        metric([1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("metric", ALL_METRICS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["y_true", "y_pred"])
def test_non_finite_values_are_refused(metric, bad, where):
    good = np.array([1.0, 2.0, 3.0])
    broken = good.copy()
    broken[1] = bad
    what = "NaN" if np.isnan(bad) else "infinity"
    args = (broken, good) if where == "y_true" else (good, broken)
    msg = f"`{where}` must contain only finite values. Got {what} at row 1"
    with pytest.raises(ValueError, match=re.escape(msg)):
        metric(*args)


def test_pandas_missing_values_are_refused():
    y_true = pd.Series([1.0, None, 3.0], dtype="Float64")
    with pytest.raises(ValueError, match="`y_true` must contain only finite"):
        mae(y_true, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_cells_after_a_series_ends_are_left_out(metric):
    # A panel in a test window: the second series ended two steps in.
    y_true = np.array([[1.0, 5.0], [2.0, 6.0], [3.0, np.nan], [4.0, np.nan]])
    y_pred = np.array([[1.5, 4.0], [2.5, 7.0], [2.0, np.nan], [4.0, 9.0]])
    raw = metric(y_true, y_pred, multioutput="raw_values")
    each = [metric(y_true[:, 0], y_pred[:, 0]), metric(y_true[:2, 1], y_pred[:2, 1])]
    np.testing.assert_allclose(raw, each)
    assert metric(y_true, y_pred) == pytest.approx(np.mean(raw))
    # A series without any observation is left out of the average.
    y_true[:, 1] = np.nan
    assert np.isnan(metric(y_true, y_pred, multioutput="raw_values")[1])
    assert metric(y_true, y_pred) == pytest.approx(raw[0])
    with pytest.raises(ValueError, match="no observed value"):
        metric(np.full((2, 1), np.nan), np.ones((2, 1)))


def test_a_forecast_missing_where_there_is_an_observation_is_refused():
    with pytest.raises(ValueError, match=r"`y_pred` .* NaN at row 1.*check the model"):
        mae([1.0, 2.0, np.nan], [1.0, np.nan, np.nan])


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_empty_input_is_refused(metric):
    with pytest.raises(ValueError, match="at least one time point"):
        metric([], [])


@pytest.mark.parametrize(
    ("y", "got"),
    [(1.0, "Got a scalar"), (np.ones((2, 2, 2)), r"Got shape \(2, 2, 2\)")],
)
def test_wrong_dimensions_are_refused(y, got):
    with pytest.raises(ValueError, match=r"`y_true` must be 1-D .* or 2-D .*" + got):
        mae(y, y)


def test_non_numeric_input_is_refused():
    with pytest.raises(ValueError, match="`y_pred` must contain numbers"):
        mae([1.0, 2.0], ["a", "b"])


@pytest.mark.parametrize("metric", ALL_METRICS)
@pytest.mark.parametrize(
    ("multioutput", "msg"),
    [
        ("variance_weighted", "must be 'raw_values', 'uniform_average' or an array"),
        ([1.0, -1.0], "finite, non-negative numbers with a positive sum"),
        ([0.0, 0.0], "finite, non-negative numbers with a positive sum"),
        ([1.0, 2.0, 3.0], r"one weight per output \(2\). Got 3 weights"),
    ],
)
def test_bad_multioutput_is_refused(metric, multioutput, msg):
    y = np.ones((4, 2))
    with pytest.raises(ValueError, match=msg):
        metric(y, y + 1.0, multioutput=multioutput)


def test_mase_training_series_shorter_than_a_season_is_refused():
    msg = "`y_train` must be longer than `seasonal_period` (12)"
    with pytest.raises(ValueError, match=re.escape(msg)) as info:
        mase([1.0], [2.0], y_train=np.arange(12.0), seasonal_period=12)
    assert "Got 12 observed time points instead" in str(info.value)
    with pytest.raises(ValueError, match=re.escape("(1)")):
        mase([1.0], [2.0], y_train=[])


def test_mase_scales_each_series_of_a_ragged_panel_on_its_own_span():
    # A series that starts late and one that ends early: NaN edges, as in
    # the y_train_ of a forecaster fitted on a panel.
    late = [np.nan, 0.0, 1.0, 3.0, 2.0, 6.0]
    early = [1.0, 2.0, 4.0, 8.0, np.nan, np.nan]
    y_train = np.column_stack([late, early])
    y_true, y_pred = np.array([[3.0, 10.0]]), np.array([[2.0, 8.0]])
    raw = mase(y_true, y_pred, y_train=y_train, multioutput="raw_values")
    np.testing.assert_allclose(raw, [1.0 / 2.0, 2.0 / (7 / 3)])
    # The shortest observed span is the one checked against the season.
    msg = "Got 4 observed time points (output 1)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        mase(y_true, y_pred, y_train=y_train, seasonal_period=4)


def test_mase_refuses_a_gap_inside_a_training_series():
    with pytest.raises(ValueError, match="Got NaN at row 2"):
        mase([1.0], [2.0], y_train=[1.0, 2.0, np.nan, 3.0])


@pytest.mark.parametrize(
    ("y_train", "seasonal_period", "got"),
    [
        ([3.0, 3.0, 3.0], 1, "Got 0 for seasonal_period=1"),
        ([1.0, 2.0, 1.0, 2.0, 1.0], 2, "Got 0 for seasonal_period=2"),
        ([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]], 1, r"Got 0 \(output 1\)"),
    ],
)
def test_mase_zero_scale_is_refused(y_train, seasonal_period, got):
    y = np.ones((2, np.shape(y_train)[1])) if np.ndim(y_train) == 2 else [1.0, 2.0]
    with pytest.raises(ValueError, match="MASE is undefined") as info:
        mase(y, y, y_train=y_train, seasonal_period=seasonal_period)
    assert re.search(got, str(info.value))


def test_mase_training_outputs_must_match():
    with pytest.raises(ValueError, match=r"same number of outputs .* \(1\). Got 2"):
        mase([1.0, 2.0], [1.0, 2.0], y_train=np.ones((5, 2)))


@pytest.mark.parametrize("seasonal_period", [0, -1, 1.5, True, "12"])
def test_mase_bad_seasonal_period_is_refused(seasonal_period):
    with pytest.raises(ValueError, match="`seasonal_period` must be a positive int"):
        mase([1.0], [2.0], y_train=np.arange(20.0), seasonal_period=seasonal_period)


# --- scorers ----------------------------------------------------------------


class _RegressorKeepingTarget(LinearRegression):
    """Stand-in for a skrnn forecaster: keeps the training target as y_train_."""

    def fit(self, X, y, sample_weight=None):
        super().fit(X, y, sample_weight=sample_weight)
        self.y_train_ = y
        return self


@pytest.fixture
def series():
    rng = np.random.default_rng(42)
    t = np.arange(72.0)
    X = np.column_stack([t, np.sin(2 * np.pi * t / 12), np.cos(2 * np.pi * t / 12)])
    y = 0.3 * t + 2.0 * X[:, 1] + rng.normal(0.0, 0.5, size=t.size)
    return X, y


@pytest.mark.parametrize("name", ["mae", "rmse", "smape", "mase"])
def test_scorer_is_the_negated_metric(series, name):
    X, y = series
    model = _RegressorKeepingTarget().fit(X[:60], y[:60])
    y_pred = model.predict(X[60:])
    metric = {"mae": mae, "rmse": rmse, "smape": smape, "mase": mase}[name]
    kwargs = {"y_train": y[:60]} if name == "mase" else {}
    expected = -metric(y[60:], y_pred, **kwargs)
    assert get_scorer(name)(model, X[60:], y[60:]) == pytest.approx(expected)


def test_scorers_in_cross_validate_score_each_fold(series):
    X, y = series
    cv = TimeSeriesSplit(n_splits=3, test_size=12)
    scoring = {
        "mae": get_scorer("mae"),
        "rmse": get_scorer("rmse"),
        "smape": get_scorer("smape"),
        "mase": get_scorer("mase", seasonal_period=12),
    }
    result = cross_validate(
        _RegressorKeepingTarget(), X, y, cv=cv, scoring=scoring, error_score="raise"
    )
    for fold, (train, test) in enumerate(cv.split(X)):
        y_pred = LinearRegression().fit(X[train], y[train]).predict(X[test])
        y_true = y[test]
        assert result["test_mae"][fold] == pytest.approx(-mae(y_true, y_pred))
        assert result["test_rmse"][fold] == pytest.approx(-rmse(y_true, y_pred))
        assert result["test_smape"][fold] == pytest.approx(-smape(y_true, y_pred))
        expected = -mase(y_true, y_pred, y_train=y[train], seasonal_period=12)
        assert result["test_mase"][fold] == pytest.approx(expected)
    assert (result["test_mase"] < 0).all()


def test_mase_scorer_in_grid_search(series):
    X, y = series
    cv = TimeSeriesSplit(n_splits=2, test_size=12)
    grid = {"fit_intercept": [True, False]}
    scorer = get_scorer("mase", seasonal_period=12)
    search = GridSearchCV(
        _RegressorKeepingTarget(), grid, scoring=scorer, cv=cv, error_score="raise"
    ).fit(X, y)
    for i, params in enumerate(search.cv_results_["params"]):
        for fold, (train, test) in enumerate(cv.split(X)):
            model = LinearRegression(**params).fit(X[train], y[train])
            expected = -mase(
                y[test], model.predict(X[test]), y_train=y[train], seasonal_period=12
            )
            got = search.cv_results_[f"split{fold}_test_score"][i]
            assert got == pytest.approx(expected)
    # After refit, the search itself can be scored: y_train_ of best_estimator_.
    expected = -mase(
        y,
        search.predict(X),
        y_train=search.best_estimator_.y_train_,
        seasonal_period=12,
    )
    assert scorer(search, X, y) == pytest.approx(expected)


def test_mase_scorer_looks_through_a_pipeline(series):
    X, y = series
    pipe = make_pipeline(StandardScaler(), _RegressorKeepingTarget()).fit(
        X[:60], y[:60]
    )
    expected = -mase(y[60:], pipe.predict(X[60:]), y_train=y[:60])
    assert get_scorer("mase")(pipe, X[60:], y[60:]) == pytest.approx(expected)


def test_mase_scorer_scores_a_forecaster_fitted_on_a_ragged_panel():
    from skrnn import NaiveForecaster

    rng = np.random.default_rng(0)
    index = pd.period_range("2000-01", periods=40, freq="M")
    panel = pd.DataFrame(rng.normal(size=(40, 2)).cumsum(axis=0), index=index)
    panel.iloc[:10, 1] = np.nan  # the second series starts later
    model = NaiveForecaster().fit(None, panel.iloc[:32])
    test = panel.iloc[32:]
    expected = -mase(test, model.predict(test.iloc[:, :0]), y_train=panel.iloc[:32])
    assert np.isfinite(expected)
    assert get_scorer("mase")(model, test.iloc[:, :0], test) == pytest.approx(expected)


def test_mase_scorer_without_training_target_names_y_train_(series):
    X, y = series
    cv = TimeSeriesSplit(n_splits=2, test_size=12)
    with pytest.raises(TypeError, match="LinearRegression without `y_train_`"):
        cross_validate(
            LinearRegression(),
            X,
            y,
            cv=cv,
            scoring=get_scorer("mase"),
            error_score="raise",
        )


def test_mase_scorer_reads_a_pandas_training_target(series):
    X, y = series
    index = pd.period_range("2000-01", periods=len(y), freq="M")
    y = pd.Series(y, index=index)
    model = _RegressorKeepingTarget().fit(X[:60], y.iloc[:60])
    expected = -mase(y.iloc[60:], model.predict(X[60:]), y_train=y.iloc[:60])
    assert get_scorer("mase")(model, X[60:], y.iloc[60:]) == pytest.approx(expected)


def test_scorer_multioutput_weights(series):
    X, y = series
    Y = np.column_stack([y, 2.0 * y + 1.0])
    model = _RegressorKeepingTarget().fit(X[:60], Y[:60])
    y_pred = model.predict(X[60:])
    weights = [0.25, 0.75]
    expected = -mae(Y[60:], y_pred, multioutput=weights)
    got = get_scorer("mae", multioutput=weights)(model, X[60:], Y[60:])
    assert got == pytest.approx(expected)
    expected = -mase(Y[60:], y_pred, y_train=Y[:60], multioutput=weights)
    got = get_scorer("mase", multioutput=weights)(model, X[60:], Y[60:])
    assert got == pytest.approx(expected)


def test_scorer_repr():
    assert repr(get_scorer("mase")) == "get_scorer('mase')"
    assert (
        repr(get_scorer("mase", seasonal_period=12, multioutput=[1, 2]))
        == "get_scorer('mase', seasonal_period=12, multioutput=[1, 2])"
    )
    assert repr(get_scorer("smape")).startswith("make_scorer(smape,")
    assert "greater_is_better=False" in repr(get_scorer("rmse"))


@pytest.mark.parametrize("name", ["mae", "mase"])
def test_scorers_pickle(series, name):
    # joblib sends scorers to worker processes (n_jobs > 1).
    X, y = series
    model = _RegressorKeepingTarget().fit(X[:60], y[:60])
    scorer = get_scorer(name)
    restored = pickle.loads(pickle.dumps(scorer))
    assert restored(model, X[60:], y[60:]) == scorer(model, X[60:], y[60:])


@pytest.mark.parametrize(
    ("name", "msg"),
    [
        ("neg_mae", "Got 'neg_mae' instead; .* so use 'mae'"),
        ("r2", "Got 'r2' instead; for scikit-learn's scorers use sklearn"),
        ("MAE", "`name` must be one of 'mae', 'mase', 'rmse', 'smape'. Got 'MAE'"),
        (None, "Got None instead."),
    ],
)
def test_get_scorer_unknown_name(name, msg):
    with pytest.raises(ValueError, match=msg):
        get_scorer(name)


def test_get_scorer_refuses_unknown_options():
    with pytest.raises(TypeError, match="accepts the keyword arguments multioutput"):
        get_scorer("mae", seasonal_period=12)
    with pytest.raises(TypeError, match="Got y_train instead"):
        get_scorer("mase", y_train=[1.0, 2.0])


def test_get_scorer_checks_options_at_once():
    with pytest.raises(ValueError, match="A scorer must return one number"):
        get_scorer("rmse", multioutput="raw_values")
    with pytest.raises(ValueError, match="`seasonal_period` must be a positive int"):
        get_scorer("mase", seasonal_period=0)
    with pytest.raises(ValueError, match="`multioutput` must be"):
        get_scorer("mase", multioutput="mean")
