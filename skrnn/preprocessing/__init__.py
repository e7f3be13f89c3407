"""Transformers and helpers that prepare time series for recurrent networks.

``Differencer``, ``SlidingWindow`` and ``SequenceScaler`` keep the rows of
their input, so they can be chained in a scikit-learn Pipeline before an RNN;
``make_windows`` turns a series into a supervised (X, y) data set;
``WindowLayout`` says where the target and the regressors sit in the windows
of a recursive forecaster; ``TextTokenizer`` turns documents into token-id
sequences for a network with ``embedding_dim``.
"""

from ._differencer import Differencer
from ._layout import WindowLayout
from ._scaler import SequenceScaler
from ._sliding_window import SlidingWindow
from ._text import TextTokenizer
from ._windows import make_windows

__all__ = [
    "Differencer",
    "SequenceScaler",
    "SlidingWindow",
    "TextTokenizer",
    "WindowLayout",
    "make_windows",
]
