"""The CostExplorer driven programmatically, under Agg (and once under ipympl, in a subprocess)."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
import warnings

import ipywidgets as widgets
import numpy as np
import pytest
from traitlets import TraitError

import lossviz as lv
from lossviz.interactive.cost import DIVERGENCE_THRESHOLD, _LayeredFigure

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
    ex.fig.canvas.draw()
    return np.asarray(ex.fig.canvas.buffer_rgba()).copy()


def _paths(ex):
    return {name: line.get_xydata().copy() for name, line in ex._paths.items()}


def _curves(ex):
    return {name: line.get_xydata().copy() for name, line in ex._curves.items()}


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


def test_slider_ranges(explorer):
    ex = explorer
    k = [v for _, v in ex.batch_size.options]
    assert k[0] == 1 and k[-1] == M and all(b >= 2 * a or b == M for a, b in itertools.pairwise(k))
    lrs = [v for _, v in ex.lr.options]
    lams = [v for _, v in ex.lam.options]
    assert lams[0] == 0.0 and lams[1] > 0
    ratios = np.array(lrs[1:]) / np.array(lrs[:-1])
    assert np.all(ratios > 1.5) and np.all(ratios < 3)  # log-like steps
    assert max(lrs) * max(lams) > 2  # divergence within reach
    eig = np.linalg.eigvalsh(lv.hessian(lv.minimise(ex._x, ex._y), ex._x, ex._y))
    assert max(lrs) > 2 / eig[-1]  # full batch can be made to oscillate


def test_readout_reports_each_run(explorer):
    text = explorer.readout.value
    assert "updates per epoch" in text and "distance to minimum" in text
    assert "diverged" not in text
    assert "each run: 60 updates" in text


def test_repr_and_mimebundle_are_deterministic(data):
    a = lv.interactive.CostExplorer(*data, grid_size=20, n_updates=10)
    b = lv.interactive.CostExplorer(*data, grid_size=20, n_updates=10)
    try:
        bundle = a._repr_mimebundle_()
        assert bundle["text/plain"] == repr(a) == repr(b)
        assert repr(a) == "CostExplorer(m=300, batch_size=32, lr=0.5, lam=0, n_updates=10)"
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert "text/html" not in bundle
        # under Agg the figure is shown as a PNG, filled in once the explorer is displayed
        assert a._image is not None and a._image.value[:8] == b"\x89PNG\r\n\x1a\n"
        before = a._image.value
        a.lr.value = 5.0
        assert a._image.value != before
    finally:
        a.close()
        b.close()


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
    ex.lam.value = 0.1
    assert not np.allclose(ex._landscape.image.get_array(), image)
    assert ex._landscape.minimum.get_xydata()[0, 0] < star[0, 0]  # pulled toward w = 0
    assert segments > 0 and len(ex._landscape.contours.get_segments()) > 0
    assert ex._minimum0_marker.get_visible()
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
    np.testing.assert_array_equal(ex._paths["chosen"].get_xydata(), expected.params[:61])
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


@pytest.mark.parametrize(
    "name, bad",
    [
        ("batch_size", 0),
        ("batch_size", M + 1),
        ("batch_size", 2.5),
        ("lr", 0.0),
        ("lr", 1e3),
        ("lam", -0.1),
        ("lam", float("nan")),
        ("lr", "x"),
        ("batch_size", True),
    ],
)
def test_out_of_range_values_are_refused_and_nothing_changes(explorer, name, bad):
    slider = getattr(explorer, name)
    before = slider.value
    with pytest.raises(TraitError, match="must be a number in"):
        slider.value = bad
    assert slider.value == before


# --- divergence: quiet, reported, recoverable ---------------------------------------------------


def test_divergent_settings_are_reported_quietly_and_sliders_keep_working(explorer):
    ex = explorer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.lam.value = 1.0
        ex.lr.value = 50.0
        ex.fig.canvas.draw()
        text = ex.readout.value
        assert text.count("diverged after") == 3
        for name in ("full", "chosen", "online"):
            run = ex._current[name]
            assert run.diverged_at is not None
            assert np.all(np.abs(run.params) <= DIVERGENCE_THRESHOLD)
        ex.batch_size.value = 2
        ex.lr.value = 0.5
        ex.fig.canvas.draw()
    assert "diverged" not in ex.readout.value


def test_oscillating_learning_rate_is_not_called_divergent(explorer):
    ex = explorer
    ex.lam.value = 0.0
    ex.lr.value = 100.0
    assert "diverged" not in ex.readout.value
    full = ex._current["full"]
    assert full.costs[-1] > full.costs[0]


# --- the layered figure -------------------------------------------------------------------------


def test_cached_draws_match_a_full_redraw(explorer):
    ex = explorer
    for change in (
        lambda: setattr(ex.batch_size, "value", 64),
        lambda: setattr(ex.lr, "value", 1.0),
        lambda: setattr(ex.lam, "value", 0.02),
        lambda: setattr(ex.x_axis, "value", "examples"),
    ):
        change()
        cached = _pixels(ex)
        ex.fig.stale = True  # forces every layer to be redrawn
        np.testing.assert_array_equal(_pixels(ex), cached)


def test_layered_figure_rejects_an_unknown_layer():
    fig = _LayeredFigure()
    ax = fig.add_subplot()
    (line,) = ax.plot([0, 1])
    with pytest.raises(ValueError, match="layer must be 1 or 2"):
        fig.add_to_layer(line, 3)


def test_savefig_draws_every_layer(explorer, tmp_path):
    explorer.fig.savefig(tmp_path / "explorer.png")
    assert (tmp_path / "explorer.png").stat().st_size > 10_000


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
        assert [v for _, v in ex.batch_size.options] == [1, 2, 4, 5]
        ex.batch_size.value = 1
        ex.fig.canvas.draw()
    finally:
        ex.close()


def test_under_ipympl_the_canvas_is_the_figure_widget():
    script = textwrap.dedent("""
        import warnings
        warnings.simplefilter("error", RuntimeWarning)
        import matplotlib
        matplotlib.use("module://ipympl.backend_nbagg")
        import ipympl.backend_nbagg as nbagg
        import lossviz as lv
        x, y = lv.make_churn(m=200)
        ex = lv.interactive.CostExplorer(x, y, grid_size=20, n_updates=20)
        assert isinstance(ex.fig.canvas, nbagg.Canvas)
        assert ex.fig.canvas in ex.widget.children and ex._image is None
        before = ex._paths["chosen"].get_xydata().copy()
        ex.batch_size.value = 1
        after = ex._paths["chosen"].get_xydata()
        assert after.shape == before.shape and (after != before).any()
        ex.fig.canvas.draw()
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
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
    times = bench.time_explorer(x, y, "batch_size", repeats=1, rng=np.random.default_rng(0))
    assert len(times) == 6 and all(t > 0 for t in times)  # every stop but the starting 32
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
