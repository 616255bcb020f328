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

import numbers
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import (
    MAX_ARRAY_SIZE,
    Boolean,
    CallableOf,
    InstanceOf,
    Interval,
    OneOf,
    RealArray,
    SequenceOf,
    arr,
    validate_params,
)
from ..model import FEATURE, LABELS, SEED
from .sgd import (
    _LR,
    _OPTIMIZER,
    _PROBLEM,
    MAX_UPDATES,
    OVERFLOW,
    BatchProblem,
    LogisticProblem,
    Runs,
    UpdateRule,
    run_seeds,
    run_sgd,
)

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


_EIGENVALUES = RealArray(
    lo=0.0, lo_open=True, example_value=[1.0, 3.0], what="eigenvalues > 0 (a minimum's Hessian)"
)


def _check_settings(out: Any, **named: float) -> Any:
    """``out`` if finite, else a ValueError naming the settings whose size made it overflow."""
    if np.all(np.isfinite(out)):
        return out
    parts = ", ".join(f"{k} = {v:g}" for k, v in named.items())
    raise ValueError(
        f"{', '.join(named)} are too far apart or too large ({parts}): the result overflows double "
        "precision; rescale the problem (eigenvalues of order 1)"
    )


@validate_params(
    {
        "lr": RealArray(ndim=None, lo=0.0, lo_open=True, example_value=0.5),
        "beta": RealArray(ndim=None, lo=0.0, hi=1.0, hi_open=True, example_value=0.0),
        "eigenvalues": _EIGENVALUES,
        "nesterov": Boolean(),
    }
)
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
    lr, beta, eigenvalues = arr(lr), arr(beta), arr(eigenvalues)
    eta, b, ev = lr, beta, eigenvalues
    try:
        shape = np.broadcast_shapes(eta.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"lr and beta must broadcast together, got shapes {eta.shape} and {b.shape}"
        ) from None
    if int(np.prod(shape)) * ev.size > MAX_ARRAY_SIZE:
        raise ValueError(
            f"lr, beta and eigenvalues make {int(np.prod(shape)) * ev.size} rates, over the limit of "
            f"{MAX_ARRAY_SIZE} (lossviz._constraints.MAX_ARRAY_SIZE): use fewer settings"
        )
    eta, b = np.broadcast_arrays(eta, b)
    e, bb, lam = eta[..., None], b[..., None], ev
    with np.errstate(all="ignore"):
        if nesterov:
            trace, det = (1 + bb) * (1 - e * lam), bb * (1 - e * lam)
        else:
            trace, det = 1 + bb - e * lam, bb * np.ones_like(lam)
        root = np.sqrt((trace * trace - 4 * det).astype(complex))
        radius = np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))
        out = radius.max(axis=-1)
    return _check_settings(out, lr=float(np.max(eta)), eigenvalues=float(np.max(ev)))


def _kappa(ev: np.ndarray) -> tuple[float, float, float]:
    lo, hi = float(ev.min()), float(ev.max())
    with np.errstate(all="ignore"):
        kappa = float(np.float64(hi) / lo)
        extremes = (2.0 / np.float64(lo), 4.0 / np.float64(hi + lo), np.sqrt(3 * np.float64(kappa) + 1))
    _check_settings((kappa, *extremes), smallest=lo, largest=hi)
    return lo, hi, kappa


@validate_params({"eigenvalues": _EIGENVALUES})
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
    eigenvalues = arr(eigenvalues)
    lo, hi, kappa = _kappa(eigenvalues)
    return QuadraticOptimum(2.0 / (hi + lo), 0.0, (kappa - 1) / (kappa + 1))


@validate_params({"eigenvalues": _EIGENVALUES})
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
    eigenvalues = arr(eigenvalues)
    lo, hi, kappa = _kappa(eigenvalues)
    s = np.sqrt(kappa)
    return QuadraticOptimum(
        float((2 / (np.sqrt(hi) + np.sqrt(lo))) ** 2),
        float(((s - 1) / (s + 1)) ** 2),
        float((s - 1) / (s + 1)),
    )


