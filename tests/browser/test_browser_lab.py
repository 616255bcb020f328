"""The course in JupyterLab, as a learner uses it: every widget notebook runs clean, and the explorer's
sliders move the picture by keyboard and by typed values, report divergence, and keep working.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api")

from browser_pages import (
    EXPLORER,
    Explorer,
    Slider,
    open_notebook,
    output_problems,
    run_all,
    wait_painted,
)
from browser_servers import REPO, code_cells_to_run, notebook_uses_widgets
from playwright.sync_api import expect

#: The lesson that shows lossviz.interactive.CostExplorer (issue 3).
EXPLORER_NOTEBOOK = "04_full_batch_vs_minibatch.ipynb"
LATENCY_STEPS_PER_SLIDER = 7  # with the three presses of End: 24 changes
#: Keyboard steps of the learning rate allowed to reach divergence from the bottom of its range.
MAX_STEPS_TO_DIVERGE = 30

WIDGET_NOTEBOOKS = sorted(
    p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb") if notebook_uses_widgets(p)
)


def _open_and_run(page, server, name: str) -> None:
    open_notebook(page, server, name)
    run_all(page, name, code_cells_to_run(server.root / name))


def _assert_widgets_rendered(page) -> None:
    problems = output_problems(page)
    assert problems == [], "\n".join(problems)
    figures = page.locator(".jupyter-matplotlib-figure")
    for i in range(figures.count()):
        wait_painted(figures.nth(i))


def _poke_every_slider(page) -> int:
    """In each output that holds sliders and an ipympl figure (the explorer aside, which has its
    own tests), move every slider one keyboard step: the output's picture must change."""
    outputs = (
        page.locator(".jp-OutputArea-output")
        .filter(has=page.locator(".noUi-handle"))
        .filter(has=page.locator(".jupyter-matplotlib-figure"))
    )
    poked = 0
    for i in range(outputs.count()):
        output = outputs.nth(i)
        if output.locator(EXPLORER).count():
            continue
        widgets = output.locator(".widget-slider")
        for j in range(widgets.count()):
            widget = widgets.nth(j)
            label = widget.locator(".widget-label").first.inner_text().strip()
            step = Slider(output, widget, name=f"output {i + 1}, slider {label!r}").step()
            assert step.changed, f"{step.what}: the picture did not change"
            poked += 1
    return poked


def _sliders_outside_the_explorer(page) -> int:
    return page.evaluate(f"""() => Array.from(document.querySelectorAll('.widget-slider'))
        .filter(el => el.querySelector('.noUi-handle') && !el.closest('{EXPLORER}')).length""")


@pytest.mark.parametrize("name", [n for n in WIDGET_NOTEBOOKS if n != EXPLORER_NOTEBOOK])
def test_widget_notebook_runs_clean_in_jupyterlab(name, new_page, lab_kernels):
    page, guard = new_page()
    _open_and_run(page, lab_kernels, name)
    _assert_widgets_rendered(page)
    source = (lab_kernels.root / name).read_text(encoding="utf-8")
    if "CostExplorer(" in source:
        Explorer(page).wait_rendered()
    assert _poke_every_slider(page) == _sliders_outside_the_explorer(page), (
        "a slider outside the explorer sits in an output without a figure"
    )
    assert output_problems(page) == []
    assert guard.problems() == []


# --------------------------------------------------------------------------------------------
# The explorer's lesson, opened once and run once; the tests below share its page and kernel.


@pytest.fixture(scope="module")
def explorer(module_pages, lab_server):
    if not (lab_server.root / EXPLORER_NOTEBOOK).is_file():
        pytest.fail(f"notebooks/{EXPLORER_NOTEBOOK} (the explorer's lesson) is missing")
    before = {kernel["id"] for kernel in lab_server.request("GET", "api/kernels")}
    page, guard = module_pages()
    _open_and_run(page, lab_server, EXPLORER_NOTEBOOK)
    yield Explorer(page), guard
    lab_server.shutdown_kernels(keep=before)


