"""The explorers: sliders over persistent figures (loaded on first use, ``lv.interactive``).

* :class:`CostExplorer` -- batch size, learning rate and λ over the cost landscape,
  with three optimisers' paths (notebook 04, and the dashboard of ``make present``);
* :class:`ImbalanceExplorer` -- the churn rate and the focal loss's γ over the fitted
  curves and the minority scores (notebook 07).

Both are :class:`lossviz.interactive._base.Explorer` s: one persistent picture (a
:class:`~lossviz.interactive._canvas.LayeredCanvas`: matplotlib draws what does not move, the
browser what moves), controls that refuse bad values, and a display that carries a static PNG
too. They need ipywidgets and anywidget to be live, and no particular matplotlib backend
(``%matplotlib inline`` and ``%matplotlib widget`` both work).
"""

from . import cost, imbalance
from .cost import *  # noqa: F403
from .imbalance import *  # noqa: F403

__all__ = [*cost.__all__, *imbalance.__all__]