@validate_params({"eigenvalues": _EIGENVALUES})
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
    eigenvalues = arr(eigenvalues)
    lo, hi, kappa = _kappa(eigenvalues)
    s = float(np.sqrt(3 * kappa + 1))
    return QuadraticOptimum(4 / (3 * hi + lo), (s - 2) / (s + 2), 1 - 2 / s)


def _updates_example() -> dict[str, Any]:
    return {
        "problem": LogisticProblem(FEATURE.example(), LABELS.example()),
        "params0": (0.0, 0.0),
        "lr": 0.5,
        "n_updates": 5,
        "reached": lambda P: np.zeros(P.shape[0], dtype=bool),
    }


@validate_params(
    {
        "problem": _PROBLEM,
        "params0": RealArray(ndim=None, example_value=[0.0, 0.0]),
        "lr": OneOf((_LR, RealArray(lo=0.0, lo_open=True))),
        "n_updates": Interval(numbers.Integral, 0, MAX_UPDATES, example_value=5),
        "reached": CallableOf(),
        "optimizer": _OPTIMIZER,
        "batch_size": Interval(numbers.Integral, 1, None, none_ok=True),
        "seeds": OneOf((SEED, SequenceOf(SEED))),
        "overflow": Interval(numbers.Real, 0.0, None, closed="neither"),
    },
    example=_updates_example,
    nonfinite="inf for a run that did not arrive within the budget or diverged (documented)",
)
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
    params0 = arr(params0)
    P0: np.ndarray = params0
    sizes = {np.size(lr)} if np.ndim(lr) == 1 else set()
    if P0.ndim == 2:
        sizes.add(P0.shape[0])
    if isinstance(seeds, list):
        sizes.add(len(seeds))
    if len(sizes) > 1:
        raise ValueError(f"lr, params0 and seeds must agree on the number of runs, got {sorted(sizes)}")
    R = sizes.pop() if sizes else 1
    seed_arr = seeds if isinstance(seeds, list) else run_seeds(seeds, R)
    k = problem.m if batch_size is None else batch_size
    hit = np.full(R, np.inf)

    def check(t: int, params: np.ndarray, active: np.ndarray) -> np.ndarray:
        try:
            there = np.asarray(reached(params), dtype=bool)
        except Exception as exc:  # the caller's function: say whose error it is
            raise TypeError(
                f"reached raised {type(exc).__name__} ({exc}) when called with the ({R}, p) parameters; "
                "it must return an (R,) bool array"
            ) from exc
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


@validate_params(
    {
        "distances": RealArray(lo=0.0, example_value=[1.0, 0.5, 0.25, 0.125, 0.0625]),
        "upper": Interval(numbers.Real, 0.0, None, closed="neither", example_value=1.0),
        "lower": Interval(numbers.Real, 0.0, None, closed="neither", example_value=1e-3),
    }
)
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
    distances = arr(distances)
    d: np.ndarray = distances
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
    with np.errstate(over="ignore"):
        rate = float(np.exp(slope))
    if not np.isfinite(rate):
        raise ValueError(
            f"distances grow by more than a float can hold per update (log-slope {slope:.3g}): "
            "no rate to fit; pass the distances of a converging run"
        )
    return rate


def _along_example() -> dict[str, Any]:
    problem = LogisticProblem(FEATURE.example(), LABELS.example())
    return {
        "problem": problem,
        "runs": run_sgd(problem, (0.0, 0.0), batch_size=2, lr=0.5, n_updates=4, seeds=[1, 2]),
    }


@validate_params(
    {
        "problem": _PROBLEM,
        "runs": InstanceOf(
            Runs, example_factory=lambda: _along_example()["runs"], what="the Runs that run_sgd returned"
        ),
    },
    example=_along_example,
    nonfinite="nan where a run had diverged or stopped (documented)",
)
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
    n, R, p = runs.params.shape
    if p != problem.n_params:
        raise ValueError(f"runs have {p} parameters, problem has {problem.n_params}")
    flat = runs.params.reshape(n * R, p)
    out = np.full(n * R, np.nan)
    ok = np.isfinite(flat).all(axis=1)
    with np.errstate(all="ignore"):
        out[ok] = problem.objective_rows(flat[ok])
    return out.reshape(n, R).T
