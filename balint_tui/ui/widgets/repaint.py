"""Repaint only what changed.

``Static.update`` asks Textual for a layout pass of the whole screen by default, and a
border title or ``Digits`` value set to what it already was still repaints the widget.
The live screen hands its widgets new view records on every key and every second, most
of which change one number or one name: these helpers skip what is unchanged and ask
for a layout pass only when the text may take a different number of lines.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Digits, Static


def _shape(text: str) -> tuple[tuple[int, ...], ...]:
    """What wrapping depends on: the width of every word, line by line."""
    return tuple(tuple(cell_len(word) for word in line.split(" ")) for line in text.split("\n"))


def _unwrapped_lines(text: str, width: int) -> int | None:
    """How many lines ``text`` takes at ``width`` cells if no line wraps, else None."""
    lines = text.split("\n")
    return len(lines) if all(cell_len(line) <= width for line in lines) else None


def set_text(static: Static, content: Content, *, layout: bool | None = None) -> None:
    """``static.update(content)``, unless it already shows exactly that; without a
    layout pass when the new text takes the same lines as the old (no line wraps, or
    the same word widths wrap the same way): a clock ticking, a name replaced.
    ``layout=False``: never one (a widget whose height does not depend on its text)."""
    old = static.content
    if not isinstance(old, Content):
        static.update(content, layout=layout is not False)
        return
    if old.is_same(content):
        return
    if layout is not None:
        static.update(content, layout=layout)
        return
    width = static.content_size.width
    same_height = (
        width > 0
        and _unwrapped_lines(old.plain, width) is not None
        and _unwrapped_lines(old.plain, width) == _unwrapped_lines(content.plain, width)
    )
    static.update(content, layout=not same_height and _shape(old.plain) != _shape(content.plain))


def set_digits(digits: Digits, value: str) -> None:
    if digits.value != value:
        digits.update(value)


def set_title(widget: Widget, title: str) -> None:
    """The border title, literal: a title holds names, and a string set as a border
    title is read as markup (``Fay [/]`` raised, ``Ben [GP]`` lost its tag)."""
    content = Content(title)
    if widget.border_title != content.markup:
        widget.border_title = content
