"""Prototype forecasters for bench_forecast_suite.py (univariate, no exog).

``Hybrid``: a RecursiveForecaster whose one-step model is a linear AR part
fitted by least squares on the training windows plus an ensemble of RNNs
fitted to what the linear part leaves (Zhang 2003; LSTNet's highway),
with the window, the differencing and the season chosen on the training
series when given as "auto".
"""

import numpy as np
from sklearn.base import clone

from skrnn.forecasting import ARForecaster, RecursiveForecaster
from skrnn.preprocessing import Differencer, WindowLayout


def period_from_index(axis):
    """Season length implied by a time index's frequency (None if unknown)."""
    freq = getattr(axis, "freq", None)
    if freq is None:
        return None
    name = getattr(freq, "name", None) or str(freq)
    name = name.upper()
    for prefix, period in (("Q", 4), ("M", 12), ("W", 52), ("D", 7), ("H", 24)):
        if name.startswith(prefix) or name.startswith("B" + prefix):
            return period
    return None


def _differenced(y, d, m):
    lost = d + (m or 0)
    if not lost:
        return None, y
    diff = Differencer(d, seasonal_period=m)
    return diff, diff.fit_transform(y)[lost:]


def _linear_forecast(y, d, m, steps):
    """AR(aic) on the (d, m)-differenced series, forecast and integrated."""
    diff, z = _differenced(y, d, m)
    z_hat = ARForecaster("aic").fit(None, z).forecast(steps).reshape(-1, 1)
    return z_hat if diff is None else diff.inverse_transform_forecast(z_hat)


def choose_differencing(y, m, *, folds=3, horizon=None):
    """(d, D) with the smallest rolling-origin error of a linear AR on y.

    Candidates: no differencing, a first difference, and with a season m the
    seasonal difference and both. Scored by the summed absolute error of
    ``horizon``-step forecasts from ``folds`` origins in the last part of y.
    """
    v = horizon or (m if m else 8)
    candidates = [(0, None), (1, None)] + ([(0, m), (1, m)] if m else [])
    n = len(y)
    best, best_err = candidates[0], np.inf
    for d, s in candidates:
        err = 0.0
        for k in range(folds, 0, -1):
            end = n - k * v
            try:
                pred = _linear_forecast(y[:end], d, s, v)
            except ValueError:
                err = np.inf
                break
            err += np.abs(pred.ravel() - y[end : end + v].ravel()).sum()
        if err < best_err:
            best, best_err = (d, s), err
    return best


def aic_order(z):
    f = ARForecaster("aic").fit(None, z)
    return max(f.ar_lags_[0] or [1])


