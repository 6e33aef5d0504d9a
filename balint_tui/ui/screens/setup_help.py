"""The setup screen's help (``?`` or F1): how its fields work, ticking who is present, the
roster's keys, as the keymap maps them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static

ROWS: tuple[tuple[str, str], ...] = (
    # each row one line in the box at 80x24
    ("Tab, shift+Tab", "next / previous field (lit); ↑ in add: the roster"),
    ("F1, ?", "this help (in a text field ? types itself: F1)"),
    ("a letter", "typed on the roster, starts a name in add"),
    ("Enter", "create or rename the group; add a member"),
    ("space", "on the roster: present today, or away"),
    ("↑ ↓", "on the roster: move between members"),
    ("{rename}", "rename the highlighted member"),
    ("{retire}", "retire the highlighted member (history kept)"),
    ("{up} {down}", "move the highlighted member up / down"),
    ("b", "bring back a retired member, history and all"),
    ("template", "sets the length (residency: 90 min)"),
    ("length", "minutes (75) or the end (ends 13:00)"),
    ("cards", "standard: all cards; few: time, cases, arrivals"),
    ("role", "you lead or co-lead this group (for the logbook)"),
    ("meets", "in person or online (for the logbook)"),
    ("ctrl+t", "edit the session templates"),
    ("ctrl+s", "start, with the members ticked present"),
    ("ctrl+p", "every action by name"),
)


class SetupHelp(ModalScreen[None]):
    """Escape, ?, q or F1 closes it."""

    DEFAULT_CSS = """
    SetupHelp { align: center middle; }
    SetupHelp #setup-help {
        width: 90%; max-width: 96; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,question_mark,q,f1", "close", "Close", id="setup_help.close",
                tooltip="Back to the setup screen"),
    ]

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keys = {"rename": "r", "retire": "d", "up": "shift+↑", "down": "shift+↓",
                     **(keys or {})}

    @classmethod
    def for_roster(cls, roster: Widget) -> SetupHelp:
        """The help, with the roster's keys as the keymap maps them."""
        from balint_tui.ui.mapped_keys import mapped_keys
        from balint_tui.ui.widgets.chooser import key_label

        bindings = [b for b in roster.BINDINGS if isinstance(b, Binding)]
        try:
            mapped = mapped_keys(roster, bindings)
        except Exception:  # not mounted: the defaults
            return cls()
        keys = {}
        for word, binding_id in (("rename", "setup.rename"), ("retire", "setup.retire"),
                                 ("up", "setup.move_up"), ("down", "setup.move_down")):
            key = mapped.first(binding_id)
            if key:
                keys[word] = key_label(key)
        return cls(keys)

    def compose(self) -> ComposeResult:
        rows = [(k.format(**self.keys), what) for k, what in ROWS]
        width = max(len(k) for k, _ in rows)
        lines = [Content.assemble((f"{k:>{width}}", "bold"), "  ", what) for k, what in rows]
        with VerticalScroll(id="setup-help"):
            yield Static(Content("\n").join(lines))
        yield Footer()

    def on_mount(self) -> None:
        self.app.clear_notifications()
        box = self.query_one("#setup-help")
        box.border_title = "Setup"
        box.border_subtitle = "Esc closes"

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["SetupHelp"]
