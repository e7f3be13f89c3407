"""The forecaster contract: ``fit(X, y)``, ``predict(X)``, ``forecast(steps)``.

``y`` is the target series (1-D, or 2-D for several series). ``X`` has one row
per time point of ``y``; its columns are exogenous regressors (zero columns
is normal) and its pandas index, if any, says when each row is. ``predict(X)``
forecasts the rows of ``X``, which lie after the end of the training data.
"""

import warnings
from dataclasses import replace
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import _num_samples, check_is_fitted

from .._pickling import SavedVersionMixin
from .._state import restore_on_error
from .._warnings import user_stacklevel
from ._checks import check_exog, check_time_index
from ._panel import Target, parse_target

__all__ = ["BaseForecaster"]


def _time_index(obj):
    """The pandas index of ``obj`` if it is a time index worth keeping."""
    index = getattr(obj, "index", None)
    if index is None or not isinstance(index, pd.Index):
        return None
    return index


def _is_plain(value):
    """None, a bool, number or string, or a tuple/list of them."""
    if value is None or isinstance(value, bool | Integral | float | str):
        return True
    return isinstance(value, tuple | list) and all(_is_plain(v) for v in value)


def _plain_params(estimator):
    """The forecaster's own parameters that are plain values and that ``fit``
    reads.

    Estimator parameters are left out: a forecaster fits a clone of them, so
    changing them afterwards does not touch the fitted state; and storing
    references would tie pickling to them. So are those only
    ``predict_interval`` reads (``_interval_params``): they may change after
    fit.
    """
    return {
        name: value
        for name, value in estimator.get_params(deep=False).items()
        if _is_plain(value) and name not in estimator._interval_params
    }


