"""Bad input to the forecasters (issue 18 D8, D14, D15, D17-D19, D21, D23;
issue 11 items 6 and 8): a clear error naming the input, what was expected
and the fix; the user's data and a fitted forecaster left as they were."""

import copy

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from skrnn import ARForecaster, Differencer, NaiveForecaster, RecursiveForecaster
from skrnn.forecasting import fill_gaps

FORECASTERS = {
    "RecursiveForecaster": lambda: RecursiveForecaster(LinearRegression(), window=4),
    "ARForecaster": lambda: ARForecaster(lags=2),
    "NaiveForecaster": lambda: NaiveForecaster(),
}
# A parameter of each that shapes its fitted state, and another value for it.
CHANGES = {
    "RecursiveForecaster": ("window", 3),
    "ARForecaster": ("lags", 3),
    "NaiveForecaster": ("strategy", "drift"),
}


def _series(n=48, index=None):
    t = np.arange(n, dtype=float)
    values = 10 + np.sin(t / 2) + 0.05 * t
    if index is None:
        index = pd.period_range("2000-01", periods=n, freq="M")
    return pd.Series(values, index=index, name="sales")


def _refuses(call, data, error, match, estimator=None):
    """``call`` raises; ``data`` and a fitted ``estimator`` are unchanged."""
    data_before = copy.deepcopy(data)
    state_before = None if estimator is None else dict(estimator.__dict__)
    with pytest.raises(error, match=match):
        call()
    for before, after in zip(data_before, data, strict=True):
        if isinstance(after, pd.Series | pd.DataFrame):
            pd.testing.assert_frame_equal(pd.DataFrame(before), pd.DataFrame(after))
        elif after is not None:
            np.testing.assert_array_equal(np.asarray(before), np.asarray(after))
    if estimator is not None:
        assert estimator.__dict__.keys() == state_before.keys()
        for key, value in state_before.items():
            assert estimator.__dict__[key] is value, f"{key} changed"


@pytest.fixture(params=list(FORECASTERS))
def name(request):
    return request.param


def _bad_fit_data():
    y = _series()
    dates = pd.Series(pd.date_range("2000", periods=48), index=y.index)
    with_date = pd.DataFrame({"promo": np.ones(48), "day": dates}, index=y.index)
    unnamed_text = np.column_stack([np.ones(48), np.full(48, "a")])
    framed_text = pd.DataFrame({0: np.ones(48), 1: ["a"] * 48}, index=y.index)
    worded = y.astype(object)
    worded.iloc[7] = "n/a"
    return {
        # D8: dates read as nanoseconds were forecast as numbers.
        "datetime y": (None, dates, r"y must hold numbers.*dates or times.*index"),
        "timedelta y": (
            None,
            pd.Series(pd.to_timedelta(np.arange(48), "D")),
            r"dates or times.*total_seconds",
        ),
        "datetime64 array y": (
            None,
            np.arange(48).astype("datetime64[D]"),
            r"y must hold numbers.*datetime64",
        ),
        "Timestamps in an object array": (
            None,
            np.array(list(pd.date_range("2000", periods=48)), dtype=object),
            r"y must hold numbers.*dates or times",
        ),
        "date column in X": (
            with_date,
            y,
            r"X must hold numbers.*\['day'\].*dates or times",
        ),
        # D18: the message names the column, even without a name.
        "unnamed text column in X": (
            unnamed_text,
            y,
            r"X must hold numbers only.*column 1 holds text.*'a' at row 0",
        ),
        "text in an integer-labelled column": (
            framed_text,
            y,
            r"non-numeric column\(s\) \{'1'.*column 1 \(unnamed\) holds 'a'",
        ),
        "text in y": (None, worded, r"y must hold numbers only.*'n/a' at row"),
        # D21: huge values were reported as "contains NaN".
        "huge y": (
            None,
            _series() * 1e200,
            r"as large as 1.*e\+201.*below 1e\+150.*divide y by a power of ten",
        ),
        "huge X": (
            pd.DataFrame({"promo": np.full(48, 1e200)}, index=y.index),
            y,
            r"Input X has values as large as 1e\+200",
        ),
    }


@pytest.mark.parametrize("case", list(_bad_fit_data()))
def test_fit_refuses_what_is_not_a_numeric_series(name, case):
    X, y, match = _bad_fit_data()[case]
    forecaster = FORECASTERS[name]()
    _refuses(lambda: forecaster.fit(X, y), (X, y), ValueError, match)
    assert not hasattr(forecaster, "time_axis_")


