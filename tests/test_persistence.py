"""Every fitted public object survives pickle and joblib into a new process,
and training faults leave estimators as they were."""

import os
import pickle
import subprocess
import sys
from importlib.metadata import version

import joblib
import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import InconsistentVersionWarning
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from skrnn import (
    ARForecaster,
    Differencer,
    NaiveForecaster,
    RecursiveForecaster,
    RNNClassifier,
    RNNRegressor,
    SequenceScaler,
    SlidingWindow,
    TextTokenizer,
)
from skrnn.datasets import load_airline

TINY = dict(units=4, epochs=3, random_state=0)


def _fitted_objects(tmp_path):
    """(name, fitted object, method, input) for every public fitted kind."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 2))
    y = X[:, -1, 0]
    table = rng.normal(size=(30, 2))
    series = np.log(load_airline())
    future = pd.DataFrame(index=pd.period_range("1961-01", periods=6, freq="M"))
    docs = ["a good film", "a bad plot", "good acting", "bad and long"] * 5
    callbacks = [
        keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
        keras.callbacks.ModelCheckpoint(str(tmp_path / "checkpoint.keras")),
    ]
    return [
        ("RNNRegressor", RNNRegressor(**TINY, attention=True).fit(X, y), "predict", X),
        (
            "RNNRegressor with callbacks",
            RNNRegressor(**TINY, callbacks=callbacks).fit(X, y),
            "predict",
            X,
        ),
        (
            "RNNClassifier",
            RNNClassifier(**TINY, bidirectional=True).fit(X, y > 0),
            "predict_proba",
            X,
        ),
        (
            "pipeline",
            make_pipeline(SequenceScaler(), RNNRegressor(**TINY)).fit(X, y),
            "predict",
            X,
        ),
        (
            "text pipeline",
            make_pipeline(TextTokenizer(), RNNClassifier(**TINY, embedding_dim=4)).fit(
                docs, [0, 1] * 10
            ),
            "predict_proba",
            [*docs[:3], "unseen words", ""],
        ),
        ("SequenceScaler", SequenceScaler().fit(X), "transform", X),
        ("Differencer", Differencer(seasonal_period=3).fit(table), "transform", table),
        ("SlidingWindow", SlidingWindow(4).fit(table), "transform", table),
        (
            "RecursiveForecaster",
            RecursiveForecaster(RNNRegressor(**TINY), window=12, differences=1).fit(
                None, series
            ),
            "predict",
            future,
        ),
        (
            "RecursiveForecaster(linear)",
            RecursiveForecaster(LinearRegression(), window=12).fit(None, series),
            "predict",
            future,
        ),
        ("ARForecaster", ARForecaster().fit(None, series), "predict", future),
        (
            "NaiveForecaster",
            NaiveForecaster("seasonal_last", period=12).fit(None, series),
            "predict",
            future,
        ),
    ]


_LOAD_AND_APPLY = """
import pickle, sys, warnings, joblib, numpy as np
from sklearn.exceptions import InconsistentVersionWarning
# Saved and loaded with the same versions: no warning.
warnings.simplefilter("error", InconsistentVersionWarning)
cases = pickle.load(open(sys.argv[1], "rb"))
outputs = {}
for name, fmt, blob, method, data in cases:
    obj = pickle.loads(blob) if fmt == "pickle" else joblib.load(blob)
    outputs[(name, fmt)] = np.asarray(getattr(obj, method)(data))
pickle.dump(outputs, open(sys.argv[2], "wb"))
"""


@pytest.mark.filterwarnings("ignore:The callback CSVLogger")
def test_every_fitted_object_round_trips_into_a_new_process(tmp_path):
    objects = _fitted_objects(tmp_path)
    assert (tmp_path / "checkpoint.keras").exists()  # the callback saved a model
    cases, expected = [], {}
    for name, obj, method, data in objects:
        path = tmp_path / f"{name}.joblib"
        joblib.dump(obj, path)
        cases.append((name, "pickle", pickle.dumps(obj), method, data))
        cases.append((name, "joblib", str(path), method, data))
        expected[name] = np.asarray(getattr(obj, method)(data))
    (tmp_path / "cases.pkl").write_bytes(pickle.dumps(cases))
    subprocess.run(
        [
            sys.executable,
            "-c",
            _LOAD_AND_APPLY,
            str(tmp_path / "cases.pkl"),
            str(tmp_path / "out.pkl"),
        ],
        check=True,
    )
    outputs = pickle.loads((tmp_path / "out.pkl").read_bytes())
    for (name, fmt), output in outputs.items():
        np.testing.assert_array_equal(output, expected[name], err_msg=f"{name} {fmt}")
    assert len(outputs) == 2 * len(objects)


_CUSTOM_PARTS = """
import keras


def scaled_tanh(x):
    return keras.ops.tanh(x) * 0.9


class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


def custom_layer(inputs):
    return Double()(keras.layers.LSTM(4)(inputs))


def lambda_layer(inputs):
    return keras.layers.Lambda(lambda t: t * 2.0)(keras.layers.LSTM(4)(inputs))
