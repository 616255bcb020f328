"""The cost explorer: batch size, learning rate, λ and the optimiser over the landscape.

Taught in notebook 04 (and the dashboard of ``make present``). :class:`CostExplorer` draws,
side by side, the objective's contours with three runs' paths (full-batch gradient descent, the
chosen batch size, online learning) and the objective along each run.

It is an :class:`~lossviz.interactive._base.Explorer` on a
:class:`~lossviz.interactive._canvas.LayeredCanvas` (issue 11):

* matplotlib draws what does not move -- the axes, ticks, labels, the legend -- into a PNG at
  the screen's pixel ratio, cached per y-range, x-axis and number of updates; the browser draws
  the paths, the curves and the markers from float32 buffers, and the landscape too: its
  colours and contour lines are computed here (matplotlib's colormap and bands) and sent once
  per λ, and the browser shades them under the axes' frame. The minima and the title are
  layers. So λ changes nothing in the background;
* after each change the runs for the neighbouring stops of batch size, learning rate and λ are
  computed in short slices on the kernel's event loop (messages get through between them),
  the stops ahead of the slider moved last first, and sent as frames: the browser switches to
  them without a kernel round trip (a λ frame refers to its landscape, sent once), and a version
  stamp makes a frame for other settings impossible to show;
* each change recomputes only what it changes (a batch-size change: one run), and every run is
  cached.
"""

from __future__ import annotations

import html
import math
import numbers
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.figure import Figure
from matplotlib.layout_engine import LayoutEngine
from numpy.typing import ArrayLike

from .. import plot
from .._kernels import objective_rows
from .._validation import _short, as_int, as_scalar
from ..landscape import cost_grid, default_window, largest_stable_lr, penalty_grid
from ..losses import LogitLoss
from ..model import check_data, check_loss, check_params
from ..optim.newton import minimise
from ..optim.rules import Adam, Momentum, Nesterov
from ..optim.sgd import SGD, LogisticProblem, run_sgd
from ._base import Explorer, fmt, log_stops
from ._canvas import running_loop

__all__ = ["DIVERGENCE_THRESHOLD", "CostExplorer"]

#: The explorer stops a run, and reports it as diverged, once ``|w|`` or ``|b|``
#: passes this. With ``lr <= 100`` and λ = 0 a run can move at most about
#: ``2.5·lr`` per update, so no merely oscillating run of the explorer's budget
#: gets near it; with ``lr·λ > 2`` the weight grows geometrically and passes it
#: within a few dozen updates. (:func:`lossviz.train` stops only at
#: :data:`lossviz.OVERFLOW`.)
DIVERGENCE_THRESHOLD: float = 1e6

#: The course-style role of each of the explorer's three runs (lossviz.plot.COLOURS).
_ROLES = {"online": "online", "chosen": "mini_batch", "full": "full_batch"}
_RUNS = ("full", "chosen", "online")
_OPTIMISERS = ("SGD", "Momentum", "Nesterov", "Adam")
#: Runs kept in the cache (a run of 200 updates is about 6 KB).
_RUN_CACHE = 4096
#: Prefetch: stops each side of the current one (nearest first, so a longer reach only uses idle
#: time: every change starts again from the new stop), and learning rates per slice.
PREFETCH_LR_RADIUS = 64
PREFETCH_BATCH_RADIUS = 32
#: λ stops each side: the whole slider. A λ frame is its runs and a reference to its landscape
#: (about 40 KB, sent once per λ and shaded in the browser); no background of its own. The runs
#: of several λ stops are one engine call (a λ per row), so the slider's 42 stops cost about a
#: tenth of a second of runs and 5 ms each for the landscape (tests/test_widgets.py checks
#: that those runs are the ones made alone).
PREFETCH_LAM_RADIUS = 48
#: λ stops whose runs are made in one engine call (for each of the three batch sizes).
_PREFETCH_LAMS_PER_SLICE = 8
_PREFETCH_LRS_PER_SLICE = 4
#: Batch sizes (one run each) prefetched after each slice of learning rates.
_PREFETCH_SIZES_PER_SLICE = 2
#: Seconds after a change before the prefetch starts (a drag's next change cancels it).
PREFETCH_DELAY = 0.01
#: Seconds a change from the browser waits for the next one (merged into one refresh).
COALESCE_SECONDS = 0.004


def _batch_stops(m: int) -> list[int]:
    """Every batch size a learner would try: 1-2-5 and powers of two (and 3×), up to and with m.

    Examples
    --------
    >>> _batch_stops(300)
    [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 50, 64, 96, 100, 128, 150, 192, 200, 256, 300]
    """
    stops = {m}
    k = 1
    while k <= m:
        stops |= {k, 3 * k} if 3 * k <= m else {k}
        k *= 2
    for e in range(int(math.log10(m)) + 1):
        stops |= {d * 10**e for d in (1, 2, 5) if d * 10**e <= m}
    if m >= 2:
        stops.add(m // 2)
    return sorted(s for s in stops if 1 <= s <= m)


def _ahead(slider: Any, radius: int, direction: int) -> list[Any]:
    """The stops within ``radius`` of a slider's current one, nearest first; at each distance the
    one in ``direction`` (+1 up, -1 down, 0 either: lower first) first.

    Examples
    --------
    >>> from lossviz.interactive._base import StopSlider
    >>> s = StopSlider([1, 2, 5, 10, 20], 5, cast=float, lo=1, hi=20)
    >>> _ahead(s, 2, 0), _ahead(s, 2, +1)
    ([2, 10, 1, 20], [10, 2, 20, 1])
    """
    near = slider.neighbours(radius)
    if direction <= 0:
        return near
    values = list(slider._options_values)
    i = slider.index
    return sorted(near, key=lambda v: (abs(values.index(v) - i), values.index(v) < i))


def _as_batch_size(value: Any) -> int:
    f = float(value)
    if not f.is_integer():
        raise ValueError
    return int(f)


def _as_float(value: Any) -> float:
    if not isinstance(value, numbers.Real):
        raise TypeError
    return float(value)


class _Param(widgets.FloatSlider):
    """A FloatSlider that refuses None, nan and values out of range instead of clamping them."""

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> Any:
        v = proposal.value
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise traitlets.TraitError(f"{self.description} must be a finite number, got {_short(v)}")
        if not self.min <= v <= self.max:
            raise traitlets.TraitError(
                f"{self.description} must be in [{fmt(self.min, 4)}, {fmt(self.max, 4)}], got {_short(v)}"
            )
        return float(v)


class _InchMargins(LayoutEngine):
    """Two panels side by side with margins fixed in inches, whatever the picture's width.

    The picture is rendered at its container's width, so margins given as fractions of the
    figure would cut the tick labels of a narrow picture; matplotlib's constrained layout
    keeps them, but costs about 0.3 s a draw. These margins fit the explorer's labels at the
    course's font sizes, times ``scale`` for larger text (the projector style's 1.4: at 0.5 in
    the x-axis labels of ``make present`` were cut at the bottom).

    Parameters
    ----------
    scale : float, default 1.0
        The margins' factor, ≥ 1 (:func:`_font_scale`).
    """

    _adjust_compatible = True
    _colorbar_gridspec = False
    LEFT, RIGHT, BOTTOM, TOP, GAP = 0.72, 0.2, 0.5, 0.32, 1.0  # inches

    def __init__(self, scale: float = 1.0) -> None:
        super().__init__()
        self.scale = max(1.0, float(scale))

    def execute(self, fig: Any) -> None:
        w, h = fig.get_size_inches()
        k = self.scale
        left, right = k * self.LEFT / w, 1 - k * self.RIGHT / w
        bottom, top = k * self.BOTTOM / h, 1 - k * self.TOP / h
        if right <= left or top <= bottom:
            return
        gap = k * self.GAP / ((w - 1.6 * k) / 2)
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=gap)


