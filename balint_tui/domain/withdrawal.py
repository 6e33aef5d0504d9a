"""Which events of a session are withdrawn by ``undo`` (CONTRACT.md section 1).

A session's journal is append-only: a correction is an event too. ``undo`` withdraws
the most recent event that is not already withdrawn, other than ``start``, ``end``,
``undo`` itself and the engine's ``prompt`` actions (a card that surfaced stays
surfaced); ``redo`` (engine-only, not a scenario event) gives back what the most recent
``undo`` withdrew, as long as nothing new was recorded since. Every state, summary,
review and export is the fold of the *effective* events: the raw list without the
withdrawn ones. This module is the one place that decides which those are:

* ``Withdrawals`` follows a raw list event by event (O(1) each): the live engine, a
  resume, a replay;
* ``effective(events)`` turns a whole raw list into the effective one: the store, the
  review, a follower reading a journal.

``undo`` and ``redo`` stay in the effective list as clock-only events (the session's
time moves to them; nothing else changes), so the state after an undo at 100 is the
state at 100 had the withdrawn event never been recorded.

``unqueue`` (taking a case off the queue, a key of its own) is withdrawn like the
CONTRACT's events; it never occurs in scenario files.

One key, several events. Some keys record more than one event, all at one time:
``s`` a case, its first phase and the presenter's turn; ``t`` a topic and its
``discussion`` phase; a floor key for a member who is not in the room their
``arrive`` and their turn. ``key_group(...)`` recognises these groups (same time,
that shape), so the screen's ``z`` writes as many ``undo`` events as the last key
recorded, and ``Z`` as many ``redo``: each ``undo`` still withdraws exactly one event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from balint_tui.domain import events as ev
from balint_tui.domain.state import EventRejected

UNDOABLE = ev.UNDOABLE_TYPES  # the event classes' ``undoable`` flag
# the events that change which earlier events count
CORRECTIONS = (ev.Undo, ev.Redo)


class NothingToUndo(EventRejected):
    """An ``undo`` with nothing left to withdraw, or a ``redo`` with nothing to give back."""


class Withdrawals:
    """Follows a raw event list: what is withdrawn, what ``undo``/``redo`` would touch.

    Indices are positions in the raw list as fed to ``push``.
    """

    __slots__ = ("count", "redo", "stack", "withdrawn")

    def __init__(self) -> None:
        self.stack: list[int] = []  # effective undoable events, oldest first
        self.redo: list[int] = []  # withdrawn by the latest undos, restorable, last on top
        self.withdrawn: set[int] = set()
        self.count = 0  # events pushed

    def check(self, event: ev.AnyEvent) -> None:
        """Raise NothingToUndo if ``event`` is an undo or redo that cannot apply."""
        if isinstance(event, ev.Undo) and not self.stack:
            raise NothingToUndo("there is nothing to undo")
        if isinstance(event, ev.Redo) and not self.redo:
            raise NothingToUndo("there is nothing to redo")

    def push(self, event: ev.AnyEvent) -> int | None:
        """Take the next raw event. Returns the index an undo withdrew or a redo gave
        back, else None. Raises NothingToUndo (and takes nothing)."""
        self.check(event)
        return self.take(event)

    def take(self, event: ev.AnyEvent) -> int | None:
        """``push`` for an event already checked (``check``)."""
        index = self.count
        self.count += 1
        if isinstance(event, ev.Undo):
            target = self.stack.pop()
            self.withdrawn.add(target)
            self.redo.append(target)
            return target
        if isinstance(event, ev.Redo):
            target = self.redo.pop()
            self.withdrawn.discard(target)
            self.stack.append(target)
            return target
        if event.undoable:
            self.stack.append(index)
            self.redo.clear()
        return None

    def is_withdrawn(self, index: int) -> bool:
        return index in self.withdrawn


def effective(events: Iterable[ev.AnyEvent]) -> list[ev.AnyEvent]:
    """The events that count: ``events`` without those withdrawn by ``undo``.

    Raises NothingToUndo for an undo with nothing to withdraw (a damaged stream)."""
    raw = list(events)
    w = Withdrawals()
    for event in raw:
        w.push(event)
    if not w.withdrawn:
        return raw
    return [e for i, e in enumerate(raw) if i not in w.withdrawn]


def _same_key(events: Sequence[ev.AnyEvent]) -> bool:
    """Whether ``events`` (in order) are what one compound key records."""
    if len(events) < 2 or any(e.at != events[0].at for e in events):
        return False
    match tuple(events):
        case (ev.Case(who=who), ev.PhaseChange(), ev.Speak(who=speaker, to_presenter=asks)):
            return speaker == who and not asks
        case (ev.Case() | ev.Topic(), ev.PhaseChange()):
            return True
        case (ev.Arrive(who=who), ev.Speak(who=speaker)):
            return speaker == who
    return False


def key_group(events: Sequence[ev.AnyEvent]) -> int:
    """How many of the last ``events`` (in order) one key recorded: 1, or the size of
    a compound key's group ending the list (``events``: the last few effective
    undoable events, oldest first). 0 for an empty list."""
    if not events:
        return 0
    for size in (3, 2):
        if len(events) >= size and _same_key(events[-size:]):
            return size
    return 1


def key_group_ahead(events: Sequence[ev.AnyEvent]) -> int:
    """``key_group`` for what ``redo`` gives back: ``events`` in the order they would
    come back (the next one first); how many of the first ones one key recorded."""
    if not events:
        return 0
    for size in (3, 2):
        if len(events) >= size and _same_key(events[:size]):
            return size
    return 1


__all__ = [
    "CORRECTIONS",
    "UNDOABLE",
    "NothingToUndo",
    "Withdrawals",
    "effective",
    "key_group",
    "key_group_ahead",
]
