"""Declarative parameter constraints: each public function declares its parameters once.

Modelled on scikit-learn's ``validate_params`` and ``Interval``: a public function
declares, for each parameter, what it accepts -- a real array of a given shape and
range, probabilities, labels, a number in an interval, one of a few options, a
sequence of something, an instance of a class, a callable, or None -- and the
:func:`validate_params` decorator converts and checks every argument at the boundary
and passes the *converted* values on (arrays as fresh float64 arrays, numbers as
``float`` or ``int``). Bad input raises :class:`TypeError` (wrong kind) or
:class:`ValueError` (right kind, bad value) whose message names the argument and the
bad value; nothing becomes a silent ``nan``.

The declarations are also data: every decorated function or class is recorded in
:data:`REGISTRY` (and as ``func.__lossviz_constraints__``), and each constraint can
list values it must refuse (:meth:`Constraint.bad_values`) and give one it accepts
(:meth:`Constraint.example`). The boundary and fuzz tests (``tests/test_boundary.py``,
``tests/test_fuzz.py``) generate their bad inputs from these, for every parameter of
every decorated function, so a new public function is covered as soon as it is
declared.

What every array and number constraint refuses, whatever the declaration:

* strings, bytes, ``None`` (unless declared with ``none_ok=True``), complex numbers,
  datetimes and timedeltas (Python's or numpy's), and object arrays whose elements are
  not real numbers -- :class:`TypeError`; ``None`` inside an array is reported as
  ``None at index i``, not as ``nan``;
* masked arrays (``numpy.ma.MaskedArray``) -- :class:`TypeError`. This is a documented
  choice: the functions have no notion of a missing sample, and using the masked values
  silently would be wrong, so the caller fills or drops them first
  (``a.compressed()`` or ``a.filled(value)``);
* Python integers too large for a float (``10**400``), in an array or alone --
  :class:`ValueError` naming the argument;
* ``nan`` and ``±inf`` when ``finite`` (the default) -- :class:`ValueError`;
* numbers whose magnitude exceeds :data:`MAX_ABS` -- :class:`ValueError`: past it the
  products the model forms (``w·x``, ``λ·w²``, ``x²`` in the Hessian, their sums)
  overflow double precision, and the result would be ``inf`` or ``nan``;
* arrays with more than :data:`MAX_ARRAY_SIZE` elements -- :class:`ValueError`, before
  any copy is made.

Examples
--------
>>> @validate_params({"x": RealArray(ndim=1), "lr": Interval(numbers.Real, 0, None, closed="neither")})
... def step(x, lr=0.1):
...     return x * lr
>>> step([1, 2], lr=1)
array([1., 2.])
>>> step(["1", "2"])
Traceback (most recent call last):
...
TypeError: x must be numeric array_like, got ['1', '2'] (strings are not numbers)
>>> step([1.0, None])
Traceback (most recent call last):
...
TypeError: x must be numeric array_like, got None at index 1
>>> step([1.0], lr=10**400)
Traceback (most recent call last):
...
ValueError: lr must be a real number within float range, got 100000000000000000000000000000000000000000000...
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "MAX_ABS",
    "MAX_ARRAY_SIZE",
    "REGISTRY",
    "Boolean",
    "CallableOf",
    "Constraint",
    "Declaration",
    "InstanceOf",
    "Interval",
    "Labels",
    "OneOf",
    "Options",
    "Params",
    "Probabilities",
    "RealArray",
    "SequenceOf",
    "declarations",
    "validate_params",
]

#: Largest magnitude of any real input (array element or number) of the core's
#: functions: :data:`lossviz.OVERFLOW`, the bound past which a training run counts as
#: diverged. The course's numbers are far inside it (parameters of a few units, logits up
#: to ``1e6``); past it a square overflows double precision. (Products of two inputs may
#: still overflow below it: the functions then refuse, naming the arguments.)
MAX_ABS: float = 1e150

#: Most elements an array argument may hold (80 MB as float64); checked before any copy.
MAX_ARRAY_SIZE: int = 10_000_000

_FLOAT_MAX = float(np.finfo(np.float64).max)

F = TypeVar("F", bound=Callable[..., Any])


def short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


_DATETIMES = (_dt.date, _dt.time, _dt.timedelta, np.datetime64, np.timedelta64)


def _kind_error(name: str, what: str, value: Any, why: str = "") -> TypeError:
    tail = f" ({why})" if why else ""
    return TypeError(f"{name} must be {what}, got {short(value)}{tail}")


def _refuse_common(name: str, value: Any, what: str) -> None:
    """The refusals shared by every numeric constraint (strings, bytes, datetimes, masks, complex)."""
    if isinstance(value, (str, bytes, bytearray)):
        raise _kind_error(name, what, value, "strings are not numbers")
    if isinstance(value, _DATETIMES):
        raise _kind_error(name, what, value, "a date or time is not a number")
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} must be {what}, got a masked array {short(value)}: masked arrays are refused "
            "(fill or drop the masked values first, e.g. a.compressed() or a.filled(value))"
        )
    if isinstance(value, (complex, np.complexfloating)):
        raise _kind_error(name, what, value, "complex numbers are not real")


def _element_to_float(name: str, item: Any, where: Any) -> float:
    """One element of an object array as a float, or the error naming ``where``."""
    if item is None:
        raise TypeError(f"{name} must be numeric array_like, got None at index {where}")
    if isinstance(item, (bool, np.bool_)):
        return float(item)
    if isinstance(item, (str, bytes, bytearray, complex, np.complexfloating, *_DATETIMES)) or not isinstance(
        item, numbers.Real
    ):
        raise TypeError(f"{name} must be numeric array_like, got {short(item)} at index {where}")
    try:
        return float(item)
    except OverflowError:
        raise ValueError(
            f"{name} must hold real numbers within float range, got {short(item, 40)} at index {where}"
        ) from None
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be numeric array_like, got {short(item)} at index {where} ({exc})"
        ) from None


def _index(flat: int, shape: tuple[int, ...]) -> Any:
    idx = tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()
    return idx[0] if len(idx) == 1 else idx


def to_real_array(
    name: str, value: Any, *, max_size: int = MAX_ARRAY_SIZE, finite: bool = True, max_abs: float = MAX_ABS
) -> np.ndarray:
    """``value`` as a new float64 array (any shape), or the TypeError/ValueError naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : array_like of real numbers
        See the module for what is refused.
    max_size : int
        Most elements, checked before the copy.
    finite : bool
        Refuse ``nan`` and ``±inf``.
    max_abs : float
        Largest magnitude of an element (``inf``: no limit).

    Returns
    -------
    ndarray of float64
        Never a view of the caller's data.

    Examples
    --------
    >>> to_real_array("x", [[1, 2], [3, True]])
    array([[1., 2.],
           [3., 1.]])
    """
    what = "numeric array_like"
    if value is None or isinstance(value, (bool, np.bool_)):
        raise _kind_error(name, what, value)
    _refuse_common(name, value, what)
    if isinstance(value, np.ndarray):
        arr = value
    else:
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError) as exc:  # ragged nested lists, odd objects
            raise TypeError(f"{name} must be {what}, got {short(value)} ({exc})") from None
        except OverflowError:
            raise ValueError(
                f"{name} must hold real numbers within float range, got {short(value)}"
            ) from None
        if isinstance(arr, np.ma.MaskedArray):
            _refuse_common(name, arr, what)
    if arr.size > max_size:
        raise ValueError(
            f"{name} has {arr.size} elements, over the limit of {max_size} "
            "(lossviz._constraints.MAX_ARRAY_SIZE): pass fewer samples or a coarser grid"
        )
    kind = arr.dtype.kind
    if kind in "biuf":
        out = arr.astype(np.float64, copy=True)
    elif kind in "US":
        raise _kind_error(name, what, value, "strings are not numbers")
    elif kind in "Mm":
        raise _kind_error(name, what, value, "dates and times are not numbers")
    elif kind == "c":
        raise _kind_error(name, what, value, "complex numbers are not real")
    elif kind == "O":
        flat = arr.ravel()
        out = np.empty(flat.size, dtype=np.float64)
        for i, item in enumerate(flat.tolist()):
            out[i] = _element_to_float(name, item, _index(i, arr.shape))
        out = out.reshape(arr.shape)
    else:
        raise _kind_error(name, what, value, f"dtype {arr.dtype} is not numeric")
    if out.size and not (finite and max_abs == math.inf):
        # one reduction in the common case; nan fails the comparison
        top = float(np.max(np.abs(out)))
        if not (top <= max_abs) and (finite or not math.isnan(top)):
            with np.errstate(invalid="ignore"):
                bad = ~np.isfinite(out) if finite else np.zeros(out.shape, dtype=bool)
                bad |= np.isfinite(out) & (np.abs(out) > max_abs)
            if bad.any():
                i = int(np.flatnonzero(bad.ravel())[0])
                v = out.ravel()[i]
                where = f" at index {_index(i, out.shape)}" if out.ndim else ""
                if not np.isfinite(v):
                    raise ValueError(f"{name} must be finite, got {v}{where}")
                raise ValueError(
                    f"{name} is too large: its magnitude must be <= {max_abs:g} "
                    f"(lossviz._constraints.MAX_ABS; larger values overflow), got {v:g}{where}"
                )
    return out


def to_real(name: str, value: Any, *, finite: bool = True, max_abs: float = MAX_ABS) -> float:
    """A real number (not a bool) as a float, or the TypeError/ValueError naming ``name``.

    Examples
    --------
    >>> to_real("lr", np.float32(0.5))
    0.5
    """
    what = "a real number"
    _refuse_common(name, value, what)
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise _kind_error(name, what, value)
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or value.dtype.kind not in "iuf":
            raise _kind_error(name, what, value)
        value = value[()]
    if not isinstance(value, numbers.Real):
        raise _kind_error(name, what, value)
    try:
        out = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a real number within float range, got {short(value, 48)}") from None
    if finite and not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    if abs(out) > max_abs:
        raise ValueError(
            f"{name} is too large: its magnitude must be <= {max_abs:g} "
            f"(lossviz._constraints.MAX_ABS; larger values overflow), got {out:g}"
        )
    return out


def arr(value: object) -> np.ndarray:
    """``value`` as a declared array parameter arrives in the body: an ndarray.

    A no-op at run time, for the type checker: the public signature says ``ArrayLike``
    (what callers may pass), the decorator has converted it to a float64 array.
    """
    return value  # type: ignore[return-value]


# ----------------------------------------------------------------------------- constraints
class Constraint:
    """What one parameter accepts: ``convert`` checks and converts, ``bad_values`` lists refusals.

    Subclasses implement :meth:`convert` (raise :class:`TypeError` for the wrong kind
    of value and :class:`ValueError` for a bad value of the right kind, naming the
    argument), :meth:`describe`, :meth:`example` and :meth:`bad_values`.
    """

    none_ok: bool = False

    def convert(self, name: str, value: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, name: str, value: Any) -> Any:
        if value is None:
            if self.none_ok:
                return None
            raise TypeError(f"{name} must be {self.describe()}, got None")
        return self.convert(name, value)

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def example(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def bad_values(self) -> list[tuple[str, Any]]:
        """``(label, value)`` pairs this constraint must refuse (for the generated tests)."""
        out: list[tuple[str, Any]] = [
            ("a string", "1"),
            ("bytes", b"\x01"),
            ("a datetime", _dt.datetime(2026, 1, 1)),
            ("a timedelta", np.timedelta64(3, "s")),
            ("a complex number", 1 + 2j),
            ("an object", object()),
        ]
        if not self.none_ok:
            out.append(("None", None))
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()})"


def _numeric_bad_values(c: Constraint) -> list[tuple[str, Any]]:
    return [
        *Constraint.bad_values(c),
        ("nan", float("nan")),
        ("inf", float("inf")),
        ("-inf", -float("inf")),
        ("an int too large for a float", 10**400),
        ("a number past MAX_ABS", 1e200),
    ]


@dataclass(frozen=True, repr=False)
class Interval(Constraint):
    """A real or integral number in an interval, scikit-learn style.

    Parameters
    ----------
    kind : numbers.Real or numbers.Integral
        ``numbers.Integral`` also accepts a float with an integral value (``3.0``).
    left, right : float or None
        The bounds; None is unbounded.
    closed : {"both", "left", "right", "neither"}, default "both"
        Which bounds belong to the interval.
    none_ok : bool, default False
        Whether None is accepted (and passed on).
    ceiling_hint : str, optional
        For a size or time ceiling (``right``): how to stay under it, added to the message.
    example_value : number, optional
        A value the boundary tests may pass (default: derived from the bounds).

    Examples
    --------
    >>> Interval(numbers.Real, 0, 1, closed="left")("beta", 1.0)
    Traceback (most recent call last):
    ...
    ValueError: beta must be in [0, 1), got 1.0
    >>> Interval(numbers.Integral, 1, None)("epochs", 2.0)
    2
    """

    kind: type = numbers.Real
    left: float | None = None
    right: float | None = None
    closed: str = "both"
    none_ok: bool = False
    ceiling_hint: str = ""
    example_value: Any = None

    def __post_init__(self) -> None:
        if self.kind not in (numbers.Real, numbers.Integral):
            raise TypeError(f"kind must be numbers.Real or numbers.Integral, got {self.kind!r}")
        if self.closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"closed must be 'both', 'left', 'right' or 'neither', got {self.closed!r}")

    def _bounds_text(self) -> str:
        lo_in = self.closed in ("both", "left")
        hi_in = self.closed in ("both", "right")
        lo = "-inf" if self.left is None else f"{self.left:g}"
        hi = "inf" if self.right is None else f"{self.right:g}"
        left = "[" if lo_in and self.left is not None else "("
        right = "]" if hi_in and self.right is not None else ")"
        return f"{left}{lo}, {hi}{right}"

    def describe(self) -> str:
        what = "an integer" if self.kind is numbers.Integral else "a real number"
        return f"{what} in {self._bounds_text()}" + (" or None" if self.none_ok else "")

    def convert(self, name: str, value: Any) -> Any:
        if self.kind is numbers.Integral:
            out: Any = _to_int(name, value)
            v = float(out)
        else:
            out = to_real(name, value)
            v = out
        lo, hi = self.left, self.right
        bad_lo = lo is not None and (v < lo or (v == lo and self.closed in ("right", "neither")))
        bad_hi = hi is not None and (v > hi or (v == hi and self.closed in ("left", "neither")))
        if bad_lo or bad_hi:
            shown = out if self.kind is numbers.Integral else v
            if bad_hi and self.ceiling_hint:
                raise ValueError(
                    f"{name} must be <= {hi:g} (the limit), got {short(shown, 40)}: {self.ceiling_hint}"
                )
            if hi is None or lo is None or self.closed == "both":  # say it as an inequality
                op = (
                    (">" if self.closed in ("right", "neither") else ">=")
                    if bad_lo
                    else ("<" if self.closed in ("left", "neither") else "<=")
                )
                bound = lo if bad_lo else hi
                raise ValueError(f"{name} must be {op} {bound:g}, got {short(shown, 40)}")
            raise ValueError(f"{name} must be in {self._bounds_text()}, got {short(shown, 40)}")
        return out

    def example(self) -> Any:
        if self.example_value is not None:
            return self.example_value
        lo = self.left
        hi = self.right
        if lo is None and hi is None:
            v = 0.5
        elif lo is None:
            v = float(hi) - 1  # type: ignore[arg-type]
        elif hi is None or float(lo) + 1 < float(hi):  # near the lower end: counts stay small
            v = float(lo) + 1
        else:
            v = (float(lo) + float(hi)) / 2
        return math.ceil(v) if self.kind is numbers.Integral else v

    def bad_values(self) -> list[tuple[str, Any]]:
        out = _numeric_bad_values(self)
        if self.kind is numbers.Integral:
            out = [o for o in out if o[0] not in ("an int too large for a float", "a number past MAX_ABS")]
            out += [("a fraction", 2.5), ("a bool", True), ("a list", [1, 2])]
            if self.right is None:
                out.append(("an int too large for a float", 10**400))
        else:
            out += [("a bool", True), ("a list", [1.0, 2.0])]
        if self.left is not None:
            step = 1 if self.kind is numbers.Integral else max(1.0, abs(float(self.left))) * 0.5
            out.append(("below the interval", self.left - step))
            if self.closed in ("right", "neither"):
                out.append(("at the open left end", self.left))
        if self.right is not None:
            step = 1 if self.kind is numbers.Integral else max(1.0, abs(float(self.right))) * 0.5
            big = self.right + step
            out.append(("above the interval", int(big) if self.kind is numbers.Integral else big))
            if self.closed in ("left", "neither"):
                out.append(("at the open right end", self.right))
        return out


def _to_int(name: str, value: Any) -> int:
    _refuse_common(name, value, "an integer")
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise _kind_error(name, "an integer", value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    if isinstance(value, numbers.Integral):
        out = int(value)
        if abs(out) > _FLOAT_MAX:
            raise ValueError(f"{name} must be an integer within float range, got {short(out, 48)}")
        return out
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {float(value)}")
        if float(value).is_integer():
            return int(value)
    raise _kind_error(name, "an integer", value)


@dataclass(frozen=True, repr=False)
class RealArray(Constraint):
    """A real array: converted to a new float64 array, with its shape and range checked.

    Parameters
    ----------
    ndim : int or None, default 1
        Required number of dimensions (None: any). With ``ndim=1`` a number is
        promoted to shape ``(1,)``.
    shape : tuple of (int or None), optional
        Required shape, None for a free axis (e.g. ``(None, 2)``).
    min_size : int, default 1
        Fewest elements.
    max_size : int, default :data:`MAX_ARRAY_SIZE`
        Most elements (a size ceiling, checked before the copy).
    lo, hi : float, optional
        Inclusive bounds on every element (``hi_open``/``lo_open`` make them strict).
    hard : bool, default False
        Every element must be exactly 0 or 1 (hard labels).
    increasing : bool, default False
        Strictly increasing (1-D).
    finite : bool, default True
        Refuse ``nan`` and ``±inf``.
    none_ok : bool, default False
    example_value : array_like, optional
        A value the boundary tests pass.
    what : str, optional
        Text for the messages (default from the shape).

    Examples
    --------
    >>> RealArray(shape=(None, 2))("points", [[0, 1], [2, 3]]).shape
    (2, 2)
    >>> RealArray(lo=0, hi=1)("y", [0.5, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: y must lie in [0, 1], got 2.0 at index 1
    """

    ndim: int | None = 1
    shape: tuple[int | None, ...] | None = None
    min_size: int = 1
    max_size: int = MAX_ARRAY_SIZE
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    hard: bool = False
    increasing: bool = False
    finite: bool = True
    max_abs: float = MAX_ABS
    none_ok: bool = False
    example_value: Any = None
    what: str = ""

    def __post_init__(self) -> None:
        if self.shape is not None:
            object.__setattr__(self, "ndim", len(self.shape))

    def describe(self) -> str:
        if self.what:
            return self.what
        if self.shape is not None:
            dims = ", ".join("n" if d is None else str(d) for d in self.shape)
            text = f"a real array of shape ({dims}{',' if len(self.shape) == 1 else ''})"
        elif self.ndim is None:
            text = "a real array_like"
        else:
            text = f"a {self.ndim}-D real array_like"
        if self.lo is not None or self.hi is not None:
            text += f" with values in {self._range_text()}"
        return text + (" or None" if self.none_ok else "")

    def _range_text(self) -> str:
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        left = "(" if self.lo_open or self.lo is None else "["
        right = ")" if self.hi_open or self.hi is None else "]"
        return f"{left}{lo}, {hi}{right}"

    def convert(self, name: str, value: Any) -> np.ndarray:
        arr = to_real_array(name, value, max_size=self.max_size, finite=self.finite, max_abs=self.max_abs)
        if self.ndim == 1 and arr.ndim == 0:
            arr = arr.reshape(1)
        if self.ndim is not None and arr.ndim != self.ndim:
            raise ValueError(f"{name} must be {self.ndim}-dimensional, got shape {arr.shape}")
        if self.shape is not None:
            ok = arr.ndim == len(self.shape) and all(
                want is None or want == got for want, got in zip(self.shape, arr.shape, strict=False)
            )
            if not ok:
                if self.what:
                    raise ValueError(f"{name} must be {self.what}, got shape {arr.shape}")
                dims = ", ".join("n" if d is None else str(d) for d in self.shape)
                comma = "," if len(self.shape) == 1 else ""
                raise ValueError(f"{name} must have shape ({dims}{comma}), got shape {arr.shape}")
        if arr.size < self.min_size:
            if arr.size == 0:
                raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
            raise ValueError(f"{name} must have at least {self.min_size} elements, got shape {arr.shape}")
        if self.lo is not None or self.hi is not None:
            bad = np.zeros(arr.shape, dtype=bool)
            if self.lo is not None:
                bad |= (arr <= self.lo) if self.lo_open else (arr < self.lo)
            if self.hi is not None:
                bad |= (arr >= self.hi) if self.hi_open else (arr > self.hi)
            if bad.any():
                i = int(np.flatnonzero(bad.ravel())[0])
                where = f"got {arr.ravel()[i]} at index {_index(i, arr.shape)}"
                if self.hi is None and self.lo is not None:  # one bound: an inequality
                    raise ValueError(f"{name} must be {'>' if self.lo_open else '>='} {self.lo:g}, {where}")
                if self.lo is None and self.hi is not None:
                    raise ValueError(f"{name} must be {'<' if self.hi_open else '<='} {self.hi:g}, {where}")
                verb = "be" if self.lo_open or self.hi_open else "lie"  # the helpers' wording, kept
                raise ValueError(f"{name} must {verb} in {self._range_text()}, {where}")
        if self.hard:
            bad = (arr != 0) & (arr != 1)
            if bad.any():
                i = int(np.flatnonzero(bad.ravel())[0])
                raise ValueError(
                    f"{name} must be hard labels, 0 or 1, got {arr.ravel()[i]} "
                    f"at index {_index(i, arr.shape)}"
                )
        if self.increasing and arr.ndim == 1 and np.any(np.diff(arr) <= 0):
            i = int(np.flatnonzero(np.diff(arr) <= 0)[0]) + 1
            raise ValueError(
                f"{name} must be strictly increasing, got {arr[i]} after {arr[i - 1]} at index {i}"
            )
        return arr

    def example(self) -> Any:
        if self.example_value is not None:
            return self.example_value
        if self.shape is not None:
            dims = tuple(3 if d is None else d for d in self.shape)
        elif self.ndim is None or self.ndim == 1:
            dims = (5,)
        else:
            dims = (3,) * self.ndim
        lo = 0.0 if self.lo is None else self.lo
        hi = lo + 1.0 if self.hi is None else self.hi
        base = np.linspace(lo, hi, int(np.prod(dims)) + 2)[1:-1]
        if self.hard:
            base = (np.arange(base.size) % 2).astype(float)
        return base.reshape(dims)

    def bad_values(self) -> list[tuple[str, Any]]:
        out = [o for o in _numeric_bad_values(self) if o[0] != "a number past MAX_ABS"]
        ex = np.asarray(self.example(), dtype=np.float64)
        flat = ex.ravel().tolist()
        n = len(flat)
        listed = ex.tolist()

        def with_item(item: Any) -> Any:
            copy = list(flat)
            copy[0] = item
            return np.array(copy, dtype=object).reshape(ex.shape).tolist() if ex.ndim > 1 else copy

        out += [
            ("strings in a list", [str(v) for v in flat]),
            ("a bytes array", np.array([b"1"] * n)),
            ("a datetime array", np.array(["2026-01-01"] * n, dtype="datetime64[D]")),
            ("a timedelta array", np.arange(n).astype("timedelta64[s]")),
            ("a complex array", ex.astype(complex)),
            ("an object array of strings", np.array(["a"] * n, dtype=object)),
            ("None inside", with_item(None)),
            ("nan inside", with_item(float("nan"))),
            ("inf inside", with_item(float("inf"))),
            ("an int too large for a float inside", with_item(10**400)),
            ("a masked array", np.ma.masked_array(ex, mask=np.eye(1, n, dtype=bool).reshape(ex.shape))),
            ("a ragged list", [[1.0], [1.0, 2.0]]),
            ("too many elements", np.broadcast_to(0.5, (self.max_size + 1,))),
        ]
        if self.max_abs < math.inf:
            out.append(("a value past MAX_ABS inside", with_item(1e200)))
        if self.ndim is not None:
            out.append(("the wrong number of dimensions", np.zeros((2,) * (self.ndim + 1)) + flat[0]))
        if self.min_size >= 1:
            out.append(("empty", np.zeros((0,) * max(self.ndim or 1, 1))))
        if self.lo is not None:
            out.append(("a value below the range", with_item(self.lo - 1.0)))
        if self.hi is not None:
            out.append(("a value above the range", with_item(self.hi + 1.0)))
        if self.hard:
            out.append(("a soft label", with_item(0.5)))
        del listed
        return out


def Probabilities(**kwargs: Any) -> RealArray:
    """Probabilities: a real array with every value in [0, 1].

    Examples
    --------
    >>> Probabilities()("y_hat", [0.2, 1.0])
    array([0.2, 1. ])
    """
    kwargs.setdefault("example_value", [0.1, 0.8, 0.3, 0.6, 0.9])
    return RealArray(lo=0.0, hi=1.0, **kwargs)


def Labels(*, hard: bool = False, **kwargs: Any) -> RealArray:
    """Labels: in [0, 1] (soft labels allowed), or exactly 0 or 1 with ``hard=True``.

    Examples
    --------
    >>> Labels(hard=True)("y", [0, 1, 0.5])
    Traceback (most recent call last):
    ...
    ValueError: y must be hard labels, 0 or 1, got 0.5 at index 2
    """
    kwargs.setdefault("example_value", [0.0, 1.0, 0.0, 1.0, 1.0])
    return RealArray(lo=0.0, hi=1.0, hard=hard, **kwargs)


def Params(n: int = 2, **kwargs: Any) -> RealArray:
    """A parameter vector of ``n`` numbers (``(w, b)`` for the course's model).

    Examples
    --------
    >>> Params()("params", [1.0, 2.0, 3.0])
    Traceback (most recent call last):
    ...
    ValueError: params must be (w, b), a sequence of 2 numbers, got shape (3,)
    """
    kwargs.setdefault("what", "(w, b), a sequence of 2 numbers" if n == 2 else f"a sequence of {n} numbers")
    kwargs.setdefault("example_value", [0.5, -0.25][:n] if n <= 2 else [0.1] * n)
    return RealArray(shape=(n,), **kwargs)


@dataclass(frozen=True, repr=False)
class Options(Constraint):
    """One of a few allowed values (e.g. strings naming a mode).

    Examples
    --------
    >>> Options(("path", "final"))("record", "all")
    Traceback (most recent call last):
    ...
    ValueError: record must be one of 'path', 'final', got 'all'
    """

    options: tuple[Any, ...] = ()
    none_ok: bool = False

    def describe(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)

    def convert(self, name: str, value: Any) -> Any:
        try:
            ok = value in self.options
        except Exception:  # unhashable / odd comparisons
            ok = False
        if isinstance(value, np.ndarray) or not ok or not any(type(value) is type(o) for o in self.options):
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                raise ValueError(f"{name} must be {self.describe()}, got {short(value)}")
            raise TypeError(f"{name} must be {self.describe()}, got {short(value)}")
        return value

    def example(self) -> Any:
        return self.options[0]

    def bad_values(self) -> list[tuple[str, Any]]:
        out = [("an unknown option", "no such option"), ("a number", 3), ("a list", [self.options[0]])]
        if not self.none_ok:
            out.append(("None", None))
        return out


@dataclass(frozen=True, repr=False)
class Boolean(Constraint):
    """``True`` or ``False`` (numpy bools too; not 0/1 or strings).

    Examples
    --------
    >>> Boolean()("square", "yes")
    Traceback (most recent call last):
    ...
    TypeError: square must be True or False, got 'yes'
    """

    none_ok: bool = False

    def describe(self) -> str:
        return "True or False"

    def convert(self, name: str, value: Any) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {short(value)}")
        return bool(value)

    def example(self) -> Any:
        return False

    def bad_values(self) -> list[tuple[str, Any]]:
        out = [("a string", "yes"), ("an int", 1), ("a list", [True])]
        if not self.none_ok:
            out.append(("None", None))
        return out


@dataclass(frozen=True, repr=False)
class InstanceOf(Constraint):
    """An *instance* of a class or runtime-checkable protocol; the class itself is refused.

    Parameters
    ----------
    cls : type or tuple of type
    hint : str
        How to make one, for the message (e.g. ``"lossviz.BCE or lossviz.FocalLoss(2.0)"``).
    none_ok : bool, default False
    example_factory : callable, optional
        Makes a valid instance for the boundary tests.
    what : str, optional
        The messages' name for the kind (default ``"a <class name>"``).

    Examples
    --------
    >>> from lossviz.losses import FocalLoss, LogitLoss
    >>> InstanceOf(LogitLoss, "FocalLoss(2.0)")("loss", FocalLoss)
    Traceback (most recent call last):
    ...
    TypeError: loss must be an instance such as FocalLoss(2.0), got the class FocalLoss itself: call it, ...
    """

    cls: Any = object
    hint: str = ""
    none_ok: bool = False
    example_factory: Callable[[], Any] | None = None
    what: str = ""

    def describe(self) -> str:
        if self.what:
            return self.what + (f" (e.g. {self.hint})" if self.hint else "")
        names = self.cls if isinstance(self.cls, tuple) else (self.cls,)
        text = " or ".join(getattr(c, "__name__", str(c)) for c in names)
        article = "an" if text[:1].lower() in "aeiou" else "a"
        return f"{article} {text}" + (f" (e.g. {self.hint})" if self.hint else "")

    def convert(self, name: str, value: Any) -> Any:
        if isinstance(value, type):
            raise TypeError(
                f"{name} must be an instance such as {self.hint or self.describe()}, got the class "
                f"{value.__name__} itself: call it, e.g. {value.__name__}(...)"
            )
        if not isinstance(value, self.cls):
            raise TypeError(f"{name} must be {self.describe()}, got {short(value)}")
        return value

    def example(self) -> Any:
        if self.example_factory is None:
            raise LookupError("InstanceOf has no example_factory")
        return self.example_factory()

    def bad_values(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = [("a string", "bce"), ("a number", 1.0), ("an object", object())]
        cls = self.cls[0] if isinstance(self.cls, tuple) else self.cls
        if isinstance(cls, type):
            out.append(("the class instead of an instance", cls))
        if self.example_factory is not None:
            out.append(("the class of the example instead of an instance", type(self.example_factory())))
        if not self.none_ok:
            out.append(("None", None))
        return out


@dataclass(frozen=True, repr=False)
class CallableOf(Constraint):
    """A callable (function, lambda, object with ``__call__``); a class is refused.

    Examples
    --------
    >>> CallableOf()("reached", 3)
    Traceback (most recent call last):
    ...
    TypeError: reached must be callable, got 3
    """

    none_ok: bool = False
    example_factory: Callable[[], Any] | None = None

    def describe(self) -> str:
        return "callable" + (" or None" if self.none_ok else "")

    def convert(self, name: str, value: Any) -> Any:
        if isinstance(value, type):
            raise TypeError(f"{name} must be a function, got the class {value.__name__}")
        if not callable(value):
            raise TypeError(f"{name} must be callable, got {short(value)}")
        return value

    def example(self) -> Any:
        return self.example_factory() if self.example_factory is not None else (lambda *a, **k: None)

    def bad_values(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = [("a string", "f"), ("a number", 3), ("a class", int)]
        if not self.none_ok:
            out.append(("None", None))
        return out


@dataclass(frozen=True, repr=False)
class SequenceOf(Constraint):
    """A list or tuple (or 1-D array) of items, each checked by ``item``; returned as a list.

    Refuses ``None``, a single item and a string where a sequence is expected, with a
    :class:`TypeError` that says so. Items are named ``name[i]`` in messages.

    Parameters
    ----------
    item : Constraint
    min_len : int, default 1
    max_len : int, optional
        A ceiling (e.g. how many runs a sweep may hold).
    unique : bool, default False
    none_ok : bool, default False

    Examples
    --------
    >>> SequenceOf(Interval(numbers.Integral, 1, None))("batch_sizes", 4)
    Traceback (most recent call last):
    ...
    TypeError: batch_sizes must be a list or tuple of an integer in [1, inf), got 4 (one value, not a ...)
    >>> SequenceOf(Interval(numbers.Integral, 1, None))("batch_sizes", [4, 0])
    Traceback (most recent call last):
    ...
    ValueError: batch_sizes[1] must be >= 1, got 0
    """

    item: Constraint = field(default_factory=lambda: Interval(numbers.Real))
    min_len: int = 1
    max_len: int | None = None
    unique: bool = False
    none_ok: bool = False

    def describe(self) -> str:
        return f"a list or tuple of {self.item.describe()}"

    def convert(self, name: str, value: Any) -> list[Any]:
        if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
            raise TypeError(
                f"{name} must be {self.describe()}, got {short(value)} (one value, not a sequence)"
            )
        if isinstance(value, np.ndarray):
            if value.ndim != 1:
                raise ValueError(f"{name} must be a 1-D sequence, got an array of shape {value.shape}")
            items = value.tolist()
        elif isinstance(value, (list, tuple, range)):
            items = list(value)
        else:
            raise TypeError(f"{name} must be {self.describe()}, got {short(value)}")
        if len(items) < self.min_len:
            raise ValueError(f"{name} must hold at least {self.min_len} item(s), got {short(value)}")
        if self.max_len is not None and len(items) > self.max_len:
            raise ValueError(f"{name} may hold at most {self.max_len} items (the limit), got {len(items)}")
        out = [self.item(f"{name}[{i}]", v) for i, v in enumerate(items)]
        if self.unique:
            try:
                dup = len(set(out)) != len(out)
            except TypeError:
                dup = False
            if dup:
                raise ValueError(f"{name} must not repeat a value, got {short(value)}")
        return out

    def example(self) -> Any:
        return [self.item.example()] * max(1, self.min_len)

    def bad_values(self) -> list[tuple[str, Any]]:
        one = self.item.example()
        out: list[tuple[str, Any]] = [("a string", "abc"), ("a dict", {"a": 1})]
        if isinstance(one, (str, bytes)) or not isinstance(one, Iterable):  # else it reads as a sequence
            out.append(("a single item", one))
        if not self.none_ok:
            out.append(("None", None))
        if self.min_len >= 1:
            out.append(("empty", []))
        ok = self.item.example()
        for label, bad in self.item.bad_values():
            if bad is not None or not self.item.none_ok:
                out.append((f"an item that is {label}", [ok, bad]))
        return out


@dataclass(frozen=True, repr=False)
class OneOf(Constraint):
    """Any one of several constraints, tried in order; the first that accepts wins.

    A value of the right kind but a bad value (the member raised :class:`ValueError`)
    gets that member's message; a value no member recognises gets a :class:`TypeError`
    listing what is accepted.

    Examples
    --------
    >>> c = OneOf((Interval(numbers.Real, 0, None, closed="neither"), RealArray(lo=0, lo_open=True)))
    >>> c("lr", [0.1, 0.2])
    array([0.1, 0.2])
    >>> c("lr", -1.0)
    Traceback (most recent call last):
    ...
    ValueError: lr must be > 0, got -1.0
    """

    members: tuple[Constraint, ...] = ()
    none_ok: bool = False

    def describe(self) -> str:
        return " or ".join(m.describe() for m in self.members)

    def convert(self, name: str, value: Any) -> Any:
        value_error: ValueError | None = None
        for member in self.members:
            try:
                return member(name, value)
            except ValueError as exc:
                value_error = value_error or exc
            except TypeError:
                continue
        if value_error is not None:
            raise value_error
        raise TypeError(f"{name} must be {self.describe()}, got {short(value)}")

    def example(self) -> Any:
        return self.members[0].example()

    def bad_values(self) -> list[tuple[str, Any]]:
        seen: list[tuple[str, Any]] = []
        for member in self.members:
            for label, bad in member.bad_values():
                if bad is None and self.none_ok:
                    continue
                try:
                    self("probe", bad)
                except (TypeError, ValueError):
                    seen.append((label, bad))
        return seen


# ----------------------------------------------------------------------------- the decorator
@dataclass
class Declaration:
    """One decorated function or class: its constraints and how to call it validly in tests.

    Attributes
    ----------
    obj : callable
        The public (decorated) function or class.
    qualname : str
        ``module.name``.
    constraints : dict of str to Constraint
    example : callable or None
        Returns keyword arguments for a valid call (for parameters whose constraint's
        own example does not fit, e.g. a problem and parameters that must agree).
    nonfinite : str
        Empty, or where the function's result may honestly hold ``inf`` or ``nan``
        (documented in its docstring).
    slow : bool
        Valid calls take long (drawings): the fuzz test tries fewer extreme values.
    raises : tuple of exception types
        Exceptions beyond TypeError and ValueError that the function documents (e.g.
        :func:`lossviz.minimise`'s RuntimeError for separable data).
    """

    obj: Any
    qualname: str
    constraints: dict[str, Constraint]
    example: Callable[[], dict[str, Any]] | None = None
    nonfinite: str = ""
    slow: bool = False
    raises: tuple[type[BaseException], ...] = ()


#: Every declaration, by ``module.qualname``.
REGISTRY: dict[str, Declaration] = {}


def declarations() -> dict[str, Declaration]:
    """:data:`REGISTRY`: every function and class declared with :func:`validate_params`."""
    return REGISTRY


def validate_params(
    constraints: Mapping[str, Constraint],
    *,
    example: Callable[[], dict[str, Any]] | None = None,
    nonfinite: str = "",
    slow: bool = False,
    raises: tuple[type[BaseException], ...] = (),
) -> Callable[[F], F]:
    """Declare and enforce a function's (or a class constructor's) parameter constraints.

    The wrapper binds the call's arguments, converts each declared one with its
    constraint (which raises naming the argument) and calls the function with the
    converted values; parameters not declared pass through unchanged. Applied to a
    class, it wraps ``__init__`` (for a NamedTuple, ``__new__``).

    Parameters
    ----------
    constraints : mapping of str to Constraint
        One entry per parameter name (each must be a parameter of the function).
    example : callable, optional
        Returns keyword arguments of a valid call, for the generated tests.
    nonfinite : str, optional
        Where ``inf``/``nan`` in the result is the honest answer (documented).
    slow : bool, default False
        See :class:`Declaration`.
    raises : tuple of exception types, optional
        Documented exceptions beyond TypeError and ValueError (see :class:`Declaration`).

    Returns
    -------
    decorator

    Examples
    --------
    >>> @validate_params({"n": Interval(numbers.Integral, 1, 1000, ceiling_hint="ask for fewer")})
    ... def grid(n):
    ...     return n
    >>> grid(10**6)
    Traceback (most recent call last):
    ...
    ValueError: n must be <= 1000 (the limit), got 1000000: ask for fewer
    >>> sorted(grid.__lossviz_constraints__)
    ['n']
    """
    cons = dict(constraints)

    def decorate(obj: F) -> F:
        is_class = isinstance(obj, type)
        if is_class:
            target_name = "__new__" if issubclass(obj, tuple) else "__init__"  # type: ignore[arg-type]
            target = obj.__dict__.get(target_name) or getattr(obj, target_name)
        else:
            target = obj
        sig = inspect.signature(target)
        unknown = set(cons) - set(sig.parameters)
        if unknown:
            raise TypeError(f"validate_params: {obj.__qualname__} has no parameter(s) {sorted(unknown)}")
        items = tuple(cons.items())
        # Defaults are converted once, here (which also checks that they satisfy the declaration);
        # arrays are copied for each call.
        defaults: dict[str, Any] = {}
        for pname, constraint in items:
            default = sig.parameters[pname].default
            if default is not inspect.Parameter.empty:
                defaults[pname] = constraint(pname, default)

        P = inspect.Parameter
        simple = all(q.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY) for q in sig.parameters.values())
        positional = tuple(q.name for q in sig.parameters.values() if q.kind is P.POSITIONAL_OR_KEYWORD)
        n_pos = len(positional)

        def convert_all(arguments: dict[str, Any]) -> None:
            for pname, constraint in items:
                if pname in arguments:
                    arguments[pname] = constraint(pname, arguments[pname])
                elif pname in defaults:
                    value = defaults[pname]
                    arguments[pname] = value.copy() if isinstance(value, np.ndarray) else value

        @functools.wraps(target)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # The fast path (no *args, **kwargs or positional-only parameters): a dict of the
            # arguments by name; anything unusual goes through inspect, which raises as Python would.
            if simple and len(args) <= n_pos and not kwargs.keys() & positional[: len(args)]:
                call = dict(zip(positional, args))
                call.update(kwargs)
                convert_all(call)
                return target(**call)
            bound = sig.bind(*args, **kwargs)
            convert_all(bound.arguments)
            return target(*bound.args, **bound.kwargs)

        wrapper.__lossviz_constraints__ = cons  # type: ignore[attr-defined]
        if is_class:
            if target_name == "__new__":
                wrapper = staticmethod(wrapper)  # type: ignore[assignment,unused-ignore]
            setattr(obj, target_name, wrapper)
            result: Any = obj
        else:
            result = wrapper
        result.__lossviz_constraints__ = cons
        key = f"{obj.__module__}.{obj.__qualname__}"
        REGISTRY[key] = Declaration(result, key, cons, example, nonfinite, slow, tuple(raises))
        return result

    return decorate
