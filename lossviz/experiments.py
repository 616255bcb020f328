"""The experiments behind the post's five questions (taught in notebook 05).

Each function computes; the two ``plot_*`` functions at the end only draw what
they are given. The exercises in :mod:`lossviz.exercises` take their expected
answers from here and from the model, never from numbers typed in.

* Question 1 -- updates per second and per epoch, and a race under simulated
  wall-clock time: :func:`updates_per_epoch`, :func:`simulate_wall_clock`,
  :func:`cost_reduction_target`, :func:`time_to_cost`.
* Question 2 -- online learning in two orders: :func:`anchor_features`,
  :func:`online_pass`, :func:`order_effect`, :func:`loglog_slope`.
* Question 3 -- the gradient of the cost by finite differences:
  :func:`numerical_gradient`.
* Question 4 -- the mini-batch gradient's noise and the cost curve's roughness:
  :func:`measured_minibatch_variance`, :func:`trajectory_roughness`,
  :func:`roughness_by_batch_size`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_int, as_scalar
from .data import anchor_sample
from .losses import LogitLoss
from .model import (
    _objective_rows,
    check_data,
    check_lam,
    check_loss,
    check_params,
    per_sample_gradients,
)
from .landscape import minimise
from .optim import LogisticProblem, minibatch_indices, run_sgd, train
from .plotting import _axes

__all__ = [
    "updates_per_epoch",
    "WallClockRun",
    "simulate_wall_clock",
    "cost_reduction_target",
    "time_to_cost",
    "anchor_features",
    "online_pass",
    "order_effect",
    "loglog_slope",
    "numerical_gradient",
    "measured_minibatch_variance",
    "trajectory_roughness",
    "roughness_by_batch_size",
    "plot_cost_against_time",
    "plot_loglog_fit",
]


# --------------------------------------------------------------------------- question 1


def updates_per_epoch(m: int, batch_size: int) -> int:
    """Number of updates in one pass over ``m`` samples: ``ceil(m / batch_size)``.

    The last batch is smaller when ``batch_size`` does not divide ``m``, and it is
    an update too (as in :func:`lossviz.minibatch_indices`).

    Parameters
    ----------
    m : int
        Number of samples, ``m >= 1``.
    batch_size : int
        ``1 <= batch_size <= m``.

    Returns
    -------
    int
    """
    m = as_int("m", m, minimum=1)
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    return -(-m // batch_size)


def _train_for_updates(x: np.ndarray, y: np.ndarray, n_updates: int, *, batch_size: int,
                       lr: float, lam: float, seed: int, params0: np.ndarray,
                       loss: LogitLoss):
    """Run :func:`lossviz.train` for enough epochs, then keep the first ``n_updates``."""
    epochs = -(-n_updates // updates_per_epoch(x.size, batch_size))
    result = train(x, y, batch_size=batch_size, lr=lr, lam=lam, epochs=epochs, seed=seed,
                   params0=params0, loss=loss)
    keep = min(n_updates, result.n_updates) + 1
    return result.params[:keep], result.costs[:keep], result.diverged_at


@dataclass(frozen=True)
class WallClockRun:
    """A training run seen against simulated wall-clock time.

    Attributes
    ----------
    times : (n + 1,) ndarray
        Seconds elapsed at the start (0) and after each update:
        ``times[j] = j * seconds_per_step``.
    costs : (n + 1,) ndarray
        The objective on the whole training set at those times.
    params : (n + 1, 2) ndarray
        ``(w, b)`` at those times.
    batch_size : int
    seconds_per_step : float
    diverged_at : int or None
        As in :class:`lossviz.TrainResult`.
    """

    times: np.ndarray
    costs: np.ndarray
    params: np.ndarray
    batch_size: int
    seconds_per_step: float
    diverged_at: int | None

    def time_to_cost(self, target: float) -> float:
        """Seconds until the objective first reaches ``target`` (``inf`` if it never does)."""
        return time_to_cost(self.times, self.costs, target)


def simulate_wall_clock(x: ArrayLike, y: ArrayLike, *, batch_size: int, seconds_per_step: float,
                        seconds: float, lr: float, lam: float = 0.0, seed: int = 0,
                        params0: ArrayLike = (0.0, 0.0),
                        loss: LogitLoss | None = None) -> WallClockRun:
    """Train for a budget of simulated seconds, each update costing ``seconds_per_step``.

    The run makes ``floor(seconds / seconds_per_step)`` updates of
    :func:`lossviz.train` (epoch after epoch, batches from
    :func:`lossviz.minibatch_indices`) and stamps each with the time it would have
    finished. Nothing is timed for real: the clock is the question's per-step time,
    so the comparison is the same on every machine. Taught in notebook 05
    (question 1).

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``.
    seconds_per_step : float
        Simulated time of one update, ``> 0``.
    seconds : float
        The time budget, at least one step.
    lr : float
        Learning rate η > 0.
    lam : float, default 0.0
    seed : int, default 0
        Seed of the batch order.
    params0 : (2,) array_like, default (0, 0)
    loss : LogitLoss, optional

    Returns
    -------
    WallClockRun
    """
    x_arr, y_arr = check_data(x, y)
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=x_arr.size)
    step = as_scalar("seconds_per_step", seconds_per_step, minimum=0.0, strict_minimum=True)
    budget = as_scalar("seconds", seconds, minimum=0.0, strict_minimum=True)
    # round before flooring so that, e.g., 600 / 0.02 counts 30000 steps, not 29999
    n_updates = math.floor(round(budget / step, 9))
    if n_updates < 1:
        raise ValueError(f"seconds must be at least seconds_per_step ({step}), got {budget}")
    params, costs, diverged_at = _train_for_updates(
        x_arr, y_arr, n_updates, batch_size=batch_size, lr=lr, lam=lam, seed=seed,
        params0=params0, loss=check_loss(loss))
    times = np.arange(costs.size) * step
    return WallClockRun(times=times, costs=costs, params=params, batch_size=batch_size,
                        seconds_per_step=step, diverged_at=diverged_at)


def cost_reduction_target(x: ArrayLike, y: ArrayLike, fraction: float, *,
                          params0: ArrayLike = (0.0, 0.0), lam: float = 0.0,
                          loss: LogitLoss | None = None) -> float:
    """The objective after going ``fraction`` of the way from the start's to the minimum's.

    ``J* + (1 - fraction) · (J(params0) - J*)``: "reducing the cost by a fixed
    amount", the same for every optimiser that starts at ``params0``.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    fraction : float
        In ``[0, 1]``: 0 is the start's objective, 1 the minimum.
    params0 : (2,) array_like, default (0, 0)
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    float
    """
    x_arr, y_arr = check_data(x, y)
    fraction = as_scalar("fraction", fraction, minimum=0.0, maximum=1.0)
    p0 = check_params(params0, "params0")
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    p_star = minimise(x_arr, y_arr, lam_f, loss=loss_f)
    j0, j_star = _objective_rows(np.vstack([p0, p_star]), x_arr, y_arr, lam_f, loss_f)
    return float(j_star + (1.0 - fraction) * (j0 - j_star))


def time_to_cost(times: ArrayLike, costs: ArrayLike, target: float) -> float:
    """The first time at which ``costs`` is at or below ``target``.

    Parameters
    ----------
    times : (n,) array_like of float
    costs : (n,) array_like of float
    target : float

    Returns
    -------
    float
        ``times[j]`` for the first ``j`` with ``costs[j] <= target``; ``inf`` when
        the run never gets there.
    """
    t = as_float_array("times", times)
    c = as_float_array("costs", costs)
    if t.shape != c.shape:
        raise ValueError(f"times and costs must have the same shape, got {t.shape} and {c.shape}")
    target = as_scalar("target", target)
    hits = np.flatnonzero(c <= target)
    return float(t[hits[0]]) if hits.size else math.inf


# --------------------------------------------------------------------------- question 2


def anchor_features(params: ArrayLike = (1.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """The post's five samples with a feature each, so the model reproduces the post's ŷ.

    The post gives only the network's predictions ``ŷ`` and the labels, not the
    inputs. To run optimisers on its samples, give each one the feature ``xᵢ``
    for which the course's model ``σ(w·xᵢ + b)`` at ``params`` predicts exactly
    the post's ``ŷᵢ``: ``xᵢ = (logit(ŷᵢ) - b) / w``. With the default
    ``(w, b) = (1, 0)`` the feature is the logit itself. Taught in notebook 05
    (question 2).

    Parameters
    ----------
    params : (2,) array_like, default (1, 0)
        ``(w, b)`` with ``w != 0``.

    Returns
    -------
    x : (5,) ndarray of float64
        Features with ``predict(params, x) == anchor_sample()[1]`` (to rounding).
    y : (5,) ndarray of float64
        The post's labels.
    """
    p = check_params(params)
    if p[0] == 0.0:
        raise ValueError(f"params[0] (w) must not be 0: no feature changes the prediction, got {p}")
    y, y_hat = anchor_sample()
    x = (np.log(y_hat) - np.log1p(-y_hat) - p[1]) / p[0]
    return x, y


def online_pass(params0: ArrayLike, x: ArrayLike, y: ArrayLike, *, lr: float, lam: float = 0.0,
                loss: LogitLoss | None = None) -> np.ndarray:
    """Online learning over the samples in the order given: one update per sample.

    ``(w, b) ← (w, b) - lr · [∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)]`` for ``i = 0, 1, ...`` in
    array order -- the update :func:`lossviz.train` makes with ``batch_size = 1``,
    but in an order you choose (pass ``x[[1, 0]]`` to reverse two samples).
    Taught in notebook 05 (question 2).

    Parameters
    ----------
    params0 : (2,) array_like
        Starting ``(w, b)``.
    x : (n,) array_like of float
    y : (n,) array_like of float in [0, 1]
    lr : float
        η > 0.
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    (n + 1, 2) ndarray of float64
        ``(w, b)`` at the start and after each sample. Row ``-1`` is the end.
        A run whose parameters stop being finite raises :class:`ValueError`.
    """
    p = check_params(params0, "params0")
    problem = LogisticProblem(x, y, lam, loss=loss)
    lr = as_scalar("lr", lr, minimum=0.0, strict_minimum=True)
    runs = run_sgd(problem, p, batch_size=1, lr=lr, n_updates=problem.m, shuffle=False)
    if runs.diverged.any():
        raise ValueError(f"lr = {lr} is too large: the online updates overflowed")
    return runs.params[:, 0]


def order_effect(params0: ArrayLike, x: ArrayLike, y: ArrayLike, lrs: ArrayLike, *,
                 lam: float = 0.0, loss: LogitLoss | None = None) -> np.ndarray:
    """How far apart online learning ends up in the given order and in the reverse order.

    For each learning rate η, ``‖θ_forward(η) - θ_reversed(η)‖`` after one
    :func:`online_pass` over the samples in array order and one in reverse
    order, both from ``params0``. Full-batch gradient descent has no order, so
    this is zero for it; for online learning it grows like η² for small η.
    Taught in notebook 05 (question 2).

    Parameters
    ----------
    params0 : (2,) array_like
    x : (n,) array_like of float
    y : (n,) array_like of float in [0, 1]
    lrs : (k,) array_like of float
        Learning rates, each ``> 0``.
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    (k,) ndarray of float64
    """
    x_arr, y_arr = check_data(x, y)
    etas = as_float_array("lrs", lrs)
    if np.any(etas <= 0):
        raise ValueError(f"lrs must all be > 0, got {etas[etas <= 0][0]}")
    return np.array([
        np.linalg.norm(online_pass(params0, x_arr, y_arr, lr=eta, lam=lam, loss=loss)[-1]
                       - online_pass(params0, x_arr[::-1], y_arr[::-1], lr=eta, lam=lam,
                                     loss=loss)[-1])
        for eta in etas
    ])


def loglog_slope(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    """Least-squares line through ``(log10 x, log10 y)``: the exponent of a power law.

    If ``y ≈ c · x^p`` then ``log10 y ≈ p · log10 x + log10 c``.

    Parameters
    ----------
    x, y : (n,) array_like of float, all ``> 0``, ``n >= 2``

    Returns
    -------
    slope : float
        The fitted exponent ``p``.
    intercept : float
        ``log10 c``.
    """
    xa = as_float_array("x", x)
    ya = as_float_array("y", y)
    if xa.shape != ya.shape:
        raise ValueError(f"x and y must have the same shape, got {xa.shape} and {ya.shape}")
    if xa.size < 2:
        raise ValueError(f"x and y need at least 2 points, got {xa.size}")
    for name, arr in (("x", xa), ("y", ya)):
        if np.any(arr <= 0):
            raise ValueError(f"{name} must be > 0 on a log scale, got {arr[arr <= 0][0]}")
    lx = np.log10(xa)
    if np.ptp(lx) == 0:
        raise ValueError(f"x must hold at least two different values, got {xa[0]} only")
    slope, intercept = np.polyfit(lx, np.log10(ya), 1)
    return float(slope), float(intercept)


# --------------------------------------------------------------------------- question 3


def numerical_gradient(params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *,
                       h: float = 1e-6, loss: LogitLoss | None = None) -> np.ndarray:
    """Gradient of the objective ``J + λ/2·w²`` by central finite differences.

    ``∂J/∂θₖ ≈ [J(θ + h·eₖ) - J(θ - h·eₖ)] / (2h)``: knows nothing of the chain
    rule or of per-sample gradients, so it is an independent check of
    :func:`lossviz.gradient`. Taught in notebook 05 (question 3).

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
    h : float, default 1e-6
        Step, ``> 0``. The error is about ``h²`` plus rounding of order ``1e-16 / h``.
    loss : LogitLoss, optional

    Returns
    -------
    (2,) ndarray of float64
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    lam_f = check_lam(lam)
    h = as_scalar("h", h, minimum=0.0, strict_minimum=True)
    loss_f = check_loss(loss)
    steps = h * np.eye(2)
    points = np.vstack([p + steps, p - steps])
    values = _objective_rows(points, x_arr, y_arr, lam_f, loss_f)
    return (values[:2] - values[2:]) / (2.0 * h)


