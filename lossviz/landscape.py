"""The objective as a surface over ``(w, b)``: grids, the minimum and its shape.

Taught in notebook 03.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_int, as_scalar
from .losses import LogitLoss
from .model import (
    _gradient,
    _hessian,
    _objective_rows,
    check_data,
    check_lam,
    check_loss,
    check_params,
)

__all__ = ["cost_grid", "penalty_grid", "minimise", "condition_number", "default_window"]


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
    increase), stopping when the gradient's norm is below ``tol``.

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

    def f(q: np.ndarray) -> float:
        return float(_objective_rows(q[None, :], x_arr, y_arr, lam_f, loss_f)[0])

    fp = f(p)
    for _ in range(max_iter):
        g = _gradient(p, x_arr, y_arr, lam_f, loss_f)
        if np.linalg.norm(g) < tol:
            return p
        H = _hessian(p, x_arr, y_arr, lam_f, loss_f)
        try:
            step = np.linalg.solve(H, g)
            if not np.all(np.isfinite(step)) or step @ g <= 0:
                step = g  # not a descent direction: fall back to the gradient
        except np.linalg.LinAlgError:
            step = g
        t = 1.0
        while t > 1e-12:
            q = p - t * step
            fq = f(q)
            if fq <= fp:
                break
            t *= 0.5
        if t <= 1e-12:  # no decrease possible at machine precision
            return p
        p, fp = q, fq
    if np.linalg.norm(_gradient(p, x_arr, y_arr, lam_f, loss_f)) < 1e-6:
        return p
    raise RuntimeError(f"minimise did not converge in {max_iter} iterations (last params {p})")


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
