"""Session state: a fold of events, O(1) work per event.

``SessionState.apply(event)`` checks one event against the state and folds it in; what
the screen and the rules read (the queries, the records of cases and tallies) is its
read side, ``balint_tui.domain.session_view.SessionView``. The fold dispatches on the
event's class (``match``), so an event type without a handler is a mypy error.

A ``FoldListener`` given to the state is told what the fold does as it does it (a turn
ended, a silence began, a case started...): the review listens instead of comparing
the state before and after every event.

Speakers are keys: a member key (an id in the live app, a display name in scenario
replays) or one of the reserved ``leader`` / ``coleader``.
"""

from __future__ import annotations

from typing import Protocol, assert_never

from balint_tui.domain import events as ev
from balint_tui.domain.model import SessionPlan
from balint_tui.domain.session_view import (
    TOPIC_PHASES,
    CaseState,
    QueueEntry,
    SessionView,
    Tally,
    VisibleCard,
)
from balint_tui.domain.vocabulary import LEADERS


class EventRejected(ValueError):
    """An event that cannot apply to the current state (names the problem)."""


# the events that may come before ``start`` (a queue made ahead, the cards of the
# session's opening) and after ``end`` (the cards closing)
_BEFORE_START = (ev.Start, ev.Queue, ev.Unqueue, ev.PromptAction)
_AFTER_END = (ev.PromptAction,)


class FoldListener(Protocol):
    """What the fold tells a listener, as it happens (times in session seconds)."""

    def turn_started(self, who: str, at: float) -> None:
        """``who`` took the floor (called once the new turn is under way)."""

    def turn_ended(self, who: str, since: float, until: float, to_presenter: bool) -> None:
        """The turn ``who`` held since ``since`` ended at ``until``."""

    def silence_started(self, at: float) -> None:
        """Nobody holds the floor from ``at`` (a silence that was not already running)."""

    def case_started(self, case: CaseState) -> None:
        """A case or a topic began (it is the state's current case)."""

    def end_moved(self, minutes: int, before: float, after: float) -> None:
        """An ``extend`` of ``minutes`` moved the planned end (``after`` may equal
        ``before``: a press that changed nothing)."""

    def marked(self, kind: str, at: float, who: str | None) -> None:
        """A mark was tapped (``who``: the member it is about, if any)."""

    def card_action(self, card: str, action: str, at: float, who: str | None) -> None:
        """A prompt card surfaced, or left the screen (``action`` says how)."""


