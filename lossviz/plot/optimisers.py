"""Drawings for the lesson "optimisers on the landscape": paths, stability, rate maps, noise bands.

Each function takes ``ax=None`` (a new figure), draws, and returns the Axes; none
computes. The numbers come from :mod:`lossviz.optim.convergence` and the engine,
:func:`lossviz.optim.run_sgd`. Every optimiser has one colour (Okabe-Ito) and one line
style, :data:`OPTIMISER_STYLES`, so a figure also reads in greyscale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.colors import LogNorm
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator
from numpy.typing import ArrayLike

from .._constraints import Options, RealArray, SequenceOf, validate_params
from .._validation import _short, as_float_array
from ..topics._checks import Checked, allowing_inf, array, check_pair
from ._checks import AXES, BOOL, LABEL, MAX_POINTS, MAX_SERIES, WIDTH, MappingOf, positive, real
from .core import _axes
from .style import COLOURS, LINESTYLES

__all__ = ["OPTIMISER_STYLES", "optimiser_paths", "rate_map", "spread_curves", "stability_scan"]

#: Colour (Okabe-Ito) and line style of each optimiser; full-batch gradient descent is black,
#: as everywhere in the course.
OPTIMISER_STYLES: Mapping[str, Mapping[str, str]] = {
    label: {"color": COLOURS[role], "linestyle": LINESTYLES[role]}
    for label, role in (
        ("gradient descent", "gradient_descent"),
        ("momentum", "momentum"),
        ("Nesterov", "nesterov"),
        ("Adam", "adam"),
    )
}
_OTHER = ("#CC79A7", "#56B4E9", "#D55E00")


_CURVE = RealArray(max_size=MAX_POINTS, example_value=[1.0, 2.0, 3.0])
_LOCS = (
    "best",
    "upper right",
    "upper left",
    "lower left",
    "lower right",
    "right",
    "center left",
    "center right",
    "lower center",
    "upper center",
    "center",
)


def _edge(name: str, value: object) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (lrs, betas) of arrays, got {_short(value)}")
    return check_pair(
        f"{name}[0]", _CURVE(f"{name}[0]", value[0]), f"{name}[1]", _CURVE(f"{name}[1]", value[1])
    )


def _mark(name: str, value: object) -> tuple[str, float, float, str]:
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise TypeError(f"{name} must be a (label, lr, beta, marker) tuple, got {_short(value)}")
    label, lr, beta, marker = value
    return (
        LABEL(f"{name} label", label),
        real()(f"{name} lr", lr),
        real()(f"{name} beta", beta),
        LABEL(f"{name} marker", marker),
    )


def _cmap(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be the name of a matplotlib colormap, got {_short(value)}")
    if value not in matplotlib.colormaps:
        raise ValueError(f"{name} must be the name of a matplotlib colormap (e.g. 'cividis'), got {value!r}")
    return value


def _style(name: str, i: int) -> dict[str, str]:
    if name in OPTIMISER_STYLES:
        return dict(OPTIMISER_STYLES[name])
    for key, style in OPTIMISER_STYLES.items():  # "momentum, k = 32" takes momentum's style
        if name.startswith(key):
            return dict(style)
    return {"color": _OTHER[i % len(_OTHER)], "linestyle": "-"}


def _named(name: str, value: object) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"{name} must be a non-empty mapping of label -> array, got {_short(value)}")
    return value


@validate_params(
    {
        "paths": MappingOf(
            LABEL,
            RealArray(shape=(None, 2), max_size=2 * MAX_POINTS, example_value=[[0, 0], [1, -1]]),
            max_len=MAX_SERIES,
        ),
        "ax": AXES,
        "linewidth": WIDTH,
        "legend": BOOL,
    },
    slow=True,
)
def optimiser_paths(
    paths: Mapping[str, ArrayLike], *, ax: Axes | None = None, linewidth: float = 1.5, legend: bool = True
) -> Axes:
    """Several optimisers' paths over the ``(w, b)`` plane, each in its course style.

    Draw the landscape first (``lv.plot_cost_landscape(..., ax=ax)``), then the
    paths on the same Axes. The start is an open circle, the end a dot.

    Parameters
    ----------
    paths : mapping of str to (n, 2) array_like of float
        Label -> ``(w, b)`` after each update, the start first (``Runs.path(r)``).
        Labels that start with a key of :data:`OPTIMISER_STYLES` take its style.
    ax : matplotlib Axes, optional
    linewidth : float, default 1.5
    legend : bool, default True

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> ax = optimiser_paths({"momentum": np.array([[0.0, 0.0], [1.0, -1.0], [2.0, -1.5]])})
    >>> [line.get_label() for line in ax.get_lines()][:1]
    ['momentum']
    """
    items = _named("paths", paths)
    arrays = {}
    for label, P in items.items():
        arr = as_float_array(f"paths[{label!r}]", P, ndim=2)
        if arr.shape[1] != 2:
            raise ValueError(f"paths[{label!r}] must have shape (n, 2), got {arr.shape}")
        arrays[str(label)] = arr
    ax = _axes(ax)
    for i, (label, P) in enumerate(arrays.items()):
        style = _style(label, i)
        ax.plot(
            P[:, 0],
            P[:, 1],
            label=label,
            linewidth=linewidth,
            zorder=3,
            color=style["color"],
            linestyle=style["linestyle"],
        )
        ax.plot(
            P[:1, 0],
            P[:1, 1],
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor="k",
            linestyle="none",
            zorder=4,
        )
        ax.plot(
            P[-1:, 0], P[-1:, 1], marker="o", markersize=4, color=style["color"], linestyle="none", zorder=4
        )
    if legend:
        ax.legend(loc="best", fontsize="small")
    return ax


@validate_params(
    {
        "lrs": _CURVE,
        "measured": RealArray(lo=0.0, lo_open=True, max_size=MAX_POINTS, example_value=[0.1, 1.0, 10.0]),
        "predicted": RealArray(max_size=MAX_POINTS, none_ok=True, example_value=[0.1, 1.0, 10.0]),
        "threshold": real(none_ok=True),
        "ax": AXES,
        "ylabel": LABEL,
    },
    slow=True,
)
def stability_scan(
    lrs: ArrayLike,
    measured: ArrayLike,
    predicted: ArrayLike | None = None,
    *,
    threshold: float | None = None,
    ax: Axes | None = None,
    ylabel: str = "distance after the run / at its start",
) -> Axes:
    """A measured quantity against the learning rate, with the quadratic theory and a threshold.

    Parameters
    ----------
    lrs : (n,) array_like of float
        The learning rates, increasing.
    measured : (n,) array_like of float > 0
        E.g. ``‖θ_N - θ*‖ / ‖θ_0 - θ*‖`` after ``N`` updates (log scale).
    predicted : (n,) array_like of float > 0, optional
        The same from theory, e.g. ``quadratic_rate(lrs, 0, eigenvalues) ** N``.
    threshold : float, optional
        A learning rate to mark with a vertical line, e.g. ``2/λ_max``.
    ax : matplotlib Axes, optional
    ylabel : str

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> eta = np.linspace(3.0, 5.0, 5)
    >>> ax = stability_scan(eta, np.abs(1 - eta * 0.45) ** 10, threshold=2 / 0.45)
    >>> ax.get_yscale(), len(ax.get_lines())
    ('log', 2)
    """
    x = as_float_array("lrs", lrs)
    y = as_float_array("measured", measured)
    if y.shape != x.shape:
        raise ValueError(f"measured must have the shape {x.shape} of lrs, got {y.shape}")
    if np.any(y <= 0):
        raise ValueError(f"measured must be > 0 (log scale), got {y[y <= 0][0]}")
    ax = _axes(ax)
    if predicted is not None:
        p = as_float_array("predicted", predicted)
        if p.shape != x.shape:
            raise ValueError(f"predicted must have the shape {x.shape} of lrs, got {p.shape}")
        ax.plot(
            x,
            p,
            color="#666666",
            linestyle="-",
            linewidth=3,
            alpha=0.5,
            label="quadratic theory at the minimum",
        )
    ax.plot(x, y, color="#000000", marker="o", markersize=3, linestyle="none", label="measured on the cost")
    if threshold is not None:
        t = float(threshold)
        ax.axvline(t, color="#D55E00", linestyle="--", linewidth=1.2, label=f"2/λmax = {t:.3f}")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate $\\eta$")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    return ax


def _nice_log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-3-5 ticks from lo to hi, or finer when that gives fewer than 3 (plain numbers on a log axis)."""
    decades = range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
    for mantissas in ((1, 2, 3, 5), (1, 1.5, 2, 3, 4, 5, 6, 8), (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9)):
        ticks = [m * 10.0**e for e in decades for m in mantissas if lo <= m * 10.0**e <= hi]
        if len(ticks) >= 3:
            break
    return ticks


