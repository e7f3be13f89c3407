"""Contract checks every skrnn forecaster must pass.

A new forecaster is checked by adding one line to ``FORECASTERS``.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression

from skrnn import ARForecaster, NaiveForecaster, RecursiveForecaster, RNNRegressor
from skrnn.forecasting._base import BaseForecaster

# One line per forecaster: (id, a fast instance).
FORECASTERS = [
    ("naive-last", NaiveForecaster()),
    ("naive-seasonal", NaiveForecaster("seasonal_last", period=4)),
    ("naive-drift", NaiveForecaster("drift")),
    ("ar", ARForecaster(lags=2)),
    ("ar-aic", ARForecaster(lags="aic", maxlag=3)),
    ("recursive-linear", RecursiveForecaster(LinearRegression(), window=4)),
    (
        "recursive-rnn",
        RecursiveForecaster(
            RNNRegressor(units=4, epochs=3, random_state=0), window=4, differences=1
        ),
    ),
]
IDS = [name for name, _ in FORECASTERS]
INSTANCES = [forecaster for _, forecaster in FORECASTERS]


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
