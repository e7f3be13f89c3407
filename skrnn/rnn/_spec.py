"""The description of a network, shared by the estimators and the Keras module."""

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any


def freeze(value):
    """A hashable copy of a (nested) Keras config."""
    if isinstance(value, dict):
        return ("__dict__", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("__list__", tuple(freeze(v) for v in value))
    return value


def _knob_identity(value):
    """What makes two values of a knob the same network.

    ``clone`` deep-copies parameters: a function stays itself, but a
    ``functools.partial`` or a Keras loss object becomes a new, equal object.
    Those compare by what they are (the function and arguments, the class and
    config), so clones share a compiled template; anything else by itself.
    """
    if isinstance(value, functools.partial):
        return (
            functools.partial,
            _knob_identity(value.func),
            tuple(_knob_identity(a) for a in value.args),
            tuple(sorted((k, _knob_identity(v)) for k, v in value.keywords.items())),
        )
    # Keras losses and activation objects, not layers (a layer object holds
    # its own weights, so two of them are two networks).
    if hasattr(value, "get_config") and not hasattr(value, "build"):
        try:
            identity = (type(value), freeze(value.get_config()))
            hash(identity)
        except Exception:  # a config that cannot be read or hashed
            return value
        return identity
    return value


@dataclass(frozen=True, eq=False)
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
    # Number of last time steps a linear skip connection reads (0: none).
    linear_steps: int = 0
    # The convolution front-end: one entry per Conv1D block (empty for none).
    conv_filters: tuple = ()
    conv_kernel_size: tuple = ()
    conv_strides: tuple = ()
    # Rate of a Dropout on the recurrent summary where it joins the
    # convolution features (layer_dropout="auto"); 0 for none.
    branch_dropout: float = 0.0
    # "sequence": z-normalise every sequence per feature inside the network.
    normalize: Any = None
    # One output per time step (Keras's return_sequences): the recurrent
    # layers return every state and the output layer reads each of them.
    return_sequences: bool = False
    # Token input: the width of the embedding (None: numeric sequences) and
    # the number of token ids it embeds (two more rows: padding and
    # out-of-vocabulary).
    embedding_dim: Any = None
    vocabulary_size: int = 0
    # The outputs as a sequence read by a recurrent decoder (RNNRegressor's
    # ``decoder``) rather than one Dense layer.
    decoder: bool = False

    def _identity(self):
        return tuple(
            _knob_identity(getattr(self, field.name))
            for field in dataclasses.fields(self)
        )

    def __eq__(self, other):
        if not isinstance(other, NetworkSpec):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())
