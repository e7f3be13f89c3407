"""The development suite of bench_forecast_suite.py: real series shipped offline."""

import numpy as np
import pandas as pd


def _airline():
    from skrnn.datasets import load_airline

    return np.log(load_airline())


def _co2():
    from statsmodels.datasets import co2

    weekly = co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate(method="linear")
    monthly.index = monthly.index.to_period("M")
    return monthly.rename("co2")


def _sunspots():
    from skrnn.datasets import load_sunspots

    return load_sunspots()


def _macro(column, log):
    def load():
        from skrnn.datasets import load_macro

        y = load_macro()[column]
        return np.log(y) if log else y

    return load


def _nile():
    from statsmodels.datasets import nile

    data = nile.load_pandas().data
    index = pd.PeriodIndex(data["year"].astype(int).astype(str), freq="Y")
    return pd.Series(data["volume"].to_numpy(float), index=index, name="nile")


def _elnino():
    from statsmodels.datasets import elnino

    data = elnino.load_pandas().data.set_index("YEAR")
    values = data.to_numpy(float).ravel()
    start = f"{int(data.index[0])}-01"
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(values, index=index, name="elnino")


def _elec_equip():
    from statsmodels.datasets import elec_equip

    data = elec_equip.load_pandas().data.iloc[:, 0]
    data.index = pd.DatetimeIndex(data.index).to_period("M")
    return data.astype(float).rename("elec_equip")


# name -> (loader, horizon h, seasonal period m or None)
SUITE = {
    "airline (log)": (_airline, 12, 12),
    "co2 (monthly)": (_co2, 24, 12),
    "sunspots (yearly)": (_sunspots, 11, None),
    "realgdp (log)": (_macro("realgdp", True), 8, 4),
    "unemp": (_macro("unemp", False), 8, 4),
    "infl": (_macro("infl", False), 8, 4),
    "tbilrate": (_macro("tbilrate", False), 8, 4),
    "nile": (_nile, 10, None),
    "elnino": (_elnino, 12, 12),
    "elec_equip": (_elec_equip, 12, 12),
}


def split(name):
    """(y_train, y_test, h, m): the test part is the last h points."""
    loader, h, m = SUITE[name]
    y = loader()
    return y.iloc[:-h], y.iloc[-h:], h, m
