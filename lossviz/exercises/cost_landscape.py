"""Exercises of lesson 03, *The cost landscape*: q1 predict-then-check, q2 a computation, q3 a limit.

* ``q1`` -- the slope of one sample's straight contours, and whether its loss has a minimum;
* ``q2`` -- the largest stable learning rate at the minimum of the objective with λ = 0.1;
* ``q3`` -- where the bias goes as λ grows without bound.
"""

from __future__ import annotations

import numpy as np

from ..data import make_churn
from ..model import hessian
from ..optim.newton import minimise
from ._answers import Choice, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "03_cost_landscape.ipynb"


def _data() -> tuple[np.ndarray, np.ndarray]:
    return make_churn(m=1000, seed=0)


# --------------------------------------------------------------------------- q1

q1 = Question(
    "q1",
    "one sample's contours",
    "Take sample `q1.sample` (= 0) of the course's data. In the $(w, b)$ plane -- $w$ across, $b$ up, as in "
    "the lesson's figures -- the contours of its loss $L^{(0)}(w, b)$ are parallel straight lines. "
    "**Predict** their slope $db/dw$ from the sample's bill $x_0$, and say whether this loss has a minimum.\n"
    "\n"
    "**Your answer:** `contour_slope`, a number, and `has_minimum`, `'yes'` or `'no'`.",
    [
        Number(
            "contour_slope",
            "contour_slope",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    lambda v: -v.contour_slope,
                    "has the wrong sign: along a contour w·x + b stays the same, so when w goes up, b must "
                    "go down.",
                ),
                Mistake(
                    lambda v: 1 / v.contour_slope,
                    "is dw/db, the slope with b across: the plane has w across and b up, so the slope is "
                    "db/dw.",
                ),
                Mistake(
                    lambda v: -1 / v.contour_slope,
                    "is dw/db with the wrong sign: the contour is w·x + b = const; solve it for b.",
                ),
            ],
            fmt=".4f",
        ),
        Choice(
            "has_minimum",
            {"yes": "it has a lowest point", "no": "it has no minimum"},
            "no",
            {
                "yes": "Follow the direction in which this customer's logit z = w·x₀ + b moves away from its "
                "label's side: the loss keeps falling toward 0 and never reaches it. Only the mean of many "
                "samples pulling different ways has a lowest point."
            },
            aliases={"yes": ("y", "true"), "no": ("n", "false", "none")},
        ),
    ],
    solution="""\
x0 = x[q1.sample]
contour_slope = -x0          # w·x0 + b = const  ⇒  b = const − x0·w
has_minimum = "no\"""",
    explanation=(
        "One sample's loss depends on (w, b) only through z = w·x₀ + b, so it is constant where w·x₀ + b is: "
        "b = c − x₀·w, lines of slope −x₀. Along the line's normal the loss is a logistic ramp that falls "
        "forever toward 0 (for a customer who stayed, as z → −∞): no minimum."
    ),
    hints=[
        "The loss of one sample is a function of z = w·x₀ + b alone. Where is z constant?",
        "Solve w·x₀ + b = c for b. For the minimum: what does −log(1 − σ(z)) do as z → −∞?",
    ],
    givens={"sample": 0},
    compute=lambda v: {"contour_slope": -float(_data()[0][v.sample])},
    praise=(
        "the contours are the lines b = c − x₀·w, slope {contour_slope:.3f}, and the loss falls for ever "
        "across them: no minimum of its own."
    ),
)


# --------------------------------------------------------------------------- q2


def _q2_values(v: Values) -> dict:
    x, y = _data()
    p_lam, p0 = minimise(x, y, v.lam), minimise(x, y)
    eig = np.linalg.eigvalsh(hessian(p_lam, x, y, v.lam))
    return {
        "largest_stable_lr": 2 / eig[-1],
        "with_smallest": 2 / eig[0],
        "without_penalty_there": 2 / np.linalg.eigvalsh(hessian(p_lam, x, y))[-1],
        "unregularised": 2 / np.linalg.eigvalsh(hessian(p0, x, y))[-1],
    }


