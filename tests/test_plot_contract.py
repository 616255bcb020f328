"""The one drawing contract of lossviz.plot, checked on every drawing function it exports.

Every function in ``lossviz.plot.__all__`` that takes ``ax``: with ``ax=None`` it makes a figure of the
course size and returns its Axes; with an Axes it draws there, makes no figure and returns that Axes;
anything else is refused with a TypeError naming ``ax``. It draws in the palette (every line, marker, bar
and arrow has a colour of ``COLOURS`` or of the style's cycle, or white or none), its text is at least
MIN_TEXT_PX as displayed, and its docstring's Examples run. A drawing function added to the package
without a case here fails ``test_every_drawing_function_has_a_case``.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
from collections.abc import Callable

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.text import Text

import lossviz as lv
from lossviz.plot import style
from lossviz.topics.basins import BasinCounts
from lossviz.topics.batch_size import StepsToTarget, TradeOff

#: Public names of lossviz.plot that take an Axes but make no drawing of their own.
HELPERS = {"landscape_colorbar"}  # adds a colour bar to a drawing that exists: ax is required
#: The one exception to "returns the Axes": returns a NamedTuple whose first field is the Axes.
RETURNS_ARTISTS = {"cost_landscape_artists"}


def _landscape():
    x, y = lv.make_churn(200, seed=0)
    p = lv.minimise(x, y)
    w, b = np.linspace(-0.5, 3.0, 30), np.linspace(-3.5, 0.5, 25)
    return w, b, lv.cost_grid(x, y, w, b), p, lv.objective_at(p, x, y)


def _sweep():
    B = np.array([1, 4, 16, 64])
    lrs = np.array([0.1, 0.2, 0.4])
    steps = np.array([[900.0, 500.0, 800.0], [250.0, 130.0, 200.0], [90.0, 45.0, 60.0], [60.0, 30.0, 25.0]])
    result = StepsToTarget(B, lrs, steps, target=0.62, n_seeds=4, hold=5, max_steps=np.full(4, 5000))
    return result, TradeOff(s_min=20.0, e_min=500.0)


def _fits():
    x, y = lv.imbalance.make_imbalanced_churn(300, positive_rate=0.1, seed=0)
    losses = [lv.BCE, lv.WeightedBCE(9.0), lv.FocalLoss(2.0), lv.FocalLoss(2.0, alpha=0.9)]
    return x, y, lv.imbalance.fit_losses(losses, x, y, x, y)


def _runs(kind: str):
    x, y = lv.make_churn(100, seed=0)
    if kind == "train":
        return [lv.train(x, y, batch_size=b, lr=0.5, epochs=2) for b in (1, 10, 20, 100)]
    return [
        lv.batch_size.simulate_wall_clock(x, y, batch_size=b, seconds_per_step=t, seconds=10.0, lr=1.0)
        for b, t in ((100, 1.0), (10, 0.1))
    ]


def _capacity():
    sets = [lv.make_churn(20, seed=s) for s in range(3)]
    x_val, y_val = lv.make_churn(200, seed=99)
    return sets, x_val, y_val


def _network():
    w = np.linspace(-1, 1, 11)
    J = np.add.outer(w**2, 2 * w**2) + 0.3
    return w, J


# name -> a call that draws with the given ax (None or an Axes). Data are built inside, small and seeded.
CASES: dict[str, Callable[[Axes | None], object]] = {
    "losses": lambda ax: lv.plot.losses([0.78, 0.19, 0.37, 0.23, 0.61], ax=ax),
    "loss_vs_prediction": lambda ax: lv.plot.loss_vs_prediction(*lv.anchor_sample(), ax=ax),
    "cost_landscape": lambda ax: (
        lambda w, b, J, p, Js: lv.plot.cost_landscape(w, b, J, minimum=p, minimum_value=Js, ax=ax)
    )(*_landscape()),
    "cost_landscape_artists": lambda ax: (
        lambda w, b, J, p, Js: lv.plot.cost_landscape_artists(w, b, J, minimum=p, ax=ax)
    )(*_landscape()),
    "minimisers": lambda ax: lv.plot.minimisers(
        {"BCE": (3.7, -6.9), "weighted": (4.2, -4.4)}, roles=["bce", "weighted_bce"], highlight="BCE", ax=ax
    ),
    "trajectory": lambda ax: lv.plot.trajectory([[0, 0], [0.5, -0.2], [0.9, -0.6]], role="online", ax=ax),
    "cost_curve": lambda ax: lv.plot.cost_curve([0.69, 0.66, 0.64], role="full_batch", label="GD", ax=ax),
    "gradient_cloud": lambda ax: lv.plot.gradient_cloud(
        lv.per_sample_gradients((1.0, -1.0), *lv.make_churn(60, seed=1)), ax=ax
    ),
    "cost_curves": lambda ax: lv.plot.cost_curves(_runs("train"), against="examples", m=100, ax=ax),
    "logged_loss": lambda ax: lv.plot.logged_loss(
        np.arange(1, 6),
        [0.7, 0.6, 0.72, 0.58, 0.62],
        cost=[0.69, 0.66, 0.65, 0.64, 0.63],
        smoothed={"EMA": [0.7, 0.63, 0.69, 0.62, 0.62]},
        held_out=([1, 5], [0.69, 0.62]),
        ax=ax,
    ),
    "noise_scale": lambda ax: lv.plot.noise_scale(
        [0, 10, 20], [58.0, 360.0, 600.0], estimates=([10], [340.0]), ax=ax
    ),
    "steps_vs_batch": lambda ax: lv.plot.steps_vs_batch(*_sweep(), b_simple=40.0, ax=ax),
    "tradeoff": lambda ax: lv.plot.tradeoff(*_sweep(), ax=ax),
    "best_lr": lambda ax: (lambda r, f: lv.plot.best_lr(r, fit=f, ax=ax))(*_sweep()),
    "loglog_fit": lambda ax: lv.plot.loglog_fit(
        [1.0, 10.0, 100.0], [2.0, 0.2, 0.02], -1.0, np.log10(2.0), ax=ax
    ),
    "fitted_probabilities": lambda ax: (lambda x, y, f: lv.plot.fitted_probabilities(x, y, f, ax=ax))(
        *_fits()
    ),
    "minority_scores": lambda ax: lv.plot.minority_scores(_fits()[2], ax=ax),
    "capacity_curve": lambda ax: (
        lambda sets, xv, yv: lv.plot.capacity_curve(lv.capacity.degree_curve(sets, xv, yv, [1, 2, 3]), ax=ax)
    )(*_capacity()),
    "poly_fits": lambda ax: (
        lambda sets, xv, yv: lv.plot.poly_fits(
            *sets[0], [lv.capacity.fit_poly_logistic(*sets[0], d, 1e-3) for d in (1, 4)], ax=ax
        )
    )(*_capacity()),
    "two_basin": lambda ax: lv.plot.two_basin(lv.basins.make_two_basin(m=20, seed=0), n_samples=3, ax=ax),
    "basin_endpoints": lambda ax: lv.plot.basin_endpoints(
        {
            "GD": BasinCounts(sharp=148, flat=852, between=0),
            "B = 1": BasinCounts(sharp=77, flat=901, between=22),
        },
        ax=ax,
    ),
    "cost_slice_contours": lambda ax: (lambda w, J: lv.plot.cost_slice_contours(w, w, J, ax=ax))(*_network()),
    "segment_cost_curve": lambda ax: lv.plot.segment_cost_curve(
        np.linspace(0, 1, 11), 1 + np.sin(np.pi * np.linspace(0, 1, 11)), ax=ax
    ),
    "optimiser_paths": lambda ax: lv.plot.optimiser_paths(
        {
            "momentum": np.array([[0.0, 0.0], [1.0, -1.0], [2.0, -1.5]]),
            "Adam": np.array([[0.0, 0.0], [0.3, -0.3]]),
        },
        ax=ax,
    ),
    "stability_scan": lambda ax: (
        lambda eta: lv.plot.stability_scan(eta, np.abs(1 - eta * 0.45) ** 10, threshold=2 / 0.45, ax=ax)
    )(np.linspace(3.0, 5.0, 5)),
    "rate_map": lambda ax: lv.plot.rate_map(
        [1.0, 2.0],
        [0.0, 0.5],
        np.array([[40.0, 30.0], [20.0, np.inf]]),
        marks=[("best", 2.0, 0.0, "o")],
        ax=ax,
    ),
    "spread_curves": lambda ax: lv.plot.spread_curves(
        {
            "gradient descent": np.array([[1.0, 0.5, 0.25], [1.0, 0.6, 0.2]]),
            "Adam": np.array([[1.0, 0.3, 0.1]]),
        },
        ax=ax,
    ),
    "sharpness_scatter": lambda ax: lv.plot.sharpness_scatter(
        {"batch 8": ([1, 2], [0.3, 0.4]), "full": ([3, 4], [0.35, 0.3])},
        roles=("mini_batch", "full_batch"),
        ax=ax,
    ),
}


def _drawing_functions() -> set[str]:
    names = set()
    for name in lv.plot.__all__:
        obj = getattr(lv.plot, name)
        if inspect.isfunction(obj) and "ax" in inspect.signature(obj).parameters:
            names.add(name)
    return names


def _axes_of(result: object) -> Axes:
    return result.ax if isinstance(result, lv.plot.LandscapeArtists) else result  # type: ignore[return-value]


def test_every_drawing_function_has_a_case():
    assert _drawing_functions() - HELPERS == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_ax_defaults_to_a_new_figure_of_the_course_size(name):
    before = set(plt.get_fignums())
    result = CASES[name](None)
    ax = _axes_of(result)
    if name in RETURNS_ARTISTS:
        assert isinstance(result, tuple) and result._fields[0] == "ax"  # the documented NamedTuple convention
    assert isinstance(ax, Axes)
    new = set(plt.get_fignums()) - before
    assert len(new) == 1 and ax.figure.number in new
    assert tuple(ax.figure.get_size_inches()) == pytest.approx(style.figsize())
    assert ax.lines or ax.collections or ax.patches or ax.images, "nothing drawn"


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_given_ax_is_drawn_on_and_returned(name):
    _fig, ax = plt.subplots()
    before = set(plt.get_fignums())
    children = len(ax.get_children())
    result = CASES[name](ax)
    assert _axes_of(result) is ax
    assert set(plt.get_fignums()) == before  # no other figure
    assert len(ax.get_children()) > children


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_ax_that_is_not_an_axes_is_refused_naming_ax(name):
    with pytest.raises(TypeError, match=r"\bax\b"):
        CASES[name]("left")
    with pytest.raises(TypeError, match=r"\bax\b"):
        CASES[name](plt.figure())  # a Figure is not an Axes


def _palette() -> set[str]:
    hexes = {c.lower() for c in style.COLOURS.values()} | {c.lower() for c in style.CYCLE}
    return hexes | {"#ffffff"}


def _drawn_colours(ax: Axes) -> set[str]:
    """Hex colours of every line, marker, bar, arrow and point on ``ax`` (images excluded: they are CMAP)."""
    found: list = []
    for line in ax.lines:
        found += [line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()]
    for patch in ax.patches:
        found += [patch.get_facecolor(), patch.get_edgecolor()]
    for coll in ax.collections:
        if coll.get_array() is not None:  # coloured by a colormap (filled contours)
            continue
        found += list(coll.get_facecolors()) + list(coll.get_edgecolors())
    colours = set()
    for c in found:
        if isinstance(c, str) and c.lower() == "none":
            continue
        rgba = mcolors.to_rgba(c)
        if rgba[3] == 0:
            continue
        colours.add(mcolors.to_hex(rgba[:3]).lower())
    return colours


@pytest.mark.parametrize("name", sorted(CASES))
def test_colours_come_from_the_palette(name):
    with style.course_style():
        ax = _axes_of(CASES[name](None))
    off = _drawn_colours(ax) - _palette()
    assert not off, f"{name} draws colours outside COLOURS and the cycle: {sorted(off)}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_is_legible_at_the_course_size(name):
    with style.course_style():
        ax = _axes_of(CASES[name](None))
        fig = ax.figure
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")  # draws: tick labels exist
        width = int.from_bytes(buffer.getvalue()[16:20], "big")
        scale = min(1.0, style.COLUMN_PX / width)
        small = [
            (t.get_text(), round(t.get_fontsize() * fig.dpi / 72 * scale, 1))
            for t in fig.findobj(Text)
            if t.get_visible()
            and t.get_text().strip()
            and t.get_fontsize() * fig.dpi / 72 * scale < style.MIN_TEXT_PX
        ]
    assert width <= style.COLUMN_PX
    assert not small, small[:5]


def test_the_palette_check_catches_a_colour_outside_the_palette():
    _, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="#d62728")  # matplotlib's red, not the course's
    assert _drawn_colours(ax) - _palette() == {"#d62728"}


MODULES = ["core", "batch_size", "imbalance", "capacity", "basins", "network", "optimisers", "style"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"lossviz.plot.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("module", MODULES)
def test_every_public_function_has_an_examples_section(module):
    mod = importlib.import_module(f"lossviz.plot.{module}")
    missing = [
        name
        for name in mod.__all__
        if inspect.isfunction(getattr(mod, name)) and "Examples\n" not in (getattr(mod, name).__doc__ or "")
    ]
    assert not missing
