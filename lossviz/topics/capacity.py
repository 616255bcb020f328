"""Overfitting: logistic regression on polynomial features, train cost against test cost.

The course's model ``σ(w·x + b)`` has two parameters and cannot overfit a
thousand samples. To see overfitting we give it capacity: the features
``P₁(t), …, P_d(t)`` -- Legendre polynomials of the bill ``x`` rescaled to
``t ∈ [-1, 1]`` over the training set's range -- and train it on a small sample.
The objective is the usual one,

``J(w, b) + λ/2 · Σₖ wₖ²``  (the bias is not penalised),

and the functions here sweep the degree ``d`` or the strength ``λ`` and report
the *cost* (mean binary cross-entropy, no penalty) and the error rate on the
training set and on held-out data. Taught in notebook 08.

Legendre polynomials rather than the powers ``x, x², …`` keep the problem well
conditioned up to degree 20 or so (``|Pₖ(t)| ≤ 1`` on ``[-1, 1]``), so what the
curves show is overfitting, not round-off. Outside the training range the
rescaled feature is clipped to ``[-1, 1]``: the model holds the value it has at
the edge of what it has seen instead of extrapolating a degree-``d``
polynomial, whose values would grow without bound. The drawings are in
:mod:`lossviz.plot.capacity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.polynomial import legendre
from numpy.typing import ArrayLike

from .._kernels import bce_d2z, bce_dz, bce_from_logits, mean_gradient, mean_hessian, sigmoid
from .._validation import as_float_array, as_int, as_scalar
from ..model import check_data
from ..optim.newton import damped_newton

__all__ = [
    "CapacityCurve",
    "PolyLogistic",
    "degree_curve",
    "fit_poly_logistic",
    "lam_curve",
    "poly_features",
]

#: Largest degree accepted: beyond it the Legendre basis on a few points is
#: numerically indistinguishable from interpolation noise.
MAX_DEGREE: int = 40


def _check_degree(degree: int) -> int:
    return as_int("degree", degree, minimum=1, maximum=MAX_DEGREE)


def poly_features(x: ArrayLike, degree: int, *, centre: float, half_width: float) -> np.ndarray:
    """Legendre features ``P₁(t), …, P_d(t)`` of ``t = clip((x - centre)/half_width, -1, 1)``.

    Parameters
    ----------
    x : (m,) array_like of float
        The feature (monthly bill).
    degree : int
        ``d``, ``1 <= d <= 40``.
    centre, half_width : float
        The affine map to ``[-1, 1]``; ``half_width > 0``. :func:`fit_poly_logistic`
        takes them from the training set's range.

    Returns
    -------
    (m, d) ndarray of float64
        Column ``k - 1`` is ``Pₖ(t)``; the constant ``P₀ = 1`` is left to the bias.
    """
    x_arr = as_float_array("x", x)
    d = _check_degree(degree)
    c = as_scalar("centre", centre)
    h = as_scalar("half_width", half_width, minimum=0.0, strict_minimum=True)
    return _features(x_arr, d, c, h)


def _features(x: np.ndarray, degree: int, centre: float, half_width: float) -> np.ndarray:
    t = np.clip((x - centre) / half_width, -1.0, 1.0)
    return legendre.legvander(t, degree)[:, 1:]


@dataclass(frozen=True)
class PolyLogistic:
    """A fitted model ``ŷ = σ(Σₖ wₖ·Pₖ(t) + b)``; see :func:`fit_poly_logistic`.

    Attributes
    ----------
    degree : int
    lam : float
        The λ it was fitted with.
    centre, half_width : float
        The map ``t = clip((x - centre)/half_width, -1, 1)``.
    weights : (degree,) ndarray
    bias : float
    n_iter : int
        Newton iterations used.
    """

    degree: int
    lam: float
    centre: float
    half_width: float
    weights: np.ndarray
    bias: float
    n_iter: int

    def logits(self, x: ArrayLike) -> np.ndarray:
        """``(m,)`` logits ``z`` at the bills ``x``."""
        x_arr = as_float_array("x", x)
        return _features(x_arr, self.degree, self.centre, self.half_width) @ self.weights + self.bias

    def predict(self, x: ArrayLike) -> np.ndarray:
        """``(m,)`` predicted churn probabilities."""
        return sigmoid(self.logits(x))

    def cost(self, x: ArrayLike, y: ArrayLike) -> float:
        """The cost on ``(x, y)``: mean binary cross-entropy, without the penalty."""
        x_arr, y_arr = check_data(x, y)
        return float(np.mean(bce_from_logits(y_arr, self.logits(x_arr))))

    def error_rate(self, x: ArrayLike, y: ArrayLike) -> float:
        """Share of samples misclassified at the threshold ``ŷ = 0.5`` (``z = 0``)."""
        x_arr, y_arr = check_data(x, y)
        return float(np.mean((self.logits(x_arr) > 0) != (y_arr > 0.5)))


def fit_poly_logistic(
    x: ArrayLike, y: ArrayLike, degree: int, lam: float = 0.0, *, tol: float = 1e-9, max_iter: int = 200
) -> PolyLogistic:
    """Minimise ``J + λ/2·|w|²`` for the polynomial-feature model by damped Newton.

    The training set's range ``[min x, max x]`` is mapped to ``t ∈ [-1, 1]``.
    Newton steps with backtracking (halve the step until the objective does not
    increase); stop when the gradient's norm is below ``tol`` or when no step
    decreases the objective at machine precision.

    Parameters
    ----------
    x : (m,) array_like of float
        Training bills; at least two distinct values.
    y : (m,) array_like of float in [0, 1]
        Training labels.
    degree : int
        ``1 <= degree <= 40``.
    lam : float, default 0.0
        λ ≥ 0. With ``lam = 0`` and data that the features separate there is
        no minimum: the cost tends to 0 as the weights grow without bound.
        Newton then stops once the gradient (which shrinks like ``e^{-|z|}``)
        is below ``tol``, and returns a finite model with very large weights
        and a training cost near 0 -- or raises if ``max_iter`` runs out first.
        Any ``lam > 0`` makes the minimum exist.
    tol : float, default 1e-9
    max_iter : int, default 200

    Returns
    -------
    PolyLogistic

    Raises
    ------
    RuntimeError
        If the gradient's norm is still above ``1e-6`` when Newton stops; the
        message suggests ``lam > 0`` in case the data are separable.
    """
    x_arr, y_arr = check_data(x, y)
    d = _check_degree(degree)
    lam_f = as_scalar("lam", lam, minimum=0.0)
    tol = as_scalar("tol", tol, minimum=0.0, strict_minimum=True)
    max_iter = as_int("max_iter", max_iter, minimum=1)
    lo, hi = float(x_arr.min()), float(x_arr.max())
    if hi <= lo:
        raise ValueError(f"x must hold at least two distinct values, got all {lo}")
    centre, half_width = (lo + hi) / 2, (hi - lo) / 2
    theta, n_iter, gnorm = _newton(_features(x_arr, d, centre, half_width), y_arr, lam_f, tol, max_iter)
    if gnorm > 1e-6:
        raise RuntimeError(
            f"fit_poly_logistic did not converge (degree {d}, lam {lam_f}, gradient norm {gnorm:.2e});"
            " with lam = 0 the data may be separable: use lam > 0"
        )
    return PolyLogistic(
        degree=d,
        lam=lam_f,
        centre=centre,
        half_width=half_width,
        weights=theta[:d].copy(),
        bias=float(theta[d]),
        n_iter=n_iter,
    )


def _newton(
    X: np.ndarray, y: np.ndarray, lam: float, tol: float, max_iter: int
) -> tuple[np.ndarray, int, float]:
    m, d = X.shape
    A = np.column_stack([X, np.ones(m)])
    pen = np.append(np.full(d, lam), 0.0)

    def f(t: np.ndarray) -> float:
        return float(np.mean(bce_from_logits(y, A @ t))) + 0.5 * lam * float(t[:d] @ t[:d])

    def grad(t: np.ndarray) -> np.ndarray:
        return mean_gradient(A, bce_dz(y, A @ t)) + pen * t

    def hess(t: np.ndarray) -> np.ndarray:
        return mean_hessian(A, bce_d2z(y, A @ t)) + np.diag(pen)

    return damped_newton(f, grad, hess, np.zeros(d + 1), tol=tol, max_iter=max_iter)


@dataclass(frozen=True)
class CapacityCurve:
    """Train and held-out cost and error over a sweep of degree or λ.

    Rows are training sets, columns the swept values.

    Attributes
    ----------
    name : {"degree", "lam"}
        What was swept.
    values : (n,) ndarray
        The degrees or λ values.
    fixed : float
        The λ (for a degree sweep) or the degree (for a λ sweep) held fixed.
    train_cost, test_cost : (r, n) ndarray
        Mean binary cross-entropy (no penalty) on each training set and on the
        held-out set.
    train_error, test_error : (r, n) ndarray
        Error rates at threshold 0.5.
    """

    name: str
    values: np.ndarray
    fixed: float
    train_cost: np.ndarray
    test_cost: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray

    @property
    def best_index(self) -> int:
        """Index of the value with the lowest held-out cost, averaged over training sets."""
        return int(np.argmin(self.test_cost.mean(axis=0)))

    @property
    def best_value(self) -> float:
        """The degree or λ with the lowest mean held-out cost."""
        return float(self.values[self.best_index])


def _check_train_sets(
    train_sets: Sequence[tuple[ArrayLike, ArrayLike]],
) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(train_sets, tuple) and len(train_sets) == 2 and np.ndim(train_sets[0]) == 1:
        raise TypeError("train_sets must be a sequence of (x, y) pairs; wrap one set as [(x, y)]")
    try:
        sets = list(train_sets)
    except TypeError:
        raise TypeError(f"train_sets must be a sequence of (x, y) pairs, got {train_sets!r}") from None
    if not sets:
        raise ValueError("train_sets must not be empty")
    out = []
    for i, pair in enumerate(sets):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"train_sets[{i}] must be an (x, y) pair, got {type(pair).__name__}")
        out.append(check_data(*pair))
    return out


def _sweep(
    name: str,
    settings: list[tuple[int, float]],
    values: np.ndarray,
    fixed: float,
    train_sets: Sequence[tuple[ArrayLike, ArrayLike]],
    x_test: ArrayLike,
    y_test: ArrayLike,
) -> CapacityCurve:
    sets = _check_train_sets(train_sets)
    xt, yt = check_data(x_test, y_test)
    shape = (len(sets), len(settings))
    tr_c, te_c, tr_e, te_e = (np.empty(shape) for _ in range(4))
    for i, (x, y) in enumerate(sets):
        for j, (degree, lam) in enumerate(settings):
            model = fit_poly_logistic(x, y, degree, lam)
            z_tr, z_te = model.logits(x), model.logits(xt)
            tr_c[i, j] = np.mean(bce_from_logits(y, z_tr))
            te_c[i, j] = np.mean(bce_from_logits(yt, z_te))
            tr_e[i, j] = np.mean((z_tr > 0) != (y > 0.5))
            te_e[i, j] = np.mean((z_te > 0) != (yt > 0.5))
    return CapacityCurve(
        name=name,
        values=values,
        fixed=fixed,
        train_cost=tr_c,
        test_cost=te_c,
        train_error=tr_e,
        test_error=te_e,
    )


def degree_curve(
    train_sets: Sequence[tuple[ArrayLike, ArrayLike]],
    x_test: ArrayLike,
    y_test: ArrayLike,
    degrees: Sequence[int],
    *,
    lam: float = 1e-6,
) -> CapacityCurve:
    """Fit every degree on every training set; costs and errors on train and held-out data.

    Parameters
    ----------
    train_sets : sequence of (x, y) pairs of (m,) arrays
        Small training sets, e.g. ``[make_churn(20, seed=s) for s in range(40)]``.
    x_test, y_test : (n,) array_like
        One large held-out set from the same distribution.
    degrees : sequence of int
        Degrees to fit, each in ``[1, 40]``.
    lam : float, default 1e-6
        λ > 0, small: just enough for the minimum to exist when a high degree
        separates a small training set.

    Returns
    -------
    CapacityCurve
    """
    degs = np.array([_check_degree(d) for d in degrees], dtype=int)
    if degs.size == 0:
        raise ValueError("degrees must not be empty")
    lam_f = as_scalar("lam", lam, minimum=0.0)
    return _sweep("degree", [(int(d), lam_f) for d in degs], degs, lam_f, train_sets, x_test, y_test)


def lam_curve(
    train_sets: Sequence[tuple[ArrayLike, ArrayLike]],
    x_test: ArrayLike,
    y_test: ArrayLike,
    lams: ArrayLike,
    *,
    degree: int,
) -> CapacityCurve:
    """Fit every λ at one degree on every training set; see :func:`degree_curve`.

    Parameters
    ----------
    lams : (n,) array_like of float
        λ values, each ``>= 0`` (use ``> 0`` when the degree can separate the
        training sets).
    degree : int

    Returns
    -------
    CapacityCurve
    """
    lam_arr = as_float_array("lams", lams)
    if np.any(lam_arr < 0):
        raise ValueError(f"lams must be >= 0, got {lam_arr[lam_arr < 0][0]}")
    d = _check_degree(degree)
    return _sweep("lam", [(d, float(v)) for v in lam_arr], lam_arr, float(d), train_sets, x_test, y_test)
