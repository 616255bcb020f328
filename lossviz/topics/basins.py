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

from .._constraints import InstanceOf, RealArray, validate_params
from .._validation import as_scalar
from ._checks import MAX_RUNS, MAX_SAMPLES, SEED, array, count, positive, real

__all__ = [
    "BasinCounts",
    "Reparametrisation",
    "TwoBasinProblem",
    "count_basins",
    "make_two_basin",
    "run_basins",
]

#: Largest ``|θ|`` the problem's functions take: past it ``c/2·θ²`` would overflow for the
#: largest bowl allowed. The wells sit within a few units of 0.
MAX_THETA: float = 1e100

#: Largest ``noise``, well width, depth and bowl of :func:`make_two_basin` (the course's are
#: a few units or less): past them the tilts, gradients and curvatures overflow or the wells
#: cannot be resolved.
MAX_SCALE: float = 1e6

#: Smallest well width: narrower wells cannot be resolved on the grid that finds the extrema.
MIN_WIDTH: float = 1e-6

#: Most updates one :func:`run_basins` call may make, over all its runs (runs x steps):
#: lesson 10's sweep makes 1000 x 10 000 = 1e7.
MAX_BASIN_UPDATES: int = 100_000_000

THETA = RealArray(ndim=None, max_abs=MAX_THETA, example_value=[-1.2, 0.0, 1.3])
WIDTH = real(MIN_WIDTH, MAX_SCALE)


def _theta(theta: ArrayLike) -> np.ndarray:
    return THETA("theta", theta)


_CENTRE = real(-MAX_SCALE, MAX_SCALE)
_DEPTH = real(0.0, 2 * MAX_SCALE, closed="right")


@validate_params(
    {
        "xi": RealArray(min_size=2, max_size=MAX_SAMPLES, max_abs=1e9, example_value=[-1.0, 0.5, 0.5]),
        "sharp_centre": _CENTRE,
        "sharp_width": WIDTH,
        "flat_centre": _CENTRE,
        "flat_width": WIDTH,
        "sharp_depth": _DEPTH,
        "flat_depth": _DEPTH,
        "bowl": real(0.0, MAX_SCALE),
    }
)
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

    Examples
    --------
    >>> problem = make_two_basin(m=50, seed=0)
    >>> problem.sharp_minimum < problem.ridge < problem.flat_minimum
    True
    >>> bool(np.isclose(problem.per_sample_losses(0.3).mean(), problem.cost(0.3)))   # the cost is their mean
    True
    >>> curvature = problem.cost_curvature([problem.sharp_minimum, problem.flat_minimum])
    >>> bool(curvature[0] > 10 * curvature[1] > 0)   # the sharp well curves far more
    True
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
        with np.errstate(over="ignore"):  # far from a well its Gaussian is exactly 0: exp(-inf)
            gs = self.sharp_depth * np.exp(-((theta - self.sharp_centre) ** 2) / (2 * self.sharp_width**2))
            gf = self.flat_depth * np.exp(-((theta - self.flat_centre) ** 2) / (2 * self.flat_width**2))
        return gs, gf

    def cost(self, theta: ArrayLike) -> np.ndarray:
        """``J(θ)``, elementwise over an array of ``θ`` (``|θ| <= MAX_THETA``)."""
        return self._cost(_theta(theta))

    def _cost(self, t: np.ndarray) -> np.ndarray:
        gs, gf = self._wells(t)
        return 0.5 * self.bowl * t**2 - gs - gf

    def cost_gradient(self, theta: ArrayLike) -> np.ndarray:
        """``J'(θ)``, elementwise (``|θ| <= MAX_THETA``)."""
        return self._gradient(_theta(theta))

    def _gradient(self, t: np.ndarray) -> np.ndarray:
        gs, gf = self._wells(t)
        return (
            self.bowl * t
            + gs * (t - self.sharp_centre) / self.sharp_width**2
            + gf * (t - self.flat_centre) / self.flat_width**2
        )

    def cost_curvature(self, theta: ArrayLike) -> np.ndarray:
        """``J''(θ)``, elementwise (``|θ| <= MAX_THETA``)."""
        return self._curvature(_theta(theta))

    def _curvature(self, t: np.ndarray) -> np.ndarray:
        gs, gf = self._wells(t)
        us = (t - self.sharp_centre) / self.sharp_width**2
        uf = (t - self.flat_centre) / self.flat_width**2
        return self.bowl + gs * (1 / self.sharp_width**2 - us**2) + gf * (1 / self.flat_width**2 - uf**2)

    def per_sample_losses(self, theta: float) -> np.ndarray:
        """``(m,)`` losses ``ℓᵢ(θ) = J(θ) + ξᵢ·θ`` at one ``θ``; their mean is ``J(θ)``."""
        t = as_scalar("theta", theta, minimum=-MAX_THETA, maximum=MAX_THETA)
        return float(self._cost(np.array(t))) + self.xi * t

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
        k = as_scalar("widths", widths, minimum=0.0, strict_minimum=True, maximum=MAX_SCALE)
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
    g = lambda t: float(p._gradient(np.asarray(t)))  # noqa: E731
    h = lambda t: float(p._curvature(np.asarray(t)))  # noqa: E731
    grid = np.linspace(p.sharp_centre - 3 * p.sharp_width, p.flat_centre + 3 * p.flat_width, 20001)
    sign = np.sign(p._gradient(grid))
    flips = np.flatnonzero(sign[:-1] != sign[1:])
    roots = [_newton_root(g, h, grid[i], grid[i], grid[i + 1]) for i in flips]
    minima = [r for r in roots if h(r) > 0]
    maxima = [r for r in roots if h(r) < 0]
    if len(minima) != 2 or len(maxima) != 1:
        raise ValueError(
            f"sharp_width = {p.sharp_width:g}, flat_width = {p.flat_width:g}, depth = {p.flat_depth:g}"
            f" and bowl = {p.bowl:g} do not give two basins separated by one ridge"
            f" (minima {minima}, maxima {maxima}):"
            " use wells of comparable width, deeper wells or a shallower bowl"
        )
    return minima[0], maxima[0], minima[1]


