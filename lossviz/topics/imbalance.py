"""Class imbalance: a 95/5 churn set, each class's share of the cost, recall per loss.

The cost ``J = (1/m) Σᵢ L⁽ⁱ⁾`` treats every sample alike, so when 95 % of the
samples are non-churners the fitted model is the one that suits them. The
functions here build an imbalanced churn set, measure how the cost splits
between the classes, fit the model under different losses
(:data:`lossviz.BCE`, :class:`lossviz.WeightedBCE`, :class:`lossviz.FocalLoss`)
and score the minority class on held-out data. The drawings are in
:mod:`lossviz.plot.imbalance`, and :class:`lossviz.interactive.ImbalanceExplorer`
puts them behind two sliders. Taught in notebook 07.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import InstanceOf, SequenceOf, validate_params
from .._kernels import sigmoid
from ..data import make_churn
from ..losses import BCE, LogitLoss, WeightedBCE
from ..model import check_loss
from ..optim.newton import minimise
from ._checks import (
    FEATURE,
    HARD_LABELS,
    LAM,
    LOSS,
    MAX_RUNS,
    MAX_SAMPLES,
    PARAMS,
    SEED,
    array,
    check_pair,
    count,
    real,
)

__all__ = [
    "ClassMetrics",
    "LossFit",
    "balancing_alpha",
    "balancing_pos_weight",
    "class_cost_shares",
    "class_metrics",
    "fit_losses",
    "format_loss_table",
    "make_imbalanced_churn",
]


def _hard_labels(y: np.ndarray) -> np.ndarray:
    bad = (y != 0) & (y != 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"y must hold hard labels 0 or 1 here, got {y[i]} at index {i}")
    return y > 0.5


def _example_data() -> tuple[np.ndarray, np.ndarray]:
    return make_imbalanced_churn(200, positive_rate=0.1, seed=0)


def _example_fits() -> list[LossFit]:
    x, y = _example_data()
    return fit_losses([BCE, WeightedBCE(9.0)], x, y, x, y)


@validate_params(
    {
        "m": count(2, MAX_SAMPLES, "lossviz.topics._checks.MAX_SAMPLES: ask for fewer samples"),
        "positive_rate": real(0.0, 1.0, closed="right"),
        "seed": SEED,
    }
)
def make_imbalanced_churn(
    m: int = 1000, *, positive_rate: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A churn set in which only ``positive_rate`` of the customers churned.

    Drawn from a pool ``make_churn(3·m, seed=seed)`` (grown if it runs short):
    the first ``n₊ = round(positive_rate·m)`` churners and the first
    ``m - n₊`` non-churners of the pool, in pool order. Only the class
    proportions change; the bills of each class are distributed as in
    :func:`lossviz.make_churn` (a prior shift). Because the selection takes the
    pool in order, raising ``positive_rate`` adds churners and removes
    non-churners without redrawing the rest, so a slider moves smoothly.

    Parameters
    ----------
    m : int, default 1000
        Number of samples, ``m >= 2``.
    positive_rate : float, default 0.05
        Share of churners, in ``(0, 1)``; both classes must get at least one
        sample after rounding.
    seed : int, default 0
        Seed of the pool.

    Returns
    -------
    x : (m,) ndarray of float64
        Monthly bill in hundreds of dollars.
    y : (m,) ndarray of float64
        Labels in {0, 1}, exactly ``n₊`` of them 1.

    Examples
    --------
    >>> x, y = make_imbalanced_churn(200, positive_rate=0.05, seed=0)
    >>> x.shape, int(y.sum())
    ((200,), 10)
    """
    rate = positive_rate
    n_pos = round(rate * m)
    if not 1 <= n_pos <= m - 1:
        raise ValueError(
            f"positive_rate must leave both classes at least one of the {m} samples, "
            f"got {positive_rate} ({n_pos} churners)"
        )
    pool = 3 * m
    while True:
        x, y = make_churn(pool, seed=seed)
        pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        if pos.size >= n_pos and neg.size >= m - n_pos:
            break
        pool *= 2
    keep = np.sort(np.concatenate([pos[:n_pos], neg[: m - n_pos]]))
    return x[keep], y[keep]


