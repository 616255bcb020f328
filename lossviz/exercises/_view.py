"""How feedback looks in Jupyter: a coloured box, kept apart from the checking.

The checks (:mod:`lossviz.exercises._core`) only build :class:`Feedback` objects;
this module turns one into HTML. Text is escaped; ```code``` in backticks
becomes ``<code>``.
"""

from __future__ import annotations

import html
import re

from ._feedback import Feedback

__all__ = ["feedback_html"]

#: (text colour, background) per status.
STYLE = {
    "Correct": ("#1a7f37", "#e8f5ec"),
    "Incorrect": ("#b42318", "#fdecea"),
    "Not attempted": ("#5f6b7a", "#f2f4f7"),
    "Hint": ("#1d4ed8", "#eaf1fe"),
    "Solution": ("#6b21a8", "#f4ecfb"),
}


def _inline_code(escaped: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def feedback_html(feedback: Feedback) -> str:
    """The HTML box Jupyter shows for ``feedback``.

    Parameters
    ----------
    feedback : Feedback

    Returns
    -------
    str
        One ``<div>``: the status in bold and colour, a paragraph per blank-line
        separated paragraph of the message, and the code (if any) in ``<pre>``.

    Examples
    --------
    >>> html = feedback_html(Feedback("Hint", "a < b, see `q1.hint(2)`"))
    >>> print(html[html.index("<b "):])
    <b style='color:#1d4ed8'>Hint:</b> a &lt; b, see <code>q1.hint(2)</code></p></div>
    """
    colour, background = STYLE[feedback.status]
    paragraphs = [_inline_code(html.escape(p)) for p in feedback.message.split("\n\n")]
    paragraphs[0] = f"<b style='color:{colour}'>{feedback.status}:</b> {paragraphs[0]}"
    body = "".join(f"<p style='margin:0.3em 0'>{p}</p>" for p in paragraphs)
    if feedback.code:
        body += f"<pre style='margin:0.4em 0 0 0'>{html.escape(feedback.code)}</pre>"
    return (
        f"<div style='border-left:4px solid {colour};background:{background};"
        f"padding:0.4em 0.8em'>{body}</div>"
    )
