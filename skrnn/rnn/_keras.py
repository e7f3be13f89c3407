"""Everything that touches Keras and TensorFlow lives here.

Nothing in skrnn imports this module at ``import skrnn``: the estimators import
it inside ``fit``/``predict``, so TensorFlow is loaded only when a network is
built or used.
"""

import collections
import contextlib
import dataclasses
import functools
import hashlib
import random
import secrets
import threading
import warnings

import numpy as np

from ._spec import freeze
from ._tensorflow import keras, templates_tracing, tf, use_the_worker_share_of_cores

if keras.backend.backend() != "tensorflow":  # pragma: no cover - env dependent
    raise ImportError(
        "skrnn needs the TensorFlow backend of Keras, but KERAS_BACKEND is "
        f"{keras.backend.backend()!r}. Unset KERAS_BACKEND or set it to "
        "'tensorflow'."
    )

from keras import layers, ops

PREDICT_BATCH_SIZE = 1024
# Architectures whose compiled templates are kept alive (least recent dropped).
# A template holds ~18 MiB, of which TensorFlow keeps ~12 MiB after it is
# dropped (benchmarks/bench_memory.py): dropping saves little memory and
# costs a rebuild, so the cache holds a grid search's worth of architectures.
MAX_TEMPLATES = 64

_CELLS = {"simple": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}


@keras.saving.register_keras_serializable(package="skrnn")
class NaNMasking(layers.Layer):
    """Replace NaN time steps by zeros and mask them for the layers after.

    A time step is padding when all its features are NaN; skrnn's input
    validation guarantees that NaN appears nowhere else.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.logical_not(ops.isnan(inputs)), axis=-1)

    def call(self, inputs):
        return ops.where(ops.isnan(inputs), ops.zeros_like(inputs), inputs)


@keras.saving.register_keras_serializable(package="skrnn")
class TokenRows(layers.Layer):
    """Embedding rows (float, NaN at padding) as the int ids ``Embedding``
    reads, 0 at padding, so that ``Embedding(mask_zero=True)`` masks it."""

    def call(self, inputs):
        rows = inputs[..., 0]
        return ops.cast(ops.where(ops.isnan(rows), ops.zeros_like(rows), rows), "int32")

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1])


@keras.saving.register_keras_serializable(package="skrnn")
class ObservedMean(layers.GlobalAveragePooling1D):
    """``GlobalAveragePooling1D`` over the unmasked steps, and 0 for a
    sequence with none (Keras divides by zero there: NaN), so that an empty
    sequence among others, e.g. a text without tokens, gets the network's
    output for no input."""

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        weight = ops.cast(mask, inputs.dtype)[..., np.newaxis]
        total = ops.sum(ops.where(weight > 0, inputs, 0.0), axis=1)
        return total / ops.maximum(ops.sum(weight, axis=1), 1.0)


@keras.saving.register_keras_serializable(package="skrnn")
class AttentionPooling(layers.Layer):
    """Additive attention over time steps: a learned weighted mean of states.

    ``score_t = v' tanh(W h_t + b)``; the weights are a softmax of the scores
    over the unmasked steps, and the output is the weighted sum of ``h_t``.
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seed = seed

    def build(self, input_shape):
        width = input_shape[-1]
        seeds = _SeedSequence(self.seed)
        self.projection = layers.Dense(
            width, activation="tanh", name="projection", **seeds.kernel()
        )
        self.projection.build(input_shape)
        self.score = layers.Dense(1, use_bias=False, name="score", **seeds.kernel())
        self.score.build((*input_shape[:-1], width))

    def call(self, inputs, mask=None):
        scores = self.score(self.projection(inputs))[..., 0]
        if mask is not None:
            scores = ops.where(mask, scores, ops.full_like(scores, -1e9))
        weights = ops.softmax(scores, axis=1)
        return ops.sum(inputs * weights[..., np.newaxis], axis=1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="skrnn")
class LastSteps(layers.Layer):
    """The last ``n_steps`` observed time steps, flattened: a linear skip's input.

    Padding (all-NaN steps) may sit anywhere in a sequence; the observed
    steps are moved to the end in their order first, so the skip reads the
    latest observations wherever the padding is. A sequence with fewer
    observed steps than ``n_steps`` reads zeros before them.
    """

    def __init__(self, n_steps, **kwargs):
        super().__init__(**kwargs)
        self.n_steps = n_steps

    def call(self, inputs):
        observed = ops.any(ops.logical_not(ops.isnan(inputs)), axis=-1)
        values = ops.where(ops.isnan(inputs), ops.zeros_like(inputs), inputs)
        counts = ops.cast(observed, "float32")
        # Observed steps after each step: 0 for the latest observation.
        after = ops.sum(counts, axis=1, keepdims=True) - ops.cumsum(counts, axis=1)
        # select[b, j, t]: step t is the (n_steps - 1 - j)-th observation from
        # the end, so that j runs from the oldest kept step to the latest.
        ranks = ops.arange(self.n_steps - 1, -1, -1, dtype="float32")
        select = (
            ops.cast(ops.equal(after[:, None, :], ranks[None, :, None]), "float32")
            * counts[:, None, :]
        )
        last = ops.matmul(select, values)
        return ops.reshape(last, (-1, self.n_steps * inputs.shape[-1]))

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n_steps * input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "n_steps": self.n_steps}


def _observed_moments(inputs):
    """Per sequence and feature, the mean and standard deviation over the
    observed (non-NaN) steps, each of shape (batch, 1, n_features)."""
    observed = ops.logical_not(ops.isnan(inputs))
    weight = ops.cast(observed, inputs.dtype)
    count = ops.maximum(ops.sum(weight, axis=1, keepdims=True), 1.0)
    mean = ops.sum(ops.where(observed, inputs, 0.0), axis=1, keepdims=True) / count
    centred = ops.where(observed, inputs - mean, 0.0)
    variance = ops.sum(centred * centred, axis=1, keepdims=True) / count
    # sqrt's gradient at 0 is infinite: a constant sequence's would be NaN
    positive = variance > 0
    std = ops.where(positive, ops.sqrt(ops.where(positive, variance, 1.0)), 0.0)
    return mean, std


