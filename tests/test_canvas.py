"""LayeredCanvas without a browser: geometry, buffers, frames and stamps, display, errors, input.

The browser side (canvas.js) is tested in tests/browser/test_browser_canvas.py, where its
mapping is compared with matplotlib's transData and its picture with matplotlib's rendering.
"""

from __future__ import annotations

import doctest
import io
import math

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.path
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from lossviz.interactive import _canvas
from lossviz.interactive._canvas import LayeredCanvas, PointerEvent, js_string


def _figure(**subplot):
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot(**subplot)
    return fig, ax


@pytest.fixture
def closing():
    made = []
    yield made.append
    for pic in made:
        pic.close()


def _new(fig, closing, **kwargs) -> LayeredCanvas:
    pic = LayeredCanvas(fig, **kwargs)
    closing(pic)
    return pic


def _sent(pic, monkeypatch):
    """Capture the custom messages the widget sends (content, buffers)."""
    sent = []
    monkeypatch.setattr(pic, "send", lambda content, buffers=None: sent.append((content, buffers)))
    return sent


# --- geometry: the browser's mapping is matplotlib's transData ----------------------------------


def test_zoom_scales_the_figure_as_a_whole_and_fit_height_goes_to_the_browser(closing):
    # present mode (issue 11): the text grows with the width taken; the layout stays the figure's
    fig, ax = _figure()
    ax.set_title("t", fontsize=8)
    pic = _new(fig, closing, zoom=True, fit_height=True)
    assert pic.fit_height is True
    assert pic.geometry["px_per_pt"] == pytest.approx(100 / 72)
    assert pic.geometry["min_text_pt"] == pytest.approx(8)
    box = dict(pic.geometry["axes"][0])
    pic.css_width = 800
    pic.dpr = 2.0
    g = pic.geometry
    assert (g["width"], g["height"]) == (1600, 1200)
    assert g["px_per_pt"] == pytest.approx(100 / 72 * 2 * 2)  # twice as wide, at ratio 2
    for key in ("left", "top", "width", "height"):  # the same layout, four times the pixels
        assert g["axes"][0][key] == pytest.approx(4 * box[key])
    assert Image.open(io.BytesIO(pic.static_png())).size == (400, 300)  # the figure's own size
    plain = _new(_figure()[0], closing)
    plain.css_width = 800
    assert plain.fit_height is False
    assert plain.geometry["px_per_pt"] == pytest.approx(100 / 72)  # laid out again, fonts kept
    for bad in ("yes", 1, None):
        with pytest.raises(TypeError, match="zoom must be True or False"):
            LayeredCanvas(_figure()[0], zoom=bad)
        with pytest.raises(TypeError, match="fit_height must be True or False"):
            LayeredCanvas(_figure()[0], fit_height=bad)


@pytest.mark.parametrize("dpr", [1.0, 1.5, 2.0])
@pytest.mark.parametrize(
    "scales", [("linear", "linear"), ("log", "linear"), ("linear", "log"), ("log", "log")]
)
def test_pixels_are_matplotlibs_transdata(scales, dpr, closing):
    fig = Figure(figsize=(6, 3), dpi=100)
    left, right = fig.subplots(1, 2)
    right.set_xscale(scales[0])
    right.set_yscale(scales[1])
    right.set_xlim(0.01, 1000.0)
    right.set_ylim(500.0, 0.2)  # inverted
    left.set_xlim(-3, 7)
    pic = _new(fig, closing)
    pic.css_width, pic.dpr = 601, dpr  # what the browser reports: odd width, fractional ratio
    rng = np.random.default_rng(0)
    x = 10 ** rng.uniform(-3, 4, 50)
    y = 10 ** rng.uniform(-2, 3, 50)
    fig.set_dpi(100 * dpr)  # the rendered state, where matplotlib's transforms hold
    height = pic.geometry["height"]
    for ax in (left, right):
        px, py = pic.to_pixels(ax, x, y)
        expected = ax.transData.transform(np.column_stack([x, y]))
        np.testing.assert_allclose(px, expected[:, 0], rtol=1e-9, atol=1e-7)
        np.testing.assert_allclose(py, height - expected[:, 1], rtol=1e-9, atol=1e-7)
    assert pic.geometry["width"] == math.floor(601 * dpr)


def test_log_axes_clip_nonpositive_values_as_matplotlib_does(closing):
    fig, ax = _figure()
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 1e3)
    ax.set_xlim(0, 1)
    pic = _new(fig, closing)
    _, py = pic.to_pixels(ax, [0.5, 0.5], [0.0, -1.0])
    _, ey = ax.transData.transform([[0.5, 0.0], [0.5, -1.0]]).T
    np.testing.assert_allclose(py, pic.geometry["height"] - ey, rtol=1e-9)


