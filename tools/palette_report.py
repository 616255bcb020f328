"""How far apart the course's colours are, for normal vision and three colour-vision deficiencies.

    python tools/palette_report.py

Colour-vision deficiencies are simulated with Machado, Oliveira & Fernandes (2009), "A
Physiologically-based Model for Simulation of Color Vision Deficiency" (IEEE TVCG 15(6)),
at severity 1.0 (protanopia, deuteranopia; their tritan model is the authors'
approximation), and distances are CIEDE2000 (Sharma, Wu & Dalal 2005), both as implemented
by the colour-science package (``colour.blindness.matrix_cvd_Machado2009``,
``colour.difference.delta_E_CIE2000``): nothing here re-implements a formula.

The simulation matrices act on linear RGB; a simulated colour can fall slightly outside
the sRGB gamut. Whether to clip it before measuring is a convention, so every distance
here is the smaller of the two (clipped and not clipped).

tests/test_style.py imports this module and holds the thresholds.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the worktree's lossviz, also when run as a script
    sys.path.insert(0, str(ROOT))

_print_options = np.get_printoptions()
with warnings.catch_warnings():  # colour-science warns that SciPy is absent: not needed here
    warnings.simplefilter("ignore")
    import colour
np.set_printoptions(**_print_options)  # colour-science switches numpy to legacy printing on import

from lossviz.plot import style  # noqa: E402 - after silencing colour-science above

# D65 as sRGB defines it, so that white is L* = 100, a* = b* = 0
_SRGB_WHITE = colour.RGB_COLOURSPACES["sRGB"].whitepoint

VISIONS = {  # name -> Machado et al. deficiency (None: normal vision)
    "normal": None,
    "protanopia": "Protanomaly",
    "deuteranopia": "Deuteranomaly",
    "tritanopia": "Tritanomaly",
}


def machado_matrix(vision: str) -> np.ndarray:
    """The (3, 3) Machado et al. (2009) matrix at severity 1 for ``vision`` (identity if normal)."""
    deficiency = VISIONS[vision]
    if deficiency is None:
        return np.eye(3)
    with warnings.catch_warnings():  # "tritanomaly is an approximation": said in the docstring
        warnings.simplefilter("ignore")
        return np.asarray(colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0))


def hex_to_linear(hexes: Iterable[str]) -> np.ndarray:
    """(n, 3) linear sRGB of ``#RRGGBB`` colours."""
    encoded = np.array([colour.notation.HEX_to_RGB(h) for h in hexes], dtype=float)
    return np.asarray(colour.cctf_decoding(encoded, function="sRGB"))


def to_lab(linear_rgb: np.ndarray, vision: str, *, clip: bool) -> np.ndarray:
    """CIE L*a*b* (sRGB's D65 white) of (n, 3) linear sRGB as seen with ``vision``."""
    seen = np.asarray(linear_rgb, dtype=float) @ machado_matrix(vision).T
    if clip:
        seen = np.clip(seen, 0.0, 1.0)
    xyz = colour.RGB_to_XYZ(seen, colourspace="sRGB", apply_cctf_decoding=False)
    return np.asarray(colour.XYZ_to_Lab(xyz, illuminant=_SRGB_WHITE))


def distances(a: np.ndarray, b: np.ndarray, vision: str) -> np.ndarray:
    """CIEDE2000 between linear-sRGB colours ``a`` and ``b`` (broadcast), as seen with ``vision``.

    The smaller of the clipped and the unclipped simulation.
    """
    delta_e = colour.difference.delta_E_CIE2000
    return np.minimum(*(delta_e(to_lab(a, vision, clip=c), to_lab(b, vision, clip=c)) for c in (False, True)))


class Worst(NamedTuple):
    """The closest pair of a set of colours under one vision."""

    distance: float
    first: str
    second: str


def closest_pair(named: dict[str, str], vision: str) -> Worst:
    """The pair of ``named`` (name -> hex) with the smallest CIEDE2000 under ``vision``."""
    names = list(named)
    pairs = list(combinations(range(len(names)), 2))
    rgb = hex_to_linear(named.values())
    d = distances(rgb[[i for i, _ in pairs]], rgb[[j for _, j in pairs]], vision)
    k = int(np.argmin(d))
    return Worst(float(d[k]), names[pairs[k][0]], names[pairs[k][1]])


