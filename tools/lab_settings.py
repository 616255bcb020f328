"""Keep JupyterLab's widget messages on the kernel's main thread, for this environment (``make setup``).

JupyterLab 4.6 and Notebook 7.6 send widget (comm) messages to a kernel *subshell* by default --
the setting "Kernel Comms over subshells" (Settings → Settings Editor → Kernels), one subshell per
comm target -- so ipywidgets runs slider callbacks and ipympl draws its figures in a thread of
their own, at the same time as the main thread runs the cells and the work scheduled on the
kernel's event loop. Matplotlib is not safe to draw from two threads at once: in the course's
lessons, an ipympl figure drawn in the subshell while the cost explorer prefetched on the main
thread crashed the kernel ("malloc(): unsorted double linked list corrupted", a segmentation
fault in matplotlib's text drawing; the browser tests saw it in every full run). With the setting
"disabled" every message is handled on the main thread, one at a time, as in Voilà and before
JupyterLab 4.6.

This writes the setting into the environment's JupyterLab overrides,
``<prefix>/share/jupyter/lab/settings/overrides.json``, read by JupyterLab and Notebook 7 as the
default (a user's own choice in the Settings Editor still wins). Other settings in the file are
kept; a file that is not a JSON object is left alone and reported (exit status 2)::

    python tools/lab_settings.py                 # the running Python's environment
    python tools/lab_settings.py --prefix .venv
    python tools/lab_settings.py --check         # exit status 1 if it is not set

It is course tooling, not part of the ``lossviz`` package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

PLUGIN = "@jupyterlab/apputils-extension:kernels-settings"
SETTING = "commsOverSubshells"
VALUE = "disabled"


def overrides_path(prefix: str | os.PathLike[str]) -> Path:
    """Where JupyterLab and Notebook 7 read an environment's default settings."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); fix or remove it, then run this again") from None
    if not isinstance(data, dict) or not isinstance(data.get(PLUGIN, {}), dict):
        raise ValueError(f"{path} does not hold a JSON object of settings by plugin; fix or remove it")
    return data


def is_set(prefix: str | os.PathLike[str]) -> bool:
    """Whether the environment at ``prefix`` keeps comm messages off subshells."""
    try:
        data = _read(overrides_path(prefix))
    except ValueError:
        return False
    return data.get(PLUGIN, {}).get(SETTING) == VALUE


def install(prefix: str | os.PathLike[str]) -> bool:
    """Set it in the overrides of the environment at ``prefix``; returns whether the file changed.

    The file is replaced atomically (written beside it, then moved), other settings kept.
    """
    path = overrides_path(prefix)
    data = _read(path)
    if data.get(PLUGIN, {}).get(SETTING) == VALUE:
        return False
    data.setdefault(PLUGIN, {})[SETTING] = VALUE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".overrides-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default=sys.prefix, help="the environment (default: this Python's)")
    parser.add_argument("--check", action="store_true", help="only check; exit status 1 if not set")
    args = parser.parse_args(argv)
    path = overrides_path(args.prefix)
    if args.check:
        ok = is_set(args.prefix)
        print(f"{path}: {SETTING} is {'' if ok else 'not '}{VALUE!r}")
        return 0 if ok else 1
    try:
        changed = install(args.prefix)
    except (ValueError, OSError) as exc:
        print(f"lab_settings: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: {SETTING} = {VALUE!r}" + ("" if changed else " (already)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