@validate_params({"y": HARD_LABELS})
def balancing_pos_weight(y: ArrayLike) -> float:
    """``n_negative / n_positive``: the ``pos_weight`` that gives both classes equal total weight.

    Parameters
    ----------
    y : (m,) array_like of {0, 1}
        Labels with at least one of each class.

    Returns
    -------
    float

    Examples
    --------
    >>> balancing_pos_weight([0, 0, 0, 1])
    3.0
    """
    is_pos = _hard_labels(array(y))
    n_pos = int(is_pos.sum())
    if n_pos == 0 or n_pos == is_pos.size:
        raise ValueError(f"y must contain both classes, got {n_pos} positives of {is_pos.size}")
    return (is_pos.size - n_pos) / n_pos


@validate_params({"y": HARD_LABELS})
def balancing_alpha(y: ArrayLike) -> float:
    """``n_negative / m``: the focal loss ``alpha`` whose class weights balance the classes.

    With it ``α/(1 - α) = n_negative / n_positive``, the same ratio as
    :func:`balancing_pos_weight` (the "α-balanced" focal loss of Lin et al.).

    Parameters
    ----------
    y : (m,) array_like of {0, 1}
        Labels with at least one of each class.

    Returns
    -------
    float in (0, 1)

    Examples
    --------
    >>> balancing_alpha([0, 0, 0, 1])   # α/(1 - α) = 3
    0.75
    """
    pw = balancing_pos_weight(y)
    return pw / (1.0 + pw)


