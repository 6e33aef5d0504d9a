"""Quit while a session runs: end and save it, keep it to resume later, or cancel."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

QuitChoice = Literal["end", "keep"]


class QuitScreen(ModalScreen[QuitChoice | None]):
    CSS_PATH = "quit.tcss"
    BINDINGS = [
        Binding("e", "choose('end')", "End and save", id="quit.end",
                tooltip="End the session now and save it"),
        Binding("k", "choose('keep')", "Keep for later", id="quit.keep",
                tooltip="Leave the session unfinished; balint-tui offers to resume it"),
        Binding("escape,c", "cancel", "Cancel", id="quit.cancel",
                tooltip="Back to the session"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="quit"):
            yield Static("A session is running. Quit how?", id="quit-question")
            with Horizontal(id="quit-buttons"):
                yield Button("End and save (e)", id="end", variant="primary")
                yield Button("Keep to resume (k)", id="keep")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#quit").border_title = "Quit"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: QuitChoice) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
