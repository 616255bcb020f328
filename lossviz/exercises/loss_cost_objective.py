"""Exercises of lesson 01, *Loss, cost and objective*: q1 predict-then-check, q2 a function, q3 a choice.

* ``q1`` -- every prediction moved to 0.5: which sample's loss rises most, and the new cost;
* ``q2`` -- write ``cost_from_logits(y, z)``, exact for every finite logit;
* ``q3`` -- summed losses with the penalty inside each one: what goes wrong.
"""

from __future__ import annotations

import numpy as np

from ..data import anchor_sample
from ..losses import bce_loss, bce_loss_from_logits, cost
from ._answers import Case, Choice, Function, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "01_loss_cost_objective.ipynb"


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    y, y_hat = anchor_sample()
    half = np.full_like(y_hat, 0.5)
    rises = bce_loss(y, half) - bce_loss(y, y_hat)
    return {
        "rises_most": str(int(np.argmax(rises)) + 1),
        "cost_at_half": cost(y, half),
        "anchor_cost": cost(y, y_hat),
        "sum_at_half": float(bce_loss(y, half).sum()),
    }


_SAMPLE_ALIASES = {k: (f"sample {k}", f"s{k}", f"sample{k}") for k in "12345"}

q1 = Question(
    "q1",
    "an uninformed model",
    "Replace the network by a model that knows nothing and predicts $\\hat y = 0.5$ for every customer. "
    "**Predict first, without computing:** compared with the anchor table, which sample's loss rises the "
    "most? Then compute the cost of the uninformed model.\n"
    "\n"
    "**Your answer:** `rises_most`, the sample's number as a string (`'1'` to `'5'`), and `cost_at_half`, "
    "the cost $J$ when every $\\hat y$ is 0.5.",
    [
        Choice(
            "rises_most",
            {
                "1": "sample 1 (y = 0, ŷ = 0.541)",
                "2": "sample 2 (y = 1, ŷ = 0.823)",
                "3": "sample 3 (y = 0, ŷ = 0.312)",
                "4": "sample 4 (y = 1, ŷ = 0.791)",
                "5": "sample 5 (y = 0, ŷ = 0.458)",
            },
            lambda v: v.rises_most,
            {
                "1": "Sample 1 has the largest loss now, but at 0.5 its loss *falls*: ŷ₁ = 0.541 is on the "
                "wrong side for a customer who stayed, and 0.5 is closer to its label 0.",
                "3": "Sample 3 was predicted right (ŷ = 0.312 for y = 0), so its loss does rise -- but "
                "another sample was predicted right more confidently, and loses more.",
                "4": "Sample 4's loss rises a lot (it was a confident right prediction), but not the most: "
                "compare how confident each right prediction was.",
                "5": "Sample 5's loss barely moves: ŷ₅ = 0.458 was already close to 0.5.",
            },
            aliases=_SAMPLE_ALIASES,
        ),
        Number(
            "cost_at_half",
            "cost_at_half",
            rtol=1e-3,
            mistakes=[
                Mistake(0.5, "is ŷ itself. The loss of a prediction of 0.5 is −log 0.5, whatever the label."),
                Mistake(
                    np.log10(2.0),
                    "uses the base-10 logarithm; cross-entropy uses the natural log (`np.log`).",
                ),
                Mistake(
                    1.0, "uses the base-2 logarithm; cross-entropy here uses the natural log (`np.log`)."
                ),
                Mistake("sum_at_half", "is the sum of the five losses; the cost is their mean."),
                Mistake("anchor_cost", "is the cost of the anchor table's predictions, not of ŷ = 0.5."),
            ],
            fmt=".4f",
        ),
    ],
    solution="""\
y_half = np.full_like(y_hat, 0.5)                       # the uninformed model
rises = lv.bce_loss(y, y_half) - lv.bce_loss(y, y_hat)  # how much each loss changes
rises_most = str(int(np.argmax(rises)) + 1)             # samples are numbered from 1
cost_at_half = lv.cost(y, y_half)""",
    explanation=(
        "At ŷ = 0.5 every loss is −log 0.5 = log 2 ≈ 0.693, whatever the label, so the cost is log 2 too -- "
        "the cost of knowing nothing, the usual first value of a training curve. A loss rises most where the "
        "prediction was most confidently *right*: that prediction had the smallest loss. Sample 1, the wrong "
        "one, gets better."
    ),
    hints=[
        "What is −[y log 0.5 + (1 − y) log(1 − 0.5)] for y = 1, and for y = 0?",
        "Every sample's new loss is the same number, so the sample whose loss rises most is the one whose "
        "loss was smallest before. `lv.bce_loss(y, np.full_like(y_hat, 0.5))` gives the new losses.",
    ],
    compute=_q1_values,
    praise=(
        "every loss becomes log 2 ≈ {cost_at_half:.4f}, so the sample with the smallest loss before -- the "
        "most confident right prediction -- loses most, and sample 1, the wrong one, gains."
    ),
)


