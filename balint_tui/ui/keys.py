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


# The live screen's other keys, in the order the help screen and the footer show them:
# (id after "live.", keys, action, description, shown in the footer, tooltip).
_LIVE_KEYS: tuple[tuple[str, str, str, str, bool, str], ...] = (
    ("leader", "l", "speak('leader')", "leader", False, "The leader takes the floor"),
    ("coleader", "c", "speak('coleader')", "coleader", False, "The coleader takes the floor"),
    ("silence", "space", "silence", "silence", True,
     "Nobody holds the floor: the silence timer starts"),
    ("break", "b", "pause", "break", False,
     "A break: no airtime, no silence, until a turn or this key again"),
    ("next_phase", "n", "next_phase", "phase", True,
     "Move the current case to the template's next phase"),
    ("next_case", "s", "next_case", "case", True,
     "Start the next queued case (of a member in the room)"),
    ("queue", "u", "pick('queue')", "queue", True,
     "Queue a case: then the member's key (! for urgent)"),
    ("queue_urgent", "U", "pick('urgent')", "urgent case", False,
     "Queue an urgent case: then the member's key"),
    ("unqueue", "r", "pick('unqueue')", "unqueue", False,
     "Take a case off the queue: then the member's key"),
    ("ask", "p", "pick('ask')", "ask", True,
     "A question put to the presenter: then the asker's key (l, c)"),
    ("mark", "m", "pick('mark')", "mark", True, "Mark what is happening: then a letter (shown)"),
    ("card_dismiss", "x", "card('dismissed')", "dismiss card", False,
     "Dismiss the top prompt card"),
    ("card_acted", "a", "card('acted')", "acted on", False,
     "Mark the top prompt card as acted on"),
    ("card_explain", "e,enter", "explain", "explain card", False,
     "Open the top prompt card's explanation and example phrasings"),
    ("extend", "right_square_bracket", "extend(5)", "+5 min", False,
     "Move the planned end 5 minutes later"),
    ("shorten", "left_square_bracket", "extend(-5)", "-5 min", False,
     "Move the planned end 5 minutes earlier"),
    ("arrive", "i", "pick('arrive')", "arrives", False,
     "A member arrives late: then the member's key"),
    ("leave", "o", "pick('leave')", "leaves", False,
     "A member leaves early: then the member's key"),
    ("undo", "z,ctrl+z", "undo", "undo", False,
     "Undo what the last key recorded (repeat to walk back)"),
    ("redo", "Z,ctrl+y", "redo", "redo", False,
     "Redo what z undid (until something new is recorded)"),
    ("topic", "t", "topic", "topic", False,
     "Start a topic instead of a case (templates that allow topics)"),
    ("page_next", "greater_than_sign", "page", "members 13-20", False,
     "Members 13 to 20: shows them with their keys, for one key"),
    ("help", "question_mark", "help", "help", True, "All keys and mark letters"),
    ("quit", "q", "app.quit", "quit", True,
     "Quit: end and save the session, or keep it to resume later"),
)

LIVE_BINDINGS: list[Binding] = [
    *_floor_bindings(),
    *(Binding(keys, action, description, show=show, tooltip=tooltip, id=f"live.{name}")
      for name, keys, action, description, show, tooltip in _LIVE_KEYS),
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
