"""Serve the course's dashboards with Voilà for a class (``make present``), and say where to go.

Voilà serves the folder ``dashboards/`` from inside it, so it reads ``dashboards/voila.json``:
127.0.0.1 only, a login token, no code shown, idle kernels culled after five minutes. The token
is made here, fresh each start, and handed to Voilà in its environment (``JUPYTER_TOKEN``; not on
the command line, where ``ps`` would show it); any ``JUPYTER_TOKEN`` or ``JUPYTER_TOKEN_FILE``
inherited from the caller's environment is dropped. The port is 8866, or the next free one. The
line it prints opens the landing page, ``index.ipynb``, token included::

    python tools/present.py            # or: make present
    python tools/present.py --port 9000

Stop it with Ctrl-C. It is course tooling, not part of the ``lossviz`` package.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DASHBOARDS = REPO / "dashboards"
LANDING = "voila/render/index.ipynb"
#: Voilà's usual port; the next free one is used when it is taken.
DEFAULT_PORT = 8866


def free_port(start: int, tries: int = 50) -> int:
    """The first port from ``start`` on that nothing listens on at 127.0.0.1."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"present: no free port in {start}-{start + tries - 1}; pass --port")


def command(port: int) -> list[str]:
    """Voilà's command line (run in ``dashboards/``): the folder, this port, no retries."""
    voila = Path(sys.executable).parent / "voila"
    return [str(voila), "--no-browser", f"--port={port}", "--Voila.port_retries=0", "."]


def environment(token: str) -> dict[str, str]:
    """The caller's environment without any inherited token, with ``token`` as Voilà's."""
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")}
    env["JUPYTER_TOKEN"] = token
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=None, help=f"default: {DEFAULT_PORT} or the next free one"
    )
    args = parser.parse_args(argv)
    port = args.port if args.port is not None else free_port(DEFAULT_PORT)
    token = secrets.token_hex(24)
    url = f"http://127.0.0.1:{port}/{LANDING}?token={token}"
    print(f"present: open {url}\npresent: (full screen: F11; stop: Ctrl-C)", flush=True)
    os.chdir(DASHBOARDS)
    cmd = command(port)
    os.execve(cmd[0], cmd, environment(token))
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
