"""Exercises of lesson 02, *The gradient of the cost*: q1 a function, q2 a choice, q3 predict-then-check.

* ``q1`` -- write ``minibatch_gradient(params, x, y, batch, lam)``;
* ``q2`` -- why the mean of the per-sample gradients is so much shorter than each of them;
* ``q3`` -- from the squared error of 10-sample batches, predict that of 40-sample batches.
"""

from __future__ import annotations

import numpy as np

from ..data import make_churn
from ..model import gradient, per_sample_gradients, predict
from ..optim.noise import minibatch_gradient_variance
from ._answers import Case, Choice, Function, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "02_gradient_of_the_cost.ipynb"


# --------------------------------------------------------------------------- q1


def _q1_cases(v: Values) -> list[Case]:
    rng = np.random.default_rng(20260202)
    x = rng.uniform(0.05, 2.1, 50)
    y = rng.integers(0, 2, 50).astype(float)
    return [
        Case((np.array([0.7, -0.4]), x, y, rng.choice(50, 7, replace=False), 0.0), "a batch of 7, λ = 0"),
        Case((np.array([-1.2, 0.5]), x, y, np.array([13]), 0.3), "a batch of one sample, λ = 0.3"),
        Case((np.array([2.0, -2.5]), x, y, np.arange(50), 0.1), "the whole data set as one batch, λ = 0.1"),
        Case((np.array([3.0, -4.0]), x, y, rng.choice(50, 16, replace=False), 2.0), "a batch of 16, λ = 2"),
    ]


def _penalty(params: np.ndarray, lam: float) -> np.ndarray:
    return np.array([lam * params[0], 0.0])


def _batch_rows(params: np.ndarray, x: np.ndarray, y: np.ndarray, batch: np.ndarray) -> np.ndarray:
    return per_sample_gradients(params, x[batch], y[batch])


def _errors(params: np.ndarray, x: np.ndarray, y: np.ndarray, batch: np.ndarray) -> np.ndarray:
    return predict(params, x[batch]) - y[batch]


q1 = Question(
    "q1",
    "a mini-batch gradient",
    "Write `minibatch_gradient(params, x, y, batch, lam)`: the gradient with respect to $(w, b)$ that one "
    "mini-batch SGD update follows, for the model $\\hat y = \\sigma(w x + b)$ with the objective $J + "
    "\\frac{\\lambda}{2} w^2$. `params` is $(w, b)$, `x` and `y` the whole data set, `batch` an array of the "
    "batch's sample indices and `lam` is $\\lambda$. Write it from the formulas of this lesson, with numpy; "
    "the check tries it on data, batches and $\\lambda$ you have not seen.",
    [
        Function(
            "minibatch_gradient",
            "minibatch_gradient(params, x, y, batch, lam)",
            reference=lambda v: lambda params, x, y, batch, lam: gradient(params, x[batch], y[batch], lam),
            cases=_q1_cases,
            returns="(∂/∂w, ∂/∂b), 2 numbers",
            shape=(2,),
            labels=("∂/∂w", "∂/∂b"),
            wrong_shape="one gradient per sample; the update follows a single (∂/∂w, ∂/∂b), made from them.",
            rtol=1e-9,
            mistakes=[
                Mistake(
                    lambda params, x, y, batch, lam: (
                        _batch_rows(params, x, y, batch).sum(axis=0) + _penalty(params, lam)
                    ),
                    "sums the batch's per-sample gradients; a mini-batch gradient is their mean.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: (
                        _batch_rows(params, x, y, batch).sum(axis=0) / x.size + _penalty(params, lam)
                    ),
                    "divides by the size of the whole data set; a batch's mean divides by the batch's size.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: gradient(params, x[batch], y[batch]),
                    "leaves out the penalty: the objective's gradient has λ·w in its ∂/∂w.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: (
                        gradient(params, x[batch], y[batch]) + np.array([lam * params[0], lam * params[1]])
                    ),
                    "penalises the bias: the penalty is λ/2·w², so its gradient is (λ·w, 0).",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: (
                        gradient(params, x[batch], y[batch]) + _penalty(params, lam) * len(batch)
                    ),
                    "adds the penalty's gradient once per sample of the batch; it is added once per update.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: (
                        gradient(params, x[batch], y[batch]) + _penalty(params, lam) / 2
                    ),
                    "adds λ·w/2: the derivative of λ/2·w² is λ·w.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: gradient(params, x, y, lam),
                    "uses every sample of the data set, not just the batch's.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: (
                        -_batch_rows(params, x, y, batch).mean(axis=0) + _penalty(params, lam)
                    ),
                    "has the data's part with the wrong sign: ∂L/∂z = ŷ − y, not y − ŷ.",
                ),
                Mistake(
                    lambda params, x, y, batch, lam: (
                        np.full(2, _errors(params, x, y, batch).mean()) + _penalty(params, lam)
                    ),
                    "forgets the factor x in ∂L/∂w = (ŷ − y)·x.",
                ),
            ],
        )
    ],
    solution="""\
def minibatch_gradient(params, x, y, batch, lam):
    w, b = params
    xb, yb = x[batch], y[batch]
    error = 1 / (1 + np.exp(-(w * xb + b))) - yb          # ŷ − y, one per sample of the batch
    return np.array([np.mean(error * xb) + lam * w,      # the mean over the batch, plus the penalty's λ·w
                     np.mean(error)])                      # the bias is not penalised""",
    explanation=(
        "Each sample's gradient is (ŷᵢ − yᵢ)·(xᵢ, 1); the batch's gradient is their mean over the k samples "
        "of the batch -- an unbiased estimate of ∇J -- and the penalty's gradient (λ·w, 0) is added once. "
        "(`lv.gradient(params, x[batch], y[batch], lam)` computes the same.)"
    ),
    hints=[
        "The lesson's formula: ∂L⁽ⁱ⁾/∂(w, b) = (ŷᵢ − yᵢ)·(xᵢ, 1). Which samples, and which mean, does one "
        "update of mini-batch SGD use?",
        "Compute ŷ − y for the batch's samples only (`x[batch]`), average (ŷ − y)·x and (ŷ − y) over them, "
        "then add λ·w to the first component only -- once.",
    ],
    praise="a batch's gradient is the mean of its samples' gradients, with the penalty's (λ·w, 0) added "
    "once.",
)


