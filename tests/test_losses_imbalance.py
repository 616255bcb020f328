"""Tests of the losses for class imbalance: weighted cross-entropy and focal loss.

Reference values are computed here, one sample at a time, from the formulas with
``math.log`` -- never typed in from elsewhere.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossviz as lv
from lossviz.losses import EPS, FocalLoss, WeightedBCE, focal_loss, weighted_bce_loss

# ---------------------------------------------------------------- by hand
Y = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
P = [0.9, 0.9, 0.2, 0.1, 0.5, 0.65]


def weighted_by_hand(y, p, pos_weight):
    return -(pos_weight * y * math.log(p) + (1 - y) * math.log(1 - p))


def focal_by_hand(y, p, gamma, alpha=None):
    """Lin et al. (2017): -α_t (1 - p_t)^γ log p_t, for a hard label."""
    p_t = p if y == 1 else 1 - p
    alpha_t = 1.0 if alpha is None else alpha if y == 1 else 1 - alpha
    return -alpha_t * (1 - p_t) ** gamma * math.log(p_t)


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


@pytest.mark.parametrize("pos_weight", [0.25, 1.0, 19.0])
def test_weighted_bce_matches_the_formula(pos_weight):
    out = weighted_bce_loss(Y, P, pos_weight)
    assert out.shape == (len(Y),) and out.dtype == np.float64
    for yi, pi, li in zip(Y, P, out):
        assert li == pytest.approx(weighted_by_hand(yi, pi, pos_weight), rel=1e-12)


@pytest.mark.parametrize("gamma, alpha", [(2.0, None), (0.5, None), (2.0, 0.25), (5.0, 0.9), (0.0, 0.25)])
def test_focal_loss_matches_lin_et_al(gamma, alpha):
    out = focal_loss(Y, P, gamma=gamma, alpha=alpha)
    for yi, pi, li in zip(Y, P, out):
        assert li == pytest.approx(focal_by_hand(yi, pi, gamma, alpha), rel=1e-12)


def test_focal_default_is_gamma_two_without_alpha():
    np.testing.assert_array_equal(focal_loss(Y, P), focal_loss(Y, P, gamma=2.0, alpha=None))


def test_focal_loss_shrinks_easy_samples_more_than_hard_ones():
    # Both positives; the ratio to cross-entropy is (1 - p)^γ.
    ratio = focal_loss([1, 1], [0.9, 0.3]) / lv.bce_loss([1, 1], [0.9, 0.3])
    np.testing.assert_allclose(ratio, [(1 - 0.9) ** 2, (1 - 0.3) ** 2], rtol=1e-12)


def test_soft_labels_mix_the_two_hard_cases():
    y, p, g, a = 0.3, 0.4, 2.0, 0.25
    expected = y * focal_by_hand(1, p, g, a) + (1 - y) * focal_by_hand(0, p, g, a)
    assert focal_loss([y], [p], gamma=g, alpha=a)[0] == pytest.approx(expected, rel=1e-12)
    expected_w = y * weighted_by_hand(1, p, 3.0) + (1 - y) * weighted_by_hand(0, p, 3.0)
    assert weighted_bce_loss([y], [p], 3.0)[0] == pytest.approx(expected_w, rel=1e-12)


# ---------------------------------------------------------------- reductions to BCE
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def labels_and_probs(draw):
    m = draw(st.integers(min_value=1, max_value=30))
    return (draw(arrays(np.float64, m, elements=unit)), draw(arrays(np.float64, m, elements=unit)))


@settings(max_examples=60, deadline=None)
@given(labels_and_probs())
def test_gamma_zero_and_pos_weight_one_are_exactly_bce(data):
    y, p = data
    bce = lv.bce_loss(y, p)
    np.testing.assert_allclose(focal_loss(y, p, gamma=0.0), bce, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(weighted_bce_loss(y, p, 1.0), bce, rtol=1e-13, atol=1e-300)


@settings(max_examples=60, deadline=None)
@given(
    labels_and_probs(),
    st.floats(min_value=0.0, max_value=6.0),
    st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)),
)
def test_focal_loss_is_finite_nonnegative_and_at_most_bce(data, gamma, alpha):
    y, p = data
    out = focal_loss(y, p, gamma=gamma, alpha=alpha)
    assert np.all(np.isfinite(out)) and np.all(out >= 0)
    assert np.all(out <= lv.bce_loss(y, p) * (1 + 1e-12) + 1e-300)


def test_logit_classes_reduce_to_bce():
    rng = np.random.default_rng(0)
    y = rng.random(50)
    z = rng.normal(0, 5, 50)
    for loss in (WeightedBCE(1.0), FocalLoss(gamma=0.0)):
        np.testing.assert_allclose(loss.from_logits(y, z), lv.BCE.from_logits(y, z), rtol=1e-13)
        np.testing.assert_allclose(loss.dz(y, z), lv.BCE.dz(y, z), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(loss.d2z(y, z), lv.BCE.d2z(y, z), rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- logits form
LOSSES = [
    WeightedBCE(1.0),
    WeightedBCE(19.0),
    WeightedBCE(0.3),
    FocalLoss(2.0),
    FocalLoss(0.5),
    FocalLoss(2.0, alpha=0.25),
    FocalLoss(4.0, alpha=0.9),
    FocalLoss(0.0, alpha=0.6),
]


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_from_logits_matches_the_probability_form(loss):
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.4, 1.0, 0.0])
    z = np.array([-3.0, -3.0, 0.7, 0.7, 1.5, 12.0, -12.0])
    p = np.array([sigmoid(v) for v in z])
    if isinstance(loss, WeightedBCE):
        expected = weighted_bce_loss(y, p, loss.pos_weight)
    else:
        expected = focal_loss(y, p, gamma=loss.gamma, alpha=loss.alpha)
    np.testing.assert_allclose(loss.from_logits(y, z), expected, rtol=1e-10)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_derivatives_match_finite_differences(loss):
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3, 1.0, 0.0, 1.0, 0.0])
    z = np.array([-8.0, -8.0, -0.4, 0.9, 0.2, 3.0, 3.0, 25.0, -25.0])
    h = 1e-5
    fd1 = (loss.from_logits(y, z + h) - loss.from_logits(y, z - h)) / (2 * h)
    fd2 = (loss.dz(y, z + h) - loss.dz(y, z - h)) / (2 * h)
    np.testing.assert_allclose(loss.dz(y, z), fd1, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(loss.d2z(y, z), fd2, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_huge_logits_are_exact_and_quiet(loss):
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([1e6, -1e6, -1e6, 1e6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = loss.from_logits(y, z)
        d1, d2 = loss.dz(y, z), loss.d2z(y, z)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(d1)) and np.all(np.isfinite(d2))
    np.testing.assert_array_equal(values[:2], [0.0, 0.0])
    assert np.all(values[2:] > 0)


def test_focal_loss_is_not_convex_for_badly_misclassified_samples():
    # A positive predicted at σ(-6): the second derivative of the focal loss is negative.
    loss = FocalLoss(2.0)
    assert loss.d2z(np.array([1.0]), np.array([-6.0]))[0] < 0
    assert lv.BCE.d2z(np.array([1.0]), np.array([-6.0]))[0] > 0


# ---------------------------------------------------------------- the model accepts them
def test_gradient_with_each_loss_matches_finite_differences_of_the_objective():
    x, y = lv.make_churn(200, seed=3)
    params = np.array([1.3, -0.8])
    for loss in LOSSES:
        g = lv.gradient(params, x, y, lam=0.1, loss=loss)
        fd = []
        for k in range(2):
            e = np.zeros(2)
            e[k] = 1e-6
            fd.append(
                (
                    lv.objective_at(params + e, x, y, 0.1, loss=loss)
                    - lv.objective_at(params - e, x, y, 0.1, loss=loss)
                )
                / 2e-6
            )
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)


def test_pos_weight_moves_the_minimiser_as_prior_correction_predicts():
    # A larger pos_weight raises every predicted probability: the bias goes up.
    x, y = lv.make_churn(500, seed=2)
    b_plain = lv.minimise(x, y)[1]
    b_weighted = lv.minimise(x, y, loss=WeightedBCE(4.0))[1]
    assert b_weighted > b_plain
    # Gradient of the weighted cost vanishes at its own minimiser.
    p = lv.minimise(x, y, loss=WeightedBCE(4.0))
    assert np.linalg.norm(lv.gradient(p, x, y, loss=WeightedBCE(4.0))) < 1e-8


def test_train_runs_with_focal_loss_online_and_in_batches():
    x, y = lv.make_churn(100, seed=4)
    for batch_size in (1, 10):
        r = lv.train(x, y, batch_size=batch_size, lr=0.2, epochs=3, loss=FocalLoss(2.0))
        assert r.diverged_at is None
        assert r.final_cost < r.costs[0]


def test_loss_objects_compare_by_value_and_have_names():
    assert WeightedBCE(3) == WeightedBCE(3.0) and WeightedBCE(3) != WeightedBCE(2)
    assert FocalLoss(2.0, 0.25) == FocalLoss(2, 0.25) and FocalLoss(2.0) != FocalLoss(2.0, 0.25)
    assert len({WeightedBCE(3), WeightedBCE(3.0)}) == 1
    assert WeightedBCE(19).name == "weighted_bce(pos_weight=19)"
    assert FocalLoss(2, 0.25).name == "focal(gamma=2, alpha=0.25)"
    assert isinstance(FocalLoss(), lv.LogitLoss) and isinstance(WeightedBCE(2), lv.LogitLoss)


# ---------------------------------------------------------------- bad inputs
@pytest.mark.parametrize(
    "pos_weight, exc, match",
    [
        (0.0, ValueError, "pos_weight must be > 0"),
        (-1.0, ValueError, "pos_weight must be > 0"),
        (float("nan"), ValueError, "pos_weight must be finite"),
        (float("inf"), ValueError, "pos_weight must be finite"),
        ("2", TypeError, "pos_weight must be a real number"),
        (None, TypeError, "pos_weight must be a real number"),
        (True, TypeError, "pos_weight must be a real number"),
    ],
)
def test_bad_pos_weight_is_named(pos_weight, exc, match):
    with pytest.raises(exc, match=match):
        weighted_bce_loss([1, 0], [0.5, 0.5], pos_weight)
    with pytest.raises(exc, match=match):
        WeightedBCE(pos_weight)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"gamma": -0.5}, ValueError, "gamma must be >= 0"),
        ({"gamma": float("nan")}, ValueError, "gamma must be finite"),
        ({"gamma": "2"}, TypeError, "gamma must be a real number"),
        ({"alpha": 1.5}, ValueError, "alpha must be <= 1"),
        ({"alpha": -0.1}, ValueError, "alpha must be >= 0"),
        ({"alpha": [0.25]}, TypeError, "alpha must be a real number"),
    ],
)
def test_bad_gamma_or_alpha_is_named(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        focal_loss([1, 0], [0.5, 0.5], **kwargs)
    with pytest.raises(exc, match=match):
        FocalLoss(**kwargs)


@pytest.mark.parametrize(
    "fn",
    [
        lambda y, p: weighted_bce_loss(y, p, 2.0),
        lambda y, p: focal_loss(y, p),
    ],
    ids=["weighted", "focal"],
)
@pytest.mark.parametrize(
    "y, p, exc, match",
    [
        ([0, 1], [0.5], ValueError, "same shape"),
        ([], [], ValueError, "must not be empty"),
        ([0, 2], [0.5, 0.5], ValueError, "y must lie in"),
        ([0, 1], [0.5, 1.2], ValueError, "y_hat must lie in"),
        ([0, 1], [0.5, float("nan")], ValueError, "y_hat must be finite"),
        ("01", [0.5, 0.5], TypeError, "y must be numeric"),
        ([0, 1], [[0.5, 0.5]], ValueError, "y_hat must be 1-dimensional"),
    ],
)
def test_bad_inputs_follow_the_bce_rules(fn, y, p, exc, match):
    with pytest.raises(exc, match=match):
        fn(y, p)


def test_probabilities_of_exactly_zero_and_one_give_finite_losses_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = weighted_bce_loss([1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0], 5.0)
        f = focal_loss([1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0], gamma=2.0)
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(f))
    assert w[0] == pytest.approx(-5.0 * math.log(EPS), rel=1e-6)
    assert f[0] == pytest.approx(-((1 - EPS) ** 2) * math.log(EPS), rel=1e-6)


def test_model_rejects_something_that_is_not_a_loss():
    x, y = lv.make_churn(20, seed=0)
    with pytest.raises(TypeError, match="loss must be a LogitLoss"):
        lv.gradient((0, 0), x, y, loss=lv.focal_loss)
