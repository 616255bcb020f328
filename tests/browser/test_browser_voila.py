"""Presentation mode: the dashboard ``dashboards/explorer.ipynb`` served by Voilà, as ``make present`` does.

A teacher sees the explorer with no code; every slider still moves the picture, by keyboard and by a
typed value. How long each change takes is recorded for the end-of-run report (not asserted).
"""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

from browser_pages import Explorer, output_problems

DASHBOARD = "explorer.ipynb"
LATENCY_STEPS_PER_SLIDER = 7  # with the three presses of End: 24 changes


@pytest.fixture(scope="module")
def dashboard(module_pages, voila_server, voila_tool_urls):
    page, guard = module_pages(tool_urls=voila_tool_urls)
    page.goto(voila_server.url(f"voila/render/{DASHBOARD}"), wait_until="domcontentloaded")
    explorer = Explorer(page)
    explorer.wait_rendered()
    return explorer, guard


def test_dashboard_shows_the_explorer_and_no_code(dashboard):
    explorer, guard = dashboard
    page = explorer.page
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt").count() == 0, "Voilà shows code"
    assert page.get_by_text("CostExplorer").count() == 0, "the dashboard shows its source"
    assert output_problems(page) == []
    assert "diverged" not in explorer.readout_text()
    assert guard.problems() == []


def test_dashboard_sliders_each_redraw_the_picture_and_their_latency_is_recorded(dashboard, record_latency):
    # Every keyboard step redraws (explorer.sweep checks each); the latencies go to the report.
    explorer, guard = dashboard
    changes = explorer.sweep(LATENCY_STEPS_PER_SLIDER)
    summary = record_latency("Voilà", "explorer: all three sliders", changes)
    assert summary["n"] >= 20, f"only {summary['n']} slider changes were timed"
    assert guard.problems() == []


def test_dashboard_takes_typed_values(dashboard):
    explorer, guard = dashboard
    for name, slider in explorer.sliders.items():
        value = explorer.typed_values(name)[0]
        typed = slider.type(value)
        assert typed.changed, f"{typed.what}: the picture did not change"
        assert float(slider.shown()) == pytest.approx(float(value)), name
    assert output_problems(explorer.page) == []
    assert guard.problems() == []


def test_dashboard_controls_as_a_teacher_uses_them(dashboard):
    # issue 11: step, play, reseed, a click and a drag on the landscape, the updates per run, the
    # optimiser and reset work in Voilà too (the same checks as in JupyterLab)
    from explorer_pages import use_controls

    explorer, guard = dashboard
    played = use_controls(explorer)
    print(f"Voilà, explorer controls: {played}")
    assert output_problems(explorer.page) == []
    assert guard.problems() == []


@pytest.mark.parametrize("dpr", [1, 2])
def test_dashboard_each_slider_timed_and_dragged(
    dpr, new_page, voila_server, voila_tool_urls, record_latency, record_drag
):
    # issue 11: key press -> picture painted per slider at ratio 1 and 2, beside the IntSlider +
    # ipympl scaffold in the same run, and a drag per slider; measured, not asserted.
    from browser_servers import SCAFFOLD
    from test_browser_lab import measure_explorer, measure_scaffold

    page, guard = new_page(tool_urls=voila_tool_urls, device_scale_factor=dpr)
    page.goto(voila_server.url(f"voila/render/{DASHBOARD}"), wait_until="domcontentloaded")
    explorer = Explorer(page)
    explorer.wait_rendered()
    measure_explorer(explorer, "Voilà", dpr, record_latency, record_drag)
    assert output_problems(page) == []
    scaffold, _ = new_page(tool_urls=voila_tool_urls, device_scale_factor=dpr)
    scaffold.goto(voila_server.url(f"voila/render/{SCAFFOLD}"), wait_until="domcontentloaded")
    scaffold.locator(".scaffold-root").wait_for(timeout=120_000)
    measure_scaffold(scaffold, "Voilà", dpr, record_latency)
    assert guard.problems() == []
