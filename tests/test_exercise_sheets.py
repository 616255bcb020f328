"""Every lesson's exercises, from their declarations: the one solution is Correct, each declared
mistake gets its own message, the blank is Not attempted, and no odd answer gives a traceback.

These tests read the declarations (lossviz.exercises.<slug>.SHEET); tests/test_exercises.py
checks the answers against independent derivations, question by question.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from lossviz.exercises import Choice, Feedback, Function, NotCorrect, Number, Vector, ____, sheets
from lossviz.exercises._answers import resolve

SHEETS = sheets()
QUESTIONS = [(sheet, q) for sheet in SHEETS for q in sheet.questions]
IDS = [f"{sheet.slug}.{q.name}" for sheet, q in QUESTIONS]


def _solved(sheet, q) -> dict:
    """Run the sheet's set-up, the question's preamble and its declared solution; return the namespace."""
    ns: dict = {}
    exec(compile(sheet.setup, f"<{sheet.slug} set-up>", "exec"), ns)
    if q.preamble:
        exec(compile(q.preamble, f"<{sheet.slug}.{q.name} preamble>", "exec"), ns)
    exec(compile(q.solution_code, f"<{sheet.slug}.{q.name} solution>", "exec"), ns)
    return ns


@pytest.fixture(scope="module")
def solved():
    return {(sheet.slug, q.name): _solved(sheet, q) for sheet, q in QUESTIONS}


def _answers(solved, sheet, q) -> dict:
    ns = solved[(sheet.slug, q.name)]
    return {n: ns[n] for n in q.answer_names}


def test_every_lesson_but_the_map_has_two_to_five_exercises():
    assert len(SHEETS) >= 10
    for sheet in SHEETS:
        assert 2 <= len(sheet.questions) <= 5, sheet.lesson
        assert [q.name for q in sheet.questions] == [f"q{i}" for i in range(1, len(sheet.questions) + 1)]
        assert f"from lossviz.exercises.{sheet.slug}" in sheet.setup
        assert "import ____" in sheet.setup.replace("import ____,", "import ____") or "____" in sheet.setup


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_the_declared_solution_is_correct(solved, sheet, q):
    fb = q.check(**_answers(solved, sheet, q))
    assert fb.status == "Correct", str(fb)
    assert q.solution().code == q.solution_code
    q.grade(_answers(solved, sheet, q))  # the nbgrader form agrees


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_the_blank_is_not_attempted(sheet, q):
    assert q.check().status == "Not attempted"
    fb = q.check(*[____] * len(q.answers))
    assert fb.status == "Not attempted" and "____" in fb.message
    with pytest.raises(NotCorrect, match="Not attempted"):
        q.grade({})  # nothing defined: not a NameError
    with pytest.raises(NotCorrect, match="Not attempted"):
        q.grade(dict.fromkeys(q.answer_names, ____))


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_one_blank_among_answers_is_named(solved, sheet, q):
    if len(q.answers) < 2:
        return
    right = _answers(solved, sheet, q)
    last = q.answer_names[-1]
    fb = q.check(**{**right, last: ____})
    assert fb.status == "Not attempted" and last in fb.message
    assert q.answer_names[0] not in fb.message


def _mistake_cases(q):
    for a in q.answers:
        for i, mistake in enumerate(a.mistakes):
            yield a, i, mistake


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_each_declared_mistake_gets_its_message(solved, sheet, q):
    right = _answers(solved, sheet, q)
    values = q.values
    for a, i, mistake in _mistake_cases(q):
        wrong = mistake.value if isinstance(a, Function) else resolve(mistake.value, values)
        if isinstance(a, Number) and a.integer:
            wrong = round(float(wrong)) if float(wrong).is_integer() else float(wrong)
        fb = q.check(**{**right, a.name: wrong})
        message = mistake.message(values) if callable(mistake.message) else mistake.message.format_map(values)
        assert fb.status == "Incorrect", f"{a.name} mistake {i}: {fb}"
        assert message in fb.message, f"{a.name} mistake {i}: {fb}"
        assert len(fb.message) < 600
    for a in q.answers:
        if isinstance(a, Choice):
            want = a.expected(values)
            for key in a.options:
                fb = q.check(**{**right, a.name: key})
                if key == want:
                    assert fb.correct, str(fb)
                else:
                    assert fb.status == "Incorrect" and a.feedback[key].format_map(values) in fb.message
    for relation in q.relations:
        fb = q.check(**{**right, **relation.example(right, values)})
        assert fb.status == "Incorrect", str(fb)


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_no_message_gives_the_answer_away(solved, sheet, q):
    """A wrong answer's message never prints the expected number."""
    right = _answers(solved, sheet, q)
    values = q.values
    for a in q.answers:
        if isinstance(a, (Number, Vector)):
            want = np.atleast_1d(a.expected(values))
            fb = q.check(
                **{**right, a.name: (want * 1.37) if isinstance(a, Vector) else float(want[0]) * 1.37 + 1}
            )
            assert fb.status == "Incorrect", str(fb)
            for w in want:
                for digits in (3, 4, 6):
                    text = f"{w:.{digits}f}"
                    if abs(w) > 1e-3 and text not in ("0.000", "0.0000", "1.000", "1.0000", "2.000"):
                        assert text not in fb.message, (text, fb.message)


