"""The core drawings: losses, the cost landscape, minimisers, paths, cost curves, the gradient cloud.

Each takes ``ax=None`` (a new figure of the course size when omitted), draws, and returns
the Axes; none computes. Compute with the functions of :mod:`lossviz` first, then pass
the arrays here. All are re-exported by :mod:`lossviz.plot` (``lv.plot.cost_landscape(...)``).

The one exception to "returns the Axes" is :func:`cost_landscape_artists`, for figures that
are updated in place (the explorers): it returns a :class:`LandscapeArtists`, a NamedTuple
whose first field is the Axes and whose other fields are the artists that
:func:`update_cost_landscape` changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colorbar import Colorbar
from matplotlib.colors import BoundaryNorm
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from numpy.typing import ArrayLike

from .._constraints import InstanceOf, Labels, Params, Probabilities, RealArray, validate_params
from .._validation import _short, as_float_array, as_int, as_scalar, check_same_shape
from ..landscape import contour_lines
from ..losses import bce_loss
from ..topics._checks import SEED, check_pair, labels_for, str_or_none
from ._checks import (
    AXES,
    BOOL,
    COLOUR,
    LABEL,
    LEVELS,
    MAX_POINTS,
    ROLE,
    ROLES,
    WIDTH,
    ZORDER,
    MappingOf,
    count,
    positive,
    real,
)
from .style import (
    CMAP,
    COLOURS,
    LANDSCAPE_ALPHA,
    figsize,
    landscape_colorbar,
    landscape_levels,
    role_style,
    series_style,
)

__all__ = [
    "LandscapeArtists",
    "cost_curve",
    "cost_landscape",
    "cost_landscape_artists",
    "cost_landscape_shading",
    "gradient_cloud",
    "loss_vs_prediction",
    "losses",
    "minimisers",
    "trajectory",
    "update_cost_landscape",
]


#: Most bars :func:`losses` draws (one per sample): past it the bars are too thin to see.
MAX_BARS: int = 1000

_GRID_AXIS = RealArray(increasing=True, min_size=2, max_size=MAX_POINTS, example_value=[-1.0, 0.0, 1.0])
_GRID = RealArray(ndim=2, example_value=[[1.0, 0.5, 1.0], [0.5, 0.1, 0.5], [1.0, 0.5, 1.0]])
_LANDSCAPE = {
    "w_values": _GRID_AXIS,
    "b_values": _GRID_AXIS,
    "J": _GRID,
    "minimum": Params(none_ok=True),
    "minimum_value": real(none_ok=True),
    "levels": LEVELS,
}
_DRAWING = {"ax": AXES}


def _axes(ax: Axes | None) -> Axes:
    """``ax`` itself, or the Axes of a new figure of the course size (:func:`figsize`)."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize())
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {_short(ax)}")
    return ax


def _style(role: str | None, k: int = 0, *, markers: bool = False) -> dict[str, Any]:
    """Line keywords of a role, or of the ``k``-th series without one."""
    return series_style(k) if role is None else role_style(role, markers=markers)


def _check_roles(roles: Sequence[str] | None, n: int) -> list[str | None]:
    """``n`` roles (None where a series has none), checked: ``role_style`` refuses unknown names."""
    if roles is None:
        return [None] * n
    if isinstance(roles, str) or len(roles) != n:
        raise ValueError(f"roles must name one role per series ({n}), got {_short(roles)}")
    for r in roles:
        role_style(r)
    return list(roles)


# --- losses (notebook 01) ----------------------------------------------------------------


