"""What batch size trades: the gradient noise scale and the critical batch size.

McCandlish, Kaplan, Amodei et al. (2018), *An Empirical Model of Large-Batch
Training*, summarise the noise of a mini-batch gradient in one number, the
*simple noise scale*

``B_simple = tr(Σ) / |G|²``,

where ``G`` is the full-batch gradient and ``Σ`` the covariance of the
per-sample gradients. A batch of ``B`` samples has ``E|G_B - G|² = tr(Σ)/B``
(with replacement), so ``B_simple`` is the batch size at which the noise is as
large as the signal. They also found that the updates ``S`` and the examples
``E = B·S`` needed to reach a given cost trade off as

``(S/S_min - 1)·(E/E_min - 1) = 1``,

that is ``S = S_min·(1 + B_crit/B)`` with the *critical batch size*
``B_crit = E_min/S_min``: below it, doubling the batch halves the updates;
above it, it barely saves any. This module measures both on the course's data.
Taught in notebook 07.

Computing functions come first; the ``plot_*`` functions only draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_int, as_scalar
from .losses import LogitLoss
from .model import _objective_rows, check_data, check_lam, check_loss, check_params
from .optim import LogisticProblem, TrainResult, run_seeds, run_sgd
from .plotting import _axes

__all__ = [
    "NoiseScale",
    "gradient_noise_scale",
    "noise_scale_along",
    "noise_scale_from_norms",
    "estimate_noise_scale",
    "StepsToTarget",
    "steps_to_target",
    "TradeOff",
    "fit_tradeoff",
    "simulated_step_time",
    "plot_cost_curves",
    "plot_noise_scale",
    "plot_steps_vs_batch",
    "plot_tradeoff",
    "plot_best_lr",
]


# ------------------------------------------------------------------ the noise scale
@dataclass(frozen=True)
class NoiseScale:
    """The pieces of the simple noise scale at one point.

    Attributes
    ----------
    trace_sigma : float
        ``tr(Σ)``: total variance of one sample's gradient.
    grad_sq : float
        ``|G|²``: squared norm of the full-batch gradient of the objective.
    """

    trace_sigma: float
    grad_sq: float

    @property
    def b_simple(self) -> float:
        """``tr(Σ)/|G|²``.

        ``inf`` when ``|G|² = 0`` (a stationary point) or, for an estimate,
        when the estimated ``|G|²`` came out ``<= 0``: the batch noise swamped
        the signal and more batches are needed.
        """
        return self.trace_sigma / self.grad_sq if self.grad_sq > 0 else float("inf")


def _per_sample_grad_stats(P: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float,
                           loss: LogitLoss) -> tuple[np.ndarray, np.ndarray]:
    """``tr Σ`` and ``|G|²`` at each row of ``P`` (``(k, 2)``), vectorised over rows and samples."""
    z = P[:, :1] * x + P[:, 1:2]
    d = loss.dz(y, z)  # (k, m)
    gw, gb = d * x, d
    trace = gw.var(axis=1) + gb.var(axis=1)
    G_w = gw.mean(axis=1) + lam * P[:, 0]
    G_b = gb.mean(axis=1)
    return trace, G_w**2 + G_b**2


def gradient_noise_scale(params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *,
                         loss: LogitLoss | None = None) -> NoiseScale:
    """The exact simple noise scale of the training set at ``params``.

    ``Σ`` is the covariance of the ``m`` per-sample gradients (divided by
    ``m``, the training set being the whole population that batches are drawn
    from) and ``G`` their mean plus the penalty's gradient ``(λ·w, 0)``. The
    penalty is the same in every batch, so it adds to ``G`` and not to ``Σ``.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    NoiseScale
        Its ``b_simple`` is ``tr(Σ)/|G|²``.
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    trace, g2 = _per_sample_grad_stats(p[None, :], x_arr, y_arr, check_lam(lam), check_loss(loss))
    return NoiseScale(trace_sigma=float(trace[0]), grad_sq=float(g2[0]))


