"""Start and stop the Jupyter servers that the browser tests drive: JupyterLab and Voilà.

Each server

* listens on 127.0.0.1 only, on a port that was free a moment before, and asks for a token;
* runs with its own temporary ``HOME``, Jupyter config, data and runtime folders, IPython and
  Matplotlib folders, so nothing of the user's set-up leaks in and nothing of the tests leaks out.
  ``sys.prefix/share/jupyter`` stays on the Jupyter data path (``JUPYTER_DATA_DIR`` only adds a
  folder in front of it), so the ``python3`` kernelspec and the ipywidgets and ipympl lab
  extensions installed in the virtual environment are still found;
* runs in a process group of its own and is stopped through it; kernels, which
  ``jupyter_client`` starts in sessions of their own, are shut down by the server, and any that
  outlive it are found by the marker in their environment and ended by their process id.

It also writes the scaffold notebooks that the fixtures put into the servers' copies, to test the
test machinery itself (:func:`write_scaffold`, :func:`write_faults`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

#: The repository's root.
REPO = Path(__file__).resolve().parents[2]
#: Where the virtual environment's commands live (``jupyter``, ``voila``).
BIN = Path(sys.executable).parent

#: Seconds a server may take to answer its first request (a cold start on a busy 2-core machine).
START_TIMEOUT = 90.0

#: Settings JupyterLab reads from the temporary user-settings folder. No news or update checks
#: (they would ask the network and pop up a notification over the notebook); every cell kept in
#: the DOM so that prompts and outputs can be read without scrolling.
LAB_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(state: Path) -> dict[str, str]:
    """The environment of a server: the caller's, with every per-user folder moved into ``state``.

    Variables that would point Jupyter, IPython or Matplotlib at the user's own folders, or pick a
    token or a plotting backend, are removed. The folders are created.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER_", "JPY_", "IPYTHON", "MPL", "XDG_"))
    }
    folders = {
        "HOME": "home",
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
        "XDG_CACHE_HOME": "cache",
        "XDG_CONFIG_HOME": "config",
        "XDG_DATA_HOME": "data",
    }
    for name, sub in folders.items():
        path = state / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiet debugpy's notice in the kernel's stderr
    return env