class _BadFloat:
    def __float__(self):
        raise RuntimeError("no float for you")


class _BadArray:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array for you")

    def __len__(self):
        raise RuntimeError("no length either")


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr")


ODD_VALUES = [
    None,
    "0.2",
    b"1",
    [],
    [[]],
    {},
    set(),
    object(),
    np.array([]),
    float("nan"),
    math.inf,
    -math.inf,
    1j,
    np.complex128(1 + 2j),
    True,
    10**400,
    [10**400, 1],
    [1, "a"],
    [1, [2, 3]],
    np.ones((3, 3)),
    lambda: 1,
    lambda *args: 1 / 0,
    lambda *args: "text",
    lambda *args: float("nan"),
    Feedback,
    _BadFloat(),
    _BadArray(),
    _BadRepr(),
]


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_an_odd_answer_gets_a_message_not_a_traceback(solved, sheet, q):
    right = _answers(solved, sheet, q)
    for a in q.answers:
        for odd in ODD_VALUES:
            fb = q.check(**{**right, a.name: odd})
            assert isinstance(fb, Feedback)
            assert fb.status == "Incorrect", f"{a.name} = {odd!r}: {fb}"
            assert a.name in fb.message, f"{a.name} = {odd!r}: {fb}"
            assert "could not be checked" not in fb.message, f"{a.name} = {odd!r}: {fb}"


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_a_function_that_changes_its_inputs_changes_nothing(solved, sheet, q):
    right = _answers(solved, sheet, q)
    for a in q.answers:
        if isinstance(a, Function):
            honest = right[a.name]

            def vandal(*args, _f=honest):
                result = _f(*copy.deepcopy(args))
                for arg in args:
                    if isinstance(arg, np.ndarray) and arg.dtype.kind == "f":
                        arg[...] = 0.0
                return result

            assert q.check(**{**right, a.name: vandal}).correct
            assert q.check(**right).correct


@pytest.mark.parametrize("sheet, q", QUESTIONS, ids=IDS)
def test_hints_solution_and_repr(sheet, q):
    first = q.hint()
    assert first.status == "Hint" and first.message
    if len(q.hints) > 1:
        assert f"{q.name}.hint(2)" in first.message
    assert q.hint(len(q.hints)).message.startswith(q.hints[-1])
    for bad in (0, len(q.hints) + 1, "1", True, 1.5):
        assert "has hints" in q.hint(bad).message
    sol = q.solution()
    assert sol.status == "Solution" and sol.message and sol.code == q.solution_code
    for name in q.answer_names:
        assert name in q.solution_code
    assert q.name in repr(q) and q.title in repr(q)
    assert q.text.strip() and q.tolerance


def test_too_many_or_unknown_arguments_get_a_message():
    q = SHEETS[0].questions[0]
    fb = q.check(*[____] * (len(q.answers) + 1))
    assert fb.status == "Incorrect" and "takes the answers" in fb.message
    fb = q.check(no_such_answer=1)
    assert fb.status == "Incorrect" and "takes the answers" in fb.message
