"""The kernels (lossviz._kernels) against exact values computed with 60-digit arithmetic (mpmath, an
oracle that shares no code with the package), and the package agreeing with itself through them."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossviz as lv
from lossviz import _kernels as K

mpmath.mp.dps = 60

Z = np.concatenate([-np.geomspace(700, 1e-3, 60), [0.0], np.geomspace(1e-3, 700, 60)])


def exact(f, *args):
    return np.array([float(f(*(mpmath.mpf(float(a)) for a in row))) for row in zip(*args)])


def sig(z):
    return 1 / (1 + mpmath.exp(-z))


def rel_err(got, want):
    return np.max(np.abs(got - want) / np.maximum(np.abs(want), np.finfo(float).tiny))


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_bce_derivatives_are_exact_to_1e_12_for_every_logit_up_to_700(y):
    Y = np.full_like(Z, y)
    dz = exact(lambda yy, z: (1 - yy) * sig(z) - yy * sig(-z), Y, Z)
    d2z = exact(lambda yy, z: sig(z) * sig(-z), Y, Z)
    assert rel_err(K.bce_dz(Y, Z), dz) <= 1e-12
    assert rel_err(K.bce_d2z(Y, Z), d2z) <= 1e-12
    assert rel_err(lv.BCE.dz(Y, Z), dz) <= 1e-12
    assert rel_err(lv.BCE.d2z(Y, Z), d2z) <= 1e-12


def test_the_naive_form_is_what_the_stable_one_fixes():
    # σ(z) - y for y = 1 at z = 40: the exact value is -σ(-40) = -4.25e-18; naively 0.
    naive = 1.0 / (1.0 + np.exp(-40.0)) - 1.0
    assert naive == 0.0
    assert K.bce_dz(np.array([1.0]), np.array([40.0]))[0] == pytest.approx(-4.248354255291589e-18, rel=1e-14)


def test_sigmoid_softplus_and_bce_are_exact():
    assert rel_err(K.sigmoid(Z), exact(sig, Z)) <= 1e-14
    _s, u = K.sigmoid_pair(Z)
    assert rel_err(u, exact(lambda z: sig(-z), Z)) <= 1e-14
    assert rel_err(K.softplus(Z), exact(lambda z: mpmath.log1p(mpmath.exp(z)), Z)) <= 1e-14
    for y in (0.0, 1.0, 0.5):
        Y = np.full_like(Z, y)
        # (1 - y)·log(1 + e^z) + y·log(1 + e^-z): the same value, a sum of positive terms
        want = exact(
            lambda yy, z: (1 - yy) * mpmath.log1p(mpmath.exp(z)) + yy * mpmath.log1p(mpmath.exp(-z)), Y, Z
        )
        assert rel_err(K.bce_from_logits(Y, Z), want) <= 1e-12


def test_hessian_and_condition_number_are_even_in_the_logit():
    # σ' is even, so the Hessian at (0, 40) and at (0, -40) must be the same (it was the zero matrix
    # at +40 when the second derivative was computed as σ(1 - σ)).
    x, y = lv.make_churn(m=200, seed=0)
    H_pos, H_neg = lv.hessian((0.0, 40.0), x, y), lv.hessian((0.0, -40.0), x, y)
    np.testing.assert_allclose(H_pos, H_neg, rtol=1e-14)
    assert H_pos[1, 1] > 0
    c_pos, c_neg = lv.condition_number((0.0, 40.0), x, y), lv.condition_number((0.0, -40.0), x, y)
    assert np.isfinite(c_pos) and c_pos == pytest.approx(c_neg, rel=1e-12)


def test_weighted_bce_with_weight_one_is_bce_exactly_where_both_are_exact():
    Y = np.tile([0.0, 1.0], Z.size)
    ZZ = np.repeat(Z, 2)
    np.testing.assert_allclose(lv.WeightedBCE(1.0).dz(Y, ZZ), lv.BCE.dz(Y, ZZ), rtol=1e-15, atol=0)
    np.testing.assert_allclose(lv.WeightedBCE(1.0).d2z(Y, ZZ), lv.BCE.d2z(Y, ZZ), rtol=1e-15, atol=0)


def test_design_matrix_derivatives_match_the_model():
    x, y = lv.make_churn(m=50, seed=2)
    p = np.array([1.5, -2.0])
    A = K.design(x)
    d = lv.BCE.dz(y, A @ p)
    np.testing.assert_allclose(K.per_sample_gradients(A, d), lv.per_sample_gradients(p, x, y), rtol=1e-15)
    np.testing.assert_allclose(K.mean_gradient(A, d), lv.gradient(p, x, y), rtol=1e-14)
    # the gradient is the mean of the per-sample gradients, and the Hessian its Jacobian
    h = 1e-6
    fd = np.column_stack(
        [(lv.gradient(p + h * e, x, y) - lv.gradient(p - h * e, x, y)) / (2 * h) for e in np.eye(2)]
    )
    np.testing.assert_allclose(lv.hessian(p, x, y), fd, rtol=1e-6)