def test_object_columns_of_numbers_are_numbers_everywhere(name):
    # D19: forecasters took object-dtype numbers, the transformers refused them.
    y = _series()
    as_objects = y.astype(object)
    as_text = y.map(repr).astype(object)
    expected = FORECASTERS[name]().fit(None, y).forecast(3)
    for other in (as_objects, as_text):
        pd.testing.assert_series_equal(
            FORECASTERS[name]().fit(None, other).forecast(3), expected
        )
    table = y.to_frame()
    np.testing.assert_array_equal(
        Differencer().fit_transform(table.astype(object)),
        Differencer().fit_transform(table),
    )


def test_missing_values_in_object_y_get_the_nan_message(name):
    y = _series().astype(object)
    y.iloc[5] = None
    _refuses(
        lambda: FORECASTERS[name]().fit(None, y),
        (y,),
        ValueError,
        r"Input y contains NaN: 1 time point.*2000-06.*fill_gaps\(y\)",
    )


def test_fit_with_only_the_series_says_fit_none_y(name):
    # Issue 11 item 8: fit(y), the sktime habit, said "missing argument 'y'".
    y = _series()
    forecaster = FORECASTERS[name]()
    match = (
        r"requires y to be passed, but the target y is None.*"
        rf"{name}\(\)\.fit\(None, y\).*\.fit\(X, y\).*a Series, as X"
    )
    _refuses(lambda: forecaster.fit(y), (y,), ValueError, match)


# --- missing values and gaps (issue 11 item 6) ----------------------------


def test_the_missing_value_error_names_a_way_through_that_works(name):
    y = _series(index=pd.date_range("2020-01-01", periods=48, freq="D"))
    y.iloc[[5, 6, 20]] = np.nan
    with pytest.raises(ValueError, match=r"fill_gaps\(y\).*y\.dropna\(\)"):
        FORECASTERS[name]().fit(None, y)
    # Dropping them leaves gaps: fit warns that its windows join across
    # them, and the gaps error also sends to fill_gaps.
    with pytest.warns(UserWarning, match=r"windows join.*fill_gaps\(y\)"):
        dropped = FORECASTERS[name]().fit(None, y.dropna())
    with pytest.raises(ValueError, match=r"no regular frequency.*fill_gaps\(y\)"):
        dropped.forecast(2)
    for filled in (fill_gaps(y), fill_gaps(y.dropna()), fill_gaps(y, "ffill")):
        forecast = FORECASTERS[name]().fit(None, filled).forecast(2)
        assert forecast.index.equals(pd.date_range("2020-02-18", periods=2))
        assert np.isfinite(forecast).all()


def test_a_regressor_observed_late_is_cut_not_filled(name):
    # fill_gaps fills inside a column only: the error says what to do with
    # the rows before a regressor's first value.
    y = _series()
    X = pd.DataFrame({"price": np.arange(48.0)}, index=y.index)
    X.iloc[:3, 0] = np.nan
    assert fill_gaps(X)["price"].isna().sum() == 0  # the rows are dropped
    X["promo"] = np.arange(48.0) % 3
    assert fill_gaps(X)["price"].isna().sum() == 3  # not once another column has them
    match = r"contains NaN: 3 time point.*X = skrnn\.forecasting\.fill_gaps\(X\).*cut X"
    forecaster = FORECASTERS[name]()
    _refuses(lambda: forecaster.fit(fill_gaps(X), y), (X, y), ValueError, match)
    observed = X.notna().all(axis=1)
    forecaster.fit(X[observed], y[observed])


@pytest.mark.parametrize("shuffle", [True, False], ids=["shuffled", "in-order"])
def test_kfold_in_a_cross_validation_is_sent_to_time_series_split(name, shuffle):
    from sklearn.model_selection import KFold, cross_val_score

    y = _series(index=pd.date_range("2020-01-01", periods=48, freq="MS"))
    cv = KFold(3, shuffle=shuffle, random_state=0 if shuffle else None)
    with pytest.raises(
        ValueError, match="cross-validation, split with TimeSeriesSplit"
    ):
        cross_val_score(
            FORECASTERS[name](), pd.DataFrame(index=y.index), y, cv=cv,
            error_score="raise",
        )  # fmt: skip


def test_an_unevenly_spaced_integer_index_names_fill_gaps(name):
    y = _series()
    y.index = [*range(20), *range(21, 49)]
    with pytest.raises(ValueError, match=r"not evenly spaced.*fill_gaps"):
        FORECASTERS[name]().fit(None, y)
    FORECASTERS[name]().fit(None, fill_gaps(y))


def test_a_period_index_with_missing_periods_names_fill_gaps(name):
    # A PeriodIndex keeps its frequency with periods dropped: the rows must
    # not be taken for consecutive months.
    y = _series(index=pd.period_range("2020-01", periods=48, freq="M"))
    gapped = y.drop(y.index[[20, 21]])
    with pytest.raises(
        ValueError, match=r"PeriodIndex of y/X misses time points \(the first: 2021-09"
    ):
        FORECASTERS[name]().fit(None, gapped)
    forecast = FORECASTERS[name]().fit(None, fill_gaps(gapped)).forecast(2)
    assert forecast.index.equals(pd.period_range("2024-01", periods=2, freq="M"))


