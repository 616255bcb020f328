"""lossviz's client-side picture (LayeredCanvas) in a real browser, in JupyterLab and in Voilà.

On the canvas scaffold (:func:`browser_servers.write_canvas_scaffold`), at device pixel ratio 1
and 2, one page each:

* the canvas maps data to pixels as matplotlib's ``transData`` does (linear and log axes), and
  its picture (the PNG background plus the layers drawn in the browser) looks like matplotlib's
  own rendering of the same figure, pixel for pixel but for anti-aliasing;
* a click on the axes reaches Python as data coordinates, and Python's answer is drawn there; a
  callback's exception shows under the picture; frame keys are spelled as JavaScript does;
* key press -> picture painted, n = 24 each, for the canvas with prefetched frames, the canvas
  that waits for the kernel, and (at ratio 2; ratio 1 is timed by the infrastructure's scaffold
  test) the bare IntSlider + ipympl line -- printed in the suite's latency table;
* at ratio 1, a hand-paced drag across the 61 stops: stops painted of stops crossed, lag at
  release -- printed in the drag table.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytest.importorskip("playwright.sync_api")

from browser_pages import open_notebook, output_problems, run_all, wait_painted
from browser_servers import CANVAS_FIGURE_CODE, CANVAS_SCAFFOLD, code_cells_to_run
from canvas_pages import (
    canvas_info,
    drag_across,
    keyed_change,
    quiet_change,
    step_through,
    wait_canvas_ready,
)
from playwright.sync_api import expect

from lossviz.interactive._canvas import js_string

CHANGES = 24
#: The ipympl scaffold's changes wait for the picture to stay still this long (ms): ipympl may
#: paint twice for one change, and a late paint must not count for the next key press.
IPYMPL_QUIET_MS = 120
#: Of the pixels of the fidelity canvas, the share allowed to differ clearly (by more than a
#: quarter of the range in some channel) from matplotlib's rendering of the same figure, by device
#: pixel ratio. Anti-aliasing of edges differs between Agg and the browser: 0.22 % at ratio 1 and
#: 0.12 % at ratio 2 on the machine this was calibrated on. A line 0.5 pt too thin, dashes off by
#: a phase, a solid line for a dashed one, a wrong colour, alpha or fill, markers 2 pt too small,
#: a horizontal line a pixel off: each gave 0.34-0.60 % (ratio 1), 0.26-0.48 % (ratio 2).
MAX_DIFFERENT = {1: 0.0030, 2: 0.0017}


def _oracle(name: str, css_width: float, css_height: float, dpr: float, *args):
    """Matplotlib's own picture of a scaffold figure, at the size and pixel ratio of the page."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    namespace: dict = {}
    exec(CANVAS_FIGURE_CODE, namespace)
    fig, ax, _ = namespace[name](*args)
    fig.set_size_inches(css_width / fig.dpi, css_height / fig.dpi)
    fig.set_dpi(fig.dpi * dpr)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int), ax


def _check_mapping(root, ax, height: int, points) -> None:
    """The browser's data -> pixel mapping against matplotlib's transData (same size and ratio)."""
    got = root.evaluate(
        "(root, pts) => pts.map(([x, y]) => root.querySelector("
        "'canvas.lossviz-canvas-layers').__lvCanvas.toPixels(0, x, y))",
        points,
    )
    for (x, y), (px, py) in zip(points, got):
        ex, ey = ax.transData.transform((x, y))
        assert px == pytest.approx(ex, abs=1e-6) and py == pytest.approx(height - ey, abs=1e-6), (x, y)


def _check_scaffold_geometry(root) -> None:
    info = canvas_info(root)
    assert info["width"] == round(info["css_width"] * info["dpr"]), info  # image px = device px
    expected, ax = _oracle(
        "scaffold_figure", info["css_width"], info["css_height"], info["dpr"], int(info["key"])
    )
    _check_mapping(root, ax, expected.shape[0], [(0.0, 0.0), (1.0, 10.0), (0.25, 2.5), (0.7, 8.3)])


