"""Compare forecasters on the same time-series splits, with a report.

:func:`compare` fits RNNs and baselines on identical folds and returns a
:class:`ComparisonReport` (tables, Diebold-Mariano tests, figures, one-file
HTML). :func:`default_models` are the models it runs when given none.
"""

from ._compare import compare, default_models
from ._report import ComparisonReport
from ._stats import DieboldMarianoResult, diebold_mariano

__all__ = [
    "ComparisonReport",
    "DieboldMarianoResult",
    "compare",
    "default_models",
    "diebold_mariano",
]
