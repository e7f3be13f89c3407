"""Every skrnn forecaster, in fast settings, for the checks that run on all.

Shared by tests/test_forecaster_checks.py (skrnn's contract) and
tests/test_forecaster_sklearn_checks.py (scikit-learn's common checks): a new
forecaster is checked by adding one line to ``FORECASTERS``.
"""

from sklearn.linear_model import LinearRegression

from skrnn import (
    ARForecaster,
    DirectForecaster,
    NaiveForecaster,
    RecursiveForecaster,
    RNNRegressor,
)

# One line per forecaster: (id, a fast instance).
FORECASTERS = [
    ("naive-last", NaiveForecaster()),
    ("naive-mean", NaiveForecaster("mean")),
    ("naive-seasonal", NaiveForecaster("seasonal_last", period=4)),
    ("naive-drift", NaiveForecaster("drift")),
    ("ar", ARForecaster(lags=2)),
    ("ar-aic", ARForecaster(lags="aic", maxlag=3)),
    (
        "ar-conformal",
        ARForecaster(lags=1, intervals="conformal", calibration_origins=9),
    ),
    ("recursive-linear", RecursiveForecaster(LinearRegression(), window=4)),
    (
        "recursive-rnn",
        RecursiveForecaster(
            RNNRegressor(units=4, epochs=3, random_state=0), window=4, differences=1
        ),
    ),
    # DirectForecaster shares RecursiveForecaster's network path, checked above
    # with an RNN; tests/test_forecast_direct.py trains it with one.
    ("direct-linear", DirectForecaster(LinearRegression(), horizon=3, window=4)),
]
IDS = [name for name, _ in FORECASTERS]
INSTANCES = [forecaster for _, forecaster in FORECASTERS]
