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

import numbers
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from ._constraints import Interval, Labels, Probabilities, RealArray, arr, validate_params
from ._kernels import bce_d2z, bce_dz, bce_from_logits, sigmoid_pair, softplus
from ._validation import (
    as_float_array,
    as_scalar,
    check_in_unit_interval,
    check_same_shape,
)

_LABELS = Labels()
_PROBS = Probabilities()
_LOGITS = RealArray(example_value=[-2.0, 0.5, 1.0, -0.3, 4.0])
_WEIGHTS = RealArray(ndim=None, example_value=[0.5, -1.0])
_LAM = Interval(numbers.Real, 0.0, None)
_POS_WEIGHT = Interval(numbers.Real, 0.0, None, closed="neither")
_GAMMA = Interval(numbers.Real, 0.0, None)
_ALPHA = Interval(numbers.Real, 0.0, 1.0, none_ok=True)

__all__ = [
    "BCE",
    "EPS",
    "BinaryCrossEntropy",
    "LogitLoss",
    "bce_loss",
    "bce_loss_from_logits",
    "cost",
    "objective",
]

#: Probabilities are clipped to ``[EPS, 1 - EPS]`` by :func:`bce_loss`, so that
#: ``ŷ`` of exactly 0 or 1 gives a large but finite loss (``-log(EPS) ≈ 27.6``)
#: and no warning. The blog post adds ``1e-8`` inside the logarithm instead.
EPS: float = 1e-12


def _labels_and_probs(
    y: ArrayLike, y_hat: ArrayLike, *, y_name: str = "y", p_name: str = "y_hat"
) -> tuple[np.ndarray, np.ndarray]:
    y_arr = as_float_array(y_name, y)
    p_arr = as_float_array(p_name, y_hat)
    check_same_shape(y_name, y_arr, p_name, p_arr)
    check_in_unit_interval(y_name, y_arr)
    check_in_unit_interval(p_name, p_arr)
    return y_arr, p_arr


def _bce_probs(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1.0 - EPS)
    return -(y * np.log(p) + (1.0 - y) * np.log1p(-p))


@validate_params({"y": _LABELS, "y_hat": _PROBS})
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
    y, y_hat = arr(y), arr(y_hat)
    check_same_shape("y", y, "y_hat", y_hat)
    return _bce_probs(y, y_hat)


_bce_logits = bce_from_logits  # the kernel, under the name the topic modules import


@validate_params({"y": _LABELS, "z": _LOGITS})
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
    y, z = arr(y), arr(z)
    check_same_shape("y", y, "z", z)
    return _bce_logits(y, z)


@validate_params({"y": _LABELS, "y_hat": _PROBS})
def cost(y: ArrayLike, y_hat: ArrayLike) -> float:
    """The cost ``J = (1/m) Σᵢ L⁽ⁱ⁾``: the mean binary cross-entropy.

    Parameters
    ----------
    y, y_hat : (m,) array_like of float in [0, 1]
        As for :func:`bce_loss`.

    Returns
    -------
    float

    Examples
    --------
    Every prediction at 0.5 costs ``log 2`` per sample, whatever the label:

    >>> round(cost([0, 1, 1], [0.5, 0.5, 0.5]), 6)
    0.693147
    """
    y, y_hat = arr(y), arr(y_hat)
    check_same_shape("y", y, "y_hat", y_hat)
    return float(np.mean(_bce_probs(y, y_hat)))


