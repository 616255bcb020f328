"""The core drawings: losses, the cost landscape, paths, cost curves, the gradient cloud.

Each takes ``ax=None`` and returns what it drew; none computes. Compute with the
functions of :mod:`lossviz` first, then pass the arrays here. All are re-exported
by :mod:`lossviz.plot` (``lv.plot.cost_landscape(...)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.quiver import Quiver
from numpy.typing import ArrayLike

from .._validation import _short, as_float_array, as_int, as_scalar, check_same_shape
from ..landscape import contour_levels, contour_lines

__all__ = [
    "GradientCloudArtists",
    "LandscapeArtists",
    "cost_curve",
    "cost_landscape",
    "gradient_cloud",
    "losses",
    "trajectory",
    "update_cost_landscape",
]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {ax!r}")
    return ax


def losses(
    losses: ArrayLike,
    cost: float | None = None,
    *,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    highlight_max: bool = True,
) -> Axes:
    """Per-sample losses as bars, with the cost as a horizontal line across them.

    Taught in notebook 01: the cost is the mean height of the bars.

    Parameters
    ----------
    losses : (m,) array_like of float
        Per-sample losses, e.g. from :func:`lossviz.bce_loss`.
    cost : float, optional
        The cost to draw as a line; the mean of ``losses`` when omitted.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    labels : sequence of str, optional
        One tick label per bar (default ``"1"``, ``"2"``, ...).
    highlight_max : bool, default True
        Colour the largest loss differently.

    Returns
    -------
    matplotlib Axes
    """
    values = as_float_array("losses", losses)
    J = float(values.mean()) if cost is None else as_scalar("cost", cost)
    if labels is None:
        labels = [str(i) for i in range(1, values.size + 1)]
    elif len(labels) != values.size:
        raise ValueError(f"labels must have {values.size} entries, got {len(labels)}")
    ax = _axes(ax)
    colors = ["C0"] * values.size
    if highlight_max:
        colors[int(np.argmax(values))] = "C3"
    ax.bar(np.arange(values.size), values, color=colors, tick_label=list(labels))
    handles: list[Artist] = [Patch(color="C0", label="loss $L^{(i)}$ of one sample")]
    if highlight_max:
        handles.append(Patch(color="C3", label="largest loss"))
    handles.append(ax.axhline(J, color="k", linestyle="--", label=f"cost $J$ = mean = {J:.4f}"))
    ax.set_xlabel("sample $i$")
    ax.set_ylabel("loss")
    ax.set_ylim(0, max(values.max(), J) * 1.35)
    ax.legend(handles=handles, loc="upper right")
    return ax


# --- The landscape and the optimisers (notebooks 02-04 and the CostExplorer) ---------------


class LandscapeArtists(NamedTuple):
    """What :func:`cost_landscape` drew."""

    image: AxesImage
    """The shading: ``log10(J - J* + floor)`` as an image."""
    contours: LineCollection
    """The contour lines (one collection, updatable in place)."""
    minimum: Line2D | None
    """The marker at the minimum, when one was given."""


class GradientCloudArtists(NamedTuple):
    """What :func:`gradient_cloud` drew."""

    samples: Quiver
    """One arrow per gradient, from the origin."""
    mean: Quiver
    """The arrow of their mean."""
    tip: Line2D
    """A dot at the mean's tip, so a short mean stays visible inside the cloud."""


def _landscape_shading(J: np.ndarray, minimum: float) -> np.ndarray:
    # Log of the height above the minimum, with a floor so the minimum itself is finite.
    gap = np.maximum(J - minimum, 0.0)
    return np.log10(gap + 1e-3 * float(gap.max()) + 1e-300)


