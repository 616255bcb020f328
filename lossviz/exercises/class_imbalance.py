"""Exercises of lesson 07, *Class imbalance*: q1 predict-then-check, q2 two numbers, q3 a choice.

* ``q1`` -- the churners' share of the cost when every customer is predicted 5 %;
* ``q2`` -- the balancing ``pos_weight``, and the threshold of plain BCE it amounts to;
* ``q3`` -- why the focal loss's γ barely moved the decision boundary.
"""

from __future__ import annotations

import numpy as np

from ..losses import bce_loss
from ..topics.imbalance import balancing_pos_weight, class_cost_shares, make_imbalanced_churn
from ._answers import Choice, Mistake, Number, Values
from ._core import Question, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "07_class_imbalance.ipynb"


def _data() -> tuple[np.ndarray, np.ndarray]:
    return make_imbalanced_churn(1000, positive_rate=0.05, seed=0)


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    x, y = _data()
    logit = np.log(v.prediction / (1 - v.prediction))
    share = float(class_cost_shares((0.0, logit), x, y)[1])  # (non-churners, churners)
    losses = bce_loss(y, np.full_like(y, v.prediction))
    return {
        "churner_share": share,
        "sample_share": float(y.mean()),
        "mean_loss_ratio": float(losses[y == 1].mean() / losses.sum()),
    }