@validate_params({"y": _LABELS, "y_hat": _PROBS, "weights": _WEIGHTS, "lam": _LAM})
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

    Raises
    ------
    ValueError
        As for :func:`bce_loss`; and when ``λ/2 · Σ w²`` overflows double precision
        (``lam`` too large for ``weights``).

    Examples
    --------
    The cost ``log 2`` plus the penalty ``0.1/2 · 2² = 0.2``:

    >>> round(objective([0, 1], [0.5, 0.5], weights=[2.0], lam=0.1), 6)
    0.893147
    """
    y, y_hat, weights = arr(y), arr(y_hat), arr(weights)
    check_same_shape("y", y, "y_hat", y_hat)
    w = weights.reshape(-1)
    with np.errstate(all="ignore"):
        penalty = 0.5 * lam * float(np.sum(w * w))
    if not np.isfinite(penalty):
        raise ValueError(
            f"lam = {lam:g} is too large for weights (max |w| = {float(np.max(np.abs(w))):g}): "
            "λ/2·Σw² overflows double precision"
        )
    return float(np.mean(_bce_probs(y, y_hat))) + penalty


@runtime_checkable
class LogitLoss(Protocol):
    """A per-sample loss written as a function of the logit ``z = w·x + b``.

    The model (:mod:`lossviz.model`) needs the loss and its first two
    derivatives with respect to ``z``; the chain rule does the rest. The methods
    take validated ``(m,)`` float arrays and do no checking of their own.

    Attributes
    ----------
    name : str
        A short name for tables and legends.

    Examples
    --------
    The course's losses are instances of it (a loss *class* is not a loss):

    >>> isinstance(BCE, LogitLoss), isinstance(FocalLoss(2.0), LogitLoss)
    (True, True)
    """

    name: str

    def from_logits(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Per-sample loss, ``(m,)``."""

    def dz(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∂L/∂z`` per sample, ``(m,)``."""

    def d2z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∂²L/∂z²`` per sample, ``(m,)``."""


@validate_params({})
class BinaryCrossEntropy:
    """Binary cross-entropy as a function of the logit (the default loss).

    ``L = softplus(z) - y·z``, ``∂L/∂z = σ(z) - y``, ``∂²L/∂z² = σ(z)(1 - σ(z))``,
    evaluated in the stable forms ``(1 - y)·σ(z) - y·σ(-z)`` and ``σ(z)·σ(-z)``
    (:mod:`lossviz._kernels`), exact to rounding for every finite ``z``.

    Examples
    --------
    >>> import numpy as np
    >>> float(BCE.dz(np.array([1.0]), np.array([40.0]))[0])  # σ(40) - 1, which rounds to 0 naively
    -4.248354255291589e-18
    """

    name = "bce"

    def from_logits(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``L`` per sample."""
        return bce_from_logits(y, z)

    def dz(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∂L/∂z`` per sample."""
        return bce_dz(y, z)

    def d2z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∂²L/∂z²`` per sample."""
        return bce_d2z(y, z)

    def __repr__(self) -> str:
        return "BinaryCrossEntropy()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BinaryCrossEntropy)

    def __hash__(self) -> int:
        return hash(self.name)


#: The default loss of the model: binary cross-entropy.
BCE = BinaryCrossEntropy()


# ----------------------------------------------------------------------------
# Losses for class imbalance: weighted cross-entropy and focal loss.
# Taught in notebook 07.
# ----------------------------------------------------------------------------

__all__ += [
    "FocalLoss",
    "WeightedBCE",
    "focal_loss",
    "weighted_bce_loss",
]


def _check_pos_weight(pos_weight: float) -> float:
    return as_scalar("pos_weight", pos_weight, minimum=0.0, strict_minimum=True)


def _check_gamma(gamma: float) -> float:
    return as_scalar("gamma", gamma, minimum=0.0)


def _check_alpha(alpha: float | None) -> float | None:
    if alpha is None:
        return None
    return as_scalar("alpha", alpha, minimum=0.0, maximum=1.0)


@validate_params({"y": _LABELS, "y_hat": _PROBS, "pos_weight": _POS_WEIGHT})
def weighted_bce_loss(y: ArrayLike, y_hat: ArrayLike, pos_weight: float) -> np.ndarray:
    """Per-sample binary cross-entropy with the positive class weighted.

    ``L⁽ⁱ⁾ = -[pos_weight·yᵢ·log ŷᵢ + (1 - yᵢ)·log(1 - ŷᵢ)]``

    the convention of the ``pos_weight`` argument of the major frameworks: the
    loss of a positive sample is multiplied by ``pos_weight``, that of a
    negative sample is unchanged. ``pos_weight = n_negative / n_positive`` gives
    both classes the same total say in the cost. ``pos_weight = 1`` is
    :func:`bce_loss`. Taught in notebook 07.

    Parameters
    ----------
    y : (m,) array_like of float in [0, 1]
        Labels (soft labels allowed, as for :func:`bce_loss`).
    y_hat : (m,) array_like of float in [0, 1]
        Predicted probabilities of class 1, clipped to ``[EPS, 1 - EPS]``.
    pos_weight : float
        Weight of the positive class, ``> 0``.

    Returns
    -------
    (m,) ndarray of float64
        The loss of each sample, ``>= 0``.

    Raises
    ------
    ValueError
        As for :func:`bce_loss`, and ``pos_weight <= 0`` or not finite.
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> weighted_bce_loss([1, 0], [0.5, 0.5], pos_weight=3.0).round(4)
    array([2.0794, 0.6931])
    """
    y, y_hat = arr(y), arr(y_hat)
    check_same_shape("y", y, "y_hat", y_hat)
    p = np.clip(y_hat, EPS, 1.0 - EPS)
    return -(pos_weight * y * np.log(p) + (1.0 - y) * np.log1p(-p))


@validate_params({"y": _LABELS, "y_hat": _PROBS, "gamma": _GAMMA, "alpha": _ALPHA})
def focal_loss(y: ArrayLike, y_hat: ArrayLike, gamma: float = 2.0, alpha: float | None = None) -> np.ndarray:
    """Per-sample focal loss (Lin et al., 2017).

    ``L⁽ⁱ⁾ = -α_t·(1 - p_t)^γ·log p_t``, where ``p_t = ŷ`` when ``y = 1`` and
    ``1 - ŷ`` when ``y = 0`` (the probability given to the true class), and
    ``α_t = α`` when ``y = 1`` and ``1 - α`` when ``y = 0``; there is no α
    weighting when ``alpha`` is None. The factor ``(1 - p_t)^γ`` shrinks the
    loss of samples that are already classified well, so the hard ones carry
    more of the cost. With ``gamma = 0`` and no ``alpha`` it is exactly
    :func:`bce_loss`. Taught in notebook 07.

    For a soft label ``y`` in (0, 1) the loss is the same mixture of the two
    hard-label cases as binary cross-entropy is:
    ``-[y·α·(1 - ŷ)^γ·log ŷ + (1 - y)·(1 - α)·ŷ^γ·log(1 - ŷ)]``
    (with α and 1 - α replaced by 1 when ``alpha`` is None).

    Parameters
    ----------
    y : (m,) array_like of float in [0, 1]
        Labels.
    y_hat : (m,) array_like of float in [0, 1]
        Predicted probabilities of class 1, clipped to ``[EPS, 1 - EPS]``.
    gamma : float, default 2.0
        Focusing parameter γ ≥ 0.
    alpha : float in [0, 1] or None, default None
        Weight of the positive class (``1 - alpha`` for the negative class).

    Returns
    -------
    (m,) ndarray of float64
        The loss of each sample, ``>= 0``.

    Raises
    ------
    ValueError
        As for :func:`bce_loss`; ``gamma < 0``; ``alpha`` outside [0, 1].
    TypeError
        Non-numeric input.

    Examples
    --------
    The factor ``(1 - p_t)^γ`` is the ratio to cross-entropy: 0.1² for a
    positive predicted at 0.9, 0.4² for one predicted at 0.6.

    >>> (focal_loss([1, 1], [0.9, 0.6]) / bce_loss([1, 1], [0.9, 0.6])).round(4)
    array([0.01, 0.16])
    """
    y, y_hat = arr(y), arr(y_hat)
    check_same_shape("y", y, "y_hat", y_hat)
    g, a, y_arr = gamma, alpha, y
    p = np.clip(y_hat, EPS, 1.0 - EPS)
    a_pos, a_neg = (1.0, 1.0) if a is None else (a, 1.0 - a)
    with np.errstate(under="ignore"):
        pos = a_pos * (1.0 - p) ** g * np.log(p)
        neg = a_neg * p**g * np.log1p(-p)
    return -(y_arr * pos + (1.0 - y_arr) * neg)


_softplus = softplus


@validate_params({"pos_weight": _POS_WEIGHT})
class WeightedBCE:
    """Binary cross-entropy with the positive class weighted, from the logit.

    With ``s = σ(z)`` and ``w₊ = pos_weight``:

    * ``L = w₊·y·softplus(-z) + (1 - y)·softplus(z)``
      (``softplus(-z) = -log s``, ``softplus(z) = -log(1 - s)``);
    * ``∂L/∂z = -w₊·y·(1 - s) + (1 - y)·s``;
    * ``∂²L/∂z² = (w₊·y + 1 - y)·s·(1 - s)``.

    Every term is computed from ``z`` without forming ``log s`` from ``s``, so it
    is exact and quiet for every finite logit. Taught in notebook 07.

    Parameters
    ----------
    pos_weight : float
        Weight of the positive class, ``> 0``; 1 is :data:`BCE`.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(200, seed=1)
    >>> w, b = lv.minimise(x, y, loss=WeightedBCE(pos_weight=4.0))
    """

    def __init__(self, pos_weight: float) -> None:
        self.pos_weight = pos_weight
        self.name = f"weighted_bce(pos_weight={self.pos_weight:g})"

    def from_logits(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        return self.pos_weight * y * _softplus(-z) + (1.0 - y) * _softplus(z)

    def dz(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        s, u = sigmoid_pair(z)
        return (1.0 - y) * s - self.pos_weight * y * u

    def d2z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        s, u = sigmoid_pair(z)
        return (self.pos_weight * y + 1.0 - y) * s * u

    def __repr__(self) -> str:
        return f"WeightedBCE(pos_weight={self.pos_weight!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WeightedBCE) and other.pos_weight == self.pos_weight

    def __hash__(self) -> int:
        return hash((WeightedBCE, self.pos_weight))


@validate_params({"gamma": _GAMMA, "alpha": _ALPHA})
class FocalLoss:
    """The focal loss of Lin et al. (2017) as a function of the logit.

    With ``s = σ(z)``, ``u = 1 - s = σ(-z)``, ``ℓ₊ = softplus(-z) = -log s`` and
    ``ℓ₋ = softplus(z) = -log u``, the loss is

    ``L = y·a₊·u^γ·ℓ₊ + (1 - y)·a₋·s^γ·ℓ₋``

    (``a₊ = α``, ``a₋ = 1 - α``; both 1 when ``alpha`` is None), and

    * ``∂L/∂z = -y·a₊·u^γ·(γ·s·ℓ₊ + u) + (1 - y)·a₋·s^γ·(γ·u·ℓ₋ + s)``;
    * ``∂²L/∂z² = y·a₊·s·u^γ·(γ·ℓ₊·(γ·s - u) + (1 + 2γ)·u)
      + (1 - y)·a₋·u·s^γ·(γ·ℓ₋·(γ·u - s) + (1 + 2γ)·s)``.

    ``u^γ`` and ``s^γ`` are computed as ``exp(-γ·ℓ₋)`` and ``exp(-γ·ℓ₊)``, so
    nothing overflows or loses precision for large ``|z|``. Unlike
    cross-entropy the focal loss is not convex in ``z`` for ``γ > 0``: a sample
    that is badly misclassified has a negative second derivative (its loss
    grows only about linearly, more slowly as it gets worse). Taught in
    notebook 07.

    Parameters
    ----------
    gamma : float, default 2.0
        Focusing parameter γ ≥ 0; 0 without ``alpha`` is :data:`BCE`.
    alpha : float in [0, 1] or None, default None
        Weight of the positive class (``1 - alpha`` for the negative class).

    Examples
    --------
    >>> import numpy as np
    >>> y, z = np.array([1.0, 0.0]), np.array([2.0, -2.0])
    >>> bool(np.allclose(FocalLoss(gamma=0.0).dz(y, z), BCE.dz(y, z)))   # γ = 0 is cross-entropy
    True
    >>> FocalLoss(gamma=2.0).from_logits(y, z) < BCE.from_logits(y, z)    # well classified: shrunk
    array([ True,  True])
    """

    def __init__(self, gamma: float = 2.0, alpha: float | None = None) -> None:
        self.gamma = gamma
        self.alpha = alpha
        extra = "" if self.alpha is None else f", alpha={self.alpha:g}"
        self.name = f"focal(gamma={self.gamma:g}{extra})"

    def _weights(self) -> tuple[float, float]:
        return (1.0, 1.0) if self.alpha is None else (self.alpha, 1.0 - self.alpha)

    def from_logits(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        a_pos, a_neg = self._weights()
        g = self.gamma
        l_pos, l_neg = _softplus(-z), _softplus(z)
        return y * a_pos * np.exp(-g * l_neg) * l_pos + (1.0 - y) * a_neg * np.exp(-g * l_pos) * l_neg

    def dz(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        a_pos, a_neg = self._weights()
        g = self.gamma
        s, u = sigmoid_pair(z)
        l_pos, l_neg = _softplus(-z), _softplus(z)
        pos = -a_pos * np.exp(-g * l_neg) * (g * s * l_pos + u)
        neg = a_neg * np.exp(-g * l_pos) * (g * u * l_neg + s)
        return y * pos + (1.0 - y) * neg

    def d2z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        a_pos, a_neg = self._weights()
        g = self.gamma
        s, u = sigmoid_pair(z)
        l_pos, l_neg = _softplus(-z), _softplus(z)
        pos = a_pos * s * np.exp(-g * l_neg) * (g * l_pos * (g * s - u) + (1 + 2 * g) * u)
        neg = a_neg * u * np.exp(-g * l_pos) * (g * l_neg * (g * u - s) + (1 + 2 * g) * s)
        return y * pos + (1.0 - y) * neg

    def __repr__(self) -> str:
        return f"FocalLoss(gamma={self.gamma!r}, alpha={self.alpha!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FocalLoss) and other.gamma == self.gamma and other.alpha == self.alpha

    def __hash__(self) -> int:
        return hash((FocalLoss, self.gamma, self.alpha))
