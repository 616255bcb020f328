"""The declarative constraints themselves (lossviz._constraints): every kind refuses what it lists.

The functions that use them are tested from their declarations in tests/test_boundary.py and
tests/test_fuzz.py; this file checks the building blocks and the decorator.
"""

from __future__ import annotations

import datetime as dt
import numbers

import numpy as np
import pytest

from lossviz import _constraints as C
from lossviz._validation import as_float_array, as_int, as_scalar

KINDS = [
    C.RealArray(),
    C.RealArray(ndim=None),
    C.RealArray(shape=(None, 2)),
    C.Probabilities(),
    C.Labels(),
    C.Labels(hard=True),
    C.Params(),
    C.RealArray(increasing=True, example_value=[0.0, 1.0, 2.0]),
    C.Interval(numbers.Real, 0, None, closed="neither"),
    C.Interval(numbers.Real, 0, 1, closed="left"),
    C.Interval(numbers.Integral, 1, 10**6, ceiling_hint="ask for fewer"),
    C.Interval(numbers.Integral, 0, None),
    C.Interval(numbers.Real, 0, None, none_ok=True),
    C.Options(("path", "final")),
    C.Boolean(),
    C.CallableOf(),
    C.InstanceOf(
        np.random.Generator, "np.random.default_rng(0)", example_factory=lambda: np.random.default_rng(0)
    ),
    C.SequenceOf(C.Interval(numbers.Integral, 1, None)),
    C.SequenceOf(C.RealArray(), min_len=2),
    C.OneOf((C.Interval(numbers.Real, 0, None, closed="neither"), C.RealArray(lo=0, lo_open=True))),
]


@pytest.mark.parametrize("constraint", KINDS, ids=repr)
def test_every_kind_accepts_its_example_and_refuses_its_bad_values(constraint):
    constraint("arg", constraint.example())
    for label, bad in constraint.bad_values():
        with pytest.raises((TypeError, ValueError)) as info:
            constraint("arg", bad)
        assert "arg" in str(info.value), (label, str(info.value))


@pytest.mark.parametrize(
    ("value", "exc", "text"),
    [
        (["0", "1"], TypeError, "strings are not numbers"),
        (np.array([b"1"]), TypeError, "strings are not numbers"),
        (np.array(["2026-01-01"], dtype="datetime64[D]"), TypeError, "dates and times"),
        ([dt.timedelta(seconds=1)], TypeError, "index 0"),
        ([1.0, None, 2.0], TypeError, "None at index 1"),
        (np.ma.masked_array([1.0, 2.0], mask=[True, False]), TypeError, "masked arrays are refused"),
        ([1.0, 2j], TypeError, "complex"),
        ([1, 10**400], ValueError, "within float range, got 1000"),
        (np.array([1, 10**400], dtype=object), ValueError, "index 1"),
        ([[1.0], [1.0, 2.0]], TypeError, "x must be"),
    ],
)
def test_arrays_refuse_what_is_not_a_real_number(value, exc, text):
    with pytest.raises(exc, match="x") as info:
        C.RealArray(ndim=None)("x", value)
    assert text in str(info.value)
    with pytest.raises(exc):  # the imperative helper the topic and plot modules call refuses alike
        as_float_array("x", value, ndim=None)


@pytest.mark.parametrize(
    ("value", "exc"),
    [
        (10**400, ValueError),
        (-(10**400), ValueError),
        ("0.1", TypeError),
        (b"1", TypeError),
        (True, TypeError),
        (dt.datetime(2026, 1, 1), TypeError),
        (np.timedelta64(1, "s"), TypeError),
        (1j, TypeError),
        (None, TypeError),
    ],
)
def test_numbers_refuse_what_is_not_a_real_number(value, exc):
    with pytest.raises(exc, match="lr"):
        C.Interval(numbers.Real, 0, None, closed="neither")("lr", value)
    with pytest.raises(exc, match="lr"):
        as_scalar("lr", value)


def test_integers_out_of_float_range_are_refused_with_value_error():
    with pytest.raises(ValueError, match="seed must be an integer within float range"):
        as_int("seed", 10**400)
    with pytest.raises(ValueError, match=r"epochs must be <= 1000 \(the limit\), got 1000000000000: fewer"):
        C.Interval(numbers.Integral, 1, 1000, ceiling_hint="fewer")("epochs", 10**12)


def test_magnitudes_past_max_abs_are_refused_naming_the_argument_and_the_index():
    with pytest.raises(ValueError, match=r"x is too large: .* got 1e\+200 at index 2"):
        C.RealArray()("x", [0.0, 1.0, 1e200])
    assert as_float_array("x", [1e300]).tolist() == [1e300]  # the helpers set no ceiling


def test_a_class_where_an_instance_is_expected_says_so():
    class Loss:
        pass

    with pytest.raises(TypeError, match="got the class Loss itself: call it"):
        C.InstanceOf(Loss, "Loss()")("loss", Loss)


def test_sequences_refuse_none_and_single_values():
    seq = C.SequenceOf(C.Interval(numbers.Integral, 1, None), max_len=3)
    with pytest.raises(TypeError, match="batch_sizes must be a list or tuple"):
        seq("batch_sizes", None)
    with pytest.raises(TypeError, match="one value, not a sequence"):
        seq("batch_sizes", 4)
    with pytest.raises(ValueError, match="at most 3 items"):
        seq("batch_sizes", [1, 2, 3, 4])
    assert seq("batch_sizes", (1, 2.0)) == [1, 2]


def test_the_decorator_converts_passes_on_and_records():
    @C.validate_params({"x": C.RealArray(), "n": C.Interval(numbers.Integral, 1, None), "p": C.Params()})
    def f(x, n=2, *, p=(0.0, 1.0)):
        return x, n, p

    x, n, p = f([1, 2], 3.0)
    assert x.dtype == np.float64 and n == 3 and isinstance(n, int)
    assert p.tolist() == [0.0, 1.0]  # the default converted too
    p[0] = 5.0
    assert f([1])[2].tolist() == [0.0, 1.0]  # and never shared between calls
    assert f.__lossviz_constraints__.keys() == {"x", "n", "p"}
    assert C.REGISTRY[f"{__name__}.test_the_decorator_converts_passes_on_and_records.<locals>.f"].obj is f
    with pytest.raises(TypeError):
        f([1], 2, 3)  # too many positional arguments: Python's own error
    with pytest.raises(TypeError, match="n must be an integer"):
        f(x=[1], n="2")
    with pytest.raises(TypeError, match="no parameter"):
        C.validate_params({"nope": C.Boolean()})(lambda a: a)
    C.REGISTRY.pop(f"{__name__}.test_the_decorator_converts_passes_on_and_records.<locals>.f")


def test_the_decorator_wraps_a_class_constructor():
    @C.validate_params({"beta": C.Interval(numbers.Real, 0, 1, closed="left")})
    class Rule:
        def __init__(self, beta=0.9):
            self.beta = beta

    assert Rule(np.float32(0.5)).beta == 0.5
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\), got 1.0"):
        Rule(1.0)
    C.REGISTRY.pop(f"{__name__}.{Rule.__qualname__}")