@dataclass
class Server:
    """A running Jupyter server: its process, address, token, folders and log."""

    name: str
    process: subprocess.Popen
    base_url: str
    token: str
    root: Path
    state: Path
    log_path: Path
    stopped: bool = field(default=False)

    def url(self, path: str = "", **query: str) -> str:
        """The address of ``path`` on this server, with the token in the query string."""
        params = {"token": self.token, **query}
        text = "&".join(f"{k}={urllib.parse.quote(v)}" if v else k for k, v in params.items())
        return f"{self.base_url}{path.lstrip('/')}?{text}"

    def request(self, method: str, path: str, body: dict | None = None) -> object:
        """Call the server's REST API; returns the decoded JSON answer (or ``None``)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path.lstrip("/"),
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=30) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log, for error messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_kernels(self, keep: set[str] | frozenset[str] = frozenset()) -> None:
        """Shut down the kernels the server runs, but those whose id is in ``keep``."""
        for kernel in self.request("GET", "api/kernels") or []:
            if kernel["id"] in keep:
                continue
            try:
                self.request("DELETE", f"api/kernels/{kernel['id']}")
            except urllib.error.HTTPError as exc:  # already gone
                if exc.code != 404:
                    raise

    def stop(self) -> list[int]:
        """Stop the server by its process group, then any kernel that outlived it.

        Returns the process ids of the leftover kernels that had to be ended (normally none).
        """
        if self.stopped:
            return []
        self.stopped = True
        _stop_group(self.process)
        leftovers = _processes_with_env("JUPYTER_RUNTIME_DIR", str(self.state / "jupyter-runtime"))
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return leftovers


def _stop_group(process: subprocess.Popen, grace: float = 15.0) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def _processes_with_env(name: str, value: str) -> list[int]:
    """Process ids whose environment holds ``name=value`` (our kernels carry the state folder)."""
    marker = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone, or not ours to read
            continue
    return found


def _start(
    name: str,
    command: list[str],
    *,
    root: Path,
    state: Path,
    env: dict[str, str],
    cwd: Path,
    port: int,
    token: str,
) -> Server:
    log_path = state / f"{name}.log"
    log = log_path.open("wb")
    try:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()
    server = Server(
        name=name,
        process=process,
        base_url=f"http://127.0.0.1:{port}/",
        token=token,
        root=root,
        state=state,
        log_path=log_path,
    )
    try:
        _wait_until_up(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with status {server.process.returncode} "
                f"before answering:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url(""), timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{server.name} did not answer on {server.base_url} within "
                f"{START_TIMEOUT:.0f} s:\n{server.log_tail()}"
            )
        time.sleep(0.25)


def start_lab(root: Path, state: Path) -> Server:
    """JupyterLab serving ``root``, on 127.0.0.1, a free port and a fresh token."""
    env = isolated_env(state)
    settings = Path(env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings"
    for rel, values in LAB_USER_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    token = secrets.token_hex(24)
    env["JUPYTER_TOKEN"] = token  # not on the command line, where `ps` would show it
    port = free_port()
    command = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if os.geteuid() == 0:  # CI and this machine run as root; the server refuses without it
        command.append("--allow-root")
    return _start("jupyterlab", command, root=root, state=state, env=env, cwd=root, port=port, token=token)


def start_notebook(root: Path, state: Path) -> Server:
    """Jupyter Notebook 7 serving ``root``, on 127.0.0.1, a free port and a fresh token.

    Notebook 7 is built from JupyterLab's parts: it reads the same user settings (no news, no
    update checks, every cell kept in the DOM) and shows a notebook at ``notebooks/<name>``.
    """
    env = isolated_env(state)
    settings = Path(env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings"
    for rel, values in LAB_USER_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    token = secrets.token_hex(24)
    env["JUPYTER_TOKEN"] = token  # not on the command line, where `ps` would show it
    port = free_port()
    command = [
        str(BIN / "jupyter"),
        "notebook",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    return _start("notebook", command, root=root, state=state, env=env, cwd=root, port=port, token=token)


def start_voila(root: Path, state: Path) -> Server:
    """Voilà serving the folder ``root`` with the settings of ``make present``.

    ``make present`` (``tools/present.py``) runs Voilà on the folder in ``dashboards/``, where
    ``voila.json`` asks for 127.0.0.1 and a token and culls idle kernels. Here Voilà runs in
    ``root`` (a copy of ``dashboards/``), so it reads the same ``voila.json``; the token comes
    from ``JUPYTER_TOKEN`` and the port is fixed so that the tests know it. The folder is served
    rather than one notebook, so that the infrastructure's scaffold notebook can be opened from
    the same server; each notebook is at ``voila/render/<name>``.
    """
    if not (root / "voila.json").is_file():
        raise FileNotFoundError(f"{root / 'voila.json'} is missing: the dashboards' Voilà settings")
    env = isolated_env(state)
    token = secrets.token_hex(24)
    env["JUPYTER_TOKEN"] = token
    port = free_port()
    command = [str(BIN / "voila"), "--no-browser", f"--port={port}", "--Voila.port_retries=0", str(root)]
    return _start("voila", command, root=root, state=state, env=env, cwd=root, port=port, token=token)


def copy_tree(source: Path, target: Path) -> Path:
    """Copy a folder of notebooks, leaving out checkpoints and caches."""
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
    )
    return target


def notebook_uses_widgets(path: Path) -> bool:
    """Whether a notebook shows widgets: a stored widget output, or ipympl's ``%matplotlib widget``.

    The course's notebooks are stored executed (strict nbval compares their outputs), so every
    widget they display has left a widget-view output. Merely importing ipywidgets (as lesson 00
    does, to check the installation) does not count.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if re.search(r"^\s*%matplotlib\s+(widget|ipympl)\b", src, re.M):
            return True
        for out in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                return True
    return False


