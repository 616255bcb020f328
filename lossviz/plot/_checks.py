"""The declarations the drawings share: constraint kinds that need matplotlib.

:mod:`lossviz._constraints` knows numbers, arrays and instances; a drawing also takes an
Axes, a matplotlib colour, a course role (a key of :data:`lossviz.plot.style.COLOURS`),
legend labels and contour levels. They are declared here once, for every drawing's
``@validate_params``, with the limits they use:

* :data:`MAX_LEVELS` -- most contour levels of a landscape (:data:`lossviz.landscape.MAX_LEVELS`);
* :data:`MAX_SERIES` -- most series (runs, fits, paths, groups) one drawing takes;
* :data:`MAX_POINTS` -- most points of one drawn curve or scatter.
"""

from __future__ import annotations

import numbers
from typing import Any

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.axes import Axes

from .._constraints import Boolean, Interval, RealArray, SequenceOf, short
from ..landscape import MAX_LEVELS
from ..topics._checks import Checked, MappingOf, count, labels_for, positive, real, text
from .style import COLOURS

__all__ = [
    "AXES",
    "BOOL",
    "COLOUR",
    "LABEL",
    "LABELS",
    "LEVELS",
    "MAX_LEVELS",
    "MAX_POINTS",
    "MAX_SERIES",
    "N_LEVELS",
    "ROLE",
    "ROLES",
    "WIDTH",
    "ZORDER",
    "MappingOf",
    "count",
    "positive",
    "real",
]

#: Most series one drawing takes (runs, fits, paths, groups, bars): more is no longer readable.
MAX_SERIES: int = 200

#: Most points of one curve, scatter or path a drawing takes (a million: matplotlib's limit
#: of what it draws in a few seconds).
MAX_POINTS: int = 1_000_000


def _ax(name: str, value: Any) -> Axes:
    if not isinstance(value, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes or None, got {short(value)}")
    return value


#: An Axes to draw on, or None for a new figure of the course size.
AXES = Checked(
    _ax,
    "a matplotlib Axes or None",
    bad=(("a string", "left"), ("a figure number", 1), ("the class", Axes), ("a list", [])),
    none_ok=True,
)

#: A legend or axis label: a string.
LABEL = text()

#: Legend or tick labels, one per series, or None.
LABELS = labels_for(MAX_SERIES)

#: ``True`` or ``False``.
BOOL = Boolean()

#: A line width in points, ``0 < linewidth <= 50``.
WIDTH = Interval(numbers.Real, 0.0, 50.0, closed="right")

#: A drawing order, ``|zorder| <= 1000``.
ZORDER = Interval(numbers.Real, -1000.0, 1000.0)


def _role(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a course role (a str), got {short(value)}")
    if value not in COLOURS:
        raise ValueError(f"{name} must be one of {sorted(COLOURS)}, got {value!r}")
    return value


#: A course role: a key of :data:`lossviz.plot.style.COLOURS`, or None.
ROLE = Checked(
    _role,
    "a course role (a key of lossviz.plot.COLOURS) or None",
    example_factory=lambda: "full_batch",
    bad=(("an unknown role", "no such role"), ("a number", 3), ("a list", ["online"])),
    none_ok=True,
)

#: Roles, one per series, or None.
ROLES = SequenceOf(
    Checked(_role, "a course role", example_factory=lambda: "full_batch", bad=(("an unknown role", "nope"),)),
    max_len=MAX_SERIES,
    none_ok=True,
)


def _colour(name: str, value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value = tuple(value.tolist())
    if not mcolors.is_color_like(value) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a matplotlib colour (e.g. '#0072B2' or 'C1'), got {short(value)}")
    return value


#: A matplotlib colour, or None.
COLOUR = Checked(
    _colour,
    "a matplotlib colour or None",
    example_factory=lambda: "#0072B2",
    bad=(("not a colour", "no such colour"), ("a number", 3.0), ("a list of two", [0.1, 0.2])),
    none_ok=True,
)

#: A number of contour levels, ``1 <= n <= MAX_LEVELS``.
N_LEVELS = count(1, MAX_LEVELS, "lossviz.landscape.MAX_LEVELS: fewer levels are also easier to read")

_LEVEL_VALUES = RealArray(increasing=True, max_size=MAX_LEVELS, example_value=[0.1, 0.5, 1.0])


def _levels(name: str, value: Any) -> Any:
    if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, (bool, np.bool_)):
        return N_LEVELS(name, value)
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number of levels or increasing level values, got {value!r}")
    return _LEVEL_VALUES(name, value)


#: Contour levels: how many (an int in ``[1, MAX_LEVELS]``) or their values (increasing).
LEVELS = Checked(
    _levels,
    "a number of levels in [1, MAX_LEVELS] or increasing level values",
    example_factory=lambda: 10,
    bad=(
        ("zero", 0),
        ("negative", -3),
        ("a fraction", 2.5),
        ("too many", 10**9),
        ("a string", "10"),
        ("decreasing values", [1.0, 0.5]),
        ("nan", float("nan")),
    ),
)
