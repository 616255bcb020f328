"""Exercises of lesson 08, *Overfitting*: q1 two costs of one fit, q2 which number to report, q3 a prediction.

* ``q1`` -- the training and the validation cost of a degree-15 fit on 20 customers;
* ``q2`` -- after choosing λ on the validation set, which number to report;
* ``q3`` -- the validation error of a model that predicts "no churn" for everyone.
"""

from __future__ import annotations

import numpy as np

from ..data import make_churn
from ..topics.capacity import fit_poly_logistic
from ._answers import Choice, Mistake, Number, Values
from ._core import Question, Relation, Sheet
from ._feedback import ____

__all__ = ["SHEET", "____", "q1", "q2", "q3"]

LESSON = "08_overfitting.ipynb"


def _validation() -> tuple[np.ndarray, np.ndarray]:
    return make_churn(5_000, seed=10_000)


# --------------------------------------------------------------------------- q1


def _q1_values(v: Values) -> dict:
    x20, y20 = make_churn(20, seed=v.train_seed)
    x_val, y_val = _validation()
    model = fit_poly_logistic(x20, y20, v.degree, v.lam)
    return {
        "train_cost": model.cost(x20, y20),
        "validation_cost": model.cost(x_val, y_val),
        "train_error": model.error_rate(x20, y20),
        "validation_error": model.error_rate(x_val, y_val),
    }


def _swapped(got: dict, v: Values) -> bool:
    rel = 1e-4
    return bool(
        np.isclose(got["train_cost"], v.validation_cost, rtol=rel)
        and np.isclose(got["validation_cost"], v.train_cost, rtol=rel)
    )


q1 = Question(
    "q1",
    "two costs of one fit",
    "Fit the degree-`q1.degree` (= 15) model with $\\lambda$ = `q1.lam` (= $10^{-6}$) to the 20 customers of "
    "training set `q1.train_seed` (= 3), `lv.make_churn(20, seed=3)`, and compute its cost on those 20 and "
    "on the validation set of the set-up cell.\n"
    "\n"
    "**Your answer:** `train_cost` and `validation_cost`.",
    [
        Number(
            "train_cost",
            "train_cost",
            rtol=1e-4,
            mistakes=[
                Mistake("train_error", "is the training *error rate*; the question asks for the cost.")
            ],
            fmt=".4f",
        ),
        Number(
            "validation_cost",
            "validation_cost",
            rtol=1e-4,
            mistakes=[
                Mistake("validation_error", "is the validation *error rate*; the question asks for the cost.")
            ],
            fmt=".4f",
        ),
    ],
    relations=[
        Relation(
            ("train_cost", "validation_cost"),
            _swapped,
            "`train_cost` and `validation_cost` are swapped: the training cost is measured on the 20 "
            "customers the model was fitted to.",
            lambda right, v: {"train_cost": right["validation_cost"], "validation_cost": right["train_cost"]},
        )
    ],
    solution="""\
x20, y20 = lv.make_churn(20, seed=q1.train_seed)
model = lv.capacity.fit_poly_logistic(x20, y20, q1.degree, q1.lam)
train_cost = model.cost(x20, y20)
validation_cost = model.cost(x_val, y_val)""",
    explanation=(
        "With 15 features for 20 customers the model nearly interpolates its training labels, so its "
        "training cost is small, while its cost on 5000 new customers is many times larger: the training "
        "cost measures how well the model remembers its 20 customers."
    ),
    hints=[
        "`lv.capacity.fit_poly_logistic(x, y, degree, lam)` returns a model with `.cost(x, y)`.",
        "Fit on the 20 training customers only; evaluate `.cost` on them, then on `x_val, y_val`.",
    ],
    givens={"degree": 15, "lam": 1e-6, "train_seed": 3},
    compute=_q1_values,
    praise="training cost {train_cost:.3f}, validation cost {validation_cost:.3f}: the model remembered its "
    "20 customers.",
)


# --------------------------------------------------------------------------- q2

q2 = Question(
    "q2",
    "which number to report",
    "You swept $\\lambda$ for the degree-15 model and chose the value with the lowest mean validation cost. "
    "Which number do you report as the cost to expect on new customers?\n"
    "\n"
    "**Your answer:** `report`, one of `'a'`, `'b'`, `'c'`, `'d'`.",
    [
        Choice(
            "report",
            {
                "a": "The training cost at the chosen λ.",
                "b": "The validation cost at the chosen λ.",
                "c": "The cost on a test set that played no part in the fitting or the choosing, measured "
                "once.",
                "d": "The lowest validation cost over every degree and λ tried.",
            },
            "c",
            {
                "a": "The training cost says how well the model remembers its training set; the lesson's "
                "degree-15 fit had a tenth of the others' training cost and thirty times their validation "
                "cost.",
                "b": "λ was chosen *because* it did best on the validation set, so that cost is optimistic.",
                "d": "The best of many tries on one set is more optimistic still: the more settings you "
                "compare, the luckier the winner.",
            },
        )
    ],
    solution='report = "c"',
    explanation=(
        "A number used to choose something is no longer an honest estimate of it. Choose capacity and λ on "
        "validation data, and report on test data that played no part in either, looked at once."
    ),
    hints=["Which of these numbers was used to make a choice, and which was not?"],
    praise="choose on validation data, report on test data looked at once.",
)


# --------------------------------------------------------------------------- q3


def _q3_values(v: Values) -> dict:
    _, y_val = _validation()
    return {"error_no_churn": float(y_val.mean())}


q3 = Question(
    "q3",
    "too much λ",
    "With a huge $\\lambda$ the weights shrink to nothing and the model predicts its training set's majority "
    'class for everyone: here "no churn". **Predict** its error rate on the validation set from what you '
    "know of the data, then compute it.\n"
    "\n"
    "**Your answer:** `error_no_churn`.",
    [
        Number(
            "error_no_churn",
            "error_no_churn",
            rtol=1e-6,
            mistakes=[
                Mistake(
                    lambda v: 1 - v.error_no_churn,
                    'counts the customers it gets right: predicting "no churn" is right for everyone who '
                    "stayed.",
                ),
                Mistake(0.5, "is a coin's error rate; this model makes the same prediction for everyone."),
                Mistake(0.0, "would hold only if no one churned."),
            ],
            fmt=".4f",
        )
    ],
    solution="""\
error_no_churn = np.mean(y_val != 0)     # wrong exactly on the customers who churned""",
    explanation=(
        'A model that predicts "no churn" for everyone is wrong on every churner and right on everyone '
        "else: its error rate is the churn rate, about 40 % here -- where the lesson's error curve climbs "
        "for large λ."
    ),
    hints=['On which customers is "no churn" wrong?'],
    compute=_q3_values,
    praise="{error_no_churn:.1%}, the churn rate: where the lesson's error curve goes for huge λ.",
)


SETUP = """\
import numpy as np

import lossviz as lv
from lossviz.exercises.overfitting import ____, q1, q2, q3

x_val, y_val = lv.make_churn(5_000, seed=10_000)   # the lesson's validation set"""

SHEET = Sheet(LESSON, SETUP, (q1, q2, q3))
