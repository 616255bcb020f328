"""The imbalance explorer: sliders for the churn rate and the focal loss's γ (notebook 07).

An :class:`~lossviz.interactive._base.Explorer`: a persistent
:class:`~lossviz.interactive._canvas.LayeredCanvas` picture (the four fitted curves move in the
browser; the samples, the bars and their labels are the background, cached per setting), with
controls that refuse bad values. Constrained layout runs again only when the figure's shape
changes (its size, or a label that wraps to another line); a change redraws the bars, the
title, the legend and the samples over the kept pixels of the rest; and after each change the
backgrounds of the neighbouring stops of both sliders are rendered while the kernel is idle, so
a step to one of them sends a cached picture. It needs no matplotlib backend (``%matplotlib inline`` and
``widget`` both work).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .. import plot
from .._kernels import sigmoid
from .._validation import as_int, as_scalar
from ..losses import BCE, FocalLoss, WeightedBCE
from ..plot.imbalance import _bar_text, _jitter, _wrap
from ..topics.imbalance import (
    LossFit,
    balancing_alpha,
    balancing_pos_weight,
    fit_losses,
    make_imbalanced_churn,
)
from ._base import Explorer, fmt
from ._canvas import running_loop

__all__ = ["ImbalanceExplorer"]

#: Seconds after a change before the neighbouring stops are prepared (the next change cancels it).
PREFETCH_DELAY = 0.02


def _layout_shape(fig: Any) -> tuple:
    """What constrained layout's result depends on, as far as the explorer changes it: the size,
    the resolution, and how many lines each title, axis label, tick label and legend text has (a
    longer loss name that wraps to another line needs more room; a digit more does not)."""
    lines: list[int] = []
    for ax in fig.axes:
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            texts.extend(legend.get_texts())
        lines.extend(t.get_text().count("\n") + 1 if t.get_text() else 0 for t in texts)
    return (tuple(np.round(fig.get_size_inches(), 6)), float(fig.dpi), len(fig.axes), tuple(lines))


class _LayoutOncePerShape(ConstrainedLayoutEngine):
    """Constrained layout, run again only when :func:`_layout_shape` changed (it takes about
    150 ms of each 350 ms redraw; a new γ or churn rate leaves it where it was)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shape: tuple | None = None
        self.runs = 0

    def due(self, fig: Any) -> bool:
        """Whether the next draw lays the figure out again."""
        return _layout_shape(fig) != self.shape

    def execute(self, fig: Any) -> None:
        shape = _layout_shape(fig)
        if shape == self.shape:
            return
        super().execute(fig)
        self.shape = shape
        self.runs += 1


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
        # per churn rate: the data and the two fits γ does not change; per (rate, γ): the focal fits
        self._by_rate: dict[float, tuple[Any, ...]] = {}
        self._focal: dict[tuple[float, float], list[LossFit]] = {}
        self._prefetch_generation = 0
        self.auto_prefetch = True
        self._set_data(rate)
        self._gamma = gamma
        self.fits = self._fits_for(rate, gamma)

        fig = Figure(figsize=size, dpi=100)
        self._layout = _LayoutOncePerShape()
        fig.set_layout_engine(self._layout)
        self._legend: Any = None
        self._legend_texts: dict[int, Any] = {}  # fit index -> its legend text
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
    def _data(self, rate: float) -> tuple[Any, ...]:
        """``(x, y, x_test, y_test, [BCE fit, weighted BCE fit])`` at ``rate``, made once."""
        if rate not in self._by_rate:
            x, y = make_imbalanced_churn(self.m, positive_rate=rate, seed=self.seed)
            x_test, y_test = make_imbalanced_churn(self.m_test, positive_rate=rate, seed=self.seed + 1)
            fits = fit_losses([BCE, WeightedBCE(balancing_pos_weight(y))], x, y, x_test, y_test)
            self._by_rate[rate] = (x, y, x_test, y_test, fits)
        return self._by_rate[rate]

    def _set_data(self, rate: float) -> None:
        self.x, self.y, self.x_test, self.y_test, _ = self._data(rate)
        self._x_range = (float(self.x_test.min()), float(self.x_test.max()))

    def _fits_for(self, rate: float, gamma: float) -> list[LossFit]:
        """The four fits at ``(rate, γ)``: BCE and weighted BCE from the rate, the focal pair made
        once per (rate, γ)."""
        x, y, x_test, y_test, plain = self._data(rate)
        if (rate, gamma) not in self._focal:
            losses = [FocalLoss(gamma), FocalLoss(gamma, alpha=round(balancing_alpha(y), 4))]
            self._focal[(rate, gamma)] = fit_losses(losses, x, y, x_test, y_test)
        return [*plain, *self._focal[(rate, gamma)]]

    # -- callbacks
    def _on_rate(self, change: Any) -> None:
        self._apply(float(change["new"]), self._gamma)
        self._redraw()

    def _on_gamma(self, change: Any) -> None:
        self._apply(float(self.rate_slider.value), float(change["new"]))
        self._redraw()

    def _apply(self, rate: float, gamma: float) -> None:
        """Set the data, the fits and every artist but the moving curves' layers to ``(rate, γ)``."""
        if self.x is not self._data(rate)[0]:
            self._set_data(rate)
            is_pos = self.y > 0.5
            jit = _jitter(self.x.size)
            neg, pos = self.ax_fit.collections[:2]
            neg.set_offsets(np.column_stack([self.x[~is_pos], jit[~is_pos]]))
            pos.set_offsets(np.column_stack([self.x[is_pos], 1 + jit[is_pos]]))
        self._gamma = gamma
        self.fits = self._fits_for(rate, gamma)
        self._update_artists(range(4))

    # -- prefetch: the backgrounds of the neighbouring stops, rendered while the learner looks
    def _neighbours(self) -> list[tuple[float, float]]:
        out = []
        rate, gamma = float(self.rate_slider.value), float(self.gamma_slider.value)
        for slider, which in ((self.gamma_slider, 1), (self.rate_slider, 0)):
            for v in slider.neighbours(1):
                state = [rate, gamma]
                state[which] = float(v)
                out.append((state[0], state[1]))
        return out

    def _prefetch_one(self, state: tuple[float, float]) -> bool:
        """Render the background at ``state`` into the canvas's cache (and make its fits); the
        artists are set back afterwards. Returns whether anything was rendered."""
        now = (float(self.rate_slider.value), float(self.gamma_slider.value))
        self._fits_for(*state)
        only = self._changing()
        if only is None:  # the layout is due: not over kept pixels (left for the change itself)
            return False
        self._apply(*state)
        try:
            if self._layout.due(self.fig):  # another line count: that change lays out again
                return False
            return self.canvas.prerender(cache_key=state, only=self._changing())
        finally:
            self._apply(*now)

    def prefetch(self) -> int:
        """Prepare the neighbouring stops of both sliders now; returns how many backgrounds were
        rendered. In a notebook this runs by itself after each change, one stop at a time on the
        kernel's event loop; scripts and tests call it directly."""
        return sum(self._prefetch_one(state) for state in self._neighbours())

    def _schedule_prefetch(self) -> None:
        self._prefetch_generation += 1
        loop = running_loop()
        if not self.auto_prefetch or loop is None:
            return
        generation = self._prefetch_generation
        plan = self._neighbours()

        def run_one(i: int) -> None:
            if generation != self._prefetch_generation or i >= len(plan) or self._closed:
                return
            try:
                self._prefetch_one(plan[i])
            except Exception as exc:  # shown, never lost; the explorer goes on without it
                self.canvas.error = f"prefetch: {type(exc).__name__}: {exc}"
                return
            loop.call_later(0.001, run_one, i + 1)  # let incoming messages through

        loop.call_later(PREFETCH_DELAY, run_one, 0)

    def _update_artists(self, which: Sequence[int]) -> None:
        for k in which:
            w, b = self.fits[k].params
            line = self.ax_fit.lines[k]
            line.set_data(self._grid, sigmoid(w * self._grid + b))
            line.set_label(self.fits[k].loss.name)
        if self._legend is None:  # made once, then relabelled: the same artist for redraw(only=...)
            self._legend = self.ax_fit.legend(fontsize="small", loc="center left")
            handles, _ = self.ax_fit.get_legend_handles_labels()
            texts = self._legend.get_texts()
            for k, line in enumerate(self.ax_fit.lines[:4]):
                if line in handles:
                    self._legend_texts[k] = texts[handles.index(line)]
        for k in which:
            if k in self._legend_texts:
                self._legend_texts[k].set_text(self.fits[k].loss.name)
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

    def _changing(self) -> list[Any] | None:
        """What a change of γ or of the churn rate redraws over the kept pixels of the rest: the
        bars panel, the fit panel's title, legend and samples, and the spines over them (the
        same list for both, as :meth:`LayeredCanvas.redraw` asks); None when the layout is due
        (then everything is drawn again)."""
        if self._layout.due(self.fig) or self._legend is None:
            return None
        ax = self.ax_fit
        return [self.ax_bars, ax.title, self._legend, *ax.collections[:2], *ax.spines.values()]

    def _redraw(self) -> None:
        """Show the state :meth:`_apply` set: the curves' layers, the background, the readout."""
        with self.canvas.hold_sync():
            for k in range(4):
                line = self.ax_fit.lines[k]
                self.canvas.set_data(f"fit{k}", line.get_xdata(), line.get_ydata())
            self.canvas.redraw(
                cache_key=(float(self.rate_slider.value), float(self.gamma_slider.value)),
                only=self._changing(),
            )
        self._update_readout()
        self._schedule_prefetch()

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
