"""Timing lossviz's client-side picture (LayeredCanvas) in a page: key presses and drags.

The canvas of the moving layers (``canvas.lossviz-canvas-layers``) keeps a log of what it showed,
``__lvLog``: for each paint (taken in the animation frame after the draw, as the picture reaches
the screen) its time, the key it shows (the slider's value) and whether it came from a
prefetched frame; a kernel update that changed nothing on screen is logged too, unpainted. So a
change is timed exactly, without a quiet window: from the key press to the first paint that
shows the new value ("first paint"), and to the kernel's data for that value ("settled": from
then on the picture cannot change any more for this press).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from browser_pages import CHANGE_TIMEOUT_MS, Change, canvas_state, settle
from playwright.sync_api import Locator, Page

LAYERS = "canvas.lossviz-canvas-layers"

# Wait in the page until the canvas under root has painted `target` after the last key press
# (or after `since`), and has had the kernel's data for it. Returns the times.
_KEYED_CHANGE = r"""
async ([root, target, since, timeout]) => {
  const canvas = root.querySelector('canvas.lossviz-canvas-layers');
  const t0 = since === null ? window.__lvKeyAt : since;
  const start = performance.now();
  while (performance.now() - start < timeout) {
    const log = (canvas.__lvLog || []).filter(e => e.t >= t0 && e.key === target);
    const first = log.find(e => e.painted);
    const live = log.find(e => !e.frame);
    if (first && live)
      return {ok: true, t0, first: first.t, settled: Math.max(first.t, live.t), frame: first.frame};
    await new Promise(resolve => setTimeout(resolve, 4));
  }
  return {ok: false, t0, log: (canvas.__lvLog || []).slice(-5)};
}
"""

# Record the slider's values as the handle moves (aria-valuenow), and the release's time.
_WATCH_DRAG = r"""
(handle) => {
  const seen = [];
  const value = () => String(Number(handle.getAttribute('aria-valuenow')));
  const note = () => seen.push({t: performance.now(), v: value()});
  const observer = new MutationObserver(note);
  observer.observe(handle, {attributes: true, attributeFilter: ['aria-valuenow']});
  window.__lvDrag = {seen, observer, down: null, up: null};
  const down = () => { window.__lvDrag.down = performance.now(); };
  const up = () => { window.__lvDrag.up = performance.now(); };
  document.addEventListener('pointerdown', down, {capture: true, once: true});
  document.addEventListener('pointerup', up, {capture: true, once: true});
}
"""

# After the release: which values were crossed and painted while the pointer was down, and how
# long after the release the final value was first painted (0 when it already was).
_DRAG_RESULT = r"""
async ([root, final, timeout]) => {
  const canvas = root.querySelector('canvas.lossviz-canvas-layers');
  const drag = window.__lvDrag;
  drag.observer.disconnect();
  const start = performance.now();
  let shown = null;
  while (performance.now() - start < timeout) {
    shown = (canvas.__lvLog || []).find(e => e.painted && e.t >= drag.down && e.key === final);
    const live = (canvas.__lvLog || []).find(e => !e.frame && e.t >= drag.down && e.key === final);
    if (shown && live) break;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  const during = (canvas.__lvLog || []).filter(e => e.painted && e.t >= drag.down && e.t <= drag.up);
  const crossed = new Set(drag.seen.filter(s => s.t >= drag.down && s.t <= drag.up).map(s => s.v));
  const painted = new Set(during.map(e => e.key).filter(k => crossed.has(k)));
  const atRelease = during.length ? during[during.length - 1].key : null;
  return {crossed: crossed.size, painted: painted.size, atRelease,
          lag: shown ? Math.max(0, shown.t - drag.up) : null,
          dragMs: drag.up - drag.down, paints: during.length};
}
"""


def layers_canvas(root: Locator) -> Locator:
    return root.locator(LAYERS).first


def wait_canvas_ready(root: Locator, timeout_ms: float = 60_000) -> None:
    """Wait until the canvas under ``root`` has painted its layers over a decoded background
    rendered for the width and pixel ratio the page has now."""
    root.page.wait_for_function(
        """(root) => {
            const c = root.querySelector('canvas.lossviz-canvas-layers');
            const img = root.querySelector('img.lossviz-canvas-background');
            if (!(c && c.__lvCanvas && c.__lvPaints > 0 && img && img.complete && img.naturalWidth > 0 &&
                  c.width === img.naturalWidth)) return false;
            const s = c.__lvCanvas.state();
            return s.settled && s.geometry.ratio === window.devicePixelRatio;
        }""",
        arg=root.element_handle(),
        polling=50,
        timeout=timeout_ms,
    )


def canvas_info(root: Locator) -> dict:
    """The canvas's size (image and CSS pixels), its geometry and frame state."""
    return root.evaluate(
        """(root) => {
            const c = root.querySelector('canvas.lossviz-canvas-layers');
            const r = c.getBoundingClientRect();
            const s = c.__lvCanvas.state();
            return {width: c.width, height: c.height, css_width: r.width, css_height: r.height,
                    dpr: window.devicePixelRatio, key: s.key, frames: s.frames,
                    version: s.version, geometry: s.geometry, paints: c.__lvPaints};
        }"""
    )


@dataclass(frozen=True)
class CanvasChange(Change):
    """A :class:`browser_pages.Change` of the canvas, and whether its first paint was a frame."""

    frame: bool = False


def keyed_change(root: Locator, handle: Locator, key: str, target: str, what: str) -> CanvasChange:
    """Press ``key`` on the slider's ``handle``; time the canvas until it shows ``target``."""
    page = root.page
    page.evaluate("() => { window.__lvKeyAt = null; }")
    handle.focus()
    handle.press(key)
    if page.evaluate("() => window.__lvKeyAt") is None:
        raise AssertionError(f"{what}: the page saw no key press")
    result = page.evaluate(_KEYED_CHANGE, [root.element_handle(), target, None, CHANGE_TIMEOUT_MS])
    if not result["ok"]:
        raise AssertionError(
            f"{what}: the canvas did not show {target} within "
            f"{CHANGE_TIMEOUT_MS} ms (last log {result['log']})"
        )
    return CanvasChange(
        what=what,
        changed=True,
        first_ms=result["first"] - result["t0"],
        settled_ms=result["settled"] - result["t0"],
        frame=bool(result["frame"]),
    )


def step_through(root: Locator, n: int, what: str) -> list[CanvasChange]:
    """``n`` presses of ArrowRight on the slider of ``root``, each timed by :func:`keyed_change`."""
    handle = root.locator(".canvas-slider .noUi-handle").first
    changes = []
    for _ in range(n):
        value = int(float(handle.get_attribute("aria-valuenow")))
        if value >= int(float(handle.get_attribute("aria-valuemax"))):
            raise AssertionError(f"{what}: the slider reached its end after {len(changes)} steps")
        changes.append(keyed_change(root, handle, "ArrowRight", str(value + 1), what))
    return changes


def quiet_change(root: Locator, handle: Locator, key: str, what: str, quiet_ms: float) -> Change:
    """Like :func:`browser_pages.change` for a key press on ``handle``, with its own quiet window
    (for ipympl, whose paints carry no key)."""
    page = root.page
    before = canvas_state(root)
    page.evaluate("() => { window.__lvKeyAt = null; }")
    handle.focus()
    handle.press(key)
    if page.evaluate("() => window.__lvKeyAt") is None:
        raise AssertionError(f"{what}: the page saw no key press")
    result = settle(root, before["paints"], quiet_ms=quiet_ms)
    after = canvas_state(root)
    return Change(
        what=what,
        changed=after["hashes"] != before["hashes"],
        first_ms=result["first"] - result["key"],
        settled_ms=result["last"] - result["key"],
    )


@dataclass(frozen=True)
class Drag:
    """A drag of a slider's handle across its track, and what the picture did."""

    crossed: int  # stops the slider passed while the pointer was down
    painted: int  # of those, how many the picture showed while the pointer was down
    lag_ms: float  # release -> first paint of the final value (0: it was shown already)
    behind: int  # stops between the slider and the picture at the release
    drag_ms: float  # pointer down -> up


def drag_across(root: Locator, seconds: float = 1.0, moves_per_second: int = 60) -> Drag:
    """Drag the handle of ``root``'s slider from its start to the end of the track, paced like a
    hand (``moves_per_second`` pointer moves for ``seconds``), release, and read the canvas's log.
    """
    page: Page = root.page
    handle = root.locator(".canvas-slider .noUi-handle").first
    track = root.locator(".canvas-slider .noUi-target").first
    maximum = str(int(float(handle.get_attribute("aria-valuemax"))))
    root.scroll_into_view_if_needed()
    hb, tb = handle.bounding_box(), track.bounding_box()
    x0, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
    x1 = tb["x"] + tb["width"] + 8  # past the end: the last stop for sure
    handle.evaluate(_WATCH_DRAG)
    page.mouse.move(x0, y)
    page.mouse.down()
    n = max(2, int(seconds * moves_per_second))
    start = time.perf_counter()
    for i in range(1, n + 1):
        page.mouse.move(x0 + (x1 - x0) * i / n, y)
        pause = start + i / moves_per_second - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    page.mouse.up()
    result = page.evaluate(_DRAG_RESULT, [root.element_handle(), maximum, CHANGE_TIMEOUT_MS])
    if result["lag"] is None:
        raise AssertionError(f"the picture never showed the drag's final value {maximum}: {result}")
    behind = int(maximum) - int(result["atRelease"]) if result["atRelease"] is not None else result["crossed"]
    return Drag(
        crossed=result["crossed"],
        painted=result["painted"],
        lag_ms=result["lag"],
        behind=behind,
        drag_ms=result["dragMs"],
    )
