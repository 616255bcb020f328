"""How long a slider change of the ImbalanceExplorer takes in the kernel, against its old path.

Run from the repository root (``make bench``)::

    .venv/bin/python benchmarks/bench_imbalance.py [--repeats 3]

A change refits what it changes and renders the picture's background, PNG included (what the
browser gets). Three ways are timed in the same run, on the same stops:

* "old path": constrained layout and a whole render at every change (the explorer before issue
  11's rework);
* "now, first visit": the layout kept while the figure's shape is the same, and the bars, the
  title, the legend and the samples drawn over the kept pixels of the rest;
* "now, prefetched": the stop was prepared while the learner looked (``prefetch()``, which runs
  by itself in a notebook): the background comes from the cache.

Each repeat builds new explorers and walks γ up and down its stops, then the churn rate.
Machines differ and other work slows everything; compare the columns of one run, not runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.layout_engine import ConstrainedLayoutEngine

import lossviz as lv


def _walk(slider) -> list[float]:
    values = [float(v) for v in slider._options_values]
    i = values.index(float(slider.value))
    up = [values[j] for j in range(i + 1, len(values))]
    return up + [values[j] for j in range(len(values) - 2, -1, -1)][: len(values) - 1]


def _explorer(old: bool) -> lv.interactive.ImbalanceExplorer:
    ex = lv.interactive.ImbalanceExplorer()
    ex.auto_prefetch = False
    ex.canvas.css_width = 860  # a notebook column
    if old:
        ex.fig.set_layout_engine(ConstrainedLayoutEngine())
        ex._layout.due = lambda fig: True  # type: ignore[method-assign]  # never over kept pixels
    return ex


def time_walk(mode: str) -> dict[str, list[float]]:
    ex = _explorer(old=mode == "old path")
    times: dict[str, list[float]] = {"focal γ": [], "churn rate": []}
    try:
        for name, slider in (("focal γ", ex.gamma_slider), ("churn rate", ex.rate_slider)):
            for value in _walk(slider):
                if mode == "now, prefetched":
                    slider.value = value  # the previous stop, reached: prepare its neighbours
                    ex.prefetch()
                    continue
                t0 = time.perf_counter()
                slider.value = value
                times[name].append((time.perf_counter() - t0) * 1e3)
            if mode == "now, prefetched":  # time the walk again, each step prepared beforehand
                for value in _walk(slider)[:8]:
                    ex.prefetch()
                    t0 = time.perf_counter()
                    slider.value = value
                    times[name].append((time.perf_counter() - t0) * 1e3)
    finally:
        ex.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    modes = ("old path", "now, first visit", "now, prefetched")
    results: dict[str, dict[str, list[float]]] = {m: {"focal γ": [], "churn rate": []} for m in modes}
    for _ in range(args.repeats):
        for mode in modes:
            for name, values in time_walk(mode).items():
                results[mode][name].extend(values)
    print("ImbalanceExplorer: one slider change in the kernel (refit, background, PNG), ms")
    print(f"{'slider':<12}{'way':<20}{'n':>4}{'median':>9}{'p90':>8}{'× faster':>10}")
    for name in ("focal γ", "churn rate"):
        base = statistics.median(results["old path"][name])
        for mode in modes:
            values = results[mode][name]
            median = statistics.median(values)
            p90 = float(np.percentile(values, 90))
            print(f"{name:<12}{mode:<20}{len(values):>4}{median:>9.1f}{p90:>8.1f}{base / median:>10.1f}")


if __name__ == "__main__":
    main()
