"""Exercises of lesson 06, *The post's five questions* ("Test Your Understanding"), declared.

* ``q1`` -- updates per second and per epoch; which reduces the cost faster (a race decides);
* ``q2`` -- online learning on the post's samples 1 and 2 in both orders, the order gap's exponent, and why;
* ``q3`` -- the gradient of the cost from the per-sample gradients, and what the proof uses;
* ``q4`` -- the mini-batch gradient's squared error for each batch size, and the trade-off;
* ``q5`` -- what the L2 penalty adds to the gradient, and one sample's gradient.

Every expected answer is computed by :mod:`lossviz` (the model, the optimisers and
:mod:`lossviz.topics.batch_size`) from the question's givens, the first time it is needed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..data import anchor_features, make_churn
from ..model import gradient, per_sample_gradients
from ..optim.noise import minibatch_gradient_variance
from ..optim.sgd import online_pass
from ..topics.batch_size import (
    cost_reduction_target,
    loglog_slope,
    order_effect,
    simulate_wall_clock,
    updates_per_epoch,
)
from ._answers import Choice, Mistake, Number, Values, Vector, close
from ._core import Question, Relation, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3", "q4", "q5"]

LESSON = "06_the_posts_five_questions.ipynb"


# --------------------------------------------------------------------------- question 1

_Q1: dict[str, Any] = {
    "m": 1000,
    "batch_size": 32,
    "seconds_full": 5.0,
    "seconds_mini": 0.02,
    # the race that decides `faster` (the worked answer uses these too)
    "lr": 1.0,
    "budget": 600.0,
    "fraction": 0.9,
}


def race(v: Values | dict) -> tuple:
    """The two runs of question 1 on ``make_churn()`` and the target cost: ``(full, mini, target)``."""
    x, y = make_churn()
    common = {"seconds": v["budget"], "lr": v["lr"]}
    full = simulate_wall_clock(x, y, batch_size=v["m"], seconds_per_step=v["seconds_full"], **common)
    mini = simulate_wall_clock(x, y, batch_size=v["batch_size"], seconds_per_step=v["seconds_mini"], **common)
    return full, mini, cost_reduction_target(x, y, v["fraction"])


_Q1["race"] = lambda: race(_Q1)  # q1.race(): the worked answer's race


def _q1_values(v: Values) -> dict:
    full, mini, target = race(v)
    t_full, t_mini = full.time_to_cost(target), mini.time_to_cost(target)
    return {
        "full_ups": 1.0 / v.seconds_full,
        "mini_ups": 1.0 / v.seconds_mini,
        "per_epoch": updates_per_epoch(v.m, v.batch_size),
        "faster": "mini-batch" if t_mini < t_full else "full-batch",
        "time_full": t_full,
        "time_mini": t_mini,
        "ratio": v.seconds_full / v.seconds_mini,
    }


def _rate_mistakes(seconds: str, batch: str) -> list[Mistake]:
    mistakes = [
        Mistake(seconds, "is the seconds per update; the question asks for updates per second."),
        Mistake(
            lambda v: v[batch] / v[seconds],
            "counts samples per second; the question asks for updates.",
        ),
    ]
    if batch != "m":  # for full batch an epoch is one update: epochs per second is the right answer
        mistakes.append(
            Mistake(
                lambda v: 1.0 / (v[seconds] * updates_per_epoch(v.m, v[batch])),
                "counts epochs per second, not updates.",
            )
        )
    return mistakes


q1 = Question(
    "q1",
    "Updates per second",
    "> A dataset has 1,000 samples. You run full-batch gradient descent (batch size = 1,000) and also "
    "mini-batch SGD with batch size = 32. Full-batch takes 5 seconds per step; mini-batch takes 0.02 seconds "
    "per step. How many weight updates per second does each approach give? Which is faster for reducing the "
    "cost by a fixed amount, assuming the noisy mini-batch gradient points in approximately the right "
    "direction?\n"
    "\n"
    "**Your answer:** the updates per second of each, the number of updates mini-batch SGD makes in one "
    'epoch (one pass over the 1,000 samples), and which is faster: `"full-batch"` or `"mini-batch"`.',
    [
        Number(
            "full_batch_updates_per_second",
            "full_ups",
            rtol=1e-3,
            mistakes=_rate_mistakes("seconds_full", "m"),
        ),
        Number(
            "minibatch_updates_per_second",
            "mini_ups",
            rtol=1e-3,
            mistakes=_rate_mistakes("seconds_mini", "batch_size"),
        ),
        Number(
            "minibatch_updates_per_epoch",
            "per_epoch",
            integer=True,
            what="a whole number: each batch is one update",
            mistakes=[
                Mistake(
                    lambda v: v.m // v.batch_size,
                    "is one short: 1000 is not a multiple of 32, and the last, smaller batch is an update "
                    "too.",
                ),
                Mistake(1, "is full batch's: one update per epoch is full-batch gradient descent."),
            ],
            fmt="d",
        ),
        Choice(
            "faster",
            {"full-batch": "full-batch gradient descent", "mini-batch": "mini-batch SGD"},
            lambda v: v.faster,
            {
                "full-batch": "Compare the time each needs to reduce the cost by the same amount, not the "
                "work per update.",
                "mini-batch": "Compare the time each needs to reduce the cost by the same amount, not the "
                "work per update.",
            },
            aliases={
                "full-batch": (
                    "full",
                    "fullbatchgd",
                    "fullbatchgradientdescent",
                    "gd",
                    "gradientdescent",
                    "batch",
                ),
                "mini-batch": ("mini", "minibatchsgd", "sgd", "minibatchgd"),
            },
        ),
    ],
    solution="""\