@keras.saving.register_keras_serializable(package="skrnn")
class SequenceStandardization(layers.Layer):
    """Z-normalise every sequence, per feature, over its observed time steps.

    Each sequence gets mean 0 and standard deviation 1 in each feature, as the
    UCR/UEA literature normalises series before classifying them. Padding
    (NaN steps) is left out of the statistics and stays NaN; a feature that
    is constant over a sequence becomes 0.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        mean, std = _observed_moments(inputs)
        # float32 leaves a constant sequence a spread of ~1e-7 of its level
        constant = std <= 1e-5 * ops.abs(mean) + 1e-12
        # Padding computes from the mean and is NaN again at the end, so that
        # no NaN reaches the gradients of the statistics (time_step_gradients).
        padded = ops.isnan(inputs)
        filled = ops.where(padded, mean, inputs)
        scale = ops.where(constant, 1.0, std)
        z = ops.where(constant, 0.0, 1.0) * (filled - mean) / scale
        return ops.where(padded, float("nan"), z)


@keras.saving.register_keras_serializable(package="skrnn")
class SequenceStatistics(layers.Layer):
    """What z-normalisation takes away: each sequence's level and scale.

    Per feature, ``asinh`` of the mean and of the standard deviation over the
    observed (non-NaN) steps: ``asinh`` keeps the sign and compresses the
    orders of magnitude that levels span across sequences. Output shape
    (batch, 2 * n_features), the means first.
    """

    def call(self, inputs):
        mean, std = _observed_moments(inputs)
        return ops.concatenate([ops.arcsinh(mean), ops.arcsinh(std)], axis=-1)[:, 0]

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2 * input_shape[-1])


@keras.saving.register_keras_serializable(package="skrnn")
class ConvBlock(layers.Layer):
    """``Conv1D -> BatchNormalization -> ReLU`` over time, aware of padding.

    Padded (masked) steps enter the convolution as zeros, as the zero padding
    at a sequence's borders does, and are left out of the batch statistics;
    an unpadded sequence and the same sequence padded give the same outputs
    at its steps. With ``strides > 1`` the outputs are taken every
    ``strides`` steps counting back from the last step (where every
    sequence of skrnn's left-padded data ends), and the mask is downsampled
    with them.
    """

    def __init__(self, filters, kernel_size, strides=1, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.filters, self.kernel_size = int(filters), int(kernel_size)
        self.strides, self.seed = int(strides), seed

    def build(self, input_shape):
        seeds = _SeedSequence(self.seed)
        self.conv = layers.Conv1D(
            self.filters,
            self.kernel_size,
            strides=self.strides,
            padding="valid",
            name="conv",
            **seeds.kernel(),
        )
        self.conv.build((None, None, input_shape[-1]))
        # Keras's default momentum 0.99 leaves the moving statistics far from
        # the batch statistics after the few hundred steps that small sets
        # train: on GunPoint, after 600 steps, 92% of the training set and
        # 87% of the test set right when predicting; with 0.9 after 200
        # steps, 100% and 96%.
        self.norm = layers.BatchNormalization(momentum=0.9, name="norm")
        self.norm.build((None, None, self.filters))

    def _downsampled(self, mask):
        if self.strides == 1:
            return mask
        return ops.flip(ops.flip(mask, axis=1)[:, :: self.strides], axis=1)

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if mask is not None:
            x = ops.where(mask[..., np.newaxis], x, ops.zeros_like(x))
        if self.strides > 1:  # a grid that ends at the last step
            x = ops.flip(x, axis=1)
        k = self.kernel_size
        x = self.conv(ops.pad(x, [[0, 0], [(k - 1) // 2, k // 2], [0, 0]]))
        if self.strides > 1:
            x = ops.flip(x, axis=1)
        out_mask = None if mask is None else self._downsampled(mask)
        x = ops.relu(self.norm(x, training=training, mask=out_mask))
        if out_mask is not None:
            x = ops.where(out_mask[..., np.newaxis], x, ops.zeros_like(x))
        return x

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else self._downsampled(mask)

    def compute_output_shape(self, input_shape):
        steps = input_shape[1]
        if steps is not None:
            steps = -(-steps // self.strides)
        return (input_shape[0], steps, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "seed": self.seed,
        }


class _SeedSequence:
    """Explicit seeds for every random initializer and dropout of a network.

    Keras draws the seeds of unseeded layers from Python's global ``random``,
    which other threads may consume at any time (dask workers do, between
    any seeding and the build), so a seeded fit would not be reproducible
    there. Seeds drawn from a private generator are. ``seed=None`` leaves
    Keras's defaults.
    """

    def __init__(self, seed):
        self._rng = None if seed is None else np.random.default_rng(seed)

    def draw(self):
        return None if self._rng is None else int(self._rng.integers(2**31 - 1))

    def kernel(self):
        return {"kernel_initializer": keras.initializers.GlorotUniform(self.draw())}

    def recurrent(self):
        return {
            **self.kernel(),
            "recurrent_initializer": keras.initializers.Orthogonal(seed=self.draw()),
            "seed": self.draw(),  # dropout masks
        }


class _NeedsFixedLength(Exception):
    """A ``network`` body that cannot be built for an unknown number of steps."""


def _call_body(spec, x):
    """Call the user's ``network`` body; refuse what skrnn cannot put a head on."""
    agnostic = spec.input_shape[0] is None
    with warnings.catch_warnings():
        # Keras warns on every build that a layer of the body "does not
        # support masking"; skrnn says it once per fit, and only when the
        # data is padded (see _BaseRNN._warn_unmasked_layers).
        warnings.filterwarnings("ignore", message=".*does not support masking")
        try:
            x = spec.network(x)
        except Exception as exc:
            if agnostic:  # e.g. Flatten then Dense: needs the number of steps
                raise _NeedsFixedLength from exc
            raise
    if spec.return_sequences:
        steps = spec.input_shape[0]
        if len(x.shape) != 3 or (
            steps is not None and x.shape[1] is not None and x.shape[1] != steps
        ):
            raise ValueError(
                "With return_sequences=True the `network` callable must return "
                "a 3-D tensor (batch, n_timesteps, n_hidden) with one state per "
                f"input time step ({steps}). Got a tensor of shape "
                f"{tuple(x.shape)} instead."
            )
    elif len(x.shape) != 2:
        raise ValueError(
            "The `network` callable must return a 2-D tensor (batch, "
            f"n_hidden). Got a tensor of shape {tuple(x.shape)} instead."
        )
    if x.shape[-1] is None:
        if agnostic:
            raise _NeedsFixedLength
        raise ValueError(
            "The `network` callable must return a tensor whose last axis has a "
            f"known width. Got a tensor of shape {tuple(x.shape)} instead."
        )
    return x


def build_network(spec, seed=None):
    """Build the (uncompiled) Keras model a :class:`NetworkSpec` describes.

    ``seed`` fixes the initial weights and dropout masks of the layers built
    from the knobs (a ``network`` callable seeds its own layers). With an
    unknown number of time steps (``spec.input_shape[0] is None``), a
    ``network`` body that needs it raises ``_NeedsFixedLength``.
    """
    use_the_worker_share_of_cores()  # before TensorFlow's runtime starts
    seeds = _SeedSequence(seed)
    inputs = keras.Input(shape=spec.input_shape, name="sequences")
    x = inputs
    if spec.embedding_dim is not None:
        # Seeded only here, so that numeric networks keep their weights.
        x = TokenRows(name="token_rows")(x)
        x = layers.Embedding(
            spec.vocabulary_size + 2,
            spec.embedding_dim,
            mask_zero=spec.masked,
            embeddings_initializer=keras.initializers.RandomUniform(
                -0.05, 0.05, seed=seeds.draw()
            ),
            name="embedding",
        )(x)
    elif spec.normalize in ("sequence", "shape"):
        x = SequenceStandardization(name="normalize")(x)
    statistics = None
    if spec.normalize == "sequence" and not spec.return_sequences:
        statistics = SequenceStatistics(name="sequence_statistics")(inputs)
        # Batch-normalised: on PLAID the raw statistics, or the statistics
        # standardised once over the training set, let one seed in five
        # collapse (72% and 76% against 83-86%). Momentum 0.9 as in ConvBlock.
        # No offset or scale of its own: the zero-started Dense that reads
        # it learns them, and an offset there would be a second output bias.
        statistics = layers.BatchNormalization(
            momentum=0.9, center=False, scale=False, name="statistics_norm"
        )(statistics)
    if spec.embedding_dim is None and spec.masked:
        x = NaNMasking(name="padding_mask")(x)
    if spec.network is not None:
        x = _call_body(spec, x)
    else:

        def recurrent(i, width, **kwargs):
            last = i == len(spec.units) - 1
            return _CELLS[spec.cell](
                width,
                activation=spec.activation,
                dropout=spec.dropout,
                recurrent_dropout=spec.recurrent_dropout,
                return_sequences=spec.return_sequences or spec.attention or not last,
                **seeds.recurrent(),
                **kwargs,
            )

        def layer_dropout(name):
            # Seeds are drawn only when used, so that networks without it keep
            # the initial weights they had before the knob existed.
            if not spec.layer_dropout:
                return lambda tensor: tensor
            return layers.Dropout(spec.layer_dropout, seed=seeds.draw(), name=name)

        pooled = None
        if spec.conv_filters:
            # Seeds are drawn only for these layers, so that networks without
            # them keep the initial weights they had before the knob existed.
            for i, (filters, size, stride) in enumerate(
                zip(
                    spec.conv_filters,
                    spec.conv_kernel_size,
                    spec.conv_strides,
                    strict=True,
                )
            ):
                x = ConvBlock(
                    filters, size, stride, seed=seeds.draw(), name=f"conv_{i}"
                )(x)
            # Per step, the convolution features of each step join the
            # recurrent state of that step; otherwise their average over time
            # joins the last state.
            pooled = x if spec.return_sequences else ObservedMean(name="conv_pool")(x)
        for i, width in enumerate(spec.units):
            layer = recurrent(i, width, name=f"{spec.cell}_{i}")
            if spec.bidirectional:
                layer = layers.Bidirectional(
                    layer,
                    backward_layer=recurrent(
                        i, width, go_backwards=True, name=f"{spec.cell}_{i}_backward"
                    ),
                    name=f"bidirectional_{i}",
                )
            x = layer(x)
            x = layer_dropout(f"{spec.cell}_{i}_dropout")(x)
        if spec.attention:
            x = AttentionPooling(seed=seeds.draw(), name="attention")(x)
        if pooled is not None and spec.units:
            # LSTM-FCN's two branches: the recurrent summary beside the
            # convolution features averaged over time.
            if spec.branch_dropout:
                x = layers.Dropout(
                    spec.branch_dropout, seed=seeds.draw(), name="recurrent_dropout"
                )(x)
            x = layers.Concatenate(name="conv_concat")([x, pooled])
        elif pooled is not None:
            x = pooled
        for i, width in enumerate(spec.dense_units):
            x = layers.Dense(
                width,
                activation=spec.dense_activation,
                name=f"dense_{i}",
                **seeds.kernel(),
            )(x)
            x = layer_dropout(f"dense_{i}_dropout")(x)
    if spec.decoder:
        return keras.Model(
            inputs, _decoder_head(spec, inputs, x, seeds), name=spec.name
        )
    if spec.linear_steps and spec.return_sequences:
        # Per step, the output at each step is linear in the network's
        # features there and the input values of that step.
        skip = NaNMasking(name="linear_skip")(inputs)
        x = layers.Concatenate(name="with_linear_skip")([x, skip])
    elif spec.linear_steps:
        # The output layer is linear in [network features, last steps]: an
        # AR-like linear part beside the network (LSTNet's "highway").
        skip = LastSteps(spec.linear_steps, name="linear_skip")(inputs)
        x = layers.Concatenate(name="with_linear_skip")([x, skip])
    # With the statistics the activation follows their term, added below.
    outputs = layers.Dense(
        spec.n_outputs,
        activation=spec.output_activation if statistics is None else None,
        name="output",
        **seeds.kernel(),
    )(x)
    if statistics is not None:
        # The level and scale add a linear term to the output layer's input,
        # started at zero: the network starts as the one of "shape" and uses
        # them only as far as training finds them useful.
        level = layers.Dense(
            spec.n_outputs,
            use_bias=False,
            kernel_initializer="zeros",
            name="statistics_output",
        )(statistics)
        outputs = layers.Add(name="with_statistics")([outputs, level])
        outputs = layers.Activation(spec.output_activation, name="output_activation")(
            outputs
        )
    return keras.Model(inputs, outputs, name=spec.name)


def _decoder_head(spec, inputs, summary, seeds):
    """The outputs as a sequence: a recurrent decoder reads the encoder's
    summary at each of ``n_outputs`` steps (the encoder-decoder of
    sequence-to-sequence forecasting, with the summary repeated as in Keras's
    time-series examples) and one shared Dense reads each decoder state. The
    linear skip, when there is one, adds a linear function of the last steps
    per output, named "output" so that it starts at least squares."""
    width = spec.units[-1] if spec.units and spec.network is None else 32
    steps = layers.RepeatVector(spec.n_outputs, name="decoder_input")(summary)
    states = _CELLS[spec.cell](
        width,
        activation=spec.activation,
        return_sequences=True,
        **seeds.recurrent(),
        name=f"decoder_{spec.cell}",
    )(steps)
    activation = "linear" if spec.linear_steps else spec.output_activation
    name = "decoder_output" if spec.linear_steps else "output"
    per_step = layers.Dense(1, activation=activation, name=name, **seeds.kernel())
    outputs = layers.Flatten(name="decoded")(per_step(states))
    if spec.linear_steps:
        skip = LastSteps(spec.linear_steps, name="linear_skip")(inputs)
        linear = layers.Dense(spec.n_outputs, name="output", **seeds.kernel())(skip)
        outputs = layers.Add(name="with_linear_skip")([outputs, linear])
        if spec.output_activation != "linear":
            outputs = layers.Activation(
                spec.output_activation, name="output_activation"
            )(outputs)
    return outputs


# Whether a `network` body reads any number of time steps, per (body,
# n_features, masked); decided once by building it for an unknown length.
_READS_ANY_LENGTH = {}


def _reads_any_length(spec):
    if spec.network is None:
        return True
    key = (spec.network, spec.input_shape[1], spec.masked)
    try:
        return _READS_ANY_LENGTH[key]
    except TypeError:  # an unhashable callable: decide every time
        pass
    except KeyError:
        pass
    agnostic = dataclasses.replace(spec, input_shape=(None, spec.input_shape[1]))
    try:
        with private_random(0):
            model = build_network(agnostic)
    except _NeedsFixedLength:
        answer = False
    else:
        # Keras 3's TimeDistributed builds for an unknown number of steps but
        # fails when it runs (InvalidArgumentError in its vectorized map).
        answer = not any(
            isinstance(layer, layers.TimeDistributed)
            for layer in model._flatten_layers(include_self=False)
        )
    with contextlib.suppress(TypeError):
        _READS_ANY_LENGTH[key] = answer
    return answer


def reads_any_length(spec):
    """Whether the network of ``spec`` reads sequences of any length.

    Networks built from the knobs do (recurrent layers, attention, dense
    head); a ``network`` body that needs the number of time steps (Flatten,
    TimeDistributed) reads only the fitted length.
    """
    return _reads_any_length(spec)


def _time_axis(spec):
    """``spec`` with an unknown number of time steps, where its network allows."""
    if _reads_any_length(spec):
        return dataclasses.replace(spec, input_shape=(None, spec.input_shape[1]))
    return spec


def _copy_variables(source, target):
    """Assign every variable of ``source`` (weights and seed states) to ``target``."""
    src, dst = source.variables, target.variables
    if len(src) != len(dst) or any(
        a.shape != b.shape for a, b in zip(src, dst, strict=True)
    ):
        raise ValueError(
            "The `network` callable built two different architectures from "
            "the same input; it must build the same layers on every call."
        )
    for a, b in zip(src, dst, strict=True):
        b.assign(a.value)


def input_gradient_norms(spec, model, X, y):
    """Per (sample, time step) L2 norms of the gradient of each sample's loss
    with respect to its input at that step (see skrnn.rnn.time_step_gradients).

    Computed through the spec's template (any length, masked where X is
    padded) with dropout off; padded steps get NaN.
    """
    loss_fn = keras.losses.get(spec.loss) if isinstance(spec.loss, str) else spec.loss
    norms = []
    with _borrowed_template(_masked_if_padded(spec, X)) as template:
        _copy_variables(model, template.model)
        for start in range(0, len(X), PREDICT_BATCH_SIZE):
            xb = tf.convert_to_tensor(X[start : start + PREDICT_BATCH_SIZE])
            yb = tf.convert_to_tensor(y[start : start + PREDICT_BATCH_SIZE])
            with tf.GradientTape() as tape:
                tape.watch(xb)
                losses = loss_fn(yb, template.model(xb, training=False))
                # per-sample losses sum to each sample's own gradient; a loss
                # that averages over the batch is scaled back
                total = ops.sum(losses) * (
                    tf.cast(tf.shape(xb)[0], tf.float32)
                    if len(losses.shape) == 0
                    else 1
                )
            gradient = tape.gradient(total, xb).numpy()
            norms.append(np.sqrt(np.square(gradient).sum(axis=-1)))
    norms = np.concatenate(norms).astype(np.float64)
    norms[np.isnan(X).all(axis=-1)] = np.nan
    return norms


def _optimizer(spec):
    """The Keras optimizer of ``spec``: its clipping, and its learning-rate
    schedule when there is one (a graph reads a schedule, not a variable, so a
    schedule is part of the template; a constant rate is set per fit)."""
    config = {
        "clipnorm": spec.clipnorm,
        "clipvalue": spec.clipvalue,
        "global_clipnorm": spec.global_clipnorm,
    }
    if spec.learning_rate_schedule is not None:
        schedule_class, items = spec.learning_rate_schedule
        config["learning_rate"] = (
            items
            if schedule_class is None
            else schedule_class.from_config(_thaw(items))
        )
    return keras.optimizers.get({"class_name": spec.optimizer, "config": config})


def _thaw(value):
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__dict__":
        return {k: _thaw(v) for k, v in value[1]}
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__list__":
        return [_thaw(v) for v in value[1]]
    return value


def describe_schedule(schedule):
    """``schedule`` (a Keras LearningRateSchedule) as a hashable description
    from which the template rebuilds an equal schedule: two clones of an
    estimator hold equal schedules, not the same object. A schedule without a
    config is used as it is (its template is then its own)."""
    try:
        description = type(schedule), freeze(schedule.get_config())
        hash(description)
    except (NotImplementedError, TypeError):
        return None, schedule
    return description


class _Template:
    """A compiled network whose graph functions are reused across fits.

    Keras traces new graph functions for every new model: about a second per
    fit, and ~11 MiB per fit that TensorFlow's runtime never releases
    (benchmarks/bench_memory.py). A fit instead loads its freshly initialised
    variables into the template of its architecture, trains there, and copies
    the result back into its own model. One call of the compiled epoch
    function runs a whole epoch (all batches), which also removes Keras's
    per-step and per-epoch Python overhead.
    """

    def __init__(self, spec):
        # The template's own initial weights are never used (each fit loads
        # its own), but building draws seeds: from a private stream.
        with private_random(0):
            self.model = model = build_network(spec)
        model.compile(
            optimizer=_optimizer(spec),
            loss=spec.loss,
            jit_compile=False,
        )
        model.optimizer.build(model.trainable_variables)
        self.initial_optimizer_state = [v.numpy() for v in model.optimizer.variables]

        x_spec = tf.TensorSpec([None, *spec.input_shape], tf.float32)
        # Per step, targets and weights get a time axis.
        steps = [None] if spec.return_sequences else []
        if spec.output_activation == "softmax":  # classes as integer indices
            y_spec = tf.TensorSpec([None, *steps], tf.int32)
        else:
            y_spec = tf.TensorSpec([None, *steps, spec.n_outputs], tf.float32)
        w_spec = tf.TensorSpec([None, *steps], tf.float32)
        index_spec = tf.TensorSpec([None], tf.int32)
        scalar = tf.TensorSpec([], tf.int32)

        def train_step(xb, yb, wb):
            with tf.GradientTape() as tape:
                y_pred = model(xb, training=True)
                loss = model.compute_loss(x=xb, y=yb, y_pred=y_pred, sample_weight=wb)
            weights = model.trainable_variables
            model.optimizer.apply_gradients(
                zip(tape.gradient(loss, weights), weights, strict=True)
            )
            return loss

        self.pads_last_batch = _can_pad_batches(spec)

        def epoch_of(step):
            @tf.function(input_signature=[x_spec, y_spec, w_spec, index_spec, scalar])
            def train_epoch(x, y, w, order, batch_size):
                n = tf.shape(order)[0]
                total = tf.constant(0.0)
                for start in tf.range(0, n, batch_size):
                    if self.pads_last_batch:
                        # Always batch_size samples: past the end, copies of
                        # earlier ones at weight 0, and the real ones weighted
                        # up so that the loss (a sum over the batch size) is
                        # their mean, as without the copies.
                        index = start + tf.range(batch_size)
                        real = tf.cast(index < n, tf.float32)
                        batch = tf.gather(order, tf.math.floormod(index, n))
                        size = tf.reduce_sum(real)
                        scale = real * tf.cast(batch_size, tf.float32) / size
                        wb = tf.gather(w, batch) * scale
                    else:
                        batch = order[start : tf.minimum(start + batch_size, n)]
                        size = tf.cast(tf.shape(batch)[0], tf.float32)
                        wb = tf.gather(w, batch)
                    loss = step(tf.gather(x, batch), tf.gather(y, batch), wb)
                    total += loss * size
                return total / tf.cast(n, tf.float32)

            return train_epoch

        # Each batch step is compiled by XLA (once per batch shape: the full
        # batches, and the last one where it is not padded), which fuses the
        # many small ops of a recurrent step: ~2.4x faster training on CPU
        # (benchmarks/results/fit_overhead.md). Compiling costs seconds, so a
        # fit switches to it only once it has shown to be long (see
        # XLA_AFTER_TIMESTEPS). A `network` body with an op XLA cannot
        # compile falls back to the plain graph (see train_epoch).
        self._epoch_xla = epoch_of(tf.function(train_step, jit_compile=True))
        self._epoch_graph = epoch_of(train_step)
        self._use_xla = True

        @tf.function(input_signature=[x_spec, y_spec, w_spec])
        def evaluate(x, y, w):
            y_pred = model(x, training=False)
            return model.compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=w, training=False
            )

        @tf.function(input_signature=[x_spec])
        def predict(x):
            return model(x, training=False)

        self.evaluate, self.predict = evaluate, predict
        self._recursion = None

    def train_epoch(self, x, y, w, order, batch_size, xla=True):
        """One epoch over the samples in ``order``: the mean loss."""
        if xla and self._use_xla:
            try:
                return self._epoch_xla(x, y, w, order, batch_size)
            except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError):
                # XLA refused an op of the network; it fails while compiling,
                # before the first batch changes any weight.
                self._use_xla = False
        return self._epoch_graph(x, y, w, order, batch_size)

    def recursion(self, target_index=0):
        """Compiled chunk of a multi-step forecast: the window slides over its
        own outputs.

        ``recursion(windows, exog, n)`` takes the current windows of all
        series (n_series, window, n_features), ``RECURSION_CHUNK`` exogenous
        rows (n_features - 1 wide) shared by all series, and runs ``n <=
        RECURSION_CHUNK`` one-step predictions in one ``tf.while_loop``:
        each prediction, with the next exogenous row around it (the
        prediction at feature ``target_index``), becomes the newest time step
        of the window. It returns the predictions (n_series,
        RECURSION_CHUNK; the first ``n`` columns are set) and the windows
        after them, from which the next chunk continues.

        All shapes are fixed but the batch and the window, and ``n`` is a
        run-time value, so XLA compiles once per window and number of series,
        whatever the horizon: a forecast of any length runs as many chunks
        as it needs (benchmarks/bench_recursive_forecast.py).
        """
        chunk, p = RECURSION_CHUNK, target_index
        if self._recursion is None:
            self._recursion = {}
        if (chunk, p) not in self._recursion:
            model = self.model
            n_features = model.input_shape[2]
            n_exog = n_features - 1

            # XLA fuses the many small ops of each step: ~10x faster per step on
            # CPU than the same loop without it.
            @tf.function(
                input_signature=[
                    tf.TensorSpec([None, None, n_features], tf.float32),
                    tf.TensorSpec([chunk, n_exog], tf.float32),
                    tf.TensorSpec([], tf.int32),
                ],
                jit_compile=True,
            )
            def recursion(windows, exog, n):
                n_series = tf.shape(windows)[0]

                def step_once(step, windows, outputs):
                    prediction = model(windows, training=False)[:, :1]
                    outputs = outputs.write(step, prediction[:, 0])
                    newest = prediction
                    if n_exog:  # decided when tracing; XLA rejects 0-wide slices
                        row = tf.broadcast_to(exog[step], [n_series, n_exog])
                        newest = tf.concat([row[:, :p], prediction, row[:, p:]], axis=1)
                    windows = tf.concat([windows[:, 1:], newest[:, tf.newaxis]], axis=1)
                    return step + 1, windows, outputs

                # An explicit while_loop: autograph's `for` over `tf.range(n)`
                # would pass `n` as maximum_iterations, which XLA must know
                # when compiling, so every `n` would compile again.
                _, windows, outputs = tf.while_loop(
                    lambda step, *_: step < n,
                    step_once,
                    (tf.constant(0), windows, tf.TensorArray(tf.float32, size=chunk)),
                )
                return tf.transpose(outputs.stack()), windows

            self._recursion[chunk, p] = recursion
        return self._recursion[chunk, p]

    def reset(self, model, learning_rate):
        _copy_variables(model, self.model)
        optimizer = self.model.optimizer
        for variable, value in zip(
            optimizer.variables, self.initial_optimizer_state, strict=True
        ):
            variable.assign(value)
        if not isinstance(
            learning_rate, keras.optimizers.schedules.LearningRateSchedule
        ):
            # A schedule is part of the template (see _optimizer) and follows
            # the optimizer's iterations, which were just reset.
            optimizer.learning_rate = learning_rate


