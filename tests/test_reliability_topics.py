"""Regression tests for the faults issue 10 found in lossviz.topics and lossviz.plot.

Each test is one fault class met by a careless or curious user: the wrong argument named, a
loss class passed instead of an instance, None or a scalar where a list is expected, an
internal exception type (IndexError, AttributeError, OverflowError, ZeroDivisionError,
numpy's or matplotlib's) instead of a ValueError/TypeError naming the argument, non-finite
output or a RuntimeWarning for finite input, and huge sizes attempted instead of refused
before any work. The generated boundary and fuzz tests cover every declared parameter; these
pin the particular cases the issue names.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lossviz as lv
from lossviz.topics import _checks
from lossviz.topics import basins, batch_size, capacity, imbalance, loss_curves


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def churn():
    x, y = imbalance.make_imbalanced_churn(200, positive_rate=0.1, seed=0)
    xt, yt = imbalance.make_imbalanced_churn(200, positive_rate=0.1, seed=1)
    return x, y, xt, yt


@pytest.fixture(scope="module")
def small_sets():
    return [lv.make_churn(20, seed=s) for s in range(2)], *lv.make_churn(100, seed=9)


# ------------------------------------------------------------------ the wrong argument named
@pytest.mark.parametrize("bad", ["x_test", "y_test"])
@pytest.mark.parametrize("value", [None, 3.7, [0.5, 0.2]])
def test_fit_losses_blames_the_held_out_data(churn, bad, value):
    x, y, xt, yt = churn
    args = {"x": x, "y": y, "x_test": xt, "y_test": yt, bad: value}
    with pytest.raises((TypeError, ValueError), match=bad):
        imbalance.fit_losses([lv.BCE], **args)


@pytest.mark.parametrize("func", ["degree_curve", "lam_curve"])
@pytest.mark.parametrize("bad", ["x_test", "y_test"])
@pytest.mark.parametrize("value", [None, 3.7, [0.5, 0.2], [float("nan")] * 100])
def test_capacity_sweeps_blame_the_held_out_data(small_sets, func, bad, value):
    sets, xv, yv = small_sets
    args = {"x_test": xv, "y_test": yv, bad: value}
    with pytest.raises((TypeError, ValueError), match=bad):
        if func == "degree_curve":
            capacity.degree_curve(sets, degrees=[1, 2], **args)
        else:
            capacity.lam_curve(sets, lams=[0.1], degree=2, **args)


def test_a_bad_training_set_is_named_by_its_index(small_sets):
    sets, xv, yv = small_sets
    with pytest.raises(ValueError, match=r"train_sets\[1\]"):
        capacity.degree_curve([sets[0], (sets[1][0], sets[1][1] * 3)], xv, yv, [1])


# ------------------------------------------------------------------ a loss class, not an instance
def test_a_loss_class_is_refused_by_name(churn):
    x, y, xt, yt = churn
    with pytest.raises(TypeError, match=r"losses\[1\] must be an instance.*the class WeightedBCE itself"):
        imbalance.fit_losses([lv.BCE, lv.WeightedBCE], x, y, xt, yt)
    with pytest.raises(TypeError, match="loss must be an instance.*the class FocalLoss itself"):
        imbalance.class_cost_shares((1.0, -2.0), x, y, loss=lv.FocalLoss)
    with pytest.raises(TypeError, match="loss must be an instance.*the class FocalLoss itself"):
        loss_curves.training_log(x, y, batch_size=10, lr=0.5, loss=lv.FocalLoss)
    with pytest.raises(TypeError, match="loss must be an instance.*the class WeightedBCE itself"):
        batch_size.cost_reduction_target(x, y, 0.5, loss=lv.WeightedBCE)


# ------------------------------------------------------------------ None or a scalar for a list
@pytest.mark.parametrize("value", [None, 3.7, 4, "bce"])
def test_lists_are_checked(churn, small_sets, value):
    x, y, xt, yt = churn
    sets, xv, yv = small_sets
    calls = {
        "losses": lambda: imbalance.fit_losses(value, x, y, xt, yt),
        "fits": lambda: imbalance.format_loss_table(value),
        "degrees": lambda: capacity.degree_curve(sets, xv, yv, value),
        "train_sets": lambda: capacity.degree_curve(value, xv, yv, [1]),
        "batch_sizes": lambda: batch_size.roughness_by_batch_size(
            x, y, value, lr=0.5, n_updates=5, params0=(0.0, 0.0)
        ),
    }
    for name, call in calls.items():
        with pytest.raises(TypeError, match=name):
            call()


# ------------------------------------------------------------------ finite or refused
def test_fit_poly_logistic_honours_a_loose_tol():
    x, y = lv.make_churn(40, seed=0)
    loose = capacity.fit_poly_logistic(x, y, degree=2, lam=0.01, tol=1e-3)
    tight = capacity.fit_poly_logistic(x, y, degree=2, lam=0.01)
    assert np.allclose(loose.weights, tight.weights, atol=1e-2)


def test_class_cost_shares_at_extreme_parameters_is_finite_or_refused(churn):
    x, y, _, _ = churn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shares = imbalance.class_cost_shares((1e150, -1e150), x * 1e149, y)
        assert np.all(np.isfinite(shares)) and shares.sum() == pytest.approx(1.0)
        with pytest.raises(ValueError, match="params"):
            imbalance.class_cost_shares((1e200, 0.0), x, y)


# ------------------------------------------------------------------ huge sizes refused before work
def test_huge_sample_counts_are_refused_with_the_limit():
    with pytest.raises(ValueError, match="MAX_SAMPLES"):
        imbalance.make_imbalanced_churn(10**9)