@validate_params(
    {
        "m": count(2, MAX_SAMPLES, "lossviz.topics._checks.MAX_SAMPLES: ask for fewer samples"),
        "noise": real(0.0, MAX_SCALE, closed="right"),
        "seed": SEED,
        "sharp_width": WIDTH,
        "flat_width": WIDTH,
        "depth": real(0.0, MAX_SCALE, closed="right"),
        "bowl": real(0.0, MAX_SCALE),
    },
    example=lambda: {"m": 20},
)
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

    Examples
    --------
    >>> problem = make_two_basin(m=50, noise=2.0, seed=0)
    >>> round(float(problem.xi.mean()), 12) + 0.0, round(float(problem.xi.std()), 12)
    (0.0, 2.0)
    >>> J = problem.cost([problem.sharp_minimum, problem.flat_minimum])
    >>> bool(abs(J[0] - J[1]) < 1e-12)   # equally deep
    True
    """
    s_s, s_f = sharp_width, flat_width
    if s_f <= s_s:
        raise ValueError(f"flat_width must exceed sharp_width = {s_s}, got {s_f}")
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
        if p._cost(np.asarray(s)) > p._cost(np.asarray(f)):
            lo = a_s
        else:
            hi = a_s
    a_s = 0.5 * (lo + hi)
    return problem(a_s, _extrema(problem(a_s)))


@validate_params(
    {
        "left_slope": real(1.0 / MAX_SCALE, MAX_SCALE),
        "right_slope": real(1.0 / MAX_SCALE, MAX_SCALE),
        "sharpness": real(1.0 / MAX_SCALE, MAX_SCALE),
    }
)
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

    Examples
    --------
    >>> r = Reparametrisation()
    >>> float(r.theta(0.0)), bool(np.isclose(r.phi(r.theta(1.3)), 1.3))
    (0.0, True)
    >>> r.slope([-10.0, 10.0]).round(6)   # the slopes far left and far right
    array([0.2, 5. ])
    """

    left_slope: float = 0.2
    right_slope: float = 5.0
    sharpness: float = 4.0

    def __post_init__(self) -> None:
        for name in ("left_slope", "right_slope", "sharpness"):
            as_scalar(name, getattr(self, name), minimum=1.0 / MAX_SCALE, maximum=MAX_SCALE)

    def theta(self, phi: ArrayLike) -> np.ndarray:
        """``r(φ)`` (``|φ| <= MAX_THETA``)."""
        return self._theta(THETA("phi", phi))

    def _theta(self, f: np.ndarray) -> np.ndarray:
        k, p, q = self.sharpness, self.left_slope, self.right_slope - self.left_slope
        u = k * f
        softplus = np.maximum(u, 0) + np.log1p(np.exp(-np.abs(u)))
        return p * f + q / k * (softplus - np.log(2.0))

    def slope(self, phi: ArrayLike) -> np.ndarray:
        """``r'(φ)`` (``|φ| <= MAX_THETA``)."""
        return self._slope(THETA("phi", phi))

    def _slope(self, f: np.ndarray) -> np.ndarray:
        k, p, q = self.sharpness, self.left_slope, self.right_slope - self.left_slope
        return p + q * 0.5 * (1 + np.tanh(0.5 * k * f))

    def phi(self, theta: ArrayLike) -> np.ndarray:
        """``r⁻¹(θ)``, by bisection (``r`` is increasing; ``|θ| <= MAX_THETA / MAX_SCALE``)."""
        t = RealArray(ndim=None, max_abs=MAX_THETA / MAX_SCALE)("theta", theta)
        lo_slope = min(self.left_slope, self.right_slope)
        span = (np.abs(t) + abs(np.log(2.0)) * self.right_slope / self.sharpness) / lo_slope + 1.0
        lo, hi = -span, span
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            above = self._theta(mid) > t
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
        with np.errstate(over="ignore", invalid="ignore"):  # a run that blows up is marked diverged
            if self.reparam is None:
                g = self.problem._gradient(u) + noise
            else:
                g = self.reparam._slope(u) * (self.problem._gradient(self.reparam._theta(u)) + noise)
        return g[:, None]

    def objective_rows(self, params: np.ndarray) -> np.ndarray:
        u = params[:, 0]
        with np.errstate(over="ignore", invalid="ignore"):
            return self.problem._cost(u if self.reparam is None else self.reparam._theta(u))


