"""Tests of lossviz.exercises against answers derived independently of the exercise objects.

Each right answer here is worked out by hand from the question's givens, or computed by a route
that does not go through the function the question uses (np.logaddexp for the logits form, a
Newton fit written here, finite differences of a cost), so a check whose expected answer is
computed wrongly fails these tests. tests/test_exercise_sheets.py runs the declarations
themselves: the declared solutions, every declared mistake, the blanks and odd values.
"""

from __future__ import annotations

import doctest
import importlib
import math

import numpy as np
import pytest

import lossviz as lv
from lossviz.exercises import SHEETS, Feedback, Placeholder, ____
from lossviz.exercises import batch_size_and_time as bst
from lossviz.exercises import class_imbalance as ci
from lossviz.exercises import cost_landscape as cl
from lossviz.exercises import five_questions as fq
from lossviz.exercises import full_batch_vs_minibatch as fbm
from lossviz.exercises import gradient_of_the_cost as goc
from lossviz.exercises import loss_cost_objective as lco
from lossviz.exercises import network_landscape as nl
from lossviz.exercises import overfitting as of
from lossviz.exercises import sharp_and_flat_minima as sfm
from lossviz.exercises._view import feedback_html

X, Y = lv.make_churn()
M = X.size


def _correct(fb):
    assert isinstance(fb, Feedback)
    assert fb.status == "Correct", str(fb)
    assert fb.correct


def _incorrect(fb, *words):
    assert isinstance(fb, Feedback)
    assert fb.status == "Incorrect", str(fb)
    assert not fb.correct
    for word in words:
        assert word in fb.message, f"{word!r} not in: {fb.message}"


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------------ lesson 01


def test_01_uninformed_model():
    y, y_hat = lv.anchor_sample()
    before = [-math.log(p) if t == 1 else -math.log(1 - p) for t, p in zip(y, y_hat)]
    rises = [math.log(2) - b for b in before]
    most = str(int(np.argmax(rises)) + 1)
    assert most == "2"  # the most confident right prediction, ŷ = 0.823 for a churner
    _correct(lco.q1.check(most, math.log(2)))
    _correct(lco.q1.check(2, math.log(2)))  # a number for the sample is read too
    _incorrect(lco.q1.check("1", math.log(2)), "falls")
    _incorrect(lco.q1.check("2", 0.5), "ŷ itself")
    _incorrect(lco.q1.check("2", math.log10(2)), "base-10")


def _exact_cost(y, z):
    return float(np.mean(np.logaddexp(0.0, z) - np.asarray(y) * np.asarray(z)))  # log(1 + e^z) − y·z


def test_01_cost_from_logits():
    _correct(lco.q2.check(_exact_cost))
    _incorrect(lco.q2.check(lambda y, z: float(np.sum(np.logaddexp(0.0, z) - y * z))), "sum")
    _incorrect(lco.q2.check(lambda y, z: np.logaddexp(0.0, z) - y * z), "one loss per sample")
    naive = lambda y, z: float(np.mean(-(y * np.log(_sigmoid(z)) + (1 - y) * np.log(1 - _sigmoid(z)))))  # noqa: E731
    _incorrect(lco.q2.check(naive), "inf or nan")
    _incorrect(lco.q2.check(lambda y, z: _exact_cost(z, y)), "labels first")
    with_warning = lambda y, z: float(np.mean(np.log(1 + np.exp(z)) - y * z))  # noqa: E731
    _incorrect(lco.q2.check(with_warning), "finite", "without forming σ(z)")


def test_01_where_the_penalty_goes():
    _correct(lco.q3.check("b"))
    _incorrect(lco.q3.check("a"), "once per sample")


# ------------------------------------------------------------------ lesson 02


def _hand_minibatch_gradient(params, x, y, batch, lam):
    w, b = params
    total_w = total_b = 0.0
    for i in batch:  # one sample at a time, as the formula reads: (ŷ − y)·(x, 1)
        err = 1 / (1 + math.exp(-(w * x[i] + b))) - y[i]
        total_w += err * x[i]
        total_b += err
    return np.array([total_w / len(batch) + lam * w, total_b / len(batch)])


def test_02_minibatch_gradient():
    _correct(goc.q1.check(_hand_minibatch_gradient))
    _incorrect(goc.q1.check(lambda p, x, y, b, lam: _hand_minibatch_gradient(p, x, y, b, 0.0)), "penalty")
    _incorrect(
        goc.q1.check(lambda p, x, y, b, lam: _hand_minibatch_gradient(p, x, y, b, lam)[::-1]), "wrong on"
    )
    _incorrect(goc.q1.check(lambda p, x, y, b: 0), "should be called as")


