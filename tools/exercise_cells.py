"""Write each lesson's Exercises section from its declared questions (lossviz.exercises.<slug>).

One source: a question's text, its answer cell's solution and its check live in the package
(``lossviz/exercises/<slug>.py``); this script writes them into the lesson::

    python tools/exercise_cells.py            # or: make exercises
    python tools/exercise_cells.py --check    # exit 1 if a lesson's exercise cells are out of date

The section is a heading and a short intro, a cell linking to the student copy (tagged
``worked-only``: the student copy leaves it out), a set-up cell that imports what the section
needs (so it runs whatever the lesson above defines), and for each question its text, an answer
cell (the declared solution between ``### BEGIN SOLUTION`` and ``### END SOLUTION``) and a check
cell. Generated cells are found again by their ids (``exercises-q1-answer``, ...): they are
rewritten in place, and any other cell -- a worked answer after a check cell, say -- is kept.
A lesson without the section gets it at its end. After writing, re-execute the lesson.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the package of this checkout, whatever is installed
    sys.path.insert(0, str(ROOT))

from lossviz.exercises import Choice, Question, Sheet, sheets  # noqa: E402

__all__ = ["WORKED_TAG", "main", "section_cells", "update_lesson"]

#: Tag of a cell that only the worked lesson has (the student copy and nbgrader drop it).
WORKED_TAG = "worked-only"

_INTRO = (
    "Check your understanding of this lesson. Each exercise has an **answer cell** -- replace every `____` "
    "with your answer and run it -- and a **check cell** after it, which says *Correct*, *Incorrect* (what "
    "is "
    "wrong, not the answer) or *Not attempted*. In a new cell, `q1.hint()` gives a nudge and `q1.solution()` "
    "the worked answer. The cells below need nothing from the lesson above: run the set-up cell first."
)


def _your_copy(sheet: Sheet) -> str:
    return (
        "*This is the worked lesson: its answer cells hold the solutions.* To do the exercises yourself, "
        "open "
        f"your copy, [student/{sheet.lesson}](student/{sheet.lesson}): the same lesson with the answers "
        "taken "
        "out (`make student` writes it)."
    )


def _options(question: Question) -> str:
    parts = []
    for answer in question.answers:
        if isinstance(answer, Choice):
            lines = "\n".join(f"- `{key!r}`: {text}" for key, text in answer.options.items())
            parts.append(f"The options for `{answer.name}`:\n\n{lines}")
    return "\n\n".join(parts)


def _question_markdown(sheet: Sheet, number: int, question: Question) -> str:
    heading = sheet.question_heading.format(number=number, title=question.title)
    options = _options(question)
    return f"{heading}\n\n{question.text}" + (f"\n\n{options}" if options else "")


def _answer_source(number: int, question: Question, word: str) -> str:
    head = (
        f"# {word} {number}: replace each ____ with your answer, run this cell, then the check below.\n"
        f"# Stuck? In a new cell, {question.name}.hint() gives a nudge and {question.name}.solution() the "
        "answer."
    )
    body = [head]
    if question.preamble:
        body.append(question.preamble)
    body.append(f"### BEGIN SOLUTION\n{question.solution_code}\n### END SOLUTION")
    return "\n".join(body)


def _check_source(question: Question) -> str:
    return f"{question.name}.check({', '.join(question.answer_names)})"


def section_cells(sheet: Sheet) -> list[nbformat.NotebookNode]:
    """The generated cells of a lesson's Exercises section, each with its id.

    Parameters
    ----------
    sheet : Sheet

    Returns
    -------
    list of NotebookNode
        In order: the heading and intro (unless the sheet has no heading), the link to the
        student copy (tagged ``worked-only``), the set-up, and three cells per question.

    Examples
    --------
    >>> from lossviz.exercises import loss_cost_objective
    >>> [c.id for c in section_cells(loss_cost_objective.SHEET)][:5]
    ['exercises', 'exercises-your-copy', 'exercises-setup', 'exercises-q1', 'exercises-q1-answer']
    """
    new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = []
    if sheet.heading:
        cells.append(new_md(f"{sheet.heading}\n\n{sheet.intro or _INTRO}", id="exercises"))
        cells.append(new_md(_your_copy(sheet), id="exercises-your-copy", metadata={"tags": [WORKED_TAG]}))
    cells.append(new_code(sheet.setup, id="exercises-setup"))
    word = "Question" if "Question" in sheet.question_heading else "Exercise"
    for number, q in enumerate(sheet.questions, start=1):
        cells.append(new_md(_question_markdown(sheet, number, q), id=f"exercises-{q.name}"))
        cells.append(new_code(_answer_source(number, q, word), id=f"exercises-{q.name}-answer"))
        cells.append(new_code(_check_source(q), id=f"exercises-{q.name}-check"))
    return cells


def update_lesson(nb: nbformat.NotebookNode, sheet: Sheet) -> bool:
    """Bring a lesson's generated cells up to date, in place; True when anything changed.

    A generated cell already in the lesson (found by id) gets its source, type and tags
    rewritten (its outputs are kept until the lesson is re-executed); a missing one is inserted
    after the generated cell before it, or at the end of the lesson.

    Examples
    --------
    >>> from lossviz.exercises import loss_cost_objective
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · A lesson")])
    >>> sheet = loss_cost_objective.SHEET
    >>> update_lesson(nb, sheet), len(nb.cells), update_lesson(nb, sheet)
    (True, 13, False)
    """
    index = {cell.get("id"): i for i, cell in enumerate(nb.cells)}
    changed = False
    previous: int | None = None
    for cell in section_cells(sheet):
        tags = cell.metadata.get("tags", [])
        i = index.get(cell.id)
        if i is None:
            at = len(nb.cells) if previous is None else previous + 1
            nb.cells.insert(at, cell)
            index = {c.get("id"): j for j, c in enumerate(nb.cells)}
            previous = at
            changed = True
            continue
        old = nb.cells[i]
        if old.cell_type != cell.cell_type:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            nb.cells[i] = cell
            changed = True
        elif old.source != cell.source or sorted(old.metadata.get("tags", [])) != sorted(tags):
            old.source = cell.source
            if tags:
                old.metadata["tags"] = list(tags)
            else:
                old.metadata.pop("tags", None)
            changed = True
        previous = i
    return changed


def _lesson_path(sheet: Sheet, notebooks: Path) -> Path:
    return notebooks / sheet.lesson


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python tools/exercise_cells.py [--check] [--notebooks DIR] [LESSON ...]``."""
    parser = argparse.ArgumentParser(
        prog="python tools/exercise_cells.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("lessons", nargs="*", help="lesson file names (default: every lesson with exercises)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="the lessons' folder")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a lesson is out of date"
    )
    args = parser.parse_args(argv)
    stale = []
    for sheet in sheets():
        if args.lessons and sheet.lesson not in args.lessons:
            continue
        path = _lesson_path(sheet, args.notebooks)
        if not path.is_file():
            print(f"{path}: no such lesson (declared in lossviz.exercises.{sheet.slug})", file=sys.stderr)
            return 2
        nb = nbformat.read(path, as_version=4)
        if update_lesson(nb, sheet):
            stale.append(path)
            if not args.check:
                nbformat.write(nb, path)
                print(f"wrote the exercises of {path.name}; re-execute it")
    if args.check and stale:
        print("out of date: " + ", ".join(p.name for p in stale) + "; run `make exercises`")
        return 1
    if not stale:
        print("every lesson's exercises are up to date")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
