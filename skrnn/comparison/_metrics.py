"""The errors a comparison scores, and how each is shown.

Everything that differs between the metrics lives here, so that the report,
its tables and its figures ask a :class:`Metric` instead of testing names:
MASE is the one scaled by the training data of each fold, with 1 (the
in-sample naive error) as its reference line.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..metrics._regression import mae, mase, rmse, smape

__all__ = [
    "METRICS",
    "TIMINGS",
    "Metric",
    "dm_verdict",
    "format_number",
    "get_metric",
]

TIMINGS = ("fit_seconds", "predict_seconds")


@dataclass(frozen=True)
class Metric:
    """A forecast error: its function, its label, and how it is read.

    Attributes
    ----------
    name : str
        Key in ``metrics=`` ("mase").
    label : str
        As shown in tables and figures ("MASE").
    function : callable
        ``function(y_true, y_pred)``, plus ``y_train`` and ``seasonal_period``
        when ``scaled``.
    scaled : bool
        Scaled by the in-sample (seasonal) naive error of each fold's training
        data: it needs that data, 1 is the naive forecast's level, and
        errors of different folds are put on one scale fold by fold.
    test_loss : {"absolute", "squared"}
        The loss of the Diebold-Mariano test when this metric ranks the
        models, so that the test and the ranking judge the same errors.
    """

    name: str
    label: str
    function: Callable
    scaled: bool = False
    test_loss: str = "absolute"

    def score(self, y_true, y_pred, y_train, seasonal_period):
        """The error of one fold's forecasts."""
        if self.scaled:
            return self.function(
                y_true, y_pred, y_train=y_train, seasonal_period=seasonal_period
            )
        return self.function(y_true, y_pred)

    @property
    def reference(self):
        """The value of the naive forecast (a line in the figures), or None."""
        return 1.0 if self.scaled else None

    @property
    def step_label(self):
        """What the error-by-step figure shows for this metric."""
        return f"absolute error / {self.label} scale" if self.scaled else self.label


METRICS = {
    metric.name: metric
    for metric in (
        Metric("mase", "MASE", mase, scaled=True),
        Metric("rmse", "RMSE", rmse, test_loss="squared"),
        Metric("mae", "MAE", mae),
        Metric("smape", "sMAPE", smape),
    )
}


def get_metric(name, argument="metric"):
    """The :class:`Metric` called ``name``, or a ValueError naming the choices."""
    if not isinstance(name, str) or name not in METRICS:
        raise ValueError(
            f"`{argument}` must be one of {', '.join(map(repr, METRICS))}. Got "
            f"{name!r} instead."
        )
    return METRICS[name]


def format_number(value, digits=4):
    """A number for a table: 4 significant digits, "—" for a missing one."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if isinstance(value, int | np.integer):
        return str(value)
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def p_text(p_value, least=2, threshold=0.05):
    """A p-value with ``least`` significant digits, or more where those would
    round it across the threshold (0.0495 is not shown as 0.05 next to
    "significant"); "—" for a missing one."""
    if p_value is None or np.isnan(p_value):
        return "—"
    for digits in range(least, 18):  # 17 digits give the float back exactly
        text = f"{p_value:.{digits}g}"
        if (float(text) < threshold) == (p_value < threshold):
            return text
    return repr(float(p_value))


def relative_change(value, reference):
    """How ``value`` compares with ``reference``: "12% lower than", "0.3%
    higher than", "the same as" (a tie, or a difference under 0.05%, which
    is float noise more often than a result: not "0% higher" or "2e-11%
    higher")."""
    if value == reference:
        return "the same as"
    direction = "lower" if value < reference else "higher"
    if not reference or not np.isfinite(reference):  # no "nan% higher"
        return f"{direction} than"
    percent = abs(value / reference - 1) * 100
    if percent < 0.05:
        return "the same as"
    if percent < 1:
        return f"{percent:.1f}% {direction} than"
    return f"{percent:.0f}% {direction} than"


def dm_verdict(statistic, p_value, loss, baseline):
    """The Diebold-Mariano result in words, with the direction it found."""
    if np.isnan(p_value):
        return "too few test points to test the difference (use more folds)"
    p = p_text(p_value)
    if p_value >= 0.05:
        return f"the difference is not significant (Diebold-Mariano p = {p})"
    # A negative statistic: the model's loss is the smaller.
    which = "smaller" if statistic < 0 else "larger"
    return (
        f"its {loss} errors are significantly {which} than {baseline}'s "
        f"(Diebold-Mariano p = {p})"
    )
