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

from .._constraints import RealArray, SequenceOf, validate_params
from .._validation import _short
from ..topics._checks import Checked, array, check_pair
from ._checks import AXES, LABEL, MAX_POINTS, MAX_SERIES, N_LEVELS, ROLES, MappingOf
from .core import _axes
from .style import CMAP, COLOURS, CYCLE, landscape_colorbar, landscape_levels, role_style

__all__ = ["cost_slice_contours", "segment_cost_curve", "sharpness_scatter"]


_AXIS = RealArray(max_size=MAX_POINTS, example_value=[-1.0, 0.0, 1.0])


def _pair(name: str, value: object) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (sharpness, held_out) of arrays, got {_short(value)}")
    s = _AXIS(f"{name} sharpness", value[0])
    h = _AXIS(f"{name} held_out", value[1])
    return check_pair(f"{name} sharpness", s, f"{name} held_out", h)


@validate_params(
    {
        "alphas": _AXIS,
        "betas": _AXIS,
        "J": RealArray(ndim=2, example_value=[[1.0, 0.5, 1.0], [0.5, 0.1, 0.5], [1.0, 0.5, 1.0]]),
        "path": RealArray(
            shape=(None, 2), max_size=2 * MAX_POINTS, none_ok=True, example_value=[[0, 0], [1, 1]]
        ),
        "n_levels": N_LEVELS,
        "ax": AXES,
        "label": LABEL,
        "xlabel": LABEL,
        "ylabel": LABEL,
        "path_label": LABEL,
    },
    slow=True,
)
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
    a, b, grid = array(alphas), array(betas), array(J)
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
        xy = array(path)
        outline = [patheffects.withStroke(linewidth=2.6, foreground=COLOURS["text"])]
        ax.plot(xy[:, 0], xy[:, 1], color="white", lw=1.2, label=path_label, path_effects=outline)
        ax.plot(*xy[0], ms=8, label="start", **role_style("start"))
        ax.plot(*xy[-1], ms=13, label="end", **role_style("minimum"))
        ax.legend(loc="best", framealpha=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


@validate_params(
    {
        "ts": RealArray(max_size=MAX_POINTS, example_value=[0.0, 0.5, 1.0]),
        "J": RealArray(max_size=MAX_POINTS, example_value=[1.0, 1.5, 1.0]),
        "ax": AXES,
        "label": LABEL,
        "end_labels": SequenceOf(LABEL, min_len=2, max_len=2),
    },
    slow=True,
)
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
    t, values = check_pair("ts", ts, "J", J)
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


@validate_params(
    {
        "groups": MappingOf(
            LABEL,
            Checked(_pair, "a pair (sharpness, held_out)", example_factory=lambda: ([1.0, 2.0], [0.3, 0.4])),
            max_len=MAX_SERIES,
        ),
        "roles": ROLES,
        "ax": AXES,
        "xlabel": LABEL,
        "ylabel": LABEL,
    },
    slow=True,
)
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
        s, h = pair
        ax.scatter(s, h, marker=marker, color=colour, label=name, alpha=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return ax