def code_cells_to_run(path: Path) -> int:
    """How many code cells with source a notebook holds (each gets a prompt number when run)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if cell.get("cell_type") == "code" and src.strip():
            count += 1
    return count


# --------------------------------------------------------------------------------------------
# Scaffold notebooks: written into the servers' copies, to test the test machinery itself

SCAFFOLD = "lossviz_scaffold.ipynb"
FAULTS = "lossviz_faults.ipynb"
#: An address in TEST-NET-2 (RFC 5737): never routed, so never a real host's.
OUTSIDE_URL = "http://198.51.100.7/pixel.png"


def _write_notebook(path: Path, cells: list[tuple[str, str]]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        for kind, src in cells
    ]
    nbformat.write(nb, str(path))


def write_scaffold(path: Path) -> None:
    """A slider, a linked text box and an ipympl figure whose line's slope follows the slider."""
    _write_notebook(
        path,
        [
            ("md", "# Scaffold of the browser tests\n\nA slider and a figure that follows it."),
            (
                "code",
                "%matplotlib widget\nimport ipywidgets as widgets\nimport matplotlib.pyplot as plt\n"
                "import numpy as np",
            ),
            (
                "code",
                "x = np.linspace(0.0, 1.0, 50)\n"
                "with plt.ioff():\n"
                "    fig, ax = plt.subplots(figsize=(4, 3))\n"
                "line, = ax.plot(x, x)\n"
                "ax.set_ylim(0, 10)\n"
                'slider = widgets.IntSlider(value=1, min=0, max=10, description="slope")\n'
                'text = widgets.IntText(value=1, layout=widgets.Layout(width="6em"))\n'
                'widgets.link((slider, "value"), (text, "value"))\n'
                'slider.add_class("scaffold-slider")\n'
                'text.add_class("scaffold-text")\n'
                "\n"
                "def follow(change):\n"
                '    line.set_ydata(change["new"] * x)\n'
                "    fig.canvas.draw_idle()\n"
                "\n"
                'slider.observe(follow, names="value")\n'
                "root = widgets.VBox([widgets.HBox([slider, text]), fig.canvas])\n"
                'root.add_class("scaffold-root")\n'
                "root",
            ),
        ],
    )


def write_faults(path: Path) -> None:
    """Deliberate faults: stderr, a request to another host, a missing widget, an exception."""
    _write_notebook(
        path,
        [
            ("md", "# Faults the browser tests must catch"),
            ("code", 'import sys\nprint("a deliberate line on stderr", file=sys.stderr)'),
            (
                "code",
                f"from IPython.display import HTML, display\n"
                f'display(HTML(\'<img src="{OUTSIDE_URL}" alt="a picture from another host">\'))',
            ),
            (
                "code",
                'display({"application/vnd.jupyter.widget-view+json":\n'
                '         {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}}, raw=True)',
            ),
            ("code", 'raise ValueError("a deliberate error")'),
        ],
    )


