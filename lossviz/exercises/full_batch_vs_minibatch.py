"""Exercises of lesson 04, *Full batch, mini-batch and online learning*: counting, a choice, noise.

* ``q1`` -- updates per epoch with batches of 64, and examples seen after 100 updates;
* ``q2`` -- why online learning at η = 0.5 ended its epoch worse than it started;
* ``q3`` -- the noise-to-signal ratio of 100-sample batches at the start.
"""

from __future__ import annotations

import numpy as np

from ..data import make_churn
from ..model import gradient, per_sample_gradients
from ..optim.noise import minibatch_gradient_variance
from ..optim.sgd import train
from ..topics.batch_size import updates_per_epoch
from ._answers import Choice, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "04_full_batch_vs_minibatch.ipynb"


def _data() -> tuple[np.ndarray, np.ndarray]:
    return make_churn(m=1000, seed=0)


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    x, y = _data()
    per_epoch = updates_per_epoch(v.m, v.batch_size)
    run = train(x, y, batch_size=v.batch_size, lr=0.5, epochs=v.n_updates // per_epoch + 1, seed=0)
    return {"updates_per_epoch": per_epoch, "examples_seen": int(run.examples_seen[v.n_updates])}


q1 = Question(
    "q1",
    "counting updates and examples",
    "`lv.train` with batches of `q1.batch_size` (= 64) on the $m = 1000$ customers: how many updates does "
    "one epoch make, and how many examples has the run seen after `q1.n_updates` (= 100) updates? Work it "
    "out from how an epoch is cut into batches, then check it against `lv.train(...).examples_seen`.\n"
    "\n"
    "**Your answer:** `updates_per_epoch` and `examples_seen`, two whole numbers.",
    [
        Number(
            "updates_per_epoch",
            "updates_per_epoch",
            integer=True,
            what="a whole number of updates",
            mistakes=[
                Mistake(
                    lambda v: v.m // v.batch_size,
                    "is one short: 1000 is not a multiple of 64, and the last, smaller batch is an update "
                    "too.",
                ),
                Mistake(
                    1, "is full batch's: one update per epoch only when the batch is the whole data set."
                ),
            ],
            fmt="d",
        ),
        Number(
            "examples_seen",
            "examples_seen",
            integer=True,
            what="a whole number of examples",
            mistakes=[
                Mistake(
                    lambda v: v.n_updates * v.batch_size,
                    "counts 64 examples for every update, but the last batch of each epoch is smaller.",
                ),
                Mistake(
                    lambda v: v.n_updates * v.m / updates_per_epoch(v.m, v.batch_size),
                    "spreads an epoch's examples evenly over its updates; the batches are 64, 64, ..., and a "
                    "smaller last one.",
                ),
                Mistake("n_updates", "counts updates, not examples."),
            ],
            fmt="d",
        ),
    ],
    solution="""\
updates_per_epoch = math.ceil(q1.m / q1.batch_size)        # 15 batches of 64 and one of 40
full_epochs, extra = divmod(q1.n_updates, updates_per_epoch)
examples_seen = full_epochs * q1.m + extra * q1.batch_size  # whole epochs, then full batches""",
    explanation=(
        "Each epoch shuffles the 1000 samples and cuts them into ⌈1000/64⌉ = 16 batches: 15 of 64 and a last "
        "one of 40. After 100 updates the run has made 6 whole epochs (96 updates, 6000 examples) and 4 "
        "batches of the seventh (256 examples)."
    ),
    hints=[
        "An epoch is one pass over the 1000 samples, cut into batches of 64. How many batches, and how big "
        "is the last?",
        "100 updates are some whole epochs and a few batches of the next; each whole epoch is exactly 1000 "
        "examples.",
    ],
    givens={"m": 1000, "batch_size": 64, "n_updates": 100},
    compute=_q1_values,
    praise="{updates_per_epoch} updates per epoch, and {examples_seen} examples after 100 updates -- as "
    "`lv.train` counts.",
)


# --------------------------------------------------------------------------- q2

q2 = Question(
    "q2",
    "online learning gone wrong",
    "In the lesson, online learning ($k = 1$) with $\\eta = 0.5$ ended its first epoch with a *higher* cost "
    "than it started with, after 1000 updates, while the mini-batch run ($k = 32$) came down. Why?\n"
    "\n"
    "**Your answer:** `why_worse`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_worse",
            {
                "a": "A one-sample gradient is biased: on average it does not point along ∇J.",
                "b": "A one-sample gradient's noise is many times its signal (about 58 times at the start), "
                "and η = 0.5 turns that noise into large random steps; a smaller η tames it.",
                "c": "It diverged, because η·λ > 2.",
                "d": "One epoch is too few updates to make progress.",
            },
            "b",
            {
                "a": "Each update uses a sample drawn from the training set, so the expected step is −η∇J: "
                "the estimate is unbiased. What is large is its spread.",
                "c": "λ = 0 in these runs, and the run stayed bounded; the trouble is not divergence.",
                "d": "It made 1000 updates -- a thousand times as many as full batch in the same epoch.",
            },
        )
    ],
    solution='why_worse = "b"',
    explanation=(
        "The one-sample estimate is unbiased, but its squared error tr Σ was about 58 times the squared "
        "signal ‖∇J‖² at the start. With η = 0.5 each step moves mostly at random, up the valley's walls; "
        "the lesson's η = 0.05 made online learning the best of all after one epoch."
    ),
    hints=[
        "The lesson's section *Where the noise comes from* compares the noise of k = 1, 32 and 1000 with the "
        "signal."
    ],
    praise="unbiased but noisy: at η = 0.5 the noise wins; shrink η and online learning works.",
)


