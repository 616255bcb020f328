"""tools/lab_settings.py: JupyterLab's widget messages stay on the kernel's main thread."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import lab_settings  # noqa: E402


def _overrides(prefix: Path) -> dict:
    return json.loads(lab_settings.overrides_path(prefix).read_text())


def test_install_writes_the_setting_where_jupyterlab_and_notebook_read_it(tmp_path):
    from jupyterlab.labapp import LabApp
    from notebook.app import JupyterNotebookApp

    assert lab_settings.install(tmp_path) is True
    assert _overrides(tmp_path) == {lab_settings.PLUGIN: {"commsOverSubshells": "disabled"}}
    assert lab_settings.is_set(tmp_path)
    # the folder both apps take their default settings from, relative to their environment
    here = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    assert Path(LabApp().app_settings_dir) == here == Path(JupyterNotebookApp().app_settings_dir)
    assert lab_settings.overrides_path(sys.prefix).parent == here


def test_the_setting_is_one_the_installed_jupyterlab_knows():
    schema = Path(
        sys.prefix, "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/kernels-settings.json"
    )
    prop = json.loads(schema.read_text())["properties"][lab_settings.SETTING]
    assert lab_settings.VALUE in [choice["const"] for choice in prop["oneOf"]]


def test_install_keeps_other_settings_and_is_idempotent(tmp_path):
    path = lab_settings.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    other = {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        lab_settings.PLUGIN: {"kernelInfoTimeout": 5000, "commsOverSubshells": "perComm"},
    }
    path.write_text(json.dumps(other))
    assert lab_settings.install(tmp_path) is True
    data = _overrides(tmp_path)
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert data[lab_settings.PLUGIN] == {"kernelInfoTimeout": 5000, "commsOverSubshells": "disabled"}
    before = path.read_bytes()
    assert lab_settings.install(tmp_path) is False and path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["overrides.json"]  # no temporary file left


BROKEN = ["{not json", "[1, 2]", '{"@jupyterlab/apputils-extension:kernels-settings": 3}']


@pytest.mark.parametrize("text", BROKEN)
def test_a_broken_file_is_left_alone_and_reported(tmp_path, text, capsys):
    path = lab_settings.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(text)
    assert lab_settings.main(["--prefix", str(tmp_path)]) == 2
    assert path.read_text() == text
    err = capsys.readouterr().err
    assert str(path) in err and "fix or remove it" in err
    assert not lab_settings.is_set(tmp_path)


def test_check_reports_by_exit_status(tmp_path):
    script = [sys.executable, str(REPO / "tools" / "lab_settings.py"), "--prefix", str(tmp_path)]
    assert subprocess.run([*script, "--check"], capture_output=True).returncode == 1
    assert subprocess.run(script, capture_output=True).returncode == 0
    done = subprocess.run([*script, "--check"], capture_output=True, text=True)
    assert done.returncode == 0 and "'disabled'" in done.stdout


def test_the_project_environment_has_it():
    venv = REPO / ".venv"
    if Path(sys.prefix).resolve() != venv.resolve():
        pytest.skip("not running in the project's .venv (make setup writes it there)")
    assert lab_settings.is_set(sys.prefix), "run `make setup`: the JupyterLab overrides are missing"


def test_binder_runs_it_after_installing_the_environment(tmp_path):
    post = REPO / "postBuild"
    assert post.stat().st_mode & 0o111, "postBuild must be executable (Binder runs it)"
    assert "python tools/lab_settings.py" in post.read_text()
    # as Binder runs it: from the repository's root, with the environment's python first on PATH
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").symlink_to(sys.executable)
    prefix = tmp_path / "env"
    env = {"PATH": f"{fake}:/usr/bin:/bin"}
    script = post.read_text().replace("tools/lab_settings.py", f"tools/lab_settings.py --prefix {prefix}")
    done = subprocess.run(["bash", "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert lab_settings.is_set(prefix)
