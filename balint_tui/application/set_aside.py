"""A journal that parses but does not replay: set aside, and what replays of it filed.

``LiveSession.resume`` meets it (events out of order, a member the roster does not
hold); the journal is moved aside (nothing deleted) and the events before the bad one
are filed as a finished session, ended where they stopped.
"""

from __future__ import annotations

from collections.abc import Sequence

from balint_tui.domain import events as ev
from balint_tui.domain.metrics import summary as session_summary
from balint_tui.domain.state import EventRejected
from balint_tui.store.errors import JournalSetAside, StoreError, one_line
from balint_tui.store.fold import initial_state
from balint_tui.store.records import SessionHeader
from balint_tui.store.store import Store


def set_aside_unreplayable(
    store: Store,
    header: SessionHeader,
    events: Sequence[ev.AnyEvent],
    bad: int,
    why: EventRejected,
) -> JournalSetAside:
    """``events[bad]`` does not replay: set the journal aside and file ``events[:bad]``
    (ended where it stopped) as a finished session. Returns the one line to tell."""
    state = initial_state(header)
    kept: list[ev.AnyEvent] = []
    for event in events[:bad]:
        state.apply(event)
        kept.append(event)
    if not state.started:  # a session that never started is not one to keep
        kept = []
    if kept and not state.ended:
        end = ev.End(at=kept[-1].at)
        try:
            state.apply(end)
        except EventRejected:  # pragma: no cover - an end always applies once started
            pass
        else:
            kept.append(end)
    path = store.journal_path(header.session_id)
    line = bad + 2  # line 1 is the header
    try:
        target = store.set_aside_journal(
            header.session_id, kept, session_summary(state, header.names) if kept else {}
        )
    except StoreError as exc:
        return JournalSetAside(
            f"the session journal {path} does not replay from line {line} ({why}), and it "
            f"could not be set aside ({exc})"
        )
    saved = (
        f"its first {bad} event(s) were saved as a finished session"
        if kept else "nothing before it could be saved"
    )
    return JournalSetAside(one_line(
        f"the session journal {path} does not replay from line {line} ({why}); it was set "
        f"aside as {target.name} (nothing deleted) and {saved}"
    ))


__all__ = ["set_aside_unreplayable"]
