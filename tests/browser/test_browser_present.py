"""Present mode: every dashboard of ``make present`` fits a projector's screen, in Voilà.

The landing page (``dashboards/index.ipynb``), the two explorers and every lesson's key figure
(``figures.ipynb``, one button per lesson) are opened at 1024 x 768 (the smallest common projector)
and 1920 x 1080, and each must:

* not scroll, either way (``document.scrollingElement``'s scroll size within the window);
* show every picture (``img``, ``canvas``) whole, inside the window;
* print no text smaller than :data:`MIN_TEXT_PX_AT_768` px at 768 px of height, and as much more
  as the window is taller (a 1080-pixel projector spreads its pixels over the same wall, so the same
  text needs 1080/768 times the pixels). 14 px at 768 is the course style's promise for a projector
  (``lossviz.plot.style.PROJECTOR_FONT_SCALE``): text 1/55 of the picture's height, which on a
  2.5 m high screen is 4.5 cm, legible from about 15 m (letters of 1 cm per 3.5 m of distance is
  the usual rule for presentations). The page's text is measured as rendered; a key figure's
  text from the size its ``<img>`` is shown at and the smallest font the figure drew
  (``data-min-text-px``, from ``dashboards/key_figures.py``); an explorer's picture (a
  ``LayeredCanvas`` in present mode, zoomed to fill the page) from its geometry: the smallest font
  its figure drew (``min_text_pt``) times the CSS pixels per point it was rendered at, times the
  scale it is shown at;
* show no error (no traceback or widget that failed, no console error, no request to other hosts).

A screenshot of every page at both sizes is saved under pytest's temporary folder, and its path
printed (``-s`` shows them), so that someone can look.
"""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

from browser_pages import output_problems

VIEWPORTS = [(1024, 768), (1920, 1080)]
#: The smallest text at a 768-pixel-high window (see the module's docstring); scaled with the height.
MIN_TEXT_PX_AT_768 = 14.0
LESSONS = [f"{n:02d}" for n in range(1, 13)]
#: Dashboard -> the CSS selector that is there once it has rendered.
DASHBOARDS = {
    "index.ipynb": ".lossviz-home-grid",
    "cost_explorer.ipynb": ".lossviz-explorer",
    "imbalance.ipynb": ".lossviz-present-explorer",
    "figures.ipynb": ".lossviz-deck",
}

# What the window shows: overflow either way, pictures outside the window, text that is too small.
_MEASURE = r"""
(minPx) => {
  const el = document.scrollingElement;
  const W = window.innerWidth, H = window.innerHeight;
  const out = {scroll: [el.scrollWidth, el.scrollHeight, W, H], outside: [], small: [], pictures: 0,
               smallest: Infinity, smallest_figure: Infinity};
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  for (const pic of document.querySelectorAll('#rendered_cells img, #rendered_cells canvas')) {
    if (!visible(pic)) continue;
    out.pictures += 1;
    const r = pic.getBoundingClientRect();
    if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1)
      out.outside.push(`${pic.tagName.toLowerCase()}.${pic.className}: ` +
                       `${r.left.toFixed(0)},${r.top.toFixed(0)} to ` +
                       `${r.right.toFixed(0)},${r.bottom.toFixed(0)}`);
    if (pic.dataset.minTextPx) {
      // the image is shown with object-fit: contain, so its content is scaled by the smaller ratio
      const scale = Math.min(r.width / pic.naturalWidth, r.height / pic.naturalHeight) *
                    pic.naturalWidth / Number(pic.dataset.naturalWidth);
      const px = Number(pic.dataset.minTextPx) * scale;
      out.smallest_figure = Math.min(out.smallest_figure, px);
      if (px < minPx) out.small.push(`figure ${pic.className}: smallest text ${px.toFixed(1)} px`);
    }
  }
  for (const c of document.querySelectorAll('#rendered_cells canvas.lossviz-canvas-layers')) {
    const g = c.__lvCanvas && c.__lvCanvas.state().geometry;
    if (!g || !g.min_text_pt || !visible(c)) continue;
    const shown = c.getBoundingClientRect().width / (g.width / g.ratio);
    const px = g.min_text_pt * g.px_per_pt / g.ratio * shown;
    out.smallest_figure = Math.min(out.smallest_figure, px);
    if (px < minPx) out.small.push(`explorer picture: smallest text ${px.toFixed(1)} px`);
  }
  const walker = document.createTreeWalker(document.querySelector('#rendered_cells') || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || !visible(parent) || parent.closest('style, script')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const px = parseFloat(getComputedStyle(parent).fontSize);
    out.smallest = Math.min(out.smallest, px);
    if (px < minPx - 0.01) out.small.push(`"${text.slice(0, 40)}": ${px.toFixed(1)} px`);
  }
  return out;
}
"""

