"""Exercises of lesson 05, *Reading a loss curve*: the logged loss's noise, and what it means.

* ``q1`` -- predict the standard deviation of the mini-batch loss at frozen parameters, from the formula;
* ``q2`` -- why the logged loss jumps about even when the parameters do not move;
* ``q3`` -- what to watch to decide whether training still improves the model.
"""

from __future__ import annotations

import numpy as np

from ..data import make_churn
from ..model import per_sample_losses
from ..topics.loss_curves import batch_loss_variance
from ._answers import Choice, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "05_reading_a_loss_curve.ipynb"

#: The frozen parameters of q1: near the minimum of the course's churn cost.
PARAMS = (2.0, -2.5)


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    x, y = make_churn()
    L = per_sample_losses(PARAMS, x, y)
    m, B = x.size, 32
    return {
        "batch_loss_sd": float(np.sqrt(batch_loss_variance(PARAMS, x, y, B))),
        "no_correction": float(np.sqrt(L.var() / B)),
        "variance": float(batch_loss_variance(PARAMS, x, y, B)),
        "one_sample": float(L.std()),
        "by_m": float(np.sqrt(L.var() / m)),
    }


q1 = Question(
    "q1",
    "the noise of the log, predicted",
    "Freeze the parameters at `params` (set-up cell) and draw mini-batches of $B = 32$ of the $m = 1000$ "
    "customers without replacement. The per-sample losses `L` have variance $\\operatorname{Var}(L)$. "
    "**Predict** the standard deviation of one batch's mean loss:\n"
    "$\\sqrt{\\operatorname{Var}(L)/B \\cdot (m - B)/(m - 1)}$.\n"
    "\n"
    "**Your answer:** `batch_loss_sd`, one number.",
    [
        Number(
            "batch_loss_sd",
            "batch_loss_sd",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    "no_correction",
                    "leaves out (m − B)/(m − 1): batches drawn without replacement vary a little less.",
                ),
                Mistake("variance", "is the variance; the question asks for its square root."),
                Mistake(
                    "one_sample", "is the spread of one sample's loss, B = 1; a batch averages 32 of them."
                ),
                Mistake(
                    "by_m", "divides by m: that is the whole set's mean, which is J itself, not a batch's."
                ),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
m, B = L.size, 32
batch_loss_sd = np.sqrt(L.var() / B * (m - B) / (m - 1))""",
    explanation=(
        "Each batch's loss is the mean of 32 losses drawn from the same 1000: its variance is Var(L)/B, "
        "times the finite-population correction (m − B)/(m − 1). So the log jumps by about this much from "
        "step to step even when the model does not change at all."
    ),
    hints=["`L.var()` is Var(L) (numpy divides by m, as the formula wants); m = `L.size`."],
    compute=_q1_values,
    praise="{batch_loss_sd:.4f}: the noise the log carries at these parameters, with no update made.",
)


# --------------------------------------------------------------------------- q2

q2 = Question(
    "q2",
    "noise without movement",
    "The lesson froze the parameters and still saw the mini-batch loss spread widely over 2000 batches. "
    "Where does that spread come from?\n"
    "\n"
    "**Your answer:** `why_noisy`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_noisy",
            {
                "a": "From rounding errors in the loss computation.",
                "b": "From which samples each batch holds: the batch's loss is a mean over a few samples, "
                "and the samples' losses differ.",
                "c": "From the learning rate: a large η makes the loss oscillate.",
                "d": "From the cost J itself, which changes from batch to batch.",
            },
            "b",
            {
                "a": "Rounding is around 1e-16; the spread is a few hundredths.",
                "c": "The parameters were frozen: no update was made, so η plays no part.",
                "d": "J is the mean over all 1000 customers at the frozen parameters: one number, the same "
                "for every batch.",
            },
        )
    ],
    solution='why_noisy = "b"',
    explanation=(
        "A framework's log prints the loss of the current batch, an estimate of J from B samples. Its "
        "noise is sampling noise -- which customers happened to be in the batch -- and it is there at "
        "step 0, before anything has been learned."
    ),
    hints=["What differs between two batches when the parameters are the same?"],
    praise="the log is a B-sample estimate of J.",
)


# --------------------------------------------------------------------------- q3

q3 = Question(
    "q3",
    "is it still improving?",
    "The post's practitioner trains with batches of 1 and sees the logged loss 'oscillate wildly'. What "
    "should they look at to decide whether the model is still improving?\n"
    "\n"
    "**Your answer:** `what_to_watch`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "what_to_watch",
            {
                "a": "The last logged value: it is the model's current loss.",
                "b": "The largest logged value of each epoch: it shows the worst case.",
                "c": "J on the whole training set (and on held-out data) every so often, or at least a "
                "smoothed log, knowing the smoothing lags behind.",
                "d": "Nothing: with batches of 1 the loss carries no information.",
            },
            "c",
            {
                "a": "One batch of one sample says how wrong the model is on that customer, not on all.",
                "b": "The maximum tracks the hardest samples drawn, not the model's cost.",
                "d": "Each value is an unbiased estimate of J: averaged, the log does tell, only noisily.",
            },
        )
    ],
    solution='what_to_watch = "c"',
    explanation=(
        "The logged loss is J plus sampling noise. Averaging (an exponential moving average, or the epoch "
        "mean Keras prints) cuts the noise at the price of lag; evaluating J on the full training set, and "
        "on held-out data, measures the model itself."
    ),
    hints=["Which curve in the lesson's first figure was smooth, and what did it measure?"],
    praise="measure J, or smooth the log and remember its lag.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.reading_a_loss_curve import PARAMS, ____, q1, q2, q3

x, y = lv.make_churn()                          # the lesson's training set, m = 1000
params = PARAMS                                 # frozen parameters near the minimum
L = lv.per_sample_losses(params, x, y)          # the 1000 per-sample losses at params"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
