"""What batch size trades: updates against time, noise against steps, the critical batch size.

The post's claims about batch size, measured on the course's data:

* updates per second and per epoch, and a race under simulated wall-clock time
  (notebook 06, question 1): :func:`updates_per_epoch`, :func:`simulate_wall_clock`,
  :func:`cost_reduction_target`, :func:`time_to_cost`;
* online learning in two orders (question 2): :func:`order_effect` (built on
  :func:`lossviz.optim.online_pass`) and :func:`loglog_slope`;
* the roughness of the cost curve (question 4): :func:`trajectory_roughness`,
  :func:`roughness_by_batch_size`;
* updates to a target against batch size (notebook 09). McCandlish, Kaplan, Amodei
  et al. (2018) found that the updates ``S`` and the examples ``E = B·S`` needed to
  reach a given cost trade off as

  ``(S/S_min - 1)·(E/E_min - 1) = 1``,

  that is ``S = S_min·(1 + B_crit/B)`` with the *critical batch size*
  ``B_crit = E_min/S_min``: below it, doubling the batch halves the updates;
  above it, it barely saves any. :func:`steps_to_target`, :func:`fit_tradeoff`,
  :func:`simulated_step_time`. The gradient noise scale that predicts ``B_crit``
  is in :mod:`lossviz.optim.noise`.

The drawings of these results are in :mod:`lossviz.plot.batch_size`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import Boolean, RealArray, SequenceOf, validate_params
from .._kernels import objective_rows
from .._validation import as_float_array
from ..data import make_churn
from ..losses import LogitLoss
from ..model import check_loss
from ..optim.newton import minimise
from ..optim.sgd import LogisticProblem, online_pass, run_seeds, run_sgd, train
from ._checks import (
    FEATURE,
    LABELS,
    LAM,
    LOSS,
    MAX_RUNS,
    MAX_UPDATES,
    PARAMS,
    SEED,
    allowing_inf,
    array,
    check_pair,
    count,
    positive,
    real,
)

__all__ = [
    "StepsToTarget",
    "TradeOff",
    "WallClockRun",
    "cost_reduction_target",
    "fit_tradeoff",
    "loglog_slope",
    "order_effect",
    "roughness_by_batch_size",
    "simulate_wall_clock",
    "simulated_step_time",
    "steps_to_target",
    "time_to_cost",
    "trajectory_roughness",
    "updates_per_epoch",
]

#: Most examples (samples' gradients) one :func:`steps_to_target` sweep may process in the
#: worst case -- every run to its budget: ``n_lrs · n_seeds · Σ_B B · budget(B)``. Lesson 09's
#: sweep is at most 5e9 (and stops far earlier); past 2e10 it would run for an hour or more.
MAX_SWEEP_EXAMPLES: float = 2e10

_RECORD_HINT = "fewer updates, or a larger seconds_per_step"


def _example_data() -> dict[str, np.ndarray]:
    x, y = make_churn(60, seed=0)
    return {"x": x, "y": y}


def _check_updates(name: str, n: float, limit: int = MAX_UPDATES, how: str = "") -> None:
    if not n <= limit:
        raise ValueError(
            f"{name} asks for {n:.3g} updates, over the limit of {limit} "
            f"(lossviz.topics._checks.MAX_UPDATES){': ' + how if how else ''}"
        )


# ----------------------------------------------- updates, epochs and simulated time (notebook 06, question 1)


@validate_params({"m": count(1), "batch_size": count(1)})
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

    Examples
    --------
    >>> updates_per_epoch(10, 3), updates_per_epoch(10, 10), updates_per_epoch(10, 1)
    (4, 1, 10)
    """
    if batch_size > m:
        raise ValueError(f"batch_size must be <= m = {m}, got {batch_size}")
    return -(-m // batch_size)


def _train_for_updates(
    x: np.ndarray,
    y: np.ndarray,
    n_updates: int,
    *,
    batch_size: int,
    lr: float,
    lam: float,
    seed: int,
    params0: ArrayLike,
    loss: LogitLoss,
) -> tuple[np.ndarray, np.ndarray, int | None]:
    """Run :func:`lossviz.train` for enough epochs, then keep the first ``n_updates``."""
    epochs = -(-n_updates // updates_per_epoch(x.size, batch_size))
    result = train(
        x, y, batch_size=batch_size, lr=lr, lam=lam, epochs=epochs, seed=seed, params0=params0, loss=loss
    )
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

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> run = simulate_wall_clock(x, y, batch_size=10, seconds_per_step=0.5, seconds=3.0, lr=0.5)
    >>> run.times
    array([0. , 0.5, 1. , 1.5, 2. , 2.5, 3. ])
    >>> run.time_to_cost(run.costs[0])    # the start is already at its own cost
    0.0
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


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "batch_size": count(1),
        "seconds_per_step": positive(),
        "seconds": positive(),
        "lr": positive(),
        "lam": LAM,
        "seed": SEED,
        "params0": PARAMS,
        "loss": LOSS,
    },
    example=_example_data,
)
def simulate_wall_clock(
    x: ArrayLike,
    y: ArrayLike,
    *,
    batch_size: int,
    seconds_per_step: float,
    seconds: float,
    lr: float,
    lam: float = 0.0,
    seed: int = 0,
    params0: ArrayLike = (0.0, 0.0),
    loss: LogitLoss | None = None,
) -> WallClockRun:
    """Train for a budget of simulated seconds, each update costing ``seconds_per_step``.

    The run makes ``floor(seconds / seconds_per_step)`` updates of
    :func:`lossviz.train` (epoch after epoch, batches from
    :func:`lossviz.minibatch_indices`) and stamps each with the time it would have
    finished. Nothing is timed for real: the clock is the question's per-step time,
    so the comparison is the same on every machine. Taught in notebook 06
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

    Examples
    --------
    In the same 10 simulated seconds, a step that costs half as long makes twice the updates:

    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> slow = simulate_wall_clock(x, y, batch_size=100, seconds_per_step=1.0, seconds=10.0, lr=1.0)
    >>> fast = simulate_wall_clock(x, y, batch_size=10, seconds_per_step=0.5, seconds=10.0, lr=1.0)
    >>> slow.costs.size - 1, fast.costs.size - 1
    (10, 20)
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    if batch_size > x_arr.size:
        raise ValueError(f"batch_size must be <= m = {x_arr.size}, got {batch_size}")
    step, budget = seconds_per_step, seconds
    with np.errstate(over="ignore"):
        ratio = budget / step
    _check_updates(f"seconds / seconds_per_step = {budget:g} / {step:g}", ratio, how=_RECORD_HINT)
    # round before flooring so that, e.g., 600 / 0.02 counts 30000 steps, not 29999
    n_updates = math.floor(round(ratio, 9))
    if n_updates < 1:
        raise ValueError(f"seconds must be at least seconds_per_step ({step}), got {budget}")
    params, costs, diverged_at = _train_for_updates(
        x_arr,
        y_arr,
        n_updates,
        batch_size=batch_size,
        lr=lr,
        lam=lam,
        seed=seed,
        params0=params0,
        loss=check_loss(loss),
    )
    times = np.arange(costs.size) * step
    return WallClockRun(
        times=times,
        costs=costs,
        params=params,
        batch_size=batch_size,
        seconds_per_step=step,
        diverged_at=diverged_at,
    )


@validate_params(
    {"x": FEATURE, "y": LABELS, "fraction": real(0.0, 1.0), "params0": PARAMS, "lam": LAM, "loss": LOSS},
    example=_example_data,
)
def cost_reduction_target(
    x: ArrayLike,
    y: ArrayLike,
    fraction: float,
    *,
    params0: ArrayLike = (0.0, 0.0),
    lam: float = 0.0,
    loss: LogitLoss | None = None,
) -> float:
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

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> round(cost_reduction_target(x, y, 0.0), 6)   # the start (0, 0): log 2
    0.693147
    >>> bool(np.isclose(cost_reduction_target(x, y, 1.0), lv.objective_at(lv.minimise(x, y), x, y)))
    True
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    p0, lam_f, loss_f = array(params0), lam, check_loss(loss)
    p_star = minimise(x_arr, y_arr, lam_f, loss=loss_f)
    j0, j_star = objective_rows(np.vstack([p0, p_star]), x_arr, y_arr, lam_f, loss_f)
    out = float(j_star + (1.0 - fraction) * (j0 - j_star))
    if not math.isfinite(out):
        raise ValueError(
            f"params0 = {tuple(float(v) for v in p0)} is too far from the minimum: its objective"
            f" {j0:g} is not finite; start nearer (0, 0)"
        )
    return out


@validate_params(
    {
        "times": RealArray(example_value=[0.0, 1.0, 2.0]),
        "costs": allowing_inf(RealArray(finite=False, example_value=[0.7, 0.6, 0.5])),
        "target": real(),
    },
    nonfinite="inf when the costs never reach the target (documented)",
)
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
        the run never gets there (the honest answer, not an error).

    Examples
    --------
    >>> time_to_cost([0.0, 1.0, 2.0], [3.0, 2.0, 1.0], target=2.5)
    1.0
    >>> time_to_cost([0.0, 1.0, 2.0], [3.0, 2.0, 1.0], target=0.5)
    inf
    """
    t, c = check_pair("times", times, "costs", costs)
    if np.isnan(c).any():
        raise ValueError(f"costs must not hold nan, got nan at index {int(np.flatnonzero(np.isnan(c))[0])}")
    hits = np.flatnonzero(c <= target)
    return float(t[hits[0]]) if hits.size else math.inf