# --------------------------------------------------------------------------- q3


def _q3_values(v: Values) -> dict:
    x, y = _data()
    g = gradient(v.params, x, y)
    signal = float(g @ g)
    noise = minibatch_gradient_variance(v.params, x, y, v.batch_size)
    tr_sigma = float(per_sample_gradients(v.params, x, y).var(axis=0).sum())
    return {
        "noise_to_signal": noise / signal,
        "with_replacement": tr_sigma / v.batch_size / signal,
        "one_sample": tr_sigma / signal,
    }


q3 = Question(
    "q3",
    "noise against signal",
    "At the start, $(w, b) = (0, 0)$, compare the noise of a 100-sample batch's gradient with the signal: "
    "compute $\\mathbb{E}\\lVert \\hat g_{100} - g\\rVert^2 / \\lVert g\\rVert^2$, where $g = \\nabla J$ on "
    "the course's data.\n"
    "\n"
    "**Your answer:** `noise_to_signal`.",
    [
        Number(
            "noise_to_signal",
            "noise_to_signal",
            rtol=1e-3,
            mistakes=[
                Mistake(
                    "with_replacement",
                    "leaves out the factor (m − k)/(m − 1): the batches are drawn without replacement.",
                ),
                Mistake(
                    lambda v: np.sqrt(v.noise_to_signal),
                    "compares lengths; the question compares the squared error with the squared length ‖g‖².",
                ),
                Mistake(
                    "one_sample", "is the noise of a single sample's gradient (k = 1), not of a batch of 100."
                ),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
g = lv.gradient(q3.params, x, y)
noise = lv.minibatch_gradient_variance(q3.params, x, y, q3.batch_size)
noise_to_signal = noise / (g @ g)""",
    explanation=(
        "The squared error of a k-sample batch is tr Σ/k·(m − k)/(m − 1) (`lv.minibatch_gradient_variance`); "
        "divided by ‖∇J‖² it says how far a step strays compared with how far it goes. Below 1, the batch's "
        "steps point roughly the right way."
    ),
    hints=[
        "The lesson computed the same ratio for k = 1, 32 and 1000.",
        "`lv.minibatch_gradient_variance(params, x, y, batch_size)` is the noise; `g @ g` the squared "
        "signal.",
    ],
    givens={"params": (0.0, 0.0), "batch_size": 100},
    compute=_q3_values,
    praise="{noise_to_signal:.3f}: at the start a batch of 100 already points the right way.",
)


SETUP = """\
import math

import numpy as np

import lossviz as lv
from lossviz.exercises.full_batch_vs_minibatch import ____, q1, q2, q3

x, y = lv.make_churn(m=1000, seed=0)   # the course's customers"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