# Wait until the dashboard has rendered: its root is there, no widget is loading, every picture
# under it has a size (and every image has loaded).
_RENDERED = r"""
(selector) => {
  const root = document.querySelector(selector);
  if (!root) return false;
  if (Array.from(document.querySelectorAll('.jp-OutputArea-output'))
        .some(e => e.textContent.trim().startsWith('Loading widget...'))) return false;
  const pics = Array.from(root.querySelectorAll('img, canvas'));
  if (selector !== '.lossviz-home-grid' && pics.length === 0) return false;
  // an explorer's picture has settled at the size it reported (present mode may resize it once)
  const settled = Array.from(root.querySelectorAll('canvas.lossviz-canvas-layers'))
    .every(c => c.__lvCanvas && c.__lvCanvas.state().settled);
  return settled && pics.every(p => p.getBoundingClientRect().width > 0 &&
                         (p.tagName !== 'IMG' || (p.complete && p.naturalWidth > 0)));
}
"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """The folder of this module's screenshots (under pytest's temporary folder)."""
    return tmp_path_factory.mktemp("present-screenshots")


def _check(page, where: str, min_px: float) -> list[str]:
    m = page.evaluate(_MEASURE, min_px)
    sw, sh, w, h = m["scroll"]
    problems = []
    if sh > h:
        problems.append(f"{where}: scrolls vertically ({sh} px of content in {h})")
    if sw > w:
        problems.append(f"{where}: scrolls horizontally ({sw} px of content in {w})")
    problems += [f"{where}: picture outside the window: {o}" for o in m["outside"]]
    problems += [f"{where}: text under {min_px:.1f} px: {s}" for s in m["small"][:8]]
    fig = (
        ""
        if m["smallest_figure"] == float("inf")
        else f", smallest figure text {m['smallest_figure']:.1f} px"
    )
    print(f"{where}: {m['pictures']} pictures, smallest page text {m['smallest']:.1f} px{fig}")
    return problems


def _open(new_page, voila_server, voila_tool_urls, name: str, size: tuple[int, int], **query: str):
    page, guard = new_page(tool_urls=voila_tool_urls)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(voila_server.url(f"voila/render/{name}", **query), wait_until="domcontentloaded")
    page.wait_for_function(_RENDERED, arg=DASHBOARDS[name], polling=250, timeout=180_000)
    page.wait_for_timeout(1_500)  # a figure's canvas may resize once after its first paint
    return page, guard


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["index.ipynb", "cost_explorer.ipynb", "imbalance.ipynb"])
def test_dashboard_fits_the_screen(name, size, new_page, voila_server, voila_tool_urls, shots):
    page, guard = _open(new_page, voila_server, voila_tool_urls, name, size)
    min_px = MIN_TEXT_PX_AT_768 * size[1] / 768
    where = f"{name} at {size[0]}x{size[1]}"
    problems = _check(page, where, min_px)
    path = shots / f"{name.removesuffix('.ipynb')}-{size[0]}x{size[1]}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt").count() == 0, "Voilà shows code"
    assert problems == [], "\n".join(problems)
    assert output_problems(page) == []
    assert guard.problems() == []


def test_landing_page_links_every_dashboard(new_page, voila_server, voila_tool_urls):
    page, guard = _open(new_page, voila_server, voila_tool_urls, "index.ipynb", VIEWPORTS[0])
    hrefs = page.locator("#rendered_cells a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert "cost_explorer.ipynb" in hrefs and "imbalance.ipynb" in hrefs
    assert [h for h in hrefs if h.startswith("figures.ipynb")] == [
        f"figures.ipynb?lesson={n}" for n in LESSONS
    ]
    refused = []  # Voilà's own "shut my kernel down" request as the page is left (see below)
    page.on("response", lambda r: refused.append(r.url) if r.status == 403 else None)
    page.locator('a[href="figures.ipynb?lesson=07"]').click()  # a link opens that lesson's figure
    page.wait_for_function(_RENDERED, arg=DASHBOARDS["figures.ipynb"], polling=250, timeout=180_000)
    assert page.locator(".lossviz-slide").get_attribute("data-lesson") == "07"
    # Leaving a page, Voilà's page asks /voila/api/shutdown/<kernel> to end its kernel; Voilà 0.5.13
    # refuses it (403: "'_xsrf' argument missing from POST"), so the kernel stays until the culler
    # ends it (the reason voila.json culls idle kernels; tests/test_servers.py). That refusal is
    # Voilà's, not the course's.
    assert all("/voila/api/shutdown/" in url for url in refused), refused
    forbidden = "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    problems = [p for p in guard.problems() if not (refused and p == f"console error: {forbidden}")]
    assert problems == []


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_lessons_key_figure_fits_the_screen(size, new_page, voila_server, voila_tool_urls, shots):
    page, guard = _open(new_page, voila_server, voila_tool_urls, "figures.ipynb", size, lesson="01")
    min_px = MIN_TEXT_PX_AT_768 * size[1] / 768
    problems = []
    for lesson in LESSONS:
        if lesson != "01":
            before = page.locator(".lossviz-slide-figure").get_attribute("src")
            page.locator(".lossviz-deck-picker button", has_text=lesson).click()
            page.wait_for_function(
                "([lesson, before]) => { const s = document.querySelector('.lossviz-slide');"
                " const img = document.querySelector('.lossviz-slide-figure');"
                " return s && s.dataset.lesson === lesson && img.getAttribute('src') !== before"
                " && img.complete && img.naturalWidth > 0; }",
                arg=[lesson, before],
                polling=250,
                timeout=180_000,
            )
        problems += _check(page, f"lesson {lesson} at {size[0]}x{size[1]}", min_px)
        path = shots / f"figures-{lesson}-{size[0]}x{size[1]}.png"
        page.screenshot(path=str(path))
        print(f"screenshot: {path}")
    assert problems == [], "\n".join(problems)
    page.locator(".lossviz-deck-next").click()  # after 12 comes 01 again
    page.wait_for_function("() => document.querySelector('.lossviz-slide').dataset.lesson === '01'")
    assert output_problems(page) == []
    assert guard.problems() == []
