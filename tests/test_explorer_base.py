"""The explorers' base (lossviz.interactive._base): stop sliders, linked text boxes, display, close."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from traitlets import TraitError

from lossviz.interactive._base import Explorer, StopSlider, fmt, linked_text, log_stops


def _slider(**kwargs):
    return StopSlider([1.0, 2.0, 5.0, 10.0], 2.0, cast=float, lo=1.0, hi=10.0, description="k", **kwargs)


BAD = [
    None,
    float("nan"),
    float("inf"),
    -float("inf"),
    "2",
    b"2",
    True,
    [2.0],
    {},
    0.5,
    11.0,
    10**400,
    object(),
]


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_stop_slider_refuses_and_stays_exactly_as_it_was(bad):
    s = _slider()
    s.value = 3.5  # an extra stop, so that the options are not the regular ones
    seen = []
    s.observe(lambda change: seen.append(change.new), "value")
    before = (s.value, s.index, s.label, s.options)
    with pytest.raises(TraitError, match=r"k must be a number in \[1, 10\]"):
        s.value = bad
    assert (s.value, s.index, s.label, s.options) == before and seen == []
    s.value = 5.0  # and the next valid change works
    assert (s.value, s.label, seen) == (5.0, "5", [5.0])
    assert [v for _, v in s.options] == [1.0, 2.0, 3.5, 5.0, 10.0]  # the extra stop stays till another comes


@pytest.mark.parametrize("bad", [None, -1, 5, 1.5, "1", True])
def test_stop_slider_refuses_a_bad_index(bad):
    s = _slider()
    with pytest.raises(TraitError, match="index"):
        s.index = bad
    assert (s.value, s.index) == (2.0, 1)
    s.index = 3
    assert s.value == 10.0


def test_stop_slider_refuses_an_unknown_label():
    s = _slider()
    with pytest.raises(TraitError, match="label must be one of"):
        s.label = "3"
    assert s.value == 2.0


def test_stop_slider_neighbours_and_stops():
    s = _slider()
    assert s.neighbours(1) == [1.0, 5.0] and s.neighbours(3) == [1.0, 5.0, 10.0]
    assert s.stops == (1.0, 2.0, 5.0, 10.0)


def test_a_bad_first_value_is_refused():
    with pytest.raises(TraitError, match="got None"):
        StopSlider([1, 2], None, cast=int, lo=1, hi=2)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_linked_text_reverts_a_refused_entry(bad):
    s = _slider()
    box = widgets.FloatText(value=2.0)
    said = []
    linked_text(s, box, on_refused=said.append)
    box.value = bad
    assert box.value == 2.0 and s.value == 2.0 and len(said) == 1 and "k must be" in said[0]
    box.value = 7.0
    assert s.value == 7.0 and box.value == 7.0
    s.value = 10.0
    assert box.value == 10.0


def test_fmt_and_log_stops():
    assert [fmt(v) for v in (1e-3, 0.0316, 4.4879, 100)] == ["0.001", "0.0316", "4.49", "100"]
    stops = log_stops(1e-3, 1e2, 12)
    assert len(stops) == 61 and stops[0] == 1e-3 and stops[-1] == 100
    assert np.all(np.diff(np.log10(stops)) > 0)
    with pytest.raises(ValueError, match="lo and hi"):
        log_stops(0, 1, 3)
    with pytest.raises(ValueError, match="per_decade"):
        log_stops(1, 10, 0)


class _Tiny(Explorer):
    """A minimal explorer: one slider moving one line."""

    def __init__(self) -> None:
        fig = Figure(figsize=(4, 3), dpi=100)
        ax = fig.add_subplot()
        ax.set(xlim=(0, 1), ylim=(0, 10))
        (self.line,) = ax.plot([0, 1], [0, 2])
        self._make_canvas(fig, layers={"line": self.line})
        self.slope, self.slope_text = self._slider(
            [1.0, 2.0, 5.0, 10.0], 2.0, cast=float, lo=1.0, hi=10.0, description="slope", css="tiny-slope"
        )
        self.slope.observe(self.guarded(self._on_slope), "value")
        self._assemble([widgets.HBox([self.slope, self.slope_text])])

    def _on_slope(self, change):
        if change.new == 5.0:
            raise RuntimeError("five is broken")
        self.canvas.set_data("line", [0, 1], [0, change.new])
        self.readout.value = f"slope {change.new}"

    def __repr__(self) -> str:
        return "Tiny()" if self._closed else f"Tiny(slope={self.slope.value})"


def test_explorer_display_carries_the_widget_and_a_static_picture():
    ex = _Tiny()
    data, metadata = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n" and metadata["image/png"] == {
        "width": 400,
        "height": 300,
    }
    assert data["text/plain"].startswith("Tiny(slope=2.0) -- ") and "Voilà" in data["text/plain"]
    assert "lossviz-explorer" in ex.widget._dom_classes
    assert "tiny-slope" in ex.slope._dom_classes and "tiny-slope-text" in ex.slope_text._dom_classes
    ex.close()


def test_explorer_callback_errors_are_shown_and_the_next_change_works():
    ex = _Tiny()
    ex.slope.value = 5.0
    assert ex.error == "RuntimeError: five is broken" and "Traceback" in ex.canvas.last_traceback
    ex.slope.value = 10.0
    assert ex.error == "" and ex.readout.value == "slope 10.0"
    ex.close()


def test_explorer_text_box_refusals_are_said_under_the_picture():
    ex = _Tiny()
    ex.slope_text.value = float("nan")
    assert ex.slope_text.value == 2.0 and "slope must be a number" in ex.error
    with pytest.raises(TraitError, match=r"slope must be a number in \[1, 10\], got 50"):
        ex.slope_text.value = 50.0  # a bounded box refuses instead of clamping
    assert ex.slope_text.value == 2.0 and ex.slope.value == 2.0
    ex.slope_text.value = 3.0
    assert ex.slope.value == 3.0 and repr(ex) == "Tiny(slope=3.0)"
    ex.close()


def test_explorer_close_closes_every_widget():
    ex = _Tiny()
    tree = ex._all_widgets()
    assert ex.canvas in tree and ex.slope in tree and ex.readout in tree
    ex.close()
    assert all(w.comm is None for w in tree)
    assert repr(ex) == "Tiny()"
    ex.close()  # twice is fine
    assert "image/png" not in ex._repr_mimebundle_()[0]
