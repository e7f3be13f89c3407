"""The public handle on skrnn's cache of compiled networks."""

import sys


def clear_cache():
    """Drop the compiled network templates that skrnn keeps between fits.

    skrnn compiles one template per network architecture and reuses it for
    every fit and prediction of that architecture (see the performance page
    of the user guide); up to 64 architectures are kept, least recently used
    dropped first. Call this to release them, e.g. after a large grid
    search. ``keras.backend.clear_session()`` does not clear them. Fitted
    estimators stay usable: their next fit or prediction compiles again.
    Does nothing (and loads nothing) when no network has been built.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RNNRegressor
    >>> from skrnn.rnn import clear_cache
    >>> X = np.random.default_rng(0).normal(size=(20, 5, 1))
    >>> reg = RNNRegressor(units=4, epochs=1, random_state=0).fit(X, X[:, -1, 0])
    >>> clear_cache()
    >>> reg.predict(X).shape  # compiles again
    (20,)
    """
    keras_module = sys.modules.get("skrnn.rnn._keras")
    if keras_module is not None:
        keras_module.clear_templates()
