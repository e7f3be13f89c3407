"""Keep an estimator as it was when one of its methods fails."""

import contextlib

__all__ = ["restore_on_error"]


@contextlib.contextmanager
def restore_on_error(estimator):
    """Restore ``estimator.__dict__`` if the block raises (KeyboardInterrupt too).

    ``fit`` sets attributes as it goes (``n_features_in_`` during validation,
    the model at the end); a failure half-way would otherwise leave a mix of
    the old and the new fit.
    """
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise
