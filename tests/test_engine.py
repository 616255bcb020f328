"""Tests of the one SGD engine, lossviz.optim.run_sgd: each run of a sweep is the run made alone, bit
for bit; batches as minibatch_indices draws them; divergence, budgets, recording and stopping."""

from __future__ import annotations

import numpy as np
import pytest

import lossviz as lv
from lossviz.optim import SGD, LogisticProblem, run_seeds, run_sgd


@pytest.fixture(scope="module")
def data():
    return lv.make_churn(m=90, seed=4)


@pytest.mark.parametrize("batch_size", [1, 7, 30, 90])
def test_every_run_of_a_sweep_equals_train_with_its_seed_bit_for_bit(data, batch_size):
    x, y = data
    seeds = run_seeds(11, 4)
    # Learning rates from gentle to divergent with lam > 0, so some runs stop early and the
    # engine's path for the runs still going (a subset of rows) is exercised too.
    lrs = np.array([0.3, 2.0, 40.0, 400.0])
    R = seeds.size * lrs.size
    lam = 1.0
    epochs = -(-120 // -(-x.size // batch_size))  # 120 updates or more: lr·λ = 400 diverges by then
    runs = run_sgd(
        LogisticProblem(x, y, lam),
        (0.5, -0.5),
        batch_size=batch_size,
        lr=np.repeat(lrs, seeds.size),
        seeds=np.tile(seeds, lrs.size),
        n_updates=epochs * -(-x.size // batch_size),
        overflow=lv.OVERFLOW,
    )
    assert runs.params.shape[1] == R
    assert runs.diverged.any() and not runs.diverged.all()  # both paths of the engine are exercised
    for r in range(R):
        alone = lv.train(
            x,
            y,
            batch_size=batch_size,
            lr=float(runs.lr[r]),
            lam=lam,
            epochs=epochs,
            seed=int(runs.seeds[r]),
            params0=(0.5, -0.5),
        )
        np.testing.assert_array_equal(runs.path(r), alone.params)
        assert (alone.diverged_at or 0) == runs.diverged_at[r]
        np.testing.assert_array_equal(runs.final_params[r], alone.final_params)


def test_batches_are_minibatch_indices_of_each_runs_own_generator():
    # A problem whose gradient records which samples each run was given.
    class Recorder:
        m, n_params = 10, 1

        def __init__(self):
            self.seen = []

        def batch_gradients(self, params, batches):
            self.seen.append(batches.copy())
            return np.zeros_like(params)

        def objective_rows(self, params):
            return np.zeros(params.shape[0])

    problem = Recorder()
    run_sgd(problem, [0.0], batch_size=4, lr=1.0, n_updates=6, seeds=[3, 8])
    per_run = [np.concatenate([b[r] for b in problem.seen]) for r in range(2)]
    for r, seed in enumerate([3, 8]):
        rng = np.random.default_rng(seed)
        expected = np.concatenate([np.concatenate(lv.minibatch_indices(10, 4, rng)) for _ in range(2)])
        np.testing.assert_array_equal(per_run[r], expected)
    # batch sizes 4, 4, 2 each epoch
    assert [b.shape[1] for b in problem.seen] == [4, 4, 2, 4, 4, 2]


def test_quadratic_matches_the_closed_form_of_gradient_descent():
    # J(θ) = a/2·θ² has gradient aθ: full-batch GD gives θ_t = θ0 (1 - lr·a)^t exactly (an oracle
    # that uses none of the package's code).
    class Quadratic:
        m, n_params = 1, 1
        a = 3.0

        def batch_gradients(self, params, batches):
            return self.a * params

        def objective_rows(self, params):
            return 0.5 * self.a * params[:, 0] ** 2

    lrs = np.array([0.1, 0.5, 0.7, 0.9])
    runs = run_sgd(Quadratic(), [2.0], batch_size=1, lr=lrs, seeds=[0, 0, 0, 0], n_updates=25, overflow=1e6)
    t = np.arange(26)[:, None]
    expected = 2.0 * (1 - lrs * 3.0) ** t
    # lr = 0.9: |1 - 2.7| = 1.7 > 1, so it grows past 1e6 and diverges at the first update past it
    ok = np.abs(expected) <= 1e6
    first_bad = int(np.argmin(ok[:, 3]))
    assert runs.diverged_at.tolist() == [0, 0, 0, first_bad]
    np.testing.assert_allclose(runs.params[:, :3, 0], expected[:, :3], rtol=1e-12)
    np.testing.assert_allclose(runs.path(3)[:, 0], expected[:first_bad, 3], rtol=1e-12)
    assert np.isnan(runs.params[first_bad:, 3]).all()


def test_shuffle_false_is_online_learning_in_stored_order(data):
    x, y = data
    x, y = x[:6], y[:6]
    runs = run_sgd(
        LogisticProblem(x, y), (0.0, 0.0), batch_size=1, lr=0.8, n_updates=6, seeds=[0], shuffle=False
    )
    w = b = 0.0
    for xi, yi in zip(x, y):  # the update written out with plain floats
        d = 1.0 / (1.0 + np.exp(-(w * xi + b))) - yi
        w, b = w - 0.8 * d * xi, b - 0.8 * d
    np.testing.assert_allclose(runs.final_params[0], [w, b], rtol=1e-13)


def test_recorded_counts_are_rows_of_the_full_path(data):
    x, y = data
    problem = LogisticProblem(x, y)
    path = run_sgd(problem, (0, 0), batch_size=9, lr=1.0, n_updates=40, seeds=[1, 2])
    some = run_sgd(
        problem, (0, 0), batch_size=9, lr=1.0, n_updates=40, seeds=[1, 2], record=np.array([0, 5, 17, 40])
    )
    final = run_sgd(problem, (0, 0), batch_size=9, lr=1.0, n_updates=40, seeds=[1, 2], record="final")
    np.testing.assert_array_equal(some.params, path.params[[0, 5, 17, 40]])
    np.testing.assert_array_equal(final.params[0], path.params[-1])
    np.testing.assert_array_equal(final.final_params, path.final_params)


def test_on_record_stops_runs_and_the_loop_ends_when_none_is_left(data):
    x, y = data
    calls = []

    def stop_second_at_10(t, params, active):
        calls.append((t, active.tolist()))
        return np.array([False, t >= 10, False]) if t < 20 else np.ones(3, bool)

    runs = run_sgd(
        LogisticProblem(x, y),
        (0, 0),
        batch_size=9,
        lr=1.0,
        n_updates=1000,
        seeds=[1, 2, 3],
        record=np.arange(0, 1001, 5),
        on_record=stop_second_at_10,
    )
    assert runs.n_updates.tolist() == [20, 10, 20]
    assert runs.diverged_at.tolist() == [0, 0, 0]
    assert calls[-1][0] == 20 and len(calls) == 5


def test_sgd_is_the_default_update_rule_and_rules_are_pluggable(data):
    x, y = data

    class HalfStep:  # a rule of its own: half the SGD step, counting its calls in its state
        def init_state(self, params):
            return {"calls": np.zeros((params.shape[0], 1))}

        def step(self, params, grads, lr, state, t):
            state["calls"] += 1
            return params - 0.5 * lr * grads

    problem = LogisticProblem(x, y)
    half = run_sgd(problem, (0, 0), batch_size=9, lr=1.0, n_updates=20, seeds=[5], optimizer=HalfStep())
    sgd = run_sgd(problem, (0, 0), batch_size=9, lr=0.5, n_updates=20, seeds=[5], optimizer=SGD())
    np.testing.assert_allclose(half.params, sgd.params, rtol=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"lr": -1.0}, ValueError, "lr"),
        ({"lr": np.array([1.0, 2.0])}, ValueError, "lr"),
        ({"n_updates": -1}, ValueError, "n_updates"),
        ({"seeds": []}, ValueError, "seeds"),
        ({"seeds": [1, -2]}, ValueError, r"seeds\[1\]"),
        ({"record": "every"}, ValueError, "record"),
        ({"record": np.array([3, 2])}, ValueError, "record"),
        ({"optimizer": SGD}, TypeError, "optimizer"),
        ({"record": "path", "n_updates": 10**7, "seeds": list(range(100))}, ValueError, "GiB"),
        ({"n_updates": 10**9}, ValueError, "MAX_UPDATES"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(data, kwargs, error, match):
    x, y = data
    args = {"batch_size": 9, "lr": 0.5, "n_updates": 5, "seeds": [0, 1, 2]} | kwargs
    with pytest.raises(error, match=match):
        run_sgd(LogisticProblem(x, y), (0.0, 0.0), **args)


def test_params0_must_fit_the_problem(data):
    x, y = data
    with pytest.raises(ValueError, match="params0"):
        run_sgd(LogisticProblem(x, y), (1.0, 2.0, 3.0), batch_size=1, lr=1.0, n_updates=1)


def test_problem_must_be_a_batch_problem(data):
    with pytest.raises(TypeError, match="problem"):
        run_sgd(LogisticProblem, (0.0, 0.0), batch_size=1, lr=1.0, n_updates=1)


def test_run_seeds_are_distinct_replayable_and_unrelated_across_base_seeds():
    a, b = run_seeds(0, 500), run_seeds(1, 500)
    assert np.unique(a).size == 500
    np.testing.assert_array_equal(a, run_seeds(0, 500))
    assert np.intersect1d(a, b).size == 0
    np.testing.assert_array_equal(run_seeds(0, 3), a[:3])  # a prefix: more runs keep the first ones


def test_steps_to_target_is_the_loop_over_train_with_the_same_seeds():
    # The sweep of lesson 07 against the obvious loop: one train run per (batch size, lr, seed),
    # the seed-averaged cost read at the same checkpoints with the same rule.
    from lossviz.topics.batch_size import _checkpoints

    x, y = lv.make_churn(m=150, seed=2)
    target = lv.batch_size.cost_reduction_target(x, y, 0.8, lam=0.02)
    batch_sizes, lrs, n_seeds, max_steps, hold = [3, 25, 150], np.array([0.25, 1.0, 4.0, 200.0]), 4, 300, 3
    sweep = lv.batch_size.steps_to_target(
        x,
        y,
        batch_sizes=batch_sizes,
        lrs=lrs,
        target=target,
        n_seeds=n_seeds,
        max_steps=max_steps,
        max_examples=10**9,
        checkpoints_per_decade=20,
        hold=hold,
        stop_at_first=False,
        lam=0.02,
        seed=7,
    )
    ck = _checkpoints(max_steps, 20)
    expected = np.full((len(batch_sizes), lrs.size), np.inf)
    for i, b in enumerate(batch_sizes):
        epochs = -(-max_steps // -(-x.size // b))
        seeds = run_seeds((7, b), lrs.size * n_seeds).reshape(lrs.size, n_seeds)
        for j, lr in enumerate(lrs):
            runs = [
                lv.train(x, y, batch_size=b, lr=lr, lam=0.02, epochs=epochs, seed=int(s)) for s in seeds[j]
            ]
            if any(r.diverged_at is not None and r.diverged_at <= max_steps for r in runs):
                continue
            below = np.mean([r.costs[ck] for r in runs], axis=0) <= target
            for k in range(ck.size - hold + 1):
                if below[k : k + hold].all():
                    expected[i, j] = ck[k]
                    break
    assert np.isfinite(expected).any() and np.isinf(expected).any()  # both outcomes are tested
    np.testing.assert_array_equal(sweep.steps, expected)


def test_run_basins_run_r_is_the_run_made_alone():
    from lossviz.topics.basins import _BasinSGD

    problem = lv.basins.make_two_basin(m=40, seed=1)
    theta0 = np.linspace(*problem.span(), 6)
    together = lv.basins.run_basins(problem, theta0, batch_size=3, lr=0.01, steps=300, seed=4)
    seeds = run_seeds(4, theta0.size)
    for r in range(theta0.size):
        one = run_sgd(
            _BasinSGD(problem, None),
            [theta0[r]],
            batch_size=3,
            lr=0.01,
            n_updates=300,
            seeds=[int(seeds[r])],
            record="final",
        )
        assert one.final_params[0, 0] == together[r]
