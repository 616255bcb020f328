"""The course style: one palette with one meaning, one colormap, figures that fit the column.

Every lesson starts with one call, ``lossviz.plot.style.use_course_style()``; drawing code
takes its colours from :data:`COLOURS` by *role* (``COLOURS["mini_batch"]``), never by
position in the colour cycle, so a mini-batch is the same colour in every lesson.

Palette. The colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
Design"), chosen for readers with colour-vision deficiencies, plus three greys:

* black is what belongs to the whole training set: the cost ``J``, full-batch descent
  (which follows the gradient of ``J``) and the mean gradient;
* sky blue is what belongs to one sample: a sample's loss, a per-sample gradient and
  online SGD (``B = 1``); vermillion is the mini-batch in between;
* the cost on the training set is black too (``train``), the cost on held-out data reddish
  purple (``held_out``); blue and vermillion pair flat and sharp minima;
* a measurement is a black point (``measured``), a formula or a fitted curve bluish green
  (``formula``), a guide (a target, a threshold, a rule of thumb) a grey dotted line
  (``reference``);
* the classes are greys (light: did not churn, black: churned), so that the four losses
  drawn over them keep four hues (dark grey: plain BCE, orange: weighted BCE, sky blue:
  focal, blue: α-balanced focal; dashed lines are the class-weighted ones).

:data:`GROUPS` lists the roles that appear together in one figure; within each group the
colours stay distinct under simulated protanopia, deuteranopia and tritanopia (tested in
``tests/test_style.py``; ``tools/palette_report.py`` prints the distances), and the line
style or marker (:data:`LINESTYLES`, :data:`MARKERS`) differs too, so a figure also reads
in greyscale.

Colormap. :data:`CMAP` is ``"cividis"`` (Nuñez, Anderton & Renslow 2018, PLOS ONE 13,
e0199239): its lightness rises monotonically and evenly, and it was optimised to look the
same to readers with deuteranopia as to everyone else. Measured in CIEDE2000 steps along
the map (coefficient of variation, 0 = perfectly even), cividis keeps 0.16 under simulated
protanopia and deuteranopia and 0.22 under tritanopia; viridis goes from 0.16 to 0.36-0.62
(``tools/palette_report.py``). Low cost is dark. Shade a landscape at
:data:`LANDSCAPE_ALPHA` so the paths drawn on it stay visible everywhere.

Sizes. JupyterLab shows a stored PNG at 100 % up to the width of the notebook column
(about :data:`COLUMN_PX` = 900 px) and scales wider ones down, text included. The inline
backend stores a figure at ``figure.dpi`` (:data:`DPI` = 100, matplotlib's default) and
crops it with ``bbox_inches="tight"`` (0.1 in of padding on each side), so a figure of
``w`` inches is stored 10-20 px wider than ``w * DPI``. :func:`figsize` keeps that
within the column and the height within what a 1024 × 768 projector shows below the
browser's and JupyterLab's bars. The font sizes put every text at least
:data:`MIN_TEXT_PX` pixels high as displayed (``pt * DPI / 72``), relative sizes down
to ``"x-small"`` included.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colorbar import Colorbar
from numpy.typing import ArrayLike

from .._constraints import Boolean, InstanceOf, Options, RealArray, validate_params
from .._validation import _short
from ..landscape import MAX_LEVELS
from ..topics._checks import Checked, array, count, real, text

__all__ = [
    "CMAP",
    "COLOURS",
    "COLUMN_PX",
    "CYCLE",
    "DPI",
    "FIGURE_WIDTH_PX",
    "FONT_SIZES",
    "GROUPS",
    "LANDSCAPE_ALPHA",
    "LINESTYLES",
    "MARKERS",
    "MAX_HEIGHT_PX",
    "MAX_PANEL_WIDTH_PX",
    "MIN_TEXT_PX",
    "OKABE_ITO",
    "PROJECTOR_FONT_SCALE",
    "PROJECTOR_PX",
    "SERIES_LINESTYLES",
    "course_rc",
    "course_style",
    "figsize",
    "landscape_colorbar",
    "landscape_levels",
    "regime",
    "role_style",
    "series_style",
    "use_course_style",
]

OKABE_ITO: Mapping[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)
"""The eight colours of Okabe & Ito (2008), by name."""

_OI = OKABE_ITO
_GREY_LIGHT, _GREY_DARK = "#999999", "#555555"

# role: (colour, line style, marker). "none" = the role is not drawn that way.
_ROLES: dict[str, tuple[str, str, str]] = {
    # the three optimiser regimes (lessons 04, 05, 06, 09 and the explorer) and their markers
    "full_batch": (_OI["black"], "-", "o"),
    "mini_batch": (_OI["vermillion"], "--", "s"),
    "online": (_OI["sky_blue"], ":", "^"),
    "minimum": (_OI["yellow"], "none", "*"),
    "start": ("#FFFFFF", "none", "o"),
    # the classes of the churn data: 0 = did not churn (the majority), 1 = churned
    "class_0": (_GREY_LIGHT, "none", "o"),
    "class_1": (_OI["black"], "none", "^"),
    # the four losses of the imbalance lesson; dashed = class-weighted
    "bce": (_GREY_DARK, "-", "o"),
    "weighted_bce": (_OI["orange"], "--", "X"),
    "focal": (_OI["sky_blue"], "-", "^"),
    "focal_alpha": (_OI["blue"], "--", "D"),
    # the cost on the training set (black, as J is everywhere) and on held-out data
    "train": (_OI["black"], "-", "o"),
    "held_out": (_OI["reddish_purple"], "-.", "D"),
    # loss, cost, objective
    "cost": (_OI["black"], "-", "none"),
    "loss": (_OI["sky_blue"], ":", "."),
    "objective": (_OI["orange"], "--", "none"),
    # the two basins
    "sharp": (_OI["vermillion"], "--", "^"),
    "flat": (_OI["blue"], "-", "s"),
    # gradient clouds
    "gradient": (_OI["sky_blue"], "none", "."),
    "mean_gradient": (_OI["black"], "-", "o"),
    # the four update rules of lesson 11 (plain gradient descent is black, like the full batch)
    "gradient_descent": (_OI["black"], "-", "o"),
    "momentum": (_OI["blue"], "--", "s"),
    "nesterov": (_OI["bluish_green"], "-.", "^"),
    "adam": (_OI["orange"], ":", "D"),
    # measurements against what a formula or a fit predicts
    "measured": (_OI["black"], "none", "o"),
    "formula": (_OI["bluish_green"], "-", "none"),
    # neutral
    "reference": ("#666666", ":", "none"),
    "grid": ("#DDDDDD", "-", "none"),
    "text": ("#222222", "-", "none"),
}

COLOURS: Mapping[str, str] = MappingProxyType({role: c for role, (c, _, _) in _ROLES.items()})
"""Role -> hex colour ``"#RRGGBB"``, read-only. The same role has the same colour in every lesson."""

LINESTYLES: Mapping[str, str] = MappingProxyType({role: ls for role, (_, ls, _) in _ROLES.items()})
"""Role -> matplotlib line style, the second channel (``"none"``: drawn as markers only)."""

MARKERS: Mapping[str, str] = MappingProxyType({role: mk for role, (_, _, mk) in _ROLES.items()})
"""Role -> matplotlib marker, used when the role is drawn as points (``"none"``: lines only)."""

GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "regimes": ("full_batch", "mini_batch", "online", "minimum", "start"),
        "classes": ("class_0", "class_1"),
        "losses": ("bce", "weighted_bce", "focal", "focal_alpha"),
        "losses_and_classes": ("bce", "weighted_bce", "focal", "focal_alpha", "class_0", "class_1"),
        "losses_on_landscape": ("bce", "weighted_bce", "focal", "focal_alpha", "mini_batch", "start"),
        "capacity": ("train", "held_out", "reference"),
        "loss_curve": ("mini_batch", "train", "held_out", "reference"),
        "fits": ("measured", "formula", "reference"),
        "basins": ("sharp", "flat", "cost", "loss", "reference"),
        "cost_loss_objective": ("cost", "loss", "objective"),
        "gradients": ("gradient", "mean_gradient"),
        "optimisers": ("gradient_descent", "momentum", "nesterov", "adam", "minimum", "start"),
    }
)
"""Figure kind -> the roles drawn together in it; their colours and styles must stay distinct."""

CYCLE: tuple[str, ...] = (
    _OI["blue"],
    _OI["vermillion"],
    _OI["bluish_green"],
    _OI["orange"],
    _OI["sky_blue"],
    _OI["reddish_purple"],
)
"""Colours of the default property cycle, for lines that have no role.

