"""The objective as a surface over ``(w, b)``: grids, the minimum and its shape.

Taught in notebook 03.
"""

from __future__ import annotations

from typing import Callable

import contourpy
import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_int, as_scalar
from .losses import LogitLoss, _sigmoid
from .model import (
    _gradient,
    _hessian,
    _objective_rows,
    check_data,
    check_lam,
    check_loss,
    check_params,
)

__all__ = ["cost_grid", "penalty_grid", "minimise", "condition_number", "default_window",
           "contour_levels", "contour_lines"]


def cost_grid(x: ArrayLike, y: ArrayLike, w_values: ArrayLike, b_values: ArrayLike,
              lam: float = 0.0, *, loss: LogitLoss | None = None) -> np.ndarray:
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
    """
    x_arr, y_arr = check_data(x, y)
    w = as_float_array("w_values", w_values)
    b = as_float_array("b_values", b_values)
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    W, B = np.meshgrid(w, b)
    P = np.column_stack([W.ravel(), B.ravel()])
    return _objective_rows(P, x_arr, y_arr, lam_f, loss_f).reshape(b.size, w.size)


def penalty_grid(w_values: ArrayLike, n_b: int, lam: float) -> np.ndarray:
    """``λ/2·w²`` broadcast to the ``(n_b, len(w_values))`` shape of :func:`cost_grid`."""
    w = as_float_array("w_values", w_values)
    n_b = as_int("n_b", n_b, minimum=1)
    lam_f = check_lam(lam)
    return np.broadcast_to(0.5 * lam_f * w * w, (n_b, w.size))


def minimise(x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None,
             params0: ArrayLike = (0.0, 0.0), tol: float = 1e-12, max_iter: int = 100) -> np.ndarray:
    """The minimiser of the objective, by damped Newton's method.

    Newton steps with backtracking (halve the step until the objective does not
    increase), stopping when the gradient's norm is below ``tol`` or when the
    step's predicted decrease of the objective is below what double precision
    can resolve (then one last full Newton step is taken).

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
    loss : LogitLoss, optional
    params0 : (2,) array_like, default (0, 0)
        Starting point.
    tol : float, default 1e-12
        Gradient-norm tolerance.
    max_iter : int, default 100

    Returns
    -------
    (2,) ndarray of float64
        ``(w*, b*)``.

    Raises
    ------
    RuntimeError
        If Newton's method does not converge (for separable data, where the
        unregularised minimum is at infinity).
    """
    x_arr, y_arr = check_data(x, y)
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    p = check_params(params0, "params0")
    tol = as_scalar("tol", tol, minimum=0.0, strict_minimum=True)
    max_iter = as_int("max_iter", max_iter, minimum=1)

    p, _, gnorm = damped_newton(
        lambda q: float(_objective_rows(q[None, :], x_arr, y_arr, lam_f, loss_f)[0]),
        lambda q: _gradient(q, x_arr, y_arr, lam_f, loss_f),
        lambda q: _hessian(q, x_arr, y_arr, lam_f, loss_f),
        p, tol=tol, max_iter=max_iter)
    if gnorm >= 1e-6:
        raise RuntimeError(f"minimise did not converge in {max_iter} iterations (last params {p})")
    # Without a penalty, a model that fits every label perfectly has its infimum at
    # infinity (separable data): the iterates only look converged because the
    # gradient underflows. Say so rather than return an arbitrary large point.
    if lam_f == 0.0 and np.abs(_sigmoid(p[0] * x_arr + p[1]) - y_arr).max() < 1e-6:
        raise RuntimeError(
            "minimise: the data are separable, so the objective has no finite minimum "
            f"without regularisation (reached params {p}); use lam > 0"
        )
    return p


def damped_newton(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray],
                  hess: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, *, tol: float,
                  max_iter: int) -> tuple[np.ndarray, int, float]:
    """Minimise a smooth ``f`` by Newton steps with backtracking.

    The one Newton loop of the package (used by :func:`minimise` and by
    :func:`lossviz.capacity.fit_poly_logistic`). Each step solves ``H·s = g``,
    falls back to the gradient when ``s`` is not a descent direction, and halves
    the step until ``f`` does not increase. It stops when ``‖g‖ < tol``, when the
    predicted decrease ``s·g`` is below what float64 resolves in ``f`` (Newton
    has converged: one last full step polishes it), when no step decreases
    ``f``, or after ``max_iter`` steps. Internal: the caller validates.

    Parameters
    ----------
    f, grad, hess : callables of a (n,) ndarray
        The objective (float), its gradient ``(n,)`` and its Hessian ``(n, n)``.
    x0 : (n,) ndarray
        Start.
    tol : float
        Gradient-norm tolerance.
    max_iter : int
        Most Newton steps.

    Returns
    -------
    x : (n,) ndarray
    n_iter : int
        Steps taken.
    grad_norm : float
        ``‖grad(x)‖``: the caller decides whether that is converged.
    """
    x = np.asarray(x0, dtype=np.float64)
    fx = f(x)
    g = grad(x)
    n_iter = 0
    while n_iter < max_iter and np.linalg.norm(g) >= tol:
        try:
            step = np.linalg.solve(hess(x), g)
            if not np.all(np.isfinite(step)) or step @ g <= 0:
                step = g  # not a descent direction: fall back to the gradient
        except np.linalg.LinAlgError:
            step = g
        n_iter += 1
        if step @ g <= 1e-15 * max(1.0, abs(fx)):
            cand = x - step
            g_cand = grad(cand)
            if np.linalg.norm(g_cand) <= np.linalg.norm(g):
                x, g = cand, g_cand
            break
        t = 1.0
        while t > 1e-12:
            cand = x - t * step
            f_cand = f(cand)
            if f_cand <= fx:
                break
            t *= 0.5
        if t <= 1e-12:  # no step decreases f at machine precision
            break
        stalled = f_cand == fx
        x, fx = cand, f_cand
        g = grad(x)
        if stalled:
            break
    return x, n_iter, float(np.linalg.norm(g))


def condition_number(params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *,
                     loss: LogitLoss | None = None) -> float:
    """Condition number of the objective's Hessian at ``params``.

    The ratio of the largest to the smallest eigenvalue: how much longer the
    valley is than it is wide (squared). Gradient descent needs about this many
    steps to cross it.

    Returns
    -------
    float
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    H = _hessian(p, x_arr, y_arr, check_lam(lam), check_loss(loss))
    ev = np.linalg.eigvalsh(H)
    if ev[0] <= 0:
        return float("inf")
    return float(ev[-1] / ev[0])


