"""What the browser tests do in a page: guard it, open and run notebooks, move sliders, time pictures.

The picture is an ipympl canvas. ipympl paints every new image the kernel sends with
``drawImage``; a script added to every page before its own scripts (``PAGE_HOOK``) counts those
paints per canvas and keeps their times, and notes the time of every key press. A change's
latency is the time from the key press that made it to the last paint of the new picture; the
picture changed when the pixels of the explorer's canvases differ from those before the key press.
"""

from __future__ import annotations

import re
import statistics
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, WebSocket
from playwright.sync_api import TimeoutError as PlaywrightTimeout

#: Milliseconds without a new paint after which a picture counts as settled.
QUIET_MS = 300
#: The same for a figure that has just been displayed: ipympl first paints a blank image, then
#: (after the canvas has told the kernel its size) the picture, up to a second later.
LOAD_QUIET_MS = 1_000
#: Milliseconds a change may take to show its picture before the test gives up (not a goal: the
#: goal is 80 ms; this only bounds a hang).
CHANGE_TIMEOUT_MS = 20_000
#: Milliseconds a notebook may take to run all its cells in the browser.
RUN_ALL_TIMEOUT_MS = 240_000

PAGE_HOOK = r"""
(() => {
  const paint = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = paint.apply(this, args);
    const canvas = this.canvas;
    if (canvas && canvas.isConnected) {       // ipympl's on-screen canvas, not its offscreen copy
      const now = performance.now();
      canvas.__lvPaints = (canvas.__lvPaints || 0) + 1;
      (canvas.__lvTimes = canvas.__lvTimes || []).push(now);
      if (canvas.__lvTimes.length > 64) canvas.__lvTimes.shift();
    }
    return result;
  };
  window.__lvKeyAt = null;
  document.addEventListener('keydown', () => { window.__lvKeyAt = performance.now(); }, true);
})();
"""

# JavaScript run against a root element: its painted canvases, their paint counts and a hash of
# their pixels (FNV-1a over the PNG data URL: cheap, and any pixel change changes it).
_CANVAS_STATE = r"""
(root) => {
  const hash = (text) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16);
  };
  const canvases = Array.from(root.querySelectorAll('canvas')).filter(c => (c.__lvPaints || 0) > 0);
  return {
    paints: canvases.reduce((sum, c) => sum + c.__lvPaints, 0),
    hashes: canvases.map(c => hash(c.toDataURL())),
  };
}
"""

# Whether a painted canvas under root shows something (its pixels are not all the same).
_SHOWS_SOMETHING = r"""
(root) => Array.from(root.querySelectorAll('canvas')).filter(c => (c.__lvPaints || 0) > 0)
  .some(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4)
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
    return false;
  })
"""

# Wait, inside the page, for a paint in root after `before` paints (and, when `afterKey`, after
# the last key press), then for QUIET_MS without one; returns the key press time and the first and
# last paint times after it.
_SETTLE = r"""
async ([root, before, afterKey, quiet, timeout]) => {
  const start = performance.now();
  const canvases = () => Array.from(root.querySelectorAll('canvas'));
  const paints = () => canvases().reduce((sum, c) => sum + (c.__lvPaints || 0), 0);
  const key = afterKey ? window.__lvKeyAt : null;
  while (performance.now() - start < timeout) {
    const now = performance.now();
    const after = canvases().flatMap(c => c.__lvTimes || []).filter(t => key === null || t >= key);
    const last = after.length ? Math.max(...after) : -Infinity;
    if (paints() > before && after.length && now - last >= quiet)
      return {ok: true, key, first: Math.min(...after), last, paints: paints()};
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  return {ok: false, key, paints: paints()};
}
"""