Colours only: a line drawn with an explicit colour stays solid unless it asks for a line
style, so a role's second channel comes from :func:`role_style`, never from the order of
the calls."""

CMAP = "cividis"
"""The colormap of every cost landscape (low cost dark)."""

LANDSCAPE_ALPHA = 0.8
"""Opacity of a landscape's shading over white: paths in the regime colours stay visible on it."""

COLUMN_PX = 900
"""Width of the JupyterLab notebook column, in CSS px: wider images are shown scaled down."""

DPI = 100
"""Dots per inch at which the inline backend stores figures (``figure.dpi``)."""

FIGURE_WIDTH_PX = 860
"""Width of a full-width figure: stored 871-878 px wide (measured), under the column."""

MAX_PANEL_WIDTH_PX = 600
"""Widest a single panel is made, so a one-panel figure is not stretched across the column."""

PROJECTOR_PX = (1024, 768)
"""The smallest common projector resolution, (width, height)."""

MAX_HEIGHT_PX = 560
"""Tallest figure: a 768 px projector screen minus about 200 px of browser and JupyterLab bars."""

MIN_TEXT_PX = 10.0
"""Smallest text height, in px as displayed at 100 %, that the style guarantees."""

PROJECTOR_FONT_SCALE = 1.4
"""Font sizes times this for a projector (``use_course_style(projector=True)``): at least 14 px.

Text that large fits at most three panels across the column."""

