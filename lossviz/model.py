"""Logistic regression ``ŷ = σ(w·x + b)`` on one feature, and its gradients.

The parameters are ``params = (w, b)``, so the cost ``J(w, b)`` is a surface over
a plane (taught in notebooks 02-03). Every function takes an optional ``loss``
(a :class:`lossviz.losses.LogitLoss`; binary cross-entropy by default) and a
regularisation strength ``lam``: the objective is

``J(w, b) + λ/2 · w²``  (the bias ``b`` is not penalised).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._kernels import design, logistic_gradient, logistic_hessian, objective_rows, sigmoid
from ._kernels import per_sample_gradients as _per_sample_gradient_rows
from ._validation import as_float_array, as_scalar, check_in_unit_interval, check_same_shape
from .losses import BCE, LogitLoss

__all__ = [
    "gradient",
    "hessian",
    "numerical_gradient",
    "objective_at",
    "per_sample_gradients",
    "per_sample_losses",
    "predict",
]


def check_params(params: ArrayLike, name: str = "params") -> np.ndarray:
    """Validate ``params`` as a finite ``(2,)`` array ``(w, b)``."""
    p = as_float_array(name, params)
    if p.shape != (2,):
        raise ValueError(f"{name} must be (w, b), a sequence of 2 numbers, got shape {p.shape}")
    return p


def check_data(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate a feature vector ``x`` and labels ``y`` of the same length."""
    x_arr = as_float_array("x", x)
    y_arr = as_float_array("y", y)
    check_same_shape("x", x_arr, "y", y_arr)
    check_in_unit_interval("y", y_arr)
    return x_arr, y_arr


def check_loss(loss: LogitLoss | None) -> LogitLoss:
    """Return ``loss`` (default :data:`lossviz.losses.BCE`) after checking its type."""
    if loss is None:
        return BCE
    if not isinstance(loss, LogitLoss):
        raise TypeError(f"loss must be a LogitLoss (e.g. lossviz.BCE), got {loss!r}")
    return loss


def check_lam(lam: float) -> float:
    return as_scalar("lam", lam, minimum=0.0)


def predict(params: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Predicted probabilities ``σ(w·x + b)``.

    Stable for any finite logit: ``σ`` is evaluated through ``exp(-|z|)``, so
    ``|w·x + b| = 1e6`` gives exactly 0 or 1 and no overflow warning.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
        The feature.

    Returns
    -------
    (m,) ndarray of float64 in [0, 1]
    """
    p = check_params(params)
    x_arr = as_float_array("x", x)
    return sigmoid(p[0] * x_arr + p[1])


def per_sample_losses(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """The loss ``L⁽ⁱ⁾`` of every sample at ``params``.

    Returns
    -------
    (m,) ndarray of float64
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    return check_loss(loss).from_logits(y_arr, p[0] * x_arr + p[1])


def per_sample_gradients(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """The gradient of each sample's loss with respect to ``(w, b)``.

    Row ``i`` is ``∂L⁽ⁱ⁾/∂(w, b) = (∂L/∂z)ᵢ · (xᵢ, 1)``; for binary cross-entropy
    ``∂L/∂z = ŷᵢ - yᵢ``. No regularisation: the penalty belongs to the objective,
    not to a sample. Their mean is the gradient of the cost (notebook 02).

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    (m, 2) ndarray of float64
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    d = check_loss(loss).dz(y_arr, p[0] * x_arr + p[1])
    return _per_sample_gradient_rows(design(x_arr), d)


def gradient(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """Gradient of the objective ``J + λ/2 · w²`` with respect to ``(w, b)``.

    ``(1/m) Σᵢ ∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)``.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
        λ ≥ 0.
    loss : LogitLoss, optional

    Returns
    -------
    (2,) ndarray of float64
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    return logistic_gradient(p, x_arr, y_arr, check_lam(lam), check_loss(loss))


def objective_at(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> float:
    """The objective ``J(w, b) + λ/2 · w²`` of the model on ``(x, y)``.

    Returns
    -------
    float
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    return float(objective_rows(p[None, :], x_arr, y_arr, check_lam(lam), check_loss(loss))[0])


def hessian(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """Hessian of the objective with respect to ``(w, b)``.

    ``(1/m) Σᵢ (∂²L/∂z²)ᵢ · [[xᵢ², xᵢ], [xᵢ, 1]] + [[λ, 0], [0, 0]]``.

    Returns
    -------
    (2, 2) ndarray of float64
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    lam_f = check_lam(lam)
    return logistic_hessian(p, x_arr, y_arr, lam_f, check_loss(loss))


def numerical_gradient(
    params: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    lam: float = 0.0,
    *,
    h: float = 1e-6,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """Gradient of the objective ``J + λ/2·w²`` by central finite differences.

    ``∂J/∂θₖ ≈ [J(θ + h·eₖ) - J(θ - h·eₖ)] / (2h)``: knows nothing of the chain
    rule or of per-sample gradients, so it is an independent check of
    :func:`lossviz.gradient`. Taught in notebook 06 (question 3).

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
    h : float, default 1e-6
        Step, ``> 0``. The error is about ``h²`` plus rounding of order ``1e-16 / h``.
    loss : LogitLoss, optional

    Returns
    -------
    (2,) ndarray of float64
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    lam_f = check_lam(lam)
    h = as_scalar("h", h, minimum=0.0, strict_minimum=True)
    loss_f = check_loss(loss)
    steps = h * np.eye(2)
    points = np.vstack([p + steps, p - steps])
    values = objective_rows(points, x_arr, y_arr, lam_f, loss_f)
    return (values[:2] - values[2:]) / (2.0 * h)
