"""Tests of the drawing functions for the landscape, the paths, the cost curves and the gradient
cloud (lossviz.plot.core). plot.losses has its own tests (test_plot_losses.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

import lossviz as lv


@pytest.fixture(scope="module")
def landscape():
    x, y = lv.make_churn(m=200, seed=0)
    w = np.linspace(-0.5, 3.0, 30)
    b = np.linspace(-3.5, 0.5, 25)
    p = lv.minimise(x, y)
    return x, y, w, b, lv.cost_grid(x, y, w, b), p


def _n_segments(artists):
    return len(artists.contours.get_segments())


def test_cost_landscape_artists_draw_on_the_given_axes(landscape):
    x, y, w, b, J, p = landscape
    _fig, ax = plt.subplots()
    J_star = lv.objective_at(p, x, y)
    drawn = lv.plot.cost_landscape_artists(w, b, J, minimum=p, minimum_value=J_star, ax=ax, levels=7)
    assert isinstance(drawn, lv.plot.LandscapeArtists) and drawn.ax is ax
    assert drawn.image.axes is ax and drawn.contours.axes is ax and drawn.minimum.axes is ax
    assert drawn.image.get_array().shape == J.shape
    assert _n_segments(drawn) >= 7
    np.testing.assert_allclose(drawn.minimum.get_xydata()[0], p)
    assert ax.get_xlim() == (w[0], w[-1]) and ax.get_ylim() == (b[0], b[-1])
    assert ax.get_xlabel() == "weight $w$" and ax.get_ylabel() == "bias $b$"


def test_the_landscape_uses_the_one_level_scheme_and_a_colour_bar(landscape):
    x, y, w, b, J, p = landscape
    J_star = lv.objective_at(p, x, y)
    drawn = lv.plot.cost_landscape_artists(w, b, J, minimum_value=J_star, levels=6)
    levels = lv.plot.landscape_levels(J, 6, minimum=J_star)
    # the bands of the shading are bounded by those levels, as heights above J*
    np.testing.assert_allclose(drawn.image.norm.boundaries, np.concatenate([[0.0], levels - J_star]))
    np.testing.assert_allclose(drawn.image.get_array(), J - J_star)
    assert drawn.image.get_cmap().name == lv.plot.CMAP
    assert drawn.colorbar is not None and "J^*" in drawn.colorbar.ax.get_ylabel()
    # the lines are those of the same levels (contour_lines is tested against J in test_landscape.py)
    expected = [line for lines in lv.contour_lines(w, b, J, levels) for line in lines]
    drawn_lines = drawn.contours.get_segments()
    assert len(drawn_lines) == len(expected)
    for got, want in zip(drawn_lines, expected):
        np.testing.assert_allclose(got, want)


def test_cost_landscape_returns_its_axes(landscape):
    _, _, w, b, J, _ = landscape
    ax = lv.plot.cost_landscape(w, b, J, colorbar=False)
    assert isinstance(ax, Axes) and len(ax.figure.axes) == 1
    ax = lv.plot.cost_landscape(w, b, J)
    assert len(ax.figure.axes) == 2  # the panel and its colour bar


def test_update_cost_landscape_changes_the_artists_in_place(landscape):
    x, y, w, b, J, p = landscape
    _fig, ax = plt.subplots()
    drawn = lv.plot.cost_landscape_artists(w, b, J, minimum=p, ax=ax)
    children = len(ax.get_children())
    before_image = drawn.image.get_array().copy()
    before_segments = [s.copy() for s in drawn.contours.get_segments()]
    lam = 0.5
    p_lam = lv.minimise(x, y, lam)
    J_lam = J + lv.penalty_grid(w, b.size, lam)
    again = lv.plot.update_cost_landscape(drawn, w, b, J_lam, minimum=p_lam)
    assert again is drawn
    assert len(ax.get_children()) == children  # nothing added or removed
    assert not np.allclose(drawn.image.get_array(), before_image)
    np.testing.assert_allclose(drawn.image.norm.boundaries[1:], lv.plot.landscape_levels(J_lam) - J_lam.min())
    after = drawn.contours.get_segments()
    assert len(after) != len(before_segments) or any(
        s.shape != t.shape or not np.allclose(s, t) for s, t in zip(after, before_segments)
    )
    np.testing.assert_allclose(drawn.minimum.get_xydata()[0], p_lam)


def test_landscape_functions_reject_bad_grids(landscape):
    _, _, w, b, J, _ = landscape
    with pytest.raises(ValueError, match=r"J must have shape \(len\(b_values\), len\(w_values\)\)"):
        lv.plot.cost_landscape(w, b, J.T)
    with pytest.raises(ValueError, match="b_values must be strictly increasing"):
        lv.plot.cost_landscape(w, b[::-1], J)
    with pytest.raises(ValueError, match="levels must be strictly increasing"):
        lv.plot.cost_landscape(w, b, J, levels=[3.0, 2.0])
    with pytest.raises(ValueError, match="levels must lie above the minimum"):
        lv.plot.cost_landscape(w, b, J, levels=[J.min() - 1, J.max()])
    with pytest.raises(ValueError, match="minimum must be"):
        lv.plot.cost_landscape(w, b, J, minimum=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        lv.plot.cost_landscape(w, b, J, ax="left")
    with pytest.raises(TypeError, match="colorbar must be True or False"):
        lv.plot.cost_landscape(w, b, J, colorbar="yes")
    drawn = lv.plot.cost_landscape_artists(w, b, J)
    with pytest.raises(ValueError, match="J must have the shape"):
        lv.plot.update_cost_landscape(drawn, w[:-1], b, J[:, :-1])
    with pytest.raises(TypeError, match="artists must be"):
        lv.plot.update_cost_landscape(drawn.ax, w, b, J)


def test_trajectory_draws_the_path_and_its_start_in_its_role():
    P = np.array([[0.0, 0.0], [0.5, -0.2], [0.9, -0.6]])
    _fig, ax = plt.subplots()
    assert lv.plot.trajectory(P, ax=ax, label="run", role="mini_batch") is ax
    line, start = ax.lines
    np.testing.assert_array_equal(line.get_xydata(), P)
    assert line.get_label() == "run"
    assert line.get_color() == lv.plot.COLOURS["mini_batch"] and line.get_linestyle() == "--"
    assert start.get_marker() == "o" and tuple(start.get_xydata()[0]) == (0.0, 0.0)
    _fig2, ax2 = plt.subplots()
    lv.plot.trajectory(P, ax=ax2, start_marker=False, role="online", color="#000000")
    assert len(ax2.lines) == 1 and ax2.lines[0].get_color() == "#000000"  # the colour overrides the role's
    with pytest.raises(ValueError, match=r"params must have shape \(n, 2\)"):
        lv.plot.trajectory(P.T, ax=ax)
    with pytest.raises(ValueError, match="role must be one of"):
        lv.plot.trajectory(P, role="rmsprop")


def test_cost_curve_against_updates_or_examples():
    costs = np.array([0.7, 0.65, 0.62, 0.61])
    _fig, ax = plt.subplots()
    lv.plot.cost_curve(costs, ax=ax, label="full batch", role="full_batch")
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_xdata(), np.arange(4))
    np.testing.assert_array_equal(line.get_ydata(), costs)
    assert ax.get_xlabel() == "updates" and line.get_color() == lv.plot.COLOURS["full_batch"]
    _fig2, ax2 = plt.subplots()
    seen = np.array([0, 32, 64, 96])
    lv.plot.cost_curve(costs, seen, ax=ax2)
    np.testing.assert_array_equal(ax2.lines[0].get_xdata(), seen)
    assert ax2.get_xlabel() == "examples seen"
    with pytest.raises(ValueError, match="costs and steps must have the same shape"):
        lv.plot.cost_curve(costs, seen[:3], ax=ax2)


def test_gradient_cloud_draws_every_sample_and_the_mean():
    x, y = lv.make_churn(m=50, seed=1)
    G = lv.per_sample_gradients((0.0, 0.0), x, y)
    _fig, ax = plt.subplots()
    assert lv.plot.gradient_cloud(G, ax=ax) is ax
    samples, mean = ax.collections
    assert samples.N == 50 and mean.N == 1
    np.testing.assert_allclose([mean.U[0], mean.V[0]], lv.gradient((0.0, 0.0), x, y))
    np.testing.assert_allclose(ax.lines[0].get_xydata()[0], lv.gradient((0.0, 0.0), x, y))
    np.testing.assert_allclose(samples.U, G[:, 0])


def test_gradient_cloud_of_batches_around_the_given_gradient():
    x, y = lv.make_churn(m=200, seed=1)
    g = lv.gradient((1.0, -1.0), x, y)
    batches = lv.minibatch_gradients((1.0, -1.0), x, y, 10, n_batches=30)
    _fig, ax = plt.subplots()
    lv.plot.gradient_cloud(batches, mean=g, ax=ax, limit=2.0, label="batches")
    samples, mean = ax.collections
    np.testing.assert_allclose([mean.U[0], mean.V[0]], g)
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-2.0, 2.0)
    assert samples.get_label() == "batches"
    with pytest.raises(ValueError, match="limit must be > 0"):
        lv.plot.gradient_cloud(batches, limit=0.0)
    with pytest.raises(ValueError, match="mean must be"):
        lv.plot.gradient_cloud(batches, mean=(1.0,))


def test_gradient_cloud_subsamples_arrows_but_not_the_mean():
    x, y = lv.make_churn(m=300, seed=1)
    G = lv.per_sample_gradients((1.0, -1.0), x, y)
    ax = lv.plot.gradient_cloud(G, max_arrows=40)
    samples, mean = ax.collections
    assert samples.N == 40
    np.testing.assert_allclose([mean.U[0], mean.V[0]], G.mean(axis=0))
    with pytest.raises(ValueError, match=r"gradients must have shape \(n, 2\)"):
        lv.plot.gradient_cloud(G[:, :1])
    with pytest.raises(ValueError, match="max_arrows must be >= 1"):
        lv.plot.gradient_cloud(G, max_arrows=0)


def test_loss_vs_prediction_draws_both_curves_and_the_samples_on_them():
    y, y_hat = lv.anchor_sample()
    ax = lv.plot.loss_vs_prediction(y, y_hat)
    one, zero = ax.lines[:2]
    p = one.get_xdata()
    np.testing.assert_allclose(one.get_ydata(), -np.log(p))  # an independent formula, not bce_loss
    np.testing.assert_allclose(zero.get_ydata(), -np.log1p(-p))
    points = [ln for ln in ax.lines[2:] if ln.get_linestyle() == "None"]
    drawn = np.vstack([ln.get_xydata() for ln in points])
    expected = np.column_stack([y_hat, np.where(y == 1, -np.log(y_hat), -np.log(1 - y_hat))])
    np.testing.assert_allclose(drawn[np.argsort(drawn[:, 0])], expected[np.argsort(expected[:, 0])])
    assert [t.get_text() for t in ax.texts] == ["1", "2", "3", "4", "5"]
    with pytest.raises(ValueError, match="y must be hard labels, 0 or 1"):
        lv.plot.loss_vs_prediction([0.5], [0.5])
    with pytest.raises(ValueError, match="y_hat must lie in"):
        lv.plot.loss_vs_prediction([1], [1.5])
