"""Tests of lossviz.exercises: every check passes the right answer, explains a wrong one,
reads the placeholder as not attempted, and never raises on a wrong type or shape.

The right answers here are computed independently of the exercise objects (by hand from
the question's givens, or by a different route through the model), so a check that
computes its expected answer wrongly fails these tests.
"""

import math

import numpy as np
import pytest

import lossviz as lv
from lossviz.exercises import Feedback, ____, q1, q2, q3, q4, q5

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


# ------------------------------------------------------------------ right answers, by hand


def right_q1():
    return 1 / 5.0, 1 / 0.02, math.ceil(1000 / 32), "mini-batch"


def _two_online_steps(first, second, lr):
    p = np.array(q2.params0, dtype=float)
    x, y = lv.anchor_features(q2.params0)
    for i in (first, second):
        z = p[0] * x[i] + p[1]
        d = 1 / (1 + np.exp(-z)) - y[i]  # ∂L/∂z for binary cross-entropy
        p = p - lr * d * np.array([x[i], 1.0])
    return p


def right_q2():
    gaps = [np.linalg.norm(_two_online_steps(0, 1, eta) - _two_online_steps(1, 0, eta)) for eta in q2.lrs]
    slope = np.polyfit(np.log(q2.lrs), np.log(gaps), 1)[0]
    return _two_online_steps(0, 1, q2.lr), _two_online_steps(1, 0, q2.lr), slope


def right_q3():
    return lv.numerical_gradient(q3.params, X, Y)


def right_q4():
    g = lv.per_sample_gradients(q4.params, X, Y)
    tr_sigma = np.sum((g - g.mean(axis=0)) ** 2) / M
    return [tr_sigma / k * (M - k) / (M - 1) for k in q4.batch_sizes]


def right_q5():
    w, _b = q5.params
    i = q5.sample
    p_hat = lv.predict(q5.params, X[i : i + 1])[0]
    return np.array([q5.lam * w, 0.0]), (p_hat - Y[i]) * np.array([X[i], 1.0])


RIGHT = {q1: right_q1, q2: right_q2, q3: lambda: (right_q3(),), q4: lambda: (right_q4(),), q5: right_q5}


@pytest.mark.parametrize("q", [q1, q2, q3, q4, q5], ids=lambda q: f"q{q.number}")
def test_the_right_answer_is_correct(q):
    _correct(q.check(*RIGHT[q]()))


@pytest.mark.parametrize("q", [q1, q2, q3, q4, q5], ids=lambda q: f"q{q.number}")
def test_answers_by_name_and_as_plain_lists_are_correct_too(q):
    answers = [a.tolist() if isinstance(a, np.ndarray) else a for a in RIGHT[q]()]
    _correct(q.check(**dict(zip(q.answers, answers))))


@pytest.mark.parametrize("q", [q1, q2, q3, q4, q5], ids=lambda q: f"q{q.number}")
def test_the_placeholder_is_not_attempted(q):
    assert q.check().status == "Not attempted"
    fb = q.check(*[____] * len(q.answers))
    assert fb.status == "Not attempted"
    assert "____" in fb.message


@pytest.mark.parametrize("q", [q1, q2, q5], ids=lambda q: f"q{q.number}")
def test_a_partly_filled_answer_is_not_attempted_and_names_the_blanks(q):
    answers = list(RIGHT[q]())
    answers[-1] = ____
    fb = q.check(*answers)
    assert fb.status == "Not attempted"
    assert q.answers[-1] in fb.message
    assert q.answers[0] not in fb.message


ODD_VALUES = [
    None,
    "0.2",
    b"1",
    [],
    [[]],
    {},
    set(),
    object(),
    np.array([]),
    float("nan"),
    math.inf,
    1j,
    True,
    [1, "a"],
    [1, [2, 3]],
    np.ones((3, 3)),
    lambda: 1,
    Feedback,
]


