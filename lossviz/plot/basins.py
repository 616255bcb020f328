"""Drawings for sharp against flat minima (notebook 10): the two-basin cost and where runs end.

The problem comes from :func:`lossviz.topics.basins.make_two_basin`, the runs from
:func:`lossviz.topics.basins.run_basins`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._validation import as_int
from ..topics.basins import Reparametrisation, TwoBasinProblem, count_basins
from .core import _axes

__all__ = ["basin_endpoints", "two_basin"]


def two_basin(
    problem: TwoBasinProblem,
    *,
    reparam: Reparametrisation | None = None,
    n_samples: int = 6,
    ax: Axes | None = None,
) -> Axes:
    """The cost ``J`` (thick) and a few per-sample losses (thin) over ``θ``, or over ``φ``.

    The per-sample losses are drawn shifted to share ``J``'s value at the ridge,
    so their tilts are visible. With ``reparam`` the horizontal axis is ``φ``
    and the same functions are drawn against it.

    Parameters
    ----------
    problem : TwoBasinProblem
    reparam : Reparametrisation, optional
    n_samples : int, default 6
        Per-sample losses to draw (the first ones).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(problem, TwoBasinProblem):
        raise TypeError(f"problem must be a TwoBasinProblem, got {type(problem).__name__}")
    n_samples = as_int("n_samples", n_samples, minimum=0, maximum=problem.m)
    ax = _axes(ax)
    lo = problem.sharp_minimum - 4 * problem.sharp_width
    hi = problem.flat_minimum + 2.5 * problem.flat_width
    theta = (
        np.linspace(lo, hi, 1500)
        if reparam is None
        else reparam.theta(np.linspace(*reparam.phi(np.array([lo, hi])), 1500))
    )
    axis = theta if reparam is None else reparam.phi(theta)
    J = problem.cost(theta)
    for xi in problem.xi[:n_samples]:
        ax.plot(axis, J + xi * (theta - problem.ridge), color="0.75", lw=0.6)
    ax.plot(axis, J, color="k", lw=2, label="cost $J$ (mean of the losses)")
    for t, name, colour in ((problem.sharp_minimum, "sharp", "C3"), (problem.flat_minimum, "flat", "C0")):
        a = t if reparam is None else float(reparam.phi(t))
        ax.plot([a], [problem.cost(t)], "o", color=colour, ms=8, label=f"{name} minimum (in θ)")
    r = problem.ridge if reparam is None else float(reparam.phi(problem.ridge))
    ax.axvline(r, color="0.4", ls=":", lw=1, label="ridge")
    ax.set_ylim(float(J.min()) - 0.6 * problem.flat_depth, float(J.max()) + 0.6 * problem.flat_depth)
    ax.set_xlabel("θ" if reparam is None else "φ   (θ = r(φ))")
    ax.set_ylabel("loss")
    ax.legend(fontsize="small", loc="upper center")
    return ax


def basin_endpoints(
    problem: TwoBasinProblem, finals: dict[str, ArrayLike], *, ax: Axes | None = None
) -> Axes:
    """Share of runs ending in each basin, one horizontal bar per setting.

    The basins are named by their shape in ``θ``, whatever coordinates the
    runs used.

    Parameters
    ----------
    problem : TwoBasinProblem
    finals : dict of str to (R,) array_like
        Final ``θ`` of the runs of each setting, by label (top to bottom).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(finals, dict) or not finals:
        raise TypeError("finals must be a non-empty dict of label to final θ")
    counts = {k: count_basins(problem, v) for k, v in finals.items()}
    ax = _axes(ax)
    labels = list(counts)[::-1]
    sharp = np.array([counts[k].sharp_share for k in labels])
    flat = np.array([counts[k].flat_share for k in labels])
    between = 1 - sharp - flat
    ax.barh(labels, sharp, color="C3", label="sharp basin (in θ)")
    ax.barh(labels, between, left=sharp, color="0.8", label="between")
    ax.barh(labels, flat, left=sharp + between, color="C0", label="flat basin (in θ)")
    for i, s in enumerate(sharp):
        ax.text(0.01, i, f"{s:.0%}", va="center", color="k" if s < 0.05 else "white", fontsize="small")
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=3)
    return ax
