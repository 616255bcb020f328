"""The course's data: the blog post's five anchor samples and a synthetic churn set."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

from ._constraints import MAX_ARRAY_SIZE, Interval, arr, validate_params
from .model import PARAMS, SEED

__all__ = ["CHURN_TRUE_PARAMS", "anchor_features", "anchor_sample", "make_churn"]

#: Most samples :func:`make_churn` draws (the size of any array argument of the package).
MAX_SAMPLES: int = MAX_ARRAY_SIZE

#: ``(w, b)`` of the logistic model that generates :func:`make_churn`'s labels.
CHURN_TRUE_PARAMS: tuple[float, float] = (3.0, -3.5)


@validate_params({})
def anchor_sample() -> tuple[np.ndarray, np.ndarray]:
    """The blog post's five churn samples after one forward pass.

    These are the post's *inputs* (true labels and the network's predictions);
    every loss and cost computed from them in the course is recomputed, never
    copied from the post. Taught in notebook 01.

    Returns
    -------
    y : (5,) ndarray of float64
        True labels ``[0, 1, 0, 1, 0]``.
    y_hat : (5,) ndarray of float64
        Predicted churn probabilities.

    Examples
    --------
    >>> y, y_hat = anchor_sample()
    >>> y
    array([0., 1., 0., 1., 0.])
    >>> y_hat
    array([0.541, 0.823, 0.312, 0.791, 0.458])
    """
    y = np.array([0, 1, 0, 1, 0], dtype=np.float64)
    y_hat = np.array([0.541, 0.823, 0.312, 0.791, 0.458], dtype=np.float64)
    return y, y_hat


@validate_params(
    {
        "m": Interval(
            numbers.Integral, 1, MAX_SAMPLES, ceiling_hint="draw fewer samples (the lessons use 1000)"
        ),
        "seed": SEED,
    }
)
def make_churn(m: int = 1000, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A synthetic churn data set with one feature, for logistic regression.

    The feature is a customer's monthly bill in hundreds of dollars, drawn from
    a normal distribution with mean 1.0 and standard deviation 0.35 (clipped
    below at 0.05). The label says whether the customer churned, drawn from
    ``Bernoulli(σ(3.0·x - 3.5))`` (:data:`CHURN_TRUE_PARAMS`), so about 40 % churn
    and the classes overlap: the data are not separable and the cost has a
    unique, finite minimum. Because the feature is not centred, ``w`` and ``b``
    trade off against each other and the cost's valley is long and narrow
    (taught in notebook 03).

    Parameters
    ----------
    m : int, default 1000
        Number of samples, ``1 <= m <=`` :data:`MAX_SAMPLES`.
    seed : int, default 0
        Seed of the ``numpy.random.default_rng`` that draws the data. The same
        ``(m, seed)`` always gives the same data.

    Returns
    -------
    x : (m,) ndarray of float64
        Monthly bill, in hundreds of dollars.
    y : (m,) ndarray of float64
        Labels in {0, 1} (1 = churned).

    Examples
    --------
    >>> x, y = make_churn(1000, seed=0)
    >>> x.shape, y.shape
    ((1000,), (1000,))
    >>> sorted(set(y.tolist())), round(float(y.mean()), 2)   # about 40 % churn
    ([0.0, 1.0], 0.41)
    >>> bool((make_churn(1000, seed=0)[0] == x).all())       # the same seed, the same data
    True
    """
    rng = np.random.default_rng(seed)
    x = np.maximum(rng.normal(1.0, 0.35, size=m), 0.05)
    w, b = CHURN_TRUE_PARAMS
    z = w * x + b
    p = 1.0 / (1.0 + np.exp(-z))
    y = (rng.random(m) < p).astype(np.float64)
    return x, y


@validate_params({"params": PARAMS})
def anchor_features(params: ArrayLike = (1.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """The post's five samples with a feature each, so the model reproduces the post's ŷ.

    The post gives only the network's predictions ``ŷ`` and the labels, not the
    inputs. To run optimisers on its samples, give each one the feature ``xᵢ``
    for which the course's model ``σ(w·xᵢ + b)`` at ``params`` predicts exactly
    the post's ``ŷᵢ``: ``xᵢ = (logit(ŷᵢ) - b) / w``. With the default
    ``(w, b) = (1, 0)`` the feature is the logit itself. Taught in notebook 06
    (question 2).

    Parameters
    ----------
    params : (2,) array_like, default (1, 0)
        ``(w, b)`` with ``w != 0`` (and ``|b / w|`` within float range).

    Returns
    -------
    x : (5,) ndarray of float64
        Features with ``predict(params, x) == anchor_sample()[1]`` (to rounding).
    y : (5,) ndarray of float64
        The post's labels.

    Examples
    --------
    >>> from lossviz.model import predict
    >>> x, y = anchor_features((2.0, -1.0))
    >>> predict((2.0, -1.0), x).round(3)      # the post's predictions
    array([0.541, 0.823, 0.312, 0.791, 0.458])
    """
    params = arr(params)
    p = params
    if p[0] == 0.0:
        raise ValueError(f"params[0] (w) must not be 0: no feature changes the prediction, got {p}")
    y, y_hat = anchor_sample()
    with np.errstate(all="ignore"):
        x = (np.log(y_hat) - np.log1p(-y_hat) - p[1]) / p[0]
    if not np.all(np.isfinite(x)):
        raise ValueError(
            f"params = {p} gives features too large for a float: (logit(ŷ) - b) / w overflows; "
            "use a w that is not tiny beside b"
        )
    return x, y
