"""Per-sample losses, the cost (their mean) and the objective (cost + penalty).

Vocabulary used throughout the course (taught in notebook 01):

* **loss** ``L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)`` -- the error of one sample, an ``(m,)`` array here;
* **cost** ``J = (1/m) Σᵢ L⁽ⁱ⁾`` -- the mean loss over the training set, a float;
* **objective** ``J + λ/2 · Σ w²`` -- what the optimiser actually minimises.

Two forms of binary cross-entropy are provided: :func:`bce_loss` takes
probabilities ``ŷ`` (as the blog post does) and :func:`bce_loss_from_logits`
takes logits ``z`` with ``ŷ = σ(z)``, the form frameworks use because it is exact
for every finite ``z``.

The classes at the end (:class:`BinaryCrossEntropy`) express a loss as a
function of the logit, with its first and second derivatives, for the model in
:mod:`lossviz.model`.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    as_scalar,
    check_in_unit_interval,
    check_same_shape,
)

__all__ = [
    "EPS",
    "bce_loss",
    "bce_loss_from_logits",
    "cost",
    "objective",
    "LogitLoss",
    "BinaryCrossEntropy",
    "BCE",
]

#: Probabilities are clipped to ``[EPS, 1 - EPS]`` by :func:`bce_loss`, so that
#: ``ŷ`` of exactly 0 or 1 gives a large but finite loss (``-log(EPS) ≈ 27.6``)
#: and no warning. The blog post adds ``1e-8`` inside the logarithm instead.
EPS: float = 1e-12


def _labels_and_probs(y: ArrayLike, y_hat: ArrayLike, *, y_name: str = "y",
                      p_name: str = "y_hat") -> tuple[np.ndarray, np.ndarray]:
    y_arr = as_float_array(y_name, y)
    p_arr = as_float_array(p_name, y_hat)
    check_same_shape(y_name, y_arr, p_name, p_arr)
    check_in_unit_interval(y_name, y_arr)
    check_in_unit_interval(p_name, p_arr)
    return y_arr, p_arr


def _bce_probs(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1.0 - EPS)
    return -(y * np.log(p) + (1.0 - y) * np.log1p(-p))


def bce_loss(y: ArrayLike, y_hat: ArrayLike) -> np.ndarray:
    """Per-sample binary cross-entropy from probabilities.

    ``L⁽ⁱ⁾ = -[yᵢ·log ŷᵢ + (1 - yᵢ)·log(1 - ŷᵢ)]``

    Parameters
    ----------
    y : (m,) array_like of float in [0, 1]
        Labels. Hard labels are 0 or 1; soft labels in between are allowed.
    y_hat : (m,) array_like of float in [0, 1]
        Predicted probabilities of class 1. Values are clipped to
        ``[EPS, 1 - EPS]`` (see :data:`EPS`) so that 0 and 1 give a finite loss.

    Returns
    -------
    (m,) ndarray of float64
        The loss of each sample, ``>= 0``.

    Raises
    ------
    ValueError
        Empty input, shapes that differ, NaN or ±inf, or values outside [0, 1].
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> bce_loss([0, 1], [0.5, 0.5]).round(4)
    array([0.6931, 0.6931])
    """
    y_arr, p_arr = _labels_and_probs(y, y_hat)
    return _bce_probs(y_arr, p_arr)


def _bce_logits(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    # max(z, 0) - y·z + log(1 + exp(-|z|)): exact, never overflows.
    return np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))


def bce_loss_from_logits(y: ArrayLike, z: ArrayLike) -> np.ndarray:
    """Per-sample binary cross-entropy from logits ``z`` (``ŷ = σ(z)``).

    Computed as ``max(z, 0) - y·z + log(1 + exp(-|z|))``, which equals
    ``-[y·log σ(z) + (1 - y)·log(1 - σ(z))]`` exactly and never overflows: it is
    finite and correct for every finite ``z`` (``|z| = 1e6`` included).

    Parameters
    ----------
    y : (m,) array_like of float in [0, 1]
        Labels (soft labels allowed).
    z : (m,) array_like of float
        Logits, any finite real numbers.

    Returns
    -------
    (m,) ndarray of float64

    Examples
    --------
    >>> bce_loss_from_logits([1, 0], [1e6, 1e6])
    array([      0., 1000000.])
    """
    y_arr = as_float_array("y", y)
    z_arr = as_float_array("z", z)
    check_same_shape("y", y_arr, "z", z_arr)
    check_in_unit_interval("y", y_arr)
    return _bce_logits(y_arr, z_arr)


def cost(y: ArrayLike, y_hat: ArrayLike) -> float:
    """The cost ``J = (1/m) Σᵢ L⁽ⁱ⁾``: the mean binary cross-entropy.

    Parameters
    ----------
    y, y_hat : (m,) array_like of float in [0, 1]
        As for :func:`bce_loss`.

    Returns
    -------
    float
    """
    return float(np.mean(bce_loss(y, y_hat)))


def objective(y: ArrayLike, y_hat: ArrayLike, weights: ArrayLike, lam: float) -> float:
    """The L2-regularised objective ``J + λ/2 · Σ w²``.

    The penalty belongs to the objective, once per evaluation -- not to each
    sample's loss. The bias is not a weight and is never passed in.

    Parameters
    ----------
    y, y_hat : (m,) array_like of float in [0, 1]
        As for :func:`bce_loss`.
    weights : (n,) array_like of float
        The model's weights (a scalar is one weight).
    lam : float
        Regularisation strength λ ≥ 0.

    Returns
    -------
    float
    """
    w = as_float_array("weights", weights, ndim=None)
    if w.ndim == 0:
        w = w.reshape(1)
    lam_f = as_scalar("lam", lam, minimum=0.0)
    return cost(y, y_hat) + 0.5 * lam_f * float(np.sum(w * w))


@runtime_checkable
class LogitLoss(Protocol):
    """A per-sample loss written as a function of the logit ``z = w·x + b``.

    The model (:mod:`lossviz.model`) needs the loss and its first two
    derivatives with respect to ``z``; the chain rule does the rest. The methods
    take validated ``(m,)`` float arrays and do no checking of their own.
    """

    name: str

    def from_logits(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Per-sample loss, ``(m,)``."""

    def dz(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∂L/∂z`` per sample, ``(m,)``."""

    def d2z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∂²L/∂z²`` per sample, ``(m,)``."""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class BinaryCrossEntropy:
    """Binary cross-entropy as a function of the logit (the default loss).

    ``L = softplus(z) - y·z``, ``∂L/∂z = σ(z) - y``, ``∂²L/∂z² = σ(z)(1 - σ(z))``.
    """

    name = "bce"

    def from_logits(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        return _bce_logits(y, z)

    def dz(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        return _sigmoid(z) - y

    def d2z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        s = _sigmoid(z)
        return s * (1.0 - s)

    def dz_scalar(self, y: float, z: float) -> float:
        """``∂L/∂z`` for one sample in plain floats (the online-learning fast path)."""
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z)) - y
        e = math.exp(z)
        return e / (1.0 + e) - y

    def __repr__(self) -> str:
        return "BinaryCrossEntropy()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BinaryCrossEntropy)

    def __hash__(self) -> int:
        return hash(self.name)


#: The default loss of the model: binary cross-entropy.
BCE = BinaryCrossEntropy()
