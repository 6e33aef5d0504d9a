"""The floor: who is speaking and for how long, or the silence timer counting up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Digits, Static

from balint_tui.ui.view import FloorView
from balint_tui.ui.widgets.repaint import set_digits, set_text, set_title


class FloorPanel(Horizontal):
    """Renders a ``FloorView``: large digits for the turn or the silence, a label beside."""

    view: reactive[FloorView | None] = reactive(None)
    silence_key = "space"  # the silence key, as mapped
    # the ids of the digits and the label (the follow view's panel has its own)
    TIME_ID, WHO_ID = "floor-time", "floor-who"
    SILENCE_TEXT = "silence\nnobody speaking"
    break_key = "b"  # the break key, as mapped

    def compose(self) -> ComposeResult:
        yield Digits("", id=self.TIME_ID)
        yield Static("", id=self.WHO_ID, markup=False)

    def open_text(self) -> str:
        """The label while nobody holds the floor and nobody marked a silence."""
        return f"open: a member's key gives the floor, {self.silence_key} marks silence"

    def map_keys(self, silence: str, pause: str) -> None:
        """The silence and break keys as the keymap maps them (for the labels)."""
        self.silence_key, self.break_key = silence, pause

    def break_text(self) -> str:
        """The label during a break (no airtime, no silence counted)."""
        return f"break\na turn or {self.silence_key} ends it"

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
        digits.display = view.mode in ("speaking", "silence", "break")
        if view.mode == "speaking":
            set_title(self, "Floor")
            set_digits(digits, view.length)
            extra = "question to the presenter" if view.to_presenter else "speaking"
            set_text(who, Content.assemble((view.who, "bold"), "\n", extra))
        elif view.mode == "silence":
            set_title(self, "Silence")
            set_digits(digits, view.length)
            set_text(who, Content(self.SILENCE_TEXT))
        elif view.mode == "break":
            set_title(self, "Break")
            set_digits(digits, view.length)
            set_text(who, Content(self.break_text()))
        elif view.mode == "ended":
            set_title(self, "Floor")
            set_digits(digits, "")
            set_text(who, Content("session ended"))
        else:
            set_title(self, "Floor")
            set_digits(digits, "")
            set_text(who, Content(self.open_text()))

    def on_mount(self) -> None:
        self.watch_view(self.view)
