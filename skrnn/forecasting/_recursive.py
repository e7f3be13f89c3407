"""RecursiveForecaster: any regressor on windows, forecasting by feedback."""

from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval

from ..preprocessing import Differencer, WindowLayout
from ._base import BaseForecaster


def _default_estimator():
    from ..rnn import RNNRegressor

    return RNNRegressor()


class RecursiveForecaster(BaseForecaster):
    """Forecast a series many steps ahead with a regressor on sliding windows.

    The target is differenced (optional) and standardised, cut into windows of
    ``window`` time points, and the regressor learns the next value from each
    window. ``predict`` forecasts by feeding each prediction back as the newest
    value of the window, then undoes scaling and differencing. With an
    :class:`~skrnn.RNNRegressor` the whole recursion runs as one compiled
    TensorFlow loop, batched over series; other regressors are called once
    per step.

    Exogenous columns of X are used when present: the window step of a time
    point holds its target value and the exogenous values of the *next* time
    point, so the last step carries the regressors of the time being
    forecast. Their future values come in the X given to ``predict``.
    Several series (2-D y) train one global model on the windows of all.

    Parameters
    ----------
    estimator : regressor, default=None
        The one-step model. None means ``RNNRegressor()``. Regressors that
        declare 3-D input in their tags (skrnn's RNNs) receive windows
        (n_windows, window, n_features); others receive them flattened to
        (n_windows, window * n_features), i.e. lag features, so that
        ``LinearRegression()`` makes an AR(window) model.

    window : int, default=12
        Number of past time points the model sees.

    differences : int, default=0
        Order of regular differencing of the target before modelling.

    seasonal_period : int, default=None
        If set, the target is also differenced once at this lag.

    scale : bool, default=True
        Standardise the (differenced) target and the exogenous columns with
        statistics of the training data.

    Attributes
    ----------
    estimator_ : regressor
        The fitted one-step model.

    differencer_ : Differencer or None
        The fitted differencing of the target.

    target_scaler_, exog_scaler_ : StandardScaler or None
        The fitted scaling of the target and of the exogenous columns.

    y_train_ : ndarray, Series or DataFrame
        The training series, as given.

    history_ : dict of list of float or None
        The training curves of the fitted estimator (its ``history_``, e.g.
        ``{"loss": [...], "val_loss": [...]}`` for an RNNRegressor), or None
        when the estimator is not trained by epochs.

    n_series_ : int
        Number of series (columns of y).

    n_features_in_ : int
        Number of exogenous columns of X.

    time_axis_ : TimeAxis
        The training time index, used to place the rows of X.

    layout_ : WindowLayout
        Where the target and the exogenous columns sit in the windows the
        estimator is trained on and forecasts from.

    See Also
    --------
    ARForecaster : Autoregressive baseline (statsmodels AutoReg).
    NaiveForecaster : Naive baselines.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RNNRegressor, RecursiveForecaster
    >>> from skrnn.datasets import load_airline
    >>> y = np.log(load_airline())
    >>> f = RecursiveForecaster(
    ...     RNNRegressor(units=8, epochs=3, random_state=0),
    ...     window=13, differences=1,
    ... ).fit(None, y)
    >>> f.forecast(12).index[[0, -1]].astype(str).tolist()
    ['1961-01', '1961-12']
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "window": [Interval(Integral, 1, None, closed="left")],
        "differences": [Interval(Integral, 0, None, closed="left")],
        "seasonal_period": [Interval(Integral, 2, None, closed="left"), None],
        "scale": ["boolean"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        window=12,
        differences=0,
        seasonal_period=None,
        scale=True,
    ):
        self.estimator = estimator
        self.window = window
        self.differences = differences
        self.seasonal_period = seasonal_period
        self.scale = scale

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        estimator = (
            self.estimator if self.estimator is not None else _default_estimator()
        )
        tags.non_deterministic = get_tags(estimator).non_deterministic
        return tags

    def _lost_rows(self):
        """Time points consumed by differencing (they have no predecessor)."""
        return self.differences + (self.seasonal_period or 0)

    def min_train_size(self):
        """The shortest training series these parameters can fit."""
        # At least two training windows after differencing.
        return self.window + self._lost_rows() + 2

    def _min_train_hint(self):
        return "Use a longer series, a smaller window or less differencing."

    def _fit(self, y, exog):
        lost = self._lost_rows()
        self.differencer_ = None
        z = y
        if lost:
            self.differencer_ = Differencer(
                self.differences, seasonal_period=self.seasonal_period
            )
            z = self.differencer_.fit_transform(y)[lost:]
            exog = None if exog is None else exog[lost:]
        self.target_scaler_ = self.exog_scaler_ = None
        if self.scale:
            self.target_scaler_ = StandardScaler().fit(z)
            z = self.target_scaler_.transform(z)
            if exog is not None:
                self.exog_scaler_ = StandardScaler().fit(exog)
                exog = self.exog_scaler_.transform(exog)
        if exog is None:
            exog = np.empty((len(z), 0))

        estimator = (
            clone(self.estimator)
            if self.estimator is not None
            else _default_estimator()
        )
        self._three_d = get_tags(estimator).input_tags.three_d_array
        self.layout_ = WindowLayout(self.window, n_exog=exog.shape[1])
        X_windows, y_windows = self.layout_.training_windows(z, exog)
        self.estimator_ = estimator.fit(self._as_input(X_windows), y_windows)
        history = getattr(self.estimator_, "history_", None)
        self.history_ = (
            None
            if not isinstance(history, Mapping)
            else {key: list(values) for key, values in history.items()}
        )
        self._last_targets, self._known_rows = self.layout_.last_state(z, exog)

    def _as_input(self, windows):
        return windows if self._three_d else windows.reshape(len(windows), -1)

    def _forecast(self, steps, exog):
        if exog is not None and self.exog_scaler_ is not None:
            exog = self.exog_scaler_.transform(exog)
        layout = self.layout_
        rows = layout.forecast_rows(self._known_rows, exog, steps=steps)
        recursive = getattr(self.estimator_, "_recursive_forecast", None)
        if recursive is not None:
            z = recursive(
                self._last_targets.astype(np.float32), rows.astype(np.float32), steps
            ).T
        else:
            z = self._forecast_step_by_step(rows.astype(np.float32), steps)
        if self.target_scaler_ is not None:
            z = self.target_scaler_.inverse_transform(z)
        if self.differencer_ is not None:
            z = self.differencer_.inverse_transform_forecast(z)
        return z

    def _forecast_step_by_step(self, rows, steps):
        """The generic recursion: one ``predict`` call per step, all series at once."""
        layout = self.layout_
        w = layout.window
        history = self._last_targets.astype(np.float32).astype(np.float64)
        out = np.empty((steps, len(history)))
        for step in range(steps):
            inputs = layout.assemble(history, rows[step : step + w])
            prediction = self.estimator_.predict(self._as_input(inputs))
            out[step] = np.asarray(prediction).reshape(len(history))
            history = np.concatenate([history[:, 1:], out[step][:, None]], axis=1)
        return out
