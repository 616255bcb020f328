"""Tests of the drawings of the lesson "optimisers on the landscape" (lossviz.plot.optimisers): the
contract (ax=None makes one, a given ax is used, a non-Axes is refused, the Axes is returned), that what
is drawn is the data given, readable text, and bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection, QuadMesh
from matplotlib.colors import to_hex

from lossviz.plot.optimisers import (
    OPTIMISER_STYLES,
    optimiser_paths,
    rate_map,
    spread_curves,
    stability_scan,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


LRS = np.geomspace(1.0, 10.0, 5)
BETAS = np.array([0.0, 0.3, 0.6])
COUNTS = np.array(
    [[300.0, 200, 100], [250, 150, 60], [200, 90, np.inf], [150, np.inf, np.inf], [np.inf, np.inf, np.inf]]
)
PATH = np.array([[0.0, 0.0], [0.5, -0.4], [1.0, -1.2], [1.5, -1.6]])
RUNS = np.array([[1.0, 0.5, 0.2, 0.1], [1.0, 0.7, 0.3, 0.05], [1.0, 0.6, 0.25, 0.2]])

CALLS = {
    "optimiser_paths": lambda ax: optimiser_paths({"momentum": PATH, "Adam": PATH[::-1]}, ax=ax),
    "stability_scan": lambda ax: stability_scan(LRS, LRS / 5, LRS / 4, threshold=4.5, ax=ax),
    "rate_map": lambda ax: rate_map(
        LRS, BETAS, COUNTS, ax=ax, marks=[("theory", 3.0, 0.3, "*")], edge=(2 * (1 + BETAS) / 0.45, BETAS)
    ),
    "spread_curves": lambda ax: spread_curves({"gradient descent": RUNS, "Nesterov": RUNS[0]}, ax=ax),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_drawing_contract(name):
    made = CALLS[name](None)
    assert isinstance(made, Axes)
    _, given = plt.subplots()
    assert CALLS[name](given) is given
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        CALLS[name]("not an axes")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_text_is_at_least_10_px_at_100_percent(name):
    ax = CALLS[name](None)
    fig = ax.figure
    fig.canvas.draw()
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
    assert texts
    smallest = min(t.get_fontsize() for t in texts) * fig.dpi / 72
    assert smallest >= 10, smallest


def test_optimiser_paths_draw_each_path_in_its_course_style():
    ax = optimiser_paths({"momentum, k = 32": PATH, "gradient descent": PATH * 2})
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    np.testing.assert_array_equal(np.column_stack(lines["momentum, k = 32"].get_data()), PATH)
    np.testing.assert_array_equal(np.column_stack(lines["gradient descent"].get_data()), PATH * 2)
    assert to_hex(lines["momentum, k = 32"].get_color()) == OPTIMISER_STYLES["momentum"]["color"].lower()
    assert lines["momentum, k = 32"].get_linestyle() == OPTIMISER_STYLES["momentum"]["linestyle"]
    assert to_hex(lines["gradient descent"].get_color()) == "#000000"
    styles = {(s["color"], s["linestyle"]) for s in OPTIMISER_STYLES.values()}
    assert len(styles) == len(OPTIMISER_STYLES)  # distinct colour and line style for each
    assert len({s["linestyle"] for s in OPTIMISER_STYLES.values()}) == len(OPTIMISER_STYLES)


def test_stability_scan_draws_the_measured_points_the_theory_and_the_threshold():
    measured, theory = LRS / 5, LRS / 4
    ax = stability_scan(LRS, measured, theory, threshold=4.5)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), theory)
    np.testing.assert_array_equal(lines[1].get_ydata(), measured)
    assert list(lines[2].get_xdata()) == [4.5, 4.5]
    assert ax.get_yscale() == "log"


def test_rate_map_colours_the_counts_and_leaves_unreached_cells_empty():
    ax = rate_map(LRS, BETAS, COUNTS, marks=[("theory", 3.0, 0.3, "*")], vmin=50, vmax=400)
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    shown = mesh.get_array()
    assert shown.shape == (BETAS.size, LRS.size)  # betas are rows, learning rates columns
    np.testing.assert_array_equal(shown.mask, ~np.isfinite(COUNTS.T))
    np.testing.assert_array_equal(shown.compressed(), COUNTS.T[np.isfinite(COUNTS.T)])
    assert (mesh.norm.vmin, mesh.norm.vmax) == (50, 400)
    star = next(line for line in ax.get_lines() if line.get_label() == "theory")
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (3.0, 0.3)
    # the cells span the grid: geometric midpoints between learning rates
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(LRS[0] / np.sqrt(LRS[1] / LRS[0]))
    assert hi == pytest.approx(LRS[-1] * np.sqrt(LRS[1] / LRS[0]))
    assert len(ax.figure.axes) == 2  # the colour bar


def test_spread_curves_draw_the_median_and_the_range():
    ax = spread_curves({"Adam": RUNS}, x=[1, 2, 3, 4], xlabel="epochs")
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), np.median(RUNS, axis=0))
    band = next(c for c in ax.collections if isinstance(c, PolyCollection))
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(RUNS.min()) and ys.max() == pytest.approx(RUNS.max())
    assert ax.get_xlabel() == "epochs"
    single = spread_curves({"Adam": RUNS[0]})
    assert not [c for c in single.collections if isinstance(c, PolyCollection)]  # one run: no band


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: optimiser_paths({}), ValueError, "paths must hold at least 1 item"),
        (lambda: optimiser_paths({"a": np.zeros((3, 3))}), ValueError, r"paths\['a'\] must have shape"),
        (lambda: stability_scan(LRS, LRS[:3]), ValueError, "measured must have the shape"),
        (lambda: stability_scan(LRS, -LRS), ValueError, "measured must be > 0"),
        (lambda: stability_scan(LRS, LRS, LRS[:2]), ValueError, "predicted"),
        (lambda: rate_map(LRS, BETAS, COUNTS.T), ValueError, "updates must have shape"),
        (lambda: rate_map(LRS[::-1], BETAS, COUNTS), ValueError, "lrs must be strictly increasing"),
        (lambda: rate_map(LRS, BETAS, np.full_like(COUNTS, np.nan)), ValueError, "updates must not hold nan"),
        (lambda: rate_map(-LRS[::-1], BETAS, COUNTS), ValueError, "lrs must be > 0"),
        (lambda: rate_map(LRS, BETAS, COUNTS, edge=([1.0, 2.0], [0.1])), ValueError, "edge"),
        (lambda: spread_curves({"a": np.zeros((2, 2, 2))}), ValueError, r"shape \(S, n\)"),
        (lambda: spread_curves({"a": RUNS - 1}), ValueError, "log scale"),
        (lambda: spread_curves({"a": RUNS}, x=[1, 2]), ValueError, "x must have one value per column"),
        (lambda: spread_curves(RUNS), TypeError, "curves must be a dict"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
