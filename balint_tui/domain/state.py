"""Session state: a fold of events, O(1) work per event.

``SessionState.apply(event)`` folds one event in; queries read the state at
``state.now`` (the latest event or tick), adding the open turn or silence on the fly, so
nothing ever re-scans the history.

Speakers are keys: a member key (an id in the live app, a display name in scenario
replays) or one of the reserved ``leader`` / ``coleader``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from balint_tui.domain import events as ev
from balint_tui.domain.model import SessionPlan
from balint_tui.domain.vocabulary import LEADERS


class EventRejected(ValueError):
    """An event that cannot apply to the current state (names the problem)."""


# the phases of a topic segment (CONTRACT.md section 1), in order
TOPIC_PHASES: tuple[str, ...] = ("discussion", "close")


@dataclass
class Tally:
    turns: int = 0
    airtime: float = 0.0  # closed segments only; add the open turn with SessionState
    first_spoke_at: float | None = None


@dataclass
class QueueEntry:
    who: str
    urgent: bool = False
    carried: bool = False  # carried over from a session where it was not reached
    queued_at: float = 0.0


@dataclass
class CaseState:
    number: int  # 1-based ordinal in the session
    presenter: str | None  # None: a topic segment (no presenter)
    started_at: float
    ended_at: float | None = None
    phase: str | None = None
    phase_started_at: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    # airtime and turns per phase name, per speaker (closed segments only)
    phase_airtime: dict[str, dict[str, float]] = field(default_factory=dict)
    phase_turns: dict[str, dict[str, int]] = field(default_factory=dict)
    questions_to_presenter: int = 0  # in the discussion phase
    airtime: float = 0.0  # every speaker's closed segments in this case
    marks: list[tuple[str, float]] = field(default_factory=list)

    def tally(self, who: str) -> Tally:
        t = self.tallies.get(who)
        if t is None:
            t = self.tallies[who] = Tally()
        return t

    @property
    def is_topic(self) -> bool:
        return self.presenter is None


@dataclass
class VisibleCard:
    id: str
    surfaced_at: float
    who: str | None = None


class SessionState:
    """Everything the screen and the rules read, folded from events."""

    def __init__(
        self,
        plan: SessionPlan,
        members: list[str],
        queue: list[QueueEntry] | None = None,
    ) -> None:
        self.plan = plan
        self.members: list[str] = list(members)  # roster order
        self._member_set = set(self.members)
        self.planned_end: float = plan.duration_s
        self.started = False
        self.ended = False
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.now: float = 0.0
        self.event_count = 0

        self.present: set[str] = set()
        self.present_ever: set[str] = set()
        self.arrived_at: dict[str, float] = {}
        self.left_at: dict[str, float] = {}
        self.late: set[str] = set()
        # every time a member was away after being in the room: [left, back] (back
        # None while still away), in order
        self.away: dict[str, list[list[float | None]]] = {}
        # a late arrival's case: the number of the case under way when the member last
        # arrived late (None: between cases); templates may ask them to listen in it
        self.arrived_in_case: dict[str, int | None] = {}

        self.queue: list[QueueEntry] = list(queue or [])
        self.cases: list[CaseState] = []
        self.session_phase: str | None = None  # a phase outside any case (topic sessions)

        self.floor: str | None = None
        self.floor_since: float | None = None
        self.floor_to_presenter = False
        self.last_turn_end: float | None = None  # when the last closed turn ended
        self.silence_since: float | None = None
        self._segment_since: float = 0.0  # last time open airtime was credited

        self.tallies: dict[str, Tally] = {}
        self.speaking_total: float = 0.0  # closed segments, every speaker
        self.transitions: dict[tuple[str, str], int] = {}
        self.last_speaker: str | None = None
        self.recent_speakers: deque[str] = deque(maxlen=6)
        self._recent_turn_starts: deque[float] = deque()
        self.questions_in_a_row = 0

        self.longest_silence: float = 0.0
        self.silences: list[tuple[float, float]] = []  # closed (start, length)
        self.marks: list[tuple[str, float]] = []
        self.visible_cards: list[VisibleCard] = []

    # ------------------------------------------------------------------ queries
    @property
    def case(self) -> CaseState | None:
        if self.cases and self.cases[-1].ended_at is None:
            return self.cases[-1]
        return None

    @property
    def phase(self) -> str | None:
        case = self.case
        return case.phase if case is not None else self.session_phase

    @property
    def elapsed(self) -> float:
        return self.now

    @property
    def remaining(self) -> float:
        return self.planned_end - self.now

    @property
    def presenter(self) -> str | None:
        case = self.case
        return case.presenter if case else None

    def is_member(self, who: str) -> bool:
        return who in self._member_set

    def _open(self) -> float:
        return self.now - self._segment_since

    def airtime(self, who: str) -> float:
        t = self.tallies.get(who)
        base = t.airtime if t else 0.0
        return base + (self._open() if self.floor == who else 0.0)

    def turns(self, who: str) -> int:
        t = self.tallies.get(who)
        return t.turns if t else 0

    def first_spoke_at(self, who: str) -> float | None:
        t = self.tallies.get(who)
        return t.first_spoke_at if t else None

    def case_airtime(self, who: str, case: CaseState | None = None) -> float:
        case = case or self.case
        if case is None:
            return 0.0
        t = case.tallies.get(who)
        base = t.airtime if t else 0.0
        if case is self.case and self.floor == who:
            base += self._open()
        return base

    def case_turns(self, who: str, case: CaseState | None = None) -> int:
        case = case or self.case
        if case is None:
            return 0
        t = case.tallies.get(who)
        return t.turns if t else 0

    def phase_airtime(self, phase: str, who: str) -> float:
        """Airtime of ``who`` in ``phase`` of the current case, open turn included."""
        case = self.case
        if case is None:
            return 0.0
        base = case.phase_airtime.get(phase, {}).get(who, 0.0)
        if self.floor == who and case.phase == phase:
            base += self._open()
        return base

    def phase_airtimes(self, phase: str) -> dict[str, float]:
        case = self.case
        if case is None:
            return {}
        out = dict(case.phase_airtime.get(phase, {}))
        if self.floor is not None and case.phase == phase:
            out[self.floor] = out.get(self.floor, 0.0) + self._open()
        return out

    @property
    def total_airtime(self) -> float:
        return self.speaking_total + (self._open() if self.floor is not None else 0.0)

    @property
    def leader_airtime(self) -> float:
        return sum(self.airtime(who) for who in LEADERS)

    @property
    def leader_share(self) -> float:
        total = self.total_airtime
        return self.leader_airtime / total if total > 0 else 0.0

    def case_leader_share(self) -> float:
        case = self.case
        if case is None:
            return 0.0
        total = case.airtime + (self._open() if self.floor is not None else 0.0)
        leaders = self.case_airtime(LEADERS[0], case) + self.case_airtime(LEADERS[1], case)
        return leaders / total if total > 0 else 0.0

    @property
    def silence_length(self) -> float:
        return self.now - self.silence_since if self.silence_since is not None else 0.0

    @property
    def floor_length(self) -> float:
        return self.now - self.floor_since if self.floor_since is not None else 0.0

    @property
    def case_elapsed(self) -> float:
        case = self.case
        return self.now - case.started_at if case else 0.0

    @property
    def phase_elapsed(self) -> float:
        case = self.case
        return self.now - case.phase_started_at if case and case.phase else 0.0

    def case_planned(self, case: CaseState | None = None) -> float:
        """The case's planned share of the session, in seconds.

        Time left to the planned end when the case started, shared evenly among the
        cases still to come (this one included); the last planned case, or any case
        beyond the plan, gets everything left. Follows ``extend``.
        """
        case = case or self.case
        if case is None:
            return 0.0
        left = self.plan.template.cases - (case.number - 1)
        return max(0.0, self.planned_end - case.started_at) / max(1, left)

    def turns_since(self, since: float) -> int:
        """Turns begun at or after ``since`` (only for windows up to 10 minutes)."""
        starts = self._recent_turn_starts
        while starts and starts[0] < self.now - 600:
            starts.popleft()
        return sum(1 for t in starts if t >= since)

    def longest_silence_so_far(self) -> float:
        return max(self.longest_silence, self.silence_length)

    def not_spoken_in_case(self) -> list[str]:
        """Present members, presenter excluded, with no turn in the current case."""
        case = self.case
        if case is None:
            return []
        return [
            m for m in self.members
            if m in self.present and m != case.presenter and self.case_turns(m) == 0
        ]

    def listening_latecomer(self, who: str) -> bool:
        """A member who arrived late in the current case, in a template that asks
        latecomers to sit and listen: not waited for until the next case."""
        case = self.case
        return (
            case is not None
            and self.plan.template.latecomers_listen
            and who in self.arrived_in_case
            and self.arrived_in_case[who] == case.number
        )

    def not_spoken_yet(self) -> list[str]:
        """``not_spoken_in_case`` without the listening latecomers."""
        return [m for m in self.not_spoken_in_case() if not self.listening_latecomer(m)]

    # ---------------------------------------------------------------- folding
    def advance(self, now: float) -> None:
        """Move the state's clock forward (a tick); never backwards."""
        if not self.ended and now > self.now:
            self.now = now

    def check(self, event: ev.AnyEvent) -> None:
        """Raise EventRejected if ``event`` cannot apply now; changes nothing."""
        if event.at < self.now - 1e-9:
            raise EventRejected(
                f"at {event.at:g} is earlier than the previous event ({self.now:g})"
            )
        kind = event.type
        if self.ended and kind != "prompt":
            raise EventRejected("the session has already ended")
        if not self.started and kind not in ("start", "queue", "unqueue", "prompt"):
            raise EventRejected("the session has not started yet (no start event)")
        if kind == "start":
            if self.started:
                raise EventRejected("the session has already started")
            for who in event.present or ():
                self._check_member(who)
        elif kind == "speak":
            self._check_speaker(event.who)
            if event.to_presenter and self.case is not None and self.case.is_topic:
                raise EventRejected("a topic has no presenter to put a question to")
        elif kind == "phase":
            case = self.case
            if case is not None and case.is_topic and event.phase not in TOPIC_PHASES:
                raise EventRejected(
                    f"a topic has the phases {' and '.join(TOPIC_PHASES)}, not {event.phase}"
                )
        elif kind in ("arrive", "leave", "queue", "case"):
            self._check_member(event.who)
        elif kind == "topic" and not self.plan.template.topic_sessions:
            raise EventRejected(
                f"the template '{self.plan.template.name}' does not take topic sessions"
            )
        elif kind == "mark" and event.who is not None:
            self._check_member(event.who)

    def apply(self, event: ev.AnyEvent) -> None:
        self.check(event)
        self.now = max(self.now, event.at)
        getattr(self, f"_on_{event.type}")(event)
        self.event_count += 1

    def _check_member(self, who: str) -> None:
        if who not in self._member_set:
            raise EventRejected(f"'{who}' is not a member of the group")

    def _check_speaker(self, who: str) -> None:
        if who not in LEADERS:
            self._check_member(who)

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
        self.floor = None
        self.floor_since = None
        self.floor_to_presenter = False

    def _end_silence(self, at: float) -> None:
        if self.silence_since is not None:
            length = at - self.silence_since
            self.silences.append((self.silence_since, length))
            self.longest_silence = max(self.longest_silence, length)
            self.silence_since = None

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

    def _on_unqueue(self, e: ev.Unqueue) -> None:
        self.queue = [q for q in self.queue if q.who != e.who]

    def _on_case(self, e: ev.Case) -> None:
        self._end_turn(e.at)
        self._end_silence(e.at)
        if self.cases and self.cases[-1].ended_at is None:
            self.cases[-1].ended_at = e.at
        self.queue = [q for q in self.queue if q.who != e.who]
        if e.who not in self.present:
            self._mark_present(e.who, e.at)
        self.cases.append(CaseState(len(self.cases) + 1, e.who, e.at, phase_started_at=e.at))
        self.questions_in_a_row = 0
        self.session_phase = None

    def _on_topic(self, e: ev.Topic) -> None:
        self._end_turn(e.at)
        self._end_silence(e.at)
        if self.cases and self.cases[-1].ended_at is None:
            self.cases[-1].ended_at = e.at
        self.cases.append(CaseState(len(self.cases) + 1, None, e.at, phase_started_at=e.at))
        self.questions_in_a_row = 0
        self.session_phase = None

    def _on_undo(self, e: ev.Undo) -> None:
        """Clock only: what it withdraws is left out of the fold (``withdrawal``)."""

    def _on_redo(self, e: ev.Redo) -> None:
        """Clock only, as ``undo``."""

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
        if self.last_speaker is not None and self.last_speaker != who:
            key = (self.last_speaker, who)
            self.transitions[key] = self.transitions.get(key, 0) + 1
        self.last_speaker = who
        self.recent_speakers.append(who)
        self._recent_turn_starts.append(e.at)

    def _on_silence(self, e: ev.Silence) -> None:
        self._end_turn(e.at)
        if self.silence_since is None:
            self.silence_since = e.at

    def _on_mark(self, e: ev.Mark) -> None:
        self.marks.append((e.kind, e.at))
        case = self.case
        if case is not None:
            case.marks.append((e.kind, e.at))

    def _on_extend(self, e: ev.Extend) -> None:
        self.planned_end = max(self.now, self.planned_end + e.minutes * 60.0)

    def _on_end(self, e: ev.End) -> None:
        self._end_turn(e.at)
        self._end_silence(e.at)
        if self.case is not None:
            self.case.ended_at = e.at
        self.ended = True
        self.ended_at = e.at

    def _on_prompt(self, e: ev.PromptAction) -> None:
        if e.action == "surfaced":
            self.visible_cards.append(VisibleCard(e.id, e.at, e.who))
        else:
            self.visible_cards = [c for c in self.visible_cards if c.id != e.id]
