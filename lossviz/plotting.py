"""Drawing functions. Each takes ``ax=None`` and returns what it drew; none computes.

Compute with the functions of :mod:`lossviz` first, then pass the arrays here.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_scalar

__all__ = ["plot_losses"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {ax!r}")
    return ax


def plot_losses(losses: ArrayLike, cost: float | None = None, *, ax: Axes | None = None,
                labels: Sequence[str] | None = None, highlight_max: bool = True) -> Axes:
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
    handles = [Patch(color="C0", label="loss $L^{(i)}$ of one sample")]
    if highlight_max:
        handles.append(Patch(color="C3", label="largest loss"))
    handles.append(ax.axhline(J, color="k", linestyle="--", label=f"cost $J$ = mean = {J:.4f}"))
    ax.set_xlabel("sample $i$")
    ax.set_ylabel("loss")
    ax.set_ylim(0, max(values.max(), J) * 1.35)
    ax.legend(handles=handles, loc="upper right")
    return ax