full_batch_updates_per_second = 1 / q1.seconds_full
minibatch_updates_per_second = 1 / q1.seconds_mini
minibatch_updates_per_epoch = math.ceil(q1.m / q1.batch_size)   # 31 batches of 32 and one of 8
faster = "mini-batch\"""",
    explanation=(
        "Updates per second is 1 / (seconds per update), whatever the batch size. Per epoch, full batch "
        "makes one update; mini-batch makes ⌈1000/32⌉, the last batch smaller. When a noisy step makes about "
        "the progress of a full one, more steps per second win: in a race on the course's data under "
        "simulated time, mini-batch SGD went 90 % of the way to the minimum's cost hundreds of times sooner."
    ),
    hints=[
        "One update takes a fixed time, so updates per second is one over the seconds per update -- whatever "
        "the batch size. An epoch is one pass over all m samples: how many batches of 32 does it take to "
        "cover 1,000 samples?",
        "For `faster`, compare the time each needs for the same progress. If the noisy step makes about as "
        "much progress as the full step (the question's assumption), the one that makes more updates per "
        "second wins.",
    ],
    givens=_Q1,
    compute=_q1_values,
    praise=(
        "mini-batch SGD makes {ratio:.0f} times as many updates per second, {per_epoch} per epoch to full "
        "batch's one. In the race on the course's data it reached the target in {time_mini:.3g} s, full "
        "batch in {time_full:.3g} s."
    ),
)


# --------------------------------------------------------------------------- question 2

_Q2: dict[str, Any] = {
    "params0": (1.0, 0.0),
    "lr": 1.0,
    "lrs": tuple(float(v) for v in np.logspace(-3, -1, 9)),
    "samples": (0, 1),  # the post's samples 1 and 2, as indices
}


def _q2_data(v: Values | dict) -> tuple[np.ndarray, np.ndarray]:
    x, y = anchor_features(v["params0"])
    idx = list(v["samples"])
    return x[idx], y[idx]


_Q2["data"] = lambda: _q2_data(_Q2)  # q2.data(): the post's samples 1 and 2, with features


