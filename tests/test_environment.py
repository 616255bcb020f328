"""environment.yml (conda) and pyproject.toml (pip) must install the same packages.

No conda can be installed on the development machines, so this is how the conda
route stays honest: both files are parsed and their package lists compared, group
by group (the package's dependencies, the "course" extra, the "test" extra).
"""

import re
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?\s*([<>=!~].*)?$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(spec: str) -> tuple[str, str]:
    spec = spec.split(";")[0].strip()  # drop environment markers
    match = REQ.match(spec)
    assert match, f"cannot parse requirement {spec!r}"
    return _normalise(match.group(1)), (match.group(3) or "").replace(" ", "")


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _pip_packages(pyproject) -> dict[str, str]:
    project = pyproject["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += [s for s in extra if "python_version" not in s]
    return dict(_parse(s) for s in specs)


def _conda_packages(environment) -> tuple[dict[str, str], list[str]]:
    conda, pip = {}, []
    for dep in environment["dependencies"]:
        if isinstance(dep, dict):
            pip += dep.get("pip", [])
        else:
            name, version = _parse(dep)
            conda[name] = version
    return conda, pip


def test_environment_is_conda_forge_only(environment):
    assert environment["channels"] == ["conda-forge"]
    assert environment["name"] == "lossviz"


def test_same_packages_and_versions_as_pyproject(pyproject, environment):
    conda, _ = _conda_packages(environment)
    python = conda.pop("python")
    conda.pop("pip")
    assert python == pyproject["project"]["requires-python"]
    assert conda == _pip_packages(pyproject)


#: environment.yml's group headers (comment lines) and the pyproject list each one mirrors.
GROUP = re.compile(r'^\s*#\s*---.*?(dependencies|extra "(\w+)")\s*---')


def _conda_groups() -> dict[str, dict[str, str]]:
    """Packages under each ``# --- ... ---`` header of environment.yml, by pyproject group."""
    groups: dict[str, dict[str, str]] = {}
    current = None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        header = GROUP.match(line)
        if header:
            current = header.group(2) or "dependencies"
            assert current not in groups, f"environment.yml has two {current!r} groups"
            groups[current] = {}
        elif line.strip().startswith("- pip:"):
            current = None
        elif current is not None and line.strip().startswith("- "):
            name, version = _parse(line.strip()[2:].split("#")[0])
            groups[current][name] = version
    return groups


def test_same_groups_as_pyproject(pyproject):
    project = pyproject["project"]
    want = {"dependencies": dict(_parse(s) for s in project["dependencies"])}
    for extra, specs in project["optional-dependencies"].items():
        want[extra] = dict(_parse(s) for s in specs if "python_version" not in s)
    assert _conda_groups() == want


def test_the_package_needs_no_jupyter_server_or_course_tooling(pyproject):
    core = {_parse(s)[0] for s in pyproject["project"]["dependencies"]}
    # anywidget: the explorers' browser canvas (lossviz.interactive._canvas), a widget like ipympl
    assert core == {"numpy", "matplotlib", "contourpy", "ipywidgets", "ipympl", "anywidget"}
    course = {_parse(s)[0] for s in pyproject["project"]["optional-dependencies"]["course"]}
    assert {"jupyterlab", "voila", "nbformat"} <= course


def test_installs_the_package_itself_through_pip(environment):
    _, pip = _conda_packages(environment)
    assert pip in (["-e ."], ["."])


def test_every_package_line_has_a_comment():
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("- ") and not stripped.startswith("- pip:") and stripped != "- conda-forge":
            assert "#" in stripped, f"environment.yml line without a reason: {line!r}"