# --- predict and forecast on a fitted forecaster ---------------------------


def test_x_in_another_time_zone_is_converted(name):
    # D14: a raw pandas TypeError for the same instants in another zone.
    index = pd.date_range("2021-01-01", periods=48, freq="h", tz="Europe/Berlin")
    forecaster = FORECASTERS[name]().fit(None, _series(index=index))
    future = index[-1] + pd.to_timedelta([1, 2, 3], "h")
    in_utc = pd.DataFrame(index=future.tz_convert("UTC"))
    expected = forecaster.predict(pd.DataFrame(index=future))
    got = forecaster.predict(in_utc)
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())
    assert got.index.equals(in_utc.index)
    naive = pd.DataFrame(index=future.tz_localize(None))
    _refuses(
        lambda: forecaster.predict(naive),
        (naive,),
        ValueError,
        r"no time zone.*fitted on times in Europe/Berlin.*tz_localize",
        forecaster,
    )


def test_the_advice_for_an_irregular_index_works(name):
    # D15: "pass X without an index" failed with the same error.
    irregular = pd.DatetimeIndex(
        ["2020-01-01", "2020-01-02", "2020-01-04", "2020-01-07", "2020-01-08"]
        + [f"2020-01-{d}" for d in range(10, 32)]
        + [f"2020-02-{d:02d}" for d in range(1, 20)]
    )
    y = _series(len(irregular), index=irregular)
    # Fitted by position, as statsmodels does, with a warning (it was silent).
    with pytest.warns(UserWarning, match=r"no regular frequency.*windows join") as w:
        forecaster = FORECASTERS[name]().fit(None, y)
    # At the user's line: the interval mixin's override put it inside skrnn.
    assert [record.filename for record in w] == [__file__]
    X = pd.DataFrame(index=[pd.Timestamp("2020-02-20")])
    _refuses(
        lambda: forecaster.predict(X),
        (X,),
        ValueError,
        r"no regular frequency.*fill_gaps\(y\).*pass X without an index",
        forecaster,
    )
    positional = forecaster.predict(np.empty((2, 0)))
    assert positional.index.tolist() == [len(y), len(y) + 1]
    # The conformal intervals' refits asked for the future dates and failed.
    interval = forecaster.predict_interval(np.empty((2, 0)))
    assert interval.index.tolist() == [len(y), len(y) + 1]
    assert (interval["lower"] <= positional).all()
    assert (positional <= interval["upper"]).all()
    with pytest.raises(ValueError, match=r"predict\(np\.empty\(\(steps, 0\)\)\)"):
        forecaster.forecast(2)
    regular = FORECASTERS[name]().fit(None, fill_gaps(y)).forecast(2)
    assert regular.index.equals(pd.date_range("2020-02-20", periods=2))


def test_set_params_after_fit_asks_for_a_refit(name):
    # D17: raw NumPy errors, or forecasts of a model that was never fitted.
    y = _series()
    forecaster = FORECASTERS[name]().fit(None, y)
    expected = forecaster.forecast(3)
    param, value = CHANGES[name]
    old = forecaster.get_params()[param]
    forecaster.set_params(**{param: value})
    match = rf"parameters of this {name} changed after it was fitted \({param}: "
    for call in (
        lambda: forecaster.forecast(3),
        lambda: forecaster.predict(np.empty((3, 0))),
    ):
        _refuses(call, (), ValueError, match + r".*call fit again", forecaster)
    forecaster.set_params(**{param: old})
    pd.testing.assert_series_equal(forecaster.forecast(3), expected)
    forecaster.set_params(**{param: value}).fit(None, y)
    assert len(forecaster.forecast(3)) == 3


def test_ar_intervals_also_ask_for_a_refit():
    forecaster = ARForecaster(lags=2).fit(None, _series())
    forecaster.set_params(trend="n")
    with pytest.raises(ValueError, match=r"trend: 'c' -> 'n'.*call fit again"):
        forecaster.predict_interval(np.empty((3, 0)))


@pytest.mark.parametrize("steps", [True, np.True_, 2.0, 0, -1, "2"])
def test_steps_must_be_a_positive_int_not_a_bool(name, steps):
    # D23: forecast(True) forecast one step, as if True were 1.
    forecaster = FORECASTERS[name]().fit(None, _series())
    _refuses(
        lambda: forecaster.forecast(steps),
        (),
        ValueError,
        rf"steps must be a positive int.*Got {steps!r} instead",
        forecaster,
    )
    assert len(forecaster.forecast(np.int64(2))) == 2