def _q2_values(v: Values) -> dict:
    x, y = _q2_data(v)
    g = per_sample_gradients(v.params0, x, y)
    p0 = np.asarray(v.params0, dtype=float)
    a = online_pass(v.params0, x, y, lr=v.lr)[-1]
    b = online_pass(v.params0, x[::-1], y[::-1], lr=v.lr)[-1]
    return {
        "params_1_then_2": a,
        "params_2_then_1": b,
        "slope": loglog_slope(v.lrs, order_effect(v.params0, x, y, v.lrs))[0],
        "full_batch_step": p0 - v.lr * g.mean(axis=0),
        "both_at_start": p0 - v.lr * g.sum(axis=0),
        "after_1": p0 - v.lr * g[0],
        "after_2": p0 - v.lr * g[1],
        "gap": float(np.linalg.norm(a - b)),
    }


_COMMON = [
    Mistake(
        "full_batch_step",
        "is one full-batch step (the mean of both gradients at the start), not two online updates.",
    ),
    Mistake(
        "both_at_start",
        "uses both gradients at the starting weights. Online learning takes the second gradient at the "
        "weights the first update produced.",
    ),
    Mistake("after_1", "is the weights after sample 1 only; then update with sample 2."),
    Mistake("after_2", "is the weights after sample 2 only; then update with sample 1."),
]

_Q2_TOL = (1e-6, 1e-9)


def _swapped(got: dict, v: Values) -> bool:
    return close(got["params_1_then_2"], v.params_2_then_1, *_Q2_TOL) and close(
        got["params_2_then_1"], v.params_1_then_2, *_Q2_TOL
    )


def _same(got: dict, v: Values) -> bool:
    return close(got["params_1_then_2"], got["params_2_then_1"], *_Q2_TOL)


def _same_message(got: dict, v: Values) -> str:
    known = [
        m.message
        for m in _COMMON
        if close(got["params_1_then_2"], v[m.value], *_Q2_TOL) and isinstance(m.message, str)
    ]
    return (
        "your two orders end at the same (w, b)"
        + (f", and it {known[0]}" if known else ".")
        + " In online learning the orders differ: the second update's gradient is taken at the weights the "
        "first update produced."
    )


def _vector_12(name: str, key: str) -> Vector:
    shapes = {
        (n, 2): "that looks like a whole trajectory -- take its last row, `trajectory[-1]`."
        for n in range(2, 6)
    }
    return Vector(
        name,
        key,
        labels=("w", "b"),
        what="the final (w, b), 2 numbers",
        rtol=_Q2_TOL[0],
        atol=_Q2_TOL[1],
        mistakes=_COMMON,
        shapes=shapes,
        fmt=".4f",
    )