def _plain_log_axis(axis: Axis, lo: float, hi: float) -> None:
    ticks = _nice_log_ticks(lo, hi)
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(lambda v, _: f"{v:g}")
    axis.set_minor_locator(NullLocator())
    axis.set_minor_formatter(NullFormatter())


def _edges(centres: np.ndarray, log: bool) -> np.ndarray:
    c = np.log(centres) if log else centres
    mid = (c[1:] + c[:-1]) / 2
    e = np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])
    return np.exp(e) if log else e


@validate_params(
    {
        "lrs": RealArray(lo=0.0, lo_open=True, increasing=True, min_size=2, example_value=[1.0, 2.0]),
        "betas": RealArray(increasing=True, min_size=2, example_value=[0.0, 0.5]),
        "updates": allowing_inf(
            RealArray(ndim=2, finite=False, example_value=[[40.0, 30.0], [20.0, np.inf]])
        ),
        "ax": AXES,
        "marks": SequenceOf(
            Checked(
                _mark, "a (label, lr, beta, marker) tuple", example_factory=lambda: ("best", 2.0, 0.0, "o")
            ),
            min_len=0,
            max_len=MAX_SERIES,
        ),
        "edge": Checked(
            _edge,
            "a pair (lrs, betas) of arrays, or None",
            bad=(
                ("a number", 3.7),
                ("three arrays", ([1.0], [1.0], [1.0])),
                ("unequal", ([1.0], [1.0, 2.0])),
                ("a string", "ab"),
            ),
            none_ok=True,
        ),
        "vmin": positive(none_ok=True),
        "vmax": positive(none_ok=True),
        "colorbar": BOOL,
        "cmap": Checked(_cmap, "a matplotlib colormap name", example_factory=lambda: "cividis"),
        "legend_loc": Options(_LOCS),
    },
    slow=True,
)
def rate_map(
    lrs: ArrayLike,
    betas: ArrayLike,
    updates: ArrayLike,
    *,
    ax: Axes | None = None,
    marks: Sequence[tuple[str, float, float, str]] = (),
    edge: tuple[ArrayLike, ArrayLike] | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar: bool = True,
    cmap: str = "cividis",
    legend_loc: str = "lower right",
) -> Axes:
    """Updates to reach a goal over a grid of (learning rate, momentum), as coloured cells.

    The learning rate is on a log axis. Cells that never reached the goal
    (``inf``) are left light grey. Few updates are dark.

    Parameters
    ----------
    lrs : (nL,) array_like of float > 0
        The grid's learning rates, increasing (e.g. geometrically spaced).
    betas : (nB,) array_like of float
        The grid's momenta, increasing.
    updates : (nL, nB) array_like of float
        Updates needed (``inf``: not reached), e.g. from
        :func:`lossviz.optim.convergence.updates_to_reach`.
    ax : matplotlib Axes, optional
    marks : sequence of (label, lr, beta, marker)
        Points to mark, e.g. ``("theory's optimum", 6.86, 0.56, "*")``.
    edge : ((n,) array_like, (n,) array_like), optional
        A curve ``(lrs, betas)`` to draw, e.g. the theoretical stability edge
        ``η = 2(1 + β)/λ_max``.
    vmin, vmax : float, optional
        The colour scale (log); from the finite values when omitted.
    colorbar : bool, default True
    cmap : str, default "cividis"
    legend_loc : str, default "lower right"
        Where the legend of ``marks`` and ``edge`` goes.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> counts = np.array([[40.0, 30.0], [20.0, np.inf]])
    >>> ax = rate_map([1.0, 2.0], [0.0, 0.5], counts, marks=[("best", 2.0, 0.0, "o")])
    >>> ax.get_xscale(), len(ax.collections)
    ('log', 1)
    """
    L, B, U = array(lrs), array(betas), array(updates)
    if U.shape != (L.size, B.size):
        raise ValueError(
            f"updates must have shape (len(lrs), len(betas)) = {(L.size, B.size)}, got {U.shape}"
        )
    if np.any(np.isnan(U)) or np.any(U < 0):
        raise ValueError("updates must be >= 0 or inf, without nan")
    for name, v in (("lrs", L), ("betas", B)):
        if v.size < 2 or np.any(np.diff(v) <= 0):
            raise ValueError(f"{name} must hold at least 2 increasing values, got {_short(v)}")
    if np.any(L <= 0):
        raise ValueError(f"lrs must be > 0 (log axis), got {L[L <= 0][0]}")
    finite = U[np.isfinite(U)]
    default_lo = float(max(finite.min(), 1.0)) if finite.size else 1.0
    lo = float(vmin) if vmin is not None else default_lo
    hi = float(vmax) if vmax is not None else (float(finite.max()) if finite.size else 10 * lo)
    ax = _axes(ax)
    ax.set_facecolor("#DDDDDD")
    masked = np.ma.masked_invalid(U.T)
    mesh = ax.pcolormesh(
        _edges(L, True),
        _edges(B, False),
        masked,
        cmap=cmap,
        norm=LogNorm(vmin=lo, vmax=max(hi, lo * 1.01)),
        shading="flat",
    )
    if edge is not None:
        e_lr, e_b = edge
        ax.plot(e_lr, e_b, color="#D55E00", linestyle="--", linewidth=1.5, label="stability edge (theory)")
    for label, lr, beta, marker in marks:
        ax.plot(
            [lr],
            [beta],
            marker=marker,
            markersize=13 if marker == "*" else 9,
            linestyle="none",
            markerfacecolor="#F0E442" if marker == "*" else "white",
            markeredgecolor="k",
            label=label,
        )
    ax.set_xscale("log")
    x_edges = _edges(L, True)
    ax.set_xlim(x_edges[0], x_edges[-1])
    _plain_log_axis(ax.xaxis, x_edges[0], x_edges[-1])
    y_edges = _edges(B, False)
    ax.set_ylim(float(y_edges[0]), float(y_edges[-1]))
    ax.set_xlabel("learning rate $\\eta$")
    ax.set_ylabel("momentum $\\beta$")
    if colorbar:
        bar = ax.figure.colorbar(mesh, ax=ax, label="updates to reach the goal")
        _plain_log_axis(bar.ax.yaxis, lo, max(hi, lo * 1.01))
    if marks or edge is not None:
        ax.legend(loc=cast(Any, legend_loc), fontsize="small")
    return ax


