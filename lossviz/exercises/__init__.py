"""Self-checks for the lessons' questions: ``check()``, ``hint()``, ``solution()`` (loaded on first use).

In notebook 05::

    from lossviz.exercises import ____, q1, q2, q3, q4, q5

The machinery is in :mod:`lossviz.exercises._core`, the questions of notebook 05
in :mod:`lossviz.exercises.lesson05`.
"""

from ._core import Exercise, Feedback, Placeholder, ____
from .lesson05 import q1, q2, q3, q4, q5

__all__ = ["Exercise", "Feedback", "Placeholder", "____", "q1", "q2", "q3", "q4", "q5"]
