"""Tests of the drawing functions for the landscape, the paths, the cost curves and the gradient
cloud (lossviz.plot.core). plot.losses has its own tests (test_plot_losses.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

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


def test_plot_cost_landscape_draws_on_the_given_axes(landscape):
    x, y, w, b, J, p = landscape
    _fig, ax = plt.subplots()
    J_star = lv.objective_at(p, x, y)
    drawn = lv.plot.cost_landscape(w, b, J, minimum=p, minimum_value=J_star, ax=ax, levels=7)
    assert isinstance(drawn, lv.plot.LandscapeArtists)
    assert drawn.image.axes is ax and drawn.contours.axes is ax and drawn.minimum.axes is ax
    assert drawn.image.get_array().shape == J.shape
    assert _n_segments(drawn) >= 7
    np.testing.assert_allclose(drawn.minimum.get_xydata()[0], p)
    assert ax.get_xlim() == (w[0], w[-1]) and ax.get_ylim() == (b[0], b[-1])
    assert ax.get_xlabel() == "weight $w$" and ax.get_ylabel() == "bias $b$"


def test_plot_cost_landscape_makes_a_figure_when_no_axes(landscape):
    _, _, w, b, J, _ = landscape
    drawn = lv.plot.cost_landscape(w, b, J)
    assert drawn.minimum is None
    assert drawn.image.axes.figure is plt.gcf()


def test_update_cost_landscape_changes_the_artists_in_place(landscape):
    x, y, w, b, J, p = landscape
    _fig, ax = plt.subplots()
    drawn = lv.plot.cost_landscape(w, b, J, minimum=p, ax=ax)
    children = len(ax.get_children())
    before_image = drawn.image.get_array().copy()
    before_segments = [s.copy() for s in drawn.contours.get_segments()]
    lam = 0.5
    p_lam = lv.minimise(x, y, lam)
    again = lv.plot.update_cost_landscape(drawn, w, b, J + lv.penalty_grid(w, b.size, lam), minimum=p_lam)
    assert again.image is drawn.image and again.contours is drawn.contours
    assert len(ax.get_children()) == children  # nothing added or removed
    assert not np.allclose(drawn.image.get_array(), before_image)
    after = drawn.contours.get_segments()
    assert len(after) != len(before_segments) or any(
        s.shape != t.shape or not np.allclose(s, t) for s, t in zip(after, before_segments)
    )
    np.testing.assert_allclose(drawn.minimum.get_xydata()[0], p_lam)


def test_landscape_functions_reject_bad_grids(landscape):
    _, _, w, b, J, _ = landscape
    with pytest.raises(ValueError, match=r"J must have shape \(len\(b_values\), len\(w_values\)\)"):
        lv.plot.cost_landscape(w, b, J.T)
    with pytest.raises(ValueError, match="b_values must hold at least 2 increasing values"):
        lv.plot.cost_landscape(w, b[::-1], J)
    with pytest.raises(ValueError, match="levels must be increasing"):
        lv.plot.cost_landscape(w, b, J, levels=[3.0, 2.0])
    with pytest.raises(ValueError, match="minimum must be"):
        lv.plot.cost_landscape(w, b, J, minimum=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        lv.plot.cost_landscape(w, b, J, ax="left")
    drawn = lv.plot.cost_landscape(w, b, J)
    with pytest.raises(ValueError, match="J must have the shape"):
        lv.plot.update_cost_landscape(drawn, w[:-1], b, J[:, :-1])


def test_plot_trajectory_draws_the_path_and_its_start():
    P = np.array([[0.0, 0.0], [0.5, -0.2], [0.9, -0.6]])
    _fig, ax = plt.subplots()
    line = lv.plot.trajectory(P, ax=ax, label="run", color="C3")
    np.testing.assert_array_equal(line.get_xydata(), P)
    assert line.get_label() == "run" and line.axes is ax
    starts = [a for a in ax.lines if a is not line]
    assert len(starts) == 1 and starts[0].get_marker() == "o"
    _fig2, ax2 = plt.subplots()
    lv.plot.trajectory(P, ax=ax2, start_marker=False)
    assert len(ax2.lines) == 1
    with pytest.raises(ValueError, match=r"params must have shape \(n, 2\)"):
        lv.plot.trajectory(P.T, ax=ax)


def test_plot_cost_curve_against_updates_or_examples():
    costs = np.array([0.7, 0.65, 0.62, 0.61])
    _fig, ax = plt.subplots()
    line = lv.plot.cost_curve(costs, ax=ax, label="full batch")
    np.testing.assert_array_equal(line.get_xdata(), np.arange(4))
    np.testing.assert_array_equal(line.get_ydata(), costs)
    assert ax.get_xlabel() == "updates"
    _fig2, ax2 = plt.subplots()
    seen = np.array([0, 32, 64, 96])
    line2 = lv.plot.cost_curve(costs, seen, ax=ax2)
    np.testing.assert_array_equal(line2.get_xdata(), seen)
    assert ax2.get_xlabel() == "examples seen"
    with pytest.raises(ValueError, match="costs and steps must have the same shape"):
        lv.plot.cost_curve(costs, seen[:3], ax=ax2)


def test_plot_gradient_cloud_draws_every_sample_and_the_mean():
    x, y = lv.make_churn(m=50, seed=1)
    G = lv.per_sample_gradients((0.0, 0.0), x, y)
    _fig, ax = plt.subplots()
    drawn = lv.plot.gradient_cloud(G, ax=ax)
    assert isinstance(drawn, lv.plot.GradientCloudArtists)
    assert drawn.samples.N == 50 and drawn.mean.N == 1
    np.testing.assert_allclose([drawn.mean.U[0], drawn.mean.V[0]], lv.gradient((0.0, 0.0), x, y))
    np.testing.assert_allclose(drawn.tip.get_xydata()[0], lv.gradient((0.0, 0.0), x, y))
    np.testing.assert_allclose(drawn.samples.U, G[:, 0])


def test_plot_gradient_cloud_of_batches_around_the_given_gradient():
    x, y = lv.make_churn(m=200, seed=1)
    g = lv.gradient((1.0, -1.0), x, y)
    batches = lv.minibatch_gradients((1.0, -1.0), x, y, 10, n_batches=30)
    _fig, ax = plt.subplots()
    drawn = lv.plot.gradient_cloud(batches, mean=g, ax=ax, limit=2.0, label="batches")
    np.testing.assert_allclose([drawn.mean.U[0], drawn.mean.V[0]], g)
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-2.0, 2.0)
    assert drawn.samples.get_label() == "batches"
    with pytest.raises(ValueError, match="limit must be > 0"):
        lv.plot.gradient_cloud(batches, limit=0.0)
    with pytest.raises(ValueError, match="mean must be"):
        lv.plot.gradient_cloud(batches, mean=(1.0,))


def test_plot_gradient_cloud_subsamples_arrows_but_not_the_mean():
    x, y = lv.make_churn(m=300, seed=1)
    G = lv.per_sample_gradients((1.0, -1.0), x, y)
    drawn = lv.plot.gradient_cloud(G, max_arrows=40)
    assert drawn.samples.N == 40
    np.testing.assert_allclose([drawn.mean.U[0], drawn.mean.V[0]], G.mean(axis=0))
    with pytest.raises(ValueError, match=r"gradients must have shape \(n, 2\)"):
        lv.plot.gradient_cloud(G[:, :1])
    with pytest.raises(ValueError, match="max_arrows must be >= 1"):
        lv.plot.gradient_cloud(G, max_arrows=0)
