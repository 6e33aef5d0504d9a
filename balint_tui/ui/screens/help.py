"""The help screen: every key of the live screen (as currently mapped) and the mark letters."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from balint_tui.ui.screens.overlay import LiveOverlay


@dataclass(frozen=True)
class HelpRow:
    keys: str
    what: str


@dataclass(frozen=True)
class HelpSection:
    title: str
    rows: tuple[HelpRow, ...]


class HelpScreen(LiveOverlay[None]):
    """Escape, ? and q close it; any other key of the live screen closes it and acts
    there (``LiveOverlay``)."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close",
                tooltip="Back to the session"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            for section in self.sections:
                yield Static(Content(section.title), classes="help-title")
                width = max((len(r.keys) for r in section.rows), default=4)
                lines = [
                    Content.assemble((f"{row.keys:>{width}}", "bold"), "  ", row.what)
                    for row in section.rows
                ]
                yield Static(Content("\n").join(lines), classes="help-rows")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#help")
        box.border_title = "Keys"
        box.border_subtitle = "Esc closes · a live key closes and acts · ctrl+p finds any action"

    def action_close(self) -> None:
        self.dismiss(None)
