"""Compare forecasters on the same time-series splits, with a report.

:func:`compare` fits RNNs and baselines on identical folds and returns a
:class:`ComparisonReport` (tables, Diebold-Mariano tests, figures, one-file
HTML), or on several series a :class:`PanelComparisonReport`.
:func:`default_models` are the models it runs when given none.
"""

from ._compare import compare
from ._inputs import default_models
from ._panel_report import PanelComparisonReport
from ._report import ComparisonReport
from ._stats import DieboldMarianoResult, diebold_mariano

__all__ = [
    "ComparisonReport",
    "DieboldMarianoResult",
    "PanelComparisonReport",
    "compare",
    "default_models",
    "diebold_mariano",
]
