"""Exercises of lesson 09, *Batch size and time*: a clock, the trade-off curve, the noise scale, a choice.

* ``q1`` -- the simulated time of one epoch for batches of 1, 100 and 1000;
* ``q2`` -- updates and examples to the target for batches of 64, from a fitted trade-off curve;
* ``q3`` -- write ``b_simple(G)``, the gradient noise scale from per-sample gradients;
* ``q4`` -- what happens to the best learning rate past the critical batch size.
"""

from __future__ import annotations

import numpy as np

from ..topics.batch_size import simulated_step_time, updates_per_epoch
from ._answers import Case, Choice, Function, Mistake, Number, Values, Vector
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3", "q4"]

LESSON = "09_batch_size_and_time.ipynb"


# --------------------------------------------------------------------------- q1

_CLOCK = {"overhead": 5e-3, "per_example": 1e-3, "parallel": 64}


def _epoch_seconds(batch_sizes: tuple[int, ...], m: int, step: np.ndarray) -> np.ndarray:
    return np.array([updates_per_epoch(m, b) for b in batch_sizes]) * step


def _q1_values(v: Values) -> dict:
    bs = np.array(v.batch_sizes)
    step = simulated_step_time(bs, overhead=v.overhead, per_example=v.per_example, parallel=v.parallel)
    waves_down = np.floor(bs / v.parallel) * v.per_example
    return {
        "epoch_seconds": _epoch_seconds(v.batch_sizes, v.m, step),
        "rounded_down": _epoch_seconds(v.batch_sizes, v.m, v.overhead + waves_down),
        "no_overhead": _epoch_seconds(v.batch_sizes, v.m, step - v.overhead),
        "one_update": step,
        "no_parallel": _epoch_seconds(v.batch_sizes, v.m, v.overhead + bs * v.per_example),
    }


q1 = Question(
    "q1",
    "the time of an epoch",
    "The lesson's device model charges each update $t(B) = 5 + \\lceil B/64 \\rceil$ ms: a fixed overhead "
    "and 1 ms per wave of 64 samples processed in parallel. How long does one epoch over the $m = 1000$ "
    "customers take, in seconds, for each batch size in `q1.batch_sizes` (= 1, 100 and 1000)?\n"
    "\n"
    "**Your answer:** `epoch_seconds`, three numbers.",
    [
        Vector(
            "epoch_seconds",
            "epoch_seconds",
            labels=lambda v: [f"value for B = {b}" for b in v.batch_sizes],
            what="3 numbers, one per batch size in q1.batch_sizes",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    "rounded_down",
                    "rounds the waves down: a batch of 100 needs two waves of 64, and a batch of 1 one wave.",
                ),
                Mistake("no_overhead", "leaves out the 5 ms overhead that every update pays."),
                Mistake(
                    "one_update",
                    "is the time of one update; an epoch with batches of B is ⌈1000/B⌉ updates.",
                ),
                Mistake(
                    "no_parallel",
                    "charges every sample 1 ms; the device processes 64 samples at once, 1 ms per wave.",
                ),
                Mistake(
                    lambda v: 1000 * v.epoch_seconds, "is in milliseconds; the question asks for seconds."
                ),
            ],
        )
    ],
    solution="""\
epoch_seconds = [math.ceil(q1.m / b) * (q1.overhead + math.ceil(b / q1.parallel) * q1.per_example)
                 for b in q1.batch_sizes]""",
    explanation=(
        "An epoch is ⌈1000/B⌉ updates, each costing 5 ms plus 1 ms per wave of 64: batches of 1 pay the "
        "overhead a thousand times (6 s), batches of 100 ten times at 7 ms, the full batch once at 21 ms. "
        "Per *epoch* the full batch is fastest here -- but it makes one update per epoch."
    ),
    hints=[
        "Per update: 5 ms plus 1 ms for every started wave of 64 samples. Per epoch: how many updates?",
        "`math.ceil(1000 / B)` updates of `0.005 + math.ceil(B / 64) * 0.001` seconds each.",
    ],
    givens={"m": 1000, "batch_sizes": (1, 100, 1000), **_CLOCK},
    compute=_q1_values,
    praise="6 s, 0.07 s and 0.021 s: per epoch, the overhead of many small updates dominates.",
)


