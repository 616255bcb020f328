"""Each lesson's key figure, drawn for a projector: the slides of ``dashboards/figures.ipynb``.

Every slide is computed as its lesson computes it, with the lesson's data, seeds and settings, and
drawn with the package's own drawing functions (``lossviz.plot``) under the course style with
projector fonts (``lossviz.plot.course_style(projector=True)``, font sizes x 1.4).

Sizes. A slide's figure is :data:`SLIDE_INCHES` at :data:`lossviz.plot.style.DPI` (its *natural*
size, 1000 x 500 CSS px); it is stored as a PNG at :data:`PNG_DPI` (sharp when scaled up on a large
screen) and shown scaled to the space the browser window leaves (``figures.ipynb``'s CSS: width and
height at most what is left under the title and the buttons, aspect kept), so it fits any window
without scrolling. :func:`smallest_text_pt` gives the smallest text a slide draws, so that the
page (and the browser tests) can work out how large it is on the screen:
``pt * DPI / 72 * shown width / natural width`` px.

Run this module to write every slide into a folder and print its smallest text::

    python dashboards/key_figures.py /tmp/slides
"""

from __future__ import annotations

import base64
import html
import io
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the slides are still images; the dashboard shows them as PNGs

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

import lossviz as lv
from lossviz.plot import style

#: A slide's figure in inches: 1000 x 500 px at the course's DPI (its natural size in CSS px).
SLIDE_INCHES = (10.0, 5.0)
#: Dots per inch of the stored PNG (twice the natural size: sharp on a 1920 x 1080 screen).
PNG_DPI = 2 * style.DPI


@dataclass(frozen=True)
class Slide:
    """One lesson's key figure: the lesson's number and title, a one-line caption, the drawing."""

    lesson: str
    title: str
    caption: str
    draw: Callable[[], Figure]


def _figure(ncols: int = 1, nrows: int = 1, **kwargs) -> tuple[Figure, np.ndarray]:
    fig, axes = plt.subplots(nrows, ncols, figsize=SLIDE_INCHES, squeeze=False, **kwargs)
    return fig, axes


# --------------------------------------------------------------------------------------------
# One function per lesson; each repeats its lesson's computation (the same data, seeds, settings)


def _lesson_01() -> Figure:
    y, y_hat = lv.anchor_sample()
    losses = lv.bce_loss(y, y_hat)
    J = lv.cost(y, y_hat)
    fig, axes = _figure(2)
    lv.plot.loss_vs_prediction(y, y_hat, ax=axes[0, 0])
    axes[0, 0].set_title("each sample on its label's loss curve")
    lv.plot.losses(losses, J, ax=axes[0, 1], labels=[f"{i}\n(y={yi:.0f})" for i, yi in enumerate(y, start=1)])
    axes[0, 1].set_title("five losses, one cost")
    return fig


def _lesson_02() -> Figure:
    x, y = lv.make_churn(m=1000, seed=0)
    params = np.array([1.0, -1.0])
    analytic = lv.gradient(params, x, y)
    fig, axes = _figure(3, sharex=True, sharey=True)
    for ax, B in zip(axes[0], (1, 10, 100), strict=True):
        batch_grads = lv.minibatch_gradients(params, x, y, B, n_batches=300, seed=0)
        lv.plot.gradient_cloud(
            batch_grads,
            mean=analytic,
            ax=ax,
            limit=1.5,
            label="mini-batch gradients",
            mean_label="gradient of J",
        )
        ax.set_title(f"B = {B}")
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        ax.label_outer()
    axes[0, 0].legend(loc="upper left", fontsize="small")
    return fig


def _lesson_03() -> Figure:
    x, y = lv.make_churn(m=1000, seed=0)
    p_star = lv.minimise(x, y)
    J_star = lv.objective_at(p_star, x, y)
    kappa = lv.condition_number(p_star, x, y)
    x_standard = (x - x.mean()) / x.std()
    p_std = lv.minimise(x_standard, y)
    kappa_std = lv.condition_number(p_std, x_standard, y)
    w_sq, b_sq, J_sq = lv.cost_window(x, y, [(0.0, 0.0), p_star], square=True)
    ws, bs, J_std = lv.cost_window(x_standard, y, [(0.0, 0.0), p_std], margin=0.6, square=True)
    fig, axes = _figure(2)
    ax_raw, ax_std = axes[0]
    lv.plot.cost_landscape(w_sq, b_sq, J_sq, minimum=p_star, minimum_value=J_star, ax=ax_raw)
    ax_raw.set_title(f"bill as is: κ = {kappa:.0f}")
    std_value = lv.objective_at(p_std, x_standard, y)
    lv.plot.cost_landscape(ws, bs, J_std, minimum=p_std, minimum_value=std_value, ax=ax_std)
    ax_std.set_title(f"standardised: κ = {kappa_std:.0f}")
    for ax in (ax_raw, ax_std):
        ax.set_aspect("equal")
    return fig


