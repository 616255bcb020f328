"""Declarative questions: what a question is, and how ``check``, ``hint``, ``solution`` and ``grade`` work.

A :class:`Question` declares, and computes nothing itself:

* its **answers** -- :class:`~lossviz.exercises._answers.Number`, ``Vector``,
  ``Choice`` or ``Function`` -- each with the mistakes it knows and the message
  each one gets (naming the mistake, never the answer);
* **relations**: mistakes that involve several answers at once (two swapped);
* its **givens** (``q2.params0``) and a ``compute`` function that derives the
  expected numbers from them with :mod:`lossviz` (run once, the first time a
  check needs them; none is typed in);
* **hints**, and **one solution**: the code of the worked answer, which
  ``solution()`` shows, the worked notebook's answer cell holds (generated from
  it), and the tests run and require to be judged Correct.

``check`` says *Correct*; *Incorrect*, with what is wrong; or *Not attempted*,
while an answer is still ``____``. It never raises, whatever it is given: an
answer of the wrong type or shape gets a message saying what was expected.
``grade`` is the same check for nbgrader's grade cells: it reads the answers
from the notebook's namespace and raises unless the check says Correct.

A lesson's questions form a :class:`Sheet`, from which ``tools/exercise_cells.py``
writes the lesson's Exercises section. Display is :mod:`lossviz.exercises._view`.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._answers import Answer, Choice, Unusable, Values, _raised, quiet
from ._feedback import Feedback, ____

__all__ = ["NotCorrect", "Question", "Relation", "Sheet"]


class NotCorrect(AssertionError):
    """Raised by :meth:`Question.grade` when the check does not say Correct (nbgrader scores 0)."""


@dataclass(frozen=True)
class Relation:
    """A mistake that involves several answers at once, such as two answers swapped.

    Attributes
    ----------
    names : tuple of str
        The answers it is about; when it applies, its message replaces theirs.
    applies : callable
        ``applies(got, values)``: True when the read answers (a dict) show it.
    message : str or callable
        The message, or ``message(got, values)``.
    example : callable
        ``example(right, values)``: from the right answers (a dict), answers that
        show the mistake. Only the tests use it.
    """

    names: tuple[str, ...]
    applies: Callable[[dict[str, Any], Values], bool]
    message: str | Callable[[dict[str, Any], Values], str]
    example: Callable[[dict[str, Any], Values], dict[str, Any]]


def _display(feedback: Feedback) -> None:
    """Show feedback in Jupyter (rich), or print it elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - Jupyter always has IPython
        print(feedback)
        return
    if get_ipython() is None:
        print(feedback)
    else:
        display(feedback)


