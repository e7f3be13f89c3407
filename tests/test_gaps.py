"""fill_gaps: missing values and missing time points made whole (issue 11 item 6)."""

import numpy as np
import pandas as pd
import pytest

from skrnn.forecasting import NaiveForecaster, fill_gaps


def test_absent_days_are_inserted_and_interpolated():
    y = pd.Series(
        [1.0, np.nan, 3.0, 6.0],
        index=pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-06"]),
        name="sales",
    )
    before = y.copy()
    filled = fill_gaps(y)
    assert filled.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert filled.index.equals(pd.date_range("2024-01-01", "2024-01-06", freq="D"))
    assert filled.index.freqstr == "D"
    assert filled.name == "sales"
    assert fill_gaps(y, "ffill").tolist() == [1.0, 1.0, 3.0, 3.0, 3.0, 6.0]
    pd.testing.assert_series_equal(y, before)


@pytest.mark.parametrize(
    ("freq", "drop"),
    [
        ("MS", [3, 7]),
        ("ME", [4]),
        ("QS-FEB", [2]),
        ("W-WED", [5, 6]),
        ("h", [9]),
        # Multiples of calendar steps: half-years were filled on quarters
        # (11 points became 23) and every other month on months.
        ("6MS", [5]),
        ("2MS", [4]),
        ("2YS-FEB", [3]),
        ("2W-WED", [6]),
    ],
)
def test_the_frequency_of_a_series_with_gaps_is_inferred(freq, drop):
    full = pd.date_range("2020-02-01", periods=12, freq=freq)
    y = pd.Series(np.arange(12.0), index=full).drop(full[drop])
    assert pd.infer_freq(y.index) is None  # pandas alone cannot tell
    filled = fill_gaps(y)
    assert filled.index.equals(full)
    assert filled.index.freqstr == full.freqstr  # "W-WED", not "7D"
    np.testing.assert_allclose(filled.to_numpy(), np.arange(12.0))


def test_a_sparse_calendar_series_is_filled_on_its_calendar():
    # 27 of 60 weeks: few points one step apart, still weekly.
    full = pd.date_range("2020-01-05", periods=60, freq="W-SUN")
    keep = np.sort(np.random.default_rng(0).choice(60, 27, replace=False))
    filled = fill_gaps(pd.Series(np.arange(27.0), index=full[keep]))
    assert filled.index.equals(full[keep[0] : keep[-1] + 1])
    assert filled.index.freqstr == "W-SUN"


def test_daily_data_across_a_daylight_saving_change_stays_daily():
    # Steps of 23 and 24 hours made an hourly grid of interpolated values.
    full = pd.date_range("2024-03-20", "2024-04-10", freq="D", tz="Europe/Berlin")
    y = pd.Series(np.arange(len(full), dtype=float), index=full).drop(full[5])
    filled = fill_gaps(y)
    assert filled.index.equals(full)
    np.testing.assert_allclose(filled.to_numpy(), np.arange(len(full)))


def test_rows_in_any_order_come_back_sorted():
    index = pd.date_range("2020-01-01", periods=6, freq="D")
    y = pd.Series(np.arange(6.0), index=index).iloc[[3, 0, 5, 1, 2]]
    pd.testing.assert_index_equal(fill_gaps(y).index, index, check_names=False)
    assert fill_gaps(y).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


@pytest.mark.parametrize("method", ["interpolate", "ffill"])
def test_the_edges_of_a_series_are_dropped_not_filled(method):
    # A value carried past the last observation would be an invented one.
    y = pd.Series([np.nan, 1.0, np.nan, 3.0, np.nan, np.nan])
    expected = [1.0, 2.0, 3.0] if method == "interpolate" else [1.0, 1.0, 3.0]
    assert fill_gaps(y, method).tolist() == expected
    assert fill_gaps(y, method).index.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(fill_gaps(y.to_numpy(), method), expected)


