"""The browser machinery tested on its own, with scaffold notebooks that do not depend on lossviz.

If these fail, the fault is in the set-up (servers, extensions, Chromium, the scanners), not in
the course: the course's tests in the other files would fail for the same reason.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

pytest.importorskip("playwright.sync_api")

from browser_pages import (
    Slider,
    open_notebook,
    output_problems,
    run_all,
    wait_painted,
)
from browser_servers import FAULTS, OUTSIDE_URL, SCAFFOLD, code_cells_to_run

LATENCY_CHANGES = 24  # as many as the canvas's rows beside it (issue 11: n >= 24)


def _refuses_without_token(server, path: str) -> bool:
    try:
        with urllib.request.urlopen(server.base_url + path, timeout=10) as answer:
            return "token" in answer.url or "login" in answer.url
    except urllib.error.HTTPError as exc:
        return exc.code in (401, 403)


def _page_config(server) -> dict:
    with urllib.request.urlopen(server.url("lab"), timeout=30) as answer:
        html = answer.read().decode()
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "JupyterLab's page has no jupyter-config-data"
    return json.loads(found.group(1))


def test_lab_server_is_local_tokened_and_sees_kernel_and_extensions(lab_server):
    assert lab_server.base_url.startswith("http://127.0.0.1:")
    assert _refuses_without_token(lab_server, "api/kernels")
    specs = lab_server.request("GET", "api/kernelspecs")
    assert "python3" in specs["kernelspecs"], specs
    extensions = {ext["name"] for ext in _page_config(lab_server)["federated_extensions"]}
    assert {"jupyter-matplotlib", "@jupyter-widgets/jupyterlab-manager"} <= extensions, extensions


@pytest.mark.parametrize("which", ["lab_server", "notebook_server"])
def test_widget_messages_stay_on_the_kernels_main_thread(which, request):
    # tools/lab_settings.py (make setup): with JupyterLab's default, "one subshell per comm target",
    # ipympl drew in a subshell thread while the explorer drew on the main one and the kernel died.
    server = request.getfixturevalue(which)
    plugin = "@jupyterlab/apputils-extension:kernels-settings"
    answer = server.request("GET", f"lab/api/settings/{plugin}")
    # the environment's overrides become the schema's default; a user's own setting would win
    default = answer["schema"]["properties"]["commsOverSubshells"]["default"]
    assert default == "disabled", answer["schema"]["properties"]["commsOverSubshells"]
    assert "commsOverSubshells" not in (answer.get("settings") or {})


def test_voila_server_is_local_and_tokened(voila_server):
    assert voila_server.base_url.startswith("http://127.0.0.1:")
    assert _refuses_without_token(voila_server, f"voila/render/{SCAFFOLD}")


def _drive_scaffold(root, where: str, record_latency) -> None:
    slider = Slider(root, "scaffold-slider", "scaffold-text", name="scaffold slider")
    changes = []
    for _ in range(LATENCY_CHANGES):
        step = slider.step()
        assert step.changed, f"{step.what}: the picture did not change"
        changes.append(step)
    for value in ("3", "8"):
        typed = slider.type(value)
        assert typed.changed, f"{typed.what}: the picture did not change"
        assert slider.readout.inner_text().strip() == value
    slider.text_box = None  # now type into the slider's own readout
    typed = slider.type("5")
    assert typed.changed and slider.readout.inner_text().strip() == "5"
    summary = record_latency(where, "scaffold: IntSlider + ipympl line", changes)
    assert summary["n"] >= LATENCY_CHANGES


def test_lab_scaffold_runs_and_its_slider_moves_the_picture(new_page, lab_kernels, record_latency):
    page, guard = new_page()
    open_notebook(page, lab_kernels, SCAFFOLD)
    run_all(page, SCAFFOLD, code_cells_to_run(lab_kernels.root / SCAFFOLD))
    assert output_problems(page) == []
    root = page.locator(".scaffold-root")
    wait_painted(root)
    _drive_scaffold(root, "JupyterLab", record_latency)
    assert guard.problems() == []


def test_lab_scanners_and_blocker_catch_deliberate_faults(new_page, lab_kernels):
    page, guard = new_page()
    open_notebook(page, lab_kernels, FAULTS)
    # the missing widget never renders: do not wait long for it
    run_all(page, FAULTS, code_cells_to_run(lab_kernels.root / FAULTS), widget_timeout_ms=2_000)
    problems = "\n".join(output_problems(page))
    assert "a deliberate line on stderr" in problems
    assert "ValueError" in problems and "a deliberate error" in problems
    assert re.search(r"cell 4: widget (failed to render|never rendered)", problems), problems
    page.wait_for_function("() => document.querySelector('img[alt=\"a picture from another host\"]')")
    assert OUTSIDE_URL in guard.course_requests, guard.course_requests
    guard.course_requests.clear()  # caught, as it should be: not a failure of this test


def test_voila_scaffold_renders_without_code_and_its_slider_moves_the_picture(
    new_page, voila_server, voila_tool_urls, record_latency
):
    page, guard = new_page(tool_urls=voila_tool_urls)
    page.goto(voila_server.url(f"voila/render/{SCAFFOLD}"), wait_until="domcontentloaded")
    root = page.locator(".scaffold-root")
    root.wait_for(timeout=120_000)
    wait_painted(root)
    assert page.locator(".jp-InputArea-editor").count() == 0, "Voilà shows code"
    assert output_problems(page) == []
    _drive_scaffold(root, "Voilà", record_latency)
    assert guard.problems() == []
