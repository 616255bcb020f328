"""The slides of present mode (``dashboards/key_figures.py``) and the landing page that links them.

Each lesson's key figure draws on Agg at the slide's size, with no warning, and its smallest text
is at least the projector's 14 px when the figure is shown at its natural width (a 1024-pixel
window shows it at about that width; the browser test measures the real size). The landing page
links every slide, and the deck opens the lesson a query string names.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "dashboards"))

import key_figures  # noqa: E402

from lossviz.plot import style  # noqa: E402

#: The course style's promise for a projector (``PROJECTOR_FONT_SCALE``): text at least 14 px.
PROJECTOR_MIN_TEXT_PX = 14.0


@pytest.mark.parametrize("lesson", list(key_figures.SLIDES))
def test_each_slide_draws_at_the_slide_size_with_projector_text(lesson):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "constrained_layout not applied": a crowded slide
        fig = key_figures.draw(lesson)
        try:
            assert tuple(fig.get_size_inches()) == pytest.approx(key_figures.SLIDE_INCHES)
            assert fig.axes, "the slide draws nothing"
            png = key_figures.png(fig)
            px = key_figures.smallest_text_pt(fig) * style.DPI / 72
        finally:
            plt.close(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert px >= PROJECTOR_MIN_TEXT_PX, f"lesson {lesson}: smallest text {px:.1f} px at natural size"


def test_slide_html_says_how_large_its_text_is():
    html = key_figures.slide_html("01")
    found = re.search(r'data-natural-width="(\d+)" data-min-text-px="([\d.]+)"', html)
    assert found and int(found.group(1)) == round(key_figures.SLIDE_INCHES[0] * style.DPI)
    assert float(found.group(2)) >= PROJECTOR_MIN_TEXT_PX
    assert 'data-lesson="01"' in html and 'src="data:image/png;base64,' in html


def test_the_query_string_picks_the_lesson():
    assert key_figures.lesson_from_query("lesson=07") == "07"
    assert key_figures.lesson_from_query("token=abc&lesson=12") == "12"
    assert key_figures.lesson_from_query("lesson=99") == "01"
    assert key_figures.lesson_from_query("") == "01"
    with pytest.raises(ValueError, match="lesson must be one of"):
        key_figures.draw("13")


def test_the_landing_page_links_both_explorers_and_every_slide_by_its_title():
    nb = json.loads((ROOT / "dashboards" / "index.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"])
    assert 'href="cost_explorer.ipynb"' in text and 'href="imbalance.ipynb"' in text
    links = re.findall(r'href="figures\.ipynb\?lesson=(\d\d)">\d\d · ([^<]+)</a>', text)
    assert [n for n, _ in links] == list(key_figures.SLIDES)
    for n, title in links:
        assert title.replace("&#x27;", "'") == key_figures.SLIDES[n].title, n
    for name in ("cost_explorer.ipynb", "imbalance.ipynb", "figures.ipynb"):
        assert (ROOT / "dashboards" / name).is_file()