def test_background_follows_the_container_and_the_pixel_ratio(closing):
    fig, _ = _figure()
    pic = _new(fig, closing, max_width=800)
    assert (pic.geometry["width"], pic.geometry["height"]) == (400, 300)  # the figure's own size
    pic.css_width = 620
    assert (pic.geometry["width"], pic.geometry["height"]) == (620, 465)  # aspect ratio kept
    pic.dpr = 2.0
    assert (pic.geometry["width"], pic.geometry["height"], pic.geometry["ratio"]) == (1240, 930, 2.0)
    assert Image.open(io.BytesIO(pic.background)).size == (1240, 930)
    pic.css_width = 5000
    assert pic.geometry["width"] == 1600  # max_width 800 CSS px, at ratio 2
    assert pic.geometry["px_per_pt"] == pytest.approx(200 / 72)
    tall = _new(_figure()[0], closing, height=200, min_width=300)
    tall.css_width = 100
    assert (tall.geometry["width"], tall.geometry["height"]) == (300, 200)


def test_a_width_drawn_at_the_same_size_is_named_in_the_geometry_without_a_render(closing, monkeypatch):
    # issue 11: in Notebook 7 the first width reported gave the size already drawn, so nothing was
    # drawn and the geometry named width 0; the browser, comparing it with the width it reported,
    # took every frame's background for one of another width and showed no frame
    fig, _ = _figure()
    pic = _new(fig, closing, max_width=400)
    assert pic.geometry["container"] == 0
    calls = []
    render = pic._render
    monkeypatch.setattr(pic, "_render", lambda *a: calls.append(a) or render(*a))
    pic.css_width = 850  # wider than the picture may be: the same 400 px
    assert calls == [] and (pic.geometry["width"], pic.geometry["container"]) == (400, 850)
    pic.redraw(cache_key="k")
    pic.css_width = 900
    pic.redraw(cache_key="k")  # from the cache: the geometry names the width now
    assert len(calls) == 1 and pic.geometry["container"] == 900


def test_redraw_with_a_cache_key_reuses_the_background(closing, monkeypatch):
    fig, ax = _figure()
    pic = _new(fig, closing)
    calls = []
    render = pic._render
    monkeypatch.setattr(pic, "_render", lambda *a: calls.append(a) or render(*a))
    pic.redraw(cache_key="lam=0")
    ax.set_facecolor("0.9")
    pic.redraw(cache_key="lam=1")
    first = pic.background
    pic.redraw(cache_key="lam=0")
    pic.redraw(cache_key="lam=1")
    assert len(calls) == 2 and pic.background == first
    pic.dpr = 2.0  # another size: the picture shown is drawn anew, under its key
    pic.redraw(cache_key="lam=1")
    assert len(calls) == 3
    pic.redraw(cache_key="lam=0")  # at the new size, the other key is drawn anew too
    assert len(calls) == 4


# --- layers: float32 buffers and styles ---------------------------------------------------------


def test_line_data_are_interleaved_float32(closing):
    fig, ax = _figure()
    (line,) = ax.plot([], [])
    pic = _new(fig, closing, layers={"path": line})
    x = np.linspace(0, 1, 7) + 1e-9
    y = x**2
    pic.set_data("path", x, y)
    xy = pic.data["path"]["xy"]
    assert isinstance(xy, bytes) and len(xy) == 7 * 2 * 4
    got = np.frombuffer(xy, "<f4").reshape(-1, 2)
    np.testing.assert_array_equal(got, np.column_stack([x, y]).astype(np.float32))
    np.testing.assert_array_equal(line.get_xdata(), got[:, 0])  # the artist follows, for the PNG
    pic.set_data("path", [], [])
    assert pic.data["path"]["xy"] == b""


def test_scatter_sizes_are_diameters_in_points(closing):
    fig, ax = _figure()
    pts = ax.scatter([0, 1], [0, 1], s=[4, 9])
    pic = _new(fig, closing, layers={"pts": pts})
    np.testing.assert_allclose(np.frombuffer(pic.data["pts"]["s"], "<f4"), [2, 3])
    pic.set_data("pts", [0, 1, 2], [2, 1, 0])  # sizes kept: one per point, or broadcast
    assert len(pic.data["pts"]["s"]) == 3 * 4 and len(pic.data["pts"]["xy"]) == 3 * 8
    pic.set_data("pts", [0], [0], sizes=16)
    np.testing.assert_allclose(np.frombuffer(pic.data["pts"]["s"], "<f4"), [4])
    np.testing.assert_allclose(pts.get_sizes(), [16])


def test_styles_follow_matplotlibs_rules(closing):
    fig, ax = _figure()
    (dashed,) = ax.plot([0, 1], [0, 1], "--", lw=2, color=(1, 0, 0, 0.5), alpha=0.25)
    (marker,) = ax.plot([0.5], [0.5], "o", ms=8, mfc="none", mec="C1", zorder=5)
    pic = _new(fig, closing, layers={"dashed": dashed, "marker": marker})
    s = pic.styles["dashed"]
    # '--' is rcParams' lines.dashed_pattern in units of the line width
    pattern = matplotlib.rcParams["lines.dashed_pattern"]
    assert s["dashes"] == pytest.approx([d * 2 for d in pattern]) and s["linewidth"] == 2
    assert (s["color"], s["alpha"]) == ("#ff0000", 0.25)  # the artist's alpha replaces the colour's
    assert s["cap"] == "butt" and s["marker"] is None and s["clip"] is True
    m = pic.styles["marker"]
    assert m["linewidth"] == 0 and m["zorder"] == 5
    assert m["marker"]["face_alpha"] == 0 and m["marker"]["edge"] == matplotlib.colors.to_hex("C1")
    outline = matplotlib.path.Path(m["marker"]["vertices"], m["marker"]["codes"])
    extents = outline.get_extents()
    assert (extents.width, extents.height) == pytest.approx((1, 1))  # diameter: the marker size
    dashed.set_linewidth(4)
    pic.set_data("dashed", [0, 1], [1, 0])  # the style is read again
    assert pic.styles["dashed"]["dashes"] == pytest.approx([d * 4 for d in pattern])


