"""Class imbalance: a 95/5 churn set, each class's share of the cost, recall per loss.

The cost ``J = (1/m) Σᵢ L⁽ⁱ⁾`` treats every sample alike, so when 95 % of the
samples are non-churners the fitted model is the one that suits them. The
functions here build an imbalanced churn set, measure how the cost splits
between the classes, fit the model under different losses
(:data:`lossviz.BCE`, :class:`lossviz.WeightedBCE`, :class:`lossviz.FocalLoss`)
and score the minority class on held-out data. The drawing functions come
after the computing ones, and :class:`ImbalanceExplorer` puts them behind two
sliders. Taught in notebook 06.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_int, as_scalar
from .data import make_churn
from .landscape import minimise
from .losses import BCE, FocalLoss, LogitLoss, WeightedBCE, _sigmoid
from .model import check_data, check_lam, check_loss, check_params
from .plotting import _axes

__all__ = [
    "make_imbalanced_churn",
    "balancing_pos_weight",
    "balancing_alpha",
    "class_cost_shares",
    "ClassMetrics",
    "class_metrics",
    "LossFit",
    "fit_losses",
    "format_loss_table",
    "plot_loss_landscape",
    "plot_fitted_probabilities",
    "plot_minority_scores",
    "ImbalanceExplorer",
]


def _hard_labels(y: np.ndarray) -> np.ndarray:
    bad = (y != 0) & (y != 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"y must hold hard labels 0 or 1 here, got {y[i]} at index {i}")
    return y > 0.5


def make_imbalanced_churn(m: int = 1000, *, positive_rate: float = 0.05,
                          seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
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
    """
    m = as_int("m", m, minimum=2)
    rate = as_scalar("positive_rate", positive_rate, minimum=0.0, strict_minimum=True, maximum=1.0)
    seed = as_int("seed", seed, minimum=0)
    n_pos = int(round(rate * m))
    if not 1 <= n_pos <= m - 1:
        raise ValueError(
            f"positive_rate must leave both classes at least one of the {m} samples, "
            f"got {positive_rate} ({n_pos} churners)")
    pool = 3 * m
    while True:
        x, y = make_churn(pool, seed=seed)
        pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        if pos.size >= n_pos and neg.size >= m - n_pos:
            break
        pool *= 2
    keep = np.sort(np.concatenate([pos[:n_pos], neg[:m - n_pos]]))
    return x[keep], y[keep]


def balancing_pos_weight(y: ArrayLike) -> float:
    """``n_negative / n_positive``: the ``pos_weight`` that gives both classes equal total weight.

    Parameters
    ----------
    y : (m,) array_like of {0, 1}
        Labels with at least one of each class.

    Returns
    -------
    float
    """
    is_pos = _hard_labels(as_float_array("y", y))
    n_pos = int(is_pos.sum())
    if n_pos == 0 or n_pos == is_pos.size:
        raise ValueError(f"y must contain both classes, got {n_pos} positives of {is_pos.size}")
    return (is_pos.size - n_pos) / n_pos


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
    """
    pw = balancing_pos_weight(y)
    return pw / (1.0 + pw)


def class_cost_shares(params: ArrayLike, x: ArrayLike, y: ArrayLike, *,
                      loss: LogitLoss | None = None) -> np.ndarray:
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
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    is_pos = _hard_labels(y_arr)
    losses = check_loss(loss).from_logits(y_arr, p[0] * x_arr + p[1])
    total = float(losses.sum())
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
    """

    recall: float
    precision: float | None
    false_positive_rate: float
    accuracy: float
    n_predicted_positive: int


def class_metrics(params: ArrayLike, x: ArrayLike, y: ArrayLike, *,
                  threshold: float = 0.5) -> ClassMetrics:
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
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    is_pos = _hard_labels(y_arr)
    if is_pos.all() or not is_pos.any():
        raise ValueError("y must contain both classes to score recall and false positives")
    thr = as_scalar("threshold", threshold, minimum=0.0, strict_minimum=True, maximum=1.0)
    if thr == 1.0:
        raise ValueError("threshold must be < 1, got 1.0")
    pred = _sigmoid(p[0] * x_arr + p[1]) >= thr
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


