"""The Diebold-Mariano test: hand computation and known properties."""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from skrnn.comparison import diebold_mariano


def _by_hand(e1, e2, h):
    """DM with the HLN correction, written out term by term."""
    d = [a * a - b * b for a, b in zip(e1, e2, strict=True)]
    n = len(d)
    mean = sum(d) / n
    gammas = []
    for k in range(h):
        total = 0.0
        for t in range(k, n):
            total += (d[t] - mean) * (d[t - k] - mean)
        gammas.append(total / n)
    variance = (gammas[0] + 2 * sum(gammas[1:])) / n
    dm = mean / math.sqrt(variance)
    hln = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n) * dm
    p = 2 * (1 - stats.t.cdf(abs(hln), n - 1))
    return hln, p


def test_matches_a_hand_computation_with_autocovariances():
    e1 = [0.5, -1.2, 0.3, 2.0, -0.7, 1.1, 0.2, -1.5, 0.9, 0.4, -0.3, 1.8]
    e2 = [0.4, -0.2, 0.9, 1.0, -0.1, 0.6, 0.8, -0.5, 0.2, 0.1, -1.0, 0.7]
    expected_stat, expected_p = _by_hand(e1, e2, h=3)
    result = diebold_mariano(e1, e2, horizon=3)
    assert result.statistic == pytest.approx(expected_stat, rel=1e-12)
    assert result.pvalue == pytest.approx(expected_p, rel=1e-9)
    # Model 1's squared errors are the larger here.
    assert result.statistic > 0


def test_one_step_test_is_the_paired_t_test_of_the_loss_differential():
    rng = np.random.default_rng(1)
    e1, e2 = rng.normal(size=40), rng.normal(scale=1.3, size=40)
    result = diebold_mariano(e1, e2, horizon=1)
    t_test = stats.ttest_1samp(e1**2 - e2**2, 0.0)
    assert result.statistic == pytest.approx(t_test.statistic, rel=1e-10)
    assert result.pvalue == pytest.approx(t_test.pvalue, rel=1e-10)


def test_swapping_the_models_negates_the_statistic():
    rng = np.random.default_rng(2)
    e1, e2 = rng.normal(size=30), rng.normal(size=30)
    ab = diebold_mariano(e1, e2, horizon=2)
    ba = diebold_mariano(e2, e1, horizon=2)
    assert ab.statistic == pytest.approx(-ba.statistic)
    assert ab.pvalue == pytest.approx(ba.pvalue)


def test_identical_errors_mean_no_difference():
    errors = np.random.default_rng(3).normal(size=25)
    result = diebold_mariano(errors, errors.copy(), horizon=4)
    assert (result.statistic, result.pvalue) == (0.0, 1.0)
    # Errors of opposite sign have the same loss too.
    assert diebold_mariano(errors, -errors).pvalue == 1.0


def test_a_constant_advantage_is_infinitely_significant():
    e1 = np.full(10, 1.0)
    e2 = np.full(10, 2.0)
    result = diebold_mariano(e1, e2)
    assert result.statistic == -np.inf
    assert result.pvalue == 0.0


def test_a_clearly_better_model_gets_a_small_p_value_and_a_similar_one_does_not():
    rng = np.random.default_rng(4)
    good, bad = rng.normal(scale=1.0, size=60), rng.normal(scale=2.5, size=60)
    clear = diebold_mariano(good, bad, horizon=2)
    assert clear.statistic < 0
    assert clear.pvalue < 0.001
    similar = diebold_mariano(good, rng.normal(scale=1.0, size=60), horizon=2)
    assert similar.pvalue > 0.05


def test_absolute_loss():
    e1, e2 = [1.0, -2.0, 0.5, 1.5, -0.5], [2.0, 1.0, -1.0, 0.5, 2.5]
    result = diebold_mariano(e1, e2, loss="absolute")
    t_test = stats.ttest_1samp(np.abs(e1) - np.abs(e2), 0.0)
    assert result.statistic == pytest.approx(t_test.statistic)


def test_a_non_positive_robust_variance_falls_back_to_lag_zero_and_warns():
    # Alternating differentials: the lag-1 autocovariance cancels the variance.
    e1 = np.tile([2.0, 0.0], 10) + np.linspace(0, 0.1, 20)
    e2 = np.zeros(20)
    with pytest.warns(RuntimeWarning, match="used horizon=1"):
        result = diebold_mariano(e1, e2, horizon=2, loss="absolute")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lag_zero = diebold_mariano(e1, e2, horizon=1, loss="absolute")
    assert result == lag_zero


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(errors_a=[1.0, 2.0, 3.0], errors_b=[1.0, 2.0]), "same time points"),
        (dict(errors_a=[1.0, np.nan, 3.0], errors_b=[1.0, 2.0, 3.0]), "finite"),
        (dict(errors_a=[[1.0, 2.0]], errors_b=[[1.0, 2.0]]), "1-D"),
        (dict(errors_a=[1.0, 2.0], errors_b=[2.0, 1.0], loss="log"), "`loss`"),
        (dict(errors_a=[1.0, 2.0], errors_b=[2.0, 1.0], horizon=0), "`horizon`"),
        (dict(errors_a=[1.0], errors_b=[2.0]), "Got 1 errors"),
        (
            dict(errors_a=[1.0, 2.0, 3.0], errors_b=[3.0, 2.0, 1.0], horizon=3),
            "shorter",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    a, b = kwargs.pop("errors_a"), kwargs.pop("errors_b")
    with pytest.raises(ValueError, match=message):
        diebold_mariano(a, b, **kwargs)
