"""A one-key chooser as a screen of its own, for screens where it is not on the path of
a live key (the setup screen's "bring back to the roster"): the live screen's
``Chooser`` in a box over the screen. The choices stay on screen while it waits;
Escape cancels."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Footer

from balint_tui.ui.choices import Choice, Picked
from balint_tui.ui.widgets.chooser import Chooser

__all__ = ["Choice", "PickScreen", "Picked"]


class PickScreen(ModalScreen[Picked | None]):
    """Waits for one of ``choices``' keys (``Chooser.open`` says what the options do)
    and dismisses itself with the choice, or None."""

    CSS_PATH = "pick.tcss"

    def __init__(self, title: str, choices: list[Choice], **options: Any) -> None:
        super().__init__()
        self._title = title
        self._choices = choices
        self._options = options

    def compose(self) -> ComposeResult:
        yield Chooser(id="pick")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Chooser).open(self._title, self._choices, self.dismiss, **self._options)