def default_window(points: ArrayLike, margin: float = 0.15) -> tuple[tuple[float, float], tuple[float, float]]:
    """A ``(w_lim, b_lim)`` window that holds ``points`` with a margin.

    Parameters
    ----------
    points : (n, 2) array_like
        ``(w, b)`` pairs to include (e.g. the start and the minimum).
    margin : float
        Fraction of the span added on each side.

    Returns
    -------
    ((w_lo, w_hi), (b_lo, b_hi))
    """
    pts = as_float_array("points", points, ndim=2)
    if pts.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {pts.shape}")
    margin = as_scalar("margin", margin, minimum=0.0)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1.0)
    lo, hi = lo - margin * span, hi + margin * span
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def contour_levels(J: ArrayLike, minimum: float | None = None, n: int = 12) -> np.ndarray:
    """Contour levels spaced geometrically above the minimum of a landscape.

    Equally spaced levels would all sit on the steep walls and leave the long,
    flat valley floor blank; levels ``J* + g·2^j`` double their gap each time,
    so the valley gets as many lines as the walls. Taught in notebook 03.

    Parameters
    ----------
    J : (nb, nw) array_like of float
        The landscape, e.g. from :func:`cost_grid`.
    minimum : float, optional
        The objective's minimum ``J*`` (from :func:`minimise`); the smallest
        value of ``J`` when omitted. Must not exceed ``J``'s largest value.
    n : int, default 12
        Number of levels, ``>= 1``.

    Returns
    -------
    (n,) ndarray of float64
        Increasing levels, the last one at ``J``'s largest value.
    """
    grid = as_float_array("J", J, ndim=None)
    n = as_int("n", n, minimum=1)
    top = float(grid.max())
    low = float(grid.min()) if minimum is None else as_scalar("minimum", minimum)
    if low >= top:
        raise ValueError(f"minimum must be below the largest value of J ({top}), got {low}")
    gaps = (top - low) * 2.0 ** np.arange(-(n - 1), 1)
    return low + gaps


def contour_lines(w_values: ArrayLike, b_values: ArrayLike, J: ArrayLike,
                  levels: ArrayLike) -> list[list[np.ndarray]]:
    """The contour lines of a landscape, computed apart from any drawing.

    What ``ax.contour`` would draw, as plain arrays (by ``contourpy``, the
    library matplotlib uses), so that a plot can be updated in place when the
    landscape changes (the explorer does this when λ moves).

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
    """
    w = as_float_array("w_values", w_values)
    b = as_float_array("b_values", b_values)
    grid = as_float_array("J", J, ndim=2)
    lv = as_float_array("levels", levels)
    if grid.shape != (b.size, w.size):
        raise ValueError(f"J must have shape (len(b_values), len(w_values)) = {(b.size, w.size)}, "
                         f"got {grid.shape}")
    for name, v in (("w_values", w), ("b_values", b)):
        if v.size < 2 or np.any(np.diff(v) <= 0):
            raise ValueError(f"{name} must hold at least 2 increasing values, got {v!r}")
    gen = contourpy.contour_generator(w, b, grid, line_type=contourpy.LineType.Separate)
    return [list(gen.lines(float(level))) for level in lv]
