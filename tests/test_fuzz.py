"""Fuzzing every declared parameter of every declared public function, with hypothesis.

The strategies are generated from the declarations (lossviz._constraints): for each
parameter, hypothesis draws values around what its constraint accepts -- the constraint's
listed bad values, numbers of any magnitude (nan, ±inf, subnormals, 1e308, ints past float
range), strings, bytes, None, booleans, complex numbers, lists mixing numbers with None and
strings, arrays of random shapes and extreme values, sequences of bad items, classes where an
instance is wanted -- while the other arguments stay at a valid call
(tests/declared_calls.py). Every outcome must be one of:

* a return, with finite results (unless the declaration documents where ``inf``/``nan`` is
  the honest answer) and no RuntimeWarning;
* a TypeError or ValueError whose message names the fuzzed parameter (or, for a value
  refused because of its relation to another argument or because a result would overflow,
  names a declared parameter);
* an exception the declaration documents (``raises=``, e.g. minimise's RuntimeError for
  separable data).

Bounded to about a minute in all: hypothesis runs derandomized (the same examples every
run) with ``LOSSVIZ_FUZZ_EXAMPLES`` examples per function (default 80; a third for drawings), and
the outcomes by kind are printed in the terminal summary (tests/conftest.py) and written to
``fuzz_summary.json`` in pytest's temporary directory. ``make test-fuzz`` runs this file alone.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import os
import warnings
from collections import Counter
from typing import Any

import numpy as np
import pytest
from declared_calls import declared, nonfinite_in, valid_call
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lossviz import _constraints as C

DECLARED = declared()
EXAMPLES = int(os.environ.get("LOSSVIZ_FUZZ_EXAMPLES", "80"))
SLOW_EXAMPLES = max(3, EXAMPLES // 3)

# ----------------------------------------------------------------------------- strategies
_ANY_FLOAT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [0.0, -0.0, 5e-324, 1e-300, 1e-8, 0.5, 1.0, 1.5, 2.0, 1e6, 1e150, 1e151, 1e200, 1e308, -1e308]
    ),
)
_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=4),
    st.binary(max_size=3),
    st.complex_numbers(max_magnitude=1e3),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from(
        [dt.datetime(2026, 1, 1), dt.timedelta(seconds=2), np.datetime64("2026-01-01"), object()]
    ),
)
_ELEMENT = st.one_of(_ANY_FLOAT, st.integers(min_value=-(10**400), max_value=10**400), _JUNK)


def _listed(constraint: C.Constraint) -> st.SearchStrategy[Any]:
    return st.sampled_from([bad for _, bad in constraint.bad_values()])


def _array_strategy(c: C.RealArray) -> st.SearchStrategy[Any]:
    example = np.asarray(c.example(), dtype=np.float64)
    n = example.size
    same_shape_floats = st.lists(_ANY_FLOAT, min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=np.float64).reshape(example.shape)
    )
    scaled = st.sampled_from([1e-300, 1e-8, 1e8, 1e75, 1e149, 1e150]).map(lambda k: example * k)
    mixed = st.lists(_ELEMENT, min_size=max(1, n), max_size=max(1, n)).map(
        lambda v: v if example.ndim <= 1 else np.array(v, dtype=object).reshape(example.shape).tolist()
    )
    shapes = st.lists(st.integers(0, 6), min_size=0, max_size=3).flatmap(
        lambda shape: st.just(np.full(tuple(shape), 0.5))
    )
    return st.one_of(_listed(c), same_shape_floats, scaled, mixed, shapes, _JUNK)


def _interval_strategy(c: C.Interval) -> st.SearchStrategy[Any]:
    if c.kind is numbers.Integral:
        lo = -(10**6) if c.left is None else int(c.left)
        # small valid counts, and anything outside the interval: never a valid but huge amount of work
        near = st.integers(min_value=lo, max_value=lo + 8)
        outside = st.one_of(
            st.integers(max_value=lo - 1, min_value=-(10**400)),
            st.integers(min_value=int(c.right) + 1, max_value=10**400)
            if c.right is not None
            else st.nothing(),
        )
        return st.one_of(_listed(c), near, outside, _ANY_FLOAT, _JUNK)
    return st.one_of(_listed(c), _ANY_FLOAT, st.integers(min_value=-(10**400), max_value=10**400), _JUNK)


_CACHE: dict[int, tuple[C.Constraint, st.SearchStrategy[Any]]] = {}


def strategy_for(c: C.Constraint) -> st.SearchStrategy[Any]:
    """Values around what ``c`` accepts: its listed bad values and generated ones (built once)."""
    hit = _CACHE.get(id(c))
    if hit is None or hit[0] is not c:
        hit = _CACHE[id(c)] = (c, _build(c))
    return hit[1]


def _build(c: C.Constraint) -> st.SearchStrategy[Any]:
    if isinstance(c, C.RealArray):
        return _array_strategy(c)
    if isinstance(c, C.Interval):
        return _interval_strategy(c)
    if isinstance(c, C.OneOf):
        return st.one_of(*(strategy_for(m) for m in c.members))
    if isinstance(c, C.SequenceOf):
        item = strategy_for(c.item)
        good = st.just(c.item.example())
        return st.one_of(
            _listed(c),
            st.lists(st.one_of(good, item), min_size=0, max_size=4),
            st.tuples(good, item),
            item,
            _JUNK,
        )
    return st.one_of(_listed(c), _JUNK, st.sampled_from([int, float, list, type(None)]))


# ----------------------------------------------------------------------------- outcomes
def _stats(request: pytest.FixtureRequest) -> Counter:
    config = request.config
    if not hasattr(config, "_lossviz_fuzz_stats"):
        config._lossviz_fuzz_stats = Counter()  # type: ignore[attr-defined]
    return config._lossviz_fuzz_stats  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", list(DECLARED))
def test_every_outcome_is_a_finite_return_or_a_refusal_naming_the_parameter(key, request, tmp_path_factory):
    decl = DECLARED[key]
    base = valid_call(decl)
    names = sorted(decl.constraints)
    if not names:
        pytest.skip(f"{key} has no parameters")
    stats = _stats(request)
    allowed = (TypeError, ValueError, *decl.raises)

    @settings(
        max_examples=SLOW_EXAMPLES if decl.slow else EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(names), label="parameter")
        value = data.draw(strategy_for(decl.constraints[name]), label=name)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            try:
                result = decl.obj(**{**base, name: value})
            except allowed as exc:
                message = str(exc)
                kind = type(exc).__name__
                if isinstance(exc, (TypeError, ValueError)):
                    named = name in message or (
                        isinstance(exc, ValueError) and any(other in message for other in names)
                    )
                    assert named, f"{key}({name}={C.short(value)}): {kind} does not name it: {message}"
                stats[f"refused: {kind}"] += 1
                return
        where = nonfinite_in(result)
        if decl.nonfinite:
            stats["returned (documented inf/nan allowed)"] += 1
            return
        assert where is None, f"{key}({name}={C.short(value)}) returned a non-finite result: {where}"
        stats["returned, finite"] += 1

    run()
    config = request.config
    config._lossviz_fuzz_functions = getattr(config, "_lossviz_fuzz_functions", 0) + 1  # type: ignore[attr-defined]
    summary = tmp_path_factory.getbasetemp() / "fuzz_summary.json"
    summary.write_text(
        json.dumps(
            {
                "functions": config._lossviz_fuzz_functions,
                "inputs": sum(stats.values()),
                "outcomes": dict(stats),
            },  # type: ignore[attr-defined]
            indent=1,
        )
    )
