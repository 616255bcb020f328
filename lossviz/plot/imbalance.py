"""Drawings for class imbalance (notebook 07): fitted curves over the classes, minority scores.

The fits come from :func:`lossviz.topics.imbalance.fit_losses`. Each loss has its role in
the course style (:func:`loss_role`: ``"bce"``, ``"weighted_bce"``, ``"focal"``,
``"focal_alpha"``), so a loss looks the same in every panel: its cost landscape is
:func:`lossviz.plot.cost_landscape`, its minimiser :func:`lossviz.plot.minimisers`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._constraints import InstanceOf, Labels, SequenceOf, validate_params
from .._kernels import sigmoid
from .._validation import _short
from ..losses import BinaryCrossEntropy, FocalLoss, WeightedBCE
from ..topics._checks import FEATURE, check_pair
from ..topics.imbalance import LossFit, _example_data, _example_fits
from ._checks import AXES, LABELS, MAX_SERIES, ROLES, real
from .core import _axes, _check_roles, _style
from .style import COLOURS, role_style

__all__ = ["fitted_probabilities", "loss_role", "minority_scores"]


_FITS = SequenceOf(
    InstanceOf(
        LossFit, "an element of lossviz.imbalance.fit_losses(...)", example_factory=lambda: _example_fits()[0]
    ),
    max_len=MAX_SERIES,
)


@validate_params(
    {
        "loss": InstanceOf(
            (BinaryCrossEntropy, WeightedBCE, FocalLoss), "lossviz.BCE or lossviz.WeightedBCE(19.0)"
        )
    },
    example=lambda: {"loss": BinaryCrossEntropy()},
)
def loss_role(loss: object) -> str:
    """The course-style role of a loss object: its colour, line style and marker in every drawing.

    Parameters
    ----------
    loss : BinaryCrossEntropy, WeightedBCE or FocalLoss
        E.g. ``lv.BCE``, ``lv.WeightedBCE(19)``, ``lv.FocalLoss(2.0, alpha=0.95)``.

    Returns
    -------
    str
        ``"bce"``, ``"weighted_bce"``, ``"focal"`` (no class weight) or ``"focal_alpha"``.

    Raises
    ------
    TypeError
        If ``loss`` is none of these.

    Examples
    --------
    >>> import lossviz as lv
    >>> [loss_role(f) for f in (lv.BCE, lv.WeightedBCE(19.0), lv.FocalLoss(2.0), lv.FocalLoss(2.0, 0.25))]
    ['bce', 'weighted_bce', 'focal', 'focal_alpha']
    """
    if isinstance(loss, BinaryCrossEntropy):
        return "bce"
    if isinstance(loss, WeightedBCE):
        return "weighted_bce"
    if isinstance(loss, FocalLoss):
        return "focal" if loss.alpha is None else "focal_alpha"
    raise TypeError(f"loss must be BCE, WeightedBCE or FocalLoss, got {_short(loss)}")


def _labels(fits: list[LossFit], labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [f.loss.name for f in fits]
    labels = [str(v) for v in labels]
    if len(labels) != len(fits):
        raise ValueError(f"labels must have {len(fits)} entries, one per fit in fits, got {len(labels)}")
    return labels


def _check_fits(fits: Sequence[LossFit]) -> list[LossFit]:
    fits = list(fits)
    if not fits or not all(isinstance(f, LossFit) for f in fits):
        raise TypeError(f"fits must be a non-empty sequence of LossFit from fit_losses, got {_short(fits)}")
    return fits


def _jitter(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-0.03, 0.03, n)


@validate_params(
    {
        "x": FEATURE,
        "y": Labels(hard=True),
        "fits": _FITS,
        "labels": LABELS,
        "roles": ROLES,
        "threshold": real(0.0, 1.0),
        "ax": AXES,
    },
    example=lambda: dict(zip(("x", "y"), _example_data())),
    slow=True,
)
def fitted_probabilities(
    x: ArrayLike,
    y: ArrayLike,
    fits: Sequence[LossFit],
    *,
    labels: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    threshold: float = 0.5,
    ax: Axes | None = None,
) -> Axes:
    """The samples (churners at 1, others at 0) and each loss's ``σ(w*·x + b*)``.

    Where a curve crosses the threshold is the bill above which that model predicts
    churn. The classes have their roles' colours and markers; each curve its loss's
    role (:func:`loss_role`), or the role given.

    Parameters
    ----------
    x, y : (m,) array_like
        The samples to show (labels 0 or 1), jittered vertically.
    fits : sequence of LossFit
    labels : sequence of str, optional
        One per fit (default: the losses' names).
    roles : sequence of str, optional
        One role per fit (default: :func:`loss_role` of each fit's loss).
    threshold : float, default 0.5
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Its first two collections are the non-churners and the churners; its lines are
        the fits' curves, in order, then the threshold.

    Raises
    ------
    TypeError
        If ``fits`` are not LossFit or ``ax`` is not an Axes.
    ValueError
        If a label is not 0 or 1, ``labels``/``roles`` have the wrong length, or the
        threshold lies outside [0, 1].

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lossviz as lv
    >>> x, y = lv.imbalance.make_imbalanced_churn(200, positive_rate=0.1, seed=0)
    >>> fits = lv.imbalance.fit_losses([lv.BCE, lv.WeightedBCE(9.0)], x, y, x, y)
    >>> ax = fitted_probabilities(x, y, fits)
    >>> [line.get_label() for line in ax.lines]
    ['bce', 'weighted_bce(pos_weight=9)', 'threshold 0.5']
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    if np.any((y_arr != 0) & (y_arr != 1)):
        raise ValueError(f"y must hold hard labels 0 or 1 here, got {_short(y_arr)}")
    is_pos = y_arr > 0.5
    fits = _check_fits(fits)
    names = _labels(fits, labels)
    role_list = _check_roles([loss_role(f.loss) for f in fits] if roles is None else roles, len(fits))
    thr = float(threshold)
    ax = _axes(ax)
    jit = _jitter(x_arr.size)
    for on, y0, cls, size, text in (
        (~is_pos, 0.0, "class_0", 10, "did not churn"),
        (is_pos, 1.0, "class_1", 14, "churned"),
    ):
        ax.scatter(
            x_arr[on],
            y0 + jit[on],
            s=size,
            marker=role_style(cls, markers=True)["marker"],
            color=COLOURS[cls],
            alpha=0.5,
            linewidths=0,
            label=text,
        )
    grid = np.linspace(x_arr.min(), x_arr.max(), 300)
    for k, (f, name, role) in enumerate(zip(fits, names, role_list)):
        st = _style(role, k)
        w, b = f.params
        ax.plot(grid, sigmoid(w * grid + b), color=st["color"], ls=st["linestyle"], lw=2, label=name)
    ax.axhline(thr, lw=1, label=f"threshold {thr:g}", **role_style("reference"))
    ax.set_xlabel("monthly bill $x$ (\\$100s)")
    ax.set_ylabel(r"$\hat y = \sigma(w^* x + b^*)$")
    ax.set_ylim(-0.08, 1.08)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))  # beside the panel: the curves fill it
    return ax


