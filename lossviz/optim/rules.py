"""Update rules with memory: heavy-ball momentum, Nesterov momentum and Adam.

Each is a step of the one engine, :func:`lossviz.optim.run_sgd` (an
:class:`lossviz.optim.UpdateRule`: ``init_state`` and ``step``), and each makes
exactly the update of the PyTorch optimiser it is named after:

- :class:`Momentum` -- ``torch.optim.SGD(lr, momentum=beta, dampening=0, nesterov=False)``;
- :class:`Nesterov` -- ``torch.optim.SGD(lr, momentum=beta, dampening=0, nesterov=True)``;
- :class:`Adam` -- ``torch.optim.Adam(lr, betas=(beta1, beta2), eps=eps)`` (bias-corrected,
  ``amsgrad=False``).

The engine hands a step ``g``, the gradient of the *objective* over the batch,
which for :class:`lossviz.optim.LogisticProblem` is the loss gradient plus
``(λ·w, 0)``. That is torch's coupled ``weight_decay=λ`` (``g ← g + λ·θ``
before the update) restricted to ``w``: the same as two torch parameter groups,
``w`` with ``weight_decay=λ`` and ``b`` with ``weight_decay=0``. The penalty
therefore also enters the momentum buffer and Adam's moments, as it does in
torch (this is not ``AdamW``'s decoupled decay).

Every rule keeps its state per run (rows of ``(R, p)`` arrays), so the runs
of a sweep never touch each other. Taught in the lesson "optimisers on the
landscape".
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._constraints import Interval, OneOf, RealArray, validate_params
from .._validation import _short, as_float_array, as_scalar

_BETA = Interval(numbers.Real, 0.0, 1.0, closed="left", example_value=0.9)
_BETAS = OneOf((_BETA, RealArray(lo=0.0, hi=1.0, hi_open=True, example_value=[0.5, 0.9])))

__all__ = ["Adam", "Momentum", "Nesterov"]


def _check_beta(name: str, value: Any) -> float:
    """A float in ``[0, 1)``, or raise naming ``name``."""
    beta = as_scalar(name, value, minimum=0.0)
    if beta >= 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {beta}")
    return beta


def _check_betas(name: str, value: Any) -> float | tuple[float, ...]:
    """One ``β`` in ``[0, 1)``, or a 1-D sequence of them (one per run)."""
    if np.ndim(value) == 0:
        return _check_beta(name, value)
    arr = as_float_array(name, value)
    bad = (arr < 0) | (arr >= 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} must be in [0, 1), got {arr[i]} at index {i}")
    return tuple(float(v) for v in arr)


def _beta_column(name: str, beta: float | tuple[float, ...], n_runs: int) -> np.ndarray:
    """``(R, 1)``: each run's ``β``."""
    if isinstance(beta, tuple):
        if len(beta) != n_runs:
            raise ValueError(
                f"{name} must be one number or have one value per run ({n_runs}), "
                f"got {len(beta)} values: {_short(beta)}"
            )
        return np.array(beta, dtype=np.float64)[:, None]
    return np.full((n_runs, 1), beta)


@dataclass(frozen=True)
class _HeavyBall:
    """The buffer shared by :class:`Momentum` and :class:`Nesterov` (torch's ``momentum_buffer``)."""

    beta: float | tuple[float, ...] = 0.9
    _nesterov: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "beta", _check_betas("beta", self.beta))

    def init_state(self, params: np.ndarray) -> dict[str, np.ndarray]:
        """``{"buffer": (R, p) zeros, "beta": (R, 1)}`` for ``params`` ``(R, p)``."""
        return {"buffer": np.zeros(params.shape), "beta": _beta_column("beta", self.beta, params.shape[0])}

    def step(
        self, params: np.ndarray, grads: np.ndarray, lr: np.ndarray, state: dict[str, np.ndarray], t: int
    ) -> np.ndarray:
        """The ``t``-th update of ``params`` ``(R, p)``; ``state["buffer"]`` becomes ``b_t``."""
        beta = state["beta"]
        buffer = grads.copy() if t == 1 else beta * state["buffer"] + grads
        state["buffer"] = buffer
        if self._nesterov:
            return params - lr * (grads + beta * buffer)
        return params - lr * buffer


@validate_params({"beta": _BETAS})
@dataclass(frozen=True)
class Momentum(_HeavyBall):
    r"""Heavy-ball momentum, exactly ``torch.optim.SGD(momentum=beta, dampening=0)``.

    With ``g_t`` the batch gradient of the objective at update ``t`` (from 1)
    and ``η`` the learning rate::

        b_1 = g_1                    (torch's buffer starts as the first gradient)
        b_t = β·b_{t-1} + g_t        (t > 1)
        θ_t = θ_{t-1} - η·b_t

    ``b_1 = g_1`` is what ``β·0 + g_1`` would give, so this is also Polyak's
    heavy ball and Distill's ``z ← βz + ∇f; w ← w - αz`` ("Why Momentum Really
    Works", with ``α = η``). ``β = 0`` is plain :class:`lossviz.optim.SGD`.
    λ: the engine's ``g`` already holds ``λ·w`` on ``w`` and nothing on ``b``,
    which is torch's ``weight_decay=λ`` on ``w`` alone (see the module).

    Parameters
    ----------
    beta : float in [0, 1), or (R,) sequence of them
        The momentum ``β``. A sequence gives each run of a sweep its own ``β``
        (kept in the run's state, so the engine's row selection carries it).

    Examples
    --------
    >>> import numpy as np
    >>> rule = Momentum(0.9)
    >>> rule
    Momentum(beta=0.9)
    >>> theta, lr = np.array([[1.0, 2.0]]), np.array([[0.1]])
    >>> state = rule.init_state(theta)
    >>> theta = rule.step(theta, np.array([[1.0, -1.0]]), lr, state, 1)   # b = g
    >>> theta
    array([[0.9, 2.1]])
    >>> rule.step(theta, np.array([[1.0, 0.0]]), lr, state, 2)           # b = 0.9·b + g = (1.9, -0.9)
    array([[0.71, 2.19]])
    """


