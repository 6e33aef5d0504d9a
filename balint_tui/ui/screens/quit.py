"""Quit while a session runs: end and save it, keep it to resume later, discard it, or
cancel. Discarding asks once more (it deletes the session for good)."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

QuitChoice = Literal["end", "keep", "discard"]

QUESTION = "A session is running. Quit how?"
CONFIRM = (
    "Discard this session for good? Its journal and record are deleted: it will not "
    "be in the review, the history or the trends."
)


class QuitScreen(ModalScreen[QuitChoice | None]):
    CSS_PATH = "quit.tcss"
    BINDINGS = [
        Binding("e", "choose('end')", "End and save", id="quit.end",
                tooltip="End the session now and save it"),
        Binding("k", "choose('keep')", "Keep for later", id="quit.keep",
                tooltip="Leave the session unfinished; balint-tui offers to resume it"),
        Binding("d", "discard", "Discard", id="quit.discard",
                tooltip="Delete this session for good (asks once more)"),
        Binding("escape,c", "cancel", "Cancel", id="quit.cancel",
                tooltip="Back to the session"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.confirming = False

    def compose(self) -> ComposeResult:
        with Vertical(id="quit"):
            yield Static(QUESTION, id="quit-question")
            with Horizontal(id="quit-buttons"):
                yield Button("End and save (e)", id="end", variant="primary")
                yield Button("Keep to resume (k)", id="keep")
                yield Button("Discard (d)", id="discard")
                yield Button("Cancel (Esc)", id="cancel")
            with Horizontal(id="quit-confirm"):
                yield Button("Discard for good (d)", id="discard-yes", variant="error")
                yield Button("No, back (Esc)", id="discard-no")

    def on_mount(self) -> None:
        self.query_one("#quit").border_title = "Quit"
        self.query_one("#quit-confirm").display = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "cancel" | "discard-no":
                self.action_cancel()
            case "discard" | "discard-yes":
                self.action_discard()
            case "end" | "keep" as choice:
                self.action_choose(choice)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # while it asks "for good?", only d and Escape answer
        return not (self.confirming and action == "choose")

    def action_choose(self, choice: QuitChoice) -> None:
        if not self.confirming:
            self.dismiss(choice)

    def action_discard(self) -> None:
        if self.confirming:
            self.dismiss("discard")
            return
        self.confirming = True
        self.query_one("#quit-question", Static).update(CONFIRM)
        self.query_one("#quit-buttons").display = False
        self.query_one("#quit-confirm").display = True
        self.query_one("#quit").border_title = "Discard the session?"
        self.query_one("#discard-no", Button).focus()
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self.confirming:  # back to the first question
            self.confirming = False
            self.query_one("#quit-question", Static).update(QUESTION)
            self.query_one("#quit-buttons").display = True
            self.query_one("#quit-confirm").display = False
            self.query_one("#quit").border_title = "Quit"
            self.query_one("#end", Button).focus()
            self.refresh_bindings()
            return
        self.dismiss(None)