class Hybrid(RecursiveForecaster):
    """Prototype: see the module docstring.

    window, differences, seasonal_period accept "auto". linear=True adds the
    least-squares AR part. n_models networks are averaged (seeds
    random_state, random_state+1, ...).
    """

    _parameter_constraints: dict = {}  # prototype: no checks

    def __init__(
        self,
        estimator=None,
        *,
        window="auto",
        differences="auto",
        seasonal_period="auto",
        scale=True,
        linear=True,
        n_models=1,
        blend="residual",
        net_weight=1.0,
    ):
        super().__init__(
            estimator,
            window=window,
            differences=differences,
            seasonal_period=seasonal_period,
            scale=scale,
        )
        self.linear = linear
        self.n_models = n_models
        self.blend = blend
        self.net_weight = net_weight

    def min_train_size(self):
        return 30

    def _fit(self, y, exog):
        m = self.seasonal_period
        if m == "auto":
            m = period_from_index(self.time_axis_)
        if self.differences == "auto":
            d, s = choose_differencing(y, m)
        else:
            d, s = self.differences, m
        self.differences_, self.seasonal_period_ = d, s
        self.period_ = m
        self.differencer_, z = _differenced(y, d, s)
        self.target_scaler_ = self.exog_scaler_ = None
        mean, scale = z.mean(axis=0), z.std(axis=0)
        scale[~(scale > 0)] = 1.0
        if not self.scale:
            mean, scale = np.zeros_like(mean), np.ones_like(scale)
        self._z_mean, self._z_scale = mean, scale
        z = (z - mean) / scale
        w = self.window
        if w == "auto":
            w = aic_order(z)
            if m:
                w = max(w, m)
        self.window_ = int(w)
        self.layout_ = WindowLayout(self.window_, n_exog=0)
        exog = np.empty((len(z), 0))
        X, target = self.layout_.training_windows(z, exog)
        flat = X.reshape(len(X), -1)
        design = np.column_stack([np.ones(len(flat)), flat])
        if self.linear:
            coef, *_ = np.linalg.lstsq(design, target.ravel(), rcond=None)
        else:
            coef = np.zeros(flat.shape[1] + 1)
        self.linear_coef_ = coef
        # "residual": the networks learn what the linear part leaves;
        # "average": they learn the series, and the two forecasts are averaged.
        if self.blend == "residual":
            resid = target.ravel() - design @ coef
        else:
            resid = target.ravel()
        r_scale = resid.std() if resid.std() > 0 else 1.0
        self._r_scale = r_scale
        if self.estimator is not None:
            base = clone(self.estimator)
        else:
            from skrnn.rnn import RNNRegressor

            base = RNNRegressor()
        seed = base.get_params().get("random_state")
        validated = self.net_weight == "validated"
        n_val = max(1, len(X) // 5) if validated else 0
        fit_X, fit_r = X[: len(X) - n_val], resid[: len(X) - n_val] / r_scale
        self.estimators_ = []
        for k in range(self.n_models):
            est = clone(base)
            if seed is not None:
                est.set_params(random_state=seed + k)
            if validated:
                est.set_params(early_stopping=True, validation_fraction=0.0)
                est.fit(fit_X, fit_r, X_val=X[-n_val:], y_val=resid[-n_val:] / r_scale)
            else:
                est.fit(fit_X, fit_r)
            self.estimators_.append(est)
        self.weight_ = 1.0 if not validated else 0.0
        if validated and self.estimators_:
            net = np.mean(
                [np.ravel(e.predict(X[-n_val:])) for e in self.estimators_], axis=0
            )
            r_val = resid[-n_val:] / r_scale
            denom = float(net @ net)
            self.weight_ = float(np.clip(net @ r_val / denom, 0, 1)) if denom else 0.0
        elif not validated:
            self.weight_ = float(self.net_weight)
        self.estimator_ = self.estimators_[0] if self.estimators_ else None
        self.history_ = None
        self._last_z = z[-self.window_ :].reshape(1, -1)

    def _forecast(self, steps, exog):
        coef = self.linear_coef_
        out = np.empty(steps)
        if self.blend == "residual":
            hist = self._last_z.copy()
            for t in range(steps):
                pred = coef[0] + hist[0] @ coef[1:] + self.weight_ * self._nets(hist)
                out[t] = pred
                hist = np.concatenate([hist[:, 1:], [[pred]]], axis=1)
        else:
            lin_hist, net_hist = self._last_z.copy(), self._last_z.copy()
            for t in range(steps):
                lin = coef[0] + lin_hist[0] @ coef[1:]
                net = self._nets(net_hist)
                out[t] = 0.5 * lin + 0.5 * net
                lin_hist = np.concatenate([lin_hist[:, 1:], [[lin]]], axis=1)
                net_hist = np.concatenate([net_hist[:, 1:], [[net]]], axis=1)
        z = (out * self._z_scale[0] + self._z_mean[0]).reshape(-1, 1)
        if self.differencer_ is not None:
            z = self.differencer_.inverse_transform_forecast(z)
        return z

    def _nets(self, hist):
        if not self.estimators_:
            return 0.0
        values = [
            float(np.ravel(e.predict(hist[:, :, None]))[0]) for e in self.estimators_
        ]
        return float(np.mean(values)) * self._r_scale
