"""The network of lossviz.topics.network and its drawings (lossviz.plot.network).

Oracles: central finite differences of the objective (first and second order), a hand derivation of the
gradient and Hessian of a 1-1 network on one sample (plain ``math``, no numpy kernels), a forward pass
written as loops over samples and units, ``numpy.linalg.eigvalsh``/``eigh`` of the covariance for PCA,
and the closed form of Spearman's correlation without ties.
"""

from __future__ import annotations

import base64
import doctest
import itertools
import json
import math
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossviz.optim.sgd import BatchProblem, run_sgd
from lossviz.plot import network as plot_network
from lossviz.topics import network as nw

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data() -> nw.ChurnFeatures:
    return nw.make_network_churn(m_train=120, m_held_out=200, seed=3)


@pytest.fixture(scope="module")
def problem(data) -> nw.NetworkProblem:
    return nw.NetworkProblem(nw.MLP(3, 4), data.x_train, data.y_train, lam=0.01)


def _point(mlp: nw.MLP, seed: int, scale: float = 1.5) -> np.ndarray:
    # Random weights and biases, none zero, so every term of the derivatives is exercised.
    return np.random.default_rng(seed).normal(0.0, scale, mlp.n_params)


def _fd_gradient(problem: nw.NetworkProblem, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    E = np.eye(theta.size) * h
    return (problem.objective_rows(theta + E) - problem.objective_rows(theta - E)) / (2 * h)


# --- data ------------------------------------------------------------------------------------------


def test_data_is_seeded_standardised_with_training_statistics():
    a = nw.make_network_churn(m_train=400, m_held_out=300, seed=7)
    b = nw.make_network_churn(m_train=400, m_held_out=300, seed=7)
    c = nw.make_network_churn(m_train=400, m_held_out=300, seed=8)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_held_out, b.y_held_out)
    assert not np.array_equal(a.x_train, c.x_train)
    np.testing.assert_allclose(a.x_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(a.x_train.std(axis=0), 1.0, rtol=1e-12)
    # The held-out split is standardised with the training statistics, so it is not exactly centred.
    assert np.abs(a.x_held_out.mean(axis=0)).max() > 1e-6
    raw_held_out = a.x_held_out * a.std + a.mean
    assert raw_held_out[:, 0].min() >= 20 and raw_held_out[:, 0].max() <= 150  # bill
    assert np.allclose(raw_held_out[:, 1], np.round(raw_held_out[:, 1]))  # whole months
    assert np.allclose(raw_held_out[:, 2], np.round(raw_held_out[:, 2]))  # call counts
    assert set(np.unique(a.y_train)) <= {0.0, 1.0}


def test_labels_follow_the_stated_rule():
    # The docstring's formula, typed in independently of the module's helper: the labels' mean must match
    # the mean churn probability within binomial error.
    d = nw.make_network_churn(m_train=20000, m_held_out=1, seed=11)
    bill, tenure, calls = (d.x_train * d.std + d.mean).T
    z = (
        0.3
        + 3 * np.tanh((bill - 70) / 20) * np.exp(-tenure / 12)
        + 2 * np.tanh(2 * (calls - 2.5))
        - 0.04 * tenure
    )
    p = 1 / (1 + np.exp(-z))
    se = np.sqrt(np.sum(p * (1 - p))) / p.size
    assert abs(d.y_train.mean() - p.mean()) < 4 * se
    assert 0.15 < d.y_train.mean() < 0.3


# --- the network ----------------------------------------------------------------------------------


def test_flat_layout_and_unflatten_round_trip():
    net = nw.MLP(3, 4)
    assert net.n_params == 3 * 4 + 4 + 4 + 1
    P = np.arange(2 * net.n_params, dtype=float).reshape(2, -1)
    L = net.unflatten(P)
    assert L.W1.shape == (2, 4, 3) and L.b1.shape == (2, 4) and L.w2.shape == (2, 4) and L.b2.shape == (2,)
    assert L.W1[0, 1, 2] == 1 * 3 + 2  # unit 1's third incoming weight
    assert L.b1[0, 0] == 12 and L.w2[0, 0] == 16 and L.b2[1] == 2 * 21 - 1
    np.testing.assert_array_equal(net.flatten(L), P)
    assert net.weight_mask.sum() == 12 + 4
    assert [b.tolist() for b in net.filters[:2]] == [[0, 1, 2], [3, 4, 5]]
    assert net.filters[-1].tolist() == [16, 17, 18, 19]


def test_init_params_seeded_and_scaled():
    net = nw.MLP(5, 200)
    a, b = net.init_params(seed=1), net.init_params(seed=1)
    assert np.array_equal(a, b) and not np.array_equal(a, net.init_params(seed=2))
    L = net.unflatten(a)
    assert abs(L.W1.std() - 1 / np.sqrt(5)) < 0.03 and abs(L.w2.std() - 1 / np.sqrt(200)) < 0.02
    assert not L.b1.any() and not L.b2.any()
    assert np.array_equal(net.init_params([1, 2])[1], net.init_params(seed=2))


def test_forward_matches_loops_over_samples_and_units():
    net = nw.MLP(3, 4)
    P = np.stack([_point(net, s) for s in range(3)])
    x = np.random.default_rng(0).normal(size=(7, 3))
    z = net.logits(P, x)
    for r in range(3):
        W1, b1, w2, b2 = (P[r, :12].reshape(4, 3), P[r, 12:16], P[r, 16:20], P[r, 20])
        for i in range(7):
            hidden = [math.tanh(sum(W1[j, k] * x[i, k] for k in range(3)) + b1[j]) for j in range(4)]
            expected = sum(w2[j] * hidden[j] for j in range(4)) + b2
            assert z[r, i] == pytest.approx(expected, rel=1e-13, abs=1e-13)


def test_objective_is_mean_bce_plus_penalty_on_weights_only(problem):
    theta = _point(problem.mlp, 0)
    z = problem.mlp.logits(theta, problem.x)[0]
    p = 1 / (1 + np.exp(-z))
    bce = -np.mean(problem.y * np.log(p) + (1 - problem.y) * np.log(1 - p))
    weights = np.concatenate([theta[:12], theta[16:20]])
    expected = bce + 0.5 * problem.lam * np.sum(weights**2)
    assert problem.objective_rows(theta[None])[0] == pytest.approx(expected, rel=1e-12)
    # Moving a bias changes the cost but not the penalty; the penalty's gradient has no bias entries.
    shifted = theta.copy()
    shifted[12] += 1.0
    nopen = nw.NetworkProblem(problem.mlp, problem.x, problem.y, lam=0.0)
    diff_with = problem.objective_rows(np.stack([shifted, theta]))
    diff_without = nopen.objective_rows(np.stack([shifted, theta]))
    assert diff_with[0] - diff_with[1] == pytest.approx(diff_without[0] - diff_without[1], rel=1e-12)


def test_objective_rows_chunks_give_the_same_numbers(problem, monkeypatch):
    P = np.stack([_point(problem.mlp, s) for s in range(9)])
    whole = problem.objective_rows(P)
    monkeypatch.setattr(nw, "_CHUNK_ELEMENTS", problem.m * problem.mlp.n_hidden * 2)  # 2 rows per chunk
    np.testing.assert_allclose(problem.objective_rows(P), whole, rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        problem.hessian_vector_products(P, P),
        nw.NetworkProblem(problem.mlp, problem.x, problem.y, problem.lam).hessian_vector_products(P, P),
        rtol=1e-14,
    )


# --- gradients and curvature ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_central_differences(problem, seed):
    theta = _point(problem.mlp, seed)
    g = problem.batch_gradients(theta[None], None)[0]
    fd = _fd_gradient(problem, theta)
    assert np.linalg.norm(g - fd) / np.linalg.norm(g) < 1e-7


def test_batch_gradient_is_the_gradient_of_the_batch_objective(problem):
    theta = np.stack([_point(problem.mlp, 5), _point(problem.mlp, 6)])
    batches = np.array([[3, 17, 17, 40, 99], [0, 1, 2, 3, 4]])
    g = problem.batch_gradients(theta, batches)
    for r in range(2):
        sub = nw.NetworkProblem(problem.mlp, problem.x[batches[r]], problem.y[batches[r]], lam=problem.lam)
        fd = _fd_gradient(sub, theta[r])
        assert np.linalg.norm(g[r] - fd) / np.linalg.norm(fd) < 1e-7


def _tiny_by_hand(w1, b1, w2, b2, x, y, lam):
    """Gradient and Hessian of L(z) + λ/2(w1² + w2²), z = w2·tanh(w1·x + b1) + b2, derived by hand."""
    t = math.tanh(w1 * x + b1)
    z = w2 * t + b2
    s = 1 / (1 + math.exp(-z))
    l1, l2 = s - y, s * (1 - s)  # dL/dz, d²L/dz²
    t1, t2 = 1 - t * t, -2 * t * (1 - t * t)  # tanh', tanh''
    dz = np.array([w2 * t1 * x, w2 * t1, t, 1.0])  # ∂z/∂(w1, b1, w2, b2)
    d2z = np.array(
        [
            [w2 * t2 * x * x, w2 * t2 * x, t1 * x, 0.0],
            [w2 * t2 * x, w2 * t2, t1, 0.0],
            [t1 * x, t1, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
        ]
    )
    pen = np.array([lam, 0.0, lam, 0.0])
    grad = l1 * dz + pen * np.array([w1, b1, w2, b2])
    hess = l2 * np.outer(dz, dz) + l1 * d2z + np.diag(pen)
    return grad, hess


@pytest.mark.parametrize(
    "params,x,y", [((0.7, -0.3, 1.9, 0.2), 1.3, 1.0), ((-2.0, 0.5, -0.8, 1.0), -0.6, 0.0)]
)
def test_tiny_network_against_a_hand_derivation(params, x, y):
    problem = nw.NetworkProblem(nw.MLP(1, 1), [[x]], [y], lam=0.3)
    grad, hess = _tiny_by_hand(*params, x, y, 0.3)
    theta = np.array(params)
    np.testing.assert_allclose(problem.batch_gradients(theta[None], None)[0], grad, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(nw.full_hessian(problem, theta), hess, rtol=1e-12, atol=1e-15)


def test_hvp_matches_differences_of_the_gradient(problem):
    rng = np.random.default_rng(4)
    P = np.stack([_point(problem.mlp, s) for s in range(3)])
    V = rng.normal(size=P.shape)
    hv = problem.hessian_vector_products(P, V)
    h = 1e-5
    fd = (problem.batch_gradients(P + h * V, None) - problem.batch_gradients(P - h * V, None)) / (2 * h)
    assert np.max(np.linalg.norm(hv - fd, axis=1) / np.linalg.norm(hv, axis=1)) < 1e-8


def test_full_hessian_against_second_differences_of_the_objective():
    # Fully independent of the backpropagation: only objective values.
    d = nw.make_network_churn(m_train=40, m_held_out=1, seed=0)
    problem = nw.NetworkProblem(nw.MLP(3, 2), d.x_train, d.y_train, lam=0.05)
    theta = _point(problem.mlp, 9, scale=1.0)
    p, h = theta.size, 1e-4
    E = np.eye(p) * h
    # f(θ ± h·e_i ± h·e_j) for the four sign patterns, every (i, j) at once
    vals = {}
    for si, sj in [(1, 1), (1, -1), (-1, 1), (-1, -1)]:
        pts = theta + si * E[:, None, :] + sj * E[None, :, :]
        vals[si, sj] = problem.objective_rows(pts.reshape(-1, p)).reshape(p, p)
    fd = (vals[1, 1] - vals[1, -1] - vals[-1, 1] + vals[-1, -1]) / (4 * h * h)
    H = nw.full_hessian(problem, theta)
    np.testing.assert_allclose(H, H.T, rtol=0, atol=1e-13)
    assert np.abs(H - fd).max() / np.abs(H).max() < 1e-5


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_power_iteration_matches_eigvalsh(problem, seed):
    theta = _point(problem.mlp, seed)
    H = nw.full_hessian(problem, theta)
    eig = np.linalg.eigvalsh(H)
    dominant = eig[np.argmax(np.abs(eig))]  # what power iteration finds
    top = nw.top_hessian_eigenvalue(problem, theta, rtol=1e-9, max_iter=20000, seed=seed)
    assert top.converged[0]
    assert top.values[0] == pytest.approx(dominant, rel=1e-9)
    v = top.vectors[0]
    assert np.linalg.norm(H @ v - dominant * v) < 1e-6 * abs(dominant)


def test_power_iteration_vectorised_equals_one_at_a_time(problem):
    P = np.stack([_point(problem.mlp, s) for s in range(4)])
    together = nw.top_hessian_eigenvalue(problem, P, rtol=1e-8, max_iter=20000)
    for r in range(4):
        H = nw.full_hessian(problem, P[r])
        eig = np.linalg.eigvalsh(H)
        assert together.values[r] == pytest.approx(eig[np.argmax(np.abs(eig))], rel=1e-7)
    assert together.n_iter.min() < together.n_iter.max()  # runs stop when they converge, not together


def test_power_iteration_reports_non_convergence(problem):
    top = nw.top_hessian_eigenvalue(problem, _point(problem.mlp, 0), max_iter=2, rtol=1e-12)
    assert not top.converged[0] and top.n_iter[0] == 2 and top.residuals[0] > 1e-12


# --- directions, slices, symmetry ----------------------------------------------------------------


def test_filter_normalised_directions_block_norms(problem):
    net = problem.mlp
    theta = _point(net, 3)
    D = nw.filter_normalised_directions(net, theta, n_directions=3, seed=5)
    assert D.shape == (3, net.n_params)
    for block in net.filters:
        np.testing.assert_allclose(
            np.linalg.norm(D[:, block], axis=1), np.linalg.norm(theta[block]), rtol=1e-13
        )
    assert not D[:, ~net.weight_mask].any()
    assert len(net.filters) == net.n_hidden + 1
    covered = np.concatenate(net.filters)
    assert np.array_equal(np.sort(covered), np.flatnonzero(net.weight_mask))
    assert np.array_equal(D, nw.filter_normalised_directions(net, theta, n_directions=3, seed=5))
    assert not np.array_equal(D[:2], nw.filter_normalised_directions(net, theta, seed=6))
    # Each block points in a random direction: not the direction of θ's block.
    cos = D[0, :3] @ theta[:3] / np.linalg.norm(theta[:3]) ** 2
    assert abs(cos) < 0.999


def test_cost_slice_shape_and_equality_to_a_loop(problem):
    theta = _point(problem.mlp, 1)
    D = nw.filter_normalised_directions(problem.mlp, theta, seed=0)
    a, b = np.linspace(-1, 1, 7), np.linspace(-0.5, 1.5, 5)
    J = nw.cost_slice(problem, theta, D, a, b)
    assert J.shape == (5, 7)
    for i, j in [(0, 0), (4, 6), (2, 3), (1, 5)]:
        point = theta + a[j] * D[0] + b[i] * D[1]
        z = problem.mlp.logits(point, problem.x)[0]
        loss = np.logaddexp(0, z) - problem.y * z
        expected = loss.mean() + 0.5 * problem.lam * np.sum(point[problem.mlp.weight_mask] ** 2)
        assert J[i, j] == pytest.approx(expected, rel=1e-12)


def test_cost_slice_in_chunks_of_rows_equals_one_chunk(problem, monkeypatch):
    theta = _point(problem.mlp, 2)
    D = nw.filter_normalised_directions(problem.mlp, theta, seed=1)
    a, b = np.linspace(-1, 1, 6), np.linspace(-1, 1, 9)
    whole = nw.cost_slice(problem, theta, D, a, b)
    monkeypatch.setattr(nw, "_CHUNK_ELEMENTS", 2 * a.size * problem.m * problem.mlp.n_hidden)  # 2 rows
    np.testing.assert_allclose(nw.cost_slice(problem, theta, D, a, b), whole, rtol=1e-15, atol=0)


def test_cost_along_segment_ends(problem):
    a, b = _point(problem.mlp, 1), _point(problem.mlp, 2)
    J = nw.cost_along_segment(problem, a, b, [0.0, 1.0, 2.0])
    np.testing.assert_allclose(J, problem.objective_rows(np.stack([a, b, 2 * b - a])), rtol=1e-13)


def test_every_symmetric_copy_has_the_same_cost_at_a_different_point():
    d = nw.make_network_churn(m_train=60, m_held_out=1, seed=2)
    net = nw.MLP(3, 3)
    problem = nw.NetworkProblem(net, d.x_train, d.y_train, lam=0.1)
    theta = _point(net, 8)
    copies = [
        nw.permute_hidden_units(net, theta, list(perm), signs=list(signs))
        for perm in itertools.permutations(range(3))
        for signs in itertools.product([1, -1], repeat=3)
    ]
    P = np.stack(copies)
    assert P.shape[0] == math.factorial(3) * 2**3
    assert len({tuple(np.round(c, 12)) for c in copies}) == 48  # all distinct points
    J = problem.objective_rows(P)
    np.testing.assert_allclose(J, J[0], rtol=1e-13)
    eig = np.linalg.eigvalsh(nw.full_hessian(problem, theta))
    eig_copy = np.linalg.eigvalsh(nw.full_hessian(problem, copies[17]))
    np.testing.assert_allclose(eig_copy, eig, rtol=1e-10, atol=1e-13)


def test_permutation_moves_the_gradient_with_the_units(problem):
    net = problem.mlp
    theta = _point(net, 4)
    perm = [3, 1, 0, 2]
    g = problem.batch_gradients(theta[None], None)[0]
    g_copy = problem.batch_gradients(nw.permute_hidden_units(net, theta, perm)[None], None)[0]
    np.testing.assert_allclose(g_copy, nw.permute_hidden_units(net, g, perm), rtol=1e-12, atol=1e-15)


def test_permuted_minimum_is_separated_by_a_barrier(problem):
    # Non-convexity: the midpoint of a minimum and its copy costs more than either (not so for a convex J).
    runs = run_sgd(
        problem,
        problem.mlp.init_params(seed=0),
        batch_size=problem.m,
        lr=0.5,
        n_updates=1500,
        seeds=[0],
        record="final",
    )
    theta = runs.final_params[0]
    rises = []
    for i, j in itertools.combinations(range(4), 2):  # swap two units
        perm = np.arange(4)
        perm[[i, j]] = perm[[j, i]]
        J = nw.cost_along_segment(
            problem, theta, nw.permute_hidden_units(problem.mlp, theta, perm), [0.0, 0.5, 1.0]
        )
        assert J[0] == pytest.approx(J[2], rel=1e-12)
        rises.append(J[1] - J[0])
    assert min(rises) > 1e-6 and max(rises) > 0.05, rises


def test_trajectory_plane_against_eigh_of_the_covariance():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 1, 40)[:, None]
    basis = np.linalg.qr(rng.normal(size=(6, 3)))[0].T  # 3 orthonormal directions in R^6
    path = (
        3 * (1 - t) * basis[0]
        + np.sin(5 * t) * basis[1]
        + 0.05 * np.cos(9 * t) * basis[2]
        + rng.normal(0, 1e-3, (40, 6))
    )
    plane = nw.trajectory_plane(path)
    M = path - path[-1]
    cov = np.cov(M.T, bias=True)
    w, U = np.linalg.eigh(cov)
    np.testing.assert_allclose(plane.explained, w[::-1][:2] / w.sum(), rtol=1e-10)
    for k in range(2):
        assert abs(abs(plane.directions[k] @ U[:, -1 - k]) - 1) < 1e-10
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(plane.coords, M @ plane.directions.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(plane.coords[-1], 0.0, atol=1e-15)
    assert (plane.coords[0] >= 0).all()  # the sign convention
    # What lift drops is orthogonal to the plane; a path that lies in a plane is lifted onto itself.
    np.testing.assert_allclose((path - plane.lift(plane.coords)) @ plane.directions.T, 0.0, atol=1e-12)
    flat = 3 * (1 - t) * basis[0] + np.sin(5 * t) * basis[1]
    flat_plane = nw.trajectory_plane(flat)
    np.testing.assert_allclose(flat_plane.lift(flat_plane.coords), flat, atol=1e-12)
    assert flat_plane.explained.sum() == pytest.approx(1.0, rel=1e-12)


def test_rank_correlation_against_the_closed_form():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=30), rng.normal(size=30)
    d = np.argsort(np.argsort(a)) - np.argsort(np.argsort(b))
    expected = 1 - 6 * np.sum(d**2) / (30 * (30**2 - 1))
    assert nw.rank_correlation(a, b) == pytest.approx(expected, rel=1e-12)
    assert nw.rank_correlation([1, 2, 2, 3], [1, 2, 2, 3]) == 1.0
    assert nw.rank_correlation(a, -a) == -1.0


def test_format_spread():
    assert nw.format_spread(np.arange(101.0), digits=0) == "50 [25, 75] (0 … 100)"


# --- the engine and the experiment ---------------------------------------------------------------


def test_network_problem_trains_with_the_engine(problem):
    assert isinstance(problem, BatchProblem)
    starts = problem.mlp.init_params([0, 1])
    runs = run_sgd(problem, starts, batch_size=8, lr=0.5, n_updates=300, seeds=[0, 1], record="final")
    before, after = problem.objective_rows(starts), problem.objective_rows(runs.final_params)
    assert (after < before - 0.05).all() and not runs.diverged.any()


def test_describe_endpoints(problem, data):
    held_out = nw.NetworkProblem(problem.mlp, data.x_held_out, data.y_held_out)
    P = np.stack([_point(problem.mlp, s, scale=0.5) for s in range(3)])
    ends = nw.describe_endpoints(problem, held_out, P)
    np.testing.assert_allclose(ends.held_out_cost, held_out.objective_rows(P))
    np.testing.assert_allclose(ends.objective, problem.objective_rows(P))
    for r in range(3):
        eig = np.linalg.eigvalsh(nw.full_hessian(problem, P[r]))
        assert ends.sharpness[r] == pytest.approx(eig[np.argmax(np.abs(eig))], rel=1e-6)
        assert ends.gradient_norm[r] == pytest.approx(np.linalg.norm(_fd_gradient(problem, P[r])), rel=1e-6)


def _ends(sharpness, held_out):
    n = len(sharpness)
    return nw.Endpoints(
        np.array(sharpness, float),
        np.ones(n, bool),
        np.zeros(n),
        np.array(held_out, float),
        np.zeros(n),
        np.zeros((n, 21)),
    )


def test_batch_comparison_counts_and_table():
    c = nw.BatchComparison((8, 300), _ends([1, 2, 3], [0.3, 0.5, 0.2]), _ends([2, 1, 4], [0.4, 0.45, 0.35]))
    assert c.flatter_pairs == 2 and c.lower_held_out_pairs == 2
    lines = c.table().splitlines()
    assert lines[0] == "median [quartiles] (min … max) over 3 runs"
    assert "  batch 8    2 [1.5, 2.5] (1 … 3)" in lines and "held-out cost:" in lines
    assert c.summary().startswith(
        "flatter in 2/3, lower held-out cost in 2/3; median held-out cost 0.300 "
        "(batch 8) vs 0.400 (batch 300)"
    )


def test_path_window_frames_the_path():
    a, b = nw.path_window([[1.0, 5.0], [3.0, 5.0]], n=5, margin=0.25)
    np.testing.assert_allclose(a[[0, -1]], [0.5, 3.5])
    np.testing.assert_allclose(b[[0, -1]], [4.75, 5.25])  # no extent: a margin of 0.25 in absolute units


def test_compare_batch_sizes_is_run_sgd_then_describe(problem, data):
    held_out = nw.NetworkProblem(problem.mlp, data.x_held_out, data.y_held_out)
    starts = problem.mlp.init_params([4, 5])
    c = nw.compare_batch_sizes(problem, held_out, starts, lr=0.3, n_updates=40, seeds=[7, 8], small=10)
    assert c.batch_sizes == (10, problem.m)
    for size, ends in [(10, c.small), (problem.m, c.large)]:
        runs = run_sgd(problem, starts, batch_size=size, lr=0.3, n_updates=40, seeds=[7, 8], record="final")
        np.testing.assert_array_equal(ends.params, runs.final_params)
        np.testing.assert_allclose(ends.held_out_cost, held_out.objective_rows(runs.final_params))
    polished = nw.polish(problem, held_out, c, lr=0.3, n_updates=30)
    assert polished.batch_sizes == c.batch_sizes
    again = run_sgd(
        problem, c.small.params, batch_size=problem.m, lr=0.3, n_updates=30, seeds=[0, 1], record="final"
    )
    np.testing.assert_array_equal(polished.small.params, again.final_params)
    with pytest.raises(ValueError, match=r"lr=1e\+06 is too large"):
        nw.compare_batch_sizes(problem, held_out, starts, lr=1e6, n_updates=40, seeds=[7, 8])
    with pytest.raises(ValueError, match="seeds must have one seed per start"):
        nw.compare_batch_sizes(problem, held_out, starts, lr=0.3, n_updates=40, seeds=[7])
    with pytest.raises(TypeError, match="comparison must be a BatchComparison"):
        nw.polish(problem, held_out, "c", lr=0.3, n_updates=30)


# --- bad input ------------------------------------------------------------------------------------


def _raises(exc, match, fn, *args, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


def test_bad_input_is_refused_naming_the_argument(problem, data):
    net = problem.mlp
    theta = net.init_params(seed=0)
    _raises(ValueError, "n_inputs", nw.MLP, 0, 3)
    _raises(TypeError, "n_hidden", nw.MLP, 3, 2.5)
    wrong = nw.Layers(np.zeros((1, 3, 4)), np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(1))
    _raises(ValueError, "layers must have shapes", net.flatten, wrong)
    _raises(ValueError, "m_train", nw.make_network_churn, 1)
    _raises(ValueError, r"params must have shape \(21,\)", net.logits, np.zeros(20), data.x_train)
    _raises(ValueError, "params must be finite", net.logits, np.full(21, np.nan), data.x_train)
    _raises(ValueError, "x must have 3 columns", net.logits, theta, np.zeros((4, 2)))
    _raises(TypeError, "mlp must be a", nw.NetworkProblem, "net", data.x_train, data.y_train)
    _raises(ValueError, "y must have shape", nw.NetworkProblem, net, data.x_train, data.y_train[:-1])
    _raises(ValueError, "y must lie in", nw.NetworkProblem, net, data.x_train, data.y_train + 1)
    _raises(ValueError, "lam must be >= 0", nw.NetworkProblem, net, data.x_train, data.y_train, lam=-1)
    _raises(ValueError, r"params must have shape \(R, 21\)", problem.objective_rows, theta)
    _raises(
        ValueError, "batches must be an integer array", problem.batch_gradients, theta[None], np.zeros((1, 3))
    )
    _raises(ValueError, "batches must hold indices", problem.batch_gradients, theta[None], [[0, 120]])
    _raises(
        ValueError,
        "vectors must have the shape",
        problem.hessian_vector_products,
        theta[None],
        np.zeros((2, 21)),
    )
    _raises(
        ValueError,
        "directions must have shape",
        nw.cost_slice,
        problem,
        theta,
        np.zeros((3, 21)),
        [0.0],
        [0.0],
    )
    _raises(
        ValueError, "alphas must be finite", nw.cost_slice, problem, theta, np.zeros((2, 21)), [np.inf], [0.0]
    )
    _raises(
        ValueError,
        "centre must have shape",
        nw.cost_slice,
        problem,
        theta[None],
        np.zeros((2, 21)),
        [0.0],
        [0.0],
    )
    _raises(TypeError, "problem must be a NetworkProblem", nw.cost_along_segment, None, theta, theta, [0])
    _raises(ValueError, "perm must be a permutation", nw.permute_hidden_units, net, theta, [0, 0, 1, 2])
    _raises(ValueError, "signs must be", nw.permute_hidden_units, net, theta, [0, 1, 2, 3], [1, 1, 0, 1])
    _raises(ValueError, r"rtol must be in \(0, 1\]", nw.top_hessian_eigenvalue, problem, theta, rtol=0)
    _raises(ValueError, "max_iter must be >= 1", nw.top_hessian_eigenvalue, problem, theta, max_iter=0)
    _raises(ValueError, "path must have at least 3 points", nw.trajectory_plane, np.zeros((2, 21)))
    _raises(ValueError, "path must move", nw.trajectory_plane, np.zeros((5, 21)))
    _raises(
        ValueError, "n_directions must be >= 1", nw.filter_normalised_directions, net, theta, n_directions=0
    )
    held = nw.NetworkProblem(net, data.x_held_out, data.y_held_out, lam=0.1)
    _raises(ValueError, "held_out must have lam=0", nw.describe_endpoints, problem, held, theta[None])
    _raises(ValueError, "b must not be constant", nw.rank_correlation, [1, 2, 3], [4, 4, 4])
    _raises(ValueError, "margin must be >= 0", nw.path_window, [[0, 0], [1, 1]], margin=-1)
    _raises(ValueError, r"coords must have shape \(n, 2\)", nw.path_window, [[0, 0, 0]])


# --- drawing ---------------------------------------------------------------------------------------


def _slice_args():
    a = np.linspace(-1, 1, 9)
    b = np.linspace(-2, 2, 7)
    return a, b, 0.3 + np.add.outer(b**2, a**2)


DRAWINGS = {
    "cost_slice_contours": lambda ax: plot_network.cost_slice_contours(
        *_slice_args(), ax=ax, path=[[1, 1], [0, 0]]
    ),
    "segment_cost_curve": lambda ax: plot_network.segment_cost_curve([0, 0.5, 1], [1, 2, 1], ax=ax),
    "sharpness_scatter": lambda ax: plot_network.sharpness_scatter({"a": ([1, 2], [3, 4])}, ax=ax),
}


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_drawings_follow_the_contract(name):
    assert set(DRAWINGS) == set(plot_network.__all__)
    ax = DRAWINGS[name](None)
    assert isinstance(ax, matplotlib.axes.Axes)
    _, given = plt.subplots()
    assert DRAWINGS[name](given) is given
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        DRAWINGS[name]("not an axes")


def test_cost_slice_contours_draws_the_path_and_refuses_bad_shapes():
    a, b, J = _slice_args()
    ax = plot_network.cost_slice_contours(a, b, J, path=[[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]])
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), [1.0, 0.5, 0.0])
    _raises(
        ValueError,
        r"J must have shape \(len\(betas\), len\(alphas\)\)",
        plot_network.cost_slice_contours,
        a,
        b,
        J.T,
    )
    _raises(
        ValueError,
        r"path must have shape \(n, 2\)",
        plot_network.cost_slice_contours,
        a,
        b,
        J,
        path=np.zeros((3, 3)),
    )
    _raises(ValueError, "ts must contain 0 and 1", plot_network.segment_cost_curve, [0.2, 0.5], [1, 2])


def test_sharpness_scatter_takes_its_colours_from_roles():
    from lossviz.plot.style import COLOURS

    ax = plot_network.sharpness_scatter(
        {"batch 8": ([1, 2], [3, 4]), "full": ([2, 3], [3, 3])}, roles=("mini_batch", "full_batch")
    )
    for collection, role in zip(ax.collections, ("mini_batch", "full_batch"), strict=True):
        assert matplotlib.colors.to_hex(collection.get_facecolor()[0]) == COLOURS[role].lower()
    _raises(
        ValueError,
        r"roles\[0\] must be one of",
        plot_network.sharpness_scatter,
        {"a": ([1], [2])},
        roles=("no such role",),
    )
    _raises(
        ValueError,
        "roles must name one role per group",
        plot_network.sharpness_scatter,
        {"a": ([1], [2])},
        roles=("mini_batch", "full_batch"),
    )


# --- doctests and the lesson's figures -----------------------------------------------------------


@pytest.mark.parametrize("module", [nw, plot_network], ids=["topics.network", "plot.network"])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_lesson_figures_fit_a_notebook_column():
    lesson = ROOT / "notebooks" / "12_network_landscape.ipynb"
    if not lesson.exists():
        pytest.skip(f"{lesson.name} is not written yet")
    widths = []
    for cell in json.loads(lesson.read_text())["cells"]:
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                widths.append(struct.unpack(">I", base64.b64decode(png)[16:20])[0])
    assert widths and max(widths) <= 900, widths
