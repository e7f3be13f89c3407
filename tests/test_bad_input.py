"""Bad input, for every public estimator, transformer, forecaster, compare and
the command line: a clear error, the user's data untouched, and a fitted object
that still gives the same output after a failed call."""

import copy
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.utils._param_validation import InvalidParameterError

from skrnn import (
    ARForecaster,
    Differencer,
    NaiveForecaster,
    RecursiveForecaster,
    RNNClassifier,
    RNNRegressor,
    SequenceScaler,
    SlidingWindow,
    compare,
    make_windows,
)

TINY = dict(units=4, epochs=2, random_state=0)
RNG = np.random.default_rng(0)


def _sequences():
    X = RNG.normal(size=(24, 6, 2))
    return X, X[:, -1, 0] + X[:, -2, 1]


def _labels(y):
    return np.where(y > 0, "up", "down")


def _series(n=48):
    t = np.arange(n, dtype=float)
    y = pd.Series(
        10 + np.sin(t / 2) + 0.05 * t,
        index=pd.period_range("2000-01", periods=n, freq="M"),
    )
    return pd.DataFrame(index=y.index), y


# Each case: name, a factory, the valid fit data, and how to get the output.
SEQUENCE_ESTIMATORS = {
    "RNNRegressor": (lambda: RNNRegressor(**TINY), lambda: _sequences(), "predict"),
    "RNNClassifier": (
        lambda: RNNClassifier(**TINY),
        lambda: (_sequences()[0], _labels(_sequences()[1])),
        "predict_proba",
    ),
    "SequenceScaler": (
        lambda: SequenceScaler(),
        lambda: (_sequences()[0], None),
        "transform",
    ),
}
TABLE_TRANSFORMERS = {
    "Differencer": lambda: Differencer(),
    "SlidingWindow": lambda: SlidingWindow(3),
}
FORECASTERS = {
    "RecursiveForecaster(RNN)": lambda: RecursiveForecaster(
        RNNRegressor(**TINY), window=4
    ),
    "RecursiveForecaster(linear)": lambda: RecursiveForecaster(
        LinearRegression(), window=4
    ),
    "ARForecaster": lambda: ARForecaster(lags=2),
    "NaiveForecaster": lambda: NaiveForecaster(),
}


def _output(estimator, method, X):
    return np.asarray(getattr(estimator, method)(X))


def _refuses(estimator, call, data, error, match):
    """``call`` fails with ``error`` matching ``match``; ``data`` stays as it was;
    a fitted ``estimator`` is left exactly as before."""
    data_before = copy.deepcopy(data)
    state_before = dict(estimator.__dict__)
    with pytest.raises(error, match=match):
        call()
    for before, after in zip(data_before, data, strict=True):
        if isinstance(after, pd.Series | pd.DataFrame):
            pd.testing.assert_frame_equal(pd.DataFrame(before), pd.DataFrame(after))
        elif after is not None:
            np.testing.assert_array_equal(np.asarray(before), np.asarray(after))
    assert estimator.__dict__.keys() == state_before.keys()
    for key, value in state_before.items():
        assert estimator.__dict__[key] is value, f"{key} changed by a failed call"


# --- sequence estimators and SequenceScaler -------------------------------


@pytest.fixture(params=list(SEQUENCE_ESTIMATORS), scope="module")
def fitted_sequence_estimator(request):
    make, data, method = SEQUENCE_ESTIMATORS[request.param]
    X, y = data()
    estimator = make().fit(X, y)
    return estimator, X, y, method, _output(estimator, method, X)


