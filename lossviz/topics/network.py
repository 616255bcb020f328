"""The cost landscape of a real network: a small MLP, its slices, its sharpness.

The course's landscapes so far belong to logistic regression: two parameters, one convex bowl. The blog
post's anchor sample, though, comes "after one forward pass through the network". This module gives the
course a network small enough to study completely and large enough not to be a bowl:

* :class:`MLP` -- one hidden layer of ``tanh`` units and a sigmoid output, with its parameters in one flat
  vector (so the optimisers of :mod:`lossviz.optim` can treat it like any other problem);
* :class:`NetworkProblem` -- that network on a data set with an L2 penalty ``λ/2·Σw²`` on the weights (not
  the biases): the mean gradient of the objective by backpropagation (written once, here), the objective
  of many parameter vectors at once, and exact Hessian-vector products (Pearlmutter's R-operator through
  the same backpropagation);
* :func:`make_network_churn` -- churn-like data with three features and a nonlinear true rule;
* the landscape: :func:`filter_normalised_directions` (Li et al. 2018), :func:`trajectory_plane` (the
  principal directions of an optimiser's path), :func:`cost_slice` (a 2-D slice, vectorised),
  :func:`path_window` and :func:`cost_along_segment`;
* its symmetries: :func:`permute_hidden_units` (the same function at another point);
* its sharpness: :func:`full_hessian` (small nets) and :func:`top_hessian_eigenvalue` (power iteration on
  Hessian-vector products);
* the experiment: :func:`compare_batch_sizes` (small against large batches from the same starts, trained
  by the engine :func:`lossviz.optim.sgd.run_sgd`), :func:`polish` (full-batch descent from every end) and
  :func:`describe_endpoints` (sharpness, training objective, held-out cost, gradient norm).

Why ``tanh`` rather than ReLU: the cost is then smooth everywhere, so the Hessian, its top eigenvalue and
every finite-difference check are well defined at every point. With ReLU the cost has kinks wherever a
unit switches on or off for some sample, its second derivative is zero or undefined there, and a unit can
die (switch off for every sample) during training. ``tanh`` is also odd, which adds a second symmetry to
the permutations: flipping the signs of one unit's weights, bias and outgoing weight leaves the function
unchanged.

Taught in lesson ``network_landscape`` (the cost landscape of a real network).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .._constraints import InstanceOf, RealArray, validate_params
from .._kernels import bce_from_logits, sigmoid
from .._validation import _short, as_float_array, as_int, as_scalar, check_in_unit_interval
from ..optim.sgd import run_sgd
from ._checks import MAX_RUNS, MAX_SAMPLES, MAX_UPDATES, SEED, Checked, count, positive, real

__all__ = [
    "MLP",
    "BatchComparison",
    "ChurnFeatures",
    "Endpoints",
    "Layers",
    "NetworkProblem",
    "Sharpness",
    "TrajectoryPlane",
    "compare_batch_sizes",
    "cost_along_segment",
    "cost_slice",
    "describe_endpoints",
    "filter_normalised_directions",
    "format_spread",
    "full_hessian",
    "make_network_churn",
    "path_window",
    "permute_hidden_units",
    "polish",
    "rank_correlation",
    "top_hessian_eigenvalue",
    "trajectory_plane",
]

#: The number of floats one chunk of a forward pass may hold (R·m·h): 2 MiB of float64, about a core's
#: L2 cache. Larger chunks were no faster on the course's machine.
_CHUNK_ELEMENTS = 262_144

FEATURE_NAMES: tuple[str, str, str] = ("monthly bill", "tenure", "support calls")

#: Most points per axis of :func:`path_window` (the landscape modules' ``cost_window`` takes 2000).
MAX_WINDOW: int = 2000

#: Most power iterations of :func:`top_hessian_eigenvalue` (it converges in a few hundred).
MAX_POWER_ITER: int = 100_000

#: Most network evaluations one :func:`cost_slice` or :func:`cost_along_segment` may make
#: (grid points x samples): a 101 x 101 slice on 300 samples is 3e6.
MAX_SLICE_EVALUATIONS: int = 500_000_000

#: Most digits :func:`format_spread` rounds to (past 15 a double has no more).
MAX_DIGITS: int = 15

_ANY_ARRAY = RealArray(ndim=None, example_value=[0.1, 0.2, 0.3])


# --- Data --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ChurnFeatures:
    """A churn data set with three standardised features, split into training and held-out samples.

    Attributes
    ----------
    x_train : (m, 3) ndarray of float
        Training features, standardised with the training set's mean and standard deviation.
    y_train : (m,) ndarray of float in {0, 1}
        Training labels (1 = churned).
    x_held_out : (n, 3) ndarray of float
        Held-out features, standardised with the *training* mean and standard deviation.
    y_held_out : (n,) ndarray of float in {0, 1}
        Held-out labels.
    mean, std : (3,) ndarray of float
        The training set's mean and standard deviation of the raw features (bill in dollars a month,
        tenure in months, support calls in the last quarter).
    feature_names : tuple of str

    Examples
    --------
    >>> data = make_network_churn(m_train=100, m_held_out=20, seed=0)
    >>> data.feature_names
    ('monthly bill', 'tenure', 'support calls')
    >>> bills = data.x_train[:, 0] * data.std[0] + data.mean[0]   # undo the standardisation
    >>> bool(19.999 < bills.min() and bills.max() < 150.001)
    True
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_held_out: np.ndarray
    y_held_out: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    feature_names: tuple[str, ...] = FEATURE_NAMES


def _churn_logit(bill: np.ndarray, tenure: np.ndarray, calls: np.ndarray) -> np.ndarray:
    # New customers react to a high bill, old ones hardly do; a third support call is the turning point.
    return (
        0.3
        + 3.0 * np.tanh((bill - 70.0) / 20.0) * np.exp(-tenure / 12.0)
        + 2.0 * np.tanh(2.0 * (calls - 2.5))
        - 0.04 * tenure
    )


@validate_params(
    {
        "m_train": count(2, MAX_SAMPLES, "lossviz.topics._checks.MAX_SAMPLES: ask for fewer samples"),
        "m_held_out": count(1, MAX_SAMPLES, "lossviz.topics._checks.MAX_SAMPLES: ask for fewer samples"),
        "seed": SEED,
    },
    example=lambda: {"m_train": 40, "m_held_out": 20},
)
def make_network_churn(m_train: int = 300, m_held_out: int = 2000, *, seed: int = 0) -> ChurnFeatures:
    """Churn-like data with three features and a nonlinear true rule, for the network.

    Each customer has a monthly bill (dollars, normal with mean 70 and standard deviation 25, clipped to
    [20, 150]), a tenure (whole months, gamma-distributed with mean 24, clipped to [1, 72]) and a number
    of support calls (Poisson with mean 1.5). The probability of churning is ``σ(z)`` with

    ``z = 0.3 + 3·tanh((bill - 70)/20)·exp(-tenure/12) + 2·tanh(2·(calls - 2.5)) - 0.04·tenure``:

    a high bill drives new customers away but hardly matters after a year or two, and the third support
    call is a turning point. About 22 % churn. No straight line in feature space separates the classes
    as well as the true rule does, so a network has something to learn that logistic regression cannot.
    The features are standardised with the training set's mean and standard deviation (applied to both
    splits).

    Parameters
    ----------
    m_train : int, default 300
        Number of training samples, ``>= 2``.
    m_held_out : int, default 2000
        Number of held-out samples, ``>= 1``.
    seed : int, default 0
        Seed of the ``numpy.random.default_rng`` that draws both splits.

    Returns
    -------
    ChurnFeatures

    Examples
    --------
    >>> data = make_network_churn(m_train=200, m_held_out=50, seed=1)
    >>> data.x_train.shape, data.y_held_out.shape
    ((200, 3), (50,))
    >>> data.x_train.mean(axis=0).round(12) + 0.0, data.x_train.std(axis=0).round(12)
    (array([0., 0., 0.]), array([1., 1., 1.]))
    """
    rng = np.random.default_rng(seed)
    n = m_train + m_held_out
    bill = np.clip(rng.normal(70.0, 25.0, n), 20.0, 150.0)
    tenure = np.clip(np.ceil(rng.gamma(1.5, 16.0, n)), 1.0, 72.0)
    calls = rng.poisson(1.5, n).astype(np.float64)
    y = (rng.random(n) < sigmoid(_churn_logit(bill, tenure, calls))).astype(np.float64)
    raw = np.column_stack([bill, tenure, calls])
    mean, std = raw[:m_train].mean(axis=0), raw[:m_train].std(axis=0)
    if np.any(std == 0):
        raise ValueError(f"m_train={m_train} is too small: a feature is constant on the training set")
    x = (raw - mean) / std
    return ChurnFeatures(x[:m_train], y[:m_train], x[m_train:], y[m_train:], mean, std)


