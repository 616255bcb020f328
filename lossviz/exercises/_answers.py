"""The kinds of answer a question can declare, and how each one is read and judged.

* :class:`Number` -- a number, within a tolerance;
* :class:`Vector` -- a labelled vector of numbers, within a tolerance;
* :class:`Choice` -- one option among several, with feedback for each wrong one;
* :class:`Function` -- a function the learner writes, called on inputs (:class:`Case`)
  that the notebook never shows and compared with a reference implementation.

Each kind reads a learner's value (``read``: a wrong type or shape becomes a message,
never a traceback) and judges it (``judge``: ``None`` when right, else a message
that names the likely mistake -- a declared :class:`Mistake` when one matches --
without giving the answer). What an answer is compared with may depend on numbers
the question computes: a *spec* is a constant, the name of one of the question's
:class:`Values`, or a function of them.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import math
import numbers
import operator
import re
import reprlib
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._feedback import ____

__all__ = ["Case", "Choice", "Function", "Mistake", "Number", "Values", "Vector"]


class Values(dict):
    """A question's givens and computed numbers, by key or attribute (``v["m"]``, ``v.m``).

    Examples
    --------
    >>> v = Values(m=1000)
    >>> v.m, v["m"]
    (1000, 1000)
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


#: A constant, the name of one of the question's values, or a function of them.
Spec = Any


def resolve(spec: Spec, values: Values) -> Any:
    """The value of a spec: ``spec(values)``, ``values[spec]`` for a string, else ``spec``."""
    if callable(spec):
        return spec(values)
    if isinstance(spec, str):
        return values[spec]
    return spec


def render(message: str | Callable[[Values], str], values: Values) -> str:
    """A message: ``message(values)``, or the string with ``{name}`` filled in from the values."""
    if callable(message):
        return message(values)
    return message.format_map(values)


class Unusable(Exception):
    """An answer of the wrong type or shape; its message says what was expected.

    ``reason`` is the short why ("holds text; write numbers without quotes"), for
    messages about a learner's function's result.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


#: Longest description of a learner's value in a message; lists are cut after a few items.
_REPR = reprlib.Repr()
_REPR.maxlevel = 2  # a list that holds itself is shown as [0.5, [0.5, [...]]]
_REPR.maxlist = _REPR.maxtuple = 4
_REPR.maxdict = 3
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 30  # 10**400 is cut short (10**5000: "(unprintable)")


def describe(value: Any) -> str:
    """A short description of a learner's value, for messages (never raises, never slow).

    Examples
    --------
    >>> describe([0.5] * 10**6)
    'list [0.5, 0.5, 0.5, 0.5, ...] (1000000 items)'
    >>> describe(10**400)
    'int 1000000000000...00000000000000'
    """
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if inspect.isroutine(value) or isinstance(value, type):
        return f"{'class' if isinstance(value, type) else 'function'} {getattr(value, '__qualname__', '?')}"
    try:
        text = _REPR.repr(value)
    except Exception:  # a learner's object whose repr (or len) fails still gets a message
        text = "(unprintable)"
    if len(text) > 40:
        text = text[:37] + "..."
    try:
        if isinstance(value, (list, tuple)) and len(value) > _REPR.maxlist:
            text += f" ({len(value)} items)"
    except Exception:
        pass
    return f"{type(value).__name__} {text}"


def _tensor_tip(value: Any, how: str) -> str:
    """A tip for objects that look like a tensor (they have ``detach``), else ``""``."""
    return f" (for a tensor, `{how}`)" if hasattr(type(value), "detach") else ""


def _raised(exc: BaseException) -> str:
    """``"RuntimeError: the message"``, short, for a conversion of the learner's object that raised."""
    text = " ".join(str(exc).split())
    text = (text[:90] + "...") if len(text) > 90 else text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Run a learner's code without numpy's floating-point warnings (inf and nan are judged instead)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            yield


