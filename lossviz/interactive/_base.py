"""The explorers' common base: a persistent picture, controls that refuse bad values, display.

Every explorer of the course (:class:`lossviz.interactive.CostExplorer`,
:class:`lossviz.interactive.ImbalanceExplorer`, and later ones) is an :class:`Explorer`:

* **one persistent picture**, a :class:`~lossviz.interactive._canvas.LayeredCanvas`: matplotlib
  draws what does not move, the browser draws what moves; no figure is ever rebuilt, and no
  matplotlib backend is needed (it works under ``%matplotlib inline``, ``widget`` or none);
* **draw requests** go through :meth:`Explorer.redraw` (the background, cached by a key) and the
  canvas's ``set_data`` (the layers);
* **callbacks** are wrapped by :meth:`Explorer.guarded`: an exception is shown in a line under the
  picture (a Voilà page or a learner's notebook never shows a callback's log), and the previous
  state stays;
* **controls** -- :class:`StopSlider` (a slider over fixed stops that takes any value in range)
  with a linked text box (:func:`linked_text`): ``None``, nan, strings, bools and out-of-range
  values are refused (``TraitError`` from Python; from the text box: the error line says why
  and the box shows the slider's value again), and nothing else changes;
* **display**: the live widget *and* a static ``image/png`` of the current state (GitHub,
  nbconvert's HTML and a notebook opened without a kernel show the picture), and a one-line
  ``text/plain`` that says what to do where widgets are not live;
* :meth:`Explorer.close` closes every widget.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets
from traitlets import TraitError

from .._validation import _short
from ._canvas import LayeredCanvas

__all__ = ["Explorer", "StopSlider", "fmt", "linked_text", "log_stops"]

#: The picture's widest width in a notebook column (CSS px); ``present=True`` lifts it.
COLUMN_WIDTH = 900
#: Shown as text/plain where widgets are not live (a terminal, a static renderer).
WIDGETS_HINT = "run the notebook in JupyterLab, Notebook 7 or Voilà to move it"


def fmt(value: float, digits: int = 3) -> str:
    """A short label for a slider's value: ``digits`` significant digits, no trailing zeros.

    Examples
    --------
    >>> [fmt(v) for v in (0.001, 0.00316, 4.4879, 100.0, 0.0, 32)]
    ['0.001', '0.00316', '4.49', '100', '0', '32']
    """
    return f"{float(value):.{digits}g}"


def log_stops(lo: float, hi: float, per_decade: int, *, digits: int = 3) -> list[float]:
    """Log-spaced stops from ``lo`` to ``hi``, ``per_decade`` a decade, rounded to ``digits``.

    Parameters
    ----------
    lo, hi : float
        ``0 < lo < hi``, both powers of ten for evenly spread stops.
    per_decade : int
        Stops per decade (``>= 1``).
    digits : int
        Significant digits kept (the slider's labels show them).

    Returns
    -------
    list of float
        Increasing, distinct, ``lo`` and ``hi`` included.

    Examples
    --------
    >>> log_stops(0.1, 10, 2)
    [0.1, 0.316, 1.0, 3.16, 10.0]
    >>> len(log_stops(1e-3, 1e2, 12))
    61
    """
    if not (0 < lo < hi and math.isfinite(hi)):
        raise ValueError(f"lo and hi must satisfy 0 < lo < hi, got {lo!r} and {hi!r}")
    if not isinstance(per_decade, numbers.Integral) or per_decade < 1:
        raise ValueError(f"per_decade must be an int >= 1, got {per_decade!r}")
    n = round(math.log10(hi / lo) * per_decade) + 1
    values = np.geomspace(lo, hi, max(n, 2))
    return sorted({float(f"{v:.{digits}g}") for v in values})


class StopSlider(widgets.SelectionSlider):
    """A slider over fixed stops (a log-like track) that also takes any value in ``[lo, hi]``.

    The handle moves over ``stops``, so every keyboard step is a visible change; a value set
    from Python or typed into the linked text box that is not a stop becomes an extra stop (the
    previous extra one goes), so ``.value`` is exactly the value asked for. ``None``, nan,
    strings, bools, values of the wrong kind and values out of range are refused with a
    ``TraitError`` naming the control, and the slider -- its value, index, label and options
    -- stays exactly as it was.

    Parameters
    ----------
    stops : sequence
        The regular stops.
    value : number
        The first value.
    cast : callable
        Turns a proposed value into the slider's kind (e.g. an int), raising ``TypeError`` or
        ``ValueError`` for a value of the wrong kind.
    lo, hi : number
        The range of values taken.
    label : callable, optional
        The label of a value (default :func:`fmt`). Labels must be distinct.
    **kwargs
        For ``ipywidgets.SelectionSlider`` (``description``, ``layout``, ...).

    Examples
    --------
    >>> s = StopSlider([1, 2, 5, 10], 2, cast=float, lo=1, hi=10, description="k")
    >>> s.value = 3.5; s.value, s.label, [v for _, v in s.options]
    (3.5, '3.5', [1, 2, 3.5, 5, 10])
    >>> try:
    ...     s.value = None
    ... except Exception as exc:
    ...     print(type(exc).__name__, exc)
    TraitError k must be a number in [1, 10], got None
    >>> s.value
    3.5
    """

    value = traitlets.Any(0, help="Selected value")
    value.allow_none = False  # traitlets.Any allows None whatever it is told

    def __init__(
        self,
        stops: Sequence[Any],
        value: Any,
        *,
        cast: Callable[[Any], Any],
        lo: Any,
        hi: Any,
        label: Callable[[Any], str] = fmt,
        **kwargs: Any,
    ) -> None:
        self._stops = tuple(stops)
        self._cast, self._lo, self._hi, self._label = cast, lo, hi, label
        self._checking = True
        v = self._check(value)
        kwargs.setdefault("readout", False)
        super().__init__(options=self._options_with(v), value=v, **kwargs)

    @property
    def stops(self) -> tuple[Any, ...]:
        """The regular stops (without the extra one)."""
        return self._stops

    def _options_with(self, value: Any) -> list[tuple[str, Any]]:
        return [(self._label(v), v) for v in sorted(set(self._stops) | {value})]

    def _check(self, value: Any) -> Any:
        v = None
        if value is not None and not isinstance(value, (str, bytes, bool, np.bool_)):
            try:
                v = self._cast(value)
            except (TypeError, ValueError, OverflowError):
                v = None
        if v is None or (isinstance(v, float) and not math.isfinite(v)) or not self._lo <= v <= self._hi:
            raise TraitError(
                f"{self.description or 'value'} must be a number in "
                f"[{self._label(self._lo)}, {self._label(self._hi)}], got {_short(value)}"
            )
        return v

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> Any:
        v = self._check(proposal.value)
        if v not in self._options_values:
            # Swap in the stops plus v without letting the base class reset the selection.
            self._initializing_traits_ = True
            try:
                self.options = self._options_with(v)
            finally:
                self._initializing_traits_ = False
        return v

    @traitlets.validate("index")
    def _validate_index(self, proposal: Any) -> Any:
        i = proposal.value
        n = len(self._options_labels)
        if not isinstance(i, numbers.Integral) or isinstance(i, bool) or not 0 <= int(i) < n:
            raise TraitError(
                f"{self.description or 'index'}: index must be an int in [0, {n - 1}], got {_short(i)}"
            )
        return int(i)

    @traitlets.validate("label")
    def _validate_label(self, proposal: Any) -> Any:
        if proposal.value not in self._options_labels:
            raise TraitError(
                f"{self.description or 'label'}: label must be one of the slider's labels, got "
                f"{_short(proposal.value)}"
            )
        return proposal.value

    @traitlets.observe("value")
    def _refresh_label(self, change: Any) -> None:
        # When the new value takes the old one's place among the options (an extra stop
        # replaced by another), the index does not change and the base class leaves
        # `label` stale; the browser computes its label from the index and is right.
        i = self._options_values.index(change.new)
        if self.index == i and self.label != self._options_labels[i]:
            self.set_trait("label", self._options_labels[i])

    def neighbours(self, radius: int) -> list[Any]:
        """The values of the stops within ``radius`` steps of the current one, nearest first.

        Examples
        --------
        >>> s = StopSlider([1, 2, 5, 10, 20], 5, cast=float, lo=1, hi=20)
        >>> s.neighbours(2)
        [2, 10, 1, 20]
        """
        values = self._options_values
        i = self.index
        out = []
        for d in range(1, radius + 1):
            for j in (i - d, i + d):
                if 0 <= j < len(values):
                    out.append(values[j])
        return out


def _refuse_out_of_range(widget: Any, value: Any) -> Any:
    """A bounded text box's check: out of range is refused (ipywidgets would clamp it silently)."""
    name = getattr(widget, "_lossviz_name", "value")
    if isinstance(value, float) and math.isnan(value):
        return value  # passed on: the slider refuses it and the box shows the slider's value again
    if not widget.min <= value <= widget.max:
        raise TraitError(
            f"{name} must be a number in [{fmt(widget.min)}, {fmt(widget.max)}], got {_short(value)}"
        )
    return value


class _RefusingFloatText(widgets.BoundedFloatText):
    """A bounded float box that refuses a value out of range instead of clamping it."""

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> Any:
        return _refuse_out_of_range(self, proposal.value)


class _RefusingIntText(widgets.BoundedIntText):
    """A bounded int box that refuses a value out of range instead of clamping it."""

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> Any:
        return _refuse_out_of_range(self, proposal.value)


def linked_text(
    slider: StopSlider, text: widgets.ValueWidget, *, on_refused: Callable[[str], None] | None = None
) -> None:
    """Keep ``slider`` and its text box showing the same value; a refused entry reverts the box.

    A value typed in (or set in Python on ``text.value``) goes to the slider; when the slider
    refuses it, ``on_refused(message)`` is called (the explorers show it under the picture) and
    the box shows the slider's value again. Nothing else changes.

    Examples
    --------
    >>> s = StopSlider([1.0, 2.0, 5.0], 2.0, cast=float, lo=1, hi=5, description="k")
    >>> box = widgets.FloatText(value=2.0)
    >>> said = []
    >>> linked_text(s, box, on_refused=said.append)
    >>> box.value = float("nan"); box.value, s.value, said
    (2.0, 2.0, ['k must be a number in [1, 5], got nan'])
    >>> box.value = 3.0; s.value
    3.0
    """

    def to_text(change: Any) -> None:
        if text.value != change.new:
            text.value = change.new

    def to_slider(change: Any) -> None:
        new = change.new
        if slider.value == new:
            return
        try:
            with slider.hold_sync():
                slider.value = new
        except TraitError as exc:
            if on_refused is not None:
                on_refused(str(exc))
            with contextlib.suppress(TraitError):
                text.value = slider.value
        else:
            if text.value != slider.value:  # e.g. 3.0 typed into an int slider's box
                text.value = slider.value

    slider.observe(to_text, "value")
    text.observe(to_slider, "value")


class Explorer:
    """The base of the course's explorers: a persistent picture, guarded callbacks, display.

    Subclasses build a matplotlib ``Figure`` (created without pyplot), make the picture with
    :meth:`_make_canvas`, their controls with :meth:`_slider`, and the whole with
    :meth:`_assemble`; they wrap their callbacks with :meth:`guarded`.

    Attributes
    ----------
    canvas : LayeredCanvas
        The picture (``canvas.figure`` is the matplotlib figure).
    readout : ipywidgets.HTML
        Numbers about the current state (CSS class ``lossviz-readout``).
    widget : ipywidgets.VBox
        The whole explorer (CSS class ``lossviz-explorer``); a cell ending with the explorer
        shows it.
    """

    canvas: LayeredCanvas
    readout: widgets.HTML
    widget: widgets.VBox
    _closed = False

    def _make_canvas(self, fig: Any, *, present: bool = False, **kwargs: Any) -> LayeredCanvas:
        """The persistent picture: as wide as the column (at most ``COLUMN_WIDTH``), or, with
        ``present``, as large as the page allows (its width, and the window's height) with the
        figure zoomed as a whole, so that its text grows with the screen."""
        kwargs.setdefault("max_width", None if present else COLUMN_WIDTH)
        if present:
            kwargs.setdefault("zoom", True)
            kwargs.setdefault("fit_height", True)
        self.canvas = LayeredCanvas(fig, **kwargs)
        self.readout = widgets.HTML()
        self.readout.add_class("lossviz-readout")
        return self.canvas

    @property
    def fig(self) -> Any:
        """The matplotlib figure behind the picture."""
        return self.canvas.figure

    @property
    def error(self) -> str:
        """The error line under the picture ('' when the last change went well)."""
        return self.canvas.error

    def guarded(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` wrapped so that an exception it raises is shown under the picture."""
        return self.canvas.guarded(func)

    def _refused(self, message: str) -> None:
        self.canvas.error = message

    def _slider(
        self,
        stops: Sequence[Any],
        value: Any,
        *,
        cast: Callable[[Any], Any],
        lo: Any,
        hi: Any,
        description: str,
        css: str,
        integer: bool = False,
        width: str = "20em",
    ) -> tuple[StopSlider, widgets.ValueWidget]:
        """A :class:`StopSlider` and its linked text box, with CSS classes ``css`` and ``css-text``."""
        slider = StopSlider(
            stops,
            value,
            cast=cast,
            lo=lo,
            hi=hi,
            description=description,
            continuous_update=True,
            style={"description_width": "7em"},
            layout=widgets.Layout(width=width),
        )
        layout = widgets.Layout(width="6.5em")
        if integer:
            text: widgets.ValueWidget = _RefusingIntText(
                value=value, min=lo, max=hi, tooltip=description, layout=layout
            )
        else:
            text = _RefusingFloatText(
                value=value, min=lo, max=hi, step=None, tooltip=description, layout=layout
            )
        text._lossviz_name = description
        slider.add_class(css)
        text.add_class(css + "-text")
        linked_text(slider, text, on_refused=self._refused)
        return slider, text

    def _assemble(self, controls: Sequence[widgets.Widget]) -> widgets.VBox:
        """The explorer's widget: the controls and the readout above the picture."""
        top = widgets.HBox(
            [widgets.VBox(list(controls), layout=widgets.Layout(flex="0 0 auto")), self.readout],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.widget = widgets.VBox([top, self.canvas], layout=widgets.Layout(width="100%"))
        self.widget.add_class("lossviz-explorer")
        return self.widget

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        with self.canvas.hold_sync(), self.readout.hold_sync():
            yield

    # -- display and lifetime -----------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        if self._closed:
            return {"text/plain": repr(self)}, {}
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data, metadata = dict(data or {}), dict(metadata or {})
        width, height = self.canvas._size()
        data["image/png"] = self.canvas.static_png()
        metadata["image/png"] = {"width": width, "height": height}
        data["text/plain"] = f"{self!r} -- {WIDGETS_HINT}"
        return data, metadata

    def _all_widgets(self) -> list[widgets.Widget]:
        stack: list[widgets.Widget] = [self.widget]
        seen: list[widgets.Widget] = []
        while stack:
            w = stack.pop()
            if any(w is s for s in seen):
                continue
            seen.append(w)
            stack.extend(c for c in getattr(w, "children", ()) if isinstance(c, widgets.Widget))
        return seen

    def close(self) -> None:
        """Close the picture and every widget of the explorer; it stops responding."""
        if self._closed:
            return
        self._closed = True
        for w in self._all_widgets():
            w.close()
        self.canvas.close()
