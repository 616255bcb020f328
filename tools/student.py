"""Write the student copy of every lesson: the worked lesson with its answers taken out.

One source, two versions: each lesson ``notebooks/NN_name.ipynb`` (lesson 00 aside) holds
its exercises with the worked answers; this script writes ``notebooks/student/NN_name.ipynb``
from it::

    python tools/student.py          # or: make student -- every lesson
    python tools/student.py --check  # exit 1 if a student copy is out of date
    python tools/student.py --source S --dest D   # one notebook

It is course tooling, not part of the ``lossviz`` package (it needs ``nbformat``,
from the ``course`` extra). Its default paths are in the repository that holds
it, whatever the current directory.

How the worked notebook marks what the student copy leaves out:

* a cell tagged ``solution`` (markdown or code) is dropped whole -- the worked
  reasoning, experiments and figures -- and so is a cell tagged ``worked-only``
  (a note for readers of the worked lesson);
* in a code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION``
  (as nbgrader marks them) are replaced by one ``name = ____`` line for every
  name the region assigns at top level, and a stub ``def f(...): return ____``
  for every function it defines, at the region's indentation (or by
  ``# YOUR CODE HERE`` if it does neither). Keep answer regions to the
  answers the check cell reads.

Every other cell is kept (the lesson, the questions, the set-up, the check cells), with its
outputs and execution count cleared, and a note on how to use the copy is put
after the title. Links to other lessons point to their student copies. The copy's metadata
records a SHA-256 of its cells' types, sources and tags as generated. Running it again
compares the copy on disk with that hash: a copy whose cells a learner has edited is never
overwritten -- the new version is written beside it (``NN_name.new.ipynb``, then
``.new2``, ...) and the command says so. Outputs are not the learner's writing: a copy that
was only run is treated as unedited. A copy that is not a readable notebook at all (corrupt:
cut short, not JSON) is kept too, reported as corrupt, and the new one goes beside it.

How a copy is written, so that nothing a learner saves is lost and no half-written notebook
is left behind:

* the whole run for one folder holds an exclusive lock (``fcntl.flock`` on
  ``<folder>/.student.lock``; ``msvcrt.locking`` on Windows), so two generators never
  interleave -- the second waits for the first (up to :data:`LOCK_TIMEOUT` seconds);
* under the lock, each candidate (``NN_name.ipynb``, then ``.new``, ``.new2``, ...) is
  checked: missing, unedited, edited or corrupt; its size, mtime and SHA-256 are noted;
* the new copy is written to a temporary file in the same folder (flushed and fsynced);
* just before the move, the chosen file is checked again (mtime and SHA-256): if a save
  from Jupyter -- which does not take the lock -- landed since the first check, the choice
  is made again (the learner's save now makes it an edited copy, kept as it is);
* then ``os.replace`` moves the temporary file into place, atomically: a reader sees the old
  copy or the new one, never part of one. A write that fails half way leaves the old copy
  as it was and removes the temporary file.

The one window left is between the second check and ``os.replace`` (microseconds): a save
landing exactly there would be replaced -- nothing but Jupyter itself taking the lock closes it.
Permission problems (a read-only folder) and a lock held too long are one line on stderr and
exit status 2, not a traceback.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import hashlib
import json
import os
import re
import sys
import tempfile
import textwrap
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = [
    "BEGIN",
    "END",
    "LOCK_NAME",
    "LOCK_TIMEOUT",
    "SOLUTION_TAG",
    "WORKED_ONLY_TAG",
    "content_hash",
    "folder_lock",
    "is_unedited",
    "lessons",
    "main",
    "make_student_notebook",
    "solution_blanks",
    "write_student_copy",
]

#: Tag of a cell that only the worked notebook has: a worked answer.
SOLUTION_TAG = "solution"
#: Tag of a note for readers of the worked lesson (a link to the student copy, say).
WORKED_ONLY_TAG = "worked-only"
#: Markers of a solution region inside a code cell.
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"

#: The repository this script belongs to (it lives in ``<root>/tools``).
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / "notebooks" / "06_the_posts_five_questions.ipynb"
DEFAULT_DEST = ROOT / "notebooks" / "student" / "06_the_posts_five_questions.ipynb"
#: Where the lessons are, and where their student copies go.
NOTEBOOKS = ROOT / "notebooks"
STUDENT = NOTEBOOKS / "student"
_META_KEY = "lossviz"
#: The lock file, in the student copies' folder (git ignores it).
LOCK_NAME = ".student.lock"
#: Seconds a generator waits for another one to finish before giving up.
LOCK_TIMEOUT = 120.0

_NOTE = """\
> **Your copy.** The student version of the worked lesson `{source}`, written by `make student` with
> the worked answers taken out. In each answer cell, replace every `____` with your answer and run it; then
> run the check cell below it. In a new cell, `qN.hint()` gives a nudge and `qN.solution()` a worked answer.
> Your edits are safe: regenerating never overwrites a copy you have changed."""


def lessons(notebooks: Path = NOTEBOOKS) -> list[Path]:
    """The lessons that have a student copy: ``NN_*.ipynb`` in ``notebooks``, lesson 00 (the map) aside.

    Examples
    --------
    >>> [p.name for p in lessons()][:2]
    ['01_loss_cost_objective.ipynb', '02_gradient_of_the_cost.ipynb']
    """
    return sorted(p for p in Path(notebooks).glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))


def _region_placeholder(lines: list[str], where: str, answers: Collection[str] = ()) -> list[str]:
    """The placeholder lines that stand in for one solution region.

    ``answers``, when given, are the names the check cell reads: only they get a placeholder,
    not the solution's intermediate variables.
    """
    match = re.match(r"[ \t]*", lines[0]) if lines else None
    indent = match.group(0) if match else ""
    body = textwrap.dedent("".join(lines[1:-1]))
    try:
        tree = ast.parse(body)
    except SyntaxError as exc:
        raise ValueError(f"{where}: the solution region is not valid Python on its own ({exc})") from None
    names: list[str] = []
    stubs: list[str] = []

    def collect(target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            if target.id not in names:
                names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                collect(elt)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if answers and node.name not in answers:
                continue
            stubs.append(f"{indent}def {node.name}({ast.unparse(node.args)}):\n{indent}    return ____\n")
            continue
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AnnAssign, ast.AugAssign))
            else []
        )
        for target in targets:
            collect(target)
    if answers:
        names = [n for n in names if n in answers]
    if not names and not stubs:
        return [f"{indent}# YOUR CODE HERE\n"]
    return [f"{indent}{name} = ____\n" for name in names] + stubs


def solution_blanks(region: str, answers: Collection[str] = (), where: str = "a solution region") -> str:
    """The blanks that stand in for a solution region (``### BEGIN SOLUTION`` ... ``### END SOLUTION``).

    Parameters
    ----------
    region : str
        The region, its two marker lines included.
    answers : collection of str
        The names the check cell reads; only they get a blank (all assigned names when empty).
    where : str
        How error messages name the region.

    Returns
    -------
    str
        One ``name = ____`` line per answer, a stub ``def f(...): return ____`` per function,
        or ``""`` when the region assigns none of them.

    Examples
    --------
    >>> region = "### BEGIN SOLUTION\\nrate = y.mean()\\nb = rate + 1\\n### END SOLUTION"
    >>> print(solution_blanks(region, ["b"]), end="")
    b = ____
    """
    lines = _region_placeholder(region.splitlines(keepends=True), where, answers)
    return "" if [line.strip() for line in lines] == ["# YOUR CODE HERE"] else "".join(lines)


_CHECK_CALL = re.compile(r"\b\w+\.check\(([^()]*)\)")


def check_names(source: str) -> list[str]:
    """The names a check cell passes to ``qN.check(...)`` (empty if it is not one).

    Examples
    --------
    >>> check_names("q1.check(rises_most, cost_at_half)")
    ['rises_most', 'cost_at_half']
    """
    return [n for m in _CHECK_CALL.finditer(source) for n in re.findall(r"[A-Za-z_]\w*", m.group(1))]


def _strip_solutions(source: str, where: str, answers: Collection[str] = ()) -> str:
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
            out += _region_placeholder(region, where, answers)
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


def _relink(markdown: str, link_base: str, keep: Collection[str] = ()) -> str:
    """Prefix relative links (``](04_x.ipynb)``) with ``link_base``, for a copy in another folder.

    Links to a name in ``keep`` (the lessons that have a student copy beside this one) are left
    as they are, so that a learner stays in the student copies.
    """
    if not link_base or link_base == ".":
        return markdown

    def fix(m: re.Match[str]) -> str:
        target = m.group(1)
        if target.split("#", 1)[0] in keep:
            return m.group(0)
        return f"]({link_base}/{target})"

    return _RELATIVE_LINK.sub(fix, markdown)


def make_student_notebook(
    worked: nbformat.NotebookNode,
    source_name: str = "../06_the_posts_five_questions.ipynb",
    link_base: str = "..",
    student_names: Collection[str] = (),
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
    student_names : collection of str
        File names of the lessons that have a student copy in the copy's folder: links to
        them are kept, so that they lead to the other student copies.

    Returns
    -------
    NotebookNode
        Cells tagged ``solution`` or ``worked-only`` dropped, solution regions replaced by
        placeholders, outputs, execution counts and the widget state cleared, a note after the
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
    student.metadata.pop("widgets", None)  # widget state belongs to the outputs, which the copy has none of
    student.nbformat_minor = worked.nbformat_minor
    marked = False
    code_cells = [c for c in worked.cells if c.cell_type == "code"]
    for i, cell in enumerate(worked.cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            marked = True
            continue
        if WORKED_ONLY_TAG in tags:
            continue
        new = copy.deepcopy(cell)
        new.metadata = {k: v for k, v in new.get("metadata", {}).items() if k == "tags"}
        if new.cell_type == "markdown":
            new.source = _relink(_text(new.source), link_base, student_names)
        elif new.cell_type == "code":
            src = _text(new.source)
            later = code_cells[code_cells.index(cell) + 1 :]
            answers = check_names(_text(later[0].source)) if later else []
            stripped = _strip_solutions(src, f"cell {i}", answers)
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


@dataclass(frozen=True)
class _State:
    """What is at a path when it is checked: ``missing``, ``unedited``, ``edited`` or ``corrupt``."""

    kind: str
    stamp: tuple[int, int, str] | None = None  # (size, mtime_ns, sha256) of the bytes
    why: str = ""


def _stamp(path: Path) -> tuple[tuple[int, int, str], bytes] | None:
    """(size, mtime_ns, sha256) of the file and its bytes, or None when it does not exist."""
    try:
        before = path.stat()
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return (before.st_size, before.st_mtime_ns, hashlib.sha256(data).hexdigest()), data


def _state(path: Path) -> _State:
    """Check what is at ``path``; a file that cannot be read as a notebook is corrupt (and kept)."""
    found = _stamp(path)
    if found is None:
        return _State("missing")
    stamp, data = found
    try:
        unedited = is_unedited(nbformat.reads(data.decode("utf-8"), as_version=4))
    except Exception as exc:  # cut short, not UTF-8, not JSON, not a notebook: someone's file, keep it
        why = " ".join(f"{type(exc).__name__}: {exc}".split())
        return _State("corrupt", stamp, (why[:100] + "...") if len(why) > 100 else why)
    return _State("unedited" if unedited else "edited", stamp)


def _may_replace(path: Path) -> bool:
    """True when ``path`` does not exist or holds an unedited generated copy."""
    return _state(path).kind in ("missing", "unedited")


def _candidates(dest: Path) -> Iterator[Path]:
    yield dest
    n = 1
    while True:
        yield dest.with_name(f"{dest.stem}.new{'' if n == 1 else n}{dest.suffix}")
        n += 1


def _choose(dest: Path) -> tuple[Path, _State, list[tuple[Path, _State]]]:
    """The first candidate that is free or unedited, its state, and the kept files before it."""
    kept: list[tuple[Path, _State]] = []
    for target in _candidates(dest):
        state = _state(target)
        if state.kind in ("missing", "unedited"):
            return target, state, kept
        kept.append((target, state))
    raise AssertionError("unreachable")  # pragma: no cover - _candidates never ends


@contextlib.contextmanager
def folder_lock(folder: Path, timeout: float | None = None) -> Iterator[Path]:
    """Hold the student-copy lock of ``folder`` (an exclusive lock on ``folder/.student.lock``).

    Parameters
    ----------
    folder : Path
        The student copies' folder; it must exist.
    timeout : float, optional
        Seconds to wait for another generator to let go (default :data:`LOCK_TIMEOUT`).

    Raises
    ------
    TimeoutError
        If the lock is still held after ``timeout`` seconds (the message names the lock file).
    PermissionError
        If the lock file cannot be created or opened.
    """
    path = Path(folder) / LOCK_NAME
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"another `make student` has held {path} for more than {timeout:g} s; "
                    "wait for it to finish (or end it) and run again"
                )
            time.sleep(0.02)
        try:
            yield path
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - the course's machines are POSIX; Windows has msvcrt
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _mode_for(target: Path) -> int:
    """The permission bits the copy gets: the old copy's, else what a new file would get."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_temp(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a new temporary file in ``folder`` (flushed to disk); return its path."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _kept_report(dest: Path, kept: list[tuple[Path, _State]], done: str) -> str:
    first, state = kept[0]
    if state.kind == "corrupt":
        what = f"{first} is corrupt (not a readable notebook: {state.why}), so it was kept as it is"
    else:
        what = f"{dest} has been edited since it was generated, so it was left as it is"
    return f"{what}; the new student copy is beside it: {done}"