@pytest.mark.parametrize("q", [q1, q2, q3, q4, q5], ids=lambda q: f"q{q.number}")
@pytest.mark.parametrize("odd", ODD_VALUES, ids=lambda v: type(v).__name__)
def test_a_wrong_type_or_shape_gets_a_message_not_a_traceback(q, odd):
    for slot in range(len(q.answers)):
        answers = list(RIGHT[q]())
        answers[slot] = odd
        fb = q.check(*answers)
        assert fb.status == "Incorrect", str(fb)
        assert q.answers[slot] in fb.message
        assert "should be" in fb.message or "got" in fb.message


def test_a_wrong_type_says_the_other_answers_wait_for_it():
    p, s = right_q5()
    fb = q5.check(float(p[0]), s)
    _incorrect(fb, "penalty_gradient", "checked once these are fixed")
    assert "checked once" not in q3.check("x").message  # nothing else to wait


def test_too_many_or_unknown_arguments_get_a_message():
    _incorrect(q1.check(*right_q1(), 5), "takes the answers")
    _incorrect(q3.check(right_q3(), grad=1), "takes the answers")


def test_a_value_inside_the_tolerance_passes_and_one_outside_says_so():
    g = right_q3()
    _correct(q3.check(g * (1 + 1e-8)))
    _incorrect(
        q3.check(g * np.array([1.0, 1.0 + 1e-4])),
        "∂J/∂b",
        "too large",
        "∂J/∂w is right",
        "within 1e-06 relative",
    )
    _incorrect(q3.check(g * np.array([1.0, 1.5])), "too large")


# ------------------------------------------------------------------ plausible wrong answers


def test_q1_wrong_answers_say_what_was_mixed_up():
    full, mini, n, faster = right_q1()
    _incorrect(q1.check(5.0, mini, n, faster), "full_batch_updates_per_second", "seconds per update")
    _incorrect(q1.check(full, 32 / 0.02, n, faster), "samples per second")
    _incorrect(q1.check(full, 1 / (0.02 * 32), n, faster), "epochs per second")
    _incorrect(q1.check(full, mini, 31, faster), "one short", "last, smaller batch")
    _incorrect(q1.check(full, mini, 1000 / 32, faster), "whole number")
    _incorrect(q1.check(full, mini, n, "full-batch"), "`faster`", "same amount")
    _incorrect(q1.check(full, mini, n, "the fast one"), "'full-batch' or 'mini-batch'")
    _incorrect(q1.check(full * 3, mini, n, faster), "full_batch_updates_per_second", "too large")


@pytest.mark.parametrize("spelling", ["mini-batch", "Mini batch", "minibatch", "SGD", "mini_batch"])
def test_q1_accepts_spellings_of_mini_batch(spelling):
    full, mini, n, _ = right_q1()
    _correct(q1.check(full, mini, float(n), spelling))


def test_q1_expected_faster_comes_from_the_race():
    full, mini, target = q1.race()
    assert mini.time_to_cost(target) < full.time_to_cost(target) < math.inf
    assert q1.expected["faster"] == "mini-batch"


def test_q2_wrong_answers_say_what_was_mixed_up():
    a, b, slope = right_q2()
    x, y = lv.anchor_features(q2.params0)
    g = lv.per_sample_gradients(q2.params0, x[:2], y[:2])
    p0 = np.array(q2.params0)
    _incorrect(q2.check(b, a, slope), "swapped")
    _incorrect(q2.check(a, a, slope), "same (w, b)")
    full_step = p0 - q2.lr * g.mean(axis=0)
    _incorrect(q2.check(full_step, full_step, slope), "same (w, b)", "full-batch step")
    _incorrect(q2.check(p0 - q2.lr * g.sum(axis=0), b, slope), "starting weights")
    _incorrect(q2.check(p0 - q2.lr * g[0], b, slope), "after sample 1 only")
    _incorrect(q2.check(a, b, 1.0), "`slope`", "first order")
    _incorrect(q2.check(a, b, 3.0), "`slope` is too large")
    path = lv.optim.online_pass(q2.params0, x[:2], y[:2], lr=q2.lr)
    _incorrect(q2.check(path, b, slope), "trajectory", "[-1]")


