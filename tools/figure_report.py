"""The width of every stored figure in the lessons, and the scale JupyterLab shows it at.

    python tools/figure_report.py [NOTEBOOK ...] [--check]

Reads each ``image/png`` output of ``notebooks/*.ipynb`` (or the notebooks given), takes its
width from the PNG header (or from the output's ``width`` metadata, which a retina figure
carries), and prints it with the scale it is displayed at in a notebook column of
``lossviz.plot.style.COLUMN_PX`` pixels: 100 % up to the column, smaller beyond, text
included. Images wider than the column are flagged. ``--check`` exits with status 1 when
any is.
"""

from __future__ import annotations

import argparse
import base64
import json
import struct
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the worktree's lossviz, also when run as a script
    sys.path.insert(0, str(ROOT))

from lossviz.plot.style import COLUMN_PX  # noqa: E402 - after the path set-up above


class StoredImage(NamedTuple):
    """One stored PNG output."""

    notebook: str
    cell: int
    """Index of the cell in the notebook (0 = first cell)."""
    execution_count: int | None
    width_px: int
    """Width as displayed at 100 %: the metadata width if given, else the PNG's."""
    height_px: int
    png_width: int
    """Pixels in the PNG itself."""

    @property
    def scale(self) -> float:
        """The fraction of its size it is shown at in the column."""
        return min(1.0, COLUMN_PX / self.width_px)

    @property
    def too_wide(self) -> bool:
        return self.width_px > COLUMN_PX


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def stored_images(path: Path) -> list[StoredImage]:
    """Every ``image/png`` output of the notebook at ``path``, in order."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = []
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {}).get("image/png")
            if data is None:
                continue
            png = base64.b64decode("".join(data) if isinstance(data, list) else data)
            width, height = png_size(png)
            meta = output.get("metadata", {}).get("image/png", {})
            shown_w = int(meta.get("width", width))
            shown_h = int(meta.get("height", round(height * shown_w / width)))
            rows.append(
                StoredImage(Path(path).name, index, cell.get("execution_count"), shown_w, shown_h, width)
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table; with ``--check`` return 1 if any image is wider than the column."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to read (default: notebooks/*.ipynb)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if any image is wider than the column")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    rows = [row for p in paths for row in stored_images(p)]
    print(f"{'notebook':<36} {'cell':>4} {'[n]':>5} {'width':>6} {'height':>6} {'shown at':>8}")
    for r in rows:
        flag = f"  > {COLUMN_PX} px" if r.too_wide else ""
        count = "" if r.execution_count is None else r.execution_count
        print(
            f"{r.notebook:<36} {r.cell:>4} {count!s:>5} {r.width_px:>6} {r.height_px:>6} "
            f"{r.scale:>8.0%}{flag}"
        )
    wide = [r for r in rows if r.too_wide]
    print(f"\n{len(rows)} stored images, {len(wide)} wider than the {COLUMN_PX} px column", end="")
    if rows:
        widest = max(rows, key=lambda r: r.width_px)
        print(
            f"; widest {widest.width_px} px ({widest.notebook}, cell {widest.cell}, "
            f"shown at {widest.scale:.0%})"
        )
    else:
        print()
    return 1 if args.check and wide else 0


if __name__ == "__main__":
    sys.exit(main())
