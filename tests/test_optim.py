"""Tests of lossviz.optim.sgd and lossviz.optim.noise: the epoch partition, train (full batch, mini-batch,
online), divergence, and the mini-batch gradient's mean and variance."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossviz as lv
from lossviz.optim.sgd import LogisticProblem, run_sgd


@pytest.fixture(scope="module")
def data(churn_set):
    return churn_set(120, 3)


# --- minibatch_indices: the partition of one epoch -------------------------------------------


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 200), data=st.data())
def test_minibatch_indices_partition_range_m_in_order(m, data):
    batch_size = data.draw(st.integers(1, m))
    seed = data.draw(st.integers(0, 2**32 - 1))
    batches = lv.minibatch_indices(m, batch_size, np.random.default_rng(seed))
    assert len(batches) == -(-m // batch_size)
    assert all(b.size == batch_size for b in batches[:-1])
    assert 1 <= batches[-1].size <= batch_size
    assert batches[-1].size == m - batch_size * (len(batches) - 1)
    # every index exactly once, and the batches are one permutation cut in order
    joined = np.concatenate(batches)
    np.testing.assert_array_equal(np.sort(joined), np.arange(m))
    np.testing.assert_array_equal(joined, np.random.default_rng(seed).permutation(m))


def test_minibatch_indices_fresh_permutation_each_epoch():
    rng = np.random.default_rng(0)
    first = np.concatenate(lv.minibatch_indices(50, 7, rng))
    second = np.concatenate(lv.minibatch_indices(50, 7, rng))
    assert not np.array_equal(first, second)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"m": 0, "batch_size": 1}, ValueError, "m must be >= 1"),
        ({"m": 10, "batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"m": 10, "batch_size": 11}, ValueError, "batch_size must be <= 10"),
        ({"m": 10, "batch_size": 2.5}, TypeError, "batch_size must be an integer"),
        ({"m": "10", "batch_size": 2}, TypeError, "m must be an integer"),
    ],
)
def test_minibatch_indices_rejects_bad_sizes(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        lv.minibatch_indices(rng=np.random.default_rng(0), **kwargs)


def test_minibatch_indices_rejects_a_seed_for_rng():
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        lv.minibatch_indices(10, 2, 0)


# --- train: the three optimisers are one update rule -----------------------------------------


def test_full_batch_is_plain_gradient_descent(data):
    x, y = data
    lr, lam, epochs = 0.7, 0.05, 25
    result = lv.train(x, y, batch_size=x.size, lr=lr, lam=lam, epochs=epochs, params0=(0.5, -0.5))
    p = np.array([0.5, -0.5])
    expected = [p]
    for _ in range(epochs):
        p = p - lr * lv.gradient(p, x, y, lam)
        expected.append(p)
    np.testing.assert_allclose(result.params, np.array(expected), rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(result.batch_sizes, np.full(epochs, x.size))
    assert result.n_updates == epochs and result.diverged_at is None


@pytest.mark.parametrize("batch_size", [1, 7, 32, 119])
def test_minibatch_run_replays_from_minibatch_indices(data, batch_size):
    x, y = data
    lr, lam, epochs, seed = 0.4, 0.01, 3, 11
    result = lv.train(x, y, batch_size=batch_size, lr=lr, lam=lam, epochs=epochs, seed=seed)
    rng = np.random.default_rng(seed)
    p = np.zeros(2)
    expected, sizes = [p], []
    for _ in range(epochs):
        for batch in lv.minibatch_indices(x.size, batch_size, rng):
            p = p - lr * lv.gradient(p, x[batch], y[batch], lam)
            expected.append(p)
            sizes.append(batch.size)
    np.testing.assert_allclose(result.params, np.array(expected), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(result.batch_sizes, sizes)
    np.testing.assert_array_equal(result.examples_seen, np.concatenate([[0], np.cumsum(sizes)]))


def test_costs_are_the_objective_on_the_whole_set(data):
    x, y = data
    result = lv.train(x, y, batch_size=10, lr=0.5, lam=0.1, epochs=2)
    expected = [lv.objective_at(p, x, y, 0.1) for p in result.params]
    np.testing.assert_allclose(result.costs, expected, rtol=1e-12)
    assert result.final_cost == result.costs[-1]
    np.testing.assert_array_equal(result.final_params, result.params[-1])


def test_same_seed_same_run_other_seed_other_run(data):
    x, y = data
    a = lv.train(x, y, batch_size=5, lr=0.3, seed=1)
    b = lv.train(x, y, batch_size=5, lr=0.3, seed=1)
    c = lv.train(x, y, batch_size=5, lr=0.3, seed=2)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


def test_training_lowers_the_cost_towards_the_minimum():
    x, y = lv.make_churn(m=400, seed=0)
    J_star = lv.objective_at(lv.minimise(x, y), x, y)
    result = lv.train(x, y, batch_size=x.size, lr=3.0, epochs=400)
    assert np.all(np.diff(result.costs) <= 1e-12)  # stable full batch: monotone
    assert result.final_cost - J_star < 1e-3 * (result.costs[0] - J_star)


@pytest.mark.parametrize("batch_size, budget", [(1, 150), (8, 37), (120, 3)])
def test_an_update_budget_is_a_prefix_of_train(data, batch_size, budget):
    # The explorer stops runs after a budget of updates; what it draws is the start of train's run.
    x, y = data
    full = lv.train(x, y, batch_size=batch_size, lr=0.5, epochs=4, seed=5)
    runs = run_sgd(
        LogisticProblem(x, y), np.zeros(2), batch_size=batch_size, lr=0.5, n_updates=budget, seeds=[5]
    )
    P, sizes = runs.path(0), runs.batch_sizes(int(runs.n_updates[0]))
    assert not runs.diverged[0] and P.shape == (budget + 1, 2) and sizes.shape == (budget,)
    np.testing.assert_array_equal(P, full.params[: budget + 1])
    np.testing.assert_array_equal(sizes, full.batch_sizes[:budget])


# --- divergence: reported, never raised, never a warning ------------------------------------


@pytest.mark.parametrize("batch_size", [1, 10, 120])
def test_divergence_is_reported_not_raised(data, batch_size):
    x, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = lv.train(x, y, batch_size=batch_size, lr=100.0, lam=1.0, epochs=100)
    k = result.diverged_at
    assert isinstance(k, int) and k >= 1
    assert result.n_updates == k - 1  # the start and the k - 1 finite updates before it
    assert np.all(np.isfinite(result.params)) and np.all(np.abs(result.params) <= lv.OVERFLOW)
    assert np.all(np.isfinite(result.costs))
    assert result.batch_sizes.size == result.n_updates


def test_large_learning_rate_without_penalty_oscillates_but_stays_finite(data):
    x, y = data
    result = lv.train(x, y, batch_size=x.size, lr=100.0, epochs=100)
    assert result.diverged_at is None
    assert result.costs[-1] > result.costs[0]  # it oscillates far up the walls
    assert np.all(np.isfinite(result.costs))


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"batch_size": 121}, ValueError, "batch_size must be <= 120"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an integer"),
        ({"batch_size": True}, TypeError, "batch_size must be an integer"),
        ({"lr": 0.0}, ValueError, "lr must be > 0"),
        ({"lr": -1.0}, ValueError, "lr must be > 0"),
        ({"lr": float("nan")}, ValueError, "lr must be finite"),
        ({"lr": "fast"}, TypeError, "lr must be a real number"),
        ({"lam": -0.1}, ValueError, "lam must be >= 0"),
        ({"lam": float("inf")}, ValueError, "lam must be finite"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"params0": (1.0, 2.0, 3.0)}, ValueError, "params0 must be"),
        ({"params0": (np.nan, 0.0)}, ValueError, "params0 must be finite"),
        ({"loss": "bce"}, TypeError, "loss must be a LogitLoss"),
    ],
)
def test_train_rejects_bad_settings(data, kwargs, exc, match):
    x, y = data
    settings_ = {"batch_size": 4, "lr": 0.1} | kwargs
    with pytest.raises(exc, match=match):
        lv.train(x, y, **settings_)


def test_train_rejects_bad_data(data):
    x, y = data
    with pytest.raises(ValueError, match="x and y must have the same shape"):
        lv.train(x, y[:-1], batch_size=2, lr=0.1)
    with pytest.raises(ValueError, match="y must lie in"):
        lv.train(x, y + 1.0, batch_size=2, lr=0.1)
    with pytest.raises(ValueError, match="x must be finite"):
        lv.train(np.where(np.arange(x.size) == 3, np.inf, x), y, batch_size=2, lr=0.1)


# --- the mini-batch gradient: unbiased, with variance tr(Σ)/k·(m-k)/(m-1) ---------------------


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_minibatch_gradient_mean_and_variance_by_enumerating_all_batches(k):
    x, y = lv.make_churn(m=7, seed=1)
    params = (0.8, -0.3)
    G = lv.per_sample_gradients(params, x, y)
    g = lv.gradient(params, x, y)
    means = np.array([G[list(batch)].mean(axis=0) for batch in itertools.combinations(range(x.size), k)])
    np.testing.assert_allclose(means.mean(axis=0), g, rtol=1e-12, atol=1e-15)
    measured = float(np.mean(np.sum((means - g) ** 2, axis=1)))
    expected = lv.minibatch_gradient_variance(params, x, y, k)
    assert expected == pytest.approx(measured, rel=1e-10, abs=1e-16)


def test_minibatch_gradient_variance_limits(data):
    x, y = data
    G = lv.per_sample_gradients((1.0, -1.0), x, y)
    assert lv.minibatch_gradient_variance((1.0, -1.0), x, y, 1) == pytest.approx(float(np.sum(G.var(axis=0))))
    assert lv.minibatch_gradient_variance((1.0, -1.0), x, y, x.size) == 0.0
    with pytest.raises(ValueError, match="batch_size must be <= 120"):
        lv.minibatch_gradient_variance((1.0, -1.0), x, y, 121)


def test_minibatch_gradients_are_batch_means_drawn_as_train_draws_them(data):
    x, y = data
    params = (0.7, -0.4)
    k = 8
    grads = lv.minibatch_gradients(params, x, y, k, n_batches=40, seed=6)
    assert grads.shape == (40, 2)
    G = lv.per_sample_gradients(params, x, y)
    rng = np.random.default_rng(6)
    expected = []
    while len(expected) < 40:
        expected += [G[b].mean(axis=0) for b in lv.minibatch_indices(x.size, k, rng) if b.size == k]
    np.testing.assert_allclose(grads, np.array(expected[:40]), rtol=1e-13, atol=1e-16)


def test_minibatch_gradients_of_whole_epochs_average_to_the_gradient(data):
    x, y = data
    g = lv.gradient((0.3, 0.1), x, y)
    grads = lv.minibatch_gradients((0.3, 0.1), x, y, 12, n_batches=30)  # 10 batches per epoch
    np.testing.assert_allclose(grads.mean(axis=0), g, rtol=1e-12)
    full = lv.minibatch_gradients((0.3, 0.1), x, y, x.size, n_batches=3)
    np.testing.assert_allclose(full, np.tile(g, (3, 1)), rtol=1e-12)
    with pytest.raises(ValueError, match="n_batches must be >= 1"):
        lv.minibatch_gradients((0.3, 0.1), x, y, 12, n_batches=0)