@validate_params({"fits": _FITS, "labels": LABELS, "ax": AXES}, slow=True)
def minority_scores(
    fits: Sequence[LossFit], *, labels: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Minority recall, precision and false-positive rate for each loss, as grouped bars.

    Recall is the share of the churners that the model flags, precision the share of its
    flags that are churners, the false-positive rate (FPR) the share of the non-churners
    it flags. The three bars are neutral greys told apart by their fill and hatch (they
    are measures, not roles). A precision that is undefined (nothing predicted positive)
    is drawn as 0 and labelled "n/a"; the others are labelled with two decimals (".66").

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

    Raises
    ------
    TypeError
        If ``fits`` are not LossFit or ``ax`` is not an Axes.
    ValueError
        If ``labels`` has the wrong length.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lossviz as lv
    >>> x, y = lv.imbalance.make_imbalanced_churn(200, positive_rate=0.1, seed=0)
    >>> fits = lv.imbalance.fit_losses([lv.BCE, lv.WeightedBCE(9.0)], x, y, x, y)
    >>> ax = minority_scores(fits, labels=["BCE", "weighted"])
    >>> [c.get_label() for c in ax.containers]
    ['recall', 'precision', 'false positive rate']
    """
    fits = _check_fits(fits)
    names = _labels(fits, labels)
    ax = _axes(ax)
    k = np.arange(len(fits))
    width = 0.26
    styles: tuple[tuple[str, dict[str, Any]], ...] = (
        ("recall", {"color": COLOURS["text"]}),
        ("precision", {"color": COLOURS["class_0"]}),
        ("false_positive_rate", {"color": "white", "edgecolor": COLOURS["text"], "hatch": "///"}),
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
        ax.bar_label(bars, labels=[_bar_text(v) for v in vals], fontsize="small", padding=1)
    ax.set_xticks(k, _wrap(names), fontsize="small")
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("on held-out data")
    # small and packed, so that its three entries stay inside a narrow axes (the explorer's)
    ax.legend(
        loc="upper center",
        ncols=3,
        fontsize="small",
        handlelength=1.2,
        columnspacing=0.8,
        handletextpad=0.4,
        borderaxespad=0.3,
    )
    return ax


def _bar_text(value: float | None) -> str:
    """A bar's label: two decimals without the leading zero (".66"), so that it stays within its
    bar at a legible size; "n/a" for an undefined value.

    Examples
    --------
    >>> [_bar_text(v) for v in (0.6612, 0.0, 1.0, None)]
    ['.66', '.00', '1.00', 'n/a']
    """
    if value is None:
        return "n/a"
    text = f"{value:.2f}"
    return text[1:] if text.startswith("0.") else text


def _wrap(names: list[str]) -> list[str]:
    """Tick labels on two or more lines: a loss's name at its parenthesis, a long label at its spaces."""
    return [
        n.replace("(", "\n(").replace(", ", ",\n")
        if "(" in n
        else textwrap.fill(n, 12, break_long_words=False)
        for n in names
    ]
