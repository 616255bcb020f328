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

from .._constraints import InstanceOf, Options, SequenceOf, validate_params
from ..data import make_churn
from ..topics._checks import FEATURE, check_pair
from ..topics._checks import LABELS as _Y
from ..topics.capacity import CapacityCurve, PolyLogistic, degree_curve, fit_poly_logistic
from ._checks import AXES, LABEL, LABELS, MAX_SERIES, ROLES
from .core import _axes, _check_roles, _style
from .style import COLOURS, role_style

__all__ = ["capacity_curve", "poly_fits"]


def _example_curve() -> CapacityCurve:
    sets = [make_churn(20, seed=s) for s in range(2)]
    return degree_curve(sets, *make_churn(100, seed=9), [1, 2])


def _example_model() -> PolyLogistic:
    return fit_poly_logistic(*make_churn(20, seed=0), 2, 1e-3)


@validate_params(
    {
        "curve": InstanceOf(
            CapacityCurve, "lossviz.capacity.degree_curve(...)", example_factory=_example_curve
        ),
        "metric": Options(("cost", "error")),
        "test_label": LABEL,
        "ax": AXES,
    },
    slow=True,
)
def capacity_curve(
    curve: CapacityCurve, *, metric: str = "cost", test_label: str = "held-out", ax: Axes | None = None
) -> Axes:
    """Training and held-out cost (or error rate) against the degree or λ.

    The lines are means over the training sets (roles ``"train"`` and ``"held_out"``);
    the bands span their 25th to 75th percentiles. The value with the lowest mean
    held-out cost is marked by a reference line.

    Parameters
    ----------
    curve : CapacityCurve
        From :func:`lossviz.topics.capacity.degree_curve` or
        :func:`lossviz.topics.capacity.lam_curve`.
    metric : {"cost", "error"}
        Mean cross-entropy (log scale) or error rate.
    test_label : str
        What to call the held-out set in the legend (e.g. ``"validation"``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``curve`` is not a CapacityCurve or ``ax`` not an Axes.
    ValueError
        If ``metric`` is unknown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lossviz as lv
    >>> sets = [lv.make_churn(20, seed=s) for s in range(3)]
    >>> curve = lv.capacity.degree_curve(sets, *lv.make_churn(200, seed=99), [1, 2, 3], lam=1e-3)
    >>> ax = capacity_curve(curve)
    >>> [line.get_label() for line in ax.lines][:2]
    ['training set (mean)', 'held-out (mean)']
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
    for data, role, label in ((tr, "train", "training set"), (te, "held_out", test_label)):
        ax.plot(v, data.mean(axis=0), ms=4, label=f"{label} (mean)", **role_style(role, markers=True))
        if data.shape[0] > 1:
            lo, hi = np.percentile(data, [25, 75], axis=0)
            ax.fill_between(v, lo, hi, color=COLOURS[role], alpha=0.15, lw=0)
    best = curve.best_index
    symbol = "λ" if curve.name == "lam" else "degree"
    ax.axvline(
        v[best], lw=1, label=f"lowest {test_label} cost: {symbol} = {v[best]:g}", **role_style("reference")
    )
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
    ax.legend()
    return ax


@validate_params(
    {
        "x": FEATURE,
        "y": _Y,
        "models": SequenceOf(
            InstanceOf(
                PolyLogistic, "lossviz.capacity.fit_poly_logistic(...)", example_factory=_example_model
            ),
            max_len=MAX_SERIES,
        ),
        "labels": LABELS,
        "roles": ROLES,
        "ax": AXES,
    },
    example=lambda: dict(zip(("x", "y"), make_churn(20, seed=0))),
    slow=True,
)
def poly_fits(
    x: ArrayLike,
    y: ArrayLike,
    models: Sequence[PolyLogistic],
    *,
    labels: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A training set (its classes' colours and markers) and the churn probability each model predicts.

    Parameters
    ----------
    x, y : (m,) array_like
        The training set the models were fitted on (labels 0 or 1).
    models : sequence of PolyLogistic
        From :func:`lossviz.topics.capacity.fit_poly_logistic`.
    labels : sequence of str, optional
        One per model (default: degree and λ).
    roles : sequence of str, optional
        One role per model; the style's cycle colours and line styles when omitted.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Its lines are the models' curves, in order.

    Raises
    ------
    TypeError
        If a model is not a PolyLogistic or ``ax`` not an Axes.
    ValueError
        If ``labels`` or ``roles`` have the wrong length.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(20, seed=0)
    >>> ax = poly_fits(x, y, [lv.capacity.fit_poly_logistic(x, y, d, 1e-3) for d in (1, 5)])
    >>> [line.get_label() for line in ax.lines]
    ['degree 1, λ = 0.001', 'degree 5, λ = 0.001']
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    models = list(models)
    if not models or not all(isinstance(mdl, PolyLogistic) for mdl in models):
        raise TypeError("models must be a non-empty sequence of PolyLogistic from fit_poly_logistic")
    if labels is None:
        labels = [f"degree {mdl.degree}, λ = {mdl.lam:g}" for mdl in models]
    elif len(labels) != len(models):
        raise ValueError(
            f"labels must have {len(models)} entries, one per model in models, got {len(labels)}"
        )
    role_list = _check_roles(roles, len(models))
    ax = _axes(ax)
    span = x_arr.max() - x_arr.min()
    grid = np.linspace(x_arr.min() - 0.1 * span, x_arr.max() + 0.1 * span, 400)
    for value, cls, text in ((0.0, "class_0", "did not churn"), (1.0, "class_1", "churned")):
        on = y_arr == value
        ax.scatter(
            x_arr[on],
            y_arr[on],
            s=30,
            marker=role_style(cls, markers=True)["marker"],
            color=COLOURS[cls],
            edgecolors=COLOURS["text"],
            linewidths=0.6,
            zorder=3,
            label=text,
        )
    for k, (mdl, label, role) in enumerate(zip(models, labels, role_list)):
        st = _style(role, k)
        ax.plot(grid, mdl.predict(grid), color=st["color"], ls=st["linestyle"], label=label)
    ax.set_xlabel("monthly bill $x$ (\\$100s)")
    ax.set_ylabel(r"predicted churn probability $\hat y$")
    ax.set_ylim(-0.05, 1.05)
    ax.legend()
    return ax
