"""The machinery of the self-checks: the blank ``____``, ``Feedback`` and the ``Exercise`` base.

An :class:`Exercise` has ``check()``, ``hint()`` and ``solution()`` (the pattern
of Kaggle's learntools). ``check`` says *Correct*; *Incorrect*, with what is wrong
and in which direction but not the answer; or *Not attempted*, while an answer is
still the placeholder ``____``. It never raises on an answer of the wrong type or
shape: the readers here (``_number``, ``_vector``, ``_choice``) turn it into a
message, and the judges (``_judge_number``, ``_judge_vector``) compare within a
stated tolerance. Each lesson's questions are in their own module
(:mod:`lossviz.exercises.lesson05`).
"""

from __future__ import annotations

import html
import inspect
import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Exercise", "Feedback", "Placeholder", "____"]


class Placeholder:
    """The blank ``____`` that an answer cell starts with; there is only one."""

    _instance: Placeholder | None = None

    def __new__(cls) -> Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"


#: Replace this with your answer. A check that still sees it says "Not attempted".
____ = Placeholder()


# --------------------------------------------------------------------------- feedback

_STYLE = {
    "Correct": ("#1a7f37", "#e8f5ec"),
    "Incorrect": ("#b42318", "#fdecea"),
    "Not attempted": ("#5f6b7a", "#f2f4f7"),
    "Hint": ("#1d4ed8", "#eaf1fe"),
    "Solution": ("#6b21a8", "#f4ecfb"),
}


@dataclass(frozen=True)
class Feedback:
    """What ``check``, ``hint`` and ``solution`` return; Jupyter displays it.

    Attributes
    ----------
    status : str
        ``"Correct"``, ``"Incorrect"``, ``"Not attempted"``, ``"Hint"`` or ``"Solution"``.
    message : str
        Plain text; ```code``` in backticks is shown as code.
    code : str
        For a solution, the code that computes the answer (else ``""``).
    """

    status: str
    message: str
    code: str = ""

    def __post_init__(self) -> None:
        if self.status not in _STYLE:
            raise ValueError(f"status must be one of {sorted(_STYLE)}, got {self.status!r}")

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
        colour, background = _STYLE[self.status]
        paragraphs = [_inline_code(html.escape(p)) for p in self.message.split("\n\n")]
        paragraphs[0] = f"<b style='color:{colour}'>{self.status}:</b> {paragraphs[0]}"
        body = "".join(f"<p style='margin:0.3em 0'>{p}</p>" for p in paragraphs)
        if self.code:
            body += f"<pre style='margin:0.4em 0 0 0'>{html.escape(self.code)}</pre>"
        return (
            f"<div style='border-left:4px solid {colour};background:{background};"
            f"padding:0.4em 0.8em'>{body}</div>"
        )