@validate_params({"params": PARAMS, "x": FEATURE, "y": HARD_LABELS, "loss": LOSS})
def class_cost_shares(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """How the cost splits between the classes: each class's share of ``Σᵢ L⁽ⁱ⁾``.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of {0, 1}
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    (2,) ndarray of float64
        ``[share of class 0, share of class 1]``, summing to 1.

    Examples
    --------
    At ``(0, 0)`` every loss is ``log 2``, so each class's share is its share of the samples:

    >>> class_cost_shares((0.0, 0.0), [1.0, 2.0, 3.0, 4.0], [0, 0, 0, 1])
    array([0.75, 0.25])
    """
    p = array(params)
    x_arr, y_arr = check_pair("x", x, "y", y)
    is_pos = _hard_labels(y_arr)
    with np.errstate(over="ignore", invalid="ignore"):
        losses = check_loss(loss).from_logits(y_arr, p[0] * x_arr + p[1])
        total = float(losses.sum())
    if not np.isfinite(total):
        raise ValueError(
            f"params = {tuple(float(v) for v in p)} are too large for x"
            f" (max |x| = {float(np.max(np.abs(x_arr))):g}):"
            " the losses overflow double precision; use smaller parameters or features"
        )
    if total == 0.0:
        raise ValueError(f"every loss is zero at params {tuple(p)}: there is no cost to share")
    pos = float(losses[is_pos].sum()) / total
    return np.array([1.0 - pos, pos])


@dataclass(frozen=True)
class ClassMetrics:
    """How a classifier does on the positive (minority) class.

    Attributes
    ----------
    recall : float
        Share of the positives predicted positive (true positive rate).
    precision : float or None
        Share of the positive predictions that are right; None when nothing
        is predicted positive.
    false_positive_rate : float
        Share of the negatives predicted positive.
    accuracy : float
    n_predicted_positive : int

    Examples
    --------
    >>> class_metrics((1.0, -1.5), [0.0, 1.0, 2.0, 3.0], [0, 1, 0, 1])   # predicts x >= 2 positive
    ClassMetrics(recall=0.5, precision=0.5, false_positive_rate=0.5, accuracy=0.5, n_predicted_positive=2)
    """

    recall: float
    precision: float | None
    false_positive_rate: float
    accuracy: float
    n_predicted_positive: int


@validate_params(
    {"params": PARAMS, "x": FEATURE, "y": HARD_LABELS, "threshold": real(0.0, 1.0, closed="neither")}
)
def class_metrics(params: ArrayLike, x: ArrayLike, y: ArrayLike, *, threshold: float = 0.5) -> ClassMetrics:
    """Recall, precision and false-positive rate of ``ŷ = σ(w·x + b) >= threshold``.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of {0, 1}
        With at least one positive and one negative.
    threshold : float, default 0.5
        In ``(0, 1)``.

    Returns
    -------
    ClassMetrics

    Examples
    --------
    The logit ``x - 1.5`` predicts churn for bills 2 and 3:

    >>> m = class_metrics((1.0, -1.5), [0.0, 1.0, 2.0, 3.0], [0, 0, 1, 1])
    >>> m.recall, m.precision, m.false_positive_rate
    (1.0, 1.0, 0.0)
    """
    p = array(params)
    x_arr, y_arr = check_pair("x", x, "y", y)
    is_pos = _hard_labels(y_arr)
    if is_pos.all() or not is_pos.any():
        raise ValueError("y must contain both classes to score recall and false positives")
    with np.errstate(over="ignore"):  # an infinite logit is a certain prediction: sigma gives 0 or 1
        pred = sigmoid(p[0] * x_arr + p[1]) >= threshold
    tp = int(np.sum(pred & is_pos))
    n_pred = int(pred.sum())
    return ClassMetrics(
        recall=tp / int(is_pos.sum()),
        precision=tp / n_pred if n_pred else None,
        false_positive_rate=int(np.sum(pred & ~is_pos)) / int((~is_pos).sum()),
        accuracy=float(np.mean(pred == is_pos)),
        n_predicted_positive=n_pred,
    )


@dataclass(frozen=True)
class LossFit:
    """The minimiser of one loss's cost and how it scores on held-out data.

    Attributes
    ----------
    loss : LogitLoss
    params : (2,) ndarray
        ``(w*, b*)`` minimising the training objective under ``loss``.
    cost_shares : (2,) ndarray
        Each class's share of the training cost at ``params`` (under ``loss``).
    metrics : ClassMetrics
        On the held-out set, at the threshold ``ŷ = 0.5``.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = make_imbalanced_churn(400, seed=0)
    >>> (fit,) = fit_losses([lv.BCE], x, y, *make_imbalanced_churn(400, seed=1))
    >>> round(float(lv.predict(fit.params, [fit.decision_bill])[0]), 12)   # ŷ = 0.5 at the decision bill
    0.5
    """

    loss: LogitLoss
    params: np.ndarray
    cost_shares: np.ndarray
    metrics: ClassMetrics

    @property
    def decision_bill(self) -> float:
        """The bill ``x = -b/w`` at which ``ŷ = 0.5``: churn is predicted above it when ``w > 0``.

        With ``w = 0`` the prediction does not depend on the bill: ``inf`` when
        ``b < 0`` (churn is never predicted), ``-inf`` otherwise (always).
        """
        w, b = self.params
        return float(-b / w) if w != 0 else float("inf") if b < 0 else float("-inf")


@validate_params(
    {
        "losses": SequenceOf(
            InstanceOf(LogitLoss, "lossviz.BCE or lossviz.WeightedBCE(19.0)", example_factory=lambda: BCE),
            max_len=MAX_RUNS,
        ),
        "x": FEATURE,
        "y": HARD_LABELS,
        "x_test": FEATURE,
        "y_test": HARD_LABELS,
        "lam": LAM,
    },
    example=lambda: dict(zip(("x", "y", "x_test", "y_test"), (*_example_data(), *_example_data()))),
)
def fit_losses(
    losses: Sequence[LogitLoss],
    x: ArrayLike,
    y: ArrayLike,
    x_test: ArrayLike,
    y_test: ArrayLike,
    *,
    lam: float = 0.0,
) -> list[LossFit]:
    """Minimise the cost under each loss and score the minority class on held-out data.

    Parameters
    ----------
    losses : sequence of LogitLoss
        E.g. ``[BCE, WeightedBCE(19), FocalLoss(2)]``.
    x, y : (m,) array_like
        Training set (labels 0 or 1).
    x_test, y_test : (n,) array_like
        Held-out set with both classes.
    lam : float, default 0.0

    Returns
    -------
    list of LossFit
        One per loss, in order.

    Examples
    --------
    Weighting the minority class 19-fold finds more of it on held-out data:

    >>> import lossviz as lv
    >>> x, y = make_imbalanced_churn(400, seed=0)
    >>> x_test, y_test = make_imbalanced_churn(400, seed=1)
    >>> bce, weighted = fit_losses([lv.BCE, lv.WeightedBCE(19.0)], x, y, x_test, y_test)
    >>> bce.metrics.recall < weighted.metrics.recall
    True
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    xt, yt = check_pair("x_test", x_test, "y_test", y_test)
    if yt.all() or not yt.any():
        raise ValueError(
            f"y_test must contain both classes to score recall, got {int(yt.sum())} of {yt.size}"
        )
    lam_f = lam
    out = []
    for loss in losses:
        loss_f = check_loss(loss)
        params = minimise(x_arr, y_arr, lam_f, loss=loss_f)
        out.append(
            LossFit(
                loss=loss_f,
                params=params,
                cost_shares=class_cost_shares(params, x_arr, y_arr, loss=loss_f),
                metrics=class_metrics(params, xt, yt),
            )
        )
    return out


@validate_params(
    {
        "fits": SequenceOf(
            InstanceOf(LossFit, "an element of fit_losses(...)", example_factory=lambda: _example_fits()[0]),
            max_len=MAX_RUNS,
        ),
        "digits": count(0, 6),
    }
)
def format_loss_table(fits: Sequence[LossFit], *, digits: int = 2) -> str:
    """A plain-text table of :func:`fit_losses`' results, one row per loss.

    Columns: the minimiser ``(w*, b*)``, the bill above which churn is
    predicted, the minority class's share of the training cost, and on the
    held-out set the minority recall, the precision and the false-positive
    rate. Precision is shown as ``-`` when nothing is predicted positive.

    Parameters
    ----------
    fits : sequence of LossFit
    digits : int, default 2
        Decimals of every number.

    Returns
    -------
    str

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = make_imbalanced_churn(400, seed=0)
    >>> fits = fit_losses([lv.BCE, lv.WeightedBCE(19.0)], x, y, *make_imbalanced_churn(400, seed=1))
    >>> print(format_loss_table(fits, digits=1))
    loss                              w*      b*   bill >  minority  recall  precision    FPR
                                                             cost %
    bce                              2.4    -5.4      2.2        74     0.0          -    0.0
    weighted_bce(pos_weight=19)      2.5    -2.6      1.0        50     0.7        0.1    0.4
    """
    names = [f.loss.name for f in fits]
    width = max(len("loss"), *(len(n) for n in names))
    head = (
        f"{'loss':<{width}}  {'w*':>7} {'b*':>7}  {'bill >':>7}  {'minority':>8}  "
        f"{'recall':>6}  {'precision':>9}  {'FPR':>5}"
    )
    sub = f"{'':<{width}}  {'':>7} {'':>7}  {'':>7}  {'cost %':>8}"
    rows = [head, sub]
    for name, f in zip(names, fits):
        mt = f.metrics
        prec = "-" if mt.precision is None else f"{mt.precision:.{digits}f}"
        rows.append(
            f"{name:<{width}}  {f.params[0]:>7.{digits}f} {f.params[1]:>7.{digits}f}  "
            f"{f.decision_bill:>7.{digits}f}  {100 * f.cost_shares[1]:>8.0f}  "
            f"{mt.recall:>6.{digits}f}  {prec:>9}  {mt.false_positive_rate:>5.{digits}f}"
        )
    return "\n".join(rows)