@dataclass
class PageGuard:
    """Blocks every request that leaves 127.0.0.1 and keeps what the page said went wrong.

    ``tool_urls`` are addresses that the serving tool's own page template asks for (Voilà's lab
    template links Font Awesome from a CDN); they are blocked too, but listed apart, because the
    course did not ask for them. Every other request to another host is the course's, and fails
    the test.
    """

    tool_urls: frozenset[str] = frozenset()
    course_requests: list[str] = field(default_factory=list)
    tool_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @staticmethod
    def is_local(url: str) -> bool:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme in ("data", "blob", "about"):
            return True
        return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname == "127.0.0.1"

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _record(self, url: str) -> None:
        if urllib.parse.unquote(url) in self.tool_urls:
            self.tool_requests.append(url)
        else:
            self.course_requests.append(url)

    def _route(self, route) -> None:
        url = route.request.url
        if self.is_local(url):
            route.continue_()
        else:
            self._record(url)
            route.abort("blockedbyclient")

    def _watch_page(self, page: Page) -> None:
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._console)
        page.on("websocket", self._websocket)

    def _websocket(self, ws: WebSocket) -> None:
        if not self.is_local(ws.url):  # a WebSocket is not routed; record it, the test fails
            self._record(ws.url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if where and not self.is_local(where) and urllib.parse.unquote(where) in self.tool_urls:
            return  # the browser's note that a tool's blocked request failed
        self.console_errors.append(message.text)

    def problems(self) -> list[str]:
        """Everything that should fail the test, one line each."""
        out = [f"request to another host by the course: {u}" for u in self.course_requests]
        out += [f"uncaught error in the page: {e}" for e in self.page_errors]
        out += [f"console error: {e}" for e in self.console_errors]
        return out


# --------------------------------------------------------------------------------------------
# JupyterLab


def kernel_status(page: Page, notebook: str) -> Locator:
    """The status bar's kernel item for ``notebook``, e.g. ``Python 3 (ipykernel) | Idle``.

    The status bar, not the toolbar's execution indicator: the indicator reads idle before the
    kernel has even started.
    """
    return page.locator(f'#jp-main-statusbar .jp-StatusBar-TextItem[title="Change kernel for {notebook}"]')


def wait_kernel_idle(page: Page, notebook: str, timeout_ms: float = 120_000) -> None:
    """Wait until the status bar says the notebook's kernel is idle."""
    kernel_status(page, notebook).filter(has_text=re.compile(r"\|\s*Idle\s*$")).wait_for(timeout=timeout_ms)


def open_notebook(page: Page, server, name: str) -> None:
    """Open ``name`` (relative to the server's root) in a reset workspace; wait for an idle kernel."""
    page.goto(server.url(f"lab/tree/{name}", reset=""), wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=90_000)
    wait_kernel_idle(page, Path(name).name)


def menu(page: Page, top: str, item: str) -> None:
    """Click ``top`` in the menu bar, then ``item`` in the menu it opens."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def run_all(page: Page, notebook: str, n_code_cells: int, *, widget_timeout_ms: float = 30_000) -> None:
    """Clear every output, run all cells from the Run menu, wait until all ran and the kernel idles.

    Clearing first blanks the stored prompt numbers, so a numbered prompt proves its cell ran now.
    """
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
                 .every(p => !/\\d/.test(p.textContent))""",
        timeout=30_000,
    )
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """(n) => {
            const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
                              .map(p => p.textContent.trim());
            return !prompts.some(t => t.includes('*')) &&
                   prompts.filter(t => /^\\[\\d+\\]:$/.test(t)).length >= n;
        }""",
        arg=n_code_cells,
        timeout=RUN_ALL_TIMEOUT_MS,
    )
    wait_kernel_idle(page, notebook)
    wait_widgets_rendered(page, widget_timeout_ms)


def wait_widgets_rendered(page: Page, timeout_ms: float = 30_000) -> bool:
    """Wait until no widget output still says "Loading widget..."; False if one still does.

    Not an error by itself: :func:`output_problems` reports the widgets that never rendered.
    """
    try:
        page.wait_for_function(
            """() => !Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                     .some(el => el.textContent.trim().startsWith('Loading widget...'))""",
            timeout=timeout_ms,
        )
        return True
    except PlaywrightTimeout:
        return False


def output_problems(page: Page) -> list[str]:
    """Outputs that show an error: tracebacks, anything on stderr, widgets that failed to render."""
    return page.evaluate(
        r"""() => {
            const found = [];
            const cells = Array.from(document.querySelectorAll('.jp-Cell'));
            const where = (el) => {
                const cell = el.closest('.jp-Cell');
                return cell ? `cell ${cells.indexOf(cell) + 1}` : 'page';
            };
            for (const el of document.querySelectorAll(
                    '[data-mime-type="application/vnd.jupyter.stderr"]'))
                found.push(`${where(el)}: stderr/error output: ${el.textContent.trim().slice(0, 300)}`);
            for (const el of document.querySelectorAll('.jupyter-widgets-error-widget'))
                found.push(`${where(el)}: widget failed to render: ${el.textContent.trim().slice(0, 300)}`);
            for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
                const text = el.textContent.trim();
                if (/^Error displaying widget/.test(text))
                    found.push(`${where(el)}: widget failed to render: ${text.slice(0, 200)}`);
                else if (/^Loading widget\.\.\./.test(text))
                    found.push(`${where(el)}: widget never rendered (still "Loading widget...")`);
            }
            return found;
        }"""
    )