def close(got: Any, want: Any, rtol: float, atol: float) -> bool:
    """``np.allclose`` of two numbers or arrays of the same shape (False for different shapes)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def direction(got: float, want: float, rtol: float | None = None) -> str:
    """ "is too large"/"is too small" with a rough size, never the value itself."""
    if want != 0 and got * want < 0:
        return "has the wrong sign"
    if want == 0:
        return "is not right: think about what is special about this case"
    if got == 0:
        return "should not be zero"
    ratio = abs(got) / abs(want)
    word = "too large" if ratio > 1 else "too small"
    if max(ratio, 1 / ratio) > 10:
        return f"is much {word} (off by more than a factor of 10)"
    if abs(ratio - 1) < 0.1 and rtol is not None:
        return f"is slightly {word} (answers must agree within {rtol:.2g} relative)"
    return f"is {word}"


#: Most numbers a vector answer (or a function's result) may hold before it is refused unread.
MAX_ITEMS = 1_000_000

_BOOL = "True/False"


def read_number(name: str, value: Any, what: str = "a number") -> float:
    """``value`` as a finite float, or :class:`Unusable` saying what was expected.

    Refused, each with one sentence: True/False, text (even ``"0.5"``), complex
    numbers, arrays of more than one number, integers too large for a float
    (``10**400``), nan and inf, and objects whose ``__float__``/``__index__``
    raises (a tensor that requires grad) or that have neither.

    Examples
    --------
    >>> read_number("x", np.array(2.5))
    2.5
    >>> try:
    ...     read_number("x", 10**400)
    ... except Unusable as exc:
    ...     print(exc)
    `x` is too large for a floating-point number (an integer of 401 digits); it should be a number.
    """
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise Unusable(f"`{name}` should be {what} -- a single number -- got {describe(value)}.")
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        raise Unusable(f"`{name}` should be {what}, not {_BOOL}.")
    if isinstance(value, (str, bytes)):
        raise Unusable(f"`{name}` should be {what}, got {describe(value)}{_quotes(value)}.")
    if isinstance(value, (np.datetime64, np.timedelta64)):
        raise Unusable(f"`{name}` should be {what}, got a date or time, {describe(value)}.")
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise Unusable(f"`{name}` should be {what}, got the complex number {describe(value)}.")
    kind = type(value)
    if not hasattr(kind, "__float__") and not hasattr(kind, "__index__"):
        raise Unusable(f"`{name}` should be {what}, got {describe(value)}.")
    try:
        out = float(value) if hasattr(kind, "__float__") else float(operator.index(value))
    except OverflowError:
        digits = ""
        if isinstance(value, int):
            with contextlib.suppress(Exception):
                digits = f" (an integer of {_digits(value)} digits)"
        raise Unusable(
            f"`{name}` is too large for a floating-point number{digits}; it should be {what}."
        ) from None
    except Exception as exc:  # a learner's __float__ that raises: a tensor that requires grad ...
        raise Unusable(
            f"`{name}` could not be turned into a number ({_raised(exc)}); it should be {what}"
            f"{_tensor_tip(value, '.item()')}."
        ) from None
    if not math.isfinite(out):
        raise Unusable(f"`{name}` should be {what}, got {out}.")
    return out


def _quotes(text: str | bytes) -> str:
    """``" (text: write the number without quotes)"`` when ``text`` reads as a number, else ``""``."""
    try:
        float(text)
    except (ValueError, TypeError, OverflowError):
        return ""
    return " (text: write the number without quotes)"


def _digits(n: int) -> int:
    """How many decimal digits ``n`` has, without converting it to text (which Python limits)."""
    n = abs(n)
    d = max(1, int(n.bit_length() * 0.30102999566398120))
    while 10**d <= n:
        d += 1
    while d > 1 and 10 ** (d - 1) > n:
        d -= 1
    return d


def _leaf_problem(item: Any) -> str | None:
    """Why one item of a learner's list cannot be a number (None when it may be)."""
    if isinstance(item, (bool, np.bool_)):
        return f"holds {_BOOL} ({item!r})"
    if isinstance(item, (str, bytes)):
        return f"holds text ({describe(item)}); write numbers without quotes"
    if item is None:
        return "holds None"
    if isinstance(item, (dict, set, frozenset)) or callable(item):
        return f"holds {describe(item)}"
    if isinstance(item, (np.datetime64, np.timedelta64)):
        return "holds a date or time"
    if isinstance(item, numbers.Complex) and not isinstance(item, numbers.Real):
        return "holds a complex number"
    if isinstance(item, int):
        try:
            float(item)
        except OverflowError:
            return "holds a number too large for floating point"
    return None


