"""Do small batches find flat minima? A one-parameter problem with a sharp and a flat basin.

The blog post claims that mini-batch noise keeps SGD out of sharp, narrow
minima. To test that honestly we need a cost with two minima of *equal depth*
that differ only in width, per-sample losses whose mean is exactly that cost,
and many seeds. The toy here is

``J(θ) = c/2·θ² - a_s·exp(-(θ - μ_s)²/(2 s_s²)) - a_f·exp(-(θ - μ_f)²/(2 s_f²))``,

a sharp well of width ``s_s`` at ``μ_s`` and a flat one of width ``s_f`` at
``μ_f``, in a bowl ``c/2·θ²`` that keeps every run bounded. The sharp well's
depth ``a_s`` is solved for so that the two minima of ``J`` are equally deep.
Sample ``i``'s loss is

``ℓᵢ(θ) = J(θ) + ξᵢ·θ``  with  ``Σᵢ ξᵢ = 0``,

so the cost ``(1/m) Σᵢ ℓᵢ`` is exactly ``J`` and a batch's gradient is
``J'(θ)`` plus the batch mean of the ``ξᵢ``: the mini-batch noise, whose size is
set by the spread of the ``ξᵢ`` and the batch size.

Dinh et al. (2017) pointed out that sharpness is not a property of the
function a model computes but of the coordinates its parameters are written
in. :class:`Reparametrisation` writes the same model as ``θ = r(φ)`` with a
smooth increasing ``r`` that stretches one basin and squeezes the other, so
that the basin that is sharp in ``θ`` is flat in ``φ``. Every prediction and
every cost value is unchanged; only what gradient descent "sees" changes.
Taught in notebook 10; the drawings are in :mod:`lossviz.plot.basins`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .._validation import as_float_array, as_int, as_scalar

__all__ = [
    "BasinCounts",
    "Reparametrisation",
    "TwoBasinProblem",
    "count_basins",
    "make_two_basin",
    "run_basins",
]


@dataclass(frozen=True, eq=False)
class TwoBasinProblem:
    """The two-basin cost and its per-sample noise; see the module docstring.

    Attributes
    ----------
    xi : (m,) ndarray
        The per-sample tilts ``ξᵢ`` (mean exactly 0).
    sharp_centre, sharp_width, flat_centre, flat_width : float
        ``μ_s, s_s, μ_f, s_f``.
    sharp_depth, flat_depth : float
        ``a_s, a_f``: the heights of the two Gaussian wells.
    bowl : float
        ``c``.
    """

    xi: np.ndarray
    sharp_centre: float = -1.25
    sharp_width: float = 0.1
    flat_centre: float = 1.25
    flat_width: float = 0.5
    sharp_depth: float = 0.5
    flat_depth: float = 0.5
    bowl: float = 0.02
    _extrema: tuple[float, float, float] = field(default=(0.0, 0.0, 0.0), repr=False, compare=False)

    @property
    def m(self) -> int:
        """Number of samples."""
        return int(self.xi.size)

    def _wells(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gs = self.sharp_depth * np.exp(-((theta - self.sharp_centre) ** 2) / (2 * self.sharp_width**2))
        gf = self.flat_depth * np.exp(-((theta - self.flat_centre) ** 2) / (2 * self.flat_width**2))
        return gs, gf

    def cost(self, theta: ArrayLike) -> np.ndarray:
        """``J(θ)``, elementwise over an array of ``θ``."""
        t = np.asarray(theta, dtype=float)
        gs, gf = self._wells(t)
        return 0.5 * self.bowl * t**2 - gs - gf

    def cost_gradient(self, theta: ArrayLike) -> np.ndarray:
        """``J'(θ)``, elementwise."""
        t = np.asarray(theta, dtype=float)
        gs, gf = self._wells(t)
        return (
            self.bowl * t
            + gs * (t - self.sharp_centre) / self.sharp_width**2
            + gf * (t - self.flat_centre) / self.flat_width**2
        )

    def cost_curvature(self, theta: ArrayLike) -> np.ndarray:
        """``J''(θ)``, elementwise."""
        t = np.asarray(theta, dtype=float)
        gs, gf = self._wells(t)
        us = (t - self.sharp_centre) / self.sharp_width**2
        uf = (t - self.flat_centre) / self.flat_width**2
        return self.bowl + gs * (1 / self.sharp_width**2 - us**2) + gf * (1 / self.flat_width**2 - uf**2)

    def per_sample_losses(self, theta: float) -> np.ndarray:
        """``(m,)`` losses ``ℓᵢ(θ) = J(θ) + ξᵢ·θ`` at one ``θ``; their mean is ``J(θ)``."""
        t = as_scalar("theta", theta)
        return float(self.cost(t)) + self.xi * t

    @property
    def sharp_minimum(self) -> float:
        """``θ`` of the sharp basin's minimum."""
        return self._extrema[0]

    @property
    def ridge(self) -> float:
        """``θ`` of the local maximum between the basins: the border of their basins of attraction."""
        return self._extrema[1]

    @property
    def flat_minimum(self) -> float:
        """``θ`` of the flat basin's minimum."""
        return self._extrema[2]

    def span(self, widths: float = 3.0) -> tuple[float, float]:
        """``(μ_s - widths·s_s, μ_f + widths·s_f)``: both wells and the ridge between them.

        A natural range to draw starting points from (the sharp well is on the left).
        """
        k = as_scalar("widths", widths, minimum=0.0, strict_minimum=True)
        return (self.sharp_centre - k * self.sharp_width, self.flat_centre + k * self.flat_width)


