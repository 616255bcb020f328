"""The course style (lossviz.plot.style): palette, colormap, sizes, and what use_course_style sets.

Colour distances come from tools/palette_report.py, a thin layer over colour-science (Machado et
al. 2009 simulation, CIEDE2000); the first tests check that library against published numbers.

Thresholds, in CIEDE2000 (ΔE00) units. About 1-2 separates two large patches side by side; the
lines and markers of a plot are small and apart, and need several times more to be told apart at
a glance, so roles drawn together must differ by ΔE00 >= 20 in normal vision and by >= 10 under
each simulated deficiency (severity 1, the strongest). The line style or marker differs as well.
"""

from __future__ import annotations

import doctest
import importlib.util
import io
import json
import os
import re
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.text import Text

from lossviz.plot import style

ROOT = Path(__file__).resolve().parents[1]
MIN_DELTA_E_NORMAL = 20.0
MIN_DELTA_E_CVD = 10.0


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(f"_tool_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec.loader.exec_module(module)
    return module


palette = _load_tool("palette_report")
CVD = [v for v in palette.VISIONS if v != "normal"]


def _threshold(vision: str) -> float:
    return MIN_DELTA_E_NORMAL if vision == "normal" else MIN_DELTA_E_CVD


# --- the oracle against published numbers ----------------------------------------------------

# Machado, Oliveira & Fernandes (2009), the table of their supplementary material, severity 1.0.
MACHADO_1 = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


@pytest.mark.parametrize("vision", CVD)
def test_simulation_matrices_are_machado_2009_at_severity_1(vision):
    np.testing.assert_allclose(palette.machado_matrix(vision), MACHADO_1[vision], atol=1e-6)


@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [  # Sharma, Wu & Dalal (2005), Table 1, pairs 1, 7, 17, 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_sharma_test_data(lab1, lab2, expected):
    assert float(palette.colour.difference.delta_E_CIE2000(lab1, lab2)) == pytest.approx(expected, abs=1e-4)


def test_srgb_to_lab_matches_the_standard_values():
    lab = palette.to_lab(palette.hex_to_linear(["#FF0000", "#FFFFFF", "#000000"]), "normal", clip=False)
    np.testing.assert_allclose(lab[0], [53.24, 80.09, 67.20], atol=0.05)  # sRGB red, D65
    np.testing.assert_allclose(lab[1], [100.0, 0.0, 0.0], atol=0.02)  # the 4-digit IEC 61966-2-1 matrix
    np.testing.assert_allclose(lab[2], [0.0, 0.0, 0.0], atol=1e-6)


def test_simulation_sees_red_and_green_alike_under_deuteranopia_only():
    # A check with teeth: the pair that deuteranopes confuse most comes out close, not in normal vision.
    red, green = palette.hex_to_linear(["#D62728", "#2CA02C"])  # matplotlib's C3 and C2 (lesson 06)
    assert palette.distances(red, green, "normal") > 40
    assert palette.distances(red, green, "deuteranopia") < 10


# --- the mappings ------------------------------------------------------------------------------

REQUIRED_ROLES = {
    "full_batch",
    "mini_batch",
    "online",
    "class_0",
    "class_1",
    "bce",
    "weighted_bce",
    "focal",
    "focal_alpha",
    "train",
    "held_out",
    "cost",
    "loss",
    "objective",
    "minimum",
    "start",
    "sharp",
    "flat",
    "gradient",
    "mean_gradient",
    "grid",
    "text",
}


def test_every_required_role_has_a_colour_a_line_style_and_a_marker():
    assert set(style.COLOURS) >= REQUIRED_ROLES
    assert set(style.COLOURS) == set(style.LINESTYLES) == set(style.MARKERS)


def test_every_colour_is_a_hex_colour():
    for role, colour in style.COLOURS.items():
        assert re.fullmatch(r"#[0-9A-F]{6}", colour), f"{role}: {colour!r}"
        assert mcolors.is_color_like(colour)


def test_okabe_ito_values_are_the_published_rgb():
    published = {  # Okabe & Ito (2008), Color Universal Design, RGB 0-255
        "black": (0, 0, 0),
        "orange": (230, 159, 0),
        "sky_blue": (86, 180, 233),
        "bluish_green": (0, 158, 115),
        "yellow": (240, 228, 66),
        "blue": (0, 114, 178),
        "vermillion": (213, 94, 0),
        "reddish_purple": (204, 121, 167),
    }
    rgb = {k: tuple(round(255 * c) for c in mcolors.to_rgb(v)) for k, v in style.OKABE_ITO.items()}
    assert rgb == published


@pytest.mark.parametrize("mapping", ["COLOURS", "LINESTYLES", "MARKERS", "GROUPS", "OKABE_ITO", "FONT_SIZES"])
def test_mappings_are_read_only(mapping):
    table = getattr(style, mapping)
    key = next(iter(table))
    with pytest.raises(TypeError):
        table[key] = "#FF0000"
    with pytest.raises(TypeError):
        table["new_role"] = "#FF0000"
    with pytest.raises(TypeError):
        del table[key]


def test_line_styles_and_markers_are_valid_matplotlib_values():
    line = Line2D([], [])
    for role in style.COLOURS:
        line.set_linestyle(style.LINESTYLES[role])
        MarkerStyle(style.MARKERS[role])
        assert style.LINESTYLES[role] != "none" or style.MARKERS[role] != "none", f"{role} is invisible"


def test_groups_name_known_roles():
    for group, roles in style.GROUPS.items():
        assert set(roles) <= set(style.COLOURS), group
        assert len(set(roles)) == len(roles) >= 2, group


@pytest.mark.parametrize("group", list(style.GROUPS))
def test_second_channel_differs_within_each_group(group):
    # In greyscale, two roles drawn together still differ in line style or in marker.
    roles = style.GROUPS[group]
    channels = [(style.LINESTYLES[r], style.MARKERS[r]) for r in roles]
    assert len(set(channels)) == len(channels), dict(zip(roles, channels))


# --- colour-vision safety ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def group_report():
    return palette.group_report()


@pytest.mark.parametrize("vision", list(palette.VISIONS))
@pytest.mark.parametrize("group", list(style.GROUPS))
def test_roles_drawn_together_stay_distinct(group_report, group, vision):
    worst = group_report[group][vision]
    assert worst.distance >= _threshold(vision), (
        f"{group} under {vision}: {worst.first} and {worst.second} are only ΔE00 = {worst.distance:.1f} "
        f"apart (need {_threshold(vision)})"
    )


def test_worst_distance_per_simulation(group_report):
    # One line per vision in the message, whatever the outcome (run with -rA or see the tool).
    worst = {v: min((g[v] for g in group_report.values()), key=lambda w: w.distance) for v in palette.VISIONS}
    summary = "; ".join(f"{v}: {w.distance:.1f} ({w.first}/{w.second})" for v, w in worst.items())
    print("worst ΔE00 over all groups:", summary)
    assert all(w.distance >= _threshold(v) for v, w in worst.items()), summary


@pytest.mark.parametrize("vision", list(palette.VISIONS))
def test_default_cycle_colours_stay_distinct(vision):
    worst = palette.cycle_report()[vision]
    assert worst.distance >= _threshold(vision), worst


def test_default_cycle_is_colours_only_so_an_explicit_colour_stays_solid():
    assert style.course_rc()["axes.prop_cycle"].by_key() == {"color": list(style.CYCLE)}
    with style.course_style():
        ax = Figure().add_subplot()
        styles = [ax.plot([0, 1], color=style.COLOURS["cost"])[0].get_linestyle() for _ in range(3)]
    assert styles == ["-", "-", "-"]


@pytest.mark.parametrize("vision", list(palette.VISIONS))
def test_paths_stay_visible_on_the_shaded_landscape(vision):
    worst = palette.landscape_contrast(("full_batch", "mini_batch", "online"), vision)
    assert worst.distance >= MIN_DELTA_E_CVD, worst


@pytest.mark.parametrize("vision", list(palette.VISIONS))
def test_landscape_colormap_keeps_its_lightness_order_and_even_steps(vision):
    report = palette.colormap_report(style.CMAP, vision)
    assert report.monotonic
    assert report.step_cv < 0.25, report


@pytest.mark.parametrize("vision", CVD)
def test_cividis_stays_more_even_than_viridis_under_simulation(vision):
    # The reason for the choice, measured: under each deficiency viridis' steps become uneven.
    cividis, viridis = (palette.colormap_report(cmap, vision) for cmap in ("cividis", "viridis"))
    assert cividis.step_cv < viridis.step_cv


# --- sizes -------------------------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _stored_png(fig: Figure) -> bytes:
    """The figure as the inline backend stores it: at fig.dpi, cropped with bbox_inches='tight'."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")
    return buffer.getvalue()


def _shown(fig: Figure) -> tuple[int, int, list[tuple[str, float]]]:
    """Stored (width, height) in px, and every visible text's height in px as displayed at 100 %."""
    width, height = _png_size(_stored_png(fig))  # draws the figure: tick labels exist from here on
    scale = min(1.0, style.COLUMN_PX / width)  # JupyterLab scales a wider image down to the column
    texts = [
        (t.get_text(), t.get_fontsize() * fig.dpi / 72 * scale)
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return width, height, texts


def _lesson_like_figure(ncols: int, nrows: int, *, legend_size: str = "small") -> Figure:
    fig = Figure(figsize=style.figsize(ncols, nrows))
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    grid = np.add.outer(np.linspace(0, 3, 30) ** 2, np.linspace(-2, 2, 40) ** 2)
    for k, ax in enumerate(axes):
        if k == 0:
            image = ax.imshow(grid, cmap=style.CMAP, alpha=style.LANDSCAPE_ALPHA, aspect="auto")
            style.landscape_colorbar(ax, image, label="cost $J$")
            contours = ax.contour(grid, levels=style.landscape_levels(grid, 5), colors=style.COLOURS["text"])
            ax.clabel(contours, fontsize="x-small")
        for role in ("full_batch", "mini_batch", "online"):
            noisy = np.random.default_rng(k).normal(size=10)
            ax.plot(np.arange(10), noisy, label=role, **style.role_style(role))
        ax.set(xlabel="update $t$", ylabel="cost $J(w_t)$", title=f"panel {k}: B = 32")
        ax.text(0.5, 0.5, "annotation", transform=ax.transAxes)
        ax.legend(fontsize=legend_size, title="regime")
    fig.suptitle("a figure title")
    return fig


LAYOUTS = [(1, 1), (2, 1), (3, 1), (4, 1), (1, 3), (2, 2), (3, 2)]
PROJECTOR_LAYOUTS = [(1, 1), (2, 1), (3, 1), (2, 2)]  # larger text: at most three panels across


@pytest.mark.filterwarnings("error")  # constrained layout giving up ("axes sizes collapsed") fails too
@pytest.mark.parametrize(
    "ncols, nrows, projector",
    [(*layout, False) for layout in LAYOUTS] + [(*layout, True) for layout in PROJECTOR_LAYOUTS],
)
def test_figure_fits_the_column_and_every_text_is_legible(ncols, nrows, projector):
    minimum = 14.0 if projector else style.MIN_TEXT_PX
    with style.course_style(projector=projector):
        width, height, texts = _shown(_lesson_like_figure(ncols, nrows))
    assert width <= style.COLUMN_PX, width
    assert height <= style.MAX_HEIGHT_PX + 2 * 0.1 * style.DPI + 2, height  # + the tight crop's padding
    assert len(texts) > 20  # ticks, labels, titles, legends, colour bar, contour labels
    small = [(t, round(px, 1)) for t, px in texts if px < minimum]
    assert not small, f"text under {minimum} px: {small[:5]}"


def test_text_check_catches_text_that_is_too_small():
    with style.course_style():
        _, _, texts = _shown(_lesson_like_figure(1, 1, legend_size="xx-small"))  # 0.579 x 11 pt = 8.8 px
    assert min(px for _, px in texts) < style.MIN_TEXT_PX


def test_text_check_counts_the_scale_of_a_figure_wider_than_the_column():
    with style.course_style():
        fig = Figure(figsize=(18.0, 3.0))  # stored 1800 px wide: shown at half size
        fig.subplots().set_title("title")
        width, _, texts = _shown(fig)
    assert width > 2 * style.COLUMN_PX - 50
    title = dict(texts)["title"]
    full_size = style.FONT_SIZES["axes.titlesize"] * style.DPI / 72
    assert title == pytest.approx(full_size * style.COLUMN_PX / width)
    assert title < style.MIN_TEXT_PX


def test_matplotlib_default_figure_is_what_the_style_replaces():
    # Without the style, a two-panel lesson figure at the lessons' old size is stored too wide.
    with matplotlib.rc_context({"figure.dpi": 100, "figure.constrained_layout.use": True}):
        fig = Figure(figsize=(13, 4.5))
        fig.subplots(1, 2)
        width, _ = _png_size(_stored_png(fig))
    assert width > style.COLUMN_PX


def test_figsize_derived_sizes():
    for ncols in range(1, 6):
        for nrows in range(1, 5):
            for aspect in (0.5, 0.75, 1.0):
                w, h = style.figsize(ncols, nrows, aspect=aspect)
                w_px, h_px = w * style.DPI, h * style.DPI
                assert w_px <= style.FIGURE_WIDTH_PX + 0.5 and h_px <= style.MAX_HEIGHT_PX + 0.5
                panel_aspect = (h_px / nrows) / (w_px / ncols)
                assert panel_aspect == pytest.approx(aspect, abs=0.01)
                natural = min(style.FIGURE_WIDTH_PX / ncols, style.MAX_PANEL_WIDTH_PX)
                if nrows * natural * aspect <= style.MAX_HEIGHT_PX:  # not height-limited: natural size
                    assert w_px == pytest.approx(ncols * natural, abs=0.5)
    assert style.figsize(1, 1, aspect=1.0, max_height_px=300) == (3.0, 3.0)


def test_width_budget_leaves_room_for_the_tight_crop():
    assert style.FIGURE_WIDTH_PX + 2 * 0.1 * style.DPI <= style.COLUMN_PX - 10
    assert style.PROJECTOR_PX[1] - 150 >= style.MAX_HEIGHT_PX + 2 * 0.1 * style.DPI


def test_font_sizes_reach_the_minimum_down_to_x_small():
    rc = style.course_rc()
    x_small = 0.694 * rc["font.size"]  # matplotlib's scale for "x-small"
    for key, pt in [*((k, rc[k]) for k in style.FONT_SIZES), ("x-small", x_small)]:
        assert pt * style.DPI / 72 >= style.MIN_TEXT_PX, key
    proj = style.course_rc(projector=True)
    assert 0.694 * proj["font.size"] * style.DPI / 72 >= 14.0


# --- use_course_style / course_style ---------------------------------------------------------------


def test_use_course_style_sets_what_it_promises():
    with matplotlib.rc_context():
        style.use_course_style()
        rc = matplotlib.rcParams
        assert rc["image.cmap"] == style.CMAP
        assert rc["figure.dpi"] == rc["savefig.dpi"] == style.DPI
        assert rc["figure.constrained_layout.use"] is True
        assert tuple(rc["figure.figsize"]) == style.figsize()
        for key, pt in style.FONT_SIZES.items():
            assert rc[key] == pt, key
        assert rc["axes.prop_cycle"].by_key()["color"] == list(style.CYCLE)
        fig = Figure()
        ax = fig.add_subplot()
        (line,) = ax.plot([0, 1])
        image = ax.imshow([[0, 1]])
        assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
        assert mcolors.to_hex(line.get_color()).upper() == style.CYCLE[0]
        assert image.get_cmap().name == style.CMAP
        assert tuple(fig.get_size_inches()) == style.figsize()


def test_course_style_restores_the_previous_rcparams():
    with matplotlib.rc_context({"image.cmap": "magma", "font.size": 7.0}):
        with style.course_style(projector=True):
            assert matplotlib.rcParams["image.cmap"] == style.CMAP
            assert matplotlib.rcParams["font.size"] == pytest.approx(11.0 * style.PROJECTOR_FONT_SCALE)
        assert matplotlib.rcParams["image.cmap"] == "magma"
        assert matplotlib.rcParams["font.size"] == 7.0


def test_style_sets_no_backend():
    before = matplotlib.get_backend()
    assert not any("backend" in key for key in style.course_rc())
    with matplotlib.rc_context():
        style.use_course_style(projector=True)
        assert matplotlib.get_backend() == before


_SUBPROCESS = """
import sys, types
for name, path in (("lossviz", {pkg!r}), ("lossviz.plot", {plot!r})):
    module = types.ModuleType(name); module.__path__ = [path]; sys.modules[name] = module
import matplotlib
from lossviz.plot import style
assert "matplotlib.pyplot" not in sys.modules, "style imported pyplot"
style.use_course_style()
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=style.figsize(2))
ax.plot([0, 1], [0, 1], **style.role_style("mini_batch"))
fig.canvas.draw()
print(type(fig.canvas).__module__, fig.dpi, fig.get_layout_engine().__class__.__name__)
"""


@pytest.mark.parametrize(
    "backend, canvas_module",
    [
        ("agg", "matplotlib.backends.backend_agg"),
        ("module://ipympl.backend_nbagg", "ipympl.backend_nbagg"),
    ],
)
def test_import_without_pyplot_and_works_with_agg_and_ipympl(backend, canvas_module):
    # lossviz and lossviz.plot are stubbed as bare namespaces, so only style.py (and _validation)
    # run: whatever the package's __init__ files import, style itself must not import pyplot.
    code = _SUBPROCESS.format(pkg=str(ROOT / "lossviz"), plot=str(ROOT / "lossviz" / "plot"))
    env = {**os.environ, "MPLBACKEND": backend}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [canvas_module, "100.0", "ConstrainedLayoutEngine"]


def _cost_explorer_class():
    import lossviz

    found = getattr(lossviz, "CostExplorer", None)  # lossviz.interactive.CostExplorer in the new layout
    return found if found is not None else importlib.import_module("lossviz.interactive").CostExplorer


def test_cost_explorer_keeps_its_layout_under_the_course_style():
    from lossviz.data import make_churn

    with style.course_style(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "incompatible with subplots_adjust": the symptom
        ex = _cost_explorer_class()(*make_churn(m=200, seed=0), grid_size=30, n_updates=60)
        try:
            ex.batch_size.value = 64
            ex.fig.canvas.draw()
            cached = np.asarray(ex.fig.canvas.buffer_rgba()).copy()
            ex.fig.stale = True  # every layer redrawn
            ex.fig.canvas.draw()
            full = np.asarray(ex.fig.canvas.buffer_rgba()).copy()
        finally:
            ex.close()
    np.testing.assert_array_equal(full, cached)


# --- helpers ---------------------------------------------------------------------------------------


def test_role_style_draws_the_role():
    ax = Figure().add_subplot()
    (line,) = ax.plot([0, 1], [0, 1], **style.role_style("held_out", markers=True))
    assert mcolors.to_hex(line.get_color()).upper() == style.COLOURS["held_out"]
    assert line.get_linestyle() == style.LINESTYLES["held_out"]
    assert line.get_marker() == style.MARKERS["held_out"]
    (point,) = ax.plot([0], [0], **style.role_style("start"))
    assert point.get_linestyle() == "None" and point.get_marker() == "o"
    assert mcolors.to_hex(point.get_markeredgecolor()).upper() == style.COLOURS["text"]
    assert style.role_style("cost", markers=True)["marker"] == "none"  # lines only


def test_regime_names_the_three_regimes():
    assert [style.regime(b, 1000) for b in (1, 2, 999, 1000)] == [
        "online",
        "mini_batch",
        "mini_batch",
        "full_batch",
    ]
    assert style.regime(1, 1) == "full_batch"


def test_landscape_levels_against_independent_formulas():
    J = np.random.default_rng(0).uniform(2.0, 7.0, size=(6, 9))
    lo, hi = J.min(), J.max()
    np.testing.assert_allclose(style.landscape_levels(J, 4, scale="linear"), np.linspace(lo, hi, 6)[1:-1])
    levels = style.landscape_levels(J, 5, floor=1e-2)
    gaps = np.diff(np.log(levels - lo))
    np.testing.assert_allclose(gaps, gaps[0])  # evenly spaced in log(J - min J)
    assert levels[0] - lo == pytest.approx(1e-2 * (hi - lo)) and levels[-1] == pytest.approx(hi)


def test_landscape_colorbar_labels_the_shading():
    fig = Figure()
    ax = fig.add_subplot()
    contours = ax.contourf([[0.0, 1.0], [2.0, 3.0]], cmap=style.CMAP)
    bar = style.landscape_colorbar(ax, contours, label="log10 (J - J*)")
    assert bar.ax.get_ylabel() == "log10 (J - J*)"
    assert bar.mappable is contours and bar.ax in fig.axes


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: style.role_style("nope"), ValueError, "role"),
        (lambda: style.role_style(3), TypeError, "role"),
        (lambda: style.role_style("cost", markers="yes"), TypeError, "markers"),
        (lambda: style.figsize(0), ValueError, "ncols"),
        (lambda: style.figsize(1, 1.5), TypeError, "nrows"),
        (lambda: style.figsize(aspect=-1), ValueError, "aspect"),
        (lambda: style.figsize(aspect=float("nan")), ValueError, "aspect"),
        (lambda: style.figsize(max_height_px=0), ValueError, "max_height_px"),
        (lambda: style.regime(0, 10), ValueError, "batch_size"),
        (lambda: style.regime(11, 10), ValueError, "batch_size"),
        (lambda: style.regime(2, 0), ValueError, "m"),
        (lambda: style.course_rc(projector="yes"), TypeError, "projector"),
        (lambda: style.landscape_levels([[1.0, 1.0]]), ValueError, "J"),
        (lambda: style.landscape_levels([1.0, 2.0]), ValueError, "J"),
        (lambda: style.landscape_levels([[1.0, np.nan]]), ValueError, "J"),
        (lambda: style.landscape_levels([[1.0, 2.0]], 0), ValueError, "n"),
        (lambda: style.landscape_levels([[1.0, 2.0]], scale="cubic"), ValueError, "scale"),
        (lambda: style.landscape_levels([[1.0, 2.0]], floor=1.0), ValueError, "floor"),
        (lambda: style.landscape_colorbar(None, None), TypeError, "ax"),
        (lambda: style.landscape_colorbar(Figure().add_subplot(), [[1]]), TypeError, "mappable"),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_docstring_examples_run():
    result = doctest.testmod(style, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 15 and result.failed == 0


# --- the figure report tool ----------------------------------------------------------------------------


def test_figure_report_reads_stored_widths(tmp_path):
    report = _load_tool("figure_report")
    with style.course_style():
        fig = Figure(figsize=(12.0, 3.0))  # 1200 px: too wide
        fig.subplots()
        wide = _stored_png(fig)
        fig = Figure(figsize=style.figsize(2))
        fig.subplots(1, 2)
        fitting = _stored_png(fig)
    import base64

    outputs = [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"},
        }
        for png in (wide, fitting)
    ]
    retina = {
        "output_type": "display_data",
        "metadata": {"image/png": {"width": 500, "height": 100}},
        "data": {"image/png": base64.b64encode(wide).decode()},
    }
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "# t", "metadata": {}},
            {"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs, "execution_count": 3},
            {"cell_type": "code", "source": "", "metadata": {}, "outputs": [retina], "execution_count": 4},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "99_test.ipynb"
    path.write_text(json.dumps(nb))
    rows = report.stored_images(path)
    assert [(r.cell, r.width_px) for r in rows] == [
        (1, _png_size(wide)[0]),
        (1, _png_size(fitting)[0]),
        (2, 500),
    ]
    assert [r.too_wide for r in rows] == [True, False, False]
    assert rows[0].scale == pytest.approx(style.COLUMN_PX / _png_size(wide)[0])
    assert rows[1].scale == 1.0