def _sequence_fit_cases(X, y):
    nan_inside = X.copy()
    nan_inside[2, 3, :] = np.nan
    partial_nan = X.copy()
    partial_nan[1, 0, 0] = np.nan
    infinite = X.copy()
    infinite[0, 2, 1] = np.inf
    text = X.astype(object)
    text[0, 0, 0] = "a"
    return {
        "nan inside a sequence": (nan_inside, y, ValueError, "NaN inside a sequence"),
        "nan in some features": (
            partial_nan,
            y,
            ValueError,
            "some but not all features",
        ),
        "infinity": (infinite, y, ValueError, "infinity"),
        "empty": (X[:0], None if y is None else y[:0], ValueError, "0 sample"),
        "1-D": (
            X[:, 0, 0],
            y,
            ValueError,
            r"X is 1-D \(\d+ values\).*X.reshape\(1, -1\)",
        ),
        "4-D": (X[..., None], y, ValueError, "4-D"),
        "non-numeric": (text, y, ValueError, "could not convert|string"),
        "mismatched X/y": (
            X,
            None if y is None else y[:-3],
            ValueError,
            "inconsistent",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "nan inside a sequence",
        "nan in some features",
        "infinity",
        "empty",
        "1-D",
        "4-D",
        "non-numeric",
        "mismatched X/y",
    ],
)
def test_sequence_input_faults_in_fit(case, fitted_sequence_estimator):
    estimator, X, y, method, output = fitted_sequence_estimator
    bad_X, bad_y, error, match = _sequence_fit_cases(X, y)[case]
    if y is None and case == "mismatched X/y":
        # A transformer has no y to mismatch: X alone fits.
        assert type(estimator)().fit(bad_X, bad_y).transform(bad_X).shape == X.shape
        return
    _refuses(
        estimator, lambda: estimator.fit(bad_X, bad_y), (bad_X, bad_y), error, match
    )
    np.testing.assert_array_equal(_output(estimator, method, X), output)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (lambda X: X[:, :, :1], r"shape \(6, 1\)|1 features per time step"),
        (lambda X: X[:, :4], r"shape \(4, 2\)"),
        (lambda X: np.where(np.arange(6)[None, :, None] == 3, np.nan, X), "NaN inside"),
        (lambda X: np.full_like(X, np.inf), "infinity"),
    ],
    ids=["features", "time steps", "nan", "inf"],
)
def test_sequence_input_faults_at_predict(bad, match, fitted_sequence_estimator):
    estimator, X, _, method, output = fitted_sequence_estimator
    bad_X = bad(X)
    if bad_X.shape[1] != X.shape[1] and isinstance(
        estimator, RNNRegressor | RNNClassifier | SequenceScaler
    ):
        # A recurrent network reads any length (tests/test_rnn.py), and the
        # scaler before it scales any length (tests/test_scaler.py).
        assert len(_output(estimator, method, bad_X)) == len(X)
        return
    _refuses(
        estimator,
        lambda: _output(estimator, method, bad_X),
        (bad_X,),
        ValueError,
        match,
    )
    np.testing.assert_array_equal(_output(estimator, method, X), output)


def test_a_single_sample_fits(fitted_sequence_estimator):
    estimator, X, y, method, _ = fitted_sequence_estimator
    if isinstance(estimator, RNNClassifier):
        with pytest.raises(ValueError, match="one class"):
            type(estimator)(**TINY).fit(X[:1], y[:1])
    else:
        single = type(estimator)(**estimator.get_params()).fit(
            X[:1], None if y is None else y[:1]
        )
        assert _output(single, method, X[:1]).shape[0] == 1


# --- time-table transformers ----------------------------------------------


@pytest.mark.parametrize("name", list(TABLE_TRANSFORMERS))
@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (
            lambda X: np.where(np.arange(30)[:, None] == 10, np.nan, X),
            ValueError,
            "NaN",
        ),
        (
            lambda X: np.where(np.arange(30)[:, None] == 10, np.inf, X),
            ValueError,
            "infinity",
        ),
        (lambda X: X[:0], ValueError, "0 sample"),
        (lambda X: X[:, 0], ValueError, r"2-D X.*reshape\(-1, 1\)"),
        (
            lambda X: np.full(X.shape, "a", dtype=object),
            ValueError,
            "numbers only|convert",
        ),
        (lambda X: X[:1], ValueError, "too short|window|longer|at least"),
    ],
    ids=["nan", "inf", "empty", "1-D", "non-numeric", "single sample"],
)
def test_time_table_faults(name, bad, error, match):
    X = RNG.normal(size=(30, 2))
    transformer = TABLE_TRANSFORMERS[name]().fit(X)
    output = transformer.transform(X)
    bad_X = bad(X)
    if name == "SlidingWindow" and bad_X.shape[:1] == (1,):
        # One row is a valid table: its window is all padding but the row.
        assert SlidingWindow(3).fit(bad_X).transform(bad_X).shape == (1, 3, 2)
        return
    _refuses(transformer, lambda: transformer.fit(bad_X), (bad_X,), error, match)
    np.testing.assert_array_equal(transformer.transform(X), output)
    if bad_X.ndim == 2 and len(bad_X) > 1:
        _refuses(
            transformer, lambda: transformer.transform(bad_X), (bad_X,), error, match
        )


