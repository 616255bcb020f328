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

import numbers
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import InstanceOf, Interval, arr, validate_params
from .._validation import as_int, check_same_shape
from ..losses import BCE, LogitLoss
from ..model import FEATURE, LABELS, LAM, LOSS, MODEL_ARGS, PARAMS, SAMPLE_ARGS, SEED, finite_or_refuse
from ..model import per_sample_gradients as _per_sample_gradients
from .sgd import TrainResult, _minibatch_indices, train

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

#: Most batch gradients :func:`minibatch_gradients` and :func:`measured_minibatch_variance`
#: draw in one call (a hundred thousand: about a second).
MAX_BATCHES: int = 100_000

#: Most sample indices :func:`estimate_noise_scale` draws at once (``n_batches × m`` per
#: batch size, 160 MB of float64).
MAX_BATCH_DRAWS: int = 20_000_000

_BATCH = Interval(numbers.Integral, 1, None, example_value=2)


def _n_batches(default: int) -> Interval:
    return Interval(
        numbers.Integral,
        1,
        MAX_BATCHES,
        example_value=4,
        ceiling_hint=f"draw fewer batches (lossviz.optim.noise.MAX_BATCHES; the default is {default})",
    )


def per_sample_gradients(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, *, loss: LogitLoss | None
) -> np.ndarray:
    """:func:`lossviz.per_sample_gradients` (validated, finite or refused)."""
    return _per_sample_gradients(params, x, y, loss=loss)


@validate_params({**SAMPLE_ARGS, "batch_size": _BATCH, "n_batches": _n_batches(300), "seed": SEED})
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
    params, x, y = arr(params), arr(x), arr(y)
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    rng = np.random.default_rng(seed)
    per_epoch = m // k  # full-size batches in one epoch
    out: list[np.ndarray] = []
    n = 0
    while n < n_batches:  # the same draws as epoch after epoch of minibatch_indices, kept full-size
        order = np.concatenate(_minibatch_indices(m, k, rng))[: per_epoch * k]
        out.append(G[order].reshape(per_epoch, k, 2).mean(axis=1))
        n += per_epoch
    return np.concatenate(out)[:n_batches]


@validate_params({**SAMPLE_ARGS, "batch_size": _BATCH})
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
    params, x, y = arr(params), arr(x), arr(y)
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    if m == 1:
        return 0.0
    with np.errstate(all="ignore"):
        tr_sigma = float(np.sum(G.var(axis=0)))
    tr_sigma = finite_or_refuse(
        tr_sigma, "the variance of the per-sample gradients", params=params, x=x, loss=loss
    )
    return tr_sigma / k * (m - k) / (m - 1)


@validate_params({**SAMPLE_ARGS, "batch_size": _BATCH, "n_batches": _n_batches(2000), "seed": SEED})
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
    params, x, y = arr(params), arr(x), arr(y)
    G = per_sample_gradients(params, x, y, loss=loss)
    m = G.shape[0]
    k = as_int("batch_size", batch_size, minimum=1, maximum=m)
    g = G.mean(axis=0)
    rng = np.random.default_rng(seed)
    per_epoch = m // k  # full-size batches in one epoch
    errors = []
    n = 0
    while n < n_batches:
        order = np.concatenate(_minibatch_indices(m, k, rng))[: per_epoch * k]
        means = G[order].reshape(per_epoch, k, 2).mean(axis=1)
        with np.errstate(all="ignore"):
            errors.append(np.sum((means - g) ** 2, axis=1))
        n += per_epoch
    with np.errstate(all="ignore"):
        out = float(np.concatenate(errors)[:n_batches].mean())
    return finite_or_refuse(out, "the squared error of the batch gradients", params=params, x=x, loss=loss)


# ------------------------------------------------------------------ the noise scale
@validate_params(
    {"trace_sigma": Interval(numbers.Real, None, None), "grad_sq": Interval(numbers.Real, None, None)},
    nonfinite="b_simple is inf at a stationary point (documented)",
)
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
    with np.errstate(all="ignore"):
        z = P[:, :1] * x + P[:, 1:2]
        d = loss.dz(y, z)  # (k, m)
        gw, gb = d * x, d
        trace = gw.var(axis=1) + gb.var(axis=1)
        G_w = gw.mean(axis=1) + lam * P[:, 0]
        G_b = gb.mean(axis=1)
        g2 = G_w**2 + G_b**2
    for row in np.flatnonzero(~(np.isfinite(trace) & np.isfinite(g2)))[:1]:
        finite_or_refuse(np.nan, "the noise scale's tr(Σ) or |G|²", params=P[row], x=x, lam=lam, loss=loss)
    return trace, g2


