"""The explorers under kernel subshells: every callback runs in the thread that made the explorer.

JupyterLab 4.6 sends widget messages to a kernel subshell by default ("Kernel Comms over
subshells": one subshell per comm target), so ipywidgets applies a slider change from the browser,
and runs its observers, in a thread of its own while the main thread runs the cells and the work
scheduled on the kernel's event loop (the explorer's prefetch). Before the callbacks were handed to
the owner thread, the two threads drew the same matplotlib figure and changed the same caches at
once, and the kernel died ("corrupted double-linked list", a segmentation fault) or the picture was
left on a stale stop. Here a thread stands in for the subshell: it applies changes as ipywidgets
applies a browser's message (``set_state``, custom messages) while an asyncio loop in the main
thread plays the kernel's.
"""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

import lossviz as lv
from lossviz.interactive import CostExplorer, ImbalanceExplorer
from lossviz.interactive._canvas import LayeredCanvas


@pytest.fixture(scope="module")
def data():
    return lv.make_churn(m=300, seed=0)


def _in_thread(target, *args) -> threading.Thread:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target(*args)
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    t = threading.Thread(target=run, name="subshell")
    t.errors = errors  # type: ignore[attr-defined]
    t.start()
    return t


async def _until(predicate, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.01)


async def _join(t: threading.Thread) -> None:
    await _until(lambda: not t.is_alive())
    assert t.errors == []  # type: ignore[attr-defined]


def _run(coro) -> None:
    asyncio.run(coro)


def test_a_callback_from_another_thread_is_handed_to_the_owner_loop():
    async def main() -> None:
        from matplotlib.figure import Figure

        owner = threading.get_ident()
        pic = LayeredCanvas(Figure(figsize=(3, 2)))
        seen: list[tuple[int, bool, tuple]] = []
        call = pic.on_owner_thread(lambda *a: seen.append((threading.get_ident(), pic.handed_over, a)))
        assert call(0) is None and seen == [(owner, False, (0,))]  # on the owner thread: at once
        t = _in_thread(lambda: [call(i) for i in range(1, 50)])
        await _join(t)
        await _until(lambda: len(seen) == 50)
        assert all(ident == owner and handed for ident, handed, _ in seen[1:])
        assert [a for _, _, a in seen] == [(i,) for i in range(50)]  # in the order made
        assert not pic.handed_over
        pic.close()

    _run(main())


def test_guarded_callbacks_from_another_thread_run_on_the_owner_and_show_their_errors():
    async def main() -> None:
        from matplotlib.figure import Figure

        pic = LayeredCanvas(Figure(figsize=(3, 2)))
        owner = threading.get_ident()
        where: list[int] = []

        def fails(x):
            where.append(threading.get_ident())
            raise ValueError(f"bad {x}")

        t = _in_thread(pic.guarded(fails), 3)
        await _join(t)
        await _until(lambda: pic.error != "")
        assert where == [owner] and pic.error == "ValueError: bad 3"
        pic.close()

    _run(main())


def test_no_loop_means_no_hand_over():
    from matplotlib.figure import Figure

    pic = LayeredCanvas(Figure(figsize=(3, 2)))  # made outside any event loop (a script)
    where: list[int] = []
    t = threading.Thread(target=pic.on_owner_thread(lambda: where.append(threading.get_ident())))
    t.start()
    t.join()
    assert where == [t.ident]  # run at once, in the caller's thread
    pic.close()


def test_cost_explorer_changes_from_a_subshell_thread_are_made_on_the_owner_thread(data):
    x, y = data

    async def main() -> None:
        owner = threading.get_ident()
        ex = CostExplorer(x, y, batch_size=32, lr=0.5, n_updates=60, grid_size=40)
        refreshed: list[int] = []
        rendered: list[int] = []
        refresh, render = ex._refresh, ex.canvas._render

        def spy_refresh(*a, **k):
            refreshed.append(threading.get_ident())
            return refresh(*a, **k)

        def spy_render(*a, **k):
            rendered.append(threading.get_ident())
            return render(*a, **k)

        ex._refresh = spy_refresh
        ex.canvas._render = spy_render
        rng = np.random.default_rng(0)
        sliders = [ex.batch_size, ex.lr, ex.lam]

        def browser() -> None:
            # as ipywidgets applies the browser's messages in the subshell: state, size, pointer
            for i in range(60):
                s = sliders[i % 3]
                s.set_state({"index": int(rng.integers(len(s.options)))})
                if i % 20 == 5:
                    ex.canvas.set_state({"css_width": int(rng.choice([500, 700, 900]))})
                if i % 20 == 10:
                    w = float(np.mean(ex._w))
                    ex.canvas._handle_custom_msg(
                        {"kind": "pointer", "type": "up", "axes": 0, "x": w, "y": 0.0, "seq": i}, []
                    )

        t = _in_thread(browser)
        await _join(t)
        # settled: the coalesced refresh and the prefetch ran, the picture is the kernel's for now
        await _until(lambda: not ex._pending)
        await asyncio.sleep(0.5)
        assert refreshed and set(refreshed) == {owner}
        assert rendered and set(rendered) == {owner}
        assert len(refreshed) < 60  # changes that arrived together were merged
        assert ex.canvas.error == ""
        key = ex.canvas.frame_key()
        assert {layer["key"] for layer in ex.canvas.data.values()} == {key}
        # and what it shows is what a fresh explorer computes for the same settings
        fresh = CostExplorer(
            x, y, batch_size=ex.batch_size.value, lr=ex.lr.value, lam=ex.lam.value, n_updates=60, grid_size=40
        )
        fresh.set_start(*ex.start)
        np.testing.assert_array_equal(
            fresh.canvas.data["path_chosen"]["xy"], ex.canvas.data["path_chosen"]["xy"]
        )
        fresh.close()
        ex.close()

    _run(main())


def test_imbalance_explorer_changes_from_a_subshell_thread_are_made_on_the_owner_thread():
    async def main() -> None:
        owner = threading.get_ident()
        ex = ImbalanceExplorer()
        rendered: list[int] = []
        render = ex.canvas._render

        def spy_render(*a, **k):
            rendered.append(threading.get_ident())
            return render(*a, **k)

        ex.canvas._render = spy_render
        sliders = [ex.rate_slider, ex.gamma_slider]

        def browser() -> None:
            for i in range(10):
                s = sliders[i % 2]
                s.set_state({"index": (s.index + 1 + i) % len(s.options)})

        t = _in_thread(browser)
        await _join(t)
        await asyncio.sleep(0.5)
        assert rendered and set(rendered) == {owner}
        assert ex.canvas.error == ""
        ex.close()

    _run(main())


def test_running_loop_outside_a_loop_makes_none():
    # it once asked tornado, whose IOLoop.current() makes an event loop when there is none: one
    # leaked loop (and socket pair) per call after each asyncio.run, found as a ResourceWarning
    import asyncio

    from lossviz.interactive._canvas import running_loop

    policy = asyncio.get_event_loop_policy()
    asyncio.run(asyncio.sleep(0))  # leaves no loop set for this thread
    assert running_loop() is None
    assert getattr(getattr(policy, "_local", None), "_loop", None) is None

    async def inside():
        return running_loop() is asyncio.get_running_loop()

    assert asyncio.run(inside())
