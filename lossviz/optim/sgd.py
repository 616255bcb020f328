"""Full-batch gradient descent, mini-batch SGD and online learning, with trajectories.

One function, :func:`train`, covers all three: ``batch_size = m`` is full-batch
gradient descent, ``batch_size = 1`` is online learning and anything between is
mini-batch SGD. Taught in notebook 04. :func:`online_pass` makes the online updates
in an order you choose (notebook 05, question 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validation import as_int, as_scalar
from ..losses import BinaryCrossEntropy, LogitLoss
from ..model import _gradient, _objective_rows, check_data, check_lam, check_loss, check_params

__all__ = ["minibatch_indices", "train", "TrainResult", "OVERFLOW", "online_pass"]

#: A parameter whose magnitude exceeds this has overflowed: the run has diverged.
#: (Past about 1e154 the penalty ``λ/2·w²`` itself overflows double precision.)
OVERFLOW: float = 1e150


def minibatch_indices(m: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The mini-batches of one epoch: a fresh permutation cut into batches.

    Sampling without replacement: every index in ``range(m)`` appears in exactly
    one batch. The batches have ``batch_size`` indices each, in permutation
    order; the last is smaller when ``batch_size`` does not divide ``m``.

    Parameters
    ----------
    m : int
        Number of samples, ``m >= 1``.
    batch_size : int
        ``1 <= batch_size <= m``.
    rng : numpy.random.Generator
        Draws the permutation (one call to ``rng.permutation(m)``).

    Returns
    -------
    list of (k,) ndarray of int
        ``ceil(m / batch_size)`` index arrays.
    """
    m = as_int("m", m, minimum=1)
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {rng!r}")
    perm = rng.permutation(m)
    return [perm[i:i + batch_size] for i in range(0, m, batch_size)]


@dataclass(frozen=True)
class TrainResult:
    """The trajectory of one training run.

    Attributes
    ----------
    params : (n_updates + 1, 2) ndarray
        ``(w, b)`` at the start and after every update.
    costs : (n_updates + 1,) ndarray
        The objective on the whole training set at each of those points.
    diverged_at : int or None
        ``None`` when the run finished. Otherwise ``k``: the ``k``-th update
        (counting from 1) made a parameter non-finite or larger than
        :data:`OVERFLOW` in magnitude, and the run stopped there; ``params``
        then holds the start and the ``k - 1`` finite updates before it.
    batch_sizes : (n_updates,) ndarray of int
        The number of samples each update used.
    batch_size, lr, lam, epochs : the settings of the run.
    """

    params: np.ndarray
    costs: np.ndarray
    diverged_at: int | None
    batch_sizes: np.ndarray
    batch_size: int
    lr: float
    lam: float
    epochs: int

    @property
    def n_updates(self) -> int:
        """Number of updates made (finite ones)."""
        return int(self.params.shape[0] - 1)

    @property
    def examples_seen(self) -> np.ndarray:
        """``(n_updates + 1,)`` samples processed before each point of the trajectory."""
        return np.concatenate([[0], np.cumsum(self.batch_sizes)])

    @property
    def final_params(self) -> np.ndarray:
        """``(2,)`` the last finite parameters."""
        return self.params[-1]

    @property
    def final_cost(self) -> float:
        """The objective at the last finite parameters."""
        return float(self.costs[-1])


