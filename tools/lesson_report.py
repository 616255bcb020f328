"""The lessons' prose at a glance: words per lesson, minutes, and links that do not resolve.

    python tools/lesson_report.py [NOTEBOOK ...] [--check]

Reads the markdown cells of ``notebooks/NN_*.ipynb`` (or the notebooks given) and prints,
for each lesson, its words of prose and figures (stored images). *Prose* is the text of the
markdown cells without display formulas (``$$ ... $$``), tables and HTML comments; an
inline formula counts as one word. The lesson's own text is counted: cells tagged
``solution`` (worked answers) and everything from a heading ``## Exercises`` on are counted
apart, as ``exercise words``. It also lists every relative link (``](target)``) in a
markdown cell whose target file does not exist. ``--check`` exits with status 1 when a
lesson has more than ``MAX_WORDS`` words of prose or a link does not resolve.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]

#: The most words of prose a lesson may have (issue 12: "at most ~1,600 words").
MAX_WORDS = 1650

_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
_INLINE_MATH = re.compile(r"\$[^$\n]+\$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^)\s#]+)(#[^)\s]*)?\)")
_WORD = re.compile(r"[^\W_](?:[\w'’.,-]*\w)?", re.U)


def _source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def prose(markdown: str) -> str:
    """The text of one markdown cell that counts as prose (formulas collapsed, tables dropped)."""
    text = _COMMENT.sub(" ", _DISPLAY_MATH.sub(" ", markdown))
    text = _INLINE_MATH.sub(" formula ", text)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("|")]
    return "\n".join(lines)


def word_count(markdown: str) -> int:
    """Words of prose in a markdown text (see :func:`prose`).

    >>> word_count("The cost $J$ is the **mean** loss.\\n\\n$$J = \\\\frac1m \\\\sum L$$")
    7
    """
    return len(_WORD.findall(prose(markdown)))


class Lesson(NamedTuple):
    """One lesson's counts."""

    name: str
    words: int
    """Words of the lesson's own prose."""
    figures: int
    broken_links: tuple[str, ...]
    exercise_words: int = 0
    """Words in worked answers (cells tagged ``solution``) and in the exercises section."""
    code_cells: int = 0
    """Code cells of the lesson's own part (before its exercises)."""


def read_lesson(path: Path) -> Lesson:
    """Count the prose words and stored images of the notebook at ``path``; find its broken links."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    words, exercise_words, figures, code_cells, broken = 0, 0, 0, 0, []
    in_exercises = False
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and not in_exercises and _source(cell).strip():
            code_cells += 1
        if cell.get("cell_type") == "markdown":
            text = _source(cell)
            in_exercises = in_exercises or bool(re.search(r"^## Exercises", text, re.M))
            if in_exercises or "solution" in cell.get("metadata", {}).get("tags", []):
                exercise_words += word_count(text)
            else:
                words += word_count(text)
            for match in _LINK.finditer(text):
                target = (Path(path).parent / match.group(1)).resolve()
                if not target.exists():
                    broken.append(match.group(1))
        for output in cell.get("outputs", []):
            figures += "image/png" in output.get("data", {})
    return Lesson(Path(path).name, words, figures, tuple(broken), exercise_words, code_cells)


def minutes(lesson: Lesson) -> int:
    """A time for working through a lesson: 100 words a minute, 1 minute per code cell, 2 per figure.

    Careful reading of technical prose with formulas, running each cell and reading its output, and
    looking at each figure; rounded to 5 minutes. A first estimate, for lesson 00's table; the
    exercises are extra.

    >>> minutes(Lesson("x", words=1000, figures=3, broken_links=(), code_cells=6))
    20
    """
    return int(5 * round((lesson.words / 100 + lesson.code_cells + 2 * lesson.figures) / 5))


def lessons(paths: list[Path] | None = None) -> list[Lesson]:
    """Every lesson (``notebooks/NN_*.ipynb``), or the notebooks given."""
    paths = paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    return [read_lesson(p) for p in paths]


def main(argv: list[str] | None = None) -> int:
    """Print the table; with ``--check`` return 1 if a lesson is too long or a link is broken."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/NN_*.ipynb)")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 above {MAX_WORDS} words or on a broken link"
    )
    args = parser.parse_args(argv)
    rows = lessons(args.notebooks)
    print(f"{'lesson':<38} {'words':>6} {'exercise words':>15} {'figures':>8} {'minutes':>8}")
    for r in rows:
        flag = f"  > {MAX_WORDS} words" if r.words > MAX_WORDS else ""
        print(f"{r.name:<38} {r.words:>6} {r.exercise_words:>15} {r.figures:>8} {minutes(r):>8}{flag}")
        for link in r.broken_links:
            print(f"    broken link: {link}")
    bad = [r for r in rows if r.words > MAX_WORDS or r.broken_links]
    return 1 if args.check and bad else 0


if __name__ == "__main__":
    sys.exit(main())
