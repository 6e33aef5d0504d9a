"""The session clock: time remaining in large digits, elapsed and planned end below."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Digits, Static

from balint_tui.ui.view import ClockView
from balint_tui.ui.widgets.repaint import set_digits, set_text, set_title


class SessionClock(Vertical):
    """Renders a ``ClockView``."""

    view: reactive[ClockView | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Digits("", id="clock-remaining")
        yield Static("", id="clock-detail", markup=False)

    def watch_view(self, view: ClockView | None) -> None:
        if view is None or not self.is_mounted:
            return
        title = "Session over" if view.over else "Session left"
        if view.followed:
            title += f" · followed ({view.followed})"
        set_title(self, title)
        set_digits(self.query_one("#clock-remaining", Digits), view.remaining)
        parts = [f"elapsed {view.elapsed}", f"of {view.planned}"]
        if view.ends_at:
            parts.append(f"ends {view.ends_at}")
        if view.ended:
            parts = ["session ended"]
        detail = Content("  ".join(parts))
        if view.unsaved:
            detail = Content.assemble((f"NOT SAVED YET: {view.unsaved}", "bold reverse"), " ", detail)
        set_text(self.query_one("#clock-detail", Static), detail)
        # one restyle for the three, and none when they are unchanged
        self.update_classes(
            {"-unsaved": bool(view.unsaved), "-over": view.over, "-ended": view.ended}
        )

    def on_mount(self) -> None:
        self.watch_view(self.view)