def fit_losses(losses: Sequence[LogitLoss], x: ArrayLike, y: ArrayLike, x_test: ArrayLike,
               y_test: ArrayLike, *, lam: float = 0.0) -> list[LossFit]:
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
    """
    x_arr, y_arr = check_data(x, y)
    xt, yt = check_data(x_test, y_test)
    _hard_labels(y_arr)
    lam_f = check_lam(lam)
    losses = list(losses)
    if not losses:
        raise ValueError("losses must not be empty")
    out = []
    for loss in losses:
        loss_f = check_loss(loss)
        params = minimise(x_arr, y_arr, lam_f, loss=loss_f)
        out.append(LossFit(loss=loss_f, params=params,
                           cost_shares=class_cost_shares(params, x_arr, y_arr, loss=loss_f),
                           metrics=class_metrics(params, xt, yt)))
    return out


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
    """
    fits = list(fits)
    if not fits or not all(isinstance(f, LossFit) for f in fits):
        raise TypeError("fits must be a non-empty sequence of LossFit from fit_losses")
    digits = as_int("digits", digits, minimum=0, maximum=6)
    names = [f.loss.name for f in fits]
    width = max(len("loss"), *(len(n) for n in names))
    head = (f"{'loss':<{width}}  {'w*':>7} {'b*':>7}  {'bill >':>7}  {'minority':>8}  "
            f"{'recall':>6}  {'precision':>9}  {'FPR':>5}")
    sub = f"{'':<{width}}  {'':>7} {'':>7}  {'':>7}  {'cost %':>8}"
    rows = [head, sub]
    for name, f in zip(names, fits):
        mt = f.metrics
        prec = "-" if mt.precision is None else f"{mt.precision:.{digits}f}"
        rows.append(
            f"{name:<{width}}  {f.params[0]:>7.{digits}f} {f.params[1]:>7.{digits}f}  "
            f"{f.decision_bill:>7.{digits}f}  {100 * f.cost_shares[1]:>8.0f}  "
            f"{mt.recall:>6.{digits}f}  {prec:>9}  {mt.false_positive_rate:>5.{digits}f}")
    return "\n".join(rows)


# ------------------------------------------------------------------ drawing
#: Marker of the k-th loss in every drawing of this module, so a loss looks the same in each panel.
_MARKERS = "os^Dv"


def plot_loss_landscape(w_values: ArrayLike, b_values: ArrayLike, J: ArrayLike, *,
                   minimisers: dict[str, ArrayLike], highlight: str, title: str | None = None,
                   levels: int = 14, ax: Axes | None = None) -> Axes:
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
        raise ValueError(f"J must have shape (len(b_values), len(w_values)) = {(b.size, w.size)}, "
                         f"got {Jg.shape}")
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
    ax.contour(w, b, excess, levels=np.geomspace(max(lo, excess.max() * 1e-4), excess.max(), levels),
               cmap="viridis", linewidths=0.8)
    for k, (name, pt) in enumerate(points.items()):
        own = name == highlight
        ax.plot(*pt, marker=_MARKERS[k % len(_MARKERS)], ms=11 if own else 8, ls="none",
                color=f"C{k}", mfc=f"C{k}" if own else "none", mec="k" if own else f"C{k}",
                mew=1.5, label=name, zorder=3)
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


