"""pytest set-up shared by the doctests (``pytest --doctest-modules lossviz``) and the tests.

Doctests of the drawing functions create figures: the Agg backend draws them off screen, the same on
every machine, and every figure is closed after each doctest. ``tests/conftest.py`` adds the fixtures
of the package's tests; the browser tests have their own.
"""

from __future__ import annotations

import sys

import matplotlib
import pytest

matplotlib.use("Agg")  # before anything imports pyplot


@pytest.fixture(autouse=True)
def _close_all_figures():
    """Close every figure a doctest (or test) opened; pyplot keeps them alive otherwise.

    Matplotlib's settings are restored after each test too: a test (or an example) that applies
    the course style must not change what a later one draws.
    """
    with matplotlib.rc_context():
        yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
