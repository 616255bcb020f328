"""The objective as a surface over ``(w, b)``: grids, the shape of the minimum, contours.

Taught in notebook 03. The minimum itself is found by :func:`lossviz.minimise`
(:mod:`lossviz.optim.newton`).
"""

from __future__ import annotations

from typing import NamedTuple, cast

import contourpy
import numpy as np
from numpy.typing import ArrayLike

from ._kernels import logistic_hessian, objective_rows
from ._validation import as_float_array, as_int, as_scalar
from .losses import LogitLoss
from .model import check_data, check_lam, check_loss, check_params

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
    x_arr, y_arr = check_data(x, y)
    w = as_float_array("w_values", w_values)
    b = as_float_array("b_values", b_values)
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    W, B = np.meshgrid(w, b)
    P = np.column_stack([W.ravel(), B.ravel()])
    return objective_rows(P, x_arr, y_arr, lam_f, loss_f).reshape(b.size, w.size)


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
    w = as_float_array("w_values", w_values)
    n_b = as_int("n_b", n_b, minimum=1)
    lam_f = check_lam(lam)
    return np.broadcast_to(0.5 * lam_f * w * w, (n_b, w.size))


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
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    H = logistic_hessian(p, x_arr, y_arr, check_lam(lam), check_loss(loss))
    ev = np.linalg.eigvalsh(H)
    if ev[0] <= 0:
        return float("inf")
    return float(ev[-1] / ev[0])


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
    pts = as_float_array("points", points, ndim=2)
    if pts.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {pts.shape}")
    margin = as_scalar("margin", margin, minimum=0.0)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1.0)
    lo, hi = lo - margin * span, hi + margin * span
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


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
        Grid values along each axis, ``>= 2``.
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
    n = as_int("n", n, minimum=2)
    if not isinstance(square, (bool, np.bool_)):
        raise TypeError(f"square must be a bool, got {square!r}")
    (w_lo, w_hi), (b_lo, b_hi) = default_window(points, margin)
    if square:
        half = max(w_hi - w_lo, b_hi - b_lo) / 2
        (w_lo, w_hi), (b_lo, b_hi) = ((c - half, c + half) for c in ((w_lo + w_hi) / 2, (b_lo + b_hi) / 2))
    w = np.linspace(w_lo, w_hi, n)
    b = np.linspace(b_lo, b_hi, n)
    return CostWindow(w, b, cost_grid(x, y, w, b, lam, loss=loss))


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
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    H = logistic_hessian(p, x_arr, y_arr, check_lam(lam), check_loss(loss))
    top = float(np.linalg.eigvalsh(H)[-1])
    return float("inf") if top <= 0 else 2.0 / top


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
        Heights of the lines.

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
    w = as_float_array("w_values", w_values)
    b = as_float_array("b_values", b_values)
    grid = as_float_array("J", J, ndim=2)
    lv = as_float_array("levels", levels)
    if grid.shape != (b.size, w.size):
        raise ValueError(
            f"J must have shape (len(b_values), len(w_values)) = {(b.size, w.size)}, got {grid.shape}"
        )
    for name, v in (("w_values", w), ("b_values", b)):
        if v.size < 2 or np.any(np.diff(v) <= 0):
            raise ValueError(f"{name} must hold at least 2 increasing values, got {v!r}")
    gen = contourpy.contour_generator(w, b, grid, line_type=contourpy.LineType.Separate)
    # LineType.Separate: each level's lines are a list of (k, 2) arrays
    return [cast("list[np.ndarray]", gen.lines(float(level))) for level in lv]
