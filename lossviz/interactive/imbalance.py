"""The imbalance explorer: sliders for the churn rate and the focal loss's γ (notebook 07).

An :class:`~lossviz.interactive._base.Explorer`: a persistent
:class:`~lossviz.interactive._canvas.LayeredCanvas` picture (the four fitted curves move in the
browser; the samples, the bars and their labels are the background, cached per setting), with
controls that refuse bad values. It needs no matplotlib backend (``%matplotlib inline`` and
``widget`` both work).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .. import plot
from .._kernels import sigmoid
from .._validation import as_int, as_scalar
from ..losses import BCE, FocalLoss, LogitLoss, WeightedBCE
from ..plot.imbalance import _bar_text, _jitter, _wrap
from ..topics.imbalance import (
    LossFit,
    balancing_alpha,
    balancing_pos_weight,
    fit_losses,
    make_imbalanced_churn,
)
from ._base import Explorer, fmt

__all__ = ["ImbalanceExplorer"]


def _as_number(value: Any) -> float:
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise ValueError
    return float(value)


class ImbalanceExplorer(Explorer):
    """Two sliders -- the churn rate and the focal loss's γ -- over a persistent picture.

    Left: the training samples and four fitted curves: BCE, weighted BCE with
    ``pos_weight = n₋/n₊``, focal loss with γ, and focal loss with γ and
    ``alpha = n₋/m`` (α-balanced). Right: each loss's minority recall,
    precision and false-positive rate on a held-out set with the same churn
    rate. Moving the churn-rate slider redraws the data and refits all four
    losses; moving γ refits only the two focal losses. Artists are updated in
    place; the picture is a :class:`~lossviz.interactive._canvas.LayeredCanvas` (no
    matplotlib backend needed). Taught in notebook 07.

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
    figsize : (float, float), default (9, 3.8)
        The picture's proportions (it takes the column's width, at most 900 px).
    present : bool, default False
        For projectors and Voilà: the picture takes the whole width of the page.

    Attributes
    ----------
    rate_slider, gamma_slider : StopSlider
        The controls (CSS classes ``lossviz-rate`` and ``lossviz-gamma``); a refused value
        (None, nan, a string, off the range) raises ``TraitError`` and changes nothing.
    fig : matplotlib Figure
    canvas : LayeredCanvas
    widget : ipywidgets.VBox
        The sliders and the picture; display it (or the explorer).
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
        figsize: Sequence[float] = (9.0, 3.8),
        present: bool = False,
    ) -> None:
        import ipywidgets as widgets

        self.m = as_int("m", m, minimum=100, maximum=10**6)
        self.m_test = as_int("m_test", m_test, minimum=100, maximum=10**6)
        self.seed = as_int("seed", seed, minimum=0)
        rate = as_scalar("positive_rate", positive_rate)
        if rate not in self.rates:
            raise ValueError(f"positive_rate must be one of {self.rates}, got {positive_rate}")
        gamma = as_scalar("gamma", gamma, minimum=0.0, maximum=5.0)
        if isinstance(figsize, (str, bytes)) or not isinstance(figsize, Sequence) or len(figsize) != 2:
            raise ValueError(f"figsize must be (width, height), got {figsize!r}")
        size = (
            as_scalar("figsize[0]", figsize[0], minimum=1.0, maximum=40.0),
            as_scalar("figsize[1]", figsize[1], minimum=1.0, maximum=40.0),
        )
        self._set_data(rate)
        self._gamma = gamma
        self.fits = [self._fit(loss) for loss in self._losses()]

        fig = Figure(figsize=size, dpi=100, layout="constrained")
        self.ax_fit, self.ax_bars = fig.subplots(1, 2, width_ratios=(0.85, 1))
        plot.fitted_probabilities(self.x, self.y, self.fits, ax=self.ax_fit)
        plot.minority_scores(self.fits, ax=self.ax_bars)
        self.ax_fit.set_xlim(*self._x_range)
        self._grid = np.linspace(*self._x_range, 300)
        self._update_artists(range(4))
        self._make_canvas(fig, present=present, layers={f"fit{k}": self.ax_fit.lines[k] for k in range(4)})
        self.canvas.redraw(cache_key=(rate, gamma))

        self.rate_slider = self._stop_slider(
            list(self.rates),
            rate,
            lo=min(self.rates),
            hi=max(self.rates),
            description="churn rate",
            cast=self._as_rate,
            label=lambda r: f"{float(r):.0%}",
            css="lossviz-rate",
        )
        self.gamma_slider = self._stop_slider(
            [g / 2 for g in range(11)],
            gamma,
            lo=0.0,
            hi=5.0,
            description="focal γ",
            label=fmt,
            css="lossviz-gamma",
        )
        self.rate_slider.observe(self.guarded(self._on_rate), names="value")
        self.gamma_slider.observe(self.guarded(self._on_gamma), names="value")
        self._update_readout()
        self._assemble([widgets.HBox([self.rate_slider, self.gamma_slider])])

    def _as_rate(self, value: Any) -> float:
        rate = _as_number(value)
        if rate not in self.rates:  # the data sets are made for these rates only
            raise ValueError
        return rate

    def _stop_slider(
        self,
        stops: list[float],
        value: float,
        *,
        lo: float,
        hi: float,
        description: str,
        label: Any,
        css: str,
        cast: Any = _as_number,
    ) -> Any:
        import ipywidgets as widgets

        from ._base import StopSlider

        slider = StopSlider(
            stops,
            value,
            cast=cast,
            lo=lo,
            hi=hi,
            label=label,
            description=description,
            continuous_update=True,
            style={"description_width": "6em"},
            layout=widgets.Layout(width="20em"),
        )
        slider.add_class(css)
        return slider

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
    def _on_rate(self, change: Any) -> None:
        self._set_data(float(change["new"]))
        self.fits = [self._fit(loss) for loss in self._losses()]
        is_pos = self.y > 0.5
        jit = _jitter(self.x.size)
        neg, pos = self.ax_fit.collections[:2]
        neg.set_offsets(np.column_stack([self.x[~is_pos], jit[~is_pos]]))
        pos.set_offsets(np.column_stack([self.x[is_pos], 1 + jit[is_pos]]))
        self._redraw(range(4))

    def _on_gamma(self, change: Any) -> None:
        self._gamma = float(change["new"])
        for k in (2, 3):
            self.fits[k] = self._fit(self._losses()[k])
        self._redraw([2, 3])

    def _update_artists(self, which: Sequence[int]) -> None:
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
                note.set_text(_bar_text(v))
        self.ax_bars.set_xticks(range(n), _wrap([f.loss.name for f in self.fits]), fontsize="small")
        self._title()

    def _redraw(self, which: Sequence[int]) -> None:
        self._update_artists(which)
        with self.canvas.hold_sync():
            for k in range(4):
                line = self.ax_fit.lines[k]
                self.canvas.set_data(f"fit{k}", line.get_xdata(), line.get_ydata())
            self.canvas.redraw(cache_key=(float(self.rate_slider.value), float(self.gamma_slider.value)))
        self._update_readout()

    def _update_readout(self) -> None:
        self.readout.value = (
            f"<div style='font-size:90%; padding:4px 8px'>{int(self.y.sum())} churners of {self.y.size} "
            f"training samples; held-out set: {self.m_test} samples at the same rate; focal γ = "
            f"{fmt(self._gamma)}</div>"
        )

    def _title(self) -> None:
        n_pos = int(self.y.sum())
        self.ax_fit.set_title(
            f"{n_pos} churners of {self.y.size} (pos_weight = {balancing_pos_weight(self.y):.3g})",
            fontsize="medium",
        )

    def __repr__(self) -> str:
        if self._closed:
            return "ImbalanceExplorer(closed)"
        return (
            f"ImbalanceExplorer(m={self.m}, positive_rate={fmt(float(self.rate_slider.value))}, "
            f"gamma={fmt(self._gamma)})"
        )