# --------------------------------------------------------------------------------------------
# Pictures and sliders


def canvas_state(root: Locator) -> dict:
    """``{"paints": int, "hashes": [str, ...]}`` of the painted canvases under ``root``."""
    return root.evaluate(_CANVAS_STATE)


def wait_painted(root: Locator, timeout_ms: float = 60_000) -> dict:
    """Wait until a canvas under ``root`` shows a picture that has settled; returns its state."""
    root.page.wait_for_function(_SHOWS_SOMETHING, arg=root.element_handle(), polling=100, timeout=timeout_ms)
    settle(root, 0, after_key=False, quiet_ms=LOAD_QUIET_MS)
    return canvas_state(root)


@dataclass(frozen=True)
class Change:
    """One change of a control and what the picture did."""

    what: str
    changed: bool
    first_ms: float  # key press -> first paint of the new picture
    settled_ms: float  # key press -> last paint, after which nothing moved for QUIET_MS


def settle(root: Locator, before: int, *, after_key: bool = True, quiet_ms: float = QUIET_MS) -> dict:
    """Wait for a paint after ``before`` paints (and after the last key press, when
    ``after_key``), then for the picture to stay still for ``quiet_ms``."""
    result = root.page.evaluate(
        _SETTLE, [root.element_handle(), before, after_key, quiet_ms, CHANGE_TIMEOUT_MS]
    )
    if not result["ok"]:
        raise AssertionError(
            f"no new picture within {CHANGE_TIMEOUT_MS} ms ({result['paints']} paints, {before} before)"
        )
    return result


def change(root: Locator, what: str, action) -> Change:
    """Do ``action()`` (a key press or typed value), wait for the new picture, time it."""
    before = canvas_state(root)
    root.page.evaluate("() => { window.__lvKeyAt = null; }")
    action()
    if root.page.evaluate("() => window.__lvKeyAt") is None:
        raise AssertionError(f"{what}: the page saw no key press")
    result = settle(root, before["paints"])
    after = canvas_state(root)
    key = result["key"]
    return Change(
        what=what,
        changed=after["hashes"] != before["hashes"],
        first_ms=result["first"] - key,
        settled_ms=result["last"] - key,
    )


class Slider:
    """An ipywidgets slider, driven like a person would: keyboard on its handle, or typing.

    ``root`` holds the picture that the slider moves; ``widget`` is the slider widget (found in
    ``root`` by CSS class when given as a string); ``text_box`` the ``<input>`` of a linked text box,
    if there is one (typing goes there; otherwise into the slider's own editable readout).
    """

    def __init__(
        self,
        root: Locator,
        widget: Locator | str,
        text_box: Locator | str | None = None,
        name: str | None = None,
    ) -> None:
        self.root = root
        if isinstance(widget, str):
            name = name or widget
            widget = root.locator(f".{widget}").first
        if isinstance(text_box, str):
            text_box = root.locator(f".{text_box} input").first
        self.name = name or "slider"
        self.widget = widget
        self.handle = widget.locator(".noUi-handle").first
        self.readout = widget.locator(".widget-readout").first
        self.text_box = text_box

    def _aria(self, name: str) -> float:
        return float(self.handle.get_attribute(name))

    def at_max(self) -> bool:
        return self._aria("aria-valuenow") >= self._aria("aria-valuemax")

    def at_min(self) -> bool:
        return self._aria("aria-valuenow") <= self._aria("aria-valuemin")

    def shown(self) -> str:
        """The value as shown: the text box when there is one, otherwise the slider's readout."""
        if self.text_box is not None and self.text_box.count():
            return self.text_box.input_value()
        return self.readout.inner_text().strip()

    def press(self, key: str) -> Change:
        """Focus the handle and press ``key`` (ArrowRight, ArrowLeft, Home, End, PageUp ...)."""

        def act() -> None:
            self.handle.focus()
            self.handle.press(key)

        return change(self.root, f"{self.name} {key}", act)

    def step(self, up: bool | None = None) -> Change:
        """One keyboard step; up unless at the top (or ``up`` says otherwise)."""
        if up is None:
            up = not self.at_max()
        return self.press("ArrowRight" if up else "ArrowLeft")

    def type(self, value: str) -> Change:
        """Type ``value`` where a person would (the linked text box, else the readout) and Enter."""
        box = self.text_box if self.text_box is not None and self.text_box.count() else self.readout

        def act() -> None:
            box.fill(value)
            box.press("Enter")

        return change(self.root, f"{self.name} typed {value}", act)


