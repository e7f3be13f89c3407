"""Forecasters with the fit(X, y) / predict(X) contract (see docs/design.rst).

``fill_gaps`` prepares a series with missing values or missing time points
for them.
"""

from ._ar import ARForecaster
from ._direct import DirectForecaster
from ._gaps import fill_gaps
from ._naive import NaiveForecaster
from ._recursive import RecursiveForecaster

__all__ = [
    "ARForecaster",
    "DirectForecaster",
    "NaiveForecaster",
    "RecursiveForecaster",
    "fill_gaps",
]
