"""The objective as a surface over ``(w, b)``: grids, the shape of the minimum, contours.

Taught in notebook 03. The minimum itself is found by :func:`lossviz.minimise`
(:mod:`lossviz.optim.newton`).
"""

from __future__ import annotations

import numbers
from typing import NamedTuple, cast

import contourpy
import numpy as np
from numpy.typing import ArrayLike

from ._constraints import Boolean, Interval, RealArray, arr, validate_params
from ._kernels import logistic_hessian, objective_rows
from ._validation import check_same_shape
from .losses import BCE, LogitLoss
from .model import FEATURE, LABELS, LAM, LOSS, MODEL_ARGS, finite_or_refuse, overflow_error

__all__ = [
    "CostWindow",
    "condition_number",
    "contour_lines",
    "cost_grid",
    "cost_window",
    "default_window",
    "largest_stable_lr",
    "penalty_grid",
]

#: Most points of a grid (:func:`cost_grid`, :func:`penalty_grid`, :func:`cost_window`):
#: 4 million (32 MB of float64, a 2000 × 2000 grid; the lessons use 160 × 160).
MAX_GRID_POINTS: int = 4_000_000

#: Most objective evaluations of one :func:`cost_grid` call, grid points × samples
#: (about a minute of work; the lessons' 160 × 160 grid on 1000 samples is 2.6e7).
MAX_GRID_EVALUATIONS: int = 2_000_000_000

#: Most contour levels :func:`contour_lines` traces in one call.
MAX_LEVELS: int = 1000

_W_VALUES = RealArray(example_value=[-1.0, 0.0, 1.0, 2.0])
_B_VALUES = RealArray(example_value=[-1.5, -0.5, 0.5])
_MARGIN = Interval(numbers.Real, 0.0, None)


def _check_grid(n_w: int, n_b: int, m: int = 1) -> None:
    """Refuse a grid over the size ceilings before any work."""
    if n_w * n_b > MAX_GRID_POINTS:
        raise ValueError(
            f"w_values and b_values make a grid of {n_w} x {n_b} = {n_w * n_b} points, over the limit of "
            f"{MAX_GRID_POINTS} (lossviz.landscape.MAX_GRID_POINTS): use fewer values of w and b "
            "(2000 x 2000 at most; 160 x 160 draws a smooth landscape)"
        )
    if n_w * n_b * m > MAX_GRID_EVALUATIONS:
        raise ValueError(
            f"a grid of {n_w * n_b} points on {m} samples needs {n_w * n_b * m} loss evaluations, over the "
            f"limit of {MAX_GRID_EVALUATIONS} (lossviz.landscape.MAX_GRID_EVALUATIONS): use a coarser grid "
            "or a sample of x and y"
        )