def cost_landscape(
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimum: ArrayLike | None = None,
    minimum_value: float | None = None,
    levels: int | ArrayLike = 12,
    ax: Axes | None = None,
    cmap: str = "Greys",
    label: str = "minimum",
) -> LandscapeArtists:
    """Contours of an objective over the ``(w, b)`` plane, shaded by height.

    Taught in notebook 03. Lines are at :func:`lossviz.contour_levels`, spaced
    geometrically above the minimum so the long valley floor is drawn as well
    as its walls; the shading is ``log10`` of the height above the minimum.

    Parameters
    ----------
    w_values : (nw,) array_like of float
        The grid's ``w`` (columns), increasing and evenly spaced.
    b_values : (nb,) array_like of float
        The grid's ``b`` (rows), increasing and evenly spaced.
    J : (nb, nw) array_like of float
        The objective on the grid, as :func:`lossviz.cost_grid` returns it.
    minimum : (2,) array_like, optional
        ``(w*, b*)`` to mark with a star.
    minimum_value : float, optional
        ``J*``, the objective's minimum (defaults to ``J``'s smallest value).
    levels : int or (n,) array_like, default 12
        How many geometric levels, or the levels themselves.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    cmap : str, default "Greys"
        Colour map of the shading (light is low).
    label : str, default "minimum"
        Legend label of the minimum's marker.

    Returns
    -------
    LandscapeArtists
        ``(image, contours, minimum)``; ``minimum`` is None when not given.
    """
    w, b, grid = _check_grid(w_values, b_values, J)
    low = float(grid.min()) if minimum_value is None else as_scalar("minimum_value", minimum_value)
    lv = _levels(grid, low, levels)
    ax = _axes(ax)
    dw, db = (w[-1] - w[0]) / (2 * (w.size - 1)), (b[-1] - b[0]) / (2 * (b.size - 1))
    image = ax.imshow(
        _landscape_shading(grid, low),
        origin="lower",
        aspect="auto",
        extent=(w[0] - dw, w[-1] + dw, b[0] - db, b[-1] + db),
        cmap=cmap,
        interpolation="bilinear",
        alpha=0.35,
        zorder=0,
    )
    contours = LineCollection(_segments(w, b, grid, lv), colors="0.3", linewidths=0.6, zorder=1)
    ax.add_collection(contours, autolim=False)
    marker = None
    if minimum is not None:
        p = _point("minimum", minimum)
        (marker,) = ax.plot(
            [p[0]],
            [p[1]],
            marker="*",
            markersize=14,
            color="gold",
            markeredgecolor="k",
            linestyle="none",
            label=label,
            zorder=4,
        )
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(b[0], b[-1])
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")
    return LandscapeArtists(image, contours, marker)


def update_cost_landscape(
    artists: LandscapeArtists,
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimum: ArrayLike | None = None,
    minimum_value: float | None = None,
    levels: int | ArrayLike = 12,
) -> LandscapeArtists:
    """Redraw a :func:`cost_landscape` in place for a new ``J`` on the same grid.

    The shading, the contour lines and the minimum's marker are updated; no
    artist is added or removed. The explorer calls this when λ moves.

    Returns
    -------
    LandscapeArtists
        ``artists`` itself.
    """
    w, b, grid = _check_grid(w_values, b_values, J)
    shown = artists.image.get_array()
    drawn = None if shown is None else shown.shape
    if grid.shape != drawn:
        raise ValueError(f"J must have the shape {drawn} of the drawn landscape, got {grid.shape}")
    low = float(grid.min()) if minimum_value is None else as_scalar("minimum_value", minimum_value)
    lv = _levels(grid, low, levels)
    shade = _landscape_shading(grid, low)
    artists.image.set_data(shade)
    artists.image.set_clim(float(shade.min()), float(shade.max()))
    artists.contours.set_segments(_segments(w, b, grid, lv))
    if artists.minimum is not None and minimum is not None:
        p = _point("minimum", minimum)
        artists.minimum.set_data([p[0]], [p[1]])
    return artists


def trajectory(
    params: ArrayLike,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    color: str | None = None,
    linewidth: float = 1.5,
    alpha: float = 1.0,
    start_marker: bool = True,
    zorder: float = 3,
) -> Line2D:
    """An optimiser's path over the ``(w, b)`` plane.

    Taught in notebook 04.

    Parameters
    ----------
    params : (n, 2) array_like of float
        ``(w, b)`` after each update, the start first (``TrainResult.params``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    label, color, linewidth, alpha, zorder
        As for :meth:`matplotlib.axes.Axes.plot`.
    start_marker : bool, default True
        Mark the start with an open circle.

    Returns
    -------
    matplotlib Line2D
        The path (the start marker, when drawn, is a second artist on ``ax``).
    """
    P = as_float_array("params", params, ndim=2)
    if P.shape[1] != 2:
        raise ValueError(f"params must have shape (n, 2), got {P.shape}")
    ax = _axes(ax)
    (line,) = ax.plot(
        P[:, 0], P[:, 1], color=color, linewidth=linewidth, alpha=alpha, label=label, zorder=zorder
    )
    if start_marker:
        ax.plot(
            [P[0, 0]],
            [P[0, 1]],
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor="k",
            linestyle="none",
            zorder=zorder + 1,
        )
    return line


