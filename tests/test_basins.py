"""Tests of lossviz.topics.basins (and lossviz.plot.basins): the two-basin toy, its reparametrisation and
the many-seed runs."""

import numpy as np
import pytest

import lossviz as lv


@pytest.fixture(scope="module")
def problem():
    return lv.basins.make_two_basin(m=200, noise=7.0, seed=0)


@pytest.fixture(scope="module")
def theta0(problem):
    return np.random.default_rng(1).uniform(*problem.span(), 300)


def test_the_cost_is_exactly_the_mean_of_the_per_sample_losses(problem):
    assert abs(problem.xi.mean()) < 1e-14
    assert problem.xi.std() == pytest.approx(7.0, rel=1e-12)
    for t in (-1.3, -0.2, 0.9, 2.0):
        assert problem.per_sample_losses(t).mean() == pytest.approx(float(problem.cost(t)), abs=1e-12)


def test_derivatives_match_finite_differences(problem):
    t = np.linspace(-2.0, 2.0, 41)
    h = 1e-5
    np.testing.assert_allclose(
        problem.cost_gradient(t), (problem.cost(t + h) - problem.cost(t - h)) / (2 * h), rtol=1e-6, atol=1e-7
    )
    np.testing.assert_allclose(
        problem.cost_curvature(t),
        (problem.cost_gradient(t + h) - problem.cost_gradient(t - h)) / (2 * h),
        rtol=1e-6,
        atol=1e-6,
    )


def test_two_minima_of_equal_depth_and_different_width(problem):
    s, r, f = problem.sharp_minimum, problem.ridge, problem.flat_minimum
    assert s < r < f
    np.testing.assert_allclose(problem.cost_gradient([s, r, f]), 0.0, atol=1e-10)
    h_s, h_r, h_f = problem.cost_curvature([s, r, f])
    assert h_r < 0 < h_f < h_s
    assert h_s / h_f > 20
    assert abs(float(problem.cost(s) - problem.cost(f))) < 1e-12
    lo, hi = problem.span()
    assert lo == pytest.approx(problem.sharp_centre - 3 * problem.sharp_width)
    assert hi == pytest.approx(problem.flat_centre + 3 * problem.flat_width)


def test_equal_depth_holds_with_a_strong_bowl_too():
    p = lv.basins.make_two_basin(bowl=0.2)
    assert p.sharp_depth > p.flat_depth  # the bowl lifts the outer sharp minimum more
    assert float(p.cost(p.sharp_minimum)) == pytest.approx(float(p.cost(p.flat_minimum)), abs=1e-12)


def test_make_two_basin_rejects_bad_shapes():
    with pytest.raises(ValueError, match="flat_width must exceed sharp_width"):
        lv.basins.make_two_basin(sharp_width=0.5, flat_width=0.2)
    with pytest.raises(ValueError, match=r"noise must be in \(0, "):
        lv.basins.make_two_basin(noise=0.0)
    with pytest.raises(ValueError, match="two basins separated by one ridge"):
        lv.basins.make_two_basin(sharp_width=1.0, flat_width=3.0)


# ---------------------------------------------------------------- the reparametrisation
def test_reparametrisation_is_a_smooth_increasing_bijection():
    r = lv.basins.Reparametrisation(left_slope=0.2, right_slope=5.0)
    theta = np.linspace(-3, 3, 61)
    np.testing.assert_allclose(r.theta(r.phi(theta)), theta, atol=1e-10)
    phi = np.linspace(-8, 2, 51)
    h = 1e-6
    np.testing.assert_allclose(r.slope(phi), (r.theta(phi + h) - r.theta(phi - h)) / (2 * h), rtol=1e-6)
    assert np.all(r.slope(phi) > 0)
    assert r.theta(0.0) == pytest.approx(0.0, abs=1e-15)
    assert r.slope(-20.0) == pytest.approx(0.2, rel=1e-6) and r.slope(20.0) == pytest.approx(5.0, rel=1e-6)


def test_curvature_at_a_minimum_scales_with_the_slope_squared(problem):
    r = lv.basins.Reparametrisation()
    for t in (problem.sharp_minimum, problem.flat_minimum):
        p = float(r.phi(t))
        h = 1e-4
        J = problem.cost
        d2 = (J(r.theta(p + h)) - 2 * J(r.theta(p)) + J(r.theta(p - h))) / h**2
        assert d2 == pytest.approx(float(problem.cost_curvature(t) * r.slope(p) ** 2), rel=1e-4)


def test_reparametrisation_rejects_bad_slopes():
    with pytest.raises(ValueError, match="left_slope must be >= 1e-06"):
        lv.basins.Reparametrisation(left_slope=0.0)