class BaseForecaster(RegressorMixin, SavedVersionMixin, BaseEstimator):
    """Base class of skrnn's forecasters.

    Subclasses implement ``_fit(y, exog)`` with ``y`` a float array
    (n_timesteps, n_series) and ``exog`` (n_timesteps, n_exog) or None, and
    ``_forecast(steps, exog)`` returning (steps, n_series) for the ``steps``
    time points after the training end (``exog`` their exogenous rows or
    None). ``min_train_size()`` is the shortest series they can fit.

    The contract every forecaster keeps, and that other parts of skrnn (the
    "mase" scorer, ``compare``) rely on:

    - ``min_train_size()``: the shortest training series, in time points,
      that the current parameters can fit;
    - ``y_train_``: the training series, as given to ``fit``;
    - ``history_``: the training curves (a dict of lists of float, e.g.
      ``{"loss": [...]}``) of a model trained by epochs, or None for a model
      without them.
    """

    # Whether the forecasts read the exogenous rows; those that do cannot
    # forecast through rows of X that were skipped.
    _uses_exog = True

    # Parameters that only predict_interval reads (see _plain_params).
    _interval_params = ("calibration_origins",)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # X may have zero columns: the series is in y.
        tags.target_tags.multi_output = True
        return tags

    # -- fit ----------------------------------------------------------------

    def fit(self, X, y=None):
        """Fit the forecaster to the series ``y``.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_exog) or None
            One row per time point of ``y``: exogenous regressors (zero columns
            is normal, e.g. ``pd.DataFrame(index=y.index)``). Its pandas index,
            or else ``y``'s, is the time index. None means no regressors.
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
            The series to forecast, in time order.

        Returns
        -------
        self : object
            The fitted forecaster.
        """
        with restore_on_error(self):
            self._validate_params()
            self._check_params()
            y_values, exog = self._validate_fit_data(X, y)
            self.history_ = None  # models trained by epochs set their curves
            self._fit(y_values, exog)
            self._params_at_fit = _plain_params(self)
        return self

    def _check_unchanged(self):
        """Refuse to predict when parameters were set after fit.

        The fitted state (windows, lags, scalers) belongs to the parameters
        of the last fit; ``set_params`` afterwards would otherwise give
        forecasts of a model that does not exist, or raw NumPy errors.
        """
        fitted = getattr(self, "_params_at_fit", None)
        if fitted is None:  # fitted by an older skrnn: nothing to compare
            return
        # A forecaster saved before they were left out recorded them too.
        fitted = {k: v for k, v in fitted.items() if k not in self._interval_params}
        current = _plain_params(self)
        missing = object()
        changed = [
            f"{name}: {fitted.get(name)!r} -> {current.get(name)!r}"
            for name in sorted(set(fitted) | set(current))
            if fitted.get(name, missing) != current.get(name, missing)
        ]
        if changed:
            raise ValueError(
                f"The parameters of this {type(self).__name__} changed after it "
                f"was fitted ({'; '.join(changed[:3])}"
                + ("; ..." if len(changed) > 3 else "")
                + "). Its fitted state belongs to the old ones: call fit again "
                "before predicting (or set the parameters back)."
            )

    def _min_fit_size(self, n_exog):
        """The shortest training series with ``n_exog`` exogenous columns:
        ``min_train_size()``, unless a forecaster counts the columns."""
        return self.min_train_size()

    def _check_params(self):
        """Cross-parameter checks; subclasses extend."""

    def _validate_fit_data(self, X, y):
        name = type(self).__name__
        if y is None:
            if X is not None:
                # The sktime habit: fit(y) with the series as the only argument.
                raise ValueError(
                    f"{name} requires y to be passed, but the target y is None. "
                    f"The series goes second, as in scikit-learn: call "
                    f"{name}().fit(None, y) without exogenous regressors, or "
                    f".fit(X, y) with them (X: one row per time point of y). Got "
                    f"one argument, a {type(X).__name__}, as X instead."
                )
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None. "
                "Call fit(None, y) with the series as y."
            )
        target = parse_target(y, input_name="y")
        y_values = target.values
        n = len(y_values)
        self._check_lengths(target)
        if isinstance(y, dict):
            index = target.index
        else:
            index = _time_index(X)
            if index is None:
                index = _time_index(y)
        if index is not None and isinstance(X, pd.DataFrame | pd.Series):
            y_index = target.index
            if y_index is not None and not y_index.equals(X.index):
                raise ValueError(
                    "X and y have different indexes; X must have one row per "
                    "time point of y, in the same order."
                )
        self.time_axis_ = check_time_index(index)
        if not self.time_axis_.regular and len(index) >= 3:
            # statsmodels' convention: fit by position, and say so.
            warnings.warn(
                self.time_axis_.irregular_message(
                    f"{name} takes its rows as consecutive time points (its "
                    "windows join across any missing ones, and no season is "
                    "read from the index), and forecasts cannot be placed in time"
                ),
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        exog = self._validate_exog(X, n_rows=n, reset=True)
        if exog is not None and target.lags.any():
            j = int(np.argmax(target.lags))
            raise ValueError(
                f"The series of y end at different time points ({target.label(j)} "
                f"ends {target.lags[j]} before the last), and X has exogenous "
                "columns: their rows after a series' end would be both known "
                "and forecast. With exogenous regressors, give series that "
                "all end at the last time point (cut the panel at a common end)."
            )
        if isinstance(y, dict):
            self.y_train_ = {key: value.copy() for key, value in y.items()}
        else:
            self.y_train_ = y.copy() if hasattr(y, "copy") else np.array(y)
        self.n_series_ = y_values.shape[1]
        self._target = replace(target, values=None)  # the layout, not the data
        self._y_is_1d = target.kind == "1d"
        self._y_names = target.names
        self._y_is_pandas = target.index is not None or target.kind == "dict"
        return y_values, exog

    def _check_lengths(self, target):
        """Refuse a series shorter than the parameters can fit."""
        lengths = target.lengths
        minimum = self.min_train_size()
        if lengths.min() < minimum:
            j = int(np.argmin(lengths))
            n = int(lengths[j])
            which = f"{target.label(j)} of y has" if target.ragged else "y has"
            # n_samples= is sklearn's wording for the count, which users know.
            raise ValueError(
                f"{which} {n} time points, but {type(self).__name__} with these "
                f"parameters needs at least {minimum} (got n_samples={n}). "
                f"{self._min_train_hint()}"
                + (" Or drop the short series from the panel." if target.ragged else "")
            )

    def min_train_size(self):
        """The shortest training series these parameters can fit.

        ``fit`` refuses a shorter ``y``; tools that cut a series into
        training folds (``compare``) use it to refuse a split up front.

        Returns
        -------
        n_timesteps : int
            The least number of time points of ``y`` in ``fit``.
        """
        override = type(self)._min_train_size
        if override is not BaseForecaster._min_train_size:
            # A subclass written against the former private hook.
            warnings.warn(
                f"{type(self).__name__} overrides `_min_train_size`, which is "
                "deprecated; override the public `min_train_size` instead.",
                FutureWarning,
                stacklevel=user_stacklevel(),
            )
            return override(self)
        return 1

    def _min_train_size(self):
        """Deprecated alias of :meth:`min_train_size`."""
        warnings.warn(
            "`_min_train_size()` is deprecated; call the public "
            "`min_train_size()` instead.",
            FutureWarning,
            stacklevel=user_stacklevel(),
        )
        return self.min_train_size()

    def _min_train_hint(self):
        return "Use a longer series."

    def _validate_exog(self, X, *, n_rows, reset):
        """Exogenous columns of X as a float array, or None when there are none."""
        if X is None:
            values = np.empty((n_rows, 0))
            names = None
        else:
            if isinstance(X, pd.Series):
                X = X.to_frame()
            names = (
                np.asarray(X.columns, dtype=object)
                if isinstance(X, pd.DataFrame) and X.shape[1]
                else None
            )
            values = check_exog(X, input_name="X")
            if len(values) != n_rows:
                raise ValueError(
                    f"X has {len(values)} rows, but y has {n_rows}: X must have "
                    "one row per time point of y."
                )
        if reset:
            self.n_features_in_ = values.shape[1]
            if names is not None:
                self.feature_names_in_ = names
        else:
            if values.shape[1] != self.n_features_in_:
                # sklearn's wording (validate_data's), which users know.
                raise ValueError(
                    f"X has {values.shape[1]} features, but "
                    f"{type(self).__name__} is expecting {self.n_features_in_} "
                    "features as input: the exogenous columns seen in fit. Give "
                    "X the same columns as in fit (zero columns when there are "
                    "no regressors)."
                )
            fitted_names = getattr(self, "feature_names_in_", None)
            if (
                fitted_names is not None
                and names is not None
                and list(names) != list(fitted_names)
            ):
                raise ValueError(
                    f"X has columns {list(names)}, but {type(self).__name__} was "
                    f"fitted with columns {list(fitted_names)}."
                )
        return values if values.shape[1] else None

    # -- predict --------------------------------------------------------------

    def _future_positions(self, X, *, in_sample_hint=False):
        """1-based positions of the rows of X after the training end.

        ``in_sample_hint``: for predict, name what asks for the training
        rows' predictions (return_train_score) when X holds only those."""
        index = _time_index(X)
        axis = self.time_axis_
        if X is None:
            raise ValueError("X is None: pass one row per time point to forecast.")
        if isinstance(X, Integral) and not isinstance(X, bool):
            raise TypeError(
                f"predict takes X, one row per time point to forecast. Got the "
                f"int {X}: to forecast the next {X} time points, call "
                f"forecast({X})."
            )
        n_rows = _num_samples(X)  # also array-likes without len(), as check_array
        if n_rows == 0:
            raise ValueError("X has 0 rows: pass one row per time point to forecast.")
        if (
            index is None
            or not axis.has_time
            or (
                isinstance(index, pd.RangeIndex)
                and not pd.api.types.is_integer_dtype(axis.index.dtype)
            )
        ):
            # Without a time index on both sides, the rows of X are the next ones.
            return np.arange(1, n_rows + 1), None
        positions = axis.positions(index)
        if in_sample_hint and (positions < 1).all():
            raise ValueError(
                f"X holds only time points of the training data (up to "
                f"{axis.last}); a forecaster forecasts the time points after "
                "it and has no in-sample predictions. "
                "cross_validate(return_train_score=True) and GridSearchCV("
                "return_train_score=True) ask for them: leave it False. In a "
                "cross-validation, split with TimeSeriesSplit, whose test rows "
                "follow the training ones."
            )
        if (positions < 1).any():
            raise ValueError(
                f"X has rows at or before the end of the training data "
                f"({axis.last}); predict forecasts time points after it. In a "
                "cross-validation, split with TimeSeriesSplit, whose test rows "
                "follow the training ones (KFold's do not). To mean the next "
                "rows, pass X without an index (a NumPy array)."
            )
        if (np.diff(positions) <= 0).any():
            raise ValueError(
                "The time index of X is not sorted or has duplicates. Sort X by time."
            )
        return positions, index

    def _prepare_predict(self, X):
        """Positions of X's rows, their output index, and the exogenous rows."""
        check_is_fitted(self)
        self._check_unchanged()
        positions, index = self._future_positions(X, in_sample_hint=True)
        horizon = int(positions[-1])
        exog = self._validate_exog(X, n_rows=len(positions), reset=False)
        if exog is not None and self._uses_exog and horizon != len(positions):
            where = (
                f"starts {positions[0] - 1} time point(s) after the end of the "
                "training data"
                if positions[0] > 1
                else "skips time points after the end of the training data"
            )
            raise ValueError(
                f"X {where}, but the model uses exogenous regressors, whose "
                "values in the skipped rows are unknown. Include every time "
                "point from the one right after the training data in X. In a "
                "cross-validation, split without a gap (TimeSeriesSplit(gap=0)), "
                "or compare models with skrnn.compare, which forecasts through "
                "a splitter's gap with the regressors' rows in it."
            )
        if index is None and self.time_axis_.has_time:
            axis = self.time_axis_
            # Without a regular frequency the future has no dates: number rows.
            future = axis.future(horizon) if axis.regular else axis.row_numbers(horizon)
            index = future[positions - 1]
        return positions, index, exog

    def score(self, X, y, sample_weight=None):
        """R² of ``predict(X)`` against y, scikit-learn's regression score.

        For several series, the mean of each series' R². NaN in y before a
        series starts or after it ends (a panel's series in a test window of
        a cross-validation) are left out: those time points have no
        observation to score against.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_exog)
            The rows to forecast, as in :meth:`predict`.
        y : array-like of shape (n_rows,) or (n_rows, n_series), or dict
            The observed values at those rows; a dict of series for a dict
            panel. A DataFrame's columns (and a dict's keys) are matched to
            the forecast series by name.
        sample_weight : array-like of shape (n_rows,), default=None
            Weights of the rows.

        Returns
        -------
        score : float
        """
        from sklearn.metrics import r2_score

        from ..metrics._regression import (
            _as_2d_float,
            _as_frame,
            _check_same_times,
            _in_order_of,
        )

        y = _as_frame(y)  # a dict panel, as the one fitted, is a wide frame
        y_pred = _in_order_of(y, _as_frame(self.predict(X)))
        _check_same_times(y, y_pred)
        y_true = _as_2d_float(y, "y", ragged=True)
        if not np.isnan(y_true).any():
            return float(r2_score(y, y_pred, sample_weight=sample_weight))
        y_pred = np.asarray(y_pred, dtype=np.float64).reshape(y_true.shape)
        weights = None if sample_weight is None else np.asarray(sample_weight)
        scores = [
            r2_score(
                y_true[rows, j],
                y_pred[rows, j],
                sample_weight=None if weights is None else weights[rows],
            )
            for j, rows in enumerate(~np.isnan(y_true).T)
            if rows.sum() >= 2  # R² needs a spread to compare with
        ]
        if not scores:
            raise ValueError(
                "y has fewer than 2 observed values per series at these rows, "
                "too few for R². Score on more time points."
            )
        return float(np.mean(scores))

    def predict(self, X):
        """Forecast the rows of X, which follow the end of the training data.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_exog)
            One row per time point to forecast, with the exogenous columns
            seen in fit (zero columns when there are none). With a time index,
            rows may start after a gap, which is forecast through; without one,
            the rows are the next ``n_rows`` time points.

        Returns
        -------
        y_pred : ndarray, Series or DataFrame of shape (n_rows,) or \
(n_rows, n_series)
            The forecasts; pandas with X's time index when y was pandas.
        """
        positions, index, exog = self._prepare_predict(X)
        steps = self._series_steps(positions)
        values = self._forecast(int(steps.max()), exog)
        return self._wrap(np.take_along_axis(values, steps - 1, axis=0), index)

    def forecast(self, steps=1, X=None, *, y=None):
        """Forecast the next ``steps`` time points, with their future index.

        Parameters
        ----------
        steps : int, default=1
            Number of time points after the end of the training data (after
            the end of each series, for a panel whose series end at
            different time points).
        X : array-like of shape (steps, n_exog), default=None
            Future values of the exogenous regressors; needed only when the
            forecaster was fitted with some.
        y : array-like or dict, default=None
            Other series to forecast instead of the training series, in any
            form ``fit`` takes: the fitted model continues each from its end
            (its own history sets its differencing and scale). Only for a
            global model (:class:`RecursiveForecaster`) without exogenous
            regressors; the fitted state is left as it is. Series at another
            frequency than the training ones get a warning: the window
            counts time points. A series shorter than the window is padded
            with its first value, as a panel's short series are in ``fit``.

        Returns
        -------
        y_pred : Series, DataFrame, dict or ndarray
            Forecasts shaped like y: indexed by the future time points (a
            continued DatetimeIndex, PeriodIndex or RangeIndex) when y was
            pandas; a dict of Series when y was a dict. For a wide panel
            whose series end at different time points, the frame runs from
            the earliest forecast time point to the latest, NaN where a
            series has no forecast.
        """
        check_is_fitted(self)
        self._check_unchanged()
        if not isinstance(steps, Integral) or isinstance(steps, bool) or steps < 1:
            raise ValueError(
                "steps must be a positive int, the number of time points to "
                f"forecast. Got {steps!r} instead."
            )
        if y is not None:
            return self._forecast_other(int(steps), X, y)
        if X is None:
            if self.n_features_in_:
                raise ValueError(
                    f"{type(self).__name__} was fitted with {self.n_features_in_} "
                    "exogenous columns; pass their future values as X."
                )
            X = np.empty((steps, 0))
        elif _num_samples(X) != steps:
            raise ValueError(f"X has {_num_samples(X)} rows but steps is {steps}.")
        elif self._placed_in_time(_time_index(X), steps):
            # Dates on X must be the ones forecast, as predict requires.
            positions, index = self._future_positions(X)
            if not np.array_equal(positions, np.arange(1, steps + 1)):
                raise ValueError(
                    f"X's rows start at {index[0]}, {positions[0]} time point(s) "
                    f"after the end of the training data, but forecast({steps}) "
                    f"forecasts the {steps} time points right after it. Give X "
                    "the rows of those time points, or call predict(X) to "
                    "forecast the rows of X."
                )
        exog = self._validate_exog(X, n_rows=steps, reset=False)
        values = self._forecast(int(steps), exog)
        target = getattr(self, "_target", None)
        if target is None or not target.lags.any():
            return self._wrap(values, self.time_axis_.future(steps))
        return _place_ragged(values, target, self.time_axis_)

    def _placed_in_time(self, index, steps):
        """Whether the index of forecast()'s X names time points to check:
        dates, or an integer index of a model fitted on one, unless it is a
        new frame's default RangeIndex(steps) (the rows simply in order)."""
        if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
            return True
        if index is None or self.time_axis_.index is None:
            return False
        fresh = isinstance(index, pd.RangeIndex) and index.equals(pd.RangeIndex(steps))
        return pd.api.types.is_integer_dtype(index.dtype) and not fresh

    def _forecast_other(self, steps, X, y):
        name = type(self).__name__
        if X is not None or self.n_features_in_:
            raise ValueError(
                f"forecast(y=...) continues other series without exogenous "
                f"regressors, but X was given or {name} was fitted with some. "
                "Fit the forecaster on those series (with their regressors) "
                "instead."
            )
        target = parse_target(y, input_name="y")
        axis = check_time_index(target.index)
        fitted, given = _nominal_freq(self.time_axis_), _nominal_freq(axis)
        if fitted and given and fitted != given:
            # The lags and season the model learnt count time points.
            warnings.warn(
                f"The series given as y are at frequency {given!r}, but {name} "
                f"was fitted on series at {fitted!r}: its window and season "
                "count time points of that frequency, so these forecasts may "
                "mean little. Fit it on series at this frequency instead.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        values = self._forecast_from(target.values, steps)
        if target.lags.any():
            return _place_ragged(values, target, axis)
        return _shape_like(values, axis.future(steps), target)

    def _forecast_from(self, y, steps):
        """Forecasts (steps, n_series) continuing the series ``y`` (laid out
        as in ``_fit``) with the fitted model; global models override."""
        raise ValueError(
            f"{type(self).__name__} fits one model per series, so it cannot "
            "forecast series it was not fitted on: fit it on them instead. "
            "RecursiveForecaster, one model for all series, can."
        )

    def _series_steps(self, positions):
        """Each series' own steps ahead at the row ``positions`` (n_rows,
        n_series): a series that ended earlier is further ahead."""
        target = getattr(self, "_target", None)
        if target is None:  # fitted by an older skrnn: aligned columns
            return np.repeat(positions[:, None], self.n_series_, axis=1)
        return positions[:, None] + target.lags

    def _wrap(self, values, index):
        """Shape forecasts like y: 1-D for one series, pandas if y was pandas."""
        target = getattr(self, "_target", None)
        if target is None:  # fitted by an older skrnn
            kind = "1d" if self._y_is_1d else "2d"
            target = Target(None, None, kind, self._y_names, None)
            if not self._y_is_pandas:
                index = None
        return _shape_like(values, index, target)


def _nominal_freq(axis):
    """The frequency of a time axis as a period alias ('M' for month starts
    and ends alike), or None without one."""
    index, freq = axis.index, axis.freq
    if freq is None:
        return None
    offset = pd.tseries.frequencies.to_offset(freq)
    if isinstance(offset, pd.offsets.Week) or (
        isinstance(offset, pd.offsets.Day) and offset.n % 7 == 0
    ):
        # Weeks whatever day they start on ("W-SUN", "W-MON", "7D").
        n = offset.n if isinstance(offset, pd.offsets.Week) else offset.n // 7
        return "W" if n == 1 else f"{n}W"
    if isinstance(index, pd.PeriodIndex):
        return index.freqstr
    try:
        return pd.date_range(index[0], periods=2, freq=freq).to_period().freqstr
    except (AttributeError, TypeError, ValueError):  # no period alias
        return offset.freqstr


def _shape_like(values, index, target):
    """Forecasts (n_rows, n_series) in the container the target came in."""
    if target.kind == "dict":
        return {
            key: pd.Series(values[:, j], index=index, name=key)
            for j, key in enumerate(target.names)
        }
    if target.kind == "1d":
        values = values[:, 0]
    if index is None:
        return values
    if target.kind == "1d":
        return pd.Series(values, index=index, name=target.names)
    return pd.DataFrame(values, index=index, columns=target.names)


def _place_ragged(values, target, axis):
    """Forecasts of series that end at different time points, each after its
    own end: a dict of Series, or one frame (array) from the earliest
    forecast time point to the latest, NaN where a series has none."""
    steps, n_series = values.shape
    back = int(target.lags.max())
    # Row r of the frame is the time point r - back + 1 after the last one.
    frame = np.full((steps + back, n_series), np.nan)
    rows = back - target.lags[None, :] + np.arange(steps)[:, None]
    frame[rows, np.arange(n_series)] = values
    index = None
    if axis.has_time:
        index = axis.index[len(axis.index) - back :].append(axis.future(steps))
    if target.kind == "dict":
        return {
            key: pd.Series(
                values[:, j],
                index=None if index is None else index[rows[:, j]],
                name=key,
            )
            for j, key in enumerate(target.names)
        }
    return _shape_like(frame, index, target)