@validate_params(
    {"x": FEATURE, "y": LABELS, "w_values": _W_VALUES, "b_values": _B_VALUES, "lam": LAM, "loss": LOSS}
)
def cost_grid(
    x: ArrayLike,
    y: ArrayLike,
    w_values: ArrayLike,
    b_values: ArrayLike,
    lam: float = 0.0,
    *,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """The objective ``J(w, b) + λ/2·w²`` on a grid, ready for ``contour(w, b, J)``.

    Vectorised over grid points and samples (in chunks that bound memory to a
    few megabytes); there is no Python loop over grid points.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    w_values : (nw,) array_like of float
        Values of ``w`` (the grid's columns).
    b_values : (nb,) array_like of float
        Values of ``b`` (the grid's rows).
    lam : float, default 0.0
        λ ≥ 0.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    (nb, nw) ndarray of float64
        ``[i, j]`` is the objective at ``(w_values[j], b_values[i])``.

    Raises
    ------
    ValueError
        A grid over :data:`MAX_GRID_POINTS` points or :data:`MAX_GRID_EVALUATIONS`
        evaluations (refused before any work), or values so large that the objective
        overflows (the message names the argument).

    Notes
    -----
    The grid for another λ is the λ = 0 grid plus :func:`penalty_grid`; the
    explorer uses that to avoid recomputing the data term.

    Examples
    --------
    >>> J = cost_grid([1.0, 2.0], [0.0, 1.0], w_values=[-1.0, 0.0, 1.0], b_values=[0.0, 0.5])
    >>> J.shape
    (2, 3)
    >>> round(float(J[0, 1]), 6)   # w = 0, b = 0: log 2
    0.693147
    """
    x, y, w_values, b_values = arr(x), arr(y), arr(w_values), arr(b_values)
    check_same_shape("x", x, "y", y)
    w, b = w_values, b_values
    _check_grid(w.size, b.size, x.size)
    loss_f = loss or BCE
    W, B = np.meshgrid(w, b)
    P = np.column_stack([W.ravel(), B.ravel()])
    with np.errstate(all="ignore"):
        J = objective_rows(P, x, y, lam, loss_f).reshape(b.size, w.size)
    if not np.all(np.isfinite(J)):
        i = int(np.flatnonzero(~np.isfinite(J.ravel()))[0])
        raise overflow_error(
            f"the objective at (w, b) = ({P[i, 0]:g}, {P[i, 1]:g})",
            params=P[i],
            x=x,
            lam=lam,
            loss=loss_f,
            names=("w_values and b_values", "x"),
        )
    return J


@validate_params(
    {
        "w_values": _W_VALUES,
        "n_b": Interval(numbers.Integral, 1, MAX_GRID_POINTS, example_value=3),
        "lam": LAM,
    }
)
def penalty_grid(w_values: ArrayLike, n_b: int, lam: float) -> np.ndarray:
    """``λ/2·w²`` broadcast to the ``(n_b, len(w_values))`` shape of :func:`cost_grid`.

    Parameters
    ----------
    w_values : (nw,) array_like of float
        The grid's ``w`` (columns).
    n_b : int
        Number of rows (values of ``b``), ``>= 1``.
    lam : float
        λ ≥ 0.

    Returns
    -------
    (n_b, nw) ndarray of float64
        A read-only broadcast view: every row is ``λ/2·w_values²``.

    Examples
    --------
    >>> penalty_grid([0.0, 1.0, 2.0], 2, lam=1.0)
    array([[0. , 0.5, 2. ],
           [0. , 0.5, 2. ]])
    """
    w_values = arr(w_values)
    w = w_values
    _check_grid(w.size, n_b)
    with np.errstate(all="ignore"):
        row = 0.5 * lam * w * w
    if not np.all(np.isfinite(row)):
        raise ValueError(
            f"lam = {lam:g} is too large for w_values (max |w| = {float(np.max(np.abs(w))):g}): "
            "λ/2·w² overflows double precision"
        )
    return np.broadcast_to(row, (n_b, w.size))


@validate_params(MODEL_ARGS, nonfinite="inf when the Hessian is singular (documented)")
def condition_number(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> float:
    """Condition number of the objective's Hessian at ``params``.

    The ratio of the largest to the smallest eigenvalue: how much longer the
    valley is than it is wide (squared). Gradient descent needs about this many
    steps to cross it.

    Parameters
    ----------
    params : (2,) array_like of float
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
        λ ≥ 0.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    float
        ``inf`` when the Hessian is singular (its smallest eigenvalue is 0), the
        honest answer: the valley has a flat direction.

    Examples
    --------
    The eigenvalues of ``[[0.625, 0.375], [0.375, 0.25]]`` (see :func:`lossviz.hessian`):

    >>> round(condition_number((0.0, 0.0), [1.0, 2.0], [0.0, 1.0]), 4)
    46.9787
    >>> x, y = [1.0, 2.0], [0.0, 1.0]   # σ′ is even: a logit of +40 and of -40 curve alike
    >>> bool(condition_number((0.0, 40.0), x, y) == condition_number((0.0, -40.0), x, y))
    True
    """
    params, x, y = arr(params), arr(x), arr(y)
    H = _hessian(params, x, y, lam, loss)
    ev = np.linalg.eigvalsh(H)
    if ev[0] <= 0:
        return float("inf")
    with np.errstate(over="ignore"):
        return float(ev[-1] / ev[0])  # inf when the smallest eigenvalue is tiny: the same flat direction


def _hessian(
    params: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float, loss: LogitLoss | None
) -> np.ndarray:
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    with np.errstate(all="ignore"):
        H = logistic_hessian(params, x, y, lam, loss_f)
    return finite_or_refuse(H, "the Hessian", params=params, x=x, lam=lam, loss=loss_f)


@validate_params(
    {"points": RealArray(shape=(None, 2), example_value=[[0.0, 0.0], [2.0, -1.0]]), "margin": _MARGIN}
)
def default_window(
    points: ArrayLike, margin: float = 0.15
) -> tuple[tuple[float, float], tuple[float, float]]:
    """A ``(w_lim, b_lim)`` window that holds ``points`` with a margin.

    Parameters
    ----------
    points : (n, 2) array_like
        ``(w, b)`` pairs to include (e.g. the start and the minimum).
    margin : float, default 0.15
        Fraction of the span added on each side, ``>= 0``; a span below 1 counts as 1.

    Returns
    -------
    ((w_lo, w_hi), (b_lo, b_hi)) : tuple of two (float, float)

    Examples
    --------
    >>> default_window([(0.0, 0.0), (2.0, -1.0)], margin=0.5)
    ((-1.0, 3.0), (-1.5, 0.5))
    """
    points = arr(points)
    pts = points
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    with np.errstate(all="ignore"):
        span = np.maximum(hi - lo, 1.0)
        lo, hi = lo - margin * span, hi + margin * span
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        raise ValueError(
            f"margin = {margin:g} is too large for points spanning {span.tolist()}: the window's edges "
            "overflow double precision; use a smaller margin"
        )
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


@validate_params(
    {
        "w_values": RealArray(increasing=True, example_value=[0.0, 1.0]),
        "b_values": RealArray(increasing=True, example_value=[0.0, 1.0, 2.0]),
        "J": RealArray(ndim=2, example_value=np.zeros((3, 2))),
    }
)
class CostWindow(NamedTuple):
    """A grid over a window of the ``(w, b)`` plane and the objective on it (:func:`cost_window`).

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(200, seed=0)
    >>> window = lv.cost_window(x, y, [(0.0, 0.0), (3.0, -3.5)], n=20)
    >>> window.w_values.shape, window.J.shape
    ((20,), (20, 20))
    """

    w_values: np.ndarray
    """``(n,)`` the grid's ``w`` (columns), increasing."""
    b_values: np.ndarray
    """``(n,)`` the grid's ``b`` (rows), increasing."""
    J: np.ndarray
    """``(n, n)`` the objective at ``(w_values[j], b_values[i])``, as :func:`cost_grid` returns it."""


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "points": RealArray(shape=(None, 2), example_value=[[0.0, 0.0], [2.0, -1.0]]),
        "n": Interval(
            numbers.Integral,
            2,
            2000,
            example_value=4,
            ceiling_hint="2000 x 2000 is the largest grid (lossviz.landscape.MAX_GRID_POINTS); 160 is smooth",
        ),
        "margin": _MARGIN,
        "square": Boolean(),
        "lam": LAM,
        "loss": LOSS,
    }
)
def cost_window(
    x: ArrayLike,
    y: ArrayLike,
    points: ArrayLike,
    *,
    n: int = 160,
    margin: float = 0.2,
    square: bool = False,
    lam: float = 0.0,
    loss: LogitLoss | None = None,
) -> CostWindow:
    """The objective on an ``n × n`` grid over a window that holds ``points``, in one call.

    :func:`default_window` around ``points`` (e.g. the start and the minimum), ``n``
    evenly spaced values of ``w`` and of ``b`` across it, and :func:`cost_grid` on them.
    Taught in notebook 03.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    points : (k, 2) array_like of float
        ``(w, b)`` pairs the window must hold.
    n : int, default 160
        Grid values along each axis, ``2 <= n <= 2000`` (:data:`MAX_GRID_POINTS`).
    margin : float, default 0.2
        Fraction of the span added on each side, ``>= 0``.
    square : bool, default False
        Widen the shorter side about its centre to the longer one's length, so that a
        drawing with equal aspect (one unit of ``w`` as long as one of ``b``) fills a
        square panel.
    lam : float, default 0.0
        λ ≥ 0 of the objective.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    CostWindow
        ``(w_values, b_values, J)``: unpack it as ``w, b, J = lv.cost_window(...)``.

    Raises
    ------
    ValueError, TypeError
        If an argument is invalid; the message names it.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> w, b, J = lv.cost_window(x, y, [(0.0, 0.0), (2.0, -2.0)], n=5, margin=0.5)
    >>> w.tolist(), b.tolist(), J.shape
    ([-1.0, 0.0, 1.0, 2.0, 3.0], [-3.0, -2.0, -1.0, 0.0, 1.0], (5, 5))
    >>> bool(J[3, 1] == lv.cost_grid(x, y, [0.0], [0.0])[0, 0])  # J[i, j] is at (w[j], b[i])
    True
    >>> w, b, _ = lv.cost_window(x, y, [(0.0, 0.0), (2.0, -1.0)], n=3, margin=0.0, square=True)
    >>> w.tolist(), b.tolist()
    ([0.0, 1.0, 2.0], [-1.5, -0.5, 0.5])
    """
    x, y, points = arr(x), arr(y), arr(points)
    check_same_shape("x", x, "y", y)
    _check_grid(n, n, x.size)
    (w_lo, w_hi), (b_lo, b_hi) = default_window(points, margin)
    if square:
        half = max(w_hi - w_lo, b_hi - b_lo) / 2
        (w_lo, w_hi), (b_lo, b_hi) = ((c - half, c + half) for c in ((w_lo + w_hi) / 2, (b_lo + b_hi) / 2))
    w = np.linspace(w_lo, w_hi, n)
    b = np.linspace(b_lo, b_hi, n)
    if not (np.all(np.diff(w) > 0) and np.all(np.diff(b) > 0)):
        raise ValueError(
            f"points {points.tolist()} are too large for a grid of n = {n}: neighbouring values of w or b "
            "round to the same number; use points nearer the origin"
        )
    return CostWindow(w, b, cost_grid(x, y, w, b, lam, loss=loss))


