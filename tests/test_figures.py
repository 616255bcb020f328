"""Every figure a lesson stores fits the notebook column: JupyterLab shows it at 100 %, its text unshrunk.

Reads every ``image/png`` output of every notebook under notebooks/ (the logic of tools/figure_report.py:
the width from the PNG header, or the output's ``width`` metadata when a retina figure carries one) and
fails for any wider than ``lossviz.plot.style.COLUMN_PX``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import figure_report  # tools/figure_report.py (pyproject puts tools/ on the path)
import pytest

from lossviz.plot.style import COLUMN_PX

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT / "notebooks")) for p in NOTEBOOKS])
def test_every_stored_figure_fits_the_column(path):
    wide = [(img.cell, img.width_px) for img in figure_report.stored_images(path) if img.width_px > COLUMN_PX]
    assert not wide, f"figures wider than {COLUMN_PX} px (cell, width): {wide}"


def test_the_lessons_store_figures():
    assert sum(len(figure_report.stored_images(p)) for p in NOTEBOOKS) >= 20


def _notebook_with_png(tmp_path: Path, width: int, meta_width: int | None = None) -> Path:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + (300).to_bytes(4, "big")
    output = {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(png).decode()},
        "metadata": {},
    }
    if meta_width is not None:
        output["metadata"] = {"image/png": {"width": meta_width}}
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [output], "source": ""}
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_the_check_reads_widths_and_catches_a_wide_figure(tmp_path):
    (img,) = figure_report.stored_images(_notebook_with_png(tmp_path, 1590))
    assert img.width_px == 1590 and img.width_px > COLUMN_PX
    (retina,) = figure_report.stored_images(_notebook_with_png(tmp_path, 1600, meta_width=800))
    assert retina.width_px == 800  # a retina figure is shown at its metadata width
