"""Reading several series of a CSV file: read_csv_panel, wide and long."""

import re

import numpy as np
import pandas as pd
import pytest

from skrnn.datasets import read_csv_panel

NAN = np.nan


def _exactly(message):
    """A pattern matching the whole message, taken literally."""
    return f"^{re.escape(message)}$"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


# Three monthly series: north runs the whole time, south starts late, east
# ends early.
WIDE = """\
month,north,south,east,price
2020-01,1,,10,5
2020-02,2,,11,6
2020-03,3,30,12,7
2020-04,4,31,,8
2020-05,5,32,,9
"""
EXPECTED = pd.DataFrame(
    {
        "north": [1.0, 2, 3, 4, 5],
        "south": [NAN, NAN, 30, 31, 32],
        "east": [10.0, 11, 12, NAN, NAN],
    },
    index=pd.date_range("2020-01-01", periods=5, freq="MS", name="month"),
)


def _long(wide_text):
    """The long layout of a wide text: one row per (store, month) with a value."""
    wide = pd.read_csv(pd.io.common.StringIO(wide_text))
    long = wide.melt(
        id_vars=["month", "price"], var_name="store", value_name="sales"
    ).dropna(subset=["sales"])
    return long[["store", "month", "sales", "price"]]


def test_wide_ragged_series_keep_nan_before_start_and_after_end(tmp_path):
    path = _write(tmp_path, "wide.csv", WIDE)
    y, X = read_csv_panel(
        path, ["north", "south", "east"], date_column="month", exog=["price"]
    )
    pd.testing.assert_frame_equal(y, EXPECTED)
    assert y.index.freqstr == "MS"
    assert list(X.columns) == ["price"]
    pd.testing.assert_index_equal(X.index, y.index)
    np.testing.assert_array_equal(X["price"].to_numpy(), [5.0, 6, 7, 8, 9])
    # Blanks outside a series are not gaps: nothing to fill, with fill or not.
    filled, _ = read_csv_panel(
        path, ["north", "south", "east"], date_column="month", fill="ffill"
    )
    pd.testing.assert_frame_equal(filled, EXPECTED)


def test_wide_rows_in_any_order_are_sorted_by_date(tmp_path):
    lines = WIDE.splitlines()
    path = _write(tmp_path, "shuffled.csv", "\n".join([lines[0], *lines[:0:-1]]))
    y, X = read_csv_panel(
        path, ["north", "south", "east"], date_column="month", exog=["price"]
    )
    pd.testing.assert_frame_equal(y, EXPECTED)
    np.testing.assert_array_equal(X["price"].to_numpy(), [5.0, 6, 7, 8, 9])


def test_wide_without_dates_numbers_the_rows_from_the_first_value(tmp_path):
    path = _write(tmp_path, "rows.csv", "a,b\n,\n1,\n2,20\n3,30\n,40\n")
    y, X = read_csv_panel(path, ["a", "b"])
    assert X is None
    pd.testing.assert_index_equal(y.index, pd.RangeIndex(1, 5))
    np.testing.assert_array_equal(y["a"].to_numpy(), [1.0, 2, 3, NAN])
    np.testing.assert_array_equal(y["b"].to_numpy(), [NAN, 20, 30, 40])


def test_long_layout_gives_the_wide_panel_sorted_per_series(tmp_path):
    long = _long(WIDE).sample(frac=1, random_state=0)  # rows in any order
    path = tmp_path / "long.csv"
    long.to_csv(path, index=False)
    from skrnn.datasets._csv import _PYTHON_NAMES, _read_panel

    y, X, notes = _read_panel(
        path, ["sales"], "store", "month", None, None, ["price"], _PYTHON_NAMES
    )
    # Columns in the order of the ids (sorted), named by them.
    pd.testing.assert_frame_equal(y, EXPECTED[["east", "north", "south"]])
    assert y.index.freqstr == "MS"
    np.testing.assert_array_equal(X["price"].to_numpy(), [5.0, 6, 7, 8, 9])
    assert notes == [
        "rows sorted by month within each store (the file was not in order)"
    ]


def test_long_layout_with_years_and_numeric_ids(tmp_path):
    path = _write(
        tmp_path,
        "years.csv",
        "site,year,flow\n2,1901,20\n1,1900,1\n1,1901,2\n2,1902,30\n1,1902,3\n",
    )
    y, _ = read_csv_panel(path, "flow", id_column="site", date_column="year")
    # Ids are labels, kept as written.
    assert list(y.columns) == ["1", "2"]
    pd.testing.assert_index_equal(
        y.index, pd.period_range("1900", "1902", freq="Y", name="year")
    )
    np.testing.assert_array_equal(y["2"].to_numpy(), [NAN, 20, 30])


