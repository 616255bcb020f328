"""What a check returns, and the blank an answer starts as: :class:`Feedback` and ``____``.

Only data here; how feedback looks in Jupyter is :mod:`lossviz.exercises._view`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["STATUSES", "Feedback", "Placeholder", "____"]


class Placeholder:
    """The blank ``____`` that an answer cell starts with; there is only one.

    Examples
    --------
    >>> Placeholder() is ____
    True
    >>> ____
    ____
    """

    _instance: Placeholder | None = None

    def __new__(cls) -> Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __reduce__(self) -> str:  # copies and pickles stay the one blank
        return "____"


#: Replace this with your answer. A check that still sees it says "Not attempted".
____ = Placeholder()

#: Every status a :class:`Feedback` can have.
STATUSES = ("Correct", "Incorrect", "Not attempted", "Hint", "Solution")


@dataclass(frozen=True)
class Feedback:
    """What ``check``, ``hint`` and ``solution`` return; Jupyter displays it.

    Attributes
    ----------
    status : str
        ``"Correct"``, ``"Incorrect"``, ``"Not attempted"``, ``"Hint"`` or ``"Solution"``.
    message : str
        Plain text, paragraphs separated by blank lines; ```code``` in backticks
        is shown as code.
    code : str
        For a solution, the code that computes the answer (else ``""``).

    Examples
    --------
    >>> fb = Feedback("Incorrect", "`x` is too large.")
    >>> fb.correct, fb
    (False, Incorrect: `x` is too large.)
    """

    status: str
    message: str
    code: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {list(STATUSES)}, got {self.status!r}")

    @property
    def correct(self) -> bool:
        """True only for a correct answer."""
        return self.status == "Correct"

    def __str__(self) -> str:
        text = f"{self.status}: {self.message}"
        return text + ("\n\n" + self.code if self.code else "")

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from ._view import feedback_html

        return feedback_html(self)