def noise_scale_along(result: TrainResult, x: ArrayLike, y: ArrayLike, *,
                      loss: LogitLoss | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The exact ``tr(Σ)`` and ``|G|²`` at every point of a training run.

    Parameters
    ----------
    result : TrainResult
        From :func:`lossviz.train` on the same ``x, y`` (its ``lam`` is used).
    x, y : (m,) array_like
    loss : LogitLoss, optional
        The loss the run used.

    Returns
    -------
    trace_sigma : (n_updates + 1,) ndarray
    grad_sq : (n_updates + 1,) ndarray
        ``b_simple`` along the run is ``trace_sigma / grad_sq``.
    """
    if not isinstance(result, TrainResult):
        raise TypeError(f"result must be a TrainResult from lossviz.train, got {type(result).__name__}")
    x_arr, y_arr = check_data(x, y)
    return _per_sample_grad_stats(result.params, x_arr, y_arr, result.lam, check_loss(loss))


def _batch_factor(b: float, m: int | None) -> float:
    """``E|G_B - G|² / tr(Σ)``: ``1/B`` with replacement, ``(m - B)/(B(m - 1))`` without."""
    if m is None:
        return 1.0 / b
    return (m - b) / (b * (m - 1))


def noise_scale_from_norms(sq_norm_small: float, sq_norm_big: float, b_small: int, b_big: int, *,
                           m: int | None = None) -> NoiseScale:
    """Unbiased ``tr(Σ)`` and ``|G|²`` from mean squared gradient norms at two batch sizes.

    Appendix A of McCandlish et al. (2018): a batch gradient satisfies
    ``E|G_B|² = |G|² + c(B)·tr(Σ)`` with ``c(B) = 1/B`` for batches drawn with
    replacement. For batches of distinct samples from a finite set of ``m``,
    ``c(B) = (m - B)/(B·(m - 1))``. Two batch sizes give two equations in the
    two unknowns. Their ratio estimates ``B_simple`` (biased, as any ratio is,
    but consistent).

    Parameters
    ----------
    sq_norm_small, sq_norm_big : float
        Mean of ``|G_B|²`` over many batches of size ``b_small`` and ``b_big``.
    b_small, b_big : int
        ``1 <= b_small < b_big``.
    m : int, optional
        Size of the training set when batches hold distinct samples; omit for
        sampling with replacement.

    Returns
    -------
    NoiseScale
        The estimates; either may come out negative when the means are noisy.
    """
    s_small = as_scalar("sq_norm_small", sq_norm_small, minimum=0.0)
    s_big = as_scalar("sq_norm_big", sq_norm_big, minimum=0.0)
    b_small = as_int("b_small", b_small, minimum=1)
    b_big = as_int("b_big", b_big, minimum=b_small + 1)
    if m is not None:
        m = as_int("m", m, minimum=2)
        if b_big > m:
            raise ValueError(f"b_big must be <= m = {m}, got {b_big}")
    c_small, c_big = _batch_factor(b_small, m), _batch_factor(b_big, m)
    trace = (s_small - s_big) / (c_small - c_big)
    return NoiseScale(trace_sigma=float(trace), grad_sq=float(s_big - c_big * trace))


def _random_batches(rng: np.random.Generator, m: int, batch_size: int, n: int) -> np.ndarray:
    """``(n, batch_size)`` indices; each row holds distinct samples."""
    return np.argsort(rng.random((n, m)), axis=1)[:, :batch_size]


def estimate_noise_scale(params: ArrayLike, x: ArrayLike, y: ArrayLike, *, b_small: int,
                         b_big: int, n_batches: int = 200, seed: int = 0, lam: float = 0.0,
                         loss: LogitLoss | None = None) -> NoiseScale:
    """Estimate the noise scale from batch gradients only, as one would in a large model.

    Draws ``n_batches`` batches of each size (distinct samples within a batch),
    averages ``|G_B|²`` and solves with :func:`noise_scale_from_norms`, using
    only batch gradients -- never the per-sample gradients of the whole set.

    Parameters
    ----------
    params : (2,) array_like
    x, y : (m,) array_like
    b_small, b_big : int
        ``1 <= b_small < b_big <= m``.
    n_batches : int, default 200
    seed : int, default 0
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    NoiseScale
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    m = x_arr.size
    b_small = as_int("b_small", b_small, minimum=1, maximum=m - 1)
    b_big = as_int("b_big", b_big, minimum=b_small + 1, maximum=m)
    n_batches = as_int("n_batches", n_batches, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    rng = np.random.default_rng(seed)
    means = []
    for b in (b_small, b_big):
        idx = _random_batches(rng, m, b, n_batches)
        xb, yb = x_arr[idx], y_arr[idx]
        d = loss_f.dz(yb, p[0] * xb + p[1])
        gw = (d * xb).mean(axis=1) + lam_f * p[0]
        gb = d.mean(axis=1)
        means.append(float(np.mean(gw**2 + gb**2)))
    return noise_scale_from_norms(means[0], means[1], b_small, b_big, m=m)


# ------------------------------------------------------------------ steps to a target
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


def _run_batch_size(problem: LogisticProblem, batch_size: int, lrs: np.ndarray, seeds: np.ndarray,
                    target: float, max_steps: int, p0: np.ndarray, per_decade: int, hold: int,
                    stop_at_first: bool) -> np.ndarray:
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

    run_sgd(problem, p0, batch_size=batch_size, lr=np.repeat(lrs, n_seeds),
            seeds=seeds, n_updates=max_steps,
            record=np.concatenate([[0], checkpoints]), on_record=at_checkpoint)
    return steps


def steps_to_target(x: ArrayLike, y: ArrayLike, *, batch_sizes: Sequence[int], lrs: ArrayLike,
                    target: float, n_seeds: int = 8, max_examples: int = 200_000,
                    max_steps: int = 20_000, seed: int = 0, lam: float = 0.0,
                    params0: ArrayLike = (0.0, 0.0), loss: LogitLoss | None = None,
                    checkpoints_per_decade: int = 40, hold: int = 5,
                    stop_at_first: bool = True) -> StepsToTarget:
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
            out[i] = _run_batch_size(problem, int(b), lr_arr, seeds, target, int(budget), p0,
                                     per_decade, hold, bool(stop_at_first))
    return StepsToTarget(batch_sizes=bs, lrs=lr_arr, steps=out, target=target, n_seeds=n_seeds,
                         hold=hold, max_steps=budgets)


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


def simulated_step_time(batch_size: ArrayLike, *, overhead: float, per_example: float,
                        parallel: int = 1) -> np.ndarray:
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


# ------------------------------------------------------------------ drawing
def plot_cost_curves(runs: Sequence[TrainResult], *, against: str = "updates",
                     step_times: ArrayLike | None = None, j_star: float | None = None,
                     ax: Axes | None = None) -> Axes:
    """Cost curves of several runs against updates, examples seen or simulated time.

    Parameters
    ----------
    runs : sequence of TrainResult
        One per batch size, labelled by it.
    against : {"updates", "examples", "time"}
    step_times : (len(runs),) array_like of float, optional
        Seconds per update of each run; required for ``against="time"``
        (e.g. from :func:`simulated_step_time`).
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
    ax.set_xlabel({"updates": "updates", "examples": "examples seen",
                   "time": "simulated time (s)"}[against])
    return ax


def plot_noise_scale(updates: ArrayLike, b_simple: ArrayLike, *,
                     estimates: tuple[ArrayLike, ArrayLike] | None = None,
                     ax: Axes | None = None) -> Axes:
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


def plot_steps_vs_batch(result: StepsToTarget, fit: TradeOff | None = None, *,
                        b_simple: float | None = None, ax: Axes | None = None) -> Axes:
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
        ax.plot(grid, fit.steps(grid), color="C0",
                label=rf"fit $S_{{\min}}(1 + B_{{\mathrm{{crit}}}}/B)$, $B_{{\mathrm{{crit}}}} = {fit.b_crit:.0f}$")
        ax.axhline(fit.s_min, color="C0", ls=":", lw=1)
        ax.axvline(fit.b_crit, color="C0", ls="--", lw=1)
    if b_simple is not None:
        ax.axvline(as_scalar("b_simple", b_simple), color="C3", ls="-.", lw=1,
                   label=rf"$B_{{\mathrm{{simple}}}}$ at the target $= {b_simple:.0f}$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("updates to reach the target $S$")
    ax.legend(fontsize="small")
    return ax


def plot_tradeoff(result: StepsToTarget, fit: TradeOff, *, ax: Axes | None = None) -> Axes:
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
    ax.plot(fit.examples(grid) / fit.e_min, fit.steps(grid) / fit.s_min, color="C0",
            label=r"$(S/S_{\min} - 1)(E/E_{\min} - 1) = 1$")
    ax.plot(E[ok] / fit.e_min, S[ok] / fit.s_min, "o", color="k", label="measured")
    for b, e, s in zip(B[ok], E[ok], S[ok]):
        ax.annotate(f"{b}", (e / fit.e_min, s / fit.s_min), textcoords="offset points",
                    xytext=(4, 4), fontsize="x-small")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"examples / $E_{\min}$")
    ax.set_ylabel(r"updates / $S_{\min}$")
    ax.legend(fontsize="small")
    return ax


def plot_best_lr(result: StepsToTarget, *, fit: TradeOff | None = None,
                 ax: Axes | None = None) -> Axes:
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
        ax.plot(grid, eta_max / (1 + fit.b_crit / grid), color="C0",
                label=r"$\eta_{\max} / (1 + B_{\mathrm{crit}}/B)$")
    ax.set_ylim(lr[ok].min() / 3, np.nanmax(lr) * 3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"learning rate $\eta$")
    ax.legend(fontsize="small")
    return ax
