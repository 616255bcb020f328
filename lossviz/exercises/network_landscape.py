"""Exercises of lesson 12, *The cost landscape of a real network*: counting, and two choices.

* ``q1`` -- parameters and symmetric copies of a minimum for five hidden units;
* ``q2`` -- what a smooth random 2-D slice through θ* does and does not show;
* ``q3`` -- what polishing the small-batch ends says about their flatness.
"""

from __future__ import annotations

import math

from ..topics.network import MLP
from ._answers import Choice, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "12_network_landscape.ipynb"


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    h = v.n_hidden
    return {
        "n_params": MLP(n_inputs=v.n_inputs, n_hidden=h).n_params,
        "n_copies": math.factorial(h) * 2**h,
        "only_permutations": math.factorial(h),
        "only_signs": 2**h,
    }


q1 = Question(
    "q1",
    "parameters and copies",
    "Widen the lesson's network to `q1.n_hidden` (= 5) hidden $\\tanh$ units, still with `q1.n_inputs` (= 3) "
    "inputs and one output. How many parameters does it have, and how many parameter vectors compute exactly "
    "the same function as a given one (the minimum itself included), by relabelling the hidden units and "
    "flipping their signs?\n"
    "\n"
    "**Your answer:** `n_params` and `n_copies`, whole numbers.",
    [
        Number(
            "n_params",
            "n_params",
            integer=True,
            what="a whole number of parameters",
            mistakes=[
                Mistake(lambda v: v.n_params - 1, "is one short: the output has a bias too."),
                Mistake(
                    lambda v: v.n_params - v.n_hidden - 1,
                    "leaves out some parameters: count W₁, b₁, w₂ and b₂ -- every hidden unit has a bias, "
                    "and the output has its weights and a bias.",
                ),
            ],
            fmt="d",
        ),
        Number(
            "n_copies",
            "n_copies",
            integer=True,
            what="a whole number of copies",
            mistakes=[
                Mistake(
                    "only_permutations",
                    "counts the relabellings only; tanh is odd, so each unit's signs can flip too.",
                ),
                Mistake("only_signs", "counts the sign flips only; the units can also be relabelled."),
                Mistake(
                    lambda v: math.factorial(v.n_hidden) * 2,
                    "flips all signs at once; each unit can be flipped on its own.",
                ),
            ],
            fmt="d",
        ),
    ],
    solution="""\
h, n = q1.n_hidden, q1.n_inputs
n_params = n * h + h + h + 1                # W1, b1, w2, b2
n_copies = math.factorial(h) * 2 ** h       # relabel the units, flip each one's signs""",
    explanation=(
        "W₁ is h×n, b₁ has h entries, w₂ h and b₂ one: n·h + 2h + 1. Any of the h! orders of the hidden "
        "units computes the same function, and because tanh is odd, flipping a unit's incoming weights, bias "
        "and outgoing weight does too -- for each unit separately: h!·2ʰ."
    ),
    hints=[
        "Count W₁, b₁, w₂ and b₂ separately.",
        "Relabelling h units: h! ways. Flipping signs: each unit independently, 2 ways each.",
    ],
    givens={"n_inputs": 3, "n_hidden": 5},
    compute=_q1_values,
    praise="{n_params} parameters, and {n_copies} equally good copies of every minimum.",
)


# --------------------------------------------------------------------------- q2

q2 = Question(
    "q2",
    "what a slice shows",
    "A filter-normalised random 2-D slice through $\\theta^*$ shows a single smooth basin. What can you "
    "conclude?\n"
    "\n"
    "**Your answer:** `slice_shows`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "slice_shows",
            {
                "a": "The network's cost is convex.",
                "b": "θ* is the only minimum of the cost.",
                "c": "Only that θ* is at the bottom of a basin along those two directions: the slice hides "
                "the other dimensions, the steepest among them, and the symmetric copies of θ* with the "
                "barriers between them.",
                "d": "The sharpness of θ* is the curvature the slice shows.",
            },
            "c",
            {
                "a": "The line from θ* to one of its relabelled copies rose 0.16 above both ends; a convex "
                "function never rises above the chord.",
                "b": "Every minimum has its symmetric copies (384 for four units), equally good and well "
                "apart; the slice passes through none of them.",
                "d": "The random directions saw less than a fifth of λ_max: a plane through θ* misses the "
                "steepest direction, which power iteration finds.",
            },
        )
    ],
    solution='slice_shows = "c"',
    explanation=(
        "A slice is two directions out of 21. It shows the basin around θ* along them -- nothing about the "
        "steepest direction (the random plane saw under a fifth of λ_max), and nothing about the other "
        "minima: the line to a relabelled copy showed the barrier that makes the cost non-convex."
    ),
    hints=["The lesson's closing section lists what a 2-D slice shows and what it hides."],
    praise="a slice shows a basin along two directions, and hides the rest.",
)


# --------------------------------------------------------------------------- q3

q3 = Question(
    "q3",
    "where the flatness came from",
    "The batch-8 runs ended flatter than the full-batch runs. Polished with 3000 full-batch updates, they "
    "became about as sharp as the full-batch minima. What does that say?\n"
    "\n"
    "**Your answer:** `flatness`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "flatness",
            {
                "a": "Most of their flatness belonged to where the noise kept them, off the bottom of their "
                "basins, not to flatter basins.",
                "b": "Full-batch descent makes any minimum sharper.",
                "c": "Polishing moved every run into another basin.",
                "d": "The flatness was what gave the batch-8 runs their lower held-out cost.",
            },
            "a",
            {
                "b": "Polishing does not reshape a basin; it walks to the basin's bottom, where the "
                "curvature is then measured. Full-batch minima polished the same way stayed as sharp as "
                "before.",
                "c": "Polishing from a point near a basin's floor stays in that basin; their training "
                "objectives fell to the full-batch minima's.",
                "d": "The held-out costs were no lower: batch 8 won 9 of 16 pairs, and the medians differed "
                "by 0.002.",
            },
        )
    ],
    solution='flatness = "a"',
    explanation=(
        "The end of a mini-batch run is not a minimum: its gradient was tens of times larger. Measured "
        "there, sharpness is lower because the noise keeps the run on the basin's gentler sides; polished to "
        "the bottom, the same basins are nearly as sharp as the full-batch ones."
    ),
    hints=["Compare the gradient norms at the ends of the two groups, before polishing."],
    praise="the noise kept them off the bottom; the basins themselves were about as sharp.",
)


SETUP = """\
import math

import numpy as np

import lossviz as lv
from lossviz.exercises.network_landscape import ____, q1, q2, q3"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