def summarise(changes: list[Change]) -> dict:
    """Median and 90th percentile (ms) of first and settled paint over ``changes``."""

    def pct(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=10, method="inclusive")[q - 1] if len(values) > 1 else values[0]

    first = [c.first_ms for c in changes]
    settled = [c.settled_ms for c in changes]
    return {
        "n": len(changes),
        "first_median": statistics.median(first),
        "first_p90": pct(first, 9),
        "settled_median": statistics.median(settled),
        "settled_p90": pct(settled, 9),
    }


def screenshot(page: Page, path: Path) -> Path | None:
    """Save a screenshot for a failure report; never raises."""
    try:
        page.screenshot(path=str(path), full_page=True, timeout=10_000)
        return path
    except Exception:  # the page may be gone; a missing screenshot must not hide the failure
        return None


# --------------------------------------------------------------------------------------------
# The cost explorer (lossviz.interactive.CostExplorer), in JupyterLab or in Voilà

EXPLORER = ".lossviz-explorer"
#: Each slider's description and the CSS classes of the slider and of its linked text box.
EXPLORER_SLIDERS = {
    "batch size": ("lossviz-batch-size", "lossviz-batch-size-text"),
    "learning rate": ("lossviz-lr", "lossviz-lr-text"),
    "λ": ("lossviz-lam", "lossviz-lam-text"),
}


class Explorer:
    """The explorer on a page: its root, its three sliders and its readout."""

    def __init__(self, page: Page, index: int = 0) -> None:
        self.page = page
        self.root = page.locator(EXPLORER).nth(index)
        self.sliders = {
            name: Slider(self.root, css, text_css, name=name)
            for name, (css, text_css) in EXPLORER_SLIDERS.items()
        }
        self.readout = self.root.locator(".lossviz-readout").first

    def wait_rendered(self, timeout_ms: float = 120_000) -> dict:
        """Wait until the explorer shows and its picture is painted; check its controls."""
        self.root.wait_for(timeout=timeout_ms)
        state = wait_painted(self.root, timeout_ms)
        for name, slider in self.sliders.items():
            slider.handle.wait_for()
            label = slider.widget.locator(".widget-label").first.inner_text().strip()
            css = EXPLORER_SLIDERS[name][0]
            assert label == name, f"the .{css} slider is labelled {label!r}, not {name!r}"
            assert slider.text_box is not None and slider.text_box.count() == 1, (
                f"no text box .{EXPLORER_SLIDERS[name][1]} to type {name} into"
            )
        assert self.readout.inner_text().strip(), "the readout is empty"
        return state

    def readout_text(self) -> str:
        return self.readout.inner_text()

    def sweep(self, per_slider: int) -> list[Change]:
        """Move every slider ``per_slider`` keyboard steps down from its top; each must redraw.

        Down from the top, where every step changes the picture visibly (the smallest λ steps,
        1e-4 apart, may move the contours by less than a pixel). The press of End that takes a
        slider to its top is a change too, and is timed with the others.
        """
        changes = []
        for slider in self.sliders.values():
            if not slider.at_max():
                changes.append(slider.press("End"))
            for _ in range(per_slider):
                if slider.at_min():
                    break
                changes.append(slider.step(up=False))
        for c in changes:
            assert c.changed, f"{c.what}: the picture did not change"
        return changes

    def typed_values(self, name: str) -> list[str]:
        """Two values to type for slider ``name``, read off its text box's range.

        A third and two thirds of the way along a range that starts above 0, on a log scale;
        3 % and 30 % of the way along one that starts at 0.
        """
        box = self.sliders[name].text_box
        lo, hi = float(box.get_attribute("min")), float(box.get_attribute("max"))
        if lo > 0:
            values = [lo * (hi / lo) ** f for f in (1 / 3, 2 / 3)]
        else:
            values = [lo + (hi - lo) * f for f in (0.03, 0.3)]
        if name == "batch size":
            return [str(round(v)) for v in values]
        return [f"{v:.3g}" for v in values]
