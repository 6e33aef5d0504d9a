"""The roster on the setup screen: members in order, ticked when present."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from balint_tui.ui.widgets.ticks import TickList


class RosterList(TickList):
    """A tick list (an unticked box is blank) whose extra keys ask the screen to rename,
    retire or move the highlighted member (the screen does the work)."""

    BINDINGS = [
        Binding("r", "request('rename')", "Rename", id="setup.rename",
                tooltip="Rename the highlighted member"),
        Binding("d,delete", "request('retire')", "Retire", id="setup.retire",
                tooltip="Retire the highlighted member (kept in past sessions)"),
        Binding("shift+up,K", "request('up')", "Move up", id="setup.move_up",
                tooltip="Move the highlighted member up the roster"),
        Binding("shift+down,J", "request('down')", "Move down", id="setup.move_down",
                tooltip="Move the highlighted member down the roster"),
    ]

    # keys of the list and the screen that a letter typed here means (not a name)
    OWN_KEYS = frozenset("rdKJb? ")

    class Typed(Message):
        """A character typed on the roster that no key of it takes: the start of a
        name, for the screen to put in the name field (never silently lost)."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character not in self.OWN_KEYS:
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(event.character))

    class Request(Message):
        def __init__(self, what: str, member_id: str) -> None:
            super().__init__()
            self.what = what
            self.member_id = member_id

    def action_request(self, what: str) -> None:
        index = self.highlighted
        if index is None:
            return
        self.post_message(self.Request(what, self.get_option_at_index(index).value))


class AddField(Input):
    """The field under the roster that adds a member: ↑ goes back up to the list (the
    field before it), the key a person tries first; Tab goes on to the plan."""

    BINDINGS = [
        Binding("up", "app.focus_previous", "The list", id="setup.to_roster", show=False,
                tooltip="Back to the roster (space ticks who is away)"),
    ]
