"""The course's topics beyond the core: one module per question a lesson asks.

* :mod:`lossviz.topics.loss_curves` -- what a training log prints: the mini-batch loss of
  each step beside the cost ``J``, its noise at frozen parameters, smoothing (notebook 05);
* :mod:`lossviz.topics.imbalance` -- a 95/5 churn set, each class's share of the
  cost, minority recall under BCE, weighted BCE and focal loss (notebook 07);
* :mod:`lossviz.topics.capacity` -- overfitting: logistic regression on polynomial
  features, training against held-out cost over the degree or λ (notebook 08);
* :mod:`lossviz.topics.batch_size` -- what batch size trades: simulated time, the
  order of online updates, steps to a target and the critical batch size
  (notebooks 06 and 09);
* :mod:`lossviz.topics.basins` -- sharp against flat minima: a two-basin problem, its
  reparametrisation and many-seed basin counts (notebook 10);
* :mod:`lossviz.topics.network` -- the landscape of a small network: an MLP with its
  backpropagation, filter-normalised and trajectory directions, slices and sharpness.

Each is also at the top of the package, loaded on first use: ``lv.imbalance``,
``lv.capacity``, ``lv.batch_size``, ``lv.basins``, ``lv.network``, ``lv.loss_curves``. Their drawings are in
:mod:`lossviz.plot`. Importing this package imports none of them.
"""

__all__ = ["basins", "batch_size", "capacity", "imbalance", "loss_curves", "network"]
