"""The parameter declarations shared by the topic modules and the drawings.

Each public function of :mod:`lossviz.topics` and :mod:`lossviz.plot` declares its
parameters once with :func:`lossviz._constraints.validate_params`; the constraints the
topics have in common are here, with the size and time ceilings they use (documented
module constants, each checked before any work starts), and the few constraint kinds
:mod:`lossviz._constraints` does not have:

* :class:`MappingOf` -- a dict of names to values (minimisers, paths, basin counts);
* :class:`Checked` -- a value checked by a function of its own (e.g. a list of ``(x, y)``
  training sets), with the bad values the generated tests should try.

The drawings' own kinds (an Axes, a matplotlib colour) are in :mod:`lossviz.plot._checks`,
which imports matplotlib; this module does not.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._constraints import Constraint, InstanceOf, Interval, Labels, Params, RealArray, SequenceOf, short
from ..losses import BCE, LogitLoss

__all__ = [
    "FEATURE",
    "HARD_LABELS",
    "LABELS",
    "LAM",
    "LOSS",
    "MAX_RUNS",
    "MAX_SAMPLES",
    "MAX_UPDATES",
    "PARAMS",
    "SEED",
    "Checked",
    "MappingOf",
    "allowing_inf",
    "array",
    "check_pair",
    "count",
    "labels_for",
    "positive",
    "real",
    "str_or_none",
    "text",
]

#: Most samples a data generator makes (``m`` of :func:`lossviz.imbalance.make_imbalanced_churn`,
#: :func:`lossviz.basins.make_two_basin`, :func:`lossviz.network.make_network_churn`): a
#: million, 8 MB a column; the lessons use a few thousand.
MAX_SAMPLES: int = 1_000_000

#: Most parameter updates one call may run, counted over every run it makes (seeds x batch
#: sizes x learning rates x steps): ten million, about a minute of the course's numpy
#: loops. The lessons' sweeps stay under a million.
MAX_UPDATES: int = 10_000_000

#: Most runs (seeds, batch sizes, learning rates, degrees, λ values, training sets) one sweep may hold.
MAX_RUNS: int = 10_000

#: ``(w, b)``.
PARAMS = Params()
#: The feature ``x``, ``(m,)``.
FEATURE = RealArray(example_value=[0.2, 1.0, 1.5, 0.7, 2.0])
#: Labels in [0, 1] (soft labels allowed), ``(m,)``.
LABELS = Labels()
#: Labels exactly 0 or 1, ``(m,)``.
HARD_LABELS = Labels(hard=True)
#: The regularisation strength λ ≥ 0.
LAM = Interval(numbers.Real, 0.0, None)
#: A :class:`lossviz.losses.LogitLoss` instance (not its class), or None for binary cross-entropy.
LOSS = InstanceOf(
    LogitLoss, "lossviz.BCE or lossviz.WeightedBCE(19.0)", none_ok=True, example_factory=lambda: BCE
)
#: A seed of ``numpy.random.default_rng``.
SEED = Interval(numbers.Integral, 0, 2**63 - 1)


def real(left: float | None = None, right: float | None = None, closed: str = "both", **kw: Any) -> Interval:
    """A real number in an interval (:class:`lossviz._constraints.Interval`)."""
    return Interval(numbers.Real, left, right, closed=closed, **kw)


def positive(**kw: Any) -> Interval:
    """A real number > 0."""
    return Interval(numbers.Real, 0.0, None, closed="neither", **kw)


def count(left: int = 1, right: int | None = None, hint: str = "", **kw: Any) -> Interval:
    """An integer in ``[left, right]``; ``hint`` says how to stay under the ceiling ``right``."""
    return Interval(numbers.Integral, left, right, ceiling_hint=hint, **kw)


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {short(value)}")
    return value


def text(none_ok: bool = False) -> Checked:
    """A string (a label, a title), or None with ``none_ok``."""
    return Checked(
        _text,
        "a str" + (" or None" if none_ok else ""),
        example_factory=lambda: "a label",
        bad=(("a number", 3.0), ("bytes", b"label"), ("a list", ["a", "b"])),
        none_ok=none_ok,
    )


def str_or_none() -> Checked:
    """A string or None (a label, a role)."""
    return text(none_ok=True)


def labels_for(max_len: int | None = None) -> SequenceOf:
    """A list of strings or None: the legend labels of a drawing, one per series."""
    return SequenceOf(text(), max_len=max_len, none_ok=True)


def allowing_inf(array: RealArray) -> Checked:
    """``array`` (declared with ``finite=False``) where ``±inf`` is an honest value but nan is not.

    The generated tests try every bad value of ``array`` except the infinities it accepts.
    """

    def check(name: str, value: Any) -> np.ndarray:
        out = array(name, value)
        if out is not None and np.isnan(out).any():
            i = int(np.flatnonzero(np.isnan(out).ravel())[0])
            raise ValueError(f"{name} must not hold nan, got nan at index {i}")
        return out

    return Checked(
        check,
        array.describe() + " (inf allowed)",
        example_factory=array.example,
        bad=tuple((k, v) for k, v in array.bad_values() if "inf" not in k),
        none_ok=array.none_ok,
    )


@dataclass(frozen=True, repr=False)
class MappingOf(Constraint):
    """A mapping (a dict) of keys to values, each checked; returned as a new dict in order.

    Parameters
    ----------
    key, value : Constraint
        What each key and each value must be; values are named ``name[key]`` in messages.
    min_len : int, default 1
    max_len : int, optional
    none_ok : bool, default False

    Examples
    --------
    >>> c = MappingOf(InstanceOf(str, "'GD'"), Params())
    >>> c("points", {"GD": (1, 2)})
    {'GD': array([1., 2.])}
    >>> c("points", [(1, 2)])
    Traceback (most recent call last):
    ...
    TypeError: points must be a dict of ... got [(1, 2)]
    """

    key: Constraint = field(default_factory=lambda: text())
    value: Constraint = field(default_factory=lambda: Interval(numbers.Real))
    min_len: int = 1
    max_len: int | None = None
    none_ok: bool = False

    def describe(self) -> str:
        return f"a dict of {self.key.describe()} to {self.value.describe()}"

    def convert(self, name: str, value: Any) -> dict[Any, Any]:
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be {self.describe()}, got {short(value)}")
        if len(value) < self.min_len:
            raise ValueError(f"{name} must hold at least {self.min_len} item(s), got {short(value)}")
        if self.max_len is not None and len(value) > self.max_len:
            raise ValueError(f"{name} may hold at most {self.max_len} items (the limit), got {len(value)}")
        out = {}
        for k, v in value.items():
            kk = self.key(f"a key of {name}", k)
            out[kk] = self.value(f"{name}[{k!r}]", v)
        return out

    def example(self) -> Any:
        return {self.key.example(): self.value.example()}

    def bad_values(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = [
            ("a list", [self.value.example()]),
            ("a number", 3.0),
            ("a string", "abc"),
        ]
        if not self.none_ok:
            out.append(("None", None))
        if self.min_len >= 1:
            out.append(("empty", {}))
        for label, bad in self.value.bad_values()[:6]:
            if bad is not None or not self.value.none_ok:
                out.append((f"a value that is {label}", {self.key.example(): bad}))
        return out


@dataclass(frozen=True, repr=False)
class Checked(Constraint):
    """A value checked by a function of its own: ``check(name, value)`` returns it converted or raises.

    For arguments whose rule is particular to one function (a list of ``(x, y)`` pairs); the
    rule stays declared with the others, and ``bad`` lists what the generated tests try.
    """

    check: Callable[[str, Any], Any] = field(default=lambda name, value: value)
    text: str = "a valid value"
    example_factory: Callable[[], Any] | None = None
    bad: tuple[tuple[str, Any], ...] = ()
    none_ok: bool = False

    def describe(self) -> str:
        return self.text

    def convert(self, name: str, value: Any) -> Any:
        return self.check(name, value)

    def example(self) -> Any:
        if self.example_factory is None:
            raise LookupError("Checked has no example_factory")
        return self.example_factory()

    def bad_values(self) -> list[tuple[str, Any]]:
        out = list(self.bad)
        if not self.none_ok:
            out.append(("None", None))
        return out


def array(value: Any) -> np.ndarray:
    """A declared array argument, already converted, typed as an ndarray (no copy)."""
    return np.asarray(value)


def check_pair(x_name: str, x: Any, y_name: str, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check that the converted arrays ``x`` and ``y`` have one shape; the message names both.

    ``x`` and ``y`` are arrays already converted by their declarations (typed as the public
    signature's ``ArrayLike``); they are returned as ndarrays, not copied.

    Examples
    --------
    >>> check_pair("x_test", np.zeros(3), "y_test", np.zeros(2))
    Traceback (most recent call last):
    ...
    ValueError: x_test and y_test must have the same shape, got (3,) and (2,)
    """
    xa, ya = np.asarray(x), np.asarray(y)
    if xa.shape != ya.shape:
        raise ValueError(f"{x_name} and {y_name} must have the same shape, got {xa.shape} and {ya.shape}")
    return xa, ya