def cost_curve(
    costs: ArrayLike,
    steps: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    color: str | None = None,
    linewidth: float = 1.5,
    alpha: float = 1.0,
    zorder: float = 2,
) -> Line2D:
    """The objective along a run, against updates or examples seen.

    Taught in notebook 04.

    Parameters
    ----------
    costs : (n,) array_like of float
        The objective at each point (``TrainResult.costs``).
    steps : (n,) array_like of float, optional
        The x values: ``range(n)`` (updates) when omitted, or e.g.
        ``TrainResult.examples_seen``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    label, color, linewidth, alpha, zorder
        As for :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Line2D
    """
    c = as_float_array("costs", costs)
    s = np.arange(c.size, dtype=float) if steps is None else as_float_array("steps", steps)
    check_same_shape("costs", c, "steps", s)
    ax = _axes(ax)
    (line,) = ax.plot(s, c, color=color, linewidth=linewidth, alpha=alpha, label=label, zorder=zorder)
    if not ax.get_xlabel():
        ax.set_xlabel("updates" if steps is None else "examples seen")
    if not ax.get_ylabel():
        ax.set_ylabel("objective $J + \\lambda w^2/2$")
    return line


def gradient_cloud(
    gradients: ArrayLike,
    *,
    mean: ArrayLike | None = None,
    ax: Axes | None = None,
    color: str = "C0",
    mean_color: str = "C3",
    label: str = "$\\partial L^{(i)}/\\partial(w, b)$, one per sample",
    mean_label: str = "their mean $= \\partial J/\\partial(w, b)$",
    max_arrows: int = 400,
    limit: float | None = None,
    seed: int = 0,
) -> GradientCloudArtists:
    """Gradients as arrows from the origin, with their mean in bold.

    For per-sample gradients the tips form the cloud that a mini-batch draws
    from, and the mean arrow is the gradient of the cost; for mini-batch
    gradients (:func:`lossviz.minibatch_gradients`) the cloud tightens around
    the same arrow as the batch grows. Taught in notebook 02.

    Parameters
    ----------
    gradients : (n, 2) array_like of float
        One gradient ``(∂/∂w, ∂/∂b)`` per row, e.g. :func:`lossviz.per_sample_gradients`.
    mean : (2,) array_like, optional
        The arrow to draw in bold; the mean of the rows when omitted (pass the
        full gradient when the rows are a sample of batches).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    color, mean_color : str
        Colours of the arrows and of the mean.
    label, mean_label : str
        Their legend labels.
    max_arrows : int, default 400
        Draw at most this many arrows (a seeded random subset) so the picture
        stays readable; the default mean still uses every row.
    limit : float, optional
        Half-width of the square view around the origin; from the arrows when
        omitted. Give the same to several panels to compare them.
    seed : int, default 0
        Seed of the subset.

    Returns
    -------
    GradientCloudArtists
        ``(samples, mean, tip)``: two :class:`matplotlib.quiver.Quiver` and the
        :class:`matplotlib.lines.Line2D` of the dot (it carries the legend entry).
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
    samples = ax.quiver(
        zeros,
        zeros,
        shown[:, 0],
        shown[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1,
        color=color,
        alpha=0.25,
        width=0.003,
        label=label,
    )
    mean_q = ax.quiver(
        [0.0],
        [0.0],
        [centre[0]],
        [centre[1]],
        angles="xy",
        scale_units="xy",
        scale=1,
        color=mean_color,
        width=0.012,
        zorder=3,
    )
    (tip,) = ax.plot(
        [centre[0]],
        [centre[1]],
        marker="o",
        markersize=8,
        color=mean_color,
        markeredgecolor="white",
        linestyle="-",
        linewidth=2.5,
        zorder=4,
        label=mean_label,
    )
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.7", linewidth=0.6, zorder=0)
    ax.axvline(0, color="0.7", linewidth=0.6, zorder=0)
    ax.set_xlabel("$\\partial/\\partial w$")
    ax.set_ylabel("$\\partial/\\partial b$")
    return GradientCloudArtists(samples, mean_q, tip)


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


def _segments(w: np.ndarray, b: np.ndarray, grid: np.ndarray, lv: np.ndarray) -> list[np.ndarray]:
    return [line for lines in contour_lines(w, b, grid, lv) for line in lines]


def _levels(grid: np.ndarray, low: float, levels: int | ArrayLike) -> np.ndarray:
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        return contour_levels(grid, low, int(levels))
    lv = as_float_array("levels", levels)
    if lv.size > 1 and np.any(np.diff(lv) <= 0):
        raise ValueError(f"levels must be increasing, got {_short(lv)}")
    return lv


def _point(name: str, value: ArrayLike) -> np.ndarray:
    p = as_float_array(name, value)
    if p.shape != (2,):
        raise ValueError(f"{name} must be (w, b), got shape {p.shape}")
    return p