# --------------------------------------------------------------------------- q2

q2 = Question(
    "q2",
    "a short mean",
    "At $(w, b) = (1, -1)$ the median length of one sample's gradient was about 0.70, and the length of "
    "their mean, $\\nabla J$, about 0.10. Why is the mean so much shorter?\n"
    "\n"
    "**Your answer:** `why_short`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_short",
            {
                "a": "Because the mean divides by m = 1000, which makes any vector short.",
                "b": "Because the per-sample gradients point in nearly opposite directions -- customers who "
                "churned one way, customers who stayed the other -- and most of what they ask for cancels.",
                "c": "Because (1, −1) is near the minimum, where every sample's gradient is small.",
                "d": "Because finite differences underestimate the gradient.",
            },
            "b",
            {
                "a": "A mean divides by m, but it also sums m vectors: the mean of 1000 arrows of length 0.7 "
                "that all pointed the same way would still be 0.7 long.",
                "c": "At a minimum the *mean* is zero, but the samples' gradients are not: each sample still "
                "wants to move. And (1, −1) is not the minimum (lesson 03 finds it at about (2.3, −2.7)).",
                "d": "The finite differences agree with the mean to about 1e-10; they are a check, not the "
                "cause.",
            },
        )
    ],
    solution='why_short = "b"',
    explanation=(
        "A churner's gradient is (ŷ − 1)·(x, 1), pointing to lower w and b; a stayer's is ŷ·(x, 1), pointing "
        "to higher. The cloud of the lesson's figure is two fans in opposite directions, and their mean -- "
        "what full-batch gradient descent follows -- is what is left after they cancel. A mini-batch "
        "averages too few arrows to cancel as well: that is its noise."
    ),
    hints=[
        "Look at the cloud of per-sample gradients in the lesson: which way do the churners' arrows point, "
        "and the stayers'?"
    ],
    praise="opposite fans cancel; the mean is what survives, and a small batch cancels less well.",
)


# --------------------------------------------------------------------------- q3

_X, _Y = make_churn(m=1000, seed=0)
_PARAMS = (1.0, -1.0)

q3 = Question(
    "q3",
    "four times the batch",
    "At $(w, b) = (1, -1)$ the squared error of a 10-sample batch's gradient, $\\mathbb{E}\\,\\lVert \\hat "
    "g_{10} - \\nabla J\\rVert^2$, is `q3.variance_10` (about 0.047), on the course's $m = 1000$ customers. "
    "**Predict** the squared error of a 40-sample batch's gradient from how it scales with the batch size -- "
    "from `q3.variance_10` and the lesson's formula, without sampling any batch.\n"
    "\n"
    "**Your answer:** `variance_40`.",
    [
        Number(
            "variance_40",
            "variance_40",
            rtol=5e-3,
            mistakes=[
                Mistake(
                    lambda v: v.variance_10 / 2,
                    "halves it: four times the batch halves the error's *size* (its square root); the "
                    "squared error falls by more.",
                ),
                Mistake(
                    lambda v: v.variance_10 / 4,
                    "divides by 4 but leaves out that batches are drawn without replacement: the factor (m − "
                    "k)/(m − 1) changes with k too.",
                ),
                Mistake(
                    lambda v: v.variance_10 / 16, "divides by 16: the squared error falls like 1/k, not 1/k²."
                ),
                Mistake(
                    lambda v: v.variance_10 * 4,
                    "grows with the batch: a bigger batch's estimate is *closer*.",
                ),
            ],
            fmt=".5f",
        )
    ],
    solution="""\
m, k_small, k_big = q3.m, 10, 40
factor = lambda k: (m - k) / (k * (m - 1))           # tr Σ / k · (m − k)/(m − 1), without tr Σ
variance_40 = q3.variance_10 * factor(k_big) / factor(k_small)""",
    explanation=(
        "E‖ĝ_k − ∇J‖² = tr Σ/k · (m − k)/(m − 1). The unknown tr Σ cancels in the ratio of two batch sizes: "
        "going from 10 to 40 multiplies by (10/40)·(960/990) ≈ 0.242 -- a quarter for the 1/k, and a little "
        "less because a batch of 40 takes a larger share of the 1000 samples."
    ),
    hints=[
        "The lesson's formula is tr Σ/k · (m − k)/(m − 1). Which part changes with k, and which does not?",
        "Divide the formula at k = 40 by the formula at k = 10: tr Σ cancels.",
    ],
    givens={
        "m": _X.size,
        "params": _PARAMS,
        "variance_10": minibatch_gradient_variance(_PARAMS, _X, _Y, 10),
    },
    compute=lambda v: {"variance_40": minibatch_gradient_variance(v.params, _X, _Y, 40)},
    praise="about a quarter: {variance_40:.5f}. The 1/k does most of it; drawing without replacement the "
    "rest.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.gradient_of_the_cost import ____, q1, q2, q3

x, y = lv.make_churn(m=1000, seed=0)   # the course's customers"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
