"""A matplotlib figure as a still picture, with moving layers drawn in the browser.

:class:`LayeredCanvas` is the picture of the explorers (issue 11). Matplotlib renders what does
not move -- axes, ticks, labels, a landscape and its contours -- once, into a PNG at the width of
the notebook column (or the Voilà page) and at the screen's device pixel ratio. What moves --
paths, cost curves, markers, short text readouts -- is drawn by a small canvas in the browser
(``canvas.js``) from float32 buffers, a few KB a change, with the style of the matplotlib artist
it stands for: colour, line width, dashes, marker, alpha, z-order, clipping.

What changes now and then but is large -- a landscape's shading (an ``imshow`` image drawn cell
by cell) and its contour lines (a ``LineCollection``) -- can be layers too: *image* and
*segments* layers. Their data is sent once, named by its content (:meth:`LayeredCanvas.store`),
and live data and frames refer to it, so a frame for another λ is a few bytes more than its
paths. The browser draws them *under* the background: the PNG leaves the figure's face and
those axes' faces transparent, and the browser paints the faces, then the image and the lines,
so the grid, the spines and the ticks stay on top, as matplotlib draws them.

Three more things make it quick and robust:

* **Frames.** Several prefetched versions of the layers, keyed by the values of some sliders
  (:meth:`LayeredCanvas.add_frames`). When such a slider moves in the browser and the frame for
  its new value is there, the canvas shows it at once, without a kernel round trip. A frame
  carries a stamp -- a version number that Python bumps whenever settings outside the key
  change, and the values of the *context* widgets -- so a frame computed for other settings is
  never shown. A frame may be drawn over its own background (``add_frames(..., background=)``,
  e.g. a cost panel with another y range): that PNG is sent once, the browser keeps the last
  :data:`MAX_FRAME_BACKGROUNDS` decoded and shows background and layers together.
* **Pointer events.** A click or a drag on an axes reaches Python as data coordinates
  (:meth:`LayeredCanvas.on_pointer`), e.g. to move a start point.
* **Errors stay visible.** An exception in a callback wrapped by :meth:`LayeredCanvas.guarded`
  (pointer callbacks are) is shown in a line under the picture, not lost in a log.
* **One thread.** JupyterLab 4.6 sends widget messages to a kernel *subshell* by default
  (its setting "Kernel Comms over subshells"), so the callbacks of sliders and of this widget
  run in a thread of their own, beside the main thread that runs the cells and the work
  scheduled on its event loop. Matplotlib and the explorers' caches are not safe to use from
  two threads at once (the kernel crashed with "corrupted double-linked list" or a
  segmentation fault). Every callback this widget runs -- its messages, its size, guarded
  callbacks -- is therefore handed to the thread that made the widget, through its event
  loop (:attr:`LayeredCanvas.handed_over` tells a callback that it was).

Displayed, the widget carries a static ``image/png`` of its current state too (background and
layers drawn by matplotlib into the same figure), so GitHub, nbconvert's HTML and a notebook
opened without a kernel still show the picture.

How the browser maps data to pixels, for an axes whose box in the image has its top-left corner
at ``(left, top)`` and size ``width × height`` (image pixels), with limits ``xlim``, ``ylim`` and
scale functions ``f`` (the identity, or ``log_base`` with matplotlib's clipping of values ≤ 0 to
-1000)::

    px = left + (f(x) - f(xlim[0])) / (f(xlim[1]) - f(xlim[0])) * width
    py = top + height - (f(y) - f(ylim[0])) / (f(ylim[1]) - f(ylim[0])) * height

which is matplotlib's ``ax.transData`` with the y-axis flipped (:meth:`LayeredCanvas.to_pixels`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import io
import json
import math
import numbers
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import matplotlib.colors as mcolors
import numpy as np
import traitlets
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path as MplPath
from matplotlib.scale import LogTransform
from matplotlib.text import Text
from numpy.typing import ArrayLike

from .._validation import _short, as_float_array, as_int, as_scalar

__all__ = ["LayeredCanvas", "PointerEvent", "js_string"]

_ESM = Path(__file__).with_name("canvas.js")
#: Largest magnitude a float32 buffer can carry.
_FLOAT32_MAX = float(np.finfo(np.float32).max)
#: Backgrounds kept per canvas by :meth:`LayeredCanvas.redraw` with a ``cache_key``.
_BACKGROUND_CACHE_SIZE = 24
#: Frames held per canvas (the oldest go first); the browser holds as many.
MAX_FRAMES = 2048
#: Backgrounds sent for frames (:meth:`LayeredCanvas.add_frames` ``backgrounds=``) that the
#: browser keeps decoded, oldest sent first out; Python mirrors the same list, so it knows which
#: to send again. A PNG is 50-300 KB, decoded 1-5 MB (900×360 CSS px at pixel ratio 1-2): at
#: most about 40 MB in the browser. Frames whose background is dropped are dropped too.
MAX_FRAME_BACKGROUNDS = 8
#: Image and segment layers' data (a landscape's shading, its contour lines) is sent once and
#: named by its content; live data and frames refer to it. Python and the browser keep at most
#: this many (a 160×160 landscape with its contours is about 40 KB); past it, both keep only
#: what the live data uses, and the frames are sent again with the next prefetch.
MAX_STORED = 256
#: CSS font families tried for a text layer, after the font matplotlib itself uses.
_FONT_FALLBACKS = {
    "DejaVu Sans": '"DejaVu Sans", "Bitstream Vera Sans", Verdana, sans-serif',
    "DejaVu Serif": '"DejaVu Serif", "Bitstream Vera Serif", Georgia, serif',
    "DejaVu Sans Mono": '"DejaVu Sans Mono", "Bitstream Vera Sans Mono", monospace',
}
_CAPSTYLES = {"butt": "butt", "projecting": "square", "round": "round"}
_JOINSTYLES = {"miter": "miter", "round": "round", "bevel": "bevel"}
_HA = {"left": "left", "center": "center", "right": "right"}
_VA = {
    "top": "top",
    "center": "middle",
    "center_baseline": "middle",
    "baseline": "alphabetic",
    "bottom": "bottom",
}


# --------------------------------------------------------------------------------------------
# Keys: the browser computes a frame's key from widget values with JavaScript's String(value);
# Python must spell the same values the same way.


def js_string(value: Any) -> str:
    """The text JavaScript's ``String(value)`` gives for a number, a bool or a string.

    Frame keys are computed in the browser from the sliders' values; Python spells the same
    values with this function, so that both sides agree on the key (``3.0`` is ``"3"``,
    ``1e-07`` is ``"1e-7"``, ``1e21`` is ``"1e+21"``).

    Parameters
    ----------
    value : bool, int, float or str
        A widget's value.

    Returns
    -------
    str
        ECMAScript's Number::toString for numbers (shortest round-trip digits, which Python's
        ``repr`` also gives), ``"true"``/``"false"`` for bools, strings unchanged.

    Examples
    --------
    >>> [js_string(v) for v in (3, 3.0, 0.5, 1e-7, 0.000001, 1e21, 123e-20, True, "0.5")]
    ['3', '3', '0.5', '1e-7', '0.000001', '1e+21', '1.23e-18', 'true', '0.5']
    """
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and abs(int(value)) < 10**21:
        return str(int(value))
    if not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a number, a bool or a string, got {_short(value)}")
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    _, digit_tuple, exponent_field = Decimal(repr(abs(v))).as_tuple()  # finite: an int exponent
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent = int(exponent_field) + len(digit_tuple) - len(digits)
    k = len(digits)
    n = exponent + k  # the value is 0.d1d2...dk × 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"
    return sign + text


def _browser_trait(widget: widgets.Widget) -> str:
    """Which of a widget's synced traits the browser reads for a key: its label or its value."""
    if widget.has_trait("_options_labels") and widget.has_trait("index"):
        return "label"  # selection widgets: the browser knows the index and the labels
    if widget.has_trait("value") and widget.trait_metadata("value", "sync"):
        return "value"
    raise TypeError(f"widget {_short(widget)} has no synced value to key frames on")


#: Significant digits of a non-integer number in a frame key or stamp.
KEY_DIGITS = 12


def key_text(value: Any) -> str:
    """A widget's value as frame keys and stamps spell it, here and in the browser.

    :func:`js_string`, with a number that is not an integer first rounded to
    :data:`KEY_DIGITS` significant digits (``canvas.js`` does the same with
    ``toPrecision``). A float slider's browser view snaps its value to the step grid
    (β = 0.9 with step 0.01 becomes ``0.9000000000000001``); a value set again from Python
    is not snapped back, so without the rounding the two sides would never agree on the
    stamp again and no frame would be shown.

    Examples
    --------
    >>> key_text(0.9000000000000001), key_text(0.9), key_text(32), key_text("0.5"), key_text(1e-8)
    ('0.9', '0.9', '32', '0.5', '1e-8')
    """
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_, numbers.Integral)):
        v = float(value)
        if math.isfinite(v) and not v.is_integer():
            return js_string(float(f"{v:.{KEY_DIGITS}g}"))
    return js_string(value)


def _widget_text(widget: widgets.Widget, trait: str) -> str:
    value = widget.label if trait == "label" else widget.value
    if value is None:
        return "null"
    return key_text(value)


# --------------------------------------------------------------------------------------------
# Styles mirrored from matplotlib artists


def _rgba(color: Any, alpha: float | None) -> tuple[str, float]:
    """``(hex, alpha)`` of a colour as matplotlib draws it with the artist's alpha."""
    r, g, b, a = mcolors.to_rgba(color, alpha)
    return mcolors.to_hex((r, g, b)), float(a)


def _outline(path: MplPath) -> dict[str, list]:
    """A path's vertices (rounded to 1e-6) and codes, as the browser traces them."""
    vertices = np.asarray(path.vertices, dtype=float).reshape(-1, 2)
    codes = path.codes
    if codes is None:
        codes = np.array([MplPath.MOVETO] + [MplPath.LINETO] * (len(vertices) - 1))
    return {"vertices": np.round(vertices, 6).tolist(), "codes": [int(c) for c in np.asarray(codes)]}


def _marker_shape(marker: MarkerStyle) -> dict[str, Any] | None:
    """The marker's outline in units of its size (matplotlib's path and transform), or None."""
    path = marker.get_path()
    if (
        path is None
        or len(np.asarray(path.vertices)) == 0
        or marker.get_marker() in ("None", "none", " ", "")
    ):
        return None
    return {
        **_outline(path.transformed(marker.get_transform())),
        "filled": bool(marker.is_filled()),
        "join": _JOINSTYLES.get(str(marker.get_joinstyle()), "miter"),
        "cap": _CAPSTYLES.get(str(marker.get_capstyle()), "butt"),
    }


