"""Forecasters with the fit(X, y) / predict(X) contract (see docs/design.rst).

``fill_gaps`` prepares a series with missing values or missing time points
for them; ``from_long`` and ``to_long`` turn long tables into wide panels
and back.
"""

from ._ar import ARForecaster
from ._direct import DirectForecaster
from ._gaps import fill_gaps
from ._naive import NaiveForecaster
from ._panel import from_long, to_long
from ._recursive import RecursiveForecaster

__all__ = [
    "ARForecaster",
    "DirectForecaster",
    "NaiveForecaster",
    "RecursiveForecaster",
    "fill_gaps",
    "from_long",
    "to_long",
]
