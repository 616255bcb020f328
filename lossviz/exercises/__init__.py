"""Exercises for every lesson: ``check()``, ``hint()``, ``solution()`` -- and ``grade()`` for nbgrader.

Each lesson's questions are in a module named by the lesson's slug; a lesson's
Exercises section starts with, e.g.::

    from lossviz.exercises.loss_cost_objective import ____, q1, q2, q3

The questions are declared (:mod:`lossviz.exercises._core`): answers of four kinds
(:class:`Number`, :class:`Vector`, :class:`Choice`, :class:`Function`), the known
mistakes with their messages, hints and one solution. :data:`SHEETS` lists every
lesson's module.
"""

from __future__ import annotations

import importlib

from ._answers import Case, Choice, Function, Mistake, Number, Values, Vector
from ._core import NotCorrect, Question, Relation, Sheet
from ._feedback import Feedback, Placeholder, ____

#: The modules of the lessons' exercises, in the order of the course (each has a ``SHEET``).
SHEETS = (
    "loss_cost_objective",
    "gradient_of_the_cost",
    "cost_landscape",
    "full_batch_vs_minibatch",
    "reading_a_loss_curve",
    "five_questions",
    "class_imbalance",
    "overfitting",
    "batch_size_and_time",
    "sharp_and_flat_minima",
    "optimisers_on_the_landscape",
    "network_landscape",
)


def sheets() -> list[Sheet]:
    """Every lesson's :class:`Sheet`, in the order of the course (imports the modules).

    Examples
    --------
    >>> [(s.lesson[:2], len(s.questions)) for s in sheets()][:3]
    [('01', 3), ('02', 3), ('03', 3)]
    """
    return [importlib.import_module(f"{__name__}.{name}").SHEET for name in SHEETS]


__all__ = [
    "SHEETS",
    "Case",
    "Choice",
    "Feedback",
    "Function",
    "Mistake",
    "NotCorrect",
    "Number",
    "Placeholder",
    "Question",
    "Relation",
    "Sheet",
    "Values",
    "Vector",
    "____",
    "sheets",
]