def _scan(value: Any) -> str | None:
    """Walk a learner's nested lists/tuples (and object arrays): why they cannot be numbers, or None.

    Catches what ``np.asarray(..., dtype=float)`` would silently convert (True, ``"0.5"``) or
    choke on (a list that holds itself, a list too long to read, conversions that raise).
    """
    seen: set[int] = set()
    count = 0
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, np.ndarray):
            kind = item.dtype.kind
            if kind == "b":
                return f"holds {_BOOL} values"
            if kind in "US":
                return "holds text; write numbers without quotes"
            if kind in "Mm":
                return "holds dates or times"
            if kind == "c":
                return "holds complex numbers"
            if kind == "V":
                return "is a structured array"
            if np.ma.isMaskedArray(item) and np.ma.getmaskarray(item).any():
                return "has masked values (fill them or drop them first)"
            count += item.size
            if count > MAX_ITEMS:
                return f"holds more than {MAX_ITEMS:,} numbers"
            if kind == "O":
                stack.extend(item.ravel().tolist()[::-1])
            continue
        if isinstance(item, (list, tuple)):
            if id(item) in seen:
                return "contains itself (a list that holds itself)"
            seen.add(id(item))
            try:
                items = list(item)
            except Exception as exc:
                return f"could not be read ({_raised(exc)})"
            count += len(items)
            if count > MAX_ITEMS:
                return f"holds more than {MAX_ITEMS:,} numbers"
            stack.extend(items[::-1])
            continue
        problem = _leaf_problem(item)
        if problem:
            return problem
        count += 1
        if count > MAX_ITEMS:
            return f"holds more than {MAX_ITEMS:,} numbers"
    return None


