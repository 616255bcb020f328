"""Shared fixtures of the package's tests: the churn data sets.

The Agg backend and closing every figure after each test are set up by the repository's
``conftest.py``, for the doctests too. (The browser tests in tests/browser have their own conftest.py.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pytest

import lossviz as lv


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
