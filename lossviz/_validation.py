"""Input checks shared by the public functions of :mod:`lossviz`: the imperative helpers.

The declarative form is :mod:`lossviz._constraints` (``@validate_params``); these helpers
are the same checks called by hand, and rest on it: strings, bytes, datetimes, masked
arrays, complex numbers and ``None`` inside an array are refused with :class:`TypeError`,
integers too large for a float with :class:`ValueError`, and every message names the
argument and the offending value. Unlike the declarations of the core, they put no
ceiling on the magnitude of a finite value.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._constraints import _to_int, short, to_real, to_real_array

__all__ = ["as_float_array", "as_int", "as_scalar", "check_in_unit_interval", "check_same_shape"]


def _short(value: Any, limit: int = 60) -> str:
    return short(value, limit)


def as_float_array(name: str, value: Any, *, ndim: int | None = 1) -> np.ndarray:
    """Convert ``value`` to a finite float64 array, or raise naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    value : array_like
        Numbers (bool, int or float). Strings, ``None``, complex numbers and
        objects that are not numbers raise :class:`TypeError`.
    ndim : int or None
        Required number of dimensions; a scalar is promoted to shape ``(1,)`` when
        ``ndim == 1``. ``None`` accepts any.

    Returns
    -------
    ndarray of float64
        A new array (never a view of the caller's data).

    Examples
    --------
    >>> as_float_array("x", [1, 2.5, True])
    array([1. , 2.5, 1. ])
    >>> as_float_array("x", [1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: x must be finite, got nan at index 1
    """
    arr = to_real_array(name, value, finite=False, max_abs=math.inf)
    if ndim == 1 and arr.ndim == 0:
        arr = arr.reshape(1)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = index[0] if len(index) == 1 else index
        raise ValueError(f"{name} must be finite, got {arr[index]} at index {where}")
    return arr


def check_in_unit_interval(name: str, arr: np.ndarray) -> None:
    """Raise ValueError naming ``name`` if any element lies outside [0, 1].

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    arr : ndarray of float
        Already converted (e.g. by :func:`as_float_array`).

    Returns
    -------
    None

    Examples
    --------
    >>> check_in_unit_interval("y", np.array([0.0, 1.5]))
    Traceback (most recent call last):
    ...
    ValueError: y must lie in [0, 1], got 1.5 at index 1
    """
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(f"{name} must lie in [0, 1], got {arr.ravel()[i]} at index {i}")


def check_same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ValueError if ``a`` and ``b`` differ in shape.

    Parameters
    ----------
    name_a, name_b : str
        The arguments' names, used in the message.
    a, b : ndarray

    Returns
    -------
    None

    Examples
    --------
    >>> check_same_shape("x", np.zeros(3), "y", np.zeros(2))
    Traceback (most recent call last):
    ...
    ValueError: x and y must have the same shape, got (3,) and (2,)
    """
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")


def as_scalar(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    strict_minimum: bool = False,
    maximum: float | None = None,
) -> float:
    """Convert ``value`` to a finite float within bounds, or raise naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    value : real number
        A Python or numpy real number (not a bool), or a 0-d numeric array.
    minimum : float, optional
        Lower bound, inclusive unless ``strict_minimum``.
    strict_minimum : bool, default False
    maximum : float, optional
        Upper bound, inclusive.

    Returns
    -------
    float

    Examples
    --------
    >>> as_scalar("lr", 1)
    1.0
    >>> as_scalar("lr", 0.0, minimum=0.0, strict_minimum=True)
    Traceback (most recent call last):
    ...
    ValueError: lr must be > 0.0, got 0.0
    """
    out = to_real(name, value, max_abs=math.inf)
    if minimum is not None:
        if strict_minimum and out <= minimum:
            raise ValueError(f"{name} must be > {minimum}, got {out}")
        if not strict_minimum and out < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {out}")
    if maximum is not None and out > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {out}")
    return out


def as_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Convert an integral ``value`` to int within bounds, or raise naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    value : int
        An integer (Python or numpy, not a bool), or a float with an integral value.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int

    Examples
    --------
    >>> as_int("epochs", 3.0)
    3
    >>> as_int("epochs", 2.5)
    Traceback (most recent call last):
    ...
    TypeError: epochs must be an integer, got 2.5
    """
    out = _to_int(name, value)
    if minimum is not None and out < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {out}")
    if maximum is not None and out > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {out}")
    return out
