"""The CostExplorer driven programmatically: its controls, its picture (a LayeredCanvas), its frames."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import warnings

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image
from traitlets import TraitError

import lossviz as lv
from lossviz.interactive import _canvas, cost
from lossviz.interactive._canvas import LayeredCanvas
from lossviz.interactive.cost import _PREFETCH_LAMS_PER_SLICE, DIVERGENCE_THRESHOLD

M = 300


@pytest.fixture(scope="module")
def data(churn_set):
    return churn_set(M, 0)


@pytest.fixture
def explorer(data):
    ex = lv.interactive.CostExplorer(*data, grid_size=30, n_updates=60)
    yield ex
    ex.close()


def _pixels(ex):
    """The whole picture as matplotlib draws it (background and layers)."""
    return np.asarray(Image.open(io.BytesIO(ex.canvas.static_png()))).copy()


def _background(ex):
    return np.asarray(Image.open(io.BytesIO(ex.canvas.background))).copy()


def _paths(ex):
    return {name: line.get_xydata().copy() for name, line in ex._paths.items()}


def _curves(ex):
    return {name: line.get_xydata().copy() for name, line in ex._curves.items()}


def _live(ex, layer):
    return np.frombuffer(ex.canvas.data[layer]["xy"], "<f4").reshape(-1, 2)


def _all_widgets(root):
    stack, seen = [root], []
    while stack:
        w = stack.pop()
        seen.append(w)
        stack.extend(getattr(w, "children", ()))
    return seen


# --- the contract: attributes, classes, ranges --------------------------------------------------


def test_controls_and_css_classes(explorer):
    ex = explorer
    assert "lossviz-explorer" in ex.widget._dom_classes
    assert "lossviz-readout" in ex.readout._dom_classes
    assert isinstance(ex.readout, widgets.HTML)
    tree = _all_widgets(ex.widget)
    for slider, css, description in (
        (ex.batch_size, "lossviz-batch-size", "batch size"),
        (ex.lr, "lossviz-lr", "learning rate"),
        (ex.lam, "lossviz-lam", "λ"),
    ):
        assert css in slider._dom_classes
        assert slider.description == description
        assert slider in tree
        texts = [w for w in tree if css + "-text" in getattr(w, "_dom_classes", ())]
        assert len(texts) == 1 and texts[0].value == slider.value
    assert ex.readout in tree
    assert isinstance(ex.canvas, LayeredCanvas) and ex.canvas in tree
    for control in (ex.optimizer, ex.update, ex.play, ex.step_button, ex.reseed_button, ex.reset_button,
                    ex.updates_per_run, ex.x_axis):  # fmt: skip
        assert control in tree


def test_slider_ranges(explorer):
    ex = explorer
    k = [v for _, v in ex.batch_size.options]
    assert k[0] == 1 and k[-1] == M
    assert {2**j for j in range(9)} <= set(k) and {10, 20, 50, 100} <= set(k)
    assert k == sorted(set(k))
    lrs = [v for _, v in ex.lr.options]
    lams = [v for _, v in ex.lam.options]
    assert len(lrs) >= 60 and lrs[0] == 1e-3 and lrs[-1] == 100
    assert len(lams) >= 40 and lams[0] == 0.0 and lams[1] > 0 and lams[-1] == 10
    ratios = np.array(lrs[1:]) / np.array(lrs[:-1])
    assert np.all(ratios > 1.0) and np.all(ratios < 1.3)  # fine log steps
    assert max(lrs) * max(lams) > 2  # divergence within reach
    eig = np.linalg.eigvalsh(lv.hessian(lv.minimise(ex._x, ex._y), ex._x, ex._y))
    assert max(lrs) > 2 / eig[-1]  # full batch can be made to oscillate
    # the stability limit is a stop of its own, named in the readout and marked under the slider
    limit = lv.largest_stable_lr(lv.minimise(ex._x, ex._y), ex._x, ex._y)
    assert ex.stable_lr == pytest.approx(limit)
    assert float(f"{limit:.3g}") in lrs
    assert f"2/λ_max = {limit:.3g}" in ex.readout.value
    assert f"2/λ_max = {limit:.3g}" in ex.lr_mark.value


def test_readout_reports_each_run(explorer):
    text = explorer.readout.value
    assert "updates per epoch" in text and "distance to minimum" in text
    assert "diverged" not in text
    assert "each run: 60 updates" in text


def test_repr_and_mimebundle_are_deterministic(data):
    a = lv.interactive.CostExplorer(*data, grid_size=20, n_updates=10)
    b = lv.interactive.CostExplorer(*data, grid_size=20, n_updates=10)
    try:
        data_a, meta = a._repr_mimebundle_()
        assert repr(a) == repr(b)
        assert repr(a) == "CostExplorer(m=300, batch_size=32, lr=0.5, lam=0, n_updates=10)"
        assert data_a["text/plain"].startswith(repr(a)) and "JupyterLab" in data_a["text/plain"]
        assert "application/vnd.jupyter.widget-view+json" in data_a
        assert "text/html" not in data_a
        # a static picture of the current state for every renderer without a kernel
        assert data_a["image/png"][:8] == b"\x89PNG\r\n\x1a\n" and meta["image/png"]["width"] > 0
        before = data_a["image/png"]
        a.lr.value = 5.0
        assert a._repr_mimebundle_()[0]["image/png"] != before
    finally:
        a.close()
        b.close()
    assert repr(a) == "CostExplorer(m=300, closed)"


# --- each slider changes the figure, before the assignment returns --------------------------------


def test_batch_size_changes_only_the_chosen_run(explorer):
    ex = explorer
    paths, curves, pixels = _paths(ex), _curves(ex), _pixels(ex)
    ex.batch_size.value = 4
    after = _paths(ex)
    assert not np.array_equal(after["chosen"], paths["chosen"])
    np.testing.assert_array_equal(after["full"], paths["full"])
    np.testing.assert_array_equal(after["online"], paths["online"])
    assert not np.array_equal(_curves(ex)["chosen"], curves["chosen"])
    assert not np.array_equal(_pixels(ex), pixels)
    assert ex.batch_size_text.value == 4


def test_learning_rate_changes_every_run(explorer):
    ex = explorer
    paths, pixels = _paths(ex), _pixels(ex)
    ex.lr.value = 2.0
    after = _paths(ex)
    for name in ("full", "chosen", "online"):
        assert not np.array_equal(after[name], paths[name])
    assert not np.array_equal(_pixels(ex), pixels)


def test_lambda_changes_landscape_minimum_and_runs(explorer):
    ex = explorer
    image = ex._landscape.image.get_array().copy()
    segments = len(ex._landscape.contours.get_segments())
    star = ex._landscape.minimum.get_xydata().copy()
    paths, pixels = _paths(ex), _pixels(ex)
    shading, background = ex.canvas.data["landscape"]["ref"], ex.canvas.background
    assert len(ex.canvas.data["minimum0"]["xy"]) == 0  # at λ = 0 the minima are one
    ex.lam.value = 0.1
    # the artists follow (the static picture), and the browser gets the new shading to draw
    assert not np.allclose(ex._landscape.image.get_array(), image)
    assert ex._landscape.minimum.get_xydata()[0, 0] < star[0, 0]  # pulled toward w = 0
    assert segments > 0 and len(ex._landscape.contours.get_segments()) > 0
    assert ex.canvas.data["landscape"]["ref"] != shading
    assert ex.canvas.background == background  # nothing of λ is in the background
    assert len(ex.canvas.data["minimum0"]["xy"]) == 8  # the λ = 0 minimum, beside the new one
    assert ex.canvas.data["title"]["text"] == "objective J + λw²/2 for λ = 0.1"
    for name in ("full", "chosen", "online"):
        assert not np.array_equal(_paths(ex)[name], paths[name])
    assert not np.array_equal(_pixels(ex), pixels)
    # the grid for λ is the λ = 0 grid plus λ/2·w², not a recomputation
    x, y = ex._x, ex._y
    np.testing.assert_allclose(ex._grid0 + 0.05 * ex._w**2, lv.cost_grid(x, y, ex._w, ex._b, 0.1), rtol=1e-12)


def test_x_axis_toggle_plots_against_examples_seen(explorer):
    ex = explorer
    ex.batch_size.value = 16
    ex.x_axis.value = "examples"
    run = ex._current["chosen"]
    np.testing.assert_array_equal(ex._curves["chosen"].get_xdata(), run.examples[1:])
    assert ex._ax_cost.get_xscale() == "log"
    ex.x_axis.value = "updates"
    np.testing.assert_array_equal(ex._curves["chosen"].get_xdata(), np.arange(run.costs.size))


def test_paths_are_train_runs_cut_at_the_budget(explorer):
    ex = explorer
    ex.batch_size.value = 8
    ex.lr.value = 1.0
    x, y = ex._x, ex._y
    expected = lv.train(x, y, batch_size=8, lr=1.0, epochs=2, seed=0)
    np.testing.assert_array_equal(ex._current["chosen"].params, expected.params[:61])
    np.testing.assert_allclose(ex._current["chosen"].costs, expected.costs[:61], rtol=1e-12)


# --- typing values -------------------------------------------------------------------------------


def test_typed_values_reach_the_slider_exactly(explorer):
    ex = explorer
    ex.batch_size_text.value = 37
    assert ex.batch_size.value == 37 and 37 in [v for _, v in ex.batch_size.options]
    assert ex._current["chosen"].batch_size == 37
    ex.lr_text.value = 0.37
    assert ex.lr.value == 0.37
    ex.lam_text.value = 0.0123
    assert ex.lam.value == 0.0123
    # and the other way: a slider set from code updates its box
    ex.lr.value = 0.2
    assert ex.lr_text.value == 0.2
    # an extra stop replaces the previous one; the regular stops stay
    ex.batch_size.value = 45
    ks = [v for _, v in ex.batch_size.options]
    assert 45 in ks and 37 not in ks and 32 in ks and ex.batch_size.label == "45"


BAD_VALUES = [None, float("nan"), float("inf"), "x", "0.5", True, b"1", [1], -1.0, 1e3, 10**400, np.nan]
BAD_BATCH_SIZES = [0, M + 1, 2.5]


@pytest.mark.parametrize("name", ["batch_size", "lr", "lam"])
def test_refused_values_leave_the_explorer_exactly_as_it_was(explorer, name):
    # issue 10, item 5: after every refused assignment the next valid change works, and repr works
    ex = explorer
    slider = getattr(ex, name)
    valid = {"batch_size": [4, 37, 8], "lr": [2.0, 0.37, 1.0], "lam": [0.1, 0.0123, 0.0]}[name]
    bad_values = BAD_VALUES + (BAD_BATCH_SIZES if name == "batch_size" else [])
    for i, bad in enumerate(bad_values):
        before = (slider.value, slider.index, slider.label, slider.options, repr(ex), ex.readout.value)
        layers = {k: dict(v) for k, v in ex.canvas.data.items()}
        with pytest.raises(TraitError, match="must be a number in"):
            slider.value = bad
        assert (
            slider.value,
            slider.index,
            slider.label,
            slider.options,
            repr(ex),
            ex.readout.value,
        ) == before
        assert ex.canvas.data == layers
        target = valid[i % len(valid)]
        slider.value = target  # the next valid change works
        assert slider.value == target and repr(ex)
        assert ex.error == ""


@pytest.mark.parametrize("name", ["batch_size", "lr", "lam"])
@pytest.mark.parametrize("bad", [None, float("nan"), 1e3, -5, "abc"])
def test_a_refused_entry_in_a_text_box_shows_the_slider_value_again(explorer, name, bad):
    ex = explorer
    slider, box = getattr(ex, name), getattr(ex, name + "_text")
    before = slider.value
    try:
        box.value = bad
    except TraitError:
        pass  # the box's own type refuses it (a string in a number box): nothing reached the slider
    else:
        assert "must be" in ex.error  # said under the picture
    assert box.value == before and slider.value == before
    valid = {"batch_size": 16, "lr": 0.2, "lam": 0.01}[name]
    box.value = valid
    assert slider.value == valid and box.value == valid and repr(ex)


def test_every_index_and_label_refusal_keeps_the_slider(explorer):
    ex = explorer
    for bad in (None, -1, len(ex.lr.options), 1.5, "3"):
        with pytest.raises(TraitError):
            ex.lr.index = bad
    with pytest.raises(TraitError):
        ex.lr.label = "not a label"
    assert ex.lr.value == 0.5 and repr(ex)
    ex.lr.value = 1.0
    assert ex.lr.label == "1"


# --- divergence: quiet, reported, recoverable ---------------------------------------------------


def test_divergent_settings_are_reported_quietly_and_sliders_keep_working(explorer):
    ex = explorer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.lam.value = 1.0
        ex.lr.value = 50.0
        ex.canvas.static_png()
        text = ex.readout.value
        assert text.count("diverged after") == 3
        for name in ("full", "chosen", "online"):
            run = ex._current[name]
            assert run.diverged_at is not None
            assert np.all(np.abs(run.params) <= DIVERGENCE_THRESHOLD)
        ex.batch_size.value = 2
        ex.lr.value = 0.5
        ex.canvas.static_png()
    assert "diverged" not in ex.readout.value


def test_oscillating_learning_rate_is_not_called_divergent(explorer):
    ex = explorer
    ex.lam.value = 0.0
    ex.lr.value = 100.0
    assert "diverged" not in ex.readout.value
    full = ex._current["full"]
    assert full.costs[-1] > full.costs[0]


# --- the picture ---------------------------------------------------------------------------------


def test_cached_and_partial_backgrounds_match_a_full_redraw(explorer):
    ex = explorer
    for change in (
        lambda: setattr(ex.batch_size, "value", 64),
        lambda: setattr(ex.lr, "value", 1.0),
        lambda: setattr(ex.lam, "value", 0.02),
        lambda: setattr(ex.lam, "value", 0.05),  # drawn over the kept pixels (redraw only=...)
        lambda: setattr(ex.lam, "value", 0.02),  # from the cache
        lambda: setattr(ex.x_axis, "value", "examples"),
    ):
        change()
        shown = _background(ex)
        ex.canvas.redraw()  # a full render, nothing cached
        np.testing.assert_array_equal(_background(ex), shown)


def test_layers_are_sent_as_float32_and_follow_the_runs(explorer):
    ex = explorer
    ex.lr.value = 2.0
    run = ex._current["chosen"]
    np.testing.assert_allclose(_live(ex, "path_chosen"), run.params.astype("<f4"))
    np.testing.assert_allclose(_live(ex, "head_full"), ex._current["full"].params[-1:].astype("<f4"))
    assert set(ex.canvas.layer_names) >= {"path_full", "curve_online", "head_chosen", "start", "note"}


def test_axes_follow_the_data_at_the_largest_learning_rate(explorer):
    ex = explorer
    ex.lr.value = 100.0
    J_star = ex._minimum(0.0)[1]
    top = ex._ax_cost.get_ylim()[1]
    for name in ("full", "chosen", "online"):
        run = ex._current[name]
        if run.diverged_at is None:
            assert np.max(run.costs) - J_star <= top  # the curve is in view, not off the top
    assert ex._ax_cost.get_ylim()[1] == ex._ytop


def test_a_diverged_run_is_named_on_the_picture(explorer):
    ex = explorer
    ex.lam.value = 1.0
    ex.lr.value = 50.0
    assert ex.canvas.data["note"]["text"].startswith("diverged after")
    ex.lr.value = 0.5
    assert ex.canvas.data["note"]["text"] == ""


def test_savefig_draws_every_layer(explorer, tmp_path):
    explorer.fig.savefig(tmp_path / "explorer.png")
    assert (tmp_path / "explorer.png").stat().st_size > 10_000


# --- frames: prefetched neighbours, never stale ---------------------------------------------------


def test_prefetched_frames_are_what_the_kernel_shows_there(explorer):
    ex = explorer
    sent = ex.prefetch()
    assert sent >= 6 and ex.canvas.frame_count >= 6
    token = ex.canvas.frame_token()
    frames = dict(ex.canvas._frames)
    for value in (ex.lr.neighbours(1)[0], ex.lr.neighbours(1)[1]):
        key = ex.canvas.frame_key((ex.batch_size.label, ex.lr._label(value), ex.lam.label))
        assert key in frames, key
        ex.lr.value = value
        assert ex.canvas.frame_token() == token  # a key slider moving keeps the frames
        for layer, payload in frames[key].items():
            assert payload == dict(ex.canvas._live[layer]), layer
        ex.lr.value = 0.5
    k = ex.batch_size.neighbours(1)[0]
    key = ex.canvas.frame_key((ex.batch_size._label(k), ex.lr.label, ex.lam.label))
    assert key in frames
    ex.batch_size.value = k
    assert frames[key]["path_chosen"]["xy"] == ex.canvas._live["path_chosen"]["xy"]


def test_lam_frames_carry_the_background_the_kernel_shows_there(explorer, monkeypatch):
    ex = explorer
    sent: list = []
    monkeypatch.setattr(ex.canvas, "send", lambda content, buffers=None: sent.append((content, buffers)))
    ex.lam.value = 0.01
    ex.prefetch()
    backgrounds = {c["id"]: (c, b) for c, b in sent if c["kind"] == "background"}
    frames = dict(ex.canvas._frames)
    token = ex.canvas.frame_token()
    neighbours = ex.lam.neighbours(2)
    assert len(neighbours) == 4
    for value in neighbours:
        key = ex.canvas.frame_key((ex.batch_size.label, ex.lr.label, ex.lam._label(value)))
        assert key in frames, key
        bid = ex.canvas._frame_backgrounds[key]
        assert bid in backgrounds  # sent once, before the frame that names it
        ex.lam.value = value
        assert ex.canvas.frame_token() == token  # λ is a key: moving it keeps the frames
        # what the kernel shows at that λ: the same background (by id and bytes), the same layers
        assert ex.canvas.geometry["background"] == bid
        assert bytes(backgrounds[bid][1][0]) == ex.canvas.background
        for layer, payload in frames[key].items():
            assert payload == dict(ex.canvas._live[layer]), layer
    ids = [c["id"] for c, _ in sent if c["kind"] == "background"]
    assert len(ids) == len(set(ids))  # each background is sent once
    frame_msgs = [c for c, _ in sent if c["kind"] == "frames"]
    assert all(e["background"] in backgrounds for c in frame_msgs for e in c["entries"])


def test_frames_into_divergence_carry_the_background_of_their_y_range(explorer, monkeypatch):
    # The cost panel's y range follows the runs (few tops: _y_top). A learning rate whose runs
    # need another top used to get no frame (the kernel drew it); now its frame names a
    # background with that range, rendered once, the very one the kernel shows there.
    ex = explorer
    sent: list = []
    monkeypatch.setattr(ex.canvas, "send", lambda content, buffers=None: sent.append((content, buffers)))
    ex.prefetch()
    backgrounds = {c["id"]: b for c, b in sent if c["kind"] == "background"}
    start_top = ex._ytop
    lrs = [float(v) for v in ex.lr._options_values]
    tops = set()
    for v in lrs[::-1]:  # from the top of the learning rate, as the browser tests sweep it
        key = ex.canvas.frame_key((ex.batch_size.label, ex.lr._label(v), ex.lam.label))
        assert key in ex.canvas._frames, v
        bid = ex.canvas._frame_backgrounds[key]
        frame = dict(ex.canvas._frames[key])
        ex.lr.value = v
        tops.add(ex._ytop)
        assert ex.canvas.geometry["background"] == bid, v
        assert bytes(backgrounds[bid][0]) == ex.canvas.background, v
        for layer, payload in frame.items():
            assert payload == dict(ex.canvas._live[layer]), (v, layer)
    assert len(tops) >= 2 and start_top in tops  # the sweep crossed y ranges
    # the frames were not dropped when the y range changed: each names its own background
    assert ex.canvas.frame_count >= len(lrs)


def test_a_background_for_another_y_range_is_the_full_rendering(explorer):
    ex = explorer
    ex.prefetch()
    ex.lam.value = ex.lam._options_values[3]
    ex.prefetch()
    for v in (float(ex.lr._options_values[-1]), 0.5):
        ex.lr.value = v  # its background from the cache, drawn over kept pixels
        cached = np.asarray(Image.open(io.BytesIO(ex.canvas.background))).copy()
        ex.canvas.redraw()  # drawn whole
        whole = np.asarray(Image.open(io.BytesIO(ex.canvas.background)))
        np.testing.assert_array_equal(cached, whole)


def test_prefetch_plan_looks_ahead_of_the_slider_moved_last(explorer):
    ex = explorer
    ex._prefetch_plan()
    values = ex.lam._options_values
    ex.lam.value = values[5]
    ex._prefetch_plan()  # λ moved up: the next stops up first, λ before anything else
    ex.lam.value = values[6]
    plan = ex._prefetch_plan()
    sizes = list(dict.fromkeys(ex._sizes().values()))
    # the nearest λ stops as a group: their runs in one engine call per batch size, then a frame each
    assert _PREFETCH_LAMS_PER_SLICE == 8
    near = [float(values[i]) for i in (7, 5, 8, 4, 9, 3, 10, 2)]  # ahead first at each distance
    assert plan[: len(sizes) + 8] == [
        *(("lam-runs", (k, tuple(near))) for k in sizes),
        *(("lam", v) for v in near),
    ]
    # every λ stop of the slider is in the plan, once
    planned = [v for part, v in plan if part == "lam"]
    assert sorted(planned) == sorted(float(v) for v in values if v != ex.lam.value)
    # all of λ's row before the other sliders' rows (after the nearest learning rate on its own)
    last_lam = max(i for i, (part, _) in enumerate(plan) if part == "lam")
    assert all(len(lrs) == 1 for part, lrs in plan[:last_lam] if not isinstance(part, str))
    ex.lr.value = ex.lr._options_values[ex.lr.index - 1]  # the learning rate moved down
    plan = ex._prefetch_plan()
    assert plan[0][0] == 1 and plan[0][1][0] == ex.lr._options_values[ex.lr.index - 1]
    rows = [lrs for size, lrs in plan if size == int(ex.batch_size.value)]
    assert sorted(v for lrs in rows for v in lrs) == sorted(ex.lr.neighbours(len(ex.lr._options_values)))
    # the learning rate's whole row (three runs a stop) before anything else
    n_row = 3 * (1 + -(-(len(ex.lr._options_values) - 2) // cost._PREFETCH_LRS_PER_SLICE))
    k = int(ex.batch_size.value)
    assert all(not isinstance(part, str) and part in (1, k, ex._m) for part, _ in plan[:n_row])
    assert not any(len(lrs) != 1 for part, lrs in plan[n_row:] if not isinstance(part, str))
    ex.batch_size.value = ex.batch_size._options_values[ex.batch_size.index + 1]  # the batch size moved up
    plan = ex._prefetch_plan()
    others = [int(v) for v in ex.batch_size.neighbours(len(ex.batch_size._options_values))]
    lr = float(ex.lr.value)
    # its whole row first, the stops ahead first
    assert plan[: len(others)] == [(kk, [lr]) for kk in cost._ahead(ex.batch_size, len(others), +1)]
    assert sorted(kk for kk, _ in plan[: len(others)]) == sorted(others)


def test_lam_frames_are_stamped_and_bounded(explorer):
    ex = explorer
    ex.prefetch()
    token = ex.canvas.frame_token()
    lam_frames = [k for k in ex.canvas._frames if not k.endswith("|" + ex.lam.label)]
    assert lam_frames  # frames for other λ stops
    ex.reseed()  # another batch order: every frame, λ's too, is stale
    assert ex.canvas.frame_token() != token and ex.canvas.frame_count == 0
    assert ex._prefetch_slice("lam", ex.lam.neighbours(1)[0], token, ex._settings_key()) == 0
    # walking λ up the slider sends a background per stop; the oldest go, with their frames
    for _ in range(12):
        ex.lam.value = ex.lam._options_values[ex.lam.index + 1]
        token, settings = ex.canvas.frame_token(), ex._settings_key()
        ex._prefetch_slice(1, [float(ex.lr.value)], token, settings)  # frames over the live background
        for value in ex.lam.neighbours(3):
            ex._prefetch_slice("lam", value, token, settings)
        assert len(ex.canvas._sent_backgrounds) <= _canvas.MAX_FRAME_BACKGROUNDS
        assert set(ex.canvas._frame_backgrounds.values()) <= set(ex.canvas._sent_backgrounds)
        assert set(ex.canvas._frame_backgrounds) <= set(ex.canvas._frames)


@pytest.mark.parametrize(
    "change",
    [
        lambda ex: ex.reseed(),
        lambda ex: ex.set_start(0.5, -0.5),
        lambda ex: setattr(ex.optimizer, "value", "Momentum"),
        lambda ex: setattr(ex.update, "value", 10),
    ],
)
def test_frames_for_other_settings_are_dropped(explorer, change):
    ex = explorer
    ex.prefetch(limit=3)
    token = ex.canvas.frame_token()
    assert ex.canvas.frame_count > 0
    change(ex)
    assert ex.canvas.frame_token() != token and ex.canvas.frame_count == 0
    ex.auto_prefetch = False
    assert ex._prefetch_slice(1, [1.0], token, ex._settings_key()) == 0  # a stale slice sends nothing


# --- the other controls ---------------------------------------------------------------------------


def test_optimisers_are_the_engine_rules(explorer):
    ex = explorer
    x, y = ex._x, ex._y
    ex.batch_size.value = 8
    for name, rule in (
        ("Momentum", lv.Momentum(0.5)),
        ("Nesterov", lv.Nesterov(0.5)),
        ("Adam", lv.Adam(0.5)),
    ):
        ex.optimizer.value = name
        ex.beta.value = 0.5
        assert ex._rule() == rule
        expected = lv.train(x, y, batch_size=8, lr=0.5, epochs=2, seed=0, optimizer=rule)
        np.testing.assert_array_equal(ex._current["chosen"].params, expected.params[:61])
        assert repr(rule) in ex.readout.value
    assert ex.beta2.layout.display is None and ex.eps.layout.display is None
    ex.optimizer.value = "SGD"
    assert ex.beta.layout.display == "none"
    for bad in (None, float("nan"), 1.0, -0.1):
        with pytest.raises(TraitError):
            ex.beta.value = bad
    assert ex.beta.value == 0.5 and ex.error == ""


def test_start_point_moves_with_a_click_on_the_landscape(explorer):
    ex = explorer
    ex.canvas.pointer("down", ex._ax_land, 1.0, -1.0)
    assert ex.start == (1.0, -1.0)
    np.testing.assert_array_equal(ex._paths["full"].get_xydata()[0], [1.0, -1.0])
    ex.canvas.pointer("move", ex._ax_land, 1.5, -1.5)
    ex.canvas.pointer("up", ex._ax_land, 1.5, -1.5)
    assert ex.start == (1.5, -1.5) and ex.error == ""
    assert ex._start.get_xydata().tolist() == [[1.5, -1.5]]
    with pytest.raises(ValueError, match="w must be"):
        ex.set_start(1e9, 0.0)


def test_play_step_updates_reseed_and_reset(explorer):
    ex = explorer
    assert ex.update.value == ex.update.max == 60
    ex.update.value = 5
    assert _live(ex, "path_full").shape == (6, 2)
    ex.step()
    assert ex.update.value == 6 and _live(ex, "path_chosen").shape == (7, 2)
    ex.update.value = 60
    ex.step()
    assert ex.update.value == 0  # from the end back to the start
    path = ex._paths["chosen"].get_xydata().copy()
    ex.update.value = 60
    path = ex._paths["chosen"].get_xydata().copy()
    ex.reseed()
    assert ex.seed == 1 and not np.array_equal(ex._paths["chosen"].get_xydata(), path)
    ex.updates_per_run.value = 20
    assert ex.update.max == 20 and ex._ax_cost.get_xlim() == (0, 20)
    assert ex._paths["full"].get_xydata().shape == (21, 2)
    ex.lr.value = 3.0
    ex.optimizer.value = "Adam"
    ex.set_start(1.0, -1.0)
    ex.reset()
    assert (ex.seed, ex.lr.value, ex.optimizer.value, ex.start, ex._n_updates) == (
        0,
        0.5,
        "SGD",
        (0.0, 0.0),
        60,
    )
    np.testing.assert_array_equal(ex._paths["chosen"].get_xydata(), path)


def test_an_error_in_a_callback_is_shown_under_the_picture(explorer, monkeypatch):
    ex = explorer

    def broken(*args, **kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(ex, "_compute", broken)
    ex.lr.value = 2.0
    assert ex.error == "RuntimeError: the engine broke"
    monkeypatch.undo()
    ex.lr.value = 1.0
    assert ex.error == "" and repr(ex)


# --- construction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"batch_size": M + 1}, ValueError, f"batch_size must be <= {M}"),
        ({"lr": 0.0}, ValueError, "lr must be >= 0.001"),
        ({"lr": 500.0}, ValueError, "lr must be <= 100"),
        ({"lam": -1.0}, ValueError, "lam must be >= 0"),
        ({"n_updates": 0}, ValueError, "n_updates must be >= 1"),
        ({"grid_size": 5}, ValueError, "grid_size must be >= 10"),
        ({"params0": (0.0,)}, ValueError, "params0 must be"),
        ({"figsize": (8.0,)}, ValueError, "figsize must be"),
        ({"loss": "bce"}, TypeError, "loss must be a LogitLoss"),
        ({"optimizer": "adam"}, TypeError, "optimizer must be"),
        ({"present": "yes"}, TypeError, "present must be"),
        ({"n_updates": 10**6}, ValueError, "n_updates must be <="),
    ],
)
def test_constructor_rejects_bad_options(data, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        lv.interactive.CostExplorer(*data, grid_size=kwargs.pop("grid_size", 20), **kwargs)


def test_separable_data_are_refused_with_a_reason():
    x = np.array([0.1, 0.2, 0.3, 0.7, 0.8])
    y = np.array([0.0, 0.0, 0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="separable"):
        lv.interactive.CostExplorer(x, y, batch_size=5, grid_size=12, n_updates=5)


def test_works_with_a_tiny_data_set():
    # five samples whose classes overlap (a churner with a low bill, a stayer with a high one)
    x = np.array([0.4, 0.8, 1.0, 1.2, 1.6])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    ex = lv.interactive.CostExplorer(x, y, batch_size=5, grid_size=12, n_updates=5)
    try:
        assert [v for _, v in ex.batch_size.options] == [1, 2, 3, 4, 5]
        ex.batch_size.value = 1
        assert ex.prefetch() > 0 and ex.error == ""
    finally:
        ex.close()


def test_present_mode_takes_the_whole_width(data):
    ex = lv.interactive.CostExplorer(*data, grid_size=20, n_updates=10, present=True)
    column = lv.interactive.CostExplorer(*data, grid_size=20, n_updates=10)
    try:
        for e in (ex, column):
            e.canvas.css_width = 1800
        assert ex.canvas.geometry["width"] == 1800 and column.canvas.geometry["width"] == 900
    finally:
        ex.close()
        column.close()


@pytest.mark.parametrize(
    "backend", ["module://ipympl.backend_nbagg", "module://matplotlib_inline.backend_inline", "agg"]
)
def test_every_explorer_works_under_any_backend(backend):
    # issue 10, item 5: no explorer depends on the backend (the picture is a LayeredCanvas)
    script = textwrap.dedent(f"""
        import warnings
        warnings.simplefilter("error", RuntimeWarning)
        import matplotlib
        matplotlib.use({backend!r})
        import lossviz as lv
        x, y = lv.make_churn(m=200)
        ex = lv.interactive.CostExplorer(x, y, grid_size=20, n_updates=20)
        before = ex._paths["chosen"].get_xydata().copy()
        ex.batch_size.value = 1
        after = ex._paths["chosen"].get_xydata()
        assert after.shape == before.shape and (after != before).any()
        assert "image/png" in ex._repr_mimebundle_()[0]
        im = lv.interactive.ImbalanceExplorer(m=300, m_test=1000)
        im.gamma_slider.value = 3.0
        assert im.error == "" and "image/png" in im._repr_mimebundle_()[0]
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_benchmark_script_runs(data):
    # benchmarks/bench_explorer.py is run by hand (make bench); this keeps it from rotting.
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_explorer.py"
    spec = importlib.util.spec_from_file_location("bench_explorer", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    x, y = lv.make_churn(m=64, seed=0)
    times = bench.time_explorer(x, y, "batch_size", repeats=1, rng=np.random.default_rng(0), stops=4)
    assert len(times) == 4 and all(t > 0 for t in times)
    png = bench.rebuild(
        x,
        y,
        batch_size=4,
        lr=0.5,
        lam=0.1,
        n_updates=10,
        w=np.linspace(-1, 3, 20),
        b=np.linspace(-3, 1, 20),
        figsize=(6, 3),
        dpi=50,
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_learning_rate_step_makes_the_next_stops_runs_with_its_own(explorer):
    # issue 11: a learner pressing the arrow again soon finds the next stop's frame; its runs come
    # from the same engine calls as those shown, and equal runs made on their own
    ex = explorer
    ex.auto_prefetch = False
    ex.prefetch(limit=0)  # the plan's starting point: where the sliders are now
    i = ex.lr.index
    ex.lr.index = i - 1
    after = float(ex.lr._options_values[i - 2])
    settings = ex._settings_key()
    made = {k: ex._runs.get((k, after, *settings)) for k in (1, int(ex.batch_size.value), ex._m)}
    assert all(run is not None for run in made.values()), "the next stop's runs were not made"
    for k, run in made.items():
        del ex._runs[(k, after, *settings)]
        alone = ex._compute(k, [after], settings)[0]
        np.testing.assert_array_equal(alone.params, run.params)
    ex.batch_size.value = 64  # another slider moved: nothing is made ahead
    assert ex._lr_ahead() == []


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_the_runs_of_several_lam_stops_in_one_engine_call_equal_runs_made_alone(explorer, optimizer):
    # issue 11: a λ stop's runs are made with its neighbours' (a λ per row of the engine's runs);
    # each row is bit for bit the run made on its own at that λ, costs included
    ex = explorer
    ex.auto_prefetch = False
    ex.optimizer.value = optimizer
    ex.lr.value = 5.0  # into oscillation, and divergence for the largest λ
    settings = ex._settings_key()
    lr = float(ex.lr.value)
    lams = [float(v) for v in ex.lam._options_values]
    for k in (1, 7, ex._m):
        together = ex._compute_lams(k, lr, lams, settings)
        if k == ex._m and optimizer == "SGD":  # some runs stop early: the engine goes on with fewer rows
            assert any(run.diverged_at for run in together) and not all(run.diverged_at for run in together)
        for lam, run in zip(lams, together):
            key = (k, lr, lam, *settings[1:])
            del ex._runs[key]
            alone = ex._compute(k, [lr], (lam, *settings[1:]))[0]
            np.testing.assert_array_equal(alone.params, run.params)
            np.testing.assert_array_equal(alone.costs, run.costs)
            np.testing.assert_array_equal(alone.examples, run.examples)
            assert alone.diverged_at == run.diverged_at


def test_play_ends_on_the_last_update_whatever_it_started_from(explorer):
    # found by the browser test of the controls: from update 1 in steps of play.step the Play
    # widget stopped one step short of the end (199 of 200); the runs' last update was never shown
    ex = explorer
    ex.updates_per_run.value = 200  # play.step = 2
    play = ex.play
    assert play.step == 2 and play.max == 200
    play.value = 1
    play.playing = True
    play.value = play.max - play.step + 1  # as the browser left it: its next step passes the end
    play.playing = False
    assert play.value == play.max  # (the browser links it to the updates shown: jslink)
    play.value = 10  # paused or stopped mid-way: left where it is
    play.playing = True
    play.playing = False
    assert play.value == 10


def test_a_float_control_snapped_by_the_browser_keeps_the_frames(explorer):
    # found by the browser test of the controls: the browser's β slider snaps 0.9 to its step grid
    # (0.9000000000000001) and a reset sets 0.9 again, which the view does not snap back; the stamps
    # must agree, or no frame would ever be shown again
    ex = explorer
    token = ex.canvas.frame_token()
    ex.beta.value = 0.9000000000000001
    assert _canvas.key_text(ex.beta.value) == _canvas.key_text(0.9) == "0.9"
    assert ex.canvas.frame_token().split("|")[1:] == token.split("|")[1:]


def test_canvas_js_spells_keys_as_python_does():
    # the digits a key keeps, and the other limits canvas.js mirrors, are the Python module's
    from pathlib import Path

    js = (Path(_canvas.__file__).parent / "canvas.js").read_text()
    for name in ("KEY_DIGITS", "MAX_FRAMES"):
        assert f"const {name} = {getattr(_canvas, name)};" in js, name


@pytest.mark.parametrize("projector", [False, True])
def test_every_label_of_the_picture_is_inside_it_at_the_projectors_text_size_too(data, projector):
    # make present (projector style, 1.4 x text): the x-axis labels were cut at the bottom edge
    import matplotlib

    with matplotlib.rc_context(lv.plot.course_rc(projector=projector)):
        ex = lv.interactive.CostExplorer(*data, grid_size=30, n_updates=60, figsize=(9.6, 3.3))
    try:
        fig = ex.canvas._fig
        fig.canvas.draw()
        box = fig.bbox
        for ax in fig.axes:
            for text in (
                ax.xaxis.label,
                ax.yaxis.label,
                ax.title,
                *ax.get_xticklabels(),
                *ax.get_yticklabels(),
            ):
                if text.get_visible() and text.get_text():
                    ext = text.get_window_extent()
                    assert box.x0 <= ext.x0 and ext.x1 <= box.x1 and box.y0 <= ext.y0 and ext.y1 <= box.y1, (
                        text.get_text(),
                        ext,
                        box,
                    )
    finally:
        ex.close()
