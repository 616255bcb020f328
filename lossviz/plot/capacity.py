"""Drawings for overfitting (notebook 08): training against held-out cost, and the fitted curves.

The curves come from :func:`lossviz.topics.capacity.degree_curve` and
:func:`lossviz.topics.capacity.lam_curve`, the models from
:func:`lossviz.topics.capacity.fit_poly_logistic`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from ..model import check_data
from ..topics.capacity import CapacityCurve, PolyLogistic
from .core import _axes

__all__ = ["capacity_curve", "poly_fits"]


def capacity_curve(
    curve: CapacityCurve, *, metric: str = "cost", ax: Axes | None = None, test_label: str = "held-out"
) -> Axes:
    """Train and held-out cost (or error rate) against degree or λ.

    The lines are means over the training sets; the bands span their 25th to
    75th percentiles. The value with the lowest mean held-out cost is marked.

    Parameters
    ----------
    curve : CapacityCurve
        From :func:`lossviz.topics.capacity.degree_curve` or :func:`lossviz.topics.capacity.lam_curve`.
    metric : {"cost", "error"}
        Mean cross-entropy (log scale) or error rate.
    ax : matplotlib Axes, optional
    test_label : str
        What to call the held-out set in the legend.

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(curve, CapacityCurve):
        raise TypeError(f"curve must be a CapacityCurve, got {type(curve).__name__}")
    if metric not in ("cost", "error"):
        raise ValueError(f"metric must be 'cost' or 'error', got {metric!r}")
    ax = _axes(ax)
    tr, te = (
        (curve.train_cost, curve.test_cost) if metric == "cost" else (curve.train_error, curve.test_error)
    )
    v = curve.values
    for data, colour, label in ((tr, "C0", "training set"), (te, "C3", test_label)):
        ax.plot(v, data.mean(axis=0), "o-", color=colour, ms=3, label=f"{label} (mean)")
        if data.shape[0] > 1:
            lo, hi = np.percentile(data, [25, 75], axis=0)
            ax.fill_between(v, lo, hi, color=colour, alpha=0.15, lw=0)
    best = curve.best_index
    symbol = "λ" if curve.name == "lam" else "degree"
    ax.axvline(v[best], color="k", ls=":", lw=1, label=f"lowest {test_label} cost: {symbol} = {v[best]:g}")
    if curve.name == "lam":
        ax.set_xscale("log")
        ax.set_xlabel(r"regularisation strength $\lambda$")
    else:
        ax.set_xlabel("polynomial degree $d$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if metric == "cost":
        ax.set_yscale("log")
        ax.set_ylabel("cost (mean cross-entropy)")
    else:
        ax.set_ylabel("error rate")
    ax.legend(fontsize="small")
    return ax


def poly_fits(
    x: ArrayLike,
    y: ArrayLike,
    models: Sequence[PolyLogistic],
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A training set and the churn probability each fitted model predicts.

    Parameters
    ----------
    x, y : (m,) array_like
        The training set the models were fitted on.
    models : sequence of PolyLogistic
    labels : sequence of str, optional
        One per model (default: degree and λ).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    x_arr, y_arr = check_data(x, y)
    models = list(models)
    if not all(isinstance(mdl, PolyLogistic) for mdl in models):
        raise TypeError("models must be PolyLogistic objects from fit_poly_logistic")
    if labels is None:
        labels = [f"degree {mdl.degree}, λ = {mdl.lam:g}" for mdl in models]
    elif len(labels) != len(models):
        raise ValueError(f"labels must have {len(models)} entries, got {len(labels)}")
    ax = _axes(ax)
    span = x_arr.max() - x_arr.min()
    grid = np.linspace(x_arr.min() - 0.1 * span, x_arr.max() + 0.1 * span, 400)
    ax.scatter(x_arr, y_arr, s=18, color="k", zorder=3, label="training samples")
    for k, (mdl, label) in enumerate(zip(models, labels)):
        ax.plot(grid, mdl.predict(grid), color=f"C{k}", label=label)
    ax.set_xlabel("monthly bill $x$ (\\$100s)")
    ax.set_ylabel(r"predicted churn probability $\hat y$")
    ax.set_ylim(-0.05, 1.05)
    ax.legend(fontsize="small")
    return ax