def test_q3_wrong_answers_say_what_was_mixed_up():
    g = right_q3()
    _incorrect(q3.check(M * g), f"{M} times too large", "1/m")
    _incorrect(q3.check(g / M), "divide by m once")
    _incorrect(q3.check(-g), "wrong sign")
    _incorrect(q3.check(g[::-1]), "wrong order")
    _incorrect(q3.check(lv.per_sample_gradients(q3.params, X, Y)), f"({M}, 2)", "one gradient per sample")
    _incorrect(q3.check(lv.gradient((0.0, 0.0), X, Y)), "grad_of_cost")


def test_q4_wrong_answers_say_what_was_mixed_up():
    v = np.array(right_q4())
    ks = np.array(q4.batch_sizes, dtype=float)
    tr_sigma = v[0]
    _incorrect(q4.check(tr_sigma / ks), "without replacement")
    _incorrect(q4.check(tr_sigma * (M - ks) / (M - 1)), "does not shrink like 1/k")
    _incorrect(q4.check(np.sqrt(v)), "standard deviation")
    measured = [
        lv.optim.measured_minibatch_variance(q4.params, X, Y, k, n_batches=1000) for k in q4.batch_sizes
    ]
    _incorrect(q4.check(measured), "sampling", "formula")
    _incorrect(q4.check(v[:3]), "6 numbers", "q4.batch_sizes")
    _correct(q4.check(v * M / (M - 1)))  # Σ divided by m - 1 instead of m: within the 1 % stated


def test_q5_wrong_answers_say_what_was_mixed_up():
    p, s = right_q5()
    w, b = q5.params
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
    # both wrong: both are explained
    fb = q5.check(-p, s + p)
    _incorrect(fb, "penalty_gradient", "sample_gradient")


# ------------------------------------------------------------------ hints, solutions, display


@pytest.mark.parametrize("q", [q1, q2, q3, q4, q5], ids=lambda q: f"q{q.number}")
def test_hints_and_solutions(q):
    first = q.hint()
    assert first.status == "Hint" and first.message
    assert f"q{q.number}.hint(2)" in first.message
    assert q.hint(len(q.hints)).message == q.hints[-1]
    for bad in (0, len(q.hints) + 1, "1", True, 1.5):
        assert "has hints" in q.hint(bad).message
    sol = q.solution()
    assert sol.status == "Solution" and sol.message and sol.code
    for name in q.answers:
        assert name in sol.code
    assert f"q{q.number}" in repr(q)


def test_solutions_show_the_computed_numbers():
    assert f"{q3.expected['grad_of_cost'][0]:.6f}" in q3.solution().code
    assert f"{q2.expected['slope']:.3f}" in q2.solution().code
    assert f"{q4.expected['variances'][1]:.4g}" in q4.solution().code
    assert "math.ceil(1000 / 32)" in q1.solution().code


def test_feedback_displays_as_text_and_escaped_html():
    fb = Feedback("Incorrect", "a < b, see `q1.hint()`\n\nsecond paragraph", code="x = 1 < 2")
    assert str(fb) == repr(fb)
    assert str(fb).startswith("Incorrect: a < b")
    html = fb._repr_html_()
    assert "a &lt; b" in html and "<code>q1.hint()</code>" in html
    assert html.count("<p style") == 2
    assert "<pre" in html and "x = 1 &lt; 2" in html


def test_feedback_knows_its_statuses():
    with pytest.raises(ValueError, match="status"):
        Feedback("Maybe", "?")


def test_an_object_whose_repr_fails_still_gets_a_message():
    class Odd:
        def __repr__(self):
            raise RuntimeError("no")

    _incorrect(q3.check(Odd()), "grad_of_cost", "unprintable")


def test_the_placeholder_is_one_object_that_prints_as_a_blank():
    from lossviz.exercises import Placeholder

    assert Placeholder() is ____
    assert repr(____) == "____"