q2 = Question(
    "q2",
    "Online learning in two orders",
    "> In the anchor example, Sample 1 has loss $L_1 = 0.779$ and Sample 2 has loss $L_2 = 0.195$. During "
    "full-batch gradient descent, both contribute equally to the weight update. During online learning "
    "(batch size = 1), if Sample 1 arrives first, what happens to the weights relative to processing Sample "
    "2 first?\n"
    "\n"
    "**The samples.** The post gives each sample's prediction $\\hat y$ and label, not its inputs, so it "
    "cannot be trained on as it stands. We give each sample a feature: with the course's model $\\hat y = "
    "\\sigma(w x + b)$ at the starting point $\\theta_0 = (w, b) = (1, 0)$, sample $i$ gets the $x_i$ for "
    "which the model predicts exactly the post's $\\hat y_i$, that is $x_i = \\operatorname{logit}(\\hat "
    "y_i)$ (`lv.anchor_features`). At $\\theta_0$ samples 1 and 2 then have the post's losses.\n"
    "\n"
    "**Your answer:** with learning rate $\\eta$ = `q2.lr` (= 1) and one update per sample from "
    "`q2.params0`, the final $(w, b)$ after sample 1 then sample 2 (`params_1_then_2`) and after sample 2 "
    "then sample 1 (`params_2_then_1`); the `slope` of $\\log_{10}\\lVert\\text{gap}\\rVert$ against "
    "$\\log_{10}\\eta$, where the gap is the distance between the two final $(w, b)$, fitted over the "
    "learning rates in `q2.lrs` ($10^{-3}$ to $10^{-1}$); and `why_orders_differ`, one of `'a'`, `'b'`, "
    "`'c'`, `'d'`.",
    [
        _vector_12("params_1_then_2", "params_1_then_2"),
        _vector_12("params_2_then_1", "params_2_then_1"),
        Number(
            "slope",
            "slope",
            rtol=0.0,
            atol=0.05,
            mistakes=[
                Mistake(
                    1.0,
                    "is too small: about 1 means the gap grows like η, but the two orders agree to first "
                    "order in η. Fit over small η (`q2.lrs`), on log-log axes.",
                )
            ],
            fmt=".3f",
        ),
        Choice(
            "why_orders_differ",
            {
                "a": "The second sample's gradient is taken at the weights the first update produced, so "
                "each order evaluates a different gradient second.",
                "b": "Sample 1 has the larger loss, so it has to come first for the weights to be right.",
                "c": "Floating-point rounding differs between the two orders.",
                "d": "Online learning weights each sample by 1 instead of 1/m.",
            },
            "a",
            {
                "b": "Neither order is 'right': both are valid passes, and the sample seen last has the last "
                "word. What differs is where each gradient is evaluated.",
                "c": "The gap at η = 1 is far beyond rounding, and it shrinks as η shrinks -- rounding "
                "errors do not.",
                "d": "That scales each step the same way in both orders; they would still agree if both "
                "gradients were taken at the same weights.",
            },
        ),
    ],
    relations=[
        Relation(
            ("params_1_then_2", "params_2_then_1"),
            _swapped,
            "`params_1_then_2` and `params_2_then_1` are swapped: `params_1_then_2` is where you end after "
            "sample 1, then sample 2.",
            lambda right, v: {
                "params_1_then_2": right["params_2_then_1"],
                "params_2_then_1": right["params_1_then_2"],
            },
        ),
        Relation(
            ("params_1_then_2", "params_2_then_1"),
            _same,
            _same_message,
            lambda right, v: {"params_1_then_2": v.full_batch_step, "params_2_then_1": v.full_batch_step},
        ),
    ],
    preamble="x2, y2 = q2.data()   # the post's samples 1 and 2, with their features (lv.anchor_features)",
    solution="""\
params_1_then_2 = lv.optim.online_pass(q2.params0, x2, y2, lr=q2.lr)[-1]
params_2_then_1 = lv.optim.online_pass(q2.params0, x2[::-1], y2[::-1], lr=q2.lr)[-1]
slope = lv.batch_size.loglog_slope(q2.lrs, lv.batch_size.order_effect(q2.params0, x2, y2, q2.lrs))[0]
why_orders_differ = "a\"""",
    explanation=(
        "The weights end in different places. Whichever sample comes second is seen at weights the first has "
        "already moved, and has the last word. Expanding two steps θ₁ = θ₀ − η∇L₁(θ₀), θ₂ = θ₁ − η∇L₂(θ₁) to "
        "second order, the first-order terms are the same in both orders and the gap is η²·(H₂∇L₁ − H₁∇L₂) + "
        "O(η³): it shrinks like η². Full-batch gradient descent has no order: it averages both gradients at "
        "the same weights."
    ),
    hints=[
        "Online learning updates after every sample: start at `q2.params0`, update with sample 1's gradient, "
        "then with sample 2's gradient *at the new weights* (`lv.optim.online_pass` does this in the order "
        "of the arrays you pass). Then the other order.",
        "For the slope, compute the gap between the two orders' final (w, b) for each learning rate in "
        "`q2.lrs` (`lv.batch_size.order_effect`), and fit a line to log(gap) against log(η) "
        "(`lv.batch_size.loglog_slope`). The first-order terms of the two orders are equal.",
    ],
    givens=_Q2,
    compute=_q2_values,
    praise=(
        "the orders end {gap:.3g} apart at η = 1, and the gap grows like η to the power {slope:.2f}: order "
        "matters in online learning, at second order in the learning rate."
    ),
)


