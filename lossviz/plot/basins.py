"""Drawings for sharp against flat minima (notebook 10): the two-basin cost and where runs end.

The problem comes from :func:`lossviz.topics.basins.make_two_basin`, the runs from
:func:`lossviz.topics.basins.run_basins` and their counts from
:func:`lossviz.topics.basins.count_basins`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes

from .._constraints import InstanceOf, validate_params
from .._validation import _short
from ..topics.basins import PROBLEM, BasinCounts, Reparametrisation, TwoBasinProblem
from ._checks import AXES, LABEL, MAX_SERIES, MappingOf, count
from .core import _axes
from .style import COLOURS, role_style

__all__ = ["basin_endpoints", "two_basin"]


@validate_params(
    {
        "problem": PROBLEM,
        "reparam": InstanceOf(Reparametrisation, "lossviz.basins.Reparametrisation()", none_ok=True),
        "n_samples": count(0, MAX_SERIES),
        "ax": AXES,
    },
    example=lambda: {"n_samples": 3},
    slow=True,
)
def two_basin(
    problem: TwoBasinProblem,
    *,
    reparam: Reparametrisation | None = None,
    n_samples: int = 6,
    ax: Axes | None = None,
) -> Axes:
    """The cost ``J`` (role ``"cost"``) and a few per-sample losses (``"loss"``) over ``θ``, or over ``φ``.

    The per-sample losses are drawn shifted to share ``J``'s value at the ridge, so
    their tilts are visible. The two minima have the roles ``"sharp"`` and ``"flat"``
    (named by their shape in ``θ``), the ridge is a reference line. With ``reparam`` the
    horizontal axis is ``φ`` and the same functions are drawn against it.

    Parameters
    ----------
    problem : TwoBasinProblem
        From :func:`lossviz.topics.basins.make_two_basin`.
    reparam : Reparametrisation, optional
    n_samples : int, default 6
        Per-sample losses to draw (the first ones), ``0 <= n_samples <= m``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``problem`` is not a TwoBasinProblem or ``ax`` not an Axes.
    ValueError
        If ``n_samples`` is out of range.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lossviz as lv
    >>> ax = two_basin(lv.basins.make_two_basin(m=20, seed=0), n_samples=2)
    >>> [line.get_label() for line in ax.lines][2:]
    ['cost $J$ (mean of the losses)', 'sharp minimum (in θ)', 'flat minimum (in θ)', 'ridge']
    """
    if n_samples > problem.m:
        raise ValueError(f"n_samples must be <= m = {problem.m}, got {n_samples}")
    ax = _axes(ax)
    lo = problem.sharp_minimum - 4 * problem.sharp_width
    hi = problem.flat_minimum + 2.5 * problem.flat_width
    if reparam is None:
        theta = np.linspace(lo, hi, 1500)
    else:
        phi_lo, phi_hi = reparam.phi(np.array([lo, hi]))
        theta = reparam.theta(np.linspace(float(phi_lo), float(phi_hi), 1500))
    axis = theta if reparam is None else reparam.phi(theta)
    J = problem.cost(theta)
    for k, xi in enumerate(problem.xi[:n_samples]):
        ax.plot(
            axis,
            J + xi * (theta - problem.ridge),
            lw=0.8,
            alpha=0.7,
            label="per-sample losses (shifted)" if k == 0 else "_nolegend_",
            **role_style("loss"),
        )
    ax.plot(axis, J, lw=2.2, label="cost $J$ (mean of the losses)", **role_style("cost"))
    for t, role in ((problem.sharp_minimum, "sharp"), (problem.flat_minimum, "flat")):
        a = t if reparam is None else float(reparam.phi(t))
        ax.plot(
            [a],
            [problem.cost(t)],
            ms=10,
            ls="none",
            zorder=4,
            label=f"{role} minimum (in θ)",
            **{k: v for k, v in role_style(role, markers=True).items() if k != "linestyle"},
        )
    r = problem.ridge if reparam is None else float(reparam.phi(problem.ridge))
    ax.axvline(r, lw=1, label="ridge", **role_style("reference"))
    ax.set_ylim(float(J.min()) - 0.6 * problem.flat_depth, float(J.max()) + 0.6 * problem.flat_depth)
    ax.set_xlabel("θ" if reparam is None else "φ   (θ = r(φ))")
    ax.set_ylabel("loss")
    ax.legend(loc="upper center")
    return ax


@validate_params(
    {
        "counts": MappingOf(
            LABEL,
            InstanceOf(
                BasinCounts,
                "BasinCounts(sharp=1, flat=2, between=0)",
                example_factory=lambda: BasinCounts(1, 2, 0),
            ),
            max_len=MAX_SERIES,
        ),
        "ax": AXES,
    },
    slow=True,
)
def basin_endpoints(counts: Mapping[str, BasinCounts], *, ax: Axes | None = None) -> Axes:
    """Share of runs ending in each basin, one horizontal bar per setting.

    Nothing is counted here: pass the counts of :func:`lossviz.topics.basins.count_basins`.
    The basins are named by their shape in ``θ``, whatever coordinates the runs used;
    sharp and flat have their roles' colours, runs caught between them are grey, and
    each segment has its own hatch too.

    Parameters
    ----------
    counts : mapping of str to BasinCounts
        The counts of each setting, by label (drawn top to bottom).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.containers`` holds the bars of the sharp basin, of the runs between and of
        the flat basin.

    Raises
    ------
    TypeError
        If ``counts`` is not a non-empty mapping of BasinCounts, or ``ax`` not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lossviz.topics.basins import BasinCounts
    >>> ax = basin_endpoints({"GD": BasinCounts(sharp=148, flat=852, between=0),
    ...                       "SGD, B = 1": BasinCounts(sharp=77, flat=901, between=22)})
    >>> [t.get_text() for t in ax.texts]
    ['8%', '15%']
    """
    if (
        not isinstance(counts, Mapping)
        or not counts
        or not all(isinstance(c, BasinCounts) for c in counts.values())
    ):
        raise TypeError(f"counts must be a non-empty mapping of label to BasinCounts, got {_short(counts)}")
    ax = _axes(ax)
    labels = list(counts)[::-1]
    sharp = np.array([counts[k].sharp_share for k in labels])
    flat = np.array([counts[k].flat_share for k in labels])
    between = 1 - sharp - flat
    ax.barh(labels, sharp, color=COLOURS["sharp"], hatch="//", edgecolor="white", label="sharp basin (in θ)")
    ax.barh(labels, between, left=sharp, color=COLOURS["grid"], label="between")
    ax.barh(labels, flat, left=sharp + between, color=COLOURS["flat"], label="flat basin (in θ)")
    for i, s in enumerate(sharp):
        ax.text(
            0.01, i, f"{s:.0%}", va="center", color=COLOURS["text"] if s < 0.05 else "white", fontsize="small"
        )
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3)
    return ax
