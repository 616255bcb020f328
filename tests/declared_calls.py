"""The declared public API, found by walking it, and valid calls built from the declarations.

Shared by tests/test_boundary.py and tests/test_fuzz.py. A function or class is *declared*
when it carries ``__lossviz_constraints__`` (``@validate_params``, lossviz._constraints);
every declared object reachable from ``lossviz.__all__`` and the ``__all__`` of the
lazily loaded parts is found here, so a newly declared function is tested without
touching the tests.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from typing import Any

import numpy as np

import lossviz as lv
from lossviz._constraints import REGISTRY, Constraint, Declaration

#: The modules whose ``__all__`` is the public API: the core and every lazily loaded part.
PUBLIC_MODULES = (
    "lossviz",
    "lossviz.data",
    "lossviz.losses",
    "lossviz.model",
    "lossviz.landscape",
    "lossviz.optim",
    "lossviz.optim.sgd",
    "lossviz.optim.newton",
    "lossviz.optim.noise",
    "lossviz.optim.rules",
    "lossviz.optim.convergence",
    *sorted(set(lv._LAZY.values())),
)


def public_objects() -> dict[str, Any]:
    """Every public function and class, by ``module.name`` of its definition."""
    found: dict[str, Any] = {}
    for name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - an optional part missing
            continue
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr, None)
            if callable(obj) and not inspect.ismodule(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def declared() -> dict[str, Declaration]:
    """The declarations of every declared public function and class, by name."""
    out = {}
    for key, obj in public_objects().items():
        if hasattr(obj, "__lossviz_constraints__"):
            decl = REGISTRY.get(key)
            assert decl is not None, f"{key} carries constraints but is not in the registry"
            out[key] = decl
    return dict(sorted(out.items()))


def target(decl: Declaration) -> Any:
    """The callable whose signature the declaration is about (``__init__``/``__new__`` of a class)."""
    obj = decl.obj
    if isinstance(obj, type):
        return obj.__new__ if issubclass(obj, tuple) else obj.__init__
    return obj


def valid_call(decl: Declaration) -> dict[str, Any]:
    """Keyword arguments of a valid call: the declaration's example, then each constraint's."""
    kwargs: dict[str, Any] = dict(decl.example()) if decl.example is not None else {}
    params = list(inspect.signature(inspect.unwrap(target(decl))).parameters.items())
    if isinstance(decl.obj, type):
        params = params[1:]  # self, or cls of __new__
    for name, param in params:
        if name in kwargs or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is inspect.Parameter.empty:
            constraint: Constraint | None = decl.constraints.get(name)
            assert constraint is not None, f"{decl.qualname}: required parameter {name!r} is not declared"
            kwargs[name] = constraint.example()
    return kwargs


def nonfinite_in(value: Any, depth: int = 0) -> str | None:
    """Where ``value`` (a result) holds nan or inf, or None if it is finite throughout."""
    if depth > 4:
        return None
    if isinstance(value, (bool, np.bool_, int, np.integer, str, bytes)) or value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if np.isfinite(value) else repr(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
            return f"array of shape {value.shape} with non-finite values"
        return None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value[:50]):
            where = nonfinite_in(item, depth + 1)
            if where:
                return f"[{i}] {where}"
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            where = nonfinite_in(getattr(value, f.name), depth + 1)
            if where:
                return f".{f.name} {where}"
    return None
