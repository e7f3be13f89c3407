"""scikit-learn's common checks on every forecaster.

Forecasters are regressors, so sklearn's checks run on them: ``X`` is the
exogenous regressors, ``y`` the series, and ``predict(X)`` forecasts the rows
of ``X`` as the time points after the training end. The forecasters are those
of tests/_forecasters.py (one line adds one). A check whose premise does not
hold for a forecaster is an expected failure below, with its reason; the same
table is in docs/user_guide/forecasting.rst.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from _forecasters import INSTANCES
from sklearn.utils.estimator_checks import (
    check_estimators_data_not_an_array,
    parametrize_with_checks,
)

from skrnn import ARForecaster, NaiveForecaster, RecursiveForecaster, RNNRegressor

DOCS = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "forecasting.rst"

# Premises that no forecaster meets: X is optional regressors, and predict
# forecasts after the training data.
_ALL = {
    "check_estimators_empty_data_messages": (
        "X with 0 columns is the normal no-regressors case (the series is y), "
        "so fit accepts it; 0 time points are refused"
    ),
    "check_regressor_data_not_an_array": (
        "its pandas half predicts the training DataFrame, whose index puts the "
        "rows at training time points, which predict refuses; the NotAnArray "
        "half passes"
    ),
}
# Row i of X is forecast step i. Forecasts that are the same function of each
# row at every step pass these: naive "last" and "mean" (one value), and AR
# with a criterion, which picks no lag on the checks' data (y is a function of
# X alone), leaving a regression on each row of X.
_HORIZON = {
    "check_methods_subset_invariance": (
        "row i of X is forecast step i: predicting X in batches restarts each "
        "batch at step 1"
    ),
    "check_methods_sample_order_invariance": (
        "row i of X is forecast step i: shuffling X's rows shuffles its "
        "regressors, not the steps, so the forecasts are not shuffled with them"
    ),
}
_AR = {
    "check_regressor_multioutput": (
        "AutoReg is least squares: 11 time points with 10 exogenous columns "
        "leave fewer observations than parameters, which statsmodels refuses"
    ),
}
_AR_3_LAGS = {
    "check_regressors_no_decision_function": (
        "with 3 lags, 10 time points and 4 exogenous columns leave 7 "
        "observations for 8 parameters, which statsmodels refuses"
    ),
}
_RNN = {
    "check_regressors_train": (
        "fast settings: 3 epochs do not reach R^2 > 0.5; with 50 epochs the "
        "RNNRegressor passes it (tests/test_common.py), as does "
        "RecursiveForecaster(LinearRegression())"
    ),
}


def _trains_an_rnn(forecaster):
    return isinstance(forecaster, RecursiveForecaster) and isinstance(
        forecaster.estimator,
        RNNRegressor | None,  # None: an RNNRegressor()
    )


def expected_failed_checks(forecaster):
    """The checks ``forecaster`` is expected to fail, with their reasons."""
    failures = dict(_ALL)
    same_every_step = (
        isinstance(forecaster, NaiveForecaster)
        and forecaster.strategy in ("last", "mean")
    ) or (isinstance(forecaster, ARForecaster) and isinstance(forecaster.lags, str))
    if not same_every_step:
        failures.update(_HORIZON)
    if isinstance(forecaster, ARForecaster):
        failures.update(_AR)
        lags = forecaster.lags
        # The most lags tried; the default maxlag leaves enough observations.
        order = (forecaster.maxlag or 0) if isinstance(lags, str) else lags
        if order >= 3:
            failures.update(_AR_3_LAGS)
    if _trains_an_rnn(forecaster):
        failures.update(_RNN)
    return failures


@parametrize_with_checks(INSTANCES, expected_failed_checks=expected_failed_checks)
def test_sklearn_common_checks(estimator, check):
    check(estimator)


# -- the halves of the expected failures that hold ----------------------------


@pytest.mark.parametrize(
    "forecaster", [f for f in INSTANCES if not _trains_an_rnn(f)], ids=repr
)
def test_array_likes_without_len_forecast_as_arrays(forecaster):
    # check_regressor_data_not_an_array's other half.
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    check_estimators_data_not_an_array(
        type(forecaster).__name__, forecaster, X, y, "NotAnArray"
    )


def test_the_documented_table_is_the_tested_one():
    text = DOCS.read_text()
    section = text[text.index("sklearn's common checks on forecasters") :]
    documented = set(re.findall(r"``(check_\w+)``", section))
    tested = {
        name for table in (_ALL, _HORIZON, _AR, _AR_3_LAGS, _RNN) for name in table
    }
    assert documented == tested
