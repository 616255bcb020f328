"""Logistic regression ``ŷ = σ(w·x + b)`` on one feature, and its gradients.

The parameters are ``params = (w, b)``, so the cost ``J(w, b)`` is a surface over
a plane (taught in notebooks 02-03). Every function takes an optional ``loss``
(a :class:`lossviz.losses.LogitLoss`; binary cross-entropy by default) and a
regularisation strength ``lam``: the objective is

``J(w, b) + λ/2 · w²``  (the bias ``b`` is not penalised).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._constraints import InstanceOf, Interval, Labels, Params, RealArray, arr, short, validate_params
from ._kernels import design, logistic_gradient, logistic_hessian, objective_rows, sigmoid
from ._kernels import per_sample_gradients as _per_sample_gradient_rows
from ._validation import as_float_array, check_in_unit_interval, check_same_shape
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


# ----------------------------------------------------------------------------- declarations
# The constraints of the model's parameters, declared once and shared by the core's modules.

#: ``(w, b)``.
PARAMS = Params()
#: The feature ``x``, ``(m,)`` (the boundary tests' example: five samples).
FEATURE = RealArray(example_value=[0.2, 1.0, 1.5, 0.7, 2.0])
#: Labels in [0, 1] (soft labels allowed), ``(m,)``.
LABELS = Labels()
#: The regularisation strength λ ≥ 0.
LAM = Interval(numbers.Real, 0.0, None)
#: A :class:`lossviz.losses.LogitLoss` instance, or None for binary cross-entropy.
LOSS = InstanceOf(
    LogitLoss, "lossviz.BCE or lossviz.FocalLoss(2.0)", none_ok=True, example_factory=lambda: BCE
)
#: A seed of ``numpy.random.default_rng``.
SEED = Interval(numbers.Integral, 0, 2**64 - 1)
#: The common declarations of a function of ``(params, x, y, lam, loss)``.
MODEL_ARGS = {"params": PARAMS, "x": FEATURE, "y": LABELS, "lam": LAM, "loss": LOSS}
#: The same without λ (per-sample quantities have no penalty).
SAMPLE_ARGS = {"params": PARAMS, "x": FEATURE, "y": LABELS, "loss": LOSS}


def check_params(params: ArrayLike, name: str = "params") -> np.ndarray:
    """Validate ``params`` as a finite ``(2,)`` array ``(w, b)``."""
    p = as_float_array(name, params)
    if p.shape != (2,):
        raise ValueError(f"{name} must be (w, b), a sequence of 2 numbers, got shape {p.shape}")
    return p


def overflow_error(
    what: str,
    *,
    params: np.ndarray | None = None,
    x: np.ndarray | None = None,
    lam: float = 0.0,
    loss: Any = None,
    names: tuple[str, str] = ("params", "x"),
) -> ValueError:
    """The ValueError for a result that would overflow, naming the argument that is too large.

    Called when a computation on finite, valid input came out non-finite: λ/2·w² is
    blamed on ``lam`` when it overflows, else the logits ``w·x + b`` on ``params`` and
    ``x``, else ``x`` itself (``x²`` in the Hessian), and the loss's own parameters
    are named when it has any.
    """
    p_name, x_name = names
    with np.errstate(all="ignore"):
        if params is not None and lam and not np.isfinite(0.5 * lam * float(params[0]) ** 2 * 4):
            return ValueError(
                f"lam = {lam:g} is too large for {p_name} w = {float(params[0]):g}: {what} overflows "
                "double precision (λ/2·w² is not finite); use a smaller lam or smaller weights"
            )
        if params is not None and x is not None:
            xmax = float(np.max(np.abs(x)))
            zmax = abs(float(params[0])) * xmax + abs(float(params[1]))
            if not np.isfinite(zmax * x.size * 8):
                return ValueError(
                    f"{p_name} = {short(params.tolist())} are too large for {x_name} (max |x| = {xmax:g}): "
                    f"{what} overflows double precision (the logits w·x + b reach {zmax:.3g}); "
                    "use smaller parameters or features"
                )
    size = "" if x is None else f" (max |x| = {float(np.max(np.abs(x))):g})"
    if loss is not None and loss != BCE:
        shown = "" if params is None else f" at {p_name} = {short(params.tolist())}"
        return ValueError(
            f"loss = {loss!r} is too large for {x_name}{size}{shown}: {what} overflows double "
            "precision; use smaller loss weights, parameters or features"
        )
    return ValueError(
        f"{x_name} is too large{size}: {what} overflows double precision; "
        "use smaller features (e.g. rescale x)"
    )


def finite_or_refuse(value: Any, what: str, **blame: Any) -> Any:
    """``value`` if every element is finite, else the :func:`overflow_error` naming the culprit."""
    if np.all(np.isfinite(value)):
        return value
    raise overflow_error(what, **blame)


def check_data(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate a feature vector ``x`` and labels ``y`` of the same length."""
    x_arr = as_float_array("x", x)
    y_arr = as_float_array("y", y)
    check_same_shape("x", x_arr, "y", y_arr)
    check_in_unit_interval("y", y_arr)
    return x_arr, y_arr


