"""NaiveForecaster's strategies."""

import numpy as np
import pandas as pd
import pytest

from skrnn import NaiveForecaster

Y = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 6.0])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (dict(strategy="last"), [6, 6, 6, 6]),
        (dict(strategy="mean"), [3.5, 3.5, 3.5, 3.5]),
        (dict(strategy="drift"), [7, 8, 9, 10]),  # (6 - 1) / 5 per step
        (dict(strategy="seasonal_last", period=3), [5, 4, 6, 5]),
    ],
)
def test_strategies(params, expected):
    np.testing.assert_allclose(
        NaiveForecaster(**params).fit(None, Y).forecast(4), expected
    )


def test_exogenous_columns_are_accepted_and_ignored():
    X = np.arange(12.0).reshape(6, 2)
    f = NaiveForecaster().fit(X, Y)
    np.testing.assert_allclose(f.predict(np.ones((2, 2))), [6, 6])


def test_bad_parameters():
    with pytest.raises(ValueError, match="set period"):
        NaiveForecaster("seasonal_last").fit(None, Y)
    with pytest.raises(ValueError, match="needs at least 12"):
        NaiveForecaster("seasonal_last", period=12).fit(None, Y)
    with pytest.raises(ValueError, match="'strategy' parameter"):
        NaiveForecaster("median").fit(None, Y)


def test_regressors_it_does_not_read_do_not_stop_a_forecast_after_a_gap():
    index = pd.period_range("2000-01", periods=30, freq="M")
    y = pd.Series(np.arange(30.0), index=index)
    X = pd.DataFrame({"x": np.ones(30)}, index=index)
    model = NaiveForecaster().fit(X.iloc[:24], y.iloc[:24])
    later = model.predict(X.iloc[27:])
    assert later.index.equals(index[27:])
    assert (later == 23.0).all()
