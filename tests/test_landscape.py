"""Tests of lossviz.landscape: the grid of the objective, its minimum and shape, contour levels
and lines."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import lossviz as lv


@pytest.fixture(scope="module")
def data(churn_set):
    return churn_set(300, 2)


@pytest.fixture(scope="module")
def grid(data):
    x, y = data
    w = np.linspace(-1.0, 4.0, 41)
    b = np.linspace(-4.0, 1.0, 37)
    return w, b, lv.cost_grid(x, y, w, b)


# --- cost_grid ---------------------------------------------------------------------------------


def test_cost_grid_is_indexed_b_then_w(data, grid):
    x, y = data
    w, b, J = grid
    assert J.shape == (b.size, w.size)
    for i, j in [(0, 0), (5, 30), (36, 40), (20, 3)]:
        assert J[i, j] == pytest.approx(lv.objective_at((w[j], b[i]), x, y), rel=1e-12)


def test_grid_for_lambda_is_base_grid_plus_penalty(data, grid):
    x, y = data
    w, b, J = grid
    lam = 0.37
    J_lam = lv.cost_grid(x, y, w, b, lam)
    np.testing.assert_allclose(J_lam, J + lv.penalty_grid(w, b.size, lam), rtol=1e-13)
    np.testing.assert_allclose(lv.penalty_grid(w, b.size, lam)[0], lam / 2 * w**2)


def test_cost_grid_and_penalty_reject_bad_input(data):
    x, y = data
    with pytest.raises(ValueError, match="w_values must be 1-dimensional"):
        lv.cost_grid(x, y, np.ones((2, 2)), [0.0])
    with pytest.raises(ValueError, match="b_values must not be empty"):
        lv.cost_grid(x, y, [0.0], [])
    with pytest.raises(ValueError, match="lam must be >= 0"):
        lv.cost_grid(x, y, [0.0], [0.0], -1)
    with pytest.raises(ValueError, match="n_b must be >= 1"):
        lv.penalty_grid([0.0, 1.0], 0, 0.1)


# --- the minimum and the shape of the valley ----------------------------------------------------


@pytest.mark.parametrize("lam", [0.0, 0.01, 0.1, 1.0])
def test_minimise_finds_a_zero_of_the_gradient(data, lam):
    x, y = data
    p = lv.minimise(x, y, lam)
    assert np.linalg.norm(lv.gradient(p, x, y, lam)) < 1e-9
    # and it is the lowest point of a grid around it
    w = p[0] + np.linspace(-0.2, 0.2, 9)
    b = p[1] + np.linspace(-0.2, 0.2, 9)
    assert lv.objective_at(p, x, y, lam) <= lv.cost_grid(x, y, w, b, lam).min() + 1e-15


def test_penalty_pulls_the_minimum_towards_w_zero(data):
    x, y = data
    ws = [lv.minimise(x, y, lam)[0] for lam in (0.0, 0.01, 0.1, 1.0, 10.0)]
    assert all(a > b_ > 0 for a, b_ in itertools.pairwise(ws))


def test_churn_valley_is_elongated(churn):
    # the course's data set: a unique minimum in a long, narrow valley (lesson 03)
    x, y = churn
    p = lv.minimise(x, y)
    kappa = lv.condition_number(p, x, y)
    eig = np.linalg.eigvalsh(lv.hessian(p, x, y))
    assert kappa == pytest.approx(eig[-1] / eig[0])
    assert kappa > 20
    # the penalty adds λ to the Hessian's w-w entry and makes the valley rounder
    assert lv.condition_number(lv.minimise(x, y, 0.1), x, y, 0.1) < kappa


def test_default_window_holds_the_points():
    pts = np.array([[0.0, 0.0], [2.3, -2.7]])
    (w_lo, w_hi), (b_lo, b_hi) = lv.default_window(pts, margin=0.1)
    assert w_lo < 0.0 and w_hi > 2.3 and b_lo < -2.7 and b_hi > 0.0
    with pytest.raises(ValueError, match="points must have shape"):
        lv.default_window([[0.0, 1.0, 2.0]])


# --- contour levels and lines ---------------------------------------------------------------------


def test_contour_lines_lie_on_their_levels(data):
    x, y = data
    w = np.linspace(-1.0, 4.0, 121)
    b = np.linspace(-4.0, 1.0, 121)
    J = lv.cost_grid(x, y, w, b)
    levels = J.min() + (J.max() - J.min()) * np.geomspace(1e-3, 0.5, 5)  # inside the window
    lines = lv.contour_lines(w, b, J, levels)
    assert len(lines) == levels.size
    for level, level_lines in zip(levels, lines):
        assert level_lines, f"no line at level {level}"
        points = np.vstack(level_lines)
        assert points.shape[1] == 2
        values = np.array([lv.objective_at(p, x, y) for p in points[::7]])
        # linear interpolation on a 121 x 121 grid: close to the level, relative to the span
        np.testing.assert_allclose(values, level, atol=2e-3 * (J.max() - J.min()))


def test_contour_lines_reject_mismatched_shapes(grid):
    w, b, J = grid
    with pytest.raises(ValueError, match=r"J must have shape \(len\(b_values\), len\(w_values\)\)"):
        lv.contour_lines(w, b, J.T, [1.0])
    with pytest.raises(ValueError, match="w_values must be strictly increasing"):
        lv.contour_lines(w[::-1], b, J, [1.0])
    with pytest.raises(ValueError, match="w_values must have at least 2 elements"):
        lv.contour_lines(w[:1], b, J[:, :1], [1.0])


def test_minimise_says_when_separable_data_have_no_finite_minimum():
    x = np.array([0.1, 0.2, 0.3, 0.7, 0.8])
    y = np.array([0.0, 0.0, 0.0, 1.0, 1.0])
    with pytest.raises(RuntimeError, match="separable"):
        lv.minimise(x, y)
    # with a penalty the minimum is finite again
    p = lv.minimise(x, y, lam=0.1)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(lv.gradient(p, x, y, lam=0.1), 0.0, atol=1e-9)


# --- the lessons' set-up: a window, its grid and the cost on it; the largest stable step -------------


def test_cost_window_is_the_window_its_grid_and_the_cost_on_it(data):
    x, y = data
    points = [(0.0, 0.0), (2.3, -2.7)]
    w, b, J = lv.cost_window(x, y, points, n=31, margin=0.2)
    (w_lo, w_hi), (b_lo, b_hi) = lv.default_window(points, margin=0.2)
    np.testing.assert_array_equal(w, np.linspace(w_lo, w_hi, 31))
    np.testing.assert_array_equal(b, np.linspace(b_lo, b_hi, 31))
    np.testing.assert_array_equal(J, lv.cost_grid(x, y, w, b))
    # an independent check of one grid point: the mean loss at (w[j], b[i])
    i, j = 7, 20
    z = w[j] * x + b[i]
    assert J[i, j] == pytest.approx(np.mean(np.logaddexp(0, z) - y * z), rel=1e-12)
    lam = 0.3
    np.testing.assert_allclose(lv.cost_window(x, y, points, n=31, lam=lam).J, J + 0.5 * lam * w**2)
    with pytest.raises(ValueError, match="n must be >= 2"):
        lv.cost_window(x, y, points, n=1)
    with pytest.raises(ValueError, match="points must be 2-dimensional"):
        lv.cost_window(x, y, [1.0, 2.0, 3.0])


def test_largest_stable_lr_is_where_gradient_descent_on_the_quadratic_turns_unstable(data):
    x, y = data
    p = lv.minimise(x, y)
    H = lv.hessian(p, x, y)
    limit = lv.largest_stable_lr(p, x, y)
    assert limit == pytest.approx(2 / np.linalg.eigvalsh(H)[-1])
    # independent: GD on the quadratic model 0.5 dᵀHd contracts just below the limit, grows just above
    d0 = np.array([1.0, 1.0])
    for lr, grows in ((0.98 * limit, False), (1.02 * limit, True)):
        d = d0.copy()
        for _ in range(2000):
            d = d - lr * H @ d
        assert bool(np.linalg.norm(d) > np.linalg.norm(d0)) is grows
    # the penalty adds λ to the curvature in w: the limit falls
    assert lv.largest_stable_lr(p, x, y, lam=1.0) < limit


def test_a_square_cost_window_has_equal_spans_about_the_same_centre(data):
    x, y = data
    points = [(0.0, 0.0), (2.3, -0.4)]
    w, b, _ = lv.cost_window(x, y, points, n=11)
    ws, bs, Js = lv.cost_window(x, y, points, n=11, square=True)
    assert ws[-1] - ws[0] == pytest.approx(bs[-1] - bs[0])
    assert ws[-1] - ws[0] == pytest.approx(max(w[-1] - w[0], b[-1] - b[0]))
    assert (ws[0] + ws[-1]) / 2 == pytest.approx((w[0] + w[-1]) / 2)
    assert (bs[0] + bs[-1]) / 2 == pytest.approx((b[0] + b[-1]) / 2)
    np.testing.assert_array_equal(Js, lv.cost_grid(x, y, ws, bs))
    with pytest.raises(TypeError, match="square must be True or False"):
        lv.cost_window(x, y, points, square="yes")