# --------------------------------------------------------------------------- q2


def _q2_values(v: Values) -> dict:
    b_crit = v.e_min / v.s_min
    updates = v.s_min * (1 + b_crit / v.batch_size)
    return {
        "updates": updates,
        "examples": v.batch_size * updates,
        "no_one": v.s_min * b_crit / v.batch_size,
        "swapped": v.s_min * (1 + v.batch_size / b_crit),
    }


q2 = Question(
    "q2",
    "reading the trade-off curve",
    "Suppose the fit of McCandlish et al.'s curve gave $S_{\\min}$ = `q2.s_min` (= 26) updates and "
    "$E_{\\min}$ = `q2.e_min` (= 3380) examples. How many updates, and how many examples, does it predict "
    "for batches of `q2.batch_size` (= 64) to reach the target?\n"
    "\n"
    "**Your answer:** `updates` and `examples`.",
    [
        Number(
            "updates",
            "updates",
            rtol=1e-4,
            mistakes=[
                Mistake(
                    "no_one",
                    "leaves out the 1 (this is the small-batch asymptote E_min/B alone): even a perfectly "
                    "clean gradient needs S_min updates.",
                ),
                Mistake("swapped", "has B and B_crit swapped: S = S_min·(1 + B_crit/B)."),
                Mistake("examples", "is examples, E = B·S; this answer asks for updates."),
            ],
            fmt=".4g",
        ),
        Number(
            "examples",
            "examples",
            rtol=1e-4,
            mistakes=[
                Mistake("updates", "is updates; examples are E = B·S."),
                Mistake(
                    "e_min", "is E_min, the fewest examples any batch size needs; batches of 64 need more."
                ),
            ],
            fmt=".5g",
        ),
    ],
    solution="""\
b_crit = q2.e_min / q2.s_min
updates = q2.s_min * (1 + b_crit / q2.batch_size)
examples = q2.batch_size * updates""",
    explanation=(
        "(S/S_min − 1)(E/E_min − 1) = 1 with E = B·S gives S = S_min·(1 + B_crit/B), B_crit = E_min/S_min = "
        "130. Batches of 64, half the critical size, need about three times S_min updates and half again "
        "E_min examples."
    ),
    hints=[
        "The lesson rewrote the curve as S = S_min·(1 + B_crit/B), with B_crit = E_min/S_min.",
        "Every update of a batch of B reads B examples.",
    ],
    givens={"s_min": 26.0, "e_min": 3380.0, "batch_size": 64},
    compute=_q2_values,
    praise="{updates:.1f} updates and {examples:.0f} examples: below B_crit the examples stay near E_min.",
)


# --------------------------------------------------------------------------- q3


def _b_simple(G: np.ndarray) -> float:
    G = np.asarray(G, dtype=float)
    mean = G.mean(axis=0)
    return float(((G - mean) ** 2).sum(axis=1).mean() / (mean @ mean))


def _q3_cases(v: Values) -> list[Case]:
    rng = np.random.default_rng(20260909)
    cases = []
    for m, p, spread, label in [
        (50, 2, 1.0, "50 gradients of 2 parameters"),
        (7, 2, 3.0, "7 noisy gradients of 2 parameters"),
        (200, 5, 0.3, "200 gradients of 5 parameters"),
        (1000, 21, 2.0, "1000 gradients of 21 parameters"),
    ]:
        signal = rng.normal(0.0, 1.0, p)
        cases.append(Case((signal + spread * rng.normal(0.0, 1.0, (m, p)),), label))
    return cases