def _inline_code(escaped: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


# --------------------------------------------------------------------------- reading answers


class _Unusable(Exception):
    """An answer of the wrong type or shape; its message says what was expected."""


def _describe(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a learner's object whose repr fails still gets a message
        text = "(unprintable)"
    if len(text) > 40:
        text = text[:37] + "..."
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"{type(value).__name__} {text}"


def _number(name: str, value: Any, *, what: str = "a number") -> float:
    if isinstance(value, (bool, np.bool_)):
        raise _Unusable(f"`{name}` should be {what}, not True/False.")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, numbers.Real):
        out = float(value)
        if not math.isfinite(out):
            raise _Unusable(f"`{name}` should be {what}, got {out}.")
        return out
    raise _Unusable(f"`{name}` should be {what}, got {_describe(value)}.")


def _vector(name: str, value: Any, size: int, what: str) -> np.ndarray:
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise _Unusable(f"`{name}` should be {what}, got {_describe(value)}.")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Unusable(f"`{name}` should be {what}, got {_describe(value)}.") from None
    if arr.shape != (size,):
        raise _Unusable(f"`{name}` should be {what} -- shape ({size},) -- got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise _Unusable(f"`{name}` should be {what}, but it holds nan or inf.")
    return arr


def _choice(name: str, value: Any, options: dict[str, tuple[str, ...]]) -> str:
    names = " or ".join(repr(k) for k in options)
    if not isinstance(value, str):
        raise _Unusable(f"`{name}` should be a string, {names}; got {_describe(value)}.")
    key = re.sub(r"[\s_\-]+", "", value.lower())
    for canonical, spellings in options.items():
        if key in spellings:
            return canonical
    raise _Unusable(f"`{name}` should be {names}; got {value!r}.")


def _close(got: Any, want: Any, rtol: float, atol: float) -> bool:
    return bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _direction(got: float, want: float, rtol: float | None = None) -> str:
    """ "too large"/"too small" with a rough size, never the value itself."""
    if want != 0 and got * want < 0:
        return "has the wrong sign"
    if want == 0:
        return "should be zero"
    if got == 0:
        return "should not be zero"
    ratio = abs(got) / abs(want)
    word = "too large" if ratio > 1 else "too small"
    if max(ratio, 1 / ratio) > 10:
        return f"is much {word} (off by more than a factor of 10)"
    if abs(ratio - 1) < 0.1 and rtol is not None:
        return f"is slightly {word} (answers must agree within {rtol:.2g} relative)"
    return f"is {word}"


def _shape(value: Any) -> tuple[int, ...] | None:
    """``np.shape(value)``, or None for ragged or odd objects."""
    try:
        return np.shape(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- the base class


class Exercise:
    """One question: ``check(...)``, ``hint()``, ``solution()``.

    Subclasses name their answers (``answers``), say how to read each one
    (``_read``), compute the expected answers with the package (``_compute``) and
    judge an attempt (``_judge``, a list of problems; empty means correct).
    """

    number: int = 0
    title: str = ""
    answers: tuple[str, ...] = ()
    tolerance: str = ""
    hints: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._expected: dict[str, Any] | None = None

    # -- what a subclass provides
    def _read(self, name: str, value: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _compute(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _judge(self, got: dict[str, Any], want: dict[str, Any]) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def _solution(self, want: dict[str, Any]) -> tuple[str, str]:  # pragma: no cover
        raise NotImplementedError

    # -- the learner's interface
    @property
    def expected(self) -> dict[str, Any]:
        """The expected answers, computed by the package (once, then cached)."""
        if self._expected is None:
            self._expected = self._compute()
        return self._expected

    def check(self, *args: Any, **kwargs: Any) -> Feedback:
        """Check an attempt: *Correct*, *Incorrect* (and why) or *Not attempted*.

        Pass the answers in the order of ``answers`` (or by name). Never raises.
        """
        signature = inspect.Signature(
            [
                inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=____)
                for n in self.answers
            ]
        )
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            return Feedback(
                "Incorrect",
                f"q{self.number}.check takes the answers ({', '.join(self.answers)}), in that order: {exc}.",
            )
        bound.apply_defaults()
        given = dict(bound.arguments)
        blank = [n for n, v in given.items() if v is ____]
        if len(blank) == len(self.answers):
            return Feedback(
                "Not attempted",
                "replace each `____` in the answer cell with your "
                f"answer ({', '.join(f'`{n}`' for n in blank)}), run it, then "
                "run this check again.",
            )
        if blank:
            return Feedback(
                "Not attempted",
                "still `____`: "
                f"{', '.join(f'`{n}`' for n in blank)}. Fill in every answer, then "
                "check again.",
            )
        got, unusable = {}, []
        for name, value in given.items():
            try:
                got[name] = self._read(name, value)
            except _Unusable as exc:
                unusable.append(str(exc))
        if unusable:
            if len(unusable) < len(self.answers):
                unusable.append("The other answers are checked once these are fixed.")
            return Feedback("Incorrect", "\n\n".join(unusable))
        problems = self._judge(got, self.expected)
        if problems:
            return Feedback("Incorrect", "\n\n".join(problems))
        return Feedback("Correct", self._praise(self.expected))

    def hint(self, n: int = 1) -> Feedback:
        """Hint number ``n`` (1, 2, ...): nudges, not the answer."""
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= len(self.hints):
            return Feedback("Hint", f"q{self.number} has hints 1 to {len(self.hints)}; got {n!r}.")
        more = (
            f"\n\n(Hint {n} of {len(self.hints)}; `q{self.number}.hint({n + 1})` for the next.)"
            if n < len(self.hints)
            else ""
        )
        return Feedback("Hint", self.hints[n - 1] + more)

    def solution(self) -> Feedback:
        """A worked answer: the reasoning, the code and the numbers it gives."""
        message, code = self._solution(self.expected)
        return Feedback("Solution", message, code)

    def _praise(self, want: dict[str, Any]) -> str:
        return "well done."

    def __repr__(self) -> str:
        return (
            f"Question {self.number} ({self.title}): q{self.number}.check("
            f"{', '.join(self.answers)}), q{self.number}.hint(), q{self.number}.solution()"
        )


def _judge_number(
    name: str, got: float, want: float, *, rtol: float, atol: float, mistakes: list[tuple[float, str]]
) -> str | None:
    """None when close; else the message of a known mistake it matches, or a direction."""
    if _close(got, want, rtol, atol):
        return None
    for value, message in mistakes:
        if _close(got, value, rtol, atol):
            return f"`{name}` {message}"
    return f"`{name}` {_direction(got, want, rtol)}."


def _judge_vector(
    name: str,
    got: np.ndarray,
    want: np.ndarray,
    labels: tuple[str, ...],
    *,
    rtol: float,
    atol: float,
    mistakes: list[tuple[np.ndarray, str]],
) -> str | None:
    """None when close; else a known mistake's message, or each wrong component's direction."""
    if _close(got, want, rtol, atol):
        return None
    for value, message in mistakes:
        if _close(got, value, rtol, atol):
            return f"`{name}` {message}"
    wrong = [(label, g, w) for label, g, w in zip(labels, got, want) if not _close(g, w, rtol, atol)]
    right = [label for label, g, w in zip(labels, got, want) if _close(g, w, rtol, atol)]
    text = "; ".join(f"its {label} {_direction(g, w)}" for label, g, w in wrong)
    if right:
        text += f" ({', '.join(right)} {'is' if len(right) == 1 else 'are'} right)"
    return f"`{name}`: {text}.{_tolerance_note(wrong, rtol)}"


def _tolerance_note(wrong: list[tuple[Any, float, float]], rtol: float) -> str:
    """Say the tolerance when some wrong value is within 10 % of the expected one."""
    if any(w != 0 and abs(g - w) < 0.1 * abs(w) for _, g, w in wrong):
        return f" (Answers must agree within {rtol:.2g} relative.)"
    return ""
