"""Scale-out through joblib: loky workers and a dask.distributed cluster."""

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skrnn import RecursiveForecaster, RNNRegressor
from skrnn.datasets import load_airline
from skrnn.metrics import get_scorer


def _tensorflow_threads():
    from skrnn.rnn import _keras

    # skrnn sizes the pools when it builds its first network, not on import
    X = np.zeros((8, 3, 1))
    RNNRegressor(units=2, epochs=1).fit(X, X[:, -1, 0])
    threading = _keras.tf.config.threading
    return (
        threading.get_intra_op_parallelism_threads(),
        threading.get_inter_op_parallelism_threads(),
    )


def test_loky_workers_use_their_share_of_the_cores():
    import os

    share = max(1, (os.cpu_count() or 1) // 2)
    threads = joblib.Parallel(n_jobs=2)(
        joblib.delayed(_tensorflow_threads)() for _ in range(2)
    )
    assert threads == [(share, share)] * 2


def _search():
    y = np.log(load_airline())[-72:]
    X = pd.DataFrame(index=y.index)
    forecaster = RecursiveForecaster(
        RNNRegressor(units=4, epochs=5, random_state=0),
        differences=1,
        seasonal_period=12,
    )
    search = GridSearchCV(
        forecaster,
        {"window": [6, 12], "estimator__units": [4, 6]},
        cv=TimeSeriesSplit(n_splits=2, test_size=12),
        scoring=get_scorer("rmse"),
    )
    return search, X, y


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


# Slow (about 30 s); test_compare_on_a_dask_cluster_matches_the_serial_run
# keeps the dask path in the default run.
@pytest.mark.slow
def test_grid_search_on_a_dask_cluster_matches_the_serial_run(dask_client):
    serial, X, y = _search()
    serial.fit(X, y)
    distributed, X, y = _search()
    with joblib.parallel_backend("dask"):
        distributed.fit(X, y)
    assert distributed.best_params_ == serial.best_params_
    # Seeding holds inside worker processes: every score is reproduced.
    np.testing.assert_allclose(
        distributed.cv_results_["mean_test_score"],
        serial.cv_results_["mean_test_score"],
        rtol=1e-5,
    )
    workers = dask_client.run(_tensorflow_threads)
    assert set(workers.values()) == {(1, 1)}


def test_compare_on_a_dask_cluster_matches_the_serial_run(dask_client):
    from skrnn import ARForecaster, NaiveForecaster, compare

    y = np.log(load_airline())[-60:]
    models = {
        "GRU": RecursiveForecaster(
            RNNRegressor("gru", units=4, epochs=5, random_state=0), window=12
        ),
        "AR(aic)": ARForecaster("aic"),
        "Naive": NaiveForecaster(),
    }
    serial = compare(models, y, horizon=6, progress=False)
    with joblib.parallel_backend("dask"):
        distributed = compare(models, y, horizon=6, n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(
        distributed.forecasts, serial.forecasts, check_exact=False, rtol=1e-5
    )
    scores = serial.scores[~serial.scores["metric"].str.endswith("_seconds")]
    same = distributed.scores.merge(scores, on=["model", "fold", "metric"])
    np.testing.assert_allclose(same["value_x"], same["value_y"], rtol=1e-5)
    assert len(same) == len(scores)
