"""Recurrent neural network estimators (Keras 3 inside, scikit-learn outside)."""

from ._cache import clear_cache
from ._classifier import RNNClassifier
from ._diagnostics import time_step_gradients
from ._regressor import RNNRegressor

__all__ = ["RNNClassifier", "RNNRegressor", "clear_cache", "time_step_gradients"]