def _line_style(line: Line2D) -> dict[str, Any]:
    if line.get_drawstyle() not in ("default", None):
        raise ValueError(f"artist: cannot mirror drawstyle {line.get_drawstyle()!r}; use 'default'")
    if line.get_markevery() is not None:
        raise ValueError(f"artist: cannot mirror markevery={line.get_markevery()!r}; use None")
    if line.get_fillstyle() != "full" and line.get_marker() not in ("None", "none", "", " ", None):
        raise ValueError(f"artist: cannot mirror fillstyle {line.get_fillstyle()!r}; use 'full'")
    alpha = line.get_alpha()
    color, color_alpha = _rgba(line.get_color(), alpha)
    linestyle = line.get_linestyle()
    drawn = linestyle not in ("None", "none", "", " ")
    offset, dash_pattern = getattr(line, "_dash_pattern", (0.0, None))  # points, scaled by the width
    dashes = [float(d) for d in dash_pattern or ()]
    solid = not dashes
    style: dict[str, Any] = {
        "kind": "line",
        "color": color,
        "alpha": color_alpha,
        "linewidth": float(line.get_linewidth()) if drawn else 0.0,
        "dashes": dashes,
        "dash_offset": 0.0 if solid else float(offset),
        "cap": _CAPSTYLES[str(line.get_solid_capstyle() if solid else line.get_dash_capstyle())],
        "join": _JOINSTYLES[str(line.get_solid_joinstyle() if solid else line.get_dash_joinstyle())],
    }
    shape = _marker_shape(MarkerStyle(line.get_marker(), fillstyle=line.get_fillstyle()))
    if shape is not None:
        face, face_alpha = _rgba(line.get_markerfacecolor(), alpha)
        edge, edge_alpha = _rgba(line.get_markeredgecolor(), alpha)
        shape.update(
            size=float(line.get_markersize()),
            face=face,
            face_alpha=face_alpha,
            edge=edge,
            edge_alpha=edge_alpha,
            edgewidth=float(line.get_markeredgewidth()),
        )
        if str(line.get_markerfacecolor()).lower() == "none":
            shape["face_alpha"] = 0.0
    style["marker"] = shape
    return style


def _scatter_style(collection: PathCollection) -> dict[str, Any]:
    faces = np.asarray(collection.get_facecolor())
    edges = np.asarray(collection.get_edgecolor())
    for name, colors in (("facecolors", faces), ("edgecolors", edges)):
        if len(colors) > 1 and not np.allclose(colors, colors[0]):
            raise ValueError(
                f"artist: a scatter layer draws one colour; its {name} hold "
                f"{len(colors)} different colours (use one layer per colour)"
            )
    paths = collection.get_paths()
    if len(paths) != 1:
        raise ValueError(f"artist: a scatter layer draws one marker shape, got {len(paths)}")
    alpha = collection.get_alpha()
    face, face_alpha = _rgba(faces[0] if len(faces) else (0, 0, 0, 0), alpha)
    edge, edge_alpha = _rgba(edges[0] if len(edges) else (0, 0, 0, 0), alpha)
    if len(faces) == 0:
        face_alpha = 0.0
    if len(edges) == 0:
        edge_alpha = 0.0
    widths = np.atleast_1d(collection.get_linewidth())
    return {
        "kind": "scatter",
        **_outline(paths[0]),
        "filled": bool(face_alpha > 0),
        "face": face,
        "face_alpha": face_alpha,
        "edge": edge,
        "edge_alpha": edge_alpha,
        "edgewidth": float(widths[0]) if len(widths) else 0.0,
        "join": "round",
        "cap": "butt",
    }


def _css_font(text: Text) -> str:
    props = text.get_fontproperties()
    try:
        name = font_manager.FontProperties(fname=font_manager.findfont(props)).get_name()
    except Exception:  # pragma: no cover - matplotlib's font lookup; never fatal here
        name = "DejaVu Sans"
    family = _FONT_FALLBACKS.get(name, f'"{name}", sans-serif')
    return family


def _linespacing(text: Text) -> float:
    spacing = getattr(text, "_linespacing", 1.2)
    return float(spacing) if isinstance(spacing, numbers.Real) else 1.2  # "normal": about 1.2


def _text_style(text: Text) -> dict[str, Any]:
    if float(text.get_rotation()) % 360 != 0:
        raise ValueError(f"artist: a text layer is drawn horizontally, got rotation {text.get_rotation()}")
    color, alpha = _rgba(text.get_color(), text.get_alpha())
    props = text.get_fontproperties()
    weight = props.get_weight()
    weight = weight if isinstance(weight, numbers.Number) else font_manager.weight_dict.get(str(weight), 400)
    return {
        "kind": "text",
        "color": color,
        "alpha": alpha,
        "fontsize": float(props.get_size_in_points()),
        "family": _css_font(text),
        "weight": int(weight),
        "style": str(props.get_style()),
        "ha": _HA.get(text.get_horizontalalignment(), "left"),
        "va": _VA.get(text.get_verticalalignment(), "alphabetic"),
        "linespacing": _linespacing(text),
    }


def _image_style(image: AxesImage) -> dict[str, Any]:
    interpolation = str(image.get_interpolation())
    if interpolation not in ("nearest", "none"):
        raise ValueError(
            f"artist: an image layer is drawn cell by cell; create it with interpolation='nearest', "
            f"got {interpolation!r}"
        )
    alpha = image.get_alpha()
    if alpha is not None and np.ndim(alpha) != 0:
        raise ValueError("artist: an image layer takes one alpha for the whole image, got an array")
    x0, x1, y0, y1 = (float(v) for v in image.get_extent())
    return {"kind": "image", "extent": [x0, x1, y0, y1], "origin": str(image.origin)}


def _segments_style(lines: LineCollection) -> dict[str, Any]:
    colors = np.asarray(lines.get_colors())
    if len(colors) > 1 and not np.allclose(colors, colors[0]):
        raise ValueError(f"artist: a segments layer draws one colour, got {len(colors)} different colours")
    widths = np.atleast_1d(lines.get_linewidth())
    if len(widths) > 1 and not np.allclose(widths, widths[0]):
        raise ValueError(f"artist: a segments layer draws one line width, got {len(widths)}")
    styles: Any = lines.get_linestyle()  # [(offset, dashes or None), ...]
    if any(dashes is not None for _, dashes in styles):
        raise ValueError("artist: a segments layer draws solid lines")
    color, alpha = _rgba(colors[0] if len(colors) else (0, 0, 0, 0), lines.get_alpha())
    return {
        "kind": "segments",
        "color": color,
        "alpha": alpha if len(colors) else 0.0,
        "linewidth": float(widths[0]) if len(widths) else 0.0,
        "cap": _CAPSTYLES.get(str(lines.get_capstyle() or "butt"), "butt"),
        "join": _JOINSTYLES.get(str(lines.get_joinstyle() or "round"), "round"),
    }


def _image_blob(name: str, image: AxesImage, values: Any, norm: Any) -> tuple[dict[str, Any], list[bytes]]:
    """The colours of ``values`` by ``image``'s colormap and ``norm`` (default its own), as an
    index into a palette when there are at most 256 of them, else as RGBA."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name}: values must be a 2-D array of numbers, got {_short(values)}")
    data: Any = np.ma.asarray(values)
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{name}: values must be numbers, got dtype {data.dtype}")
    if data.ndim != 2 or data.size == 0:
        raise ValueError(f"{name}: values must be a non-empty 2-D array, got shape {data.shape}")
    data = data.astype(float)
    filled = np.ma.getdata(data)[~np.ma.getmaskarray(data)]
    if not np.all(np.isfinite(filled)):
        raise ValueError(f"{name}: values must be finite (mask what is not to be drawn)")
    if norm is not None and not isinstance(norm, mcolors.Normalize):
        raise TypeError(f"{name}: norm must be a matplotlib Normalize, got {_short(norm)}")
    mappable = ScalarMappable(norm=image.norm if norm is None else norm, cmap=image.get_cmap())
    alpha = image.get_alpha()
    rgba = np.ascontiguousarray(mappable.to_rgba(data, alpha=alpha, bytes=True))
    ny, nx = data.shape
    packed = rgba.view("<u4").reshape(ny, nx)
    colours, index = np.unique(packed, return_inverse=True)
    meta: dict[str, Any] = {"kind": "image", "shape": [int(ny), int(nx)]}
    if colours.size <= 256:
        meta["colors"] = int(colours.size)
        return meta, [index.astype(np.uint8).tobytes(), colours.astype("<u4").tobytes()]
    meta["colors"] = 0
    return meta, [rgba.tobytes()]


def _segments_blob(name: str, segments: Any) -> tuple[dict[str, Any], list[bytes]]:
    """Polylines as one float32 (x, y) buffer, NaN between them (the browser lifts the pen)."""
    if (
        segments is None
        or isinstance(segments, (str, bytes, Mapping))
        or not isinstance(segments, (Sequence, np.ndarray))
    ):
        raise TypeError(f"{name}: segments must be a sequence of (n, 2) arrays, got {_short(segments)}")
    parts: list[np.ndarray] = []
    for i, seg in enumerate(segments):
        if np.size(seg) == 0:
            continue
        arr = as_float_array(f"{name}: segments[{i}]", seg, ndim=2)  # finite
        if arr.shape[1] != 2:
            raise ValueError(f"{name}: segments[{i}] must have shape (n, 2), got {arr.shape}")
        if np.any(np.abs(arr) > _FLOAT32_MAX):
            raise ValueError(
                f"{name}: segments[{i}] must fit a float32 buffer (|value| <= {_FLOAT32_MAX:.3g})"
            )
        if parts:
            parts.append(np.full((1, 2), np.nan))
        parts.append(arr)
    xy = np.concatenate(parts).astype("<f4") if parts else np.zeros((0, 2), "<f4")
    return {"kind": "segments", "points": int(xy.shape[0])}, [xy.tobytes()]


# --------------------------------------------------------------------------------------------
# Buffers


def _xy_buffer(name: str, x: Any, y: Any) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Validate ``x``, ``y`` (1-D, same length, finite, within float32); interleaved float32."""
    xs = _coordinates(f"{name}: x", x)
    ys = _coordinates(f"{name}: y", y)
    if xs.shape != ys.shape:
        raise ValueError(f"{name}: x and y must have the same length, got {xs.size} and {ys.size}")
    xy = np.empty(2 * xs.size, dtype="<f4")
    xy[0::2], xy[1::2] = xs, ys
    return xy.tobytes(), xs, ys


