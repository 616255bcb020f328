"""The servers ask for a token and clean up after themselves (issue 10, item 8).

* Voilà asks for a token however it is started on the dashboards: from the repository root
  (``voila dashboards/index.ipynb``, which reads the root's ``voila.json``) or from ``dashboards/``
  (``voila index.ipynb``, which reads ``dashboards/voila.json``); the two files are the same.
* Voilà culls idle kernels: each page load starts a kernel, and one nobody is connected to is shut
  down after ``MappingKernelManager.cull_idle_timeout`` seconds (five minutes in the files; the
  live tests run copies of the files with a few seconds instead, nothing else changed).
* ``make lab`` starts with a fresh token each time, not one inherited in ``JUPYTER_TOKEN``; and
  ``make lab TOKEN=...`` uses the one asked for. ``make present`` (``tools/present.py``) makes a
  fresh token and prints the landing page's URL with it.

Every server runs on 127.0.0.1, a free port, with private Jupyter folders, in a process group of
its own, and is stopped through it (``tests/browser/browser_servers.py``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_servers import _processes_with_env, _stop_group, free_port, isolated_env  # noqa: E402

BIN = Path(sys.executable).parent
CONFIGS = [ROOT / "voila.json", ROOT / "dashboards" / "voila.json"]
#: Seconds the live tests give the culler (the files say five minutes).
SHORT_CULL = {"cull_idle_timeout": 4, "cull_interval": 1}

pytestmark = pytest.mark.skipif(shutil.which("voila", path=str(BIN)) is None, reason="Voilà is not installed")


def test_voila_reads_the_same_settings_from_the_root_and_from_dashboards():
    root, dashboards = (json.loads(p.read_text(encoding="utf-8")) for p in CONFIGS)
    assert root == dashboards, "voila.json at the root and in dashboards/ differ"
    assert root["Voila"]["ip"] == "127.0.0.1" and root["Voila"]["auto_token"] is True
    assert "token" not in root["Voila"], "a token written in a file is no secret"
    cull = root["MappingKernelManager"]
    assert 60 <= cull["cull_idle_timeout"] <= 900, "idle kernels should go after a few minutes"
    assert 0 < cull["cull_interval"] <= cull["cull_idle_timeout"]
    assert cull.get("cull_connected", False) is False, "a teacher's open page must keep its kernel"


def _status(url: str) -> int:
    """The HTTP status of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=120) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _start(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _printed_url(proc: subprocess.Popen, log: Path, port: int, timeout: float = 120) -> str:
    """The first URL with a token that the server printed in its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(
            rf"(http://127\.0\.0\.1:{port}/\S*\?token=[0-9a-f]+)", log.read_text(errors="replace")
        )
        if found:
            return found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.25)
    raise AssertionError(f"no URL with a token in the log:\n{log.read_text(errors='replace')[-3000:]}")


def _wait_until_serving(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _status(f"http://127.0.0.1:{port}/")
            return
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"nothing answers on port {port}")


def _kernels(state: Path, server: subprocess.Popen | None = None) -> list[int]:
    """Processes that carry this test's runtime folder in their environment, but the server."""
    found = _processes_with_env("JUPYTER_RUNTIME_DIR", str(state / "jupyter-runtime"))
    return [pid for pid in found if server is None or pid != server.pid]


@pytest.fixture
def course_copy(tmp_path):
    """The root's voila.json and dashboards/ copied, both files with the short cull times."""
    root = tmp_path / "course"
    shutil.copytree(
        ROOT / "dashboards", root / "dashboards", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    shutil.copy(ROOT / "voila.json", root / "voila.json")
    for path in (root / "voila.json", root / "dashboards" / "voila.json"):
        config = json.loads(path.read_text(encoding="utf-8"))
        config["MappingKernelManager"].update(SHORT_CULL)
        path.write_text(json.dumps(config), encoding="utf-8")
    return root


@pytest.mark.parametrize("where", ["root", "dashboards"])
def test_voila_asks_for_a_token_and_culls_idle_kernels(where, course_copy, tmp_path):
    cwd, notebook = (course_copy, "dashboards/index.ipynb") if where == "root" else (
        course_copy / "dashboards", "index.ipynb")  # fmt: skip
    state = tmp_path / "state"
    env = isolated_env(state)  # no JUPYTER_TOKEN: Voilà must make its own
    port = free_port()
    log = state / "voila.log"
    proc = _start([str(BIN / "voila"), "--no-browser", f"--port={port}", "--Voila.port_retries=0", notebook],
                  cwd, env, log)  # fmt: skip
    try:
        url = _printed_url(proc, log, port)
        _wait_until_serving(port)
        bare = f"http://127.0.0.1:{port}/"
        assert _status(bare) in (302, 403), f"Voilà started from {where} serves the dashboard without a token"
        assert _status(bare + "?token=not-the-token") in (302, 403)
        assert not _kernels(state, proc), "a refused request started a kernel"
        assert _status(url) == 200, "the printed URL (token included) does not open the dashboard"
        started = _kernels(state, proc)
        assert started, "rendering the dashboard started no kernel"
        # Nobody connects to the kernel (no browser): the culler must shut it down.
        deadline = time.monotonic() + SHORT_CULL["cull_idle_timeout"] + 30
        while _kernels(state, proc) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _kernels(state, proc), f"the idle kernel {started} was not culled"
    finally:
        _stop_group(proc)
        for pid in _kernels(state):  # only ours: they carry this test's runtime folder
            subprocess.run(["kill", "-9", str(pid)], check=False)


def _lab_command(make_args: list[str], env: dict[str, str]) -> str:
    """The command ``make lab`` runs (``make -n``), with the virtual environment of these tests."""
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", f"VENV={sys.prefix}", *make_args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines = [line for line in out.splitlines() if "jupyter lab" in line]
    assert len(lines) == 1, out
    return lines[0]


def _run_lab(command: str, env: dict[str, str], state: Path) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = state / f"lab-{port}.log"
    extra = f" --no-browser --port={port} --ServerApp.port_retries=0"
    return _start(["bash", "-c", "exec " + command + extra], ROOT, env, log), port, log


def _api_status(port: int, token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/contents?content=0", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_lab_makes_a_fresh_token_unless_one_is_asked_for(tmp_path):
    state = tmp_path / "state"
    env = isolated_env(state)
    inherited = "inherited0123456789abcdef"
    env["JUPYTER_TOKEN"] = inherited
    env["TOKEN"] = "from-the-environment-0123"  # only TOKEN= on make's command line counts
    command = _lab_command([], env)
    assert "JUPYTER_TOKEN=" not in command.replace("-u JUPYTER_TOKEN", "")
    tokens = []
    for _ in range(2):
        proc, port, log = _run_lab(command, env, state)
        try:
            url = _printed_url(proc, log, port)
            token = url.rsplit("token=", 1)[1]
            _wait_until_serving(port)
            assert _api_status(port, token) == 200
            assert _api_status(port, inherited) == 403, "the inherited JUPYTER_TOKEN became the token"
            assert _api_status(port, env["TOKEN"]) == 403, "a TOKEN in the environment became the token"
            tokens.append(token)
        finally:
            _stop_group(proc)
    assert tokens[0] != tokens[1], "make lab reused its token"
    assert inherited not in tokens

    chosen = "chosen0123456789abcdef0123"
    proc, port, log = _run_lab(_lab_command([f"TOKEN={chosen}"], env), env, state)
    try:
        _printed_url_or_masked(proc, log, port)
        _wait_until_serving(port)
        assert _api_status(port, chosen) == 200, "make lab TOKEN=... did not use the token asked for"
        assert _api_status(port, inherited) == 403
    finally:
        _stop_group(proc)
    for pid in _kernels(state):
        subprocess.run(["kill", "-9", str(pid)], check=False)


def _printed_url_or_masked(proc: subprocess.Popen, log: Path, port: int, timeout: float = 120) -> None:
    """Wait until JupyterLab says where it runs (a token it did not make is printed as '...')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(rf"http://127\.0\.0\.1:{port}/\S*\?token=", log.read_text(errors="replace")):
            return
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        time.sleep(0.25)
    raise AssertionError("JupyterLab printed no URL")


def test_make_present_prints_the_landing_page_with_a_fresh_token(tmp_path):
    state = tmp_path / "state"
    env = isolated_env(state)
    env["JUPYTER_TOKEN"] = "inherited0123456789abcdef"
    recipe = re.search(r"^present:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe and "tools/present.py" in recipe.group(1)
    port = free_port()
    log = state / "present.log"
    proc = _start([sys.executable, str(ROOT / "tools" / "present.py"), f"--port={port}"], ROOT, env, log)
    try:
        url = _printed_url(proc, log, port)
        assert "/voila/render/index.ipynb?token=" in url
        token = url.rsplit("token=", 1)[1]
        assert token != env["JUPYTER_TOKEN"] and len(token) >= 32
        _wait_until_serving(port)
        assert _status(f"http://127.0.0.1:{port}/voila/render/index.ipynb") in (302, 403)
        assert _status(f"http://127.0.0.1:{port}/?token={env['JUPYTER_TOKEN']}") in (302, 403)
        assert _status(url) == 200
    finally:
        _stop_group(proc)
        for pid in _kernels(state):
            subprocess.run(["kill", "-9", str(pid)], check=False)
