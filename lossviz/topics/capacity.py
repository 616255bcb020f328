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
from typing import Any

import numpy as np
from numpy.polynomial import legendre
from numpy.typing import ArrayLike

from .._constraints import RealArray, SequenceOf, short, validate_params
from .._kernels import bce_d2z, bce_dz, bce_from_logits, mean_gradient, mean_hessian, sigmoid
from .._validation import as_float_array
from ..data import make_churn
from ..model import check_data
from ..optim.newton import damped_newton
from ._checks import FEATURE, LABELS, LAM, MAX_RUNS, Checked, array, check_pair, count, positive, real

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


#: Most Newton fits one sweep may make (training sets x degrees or λ values); lesson 08 makes 800.
MAX_FITS: int = 20_000

#: Largest ``tol`` of :func:`fit_poly_logistic`: a looser gradient tolerance is no fit at all.
MAX_TOL: float = 0.1

DEGREE = count(1, MAX_DEGREE, "lossviz.topics.capacity.MAX_DEGREE: use a lower degree")


def _check_train_sets(name: str, value: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(value, tuple) and len(value) == 2 and np.ndim(value[0]) == 1:
        raise TypeError(f"{name} must be a sequence of (x, y) pairs; wrap one set as [(x, y)]")
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of (x, y) pairs, got {short(value)}")
    if not value:
        raise ValueError(f"{name} must hold at least one (x, y) pair, got {short(value)}")
    if len(value) > MAX_RUNS:
        raise ValueError(f"{name} may hold at most {MAX_RUNS} sets (the limit), got {len(value)}")
    out = []
    for i, pair in enumerate(value):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"{name}[{i}] must be an (x, y) pair, got {short(pair)}")
        x = FEATURE(f"{name}[{i}] x", pair[0])
        y = LABELS(f"{name}[{i}] y", pair[1])
        out.append(check_pair(f"{name}[{i}] x", x, f"{name}[{i}] y", y))
    return out


TRAIN_SETS = Checked(
    _check_train_sets,
    "a list of (x, y) training sets",
    example_factory=lambda: [make_churn(20, seed=s) for s in range(2)],
    bad=(
        ("one set, not a list of sets", make_churn(5, seed=0)),
        ("a number", 3.0),
        ("a string", "abc"),
        ("empty", []),
        ("a pair of numbers", [(1.0, 2.0, 3.0)]),
        ("labels out of range", [([1.0, 2.0], [0.0, 2.0])]),
    ),
)


def _example_held_out() -> dict[str, Any]:
    x_test, y_test = make_churn(100, seed=9)
    return {"x_test": x_test, "y_test": y_test}


