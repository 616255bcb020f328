"""Tests of the gradient noise scale and its estimator (lossviz.optim.noise), steps to a target and the
trade-off fit (lossviz.topics.batch_size)."""

import itertools
import math
import warnings

import numpy as np
import pytest

import lossviz as lv


def objective_grad(params, x, y, lam):
    """The objective's gradient on a batch, straight from the per-sample gradients."""
    return lv.per_sample_gradients(params, x, y).mean(axis=0) + np.array([lam * params[0], 0.0])


# ---------------------------------------------------------------- the exact noise scale
def test_exact_noise_scale_from_its_definition():
    x, y = lv.make_churn(50, seed=1)
    params, lam = np.array([1.2, -0.4]), 0.3
    G_i = lv.per_sample_gradients(params, x, y)
    trace = float(np.trace(np.cov(G_i.T, bias=True)))
    G = objective_grad(params, x, y, lam)
    ns = lv.optim.gradient_noise_scale(params, x, y, lam)
    assert ns.trace_sigma == pytest.approx(trace, rel=1e-12)
    assert ns.grad_sq == pytest.approx(G @ G, rel=1e-12)
    assert ns.b_simple == pytest.approx(trace / (G @ G), rel=1e-12)


def test_noise_scale_is_infinite_at_the_minimum_and_quiet():
    x, y = lv.make_churn(100, seed=2)
    ns = lv.optim.gradient_noise_scale(lv.minimise(x, y), x, y)
    assert ns.grad_sq < 1e-20 and ns.trace_sigma > 0
    # exactly zero gradient gives inf, never a division warning
    assert lv.optim.NoiseScale(trace_sigma=0.5, grad_sq=0.0).b_simple == math.inf


def test_batch_variance_formula_agrees_with_the_course_function():
    x, y = lv.make_churn(40, seed=3)
    params = (0.7, -0.2)
    trace = lv.optim.gradient_noise_scale(params, x, y).trace_sigma
    for b in (1, 5, 40):
        expected = trace * (40 - b) / (b * 39)
        assert lv.minibatch_gradient_variance(params, x, y, b) == pytest.approx(
            expected, rel=1e-12, abs=1e-15
        )


# ---------------------------------------------------------------- the estimator, against the exact value
@pytest.mark.parametrize("b_small, b_big", [(1, 3), (2, 5), (3, 6)])
def test_two_batch_estimator_is_exact_over_all_batches_without_replacement(b_small, b_big):
    # m = 7: average |G_B|² over every subset of each size, so the expectations are exact.
    x, y = lv.make_churn(7, seed=4)
    params, lam = np.array([0.9, -0.6]), 0.2
    means = []
    for b in (b_small, b_big):
        sq = [
            np.sum(objective_grad(params, x[list(s)], y[list(s)], lam) ** 2)
            for s in itertools.combinations(range(7), b)
        ]
        means.append(float(np.mean(sq)))
    est = lv.optim.noise_scale_from_norms(means[0], means[1], b_small, b_big, m=7)
    exact = lv.optim.gradient_noise_scale(params, x, y, lam)
    assert est.trace_sigma == pytest.approx(exact.trace_sigma, rel=1e-10)
    assert est.grad_sq == pytest.approx(exact.grad_sq, rel=1e-10)
    assert est.b_simple == pytest.approx(exact.b_simple, rel=1e-9)


def test_two_batch_estimator_is_exact_over_all_batches_with_replacement():
    # Without m the estimator assumes batches drawn with replacement: average over all ordered tuples.
    x, y = lv.make_churn(5, seed=5)
    params = np.array([1.5, -1.0])
    means = []
    for b in (1, 3):
        sq = [
            np.sum(objective_grad(params, x[list(t)], y[list(t)], 0.0) ** 2)
            for t in itertools.product(range(5), repeat=b)
        ]
        means.append(float(np.mean(sq)))
    est = lv.optim.noise_scale_from_norms(means[0], means[1], 1, 3)
    exact = lv.optim.gradient_noise_scale(params, x, y)
    assert est.trace_sigma == pytest.approx(exact.trace_sigma, rel=1e-10)
    assert est.grad_sq == pytest.approx(exact.grad_sq, rel=1e-10)


def test_sampled_estimate_approaches_the_exact_value(churn):
    x, y = churn
    params = (0.5, -0.5)
    exact = lv.optim.gradient_noise_scale(params, x, y).b_simple
    est = lv.optim.estimate_noise_scale(params, x, y, b_small=16, b_big=256, n_batches=2000, seed=1)
    assert est.b_simple == pytest.approx(exact, rel=0.1)
    # reproducible
    again = lv.optim.estimate_noise_scale(params, x, y, b_small=16, b_big=256, n_batches=2000, seed=1)
    assert again == est


