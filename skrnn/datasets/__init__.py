"""Small real time series shipped with skrnn (nothing is downloaded).

Each loader returns a new pandas object indexed by a ``PeriodIndex`` at the
series' frequency, with float values:

- :func:`load_airline`: monthly airline passengers, 1949-1960 (144 values).
- :func:`load_sunspots`: yearly sunspot numbers, 1700-2008 (309 values).
- :func:`load_macro`: quarterly US macroeconomic data, 1959Q1-2009Q3
  (203 rows, 12 columns).

:func:`read_csv_series` reads one column of your own CSV file the way
``skrnn compare`` does: rows sorted by date, years and quarters as periods,
gaps and missing values refused or filled; :func:`read_csv_panel` reads
several series (columns of one file, or one row per series and date) as one
wide DataFrame.

``DATASETS`` is a read-only mapping from each data set's short name to its
loader, for picking a data set by name (as a command line does):

>>> from skrnn.datasets import DATASETS
>>> sorted(DATASETS)
['airline', 'macro', 'sunspots']
>>> DATASETS["airline"]().shape
(144,)
"""

from ._base import DATASETS, load_airline, load_macro, load_sunspots
from ._csv import read_csv_panel, read_csv_series

__all__ = [
    "DATASETS",
    "load_airline",
    "load_macro",
    "load_sunspots",
    "read_csv_panel",
    "read_csv_series",
]