def _font_scale() -> float:
    """How much larger the tick labels, axis labels and titles are now than at the course's
    sizes (:data:`lossviz.plot.style.FONT_SIZES`), at least 1."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    from ..plot.style import FONT_SIZES

    sizes = {
        "xtick.labelsize": rcParams["xtick.labelsize"],
        "ytick.labelsize": rcParams["ytick.labelsize"],
        "axes.labelsize": rcParams["axes.labelsize"],
        "axes.titlesize": rcParams["axes.titlesize"],
    }
    return max(1.0, *(FontProperties(size=v).get_size_in_points() / FONT_SIZES[k] for k, v in sizes.items()))


class _PerRunPenalty:
    """An update rule with a λ per run: ``rule``'s step on the gradient of ``J + lams[r]/2·w²``.

    For runs of the λ = 0 problem. The engine hands a step only the rows of runs still going,
    with those rows of the state, so each run's λ is carried in the state (as
    :class:`~lossviz.optim.Momentum` carries its β). The penalty's gradient is added as
    :class:`~lossviz.optim.LogisticProblem` adds it, so run ``r`` follows exactly the path of
    a run made alone with ``lam=lams[r]`` (tests/test_widgets.py checks it bit for bit).

    Parameters
    ----------
    rule : UpdateRule
    lams : (R,) ndarray of float, each ≥ 0
    """

    def __init__(self, rule: Any, lams: np.ndarray) -> None:
        self.rule = rule
        self.lams = np.asarray(lams, dtype=float)

    def init_state(self, params: np.ndarray) -> dict[str, np.ndarray]:
        """``rule``'s state and ``"_lam"`` ``(R,)``."""
        state = self.rule.init_state(params)
        state["_lam"] = self.lams.copy()
        return state

    def step(
        self, params: np.ndarray, grads: np.ndarray, lr: np.ndarray, state: dict[str, np.ndarray], t: int
    ) -> np.ndarray:
        """``rule``'s step with each row's penalty gradient ``(λ_r·w, 0)`` added to ``grads``."""
        grads[:, 0] += state["_lam"] * params[:, 0]
        return self.rule.step(params, grads, lr, state, t)

    def __repr__(self) -> str:
        return f"_PerRunPenalty({self.rule!r}, lams={self.lams.size})"


class _Run(NamedTuple):
    params: np.ndarray  # (n + 1, 2)
    costs: np.ndarray  # (n + 1,) objective at each point
    examples: np.ndarray  # (n + 1,) examples seen before each point
    diverged_at: int | None
    batch_size: int


