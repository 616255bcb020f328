"""Tests of lossviz.losses: the per-sample loss, the cost and the objective."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossviz as lv
from lossviz.losses import EPS

# ---------------------------------------------------------------- strategies
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
inner = st.floats(min_value=1e-6, max_value=1 - 1e-6, allow_nan=False)
hard_label = st.sampled_from([0.0, 1.0])
logit = st.floats(min_value=-30.0, max_value=30.0, allow_nan=False)
sizes = st.integers(min_value=1, max_value=30)


@st.composite
def labels_and_probs(draw, labels=unit, probs=unit):
    m = draw(sizes)
    y = draw(arrays(np.float64, m, elements=labels))
    p = draw(arrays(np.float64, m, elements=probs))
    return y, p


def bce_by_hand(y, p):
    """The textbook formula, one sample at a time, with math.log."""
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


# ---------------------------------------------------------------- values
def test_bce_matches_the_formula_sample_by_sample():
    y, y_hat = lv.anchor_sample()
    losses = lv.bce_loss(y, y_hat)
    assert losses.shape == (5,) and losses.dtype == np.float64
    for yi, pi, li in zip(y, y_hat, losses):
        assert li == pytest.approx(bce_by_hand(yi, pi), rel=1e-12)


def test_cost_is_the_mean_of_the_anchor_losses():
    y, y_hat = lv.anchor_sample()
    expected = sum(bce_by_hand(a, b) for a, b in zip(y, y_hat)) / 5
    assert lv.cost(y, y_hat) == pytest.approx(expected, rel=1e-12)
    assert isinstance(lv.cost(y, y_hat), float)


def test_bce_of_half_is_log_two():
    np.testing.assert_allclose(lv.bce_loss([0, 1, 0.5], [0.5, 0.5, 0.5]), [math.log(2)] * 3)


def test_extreme_probabilities_are_clipped_to_a_finite_loss_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses = lv.bce_loss([1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0])
    assert np.all(np.isfinite(losses))
    np.testing.assert_allclose(losses[:2], -math.log(EPS), rtol=1e-6)
    np.testing.assert_allclose(losses[2:], -math.log1p(-EPS), atol=1e-15)


def test_logits_form_is_exact_and_quiet_for_huge_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = lv.bce_loss_from_logits([1, 0, 0, 1, 1], [1e6, -1e6, 1e6, -1e6, 40.0])
    np.testing.assert_array_equal(out[:2], [0.0, 0.0])
    np.testing.assert_array_equal(out[2:4], [1e6, 1e6])
    # log(1 + e^-40): exact, not rounded to zero by cancellation
    assert out[4] == pytest.approx(math.log1p(math.exp(-40.0)), rel=1e-12)


def test_objective_adds_half_lambda_sum_of_squares():
    y, y_hat = lv.anchor_sample()
    w = np.array([0.5, -2.0, 1.0])
    assert lv.objective(y, y_hat, w, 0.1) == pytest.approx(lv.cost(y, y_hat) + 0.05 * 5.25)
    assert lv.objective(y, y_hat, w, 0.0) == lv.cost(y, y_hat)
    assert lv.objective(y, y_hat, 3.0, 2.0) == pytest.approx(lv.cost(y, y_hat) + 9.0)


def test_inputs_are_not_modified():
    y = np.array([0.0, 1.0])
    p = np.array([0.0, 1.0])
    lv.bce_loss(y, p)
    np.testing.assert_array_equal(p, [0.0, 1.0])


def test_soft_labels_and_bool_and_int_inputs():
    assert lv.bce_loss([True, False], [0.5, 0.5]).shape == (2,)
    assert lv.bce_loss(np.array([1, 0], dtype=np.int8), [0.9, 0.1])[0] == pytest.approx(-math.log(0.9))
    soft = lv.bce_loss([0.3], [0.3])[0]
    assert soft == pytest.approx(-(0.3 * math.log(0.3) + 0.7 * math.log(0.7)))


def test_scalar_inputs_give_one_sample():
    assert lv.bce_loss(1, 0.5).shape == (1,)


# ---------------------------------------------------------------- properties
@given(labels_and_probs())
def test_loss_is_never_negative(yp):
    y, p = yp
    assert np.all(lv.bce_loss(y, p) >= 0)


@given(labels_and_probs(probs=inner))
def test_symmetry_swapping_classes(yp):
    y, p = yp
    np.testing.assert_allclose(lv.bce_loss(y, p), lv.bce_loss(1 - y, 1 - p), rtol=1e-9, atol=1e-12)


@settings(max_examples=200)
@given(st.lists(st.tuples(unit, logit), min_size=1, max_size=20))
def test_logits_form_equals_probability_form(pairs):
    y = np.array([a for a, _ in pairs])
    z = np.array([b for _, b in pairs])
    p = 1 / (1 + np.exp(-z))
    representable = (p > 1e-9) & (p < 1 - 1e-9)
    np.testing.assert_allclose(
        lv.bce_loss_from_logits(y, z)[representable], lv.bce_loss(y, p)[representable], rtol=1e-7, atol=1e-9
    )


@given(labels_and_probs())
def test_cost_equals_the_mean_loss(yp):
    y, p = yp
    assert lv.cost(y, p) == pytest.approx(float(np.mean(lv.bce_loss(y, p))), rel=1e-12, abs=1e-15)


@given(
    labels_and_probs(),
    arrays(np.float64, st.integers(1, 5), elements=st.floats(-100, 100, allow_nan=False)),
    st.floats(0, 10, allow_nan=False),
)
def test_objective_minus_cost_is_the_penalty(yp, w, lam):
    y, p = yp
    diff = lv.objective(y, p, w, lam) - lv.cost(y, p)
    assert diff == pytest.approx(lam / 2 * float(np.sum(w**2)), rel=1e-9, abs=1e-9)


@given(st.lists(st.tuples(hard_label, logit), min_size=1, max_size=20))
def test_logits_loss_decreases_toward_the_label(pairs):
    y = np.array([a for a, _ in pairs])
    z = np.array([b for _, b in pairs])
    toward = z + np.where(y == 1, 1.0, -1.0)
    assert np.all(lv.bce_loss_from_logits(y, toward) <= lv.bce_loss_from_logits(y, z) + 1e-15)


# ---------------------------------------------------------------- bad input
BAD_PAIRS = [
    # (y, y_hat, exception, words the message must contain)
    ([0, 1], [0.5], ValueError, ["y", "y_hat", "shape"]),
    ([], [], ValueError, ["y", "empty"]),
    ([0, np.nan], [0.5, 0.5], ValueError, ["y", "nan"]),
    ([0, 1], [0.5, np.inf], ValueError, ["y_hat", "inf"]),
    ([0, 1], [0.5, -np.inf], ValueError, ["y_hat", "-inf"]),
    ([0, 1], [0.5, 1.2], ValueError, ["y_hat", "1.2"]),
    ([0, 1], [-0.1, 0.5], ValueError, ["y_hat", "-0.1"]),
    ([0, 2], [0.5, 0.5], ValueError, ["y", "2.0"]),
    ([-1, 1], [0.5, 0.5], ValueError, ["y", "-1.0"]),
    (["a", "b"], [0.5, 0.5], TypeError, ["y", "'a'"]),
    ([0, 1], "0.5", TypeError, ["y_hat", "'0.5'"]),
    ([0, 1], None, TypeError, ["y_hat", "None"]),
    ([0, 1], [0.5, 1 + 2j], TypeError, ["y_hat", "complex"]),
    ([[0, 1]], [[0.5, 0.5]], ValueError, ["y", "1-dimensional"]),
    ([0, 1], [[0.5], [0.5, 0.1]], TypeError, ["y_hat"]),
]


@pytest.mark.parametrize("y, y_hat, exc, words", BAD_PAIRS)
@pytest.mark.parametrize("fn", [lv.bce_loss, lv.cost])
def test_bad_input_names_the_argument_and_value(fn, y, y_hat, exc, words):
    with pytest.raises(exc) as info:
        fn(y, y_hat)
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize(
    "y, z, exc, words",
    [
        ([0, 1], [0.0], ValueError, ["z", "shape"]),
        ([0, 1], [0.0, np.nan], ValueError, ["z", "nan"]),
        ([0, 1], [0.0, np.inf], ValueError, ["z", "inf"]),
        ([0, 3], [0.0, 1.0], ValueError, ["y", "3.0"]),
        ([0, 1], ["x", "y"], TypeError, ["z"]),
    ],
)
def test_bad_logits_input(y, z, exc, words):
    with pytest.raises(exc) as info:
        lv.bce_loss_from_logits(y, z)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "weights, lam, exc, words",
    [
        ([1.0], -0.1, ValueError, ["lam", "-0.1"]),
        ([1.0], np.nan, ValueError, ["lam", "nan"]),
        ([1.0], "0.1", TypeError, ["lam", "'0.1'"]),
        ([1.0], None, TypeError, ["lam", "None"]),
        ([np.inf], 0.1, ValueError, ["weights", "inf"]),
        ([], 0.1, ValueError, ["weights", "empty"]),
        (["w"], 0.1, TypeError, ["weights"]),
    ],
)
def test_bad_objective_input(weights, lam, exc, words):
    y, y_hat = lv.anchor_sample()
    with pytest.raises(exc) as info:
        lv.objective(y, y_hat, weights, lam)
    for word in words:
        assert word in str(info.value)


def test_no_silent_nan_anywhere_on_the_anchor():
    y, y_hat = lv.anchor_sample()
    for value in (lv.bce_loss(y, y_hat), lv.cost(y, y_hat), lv.objective(y, y_hat, [1.0], 1.0)):
        assert np.all(np.isfinite(value))


# ---------------------------------------------------------------- the logit-loss object
def test_bce_object_derivatives_match_finite_differences():
    rng = np.random.default_rng(1)
    y = rng.random(50)
    z = rng.normal(0, 3, 50)
    h = 1e-6
    num_d1 = (lv.BCE.from_logits(y, z + h) - lv.BCE.from_logits(y, z - h)) / (2 * h)
    np.testing.assert_allclose(lv.BCE.dz(y, z), num_d1, rtol=1e-6, atol=1e-8)
    num_d2 = (lv.BCE.dz(y, z + h) - lv.BCE.dz(y, z - h)) / (2 * h)
    np.testing.assert_allclose(lv.BCE.d2z(y, z), num_d2, rtol=1e-5, atol=1e-8)
    assert isinstance(lv.BCE, lv.LogitLoss)
