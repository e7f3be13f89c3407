"""Loaders of the small real time series shipped with skrnn.

The data live in ``skrnn/datasets/data/*.csv``, one row per time point, the
first column being the period label. Nothing is downloaded. Each file is parsed
once per process; every call returns a new copy, so callers may modify what
they get.
"""

import functools
from importlib.resources import files
from types import MappingProxyType

import pandas as pd

__all__ = ["DATASETS", "load_airline", "load_macro", "load_sunspots"]


@functools.cache
def _read_table(filename, freq):
    """Parse a shipped CSV file into a float DataFrame with a PeriodIndex.

    Cached: callers must copy the result before handing it out.
    """
    resource = files(__package__) / "data" / filename
    with resource.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, index_col=0, dtype=str)
    index = pd.PeriodIndex(frame.index, freq=freq, name=frame.index.name)
    return frame.set_axis(index, axis=0).astype("float64")


def _load_series(filename, freq):
    frame = _read_table(filename, freq)
    return frame.iloc[:, 0].copy(deep=True)


def load_airline():
    """Load the monthly international airline passengers, 1949-1960.

    The classic Box & Jenkins airline series (series G): monthly totals of
    international airline passengers, in thousands, from January 1949 to
    December 1960. It has an upward trend and a yearly season
    (``seasonal_period=12``) whose swing grows with the level, which is why it
    is often modelled on the log scale.

    Returns
    -------
    y : pandas.Series of shape (144,)
        Float values named ``"passengers"``, indexed by a monthly
        ``PeriodIndex`` named ``"month"``.

    See Also
    --------
    load_sunspots : A yearly series with an irregular cycle.
    load_macro : Several quarterly US macroeconomic series.

    Notes
    -----
    The values are those shipped by sktime (``sktime.datasets.load_airline``),
    which describes them as "the classic Box & Jenkins airline data" and cites
    [1]_. The same table is R's ``AirPassengers`` data set. sktime gives no
    licence for the data beyond its own BSD-3-Clause licence.

    References
    ----------
    .. [1] Box, G. E. P., Jenkins, G. M. and Reinsel, G. C. (1976) Time Series
       Analysis, Forecasting and Control. Third Edition. Holden-Day.
       Series G.

    Examples
    --------
    >>> from skrnn.datasets import load_airline
    >>> y = load_airline()
    >>> y.shape
    (144,)
    >>> y.index[0], y.index[-1]
    (Period('1949-01', 'M'), Period('1960-12', 'M'))
    >>> y.name, y.index.name
    ('passengers', 'month')
    """
    return _load_series("airline.csv", "M")


def load_sunspots():
    """Load the yearly sunspot numbers, 1700-2008.

    Yearly mean number of sunspots from 1700 to 2008, from the National
    Geophysical Data Center (NGDC) of the US NOAA. The series follows the
    solar cycle of roughly 11 years, with cycles of uneven length and height,
    so it has no fixed seasonal period; an autoregression of order about 9 is
    a common baseline.

    Returns
    -------
    y : pandas.Series of shape (309,)
        Float values named ``"sunspots"``, indexed by a yearly
        ``PeriodIndex`` named ``"year"``.

    See Also
    --------
    load_airline : A monthly series with trend and yearly season.
    load_macro : Several quarterly US macroeconomic series.

    Notes
    -----
    The values are statsmodels' ``sunspots`` data set (variable
    ``SUNACTIVITY``), which gives its source as
    http://www.ngdc.noaa.gov/stp/solar/solarda3.html and notes: "This data is
    public domain." The values predate the 2015 recalibration of the sunspot
    number (version 2 of the series), so they differ from today's official
    numbers.

    Examples
    --------
    >>> from skrnn.datasets import load_sunspots
    >>> y = load_sunspots()
    >>> y.shape
    (309,)
    >>> y.index[0], y.index[-1]
    (Period('1700', 'Y-DEC'), Period('2008', 'Y-DEC'))
    >>> y.name, y.index.name
    ('sunspots', 'year')
    """
    return _load_series("sunspots.csv", "Y")


def load_macro():
    """Load quarterly US macroeconomic data, 1959Q1-2009Q3.

    Twelve quarterly series of the US economy, one column each:

    ========  ================================================================
    realgdp   Real gross domestic product (billions of chained 2005 US$,
              seasonally adjusted annual rate)
    realcons  Real personal consumption expenditures (same unit)
    realinv   Real gross private domestic investment (same unit)
    realgovt  Real federal consumption expenditures and gross investment
              (same unit)
    realdpi   Real private disposable income (same unit)
    cpi       End-of-quarter consumer price index for all urban consumers,
              all items (1982-84 = 100, seasonally adjusted)
    m1        End-of-quarter M1 nominal money stock (seasonally adjusted)
    tbilrate  Quarterly average of the monthly 3-month treasury bill rate
              (secondary market)
    unemp     Unemployment rate (%, seasonally adjusted)
    pop       End-of-quarter total population, all ages, including armed
              forces overseas
    infl      Inflation rate, ``400 * ln(cpi[t] / cpi[t-1])``
    realint   Real interest rate, ``tbilrate - infl``
    ========  ================================================================

    ``cpi`` is the price-like series to forecast; the others can serve as
    exogenous regressors (``X``).

    Returns
    -------
    data : pandas.DataFrame of shape (203, 12)
        Float columns as above, indexed by a quarterly ``PeriodIndex`` named
        ``"quarter"``.

    See Also
    --------
    load_airline : A monthly series with trend and yearly season.
    load_sunspots : A yearly series with an irregular cycle.

    Notes
    -----
    The values are statsmodels' ``macrodata`` data set (its ``year`` and
    ``quarter`` columns become the index), which notes: "This is public
    domain." statsmodels gives the source as: compiled by Skipper Seabold; all
    data are from FRED, Federal Reserve Economic Data, Federal Reserve Bank of
    St. Louis, except the unemployment rate, from the Bureau of Labor
    Statistics, U.S. Department of Labor; both accessed December 15, 2009.

    ``infl`` and ``realint`` are 0 in the first quarter, where the source has
    no previous quarter to compute them from; drop that row when using them.

    Examples
    --------
    >>> from skrnn.datasets import load_macro
    >>> data = load_macro()
    >>> data.shape
    (203, 12)
    >>> data.index[0], data.index[-1]
    (Period('1959Q1', 'Q-DEC'), Period('2009Q3', 'Q-DEC'))

    Split off a target; the rest are exogenous regressors on the same index:

    >>> y = data.pop("cpi")
    >>> y.shape, data.shape
    ((203,), (203, 11))
    """
    return _read_table("macro.csv", "Q").copy(deep=True)


DATASETS = MappingProxyType(
    {
        "airline": load_airline,
        "macro": load_macro,
        "sunspots": load_sunspots,
    }
)
