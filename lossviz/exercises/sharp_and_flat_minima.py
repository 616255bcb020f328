"""Exercises of lesson 10, *Sharp and flat minima*: stability, curvature in new coordinates, two choices.

* ``q1`` -- the largest stable learning rate in each basin of the two-basin toy;
* ``q2`` -- a minimum's curvature after the change of coordinates θ = 3φ;
* ``q3`` -- why small-batch SGD preferred the other basin in φ;
* ``q4`` -- why full-batch descent ended where it did, in either coordinates.
"""

from __future__ import annotations

import numpy as np

from ..topics.basins import make_two_basin
from ._answers import Choice, Mistake, Number, Values, Vector
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3", "q4"]

LESSON = "10_sharp_and_flat_minima.ipynb"


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    problem = make_two_basin(m=200, noise=7.0, seed=0)
    curvature = np.asarray(problem.cost_curvature([problem.sharp_minimum, problem.flat_minimum]), dtype=float)
    return {"lr_limits": 2 / curvature, "curvature": curvature}


q1 = Question(
    "q1",
    "a stable step in each basin",
    "Full-batch gradient descent settles into a minimum only while $\\eta\\,J'' < 2$ there. For the lesson's "
    "two-basin cost (`problem` in the set-up cell), compute the largest stable learning rate at the sharp "
    "minimum and at the flat one.\n"
    "\n"
    "**Your answer:** `lr_limits`, two numbers: (sharp, flat).",
    [
        Vector(
            "lr_limits",
            "lr_limits",
            labels=("sharp basin's limit", "flat basin's limit"),
            what="2 numbers, (sharp, flat)",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    lambda v: v.lr_limits / 2,
                    "is half the limits: a step oscillates without growing until η·J'' = 2.",
                ),
                Mistake("curvature", "is the curvatures J'' themselves; the limit is 2/J''."),
                Mistake(lambda v: v.lr_limits[::-1], "is in the wrong order: (sharp, flat)."),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
curvature = problem.cost_curvature([problem.sharp_minimum, problem.flat_minimum])
lr_limits = 2 / np.asarray(curvature)""",
    explanation=(
        "Near a minimum gradient descent multiplies the distance to it by (1 − η·J'') each step: it shrinks "
        "while |1 − η·J''| < 1, that is η < 2/J''. The lesson's η = 0.01 is well inside both limits, so the "
        "step size alone does not decide the basin."
    ),
    hints=[
        "`problem.cost_curvature(theta)` gives J'' at any θ; the minima are `problem.sharp_minimum` and "
        "`problem.flat_minimum`.",
    ],
    compute=_q1_values,
    praise="η < {lr_limits[0]:.3f} in the sharp basin and < {lr_limits[1]:.2f} in the flat one; η = 0.01 is "
    "stable in both.",
)


# --------------------------------------------------------------------------- q2


def _q2_values(v: Values) -> dict:
    return {"curvature_phi": v.slope**2 * v.curvature_theta}


q2 = Question(
    "q2",
    "curvature in other coordinates",
    "A minimum has $d^2J/d\\theta^2$ = `q2.curvature_theta` (= 8). Write the same model with a new "
    "parameter, $\\theta = 3\\varphi$ (`q2.slope` = 3). **Predict** the curvature $d^2J/d\\varphi^2$ at the "
    "same minimum.\n"
    "\n"
    "**Your answer:** `curvature_phi`.",
    [
        Number(
            "curvature_phi",
            "curvature_phi",
            rtol=1e-9,
            mistakes=[
                Mistake(
                    lambda v: v.slope * v.curvature_theta,
                    "multiplies by r' once; the second derivative takes it twice, r'².",
                ),
                Mistake(
                    lambda v: v.curvature_theta / v.slope**2,
                    "divides by r'²: with θ = 3φ a small step in φ is a 3 times larger step in θ.",
                ),
                Mistake(
                    lambda v: v.curvature_theta / v.slope,
                    "divides by r': with θ = 3φ a small step in φ is a 3 times larger step in θ.",
                ),
                Mistake(
                    "curvature_theta",
                    "is the curvature in θ: the same model, in other coordinates, has another curvature.",
                ),
            ],
            fmt=".4g",
        )
    ],
    solution="""\
curvature_phi = q2.slope ** 2 * q2.curvature_theta   # d²J/dφ² = r'(φ)² · d²J/dθ² at a minimum""",
    explanation=(
        "With θ = r(φ), dJ/dφ = r'·dJ/dθ and d²J/dφ² = r'²·d²J/dθ² + r''·dJ/dθ; at a minimum dJ/dθ = 0. So "
        "the same minimum is 9 times sharper in φ: sharpness belongs to the coordinates, not to the model."
    ),
    hints=["Differentiate J(r(φ)) twice with the chain rule, then use dJ/dθ = 0 at the minimum."],
    givens={"curvature_theta": 8.0, "slope": 3.0},
    compute=_q2_values,
    praise="{curvature_phi:g}: the same minimum, nine times sharper in φ.",
)


# --------------------------------------------------------------------------- q3

q3 = Question(
    "q3",
    "the other basin",
    "Run in $\\varphi$, small-batch SGD ended in the basin that was *sharp* in $\\theta$ -- every time. "
    "Why?\n"
    "\n"
    "**Your answer:** `why_other`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_other",
            {
                "a": "The change of coordinates changed the cost values, so the other basin became deeper.",
                "b": "In φ that basin is the flat one: the noise kicks runs out of whichever basin is narrow "
                "in the coordinates SGD works in.",
                "c": "η = 0.01 is unstable in φ, so the runs were thrown out of one basin.",
                "d": "The samples were drawn anew in φ, so the noise was different.",
            },
            "b",
            {
                "a": "Every φ names the same model as its θ, with the same cost: both basins are exactly as "
                "deep as before.",
                "c": "The lesson checked that η = 0.01 is still stable in both basins in φ.",
                "d": "Same starting models, same learning rate, same samples: only the coordinates changed.",
            },
        )
    ],
    solution='why_other = "b"',
    explanation=(
        "d²J/dφ² = r'²·d²J/dθ²: with r' ≈ 0.2 on the left and 5 on the right, the sharp-in-θ basin is flat "
        "in φ and the other way round. SGD's kicks carry runs over the narrow basin's rim in the coordinates "
        "it uses; 'flat' is a property of those coordinates, not of the model."
    ),
    hints=["Lesson 10 printed both basins' curvature in θ and in φ. Which one is flat in φ?"],
    praise="noise prefers what is flat in its own coordinates.",
)