def group_report() -> dict[str, dict[str, Worst]]:
    """For every group of :data:`lossviz.plot.style.GROUPS`, its closest pair under each vision."""
    return {
        group: {v: closest_pair({r: style.COLOURS[r] for r in roles}, v) for v in VISIONS}
        for group, roles in style.GROUPS.items()
    }


def cycle_report() -> dict[str, Worst]:
    """The closest pair of the default property cycle under each vision."""
    named = {f"C{k}": c for k, c in enumerate(style.CYCLE)}
    return {v: closest_pair(named, v) for v in VISIONS}


def landscape_colours(
    cmap: str = style.CMAP, alpha: float = style.LANDSCAPE_ALPHA, n: int = 256
) -> np.ndarray:
    """(n, 3) linear sRGB of ``cmap`` shaded at ``alpha`` over white, as the Agg renderer blends them."""
    import matplotlib

    encoded = matplotlib.colormaps[cmap](np.linspace(0.0, 1.0, n))[:, :3]
    return np.asarray(colour.cctf_decoding(alpha * encoded + (1.0 - alpha), function="sRGB"))


def landscape_contrast(roles: Iterable[str], vision: str, **kwargs) -> Worst:
    """The role and colormap position whose colours are closest on a shaded landscape."""
    shades = landscape_colours(**kwargs)
    best = Worst(np.inf, "", "")
    for role in roles:
        d = distances(hex_to_linear([style.COLOURS[role]]), shades, vision)
        k = int(np.argmin(d))
        if d[k] < best.distance:
            best = Worst(float(d[k]), role, f"{k / (len(shades) - 1):.2f} of the map")
    return best


class MapReport(NamedTuple):
    """Lightness order and evenness of a colormap under one vision."""

    monotonic: bool
    """L* strictly increases (or strictly decreases) along the map."""
    step_cv: float
    """Coefficient of variation of the CIEDE2000 steps between neighbours (0: perfectly even)."""


def colormap_report(cmap: str, vision: str, n: int = 64) -> MapReport:
    """Whether ``cmap`` keeps its lightness order and even steps under ``vision``."""
    rgb = landscape_colours(cmap, alpha=1.0, n=n)
    lab = to_lab(rgb, vision, clip=True)
    diff = np.diff(lab[:, 0])
    steps = np.asarray(colour.difference.delta_E_CIE2000(lab[:-1], lab[1:]))
    return MapReport(bool(np.all(diff > 0) or np.all(diff < 0)), float(steps.std() / steps.mean()))


def main() -> None:
    """Print every table."""
    print("Closest pair of colours in each group (CIEDE2000, Machado et al. 2009 at severity 1)")
    report = group_report()
    print(f"{'group':<22}" + "".join(f"{v:>28}" for v in VISIONS))
    for group, by_vision in report.items():
        print(
            f"{group:<22}"
            + "".join(f"{w.distance:6.1f} {w.first + '/' + w.second:>21}" for w in by_vision.values())
        )
    worst = {v: min((r[v] for r in report.values()), key=lambda w: w.distance) for v in VISIONS}
    print(
        "worst over all groups: "
        + ", ".join(f"{v} {w.distance:.1f} ({w.first}/{w.second})" for v, w in worst.items())
    )
    cycle = cycle_report()
    print(
        "default cycle, closest pair: "
        + ", ".join(f"{v} {w.distance:.1f} ({w.first}/{w.second})" for v, w in cycle.items())
    )
    print(
        f"\nPaths on a {style.CMAP} landscape shaded over white: closest role and shade "
        f"(the style's alpha is {style.LANDSCAPE_ALPHA})"
    )
    for alpha in (0.35, style.LANDSCAPE_ALPHA, 1.0):
        row = [landscape_contrast(("full_batch", "mini_batch", "online"), v, alpha=alpha) for v in VISIONS]
        print(
            f"  alpha {alpha:<4} "
            + ", ".join(f"{v} {w.distance:.1f} ({w.first} at {w.second})" for v, w in zip(VISIONS, row))
        )
    print("\nColormaps: lightness monotonic? evenness of the CIEDE2000 steps (coefficient of variation)")
    for cmap in ("cividis", "viridis"):
        rows = {v: colormap_report(cmap, v) for v in VISIONS}
        cells = [
            f"{v} {'monotonic' if r.monotonic else 'NOT monotonic'} cv {r.step_cv:.2f}"
            for v, r in rows.items()
        ]
        print(f"  {cmap:<8} " + ", ".join(cells))


if __name__ == "__main__":
    main()
