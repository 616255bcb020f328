"""Every public name of the core, optim and topics modules is documented the numpy way, with an example.

"Public" is what a module's ``__all__`` lists. A function's docstring names each of its parameters (in
a Parameters section), says what it returns, and has an Examples section with at least one ``>>>``
line; a class has an Examples section. The examples themselves are run by ``make test-doctests``
(``pytest --doctest-modules lossviz``), so their outputs are real.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

#: The modules whose public names this test holds to the standard (plot/, interactive/ and exercises/
#: are checked by their owners' tests).
MODULES = (
    "lossviz._validation",
    "lossviz.data",
    "lossviz.losses",
    "lossviz.model",
    "lossviz.landscape",
    "lossviz.optim.newton",
    "lossviz.optim.sgd",
    "lossviz.optim.noise",
    "lossviz.topics.imbalance",
    "lossviz.topics.capacity",
    "lossviz.topics.batch_size",
    "lossviz.topics.basins",
    "lossviz.topics.network",
)


def _public(kind: str) -> list[tuple[str, str, object]]:
    out = []
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:  # a module listed before it exists fails below, by name
            out.append((module_name, "<missing module>", None))
            continue
        for name in module.__all__:
            obj = getattr(module, name)
            if (kind == "function" and inspect.isfunction(obj)) or (kind == "class" and inspect.isclass(obj)):
                out.append((module_name, name, obj))
    return out


def _section(doc: str, title: str) -> bool:
    lines = doc.splitlines()
    return any(
        line.strip() == title and i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}
        for i, line in enumerate(lines)
    )


FUNCTIONS = _public("function")
CLASSES = _public("class")


def test_the_standard_covers_many_names():
    # Guards the collection itself: a typo in MODULES or an empty __all__ would make the tests vacuous.
    assert len(FUNCTIONS) >= 70 and len(CLASSES) >= 25


@pytest.mark.parametrize(("module", "name", "func"), FUNCTIONS, ids=[f"{m}.{n}" for m, n, _ in FUNCTIONS])
def test_public_function_has_a_numpy_docstring_with_an_example(module, name, func):
    assert func is not None, f"{module} does not exist"
    doc = inspect.getdoc(func) or ""
    assert doc, f"{module}.{name} has no docstring"
    params = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
    if params:
        assert _section(doc, "Parameters"), f"{module}.{name}: no Parameters section"
        missing = [p for p in params if p not in doc]
        assert not missing, f"{module}.{name}: parameters not documented: {missing}"
    assert _section(doc, "Returns"), f"{module}.{name}: no Returns section"
    assert _section(doc, "Examples") and ">>> " in doc, f"{module}.{name}: no Examples section with >>>"


@pytest.mark.parametrize(("module", "name", "cls"), CLASSES, ids=[f"{m}.{n}" for m, n, _ in CLASSES])
def test_public_class_has_an_example(module, name, cls):
    doc = inspect.getdoc(cls) or ""
    assert doc, f"{module}.{name} has no docstring"
    assert _section(doc, "Examples") and ">>> " in doc, f"{module}.{name}: no Examples section with >>>"