#: The scaffold of lossviz's client-side picture (lossviz.interactive._canvas.LayeredCanvas).
CANVAS_SCAFFOLD = "lossviz_canvas_scaffold.ipynb"
#: Stops of its sliders: as many as the explorers' finest slider (issue 11 asks for >= 60).
CANVAS_STOPS = 61
#: The scaffold's figure: run in the notebook, and in the tests to draw what the picture must
#: look like (matplotlib's own rendering of the same state).
CANVAS_FIGURE_CODE = f"""\
import numpy as np
from matplotlib.figure import Figure

STOPS = {CANVAS_STOPS}
x = np.linspace(0.0, 1.0, 50)
t = np.linspace(0.0, 2 * np.pi, 160)


def shapes(v):
    \"\"\"The line and the path for slider value v: a slope, and an ellipse that turns.\"\"\"
    angle = np.pi * v / (STOPS - 1)
    px = 0.5 + 0.35 * np.cos(t) * np.cos(angle) - 0.15 * np.sin(t) * np.sin(angle)
    py = 5 + 3.5 * np.cos(t) * np.sin(angle) + 1.5 * np.sin(t) * np.cos(angle)
    return {{"line": (x, v / 6 * x), "path": (px, py)}}


def scaffold_figure(v=1):
    \"\"\"The figure, its axes and its three moving artists, drawn for slider value v.\"\"\"
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot()
    ax.set(xlim=(0, 1), ylim=(0, 10), xlabel="x", ylabel="y")
    ax.grid(True, alpha=0.3)
    line, = ax.plot(*shapes(v)["line"], color="C0", lw=2)
    path, = ax.plot(*shapes(v)["path"], "o-", color="C1", lw=1, ms=2.5)
    start, = ax.plot([0.1], [9.0], "s", color="k", ms=6, mfc="w", mew=1.5)
    return fig, ax, {{"line": line, "path": path, "start": start}}


def fidelity_figure():
    \"\"\"Styles the canvas must draw as matplotlib does, on a log axis (the tests compare pixels).\"\"\"
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot()
    ax.set(xlim=(0, 10), ylim=(1e-2, 1e2), yscale="log")
    u = np.linspace(0, 10, 40)
    five = [1, 3, 5, 7, 9]
    return fig, ax, {{
        "dashed": ax.plot(u, 10 ** (u / 5 - 1.5), "--", color="C2", lw=3)[0],
        "flat": ax.plot([0, 10], [0.5, 0.5], color="k", lw=1)[0],
        "dots": ax.plot(five, [0.05, 0.2, 1, 5, 20], "o-", color="C3", lw=1.5, ms=12, mec="k", mew=2)[0],
        "crosses": ax.plot([2, 4, 6, 8], [40] * 4, "x", color="C4", ms=12, mew=3)[0],
        "triangles": ax.plot([2, 4, 6, 8], [0.03] * 4, "^", color="C5", ms=14, alpha=0.6)[0],
        "squares": ax.plot([2, 4, 6, 8], [0.3] * 4, "s", color="C9", ms=9, mfc="none", mew=1.5)[0],
        "scatter": ax.scatter([1.5, 4.5, 7.5], [3, 3, 3], s=[60, 200, 500], facecolors="C0",
                              edgecolors="k", linewidths=1),
        "label": ax.text(0.05, 0.9, "lr = 0.5", transform=ax.transAxes, fontsize=12),
    }}


def shading_figure():
    \"\"\"A landscape as the cost explorer draws it: a banded image and contour lines, drawn in the
    browser under the axes' grid and frame, and a path over them (the tests compare pixels).\"\"\"
    from matplotlib.collections import LineCollection
    from matplotlib.colors import BoundaryNorm

    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot()
    w, b = np.linspace(-2, 2, 60), np.linspace(-1, 1, 40)
    J = np.add.outer(b**2, 0.3 * w**2)
    levels = np.geomspace(0.02, 2, 8)
    image = ax.imshow(J, origin="lower", extent=(-2.03, 2.03, -1.03, 1.03), aspect="auto",
                      interpolation="nearest", cmap="cividis", alpha=0.8,
                      norm=BoundaryNorm(np.concatenate([[0], levels]), 256))
    t = np.linspace(0, 2 * np.pi, 80)
    rings = [np.column_stack([np.sqrt(v / 0.3) * np.cos(t), np.sqrt(v) * np.sin(t)]) for v in levels[:5]]
    contours = ax.add_collection(LineCollection(rings, colors="0.2", linewidths=0.5, alpha=0.55))
    ax.set(xlim=(-2, 2), ylim=(-1, 1))
    ax.grid(True, color="w", alpha=0.5)
    return fig, ax, {{
        "shade": image,
        "contours": contours,
        "path": ax.plot([-1.8, -1, 0], [0.8, 0.3, 0], "o-", color="C1", lw=1.5, ms=4)[0],
    }}
"""


