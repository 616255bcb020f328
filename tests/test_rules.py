"""Tests of the update rules Momentum, Nesterov and Adam (lossviz.optim.rules).

The oracle is torch's documented algorithm (the pseudo-code of torch.optim.SGD and torch.optim.Adam),
written out below in plain Python floats with its own gradient of the logistic loss -- none of the
package's code -- and, when torch is installed, torch itself. λ is torch's coupled weight_decay on w
only (two parameter groups): the engine's gradient already carries λ·w on w and nothing on b.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import lossviz as lv
from lossviz.optim import SGD, LogisticProblem, run_seeds, run_sgd

X = [0.3, 1.7, -0.4, 2.2, 0.9, 1.1]
Y = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]
LAM = 0.3


# ------------------------------------------------------------------ torch's algorithm, by hand
def _batch_grad(w, b, batch, lam):
    """Mean BCE gradient over the batch, plus torch's weight_decay on w alone (plain floats)."""
    gw = gb = 0.0
    for i in batch:
        d = 1.0 / (1.0 + math.exp(-(w * X[i] + b))) - Y[i]
        gw += d * X[i]
        gb += d
    return [gw / len(batch) + lam * w, gb / len(batch)]  # b's group has weight_decay = 0


def _by_hand(rule, lr, batches, params0=(0.5, -0.5), lam=LAM, beta=0.9, betas=(0.9, 0.999), eps=1e-8):
    """θ after each batch, from torch's documented SGD-with-momentum / Adam pseudo-code."""
    theta = list(params0)
    buf = [0.0, 0.0]
    m = [0.0, 0.0]
    v = [0.0, 0.0]
    out = [list(theta)]
    for t, batch in enumerate(batches, start=1):
        g = _batch_grad(theta[0], theta[1], batch, lam)
        for j in range(2):
            if rule == "momentum" or rule == "nesterov":
                buf[j] = g[j] if t == 1 else beta * buf[j] + g[j]  # dampening = 0
                step = g[j] + beta * buf[j] if rule == "nesterov" else buf[j]
                theta[j] -= lr * step
            elif rule == "adam":
                m[j] = betas[0] * m[j] + (1 - betas[0]) * g[j]
                v[j] = betas[1] * v[j] + (1 - betas[1]) * g[j] ** 2
                m_hat = m[j] / (1 - betas[0] ** t)
                v_hat = v[j] / (1 - betas[1] ** t)
                theta[j] -= lr * m_hat / (math.sqrt(v_hat) + eps)
            else:
                raise AssertionError(rule)
        out.append(list(theta))
    return np.array(out)


def _stored_order_batches(k, n_updates):
    """The batches of shuffle=False: cut from 0..m-1 in order, every epoch again."""
    per_epoch = [list(range(i, min(i + k, len(X)))) for i in range(0, len(X), k)]
    return [per_epoch[t % len(per_epoch)] for t in range(n_updates)]


RULES = {
    "momentum": lambda: lv.Momentum(0.9),
    "nesterov": lambda: lv.Nesterov(0.9),
    "adam": lambda: lv.Adam(),
}


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("batch_size", [1, 4, 6])
def test_each_step_is_torchs_documented_update_computed_by_hand(name, batch_size):
    lr, n = 0.2, 15
    runs = run_sgd(
        LogisticProblem(X, Y, LAM),
        (0.5, -0.5),
        batch_size=batch_size,
        lr=lr,
        n_updates=n,
        optimizer=RULES[name](),
        shuffle=False,
    )
    expected = _by_hand(name, lr, _stored_order_batches(batch_size, n))
    np.testing.assert_allclose(runs.path(0), expected, rtol=1e-12, atol=1e-14)