class _TemplatePool:
    """The templates of one architecture: one per thread using it at a time.

    A template is used by one fit or prediction at a time (its variables hold
    that model's weights). Threads that use one architecture together each
    borrow their own, so thread-parallel fits and predictions of one
    architecture run side by side; a second template is built only when a
    thread finds all of them busy.
    """

    def __init__(self, spec):
        self.spec = spec
        self._idle = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def borrowed(self):
        with self._lock:
            template = self._idle.pop() if self._idle else None
        with templates_tracing():
            if template is None:
                template = _Template(self.spec)
            try:
                yield template
            finally:
                with self._lock:
                    self._idle.append(template)


_TEMPLATES = collections.OrderedDict()
_TEMPLATES_LOCK = threading.Lock()


def _borrowed_template(spec):
    """A template of ``spec``'s architecture for the caller's use alone, for
    any sequence length (or the fitted length, where the network needs it)."""
    use_the_worker_share_of_cores()
    spec = _time_axis(spec)
    try:
        hash(spec)
    except TypeError:  # an unhashable callable among the knobs: no sharing
        return _TemplatePool(spec).borrowed()
    with _TEMPLATES_LOCK:
        pool = _TEMPLATES.get(spec)
        if pool is None:
            pool = _TEMPLATES[spec] = _TemplatePool(spec)
            while len(_TEMPLATES) > MAX_TEMPLATES:
                _TEMPLATES.popitem(last=False)
        else:
            _TEMPLATES.move_to_end(spec)
    return pool.borrowed()


