"""Drawings for batch size (notebooks 06 and 09): cost curves, time races, the noise scale, the trade-off.

The results come from :mod:`lossviz.topics.batch_size` (simulated time, steps to a
target, the trade-off fit), :func:`lossviz.train` and :mod:`lossviz.optim.noise`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._validation import as_float_array, as_scalar
from ..optim.sgd import TrainResult
from ..topics.batch_size import StepsToTarget, TradeOff, WallClockRun
from .core import _axes

__all__ = [
    "best_lr",
    "cost_against_time",
    "cost_curves",
    "loglog_fit",
    "noise_scale",
    "steps_vs_batch",
    "tradeoff",
]


def cost_curves(
    runs: Sequence[TrainResult],
    *,
    against: str = "updates",
    step_times: ArrayLike | None = None,
    j_star: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Cost curves of several runs against updates, examples seen or simulated time.

    Parameters
    ----------
    runs : sequence of TrainResult
        One per batch size, labelled by it.
    against : {"updates", "examples", "time"}
    step_times : (len(runs),) array_like of float, optional
        Seconds per update of each run; required for ``against="time"``
        (e.g. from :func:`lossviz.topics.batch_size.simulated_step_time`).
    j_star : float, optional
        The minimum objective; when given, the y-axis shows ``J - J*`` on a log
        scale instead of ``J``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    runs = list(runs)
    if not runs or not all(isinstance(r, TrainResult) for r in runs):
        raise TypeError("runs must be a non-empty sequence of TrainResult")
    if against not in ("updates", "examples", "time"):
        raise ValueError(f"against must be 'updates', 'examples' or 'time', got {against!r}")
    if against == "time":
        if step_times is None:
            raise ValueError("step_times is required for against='time'")
        st = as_float_array("step_times", step_times)
        if st.shape != (len(runs),):
            raise ValueError(f"step_times must have {len(runs)} entries, got shape {st.shape}")
    ax = _axes(ax)
    for k, r in enumerate(runs):
        if against == "updates":
            t = np.arange(r.n_updates + 1)
        elif against == "examples":
            t = r.examples_seen
        else:
            t = np.arange(r.n_updates + 1) * st[k]
        c = r.costs if j_star is None else r.costs - as_scalar("j_star", j_star)
        ax.plot(t[1:], c[1:], color=f"C{k}", lw=1, label=f"B = {r.batch_size}")
    ax.set_xscale("log")
    if j_star is not None:
        ax.set_yscale("log")
        ax.set_ylabel(r"$J - J^*$")
    else:
        ax.set_ylabel("objective $J$")
    ax.set_xlabel({"updates": "updates", "examples": "examples seen", "time": "simulated time (s)"}[against])
    return ax


def noise_scale(
    updates: ArrayLike,
    b_simple: ArrayLike,
    *,
    estimates: tuple[ArrayLike, ArrayLike] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """``B_simple`` along a run, exact (line) and estimated from batch gradients (dots).

    Parameters
    ----------
    updates : (n,) array_like
        Update counts.
    b_simple : (n,) array_like
        Exact noise scale at those updates.
    estimates : ((k,) array_like, (k,) array_like), optional
        Update counts and estimated noise scales.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    u = as_float_array("updates", updates)
    bs = np.asarray(b_simple, dtype=float)
    if bs.shape != u.shape:
        raise ValueError(f"updates and b_simple must have the same shape, got {u.shape} and {bs.shape}")
    ax = _axes(ax)
    ax.plot(u, bs, color="C0", label=r"exact $B_{\mathrm{simple}} = \mathrm{tr}\,\Sigma / |G|^2$")
    if estimates is not None:
        eu = as_float_array("estimates[0]", estimates[0])
        ev = np.asarray(estimates[1], dtype=float)
        ax.plot(eu, ev, "o", color="C3", ms=5, label="estimated from two batch sizes")
    ax.set_yscale("log")
    ax.set_xlabel("update")
    ax.set_ylabel("noise scale (samples)")
    ax.legend(fontsize="small")
    return ax