@validate_params({"beta": _BETAS})
@dataclass(frozen=True)
class Nesterov(_HeavyBall):
    r"""Nesterov momentum, exactly ``torch.optim.SGD(momentum=beta, dampening=0, nesterov=True)``.

    The same buffer as :class:`Momentum`, but the step looks one buffer ahead::

        b_1 = g_1,   b_t = β·b_{t-1} + g_t   (t > 1)
        θ_t = θ_{t-1} - η·(g_t + β·b_t)

    (Sutskever et al.'s form, rewritten so the gradient is taken at the
    current parameters, as torch does.) λ enters through ``g`` exactly as in
    :class:`Momentum`: torch's ``weight_decay=λ`` on ``w`` alone.

    Parameters
    ----------
    beta : float in [0, 1), or (R,) sequence of them
        The momentum ``β`` (one per run for a sweep).

    Examples
    --------
    >>> import numpy as np
    >>> rule = Nesterov(0.5)
    >>> rule
    Nesterov(beta=0.5)
    >>> theta, lr = np.array([[1.0, 2.0]]), np.array([[0.1]])
    >>> state = rule.init_state(theta)
    >>> rule.step(theta, np.array([[1.0, -2.0]]), lr, state, 1)   # θ - 0.1·(g + 0.5·g)
    array([[0.85, 2.3 ]])
    """

    _nesterov: ClassVar[bool] = True


@validate_params(
    {
        "beta1": _BETA,
        "beta2": Interval(numbers.Real, 0.0, 1.0, closed="left", example_value=0.999),
        "eps": Interval(numbers.Real, 0.0, None, closed="neither", example_value=1e-8),
    }
)
@dataclass(frozen=True)
class Adam:
    r"""Adam, exactly ``torch.optim.Adam(betas=(beta1, beta2), eps=eps)`` (``amsgrad=False``).

    With ``g_t`` the batch gradient of the objective at update ``t`` (from 1),
    all operations per coordinate, and ``m_0 = v_0 = 0``::

        m_t = β₁·m_{t-1} + (1 - β₁)·g_t
        v_t = β₂·v_{t-1} + (1 - β₂)·g_t²
        m̂_t = m_t / (1 - β₁^t),   v̂_t = v_t / (1 - β₂^t)      (bias correction)
        θ_t = θ_{t-1} - η·m̂_t / (√v̂_t + ε)

    ε is added *after* the square root of the bias-corrected second moment, as
    torch does (computed in torch's order: ``√v_t / √(1 - β₂^t) + ε``). Each
    coordinate's step is about ``η`` in size whatever its gradient's scale:
    Adam rescales ``w`` and ``b`` separately, along the axes. λ enters through
    ``g`` (torch's coupled ``weight_decay=λ`` on ``w`` alone, not AdamW), so it
    is also divided by ``√v̂``.

    Parameters
    ----------
    beta1 : float in [0, 1), default 0.9
        Decay of the first moment (the gradient's running mean).
    beta2 : float in [0, 1), default 0.999
        Decay of the second moment (the squared gradient's running mean).
    eps : float > 0, default 1e-8

    Examples
    --------
    >>> import numpy as np
    >>> rule = Adam()
    >>> rule
    Adam(beta1=0.9, beta2=0.999, eps=1e-08)
    >>> theta, lr = np.array([[1.0, 2.0]]), np.array([[0.1]])
    >>> state = rule.init_state(theta)
    >>> rule.step(theta, np.array([[3.0, -0.5]]), lr, state, 1).round(6)  # first step: η·sign(g)
    array([[0.9, 2.1]])
    """

    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        object.__setattr__(self, "beta1", _check_beta("beta1", self.beta1))
        object.__setattr__(self, "beta2", _check_beta("beta2", self.beta2))
        object.__setattr__(self, "eps", as_scalar("eps", self.eps, minimum=0.0, strict_minimum=True))

    def init_state(self, params: np.ndarray) -> dict[str, np.ndarray]:
        """``{"m": (R, p) zeros, "v": (R, p) zeros}`` for ``params`` ``(R, p)``."""
        return {"m": np.zeros(params.shape), "v": np.zeros(params.shape)}

    def step(
        self, params: np.ndarray, grads: np.ndarray, lr: np.ndarray, state: dict[str, np.ndarray], t: int
    ) -> np.ndarray:
        """The ``t``-th update of ``params`` ``(R, p)``; ``state`` becomes ``(m_t, v_t)``."""
        b1, b2 = self.beta1, self.beta2
        m = b1 * state["m"] + (1.0 - b1) * grads
        v = b2 * state["v"] + (1.0 - b2) * (grads * grads)
        state["m"], state["v"] = m, v
        correction1 = 1.0 - b1**t
        correction2 = 1.0 - b2**t
        denom = np.sqrt(v) / correction2**0.5 + self.eps
        return params - (lr / correction1) * (m / denom)
