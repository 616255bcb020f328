"""Every drawing of the course. Each function takes ``ax=None``, draws, and returns what it drew.

Nothing here computes: compute with :mod:`lossviz` and its topics, then pass the
results here. Loaded on first use (``lv.plot``); it imports matplotlib, the core
package does not.

* :mod:`lossviz.plot.core` -- :func:`losses`, :func:`cost_landscape` (and
  :func:`update_cost_landscape`), :func:`trajectory`, :func:`cost_curve`,
  :func:`gradient_cloud` (notebooks 01-04);
* :mod:`lossviz.plot.imbalance` -- :func:`loss_landscape`, :func:`fitted_probabilities`,
  :func:`minority_scores` (notebook 07);
* :mod:`lossviz.plot.capacity` -- :func:`capacity_curve`, :func:`poly_fits` (notebook 08);
* :mod:`lossviz.plot.batch_size` -- :func:`cost_against_time`, :func:`loglog_fit`
  (notebook 06), :func:`cost_curves`, :func:`noise_scale`, :func:`steps_vs_batch`,
  :func:`tradeoff`, :func:`best_lr` (notebook 09);
* :mod:`lossviz.plot.basins` -- :func:`two_basin`, :func:`basin_endpoints` (notebook 10);
* :mod:`lossviz.plot.network` -- :func:`cost_slice_contours`, :func:`segment_cost_curve`,
  :func:`sharpness_scatter` (the network lesson);
* :mod:`lossviz.plot.style` -- the course style: ``COLOURS``, ``figsize``, ``use_course_style``.
"""

from . import basins, batch_size, capacity, core, imbalance, network, style
from .basins import *  # noqa: F403
from .batch_size import *  # noqa: F403
from .capacity import *  # noqa: F403
from .core import *  # noqa: F403
from .imbalance import *  # noqa: F403
from .network import *  # noqa: F403
from .style import *  # noqa: F403

__all__ = [
    *core.__all__,
    *imbalance.__all__,
    *capacity.__all__,
    *batch_size.__all__,
    *basins.__all__,
    *network.__all__,
    *style.__all__,
]
