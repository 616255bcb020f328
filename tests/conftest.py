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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The bad inputs tests/test_boundary.py and tests/test_fuzz.py tried, and their outcomes by kind."""
    rows = []
    boundary = getattr(config, "_lossviz_boundary_stats", None)
    if boundary:
        rows += [("boundary (listed bad values)", kind, n) for kind, n in sorted(boundary.items())]
    fuzz = getattr(config, "_lossviz_fuzz_stats", None)
    if fuzz:
        functions = getattr(config, "_lossviz_fuzz_functions", 0)
        rows += [(f"fuzz ({functions} functions)", kind, n) for kind, n in sorted(fuzz.items())]
    if not rows:
        return
    terminalreporter.section("bad inputs tried, by outcome")
    width = max(len(r[0]) for r in rows)
    kind_width = max(len(r[1]) for r in rows)
    for test, kind, n in rows:
        terminalreporter.write_line(f"{test:<{width}}  {kind:<{kind_width}}  {n:>7}")
    for test in dict.fromkeys(r[0] for r in rows):
        total = sum(n for t, _, n in rows if t == test)
        terminalreporter.write_line(f"{test:<{width}}  {'total':<{kind_width}}  {total:>7}")