def test_explorer_lesson_runs_clean_and_shows_the_explorer(explorer):
    ex, guard = explorer
    _assert_widgets_rendered(ex.page)
    assert ex.page.locator(EXPLORER).count() >= 1
    ex.wait_rendered()
    assert "diverged" not in ex.readout_text()
    assert guard.problems() == []


def test_explorer_sliders_each_redraw_the_picture_and_their_latency_is_recorded(explorer, record_latency):
    # First of the slider tests, so that its changes meet a kernel that has computed little yet.
    # What it asserts: every keyboard step redraws the picture (ex.sweep checks each) and at least 20
    # changes were timed. The latencies go to the end-of-run report; no speed is asserted here.
    ex, guard = explorer
    changes = ex.sweep(LATENCY_STEPS_PER_SLIDER)
    summary = record_latency("JupyterLab", "explorer: all three sliders", changes)
    assert summary["n"] >= 20, f"only {summary['n']} slider changes were timed"
    for name in ex.sliders:
        record_latency(
            "JupyterLab", f"explorer: {name}", [c for c in changes if c.what.startswith(name + " ")]
        )
    assert guard.problems() == []


def test_explorer_sliders_follow_the_keyboard(explorer):
    ex, guard = explorer
    for name, slider in ex.sliders.items():
        first_up = not slider.at_max()
        for up in (first_up, not first_up):  # one step and back
            before = slider.shown()
            step = slider.step(up=up)
            assert step.changed, f"{step.what}: the picture did not change"
            assert slider.shown() != before, f"{name}: the text box did not follow the slider"
    assert guard.problems() == []


def test_explorer_sliders_take_typed_values(explorer):
    ex, guard = explorer
    for name, slider in ex.sliders.items():
        for value in ex.typed_values(name):
            typed = slider.type(value)
            assert typed.changed, f"{typed.what}: the picture did not change"
            assert float(slider.shown()) == pytest.approx(float(value)), name
    assert output_problems(ex.page) == []
    assert guard.problems() == []


def test_explorer_reports_divergence_and_its_sliders_keep_working(explorer):
    ex, guard = explorer
    lr, lam, batch = ex.sliders["learning rate"], ex.sliders["λ"], ex.sliders["batch size"]
    diverged = re.compile("diverged")
    # The largest λ and the smallest learning rate: a setting that converges.
    if not lam.at_max():
        lam.press("End")
    if not lr.at_min():
        lr.press("Home")
    expect(ex.readout).not_to_contain_text(diverged)
    # Up the learning rate, one key press at a time, until the readout reports divergence.
    for _ in range(MAX_STEPS_TO_DIVERGE):
        assert not lr.at_max(), "the learning rate's range ends before any run diverges"
        step = lr.step(up=True)
        assert step.changed, f"{step.what}: the picture did not change"
        if diverged.search(ex.readout_text()):
            break
    else:
        pytest.fail(f"no divergence after {MAX_STEPS_TO_DIVERGE} steps of the learning rate")
    assert re.search(r"diverged after \d+ update", ex.readout_text()), ex.readout_text()
    assert output_problems(ex.page) == [], "a divergent setting printed something"
    # Every slider still answers; then back down to a setting that converges again.
    step = batch.step()
    assert step.changed, f"{step.what} while diverged: the picture did not change"
    for _ in range(MAX_STEPS_TO_DIVERGE):
        step = lr.step(up=False)
        assert step.changed, f"{step.what}: the picture did not change"
        if not diverged.search(ex.readout_text()):
            break
    else:
        pytest.fail("the readout still says diverged at the bottom of the learning rate's range")
    step = lam.step(up=False)
    assert step.changed, f"{step.what} after divergence: the picture did not change"
    assert output_problems(ex.page) == []
    assert guard.problems() == []


# --------------------------------------------------------------------------------------------
# Issue 11: key press -> picture painted for each slider, at device pixel ratio 1 and 2, beside
# the bare IntSlider + ipympl scaffold in the same run; a drag per slider. Measured, not asserted;
# what is asserted: every change changes the picture and it settles on the kernel's state.

EXPLORER_CHANGES = 24