@validate_params(MODEL_ARGS, nonfinite="inf when the Hessian is zero (documented)")
def largest_stable_lr(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> float:
    """``2 / λ_max``: the largest learning rate at which full-batch descent is stable near ``params``.

    ``λ_max`` is the largest eigenvalue of the objective's Hessian at ``params``. On a
    quadratic with that Hessian, gradient descent with ``η < 2/λ_max`` contracts along every
    axis and with ``η > 2/λ_max`` oscillates with a growing amplitude across the steepest
    one; on the logistic cost the bound holds near ``params``, where the quadratic model
    does. Taught in notebooks 03 and 04.

    Parameters
    ----------
    params : (2,) array_like of float
        ``(w, b)``, e.g. the minimum from :func:`lossviz.minimise`.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
        λ ≥ 0 of the objective.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    float
        ``2 / λ_max`` (``inf`` if the Hessian is zero).

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> p = lv.minimise(x, y)
    >>> lam_max = np.linalg.eigvalsh(lv.hessian(p, x, y))[-1]
    >>> bool(np.isclose(lv.largest_stable_lr(p, x, y), 2 / lam_max))
    True
    """
    params, x, y = arr(params), arr(x), arr(y)
    H = _hessian(params, x, y, lam, loss)
    top = float(np.linalg.eigvalsh(H)[-1])
    if top <= 0:
        return float("inf")
    with np.errstate(over="ignore"):
        return float(np.float64(2.0) / top)  # inf for a Hessian of subnormal size: the same flat landscape


@validate_params(
    {
        "w_values": RealArray(increasing=True, min_size=2, example_value=[0.0, 1.0, 2.0]),
        "b_values": RealArray(increasing=True, min_size=2, example_value=[0.0, 1.0]),
        "J": RealArray(ndim=2, example_value=[[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]),
        "levels": RealArray(max_size=MAX_LEVELS, example_value=[0.5, 1.5]),
    }
)
def contour_lines(
    w_values: ArrayLike, b_values: ArrayLike, J: ArrayLike, levels: ArrayLike
) -> list[list[np.ndarray]]:
    """The contour lines of a landscape, computed apart from any drawing.

    What ``ax.contour`` would draw, as plain arrays (by ``contourpy``, the
    library matplotlib uses), so that a plot can be updated in place when the
    landscape changes (the explorer does this when λ moves). The course draws
    its lines at :func:`lossviz.plot.style.landscape_levels`.

    Parameters
    ----------
    w_values : (nw,) array_like of float
        The grid's ``w`` (columns), increasing.
    b_values : (nb,) array_like of float
        The grid's ``b`` (rows), increasing.
    J : (nb, nw) array_like of float
        The landscape, as :func:`cost_grid` returns it.
    levels : (n,) array_like of float
        Heights of the lines, at most :data:`MAX_LEVELS`.

    Returns
    -------
    list of list of (k, 2) ndarray
        For each level, its lines; each line is a ``(k, 2)`` array of ``(w, b)``
        points (closed lines repeat their first point).

    Examples
    --------
    The level-1 line of ``w² + b²`` is (close to) the unit circle:

    >>> import numpy as np
    >>> w = b = np.linspace(-2.0, 2.0, 81)
    >>> lines = contour_lines(w, b, w[None, :] ** 2 + b[:, None] ** 2, [1.0])
    >>> len(lines), len(lines[0])
    (1, 1)
    >>> bool(np.allclose(np.hypot(*lines[0][0].T), 1.0, atol=1e-3))
    True
    """
    w_values, b_values, J, levels = arr(w_values), arr(b_values), arr(J), arr(levels)
    w, b, grid, lv = w_values, b_values, J, levels
    if grid.shape != (b.size, w.size):
        raise ValueError(
            f"J must have shape (len(b_values), len(w_values)) = {(b.size, w.size)}, got {grid.shape}"
        )
    gen = contourpy.contour_generator(w, b, grid, line_type=contourpy.LineType.Separate)
    # LineType.Separate: each level's lines are a list of (k, 2) arrays
    return [cast("list[np.ndarray]", gen.lines(float(level))) for level in lv]
