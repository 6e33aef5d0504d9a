"""A one-key chooser as a screen of its own, for screens where it is not on the path of
a live key (the setup screen's "bring back to the roster"): the choices stay on screen
while it waits; Escape cancels. The live screen uses its own panel
(``ui/widgets/chooser.py``), which opens without composing a screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from balint_tui.ui.choices import Choice, Picked

__all__ = ["Choice", "PickScreen", "Picked"]

WIDE = 100  # from this many columns the choices take four columns, not three


class PickScreen(ModalScreen[Picked | None]):
    """Waits for one of ``choices``' keys; ``flag_key`` (e.g. ``!``) toggles a flag."""

    CSS_PATH = "pick.tcss"
    # One binding per key a chooser may offer (not an on_key handler): a key typed in
    # the same burst as the mode key ("p4") is matched against the bindings of the
    # screen on top when it arrives, which is already this one.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel", tooltip="Cancel"),
        *(
            Binding(key, f"choose({key!r})", show=False, system=True)
            for key in [*"1234567890abcdefghijklmnopqrstuvwxyz", "exclamation_mark"]
        ),
    ]

    def __init__(
        self,
        title: str,
        choices: list[Choice],
        *,
        flag_key: str | None = None,
        flag_label: str = "",
        flag: bool = False,
        empty: str = "nothing to choose",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = {c.key: c for c in choices}
        self.flag_key = flag_key
        self.flag_label = flag_label
        self.flag = flag
        self.empty = empty
        # set before mounting: a class added in on_mount restyles the whole chooser
        try:
            self.set_class(self.app.size.width >= WIDE, "-wide", update=False)
        except RuntimeError:  # built outside a running app: on_mount decides
            pass

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            with Grid(id="pick-choices"):
                for choice in self.choices.values():
                    yield Static(
                        Content.assemble((choice.key, "bold reverse"), " ", choice.label),
                        classes="pick-choice",
                    )
            if not self.choices:
                yield Static(Content(self.empty), id="pick-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")  # no-op unless unknown before
        self.show_title()

    def show_title(self) -> None:
        box = self.query_one("#pick")
        title = self.title_text
        if self.flag_key and self.flag:
            title += f" ({self.flag_label})"
        box.border_title = title
        hint = "a key chooses · Escape cancels"
        if self.flag_key:
            state = "on" if self.flag else "off"
            hint = f"{self.flag_key} {self.flag_label}: {state} · " + hint
        box.border_subtitle = hint

    def action_choose(self, key: str) -> None:
        char = "!" if key == "exclamation_mark" else key
        if self.flag_key is not None and char == self.flag_key:
            self.flag = not self.flag
            self.show_title()
            return
        choice = self.choices.get(char)
        if choice is not None:
            self.dismiss(Picked(choice.value, self.flag))
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)