# ---------------------------------------------------------------- the runs
def test_full_batch_gd_ends_in_the_basin_it_started_in(problem, theta0):
    ends = lv.basins.run_basins(problem, theta0, batch_size=problem.m, lr=0.01, steps=10_000)
    started_sharp = theta0 < problem.ridge
    ended_sharp = ends < problem.ridge
    np.testing.assert_array_equal(started_sharp, ended_sharp)
    np.testing.assert_allclose(ends[ended_sharp], problem.sharp_minimum, atol=1e-6)
    np.testing.assert_allclose(ends[~ended_sharp], problem.flat_minimum, atol=1e-3)
    c = lv.basins.count_basins(problem, ends)
    assert c.sharp == int(started_sharp.sum()) and c.between == 0 and c.total == theta0.size
    # the same in φ: gradient descent's basins of attraction do not depend on the coordinates
    ends_phi = lv.basins.run_basins(
        problem, theta0, batch_size=problem.m, lr=0.01, steps=10_000, reparam=lv.basins.Reparametrisation()
    )
    assert lv.basins.count_basins(problem, ends_phi) == c


def test_small_batches_leave_the_sharp_basin_in_theta_and_the_other_in_phi(problem, theta0):
    def ends(**kw):
        return lv.basins.count_basins(problem, lv.basins.run_basins(problem, theta0, lr=0.01, **kw))

    gd = ends(batch_size=problem.m, steps=10_000)
    sgd = ends(batch_size=1, steps=6000, seed=2)
    sgd_phi = ends(batch_size=1, steps=6000, seed=2, reparam=lv.basins.Reparametrisation())
    assert sgd.sharp < 0.8 * gd.sharp
    assert sgd_phi.sharp_share > 0.9 and gd.sharp_share < 0.2


def test_count_basins_by_distance_to_each_minimum(problem):
    s, f = problem.sharp_minimum, problem.flat_minimum
    c = lv.basins.count_basins(problem, [s, s + 0.2, s + 0.4, f - 1.0, f + 2.0, problem.ridge])
    assert (c.sharp, c.flat, c.between) == (2, 1, 3)
    assert c.sharp_share == pytest.approx(2 / 6) and c.flat_share == pytest.approx(1 / 6)
    with pytest.raises(ValueError, match=r"within must be in \(0, "):
        lv.basins.count_basins(problem, [s], within=0)


def test_runs_are_reproducible_and_each_run_draws_its_own_batches(problem):
    start = np.full(50, 1.0)
    a = lv.basins.run_basins(problem, start, batch_size=4, lr=0.01, steps=200, seed=5)
    b = lv.basins.run_basins(problem, start, batch_size=4, lr=0.01, steps=200, seed=5)
    np.testing.assert_array_equal(a, b)
    assert np.unique(a).size == 50


def test_run_basins_rejects_bad_arguments(problem):
    with pytest.raises(ValueError, match="batch_size must be <= m = 200"):
        lv.basins.run_basins(problem, [0.0], batch_size=201, lr=0.01, steps=1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        lv.basins.run_basins(problem, [0.0], batch_size=1, lr=0.0, steps=1)
    with pytest.raises(TypeError, match="problem must be a TwoBasinProblem"):
        lv.basins.run_basins("toy", [0.0], batch_size=1, lr=0.01, steps=1)
    with pytest.raises(TypeError, match="reparam must be a Reparametrisation"):
        lv.basins.run_basins(problem, [0.0], batch_size=1, lr=0.01, steps=1, reparam=lambda t: t)
    with pytest.raises(ValueError, match="diverged: lower lr"):  # the bowl alone: θ ← (1 - 4)·θ
        lv.basins.run_basins(problem, [3.0], batch_size=problem.m, lr=200.0, steps=1000)


# ---------------------------------------------------------------- drawing
def test_drawing_functions_return_their_axes(problem, theta0):
    ax = lv.plot.two_basin(problem, n_samples=3)
    assert len(ax.lines) == 3 + 1 + 2 + 1
    ax = lv.plot.two_basin(problem, reparam=lv.basins.Reparametrisation())
    assert "φ" in ax.get_xlabel()
    ends = lv.basins.run_basins(problem, theta0, batch_size=problem.m, lr=0.01, steps=50)
    counts = lv.basins.count_basins(problem, ends)
    ax = lv.plot.basin_endpoints({"GD": counts})
    assert ax.patches[0].get_width() == pytest.approx(counts.sharp_share)
    assert ax.patches[2].get_width() == pytest.approx(counts.flat_share)
    with pytest.raises(ValueError, match="counts must hold at least 1 item"):
        lv.plot.basin_endpoints({})
    with pytest.raises(TypeError, match=r"counts\[.GD.\] must be a BasinCounts"):
        lv.plot.basin_endpoints({"GD": ends})  # final θ, not counts: the plot counts nothing