def _coordinates(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (list, tuple, np.ndarray)) and np.size(value) == 0:
        return np.zeros(0)
    arr = as_float_array(name, value)
    big = np.abs(arr) > _FLOAT32_MAX
    if big.any():
        i = int(np.flatnonzero(big)[0])
        raise ValueError(
            f"{name} must fit a float32 buffer (|value| <= {_FLOAT32_MAX:.3g}), got {arr[i]} at index {i}"
        )
    return arr


def _smallest_text_pt(root: Any, skip: Sequence[Any] = ()) -> float | None:
    """The smallest font size (points) of the visible, non-empty texts in ``root`` (a figure or an
    artist), leaving out those inside the artists ``skip``; None if none."""
    skipped = {id(t) for a in skip for t in a.findobj(Text)}
    sizes = [
        float(t.get_fontsize())
        for t in root.findobj(Text)
        if id(t) not in skipped
        and t.get_visible()
        and t.get_text().strip()
        and (t.axes is None or t.axes.get_visible())
    ]
    return min(sizes) if sizes else None


def _min_or_none(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _sizes_buffer(name: str, sizes: Any, n: int) -> bytes:
    arr = as_float_array(f"{name}: sizes", sizes)
    if arr.size == 1:
        arr = np.full(n, arr[0])
    if arr.size != n:
        raise ValueError(f"{name}: sizes must hold one value or one per point ({n}), got {arr.size}")
    if (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(f"{name}: sizes must be >= 0, got {arr[i]} at index {i}")
    return np.sqrt(arr).astype("<f4").tobytes()  # marker diameters in points


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread (the kernel's, in a notebook), else None.

    Code a kernel runs (a cell, a widget's message) runs inside its loop, so asyncio finds it.
    Nothing else is asked: tornado's ``IOLoop.current()`` would *make* a loop when there is none,
    and every such loop, never closed, leaks a socket pair."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


@dataclass(frozen=True)
class PointerEvent:
    """A pointer event on an axes of a :class:`LayeredCanvas`, in data coordinates.

    Attributes
    ----------
    kind : {"down", "move", "up"}
        Button pressed, pointer moved with the button held (a drag), button released.
    ax : matplotlib.axes.Axes
        The axes the event is on (for "move" and "up": the one the drag began on).
    x, y : float
        The pointer's position in the axes' data coordinates.
    button : int
        0 main (left), 1 middle, 2 secondary, as the browser numbers them.
    shift, ctrl, alt : bool
        Modifier keys held.
    """

    kind: str
    ax: Axes
    x: float
    y: float
    button: int = 0
    shift: bool = False
    ctrl: bool = False
    alt: bool = False


@dataclass
class _Layer:
    name: str
    artist: Any
    kind: str
    axes_index: int | None  # None: figure coordinates (text only)
    coords: str  # "data", "axes" or "figure"


class LayeredCanvas(anywidget.AnyWidget):
    """A matplotlib figure drawn once as a picture, with layers that move drawn in the browser.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, created without pyplot (``Figure(...)``); it is drawn with Agg. Everything
        in it that is not a layer is the background.
    layers : mapping of str to artist, optional
        Moving layers by name: a ``Line2D`` (a line, with or without markers, or a single
        marker), a ``PathCollection`` from ``ax.scatter`` (one colour), or a ``Text`` (a readout;
        data, axes or figure coordinates, not rotated). Each artist stays in the figure, where
        it is drawn for the static picture, and is skipped when the background is rendered.
        More can be added with :meth:`add_layer`.
    width : int, optional
        Width in CSS pixels. By default the picture takes the width of its container (the
        notebook column, a Voilà page), within ``min_width`` and ``max_width``.
    height : int, optional
        Height in CSS pixels. By default the figure's aspect ratio is kept.
    min_width, max_width : int, optional
        Bounds of the width taken from the container (default 240 px and none).
    frame_keys : sequence of widgets, optional
        Widgets whose values (the labels of selection sliders) key the frames; see
        :meth:`add_frames`. The browser switches frames when one of them changes.
    frame_context : sequence of widgets, optional
        Widgets whose values the frames depend on but are not keyed by: a change of one of
        them in the browser makes every frame stale at once, before the kernel knows.
    zoom : bool, default False
        For present mode: the figure keeps the layout of its own size and is rendered larger or
        smaller as a whole, text and lines included (by default the figure is laid out again at
        the width taken and its fonts keep their size in pixels).
    fit_height : bool, default False
        For present mode: the browser also keeps the picture within the window's height (the
        width it reports is cut so that the page does not scroll because of the picture).

    Examples
    --------
    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(4, 3), dpi=100)
    >>> ax = fig.add_subplot()
    >>> ax.set(xlim=(0, 1), ylim=(0, 10))
    [(0.0, 1.0), (0.0, 10.0)]
    >>> line, = ax.plot([], [], color="C1", lw=2)
    >>> pic = LayeredCanvas(fig, layers={"line": line})
    >>> pic.set_data("line", [0, 0.5, 1], [0, 5, 10])
    >>> len(pic.data["line"]["xy"])    # 3 points, x and y, float32
    24
    >>> pic.to_pixels(ax, 0.5, 5.0)    # where the browser draws the middle point
    (205.0, 151.5)
    >>> pic.close()
    """

    _esm = _ESM

    # The picture: a PNG of the background and where its axes are (image pixels).
    background = traitlets.Bytes(b"").tag(sync=True)
    geometry = traitlets.Dict().tag(sync=True)
    # The layers: styles (JSON) and data (float32 buffers), each with the key it was made for.
    styles = traitlets.Dict().tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    # Frames: the widgets that key them and that they depend on, and the version stamp.
    frame_keys = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization
    )
    frame_context = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization
    )
    frame_traits = traitlets.List(traitlets.Unicode()).tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)
    # Pointer events: which axes listen, which layer follows a drag, the last event handled.
    pointer_axes = traitlets.List(traitlets.Int()).tag(sync=True)
    drag_layer = traitlets.Unicode("").tag(sync=True)
    pointer_ack = traitlets.Int(0).tag(sync=True)
    pointer_invalidates = traitlets.Bool(False).tag(sync=True)
    # The error line under the picture.
    error = traitlets.Unicode("").tag(sync=True)
    # Reported by the browser: the container's width (CSS px) and the device pixel ratio.
    css_width = traitlets.Int(0).tag(sync=True)
    dpr = traitlets.Float(1.0).tag(sync=True)
    # Present mode: the browser also bounds the width it reports by the window's height.
    fit_height = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        fig: Figure,
        *,
        layers: Mapping[str, Any] | None = None,
        width: int | None = None,
        height: int | None = None,
        min_width: int = 240,
        max_width: int | None = None,
        frame_keys: Sequence[widgets.Widget] = (),
        frame_context: Sequence[widgets.Widget] = (),
        zoom: bool = False,
        fit_height: bool = False,
    ) -> None:
        for name, flag in (("zoom", zoom), ("fit_height", fit_height)):
            if not isinstance(flag, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {flag!r}")
        self._zoom = bool(zoom)
        self._fig = _check_figure(fig)
        self._base_dpi = float(fig.dpi)
        w_in, h_in = fig.get_size_inches()
        self._natural = (round(w_in * self._base_dpi), round(h_in * self._base_dpi))
        self._width = None if width is None else as_int("width", width, minimum=16)
        self._height = None if height is None else as_int("height", height, minimum=16)
        self._min_width = as_int("min_width", min_width, minimum=16)
        self._max_width = (
            None if max_width is None else as_int("max_width", max_width, minimum=self._min_width)
        )
        keys = _check_widgets("frame_keys", frame_keys)
        context = _check_widgets("frame_context", frame_context)
        traits = [_browser_trait(w) for w in keys + context]
        self._layers: dict[str, _Layer] = {}
        self._live: dict[str, dict[str, Any]] = {}
        self._frames: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._frame_backgrounds: dict[str, str] = {}  # frame key -> background id
        self._stored: OrderedDict[str, tuple[dict[str, Any], list[bytes]]] = OrderedDict()
        self._sent_stored: set[str] = set()  # as the browser holds them
        self._sent_backgrounds: OrderedDict[str, None] = OrderedDict()  # as the browser holds them
        self._background_ids: dict[tuple, str] = {}  # (cache_key, state) -> id
        self._pointer_callbacks: list[tuple[Callable[[PointerEvent], Any], int | None, bool]] = []
        self._drag_axes: int | None = None
        self._rendered: tuple | None = None
        self._live_key: Any = None  # the cache_key of the background shown (None: not cached)
        self._backgrounds: OrderedDict[tuple, tuple[bytes, dict]] = OrderedDict()
        self._bases: dict[tuple, Any] = {}  # pixels kept under redraw(only=...), by size and artists
        # the thread (and its event loop, in a notebook) every callback runs in: see "One thread"
        self._owner_thread = threading.get_ident()
        self._owner_loop = running_loop()
        self._handing = 0
        self._closed = False
        super().__init__(
            frame_keys=keys, frame_context=context, frame_traits=traits, fit_height=bool(fit_height)
        )
        try:
            for name, artist in (layers or {}).items():
                self.add_layer(name, artist)
            self._message_handler = self.on_owner_thread(self._on_message)
            self._view_size_handler = self.on_owner_thread(self._on_view_size)
            self._context_handler = self.on_owner_thread(self._on_context_change)
            self.on_msg(self._message_handler)
            self.observe(self._view_size_handler, names=["css_width", "dpr"])
            for w in keys + context:
                # "value" only: once per change (a selection sets its index, then its value)
                w.observe(self._context_handler, names=["value"])
            self.redraw()
        except BaseException:
            self.close()
            raise

    # -- layers -----------------------------------------------------------------------------

    @property
    def figure(self) -> Figure:
        """The matplotlib figure behind the picture."""
        return self._fig

    @property
    def layer_names(self) -> tuple[str, ...]:
        """The names of the moving layers, in the order they were added."""
        return tuple(self._layers)

    def add_layer(self, name: str, artist: Any) -> str:
        """Make ``artist`` a moving layer called ``name``; returns ``name``.

        Parameters
        ----------
        name : str
            A new, non-empty name.
        artist : Line2D, PathCollection or Text
            An artist of this canvas's figure (see the class's ``layers``). Its current data is
            the layer's first data; its style is read now and again at each :meth:`set_data`.

        Returns
        -------
        str
            ``name``.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig)
        >>> pic.add_layer("start", ax.plot([0.5], [0.5], "o", color="k")[0])
        'start'
        >>> pic.styles["start"]["marker"]["size"]
        6.0
        >>> pic.close()
        """
        if not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty string, got {_short(name)}")
        if name in self._layers:
            raise ValueError(f"name {name!r} is already a layer")
        layer = self._describe(name, artist)
        self._layers[name] = layer
        try:
            style = self._style(layer)
        except Exception:
            del self._layers[name]  # refused: nothing half-done
            raise
        artist.set_animated(True)  # Agg's draw skips it; savefig draws it
        with self.hold_sync():
            self.styles = {**self.styles, name: style}
            self._refresh_live(name)
        if self._rendered is not None:
            self.redraw()  # the artist was part of the background until now
        return name

    def _describe(self, name: str, artist: Any) -> _Layer:
        if isinstance(artist, Line2D):
            kind = "line"
        elif isinstance(artist, PathCollection):
            kind = "scatter"
        elif isinstance(artist, Text):
            kind = "text"
        elif isinstance(artist, AxesImage):
            kind = "image"
        elif isinstance(artist, LineCollection):
            kind = "segments"
        else:
            raise TypeError(
                f"artist for layer {name!r} must be a Line2D, a PathCollection (scatter), "
                f"a Text, an AxesImage (imshow) or a LineCollection, got {type(artist).__name__}"
            )
        if _root_figure(artist) is not self._fig:
            raise ValueError(f"artist for layer {name!r} is not in this canvas's figure")
        ax = artist.axes
        if kind in ("image", "segments") and (ax is None or artist.get_transform() is not ax.transData):
            raise ValueError(
                f"artist for layer {name!r} must be drawn in an axes' data coordinates "
                "(transform ax.transData)"
            )
        if kind == "text":
            transform = artist.get_transform()
            if ax is not None and transform is ax.transData:
                coords = "data"
            elif ax is not None and transform is ax.transAxes:
                coords = "axes"
            elif transform is self._fig.transFigure:
                coords, ax = "figure", None
            else:
                raise ValueError(
                    f"artist for layer {name!r}: a text layer is placed in data, axes or "
                    "figure coordinates (transform ax.transData, ax.transAxes or "
                    "fig.transFigure)"
                )
        else:
            coords = "data"
        if kind in ("line", "scatter"):
            transform = artist.get_offset_transform() if kind == "scatter" else artist.get_transform()
            if ax is None or transform is not ax.transData:
                raise ValueError(
                    f"artist for layer {name!r} must be drawn in an axes' data "
                    "coordinates (transform ax.transData)"
                )
        index = None
        if ax is not None:
            index = self._fig.axes.index(ax)
            _check_axes_scales(ax, f"artist for layer {name!r}")
        if kind in ("image", "segments") and (
            _scale(ax, "x")["kind"] != "linear" or _scale(ax, "y")["kind"] != "linear"
        ):
            raise ValueError(f"artist for layer {name!r}: an {kind} layer needs linear axes")
        return _Layer(name=name, artist=artist, kind=kind, axes_index=index, coords=coords)

    def _style(self, layer: _Layer) -> dict[str, Any]:
        artist = layer.artist
        if layer.kind == "line":
            style = _line_style(artist)
        elif layer.kind == "scatter":
            style = _scatter_style(artist)
        elif layer.kind == "image":
            style = _image_style(artist)
        elif layer.kind == "segments":
            style = _segments_style(artist)
        else:
            style = _text_style(artist)
        style.update(
            axes=layer.axes_index,
            coords=layer.coords,
            zorder=float(artist.get_zorder()),
            clip=bool(artist.get_clip_on()) and layer.axes_index is not None,
            visible=bool(artist.get_visible()),
            order=list(self._layers).index(layer.name),
        )
        return style

    def _layer(self, name: Any) -> _Layer:
        if not isinstance(name, str) or name not in self._layers:
            raise ValueError(f"name must be one of the layers {list(self._layers)}, got {_short(name)}")
        return self._layers[name]

    def _refresh_live(self, name: str) -> None:
        layer = self._layers[name]
        artist = layer.artist
        if layer.kind == "line":
            payload = self._payload(name, {"x": artist.get_xdata(), "y": artist.get_ydata()})
        elif layer.kind == "scatter":
            offsets = np.asarray(artist.get_offsets(), dtype=float).reshape(-1, 2)
            sizes = artist.get_sizes()
            sizes = np.resize(sizes, max(len(offsets), 1)) if len(sizes) else [36.0]
            payload = self._payload(name, {"x": offsets[:, 0], "y": offsets[:, 1], "sizes": sizes})
        elif layer.kind == "image":
            payload = self._payload(name, {"values": artist.get_array()})
        elif layer.kind == "segments":
            payload = self._payload(name, {"segments": artist.get_segments()})
        else:
            x, y = artist.get_position()
            payload = self._payload(name, {"text": artist.get_text(), "x": x, "y": y})
        self._live[name] = payload
        self._send_live()

    def _payload(self, name: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """A layer's data as the browser takes it, validated."""
        layer = self._layer(name)
        if layer.kind in ("image", "segments"):
            ref = values.get("ref")
            if ref is not None:
                if not isinstance(ref, str) or ref not in self._stored:
                    raise ValueError(
                        f"{name}: ref must be one of this canvas's stored data, got {_short(ref)}"
                    )
                if self._stored[ref][0]["kind"] != layer.kind:
                    raise ValueError(
                        f"{name}: ref {ref!r} holds {self._stored[ref][0]['kind']} data, not {layer.kind}"
                    )
                self._send_stored(ref)
                return {"ref": ref}
            if layer.kind == "image":
                meta, buffers = _image_blob(name, layer.artist, values.get("values"), values.get("norm"))
            else:
                meta, buffers = _segments_blob(name, values.get("segments"))
            return {"ref": self._store(meta, buffers)}
        if layer.kind == "text":
            text = values.get("text")
            if not isinstance(text, str):
                raise TypeError(f"{name}: text must be a string, got {_short(text)}")
            x = as_scalar(f"{name}: x", values.get("x"))
            y = as_scalar(f"{name}: y", values.get("y"))
            return {"text": text, "xy": np.array([x, y], dtype="<f4").tobytes()}
        xy, xs, _ = _xy_buffer(name, values.get("x"), values.get("y"))
        out: dict[str, Any] = {"xy": xy}
        if layer.kind == "scatter":
            sizes = values.get("sizes")
            out["s"] = _sizes_buffer(name, 36.0 if sizes is None else sizes, xs.size)
        elif values.get("sizes") is not None:
            raise ValueError(f"{name}: sizes are for scatter layers; {name!r} is a line")
        return out

    def _send_live(self) -> None:
        key, token = self.frame_key(), self.frame_token()
        self.data = {name: {**payload, "key": key, "token": token} for name, payload in self._live.items()}

    def set_data(
        self, name: str, x: ArrayLike, y: ArrayLike, *, sizes: ArrayLike | float | None = None
    ) -> None:
        """Move a line or scatter layer to new points; the browser redraws it.

        The matplotlib artist is updated too (for the static picture), and the layer's style is
        read again from it. Use ``with canvas.hold_sync():`` to send several changes at once.

        Parameters
        ----------
        name : str
            A line or scatter layer.
        x, y : (n,) array_like of float
            The points in the layer's data coordinates (finite; n may be 0).
        sizes : float or (n,) array_like of float, optional
            Scatter layers: marker areas in points², as ``ax.scatter``'s ``s`` (default: kept).

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig, layers={"pts": ax.scatter([0], [0], s=20)})
        >>> pic.set_data("pts", [0, 1, 2], [2, 1, 0], sizes=[10, 20, 40])
        >>> np.frombuffer(pic.data["pts"]["s"], "<f4").astype(float).round(3).tolist()  # diameters, pt
        [3.162, 4.472, 6.325]
        >>> pic.close()
        """
        layer = self._layer(name)
        if layer.kind == "text":
            raise ValueError(f"name {name!r} is a text layer: use set_text")
        if sizes is None and layer.kind == "scatter":
            old = layer.artist.get_sizes()  # kept, and cycled over the points as matplotlib does
            sizes = np.resize(old, max(np.size(x), 1)) if len(old) else 36.0
        payload = self._payload(name, {"x": x, "y": y, "sizes": sizes})
        xy = np.frombuffer(payload["xy"], "<f4").reshape(-1, 2).astype(float)
        if layer.kind == "line":
            layer.artist.set_data(xy[:, 0], xy[:, 1])
        else:
            layer.artist.set_offsets(xy)
            layer.artist.set_sizes(np.frombuffer(payload["s"], "<f4").astype(float) ** 2)
        self._live[name] = payload
        with self.hold_sync():
            self._restyle(layer)
            self._send_live()

    def set_text(self, name: str, text: str, *, x: float | None = None, y: float | None = None) -> None:
        """Change a text layer's text (and, optionally, its position).

        Parameters
        ----------
        name : str
            A text layer.
        text : str
            The new text (``\\n`` breaks lines).
        x, y : float, optional
            A new position, in the layer's coordinates (default: kept).

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> label = ax.text(0.05, 0.9, "", transform=ax.transAxes)
        >>> pic = LayeredCanvas(fig, layers={"readout": label})
        >>> pic.set_text("readout", "lr = 0.5")
        >>> pic.data["readout"]["text"], label.get_text()
        ('lr = 0.5', 'lr = 0.5')
        >>> pic.close()
        """
        layer = self._layer(name)
        if layer.kind != "text":
            raise ValueError(f"name {name!r} is a {layer.kind} layer: use set_data")
        old_x, old_y = layer.artist.get_position()
        payload = self._payload(
            name, {"text": text, "x": old_x if x is None else x, "y": old_y if y is None else y}
        )
        px, py = np.frombuffer(payload["xy"], "<f4").astype(float)
        layer.artist.set_text(text)
        layer.artist.set_position((px, py))
        self._live[name] = payload
        with self.hold_sync():
            self._restyle(layer)
            self._send_live()

    def set_image(self, name: str, values: ArrayLike, *, norm: Any = None) -> None:
        """Show new values in an image layer (an ``imshow`` of the same shape); the browser redraws it.

        The matplotlib image is updated too (its data and, when given, its norm), for the static
        picture. Its colours are computed here, by the image's own colormap and norm, and sent
        once per picture: the same values shown again cost no transfer.

        Parameters
        ----------
        name : str
            An image layer.
        values : (ny, nx) array_like of float
            The values, in the image's origin and extent.
        norm : matplotlib Normalize, optional
            A new norm (e.g. other band boundaries); default the image's own.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> image = ax.imshow(np.zeros((4, 5)), extent=(0, 1, 0, 1), interpolation="nearest",
        ...                   vmin=0, vmax=19)
        >>> pic = LayeredCanvas(fig, layers={"shade": image})
        >>> before = pic.data["shade"]["ref"]
        >>> pic.set_image("shade", np.arange(20.0).reshape(4, 5))
        >>> pic.data["shade"]["ref"] != before, pic.stored_info(pic.data["shade"]["ref"])["shape"]
        (True, [4, 5])
        >>> pic.close()
        """
        layer = self._layer(name)
        if layer.kind != "image":
            raise ValueError(f"name {name!r} is a {layer.kind} layer, not an image layer")
        payload = self._payload(name, {"values": values, "norm": norm})
        image = layer.artist
        image.set_data(np.asarray(values, dtype=float))
        if norm is not None:
            image.set_norm(norm)
        self._live[name] = payload
        with self.hold_sync():
            self._restyle(layer)
            self._send_live()

    def set_segments(self, name: str, segments: Sequence[ArrayLike]) -> None:
        """Show new line segments in a segments layer (a ``LineCollection``, e.g. contour lines).

        Parameters
        ----------
        name : str
            A segments layer.
        segments : sequence of (n, 2) array_like of float
            The polylines, in data coordinates (finite).

        Examples
        --------
        >>> from matplotlib.collections import LineCollection
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> lines = ax.add_collection(LineCollection([], colors="k"))
        >>> pic = LayeredCanvas(fig, layers={"contours": lines})
        >>> pic.set_segments("contours", [[(0, 0), (1, 1)], [(0, 1), (1, 0), (1, 1)]])
        >>> pic.stored_info(pic.data["contours"]["ref"])["points"]   # with a break between them
        6
        >>> pic.close()
        """
        layer = self._layer(name)
        if layer.kind != "segments":
            raise ValueError(f"name {name!r} is a {layer.kind} layer, not a segments layer")
        payload = self._payload(name, {"segments": segments})
        layer.artist.set_segments([np.asarray(seg, dtype=float).reshape(-1, 2) for seg in segments])
        self._live[name] = payload
        with self.hold_sync():
            self._restyle(layer)
            self._send_live()

    def store(self, name: str, value: Any) -> str:
        """Send the data of an image or segments layer once, for frames; returns its reference.

        A frame (:meth:`add_frames`) may give this reference as the layer's data: many frames
        that show the same landscape then share one copy of it in the browser.

        Parameters
        ----------
        name : str
            An image or segments layer.
        value : array_like, mapping or sequence
            For an image layer the values (``{"values": ..., "norm": ...}`` to give a norm
            too); for a segments layer the polylines.

        Returns
        -------
        str
            The reference (named by the content: the same data gives the same reference).
        """
        layer = self._layer(name)
        if layer.kind not in ("image", "segments"):
            raise ValueError(f"name {name!r} is a {layer.kind} layer: store is for image and segments layers")
        return str(self._payload(name, _frame_values(layer, name, value))["ref"])

    def stored_info(self, ref: str) -> dict[str, Any]:
        """What a stored reference holds: its kind, shape or number of points, and size in bytes."""
        if not isinstance(ref, str) or ref not in self._stored:
            raise ValueError(f"ref must be one of this canvas's stored data, got {_short(ref)}")
        meta, buffers = self._stored[ref]
        return {**meta, "bytes": sum(len(b) for b in buffers)}

    def _store(self, meta: dict[str, Any], buffers: list[bytes]) -> str:
        digest = hashlib.blake2b(json.dumps(meta, sort_keys=True).encode(), digest_size=10)
        for buffer in buffers:
            digest.update(len(buffer).to_bytes(8, "little"))
            digest.update(buffer)
        ref = f"{meta['kind'][0]}{digest.hexdigest()}"
        if ref in self._stored:
            self._stored.move_to_end(ref)
        else:
            self._stored[ref] = (meta, buffers)
            if len(self._stored) > MAX_STORED:
                self._trim_stored(keep=ref)
        self._send_stored(ref)
        return ref

    def _send_stored(self, ref: str) -> None:
        if ref in self._sent_stored:
            return
        meta, buffers = self._stored[ref]
        self.send({"kind": "stored", "id": ref, "meta": meta}, buffers)
        self._sent_stored.add(ref)

    def _trim_stored(self, keep: str) -> None:
        """Past MAX_STORED: keep what the live data uses (and ``keep``), here and in the browser."""
        used = {p.get("ref") for p in self._live.values()} | {keep}
        for ref in [r for r in self._stored if r not in used]:
            del self._stored[ref]
        self._sent_stored &= set(self._stored)
        for key in [
            k
            for k, payloads in self._frames.items()
            if any(p.get("ref") is not None and p["ref"] not in self._stored for p in payloads.values())
        ]:
            del self._frames[key]
            self._frame_backgrounds.pop(key, None)
        self.send({"kind": "stored-keep", "ids": list(self._stored)})

    def _restyle(self, layer: _Layer) -> None:
        style = self._style(layer)
        if self.styles.get(layer.name) != style:
            self.styles = {**self.styles, layer.name: style}

    # -- background and geometry ----------------------------------------------------------

    def _size(self) -> tuple[int, int]:
        """The picture's size in CSS pixels, from the container's width and the options."""
        if self._width is not None:
            width = self._width
        elif self.css_width > 0:
            width = max(self._min_width, self.css_width)
            if self._max_width is not None:
                width = min(width, self._max_width)
        else:
            width = self._natural[0]
        if self._height is not None:
            height = self._height
        else:
            height = max(16, round(width * self._natural[1] / self._natural[0]))
        return width, height

    def redraw(self, *, cache_key: Any = None, only: Sequence[Any] | None = None) -> None:
        """Render the background again, after a change to what does not move.

        Call it after changing static artists, limits or scales (``ax.set_xlim``). The picture
        is rendered at the container's width and the device pixel ratio (which the browser
        reports; changes of them redraw by themselves).

        Parameters
        ----------
        cache_key : hashable, optional
            Names the state of the background (e.g. ``("lam", 0.1)``): a background rendered
            before under the same key, at the same size and pixel ratio, is sent again without
            drawing. The caller promises that the same key means the same picture (a resize draws
            the picture shown again under its key, so frames prerendered for it name it).
        only : sequence of artists, optional
            The caller promises that only these background artists changed since the last
            redraw with the same ``only`` (e.g. a landscape's image and contours when λ moves):
            the rest -- axes, ticks, labels, legend, often most of the drawing time -- is
            kept as pixels and these are drawn over it, in z-order, as matplotlib would. They
            must lie over everything else they overlap (an image under a grid would hide it).

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2), dpi=100); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig)
        >>> pic.background[:8] == b"\\x89PNG\\r\\n\\x1a\\n", pic.geometry["width"]
        (True, 300)
        >>> pic.dpr = 2.0                      # as a HiDPI screen reports it: twice the pixels
        >>> pic.geometry["width"], pic.geometry["height"], pic.geometry["ratio"]
        (600, 400, 2.0)
        >>> pic.close()
        """
        self._check_open()
        width, height = self._size()
        ratio = as_scalar("dpr", self.dpr, minimum=0.25, maximum=8.0)
        state = (width, height, ratio)
        entry = None
        if cache_key is not None:
            entry = self._backgrounds.get((cache_key, state))
        if entry is None:
            entry = self._render(width, height, ratio, only)
            if cache_key is not None:
                self._backgrounds[(cache_key, state)] = entry
                while len(self._backgrounds) > _BACKGROUND_CACHE_SIZE:
                    self._backgrounds.popitem(last=False)
        else:
            self._backgrounds.move_to_end((cache_key, state))
        png, geometry = entry
        if geometry.get("container") != int(self.css_width):  # cached at this size for another width
            geometry = {**geometry, "container": int(self.css_width)}
        self._rendered = state
        self._live_key = cache_key
        with self.hold_sync():
            self.background = png
            self.geometry = geometry

    def prerender(self, *, cache_key: Any, only: Sequence[Any] | None = None) -> bool:
        """Render a background into the cache without showing it; returns False if it was there.

        For a state the user is likely to ask for next (a λ stop nearby): set the figure's
        artists to that state, call this, and set them back; a later :meth:`redraw` with the
        same ``cache_key`` (at the same size and pixel ratio) then sends it without drawing.

        Parameters
        ----------
        cache_key : hashable
            As for :meth:`redraw`.
        only : sequence of artists, optional
            As for :meth:`redraw`.
        """
        self._check_open()
        width, height = self._size()
        ratio = as_scalar("dpr", self.dpr, minimum=0.25, maximum=8.0)
        state = (width, height, ratio)
        if (cache_key, state) in self._backgrounds:
            return False
        self._backgrounds[(cache_key, state)] = self._render(width, height, ratio, only)
        while len(self._backgrounds) > _BACKGROUND_CACHE_SIZE:
            self._backgrounds.popitem(last=False)
        return True

    def _render(
        self, width: int, height: int, ratio: float, only: Sequence[Any] | None = None
    ) -> tuple[bytes, dict]:
        fig = self._fig
        # zoom: the figure keeps its natural width in inches and the dpi grows with the width
        scale = width / self._natural[0] if self._zoom else 1.0
        render_dpi = self._base_dpi * scale * ratio
        inches = (width / scale / self._base_dpi, height / scale / self._base_dpi)
        fig.set_size_inches(*inches)
        # Image and segments layers are drawn by the browser *under* the picture: the figure's and
        # their axes' faces are left transparent here, and the browser paints them (geometry).
        faces = {patch: patch.get_facecolor() for patch in self._under_patches()}
        try:
            for patch in faces:
                patch.set_facecolor((0.0, 0.0, 0.0, 0.0))
            fig.set_dpi(render_dpi)
            canvas = fig.canvas
            assert isinstance(canvas, FigureCanvasAgg)  # made sure of in _check_figure
            if only is None:
                self._bases.clear()  # anything may have changed
                canvas.draw()  # the layers are animated: Agg skips them
                min_text = _smallest_text_pt(self._fig)
            else:
                min_text = self._render_over_base(canvas, (width, height, ratio), list(only))
            rgba = np.asarray(canvas.buffer_rgba())
            geometry = self._geometry(rgba.shape[1], rgba.shape[0], ratio, render_dpi, min_text)
            self._background_serial = getattr(self, "_background_serial", 0) + 1
            geometry["background"] = f"b{self._background_serial}"  # names it for frames
            if faces:
                geometry["facecolor"] = list(_rgba(faces[fig.patch], None))
                for entry, ax in zip(geometry["axes"], fig.axes):
                    if ax.patch in faces:
                        entry["facecolor"] = list(_rgba(faces[ax.patch], None))
            png = _encode_png(rgba)
        finally:
            for patch, face in faces.items():
                patch.set_facecolor(face)
            fig.set_dpi(self._base_dpi)
            fig.set_size_inches(*inches)
        return png, geometry

    def _under_patches(self) -> list[Any]:
        """The figure's patch and those of the axes with image or segments layers (or none)."""
        axes = [layer.artist.axes for layer in self._layers.values() if layer.kind in ("image", "segments")]
        if not axes:
            return []
        return [self._fig.patch, *dict.fromkeys(ax.patch for ax in axes)]

    def _render_over_base(self, canvas: FigureCanvasAgg, state: tuple, only: list[Any]) -> float | None:
        """Draw ``only`` over the kept pixels of everything else (rendered again when stale).

        Returns the smallest text size in points (that of the rest is kept with its pixels)."""
        for artist in only:
            if _root_figure(artist) is not self._fig:
                raise ValueError("only: every artist must be in this canvas's figure")
            if any(artist is layer.artist for layer in self._layers.values()):
                raise ValueError("only: a moving layer is drawn by the browser, not in the background")
        key = (state, tuple(id(a) for a in only))
        bases = self._bases
        base = bases.get(key)
        if base is None:
            was = [a.get_animated() for a in only]
            for a in only:
                a.set_animated(True)  # Agg's full draw skips them
            try:
                canvas.draw()
            finally:
                for a, animated in zip(only, was):
                    a.set_animated(animated)
            renderer = canvas.get_renderer()
            # the rest's smallest text is measured once, with its pixels (a walk of every artist)
            base = bases[key] = (renderer.copy_from_bbox(self._fig.bbox), _smallest_text_pt(self._fig, only))
            while len(bases) > 4:  # a few sizes and pixel ratios
                del bases[next(iter(bases))]
        region, rest_min = base
        renderer = canvas.get_renderer()
        renderer.restore_region(region)
        for artist in sorted(only, key=lambda a: a.get_zorder()):  # stable: insertion order for ties
            if artist.get_visible():
                artist.draw(renderer)
        canvas.figure.stale = False
        visible = [a for a in only if a.get_visible()]
        return _min_or_none(rest_min, *(_smallest_text_pt(a) for a in visible))

    def _geometry(
        self, width_px: int, height_px: int, ratio: float, dpi: float, min_text: float | None
    ) -> dict[str, Any]:
        axes = []
        for ax in self._fig.axes:
            box = ax.bbox
            entry: dict[str, Any] = {
                "left": float(box.x0),
                "top": float(height_px - box.y1),
                "width": float(box.width),
                "height": float(box.height),
                "xlim": [float(v) for v in ax.get_xlim()],
                "ylim": [float(v) for v in ax.get_ylim()],
            }
            try:
                entry["xscale"] = _scale(ax, "x")
                entry["yscale"] = _scale(ax, "y")
                entry["supported"] = True
            except ValueError:
                entry["supported"] = False
            axes.append(entry)
        return {
            "width": int(width_px),
            "height": int(height_px),
            "ratio": float(ratio),
            "px_per_pt": float(dpi / 72.0),
            "min_text_pt": min_text,
            "container": int(self.css_width),
            "axes": axes,
        }

    def _on_view_size(self, change: Any) -> None:
        if self._closed:
            return
        with self.showing_errors():
            width, height = self._size()
            if self._rendered != (width, height, float(self.dpr)):
                # frames with a background of the old size are not shown (the browser checks the
                # size); dropped here, they are sent again with the next prefetch
                for key in [k for k in self._frames if k in self._frame_backgrounds]:
                    del self._frames[key]
                    del self._frame_backgrounds[key]
                # under the key of the picture shown (the same picture at the new size): frames
                # prerendered for that key then name the live background, not a copy of it
                self.redraw(cache_key=self._live_key)
            elif self.geometry and self.geometry.get("container") != int(self.css_width):
                # the same picture for this width: the geometry says so (the browser's "settled")
                self.geometry = {**self.geometry, "container": int(self.css_width)}

    def to_pixels(self, ax: Axes | int, x: ArrayLike, y: ArrayLike) -> tuple[Any, Any]:
        """Where the browser draws data points ``(x, y)`` of ``ax``, in image pixels (y down).

        The same formula as ``canvas.js``, from the geometry last sent; matplotlib's
        ``ax.transData`` at the rendered size and pixel ratio gives the same points (with y
        measured from the bottom).

        Parameters
        ----------
        ax : Axes or int
            An axes of the figure, or its index in ``fig.axes``.
        x, y : float or (n,) array_like of float
            Data coordinates.

        Returns
        -------
        (px, py) : floats, or (n,) ndarrays of float
            Image pixels from the top-left corner.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2), dpi=100); ax = fig.add_subplot()
        >>> ax.set_xscale("log"); ax.set_xlim(1.0, 100.0)
        (1.0, 100.0)
        >>> pic = LayeredCanvas(fig)
        >>> px, py = pic.to_pixels(ax, [1, 10, 100], [0, 0.5, 1])
        >>> np.round(px, 1).tolist()     # a decade is the same width each time
        [37.5, 153.8, 270.0]
        >>> pic.close()
        """
        index = self._axes_index(ax)
        geometry = self.geometry["axes"][index]
        if not geometry.get("supported"):
            raise ValueError(f"ax: axes {index} has a scale the canvas cannot draw on")
        scalar = np.ndim(x) == 0 and np.ndim(y) == 0
        xs = np.atleast_1d(as_float_array("x", x, ndim=None)).astype(float)
        ys = np.atleast_1d(as_float_array("y", y, ndim=None)).astype(float)
        fx = _scale_function(geometry["xscale"])
        fy = _scale_function(geometry["yscale"])
        x0, x1 = fx(np.array(geometry["xlim"], dtype=float))
        y0, y1 = fy(np.array(geometry["ylim"], dtype=float))
        px = geometry["left"] + (fx(xs) - x0) / (x1 - x0) * geometry["width"]
        py = geometry["top"] + geometry["height"] - (fy(ys) - y0) / (y1 - y0) * geometry["height"]
        if scalar:
            return float(px[0]), float(py[0])
        return px, py

    def _axes_index(self, ax: Any) -> int:
        if isinstance(ax, Axes):
            if ax not in self._fig.axes:
                raise ValueError("ax is not an axes of this canvas's figure")
            return self._fig.axes.index(ax)
        index = as_int("ax", ax, minimum=0, maximum=len(self._fig.axes) - 1)
        return index

    # -- frames -------------------------------------------------------------------------------

    def frame_key(self, values: Any = None) -> str:
        """The key of a frame, as the browser spells it, for values of the ``frame_keys`` widgets.

        Parameters
        ----------
        values : value or tuple of values, optional
            One value per key widget (a single value when there is one): the widget's
            ``value``, or its ``label`` for a selection slider. By default the widgets'
            current values.

        Returns
        -------
        str
            The values as JavaScript's ``String`` spells them, joined by ``"|"``.

        Examples
        --------
        >>> import ipywidgets as widgets
        >>> from matplotlib.figure import Figure
        >>> size = widgets.IntSlider(value=4, min=1, max=64)
        >>> lr = widgets.SelectionSlider(options=["0.1", "0.2", "0.5"], value="0.2")
        >>> pic = LayeredCanvas(Figure(figsize=(3, 2)), frame_keys=[size, lr])
        >>> pic.frame_key(), pic.frame_key((8, "0.5"))
        ('4|0.2', '8|0.5')
        >>> pic.close()
        """
        keys = list(self.frame_keys)
        if values is None:
            return "|".join(_widget_text(w, t) for w, t in zip(keys, self.frame_traits))
        if not isinstance(values, tuple):
            values = (values,)
        if len(values) != len(keys):
            raise ValueError(f"values must hold one value per key widget ({len(keys)}), got {_short(values)}")
        try:
            return "|".join(key_text(v) for v in values)
        except TypeError:
            raise TypeError(f"values must be numbers, bools or strings, got {_short(values)}") from None

    def frame_token(self) -> str:
        """The stamp of the current settings: the version and the context widgets' values.

        Frames are computed for one token; the browser shows a frame only while the token it
        computes itself (the version it last heard and the context widgets' values there)
        is the frame's.

        Examples
        --------
        >>> import ipywidgets as widgets
        >>> from matplotlib.figure import Figure
        >>> lam = widgets.FloatSlider(value=0.1, min=0, max=1)
        >>> pic = LayeredCanvas(Figure(figsize=(3, 2)), frame_context=[lam])
        >>> pic.frame_token()
        '0|0.1'
        >>> lam.value = 0.2               # a context change bumps the version too
        >>> pic.frame_token()
        '1|0.2'
        >>> pic.close()
        """
        traits = self.frame_traits[len(self.frame_keys) :]
        context = "|".join(_widget_text(w, t) for w, t in zip(self.frame_context, traits))
        return f"{self.version}|{context}"

    def invalidate_frames(self) -> None:
        """Drop every frame, here and in the browser: settings outside the key have changed.

        Call it (it bumps the version) when something a frame depends on changes in Python
        and is not a ``frame_context`` widget: a new seed, a new start point, new data.
        Changes of ``frame_context`` widgets, and pointer events, do it by themselves.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig, layers={"line": ax.plot([0, 1], [0, 1])[0]})
        >>> pic.add_frames({(): {"line": ([0, 1], [1, 0])}})
        True
        >>> pic.invalidate_frames(); pic.frame_count, pic.version
        (0, 1)
        >>> pic.close()
        """
        self._drop_frames()
        self.version += 1
        self._send_live()  # the live data's stamp follows

    def _drop_frames(self) -> None:
        self._frames.clear()
        self._frame_backgrounds.clear()

    def _background_entry(self, cache_key: Any) -> tuple[bytes, dict]:
        """The cached background for ``cache_key`` at the current size and pixel ratio."""
        width, height = self._size()
        state = (width, height, as_scalar("dpr", self.dpr, minimum=0.25, maximum=8.0))
        entry = self._backgrounds.get((cache_key, state))
        if entry is None:
            raise ValueError(
                f"background: no background cached under {_short(cache_key)} at the current size; "
                "render it first with redraw(cache_key=...) or prerender(cache_key=...)"
            )
        return entry

    def _send_background(self, png: bytes, geometry: dict) -> str:
        """Send a background for frames once (the browser keeps the last MAX_FRAME_BACKGROUNDS)."""
        bid = str(geometry["background"])
        if bid in self._sent_backgrounds:
            return bid
        self.send({"kind": "background", "id": bid, "geometry": geometry}, [png])
        self._sent_backgrounds[bid] = None
        while len(self._sent_backgrounds) > MAX_FRAME_BACKGROUNDS:
            gone, _ = self._sent_backgrounds.popitem(last=False)
            for key in [k for k, b in self._frame_backgrounds.items() if b == gone]:
                del self._frame_backgrounds[key]  # the browser cannot show them any more
                self._frames.pop(key, None)
        return bid

    @property
    def frame_count(self) -> int:
        """How many frames are held for the current settings."""
        return len(self._frames)

    def add_frames(
        self,
        frames: Mapping[Any, Mapping[str, Any]],
        *,
        token: str | None = None,
        background: Any = None,
    ) -> bool:
        """Send prefetched frames to the browser; returns False if they were stale (dropped).

        Parameters
        ----------
        frames : mapping of key to mapping of layer name to data
            A key is a tuple of values, one per ``frame_keys`` widget (a single value when there
            is one; ``()`` when there are none), as :meth:`frame_key` takes. Its data, per
            layer: ``(x, y)`` or ``{"x": ..., "y": ..., "sizes": ...}`` for lines and scatters,
            the text (``str``) or ``{"text": ..., "x": ..., "y": ...}`` for text layers. Layers
            left out show their live data.
        token : str, optional
            The :meth:`frame_token` the frames were computed for (take it when the computation
            starts). When it is no longer current, the frames are dropped and False is
            returned. Default: the current token.
        background : hashable, optional
            The ``cache_key`` of a background rendered with :meth:`redraw` or :meth:`prerender`
            (at the current size and pixel ratio) that these frames are drawn over, e.g. the
            landscape for another λ: the browser gets its PNG once (it keeps the last
            :data:`MAX_FRAME_BACKGROUNDS`) and shows it together with the frame's layers. By
            default a frame is shown over whatever background is there: use it only for frames
            that all share the live background.

        Returns
        -------
        bool
            Whether the frames were kept and sent.

        Examples
        --------
        >>> import ipywidgets as widgets
        >>> from matplotlib.figure import Figure
        >>> slope = widgets.IntSlider(value=1, min=0, max=3)
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig, layers={"line": ax.plot([0, 1], [0, 1])[0]}, frame_keys=[slope])
        >>> token = pic.frame_token()
        >>> pic.add_frames({s: {"line": ([0, 1], [0, s])} for s in range(4)}, token=token)
        True
        >>> pic.frame_count
        4
        >>> pic.invalidate_frames()                    # e.g. a new seed: the old runs are stale
        >>> pic.add_frames({0: {"line": ([0, 1], [0, 0])}}, token=token)
        False
        >>> pic.close()
        """
        self._check_open()
        if not isinstance(frames, Mapping):
            raise TypeError(f"frames must be a mapping of key to layers, got {_short(frames)}")
        if token is not None and not isinstance(token, str):
            raise TypeError(f"token must be a string from frame_token(), got {_short(token)}")
        entries = []
        for key, layers in frames.items():
            text_key = self.frame_key(key)
            if not isinstance(layers, Mapping):
                raise TypeError(
                    f"frames[{key!r}] must be a mapping of layer name to data, got {_short(layers)}"
                )
            payloads = {}
            for name, value in layers.items():
                layer = self._layer(name)
                payloads[name] = self._payload(name, _frame_values(layer, name, value))
            entries.append((text_key, payloads))
        entry = None if background is None else self._background_entry(background)
        if token is not None and token != self.frame_token():
            return False
        bid = None if entry is None else self._send_background(*entry)
        for text_key, payloads in entries:
            self._frames[text_key] = payloads
            self._frames.move_to_end(text_key)
            if bid is None:
                self._frame_backgrounds.pop(text_key, None)
            else:
                self._frame_backgrounds[text_key] = bid
        while len(self._frames) > MAX_FRAMES:
            gone, _ = self._frames.popitem(last=False)
            self._frame_backgrounds.pop(gone, None)
        self._send_frames(entries)
        return True

    def frame_background(self, key: Any) -> str | None:
        """The id of the background a held frame is drawn over (None: the live one).

        Parameters
        ----------
        key : value or tuple of values
            As for :meth:`frame_key`.
        """
        return self._frame_backgrounds.get(self.frame_key(key))

    def _send_frames(self, entries: Sequence[tuple[str, Mapping[str, Mapping[str, Any]]]]) -> None:
        entries = list(entries)[-MAX_FRAMES:]
        if not entries:
            return
        buffers: list[bytes] = []
        content_entries = []
        for text_key, payloads in entries:
            layers = {}
            for name, payload in payloads.items():
                item: dict[str, Any] = {}
                for field_name, value in payload.items():
                    if isinstance(value, bytes):
                        item[field_name] = {"buffer": len(buffers)}
                        buffers.append(value)
                    else:
                        item[field_name] = value
                layers[name] = item
            content_entries.append(
                {"key": text_key, "layers": layers, "background": self._frame_backgrounds.get(text_key)}
            )
        token = self.frame_token()
        self.send(
            {"kind": "frames", "version": self.version, "token": token, "entries": content_entries}, buffers
        )

    def _on_context_change(self, change: Any) -> None:
        if self._closed:
            return
        widget = change.owner
        if any(widget is w for w in self.frame_context):
            self._drop_frames()
            self.version += 1
        # A key widget's change keeps the frames; the live data keeps the key it was made for.

    # -- pointer events ------------------------------------------------------------------------

    def on_pointer(
        self,
        callback: Callable[[PointerEvent], Any],
        *,
        ax: Axes | int | None = None,
        moves: str | None = None,
        invalidates_frames: bool = True,
        remove: bool = False,
    ) -> None:
        """Call ``callback(event)`` on each pointer event on an axes (click, drag, release).

        The event (:class:`PointerEvent`) is in data coordinates. A drag sends "move" events as
        fast as the callback answers them: while one is handled, later moves are merged into
        the latest. An exception in the callback is shown under the picture (:meth:`guarded`).

        Parameters
        ----------
        callback : callable
            Takes one :class:`PointerEvent`.
        ax : Axes or int, optional
            Only events on this axes (default: any axes of the figure that the canvas can draw
            on).
        moves : str, optional
            A line layer that the browser moves to the pointer while it is pressed, before
            Python answers (e.g. the start point's marker).
        invalidates_frames : bool
            Whether the callback changes what the frames show (a new start point: new runs).
            Then each event bumps the version, so frames computed before it are stale, and the
            browser shows no frame from the press until Python has answered the release.
        remove : bool
            Remove ``callback`` instead.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig, layers={"start": ax.plot([0.5], [0.5], "o")[0]})
        >>> def move_start(event):
        ...     pic.set_data("start", [event.x], [event.y])
        >>> pic.on_pointer(move_start, ax=ax, moves="start")
        >>> pic.pointer("down", ax, 0.25, 0.75)       # as the browser sends a click
        >>> ax.lines[0].get_xydata().tolist()
        [[0.25, 0.75]]
        >>> pic.close()
        """
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {_short(callback)}")
        if remove:
            self._pointer_callbacks = [
                entry for entry in self._pointer_callbacks if entry[0] != callback
            ]  # (bound methods: equal, not same)
        else:
            index = None if ax is None else self._axes_index(ax)
            if index is not None:
                _check_axes_scales(self._fig.axes[index], "ax")
            if moves is not None:
                layer = self._layer(moves)
                if layer.kind != "line":
                    raise ValueError(f"moves must name a line layer, {moves!r} is a {layer.kind} layer")
                self.drag_layer = moves
            self._pointer_callbacks.append((callback, index, bool(invalidates_frames)))
        listening = set()
        for _, index, _ in self._pointer_callbacks:
            if index is None:
                listening |= {i for i, a in enumerate(self._fig.axes) if _scales_supported(a)}
            else:
                listening.add(index)
        self.pointer_axes = sorted(listening)
        self.pointer_invalidates = any(entry[2] for entry in self._pointer_callbacks)
        if not self._pointer_callbacks:
            self.drag_layer = ""

    def pointer(
        self,
        kind: str,
        ax: Axes | int,
        x: float,
        y: float,
        *,
        button: int = 0,
        shift: bool = False,
        ctrl: bool = False,
        alt: bool = False,
    ) -> None:
        """Handle a pointer event as if the browser had sent it (for scripts and tests).

        Parameters
        ----------
        kind : {"down", "move", "up"}
            The event.
        ax : Axes or int
            The axes, or its index in ``fig.axes``.
        x, y : float
            Data coordinates.
        button : int
            0 main, 1 middle, 2 secondary.
        shift, ctrl, alt : bool
            Modifier keys.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig)
        >>> seen = []
        >>> pic.on_pointer(lambda event: seen.append((event.kind, event.x, event.y)))
        >>> pic.pointer("down", ax, 0.5, 0.25); pic.pointer("up", 0, 0.75, 0.25)
        >>> seen
        [('down', 0.5, 0.25), ('up', 0.75, 0.25)]
        >>> pic.close()
        """
        if kind not in ("down", "move", "up"):
            raise ValueError(f"kind must be 'down', 'move' or 'up', got {_short(kind)}")
        index = self._axes_index(ax)
        self._handle_pointer(
            {
                "seq": self.pointer_ack,
                "type": kind,
                "axes": index,
                "x": as_scalar("x", x),
                "y": as_scalar("y", y),
                "button": as_int("button", button, minimum=0, maximum=4),
                "shift": bool(shift),
                "ctrl": bool(ctrl),
                "alt": bool(alt),
            }
        )

    def _handle_pointer(self, content: Mapping[str, Any]) -> None:
        seq = int(content.get("seq", 0))
        kind = str(content.get("type", ""))
        with self.hold_sync():
            if self.pointer_invalidates:
                self._drop_frames()
                self.version += 1  # frames from before this event are stale
            try:
                with self.showing_errors():
                    index = int(content["axes"])
                    if kind == "down":
                        self._drag_axes = index
                    elif self._drag_axes is not None:
                        index = self._drag_axes
                    if kind == "up":
                        self._drag_axes = None
                    event = PointerEvent(
                        kind=kind,
                        ax=self._fig.axes[index],
                        x=float(content["x"]),
                        y=float(content["y"]),
                        button=int(content.get("button", 0)),
                        shift=bool(content.get("shift")),
                        ctrl=bool(content.get("ctrl")),
                        alt=bool(content.get("alt")),
                    )
                    for callback, wanted, _ in list(self._pointer_callbacks):
                        if wanted is None or wanted == index:
                            callback(event)
            finally:
                self._send_live()
                self.pointer_ack = max(self.pointer_ack, seq)

    def _on_message(self, widget: Any, content: Any, buffers: Sequence[Any]) -> None:
        if self._closed or not isinstance(content, Mapping):
            return
        kind = content.get("kind")
        if kind == "hello":  # a new view: it needs the frames held for the current settings
            self._sent_backgrounds.clear()
            self._sent_stored.clear()
            for ref in self._stored:
                self._send_stored(ref)
            by_id = {g["background"]: (png, g) for png, g in self._backgrounds.values()}
            for key, bid in list(self._frame_backgrounds.items()):
                if bid not in by_id:  # no longer cached: the frame cannot be shown
                    del self._frame_backgrounds[key]
                    self._frames.pop(key, None)
            for bid in dict.fromkeys(self._frame_backgrounds.values()):
                self._send_background(*by_id[bid])
            self._send_frames(list(self._frames.items()))
        elif kind == "pointer":
            self._handle_pointer(content)
        elif kind == "error":  # the browser could not draw: show it, keep it for Python too
            self.error = f"in the browser: {content.get('message', '')}"[:500]

    # -- errors -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def showing_errors(self) -> Iterator[None]:
        """A context in which an exception is shown under the picture instead of raised.

        The error line is cleared when the block runs without one. The traceback is kept in
        :attr:`last_traceback`.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> pic = LayeredCanvas(Figure(figsize=(3, 2)))
        >>> with pic.showing_errors():
        ...     raise ValueError("lr must be > 0, got -1")
        >>> pic.error
        'ValueError: lr must be > 0, got -1'
        >>> with pic.showing_errors():
        ...     pass
        >>> pic.error
        ''
        >>> pic.close()
        """
        try:
            yield
        except Exception as exc:
            self.last_traceback = traceback.format_exc()
            message = f"{type(exc).__name__}: {exc}"
            self.error = message if len(message) <= 500 else message[:497] + "..."
        else:
            if self.error:
                self.error = ""

    last_traceback: str = ""
    _closed = True  # until constructed

    def guarded(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` wrapped so that an exception it raises is shown under the picture.

        For slider callbacks (``slider.observe(canvas.guarded(follow), "value")``): an
        exception raised in a widget's callback otherwise ends up in a log that a learner, or
        a Voilà page, never shows.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> pic = LayeredCanvas(Figure(figsize=(3, 2)))
        >>> follow = pic.guarded(lambda change: 1 / change)
        >>> follow(0) is None, pic.error
        (True, 'ZeroDivisionError: division by zero')
        >>> follow(4), pic.error
        (0.25, '')
        >>> pic.close()
        """
        if not callable(func):
            raise TypeError(f"func must be callable, got {_short(func)}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = None
            with self.showing_errors():
                result = func(*args, **kwargs)
            return result

        return self.on_owner_thread(wrapper)

    @property
    def handed_over(self) -> bool:
        """Whether the callback running now was handed over from another thread: a widget message
        that a kernel subshell received (so it came from the browser)."""
        return self._handing > 0

    def on_owner_thread(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` wrapped so that it always runs in the thread that made this widget.

        Called from another thread while that thread's event loop runs (a widget message
        received by a kernel subshell), the call is handed to the loop with
        ``call_soon_threadsafe`` and returns None at once; calls are run in the order they
        were made. Called from the owner thread, or when there is no loop (a script), it runs
        at once and returns what ``func`` returns. :meth:`guarded` callbacks are wrapped so.

        Examples
        --------
        >>> import threading
        >>> from matplotlib.figure import Figure
        >>> pic = LayeredCanvas(Figure(figsize=(3, 2)))
        >>> where = pic.on_owner_thread(lambda: threading.current_thread().name)
        >>> where() == threading.current_thread().name  # the owner thread (no loop: at once)
        True
        >>> pic.close()
        """
        if not callable(func):
            raise TypeError(f"func must be callable, got {_short(func)}")

        def run_handed(args: tuple, kwargs: dict) -> None:
            if self._closed:
                return
            self._handing += 1
            try:
                func(*args, **kwargs)
            except Exception:  # guarded callbacks show theirs; others must not kill the loop
                self.last_traceback = traceback.format_exc()
            finally:
                self._handing -= 1

        @functools.wraps(func)
        def confined(*args: Any, **kwargs: Any) -> Any:
            loop = self._owner_loop
            if loop is not None and threading.get_ident() != self._owner_thread:
                try:
                    if not loop.is_closed() and loop.is_running():
                        loop.call_soon_threadsafe(run_handed, args, kwargs)
                        return None
                except RuntimeError:  # closed meanwhile: run here, the best there is
                    pass
            return func(*args, **kwargs)

        return confined

    # -- display and lifetime -----------------------------------------------------------------

    def static_png(self, dpi: float | None = None) -> bytes:
        """A PNG of the whole current picture (background and layers), drawn by matplotlib.

        Parameters
        ----------
        dpi : float, optional
            Resolution; default the figure's own, at the size last rendered.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(figsize=(3, 2), dpi=100); ax = fig.add_subplot()
        >>> pic = LayeredCanvas(fig, layers={"line": ax.plot([0, 1], [0, 1])[0]})
        >>> pic.static_png()[:4]
        b'\\x89PNG'
        >>> pic.close()
        """
        self._check_open()
        dpi = (
            self._base_dpi
            if dpi is None
            else as_scalar("dpi", dpi, minimum=1.0, strict_minimum=False, maximum=2400.0)
        )
        buf = io.BytesIO()
        self._fig.savefig(buf, format="png", dpi=dpi)  # saving draws the animated layers too
        return buf.getvalue()

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data, metadata = dict(data or {}), dict(metadata or {})
        if not self._closed:
            width, height = self._size()
            data["image/png"] = self.static_png()
            metadata["image/png"] = {"width": width, "height": height}
        data["text/plain"] = repr(self)
        return data, metadata

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{self._size()[0]}x{self._size()[1]} px"
        return f"LayeredCanvas(layers={list(self._layers)}, {state})"

    def close(self) -> None:
        """Close the widget and let go of its figure; it stops responding.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> pic = LayeredCanvas(Figure(figsize=(3, 2)))
        >>> pic.close(); pic
        LayeredCanvas(layers=[], closed)
        """
        if self._closed:
            return
        self._closed = True
        for w in list(self.frame_keys) + list(self.frame_context):
            with contextlib.suppress(ValueError):
                w.unobserve(self._context_handler, names=["value"])
        self._pointer_callbacks = []
        self._drop_frames()
        self._backgrounds.clear()
        self._bases.clear()
        self._stored.clear()
        fig = self._fig
        if getattr(fig.canvas, "manager", None) is not None:  # pragma: no cover - refused in __init__
            import matplotlib.pyplot as plt

            plt.close(fig)
        for layer in self._layers.values():
            layer.artist.set_animated(False)
        super().close()

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("this LayeredCanvas is closed")


# --------------------------------------------------------------------------------------------
# Helpers


def _root_figure(artist: Any) -> Any:
    try:
        return artist.get_figure(root=True)  # matplotlib >= 3.10: the figure, not a subfigure
    except TypeError:  # pragma: no cover - older matplotlib
        fig = artist.figure
        while fig is not None and getattr(fig, "figure", fig) is not fig:
            fig = fig.figure
        return fig


def _check_figure(fig: Any) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib.figure.Figure, got {type(fig).__name__}")
    canvas = fig.canvas
    if getattr(canvas, "manager", None) is not None:
        raise ValueError(
            "fig is managed by pyplot (it would be shown twice, and pyplot's backend "
            "draws it): create it with matplotlib.figure.Figure(...)"
        )
    if type(canvas) is FigureCanvasBase:
        FigureCanvasAgg(fig)
    elif not isinstance(canvas, FigureCanvasAgg):
        raise ValueError(
            f"fig must be drawn with Agg, got a {type(canvas).__name__}: create it with "
            "matplotlib.figure.Figure(...)"
        )
    return fig


def _check_widgets(name: str, value: Any) -> list[widgets.Widget]:
    if isinstance(value, widgets.Widget):
        value = [value]
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of widgets, got {_short(value)}") from None
    for i, w in enumerate(items):
        if not isinstance(w, widgets.Widget):
            raise TypeError(f"{name}[{i}] must be an ipywidgets widget, got {_short(w)}")
        try:
            _browser_trait(w)
        except TypeError:
            raise TypeError(
                f"{name}[{i}] ({type(w).__name__}) has no synced value to key frames on"
            ) from None
    return items


def _scale(ax: Axes, which: str) -> dict[str, Any]:
    axis = ax.xaxis if which == "x" else ax.yaxis
    scale = axis.get_scale()
    if scale == "linear":
        return {"kind": "linear"}
    if scale == "log":
        transform = axis.get_transform()
        if not isinstance(transform, LogTransform):  # pragma: no cover - matplotlib's own
            raise ValueError(f"{which} scale 'log' without a LogTransform")
        return {"kind": "log", "base": float(transform.base), "clip": bool(getattr(transform, "_clip", True))}
    raise ValueError(f"{which} scale {scale!r}: the canvas draws on linear and log axes only")


def _scales_supported(ax: Axes) -> bool:
    try:
        _check_axes_scales(ax, "ax")
    except ValueError:
        return False
    return True


def _check_axes_scales(ax: Axes, name: str) -> None:
    if ax.name != "rectilinear":
        raise ValueError(f"{name}: the canvas draws on rectilinear axes, got {ax.name!r} axes")
    for which in ("x", "y"):
        try:
            _scale(ax, which)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None


def _scale_function(scale: Mapping[str, Any]) -> Callable[[np.ndarray], np.ndarray]:
    if scale["kind"] == "linear":
        return lambda v: np.asarray(v, dtype=float)
    log_base = math.log(scale["base"])

    def log(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log(v) / log_base
        bad = v <= 0
        if bad.any():
            out = np.where(bad, -1000.0 if scale.get("clip", True) else np.nan, out)
        return out

    return log


def _frame_values(layer: _Layer, name: str, value: Any) -> dict[str, Any]:
    if layer.kind in ("image", "segments"):
        if isinstance(value, str):
            return {"ref": value}
        if layer.kind == "image":
            if isinstance(value, Mapping):
                return {"values": value.get("values"), "norm": value.get("norm")}
            return {"values": value, "norm": None}
        return {"segments": value}
    if layer.kind == "text":
        if isinstance(value, str):
            x, y = layer.artist.get_position()
            return {"text": value, "x": x, "y": y}
        if isinstance(value, Mapping):
            x, y = layer.artist.get_position()
            return {"text": value.get("text"), "x": value.get("x", x), "y": value.get("y", y)}
        raise TypeError(
            f"frame data for text layer {name!r} must be a string or a mapping, got {_short(value)}"
        )
    if isinstance(value, Mapping):
        out = {"x": value.get("x"), "y": value.get("y"), "sizes": value.get("sizes")}
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        out = {"x": value[0], "y": value[1], "sizes": None}
    else:
        raise TypeError(
            f"frame data for layer {name!r} must be (x, y) or a mapping with x and y, got {_short(value)}"
        )
    if layer.kind == "scatter" and out["sizes"] is None:
        sizes = layer.artist.get_sizes()
        n = 0 if out["x"] is None else np.size(out["x"])
        out["sizes"] = np.resize(sizes, max(n, 1)) if len(sizes) else 36.0
    return out


def _encode_png(rgba: np.ndarray) -> bytes:
    """PNG of an (h, w, 4) uint8 image; RGB when it is opaque. Fast zlib level: it is sent, not kept."""
    from PIL import Image

    if rgba[..., 3].min() == 255:
        image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    else:
        image = Image.fromarray(np.ascontiguousarray(rgba), "RGBA")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()
