"""A filed or live session's state, folded from its header and its journal's events.

One fold for every reader: the store (index rows), the live session (resume), the
follower and the review all start from ``initial_state(header)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from balint_tui.domain import events as ev
from balint_tui.domain.state import QueueEntry, SessionState
from balint_tui.domain.withdrawal import effective
from balint_tui.store.records import SessionHeader


def initial_state(header: SessionHeader) -> SessionState:
    """The state before the first event: the roster, the plan, the carried cases."""
    members = header.members
    queue = [QueueEntry(who, carried=True) for who in header.carried if who in members]
    return SessionState(header.plan, members, queue=queue)


def fold(header: SessionHeader, events: Iterable[ev.AnyEvent]) -> SessionState:
    """The session's state after ``events`` (raises EventRejected on inconsistent data)."""
    state = initial_state(header)
    for event in effective(events):  # what ``undo`` withdrew never happened
        state.apply(event)
    return state