def write_canvas_scaffold(path: Path) -> None:
    """Three pictures that follow a slider each, to time them side by side in one page.

    * ``.canvas-frames``: an IntSlider (0 ... 60) and a LayeredCanvas drawing a line and a path
      that depend on it (:data:`CANVAS_FIGURE_CODE`), with every stop's frame prefetched: the
      browser switches frames itself. A click on the axes moves its square marker there;
    * ``.canvas-live``: the same without frames: every change waits for the kernel;
    * ``.canvas-shading``: a still canvas with an image and contour lines drawn in the browser under
      the axes' grid, as the cost explorer's landscape;
    * ``.canvas-fidelity``: a still canvas with lines, dashes, markers, a scatter and a text on a
      log axis, to compare with matplotlib's rendering, and a button whose callback fails (its
      error must show under the picture);
    * ``.canvas-ipympl``: the bare scaffold of :func:`write_scaffold` (IntSlider + ipympl line)
      on the same 61 stops, for comparison in the same run.

    The slider of each is ``.canvas-slider``; the canvases are keyed on their slider, so every
    paint says which value it shows (``__lvLog``).
    """
    _write_notebook(
        path,
        [
            (
                "md",
                "# Scaffold of lossviz's client-side picture\n\n"
                "A line and a path follow a slider: drawn in the browser from prefetched frames, "
                "drawn in the browser from the kernel's data, and drawn by ipympl.",
            ),
            (
                "code",
                "%matplotlib widget\nimport ipywidgets as widgets\nimport matplotlib.pyplot as plt\n"
                "from lossviz.interactive._canvas import LayeredCanvas",
            ),
            ("code", CANVAS_FIGURE_CODE),
            (
                "code",
                "def canvas_scaffold(prefetch, css):\n"
                "    fig, ax, artists = scaffold_figure()\n"
                '    slider = widgets.IntSlider(value=1, min=0, max=STOPS - 1, description="slope")\n'
                '    slider.add_class("canvas-slider")\n'
                "    pic = LayeredCanvas(fig, layers=artists, frame_keys=[slider], max_width=640)\n"
                "\n"
                "    def follow(change):\n"
                "        with pic.hold_sync():\n"
                '            for name, (a, b) in shapes(change["new"]).items():\n'
                "                pic.set_data(name, a, b)\n"
                "\n"
                "    def move_start(event):\n"
                '        pic.set_data("start", [event.x], [event.y])\n'
                "\n"
                '    slider.observe(pic.guarded(follow), names="value")\n'
                "    # the start marker is in no frame: a click leaves the frames valid\n"
                '    pic.on_pointer(move_start, ax=ax, moves="start", invalidates_frames=not prefetch)\n'
                "    if prefetch:\n"
                "        pic.add_frames({v: shapes(v) for v in range(STOPS)})\n"
                "    root = widgets.VBox([slider, pic])\n"
                "    root.add_class(css)\n"
                "    return root\n"
                "\n"
                'canvas_scaffold(True, "canvas-frames")',
            ),
            ("code", 'canvas_scaffold(False, "canvas-live")'),
            (
                "code",
                "fig, ax, artists = fidelity_figure()\n"
                "still = LayeredCanvas(fig, layers=artists, max_width=640)\n"
                'fault = widgets.Button(description="a deliberate error")\n'
                'fault.add_class("canvas-fault")\n'
                "\n"
                "def fail(button):\n"
                '    raise ValueError("a deliberate error in a callback")\n'
                "\n"
                "fault.on_click(still.guarded(fail))\n"
                "root = widgets.VBox([still, fault])\n"
                'root.add_class("canvas-fidelity")\n'
                "root",
            ),
            (
                "code",
                "fig, ax, artists = shading_figure()\n"
                "shaded = LayeredCanvas(fig, layers=artists, max_width=640)\n"
                "root = widgets.VBox([shaded])\n"
                'root.add_class("canvas-shading")\n'
                "root",
            ),
            (
                "code",
                "with plt.ioff():\n"
                "    fig, ax = plt.subplots(figsize=(4, 3))\n"
                "line, = ax.plot(x, x / 6)\n"
                "ax.set_ylim(0, 10)\n"
                'slider = widgets.IntSlider(value=1, min=0, max=STOPS - 1, description="slope")\n'
                'slider.add_class("canvas-slider")\n'
                "\n"
                "def follow(change):\n"
                '    line.set_ydata(change["new"] / 6 * x)\n'
                "    fig.canvas.draw_idle()\n"
                "\n"
                'slider.observe(follow, names="value")\n'
                "root = widgets.VBox([slider, fig.canvas])\n"
                'root.add_class("canvas-ipympl")\n'
                "root",
            ),
        ],
    )
