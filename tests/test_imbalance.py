"""Tests of lossviz.topics.imbalance, its plots and its explorer: the imbalanced churn set, cost shares,
minority metrics."""

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import lossviz as lv


@pytest.fixture(scope="module")
def imbalanced():
    x, y = lv.imbalance.make_imbalanced_churn(400, positive_rate=0.1, seed=3)
    xt, yt = lv.imbalance.make_imbalanced_churn(4000, positive_rate=0.1, seed=4)
    return x, y, xt, yt


# ---------------------------------------------------------------- the data
def test_imbalanced_churn_has_the_requested_counts_and_is_reproducible():
    x, y = lv.imbalance.make_imbalanced_churn(1000, positive_rate=0.05, seed=0)
    assert x.shape == y.shape == (1000,)
    assert int(y.sum()) == 50 and set(np.unique(y)) == {0.0, 1.0}
    x2, y2 = lv.imbalance.make_imbalanced_churn(1000, positive_rate=0.05, seed=0)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)


def test_imbalanced_churn_only_shifts_the_prior():
    # Every sample comes from make_churn's pool with its own label: the class-conditional
    # bills are those of make_churn, whatever the rate.
    pool_x, pool_y = lv.make_churn(3 * 500, seed=7)
    for rate in (0.02, 0.3):
        x, y = lv.imbalance.make_imbalanced_churn(500, positive_rate=rate, seed=7)
        lookup = dict(zip(pool_x.tolist(), pool_y.tolist()))
        assert all(lookup[a] == b for a, b in zip(x.tolist(), y.tolist()))


def test_raising_the_rate_keeps_the_churners_already_there():
    x1, y1 = lv.imbalance.make_imbalanced_churn(600, positive_rate=0.05, seed=2)
    x2, y2 = lv.imbalance.make_imbalanced_churn(600, positive_rate=0.2, seed=2)
    assert set(x1[y1 == 1].tolist()) <= set(x2[y2 == 1].tolist())
    assert set(x2[y2 == 0].tolist()) <= set(x1[y1 == 0].tolist())


def test_a_pool_that_runs_short_is_grown():
    _x, y = lv.imbalance.make_imbalanced_churn(10, positive_rate=0.9, seed=0)
    assert int(y.sum()) == 9


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"positive_rate": 0.0}, ValueError, r"positive_rate must be in \(0, 1\]"),
        ({"positive_rate": 1.2}, ValueError, r"positive_rate must be in \(0, 1\]"),
        ({"positive_rate": 0.0001}, ValueError, "both classes"),
        ({"positive_rate": 1.0}, ValueError, "both classes"),
        ({"positive_rate": "5%"}, TypeError, "positive_rate must be a real number"),
        ({"m": 1}, ValueError, "m must be >= 2"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
    ],
)
def test_imbalanced_churn_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        lv.imbalance.make_imbalanced_churn(**{"m": 100, **kwargs})


def test_balancing_weights():
    y = np.array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0])
    assert lv.imbalance.balancing_pos_weight(y) == 4.0
    assert lv.imbalance.balancing_alpha(y) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="both classes"):
        lv.imbalance.balancing_pos_weight([0, 0, 0])
    with pytest.raises(ValueError, match="hard labels"):
        lv.imbalance.balancing_pos_weight([0, 0.5, 1])


# ---------------------------------------------------------------- cost shares
def test_cost_shares_at_the_start_are_the_class_shares():
    x, y = lv.imbalance.make_imbalanced_churn(200, positive_rate=0.05, seed=1)
    np.testing.assert_allclose(lv.imbalance.class_cost_shares((0, 0), x, y), [0.95, 0.05], rtol=1e-12)
    # pos_weight = n-/n+ gives both classes half of the cost at the start
    pw = lv.imbalance.balancing_pos_weight(y)
    np.testing.assert_allclose(
        lv.imbalance.class_cost_shares((0, 0), x, y, loss=lv.WeightedBCE(pw)), [0.5, 0.5], rtol=1e-12
    )


def test_cost_shares_match_the_per_sample_losses(imbalanced):
    x, y, _, _ = imbalanced
    params = (1.7, -2.2)
    losses = lv.per_sample_losses(params, x, y)
    shares = lv.imbalance.class_cost_shares(params, x, y)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[1] == pytest.approx(losses[y == 1].sum() / losses.sum(), rel=1e-12)