def check_loss(loss: LogitLoss | None) -> LogitLoss:
    """Return ``loss`` (default :data:`lossviz.losses.BCE`) after checking it is an instance.

    A loss *class* (``FocalLoss`` rather than ``FocalLoss(2.0)``) is refused with a
    TypeError that says so.
    """
    if loss is None:
        return BCE
    return LOSS("loss", loss)


def check_lam(lam: float) -> float:
    return LAM("lam", lam)


@validate_params({"params": PARAMS, "x": FEATURE})
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

    Examples
    --------
    >>> predict((1.0, 0.0), [0.0, 1e6, -1e6])
    array([0.5, 1. , 0. ])
    """
    params, x = arr(params), arr(x)
    return sigmoid(params[0] * x + params[1])  # |w·x + b| <= 2·MAX_ABS², finite


@validate_params(SAMPLE_ARGS)
def per_sample_losses(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """The loss ``L⁽ⁱ⁾`` of every sample at ``params``.

    Parameters
    ----------
    params : (2,) array_like of float
        ``(w, b)``.
    x : (m,) array_like of float
        The feature.
    y : (m,) array_like of float in [0, 1]
        The labels.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    (m,) ndarray of float64

    Examples
    --------
    At ``(0, 0)`` every prediction is 0.5 and every loss is ``log 2``:

    >>> per_sample_losses((0.0, 0.0), [1.0, 2.0], [0.0, 1.0]).round(6)
    array([0.693147, 0.693147])
    """
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    with np.errstate(all="ignore"):
        out = loss_f.from_logits(y, params[0] * x + params[1])
    return finite_or_refuse(out, "the loss", params=params, x=x, loss=loss_f)


@validate_params(SAMPLE_ARGS)
def per_sample_gradients(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """The gradient of each sample's loss with respect to ``(w, b)``.

    Row ``i`` is ``∂L⁽ⁱ⁾/∂(w, b) = (∂L/∂z)ᵢ · (xᵢ, 1)``; for binary cross-entropy
    ``∂L/∂z = ŷᵢ - yᵢ``. No regularisation: the penalty belongs to the objective,
    not to a sample. Their mean is the gradient of the cost (notebook 02).

    Parameters
    ----------
    params : (2,) array_like of float
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    (m, 2) ndarray of float64

    Examples
    --------
    At ``(0, 0)``, ``∂L/∂z = 0.5 - y``; row ``i`` is that times ``(xᵢ, 1)``:

    >>> per_sample_gradients((0.0, 0.0), [1.0, 2.0], [0.0, 1.0])
    array([[ 0.5,  0.5],
           [-1. , -0.5]])
    """
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    with np.errstate(all="ignore"):
        out = _per_sample_gradient_rows(design(x), loss_f.dz(y, params[0] * x + params[1]))
    return finite_or_refuse(out, "the per-sample gradients", params=params, x=x, loss=loss_f)


@validate_params(MODEL_ARGS)
def gradient(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """Gradient of the objective ``J + λ/2 · w²`` with respect to ``(w, b)``.

    ``(1/m) Σᵢ ∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)``.

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
    (2,) ndarray of float64

    Examples
    --------
    The mean of the per-sample gradients, plus ``(λ·w, 0)``:

    >>> gradient((0.0, 0.0), [1.0, 2.0], [0.0, 1.0])
    array([-0.25,  0.  ])
    >>> gradient((1.0, 0.0), [1.0, 2.0], [0.0, 1.0], lam=2.0) - gradient((1.0, 0.0), [1.0, 2.0], [0.0, 1.0])
    array([2., 0.])
    """
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    with np.errstate(all="ignore"):
        out = logistic_gradient(params, x, y, lam, loss_f)
    return finite_or_refuse(out, "the gradient", params=params, x=x, lam=lam, loss=loss_f)


@validate_params(MODEL_ARGS)
def objective_at(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> float:
    """The objective ``J(w, b) + λ/2 · w²`` of the model on ``(x, y)``.

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

    Examples
    --------
    >>> round(objective_at((0.0, 0.0), [1.0, 2.0], [0.0, 1.0]), 6)   # log 2
    0.693147
    >>> round(objective_at((0.0, 0.0), [1.0, 2.0], [0.0, 1.0], lam=5.0), 6)   # w = 0: no penalty
    0.693147
    """
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    with np.errstate(all="ignore"):
        out = float(objective_rows(params[None, :], x, y, lam, loss_f)[0])
    return finite_or_refuse(out, "the objective", params=params, x=x, lam=lam, loss=loss_f)


@validate_params(MODEL_ARGS)
def hessian(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> np.ndarray:
    """Hessian of the objective with respect to ``(w, b)``.

    ``(1/m) Σᵢ (∂²L/∂z²)ᵢ · [[xᵢ², xᵢ], [xᵢ, 1]] + [[λ, 0], [0, 0]]``.

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
    (2, 2) ndarray of float64

    Examples
    --------
    At ``(0, 0)`` every ``σ(z)(1 - σ(z))`` is 1/4, so ``H = 1/4 · mean([[x², x], [x, 1]])``:

    >>> hessian((0.0, 0.0), [1.0, 2.0], [0.0, 1.0])
    array([[0.625, 0.375],
           [0.375, 0.25 ]])
    """
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    with np.errstate(all="ignore"):
        out = logistic_hessian(params, x, y, lam, loss_f)
    return finite_or_refuse(out, "the Hessian", params=params, x=x, lam=lam, loss=loss_f)


@validate_params({**MODEL_ARGS, "h": Interval(numbers.Real, 0.0, None, closed="neither", example_value=1e-6)})
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
        A step so small that ``θₖ ± h`` rounds to ``θₖ`` is refused (the difference
        would be 0), as is one so large that the objective overflows.
    loss : LogitLoss, optional

    Returns
    -------
    (2,) ndarray of float64

    Examples
    --------
    >>> import numpy as np
    >>> x, y = [0.5, 1.0, 2.0], [0.0, 1.0, 1.0]
    >>> bool(np.allclose(numerical_gradient((1.0, -0.5), x, y), gradient((1.0, -0.5), x, y), atol=1e-9))
    True
    """
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    loss_f = loss or BCE
    steps = h * np.eye(2)
    with np.errstate(all="ignore"):
        points = np.vstack([params + steps, params - steps])
    same = (params + h) == (params - h)
    if same.any():
        k = int(np.flatnonzero(same)[0])
        raise ValueError(
            f"h = {h:g} is too small for params = {short(params.tolist())}: params[{k}] ± h rounds to "
            "the same number, so the difference would be 0; use a larger h (about 1e-6 times |params|)"
        )
    if not np.all(np.isfinite(points)):
        raise ValueError(
            f"h = {h:g} is too large for params = {short(params.tolist())}: params ± h overflows"
        )
    with np.errstate(all="ignore"):
        values = objective_rows(points, x, y, lam, loss_f)
        out = (values[:2] - values[2:]) / (2.0 * h)
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"h = {h:g} is too large for these params, x and lam: the objective at params ± h overflows "
            "double precision; use a smaller h"
        )
    return out
