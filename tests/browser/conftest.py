"""Fixtures of the browser tests: Chromium, JupyterLab and Voilà servers, guarded pages.

The tests need Debian's Chromium at ``/usr/bin/chromium`` (``make browser-deps`` installs it as
root) and the Python package ``playwright`` (the ``test`` extra); without either they are skipped
with the reason, except under CI (``CI=true``), where a missing browser is an error.

Two servers are started once per test session, each on a temporary copy of what it serves:
JupyterLab on a copy of ``notebooks/`` and Voilà on a copy of ``dashboards/`` (see
:mod:`browser_servers`). Into each copy the fixtures also write small scaffold notebooks, which
test the test machinery itself: a plain ipywidgets slider with an ipympl figure whose line follows
it, a notebook with deliberate faults that the error scanners and the request blocker must
catch, and the scaffold of lossviz's client-side picture (``test_browser_canvas.py``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LOSSVIZ_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",  # no calls home: this machine's network is closed
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
]
VIEWPORT = {"width": 1400, "height": 1000}

_LATENCY = pytest.StashKey[list]()
_DRAGS = pytest.StashKey[list]()
_TOOL_REQUESTS = pytest.StashKey[set]()
_FAILED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab or Voilà in headless Chromium")
    config.stash[_LATENCY] = []
    config.stash[_DRAGS] = []
    config.stash[_TOOL_REQUESTS] = set()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed  # read by the page fixtures: keep screenshots
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    tr = terminalreporter
    blocked = sorted(config.stash.get(_TOOL_REQUESTS, set()))
    if blocked:
        tr.section("browser: requests to other hosts made by the tools themselves (blocked)")
        for url in blocked:
            tr.write_line(url)
    drags = config.stash.get(_DRAGS, [])
    if drags:
        tr.section("browser: a drag across a slider (goal: every stop painted, lag <= 50 ms)")
        tr.write_line(
            f"{'where':<12} {'what':<34} {'painted/crossed':>16} {'behind':>7} {'lag ms':>7} {'drag ms':>8}"
        )
        for row in drags:
            d = row["drag"]
            tr.write_line(
                f"{row['where']:<12} {row['what']:<34} {f'{d.painted}/{d.crossed}':>16} "
                f"{d.behind:>7} {d.lag_ms:>7.0f} {d.drag_ms:>8.0f}"
            )
        tr.write_line(
            "painted/crossed: stops the picture showed while the pointer was down, of those "
            "the slider passed; behind: stops between slider and picture at the release; "
            "lag: release to the final stop's picture (0: shown already)."
        )
    rows = config.stash.get(_LATENCY, [])
    if not rows:
        return
    tr.section("browser: slider change -> new picture (ms; goal: median <= 80)")
    tr.write_line(f"{'where':<12} {'what':<34} {'n':>3} {'first paint':>18} {'settled':>18}")
    tr.write_line(f"{'':<12} {'':<34} {'':>3} {'median':>8} {'p90':>9} {'median':>8} {'p90':>9}")
    for row in rows:
        s = row["summary"]
        tr.write_line(
            f"{row['where']:<12} {row['what']:<34} {s['n']:>3} "
            f"{s['first_median']:>8.0f} {s['first_p90']:>9.0f} "
            f"{s['settled_median']:>8.0f} {s['settled_p90']:>9.0f}"
        )
    tr.write_line(
        "first paint: key press to the first paint of the new picture; settled: to the "
        "last paint, after which nothing moved for the quiet window."
    )
    tr.write_line(
        "canvas rows: each paint says which value it shows; first paint: of the new value; "
        "settled: when the kernel's data for it arrived (no quiet window needed)."
    )


# --------------------------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a skip (an error under CI) that says how to install it."""
    pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]' (or make setup)"
    )
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM}: run `make browser-deps` as root, or "
            "`sudo apt-get install -y chromium` (Debian); set LOSSVIZ_CHROMIUM to use "
            "another build"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Pages:
    """Opens guarded pages and closes them, keeping a screenshot of each when a test failed.

    Each page lives in its own browser context (no shared storage), blocks every request that
    leaves 127.0.0.1 (:class:`browser_pages.PageGuard`) and carries
    :data:`browser_pages.PAGE_HOOK`.
    """

    def __init__(self, browser, config: pytest.Config) -> None:
        self.browser = browser
        self.config = config
        self.opened = []

    def __call__(self, tool_urls: frozenset[str] = frozenset(), device_scale_factor: float = 1):
        from browser_pages import PAGE_HOOK, PageGuard

        context = self.browser.new_context(
            viewport=VIEWPORT, service_workers="block", device_scale_factor=device_scale_factor
        )
        context.set_default_timeout(60_000)
        context.add_init_script(PAGE_HOOK)
        guard = PageGuard(tool_urls=tool_urls)
        guard.attach(context)
        page = context.new_page()
        self.opened.append((context, page, guard))
        return page, guard

    def close(self, name: str, shots: Path | None) -> list[str]:
        """Close every page; returns the course's requests to other hosts (a failure).

        Screenshots go to ``shots`` when given (a failed test), and to the folder named by the
        environment variable ``LOSSVIZ_BROWSER_SCREENSHOTS`` when it is set (to look at them).
        """
        from browser_pages import screenshot

        if shots is None and os.environ.get("LOSSVIZ_BROWSER_SCREENSHOTS"):
            shots = Path(os.environ["LOSSVIZ_BROWSER_SCREENSHOTS"])
            shots.mkdir(parents=True, exist_ok=True)
        stray = []
        for i, (context, page, guard) in enumerate(self.opened):
            if shots is not None:
                path = screenshot(page, shots / f"{name}-{i}.png")
                if path:
                    print(f"screenshot: {path}")
            stray += guard.course_requests
            self.config.stash[_TOOL_REQUESTS].update(guard.tool_requests)
            context.close()
        self.opened = []
        return stray


