"""Tests of the computations behind lesson 06's answers: lossviz.topics.batch_size (updates, simulated
time, order effects, roughness), lossviz.data.anchor_features, lossviz.model.numerical_gradient,
lossviz.optim.online_pass and measured_minibatch_variance, and the two plots of lossviz.plot.batch_size."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lossviz as lv

# ------------------------------------------------------------------ question 1


@pytest.mark.parametrize("m, k, n", [(1000, 32, 32), (1000, 1000, 1), (1000, 1, 1000), (10, 3, 4)])
def test_updates_per_epoch_counts_the_last_smaller_batch(m, k, n):
    assert lv.batch_size.updates_per_epoch(m, k) == n
    assert lv.batch_size.updates_per_epoch(m, k) == len(lv.minibatch_indices(m, k, np.random.default_rng(0)))


@pytest.mark.parametrize("m, k, exc", [(0, 1, ValueError), (10, 11, ValueError), (10, 2.5, TypeError)])
def test_updates_per_epoch_rejects_bad_input(m, k, exc):
    with pytest.raises(exc):
        lv.batch_size.updates_per_epoch(m, k)


def test_simulated_clock_stamps_each_update_and_full_batch_is_gradient_descent(churn):
    x, y = churn
    run = lv.batch_size.simulate_wall_clock(
        x, y, batch_size=x.size, seconds_per_step=5.0, seconds=52.0, lr=1.0
    )
    assert run.times.shape == run.costs.shape == (11,)  # floor(52 / 5) = 10 updates
    np.testing.assert_allclose(run.times, 5.0 * np.arange(11))
    p = np.zeros(2)  # plain gradient descent, by hand
    for _ in range(10):
        p = p - 1.0 * lv.gradient(p, x, y)
    np.testing.assert_allclose(run.params[-1], p, rtol=1e-12)
    np.testing.assert_allclose(run.costs[-1], lv.objective_at(p, x, y), rtol=1e-12)


def test_simulated_clock_counts_steps_across_epochs_without_rounding_down(churn):
    x, y = churn
    run = lv.batch_size.simulate_wall_clock(x, y, batch_size=32, seconds_per_step=0.02, seconds=1.0, lr=0.5)
    assert run.costs.size == 51  # 1.0 / 0.02 = 50 steps, not 49
    full = lv.train(x, y, batch_size=32, lr=0.5, epochs=2)
    np.testing.assert_array_equal(run.params, full.params[:51])


def test_simulated_clock_rejects_a_budget_below_one_step(churn):
    x, y = churn
    with pytest.raises(ValueError, match="seconds"):
        lv.batch_size.simulate_wall_clock(x, y, batch_size=32, seconds_per_step=0.02, seconds=0.01, lr=1.0)
    with pytest.raises(ValueError, match="seconds_per_step"):
        lv.batch_size.simulate_wall_clock(x, y, batch_size=32, seconds_per_step=0.0, seconds=1.0, lr=1.0)


def test_time_to_cost_is_the_first_time_at_or_below_target():
    times, costs = [0.0, 1.0, 2.0, 3.0], [5.0, 3.0, 4.0, 1.0]
    assert lv.batch_size.time_to_cost(times, costs, 3.0) == 1.0
    assert lv.batch_size.time_to_cost(times, costs, 2.0) == 3.0
    assert lv.batch_size.time_to_cost(times, costs, 0.5) == math.inf
    with pytest.raises(ValueError, match="same shape"):
        lv.batch_size.time_to_cost([0.0, 1.0], [1.0], 0.5)


def test_cost_reduction_target_runs_from_the_start_to_the_minimum(churn):
    x, y = churn
    j0 = lv.objective_at((0.0, 0.0), x, y)
    j_star = lv.objective_at(lv.minimise(x, y), x, y)
    assert lv.batch_size.cost_reduction_target(x, y, 0.0) == pytest.approx(j0, rel=1e-12)
    assert lv.batch_size.cost_reduction_target(x, y, 1.0) == pytest.approx(j_star, rel=1e-12)
    assert lv.batch_size.cost_reduction_target(x, y, 0.9) == pytest.approx(
        j_star + 0.1 * (j0 - j_star), rel=1e-12
    )
    with pytest.raises(ValueError, match="fraction"):
        lv.batch_size.cost_reduction_target(x, y, 1.5)


# ------------------------------------------------------------------ question 2


@pytest.mark.parametrize("params", [(1.0, 0.0), (2.0, -0.5), (-0.5, 1.0)])
def test_anchor_features_reproduce_the_posts_predictions(params):
    x, y = lv.anchor_features(params)
    y_post, y_hat = lv.anchor_sample()
    np.testing.assert_array_equal(y, y_post)
    np.testing.assert_allclose(lv.predict(params, x), y_hat, rtol=1e-12)
    np.testing.assert_allclose(lv.per_sample_losses(params, x, y), lv.bce_loss(y_post, y_hat), rtol=1e-10)


def test_anchor_features_need_a_nonzero_weight():
    with pytest.raises(ValueError, match="w"):
        lv.anchor_features((0.0, 1.0))


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_online_pass_is_trains_batch_size_one_in_a_chosen_order(churn, lam):
    x, y = churn[0][:50], churn[1][:50]
    run = lv.train(x, y, batch_size=1, lr=0.4, lam=lam, seed=7, params0=(0.5, -0.2))
    order = np.concatenate(lv.minibatch_indices(50, 1, np.random.default_rng(7)))
    path = lv.optim.online_pass((0.5, -0.2), x[order], y[order], lr=0.4, lam=lam)
    assert path.shape == (51, 2)
    np.testing.assert_allclose(path, run.params, rtol=1e-12, atol=1e-15)


def test_online_pass_reports_overflow_instead_of_returning_nan():
    with pytest.raises(ValueError, match="lr"):
        lv.optim.online_pass((0.0, 0.0), [1e100, -1e100], [1.0, 0.0], lr=1e100)
    with pytest.raises(ValueError, match="x is too large"):  # past MAX_ABS the input itself is refused
        lv.optim.online_pass((0.0, 0.0), [1e200, -1e200], [1.0, 0.0], lr=1.0)


def test_order_effect_is_second_order_with_the_predicted_coefficient():
    x, y = lv.anchor_features()
    x2, y2 = x[:2], y[:2]
    g = lv.per_sample_gradients((1.0, 0.0), x2, y2)
    H = [lv.hessian((1.0, 0.0), x2[i : i + 1], y2[i : i + 1]) for i in range(2)]
    coefficient = np.linalg.norm(H[1] @ g[0] - H[0] @ g[1])
    etas = np.array([1e-4, 1e-3])
    gaps = lv.batch_size.order_effect((1.0, 0.0), x2, y2, etas)
    np.testing.assert_allclose(gaps / etas**2, coefficient, rtol=1e-3)
    # one sample, or two identical ones, have no order
    assert lv.batch_size.order_effect((1.0, 0.0), x2[:1], y2[:1], [0.5])[0] == 0.0
    assert lv.batch_size.order_effect((1.0, 0.0), [0.3, 0.3], [1.0, 1.0], [0.5])[0] == 0.0
    with pytest.raises(ValueError, match="lrs"):
        lv.batch_size.order_effect((1.0, 0.0), x2, y2, [0.1, -0.1])


def test_loglog_slope_recovers_a_power_law():
    x = np.logspace(-2, 2, 9)
    slope, intercept = lv.batch_size.loglog_slope(x, 3.0 * x**-1.5)
    assert slope == pytest.approx(-1.5, abs=1e-12)
    assert intercept == pytest.approx(np.log10(3.0), abs=1e-12)


@pytest.mark.parametrize(
    "x, y, word",
    [
        ([1.0, 2.0], [1.0, 0.0], "y must be > 0"),
        ([0.0, 2.0], [1.0, 2.0], "x must be > 0"),
        ([1.0], [1.0], "at least 2"),
        ([2.0, 2.0], [1.0, 3.0], "two different"),
        ([1.0, 2.0, 3.0], [1.0, 2.0], "same shape"),
    ],
)
def test_loglog_slope_rejects_what_a_log_scale_cannot_hold(x, y, word):
    with pytest.raises(ValueError, match=word):
        lv.batch_size.loglog_slope(x, y)


# ------------------------------------------------------------------ question 3


@pytest.mark.parametrize("params, lam", [((1.0, -1.0), 0.0), ((2.3, -2.7), 0.0), ((-1.0, 3.0), 0.2)])
def test_finite_differences_agree_with_the_models_gradient(churn, params, lam):
    x, y = churn
    np.testing.assert_allclose(
        lv.numerical_gradient(params, x, y, lam), lv.gradient(params, x, y, lam), rtol=1e-6, atol=1e-9
    )


def test_numerical_gradient_rejects_a_bad_step(churn):
    with pytest.raises(ValueError, match="h"):
        lv.numerical_gradient((0.0, 0.0), *churn, h=0.0)


# ------------------------------------------------------------------ question 4


def test_measured_variance_at_batch_size_one_over_whole_epochs_is_exactly_tr_sigma(churn):
    x, y = churn
    tr_sigma = lv.per_sample_gradients((0.0, 0.0), x, y).var(axis=0).sum()
    # 3000 batches of 1 = three whole epochs: every sample exactly three times
    measured = lv.optim.measured_minibatch_variance((0.0, 0.0), x, y, 1, n_batches=3000)
    assert measured == pytest.approx(tr_sigma, rel=1e-12)


def test_measured_variance_matches_the_formula_and_vanishes_for_the_full_batch(churn):
    x, y = churn
    for k in (8, 100):
        measured = lv.optim.measured_minibatch_variance((0.0, 0.0), x, y, k, n_batches=4000, seed=1)
        assert measured == pytest.approx(lv.minibatch_gradient_variance((0.0, 0.0), x, y, k), rel=0.1)
    assert lv.optim.measured_minibatch_variance((0.0, 0.0), x, y, x.size, n_batches=20) < 1e-25


def test_measured_variance_rejects_bad_counts(churn):
    with pytest.raises(ValueError, match="n_batches"):
        lv.optim.measured_minibatch_variance((0.0, 0.0), *churn, 8, n_batches=0)
    with pytest.raises(ValueError, match="batch_size"):
        lv.optim.measured_minibatch_variance((0.0, 0.0), *churn, 1001)


def test_trajectory_roughness_is_the_rms_change():
    assert lv.batch_size.trajectory_roughness([0.7, 0.7, 0.7]) == 0.0
    assert lv.batch_size.trajectory_roughness([0.0, 1.0, 0.0]) == 1.0
    assert lv.batch_size.trajectory_roughness([0.0, 3.0, 7.0]) == pytest.approx(np.sqrt((9 + 16) / 2))
    with pytest.raises(ValueError, match="at least 2"):
        lv.batch_size.trajectory_roughness([0.5])


def test_roughness_falls_with_batch_size_and_is_zero_for_the_full_batch(churn):
    x, y = churn
    w_star = lv.minimise(x, y)
    r = lv.batch_size.roughness_by_batch_size(x, y, [1, 32, x.size], lr=1.0, n_updates=200, params0=w_star)
    assert r.shape == (3,)
    assert r[0] > r[1] > r[2]
    assert r[2] < 1e-12


def test_roughness_of_a_divergent_run_is_an_error_not_a_number(churn):
    with pytest.raises(ValueError, match="diverged"):
        lv.batch_size.roughness_by_batch_size(*churn, [1], lr=1e6, n_updates=50, params0=(0.0, 0.0), lam=10.0)
    with pytest.raises(ValueError, match="batch_sizes"):
        lv.batch_size.roughness_by_batch_size(*churn, [], lr=1.0, n_updates=5, params0=(0.0, 0.0))


# ------------------------------------------------------------------ drawing


def test_cost_curves_against_time_draw_each_run_and_the_target(churn):
    x, y = churn
    full = lv.batch_size.simulate_wall_clock(
        x, y, batch_size=x.size, seconds_per_step=5.0, seconds=100.0, lr=1.0
    )
    mini = lv.batch_size.simulate_wall_clock(
        x, y, batch_size=32, seconds_per_step=0.02, seconds=100.0, lr=1.0
    )
    target = lv.batch_size.cost_reduction_target(x, y, 0.5)
    fig, ax = plt.subplots()
    drawn = lv.plot.cost_curves(
        [full, mini], against="time", m=x.size, labels=["full", "mini"], target=target, ax=ax
    )
    assert drawn is ax
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:3]] == ["full", "mini", "target"]
    np.testing.assert_allclose(lines[0].get_xdata(), full.times[1:])
    assert lines[0].get_color() == lv.plot.COLOURS["full_batch"]
    assert lines[1].get_color() == lv.plot.COLOURS["mini_batch"]
    # a marker where each run first reaches the target, at the time time_to_cost gives (none if never)
    reached = [line.get_xdata()[0] for line in lines[3:]]
    times = [run.time_to_cost(target) for run in (full, mini)]
    assert times[0] == np.inf  # 20 full-batch updates in 100 s do not get there
    np.testing.assert_allclose(reached, times[1:])
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="labels"):
        lv.plot.cost_curves([full], labels=["a", "b"], ax=ax)
    with pytest.raises(TypeError, match="WallClockRun"):
        lv.plot.cost_curves([full.costs], ax=ax)
    plt.close(fig)


def test_plot_loglog_fit_draws_points_and_the_line():
    x = np.array([1.0, 10.0, 100.0])
    ax = lv.plot.loglog_fit(x, 2.0 * x**2, 2.0, np.log10(2.0))
    _points, line = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), 2.0 * x**2)
    assert "slope 2.00" in line.get_label()
    assert ax.get_xscale() == ax.get_yscale() == "log"
    with pytest.raises(TypeError, match="ax"):
        lv.plot.loglog_fit(x, x, 1.0, 0.0, ax="not an axes")
    plt.close(ax.figure)