def measure_explorer(ex, where: str, dpr: int, record_latency, record_drag) -> None:
    from explorer_pages import drag_slider, sweep_slider

    for name in ex.sliders:
        changes, unpainted = sweep_slider(ex, name, EXPLORER_CHANGES)
        label = f"explorer: {name} · dpr {dpr}" + (f" · {unpainted} unpainted press" if unpainted else "")
        summary = record_latency(where, label, changes)
        assert summary["n"] >= EXPLORER_CHANGES
    for name in ex.sliders:
        drag = drag_slider(ex, name)
        record_drag(where, f"explorer: {name} · dpr {dpr}", drag)
        assert drag.crossed >= 10, f"the drag of {name} crossed only {drag.crossed} stops"


def measure_scaffold(page, where: str, dpr: int, record_latency) -> None:
    root = page.locator(".scaffold-root")
    wait_painted(root)
    slider = Slider(root, "scaffold-slider", "scaffold-text", name="scaffold slider")
    changes = []
    for _ in range(EXPLORER_CHANGES):
        step = slider.step()
        assert step.changed, f"{step.what}: the picture did not change"
        changes.append(step)
    record_latency(where, f"scaffold: IntSlider + ipympl line · dpr {dpr}", changes)


@pytest.mark.parametrize("dpr", [1, 2])
def test_explorer_each_slider_timed_and_dragged(dpr, new_page, lab_kernels, record_latency, record_drag):
    from browser_servers import SCAFFOLD

    page, guard = new_page(device_scale_factor=dpr)
    _open_and_run(page, lab_kernels, EXPLORER_NOTEBOOK)
    ex = Explorer(page)
    ex.wait_rendered()
    measure_explorer(ex, "JupyterLab", dpr, record_latency, record_drag)
    assert output_problems(page) == []
    assert ex.root.locator(".lossviz-canvas-error:not([hidden])").count() == 0
    scaffold, _ = new_page(device_scale_factor=dpr)
    _open_and_run(scaffold, lab_kernels, SCAFFOLD)
    measure_scaffold(scaffold, "JupyterLab", dpr, record_latency)
    assert guard.problems() == []


#: The lesson that shows lossviz.interactive.ImbalanceExplorer.
IMBALANCE_NOTEBOOK = "07_class_imbalance.ipynb"
IMBALANCE_STEPS = 12  # per slider: up to the top and back, or as far as the stops go


def test_imbalance_explorer_sliders_each_redraw_the_picture(new_page, lab_kernels, record_latency):
    # issue 11: the imbalance explorer is on the canvas too; a key press on each slider moves its
    # curves (and redraws the bars over the kept rest of the picture), and the time is recorded
    page, guard = new_page()
    _open_and_run(page, lab_kernels, IMBALANCE_NOTEBOOK)
    root = page.locator(EXPLORER).filter(has=page.locator(".lossviz-gamma")).first
    root.scroll_into_view_if_needed()
    wait_painted(root)
    for css, name in (("lossviz-gamma", "focal γ"), ("lossviz-rate", "churn rate")):
        slider = Slider(root, css, name=f"imbalance explorer: {name}")
        changes = []
        up = not slider.at_max()
        while len(changes) < IMBALANCE_STEPS:
            if (up and slider.at_max()) or (not up and slider.at_min()):
                up = not up
            step = slider.step(up)
            assert step.changed, f"{step.what}: the picture did not change"
            changes.append(step)
        record_latency("JupyterLab", f"imbalance explorer: {name}", changes)
    assert output_problems(page) == []
    assert root.locator(".lossviz-canvas-error:not([hidden])").count() == 0
    assert guard.problems() == []


def test_explorer_controls_as_a_learner_uses_them(explorer):
    # issue 11: step, play, reseed, a click and a drag on the landscape (the start), the updates per
    # run, the optimiser and reset, in JupyterLab; each changes the picture, which ends as the kernel's
    from explorer_pages import use_controls

    ex, guard = explorer
    played = use_controls(ex)
    print(f"JupyterLab, explorer controls: {played}")
    assert output_problems(ex.page) == []
    assert ex.root.locator(".lossviz-canvas-error:not([hidden])").count() == 0
    assert guard.problems() == []
