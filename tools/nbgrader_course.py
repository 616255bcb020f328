"""Write an nbgrader course: one source assignment per lesson, from the worked lessons.

    python tools/nbgrader_course.py [--course DIR] [LESSON ...]     # or: make nbgrader [COURSE=DIR]

For every lesson with exercises it writes ``DIR/source/<lesson>/<lesson>.ipynb`` (default
``DIR`` is ``course/``), and ``DIR/nbgrader_config.py`` when there is none. In each assignment:

* every answer cell is an nbgrader **solution cell**: nbgrader replaces the worked answer between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` by ``# YOUR CODE HERE``, and the blanks
  ``name = ____`` (or a stub ``def f(...): return ____``) that this script puts in front of it
  stay, so an unattempted answer's check says *Not attempted* -- never a ``NameError``;
* every check cell is a locked **grade cell** worth the question's points: ``qN.grade(globals())``
  shows the feedback and fails unless the check says *Correct*;
* the exercises' set-up cell is locked (read-only); every other cell of the lesson is kept as it is.

Cells tagged ``solution`` or ``worked-only`` (worked answers, notes for readers of the worked
lesson) stay in the source, and nbgrader's ``TagRemovePreprocessor`` leaves them out of the
release (the configuration lists ``GenerateAssignment.preprocessors`` in full, because the
default list cannot be extended). The README's section *Running the course for a class* goes from
here to the grades.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the package of this checkout, whatever is installed
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import student  # noqa: E402  (tools/student.py: the placeholders of a solution region)

from lossviz.exercises import Sheet, sheets  # noqa: E402

__all__ = ["CONFIG", "assignment_notebook", "main", "write_course"]

#: The course's nbgrader_config.py, written when the course has none.
CONFIG = """\
# nbgrader's configuration for the lossviz course, written by `make nbgrader` (tools/nbgrader_course.py).
from nbconvert.preprocessors import TagRemovePreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    SaveCells,
)

c = get_config()  # noqa: F821 -- nbgrader provides it

c.CourseDirectory.course_id = "lossviz"

# A solution region becomes a comment, not `raise NotImplementedError()`: the blanks (`name = ____`) in
# front of it stay defined, so an unattempted answer is graded "Not attempted", not a NameError.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}

# Worked answers and notes for readers of the worked lessons are not released to students.
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = ("solution", "worked-only")
# The default list of preprocessors cannot be extended: it is given in full, with TagRemovePreprocessor first.
c.GenerateAssignment.preprocessors = [
    TagRemovePreprocessor,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutions,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]

# Some lessons run experiments of a minute or so (lesson 09's sweep, lesson 10's basins).
c.Execute.timeout = 600
"""

_GRADE = (
    "# Graded ({points} point{s}): this cell must say Correct. Run it to check your answer.\n"
    "{name}.grade(globals())"
)


def _meta(
    grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False, points: int = 0
) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def _with_blanks(source: str, answers: Sequence[str], where: str) -> str:
    """The answer cell's source with the blanks of its solution region put in front of the region."""
    lines = source.splitlines(keepends=True)
    begin = next(i for i, line in enumerate(lines) if line.strip() == student.BEGIN)
    end = next(i for i, line in enumerate(lines) if line.strip() == student.END)
    blanks = student.solution_blanks("".join(lines[begin : end + 1]), answers, where)
    return "".join(lines[:begin]) + blanks + "".join(lines[begin:])


def assignment_notebook(worked: nbformat.NotebookNode, sheet: Sheet) -> nbformat.NotebookNode:
    """The nbgrader source notebook of one lesson (a new notebook; ``worked`` is not changed).

    Parameters
    ----------
    worked : NotebookNode
        The worked lesson, with its generated Exercises cells (``tools/exercise_cells.py``).
    sheet : Sheet
        The lesson's declared exercises.

    Returns
    -------
    NotebookNode
        Outputs cleared; the answer cells nbgrader solution cells, with blanks in front of
        each solution region; the check cells locked grade cells calling ``qN.grade(globals())``;
        the set-up cell locked.

    Examples
    --------
    >>> import exercise_cells
    >>> from lossviz.exercises import loss_cost_objective as lesson
    >>> worked = nbformat.v4.new_notebook(cells=exercise_cells.section_cells(lesson.SHEET))
    >>> source = assignment_notebook(worked, lesson.SHEET)
    >>> [c.metadata["nbgrader"]["grade_id"] for c in source.cells if "nbgrader" in c.metadata]
    ['setup', 'q1-answer', 'q1', 'q2-answer', 'q2', 'q3-answer', 'q3']
    >>> print(source.cells[-1].source)
    # Graded (1 point): this cell must say Correct. Run it to check your answer.
    q3.grade(globals())
    """
    nb = copy.deepcopy(worked)
    by_id = {cell.get("id"): cell for cell in nb.cells}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    setup = by_id.get("exercises-setup")
    if setup is None:
        raise ValueError(f"{sheet.lesson}: no exercises set-up cell; run `make exercises` first")
    setup.metadata["nbgrader"] = _meta("setup", locked=True)
    for q in sheet.questions:
        answer, check = by_id.get(f"exercises-{q.name}-answer"), by_id.get(f"exercises-{q.name}-check")
        if answer is None or check is None:
            raise ValueError(f"{sheet.lesson}: the cells of {q.name} are missing; run `make exercises` first")
        answer.source = _with_blanks(answer.source, q.answer_names, f"{sheet.lesson} {q.name}")
        answer.metadata["nbgrader"] = _meta(f"{q.name}-answer", solution=True)
        check.source = _GRADE.format(points=q.points, s="" if q.points == 1 else "s", name=q.name)
        check.metadata["nbgrader"] = _meta(q.name, grade=True, locked=True, points=q.points)
    nb.metadata.pop("lossviz", None)
    return nb


def write_course(
    course: Path, lessons: Sequence[str] = (), notebooks: Path = ROOT / "notebooks"
) -> list[Path]:
    """Write the source assignments (and a configuration if there is none) under ``course``.

    Returns
    -------
    list of Path
        The notebooks written.
    """
    course = Path(course)
    written = []
    for sheet in sheets():
        if lessons and sheet.lesson not in lessons and sheet.lesson.removesuffix(".ipynb") not in lessons:
            continue
        worked = nbformat.read(notebooks / sheet.lesson, as_version=4)
        name = sheet.lesson.removesuffix(".ipynb")
        path = course / "source" / name / sheet.lesson
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(assignment_notebook(worked, sheet), path)
        written.append(path)
    config = course / "nbgrader_config.py"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
    elif config.read_text(encoding="utf-8") != CONFIG:
        print(f"{config} exists and differs from this course's: left as it is", file=sys.stderr)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python tools/nbgrader_course.py [--course DIR] [LESSON ...]``."""
    parser = argparse.ArgumentParser(
        prog="python tools/nbgrader_course.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "lessons", nargs="*", help="lessons (file names or stems; default: all with exercises)"
    )
    parser.add_argument("--course", type=Path, default=ROOT / "course", help="the nbgrader course directory")
    args = parser.parse_args(argv)
    written = write_course(args.course, args.lessons)
    if not written:
        print("no lesson matched", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    ids = sorted({re.sub(r"\.ipynb$", "", p.name) for p in written})
    print(
        f"{len(ids)} source assignments in {args.course / 'source'}; next: nbgrader generate_assignment "
        "<name>"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