def _newton_root(f, fp, x0: float, lo: float, hi: float) -> float:
    """A root of ``f`` in ``[lo, hi]`` (where ``f`` changes sign), by bisection then Newton."""
    flo = f(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    x = 0.5 * (lo + hi)
    for _ in range(5):
        d = fp(x)
        if d != 0:
            x -= f(x) / d
    return float(x)


def _extrema(p: TwoBasinProblem) -> tuple[float, float, float]:
    g = lambda t: float(p.cost_gradient(t))  # noqa: E731
    h = lambda t: float(p.cost_curvature(t))  # noqa: E731
    grid = np.linspace(p.sharp_centre - 3 * p.sharp_width, p.flat_centre + 3 * p.flat_width, 20001)
    sign = np.sign(p.cost_gradient(grid))
    flips = np.flatnonzero(sign[:-1] != sign[1:])
    roots = [_newton_root(g, h, grid[i], grid[i], grid[i + 1]) for i in flips]
    minima = [r for r in roots if h(r) > 0]
    maxima = [r for r in roots if h(r) < 0]
    if len(minima) != 2 or len(maxima) != 1:
        raise ValueError(
            f"the parameters do not give two basins separated by one ridge (minima {minima}, maxima {maxima})"
        )
    return minima[0], maxima[0], minima[1]


def make_two_basin(
    m: int = 200,
    *,
    noise: float = 7.0,
    seed: int = 0,
    sharp_width: float = 0.1,
    flat_width: float = 0.5,
    depth: float = 0.5,
    bowl: float = 0.02,
) -> TwoBasinProblem:
    """The toy problem with ``m`` samples whose tilts ``ξᵢ`` have mean 0 and spread ``noise``.

    The ``ξᵢ`` are drawn from a normal distribution, then centred and scaled so
    that their mean is exactly 0 and their standard deviation exactly
    ``noise``: the cost is exactly ``J`` and a one-sample gradient has noise of
    standard deviation ``noise``. The flat well has height ``depth``; the
    sharp well's height is found by bisection so that both minima of ``J``
    have the same value (to ``1e-12``).

    Parameters
    ----------
    m : int, default 200
        ``m >= 2``.
    noise : float, default 7.0
        ``> 0``.
    seed : int, default 0
    sharp_width, flat_width : float
        ``0 < sharp_width < flat_width``.
    depth : float, default 0.5
        Height of the flat well, ``> 0``.
    bowl : float, default 0.02
        ``c >= 0``.

    Returns
    -------
    TwoBasinProblem
    """
    m = as_int("m", m, minimum=2)
    noise = as_scalar("noise", noise, minimum=0.0, strict_minimum=True)
    seed = as_int("seed", seed, minimum=0)
    s_s = as_scalar("sharp_width", sharp_width, minimum=0.0, strict_minimum=True)
    s_f = as_scalar("flat_width", flat_width, minimum=0.0, strict_minimum=True)
    if s_f <= s_s:
        raise ValueError(f"flat_width must exceed sharp_width = {s_s}, got {s_f}")
    depth = as_scalar("depth", depth, minimum=0.0, strict_minimum=True)
    bowl = as_scalar("bowl", bowl, minimum=0.0)
    xi = np.random.default_rng(seed).normal(size=m)
    xi -= xi.mean()
    xi *= noise / xi.std()

    def problem(a_s: float, extrema: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> TwoBasinProblem:
        return TwoBasinProblem(
            xi=xi,
            sharp_width=s_s,
            flat_width=s_f,
            sharp_depth=a_s,
            flat_depth=depth,
            bowl=bowl,
            _extrema=extrema,
        )

    # The bowl lifts the two minima by different amounts; deepen the sharp well to match.
    lo, hi = 0.5 * depth, 2.0 * depth
    for _ in range(80):
        a_s = 0.5 * (lo + hi)
        p = problem(a_s)
        s, _, f = _extrema(p)
        if p.cost(s) > p.cost(f):
            lo = a_s
        else:
            hi = a_s
    a_s = 0.5 * (lo + hi)
    return problem(a_s, _extrema(problem(a_s)))


@dataclass(frozen=True)
class Reparametrisation:
    """``θ = r(φ) = p·φ + (q/k)·(softplus(k·φ) - log 2)``, with ``q = right_slope - left_slope``.

    A smooth, increasing map with slope ``r'(φ) ≈ left_slope`` for ``φ ≪ 0``
    and ``≈ right_slope`` for ``φ ≫ 0``, and ``r(0) = 0``. Curvature at a minimum
    transforms as ``d²J/dφ² = r'(φ)² · d²J/dθ²``: with the defaults a basin left
    of 0 becomes 25 times flatter and one right of 0 25 times sharper.

    Attributes
    ----------
    left_slope, right_slope : float
        ``> 0``.
    sharpness : float
        ``k > 0``: how quickly the slope changes near ``φ = 0``.
    """

    left_slope: float = 0.2
    right_slope: float = 5.0
    sharpness: float = 4.0

    def __post_init__(self) -> None:
        for name in ("left_slope", "right_slope", "sharpness"):
            as_scalar(name, getattr(self, name), minimum=0.0, strict_minimum=True)

    def theta(self, phi: ArrayLike) -> np.ndarray:
        """``r(φ)``."""
        f = np.asarray(phi, dtype=float)
        k, p, q = self.sharpness, self.left_slope, self.right_slope - self.left_slope
        u = k * f
        softplus = np.maximum(u, 0) + np.log1p(np.exp(-np.abs(u)))
        return p * f + q / k * (softplus - np.log(2.0))

    def slope(self, phi: ArrayLike) -> np.ndarray:
        """``r'(φ)``."""
        f = np.asarray(phi, dtype=float)
        k, p, q = self.sharpness, self.left_slope, self.right_slope - self.left_slope
        return p + q * 0.5 * (1 + np.tanh(0.5 * k * f))

    def phi(self, theta: ArrayLike) -> np.ndarray:
        """``r⁻¹(θ)``, by bisection (``r`` is increasing)."""
        t = np.asarray(theta, dtype=float)
        lo_slope = min(self.left_slope, self.right_slope)
        span = (np.abs(t) + abs(np.log(2.0)) * self.right_slope / self.sharpness) / lo_slope + 1.0
        lo, hi = -span, span
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            above = self.theta(mid) > t
            hi = np.where(above, mid, hi)
            lo = np.where(above, lo, mid)
        return 0.5 * (lo + hi)


class _BasinSGD:
    """The two-basin problem as a :class:`lossviz.optim.BatchProblem` over ``θ`` (or ``φ``).

    A batch's gradient is ``J'(θ) + ξ̄_batch`` (the mean tilt of its samples); the
    whole set's tilts sum to zero, so a full batch has no noise. With a
    reparametrisation ``θ = r(φ)`` the runs descend in ``φ``:
    ``r'(φ)·(J'(r(φ)) + ξ̄)``.
    """

    n_params = 1

    def __init__(self, problem: TwoBasinProblem, reparam: Reparametrisation | None) -> None:
        self.problem = problem
        self.reparam = reparam

    @property
    def m(self) -> int:
        return self.problem.m

    def batch_gradients(self, params: np.ndarray, batches: np.ndarray | None) -> np.ndarray:
        u = params[:, 0]
        noise = 0.0 if batches is None else self.problem.xi[batches].mean(axis=1)
        if self.reparam is None:
            g = self.problem.cost_gradient(u) + noise
        else:
            g = self.reparam.slope(u) * (self.problem.cost_gradient(self.reparam.theta(u)) + noise)
        return g[:, None]

    def objective_rows(self, params: np.ndarray) -> np.ndarray:
        u = params[:, 0]
        return self.problem.cost(u if self.reparam is None else self.reparam.theta(u))


def run_basins(
    problem: TwoBasinProblem,
    theta0: ArrayLike,
    *,
    batch_size: int,
    lr: float,
    steps: int,
    seed: int = 0,
    reparam: Reparametrisation | None = None,
) -> np.ndarray:
    """Run mini-batch SGD from every starting point at once; return where each run ends.

    The runs are :func:`lossviz.optim.run_sgd`'s: run ``r`` draws its batches,
    epoch by epoch, from a fresh permutation of the ``m`` samples made by its own
    ``numpy.random.default_rng(run_seeds(seed, R)[r])``, as :func:`lossviz.train`
    does. ``batch_size = m`` is full-batch gradient descent: the tilts cancel
    exactly and the run is deterministic. With ``reparam`` the runs descend in
    ``φ`` (starting at ``φ₀ = r⁻¹(θ₀)``, with gradient ``r'(φ)·(J'(r(φ)) + ξ̄)``)
    and the result is mapped back to ``θ``.

    Parameters
    ----------
    problem : TwoBasinProblem
    theta0 : (R,) array_like of float
        One starting ``θ`` per run.
    batch_size : int
        ``1 <= batch_size <= m``.
    lr : float
        ``> 0``.
    steps : int
        Updates per run, ``>= 1``.
    seed : int, default 0
        Base seed of the runs' batch orders (:func:`lossviz.optim.run_seeds`):
        different seeds give unrelated batch orders.
    reparam : Reparametrisation, optional

    Returns
    -------
    (R,) ndarray of float
        The final ``θ`` of every run.

    Raises
    ------
    RuntimeError
        If a run diverges (lower ``lr``).
    """
    from ..optim.sgd import run_seeds, run_sgd

    if not isinstance(problem, TwoBasinProblem):
        raise TypeError(f"problem must be a TwoBasinProblem, got {type(problem).__name__}")
    t0 = as_float_array("theta0", theta0)
    m = problem.m
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    lr = as_scalar("lr", lr, minimum=0.0, strict_minimum=True)
    steps = as_int("steps", steps, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    if reparam is not None and not isinstance(reparam, Reparametrisation):
        raise TypeError(f"reparam must be a Reparametrisation or None, got {reparam!r}")
    u0 = t0 if reparam is None else reparam.phi(t0)
    runs = run_sgd(
        _BasinSGD(problem, reparam),
        u0[:, None],
        batch_size=batch_size,
        lr=lr,
        n_updates=steps,
        seeds=run_seeds(seed, u0.size),
        record="final",
    )
    if runs.diverged.any():
        raise RuntimeError(f"{int(runs.diverged.sum())} runs diverged: lower lr")
    u = runs.final_params[:, 0]
    return u if reparam is None else reparam.theta(u)


@dataclass(frozen=True)
class BasinCounts:
    """Where the runs ended.

    Attributes
    ----------
    sharp : int
        Runs within ``within`` sharp-well widths of the sharp minimum.
    flat : int
        Runs within ``within`` flat-well widths of the flat minimum.
    between : int
        The others: still travelling, or caught between the wells.
    """

    sharp: int
    flat: int
    between: int

    @property
    def total(self) -> int:
        return self.sharp + self.flat + self.between

    @property
    def sharp_share(self) -> float:
        """Share of all runs that ended in the sharp basin."""
        return self.sharp / self.total

    @property
    def flat_share(self) -> float:
        """Share of all runs that ended in the flat basin."""
        return self.flat / self.total


def count_basins(problem: TwoBasinProblem, theta: ArrayLike, *, within: float = 3.0) -> BasinCounts:
    """Count the final ``θ`` that settled in each basin, and those that did not.

    A run counts as in the sharp basin when ``|θ - θ_s| < within·s_s`` and in
    the flat basin when ``|θ - θ_f| < within·s_f`` (``θ_s, θ_f`` the minima,
    ``s_s, s_f`` the wells' widths); every other run is counted as ``between``.

    Parameters
    ----------
    problem : TwoBasinProblem
    theta : (R,) array_like of float
        E.g. from :func:`run_basins`.
    within : float, default 3.0
        ``> 0``, in units of each well's width.

    Returns
    -------
    BasinCounts
    """
    if not isinstance(problem, TwoBasinProblem):
        raise TypeError(f"problem must be a TwoBasinProblem, got {type(problem).__name__}")
    t = as_float_array("theta", theta)
    k = as_scalar("within", within, minimum=0.0, strict_minimum=True)
    sharp = np.abs(t - problem.sharp_minimum) < k * problem.sharp_width
    flat = np.abs(t - problem.flat_minimum) < k * problem.flat_width
    return BasinCounts(sharp=int(sharp.sum()), flat=int(flat.sum()), between=int(np.sum(~sharp & ~flat)))
