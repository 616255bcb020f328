"""The numerical kernels of the logistic model, written once.

Every module that needs a sigmoid, a softplus, binary cross-entropy from the logit
or the logistic model's derivatives on a design matrix imports them from here
(numpy's ``linalg`` keeps its private kernels in one place the same way). Nothing
here validates its input: the public functions that call these have done so.

The forms are the stable ones, exact to rounding for every finite logit ``z``:

* ``σ(z)`` through ``exp(-|z|)``, so it never overflows and ``σ(-z)`` keeps its
  relative precision where ``1 - σ(z)`` would round to 0;
* ``softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^{-|z|})``;
* binary cross-entropy ``L = softplus(z) - y·z``, with
  ``∂L/∂z = (1 - y)·σ(z) - y·σ(-z)`` (not ``σ(z) - y``, which loses every digit
  for ``y = 1`` once ``z`` passes about 37) and ``∂²L/∂z² = σ(z)·σ(-z)``.

For the model ``z = A θ`` with a design matrix ``A`` ``(m, p)`` -- ``[x, 1]`` for
the course's ``(w, b)``, polynomial features in :mod:`lossviz.topics.capacity` --
the per-sample gradients are ``(∂L/∂z)ᵢ · Aᵢ``, the mean gradient ``Aᵀ d / m`` and
the Hessian ``Aᵀ diag(h) A / m``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .losses import LogitLoss

__all__: list[str] = []  # private: import the names you need explicitly


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``σ(z) = 1 / (1 + e^{-z})`` elementwise, without overflow, to full relative precision.

    Examples
    --------
    >>> sigmoid(np.array([-800.0, 0.0, 40.0]))
    array([0. , 0.5, 1. ])
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(σ(z), σ(-z))``, each to full relative precision, from one exponential.

    Examples
    --------
    >>> s, u = sigmoid_pair(np.array([40.0]))
    >>> float(u[0])  # 1 - σ(40) would round to 0; σ(-40) does not
    4.248354255291589e-18
    """
    e = np.exp(-np.abs(z))
    big = 1.0 / (1.0 + e)  # σ(|z|)
    small = e * big  # σ(-|z|)
    pos = z >= 0
    return np.where(pos, big, small), np.where(pos, small, big)


