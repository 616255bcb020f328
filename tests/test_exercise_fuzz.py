"""No learner input gives a traceback: bad answers of every kind, tried on every exercise of every lesson.

The exercises are found through the registry (:func:`lossviz.exercises.sheets`); each answer of each
question is given, in turn, every kind of bad value below while the other answers are right (so the
bad one is really read), and then all at once. Each must get *Incorrect* with one line that names the
answer and says what was expected -- never a traceback, never a warning, never the last-resort
"could not be checked", and never *Correct* by accident (``["0.5", "0.25"]`` is text, ``[True, False]``
is not a vector of numbers). A hypothesis test then generates nested lists with bad items hidden inside.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lossviz.exercises as ex
from lossviz.exercises import Choice, Feedback, Function, NotCorrect, Number, Vector, sheets

SHEETS = sheets()
QUESTIONS = [(sheet, q) for sheet in SHEETS for q in sheet.questions]
IDS = [f"{sheet.slug}.{q.name}" for sheet, q in QUESTIONS]
SLOTS = [(sheet, q, a) for sheet, q in QUESTIONS for a in q.answers]

_GRAD_MESSAGE = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."


class FakeTensor:
    """What a torch tensor that requires grad does to numpy and float(): it refuses (torch not needed)."""

    requires_grad = True

    def __float__(self) -> float:
        raise RuntimeError(_GRAD_MESSAGE)

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise RuntimeError(_GRAD_MESSAGE)

    def __len__(self) -> int:
        return 2

    def __getitem__(self, i: int) -> FakeTensor:
        if not 0 <= i < 2:
            raise IndexError(i)
        return FakeTensor()

    def detach(self) -> FakeTensor:
        return self

    def __repr__(self) -> str:
        return "tensor([0.5, 0.25], requires_grad=True)"


class RaisingIndex:
    def __index__(self) -> int:
        raise RuntimeError("no __index__")


class RaisingEq:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no __eq__")

    __hash__ = object.__hash__


class RaisingBool:
    def __bool__(self) -> bool:
        raise RuntimeError("no __bool__")


class RaisingLen(list):
    def __len__(self) -> int:
        raise RuntimeError("no __len__")


class RaisingIter(list):
    def __iter__(self):
        raise RuntimeError("no __iter__")


class RaisingRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no __repr__")


def _recursive() -> list:
    a: list = [0.5]
    a.append(a)
    return a


_HUGE = [0.5] * 1_200_000  # more than lossviz.exercises._answers.MAX_ITEMS; shared, never changed

#: Each kind of bad answer, made afresh for every use (generators are used up once read).
BAD: dict[str, Callable[[], Any]] = {
    "int too large for a float": lambda: 10**400,
    "negative int too large": lambda: -(10**400),
    "int too large to print": lambda: 10**5000,
    "too-large int in a list": lambda: [10**400, 0.5],
    "too-large int in an object array": lambda: np.array([10**400, 0.5], dtype=object),
    "tensor that requires grad": FakeTensor,
    "list of tensors": lambda: [FakeTensor(), FakeTensor()],
    "__index__ raises": RaisingIndex,
    "__eq__ raises": RaisingEq,
    "__bool__ raises": RaisingBool,
    "__len__ raises": lambda: RaisingLen([0.5, 0.25]),
    "__iter__ raises": lambda: RaisingIter([0.5, 0.25]),
    "__repr__ raises": RaisingRepr,
    "recursive list": _recursive,
    "huge list": lambda: _HUGE,
    "None": lambda: None,
    "list of None": lambda: [None, None],
    "number as text": lambda: "0.5",
    "numbers as text in a list": lambda: ["0.5", "0.25"],
    "numbers as text in an array": lambda: np.array(["0.5", "0.25"]),
    "bytes": lambda: b"0.5",
    "nan": lambda: math.nan,
    "inf": lambda: -math.inf,
    "nan in a list": lambda: [math.nan, 0.5],
    "numpy nan": lambda: np.float64("nan"),
    "bool": lambda: True,
    "numpy bool": lambda: np.bool_(False),
    "0-d bool array": lambda: np.array(True),
    "bools in a list": lambda: [True, False],
    "bool array": lambda: np.array([True, False]),
    "bool among numbers": lambda: [True, 0.5],
    "ragged list": lambda: [[0.5, 0.25], [0.5]],
    "dict": lambda: {"w": 0.5, "b": 0.25},
    "set": lambda: {0.5, 0.25},
    "generator": lambda: (v for v in (0.5, 0.25)),
    "complex": lambda: 1 + 2j,
    "complex in a list": lambda: [1j, 0.5],
    "date": lambda: np.datetime64("2024-01-01"),
    "masked array": lambda: np.ma.masked_array([0.5, 0.25], mask=[True, False]),
    "empty list": list,
    "class": lambda: Feedback,
}

#: Bad results of a learner's function (the function itself is fine to call).
BAD_RESULTS = {f"function returning {kind}": make for kind, make in BAD.items() if kind != "huge list"}


def _right(sheet, q) -> dict:
    ns: dict = {}
    exec(compile(sheet.setup, f"<{sheet.slug} set-up>", "exec"), ns)
    if q.preamble:
        exec(compile(q.preamble, f"<{sheet.slug}.{q.name} preamble>", "exec"), ns)
    exec(compile(q.solution_code, f"<{sheet.slug}.{q.name} solution>", "exec"), ns)
    return {n: ns[n] for n in q.answer_names}


_RIGHT: dict = {}


def _cached_right(sheet, q) -> dict:
    """The right answers of a question, worked out once (hypothesis calls the tests many times)."""
    key = (sheet.slug, q.name)
    if key not in _RIGHT:
        _RIGHT[key] = _right(sheet, q)
    return _RIGHT[key]


@pytest.fixture(scope="module")
def right():
    return {(sheet.slug, q.name): _cached_right(sheet, q) for sheet, q in QUESTIONS}


def _check_quietly(q, answers: dict) -> tuple[Feedback, list]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fb = q.check(**answers)
    return fb, caught


def _assert_one_clear_line(fb: Feedback, caught: list, name: str, what: str) -> None:
    assert isinstance(fb, Feedback), what
    assert fb.status == "Incorrect", f"{name} = {what}: {fb}"
    first = fb.message.split("\n\n")[0]
    assert f"`{name}`" in first, f"{name} = {what}: {fb}"
    assert "\n" not in first and len(first) < 400, f"{name} = {what}: {fb}"
    assert "could not be checked" not in fb.message, f"{name} = {what}: {fb}"
    assert "Traceback" not in fb.message, f"{name} = {what}: {fb}"
    expected = ("should", "has shape", "returned shape", "the right result is")
    assert any(w in first for w in expected), f"{name} = {what}: says what was expected: {fb}"
    assert not caught, f"{name} = {what}: warned {[str(w.message) for w in caught]}"


def test_the_registry_lists_every_lesson_module():
    modules = {m.name for m in pkgutil.iter_modules(ex.__path__) if not m.name.startswith("_")}
    assert modules == set(ex.SHEETS)
    for name in ex.SHEETS:
        assert importlib.import_module(f"lossviz.exercises.{name}").SHEET in SHEETS


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_every_bad_kind_gets_one_clear_line(right, sheet, q):
    answers = right[(sheet.slug, q.name)]
    assert q.check(**answers).correct
    for a in q.answers:
        for kind, make in BAD.items():
            fb, caught = _check_quietly(q, {**answers, a.name: make()})
            _assert_one_clear_line(fb, caught, a.name, kind)
        if isinstance(a, Function):
            for kind, make in BAD_RESULTS.items():
                fb, caught = _check_quietly(q, {**answers, a.name: lambda *args, _m=make: _m()})
                _assert_one_clear_line(fb, caught, a.name, kind)


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_all_answers_bad_at_once_and_grade(right, sheet, q):
    for kind, make in BAD.items():
        fb, caught = _check_quietly(q, {n: make() for n in q.answer_names})
        for name in q.answer_names:
            assert f"`{name}`" in fb.message, f"all = {kind}: {fb}"
        assert fb.status == "Incorrect" and "could not be checked" not in fb.message and not caught, kind
        with pytest.raises(NotCorrect, match="Incorrect"):
            q.grade({n: make() for n in q.answer_names})


def test_the_kinds_give_the_messages_they_should():
    """What the learner reads, for a few kinds (on lesson 06's q5, a vector and lesson 04's q1, a count)."""
    five = importlib.import_module("lossviz.exercises.five_questions").SHEET.questions[4]
    vec = five.answers[0].name
    right = _right(SHEETS[[s.slug for s in SHEETS].index("five_questions")], five)

    def first(value, name=vec):
        return five.check(**{**right, name: value}).message.split("\n\n")[0]

    assert "holds text" in first(["0.5", "0.25"]) and "without quotes" in first(["0.5", "0.25"])
    assert "True/False" in first([True, False])
    assert "contains itself" in first(_recursive())
    assert "more than 1,000,000 numbers" in first(_HUGE)
    assert "too large for floating point" in first([10**400, 1.0])
    assert "requires grad" in first(FakeTensor()) and "`.detach().numpy()`" in first(FakeTensor())
    assert "masked" in first(np.ma.masked_array([0.5, 0.25], mask=[True, False]))
    assert "make it a list" in first(v for v in (0.5, 0.25))
    assert "rows of different lengths" in first([[0.5], [0.5, 0.25]])
    count = importlib.import_module("lossviz.exercises.full_batch_vs_minibatch").SHEET.questions[0]
    name = count.answers[0].name
    msg = count.check(**dict.fromkeys(count.answer_names, 1) | {name: 10**400}).message
    assert "too large for a floating-point number (an integer of 401 digits)" in msg
    msg = count.check(**dict.fromkeys(count.answer_names, 1) | {name: "16"}).message
    assert "without quotes" in msg
    msg = count.check(**dict.fromkeys(count.answer_names, 1) | {name: np.array(True)}).message
    assert "True/False" in msg


def test_a_masked_array_without_masked_values_is_read():
    five = importlib.import_module("lossviz.exercises.five_questions").SHEET.questions[4]
    right = _right(SHEETS[[s.slug for s in SHEETS].index("five_questions")], five)
    name = five.answers[0].name
    assert five.check(**{**right, name: np.ma.masked_array(right[name], mask=False)}).correct


# ---------------------------------------------------------------- generated: bad items hidden in lists

_BAD_LEAVES = st.one_of(
    st.booleans(),
    st.none(),
    st.text(alphabet="0123456789.-e", min_size=1, max_size=6),
    st.integers(min_value=2**1024, max_value=2**1200),
    st.integers(min_value=-(2**1200), max_value=-(2**1024)),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.complex_numbers(allow_nan=False, allow_infinity=False).filter(lambda z: z.imag != 0),
    st.binary(min_size=1, max_size=4),
    st.dictionaries(st.text(max_size=2), st.floats(allow_nan=False), max_size=2),
    st.builds(FakeTensor),
)


_FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def _list_with_a_bad_item(draw) -> Any:
    """A list (or a list of lists) of numbers with at least one bad item at a random place."""
    numbers = draw(st.lists(_FLOATS, max_size=6))
    bad = draw(_BAD_LEAVES)
    numbers.insert(draw(st.integers(0, len(numbers))), bad)
    if draw(st.booleans()):
        numbers = [
            numbers,
            *draw(st.lists(st.lists(_FLOATS, min_size=len(numbers), max_size=len(numbers)), max_size=2)),
        ]
    return tuple(numbers) if draw(st.booleans()) else numbers


def _expects_numbers(a) -> bool:
    return isinstance(a, (Number, Vector))


NUMERIC_SLOTS = [s for s in SLOTS if _expects_numbers(s[2])]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slot=st.sampled_from(NUMERIC_SLOTS), bad=st.one_of(_list_with_a_bad_item(), _BAD_LEAVES))
def test_generated_bad_numbers_are_refused_in_one_line(slot, bad):
    sheet, q, a = slot
    answers = _cached_right(sheet, q)
    fb, caught = _check_quietly(q, {**answers, a.name: bad})
    _assert_one_clear_line(fb, caught, a.name, repr(bad)[:60])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    slot=st.sampled_from([s for s in SLOTS if isinstance(s[2], Function)]),
    bad=st.one_of(_list_with_a_bad_item(), _BAD_LEAVES),
)
def test_generated_bad_results_of_a_function_are_refused_in_one_line(slot, bad):
    sheet, q, a = slot
    answers = _cached_right(sheet, q)
    fb, caught = _check_quietly(q, {**answers, a.name: lambda *args: bad})
    _assert_one_clear_line(fb, caught, a.name, repr(bad)[:60])


@settings(max_examples=200, deadline=None)
@given(
    slot=st.sampled_from([s for s in SLOTS if isinstance(s[2], Choice)]),
    bad=st.one_of(
        st.integers().filter(lambda n: abs(n) > 10**6),
        st.integers(min_value=10**5000, max_value=10**5001),
        _FLOATS,
        _BAD_LEAVES.filter(lambda v: not isinstance(v, str)),
        _list_with_a_bad_item(),
    ),
)
def test_generated_non_options_are_refused_in_one_line(slot, bad):
    sheet, q, a = slot
    answers = _cached_right(sheet, q)
    fb, caught = _check_quietly(q, {**answers, a.name: bad})
    _assert_one_clear_line(fb, caught, a.name, repr(bad)[:60] if not isinstance(bad, int) else "a big int")


def test_the_last_resort_is_one_line_too(monkeypatch):
    """Should a check itself fail on some input, the learner still reads one line, not a traceback."""
    q = SHEETS[0].questions[0]

    def broken(self, given, missing):
        raise RuntimeError("a long\nmulti-line\n" + "x" * 500)

    monkeypatch.setattr(type(q), "_judge", broken)
    fb = q.check(*[1] * len(q.answers))
    assert fb.status == "Incorrect" and "could not be checked" in fb.message
    assert "\n" not in fb.message and len(fb.message) < 300


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_right_answers_as_numpy_scalars_arrays_or_tuples_are_still_correct(right, sheet, q):
    """The refusals above refuse types, not numbers: numpy scalars, 0-d arrays and tuples are read."""
    answers = right[(sheet.slug, q.name)]
    for a in q.answers:
        value = answers[a.name]
        if isinstance(a, Number):
            forms = [np.float64(value), np.array(float(value))]
            if a.integer:
                forms.append(np.int64(round(float(value))))
        elif isinstance(a, Vector):
            forms = [tuple(float(v) for v in np.ravel(value)), np.asarray(value, dtype=np.float64)]
        else:
            continue
        for form in forms:
            fb = q.check(**{**answers, a.name: form})
            assert fb.correct, f"{a.name} = {form!r}: {fb}"
