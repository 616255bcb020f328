"""Optimisation: Newton's method, (mini-batch) gradient descent, and the noise of its gradients.

* :mod:`lossviz.optim.newton` -- :func:`minimise` (the minimum of the objective) and the
  damped-Newton loop behind it (notebook 03);
* :mod:`lossviz.optim.sgd` -- the one SGD engine, :func:`run_sgd` (R runs at once on any
  :class:`BatchProblem`, with a pluggable update rule), and :func:`train` (one run of it):
  full-batch gradient descent, mini-batch SGD and
  online learning, and :func:`online_pass` in an order you choose (notebooks 04 and 06);
* :mod:`lossviz.optim.noise` -- mini-batch gradients, their variance and the gradient noise
  scale (notebooks 02, 04, 06, 09).

Every name is re-exported here (``lv.optim.online_pass``); the most used ones are also at
the top of :mod:`lossviz` (``lv.train``, ``lv.minimise``).
"""

from . import newton, noise, sgd
from .newton import *  # noqa: F403
from .noise import *  # noqa: F403
from .sgd import *  # noqa: F403

__all__ = [*newton.__all__, *sgd.__all__, *noise.__all__]