def test_mean_prediction_equals_the_churn_rate_at_the_bce_minimiser(imbalanced):
    # The b-component of the gradient is mean(ŷ - y): zero at the minimiser.
    x, y, _, _ = imbalanced
    p = lv.minimise(x, y)
    assert lv.predict(p, x).mean() == pytest.approx(y.mean(), abs=1e-10)


# ---------------------------------------------------------------- metrics
def test_class_metrics_count_by_hand():
    # w = 1, b = 0: ŷ >= 0.5 exactly when x >= 0
    x = np.array([-2.0, -1.0, 0.5, 1.0, 2.0, -0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    mt = lv.imbalance.class_metrics((1.0, 0.0), x, y)
    assert mt.recall == pytest.approx(2 / 3)
    assert mt.precision == pytest.approx(2 / 3)
    assert mt.false_positive_rate == pytest.approx(1 / 3)
    assert mt.accuracy == pytest.approx(4 / 6)
    assert mt.n_predicted_positive == 3


def test_threshold_moves_the_decision():
    x = np.array([-2.0, -1.0, 0.5, 1.0, 2.0, -0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    low = lv.imbalance.class_metrics((1.0, 0.0), x, y, threshold=1 / (1 + math.e**2.5))  # x >= -2.5
    assert low.recall == 1.0 and low.false_positive_rate == 1.0


def test_precision_is_none_when_nothing_is_predicted_positive():
    mt = lv.imbalance.class_metrics((0.0, -10.0), [1.0, 2.0], [0.0, 1.0])
    assert mt.precision is None and mt.recall == 0.0 and mt.n_predicted_positive == 0


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"threshold": 0.0}, ValueError, r"threshold must be in \(0, 1\)"),
        ({"threshold": 1.0}, ValueError, r"threshold must be in \(0, 1\)"),
        ({"threshold": None}, TypeError, "threshold must be a real number"),
    ],
)
def test_class_metrics_rejects_bad_thresholds(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        lv.imbalance.class_metrics((1, 0), [0.0, 1.0], [0.0, 1.0], **kwargs)


def test_class_metrics_needs_both_classes_and_hard_labels():
    with pytest.raises(ValueError, match="both classes"):
        lv.imbalance.class_metrics((1, 0), [0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="hard labels, 0 or 1"):
        lv.imbalance.class_metrics((1, 0), [0.0, 1.0], [0.2, 1.0])


# ---------------------------------------------------------------- fitting each loss
def test_fit_losses_reproduces_minimise_and_class_metrics(imbalanced):
    x, y, xt, yt = imbalanced
    losses = [lv.BCE, lv.WeightedBCE(lv.imbalance.balancing_pos_weight(y)), lv.FocalLoss(2.0)]
    fits = lv.imbalance.fit_losses(losses, x, y, xt, yt)
    assert [f.loss for f in fits] == losses
    for f in fits:
        np.testing.assert_allclose(f.params, lv.minimise(x, y, loss=f.loss), rtol=1e-10)
        assert f.metrics == lv.imbalance.class_metrics(f.params, xt, yt)
        assert f.decision_bill == pytest.approx(-f.params[1] / f.params[0])


def test_weighting_raises_minority_recall_and_matches_moving_the_threshold(imbalanced):
    x, y, xt, yt = imbalanced
    pw = lv.imbalance.balancing_pos_weight(y)
    bce, weighted = lv.imbalance.fit_losses([lv.BCE, lv.WeightedBCE(pw)], x, y, xt, yt)
    assert weighted.metrics.recall > bce.metrics.recall + 0.3
    moved = lv.imbalance.class_metrics(bce.params, xt, yt, threshold=1 / (1 + pw))
    assert moved.recall == pytest.approx(weighted.metrics.recall, abs=0.05)
    assert moved.false_positive_rate == pytest.approx(weighted.metrics.false_positive_rate, abs=0.05)


def test_alpha_balanced_focal_moves_the_boundary_like_pos_weight(imbalanced):
    x, y, xt, yt = imbalanced
    losses = [
        lv.BCE,
        lv.FocalLoss(2.0),
        lv.WeightedBCE(lv.imbalance.balancing_pos_weight(y)),
        lv.FocalLoss(2.0, alpha=lv.imbalance.balancing_alpha(y)),
    ]
    fits = lv.imbalance.fit_losses(losses, x, y, xt, yt)
    bills = [f.decision_bill for f in fits]
    assert bills[1] == pytest.approx(bills[0], abs=0.1)  # γ alone: boundary stays
    assert bills[3] == pytest.approx(bills[2], abs=0.1)  # α does the moving
    assert bills[2] < bills[0] - 0.3


def test_format_loss_table_has_a_row_per_loss(imbalanced):
    x, y, xt, yt = imbalanced
    fits = lv.imbalance.fit_losses([lv.BCE, lv.FocalLoss(1.0)], x, y, xt, yt)
    lines = lv.imbalance.format_loss_table(fits, digits=3).splitlines()
    assert len(lines) == 4
    assert lines[2].startswith("bce ") and lines[3].startswith("focal(gamma=1)")
    assert f"{fits[0].metrics.recall:.3f}" in lines[2]
    with pytest.raises(ValueError, match="fits must hold at least 1 item"):
        lv.imbalance.format_loss_table([])
    with pytest.raises(TypeError, match="LossFit"):
        lv.imbalance.format_loss_table([fits[0], "bce"])


def test_fit_losses_rejects_bad_input(imbalanced):
    x, y, xt, yt = imbalanced
    with pytest.raises(ValueError, match=r"losses must hold at least 1 item"):
        lv.imbalance.fit_losses([], x, y, xt, yt)
    with pytest.raises(TypeError, match=r"losses\[0\] must be a LogitLoss"):
        lv.imbalance.fit_losses(["bce"], x, y, xt, yt)


# ---------------------------------------------------------------- drawing
def test_drawing_functions_return_their_axes(imbalanced):
    x, y, xt, yt = imbalanced
    fits = lv.imbalance.fit_losses([lv.BCE, lv.WeightedBCE(9.0)], x, y, xt, yt)
    w, b = np.linspace(0, 5, 12), np.linspace(-6, 0, 10)
    J = lv.cost_grid(x, y, w, b)
    points = {"BCE": fits[0].params, "weighted": fits[1].params}
    roles = [lv.plot.loss_role(f.loss) for f in fits]
    ax = lv.plot.cost_landscape(w, b, J)
    assert lv.plot.minimisers(points, roles=roles, highlight="BCE", ax=ax) is ax
    assert len(ax.lines) == 2 and ax.lines[0].get_markerfacecolor() != "none"
    assert ax.lines[1].get_markerfacecolor() == "none"
    assert ax.lines[1].get_marker() == lv.plot.MARKERS["weighted_bce"]
    ax = lv.plot.fitted_probabilities(x, y, fits, labels=["a", "b"])
    assert [ln.get_label() for ln in ax.lines[:2]] == ["a", "b"]
    assert ax.lines[1].get_color() == lv.plot.COLOURS["weighted_bce"]
    ax = lv.plot.minority_scores(fits)
    assert len(ax.containers) == 3
    assert ax.containers[0].patches[1].get_height() == pytest.approx(fits[1].metrics.recall)


def test_each_loss_has_its_role():
    assert lv.plot.loss_role(lv.BCE) == "bce"
    assert lv.plot.loss_role(lv.WeightedBCE(3.0)) == "weighted_bce"
    assert lv.plot.loss_role(lv.FocalLoss(1.0)) == "focal"
    assert lv.plot.loss_role(lv.FocalLoss(1.0, alpha=0.5)) == "focal_alpha"
    with pytest.raises(TypeError, match="loss must be"):
        lv.plot.loss_role("bce")


def test_drawing_functions_reject_bad_arguments(imbalanced):
    x, y, xt, yt = imbalanced
    with pytest.raises(ValueError, match="highlight must be one of"):
        lv.plot.minimisers({"a": (1, 1)}, highlight="b")
    with pytest.raises(ValueError, match="roles must name one role per series"):
        lv.plot.minimisers({"a": (1, 1)}, roles=["bce", "focal"])
    with pytest.raises(ValueError, match=r"roles\[0\] must be one of"):
        lv.plot.minimisers({"a": (1, 1)}, roles=["no such role"])
    fits = lv.imbalance.fit_losses([lv.BCE], x, y, xt, yt)
    with pytest.raises(ValueError, match="labels must have 1 entries"):
        lv.plot.minority_scores(fits, labels=["a", "b"])
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        lv.plot.minority_scores(fits, ax="left")


# ---------------------------------------------------------------- the explorer
@pytest.fixture
def ipympl_backend():
    old = matplotlib.get_backend()
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.close("all")
    plt.switch_backend(old)


# ipympl's Toolbar passes an argument traitlets no longer wants (a library matter, not ours).
@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning")
def test_explorer_sliders_refit_only_what_they_change(ipympl_backend):
    ex = lv.interactive.ImbalanceExplorer(m=300, m_test=3000, positive_rate=0.1, gamma=2.0, seed=5)
    before = list(ex.fits)
    ex.gamma_slider.value = 4.0
    assert ex.fits[0] is before[0] and ex.fits[1] is before[1]
    assert ex.fits[2].loss == lv.FocalLoss(4.0) and ex.fits[3].loss.gamma == 4.0
    for k, fit in enumerate(ex.fits):
        line = ex.ax_fit.lines[k]
        w, b = fit.params
        # the line is a layer drawn by the browser from float32 buffers, and the artist holds those values
        np.testing.assert_allclose(line.get_ydata(), 1 / (1 + np.exp(-(w * line.get_xdata() + b))), rtol=1e-5)
        assert ex.ax_bars.containers[0].patches[k].get_height() == pytest.approx(fit.metrics.recall)

    ex.rate_slider.value = 0.02
    assert int(ex.y.sum()) == 6 and "6 churners of 300" in ex.ax_fit.get_title()
    assert ex.fits[1].loss == lv.WeightedBCE(294 / 6)
    assert ex.fits[0].metrics == lv.imbalance.class_metrics(ex.fits[0].params, ex.x_test, ex.y_test)
    assert ex.ax_fit.collections[1].get_offsets().shape == (6, 2)


@pytest.mark.parametrize("bad", [None, float("nan"), "0.1", True, 0.07, 0.6, -1.0])
def test_explorer_refuses_bad_slider_values_and_keeps_working(bad):
    # issue 10, item 5: a refused value leaves the explorer exactly as it was
    from traitlets import TraitError

    ex = lv.interactive.ImbalanceExplorer(m=300, m_test=1000, positive_rate=0.1, gamma=2.0, seed=5)
    try:
        fits, text = list(ex.fits), repr(ex)
        with pytest.raises(TraitError, match="churn rate must be"):
            ex.rate_slider.value = bad
        if bad not in (0.07, 0.6):  # valid values of γ
            with pytest.raises(TraitError, match="focal γ must be"):
                ex.gamma_slider.value = bad
        assert ex.fits == fits and repr(ex) == text and ex.error == ""
        ex.gamma_slider.value = 1.0
        assert ex.fits[2].loss == lv.FocalLoss(1.0) and repr(ex).endswith("gamma=1)")
    finally:
        ex.close()


def test_explorer_rejects_rates_off_its_slider():
    with pytest.raises(ValueError, match="positive_rate must be one of"):
        lv.interactive.ImbalanceExplorer(positive_rate=0.07)


@pytest.mark.parametrize(("rate", "gamma"), [(0.05, 2.0), (0.2, 5.0)])
def test_explorer_static_picture_fits_the_column_and_keeps_its_text_inside(rate, gamma):
    # issue 11: the stored PNG is at most the column's width (tests/test_figures.py), and the
    # bars' legend and tick labels stay inside the picture and do not overlap
    import itertools
    import struct

    from lossviz.plot.style import COLUMN_PX

    with matplotlib.rc_context():
        lv.plot.use_course_style()  # the lessons' style
        ex = lv.interactive.ImbalanceExplorer(positive_rate=rate, gamma=gamma)
    try:
        png = ex.canvas.static_png()
        width = struct.unpack(">I", png[16:20])[0]
        assert width <= COLUMN_PX, width
        metadata = ex._repr_mimebundle_()[1]
        assert metadata["image/png"]["width"] <= COLUMN_PX
        fig = ex.fig
        renderer = fig.canvas.get_renderer()
        page = fig.bbox
        legend = ex.ax_bars.get_legend().get_window_extent(renderer)
        assert page.x0 <= legend.x0 and legend.x1 <= page.x1, (legend, page)
        assert ex.ax_bars.bbox.x0 <= legend.x0 and legend.x1 <= ex.ax_bars.bbox.x1
        ticks = [t.get_window_extent(renderer) for t in ex.ax_bars.get_xticklabels()]
        for left, right in itertools.pairwise(ticks):
            assert left.x1 <= right.x0, (left, right)
        assert ticks[-1].x1 <= page.x1
        notes = sorted((t.get_window_extent(renderer) for t in ex.ax_bars.texts), key=lambda b: b.x0)
        for left, right in itertools.pairwise(notes):  # the bars' value labels, side by side
            assert left.x1 <= right.x0 or left.y1 <= right.y0 or right.y1 <= left.y0, (left, right)
    finally:
        ex.close()


def _background(ex):
    from PIL import Image

    return np.asarray(Image.open(__import__("io").BytesIO(ex.canvas.background)).convert("RGBA")).copy()


@pytest.mark.parametrize(("rate", "gamma"), [(0.1, 4.0), (0.02, 2.0), (0.3, 0.5)])
def test_explorer_redraws_over_kept_pixels_exactly_as_a_whole_rendering(rate, gamma):
    # issue 11: a change lays the figure out again only when its shape changed, and draws the
    # bars, the title, the legend and the samples over the kept rest; the picture is the same
    kwargs = {"m": 300, "m_test": 1000, "seed": 5}
    ex = lv.interactive.ImbalanceExplorer(positive_rate=0.1, gamma=2.0, **kwargs)
    fresh = None
    try:
        ex.canvas.css_width = 860  # as a notebook column reports it (narrower: layout collapses)
        runs = ex._layout.runs
        ex.gamma_slider.value = 3.0
        ex.rate_slider.value = rate
        ex.gamma_slider.value = gamma
        assert ex._layout.runs - runs <= 1  # (when a loss name wraps to another line)
        drawn = _background(ex)
        ex.canvas.redraw()  # everything drawn again
        np.testing.assert_array_equal(drawn, _background(ex))
        # and the layout kept is the one a new explorer at these settings makes
        fresh = lv.interactive.ImbalanceExplorer(positive_rate=rate, gamma=gamma, **kwargs)
        fresh.canvas.css_width = 860
        for mine, theirs in zip(ex.fig.axes, fresh.fig.axes):
            np.testing.assert_allclose(mine.get_position().bounds, theirs.get_position().bounds, atol=1e-9)
    finally:
        ex.close()
        if fresh is not None:
            fresh.close()


def test_explorer_lays_out_again_when_its_size_changes():
    ex = lv.interactive.ImbalanceExplorer(m=300, m_test=1000, seed=5)
    try:
        ex.canvas.css_width = 860
        runs = ex._layout.runs
        ex.gamma_slider.value = 3.0
        assert ex._layout.runs == runs and ex._changing() is not None
        ex.canvas.css_width = 640  # another column width: the layout runs for it
        assert ex._layout.runs == runs + 1
        ex.gamma_slider.value = 3.5
        assert ex._layout.runs == runs + 1
    finally:
        ex.close()


def test_explorer_prefetch_renders_the_neighbouring_stops_so_a_step_draws_nothing(monkeypatch):
    ex = lv.interactive.ImbalanceExplorer(m=300, m_test=1000, positive_rate=0.1, gamma=2.0, seed=5)
    try:
        ex.canvas.css_width = 860
        assert ex.prefetch() == 4  # γ ± 0.5 and the churn rates either side
        fits = list(ex.fits)
        renders = []
        render = ex.canvas._render
        monkeypatch.setattr(ex.canvas, "_render", lambda *a: renders.append(a) or render(*a))
        ex.gamma_slider.value = 2.5
        ex.gamma_slider.value = 1.5
        assert renders == []  # both pictures came from the cache
        ex.gamma_slider.value = 2.0  # shown at this width before the prefetch: rendered again
        renders.clear()
        ex.rate_slider.value = 0.05
        assert renders == []
        shown = _background(ex)
        ex.canvas.redraw()
        np.testing.assert_array_equal(_background(ex), shown)  # and it is the right one
        assert ex.fits[0] is not fits[0] and int(ex.y.sum()) == 15  # the data of 5 % churn
        ex.rate_slider.value = 0.1
        assert ex.fits[:2] == fits[:2] and ex.fits[0] is fits[0]  # made once per rate
    finally:
        ex.close()