q1 = Question(
    "q1",
    "who carries the cost",
    "On the lesson's training set (50 churners, 950 non-churners), a model predicts $\\hat y = 0.05$ -- the "
    "churn rate -- for every customer. **Predict first:** do the churners carry more or less than half of "
    "its cost? Then compute their share of the summed loss $\\sum_i L^{(i)}$.\n"
    "\n"
    "**Your answer:** `churner_share`, a fraction between 0 and 1.",
    [
        Number(
            "churner_share",
            "churner_share",
            rtol=1e-3,
            mistakes=[
                Mistake(
                    "sample_share",
                    "is the churners' share of the *samples*; their share of the cost weighs each sample by "
                    "its loss.",
                ),
                Mistake(
                    lambda v: 1 - v.churner_share,
                    "is the non-churners' share: each non-churner's loss −log 0.95 is small.",
                ),
                Mistake(0.5, "assumes both classes cost the same; compute each class's summed loss."),
                Mistake(
                    "mean_loss_ratio",
                    "divides one churner's loss by the whole cost; add up all 50 churners' losses.",
                ),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
y_hat = np.full_like(y, 0.05)
losses = lv.bce_loss(y, y_hat)
churner_share = losses[y == 1].sum() / losses.sum()""",
    explanation=(
        "Each churner costs −log 0.05 ≈ 3.0, each non-churner −log 0.95 ≈ 0.05: sixty times less. Fifty "
        "churners outweigh 950 non-churners, so the minority carries about three quarters of the cost -- the "
        "mean is not dominated by the majority's *losses*, even when its decisions favour the majority."
    ),
    hints=[
        "What is the loss of one churner predicted at 0.05, and of one non-churner?",
        "Multiply each by the size of its class; the share is the churners' total over the sum of both.",
    ],
    givens={"prediction": 0.05},
    compute=_q1_values,
    praise="the 50 churners carry {churner_share:.0%} of the cost: each one's loss is sixty times a "
    "non-churner's.",
)


# --------------------------------------------------------------------------- q2


def _q2_values(v: Values) -> dict:
    _, y = make_imbalanced_churn(1000, positive_rate=v.positive_rate, seed=0)
    w = balancing_pos_weight(y)
    return {"pos_weight": w, "threshold": 1 / (1 + w)}


q2 = Question(
    "q2",
    "pos_weight and the threshold",
    "Weighted BCE multiplies every churner's loss by `pos_weight`. Take a training set in which 12 % churn, "
    "`lv.imbalance.make_imbalanced_churn(1000, positive_rate=q2.positive_rate, seed=0)`. Compute the "
    "`pos_weight` that gives its two classes equal total weight, and the threshold on *plain* BCE's $\\hat "
    "y$ that is equivalent to weighting by it, by the lesson's argument.\n"
    "\n"
    "**Your answer:** `pos_weight` and `threshold`.",
    [
        Number(
            "pos_weight",
            "pos_weight",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    lambda v: 1 / v.pos_weight,
                    "is upside down: the churners are the rare class, so their weight is above 1.",
                ),
                Mistake(
                    "positive_rate",
                    "is the churn rate; the weight is the number of non-churners per churner.",
                ),
                Mistake(
                    lambda v: 1 - v.positive_rate,
                    "is the share of non-churners; the weight is the number of non-churners per churner.",
                ),
            ],
            fmt=".4g",
        ),
        Number(
            "threshold",
            "threshold",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    lambda v: 1 / v.pos_weight,
                    "is 1/w₊: adding log w₊ to every logit moves the threshold to σ(−log w₊) = 1/(1 + w₊).",
                ),
                Mistake(0.5, "is the usual threshold; weighting moves it."),
                Mistake(
                    lambda v: 1 - v.threshold,
                    "is on the wrong side of 0.5: weighting the churners up lowers it.",
                ),
            ],
            fmt=".4g",
        ),
    ],
    solution="""\
_, y12 = lv.imbalance.make_imbalanced_churn(1000, positive_rate=q2.positive_rate, seed=0)
n_churners = y12.sum()
pos_weight = (y12.size - n_churners) / n_churners      # = lv.imbalance.balancing_pos_weight(y12)
threshold = 1 / (1 + pos_weight)                       # σ(−log pos_weight)""",
    explanation=(
        "Equal total weight: w₊·m₊ = m₋, so w₊ = m₋/m₊ = 880/120. For this correctly specified model "
        "weighting adds about log w₊ to every logit, so ŷ_weighted ≥ 0.5 is ŷ_plain ≥ σ(−log w₊) = 1/(1 + "
        "w₊)."
    ),
    hints=[
        "How many non-churners are there per churner?",
        "The weight adds about log w₊ to every logit; at which plain ŷ does σ(z + log w₊) reach 0.5?",
    ],
    givens={"positive_rate": 0.12},
    compute=_q2_values,
    praise="w₊ = {pos_weight:.4g} and the threshold {threshold:.3g}: weighting by w₊ moves the threshold.",
)


# --------------------------------------------------------------------------- q3

q3 = Question(
    "q3",
    "what γ does",
    "The focal loss with $\\gamma = 2$ made the model much less confident ($w^*$ fell from about 3.7 to 1.4) "
    "but barely moved the bill at which it predicts churn. Why?\n"
    "\n"
    "**Your answer:** `why_gamma`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "why_gamma",
            {
                "a": "γ = 2 is too small to matter; γ = 5 would fix the churners' recall.",
                "b": "γ discounts easy samples of *both* classes, so the balance between the classes at the "
                "boundary stays where it was; a class weight (α) is what moves the boundary.",
                "c": "The focal loss has no minimum, so the fit stopped early.",
                "d": "The focal loss is only defined for balanced data.",
            },
            "b",
            {
                "a": "The slider of the lesson's explorer moves γ: larger γ flattens the curves further, "
                "without moving where they cross 0.5. γ does not pick a class.",
                "c": "The focal loss has a minimum, found by Newton's method like the others; the fit "
                "converged.",
                "d": "It is defined for any data; Lin et al. designed it for heavily imbalanced detection.",
            },
        )
    ],
    solution='why_gamma = "b"',
    explanation=(
        "The factor (1 − p)^γ shrinks the loss of every well-classified sample, churner or not, so the many "
        "easy non-churners and the few easy churners are both discounted; where the two classes' pulls "
        "balance -- the boundary -- barely moves. The α-balanced focal loss moved it exactly as far as "
        "weighted BCE: the class weight does the work."
    ),
    hints=[
        "Compare the table's rows for focal(γ = 2) and focal(γ = 2, α = 0.95): which one moved the boundary?"
    ],
    praise="γ reshapes the confidence, α moves the decision.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.class_imbalance import ____, q1, q2, q3

x, y = lv.imbalance.make_imbalanced_churn(1000, positive_rate=0.05, seed=0)   # the lesson's training set"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