def steps_vs_batch(
    result: StepsToTarget,
    fit: TradeOff | None = None,
    *,
    b_simple: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Updates to the target against batch size (best learning rate), with the fitted curve.

    Parameters
    ----------
    result : StepsToTarget
    fit : TradeOff, optional
        Drawn as ``S_min + E_min/B`` with ``B_crit`` marked.
    b_simple : float, optional
        A measured noise scale, marked for comparison.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(result, StepsToTarget):
        raise TypeError(f"result must be a StepsToTarget, got {type(result).__name__}")
    ax = _axes(ax)
    B, S = result.batch_sizes, result.best_steps
    ok = np.isfinite(S)
    ax.plot(B[ok], S[ok], "o", color="k", label="measured (best learning rate)")
    if fit is not None:
        grid = np.geomspace(B.min(), B.max(), 200)
        ax.plot(
            grid,
            fit.steps(grid),
            color="C0",
            label=(
                rf"fit $S_{{\min}}(1 + B_{{\mathrm{{crit}}}}/B)$, "
                rf"$B_{{\mathrm{{crit}}}} = {fit.b_crit:.0f}$"
            ),
        )
        ax.axhline(fit.s_min, color="C0", ls=":", lw=1)
        ax.axvline(fit.b_crit, color="C0", ls="--", lw=1)
    if b_simple is not None:
        ax.axvline(
            as_scalar("b_simple", b_simple),
            color="C3",
            ls="-.",
            lw=1,
            label=rf"$B_{{\mathrm{{simple}}}}$ at the target $= {b_simple:.0f}$",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("updates to reach the target $S$")
    ax.legend(fontsize="small")
    return ax


def tradeoff(result: StepsToTarget, fit: TradeOff, *, ax: Axes | None = None) -> Axes:
    """Updates against examples, both relative to their minima, with ``(S/S_min - 1)(E/E_min - 1) = 1``.

    Parameters
    ----------
    result : StepsToTarget
    fit : TradeOff
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
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
        color="C0",
        label=r"$(S/S_{\min} - 1)(E/E_{\min} - 1) = 1$",
    )
    ax.plot(E[ok] / fit.e_min, S[ok] / fit.s_min, "o", color="k", label="measured")
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
    ax.legend(fontsize="small")
    return ax


def best_lr(result: StepsToTarget, *, fit: TradeOff | None = None, ax: Axes | None = None) -> Axes:
    """The best learning rate per batch size, with the linear scaling rule for comparison.

    The rule ``η ∝ B`` is drawn through the smallest batch size's best rate.
    With ``fit`` given, the form ``η_max / (1 + B_crit/B)`` that McCandlish
    et al. derive is drawn too, with ``η_max`` the largest best rate measured.

    Parameters
    ----------
    result : StepsToTarget
    fit : TradeOff, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(result, StepsToTarget):
        raise TypeError(f"result must be a StepsToTarget, got {type(result).__name__}")
    ax = _axes(ax)
    B, lr = result.batch_sizes, result.best_lr
    ok = np.isfinite(lr)
    ax.plot(B[ok], lr[ok], "o-", color="k", label="best learning rate (fewest updates)")
    grid = np.geomspace(B.min(), B.max(), 200)
    first = np.flatnonzero(ok)[0]
    ax.plot(grid, lr[first] * grid / B[first], color="C1", ls="--", label=r"linear scaling $\eta \propto B$")
    if fit is not None:
        eta_max = np.nanmax(lr)
        ax.plot(
            grid,
            eta_max / (1 + fit.b_crit / grid),
            color="C0",
            label=r"$\eta_{\max} / (1 + B_{\mathrm{crit}}/B)$",
        )
    ax.set_ylim(lr[ok].min() / 3, np.nanmax(lr) * 3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"learning rate $\eta$")
    ax.legend(fontsize="small")
    return ax


def cost_against_time(
    runs: Sequence[WallClockRun],
    labels: Sequence[str],
    *,
    target: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The objective of each run against simulated seconds, on a log time axis.

    Draws each run from its first update on (a log axis has no 0), earlier runs
    on top of later ones (pass the smooth run first), the start's objective as a
    dotted line, and, when ``target`` is given, the target as a dashed line with
    a marker where each run first reaches it.

    Parameters
    ----------
    runs : sequence of WallClockRun
        From :func:`lossviz.topics.batch_size.simulate_wall_clock`.
    labels : sequence of str
        One legend label per run.
    target : float, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    runs = list(runs)
    if not runs or not all(isinstance(r, WallClockRun) for r in runs):
        raise TypeError(f"runs must be a non-empty sequence of WallClockRun, got {runs!r}")
    if len(labels) != len(runs):
        raise ValueError(f"labels must have {len(runs)} entries, got {len(labels)}")
    ax = _axes(ax)
    ax.axhline(runs[0].costs[0], color="0.6", linestyle=":", label="at the start")
    n = len(runs)
    for j, (run, label) in enumerate(zip(runs, labels)):
        ax.plot(
            run.times[1:],
            run.costs[1:],
            color=f"C{j}",
            linewidth=1.5 if j == 0 else 0.8,
            label=label,
            zorder=2 + n - j,
        )
    if target is not None:
        target = as_scalar("target", target)
        ax.axhline(target, color="k", linestyle="--", linewidth=1, label="target", zorder=2 + n)
        for j, run in enumerate(runs):
            t = run.time_to_cost(target)
            if math.isfinite(t):
                ax.plot([t], [target], "o", color=f"C{j}", markeredgecolor="k", zorder=3 + n)
    ax.set_xscale("log")
    ax.set_xlabel("simulated wall-clock time (s)")
    ax.set_ylabel("cost $J$ on all samples")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return ax


def loglog_fit(
    x: ArrayLike,
    y: ArrayLike,
    slope: float,
    intercept: float,
    *,
    ax: Axes | None = None,
    label: str = "measured",
) -> Axes:
    """Points ``(x, y)`` on log-log axes with the line ``10**intercept · x**slope``.

    Parameters
    ----------
    x, y : (n,) array_like of float, ``> 0``
    slope, intercept : float
        From :func:`lossviz.topics.batch_size.loglog_slope`.
    ax : matplotlib Axes, optional
    label : str
        Legend label of the points; the line is labelled with its slope.

    Returns
    -------
    matplotlib Axes
    """
    xa = as_float_array("x", x)
    ya = as_float_array("y", y)
    slope = as_scalar("slope", slope)
    intercept = as_scalar("intercept", intercept)
    ax = _axes(ax)
    ax.loglog(xa, ya, "o", label=label)
    ax.loglog(xa, 10.0**intercept * xa**slope, "-", color="C1", label=f"fitted line, slope {slope:.2f}")
    ax.legend()
    return ax
