"""The cost explorer in Jupyter Notebook 7: it shows, and the arrow keys move its sliders.

Notebook 7 is the other front end learners open the course in. A small notebook that shows
``lossviz.interactive.CostExplorer`` is written into the server's folder, opened and run from the
Run menu; the explorer (root ``.lossviz-explorer``) must show a picture, and ArrowRight and ArrowLeft
on the learning-rate and batch-size sliders (``.lossviz-lr``, ``.lossviz-batch-size``) must move the
slider, its text box and the picture; so must End and Home. Today the arrows do not get through:
Notebook 7.6 stops ArrowLeft and ArrowRight on their way down to the thumb (a listener on the
window sees the key, none on the thumb does), while End, Home and PageUp work; that test is an
expected failure until the explorer makes the arrows reach its sliders (issue 11, item 1).

The picture counts as changed when the pixels of its canvases or the address of its images
differ, so the check holds for ipympl's canvas and for a client-side picture alike.
"""

from __future__ import annotations

import re
import time

import pytest

pytest.importorskip("playwright.sync_api")

from browser_pages import menu, output_problems
from browser_servers import _write_notebook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

NOTEBOOK = "lossviz_explorer_nb7.ipynb"
BLANK = "lossviz_blank_nb7.ipynb"
CELLS = [
    ("md", "# The cost explorer in Notebook 7"),
    ("code", "%matplotlib widget\nimport lossviz as lv\n\nx, y = lv.make_churn(m=1000, seed=0)"),
    ("code", "lv.interactive.CostExplorer(x, y)"),
]

# A hash of what the root shows: its canvases' pixels and its images' addresses (FNV-1a).
_PICTURE = r"""
(root) => {
  const hash = (text) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16);
  };
  const parts = [];
  for (const c of root.querySelectorAll('canvas'))
    if (c.width > 0 && c.height > 0) { try { parts.push(c.toDataURL()); } catch (e) { parts.push('?'); } }
  for (const img of root.querySelectorAll('img'))
    if (img.complete && img.naturalWidth > 0) parts.push(img.src);
  return parts.length ? hash(parts.join('|')) : null;
}
"""

# Whether the root shows a picture: a canvas whose pixels are not all the same, or a loaded image.
_SHOWS_A_PICTURE = r"""
(root) => {
  for (const img of root.querySelectorAll('img'))
    if (img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0) return true;
  for (const c of root.querySelectorAll('canvas')) {
    if (!c.width || !c.height || c.getBoundingClientRect().width === 0) continue;
    let d;
    try { d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; } catch (e) { continue; }
    for (let i = 4; i < d.length; i += 4)
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
  }
  return false;
}
"""


def _settled_picture(root, quiet_ms: int = 800, timeout_ms: int = 30_000) -> str | None:
    """The picture's hash once it has not changed for ``quiet_ms``."""
    page = root.page
    last, same_since, waited = root.evaluate(_PICTURE), 0, 0
    while waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
        now = root.evaluate(_PICTURE)
        if now == last:
            same_since += 100
            if same_since >= quiet_ms:
                return now
        else:
            last, same_since = now, 0
    return last


def _wait_kernel_connected(page, server, name: str, timeout_s: float = 120) -> None:
    """Wait until the session of notebook ``name`` has a kernel, connected to the page and idle.

    (Notebook 7's indicator says "idle" before the kernel has even started: ask the server.)
    """
    deadline = time.monotonic() + timeout_s
    sessions: list = []
    while time.monotonic() < deadline:
        sessions = [s for s in server.request("GET", "api/sessions") or [] if s.get("path") == name]
        kernel = sessions[0].get("kernel") if sessions else None
        if kernel and kernel.get("connections", 0) > 0 and kernel.get("execution_state") == "idle":
            page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=30_000)
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the kernel of {name} did not start and connect: {sessions}")


