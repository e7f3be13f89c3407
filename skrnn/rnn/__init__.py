"""Recurrent neural network estimators (Keras 3 inside, scikit-learn outside)."""

from ._classifier import RNNClassifier
from ._regressor import RNNRegressor

__all__ = ["RNNClassifier", "RNNRegressor"]
