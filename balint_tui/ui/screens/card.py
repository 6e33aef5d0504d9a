"""A prompt card opened in full: its explanation and example phrasings."""

from __future__ import annotations

from typing import Any, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from balint_tui.ui.screens.overlay import LiveOverlay

CardChoice = Literal["dismissed", "acted"]


class CardScreen(LiveOverlay[CardChoice | None]):
    """x, a and Escape act here; any other key of the live screen closes the card and
    acts there (``LiveOverlay``)."""

    CSS_PATH = "card.tcss"
    BINDINGS = [
        Binding("x", "choose('dismissed')", "Dismiss", id="card.dismiss",
                tooltip="Dismiss this card"),
        Binding("a", "choose('acted')", "Acted on", id="card.acted",
                tooltip="Mark this card as acted on"),
        Binding("escape,e,enter", "close", "Close", id="card.close",
                tooltip="Back to the session"),
    ]

    def __init__(self, card_id: str, card: Any | None, line: str | None = None) -> None:
        super().__init__()
        self.card_id = card_id
        self.card = card
        self.line = line  # the glance line as shown (naming the member), if known

    def compose(self) -> ComposeResult:
        card = self.card
        with VerticalScroll(id="card"):
            if card is None:
                yield Static(Content(f"No text for prompt card {self.card_id}."))
            else:
                yield Static(Content(self.line or card.line), id="card-line")
                yield Static(Content(card.explanation), id="card-explanation")
                examples = list(getattr(card, "examples", ()) or ())
                if examples:
                    yield Static(Content("You might say:"), id="card-examples-title")
                    for example in examples:
                        yield Static(Content(f"“{example}”"), classes="card-example")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#card")
        box.border_title = Content(getattr(self.card, "title", None) or self.card_id)
        box.border_subtitle = "x dismiss · a acted on · Esc close · a live key closes and acts"

    def action_choose(self, choice: CardChoice) -> None:
        self.dismiss(choice)

    def action_close(self) -> None:
        self.dismiss(None)