def read_array(name: str, value: Any, what: str) -> np.ndarray:
    """``value`` as a float array (any shape, inf and nan allowed), or :class:`Unusable`.

    Refused, each with one sentence saying what was expected: None, text (also inside
    a list: ``["0.5"]``), True/False (also inside), dicts, sets, generators, functions,
    complex numbers, dates, masked values, ragged or self-containing lists, more than
    :data:`MAX_ITEMS` numbers, integers too large for a float, and objects whose
    ``__array__``/``__len__``/``__iter__``/``__float__`` raises (a tensor that requires grad).

    Examples
    --------
    >>> try:
    ...     read_array("g", [["0.5"], [1.0]], "2 numbers")
    ... except Unusable as exc:
    ...     print(exc.reason)
    holds text (str '0.5'); write numbers without quotes
    """
    if value is None or isinstance(value, (str, bytes, dict, set, frozenset, Mapping)) or callable(value):
        raise Unusable(f"`{name}` should be {what}, got {describe(value)}.")
    if isinstance(value, Iterator):
        raise Unusable(
            f"`{name}` should be {what}, got {describe(value)}: a generator or iterator gives its numbers"
            " only once; make it a list (`list(...)`)."
        )
    if isinstance(value, (bool, np.bool_)):
        raise Unusable(f"`{name}` should be {what}, not {_BOOL}.")
    if isinstance(value, (np.datetime64, np.timedelta64)):
        raise Unusable(f"`{name}` should be {what}, got a date or time, {describe(value)}.")
    problem = _scan(value)
    if problem:
        raise Unusable(f"`{name}` should be {what}, but it {problem}.", problem)
    try:
        with quiet():
            arr = np.asarray(value, dtype=float)
    except OverflowError:
        raise Unusable(
            f"`{name}` holds a number too large for floating point; it should be {what}.",
            "holds a number too large for floating point",
        ) from None
    except ValueError as exc:
        if "inhomogeneous" in str(exc) or "with a sequence" in str(exc):  # ragged: rows of different lengths
            raise Unusable(
                f"`{name}` should be {what}, got {describe(value)}, which is not a regular array of"
                " numbers (rows of different lengths?).",
                "is not a regular array of numbers (rows of different lengths?)",
            ) from None
        raise Unusable(
            f"`{name}` could not be turned into numbers ({_raised(exc)}); it should be {what}.",
            f"could not be turned into numbers ({_raised(exc)})",
        ) from None
    except Exception as exc:  # a learner's __array__/__float__ that raises: a tensor that requires grad ...
        tip = _tensor_tip(value, ".detach().numpy()")
        raise Unusable(
            f"`{name}` could not be turned into numbers ({_raised(exc)}); it should be {what}{tip}.",
            f"could not be turned into numbers ({_raised(exc)}){tip}",
        ) from None
    return arr


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the message it gets.

    Attributes
    ----------
    value : spec
        The wrong answer: a constant, the name of one of the question's values,
        or a function of them. For a :class:`Function`, the wrong implementation
        itself (called like the learner's function).
    message : str or callable
        What is wrong, not what is right; it follows the answer's name
        ("`cost` is the sum of the losses, not their mean."). ``{name}`` fields are
        filled in from the question's values.

    Examples
    --------
    >>> Mistake(5.0, "is the seconds per update.").message
    'is the seconds per update.'
    """

    value: Spec
    message: str | Callable[[Values], str]


def _tolerance_note(wrong: list[tuple[str, float, float]], rtol: float) -> str:
    """Say the tolerance when some wrong value is within 10 % of the expected one."""
    if any(w != 0 and abs(g - w) < 0.1 * abs(w) for _, g, w in wrong):
        return f" (Answers must agree within {rtol:.2g} relative.)"
    return ""


class Answer:
    """What every kind of answer provides (see the subclasses)."""

    name: str

    def is_blank(self, value: Any, values: Values) -> bool:
        """True while the answer is still the placeholder ``____``."""
        return value is ____

    def read(self, value: Any, values: Values) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def judge(self, got: Any, values: Values) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def expected(self, values: Values) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def reveal(self, values: Values) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def tolerance(self) -> str:
        return ""

    @property
    def mistakes(self) -> Sequence[Mistake]:
        return ()


@dataclass(frozen=True)
class Number(Answer):
    """A number, right within ``rtol`` (relative) and ``atol`` (absolute).

    Attributes
    ----------
    name : str
        The variable the answer cell assigns.
    expected_value : spec
        The right value.
    rtol, atol : float
        The tolerance.
    integer : bool
        The answer counts something: it must be a whole number.
    what : str
        How messages describe the answer ("a number", "a whole number of updates").
    mistakes : sequence of Mistake
    fmt : str
        Format of the value when ``solution()`` shows it.

    Examples
    --------
    >>> n = Number("ups", 0.2, rtol=1e-3, mistakes=[Mistake(5.0, "is the seconds per update.")])
    >>> n.judge(n.read(5, Values()), Values())
    '`ups` is the seconds per update.'
    >>> n.judge(0.2001, Values()) is None
    True
    """

    name: str
    expected_value: Spec
    rtol: float = 1e-6
    atol: float = 0.0
    integer: bool = False
    what: str = "a number"
    mistakes: Sequence[Mistake] = ()
    fmt: str = ".6g"

    def expected(self, values: Values) -> float:
        return float(resolve(self.expected_value, values))

    def read(self, value: Any, values: Values) -> float:
        out = read_number(self.name, value, self.what)
        if self.integer and not out.is_integer():
            raise Unusable(f"`{self.name}` should be {self.what}, got {out:g}.")
        return out

    def judge(self, got: float, values: Values) -> str | None:
        want = self.expected(values)
        rtol, atol = (0.0, 0.0) if self.integer else (self.rtol, self.atol)
        if close(got, want, rtol, atol):
            return None
        for mistake in self.mistakes:
            if close(got, float(resolve(mistake.value, values)), rtol, atol):
                return f"`{self.name}` {render(mistake.message, values)}"
        return f"`{self.name}` {direction(got, want, None if self.integer else rtol)}."

    def reveal(self, values: Values) -> str:
        want = self.expected(values)
        return f"`{self.name}` = {format(int(want) if self.integer else want, self.fmt)}"

    def tolerance(self) -> str:
        return f"`{self.name}` exactly" if self.integer else f"`{self.name}` within {self.rtol:g} relative"


@dataclass(frozen=True)
class Vector(Answer):
    """A vector of numbers with a label per component, right within a tolerance.

    Attributes
    ----------
    name : str
    expected_value : spec
        The right vector, shape ``(n,)``.
    labels : spec
        A label per component (``("∂J/∂w", "∂J/∂b")``), for messages.
    what : str
        How messages describe it ("(∂J/∂w, ∂J/∂b), 2 numbers").
    rtol, atol : float
    mistakes : sequence of Mistake
    shapes : spec
        ``{shape: message}`` for answers of a known wrong shape (one row per sample ...).
    scalar : str
        Message for a single number where a vector is wanted ("" for the generic one).
    near : (float, str) or None
        When every component is within this fraction of the right one but not within
        the tolerance, this note is added (an estimate where the exact value is wanted).
    fmt : str

    Examples
    --------
    >>> g = Vector("g", (0.5, -0.25), labels=("∂/∂w", "∂/∂b"), what="2 numbers")
    >>> g.judge(g.read([0.5, 0.25], Values()), Values())
    '`g`: its ∂/∂b has the wrong sign (∂/∂w is right).'
    >>> g.read("0.5", Values())
    Traceback (most recent call last):
    ...
    lossviz.exercises._answers.Unusable: `g` should be 2 numbers, got str '0.5'.
    """

    name: str
    expected_value: Spec
    labels: Spec = None
    what: str = "a vector of numbers"
    rtol: float = 1e-6
    atol: float = 0.0
    mistakes: Sequence[Mistake] = ()
    shapes: Spec = None
    scalar: str = ""
    near: tuple[float, str] | None = None
    fmt: str = ".6g"

    def expected(self, values: Values) -> np.ndarray:
        return np.asarray(resolve(self.expected_value, values), dtype=float)

    def is_blank(self, value: Any, values: Values) -> bool:
        if value is ____:
            return True
        if not isinstance(value, (list, tuple)):
            return False
        try:  # a learner's list whose __iter__ raises is read (and refused) later, not here
            return any(v is ____ for v in value)
        except Exception:
            return False

    def _labels(self, values: Values, n: int) -> list[str]:
        labels = resolve(self.labels, values) if self.labels is not None else None
        return list(labels) if labels is not None else [f"component {i + 1}" for i in range(n)]

    def read(self, value: Any, values: Values) -> np.ndarray:
        size = self.expected(values).size
        if self.scalar and isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
            raise Unusable(f"`{self.name}` {self.scalar}")
        arr = read_array(self.name, value, self.what)
        if arr.ndim == 0:
            raise Unusable(f"`{self.name}` should be {self.what}, got the single number {describe(value)}.")
        shapes = resolve(self.shapes, values) if self.shapes is not None else {}
        if arr.shape in shapes:
            raise Unusable(f"`{self.name}` has shape {arr.shape}: {shapes[arr.shape]}")
        if arr.shape != (size,):
            raise Unusable(
                f"`{self.name}` should be {self.what} -- shape ({size},) -- got shape {arr.shape}."
            )
        if not np.all(np.isfinite(arr)):
            raise Unusable(f"`{self.name}` should be {self.what}, but it holds nan or inf.")
        return arr

    def judge(self, got: np.ndarray, values: Values) -> str | None:
        want = self.expected(values)
        if close(got, want, self.rtol, self.atol):
            return None
        for mistake in self.mistakes:
            if close(got, resolve(mistake.value, values), self.rtol, self.atol):
                return f"`{self.name}` {render(mistake.message, values)}"
        labels = self._labels(values, want.size)
        wrong = [
            (label, g, w) for label, g, w in zip(labels, got, want) if not close(g, w, self.rtol, self.atol)
        ]
        right = [label for label, g, w in zip(labels, got, want) if close(g, w, self.rtol, self.atol)]
        text = "; ".join(f"its {label} {direction(g, w)}" for label, g, w in wrong)
        if right and len(right) <= 3:
            text += f" ({', '.join(right)} {'is' if len(right) == 1 else 'are'} right)"
        note = _tolerance_note(wrong, self.rtol)
        if self.near is not None and np.all(np.abs(got - want) <= self.near[0] * np.abs(want) + self.atol):
            note += " " + self.near[1]
        return f"`{self.name}`: {text}.{note}"

    def reveal(self, values: Values) -> str:
        return f"`{self.name}` = ({', '.join(format(v, self.fmt) for v in self.expected(values))})"

    def tolerance(self) -> str:
        return f"`{self.name}` within {self.rtol:g} relative"


def _key(text: str) -> str:
    return re.sub(r"[\s_\-().'\"]+", "", text.lower())


@dataclass(frozen=True)
class Choice(Answer):
    """One option among several; every wrong option has its own feedback.

    Attributes
    ----------
    name : str
    options : mapping of str to str
        Option key (``"a"``, ``"mini-batch"``) to its text, as the question shows them.
    answer : spec
        The right key: a constant key, or a function of the question's values (a
        string here is a key, not the name of a value).
    feedback : mapping of str to str
        For each wrong key: why it is wrong, without saying which is right.
    aliases : mapping of str to sequence of str
        Other spellings a key is accepted as (case, spaces, ``-`` and ``_`` never matter).

    Examples
    --------
    >>> c = Choice("why", {"a": "rounding", "b": "order"}, "b", {"a": "the gap shrinks like η²."})
    >>> c.judge(c.read("A", Values()), Values())
    '`why`: not (a). the gap shrinks like η².'
    >>> c.judge(c.read(" (b) ", Values()), Values()) is None
    True
    """

    name: str
    options: Mapping[str, str]
    answer: Spec
    feedback: Mapping[str, str]
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def expected(self, values: Values) -> str:
        return self.answer(values) if callable(self.answer) else self.answer

    def _spellings(self) -> dict[str, str]:
        out = {_key(k): k for k in self.options}
        for k, spellings in self.aliases.items():
            out.update({_key(s): k for s in spellings})
        return out

    def read(self, value: Any, values: Values) -> str:
        keys = list(self.options)
        names = ", ".join(repr(k) for k in keys[:-1]) + f" or {keys[-1]!r}"
        if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
            try:  # options named '1' to '5' may be given as numbers
                whole = int(value)
                value = str(whole) if -(10**6) < whole < 10**6 else None
            except Exception:
                value = None
            if value is None:
                raise Unusable(f"`{self.name}` should be {names}; got a number that is none of them.")
        if not isinstance(value, str):
            raise Unusable(f"`{self.name}` should be a string, {names}; got {describe(value)}.")
        found = self._spellings().get(_key(value))
        if found is None:
            raise Unusable(f"`{self.name}` should be {names}; got {value!r}.")
        return found

    def judge(self, got: str, values: Values) -> str | None:
        if got == self.expected(values):
            return None
        label = f"({got})" if len(got) == 1 else repr(got)
        return f"`{self.name}`: not {label}. {render(self.feedback[got], values)}"

    def reveal(self, values: Values) -> str:
        key = self.expected(values)
        return f"`{self.name}` = {key!r}: {self.options[key]}"

    def tolerance(self) -> str:
        return f"`{self.name}` one of {', '.join(repr(k) for k in self.options)}"


@dataclass(frozen=True)
class Case:
    """One input on which a learner's function is tried.

    Attributes
    ----------
    args : tuple
        The arguments (copied before every call, so a function that changes them
        changes nothing here).
    label : str
        How messages name this input ("a batch with confident mistakes, |z| = 800").

    Examples
    --------
    >>> Case((np.array([1.0]), np.array([-800.0])), "a confident mistake").label
    'a confident mistake'
    """

    args: tuple
    label: str


@dataclass(frozen=True)
class Function(Answer):
    """A function the learner writes, tried on inputs the notebook never shows.

    Attributes
    ----------
    name : str
        The function's name in the answer cell.
    signature : str
        How it is called, for messages (``"cost_from_logits(y, z)"``).
    reference : callable
        ``reference(values)`` returns the right implementation.
    cases : callable
        ``cases(values)`` returns the :class:`Case` list (seeded; edge cases included).
    returns : str
        What it should return ("a single number, the cost").
    shape : tuple
        The shape of a right result: ``()`` for a number, ``(2,)`` for ``(w, b)`` ...
    labels : sequence of str
        A label per component of a vector result, for messages.
    wrong_shape : str
        Message for a result of another shape ("" for the generic one).
    nonfinite : str
        Added to the message when a result is inf or nan and no declared mistake matches.
    rtol, atol : float
    mistakes : sequence of Mistake
        Each value is a wrong implementation; a learner's function that agrees with
        one on every case gets its message.

    Examples
    --------
    >>> double = Function("double", "double(x)", reference=lambda v: lambda x: 2 * x,
    ...                   cases=lambda v: [Case((1.5,), "x = 1.5"), Case((-4.0,), "x = −4")],
    ...                   mistakes=[Mistake(lambda x: x + x + 1, "adds 1.")])
    >>> v = Values()
    >>> double.judge(lambda x: x * 2, v) is None
    True
    >>> double.judge(lambda x: 2 * x + 1, v)
    '`double` adds 1.'
    >>> double.judge(lambda x: abs(2 * x), v)
    '`double` is wrong on x = −4: its result has the wrong sign.'
    >>> double.judge(lambda x: 1 / 0, v)
    '`double` raised ZeroDivisionError on x = 1.5: division by zero'
    """

    name: str
    signature: str
    reference: Callable[[Values], Callable[..., Any]]
    cases: Callable[[Values], Sequence[Case]]
    returns: str = "a number"
    shape: tuple[int, ...] = ()
    labels: Sequence[str] = ()
    wrong_shape: str = ""
    nonfinite: str = ""
    rtol: float = 1e-6
    atol: float = 1e-12
    mistakes: Sequence[Mistake] = ()

    def _cases(self, values: Values) -> Sequence[Case]:
        key = f"_cases:{self.name}"
        if key not in values:
            values[key] = list(self.cases(values))
        return values[key]

    @staticmethod
    def _call(f: Callable[..., Any], case: Case) -> Any:
        with quiet():
            return f(*copy.deepcopy(case.args))

    def _outputs(self, f: Callable[..., Any], values: Values) -> list[np.ndarray | None]:
        out: list[np.ndarray | None] = []
        for case in self._cases(values):
            try:
                out.append(np.asarray(self._call(f, case), dtype=float))
            except (Exception, SystemExit):
                out.append(None)
        return out

    def expected(self, values: Values) -> list[np.ndarray]:
        key = f"_expected:{self.name}"
        if key not in values:
            values[key] = [
                np.asarray(self._call(self.reference(values), c), dtype=float) for c in self._cases(values)
            ]
        return values[key]

    def is_blank(self, value: Any, values: Values) -> bool:
        if value is ____:
            return True
        if not callable(value):
            return False
        try:
            return self._call(value, self._cases(values)[0]) is ____
        except (Exception, SystemExit):
            return False

    def read(self, value: Any, values: Values) -> Callable[..., Any]:
        if not callable(value) or isinstance(value, type):
            raise Unusable(f"`{self.name}` should be a function, `{self.signature}`; got {describe(value)}.")
        try:
            sig = inspect.signature(value)
        except (
            Exception
        ):  # builtins without a signature (or a learner's __signature__ that raises): just try them
            return value
        try:
            sig.bind(*self._cases(values)[0].args)
        except Exception:
            raise Unusable(
                f"`{self.name}` should be called as `{self.signature}`; yours is `{self.name}{sig}`."
            ) from None
        return value

    def judge(self, f: Callable[..., Any], values: Values) -> str | None:
        cases, want = self._cases(values), self.expected(values)
        got: list[np.ndarray] = []
        for case, w in zip(cases, want):
            try:
                out = self._call(f, case)
            except (Exception, SystemExit) as exc:
                return f"`{self.name}` raised {type(exc).__name__} on {case.label}: {_short(exc)}"
            try:
                arr = read_array(self.name, out, self.returns)
            except Unusable as exc:
                shown = describe(out) + (f", which {exc.reason}" if exc.reason else "")
                return f"`{self.name}` returned {shown} on {case.label}; it should return {self.returns}."
            if arr.shape != w.shape:
                why = self.wrong_shape or f"it should return {self.returns}"
                return f"`{self.name}` returned shape {arr.shape} on {case.label}: {why}"
            got.append(arr)
        if all(close(g, w, self.rtol, self.atol) for g, w in zip(got, want)):
            return None
        for mistake in self.mistakes:
            theirs = self._mistake_outputs(mistake, values)
            if all(
                t is not None
                and t.shape == g.shape
                and bool(np.allclose(g, t, rtol=self.rtol, atol=self.atol, equal_nan=True))
                for g, t in zip(got, theirs)
            ):
                return f"`{self.name}` {render(mistake.message, values)}"
        for case, g, w in zip(cases, got, want):
            if not np.all(np.isfinite(g)):
                bad = g[~np.isfinite(g)].flat[0] if g.ndim else g
                note = f" {self.nonfinite}" if self.nonfinite else ""
                return (
                    f"`{self.name}` returned {float(bad)} on {case.label}; the right result is finite.{note}"
                )
            if not close(g, w, self.rtol, self.atol):
                if g.ndim == 0:
                    return (
                        f"`{self.name}` is wrong on {case.label}: its result {direction(float(g), float(w))}."
                    )
                labels = list(self.labels) or [f"component {i + 1}" for i in range(g.size)]
                parts = [
                    f"its {label} {direction(a, b)}"
                    for label, a, b in zip(labels, g.ravel(), w.ravel())
                    if not close(a, b, self.rtol, self.atol)
                ]
                return f"`{self.name}` is wrong on {case.label}: {'; '.join(parts)}."
        return f"`{self.name}` is not right on every input."  # pragma: no cover - close() failed above

    def _mistake_outputs(self, mistake: Mistake, values: Values) -> list[np.ndarray | None]:
        key = f"_mistake:{self.name}:{id(mistake)}"
        if key not in values:
            values[key] = self._outputs(mistake.value, values)
        return values[key]

    def reveal(self, values: Values) -> str:
        return f"`{self.signature}` returns {self.returns}"

    def tolerance(self) -> str:
        return f"`{self.name}`'s results within {self.rtol:g} relative, on inputs you have not seen"


def _short(exc: BaseException) -> str:
    text = str(exc)
    return (text[:80] + "...") if len(text) > 80 else (text or "(no message)")