FONT_SIZES: Mapping[str, float] = MappingProxyType(
    {
        "font.size": 11.0,  # 15.3 px at DPI 100; "x-small" (0.694 x) is 7.6 pt = 10.6 px
        "axes.titlesize": 12.0,
        "axes.labelsize": 11.0,
        "xtick.labelsize": 10.0,  # 13.9 px
        "ytick.labelsize": 10.0,
        "legend.fontsize": 10.0,
        "legend.title_fontsize": 10.0,
        "figure.titlesize": 13.0,
        "figure.labelsize": 11.0,
    }
)
"""Font sizes in points for the notebook column."""

_OUTLINED = frozenset({"minimum", "start"})  # light faces: drawn with a dark edge


def _example_colorbar() -> dict[str, Any]:
    from matplotlib.figure import Figure

    ax = Figure(figsize=figsize()).add_subplot()
    return {"ax": ax, "mappable": ax.imshow([[0.0, 1.0], [2.0, 3.0]])}


def _colorbar_axes(ax: Any) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {_short(ax)}")
    return ax


def _check_role(role: Any) -> str:
    if not isinstance(role, str):
        raise TypeError(f"role must be a str, got {_short(role)}")
    if role not in COLOURS:
        raise ValueError(f"role must be one of {sorted(COLOURS)}, got {role!r}")
    return role


_ROLE = Checked(
    lambda name, value: _check_role(value),
    "a course role (a key of COLOURS)",
    example_factory=lambda: "online",
    bad=(("an unknown role", "no such role"), ("a number", 3)),
)