def _example_problem() -> TwoBasinProblem:
    return make_two_basin(m=20, seed=0)


PROBLEM = InstanceOf(TwoBasinProblem, "lossviz.basins.make_two_basin()", example_factory=_example_problem)


@validate_params(
    {
        "problem": PROBLEM,
        "theta0": RealArray(
            max_abs=MAX_THETA / MAX_SCALE, max_size=MAX_RUNS * 100, example_value=[0.1, -0.3]
        ),
        "batch_size": count(1),
        "lr": positive(),
        "steps": count(1, MAX_BASIN_UPDATES, "lossviz.topics.basins.MAX_BASIN_UPDATES: fewer steps"),
        "seed": SEED,
        "reparam": InstanceOf(Reparametrisation, "lossviz.basins.Reparametrisation()", none_ok=True),
    },
    example=lambda: {"batch_size": 4, "lr": 0.05, "steps": 20},
)
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
    ValueError
        If a run diverges (lower ``lr``), or ``runs x steps`` exceeds :data:`MAX_BASIN_UPDATES`.

    Examples
    --------
    Without noise (a full batch) each run rolls into the basin it starts in:

    >>> problem = make_two_basin(m=50, seed=0)
    >>> ends = run_basins(problem, [-1.3, 1.0], batch_size=problem.m, lr=0.01, steps=2000)
    >>> bool(np.allclose(ends, [problem.sharp_minimum, problem.flat_minimum], atol=1e-6))
    True
    """
    from ..optim.sgd import run_seeds, run_sgd

    t0, m = array(theta0), problem.m
    if batch_size > m:
        raise ValueError(f"batch_size must be <= m = {m}, got {batch_size}")
    if t0.size * steps > MAX_BASIN_UPDATES:
        raise ValueError(
            f"theta0 x steps is {t0.size} runs x {steps} = {t0.size * steps} updates, over the limit of"
            f" {MAX_BASIN_UPDATES} (lossviz.topics.basins.MAX_BASIN_UPDATES):"
            " use fewer starting points or steps"
        )
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
    u = runs.final_params[:, 0]
    if runs.diverged.any() or not np.all(np.isfinite(u)) or np.any(np.abs(u) > MAX_THETA / MAX_SCALE):
        n = int(np.sum(runs.diverged | ~np.isfinite(u) | (np.abs(u) > MAX_THETA / MAX_SCALE)))
        raise ValueError(
            f"{n} of {u.size} runs diverged: lower lr (got {lr:g}) or start nearer the wells (theta0)"
        )
    return u if reparam is None else reparam._theta(u)


@validate_params(
    {"sharp": count(0), "flat": count(0), "between": count(0)},
    example=lambda: {"sharp": 1, "flat": 2, "between": 0},
)
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

    Examples
    --------
    >>> counts = BasinCounts(sharp=2, flat=5, between=1)
    >>> counts.total, counts.sharp_share, counts.flat_share
    (8, 0.25, 0.625)
    """

    sharp: int
    flat: int
    between: int

    def __post_init__(self) -> None:
        if self.sharp + self.flat + self.between == 0:
            raise ValueError("sharp, flat and between must count at least one run between them, got 0, 0, 0")

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


@validate_params(
    {
        "problem": PROBLEM,
        "theta": RealArray(example_value=[-1.2, 1.3, 0.0]),
        "within": real(0.0, MAX_SCALE, closed="right"),
    }
)
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

    Examples
    --------
    >>> problem = make_two_basin(m=50, seed=0)
    >>> count_basins(problem, [problem.sharp_minimum, problem.flat_minimum, problem.ridge])
    BasinCounts(sharp=1, flat=1, between=1)
    """
    t, k = array(theta), within
    sharp = np.abs(t - problem.sharp_minimum) < k * problem.sharp_width
    flat = np.abs(t - problem.flat_minimum) < k * problem.flat_width
    return BasinCounts(sharp=int(sharp.sum()), flat=int(flat.sum()), between=int(np.sum(~sharp & ~flat)))
