"""Keys of the live screen: bindings with ids (remappable through a keymap) and tooltips.

The mark letters used after ``m`` live here too, so the help screen, the mark chooser
and the command palette read one table.
"""

from __future__ import annotations

from textual.binding import Binding

from balint_tui.domain.vocabulary import MARK_LABELS

# letter after "m" -> mark kind (CONTRACT.md vocabulary); mnemonic, shown in the chooser
MARK_KEYS: dict[str, str] = {
    "a": "advice",
    "m": "medical_detail",
    "o": "off_task",
    "k": "back_on_task",
    "t": "tension",
    "s": "singled_out",
    "p": "personal_probing",
    "l": "asks_leader",
    "d": "presenter_distress",
    "c": "too_safe",
    "b": "patient_blamed",
    "u": "stuck",
}
assert set(MARK_KEYS.values()) == set(MARK_LABELS)

# The number row gives each member of a group of up to 12 a key of their own, in roster
# order, with no mode: 1 ... 9, 0, -, = (Textual's key names). Members 13 to 20 (a large
# group) are reached through > (their page, for one key) or in a chooser.
MEMBER_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "minus", "equals_sign")
PAGE_SIZE = len(MEMBER_KEYS)
MAX_MEMBERS = 2 * PAGE_SIZE  # past 12, a second page


def _floor_bindings() -> list[Binding]:
    return [
        Binding(
            key,
            f"floor({index})",
            "floor" if index == 0 else f"floor to member {index + 1}",
            id=f"live.floor.{index + 1}",
            tooltip=f"Give the floor to member {index + 1} (roster order)",
            # the footer shows one entry for the twelve keys
            show=index == 0,
        )
        for index, key in enumerate(MEMBER_KEYS)
    ]


LIVE_BINDINGS: list[Binding] = [
    *_floor_bindings(),
    Binding("l", "speak('leader')", "leader", id="live.leader", show=False,
            tooltip="The leader takes the floor"),
    Binding("c", "speak('coleader')", "coleader", id="live.coleader", show=False,
            tooltip="The coleader takes the floor"),
    Binding("space", "silence", "silence", id="live.silence",
            tooltip="Nobody holds the floor: the silence timer starts"),
    Binding("n", "next_phase", "phase", id="live.next_phase",
            tooltip="Move the current case to the template's next phase"),
    Binding("s", "next_case", "case", id="live.next_case",
            tooltip="Start the next queued case (of a member in the room)"),
    Binding("u", "pick('queue')", "queue", id="live.queue",
            tooltip="Queue a case: then the member's key (! for urgent)"),
    Binding("U", "pick('urgent')", "urgent case", id="live.queue_urgent", show=False,
            tooltip="Queue an urgent case: then the member's key"),
    Binding("r", "pick('unqueue')", "unqueue", id="live.unqueue", show=False,
            tooltip="Take a case off the queue: then the member's key"),
    Binding("p", "pick('ask')", "ask", id="live.ask",
            tooltip="A question put to the presenter: then the asker's key (l, c)"),
    Binding("m", "pick('mark')", "mark", id="live.mark",
            tooltip="Mark what is happening: then a letter (shown)"),
    Binding("x", "card('dismissed')", "dismiss card", id="live.card_dismiss", show=False,
            tooltip="Dismiss the top prompt card"),
    Binding("a", "card('acted')", "acted on", id="live.card_acted", show=False,
            tooltip="Mark the top prompt card as acted on"),
    Binding("e,enter", "explain", "explain card", id="live.card_explain", show=False,
            tooltip="Open the top prompt card's explanation and example phrasings"),
    Binding("right_square_bracket", "extend(5)", "+5 min", id="live.extend", show=False,
            tooltip="Move the planned end 5 minutes later"),
    Binding("left_square_bracket", "extend(-5)", "-5 min", id="live.shorten", show=False,
            tooltip="Move the planned end 5 minutes earlier"),
    Binding("i", "pick('arrive')", "arrives", id="live.arrive", show=False,
            tooltip="A member arrives late: then the member's key"),
    Binding("o", "pick('leave')", "leaves", id="live.leave", show=False,
            tooltip="A member leaves early: then the member's key"),
    Binding("z,ctrl+z", "undo", "undo", id="live.undo", show=False,
            tooltip="Undo what the last key recorded (repeat to walk back)"),
    Binding("Z,ctrl+y", "redo", "redo", id="live.redo", show=False,
            tooltip="Redo what z undid (until something new is recorded)"),
    Binding("t", "topic", "topic", id="live.topic", show=False,
            tooltip="Start a topic instead of a case (templates that allow topics)"),
    Binding("greater_than_sign", "page", "members 13-20", id="live.page_next",
            show=False, tooltip="Members 13 to 20: shows them with their keys, for one key"),
    Binding("question_mark", "help", "help", id="live.help",
            tooltip="All keys and mark letters"),
    Binding("q", "app.quit", "quit", id="live.quit",
            tooltip="Quit: end and save the session, or keep it to resume later"),
]

# Keys the pick modes accept besides member digits.
PICK_TITLES: dict[str, str] = {
    "queue": "Queue a case for",
    "urgent": "Queue an URGENT case for",
    "unqueue": "Take off the queue",
    "ask": "Question to the presenter from",
    "arrive": "Arrives late",
    "leave": "Leaves early",
    "mark": "Mark",
}