@validate_params({"role": _ROLE, "markers": Boolean()})
def role_style(role: str, *, markers: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``ax.plot`` that draw ``role`` in its colour and second channel.

    Parameters
    ----------
    role : str
        A key of :data:`COLOURS`.
    markers : bool, default False
        Also put the role's marker on the line. Roles without a line style (markers
        only, such as ``"minimum"``) always get their marker.

    Returns
    -------
    dict
        ``color``, ``linestyle``, ``marker`` and ``markeredgecolor`` (a dark edge for
        the light markers ``"minimum"`` and ``"start"``).

    Raises
    ------
    TypeError
        If ``role`` is not a str.
    ValueError
        If ``role`` is not a known role.

    Examples
    --------
    >>> role_style("mini_batch")
    {'color': '#D55E00', 'linestyle': '--', 'marker': 'none', 'markeredgecolor': '#D55E00'}
    >>> role_style("minimum")
    {'color': '#F0E442', 'linestyle': 'none', 'marker': '*', 'markeredgecolor': '#222222'}
    """
    linestyle, marker = LINESTYLES[role], MARKERS[role]
    if linestyle != "none" and not markers:
        marker = "none"
    edge = COLOURS["text"] if role in _OUTLINED else COLOURS[role]
    return {"color": COLOURS[role], "linestyle": linestyle, "marker": marker, "markeredgecolor": edge}


SERIES_LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")
"""Line styles of the ``k``-th series without a role, the second channel beside :data:`CYCLE`."""


@validate_params({"k": count(0)})
def series_style(k: int) -> dict[str, Any]:
    """Keyword arguments for ``ax.plot`` that draw the ``k``-th of several series that have no role.

    The colour is ``CYCLE[k % 6]`` and the line style ``SERIES_LINESTYLES[k % 4]``, so
    neighbouring series differ in both. A series with a meaning in the course takes its
    role instead (:func:`role_style`).

    Parameters
    ----------
    k : int
        Index of the series, >= 0.

    Returns
    -------
    dict
        ``color``, ``linestyle``, ``marker`` (``"none"``) and ``markeredgecolor``.

    Raises
    ------
    TypeError, ValueError
        If ``k`` is not an integer >= 0.

    Examples
    --------
    >>> series_style(1)
    {'color': '#D55E00', 'linestyle': '--', 'marker': 'none', 'markeredgecolor': '#D55E00'}
    >>> series_style(6)["color"] == series_style(0)["color"]
    True
    """
    colour = CYCLE[k % len(CYCLE)]
    return {
        "color": colour,
        "linestyle": SERIES_LINESTYLES[k % len(SERIES_LINESTYLES)],
        "marker": "none",
        "markeredgecolor": colour,
    }


@validate_params({"batch_size": count(1), "m": count(1)})
def regime(batch_size: int, m: int) -> str:
    """The optimiser regime, as a role of :data:`COLOURS`, of a batch size out of ``m`` samples.

    Parameters
    ----------
    batch_size : int
        Samples per update, ``1 <= batch_size <= m``.
    m : int
        Training-set size, ``m >= 1``.

    Returns
    -------
    str
        ``"full_batch"`` when ``batch_size == m``, ``"online"`` when it is 1 (and
        ``m > 1``), ``"mini_batch"`` otherwise.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If ``m < 1`` or ``batch_size`` lies outside ``[1, m]``.

    Examples
    --------
    >>> [regime(b, 1000) for b in (1, 32, 1000)]
    ['online', 'mini_batch', 'full_batch']
    """
    if batch_size > m:
        raise ValueError(f"batch_size must be <= m = {m}, got {batch_size}")
    if batch_size == m:
        return "full_batch"
    return "online" if batch_size == 1 else "mini_batch"


@validate_params(
    {
        "ncols": count(1, 100, "a grid of more than 100 panels does not fit the column"),
        "nrows": count(1, 100, "a grid of more than 100 panels does not fit the column"),
        "aspect": real(0.0, 100.0, closed="right"),
        "max_height_px": real(0.0, 100_000.0, closed="right"),
    }
)
def figsize(
    ncols: int = 1, nrows: int = 1, *, aspect: float = 0.75, max_height_px: float = MAX_HEIGHT_PX
) -> tuple[float, float]:
    """Figure size in inches for a grid of panels that fits the notebook column.

    Each panel is ``FIGURE_WIDTH_PX / ncols`` px wide (at most
    :data:`MAX_PANEL_WIDTH_PX`) and ``aspect`` times as high; when the grid would be
    taller than ``max_height_px`` the whole figure is scaled down to that height.
    A panel's box includes its tick labels and titles, not only the axes.

    Parameters
    ----------
    ncols, nrows : int, default 1
        Panels across and down, each >= 1.
    aspect : float, default 0.75
        Height / width of one panel, > 0 (1 for a square landscape).
    max_height_px : float, default MAX_HEIGHT_PX
        Tallest allowed figure in px, > 0.

    Returns
    -------
    (float, float)
        ``(width, height)`` in inches at :data:`DPI`, rounded to 0.01 in.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a number of the right kind or out of range.

    Examples
    --------
    >>> figsize()
    (6.0, 4.5)
    >>> figsize(2)
    (8.6, 3.23)
    >>> figsize(2, 2)  # 8.6 x 6.45 in would be too tall: scaled to 560 px
    (7.47, 5.6)
    """
    panel = min(FIGURE_WIDTH_PX / ncols, MAX_PANEL_WIDTH_PX)
    width, height = ncols * panel, nrows * panel * aspect
    if height > max_height_px:
        width, height = width * max_height_px / height, max_height_px
    return (round(width / DPI, 2), round(height / DPI, 2))


@validate_params({"projector": Boolean()})
def course_rc(*, projector: bool = False) -> dict[str, Any]:
    """The rcParams of the course style, as a dict (nothing is changed).

    Parameters
    ----------
    projector : bool, default False
        Font sizes times :data:`PROJECTOR_FONT_SCALE`, for a class at a projector.

    Returns
    -------
    dict
        rcParams: font sizes, colours of text and axes, the property cycle
        (the colours of :data:`CYCLE`), ``image.cmap`` = :data:`CMAP`,
        constrained layout, ``figure.dpi`` = ``savefig.dpi`` = :data:`DPI` and the
        default ``figure.figsize`` = :func:`figsize`. It sets no backend, so it works
        with ``%matplotlib inline``, ``%matplotlib widget`` (ipympl) and Agg alike.

    Examples
    --------
    >>> rc = course_rc()
    >>> rc["image.cmap"], rc["figure.dpi"], rc["xtick.labelsize"]
    ('cividis', 100, 10.0)
    >>> course_rc(projector=True)["xtick.labelsize"]
    14.0
    """
    scale = PROJECTOR_FONT_SCALE if projector else 1.0
    ink = COLOURS["text"]
    rc: dict[str, Any] = {key: round(size * scale, 2) for key, size in FONT_SIZES.items()}
    rc.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "figure.figsize": figsize(),
            "figure.constrained_layout.use": True,
            "figure.facecolor": "white",
            "axes.prop_cycle": cycler(color=list(CYCLE)),
            "image.cmap": CMAP,
            "lines.linewidth": 1.75,
            "lines.markersize": 7.0,
            "text.color": ink,
            "axes.labelcolor": ink,
            "axes.edgecolor": ink,
            "xtick.color": ink,
            "ytick.color": ink,
            "grid.color": COLOURS["grid"],
            "grid.linewidth": 0.8,
            "legend.framealpha": 0.9,
        }
    )
    return rc


@validate_params({"projector": Boolean()})
def use_course_style(*, projector: bool = False) -> None:
    """Apply the course style to every figure made from now on (one call atop a lesson).

    Figures are laid out by constrained layout; drop ``fig.tight_layout()`` calls (they
    warn and switch the figure to tight layout). A figure that places its axes itself
    (``subplots_adjust``, ``add_axes``) must be made with ``layout="none"``.

    Parameters
    ----------
    projector : bool, default False
        Larger text for a projector; see :func:`course_rc`.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():
    ...     use_course_style()
    ...     mpl.rcParams["image.cmap"], mpl.rcParams["figure.constrained_layout.use"]
    ('cividis', True)
    """
    rc: Any = course_rc(projector=projector)  # matplotlib types the keys as literals
    mpl.rcParams.update(rc)


@validate_params({"projector": Boolean()})
def course_style(*, projector: bool = False) -> contextlib.AbstractContextManager[None]:
    """The course style inside a ``with`` block only; the previous rcParams come back after it.

    Parameters
    ----------
    projector : bool, default False
        Larger text for a projector; see :func:`course_rc`.

    Returns
    -------
    context manager

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["image.cmap"]
    >>> with course_style():
    ...     mpl.rcParams["image.cmap"]
    'cividis'
    >>> mpl.rcParams["image.cmap"] == before
    True
    """
    rc: Any = course_rc(projector=projector)
    return mpl.rc_context(rc)


@validate_params(
    {
        "J": RealArray(ndim=2, example_value=[[1.0, 2.0], [4.0, 9.0]]),
        "n": count(1, MAX_LEVELS, "lossviz.landscape.MAX_LEVELS: fewer levels are also easier to read"),
        "scale": Options(("log", "linear")),
        "floor": real(0.0, 1.0, closed="neither"),
        "minimum": real(none_ok=True),
    }
)
def landscape_levels(
    J: ArrayLike,
    n: int = 10,
    *,
    scale: str = "log",
    floor: float = 1e-3,
    minimum: float | None = None,
) -> np.ndarray:
    """Contour levels of a cost landscape, strictly above its lowest value.

    The one contour-level scheme of the course: every landscape drawing
    (:func:`lossviz.plot.cost_landscape`, the network's slices) puts its lines here.

    Parameters
    ----------
    J : (nb, nw) array_like of float
        Cost on a grid, e.g. from :func:`lossviz.cost_grid`; not constant.
    n : int, default 10
        Number of levels, >= 1.
    scale : {"log", "linear"}, default "log"
        ``"log"``: evenly spaced in ``log(J - min J)`` from ``floor`` times the range
        up to the range, so the valley floor shows as clearly as the walls.
        ``"linear"``: evenly spaced strictly between ``min J`` and ``max J``.
    floor : float, default 1e-3
        Lowest log level as a fraction of ``max J - min J``, in (0, 1).
    minimum : float, optional
        The cost's true minimum ``J*`` when the grid does not hold it (from
        :func:`lossviz.minimise`); ``min J`` takes its place above. At most ``min J``.

    Returns
    -------
    (n,) ndarray of float
        Increasing levels.

    Raises
    ------
    TypeError, ValueError
        If ``J`` is not a finite 2-D array, is constant, or an option is out of range.

    Examples
    --------
    >>> landscape_levels([[0.0, 1.0], [4.0, 9.0]], 3, scale="linear")
    array([2.25, 4.5 , 6.75])
    >>> landscape_levels([[0.0, 1.0], [4.0, 9.0]], 3, floor=0.01)
    array([0.09, 0.9 , 9.  ])
    >>> landscape_levels([[1.0, 2.0], [4.0, 9.0]], 2, floor=0.1, minimum=0.0)
    array([0.9, 9. ])
    """
    grid = array(J)
    low = float(grid.min())
    if minimum is not None:
        given = float(minimum)
        if given > low:
            raise ValueError(f"minimum must be <= the smallest value of J ({low}), got {given}")
        low = given
    span = float(grid.max() - low)
    if span == 0.0:
        raise ValueError(f"J must not be constant, got every value equal to {low}")
    if scale == "linear":
        levels = low + span * np.arange(1, n + 1) / (n + 1)
    else:
        levels = low + span * np.geomspace(floor, 1.0, n)
    if levels[0] <= low or np.any(np.diff(levels) <= 0):
        raise ValueError(
            f"J varies too little for its size ({span:.3g} over values near {low:.3g}) to draw {n} distinct"
            " levels: pass J minus its minimum, or fewer levels (n)"
        )
    return levels


@validate_params(
    {
        "ax": Checked(lambda name, v: _colorbar_axes(v), "a matplotlib Axes"),
        "mappable": InstanceOf(ScalarMappable, "ax.imshow(...)"),
        "label": text(),
    },
    example=lambda: _example_colorbar(),
    slow=True,
)
def landscape_colorbar(ax: Axes, mappable: ScalarMappable, *, label: str = "cost $J$") -> Colorbar:
    """A colour bar beside a landscape, so its shading says which way is downhill.

    Parameters
    ----------
    ax : matplotlib Axes
        The landscape's axes; the bar takes its room from them.
    mappable : matplotlib ScalarMappable
        What was drawn with the colormap: the image of ``ax.imshow`` or the
        ``ContourSet`` of ``ax.contour`` / ``ax.contourf``.
    label : str, default "cost $J$"
        The bar's label: say what the colour measures (e.g. ``"log10 (J - J*)"``).

    Returns
    -------
    matplotlib Colorbar

    Raises
    ------
    TypeError
        If ``ax`` is not an Axes, ``mappable`` not a ScalarMappable or ``label`` not a str.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure(figsize=figsize()).add_subplot()
    >>> image = ax.imshow([[0.0, 1.0], [2.0, 3.0]], cmap=CMAP, alpha=LANDSCAPE_ALPHA)
    >>> landscape_colorbar(ax, image).ax.get_ylabel()
    'cost $J$'
    """
    return ax.figure.colorbar(mappable, ax=ax, label=label)