def test_layers_are_left_out_of_the_background_but_in_the_static_png(closing):
    fig, ax = _figure()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    (line,) = ax.plot([0, 1], [0.5, 0.5], color="#ff0000", lw=8)
    text = ax.text(0.5, 0.2, "readout", color="#0000ff", fontsize=20)
    pic = _new(fig, closing, layers={"line": line, "text": text})

    def coloured(png, channel):
        rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
        others = [c for c in range(3) if c != channel]
        return ((rgb[..., channel] > 200) & (rgb[..., others] < 60).all(axis=-1)).sum()

    assert coloured(pic.background, 0) == 0 and coloured(pic.background, 2) == 0
    static = pic.static_png()
    assert coloured(static, 0) > 1000 and coloured(static, 2) > 20
    pic.set_text("text", "other", y=0.8)
    assert text.get_position() == (0.5, pytest.approx(0.8)) and pic.data["text"]["text"] == "other"


def test_mimebundle_has_the_widget_and_a_picture(closing):
    fig, ax = _figure()
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]})
    data, metadata = pic._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == pic.model_id
    assert Image.open(io.BytesIO(data["image/png"])).size == (400, 300)
    assert metadata["image/png"] == {"width": 400, "height": 300}
    assert data["text/plain"] == "LayeredCanvas(layers=['line'], 400x300 px)"


def test_close_closes_the_widget_and_stops_it(closing):
    fig, ax = _figure()
    lam = widgets.FloatSlider(value=0.1)
    pic = LayeredCanvas(fig, layers={"line": ax.plot([0, 1])[0]}, frame_context=[lam])
    pic.close()
    assert pic.comm is None
    lam.value = 0.2
    assert pic.version == 0  # no longer listening
    with pytest.raises(ValueError, match="closed"):
        pic.static_png()
    assert repr(pic) == "LayeredCanvas(layers=['line'], closed)"
    pic.close()  # twice is fine


# --- frames and their stamps ---------------------------------------------------------------------


# String(v) in JavaScript (ECMAScript Number::toString), from the specification's rules.
JS_STRINGS = [
    (0.1 + 0.2, "0.30000000000000004"),
    (1e21, "1e+21"),
    (1e20, "100000000000000000000"),
    (123456789012345680000.0, "123456789012345680000"),
    (1e-6, "0.000001"),
    (1e-7, "1e-7"),
    (1.5e-7, "1.5e-7"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (-0.0, "0"),
    (2.0**53, "9007199254740992"),
    (0.000123, "0.000123"),
    (123.456, "123.456"),
    (-1.5, "-1.5"),
    (1e100, "1e+100"),
    (25.0, "25"),
    (7, "7"),
    (-12, "-12"),
    (10**21, "1e+21"),
    (np.int64(3), "3"),
    (np.float32(0.5), "0.5"),
    (True, "true"),
    (False, "false"),
    ("0.5", "0.5"),
    (math.inf, "Infinity"),
    (-math.inf, "-Infinity"),
    (math.nan, "NaN"),
]


@pytest.mark.parametrize("value, text", JS_STRINGS)
def test_js_string_spells_numbers_as_javascript_does(value, text):
    assert js_string(value) == text


def test_frame_keys_follow_the_widgets_the_browser_reads(closing):
    size = widgets.IntSlider(value=4, min=1, max=64)
    lr = widgets.FloatLogSlider(value=1e-7, min=-8, max=0)
    lam = widgets.SelectionSlider(options=[("0", 0.0), ("0.1", 0.1), ("1", 1.0)], value=0.1)
    pic = _new(Figure(), closing, frame_keys=[size, lr, lam])
    assert pic.frame_traits == ["value", "value", "label"]  # a selection slider syncs its index
    assert pic.frame_key() == "4|1e-7|0.1"
    assert pic.frame_key((8, 0.5, "1")) == "8|0.5|1"
    with pytest.raises(ValueError, match="values must hold one value per key widget"):
        pic.frame_key((8, 0.5))


def test_frames_carry_their_stamp_and_stale_ones_are_dropped(closing, monkeypatch):
    fig, ax = _figure()
    slope = widgets.IntSlider(value=1, max=3)
    lam = widgets.FloatSlider(value=0.0, max=1.0)
    pic = _new(
        fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]}, frame_keys=[slope], frame_context=[lam]
    )
    sent = _sent(pic, monkeypatch)
    token = pic.frame_token()
    assert token == "0|0"
    assert pic.add_frames({s: {"line": ([0, 1], [0, s])} for s in range(4)}, token=token)
    content, buffers = sent[-1]
    assert content["kind"] == "frames" and content["token"] == token and content["version"] == 0
    assert [e["key"] for e in content["entries"]] == ["0", "1", "2", "3"]
    assert all(len(b) == 2 * 2 * 4 for b in buffers)  # two points, float32
    ref = content["entries"][2]["layers"]["line"]["xy"]["buffer"]
    np.testing.assert_array_equal(np.frombuffer(buffers[ref], "<f4"), [0, 0, 1, 2])
    slope.value = 2  # a key widget: the frames stay
    assert pic.frame_count == 4 and pic.version == 0
    lam.value = 0.5  # a context widget: every frame is stale, here and in the browser
    assert pic.frame_count == 0 and pic.version == 1 and pic.frame_token() == "1|0.5"
    assert not pic.add_frames({0: {"line": ([0, 1], [0, 0])}}, token=token)
    assert len(sent) == 1  # the stale frames were not sent
    pic.invalidate_frames()
    assert pic.version == 2 and pic.data["line"]["token"] == "2|0.5"


