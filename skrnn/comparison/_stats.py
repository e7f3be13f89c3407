"""The Diebold-Mariano test of equal forecast accuracy."""

import warnings
from numbers import Integral
from typing import NamedTuple

import numpy as np
from scipy import stats

from .._warnings import user_stacklevel

__all__ = ["DieboldMarianoResult", "diebold_mariano"]

_LOSSES = {"squared": np.square, "absolute": np.abs}


class DieboldMarianoResult(NamedTuple):
    """Result of :func:`~skrnn.comparison.diebold_mariano`: statistic and p-value.

    Parameters
    ----------
    statistic : float
        The Diebold-Mariano statistic; negative when the first model has the
        smaller loss.

    pvalue : float
        The two-sided p-value of the test of equal accuracy.
    """

    statistic: float
    pvalue: float


def _as_errors(errors, name):
    try:
        array = np.asarray(errors, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"`{name}` must be a 1-D array of forecast errors. Got values that "
            f"cannot be converted to float instead ({exc})."
        ) from exc
    if array.ndim != 1:
        raise ValueError(
            f"`{name}` must be a 1-D array of forecast errors. Got shape "
            f"{array.shape} instead; pass the errors of one series."
        )
    if not np.isfinite(array).all():
        raise ValueError(
            f"`{name}` must contain only finite values. Got NaN or infinity "
            "instead; drop the time points where a forecast is missing."
        )
    return array


def _dm_test(d, horizon):
    """Statistic, p-value and the number of lags used for the differentials ``d``.

    Falls back to ``horizon=1`` (no autocovariances) when the HAC variance is
    not positive, as R's ``forecast::dm.test`` does.
    """
    n = len(d)
    if not d.any():
        # The two losses are equal at every time point: no difference at all.
        return 0.0, 1.0, horizon
    centred = d - d.mean()
    gamma = [centred[k:] @ centred[: n - k] / n for k in range(horizon)]
    variance = (gamma[0] + 2 * sum(gamma[1:])) / n
    if variance <= 0 and horizon > 1:
        horizon, variance = 1, gamma[0] / n
    if variance <= 0:
        # A constant, non-zero differential: one model is better by the same
        # amount at every point.
        return float(np.copysign(np.inf, d.mean())), 0.0, horizon
    correction = np.sqrt((n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n)
    statistic = correction * d.mean() / np.sqrt(variance)
    pvalue = 2 * stats.t.sf(abs(statistic), df=n - 1)
    return float(statistic), float(pvalue), horizon


def _loss_differential(errors_a, errors_b, horizon, loss):
    a = _as_errors(errors_a, "errors_a")
    b = _as_errors(errors_b, "errors_b")
    if len(a) != len(b):
        raise ValueError(
            "`errors_a` and `errors_b` must be the errors of the same time "
            f"points. Got {len(a)} and {len(b)} errors instead."
        )
    if loss not in _LOSSES:
        raise ValueError(
            f"`loss` must be 'squared' or 'absolute'. Got {loss!r} instead."
        )
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ValueError(
            "`horizon` must be a positive int, the number of steps ahead of the "
            f"forecasts. Got {horizon!r} instead."
        )
    n = len(a)
    if n < 2 or n + 1 - 2 * horizon + horizon * (horizon - 1) / n <= 0:
        raise ValueError(
            f"The Diebold-Mariano test needs more time points than {horizon}-step "
            f"forecasts leave room for. Got {n} errors instead; use more test "
            "points (e.g. more folds) or a shorter horizon."
        )
    return _LOSSES[loss](a) - _LOSSES[loss](b)


def diebold_mariano(errors_a, errors_b, *, horizon=1, loss="squared"):
    """Test whether two forecasts of the same series are equally accurate.

    The Diebold-Mariano test on the loss differential
    ``d_t = L(errors_a[t]) - L(errors_b[t])``, with the small-sample correction
    of Harvey, Leybourne and Newbold (1997). The variance of the mean of ``d``
    accounts for the autocorrelation of ``horizon``-step-ahead forecast errors
    (autocovariances up to lag ``horizon - 1``); the p-value is two-sided,
    from Student's t with ``n - 1`` degrees of freedom.

    Parameters
    ----------
    errors_a : array-like of shape (n_timesteps,)
        Forecast errors (``y_true - y_pred``) of the first model, in time order.

    errors_b : array-like of shape (n_timesteps,)
        Forecast errors of the second model at the same time points.

    horizon : int, default=1
        The longest number of steps ahead of the forecasts.

    loss : {"squared", "absolute"}, default="squared"
        The loss ``L`` applied to each error.

    Returns
    -------
    result : DieboldMarianoResult
        Named tuple ``(statistic, pvalue)``. A negative statistic means the
        first model has the smaller loss. When the losses are equal at every
        time point the statistic is 0.0 and the p-value 1.0 (no difference);
        when one model is better by the same amount at every point the
        statistic is infinite and the p-value 0.0.

    See Also
    --------
    skrnn.compare : Runs this test of every model against a baseline.

    Notes
    -----
    With ``n`` errors and ``h = horizon``, the statistic is

    .. math:: \\sqrt{\\frac{n + 1 - 2h + h(h-1)/n}{n}}
              \\frac{\\bar d}{\\sqrt{(\\gamma_0 + 2\\sum_{k=1}^{h-1}\\gamma_k)/n}}

    where :math:`\\gamma_k` is the lag-k autocovariance of ``d``. When that
    variance estimate is not positive, which can happen for ``h > 1`` on few
    points, the test falls back to ``h = 1`` and warns, as R's
    ``forecast::dm.test`` does. For ``horizon=1`` the test is the one-sample
    t-test of ``d`` against 0.

    References
    ----------
    .. [1] Diebold, F. X. and Mariano, R. S. (1995) Comparing predictive
       accuracy. Journal of Business & Economic Statistics 13(3), 253-263.
    .. [2] Harvey, D., Leybourne, S. and Newbold, P. (1997) Testing the
       equality of prediction mean squared errors. International Journal of
       Forecasting 13(2), 281-291.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.comparison import diebold_mariano
    >>> rng = np.random.default_rng(0)
    >>> small, large = rng.normal(0, 1, 60), rng.normal(0, 3, 60)
    >>> result = diebold_mariano(small, large)
    >>> bool(result.statistic < 0), bool(result.pvalue < 0.05)
    (True, True)
    >>> diebold_mariano(small, small)
    DieboldMarianoResult(statistic=0.0, pvalue=1.0)
    """
    d = _loss_differential(errors_a, errors_b, horizon, loss)
    statistic, pvalue, used = _dm_test(d, int(horizon))
    if used != horizon:
        warnings.warn(
            f"The autocorrelation-robust variance of the loss differential is "
            f"not positive with horizon={horizon} on {len(d)} points; the test "
            "used horizon=1 (no autocovariances) instead.",
            RuntimeWarning,
            stacklevel=user_stacklevel(),
        )
    return DieboldMarianoResult(statistic, pvalue)
