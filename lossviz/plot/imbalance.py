"""Drawings for class imbalance (notebook 07): one loss's cost surface, fitted curves, minority scores.

The fits come from :func:`lossviz.topics.imbalance.fit_losses`. The ``k``-th loss is
drawn with the ``k``-th colour and marker in every panel, so a loss looks the same
in each.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._kernels import sigmoid
from .._validation import as_float_array, as_int, as_scalar
from ..model import check_data, check_params
from ..topics.imbalance import LossFit, _hard_labels
from .core import _axes

__all__ = ["fitted_probabilities", "loss_landscape", "minority_scores"]

#: Marker of the k-th loss in every drawing of this module, so a loss looks the same in each panel.
_MARKERS = "os^Dv"


def loss_landscape(
    w_values: ArrayLike,
    b_values: ArrayLike,
    J: ArrayLike,
    *,
    minimisers: dict[str, ArrayLike],
    highlight: str,
    title: str | None = None,
    levels: int = 14,
    ax: Axes | None = None,
) -> Axes:
    """Contours of one loss's cost over ``(w, b)``, with its minimiser and the others'.

    Contour levels are spaced evenly in ``log(J - min J)`` so that the valley
    floor shows as clearly as the walls, whatever the loss's scale. The ``k``-th
    minimiser is drawn with the ``k``-th colour and marker, so one loss looks
    the same in every panel; the one named ``highlight`` (this surface's own)
    is filled and larger, the others hollow.

    Parameters
    ----------
    w_values : (nw,) array_like
    b_values : (nb,) array_like
    J : (nb, nw) array_like
        From :func:`lossviz.cost_grid` with this panel's ``loss``.
    minimisers : dict of str to (2,) array_like
        ``(w*, b*)`` of each loss, by display name, in a fixed order.
    highlight : str
        The key of ``minimisers`` that belongs to ``J``.
    title : str, optional
    levels : int, default 14
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    w = as_float_array("w_values", w_values)
    b = as_float_array("b_values", b_values)
    Jg = as_float_array("J", J, ndim=2)
    if Jg.shape != (b.size, w.size):
        raise ValueError(
            f"J must have shape (len(b_values), len(w_values)) = {(b.size, w.size)}, got {Jg.shape}"
        )
    if not isinstance(minimisers, dict) or not minimisers:
        raise TypeError(f"minimisers must be a non-empty dict of name to (w, b), got {minimisers!r}")
    if highlight not in minimisers:
        raise ValueError(f"highlight must be one of {list(minimisers)}, got {highlight!r}")
    points = {name: check_params(pt, f"minimisers[{name!r}]") for name, pt in minimisers.items()}
    levels = as_int("levels", levels, minimum=2)
    ax = _axes(ax)
    excess = Jg - Jg.min()
    positive = excess[excess > 0]
    lo = positive.min() if positive.size else 1.0
    ax.contour(
        w,
        b,
        excess,
        levels=np.geomspace(max(lo, excess.max() * 1e-4), excess.max(), levels),
        cmap="viridis",
        linewidths=0.8,
    )
    for k, (name, pt) in enumerate(points.items()):
        own = name == highlight
        ax.plot(
            *pt,
            marker=_MARKERS[k % len(_MARKERS)],
            ms=11 if own else 8,
            ls="none",
            color=f"C{k}",
            mfc=f"C{k}" if own else "none",
            mec="k" if own else f"C{k}",
            mew=1.5,
            label=name,
            zorder=3,
        )
    ax.set_xlabel("$w$")
    ax.set_ylabel("$b$")
    if title is not None:
        ax.set_title(title)
    return ax


def _labels(fits: list[LossFit], labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [f.loss.name for f in fits]
    labels = [str(v) for v in labels]
    if len(labels) != len(fits):
        raise ValueError(f"labels must have {len(fits)} entries, got {len(labels)}")
    return labels


def _check_fits(fits: Sequence[LossFit]) -> list[LossFit]:
    fits = list(fits)
    if not fits or not all(isinstance(f, LossFit) for f in fits):
        raise TypeError("fits must be a non-empty sequence of LossFit from fit_losses")
    return fits


def _jitter(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-0.03, 0.03, n)


def fitted_probabilities(
    x: ArrayLike,
    y: ArrayLike,
    fits: Sequence[LossFit],
    *,
    labels: Sequence[str] | None = None,
    threshold: float = 0.5,
    ax: Axes | None = None,
) -> Axes:
    """The samples (churners at 1, others at 0) and each loss's ``σ(w*·x + b*)``.

    Where a curve crosses the threshold is the bill above which that model
    predicts churn.

    Parameters
    ----------
    x, y : (m,) array_like
        The samples to show (labels 0 or 1), jittered vertically.
    fits : sequence of LossFit
        The ``k``-th is drawn in colour ``Ck``, as in :func:`loss_landscape`.
    labels : sequence of str, optional
        One per fit (default: the losses' names).
    threshold : float, default 0.5
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Its first two collections are the non-churners and the churners; its
        lines are the fits' curves, in order, then the threshold.
    """
    x_arr, y_arr = check_data(x, y)
    is_pos = _hard_labels(y_arr)
    fits = _check_fits(fits)
    names = _labels(fits, labels)
    thr = as_scalar("threshold", threshold, minimum=0.0, maximum=1.0)
    ax = _axes(ax)
    jit = _jitter(x_arr.size)
    ax.scatter(x_arr[~is_pos], jit[~is_pos], s=6, color="0.6", alpha=0.4, label="did not churn")
    ax.scatter(x_arr[is_pos], 1 + jit[is_pos], s=10, color="k", alpha=0.8, label="churned")
    grid = np.linspace(x_arr.min(), x_arr.max(), 300)
    for k, (f, name) in enumerate(zip(fits, names)):
        w, b = f.params
        ax.plot(grid, sigmoid(w * grid + b), color=f"C{k}", lw=2, label=name)
    ax.axhline(thr, color="k", ls=":", lw=1, label=f"threshold {thr:g}")
    ax.set_xlabel("monthly bill $x$ (\\$100s)")
    ax.set_ylabel(r"$\hat y = \sigma(w^* x + b^*)$")
    ax.set_ylim(-0.08, 1.08)
    ax.legend(fontsize="small", loc="center left")
    return ax


def minority_scores(
    fits: Sequence[LossFit], *, labels: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Minority recall, precision and false-positive rate for each loss, as grouped bars.

    A precision that is undefined (nothing predicted positive) is drawn as 0
    and labelled "n/a".

    Parameters
    ----------
    fits : sequence of LossFit
    labels : sequence of str, optional
        One per fit (default: the losses' names).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.containers`` holds three BarContainers (recall, precision, FPR) and
        ``ax.texts`` their value labels in the same order.
    """
    fits = _check_fits(fits)
    names = _labels(fits, labels)
    ax = _axes(ax)
    k = np.arange(len(fits))
    width = 0.26
    styles = (
        ("recall", {"color": "0.15"}),
        ("precision", {"color": "0.6"}),
        ("false_positive_rate", {"color": "white", "edgecolor": "0.3", "hatch": "///"}),
    )
    for j, (key, style) in enumerate(styles):
        vals = [getattr(f.metrics, key) for f in fits]
        bars = ax.bar(
            k + (j - 1) * width,
            [0.0 if v is None else v for v in vals],
            width,
            label=key.replace("_", " "),
            **style,
        )
        ax.bar_label(
            bars, labels=["n/a" if v is None else f"{v:.2f}" for v in vals], fontsize="x-small", padding=1
        )
    ax.set_xticks(k, _wrap(names), fontsize="small")
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("on held-out data")
    ax.legend(fontsize="small", loc="upper left", ncols=3)
    return ax


def _wrap(names: list[str]) -> list[str]:
    return [n.replace("(", "\n(").replace(", ", ",\n") if "(" in n else n for n in names]