def clear_templates():
    """Drop every compiled template (see skrnn.rnn.clear_cache)."""
    with _TEMPLATES_LOCK:
        _TEMPLATES.clear()
    _READS_ANY_LENGTH.clear()


# A fit trains in the plain graph at first and compiles its batch steps with
# XLA once they have run this many time steps of the recurrence (batch steps
# times sequence length): the rent-or-buy rule. XLA compiles in 1.5-3 s
# per template and batch shape, then saves 2.5-10 ms per batch step, more
# for longer sequences (graph ops run once per time step); it paid after
# 4,600-18,000 time steps (LSTM(32), windows 13 and 60, 100 and 1,000
# samples). A fit that early stopping ends sooner (a 144-point series:
# ~12 epochs of 4 batches of 13 steps) never pays the compilation; a long
# one pays at most the graph's extra time for these steps on top. The switch
# depends on the fit alone, never on what the process compiled before: XLA
# and the graph round float32 differently, and a seeded fit must give the
# same model whatever ran before it.
XLA_AFTER_TIMESTEPS = 5_000
# A fit whose length is known (no early stopping, no callbacks) need not rent:
# it compiles from the first epoch if it will run this many time steps, and
# never otherwise. Compiling as well as tracing the graph costs ~0.7-1.4 s
# more than tracing alone; XLA then saves 0.03-0.08 ms per time step (more
# at batch 32 than at 256), so it pays after ~9,000-20,000 of them
# (benchmarks/results/fit_overhead.md). Renting first only added the
# compilation to the graph's time at the end of such a fit.
XLA_PLANNED_TIMESTEPS = 10_000


