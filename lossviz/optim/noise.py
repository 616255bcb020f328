"""The noise of a mini-batch gradient: its samples, its variance and the gradient noise scale.

A mini-batch gradient is an unbiased estimate of the full gradient ``g``;
:func:`minibatch_gradients` draws it as :func:`lossviz.train` does,
:func:`minibatch_gradient_variance` gives ``E‖ĝ_B - g‖²`` by formula and
:func:`measured_minibatch_variance` measures it (notebooks 02, 04, 06).

McCandlish, Kaplan, Amodei et al. (2018), *An Empirical Model of Large-Batch
Training*, summarise that noise in one number, the *simple noise scale*

``B_simple = tr(Σ) / |G|²``,

where ``G`` is the full-batch gradient and ``Σ`` the covariance of the
per-sample gradients. A batch of ``B`` samples has ``E|G_B - G|² = tr(Σ)/B``
(with replacement), so ``B_simple`` is the batch size at which the noise is as
large as the signal: :func:`gradient_noise_scale` computes it exactly,
:func:`estimate_noise_scale` from two batch sizes as one would for a large
model. What it predicts about batch size is in :mod:`lossviz.topics.batch_size`.
Taught in notebook 09.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validation import as_int, as_scalar
from ..losses import LogitLoss
from ..model import check_data, check_lam, check_loss, check_params, per_sample_gradients
from .sgd import TrainResult, minibatch_indices

__all__ = [
    "NoiseScale",
    "estimate_noise_scale",
    "gradient_noise_scale",
    "measured_minibatch_variance",
    "minibatch_gradient_variance",
    "minibatch_gradients",
    "noise_scale_along",
    "noise_scale_from_norms",
]


def minibatch_gradients(
    params: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    batch_size: int,
    *,
    n_batches: int = 300,
    seed: int = 0,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """Mini-batch gradients of the cost at ``params``, as :func:`lossviz.train` would draw them.

    Batches come from :func:`minibatch_indices` epoch after epoch, from
    ``numpy.random.default_rng(seed)``; only full-size batches are kept, so every
    row is the mean of exactly ``batch_size`` per-sample gradients. Their
    average is the gradient of the cost, and their spread is the noise of
    mini-batch SGD (:func:`minibatch_gradient_variance`). Taught in notebook 02.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``.
    n_batches : int, default 300
        How many batch gradients to return, ``>= 1``.
    seed : int, default 0
    loss : LogitLoss, optional

    Returns
    -------
    (n_batches, 2) ndarray of float64
        Row ``j`` is ``(1/B) Σ_{i∈batch j} ∂L⁽ⁱ⁾/∂(w, b)``.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> G = minibatch_gradients((0.0, 0.0), x, y, batch_size=10, n_batches=20)
    >>> G.shape
    (20, 2)
    >>> full = minibatch_gradients((0.0, 0.0), x, y, batch_size=100, n_batches=3)
    >>> bool(np.allclose(full, lv.gradient((0.0, 0.0), x, y)))   # a full batch has no noise
    True
    """
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    n_batches = as_int("n_batches", n_batches, minimum=1)
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    out: list[np.ndarray] = []
    while sum(len(block) for block in out) < n_batches:
        full = [batch for batch in minibatch_indices(m, k, rng) if batch.size == k]
        out.append(np.array([G[batch].mean(axis=0) for batch in full]))
    return np.concatenate(out)[:n_batches]


def minibatch_gradient_variance(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, batch_size: int, *, loss: LogitLoss | None = None
) -> float:
    """Expected squared error of a mini-batch gradient, by formula.

    For a batch of ``B`` samples drawn without replacement from ``m``,
    ``E‖ĝ_B - g‖² = tr(Σ)/B · (m - B)/(m - 1)``, where ``Σ`` is the covariance
    (divided by ``m``) of the per-sample gradients and ``g`` their mean. It is
    zero at ``B = m`` (full batch) and ``tr(Σ)`` at ``B = 1``. Taught in
    notebooks 04 and 06.

    Parameters
    ----------
    params : (2,) array_like of float
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``B``, ``1 <= B <= m``.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    float

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> minibatch_gradient_variance((0.0, 0.0), x, y, batch_size=100)
    0.0
    >>> one = minibatch_gradient_variance((0.0, 0.0), x, y, batch_size=1)   # tr(Σ)
    >>> bool(np.isclose(minibatch_gradient_variance((0.0, 0.0), x, y, batch_size=10), one / 10 * 90 / 99))
    True
    """
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    tr_sigma = float(np.sum(G.var(axis=0)))
    if m == 1:
        return 0.0
    return tr_sigma / k * (m - k) / (m - 1)


def measured_minibatch_variance(
    params: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    batch_size: int,
    *,
    n_batches: int = 2000,
    seed: int = 0,
    loss: LogitLoss | None = None,
) -> float:
    """``E‖ĝ_B - g‖²`` measured over real mini-batches, to set beside the formula.

    Draws batches exactly as :func:`lossviz.train` does --
    :func:`lossviz.minibatch_indices` epoch after epoch from
    ``numpy.random.default_rng(seed)`` -- keeps the full-size ones, and averages
    the squared distance between each batch's mean gradient ``ĝ_B`` and the full
    gradient ``g``. Compare :func:`lossviz.minibatch_gradient_variance`, the
    formula ``tr(Σ)/B · (m - B)/(m - 1)``. Taught in notebook 06 (question 4).

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)`` at which the gradients are taken.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``.
    n_batches : int, default 2000
        How many batches to average over, ``>= 1``.
    seed : int, default 0
    loss : LogitLoss, optional

    Returns
    -------
    float
        The sample mean over ``n_batches`` batches (its relative standard error is
        a few percent for the default).

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> measured = measured_minibatch_variance((0.0, 0.0), x, y, batch_size=10)
    >>> formula = minibatch_gradient_variance((0.0, 0.0), x, y, batch_size=10)
    >>> bool(abs(measured / formula - 1) < 0.1)
    True
    """
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    n_batches = as_int("n_batches", n_batches, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    g = G.mean(axis=0)
    rng = np.random.default_rng(seed)
    per_epoch = m // k  # full-size batches in one epoch
    errors = []
    n = 0
    while n < n_batches:
        order = np.concatenate(minibatch_indices(m, k, rng))[: per_epoch * k]
        means = G[order].reshape(per_epoch, k, 2).mean(axis=1)
        errors.append(np.sum((means - g) ** 2, axis=1))
        n += per_epoch
    return float(np.concatenate(errors)[:n_batches].mean())


# ------------------------------------------------------------------ the noise scale
@dataclass(frozen=True)
class NoiseScale:
    """The pieces of the simple noise scale at one point.

    Attributes
    ----------
    trace_sigma : float
        ``tr(Σ)``: total variance of one sample's gradient.
    grad_sq : float
        ``|G|²``: squared norm of the full-batch gradient of the objective.

    Examples
    --------
    >>> NoiseScale(trace_sigma=2.0, grad_sq=0.5).b_simple
    4.0
    >>> NoiseScale(trace_sigma=2.0, grad_sq=0.0).b_simple   # a stationary point
    inf
    """

    trace_sigma: float
    grad_sq: float

    @property
    def b_simple(self) -> float:
        """``tr(Σ)/|G|²``.

        ``inf`` when ``|G|² = 0`` (a stationary point) or, for an estimate,
        when the estimated ``|G|²`` came out ``<= 0``: the batch noise swamped
        the signal and more batches are needed.
        """
        return self.trace_sigma / self.grad_sq if self.grad_sq > 0 else float("inf")


def _per_sample_grad_stats(
    P: np.ndarray, x: np.ndarray, y: np.ndarray, lam: float, loss: LogitLoss
) -> tuple[np.ndarray, np.ndarray]:
    """``tr Σ`` and ``|G|²`` at each row of ``P`` (``(k, 2)``), vectorised over rows and samples."""
    z = P[:, :1] * x + P[:, 1:2]
    d = loss.dz(y, z)  # (k, m)
    gw, gb = d * x, d
    trace = gw.var(axis=1) + gb.var(axis=1)
    G_w = gw.mean(axis=1) + lam * P[:, 0]
    G_b = gb.mean(axis=1)
    return trace, G_w**2 + G_b**2


def gradient_noise_scale(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, lam: float = 0.0, *, loss: LogitLoss | None = None
) -> NoiseScale:
    """The exact simple noise scale of the training set at ``params``.

    ``Σ`` is the covariance of the ``m`` per-sample gradients (divided by
    ``m``, the training set being the whole population that batches are drawn
    from) and ``G`` their mean plus the penalty's gradient ``(λ·w, 0)``. The
    penalty is the same in every batch, so it adds to ``G`` and not to ``Σ``.

    Parameters
    ----------
    params : (2,) array_like
        ``(w, b)``.
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    NoiseScale
        Its ``b_simple`` is ``tr(Σ)/|G|²``.

    Examples
    --------
    ``tr(Σ)`` is the variance of a one-sample gradient:

    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> ns = gradient_noise_scale((0.0, 0.0), x, y)
    >>> bool(np.isclose(ns.trace_sigma, minibatch_gradient_variance((0.0, 0.0), x, y, batch_size=1)))
    True
    >>> bool(np.isclose(ns.grad_sq, np.sum(lv.gradient((0.0, 0.0), x, y) ** 2)))
    True
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    trace, g2 = _per_sample_grad_stats(p[None, :], x_arr, y_arr, check_lam(lam), check_loss(loss))
    return NoiseScale(trace_sigma=float(trace[0]), grad_sq=float(g2[0]))


