"""One SGD engine: full-batch gradient descent, mini-batch SGD and online learning.

:func:`run_sgd` is the only update loop of the package (d2l's ``train_ch11`` is
the model). It advances ``R`` independent runs at once -- parameters ``(R, p)``
-- on any :class:`BatchProblem` (the course's logistic model is
:class:`LogisticProblem`), with the update rule as a small pluggable step
(:class:`SGD`; an :class:`UpdateRule` is anything with ``init_state`` and
``step``). Each run draws its batches from its own
``numpy.random.default_rng(seed)`` exactly as :func:`minibatch_indices` does, so
run ``r`` of a sweep is, bit for bit, the run :func:`train` makes with that seed.
Divergence is detected per run, and every run has an update budget.

:func:`train` is the engine with ``R = 1`` on the logistic model: ``batch_size = m``
is full-batch gradient descent, ``batch_size = 1`` is online learning and anything
between is mini-batch SGD. Taught in notebook 04; the sweeps of lesson 09, the
basins, the exercises' experiments and the explorer all call :func:`run_sgd`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import (
    MAX_ARRAY_SIZE,
    Boolean,
    CallableOf,
    InstanceOf,
    Interval,
    OneOf,
    Options,
    RealArray,
    SequenceOf,
    arr,
    validate_params,
)
from .._kernels import objective_rows
from .._validation import as_int, check_same_shape
from ..losses import BCE, LogitLoss
from ..model import FEATURE, LABELS, LAM, LOSS, PARAMS, SEED, overflow_error

__all__ = [
    "OVERFLOW",
    "SGD",
    "BatchProblem",
    "LogisticProblem",
    "Runs",
    "TrainResult",
    "UpdateRule",
    "minibatch_indices",
    "online_pass",
    "run_seeds",
    "run_sgd",
    "train",
]

#: A parameter whose magnitude exceeds this has overflowed: the run has diverged.
#: (Past about 1e154 the penalty ``λ/2·w²`` itself overflows double precision.)
OVERFLOW: float = 1e150

#: Most updates of one run (:func:`run_sgd`'s ``n_updates``, :func:`train`'s epochs × batches
#: per epoch): ten million, minutes of work. Refused before any work starts.
MAX_UPDATES: int = 10_000_000

#: Most per-sample gradients one :func:`run_sgd` call may evaluate (updates × runs × batch
#: size): ten billion, a few minutes on the machine the course is built on.
MAX_SAMPLE_GRADIENTS: int = 10_000_000_000

#: Most runs one sweep may advance at once (seeds of :func:`run_sgd`, :func:`run_seeds`).
MAX_RUNS: int = 1_000_000

_COUNT = Interval(numbers.Integral, 1, None, example_value=2)
_LR = Interval(numbers.Real, 0.0, None, closed="neither", example_value=0.1)
_SEEDS = OneOf((SEED, SequenceOf(SEED, max_len=MAX_RUNS)))


@validate_params(
    {
        "m": Interval(numbers.Integral, 1, MAX_ARRAY_SIZE, example_value=5),
        "batch_size": _COUNT,
        "rng": InstanceOf(
            np.random.Generator,
            "numpy.random.default_rng(0)",
            example_factory=lambda: np.random.default_rng(0),
            what="a numpy.random.Generator",
        ),
    }
)
def minibatch_indices(m: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The mini-batches of one epoch: a fresh permutation cut into batches.

    Sampling without replacement: every index in ``range(m)`` appears in exactly
    one batch. The batches have ``batch_size`` indices each, in permutation
    order; the last is smaller when ``batch_size`` does not divide ``m``.

    Parameters
    ----------
    m : int
        Number of samples, ``m >= 1``.
    batch_size : int
        ``1 <= batch_size <= m``.
    rng : numpy.random.Generator
        Draws the permutation (one call to ``rng.permutation(m)``).

    Returns
    -------
    list of (k,) ndarray of int
        ``ceil(m / batch_size)`` index arrays.

    Examples
    --------
    >>> batches = minibatch_indices(5, 2, np.random.default_rng(0))
    >>> [b.size for b in batches]
    [2, 2, 1]
    >>> sorted(np.concatenate(batches).tolist())   # every sample once
    [0, 1, 2, 3, 4]
    """
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    return _minibatch_indices(m, batch_size, rng)