@validate_params(MODEL_ARGS)
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
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    trace, g2 = _per_sample_grad_stats(params[None, :], x, y, lam, loss or BCE)
    return NoiseScale(trace_sigma=float(trace[0]), grad_sq=float(g2[0]))


def _a_run() -> TrainResult:
    return train(FEATURE.example(), LABELS.example(), batch_size=5, lr=0.5, epochs=3)


@validate_params(
    {
        "result": InstanceOf(TrainResult, "lossviz.train(x, y, ...)", example_factory=_a_run),
        "x": FEATURE,
        "y": LABELS,
        "loss": LOSS,
    }
)
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
    x, y = arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    return _per_sample_grad_stats(result.params, x, y, result.lam, loss or BCE)


def _batch_factor(b: float, m: int | None) -> float:
    """``E|G_B - G|² / tr(Σ)``: ``1/B`` with replacement, ``(m - B)/(B(m - 1))`` without."""
    if m is None:
        return 1.0 / b
    return (m - b) / (b * (m - 1))


@validate_params(
    {
        "sq_norm_small": Interval(numbers.Real, 0.0, None, example_value=5.0),
        "sq_norm_big": Interval(numbers.Real, 0.0, None, example_value=2.0),
        "b_small": Interval(numbers.Integral, 1, None, example_value=1),
        "b_big": Interval(numbers.Integral, 2, None, example_value=4),
        "m": Interval(numbers.Integral, 2, None, none_ok=True),
    }
)
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
    s_small, s_big = sq_norm_small, sq_norm_big
    b_big = as_int("b_big", b_big, minimum=b_small + 1)
    if m is not None and b_big > m:
        raise ValueError(f"b_big must be <= m = {m}, got {b_big}")
    c_small, c_big = _batch_factor(b_small, m), _batch_factor(b_big, m)
    with np.errstate(all="ignore"):
        trace = (s_small - s_big) / (c_small - c_big)
        grad_sq = s_big - c_big * trace
    if not (np.isfinite(trace) and np.isfinite(grad_sq)):
        raise ValueError(
            f"sq_norm_small = {s_small:g} and sq_norm_big = {s_big:g} are too large for b_small = {b_small}, "
            f"b_big = {b_big}: the estimate overflows double precision"
        )
    return NoiseScale(trace_sigma=float(trace), grad_sq=float(grad_sq))


def _random_batches(rng: np.random.Generator, m: int, batch_size: int, n: int) -> np.ndarray:
    """``(n, batch_size)`` indices; each row holds distinct samples."""
    return np.argsort(rng.random((n, m)), axis=1)[:, :batch_size]


@validate_params(
    {
        "params": PARAMS,
        "x": FEATURE,
        "y": LABELS,
        "b_small": Interval(numbers.Integral, 1, None, example_value=1),
        "b_big": Interval(numbers.Integral, 2, None, example_value=3),
        "n_batches": _n_batches(200),
        "seed": SEED,
        "lam": LAM,
        "loss": LOSS,
    }
)
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
        ``n_batches × m`` at most :data:`MAX_BATCH_DRAWS`.
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
    params, x, y = arr(params), arr(x), arr(y)
    check_same_shape("x", x, "y", y)
    p, x_arr, y_arr, lam_f, loss_f = params, x, y, lam, loss or BCE
    m = x_arr.size
    b_small = as_int("b_small", b_small, minimum=1, maximum=m - 1)
    b_big = as_int("b_big", b_big, minimum=b_small + 1, maximum=m)
    if n_batches * m > MAX_BATCH_DRAWS:
        raise ValueError(
            f"n_batches = {n_batches} batches from {m} samples need {n_batches * m} draws, over the limit of "
            f"{MAX_BATCH_DRAWS} (lossviz.optim.noise.MAX_BATCH_DRAWS): use fewer batches"
        )
    rng = np.random.default_rng(seed)
    means = []
    for b in (b_small, b_big):
        idx = _random_batches(rng, m, b, n_batches)
        xb, yb = x_arr[idx], y_arr[idx]
        with np.errstate(all="ignore"):
            d = loss_f.dz(yb, p[0] * xb + p[1])
            gw = (d * xb).mean(axis=1) + lam_f * p[0]
            gb = d.mean(axis=1)
            mean = float(np.mean(gw**2 + gb**2))
        means.append(
            finite_or_refuse(
                mean, "the batch gradients' squared norm", params=p, x=x_arr, lam=lam_f, loss=loss_f
            )
        )
    return noise_scale_from_norms(means[0], means[1], b_small, b_big, m=m)
