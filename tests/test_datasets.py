"""Tests of skrnn.datasets: the shipped series, their index and provenance."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from skrnn.datasets import DATASETS, load_airline, load_macro, load_sunspots

MACRO_COLUMNS = [
    "realgdp",
    "realcons",
    "realinv",
    "realgovt",
    "realdpi",
    "cpi",
    "m1",
    "tbilrate",
    "unemp",
    "pop",
    "infl",
    "realint",
]

# loader, shape, period frequency, index name, first and last period, name
SPECS = [
    (load_airline, (144,), "M", "month", "1949-01", "1960-12", "passengers"),
    (load_sunspots, (309,), "Y", "year", "1700", "2008", "sunspots"),
    (load_macro, (203, 12), "Q", "quarter", "1959Q1", "2009Q3", None),
]


@pytest.mark.parametrize(
    ("loader", "shape", "freq", "index_name", "first", "last", "name"),
    SPECS,
    ids=[spec[0].__name__ for spec in SPECS],
)
def test_shape_index_and_dtype(loader, shape, freq, index_name, first, last, name):
    data = loader()
    assert data.shape == shape
    assert isinstance(data.index, pd.PeriodIndex)
    assert data.index.dtype == pd.PeriodDtype(freq)
    assert data.index.name == index_name
    assert data.index[0] == pd.Period(first, freq=freq)
    assert data.index[-1] == pd.Period(last, freq=freq)
    # Consecutive periods: no gap and no duplicate.
    expected = pd.period_range(first, last, freq=freq)
    assert data.index.equals(expected)
    values = data.to_numpy()
    assert values.dtype == np.float64
    assert np.isfinite(values).all()
    if name is not None:
        assert isinstance(data, pd.Series)
        assert data.name == name


def test_airline_known_values():
    y = load_airline()
    assert y[pd.Period("1949-01", freq="M")] == 112.0
    assert y[pd.Period("1960-12", freq="M")] == 432.0
    # The series' well-known peak, July 1960.
    assert y.idxmax() == pd.Period("1960-07", freq="M")
    assert y.max() == 622.0


def test_airline_matches_sktime():
    sktime_datasets = pytest.importorskip("sktime.datasets")
    expected = sktime_datasets.load_airline()
    y = load_airline()
    np.testing.assert_array_equal(y.to_numpy(), expected.to_numpy(dtype=float))
    assert list(y.index.astype(str)) == list(expected.index.astype(str))


def test_sunspots_match_statsmodels():
    from statsmodels.datasets import sunspots

    expected = sunspots.load_pandas().data
    y = load_sunspots()
    np.testing.assert_array_equal(y.to_numpy(), expected["SUNACTIVITY"].to_numpy())
    np.testing.assert_array_equal(y.index.year, expected["YEAR"].astype(int))
    assert (y.iloc[0], y.iloc[-1]) == (5.0, 2.9)


def test_macro_matches_statsmodels():
    from statsmodels.datasets import macrodata

    expected = macrodata.load_pandas().data
    data = load_macro()
    assert list(data.columns) == MACRO_COLUMNS
    np.testing.assert_array_equal(
        data.to_numpy(), expected[MACRO_COLUMNS].to_numpy(dtype=float)
    )
    np.testing.assert_array_equal(data.index.year, expected["year"].astype(int))
    np.testing.assert_array_equal(data.index.quarter, expected["quarter"].astype(int))
    assert data["cpi"].iloc[0] == 28.98
    assert data["cpi"].iloc[-1] == 216.385


@pytest.mark.parametrize("loader", [load_airline, load_sunspots])
def test_series_is_a_fresh_copy(loader):
    y = loader()
    first = y.iloc[0]
    y.iloc[0] = -1.0
    y.name = "changed"
    y.index.name = "changed"

    again = loader()
    assert again.iloc[0] == first
    assert again.name != "changed"
    assert again.index.name != "changed"
    assert again is not y


def test_macro_is_a_fresh_copy():
    data = load_macro()
    data.iloc[0, 0] = -1.0
    data.pop("cpi")
    data["extra"] = 0.0
    data.index.name = "changed"

    again = load_macro()
    assert list(again.columns) == MACRO_COLUMNS
    assert again.iloc[0, 0] == 2710.349
    assert again.index.name == "quarter"


def test_datasets_mapping():
    assert dict(DATASETS) == {
        "airline": load_airline,
        "macro": load_macro,
        "sunspots": load_sunspots,
    }
    with pytest.raises(TypeError):
        DATASETS["mine"] = load_airline


def test_loading_imports_only_pandas():
    """The loaders read CSV with pandas: no statsmodels, sktime or TensorFlow."""
    code = (
        "import sys; from skrnn.datasets import DATASETS\n"
        "for load in DATASETS.values(): load()\n"
        "heavy = {'statsmodels', 'sktime', 'tensorflow', 'keras'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
