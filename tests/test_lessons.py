"""The lessons read as a course: numbered titles, what you will learn, a summary, what comes next,
links that resolve, and prose within the length the course allows (tools/lesson_report.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lesson_report  # tools/lesson_report.py (pyproject puts tools/ on the path)
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_the_lesson_list_is_the_courses():
    names = {p.stem for p in LESSONS}
    expected = {
        "00_start_here",
        "01_loss_cost_objective",
        "02_gradient_of_the_cost",
        "03_cost_landscape",
        "04_full_batch_vs_minibatch",
        "05_reading_a_loss_curve",
        "06_the_posts_five_questions",
        "07_class_imbalance",
        "08_overfitting",
        "09_batch_size_and_time",
        "10_sharp_and_flat_minima",
        "11_optimisers_on_the_landscape",
        "12_network_landscape",
    }
    assert expected <= names, sorted(expected - names)
    assert len({p.name[:2] for p in LESSONS}) == len(LESSONS), "two lessons share a number"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_lesson_has_its_number_in_its_title_and_learn_summary_next(path):
    cells = _markdown(path)
    title = cells[0].splitlines()[0]
    assert title.startswith(f"# {path.name[:2]} · "), title
    text = "\n".join(cells)
    assert "**You will learn**" in cells[0]
    if path.name.startswith("00_"):
        return
    assert re.search(r"^## Summary", text, re.M), "no '## Summary' section"
    assert re.search(r"^\*\*Next:\*\*", text, re.M), "no '**Next:**' line"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_relative_link_resolves(path):
    assert lesson_report.read_lesson(path).broken_links == ()


def test_the_map_links_every_lesson():
    start_here = "\n".join(_markdown(ROOT / "notebooks" / "00_start_here.ipynb"))
    for path in LESSONS[1:]:
        assert f"]({path.name})" in start_here, f"lesson 00 does not link {path.name}"


def test_the_map_gives_each_lesson_the_time_it_takes():
    start_here = "\n".join(_markdown(ROOT / "notebooks" / "00_start_here.ipynb"))
    rows = re.findall(r"\]\((\d\d_\w+\.ipynb)\) \|[^\n]*\| (\d+) min \|", start_here)
    stated = dict(rows)
    assert set(stated) == {p.name for p in LESSONS[1:]}, "lessons without a time in lesson 00's map"
    for path in LESSONS[1:]:
        estimate = lesson_report.minutes(lesson_report.read_lesson(path))
        assert abs(int(stated[path.name]) - estimate) <= 10, (path.name, stated[path.name], estimate)


def test_lesson_00_has_the_notation_table():
    start_here = "\n".join(_markdown(ROOT / "notebooks" / "00_start_here.ipynb"))
    assert "## Notation" in start_here
    for symbol in ("$m$", "$B$", "$\\eta$", "$\\lambda$", "$\\hat y", "$z = w", "$J = ", "$L(\\hat y, y)$"):
        assert symbol in start_here, symbol


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_lessons_prose_is_short_enough(path):
    words = lesson_report.read_lesson(path).words
    assert words <= lesson_report.MAX_WORDS, f"{words} words of prose"


def test_the_word_count_counts_words_not_formulas_or_tables():
    text = (
        "A loss, a cost.\n\n$$J = \\frac1m \\sum_i L^{(i)}$$\n\n"
        "| a | b |\n|---|---|\n| c | d |\n\nWith $m$ samples."
    )
    assert lesson_report.word_count(text) == 4 + 3  # "A loss a cost" + "With <formula> samples"


def test_a_broken_link_is_found(tmp_path):
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "[ok](a.ipynb) [no](b.ipynb) [w](https://x.org)",
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "a.ipynb").write_text("{}")
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps(nb))
    assert lesson_report.read_lesson(path).broken_links == ("b.ipynb",)
