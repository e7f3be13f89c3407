"""Forecasters with the fit(X, y) / predict(X) contract (see DESIGN.md)."""

from ._ar import ARForecaster
from ._naive import NaiveForecaster
from ._recursive import RecursiveForecaster

__all__ = ["ARForecaster", "NaiveForecaster", "RecursiveForecaster"]