# ------------------------------------------------------------- the order of online updates (question 2)


@validate_params(
    {
        "params0": PARAMS,
        "x": FEATURE,
        "y": LABELS,
        "lrs": RealArray(lo=0.0, lo_open=True, max_size=MAX_RUNS, example_value=[0.1, 0.2]),
        "lam": LAM,
        "loss": LOSS,
    },
    example=_example_data,
)
def order_effect(
    params0: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    lrs: ArrayLike,
    *,
    lam: float = 0.0,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """How far apart online learning ends up in the given order and in the reverse order.

    For each learning rate η, ``‖θ_forward(η) - θ_reversed(η)‖`` after one
    :func:`online_pass` over the samples in array order and one in reverse
    order, both from ``params0``. Full-batch gradient descent has no order, so
    this is zero for it; for online learning it grows like η² for small η.
    Taught in notebook 06 (question 2).

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

    Examples
    --------
    Doubling η makes the gap about four times larger:

    >>> import lossviz as lv
    >>> x, y = lv.make_churn(10, seed=0)
    >>> gap = order_effect((0.0, 0.0), x, y, [0.01, 0.02])
    >>> round(float(gap[1] / gap[0]), 1)
    3.9
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    etas = array(lrs)
    _check_updates("lrs x 2 passes x m", 2.0 * etas.size * x_arr.size, how="fewer learning rates or samples")
    out = np.empty(etas.size)
    for i, eta in enumerate(etas):
        try:
            forward = online_pass(params0, x_arr, y_arr, lr=eta, lam=lam, loss=loss)[-1]
            backward = online_pass(params0, x_arr[::-1], y_arr[::-1], lr=eta, lam=lam, loss=loss)[-1]
        except ValueError as exc:
            raise ValueError(f"lrs[{i}] = {eta:g} (with lam = {lam:g}) is too large: {exc}") from None
        with np.errstate(over="ignore"):
            out[i] = np.linalg.norm(forward - backward)
        if not np.isfinite(out[i]):
            raise ValueError(f"lrs[{i}] = {eta:g} is too large: the two orders end too far apart to measure")
    return out


@validate_params(
    {
        "x": RealArray(lo=0.0, lo_open=True, min_size=2, example_value=[1.0, 10.0, 100.0]),
        "y": RealArray(lo=0.0, lo_open=True, min_size=2, example_value=[2.0, 0.2, 0.02]),
    }
)
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

    Examples
    --------
    ``y = 3·x²``:

    >>> slope, intercept = loglog_slope([1.0, 10.0, 100.0], [3.0, 300.0, 30000.0])
    >>> round(slope, 12), round(10**intercept, 12)
    (2.0, 3.0)
    """
    xa, ya = check_pair("x", x, "y", y)
    lx = np.log10(xa)
    if np.ptp(lx) == 0:
        raise ValueError(f"x must hold at least two different values, got {xa[0]} only")
    slope, intercept = np.polyfit(lx, np.log10(ya), 1)
    return float(slope), float(intercept)


# ------------------------------------------------------------ the roughness of the cost curve (question 4)


@validate_params({"costs": RealArray(min_size=2, example_value=[0.7, 0.6, 0.65, 0.5])})
def trajectory_roughness(costs: ArrayLike) -> float:
    """Root-mean-square change of the cost from one update to the next.

    ``sqrt(mean((J_{t+1} - J_t)²))``: zero for a curve that does not move, and,
    for a run that starts at the minimum, a measure of how much the cost jumps
    around it. Taught in notebook 06 (question 4).

    Parameters
    ----------
    costs : (n,) array_like of float, ``n >= 2``

    Returns
    -------
    float

    Examples
    --------
    >>> trajectory_roughness([1.0, 2.0, 1.0])   # two jumps of size 1
    1.0
    """
    c = costs
    return float(np.sqrt(np.mean(np.diff(c) ** 2)))


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "batch_sizes": SequenceOf(count(1), max_len=MAX_RUNS),
        "lr": positive(),
        "n_updates": count(1, MAX_UPDATES, "lossviz.topics._checks.MAX_UPDATES: fewer updates"),
        "params0": PARAMS,
        "lam": LAM,
        "seed": SEED,
        "loss": LOSS,
    },
    example=_example_data,
)
def roughness_by_batch_size(
    x: ArrayLike,
    y: ArrayLike,
    batch_sizes: Sequence[int],
    *,
    lr: float,
    n_updates: int,
    params0: ArrayLike,
    lam: float = 0.0,
    seed: int = 0,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """:func:`trajectory_roughness` of ``n_updates`` updates for each batch size.

    Every run starts at ``params0`` with the same learning rate and seed; start
    at the minimum (:func:`lossviz.minimise`) to see only the noise: full-batch
    gradient descent then stays put and its roughness is zero (to rounding).
    Taught in notebook 06 (question 4).

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

    Examples
    --------
    From the minimum, full-batch descent stays put; one-sample updates jump around it:

    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> r = roughness_by_batch_size(x, y, [1, 100], lr=0.5, n_updates=50, params0=lv.minimise(x, y))
    >>> bool(r[1] < 1e-12 < 1e-4 < r[0])
    True
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    ks = batch_sizes
    for i, k in enumerate(ks):
        if k > x_arr.size:
            raise ValueError(f"batch_sizes[{i}] must be <= m = {x_arr.size}, got {k}")
    _check_updates("batch_sizes x n_updates", len(ks) * n_updates, how="fewer batch sizes or updates")
    loss_f = check_loss(loss)
    out = np.empty(len(ks))
    for j, k in enumerate(ks):
        _, costs, diverged_at = _train_for_updates(
            x_arr, y_arr, n_updates, batch_size=k, lr=lr, lam=lam, seed=seed, params0=params0, loss=loss_f
        )
        if diverged_at is not None:
            raise ValueError(
                f"the run with batch_size {k} diverged at update {diverged_at}; lower lr (got {lr})"
                + (f" or lam (got {lam})" if lam else "")
            )
        out[j] = trajectory_roughness(costs)
    return out


# ------------------------------------------------- updates to a target against batch size (notebook 09)
@dataclass(frozen=True)
class StepsToTarget:
    """Updates needed to bring the expected objective to a target, per batch size and learning rate.

    Attributes
    ----------
    batch_sizes : (nB,) ndarray of int
    lrs : (nL,) ndarray
    steps : (nB, nL) ndarray of float
        The first checkpoint (update count) from which the objective on the
        whole training set, averaged over the seeds, stayed at or below
        ``target`` for ``hold`` checkpoints; ``inf`` if a seed diverged, if the
        average did not get there (and stay) within the budget, or if the
        sweep stopped the learning rate early (see ``stop_at_first`` in
        :func:`steps_to_target`).
    target : float
    n_seeds : int
    hold : int
    max_steps : (nB,) ndarray of int
        The update budget of each batch size.

    Examples
    --------
    >>> result = StepsToTarget(batch_sizes=np.array([10, 100]), lrs=np.array([0.5, 1.0]),
    ...                        steps=np.array([[40.0, 30.0], [np.inf, np.inf]]), target=0.6,
    ...                        n_seeds=1, hold=1, max_steps=np.array([100, 100]))
    >>> result.best_lr, result.best_steps, result.best_examples
    (array([ 1., nan]), array([30., inf]), array([300.,  inf]))
    """

    batch_sizes: np.ndarray
    lrs: np.ndarray
    steps: np.ndarray
    target: float
    n_seeds: int
    hold: int
    max_steps: np.ndarray

    @property
    def best_lr_index(self) -> np.ndarray:
        """``(nB,)`` index of the learning rate with the fewest steps, per batch size.

        Ties go to the smaller learning rate; ``-1`` where no learning rate reached the target.
        """
        best = np.argmin(self.steps, axis=1)
        return np.where(np.isfinite(self.steps.min(axis=1)), best, -1)

    @property
    def best_lr(self) -> np.ndarray:
        """``(nB,)`` the best learning rate per batch size (``nan`` where none reached it)."""
        idx = self.best_lr_index
        return np.where(idx >= 0, self.lrs[np.maximum(idx, 0)], np.nan)

    @property
    def best_steps(self) -> np.ndarray:
        """``(nB,)`` steps at the best learning rate (``inf`` where none reached it)."""
        return self.steps.min(axis=1)

    @property
    def best_examples(self) -> np.ndarray:
        """``(nB,)`` examples processed at the best learning rate: ``B · S``."""
        return self.batch_sizes * self.best_steps


def _checkpoints(max_steps: int, per_decade: int) -> np.ndarray:
    n = int(np.ceil(np.log10(max(max_steps, 2)) * per_decade)) + 1
    return np.unique(np.round(np.geomspace(1, max_steps, n)).astype(int))


def _run_batch_size(
    problem: LogisticProblem,
    batch_size: int,
    lrs: np.ndarray,
    seeds: np.ndarray,
    target: float,
    max_steps: int,
    p0: np.ndarray,
    per_decade: int,
    hold: int,
    stop_at_first: bool,
) -> np.ndarray:
    """Steps for the seed-averaged objective to reach ``target`` and stay, per learning rate.

    All learning rates and seeds of one batch size are one :func:`lossviz.optim.run_sgd`
    sweep (run ``i·n_seeds + s`` is learning rate ``i`` with seed ``seeds[i·n_seeds + s]``), recorded
    at geometrically spaced checkpoints; at each, the runs of a learning rate that has
    reached the target and held it, or that has a diverged seed, are stopped.
    """
    n_lr = lrs.size
    n_seeds = seeds.size // n_lr
    steps = np.full(n_lr, np.inf)
    live = np.ones(n_lr, dtype=bool)  # learning rates still running: not done, not diverged
    streak = np.zeros(n_lr, dtype=int)  # consecutive checkpoints at or below the target
    first = np.zeros(n_lr)  # the checkpoint that started the current streak
    checkpoints = _checkpoints(max_steps, per_decade)
    diverged = np.zeros(n_lr, dtype=bool)

    def at_checkpoint(step: int, params: np.ndarray, active: np.ndarray) -> np.ndarray | None:
        if step == 0:
            return None
        going = active.reshape(n_lr, n_seeds)
        # a learning rate with a seed that diverged (stopped, not by us) is out
        blown = live & ~going.all(axis=1)
        diverged[blown] = True
        live[blown] = False
        streak[blown] = 0
        rows = np.flatnonzero(live)
        if rows.size:
            run_rows = (rows[:, None] * n_seeds + np.arange(n_seeds)).ravel()
            J = problem.objective_rows(params[run_rows])
            below = J.reshape(rows.size, n_seeds).mean(axis=1) <= target
            first[rows[below & (streak[rows] == 0)]] = step
            streak[rows] = np.where(below, streak[rows] + 1, 0)
            done = rows[streak[rows] >= hold]
            steps[done] = first[done]
            live[done] = False
        if stop_at_first and np.isfinite(steps).any():
            # Stop once no running learning rate can still report fewer steps: one that is
            # below the target now started its streak at `first`, any other starts later.
            pending = live & (streak > 0) & (first < steps.min())
            if not pending.any():
                live[:] = False
        return np.repeat(~live, n_seeds)

    run_sgd(
        problem,
        p0,
        batch_size=batch_size,
        lr=np.repeat(lrs, n_seeds),
        seeds=seeds,
        n_updates=max_steps,
        record=np.concatenate([[0], checkpoints]),
        on_record=at_checkpoint,
    )
    return steps


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "batch_sizes": SequenceOf(count(1), max_len=MAX_RUNS),
        "lrs": RealArray(lo=0.0, lo_open=True, max_size=MAX_RUNS, example_value=[0.5]),
        "target": real(),
        "n_seeds": count(1, 10_000, "average fewer seeds"),
        "max_examples": count(1),
        "max_steps": count(1, MAX_UPDATES, "lossviz.topics._checks.MAX_UPDATES: a smaller budget"),
        "seed": SEED,
        "lam": LAM,
        "params0": PARAMS,
        "loss": LOSS,
        "checkpoints_per_decade": count(1, 1000, "40 resolve step counts to about 6 %"),
        "hold": count(1, 1000, "a few checkpoints are enough"),
        "stop_at_first": Boolean(),
    },
    example=lambda: {**_example_data(), "target": 0.6, "n_seeds": 2, "max_steps": 200},
    nonfinite="StepsToTarget.steps is inf where a learning rate did not reach the target (documented)",
)
def steps_to_target(
    x: ArrayLike,
    y: ArrayLike,
    *,
    batch_sizes: Sequence[int],
    lrs: ArrayLike,
    target: float,
    n_seeds: int = 8,
    max_examples: int = 200_000,
    max_steps: int = 20_000,
    seed: int = 0,
    lam: float = 0.0,
    params0: ArrayLike = (0.0, 0.0),
    loss: LogitLoss | None = None,
    checkpoints_per_decade: int = 40,
    hold: int = 5,
    stop_at_first: bool = True,
) -> StepsToTarget:
    """Updates of mini-batch SGD needed to bring the expected objective down to ``target``.

    For every batch size and learning rate, runs ``n_seeds`` copies of SGD
    exactly as :func:`lossviz.train` does (a fresh permutation each epoch, cut
    into batches of ``batch_size``; the last batch of an epoch is smaller when
    ``batch_size`` does not divide ``m``), all learning rates and seeds of one
    batch size at once as numpy arrays. At geometrically spaced checkpoints
    (``checkpoints_per_decade`` per factor of ten: 40 resolve step counts to
    about 6 %) the objective on the whole training set is averaged over the
    seeds. The learning rate's count is the first checkpoint of a run of
    ``hold`` consecutive checkpoints at which that average is at or below
    ``target``: the average cost has come down to the target *and stays there*.
    Both the averaging and the holding matter: a single noisy run, or a noisy
    average, can dip below a target that its typical cost never reaches, and
    picking the learning rate with the fewest steps would then reward luck.
    A learning rate gets ``inf`` if any seed diverges, if the budget of
    ``min(max_steps, max_examples // batch_size)`` updates (at least 1) is
    spent, or -- with ``stop_at_first`` -- if another learning rate reached the
    target first (it could then no longer be the best, and running it on would
    only cost time).

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_sizes : sequence of int
        Each in ``[1, m]``.
    lrs : (nL,) array_like of float
        Learning rates, each ``> 0``.
    target : float
        The objective to reach, e.g. from :func:`lossviz.cost_reduction_target`.
    n_seeds : int, default 8
        Independent batch orders averaged per (batch size, learning rate).
    max_examples : int, default 200_000
    max_steps : int, default 20_000
    seed : int, default 0
        Base seed of the batch orders. Every run has its own: copy ``s`` of learning
        rate ``i`` at batch size ``b`` is ``train(..., seed=run_seeds((seed, b),
        n_lrs·n_seeds)[i·n_seeds + s])`` (:func:`lossviz.optim.run_seeds`).
    lam : float, default 0.0
    params0 : (2,) array_like, default (0, 0)
    loss : LogitLoss, optional
    checkpoints_per_decade : int, default 40
    hold : int, default 5
        Consecutive checkpoints the seed-averaged cost must stay at or below the
        target (about 30 % more updates at 40 per decade).
    stop_at_first : bool, default True
        Stop each batch size as soon as no running learning rate can still
        report fewer steps than the best one so far: enough for the best
        learning rate and its step count, at a fraction of the cost. False runs
        every learning rate to the target or its budget.

    Returns
    -------
    StepsToTarget

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> target = cost_reduction_target(x, y, 0.5)
    >>> result = steps_to_target(x, y, batch_sizes=[10, 100], lrs=[0.5, 2.0], target=target,
    ...                          n_seeds=2, max_steps=2000)
    >>> result.steps.shape, bool(np.isfinite(result.best_steps).all())
    ((2, 2), True)
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    m = x_arr.size
    for i, b in enumerate(batch_sizes):
        if b > m:
            raise ValueError(f"batch_sizes[{i}] must be <= m = {m}, got {b}")
    bs = np.array(batch_sizes, dtype=int)
    lr_arr, p0, loss_f = array(lrs), array(params0), check_loss(loss)
    lam_f, per_decade = lam, checkpoints_per_decade
    if lr_arr.size * n_seeds > MAX_RUNS:
        raise ValueError(
            f"lrs x n_seeds is {lr_arr.size} x {n_seeds} = {lr_arr.size * n_seeds} runs at once,"
            f" over the limit of {MAX_RUNS} (lossviz.topics._checks.MAX_RUNS):"
            " use fewer learning rates or seeds"
        )
    budgets = np.array([max(1, min(max_steps, max_examples // int(b))) for b in bs], dtype=int)
    worst = float(lr_arr.size * n_seeds) * float(np.sum(bs.astype(float) * budgets))
    if worst > MAX_SWEEP_EXAMPLES:
        raise ValueError(
            f"this sweep may process up to {worst:.3g} examples"
            " (lrs x n_seeds x the sum of batch_size x its budget),"
            f" over the limit of {MAX_SWEEP_EXAMPLES:g} (lossviz.topics.batch_size.MAX_SWEEP_EXAMPLES):"
            " lower max_examples or max_steps, or use fewer learning rates, seeds or batch sizes"
        )
    problem = LogisticProblem(x_arr, y_arr, lam_f, loss=loss_f)
    out = np.empty((bs.size, lr_arr.size))
    with np.errstate(all="ignore"):
        for i, (b, budget) in enumerate(zip(bs, budgets)):
            # Independent batch orders for every (batch size, learning rate, copy): shared orders
            # would give every learning rate the same lucky stretches, and ties at the same checkpoint.
            seeds = run_seeds((seed, int(b)), lr_arr.size * n_seeds)
            out[i] = _run_batch_size(
                problem, int(b), lr_arr, seeds, target, int(budget), p0, per_decade, hold, bool(stop_at_first)
            )
    return StepsToTarget(
        batch_sizes=bs, lrs=lr_arr, steps=out, target=target, n_seeds=n_seeds, hold=hold, max_steps=budgets
    )


# ------------------------------------------------------------------ the trade-off curve
@validate_params({"s_min": positive(), "e_min": positive()}, example=lambda: {"s_min": 20.0, "e_min": 500.0})
@dataclass(frozen=True)
class TradeOff:
    """The fitted ``S = S_min·(1 + B_crit/B)``, i.e. ``(S/S_min - 1)(E/E_min - 1) = 1``.

    Attributes
    ----------
    s_min : float
        Fewest updates possible (the limit of a very large batch).
    e_min : float
        Fewest examples possible (the limit of a very small batch).

    Examples
    --------
    >>> curve = TradeOff(s_min=100.0, e_min=1000.0)
    >>> curve.b_crit, curve.steps([10, 1000]), curve.examples([10])
    (10.0, array([200., 101.]), array([2000.]))
    """

    s_min: float
    e_min: float

    @property
    def b_crit(self) -> float:
        """The critical batch size ``E_min / S_min``."""
        return self.e_min / self.s_min

    def steps(self, batch_size: ArrayLike) -> np.ndarray:
        """Predicted updates ``S_min + E_min/B``."""
        B = as_float_array("batch_size", batch_size)
        return self.s_min + self.e_min / B

    def examples(self, batch_size: ArrayLike) -> np.ndarray:
        """Predicted examples ``E = B·S = B·S_min + E_min``."""
        B = as_float_array("batch_size", batch_size)
        return B * self.s_min + self.e_min


@validate_params(
    {
        "batch_sizes": RealArray(lo=1.0, max_size=MAX_RUNS, example_value=[1, 4, 16, 64]),
        "steps": allowing_inf(
            RealArray(lo=0.0, lo_open=True, finite=False, example_value=[1000.0, 260.0, 80.0, 30.0])
        ),
    }
)
def fit_tradeoff(batch_sizes: ArrayLike, steps: ArrayLike) -> TradeOff:
    """Fit ``S(B) = S_min + E_min/B`` to measured steps, by least squares in relative error.

    The model is linear in ``(S_min, E_min)``; each equation is divided by the
    measured ``S`` so that a batch size needing 10 000 updates does not outweigh
    one needing 100. Batch sizes whose runs never reached the target (``inf``)
    are left out.

    Parameters
    ----------
    batch_sizes : (n,) array_like of int
    steps : (n,) array_like of float
        Updates to the target at each batch size (``inf`` allowed).

    Returns
    -------
    TradeOff

    Raises
    ------
    ValueError
        Fewer than two finite measurements, or a fit with a non-positive
        ``S_min`` or ``E_min`` (the data show no trade-off).

    Examples
    --------
    Steps measured exactly on ``S = 100 + 1000/B`` give the curve back:

    >>> fit = fit_tradeoff([1, 10, 100, 1000], [1100.0, 200.0, 110.0, np.inf])
    >>> round(fit.s_min, 9), round(fit.e_min, 9), round(fit.b_crit, 9)
    (100.0, 1000.0, 10.0)
    """
    B, S = check_pair("batch_sizes", batch_sizes, "steps", steps)
    if np.any(np.isnan(S)):
        raise ValueError("steps must be positive numbers or inf, got nan")
    ok = np.isfinite(S)
    if ok.sum() < 2:
        raise ValueError(f"need at least two finite steps to fit, got {int(ok.sum())}")
    A = np.column_stack([np.ones(ok.sum()), 1.0 / B[ok]]) / S[ok, None]
    with np.errstate(all="ignore"):
        s_min, e_min = np.linalg.lstsq(A, np.ones(ok.sum()), rcond=None)[0]
    if not (np.isfinite(s_min) and np.isfinite(e_min)):
        raise ValueError(
            "steps span too wide a range to fit (the fit is not finite): pass measured step counts"
        )
    if s_min <= 0 or e_min <= 0:
        raise ValueError(f"the fit gave S_min = {s_min:.3g}, E_min = {e_min:.3g}: no trade-off in these data")
    return TradeOff(s_min=float(s_min), e_min=float(e_min))


@validate_params(
    {
        "batch_size": RealArray(lo=1.0, example_value=[1, 10]),
        "overhead": real(0.0, None),
        "per_example": positive(),
        "parallel": count(1),
    }
)
def simulated_step_time(
    batch_size: ArrayLike, *, overhead: float, per_example: float, parallel: int = 1
) -> np.ndarray:
    """Seconds per update on a simple device model: ``overhead + per_example·⌈B/parallel⌉``.

    ``parallel`` samples are processed at once (a vectorised CPU, a GPU), so any
    batch up to ``parallel`` costs the same time. Nothing is timed: the model
    makes the comparison the same on every machine.

    Parameters
    ----------
    batch_size : int or (n,) array_like of int
    overhead : float
        Fixed seconds per update (launching the step, the optimiser's own work), ``>= 0``.
    per_example : float
        Seconds per wave of ``parallel`` samples, ``> 0``.
    parallel : int, default 1

    Returns
    -------
    (n,) ndarray of float

    Examples
    --------
    Up to 8 samples take one wave, 9 take two:

    >>> simulated_step_time([1, 8, 9], overhead=1.0, per_example=0.5, parallel=8)
    array([1.5, 1.5, 2. ])
    """
    with np.errstate(over="ignore"):
        out = overhead + per_example * np.ceil(array(batch_size) / parallel)
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"per_example = {per_example:g} times the batch size overflows double precision:"
            " use smaller times"
        )
    return out