def _lesson_04() -> Figure:
    x, y = lv.make_churn(m=1000, seed=0)
    m = x.size
    p_star = lv.minimise(x, y)
    J_star = lv.objective_at(p_star, x, y)
    lr = 0.5
    runs = {
        "full batch, B = 1000": lv.train(x, y, batch_size=1000, lr=lr, epochs=200, seed=0),
        "mini-batch, B = 32": lv.train(x, y, batch_size=32, lr=lr, epochs=7, seed=0),
        "online, B = 1": lv.train(x, y, batch_size=1, lr=lr, epochs=1, seed=0),
    }
    w_grid, b_grid, J_grid = lv.cost_window(x, y, [(0.0, 0.0), p_star], n=160, margin=0.2)
    fig, axes = _figure(2)
    ax_land, ax_cost = axes[0]
    lv.plot.cost_landscape(w_grid, b_grid, J_grid, minimum=p_star, minimum_value=J_star, ax=ax_land)
    for name, run in runs.items():
        role = lv.plot.regime(run.batch_size, m)
        width = 1.0 if role == "online" else 2.0
        lv.plot.trajectory(run.params[:201], role=role, label=name, linewidth=width, ax=ax_land)
        lv.plot.cost_curve(run.costs[:201] - J_star, role=role, label=name, linewidth=width, ax=ax_cost)
    ax_land.set_title("200 updates on the landscape")
    ax_cost.set_yscale("log")
    ax_cost.set_ylabel("$J - J^*$")
    ax_cost.set_title("the cost along each run")
    ax_cost.legend(loc="upper right", fontsize="small")
    return fig


def _lesson_05() -> Figure:
    x, y = lv.make_churn(1000, seed=0)
    log = lv.loss_curves.training_log(x, y, batch_size=32, lr=0.5, epochs=10, seed=0)
    smooth = {"EMA, smoothing 0.9": lv.loss_curves.ema(log.batch_loss, 0.9)}
    fig, axes = _figure()
    lv.plot.logged_loss(log.steps, log.batch_loss, cost=log.cost, smoothed=smooth, ax=axes[0, 0])
    axes[0, 0].set_ylim(0.58, 0.72)
    axes[0, 0].set_title("what the log prints, and the cost J")
    return fig


def _lesson_06() -> Figure:
    from lossviz.exercises.five_questions import q1

    x, y = lv.make_churn()
    budget = {"seconds": q1.budget, "lr": q1.lr}
    full = lv.batch_size.simulate_wall_clock(
        x, y, batch_size=q1.m, seconds_per_step=q1.seconds_full, **budget
    )
    mini = lv.batch_size.simulate_wall_clock(
        x, y, batch_size=q1.batch_size, seconds_per_step=q1.seconds_mini, **budget
    )
    target = lv.batch_size.cost_reduction_target(x, y, q1.fraction)
    fig, axes = _figure()
    ax = axes[0, 0]
    lv.plot.cost_curves(
        [full, mini],
        against="time",
        m=x.size,
        target=target,
        ax=ax,
        labels=[
            f"full batch ({q1.seconds_full:g} s per step)",
            f"mini-batch, B = {q1.batch_size} ({q1.seconds_mini:g} s per step)",
        ],
    )
    ax.set_title(
        f"the same cost reduction: {mini.time_to_cost(target):.3g} s "
        f"against {full.time_to_cost(target):.3g} s"
    )
    return fig


def _lesson_07() -> Figure:
    x, y = lv.imbalance.make_imbalanced_churn(1000, positive_rate=0.05, seed=0)
    x_test, y_test = lv.imbalance.make_imbalanced_churn(20_000, positive_rate=0.05, seed=1)
    pos_weight = lv.imbalance.balancing_pos_weight(y)
    alpha = lv.imbalance.balancing_alpha(y)
    losses = [
        lv.BCE,
        lv.WeightedBCE(pos_weight),
        lv.FocalLoss(gamma=2.0),
        lv.FocalLoss(gamma=2.0, alpha=alpha),
    ]
    fits = lv.imbalance.fit_losses(losses, x, y, x_test, y_test)
    names = ["BCE", "weighted BCE", "focal, γ = 2", "α-balanced focal"]
    fig, axes = _figure()
    lv.plot.minority_scores(fits, labels=names, ax=axes[0, 0])
    return fig


