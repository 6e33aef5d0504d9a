"""A live session: the store, the engine and the journal put together (no Textual).

``LiveSession.start`` opens a journal and records the ``start`` event through the engine;
every later event goes ``record -> engine -> journal (fsynced) -> state``, so what the
screen shows is on disk. ``LiveSession.resume`` folds an interrupted journal back into a
state and carries on appending to it. ``finish`` records ``end`` and files the session.

Member keys in a live session are member ids; ``names`` maps them to display names as
the roster was when the session began.

A write that fails during a session (disk full, the data folder unplugged or deleted)
does not lose the event and does not stop the screen: the event is kept in memory, the
state moves on, and every later ``record`` and ``tick`` first writes the events kept
back, in order, before anything newer (``JournalWriter.resync``). ``pending`` counts
them, ``write_problem`` says what is wrong, and ``take_write_notice()`` hands the caller
one line when a problem starts and one when it is over, so the leader is told once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from balint_tui.application.journal_sink import JournalSink
from balint_tui.application.set_aside import set_aside_unreplayable
from balint_tui.domain import events as ev
from balint_tui.domain.clock import Clock, ManualClock, SessionClock, SystemClock
from balint_tui.domain.engine import Engine, Rules
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.metrics import summary as session_summary
from balint_tui.domain.model import Group, Member, SessionPlan
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.store.errors import JournalSetAside, JournalUnavailable, StoreError
from balint_tui.store.fold import initial_state
from balint_tui.store.group_history import group_facts
from balint_tui.store.journal import JournalWriter
from balint_tui.store.records import SessionHeader
from balint_tui.store.store import Store

RulesFactory = Callable[[SessionState, HistoryFacts], Rules]

EVENT_TYPES = ev.EVENT_TYPES  # "type" -> event class


class LiveSession:
    """One session under way. Build it with ``start`` or ``resume``."""

    def __init__(
        self,
        store: Store,
        group: Group,
        header: SessionHeader,
        engine: Engine,
        writer: JournalWriter,
        events: list[ev.AnyEvent],
        facts: HistoryFacts,
        sink: JournalSink,
    ) -> None:
        self.store = store
        self.group = group
        self.header = header
        self.session_id = header.session_id
        self.engine = engine
        self.writer = writer
        self.events = events  # every event of the session, as journaled
        self.facts = facts  # what the group's history says (carried, follow-ups, ...)
        self.names: dict[str, str] = header.names
        self._sink = sink  # the engine's: it writes what the engine records
        self._closed = False

    # ------------------------------------------------------------------ building
    @classmethod
    def start(
        cls,
        store: Store,
        group: Group,
        plan: SessionPlan,
        present: Sequence[str],
        *,
        clock: Clock | None = None,
        rules: Rules | None = None,
        rules_factory: RulesFactory | None = None,
        session_id: str | None = None,
    ) -> LiveSession:
        """Open the journal and record ``start`` with ``present`` (member ids).

        The queue starts with the members bumped last session (carried). ``clock``
        reads seconds since the session started (default: real elapsed time).
        ``rules_factory(state, facts)`` builds rules that need the state; else ``rules``.
        """
        members = [m.id for m in group.active]
        facts = group_facts(store, group, members)
        writer = store.begin_session(group, plan, session_id=session_id, carried=facts.carried)
        header = SessionHeader.from_journal(writer.header)
        session = cls._build(store, group, header, writer, [], facts, clock, rules, rules_factory)
        try:
            session.record(ev.Start, present=tuple(present))
            if session.pending:  # nothing is on screen yet: say so rather than carry on
                raise session._sink.problem or JournalUnavailable(writer.path, "not written")
        except BaseException:
            # nothing happened yet: leave no journal to be offered for resume
            writer.close()
            try:
                store.delete_session(header.session_id)
            except StoreError:
                pass
            raise
        return session

    @classmethod
    def resume(
        cls,
        store: Store,
        session_id: str,
        *,
        clock: Clock | None = None,
        rules: Rules | None = None,
        rules_factory: RulesFactory | None = None,
        gap_as_break: bool = False,
    ) -> LiveSession:
        """Carry on an interrupted session from its journal.

        ``gap_as_break``: the time since its last event counts as a break (a ``pause``
        at that event's time), so nobody is credited with airtime or silence for it.

        The events are folded back (rules are not re-run); the clock continues from
        max(last event's time, wall time since the start), never earlier than the last
        event. A torn last line is cut off before appending again.

        A journal whose lines parse but do not replay (events out of order, a member
        the roster does not hold) is set aside and what replays of it filed as a
        finished session (``set_aside_unreplayable``): JournalSetAside says so.
        """
        contents = store.read_journal(session_id)
        header = SessionHeader.from_journal(contents.header)
        group = store.group(header.group_id) or Group(
            id=header.group_id,
            name="group",
            members=[Member(id=r.id, name=r.name) for r in header.roster],
        )
        facts = group_facts(store, group, header.members)
        if clock is None:
            wall = (datetime.now(UTC) - header.started_wall).total_seconds()
            clock = SessionClock(SystemClock(), offset=max(contents.last_at, wall, 0.0))
        writer = store.reopen_journal(session_id)
        events = list(contents.events)
        session = cls._build(
            store, group, header, writer, events, facts, clock, rules, rules_factory
        )
        for number, event in enumerate(events):
            try:
                session.engine.replay(event)
            except EventRejected as exc:
                writer.close()
                raise set_aside_unreplayable(store, header, events, number, exc) from None
        if gap_as_break:
            session.take_a_break(at=contents.last_at)
        return session

    @classmethod
    def _build(
        cls,
        store: Store,
        group: Group,
        header: SessionHeader,
        writer: JournalWriter,
        events: list[ev.AnyEvent],
        facts: HistoryFacts,
        clock: Clock | None,
        rules: Rules | None,
        rules_factory: RulesFactory | None,
    ) -> LiveSession:
        state = initial_state(header)
        if rules_factory is not None:
            rules = rules_factory(state, facts)
        sink = JournalSink(writer, events)
        engine = Engine(
            state,
            clock if clock is not None else SessionClock(SystemClock()),
            sink=sink,
            rules=rules,
        )
        return cls(store, group, header, engine, writer, events, facts, sink)

    def attach_rules(self, rules_factory: RulesFactory) -> None:
        """Give a session started without prompt rules its rules now. They catch up,
        silently, with the events recorded so far (as on resume: an episode already
        past surfaces nothing), then see every later event and tick. The app starts
        its session before the card library is loaded, so that loading it is not on
        the path to the first frame."""
        scratch = initial_state(self.header)
        self.engine.attach_rules(rules_factory(scratch, self.facts))

    # ------------------------------------------------------------------ running
    @property
    def state(self) -> SessionState:
        return self.engine.state

    def record(self, event_type: type | str, **fields: Any) -> ev.AnyEvent:
        """Record an event now (journaled before the state changes). Raises
        EventRejected (the event does not apply).

        If the journal cannot be written the event is kept in memory and the state
        still changes: see ``pending``, ``write_problem`` and ``take_write_notice``.
        """
        if self._closed:
            raise StoreError(f"session {self.session_id} is closed; nothing was recorded")
        if isinstance(event_type, str):
            event_type = EVENT_TYPES[event_type]
        return self.engine.record(event_type, **fields)

    def record_group(
        self, items: Sequence[tuple[type | str, dict[str, Any]]]
    ) -> list[ev.AnyEvent]:
        """Record what one key records, all at one time (see ``Engine.record_group``);
        one ``z`` withdraws them together."""
        if self._closed:
            raise StoreError(f"session {self.session_id} is closed; nothing was recorded")
        return self.engine.record_group(
            [(EVENT_TYPES[t] if isinstance(t, str) else t, f) for t, f in items]
        )

    def take_a_break(self, at: float | None = None) -> bool:
        """Record a ``pause`` (now, or at ``at``: no earlier than the last event) unless
        the session is not running or a break is under way. True when one was recorded.
        "Keep to resume" takes one, so the time away is nobody's airtime or silence."""
        state = self.state
        if not state.started or state.ended or state.paused_since is not None:
            return False
        if at is None:
            self.record(ev.Pause)
        else:
            self.engine.process(ev.Pause(at=max(at, state.now)))
        return True

    def tick(self) -> list[ev.PromptAction]:
        """Retry any events kept in memory, then move the clock and the time rules."""
        if self._sink.pending:
            self._sink.retry()
        return self.engine.tick()

    # ------------------------------------------------------------------ write problems
    @property
    def pending(self) -> int:
        """Events of this session kept in memory, not on disk yet (0 normally)."""
        return self._sink.pending

    @property
    def write_problem(self) -> str | None:
        """One line saying why events are kept in memory, or None when all is on disk."""
        problem = self._sink.problem
        return None if problem is None or not self._sink.pending else str(problem)

    def take_write_notice(self) -> str | None:
        """The next line to tell the leader about writing, once: when a write problem
        starts, and when it is over. None when there is nothing new to say."""
        if self._sink.notices:
            return self._sink.notices.pop(0)
        return self.store.take_notice()  # the data folder was taken over

    def retry_writes(self) -> bool:
        """Write the events kept in memory now; True when everything is on disk."""
        return self._sink.retry()

    def summary(self) -> dict[str, Any]:
        return session_summary(self.state, self.names)

    def finish(self) -> str:
        """Record ``end`` (if not yet), file the session, close the journal. Returns its id.

        Raises JournalUnavailable (nothing lost: call again later) while events kept in
        memory cannot be written, and StoreError if the session cannot be filed.
        """
        if not self.state.ended:
            self.record(ev.End)
        if not self._sink.retry():
            assert self._sink.problem is not None
            raise self._sink.problem
        self.store.finish_session(self.session_id, self.events, self.summary())
        self.writer.close()
        self._closed = True
        return self.session_id

    def close(self) -> int:
        """Stop writing without finishing: the journal stays, offered for resume.

        Events kept in memory are tried once more; returns how many could not be
        written (lost when the app quits; 0 normally: check ``pending`` first).
        """
        if self._sink.pending:
            self._sink.retry()
        self.writer.close()
        self._closed = True
        return self._sink.pending


def finish_interrupted(store: Store, session_id: str) -> str:
    """End an interrupted session where it stopped (at its last event) and file it.

    For "end it, don't resume": the session clock does not run on over the time the
    app was away, so the summary holds no airtime or silence that nobody saw.
    """
    last_at = store.read_journal(session_id).last_at
    return LiveSession.resume(store, session_id, clock=ManualClock(last_at)).finish()


def finish_ended_sessions(store: Store) -> list[str]:
    """File sessions whose journal has ``end`` but which were never filed (a crash
    between recording ``end`` and filing). Call at start-up; returns their ids."""
    done = []
    for info in store.live_journals():
        if info.ended:
            try:
                finish_interrupted(store, info.session_id)
            except JournalSetAside as exc:  # told once; it is no longer a journal
                store.warnings.append(str(exc))
                continue
            done.append(info.session_id)
    return done


__all__ = [
    "EVENT_TYPES",
    "LiveSession",
    "RulesFactory",
    "finish_ended_sessions",
    "finish_interrupted",
]