def _check_fidelity(page, root, figure: str = "fidelity_figure", points=None) -> None:
    """A still canvas against matplotlib: the fidelity canvas (log axis, lines, dashes, markers,
    scatter, text) or the shading canvas (an image and contours drawn under the axes' grid)."""
    from PIL import Image

    info = canvas_info(root)
    dpr = info["dpr"]
    expected, ax = _oracle(figure, info["css_width"], info["css_height"], dpr)
    points = points or [(0.0, 1e-2), (10.0, 100.0), (4.5, 3.0), (2.0, 0.03)]
    _check_mapping(root, ax, expected.shape[0], points)
    # The stage may sit at a fractional CSS offset and is painted snapped to device pixels: take
    # a slightly larger shot, and compare at the offset that fits best.
    stage = root.locator(".lossviz-canvas-stage")
    stage.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    box = stage.bounding_box()
    clip = {"x": box["x"] - 1, "y": box["y"] - 1, "width": box["width"] + 2, "height": box["height"] + 2}
    shot = np.asarray(
        Image.open(io.BytesIO(page.screenshot(clip=clip, animations="disabled"))).convert("RGB")
    ).astype(int)
    h, w = expected.shape[:2]
    different = min(
        (np.abs(shot[dy : dy + h, dx : dx + w] - expected).max(axis=2) > 64).mean()
        for dy in range(shot.shape[0] - h + 1)
        for dx in range(shot.shape[1] - w + 1)
    )
    assert different <= MAX_DIFFERENT[int(dpr)], (
        f"{figure}: {different:.3%} of the pixels differ from matplotlib's picture at ratio {dpr}"
    )


def _check_errors_are_shown(root) -> None:
    """A callback's exception shows in the canvas's error line, not only in a log."""
    error = root.locator(".lossviz-canvas-error")
    assert error.is_hidden()
    root.locator(".canvas-fault button, button.canvas-fault").first.click()
    expect(error).to_have_text("ValueError: a deliberate error in a callback")
    expect(error).to_be_visible()


def _check_js_string(page) -> None:
    """Python's spelling of numbers (frame keys) is JavaScript's String(), checked in the browser."""
    rng = np.random.default_rng(11)
    values = [
        float(v)
        for v in np.concatenate(
            [
                rng.standard_normal(40) * 10.0 ** rng.integers(-12, 25, 40),  # every notation
                rng.integers(-(10**6), 10**6, 10).astype(float),
                [0.1 + 0.2, 1e21, 1e-7, 2.0**60, -0.0],
            ]
        )
    ]
    assert page.evaluate("(values) => values.map(String)", values) == [js_string(v) for v in values]


def _check_click_moves_the_start(page, root) -> None:
    """A click at data (0.25, 2.5): Python moves the start marker there; the browser shows it."""
    info = canvas_info(root)
    _, ax = _oracle("scaffold_figure", info["css_width"], info["css_height"], info["dpr"], int(info["key"]))
    ex, ey = ax.transData.transform((0.25, 2.5))
    layers = root.locator("canvas.lossviz-canvas-layers")
    layers.scroll_into_view_if_needed()
    box = layers.bounding_box()
    page.mouse.click(box["x"] + ex / info["dpr"], box["y"] + (info["height"] - ey) / info["dpr"])
    page.wait_for_function(
        """(root) => {
            const c = root.querySelector('canvas.lossviz-canvas-layers');
            const xy = c.__lvCanvas.shown('start');
            return xy && Math.abs(xy[0] - 0.25) < 0.01 && Math.abs(xy[1] - 2.5) < 0.1;
        }""",
        arg=root.element_handle(),
        timeout=20_000,
    )


