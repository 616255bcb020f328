"""A learner doing the exercises of their copy in JupyterLab: the checks say Not attempted, a wrong
answer gets its message in the feedback box, a right one Correct, and hint() and solution() show.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api")

from browser_pages import open_notebook, output_problems, run_all
from browser_servers import code_cells_to_run
from playwright.sync_api import expect

COPY = "student/01_loss_cost_objective.ipynb"


def _code_cell(page, text: str):
    return page.locator(".jp-CodeCell").filter(has=page.locator(".cm-content", has_text=text)).first


def _replace_source(page, cell, source: str) -> None:
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(source)


def _run_and_next(page) -> None:
    page.keyboard.press("Shift+Enter")


def test_a_learner_answers_gets_feedback_and_help(lab_server, new_page):
    page, guard = new_page()
    open_notebook(page, lab_server, COPY)
    run_all(page, "01_loss_cost_objective.ipynb", code_cells_to_run(lab_server.root / COPY))
    assert output_problems(page) == []
    boxes = page.locator(".jp-OutputArea-output", has_text=re.compile(r"^\s*Not attempted:"))
    expect(boxes).to_have_count(3)

    # a right prediction, a wrong cost: the check names the mistake, not the answer
    answer = _code_cell(page, "rises_most =")  # the answer cell, before and after editing
    _replace_source(page, answer, "rises_most = '2'\ncost_at_half = 0.5")
    _run_and_next(page)  # runs the answer, moves to the check cell
    _run_and_next(page)  # runs the check
    check = _code_cell(page, "q1.check(rises_most, cost_at_half)")
    expect(check.locator(".jp-OutputArea-output")).to_contain_text("Incorrect: cost_at_half is ŷ itself")
    assert "0.693" not in check.locator(".jp-OutputArea-output").inner_text()

    # a hint, then the right answer
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below the check
    page.keyboard.press("Enter")
    page.keyboard.insert_text("q1.hint(2)")
    page.keyboard.press("Shift+Enter")
    hint = _code_cell(page, "q1.hint(2)")
    expect(hint.locator(".jp-OutputArea-output")).to_contain_text("Hint:")
    _replace_source(page, answer, "rises_most = '2'\ncost_at_half = np.log(2)")
    _run_and_next(page)
    _run_and_next(page)
    expect(check.locator(".jp-OutputArea-output")).to_contain_text("Correct:")

    # a function written with the textbook formula: the feedback says why it fails
    function = _code_cell(page, "def cost_from_logits(y, z):")  # found before it is edited, kept after
    _replace_source(
        page,
        function,
        "def cost_from_logits(y, z):\n    p = 1 / (1 + np.exp(-z))\n"
        "    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))",
    )
    _run_and_next(page)
    _run_and_next(page)
    check2 = _code_cell(page, "q2.check(cost_from_logits)")
    expect(check2.locator(".jp-OutputArea-output")).to_contain_text("textbook formula")

    # the worked answer, on request
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("q2.solution()")
    page.keyboard.press("Shift+Enter")
    solution = _code_cell(page, "q2.solution()")
    expect(solution.locator(".jp-OutputArea-output")).to_contain_text("np.log1p(np.exp(-np.abs(z)))")
    assert output_problems(page) == []
    assert guard.problems() == []