q3 = Question(
    "q3",
    "the noise scale",
    "Write `b_simple(G)`: the gradient noise scale $B_{\\text{simple}} = \\operatorname{tr}\\Sigma/\\lVert "
    "G\\rVert^2$ from the per-sample gradients `G`, an `(m, p)` array with one row per sample. $G$ in the "
    "denominator is their mean, the full gradient, and $\\Sigma$ their covariance (dividing by $m$). The "
    "check tries it on gradient clouds you have not seen, with other numbers of samples and parameters.",
    [
        Function(
            "b_simple",
            "b_simple(G)",
            reference=lambda v: _b_simple,
            cases=_q3_cases,
            returns="a single number",
            rtol=1e-9,
            mistakes=[
                Mistake(
                    lambda G: float(G.var(axis=0).sum() / np.linalg.norm(G.mean(axis=0))),
                    "divides by ‖G‖, not by its square ‖G‖².",
                ),
                Mistake(
                    lambda G: float(G.var(axis=0, ddof=1).sum() / (G.mean(axis=0) @ G.mean(axis=0))),
                    "divides Σ by m − 1; the course's Σ is the covariance over the m samples themselves, "
                    "dividing by m.",
                ),
                Mistake(
                    lambda G: float((G**2).sum(axis=1).mean() / (G.mean(axis=0) @ G.mean(axis=0))),
                    "uses the mean squared length of the per-sample gradients, which includes the signal "
                    "‖G‖²: subtract the mean gradient first.",
                ),
                Mistake(
                    lambda G: float(G.var(axis=0).sum() / (G.mean(axis=0) @ G.mean(axis=0)) / len(G)),
                    "divides by m: B_simple is the noise of one sample's gradient against the signal, a "
                    "batch size.",
                ),
                Mistake(
                    lambda G: float((G.mean(axis=0) @ G.mean(axis=0)) / G.var(axis=0).sum()),
                    "is upside down: the noise tr Σ goes on top.",
                ),
                Mistake(
                    lambda G: float(G.var(axis=1).sum() / (G.mean(axis=1) @ G.mean(axis=1))),
                    "averages over the parameters (axis 1) instead of over the samples (axis 0).",
                ),
            ],
        )
    ],
    solution="""\
def b_simple(G):
    mean = G.mean(axis=0)                         # the full gradient
    trace_sigma = G.var(axis=0).sum()             # tr Σ: the parameters' variances, dividing by m
    return trace_sigma / (mean @ mean)""",
    explanation=(
        "tr Σ is the sum over parameters of each component's variance across the samples (the mean squared "
        "distance of a per-sample gradient from the mean); ‖G‖² is the squared length of the mean. Their "
        "ratio is the batch size at which a batch's noise tr Σ/B equals the signal."
    ),
    hints=[
        "Two lines of numpy: the mean over axis 0, and the variances over axis 0, summed.",
        "‖G‖² is `mean @ mean`. `np.var` divides by m unless told otherwise.",
    ],
    praise="noise over signal, both from per-sample gradients -- the batch size at which the two are equal.",
)


# --------------------------------------------------------------------------- q4

q4 = Question(
    "q4",
    "past the critical batch size",
    "The linear scaling rule says: multiply the batch by $k$, multiply the learning rate by $k$. What did "
    "the lesson measure for batches well above $B_{\\text{crit}}$, and why?\n"
    "\n"
    "**Your answer:** `past_b_crit`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "past_b_crit",
            {
                "a": "The rule holds at every batch size: the best η kept growing in proportion to B.",
                "b": "The best η stopped growing, near the full-batch stability limit: a bigger batch's "
                "cleaner gradient cannot buy a longer step, so the extra examples buy few fewer updates.",
                "c": "The noise grows again past B_crit, so the best η had to shrink.",
                "d": "Full-batch descent diverged whenever η was scaled linearly.",
            },
            "b",
            {
                "a": "The rule held only for the smallest batches, up to about 8 to 16 samples here; past "
                "that the best η grew more slowly and then stopped.",
                "c": "The noise keeps shrinking like 1/B at every batch size; what stops is the benefit of "
                "less noise.",
                "d": "With λ = 0, full-batch descent stayed bounded on this cost even at η = 100, "
                "oscillating across the valley; the trouble is wasted examples, not divergence.",
            },
        )
    ],
    solution='past_b_crit = "b"',
    explanation=(
        "Below B_crit noise limits the step, and a cleaner gradient allows a proportionally longer one. "
        "Above it the step is capped by the steep direction (η < 2/λ_max) at a fraction of what the "
        "gradient's direction would reward, so the best η saturates and a bigger batch mostly costs examples."
    ),
    hints=[
        "Look at the lesson's best-learning-rate plot: where does the measured curve leave the dashed line?"
    ],
    praise="linear scaling holds below B_crit; above it, stability caps the step.",
)


SETUP = """\
import math

import numpy as np

import lossviz as lv
from lossviz.exercises.batch_size_and_time import ____, q1, q2, q3, q4"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3, q4))
