"""The imbalance explorer: sliders for the churn rate and the focal loss's γ (notebook 07)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from .. import plot
from .._kernels import sigmoid
from .._validation import as_int, as_scalar
from ..losses import BCE, FocalLoss, LogitLoss, WeightedBCE
from ..plot.imbalance import _jitter, _wrap
from ..topics.imbalance import (
    LossFit,
    balancing_alpha,
    balancing_pos_weight,
    fit_losses,
    make_imbalanced_churn,
)

__all__ = ["ImbalanceExplorer"]


class ImbalanceExplorer:
    """Two sliders -- the churn rate and the focal loss's γ -- over a persistent figure.

    Left: the training samples and four fitted curves: BCE, weighted BCE with
    ``pos_weight = n₋/n₊``, focal loss with γ, and focal loss with γ and
    ``alpha = n₋/m`` (α-balanced). Right: each loss's minority recall,
    precision and false-positive rate on a held-out set with the same churn
    rate. Moving the churn-rate slider redraws the data and refits all four
    losses; moving γ refits only the two focal losses. Artists are updated in
    place. Needs the ipympl backend (``%matplotlib widget``). Taught in
    notebook 07.

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

    def __init__(
        self,
        m: int = 1000,
        m_test: int = 20000,
        *,
        positive_rate: float = 0.05,
        gamma: float = 2.0,
        seed: int = 0,
    ) -> None:
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
                1, 2, figsize=(10, 4), width_ratios=(1.25, 1), layout="constrained"
            )
        plot.fitted_probabilities(self.x, self.y, self.fits, ax=self.ax_fit)
        plot.minority_scores(self.fits, ax=self.ax_bars)
        self.ax_fit.set_xlim(*self._x_range)
        self._grid = np.linspace(*self._x_range, 300)
        self._redraw(range(4))

        self.rate_slider = widgets.SelectionSlider(
            options=[(f"{r:.0%}", r) for r in self.rates],
            value=rate,
            description="churn rate",
            continuous_update=False,
        )
        self.gamma_slider = widgets.FloatSlider(
            value=gamma, min=0.0, max=5.0, step=0.5, description="focal γ", continuous_update=False
        )
        self.rate_slider.observe(self._on_rate, names="value")
        self.gamma_slider.observe(self._on_gamma, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.rate_slider, self.gamma_slider]), self.fig.canvas])

    # -- compute
    def _set_data(self, rate: float) -> None:
        self.x, self.y = make_imbalanced_churn(self.m, positive_rate=rate, seed=self.seed)
        self.x_test, self.y_test = make_imbalanced_churn(self.m_test, positive_rate=rate, seed=self.seed + 1)
        self._x_range = (float(self.x_test.min()), float(self.x_test.max()))

    def _losses(self) -> list[LogitLoss]:
        return [
            BCE,
            WeightedBCE(balancing_pos_weight(self.y)),
            FocalLoss(self._gamma),
            FocalLoss(self._gamma, alpha=round(balancing_alpha(self.y), 4)),
        ]

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
            line.set_data(self._grid, sigmoid(w * self._grid + b))
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
        self.ax_fit.set_title(
            f"{n_pos} churners of {self.y.size} (pos_weight = {balancing_pos_weight(self.y):.3g})",
            fontsize="medium",
        )
