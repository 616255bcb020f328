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

import numpy as np

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