def write_student_copy(source: Path = DEFAULT_SOURCE, dest: Path = DEFAULT_DEST) -> tuple[Path, str]:
    """Write the student copy of ``source`` to ``dest``, never over a learner's edits.

    Parameters
    ----------
    source : Path
        The worked notebook.
    dest : Path
        Where the student copy goes. If a copy there has been edited since it
        was generated (or is not a generated copy, or is corrupt), it is left alone and
        the new version is written beside it: ``<stem>.new.ipynb``, ``<stem>.new2.ipynb``,
        ... (the first that is free or itself an unedited generated copy). The copy is
        written under the folder's lock, to a temporary file moved into place with
        ``os.replace`` after the chosen file is checked again (see the module's docstring).

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
    OSError
        If the folder cannot be written (``PermissionError``), the lock is held too long
        (``TimeoutError``), or the write fails; the copy that was there is unchanged.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise FileNotFoundError(f"source notebook {source} not found; pass --source")
    if dest.resolve() == source.resolve():
        raise ValueError(f"source and dest are the same file ({source}); the student copy goes elsewhere")
    data = _generate(source, dest).encode("utf-8")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(dest.parent):
        target, done, kept = _write_under_lock(dest, data)
    if kept:
        return target, _kept_report(dest, kept, done)
    return target, done


#: How often a save landing during the write makes the choice be made again, before giving up.
_RETRIES = 5


def _write_under_lock(dest: Path, data: bytes) -> tuple[Path, str, list[tuple[Path, _State]]]:
    """Choose the file, write a temporary copy, check the file again, move the copy into place.

    Returns where it went, the one-line report, and the files kept before it (edited or corrupt).
    """
    for _ in range(_RETRIES):
        target, state, kept = _choose(dest)
        if state.kind == "unedited" and target.read_bytes() == data:
            return target, f"{target} is up to date", kept
        tmp = _write_temp(target.parent, target.name, data)
        try:
            os.chmod(tmp, _mode_for(target))
            found = _stamp(target)
            if (found[0] if found else None) != state.stamp:
                continue  # a save landed since the check: choose again (the finally removes tmp)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return target, f"wrote {target}", kept
    raise OSError(f"{dest} kept changing while the student copy was being written; run again")


def _generate(source: Path, dest: Path) -> str:
    """The text of the student copy of ``source`` meant for ``dest``."""
    worked = nbformat.read(source, as_version=4)
    # Both names are relative to the copy's folder, so the copy is the same from any cwd.
    here = dest.resolve().parent
    link_base = Path(os.path.relpath(source.resolve().parent, here)).as_posix()
    name = Path(os.path.relpath(source.resolve(), here)).as_posix()
    # the other lessons of the course get their student copies in the same folder
    siblings = {p.name for p in lessons(source.resolve().parent)} if here.name == "student" else set()
    return _serialise(make_student_notebook(worked, name, link_base, siblings))


def _is_current(source: Path, dest: Path) -> bool:
    if not source.is_file():
        raise FileNotFoundError(f"source notebook {source} not found; pass --source")
    return dest.is_file() and dest.read_bytes() == _generate(source, dest).encode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python tools/student.py [--check] [--source S --dest D]``."""
    parser = argparse.ArgumentParser(
        prog="python tools/student.py",
        description="Write the student copy of every lesson (solutions out, outputs cleared). "
        "A copy a learner has edited is never overwritten.",
    )
    parser.add_argument(
        "--source",
        type=Path,
        help=f"one worked notebook (default: every lesson in {NOTEBOOKS.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        help=f"its student copy (default: the same name in {STUDENT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a student copy differs from what would be generated",
    )
    args = parser.parse_args(argv)
    if args.source is None:
        if args.dest is not None:
            parser.error("--dest needs --source")
        pairs = [(lesson, STUDENT / lesson.name) for lesson in lessons()]
    else:
        pairs = [(args.source, args.dest if args.dest is not None else STUDENT / args.source.name)]
    status = 0
    for source, dest in pairs:
        try:
            if args.check:
                if _is_current(source, dest):
                    print(f"{dest} is up to date")
                else:
                    print(f"{dest} differs from what {source} generates; run `make student`")
                    status = 1
                continue
            _, report = write_student_copy(source, dest)
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {source}: {exc}", file=sys.stderr)
            return 2
        except PermissionError as exc:
            where = exc.filename or dest.parent
            print(
                f"error: the student copy {dest} was not written: permission denied on {where}; "
                "check that you may read the lesson and write to that folder (or pass --dest)",
                file=sys.stderr,
            )
            return 2
        except OSError as exc:  # the lock held too long, a full disk, a failing write ...
            print(f"error: the student copy {dest} was not written: {exc}", file=sys.stderr)
            return 2
        print(report)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
