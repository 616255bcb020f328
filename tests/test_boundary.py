"""The boundary of every declared public function, generated from its declarations.

For every function and class found by walking the public API (tests/declared_calls.py) that
declares its parameters (``@validate_params``, lossviz._constraints):

* a valid call built from the declarations returns, with finite results (unless the
  declaration says where ``inf``/``nan`` is the honest, documented answer) and no warning;
* every value that a parameter's constraint lists as bad (strings, bytes, datetimes, object
  and masked arrays, None, complex, nan/inf, ints past float range, out-of-range values, wrong
  shapes, too many elements, a class where an instance is wanted, ...) is refused with a
  TypeError or ValueError whose message names the parameter.

The core's modules must declare every public function and constructor (a test fails when
one does not); the other parts are covered as soon as they declare theirs. How many bad
inputs were tried is printed in the terminal summary (tests/conftest.py).
"""

from __future__ import annotations

import inspect
import warnings

import pytest
from declared_calls import declared, nonfinite_in, public_objects, valid_call

DECLARED = declared()

#: The modules whose every public function and constructor must be declared.
CORE = (
    "lossviz.data",
    "lossviz.losses",
    "lossviz.model",
    "lossviz.landscape",
    "lossviz.optim.sgd",
    "lossviz.optim.newton",
    "lossviz.optim.noise",
    "lossviz.optim.rules",
    "lossviz.optim.convergence",
)

#: Public callables of the core with nothing to declare, and why.
UNDECLARED = {
    "lossviz.losses.LogitLoss": "a Protocol: never constructed",
    "lossviz.optim.sgd.BatchProblem": "a Protocol: never constructed",
    "lossviz.optim.sgd.UpdateRule": "a Protocol: never constructed",
    "lossviz.optim.sgd.TrainResult": "a result record that train builds from validated values",
    "lossviz.optim.sgd.Runs": "a result record that run_sgd builds from validated values",
    "lossviz.optim.convergence.QuadraticOptimum": "a result record of the optimal_* functions",
}


def _stats(request: pytest.FixtureRequest):
    from collections import Counter

    config = request.config
    if not hasattr(config, "_lossviz_boundary_stats"):
        config._lossviz_boundary_stats = Counter()  # type: ignore[attr-defined]
    return config._lossviz_boundary_stats  # type: ignore[attr-defined]


def test_every_public_function_of_the_core_is_declared():
    missing = [
        key
        for key, obj in public_objects().items()
        if obj.__module__ in CORE and key not in UNDECLARED and not hasattr(obj, "__lossviz_constraints__")
    ]
    assert not missing, f"public functions of the core without declarations: {missing}"
    assert len([k for k in DECLARED if k.rsplit(".", 1)[0] in CORE]) >= 50


def test_every_declared_parameter_is_a_parameter_and_every_required_one_is_declared():
    for key, decl in DECLARED.items():
        call = valid_call(decl)  # asserts that each required parameter has a constraint
        assert call is not None, key


@pytest.mark.parametrize("key", list(DECLARED))
def test_a_valid_call_returns_finite_results_without_warnings(key):
    decl = DECLARED[key]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = decl.obj(**valid_call(decl))
    if not decl.nonfinite:
        assert nonfinite_in(result) is None, (key, nonfinite_in(result))


@pytest.mark.parametrize("key", list(DECLARED))
def test_every_listed_bad_value_of_every_parameter_is_refused_naming_it(key, request):
    decl = DECLARED[key]
    stats = _stats(request)
    base = valid_call(decl)
    params = inspect.signature(decl.obj).parameters if not isinstance(decl.obj, type) else None
    for name, constraint in decl.constraints.items():
        if params is not None and params[name].kind is inspect.Parameter.POSITIONAL_ONLY:
            continue  # pragma: no cover - none so far
        for label, bad in constraint.bad_values():
            call = {**base, name: bad}
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                try:
                    decl.obj(**call)
                except (TypeError, ValueError) as exc:
                    message = str(exc)
                    assert name in message, f"{key}({name}={label}): the message does not name it: {message}"
                    stats[type(exc).__name__] += 1
                    continue
            pytest.fail(f"{key}({name}=<{label}>) was not refused")