def plot_fitted_probabilities(x: ArrayLike, y: ArrayLike, fits: Sequence[LossFit], *,
                              labels: Sequence[str] | None = None, threshold: float = 0.5,
                              ax: Axes | None = None) -> Axes:
    """The samples (churners at 1, others at 0) and each loss's ``σ(w*·x + b*)``.

    Where a curve crosses the threshold is the bill above which that model
    predicts churn.

    Parameters
    ----------
    x, y : (m,) array_like
        The samples to show (labels 0 or 1), jittered vertically.
    fits : sequence of LossFit
        The ``k``-th is drawn in colour ``Ck``, as in :func:`plot_loss_landscape`.
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
        ax.plot(grid, _sigmoid(w * grid + b), color=f"C{k}", lw=2, label=name)
    ax.axhline(thr, color="k", ls=":", lw=1, label=f"threshold {thr:g}")
    ax.set_xlabel("monthly bill $x$ (\\$100s)")
    ax.set_ylabel(r"$\hat y = \sigma(w^* x + b^*)$")
    ax.set_ylim(-0.08, 1.08)
    ax.legend(fontsize="small", loc="center left")
    return ax


def plot_minority_scores(fits: Sequence[LossFit], *, labels: Sequence[str] | None = None,
                         ax: Axes | None = None) -> Axes:
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
    styles = (("recall", dict(color="0.15")), ("precision", dict(color="0.6")),
              ("false_positive_rate", dict(color="white", edgecolor="0.3", hatch="///")))
    for j, (key, style) in enumerate(styles):
        vals = [getattr(f.metrics, key) for f in fits]
        bars = ax.bar(k + (j - 1) * width, [0.0 if v is None else v for v in vals], width,
                      label=key.replace("_", " "), **style)
        ax.bar_label(bars, labels=["n/a" if v is None else f"{v:.2f}" for v in vals],
                     fontsize="x-small", padding=1)
    ax.set_xticks(k, _wrap(names), fontsize="small")
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("on held-out data")
    ax.legend(fontsize="small", loc="upper left", ncols=3)
    return ax


def _wrap(names: list[str]) -> list[str]:
    return [n.replace("(", "\n(").replace(", ", ",\n") if "(" in n else n for n in names]


# ------------------------------------------------------------------ interactive
class ImbalanceExplorer:
    """Two sliders -- the churn rate and the focal loss's γ -- over a persistent figure.

    Left: the training samples and four fitted curves: BCE, weighted BCE with
    ``pos_weight = n₋/n₊``, focal loss with γ, and focal loss with γ and
    ``alpha = n₋/m`` (α-balanced). Right: each loss's minority recall,
    precision and false-positive rate on a held-out set with the same churn
    rate. Moving the churn-rate slider redraws the data and refits all four
    losses; moving γ refits only the two focal losses. Artists are updated in
    place. Needs the ipympl backend (``%matplotlib widget``). Taught in
    notebook 06.

    Parameters
    ----------
    m : int, default 1000
        Training samples.
    m_test : int, default 20000
        Held-out samples.
    positive_rate : float, default 0.05
        Initial churn rate.
    gamma : float, default 2.0
        Initial γ.
    seed : int, default 0
        Seed of the training pool; the held-out pool uses ``seed + 1``.

    Attributes
    ----------
    fig : matplotlib Figure
    widget : ipywidgets.VBox
        The sliders and the figure's canvas; display it (or the explorer).
    fits : list of LossFit
        The current fits: BCE, weighted BCE, focal, α-balanced focal.
    """

    rates = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)

    def __init__(self, m: int = 1000, m_test: int = 20000, *, positive_rate: float = 0.05,
                 gamma: float = 2.0, seed: int = 0) -> None:
        import ipywidgets as widgets

        self.m = as_int("m", m, minimum=100)
        self.m_test = as_int("m_test", m_test, minimum=100)
        self.seed = as_int("seed", seed, minimum=0)
        rate = as_scalar("positive_rate", positive_rate)
        if rate not in self.rates:
            raise ValueError(f"positive_rate must be one of {self.rates}, got {positive_rate}")
        gamma = as_scalar("gamma", gamma, minimum=0.0, maximum=5.0)
        self._set_data(rate)
        self._gamma = gamma
        self.fits = [self._fit(loss) for loss in self._losses()]

        with plt.ioff():
            self.fig, (self.ax_fit, self.ax_bars) = plt.subplots(
                1, 2, figsize=(10, 4), width_ratios=(1.25, 1), layout="constrained")
        plot_fitted_probabilities(self.x, self.y, self.fits, ax=self.ax_fit)
        plot_minority_scores(self.fits, ax=self.ax_bars)
        self.ax_fit.set_xlim(*self._x_range)
        self._grid = np.linspace(*self._x_range, 300)
        self._redraw(range(4))

        self.rate_slider = widgets.SelectionSlider(
            options=[(f"{r:.0%}", r) for r in self.rates], value=rate,
            description="churn rate", continuous_update=False)
        self.gamma_slider = widgets.FloatSlider(
            value=gamma, min=0.0, max=5.0, step=0.5, description="focal γ",
            continuous_update=False)
        self.rate_slider.observe(self._on_rate, names="value")
        self.gamma_slider.observe(self._on_gamma, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.rate_slider, self.gamma_slider]),
                                    self.fig.canvas])

    # -- compute
    def _set_data(self, rate: float) -> None:
        self.x, self.y = make_imbalanced_churn(self.m, positive_rate=rate, seed=self.seed)
        self.x_test, self.y_test = make_imbalanced_churn(self.m_test, positive_rate=rate,
                                                         seed=self.seed + 1)
        self._x_range = (float(self.x_test.min()), float(self.x_test.max()))

    def _losses(self) -> list[LogitLoss]:
        return [BCE, WeightedBCE(balancing_pos_weight(self.y)), FocalLoss(self._gamma),
                FocalLoss(self._gamma, alpha=round(balancing_alpha(self.y), 4))]

    def _fit(self, loss: LogitLoss) -> LossFit:
        return fit_losses([loss], self.x, self.y, self.x_test, self.y_test)[0]

    # -- callbacks
    def _on_rate(self, change: dict) -> None:
        self._set_data(change["new"])
        self.fits = [self._fit(loss) for loss in self._losses()]
        is_pos = self.y > 0.5
        jit = _jitter(self.x.size)
        neg, pos = self.ax_fit.collections[:2]
        neg.set_offsets(np.column_stack([self.x[~is_pos], jit[~is_pos]]))
        pos.set_offsets(np.column_stack([self.x[is_pos], 1 + jit[is_pos]]))
        self._redraw(range(4))

    def _on_gamma(self, change: dict) -> None:
        self._gamma = change["new"]
        for k in (2, 3):
            self.fits[k] = self._fit(self._losses()[k])
        self._redraw([2, 3])

    def _redraw(self, which: Sequence[int]) -> None:
        for k in which:
            w, b = self.fits[k].params
            line = self.ax_fit.lines[k]
            line.set_data(self._grid, _sigmoid(w * self._grid + b))
            line.set_label(self.fits[k].loss.name)
        self.ax_fit.legend(fontsize="small", loc="center left")
        n = len(self.fits)
        for j, key in enumerate(("recall", "precision", "false_positive_rate")):
            bars = self.ax_bars.containers[j]
            for k in which:
                v = getattr(self.fits[k].metrics, key)
                height = 0.0 if v is None else v
                bars.patches[k].set_height(height)
                note = self.ax_bars.texts[j * n + k]  # bar_label's annotations, in bar order
                note.xy = (note.xy[0], height)
                note.set_text("n/a" if v is None else f"{v:.2f}")
        self.ax_bars.set_xticks(range(n), _wrap([f.loss.name for f in self.fits]), fontsize="small")
        self._title()
        self.fig.canvas.draw_idle()

    def _title(self) -> None:
        n_pos = int(self.y.sum())
        self.ax_fit.set_title(f"{n_pos} churners of {self.y.size} "
                              f"(pos_weight = {balancing_pos_weight(self.y):.3g})", fontsize="medium")