# --------------------------------------------------------------------------- q4

q4 = Question(
    "q4",
    "full batch, unmoved",
    "Full-batch descent ended exactly where it did, in $\\theta$ and in $\\varphi$. Why, here?\n"
    "\n"
    "**Your answer:** `why_same`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_same",
            {
                "a": "In one dimension a smooth increasing r(φ) keeps the gradient's sign at every model, so "
                "a small-step run still slides into the basin it started in.",
                "b": "Gradient descent has no noise, and without noise coordinates never matter.",
                "c": "Gradient descent always finds the global minimum.",
                "d": "The learning rate was rescaled by r'(φ) to compensate.",
            },
            "a",
            {
                "b": "Noise is not what protects it: in more dimensions a change of coordinates also turns "
                "the gradient, and can change where gradient descent ends.",
                "c": "The two minima are equally deep, and each run ended in the basin it started in, sharp "
                "or flat.",
                "d": "The learning rate was the same, η = 0.01, in both coordinates.",
            },
        )
    ],
    solution='why_same = "a"',
    explanation=(
        "dJ/dφ = r'(φ)·dJ/dθ with r' > 0: the gradient points the same way in both coordinates, only its "
        "length changes, so a stable small-step run goes downhill to the same basin. That is special to one "
        "dimension; in more, a reparametrisation turns gradients too."
    ),
    hints=["Write dJ/dφ with the chain rule. What does r' > 0 say about its sign?"],
    praise="in one dimension, only the gradient's length changes.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.sharp_and_flat_minima import ____, q1, q2, q3, q4

problem = lv.basins.make_two_basin(m=200, noise=7.0, seed=0)   # the lesson's two-basin cost"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3, q4))
