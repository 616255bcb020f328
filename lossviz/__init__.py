"""lossviz: loss, cost and objective -- and why the difference matters for training.

The helper package of the lossviz course. Notebooks import it as ``lv``::

    import lossviz as lv
    x, y = lv.make_churn()
    w, b = lv.minimise(x, y)

The top level is the core, which needs only numpy: the data (:mod:`lossviz.data`),
the losses (:mod:`lossviz.losses`), the model and its derivatives
(:mod:`lossviz.model`), the landscape (:mod:`lossviz.landscape`) and the most used
optimisation functions (:mod:`lossviz.optim`). The rest is loaded on first use:

* ``lv.plot`` -- every drawing (``lv.plot.cost_landscape(...)``);
* ``lv.interactive`` -- the explorers (``lv.interactive.CostExplorer(x, y)``);
* ``lv.exercises`` -- every lesson's exercises (``check``, ``hint``, ``solution``, ``grade``);
* ``lv.optim`` -- everything about optimisation (``lv.optim.online_pass``);
* ``lv.topics`` and its modules, also as ``lv.imbalance``, ``lv.capacity``,
  ``lv.batch_size``, ``lv.basins``, ``lv.network`` and ``lv.loss_curves``.

``import lossviz`` imports neither matplotlib nor anything of Jupyter.
"""

from __future__ import annotations

import importlib as _importlib
from types import ModuleType as _ModuleType

from . import data, landscape, losses, model
from .data import *  # noqa: F403
from .landscape import *  # noqa: F403
from .losses import *  # noqa: F403
from .model import *  # noqa: F403
from .optim.newton import minimise as minimise
from .optim.noise import minibatch_gradient_variance as minibatch_gradient_variance
from .optim.noise import minibatch_gradients as minibatch_gradients
from .optim.rules import Adam as Adam
from .optim.rules import Momentum as Momentum
from .optim.rules import Nesterov as Nesterov
from .optim.sgd import OVERFLOW as OVERFLOW
from .optim.sgd import SGD as SGD
from .optim.sgd import TrainResult as TrainResult
from .optim.sgd import minibatch_indices as minibatch_indices
from .optim.sgd import train as train

__version__ = "0.1.0"

#: The most used names of :mod:`lossviz.optim`, also at the top level.
_FROM_OPTIM = (
    "minimise",
    "train",
    "TrainResult",
    "minibatch_indices",
    "OVERFLOW",
    "minibatch_gradients",
    "minibatch_gradient_variance",
    "SGD",
    "Momentum",
    "Nesterov",
    "Adam",
)

#: Submodules loaded on first attribute access (PEP 562), by the name they have here.
_LAZY = {
    "plot": "lossviz.plot",
    "interactive": "lossviz.interactive",
    "exercises": "lossviz.exercises",
    "optim": "lossviz.optim",
    "topics": "lossviz.topics",
    "imbalance": "lossviz.topics.imbalance",
    "capacity": "lossviz.topics.capacity",
    "batch_size": "lossviz.topics.batch_size",
    "basins": "lossviz.topics.basins",
    "network": "lossviz.topics.network",
    "loss_curves": "lossviz.topics.loss_curves",
}

__all__ = [*data.__all__, *losses.__all__, *model.__all__, *landscape.__all__, *_FROM_OPTIM, *_LAZY]


def __getattr__(name: str) -> _ModuleType:
    """Import ``lv.plot``, ``lv.interactive``, ``lv.imbalance``, ... the first time they are used."""
    if name in _LAZY:
        module = _importlib.import_module(_LAZY[name])
        globals()[name] = module  # later look-ups skip this function
        return module
    raise AttributeError(f"module 'lossviz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, "data", "landscape", "losses", "model", "__version__"})