@pytest.fixture
def new_page(browser, request, tmp_path_factory):
    """A factory of guarded pages for one test: ``page, guard = new_page(tool_urls=...)``.

    At teardown the test fails if the course sent a request to another host.
    """
    pages = Pages(browser, request.config)
    yield pages
    failed = request.node.stash.get(_FAILED, False)
    shots = tmp_path_factory.mktemp("screenshots") if failed else None
    stray = pages.close(request.node.name, shots)
    if stray:
        pytest.fail(f"the course sent requests to other hosts (blocked): {stray}")


@pytest.fixture(scope="module")
def module_pages(browser, request, tmp_path_factory):
    """Like :func:`new_page`, for pages that several tests of one module share."""
    pages = Pages(browser, request.config)
    failed_before = request.session.testsfailed
    yield pages
    failed = request.session.testsfailed > failed_before
    shots = tmp_path_factory.mktemp("screenshots") if failed else None
    stray = pages.close(request.module.__name__, shots)
    if stray:
        pytest.fail(f"the course sent requests to other hosts (blocked): {stray}")


@pytest.fixture(scope="session")
def record_drag(pytestconfig):
    """``record_drag(where, what, drag)`` keeps a :class:`canvas_pages.Drag` for the report."""

    def record(where: str, what: str, drag) -> None:
        pytestconfig.stash[_DRAGS].append({"where": where, "what": what, "drag": drag})

    return record


@pytest.fixture(scope="session")
def record_latency(pytestconfig):
    """``record_latency(where, what, changes)`` keeps a summary for the end-of-run report."""
    from browser_pages import summarise

    def record(where: str, what: str, changes) -> dict:
        summary = summarise(list(changes))
        pytestconfig.stash[_LATENCY].append({"where": where, "what": what, "summary": summary})
        return summary

    return record


# --------------------------------------------------------------------------------------------
# Servers


@pytest.fixture(scope="session")
def browser_state(tmp_path_factory, chromium) -> Path:
    """The temporary folder that holds the servers' copies and private folders."""
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def lab_server(browser_state):
    """JupyterLab on a temporary copy of ``notebooks/`` (plus the scaffolds); stopped at the end."""
    from browser_servers import (
        CANVAS_SCAFFOLD,
        FAULTS,
        REPO,
        SCAFFOLD,
        copy_tree,
        start_lab,
        write_canvas_scaffold,
        write_faults,
        write_scaffold,
    )

    root = copy_tree(REPO / "notebooks", browser_state / "lab-root")
    write_scaffold(root / SCAFFOLD)
    write_faults(root / FAULTS)
    write_canvas_scaffold(root / CANVAS_SCAFFOLD)
    server = start_lab(root, browser_state / "lab-state")
    yield server
    leftovers = server.stop()
    assert not leftovers, f"kernels outlived JupyterLab and were killed: {leftovers}"


@pytest.fixture(scope="session")
def notebook_server(browser_state):
    """Jupyter Notebook 7 on a temporary, empty folder; tests write their notebooks into it.

    Stopped at the end of the session; kernels that outlive it are ended by their process id.
    """
    from browser_servers import start_notebook

    root = browser_state / "notebook-root"
    root.mkdir()
    server = start_notebook(root, browser_state / "notebook-state")
    yield server
    leftovers = server.stop()
    assert not leftovers, f"kernels outlived Notebook 7 and were killed: {leftovers}"


@pytest.fixture(scope="session")
def voila_server(browser_state):
    """Voilà on a temporary copy of ``dashboards/`` (plus the scaffold); stopped at the end."""
    from browser_servers import (
        CANVAS_SCAFFOLD,
        REPO,
        SCAFFOLD,
        copy_tree,
        start_voila,
        write_canvas_scaffold,
        write_scaffold,
    )

    root = copy_tree(REPO / "dashboards", browser_state / "voila-root")
    write_scaffold(root / SCAFFOLD)
    write_canvas_scaffold(root / CANVAS_SCAFFOLD)
    server = start_voila(root, browser_state / "voila-state")
    yield server
    leftovers = server.stop()
    assert not leftovers, f"kernels outlived Voilà and were killed: {leftovers}"


@pytest.fixture(scope="session")
def voila_tool_urls() -> frozenset[str]:
    """The other hosts' addresses that Voilà's own page template links (not the course's)."""
    from jupyter_core.paths import jupyter_path

    found = set()
    for folder in jupyter_path("voila", "templates"):
        for template in Path(folder).glob("*/index.html.j2"):
            found |= set(re.findall(r'https?://[^"\'\s>]+', template.read_text(encoding="utf-8")))
    return frozenset(found)


@pytest.fixture
def lab_kernels(lab_server):
    """JupyterLab, whose kernels started during the test are shut down after it."""
    before = {kernel["id"] for kernel in lab_server.request("GET", "api/kernels")}
    yield lab_server
    lab_server.shutdown_kernels(keep=before)
