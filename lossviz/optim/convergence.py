"""How fast gradient descent, momentum and Nesterov converge: the quadratic theory and measurements.

Near a minimum every smooth cost is a quadratic bowl ``½ (θ - θ*)ᵀ H (θ - θ*)``, and
on a quadratic the error of each update rule shrinks by a constant factor per
update, set by ``H``'s eigenvalues (Goh, "Why Momentum Really Works", Distill 2017):
:func:`quadratic_rate` gives that factor for any learning rate and momentum, and
:func:`optimal_gd`, :func:`optimal_momentum` and :func:`optimal_nesterov` the best
settings. :func:`updates_to_reach` and :func:`asymptotic_rate` measure the same
things on a real cost with the engine, for comparison. Taught in the lesson
"optimisers on the landscape".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .._validation import as_float_array, as_int, as_scalar
from .sgd import OVERFLOW, BatchProblem, Runs, UpdateRule, _check_problem, run_seeds, run_sgd

__all__ = [
    "QuadraticOptimum",
    "asymptotic_rate",
    "objective_along",
    "optimal_gd",
    "optimal_momentum",
    "optimal_nesterov",
    "quadratic_rate",
    "updates_to_reach",
]


class QuadraticOptimum(NamedTuple):
    """The best constant settings of a rule on a quadratic, and the rate they give."""

    lr: float
    """The learning rate η."""
    beta: float
    """The momentum β (0 for gradient descent)."""
    rate: float
    """The factor by which the error shrinks per update (in the worst direction)."""


def _eigenvalues(eigenvalues: ArrayLike) -> np.ndarray:
    ev = as_float_array("eigenvalues", eigenvalues)
    if np.any(ev <= 0):
        raise ValueError(f"eigenvalues must all be > 0 (a minimum's Hessian), got {ev[ev <= 0][0]}")
    return ev


def quadratic_rate(
    lr: ArrayLike, beta: ArrayLike, eigenvalues: ArrayLike, *, nesterov: bool = False
) -> np.ndarray:
    r"""The factor per update by which a rule's error shrinks on a quadratic.

    Along an eigenvector of ``H`` with eigenvalue ``λ`` the error ``e_t`` of
    :class:`lossviz.Momentum` (heavy ball, torch's form) follows the linear
    recursion whose characteristic polynomial is

    ``μ² - (1 + β - ηλ)·μ + β``,

    and for :class:`lossviz.Nesterov` ``μ² - (1 + β)(1 - ηλ)·μ + β(1 - ηλ)``;
    ``β = 0`` is gradient descent, ``|1 - ηλ|``. The error shrinks like
    ``ρᵗ``, ``ρ`` the largest ``|μ|`` over the roots and the eigenvalues (the
    spectral radius of the iteration). ``ρ < 1`` converges; ``ρ ≥ 1`` does not,
    and for gradient descent that is ``η ≥ 2/λ_max``, for momentum
    ``η ≥ 2(1 + β)/λ_max``.

    Parameters
    ----------
    lr : array_like of float > 0
        Learning rates η (broadcast against ``beta``).
    beta : array_like of float in [0, 1)
        Momenta β.
    eigenvalues : (n,) array_like of float > 0
        The Hessian's eigenvalues, e.g. ``numpy.linalg.eigvalsh(lv.hessian(p_star, x, y))``.
    nesterov : bool, default False

    Returns
    -------
    ndarray of float
        ``ρ``, with the broadcast shape of ``lr`` and ``beta``.

    Examples
    --------
    >>> float(quadratic_rate(0.5, 0.0, [1.0, 3.0]))       # GD: max(|1 - 0.5|, |1 - 1.5|)
    0.5
    >>> float(quadratic_rate(1.0, 0.25, [1.0]).round(12))  # double root μ = 0.5 = √β
    0.5
    """
    eta = as_float_array("lr", lr, ndim=None)
    b = as_float_array("beta", beta, ndim=None)
    if np.any(eta <= 0):
        raise ValueError(f"lr must be > 0, got {eta[eta <= 0][0]}")
    if np.any((b < 0) | (b >= 1)):
        raise ValueError(f"beta must be in [0, 1), got {b[(b < 0) | (b >= 1)][0]}")
    if not isinstance(nesterov, (bool, np.bool_)):
        raise TypeError(f"nesterov must be True or False, got {nesterov!r}")
    ev = _eigenvalues(eigenvalues)
    eta, b = np.broadcast_arrays(eta, b)
    e, bb, lam = eta[..., None], b[..., None], ev
    if nesterov:
        trace, det = (1 + bb) * (1 - e * lam), bb * (1 - e * lam)
    else:
        trace, det = 1 + bb - e * lam, bb * np.ones_like(lam)
    root = np.sqrt((trace * trace - 4 * det).astype(complex))
    radius = np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))
    return radius.max(axis=-1)


def _kappa(ev: np.ndarray) -> tuple[float, float, float]:
    lo, hi = float(ev.min()), float(ev.max())
    return lo, hi, hi / lo


def optimal_gd(eigenvalues: ArrayLike) -> QuadraticOptimum:
    """Gradient descent's best learning rate on a quadratic: ``η = 2/(λ_max + λ_min)``.

    It balances the two extreme directions, ``1 - ηλ_min = -(1 - ηλ_max)``, for the
    rate ``(κ - 1)/(κ + 1)``, ``κ = λ_max/λ_min``.

    Parameters
    ----------
    eigenvalues : (n,) array_like of float > 0

    Returns
    -------
    QuadraticOptimum
        ``(lr, 0.0, rate)``.

    Examples
    --------
    >>> optimal_gd([1.0, 3.0])
    QuadraticOptimum(lr=0.5, beta=0.0, rate=0.5)
    """
    lo, hi, kappa = _kappa(_eigenvalues(eigenvalues))
    return QuadraticOptimum(2.0 / (hi + lo), 0.0, (kappa - 1) / (kappa + 1))


def optimal_momentum(eigenvalues: ArrayLike) -> QuadraticOptimum:
    """Heavy-ball momentum's best settings on a quadratic (Polyak 1964; Distill 2017).

    ``η* = (2/(√λ_max + √λ_min))²``, ``β* = ((√κ - 1)/(√κ + 1))²``, rate
    ``(√κ - 1)/(√κ + 1)`` -- against ``(κ - 1)/(κ + 1)`` for gradient descent, so
    the number of updates grows like ``√κ`` instead of ``κ``.

    Parameters
    ----------
    eigenvalues : (n,) array_like of float > 0

    Returns
    -------
    QuadraticOptimum

    Examples
    --------
    >>> optimal_momentum([1.0, 9.0])  # κ = 9: rate (3 - 1)/(3 + 1)
    QuadraticOptimum(lr=0.25, beta=0.25, rate=0.5)
    """
    lo, hi, kappa = _kappa(_eigenvalues(eigenvalues))
    s = np.sqrt(kappa)
    return QuadraticOptimum(
        float((2 / (np.sqrt(hi) + np.sqrt(lo))) ** 2),
        float(((s - 1) / (s + 1)) ** 2),
        float((s - 1) / (s + 1)),
    )


def optimal_nesterov(eigenvalues: ArrayLike) -> QuadraticOptimum:
    """Nesterov momentum's best settings on a quadratic (Lessard, Recht & Packard 2016).

    ``η = 4/(3λ_max + λ_min)``, ``β = (√(3κ + 1) - 2)/(√(3κ + 1) + 2)``, rate
    ``1 - 2/√(3κ + 1)``: also like ``√κ``, but slower than tuned heavy ball on a
    quadratic (Nesterov's advantage is its guarantee on every convex function).

    Parameters
    ----------
    eigenvalues : (n,) array_like of float > 0

    Returns
    -------
    QuadraticOptimum

    Examples
    --------
    >>> optimal_nesterov([1.0, 5.0])  # κ = 5: √16 = 4
    QuadraticOptimum(lr=0.25, beta=0.3333333333333333, rate=0.5)
    """
    lo, hi, kappa = _kappa(_eigenvalues(eigenvalues))
    s = float(np.sqrt(3 * kappa + 1))
    return QuadraticOptimum(4 / (3 * hi + lo), (s - 2) / (s + 2), 1 - 2 / s)


def updates_to_reach(
    problem: BatchProblem,
    params0: ArrayLike,
    *,
    lr: float | ArrayLike,
    n_updates: int,
    reached: Callable[[np.ndarray], ArrayLike],
    optimizer: UpdateRule | None = None,
    batch_size: int | None = None,
    seeds: int | Sequence[int] = 0,
    overflow: float = OVERFLOW,
) -> np.ndarray:
    """The first update at which each run of a sweep reaches a goal, by the engine.

    :func:`lossviz.optim.run_sgd` with one run per learning rate (and per row
    of ``params0``, or per ``β`` of a per-run ``optimizer``), all at once; after
    every update, ``reached(params)`` says which runs are there, and those stop.

    Parameters
    ----------
    problem : BatchProblem
        E.g. :class:`lossviz.optim.LogisticProblem`.
    params0 : (p,) or (R, p) array_like of float
        The start(s).
    lr : float or (R,) array_like of float
        Learning rates.
    n_updates : int
        The budget, ``>= 0``.
    reached : callable
        ``(R, p) -> (R,) bool``: which parameter rows count as arrived, e.g.
        ``lambda P: np.linalg.norm(P - p_star, axis=1) <= 1e-6``.
    optimizer : UpdateRule, optional
        :class:`lossviz.optim.SGD` when omitted.
    batch_size : int, optional
        ``problem.m`` (full batch) when omitted.
    seeds : int or (R,) sequence of int, default 0
        Batch orders: one seed per run, or a base seed for
        :func:`lossviz.optim.run_seeds`.
    overflow : float, default :data:`lossviz.optim.OVERFLOW`

    Returns
    -------
    (R,) ndarray of float
        The update count (0 if the start is already there); ``inf`` for a run
        that did not arrive within the budget or diverged.

    Examples
    --------
    >>> import numpy as np, lossviz as lv
    >>> from lossviz.optim import LogisticProblem
    >>> x, y = lv.make_churn(m=200, seed=0)
    >>> p_star = lv.minimise(x, y)
    >>> near = lambda P: np.linalg.norm(P - p_star, axis=1) <= 1e-3
    >>> updates_to_reach(LogisticProblem(x, y), (0, 0), lr=[1.0, 4.0, 40.0], n_updates=3000,
    ...                  reached=near)
    array([954., 236.,  inf])
    """
    problem = _check_problem(problem)
    if not callable(reached):
        raise TypeError(f"reached must be callable, got {reached!r}")
    n_updates = as_int("n_updates", n_updates, minimum=0)
    P0 = as_float_array("params0", params0, ndim=None)
    sizes = {np.size(lr)} if np.ndim(lr) == 1 else set()
    if P0.ndim == 2:
        sizes.add(P0.shape[0])
    if np.ndim(seeds) == 1:
        sizes.add(len(seeds))  # type: ignore[arg-type]
    if len(sizes) > 1:
        raise ValueError(f"lr, params0 and seeds must agree on the number of runs, got {sorted(sizes)}")
    R = sizes.pop() if sizes else 1
    seed_arr = run_seeds(as_int("seeds", seeds, minimum=0), R) if np.ndim(seeds) == 0 else seeds
    k = problem.m if batch_size is None else batch_size
    hit = np.full(R, np.inf)

    def check(t: int, params: np.ndarray, active: np.ndarray) -> np.ndarray:
        there = np.asarray(reached(params), dtype=bool)
        if there.shape != (R,):
            raise ValueError(f"reached must return an ({R},) bool array, got shape {there.shape}")
        now = active & there
        hit[now] = t
        return now

    with np.errstate(all="ignore"):
        run_sgd(
            problem,
            P0,
            batch_size=k,
            lr=lr,
            n_updates=n_updates,
            seeds=seed_arr,
            optimizer=optimizer,
            on_record=check,
            overflow=overflow,
        )
    return hit


def asymptotic_rate(distances: ArrayLike, *, upper: float, lower: float) -> float:
    """The factor per update by which a run's error shrinks, fitted once it is small.

    A least-squares line through ``log d_t`` against ``t`` over the updates
    with ``lower < d_t <= upper`` (from the first update at or below ``upper``):
    ``exp`` of its slope. Close to the minimum the cost is quadratic, so this
    is what :func:`quadratic_rate` predicts; the fit also averages over the
    spiralling of momentum, whose ``d_t`` shrinks only on average.

    Parameters
    ----------
    distances : (n,) array_like of float >= 0
        ``‖θ_t - θ*‖`` along a run (or any error measure).
    upper, lower : float
        ``0 < lower < upper``: the window of the fit.

    Returns
    -------
    float

    Examples
    --------
    >>> round(asymptotic_rate(0.9 ** np.arange(200), upper=1e-2, lower=1e-8), 12)
    0.9
    """
    d = as_float_array("distances", distances)
    if np.any(d < 0):
        raise ValueError(f"distances must be >= 0, got {d[d < 0][0]}")
    upper = as_scalar("upper", upper, minimum=0.0, strict_minimum=True)
    lower = as_scalar("lower", lower, minimum=0.0, strict_minimum=True)
    if lower >= upper:
        raise ValueError(f"lower must be < upper, got lower={lower}, upper={upper}")
    below = np.flatnonzero(d <= upper)
    if below.size == 0:
        raise ValueError(f"distances never come down to upper={upper} (smallest {d.min():.3g})")
    t = np.arange(below[0], d.size)
    t = t[d[t] > lower]
    if t.size < 3:
        raise ValueError(
            f"distances have {t.size} values in ({lower}, {upper}] after reaching upper; "
            "the fit needs at least 3: widen the window or record more updates"
        )
    slope = np.polyfit(t, np.log(d[t]), 1)[0]
    return float(np.exp(slope))


def objective_along(problem: BatchProblem, runs: Runs) -> np.ndarray:
    """The objective on the whole training set at every recorded point of every run.

    Parameters
    ----------
    problem : BatchProblem
        The problem the runs were made on.
    runs : Runs
        What :func:`lossviz.optim.run_sgd` returned.

    Returns
    -------
    (R, n_recorded) ndarray of float
        Row ``r`` is run ``r``'s objective at ``runs.recorded``; ``nan`` where
        the run had diverged or stopped.

    Examples
    --------
    >>> import lossviz as lv
    >>> from lossviz.optim import LogisticProblem
    >>> x, y = lv.make_churn(m=100, seed=0)
    >>> problem = LogisticProblem(x, y)
    >>> runs = run_sgd(problem, (0, 0), batch_size=10, lr=0.5, n_updates=20, seeds=[1, 2, 3])
    >>> J = objective_along(problem, runs)
    >>> J.shape, bool((J[:, -1] < J[:, 0]).all())
    ((3, 21), True)
    """
    problem = _check_problem(problem)
    if not isinstance(runs, Runs):
        raise TypeError(f"runs must be the Runs that run_sgd returned, got {runs!r}")
    n, R, p = runs.params.shape
    if p != problem.n_params:
        raise ValueError(f"runs have {p} parameters, problem has {problem.n_params}")
    flat = runs.params.reshape(n * R, p)
    out = np.full(n * R, np.nan)
    ok = np.isfinite(flat).all(axis=1)
    out[ok] = problem.objective_rows(flat[ok])
    return out.reshape(n, R).T