def test_live_data_carry_the_key_they_were_made_for(closing):
    fig, ax = _figure()
    slope = widgets.IntSlider(value=1, max=3)
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]}, frame_keys=[slope])
    slope.observe(lambda change: pic.set_data("line", [0, 1], [0, change["new"]]), "value")
    slope.value = 3
    assert (pic.data["line"]["key"], pic.data["line"]["token"]) == ("3", "0|")


def test_a_new_view_gets_the_frames_held(closing, monkeypatch):
    fig, ax = _figure()
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]})
    pic.add_frames({(): {"line": ([0, 1], [1, 1])}})
    sent = _sent(pic, monkeypatch)
    pic._on_message(pic, {"kind": "hello"}, [])
    assert [e["key"] for e in sent[-1][0]["entries"]] == [""]


def test_frames_keyed_by_lam_carry_a_background_sent_once(closing, monkeypatch):
    fig, ax = _figure()
    lam = widgets.SelectionSlider(options=[("0", 0.0), ("0.1", 0.1), ("1", 1.0)], value=0.1)
    seed = widgets.IntSlider(value=0, max=9)
    title = ax.set_title("")
    pic = _new(
        fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]}, frame_keys=[lam], frame_context=[seed]
    )
    sent = _sent(pic, monkeypatch)
    with pytest.raises(ValueError, match="no background cached under 'lam=1'"):
        pic.add_frames({"1": {"line": ([0, 1], [1, 1])}}, background="lam=1")
    assert sent == [] and pic.frame_count == 0  # refused: nothing sent, nothing kept
    title.set_text("λ = 1")
    pic.prerender(cache_key="lam=1", only=[title])
    title.set_text("")
    token = pic.frame_token()
    assert pic.add_frames({"1": {"line": ([0, 1], [1, 1])}}, token=token, background="lam=1")
    assert pic.add_frames({"1": {"line": ([0, 1], [1, 0])}}, token=token, background="lam=1")
    kinds = [c["kind"] for c, _ in sent]
    assert kinds == ["background", "frames", "frames"]  # the PNG once, before the frames naming it
    bg, (png,) = sent[0]
    bid = pic.frame_background("1")
    assert bg["id"] == bid == bg["geometry"]["background"] and png[:4] == b"\x89PNG"
    assert sent[1][0]["entries"][0]["background"] == bid
    # what the kernel then shows at λ = 1, drawn from the same cache entry: the same picture, by name
    title.set_text("λ = 1")
    pic.redraw(cache_key="lam=1", only=[title])
    assert pic.geometry["background"] == bid and pic.background == png
    # a new view gets the background again, then the frames
    sent.clear()
    pic._on_message(pic, {"kind": "hello"}, [])
    assert [c["kind"] for c, _ in sent] == ["background", "frames"]
    assert sent[1][0]["entries"][0]["background"] == bid
    # a context change makes the λ frames stale like any other
    seed.value = 1
    assert pic.frame_count == 0 and pic.frame_background("1") is None
    assert not pic.add_frames({"0": {"line": ([0, 1], [0, 0])}}, token=token, background="lam=1")


def test_after_a_resize_the_live_background_keeps_its_key_and_frames_name_it(closing, monkeypatch):
    # issue 11: after the browser reported its pixel ratio, frames prerendered for the picture
    # shown named a copy of it, so every frame shown swapped the background and back again
    fig, ax = _figure()
    size = widgets.IntSlider(value=1, max=9)
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]}, frame_keys=[size])
    pic.redraw(cache_key="top=1")
    calls = []
    render = pic._render
    monkeypatch.setattr(pic, "_render", lambda *a: calls.append(a) or render(*a))
    pic.dpr = 2.0  # drawn again at the new ratio, under the same key
    live = pic.geometry["background"]
    assert len(calls) == 1 and pic.geometry["ratio"] == 2.0
    assert not pic.prerender(cache_key="top=1")  # that picture is there already
    assert pic.add_frames({2: {"line": ([0, 1], [1, 1])}}, background="top=1")
    assert pic.frame_background(2) == live and len(calls) == 1
    ax.set_facecolor("0.9")  # a picture redrawn without a key
    pic.redraw()
    pic.dpr = 1.0  # is drawn again without one: not taken for the "top=1" picture
    assert len(calls) == 3
    assert pic.geometry["background"] != pic._background_entry("top=1")[1]["background"]


