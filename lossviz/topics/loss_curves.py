"""What a training log prints, and how to read it: the mini-batch loss of each step beside the cost ``J``.

A framework's training loop (PyTorch, Keras, ...) computes the loss of the mini-batch it is about to
learn from, logs that number and then updates the parameters. The logged curve is therefore not the
cost ``J`` on the training set: it is one noisy sample of it per step, and it stays noisy even when the
parameters do not move. Taught in notebook 05.

* :func:`training_log` -- a run of :func:`lossviz.train` with the loss each step logs and ``J`` at the
  same parameters;
* :func:`frozen_batch_losses` and :func:`batch_loss_variance` -- the mini-batch loss at fixed
  parameters, over many batches, and the variance it must have;
* :func:`ema` -- exponential moving average, the smoothing of TensorBoard's slider (with its
  de-biasing); :func:`epoch_means` -- the per-epoch mean of the logged losses, which is what Keras
  reports as an epoch's ``loss``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import MAX_ARRAY_SIZE, Boolean, RealArray, validate_params
from ..data import make_churn
from ..losses import LogitLoss
from ..model import check_loss, per_sample_losses
from ..optim.sgd import TrainResult, minibatch_indices, train
from ._checks import (
    FEATURE,
    LABELS,
    LAM,
    LOSS,
    MAX_UPDATES,
    PARAMS,
    SEED,
    array,
    check_pair,
    count,
    positive,
    real,
)

__all__ = ["TrainingLog", "batch_loss_variance", "ema", "epoch_means", "frozen_batch_losses", "training_log"]

#: Most batches :func:`frozen_batch_losses` draws: a million (the lessons draw a few thousand).
MAX_BATCHES: int = 1_000_000


def _example_data() -> dict[str, np.ndarray]:
    x, y = make_churn(60, seed=0)
    return {"x": x, "y": y}


def _check_entries(what: str, n: float, how: str) -> None:
    if not n <= MAX_ARRAY_SIZE:
        raise ValueError(
            f"{what} is {n:.3g} entries, over the limit of {MAX_ARRAY_SIZE} "
            f"(lossviz._constraints.MAX_ARRAY_SIZE): {how}"
        )


@dataclass(frozen=True)
class TrainingLog:
    """A training run as its log shows it, beside the cost on the whole training set.

    Attributes
    ----------
    batch_loss : (n,) ndarray
        What a framework logs at step ``t = 1 ... n``: the mean loss of the mini-batch used by update
        ``t`` (plus the penalty ``λ/2·w²`` when ``λ > 0``), at the parameters *before* that update.
    cost : (n,) ndarray
        The objective on the whole training set at the same parameters: ``run.costs[:-1]``.
    steps_per_epoch : int
        Updates per epoch, ``ceil(m / batch_size)``.
    run : TrainResult
        The run itself (:func:`lossviz.train` with the same arguments).
    """

    batch_loss: np.ndarray
    cost: np.ndarray
    steps_per_epoch: int
    run: TrainResult

    @property
    def steps(self) -> np.ndarray:
        """``(n,)`` the step numbers ``1 ... n``."""
        return np.arange(1, self.batch_loss.size + 1)


def _batch_rows(m: int, batch_size: int, epochs: int, seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The sample indices of each of the first ``n`` updates (padded) and a mask of the real ones."""
    rng = np.random.default_rng(seed)
    per_epoch = -(-m // batch_size)
    idx = np.zeros((per_epoch * epochs, batch_size), dtype=np.intp)
    mask = np.zeros_like(idx, dtype=bool)
    for e in range(epochs):  # one permutation per epoch, as lossviz.train draws them
        batches = [np.arange(m)] if batch_size == m else minibatch_indices(m, batch_size, rng)
        for j, batch in enumerate(batches):
            idx[e * per_epoch + j, : batch.size] = batch
            mask[e * per_epoch + j, : batch.size] = True
    return idx[:n], mask[:n]


@validate_params(
    {
        "x": FEATURE,
        "y": LABELS,
        "batch_size": count(1),
        "lr": positive(),
        "epochs": count(1, MAX_UPDATES, "lossviz.topics._checks.MAX_UPDATES: fewer epochs"),
        "seed": SEED,
        "lam": LAM,
        "params0": PARAMS,
        "loss": LOSS,
    },
    example=_example_data,
)
def training_log(
    x: ArrayLike,
    y: ArrayLike,
    *,
    batch_size: int,
    lr: float,
    epochs: int = 1,
    seed: int = 0,
    lam: float = 0.0,
    params0: ArrayLike = (0.0, 0.0),
    loss: LogitLoss | None = None,
) -> TrainingLog:
    """Train with :func:`lossviz.train` and return what its log would print at every step, beside ``J``.

    The batches are the run's own (one permutation per epoch from ``default_rng(seed)``, as
    :func:`lossviz.minibatch_indices` cuts them); the logged loss of step ``t`` is evaluated at the
    parameters that update ``t`` starts from, as a framework computes it before ``optimizer.step()``.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size, lr, epochs, seed, lam, params0, loss
        As for :func:`lossviz.train`.

    Returns
    -------
    TrainingLog

    Raises
    ------
    ValueError, TypeError
        If an argument is invalid (the message names it), as :func:`lossviz.train` checks them.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> log = lv.loss_curves.training_log(x, y, batch_size=100, lr=0.5, epochs=3)
    >>> bool(np.allclose(log.batch_loss, log.cost))  # one batch is the whole set: the log is J
    True
    >>> log = lv.loss_curves.training_log(x, y, batch_size=10, lr=0.5, epochs=2)
    >>> log.batch_loss.shape, log.steps_per_epoch, round(float(log.batch_loss[0]), 4)  # at (0, 0): log 2
    ((20,), 10, 0.6931)
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    if batch_size > x_arr.size:
        raise ValueError(f"batch_size must be <= m = {x_arr.size}, got {batch_size}")
    per_epoch = -(-x_arr.size // batch_size)
    if per_epoch * epochs > MAX_UPDATES:
        raise ValueError(
            f"epochs x updates per epoch is {epochs} x {per_epoch} = {epochs * per_epoch} updates,"
            f" over the limit of {MAX_UPDATES} (lossviz.topics._checks.MAX_UPDATES):"
            " use fewer epochs or a larger batch_size"
        )
    _check_entries(
        f"the log of {per_epoch * epochs} steps x batch_size {batch_size}",
        float(per_epoch * epochs) * batch_size,
        "use fewer epochs or a smaller batch_size",
    )
    run = train(
        x_arr,
        y_arr,
        batch_size=batch_size,
        lr=lr,
        lam=lam,
        epochs=epochs,
        seed=seed,
        params0=params0,
        loss=loss,
    )
    m = x_arr.size
    n = run.n_updates
    idx, mask = _batch_rows(m, run.batch_size, run.epochs, seed, n)
    before = run.params[:-1]  # the parameters each update starts from
    with np.errstate(over="ignore", invalid="ignore"):
        z = before[:, :1] * x_arr[idx] + before[:, 1:]
        per_sample = check_loss(loss).from_logits(y_arr[idx], z)  # (n, B): each step's batch, elementwise
        logged = np.where(mask, per_sample, 0.0).sum(axis=1) / mask.sum(axis=1)
        logged = logged + 0.5 * lam * before[:, 0] ** 2
    if not np.all(np.isfinite(logged)):
        raise ValueError(
            f"the logged loss overflows double precision (lr = {lr:g}, lam = {lam:g}, params0 ="
            f" {tuple(array(params0).tolist())}): use a smaller lr, lam or params0"
        )
    return TrainingLog(logged, run.costs[:-1].copy(), -(-m // run.batch_size), run)


@validate_params(
    {
        "params": PARAMS,
        "x": FEATURE,
        "y": LABELS,
        "batch_size": count(1),
        "n_batches": count(1, MAX_BATCHES, "lossviz.topics.loss_curves.MAX_BATCHES: draw fewer batches"),
        "seed": SEED,
        "loss": LOSS,
    },
    example=lambda: {**_example_data(), "batch_size": 5},
)
def frozen_batch_losses(
    params: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    batch_size: int,
    *,
    n_batches: int = 1000,
    seed: int = 0,
    loss: LogitLoss | None = None,
) -> np.ndarray:
    """The mini-batch loss at fixed parameters, for ``n_batches`` batches drawn as training draws them.

    Nothing is trained: the parameters stay at ``params``, so every change from one batch to the next
    is the batches' doing. Batches come epoch after epoch from one ``default_rng(seed)``, each epoch a
    fresh permutation cut into batches (:func:`lossviz.minibatch_indices`); the short last batch of an
    epoch is left out, so that every value averages ``batch_size`` samples.

    Parameters
    ----------
    params : (2,) array_like of float
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``.
    n_batches : int, default 1000
    seed : int, default 0
    loss : LogitLoss, optional

    Returns
    -------
    (n_batches,) ndarray
        The mean loss of each batch.

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> values = frozen_batch_losses((1.0, -1.0), x, y, 10, n_batches=500)
    >>> J = float(lv.per_sample_losses((1.0, -1.0), x, y).mean())
    >>> bool(abs(values.mean() - J) < 0.01), bool(values.std() > 0.03)  # right on average, noisy each time
    (True, True)
    """
    p = params
    x_arr, y_arr = check_pair("x", x, "y", y)
    m = x_arr.size
    if batch_size > m:
        raise ValueError(f"batch_size must be <= m = {m}, got {batch_size}")
    rng = np.random.default_rng(seed)
    full = m // batch_size  # whole batches per epoch
    epochs = -(-n_batches // full)
    _check_entries(
        f"{epochs} permutations of m = {m} samples for n_batches = {n_batches}",
        float(epochs) * m,
        "draw fewer batches (n_batches) or use a larger batch_size",
    )
    perms = np.stack([rng.permutation(m) for _ in range(epochs)])  # one permutation per epoch
    idx = perms[:, : full * batch_size].reshape(-1, batch_size)[:n_batches]
    L = per_sample_losses(p, x_arr, y_arr, loss=loss)
    return L[idx].mean(axis=1)


@validate_params(
    {"params": PARAMS, "x": FEATURE, "y": LABELS, "batch_size": count(1), "loss": LOSS},
    example=lambda: {**_example_data(), "batch_size": 5},
)
def batch_loss_variance(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, batch_size: int, *, loss: LogitLoss | None = None
) -> float:
    """The variance of a mini-batch's mean loss at ``params``: ``Var(L) / B · (m - B) / (m - 1)``.

    ``Var(L)`` is the variance of the ``m`` per-sample losses; the factor ``(m - B)/(m - 1)`` is the
    finite-population correction of a batch drawn without replacement (the same formula as the
    gradient's noise in notebook 02, for the loss values).

    Examples
    --------
    >>> import lossviz as lv
    >>> x, y = lv.make_churn(100, seed=0)
    >>> batch_loss_variance((1.0, -1.0), x, y, 100)  # the whole set: no noise
    0.0
    >>> L = lv.per_sample_losses((1.0, -1.0), x, y)
    >>> bool(np.isclose(batch_loss_variance((1.0, -1.0), x, y, 1), L.var()))
    True
    """
    x_arr, y_arr = check_pair("x", x, "y", y)
    m, B = x_arr.size, batch_size
    if m < B:
        raise ValueError(f"batch_size must be <= m = {m}, got {B}")
    L = per_sample_losses(params, x_arr, y_arr, loss=loss)
    if m == 1:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        var = float(L.var())
    if not np.isfinite(var):
        raise ValueError(
            f"params = {tuple(array(params).tolist())} are too large for x: the losses' variance overflows"
            " double precision; use smaller parameters"
        )
    return var / B * (m - B) / (m - 1)


@validate_params(
    {
        "values": RealArray(example_value=[1.0, 2.0, 3.0]),
        "smoothing": real(0.0, 1.0, closed="left"),
        "debias": Boolean(),
    }
)
def ema(values: ArrayLike, smoothing: float = 0.9, *, debias: bool = True) -> np.ndarray:
    """Exponential moving average of a logged curve, as TensorBoard's smoothing slider computes it.

    ``s_t = smoothing · s_{t-1} + (1 - smoothing) · v_t`` from ``s_0 = 0``; with ``debias`` (TensorBoard's
    default) each ``s_t`` is divided by ``1 - smoothing**t``, so the start is not pulled towards 0. The
    average reaches back about ``1 / (1 - smoothing)`` steps: it trails a falling curve by about that
    many. Computed in blocks with numpy (no loop over the steps).

    Parameters
    ----------
    values : (n,) array_like of float
    smoothing : float, default 0.9
        In [0, 1): 0 leaves the curve as it is.
    debias : bool, default True

    Returns
    -------
    (n,) ndarray

    Examples
    --------
    >>> np.round(ema([1.0, 1.0, 1.0], 0.9), 12).tolist()  # de-biased: a constant stays itself
    [1.0, 1.0, 1.0]
    >>> [round(v, 3) for v in ema([1.0, 1.0, 1.0], 0.9, debias=False).tolist()]
    [0.1, 0.19, 0.271]
    >>> ema([2.0, 4.0], 0.0).tolist()
    [2.0, 4.0]
    """
    v, beta = array(values), smoothing
    if beta == 0.0:
        return v.copy()
    out = np.empty_like(v)
    block = 256
    powers = beta ** np.arange(block + 1)
    state = 0.0
    for start in range(0, v.size, block):  # a loop over blocks of steps; inside, one closed form
        chunk = v[start : start + block]
        k = chunk.size
        # s_{start+i} = beta^(i+1)·state + (1 - beta)·sum_{j<=i} beta^(i-j)·v_j: a lower-triangular product
        i, j = np.indices((k, k))
        weights = np.where(j <= i, powers[np.abs(i - j)], 0.0)
        out[start : start + k] = powers[1 : k + 1] * state + (1.0 - beta) * (weights @ chunk)
        state = out[start + k - 1]
    if debias and beta > 0:
        out = out / (1.0 - beta ** np.arange(1, v.size + 1))
    return out


@validate_params(
    {"values": RealArray(example_value=[1.0, 2.0, 3.0, 4.0]), "steps_per_epoch": count(1, MAX_ARRAY_SIZE)},
    example=lambda: {"values": [1.0, 2.0, 3.0, 4.0], "steps_per_epoch": 2},
)
def epoch_means(values: ArrayLike, steps_per_epoch: int) -> np.ndarray:
    """The mean of each epoch's logged values: what Keras reports as an epoch's ``loss``.

    Parameters
    ----------
    values : (n,) array_like of float
        One value per step, e.g. :attr:`TrainingLog.batch_loss`; ``n`` a multiple of
        ``steps_per_epoch``.
    steps_per_epoch : int

    Returns
    -------
    (n // steps_per_epoch,) ndarray

    Examples
    --------
    >>> epoch_means([1.0, 3.0, 5.0, 7.0], 2).tolist()
    [2.0, 6.0]
    """
    v, k = array(values), steps_per_epoch
    if v.size % k:
        raise ValueError(f"values must hold whole epochs of steps_per_epoch = {k} steps, got {v.size} values")
    return v.reshape(-1, k).mean(axis=1)