q2 = Question(
    "q2",
    "a stable step with λ",
    "Gradient descent on the objective is stable near a minimum while $\\eta < 2/\\lambda_{\\max}$, where "
    "$\\lambda_{\\max}$ is the largest eigenvalue of the objective's Hessian there. For $\\lambda$ = "
    "`q2.lam` (= 0.1), compute the largest stable learning rate at the objective's minimum.\n"
    "\n"
    "**Your answer:** `largest_stable_lr`.",
    [
        Number(
            "largest_stable_lr",
            "largest_stable_lr",
            rtol=1e-3,
            mistakes=[
                Mistake(
                    "with_smallest",
                    "uses the smallest eigenvalue: stability across the valley is set by the steepest "
                    "curvature.",
                ),
                Mistake(
                    lambda v: v.largest_stable_lr / 2,
                    "is half the limit: a step oscillates without growing until η·λ_max reaches 2.",
                ),
                Mistake(
                    "without_penalty_there",
                    "leaves the penalty's curvature out of the Hessian: `lv.hessian(params, x, y, lam)`.",
                ),
                Mistake(
                    "unregularised",
                    "is the limit for λ = 0, at the unregularised minimum: the penalty adds λ to the "
                    "curvature in w, and moves the minimum.",
                ),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
p_lam = lv.minimise(x, y, q2.lam)                           # the objective's minimum
eigenvalues = np.linalg.eigvalsh(lv.hessian(p_lam, x, y, q2.lam))
largest_stable_lr = 2 / eigenvalues[-1]""",
    explanation=(
        "The penalty λ/2·w² adds λ to the Hessian's (w, w) entry, and the minimum moves toward w = 0, where "
        "the data's curvature is different. At the minimum of the λ = 0.1 objective the largest eigenvalue "
        "sets the limit 2/λ_max."
    ),
    hints=[
        "`lv.minimise(x, y, lam)` finds the objective's minimum, and `lv.hessian(params, x, y, lam)` its "
        "Hessian, penalty included.",
        "`np.linalg.eigvalsh` returns the eigenvalues in increasing order.",
    ],
    givens={"lam": 0.1},
    compute=_q2_values,
    praise="η < {largest_stable_lr:.3f} at this objective's minimum: the penalty changes the limit as well "
    "as the minimum.",
)


# --------------------------------------------------------------------------- q3


def _q3_values(v: Values) -> dict:
    x, y = _data()
    rate = float(y.mean())
    return {
        "b_limit": float(minimise(x, y, 1e8)[1]),
        "rate": rate,
        "b_at_1": float(minimise(x, y, 1.0)[1]),
    }


q3 = Question(
    "q3",
    "the bias as λ grows",
    "As $\\lambda$ grows, the objective's minimum slides toward $w = 0$. **Predict** the value the bias "
    "$b^*$ tends to as $\\lambda \\to \\infty$, from the data alone (the course's 1000 customers), then "
    "compute it.\n"
    "\n"
    "**Your answer:** `b_limit`.",
    [
        Number(
            "b_limit",
            "b_limit",
            rtol=1e-3,
            mistakes=[
                Mistake(
                    0.0,
                    "would hold if the bias were penalised too. It is not: with w = 0 it is still fitted to "
                    "the data.",
                ),
                Mistake("rate", "is a probability; b is a logit -- the model predicts ŷ = σ(b) when w = 0."),
                Mistake(
                    lambda v: -v.b_limit,
                    "has the wrong sign: fewer than half of the customers churned, so σ(b) < 0.5.",
                ),
                Mistake(
                    "b_at_1",
                    "is the bias at λ = 1, still on its way; as λ → ∞ the weight vanishes and the bias "
                    "settles.",
                ),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
rate = y.mean()                        # the share of customers who churned
b_limit = np.log(rate / (1 - rate))    # σ(b) = rate  ⇔  b = logit(rate)""",
    explanation=(
        "As λ → ∞ the penalty forces w → 0, and the model predicts the same ŷ = σ(b) for everyone. The bias "
        "is not penalised, so it minimises the cross-entropy of a constant prediction: ŷ = the share of "
        "churners, b = log(rate/(1 − rate)). (`lv.minimise(x, y, 1e8)[1]` agrees.)"
    ),
    hints=[
        "When w = 0, what does the model predict for every customer, and which constant prediction has the "
        "lowest cross-entropy?",
        "The best constant prediction is the share of churners; the bias is its logit.",
    ],
    compute=_q3_values,
    praise="b* → logit(churn rate) = {b_limit:.4f}: the unpenalised bias keeps predicting the base rate.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.cost_landscape import ____, q1, q2, q3

x, y = lv.make_churn(m=1000, seed=0)   # the course's customers"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