def test_frame_backgrounds_are_bounded_and_their_frames_go_with_them(closing, monkeypatch):
    fig, ax = _figure()
    step = widgets.IntSlider(value=0, max=99)
    title = ax.set_title("")
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]}, frame_keys=[step])
    sent = _sent(pic, monkeypatch)
    n = _canvas.MAX_FRAME_BACKGROUNDS + 3
    for i in range(n):
        title.set_text(str(i))
        pic.prerender(cache_key=i, only=[title])
        pic.add_frames({i: {"line": ([0, 1], [0, i])}}, background=i)
    assert len([c for c, _ in sent if c["kind"] == "background"]) == n
    assert len(pic._sent_backgrounds) == _canvas.MAX_FRAME_BACKGROUNDS
    # the frames over the backgrounds the browser dropped are dropped here too (sent again later)
    assert sorted(int(k) for k in pic._frames) == list(range(n - _canvas.MAX_FRAME_BACKGROUNDS, n))
    sent.clear()
    pic.add_frames({0: {"line": ([0, 1], [0, 0])}}, background=0)  # its background is sent again
    assert [c["kind"] for c, _ in sent] == ["background", "frames"]


def test_frames_are_validated_like_live_data(closing):
    fig, ax = _figure()
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0], "label": ax.text(0, 0, "")})
    with pytest.raises(ValueError, match=r"line: x must be finite, got nan at index 1"):
        pic.add_frames({(): {"line": ([0, np.nan], [0, 1])}})
    with pytest.raises(ValueError, match="name must be one of the layers"):
        pic.add_frames({(): {"path": ([0], [0])}})
    with pytest.raises(TypeError, match="frame data for text layer 'label'"):
        pic.add_frames({(): {"label": 3}})
    assert pic.add_frames({(): {"label": "lr = 1"}})


# --- pointer events ---------------------------------------------------------------------------------


def test_pointer_events_reach_python_in_data_coordinates(closing):
    fig = Figure(figsize=(6, 3))
    _, right = fig.subplots(1, 2)
    (start,) = right.plot([0.5], [0.5], "o")
    pic = _new(fig, closing, layers={"start": start})
    seen = []
    pic.on_pointer(seen.append, ax=right, moves="start")
    assert pic.pointer_axes == [1] and pic.drag_layer == "start" and pic.pointer_invalidates
    pic._on_message(
        pic,
        {
            "kind": "pointer",
            "seq": 1,
            "type": "down",
            "axes": 1,
            "x": 0.2,
            "y": 0.3,
            "button": 0,
            "shift": True,
        },
        [],
    )
    pic._on_message(
        pic, {"kind": "pointer", "seq": 2, "type": "move", "axes": 0, "x": 0.4, "y": 0.3}, []
    )  # a drag stays on the axes it began on
    pic._on_message(pic, {"kind": "pointer", "seq": 3, "type": "down", "axes": 0, "x": 0.1, "y": 0.1}, [])
    assert [(e.kind, e.ax is right, e.x, e.shift) for e in seen] == [
        ("down", True, 0.2, True),
        ("move", True, 0.4, False),
    ]
    assert pic.pointer_ack == 3 and pic.version == 3  # each event answered, and stamped
    pic.on_pointer(seen.append, remove=True)
    assert pic.pointer_axes == [] and pic.drag_layer == ""


def test_pointer_events_can_leave_the_frames_valid(closing):
    fig, ax = _figure()
    pic = _new(fig, closing, layers={"line": ax.plot([0, 1], [0, 1])[0]})
    pic.add_frames({(): {"line": ([0, 1], [1, 1])}})
    pic.on_pointer(lambda event: None, invalidates_frames=False)
    pic.pointer("down", ax, 0.5, 0.5)
    assert pic.version == 0 and pic.frame_count == 1 and not pic.pointer_invalidates


# --- errors are shown, bad input is refused --------------------------------------------------------


def test_errors_in_callbacks_are_shown_in_the_widget(closing):
    fig, ax = _figure()
    pic = _new(fig, closing)

    def broken(event: PointerEvent) -> None:
        raise ValueError(f"start must lie in the window, got {event.x}")

    pic.on_pointer(broken)
    pic.pointer("down", ax, 0.25, 0.5)
    assert pic.error == "ValueError: start must lie in the window, got 0.25"
    assert "Traceback" in pic.last_traceback and "broken" in pic.last_traceback
    follow = pic.guarded(lambda change: change["new"] + 1)
    assert follow({"new": 1}) == 2 and pic.error == ""  # cleared by the next good call
    pic.dpr = 20.0  # a broken report from the browser: shown, not raised into the comm
    assert pic.error == "ValueError: dpr must be <= 8.0, got 20.0"
    pic._on_message(pic, {"kind": "error", "message": "drawing: bad"}, [])
    assert pic.error == "in the browser: drawing: bad"


