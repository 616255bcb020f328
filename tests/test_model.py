"""Tests of lossviz.model: predictions, per-sample and full gradients against finite differences,
the Hessian, the objective (and its fast binary cross-entropy path)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import lossviz as lv
from lossviz._kernels import objective_rows

POINTS = [(0.0, 0.0), (2.3, -2.7), (-1.5, 0.8), (6.0, -9.0)]


@pytest.fixture(scope="module")
def data(churn_set):
    return churn_set(200, 4)


def _central_difference(f, p, h=1e-6):
    p = np.asarray(p, dtype=float)
    out = []
    for j in range(p.size):
        e = np.zeros_like(p)
        e[j] = h
        out.append((f(p + e) - f(p - e)) / (2 * h))
    return np.array(out)


class _GenericBCE(lv.BinaryCrossEntropy):
    """Binary cross-entropy that takes the generic (per-element) objective path."""


# --- predictions -------------------------------------------------------------------------------


def test_predict_is_the_sigmoid_and_stable_at_huge_logits():
    x = np.array([-2.0, 0.0, 1.0, 1e6, -1e6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = lv.predict((3.0, -1.0), x)
    z = 3.0 * x[:3] - 1.0
    np.testing.assert_allclose(p[:3], 1 / (1 + np.exp(-z)), rtol=1e-15)
    assert p[3] == 1.0 and p[4] == 0.0


# --- gradients ---------------------------------------------------------------------------------


@pytest.mark.parametrize("params", POINTS)
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_gradient_matches_finite_differences(data, params, lam):
    x, y = data
    numeric = _central_difference(lambda p: lv.objective_at(p, x, y, lam), params)
    np.testing.assert_allclose(lv.gradient(params, x, y, lam), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("params", POINTS)
def test_per_sample_gradients_match_finite_differences_of_each_loss(data, params):
    x, y = data
    G = lv.per_sample_gradients(params, x, y)
    assert G.shape == (x.size, 2)
    numeric = _central_difference(lambda p: lv.per_sample_losses(p, x, y), params).T
    np.testing.assert_allclose(G, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("params", POINTS)
def test_gradient_of_the_cost_is_the_mean_of_the_per_sample_gradients(data, params):
    x, y = data
    G = lv.per_sample_gradients(params, x, y)
    np.testing.assert_allclose(G.mean(axis=0), lv.gradient(params, x, y), rtol=1e-13, atol=1e-16)
    # the penalty is added once, to w only, not to any sample
    lam = 0.5
    np.testing.assert_allclose(
        lv.gradient(params, x, y, lam) - lv.gradient(params, x, y), [lam * params[0], 0.0], atol=1e-15
    )


@pytest.mark.parametrize("params", POINTS)
def test_hessian_matches_finite_differences_of_the_gradient(data, params):
    x, y = data
    H = lv.hessian(params, x, y, 0.2)
    numeric = _central_difference(lambda p: lv.gradient(p, x, y, 0.2), params)
    np.testing.assert_allclose(H, numeric, rtol=1e-5, atol=1e-9)
    np.testing.assert_array_equal(H, H.T)
    assert np.all(np.linalg.eigvalsh(H) > 0)


# --- the objective -------------------------------------------------------------------------------


@pytest.mark.parametrize("params", POINTS)
def test_objective_is_mean_loss_plus_penalty(data, params):
    x, y = data
    losses = lv.bce_loss_from_logits(y, params[0] * x + params[1])
    expected = losses.mean() + 0.5 * 0.7 * params[0] ** 2
    assert lv.objective_at(params, x, y, 0.7) == pytest.approx(expected, rel=1e-13)


def test_fast_bce_path_equals_the_generic_path(data):
    x, y = data
    rng = np.random.default_rng(0)
    P = np.vstack([rng.normal(0, 3, size=(300, 2)), [[1e6, -1e6], [-1e8, 3e7], [0.0, 0.0]]])
    soft = np.clip(y * 0.8 + 0.1, 0, 1)  # soft labels too: the closed form is linear in y
    for labels in (y, soft):
        fast = objective_rows(P, x, labels, 0.25, lv.BCE)
        generic = objective_rows(P, x, labels, 0.25, _GenericBCE())
        np.testing.assert_allclose(fast, generic, rtol=1e-12)
    # chunking does not change the answer
    np.testing.assert_array_equal(
        objective_rows(P, x, y, 0.0, lv.BCE, chunk_elems=1000), objective_rows(P, x, y, 0.0, lv.BCE)
    )


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "func", [lv.gradient, lv.objective_at, lv.hessian, lv.per_sample_gradients, lv.per_sample_losses]
)
def test_public_functions_name_the_bad_argument(data, func):
    x, y = data
    with pytest.raises(ValueError, match="params must be"):
        func((1.0, 2.0, 3.0), x, y)
    with pytest.raises(ValueError, match="params must be finite"):
        func((np.inf, 0.0), x, y)
    with pytest.raises(ValueError, match="x and y must have the same shape"):
        func((1.0, 0.0), x[:-1], y)
    with pytest.raises(ValueError, match="y must lie in"):
        func((1.0, 0.0), x, -y)
    with pytest.raises(TypeError, match="x must be numeric"):
        func((1.0, 0.0), "abc", y)
    with pytest.raises(TypeError, match="loss must be a LogitLoss"):
        func((1.0, 0.0), x, y, loss=np.mean)


@pytest.mark.parametrize("func", [lv.gradient, lv.objective_at, lv.hessian])
def test_negative_lambda_is_rejected(data, func):
    x, y = data
    with pytest.raises(ValueError, match="lam must be >= 0"):
        func((1.0, 0.0), x, y, -1.0)