@pytest.mark.parametrize("name", list(TABLE_TRANSFORMERS))
@pytest.mark.parametrize(
    ("order", "match"),
    [([3, 0, 4, 1, 2], r"not sorted.*X\.sort_index\(\)"), ([0, 1, 1, 2], "repeats")],
    ids=["unsorted", "repeated"],
)
def test_time_table_out_of_time_order_is_refused(name, order, match):
    # Differences and windows read neighbours by position: a shuffled table
    # was differenced across the wrong rows.
    index = pd.date_range("2020-01-01", periods=5, freq="D")
    table = pd.DataFrame({"y": [1.0, 2.0, 4.0, 8.0, 16.0]}, index=index)
    transformer = TABLE_TRANSFORMERS[name]().fit(table)
    bad = table.iloc[order]
    for call in (lambda: transformer.fit(bad), lambda: transformer.transform(bad)):
        _refuses(transformer, call, (bad,), ValueError, match)


@pytest.mark.parametrize("name", list(TABLE_TRANSFORMERS))
def test_time_table_wrong_columns_at_transform(name):
    X = RNG.normal(size=(30, 2))
    transformer = TABLE_TRANSFORMERS[name]().fit(X)
    with pytest.raises(ValueError, match="features"):
        transformer.transform(X[:, :1])


# --- make_windows -----------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "kwargs", "match"),
    [
        (np.r_[1.0, np.nan, 3.0, 4.0, 5.0], {}, "NaN"),
        (np.r_[1.0, np.inf, 3.0, 4.0, 5.0], {}, "infinity"),
        (np.arange(5.0), {"window": 5}, "at most the series length"),
        (np.array(["a", "b", "c", "d"]), {}, "numbers only|convert"),
        (np.arange(5.0), {"window": 0}, "'window' parameter"),
    ],
    ids=["nan", "inf", "too short", "non-numeric", "window 0"],
)
def test_make_windows_faults(series, kwargs, match):
    kwargs = {"window": 2, **kwargs}
    before = series.copy()
    with pytest.raises((ValueError, InvalidParameterError), match=match):
        make_windows(series, **kwargs)
    np.testing.assert_array_equal(series, before)


# --- forecasters ------------------------------------------------------------


@pytest.fixture(params=list(FORECASTERS), scope="module")
def fitted_forecaster(request):
    X, y = _series()
    forecaster = FORECASTERS[request.param]().fit(X[:36], y[:36])
    return forecaster, X, y, forecaster.predict(X[36:])


def _forecaster_fit_cases(X, y):
    with_nan = y.copy()
    with_nan.iloc[5] = np.nan
    with_inf = y.copy()
    with_inf.iloc[5] = np.inf
    return {
        "nan in y": (X, with_nan, ValueError, "NaN"),
        "inf in y": (X, with_inf, ValueError, "infinity"),
        "empty": (X[:0], y[:0], ValueError, "0 sample"),
        "3-D y": (None, np.zeros((10, 2, 2)), ValueError, "dim"),
        "non-numeric y": (X, y.map(lambda v: f"v{v}"), ValueError, "convert|number"),
        "mismatched lengths": (
            X.to_numpy()[:20],
            y,
            ValueError,
            "X has 20 rows, but y has 48",
        ),
        "mismatched indexes": (X[:20], y, ValueError, "different indexes"),
        "unsorted index": (X.iloc[::-1], y.iloc[::-1], ValueError, "not sorted"),
        "duplicated index": (
            X.iloc[[0, *range(47)]],
            y.iloc[[0, *range(47)]],
            ValueError,
            "duplicated",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "nan in y",
        "inf in y",
        "empty",
        "3-D y",
        "non-numeric y",
        "mismatched lengths",
        "mismatched indexes",
        "unsorted index",
        "duplicated index",
    ],
)
def test_forecaster_faults_in_fit(case, fitted_forecaster):
    forecaster, X, y, output = fitted_forecaster
    bad_X, bad_y, error, match = _forecaster_fit_cases(X, y)[case]
    _refuses(
        forecaster, lambda: forecaster.fit(bad_X, bad_y), (bad_X, bad_y), error, match
    )
    pd.testing.assert_series_equal(forecaster.predict(X[36:]), output)


