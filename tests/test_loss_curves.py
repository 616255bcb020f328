"""Tests of lossviz.topics.loss_curves (what a training log prints) against independent oracles:
a replay of the run's batches with plain numpy, an exhaustive enumeration of batches, and the recursion
that defines an exponential moving average."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import lossviz as lv
from lossviz.topics import loss_curves as lc


def _bce(params, x, y):
    """Per-sample binary cross-entropy written out, independent of the package's kernels."""
    z = params[0] * x + params[1]
    p = 1 / (1 + np.exp(-z))
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.mark.parametrize("batch_size, epochs", [(32, 3), (7, 2), (1, 1)])
def test_the_log_is_each_batchs_mean_loss_before_its_update(churn_set, batch_size, epochs):
    x, y = churn_set(100, 3)
    log = lc.training_log(x, y, batch_size=batch_size, lr=0.5, epochs=epochs, seed=4)
    run = lv.train(x, y, batch_size=batch_size, lr=0.5, epochs=epochs, seed=4)
    np.testing.assert_array_equal(log.run.params, run.params)
    # replay the batches: one permutation per epoch from default_rng(seed), cut in order
    rng = np.random.default_rng(4)
    expected = []
    for _epoch in range(epochs):
        perm = rng.permutation(x.size)
        for j in range(0, x.size, batch_size):
            batch = perm[j : j + batch_size]
            t = len(expected)
            expected.append(_bce(run.params[t], x[batch], y[batch]).mean())
    np.testing.assert_allclose(log.batch_loss, expected, rtol=1e-12)
    np.testing.assert_allclose(log.cost, [_bce(p, x, y).mean() for p in run.params[:-1]], rtol=1e-12)
    assert log.steps_per_epoch == -(-x.size // batch_size)
    np.testing.assert_array_equal(log.steps, np.arange(1, run.n_updates + 1))


def test_a_full_batch_log_is_the_cost_and_the_penalty_is_logged_too(churn_set):
    x, y = churn_set(80, 1)
    log = lc.training_log(x, y, batch_size=80, lr=1.0, epochs=5, lam=0.3)
    np.testing.assert_allclose(log.batch_loss, log.cost, rtol=1e-12)  # the objective, penalty included
    w = log.run.params[:-1, 0]
    np.testing.assert_allclose(log.cost - 0.15 * w**2, [_bce(p, x, y).mean() for p in log.run.params[:-1]])


def test_frozen_batch_losses_are_the_batches_means_and_unbiased(churn_set):
    x, y = churn_set(200, 2)
    params = np.array([1.5, -1.2])
    values = lc.frozen_batch_losses(params, x, y, 16, n_batches=30, seed=5)
    rng = np.random.default_rng(5)
    perm = rng.permutation(x.size)  # 12 whole batches of 16 per epoch (the short 13th is left out)
    first = [_bce(params, x[perm[j : j + 16]], y[perm[j : j + 16]]).mean() for j in range(0, 12 * 16, 16)]
    np.testing.assert_allclose(values[:12], first, rtol=1e-12)
    many = lc.frozen_batch_losses(params, x, y, 16, n_batches=20_000, seed=0)
    J = _bce(params, x, y).mean()
    se = np.sqrt(lc.batch_loss_variance(params, x, y, 16) / many.size)
    assert abs(many.mean() - J) < 5 * se  # unbiased
    assert many.var() == pytest.approx(lc.batch_loss_variance(params, x, y, 16), rel=0.05)
    whole = lc.frozen_batch_losses(params, x, y, 200, n_batches=3)
    np.testing.assert_allclose(whole, J, rtol=1e-12)


def test_batch_loss_variance_against_every_possible_batch():
    x = np.array([0.2, 0.9, 1.4, 0.5, 1.1, 0.7])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    params = np.array([1.3, -0.8])
    L = _bce(params, x, y)
    for B in (1, 2, 3, 6):
        means = [
            L[list(c)].mean() for c in itertools.combinations(range(6), B)
        ]  # a batch drawn without replacement
        assert lc.batch_loss_variance(params, x, y, B) == pytest.approx(np.var(means), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9, 0.99])
def test_ema_is_the_recursion_tensorboard_uses(beta):
    v = np.random.default_rng(0).normal(size=700)  # longer than one block of the vectorised form
    s, plain, debiased = 0.0, [], []
    for t, value in enumerate(v, start=1):
        s = beta * s + (1 - beta) * value
        plain.append(s)
        debiased.append(s / (1 - beta**t) if beta > 0 else s)
    np.testing.assert_allclose(lc.ema(v, beta, debias=False), plain, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lc.ema(v, beta), debiased, rtol=1e-10, atol=1e-12)


def test_ema_trails_a_falling_curve_by_about_its_memory():
    v = np.linspace(1.0, 0.0, 2001)  # falls by 1/2000 per step
    lag = (lc.ema(v, 0.99) - v)[-1] / (1 / 2000)
    assert lag == pytest.approx(1 / (1 - 0.99), rel=0.02)


def test_epoch_means_are_what_keras_reports_per_epoch():
    np.testing.assert_allclose(lc.epoch_means(np.arange(6.0), 3), [1.0, 4.0])
    with pytest.raises(ValueError, match="whole epochs of steps_per_epoch = 4 steps"):
        lc.epoch_means(np.arange(6.0), 4)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: lc.ema([1.0, 2.0], 1.0), ValueError, r"smoothing must be in \[0, 1\)"),
        (lambda: lc.ema([1.0, np.nan]), ValueError, "values"),
        (lambda: lc.ema([1.0], debias="yes"), TypeError, "debias"),
        (lambda: lc.frozen_batch_losses((0, 0), [1.0, 2.0], [0, 1], 3), ValueError, "batch_size"),
        (lambda: lc.frozen_batch_losses((0, 0), [1.0, 2.0], [0, 1], 1, n_batches=0), ValueError, "n_batches"),
        (lambda: lc.batch_loss_variance((0, 0, 0), [1.0], [1], 1), ValueError, "params"),
        (lambda: lc.training_log([1.0, 2.0], [0, 1], batch_size=3, lr=0.1), ValueError, "batch_size"),
        (lambda: lc.epoch_means([1.0], 0), ValueError, "steps_per_epoch"),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_lazy_name_and_doctests():
    import doctest

    assert lv.loss_curves is lc
    result = doctest.testmod(lc)
    assert result.attempted > 0 and result.failed == 0
