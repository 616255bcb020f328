"""The nbgrader round trip, run with nbgrader itself in a temporary course directory.

`tools/nbgrader_course.py` (make nbgrader) writes the source assignment of lesson 01; nbgrader
generates the release; three students submit -- one with some answers right and some wrong, one
with every answer right, one who changed nothing -- and nbgrader autogrades them. Every grade
cell's score is checked, and an unattempted answer must say "Not attempted", never NameError.
About half a minute. Needs the `grading` extra (nbgrader); skipped without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader")

import nbgrader_course  # tools/nbgrader_course.py (pyproject puts tools/ on the path)
from nbgrader.api import Gradebook

from lossviz.exercises import loss_cost_objective

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01_loss_cost_objective"


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    # nbgrader's db commands run alembic from the environment's bin; the checkout's lossviz goes first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _answer(nb: nbformat.NotebookNode, question: str, old: str, new: str) -> None:
    cell = next(c for c in nb.cells if c.get("id") == f"exercises-{question}-answer")
    assert old in cell.source, cell.source
    cell.source = cell.source.replace(old, new)


def _submit(course: Path, student: str, edit) -> None:
    nb = nbformat.read(course / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)
    edit(nb)
    folder = course / "submitted" / student / LESSON
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{LESSON}.ipynb")


def _mixed(nb):
    _answer(nb, "q1", "rises_most = ____\ncost_at_half = ____", "rises_most = '2'\ncost_at_half = np.log(2)")
    _answer(  # the textbook formula: overflows for confident mistakes
        nb,
        "q2",
        "    return ____",
        "    p = 1 / (1 + np.exp(-z))\n    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))",
    )
    _answer(nb, "q3", "what_happens = ____\n", "")  # the blank deleted, nothing written


def _all_right(nb):
    for q in loss_cost_objective.SHEET.questions:
        cell = next(c for c in nb.cells if c.get("id") == f"exercises-{q.name}-answer")
        cell.source += "\n" + q.solution_code


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    written = nbgrader_course.write_course(course, [LESSON])
    assert written == [course / "source" / LESSON / f"{LESSON}.ipynb"]
    assert (course / "nbgrader_config.py").read_text() == nbgrader_course.CONFIG
    _nbgrader(course, "db", "assignment", "add", LESSON)
    _nbgrader(course, "generate_assignment", LESSON, "--force")
    _submit(course, "alice", _mixed)
    _submit(course, "bob", _all_right)
    _submit(course, "carol", lambda nb: None)
    for student in ("alice", "bob", "carol"):
        _nbgrader(course, "db", "student", "add", student)
    _nbgrader(course, "autograde", LESSON)
    yield course
    shutil.rmtree(course, ignore_errors=True)


def test_the_release_has_blanks_no_solutions_and_no_worked_only_cells(course):
    release = nbformat.read(course / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)
    text = "\n".join(c.source for c in release.cells)
    for q in loss_cost_objective.SHEET.questions:
        assert q.solution_code not in text
    assert "np.log1p(np.exp(-np.abs(z)))" not in text
    assert "NotImplementedError" not in text
    assert "rises_most = ____" in text and "def cost_from_logits(y, z):\n    return ____" in text
    assert not any("worked-only" in c.metadata.get("tags", []) for c in release.cells)
    grade_cells = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [c.source.splitlines()[-1] for c in grade_cells] == [f"q{i}.grade(globals())" for i in (1, 2, 3)]
    assert all(
        c.metadata["nbgrader"]["locked"] and c.metadata["nbgrader"]["points"] == 1 for c in grade_cells
    )


def test_every_score(course):
    want = {
        "alice": {"q1": 1, "q2": 0, "q3": 0},
        "bob": {"q1": 1, "q2": 1, "q3": 1},
        "carol": {"q1": 0, "q2": 0, "q3": 0},
    }
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, scores in want.items():
            submission = gb.find_submission(LESSON, student)
            grades = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            assert grades == scores, student
            assert submission.score == sum(scores.values()) and submission.max_score == 3


def _check_outputs(course: Path, student: str) -> dict[str, str]:
    nb = nbformat.read(course / "autograded" / student / LESSON / f"{LESSON}.ipynb", as_version=4)
    out = {}
    for cell in nb.cells:
        cid = cell.get("id", "")
        if cid.endswith("-check"):
            texts = []
            for o in cell.outputs:
                if o.output_type == "error":
                    texts.append(f"{o.ename}: {o.evalue}")
                elif "data" in o:
                    texts.append(o.data.get("text/plain", ""))
            out[cid.split("-")[1]] = "\n".join(texts)
    return out


def test_the_feedback_says_why_and_never_name_error(course):
    alice = _check_outputs(course, "alice")
    assert alice["q1"].startswith("Correct")
    assert "Incorrect" in alice["q2"] and "textbook formula" in alice["q2"]
    assert "Not attempted" in alice["q3"] and "NameError" not in alice["q3"]
    carol = _check_outputs(course, "carol")
    assert all("Not attempted" in text and "NameError" not in text for text in carol.values()), carol
    assert all(text.startswith("Correct") for text in _check_outputs(course, "bob").values())
