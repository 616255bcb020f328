"""The package's shape: a lean ``import lossviz``, lazily loaded parts, ``__all__`` built from the modules'.

What ``import lossviz`` loads is checked in a fresh interpreter: this test session has imported
matplotlib long ago (tests/conftest.py).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import types

import pytest

import lossviz as lv

#: Top-level packages that ``import lossviz`` (and the core and topic modules) must not load.
HEAVY = (
    "matplotlib",
    "ipywidgets",
    "ipympl",
    "traitlets",
    "IPython",
    "ipykernel",
    "comm",
    "jupyter_core",
    "jupyter_client",
    "nbformat",
    "PIL",
)

#: The parts loaded on first use, by attribute, and the module each one is.
LAZY = {
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


def _loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; return the top-level packages and lossviz modules it loaded."""
    script = code + (
        "\nimport sys, json\n"
        "print(json.dumps({'top': sorted({m.split('.')[0] for m in sys.modules}),\n"
        "                  'lossviz': sorted(m for m in sys.modules if m.startswith('lossviz'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_import_lossviz_loads_no_matplotlib_widgets_or_jupyter():
    loaded = _loaded_after("import lossviz")
    assert not set(HEAVY) & set(loaded["top"])
    assert set(loaded["lossviz"]) == {
        "lossviz",
        "lossviz._constraints",
        "lossviz._kernels",
        "lossviz._validation",
        "lossviz.data",
        "lossviz.losses",
        "lossviz.model",
        "lossviz.landscape",
        "lossviz.optim",
        "lossviz.optim.newton",
        "lossviz.optim.sgd",
        "lossviz.optim.noise",
        "lossviz.optim.rules",
        "lossviz.optim.convergence",
    }


def test_the_topics_and_the_exercises_compute_without_matplotlib():
    loaded = _loaded_after(
        "import lossviz.topics.imbalance, lossviz.topics.capacity, "
        "lossviz.topics.batch_size, lossviz.topics.basins, lossviz.topics.network, "
        "lossviz.topics.loss_curves, "
        "lossviz.exercises"
    )
    assert not set(HEAVY) & set(loaded["top"])
    assert "lossviz.plot" not in loaded["lossviz"]


def test_the_topics_package_imports_no_topic():
    loaded = _loaded_after("import lossviz.topics")
    assert not [m for m in loaded["lossviz"] if m.startswith("lossviz.topics.")]


def test_plot_loads_matplotlib_and_interactive_the_widgets_on_first_use():
    assert "matplotlib" in _loaded_after("import lossviz as lv; lv.plot")["top"]
    assert {"matplotlib", "ipywidgets"} <= set(_loaded_after("import lossviz as lv; lv.interactive")["top"])


@pytest.mark.parametrize("name, module", LAZY.items())
def test_lazy_parts_are_their_modules(name, module):
    assert getattr(lv, name) is importlib.import_module(module)
    assert name in dir(lv) and name in lv.__all__


def test_an_unknown_attribute_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="plot_cost_landscape"):
        lv.plot_cost_landscape
    assert not hasattr(lv, "experiments")


def test_all_is_the_core_modules_all_plus_the_optimisers_and_the_lazy_parts():
    from lossviz import data, landscape, losses, model

    core = [*data.__all__, *losses.__all__, *model.__all__, *landscape.__all__]
    assert lv.__all__[: len(core)] == core
    rest = lv.__all__[len(core) :]
    assert set(rest) - set(LAZY) <= set(lv.optim.__all__)  # the rest of the core comes from optim
    assert len(lv.__all__) == len(set(lv.__all__))
    for name in lv.__all__:
        assert getattr(lv, name) is not None
    functions = [n for n in lv.__all__ if not isinstance(getattr(lv, n), types.ModuleType)]
    assert 30 <= len(functions) <= 45  # curated, not everything


@pytest.mark.parametrize(
    "package, parts",
    [
        (
            "lossviz.plot",
            ["core", "imbalance", "capacity", "batch_size", "basins", "network", "optimisers", "style"],
        ),
        ("lossviz.optim", ["newton", "sgd", "noise", "rules", "convergence"]),
        ("lossviz.interactive", ["cost", "imbalance"]),
    ],
)
def test_a_package_all_is_the_union_of_its_modules(package, parts):
    pkg = importlib.import_module(package)
    want = [name for part in parts for name in importlib.import_module(f"{package}.{part}").__all__]
    assert sorted(pkg.__all__) == sorted(want)
    assert all(getattr(pkg, name) is not None for name in pkg.__all__)


def test_drawing_functions_have_no_plot_prefix():
    assert not [name for name in lv.plot.__all__ if name.startswith("plot_")]
    assert {"cost_landscape", "losses", "trajectory", "cost_curve"} <= set(lv.plot.__all__)


def test_the_layout_one_module_or_package_per_concern():
    # (pkgutil, not import: an editable install of another checkout could still resolve old names)
    top = {m.name: m.ispkg for m in pkgutil.iter_modules(lv.__path__)}
    want = {
        "_validation": False,
        "data": False,
        "losses": False,
        "model": False,
        "landscape": False,
        "optim": True,
        "topics": True,
        "plot": True,
        "interactive": True,
        "exercises": True,
    }
    assert want.items() <= top.items()
    old = {"experiments", "noise", "plotting", "widgets", "imbalance", "capacity", "basins", "student"}
    assert not old & set(top)
    topics = {m.name for m in pkgutil.iter_modules(importlib.import_module("lossviz.topics").__path__)}
    assert {"imbalance", "capacity", "batch_size", "basins", "network", "loss_curves"} <= topics