@pytest.mark.parametrize(
    "make, exc, match",
    [
        (lambda: LayeredCanvas("fig"), TypeError, r"fig must be a matplotlib.figure.Figure, got str"),
        (lambda: LayeredCanvas(Figure(), width=3), ValueError, r"width must be >= 16, got 3"),
        (
            lambda: LayeredCanvas(Figure(), max_width=100, min_width=200),
            ValueError,
            r"max_width must be >= 200, got 100",
        ),
        (
            lambda: LayeredCanvas(Figure(), frame_keys=[3]),
            TypeError,
            r"frame_keys\[0\] must be an ipywidgets widget, got 3",
        ),
        (
            lambda: LayeredCanvas(Figure(), frame_context=[widgets.Button()]),
            TypeError,
            r"frame_context\[0\] \(Button\) has no synced value",
        ),
    ],
)
def test_bad_construction_is_refused(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_pyplot_figures_are_refused():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    try:
        with pytest.raises(ValueError, match="fig is managed by pyplot"):
            LayeredCanvas(fig)
    finally:
        plt.close(fig)


def _bad_layer(kind):
    fig, ax = _figure()
    _, other_ax = _figure()
    if kind == "type":
        return fig, ax.bar([0], [1])[0]
    if kind == "figure":
        return fig, other_ax.plot([0], [0])[0]
    if kind == "steps":
        return fig, ax.plot([0, 1], [0, 1], drawstyle="steps-mid")[0]
    if kind == "markevery":
        return fig, ax.plot([0, 1], [0, 1], "o", markevery=2)[0]
    if kind == "colours":
        return fig, ax.scatter([0, 1], [0, 1], c=["r", "b"])
    if kind == "rotated":
        return fig, ax.text(0, 0, "a", rotation=30)
    if kind == "symlog":
        ax.set_xscale("symlog")
        return fig, ax.plot([0, 1], [0, 1])[0]
    polar = fig.add_subplot(2, 1, 2, projection="polar")
    return fig, polar.plot([0, 1], [0, 1])[0]


@pytest.mark.parametrize(
    "kind, exc, match",
    [
        (
            "type",
            TypeError,
            (
                r"artist for layer 'bad' must be a Line2D, a PathCollection \(scatter\), a Text, "
                r"an AxesImage \(imshow\) or a LineCollection, got Rectangle"
            ),
        ),
        ("figure", ValueError, r"artist for layer 'bad' is not in this canvas's figure"),
        ("steps", ValueError, r"cannot mirror drawstyle 'steps-mid'"),
        ("markevery", ValueError, r"cannot mirror markevery=2"),
        ("colours", ValueError, r"a scatter layer draws one colour; its facecolors hold 2"),
        ("rotated", ValueError, r"a text layer is drawn horizontally, got rotation 30"),
        (
            "symlog",
            ValueError,
            (
                r"artist for layer 'bad': x scale 'symlog': the canvas draws on "
                r"linear and log axes only"
            ),
        ),
        ("polar", ValueError, r"the canvas draws on rectilinear axes, got 'polar' axes"),
    ],
)
def test_layers_it_cannot_draw_are_refused_with_the_reason(kind, exc, match, closing):
    fig, artist = _bad_layer(kind)
    pic = _new(fig, closing)
    with pytest.raises(exc, match=match):
        pic.add_layer("bad", artist)
    assert pic.layer_names == ()


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (
            lambda p: p.set_data("nope", [0], [0]),
            ValueError,
            r"name must be one of the layers \['line', 'pts', 'label'\], got 'nope'",
        ),
        (
            lambda p: p.set_data("line", [0, 1], [0]),
            ValueError,
            r"line: x and y must have the same length, got 2 and 1",
        ),
        (
            lambda p: p.set_data("line", [0, np.inf], [0, 1]),
            ValueError,
            r"line: x must be finite, got inf at index 1",
        ),
        (
            lambda p: p.set_data("line", [0, 1e39], [0, 1]),
            ValueError,
            r"line: x must fit a float32 buffer .* got 1e\+39 at index 1",
        ),
        (lambda p: p.set_data("line", "abc", [0]), TypeError, r"line: x must be numeric array_like"),
        (lambda p: p.set_data("line", [0], [0], sizes=[3]), ValueError, r"sizes are for scatter layers"),
        (
            lambda p: p.set_data("pts", [0, 1], [0, 1], sizes=[1, -1]),
            ValueError,
            r"pts: sizes must be >= 0, got -1.0 at index 1",
        ),
        (
            lambda p: p.set_data("pts", [0, 1], [0, 1], sizes=[1, 2, 3]),
            ValueError,
            r"pts: sizes must hold one value or one per point \(2\), got 3",
        ),
        (lambda p: p.set_data("label", [0], [0]), ValueError, r"'label' is a text layer: use set_text"),
        (lambda p: p.set_text("line", "a"), ValueError, r"'line' is a line layer: use set_data"),
        (lambda p: p.set_text("label", 3), TypeError, r"label: text must be a string, got 3"),
        (
            lambda p: p.add_layer("line", p.figure.axes[0].plot([0])[0]),
            ValueError,
            r"name 'line' is already a layer",
        ),
        (lambda p: p.add_frames([1, 2]), TypeError, r"frames must be a mapping"),
        (lambda p: p.add_frames({}, token=3), TypeError, r"token must be a string"),
        (lambda p: p.on_pointer(3), TypeError, r"callback must be callable, got 3"),
        (
            lambda p: p.on_pointer(print, moves="pts"),
            ValueError,
            r"moves must name a line layer, 'pts' is a scatter layer",
        ),
        (
            lambda p: p.pointer("click", 0, 0.5, 0.5),
            ValueError,
            r"kind must be 'down', 'move' or 'up', got 'click'",
        ),
        (lambda p: p.to_pixels(7, 0, 0), ValueError, r"ax must be <= 0, got 7"),
        (lambda p: p.guarded(None), TypeError, r"func must be callable, got None"),
    ],
)
def test_bad_calls_are_refused_naming_the_argument(call, exc, match, closing):
    fig, ax = _figure()
    pic = _new(
        fig,
        closing,
        layers={"line": ax.plot([0, 1], [0, 1])[0], "pts": ax.scatter([0], [0]), "label": ax.text(0, 0, "")},
    )
    before = dict(pic.data)
    with pytest.raises(exc, match=match):
        call(pic)
    assert pic.data == before  # nothing half-done