def noise_scale_along(
    result: TrainResult, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The exact ``tr(Σ)`` and ``|G|²`` at every point of a training run.

    Parameters
    ----------
    result : TrainResult
        From :func:`lossviz.train` on the same ``x, y`` (its ``lam`` is used).
    x, y : (m,) array_like
    loss : LogitLoss, optional
        The loss the run used.

    Returns
    -------
    trace_sigma : (n_updates + 1,) ndarray
    grad_sq : (n_updates + 1,) ndarray
        ``b_simple`` along the run is ``trace_sigma / grad_sq``.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> run = lv.train(x, y, batch_size=100, lr=1.0, epochs=5)
    >>> trace, g2 = noise_scale_along(run, x, y)
    >>> trace.shape, bool(np.isclose(g2[0], gradient_noise_scale((0.0, 0.0), x, y).grad_sq))
    ((6,), True)
    """
    if not isinstance(result, TrainResult):
        raise TypeError(f"result must be a TrainResult from lossviz.train, got {type(result).__name__}")
    x_arr, y_arr = check_data(x, y)
    return _per_sample_grad_stats(result.params, x_arr, y_arr, result.lam, check_loss(loss))


def _batch_factor(b: float, m: int | None) -> float:
    """``E|G_B - G|² / tr(Σ)``: ``1/B`` with replacement, ``(m - B)/(B(m - 1))`` without."""
    if m is None:
        return 1.0 / b
    return (m - b) / (b * (m - 1))


def noise_scale_from_norms(
    sq_norm_small: float, sq_norm_big: float, b_small: int, b_big: int, *, m: int | None = None
) -> NoiseScale:
    """Unbiased ``tr(Σ)`` and ``|G|²`` from mean squared gradient norms at two batch sizes.

    Appendix A of McCandlish et al. (2018): a batch gradient satisfies
    ``E|G_B|² = |G|² + c(B)·tr(Σ)`` with ``c(B) = 1/B`` for batches drawn with
    replacement. For batches of distinct samples from a finite set of ``m``,
    ``c(B) = (m - B)/(B·(m - 1))``. Two batch sizes give two equations in the
    two unknowns. Their ratio estimates ``B_simple`` (biased, as any ratio is,
    but consistent).

    Parameters
    ----------
    sq_norm_small, sq_norm_big : float
        Mean of ``|G_B|²`` over many batches of size ``b_small`` and ``b_big``.
    b_small, b_big : int
        ``1 <= b_small < b_big``.
    m : int, optional
        Size of the training set when batches hold distinct samples; omit for
        sampling with replacement.

    Returns
    -------
    NoiseScale
        The estimates; either may come out negative when the means are noisy.

    Examples
    --------
    With replacement, ``E|G_B|² = |G|² + tr(Σ)/B``; for ``|G|² = 1`` and ``tr(Σ) = 4``
    the means at ``B = 1`` and ``B = 4`` are 5 and 2:

    >>> noise_scale_from_norms(5.0, 2.0, 1, 4)
    NoiseScale(trace_sigma=4.0, grad_sq=1.0)
    """
    s_small = as_scalar("sq_norm_small", sq_norm_small, minimum=0.0)
    s_big = as_scalar("sq_norm_big", sq_norm_big, minimum=0.0)
    b_small = as_int("b_small", b_small, minimum=1)
    b_big = as_int("b_big", b_big, minimum=b_small + 1)
    if m is not None:
        m = as_int("m", m, minimum=2)
        if b_big > m:
            raise ValueError(f"b_big must be <= m = {m}, got {b_big}")
    c_small, c_big = _batch_factor(b_small, m), _batch_factor(b_big, m)
    trace = (s_small - s_big) / (c_small - c_big)
    return NoiseScale(trace_sigma=float(trace), grad_sq=float(s_big - c_big * trace))


def _random_batches(rng: np.random.Generator, m: int, batch_size: int, n: int) -> np.ndarray:
    """``(n, batch_size)`` indices; each row holds distinct samples."""
    return np.argsort(rng.random((n, m)), axis=1)[:, :batch_size]


def estimate_noise_scale(
    params: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    b_small: int,
    b_big: int,
    n_batches: int = 200,
    seed: int = 0,
    lam: float = 0.0,
    loss: LogitLoss | None = None,
) -> NoiseScale:
    """Estimate the noise scale from batch gradients only, as one would in a large model.

    Draws ``n_batches`` batches of each size (distinct samples within a batch),
    averages ``|G_B|²`` and solves with :func:`noise_scale_from_norms`, using
    only batch gradients -- never the per-sample gradients of the whole set.

    Parameters
    ----------
    params : (2,) array_like
    x, y : (m,) array_like
    b_small, b_big : int
        ``1 <= b_small < b_big <= m``.
    n_batches : int, default 200
    seed : int, default 0
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    NoiseScale

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(200, seed=0)
    >>> est = estimate_noise_scale((0.0, 0.0), x, y, b_small=5, b_big=50, n_batches=2000)
    >>> exact = gradient_noise_scale((0.0, 0.0), x, y)
    >>> bool(0.8 < est.b_simple / exact.b_simple < 1.25)
    True
    """
    p = check_params(params)
    x_arr, y_arr = check_data(x, y)
    m = x_arr.size
    b_small = as_int("b_small", b_small, minimum=1, maximum=m - 1)
    b_big = as_int("b_big", b_big, minimum=b_small + 1, maximum=m)
    n_batches = as_int("n_batches", n_batches, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    rng = np.random.default_rng(seed)
    means = []
    for b in (b_small, b_big):
        idx = _random_batches(rng, m, b, n_batches)
        xb, yb = x_arr[idx], y_arr[idx]
        d = loss_f.dz(yb, p[0] * xb + p[1])
        gw = (d * xb).mean(axis=1) + lam_f * p[0]
        gb = d.mean(axis=1)
        means.append(float(np.mean(gw**2 + gb**2)))
    return noise_scale_from_norms(means[0], means[1], b_small, b_big, m=m)
