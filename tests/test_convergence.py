"""Tests of lossviz.optim.convergence: the quadratic theory of GD, momentum and Nesterov, against
linear algebra (the iteration matrices written out from the update equations), brute-force search and
runs of the engine; and the measurements updates_to_reach and asymptotic_rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lossviz as lv
from lossviz.optim import SGD, run_sgd
from lossviz.optim.convergence import (
    asymptotic_rate,
    objective_along,
    optimal_gd,
    optimal_momentum,
    optimal_nesterov,
    quadratic_rate,
    updates_to_reach,
)

EV = np.array([0.0092, 0.4456])  # about the churn cost's Hessian at its minimum


class DiagonalQuadratic:
    """J(θ) = ½ Σ λ_i θ_i², a BatchProblem whose gradient is λ·θ (every batch the same)."""

    m = 1

    def __init__(self, ev):
        self.ev = np.asarray(ev, dtype=float)
        self.n_params = self.ev.size

    def batch_gradients(self, params, batches):
        return params * self.ev

    def objective_rows(self, params):
        return 0.5 * (params**2 * self.ev).sum(axis=1)


def _matrix_radius(lr, beta, lam, nesterov):
    # state (θ_t, b_{t-1}); b_t = β b_{t-1} + λθ_t; heavy ball θ_{t+1} = θ_t - η b_t,
    # Nesterov θ_{t+1} = θ_t - η(λθ_t + β b_t)
    if nesterov:
        M = [[1 - lr * lam * (1 + beta), -lr * beta**2], [lam, beta]]
    else:
        M = [[1 - lr * lam, -lr * beta], [lam, beta]]
    return np.abs(np.linalg.eigvals(np.array(M))).max()


@pytest.mark.parametrize("nesterov", [False, True])
def test_quadratic_rate_is_the_spectral_radius_of_the_iteration_matrices(nesterov):
    rng = np.random.default_rng(0)
    lrs, betas = rng.uniform(0.1, 12.0, 200), rng.uniform(0.0, 0.99, 200)
    got = quadratic_rate(lrs, betas, EV, nesterov=nesterov)
    expected = [max(_matrix_radius(a, b, lam, nesterov) for lam in EV) for a, b in zip(lrs, betas)]
    np.testing.assert_allclose(got, expected, rtol=1e-6)  # eigvals is inexact at a double root


def test_gradient_descent_rate_is_the_largest_one_minus_lr_lambda():
    lrs = np.linspace(0.1, 6.0, 60)
    np.testing.assert_allclose(
        quadratic_rate(lrs, 0.0, EV), np.abs(1 - lrs[:, None] * EV).max(axis=1), rtol=1e-14
    )
    np.testing.assert_allclose(
        quadratic_rate(lrs, 0.0, EV, nesterov=True), np.abs(1 - lrs[:, None] * EV).max(axis=1), rtol=1e-14
    )
    # unstable from 2/λ_max on
    assert quadratic_rate(2 / EV[1] * 0.999, 0.0, EV) < 1 < quadratic_rate(2 / EV[1] * 1.001, 0.0, EV)


@pytest.mark.parametrize(("optimum", "nesterov"), [(optimal_momentum, False), (optimal_nesterov, True)])
def test_optimal_settings_are_the_best_on_a_fine_grid(optimum, nesterov):
    best = optimum(EV)
    L, B = np.meshgrid(np.geomspace(0.5, 20, 800), np.linspace(0, 0.99, 600), indexing="ij")
    grid = quadratic_rate(L, B, EV, nesterov=nesterov)
    assert grid.min() >= best.rate - 1e-9  # nothing on the grid beats the formula
    i = np.unravel_index(grid.argmin(), grid.shape)
    assert grid[i] == pytest.approx(best.rate, abs=2e-3)
    assert L[i] == pytest.approx(best.lr, rel=0.02) and B[i] == pytest.approx(best.beta, abs=0.01)
    assert float(quadratic_rate(best.lr, best.beta, EV, nesterov=nesterov)) == pytest.approx(
        best.rate, abs=1e-7
    )


def test_the_distill_formulas_and_gradient_descents_optimum():
    kappa = EV[1] / EV[0]
    mom = optimal_momentum(EV)
    assert mom.rate == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), rel=1e-14)
    assert mom.rate == pytest.approx(math.sqrt(mom.beta), rel=1e-14)  # a double root of modulus √β
    gd = optimal_gd(EV)
    lrs = np.linspace(0.5, 4.48, 4000)
    rates = quadratic_rate(lrs, 0.0, EV)
    assert lrs[rates.argmin()] == pytest.approx(gd.lr, abs=2e-3)
    assert gd.rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-14)
    assert rates.min() == pytest.approx(gd.rate, abs=1e-5) and rates.min() >= gd.rate - 1e-15
    assert mom.rate < optimal_nesterov(EV).rate < gd.rate


@pytest.mark.parametrize(("rule", "nesterov"), [(lv.Momentum, False), (lv.Nesterov, True)])
def test_the_engines_runs_shrink_at_the_predicted_rate(rule, nesterov):
    lr, beta = 2.5, 0.7  # stable for both (Nesterov needs ηλ_max < 2(1 + β)/(1 + 2β))
    assert float(quadratic_rate(lr, beta, EV, nesterov=nesterov)) < 0.99
    runs = run_sgd(
        DiagonalQuadratic(EV), (1.0, 1.0), batch_size=1, lr=lr, n_updates=2000, optimizer=rule(beta)
    )
    d = np.linalg.norm(runs.path(0), axis=1)
    assert asymptotic_rate(d, upper=1e-2, lower=1e-12) == pytest.approx(
        float(quadratic_rate(lr, beta, EV, nesterov=nesterov)), abs=2e-3
    )


def test_updates_to_reach_is_the_closed_form_of_gradient_descent():
    # θ_t = θ_0 (1 - ηa)^t on J = a/2·θ²: the first t with |θ_t| <= tol is ceil(log(tol/θ0)/log|1 - ηa|)
    a, theta0, tol = 0.5, 2.0, 1e-6
    lrs = np.array([0.1, 1.0, 3.0, 3.9, 4.1])
    problem = DiagonalQuadratic([a])
    got = updates_to_reach(
        problem, [theta0], lr=lrs, n_updates=5000, reached=lambda P: np.abs(P[:, 0]) <= tol, overflow=1e6
    )
    factor = np.abs(1 - lrs[:4] * a)
    expected = np.ceil(np.log(tol / theta0) / np.log(factor))
    np.testing.assert_array_equal(got[:4], expected)
    assert got[4] == np.inf  # |1 - 4.1·0.5| > 1: diverges
    # a start that is already there counts 0; a budget too small gives inf
    assert updates_to_reach(problem, [0.0], lr=1.0, n_updates=5, reached=lambda P: P[:, 0] == 0)[0] == 0
    assert (
        updates_to_reach(problem, [theta0], lr=0.1, n_updates=10, reached=lambda P: np.abs(P[:, 0]) <= tol)[0]
        == np.inf
    )


def test_updates_to_reach_uses_the_rule_and_the_batches():
    x, y = lv.make_churn(m=100, seed=3)
    problem = lv.optim.LogisticProblem(x, y)
    target = 0.9 * lv.objective_at((0, 0), x, y)

    def low(P):
        return problem.objective_rows(P) <= target

    got = updates_to_reach(
        problem,
        (0, 0),
        lr=[0.5, 0.5],
        n_updates=500,
        reached=low,
        optimizer=lv.Momentum([0.0, 0.9]),
        batch_size=10,
        seeds=[1, 1],
    )
    costs = [
        problem.objective_rows(
            run_sgd(problem, (0, 0), batch_size=10, lr=0.5, n_updates=500, seeds=[1], optimizer=rule).params[
                :, 0
            ]
        )
        for rule in (SGD(), lv.Momentum(0.9))
    ]
    np.testing.assert_array_equal(got, [np.flatnonzero(c <= target)[0] for c in costs])
    assert got[1] < got[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"reached": "no"}, TypeError, "reached"),
        ({"lr": [0.1, 0.2], "params0": np.zeros((3, 1))}, ValueError, "number of runs"),
        ({"reached": lambda P: np.ones(5, bool)}, ValueError, r"reached must return an \(1,\)"),
        ({"n_updates": -1}, ValueError, "n_updates"),
    ],
)
def test_updates_to_reach_refuses_bad_input(kwargs, error, match):
    args = {"params0": [1.0], "lr": 0.1, "n_updates": 5, "reached": lambda P: np.zeros(P.shape[0], bool)}
    args |= kwargs
    with pytest.raises(error, match=match):
        updates_to_reach(DiagonalQuadratic([1.0]), args.pop("params0"), **args)


def test_asymptotic_rate_fits_geometric_and_spiralling_errors():
    t = np.arange(400)
    assert asymptotic_rate(3.0 * 0.8**t, upper=1.0, lower=1e-20) == pytest.approx(0.8, rel=1e-12)
    # a spiral: |cos| modulates the error, the envelope shrinks by 0.95
    spiral = 0.95**t * (1.5 + np.cos(0.7 * t))
    assert asymptotic_rate(spiral, upper=1.0, lower=1e-9) == pytest.approx(0.95, abs=2e-3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"distances": [1.0, -1.0, 0.5]}, ValueError, "distances must be >= 0"),
        ({"upper": 1e-9, "lower": 1e-3}, ValueError, "lower must be < upper"),
        ({"upper": 1e-30, "lower": 1e-40}, ValueError, "never come down"),
        ({"distances": [1.0, 0.5, 1e-12]}, ValueError, "at least 3"),
        ({"lower": 0.0}, ValueError, "lower"),
        ({"upper": "x"}, TypeError, "upper"),
    ],
)
def test_asymptotic_rate_refuses_bad_input(kwargs, error, match):
    args = {"distances": 0.9 ** np.arange(50), "upper": 0.5, "lower": 1e-3} | kwargs
    with pytest.raises(error, match=match):
        asymptotic_rate(**args)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: quadratic_rate(0.0, 0.5, EV), ValueError, "lr must be > 0"),
        (lambda: quadratic_rate(1.0, 1.0, EV), ValueError, r"beta must be in \[0, 1\)"),
        (lambda: quadratic_rate(1.0, 0.5, [0.0, 1.0]), ValueError, "eigenvalues must be > 0"),
        (lambda: quadratic_rate(1.0, 0.5, EV, nesterov=1), TypeError, "nesterov"),
        (lambda: quadratic_rate("a", 0.5, EV), TypeError, "lr"),
        (lambda: optimal_momentum([-1.0, 2.0]), ValueError, "eigenvalues"),
        (lambda: optimal_gd([]), ValueError, "eigenvalues"),
    ],
)
def test_the_theory_refuses_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_objective_along_is_the_objective_of_each_recorded_point_and_nan_after_divergence():
    x, y = lv.make_churn(m=60, seed=5)
    problem = lv.optim.LogisticProblem(x, y, 1.0)
    runs = run_sgd(problem, (0.5, 0.5), batch_size=6, lr=[0.5, 400.0], n_updates=80, seeds=[1, 2])
    assert runs.diverged.tolist() == [False, True]  # |1 - 400·λ| > 1: w grows until it overflows
    J = objective_along(problem, runs)
    assert J.shape == (2, 81)
    for r in range(2):
        for t in range(81):
            if np.isfinite(runs.params[t, r]).all():
                assert J[r, t] == pytest.approx(lv.objective_at(runs.params[t, r], x, y, 1.0), rel=1e-13)
            else:
                assert np.isnan(J[r, t])
    assert np.isnan(J[1, -1]) and np.isfinite(J[0]).all()
    with pytest.raises(TypeError, match="runs must be the Runs"):
        objective_along(problem, runs.params)
    with pytest.raises(ValueError, match="parameters"):
        objective_along(DiagonalQuadratic([1.0, 2.0, 3.0]), runs)