"""


def test_networks_with_custom_parts_load_in_a_new_process(tmp_path, monkeypatch):
    # They pickled, but loading said "damaged": Keras's format could not
    # read an unregistered layer class, a Lambda (safe_mode) or a callable
    # activation. The network is now rebuilt from its spec.
    (tmp_path / "custom_parts.py").write_text(_CUSTOM_PARTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    import custom_parts

    X = np.random.default_rng(0).normal(size=(40, 6, 1))
    models = [
        RNNRegressor(**TINY, activation=custom_parts.scaled_tanh),
        RNNRegressor(
            **TINY, dense_units=(3,), dense_activation=custom_parts.scaled_tanh
        ),
        RNNRegressor(network=custom_parts.custom_layer, epochs=2, random_state=0),
        RNNRegressor(network=custom_parts.lambda_layer, epochs=2, random_state=0),
    ]
    cases, expected = [], {}
    for k, model in enumerate(models):
        model.fit(X, X[:, -1, 0])
        cases.append((str(k), "pickle", pickle.dumps(model), "predict", X))
        expected[str(k)] = model.predict(X)
        again = pickle.loads(pickle.dumps(model))
        np.testing.assert_array_equal(again.predict(X), expected[str(k)])
        again.fit(X, X[:, -1, 0])  # a loaded estimator refits
    (tmp_path / "cases.pkl").write_bytes(pickle.dumps(cases))
    command = [sys.executable, "-c", _LOAD_AND_APPLY, str(tmp_path / "cases.pkl")]
    subprocess.run(
        [*command, str(tmp_path / "out.pkl")],
        check=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    outputs = pickle.loads((tmp_path / "out.pkl").read_bytes())
    for (name, _), output in outputs.items():
        np.testing.assert_array_equal(output, expected[name], err_msg=name)
    assert len(outputs) == len(models)


def test_a_callback_that_cannot_be_pickled_is_left_out_with_a_warning(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 4, 1))
    logger = keras.callbacks.CSVLogger(str(tmp_path / "log.csv"))
    stop = keras.callbacks.EarlyStopping(monitor="loss")
    reg = RNNRegressor(**TINY, callbacks=[logger, stop]).fit(X, X[:, -1, 0])
    with pytest.warns(UserWarning, match="CSVLogger .* cannot be pickled"):
        restored = pickle.loads(pickle.dumps(reg))
    assert [type(c) for c in restored.callbacks] == [keras.callbacks.EarlyStopping]
    assert reg.callbacks == [logger, stop]  # the live estimator keeps both
    header = (tmp_path / "log.csv").read_text().splitlines()[0].split(",")
    assert header[0] == "epoch"  # the live logger ran
    assert "loss" in header


def test_a_checkpoint_saved_by_a_callback_loads_as_the_trained_network(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 6, 1))
    y = X[:, -1, 0]
    path = tmp_path / "best.keras"
    reg = RNNRegressor(
        **TINY,
        early_stopping=False,
        callbacks=[keras.callbacks.ModelCheckpoint(str(path))],
    ).fit(X, y)
    saved = keras.saving.load_model(path)
    np.testing.assert_allclose(
        saved.predict(X, verbose=0).ravel(), reg.predict(X), rtol=1e-5
    )


class _InterruptAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


@pytest.mark.parametrize("fitted_before", [False, True])
def test_an_interrupted_fit_leaves_the_estimator_as_it_was(fitted_before):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 6, 1))
    y = X[:, -1, 0]
    reg = RNNRegressor(units=4, epochs=5, random_state=0)
    if fitted_before:
        reg.fit(X, y)
        before = reg.predict(X)
    state = dict(reg.__dict__)
    reg.set_params(callbacks=[_InterruptAt(epoch=1)])
    with pytest.raises(KeyboardInterrupt):
        reg.fit(X[:, :4], y)
    reg.set_params(callbacks=None)
    assert {k: v for k, v in reg.__dict__.items() if k != "callbacks"} == {
        k: v for k, v in state.items() if k != "callbacks"
    }
    if fitted_before:
        np.testing.assert_array_equal(reg.predict(X), before)
    else:
        assert not hasattr(reg, "model_")
    # The shared compiled template is still usable after the interruption.
    again = RNNRegressor(units=4, epochs=5, random_state=0).fit(X[:, :4], y)
    assert np.isfinite(again.predict(X[:, :4])).all()


def test_loading_leaves_pythons_random_state_alone():
    # The network is rebuilt on loading; its throw-away initial weights drew
    # from Python's random, which random_state promises to leave alone.
    import random

    X = np.random.default_rng(0).normal(size=(30, 5, 1))
    blob = pickle.dumps(RNNRegressor(**TINY).fit(X, X[:, -1, 0]))
    before = random.getstate()
    pickle.loads(blob)
    assert random.getstate() == before


def test_a_pickle_in_the_former_format_is_refused_by_name():
    X = np.random.default_rng(0).normal(size=(30, 5, 1))
    state = RNNRegressor(**TINY).fit(X, X[:, -1, 0]).__getstate__()
    state["model_"] = b"PK\x03\x04 a Keras archive"
    with pytest.raises(ValueError, match=r"earlier development version.*Fit the"):
        RNNRegressor().__setstate__(state)


def test_a_pickle_records_the_versions_that_wrote_it():
    X = np.random.default_rng(0).normal(size=(30, 5, 1))
    fitted = RNNRegressor(**TINY).fit(X, X[:, -1, 0])
    series = np.log(load_airline())
    versions = {
        "fitted network": (fitted, {"skrnn", "keras"}),
        "unfitted network": (RNNRegressor(), {"skrnn"}),
        "AR": (ARForecaster().fit(None, series), {"skrnn", "statsmodels"}),
        "transformer": (Differencer().fit(series.to_frame()), {"skrnn"}),
    }
    for name, (estimator, packages) in versions.items():
        recorded = estimator.__getstate__()["_skrnn_versions"]
        assert set(recorded) == packages, name
        assert recorded["skrnn"] == version("skrnn"), name


def test_a_pickle_of_other_versions_warns_naming_them_and_still_loads():
    # scikit-learn warns so for its own estimators only (by module name).
    X = np.random.default_rng(0).normal(size=(30, 5, 1))
    fitted = RNNRegressor(**TINY).fit(X, X[:, -1, 0])
    state = fitted.__getstate__()
    state["_skrnn_versions"] = {"skrnn": "0.0.1", "keras": "2.15.0"}
    loaded = RNNRegressor.__new__(RNNRegressor)
    with pytest.warns(
        InconsistentVersionWarning,
        match=r"RNNRegressor was saved with skrnn 0\.0\.1 \(installed: .+\), "
        r"keras 2\.15\.0 \(installed: .+\)\..*Fit it again",
    ):
        loaded.__setstate__(state)
    np.testing.assert_array_equal(loaded.predict(X), fitted.predict(X))
    assert "_skrnn_versions" not in vars(loaded)

    state = ARForecaster().fit(None, np.log(load_airline())).__getstate__()
    del state["_skrnn_versions"]  # written before skrnn recorded versions
    with pytest.warns(InconsistentVersionWarning, match="recorded no version"):
        ARForecaster.__new__(ARForecaster).__setstate__(state)


def test_a_forecaster_saved_before_interval_parameters_were_left_out_predicts():
    # Saved states recorded calibration_origins (and AR's intervals) among
    # the fitted parameters: loaded, every forecast said they had changed.
    series = np.log(load_airline())
    for forecaster in (
        ARForecaster(calibration_origins=9),
        RecursiveForecaster(LinearRegression(), window=12, calibration_origins=9),
    ):
        fitted = forecaster.fit(None, series)
        state = fitted.__getstate__()
        recorded = {"calibration_origins": 9}
        if isinstance(fitted, ARForecaster):
            recorded["intervals"] = "analytic"
        state["_params_at_fit"] = dict(state["_params_at_fit"], **recorded)
        del state["_skrnn_versions"], state["_calibration_model"]
        loaded = type(forecaster).__new__(type(forecaster))
        with pytest.warns(InconsistentVersionWarning, match="recorded no version"):
            loaded.__setstate__(state)
        pd.testing.assert_series_equal(loaded.forecast(3), fitted.forecast(3))
        pd.testing.assert_frame_equal(
            loaded.predict_interval(np.empty((3, 0))),
            fitted.predict_interval(np.empty((3, 0))),
        )


def test_the_version_warning_names_what_differs_and_keeps_sklearns_attributes():
    state = ARForecaster().fit(None, np.log(load_airline())).__getstate__()
    state["_skrnn_versions"] = dict(state["_skrnn_versions"], statsmodels="0.9.0")
    with pytest.warns(InconsistentVersionWarning) as record:
        ARForecaster.__new__(ARForecaster).__setstate__(state)
    warning = record[0].message
    text = str(warning)
    assert "statsmodels 0.9.0 (installed:" in text
    assert "skrnn" not in text.split("saved with")[1].split(".")[0]
    assert "network" not in text  # AR has none
    assert warning.original_sklearn_version == version("scikit-learn")


def test_a_network_the_installed_keras_cannot_rebuild_names_the_versions_first():
    # The version check ran after the rebuild: a Keras that could not
    # rebuild the network gave only the "damaged" error.
    X = np.random.default_rng(0).normal(size=(30, 5, 1))
    state = RNNRegressor(**TINY).fit(X, X[:, -1, 0]).__getstate__()
    state["_skrnn_versions"] = dict(state["_skrnn_versions"], keras="2.15.0")
    state["model_"] = dict(state["model_"], sha256="0")  # fails to rebuild
    with (
        pytest.warns(InconsistentVersionWarning, match=r"keras 2.15.0.*rebuilt"),
        pytest.raises(ValueError, match="damaged"),
    ):
        RNNRegressor.__new__(RNNRegressor).__setstate__(state)
