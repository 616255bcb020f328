"""What a change of lossviz's client-side picture (LayeredCanvas) costs in the kernel.

Run from the repository root::

    .venv/bin/python benchmarks/bench_canvas.py [--repeats 30]

Three costs, each with the widget's own serialisation (what ipywidgets does before it sends: the
state with its binary buffers split out and the rest as JSON), and the bytes sent:

* a layer change: two lines (50 and 160 points) moved with ``set_data`` in one ``hold_sync``;
* prefetching: 61 frames of the same two lines with ``add_frames``;
* a background: matplotlib draws what does not move (a 200×200 filled-contour landscape with
  its lines and axes, 900 CSS px wide) and encodes the PNG, at device pixel ratio 1 and 2; and
  the static ``image/png`` of the display (``static_png``).

The browser's share (transfer, decode, paint) is measured by tests/browser/test_browser_canvas.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import numpy as np
from ipywidgets.widgets.widget import _remove_buffers
from matplotlib.figure import Figure

from lossviz.interactive._canvas import LayeredCanvas


def _sent_bytes(pic: LayeredCanvas, keys: list[str]) -> int:
    state = pic.get_state(keys)
    state, _, buffers = _remove_buffers(state)
    return len(json.dumps(state)) + sum(len(b) for b in buffers)


def _timed(fn, repeats: int) -> list[float]:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        times.append(1e3 * (time.perf_counter() - start))
    return times


def _line(label: str, times: list[float], extra: str = "") -> None:
    p90 = float(np.percentile(times, 90))
    print(f"{label:<46} {statistics.median(times):8.2f} {p90:8.2f}  {extra}")


def _landscape() -> tuple[Figure, dict]:
    fig = Figure(figsize=(9, 3.6), dpi=100)
    ax, cost = fig.subplots(1, 2)
    w, b = np.meshgrid(np.linspace(-4, 4, 200), np.linspace(-4, 4, 200))
    z = np.log1p((w - 1) ** 2 + 5 * (b + 0.5) ** 2 + np.sin(3 * w))
    ax.contourf(w, b, z, levels=20, cmap="viridis")
    ax.contour(w, b, z, levels=10, colors="k", linewidths=0.5)
    ax.set(xlabel="w", ylabel="b", title="objective")
    cost.set(yscale="log", xlim=(0, 160), ylim=(1e-4, 10), xlabel="updates", title="cost")
    layers = {
        "path": ax.plot([], [], "o-", color="C3", ms=2, lw=1)[0],
        "curve": cost.plot([], [], color="C3", lw=1.5)[0],
    }
    return fig, layers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)

    fig, layers = _landscape()
    pic = LayeredCanvas(fig, layers=layers, frame_keys=[widgets.IntSlider(value=0, max=60)])
    pic.css_width = 900
    steps = np.arange(161)

    def change(i: int) -> None:
        path = np.cumsum(rng.standard_normal((160, 2)) * 0.05, axis=0)
        with pic.hold_sync():
            pic.set_data("path", path[:, 0], path[:, 1])
            pic.set_data("curve", steps[1:], np.exp(-steps[1:] / (20 + i)))
        _remove_buffers(pic.get_state(["data", "styles"]))

    print(f"{'in the kernel (ms)':<46} {'median':>8} {'p90':>8}  sent")
    _line(
        "layer change: 2 lines, set_data + serialise",
        _timed(change, args.repeats),
        f"{_sent_bytes(pic, ['data']) / 1024:.1f} KB",
    )

    frames = {
        v: {
            "path": (np.cos(steps / 20 + v), np.sin(steps / 20 + v)),
            "curve": (steps[1:], np.exp(-steps[1:] / (20 + v))),
        }
        for v in range(61)
    }
    sent: list[int] = []
    pic.send = lambda content, buffers=None: sent.append(
        len(json.dumps(content)) + sum(len(b) for b in buffers or ())
    )
    _line(
        "prefetch: 61 frames of 2 lines, add_frames",
        _timed(lambda i: pic.add_frames(frames), max(3, args.repeats // 5)),
        f"{sent[-1] / 1024:.1f} KB",
    )

    for dpr in (1.0, 2.0):
        pic.dpr = dpr
        times = _timed(lambda i: pic.redraw(), max(3, args.repeats // 5))
        _line(
            f"background at dpr {dpr:g}: Agg draw + PNG",
            times,
            f"{len(pic.background) / 1024:.0f} KB, {pic.geometry['width']}x{pic.geometry['height']} px",
        )
    pic.dpr = 1.0
    _line(
        "static image/png of the display (savefig)",
        _timed(lambda i: pic.static_png(), max(3, args.repeats // 5)),
    )
    pic.close()


if __name__ == "__main__":
    main()