def test_noise_scale_along_a_run_matches_pointwise():
    x, y = lv.make_churn(200, seed=6)
    run = lv.train(x, y, batch_size=20, lr=0.5, lam=0.05, epochs=2, seed=0)
    trace, g2 = lv.optim.noise_scale_along(run, x, y)
    assert trace.shape == g2.shape == (run.n_updates + 1,)
    for k in (0, 7, run.n_updates):
        ns = lv.optim.gradient_noise_scale(run.params[k], x, y, 0.05)
        assert trace[k] == pytest.approx(ns.trace_sigma, rel=1e-12)
        assert g2[k] == pytest.approx(ns.grad_sq, rel=1e-12)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: lv.optim.noise_scale_from_norms(1.0, 0.5, 4, 4), ValueError, "b_big must be >= 5"),
        (lambda: lv.optim.noise_scale_from_norms(-1.0, 0.5, 1, 4), ValueError, "sq_norm_small must be >= 0"),
        (lambda: lv.optim.noise_scale_from_norms(1.0, 0.5, 1, 8, m=5), ValueError, "b_big must be <= m"),
        (lambda: lv.optim.noise_scale_from_norms(1.0, 0.5, 0, 8), ValueError, "b_small must be >= 1"),
        (lambda: lv.optim.noise_scale_along("run", [1.0], [0.0]), TypeError, "result must be a TrainResult"),
    ],
)
def test_bad_arguments_are_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_estimate_rejects_batches_larger_than_the_data():
    x, y = lv.make_churn(30, seed=0)
    with pytest.raises(ValueError, match="b_big must be <= 30"):
        lv.optim.estimate_noise_scale((0, 0), x, y, b_small=4, b_big=31)


# ---------------------------------------------------------------- steps to a target
def test_full_batch_steps_match_train_exactly():
    x, y = lv.make_churn(300, seed=7)
    target = lv.batch_size.cost_reduction_target(x, y, 0.8)
    res = lv.batch_size.steps_to_target(
        x,
        y,
        batch_sizes=[300],
        lrs=[0.5, 1.0, 2.0],
        target=target,
        n_seeds=1,
        checkpoints_per_decade=2000,
        hold=1,
        stop_at_first=False,
    )
    for j, lr in enumerate([0.5, 1.0, 2.0]):
        run = lv.train(x, y, batch_size=300, lr=lr, epochs=2000)
        assert res.steps[0, j] == np.flatnonzero(run.costs <= target)[0]
    assert res.best_lr[0] == 2.0 and res.best_steps[0] == res.steps[0, 2]


def test_stopping_at_the_first_learning_rate_keeps_the_best():
    x, y = lv.make_churn(200, seed=8)
    target = lv.batch_size.cost_reduction_target(x, y, 0.7)
    kw = {"batch_sizes": [4, 50], "lrs": [0.25, 0.5, 1.0], "target": target, "n_seeds": 4, "seed": 3}
    full = lv.batch_size.steps_to_target(x, y, stop_at_first=False, **kw)
    fast = lv.batch_size.steps_to_target(x, y, stop_at_first=True, **kw)
    np.testing.assert_array_equal(full.best_steps, fast.best_steps)
    np.testing.assert_array_equal(full.best_lr, fast.best_lr)
    assert np.all(np.isfinite(full.steps))
    np.testing.assert_array_equal(fast.best_examples, fast.batch_sizes * fast.best_steps)


def test_holding_below_the_target_never_counts_fewer_steps():
    # Same seeds, same runs: a streak of 5 checkpoints cannot start before the first crossing.
    x, y = lv.make_churn(300, seed=11)
    target = lv.batch_size.cost_reduction_target(x, y, 0.9)
    kw = {
        "batch_sizes": [2, 30],
        "lrs": [0.25, 1.0, 2.0],
        "target": target,
        "n_seeds": 3,
        "stop_at_first": False,
    }
    once = lv.batch_size.steps_to_target(x, y, hold=1, **kw)
    held = lv.batch_size.steps_to_target(x, y, hold=5, **kw)
    assert held.hold == 5 and np.isfinite(once.steps).sum() >= 4
    assert np.all(held.steps >= once.steps)
    # a learning rate whose noise floor sits near the target can dip below it once, not hold there
    assert np.any(np.isinf(held.steps) & np.isfinite(once.steps))
    with pytest.raises(ValueError, match="hold must be >= 1"):
        lv.batch_size.steps_to_target(x, y, hold=0, **kw)