# --- The network ------------------------------------------------------------------------------------


class Layers(NamedTuple):
    """The parameters of ``R`` networks, unflattened (views of the flat array where possible).

    Examples
    --------
    >>> net = MLP(n_inputs=3, n_hidden=4)
    >>> layers = net.unflatten(net.init_params(seed=[0, 1]))
    >>> [a.shape for a in layers]
    [(2, 4, 3), (2, 4), (2, 4), (2,)]
    >>> bool((net.flatten(layers) == net.init_params(seed=[0, 1])).all())
    True
    """

    W1: np.ndarray
    """``(R, h, d)``: row ``j`` holds hidden unit ``j``'s incoming weights."""
    b1: np.ndarray
    """``(R, h)``: the hidden units' biases."""
    w2: np.ndarray
    """``(R, h)``: the output unit's weights."""
    b2: np.ndarray
    """``(R,)``: the output unit's bias."""


#: Most parameters an :class:`MLP` may have (its Hessian is then 8 TB: the course's have 11 to 21).
MAX_NETWORK_PARAMS: int = 100_000


@validate_params(
    {
        "n_inputs": count(1, MAX_NETWORK_PARAMS, "lossviz.topics.network.MAX_NETWORK_PARAMS: fewer inputs"),
        "n_hidden": count(1, MAX_NETWORK_PARAMS, "lossviz.topics.network.MAX_NETWORK_PARAMS: fewer units"),
    },
    example=lambda: {"n_inputs": 3, "n_hidden": 2},
)
@dataclass(frozen=True)
class MLP:
    """A one-hidden-layer network ``z = w₂·tanh(W₁x + b₁) + b₂``, ``ŷ = σ(z)``, with flat parameters.

    The flat parameter vector of length ``p = h·d + 2h + 1`` is, in order: ``W₁`` row by row (hidden unit
    ``j``'s ``d`` incoming weights are entries ``j·d … j·d + d - 1``), ``b₁`` (``h``), ``w₂`` (``h``) and
    ``b₂``. Every method takes one vector ``(p,)`` or ``R`` of them ``(R, p)``.

    Parameters
    ----------
    n_inputs : int
        ``d``, the number of features, ``>= 1``.
    n_hidden : int
        ``h``, the number of hidden units, ``>= 1``.

    Examples
    --------
    >>> net = MLP(n_inputs=3, n_hidden=4)
    >>> net.n_params
    21
    >>> params = net.init_params(seed=0)
    >>> net.unflatten(params).W1.shape
    (1, 4, 3)
    >>> net.logits(params, np.zeros((2, 3)))   # all biases start at 0
    array([[0., 0.]])
    """

    n_inputs: int
    n_hidden: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_inputs", as_int("n_inputs", self.n_inputs, minimum=1))
        object.__setattr__(self, "n_hidden", as_int("n_hidden", self.n_hidden, minimum=1))
        if self.n_params > MAX_NETWORK_PARAMS:
            raise ValueError(
                f"n_inputs = {self.n_inputs} and n_hidden = {self.n_hidden} give {self.n_params} parameters,"
                f" over the limit of {MAX_NETWORK_PARAMS} (lossviz.topics.network.MAX_NETWORK_PARAMS):"
                " use fewer inputs or hidden units"
            )

    @property
    def n_params(self) -> int:
        """``p = h·d + 2h + 1``."""
        return self.n_hidden * self.n_inputs + 2 * self.n_hidden + 1

    def _slices(self) -> tuple[slice, slice, slice]:
        h, d = self.n_hidden, self.n_inputs
        return slice(0, h * d), slice(h * d, h * d + h), slice(h * d + h, h * d + 2 * h)

    @property
    def weight_mask(self) -> np.ndarray:
        """``(p,)`` bool: ``True`` for the weights (penalised by ``λ``), ``False`` for the biases."""
        s_w1, _, s_w2 = self._slices()
        mask = np.zeros(self.n_params, dtype=bool)
        mask[s_w1] = True
        mask[s_w2] = True
        return mask

    @property
    def filters(self) -> tuple[np.ndarray, ...]:
        """The weight blocks of each unit ("filters" in Li et al. 2018), as index arrays into ``params``.

        One block per hidden unit (its ``d`` incoming weights) and one for the output unit (its ``h``
        incoming weights). Biases belong to no block.
        """
        h, d = self.n_hidden, self.n_inputs
        blocks = [np.arange(j * d, (j + 1) * d) for j in range(h)]
        blocks.append(np.arange(h * d + h, h * d + 2 * h))
        return tuple(blocks)

    def check_params(self, params: ArrayLike, name: str = "params") -> np.ndarray:
        """``params`` as a finite float array of shape ``(p,)`` or ``(R, p)``, or raise naming ``name``."""
        arr = as_float_array(name, params, ndim=None)
        if arr.ndim not in (1, 2) or arr.shape[-1] != self.n_params:
            raise ValueError(
                f"{name} must have shape ({self.n_params},) or (R, {self.n_params}) for "
                f"{self!r}, got shape {arr.shape}"
            )
        return arr

    def unflatten(self, params: ArrayLike) -> Layers:
        """Split ``(p,)`` or ``(R, p)`` parameters into :class:`Layers` (always with the leading ``R``)."""
        P = np.atleast_2d(self.check_params(params))
        return self._unflatten(P)

    def _unflatten(self, P: np.ndarray) -> Layers:
        s_w1, s_b1, s_w2 = self._slices()
        R = P.shape[0]
        return Layers(P[:, s_w1].reshape(R, self.n_hidden, self.n_inputs), P[:, s_b1], P[:, s_w2], P[:, -1])

    def flatten(self, layers: Layers) -> np.ndarray:
        """The inverse of :meth:`unflatten`: ``(R, p)`` from :class:`Layers` with a leading ``R``."""
        W1, b1, w2, b2 = (np.asarray(a, dtype=np.float64) for a in layers)
        R, h, d = W1.shape[0], self.n_hidden, self.n_inputs
        expected = [(R, h, d), (R, h), (R, h), (R,)]
        if [W1.shape, b1.shape, w2.shape, b2.shape] != expected:
            raise ValueError(
                f"layers must have shapes {expected} for {self!r}, got "
                f"{[W1.shape, b1.shape, w2.shape, b2.shape]}"
            )
        return np.concatenate(
            [W1.reshape(R, -1), b1.reshape(R, -1), w2.reshape(R, -1), b2.reshape(R, 1)], axis=1
        )

    def init_params(self, seed: int | Sequence[int] = 0) -> np.ndarray:
        """Random starting parameters: LeCun-normal weights (suited to ``tanh``), zero biases.

        ``W₁ ~ N(0, 1/d)``, ``w₂ ~ N(0, 1/h)``, ``b₁ = 0``, ``b₂ = 0``.

        Parameters
        ----------
        seed : int or sequence of int
            One ``numpy.random.default_rng(seed)`` per vector.

        Returns
        -------
        (p,) ndarray for one seed, (R, p) for a sequence of ``R`` seeds.
        """
        if isinstance(seed, (list, tuple, range, np.ndarray)):
            seeds = [as_int("seed", s, minimum=0) for s in seed]
            if not seeds:
                raise ValueError("seed must not be an empty sequence")
            return np.stack([self.init_params(s) for s in seeds])
        rng = np.random.default_rng(as_int("seed", seed, minimum=0))
        h, d = self.n_hidden, self.n_inputs
        W1 = rng.normal(0.0, 1.0 / np.sqrt(d), size=(1, h, d))
        w2 = rng.normal(0.0, 1.0 / np.sqrt(h), size=(1, h))
        return self.flatten(Layers(W1, np.zeros((1, h)), w2, np.zeros(1)))[0]

    def check_features(self, x: ArrayLike, name: str = "x") -> np.ndarray:
        """``x`` as a finite ``(m, d)`` float array, or raise naming ``name``."""
        arr = as_float_array(name, x, ndim=2)
        if arr.shape[1] != self.n_inputs:
            raise ValueError(f"{name} must have {self.n_inputs} columns (n_inputs), got shape {arr.shape}")
        return arr

    def logits(self, params: ArrayLike, x: ArrayLike) -> np.ndarray:
        """The output logits ``z`` of ``R`` networks on ``m`` samples.

        Parameters
        ----------
        params : (p,) or (R, p) array_like of float
        x : (m, d) array_like of float

        Returns
        -------
        (R, m) ndarray of float64 (``R = 1`` for one parameter vector)
        """
        P = np.atleast_2d(self.check_params(params))
        return _forward(self._unflatten(P), self.check_features(x).T)[1]


