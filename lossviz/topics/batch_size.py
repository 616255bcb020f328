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

from .._kernels import objective_rows
from .._validation import as_float_array, as_int, as_scalar
from ..losses import LogitLoss
from ..model import check_data, check_lam, check_loss, check_params
from ..optim.newton import minimise
from ..optim.sgd import LogisticProblem, online_pass, run_seeds, run_sgd, train

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


# ----------------------------------------------- updates, epochs and simulated time (notebook 06, question 1)


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


def _train_for_updates(
    x: np.ndarray,
    y: np.ndarray,
    n_updates: int,
    *,
    batch_size: int,
    lr: float,
    lam: float,
    seed: int,
    params0: np.ndarray,
    loss: LogitLoss,
):
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
    """
    x_arr, y_arr = check_data(x, y)
    fraction = as_scalar("fraction", fraction, minimum=0.0, maximum=1.0)
    p0 = check_params(params0, "params0")
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    p_star = minimise(x_arr, y_arr, lam_f, loss=loss_f)
    j0, j_star = objective_rows(np.vstack([p0, p_star]), x_arr, y_arr, lam_f, loss_f)
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


# ------------------------------------------------------------- the order of online updates (question 2)


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
    """
    x_arr, y_arr = check_data(x, y)
    etas = as_float_array("lrs", lrs)
    if np.any(etas <= 0):
        raise ValueError(f"lrs must all be > 0, got {etas[etas <= 0][0]}")
    return np.array(
        [
            np.linalg.norm(
                online_pass(params0, x_arr, y_arr, lr=eta, lam=lam, loss=loss)[-1]
                - online_pass(params0, x_arr[::-1], y_arr[::-1], lr=eta, lam=lam, loss=loss)[-1]
            )
            for eta in etas
        ]
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


# ------------------------------------------------------------ the roughness of the cost curve (question 4)


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
    """
    c = as_float_array("costs", costs)
    if c.size < 2:
        raise ValueError(f"costs needs at least 2 values, got {c.size}")
    return float(np.sqrt(np.mean(np.diff(c) ** 2)))


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
            x_arr, y_arr, n_updates, batch_size=k, lr=lr, lam=lam, seed=seed, params0=params0, loss=loss_f
        )
        if diverged_at is not None:
            raise ValueError(
                f"the run with batch_size {k} diverged at update {diverged_at}; lower lr (got {lr})"
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
    """
    x_arr, y_arr = check_data(x, y)
    m = x_arr.size
    bs = np.array([as_int("batch_sizes", v, minimum=1, maximum=m) for v in batch_sizes], dtype=int)
    if bs.size == 0:
        raise ValueError("batch_sizes must not be empty")
    lr_arr = as_float_array("lrs", lrs)
    if np.any(lr_arr <= 0):
        raise ValueError(f"lrs must be > 0, got {lr_arr[lr_arr <= 0][0]}")
    target = as_scalar("target", target)
    n_seeds = as_int("n_seeds", n_seeds, minimum=1)
    max_examples = as_int("max_examples", max_examples, minimum=1)
    max_steps = as_int("max_steps", max_steps, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    lam_f = check_lam(lam)
    p0 = check_params(params0, "params0")
    loss_f = check_loss(loss)
    per_decade = as_int("checkpoints_per_decade", checkpoints_per_decade, minimum=1)
    hold = as_int("hold", hold, minimum=1)
    if not isinstance(stop_at_first, (bool, np.bool_)):
        raise TypeError(f"stop_at_first must be True or False, got {stop_at_first!r}")
    budgets = np.array([max(1, min(max_steps, max_examples // int(b))) for b in bs], dtype=int)
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
@dataclass(frozen=True)
class TradeOff:
    """The fitted ``S = S_min·(1 + B_crit/B)``, i.e. ``(S/S_min - 1)(E/E_min - 1) = 1``.

    Attributes
    ----------
    s_min : float
        Fewest updates possible (the limit of a very large batch).
    e_min : float
        Fewest examples possible (the limit of a very small batch).
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
    """
    B = as_float_array("batch_sizes", batch_sizes)
    if np.any(B < 1):
        raise ValueError(f"batch_sizes must be >= 1, got {B[B < 1][0]}")
    S = np.asarray(steps, dtype=float)
    if S.shape != B.shape:
        raise ValueError(f"batch_sizes and steps must have the same shape, got {B.shape} and {S.shape}")
    if np.any(np.isnan(S)) or np.any(S <= 0):
        raise ValueError("steps must be positive numbers or inf")
    ok = np.isfinite(S)
    if ok.sum() < 2:
        raise ValueError(f"need at least two finite steps to fit, got {int(ok.sum())}")
    A = np.column_stack([np.ones(ok.sum()), 1.0 / B[ok]]) / S[ok, None]
    s_min, e_min = np.linalg.lstsq(A, np.ones(ok.sum()), rcond=None)[0]
    if s_min <= 0 or e_min <= 0:
        raise ValueError(f"the fit gave S_min = {s_min:.3g}, E_min = {e_min:.3g}: no trade-off in these data")
    return TradeOff(s_min=float(s_min), e_min=float(e_min))


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
    """
    B = as_float_array("batch_size", batch_size)
    if np.any(B < 1):
        raise ValueError(f"batch_size must be >= 1, got {B[B < 1][0]}")
    overhead = as_scalar("overhead", overhead, minimum=0.0)
    per_example = as_scalar("per_example", per_example, minimum=0.0, strict_minimum=True)
    parallel = as_int("parallel", parallel, minimum=1)
    return overhead + per_example * np.ceil(B / parallel)