def test_02_why_the_mean_is_short_and_four_times_the_batch():
    _correct(goc.q2.check("b"))
    v10, m = goc.q3.variance_10, goc.q3.m
    assert math.isclose(v10, lv.minibatch_gradient_variance((1.0, -1.0), X, Y, 10), rel_tol=1e-12)
    _correct(goc.q3.check(v10 * (10 / 40) * ((m - 40) / (m - 10))))
    _incorrect(goc.q3.check(v10 / 4), "without replacement")


# ------------------------------------------------------------------ lesson 03


def _newton_minimum(x, y, lam, iters=50):
    p = np.zeros(2)
    for _ in range(iters):
        s = _sigmoid(p[0] * x + p[1])
        d = np.stack([x, np.ones_like(x)], axis=1)
        g = d.T @ (s - y) / x.size + np.array([lam * p[0], 0.0])
        h = (d * (s * (1 - s))[:, None]).T @ d / x.size + np.diag([lam, 0.0])
        p = p - np.linalg.solve(h, g)
    return p, h


def test_03_contours_stability_and_the_bias_limit():
    _correct(cl.q1.check(-X[0], "no"))
    _incorrect(cl.q1.check(X[0], "no"), "wrong sign")
    _incorrect(cl.q1.check(-X[0], "yes"), "never reaches")
    _, h = _newton_minimum(X, Y, 0.1)
    _correct(cl.q2.check(2 / np.linalg.eigvalsh(h)[-1]))
    rate = Y.mean()
    _correct(cl.q3.check(math.log(rate / (1 - rate))))
    _incorrect(cl.q3.check(rate), "probability")


# ------------------------------------------------------------------ lesson 04


def test_04_counting_noise_and_online_learning():
    _correct(fbm.q1.check(16, 6 * 1000 + 4 * 64))  # 15 batches of 64 and one of 40; 6 epochs and 4 batches
    _incorrect(fbm.q1.check(15, 6256), "one short")
    _incorrect(fbm.q1.check(16, 6400), "smaller")
    _incorrect(fbm.q1.check(15.625, 6256), "whole number")
    s = _sigmoid(np.zeros(M)) - Y
    grads = np.stack([s * X, s], axis=1)
    g = grads.mean(axis=0)
    tr = ((grads - g) ** 2).sum(axis=1).mean()
    _correct(fbm.q3.check(tr / 100 * (M - 100) / (M - 1) / (g @ g)))
    _correct(fbm.q2.check("b"))


# ------------------------------------------------------------------ lesson 06: the post's five questions


def right_q1():
    return 1 / 5.0, 1 / 0.02, math.ceil(1000 / 32), "mini-batch"


def _two_online_steps(first, second, lr):
    p = np.array(fq.q2.params0, dtype=float)
    x, y = lv.anchor_features(fq.q2.params0)
    for i in (first, second):
        z = p[0] * x[i] + p[1]
        d = 1 / (1 + np.exp(-z)) - y[i]  # ∂L/∂z for binary cross-entropy
        p = p - lr * d * np.array([x[i], 1.0])
    return p


def right_q2():
    gaps = [np.linalg.norm(_two_online_steps(0, 1, eta) - _two_online_steps(1, 0, eta)) for eta in fq.q2.lrs]
    slope = np.polyfit(np.log(fq.q2.lrs), np.log(gaps), 1)[0]
    return _two_online_steps(0, 1, fq.q2.lr), _two_online_steps(1, 0, fq.q2.lr), slope, "a"


def right_q3():
    return "b", lv.numerical_gradient(fq.q3.params, X, Y)


def right_q4():
    g = lv.per_sample_gradients(fq.q4.params, X, Y)
    tr_sigma = np.sum((g - g.mean(axis=0)) ** 2) / M
    return [tr_sigma / k * (M - k) / (M - 1) for k in fq.q4.batch_sizes], "a"


def right_q5():
    w, _b = fq.q5.params
    i = fq.q5.sample
    p_hat = lv.predict(fq.q5.params, X[i : i + 1])[0]
    return np.array([fq.q5.lam * w, 0.0]), (p_hat - Y[i]) * np.array([X[i], 1.0])


RIGHT = {fq.q1: right_q1, fq.q2: right_q2, fq.q3: right_q3, fq.q4: right_q4, fq.q5: right_q5}


@pytest.mark.parametrize("q", list(RIGHT), ids=lambda q: q.name)
def test_06_the_right_answer_is_correct(q):
    _correct(q.check(*RIGHT[q]()))
    answers = [a.tolist() if isinstance(a, np.ndarray) else a for a in RIGHT[q]()]
    _correct(q.check(**dict(zip(q.answer_names, answers))))  # by name, as plain lists


