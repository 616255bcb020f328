"""lossviz: loss, cost and objective -- and why the difference matters for training.

The helper package of the lossviz course. Notebooks import from here::

    from lossviz import bce_loss, cost, objective, anchor_sample
"""

from .data import CHURN_TRUE_PARAMS, anchor_sample, make_churn
from .landscape import (
    condition_number,
    contour_levels,
    contour_lines,
    cost_grid,
    default_window,
    minimise,
    penalty_grid,
)
from .losses import (
    BCE,
    EPS,
    BinaryCrossEntropy,
    FocalLoss,
    LogitLoss,
    WeightedBCE,
    bce_loss,
    bce_loss_from_logits,
    cost,
    focal_loss,
    objective,
    weighted_bce_loss,
)
from .model import (
    gradient,
    hessian,
    objective_at,
    per_sample_gradients,
    per_sample_losses,
    predict,
)
from .plotting import (
    GradientCloudArtists,
    LandscapeArtists,
    plot_cost_curve,
    plot_cost_landscape,
    plot_gradient_cloud,
    plot_losses,
    plot_trajectory,
    update_cost_landscape,
)
from .optim import OVERFLOW, TrainResult, minibatch_gradient_variance, minibatch_indices, train
from .widgets import CostExplorer
from .experiments import (
    WallClockRun,
    anchor_features,
    cost_reduction_target,
    loglog_slope,
    measured_minibatch_variance,
    numerical_gradient,
    online_pass,
    order_effect,
    plot_cost_against_time,
    plot_loglog_fit,
    roughness_by_batch_size,
    simulate_wall_clock,
    time_to_cost,
    trajectory_roughness,
    updates_per_epoch,
)

__version__ = "0.1.0"

__all__ = [
    "BCE",
    "CHURN_TRUE_PARAMS",
    "EPS",
    "OVERFLOW",
    "BinaryCrossEntropy",
    "LogitLoss",
    "TrainResult",
    "anchor_sample",
    "bce_loss",
    "bce_loss_from_logits",
    "condition_number",
    "cost",
    "cost_grid",
    "default_window",
    "gradient",
    "hessian",
    "make_churn",
    "minibatch_gradient_variance",
    "minibatch_indices",
    "minimise",
    "objective",
    "objective_at",
    "penalty_grid",
    "per_sample_gradients",
    "per_sample_losses",
    "plot_losses",
    "predict",
    "train",
    # the landscape, the optimisers' paths and the explorer (notebooks 02-04)
    "CostExplorer",
    "GradientCloudArtists",
    "LandscapeArtists",
    "contour_levels",
    "contour_lines",
    "plot_cost_curve",
    "plot_cost_landscape",
    "plot_gradient_cloud",
    "plot_trajectory",
    "update_cost_landscape",
    # class imbalance (notebook 06)
    "FocalLoss",
    "WeightedBCE",
    "focal_loss",
    "weighted_bce_loss",
    # the experiments behind the exercises (notebook 05; the checks are in lossviz.exercises)
    "WallClockRun",
    "anchor_features",
    "cost_reduction_target",
    "loglog_slope",
    "measured_minibatch_variance",
    "numerical_gradient",
    "online_pass",
    "order_effect",
    "plot_cost_against_time",
    "plot_loglog_fit",
    "roughness_by_batch_size",
    "simulate_wall_clock",
    "time_to_cost",
    "trajectory_roughness",
    "updates_per_epoch",
]
