"""Panels: several series of different lengths, one global model (issue 13)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.linear_model import LinearRegression

from skrnn import RNNRegressor
from skrnn.forecasting import (
    ARForecaster,
    DirectForecaster,
    NaiveForecaster,
    RecursiveForecaster,
    from_long,
    to_long,
)


def _series(n, start, seed, freq="M"):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 5 + seed + np.sin(2 * np.pi * t / 12 + seed) + 0.2 * rng.normal(size=n)
    index = pd.period_range(start, periods=n, freq=freq)
    return pd.Series(values, index=index, name=f"s{seed}")


@pytest.fixture
def panel():
    """Three monthly series: a late start, a full one, an early end."""
    return {
        "late": _series(40, "2003-05", 0),
        "full": _series(76, "2000-01", 1),
        "early": _series(60, "2000-01", 2),
    }


def _wide(panel):
    return pd.DataFrame(panel)


def _linear(**params):
    fixed = {"window": 3, "differences": 0, "seasonal_differences": 0}
    return RecursiveForecaster(LinearRegression(), **{**fixed, **params})


@pytest.mark.parametrize(
    "forecaster",
    [ARForecaster(), NaiveForecaster("drift"), NaiveForecaster("mean")],
    ids=["ar", "drift", "mean"],
)
def test_per_series_models_fit_each_series_on_its_own(panel, forecaster):
    wide = _wide(panel)
    forecast = forecaster.fit(None, wide).forecast(5)
    for key, series in panel.items():
        alone = type(forecaster)(**forecaster.get_params()).fit(None, series)
        expected = alone.forecast(5)
        # Each series continues after its own end.
        assert_allclose(forecast[key].loc[expected.index], expected)
        assert forecast[key].drop(expected.index).isna().all()


def test_wide_forecast_spans_the_earliest_to_the_latest_forecast(panel):
    forecast = _linear().fit(None, _wide(panel)).forecast(4)
    # "late" ends last, in 2006-08; "early" 20 months before.
    assert forecast.index[0] == pd.Period("2005-01", "M")
    assert forecast.index[-1] == pd.Period("2006-12", "M")
    assert forecast["early"].notna().sum() == 4
    assert forecast["full"].first_valid_index() == pd.Period("2006-05", "M")


def test_dict_in_dict_out_each_with_its_own_future_index(panel):
    forecast = _linear().fit(None, panel).forecast(3)
    assert list(forecast) == list(panel)
    for key, series in panel.items():
        expected = pd.period_range(series.index[-1] + 1, periods=3, freq="M")
        assert forecast[key].index.equals(expected)
        assert forecast[key].name == key


def test_one_global_model_is_fitted_on_the_windows_of_all_series(panel):
    forecaster = _linear(scale=False).fit(None, panel)
    windows = np.concatenate(
        [sliding_window_view(s.to_numpy(), 4) for s in panel.values()]
    )
    pooled = LinearRegression().fit(windows[:, :3], windows[:, 3])
    assert_allclose(forecaster.estimator_.coef_, pooled.coef_, rtol=1e-8)
    assert_allclose(forecaster.estimator_.intercept_, pooled.intercept_, rtol=1e-8)


def test_a_fitted_model_forecasts_other_series(panel):
    training = {key: panel[key] for key in ("late", "full")}
    forecaster = _linear(scale=False).fit(None, training)
    other = forecaster.forecast(6, y={"early": panel["early"]})
    # Unscaled and undifferenced, a new series is read as the training ones
    # are: forecasting a training series as "other" gives its own forecast.
    same = forecaster.forecast(6, y={"full": panel["full"]})
    assert_allclose(same["full"], forecaster.forecast(6)["full"])
    assert other["early"].index[0] == panel["early"].index[-1] + 1
    assert np.isfinite(other["early"]).all()
    # The fitted state is left as it was.
    assert forecaster.n_series_ == 2


def test_a_ragged_panel_is_cross_validated_on_its_observed_values(panel):
    from sklearn.metrics import r2_score
    from sklearn.model_selection import TimeSeriesSplit, cross_validate

    from skrnn.metrics import get_scorer, mae

    wide = _wide(panel)  # "early" has no values in the last 16 months
    X = pd.DataFrame(index=wide.index)
    cv = TimeSeriesSplit(n_splits=3, test_size=10)
    scoring = {"r2": None, "mae": get_scorer("mae")}
    for name, scorer in scoring.items():
        result = cross_validate(
            ARForecaster(1), X, wide, cv=cv, scoring=scorer, error_score="raise"
        )
        for fold, (train, test) in enumerate(cv.split(X)):
            model = ARForecaster(1).fit(X.iloc[train], wide.iloc[train])
            y_pred = model.predict(X.iloc[test])
            y_true = wide.iloc[test]
            seen = [c for c in wide if y_true[c].notna().sum() >= 2]
            if name == "r2":
                expected = np.mean(
                    [
                        r2_score(y_true[c].dropna(), y_pred[c][y_true[c].notna()])
                        for c in seen
                    ]
                )
            else:
                expected = -mae(y_true, y_pred)
                by_hand = [
                    np.mean(np.abs(y_true[c] - y_pred[c]).dropna()) for c in wide
                ]
                assert expected == pytest.approx(-np.nanmean(by_hand))
            assert result["test_score"][fold] == pytest.approx(expected)


def test_an_other_series_shorter_than_the_window_is_padded_like_a_panels(panel):
    # It crashed in the step-by-step recursion of a plain regressor.
    forecaster = _linear(window=12, scale=False).fit(None, panel)
    short = panel["full"].iloc[-5:]
    before = pd.period_range(end=short.index[0] - 1, periods=7, freq="M")
    padded = pd.concat([pd.Series(short.iloc[0], index=before), short])
    assert_allclose(forecaster.forecast(3, y=short), forecaster.forecast(3, y=padded))


def test_other_series_at_another_frequency_are_warned_about(panel):
    forecaster = _linear().fit(None, panel)
    weekly = _series(50, "2001-01-07", 3, freq="W-SUN")
    with pytest.warns(UserWarning, match=r"frequency 'W'.*fitted on series at 'M'"):
        forecaster.forecast(2, y=weekly)
    # Month starts on a DatetimeIndex are the months of the PeriodIndex; weeks
    # are weeks whatever day they start on (Mondays were warned about).
    month_starts = panel["full"].to_timestamp()
    weekly_model = _linear().fit(None, weekly)
    mondays = pd.Series(
        np.arange(30.0), index=pd.date_range("2001-01-01", periods=30, freq="W-MON")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecaster.forecast(2, y=month_starts)
        weekly_model.forecast(2, y=mondays)
        weekly_model.forecast(2, y=mondays.asfreq("7D"))


def test_other_series_are_scaled_and_differenced_on_their_own_history(panel):
    forecaster = RecursiveForecaster(
        LinearRegression(), window=12, differences=1, seasonal_differences=0
    ).fit(None, panel)
    series = panel["full"]
    shifted = forecaster.forecast(4, y=series * 10 + 100)
    plain = forecaster.forecast(4, y=series)
    assert_allclose(shifted, plain * 10 + 100)


def test_predict_places_each_series_at_the_rows_of_x(panel):
    forecaster = _linear().fit(None, _wide(panel))
    forecast = forecaster.forecast(23)  # "early" is 20 months behind
    future = pd.DataFrame(index=pd.period_range("2006-09", periods=3, freq="M"))
    predicted = forecaster.predict(future)
    for key in panel:
        expected = forecast[key].dropna()
        assert_allclose(predicted[key], expected.loc[future.index])


def test_a_late_start_only_panel_forecasts_on_the_common_future(panel):
    wide = _wide(panel).iloc[:60]  # every series now ends in 2004-12
    forecast = RecursiveForecaster(LinearRegression()).fit(None, wide).forecast(2)
    assert forecast.index.equals(pd.period_range("2005-01", periods=2, freq="M"))
    assert np.isfinite(forecast.to_numpy()).all()


def test_the_global_rnn_trains_and_forecasts_a_panel(panel):
    forecaster = RecursiveForecaster(
        RNNRegressor(units=4, epochs=2, random_state=0)
    ).fit(None, panel)
    forecast = forecaster.forecast(12)
    assert all(np.isfinite(f).all() and len(f) == 12 for f in forecast.values())


def test_the_input_is_left_untouched(panel):
    wide = _wide(panel)
    before = wide.copy()
    _linear().fit(None, wide).forecast(2)
    pd.testing.assert_frame_equal(wide, before)


def test_a_numpy_panel_with_nan_at_the_ends_is_ragged():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(50, 2)).cumsum(axis=0)
    y[:10, 0] = np.nan
    y[-5:, 1] = np.nan
    forecast = _linear().fit(None, y).forecast(3)
    assert forecast.shape == (8, 2)
    assert np.isnan(forecast[:5, 0]).all()
    assert np.isnan(forecast[3:, 1]).all()


# -- errors ---------------------------------------------------------------


def test_nan_inside_a_series_is_refused_with_fill_gaps(panel):
    wide = _wide(panel)
    wide.iloc[30, 1] = np.nan
    with pytest.raises(ValueError, match="fill_gaps"):
        _linear().fit(None, wide)


def test_a_series_without_values_is_refused(panel):
    wide = _wide(panel).assign(empty=np.nan)
    with pytest.raises(ValueError, match="'empty' of y has no values"):
        _linear().fit(None, wide)


def test_rows_after_every_series_ends_are_refused(panel):
    # They stayed on the time axis: predict refused the dates after the data
    # ("at or before the end of the training data"), and forecast padded.
    wide = _wide(panel)
    wide = pd.concat([wide, pd.DataFrame(np.nan, index=range(3), columns=wide.columns)])
    wide.index = pd.period_range("2000-01", periods=len(wide), freq="M")
    forecaster = _linear()
    with pytest.raises(
        ValueError, match=r"The last 3 rows of y have no value in any series"
    ):
        forecaster.fit(None, wide)
    assert not hasattr(forecaster, "time_axis_")
    with pytest.raises(ValueError, match=r"Drop them \(the NaN at the end of each"):
        _linear().fit(None, {key: wide[key] for key in wide})
    with pytest.raises(
        ValueError, match=r"data end at row \d+.*Drop them \(y\[:\d+\]\)"
    ):
        _linear().fit(None, wide.to_numpy())


def test_a_dict_series_of_two_dates_takes_the_others_frequency():
    # It was refused as having "no regular frequency".
    a = pd.Series(
        np.arange(24.0), index=pd.date_range("2022-01-01", periods=24, freq="MS")
    )
    b = pd.Series([5.0, 6.0], index=pd.to_datetime(["2023-11-01", "2023-12-01"]))
    forecast = NaiveForecaster().fit(None, {"a": a, "b": b}).forecast(2)
    assert forecast["b"].index.equals(pd.date_range("2024-01-01", periods=2, freq="MS"))
    off = pd.Series([5.0, 6.0], index=pd.to_datetime(["2023-11-03", "2023-12-01"]))
    with pytest.raises(
        ValueError, match="'c' of y has time points off the common grid"
    ):
        NaiveForecaster().fit(None, {"a": a, "c": off})
    zones = {"a": a.tz_localize("UTC"), "b": b.tz_localize("Europe/Berlin")}
    with pytest.raises(
        ValueError, match=r"different time zones \(Europe/Berlin, UTC\)"
    ):
        NaiveForecaster().fit(None, zones)


def test_a_fold_that_ends_before_a_series_starts_says_so(panel):
    from sklearn.model_selection import TimeSeriesSplit, cross_validate

    wide = _wide(panel)  # "late" starts at row 40 of 76
    with pytest.raises(ValueError, match=r"'late' of y has no values.*fewer splits"):
        cross_validate(
            _linear(),
            pd.DataFrame(index=wide.index),
            wide,
            cv=TimeSeriesSplit(5, test_size=8),
            error_score="raise",
        )


def test_a_series_too_short_for_its_own_model_is_named(panel):
    panel = {**panel, "tiny": _series(4, "2006-01", 3)}
    with pytest.raises(ValueError, match="series 'tiny' of y has 4 time points"):
        ARForecaster(3).fit(None, panel)


def test_the_global_model_forecasts_series_shorter_than_its_window(panel):
    tiny = _series(4, "2006-01", 3)
    forecaster = _linear(scale=False, window=6).fit(None, {**panel, "tiny": tiny})
    # It trains on the windows of the long series only ...
    alone = _linear(scale=False, window=6).fit(None, panel)
    assert_allclose(forecaster.estimator_.coef_, alone.estimator_.coef_)
    # ... and forecasts the short one from its history, its first value
    # repeated before its start.
    padded = np.r_[[tiny.iloc[0]] * 2, tiny.to_numpy()]
    expected = alone.estimator_.predict(padded[None, :])[0]
    forecast = forecaster.forecast(3)["tiny"]
    assert forecast.index[0] == tiny.index[-1] + 1
    assert forecast.iloc[0] == pytest.approx(expected)
    with pytest.raises(ValueError, match="longest series of y has 4 time points"):
        _linear(window=6).fit(None, {"a": tiny, "b": tiny + 1})


def test_one_short_series_does_not_change_the_auto_choices(panel):
    # The choices were made on the common span of all series: a series of 8
    # points made the window 2 for every series.
    auto = RecursiveForecaster(LinearRegression())
    alone = clone(auto).fit(None, panel)
    tiny = _series(8, "2006-02", 3)
    together = clone(auto).fit(None, {**panel, "tiny": tiny})
    assert alone.window_ >= 12
    assert together.window_ == alone.window_
    assert together.differences_ == alone.differences_
    # A season the short series cannot be differenced at is not chosen
    # (the fit was refused: "leaves -4, too few to fit").
    monthly = {k: v for k, v in panel.items() if len(v) >= 60}
    seasonal = clone(auto).fit(None, {**monthly, "tiny": tiny})
    assert seasonal.seasonal_differences_ * 12 + seasonal.differences_ < len(tiny)


def test_direct_needs_a_window_of_every_series(panel):
    # Beyond 20 series the auto choices looked at the longest only, and a
    # shorter series failed in forecast (or a network forecast padding).
    many = {f"s{i}": _series(76, "2000-01", i) for i in range(21)}
    panel = {**many, "t": _series(10, "2006-03", 30)}
    fitted = DirectForecaster(LinearRegression(), horizon=3).fit(None, panel)
    assert fitted.window_ + 2 <= 10 - 2  # the shortest, less horizon - 1
    assert np.isfinite(fitted.forecast(3)["t"]).all()
    with pytest.raises(ValueError, match="series 't' of y has 10 time points"):
        DirectForecaster(LinearRegression(), horizon=3, window=12).fit(None, panel)


def test_exog_with_series_ending_at_different_times_is_refused(panel):
    wide = _wide(panel)
    X = pd.DataFrame({"x": np.arange(len(wide), dtype=float)}, index=wide.index)
    with pytest.raises(ValueError, match="end at different time points"):
        _linear().fit(X, wide)


def test_series_on_different_frequencies_are_refused(panel):
    panel = {**panel, "weekly": _series(50, "2000-01-03", 4, freq="W")}
    with pytest.raises(ValueError, match="different frequencies"):
        _linear().fit(None, panel)


def test_per_series_models_do_not_forecast_other_series(panel):
    forecaster = ARForecaster().fit(None, panel)
    with pytest.raises(ValueError, match="one model per series"):
        forecaster.forecast(2, y=panel["full"])


def test_other_series_too_short_to_difference_are_refused(panel):
    forecaster = RecursiveForecaster(
        LinearRegression(), window=3, differences=1, seasonal_differences=0
    ).fit(None, panel)
    with pytest.raises(ValueError, match="continues series of at least 2"):
        forecaster.forecast(2, y=panel["full"].iloc[:1])


# -- long tables ----------------------------------------------------------


def test_from_long_and_to_long_are_inverses(panel):
    long = to_long(panel, id="unique_id", time="ds", value="y")
    assert list(long.columns) == ["unique_id", "ds", "y"]
    assert len(long) == sum(len(s) for s in panel.values())
    wide = from_long(long, id="unique_id", time="ds", value="y")
    pd.testing.assert_frame_equal(
        wide[list(panel)], _wide(panel), check_freq=False, check_names=False
    )


def test_the_long_round_trip_keeps_the_order_of_the_series():
    wide = pd.DataFrame({10: [1.0, 2.0], 2: [3.0, np.nan]})
    again = from_long(to_long(wide), id="id", time="time", value="value")
    pd.testing.assert_frame_equal(again, wide, check_names=False)


def test_to_long_ends_arrays_of_different_lengths_together():
    long = to_long({"a": np.arange(3.0), "b": np.arange(2.0)})
    assert long.groupby("id")["time"].max().to_dict() == {"a": 2, "b": 2}
    assert long[long["id"] == "b"]["time"].tolist() == [1, 2]


def test_from_long_refuses_times_written_as_text():
    # Sorted as text, 2020-10 would come between 2020-1 and 2020-2.
    long = pd.DataFrame({"id": "a", "t": ["2020-1", "2020-2", "2020-10"], "v": 1.0})
    with pytest.raises(ValueError, match=r"'t' holds text.*pd.to_datetime"):
        from_long(long, id="id", time="t", value="v")


def test_from_long_gives_dates_their_frequency():
    long = pd.DataFrame(
        {
            "id": ["a"] * 5 + ["b"] * 3,
            "date": list(pd.date_range("2020-01-01", periods=5, freq="D"))
            + list(pd.date_range("2020-01-03", periods=3, freq="D")),
            "v": np.arange(8.0),
        }
    )
    wide = from_long(long, id="id", time="date", value="v")
    assert wide.index.freqstr == "D"
    assert wide["b"].isna().sum() == 2


def test_from_long_refuses_duplicates_and_unknown_columns():
    long = pd.DataFrame({"id": ["a", "a"], "t": [1, 1], "v": [1.0, 2.0]})
    with pytest.raises(ValueError, match="several rows at 1"):
        from_long(long, id="id", time="t", value="v")
    with pytest.raises(ValueError, match="No column 'y'"):
        from_long(long, id="id", time="t", value="y")


def test_a_dict_panel_is_scored_and_columns_are_matched_by_name():
    # score() and the scorers failed on the dict that predict returns for a
    # dict panel ("must contain numbers ... 'dict'"), and a frame with its
    # columns in another order was scored against the other series.
    from skrnn.metrics import get_scorer

    rng = np.random.default_rng(0)
    index = pd.period_range("2000-01", periods=40, freq="M")
    a = pd.Series(rng.normal(size=40).cumsum(), index=index)
    b = pd.Series(10 + rng.normal(size=40).cumsum(), index=index)
    train = {"a": a[:-5], "b": b[:-5]}
    test = pd.DataFrame({"a": a[-5:], "b": b[-5:]})
    X = pd.DataFrame(index=index[-5:])
    on_dict = _linear().fit(None, train)
    on_frame = _linear().fit(None, pd.DataFrame(train))
    expected = on_frame.score(X, test)
    for forecaster in (on_dict, on_frame):
        for y in ({"a": a[-5:], "b": b[-5:]}, test, test[["b", "a"]]):
            assert forecaster.score(X, y) == pytest.approx(expected)
            for name in ("mase", "rmse"):
                scorer = get_scorer(name)
                assert scorer(forecaster, X, y) == pytest.approx(
                    scorer(on_frame, X, test)
                )


def test_a_dict_of_periods_and_dates_names_the_kinds_not_frequencies():
    # Monthly periods and month starts were said to have different
    # frequencies (ME, MS), and to need resampling.
    months = pd.Series(np.arange(12.0), index=pd.period_range("2000-01", periods=12))
    starts = pd.Series(
        np.arange(12.0), index=pd.date_range("2000", periods=12, freq="MS")
    )
    with pytest.raises(
        ValueError, match=r"different kinds of index \(DatetimeIndex, Per"
    ):
        _linear().fit(None, {"a": months, "b": starts})