@validate_params(
    {
        "curves": MappingOf(
            LABEL,
            RealArray(ndim=None, max_size=MAX_POINTS, example_value=[[1.0, 0.5, 0.25]]),
            max_len=MAX_SERIES,
        ),
        "ax": AXES,
        "x": RealArray(max_size=MAX_POINTS, none_ok=True, example_value=[0, 1, 2]),
        "xlabel": LABEL,
        "ylabel": LABEL,
        "log": BOOL,
    },
    slow=True,
)
def spread_curves(
    curves: Mapping[str, ArrayLike],
    *,
    ax: Axes | None = None,
    x: ArrayLike | None = None,
    xlabel: str = "updates",
    ylabel: str = "cost above its minimum, J − J*",
    log: bool = True,
) -> Axes:
    """Each optimiser's curve: the median over runs, and the band from their min to their max.

    Parameters
    ----------
    curves : mapping of str to (S, n) or (n,) array_like of float
        Label -> one row per run (seed), one column per update. A single run
        (``(n,)``) is drawn as a line without a band.
    ax : matplotlib Axes, optional
    x : (n,) array_like of float, optional
        The horizontal values (``0, 1, …, n-1`` when omitted).
    xlabel, ylabel : str
    log : bool, default True
        Log scale on the vertical axis.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> runs = np.array([[1.0, 0.5, 0.25], [1.0, 0.6, 0.2], [1.0, 0.4, 0.3]])
    >>> ax = spread_curves({"gradient descent": runs})
    >>> ax.get_lines()[0].get_ydata().tolist()  # the median over the three runs
    [1.0, 0.5, 0.25]
    """
    items = _named("curves", curves)
    ax = _axes(ax)
    for i, (label, C) in enumerate(items.items()):
        arr = as_float_array(f"curves[{label!r}]", C, ndim=None)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2:
            raise ValueError(f"curves[{label!r}] must have shape (S, n) or (n,), got {arr.shape}")
        if log and np.any(arr <= 0):
            raise ValueError(f"curves[{label!r}] must be > 0 on a log scale, got {arr[arr <= 0][0]}")
        style = _style(str(label), i)
        t = np.arange(arr.shape[1], dtype=float) if x is None else as_float_array("x", x)
        if t.shape != (arr.shape[1],):
            raise ValueError(
                f"x must have one value per column of curves[{label!r}], {arr.shape[1]}, got shape {t.shape}"
            )
        ax.plot(
            t,
            np.median(arr, axis=0),
            label=str(label),
            linewidth=1.6,
            color=style["color"],
            linestyle=style["linestyle"],
        )
        if arr.shape[0] > 1:
            ax.fill_between(t, arr.min(axis=0), arr.max(axis=0), color=style["color"], alpha=0.2, linewidth=0)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    return ax
