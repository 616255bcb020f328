"""Regression tests for the faults issue 10 found in lossviz.topics and lossviz.plot.

Each test is one fault class met by a careless or curious user: the wrong argument named, a
loss class passed instead of an instance, None or a scalar where a list is expected, an
internal exception type (IndexError, AttributeError, OverflowError, ZeroDivisionError,
numpy's or matplotlib's) instead of a ValueError/TypeError naming the argument, non-finite
output or a RuntimeWarning for finite input, and huge sizes attempted instead of refused
before any work. The generated boundary and fuzz tests cover every declared parameter; these
pin the particular cases the issue names.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lossviz as lv
from lossviz.topics import basins, batch_size, capacity, imbalance, loss_curves


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def churn():
    x, y = imbalance.make_imbalanced_churn(200, positive_rate=0.1, seed=0)
    xt, yt = imbalance.make_imbalanced_churn(200, positive_rate=0.1, seed=1)
    return x, y, xt, yt


@pytest.fixture(scope="module")
def small_sets():
    return [lv.make_churn(20, seed=s) for s in range(2)], *lv.make_churn(100, seed=9)


# ------------------------------------------------------------------ the wrong argument named
@pytest.mark.parametrize("bad", ["x_test", "y_test"])
@pytest.mark.parametrize("value", [None, 3.7, [0.5, 0.2]])
def test_fit_losses_blames_the_held_out_data(churn, bad, value):
    x, y, xt, yt = churn
    args = {"x": x, "y": y, "x_test": xt, "y_test": yt, bad: value}
    with pytest.raises((TypeError, ValueError), match=bad):
        imbalance.fit_losses([lv.BCE], **args)


@pytest.mark.parametrize("func", ["degree_curve", "lam_curve"])
@pytest.mark.parametrize("bad", ["x_test", "y_test"])
@pytest.mark.parametrize("value", [None, 3.7, [0.5, 0.2], [float("nan")] * 100])
def test_capacity_sweeps_blame_the_held_out_data(small_sets, func, bad, value):
    sets, xv, yv = small_sets
    args = {"x_test": xv, "y_test": yv, bad: value}
    with pytest.raises((TypeError, ValueError), match=bad):
        if func == "degree_curve":
            capacity.degree_curve(sets, degrees=[1, 2], **args)
        else:
            capacity.lam_curve(sets, lams=[0.1], degree=2, **args)


def test_a_bad_training_set_is_named_by_its_index(small_sets):
    sets, xv, yv = small_sets
    with pytest.raises(ValueError, match=r"train_sets\[1\]"):
        capacity.degree_curve([sets[0], (sets[1][0], sets[1][1] * 3)], xv, yv, [1])


# ------------------------------------------------------------------ a loss class, not an instance
def test_a_loss_class_is_refused_by_name(churn):
    x, y, xt, yt = churn
    with pytest.raises(TypeError, match=r"losses\[1\] must be an instance.*the class WeightedBCE itself"):
        imbalance.fit_losses([lv.BCE, lv.WeightedBCE], x, y, xt, yt)
    with pytest.raises(TypeError, match=r"loss must be an instance.*the class FocalLoss itself"):
        imbalance.class_cost_shares((1.0, -2.0), x, y, loss=lv.FocalLoss)
    with pytest.raises(TypeError, match=r"loss must be an instance.*the class FocalLoss itself"):
        loss_curves.training_log(x, y, batch_size=10, lr=0.5, loss=lv.FocalLoss)
    with pytest.raises(TypeError, match=r"loss must be an instance.*the class WeightedBCE itself"):
        batch_size.cost_reduction_target(x, y, 0.5, loss=lv.WeightedBCE)


# ------------------------------------------------------------------ None or a scalar for a list
@pytest.mark.parametrize("value", [None, 3.7, 4, "bce"])
def test_lists_are_checked(churn, small_sets, value):
    x, y, xt, yt = churn
    sets, xv, yv = small_sets
    calls = {
        "losses": lambda: imbalance.fit_losses(value, x, y, xt, yt),
        "fits": lambda: imbalance.format_loss_table(value),
        "degrees": lambda: capacity.degree_curve(sets, xv, yv, value),
        "train_sets": lambda: capacity.degree_curve(value, xv, yv, [1]),
        "batch_sizes": lambda: batch_size.roughness_by_batch_size(
            x, y, value, lr=0.5, n_updates=5, params0=(0.0, 0.0)
        ),
    }
    for name, call in calls.items():
        with pytest.raises(TypeError, match=name):
            call()


# ------------------------------------------------------------------ finite or refused
def test_fit_poly_logistic_honours_a_loose_tol():
    x, y = lv.make_churn(40, seed=0)
    loose = capacity.fit_poly_logistic(x, y, degree=2, lam=0.01, tol=1e-3)
    tight = capacity.fit_poly_logistic(x, y, degree=2, lam=0.01)
    assert np.allclose(loose.weights, tight.weights, atol=1e-2)


def test_class_cost_shares_at_extreme_parameters_is_finite_or_refused(churn):
    x, y, _, _ = churn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shares = imbalance.class_cost_shares((1e150, -1e150), x * 1e149, y)
        assert np.all(np.isfinite(shares)) and shares.sum() == pytest.approx(1.0)
        with pytest.raises(ValueError, match="params"):
            imbalance.class_cost_shares((1e200, 0.0), x, y)


# ------------------------------------------------------------------ huge sizes refused before work
def test_huge_sample_counts_are_refused_with_the_limit():
    with pytest.raises(ValueError, match="MAX_SAMPLES"):
        imbalance.make_imbalanced_churn(10**9)


@pytest.mark.parametrize(
    "call",
    [
        lambda: loss_curves.frozen_batch_losses((1.0, -2.0), *lv.make_churn(60, seed=0), 5, n_batches=10**9),
        lambda: loss_curves.training_log(*lv.make_churn(60, seed=0), batch_size=1, lr=0.5, epochs=10**9),
        lambda: batch_size.simulate_wall_clock(
            *lv.make_churn(60, seed=0), batch_size=1, seconds_per_step=1e-9, seconds=1e6, lr=0.5
        ),
        lambda: batch_size.roughness_by_batch_size(
            *lv.make_churn(60, seed=0), [1] * 10, lr=0.5, n_updates=10**7, params0=(0.0, 0.0)
        ),
        lambda: batch_size.steps_to_target(
            *lv.make_churn(60, seed=0), batch_sizes=[1], lrs=[0.1], target=0.5, n_seeds=10**9
        ),
        lambda: batch_size.steps_to_target(
            *lv.make_churn(60, seed=0),
            batch_sizes=[60] * 50,
            lrs=[0.1] * 40,
            target=0.5,
            n_seeds=200,
            max_examples=10**12,
            max_steps=10**6,
        ),
        lambda: basins.run_basins(
            basins.make_two_basin(20), np.zeros(1000), batch_size=1, lr=0.01, steps=10**6
        ),
        lambda: basins.make_two_basin(10**9),
        lambda: capacity.degree_curve(
            [lv.make_churn(10, seed=0)] * 2000, *lv.make_churn(10, seed=1), [1] * 20
        ),
    ],
)
def test_long_or_huge_work_is_refused_at_once_with_the_limit(call):
    import time

    start = time.perf_counter()
    with pytest.raises(ValueError, match="limit"):
        call()
    assert time.perf_counter() - start < 5.0  # refused before any of the work


def test_ema_without_smoothing_is_the_curve_itself_and_needs_no_n_by_n_matrix():
    values = np.arange(200_000, dtype=float)
    assert np.array_equal(loss_curves.ema(values, 0.0), values)


def test_epoch_means_names_steps_per_epoch():
    with pytest.raises(ValueError, match="steps_per_epoch = 4"):
        loss_curves.epoch_means([1.0] * 6, 4)


# ------------------------------------------------------------------ the two-basin problem: finite or refused
@pytest.fixture(scope="module")
def problem():
    return basins.make_two_basin(m=20, seed=0)


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("theta", [1e50, -1e100, 1e100, [1e-300, 1e99]])
def test_two_basin_cost_is_finite_for_any_allowed_theta(problem, theta):
    for f in (problem.cost, problem.cost_gradient, problem.cost_curvature):
        assert np.all(np.isfinite(f(theta)))


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_two_basin_refuses_theta_past_its_limit_and_extreme_settings(problem):
    with pytest.raises(ValueError, match="theta is too large"):
        problem.cost(1e200)
    with pytest.raises(ValueError, match="theta"):
        problem.per_sample_losses(1e200)
    for kwargs in (
        {"noise": 1e308},
        {"bowl": 1e308},
        {"depth": 1e308},
        {"flat_width": 1e308},
        {"sharp_width": 1e-300},
    ):
        with pytest.raises(ValueError, match=next(iter(kwargs))):
            basins.make_two_basin(20, **kwargs)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_run_basins_divergence_is_a_value_error_naming_lr(problem):
    with pytest.raises(ValueError, match="diverged: lower lr"):
        basins.run_basins(problem, [0.1, 1e90], batch_size=20, lr=1000.0, steps=50)
    with pytest.raises(TypeError, match="reparam must be a Reparametrisation"):
        basins.run_basins(problem, [0.1], batch_size=20, lr=0.1, steps=5, reparam=3.7)


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize(
    "call",
    [
        lambda: batch_size.simulated_step_time([1, 1e150], overhead=1e150, per_example=1e150, parallel=1),
        lambda: batch_size.order_effect((0.0, 0.0), *lv.make_churn(30, seed=0), [1e150]),
        lambda: batch_size.fit_tradeoff([1, 2, 4], [1e-300, 1e300, 1.0]),
        lambda: loss_curves.training_log(*lv.make_churn(30, seed=0), batch_size=5, lr=1e150).batch_loss,
    ],
)
def test_overflow_is_refused_with_a_value_error_and_no_warning(call):
    try:
        out = call()
    except (ValueError, TypeError) as exc:
        assert "Overflow" not in type(exc).__name__
    else:
        assert np.all(np.isfinite(out))


# ------------------------------------------------------------------ the drawings
def _sweep(steps):
    B = np.array([1, 4, 16])
    return batch_size.StepsToTarget(
        B,
        np.array([0.1, 0.2]),
        np.array(steps, dtype=float),
        target=0.62,
        n_seeds=4,
        hold=5,
        max_steps=np.full(3, 50),
    )


@pytest.mark.parametrize("name", ["best_lr", "steps_vs_batch", "tradeoff"])
def test_a_sweep_that_never_reached_the_target_is_said_in_the_figure(name):
    inf = np.inf
    fit = batch_size.TradeOff(s_min=20.0, e_min=500.0)
    for steps, said in (
        ([[inf, inf], [40.0, 30.0], [20.0, 25.0]], "not reached at B = 1"),
        ([[inf, inf]] * 3, "no learning rate reached the target"),
    ):
        draw = getattr(lv.plot, name)
        ax = draw(_sweep(steps), fit=fit)
        assert any(said in t.get_text() for t in ax.texts), [t.get_text() for t in ax.texts]


def test_plot_cost_landscape_names_levels_and_minimum_value():
    w, b = np.linspace(-1, 1, 5), np.linspace(-1, 1, 4)
    J = np.add.outer(b**2, w**2) + 0.1
    for levels in (0, -3, 10**9, 2.5, "10", [1.0, 0.5]):
        with pytest.raises((TypeError, ValueError), match="levels"):
            lv.plot.cost_landscape(w, b, J, levels=levels)
    with pytest.raises(ValueError, match="minimum_value must be <="):
        lv.plot.cost_landscape(w, b, J, minimum_value=5.0)
    with pytest.raises(ValueError, match="n_levels"):
        lv.plot.cost_slice_contours(w, b, J, n_levels=0)


@pytest.mark.parametrize("value", [None, 3.7, lv.BCE])
def test_drawings_check_their_lists(churn, value):
    x, y, xt, yt = churn
    fits = imbalance.fit_losses([lv.BCE, lv.WeightedBCE(9.0)], x, y, xt, yt)
    run = lv.train(*lv.make_churn(30, seed=0), batch_size=10, lr=0.5)
    calls = {
        "runs": lambda: lv.plot.cost_curves(value),
        "fits": lambda: lv.plot.minority_scores(value),
        "models": lambda: lv.plot.poly_fits(x, y, value),
        "labels": lambda: lv.plot.cost_curves([run], labels=value if value is not None else 3),
        "roles": lambda: lv.plot.minimisers({"a": (1, 2)}, roles=value if value is not None else 3),
    }
    for name, call in calls.items():
        with pytest.raises(TypeError, match=name):
            call()
    with pytest.raises(TypeError, match="labels"):
        lv.plot.fitted_probabilities(x, y, fits, labels=3.7)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_drawings_refuse_what_would_overflow_or_is_not_a_number():
    with pytest.raises(ValueError, match="slope = 1e\\+09"):
        lv.plot.loglog_fit([1.0, 10.0, 100.0], [2.0, 0.2, 0.02], 1e9, 0.3)
    with pytest.raises(ValueError, match="intercept"):
        lv.plot.loglog_fit([1.0, 10.0], [2.0, 0.2], -1.0, 1e9)
    with pytest.raises((TypeError, ValueError), match="linewidth"):
        lv.plot.trajectory([[0, 0], [1, 1]], linewidth="abc")
    with pytest.raises(TypeError, match="zorder"):
        lv.plot.trajectory([[0, 0], [1, 1]], zorder=None)
    with pytest.raises(TypeError, match="highlight"):
        lv.plot.minimisers({"a": (1, 2)}, highlight=["a"])
    with pytest.raises(TypeError, match="reparam"):
        lv.plot.two_basin(basins.make_two_basin(20), reparam=3.7)
    with pytest.raises(TypeError, match="color"):
        lv.plot.cost_curve([0.7, 0.6], color="no such colour")


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_network_sizes_and_overflow_are_refused_by_name():
    from lossviz.topics import network as nw

    with pytest.raises(ValueError, match=r"m_train.*MAX_SAMPLES"):
        nw.make_network_churn(10**9)
    with pytest.raises(ValueError, match="n must be <= 2000"):
        nw.path_window([[0.0, 0.0], [1.0, 1.0]], n=10**9)
    with pytest.raises(ValueError, match="margin"):
        nw.path_window([[0.0, 0.0], [1.0, 1.0]], margin=1e308)
    with pytest.raises(ValueError, match="digits"):
        nw.format_spread([1.0, 2.0], digits=10**9)
    assert nw.format_spread([1e150, -1e150], digits=2)


# ------------------------------------------------------------------ every public function is declared
def _public_functions():
    import importlib
    import inspect

    for module in ("imbalance", "capacity", "batch_size", "basins", "loss_curves", "network"):
        mod = importlib.import_module(f"lossviz.topics.{module}")
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                yield f"topics.{module}.{name}", obj
    for name in lv.plot.__all__:
        obj = getattr(lv.plot, name)
        if inspect.isfunction(obj):
            yield f"plot.{name}", obj


@pytest.mark.parametrize(
    ("name", "func"), list(_public_functions()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_public_function_of_topics_and_plot_declares_every_parameter(name, func):
    import inspect

    declared = getattr(func, "__lossviz_constraints__", None)
    assert declared is not None, f"{name} has no @validate_params declaration"
    params = set(inspect.signature(func).parameters)
    assert params - set(declared) == set(), f"{name} leaves {sorted(params - set(declared))} undeclared"


def test_result_records_refuse_what_would_divide_by_zero():
    with pytest.raises(ValueError, match="at least one run"):
        basins.BasinCounts(0, 0, 0)
    with pytest.raises(ValueError, match="s_min"):
        batch_size.TradeOff(s_min=0.0, e_min=500.0)
    with pytest.raises(TypeError, match="sharp"):
        basins.BasinCounts(sharp=None, flat=1, between=0)