class Question:
    """One exercise: declared answers, mistakes, hints and one solution.

    Parameters
    ----------
    name : str
        The object's name in the notebook (``"q1"``); messages use it.
    title : str
        A few words ("updates per second").
    text : str
        The question, in Markdown, as the lesson shows it.
    answers : sequence of Answer
        In the order ``check`` takes them.
    solution : str
        The code of the worked answer: run after the sheet's set-up and the
        ``preamble``, it assigns every answer.
    explanation : str
        The reasoning ``solution()`` shows above the code.
    hints : sequence of str
        Nudges, first the gentlest; none gives the answer away.
    givens : mapping, optional
        The question's data, also attributes of the question (``q4.batch_sizes``).
    compute : callable, optional
        ``compute(values)`` returns a dict of the numbers the answers are judged
        against (from the givens, with :mod:`lossviz`).
    preamble : str
        Code the answer cell holds above the learner's part (kept in the student copy).
    relations : sequence of Relation
    praise : str or callable
        The message of a correct answer (``{name}`` fields from the values).
    points : int
        What the question is worth in nbgrader.

    Examples
    --------
    >>> from lossviz.exercises import Mistake, Number
    >>> q = Question("q9", "one over", "How many updates per second at 5 s per update?",
    ...              [Number("ups", lambda v: 1 / v.seconds, rtol=1e-3,
    ...                      mistakes=[Mistake("seconds", "is the seconds per update.")])],
    ...              solution="ups = 1 / q9.seconds", explanation="Updates per second is 1 / seconds.",
    ...              hints=["Invert."], givens={"seconds": 5.0})
    >>> q.seconds
    5.0
    >>> q.check(____)  # doctest: +ELLIPSIS
    Not attempted: replace each `____` in the answer cell with your answer (`ups`), run it, ...
    >>> q.check(5)
    Incorrect: `ups` is the seconds per update.
    >>> q.check(0.2)
    Correct: well done.
    >>> q.check("fast")
    Incorrect: `ups` should be a number, got str 'fast'.
    """

    name: str
    title: str
    text: str
    answers: tuple[Answer, ...]
    solution_code: str
    explanation: str
    hints: tuple[str, ...]
    givens: dict[str, Any]
    preamble: str
    relations: tuple[Relation, ...]
    praise: str | Callable[[Values], str]
    points: int
    _compute: Callable[[Values], Mapping[str, Any]] | None
    _values: Values | None
    _signature: inspect.Signature

    def __init__(
        self,
        name: str,
        title: str,
        text: str,
        answers: Sequence[Answer],
        *,
        solution: str,
        explanation: str,
        hints: Sequence[str],
        givens: Mapping[str, Any] | None = None,
        compute: Callable[[Values], Mapping[str, Any]] | None = None,
        preamble: str = "",
        relations: Sequence[Relation] = (),
        praise: str | Callable[[Values], str] = "well done.",
        points: int = 1,
    ) -> None:
        names = [a.name for a in answers]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"{name}: answers must have distinct names, got {names}")
        if not hints:
            raise ValueError(f"{name}: a question needs at least one hint")
        for a in answers:
            if isinstance(a, Choice):
                computed = callable(a.answer)
                missing = set(a.options) - ({a.answer} if not computed else set()) - set(a.feedback)
                if len(missing) > computed or (not computed and a.answer not in a.options):
                    raise ValueError(f"{name}.{a.name}: every wrong option needs feedback; missing {missing}")
        if isinstance(points, bool) or not isinstance(points, numbers.Integral) or points < 1:
            raise ValueError(f"{name}: points must be a positive integer, got {points!r}")
        self.name = name
        self.title = title
        self.text = text
        self.answers = tuple(answers)
        self.solution_code = solution.strip("\n")
        self.explanation = explanation
        self.hints = tuple(hints)
        self.givens = dict(givens or {})
        self.preamble = preamble.strip("\n")
        self.relations = tuple(relations)
        self.praise = praise
        self.points = int(points)
        self._compute = compute
        self._values: Values | None = None
        self._signature = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=____) for n in names]
        )

    # -- the givens and the computed numbers
    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        try:
            return self.__dict__["givens"][attr]
        except KeyError:
            raise AttributeError(
                f"{self.__dict__.get('name', 'question')} has no attribute {attr!r}"
            ) from None

    @property
    def answer_names(self) -> tuple[str, ...]:
        """The answers' names, in the order ``check`` takes them."""
        return tuple(a.name for a in self.answers)

    @property
    def values(self) -> Values:
        """The givens and the computed numbers (computed once, on first use)."""
        if self._values is None:
            values = Values(self.givens)
            if self._compute is not None:
                values.update(self._compute(values))
            self._values = values
        return self._values

    @property
    def expected(self) -> dict[str, Any]:
        """The right answers, as the checks compute them."""
        return {a.name: a.expected(self.values) for a in self.answers}

    @property
    def tolerance(self) -> str:
        """How close an answer must be, in words."""
        parts = [t for t in (a.tolerance() for a in self.answers) if t]
        return "; ".join(parts)

    # -- checking
    def check(self, *args: Any, **kwargs: Any) -> Feedback:
        """Check an attempt: *Correct*, *Incorrect* (and why) or *Not attempted*. Never raises.

        Parameters
        ----------
        *args, **kwargs
            The answers, in the order of :attr:`answer_names` (or by name).

        Returns
        -------
        Feedback
        """
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as exc:
            return Feedback(
                "Incorrect",
                f"`{self.name}.check` takes the answers ({', '.join(self.answer_names)}), "
                f"in that order: {exc}.",
            )
        bound.apply_defaults()
        return self._check(dict(bound.arguments), ())

    def _check(self, given: dict[str, Any], missing: Sequence[str]) -> Feedback:
        try:
            with quiet():  # huge answers: no overflow warnings from comparing them
                return self._judge(given, missing)
        except Exception as exc:  # a last resort: whatever a learner passes gets a message (one line)
            return Feedback(
                "Incorrect",
                f"your answers could not be checked ({_raised(exc)}). Check that each "
                f"one is what the question asks for: {', '.join(self.answer_names)}.",
            )

    def _judge(self, given: dict[str, Any], missing: Sequence[str]) -> Feedback:
        values = self.values
        blank = [a.name for a in self.answers if a.name in missing or a.is_blank(given[a.name], values)]
        if missing:
            return Feedback(
                "Not attempted",
                f"{', '.join(f'`{n}`' for n in missing)} {'is' if len(missing) == 1 else 'are'} not "
                "defined yet: replace each `____` in the answer cell with your answer, run it, then run this "
                "cell again.",
            )
        if len(blank) == len(self.answers):
            return Feedback(
                "Not attempted",
                "replace each `____` in the answer cell with your answer "
                f"({', '.join(f'`{n}`' for n in blank)}), run it, then run this check again.",
            )
        if blank:
            return Feedback(
                "Not attempted",
                f"still `____`: {', '.join(f'`{n}`' for n in blank)}. Fill in every answer, then check "
                "again.",
            )
        got: dict[str, Any] = {}
        unusable: list[str] = []
        for a in self.answers:
            try:
                got[a.name] = a.read(given[a.name], values)
            except Unusable as exc:
                unusable.append(str(exc))
        if unusable:
            if len(unusable) < len(self.answers):
                unusable.append("The other answers are checked once these are fixed.")
            return Feedback("Incorrect", "\n\n".join(unusable))
        problems: list[str] = []
        settled: set[str] = set()
        for relation in self.relations:
            if settled.isdisjoint(relation.names) and relation.applies(got, values):
                message = relation.message
                problems.append(message(got, values) if callable(message) else message)
                settled.update(relation.names)
        for a in self.answers:
            if a.name not in settled:
                problem = a.judge(got[a.name], values)
                if problem:
                    problems.append(problem)
        if problems:
            return Feedback("Incorrect", "\n\n".join(problems))
        praise = self.praise(values) if callable(self.praise) else self.praise.format_map(values)
        return Feedback("Correct", praise)

    def grade(self, namespace: Mapping[str, Any]) -> None:
        """The check of an nbgrader grade cell: show the feedback, raise unless Correct.

        Parameters
        ----------
        namespace : mapping
            Where the answers are, by name: ``globals()`` in a notebook. An answer
            that is not there counts as not attempted (not a ``NameError``).

        Raises
        ------
        NotCorrect
            Unless the check says Correct; its message starts with the status (the feedback
            itself is displayed above it).

        Examples
        --------
        >>> from lossviz.exercises import Number
        >>> q = Question("q9", "t", "?", [Number("a", 1.0)], solution="a = 1.0",
        ...              explanation=".", hints=["."])
        >>> q.grade({"a": 1})
        Correct: well done.
        >>> q.grade({})
        Traceback (most recent call last):
        ...
        lossviz.exercises._core.NotCorrect: Not attempted -- q9 scores 0 (the feedback above says why).
        """
        __tracebackhide__ = True  # IPython: the traceback ends at the grade cell
        missing = [n for n in self.answer_names if n not in namespace]
        feedback = self._check({n: namespace.get(n, ____) for n in self.answer_names}, missing)
        _display(feedback)
        if not feedback.correct:
            raise NotCorrect(f"{feedback.status} -- {self.name} scores 0 (the feedback above says why).")

    # -- help
    def hint(self, n: int = 1) -> Feedback:
        """Hint number ``n`` (1, 2, ...): a nudge, not the answer."""
        count = len(self.hints)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= count:
            return Feedback("Hint", f"{self.name} has hints 1 to {count}; got {n!r}.")
        more = (
            f"\n\n(Hint {n} of {count}; `{self.name}.hint({n + 1})` for the next.)"
            if n < count
            else ("\n\n(The last hint; `" + self.name + ".solution()` shows the worked answer.)")
        )
        return Feedback("Hint", self.hints[n - 1] + more)

    def solution(self) -> Feedback:
        """The worked answer: the reasoning, the code (the one declared solution) and what it gives."""
        values = self.values
        revealed = "; ".join(a.reveal(values).rstrip(".") for a in self.answers)
        return Feedback("Solution", f"{self.explanation}\n\nThe answer: {revealed}.", self.solution_code)

    def __repr__(self) -> str:
        return (
            f"Exercise {self.name} ({self.title}): {self.name}.check({', '.join(self.answer_names)}), "
            f"{self.name}.hint(), {self.name}.solution()"
        )