# --------------------------------------------------------------------------- question 3


def _q3_values(v: Values) -> dict:
    x, y = make_churn()
    return {"grad_of_cost": gradient(v.params, x, y), "m": x.size}


q3 = Question(
    "q3",
    "The gradient of the cost",
    "> The cost function $J = (1/m) \\sum L$ is differentiable with respect to the weights $W$. The "
    "individual loss $L^{(i)}$ is also differentiable. Show that $\\partial J/\\partial W = (1/m) \\sum_i "
    "\\partial L^{(i)}/\\partial W$ — that is, the gradient of the cost is the average of the gradients of "
    "the individual losses.\n"
    "\n"
    "**Your answer:** `why_mean`, the property of differentiation the proof rests on (one of `'a'`, `'b'`, "
    "`'c'`, `'d'`); and, to see it hold, the gradient of the cost, $(\\partial J/\\partial w, \\partial "
    "J/\\partial b)$, on the course's data at $(w, b)$ = `q3.params`, computed from the per-sample gradients "
    "(`lv.per_sample_gradients`) as `grad_of_cost`.",
    [
        Choice(
            "why_mean",
            {
                "a": "The chain rule.",
                "b": "Linearity: the derivative of a sum is the sum of the derivatives, and a constant "
                "factor such as 1/m comes out.",
                "c": "The convexity of the loss.",
                "d": "The samples being independent draws.",
            },
            "b",
            {
                "a": "The chain rule gives each ∂L⁽ⁱ⁾/∂W (through ŷ and z); going from J to the L⁽ⁱ⁾ needs "
                "another property.",
                "c": "Nothing about the loss's shape is used: the identity holds for any differentiable "
                "losses, convex or not -- a network's, for one.",
                "d": "No probability is involved: the identity holds for any fixed, finite data set.",
            },
        ),
        Vector(
            "grad_of_cost",
            "grad_of_cost",
            labels=("∂J/∂w", "∂J/∂b"),
            what="(∂J/∂w, ∂J/∂b), 2 numbers",
            rtol=1e-6,
            atol=1e-12,
            mistakes=[
                Mistake(
                    lambda v: v.m * v.grad_of_cost,
                    "is {m} times too large: that is the sum of the per-sample gradients. J has a 1/m in "
                    "front, and so does its gradient.",
                ),
                Mistake(
                    lambda v: v.grad_of_cost / v.m, "is {m} times too small: divide by m once, not twice."
                ),
                Mistake(
                    lambda v: -v.grad_of_cost,
                    "has the wrong sign: that is the descent direction −∇J, not the gradient.",
                ),
                Mistake(
                    lambda v: v.grad_of_cost[::-1], "has its components in the wrong order: (∂J/∂w, ∂J/∂b)."
                ),
            ],
            shapes=lambda v: {
                (
                    v.m,
                    2,
                ): "one gradient per sample. The cost's gradient is a single (∂J/∂w, ∂J/∂b) made from these "
                "rows."
            },
            fmt=".6f",
        ),
    ],
    solution="""\
why_mean = "b"
grad_of_cost = lv.per_sample_gradients(q3.params, x, y).mean(axis=0)""",
    explanation=(
        "∂J/∂W = ∂/∂W [(1/m) Σᵢ L⁽ⁱ⁾] = (1/m) Σᵢ ∂L⁽ⁱ⁾/∂W: differentiation is linear, so it passes through "
        "the constant 1/m and through the finite sum. Numerically: average the per-sample gradients over the "
        "samples (`lv.gradient` and the finite differences of `lv.numerical_gradient` agree)."
    ),
    hints=[
        "`lv.per_sample_gradients(params, x, y)` has one row per sample, ∂L⁽ⁱ⁾/∂(w, b). What does J = (1/m) "
        "Σ L⁽ⁱ⁾ make of them?",
        "The derivative of a sum is the sum of the derivatives, and the constant 1/m comes out of the "
        "derivative. Average the rows: axis 0.",
    ],
    givens={"params": (1.0, -1.0)},
    compute=_q3_values,
    praise="differentiation is linear, so the gradient of the cost is the mean of the per-sample gradients.",
)


