"""The cost explorer: sliders for batch size, learning rate and λ over the landscape.

Taught in notebook 04. :class:`CostExplorer` draws, side by side, the objective's
contours with three optimisers' paths (full-batch gradient descent, the chosen
batch size, online learning) and the objective along each run; three sliders
change the batch size, the learning rate and λ, and the picture follows.

It is fast because each slider recomputes only what it changes:

* batch size -- one run (full batch and online do not depend on it);
* learning rate -- the three runs;
* λ -- the three runs, the minimum and the contours; the landscape for λ is the
  λ = 0 grid, computed once, plus ``λ/2·w²``.

Runs are cached, and the figure is never rebuilt: the paths and curves are
redrawn over a cached picture of everything else (:class:`_LayeredFigure`).
"""

from __future__ import annotations

import html
import io
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from traitlets import TraitError, observe, validate

from .. import plot
from .._kernels import objective_rows
from .._validation import as_int, as_scalar
from ..landscape import cost_grid, default_window, penalty_grid
from ..losses import LogitLoss
from ..model import check_data, check_loss, check_params
from ..optim.newton import minimise
from ..optim.sgd import LogisticProblem, run_sgd

__all__ = ["DIVERGENCE_THRESHOLD", "CostExplorer"]

#: The explorer stops a run, and reports it as diverged, once ``|w|`` or ``|b|``
#: passes this. With ``lr <= 100`` and λ = 0 a run can move at most about
#: ``2.5·lr`` per update, so no merely oscillating run of the explorer's budget
#: gets near it; with ``lr·λ > 2`` the weight grows geometrically and passes it
#: within a few dozen updates. (:func:`lossviz.train` stops only at
#: :data:`lossviz.OVERFLOW`.)
DIVERGENCE_THRESHOLD: float = 1e6


def _one_two_five(lo_exp: int, hi_exp: int) -> list[float]:
    """1, 2, 5 × 10^e for e in [lo_exp, hi_exp), then 10^hi_exp: log-like round numbers."""
    stops = [float(f"{d}e{e}") for e in range(lo_exp, hi_exp) for d in (1, 2, 5)]
    return [*stops, float(f"1e{hi_exp}")]


#: The course-style role of each of the explorer's three runs (lossviz.plot.COLOURS).
_ROLES = {"online": "online", "chosen": "mini_batch", "full": "full_batch"}


def _fmt(value: float) -> str:
    return f"{value:g}"


class _ValueSlider(widgets.SelectionSlider):
    """A slider over fixed, log-spaced stops that also takes any value in range.

    The handle moves over ``stops`` (so the track is log-like and every
    keyboard step is a visible change). A value set from Python or typed into
    the linked text box that is not a stop is added as an extra stop, so
    ``.value`` is always exactly the value asked for.
    """

    def __init__(
        self, stops: Sequence[Any], value: Any, *, cast: Callable[[Any], Any], lo: Any, hi: Any, **kwargs: Any
    ) -> None:
        self._stops = tuple(stops)
        self._cast, self._lo, self._hi = cast, lo, hi
        value = self._check(value)
        super().__init__(options=self._options_with(value), value=value, **kwargs)

    def _options_with(self, value: Any) -> list[tuple[str, Any]]:
        return [(_fmt(v), v) for v in sorted(set(self._stops) | {value})]

    def _check(self, value: Any) -> Any:
        try:
            v = self._cast(value)
        except (TypeError, ValueError):
            v = None
        if v is None or not self._lo <= v <= self._hi:
            raise TraitError(
                f"{self.description or 'value'} must be a number in "
                f"[{_fmt(self._lo)}, {_fmt(self._hi)}], got {value!r}"
            )
        return v

    @validate("value")
    def _validate_value(self, proposal: Any) -> Any:
        v = self._check(proposal.value)
        if v not in self._options_values:
            # Swap in the stops plus v without letting the base class reset the selection.
            self._initializing_traits_ = True
            try:
                self.options = self._options_with(v)
            finally:
                self._initializing_traits_ = False
        return v

    @observe("value")
    def _refresh_label(self, change: Any) -> None:
        # When the new value takes the old one's place among the options (an extra stop
        # replaced by another), the index does not change and the base class leaves
        # `label` stale; the browser computes its label from the index and is right.
        if change.new is None:
            return
        i = self._options_values.index(change.new)
        if self.index == i and self.label != self._options_labels[i]:
            self.set_trait("label", self._options_labels[i])


