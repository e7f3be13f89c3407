"""scikit-learn scorers for skrnn's forecast errors.

A scorer is called as ``scorer(estimator, X, y)`` and must be greater for
better models, so every scorer here returns the negated error, as
scikit-learn's ``"neg_mean_absolute_error"`` does.
"""

import inspect

from sklearn.metrics import make_scorer
from sklearn.pipeline import Pipeline

from ._regression import (
    _check_multioutput,
    _check_seasonal_period,
    mae,
    mase,
    rmse,
    smape,
)

__all__ = ["get_scorer"]

_METRICS = {"mae": mae, "mase": mase, "rmse": rmse, "smape": smape}


def _scorer_options(metric):
    """Keyword-only parameters of ``metric`` a scorer can fix."""
    return [
        name
        for name, parameter in inspect.signature(metric).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name != "y_train"
    ]


def _training_target(estimator):
    """Return the ``y_train_`` of a fitted forecaster, a Pipeline or a search.

    ``y_train_`` (the training series, as given to ``fit``) is part of the
    documented forecaster contract (user guide, "The forecaster contract");
    any estimator that keeps it, skrnn's or not, can be scored.
    """
    current = estimator
    for _ in range(10):  # nested wrappers; the bound only guards against cycles
        if hasattr(current, "y_train_"):
            return current.y_train_
        if isinstance(current, Pipeline):
            current = current[-1]
        elif hasattr(current, "best_estimator_"):
            current = current.best_estimator_
        else:
            break
    raise TypeError(
        "The 'mase' scorer scales errors by the training series, which it "
        "reads from the fitted attribute `y_train_` that skrnn's forecasters "
        f"keep. Got a fitted {type(estimator).__name__} without `y_train_` "
        "instead; score a skrnn forecaster (alone, as the last step of a "
        "Pipeline, or in a search), or use a scorer that needs no training "
        "data: 'mae', 'rmse' or 'smape'."
    )


class _MASEScorer:
    """Negated MASE of ``estimator.predict(X)``, scaled by ``estimator.y_train_``.

    Made by ``get_scorer("mase", ...)``.
    """

    def __init__(self, seasonal_period=1, multioutput="uniform_average"):
        self.seasonal_period = seasonal_period
        self.multioutput = multioutput

    def __call__(self, estimator, X, y_true):
        y_train = _training_target(estimator)
        y_pred = estimator.predict(X)
        return -mase(
            y_true,
            y_pred,
            y_train=y_train,
            seasonal_period=self.seasonal_period,
            multioutput=self.multioutput,
        )

    def __repr__(self):
        options = "".join(
            f", {name}={value!r}"
            for name, value, default in [
                ("seasonal_period", self.seasonal_period, 1),
                ("multioutput", self.multioutput, "uniform_average"),
            ]
            if not (isinstance(value, type(default)) and value == default)
        )
        return f"get_scorer('mase'{options})"


def get_scorer(name, **kwargs):
    """Return a scorer for one of skrnn's forecast errors.

    The scorer is called as ``scorer(estimator, X, y)`` and returns the
    *negated* error of ``estimator.predict(X)``, so that greater is better, as
    ``scoring=`` in ``GridSearchCV`` and ``cross_validate`` expects. Scorers
    are named after the metric only: ``"mae"``, not ``"neg_mae"``.

    Parameters
    ----------
    name : {"mae", "rmse", "smape", "mase"}
        The metric: :func:`mae`, :func:`rmse`, :func:`smape` or :func:`mase`.

    **kwargs : dict
        Keyword arguments of the metric to fix: ``multioutput`` for all, and
        ``seasonal_period`` for "mase". ``multioutput="raw_values"`` is
        refused, since a scorer returns one number.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``. The "mase" scorer takes the training
        series from the fitted attribute ``y_train_`` that every skrnn
        forecaster keeps, looking through a ``Pipeline`` to its last step and
        through a fitted search to its ``best_estimator_``.

    See Also
    --------
    sklearn.metrics.get_scorer : The scorers of scikit-learn, such as "r2".
    sklearn.metrics.make_scorer : Makes the "mae", "rmse" and "smape" scorers.

    Examples
    --------
    >>> from skrnn.metrics import get_scorer
    >>> get_scorer("mase", seasonal_period=12)
    get_scorer('mase', seasonal_period=12)

    A scorer gives the negated error of the estimator's predictions:

    >>> import numpy as np
    >>> from sklearn.dummy import DummyRegressor
    >>> X, y = np.zeros((4, 1)), np.array([1.0, 2.0, 3.0, 6.0])
    >>> model = DummyRegressor(strategy="mean").fit(X, y)
    >>> get_scorer("mae")(model, X, y)
    -1.5
    """
    if not isinstance(name, str) or name not in _METRICS:
        expected = ", ".join(repr(known) for known in _METRICS)
        hint = ""
        if isinstance(name, str) and name.removeprefix("neg_") in _METRICS:
            hint = (
                "; skrnn's scorers are named after the metric and always "
                f"return the negated error, so use {name.removeprefix('neg_')!r}"
            )
        elif isinstance(name, str):
            hint = "; for scikit-learn's scorers use sklearn.metrics.get_scorer"
        raise ValueError(
            f"`name` must be one of {expected}. Got {name!r} instead{hint}."
        )
    metric = _METRICS[name]
    options = _scorer_options(metric)
    unknown = sorted(set(kwargs) - set(options))
    if unknown:
        raise TypeError(
            f"get_scorer({name!r}) accepts the keyword arguments "
            f"{', '.join(options)}. Got {', '.join(unknown)} instead."
        )
    if "multioutput" in kwargs:
        multioutput = _check_multioutput(kwargs["multioutput"])
        if isinstance(multioutput, str) and multioutput == "raw_values":
            raise ValueError(
                "A scorer must return one number, so `multioutput` must be "
                "'uniform_average' or an array of weights. Got 'raw_values' "
                f"instead; call skrnn.metrics.{name} directly for the error of "
                "each output."
            )
    if "seasonal_period" in kwargs:
        _check_seasonal_period(kwargs["seasonal_period"])
    if name == "mase":
        return _MASEScorer(**kwargs)
    return make_scorer(metric, greater_is_better=False, **kwargs)