# --------------------------------------------------------------------------- question 4


def measured_minibatch_variance(params: ArrayLike, x: ArrayLike, y: ArrayLike, batch_size: int,
                                *, n_batches: int = 2000, seed: int = 0,
                                loss: LogitLoss | None = None) -> float:
    """``E‖ĝ_k - g‖²`` measured over real mini-batches, to set beside the formula.

    Draws batches exactly as :func:`lossviz.train` does --
    :func:`lossviz.minibatch_indices` epoch after epoch from
    ``numpy.random.default_rng(seed)`` -- keeps the full-size ones, and averages
    the squared distance between each batch's mean gradient ``ĝ_k`` and the full
    gradient ``g``. Compare :func:`lossviz.minibatch_gradient_variance`, the
    formula ``tr(Σ)/k · (m - k)/(m - 1)``. Taught in notebook 05 (question 4).

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)`` at which the gradients are taken.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``.
    n_batches : int, default 2000
        How many batches to average over, ``>= 1``.
    seed : int, default 0
    loss : LogitLoss, optional

    Returns
    -------
    float
        The sample mean over ``n_batches`` batches (its relative standard error is
        a few percent for the default).
    """
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    n_batches = as_int("n_batches", n_batches, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    g = G.mean(axis=0)
    rng = np.random.default_rng(seed)
    per_epoch = m // k                      # full-size batches in one epoch
    errors = []
    n = 0
    while n < n_batches:
        order = np.concatenate(minibatch_indices(m, k, rng))[:per_epoch * k]
        means = G[order].reshape(per_epoch, k, 2).mean(axis=1)
        errors.append(np.sum((means - g) ** 2, axis=1))
        n += per_epoch
    return float(np.concatenate(errors)[:n_batches].mean())


def trajectory_roughness(costs: ArrayLike) -> float:
    """Root-mean-square change of the cost from one update to the next.

    ``sqrt(mean((J_{t+1} - J_t)²))``: zero for a curve that does not move, and,
    for a run that starts at the minimum, a measure of how much the cost jumps
    around it. Taught in notebook 05 (question 4).

    Parameters
    ----------
    costs : (n,) array_like of float, ``n >= 2``

    Returns
    -------
    float
    """
    c = as_float_array("costs", costs)
    if c.size < 2:
        raise ValueError(f"costs needs at least 2 values, got {c.size}")
    return float(np.sqrt(np.mean(np.diff(c) ** 2)))


def roughness_by_batch_size(x: ArrayLike, y: ArrayLike, batch_sizes: Sequence[int], *, lr: float,
                            n_updates: int, params0: ArrayLike, lam: float = 0.0, seed: int = 0,
                            loss: LogitLoss | None = None) -> np.ndarray:
    """:func:`trajectory_roughness` of ``n_updates`` updates for each batch size.

    Every run starts at ``params0`` with the same learning rate and seed; start
    at the minimum (:func:`lossviz.minimise`) to see only the noise: full-batch
    gradient descent then stays put and its roughness is zero (to rounding).
    Taught in notebook 05 (question 4).

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_sizes : sequence of int
        Each in ``[1, m]``.
    lr : float
        η > 0.
    n_updates : int
        Updates per run, ``>= 1``.
    params0 : (2,) array_like
    lam : float, default 0.0
    seed : int, default 0
    loss : LogitLoss, optional

    Returns
    -------
    (len(batch_sizes),) ndarray of float64

    Raises
    ------
    ValueError
        If a run diverges (lower ``lr``): the roughness of a divergent run means nothing.
    """
    x_arr, y_arr = check_data(x, y)
    ks = [as_int("batch_sizes", k, minimum=1, maximum=x_arr.size) for k in batch_sizes]
    if not ks:
        raise ValueError("batch_sizes must not be empty")
    n_updates = as_int("n_updates", n_updates, minimum=1)
    loss_f = check_loss(loss)
    out = np.empty(len(ks))
    for j, k in enumerate(ks):
        _, costs, diverged_at = _train_for_updates(
            x_arr, y_arr, n_updates, batch_size=k, lr=lr, lam=lam, seed=seed,
            params0=params0, loss=loss_f)
        if diverged_at is not None:
            raise ValueError(f"the run with batch_size {k} diverged at update {diverged_at}; "
                             f"lower lr (got {lr})")
        out[j] = trajectory_roughness(costs)
    return out


# --------------------------------------------------------------------------- drawing


def plot_cost_against_time(runs: Sequence[WallClockRun], labels: Sequence[str], *,
                           target: float | None = None, ax: Axes | None = None) -> Axes:
    """The objective of each run against simulated seconds, on a log time axis.

    Draws each run from its first update on (a log axis has no 0), earlier runs
    on top of later ones (pass the smooth run first), the start's objective as a
    dotted line, and, when ``target`` is given, the target as a dashed line with
    a marker where each run first reaches it.

    Parameters
    ----------
    runs : sequence of WallClockRun
        From :func:`simulate_wall_clock`.
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
        ax.plot(run.times[1:], run.costs[1:], color=f"C{j}", linewidth=1.5 if j == 0 else 0.8,
                label=label, zorder=2 + n - j)
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


def plot_loglog_fit(x: ArrayLike, y: ArrayLike, slope: float, intercept: float, *,
                    ax: Axes | None = None, label: str = "measured") -> Axes:
    """Points ``(x, y)`` on log-log axes with the line ``10**intercept · x**slope``.

    Parameters
    ----------
    x, y : (n,) array_like of float, ``> 0``
    slope, intercept : float
        From :func:`loglog_slope`.
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
    ax.loglog(xa, 10.0 ** intercept * xa ** slope, "-", color="C1",
              label=f"fitted line, slope {slope:.2f}")
    ax.legend()
    return ax