def _measure(page, where: str, dpr: int, record_latency, record_drag) -> None:
    frames, live, fidelity, shading, ipympl = (
        page.locator(f".canvas-{name}") for name in ("frames", "live", "fidelity", "shading", "ipympl")
    )
    for root in (frames, live, fidelity, shading):
        wait_canvas_ready(root)
    assert canvas_info(frames)["frames"] == 61, "the prefetched frames did not reach the browser"
    _check_scaffold_geometry(frames)
    _check_fidelity(page, fidelity)
    _check_fidelity(page, shading, "shading_figure", [(-2.0, -1.0), (2.0, 1.0), (0.5, 0.25)])
    _check_errors_are_shown(fidelity)
    _check_click_moves_the_start(page, live)
    _check_click_moves_the_start(page, frames)

    with_frames = step_through(frames, CHANGES, "canvas + frames")
    assert all(c.frame for c in with_frames), "a change of the prefetched canvas waited for the kernel"
    record_latency(where, f"canvas, prefetched frames · dpr {dpr}", with_frames)
    kernel = step_through(live, CHANGES, "canvas, kernel data")
    assert not any(c.frame for c in kernel)
    record_latency(where, f"canvas, kernel data · dpr {dpr}", kernel)
    first = np.median([c.first_ms for c in with_frames]), np.median([c.first_ms for c in kernel])
    assert first[0] < first[1], f"frames ({first[0]:.0f} ms) not faster than the kernel ({first[1]:.0f} ms)"

    if dpr != 1:  # at ratio 1 the infrastructure's scaffold test times the same ipympl line
        try:
            wait_painted(ipympl)
        except PlaywrightTimeoutError:
            # ipympl's own first paint sometimes never comes at ratio 2 on a loaded machine (a blank
            # "Figure 1"); it is the comparison here, not the course's picture, so say so and go on.
            print(f"{where}: the IntSlider + ipympl comparison at dpr {dpr} never painted; not measured")
            return
        handle = ipympl.locator(".canvas-slider .noUi-handle").first
        changes = [
            quiet_change(ipympl, handle, "ArrowRight", "ipympl", IPYMPL_QUIET_MS) for _ in range(CHANGES)
        ]
        assert all(c.changed for c in changes), "an ipympl step did not change the picture"
        record_latency(where, f"IntSlider + ipympl line · dpr {dpr}", changes)
    else:
        for name, root in (("prefetched frames", frames), ("kernel data", live)):
            handle = root.locator(".canvas-slider .noUi-handle").first
            keyed_change(root, handle, "Home", "0", "to the start")
            drag = drag_across(root)
            record_drag(where, f"canvas, {name} · dpr {dpr}", drag)
            assert drag.crossed >= 40, f"the drag crossed only {drag.crossed} stops"
            if name == "prefetched frames":
                assert drag.painted >= 0.8 * drag.crossed, drag


def _course_problems(page) -> list[str]:
    """``output_problems`` without ipympl's own image-swap error in the comparison scaffold.

    Under load, ipympl sometimes draws a frame whose image has not decoded ("Error setting state:
    Failed to execute 'drawImage' ... 'broken' state"); the course's canvas draws no image with
    ``drawImage`` (its background is an <img> swapped only after ``decode()``), so that message is
    ipympl's, in the comparison it is measured against.
    """
    return [p for p in output_problems(page) if not ("drawImage" in p and "'broken' state" in p)]


@pytest.mark.parametrize("dpr", [1, 2])
def test_canvas_in_jupyterlab(dpr, new_page, lab_kernels, record_latency, record_drag):
    page, guard = new_page(device_scale_factor=dpr)
    open_notebook(page, lab_kernels, CANVAS_SCAFFOLD)
    run_all(page, CANVAS_SCAFFOLD, code_cells_to_run(lab_kernels.root / CANVAS_SCAFFOLD))
    assert _course_problems(page) == []
    _measure(page, "JupyterLab", dpr, record_latency, record_drag)
    assert _course_problems(page) == []
    assert (
        page.locator(
            ".canvas-frames .lossviz-canvas-error:not([hidden]), "
            ".canvas-live .lossviz-canvas-error:not([hidden])"
        ).count()
        == 0
    )
    assert guard.problems() == []


@pytest.mark.parametrize("dpr", [1, 2])
def test_canvas_in_voila(dpr, new_page, voila_server, voila_tool_urls, record_latency, record_drag):
    page, guard = new_page(tool_urls=voila_tool_urls, device_scale_factor=dpr)
    page.goto(voila_server.url(f"voila/render/{CANVAS_SCAFFOLD}"), wait_until="domcontentloaded")
    page.locator(".canvas-ipympl").wait_for(timeout=120_000)
    _measure(page, "Voilà", dpr, record_latency, record_drag)
    if dpr == 1:
        _check_js_string(page)
    assert _course_problems(page) == []
    assert (
        page.locator(
            ".canvas-frames .lossviz-canvas-error:not([hidden]), "
            ".canvas-live .lossviz-canvas-error:not([hidden])"
        ).count()
        == 0
    )
    assert guard.problems() == []