def train(x: ArrayLike, y: ArrayLike, *, batch_size: int, lr: float, lam: float = 0.0,
          epochs: int = 1, seed: int = 0, params0: ArrayLike = (0.0, 0.0),
          loss: LogitLoss | None = None) -> TrainResult:
    """Train ``ŷ = σ(w·x + b)`` by mini-batch gradient descent on the objective.

    Each epoch draws ``minibatch_indices(m, batch_size, rng)`` from one
    ``rng = numpy.random.default_rng(seed)`` (so runs replay exactly) and makes
    one update per batch with the batch's mean gradient plus the penalty's:

    ``(w, b) ← (w, b) - lr · [(1/k) Σ_{i∈batch} ∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)]``.

    With ``batch_size = m`` the one batch of every epoch is the whole set, taken
    in its stored order (a permutation would only reorder the sum), so the run
    is plain gradient descent.

    Parameters
    ----------
    x : (m,) array_like of float
    y : (m,) array_like of float in [0, 1]
    batch_size : int
        ``1 <= batch_size <= m``: 1 is online learning, ``m`` full-batch GD.
    lr : float
        Learning rate η > 0.
    lam : float, default 0.0
        L2 strength λ ≥ 0 (``w`` only).
    epochs : int, default 1
        Passes over the data, ``>= 1``.
    seed : int, default 0
        Seed of the batch order.
    params0 : (2,) array_like, default (0, 0)
        Starting ``(w, b)``.
    loss : LogitLoss, optional
        Binary cross-entropy when omitted.

    Returns
    -------
    TrainResult
        A divergent run is reported in ``diverged_at``, never raised, and prints
        no warning.
    """
    x_arr, y_arr = check_data(x, y)
    m = x_arr.size
    batch_size = as_int("batch_size", batch_size, minimum=1, maximum=m)
    lr = as_scalar("lr", lr, minimum=0.0, strict_minimum=True)
    lam = check_lam(lam)
    epochs = as_int("epochs", epochs, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    p0 = check_params(params0, "params0")
    loss_f = check_loss(loss)

    P, diverged_at, batch_sizes = _trajectory(x_arr, y_arr, batch_size, lr, lam, epochs, seed,
                                              p0, loss_f)
    with np.errstate(all="ignore"):
        costs = _objective_rows(P, x_arr, y_arr, lam, loss_f)
    return TrainResult(params=P, costs=costs, diverged_at=diverged_at, batch_sizes=batch_sizes,
                       batch_size=batch_size, lr=lr, lam=lam, epochs=epochs)


def _trajectory(x: np.ndarray, y: np.ndarray, batch_size: int, lr: float, lam: float,
                epochs: int, seed: int, p0: np.ndarray, loss: LogitLoss, *,
                max_updates: int | None = None,
                overflow: float = OVERFLOW) -> tuple[np.ndarray, int | None, np.ndarray]:
    """The parameters of :func:`train`'s run, without the costs; inputs already validated.

    ``max_updates`` stops the run early (the explorer's budget); ``overflow`` is the
    magnitude past which a parameter counts as diverged.

    Returns
    -------
    params : (n_updates + 1, 2) ndarray
    diverged_at : int or None
    batch_sizes : (n_updates,) ndarray of int
    """
    m = x.size
    rng = np.random.default_rng(seed)
    per_epoch = -(-m // batch_size)
    n_max = per_epoch * epochs if max_updates is None else min(per_epoch * epochs, max_updates)
    P = np.empty((n_max + 1, 2))
    P[0] = p0
    w, b = float(p0[0]), float(p0[1])
    k = 0
    diverged_at = None
    sizes = np.diff(np.append(np.arange(0, m, batch_size), m))
    scalar_dz = getattr(loss, "dz_scalar", None) if batch_size == 1 else None
    bce = type(loss) is BinaryCrossEntropy
    buf = np.empty(batch_size)
    with np.errstate(all="ignore"):
        while k < n_max and diverged_at is None:
            if batch_size == m:
                # Every batch is the whole set; a permutation would only reorder the sum.
                xs, ys = x, y
            else:
                # minibatch_indices(m, batch_size, rng) cuts this permutation in order.
                order = rng.permutation(m)
                xs, ys = x[order], y[order]
            if scalar_dz is not None:  # online learning in plain floats: ~20x faster
                ws, bs = [], []
                for xi, yi in zip(xs[:n_max - k].tolist(), ys[:n_max - k].tolist()):
                    d = scalar_dz(yi, w * xi + b)
                    w -= lr * (d * xi + lam * w)
                    b -= lr * d
                    if not (abs(w) <= overflow and abs(b) <= overflow):  # also catches nan
                        diverged_at = k + len(ws) + 1
                        break
                    ws.append(w)
                    bs.append(b)
                P[k + 1:k + 1 + len(ws), 0] = ws
                P[k + 1:k + 1 + len(ws), 1] = bs
                k += len(ws)
                continue
            for start in range(0, m, batch_size):
                if k == n_max:
                    break
                xb = xs[start:start + batch_size]
                yb = ys[start:start + batch_size]
                if bce:  # σ(z) - y in place: a third of the time of the generic dz
                    d = np.multiply(xb, w, out=buf[:xb.size])
                    d += b
                    np.negative(d, out=d)
                    np.exp(d, out=d)  # exp overflows to inf for z < -709: σ = 1/inf = 0, exact
                    d += 1.0
                    np.reciprocal(d, out=d)
                    d -= yb
                else:
                    d = loss.dz(yb, w * xb + b)
                gw = float(np.dot(d, xb)) / d.size + lam * w
                gb = float(d.sum()) / d.size
                w -= lr * gw
                b -= lr * gb
                if not (abs(w) <= overflow and abs(b) <= overflow):  # also catches nan
                    diverged_at = k + 1
                    break
                k += 1
                P[k, 0] = w
                P[k, 1] = b
    batch_sizes = np.tile(sizes, -(-k // per_epoch) if k else 0)[:k]
    return P[:k + 1], diverged_at, batch_sizes


def online_pass(params0: ArrayLike, x: ArrayLike, y: ArrayLike, *, lr: float, lam: float = 0.0,
                loss: LogitLoss | None = None) -> np.ndarray:
    """Online learning over the samples in the order given: one update per sample.

    ``(w, b) ← (w, b) - lr · [∂L⁽ⁱ⁾/∂(w, b) + (λ·w, 0)]`` for ``i = 0, 1, ...`` in
    array order -- the update :func:`lossviz.train` makes with ``batch_size = 1``,
    but in an order you choose (pass ``x[[1, 0]]`` to reverse two samples).
    Taught in notebook 05 (question 2).

    Parameters
    ----------
    params0 : (2,) array_like
        Starting ``(w, b)``.
    x : (n,) array_like of float
    y : (n,) array_like of float in [0, 1]
    lr : float
        η > 0.
    lam : float, default 0.0
    loss : LogitLoss, optional

    Returns
    -------
    (n + 1, 2) ndarray of float64
        ``(w, b)`` at the start and after each sample. Row ``-1`` is the end.
        A run whose parameters stop being finite raises :class:`ValueError`.
    """
    p = check_params(params0, "params0").copy()
    x_arr, y_arr = check_data(x, y)
    lr = as_scalar("lr", lr, minimum=0.0, strict_minimum=True)
    lam_f = check_lam(lam)
    loss_f = check_loss(loss)
    out = np.empty((x_arr.size + 1, 2))
    out[0] = p
    with np.errstate(all="ignore"):
        for i in range(x_arr.size):
            p = p - lr * _gradient(p, x_arr[i:i + 1], y_arr[i:i + 1], lam_f, loss_f)
            out[i + 1] = p
    if not np.all(np.isfinite(out)):
        raise ValueError(f"lr = {lr} is too large: the online updates overflowed")
    return out
