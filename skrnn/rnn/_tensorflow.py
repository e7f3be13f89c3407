"""Load Keras and TensorFlow quietly, and leave the process as it was found.

TensorFlow writes start-up lines from C++ while it loads (CUDA stubs, CPU
features, ``cuInit``), before any Python log level applies. They are not
errors, and on every ``fit`` of a new user they read like one. While
TensorFlow loads, file descriptor 2 is pointed at a temporary file; the
start-up lines are dropped and anything else written meanwhile is written
back to stderr. ``TF_CPP_MIN_LOG_LEVEL=0`` (TensorFlow's own switch) shows
everything. The environment is restored afterwards.
"""

import contextlib
import logging
import os
import re
import sys
import tempfile
import threading

# The lines TensorFlow writes on every start on a machine without a GPU.
_START_UP_NOISE = re.compile(
    r"cudart_stub|cuda_platform|cuInit|cuda_executor|cpu_feature_guard"
    r"|To enable the following instructions|All log messages before absl"
    r"|oneDNN custom operations|computation placer already registered"
    r"|Unable to register cu(DNN|FFT|BLAS) factory"
)


@contextlib.contextmanager
def _stderr_captured():
    """Point fd 2 at a file; write back the lines that are not start-up noise."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), 2)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            log.seek(0)
            lines = log.read().decode(errors="replace").splitlines(keepends=True)
            shown = (
                lines
                if failed
                else [line for line in lines if not _START_UP_NOISE.search(line)]
            )
            sys.stderr.write("".join(shown))
            sys.stderr.flush()


def _load():
    if os.environ.get("TF_CPP_MIN_LOG_LEVEL", "").strip() == "0":
        import keras
        import tensorflow as tf

        return keras, tf
    had_level = "TF_CPP_MIN_LOG_LEVEL" in os.environ
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        with _stderr_captured():
            import keras
            import tensorflow as tf

            tf.config.list_physical_devices("GPU")  # cuInit happens here
    finally:
        if not had_level:
            del os.environ["TF_CPP_MIN_LOG_LEVEL"]
    return keras, tf


keras, tf = _load()


class _DropTemplateRetracingWarning(logging.Filter):
    """Each compiled template owns its tf.functions by design (see _Template);
    TensorFlow counts their first traces together and warns of "retracing"."""

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


_RETRACING_FILTER = _DropTemplateRetracingWarning()
_TRACING = {"threads": 0}
_TRACING_LOCK = threading.Lock()


@contextlib.contextmanager
def templates_tracing():
    """Hide TensorFlow's retracing warning while skrnn uses its templates, and
    only then (counted over threads): the user's own tf.functions keep it."""
    logger = tf.get_logger()
    with _TRACING_LOCK:
        _TRACING["threads"] += 1
        logger.addFilter(_RETRACING_FILTER)
    try:
        yield
    finally:
        with _TRACING_LOCK:
            _TRACING["threads"] -= 1
            if not _TRACING["threads"]:
                logger.removeFilter(_RETRACING_FILTER)


_THREADS_SIZED = False


def use_the_worker_share_of_cores():
    """Size TensorFlow's thread pools like the process's other numeric libraries.

    joblib's loky workers and dask workers set ``OMP_NUM_THREADS`` to their
    share of the cores; TensorFlow ignores it and would start one thread per
    core in every worker, so ``n_jobs=2`` on 2 cores ran 4 busy threads
    (benchmarks/bench_parallel.py). skrnn calls this before it builds or
    loads its first network, not on import; it acts only where
    ``OMP_NUM_THREADS`` is set and TensorFlow's pools are not configured, and
    never once TensorFlow's runtime has started (the user's settings stay).
    """
    global _THREADS_SIZED
    if _THREADS_SIZED:
        return
    _THREADS_SIZED = True
    try:
        threads = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        return
    if threads < 1:
        return
    try:
        if tf.config.threading.get_intra_op_parallelism_threads() == 0:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
        if tf.config.threading.get_inter_op_parallelism_threads() == 0:
            tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass
