"""At start, when the leader set a retention time (``retention_months``): the sessions
older than that, offered for deletion. Never deleted without a yes (``d``); ``k`` or
Escape keeps them, and the offer comes back at the next start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from balint_tui.application import keeping
from balint_tui.application.keeping import RetentionOffer
from balint_tui.review.plain import counted
from balint_tui.ui.session_port import USER_ERRORS


def offer_words(offer: RetentionOffer) -> str:
    count = len(offer.sessions)
    kept = sum(not s.finished for s in offer.sessions)
    more = f" ({kept} kept to resume)" if kept else ""
    months = counted(offer.months, "month")
    return (
        f"You keep sessions for {months}. {counted(count, 'session')}"
        f"{more} started before {offer.cutoff.isoformat()}. Delete "
        f"{'them' if count != 1 else 'it'} now, for good?"
    )


class RetentionScreen(ModalScreen[bool]):
    CSS_PATH = "retention.tcss"
    BINDINGS = [
        Binding("d", "answer(True)", "Delete", id="retention.delete",
                tooltip="Delete the older sessions for good"),
        Binding("k,escape", "answer(False)", "Keep", id="retention.keep",
                tooltip="Keep them (asked again at the next start)"),
    ]

    def __init__(self, offer: RetentionOffer) -> None:
        super().__init__()
        self.offer = offer

    def compose(self) -> ComposeResult:
        with Vertical(id="retention"):
            yield Static(offer_words(self.offer), id="retention-question", markup=False)
            with Horizontal(id="retention-buttons"):
                yield Button("Delete them (d)", id="delete")
                yield Button("Keep them (k)", id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#retention").border_title = "Older sessions"
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "delete")

    def action_answer(self, delete: bool) -> None:
        self.dismiss(delete)


class _App(Protocol):
    store: Any
    wall: Callable[[], datetime]

    def say(self, message: str, *, error: bool = False) -> None: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...


def offer_retention(app: _App, then: Callable[[], None]) -> bool:
    """At start: the sessions older than the retention setting offered for deletion
    (never deleted silently). True if the offer is shown: ``then`` runs after the answer
    (and the deletion, if the leader said yes)."""
    try:
        offer = keeping.retention_offer(app.store, app.store.settings(), app.wall().date())
    except USER_ERRORS as exc:
        app.say(str(exc), error=True)
        return False
    if offer is None:
        return False

    def answered(delete: bool | None) -> None:
        if delete:
            try:
                count = keeping.delete_sessions(app.store, offer.sessions)
                app.say(f"Deleted {count} session(s) started before {offer.cutoff}.")
            except USER_ERRORS as exc:
                app.say(str(exc), error=True)
        then()

    app.push_screen(RetentionScreen(offer), answered)
    return True