# --------------------------------------------------------------------------- question 4


def _q4_values(v: Values) -> dict:
    x, y = make_churn()
    ks = np.asarray(v.batch_sizes, dtype=float)
    want = np.array([minibatch_gradient_variance(v.params, x, y, k) for k in v.batch_sizes])
    tr = float(per_sample_gradients(v.params, x, y).var(axis=0).sum())
    m = x.size
    return {
        "variances": want,
        "tr_sigma": tr,
        "m": m,
        "with_replacement": tr / ks,
        "no_averaging": tr * (m - ks) / (m - 1),
        "std": np.sqrt(want),
    }


q4 = Question(
    "q4",
    "Batch size and smoothness",
    "> A practitioner uses batch size = 1 and observes that the training loss oscillates wildly rather than "
    "decreasing monotonically. They switch to batch size = 32 and observe smoother but still noisy "
    "convergence. At batch size = 1000 (full batch), the loss decreases smoothly. Why does larger batch size "
    "produce smoother loss trajectories, and what is the theoretical trade-off?\n"
    "\n"
    "**Your answer:** `variances`, how far a mini-batch gradient strays from the full gradient, "
    "$\\mathbb{E}\\lVert \\hat g_B - g\\rVert^2$, for each batch size $B$ in `q4.batch_sizes`, on the "
    "course's data at $(w, b)$ = `q4.params` -- exactly, from the per-sample gradients (the answer cell's "
    "set-up line gives them), not by sampling batches: work out how it depends on $B$ for batches of $B$ "
    "distinct samples out of $m$ (the hints help). And `tradeoff`, one of `'a'`, `'b'`, `'c'`, `'d'`: the "
    "theoretical trade-off.",
    [
        Vector(
            "variances",
            "variances",
            labels=lambda v: [f"value at B = {b}" for b in v.batch_sizes],
            what="6 numbers, one per batch size in q4.batch_sizes (1, 8, 32, 128, 512, 1000)",
            rtol=1e-2,
            atol=1e-9,
            mistakes=[
                Mistake(
                    "with_replacement",
                    "shrinks like 1/B but is not zero for the full batch: batches are drawn without "
                    "replacement from m samples, which multiplies by (m − B)/(m − 1).",
                ),
                Mistake(
                    "no_averaging",
                    "does not shrink like 1/B: averaging B independent-ish gradients divides their variance "
                    "by B.",
                ),
                Mistake(
                    "std",
                    "looks like a standard deviation (a square root); the question asks for the variance.",
                ),
            ],
            near=(
                0.15,
                "If you measured by sampling batches, that is an estimate with a few percent of noise: the "
                "check wants the exact values.",
            ),
            fmt=".4g",
        ),
        Choice(
            "tradeoff",
            {
                "a": "A batch of B costs B gradient evaluations, but its gradient's variance falls only like "
                "1/B (the typical error like 1/√B): past some size, more compute per update buys little.",
                "b": "Larger batches are biased toward sharp minima, so their loss is smoother but wrong.",
                "c": "Larger batches always reach a given cost with fewer examples.",
                "d": "The variance falls like 1/B², so doubling the batch quarters the noise.",
            },
            "a",
            {
                "b": "A mini-batch gradient is unbiased at every B; the smoothness comes from its smaller "
                "variance. What minima the noise favours is lesson 10's question.",
                "c": "Per example seen, small batches won in lesson 04; larger batches need fewer *updates*, "
                "not fewer examples.",
                "d": "Averaging B samples divides a variance by B, not B²: doubling the batch halves it.",
            },
        ),
    ],
    preamble="""\
G = lv.per_sample_gradients(q4.params, x, y)       # (m, 2): one gradient per sample
m = x.size""",
    solution="""\
variances = [G.var(axis=0).sum() / B * (m - B) / (m - 1) for B in q4.batch_sizes]
tradeoff = "a\"""",
    explanation=(
        "A mini-batch gradient is the mean of B per-sample gradients drawn without replacement, so its "
        "squared error about the full gradient is tr(Σ)/B · (m − B)/(m − 1). Each update's direction is off "
        "by about the square root of this, so small batches zig-zag and the cost jumps; the full batch does "
        "not. The trade-off: an update costs B gradient evaluations while its noise falls only like 1/B."
    ),
    hints=[
        "The variance here is E‖ĝ_B − g‖², the mean squared distance between a batch's gradient and the full "
        "gradient. For B = 1 it is tr(Σ), the summed variance of the per-sample gradients "
        "(`G.var(axis=0).sum()`, dividing by m).",
        "Averaging B samples divides the variance by B; drawing them without replacement from only m "
        "multiplies it by (m − B)/(m − 1), so a full batch (B = m) has none.",
    ],
    givens={"params": (0.0, 0.0), "batch_sizes": (1, 8, 32, 128, 512, 1000)},
    compute=_q4_values,
    praise=(
        "the squared error falls from {variances[0]:.3g} at B = 1 to {variances[4]:.3g} at B = 512 and to 0 "
        "at B = 1000: the larger the batch, the closer each step to the true gradient -- at B times the "
        "compute."
    ),
)


