"""Recurrent neural network estimators (Keras 3 inside, scikit-learn outside)."""

from ._classifier import RNNClassifier
from ._diagnostics import time_step_gradients
from ._regressor import RNNRegressor

__all__ = ["RNNClassifier", "RNNRegressor", "time_step_gradients"]
