"""Every drawing of the course, under one contract.

The contract. Every public drawing function

* takes ``ax=None`` as its last keyword: the Axes to draw on, or None for a new figure of
  the course size (:func:`lossviz.plot.style.figsize`); anything else is refused with a
  ``TypeError`` that names ``ax``;
* draws what it is given -- nothing here computes: compute with :mod:`lossviz` and its
  topics, then pass the results (a function of the course may be evaluated on a
  plotting grid, e.g. :func:`lossviz.bce_loss` in :func:`loss_vs_prediction`);
* takes its colours from :data:`COLOURS` by role (one meaning in every lesson: full batch,
  mini-batch, online, the classes, the losses, train and held-out, sharp and flat, a
  measurement and a formula), with the role's line style or marker as a second channel;
  series without a role take :func:`lossviz.plot.style.series_style`;
* draws every landscape with the one contour-level scheme
  (:func:`lossviz.plot.style.landscape_levels`) in :data:`CMAP`, with a colour bar;
* returns the Axes.

The one exception: a drawing updated in place (the explorers) calls
:func:`cost_landscape_artists`, which returns a :class:`LandscapeArtists` NamedTuple -- the
Axes first, then the artists :func:`update_cost_landscape` changes. A new drawing that
needs its artists follows that convention: a name ending in ``_artists``, a NamedTuple
whose first field is ``ax``.

Loaded on first use (``lv.plot``); it imports matplotlib, the core package does not.

* :mod:`lossviz.plot.core` -- :func:`losses`, :func:`loss_vs_prediction` (notebook 01),
  :func:`gradient_cloud` (02), :func:`cost_landscape` and :func:`minimisers` (03, 07),
  :func:`trajectory` and :func:`cost_curve` (04);
* :mod:`lossviz.plot.batch_size` -- :func:`cost_curves` (several runs against updates,
  examples or time; notebooks 06, 09), :func:`loglog_fit` (06), :func:`noise_scale`,
  :func:`steps_vs_batch`, :func:`tradeoff`, :func:`best_lr` (09);
* :mod:`lossviz.plot.imbalance` -- :func:`fitted_probabilities`, :func:`minority_scores`,
  :func:`loss_role` (notebook 07);
* :mod:`lossviz.plot.capacity` -- :func:`capacity_curve`, :func:`poly_fits` (notebook 08);
* :mod:`lossviz.plot.basins` -- :func:`two_basin`, :func:`basin_endpoints` (notebook 10);
* :mod:`lossviz.plot.network` -- :func:`cost_slice_contours`, :func:`segment_cost_curve`,
  :func:`sharpness_scatter` (notebook 12);
* :mod:`lossviz.plot.optimisers` -- :func:`optimiser_paths`, :func:`stability_scan`, :func:`rate_map`,
  :func:`spread_curves` (notebook 11);
* :mod:`lossviz.plot.style` -- the course style: :data:`COLOURS`, :func:`figsize`,
  :func:`use_course_style`, ...
"""

from . import basins, batch_size, capacity, core, imbalance, network, optimisers, style
from .basins import *  # noqa: F403
from .batch_size import *  # noqa: F403
from .capacity import *  # noqa: F403
from .core import *  # noqa: F403
from .imbalance import *  # noqa: F403
from .network import *  # noqa: F403
from .optimisers import *  # noqa: F403
from .style import *  # noqa: F403

__all__ = [
    *core.__all__,
    *imbalance.__all__,
    *capacity.__all__,
    *batch_size.__all__,
    *basins.__all__,
    *network.__all__,
    *optimisers.__all__,
    *style.__all__,
]
