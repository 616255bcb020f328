"""Newton's method: the minimum of the objective, and the one damped-Newton loop.

:func:`minimise` finds ``argmin J(w, b) + λ/2·w²`` for the course's model;
:func:`damped_newton` is the loop it (and :func:`lossviz.topics.capacity.fit_poly_logistic`)
runs. Taught in notebook 03.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import Interval, arr, validate_params
from .._kernels import logistic_gradient, logistic_hessian, objective_rows, sigmoid
from .._validation import check_same_shape
from ..losses import BCE, LogitLoss
from ..model import FEATURE, LABELS, LAM, LOSS, PARAMS, overflow_error

#: Most Newton steps :func:`minimise` may take (it needs about 10 on the course's data).
MAX_NEWTON_ITER: int = 100_000

__all__ = ["minimise"]


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "lam": LAM,
        "loss": LOSS,
        "params0": PARAMS,
        "tol": Interval(numbers.Real, 0.0, None, closed="neither", example_value=1e-12),
        "max_iter": Interval(numbers.Integral, 1, MAX_NEWTON_ITER, example_value=100),
    },
    raises=(RuntimeError,),
)
def minimise(
    x: ArrayLike,
    y: ArrayLike,
    lam: float = 0.0,
    *,
    loss: LogitLoss | None = None,
    params0: ArrayLike = (0.0, 0.0),
    tol: float = 1e-12,
    max_iter: int = 100,
) -> np.ndarray:
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
        Gradient-norm tolerance: the result's gradient norm is below ``max(tol, 1e-6)``.
    max_iter : int, default 100
        At most :data:`MAX_NEWTON_ITER`.

    Returns
    -------
    (2,) ndarray of float64
        ``(w*, b*)``.

    Raises
    ------
    RuntimeError
        If Newton's method does not converge, or for separable data (hard labels
        that a line splits perfectly), where the unregularised minimum is at
        infinity. Soft labels always have a finite minimum when they are
        the model's own probabilities, and are never called separable.
    ValueError
        A bad argument (named), or inputs so large that the objective overflows.

    Examples
    --------
    >>> import numpy as np
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(200, seed=1)
    >>> p = minimise(x, y)
    >>> float(np.linalg.norm(lv.gradient(p, x, y))) < 1e-10   # a stationary point
    True
    >>> bool(abs(minimise(x, y, lam=1.0)[0]) < abs(p[0]))      # λ pulls w toward 0
    True
    """
    x, y, params0 = arr(x), arr(y), arr(params0)
    check_same_shape("x", x, "y", y)
    x_arr, y_arr, lam_f = x, y, lam
    loss_f = loss or BCE
    p = params0
    with np.errstate(all="ignore"):
        start = float(objective_rows(p[None, :], x_arr, y_arr, lam_f, loss_f)[0])
        g0 = logistic_gradient(p, x_arr, y_arr, lam_f, loss_f)
        h0 = logistic_hessian(p, x_arr, y_arr, lam_f, loss_f)
    if not (np.isfinite(start) and np.all(np.isfinite(g0)) and np.all(np.isfinite(h0))):
        raise overflow_error(
            "the objective or its derivatives at params0",
            params=p,
            x=x_arr,
            lam=lam_f,
            loss=loss_f,
            names=("params0", "x"),
        )

    with np.errstate(all="ignore"):
        p, _, gnorm = damped_newton(
            lambda q: float(objective_rows(q[None, :], x_arr, y_arr, lam_f, loss_f)[0]),
            lambda q: logistic_gradient(q, x_arr, y_arr, lam_f, loss_f),
            lambda q: logistic_hessian(q, x_arr, y_arr, lam_f, loss_f),
            p,
            tol=tol,
            max_iter=max_iter,
        )
    # Converged: the loop stopped at tol, or at what double precision resolves (below 1e-6).
    if not (gnorm < max(tol, 1e-6)) or not np.all(np.isfinite(p)):
        raise RuntimeError(f"minimise did not converge in {max_iter} iterations (last params {p})")
    # Without a penalty, a model that fits every hard label perfectly has its infimum
    # at infinity (separable data): the iterates only look converged because the
    # gradient underflows. Say so rather than return an arbitrary large point. (Soft
    # labels in (0, 1) cannot be fitted that way at a finite point unless they are
    # the model's own probabilities, and then that point is the minimum.)
    hard = bool(np.all((y_arr == 0) | (y_arr == 1)))
    if hard and lam_f == 0.0 and np.abs(sigmoid(p[0] * x_arr + p[1]) - y_arr).max() < 1e-6:
        raise RuntimeError(
            "minimise: the data are separable, so the objective has no finite minimum "
            f"without regularisation (reached params {p}); use lam > 0"
        )
    return p


def damped_newton(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    hess: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    *,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, int, float]:
    """Minimise a smooth ``f`` by Newton steps with backtracking.

    The one Newton loop of the package (used by :func:`minimise` and by
    :func:`lossviz.topics.capacity.fit_poly_logistic`). Each step solves ``H·s = g``,
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