def test_ids_are_read_as_written_and_numbers_among_them_sort_by_value(tmp_path):
    rows = "".join(
        f"{i},{t},{t}\n" for i in ("10", "2", "01", "1") for t in (2001, 2002)
    )
    path = _write(tmp_path, "ids.csv", "shop,t,v\n" + rows)
    y, _ = read_csv_panel(path, "v", id_column="shop", date_column="t")
    assert list(y.columns) == ["01", "1", "2", "10"]


def test_long_layout_reads_day_first_dates_with_date_format(tmp_path):
    rows = [("a", f"{d:02d}/02/2020", d) for d in range(1, 6)]
    rows += [("b", f"{d:02d}/02/2020", 10 * d) for d in range(3, 7)]
    path = _write(
        tmp_path,
        "days.csv",
        "id,day,y\n" + "".join(f"{i},{d},{v}\n" for i, d, v in rows),
    )
    y, _ = read_csv_panel(
        path, "y", id_column="id", date_column="day", date_format="%d/%m/%Y"
    )
    assert y.index[0] == pd.Timestamp("2020-02-01")
    assert y.index.freqstr == "D"
    np.testing.assert_array_equal(y["b"].to_numpy(), [NAN, NAN, 30, 40, 50, 60])
    np.testing.assert_array_equal(y["a"].to_numpy(), [1, 2, 3, 4, 5, NAN])


def test_long_layout_refuses_two_rows_of_a_series_at_one_date(tmp_path):
    path = _write(
        tmp_path,
        "dup.csv",
        "store,month,sales\na,2020-01,1\nb,2020-01,5\na,2020-02,2\na,2020-01,9\n",
    )
    with pytest.raises(
        ValueError,
        match=_exactly(
            "`id_column` 'store': series 'a' has several rows at 2020-01-01 (lines "
            "2, 5 of dup.csv). Give one row per series and date (aggregate "
            "duplicates first)."
        ),
    ):
        read_csv_panel(path, "sales", id_column="store", date_column="month")


def test_long_layout_refuses_an_exog_that_differs_between_series(tmp_path):
    path = _write(
        tmp_path,
        "prices.csv",
        "store,month,sales,price\na,2020-01,1,5\nb,2020-01,2,7\na,2020-02,3,6\n"
        "b,2020-02,4,6\na,2020-03,3,6\nb,2020-03,4,6\n",
    )
    with pytest.raises(ValueError, match=r"`exog` 'price' holds 5 and 7 at 2020-01-01"):
        read_csv_panel(
            path, "sales", id_column="store", date_column="month", exog=["price"]
        )


def test_gaps_inside_a_series_are_refused_or_filled(tmp_path):
    # south has an empty value on line 4 (2020-03); no row at all for 2020-05.
    path = _write(
        tmp_path,
        "gaps.csv",
        "month,north,south\n2020-01,1,\n2020-02,2,20\n2020-03,3,\n2020-04,4,40\n"
        "2020-06,6,60\n",
    )
    with pytest.raises(
        ValueError,
        match=_exactly(
            "`target` 'south' has 1 empty values inside the series (first on line "
            "4 of gaps.csv). Fill them with `fill` interpolate or `fill` ffill, or "
            "in the file (empty values before a series starts or after it ends are "
            "fine)."
        ),
    ):
        read_csv_panel(path, ["north", "south"], date_column="month")
    from skrnn.datasets._csv import _PYTHON_NAMES, _read_panel

    y, _, notes = _read_panel(
        path, ["north", "south"], None, "month", None, "interpolate", None,
        _PYTHON_NAMES,
    )  # fmt: skip
    np.testing.assert_allclose(y["north"].to_numpy(), [1, 2, 3, 4, 5, 6])
    np.testing.assert_allclose(y["south"].to_numpy(), [NAN, 20, 30, 40, 50, 60])
    assert y.index.freqstr == "MS"
    assert notes == [
        # 2020-05 has no row: missing in both series.
        "2 missing time points inside the series filled (interpolate)",
        "1 empty values inside the series filled (interpolate)",
    ]