def softplus(z: np.ndarray) -> np.ndarray:
    """``log(1 + e^z)`` elementwise, exact and never overflowing.

    Examples
    --------
    >>> softplus(np.array([-1000.0, 0.0, 1000.0])).tolist()
    [0.0, 0.6931471805599453, 1000.0]
    """
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def bce_from_logits(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Binary cross-entropy ``softplus(z) - y·z`` per sample.

    Examples
    --------
    >>> bce_from_logits(np.array([1.0, 0.0]), np.array([0.0, 0.0])).round(6)
    array([0.693147, 0.693147])
    """
    # max(z, 0) - y·z + log(1 + exp(-|z|)): exact, never overflows.
    return np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))


def bce_dz(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``∂L/∂z = (1 - y)·σ(z) - y·σ(-z)`` per sample (``= σ(z) - y``, without cancellation).

    Examples
    --------
    >>> float(bce_dz(np.array([1.0]), np.array([40.0]))[0])  # σ(40) - 1 rounds to 0
    -4.248354255291589e-18
    """
    s, u = sigmoid_pair(z)
    return (1.0 - y) * s - y * u


def bce_d2z(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``∂²L/∂z² = σ(z)·σ(-z)`` per sample (it does not depend on ``y``).

    Examples
    --------
    >>> bce_d2z(np.zeros(2), np.array([0.0, 40.0])) * np.array([4.0, 1.0])
    array([1.00000000e+00, 4.24835426e-18])
    """
    s, u = sigmoid_pair(z)
    return s * u


def design(x: np.ndarray) -> np.ndarray:
    """``(m, 2)`` the design matrix ``[x, 1]`` of the model ``z = w·x + b``.

    Examples
    --------
    >>> design(np.array([2.0, 3.0]))
    array([[2., 1.],
           [3., 1.]])
    """
    return np.column_stack([x, np.ones_like(x)])


def per_sample_gradients(A: np.ndarray, dz: np.ndarray) -> np.ndarray:
    """``(m, p)`` rows ``(∂L/∂z)ᵢ · Aᵢ``: each sample's gradient with respect to ``θ``.

    Examples
    --------
    >>> per_sample_gradients(design(np.array([2.0, 3.0])), np.array([0.5, -1.0]))
    array([[ 1. ,  0.5],
           [-3. , -1. ]])
    """
    return dz[:, None] * A


def mean_gradient(A: np.ndarray, dz: np.ndarray) -> np.ndarray:
    """``(p,)`` the mean of the per-sample gradients, ``Aᵀ d / m``.

    Examples
    --------
    >>> mean_gradient(design(np.array([2.0, 3.0])), np.array([0.5, -1.0]))
    array([-1.  , -0.25])
    """
    return A.T @ dz / dz.size


def mean_hessian(A: np.ndarray, d2z: np.ndarray) -> np.ndarray:
    """``(p, p)`` the mean of the per-sample Hessians, ``Aᵀ diag(h) A / m``, exactly symmetric.

    Examples
    --------
    >>> mean_hessian(design(np.array([2.0, 3.0])), np.array([1.0, 1.0]))
    array([[6.5, 2.5],
           [2.5, 1. ]])
    """
    H = (A * d2z[:, None]).T @ A
    return (H + H.T) / (2 * d2z.size)  # BLAS need not round the two triangles alike


# ------------------------------------------------------------------ the course's model z = w·x + b
def logistic_gradient(p: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float, loss: LogitLoss) -> np.ndarray:
    """``(2,)`` the objective's gradient at ``p`` ``(2,)`` for validated ``x, y`` ``(m,)``."""
    g = mean_gradient(design(x), loss.dz(y, p[0] * x + p[1]))
    g[0] += lam * p[0]
    return g


def logistic_hessian(p: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float, loss: LogitLoss) -> np.ndarray:
    """``(2, 2)`` the objective's Hessian at ``p`` ``(2,)`` for validated ``x, y`` ``(m,)``."""
    H = mean_hessian(design(x), loss.d2z(y, p[0] * x + p[1]))
    H[0, 0] += lam
    return H


def objective_rows(
    P: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float, loss: LogitLoss, chunk_elems: int = 1 << 20
) -> np.ndarray:
    """``(n,)`` the objective ``J + λ/2·w²`` at each row of ``P`` ``(n, 2)``, chunked to bound memory.

    Inputs already validated; ``loss`` is a :class:`lossviz.losses.LogitLoss`.
    """
    from .losses import BinaryCrossEntropy  # losses imports this module: look it up at call time

    if type(loss) is BinaryCrossEntropy:  # exactly BCE, not a subclass that may override it
        return _bce_objective_rows(P, x, y, lam, chunk_elems)
    n = P.shape[0]
    out = np.empty(n)
    rows = max(1, chunk_elems // x.size)
    for start in range(0, n, rows):
        block = P[start : start + rows]
        z = block[:, :1] * x + block[:, 1:2]
        out[start : start + rows] = loss.from_logits(y, z).mean(axis=1)
    return out + 0.5 * lam * P[:, 0] ** 2


def _bce_objective_rows(
    P: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float, chunk_elems: int
) -> np.ndarray:
    """`objective_rows` for binary cross-entropy, about 2.5x faster.

    ``L = max(z, 0) - y·z + log(1 + exp(-|z|))`` with ``max(z, 0) = (z + |z|)/2``:
    the terms linear in ``z = w·x + b`` average to ``w·mean(x/2 - x·y) + b·mean(1/2 - y)``
    in closed form, so only ``|z|`` and ``log1p(exp(-|z|))`` are evaluated per
    element, in place. Equal to the generic path to rounding (~1e-15).
    """
    n, m = P.shape[0], x.size
    slope_w = 0.5 * float(np.mean(x)) - float(np.dot(x, y)) / m
    slope_b = 0.5 - float(np.mean(y))
    out = np.empty(n)
    rows = max(1, chunk_elems // m)
    for start in range(0, n, rows):
        block = P[start : start + rows]
        z = np.multiply.outer(block[:, 0], x)
        z += block[:, 1:2]
        np.abs(z, out=z)
        mean_abs = z.mean(axis=1)
        np.negative(z, out=z)
        np.exp(z, out=z)
        np.log1p(z, out=z)
        out[start : start + rows] = (
            0.5 * mean_abs + z.mean(axis=1) + slope_w * block[:, 0] + slope_b * block[:, 1]
        )
    return out + 0.5 * lam * P[:, 0] ** 2
