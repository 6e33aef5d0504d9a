"""The session clock: time remaining in large digits, elapsed and planned end below.

The digits grow with the terminal (``scale``, set by the screen on a resize: 3 rows at
80x24, 8 at 120x40); the clock ticking changes their characters, never their number of
lines, so a tick repaints without a layout pass. Past the planned end the digits are a
reversed block with OVER beside the overrun: plain to see without colour or blinking.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from balint_tui.domain.vocabulary import LEADER, SETTING_LABELS
from balint_tui.ui import bigtext
from balint_tui.ui.view import ClockView
from balint_tui.ui.widgets.repaint import set_text, set_title

OVER_STYLE = "bold reverse $accent"


Part = str | tuple[str, str]

# the plan's defaults, left out of the clock's title first when it is short of room
# ("in person", then "leader"): "coleader" and "online" are what is worth saying
DEFAULT_RECORD = (SETTING_LABELS["in_person"], LEADER)


def record_words(title: str, record: str, room: int) -> str:
    """`` · leader · in person`` after ``title``, without the defaults that do not fit
    in ``room`` (what is left is cut, last, as a title is)."""
    words = record.split(" · ") if record else []
    for default in DEFAULT_RECORD:
        if room > 0 and cell_len(" · ".join([title, *words])) > room and default in words:
            words.remove(default)
    return "".join(f" · {w}" for w in words)


def big_parts(
    text: str, scale: int, room: int, *, over: bool, label: tuple[str, ...] = ()
) -> list[Part]:
    """``text`` in large digits, ``bigtext.rows(scale)`` lines (a smaller size when it
    does not fit ``room``), each line followed by the line of ``label`` beside it; when
    ``over``, the digits take the accent and the label's first line is a reversed chip
    (it reads without colour). Parts for one ``Content.assemble``, lines joined by
    newlines (one assembly a second: the clock ticks)."""
    beside = max((len(x) for x in label), default=-1) + 3
    fit = bigtext.fit_scale(text, max(1, room - beside), scale) or 1
    lines = bigtext.big_lines(text, fit)
    height = bigtext.rows(scale)
    top = (height - len(lines)) // 2
    glyph_w = len(lines[0]) if lines else 0
    blank = " " * glyph_w
    style = "bold $accent" if over else "bold"
    parts: list[Part] = []
    for i in range(height):
        j = i - top
        line = lines[j] if 0 <= j < len(lines) else blank
        side = label[i] if i < len(label) else ""
        if i:
            parts.append("\n")
        parts.append((line, style))
        if over and i == 0:
            parts += [" ", (f" {side} ", OVER_STYLE)]
        elif side:
            parts.append(" " + side)
    return parts


class SessionClock(Vertical):
    """Renders a ``ClockView``."""

    view: reactive[ClockView | None] = reactive(None)
    scale = 1  # the digits' size (bigtext scale), set by the screen for its size

    def compose(self) -> ComposeResult:
        yield Static("", id="clock-remaining", markup=False)
        yield Static("", id="clock-detail", markup=False)

    def set_scale(self, scale: int) -> None:
        if scale != self.scale:
            self.scale = scale
            self.watch_view(self.view)

    def watch_view(self, view: ClockView | None) -> None:
        if view is None or not self.is_mounted:
            return
        title = "SESSION OVER" if view.over else "Session left"
        if view.followed:
            title += f" · followed ({view.followed})"
        set_title(self, title + record_words(title, view.record, self.size.width - 2))
        digits = self.query_one("#clock-remaining", Static)
        room = digits.content_size.width or self.app.size.width // 2
        label = ("OVER", view.remaining) if view.over else ()
        set_text(digits, Content.assemble(
            *big_parts(view.remaining, self.scale, room, over=view.over, label=label)))
        parts = [f"elapsed {view.elapsed}", f"of {view.planned}"]
        if view.ends_at and not view.over:  # over: the chip takes its place
            parts.append(f"ends {view.ends_at}")
        if view.ended:
            parts = ["session ended"]
        detail = Content("  ".join(parts))
        if view.over and not view.ended:
            detail = Content.assemble((f" OVER {view.remaining} ", OVER_STYLE), " ", detail)
        if view.unsaved:
            unsaved = (f"NOT SAVED YET: {view.unsaved}", "bold reverse")
            detail = Content.assemble(unsaved, " ", detail)
        set_text(self.query_one("#clock-detail", Static), detail)
        # one restyle for the three, and none when they are unchanged
        self.update_classes(
            {"-unsaved": bool(view.unsaved), "-over": view.over, "-ended": view.ended}
        )

    def on_mount(self) -> None:
        self.watch_view(self.view)

    def on_resize(self) -> None:
        self.watch_view(self.view)