class SessionState(SessionView):
    """The session's state, folded from events (see the module docstring)."""

    def __init__(
        self,
        plan: SessionPlan,
        members: list[str],
        queue: list[QueueEntry] | None = None,
        *,
        listener: FoldListener | None = None,
    ) -> None:
        super().__init__(plan, members, queue)
        self.listener = listener

    def advance(self, now: float) -> None:
        """Move the state's clock forward (a tick); never backwards."""
        if not self.ended and now > self.now:
            self.now = now

    # ---------------------------------------------------------------- checking
    def check(self, event: ev.AnyEvent) -> None:
        """Raise EventRejected if ``event`` cannot apply now; changes nothing."""
        if event.at < self.now - 1e-9:
            raise EventRejected(
                f"at {event.at:g} is earlier than the previous event ({self.now:g})"
            )
        if self.ended and not isinstance(event, _AFTER_END):
            raise EventRejected("the session has already ended")
        if not self.started and not isinstance(event, _BEFORE_START):
            raise EventRejected("the session has not started yet (no start event)")
        match event:
            case ev.Speak():
                self._check_speak(event)
            case ev.Arrive(who=who) | ev.Leave(who=who) | ev.Queue(who=who) | ev.Case(who=who):
                self._check_member(who)
            case ev.Mark(who=who):
                if who is not None:
                    self._check_member(who)
            case ev.PhaseChange():
                self._check_phase(event)
            case ev.Start():
                self._check_start(event)
            case ev.Topic():
                self._check_topic()
            case ev.Pause():
                if self.paused_since is not None:
                    raise EventRejected("the session is already on a break")
            case (ev.Silence() | ev.Extend() | ev.End() | ev.Undo() | ev.Redo()
                  | ev.PromptAction() | ev.Unqueue()):
                pass  # nothing of theirs depends on the state
            case _:
                assert_never(event)

    def _check_start(self, event: ev.Start) -> None:
        if self.started:
            raise EventRejected("the session has already started")
        for who in event.present or ():
            self._check_member(who)

    def _check_speak(self, event: ev.Speak) -> None:
        if event.who not in LEADERS:
            self._check_member(event.who)
        if event.to_presenter and self.case is not None and self.case.is_topic:
            raise EventRejected("a topic has no presenter to put a question to")

    def _check_phase(self, event: ev.PhaseChange) -> None:
        case = self.case
        if case is not None and case.is_topic and event.phase not in TOPIC_PHASES:
            raise EventRejected(
                f"a topic has the phases {' and '.join(TOPIC_PHASES)}, not {event.phase}"
            )

    def _check_topic(self) -> None:
        if not self.plan.template.topic_sessions:
            raise EventRejected(
                f"the template '{self.plan.template.name}' does not take topic sessions"
            )

    def _check_member(self, who: str) -> None:
        if who not in self._member_set:
            raise EventRejected(f"'{who}' is not a member of the group")

    # ---------------------------------------------------------------- folding
    def apply(self, event: ev.AnyEvent) -> None:
        """Check ``event`` and fold it in; raises EventRejected (changing nothing)."""
        self.check(event)
        self.fold(event)

    def fold(self, event: ev.AnyEvent) -> None:
        """Fold in an event ``check`` accepted (the engine checks it once, before it
        is persisted)."""
        self.now = max(self.now, event.at)
        match event:  # the most frequent first
            case ev.Speak():
                self._on_speak(event)
            case ev.Silence():
                self._on_silence(event.at)
            case ev.PromptAction():
                self._on_prompt(event)
            case ev.Mark():
                self._on_mark(event)
            case ev.PhaseChange():
                self._on_phase(event)
            case ev.Case():
                self._on_case(event)
            case ev.Topic():
                self._close_case(event.at)
                self._open_case(None, event.at)
            case ev.Arrive():
                self._on_arrive(event)
            case ev.Leave():
                self._on_leave(event)
            case ev.Queue():
                self._on_queue(event)
            case ev.Unqueue():
                self.queue = [q for q in self.queue if q.who != event.who]
            case ev.Extend():
                self._on_extend(event)
            case ev.Pause():
                self._on_pause(event.at)
            case ev.Start():
                self._on_start(event)
            case ev.End():
                self._on_end(event.at)
            case ev.Undo() | ev.Redo():
                pass  # clock only: what they withdraw is left out of the fold (withdrawal)
            case _:
                assert_never(event)
        self.event_count += 1

    def _credit(self, at: float) -> None:
        """Credit the open turn's airtime up to ``at`` to every bucket it belongs to."""
        if self.floor is None:
            self._segment_since = at
            return
        dt = at - self._segment_since
        self._segment_since = at
        if dt <= 0:
            return
        who = self.floor
        self.tallies[who].airtime += dt
        self.speaking_total += dt
        case = self.case
        if case is not None:
            case.tally(who).airtime += dt
            case.airtime += dt
            if case.phase is not None:
                bucket = case.phase_airtime.setdefault(case.phase, {})
                bucket[who] = bucket.get(who, 0.0) + dt

    def _end_turn(self, at: float) -> None:
        self._credit(at)
        if self.floor is not None:
            self.last_turn_end = at
            if self.listener is not None and self.floor_since is not None:
                self.listener.turn_ended(self.floor, self.floor_since, at,
                                         self.floor_to_presenter)
        self.floor = None
        self.floor_since = None
        self.floor_to_presenter = False

    def _end_silence(self, at: float) -> None:
        if self.silence_since is not None:
            length = at - self.silence_since
            self.silences.append((self.silence_since, length))
            self.longest_silence = max(self.longest_silence, length)
            self.silence_since = None

    def _on_pause(self, at: float) -> None:
        """A break: the turn and the silence under way end; nothing runs until the next
        ``speak``, ``silence``, ``case``, ``topic`` or ``end`` (``_end_pause``)."""
        self._end_turn(at)
        self._end_silence(at)
        self.paused_since = at

    def _end_pause(self, at: float) -> None:
        if self.paused_since is not None:
            self.pauses.append((self.paused_since, at - self.paused_since))
            self.paused_since = None

    def _mark_present(self, who: str, at: float) -> None:
        spans = self.away.get(who)
        if spans and spans[-1][1] is None:
            spans[-1][1] = at  # back in the room
        self.present.add(who)
        self.present_ever.add(who)
        self.arrived_at.setdefault(who, at)
        self.left_at.pop(who, None)

    def _on_start(self, e: ev.Start) -> None:
        present = list(e.present) if e.present is not None else list(self.members)
        self.started = True
        self.started_at = e.at
        for who in present:
            self._mark_present(who, e.at)
        self._segment_since = e.at

    def _on_arrive(self, e: ev.Arrive) -> None:
        if e.who not in self.present:
            # late: first here after the start (one who was here from the start, left
            # and came back is not a latecomer)
            if e.who not in self.present_ever:
                self.late.add(e.who)
            if e.who in self.late:
                case = self.case
                self.arrived_in_case[e.who] = case.number if case is not None else None
        self._mark_present(e.who, e.at)

    def _on_leave(self, e: ev.Leave) -> None:
        if self.floor == e.who:
            self._end_turn(e.at)
        if e.who in self.present:
            self.away.setdefault(e.who, []).append([e.at, None])
        self.present.discard(e.who)
        self.left_at[e.who] = e.at
        self.queue = [q for q in self.queue if q.who != e.who]

    def _on_queue(self, e: ev.Queue) -> None:
        for entry in self.queue:
            if entry.who == e.who:
                if e.urgent and not entry.urgent:
                    self.queue.remove(entry)
                    break
                return
        entry = QueueEntry(e.who, urgent=e.urgent, queued_at=e.at)
        if e.urgent:
            # urgent cases jump the queue, behind earlier urgent ones
            pos = sum(1 for q in self.queue if q.urgent)
            self.queue.insert(pos, entry)
        else:
            self.queue.append(entry)

    def _on_case(self, e: ev.Case) -> None:
        self._close_case(e.at)
        self.queue = [q for q in self.queue if q.who != e.who]
        if e.who not in self.present:
            self._mark_present(e.who, e.at)
        self._open_case(e.who, e.at)

    def _close_case(self, at: float) -> None:
        """What a new case or topic ends: the turn, the silence, the case before."""
        self._end_turn(at)
        self._end_silence(at)
        self._end_pause(at)
        if self.cases and self.cases[-1].ended_at is None:
            self.cases[-1].ended_at = at

    def _open_case(self, presenter: str | None, at: float) -> None:
        """A case (``presenter``) or a topic (None) begins."""
        case = CaseState(len(self.cases) + 1, presenter, at, phase_started_at=at)
        self.cases.append(case)
        self.questions_in_a_row = 0
        self.session_phase = None
        if self.listener is not None:
            self.listener.case_started(case)

    def _on_phase(self, e: ev.PhaseChange) -> None:
        self._credit(e.at)
        case = self.case
        if case is None:
            self.session_phase = e.phase
            return
        case.phase = e.phase
        case.phase_started_at = e.at
        case.phases.append((e.phase, e.at))
        self.questions_in_a_row = 0

    def _on_speak(self, e: ev.Speak) -> None:
        who = e.who
        if who not in LEADERS and who not in self.present:
            self._mark_present(who, e.at)
        self._end_turn(e.at)
        self._end_silence(e.at)
        self._end_pause(e.at)
        self.floor = who
        self.floor_since = e.at
        self.floor_to_presenter = e.to_presenter
        tally = self.tallies.get(who)
        if tally is None:
            tally = self.tallies[who] = Tally()
        tally.turns += 1
        if tally.first_spoke_at is None:
            tally.first_spoke_at = e.at
        case = self.case
        if case is not None:
            self._count_case_turn(case, e)
        if self.last_speaker is not None and self.last_speaker != who:
            key = (self.last_speaker, who)
            self.transitions[key] = self.transitions.get(key, 0) + 1
        self.last_speaker = who
        self.recent_speakers.append(who)
        self._recent_turn_starts.append(e.at)
        if self.listener is not None:
            self.listener.turn_started(who, e.at)

    def _count_case_turn(self, case: CaseState, e: ev.Speak) -> None:
        """A turn's place in its case: its tallies and the run of questions."""
        who = e.who
        ct = case.tally(who)
        ct.turns += 1
        if ct.first_spoke_at is None:
            ct.first_spoke_at = e.at
        if case.phase is not None:
            turns = case.phase_turns.setdefault(case.phase, {})
            turns[who] = turns.get(who, 0) + 1
        if e.to_presenter and who != case.presenter:
            self.questions_in_a_row += 1
            if case.phase == "discussion":
                case.questions_to_presenter += 1
        elif who != case.presenter:
            # the presenter answering does not break a run of questions
            self.questions_in_a_row = 0

    def _on_silence(self, at: float) -> None:
        self._end_turn(at)
        self._end_pause(at)
        if self.silence_since is None:
            self.silence_since = at
            if self.listener is not None:
                self.listener.silence_started(at)

    def _on_mark(self, e: ev.Mark) -> None:
        self.marks.append((e.kind, e.at))
        case = self.case
        if case is not None:
            case.marks.append((e.kind, e.at))
        if self.listener is not None:
            self.listener.marked(e.kind, e.at, e.who)

    def _on_extend(self, e: ev.Extend) -> None:
        before = self.planned_end
        self.planned_end = max(self.now, self.planned_end + e.minutes * 60.0)
        if self.listener is not None:
            self.listener.end_moved(e.minutes, before, self.planned_end)

    def _on_end(self, at: float) -> None:
        self._end_turn(at)
        self._end_silence(at)
        self._end_pause(at)
        if self.case is not None:
            self.case.ended_at = at
        self.ended = True
        self.ended_at = at

    def _on_prompt(self, e: ev.PromptAction) -> None:
        if e.action == "surfaced":
            self.visible_cards.append(VisibleCard(e.id, e.at, e.who, e.also))
        else:
            self.visible_cards = [c for c in self.visible_cards if c.id != e.id]
        if self.listener is not None:
            self.listener.card_action(e.id, e.action, e.at, e.who)


__all__ = [
    "TOPIC_PHASES",
    "CaseState",
    "EventRejected",
    "FoldListener",
    "QueueEntry",
    "SessionState",
    "Tally",
    "VisibleCard",
]
