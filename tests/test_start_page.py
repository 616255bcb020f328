"""The way in: the URL that ``make lab`` prints opens lesson 00 (token kept); so does the Binder link.

The last test starts JupyterLab the way ``make lab`` does (on a free port, without a browser), reads the URL
it prints, and fetches it: the page must be lesson 00's (JupyterLab's ``treePath``), not the launcher.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON_00 = "notebooks/00_start_here.ipynb"
START_PAGE = f"/lab/tree/{LESSON_00}"


def _lab_recipe() -> str:
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", text, re.M)
    assert recipe, "no lab target in the Makefile"
    return recipe.group(1)


def test_make_lab_opens_lesson_00_and_keeps_the_token():
    text = (ROOT / "Makefile").read_text()
    assert re.search(rf"^START_PAGE := {re.escape(START_PAGE)}$", text, re.M)
    recipe = _lab_recipe()
    assert "--LabApp.default_url=$(START_PAGE)" in recipe and "--ip=127.0.0.1" in recipe
    assert (ROOT / LESSON_00).is_file()
    for disabling in ("token=''", 'token=""', "IdentityProvider.token=", "NotebookApp.token", "password="):
        assert disabling not in recipe


def test_readme_has_a_binder_link_to_lesson_00_and_says_the_address_is_a_placeholder():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/HEAD\?urlpath=([^\s)`]+)", readme)
    assert links and all(repo == "OWNER/REPO" and path == f"lab/tree/{LESSON_00}" for repo, path in links)
    assert "placeholder" in readme and "mybinder.org/badge_logo.svg" in readme


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(
    shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None, reason="no JupyterLab"
)
def test_the_printed_url_opens_lesson_00(tmp_path):
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--ip=127.0.0.1",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url={START_PAGE}",  # what make lab passes (checked above)
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.runtime_dir={tmp_path}",
        "--allow-root",
    ]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        url, deadline = None, time.monotonic() + 90
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            line = proc.stderr.readline()
            found = re.search(rf"(http://127\.0\.0\.1:{port}/\S+)", line)
            if found and "token=" in found.group(1):
                url = found.group(1)
        assert url is not None, "JupyterLab printed no URL with a token"
        assert url.split("?")[0].endswith(START_PAGE)
        page = ""
        while not page and time.monotonic() < deadline:  # the URL can be printed just before it is served
            try:
                page = urllib.request.urlopen(url, timeout=30).read().decode()
            except OSError:
                time.sleep(0.5)
        assert f'"treePath": "{LESSON_00}"' in page
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/")  # the bare address redirects to the lesson too
        assert connection.getresponse().getheader("Location", "").split("?")[0].endswith(START_PAGE)
        connection.close()
    finally:
        proc.terminate()  # the server this test started, by its own handle
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