# --------------------------------------------------------------------------- q2


def _reference_cost(y: np.ndarray, z: np.ndarray) -> float:
    return float(bce_loss_from_logits(y, z).mean())


def _q2_cases(v: Values) -> list[Case]:
    rng = np.random.default_rng(20260113)
    y8 = rng.integers(0, 2, 8).astype(float)
    y1000 = rng.integers(0, 2, 1000).astype(float)
    return [
        Case((y8, rng.normal(0.0, 2.0, 8)), "a batch of 8 with moderate logits"),
        Case((np.array([1.0]), np.array([-2.5])), "a single sample, y = 1, z = −2.5"),
        Case(
            (np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0]), np.array([-800.0, 800.0, -35.0, 40.0, 3.0, -1.0])),
            "a batch with confident mistakes (|z| up to 800)",
        ),
        Case(
            (np.array([1.0, 0.0, 1.0, 0.0]), np.array([800.0, -800.0, 50.0, -37.0])),
            "a batch of confident right predictions (|z| up to 800)",
        ),
        Case((y1000, rng.normal(0.0, 30.0, 1000)), "a batch of 1000 with logits spread over ±100"),
    ]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _naive_cost(y: np.ndarray, z: np.ndarray) -> float:
    s = _sigmoid(z)
    return float(np.mean(-(y * np.log(s) + (1 - y) * np.log(1 - s))))


def _post_cost(y: np.ndarray, z: np.ndarray) -> float:
    s = _sigmoid(z)
    return float(np.mean(-(y * np.log(s + 1e-8) + (1 - y) * np.log(1 - s + 1e-8))))


def _no_abs_cost(y: np.ndarray, z: np.ndarray) -> float:
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-z))))


def _swapped_cost(y: np.ndarray, z: np.ndarray) -> float:
    return float(np.mean(np.maximum(y, 0) - z * y + np.log1p(np.exp(-np.abs(y)))))


