"""Forecast error metrics and the scikit-learn scorers built on them.

The metrics (:func:`mae`, :func:`rmse`, :func:`smape`, :func:`mase`) return
errors, lower is better. :func:`get_scorer` wraps them for ``scoring=`` in
``GridSearchCV`` and ``cross_validate``, negated so that greater is better.
"""

from ._regression import mae, mase, rmse, smape
from ._scorer import get_scorer

__all__ = ["get_scorer", "mae", "mase", "rmse", "smape"]
