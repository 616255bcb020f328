"""How long a 2-D slice of the network's cost takes, vectorised against a loop over grid points.

Run from the repository root (``make bench``)::

    .venv/bin/python benchmarks/bench_network_slice.py [--points 51] [--repeats 5]

The slice is the lesson's: the network of ``lossviz.topics.network`` (3 inputs, 4 tanh units) trained by
full-batch gradient descent on the churn-like training set (300 samples), and its objective on a
``points x points`` grid along two filter-normalised directions. Every grid point is a forward pass over
all 300 samples. ``cost_slice`` stacks the grid's parameter vectors and evaluates them together
(``NetworkProblem.objective_rows``, chunked over rows); the baseline, measured in the same run on the same
grid, is the obvious loop: one ``objective_rows`` call per grid point. The script checks that both give the
same numbers, then prints the median of ``--repeats`` timings of each.

What to expect: each point's forward pass is already vectorised over the 300 samples, so the loop pays the
same arithmetic plus the overhead of a few dozen numpy calls per point (tens of microseconds). The
vectorised slice pays almost only the arithmetic: about 1,800 transcendental functions per point (a
``tanh`` per sample and unit, an ``exp`` and a ``log1p`` per sample). The script also times ``np.tanh``
alone over as many values as the slice's hidden layer holds, a floor that no numpy version of the slice
can beat. Machines differ and other work on the machine slows everything; compare the lines of one run,
not runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from lossviz.optim.sgd import run_sgd
from lossviz.topics import network as nw


def loop_slice(
    problem: nw.NetworkProblem,
    centre: np.ndarray,
    directions: np.ndarray,
    alphas: np.ndarray,
    betas: np.ndarray,
) -> np.ndarray:
    """The baseline: one forward pass per grid point, in a Python loop."""
    out = np.empty((betas.size, alphas.size))
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            point = centre + a * directions[0] + b * directions[1]
            out[i, j] = problem.objective_rows(point[None, :])[0]
    return out


def timed(fns, repeats: int) -> list[tuple[float, np.ndarray]]:
    """Median time and result of each function, the functions taking turns (so load hits them alike)."""
    times: list[list[float]] = [[] for _ in fns]
    results: list[np.ndarray] = [np.empty(0) for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=51, help="grid points per axis (default 51)")
    parser.add_argument("--repeats", type=int, default=5, help="timings per method; the median is shown")
    args = parser.parse_args()

    data = nw.make_network_churn(seed=0)
    net = nw.MLP(3, 4)
    problem = nw.NetworkProblem(net, data.x_train, data.y_train, lam=1e-3)
    runs = run_sgd(
        problem,
        net.init_params(seed=0),
        batch_size=problem.m,
        lr=0.5,
        n_updates=3000,
        seeds=[0],
        record="final",
    )
    centre = runs.final_params[0]
    directions = nw.filter_normalised_directions(net, centre, seed=0)
    grid = np.linspace(-1.0, 1.0, args.points)

    values = np.random.default_rng(0).normal(size=(args.points**2, net.n_hidden, problem.m))
    (t_vec, J_vec), (t_loop, J_loop), (t_tanh, _) = timed(
        [
            lambda: nw.cost_slice(problem, centre, directions, grid, grid),
            lambda: loop_slice(problem, centre, directions, grid, grid),
            lambda: np.tanh(values),
        ],
        args.repeats,
    )
    gap = float(np.max(np.abs(J_vec - J_loop)))
    if gap > 1e-12:
        raise SystemExit(f"the two slices differ by {gap:.2e}: the benchmark compares different things")

    n = args.points**2
    print(
        f"2-D slice of the network's objective: {args.points} x {args.points} = {n} points, "
        f"each a forward pass over m = {problem.m} samples (p = {net.n_params} parameters)"
    )
    print(f"  vectorised cost_slice : {t_vec * 1e3:8.1f} ms  ({n / t_vec:9.0f} points/s)")
    print(f"  loop over grid points : {t_loop * 1e3:8.1f} ms  ({n / t_loop:9.0f} points/s)")
    print(f"  np.tanh alone on the {values.size} hidden values: {t_tanh * 1e3:.1f} ms (a floor)")
    print(
        f"  speed-up {t_loop / t_vec:.1f}x; largest difference between the two: {gap:.1e}; "
        f"median of {args.repeats} timings each"
    )


if __name__ == "__main__":
    main()
