"""The floor: who is speaking and for how long, or the silence timer counting up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Digits, Static

from balint_tui.ui import bigtext
from balint_tui.ui.view import FloorView
from balint_tui.ui.widgets.repaint import set_digits, set_text, set_title


class FloorPanel(Horizontal):
    """Renders a ``FloorView``: large digits for the turn or the silence, a label beside."""

    DEFAULT_CSS = """
    FloorPanel .floor-big { width: auto; height: auto; margin-right: 2; display: none; }
    """
    TALL = 34  # from this many terminal rows the time grows, as the clocks do
    view: reactive[FloorView | None] = reactive(None)
    silence_key = "space"  # the silence key, as mapped
    # the ids of the digits and the label (the follow view's panel has its own)
    TIME_ID, WHO_ID = "floor-time", "floor-who"
    SILENCE_TEXT = "silence\nnobody speaking"
    break_key = "b"  # the break key, as mapped

    def compose(self) -> ComposeResult:
        yield Digits("", id=self.TIME_ID)
        yield Static("", classes="floor-big", markup=False)
        yield Static("", id=self.WHO_ID, markup=False)

    def open_text(self) -> str:
        """The label while nobody holds the floor and nobody marked a silence."""
        return f"open: a member's key gives the floor, {self.silence_key} marks silence"

    def big_scale(self) -> int:
        """The scale of the time: 1 (the Digits) below ``TALL`` rows, else as large as
        fits beside its label (up to 3 from 50 rows), like the session clock."""
        width, height = self.app.size
        if height < self.TALL:
            return 1
        room = (self.size.width or width // 2) - 22  # the label beside it
        return bigtext.fit_scale("00:00", room, 3 if height >= 50 else 2) or 1

    def _show_time(self, digits: Digits, text: str) -> None:
        """The time in the Digits, or drawn larger on a tall screen."""
        big = self.query_one(".floor-big", Static)
        scale = self.big_scale() if text else 1
        if scale > 1:
            digits.display = False
            big.display = True
            set_text(big, Content("\n".join(bigtext.big_lines(text, scale))))
            return
        big.display = False
        digits.display = bool(text)
        set_digits(digits, text)

    def map_keys(self, silence: str, pause: str) -> None:
        """The silence and break keys as the keymap maps them (for the labels)."""
        self.silence_key, self.break_key = silence, pause

    def break_text(self) -> str:
        """The label during a break (no airtime, no silence counted)."""
        return f"break\na turn or {self.break_key} ends it"

    def watch_view(self, view: FloorView | None) -> None:
        if view is None or not self.is_mounted:
            return
        # one restyle for the three, and none when they are unchanged
        self.update_classes({
            "-silence": view.mode == "silence",
            "-speaking": view.mode == "speaking",
            "-leader": view.is_leader,
        })
        digits = self.query_one(f"#{self.TIME_ID}", Digits)
        who = self.query_one(f"#{self.WHO_ID}", Static)
        if view.mode == "speaking":
            set_title(self, "Floor")
            self._show_time(digits, view.length)
            extra = "question to the presenter" if view.to_presenter else "speaking"
            set_text(who, Content.assemble((view.who, "bold"), "\n", extra))
        elif view.mode == "silence":
            set_title(self, "Silence")
            self._show_time(digits, view.length)
            set_text(who, Content(self.SILENCE_TEXT))
        elif view.mode == "break":
            set_title(self, "Break")
            self._show_time(digits, view.length)
            set_text(who, Content(self.break_text()))
        elif view.mode == "ended":
            set_title(self, "Floor")
            self._show_time(digits, "")
            set_text(who, Content("session ended"))
        else:
            set_title(self, "Floor")
            self._show_time(digits, "")
            set_text(who, Content(self.open_text()))

    def on_mount(self) -> None:
        self.watch_view(self.view)

    def on_resize(self) -> None:
        self.watch_view(self.view)  # the time's size follows the screen's