def _lesson_08() -> Figure:
    train_sets = [lv.make_churn(20, seed=s) for s in range(40)]
    x_val, y_val = lv.make_churn(5_000, seed=10_000)
    by_degree = lv.capacity.degree_curve(train_sets, x_val, y_val, range(1, 20), lam=1e-6)
    fig, axes = _figure(2)
    lv.plot.capacity_curve(by_degree, metric="cost", ax=axes[0, 0], test_label="validation")
    lv.plot.capacity_curve(by_degree, metric="error", ax=axes[0, 1], test_label="validation")
    return fig


def _lesson_09() -> Figure:
    x, y = lv.make_churn(1000, seed=0)
    J_star = lv.objective_at(lv.minimise(x, y), x, y)
    target = lv.batch_size.cost_reduction_target(x, y, 0.9)
    batch_sizes = [1, 10, 100, 1000]
    runs = [lv.train(x, y, batch_size=b, lr=min(b / 16, 2.0), epochs=20, seed=0) for b in batch_sizes]
    step_times = lv.batch_size.simulated_step_time(batch_sizes, overhead=5e-3, per_example=1e-3, parallel=64)
    fig, axes = _figure(3, sharey=True)
    for ax, clock in zip(axes[0], ["updates", "examples", "time"], strict=True):
        lv.plot.cost_curves(
            runs,
            against=clock,
            m=x.size,
            step_times=step_times,
            target=target,
            linewidth=1.2,
            legend=False,
            ax=ax,
        )
        ax.axhline(J_star, lw=1, **lv.plot.role_style("cost"))
        ax.label_outer()
    axes[0, 0].legend(handles=axes[0, 0].lines[:4], fontsize="small")
    return fig


def _lesson_10() -> Figure:
    problem = lv.basins.make_two_basin(m=200, noise=7.0, seed=0)
    reparam = lv.basins.Reparametrisation(left_slope=0.2, right_slope=5.0)
    fig, axes = _figure(2)
    lv.plot.two_basin(problem, ax=axes[0, 0])
    lv.plot.two_basin(problem, reparam=reparam, ax=axes[0, 1])
    axes[0, 0].set_title("parameter θ")
    axes[0, 1].set_title("parameter φ, same model")
    return fig


def _lesson_11() -> Figure:
    from lossviz.optim import LogisticProblem, run_sgd
    from lossviz.optim.convergence import optimal_gd
    from lossviz.plot.optimisers import stability_scan

    x, y = lv.make_churn(m=1000, seed=0)
    m = x.size
    problem = LogisticProblem(x, y)
    p_star = lv.minimise(x, y)
    J_star = lv.objective_at(p_star, x, y)
    eigenvalues, eigenvectors = np.linalg.eigh(lv.hessian(p_star, x, y))
    lam_max = eigenvalues[1]
    gd = optimal_gd(eigenvalues)
    lrs = np.round(np.arange(4.36, 4.605, 0.01), 2)
    start = p_star + 1e-3 * eigenvectors[:, 1]
    n = 300
    scan = run_sgd(problem, start, batch_size=m, lr=lrs, n_updates=n, seeds=[0] * lrs.size, record="final")
    ratio = np.linalg.norm(scan.final_params - p_star, axis=1) / 1e-3
    (w_lim, b_lim) = lv.default_window([(0.0, 0.0), p_star], margin=0.25)
    w_grid, b_grid = np.linspace(*w_lim, 140), np.linspace(*b_lim, 140)
    J_grid = lv.cost_grid(x, y, w_grid, b_grid)
    gd_runs = run_sgd(problem, (0, 0), batch_size=m, lr=[4.6, gd.lr, 1.0], n_updates=100, seeds=[0, 0, 0])
    fig, axes = _figure(2)
    ax_land, ax_scan = axes[0]
    lv.plot.cost_landscape(w_grid, b_grid, J_grid, minimum=p_star, minimum_value=J_star, ax=ax_land)
    colours = [lv.plot.COLOURS["mini_batch"], lv.plot.COLOURS["full_batch"], lv.plot.COLOURS["online"]]
    for r, (colour, width) in enumerate(zip(colours, (1.2, 1.2, 3.0), strict=True)):
        lv.plot.trajectory(
            gd_runs.path(r), ax=ax_land, color=colour, linewidth=width, label=f"η = {gd_runs.lr[r]:.2f}"
        )
    ax_land.legend(loc="lower left", fontsize="small")
    ax_land.set_title("gradient descent, 100 updates")
    stability_scan(
        lrs, ratio, np.abs(1 - lrs * lam_max) ** n, threshold=2 / lam_max, ax=ax_scan, ylabel="error growth"
    )
    ax_scan.set_title("where it stops converging")
    return fig