def _minibatch_indices(m: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """:func:`minibatch_indices` for validated arguments (the loops of the noise module call it)."""
    perm = rng.permutation(m)
    return [perm[i : i + batch_size] for i in range(0, m, batch_size)]


#: Most memory a recorded sweep may take (``n_recorded × R × p`` float64 values):
#: past it :func:`run_sgd` refuses before any work and says how to stay under it.
MAX_RECORD_BYTES: int = 2 * 1024**3


# ------------------------------------------------------------------ problems
@runtime_checkable
class BatchProblem(Protocol):
    """What the engine needs of a model and its training set.

    Attributes
    ----------
    m : int
        Number of training samples.
    n_params : int
        ``p``, the length of a parameter vector.

    Methods
    -------
    batch_gradients(params, batches)
        ``params`` ``(R, p)`` and ``batches`` ``(R, k)`` int sample indices (or
        ``None``: all ``m`` samples, in stored order) -> ``(R, p)``: each run's
        mean gradient of the *objective* over its batch (the per-sample loss
        gradients averaged, plus the penalty's gradient).
    objective_rows(params)
        ``(n, p)`` -> ``(n,)``: the objective on the whole training set.

    Examples
    --------
    Anything with these four members is a problem the engine can train:

    >>> isinstance(LogisticProblem([0.0, 1.0], [0.0, 1.0]), BatchProblem)
    True
    """

    @property
    def m(self) -> int: ...

    @property
    def n_params(self) -> int: ...

    def batch_gradients(self, params: np.ndarray, batches: np.ndarray | None) -> np.ndarray: ...

    def objective_rows(self, params: np.ndarray) -> np.ndarray: ...


@validate_params({"x": FEATURE, "y": LABELS, "lam": LAM, "loss": LOSS})
class LogisticProblem:
    """The course's model ``ŷ = σ(w·x + b)`` on ``(x, y)`` as a :class:`BatchProblem`.

    The objective is ``J(w, b) + λ/2·w²`` (the bias is not penalised), so a
    batch's gradient is ``(1/k) Σ_{i∈batch} ∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)``.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
        λ ≥ 0.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Examples
    --------
    >>> import numpy as np
    >>> problem = LogisticProblem([0.0, 1.0], [0.0, 1.0])
    >>> problem.batch_gradients(np.zeros((1, 2)), None)   # (σ(0) - y) averaged, times (x, 1)
    array([[-0.25,  0.  ]])
    >>> problem.objective_rows(np.zeros((1, 2))).round(4)  # log 2
    array([0.6931])
    """

    n_params = 2

    def __init__(
        self, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
    ) -> None:
        self.x: np.ndarray = arr(x)
        self.y: np.ndarray = arr(y)
        check_same_shape("x", self.x, "y", self.y)
        self.lam: float = lam
        self.loss: LogitLoss = loss or BCE

    @property
    def m(self) -> int:
        """Number of training samples."""
        return int(self.x.size)

    def batch_gradients(self, params: np.ndarray, batches: np.ndarray | None) -> np.ndarray:
        """``(R, 2)`` gradients of the objective over each run's batch (see the class)."""
        if batches is None:
            xb, yb = self.x[None, :], self.y[None, :]
        else:
            xb, yb = self.x[batches], self.y[batches]
        z = params[:, :1] * xb
        z += params[:, 1:2]
        d = self.loss.dz(yb, z)
        k = d.shape[1]
        grads = np.empty(params.shape)
        # sum / k is what mean computes, without its overhead (this is the engine's inner loop)
        grads[:, 0] = np.add.reduce(d * xb, axis=1) / k + self.lam * params[:, 0]
        grads[:, 1] = np.add.reduce(d, axis=1) / k
        return grads

    def objective_rows(self, params: np.ndarray) -> np.ndarray:
        """``(n,)`` the objective ``J + λ/2·w²`` at each row of ``params`` ``(n, 2)``."""
        return objective_rows(params, self.x, self.y, self.lam, self.loss)

    def __repr__(self) -> str:
        return f"LogisticProblem(m={self.m}, lam={self.lam:g}, loss={self.loss!r})"


# ------------------------------------------------------------------ update rules
@runtime_checkable
class UpdateRule(Protocol):
    """One optimiser's update, as a step the engine calls once per update.

    ``init_state(params)`` returns the optimiser's state for ``params`` ``(R, p)``
    (a dict of arrays with ``R`` rows, possibly empty); ``step(params, grads, lr,
    state, t)`` returns the new ``(R, p)`` parameters for the ``t``-th update
    (counting from 1), with ``lr`` ``(R, 1)``, and may update ``state``'s arrays
    in place. The engine hands a step only the rows of runs still going.

    Examples
    --------
    >>> isinstance(SGD(), UpdateRule)
    True
    """

    def init_state(self, params: np.ndarray) -> dict[str, np.ndarray]: ...

    def step(
        self, params: np.ndarray, grads: np.ndarray, lr: np.ndarray, state: dict[str, np.ndarray], t: int
    ) -> np.ndarray: ...


@validate_params({})
@dataclass(frozen=True)
class SGD:
    """Plain (stochastic) gradient descent: ``θ ← θ - η·g``.

    ``g`` is the batch gradient of the objective, so λ acts exactly like
    ``torch.optim.SGD(weight_decay=λ)`` applied to ``w`` alone.

    Examples
    --------
    >>> import numpy as np
    >>> SGD().step(np.array([[1.0, 2.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]]), {}, 1)
    array([[0.95, 2.1 ]])
    """

    def init_state(self, params: np.ndarray) -> dict[str, np.ndarray]:
        """No state."""
        return {}

    def step(
        self, params: np.ndarray, grads: np.ndarray, lr: np.ndarray, state: dict[str, np.ndarray], t: int
    ) -> np.ndarray:
        """``params - lr · grads``."""
        return params - lr * grads


# ------------------------------------------------------------------ the engine
@validate_params({"seed": _SEEDS, "n_runs": Interval(numbers.Integral, 1, MAX_RUNS, example_value=3)})
def run_seeds(seed: int | Sequence[int], n_runs: int) -> np.ndarray:
    """``n_runs`` distinct run seeds drawn from one base ``seed``.

    ``numpy.random.SeedSequence(seed).generate_state(n_runs)``: different base
    seeds give unrelated runs (``seed`` and ``seed + 1`` share none), and each
    value is an ordinary seed, so run ``r`` can be replayed alone with
    ``train(..., seed=run_seeds(seed, n_runs)[r])``. A tuple of ints names a
    separate stream, e.g. ``(seed, batch_size)`` for each batch size of a sweep.

    Parameters
    ----------
    seed : int or sequence of int
        Each ``>= 0``.
    n_runs : int
        ``1 <= n_runs <=`` :data:`MAX_RUNS`.

    Returns
    -------
    (n_runs,) ndarray of int64

    Examples
    --------
    >>> s = run_seeds(0, 3)
    >>> s.shape, len(set(s.tolist()))
    ((3,), 3)
    >>> bool((run_seeds(0, 3) == s).all()), bool((run_seeds((0, 1), 3) == s).any())
    (True, False)
    """
    entropy: Any = seed
    return np.random.SeedSequence(entropy).generate_state(n_runs, dtype=np.uint32).astype(np.int64)


@dataclass(frozen=True)
class Runs:
    """What :func:`run_sgd` returns: ``R`` runs' recorded parameters and their fate.

    Attributes
    ----------
    params : (n_recorded, R, p) ndarray
        The parameters at each recorded update count (``recorded``); ``nan``
        once a run has diverged or was stopped.
    recorded : (n_recorded,) ndarray of int
        The update counts recorded (0 is the start).
    final_params : (R, p) ndarray
        Each run's last finite parameters.
    n_updates : (R,) ndarray of int
        Updates each run made (finite ones).
    diverged_at : (R,) ndarray of int
        ``k`` if the ``k``-th update (from 1) made a parameter non-finite or
        larger than the overflow bound -- the run stopped there, before it --
        and 0 for runs that did not diverge.
    seeds : (R,) ndarray of int
    lr : (R,) ndarray of float
    batch_size : int
    m : int
        Training-set size (for the batch sizes of each update).

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(m=50, seed=0)
    >>> runs = run_sgd(LogisticProblem(x, y, lam=1.0), (0.0, 0.0), batch_size=20, lr=[0.5, 1e40],
    ...                n_updates=6, seeds=[0, 1])   # the second run's w grows ~1e40-fold per update
    >>> runs.n_runs, runs.n_updates.tolist(), runs.diverged.tolist()
    (2, [6, 3], [False, True])
    >>> runs.batch_sizes(4)   # 50 samples in batches of 20, 20 and 10
    array([20, 20, 10, 20])
    """

    params: np.ndarray
    recorded: np.ndarray
    final_params: np.ndarray
    n_updates: np.ndarray
    diverged_at: np.ndarray
    seeds: np.ndarray
    lr: np.ndarray
    batch_size: int
    m: int
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_runs(self) -> int:
        """``R``."""
        return int(self.final_params.shape[0])

    @property
    def diverged(self) -> np.ndarray:
        """``(R,)`` bool: which runs diverged."""
        return self.diverged_at > 0

    def batch_sizes(self, n: int) -> np.ndarray:
        """``(n,)`` the number of samples each of the first ``n`` updates used."""
        k, m = self.batch_size, self.m
        sizes = np.diff(np.append(np.arange(0, m, k), m))
        return np.tile(sizes, -(-n // sizes.size) if n else 0)[:n]

    def path(self, r: int) -> np.ndarray:
        """``(n_updates[r] + 1, p)`` run ``r``'s finite path (needs ``record="path"``)."""
        if not (self.recorded.size and self.recorded[-1] == self.recorded.size - 1):
            raise ValueError("path needs record='path' in run_sgd")
        r = as_int("r", r, minimum=0, maximum=self.n_runs - 1)
        return self.params[: int(self.n_updates[r]) + 1, r]


_PROBLEM = InstanceOf(
    BatchProblem,
    "lossviz.optim.LogisticProblem(x, y)",
    example_factory=lambda: LogisticProblem(FEATURE.example(), LABELS.example()),
)
_OPTIMIZER = InstanceOf(UpdateRule, "SGD() or Momentum(0.9)", none_ok=True, example_factory=SGD)


def _check_problem(problem: Any) -> BatchProblem:
    if isinstance(problem, type) or not isinstance(problem, BatchProblem):
        raise TypeError(
            f"problem must be a BatchProblem (e.g. lossviz.optim.LogisticProblem(x, y)), got {problem!r}"
        )
    return problem


def _check_rule(optimizer: Any) -> UpdateRule:
    if optimizer is None:
        return SGD()
    if isinstance(optimizer, type) or not isinstance(optimizer, UpdateRule):
        raise TypeError(f"optimizer must be an update rule instance such as SGD(), got {optimizer!r}")
    return optimizer


def _check_record_size(n_points: int, n_runs: int, n_params: int) -> None:
    need = n_points * n_runs * n_params * 8
    if need > MAX_RECORD_BYTES:
        raise ValueError(
            f"recording {n_points} points of {n_runs} runs x {n_params} parameters needs "
            f"{need / 1024**3:.1f} GiB, over the limit of {MAX_RECORD_BYTES / 1024**3:.0f} GiB: "
            "record fewer points (record='final' or a few update counts) or fewer runs"
        )


@validate_params(
    {
        "problem": _PROBLEM,
        "params0": RealArray(ndim=None, example_value=[0.0, 0.0]),
        "batch_size": _COUNT,
        "lr": OneOf((_LR, RealArray(lo=0.0, lo_open=True))),
        "n_updates": Interval(
            numbers.Integral,
            0,
            MAX_UPDATES,
            example_value=3,
            ceiling_hint="make fewer updates per call (lossviz.optim.sgd.MAX_UPDATES)",
        ),
        "seeds": _SEEDS,
        "optimizer": _OPTIMIZER,
        "shuffle": Boolean(),
        "record": OneOf((Options(("path", "final")), SequenceOf(Interval(numbers.Integral, 0, None)))),
        "on_record": CallableOf(none_ok=True),
        "overflow": Interval(numbers.Real, 0.0, None, closed="neither"),
    },
    nonfinite="Runs.params holds nan where a run had diverged or stopped (documented)",
)
def run_sgd(
    problem: BatchProblem,
    params0: ArrayLike,
    *,
    batch_size: int,
    lr: float | ArrayLike,
    n_updates: int,
    seeds: int | Sequence[int] | ArrayLike = 0,
    optimizer: UpdateRule | None = None,
    shuffle: bool = True,
    record: str | ArrayLike = "path",
    on_record: Callable[[int, np.ndarray, np.ndarray], ArrayLike | None] | None = None,
    overflow: float = OVERFLOW,
) -> Runs:
    """Advance ``R`` independent runs of mini-batch SGD at once: the package's one update loop.

    Run ``r`` starts at ``params0[r]`` and makes up to ``n_updates`` updates
    ``θ ← optimizer.step(θ, g, lr[r], …)``, with ``g`` the problem's gradient of
    the objective over the run's batch. Batches: each epoch, run ``r`` draws
    ``rng_r.permutation(m)`` from its own ``rng_r = numpy.random.default_rng(seeds[r])``
    and cuts it in order into batches of ``batch_size`` (the last smaller when
    ``batch_size`` does not divide ``m``) -- exactly :func:`minibatch_indices`.
    With ``batch_size = m`` every batch is the whole set in stored order (no
    draw: a permutation would only reorder the sum); with ``shuffle=False``
    the batches are cut from the stored order every epoch (online learning in
    an order you choose).

    A run *diverges* when an update would make a parameter non-finite or larger
    than ``overflow`` in magnitude: it stops before that update, keeps its last
    finite parameters and records ``diverged_at``; the others go on. No warning
    is printed. The arithmetic of each run does not depend on the others, so a
    run of a sweep equals, bit for bit, the same run made alone.

    Parameters
    ----------
    problem : BatchProblem
        E.g. :class:`LogisticProblem`.
    params0 : (p,) or (R, p) array_like
        Start(s); one start is shared by every run.
    batch_size : int
        ``1 <= batch_size <= m``.
    lr : float or (R,) array_like
        Learning rate(s), each ``> 0``.
    n_updates : int
        The update budget of every run, ``>= 0``.
    seeds : int or (R,) array_like of int, default 0
        One seed per run (``R`` is their number; see :func:`run_seeds`).
    optimizer : UpdateRule, optional
        :class:`SGD` when omitted.
    shuffle : bool, default True
    record : "path", "final" or (n,) array_like of int, default "path"
        Which update counts to keep: every one, only the end, or the given
        increasing counts in ``[0, n_updates]``.
    on_record : callable, optional
        ``on_record(t, params, active)`` is called at every recorded count
        ``t`` with the ``(R, p)`` parameters and the ``(R,)`` mask of runs still
        going; it may return an ``(R,)`` bool mask of runs to stop there (they
        are not counted as diverged). The loop ends when no run is going.
    overflow : float, default :data:`OVERFLOW`

    Returns
    -------
    Runs

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(m=100, seed=1)
    >>> runs = run_sgd(LogisticProblem(x, y), (0.0, 0.0), batch_size=10, lr=0.5,
    ...                n_updates=30, seeds=[1, 2, 3])
    >>> runs.params.shape, runs.final_params.shape
    ((31, 3, 2), (3, 2))
    >>> one = lv.train(x, y, batch_size=10, lr=0.5, epochs=3, seed=2)
    >>> bool((one.params == runs.params[:, 1]).all())   # run 1 is train with seed 2
    True
    """
    params0 = arr(params0)
    m = as_int("problem.m", problem.m, minimum=1)
    p = as_int("problem.n_params", problem.n_params, minimum=1)
    seed_list: list[int] = list(seeds) if isinstance(seeds, list) else [int(seeds)]  # type: ignore[arg-type]
    R = len(seed_list)
    P0: np.ndarray = params0
    if P0.shape == (p,):
        P0 = np.broadcast_to(P0, (R, p))
    elif P0.shape != (R, p):
        raise ValueError(f"params0 must have shape ({p},) or ({R}, {p}), got {P0.shape}")
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    if isinstance(lr, float):
        lr_arr = np.full(R, lr)
    else:
        lr_arr = arr(lr)
        if lr_arr.shape != (R,):
            raise ValueError(
                f"lr must be a number or have one value per run, shape ({R},), got {lr_arr.shape}"
            )
    if n_updates * R * batch_size > MAX_SAMPLE_GRADIENTS:
        raise ValueError(
            f"n_updates = {n_updates} updates of {R} runs with batches of {batch_size} are "
            f"{n_updates * R * batch_size:.3g} per-sample gradients, over the limit of "
            f"{MAX_SAMPLE_GRADIENTS:.0e} (lossviz.optim.sgd.MAX_SAMPLE_GRADIENTS): use fewer updates, "
            "runs or smaller batches"
        )
    rule = _check_rule(optimizer)
    if isinstance(record, str):
        n_points = n_updates + 1 if record == "path" else 1
        _check_record_size(n_points, R, p)
        rec = np.arange(n_updates + 1) if record == "path" else np.array([n_updates])
    else:
        rec = np.asarray(record, dtype=np.int64)
        if np.any(np.diff(rec) <= 0) or rec[-1] > n_updates:
            raise ValueError(f"record must be increasing counts in [0, {n_updates}], got {rec}")
    _check_record_size(rec.size, R, p)

    full = batch_size == m
    per_epoch = -(-m // batch_size)
    rngs = [np.random.default_rng(s) for s in seed_list] if (shuffle and not full) else []
    params = np.array(P0, dtype=np.float64)
    out = np.full((rec.size, R, p), np.nan)
    active = np.ones(R, dtype=bool)
    diverged_at = np.zeros(R, dtype=np.int64)
    done = np.zeros(R, dtype=np.int64)
    state = rule.init_state(params)
    lr_col = lr_arr[:, None]
    order = np.empty((R, m), dtype=np.intp)
    stored = np.arange(m)
    next_rec = 0
    n_rec = int(rec.size)

    rec_list = rec.tolist()

    def record_now(t: int, everyone: bool) -> None:
        nonlocal next_rec
        if next_rec < n_rec and rec_list[next_rec] == t:
            if everyone:
                out[next_rec] = params
            else:
                out[next_rec, active] = params[active]
            next_rec += 1
            if on_record is not None:
                stop = on_record(t, params.copy(), active.copy())
                if stop is not None:
                    stop_arr = np.asarray(stop, dtype=bool)
                    if stop_arr.shape != (R,):
                        raise ValueError(
                            f"on_record must return None or an ({R},) bool mask, got shape {stop_arr.shape}"
                        )
                    active[stop_arr] = False

    with np.errstate(all="ignore"):
        record_now(0, True)
        everyone = bool(active.all())
        for t in range(1, n_updates + 1):
            if next_rec == n_rec or not (everyone or active.any()):
                break
            rows = None if everyone else np.flatnonzero(active)
            j = (t - 1) % per_epoch
            if full:
                batches = None
            elif shuffle:
                if j == 0:
                    for r in range(R) if rows is None else rows:
                        order[r] = rngs[r].permutation(m)
                sl = order[:, j * batch_size : (j + 1) * batch_size]
                batches = sl if rows is None else sl[rows]
            else:
                sl = stored[j * batch_size : (j + 1) * batch_size]
                batches = np.broadcast_to(sl, (R if rows is None else rows.size, sl.size))
            if rows is None:
                grads = problem.batch_gradients(params, batches)
                new = rule.step(params, grads, lr_col, state, t)
                if np.abs(new).max() <= overflow:  # the common case, one reduction (nan fails it)
                    params = new
                    done[:] = t
                else:
                    ok = np.all(np.abs(new) <= overflow, axis=1)  # also catches nan
                    params[ok] = new[ok]
                    diverged_at[~ok] = t
                    active[~ok] = False
                    done[ok] = t
                    everyone = False
            else:
                sub_state = {k: v[rows] for k, v in state.items()}
                grads = problem.batch_gradients(params[rows], batches)
                new = rule.step(params[rows], grads, lr_col[rows], sub_state, t)
                ok = np.all(np.abs(new) <= overflow, axis=1)
                params[rows[ok]] = new[ok]
                for k, v in sub_state.items():
                    state[k][rows[ok]] = v[ok]
                diverged_at[rows[~ok]] = t
                active[rows[~ok]] = False
                done[rows[ok]] = t
            record_now(t, everyone)
            if on_record is not None and everyone and not active.all():
                everyone = False
    n_kept = next_rec
    return Runs(
        params=out[:n_kept],
        recorded=rec[:n_kept],
        final_params=params,
        n_updates=done,
        diverged_at=diverged_at,
        seeds=np.array(seed_list, dtype=np.int64),
        lr=lr_arr,
        batch_size=batch_size,
        m=m,
    )


# ------------------------------------------------------------------ train: one run
@dataclass(frozen=True)
class TrainResult:
    """The trajectory of one training run.

    Attributes
    ----------
    params : (n_updates + 1, 2) ndarray
        ``(w, b)`` at the start and after every update.
    costs : (n_updates + 1,) ndarray
        The objective on the whole training set at each of those points.
    diverged_at : int or None
        ``None`` when the run finished. Otherwise ``k``: the ``k``-th update
        (counting from 1) made a parameter non-finite or larger than
        :data:`OVERFLOW` in magnitude, or made the objective overflow double
        precision, and the run stopped there; ``params`` then holds the start
        and the ``k - 1`` updates before it, and ``costs`` is finite.
    batch_sizes : (n_updates,) ndarray of int
        The number of samples each update used.
    batch_size, lr, lam, epochs : the settings of the run.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(m=50, seed=0)
    >>> run = lv.train(x, y, batch_size=20, lr=0.5, epochs=2)
    >>> run.params.shape, run.costs.shape, run.n_updates
    ((7, 2), (7,), 6)
    >>> run.examples_seen.tolist()
    [0, 20, 40, 50, 70, 90, 100]
    """

    params: np.ndarray
    costs: np.ndarray
    diverged_at: int | None
    batch_sizes: np.ndarray
    batch_size: int
    lr: float
    lam: float
    epochs: int

    @property
    def n_updates(self) -> int:
        """Number of updates made (finite ones)."""
        return int(self.params.shape[0] - 1)

    @property
    def examples_seen(self) -> np.ndarray:
        """``(n_updates + 1,)`` samples processed before each point of the trajectory."""
        return np.concatenate([[0], np.cumsum(self.batch_sizes)])

    @property
    def final_params(self) -> np.ndarray:
        """``(2,)`` the last finite parameters."""
        return self.params[-1]

    @property
    def final_cost(self) -> float:
        """The objective at the last finite parameters."""
        return float(self.costs[-1])


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "batch_size": _COUNT,
        "lr": _LR,
        "lam": LAM,
        "epochs": _COUNT,
        "seed": SEED,
        "params0": PARAMS,
        "loss": LOSS,
        "optimizer": _OPTIMIZER,
    }
)
def train(
    x: ArrayLike,
    y: ArrayLike,
    *,
    batch_size: int,
    lr: float,
    lam: float = 0.0,
    epochs: int = 1,
    seed: int = 0,
    params0: ArrayLike = (0.0, 0.0),
    loss: LogitLoss | None = None,
    optimizer: UpdateRule | None = None,
) -> TrainResult:
    """Train ``ŷ = σ(w·x + b)`` by mini-batch gradient descent on the objective.

    :func:`run_sgd` with one run on :class:`LogisticProblem`: each epoch draws
    ``minibatch_indices(m, batch_size, rng)`` from one
    ``rng = numpy.random.default_rng(seed)`` (so runs replay exactly) and makes
    one update per batch with the batch's mean gradient plus the penalty's:

    ``(w, b) ← (w, b) - lr · [(1/k) Σ_{i∈batch} ∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)]``.

    With ``batch_size = m`` the one batch of every epoch is the whole set, taken
    in its stored order (a permutation would only reorder the sum), so the run
    is plain gradient descent.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``: 1 is online learning, ``m`` full-batch GD.
    lr : float
        Learning rate η > 0.
    lam : float, default 0.0
        L2 strength λ ≥ 0 (``w`` only).
    epochs : int, default 1
        Passes over the data, ``>= 1``; at most :data:`MAX_UPDATES` updates in all
        (refused before any work).
    seed : int, default 0
        Seed of the batch order.
    params0 : (2,) array_like, default (0, 0)
        Starting ``(w, b)``.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.
    optimizer : UpdateRule, optional
        :class:`SGD` when omitted.

    Returns
    -------
    TrainResult
        A divergent run is reported in ``diverged_at``, never raised, and prints
        no warning.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(m=200, seed=0)
    >>> run = lv.train(x, y, batch_size=200, lr=1.0, epochs=50)
    >>> run.n_updates, run.diverged_at, bool(run.costs[-1] < run.costs[0])
    (50, None, True)
    """
    x, y, params0 = arr(x), arr(y), arr(params0)
    problem = LogisticProblem(x, y, lam, loss=loss)
    m = problem.m
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    per_epoch = -(-m // batch_size)
    if per_epoch * epochs > MAX_UPDATES:
        raise ValueError(
            f"epochs = {epochs} of {per_epoch} batches is {per_epoch * epochs} updates, over the limit of "
            f"{MAX_UPDATES} (lossviz.optim.sgd.MAX_UPDATES): use fewer epochs or larger batches"
        )
    p0: np.ndarray = params0
    P, diverged_at, batch_sizes = _trajectory(problem, batch_size, lr, epochs, seed, p0, optimizer=optimizer)
    with np.errstate(all="ignore"):
        costs = problem.objective_rows(P)
    bad = ~np.isfinite(costs)
    if bad.any():  # the objective overflowed before the parameters did: that update diverged
        k = int(np.flatnonzero(bad)[0])
        if k == 0:
            raise overflow_error(
                "the objective at params0",
                params=p0,
                x=problem.x,
                lam=problem.lam,
                loss=problem.loss,
                names=("params0", "x"),
            )
        P, costs, batch_sizes, diverged_at = P[:k], costs[:k], batch_sizes[: k - 1], k
    return TrainResult(
        params=P,
        costs=costs,
        diverged_at=diverged_at,
        batch_sizes=batch_sizes,
        batch_size=batch_size,
        lr=lr,
        lam=problem.lam,
        epochs=epochs,
    )


def _trajectory(
    problem: BatchProblem,
    batch_size: int,
    lr: float,
    epochs: int,
    seed: int,
    p0: np.ndarray,
    *,
    max_updates: int | None = None,
    overflow: float = OVERFLOW,
    optimizer: UpdateRule | None = None,
) -> tuple[np.ndarray, int | None, np.ndarray]:
    """One run's path: :func:`run_sgd` with ``R = 1``; inputs already validated.

    ``max_updates`` stops the run early (the explorer's budget); ``overflow`` is the
    magnitude past which a parameter counts as diverged.

    Returns
    -------
    params : (n_updates + 1, p) ndarray
    diverged_at : int or None
    batch_sizes : (n_updates,) ndarray of int
    """
    per_epoch = -(-problem.m // batch_size)
    n = per_epoch * epochs if max_updates is None else min(per_epoch * epochs, max_updates)
    runs = run_sgd(
        problem,
        p0,
        batch_size=batch_size,
        lr=lr,
        n_updates=n,
        seeds=[seed],
        optimizer=optimizer,
        overflow=overflow,
    )
    k = int(runs.n_updates[0])
    diverged_at = int(runs.diverged_at[0]) or None
    return runs.params[: k + 1, 0], diverged_at, runs.batch_sizes(k)


@validate_params({"params0": PARAMS, "x": FEATURE, "y": LABELS, "lr": _LR, "lam": LAM, "loss": LOSS})
def online_pass(
    params0: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    lr: float,
    lam: float = 0.0,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """Online learning over the samples in the order given: one update per sample.

    ``(w, b) ← (w, b) - lr · [∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)]`` for ``i = 0, 1, ...`` in
    array order -- the update :func:`lossviz.train` makes with ``batch_size = 1``,
    but in an order you choose (pass ``x[[1, 0]]`` to reverse two samples).
    Taught in notebook 06 (question 2).

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

    Examples
    --------
    One sample ``(x, y) = (1, 1)`` from ``(0, 0)``: the gradient is ``(σ(0) - 1)·(1, 1)``:

    >>> online_pass((0.0, 0.0), [1.0], [1.0], lr=1.0)
    array([[0. , 0. ],
           [0.5, 0.5]])
    """
    params0, x, y = arr(params0), arr(x), arr(y)
    p = params0
    problem = LogisticProblem(x, y, lam, loss=loss)
    runs = run_sgd(problem, p, batch_size=1, lr=lr, n_updates=problem.m, shuffle=False)
    if runs.diverged.any():
        raise ValueError(f"lr = {lr} is too large: the online updates overflowed")
    return runs.params[:, 0]
