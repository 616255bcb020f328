"""Regression tests for the fault classes of issue 10 that live in the core (one or more each).

The generated tests (tests/test_boundary.py, tests/test_fuzz.py) cover every declared parameter;
these pin the examples the issue names, with the message each now gives.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pytest

import lossviz as lv
from lossviz.optim import LogisticProblem

X = np.array([0.2, 1.0, 1.5, 0.7, 2.0])
Y = np.array([0.0, 1.0, 0.0, 1.0, 1.0])


# ------------------------------------------------------------ the shared validator let things through
@pytest.mark.parametrize(
    ("y", "y_hat", "exc", "text"),
    [
        (["0", "1"], ["0.5", "0.5"], TypeError, "strings are not numbers"),
        (np.array([b"0", b"1"]), [0.5, 0.5], TypeError, "strings are not numbers"),
        (np.array(["2026-01-01", "2026-01-02"], dtype="datetime64[D]"), [0.5, 0.5], TypeError, "dates"),
        ([dt.timedelta(0), dt.timedelta(1)], [0.5, 0.5], TypeError, "index 0"),
        (
            np.ma.masked_array([0.0, 1.0], mask=[False, True]),
            [0.5, 0.5],
            TypeError,
            "masked arrays are refused",
        ),
        ([None, 1.0], [0.5, 0.5], TypeError, "None at index 0"),
        ([0, 1], [0.5, 10**400], ValueError, "within float range"),
    ],
)
def test_bce_loss_refuses_what_is_not_a_number(y, y_hat, exc, text):
    with pytest.raises(exc, match="y") as info:
        lv.bce_loss(y, y_hat)
    assert text in str(info.value)


def test_ints_too_large_for_a_float_are_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="lr must be a real number within float range"):
        lv.train(X, Y, batch_size=5, lr=10**400)
    with pytest.raises(ValueError, match="x must hold real numbers within float range"):
        lv.predict((1.0, 0.0), [1, 10**400])
    with pytest.raises(ValueError, match="seed must be an integer within float range"):
        lv.make_churn(10, seed=10**400)


# ------------------------------------------------------------ finite input, non-finite output
def test_parameters_near_1e308_are_refused_as_too_large():
    with pytest.raises(ValueError, match="params is too large"):
        lv.per_sample_losses((1e308, 1e308), X, Y)
    with pytest.raises(ValueError, match="params is too large"):
        lv.gradient((1e300, 0.0), X, Y)


def test_products_that_would_overflow_are_refused_naming_the_argument():
    with pytest.raises(ValueError, match="lam = 1e\\+09 is too large for params"):
        lv.objective_at((1e150, 0.0), X, Y, lam=1e9)
    assert np.all(np.isfinite(lv.gradient((1e150, 0.0), X, Y, lam=1e9)))  # λ·w itself is finite: no refusal
    with pytest.raises(ValueError, match="lam = 1e\\+09 is too large for w_values"):
        lv.penalty_grid([1e150], 2, lam=1e9)
    with pytest.raises(ValueError, match="lam"):
        lv.cost_grid(X, Y, [1e150], [0.0], lam=1e9)
    with pytest.raises(ValueError, match="lam = 1e\\+100 is too large for weights"):
        lv.objective(Y, [0.5] * 5, [1e150], lam=1e100)
    with pytest.raises(ValueError, match=r"loss = WeightedBCE\(pos_weight=1e\+150\) is too large for x"):
        lv.per_sample_losses((-1e150, 0.0), [1e150] * 5, Y, loss=lv.WeightedBCE(1e150))
    assert np.all(np.isfinite(lv.hessian((0.0, 0.0), [1e150] * 5, Y)))  # x² within MAX_ABS² stays finite
    with pytest.raises(ValueError, match="points is too large"):  # the 1e308: past MAX_ABS
        lv.default_window([(0.0, 0.0), (1e308, 1e308)])
    window = lv.default_window([(0.0, 0.0), (1e150, 1e150)], margin=1e150)  # within it: finite
    assert np.all(np.isfinite(window))


def test_numerical_gradient_refuses_a_step_too_large_or_too_small():
    with pytest.raises(ValueError, match="h = 1e\\+150 is too large"):
        lv.numerical_gradient((1.0, 0.0), X, Y, lam=1e9, h=1e150)
    with pytest.raises(ValueError, match="h = 1e-300 is too small for params"):
        lv.numerical_gradient((1.0, 0.0), X, Y, h=1e-300)


def test_a_run_whose_objective_overflows_diverges_there_with_finite_costs():
    run = lv.train(X, Y, batch_size=5, lr=1e60, lam=1e100, epochs=20, params0=(1.0, 0.0))
    assert run.diverged_at is not None
    assert np.all(np.isfinite(run.costs)) and np.all(np.isfinite(run.params))
    assert run.batch_sizes.size == run.n_updates


def test_the_inf_that_is_honest_is_documented_and_returned():
    # a flat direction: every sample at x = 0 gives a singular Hessian
    assert lv.condition_number((0.0, 0.0), [0.0, 0.0], [0.0, 1.0]) == float("inf")
    assert lv.optim.NoiseScale(trace_sigma=1.0, grad_sq=0.0).b_simple == float("inf")


# ------------------------------------------------------------ sequences not checked
@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: lv.optim.run_seeds(None, 3), "seed must be"),
        (
            lambda: lv.optim.run_sgd(
                LogisticProblem(X, Y), (0, 0), batch_size=2, lr=0.1, n_updates=2, seeds=None
            ),
            "seeds",
        ),
        (
            lambda: lv.optim.run_sgd(
                LogisticProblem(X, Y), (0, 0), batch_size=2, lr=0.1, n_updates=2, record=None
            ),
            "record",
        ),
        (lambda: lv.Momentum(beta=None), "beta"),
    ],
)
def test_none_or_a_scalar_where_a_sequence_is_expected_is_a_type_error_naming_it(call, text):
    with pytest.raises(TypeError, match=text):
        call()


# ------------------------------------------------------------ the wrong argument named
def test_a_loss_class_instead_of_an_instance_says_so():
    with pytest.raises(
        TypeError, match=r"loss must be an instance such as .* got the class FocalLoss itself"
    ):
        lv.minimise(X, Y, loss=lv.FocalLoss)
    with pytest.raises(TypeError, match="got the class SGD itself"):
        lv.train(X, Y, batch_size=5, lr=0.1, optimizer=lv.SGD)


# ------------------------------------------------------------ valid input refused or wrong
@pytest.mark.parametrize("tol", [1e-3, 1e-5, 1e-7])
def test_minimise_converges_at_any_tolerance(tol):
    x, y = lv.make_churn(200, seed=1)
    p = lv.minimise(x, y, tol=tol)
    assert np.linalg.norm(lv.gradient(p, x, y)) < max(tol, 1e-6)


def test_soft_labels_that_are_the_models_own_probabilities_have_a_finite_minimum():
    x, _ = lv.make_churn(200, seed=1)
    p = np.array([2.0, -1.0])
    y_soft = lv.predict(p, x)
    np.testing.assert_allclose(lv.minimise(x, y_soft), p, atol=1e-8)
    with pytest.raises(RuntimeError, match="separable"):  # hard labels a line splits: still said
        lv.minimise([0.1, 0.2, 0.8, 0.9], [0.0, 0.0, 1.0, 1.0])


# ------------------------------------------------------------ wrong exception types
def test_a_reached_function_that_fails_is_named():
    with pytest.raises(TypeError, match="reached must be a function, got the class int"):
        lv.optim.updates_to_reach(LogisticProblem(X, Y), (0, 0), lr=0.1, n_updates=3, reached=int)
    with pytest.raises(TypeError, match="reached raised"):
        lv.optim.updates_to_reach(LogisticProblem(X, Y), (0, 0), lr=0.1, n_updates=3, reached=lambda P: 1 / 0)


# ------------------------------------------------------------ huge sizes refused before any work
@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: lv.cost_grid(X, Y, np.zeros(100_000), np.zeros(100_000)), "MAX_GRID_POINTS"),
        (lambda: lv.cost_window(X, Y, [(0, 0), (1, 1)], n=100_000), "n must be <= 2000"),
        (lambda: lv.train(X, Y, batch_size=1, lr=0.1, epochs=10**12), "MAX_UPDATES"),
        (lambda: lv.minibatch_gradients((0, 0), X, Y, 2, n_batches=10**9), "MAX_BATCHES"),
        (
            lambda: lv.optim.run_sgd(LogisticProblem(X, Y), (0, 0), batch_size=2, lr=0.1, n_updates=10**12),
            "MAX_UPDATES",
        ),
        (lambda: lv.make_churn(10**12), r"m must be <= 1e\+07"),
        (lambda: lv.penalty_grid(np.zeros(100_000), 100_000, 1.0), "MAX_GRID_POINTS"),
    ],
)
def test_huge_sizes_are_refused_at_once_with_the_limit_and_how_to_stay_under_it(call, text):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=text) as info:
        call()
    assert time.perf_counter() - start < 2.0  # refused before the work, not after
    assert "limit" in str(info.value)