def _lesson_12() -> Figure:
    from lossviz.optim.sgd import run_sgd
    from lossviz.plot import network as nplot
    from lossviz.topics import network as nw

    data = nw.make_network_churn(m_train=300, m_held_out=2000, seed=0)
    net = nw.MLP(n_inputs=3, n_hidden=4)
    problem = nw.NetworkProblem(net, data.x_train, data.y_train, lam=1e-3)
    gd = run_sgd(problem, net.init_params(seed=0), batch_size=problem.m, lr=0.5, n_updates=3000, seeds=[0])
    theta_star = gd.final_params[0]
    directions = nw.filter_normalised_directions(net, theta_star, seed=0)
    steps = np.linspace(-1, 1, 51)
    J_random = nw.cost_slice(problem, theta_star, directions, steps, steps)
    plane = nw.trajectory_plane(gd.path(0))
    pc1, pc2 = nw.path_window(plane.coords)
    J_plane = nw.cost_slice(problem, plane.centre, plane.directions, pc1, pc2)
    fig, axes = _figure(2)
    nplot.cost_slice_contours(steps, steps, J_random, ax=axes[0, 0])
    nplot.cost_slice_contours(
        pc1,
        pc2,
        J_plane,
        path=plane.coords,
        ax=axes[0, 1],
        xlabel="1st principal direction",
        ylabel="2nd principal direction",
    )
    axes[0, 0].set_title("random directions")
    axes[0, 1].set_title("the plane of the path")
    return fig


SLIDES: dict[str, Slide] = {
    s.lesson: s
    for s in [
        Slide(
            "01",
            "Loss, cost, objective",
            "Each sample's loss on its label's curve; the cost is their mean.",
            _lesson_01,
        ),
        Slide(
            "02",
            "The gradient of the cost",
            "Mini-batch gradients scatter around the gradient of J, closer as B grows.",
            _lesson_02,
        ),
        Slide(
            "03",
            "The cost landscape",
            "An uncentred feature makes a long valley; standardising it makes a round bowl.",
            _lesson_03,
        ),
        Slide(
            "04",
            "Full batch, mini-batch, online",
            "Three runs from the same start with the same learning rate: the noise comes from the batch.",
            _lesson_04,
        ),
        Slide(
            "05",
            "Reading a loss curve",
            "The log prints each mini-batch's loss; J on the whole training set is far smoother.",
            _lesson_05,
        ),
        Slide(
            "06",
            "The post's five questions",
            "Question 1: against simulated seconds, the mini-batch reaches the target first.",
            _lesson_06,
        ),
        Slide(
            "07",
            "Class imbalance",
            "Held out: plain BCE misses most churners; weighting finds them, at a price in precision.",
            _lesson_07,
        ),
        Slide(
            "08",
            "Overfitting",
            "Over 40 training sets of 20: training cost falls with the degree, validation cost rises.",
            _lesson_08,
        ),
        Slide(
            "09",
            "Batch size and time",
            "The same runs against updates, examples seen and simulated time: the winner changes.",
            _lesson_09,
        ),
        Slide(
            "10",
            "Sharp and flat minima",
            "The same model in another parameter: the sharp basin becomes the flat one.",
            _lesson_10,
        ),
        Slide(
            "11",
            "Optimisers on the landscape",
            "Gradient descent zigzags across the valley and stops converging at 2/λ_max.",
            _lesson_11,
        ),
        Slide(
            "12",
            "A network's landscape",
            "A small network's cost along random directions and in the plane of its path.",
            _lesson_12,
        ),
    ]
}
"""Lesson number (``"01"`` ... ``"12"``) -> its slide."""


def draw(lesson: str) -> Figure:
    """The figure of one lesson's slide, drawn under the course style with projector fonts.

    Parameters
    ----------
    lesson : str
        ``"01"`` ... ``"12"``.

    Raises
    ------
    ValueError
        If ``lesson`` is not a key of :data:`SLIDES`.
    """
    if lesson not in SLIDES:
        raise ValueError(f"lesson must be one of {sorted(SLIDES)}, got {lesson!r}")
    with lv.plot.course_style(projector=True), plt.ioff():
        fig = SLIDES[lesson].draw()
        fig.set_size_inches(*SLIDE_INCHES)
        fig.canvas.draw()  # lays the figure out: every text has its final size
    return fig