def test_period_and_integer_indexes():
    quarters = pd.PeriodIndex(["2000Q1", "2000Q2", "2000Q4"], freq="Q")
    filled = fill_gaps(pd.Series([1.0, 2.0, 4.0], index=quarters))
    assert filled.index.equals(pd.period_range("2000Q1", "2000Q4", freq="Q"))
    assert filled.tolist() == [1.0, 2.0, 3.0, 4.0]
    every_other = fill_gaps(pd.Series([1.0, 2.0, 4.0], index=[0, 2, 6]))
    assert every_other.index.equals(pd.RangeIndex(0, 8, 2))
    assert every_other.tolist() == [1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize("method", ["interpolate", "ffill"])
def test_the_series_of_a_panel_keep_their_own_starts_and_ends(method):
    index = pd.date_range("2020-01-01", periods=6, freq="D")
    df = pd.DataFrame(
        {
            "a": [np.nan, 1.0, np.nan, 3.0, np.nan, np.nan],  # ends early
            "b": [np.nan, np.nan, 2.0, np.nan, 4.0, 5.0],  # starts late
        },
        index=index,
    )
    filled = fill_gaps(df, method)
    assert filled.index.equals(index[1:])
    a = [1.0, 2.0, 3.0] if method == "interpolate" else [1.0, 1.0, 3.0]
    b = [3.0, 4.0, 5.0] if method == "interpolate" else [2.0, 4.0, 5.0]
    expected = pd.DataFrame(
        {"a": [*a, np.nan, np.nan], "b": [np.nan, 2.0, *b]}, index=index[1:]
    )
    pd.testing.assert_frame_equal(filled, expected, check_freq=False)
    # Forecasters read the filled panel as ragged: each series ends where it did.
    forecast = NaiveForecaster().fit(None, filled).forecast(1)
    assert forecast["a"].dropna().to_dict() == {index[4]: a[-1]}
    assert forecast["b"].dropna().to_dict() == {index[5] + index.freq: 5.0}


def test_an_explicit_frequency_and_its_check():
    index = pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-07"])
    y = pd.Series([1.0, 2.0, 4.0], index=index)
    assert len(fill_gaps(y, freq="D")) == 7
    assert fill_gaps(y).index.freqstr == "2D"
    with pytest.raises(ValueError, match=r"not on the grid of freq='W-SUN'"):
        fill_gaps(y, freq="W-SUN")


@pytest.mark.parametrize(
    ("y", "kwargs", "match"),
    [
        (
            pd.Series(
                [1.0, 2.0, 3.0],
                index=pd.DatetimeIndex(
                    ["2020-01-01 00:00", "2020-01-01 10:17", "2020-01-05 00:00"]
                ),
            ),
            {},
            r"not on one regular grid.*freq='D'.*resample",
        ),
        (  # lies on a daily grid, which was taken: 518 days, 500 invented
            pd.Series(
                np.arange(18.0),
                index=pd.DatetimeIndex(
                    [f"{2023 + m // 12}-{m % 12 + 1:02d}-15" for m in range(18)]
                ),
            ),
            {},
            r"not on one regular grid",
        ),
        (
            pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-01-01"] * 2)),
            {},
            r"duplicated time points.*groupby",
        ),
        (pd.Series([1.0, 2.0], index=["a", "b"]), {}, r"needs a time index"),
        (pd.Series([np.nan, np.nan]), {}, r"no observed value"),
        (pd.Series(["x", "1"]), {}, r"numbers only.*'x'"),
        (pd.Series([1.0, np.nan]), {"method": "bfill"}, r"`method` must be one of"),
    ],
    ids=[
        "irregular",
        "mid-month",
        "duplicates",
        "text index",
        "all NaN",
        "text",
        "bad method",
    ],
)
def test_what_cannot_be_filled_is_refused(y, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        fill_gaps(y, **kwargs)


def test_a_filled_series_forecasts_on_its_calendar():
    index = pd.date_range("2020-01-01", periods=24, freq="MS")
    y = pd.Series(np.arange(24.0), index=index).drop(index[[5, 6]])
    forecast = NaiveForecaster("drift").fit(None, fill_gaps(y)).forecast(2)
    assert forecast.index.equals(pd.date_range("2022-01-01", periods=2, freq="MS"))
    np.testing.assert_allclose(forecast.to_numpy(), [24.0, 25.0])