# --------------------------------------------------------------------------- question 5


def _q5_values(v: Values) -> dict:
    x, y = make_churn()
    i = v.sample
    return {
        "penalty_gradient": gradient(v.params, x, y, v.lam) - gradient(v.params, x, y),
        "sample_gradient": per_sample_gradients(v.params, x[i : i + 1], y[i : i + 1])[0],
        "cost_gradient": gradient(v.params, x, y),
        "next_sample_gradient": per_sample_gradients(v.params, x[i + 1 : i + 2], y[i + 1 : i + 2])[0],
        "m": x.size,
    }


q5 = Question(
    "q5",
    "The gradient of the L2 penalty",
    "> The objective function in L2 regularization is $J_{reg} = J + \\lambda/2 \\times \\sum w^2$. This is "
    "the cost function plus a penalty term. When computing the gradient $\\partial J_{reg}/\\partial w_j$, "
    "what does the regularization term contribute? How does this differ from computing $\\partial "
    "L^{(i)}/\\partial w_j$ for a single sample?\n"
    "\n"
    "**Your answer:** on the course's data at $(w, b)$ = `q5.params` with $\\lambda$ = `q5.lam`: the "
    "penalty's contribution to the gradient, $(\\partial/\\partial w, \\partial/\\partial b)$ of $\\lambda/2 "
    "\\cdot w^2$ (`penalty_gradient`); and the gradient of the first sample's loss, $(\\partial "
    "L^{(1)}/\\partial w, \\partial L^{(1)}/\\partial b)$ (`sample_gradient`, sample index `q5.sample` = 0). "
    "The bias is not penalised.",
    [
        Vector(
            "penalty_gradient",
            "penalty_gradient",
            labels=("∂/∂w", "∂/∂b"),
            what="(∂/∂w, ∂/∂b) of the penalty, 2 numbers",
            rtol=1e-6,
            atol=1e-12,
            scalar="should be (∂/∂w, ∂/∂b) of the penalty -- one number per parameter, w and b -- not a "
            "single number.",
            mistakes=[
                Mistake(
                    lambda v: -v.penalty_gradient,
                    "has the wrong sign. The penalty grows as |w| grows, so its gradient points the way w "
                    "does; the update −η·λw then shrinks w toward 0 (weight decay).",
                ),
                Mistake(
                    lambda v: v.penalty_gradient / 2,
                    "is half of what it should be: the derivative of w² is 2w, and that 2 cancels the 1/2.",
                ),
                Mistake(
                    lambda v: np.array([v.lam / 2 * v.params[0] ** 2, 0.0]),
                    "is the penalty's value, not its derivative.",
                ),
                Mistake(
                    lambda v: v.lam * np.asarray(v.params, dtype=float),
                    "penalises the bias: b is not in Σ w², so its component is 0.",
                ),
                Mistake(
                    lambda v: v.m * v.penalty_gradient,
                    "is {m} times too large: the penalty is added once per update, not once per sample.",
                ),
                Mistake(
                    lambda v: v.penalty_gradient / v.m,
                    "is {m} times too small: the penalty is not averaged over the samples; it is added once, "
                    "whole.",
                ),
            ],
            fmt=".4g",
        ),
        Vector(
            "sample_gradient",
            "sample_gradient",
            labels=("∂L/∂w", "∂L/∂b"),
            what="(∂L/∂w, ∂L/∂b) of one sample, 2 numbers",
            rtol=1e-6,
            atol=1e-12,
            mistakes=[
                Mistake(
                    lambda v: v.sample_gradient + v.penalty_gradient,
                    "includes the penalty's λ·w. One sample's loss has no λ in it: the penalty belongs to "
                    "the objective, not to a sample.",
                ),
                Mistake(
                    "cost_gradient",
                    "is the cost's gradient (the mean over all samples); the question asks for one sample's.",
                ),
                Mistake(
                    lambda v: v.cost_gradient + v.penalty_gradient,
                    "is the objective's gradient (all samples, with the penalty); the question asks for one "
                    "sample's.",
                ),
                Mistake(
                    "next_sample_gradient",
                    lambda v: f"is the gradient of sample {v.sample + 1}; use index {v.sample}.",
                ),
                Mistake(lambda v: -v.sample_gradient, "has the wrong sign."),
            ],
            fmt=".6f",
        ),
    ],
    solution="""\
penalty_gradient = np.array([q5.lam * q5.params[0], 0.0])
sample_gradient = lv.per_sample_gradients(q5.params, x[:1], y[:1])[0]""",
    explanation=(
        "∂/∂wⱼ [λ/2 · Σₖ wₖ²] = λ·wⱼ: the penalty pulls each weight toward 0 in proportion to its size "
        "(weight decay: w ← (1 − ηλ)·w − η·∂J/∂w). It does not depend on any sample and is added once per "
        "update, whatever the batch size. ∂L⁽ⁱ⁾/∂wⱼ = (ŷᵢ − yᵢ)·xᵢⱼ depends on sample i alone and has no λ."
    ),
    hints=[
        "Differentiate λ/2 · Σⱼ wⱼ² with respect to one weight wⱼ: only the j-th term depends on it. The "
        "bias b is not in the penalty.",
        "One sample's loss L⁽ⁱ⁾ is the cross-entropy of that sample alone; the penalty belongs to the "
        "objective J_reg, not to any sample. `lv.per_sample_gradients(params, x[i:i+1], y[i:i+1])[0]` is its "
        "gradient.",
    ],
    givens={"params": (2.5, -3.0), "lam": 0.1, "sample": 0},
    compute=_q5_values,
    praise=(
        "the penalty adds λ·w to ∂/∂w (and nothing to ∂/∂b), whatever the data; one sample's gradient "
        "depends on that sample and has no λ in it."
    ),
)


SETUP = """\
import math

import matplotlib.pyplot as plt
import numpy as np

import lossviz as lv
from lossviz.exercises.five_questions import ____, q1, q2, q3, q4, q5

x, y = lv.make_churn()          # m = 1000 samples, seed 0
print(f"m = {x.size} samples, {y.mean():.1%} churned")"""

SHEET = Sheet(
    LESSON,
    SETUP,
    (q1, q2, q3, q4, q5),
    heading="",
    question_heading="## Question {number} · {title}",
    module="five_questions",
)