class CostExplorer(Explorer):
    """Batch size, learning rate, λ and the optimiser over the objective's landscape.

    Left: contours of the objective ``J(w, b) + λ/2·w²`` for the current λ, its minimum (a gold
    star; a hollow one marks the λ = 0 minimum when λ > 0), the start (a white dot: click or
    drag on the landscape to move it) and the paths of three runs from it with the same
    optimiser, learning rate and number of updates: full-batch gradient descent (black), the
    chosen batch size (red) and online learning (blue). Right: each run's objective above the
    minimum, ``J - J*``, on a log scale, against updates or examples seen; the y-axis grows
    with the data (an oscillating run at lr = 100 stays in view). The readout gives, for each
    run, the updates per epoch, the final objective and the distance to the minimum, or
    "diverged after k updates", and names the stability limit 2/λ_max, which is also marked
    under the learning-rate slider.

    A run whose parameters pass :data:`DIVERGENCE_THRESHOLD` stops and is reported as diverged;
    nothing is raised and no warning is printed.

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
        Updates per run, in ``[1, 5000]``.
    seed : int, default 0
        Seed of the batch order (the reseed button adds 1).
    params0 : (2,) array_like, default (0, 0)
        The start ``(w, b)``.
    grid_size : int, default 160
        The landscape is computed on ``grid_size × grid_size`` points, once.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.
    figsize : (float, float), default (9, 3.6)
        The picture's proportions and its text size: it is drawn at the width of its container
        (at most 900 CSS px in a notebook), ``figsize[0]`` inches wide at ``dpi``; fonts keep
        their size in points.
    dpi : float, default 100
    optimizer : SGD, Momentum, Nesterov or Adam, optional
        The first optimiser (:class:`lossviz.SGD` when omitted); the optimiser control changes it.
    present : bool, default False
        For projectors and Voilà: the picture takes the whole width of the page.

    Attributes
    ----------
    batch_size, lr, lam : StopSlider
        The controls; set ``.value`` to move them from code (any value in range, not only a
        stop). The picture is updated before the assignment returns. Each has a linked text box
        (``batch_size_text``, ``lr_text``, ``lam_text``; CSS classes ``lossviz-batch-size-text``,
        ``lossviz-lr-text``, ``lossviz-lam-text``). A refused value (None, nan, a string, out of
        range) raises ``TraitError`` and changes nothing; in a text box it is named under the
        picture and the box shows the slider's value again.
    optimizer : ipywidgets.Dropdown
        ``"SGD"``, ``"Momentum"``, ``"Nesterov"`` or ``"Adam"``; ``beta`` (β, Adam's β₁),
        ``beta2`` and ``eps`` are their parameters (shown when they apply).
    update : ipywidgets.IntSlider
        How many updates of each run are drawn (``play`` animates it; ``step_button`` adds 1).
    updates_per_run : ipywidgets.Dropdown
        The number of updates of every run.
    reseed_button, reset_button : ipywidgets.Button
        Another batch order; every setting back to how the explorer started.
    x_axis : ipywidgets.ToggleButtons
        Plot the objective against ``"updates"`` or ``"examples"`` seen.
    canvas : LayeredCanvas
        The picture; ``fig`` is its matplotlib figure.
    readout : ipywidgets.HTML
        The numbers of the three runs.
    widget : ipywidgets.VBox
        The whole explorer; a notebook cell ending with the explorer shows it (and a PNG of it
        for static renderers).

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn()
    >>> explorer = lv.interactive.CostExplorer(x, y)
    >>> explorer.lr.value = 2.0       # the picture follows at once
    >>> explorer.close()
    """

    LR_RANGE: tuple[float, float] = (1e-3, 1e2)
    LAM_RANGE: tuple[float, float] = (0.0, 10.0)
    MAX_UPDATES = 5000

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
        optimizer: Any = None,
        present: bool = False,
    ) -> None:
        self._x, self._y = check_data(x, y)
        m = self._m = self._x.size
        batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
        lr = as_scalar("lr", lr, minimum=self.LR_RANGE[0], maximum=self.LR_RANGE[1])
        lam = as_scalar("lam", lam, minimum=self.LAM_RANGE[0], maximum=self.LAM_RANGE[1])
        self._n_updates = as_int("n_updates", n_updates, minimum=1, maximum=self.MAX_UPDATES)
        self._seed = as_int("seed", seed, minimum=0)
        self._p0 = check_params(params0, "params0")
        grid_size = as_int("grid_size", grid_size, minimum=10, maximum=1000)
        self._loss = check_loss(loss)
        if isinstance(figsize, (str, bytes)) or not isinstance(figsize, Sequence) or len(figsize) != 2:
            raise ValueError(f"figsize must be (width, height), got {_short(figsize)}")
        figsize = (
            as_scalar("figsize[0]", figsize[0], minimum=1.0, maximum=40.0),
            as_scalar("figsize[1]", figsize[1], minimum=1.0, maximum=40.0),
        )
        dpi = as_scalar("dpi", dpi, minimum=10.0, maximum=600.0)
        rule = SGD() if optimizer is None else optimizer
        if not isinstance(rule, (SGD, Momentum, Nesterov, Adam)):
            raise TypeError(
                "optimizer must be lossviz.SGD(), Momentum(beta), Nesterov(beta) or Adam(...), "
                f"got {_short(optimizer)}"
            )
        if not isinstance(present, (bool, np.bool_)):
            raise TypeError(f"present must be True or False, got {_short(present)}")
        self._initial: dict[str, Any] = {
            "batch_size": batch_size,
            "lr": lr,
            "lam": lam,
            "n_updates": self._n_updates,
            "seed": self._seed,
            "params0": self._p0.copy(),
            "optimizer": rule,
        }

        self._runs: OrderedDict[tuple, _Run] = OrderedDict()
        self._minima: dict[float, tuple[np.ndarray, float]] = {}
        self._problems: dict[float, LogisticProblem] = {}
        self._stable: dict[float, float] = {}
        try:  # the picture is drawn around the minimum: it must exist for every λ, 0 included
            self._minimum(0.0)
        except RuntimeError:
            raise ValueError(
                "x and y are separable: without regularisation the cost has no finite minimum "
                "to draw the landscape around; use data whose classes overlap"
            ) from None

        # The landscape at λ = 0, once, over a window that holds the start and the minimum.
        self._minimum0 = self._minimum(0.0)[0]
        (w_lo, w_hi), (b_lo, b_hi) = default_window([self._p0, self._minimum0], margin=0.2)
        self._w = np.linspace(w_lo, w_hi, grid_size)
        self._b = np.linspace(b_lo, b_hi, grid_size)
        self._grid0 = cost_grid(self._x, self._y, self._w, self._b, 0.0, loss=self._loss)

        self._suspended = False
        self._pending: dict[str, Any] = {}
        self._prefetch_generation = 0
        self._plan_at: tuple[int, ...] | None = None  # the sliders' indices at the last plan
        self._moving: tuple[str, int] | None = None  # the slider moved last and its direction
        self.auto_prefetch = True
        self._current: dict[str, _Run] = {}
        self._ytop = 0.0
        self._lam_refs: dict[float, tuple[str, str]] = {}
        self._shadings: OrderedDict[float, tuple[Any, Any, Any]] = OrderedDict()
        self._build_controls(batch_size, lr, lam, rule)
        fig = self._build_figure(figsize, dpi)
        self._make_canvas(
            fig,
            present=bool(present),
            layers=self._layer_artists,
            frame_keys=[self.batch_size, self.lr, self.lam],
            frame_context=[
                self.update,
                self.x_axis,
                self.optimizer,
                self.beta,
                self.beta2,
                self.eps,
                self.updates_per_run,
            ],
        )
        self._set_lam(lam)
        self._refresh(_RUNS, background=True)
        self._build_layout()
        self.canvas.on_pointer(self._on_pointer, ax=self._ax_land, moves="start")

    # -- controls --------------------------------------------------------------------------

    def _build_controls(self, batch_size: int, lr: float, lam: float, rule: Any) -> None:
        m = self._m
        stable0 = self._stable_lr(0.0)
        lr_stops = log_stops(*self.LR_RANGE, 12)
        if self.LR_RANGE[0] <= stable0 <= self.LR_RANGE[1]:
            lr_stops = sorted(set(lr_stops) | {float(fmt(stable0))})
        lam_stops = [0.0, *log_stops(1e-4, self.LAM_RANGE[1], 8)]
        self.batch_size, self.batch_size_text = self._slider(
            _batch_stops(m),
            batch_size,
            cast=_as_batch_size,
            lo=1,
            hi=m,
            description="batch size",
            css="lossviz-batch-size",
            integer=True,
        )
        self.lr, self.lr_text = self._slider(
            lr_stops,
            lr,
            cast=_as_float,
            lo=self.LR_RANGE[0],
            hi=self.LR_RANGE[1],
            description="learning rate",
            css="lossviz-lr",
        )
        self.lam, self.lam_text = self._slider(
            lam_stops,
            lam,
            cast=_as_float,
            lo=self.LAM_RANGE[0],
            hi=self.LAM_RANGE[1],
            description="λ",
            css="lossviz-lam",
        )
        self.lr_mark = widgets.HTML(layout=widgets.Layout(width="20em", margin="-6px 0 0 0"))
        self.lr_mark.add_class("lossviz-lr-mark")

        name = type(rule).__name__
        self.optimizer = widgets.Dropdown(
            options=list(_OPTIMISERS),
            value=name,
            description="optimiser",
            style={"description_width": "7em"},
            layout=widgets.Layout(width="16em"),
        )
        self.optimizer.add_class("lossviz-optimizer")
        beta = float(getattr(rule, "beta", getattr(rule, "beta1", 0.9)))
        self.beta = _Param(
            value=beta,
            min=0.0,
            max=0.99,
            step=0.01,
            description="β" if name != "Adam" else "β₁",
            continuous_update=True,
            style={"description_width": "3em"},
            layout=widgets.Layout(width="16em"),
        )
        self.beta2 = _Param(
            value=float(getattr(rule, "beta2", 0.999)),
            min=0.9,
            max=0.9999,
            step=0.0001,
            readout_format=".4f",
            description="β₂",
            continuous_update=True,
            style={"description_width": "3em"},
            layout=widgets.Layout(width="16em"),
        )
        self.eps = widgets.FloatLogSlider(
            value=float(getattr(rule, "eps", 1e-8)),
            base=10,
            min=-10,
            max=-1,
            step=1,
            readout_format=".0e",
            description="ε",
            continuous_update=True,
            style={"description_width": "3em"},
            layout=widgets.Layout(width="16em"),
        )
        for w, css in ((self.beta, "lossviz-beta"), (self.beta2, "lossviz-beta2"), (self.eps, "lossviz-eps")):
            w.add_class(css)

        n = self._n_updates
        self.update = widgets.IntSlider(
            value=n,
            min=0,
            max=n,
            description="updates shown",
            continuous_update=True,
            style={"description_width": "7em"},
            layout=widgets.Layout(width="20em"),
        )
        self.update.add_class("lossviz-update")
        self.play = widgets.Play(
            value=n, min=0, max=n, step=max(1, n // 100), interval=40, description="play"
        )
        self.play.add_class("lossviz-play")
        widgets.jslink((self.play, "value"), (self.update, "value"))
        self.step_button = widgets.Button(
            description="step", tooltip="one more update", layout=widgets.Layout(width="5em")
        )
        self.step_button.add_class("lossviz-step")
        self.updates_per_run = widgets.Dropdown(
            options=sorted({10, 20, 50, 100, 200, 500, 1000, 2000, n}),
            value=n,
            description="updates per run",
            style={"description_width": "7em"},
            layout=widgets.Layout(width="14em"),
        )
        self.updates_per_run.add_class("lossviz-n-updates")
        self.reseed_button = widgets.Button(
            description="reseed", tooltip="another batch order", layout=widgets.Layout(width="6em")
        )
        self.reseed_button.add_class("lossviz-reseed")
        self.reset_button = widgets.Button(
            description="reset", tooltip="every setting as it started", layout=widgets.Layout(width="6em")
        )
        self.reset_button.add_class("lossviz-reset")
        self.x_axis = widgets.ToggleButtons(
            options=[("updates", "updates"), ("examples", "examples")],
            value="updates",
            tooltips=["the objective against updates", "the objective against examples seen (log scale)"],
            style={"button_width": "6.5em"},
        )
        self.x_axis.add_class("lossviz-x-axis")
        self._show_optimizer_params(name)

    def _wire(self) -> None:
        g = self.guarded
        self.batch_size.observe(g(lambda change: self._changed(("chosen",), source=self.batch_size)), "value")
        self.lr.observe(g(lambda change: self._changed(_RUNS, source=self.lr)), "value")
        self.lam.observe(g(self._on_lam), "value")
        self.x_axis.observe(g(lambda change: self._changed(_RUNS, background=True)), "value")
        self.update.observe(g(lambda change: self._changed(_RUNS, prefetch=False)), "value")
        self.optimizer.observe(g(self._on_optimizer), "value")
        for w in (self.beta, self.beta2, self.eps):
            w.observe(g(lambda change: self._changed(_RUNS)), "value")
        self.updates_per_run.observe(g(self._on_n_updates), "value")
        self.play.observe(g(self._on_play_stopped), "playing")
        self.step_button.on_click(g(lambda button: self.step()))
        self.reseed_button.on_click(g(lambda button: self.reseed()))
        self.reset_button.on_click(g(lambda button: self.reset()))

    def _build_layout(self) -> None:
        rows: list[widgets.Widget] = [
            widgets.HBox([self.batch_size, self.batch_size_text]),
            widgets.HBox([self.lr, self.lr_text]),
            self.lr_mark,
            widgets.HBox([self.lam, self.lam_text]),
            widgets.HBox([self.update, self.play, self.step_button]),
        ]
        x_label = widgets.HTML(
            "<div style='text-align:right; padding-right:8px'>x-axis</div>",
            layout=widgets.Layout(width="7em"),
        )
        rows.append(widgets.HBox([x_label, self.x_axis]))
        optimiser = widgets.VBox(
            [
                self.optimizer,
                self.beta,
                self.beta2,
                self.eps,
                self.updates_per_run,
                widgets.HBox([self.reseed_button, self.reset_button]),
            ],
            layout=widgets.Layout(flex="0 0 auto", margin="0 0 0 12px"),
        )
        self._assemble(
            [widgets.HBox([widgets.VBox(rows), optimiser], layout=widgets.Layout(flex_flow="row wrap"))]
        )
        self._wire()

    def _show_optimizer_params(self, name: str) -> None:
        self.beta.layout.display = "none" if name == "SGD" else None
        self.beta.description = "β₁" if name == "Adam" else "β"
        for w in (self.beta2, self.eps):
            w.layout.display = None if name == "Adam" else "none"

    def _rule(self) -> Any:
        name = self.optimizer.value
        if name == "SGD":
            return SGD()
        if name == "Momentum":
            return Momentum(float(self.beta.value))
        if name == "Nesterov":
            return Nesterov(float(self.beta.value))
        return Adam(float(self.beta.value), float(self.beta2.value), float(self.eps.value))

    # -- figure ----------------------------------------------------------------------------

    def _build_figure(self, figsize: tuple[float, float], dpi: float) -> Figure:
        fig = Figure(figsize=figsize, dpi=dpi)
        fig.set_layout_engine(_InchMargins(_font_scale()))
        self._ax_land = ax = fig.add_subplot(1, 2, 1)
        self._ax_cost = axc = fig.add_subplot(1, 2, 2)
        land = self._landscape = plot.cost_landscape_artists(
            self._w, self._b, self._grid0, minimum=self._minimum0, ax=ax, label="minimum", colorbar=False
        )
        (self._minimum0_marker,) = ax.plot(
            [],
            [],
            marker="*",
            markersize=12,
            markerfacecolor="none",
            markeredgecolor="0.25",
            linestyle="none",
            zorder=4,
        )
        # The title changes with λ: a text layer (the browser draws it), where a title would be.
        self._title = ax.text(
            0.5,
            1.0 + 6.0 / 72 / max(ax.get_position().height * fig.get_size_inches()[1], 1e-3),
            "",
            transform=ax.transAxes,
            ha="center",
            va="baseline",
            fontsize="medium",
        )
        colours = {name: plot.COLOURS[role] for name, role in _ROLES.items()}
        styles = {name: plot.LINESTYLES[role] for name, role in _ROLES.items()}
        widths = {"online": 0.7, "chosen": 1.3, "full": 1.8}
        labels = {
            "full": f"full batch (B = m = {self._m})",
            "chosen": "chosen batch size B",
            "online": "online (B = 1)",
        }
        here = np.array([self._p0, self._p0])
        layers: dict[str, Any] = {}
        self._paths, self._curves, self._heads = {}, {}, {}
        for name in ("online", "chosen", "full"):  # drawn bottom to top
            alpha = 0.8 if name == "online" else 1.0
            style: dict[str, Any] = {
                "color": colours[name],
                "linestyle": styles[name],
                "linewidth": widths[name],
                "alpha": alpha,
            }
            (path,) = ax.plot(here[:, 0], here[:, 1], zorder=3, **style)
            (curve,) = axc.plot([0.0, 1.0], [1.0, 1.0], label=labels[name], zorder=2, **style)
            (head,) = ax.plot(
                here[:1, 0],
                here[:1, 1],
                marker="o",
                markersize=4.5,
                markerfacecolor=colours[name],
                markeredgecolor="white",
                markeredgewidth=0.6,
                linestyle="none",
                zorder=3.5,
            )
            self._paths[name], self._curves[name], self._heads[name] = path, curve, head
            layers[f"path_{name}"], layers[f"curve_{name}"], layers[f"head_{name}"] = path, curve, head
        (self._start,) = ax.plot(
            [self._p0[0]],
            [self._p0[1]],
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor="k",
            linestyle="none",
            zorder=5,
        )
        layers["start"] = self._start
        # What λ changes: the landscape (shaded and outlined in the browser, under the axes'
        # frame), its minimum, the λ = 0 minimum beside it, the title
        layers["landscape"], layers["contours"] = land.image, land.contours
        if land.minimum is not None:
            layers["minimum"] = land.minimum
        layers["minimum0"], layers["title"] = self._minimum0_marker, self._title
        self._note = axc.text(
            0.98, 0.97, "", transform=axc.transAxes, ha="right", va="top", fontsize="small", color="#b00020"
        )
        layers["note"] = self._note
        if land.minimum is not None:
            land.minimum.set_zorder(4.5)
        self._layer_artists = layers
        axc.legend(
            handles=[self._curves[n] for n in _RUNS], loc="lower left", fontsize="small", framealpha=0.9
        )
        J_star0 = self._minimum(0.0)[1]
        J_start = float(objective_rows(self._p0[None, :], self._x, self._y, 0.0, self._loss)[0])
        self._span = max(J_start - J_star0, 1e-12)
        self._gap_floor = 1e-5 * self._span
        axc.set_yscale("log")
        axc.set_ylabel("$J - J^*$")
        axc.grid(True, which="major", color="0.9", linewidth=0.6)
        axc.set_title("objective above its minimum, $J - J^*$", fontsize="medium")
        return fig

    def _set_x_axis(self) -> None:
        axc = self._ax_cost
        n = self._n_updates
        if self.x_axis.value == "updates":
            axc.set_xscale("linear")
            axc.set_xlim(0, n)
            axc.set_xlabel("updates")
        else:
            axc.set_xscale("log")
            axc.set_xlim(1, n * self._m)
            axc.set_xlabel("examples seen (log scale)")

    def _y_top(self, runs: Sequence[_Run], J_star: float) -> float:
        """The y-axis' top for these runs: ``30·(J(start) - J*)`` times the smallest power of 1000
        that holds their highest point three times over (at most 1000³; diverged runs shoot off
        the top and are named on the picture). Few values: a new one means a new background."""
        base = 30 * self._span
        high = max((float(np.max(r.costs)) - J_star for r in runs if r.diverged_at is None), default=0.0)
        top = base
        for _ in range(3):
            if 3 * high <= top:
                break
            top *= 1000.0
        return top

    def _minimum(self, lam: float) -> tuple[np.ndarray, float]:
        if lam not in self._minima:
            p = minimise(self._x, self._y, lam, loss=self._loss)
            J = float(objective_rows(p[None, :], self._x, self._y, lam, self._loss)[0])
            self._minima[lam] = (p, J)
        return self._minima[lam]

    def _stable_lr(self, lam: float) -> float:
        if lam not in self._stable:
            self._stable[lam] = largest_stable_lr(
                self._minimum(lam)[0], self._x, self._y, lam, loss=self._loss
            )
        return self._stable[lam]

    @property
    def stable_lr(self) -> float:
        """``2/λ_max`` at the current λ: above it full-batch descent oscillates with a growing amplitude."""
        return self._stable_lr(float(self.lam.value))

    def _shading(self, lam: float) -> tuple[Any, Any, Any]:
        """The landscape's values, band norm and contour lines at ``lam`` (the last two kept)."""
        if lam in self._shadings:
            self._shadings.move_to_end(lam)
        else:
            J_star = self._minimum(lam)[1]
            grid = self._grid0 + penalty_grid(self._w, self._b.size, lam)
            self._shadings[lam] = plot.cost_landscape_shading(self._w, self._b, grid, minimum_value=J_star)
            while len(self._shadings) > 2:
                del self._shadings[next(iter(self._shadings))]
        return self._shadings[lam]

    def _lam_layers(self, lam: float) -> dict[str, Any]:
        """The data of the layers λ changes, at ``lam``: the landscape's shading and contour lines
        (sent to the browser once per λ and named by reference), its minimum, the λ = 0 minimum
        (shown when λ > 0) and the title."""
        refs = self._lam_refs.get(lam)
        stored = self.canvas._stored
        if refs is None or not all(r in stored for r in refs):
            values, norm, segments = self._shading(lam)
            refs = (
                self.canvas.store("landscape", {"values": values, "norm": norm}),
                self.canvas.store("contours", segments),
            )
            self._lam_refs[lam] = refs
        p_star = self._minimum(lam)[0]
        zero = ([self._minimum0[0]], [self._minimum0[1]]) if lam > 0 else ([], [])
        # Plain text: mathtext would be parsed anew for every λ (about 8 ms).
        out: dict[str, Any] = {
            "landscape": refs[0],
            "contours": refs[1],
            "minimum0": zero,
            "title": f"objective J + λw²/2 for λ = {fmt(lam)}",
        }
        if "minimum" in self.canvas.layer_names:
            out["minimum"] = ([p_star[0]], [p_star[1]])
        return out

    def _set_lam(self, lam: float, *, mark: bool = True) -> None:
        """Everything that depends on λ alone: the landscape, its minimum, the title, the lr mark.

        Nothing of it is in the background: the browser shades the landscape under the axes."""
        layers = self._lam_layers(lam)
        values, norm, segments = self._shading(lam)  # the artists too (the static picture)
        canvas = self.canvas
        with canvas.hold_sync():
            canvas.set_image("landscape", values, norm=norm)
            canvas.set_segments("contours", segments)
            for name in ("minimum", "minimum0"):
                if name in layers:
                    canvas.set_data(name, *layers[name])
            canvas.set_text("title", layers["title"])
        if mark:
            self._mark_stable_lr()

    def _mark_stable_lr(self) -> None:
        """A ▲ under the learning-rate slider at 2/λ_max (log position among the stops)."""
        limit = self.stable_lr
        values = np.log10(np.array(self.lr._options_values, dtype=float))
        n = values.size
        if not self.LR_RANGE[0] <= limit <= self.LR_RANGE[1]:
            self.lr_mark.value = (
                f"<div style='font-size:85%; padding-left:7em'>2/λ_max = {fmt(limit)} "
                "(outside the slider's range)</div>"
            )
            return
        f = float(np.interp(math.log10(limit), values, np.arange(n))) / max(n - 1, 1)
        # The track starts after the 7em description and ends about 1em from the right edge.
        self.lr_mark.value = (
            "<div style='position:relative; height:1.4em; font-size:85%; line-height:1.4em'>"
            f"<span title='full-batch descent oscillates with a growing amplitude above 2/λ_max' "
            f"style='position:absolute; left:calc(7.6em + (100% - 9em) * {f:.4f} - 0.45em); "
            f"white-space:nowrap'>▲ 2/λ_max = {fmt(limit)}</span></div>"
        )

    # -- runs ------------------------------------------------------------------------------

    def _settings_key(self) -> tuple:
        return (
            float(self.lam.value),
            self._n_updates,
            self._seed,
            tuple(self._p0.tolist()),
            repr(self._rule()),
        )

    def _problem(self, lam: float) -> LogisticProblem:
        if lam not in self._problems:
            self._problems[lam] = LogisticProblem(self._x, self._y, lam, loss=self._loss)
        return self._problems[lam]

    def _compute(self, batch_size: int, lrs: Sequence[float], settings: tuple | None = None) -> list[_Run]:
        """The runs for one batch size and several learning rates (one engine call for the missing)."""
        settings = self._settings_key() if settings is None else settings
        return self._compute_rows(batch_size, [(float(lr), settings[0]) for lr in lrs], settings)

    def _compute_lams(
        self, batch_size: int, lr: float, lams: Sequence[float], settings: tuple | None = None
    ) -> list[_Run]:
        """The runs for one batch size and learning rate at several λ (one engine call for the
        missing: a λ per row)."""
        settings = self._settings_key() if settings is None else settings
        return self._compute_rows(batch_size, [(float(lr), float(lam)) for lam in lams], settings)

    def _compute_rows(
        self, batch_size: int, rows: Sequence[tuple[float, float]], settings: tuple
    ) -> list[_Run]:
        """The runs of ``batch_size`` at each ``(lr, λ)`` of ``rows`` with the other ``settings``
        (``settings[0]``, the current λ, is not used), cached; the missing in one engine call."""
        _, n, seed, p0, _ = settings
        rest = tuple(settings[1:])
        keys = [(batch_size, lr, lam, *rest) for lr, lam in rows]
        missing = [i for i, key in enumerate(keys) if key not in self._runs]
        if missing:
            lams = np.array([rows[i][1] for i in missing])
            rule = self._rule()
            if np.all(lams == lams[0]):
                problem = self._problem(float(lams[0]))
            else:  # a λ per run, carried by the rule (the engine's problem has one λ)
                problem, rule = self._problem(0.0), _PerRunPenalty(rule, lams)
            with np.errstate(all="ignore"):
                runs = run_sgd(
                    problem,
                    np.array(p0),
                    batch_size=batch_size,
                    lr=np.array([rows[i][0] for i in missing]),
                    n_updates=n,
                    seeds=[seed] * len(missing),
                    optimizer=rule,
                    overflow=DIVERGENCE_THRESHOLD,
                )
                for r, i in enumerate(missing):
                    k = int(runs.n_updates[r])
                    P = np.ascontiguousarray(runs.params[: k + 1, r])
                    costs = objective_rows(P, self._x, self._y, rows[i][1], self._loss)
                    examples = np.concatenate([[0], np.cumsum(runs.batch_sizes(k))]).astype(float)
                    diverged = int(runs.diverged_at[r]) or None
                    self._runs[keys[i]] = _Run(P, costs, examples, diverged, batch_size)
            while len(self._runs) > _RUN_CACHE:
                self._runs.popitem(last=False)
        out = []
        for key in keys:
            self._runs.move_to_end(key)
            out.append(self._runs[key])
        return out

    def _sizes(self, chosen: int | None = None) -> dict[str, int]:
        return {
            "full": self._m,
            "chosen": int(self.batch_size.value if chosen is None else chosen),
            "online": 1,
        }

    def _layer_data(self, runs: dict[str, _Run], J_star: float) -> dict[str, Any]:
        """What each moving layer shows for three runs, cut at the updates shown."""
        t = int(self.update.value)
        by_examples = self.x_axis.value == "examples"
        out: dict[str, Any] = {}
        for name, run in runs.items():
            k = min(t, run.params.shape[0] - 1)
            P = run.params[: k + 1]
            gap = np.maximum(run.costs[: k + 1] - J_star, self._gap_floor)
            gap = np.minimum(gap, 1e30)  # a float32 buffer: a diverging run shoots off the top
            if by_examples:  # the start (0 examples) has no place on a log axis
                xs = run.examples[1 : k + 1]
                gap = gap[1:]
            else:
                xs = np.arange(gap.size, dtype=float)
            big = DIVERGENCE_THRESHOLD
            out[f"path_{name}"] = (np.clip(P[:, 0], -big, big), np.clip(P[:, 1], -big, big))
            out[f"head_{name}"] = (
                [float(np.clip(P[-1, 0], -big, big))],
                [float(np.clip(P[-1, 1], -big, big))],
            )
            out[f"curve_{name}"] = (xs, gap)
        short = {"full": "full", "chosen": "B", "online": "online"}
        gone = [f"{r.diverged_at} ({short[n]})" for n, r in runs.items() if r.diverged_at is not None]
        out["note"] = ("diverged after " + ", ".join(gone) + " updates") if gone else ""
        return out

    # -- changes ---------------------------------------------------------------------------

    def _changed(
        self,
        names: Sequence[str],
        *,
        background: bool | str = False,
        prefetch: bool = True,
        source: widgets.Widget | None = None,
    ) -> None:
        if self._suspended or self._closed:
            return
        # From the browser: the widget's property lock is held (the main shell received the
        # message) or the change was handed over from a kernel subshell's thread.
        browser = source is not None and (bool(source._property_lock) or self.canvas.handed_over)
        loop = running_loop() if browser else None
        if loop is None:  # set from Python (or no event loop): the picture follows before it returns
            self._refresh(names, background=background, prefetch=prefetch)
            return
        # From the browser, in a notebook: a drag sends a change per stop crossed, faster than the
        # runs can be made. Coalesce: the changes waiting in the kernel's queue are merged into one
        # refresh for the latest values (the browser meanwhile shows prefetched frames).
        pending = self._pending
        pending["names"] = set(pending.get("names", ())) | set(names)
        level = {False: 0, "lam": 1, True: 2}
        if level[background] > level[pending.get("background", False)]:
            pending["background"] = background
        if not pending.get("scheduled"):
            pending["scheduled"] = True
            loop.call_later(COALESCE_SECONDS, self._run_pending)

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, {}
        if self._closed or not pending:
            return
        with self.canvas.showing_errors():
            if pending.get("lam"):
                self._set_lam(float(self.lam.value))
            self._refresh(tuple(pending.get("names", _RUNS)), background=pending.get("background", False))

    def _refresh(
        self, names: Sequence[str] = _RUNS, *, background: bool | str = False, prefetch: bool = True
    ) -> None:
        """Recompute the runs, move the layers, redraw the background when it changed, readout.

        ``background``: True (everything may have changed), ``"lam"`` (only the landscape's
        artists) or False.
        """
        lr, lam = float(self.lr.value), float(self.lam.value)
        sizes = self._sizes()
        ahead = self._lr_ahead()
        current = {name: self._compute(k, [lr, *ahead])[0] for name, k in sizes.items()}
        self._current = current
        J_star = self._minimum(lam)[1]
        ytop = self._y_top(list(current.values()), J_star)
        canvas = self.canvas
        with canvas.hold_sync():
            # (a new y range keeps the frames: each is drawn over the background it names)
            # λ changes nothing in the background (the browser shades the landscape)
            if background is True or ytop != self._ytop:
                only = None if background is True or not self._ytop else [self._ax_cost]
                self._ytop = ytop
                self._ax_cost.set_ylim(self._gap_floor, ytop)
                self._set_x_axis()
                canvas.redraw(cache_key=self._background_key(ytop), only=only)
            data = self._layer_data(current, J_star)
            canvas.set_text("note", data.pop("note"))
            for name, (xs, ys) in data.items():
                canvas.set_data(name, xs, ys)
            canvas.set_data("start", [self._p0[0]], [self._p0[1]])
        self._update_readout()
        if prefetch:
            self._schedule_prefetch()

    def _lr_ahead(self) -> list[float]:
        """When the learning rate alone moved since the last plan: its next stop that way.

        Its runs are made with the current ones, in the same engine calls (about half the time
        of making them apart), so that the frame for that stop goes out right after the picture
        and a learner who presses again soon finds it: the prefetch that follows each change may
        not have had the time."""
        if self._plan_at is None:
            return []
        at = (self.batch_size.index, self.lr.index, self.lam.index)
        before = self._plan_at
        if at[0] != before[0] or at[2] != before[2] or at[1] == before[1]:
            return []
        j = at[1] + (1 if at[1] > before[1] else -1)
        values = self.lr._options_values
        return [float(values[j])] if 0 <= j < len(values) else []

    def _background_key(self, ytop: float) -> tuple:
        return ("cost", self.x_axis.value, self._n_updates, ytop)

    def _on_lam(self, change: Any) -> None:
        if self._suspended:
            return
        if (self.lam._property_lock or self.canvas.handed_over) and running_loop() is not None:
            self._pending["lam"] = True
            self._changed(_RUNS, background="lam", source=self.lam)
            return
        self._set_lam(float(change.new))
        self._refresh(_RUNS, background="lam")

    def _on_optimizer(self, change: Any) -> None:
        self._show_optimizer_params(change.new)
        self._changed(_RUNS)

    def _on_n_updates(self, change: Any) -> None:
        n = int(change.new)
        self._n_updates = n
        with self.update.hold_trait_notifications():
            self.update.max = n
            self.update.value = n
        self.play.max = n
        self.play.step = max(1, n // 100)
        self._changed(_RUNS, background=True)

    def _on_play_stopped(self, change: Any) -> None:
        """Play stops when its next step would pass the end (from update 1 in steps of 2 it
        stops at 199 of 200): the last step is made too, so playing always ends on the runs'
        last update."""
        play = self.play
        if not change.new and play.max - play.step < play.value < play.max:
            play.value = play.max

    def _on_pointer(self, event: Any) -> None:
        if event.ax is not self._ax_land:
            return
        w = float(np.clip(event.x, self._w[0], self._w[-1]))
        b = float(np.clip(event.y, self._b[0], self._b[-1]))
        self.set_start(w, b, prefetch=event.kind == "up")

    def set_start(self, w: float, b: float, *, prefetch: bool = True) -> None:
        """Move the start of every run to ``(w, b)`` (a click or drag on the landscape does it).

        Parameters
        ----------
        w, b : float
            Inside the landscape's window.
        prefetch : bool
            Compute the neighbouring runs afterwards (in a notebook).
        """
        w = as_scalar("w", w, minimum=float(self._w[0]), maximum=float(self._w[-1]))
        b = as_scalar("b", b, minimum=float(self._b[0]), maximum=float(self._b[-1]))
        self._p0 = np.array([w, b])
        self.canvas.invalidate_frames()
        self._refresh(_RUNS, prefetch=prefetch)

    @property
    def start(self) -> tuple[float, float]:
        """The start ``(w, b)`` of every run."""
        return float(self._p0[0]), float(self._p0[1])

    @property
    def seed(self) -> int:
        """The seed of the batch order."""
        return self._seed

    def reseed(self) -> None:
        """Another batch order: the seed goes up by one and the runs are made again."""
        self._seed += 1
        self.canvas.invalidate_frames()
        self._refresh(_RUNS)

    def step(self) -> None:
        """Show one more update of each run (from the end, back to the start)."""
        t = int(self.update.value)
        self.update.value = 0 if t >= self.update.max else t + 1

    def reset(self) -> None:
        """Every setting back to how the explorer started: sliders, optimiser, start, seed, updates."""
        init: dict[str, Any] = self._initial
        self._suspended = True
        try:
            self.updates_per_run.value = init["n_updates"]
            self._n_updates = init["n_updates"]
            self.update.max = self._n_updates
            self.update.value = self._n_updates
            self.play.max = self._n_updates
            self.batch_size.value = init["batch_size"]
            self.lr.value = init["lr"]
            self.lam.value = init["lam"]
            rule = init["optimizer"]
            name = type(rule).__name__
            self.optimizer.value = name
            self.beta.value = float(getattr(rule, "beta", getattr(rule, "beta1", 0.9)))
            self.beta2.value = float(getattr(rule, "beta2", 0.999))
            self.eps.value = float(getattr(rule, "eps", 1e-8))
            self.x_axis.value = "updates"
            self._seed = init["seed"]
            self._p0 = init["params0"].copy()
        finally:
            self._suspended = False
        self._show_optimizer_params(self.optimizer.value)
        self.canvas.invalidate_frames()
        self._set_lam(float(self.lam.value))
        self._refresh(_RUNS, background=True)

    # -- prefetch --------------------------------------------------------------------------

    def _prefetch_plan(self) -> list[tuple[Any, Any]]:
        """The slices of a prefetch, nearest stops first.

        ``(batch size, learning rates)``: one engine call; ``("lam-runs", (batch size, λs))``:
        one engine call for the runs of several λ stops nearby (a λ per row); ``("lam", λ)``:
        then the frame for that stop (its landscape is sent once, by reference), which the
        browser switches to without a kernel round trip. The λ stops go in groups of
        :data:`_PREFETCH_LAMS_PER_SLICE`: a group is three engine calls and a short slice per
        stop, so that a key press waits little for the kernel, and a press for a stop of the
        group being prefetched finds its runs made.
        """
        lr = float(self.lr.value)
        k = int(self.batch_size.value)
        at = (self.batch_size.index, self.lr.index, self.lam.index)
        if self._plan_at is not None and at != self._plan_at:
            moved = [i for i in range(3) if at[i] != self._plan_at[i]]
            if len(moved) == 1:
                i = moved[0]
                self._moving = (("batch_size", "lr", "lam")[i], 1 if at[i] > self._plan_at[i] else -1)
            else:
                self._moving = None
        self._plan_at = at
        direction = dict([self._moving]) if self._moving else {}
        plan: list[tuple[Any, Any]] = []
        lrs = _ahead(self.lr, PREFETCH_LR_RADIUS, direction.get("lr", 0))
        run_sizes = list(dict.fromkeys(self._sizes().values()))
        lr_sizes = list(dict.fromkeys((1, k, self._m)))  # a learning rate's three runs, online first
        near_lams = [float(v) for v in _ahead(self.lam, PREFETCH_LAM_RADIUS, direction.get("lam", 0))]
        lams = [
            [
                *(("lam-runs", (size, tuple(group))) for size in run_sizes),
                *(("lam", v) for v in group),
            ]
            for group in (
                near_lams[i : i + _PREFETCH_LAMS_PER_SLICE]
                for i in range(0, len(near_lams), _PREFETCH_LAMS_PER_SLICE)
            )
        ]

        def flat(groups: list[list[tuple[Any, Any]]]) -> list[tuple[Any, Any]]:
            return [part for group in groups for part in group]

        sizes = [
            (int(kk), [lr])
            for kk in _ahead(self.batch_size, PREFETCH_BATCH_RADIUS, direction.get("batch_size", 0))
        ]
        # The row of the slider moved last comes first, all of it: a learner goes on moving it,
        # maybe with a drag right away (λ: the nearest group, the nearest learning rate, the rest)
        if "batch_size" in direction:
            plan.extend(sizes)
            sizes = []
        if "lam" in direction:
            plan.extend(flat(lams[:1]))
            lams = lams[1:]
        if lrs:
            # the nearest learning rate (ahead of the slider when it moved last) on its own: its
            # frame is ready after three short runs, before a learner's next key press
            plan.extend((size, [float(lrs[0])]) for size in lr_sizes)
            lrs = lrs[1:]
        if "lam" in direction:
            plan.extend(flat(lams))
            lams = []
        chunks = [
            [float(v) for v in lrs[i : i + _PREFETCH_LRS_PER_SLICE]]
            for i in range(0, len(lrs), _PREFETCH_LRS_PER_SLICE)
        ]
        if "lr" in direction:
            for chunk in chunks:
                plan.extend((size, chunk) for size in lr_sizes)
            chunks = []
        per = _PREFETCH_SIZES_PER_SLICE
        n_chunks = 0
        for j, chunk in enumerate(chunks):
            plan.extend((size, chunk) for size in lr_sizes)
            if j == 0:  # after the nearest learning rates, the nearest λ stops
                plan.extend(flat(lams[:1]))
            # batch sizes outwards with the learning rates, few at a time: the whole learning-rate
            # row (what a drag of it needs) comes early, and a batch-size drag finds its frames too
            plan.extend(sizes[per * j : per * j + per])
            if j == 1:
                plan.extend(flat(lams[1:]))
            n_chunks = j + 1
        plan.extend(sizes[per * n_chunks :])
        if n_chunks < 2:  # (the learning rate's row made first, or a slider of few stops)
            plan.extend(flat(lams[1 if n_chunks else 0 :]))
        return plan

    def _prefetch_lam(self, lam: float, settings: tuple, token: str) -> int:
        """The frame at λ for the current batch size and learning rate, over that λ's background."""
        lr = float(self.lr.value)
        runs = dict(
            zip(_RUNS, (self._compute_lams(k, lr, [lam], settings)[0] for k in self._sizes().values()))
        )
        J_star = self._minimum(lam)[1]
        label = (self.batch_size.label, self.lr.label, self.lam._label(lam))
        if self.canvas.frame_key(label) in self.canvas._frames:
            return 0  # sent already for these settings (the browser holds it)
        key = self._prerender_y_range(self._y_top(list(runs.values()), J_star))
        frames = {label: {**self._layer_data(runs, J_star), **self._lam_layers(lam)}}
        return len(frames) if self.canvas.add_frames(frames, token=token, background=key) else 0

    def _frames_for(
        self, batch_size: int, lrs: Sequence[float], settings: tuple
    ) -> dict[float, dict[Any, dict[str, Any]]]:
        """Frames for the keys made complete by runs of ``batch_size`` at ``lrs`` (all cached),
        by the top of their cost panel's y range (a frame is drawn over the background of its own)."""
        J_star = self._minimum(settings[0])[1]
        lam_layers = self._lam_layers(settings[0])
        k = int(self.batch_size.value)
        keys: list[tuple[int, float]] = []
        if batch_size == k or batch_size in (1, self._m):
            keys.extend((k, float(lr)) for lr in lrs)
        if batch_size not in (k,):
            keys.extend((batch_size, float(lr)) for lr in lrs if lr == float(self.lr.value))
        frames: dict[float, dict[Any, dict[str, Any]]] = {}
        for kk, lr in keys:
            wanted = {"full": (self._m, lr), "chosen": (kk, lr), "online": (1, lr)}
            if not all((size, l_, *settings) in self._runs for size, l_ in wanted.values()):
                continue
            runs = {name: self._runs[(size, l_, *settings)] for name, (size, l_) in wanted.items()}
            label = (self.batch_size._label(kk), self.lr._label(lr), self.lam.label)
            if self.canvas.frame_key(label) in self.canvas._frames:
                continue  # sent already for these settings (the browser holds it)
            ytop = self._y_top(list(runs.values()), J_star)
            frames.setdefault(ytop, {})[label] = {**self._layer_data(runs, J_star), **lam_layers}
        return frames

    def _prerender_y_range(self, ytop: float) -> Any:
        """The background with the cost panel's y range topped at ``ytop``, cached (the live one
        when ``ytop`` is the current top); returns its cache key.

        Another top redraws the cost panel over the kept pixels of the rest, which hold for every
        top and every λ; there are few tops (:meth:`_y_top`), so a sweep of the learning rate into
        divergence finds its frames."""
        key = self._background_key(ytop)
        ax = self._ax_cost
        if ytop == self._ytop:  # the live background (after a resize it is not cached)
            self.canvas.prerender(cache_key=key, only=[ax])
            return key
        was = ax.get_ylim()
        ax.set_ylim(self._gap_floor, ytop)
        try:
            self.canvas.prerender(cache_key=key, only=[ax])
        finally:
            ax.set_ylim(*was)
        return key

    def prefetch(self, limit: int | None = None) -> int:
        """Compute the neighbouring runs now and send them as frames; returns how many frames.

        In a notebook this runs by itself after each change, in short slices on the kernel's
        event loop; scripts and tests call it directly.

        Parameters
        ----------
        limit : int, optional
            At most this many engine calls (default: the whole plan).
        """
        token = self.canvas.frame_token()
        settings = self._settings_key()
        sent = 0
        for batch_size, lrs in self._prefetch_plan()[:limit]:
            sent += self._prefetch_slice(batch_size, lrs, token, settings)
        return sent

    def _prefetch_slice(self, batch_size: Any, lrs: Any, token: str, settings: tuple) -> int:
        if self._closed or token != self.canvas.frame_token() or settings != self._settings_key():
            return 0
        if batch_size == "lam-runs":
            size, lams = lrs
            self._compute_lams(int(size), float(self.lr.value), lams, settings)
            return 0
        if batch_size == "lam":
            return self._prefetch_lam(float(lrs), settings, token)
        self._compute(batch_size, lrs, settings)
        sent = 0
        for ytop, frames in self._frames_for(batch_size, lrs, settings).items():
            background = self._prerender_y_range(ytop)
            if self.canvas.add_frames(frames, token=token, background=background):
                sent += len(frames)
        return sent

    def _schedule_prefetch(self) -> None:
        self._prefetch_generation += 1
        if not self.auto_prefetch:
            return
        loop = running_loop()
        if loop is None:
            return
        generation = self._prefetch_generation
        token = self.canvas.frame_token()
        settings = self._settings_key()
        plan = self._prefetch_plan()

        def run_slice(i: int) -> None:
            if generation != self._prefetch_generation or i >= len(plan) or self._closed:
                return
            try:
                self._prefetch_slice(*plan[i], token, settings)
            except Exception as exc:  # shown, never lost; the explorer goes on without frames
                self.canvas.error = f"prefetch: {type(exc).__name__}: {exc}"
                return
            loop.call_later(0.001, run_slice, i + 1)  # let incoming messages through

        loop.call_later(PREFETCH_DELAY, run_slice, 0)

    # -- readout ---------------------------------------------------------------------------

    def _update_readout(self) -> None:
        lam = float(self.lam.value)
        p_star, J_star = self._minimum(lam)
        names = {"full": "full batch", "chosen": "chosen batch size", "online": "online"}
        cell = "padding:1px 8px; white-space:nowrap"
        num = cell + "; text-align:right"
        rows = []
        for name in _RUNS:
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
        lr = float(self.lr.value)
        limit = self.stable_lr
        side = "above" if lr > limit else "below"
        rule = html.escape(repr(self._rule()))
        foot = (
            f"<div style='font-size:90%; padding:4px 8px'>each run: {self._n_updates} "
            f"updates of {rule} from (w, b) = ({self._p0[0]:.3g}, {self._p0[1]:.3g}), seed {self._seed}, "
            f"learning rate {html.escape(fmt(lr))}, λ = {html.escape(fmt(lam))}<br>"
            f"stability limit 2/λ_max = {fmt(limit)} (the learning rate is {side} it)<br>"
            f"minimum of the objective: J* = {J_star:.5g} at (w, b) = "
            f"({p_star[0]:.3f}, {p_star[1]:.3f})</div>"
        )
        self.readout.value = table + foot

    # -- display ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        if self._closed:
            return f"CostExplorer(m={self._m}, closed)"
        return (
            f"CostExplorer(m={self._m}, batch_size={self.batch_size.value}, "
            f"lr={fmt(float(self.lr.value), 6)}, lam={fmt(float(self.lam.value), 6)}, "
            f"n_updates={self._n_updates})"
        )

    def close(self) -> None:
        """Close the picture and every widget of the explorer; it stops responding."""
        self._prefetch_generation += 1
        super().close()