def test_examples_in_the_docstrings_run():
    result = doctest.testmod(_canvas, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 50 and result.failed == 0


# --- image and segments layers (issue 11: the landscape shaded in the browser) -------------------


def _shaded(**image_kwargs):
    from matplotlib.collections import LineCollection

    fig, ax = _figure()
    values = np.add.outer(np.linspace(0, 1, 12), np.linspace(0, 2, 16))
    image = ax.imshow(
        values,
        origin="lower",
        extent=(0, 2, 0, 1),
        aspect="auto",
        interpolation="nearest",
        cmap="cividis",
        alpha=0.8,
        **image_kwargs,
    )
    lines = ax.add_collection(LineCollection([[(0, 0), (2, 1)]], colors="0.2", linewidths=0.5, alpha=0.55))
    ax.set(xlim=(0, 2), ylim=(0, 1))
    return fig, ax, image, lines, values


def _rgba_image(pic, ref):
    meta, buffers = pic._stored[ref]
    ny, nx = meta["shape"]
    index = np.frombuffer(buffers[0], np.uint8)
    palette = np.frombuffer(buffers[1], "<u4")
    return palette[index].view(np.uint8).reshape(ny, nx, 4)


def test_an_image_layer_sends_matplotlibs_colours_once_and_leaves_its_axes_transparent(closing, monkeypatch):
    fig, _ax, image, lines, values = _shaded()
    pic = _new(fig, closing, layers={"shade": image, "contours": lines})
    ref = pic.data["shade"]["ref"]
    np.testing.assert_array_equal(_rgba_image(pic, ref), image.to_rgba(values, alpha=0.8, bytes=True))
    assert pic.styles["shade"]["extent"] == [0.0, 2.0, 0.0, 1.0] and pic.styles["shade"]["origin"] == "lower"
    assert (
        pic.styles["contours"]["alpha"] == pytest.approx(0.55) and pic.styles["contours"]["linewidth"] == 0.5
    )
    # the background: transparent where the browser paints the faces and the layers under it
    rgba = np.asarray(Image.open(io.BytesIO(pic.background)).convert("RGBA"))
    box = pic.geometry["axes"][0]
    middle = rgba[int(box["top"] + box["height"] / 2), int(box["left"] + box["width"] / 2)]
    assert middle[3] == 0 and rgba[2, 2, 3] == 0
    assert pic.geometry["facecolor"] == ["#ffffff", 1.0] and box["facecolor"] == ["#ffffff", 1.0]
    # ... and the static picture has them, drawn by matplotlib
    static = np.asarray(Image.open(io.BytesIO(pic.static_png())).convert("RGBA"))
    assert static[2, 2].tolist() == [255, 255, 255, 255]
    assert static[int(box["top"] + box["height"] / 2), int(box["left"] + box["width"] / 2), 3] == 255
    # the same values again: the same reference, nothing sent; new ones: sent once
    sent = _sent(pic, monkeypatch)
    pic.set_image("shade", values)
    assert pic.data["shade"]["ref"] == ref and sent == []
    pic.set_image("shade", values[::-1])
    assert [c["kind"] for c, _ in sent] == ["stored"] and sent[0][0]["id"] == pic.data["shade"]["ref"]
    assert np.array_equal(image.get_array(), values[::-1])  # the artist follows (static picture)


def test_segments_layers_send_their_lines_with_breaks_and_frames_share_stored_data(closing, monkeypatch):
    fig, _ax, image, lines, values = _shaded()
    slope = widgets.IntSlider(value=0, min=0, max=3)
    pic = _new(fig, closing, layers={"shade": image, "contours": lines}, frame_keys=[slope])
    pic.set_segments("contours", [[(0, 0), (1, 1)], np.zeros((0, 2)), [(0, 1), (1, 0), (2, 1)]])
    meta, (xy,) = pic._stored[pic.data["contours"]["ref"]]
    points = np.frombuffer(xy, "<f4").reshape(-1, 2)
    assert meta["points"] == 6 and np.isnan(points[2]).all() and points[5].tolist() == [2.0, 1.0]
    assert next(s.tolist() for s in lines.get_segments()) == [[0.0, 0.0], [1.0, 1.0]]
    refs = [pic.store("shade", values + s) for s in range(4)]
    assert pic.store("shade", values + 1) == refs[1]  # named by content
    sent = _sent(pic, monkeypatch)
    assert pic.add_frames({s: {"shade": refs[s]} for s in range(4)})
    ((content, buffers),) = sent
    assert [e["layers"]["shade"] for e in content["entries"]] == [{"ref": r} for r in refs]
    assert buffers == []  # references only: the data went once, before
    with pytest.raises(ValueError, match="shade: ref must be one of this canvas's stored data"):
        pic.add_frames({0: {"shade": "i0000"}})
    with pytest.raises(ValueError, match="holds segments data, not image"):
        pic.add_frames({0: {"shade": pic.data["contours"]["ref"]}})
    # a new view gets every stored picture before the frames that use them
    sent.clear()
    pic._on_message(pic, {"kind": "hello"}, [])
    kinds = [c["kind"] for c, _ in sent]
    assert kinds.count("stored") == len(pic._stored) and kinds[-1] == "frames"


def test_past_max_stored_only_what_the_live_data_uses_is_kept(closing, monkeypatch):
    fig, _ax, image, lines, values = _shaded()
    monkeypatch.setattr(_canvas, "MAX_STORED", 5)
    slope = widgets.IntSlider(value=0, min=0, max=9)
    pic = _new(fig, closing, layers={"shade": image, "contours": lines}, frame_keys=[slope])
    live = pic.data["shade"]["ref"]
    refs = [pic.store("shade", values * (s + 2)) for s in range(3)]
    pic.add_frames({s: {"shade": refs[s]} for s in range(3)})
    sent = _sent(pic, monkeypatch)
    pic.store("shade", values * 10)
    pic.store("shade", values * 11)
    keeps = [c for c, _ in sent if c["kind"] == "stored-keep"]
    assert keeps and set(keeps[-1]["ids"]) <= set(pic._stored) and sent[-1][0]["kind"] == "stored"
    assert live in pic._stored and not set(refs) & set(pic._stored)
    assert pic.frame_count == 0  # their pictures are gone: sent again with the next prefetch


@pytest.mark.parametrize(
    ("case", "exc", "match"),
    [
        ("flat", ValueError, r"shade: values must be a non-empty 2-D array, got shape \(5,\)"),
        ("text", TypeError, r"shade: values must be a 2-D array of numbers, got '1'"),
        ("strings", TypeError, r"shade: values must be numbers, got dtype <U1"),
        ("inf", ValueError, r"shade: values must be finite"),
        ("norm", TypeError, r"shade: norm must be a matplotlib Normalize, got 'log'"),
        ("segments", ValueError, r"contours: segments\[0\] must be finite"),
        ("segment shape", ValueError, r"contours: segments\[0\] must have shape \(n, 2\), got \(2, 3\)"),
        ("not segments", TypeError, r"contours: segments must be a sequence of \(n, 2\) arrays, got 'ab'"),
    ],
)
def test_image_and_segments_data_is_checked_at_the_boundary(case, exc, match, closing):
    fig, _ax, image, lines, values = _shaded()
    pic = _new(fig, closing, layers={"shade": image, "contours": lines})
    calls = {
        "flat": lambda: pic.set_image("shade", np.ones(5)),
        "text": lambda: pic.set_image("shade", "1"),
        "strings": lambda: pic.set_image("shade", np.array([["a"]])),
        "inf": lambda: pic.set_image("shade", np.full((2, 2), np.inf)),
        "norm": lambda: pic.set_image("shade", values, norm="log"),
        "segments": lambda: pic.set_segments("contours", [[(0, np.nan), (1, 1)]]),
        "segment shape": lambda: pic.set_segments("contours", [np.ones((2, 3))]),
        "not segments": lambda: pic.set_segments("contours", "ab"),
    }
    before = pic.data["shade"]["ref"], pic.data["contours"]["ref"]
    with pytest.raises(exc, match=match):
        calls[case]()
    assert (pic.data["shade"]["ref"], pic.data["contours"]["ref"]) == before  # nothing changed
    assert np.array_equal(image.get_array(), values)


def test_image_layers_it_cannot_draw_are_refused(closing):
    from matplotlib.collections import LineCollection

    fig, ax, _image, _lines, values = _shaded()
    smooth = ax.imshow(values, interpolation="bilinear")
    pic = _new(fig, closing)
    with pytest.raises(ValueError, match="create it with interpolation='nearest', got 'bilinear'"):
        pic.add_layer("smooth", smooth)
    two = ax.add_collection(LineCollection([[(0, 0), (1, 1)], [(0, 1), (1, 0)]], colors=["r", "b"]))
    with pytest.raises(ValueError, match="a segments layer draws one colour, got 2 different colours"):
        pic.add_layer("two", two)
    fig2, ax2 = _figure()
    ax2.set_xscale("log")
    logged = ax2.imshow(values, interpolation="nearest", extent=(1, 10, 0, 1))
    pic2 = _new(fig2, closing)
    with pytest.raises(ValueError, match="an image layer needs linear axes"):
        pic2.add_layer("logged", logged)
    assert pic.layer_names == () and pic2.layer_names == ()
