"""Exercises of lesson 11, *Optimisers on the landscape*: the stability limit, the best momentum, Adam.

* ``q1`` -- the largest stable learning rate of full-batch gradient descent at the minimum, 2/λ_max;
* ``q2`` -- the best heavy-ball momentum settings (η*, β*) from the Hessian's eigenvalues;
* ``q3`` -- why Adam's per-coordinate scaling cannot straighten this valley.
"""

from __future__ import annotations

import numpy as np

from ..data import make_churn
from ..model import hessian
from ..optim.newton import minimise
from ._answers import Choice, Mistake, Number, Values, Vector
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "11_optimisers_on_the_landscape.ipynb"


def _eigenvalues() -> np.ndarray:
    """``(2,)`` the Hessian's eigenvalues at the minimum of the lesson's cost, ascending."""
    x, y = make_churn()
    return np.linalg.eigvalsh(hessian(minimise(x, y), x, y))


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    lam_min, lam_max = _eigenvalues()
    return {
        "lr_limit": 2 / lam_max,
        "half": 1 / lam_max,
        "along_floor": 2 / lam_min,
        "best_gd": 2 / (lam_max + lam_min),
    }


q1 = Question(
    "q1",
    "where gradient descent stops converging",
    "Near the minimum, full-batch gradient descent multiplies the error along each eigenvector of the "
    "Hessian $H$ by $1 - \\eta\\lambda_i$ per update. With `H` (the Hessian at the minimum, from the "
    "set-up cell), compute the largest learning rate for which every such factor stays within $(-1, 1)$.\n"
    "\n"
    "**Your answer:** `lr_limit`, one number.",
    [
        Number(
            "lr_limit",
            "lr_limit",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    "half",
                    "is 1/λ_max: there the factor across the valley turns negative (the zigzag begins), "
                    "but it still shrinks the error until it reaches −1.",
                ),
                Mistake(
                    "along_floor",
                    "uses the smallest eigenvalue: the steep direction across the valley breaks first.",
                ),
                Mistake(
                    "best_gd",
                    "is the best learning rate, which balances the two factors; the limit is where the "
                    "steeper one reaches −1.",
                ),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
lam_min, lam_max = np.linalg.eigvalsh(H)
lr_limit = 2 / lam_max""",
    explanation=(
        "|1 − ηλ| < 1 means 0 < η < 2/λ for every eigenvalue, so the steepest direction decides: "
        "η < 2/λ_max. The lesson measured the edge on the real cost at the same place, between 4.48 and 4.49."
    ),
    hints=[
        "`np.linalg.eigvalsh(H)` gives the two eigenvalues, smallest first. Solve |1 − ηλ| < 1 for η.",
    ],
    compute=_q1_values,
    praise="η < {lr_limit:.3f}: the steep direction across the valley sets the limit.",
)


# --------------------------------------------------------------------------- q2


def _q2_values(v: Values) -> dict:
    lam_min, lam_max = _eigenvalues()
    root = np.sqrt(lam_max / lam_min)
    kappa = lam_max / lam_min
    return {
        "momentum_best": np.array(
            [(2 / (np.sqrt(lam_max) + np.sqrt(lam_min))) ** 2, ((root - 1) / (root + 1)) ** 2]
        ),
        "kappa_not_root": np.array(
            [(2 / (np.sqrt(lam_max) + np.sqrt(lam_min))) ** 2, ((kappa - 1) / (kappa + 1)) ** 2]
        ),
        "gd_step": np.array([2 / (lam_max + lam_min), ((root - 1) / (root + 1)) ** 2]),
        "rate_as_beta": np.array([(2 / (np.sqrt(lam_max) + np.sqrt(lam_min))) ** 2, (root - 1) / (root + 1)]),
    }


q2 = Question(
    "q2",
    "the best momentum, from the Hessian",
    "For a quadratic with Hessian eigenvalues $\\lambda_{\\min} \\le \\lambda_{\\max}$ (condition number "
    "$\\kappa = \\lambda_{\\max}/\\lambda_{\\min}$), heavy-ball momentum converges fastest at "
    "$\\eta^* = \\big(2/(\\sqrt{\\lambda_{\\max}} + \\sqrt{\\lambda_{\\min}})\\big)^2$ and "
    "$\\beta^* = \\big((\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1)\\big)^2$. Compute both for `H`.\n"
    "\n"
    "**Your answer:** `momentum_best`, two numbers: (η*, β*).",
    [
        Vector(
            "momentum_best",
            "momentum_best",
            labels=("η*", "β*"),
            what="2 numbers, (η*, β*)",
            rtol=1e-6,
            mistakes=[
                Mistake("kappa_not_root", "uses κ in β*; the formula takes its square root, √κ."),
                Mistake(
                    "gd_step",
                    "takes plain gradient descent's best step 2/(λ_max + λ_min) for η*; with momentum "
                    "the best step uses the square roots of the eigenvalues.",
                ),
                Mistake(
                    "rate_as_beta",
                    "gives the convergence rate (√κ − 1)/(√κ + 1) as β*; β* is its square.",
                ),
                Mistake(lambda v: v.momentum_best[::-1], "is in the wrong order: (η*, β*)."),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
lam_min, lam_max = np.linalg.eigvalsh(H)
root_kappa = np.sqrt(lam_max / lam_min)
momentum_best = ((2 / (np.sqrt(lam_max) + np.sqrt(lam_min))) ** 2,
                 ((root_kappa - 1) / (root_kappa + 1)) ** 2)""",
    explanation=(
        "With these settings every eigen-direction shrinks at the same rate, (√κ − 1)/(√κ + 1) per update "
        "-- about 0.75 here against gradient descent's (κ − 1)/(κ + 1) ≈ 0.96. The lesson's sweep on the "
        "real (non-quadratic) cost found its best setting next to this one."
    ),
    hints=[
        "`np.linalg.eigvalsh(H)` gives (λ_min, λ_max); κ is their ratio. Mind the square roots.",
    ],
    compute=_q2_values,
    praise="η* = {momentum_best[0]:.2f}, β* = {momentum_best[1]:.3f}.",
)


# --------------------------------------------------------------------------- q3

q3 = Question(
    "q3",
    "what Adam cannot do here",
    "Adam divides each coordinate's step by the root of that coordinate's mean squared gradient. On the "
    "churn cost it needed about three times the updates of tuned momentum, whatever its learning rate. "
    "Why can its scaling not help much on this valley?\n"
    "\n"
    "**Your answer:** `why_adam`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_adam",
            {
                "a": "Adam's steps are too small: a larger η would make it as fast as momentum.",
                "b": "The valley runs diagonally in (w, b) and both axes are about equally curved, so "
                "rescaling each axis leaves the valley as narrow as it was.",
                "c": "Adam only works with mini-batches; on the full batch its second moment is zero.",
                "d": "ε = 1e-8 is too large and swamps the second moment.",
            },
            "b",
            {
                "a": "The lesson swept η from 0.01 to 3: from 0.05 on, Adam took between 169 and 264 "
                "updates, never near momentum's few dozen.",
                "c": "The second moment is the mean of g², not of (g − mean)²: it is far from zero on the "
                "full batch.",
                "d": "Adam's running mean of g² keeps the early gradients, far larger than 1e-8; ε only "
                "matters once the root of that mean falls near 1e-8.",
            },
        )
    ],
    solution='why_adam = "b"',
    explanation=(
        "A per-coordinate scaling can only stretch the w and b axes. The lesson measured the curvature "
        "along w (0.24) and along b (0.21): rescaling each by its own curvature leaves the condition number "
        "at 48. Standardising the feature turns the valley itself into a round bowl instead."
    ),
    hints=["Compare the Hessian's diagonal (the axes' curvatures) with its eigenvalues."],
    praise="per-coordinate scaling cannot round a diagonal valley.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.optimisers_on_the_landscape import ____, q1, q2, q3

x, y = lv.make_churn()
H = lv.hessian(lv.minimise(x, y), x, y)   # the Hessian at the minimum of the lesson's cost"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
