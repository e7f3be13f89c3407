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


def _standardised(y):
    return (y - y.mean()) / y.std()


def test_fixed_lags_match_autoreg(sunspots):
    f = ARForecaster(lags=3, trend="ct").fit(None, sunspots)
    direct = AutoReg(sunspots.to_numpy(), lags=3, trend="ct").fit()
    # results_ is the fit of the standardised series: same lag coefficients.
    np.testing.assert_allclose(f.results_[0].params[2:], direct.params[2:])
    on_standardised = AutoReg(_standardised(sunspots.to_numpy()), lags=3, trend="ct")
    np.testing.assert_allclose(f.results_[0].params, on_standardised.fit().params)
    np.testing.assert_allclose(f.y_center_, [sunspots.mean()])
    np.testing.assert_allclose(f.y_scale_, [sunspots.std(ddof=0)])
    np.testing.assert_allclose(
        f.forecast(11).to_numpy(),
        direct.predict(start=len(sunspots), end=len(sunspots) + 10),
    )


@pytest.mark.parametrize("ic", ["aic", "bic", "hqic"])
def test_information_criterion_picks_what_ar_select_order_picks(ic, sunspots):
    f = ARForecaster(lags=ic, maxlag=15).fit(None, sunspots)
    selection = ar_select_order(sunspots.to_numpy(), 15, ic=ic)
    assert f.ar_lags_[0] == list(selection.ar_lags)
    direct = AutoReg(_standardised(sunspots.to_numpy()), lags=selection.ar_lags)
    np.testing.assert_allclose(f.results_[0].params, direct.fit().params)


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
    # Lag coefficients are unit-free; the exogenous one is in standardised units.
    np.testing.assert_allclose(f.results_[0].params[-3:-1], direct.params[-3:-1])
    np.testing.assert_allclose(
        f.results_[0].params[-1] * f.y_scale_[0] / f.exog_scale_[0],
        direct.params[-1],
    )
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
    # statsmodels said "11 regressors (1 trend, 0 seasonal, 2 lags)".
    rng = np.random.default_rng(0)
    with pytest.raises(
        ValueError, match=r"y has 10 time points.*8 exogenous columns needs at least 13"
    ):
        ARForecaster(lags=2).fit(rng.normal(size=(10, 8)), rng.normal(size=10))
    ARForecaster(lags=2).fit(rng.normal(size=(10, 4)), rng.normal(size=10))


@pytest.mark.filterwarnings(
    "error::statsmodels.tools.sm_exceptions.SingularMatrixWarning"
)
@pytest.mark.parametrize("unit", [1e-20, 1e-15, 1e-5, 1e5, 1e15, 1e20])
@pytest.mark.parametrize(
    "params",
    [
        dict(lags=2),
        dict(lags="aic"),
        dict(lags=2, trend="ct"),
        dict(lags=2, trend="n"),
        dict(lags=2, trend="t", seasonal=True, period=4),
    ],
)
def test_forecasts_and_intervals_do_not_depend_on_the_unit(params, unit):
    # Issue 18 D9: AutoReg on y * 1e15 or y * 1e-20 directly gives other
    # forecasts (constant ones at 1e-20) with only a SingularMatrixWarning.
    t = np.arange(48.0)
    noise = np.random.default_rng(0).normal(0, 0.1, 48)
    y = 10 + np.sin(t / 2) + 0.05 * t + noise
    X = np.empty((5, 0))
    reference = ARForecaster(**params).fit(None, y)
    scaled = ARForecaster(**params).fit(None, y * unit)
    assert scaled.ar_lags_ == reference.ar_lags_
    np.testing.assert_allclose(
        scaled.forecast(5) / unit, reference.forecast(5), rtol=1e-10
    )
    np.testing.assert_allclose(
        scaled.predict_interval(X).to_numpy() / unit,
        reference.predict_interval(X).to_numpy(),
        rtol=1e-10,
    )


def test_exogenous_columns_in_any_unit_give_the_same_forecasts():
    rng = np.random.default_rng(0)
    t = np.arange(53.0)
    promo = rng.normal(size=(53, 1))
    y = 10 + np.sin(t / 2) + 0.5 * promo[:, 0]
    reference = ARForecaster(lags=2).fit(promo[:48], y[:48]).predict(promo[48:])
    for unit in (1e-20, 1e20):
        f = ARForecaster(lags=2).fit(promo[:48] * unit, y[:48] / unit)
        np.testing.assert_allclose(
            f.predict(promo[48:] * unit) * unit, reference, rtol=1e-10
        )


def test_a_series_far_from_zero_keeps_its_precision():
    # A large level next to small changes: centring keeps the fit exact.
    t = np.arange(48.0)
    wiggle = 3 * np.sin(t / 2) + 0.05 * t
    reference = ARForecaster(lags=2).fit(None, wiggle).forecast(5)
    shifted = ARForecaster(lags=2).fit(None, 1e8 + wiggle).forecast(5)
    np.testing.assert_allclose(shifted - 1e8, reference, atol=1e-6)
