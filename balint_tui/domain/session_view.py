"""The read side of a session's state: what the screen and the rules read.

``SessionView`` holds the figures ``SessionState`` (``balint_tui.domain.state``) folds
events into, and answers the queries at ``now`` (the latest event or tick), adding the
open turn or silence on the fly, so nothing ever re-scans the history. The records it
is made of (a case, a tally, a queue entry, a visible card) live here too.

Speakers are keys: a member key (an id in the live app, a display name in scenario
replays) or one of the reserved ``leader`` / ``coleader``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from balint_tui.domain.model import SessionPlan
from balint_tui.domain.vocabulary import LEADERS

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
    also: tuple[str, ...] = ()  # a card about several members: the others after ``who``

    @property
    def members(self) -> tuple[str, ...]:
        """Every member the card named when it surfaced, in roster order."""
        return (self.who, *self.also) if self.who is not None else ()


class SessionView:
    """Everything the screen and the rules read; ``SessionState`` folds events into it."""

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
        # a break (``pause``): since when, while it lasts; every closed one (start, length)
        self.paused_since: float | None = None
        self.pauses: list[tuple[float, float]] = []
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
    def pause_length(self) -> float:
        """How long the break under way has lasted (0 when there is none)."""
        return self.now - self.paused_since if self.paused_since is not None else 0.0

    @property
    def paused_total(self) -> float:
        """Every break of the session so far, the one under way included."""
        return sum(length for _, length in self.pauses) + self.pause_length

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

    def unheard(self, names: Iterable[str | None]) -> tuple[str, ...]:
        """Those of ``names`` who are here and have not spoken in the current case (a
        latecomer asked to listen is not waited for in the case they arrived in)."""
        return tuple(
            m for m in names
            if m is not None and m in self.present and self.case_turns(m) == 0
            and not self.listening_latecomer(m)
        )

    def named_now(self, shown: VisibleCard, unheard_only: bool = False) -> tuple[str, ...]:
        """The members a visible card names now: those it named when it surfaced, or
        (``unheard_only``: a card whose ``Card.names_unheard``, the quiet-member card)
        only those still unheard, so its text names fewer as they speak. The screen
        joins them with ", " in place of ``{member}``."""
        names = shown.members
        if unheard_only:
            return self.unheard(names) or names
        return names


__all__ = ["TOPIC_PHASES", "CaseState", "QueueEntry", "SessionView", "Tally", "VisibleCard"]
