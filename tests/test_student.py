"""Tests of tools/student.py and of the committed student copies of the lessons.

The student copies are generated, never edited by hand: each must be exactly what
`python tools/student.py` (make student) writes; its Exercises section must run with every check
saying "Not attempted" (lesson 06, all exercises, top to bottom), and a learner who fills in the
blanks must get feedback, not errors. The generator must never overwrite a copy a learner has edited.
"""

import itertools
import json
import multiprocessing
import os
import threading
import time
from pathlib import Path

import nbformat
import pytest
import student  # tools/student.py: pyproject's [tool.pytest.ini_options] puts tools/ on the path
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from student import BEGIN, END, check_names, is_unedited, make_student_notebook, write_student_copy

from lossviz.exercises import sheets

ROOT = Path(__file__).resolve().parents[1]
WORKED = ROOT / "notebooks" / "06_the_posts_five_questions.ipynb"
COPY = ROOT / "notebooks" / "student" / "06_the_posts_five_questions.ipynb"
LESSONS = student.lessons()
SHEETS = {sheet.lesson: sheet for sheet in sheets()}


def _worked_example() -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "# Title\n\nSee [lesson 4](04_x.ipynb), [docs](https://example.org), [here](#q)."
            ),
            new_markdown_cell("The worked answer: 42.", metadata={"tags": ["solution"]}),
            new_code_cell("answer = 6 * 7\nprint(answer)", metadata={"tags": ["solution"]}),
            new_code_cell(
                f"setup = 1\n{BEGIN}\na = 1\nb, c = 2, 3\na += 1\n{END}\ncheck(a, b, c)",
                execution_count=3,
                outputs=[new_output("stream", text="Correct\n")],
            ),
            new_code_cell(f"for i in range(2):\n    {BEGIN}\n    total = i\n    {END}\n    pass"),
            new_code_cell(f"{BEGIN}\nprint('no assignment')\n{END}"),
            new_code_cell(
                f"# answer\n{BEGIN}\nhelper = 2\ndef f(y, z=1):\n    return y * helper\nkept = f(1)\n{END}"
            ),
            new_code_cell("q9.check(f, kept)"),
            new_markdown_cell(
                "Teachers: see [the other lesson](02_y.ipynb).", metadata={"tags": ["worked-only"]}
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


# ------------------------------------------------------------------ the transformation


def test_solutions_are_replaced_and_the_rest_kept():
    worked = _worked_example()
    before = nbformat.writes(worked)
    nb = make_student_notebook(worked, "../w.ipynb")
    assert nbformat.writes(worked) == before  # the worked notebook is untouched
    sources = [c.source for c in nb.cells]
    assert not any("42" in s or "6 * 7" in s for s in sources)  # solution cells dropped
    assert "a = ____\nb = ____\nc = ____\ncheck(a, b, c)" in sources[2]
    assert sources[2].startswith("setup = 1\n")
    assert "    total = ____\n    pass" in sources[3]  # the region's indentation
    assert sources[4] == "# YOUR CODE HERE"
    # only the names the check cell reads get a blank; a function gets a stub with its signature
    assert sources[5] == "# answer\nkept = ____\ndef f(y, z=1):\n    return ____"
    assert not any("Teachers" in s for s in sources)  # worked-only cells are left out
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "../w.ipynb" in sources[1] and "student" in sources[1].lower()  # the note after the title
    assert sources[0].startswith("# Title")
    nbformat.validate(nb)


def test_relative_links_are_rebased_for_the_copys_folder():
    nb = make_student_notebook(_worked_example(), link_base="..")
    title = nb.cells[0].source
    assert "](../04_x.ipynb)" in title
    assert "](https://example.org)" in title and "](#q)" in title
    same_folder = make_student_notebook(_worked_example(), link_base=".")
    assert "](04_x.ipynb)" in same_folder.cells[0].source
    # a lesson with a student copy of its own is linked there: the learner stays in the copies
    among_copies = make_student_notebook(_worked_example(), link_base="..", student_names={"04_x.ipynb"})
    assert "](04_x.ipynb)" in among_copies.cells[0].source


def test_check_names_reads_the_check_call():
    assert check_names("q2.check(params_1_then_2, params_2_then_1, slope)") == [
        "params_1_then_2",
        "params_2_then_1",
        "slope",
    ]
    assert check_names("print(1)") == []


@pytest.mark.parametrize(
    "source, word",
    [
        (f"{BEGIN}\nx = 1", "without an"),
        (f"x = 1\n{END}", "without a"),
        (f"{BEGIN}\n{BEGIN}\n{END}\n{END}", "inside another"),
        (f"{BEGIN}\nx = (1\n{END}", "not valid Python"),
    ],
)
def test_unbalanced_or_broken_regions_are_errors(source, word):
    nb = new_notebook(cells=[new_code_cell(source)])
    with pytest.raises(ValueError, match=word):
        make_student_notebook(nb)


def test_a_notebook_without_solutions_is_an_error():
    with pytest.raises(ValueError, match="marks no solutions"):
        make_student_notebook(new_notebook(cells=[new_code_cell("x = 1")]))
    with pytest.raises(ValueError, match="marks no solutions"):  # a trailing newline is not a region
        make_student_notebook(new_notebook(cells=[new_code_cell("x = 1\n")]))
    with pytest.raises(TypeError, match="NotebookNode"):
        make_student_notebook({"cells": []})


# ------------------------------------------------------------------ never losing a learner's work


@pytest.fixture
def worked_file(tmp_path):
    path = tmp_path / "05_w.ipynb"
    nbformat.write(_worked_example(), path)
    return path


def test_writes_then_reports_up_to_date(worked_file, tmp_path):
    dest = tmp_path / "student" / "05_w.ipynb"
    assert write_student_copy(worked_file, dest) == (dest, f"wrote {dest}")
    assert is_unedited(nbformat.read(dest, as_version=4))
    text = dest.read_text()
    assert write_student_copy(worked_file, dest) == (dest, f"{dest} is up to date")
    assert dest.read_text() == text


def test_an_edited_copy_is_kept_and_the_new_one_written_beside_it(worked_file, tmp_path):
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    nb = nbformat.read(dest, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("a = ____", "a = 2  # my answer")
    nbformat.write(nb, dest)
    edited = dest.read_text()
    assert not is_unedited(nb)

    path, report = write_student_copy(worked_file, dest)
    assert dest.read_text() == edited  # the learner's work is intact
    assert path == dest.with_name("05_w.new.ipynb") and path.is_file()
    assert "edited" in report and str(path) in report
    assert is_unedited(nbformat.read(path, as_version=4))

    # the worked notebook changes; the learner has also edited the .new copy: .new2
    other = nbformat.read(path, as_version=4)
    other.cells[3].source += "\n# mine too"
    nbformat.write(other, path)
    worked = nbformat.read(worked_file, as_version=4)
    worked.cells[0].source += "\n\nA new paragraph."
    nbformat.write(worked, worked_file)
    path2, _ = write_student_copy(worked_file, dest)
    assert path2 == dest.with_name("05_w.new2.ipynb")
    assert dest.read_text() == edited
    assert "# mine too" in path.read_text()


def test_a_copy_that_was_only_run_is_regenerated(worked_file, tmp_path):
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    nb = nbformat.read(dest, as_version=4)
    nb.cells[2].outputs = [new_output("stream", text="Not attempted\n")]
    nb.cells[2].execution_count = 1
    nbformat.write(nb, dest)
    assert is_unedited(nbformat.read(dest, as_version=4))
    path, report = write_student_copy(worked_file, dest)
    assert path == dest and report == f"wrote {dest}"
    assert nbformat.read(dest, as_version=4).cells[2].outputs == []


@pytest.mark.parametrize(
    "content",
    [
        "not json at all",
        json.dumps({"cells": []}),
        nbformat.writes(new_notebook(cells=[new_code_cell("mine")])),
    ],
)
def test_a_file_that_is_not_a_generated_copy_is_never_overwritten(worked_file, tmp_path, content):
    dest = tmp_path / "student" / "05_w.ipynb"
    dest.parent.mkdir()
    dest.write_text(content)
    path, _ = write_student_copy(worked_file, dest)
    assert dest.read_text() == content
    assert path.name == "05_w.new.ipynb"


def test_the_worked_notebook_is_never_its_own_destination(worked_file):
    before = worked_file.read_text()
    with pytest.raises(ValueError, match="same file"):
        write_student_copy(worked_file, worked_file)
    assert worked_file.read_text() == before


def test_command_line(worked_file, tmp_path, capsys):
    dest = tmp_path / "s" / "05_w.ipynb"
    args = ["--source", str(worked_file), "--dest", str(dest)]
    assert student.main([*args, "--check"]) == 1
    assert student.main(args) == 0
    assert "wrote" in capsys.readouterr().out
    assert student.main([*args, "--check"]) == 0
    assert student.main(["--source", str(tmp_path / "missing.ipynb"), "--dest", str(dest)]) == 2
    assert "not found" in capsys.readouterr().err


# ------------------------------------------------------------------ the committed copies


def test_every_lesson_but_the_map_has_a_student_copy_and_exercises():
    names = [p.name for p in LESSONS]
    assert "00_start_here.ipynb" not in names
    assert set(SHEETS) <= set(names)
    for path in LESSONS:
        assert (ROOT / "notebooks" / "student" / path.name).is_file(), path.name


def test_the_committed_student_copies_are_what_the_command_writes(capsys):
    assert student.main(["--check"]) == 0, capsys.readouterr().out + "\nrun `make student`"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_student_copy_keeps_every_question_and_check_and_no_answer(path):
    worked = nbformat.read(path, as_version=4)
    copy = nbformat.read(ROOT / "notebooks" / "student" / path.name, as_version=4)
    assert is_unedited(copy)
    assert "widgets" not in copy.metadata  # re-executing a lesson must not make its copy stale
    checks = [c.source for c in copy.cells if c.cell_type == "code" and ".check(" in c.source]
    assert checks == [c.source for c in worked.cells if c.cell_type == "code" and ".check(" in c.source]
    sheet = SHEETS[path.name]
    assert len(checks) == len(sheet.questions)
    text = "\n".join(c.source for c in copy.cells)
    assert "SOLUTION" not in text
    for q in sheet.questions:
        assert q.solution_code not in text
    assert not any(
        {"solution", "worked-only"} & set(c.get("metadata", {}).get("tags", [])) for c in copy.cells
    )
    for number, q in enumerate(sheet.questions, start=1):
        assert sheet.question_heading.format(number=number, title=q.title) in text


def _exercises_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The Exercises section of a lesson on its own: it must need nothing from above it."""
    ids = [c.get("id") for c in nb.cells]
    nb.cells = nb.cells[ids.index("exercises-setup") :]
    return nb


def _run(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(COPY.parent)}}
    )
    return client.execute()


@pytest.mark.parametrize("path", [p for p in LESSONS if p != WORKED], ids=lambda p: p.stem)
def test_a_student_copys_exercises_run_on_their_own_and_are_not_attempted(path):
    nb = _run(_exercises_only(nbformat.read(ROOT / "notebooks" / "student" / path.name, as_version=4)))
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", cell.source
    statuses = _check_outputs(nb)
    assert len(statuses) == len(SHEETS[path.name].questions)
    assert all(s.startswith("Not attempted") for s in statuses), statuses


def _check_outputs(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and ".check(" in cell.source:
            texts = [
                o["data"]["text/plain"] for o in cell.outputs if o.get("output_type") == "execute_result"
            ]
            assert len(texts) == 1, cell.source
            out.append(texts[0])
    return out


def test_the_student_copy_runs_top_to_bottom_and_every_check_is_not_attempted():
    nb = _run(nbformat.read(COPY, as_version=4))
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", cell.source
            assert output.get("name") != "stderr", output.get("text")
    statuses = _check_outputs(nb)
    assert len(statuses) == 5
    assert all(s.startswith("Not attempted") for s in statuses), statuses


def test_a_learner_filling_in_the_blanks_of_the_five_questions_gets_feedback_not_errors():
    nb = nbformat.read(COPY, as_version=4)
    answers = {  # as a learner would type them: right, wrong, wrong type, and untouched
        "full_batch_updates_per_second = ____": "full_batch_updates_per_second = 1 / 5",
        "minibatch_updates_per_second = ____": "minibatch_updates_per_second = 1 / 0.02",
        "minibatch_updates_per_epoch = ____": "minibatch_updates_per_epoch = 32",
        "faster = ____": "faster = 'mini-batch'",
        "grad_of_cost = ____": "grad_of_cost = lv.per_sample_gradients(q3.params, x, y).sum(axis=0)",
        "variances = ____": "variances = 'small'",
        "penalty_gradient = ____": "penalty_gradient = [-q5.lam * q5.params[0], 0]",
        "why_mean = ____": "why_mean = 'b'",
        "tradeoff = ____": "tradeoff = 'a'",
    }
    for cell in nb.cells:
        if cell.cell_type == "code":
            for blank, typed in answers.items():
                cell.source = cell.source.replace(blank, typed)
    nb.cells.append(new_code_cell("q1.hint()"))
    nb.cells.append(new_code_cell("q5.solution()"))
    nb = _run(nb)
    q1_fb, q2_fb, q3_fb, q4_fb, q5_fb = _check_outputs(nb)
    assert q1_fb.startswith("Correct")
    assert q2_fb.startswith("Not attempted")
    assert q3_fb.startswith("Incorrect") and "1000 times too large" in q3_fb and "why_mean" not in q3_fb
    assert q4_fb.startswith("Incorrect") and "should be 6 numbers" in q4_fb and "checked once" in q4_fb
    assert q5_fb.startswith("Not attempted") and "sample_gradient" in q5_fb
    hint, solution = (c.outputs[0]["data"]["text/plain"] for c in nb.cells[-2:])
    assert hint.startswith("Hint:")
    assert solution.startswith("Solution:") and "penalty_gradient" in solution


def test_a_learner_writing_functions_and_choosing_gets_feedback_not_errors():
    nb = _exercises_only(
        nbformat.read(ROOT / "notebooks" / "student" / "01_loss_cost_objective.ipynb", as_version=4)
    )
    typed = {  # a right prediction with a wrong cost, the textbook formula, and an untouched choice
        "rises_most = ____\ncost_at_half = ____": "rises_most = '2'\ncost_at_half = np.log10(2)",
        "    return ____": "    p = 1 / (1 + np.exp(-z))\n    return np.mean(-(y * np.log(p) + (1 - y) * "
        "np.log(1 - p)))",
    }
    for cell in nb.cells:
        for blank, answer in typed.items():
            cell.source = cell.source.replace(blank, answer)
    nb.cells += [new_code_cell("q2.hint(2)"), new_code_cell("q2.solution()")]
    nb = _run(nb)
    for cell in nb.cells:
        assert all(o["output_type"] != "error" for o in cell.get("outputs", [])), cell.source
    q1_fb, q2_fb, q3_fb = _check_outputs(nb)
    assert q1_fb.startswith("Incorrect") and "base-10" in q1_fb and "rises_most" not in q1_fb
    assert q2_fb.startswith("Incorrect") and "textbook formula" in q2_fb
    assert q3_fb.startswith("Not attempted")
    hint, solution = (c.outputs[0]["data"]["text/plain"] for c in nb.cells[-2:])
    assert hint.startswith("Hint:") and "np.log1p" in hint
    assert solution.startswith("Solution:") and "def cost_from_logits(y, z):" in solution


def test_the_defaults_are_in_the_repository_whatever_the_current_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # nothing to find here
    assert student.DEFAULT_SOURCE == WORKED and student.DEFAULT_DEST == COPY
    assert student.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert all(f"{p.name} is up to date" in out for p in LESSONS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_worked_lesson_sends_learners_to_their_copy(path):
    worked = nbformat.read(path, as_version=4)
    notes = [
        c.source
        for c in worked.cells
        if c.cell_type == "markdown"
        and {"worked-only", "solution"} & set(c.get("metadata", {}).get("tags", []))
    ]
    assert any(f"](student/{path.name})" in n for n in notes), "no link to the student copy"


def test_lesson_00_links_every_student_copy():
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    text = "\n".join(c.source for c in start.cells if c.cell_type == "markdown")
    for path in LESSONS:
        assert f"](student/{path.name})" in text, path.name


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_student_copys_links_to_other_lessons_stay_in_the_copies(path):
    copy = nbformat.read(ROOT / "notebooks" / "student" / path.name, as_version=4)
    text = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
    for other in LESSONS:
        assert f"](../{other.name})" not in text, f"links to the worked {other.name}"


@pytest.mark.parametrize("name", ["student", "exercise_cells", "nbgrader_course"])
def test_the_tools_doctests(name):
    import doctest
    import importlib

    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


# ------------------------------------------------------------------ writing safely: atomic and locked


def _leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (the lock file is meant to stay)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _change_worked(worked_file: Path, text: str = "A new paragraph.") -> None:
    worked = nbformat.read(worked_file, as_version=4)
    worked.cells[0].source += f"\n\n{text}"
    nbformat.write(worked, worked_file)


class _HalfWriter:
    """A file whose write stores half the bytes, then fails as a full disk does."""

    def __init__(self, f):
        self._f = f

    def write(self, data):
        self._f.write(data[: len(data) // 2])
        self._f.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def test_a_write_that_fails_half_way_leaves_the_old_copy_intact(worked_file, tmp_path, monkeypatch, capsys):
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    before = dest.read_bytes()
    _change_worked(worked_file)
    real_fdopen = student.os.fdopen
    monkeypatch.setattr(student.os, "fdopen", lambda fd, mode: _HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="No space left"):
        write_student_copy(worked_file, dest)
    assert dest.read_bytes() == before  # the old copy, whole: never a half-written notebook
    assert is_unedited(nbformat.read(dest, as_version=4))
    assert _leftovers(dest.parent) == []
    assert student.main(["--source", str(worked_file), "--dest", str(dest)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left" in err and "Traceback" not in err
    monkeypatch.undo()
    path, report = write_student_copy(worked_file, dest)  # the next run writes it: the copy was not "edited"
    assert path == dest and report == f"wrote {dest}" and "A new paragraph." in dest.read_text()


def test_a_replace_that_fails_leaves_the_old_copy_and_no_temporary_file(worked_file, tmp_path, monkeypatch):
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    before = dest.read_bytes()
    _change_worked(worked_file)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(student.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_student_copy(worked_file, dest)
    assert dest.read_bytes() == before and _leftovers(dest.parent) == []


def test_the_copy_is_moved_into_place_and_keeps_the_files_mode(worked_file, tmp_path, monkeypatch):
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    assert dest.stat().st_mode & 0o777 == 0o666 & ~_umask()  # not mkstemp's 0600
    dest.chmod(0o640)
    _change_worked(worked_file)
    moves = []
    real_replace = student.os.replace
    monkeypatch.setattr(
        student.os, "replace", lambda a, b: (moves.append((Path(a), Path(b))), real_replace(a, b))
    )
    write_student_copy(worked_file, dest)
    [(src, dst)] = moves
    assert dst == dest and src.parent == dest.parent and src.name.endswith(".tmp")  # same folder: atomic
    assert dest.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_save_between_the_check_and_the_write_is_not_lost(worked_file, tmp_path, monkeypatch):
    """Jupyter saves the learner's work (without the lock) after the check, while the copy is written."""
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    _change_worked(worked_file)
    real_write_temp = student._write_temp
    saved = []

    def write_temp_while_the_learner_saves(folder, name, data):
        tmp = real_write_temp(folder, name, data)
        if not saved:  # once: the learner's save lands now
            nb = nbformat.read(dest, as_version=4)
            nb.cells[2].source = nb.cells[2].source.replace("a = ____", "a = 2  # my answer")
            nbformat.write(nb, dest)
            saved.append(dest.read_bytes())
        return tmp

    monkeypatch.setattr(student, "_write_temp", write_temp_while_the_learner_saves)
    path, report = write_student_copy(worked_file, dest)
    assert dest.read_bytes() == saved[0]  # the save is kept
    assert path == dest.with_name("05_w.new.ipynb") and "A new paragraph." in path.read_text()
    assert "edited" in report and str(path) in report
    assert _leftovers(dest.parent) == []


def test_a_save_with_the_same_size_and_time_is_still_seen(worked_file, tmp_path, monkeypatch):
    """The re-check compares the SHA-256 too: a save keeping size and mtime is not missed."""
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    _change_worked(worked_file)
    real_write_temp = student._write_temp

    def same_size_save(folder, name, data):
        tmp = real_write_temp(folder, name, data)
        if "____" in dest.read_text():
            st = dest.stat()
            text = dest.read_text().replace("a = ____", "a = 7___", 1)  # same length
            dest.write_text(text)
            os.utime(dest, ns=(st.st_atime_ns, st.st_mtime_ns))
        return tmp

    monkeypatch.setattr(student, "_write_temp", same_size_save)
    path, _ = write_student_copy(worked_file, dest)
    assert "a = 7___" in dest.read_text() and path.name == "05_w.new.ipynb"


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda good: good[: len(good) // 2],  # a save cut short
        lambda good: b"\xff\xfe" + good[2:],  # not UTF-8
        lambda good: json.dumps({"cells": [{"source": "x"}], "metadata": {}, "nbformat": 4}).encode(),
    ],
    ids=["cut-short", "not-utf8", "cells-without-type"],
)
def test_a_corrupt_copy_is_kept_reported_and_the_new_one_goes_beside_it(
    worked_file, tmp_path, capsys, corrupt
):
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    cut = corrupt(dest.read_bytes())
    dest.write_bytes(cut)
    assert student.main(["--source", str(worked_file), "--dest", str(dest), "--check"]) == 1
    assert "differs" in capsys.readouterr().out
    path, report = write_student_copy(worked_file, dest)
    assert dest.read_bytes() == cut
    assert path == dest.with_name("05_w.new.ipynb") and is_unedited(nbformat.read(path, as_version=4))
    assert "corrupt" in report and "kept" in report and str(path) in report and "\n" not in report
    assert student.main(["--source", str(worked_file), "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "corrupt" in out and "is up to date" in out  # the .new copy is current; the corrupt one still kept
    assert dest.read_bytes() == cut


def _record_lock_hold(dest, worked, log, pause):
    """Write a copy with a pause inside the locked part, logging when the locked part ran."""
    real = student._write_under_lock

    def slow(d, data):
        start = time.monotonic()
        time.sleep(pause)
        out = real(d, data)
        log.append((start, time.monotonic()))
        return out

    student._write_under_lock = slow
    try:
        return write_student_copy(worked, dest)
    finally:
        student._write_under_lock = real


def test_two_generators_in_threads_never_interleave(worked_file, tmp_path):
    dest = tmp_path / "student" / "05_w.ipynb"
    other = tmp_path / "06_w.ipynb"  # a second worked version: the generators write different copies
    nbformat.write(_worked_example(), other)
    _change_worked(other, "Another version.")
    log: list = []
    results: list = []
    real = student._write_under_lock

    def slow(d, data):
        start = time.monotonic()
        time.sleep(0.05)
        out = real(d, data)
        log.append((start, time.monotonic()))
        return out

    student._write_under_lock = slow
    try:
        threads = [
            threading.Thread(target=lambda w=w: results.append(write_student_copy(w, dest)))
            for w in [worked_file, other] * 3
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        student._write_under_lock = real
    assert len(results) == 6 and len(log) == 6
    spans = sorted(log)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans)), spans
    assert is_unedited(nbformat.read(dest, as_version=4))  # whole, and the last one's
    assert sorted(p.name for p in dest.parent.iterdir()) == [student.LOCK_NAME, "05_w.ipynb"]


def _generate_in_a_process(args):
    worked, dest, log, pause = args
    spans: list = []
    _record_lock_hold(Path(dest), Path(worked), spans, pause)
    with open(log, "a") as f:
        f.write(json.dumps(spans[0]) + "\n")


def test_two_generator_processes_never_interleave(worked_file, tmp_path):
    dest = tmp_path / "student" / "05_w.ipynb"
    log = tmp_path / "spans.jsonl"
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(3) as pool:
        pool.map(_generate_in_a_process, [(str(worked_file), str(dest), str(log), 0.1)] * 3)
    spans = sorted(json.loads(line) for line in log.read_text().splitlines())
    assert len(spans) == 3
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
    assert is_unedited(nbformat.read(dest, as_version=4))
    assert sorted(p.name for p in dest.parent.iterdir()) == [student.LOCK_NAME, "05_w.ipynb"]


def test_a_lock_held_too_long_is_one_line(worked_file, tmp_path, monkeypatch, capsys):
    dest = tmp_path / "student" / "05_w.ipynb"
    dest.parent.mkdir()
    monkeypatch.setattr(student, "LOCK_TIMEOUT", 0.2)
    with student.folder_lock(dest.parent):
        assert student.main(["--source", str(worked_file), "--dest", str(dest)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another `make student`" in err and student.LOCK_NAME in err
    assert not dest.exists()


@pytest.mark.parametrize("where", ["mkstemp", "lock", "mkdir"])
def test_permission_problems_are_one_line_and_a_non_zero_exit(
    worked_file, tmp_path, monkeypatch, capsys, where
):
    dest = tmp_path / "student" / "05_w.ipynb"
    if where != "mkdir":
        write_student_copy(worked_file, dest)
        _change_worked(worked_file)
    before = dest.read_bytes() if dest.exists() else None

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(dest.parent))

    if where == "mkstemp":
        monkeypatch.setattr(student.tempfile, "mkstemp", denied)
    elif where == "lock":
        real_open = student.os.open
        monkeypatch.setattr(
            student.os,
            "open",
            lambda p, *a, **k: denied() if str(p).endswith(student.LOCK_NAME) else real_open(p, *a, **k),
        )
    else:
        monkeypatch.setattr(Path, "mkdir", denied)
    assert student.main(["--source", str(worked_file), "--dest", str(dest)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "permission denied" in err and "Traceback" not in err, err
    assert str(dest) in err
    assert (dest.read_bytes() if dest.exists() else None) == before


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes to read-only folders; the monkeypatched test covers it"
)
def test_a_really_read_only_folder_is_one_line(worked_file, tmp_path, capsys):  # pragma: no cover - root here
    dest = tmp_path / "student" / "05_w.ipynb"
    write_student_copy(worked_file, dest)
    _change_worked(worked_file)
    dest.parent.chmod(0o555)
    try:
        assert student.main(["--source", str(worked_file), "--dest", str(dest)]) == 2
    finally:
        dest.parent.chmod(0o755)
    assert "permission denied" in capsys.readouterr().err