def test_06_q1_wrong_answers_say_what_was_mixed_up():
    full, mini, n, faster = right_q1()
    q1 = fq.q1
    _incorrect(q1.check(5.0, mini, n, faster), "full_batch_updates_per_second", "seconds per update")
    _incorrect(q1.check(full, 32 / 0.02, n, faster), "samples per second")
    _incorrect(q1.check(full, 1 / (0.02 * 32), n, faster), "epochs per second")
    _incorrect(q1.check(full, mini, 31, faster), "one short", "last, smaller batch")
    _incorrect(q1.check(full, mini, 1000 / 32, faster), "whole number")
    _incorrect(q1.check(full, mini, n, "full-batch"), "`faster`", "same amount")
    _incorrect(q1.check(full, mini, n, "the fast one"), "'full-batch' or 'mini-batch'")
    _incorrect(q1.check(full * 3, mini, n, faster), "full_batch_updates_per_second", "too large")


@pytest.mark.parametrize("spelling", ["mini-batch", "Mini batch", "minibatch", "SGD", "mini_batch"])
def test_06_q1_accepts_spellings_of_mini_batch(spelling):
    full, mini, n, _ = right_q1()
    _correct(fq.q1.check(full, mini, float(n), spelling))


def test_06_q1_expected_faster_comes_from_the_race():
    full, mini, target = fq.q1.race()
    assert mini.time_to_cost(target) < full.time_to_cost(target) < math.inf
    assert fq.q1.expected["faster"] == "mini-batch"


def test_06_q2_wrong_answers_say_what_was_mixed_up():
    a, b, slope, why = right_q2()
    x, y = fq.q2.data()
    g = lv.per_sample_gradients(fq.q2.params0, x, y)
    p0 = np.array(fq.q2.params0)
    q2 = fq.q2
    _incorrect(q2.check(b, a, slope, why), "swapped")
    _incorrect(q2.check(a, a, slope, why), "same (w, b)")
    full_step = p0 - q2.lr * g.mean(axis=0)
    _incorrect(q2.check(full_step, full_step, slope, why), "same (w, b)", "full-batch step")
    _incorrect(q2.check(p0 - q2.lr * g.sum(axis=0), b, slope, why), "starting weights")
    _incorrect(q2.check(p0 - q2.lr * g[0], b, slope, why), "after sample 1 only")
    _incorrect(q2.check(a, b, 1.0, why), "`slope`", "first order")
    _incorrect(q2.check(a, b, 3.0, why), "`slope` is too large")
    path = lv.optim.online_pass(q2.params0, x, y, lr=q2.lr)
    _incorrect(q2.check(path, b, slope, why), "trajectory", "[-1]")
    _incorrect(q2.check(a, b, slope, "c"), "rounding")


def test_06_q3_wrong_answers_say_what_was_mixed_up():
    why, g = right_q3()
    q3 = fq.q3
    _incorrect(q3.check(why, M * g), f"{M} times too large", "1/m")
    _incorrect(q3.check(why, g / M), "divide by m once")
    _incorrect(q3.check(why, -g), "wrong sign")
    _incorrect(q3.check(why, g[::-1]), "wrong order")
    _incorrect(
        q3.check(why, lv.per_sample_gradients(q3.params, X, Y)), f"({M}, 2)", "one gradient per sample"
    )
    _incorrect(q3.check(why, lv.gradient((0.0, 0.0), X, Y)), "grad_of_cost")
    _incorrect(q3.check("a", g), "chain rule")


def test_06_q4_wrong_answers_say_what_was_mixed_up():
    v, tradeoff = right_q4()
    v = np.array(v)
    ks = np.array(fq.q4.batch_sizes, dtype=float)
    tr_sigma = v[0]
    q4 = fq.q4
    _incorrect(q4.check(tr_sigma / ks, tradeoff), "without replacement")
    _incorrect(q4.check(tr_sigma * (M - ks) / (M - 1), tradeoff), "does not shrink like 1/B")
    _incorrect(q4.check(np.sqrt(v), tradeoff), "standard deviation")
    measured = [
        lv.optim.measured_minibatch_variance(q4.params, X, Y, k, n_batches=1000) for k in q4.batch_sizes
    ]
    _incorrect(q4.check(measured, tradeoff), "sampling", "exact")
    _incorrect(q4.check(v[:3], tradeoff), "6 numbers", "q4.batch_sizes")
    _correct(q4.check(v * M / (M - 1), tradeoff))  # Σ divided by m - 1 instead of m: within the 1 % stated
    _incorrect(q4.check(v, "d"), "not B²")