@validate_params(
    {
        "losses": RealArray(max_size=MAX_BARS, example_value=[0.78, 0.19, 0.37]),
        "cost": real(none_ok=True),
        "labels": labels_for(MAX_BARS),
        "highlight_max": BOOL,
        **_DRAWING,
    },
    slow=True,
)
def losses(
    losses: ArrayLike,
    cost: float | None = None,
    *,
    labels: Sequence[str] | None = None,
    highlight_max: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Per-sample losses as bars, with the cost as a horizontal line across them.

    Taught in notebook 01: the cost is the mean height of the bars. The bars have the
    colour of a sample's loss (``COLOURS["loss"]``), the line the colour of the cost; the
    largest loss is hatched.

    Parameters
    ----------
    losses : (m,) array_like of float
        Per-sample losses, e.g. from :func:`lossviz.bce_loss`.
    cost : float, optional
        The cost to draw as a line; the mean of ``losses`` when omitted.
    labels : sequence of str, optional
        One tick label per bar (default ``"1"``, ``"2"``, ...: samples are numbered from 1).
    highlight_max : bool, default True
        Hatch the largest loss.
    ax : matplotlib Axes, optional
        Where to draw; a new figure of the course size when omitted.

    Returns
    -------
    matplotlib Axes
        ``ax.patches`` are the bars, in order; ``ax.lines[0]`` is the cost.

    Raises
    ------
    ValueError
        If ``losses`` is not a finite 1-D array or ``labels`` has the wrong length.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = losses([0.78, 0.19, 0.37])
    >>> [round(float(p.get_height()), 2) for p in ax.patches], round(float(ax.lines[0].get_ydata()[0]), 4)
    ([0.78, 0.19, 0.37], 0.4467)
    """
    values = np.asarray(losses)
    J = float(values.mean()) if cost is None else float(cost)
    if labels is None:
        labels = [str(i) for i in range(1, values.size + 1)]
    elif len(labels) != values.size:
        raise ValueError(
            f"labels must have {values.size} entries, one per value in losses, got {len(labels)}"
        )
    ax = _axes(ax)
    worst = int(np.argmax(values)) if highlight_max else -1
    bars = ax.bar(np.arange(values.size), values, color=COLOURS["loss"], tick_label=list(labels))
    handles: list[Any] = [Patch(color=COLOURS["loss"], label="loss $L^{(i)}$ of one sample")]
    if highlight_max:
        bars[worst].set_hatch("//")
        bars[worst].set_edgecolor(COLOURS["text"])
        handles.append(
            Patch(facecolor=COLOURS["loss"], edgecolor=COLOURS["text"], hatch="//", label="largest loss")
        )
    handles.append(ax.axhline(J, label=f"cost $J$ = mean = {J:.4f}", **role_style("cost")))
    ax.set_xlabel("sample $i$")
    ax.set_ylabel("loss")
    ax.set_ylim(0, max(values.max(), J) * 1.4)
    ax.legend(handles=handles, loc="upper right")
    return ax


@validate_params(
    {
        "y": Labels(hard=True, max_size=MAX_BARS),
        "y_hat": Probabilities(max_size=MAX_BARS),
        "labels": labels_for(MAX_BARS),
        "ylim": real(0.0, 1e6, closed="right"),
        **_DRAWING,
    },
    example=lambda: {"y": [0.0, 1.0], "y_hat": [0.3, 0.6]},
    slow=True,
)
def loss_vs_prediction(
    y: ArrayLike,
    y_hat: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    ylim: float = 4.0,
    ax: Axes | None = None,
) -> Axes:
    """The binary cross-entropy against the prediction, for ``y = 1`` and ``y = 0``, with samples on it.

    Draws :func:`lossviz.bce_loss` over ``ŷ`` in (0, 1): ``L = -log ŷ`` for a label 1
    (colour of class 1, solid) and ``L = -log(1 - ŷ)`` for a label 0 (colour of class 0,
    dashed), the line ``ŷ = 0.5``, and each sample at ``(ŷ, L(ŷ, y))`` with its class's
    marker and its label. Taught in notebook 01.

    Parameters
    ----------
    y : (m,) array_like of {0, 1}
        The samples' labels.
    y_hat : (m,) array_like of float in [0, 1]
        Their predicted probabilities.
    labels : sequence of str, optional
        One text per sample beside its point (default ``"1"``, ``"2"``, ...).
    ylim : float, default 4.0
        Top of the loss axis, > 0 (the curves rise without bound at the edges).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` and ``ax.lines[1]`` are the curves for ``y = 1`` and ``y = 0``.

    Raises
    ------
    ValueError
        If a label is not 0 or 1, a prediction lies outside [0, 1], the shapes differ,
        ``labels`` has the wrong length or ``ylim <= 0``.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = loss_vs_prediction([0, 1], [0.2, 0.9])
    >>> [line.get_label() for line in ax.lines[:2]]
    ['y = 1: $L = -\\\\log \\\\hat y$', 'y = 0: $L = -\\\\log(1 - \\\\hat y)$']
    """
    labels_, probs = check_pair("y", y, "y_hat", y_hat)
    if labels is None:
        labels = [str(i) for i in range(1, probs.size + 1)]
    elif len(labels) != probs.size:
        raise ValueError(
            f"labels must have {probs.size} entries, one per sample in y and y_hat, got {len(labels)}"
        )
    top = float(ylim)
    ax = _axes(ax)
    p = np.linspace(0.0, 1.0, 801)[1:-1]
    curves = (
        (1.0, "class_1", "-", r"y = 1: $L = -\log \hat y$"),
        (0.0, "class_0", "--", r"y = 0: $L = -\log(1 - \hat y)$"),
    )
    for label, role, linestyle, text in curves:
        ax.plot(p, bce_loss(np.full_like(p, label), p), color=COLOURS[role], ls=linestyle, lw=2, label=text)
    ax.axvline(0.5, **role_style("reference"), lw=1, label=r"$\hat y = 0.5$")
    L = bce_loss(labels_, probs)
    for label, role in ((1.0, "class_1"), (0.0, "class_0")):
        on = labels_ == label
        if on.any():
            ax.plot(
                probs[on],
                L[on],
                ls="none",
                marker=role_style(role, markers=True)["marker"],
                ms=9,
                color=COLOURS[role],
                mec=COLOURS["text"],
                zorder=3,
            )
    for xi, li, text in zip(probs, L, labels):
        ax.annotate(str(text), (xi, min(li, top)), textcoords="offset points", xytext=(6, 4))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, top)
    ax.set_xlabel(r"prediction $\hat y$")
    ax.set_ylabel(r"loss $L(\hat y, y)$")
    ax.legend(loc="upper center")
    return ax


# --- The landscape and the optimisers (notebooks 02-04 and the CostExplorer) ---------------


class LandscapeArtists(NamedTuple):
    """What :func:`cost_landscape_artists` drew, for :func:`update_cost_landscape`.

    The drawing contract's one exception: the Axes first, then the artists to update.
    """

    ax: Axes
    """The Axes drawn on."""
    image: AxesImage
    """The shading: ``J - J*`` in bands between the contour levels, coloured by :data:`CMAP`."""
    contours: LineCollection
    """The contour lines (one collection, updatable in place)."""
    minimum: Line2D | None
    """The marker at the minimum, when one was given."""
    colorbar: Colorbar | None
    """The colour bar, when one was asked for."""


def _band_norm(excess_levels: np.ndarray) -> BoundaryNorm:
    bounds = np.concatenate([[0.0], excess_levels])
    return BoundaryNorm(bounds, plt.get_cmap(CMAP).N)


def _format_height(value: float, _pos: object = None) -> str:
    return "0" if value == 0 else f"{value:.2g}"


@validate_params(
    {**_LANDSCAPE, "colorbar": BOOL, "colorbar_label": LABEL, "label": LABEL, **_DRAWING}, slow=True
)
def cost_landscape_artists(
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimum: ArrayLike | None = None,
    minimum_value: float | None = None,
    levels: int | ArrayLike = 10,
    colorbar: bool = True,
    colorbar_label: str = "$J - J^*$",
    label: str = "minimum",
    ax: Axes | None = None,
) -> LandscapeArtists:
    """:func:`cost_landscape`, returning the artists drawn so that they can be updated in place.

    Parameters and drawing as for :func:`cost_landscape`.

    Returns
    -------
    LandscapeArtists
        ``(ax, image, contours, minimum, colorbar)``; ``minimum`` and ``colorbar`` are
        None when not drawn.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> w, b = np.linspace(-1, 1, 21), np.linspace(-1, 1, 11)
    >>> drawn = cost_landscape_artists(w, b, np.add.outer(b**2, w**2), minimum=(0, 0), colorbar=False)
    >>> drawn.image.get_array().shape, drawn.colorbar is None
    ((11, 21), True)
    """
    w, b, grid = _check_grid(w_values, b_values, J)
    low = _low(grid, minimum_value)
    lv = _levels(grid, low, levels)
    ax = _axes(ax)
    dw, db = (w[-1] - w[0]) / (2 * (w.size - 1)), (b[-1] - b[0]) / (2 * (b.size - 1))
    image = ax.imshow(
        np.maximum(grid - low, 0.0),
        origin="lower",
        aspect="auto",
        extent=(w[0] - dw, w[-1] + dw, b[0] - db, b[-1] + db),
        cmap=CMAP,
        norm=_band_norm(lv - low),
        interpolation="nearest",
        alpha=LANDSCAPE_ALPHA,
        zorder=0,
    )
    contours = LineCollection(
        _segments(w, b, grid, lv), colors=COLOURS["text"], linewidths=0.5, alpha=0.55, zorder=1
    )
    ax.add_collection(contours, autolim=False)
    marker = None
    if minimum is not None:
        p = _point("minimum", minimum)
        (marker,) = ax.plot([p[0]], [p[1]], markersize=15, label=label, zorder=5, **role_style("minimum"))
    bar = None
    if colorbar:
        bar = landscape_colorbar(ax, image, label=colorbar_label)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(_format_height))
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(b[0], b[-1])
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")
    return LandscapeArtists(ax, image, contours, marker, bar)


@validate_params(
    {**_LANDSCAPE, "colorbar": BOOL, "colorbar_label": LABEL, "label": LABEL, **_DRAWING}, slow=True
)
def cost_landscape(
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimum: ArrayLike | None = None,
    minimum_value: float | None = None,
    levels: int | ArrayLike = 10,
    colorbar: bool = True,
    colorbar_label: str = "$J - J^*$",
    label: str = "minimum",
    ax: Axes | None = None,
) -> Axes:
    """A cost (or objective, or one sample's loss) over the ``(w, b)`` plane: bands, contours, colour bar.

    Taught in notebook 03. The lines are at the course's one contour-level scheme,
    :func:`lossviz.plot.style.landscape_levels`: evenly spaced in ``log(J - J*)``, so the
    long valley floor gets as many lines as its walls. Between two lines the shading is
    one colour of :data:`lossviz.plot.style.CMAP` (low is dark), and the colour bar says
    how high above the minimum each band lies: which way is downhill.

    Parameters
    ----------
    w_values : (nw,) array_like of float
        The grid's ``w`` (columns), increasing and evenly spaced.
    b_values : (nb,) array_like of float
        The grid's ``b`` (rows), increasing and evenly spaced.
    J : (nb, nw) array_like of float
        The cost on the grid, as :func:`lossviz.cost_grid` returns it.
    minimum : (2,) array_like, optional
        ``(w*, b*)`` to mark with a star.
    minimum_value : float, optional
        ``J*``, the minimum (defaults to ``J``'s smallest value); at most ``J.min()``.
    levels : int or (n,) array_like, default 10
        How many levels, or the levels themselves (increasing, above ``J*``).
    colorbar : bool, default True
        Draw the colour bar beside the panel.
    colorbar_label : str, default "$J - J^*$"
        Its label: what the colour measures (the height above the minimum).
    label : str, default "minimum"
        Legend label of the minimum's marker.
    ax : matplotlib Axes, optional
        Where to draw; a new figure of the course size when omitted.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If the grid's shapes disagree, an axis is not increasing, ``J`` is constant, a
        level is out of order or ``minimum`` is not a pair.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> w, b = np.linspace(-1, 1, 21), np.linspace(-1, 1, 11)
    >>> ax = cost_landscape(w, b, np.add.outer(b**2, w**2), minimum=(0.0, 0.0))
    >>> ax.get_xlabel(), ax.get_ylabel(), len(ax.figure.axes)  # the panel and its colour bar
    ('weight $w$', 'bias $b$', 2)
    """
    return cost_landscape_artists(
        w_values,
        b_values,
        J,
        minimum=minimum,
        minimum_value=minimum_value,
        levels=levels,
        colorbar=colorbar,
        colorbar_label=colorbar_label,
        label=label,
        ax=ax,
    ).ax


def _example_update() -> dict[str, Any]:
    w = b = np.array([-1.0, 0.0, 1.0])
    J = np.add.outer(b**2, w**2) + 0.1
    return {"artists": cost_landscape_artists(w, b, J), "w_values": w, "b_values": b, "J": J}


@validate_params({k: v for k, v in _LANDSCAPE.items() if k != "minimum"}, slow=True)
def cost_landscape_shading(
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimum_value: float | None = None,
    levels: int | ArrayLike = 10,
) -> tuple[np.ndarray, BoundaryNorm, list[np.ndarray]]:
    """What :func:`cost_landscape` shades and outlines, without drawing: for a picture drawn elsewhere.

    The explorers send these to the browser, which shades the landscape itself; matplotlib's
    image and contour lines (:func:`update_cost_landscape`) take the same three.

    Parameters
    ----------
    w_values, b_values, J, minimum_value, levels
        As for :func:`cost_landscape`.

    Returns
    -------
    values : (nb, nw) ndarray of float
        The height above the minimum, ``max(J - J*, 0)``: the image's data.
    norm : matplotlib.colors.BoundaryNorm
        Its bands (one colour of :data:`~lossviz.plot.style.CMAP` between two contour levels).
    segments : list of (n, 2) ndarray
        The contour lines, in ``(w, b)``.

    Examples
    --------
    >>> w, b = np.linspace(-1, 1, 21), np.linspace(-1, 1, 11)
    >>> values, norm, lines = cost_landscape_shading(w, b, np.add.outer(b**2, w**2), levels=4)
    >>> values.shape, float(values.min()), len(norm.boundaries), len(lines) > 0
    ((11, 21), 0.0, 5, True)
    """
    w, b, grid = _check_grid(w_values, b_values, J)
    return _shading(w, b, grid, _low(grid, minimum_value), levels)


@validate_params(
    {"artists": InstanceOf(tuple, "cost_landscape_artists(...)"), **_LANDSCAPE},
    example=_example_update,
    slow=True,
)
def update_cost_landscape(
    artists: LandscapeArtists,
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimum: ArrayLike | None = None,
    minimum_value: float | None = None,
    levels: int | ArrayLike = 10,
) -> LandscapeArtists:
    """Redraw a :func:`cost_landscape_artists` drawing in place for a new ``J`` on the same grid.

    The shading and its bands, the contour lines, the minimum's marker and the colour
    bar are updated; no artist is added or removed. The explorer calls this when λ moves.

    Parameters
    ----------
    artists : LandscapeArtists
        From :func:`cost_landscape_artists`.
    w_values, b_values, J, minimum, minimum_value, levels
        As for :func:`cost_landscape`; ``J`` has the drawn grid's shape.

    Returns
    -------
    LandscapeArtists
        ``artists`` itself.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> w, b = np.linspace(-1, 1, 21), np.linspace(-1, 1, 11)
    >>> drawn = cost_landscape_artists(w, b, np.add.outer(b**2, w**2))
    >>> again = update_cost_landscape(drawn, w, b, np.add.outer(b**2, (w - 0.5) ** 2), minimum=(0.5, 0))
    >>> again is drawn, float(drawn.image.get_array()[5, 15])
    (True, 0.0)
    """
    if not isinstance(artists, LandscapeArtists):
        raise TypeError(
            f"artists must be the LandscapeArtists of cost_landscape_artists, got {_short(artists)}"
        )
    w, b, grid = _check_grid(w_values, b_values, J)
    drawn = artists.image.get_array()
    drawn_shape = None if drawn is None else drawn.shape
    if grid.shape != drawn_shape:
        raise ValueError(f"J must have the shape {drawn_shape} of the drawn landscape, got {grid.shape}")
    values, norm, segments = _shading(w, b, grid, _low(grid, minimum_value), levels)
    artists.image.set_data(values)
    artists.image.set_norm(norm)
    artists.contours.set_segments(segments)
    if artists.minimum is not None and minimum is not None:
        p = _point("minimum", minimum)
        artists.minimum.set_data([p[0]], [p[1]])
    if artists.colorbar is not None:
        artists.colorbar.update_normal(artists.image)
        artists.colorbar.ax.yaxis.set_major_formatter(FuncFormatter(_format_height))
    return artists


@validate_params(
    {
        "points": MappingOf(LABEL, Params(), max_len=200),
        "roles": ROLES,
        "highlight": str_or_none(),
        **_DRAWING,
    },
    example=lambda: {"points": {"BCE": (3.7, -6.9), "weighted": (4.2, -4.4)}},
    slow=True,
)
def minimisers(
    points: Mapping[str, ArrayLike],
    *,
    roles: Sequence[str] | None = None,
    highlight: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Mark several minimisers ``(w*, b*)`` on a landscape, one marker and colour each.

    Draw the same points with the same roles on every panel of a comparison, so that
    one minimiser looks the same in each: the one named ``highlight`` (the panel's own)
    filled and larger, the others hollow.

    Parameters
    ----------
    points : mapping of str to (2,) array_like
        ``(w*, b*)`` by legend label, in a fixed order.
    roles : sequence of str, optional
        One course-style role per point (e.g. the losses ``"bce"``, ``"weighted_bce"``)
        for its colour and marker; the style's cycle and circles when omitted.
    highlight : str, optional
        The key of ``points`` to fill.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        One line per point, in order, after what ``ax`` held.

    Raises
    ------
    TypeError
        If ``points`` is not a non-empty mapping, or ``ax`` not an Axes.
    ValueError
        If a point is not a pair, ``roles`` has the wrong length or names an unknown role,
        or ``highlight`` is not a key.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = minimisers({"BCE": (3.7, -6.9), "weighted": (4.2, -4.4)}, roles=["bce", "weighted_bce"],
    ...                 highlight="BCE")
    >>> [(line.get_label(), line.get_marker()) for line in ax.lines]
    [('BCE', 'o'), ('weighted', 'X')]
    """
    if highlight is not None and highlight not in points:
        raise ValueError(f"highlight must be one of {list(points)}, got {highlight!r}")
    checked = {name: _point(f"points[{name!r}]", pt) for name, pt in points.items()}
    role_list = _check_roles(roles, len(checked))
    ax = _axes(ax)
    for k, ((name, pt), role) in enumerate(zip(checked.items(), role_list)):
        st = _style(role, k, markers=True)
        marker = st["marker"] if st["marker"] != "none" else "o"
        own = name == highlight
        ax.plot(
            [pt[0]],
            [pt[1]],
            ls="none",
            marker=marker,
            ms=12 if own else 9,
            color=st["color"],
            mfc=st["color"] if own else "none",
            mec=COLOURS["text"] if own else st["color"],
            mew=1.6,
            label=name,
            zorder=4,
        )
    return ax


@validate_params(
    {
        "params": RealArray(shape=(None, 2), max_size=2 * MAX_POINTS, example_value=[[0, 0], [0.5, -0.2]]),
        "role": ROLE,
        "color": COLOUR,
        "label": str_or_none(),
        "linewidth": WIDTH,
        "alpha": real(0.0, 1.0),
        "start_marker": BOOL,
        "zorder": ZORDER,
        **_DRAWING,
    },
    slow=True,
)
def trajectory(
    params: ArrayLike,
    *,
    role: str | None = None,
    color: str | None = None,
    label: str | None = None,
    linewidth: float = 1.5,
    alpha: float = 1.0,
    start_marker: bool = True,
    zorder: float = 3,
    ax: Axes | None = None,
) -> Axes:
    """An optimiser's path over the ``(w, b)`` plane.

    Taught in notebook 04. With a ``role`` (``"full_batch"``, ``"mini_batch"``,
    ``"online"``, a loss ...) the path has that role's colour and line style.

    Parameters
    ----------
    params : (n, 2) array_like of float
        ``(w, b)`` after each update, the start first (``TrainResult.params``).
    role : str, optional
        A role of :data:`lossviz.plot.COLOURS`.
    color : str, optional
        A colour that overrides the role's (the line style stays the role's).
    label, linewidth, alpha, zorder
        As for :meth:`matplotlib.axes.Axes.plot`.
    start_marker : bool, default True
        Mark the start with an open circle.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        The path is the first line added, the start marker (when drawn) the second.

    Raises
    ------
    ValueError
        If ``params`` is not ``(n, 2)`` or the role is unknown.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = trajectory([[0, 0], [0.5, -0.2], [0.9, -0.6]], role="mini_batch")
    >>> ax.lines[0].get_linestyle(), len(ax.lines)
    ('--', 2)
    """
    P = as_float_array("params", params, ndim=2)
    if P.shape[1] != 2:
        raise ValueError(f"params must have shape (n, 2), got {P.shape}")
    st = _style(role) if role is not None else {"color": COLOURS["text"], "linestyle": "-"}
    ax = _axes(ax)
    ax.plot(
        P[:, 0],
        P[:, 1],
        color=st["color"] if color is None else color,
        linestyle=st["linestyle"],
        linewidth=linewidth,
        alpha=alpha,
        label=label,
        zorder=zorder,
    )
    if start_marker:
        ax.plot([P[0, 0]], [P[0, 1]], markersize=8, zorder=zorder + 1, **role_style("start"))
    return ax


@validate_params(
    {
        "costs": RealArray(max_size=MAX_POINTS, example_value=[0.69, 0.66, 0.64]),
        "steps": RealArray(max_size=MAX_POINTS, none_ok=True, example_value=[0, 1, 2]),
        "role": ROLE,
        "color": COLOUR,
        "label": str_or_none(),
        "linewidth": WIDTH,
        "alpha": real(0.0, 1.0),
        "zorder": ZORDER,
        **_DRAWING,
    },
    slow=True,
)
def cost_curve(
    costs: ArrayLike,
    steps: ArrayLike | None = None,
    *,
    role: str | None = None,
    color: str | None = None,
    label: str | None = None,
    linewidth: float = 1.5,
    alpha: float = 1.0,
    zorder: float = 2,
    ax: Axes | None = None,
) -> Axes:
    """One curve of the cost (or objective) against updates or examples seen, from arrays.

    Taught in notebook 04. :func:`lossviz.plot.cost_curves` draws several training runs
    at once (against updates, examples or time) and is built on this design: one role
    per run, the axes labelled once.

    Parameters
    ----------
    costs : (n,) array_like of float
        The cost at each point (``TrainResult.costs``, or ``costs - J*``).
    steps : (n,) array_like of float, optional
        The x values: ``range(n)`` (updates) when omitted, or e.g.
        ``TrainResult.examples_seen``.
    role : str, optional
        A role of :data:`lossviz.plot.COLOURS` for colour and line style.
    color : str, optional
        A colour that overrides the role's.
    label, linewidth, alpha, zorder
        As for :meth:`matplotlib.axes.Axes.plot`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        The axis labels are set when still empty (``"updates"`` or ``"examples seen"``,
        ``"cost $J$"``).

    Raises
    ------
    ValueError
        If ``costs`` and ``steps`` are not finite 1-D arrays of one shape.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = cost_curve([0.69, 0.65, 0.63], role="full_batch", label="full batch")
    >>> ax.lines[0].get_xdata().tolist(), ax.get_xlabel()
    ([0.0, 1.0, 2.0], 'updates')
    """
    c = as_float_array("costs", costs)
    s = np.arange(c.size, dtype=float) if steps is None else as_float_array("steps", steps)
    check_same_shape("costs", c, "steps", s)
    st = _style(role) if role is not None else {"color": color, "linestyle": "-"}
    ax = _axes(ax)
    ax.plot(
        s,
        c,
        color=st["color"] if color is None else color,
        linestyle=st["linestyle"],
        linewidth=linewidth,
        alpha=alpha,
        label=label,
        zorder=zorder,
    )
    if not ax.get_xlabel():
        ax.set_xlabel("updates" if steps is None else "examples seen")
    if not ax.get_ylabel():
        ax.set_ylabel("cost $J$")
    return ax


@validate_params(
    {
        "gradients": RealArray(
            shape=(None, 2), max_size=2 * MAX_POINTS, example_value=[[0.1, 0.2], [-0.3, 0.1]]
        ),
        "mean": Params(none_ok=True),
        "label": LABEL,
        "mean_label": LABEL,
        "max_arrows": count(1, 100_000, "a few hundred arrows are already a cloud"),
        "limit": positive(none_ok=True),
        "seed": SEED,
        **_DRAWING,
    },
    slow=True,
)
def gradient_cloud(
    gradients: ArrayLike,
    *,
    mean: ArrayLike | None = None,
    label: str = "$\\partial L^{(i)}/\\partial(w, b)$, one per sample",
    mean_label: str = "their mean $= \\partial J/\\partial(w, b)$",
    max_arrows: int = 400,
    limit: float | None = None,
    seed: int = 0,
    ax: Axes | None = None,
) -> Axes:
    """Gradients as arrows from the origin, with their mean in bold.

    For per-sample gradients the tips form the cloud that a mini-batch draws from
    (colour of one sample's gradient, ``COLOURS["gradient"]``), and the mean arrow is the
    gradient of the cost (``COLOURS["mean_gradient"]``); for mini-batch gradients
    (:func:`lossviz.minibatch_gradients`) the cloud tightens around the same arrow as the
    batch grows. Taught in notebook 02.

    Parameters
    ----------
    gradients : (n, 2) array_like of float
        One gradient ``(∂/∂w, ∂/∂b)`` per row, e.g. :func:`lossviz.per_sample_gradients`.
    mean : (2,) array_like, optional
        The arrow to draw in bold; the mean of the rows when omitted (pass the full
        gradient when the rows are a sample of batches).
    label, mean_label : str
        Legend labels of the arrows and of the mean.
    max_arrows : int, default 400
        Draw at most this many arrows (a seeded random subset) so the picture stays
        readable; the default mean still uses every row.
    limit : float, optional
        Half-width of the square view around the origin; from the arrows when omitted.
        Give the same to several panels to compare them.
    seed : int, default 0
        Seed of the subset.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.collections`` holds the arrows' two quivers (samples, mean); the dot at the
        mean's tip is a line carrying the mean's legend entry.

    Raises
    ------
    ValueError
        If ``gradients`` is not ``(n, 2)``, ``mean`` not a pair, ``max_arrows < 1`` or
        ``limit <= 0``.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = gradient_cloud([[1.0, 0.5], [-0.6, -0.4], [0.2, 0.3]])
    >>> samples, mean = ax.collections
    >>> samples.N, [round(float(v), 3) for v in (mean.U[0], mean.V[0])]
    (3, [0.2, 0.133])
    """
    G = as_float_array("gradients", gradients, ndim=2)
    if G.shape[1] != 2:
        raise ValueError(f"gradients must have shape (n, 2), got {G.shape}")
    centre = G.mean(axis=0) if mean is None else _point("mean", mean)
    max_arrows = as_int("max_arrows", max_arrows, minimum=1)
    shown = G
    if G.shape[0] > max_arrows:
        rng = np.random.default_rng(as_int("seed", seed, minimum=0))
        shown = G[np.sort(rng.choice(G.shape[0], size=max_arrows, replace=False))]
    reach = (
        float(np.abs(np.vstack([shown, centre])).max()) * 1.1
        if limit is None
        else as_scalar("limit", limit, minimum=0.0, strict_minimum=True)
    )
    ax = _axes(ax)
    zeros = np.zeros(shown.shape[0])
    ax.quiver(
        zeros,
        zeros,
        shown[:, 0],
        shown[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1,
        color=COLOURS["gradient"],
        alpha=0.35,
        width=0.003,
        label=label,
    )
    ax.quiver(
        [0.0],
        [0.0],
        [centre[0]],
        [centre[1]],
        angles="xy",
        scale_units="xy",
        scale=1,
        color=COLOURS["mean_gradient"],
        width=0.012,
        zorder=3,
    )
    ax.plot(
        [centre[0]],
        [centre[1]],
        marker="o",
        markersize=8,
        color=COLOURS["mean_gradient"],
        markeredgecolor="white",
        linestyle="-",
        linewidth=2.5,
        zorder=4,
        label=mean_label,
    )
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axhline(0, color=COLOURS["grid"], linewidth=0.8, zorder=0)
    ax.axvline(0, color=COLOURS["grid"], linewidth=0.8, zorder=0)
    ax.set_xlabel("$\\partial/\\partial w$")
    ax.set_ylabel("$\\partial/\\partial b$")
    return ax


def _check_grid(
    w_values: ArrayLike, b_values: ArrayLike, J: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = as_float_array("w_values", w_values)
    b = as_float_array("b_values", b_values)
    grid = as_float_array("J", J, ndim=2)
    if grid.shape != (b.size, w.size):
        raise ValueError(
            f"J must have shape (len(b_values), len(w_values)) = {(b.size, w.size)}, got {grid.shape}"
        )
    for name, v in (("w_values", w), ("b_values", b)):
        if v.size < 2 or np.any(np.diff(v) <= 0):
            raise ValueError(f"{name} must hold at least 2 increasing values, got {_short(v)}")
    return w, b, grid


def _shading(
    w: np.ndarray, b: np.ndarray, grid: np.ndarray, low: float, levels: int | ArrayLike
) -> tuple[np.ndarray, BoundaryNorm, list[np.ndarray]]:
    lv = _levels(grid, low, levels)
    return np.maximum(grid - low, 0.0), _band_norm(lv - low), _segments(w, b, grid, lv)


def _segments(w: np.ndarray, b: np.ndarray, grid: np.ndarray, lv: np.ndarray) -> list[np.ndarray]:
    return [line for lines in contour_lines(w, b, grid, lv) for line in lines]


def _low(grid: np.ndarray, minimum_value: float | None) -> float:
    """The value drawn as 0: ``minimum_value``, or the smallest of ``J``; at most ``min(J)``."""
    if minimum_value is None:
        return float(grid.min())
    if minimum_value > grid.min():
        raise ValueError(
            f"minimum_value must be <= the smallest value of J ({float(grid.min())}), got {minimum_value}"
        )
    return float(minimum_value)


def _levels(grid: np.ndarray, low: float, levels: int | ArrayLike) -> np.ndarray:
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        return landscape_levels(grid, int(levels), minimum=low)
    lv = as_float_array("levels", levels)
    if lv.size > 1 and np.any(np.diff(lv) <= 0):
        raise ValueError(f"levels must be increasing, got {_short(lv)}")
    if lv.size and lv[0] <= low:
        raise ValueError(f"levels must lie above the minimum {low}, got {_short(lv)}")
    return lv


def _point(name: str, value: ArrayLike) -> np.ndarray:
    p = as_float_array(name, value)
    if p.shape != (2,):
        raise ValueError(f"{name} must be (w, b), got shape {p.shape}")
    return p