def test_divergence_and_budget_give_inf_without_warnings():
    x, y = lv.make_churn(100, seed=9)
    target = lv.batch_size.cost_reduction_target(x, y, 0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = lv.batch_size.steps_to_target(
            x,
            y,
            batch_sizes=[10],
            lrs=[1e3, 1e-4],
            target=target,
            n_seeds=2,
            max_steps=50,
            stop_at_first=False,
        )
    assert np.all(np.isinf(res.steps))
    assert res.best_lr_index[0] == -1 and np.isnan(res.best_lr[0])
    assert res.max_steps[0] == 50


def test_steps_to_target_rejects_bad_arguments():
    x, y = lv.make_churn(20, seed=0)
    with pytest.raises(ValueError, match="lrs must be > 0"):
        lv.batch_size.steps_to_target(x, y, batch_sizes=[2], lrs=[0.1, 0.0], target=0.6)
    with pytest.raises(ValueError, match=r"batch_sizes\[0\] must be <= m = 20"):
        lv.batch_size.steps_to_target(x, y, batch_sizes=[21], lrs=[0.1], target=0.6)
    with pytest.raises(ValueError, match="batch_sizes must hold at least 1"):
        lv.batch_size.steps_to_target(x, y, batch_sizes=[], lrs=[0.1], target=0.6)
    with pytest.raises(TypeError, match="stop_at_first must be True or False"):
        lv.batch_size.steps_to_target(x, y, batch_sizes=[2], lrs=[0.1], target=0.6, stop_at_first="yes")


# ---------------------------------------------------------------- the trade-off fit
def test_fit_recovers_an_exact_tradeoff():
    B = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256])
    S = 30.0 + 2400.0 / B
    fit = lv.batch_size.fit_tradeoff(B, S)
    assert fit.s_min == pytest.approx(30.0, rel=1e-10)
    assert fit.e_min == pytest.approx(2400.0, rel=1e-10)
    assert fit.b_crit == pytest.approx(80.0, rel=1e-10)
    E = B * S
    np.testing.assert_allclose((S / fit.s_min - 1) * (E / fit.e_min - 1), 1.0, rtol=1e-9)
    np.testing.assert_allclose(fit.examples(B), E, rtol=1e-12)


def test_fit_skips_batch_sizes_that_never_got_there():
    B = np.array([1, 4, 16, 64])
    S = np.array([np.inf, 30 + 500 / 4, 30 + 500 / 16, 30 + 500 / 64])
    fit = lv.batch_size.fit_tradeoff(B, S)
    assert fit.b_crit == pytest.approx(500 / 30, rel=1e-10)


@pytest.mark.parametrize(
    "B, S, match",
    [
        ([1, 2], [np.inf, 10.0], "at least two finite"),
        ([1, 2, 4], [10.0, 12.0, 15.0], "no trade-off"),
        ([1, 2], [10.0, -1.0], "steps must be > 0"),
        ([1, 2], [10.0, np.nan], "steps must not hold nan"),
        ([1, 2, 3], [10.0, 5.0], "same shape"),
        ([0, 2], [10.0, 5.0], "batch_sizes must be >= 1"),
    ],
)
def test_fit_rejects_data_without_a_tradeoff(B, S, match):
    with pytest.raises(ValueError, match=match):
        lv.batch_size.fit_tradeoff(B, S)


def test_simulated_step_time():
    t = lv.batch_size.simulated_step_time([1, 64, 65, 1000], overhead=5e-3, per_example=1e-3, parallel=64)
    np.testing.assert_allclose(t, [6e-3, 6e-3, 7e-3, 5e-3 + 16e-3])
    with pytest.raises(ValueError, match="per_example must be > 0"):
        lv.batch_size.simulated_step_time(4, overhead=0.0, per_example=0.0)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        lv.batch_size.simulated_step_time(0, overhead=0.0, per_example=1.0)


# ---------------------------------------------------------------- drawing
def test_drawing_functions_return_their_axes():
    x, y = lv.make_churn(100, seed=10)
    runs = [lv.train(x, y, batch_size=b, lr=0.5, epochs=2) for b in (5, 100)]
    ax = lv.plot.cost_curves(runs, against="examples", m=x.size)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), runs[1].examples_seen[1:])
    assert [ln.get_color() for ln in ax.lines[:2]] == [
        lv.plot.COLOURS[r] for r in ("mini_batch", "full_batch")
    ]
    with pytest.raises(ValueError, match="step_times is required"):
        lv.plot.cost_curves(runs, against="time")
    ax = lv.plot.cost_curves([*runs, runs[0]], against="updates", m=x.size)  # two runs of one regime
    assert ax.lines[0].get_marker() == "none" and ax.lines[2].get_marker() == "s"
    ax = lv.plot.cost_curves(runs, against="time", step_times=[1.0, 2.0], j_star=0.0)
    assert ax.get_yscale() == "log"

    target = lv.batch_size.cost_reduction_target(x, y, 0.6)
    res = lv.batch_size.steps_to_target(
        x, y, batch_sizes=[1, 4, 16, 100], lrs=[0.25, 0.5, 1.0, 2.0], target=target, n_seeds=2
    )
    fit = lv.batch_size.fit_tradeoff(res.batch_sizes, res.best_steps)
    for draw in (
        lambda: lv.plot.steps_vs_batch(res, fit, b_simple=50.0),
        lambda: lv.plot.tradeoff(res, fit),
        lambda: lv.plot.best_lr(res, fit=fit),
    ):
        assert draw().get_xscale() == "log"
    ax = lv.plot.noise_scale([0, 1, 2], [1.0, 2.0, 4.0], estimates=([1], [2.2]))
    assert len(ax.lines) == 2
    with pytest.raises(TypeError, match="StepsToTarget"):
        lv.plot.best_lr(fit)