q2 = Question(
    "q2",
    "the cost from logits",
    "Write the function `cost_from_logits(y, z)`: the cost $J$ -- the mean binary cross-entropy -- of the "
    "labels `y` and the logits `z` (both `(m,)` arrays, $\\hat y = \\sigma(z)$). It must be exact for every "
    "finite logit. The check calls it on batches you have not seen, some with $|z|$ in the hundreds.",
    [
        Function(
            "cost_from_logits",
            "cost_from_logits(y, z)",
            reference=lambda v: _reference_cost,
            cases=_q2_cases,
            returns="a single number, the cost",
            wrong_shape="it returns one loss per sample; the cost is a single number, their mean.",
            rtol=1e-9,
            atol=1e-12,
            mistakes=[
                Mistake(
                    _naive_cost,
                    "is the textbook formula on ŷ = σ(z): for a large |z| the prediction rounds to exactly 0 "
                    "or 1 and the loss becomes inf or nan. Compute the loss from z itself.",
                ),
                Mistake(
                    lambda y, z: float(bce_loss(y, _sigmoid(z)).mean()),
                    "goes through ŷ = σ(z) and clips it, so a confident mistake's loss is capped (at about "
                    "27.6): a churner with logit −800 should cost 800. Compute the loss from z itself.",
                ),
                Mistake(
                    _post_cost,
                    "uses the post's `+ 1e-8`, which caps a confident mistake's loss at about 18.4: a "
                    "churner with logit −800 should cost 800. Compute the loss from z itself.",
                ),
                Mistake(
                    lambda y, z: float(bce_loss_from_logits(y, z).sum()),
                    "is the sum of the losses; the cost is their mean.",
                ),
                Mistake(
                    lambda y, z: -float(bce_loss_from_logits(y, z).mean()),
                    "has the wrong sign: a loss is never negative.",
                ),
                Mistake(
                    _no_abs_cost,
                    "is right for positive logits but not for negative ones: the stable identity has "
                    "exp(−|z|), with the absolute value.",
                ),
                Mistake(
                    _swapped_cost,
                    "treats its first argument as the logits: the order is `cost_from_logits(y, z)`, labels "
                    "first.",
                ),
            ],
            nonfinite="A loss is finite for every finite logit: compute it from z, without forming σ(z).",
        )
    ],
    solution="""\
def cost_from_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    losses = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))   # exact, never overflows
    return losses.mean()""",
    explanation=(
        "With ŷ = σ(z), −[y log σ(z) + (1 − y) log(1 − σ(z))] simplifies to max(z, 0) − y·z + log(1 + "
        "e^(−|z|)). The exponential's argument is never positive, so nothing overflows, and no probability "
        "is rounded to 0 or 1 on the way: a churner with logit −800 costs 800, as it should. The cost is the "
        "mean over the batch. (`lv.bce_loss_from_logits(y, z).mean()` computes the same.)"
    ),
    hints=[
        "Lesson 01 gives the identity frameworks use: L = max(z, 0) − y·z + log(1 + e^(−|z|)). Why is it "
        "safe for z = ±800, when σ(z) is not?",
        "Vectorise it with `np.maximum`, `np.abs` and `np.log1p(np.exp(...))`, then take the mean: the cost "
        "is one number.",
    ],
    praise="your cost is exact for every finite logit, confident mistakes of |z| = 800 included.",
)


# --------------------------------------------------------------------------- q3

q3 = Question(
    "q3",
    "where the penalty goes",
    'A framework *sums* the losses of a batch instead of averaging them (`reduction="sum"`), and the L2 '
    "penalty $\\frac{\\lambda}{2}\\sum_j w_j^2$ is put inside every sample's loss. With batches of $k = 32$, "
    "what happens?\n"
    "\n"
    "**Your answer:** `what_happens`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "what_happens",
            {
                "a": "Nothing: the penalty does not depend on the samples, so where it is added makes no "
                "difference.",
                "b": "The penalty is counted 32 times, as if λ were 32 times larger -- and it would change "
                "with the batch size. It belongs to the objective, added once.",
                "c": "The penalty is divided by 32, so regularisation is 32 times weaker; each loss should "
                "carry k times the penalty.",
                "d": "The bias is penalised too, because every sample has its own bias term.",
            },
            "b",
            {
                "a": "It does not depend on the samples -- but with a sum, a penalty inside every loss is "
                "added once per sample. Lesson 01's five samples counted it five times.",
                "c": "Summing divides nothing, and the penalty is a property of the parameters, not of any "
                "sample.",
                "d": "The bias is one parameter shared by every sample, and Σ w² leaves it out wherever the "
                "penalty is added; the trouble is how many times the penalty is counted.",
            },
        )
    ],
    solution='what_happens = "b"',
    explanation=(
        "Summed, a penalty inside every loss is added once per sample: k·λ/2·Σw², so the effective λ is k "
        "times the one you set and changes when the batch size changes. The penalty depends on the "
        "parameters, not on any sample: it belongs to the objective, J + λ/2·Σw², added once."
    ),
    hints=[
        "Write the batch's summed objective with the penalty inside each of the k losses: Σᵢ (Lᵢ + λ/2·Σw²). "
        "How many penalties is that?",
        "Lesson 01's last cell did this for its five samples.",
    ],
    praise="a penalty inside every summed loss is counted k times; it belongs once, to the objective.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.loss_cost_objective import ____, q1, q2, q3

y, y_hat = lv.anchor_sample()   # the post's five customers: labels and predictions"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
