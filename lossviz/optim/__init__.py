"""Optimisation: one SGD engine for every lesson (:mod:`lossviz.optim.sgd`)."""

from .rules import Adam, Momentum, Nesterov  # noqa: F401
from .sgd import (  # noqa: F401
    OVERFLOW,
    SGD,
    BatchProblem,
    LogisticProblem,
    Runs,
    TrainResult,
    UpdateRule,
    _trajectory,
    minibatch_gradient_variance,
    minibatch_gradients,
    minibatch_indices,
    run_seeds,
    run_sgd,
    train,
)