def test_a_missing_date_inside_a_series_is_a_gap_outside_all_is_not(tmp_path):
    months = [f"2020-{m:02d}" for m in range(1, 9) if m != 3]
    gap = _write(
        tmp_path,
        "gap.csv",
        "month,a,b\n"
        + "".join(f"{m},1,{'' if m < '2020-02' else 2}\n" for m in months),
    )
    message = (
        "`date_column` 'month': 1 time points are missing inside series 'a' "
        "(first: 2020-03-01) between 2020-01-01 and 2020-08-01 at frequency MS. "
        "Fill them with `fill` interpolate"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        read_csv_panel(gap, ["a", "b"], date_column="month")
    # a ends in March, b starts in May: April belongs to neither.
    between = _write(
        tmp_path,
        "between.csv",
        "month,a,b\n2020-01,1,\n2020-02,2,\n2020-03,3,\n2020-05,,50\n2020-06,,60\n",
    )
    y, _ = read_csv_panel(between, ["a", "b"], date_column="month")
    assert y.index.freqstr == "MS"
    assert len(y) == 6
    np.testing.assert_array_equal(y["a"].to_numpy(), [1, 2, 3, NAN, NAN, NAN])
    np.testing.assert_array_equal(y["b"].to_numpy(), [NAN, NAN, NAN, NAN, 50, 60])


def test_dates_of_the_series_must_share_one_frequency(tmp_path):
    # a on month starts, b on the 15th: together not evenly spaced.
    rows = [("a", f"2020-{m:02d}-01") for m in range(1, 5)]
    rows += [("b", f"2020-{m:02d}-15") for m in range(1, 5)]
    path = _write(
        tmp_path, "mixed.csv", "id,day,y\n" + "".join(f"{i},{d},1\n" for i, d in rows)
    )
    with pytest.raises(ValueError, match="the dates are not evenly spaced"):
        read_csv_panel(path, "y", id_column="id", date_column="day")


def test_exog_gaps_are_refused_or_filled(tmp_path):
    path = _write(
        tmp_path,
        "x.csv",
        "month,a,b,price\n2020-01,1,,5\n2020-02,2,20,\n2020-03,3,30,7\n",
    )
    with pytest.raises(
        ValueError,
        match=_exactly(
            "`exog` 'price' has 1 empty values (first at 2020-02-01, line 3 of "
            "x.csv). Fill them with `fill` interpolate or `fill` ffill, or in the "
            "file."
        ),
    ):
        read_csv_panel(path, ["a", "b"], date_column="month", exog=["price"])
    y, X = read_csv_panel(
        path, ["a", "b"], date_column="month", exog="price", fill="interpolate"
    )
    np.testing.assert_allclose(X["price"].to_numpy(), [5, 6, 7])
    np.testing.assert_array_equal(y["b"].to_numpy(), [NAN, 20, 30])


@pytest.mark.parametrize(
    ("target", "options", "message"),
    [
        (
            ["north", "west"],
            {"date_column": "month"},
            "`target` 'west': no such column in wide.csv. Its columns are: "
            "month, north, south, east, price.",
        ),
        (["north", "north"], {}, "`target` lists 'north' twice. List it once."),
        (
            ["north", "south"],
            {"exog": ["south"]},
            "`exog` 'south' is also `target` (the series to forecast)",
        ),
        (
            ["north", "south"],
            {"exog": ["month"], "date_column": "month"},
            "`exog` 'month' is also `date_column` (the dates)",
        ),
        (
            ["north", "south"],
            {"id_column": "east", "date_column": "month"},
            "With `id_column` (one row per series and date), `target` is the one "
            "column of values. Got 2 columns (north, south) instead.",
        ),
        (
            ["north"],
            {"id_column": "east"},
            "`id_column` needs `date_column`: the dates line the series up in time.",
        ),
        (
            ["north"],
            {"id_column": "month", "date_column": "month"},
            "`id_column` 'month' is also `date_column`. Give each column one role.",
        ),
        (
            ["north", "month"],
            {},
            "`target` 'month' must hold numbers, but line 2 of wide.csv holds "
            "'2020-01'.",
        ),
    ],
)
def test_bad_columns_are_named_with_the_fix(target, options, message, tmp_path):
    path = _write(tmp_path, "wide.csv", WIDE)
    with pytest.raises(ValueError, match=re.escape(message)):
        read_csv_panel(path, target, **options)


def test_a_series_without_values_is_refused(tmp_path):
    path = _write(
        tmp_path, "empty.csv", "month,a,b\n2020-01,1,\n2020-02,2,\n2020-03,3,\n"
    )
    with pytest.raises(
        ValueError,
        match=_exactly(
            "Series 'b' has no values in empty.csv. Give it values or leave it out "
            "of `target`."
        ),
    ):
        read_csv_panel(path, ["a", "b"], date_column="month")


def test_a_row_without_an_id_is_refused(tmp_path):
    path = _write(tmp_path, "noid.csv", "store,month,sales\na,2020-01,1\n,2020-02,2\n")
    with pytest.raises(ValueError, match=r"line 3 of noid\.csv has no series id"):
        read_csv_panel(path, "sales", id_column="store", date_column="month")
