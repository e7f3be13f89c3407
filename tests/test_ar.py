"""ARForecaster against statsmodels' AutoReg fitted directly."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.ar_model import AutoReg, ar_select_order

from skrnn import ARForecaster
from skrnn.datasets import load_sunspots


@pytest.fixture(scope="module")
def sunspots():
    return load_sunspots()


def test_fixed_lags_match_autoreg(sunspots):
    f = ARForecaster(lags=3, trend="ct").fit(None, sunspots)
    direct = AutoReg(sunspots.to_numpy(), lags=3, trend="ct").fit()
    np.testing.assert_allclose(f.results_[0].params, direct.params)
    np.testing.assert_allclose(
        f.forecast(11).to_numpy(),
        direct.predict(start=len(sunspots), end=len(sunspots) + 10),
    )


@pytest.mark.parametrize("ic", ["aic", "bic", "hqic"])
def test_information_criterion_picks_what_ar_select_order_picks(ic, sunspots):
    f = ARForecaster(lags=ic, maxlag=15).fit(None, sunspots)
    selection = ar_select_order(sunspots.to_numpy(), 15, ic=ic)
    assert f.ar_lags_[0] == list(selection.ar_lags)
    direct = AutoReg(sunspots.to_numpy(), lags=selection.ar_lags).fit()
    np.testing.assert_allclose(f.results_[0].params, direct.params)


def test_seasonal_terms_and_exogenous_regressors_match_autoreg():
    rng = np.random.default_rng(0)
    n = 120
    promo = rng.integers(0, 2, n).astype(float)
    y = 5 + np.tile(np.arange(12.0), 10) / 4 + 2 * promo + rng.normal(0, 0.3, n)
    X = pd.DataFrame({"promo": promo})
    f = ARForecaster(lags=2, seasonal=True, period=12).fit(X[:108], y[:108])
    direct = AutoReg(
        y[:108], lags=2, seasonal=True, period=12, exog=promo[:108, None]
    ).fit()
    np.testing.assert_allclose(f.results_[0].params, direct.params)
    expected = direct.predict(start=108, end=119, exog_oos=promo[108:, None])
    np.testing.assert_allclose(f.predict(X[108:]), expected)


def test_prediction_intervals_are_statsmodels_intervals(sunspots):
    f = ARForecaster(lags=2).fit(None, sunspots)
    X = pd.DataFrame(index=pd.period_range("2009", periods=5, freq="Y"))
    intervals = f.predict_interval(X, coverage=0.8)
    direct = AutoReg(sunspots.to_numpy(), lags=2).fit()
    bounds = direct.get_prediction(start=len(sunspots), end=len(sunspots) + 4).conf_int(
        alpha=0.2
    )
    np.testing.assert_allclose(intervals.to_numpy(), bounds)
    assert (intervals["lower"] < f.predict(X)).all()
    assert (f.predict(X) < intervals["upper"]).all()
    pd.testing.assert_index_equal(intervals.index, X.index)
    wider = f.predict_interval(X, coverage=0.95)
    assert (
        wider["upper"] - wider["lower"] > intervals["upper"] - intervals["lower"]
    ).all()


def test_several_series_get_one_model_each(sunspots):
    y = pd.DataFrame(
        {"a": sunspots, "b": sunspots.to_numpy()[::-1]}, index=sunspots.index
    )
    f = ARForecaster(lags=2).fit(None, y)
    assert len(f.results_) == 2
    alone = ARForecaster(lags=2).fit(None, y["b"])
    np.testing.assert_allclose(f.forecast(4)["b"], alone.forecast(4))
    assert f.predict_interval(np.empty((4, 0))).columns.tolist() == [
        ("a", "lower"),
        ("a", "upper"),
        ("b", "lower"),
        ("b", "upper"),
    ]


def test_bad_parameters_and_short_series(sunspots):
    with pytest.raises(ValueError, match="set period"):
        ARForecaster(seasonal=True).fit(None, sunspots)
    with pytest.raises(ValueError, match=r"needs at least 11.*fewer lags"):
        ARForecaster(lags=4).fit(None, sunspots[:9])
    with pytest.raises(ValueError, match="coverage must be in"):
        ARForecaster(lags=1).fit(None, sunspots).predict_interval(
            np.empty((2, 0)), coverage=90
        )
