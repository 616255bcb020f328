"""How long the batch-size sweep of lesson 07 takes, against looping over ``lossviz.train``.

Run from the repository root (``make bench``)::

    .venv/bin/python benchmarks/bench_steps_to_target.py [--seeds 32] [--repeats 3]

``lossviz.batch_size.steps_to_target`` runs every learning rate and seed of one batch size at once,
as numpy arrays, and evaluates the cost only at geometrically spaced checkpoints. The
baseline, measured in the same run on the same settings, is the obvious loop: one
``lossviz.train`` run per (batch size, learning rate, seed) -- which computes the cost after
every update -- then the seed-averaged cost curve, read at the same checkpoints with the same
rule (the first of ``hold`` consecutive checkpoints at or below the target). Both use the
same seeds (``lossviz.optim.run_seeds``), so their step counts must be equal; the script
checks that and prints both.

Goal on the 2-core machine this course is built on: at least 5x faster than the loop.
Machines differ and other work on the machine slows everything; compare the columns of one
run, not runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import lossviz as lv
from lossviz.optim import run_seeds

SPEED_UP_GOAL = 5.0


def checkpoints(max_steps: int, per_decade: int) -> np.ndarray:
    """Geometrically spaced update counts, as steps_to_target reads them."""
    n = int(np.ceil(np.log10(max(max_steps, 2)) * per_decade)) + 1
    return np.unique(np.round(np.geomspace(1, max_steps, n)).astype(int))


def baseline(x, y, batch_sizes, lrs, target, n_seeds, max_steps, per_decade, hold):
    """Steps to the target per (batch size, lr), by looping over lossviz.train."""
    m = x.size
    ck = checkpoints(max_steps, per_decade)
    out = np.full((len(batch_sizes), len(lrs)), np.inf)
    for i, b in enumerate(batch_sizes):
        epochs = -(-max_steps // -(-m // b))
        seeds = run_seeds((0, b), len(lrs) * n_seeds).reshape(len(lrs), n_seeds)
        for j, lr in enumerate(lrs):
            runs = [lv.train(x, y, batch_size=b, lr=lr, epochs=epochs, seed=int(s)) for s in seeds[j]]
            if any(r.diverged_at is not None for r in runs):
                continue
            below = np.mean([r.costs[ck] for r in runs], axis=0) <= target
            for k in range(ck.size - hold + 1):
                if below[k : k + hold].all():
                    out[i, j] = ck[k]
                    break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    x, y = lv.make_churn(1000, seed=0)
    target = lv.batch_size.cost_reduction_target(x, y, 0.9)
    batch_sizes = [4, 32, 256]
    lrs = 2.0 ** np.arange(-3, 2.5, 1.0)
    max_steps = 2000
    per_decade, hold = 40, 5
    kw = {
        "batch_sizes": batch_sizes,
        "lrs": lrs,
        "target": target,
        "n_seeds": args.seeds,
        "max_steps": max_steps,
        "max_examples": 10**9,
        "checkpoints_per_decade": per_decade,
        "hold": hold,
        "stop_at_first": False,
    }

    fast_times, slow_times = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fast = lv.batch_size.steps_to_target(x, y, **kw)
        fast_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        slow = baseline(x, y, batch_sizes, lrs, target, args.seeds, max_steps, per_decade, hold)
        slow_times.append(time.perf_counter() - t0)

    print(
        f"{len(batch_sizes)} batch sizes x {lrs.size} learning rates x {args.seeds} seeds, "
        f"up to {max_steps} updates each; median of {args.repeats} repeats"
    )
    t_fast, t_slow = statistics.median(fast_times), statistics.median(slow_times)
    print(f"  steps_to_target (vectorised):  {t_fast:7.2f} s")
    print(f"  loop over lossviz.train:       {t_slow:7.2f} s")
    speed_up = t_slow / t_fast
    verdict = "meets" if speed_up >= SPEED_UP_GOAL else "misses"
    print(f"  speed-up {speed_up:.1f}x ({verdict} the goal of {SPEED_UP_GOAL:.0f}x)")
    print("\nbest learning rate and updates to the target, vectorised vs loop:")
    for i, b in enumerate(batch_sizes):
        jf, js = int(np.argmin(fast.steps[i])), int(np.argmin(slow[i]))
        print(
            f"  B = {b:>4}: lr {lrs[jf]:.3g} in {fast.steps[i, jf]:.0f}  |  "
            f"lr {lrs[js]:.3g} in {slow[i, js]:.0f}"
        )
    same = np.array_equal(fast.steps, slow)
    print(f"step counts equal for every (batch size, lr): {same}")
    if not same:
        raise SystemExit("steps_to_target and the loop over train disagree")


if __name__ == "__main__":
    main()
