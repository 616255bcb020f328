"""Drawings for the network's landscape (:mod:`lossviz.topics.network`): ``ax=None`` in, the Axes out.

Nothing here computes: the slices, segments and sharpness values come from :mod:`lossviz.topics.network`.
Colours, markers, the colormap and the contour levels are the course style's (:mod:`lossviz.plot.style`);
size the figure with :func:`lossviz.plot.style.figsize`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm
from numpy.typing import ArrayLike

from .._validation import _short, as_float_array, check_same_shape
from .core import _axes
from .style import CMAP, COLOURS, CYCLE, landscape_colorbar, landscape_levels, role_style

__all__ = ["cost_slice_contours", "segment_cost_curve", "sharpness_scatter"]


def cost_slice_contours(
    alphas: ArrayLike,
    betas: ArrayLike,
    J: ArrayLike,
    *,
    path: ArrayLike | None = None,
    n_levels: int = 12,
    ax: Axes | None = None,
    label: str = "objective",
    xlabel: str = r"$\alpha$ (along $d_1$)",
    ylabel: str = r"$\beta$ (along $d_2$)",
    path_label: str = "path (projected)",
) -> Axes:
    """Filled contours of a 2-D slice of the cost, with a colour bar and, optionally, a projected path.

    The levels are the course style's logarithmic ones (:func:`lossviz.plot.style.landscape_levels`), so the
    floor of a valley gets as many lines as its walls; each band between two levels gets its own colour of
    :data:`lossviz.plot.style.CMAP` (low cost dark).

    Parameters
    ----------
    alphas : (nα,) array_like of float
    betas : (nβ,) array_like of float
    J : (nβ, nα) array_like of float
        From :func:`lossviz.topics.network.cost_slice`.
    path : (n, 2) array_like of float, optional
        Coordinates of a path in the slice's plane (``TrajectoryPlane.coords``); drawn with its start and
        end marked.
    n_levels : int, default 12
    ax : matplotlib Axes, optional
    label : str
        The colour bar's label.
    xlabel, ylabel, path_label : str

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> a = np.linspace(-1, 1, 5)
    >>> ax = cost_slice_contours(a, a, np.add.outer(a**2, a**2), path=[[1, 1], [0.5, 0], [0, 0]])
    >>> ax.get_xlabel()
    '$\\\\alpha$ (along $d_1$)'
    """
    a = as_float_array("alphas", alphas)
    b = as_float_array("betas", betas)
    grid = as_float_array("J", J, ndim=2)
    if grid.shape != (b.size, a.size):
        raise ValueError(
            f"J must have shape (len(betas), len(alphas)) = ({b.size}, {a.size}), got {grid.shape}"
        )
    ax = _axes(ax)
    levels = np.concatenate([[grid.min()], landscape_levels(grid, n_levels)])
    # One colour per band (the bands are far from evenly spaced in value): a BoundaryNorm.
    norm = BoundaryNorm(levels, ncolors=256)
    filled = ax.contourf(a, b, grid, levels=levels, cmap=CMAP, norm=norm)
    ax.contour(a, b, grid, levels=levels, colors="white", linewidths=0.5, alpha=0.6)
    bar = landscape_colorbar(ax, filled, label=label)
    ticks = levels[::3]
    bar.set_ticks(ticks.tolist(), labels=[f"{v:.3g}" for v in ticks])
    if path is not None:
        xy = as_float_array("path", path, ndim=2)
        if xy.shape[1] != 2:
            raise ValueError(f"path must have shape (n, 2), got {xy.shape}")
        outline = [patheffects.withStroke(linewidth=2.6, foreground=COLOURS["text"])]
        ax.plot(xy[:, 0], xy[:, 1], color="white", lw=1.2, label=path_label, path_effects=outline)
        ax.plot(*xy[0], ms=8, label="start", **role_style("start"))
        ax.plot(*xy[-1], ms=13, label="end", **role_style("minimum"))
        ax.legend(loc="best", framealpha=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def segment_cost_curve(
    ts: ArrayLike,
    J: ArrayLike,
    *,
    ax: Axes | None = None,
    label: str = "objective on the segment",
    end_labels: Sequence[str] = ("θ*", "copy of θ*"),
) -> Axes:
    """The cost along a straight segment, with the chord between its ends (what convexity would bound).

    Parameters
    ----------
    ts : (n,) array_like of float
        Positions on the segment, 0 at its start and 1 at its end (both must be among them).
    J : (n,) array_like of float
        From :func:`lossviz.topics.network.cost_along_segment`.
    ax : matplotlib Axes, optional
    label : str
    end_labels : two str
        Tick labels at ``t = 0`` and ``t = 1``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = np.linspace(0, 1, 11)
    >>> ax = segment_cost_curve(t, 1 + np.sin(np.pi * t))
    >>> len(ax.get_lines())
    2
    """
    t = as_float_array("ts", ts)
    values = as_float_array("J", J)
    check_same_shape("ts", t, "J", values)
    ends = [np.flatnonzero(t == 0.0), np.flatnonzero(t == 1.0)]
    if not all(e.size for e in ends):
        raise ValueError(f"ts must contain 0 and 1 (the segment's ends), got {t.min()} ... {t.max()}")
    if len(end_labels) != 2:
        raise ValueError(f"end_labels must be two strings, got {end_labels!r}")
    j0, j1 = values[ends[0][0]], values[ends[1][0]]
    ax = _axes(ax)
    ax.plot(t, values, lw=2, label=label, **role_style("objective"))
    ax.plot([0, 1], [j0, j1], lw=1.5, label="chord (a convex cost stays below it)", **role_style("reference"))
    ax.set_xticks([0, 0.5, 1], [end_labels[0], "0.5", end_labels[1]])
    ax.set_xlabel("position t on the segment")
    ax.set_ylabel("objective")
    ax.legend(loc="lower center")
    return ax


def sharpness_scatter(
    groups: Mapping[str, tuple[ArrayLike, ArrayLike]],
    *,
    roles: Sequence[str] | None = None,
    ax: Axes | None = None,
    xlabel: str = r"sharpness $\lambda_{\max}$ of the Hessian",
    ylabel: str = "held-out cost",
) -> Axes:
    """One point per run: sharpness against held-out cost, one marker and colour per group.

    Parameters
    ----------
    groups : mapping of str to (sharpness, held_out)
        Each value is a pair of ``(R,)`` array_like of float, e.g. ``{"batch 8": (s8, h8), ...}``.
    roles : sequence of str, optional
        One course-style role per group (e.g. ``("mini_batch", "full_batch")``) for its colour and marker;
        the style's cycle colours and circles when omitted.
    ax : matplotlib Axes, optional
    xlabel, ylabel : str

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = sharpness_scatter({"small": ([1, 2], [0.3, 0.4]), "large": ([3, 4], [0.35, 0.3])})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['small', 'large']
    """
    if not isinstance(groups, Mapping) or not groups:
        raise TypeError(
            f"groups must be a non-empty mapping of label to (sharpness, held_out), got {_short(groups)}"
        )
    if roles is not None and len(roles) != len(groups):
        raise ValueError(f"roles must name one role per group ({len(groups)}), got {_short(roles)}")
    if roles is None:
        styles = [(CYCLE[i % len(CYCLE)], "o") for i in range(len(groups))]
    else:  # role_style refuses an unknown role, naming it
        styles = [
            (st["color"], st["marker"] if st["marker"] != "none" else "o")
            for st in (role_style(r, markers=True) for r in roles)
        ]
    ax = _axes(ax)
    for (name, pair), (colour, marker) in zip(groups.items(), styles, strict=True):
        if len(pair) != 2:
            raise ValueError(f"groups[{name!r}] must be a pair (sharpness, held_out)")
        s = as_float_array(f"groups[{name!r}] sharpness", pair[0])
        h = as_float_array(f"groups[{name!r}] held_out", pair[1])
        check_same_shape(f"groups[{name!r}] sharpness", s, f"groups[{name!r}] held_out", h)
        ax.scatter(s, h, marker=marker, color=colour, label=name, alpha=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return ax
