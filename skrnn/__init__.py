"""skrnn: recurrent neural networks for time series, the scikit-learn way.

The main names are importable from the top level; they are loaded on first
use, so ``import skrnn`` stays light (no TensorFlow, Keras or statsmodels).
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skrnn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

# Public name -> subpackage that defines it.
_LAZY = {
    "RNNRegressor": "rnn",
    "RNNClassifier": "rnn",
    "Differencer": "preprocessing",
    "SlidingWindow": "preprocessing",
    "SequenceScaler": "preprocessing",
    "make_windows": "preprocessing",
    "TextTokenizer": "preprocessing",
    "RecursiveForecaster": "forecasting",
    "DirectForecaster": "forecasting",
    "ARForecaster": "forecasting",
    "NaiveForecaster": "forecasting",
    "fill_gaps": "forecasting",
    "compare": "comparison",
    "ComparisonReport": "comparison",
}
_SUBPACKAGES = [
    "comparison",
    "datasets",
    "forecasting",
    "metrics",
    "preprocessing",
    "rnn",
]

__all__ = [*_LAZY, *_SUBPACKAGES, "__version__"]


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f"skrnn.{_LAZY[name]}")
        return getattr(module, name)
    if name in _SUBPACKAGES:
        return importlib.import_module(f"skrnn.{name}")
    raise AttributeError(f"module 'skrnn' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