def test_06_q5_wrong_answers_say_what_was_mixed_up():
    p, s = right_q5()
    w, b = fq.q5.params
    q5 = fq.q5
    _incorrect(q5.check(-p, s), "penalty_gradient", "wrong sign", "weight decay")
    _incorrect(q5.check(p / 2, s), "half", "2w")
    _incorrect(q5.check([q5.lam / 2 * w**2, 0.0], s), "value, not its derivative")
    _incorrect(q5.check([q5.lam * w, q5.lam * b], s), "bias")
    _incorrect(q5.check(M * p, s), "once per update")
    _incorrect(q5.check(p / M, s), "not averaged")
    _incorrect(q5.check(q5.lam * w, s), "single number", "w and b")
    _incorrect(q5.check(p, s + p), "sample_gradient", "includes the penalty")
    _incorrect(q5.check(p, lv.gradient(q5.params, X, Y)), "cost's gradient")
    _incorrect(q5.check(p, lv.gradient(q5.params, X, Y, q5.lam)), "objective's gradient")
    _incorrect(q5.check(p, lv.per_sample_gradients(q5.params, X[1:2], Y[1:2])[0]), "index 0")
    fb = q5.check(-p, s + p)  # both wrong: both are explained
    _incorrect(fb, "penalty_gradient", "sample_gradient")


def test_06_a_wrong_type_says_the_other_answers_wait_for_it():
    p, s = right_q5()
    _incorrect(fq.q5.check(float(p[0]), s), "penalty_gradient", "checked once these are fixed")
    assert "checked once" not in fq.q3.check("b", "x").message.split("\n\n")[0]


def test_06_a_value_inside_the_tolerance_passes_and_one_outside_says_so():
    why, g = right_q3()
    _correct(fq.q3.check(why, g * (1 + 1e-8)))
    _incorrect(
        fq.q3.check(why, g * np.array([1.0, 1.0 + 1e-4])),
        "∂J/∂b",
        "too large",
        "∂J/∂w is right",
        "within 1e-06 relative",
    )
    _incorrect(fq.q3.check(why, g * np.array([1.0, 1.5])), "too large")


# ------------------------------------------------------------------ lessons 07 and 08


def test_07_cost_shares_and_weights():
    _, y = lv.imbalance.make_imbalanced_churn(1000, positive_rate=0.05, seed=0)
    n_pos = int(y.sum())
    assert n_pos == 50
    churners, stayers = n_pos * -math.log(0.05), (y.size - n_pos) * -math.log(0.95)
    _correct(ci.q1.check(churners / (churners + stayers)))
    _incorrect(ci.q1.check(0.05), "samples")
    _, y12 = lv.imbalance.make_imbalanced_churn(1000, positive_rate=0.12, seed=0)
    assert int(y12.sum()) == 120
    _correct(ci.q2.check(880 / 120, 1 / (1 + 880 / 120)))
    _incorrect(ci.q2.check(880 / 120, 120 / 880), "1/(1 + w₊)")
    _correct(ci.q3.check("b"))


def _legendre_fit(x, y, degree, lam):
    """A degree-d Legendre logistic fit written here: t in [-1, 1] over the training range, Newton steps."""
    centre, half = (x.max() + x.min()) / 2, (x.max() - x.min()) / 2

    def features(xs):
        t = np.clip((xs - centre) / half, -1, 1)
        return np.polynomial.legendre.legvander(t, degree)  # column 0 is the bias

    f = features(x)
    theta = np.zeros(degree + 1)
    pen = np.diag([0.0] + [lam] * degree)
    for _ in range(200):
        s = _sigmoid(f @ theta)
        g = f.T @ (s - y) / x.size + pen @ theta
        h = (f * (s * (1 - s))[:, None]).T @ f / x.size + pen
        step = np.linalg.solve(h, g)
        theta -= step
        if np.max(np.abs(step)) < 1e-12:
            break

    def cost(xs, ys):
        z = features(xs) @ theta
        return float(np.mean(np.logaddexp(0.0, z) - ys * z))

    return cost


def test_08_two_costs_report_and_the_majority_model():
    x20, y20 = lv.make_churn(20, seed=3)
    x_val, y_val = lv.make_churn(5_000, seed=10_000)
    cost = _legendre_fit(x20, y20, 15, 1e-6)
    _correct(of.q1.check(cost(x20, y20), cost(x_val, y_val)))
    _incorrect(of.q1.check(cost(x_val, y_val), cost(x20, y20)), "swapped")
    _correct(of.q2.check("c"))
    _correct(of.q3.check(float(np.mean(y_val == 1))))