def _can_pad_batches(spec):
    """Whether padding the last batch of an epoch leaves training unchanged.

    A padded batch has one shape for every number of samples, so XLA compiles
    once per template, not again for each training-set size (the folds of a
    cross-validation). Not where a layer uses batch statistics (the
    convolution blocks' BatchNormalization, a ``network`` body), where a mask
    reaches the loss (per-step outputs: Keras divides by the unmasked steps
    of the whole batch), or where the loss may reduce otherwise than by the
    mean over the batch (a loss that is not named by a string).
    """
    return (
        not spec.conv_filters
        and spec.network is None
        and not spec.return_sequences
        and isinstance(spec.loss, str)
    )


class TrainingDiverged(FloatingPointError):
    """Training diverged: the loss or the weights became non-finite, or the
    loss grew far beyond its value before training."""


# A training loss this many times the loss of the initial weights means the
# optimisation diverged (a learning rate far too large, unscaled data);
# healthy training never comes near it. Weights that training moves this
# far, with inputs on the scale skrnn's docs ask for, mean the same.
DIVERGENCE_RATIO = 1e3
# Cross-entropy grows with the logits, not with their square as a squared
# error grows with the outputs: the same growth of the outputs is the square
# root of the ratio (a loss 32x chance, ln 2 for two classes, gives the true
# class a probability of e^-22 on average).
CROSS_ENTROPY_DIVERGENCE_RATIO = DIVERGENCE_RATIO**0.5
DIVERGED_WEIGHT = 1e6


