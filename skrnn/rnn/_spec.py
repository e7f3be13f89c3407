"""The description of a network, shared by the estimators and the Keras module."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NetworkSpec:
    """Everything that fixes a network's compiled graph.

    Two fits with equal specs share one compiled Keras template (see
    ``_keras.py``); the learning rate and the weights are not part of it, and
    templates ignore the number of time steps. ``masked`` says whether the
    data has padding to mask: masking costs time at every step, and its
    result is the same when nothing is padded.
    """

    input_shape: tuple
    n_outputs: int
    output_activation: str
    cell: str
    units: tuple
    bidirectional: bool
    dropout: float
    recurrent_dropout: float
    activation: Any
    dense_units: tuple
    attention: bool
    network: Any
    optimizer: str
    clipnorm: Any
    loss: Any
    name: str
    masked: bool = True
    layer_dropout: float = 0.0
    dense_activation: Any = "relu"
    clipvalue: Any = None
    global_clipnorm: Any = None
    # A Keras LearningRateSchedule as (class, sorted config items), so that
    # equal schedules share a template; None for a constant learning rate.
    learning_rate_schedule: Any = None
