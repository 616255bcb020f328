"""The explorers: sliders over persistent figures (loaded on first use, ``lv.interactive``).

* :class:`CostExplorer` -- batch size, learning rate and λ over the cost landscape,
  with three optimisers' paths (notebook 04, and the dashboard of ``make present``);
* :class:`ImbalanceExplorer` -- the churn rate and the focal loss's γ over the fitted
  curves and the minority scores (notebook 07).

Both need ipywidgets, and the ipympl backend (``%matplotlib widget``) to be live.
"""

from . import cost, imbalance
from .cost import *  # noqa: F403
from .imbalance import *  # noqa: F403

__all__ = [*cost.__all__, *imbalance.__all__]