def _split_validation(X, y, w, fraction, *, shuffle, rng):
    """Hold out a fraction of the samples for ``val_loss``.

    Regression holds out the last samples: for windows cut from a series they
    are the latest, so validation never looks at data earlier than training.
    Classification (``shuffle``) holds out a random subset, stratified by
    class for one label per sequence (as scikit-learn's MLP early stopping):
    labelled data sets are often sorted by class, and a plain random subset
    can take all of a rare class, leaving none to train on. Every class keeps
    at least one training sample.
    """
    n_val = int(len(X) * fraction)
    if not 0 < n_val < len(X):
        return (X, y, w), None
    if not shuffle:
        train, val = np.arange(len(X) - n_val), np.arange(len(X) - n_val, len(X))
    elif y.ndim == 1:
        # n_val spread over the classes by largest remainder, each keeping a
        # training sample; a plain random subset where that holds out none.
        labels, counts = np.unique(y, return_counts=True)
        exact = counts * n_val / len(y)
        shares = np.minimum(np.floor(exact).astype(int), counts - 1)
        for i in np.argsort(shares - exact, kind="stable"):
            if shares.sum() < n_val and shares[i] < counts[i] - 1:
                shares[i] += 1
        if shares.sum() == 0:
            order = rng.permutation(len(X))
            train, val = order[:-n_val], order[-n_val:]
        else:
            val = np.sort(
                np.concatenate(
                    [
                        rng.permutation(np.flatnonzero(y == label))[:share]
                        for label, share in zip(labels, shares, strict=True)
                    ]
                )
            )
            train = np.setdiff1d(np.arange(len(X)), val)
    else:  # labels per step: no one class per sequence to stratify by
        order = rng.permutation(len(X))
        train, val = order[:-n_val], order[-n_val:]
    return (X[train], y[train], w[train]), (X[val], y[val], w[val])


def _chunked_loss(template, data):
    """Sample-weighted mean loss over ``data``, in bounded chunks."""
    x, y, w = data
    total = 0.0
    for start in range(0, len(x), PREDICT_BATCH_SIZE):
        stop = start + PREDICT_BATCH_SIZE
        loss = template.evaluate(x[start:stop], y[start:stop], w[start:stop])
        total += float(loss) * len(x[start:stop])
    return total / len(x)


def _constant_loss(template, data):
    """The sample-weighted loss of forecasting every target by its mean."""
    _, y, w = data
    constant = np.broadcast_to(y.mean(axis=0, keepdims=True), y.shape)
    loss = template.model.compute_loss(
        x=None,
        y=tf.convert_to_tensor(y),
        y_pred=tf.convert_to_tensor(constant.astype(np.float32)),
        sample_weight=tf.convert_to_tensor(w),
        training=False,
    )
    return float(loss)


def _start_at_least_squares(model, n_steps, X, y, w):
    """Start the linear skip at the ridge least-squares fit of y on the last
    ``n_steps`` steps of X, and the network's part of the output at zero.

    Training then starts from the linear model (an AR model on forecasting
    windows) and moves away from it only where the network lowers the loss;
    early stopping on a later validation tail keeps the best epoch, so the
    network moves as far as the tail rewards (zero-initialised residual
    branches, as in ReZero and Fixup).
    """
    if y.ndim == 3:
        # Per step (return_sequences): y_t on the inputs of step t, over the
        # observed steps.
        observed = ~np.isnan(X).all(axis=-1)
        last = X[observed].astype(np.float64)
        targets = y[observed].astype(np.float64)
        w = w[observed]
    else:
        last = np.nan_to_num(X[:, -n_steps:, :].reshape(len(X), -1))
        last = last.astype(np.float64)
        targets = y.reshape(len(y), -1).astype(np.float64)
    weights = w.astype(np.float64) / max(float(w.sum()), 1e-12)
    x_mean, y_mean = weights @ last, weights @ targets
    centred = (last - x_mean) * np.sqrt(weights)[:, None]
    gram = centred.T @ centred
    # A light ridge keeps the solve defined with collinear or constant lags.
    ridge = 1e-3 * max(float(np.trace(gram)) / len(gram), 1e-12)
    coef = np.linalg.solve(
        gram + ridge * np.eye(len(gram)),
        centred.T @ ((targets - y_mean) * np.sqrt(weights)[:, None]),
    )
    if any(layer.name == "decoder_output" for layer in model.layers):
        # A decoder head: the linear part is a layer of its own.
        decoder = model.get_layer("decoder_output")
        decoder.set_weights([np.zeros_like(v.numpy()) for v in decoder.weights])
    output = model.get_layer("output")
    kernel, bias = (v.numpy() for v in output.weights)
    kernel[:] = 0.0
    kernel[-len(coef) :] = coef
    bias[:] = y_mean - x_mean @ coef
    output.set_weights([kernel, bias])


