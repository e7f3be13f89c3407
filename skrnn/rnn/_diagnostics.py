"""Diagnostics of fitted recurrent networks."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._validation import check_sequences, end_alignment

__all__ = ["time_step_gradients"]


def time_step_gradients(estimator, X, y, *, average=True):
    """How strongly the loss of a fitted network responds to each time step.

    For every sequence, the gradient of its loss (the estimator's training
    loss, dropout off) with respect to its input at each time step, reduced
    to an L2 norm over the features. A norm that falls off steeply towards the
    first steps is the **vanishing gradient**: training barely changes how the
    network reads early inputs, so dependencies far back are hard to learn.
    A norm that grows is the exploding gradient that ``clipnorm`` tames.

    Parameters
    ----------
    estimator : RNNRegressor or RNNClassifier
        A fitted estimator.
    X : array-like or list of array-like
        Sequences in any form the estimator predicts on.
    y : array-like
        Their targets (regression) or labels among ``classes_``
        (classification).
    average : bool, default=True
        Return the mean norm per time step over the sequences; False returns
        the norm of every sequence and step.

    Returns
    -------
    norms : ndarray of shape (n_timesteps,) or (n_samples, n_timesteps)
        Gradient norms, time steps in the order of X's time axis (the last is
        the most recent). Padded steps are NaN and left out of the mean; a
        step that is padding in every sequence is NaN.

    See Also
    --------
    skrnn.RNNRegressor : its ``clipnorm``, ``cell`` and ``history_`` are the
        other tools for vanishing and exploding gradients.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RNNRegressor
    >>> from skrnn.rnn import time_step_gradients
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(32, 12, 1))
    >>> y = X[:, -1, 0]
    >>> reg = RNNRegressor("simple", units=4, epochs=2, random_state=0).fit(X, y)
    >>> time_step_gradients(reg, X, y).shape
    (12,)
    """
    check_is_fitted(estimator, "model_")
    if hasattr(estimator, "token_ids_"):
        raise ValueError(
            f"This {type(estimator).__name__} reads token ids "
            "(embedding_dim), and a loss has no gradient with respect to an "
            "integer id. Compute the gradients of a network fitted on numeric "
            "sequences (embedding_dim=None)."
        )
    X_input = X
    X = check_sequences(
        estimator,
        X,
        reset=False,
        any_length=getattr(estimator, "_reads_any_length", True),
    )
    y = estimator._encoded_targets(y, X, X_input, "y")
    from . import _keras

    # Read as predict reads it: one output per sequence means each sequence
    # ends at the last step. The norms go back to X's own steps.
    steps = None if estimator._per_step() else end_alignment(X)
    if steps is None:
        norms = _keras.input_gradient_norms(estimator._spec, estimator.model_, X, y)
    else:
        rows = np.arange(len(X))[:, np.newaxis]
        aligned = _keras.input_gradient_norms(
            estimator._spec, estimator.model_, X[rows, steps], y
        )
        norms = np.empty_like(aligned)
        norms[rows, steps] = aligned
    if not average:
        return norms
    observed = ~np.isnan(norms)
    counts = observed.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(observed, norms, 0.0).sum(axis=0) / counts
    return np.where(counts > 0, mean, np.nan)
