"""Contract checks every skrnn forecaster must pass.

The forecasters are those of tests/_forecasters.py: a new forecaster is
checked by adding one line to its ``FORECASTERS``.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from _forecasters import IDS, INSTANCES
from sklearn.base import clone
from sklearn.linear_model import LinearRegression

from skrnn import RecursiveForecaster, RNNRegressor
from skrnn.forecasting._base import BaseForecaster


def _series(n=60, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 10 + 0.1 * t + np.sin(t / 3) + rng.normal(0, 0.1, n)
    return pd.Series(
        values, index=pd.date_range("2020-01-01", periods=n, freq="MS"), name="y"
    )


# -- the public attributes of the contract (min_train_size, y_train_, history_)


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
def test_min_train_size_is_the_shortest_series_fit_accepts(forecaster):
    minimum = forecaster.min_train_size()
    assert isinstance(minimum, int)
    assert minimum >= 1
    y = _series()
    clone(forecaster).fit(None, y[:minimum])
    if minimum > 1:
        with pytest.raises(ValueError, match=f"needs at least {minimum}"):
            clone(forecaster).fit(None, y[: minimum - 1])


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
def test_y_train_and_history_are_fitted_attributes(forecaster):
    y = _series()
    f = clone(forecaster).fit(None, y)
    pd.testing.assert_series_equal(f.y_train_, y)
    history = f.history_
    if isinstance(getattr(f, "estimator_", None), RNNRegressor):
        assert history == f.estimator_.history_
        assert len(history["loss"]) == f.estimator_.n_epochs_
    else:
        assert history is None


def test_private_min_train_size_is_a_deprecated_alias():
    f = RecursiveForecaster(LinearRegression(), window=5, differences=1)
    with pytest.warns(FutureWarning, match="min_train_size"):
        assert f._min_train_size() == f.min_train_size() == 8


class _LegacyForecaster(BaseForecaster):
    """Written against the former private hook."""

    _parameter_constraints: dict = {}

    def _min_train_size(self):
        return 5

    def _fit(self, y, exog):
        self._last = y[-1]

    def _forecast(self, steps, exog):
        return np.tile(self._last, (steps, 1))


def test_a_subclass_overriding_the_private_hook_still_works_with_a_warning():
    with (
        pytest.warns(FutureWarning, match="override the public `min_train_size`"),
        pytest.raises(ValueError, match="needs at least 5"),
    ):
        _LegacyForecaster().fit(None, np.arange(4.0))


def test_compare_refuses_a_fold_shorter_than_min_train_size_without_warnings():
    from skrnn import compare

    y = _series(40)
    model = RecursiveForecaster(LinearRegression(), window=31)  # needs 33
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the public method, not the alias
        with pytest.raises(ValueError, match="needs at least 33 training points"):
            compare({"rf": model}, y, horizon=4, cv=2, progress=False)


def test_compare_reads_the_training_curves_from_history_():
    from skrnn import compare

    y = _series(48)
    model = RecursiveForecaster(
        RNNRegressor(units=4, epochs=3, random_state=0), window=4
    )
    report = compare({"rnn": model}, y, horizon=4, cv=2, progress=False)
    assert len(report.histories) == 2 * 3  # folds x epochs
    assert set(report.histories["model"]) == {"rnn"}


# -- skrnn's contract checks, over every forecaster ----------------------------


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
def test_clone_and_params_round_trip(forecaster):
    params = forecaster.get_params(deep=True)
    copy = clone(forecaster)
    assert copy is not forecaster
    assert type(copy) is type(forecaster)
    assert repr(copy.get_params(deep=True)) == repr(params)
    fitted = clone(forecaster).fit(None, _series())
    unfitted = clone(fitted)
    assert not hasattr(unfitted, "y_train_")
    assert not hasattr(unfitted, "time_axis_")
    # set_params round trip, nested parameters included.
    shallow = forecaster.get_params(deep=False)
    name = next(iter(shallow))
    assert copy.set_params(**{name: shallow[name]}) is copy
    nested = {k: v for k, v in params.items() if "__" in k}
    if nested:
        key = next(iter(nested))
        copy.set_params(**{key: nested[key]})
        assert copy.get_params(deep=True)[key] == nested[key]
    with pytest.raises(ValueError, match="Invalid parameter"):
        copy.set_params(not_a_parameter=1)


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
def test_grid_search_with_time_series_split_scores_true_forecasts(forecaster):
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from skrnn.metrics import get_scorer, rmse

    y = _series(60)
    X = pd.DataFrame(index=y.index)
    shallow = forecaster.get_params(deep=False)
    name = next(iter(shallow))
    cv = TimeSeriesSplit(n_splits=2, test_size=6)
    search = GridSearchCV(
        forecaster, {name: [shallow[name]]}, cv=cv, scoring=get_scorer("rmse")
    ).fit(X, y)
    train, test = list(cv.split(X))[1]
    by_hand = clone(forecaster).fit(X.iloc[train], y.iloc[train])
    expected = -rmse(y.iloc[test], by_hand.predict(X.iloc[test]))
    np.testing.assert_allclose(search.cv_results_["split1_test_score"][0], expected)
    # The refitted best model forecasts past the whole series.
    assert search.best_estimator_.forecast(2).index[0] == pd.Timestamp("2025-01-01")


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
def test_pickle_round_trip_forecasts_the_same(forecaster):
    import pickle

    f = clone(forecaster).fit(None, _series())
    restored = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(restored.forecast(5), f.forecast(5))
    assert restored.get_params(deep=False).keys() == f.get_params(deep=False).keys()


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2020-01-01", periods=60, freq="MS"),
        pd.period_range("2020Q1", periods=60, freq="Q"),
        pd.RangeIndex(100, 160),
    ],
    ids=["datetime", "period", "range"],
)
def test_forecast_index_continues_the_training_index(forecaster, index):
    y = pd.Series(_series().to_numpy(), index=index, name="level")
    f = clone(forecaster).fit(None, y[:48])
    ahead = f.forecast(12)
    pd.testing.assert_index_equal(ahead.index, index[48:])
    assert ahead.name == "level"
    assert ahead.dtype == np.float64
    X = pd.DataFrame(index=index)
    pd.testing.assert_series_equal(f.predict(X[48:]), ahead)


def _state(forecaster):
    """The fitted attributes, by name and identity (a failed call must not
    replace any of them)."""
    return {name: id(value) for name, value in vars(forecaster).items()}


@pytest.mark.parametrize("forecaster", INSTANCES, ids=IDS)
def test_bad_input_leaves_the_model_and_the_data_untouched(forecaster):
    y = _series()
    X = pd.DataFrame(index=y.index)
    f = clone(forecaster).fit(X[:48], y[:48])
    before, forecast = _state(f), f.forecast(6)
    y_copy = y.copy()
    nan_y = y.copy()
    nan_y.iloc[3] = np.nan
    bad_calls = [
        (lambda: f.fit(None, nan_y), "contains NaN"),
        (lambda: f.fit(None, y[:1].iloc[:0]), "0 sample|at least"),
        (lambda: f.fit(None, y.iloc[::-1]), "not sorted"),
        (lambda: f.predict(X[30:40]), "only time points of the training data"),
        (lambda: f.predict(X[44:52]), "at or before the end of the training"),
        (lambda: f.predict(np.ones((3, 2))), "X has 2 features, but"),
        (lambda: f.forecast(0), "positive int"),
        (lambda: f.forecast(3, X=np.ones((3, 1))), "X has 1 features, but"),
    ]
    for call, message in bad_calls:
        with pytest.raises(ValueError, match=message):
            call()
        assert _state(f) == before, message
    pd.testing.assert_series_equal(f.forecast(6), forecast)
    pd.testing.assert_series_equal(y, y_copy)
    assert np.isnan(nan_y.iloc[3])