@pytest.fixture(scope="module")
def tool_problems(module_pages, notebook_server) -> frozenset[str]:
    """What Notebook 7 itself reports on a notebook without the course (an empty one).

    Notebook 7.6 throws "Cannot read properties of undefined (reading 'schema')" while it loads,
    whatever the notebook: its own, not the course's; the tests leave out only what is seen here.
    """
    _write_notebook(notebook_server.root / BLANK, [("md", "# A notebook without the course")])
    page, guard = module_pages()
    page.goto(notebook_server.url(f"notebooks/{BLANK}"), wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
    _wait_kernel_connected(page, notebook_server, BLANK)
    page.wait_for_timeout(2_000)
    seen = frozenset(guard.problems())
    if seen:
        print(f"Notebook 7's own problems on an empty notebook (left out of the checks): {sorted(seen)}")
    return seen


@pytest.fixture(scope="module")
def explorer(module_pages, notebook_server, tool_problems):
    _write_notebook(notebook_server.root / NOTEBOOK, CELLS)
    page, guard = module_pages()
    page.goto(notebook_server.url(f"notebooks/{NOTEBOOK}"), wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
    _wait_kernel_connected(page, notebook_server, NOTEBOOK)
    menu(page, "Run", "Run All Cells")
    root = page.locator(".lossviz-explorer").first
    root.wait_for(timeout=180_000)
    page.wait_for_function(_SHOWS_A_PICTURE, arg=root.element_handle(), polling=200, timeout=120_000)
    return page, guard, root, tool_problems


def test_the_explorer_shows_in_notebook_7(explorer):
    page, guard, root, tool_problems = explorer
    assert root.is_visible()
    for css in ("lossviz-batch-size", "lossviz-lr", "lossviz-lam"):
        assert root.locator(f".{css} .noUi-handle").count() == 1, f"no .{css} slider"
    assert output_problems(page) == []
    assert [p for p in guard.problems() if p not in tool_problems] == []


def _press_and_check(page, root, css: str, key: str) -> None:
    """Press ``key`` on the slider's thumb: the slider, its text box and the picture must change."""
    handle = root.locator(f".{css} .noUi-handle").first
    text_box = root.locator(f".{css}-text input").first
    handle.click()  # a learner clicks the thumb, then uses the keys
    handle.focus()
    before_picture = _settled_picture(root)
    before_value = handle.get_attribute("aria-valuenow")
    before_text = text_box.input_value()
    page.keyboard.press(key)
    try:
        page.wait_for_function(
            "([h, v]) => h.getAttribute('aria-valuenow') !== v",
            arg=[handle.element_handle(), before_value],
            timeout=10_000,
        )
    except PlaywrightTimeout:
        pytest.fail(f"{key} on the .{css} slider's thumb did not move it (still at {before_value})")
    page.wait_for_function(
        f"([root, before]) => ({_PICTURE.strip()})(root) !== before",
        arg=[root.element_handle(), before_picture],
        polling=100,
        timeout=30_000,
    )
    page.wait_for_function(
        "([box, before]) => box.value !== before",
        arg=[text_box.element_handle(), before_text],
        timeout=10_000,
    )
    assert re.fullmatch(r"[\d.e+-]+", text_box.input_value()), text_box.input_value()


@pytest.mark.parametrize("css", ["lossviz-lr", "lossviz-batch-size"])
def test_home_and_end_move_the_slider_and_the_picture(explorer, css):
    page, guard, root, tool_problems = explorer
    for key in ("End", "Home"):
        _press_and_check(page, root, css, key)
    assert output_problems(page) == []
    assert [p for p in guard.problems() if p not in tool_problems] == []


@pytest.mark.parametrize("css", ["lossviz-lr", "lossviz-batch-size"])
def test_arrow_keys_move_the_slider_and_the_picture(explorer, css):
    page, guard, root, tool_problems = explorer
    for key in ("ArrowRight", "ArrowLeft"):
        _press_and_check(page, root, css, key)
    assert output_problems(page) == []
    assert [p for p in guard.problems() if p not in tool_problems] == []


def test_the_explorer_controls_as_a_learner_uses_them(explorer):
    # issue 11: step, play, reseed, a click and a drag on the landscape, the updates per run, the
    # optimiser and reset work in Notebook 7 too (the same checks as in JupyterLab)
    from browser_pages import Explorer
    from explorer_pages import use_controls

    page, guard, _root, tool_problems = explorer
    played = use_controls(Explorer(page))
    print(f"Notebook 7, explorer controls: {played}")
    assert output_problems(page) == []
    assert [p for p in guard.problems() if p not in tool_problems] == []


def test_the_explorers_sliders_can_be_dragged_in_notebook_7(explorer, record_drag):
    # issue 11: a drag of each slider, as in JupyterLab and Voilà; what the picture did is recorded
    # (stops painted of stops crossed, lag at release) and it must end as the kernel's
    from browser_pages import Explorer
    from explorer_pages import drag_slider

    page, guard, _root, tool_problems = explorer
    ex = Explorer(page)
    for name in ex.sliders:
        drag = drag_slider(ex, name)
        record_drag("Notebook 7", f"explorer: {name}", drag)
        assert drag.crossed >= 10, f"the drag of {name} crossed only {drag.crossed} stops"
    assert output_problems(page) == []
    assert [p for p in guard.problems() if p not in tool_problems] == []
