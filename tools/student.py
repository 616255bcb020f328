"""Write the student copy of the exercises from the worked notebook.

One source, two versions: ``notebooks/06_the_posts_five_questions.ipynb`` holds the questions,
the worked answers and the checks; this script writes
``notebooks/student/06_the_posts_five_questions.ipynb`` from it::

    python tools/student.py          # or: make student
    python tools/student.py --check  # exit 1 if the student copy is out of date

It is course tooling, not part of the ``lossviz`` package (it needs ``nbformat``,
from the ``course`` extra). Its default paths are in the repository that holds
it, whatever the current directory.

How the worked notebook marks what the student copy leaves out:

* a cell tagged ``solution`` (markdown or code) is dropped whole -- the worked
  reasoning, experiments and figures;
* in a code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION``
  (as nbgrader marks them) are replaced by one ``name = ____`` line for every
  name the region assigns at top level, at the region's indentation (or by
  ``# YOUR CODE HERE`` if it assigns none). Keep answer regions to the
  assignments of the answers the check cell reads.

Every other cell is kept (the questions, the set-up, the check cells), with its
outputs and execution count cleared, and a note on how to use the copy is put
after the title. The copy's metadata records a SHA-256 of its cells' types,
sources and tags as generated. Running it again compares the copy on disk with
that hash: a copy whose cells a learner has edited is never overwritten -- the
new version is written beside it (``06_the_posts_five_questions.new.ipynb``, then ``.new2``, ...)
and the command says so. Outputs are not the learner's writing: a copy that was
only run is treated as unedited.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import nbformat

__all__ = [
    "BEGIN",
    "END",
    "SOLUTION_TAG",
    "content_hash",
    "is_unedited",
    "main",
    "make_student_notebook",
    "write_student_copy",
]

#: Tag of a cell that only the worked notebook has.
SOLUTION_TAG = "solution"
#: Markers of a solution region inside a code cell.
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"

#: The repository this script belongs to (it lives in ``<root>/tools``).
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / "notebooks" / "06_the_posts_five_questions.ipynb"
DEFAULT_DEST = ROOT / "notebooks" / "student" / "06_the_posts_five_questions.ipynb"
_META_KEY = "lossviz"

_NOTE = """\
> **Your copy.** The student version of the worked notebook `{source}`, written by `make student` with
> the worked answers taken out. In each answer cell, replace every `____` with your answer and run it; then
> run the check cell below it. In a new cell, `qN.hint()` gives a nudge and `qN.solution()` a worked answer.
> Your edits are safe: regenerating never overwrites a copy you have changed."""


def _region_placeholder(lines: list[str], where: str) -> list[str]:
    """The placeholder lines that stand in for one solution region."""
    indent = re.match(r"[ \t]*", lines[0]).group(0) if lines else ""
    body = textwrap.dedent("".join(lines[1:-1]))
    try:
        tree = ast.parse(body)
    except SyntaxError as exc:
        raise ValueError(f"{where}: the solution region is not valid Python on its own ({exc})") from None
    names: list[str] = []

    def collect(target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            if target.id not in names:
                names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                collect(elt)

    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AnnAssign, ast.AugAssign))
            else []
        )
        for target in targets:
            collect(target)
    if not names:
        return [f"{indent}# YOUR CODE HERE\n"]
    return [f"{indent}{name} = ____\n" for name in names]


def _strip_solutions(source: str, where: str) -> str:
    """Replace each BEGIN/END SOLUTION region of a code cell's source."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    region: list[str] | None = None
    for line in lines:
        marker = line.strip()
        if marker == BEGIN:
            if region is not None:
                raise ValueError(f"{where}: '{BEGIN}' inside another solution region")
            region = [line]
        elif marker == END:
            if region is None:
                raise ValueError(f"{where}: '{END}' without a '{BEGIN}' before it")
            region.append(line)
            out += _region_placeholder(region, where)
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise ValueError(f"{where}: '{BEGIN}' without an '{END}'")
    if out == lines:  # no region: the cell is kept exactly as it is
        return source
    return "".join(out).rstrip("\n")


def _cells_digest(cells: Sequence[dict]) -> str:
    material = [
        {
            "cell_type": c["cell_type"],
            "source": _text(c.get("source", "")),
            "tags": sorted(c.get("metadata", {}).get("tags", [])),
        }
        for c in cells
    ]
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def content_hash(nb: nbformat.NotebookNode) -> str:
    """SHA-256 of a notebook's cell types, sources and tags (not outputs, not metadata)."""
    return _cells_digest(nb.cells)


_RELATIVE_LINK = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^)\s]+)\)")


def _relink(markdown: str, link_base: str) -> str:
    """Prefix relative links (``](04_x.ipynb)``) with ``link_base``, for a copy in another folder."""
    if not link_base or link_base == ".":
        return markdown
    return _RELATIVE_LINK.sub(lambda m: f"]({link_base}/{m.group(1)})", markdown)


