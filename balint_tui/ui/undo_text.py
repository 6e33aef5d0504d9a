"""One-line descriptions of what a key recorded, for "Undone: ..." and "Redone: ..."
(no Textual: the texts are plain strings the live screen shows with ``markup=False``).

``describe(events, name)`` takes the events one key recorded (oldest first, as
``Engine.undoable()`` / ``redoable()`` give them) and a function from a speaker key to
a display name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import assert_never

from balint_tui.domain import events as ev
from balint_tui.domain.vocabulary import MARK_LABELS


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def describe_one(event: ev.AnyEvent, name: Callable[[str], str]) -> str:
    match event:
        case ev.Speak():
            who = _possessive(name(event.who))
            return f"{who} question to the presenter" if event.to_presenter else f"{who} turn"
        case ev.Silence():
            return "the silence"
        case ev.Case():
            return f"{_possessive(name(event.who))} case"
        case ev.Topic():
            return "the topic"
        case ev.PhaseChange():
            return f"the {event.phase} phase"
        case ev.Mark():
            return f"mark {MARK_LABELS.get(event.kind, event.kind)}"
        case ev.Extend():
            sign = "later" if event.minutes > 0 else "earlier"
            return f"planned end {abs(event.minutes)} minutes {sign}"
        case ev.Pause():
            return "the break"
        case ev.Arrive():
            return f"{_possessive(name(event.who))} arrival"
        case ev.Leave():
            return f"{_possessive(name(event.who))} leaving"
        case ev.Queue():
            urgent = "urgent " if event.urgent else ""
            return f"{_possessive(name(event.who))} {urgent}case queued"
        case ev.Unqueue():
            return f"{_possessive(name(event.who))} case off the queue"
        case ev.Start() | ev.End() | ev.Undo() | ev.Redo() | ev.PromptAction():
            return event.type  # never undone (``undoable`` is False): its own word
        case _:
            assert_never(event)  # a new event type: say here what undoing it reads


def describe(events: Sequence[ev.AnyEvent], name: Callable[[str], str],
             back: Callable[[str], bool] | None = None) -> str:
    """What one key recorded, in a few words: its first event, and what came with it.
    ``back(who)``: the member had been in the room before (an arrival is a return)."""
    if not events:
        return "nothing"
    head = events[0]
    text = describe_one(head, name)
    if len(events) == 1:
        return text
    match head:
        case ev.Case():
            return f"{text} (with its phase and turn)" if len(events) == 3 \
                else f"{text} (with its phase)"
        case ev.Topic():
            return f"{text} (with its phase)"
        case ev.Arrive():
            word = "return" if back is not None and back(head.who) else "arrival"
            return f"{_possessive(name(head.who))} {word} and turn"
    return text + " and " + ", ".join(describe_one(e, name) for e in events[1:])


__all__ = ["describe", "describe_one"]