@pytest.mark.parametrize("name", list(FORECASTERS))
def test_forecaster_on_a_single_time_point(name):
    """Refused with the minimum length, except where one point is enough."""
    X, y = _series()
    forecaster = FORECASTERS[name]()
    if name == "NaiveForecaster":  # "last": the forecast is that point
        np.testing.assert_allclose(forecaster.fit(X[:1], y[:1]).forecast(2), y.iloc[0])
    else:
        with pytest.raises(
            ValueError, match=r"y has 1 time points, but .* needs at least"
        ):
            forecaster.fit(X[:1], y[:1])


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (lambda X: X[20:30], "only time points of the training data"),
        (lambda X: X[30:40], "at or before the end"),
        (lambda X: X.assign(extra=1.0)[36:], "X has 1 features, but"),
        (lambda X: X[36:].iloc[::-1], "not sorted"),
        (lambda X: X[36:36], "0 rows"),
    ],
    ids=["past rows", "rows across the end", "extra column", "unsorted", "empty"],
)
def test_forecaster_faults_at_predict(bad, match, fitted_forecaster):
    forecaster, X, _, output = fitted_forecaster
    bad_X = bad(X)
    _refuses(forecaster, lambda: forecaster.predict(bad_X), (bad_X,), ValueError, match)
    pd.testing.assert_series_equal(forecaster.predict(X[36:]), output)


# --- every estimator: unknown parameter values, predict before fit ----------

ALL = {
    **{name: make for name, (make, _, _) in SEQUENCE_ESTIMATORS.items()},
    **TABLE_TRANSFORMERS,
    **FORECASTERS,
}
UNKNOWN = {
    "RNNRegressor": {"cell": "transformer"},
    "RNNClassifier": {"class_weight": "even"},
    "SequenceScaler": {"method": "robust"},
    "Differencer": {"order": -1},
    "SlidingWindow": {"window": 0},
    "RecursiveForecaster(RNN)": {"window": 0},
    "RecursiveForecaster(linear)": {"differences": -1},
    "ARForecaster": {"trend": "quadratic"},
    "NaiveForecaster": {"strategy": "median"},
}


@pytest.mark.parametrize("name", list(ALL))
def test_unknown_parameter_values(name):
    estimator = ALL[name]().set_params(**UNKNOWN[name])
    X = (
        RNG.normal(size=(30, 4, 1))
        if name in SEQUENCE_ESTIMATORS
        else RNG.normal(size=(30, 1))
    )
    y = (
        np.where(X.reshape(30, -1)[:, 0] > 0, "a", "b")
        if name == "RNNClassifier"
        else X[:, 0].ravel()
    )
    param = next(iter(UNKNOWN[name]))
    with pytest.raises((InvalidParameterError, ValueError), match=f"{param}"):
        estimator.fit(X, y)


@pytest.mark.parametrize("name", list(ALL))
def test_predict_before_fit(name):
    estimator = ALL[name]()
    method = "transform" if hasattr(estimator, "transform") else "predict"
    with pytest.raises(NotFittedError):
        getattr(estimator, method)(RNG.normal(size=(5, 4)))


# --- compare and the command line ------------------------------------------


@pytest.mark.parametrize(
    ("y", "kwargs", "match"),
    [
        (pd.Series([1.0, np.nan] * 30), {}, "missing values"),
        (pd.Series(np.arange(10.0)), {"horizon": 6}, "too short|at least"),
        (pd.Series(np.arange(60.0)), {"metrics": ("mape",)}, "mape"),
        (pd.Series(np.arange(60.0)), {"baseline": "ARIMA"}, "ARIMA"),
    ],
    ids=["nan", "too short", "unknown metric", "unknown baseline"],
)
def test_compare_faults(y, kwargs, match):
    before = y.copy()
    models = {"Naive": NaiveForecaster(), "AR(1)": ARForecaster(1)}
    with pytest.raises(ValueError, match=match):
        compare(models, y, **{"horizon": 6, "progress": False, **kwargs})
    pd.testing.assert_series_equal(y, before)


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, ["--target", "y"], "no such file"),
        ("t,y\n1,2\n2,3\n", ["--target", "sales"], "sales"),
        ("t,y\n1,a\n2,b\n", ["--target", "y"], "numeric"),
    ],
    ids=["missing file", "missing column", "non-numeric"],
)
def test_command_line_faults(tmp_path, capsys, content, args, message):
    from skrnn._cli import main

    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content)
    code = main(["compare", str(path), *args, "--quiet"])
    assert code == 2
    assert re.search(message, capsys.readouterr().err)