def test_hand_computed_values_of_the_first_steps():
    # One sample x = 2, y = 1 at θ = (0, 0) with λ = 0: z = 0, dL/dz = σ(0) - 1 = -1/2, g₁ = (-1, -1/2).
    # The second gradient is taken at θ₁ and written out here as a number.
    x, y = [2.0], [1.0]
    lr = 0.5
    mom = run_sgd(
        LogisticProblem(x, y),
        (0.0, 0.0),
        batch_size=1,
        lr=lr,
        n_updates=2,
        optimizer=lv.Momentum(0.5),
        shuffle=False,
    )
    th1 = np.array([0.5, 0.25])  # θ₁ = -η·b₁, b₁ = g₁ (torch's buffer starts as the gradient, not 0)
    np.testing.assert_allclose(mom.params[1, 0], th1, rtol=1e-15)
    d = 1.0 / (1.0 + math.exp(-(2 * 0.5 + 0.25))) - 1.0  # dL/dz at z = 1.25
    b2 = 0.5 * np.array([-1.0, -0.5]) + d * np.array([2.0, 1.0])
    np.testing.assert_allclose(mom.params[2, 0], th1 - lr * b2, rtol=1e-14)

    adam = run_sgd(
        LogisticProblem(x, y),
        (0.0, 0.0),
        batch_size=1,
        lr=lr,
        n_updates=2,
        optimizer=lv.Adam(),
        shuffle=False,
    )
    # After bias correction m̂₁ = g₁ and v̂₁ = g₁², so the first step is η·g/(|g| + ε) ≈ η·sign(g).
    np.testing.assert_allclose(
        adam.params[1, 0], [0.5 * 1 / (1 + 1e-8), 0.5 * 0.5 / (0.5 + 1e-8)], rtol=1e-15
    )
    w1, b1 = adam.params[1, 0]  # ≈ (0.5, 0.5): the second gradient is taken there
    g2 = (1.0 / (1.0 + math.exp(-(2 * w1 + b1))) - 1.0) * np.array([2.0, 1.0])
    m = 0.9 * 0.1 * np.array([-1.0, -0.5]) + 0.1 * g2
    v = 0.999 * 0.001 * np.array([1.0, 0.25]) + 0.001 * g2**2
    step = (m / (1 - 0.9**2)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(adam.params[2, 0], adam.params[1, 0] - lr * step, rtol=1e-14)


def test_weight_decay_is_on_w_only_and_enters_the_buffer():
    # With every sample at x = 0 the loss does not depend on w: w moves by the penalty alone, so with
    # momentum w_t = w_{t-1} - η·b_t, b_t = β·b_{t-1} + λ·w_{t-1}; b follows the data, untouched by λ.
    x, y = [0.0, 0.0], [1.0, 0.0]
    lam, lr, beta = 0.5, 0.4, 0.8
    runs = run_sgd(
        LogisticProblem(x, y, lam), (2.0, 1.0), batch_size=2, lr=lr, n_updates=30, optimizer=lv.Momentum(beta)
    )
    w, buf, ws = 2.0, 0.0, [2.0]
    for t in range(1, 31):
        g = lam * w
        buf = g if t == 1 else beta * buf + g
        w -= lr * buf
        ws.append(w)
    np.testing.assert_allclose(runs.params[:, 0, 0], ws, rtol=1e-13)
    # b: the data gradient mean(σ(b) - y) = σ(b) - 1/2, without any decay term -- the same run at λ = 0
    free = run_sgd(
        LogisticProblem(x, y, 0.0), (2.0, 1.0), batch_size=2, lr=lr, n_updates=30, optimizer=lv.Momentum(beta)
    )
    np.testing.assert_array_equal(runs.params[:, 0, 1], free.params[:, 0, 1])


@pytest.mark.parametrize("rule", [lv.Momentum(0.0), lv.Nesterov(0.0)])
def test_zero_momentum_is_plain_sgd_bit_for_bit(rule):
    x, y = lv.make_churn(m=60, seed=1)
    args = {"batch_size": 7, "lr": 0.9, "n_updates": 40, "seeds": [3, 4]}
    a = run_sgd(LogisticProblem(x, y, 0.1), (0.0, 0.0), optimizer=rule, **args)
    b = run_sgd(LogisticProblem(x, y, 0.1), (0.0, 0.0), optimizer=SGD(), **args)
    np.testing.assert_array_equal(a.params, b.params)


def test_momentum_on_a_quadratic_is_the_power_of_its_iteration_matrix():
    # J = a/2·θ²: (θ_t, b_t) = M (θ_{t-1}, b_{t-1}) with M = [[1 - ηa, -ηβ], [a, β]] (from b_0 = 0,
    # which gives b_1 = a·θ_0 = g_1), an oracle from linear algebra.
    class Quadratic:
        m, n_params, a = 1, 1, 2.0

        def batch_gradients(self, params, batches):
            return self.a * params

        def objective_rows(self, params):
            return 0.5 * self.a * params[:, 0] ** 2

    lr, beta, a = 0.3, 0.7, 2.0
    runs = run_sgd(Quadratic(), [1.5], batch_size=1, lr=lr, n_updates=25, optimizer=lv.Momentum(beta))
    M = np.array([[1 - lr * a, -lr * beta], [a, beta]])
    expected = [(np.linalg.matrix_power(M, t) @ [1.5, 0.0])[0] for t in range(26)]
    np.testing.assert_allclose(runs.params[:, 0, 0], expected, rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------ torch itself
@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam"])
def test_twenty_steps_match_torch(name):
    torch = pytest.importorskip("torch")
    x, y = lv.make_churn(m=50, seed=3)
    lam, lr, k, seed, n = 0.2, 0.7 if name != "adam" else 0.05, 8, 5, 20
    rules = {
        "sgd": SGD(),
        "momentum": lv.Momentum(0.8),
        "nesterov": lv.Nesterov(0.8),
        "adam": lv.Adam(0.85, 0.99, 1e-7),
    }
    ours = run_sgd(
        LogisticProblem(x, y, lam),
        (0.4, -0.3),
        batch_size=k,
        lr=lr,
        n_updates=n,
        seeds=[seed],
        optimizer=rules[name],
    )

    w = torch.tensor([0.4], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([-0.3], dtype=torch.float64, requires_grad=True)
    groups = [{"params": [w], "weight_decay": lam}, {"params": [b], "weight_decay": 0.0}]
    if name == "adam":
        opt = torch.optim.Adam(groups, lr=lr, betas=(0.85, 0.99), eps=1e-7)
    else:
        opt = torch.optim.SGD(
            groups, lr=lr, momentum=0.0 if name == "sgd" else 0.8, dampening=0.0, nesterov=name == "nesterov"
        )
    xt, yt = torch.tensor(x), torch.tensor(y)
    rng = np.random.default_rng(seed)  # the engine's documented batches: minibatch_indices per epoch
    batches = []
    while len(batches) < n:
        batches += lv.minibatch_indices(x.size, k, rng)
    theirs = [[0.4, -0.3]]
    for batch in batches[:n]:
        idx = torch.from_numpy(batch)
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(w * xt[idx] + b, yt[idx])
        loss.backward()
        opt.step()
        theirs.append([w.item(), b.item()])
    np.testing.assert_allclose(ours.path(0), np.array(theirs), rtol=1e-13, atol=1e-15)


# ------------------------------------------------------------------ sweeps and per-run state
def _sweep_and_alone(rule_for, lrs, betas, batch_size, lam=1.0, overflow=lv.OVERFLOW, n_updates=120):
    x, y = lv.make_churn(m=40, seed=6)
    seeds = run_seeds(2, len(lrs))
    problem = LogisticProblem(x, y, lam)
    sweep = run_sgd(
        problem,
        (0.5, -0.5),
        batch_size=batch_size,
        lr=lrs,
        seeds=seeds,
        n_updates=n_updates,
        optimizer=rule_for(betas),
        overflow=overflow,
    )
    for r in range(len(lrs)):
        alone = run_sgd(
            problem,
            (0.5, -0.5),
            batch_size=batch_size,
            lr=lrs[r],
            seeds=[seeds[r]],
            n_updates=n_updates,
            optimizer=rule_for(betas[r]),
            overflow=overflow,
        )
        np.testing.assert_array_equal(sweep.path(r), alone.path(0))
        assert sweep.diverged_at[r] == alone.diverged_at[0]
    return sweep


@pytest.mark.parametrize("batch_size", [1, 9, 40])
@pytest.mark.parametrize("cls", [lv.Momentum, lv.Nesterov])
def test_each_run_of_a_momentum_sweep_equals_the_run_alone_bit_for_bit(cls, batch_size):
    # per-run β and per-run learning rates, some diverging (λ = 1 and ηλ large), so the engine's
    # path for a subset of rows (state rows selected and written back) is exercised too
    lrs = np.array([0.3, 3.0, 0.3, 3.0, 40.0, 200.0])
    betas = (0.0, 0.5, 0.9, 0.95, 0.5, 0.9)
    sweep = _sweep_and_alone(cls, lrs, betas, batch_size)
    assert sweep.diverged.any() and not sweep.diverged.all()
    assert sweep.diverged_at[sweep.diverged].min() > 1  # diverged after their state had grown


@pytest.mark.parametrize("batch_size", [1, 9, 40])
def test_each_run_of_an_adam_sweep_equals_the_run_alone_bit_for_bit(batch_size):
    # Adam's steps are about η each: with a bound of 10 only a large η leaves it, after a few steps
    lrs = np.array([0.01, 0.1, 1.0, 5.0, 7.0, 9.0])
    sweep = _sweep_and_alone(lambda _: lv.Adam(), lrs, [None] * lrs.size, batch_size, overflow=10.0)
    assert sweep.diverged.any() and not sweep.diverged.all()
    assert sweep.diverged_at[sweep.diverged].min() > 1


@pytest.mark.parametrize(
    ("rule", "big_lr"), [(lv.Momentum(0.9), 5.0), (lv.Nesterov(0.9), 2.0), (lv.Adam(), 20.0)]
)
def test_state_is_per_run_and_a_diverging_run_leaves_the_others_alone(rule, big_lr):
    # Run 1 diverges at a later update; runs 0 and 2 must be what they are without it, and their
    # state rows must be their own (the same state as in a sweep of the two alone).
    x, y = lv.make_churn(m=30, seed=8)
    problem = LogisticProblem(x, y, 1.0)
    lrs = np.array([0.5, big_lr, 1.0])
    overflow = 30.0
    three = run_sgd(
        problem,
        (0.2, 0.1),
        batch_size=5,
        lr=lrs,
        seeds=[1, 2, 3],
        n_updates=60,
        optimizer=rule,
        overflow=overflow,
    )
    assert three.diverged.tolist() == [False, True, False] and three.diverged_at[1] > 1
    two = run_sgd(
        problem,
        (0.2, 0.1),
        batch_size=5,
        lr=lrs[[0, 2]],
        seeds=[1, 3],
        n_updates=60,
        optimizer=rule,
        overflow=overflow,
    )
    np.testing.assert_array_equal(three.params[:, [0, 2]], two.params)

    # the state itself: stepping rows together or one at a time gives the same rows
    P = np.array([[0.1, 0.2], [5.0, -3.0], [-1.0, 0.5]])
    G = np.array([[0.3, -0.1], [1e3, 2e3], [-0.2, 0.4]])
    lr = np.array([[0.1], [0.2], [0.3]])
    state = rule.init_state(P)
    assert all(v.shape[0] == 3 for v in state.values())
    together = [rule.step(P, G, lr, state, t) for t in (1, 2, 3)][-1]
    for r in range(3):
        alone_state = rule.init_state(P[[r]])
        alone = [rule.step(P[[r]], G[[r]], lr[[r]], alone_state, t) for t in (1, 2, 3)][-1]
        np.testing.assert_array_equal(together[r], alone[0])
        for key in alone_state:
            np.testing.assert_array_equal(state[key][r], alone_state[key][0])


def test_train_passes_the_rule_through():
    x, y = lv.make_churn(m=80, seed=2)
    run = lv.train(x, y, batch_size=16, lr=0.5, lam=0.1, epochs=3, seed=4, optimizer=lv.Nesterov(0.7))
    engine = run_sgd(
        LogisticProblem(x, y, 0.1),
        (0.0, 0.0),
        batch_size=16,
        lr=0.5,
        n_updates=15,
        seeds=[4],
        optimizer=lv.Nesterov(0.7),
    )
    np.testing.assert_array_equal(run.params, engine.path(0))
    assert not np.array_equal(
        run.params, lv.train(x, y, batch_size=16, lr=0.5, lam=0.1, epochs=3, seed=4).params
    )


# ------------------------------------------------------------------ the objects themselves
def test_rules_are_frozen_with_readable_reprs():
    assert repr(lv.Momentum(0.9)) == "Momentum(beta=0.9)"
    assert repr(lv.Nesterov(0.5)) == "Nesterov(beta=0.5)"
    assert repr(lv.Adam()) == "Adam(beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(lv.Momentum([0.5, 0.9])) == "Momentum(beta=(0.5, 0.9))"
    assert lv.Momentum(0.9) == lv.Momentum(0.9) and lv.Momentum(0.9) != lv.Nesterov(0.9)
    assert len({lv.Adam(), lv.Adam(), lv.Momentum(0.9)}) == 2  # hashable
    with pytest.raises(dataclasses.FrozenInstanceError):
        lv.Momentum(0.9).beta = 0.5  # type: ignore[misc]
    assert isinstance(lv.Momentum(np.float32(0.5)).beta, float)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: lv.Momentum(1.0), ValueError, r"beta must be in \[0, 1\), got 1.0"),
        (lambda: lv.Momentum(-0.1), ValueError, "beta"),
        (lambda: lv.Nesterov(1.5), ValueError, "beta"),
        (lambda: lv.Momentum(float("nan")), ValueError, "beta"),
        (lambda: lv.Momentum("0.9"), TypeError, "beta"),
        (lambda: lv.Momentum(None), TypeError, "beta"),
        (lambda: lv.Nesterov(True), TypeError, "beta"),
        (lambda: lv.Momentum([0.5, 1.0]), ValueError, r"beta must be in \[0, 1\), got 1.0 at index 1"),
        (lambda: lv.Momentum([[0.5]]), ValueError, "beta"),
        (lambda: lv.Adam(beta1=1.0), ValueError, "beta1"),
        (lambda: lv.Adam(beta2=-0.5), ValueError, "beta2"),
        (lambda: lv.Adam(beta2="x"), TypeError, "beta2"),
        (lambda: lv.Adam(eps=0.0), ValueError, "eps"),
        (lambda: lv.Adam(eps=-1e-8), ValueError, "eps"),
        (lambda: lv.Adam(eps=[1e-8]), TypeError, "eps"),
    ],
)
def test_bad_settings_are_refused_naming_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_one_beta_per_run_must_match_the_number_of_runs():
    x, y = lv.make_churn(m=20, seed=0)
    with pytest.raises(ValueError, match=r"beta must be one number or have one value per run \(3\)"):
        run_sgd(
            LogisticProblem(x, y),
            (0.0, 0.0),
            batch_size=4,
            lr=0.1,
            n_updates=2,
            seeds=[0, 1, 2],
            optimizer=lv.Momentum([0.5, 0.9]),
        )