def make_student_notebook(
    worked: nbformat.NotebookNode,
    source_name: str = "../06_the_posts_five_questions.ipynb",
    link_base: str = "..",
) -> nbformat.NotebookNode:
    """The student version of a worked notebook (a new notebook; ``worked`` is not changed).

    Parameters
    ----------
    worked : NotebookNode
        The worked notebook, nbformat 4.
    source_name : str
        How the note and the metadata name the worked notebook (relative to the
        student copy's folder).
    link_base : str, default ".."
        The worked notebook's folder as seen from the student copy's: relative
        links in markdown cells are prefixed with it so that they still resolve
        (``"."`` or ``""`` leaves them alone).

    Returns
    -------
    NotebookNode
        Cells tagged ``solution`` dropped, solution regions replaced by
        placeholders, outputs and execution counts cleared, a note after the
        title, and ``metadata["lossviz"]`` holding the content hash.

    Raises
    ------
    ValueError
        If the worked notebook has no solution markers at all, or a region is
        unbalanced or not valid Python.
    """
    if not isinstance(worked, nbformat.NotebookNode) or worked.get("nbformat") != 4:
        raise TypeError(f"worked must be an nbformat 4 NotebookNode, got {type(worked).__name__}")
    student = nbformat.v4.new_notebook()
    student.metadata = copy.deepcopy(worked.metadata)
    student.metadata.pop(_META_KEY, None)
    student.nbformat_minor = worked.nbformat_minor
    marked = False
    for i, cell in enumerate(worked.cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            marked = True
            continue
        new = copy.deepcopy(cell)
        new.metadata = {k: v for k, v in new.get("metadata", {}).items() if k == "tags"}
        if new.cell_type == "markdown":
            new.source = _relink(_text(new.source), link_base)
        elif new.cell_type == "code":
            src = _text(new.source)
            stripped = _strip_solutions(src, f"cell {i}")
            marked = marked or stripped != src
            new.source = stripped
            new.outputs = []
            new.execution_count = None
        student.cells.append(new)
    if not marked:
        raise ValueError(
            "the worked notebook marks no solutions: no cell is tagged "
            f"'{SOLUTION_TAG}' and no code cell has a '{BEGIN}' region"
        )
    note = nbformat.v4.new_markdown_cell(_NOTE.format(source=source_name))
    note.id = "student-copy-note"
    student.cells.insert(1 if student.cells and student.cells[0].cell_type == "markdown" else 0, note)
    student.metadata[_META_KEY] = {
        "student_copy_of": source_name,
        "generated_cells_sha256": content_hash(student),
        "regenerate_with": "make student",
    }
    return student


def is_unedited(nb: nbformat.NotebookNode) -> bool:
    """True when a student copy's cells are exactly as generated (outputs aside)."""
    meta = nb.get("metadata", {}).get(_META_KEY, {})
    stored = meta.get("generated_cells_sha256") if isinstance(meta, dict) else None
    return isinstance(stored, str) and stored == content_hash(nb)


def _serialise(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def _may_replace(path: Path) -> bool:
    """True when ``path`` does not exist or holds an unedited generated copy."""
    if not path.exists():
        return True
    try:
        return is_unedited(nbformat.read(path, as_version=4))
    except Exception:  # any file we cannot read as a notebook is someone's: keep it
        return False


def write_student_copy(source: Path = DEFAULT_SOURCE, dest: Path = DEFAULT_DEST) -> tuple[Path, str]:
    """Write the student copy of ``source`` to ``dest``, never over a learner's edits.

    Parameters
    ----------
    source : Path
        The worked notebook.
    dest : Path
        Where the student copy goes. If a copy there has been edited since it
        was generated (or is not a generated copy), it is left alone and the new
        version is written beside it: ``<stem>.new.ipynb``, ``<stem>.new2.ipynb``,
        ... (the first that is free or itself an unedited generated copy).

    Returns
    -------
    (Path, str)
        Where the copy was written (or found up to date), and a one-line report.

    Raises
    ------
    FileNotFoundError
        If ``source`` does not exist.
    ValueError
        If ``dest`` is ``source``, or the worked notebook's solution markers are
        broken (see :func:`make_student_notebook`).
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise FileNotFoundError(f"source notebook {source} not found; pass --source")
    if dest.resolve() == source.resolve():
        raise ValueError(f"source and dest are the same file ({source}); the student copy goes elsewhere")
    text = _generate(source, dest)
    target = dest
    n = 1
    while not _may_replace(target):
        target = dest.with_name(f"{dest.stem}.new{'' if n == 1 else n}{dest.suffix}")
        n += 1
    if target.exists() and target.read_text(encoding="utf-8") == text:
        done = f"{target} is up to date"
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        done = f"wrote {target}"
    if target != dest:
        return target, (
            f"{dest} has been edited since it was generated, so it was left as it "
            f"is; the new student copy is beside it: {done}"
        )
    return target, done


def _generate(source: Path, dest: Path) -> str:
    """The text of the student copy of ``source`` meant for ``dest``."""
    worked = nbformat.read(source, as_version=4)
    # Both names are relative to the copy's folder, so the copy is the same from any cwd.
    here = dest.resolve().parent
    link_base = Path(os.path.relpath(source.resolve().parent, here)).as_posix()
    name = Path(os.path.relpath(source.resolve(), here)).as_posix()
    return _serialise(make_student_notebook(worked, name, link_base))


def _is_current(source: Path, dest: Path) -> bool:
    if not source.is_file():
        raise FileNotFoundError(f"source notebook {source} not found; pass --source")
    return dest.is_file() and dest.read_text(encoding="utf-8") == _generate(source, dest)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python tools/student.py [--source S] [--dest D] [--check]``."""
    parser = argparse.ArgumentParser(
        prog="python tools/student.py",
        description="Write the student copy of the exercises (solutions out, outputs cleared). "
        "A copy a learner has edited is never overwritten.",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"worked notebook (default {DEFAULT_SOURCE.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help=f"student copy (default {DEFAULT_DEST.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the student copy differs from what would be generated",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            if _is_current(args.source, args.dest):
                print(f"{args.dest} is up to date")
                return 0
            print(f"{args.dest} differs from what {args.source} generates; run `make student`")
            return 1
        _, report = write_student_copy(args.source, args.dest)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