def _as_batch_size(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError
    f = float(value)
    if not f.is_integer():
        raise ValueError
    return int(f)


def _as_positive_float(value: Any) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError
    f = float(value)
    if not math.isfinite(f):
        raise ValueError
    return f


def _link(slider: _ValueSlider, text: widgets.ValueWidget) -> None:
    """Keep a slider and its text box showing the same value."""

    def to_text(change: Any) -> None:
        if text.value != change.new:
            text.value = change.new

    def to_slider(change: Any) -> None:
        if slider.value != change.new:
            with slider.hold_sync():
                slider.value = change.new

    slider.observe(to_text, "value")
    text.observe(to_slider, "value")


class _LayeredFigure(Figure):
    """A Figure drawn in three layers, each cached, so a draw repeats only what changed.

    ``fig.canvas.draw()`` normally redraws everything -- axes, ticks, labels,
    contours -- which takes tens of milliseconds. Here:

    * layer 0 is every artist not registered below (axes, ticks, labels,
      grid): drawn by a normal full draw, then cached;
    * layer 1 ("middle": e.g. the landscape) is drawn over that picture, and
      the result cached again;
    * layer 2 ("top": e.g. the paths and curves) is drawn over that on every draw.

    A change to a layer-0 artist marks the figure stale, as usual, and brings
    back a full draw. Artists of layers 1 and 2 are set ``animated``, so the
    full draw skips them and their changes do not mark the figure stale (and
    so do not make an interactive canvas redraw by itself: whoever changes
    them must ask the canvas to draw); a changed (stale) layer-1 artist drops
    the layer-1 cache only. Saving (``savefig``) draws everything, as usual.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._layers: tuple[list[Any], list[Any]] = ([], [])
        self._cache: list[Any] = [None, None]  # (key, region) after layer 0 and after layer 1

    def add_to_layer(self, artist: Any, layer: int, *, animated: bool = True) -> Any:
        """Draw ``artist`` (already on this figure) in ``layer`` 1 or 2, after those before it.

        ``animated=False`` draws it in layer 0 as well (e.g. spines redrawn over an image).
        """
        if layer not in (1, 2):
            raise ValueError(f"layer must be 1 or 2, got {layer!r}")
        if animated:
            artist.set_animated(True)
        self._layers[layer - 1].append(artist)
        return artist

    def draw(self, renderer: Any) -> None:
        if self.canvas.is_saving() or not hasattr(renderer, "copy_from_bbox"):
            self._cache = [None, None]
            super().draw(renderer)
            return
        key = (id(renderer), renderer.width, renderer.height, self.dpi)
        if self.stale or self._cache[0] is None or self._cache[0][0] != key:
            super().draw(renderer)  # animated artists are skipped here
            self._cache = [(key, renderer.copy_from_bbox(self.bbox)), None]
        middle_changed = any(artist.stale for artist in self._layers[0])
        if middle_changed or self._cache[1] is None or self._cache[1][0] != key:
            renderer.restore_region(self._cache[0][1])
            for artist in self._layers[0]:
                artist.draw(renderer)
                artist.stale = False  # an invisible artist's draw leaves it stale
            self._cache[1] = (key, renderer.copy_from_bbox(self.bbox))
        else:
            renderer.restore_region(self._cache[1][1])
        for artist in self._layers[1]:
            artist.draw(renderer)
        self.stale = False


def _is_widget_backend() -> bool:
    backend = str(matplotlib.get_backend()).lower()
    return "ipympl" in backend or backend in ("widget", "nbagg")


def _new_figure(figsize: tuple[float, float], dpi: float) -> _LayeredFigure:
    """A :class:`_LayeredFigure`: ipympl's canvas under ``%matplotlib widget``, else Agg."""
    if _is_widget_backend():
        import matplotlib.pyplot as plt

        with plt.ioff():
            fig = plt.figure(FigureClass=_LayeredFigure, figsize=figsize, dpi=dpi, layout="none")
        if isinstance(fig.canvas, widgets.DOMWidget):
            return cast(_LayeredFigure, fig)
        plt.close(fig)
    # layout="none": the layers are cached for one layout; a constrained layout (the course style's
    # default) would move the axes under them on every full redraw.
    fig = _LayeredFigure(figsize=figsize, dpi=dpi, layout="none")
    FigureCanvasAgg(fig)
    return fig


class _Run(NamedTuple):
    params: np.ndarray  # (n + 1, 2)
    costs: np.ndarray  # (n + 1,) objective at each point
    examples: np.ndarray  # (n + 1,) examples seen before each point
    diverged_at: int | None
    batch_size: int


class CostExplorer:
    """Sliders for batch size, learning rate and λ over the objective's landscape.

    Left: contours of the objective ``J(w, b) + λ/2·w²`` for the current λ, its
    minimum (a gold star; a hollow one marks the λ = 0 minimum when λ > 0), and
    the paths of three runs from the same start with the same learning rate
    and the same number of updates: full-batch gradient descent (black),
    the chosen batch size (red) and online learning (blue). Right: each run's
    objective above the minimum, ``J - J*``, on a log scale, against updates or
    against examples seen. The readout gives, for each run, the updates per
    epoch, the final objective and the distance to the minimum, or "diverged
    after k updates". Taught in notebook 04.

    Every run makes ``n_updates`` updates (so the paths are comparable on the
    landscape); full-batch gradient descent sees ``m`` samples per update and
    online learning one. A run whose parameters pass
    :data:`DIVERGENCE_THRESHOLD` stops and is reported as diverged; nothing is
    raised and no warning is printed.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
        The training set, e.g. :func:`lossviz.make_churn`.
    batch_size : int, default 32
        Initial batch size, ``1 <= batch_size <= m``.
    lr : float, default 0.5
        Initial learning rate, in ``[0.001, 100]``.
    lam : float, default 0.0
        Initial λ, in ``[0, 10]``.
    n_updates : int, default 200
        Updates per run, ``>= 1``.
    seed : int, default 0
        Seed of the batch order.
    params0 : (2,) array_like, default (0, 0)
        The start ``(w, b)``.
    grid_size : int, default 160
        The landscape is computed on ``grid_size × grid_size`` points, once.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.
    figsize : (float, float), default (9, 3.6)
        Figure size in inches.
    dpi : float, default 100

    Attributes
    ----------
    batch_size, lr, lam : ipywidgets slider
        The controls; set ``.value`` to move them from code. The figure's
        artists are updated before the assignment returns. Each has a linked
        text box (CSS classes ``lossviz-batch-size-text``, ``lossviz-lr-text``,
        ``lossviz-lam-text``) for typing any value in range.
    x_axis : ipywidgets.ToggleButtons
        Plot the objective against ``"updates"`` or ``"examples"`` seen.
    fig : matplotlib Figure
        The persistent figure (ipympl's canvas under ``%matplotlib widget``).
    readout : ipywidgets.HTML
        The numbers of the three runs.
    widget : ipywidgets.VBox
        The whole explorer; a notebook cell ending with the explorer shows it.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn()
    >>> explorer = lv.interactive.CostExplorer(x, y)
    >>> explorer.lr.value = 2.0       # the figure follows at once
    """

    LR_RANGE: tuple[float, float] = (1e-3, 1e2)
    LAM_RANGE: tuple[float, float] = (0.0, 10.0)

    def __init__(
        self,
        x: ArrayLike,
        y: ArrayLike,
        *,
        batch_size: int = 32,
        lr: float = 0.5,
        lam: float = 0.0,
        n_updates: int = 200,
        seed: int = 0,
        params0: ArrayLike = (0.0, 0.0),
        grid_size: int = 160,
        loss: LogitLoss | None = None,
        figsize: Sequence[float] = (9.0, 3.6),
        dpi: float = 100.0,
    ) -> None:
        self._x, self._y = check_data(x, y)
        m = self._m = self._x.size
        batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
        lr = as_scalar("lr", lr, minimum=self.LR_RANGE[0], maximum=self.LR_RANGE[1])
        lam = as_scalar("lam", lam, minimum=self.LAM_RANGE[0], maximum=self.LAM_RANGE[1])
        self._n_updates = as_int("n_updates", n_updates, minimum=1)
        self._seed = as_int("seed", seed, minimum=0)
        self._p0 = check_params(params0, "params0")
        grid_size = as_int("grid_size", grid_size, minimum=10)
        self._loss = check_loss(loss)
        if len(figsize) != 2:
            raise ValueError(f"figsize must be (width, height), got {figsize!r}")
        figsize = (
            as_scalar("figsize[0]", figsize[0], minimum=1.0),
            as_scalar("figsize[1]", figsize[1], minimum=1.0),
        )
        dpi = as_scalar("dpi", dpi, minimum=10.0)

        self._runs: OrderedDict[tuple, _Run] = OrderedDict()
        self._minima: dict[float, tuple[np.ndarray, float]] = {}
        try:  # the picture is drawn around the minimum: it must exist for every λ, 0 included
            self._minimum(0.0)
        except RuntimeError:
            raise ValueError(
                "x and y are separable: without regularisation the cost has no finite minimum "
                "to draw the landscape around; use data whose classes overlap"
            ) from None
        self._png_wanted = False

        # The landscape at λ = 0, once, over a window that holds the start and the minimum.
        self._minimum0 = self._minimum(0.0)[0]
        (w_lo, w_hi), (b_lo, b_hi) = default_window([self._p0, self._minimum0], margin=0.2)
        self._w = np.linspace(w_lo, w_hi, grid_size)
        self._b = np.linspace(b_lo, b_hi, grid_size)
        self._grid0 = cost_grid(self._x, self._y, self._w, self._b, 0.0, loss=self._loss)

        self._build_controls(batch_size, lr, lam)
        self._build_figure(figsize, dpi)
        self._set_lam(lam)
        self._update_runs(("full", "chosen", "online"))
        self._build_layout()

    # -- controls --------------------------------------------------------------------------

    def _build_controls(self, batch_size: int, lr: float, lam: float) -> None:
        m = self._m
        k_stops = sorted({2**j for j in range(int(math.log2(m)) + 1) if 2**j < m} | {m})
        style = {"description_width": "7em"}
        slider_layout = widgets.Layout(width="20em")
        text_layout = widgets.Layout(width="6.5em")
        self.batch_size = _ValueSlider(
            k_stops,
            batch_size,
            cast=_as_batch_size,
            lo=1,
            hi=m,
            description="batch size",
            readout=False,
            continuous_update=True,
            style=style,
            layout=slider_layout,
        )
        self.lr = _ValueSlider(
            _one_two_five(-3, 2),
            lr,
            cast=_as_positive_float,
            lo=self.LR_RANGE[0],
            hi=self.LR_RANGE[1],
            description="learning rate",
            readout=False,
            continuous_update=True,
            style=style,
            layout=slider_layout,
        )
        self.lam = _ValueSlider(
            [0.0, *_one_two_five(-4, 1)],
            lam,
            cast=_as_positive_float,
            lo=self.LAM_RANGE[0],
            hi=self.LAM_RANGE[1],
            description="λ",
            readout=False,
            continuous_update=True,
            style=style,
            layout=slider_layout,
        )
        self.batch_size_text = widgets.BoundedIntText(value=batch_size, min=1, max=m, layout=text_layout)
        self.lr_text = widgets.BoundedFloatText(
            value=lr, min=self.LR_RANGE[0], max=self.LR_RANGE[1], step=None, layout=text_layout
        )
        self.lam_text = widgets.BoundedFloatText(
            value=lam, min=self.LAM_RANGE[0], max=self.LAM_RANGE[1], step=None, layout=text_layout
        )
        for slider, text, css in (
            (self.batch_size, self.batch_size_text, "lossviz-batch-size"),
            (self.lr, self.lr_text, "lossviz-lr"),
            (self.lam, self.lam_text, "lossviz-lam"),
        ):
            slider.add_class(css)
            text.add_class(css + "-text")
            _link(slider, text)
        self.x_axis = widgets.ToggleButtons(
            options=[("updates", "updates"), ("examples", "examples")],
            value="updates",
            tooltips=["the objective against updates", "the objective against examples seen (log scale)"],
            style={"button_width": "6.5em"},
        )
        self.x_axis.add_class("lossviz-x-axis")
        self.readout = widgets.HTML()
        self.readout.add_class("lossviz-readout")

        self.batch_size.observe(lambda change: self._on_change(("chosen",)), "value")
        self.lr.observe(lambda change: self._on_change(("full", "chosen", "online")), "value")
        self.lam.observe(self._on_lam, "value")
        self.x_axis.observe(self._on_x_axis, "value")

    def _build_layout(self) -> None:
        rows = [
            widgets.HBox([s, t])
            for s, t in (
                (self.batch_size, self.batch_size_text),
                (self.lr, self.lr_text),
                (self.lam, self.lam_text),
            )
        ]
        # A label of its own: ToggleButtons put their description on a line above the buttons.
        x_label = widgets.HTML(
            "<div style='text-align:right; padding-right:8px'>x-axis</div>",
            layout=widgets.Layout(width="7em"),
        )
        rows.append(widgets.HBox([x_label, self.x_axis]))
        controls = widgets.VBox(rows, layout=widgets.Layout(flex="0 0 auto"))
        if isinstance(self.fig.canvas, widgets.DOMWidget):
            self._image = None
            picture = self.fig.canvas
        else:  # a static backend: show a PNG, refreshed on each change once displayed
            self._image = widgets.Image(format="png")
            picture = self._image
        top = widgets.HBox([controls, self.readout], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([top, picture])
        self.widget.add_class("lossviz-explorer")

    # -- figure ----------------------------------------------------------------------------

    def _build_figure(self, figsize: tuple[float, float], dpi: float) -> None:
        fig = self.fig = _new_figure(figsize, dpi)
        if isinstance(fig.canvas, widgets.DOMWidget):
            fig.canvas.header_visible = False
            fig.canvas.toolbar_position = "right"
        fig.subplots_adjust(left=0.08, right=0.985, bottom=0.14, top=0.9, wspace=0.3)
        self._ax_land = ax = fig.add_subplot(1, 2, 1)
        self._ax_cost = axc = fig.add_subplot(1, 2, 2)

        # Layer 1, redrawn when λ moves: the landscape, the minima, the start, the title.
        land = self._landscape = plot.cost_landscape_artists(
            self._w, self._b, self._grid0, minimum=self._minimum0, ax=ax, label="minimum", colorbar=False
        )
        (self._minimum0_marker,) = ax.plot(
            [self._minimum0[0]],
            [self._minimum0[1]],
            marker="*",
            markersize=12,
            markerfacecolor="none",
            markeredgecolor="0.25",
            linestyle="none",
            zorder=4,
            visible=False,
        )
        (start,) = ax.plot(
            [self._p0[0]],
            [self._p0[1]],
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor="k",
            linestyle="none",
            zorder=5,
        )
        self._title = ax.text(
            0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom", fontsize="medium"
        )
        for artist in (land.image, land.contours, self._minimum0_marker, land.minimum):
            fig.add_to_layer(artist, 1)
        for spine in ax.spines.values():  # the image covers half their width: redraw them
            fig.add_to_layer(spine, 1, animated=False)
        fig.add_to_layer(start, 1)
        fig.add_to_layer(self._title, 1)

        # Layer 2, redrawn on every change: the three runs' paths and curves.
        colours = {name: plot.COLOURS[role] for name, role in _ROLES.items()}
        styles = {name: plot.LINESTYLES[role] for name, role in _ROLES.items()}
        widths = {"online": 0.7, "chosen": 1.3, "full": 1.8}
        labels = {
            "full": f"full batch (B = m = {self._m})",
            "chosen": "chosen batch size B",
            "online": "online (B = 1)",
        }
        here = np.array([self._p0, self._p0])
        self._paths, self._curves = {}, {}
        for name in ("online", "chosen", "full"):  # drawn bottom to top
            alpha = 0.8 if name == "online" else 1.0
            (path,) = ax.plot(
                here[:, 0],
                here[:, 1],
                color=colours[name],
                linestyle=styles[name],
                linewidth=widths[name],
                alpha=alpha,
                zorder=3,
            )
            (curve,) = axc.plot(
                [0.0, 1.0],
                [1.0, 1.0],
                label=labels[name],
                color=colours[name],
                linestyle=styles[name],
                linewidth=widths[name],
                alpha=alpha,
                zorder=2,
            )
            self._paths[name] = fig.add_to_layer(path, 2)
            self._curves[name] = fig.add_to_layer(curve, 2)
        for marker in (start, self._minimum0_marker, land.minimum):  # keep them over the paths
            fig.add_to_layer(marker, 2, animated=False)
        # Layer 0 (the legend too: it costs more to draw than all the runs). The runs start
        # high on the left, so the lower left corner stays clear for it.
        axc.legend(
            handles=[self._curves[n] for n in ("full", "chosen", "online")],
            loc="lower left",
            fontsize="small",
            framealpha=0.9,
        )

        # One y-range for every λ: J(start) - J* only shrinks as λ grows (for a start with
        # w = 0), and the floor is far below what 200 updates reach at λ = 0.
        J_star0 = self._minimum(0.0)[1]
        J_start = float(objective_rows(self._p0[None, :], self._x, self._y, 0.0, self._loss)[0])
        span = max(J_start - J_star0, 1e-12)
        self._gap_floor = 1e-5 * span
        axc.set_ylim(self._gap_floor, 30 * span)
        axc.set_yscale("log")
        axc.set_ylabel("objective above its minimum, $J - J^*$")
        axc.grid(True, which="major", color="0.9", linewidth=0.6)
        axc.set_title("the objective along each run", fontsize="medium")
        self._set_x_axis("updates")

    def _set_x_axis(self, mode: str) -> None:
        axc = self._ax_cost
        n = self._n_updates
        if mode == "updates":
            axc.set_xscale("linear")
            axc.set_xlim(0, n)
            axc.set_xlabel("updates")
        else:
            axc.set_xscale("log")
            axc.set_xlim(1, n * self._m)
            axc.set_xlabel("examples seen (log scale)")

    def _minimum(self, lam: float) -> tuple[np.ndarray, float]:
        if lam not in self._minima:
            p = minimise(self._x, self._y, lam, loss=self._loss)
            J = float(objective_rows(p[None, :], self._x, self._y, lam, self._loss)[0])
            self._minima[lam] = (p, J)
        return self._minima[lam]

    def _set_lam(self, lam: float) -> None:
        """Everything that depends on λ alone: the landscape, its minimum, the title."""
        p_star, J_star = self._minimum(lam)
        grid = self._grid0 + penalty_grid(self._w, self._b.size, lam)
        self._landscape = plot.update_cost_landscape(
            self._landscape, self._w, self._b, grid, minimum=p_star, minimum_value=J_star
        )
        self._minimum0_marker.set_visible(lam > 0)
        # Plain text: mathtext would be parsed anew for every λ (about 8 ms).
        self._title.set_text(f"objective J + λw²/2 for λ = {_fmt(lam)}")

    # -- runs ------------------------------------------------------------------------------

    def _run(self, batch_size: int, lr: float, lam: float) -> _Run:
        key = (batch_size, lr, lam)
        run = self._runs.get(key)
        if run is not None:
            self._runs.move_to_end(key)
            return run
        problem = LogisticProblem(self._x, self._y, lam, loss=self._loss)
        with np.errstate(all="ignore"):
            runs = run_sgd(
                problem,
                self._p0,
                batch_size=batch_size,
                lr=lr,
                n_updates=self._n_updates,
                seeds=[self._seed],
                overflow=DIVERGENCE_THRESHOLD,
            )
            n = int(runs.n_updates[0])
            P, diverged_at, sizes = (
                runs.params[: n + 1, 0],
                int(runs.diverged_at[0]) or None,
                runs.batch_sizes(n),
            )
            costs = objective_rows(P, self._x, self._y, lam, self._loss)
        examples = np.concatenate([[0], np.cumsum(sizes)]).astype(float)
        run = self._runs[key] = _Run(P, costs, examples, diverged_at, batch_size)
        if len(self._runs) > 256:
            self._runs.popitem(last=False)
        return run

    def _settings(self) -> dict[str, int]:
        return {"full": self._m, "chosen": int(self.batch_size.value), "online": 1}

    def _update_runs(self, names: Sequence[str]) -> None:
        lr, lam = float(self.lr.value), float(self.lam.value)
        sizes = self._settings()
        self._current = {}
        for name, k in sizes.items():
            run = self._current[name] = self._run(k, lr, lam)
            if name in names:
                self._paths[name].set_data(run.params[:, 0], run.params[:, 1])
        self._draw_curves(names)
        self._update_readout()

    def _draw_curves(self, names: Sequence[str]) -> None:
        J_star = self._minimum(float(self.lam.value))[1]
        by_examples = self.x_axis.value == "examples"
        for name in names:
            run = self._current[name]
            gap = np.maximum(run.costs - J_star, self._gap_floor)
            if by_examples:  # the start (0 examples) has no place on a log axis
                self._curves[name].set_data(run.examples[1:], gap[1:])
            else:
                self._curves[name].set_data(np.arange(gap.size), gap)

    def _update_readout(self) -> None:
        lam = float(self.lam.value)
        p_star, J_star = self._minimum(lam)
        names = {"full": "full batch", "chosen": "chosen batch size", "online": "online"}
        cell = "padding:1px 8px; white-space:nowrap"
        num = cell + "; text-align:right"
        rows = []
        for name in ("full", "chosen", "online"):
            run = self._current[name]
            k = run.batch_size
            per_epoch = -(-self._m // k)
            head = (
                f"<td style='{cell}'>{names[name]}</td><td style='{num}'>{k}</td>"
                f"<td style='{num}'>{per_epoch}</td>"
            )
            if run.diverged_at is not None:
                body = (
                    f"<td colspan='2' style='{cell}; color:#b00'>diverged after "
                    f"{run.diverged_at} updates</td>"
                )
            else:
                dist = float(np.hypot(*(run.params[-1] - p_star)))
                body = f"<td style='{num}'>{run.costs[-1]:.5g}</td><td style='{num}'>{dist:.3g}</td>"
            rows.append(f"<tr>{head}{body}</tr>")
        header = "".join(
            f"<th style='{cell}; text-align:{align}'>{text}</th>"
            for text, align in (
                ("run", "left"),
                ("batch size", "right"),
                ("updates per epoch", "right"),
                ("objective", "right"),
                ("distance to minimum", "right"),
            )
        )
        table = (
            f"<table style='border-collapse:collapse; font-size:90%'><tr>{header}</tr>{''.join(rows)}</table>"
        )
        foot = (
            f"<div style='font-size:90%; padding:4px 8px'>each run: {self._n_updates} "
            f"updates from (w, b) = ({self._p0[0]:g}, {self._p0[1]:g}), learning rate "
            f"{html.escape(_fmt(float(self.lr.value)))}, λ = {html.escape(_fmt(lam))}<br>"
            f"minimum of the objective: J* = {J_star:.5g} at (w, b) = "
            f"({p_star[0]:.3f}, {p_star[1]:.3f})</div>"
        )
        self.readout.value = table + foot

    # -- callbacks -------------------------------------------------------------------------

    def _on_change(self, names: Sequence[str]) -> None:
        self._update_runs(names)
        self._request_draw()

    def _on_lam(self, change: Any) -> None:
        self._set_lam(float(change.new))
        self._update_runs(("full", "chosen", "online"))
        self._request_draw()

    def _on_x_axis(self, change: Any) -> None:
        self._set_x_axis(change.new)
        self._draw_curves(("full", "chosen", "online"))
        self._request_draw()

    def _request_draw(self) -> None:
        if isinstance(self.fig.canvas, widgets.DOMWidget):
            self.fig.canvas.draw_idle()
        elif self._png_wanted and self._image is not None:
            self._image.value = self._png()

    def _png(self) -> bytes:
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=self.fig.dpi)
        return buf.getvalue()

    # -- display ---------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        if self._image is not None and not self._png_wanted:
            self._png_wanted = True
            self._image.value = self._png()
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        return (
            f"CostExplorer(m={self._m}, batch_size={self.batch_size.value}, "
            f"lr={_fmt(float(self.lr.value))}, lam={_fmt(float(self.lam.value))}, "
            f"n_updates={self._n_updates})"
        )

    def close(self) -> None:
        """Close the figure and every widget of the explorer; it stops responding."""
        if isinstance(self.fig.canvas, widgets.DOMWidget):
            import matplotlib.pyplot as plt

            plt.close(self.fig)
        stack = [self.widget]
        while stack:
            w = stack.pop()
            stack.extend(c for c in getattr(w, "children", ()) if isinstance(c, widgets.Widget))
            w.close()