def fit(
    spec,
    X,
    y,
    *,
    sample_weight,
    seed,
    learning_rate,
    epochs,
    batch_size,
    validation_fraction,
    early_stopping,
    patience,
    verbose,
    shuffle=True,
    callbacks=None,
    validation_data=None,
    initial_weights=None,
    epoch_metrics=None,
):
    """Build a model for ``spec``, train it, and return ``(model, history)``.

    ``shuffle`` draws a new order of the training samples every epoch (from
    ``seed``); ``False`` takes them in order, as Keras's ``shuffle=False``.

    ``validation_data`` (X, y, sample_weight) is an explicit validation set,
    used instead of ``validation_fraction``. ``initial_weights`` (a list as
    from ``get_weights``) continue training from an earlier fit instead of
    fresh initial weights. ``epoch_metrics(predict, x, y, w)`` returns a dict
    of metric values computed after each epoch with ``predict``, the
    template's prediction function, on the training data and (with the
    ``val_`` prefix) on the validation data.

    Early stopping follows Keras's ``EarlyStopping(restore_best_weights=True)``:
    it monitors the validation loss (the training loss without a validation
    set), stops after ``patience`` epochs without improvement, and restores
    the weights of the best epoch. Keras ``callbacks`` get the epoch-level
    hooks (an epoch runs as one graph call, so batch hooks are not called);
    ``self.model`` is the compiled template and setting its ``stop_training``
    stops training.
    """
    with private_random(seed):  # for the layers of a `network` callable
        model = build_network(dataclasses.replace(spec, masked=True), seed)
    linear_output = spec.output_activation in ("linear", None)
    if initial_weights is not None:
        model.set_weights(initial_weights)
    padded = X if validation_data is None else (X, validation_data[0])
    w = np.ones(len(X), np.float32) if sample_weight is None else sample_weight
    rng = np.random.default_rng(seed)
    if validation_data is not None:
        train_data, val_data = (X, y, w), validation_data
    else:
        train_data, val_data = _split_validation(
            X,
            y,
            w,
            validation_fraction,
            shuffle=spec.output_activation == "softmax",
            rng=rng,
        )
    least_squares_start = (
        spec.linear_steps and initial_weights is None and linear_output
    )
    x_t, y_t, w_t = (tf.convert_to_tensor(a) for a in train_data)
    history = {"loss": []} if val_data is None else {"loss": [], "val_loss": []}
    monitor = "loss" if val_data is None else "val_loss"
    best, best_state, wait = np.inf, None, 0
    n_train = len(train_data[0])
    # Time steps of the recurrence per epoch (see XLA_AFTER_TIMESTEPS).
    epoch_timesteps, timesteps_run = -(-n_train // batch_size) * X.shape[1], 0
    # Nothing can end a fit without early stopping or callbacks early: its
    # length is known, so it decides once (see XLA_PLANNED_TIMESTEPS).
    known_length = not early_stopping and not callbacks
    planned = epochs * epoch_timesteps
    with _borrowed_template(_masked_if_padded(spec, padded)) as template:
        template.reset(model, learning_rate)
        # The scale divergence is judged on: the loss of the random initial
        # weights (a least-squares start can have a loss near zero), over all
        # the training data: one batch's loss can be far below the mean (a
        # batch of zeros of intermittent targets).
        initial_loss, ratio = _divergence_scale(
            spec, _chunked_loss(template, train_data)
        )
        if initial_weights is not None and linear_output:
            # A warm start's reference is the loss of fitted weights, which
            # can be near zero: any first step of a fresh optimizer looked
            # like divergence. A constant forecast's loss is the floor.
            initial_loss = max(initial_loss, _constant_loss(template, train_data))
        if least_squares_start:
            # On all of X: the linear part uses all the data, and a held-out
            # tail only decides how far the network moves away from it.
            _start_at_least_squares(model, spec.linear_steps, X, y, w)
            template.reset(model, learning_rate)
        variables = template.model.variables
        start_weights = [v.numpy() for v in model.trainable_weights]
        hooks = keras.callbacks.CallbackList(
            list(callbacks or []), model=template.model, epochs=epochs, verbose=0
        )
        template.model.stop_training = False
        try:
            hooks.on_train_begin()
            for epoch in range(epochs):
                hooks.on_epoch_begin(epoch)
                order = rng.permutation(n_train) if shuffle else np.arange(n_train)
                order = order.astype(np.int32)
                if known_length:
                    xla = planned >= XLA_PLANNED_TIMESTEPS
                else:
                    xla = timesteps_run >= XLA_AFTER_TIMESTEPS
                loss = float(
                    template.train_epoch(x_t, y_t, w_t, order, batch_size, xla)
                )
                timesteps_run += epoch_timesteps
                history["loss"].append(loss)
                if val_data is not None:
                    history["val_loss"].append(_chunked_loss(template, val_data))
                if epoch_metrics is not None:
                    predict_fn = functools.partial(_chunked_predict, template)
                    named = {"": train_data, "val_": val_data}
                    for prefix, data in named.items():
                        if data is None:
                            continue
                        for name, value in epoch_metrics(predict_fn, *data).items():
                            history.setdefault(prefix + name, []).append(value)
                # the rate at the end of the epoch: a schedule's after its
                # steps, or the one a callback (ReduceLROnPlateau) set
                rate = float(template.model.optimizer.learning_rate)
                history.setdefault("learning_rate", []).append(rate)
                logs = {key: values[-1] for key, values in history.items()}
                _check_not_diverged(logs, initial_loss, epoch, ratio)
                if verbose:
                    shown = " - ".join(f"{k}: {v:.4g}" for k, v in logs.items())
                    print(f"Epoch {epoch + 1}/{epochs} - {shown}", flush=True)
                hooks.on_epoch_end(epoch, logs)
                if early_stopping:
                    current = logs[monitor]
                    if current < best:
                        best, wait = current, 0
                        best_state = [v.numpy() for v in variables]
                    else:
                        wait += 1
                if template.model.stop_training or (
                    early_stopping and wait >= patience
                ):
                    break
            if best_state is not None:
                for variable, value in zip(variables, best_state, strict=True):
                    variable.assign(value)
            # After the best epoch's weights: a user's callback that restores
            # weights of its own (EarlyStopping(restore_best_weights=True))
            # has the last word, as it asked.
            hooks.on_train_end()
        finally:
            # The callbacks belong to the user's estimator: do not let them
            # keep (and pickle) the shared template.
            for callback in callbacks or []:
                callback.set_model(None)
        _copy_variables(template.model, model)
    weights = model.get_weights()
    if not all(np.isfinite(w).all() for w in weights):
        raise TrainingDiverged("the network weights became non-finite")
    # By how much training moved the weights: a least-squares start can set
    # the output bias to a target's level (millions), and nothing diverged.
    # Trainable ones only: BatchNormalization's running statistics follow
    # the inputs' level, which may be millions too.
    moved = max(
        (
            float(np.abs(v.numpy() - w0).max())
            for v, w0 in zip(model.trainable_weights, start_weights, strict=True)
            if w0.size
        ),
        default=0.0,
    )
    if moved > DIVERGED_WEIGHT:
        raise TrainingDiverged(f"a network weight moved by {moved:.3g} in training")
    return model, history


def _divergence_scale(spec, initial_loss):
    """``(reference loss, ratio)``: a training loss above their product is
    divergence."""
    if spec.output_activation == "softmax":
        # Chance level at least: a warm start's reference is the loss of
        # fitted weights, without the dropout of the training loss.
        chance = float(np.log(spec.n_outputs))
        return max(initial_loss, chance), CROSS_ENTROPY_DIVERGENCE_RATIO
    return initial_loss, DIVERGENCE_RATIO


def _check_not_diverged(logs, initial_loss, epoch, ratio):
    for key in ("loss", "val_loss"):
        if key not in logs:
            continue
        value = logs[key]
        if not np.isfinite(value):
            raise TrainingDiverged(f"the {key} became {value} at epoch {epoch + 1}")
        if key == "loss" and initial_loss > 0 and (value > ratio * initial_loss):
            raise TrainingDiverged(
                f"the loss grew from {initial_loss:.3g} before training to "
                f"{value:.3g} at epoch {epoch + 1}"
            )


def _masked_if_padded(spec, X):
    """Mask only data that has padding: the weights are the same either way,
    and skipping the mask makes every step ~1.5x faster. ``X`` may be a tuple
    of arrays that share one template (training and validation data)."""
    arrays = X if isinstance(X, tuple) else (X,)
    return dataclasses.replace(
        spec, masked=any(bool(np.isnan(a).any()) for a in arrays)
    )


# Prediction batches are padded to a multiple of this many rows. CPU matrix
# kernels sum in an order that depends on the number of rows, so without it a
# sample's prediction alone and in a batch differed in the last float32 bit
# (sklearn's check_methods_subset_invariance failed); padded, they are equal.
PREDICT_ROW_BLOCK = 32


def _padded_rows(x):
    rows = -(-len(x) // PREDICT_ROW_BLOCK) * PREDICT_ROW_BLOCK
    if rows == len(x):
        return x
    return np.concatenate([x, np.zeros((rows - len(x), *x.shape[1:]), x.dtype)])


def _chunked_predict(template, X):
    """The template's outputs for ``X``, in bounded chunks (borrow it first)."""
    chunks = []
    for start in range(0, len(X), PREDICT_BATCH_SIZE):
        x = X[start : start + PREDICT_BATCH_SIZE]
        chunks.append(template.predict(_padded_rows(x)).numpy()[: len(x)])
    return (
        np.concatenate(chunks)
        if chunks
        else np.empty((0, template.model.output_shape[-1]))
    )


def predict(spec, model, X):
    """Outputs of ``model`` for ``X``, computed through the spec's template."""
    with _borrowed_template(_masked_if_padded(spec, X)) as template:
        _copy_variables(model, template.model)
        return _chunked_predict(template, X)


# Steps per compiled call of a recursive forecast. Larger chunks mean fewer
# calls for long horizons (each call costs ~0.1 ms); the steps of a chunk that
# a forecast does not need are not computed, so a large chunk costs nothing
# for short horizons.
RECURSION_CHUNK = 256


def recursive_forecast(spec, model, windows, exog, steps, target_index=0):
    """Forecast ``steps`` ahead by feeding predictions back, compiled and
    batched over series.

    ``windows`` (n_series, window, n_features) are the first windows;
    ``exog`` (steps - 1, n_features - 1) the other features of the time steps
    appended after each prediction but the last. Runs in chunks of
    ``RECURSION_CHUNK`` steps (see :meth:`_Template.recursion`) and returns
    the predictions (n_series, steps) as float64.
    """
    windows = np.asarray(windows, np.float32)
    n_series, _, n_features = windows.shape
    n_chunks = -(-steps // RECURSION_CHUNK)
    rows = np.zeros((n_chunks * RECURSION_CHUNK, n_features - 1), np.float32)
    if n_features > 1:
        rows[: steps - 1] = exog
    out = np.empty((n_series, steps))
    with _borrowed_template(dataclasses.replace(spec, masked=False)) as template:
        _copy_variables(model, template.model)
        run = template.recursion(target_index)
        state = tf.convert_to_tensor(windows)
        for chunk in range(n_chunks):
            start = chunk * RECURSION_CHUNK
            n = min(RECURSION_CHUNK, steps - start)
            predictions, state = run(
                state, rows[start : start + RECURSION_CHUNK], np.int32(n)
            )
            out[:, start : start + n] = predictions.numpy()[:, :n]
    return out


# Keras draws the seeds of layers built without one from Python's global
# ``random`` (the layers of a ``network`` callable, a template's layers).
# Building under this lock, from a private seed, makes those builds
# reproducible whatever other threads do, and leaves ``random`` as found.
_RANDOM_LOCK = threading.RLock()


@contextlib.contextmanager
def private_random(seed):
    """Run a network build with Python's ``random`` seeded by ``seed``
    (fresh entropy for ``None``) and restore its state afterwards."""
    with _RANDOM_LOCK:
        state = random.getstate()
        random.seed(secrets.randbits(64) if seed is None else int(seed))
        try:
            yield
        finally:
            random.setstate(state)


def saved_weights(model):
    """What a pickle keeps of a fitted network: its weights and their
    checksum. The network is rebuilt from the estimator's spec on loading
    (:func:`network_from_weights`), so custom layers, ``Lambda`` layers and
    callable activations in it need no Keras deserialisation, which refused
    them (unregistered classes, ``safe_mode``)."""
    weights = model.get_weights()
    return {"weights": weights, "sha256": _checksum(weights)}


def network_from_weights(spec, saved):
    """The network of ``spec`` (as ``fit`` builds it) with saved weights."""
    weights = saved["weights"]
    if _checksum(weights) != saved["sha256"]:
        raise ValueError("its weights do not match their checksum")
    # The initial weights are replaced: seeded, and Python's random untouched.
    with private_random(0):
        model = build_network(dataclasses.replace(spec, masked=True), seed=0)
    model.set_weights(weights)
    return model


def _checksum(weights):
    digest = hashlib.sha256()
    for array in weights:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


__all__ = [
    "AttentionPooling",
    "ConvBlock",
    "NaNMasking",
    "ObservedMean",
    "SequenceStandardization",
    "TokenRows",
    "TrainingDiverged",
    "build_network",
    "clear_templates",
    "describe_schedule",
    "fit",
    "input_gradient_norms",
    "network_from_weights",
    "predict",
    "private_random",
    "reads_any_length",
    "recursive_forecast",
    "saved_weights",
]
