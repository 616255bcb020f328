"""Drawings for batch size (notebooks 06 and 09): cost curves, time races, the noise scale, the trade-off.

The results come from :mod:`lossviz.topics.batch_size` (simulated time, steps to a
target, the trade-off fit), :func:`lossviz.train` and :mod:`lossviz.optim.noise`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._constraints import InstanceOf, Options, RealArray, SequenceOf, validate_params
from .._validation import _short, check_same_shape
from ..optim.sgd import TrainResult
from ..topics._checks import Checked, array, check_pair
from ..topics.batch_size import StepsToTarget, TradeOff, WallClockRun, time_to_cost
from ._checks import AXES, BOOL, LABEL, LABELS, MAX_POINTS, MAX_SERIES, ROLES, WIDTH, MappingOf, count, real
from .core import _axes, _check_roles, _style
from .style import COLOURS, SERIES_LINESTYLES, regime, role_style

__all__ = [
    "best_lr",
    "cost_curves",
    "logged_loss",
    "loglog_fit",
    "noise_scale",
    "steps_vs_batch",
    "tradeoff",
]


_CURVE = RealArray(max_size=MAX_POINTS, example_value=[0.0, 10.0, 20.0])
_POSITIVE_CURVE = RealArray(lo=0.0, lo_open=True, max_size=MAX_POINTS, example_value=[58.0, 360.0, 600.0])


def _pair(name: str, value: object) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (steps, values) of arrays, got {_short(value)}")
    a = _CURVE(f"{name}[0]", value[0])
    b = _CURVE(f"{name}[1]", value[1])
    return check_pair(f"{name}[0]", a, f"{name}[1]", b)


_PAIR = Checked(
    _pair,
    "a pair (steps, values) of arrays, or None",
    example_factory=lambda: ([10.0], [340.0]),
    bad=(
        ("a number", 3.7),
        ("one array", [1.0, 2.0, 3.0]),
        ("a string", "ab"),
        ("unequal", ([1.0], [1.0, 2.0])),
    ),
    none_ok=True,
)


def _example_run() -> TrainResult:
    from ..data import make_churn
    from ..optim.sgd import train

    return train(*make_churn(30, seed=0), batch_size=10, lr=0.5)


def _example_result() -> StepsToTarget:
    B = np.array([1, 4, 16, 64])
    steps = np.array([[900.0, 500.0, 800.0], [250.0, 130.0, 200.0], [90.0, 45.0, 60.0], [60.0, 30.0, 25.0]])
    return StepsToTarget(
        B, np.array([0.1, 0.2, 0.4]), steps, target=0.62, n_seeds=4, hold=5, max_steps=np.full(4, 5000)
    )


_RESULT = InstanceOf(
    StepsToTarget, "lossviz.batch_size.steps_to_target(...)", example_factory=_example_result
)


def _tradeoff(none_ok: bool) -> InstanceOf:
    return InstanceOf(
        TradeOff,
        "lossviz.batch_size.fit_tradeoff(...)",
        none_ok=none_ok,
        example_factory=lambda: TradeOff(s_min=20.0, e_min=500.0),
    )


def _none_reached(ax: Axes, result: StepsToTarget, missing: np.ndarray) -> None:
    """Say in the figure which batch sizes no learning rate brought to the target."""
    if not missing.any():
        return
    if missing.all():
        text = (
            f"no learning rate reached the target {result.target:g} at any batch size:\n"
            "raise max_steps or max_examples, try other lrs, or set an easier target"
        )
        ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=COLOURS["text"])
        return
    sizes = ", ".join(str(int(b)) for b in result.batch_sizes[missing])
    ax.text(
        0.02,
        0.02,
        f"not reached at B = {sizes}",
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        color=COLOURS["text"],
    )


def _run_axis(run: TrainResult | WallClockRun, against: str, seconds: float | None) -> np.ndarray:
    n = run.costs.size
    if against == "updates":
        return np.arange(n, dtype=float)
    if against == "examples":
        if isinstance(run, TrainResult):
            return run.examples_seen.astype(float)
        return np.arange(n, dtype=float) * run.batch_size
    if isinstance(run, WallClockRun) and seconds is None:
        return run.times
    return np.arange(n, dtype=float) * float(seconds)  # type: ignore[arg-type]


@validate_params(
    {
        "runs": SequenceOf(
            InstanceOf((TrainResult, WallClockRun), "lossviz.train(...)", example_factory=_example_run),
            max_len=MAX_SERIES,
        ),
        "against": Options(("updates", "examples", "time")),
        "m": count(1, none_ok=True),
        "roles": ROLES,
        "labels": LABELS,
        "step_times": RealArray(lo=0.0, lo_open=True, none_ok=True, max_size=MAX_SERIES),
        "j_star": real(none_ok=True),
        "target": real(none_ok=True),
        "linewidth": WIDTH,
        "legend": BOOL,
        "ax": AXES,
    },
    slow=True,
)
def cost_curves(
    runs: Sequence[TrainResult | WallClockRun],
    *,
    against: str = "updates",
    m: int | None = None,
    roles: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    step_times: ArrayLike | None = None,
    j_star: float | None = None,
    target: float | None = None,
    linewidth: float = 1.2,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """The cost along several training runs, against updates, examples seen or (simulated) time.

    Each run is one :func:`lossviz.plot.cost_curve` in its regime's colour and line style:
    with ``m`` given, a run of batch size ``B`` is ``regime(B, m)`` (full batch, mini-batch
    or online); runs that share a role get different markers as well. The x-axis is
    logarithmic and starts at the first update.

    Parameters
    ----------
    runs : sequence of TrainResult or WallClockRun
        From :func:`lossviz.train` or :func:`lossviz.topics.batch_size.simulate_wall_clock`.
    against : {"updates", "examples", "time"}
        The clock. ``"time"`` takes a WallClockRun's own ``times``, or ``step_times``.
    m : int, optional
        Training-set size, for the regime of each run (see :func:`lossviz.plot.style.regime`).
    roles : sequence of str, optional
        One role per run, instead of the regimes; the style's cycle when neither is given.
    labels : sequence of str, optional
        One legend label per run (default ``"B = <batch size>"``).
    step_times : (len(runs),) array_like of float, optional
        Seconds per update of each run (e.g. from
        :func:`lossviz.topics.batch_size.simulated_step_time`); required for
        ``against="time"`` unless every run is a WallClockRun.
    j_star : float, optional
        The minimum; when given the y-axis shows ``J - J*`` on a log scale.
    target : float, optional
        A cost to reach: drawn as a reference line, with a marker where each run first
        reaches it (:func:`lossviz.topics.batch_size.time_to_cost`).
    linewidth : float, default 1.2
        Of every curve. Runs of larger batches (the smoother curves) are drawn over
        those of smaller ones.
    legend : bool, default True
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        The runs' curves are its first lines, in order.

    Raises
    ------
    TypeError
        If a run is not a TrainResult or WallClockRun, or ``ax`` not an Axes.
    ValueError
        If ``against`` is unknown, ``step_times`` is missing or of the wrong length, or
        ``roles``/``labels`` have the wrong length.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> runs = [lv.train(x, y, batch_size=b, lr=0.5, epochs=3) for b in (1, 10, 100)]
    >>> ax = cost_curves(runs, against="examples", m=100)
    >>> [line.get_label() for line in ax.lines], ax.get_xlabel()
    (['B = 1', 'B = 10', 'B = 100'], 'examples seen')
    """
    runs = list(runs)
    seconds: list[float | None] = [None] * len(runs)
    if step_times is not None:
        st = array(step_times)
        if st.shape != (len(runs),):
            raise ValueError(f"step_times must have {len(runs)} entries, got shape {st.shape}")
        seconds = [float(v) for v in st]
    elif against == "time" and not all(isinstance(r, WallClockRun) for r in runs):
        raise ValueError("step_times is required for against='time' unless every run is a WallClockRun")
    if roles is None and m is not None:
        roles = [regime(r.batch_size, m) for r in runs]
    role_list = _check_roles(roles, len(runs))
    if labels is None:
        labels = [f"B = {r.batch_size}" for r in runs]
    elif len(labels) != len(runs):
        raise ValueError(f"labels must have {len(runs)} entries, one per run in runs, got {len(labels)}")
    low = j_star
    ax = _axes(ax)
    rank = np.argsort(np.argsort([r.batch_size for r in runs], kind="stable"), kind="stable")
    seen: dict[str | None, int] = {}
    for k, (run, role, label) in enumerate(zip(runs, role_list, labels)):
        t = _run_axis(run, against, seconds[k])
        c = run.costs if low is None else run.costs - low
        style = _style(role, k)
        repeat = seen.get(role, 0) if role is not None else 0
        seen[role] = repeat + 1
        ax.plot(
            t[1:],
            c[1:],
            color=style["color"],
            linestyle=style["linestyle"],
            marker=_REPEAT_MARKERS[repeat % len(_REPEAT_MARKERS)] if repeat else "none",
            markevery=0.12,
            markersize=6,
            linewidth=linewidth,
            label=label,
            zorder=2 + int(rank[k]),
        )
    if target is not None:
        level = float(target)
        shown = level if low is None else level - low
        ax.axhline(shown, lw=1, label="target", **role_style("reference"))
        for k, run in enumerate(runs):
            reached = time_to_cost(_run_axis(run, against, seconds[k]), run.costs, level)
            if math.isfinite(reached):
                colour = ax.lines[k].get_color()
                ax.plot([reached], [shown], "o", color=colour, mec=COLOURS["text"], zorder=3 + len(runs))
    ax.set_xscale("log")
    if low is not None:
        ax.set_yscale("log")
        ax.set_ylabel(r"$J - J^*$")
    else:
        ax.set_ylabel("cost $J$ on the training set")
    names = {"updates": "updates", "examples": "examples seen", "time": "simulated time (s)"}
    ax.set_xlabel(names[against])
    if legend:
        ax.legend()
    return ax


#: Markers that tell apart runs of the same regime (two mini-batch sizes, say).
_REPEAT_MARKERS = ("none", "s", "D", "v", "P")


@validate_params({"updates": _CURVE, "b_simple": _POSITIVE_CURVE, "estimates": _PAIR, "ax": AXES}, slow=True)
def noise_scale(
    updates: ArrayLike,
    b_simple: ArrayLike,
    *,
    estimates: tuple[ArrayLike, ArrayLike] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """``B_simple`` along a run: computed from the per-sample gradients (line) and estimated (points).

    The exact value has the colour of a formula (``COLOURS["formula"]``), the estimates
    from batch gradients that of a measurement (``COLOURS["measured"]``).

    Parameters
    ----------
    updates : (n,) array_like of float
        Update counts.
    b_simple : (n,) array_like of float
        Exact noise scale ``tr Σ / |G|²`` at those updates, > 0.
    estimates : ((k,) array_like, (k,) array_like), optional
        Update counts and the noise scales estimated there.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If the arrays are not finite or their shapes differ.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = noise_scale([0, 10, 20], [58.0, 360.0, 600.0], estimates=([10], [340.0]))
    >>> ax.get_yscale(), len(ax.lines)
    ('log', 2)
    """
    u, bs = check_pair("updates", updates, "b_simple", b_simple)
    ax = _axes(ax)
    ax.plot(
        u, bs, label=r"exact $B_{\mathrm{simple}} = \mathrm{tr}\,\Sigma / |G|^2$", **role_style("formula")
    )
    if estimates is not None:
        eu, ev = estimates
        ax.plot(eu, ev, ms=6, label="estimated from two batch sizes", **role_style("measured"))
    ax.set_yscale("log")
    ax.set_xlabel("update")
    ax.set_ylabel("noise scale (samples)")
    ax.legend()
    return ax


@validate_params(
    {
        "result": _RESULT,
        "fit": _tradeoff(True),
        "b_simple": real(0.0, 1e15, closed="right", none_ok=True),
        "ax": AXES,
    },
    slow=True,
)
def steps_vs_batch(
    result: StepsToTarget,
    fit: TradeOff | None = None,
    *,
    b_simple: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Updates to the target against batch size (each at its best learning rate), with the fitted curve.

    Parameters
    ----------
    result : StepsToTarget
        From :func:`lossviz.topics.batch_size.steps_to_target`.
    fit : TradeOff, optional
        From :func:`lossviz.topics.batch_size.fit_tradeoff`: drawn as ``S_min(1 + B_crit/B)``,
        with ``S_min`` and ``B_crit`` marked.
    b_simple : float, optional
        A measured noise scale, marked for comparison.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``result`` is not a StepsToTarget, ``fit`` not a TradeOff or ``ax`` not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lossviz.topics.batch_size import StepsToTarget, TradeOff
    >>> B = np.array([1, 10, 100])
    >>> steps = np.array([[3000.0], [330.0], [60.0]])  # one learning rate
    >>> result = StepsToTarget(B, np.array([0.1]), steps, target=0.62, n_seeds=4, hold=5,
    ...                        max_steps=np.full(3, 5000))
    >>> ax = steps_vs_batch(result, TradeOff(s_min=30.0, e_min=3000.0))
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    if not isinstance(result, StepsToTarget):
        raise TypeError(f"result must be a StepsToTarget, got {type(result).__name__}")
    if fit is not None and not isinstance(fit, TradeOff):
        raise TypeError(f"fit must be a TradeOff, got {type(fit).__name__}")
    ax = _axes(ax)
    B, S = result.batch_sizes, result.best_steps
    ok = np.isfinite(S)
    ax.plot(B[ok], S[ok], label="measured (best learning rate)", **role_style("measured"))
    _none_reached(ax, result, ~ok)
    if fit is not None:
        grid = np.geomspace(B.min(), B.max(), 200)
        ax.plot(
            grid,
            fit.steps(grid),
            label=(
                rf"fit $S_{{\min}}(1 + B_{{\mathrm{{crit}}}}/B)$, "
                rf"$B_{{\mathrm{{crit}}}} = {fit.b_crit:.0f}$"
            ),
            **role_style("formula"),
        )
        ax.axhline(fit.s_min, lw=1, label=rf"$S_{{\min}} = {fit.s_min:.0f}$", **role_style("reference"))
        ax.axvline(fit.b_crit, color=COLOURS["formula"], ls="--", lw=1)
    if b_simple is not None:
        value = float(b_simple)
        ax.axvline(
            value,
            color=COLOURS["measured"],
            ls="-.",
            lw=1,
            label=rf"$B_{{\mathrm{{simple}}}}$ at the target $= {value:.0f}$",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("updates to reach the target $S$")
    ax.legend()
    return ax


@validate_params({"result": _RESULT, "fit": _tradeoff(False), "ax": AXES}, slow=True)
def tradeoff(result: StepsToTarget, fit: TradeOff, *, ax: Axes | None = None) -> Axes:
    """Updates against examples, both relative to their minima, with ``(S/S_min - 1)(E/E_min - 1) = 1``.

    Each measured point is labelled with its batch size.

    Parameters
    ----------
    result : StepsToTarget
    fit : TradeOff
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``result`` is not a StepsToTarget, ``fit`` not a TradeOff or ``ax`` not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lossviz.topics.batch_size import StepsToTarget, TradeOff
    >>> result = StepsToTarget(np.array([1, 10, 100]), np.array([0.1]),
    ...                        np.array([[3000.0], [330.0], [60.0]]), target=0.62, n_seeds=4,
    ...                        hold=5, max_steps=np.full(3, 5000))
    >>> ax = tradeoff(result, TradeOff(s_min=30.0, e_min=3000.0))
    >>> [t.get_text() for t in ax.texts]
    ['1', '10', '100']
    """
    if not isinstance(result, StepsToTarget) or not isinstance(fit, TradeOff):
        raise TypeError("result must be a StepsToTarget and fit a TradeOff")
    ax = _axes(ax)
    B, S, E = result.batch_sizes, result.best_steps, result.best_examples
    ok = np.isfinite(S)
    grid = np.geomspace(B.min() / 4, B.max() * 4, 300)
    ax.plot(
        fit.examples(grid) / fit.e_min,
        fit.steps(grid) / fit.s_min,
        label=r"$(S/S_{\min} - 1)(E/E_{\min} - 1) = 1$",
        **role_style("formula"),
    )
    ax.plot(E[ok] / fit.e_min, S[ok] / fit.s_min, label="measured", **role_style("measured"))
    _none_reached(ax, result, ~ok)
    for b, e, s in zip(B[ok], E[ok], S[ok]):
        ax.annotate(
            f"{b}",
            (e / fit.e_min, s / fit.s_min),
            textcoords="offset points",
            xytext=(4, 4),
            fontsize="x-small",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"examples / $E_{\min}$")
    ax.set_ylabel(r"updates / $S_{\min}$")
    ax.legend()
    return ax


@validate_params({"result": _RESULT, "fit": _tradeoff(True), "ax": AXES}, slow=True)
def best_lr(result: StepsToTarget, *, fit: TradeOff | None = None, ax: Axes | None = None) -> Axes:
    """The best learning rate per batch size, with the linear scaling rule for comparison.

    The rule ``η ∝ B`` (a reference line) is drawn through the smallest batch size's
    best rate. With ``fit`` given, the form ``η_max / (1 + B_crit/B)`` that McCandlish
    et al. derive is drawn too (a formula), with ``η_max`` the largest best rate measured.

    Parameters
    ----------
    result : StepsToTarget
    fit : TradeOff, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Batch sizes at which no learning rate reached the target (a realistic outcome of a
    sweep with too small a budget) are left out and named in the figure; when none reached
    it, the figure says so and what to change, and draws no lines (no IndexError).

    Raises
    ------
    TypeError
        If ``result`` is not a StepsToTarget or ``ax`` not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lossviz.topics.batch_size import StepsToTarget
    >>> steps = np.array([[100.0, 50.0], [40.0, 20.0]])  # 2 batch sizes x 2 learning rates
    >>> result = StepsToTarget(np.array([1, 10]), np.array([0.1, 0.2]), steps, target=0.62, n_seeds=4,
    ...                        hold=5, max_steps=np.full(2, 5000))
    >>> ax = best_lr(result)
    >>> ax.lines[0].get_ydata().tolist()
    [0.2, 0.2]
    """
    if not isinstance(result, StepsToTarget):
        raise TypeError(f"result must be a StepsToTarget, got {type(result).__name__}")
    if fit is not None and not isinstance(fit, TradeOff):
        raise TypeError(f"fit must be a TradeOff, got {type(fit).__name__}")
    ax = _axes(ax)
    B, lr = result.batch_sizes, result.best_lr
    ok = np.isfinite(lr)
    _none_reached(ax, result, ~ok)
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"learning rate $\eta$")
    if not ok.any():
        return ax
    ax.plot(B[ok], lr[ok], label="best learning rate (fewest updates)", **role_style("measured"))
    grid = np.geomspace(B.min(), B.max(), 200)
    first = np.flatnonzero(ok)[0]
    ax.plot(
        grid, lr[first] * grid / B[first], label=r"linear scaling $\eta \propto B$", **role_style("reference")
    )
    if fit is not None:
        eta_max = np.nanmax(lr)
        ax.plot(
            grid,
            eta_max / (1 + fit.b_crit / grid),
            label=r"$\eta_{\max} / (1 + B_{\mathrm{crit}}/B)$",
            **role_style("formula"),
        )
    ax.set_ylim(lr[ok].min() / 3, np.nanmax(lr) * 3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend()
    return ax


@validate_params(
    {
        "x": RealArray(lo=0.0, lo_open=True, max_size=MAX_POINTS, example_value=[1.0, 10.0, 100.0]),
        "y": RealArray(lo=0.0, lo_open=True, max_size=MAX_POINTS, example_value=[2.0, 0.2, 0.02]),
        "slope": real(),
        "intercept": real(),
        "label": LABEL,
        "ax": AXES,
    },
    example=lambda: {"x": [1.0, 10.0, 100.0], "y": [2.0, 0.2, 0.02], "slope": -1.0, "intercept": 0.3},
    slow=True,
)
def loglog_fit(
    x: ArrayLike,
    y: ArrayLike,
    slope: float,
    intercept: float,
    *,
    label: str = "measured",
    ax: Axes | None = None,
) -> Axes:
    """Points ``(x, y)`` on log-log axes (measured) with the line ``10**intercept · x**slope`` (a fit).

    Parameters
    ----------
    x, y : (n,) array_like of float, ``> 0``
    slope, intercept : float
        From :func:`lossviz.topics.batch_size.loglog_slope`.
    label : str
        Legend label of the points; the line is labelled with its slope.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If an array is not finite and positive or the shapes differ.
    TypeError
        If ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> x = np.array([1.0, 10.0, 100.0])
    >>> ax = loglog_fit(x, 2 * x**-1, -1.0, np.log10(2))
    >>> ax.lines[1].get_label()
    'fitted line, slope -1.00'
    """
    xa, ya = check_pair("x", x, "y", y)
    log_line = intercept + slope * np.log10(xa)  # the line in log10 units: finite, then checked in range
    if not np.all(np.abs(log_line) < 300):
        raise ValueError(
            f"slope = {slope:g} and intercept = {intercept:g} put the fitted line past 1e300 at these x:"
            " pass the slope and intercept of lossviz.batch_size.loglog_slope(x, y)"
        )
    ax = _axes(ax)
    ax.plot(xa, ya, label=label, **role_style("measured"))
    ax.plot(xa, 10.0**log_line, label=f"fitted line, slope {slope:.2f}", **role_style("formula"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend()
    return ax


@validate_params(
    {
        "steps": _CURVE,
        "batch_loss": _CURVE,
        "cost": RealArray(max_size=MAX_POINTS, none_ok=True, example_value=[0.69, 0.66, 0.65]),
        "smoothed": MappingOf(LABEL, _CURVE, max_len=MAX_SERIES, none_ok=True),
        "held_out": _PAIR,
        "ax": AXES,
    },
    example=lambda: {"steps": [1, 2, 3], "batch_loss": [0.7, 0.6, 0.65]},
    slow=True,
)
def logged_loss(
    steps: ArrayLike,
    batch_loss: ArrayLike,
    *,
    cost: ArrayLike | None = None,
    smoothed: Mapping[str, ArrayLike] | None = None,
    held_out: tuple[ArrayLike, ArrayLike] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A training log's loss per step (faint), its smoothed versions, and the cost ``J`` beside it.

    The logged mini-batch losses (:attr:`lossviz.topics.loss_curves.TrainingLog.batch_loss`) are drawn
    thin and faint in the mini-batch colour, each smoothed version of them (e.g.
    :func:`lossviz.topics.loss_curves.ema`) in the same colour at full strength with its own line style,
    the cost on the whole training set in the colour of ``train`` and the cost on held-out data, when
    given, as points in the colour of ``held_out``.

    Parameters
    ----------
    steps : (n,) array_like of float
        Step numbers of the logged values.
    batch_loss : (n,) array_like of float
    cost : (n,) array_like of float, optional
        ``J`` on the training set at the same steps.
    smoothed : mapping of str to (n,) array_like, optional
        Smoothed curves by legend label, drawn in order.
    held_out : ((k,) array_like, (k,) array_like), optional
        Steps and the cost on a held-out set there.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Its first line is the log, then the smoothed curves, the cost and the held-out points.

    Raises
    ------
    ValueError
        If the arrays are not finite or their shapes differ.
    TypeError
        If ``smoothed`` is not a mapping or ``ax`` not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = np.arange(1, 6)
    >>> ax = logged_loss(t, [0.7, 0.6, 0.72, 0.58, 0.62], cost=[0.69, 0.66, 0.65, 0.64, 0.63],
    ...                  smoothed={"EMA 0.5": [0.7, 0.63, 0.69, 0.62, 0.62]}, held_out=([1, 5], [0.69, 0.62]))
    >>> [line.get_label()[:12] for line in ax.lines]
    ['logged: the ', 'EMA 0.5', 'cost $J$ on ', 'cost on held']
    """
    t, logged = check_pair("steps", steps, "batch_loss", batch_loss)
    ax = _axes(ax)
    colour = COLOURS["mini_batch"]
    ax.plot(t, logged, color=colour, lw=0.7, alpha=0.35, label="logged: the loss of each mini-batch")
    if smoothed is not None:
        for k, (label, v) in enumerate(smoothed.items()):
            check_same_shape("steps", t, f"smoothed[{label!r}]", array(v))
            ax.plot(t, v, color=colour, lw=1.8, ls=SERIES_LINESTYLES[k % len(SERIES_LINESTYLES)], label=label)
    if cost is not None:
        J = array(cost)
        check_same_shape("steps", t, "cost", J)
        ax.plot(t, J, lw=1.8, label="cost $J$ on the whole training set", **role_style("train"))
    if held_out is not None:
        hs, hv = held_out
        ax.plot(hs, hv, ms=6, label="cost on held-out data", **role_style("held_out", markers=True))
    ax.set_xlabel("step (update)")
    ax.set_ylabel("loss")
    ax.legend()
    return ax