def smallest_text_pt(fig: Figure) -> float:
    """The smallest font size, in points, of any visible, non-empty text in ``fig``."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure() is not None
    ]
    if not sizes:
        raise ValueError("the figure draws no text")
    return float(min(sizes))


def png(fig: Figure) -> bytes:
    """``fig`` as a PNG at :data:`PNG_DPI` (the whole figure, no cropping: its size is known)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()


def slide_html(lesson: str) -> str:
    """The HTML of one slide: its title, the figure as an ``<img>`` and the caption.

    The ``<img>`` carries what the page needs to work out its text's size on the screen:
    ``data-natural-width`` (CSS px at :data:`lossviz.plot.style.DPI`) and ``data-min-text-px``
    (the smallest text at that width, in px).
    """
    fig = draw(lesson)
    try:
        data = base64.b64encode(png(fig)).decode("ascii")
        natural_w, natural_h = (round(v * style.DPI) for v in fig.get_size_inches())
        min_px = smallest_text_pt(fig) * style.DPI / 72
    finally:
        plt.close(fig)
    slide = SLIDES[lesson]
    return (
        f'<div class="lossviz-slide" data-lesson="{lesson}">'
        f'<h2 class="lossviz-slide-title">Lesson {lesson} · {html.escape(slide.title)}</h2>'
        f'<img class="lossviz-slide-figure" alt="{html.escape(slide.caption)}" '
        f'width="{natural_w}" height="{natural_h}" data-natural-width="{natural_w}" '
        f'data-min-text-px="{min_px:.2f}" src="data:image/png;base64,{data}">'
        f'<p class="lossviz-slide-caption">{html.escape(slide.caption)}</p>'
        "</div>"
    )


def lesson_from_query(query: str) -> str:
    """The lesson a dashboard's query string asks for (``lesson=07``), else the first one.

    Voilà passes the page's query string to the kernel as ``QUERY_STRING``; the landing page links
    each lesson as ``figures.ipynb?lesson=NN``. An unknown lesson falls back to the first.
    """
    values = urllib.parse.parse_qs(query or "").get("lesson", [])
    return values[0] if values and values[0] in SLIDES else next(iter(SLIDES))


def deck(query: str = ""):
    """The slides as one widget: a button per lesson, previous and next, the current slide.

    Each slide is drawn the first time it is shown and kept. The root carries the CSS class
    ``lossviz-deck``; the buttons' row ``lossviz-deck-nav``; the slide ``lossviz-deck-slide``.
    """
    import ipywidgets as widgets

    lessons = list(SLIDES)
    drawn: dict[str, str] = {}

    def html_of(lesson: str) -> str:
        if lesson not in drawn:
            drawn[lesson] = slide_html(lesson)
        return drawn[lesson]

    first = lesson_from_query(query)
    picker = widgets.ToggleButtons(options=lessons, value=first, tooltips=[SLIDES[n].title for n in lessons])
    picker.add_class("lossviz-deck-picker")
    back = widgets.Button(description="◀", tooltip="previous lesson")
    forward = widgets.Button(description="▶", tooltip="next lesson")
    back.add_class("lossviz-deck-back")
    forward.add_class("lossviz-deck-next")
    view = widgets.HTML(html_of(first))
    view.add_class("lossviz-deck-slide")

    def show(change) -> None:
        view.value = html_of(change["new"])

    def step(by: int) -> None:
        picker.value = lessons[(lessons.index(picker.value) + by) % len(lessons)]

    picker.observe(show, names="value")
    back.on_click(lambda _: step(-1))
    forward.on_click(lambda _: step(1))
    nav = widgets.HBox([back, picker, forward])
    nav.add_class("lossviz-deck-nav")
    root = widgets.VBox([nav, view])
    root.add_class("lossviz-deck")
    return root


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "slides")
    folder.mkdir(parents=True, exist_ok=True)
    for lesson in SLIDES:
        fig = draw(lesson)
        (folder / f"lesson_{lesson}.png").write_bytes(png(fig))
        pt = smallest_text_pt(fig)
        print(f"lesson {lesson}: smallest text {pt:.1f} pt = {pt * style.DPI / 72:.1f} px at natural size")
        plt.close(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