def _forward(L: Layers, XT: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # XT is (d, m), shared by every run, or (R, d, k): the samples as columns. Returns the hidden activations
    # A (R, h, m) and the logits z (R, m). Samples run along the last, contiguous axis, so the bias is added
    # along long rows (broadcasting along an axis of length h = 4 is several times slower).
    Z = L.W1 @ XT
    Z += L.b1[:, :, None]
    A = np.tanh(Z, out=Z)
    z = (L.w2[:, None, :] @ A)[:, 0, :]
    z += L.b2[:, None]
    return A, z


def _dz(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    # ∂L/∂z in the stable form (1 - y)·σ(z) - y·σ(-z): no cancellation at confident logits.
    return (1.0 - y) * sigmoid(z) - y * sigmoid(-z)


# --- The problem: network + data + penalty ------------------------------------------------------------


def _example_network_data() -> dict[str, object]:
    data = make_network_churn(m_train=40, m_held_out=20, seed=0)
    return {"mlp": MLP(3, 2), "x": data.x_train, "y": data.y_train}


@validate_params(
    {
        "mlp": InstanceOf(MLP, "MLP(3, 2)", example_factory=lambda: MLP(3, 2)),
        "x": RealArray(ndim=2, example_value=[[0.1, 0.2, 0.3], [0.3, 0.1, 0.2]]),
        "y": RealArray(lo=0.0, hi=1.0, example_value=[0.0, 1.0]),
        "lam": real(0.0, None),
    },
    example=_example_network_data,
)
@dataclass(frozen=True, eq=False)
class NetworkProblem:
    """An :class:`MLP` on a data set: objective ``J(θ) + λ/2·Σ w²`` (weights only), its gradient and HVPs.

    ``J`` is the mean binary cross-entropy from logits (the course's stable kernel). The class satisfies
    the engine's ``BatchProblem`` protocol (:mod:`lossviz.optim`): :attr:`m`, :attr:`n_params`,
    :meth:`batch_gradients` and :meth:`objective_rows`.

    Parameters
    ----------
    mlp : MLP
    x : (m, d) array_like of float
    y : (m,) array_like of float in [0, 1]
    lam : float, default 0.0
        ``λ >= 0``. A held-out cost is the objective of a problem on held-out data with ``lam=0``.

    Examples
    --------
    >>> data = make_network_churn(m_train=50, m_held_out=10, seed=0)
    >>> problem = NetworkProblem(MLP(3, 2), data.x_train, data.y_train, lam=0.01)
    >>> problem.m, problem.n_params
    (50, 11)
    >>> params = problem.mlp.init_params([0, 1])                    # two networks at once
    >>> problem.objective_rows(params).shape, problem.batch_gradients(params, None).shape
    ((2,), (2, 11))
    """

    mlp: MLP
    x: np.ndarray
    y: np.ndarray
    lam: float = 0.0
    _xT: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.mlp, MLP):
            raise TypeError(f"mlp must be an MLP, got {_short(self.mlp)}")
        x = self.mlp.check_features(self.x)
        y = as_float_array("y", self.y)
        if y.shape != (x.shape[0],):
            raise ValueError(f"y must have shape ({x.shape[0]},) to match x, got shape {y.shape}")
        check_in_unit_interval("y", y)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "lam", as_scalar("lam", self.lam, minimum=0.0))
        object.__setattr__(self, "_xT", np.ascontiguousarray(x.T))  # (d, m): samples as columns

    @property
    def m(self) -> int:
        """Number of samples."""
        return int(self.y.size)

    @property
    def n_params(self) -> int:
        """``p``, the length of a parameter vector."""
        return self.mlp.n_params

    def _rows(self, params: ArrayLike, name: str = "params") -> np.ndarray:
        P = self.mlp.check_params(params, name)
        if P.ndim != 2:
            raise ValueError(f"{name} must have shape (R, {self.n_params}), got shape {P.shape}")
        return P

    def _chunk(self, n_samples: int) -> int:
        return max(1, _CHUNK_ELEMENTS // (n_samples * self.mlp.n_hidden))

    # The engine's protocol ------------------------------------------------------------------------------

    def batch_gradients(self, params: ArrayLike, batches: ArrayLike | None) -> np.ndarray:
        """Each run's mean gradient of the objective over its batch, by backpropagation.

        For run ``r`` with batch ``B_r`` of ``k`` samples: ``(1/k) Σ_{i∈B_r} ∇L⁽ⁱ⁾(θ_r) + λ·(W₁, 0, w₂, 0)``.

        Parameters
        ----------
        params : (R, p) array_like of float
        batches : (R, k) array_like of int, or None
            Indices into the training set, one row per run; ``None`` uses all ``m`` samples.

        Returns
        -------
        (R, p) ndarray of float64

        Examples
        --------
        At a point where every logit is 0 the gradient of ``b₂`` is the mean of ``σ(0) - y = 0.5 - y``:

        >>> problem = NetworkProblem(MLP(1, 1), [[0.0], [1.0]], [1.0, 1.0])
        >>> problem.batch_gradients(np.zeros((1, 4)), None)
        array([[ 0. ,  0. ,  0. , -0.5]])
        """
        P = self._rows(params)
        if batches is None:
            return self._gradients(P, self._xT, self.y[None, :])
        idx = np.asarray(batches)
        if idx.ndim != 2 or idx.shape[0] != P.shape[0] or idx.dtype.kind not in "iu":
            raise ValueError(
                f"batches must be an integer array of shape ({P.shape[0]}, k), got "
                f"{_short(batches)} with shape {idx.shape}"
            )
        if idx.size and (idx.min() < 0 or idx.max() >= self.m):
            raise ValueError(
                f"batches must hold indices in [0, {self.m}), got values from {idx.min()} to {idx.max()}"
            )
        return self._gradients(P, self.x[idx].transpose(0, 2, 1), self.y[idx])

    def _gradients(self, P: np.ndarray, XT: np.ndarray, Y: np.ndarray) -> np.ndarray:
        # Backpropagation, the one copy in the package. XT (d, m) or (R, d, k); Y (1, m) or (R, k).
        L = self.mlp._unflatten(P)
        A, z = _forward(L, XT)
        g = _dz(Y, z) / z.shape[1]  # ∂(mean loss)/∂z, (R, k)
        d_w2 = (A @ g[:, :, None])[:, :, 0]  # (R, h)
        d_b2 = g.sum(axis=1)
        d_Z1 = L.w2[:, :, None] * (1.0 - A * A) * g[:, None, :]  # back through w₂ and tanh, (R, h, k)
        d_W1 = d_Z1 @ XT.swapaxes(-1, -2)  # (R, h, d)
        d_b1 = d_Z1.sum(axis=2)
        grad = self.mlp.flatten(Layers(d_W1, d_b1, d_w2, d_b2))
        if self.lam:
            grad += self.lam * P * self.mlp.weight_mask
        return grad

    def objective_rows(self, params: ArrayLike) -> np.ndarray:
        """The objective on the whole data set for each of ``n`` parameter vectors.

        Chunked over the rows so that no intermediate array holds more than about 262,000 floats (2 MiB).

        Parameters
        ----------
        params : (n, p) array_like of float

        Returns
        -------
        (n,) ndarray of float64

        Examples
        --------
        With every parameter 0 each logit is 0 and each loss is ``log 2``:

        >>> problem = NetworkProblem(MLP(2, 3), [[1.0, 2.0], [3.0, 4.0]], [0.0, 1.0], lam=0.5)
        >>> problem.objective_rows(np.zeros((2, 13))).round(6)
        array([0.693147, 0.693147])
        """
        P = self._rows(params)
        out = np.empty(P.shape[0])
        step = self._chunk(self.m)
        mask = self.mlp.weight_mask
        for start in range(0, P.shape[0], step):
            rows = P[start : start + step]
            _, z = _forward(self.mlp._unflatten(rows), self._xT)
            out[start : start + step] = bce_from_logits(self.y, z).mean(axis=1)
        if self.lam:
            out += 0.5 * self.lam * np.sum((P * mask) ** 2, axis=1)
        return out

    # Curvature ------------------------------------------------------------------------------------------

    def hessian_vector_products(self, params: ArrayLike, vectors: ArrayLike) -> np.ndarray:
        """``H(θ_r)·v_r`` for each run: exact Hessian-vector products of the full-data objective.

        Pearlmutter's R-operator (1994): the directional derivative ``d/dε ∇(θ + εv)`` at ``ε = 0``,
        propagated through the same forward pass and backpropagation as :meth:`batch_gradients`. Exact up
        to rounding (no step size), at the cost of about two gradients.

        Parameters
        ----------
        params : (R, p) array_like of float
        vectors : (R, p) array_like of float

        Returns
        -------
        (R, p) ndarray of float64

        Examples
        --------
        The penalty alone contributes ``λ`` on the weights and nothing on the biases:

        >>> problem = NetworkProblem(MLP(1, 1), [[0.0]], [0.5], lam=2.0)
        >>> problem.hessian_vector_products(np.zeros((1, 4)), np.ones((1, 4)))
        array([[2.  , 0.  , 2.  , 0.25]])
        """
        P = self._rows(params)
        V = self._rows(vectors, "vectors")
        if V.shape != P.shape:
            raise ValueError(f"vectors must have the shape of params {P.shape}, got {V.shape}")
        out = np.empty_like(P)
        step = self._chunk(self.m)
        for start in range(0, P.shape[0], step):
            sl = slice(start, start + step)
            out[sl] = self._hvp(P[sl], V[sl])
        if self.lam:
            out += self.lam * V * self.mlp.weight_mask
        return out

    def _hvp(self, P: np.ndarray, V: np.ndarray) -> np.ndarray:
        # The R-operator R{·} = d/dε (·)(θ + εv) at ε = 0, applied to every line of _forward and _gradients.
        L, dL = self.mlp._unflatten(P), self.mlp._unflatten(V)
        XT, Y = self._xT, self.y[None, :]
        A, z = _forward(L, XT)  # A (R, h, m), z (R, m)
        S = 1.0 - A * A  # tanh'
        rA = S * (dL.W1 @ XT + dL.b1[:, :, None])  # R{A}
        rz = (L.w2[:, None, :] @ rA)[:, 0, :] + (dL.w2[:, None, :] @ A)[:, 0, :] + dL.b2[:, None]
        m = z.shape[1]
        g = _dz(Y, z) / m  # as in _gradients
        rg = sigmoid(z) * sigmoid(-z) * rz / m  # R{g} = ∂²L/∂z² · R{z} / m
        r_w2 = (A @ rg[:, :, None])[:, :, 0] + (rA @ g[:, :, None])[:, :, 0]
        r_b2 = rg.sum(axis=1)
        dA = L.w2[:, :, None] * g[:, None, :]
        r_dA = L.w2[:, :, None] * rg[:, None, :] + dL.w2[:, :, None] * g[:, None, :]
        r_dZ1 = r_dA * S - 2.0 * dA * A * rA  # R{dA·S}, with R{S} = -2A·R{A}
        r_W1 = r_dZ1 @ XT.T
        r_b1 = r_dZ1.sum(axis=2)
        return self.mlp.flatten(Layers(r_W1, r_b1, r_w2, r_b2))


# --- Directions and slices ----------------------------------------------------------------------------


def _example_problem(held_out: bool = False) -> NetworkProblem:
    data = make_network_churn(m_train=40, m_held_out=20, seed=0)
    if held_out:
        return NetworkProblem(MLP(3, 2), data.x_held_out, data.y_held_out)
    return NetworkProblem(MLP(3, 2), data.x_train, data.y_train, lam=0.01)


PROBLEM = InstanceOf(NetworkProblem, "NetworkProblem(MLP(3, 2), x, y)", example_factory=_example_problem)
HELD_OUT = InstanceOf(
    NetworkProblem,
    "NetworkProblem(MLP(3, 2), x_held_out, y_held_out)",
    example_factory=lambda: _example_problem(True),
)
NET = InstanceOf(MLP, "MLP(3, 2)", example_factory=lambda: MLP(3, 2))
_PARAMS = RealArray(ndim=None, example_value=[0.1] * 11)


def _checked_as_is(name: str, value: object) -> object:
    RealArray(example_value=[1, 0])(name, value)  # refuses strings, None, nan, ...; the value keeps its ints
    return value


_CHECKED_AS_IS = Checked(
    _checked_as_is,
    "a permutation of range(n_hidden)",
    example_factory=lambda: [1, 0],
    bad=(("a string", "10"),),
)


def _example_params() -> dict[str, object]:
    return {"params": MLP(3, 2).init_params(0)}


@validate_params(
    {"mlp": NET, "params": _PARAMS, "n_directions": count(1, 1000), "seed": SEED}, example=_example_params
)
def filter_normalised_directions(
    mlp: MLP, params: ArrayLike, *, n_directions: int = 2, seed: int = 0
) -> np.ndarray:
    """Random directions scaled filter by filter to the parameters (Li et al. 2018, section 4).

    Each direction starts as a standard normal vector; then every filter block (a unit's incoming weights,
    see :attr:`MLP.filters`) is rescaled to have the norm of the same block of ``params``:
    ``d_j ← d_j / ‖d_j‖ · ‖θ_j‖``. The bias entries are set to 0, as in the authors' published scripts
    (``--xignore biasbn``): the slice moves the weights only. A step of 1 along such a direction changes
    every unit by as much as its weights are long, so slices of networks with differently scaled weights
    can be compared.

    Parameters
    ----------
    mlp : MLP
    params : (p,) array_like of float
        The centre of the slice, usually a minimum found by training.
    n_directions : int, default 2
    seed : int, default 0
        Seed of the ``numpy.random.default_rng`` that draws the directions.

    Returns
    -------
    (n_directions, p) ndarray of float64

    Examples
    --------
    >>> net = MLP(3, 4)
    >>> theta = net.init_params(seed=0)
    >>> d = filter_normalised_directions(net, theta, seed=1)
    >>> block = net.filters[0]
    >>> bool(np.isclose(np.linalg.norm(d[0, block]), np.linalg.norm(theta[block])))
    True
    >>> float(np.abs(d[:, ~net.weight_mask]).max())   # biases are not moved
    0.0
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {_short(mlp)}")
    theta = mlp.check_params(params)
    if theta.ndim != 1:
        raise ValueError(f"params must have shape ({mlp.n_params},), got shape {theta.shape}")
    rng = np.random.default_rng(seed)
    raw = rng.standard_normal((n_directions, mlp.n_params))
    out = np.zeros_like(raw)
    for block in mlp.filters:  # a handful of blocks, each vectorised over directions
        norms = np.linalg.norm(raw[:, block], axis=1, keepdims=True)
        out[:, block] = raw[:, block] / norms * np.linalg.norm(theta[block])
    return out


class TrajectoryPlane(NamedTuple):
    """The plane of an optimiser's path's first two principal directions (:func:`trajectory_plane`).

    Examples
    --------
    >>> path = np.array([[2.0, 1.0, 0.0], [1.0, 0.5, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> plane = trajectory_plane(path)
    >>> plane.centre, plane.coords.shape
    (array([0., 0., 0.]), (4, 2))
    >>> bool(np.allclose(plane.lift(plane.coords), path))   # a path in the plane lifts back exactly
    True
    """

    centre: np.ndarray
    """``(p,)``: the path's last point, the origin of the plane."""
    directions: np.ndarray
    """``(2, p)``: orthonormal principal directions."""
    coords: np.ndarray
    """``(n, 2)``: each point of the path projected into the plane, ``(θ_t - centre)·directions``."""
    explained: np.ndarray
    """``(2,)``: the fraction of the path's variance along each direction."""

    def lift(self, coords: ArrayLike) -> np.ndarray:
        """``(n, p)``: the points at plane coordinates ``c`` ``(n, 2)``, ``centre + c @ directions``.

        ``lift(plane.coords)`` is the path as the plane shows it; the path itself leaves the plane.
        """
        c = as_float_array("coords", coords, ndim=2)
        if c.shape[1] != 2:
            raise ValueError(f"coords must have shape (n, 2), got {c.shape}")
        return self.centre + c @ self.directions


@validate_params(
    {"path": RealArray(ndim=2, example_value=[[0.0, 0.0, 0.0], [1.0, 0.5, 0.0], [2.0, 0.0, 1.0]])}
)
def trajectory_plane(path: ArrayLike) -> TrajectoryPlane:
    """The first two principal directions of a path through parameter space, and the path projected.

    As in Li et al. (2018, section 7): the rows of ``M = [θ₀ - θ_n, …, θ_{n-1} - θ_n]`` are centred and their
    two leading right singular vectors are the directions (the principal components of the path); each
    point's coordinates are its offset from the last point, ``θ_t - θ_n``, projected onto them, so the path
    ends at the origin. ``explained`` is each direction's share of the path's total variance; what is left
    (``1 - explained.sum()``) is how far the path leaves the plane.

    Parameters
    ----------
    path : (n, p) array_like of float
        ``n >= 3`` points, e.g. ``result.params[:, r]`` of one run.

    Returns
    -------
    TrajectoryPlane

    Examples
    --------
    A path that moves along the first axis, then the second, lies in their plane:

    >>> t = np.linspace(0, 1, 5)
    >>> path = np.zeros((10, 3))
    >>> path[:5, 0], path[5:, 0], path[5:, 1] = 1 - t, 0.0, t
    >>> plane = trajectory_plane(path)
    >>> plane.explained.sum().round(12)
    np.float64(1.0)
    >>> np.abs(plane.directions[:, 2]).max().round(12)
    np.float64(0.0)
    """
    P = as_float_array("path", path, ndim=2)
    if P.shape[0] < 3:
        raise ValueError(f"path must have at least 3 points, got shape {P.shape}")
    offsets = P - P[-1]
    _, s, vt = np.linalg.svd(offsets - offsets.mean(axis=0), full_matrices=False)
    total = float(np.sum(s**2))
    if total == 0.0:
        raise ValueError("path must move: all its points are equal")
    directions = vt[:2]
    if directions.shape[0] < 2:
        raise ValueError(f"path must have at least 2 parameters, got shape {P.shape}")
    # A sign convention, so the plane does not flip between runs of numpy: the path starts at positive coords.
    signs = np.where(offsets[0] @ directions.T < 0, -1.0, 1.0)
    directions = directions * signs[:, None]
    return TrajectoryPlane(P[-1].copy(), directions, offsets @ directions.T, s[:2] ** 2 / total)


@validate_params(
    {
        "coords": RealArray(shape=(None, 2), example_value=[[0.0, 0.0], [1.0, 2.0]]),
        "n": count(2, MAX_WINDOW, "lossviz.topics.network.MAX_WINDOW: fewer points per axis"),
        "margin": real(0.0, 100.0),
    }
)
def path_window(coords: ArrayLike, *, n: int = 51, margin: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Grid steps for a slice that frames a projected path, with a margin on every side.

    Parameters
    ----------
    coords : (k, 2) array_like of float
        ``TrajectoryPlane.coords``.
    n : int, default 51
        Grid points per axis, ``>= 2``.
    margin : float, default 0.2
        Extra room on each side, as a fraction of the path's extent along that axis, ``>= 0``.

    Returns
    -------
    alphas, betas : (n,) ndarray of float

    Examples
    --------
    >>> a, b = path_window([[0, 0], [1, 2]], n=3, margin=0.5)
    >>> a, b
    (array([-0.5,  0.5,  1.5]), array([-1.,  1.,  3.]))
    """
    c = as_float_array("coords", coords, ndim=2)
    if c.shape[1] != 2:
        raise ValueError(f"coords must have shape (k, 2), got {c.shape}")
    lo, hi = c.min(axis=0), c.max(axis=0)
    pad = margin * np.where(hi > lo, hi - lo, 1.0)
    return np.linspace(lo[0] - pad[0], hi[0] + pad[0], n), np.linspace(lo[1] - pad[1], hi[1] + pad[1], n)


def _check_evaluations(what: str, n_points: int, problem: NetworkProblem) -> None:
    work = n_points * problem.m
    if work > MAX_SLICE_EVALUATIONS:
        raise ValueError(
            f"{what} is {n_points} points x m = {problem.m} samples = {work} network evaluations,"
            f" over the limit of {MAX_SLICE_EVALUATIONS} (lossviz.topics.network.MAX_SLICE_EVALUATIONS):"
            " use a coarser grid"
        )


def _too_far(names: str) -> ValueError:
    return ValueError(f"{names} reach parameters past float range: use smaller values")


def _finite(values: np.ndarray, names: str) -> np.ndarray:
    if not np.all(np.isfinite(values)):
        raise ValueError(f"the objective overflows at the parameters {names} reach: use smaller values")
    return values


def _check_problem(problem: object) -> NetworkProblem:
    if not isinstance(problem, NetworkProblem):
        raise TypeError(f"problem must be a NetworkProblem, got {_short(problem)}")
    return problem


def _centre(problem: NetworkProblem, params: ArrayLike, name: str) -> np.ndarray:
    theta = problem.mlp.check_params(params, name)
    if theta.ndim != 1:
        raise ValueError(f"{name} must have shape ({problem.n_params},), got shape {theta.shape}")
    return theta


@validate_params(
    {
        "problem": PROBLEM,
        "centre": _PARAMS,
        "directions": RealArray(ndim=2, example_value=[[0.1] * 11, [0.0, 0.1] + [0.0] * 9]),
        "alphas": RealArray(max_size=MAX_WINDOW, example_value=[-1.0, 0.0, 1.0]),
        "betas": RealArray(max_size=MAX_WINDOW, example_value=[-1.0, 0.0, 1.0]),
    }
)
def cost_slice(
    problem: NetworkProblem, centre: ArrayLike, directions: ArrayLike, alphas: ArrayLike, betas: ArrayLike
) -> np.ndarray:
    """The objective on a 2-D slice ``θ(α, β) = centre + α·d₁ + β·d₂`` of parameter space.

    Every grid point is a full forward pass over the problem's data. The grid is processed in chunks of
    rows (so memory stays bounded however fine the grid): each chunk's parameter vectors are stacked into
    one array and evaluated together by :meth:`NetworkProblem.objective_rows`. There is no Python loop
    over grid points.

    Parameters
    ----------
    problem : NetworkProblem
        Its objective is what the slice shows (held-out cost: a problem on held-out data, ``lam=0``).
    centre : (p,) array_like of float
    directions : (2, p) array_like of float
        ``d₁`` and ``d₂``, e.g. from :func:`filter_normalised_directions` or :func:`trajectory_plane`.
    alphas : (nα,) array_like of float
        Steps along ``d₁`` (the columns of the result).
    betas : (nβ,) array_like of float
        Steps along ``d₂`` (the rows).

    Returns
    -------
    (nβ, nα) ndarray of float64
        ``J[i, j]`` is the objective at ``centre + alphas[j]·d₁ + betas[i]·d₂``, ready for ``contour``.

    Examples
    --------
    >>> data = make_network_churn(m_train=50, m_held_out=10, seed=0)
    >>> problem = NetworkProblem(MLP(3, 2), data.x_train, data.y_train)
    >>> theta = problem.mlp.init_params(seed=0)
    >>> d = filter_normalised_directions(problem.mlp, theta)
    >>> J = cost_slice(problem, theta, d, np.linspace(-1, 1, 5), np.linspace(-1, 1, 3))
    >>> J.shape, bool(np.isclose(J[1, 2], problem.objective_rows(theta[None])[0]))
    ((3, 5), True)
    """
    problem = _check_problem(problem)
    theta = _centre(problem, centre, "centre")
    D = as_float_array("directions", directions, ndim=2)
    if D.shape != (2, problem.n_params):
        raise ValueError(f"directions must have shape (2, {problem.n_params}), got shape {D.shape}")
    a = as_float_array("alphas", alphas)
    b = as_float_array("betas", betas)
    _check_evaluations("alphas x betas", a.size * b.size, problem)
    out = np.empty((b.size, a.size))
    rows = problem._chunk(a.size * problem.m)  # grid rows per chunk: bounded memory
    for start in range(0, b.size, rows):  # a loop over chunks of rows, not over points
        beta = b[start : start + rows, None, None]
        with np.errstate(over="ignore", invalid="ignore"):
            grid = theta + beta * D[1] + a[None, :, None] * D[0]  # (rows, nα, p)
        if not np.all(np.isfinite(grid)):
            raise _too_far("alphas, betas or directions")
        values = problem.objective_rows(grid.reshape(-1, problem.n_params))
        out[start : start + rows] = values.reshape(-1, a.size)
    return _finite(out, "alphas, betas or directions")


@validate_params(
    {
        "problem": PROBLEM,
        "start": _PARAMS,
        "end": _PARAMS,
        "ts": RealArray(max_size=MAX_WINDOW * MAX_WINDOW, example_value=[0.0, 0.5, 1.0]),
    }
)
def cost_along_segment(
    problem: NetworkProblem, start: ArrayLike, end: ArrayLike, ts: ArrayLike
) -> np.ndarray:
    """The objective on the straight line ``θ(t) = start + t·(end - start)``.

    Parameters
    ----------
    problem : NetworkProblem
    start, end : (p,) array_like of float
    ts : (n,) array_like of float
        ``0`` is ``start`` and ``1`` is ``end``; values outside ``[0, 1]`` extend the line.

    Returns
    -------
    (n,) ndarray of float64

    Examples
    --------
    A convex function never rises above the chord between two points; this one does, between a minimum and
    its copy with the two hidden units swapped:

    >>> data = make_network_churn(m_train=50, m_held_out=10, seed=0)
    >>> problem = NetworkProblem(MLP(3, 2), data.x_train, data.y_train)
    >>> theta = problem.mlp.init_params(seed=3)
    >>> copy = permute_hidden_units(problem.mlp, theta, [1, 0])
    >>> J = cost_along_segment(problem, theta, copy, [0.0, 0.5, 1.0])
    >>> bool(np.isclose(J[0], J[2]))
    True
    """
    problem = _check_problem(problem)
    a = _centre(problem, start, "start")
    b = _centre(problem, end, "end")
    t = as_float_array("ts", ts)
    _check_evaluations("ts", t.size, problem)
    with np.errstate(over="ignore", invalid="ignore"):
        points = a + t[:, None] * (b - a)
    if not np.all(np.isfinite(points)):
        raise _too_far("ts, start or end")
    return _finite(problem.objective_rows(points), "ts, start or end")


@validate_params(
    {
        "mlp": NET,
        "params": _PARAMS,
        "perm": _CHECKED_AS_IS,
        "signs": RealArray(none_ok=True, example_value=[1, -1]),
    },
    example=_example_params,
)
def permute_hidden_units(
    mlp: MLP, params: ArrayLike, perm: ArrayLike, signs: ArrayLike | None = None
) -> np.ndarray:
    """The same network at another point: hidden units reordered (and, optionally, sign-flipped).

    Unit ``j`` of the result is unit ``perm[j]`` of ``params``: its incoming weights, bias and outgoing
    weight move together, so every prediction is unchanged. With ``signs``, unit ``j``'s incoming weights,
    bias and outgoing weight are also multiplied by ``signs[j]`` in ``{-1, +1}``; because ``tanh`` is odd
    the function is still unchanged. A network with ``h`` hidden units therefore has ``h!·2^h`` copies of
    every minimum (fewer when units coincide).

    Parameters
    ----------
    mlp : MLP
    params : (p,) or (R, p) array_like of float
    perm : (h,) array_like of int
        A permutation of ``range(h)``.
    signs : (h,) array_like of {-1, 1}, optional

    Returns
    -------
    ndarray of float64, the shape of ``params``

    Examples
    --------
    >>> net = MLP(3, 4)
    >>> theta = net.init_params(seed=0)
    >>> other = permute_hidden_units(net, theta, [2, 0, 3, 1], signs=[1, -1, 1, 1])
    >>> x = np.ones((1, 3))
    >>> bool(np.allclose(net.logits(theta, x), net.logits(other, x), rtol=1e-14, atol=0))
    True
    >>> float(np.linalg.norm(other - theta)) > 1
    True
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {_short(mlp)}")
    P = mlp.check_params(params)
    order = np.asarray(perm)
    h = mlp.n_hidden
    is_perm = (
        order.shape == (h,) and order.dtype.kind in "iu" and np.array_equal(np.sort(order), np.arange(h))
    )
    if not is_perm:
        raise ValueError(f"perm must be a permutation of range({h}), got {_short(perm)}")
    if signs is None:
        s = np.ones(h)
    else:
        s = as_float_array("signs", signs)
        if s.shape != (h,) or not np.all(np.abs(s) == 1):
            raise ValueError(f"signs must be {h} values in {{-1, 1}}, got {_short(signs)}")
    L = mlp._unflatten(np.atleast_2d(P))
    out = mlp.flatten(
        Layers(L.W1[:, order] * s[None, :, None], L.b1[:, order] * s, L.w2[:, order] * s, L.b2.copy())
    )
    return out if P.ndim == 2 else out[0]


# --- Sharpness ----------------------------------------------------------------------------------------


@validate_params({"problem": PROBLEM, "params": _PARAMS})
def full_hessian(problem: NetworkProblem, params: ArrayLike) -> np.ndarray:
    """The ``(p, p)`` Hessian of the objective at one point, column by column from HVPs (small nets).

    Column ``j`` is ``H·e_j``; all ``p`` products are computed in one vectorised call of
    :meth:`NetworkProblem.hessian_vector_products`.

    Parameters
    ----------
    problem : NetworkProblem
    params : (p,) array_like of float

    Returns
    -------
    (p, p) ndarray of float64 (symmetric up to rounding)

    Examples
    --------
    >>> data = make_network_churn(m_train=50, m_held_out=10, seed=0)
    >>> problem = NetworkProblem(MLP(3, 2), data.x_train, data.y_train, lam=0.1)
    >>> H = full_hessian(problem, problem.mlp.init_params(seed=0))
    >>> H.shape, bool(np.allclose(H, H.T, rtol=0, atol=1e-14))
    ((11, 11), True)
    """
    problem = _check_problem(problem)
    theta = _centre(problem, params, "params")
    p = problem.n_params
    return problem.hessian_vector_products(np.broadcast_to(theta, (p, p)), np.eye(p)).T


@dataclass(frozen=True, eq=False)
class Sharpness:
    """The top Hessian eigenvalue of ``R`` points, from :func:`top_hessian_eigenvalue`.

    Attributes
    ----------
    values : (R,) ndarray
        The eigenvalue of largest magnitude (the largest one at a minimum, where ``H`` is positive
        semi-definite). Its sign is kept: a negative value says the point is not a minimum.
    vectors : (R, p) ndarray
        The unit eigenvectors.
    n_iter : (R,) ndarray of int
        Hessian-vector products used per point.
    residuals : (R,) ndarray
        ``‖H·v - λ·v‖ / |λ|`` at the end; the eigenvalue's relative error is about its square times
        ``λ/(λ - λ₂)``.
    converged : (R,) ndarray of bool
        ``residuals <= rtol``.

    Examples
    --------
    >>> problem = NetworkProblem(MLP(1, 1), [[0.0], [1.0]], [0.0, 1.0], lam=0.1)
    >>> top = top_hessian_eigenvalue(problem, np.zeros(4))
    >>> top.values.shape, top.vectors.shape, bool(top.converged[0])
    ((1,), (1, 4), True)
    """

    values: np.ndarray
    vectors: np.ndarray
    n_iter: np.ndarray
    residuals: np.ndarray
    converged: np.ndarray


@validate_params(
    {
        "problem": PROBLEM,
        "params": _PARAMS,
        "rtol": real(0.0, 1.0, closed="right"),
        "max_iter": count(1, MAX_POWER_ITER, "lossviz.topics.network.MAX_POWER_ITER: a looser rtol"),
        "seed": SEED,
    }
)
def top_hessian_eigenvalue(
    problem: NetworkProblem, params: ArrayLike, *, rtol: float = 1e-6, max_iter: int = 3000, seed: int = 0
) -> Sharpness:
    """The sharpness ``λ_max(∇²J)`` at each of ``R`` points, by power iteration on exact HVPs.

    Each point starts from its own random unit vector (one ``numpy.random.default_rng(seed)`` draws them
    all) and repeats ``v ← Hv / ‖Hv‖`` with ``λ = vᵀHv``, until the eigen-residual ``‖Hv - λv‖ / |λ|`` is at
    most ``rtol``. Points that have converged stop; the others go on, all vectorised in one HVP call per
    iteration. Power iteration finds the eigenvalue of largest *magnitude*; at a minimum that is the
    largest. It converges like ``(|λ₂|/|λ₁|)^k``, so a near tie needs many iterations: check ``converged``.

    Parameters
    ----------
    problem : NetworkProblem
    params : (p,) or (R, p) array_like of float
    rtol : float, default 1e-6
        Relative residual at which a point has converged, in (0, 1).
    max_iter : int, default 3000
        Hessian-vector products per point at most.
    seed : int, default 0

    Returns
    -------
    Sharpness
        With ``R = 1`` for one point.

    Examples
    --------
    >>> data = make_network_churn(m_train=50, m_held_out=10, seed=0)
    >>> problem = NetworkProblem(MLP(3, 2), data.x_train, data.y_train, lam=0.1)
    >>> theta = problem.mlp.init_params(seed=0)
    >>> top = top_hessian_eigenvalue(problem, theta)
    >>> bool(top.converged[0])
    True
    >>> bool(np.isclose(top.values[0], np.linalg.eigvalsh(full_hessian(problem, theta))[-1], rtol=1e-9))
    True
    """
    problem = _check_problem(problem)
    P = np.atleast_2d(problem.mlp.check_params(params))
    rng = np.random.default_rng(seed)
    R, p = P.shape
    V = rng.standard_normal((R, p))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    values = np.zeros(R)
    residuals = np.full(R, np.inf)
    n_iter = np.zeros(R, dtype=int)
    active = np.arange(R)
    for _ in range(max_iter):
        HV = problem.hessian_vector_products(P[active], V[active])
        lam = np.einsum("rp,rp->r", V[active], HV)
        scale = np.maximum(np.abs(lam), np.finfo(float).tiny)
        residuals[active] = np.linalg.norm(HV - lam[:, None] * V[active], axis=1) / scale
        values[active] = lam
        n_iter[active] += 1
        norms = np.linalg.norm(HV, axis=1, keepdims=True)
        moving = norms[:, 0] > 0
        V[active[moving]] = HV[moving] / norms[moving]
        active = active[residuals[active] > rtol]
        if active.size == 0:
            break
    return Sharpness(values, V, n_iter, residuals, residuals <= rtol)


# --- The experiment: where do small and large batches end? -------------------------------------------


@dataclass(frozen=True, eq=False)
class Endpoints:
    """What :func:`describe_endpoints` measures at the ends of ``R`` training runs.

    Attributes
    ----------
    sharpness : (R,) ndarray
        The top Hessian eigenvalue of the training objective (:func:`top_hessian_eigenvalue`).
    converged : (R,) ndarray of bool
        Whether the power iteration met its tolerance.
    objective : (R,) ndarray
        The training objective.
    held_out_cost : (R,) ndarray
        The cost on the held-out data (no penalty).
    gradient_norm : (R,) ndarray
        ``‖∇(objective)‖`` on the whole training set: how far from a stationary point each run stopped.
    params : (R, p) ndarray
        The points themselves.

    Examples
    --------
    >>> data = make_network_churn(m_train=50, m_held_out=20, seed=0)
    >>> net = MLP(3, 2)
    >>> train = NetworkProblem(net, data.x_train, data.y_train, lam=0.01)
    >>> test = NetworkProblem(net, data.x_held_out, data.y_held_out)
    >>> ends = describe_endpoints(train, test, net.init_params([0, 1]))
    >>> ends.objective.shape, ends.params.shape
    ((2,), (2, 11))
    """

    sharpness: np.ndarray
    converged: np.ndarray
    objective: np.ndarray
    held_out_cost: np.ndarray
    gradient_norm: np.ndarray
    params: np.ndarray


@validate_params(
    {"problem": PROBLEM, "held_out": HELD_OUT, "params": _PARAMS, "seed": SEED},
    example=lambda: {"params": MLP(3, 2).init_params([0, 1])},
)
def describe_endpoints(
    problem: NetworkProblem, held_out: NetworkProblem, params: ArrayLike, *, seed: int = 0
) -> Endpoints:
    """Sharpness, training objective, held-out cost and gradient norm at each of ``R`` points.

    Parameters
    ----------
    problem : NetworkProblem
        The training problem (its objective is what the sharpness is measured on).
    held_out : NetworkProblem
        The same network on held-out data with ``lam=0``, so that its objective is the held-out cost.
    params : (R, p) array_like of float
        E.g. ``runs.final_params`` from :func:`lossviz.optim.sgd.run_sgd`.
    seed : int, default 0
        For the power iteration's starting vectors.

    Returns
    -------
    Endpoints

    Examples
    --------
    >>> data = make_network_churn(m_train=50, m_held_out=20, seed=0)
    >>> net = MLP(3, 2)
    >>> train = NetworkProblem(net, data.x_train, data.y_train, lam=0.01)
    >>> test = NetworkProblem(net, data.x_held_out, data.y_held_out)
    >>> ends = describe_endpoints(train, test, net.init_params([0, 1, 2]))
    >>> ends.sharpness.shape, bool(ends.converged.all())
    ((3,), True)
    """
    problem = _check_problem(problem)
    held_out = _check_problem(held_out)
    if held_out.mlp != problem.mlp:
        raise ValueError(
            f"held_out must use the same network as problem ({problem.mlp!r}), got {held_out.mlp!r}"
        )
    if held_out.lam != 0:
        raise ValueError(f"held_out must have lam=0 (a held-out cost has no penalty), got lam={held_out.lam}")
    P = problem._rows(params)
    top = top_hessian_eigenvalue(problem, P, seed=seed)
    grads = problem.batch_gradients(P, None)
    return Endpoints(
        top.values,
        top.converged,
        problem.objective_rows(P),
        held_out.objective_rows(P),
        np.linalg.norm(grads, axis=1),
        P,
    )


@validate_params(
    {
        "a": RealArray(min_size=2, example_value=[1.0, 2.0, 3.0]),
        "b": RealArray(min_size=2, example_value=[1.0, 3.0, 2.0]),
    }
)
def rank_correlation(a: ArrayLike, b: ArrayLike) -> float:
    """Spearman's rank correlation of two samples (ties get their average rank).

    Parameters
    ----------
    a, b : (n,) array_like of float
        ``n >= 2``, neither constant.

    Returns
    -------
    float in [-1, 1]

    Examples
    --------
    >>> rank_correlation([1, 2, 3, 4], [10, 20, 40, 30])
    0.8
    """
    x = as_float_array("a", a)
    y = as_float_array("b", b)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"a and b must have the same shape (n,) with n >= 2, got {x.shape} and {y.shape}")

    def ranks(v: np.ndarray, name: str) -> np.ndarray:
        order = np.argsort(v, kind="stable")
        r = np.empty(v.size)
        r[order] = np.arange(v.size)
        _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
        if counts.size == 1:
            raise ValueError(f"{name} must not be constant, got all values {v[0]}")
        return (np.bincount(inverse, weights=r) / counts)[inverse]

    rx, ry = ranks(x, "a"), ranks(y, "b")
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return round(float(rx @ ry / np.sqrt((rx @ rx) * (ry @ ry))), 15)


@validate_params(
    {
        "values": RealArray(example_value=[0.1, 0.2, 0.3]),
        "digits": count(0, MAX_DIGITS, "a double has no more digits"),
    }
)
def format_spread(values: ArrayLike, digits: int = 3) -> str:
    """``"median [lower quartile, upper quartile] (min … max)"`` of a sample, rounded.

    Parameters
    ----------
    values : (n,) array_like of float
    digits : int, default 3
        Decimals kept, ``>= 0``.

    Returns
    -------
    str

    Examples
    --------
    >>> format_spread([0.1, 0.2, 0.3, 0.4, 0.5], digits=2)
    '0.3 [0.2, 0.4] (0.1 … 0.5)'
    """
    v = np.asarray(values)
    lo, q1, med, q3, hi = (float(np.round(q, digits)) for q in np.percentile(v, [0, 25, 50, 75, 100]))
    return f"{med:g} [{q1:g}, {q3:g}] ({lo:g} … {hi:g})"


@dataclass(frozen=True, eq=False)
class BatchComparison:
    """Small against large batches from the same starts: :func:`compare_batch_sizes`, :func:`polish`.

    Attributes
    ----------
    batch_sizes : (int, int)
        The small and the large batch size.
    small, large : Endpoints
        Where the runs of each batch size ended; run ``r`` of both started at the same point.

    Examples
    --------
    >>> data = make_network_churn(m_train=40, m_held_out=20, seed=0)
    >>> net = MLP(3, 2)
    >>> train = NetworkProblem(net, data.x_train, data.y_train, lam=0.01)
    >>> test = NetworkProblem(net, data.x_held_out, data.y_held_out)
    >>> c = compare_batch_sizes(train, test, net.init_params([0, 1, 2]), lr=0.5, n_updates=30,
    ...                         seeds=[0, 1, 2], small=4)
    >>> 0 <= c.flatter_pairs <= 3, c.summary().startswith("flatter in")
    (True, True)
    """

    batch_sizes: tuple[int, int]
    small: Endpoints
    large: Endpoints

    def _relabel(self, batch_sizes: tuple[int, int]) -> BatchComparison:
        return BatchComparison(batch_sizes, self.small, self.large)

    @property
    def flatter_pairs(self) -> int:
        """In how many pairs the small-batch run ended flatter (lower sharpness) than the large-batch run."""
        return int(np.sum(self.small.sharpness < self.large.sharpness))

    @property
    def lower_held_out_pairs(self) -> int:
        """In how many pairs the small-batch run ended with the lower held-out cost."""
        return int(np.sum(self.small.held_out_cost < self.large.held_out_cost))

    def table(self) -> str:
        """Median [quartiles] (min … max) of each measurement, one line per measurement and batch size."""
        rows = [
            ("sharpness", "sharpness", 2),
            ("training objective", "objective", 3),
            ("held-out cost", "held_out_cost", 3),
            ("gradient norm", "gradient_norm", 4),
        ]
        names = [f"batch {b}" for b in self.batch_sizes]
        width = max(len(n) for n in names)
        lines = [f"median [quartiles] (min … max) over {self.small.sharpness.size} runs"]
        for label, attr, digits in rows:
            lines.append(f"{label}:")
            for name, ends in zip(names, (self.small, self.large), strict=True):
                lines.append(f"  {name:<{width}}  {format_spread(getattr(ends, attr), digits)}")
        return "\n".join(lines)

    def summary(self) -> str:
        """One line: the paired counts, the median held-out costs and the rank correlations."""
        n = self.small.sharpness.size
        small, large = self.batch_sizes
        rho = [rank_correlation(e.sharpness, e.held_out_cost) for e in (self.small, self.large)]
        return (
            f"flatter in {self.flatter_pairs}/{n}, "
            f"lower held-out cost in {self.lower_held_out_pairs}/{n}; "
            f"median held-out cost {np.median(self.small.held_out_cost):.3f} (batch {small}) vs "
            f"{np.median(self.large.held_out_cost):.3f} (batch {large}); rank correlation of sharpness "
            f"and held-out cost {rho[0]:+.2f} (batch {small}), {rho[1]:+.2f} (batch {large})"
        )


def _compare(
    problem: NetworkProblem,
    held_out: NetworkProblem,
    starts: tuple[np.ndarray, np.ndarray],
    batch_sizes: tuple[int, int],
    lr: float,
    n_updates: int,
    seeds: np.ndarray,
    seed: int,
) -> BatchComparison:
    ends = []
    for P0, b in zip(starts, batch_sizes, strict=True):
        runs = run_sgd(problem, P0, batch_size=b, lr=lr, n_updates=n_updates, seeds=seeds, record="final")
        if runs.diverged.any():
            raise ValueError(
                f"lr={lr:g} is too large: {int(runs.diverged.sum())} runs with batch size {b} diverged"
            )
        ends.append(describe_endpoints(problem, held_out, runs.final_params, seed=seed))
    return BatchComparison(batch_sizes, ends[0], ends[1])


@validate_params(
    {
        "problem": PROBLEM,
        "held_out": HELD_OUT,
        "params0": RealArray(ndim=2, example_value=[[0.1] * 11, [0.2] * 11]),
        "lr": positive(),
        "n_updates": count(1, MAX_UPDATES, "lossviz.topics._checks.MAX_UPDATES: fewer updates"),
        "seeds": RealArray(max_size=MAX_RUNS, example_value=[0, 1]),
        "small": count(1),
        "large": count(1, none_ok=True),
        "seed": SEED,
    },
    example=lambda: {"lr": 0.5, "n_updates": 5, "small": 4},
)
def compare_batch_sizes(
    problem: NetworkProblem,
    held_out: NetworkProblem,
    params0: ArrayLike,
    *,
    lr: float,
    n_updates: int,
    seeds: ArrayLike,
    small: int = 8,
    large: int | None = None,
    seed: int = 0,
) -> BatchComparison:
    """Train from the same starts with a small and a large batch, then measure where the runs ended.

    Both batch sizes make the same number of updates with the same learning rate (so the only difference
    is the noise of the batch gradients), through :func:`lossviz.optim.sgd.run_sgd`; run ``r`` of each starts
    at ``params0[r]`` and draws its batches from ``numpy.random.default_rng(seeds[r])``. At the ends,
    :func:`describe_endpoints` measures sharpness, training objective, held-out cost and gradient norm.

    Parameters
    ----------
    problem, held_out : NetworkProblem
        Training problem; the same network on held-out data with ``lam=0``.
    params0 : (R, p) array_like of float
        One start per run, e.g. ``mlp.init_params(seeds)``.
    lr : float
        Learning rate, ``> 0``.
    n_updates : int
        Updates per run, ``>= 1``.
    seeds : (R,) array_like of int
        Batch-order seeds, one per run.
    small : int, default 8
        The small batch size.
    large : int, optional
        The large batch size; the whole training set (full-batch gradient descent) when omitted.
    seed : int, default 0
        For the power iteration.

    Returns
    -------
    BatchComparison

    Raises
    ------
    ValueError
        Besides bad input: when a run diverges (the learning rate is too large for the comparison).

    Examples
    --------
    >>> data = make_network_churn(m_train=40, m_held_out=20, seed=0)
    >>> net = MLP(3, 2)
    >>> train = NetworkProblem(net, data.x_train, data.y_train, lam=0.01)
    >>> test = NetworkProblem(net, data.x_held_out, data.y_held_out)
    >>> c = compare_batch_sizes(train, test, net.init_params([0, 1, 2]), lr=0.5, n_updates=50,
    ...                         seeds=[0, 1, 2], small=4)
    >>> c.batch_sizes, c.small.sharpness.shape
    ((4, 40), (3,))
    """
    problem = _check_problem(problem)
    P0 = problem._rows(params0, "params0")
    seed_arr = np.asarray(seeds)
    if seed_arr.shape != (P0.shape[0],):
        raise ValueError(f"seeds must have one seed per start, shape ({P0.shape[0]},), got {seed_arr.shape}")
    if seed_arr.dtype.kind == "f" and not np.all(seed_arr == np.round(seed_arr)):
        raise TypeError(f"seeds must be integers, got {_short(seed_arr.tolist())}")
    seed_arr = seed_arr.astype(np.int64)
    if np.any(seed_arr < 0):
        raise ValueError(f"seeds must be >= 0, got {int(seed_arr[seed_arr < 0][0])}")
    for name, b in (("small", small), ("large", large)):
        if b is not None and b > problem.m:
            raise ValueError(f"{name} must be <= m = {problem.m}, got {b}")
    large = problem.m if large is None else large
    _check_network_updates(2 * P0.shape[0], n_updates, max(small, large), problem)
    return _compare(problem, held_out, (P0, P0), (small, large), lr, n_updates, seed_arr, seed)


def _example_comparison() -> BatchComparison:
    problem, held_out = _example_problem(), _example_problem(True)
    starts = problem.mlp.init_params([0, 1])
    return compare_batch_sizes(problem, held_out, starts, lr=0.5, n_updates=5, seeds=[0, 1], small=4)


def _check_network_updates(runs: int, n_updates: int, batch: int, problem: NetworkProblem) -> None:
    work = float(runs) * n_updates * batch * problem.n_params
    if work > MAX_SLICE_EVALUATIONS * 10:
        raise ValueError(
            f"{runs} runs x n_updates {n_updates} x batch {batch} x {problem.n_params} parameters"
            f" is {work:.3g} multiply-adds, over the limit of {MAX_SLICE_EVALUATIONS * 10:g} (10 x"
            " lossviz.topics.network.MAX_SLICE_EVALUATIONS): use fewer updates or starts"
        )


@validate_params(
    {
        "problem": PROBLEM,
        "held_out": HELD_OUT,
        "comparison": InstanceOf(
            BatchComparison, "compare_batch_sizes(...)", example_factory=_example_comparison
        ),
        "lr": positive(),
        "n_updates": count(1, MAX_UPDATES, "lossviz.topics._checks.MAX_UPDATES: fewer updates"),
        "seed": SEED,
    }
)
def polish(
    problem: NetworkProblem,
    held_out: NetworkProblem,
    comparison: BatchComparison,
    *,
    lr: float,
    n_updates: int,
    seed: int = 0,
) -> BatchComparison:
    """Full-batch gradient descent from every end of a comparison: the minimum of the basin each run was in.

    A mini-batch run stops where the noise of its last batches left it, not at a minimum. Running
    ``n_updates`` steps of full-batch gradient descent from each end (no noise) finds the bottom of the basin
    it ended in, and :func:`describe_endpoints` measures it. The result keeps the comparison's batch sizes
    as labels: they say where the runs came from.

    Parameters
    ----------
    problem, held_out : NetworkProblem
    comparison : BatchComparison
    lr : float
    n_updates : int
    seed : int, default 0

    Returns
    -------
    BatchComparison

    Examples
    --------
    >>> data = make_network_churn(m_train=40, m_held_out=20, seed=0)
    >>> net = MLP(3, 2)
    >>> train = NetworkProblem(net, data.x_train, data.y_train, lam=0.01)
    >>> test = NetworkProblem(net, data.x_held_out, data.y_held_out)
    >>> c = compare_batch_sizes(train, test, net.init_params([0, 1]), lr=0.5, n_updates=50, seeds=[0, 1])
    >>> p = polish(train, test, c, lr=0.5, n_updates=200)
    >>> bool((p.small.gradient_norm < c.small.gradient_norm).all())
    True
    """
    problem = _check_problem(problem)
    if not isinstance(comparison, BatchComparison):
        raise TypeError(f"comparison must be a BatchComparison, got {_short(comparison)}")
    R = comparison.small.params.shape[0]
    _check_network_updates(2 * R, n_updates, problem.m, problem)
    done = _compare(
        problem,
        held_out,
        (comparison.small.params, comparison.large.params),
        (problem.m, problem.m),
        lr,
        n_updates,
        np.arange(R),
        seed,
    )
    return done._relabel(comparison.batch_sizes)