# ------------------------------------------------------------------ lessons 09, 10 and 12


def test_09_clock_curve_noise_scale():
    _correct(bst.q1.check([1000 * (5 + 1) / 1000, 10 * (5 + 2) / 1000, 1 * (5 + 16) / 1000]))
    _incorrect(bst.q1.check([1000 * 5 / 1000, 10 * 6 / 1000, 1 * 20 / 1000]), "rounds the waves down")
    b_crit = 3380 / 26
    _correct(bst.q2.check(26 * (1 + b_crit / 64), 64 * 26 * (1 + b_crit / 64)))
    _incorrect(bst.q2.check(26 * b_crit / 64, 64 * 26 * (1 + b_crit / 64)), "leaves out the 1")
    _correct(bst.q3.check(lambda G: np.trace(np.cov(G.T, bias=True)) / np.sum(np.mean(G, axis=0) ** 2)))
    _incorrect(bst.q3.check(lambda G: np.trace(np.cov(G.T)) / np.sum(np.mean(G, axis=0) ** 2)), "m − 1")
    _correct(bst.q4.check("b"))


def test_10_limits_curvature_and_coordinates():
    problem = lv.basins.make_two_basin(m=200, noise=7.0, seed=0)
    h = 1e-4
    curv = [
        (problem.cost(t + h) - 2 * problem.cost(t) + problem.cost(t - h)) / h**2
        for t in (problem.sharp_minimum, problem.flat_minimum)
    ]
    assert sfm.q1.check([2 / c for c in curv]).correct or np.allclose(
        [2 / c for c in curv], sfm.q1.expected["lr_limits"], rtol=1e-5
    )
    _correct(sfm.q1.check(sfm.q1.expected["lr_limits"]))
    assert np.allclose([2 / c for c in curv], sfm.q1.expected["lr_limits"], rtol=1e-5)
    _correct(sfm.q2.check(3**2 * 8))
    _incorrect(sfm.q2.check(3 * 8), "r'²")
    _correct(sfm.q3.check("b"))
    _correct(sfm.q4.check("a"))


def test_12_counting_and_slices():
    _correct(nl.q1.check(3 * 5 + 5 + 5 + 1, math.factorial(5) * 2**5))
    _incorrect(nl.q1.check(26, 120), "sign")
    _correct(nl.q2.check("c"))
    _correct(nl.q3.check("a"))


# ------------------------------------------------------------------ machinery, display


def test_feedback_displays_as_text_and_escaped_html():
    fb = Feedback("Incorrect", "a < b, see `q1.hint()`\n\nsecond paragraph", code="x = 1 < 2")
    assert str(fb) == repr(fb)
    assert str(fb).startswith("Incorrect: a < b")
    html = fb._repr_html_()
    assert html == feedback_html(fb)
    assert "a &lt; b" in html and "<code>q1.hint()</code>" in html
    assert html.count("<p style") == 2
    assert "<pre" in html and "x = 1 &lt; 2" in html


def test_feedback_knows_its_statuses():
    with pytest.raises(ValueError, match="status"):
        Feedback("Maybe", "?")


def test_the_placeholder_is_one_object_that_prints_as_a_blank():
    import copy
    import pickle

    assert Placeholder() is ____
    assert repr(____) == "____"
    assert copy.deepcopy(____) is ____ and pickle.loads(pickle.dumps(____)) is ____


def test_an_object_whose_repr_fails_still_gets_a_message():
    class Odd:
        def __repr__(self):
            raise RuntimeError("no")

    _incorrect(fq.q3.check("b", Odd()), "grad_of_cost")


def test_a_question_refuses_a_choice_without_feedback_for_every_wrong_option():
    from lossviz.exercises import Choice, Question

    with pytest.raises(ValueError, match="feedback"):
        Question(
            "q9",
            "t",
            "?",
            [Choice("c", {"a": "x", "b": "y"}, "a", {})],
            solution="c = 'a'",
            explanation=".",
            hints=["."],
        )
    with pytest.raises(ValueError, match="hint"):
        Question(
            "q9",
            "t",
            "?",
            [Choice("c", {"a": "x", "b": "y"}, "a", {"b": "no"})],
            solution="c = 'a'",
            explanation=".",
            hints=[],
        )


@pytest.mark.parametrize(
    "module", ["_feedback", "_view", "_answers", "_core", *SHEETS], ids=lambda m: m.lstrip("_")
)
def test_doctests(module):
    mod = importlib.import_module(f"lossviz.exercises.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
