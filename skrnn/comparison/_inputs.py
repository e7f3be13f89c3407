"""The arguments of compare: the models (and the default ones), metrics,
horizon."""

from numbers import Integral

import numpy as np
import pandas as pd

from ._metrics import METRICS

__all__ = ["default_models"]


_CELL_NAMES = {"simple": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def default_models(seasonal_period=None, random_state=0):
    """The models :func:`~skrnn.compare` runs when none are given.

    Three recurrent networks (SimpleRNN, LSTM, GRU), each a
    :class:`~skrnn.RecursiveForecaster` with its defaults (window,
    differencing and season chosen on each training fold; the network's
    linear skip and early stopping), against the baselines they should beat:
    AR(p) with p chosen by AIC, AR(1), the last value, and (when the season
    is known) the value one season ago.

    Parameters
    ----------
    seasonal_period : int, default=None
        Season length (12 for monthly data with a yearly season). When given,
        the networks use it (else they read it from the time index), and the
        "Seasonal naive" baseline is added.

    random_state : int, default=0
        Seed of every network, so that a comparison can be repeated exactly.

    Returns
    -------
    models : dict of str to forecaster
        Unfitted forecasters by display name, in the order "SimpleRNN",
        "LSTM", "GRU", "AR(aic)", "AR(1)", "Naive" and "Seasonal naive".

    See Also
    --------
    skrnn.compare : Fits these (or your) models on the same splits.

    Examples
    --------
    >>> from skrnn.comparison import default_models
    >>> models = default_models(seasonal_period=12)
    >>> list(models)
    ['SimpleRNN', 'LSTM', 'GRU', 'AR(aic)', 'AR(1)', 'Naive', 'Seasonal naive']
    >>> models["LSTM"].seasonal_period
    12

    Every network knob is an ordinary parameter, e.g. for a quicker run:

    >>> models["LSTM"].set_params(estimator__epochs=20).estimator.epochs
    20
    """
    from ..forecasting import ARForecaster, NaiveForecaster, RecursiveForecaster
    from ..rnn import RNNRegressor

    season = seasonal_period if seasonal_period and seasonal_period > 1 else None
    # The defaults of RecursiveForecaster and RNNRegressor are the ones chosen
    # on the forecasting development suite (benchmarks/results/forecast_suite.md).
    models = {
        name: RecursiveForecaster(
            RNNRegressor(cell, random_state=random_state),
            seasonal_period=season or "auto",
        )
        for cell, name in _CELL_NAMES.items()
    }
    models["AR(aic)"] = ARForecaster("aic")
    models["AR(1)"] = ARForecaster(1)
    models["Naive"] = NaiveForecaster("last")
    if season:
        models["Seasonal naive"] = NaiveForecaster("seasonal_last", period=season)
    return models


def _display_name(model):
    """A short readable name for a model given without one."""
    kind = type(model).__name__
    params = model.get_params(deep=False) if hasattr(model, "get_params") else {}
    if kind in ("RecursiveForecaster", "DirectForecaster"):
        inner = params.get("estimator")
        cell = getattr(inner, "cell", None) if inner is not None else "lstm"
        if type(inner).__name__ in ("RNNRegressor", "NoneType") and cell in _CELL_NAMES:
            name = _CELL_NAMES[cell]
            return name if kind == "RecursiveForecaster" else f"Direct({name})"
        return f"{kind.removesuffix('Forecaster')}({type(inner).__name__})"
    if kind == "ARForecaster":
        return f"AR({params.get('lags')})"
    if kind == "NaiveForecaster":
        strategy = params.get("strategy")
        return {"last": "Naive", "seasonal_last": "Seasonal naive"}.get(
            strategy, f"Naive({strategy})"
        )
    return kind


def _check_models(models, seasonal_period):
    if models is None:
        models = default_models(seasonal_period)
    if isinstance(models, dict):
        named = [(str(name), model) for name, model in models.items()]
    elif isinstance(models, list | tuple):
        named, seen = [], {}
        for model in models:
            base = _display_name(model)
            seen[base] = seen.get(base, 0) + 1
            named.append((base if seen[base] == 1 else f"{base} ({seen[base]})", model))
    else:
        raise TypeError(
            "`models` must be a dict of name -> forecaster, a list of "
            f"forecasters, or None for the defaults. Got a {type(models).__name__} "
            "instead."
        )
    if not named:
        raise ValueError(
            "`models` must hold at least one forecaster. Got none; pass "
            "models=None for the defaults (RNNs, AR and naive baselines)."
        )
    for name, model in named:
        if not (hasattr(model, "fit") and hasattr(model, "predict")):
            raise TypeError(
                f"Model {name!r} must be a forecaster with fit(X, y) and "
                f"predict(X). Got a {type(model).__name__} instead."
            )
        if _is_plain_regressor(model):
            raise TypeError(
                f"Model {name!r} is a regressor ({type(model).__name__}), not a "
                "forecaster. Wrap it to forecast from the series' past values: "
                f"RecursiveForecaster({type(model).__name__}())."
            )
    return named


def _is_plain_regressor(model):
    """A scikit-learn regressor given where a forecaster belongs."""
    from sklearn.base import is_regressor
    from sklearn.pipeline import Pipeline

    final = model[-1] if isinstance(model, Pipeline) else model
    if hasattr(final, "forecast") or hasattr(final, "min_train_size"):
        return False
    try:
        return is_regressor(final)
    except AttributeError:  # not a scikit-learn estimator: no tags to read
        return False


def _check_metrics(metrics):
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = list(metrics)
    unknown = [m for m in metrics if not isinstance(m, str) or m not in METRICS]
    if not metrics or unknown:
        got = repr(unknown[0]) if unknown else "none"
        raise ValueError(
            f"`metrics` must name one or more of {', '.join(map(repr, METRICS))}. "
            f"Got {got} instead."
        )
    if len(set(metrics)) != len(metrics):
        raise ValueError(f"`metrics` must not repeat a name. Got {metrics} instead.")
    return metrics


def _check_horizon(horizon):
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ValueError(
            "`horizon` must be a positive int, the number of time points to "
            f"forecast in each fold. Got {horizon!r} instead."
        )
    return int(horizon)


def _min_train_size(model):
    """The shortest training series ``model`` accepts, or None if it does not say."""
    from ..forecasting._base import BaseForecaster

    if isinstance(model, BaseForecaster):
        # Bad parameters get fit's message, not an error of the arithmetic.
        model._validate_params()
        model._check_params()
    method = getattr(model, "min_train_size", None)
    if method is None:  # skrnn forecasters before min_train_size was public
        method = getattr(model, "_min_train_size", None)
    return None if method is None else int(method())


def _check_baseline(baseline, named):
    """The baseline's name: as given, or "AR(aic)" when there, else the first."""
    names = [name for name, _ in named]
    if baseline is None:
        return "AR(aic)" if "AR(aic)" in names else names[0]
    if baseline not in names:
        raise ValueError(
            f"`baseline` must be the name of one of the models ({', '.join(names)}). "
            f"Got {baseline!r} instead."
        )
    return baseline


def _check_exog_rows(X, index):
    """X as a DataFrame on ``index``, the time points of y: an array is
    matched by position, a DataFrame must have y's index (as in ``fit``)."""
    if X is None:
        return pd.DataFrame(index=index)
    if isinstance(X, pd.Series):  # one regressor, with its index
        X = X.to_frame()
    if len(X) != len(index):
        raise ValueError(
            f"`X` must have one row per time point of y ({len(index)}). Got "
            f"{len(X)} rows instead."
        )
    if not isinstance(X, pd.DataFrame):
        return pd.DataFrame(np.asarray(X), index=index)
    if not X.index.equals(index):
        # Found here rather than as a failure of every model in every fold.
        differ = int(np.argmax(X.index != index))
        raise ValueError(
            "`X` and `y` have different indexes: row "
            f"{differ} of X is at {X.index[differ]!r} but that of y at "
            f"{index[differ]!r}. X must have one row per time point of y, in "
            "the same order: align it with X.reindex(y.index), or pass "
            "X.to_numpy() to match rows by position."
        )
    return X
