"""One-line descriptions of what a key recorded, for "Undone: ..." and "Redone: ..."
(no Textual: the texts are plain strings the live screen shows with ``markup=False``).

``describe(events, name)`` takes the events one key recorded (oldest first, as
``Engine.undoable()`` / ``redoable()`` give them) and a function from a speaker key to
a display name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from balint_tui.domain import events as ev
from balint_tui.domain.vocabulary import MARK_LABELS


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def describe_one(event: ev.AnyEvent, name: Callable[[str], str]) -> str:
    kind = event.type
    if kind == "speak":
        who = _possessive(name(event.who))
        return f"{who} question to the presenter" if event.to_presenter else f"{who} turn"
    if kind == "silence":
        return "the silence"
    if kind == "case":
        return f"{_possessive(name(event.who))} case"
    if kind == "topic":
        return "the topic"
    if kind == "phase":
        return f"the {event.phase} phase"
    if kind == "mark":
        return f"mark {MARK_LABELS.get(event.kind, event.kind)}"
    if kind == "extend":
        sign = "later" if event.minutes > 0 else "earlier"
        return f"planned end {abs(event.minutes)} minutes {sign}"
    if kind == "arrive":
        return f"{_possessive(name(event.who))} arrival"
    if kind == "leave":
        return f"{_possessive(name(event.who))} leaving"
    if kind == "queue":
        urgent = "urgent " if event.urgent else ""
        return f"{_possessive(name(event.who))} {urgent}case queued"
    if kind == "unqueue":
        return f"{_possessive(name(event.who))} case off the queue"
    return kind


def describe(events: Sequence[ev.AnyEvent], name: Callable[[str], str]) -> str:
    """What one key recorded, in a few words: its first event, and what came with it."""
    if not events:
        return "nothing"
    head = events[0]
    text = describe_one(head, name)
    if len(events) == 1:
        return text
    if head.type == "case":
        return f"{text} (with its phase and turn)" if len(events) == 3 \
            else f"{text} (with its phase)"
    if head.type == "topic":
        return f"{text} (with its phase)"
    if head.type == "arrive":
        return f"{_possessive(name(head.who))} return and turn"
    return text + " and " + ", ".join(describe_one(e, name) for e in events[1:])


__all__ = ["describe", "describe_one"]