@dataclass(frozen=True)
class Sheet:
    """A lesson's exercises: the set-up its section starts with, and its questions.

    Attributes
    ----------
    lesson : str
        The lesson's notebook, e.g. ``"01_loss_cost_objective.ipynb"``.
    setup : str
        The section's first code cell: imports and data, so that the section runs
        on its own, whatever the lesson above it defines.
    questions : tuple of Question
    intro : str
        Markdown after the section's heading.
    heading : str
        The section's heading.
    question_heading : str
        Each question's heading; ``{number}`` and ``{title}`` are filled in.
    module : str
        The module's name in :mod:`lossviz.exercises`, when it is not the lesson's slug.
    """

    lesson: str
    setup: str
    questions: tuple[Question, ...]
    intro: str = ""
    heading: str = "## Exercises"
    question_heading: str = "### Exercise {number} · {title}"
    module: str = ""

    def __post_init__(self) -> None:
        names = [q.name for q in self.questions]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.lesson}: question names must be distinct, got {names}")

    @property
    def slug(self) -> str:
        """The module's name: the lesson's name without its number (``"loss_cost_objective"``) by default."""
        if self.module:
            return self.module
        stem = self.lesson.removesuffix(".ipynb")
        return stem.split("_", 1)[1] if stem[:2].isdigit() else stem
