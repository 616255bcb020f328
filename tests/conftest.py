"""Shared set-up of the package's tests: the Agg backend, no figure left open, the churn data sets.

(The browser tests in tests/browser have their own conftest.py.)
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import matplotlib

# Before any test module imports pyplot: figures are drawn off screen, the same on every machine.
matplotlib.use("Agg")

import numpy as np
import pytest

import lossviz as lv


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened (pyplot keeps them alive otherwise)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@functools.cache
def _churn(m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = lv.make_churn(m, seed=seed)
    x.flags.writeable = False  # shared between tests: none may change it
    y.flags.writeable = False
    return x, y


@pytest.fixture(scope="session")
def churn_set() -> Callable[[int, int], tuple[np.ndarray, np.ndarray]]:
    """``churn_set(m, seed)`` is ``lv.make_churn(m, seed=seed)``, built once per session, read-only."""
    return _churn


@pytest.fixture(scope="session")
def churn() -> tuple[np.ndarray, np.ndarray]:
    """The lessons' churn set, ``lv.make_churn()`` (1000 samples, seed 0), read-only."""
    return _churn(1000, 0)