@validate_params({"x": FEATURE, "degree": DEGREE, "centre": real(), "half_width": positive()})
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

    Examples
    --------
    ``P₁(t) = t`` and ``P₂(t) = (3t² - 1)/2`` at ``t = -1, 0, 1``; the bill 5 is clipped to ``t = 1``:

    >>> poly_features([0.0, 1.0, 2.0, 5.0], 2, centre=1.0, half_width=1.0)
    array([[-1. ,  1. ],
           [ 0. , -0.5],
           [ 1. ,  1. ],
           [ 1. ,  1. ]])
    """
    return _features(array(x), degree, centre, half_width)


def _features(x: np.ndarray, degree: int, centre: float, half_width: float) -> np.ndarray:
    with np.errstate(over="ignore"):  # a ratio past float range is clipped to the edge like any other
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

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(30, seed=0)
    >>> model = fit_poly_logistic(x, y, degree=3, lam=0.01)
    >>> model.weights.shape, model.logits([0.5, 1.5]).shape
    ((3,), (2,))
    >>> bool(np.allclose(model.predict(x), 1 / (1 + np.exp(-model.logits(x)))))
    True
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


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "degree": DEGREE,
        "lam": LAM,
        "tol": real(0.0, MAX_TOL, closed="right"),
        "max_iter": count(1, 10_000, "use lam > 0 rather than more iterations"),
    },
    raises=(RuntimeError,),  # Newton ran out of iterations: documented under Raises
)
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
        Stop when the gradient's norm is below it; ``0 < tol <= 0.1`` (:data:`MAX_TOL`).
    max_iter : int, default 200
        ``1 <= max_iter <= 10000``.

    Returns
    -------
    PolyLogistic

    Raises
    ------
    RuntimeError
        If the gradient's norm is still above ``max(tol, 1e-6)`` when Newton stops
        (a looser ``tol`` is honoured: the check never asks for more than ``tol``);
        the message suggests ``lam > 0`` in case the data are separable.

    Examples
    --------
    Degree 1 is the course's model in a rescaled feature: the same minimum cost.

    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> model = fit_poly_logistic(x, y, degree=1)
    >>> bool(np.isclose(model.cost(x, y), lv.objective_at(lv.minimise(x, y), x, y), rtol=1e-10))
    True
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    d, lam_f = degree, lam
    lo, hi = float(x_arr.min()), float(x_arr.max())
    if hi <= lo:
        raise ValueError(f"x must hold at least two distinct values, got all {lo}")
    centre, half_width = (lo + hi) / 2, (hi - lo) / 2
    theta, n_iter, gnorm = _newton(_features(x_arr, d, centre, half_width), y_arr, lam_f, tol, max_iter)
    if not gnorm <= max(tol, 1e-6):
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

    Examples
    --------
    >>> import lossviz as lv
    >>> sets = [lv.make_churn(20, seed=s) for s in range(3)]
    >>> curve = lam_curve(sets, *lv.make_churn(200, seed=99), [1e-3, 1e-1, 10.0], degree=4)
    >>> curve.name, curve.train_cost.shape, curve.best_value in (1e-3, 1e-1, 10.0)
    ('lam', (3, 3), True)
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


def _sweep(
    name: str,
    settings: list[tuple[int, float]],
    values: np.ndarray,
    fixed: float,
    train_sets: list[tuple[np.ndarray, np.ndarray]],
    x_test: np.ndarray,
    y_test: np.ndarray,
) -> CapacityCurve:
    sets = train_sets
    xt, yt = check_pair("x_test", x_test, "y_test", y_test)
    if len(sets) * len(settings) > MAX_FITS:
        what = "degrees" if name == "degree" else "lams"
        raise ValueError(
            f"train_sets x {what} is {len(sets)} x {len(settings)} = {len(sets) * len(settings)} fits,"
            f" over the limit of {MAX_FITS} (lossviz.topics.capacity.MAX_FITS):"
            f" use fewer training sets or {what}"
        )
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


@validate_params(
    {
        "train_sets": TRAIN_SETS,
        "x_test": FEATURE,
        "y_test": LABELS,
        "degrees": SequenceOf(DEGREE, max_len=MAX_RUNS),
        "lam": LAM,
    },
    example=_example_held_out,
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

    Examples
    --------
    A higher degree contains the lower one, so its training cost is never higher:

    >>> import lossviz as lv
    >>> sets = [lv.make_churn(20, seed=s) for s in range(3)]
    >>> curve = degree_curve(sets, *lv.make_churn(200, seed=99), degrees=[1, 6])
    >>> curve.train_cost.shape
    (3, 2)
    >>> bool((curve.train_cost[:, 1] <= curve.train_cost[:, 0] + 1e-6).all())
    True
    """
    degs = np.array(degrees, dtype=int)
    sets: Any = train_sets
    return _sweep("degree", [(int(d), lam) for d in degs], degs, lam, sets, array(x_test), array(y_test))


@validate_params(
    {
        "train_sets": TRAIN_SETS,
        "x_test": FEATURE,
        "y_test": LABELS,
        "lams": RealArray(lo=0.0, max_size=MAX_RUNS, example_value=[1e-3, 1.0]),
        "degree": DEGREE,
    },
    example=_example_held_out,
)
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
    train_sets : sequence of (x, y) pairs of (m,) arrays
        Small training sets.
    x_test, y_test : (n,) array_like
        One large held-out set from the same distribution.
    lams : (k,) array_like of float
        λ values, each ``>= 0`` (use ``> 0`` when the degree can separate the
        training sets).
    degree : int
        ``1 <= degree <= 40``.

    Returns
    -------
    CapacityCurve

    Examples
    --------
    A stronger penalty never lowers the training cost:

    >>> import lossviz as lv
    >>> sets = [lv.make_churn(20, seed=s) for s in range(3)]
    >>> curve = lam_curve(sets, *lv.make_churn(200, seed=99), lams=[1e-4, 1.0], degree=5)
    >>> bool((curve.train_cost[:, 0] <= curve.train_cost[:, 1]).all())
    True
    """
    sets: Any = train_sets
    lam_arr = array(lams)
    return _sweep(
        "lam",
        [(degree, float(v)) for v in lam_arr],
        lam_arr,
        float(degree),
        sets,
        array(x_test),
        array(y_test),
    )
