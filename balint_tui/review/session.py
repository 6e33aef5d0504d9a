"""One session's review, refolded from its events through ``SessionState``.

Everything here is computed from the stored events and the roster snapshot, nothing
else: the shape of the session (cases, phases, silences, marks, prompts), who spoke how
much and after whom, and the leader's share. Speakers are listed in roster order, then
``leader`` and ``coleader``: nothing here ranks members.

Figures (seconds unless said otherwise):

* ``balance`` is ``balint_tui.domain.metrics.balance`` over the airtime of the members
  present at any time (Pielou's evenness, documented there); ``leader_share`` is
  leader + coleader airtime over every speaker's airtime.
* a *long silence* lasts ``LONG_SILENCE_S`` (20 s) or more; ``longest_silence`` is the
  longest of any length; ``broken_by``: who took the floor when a silence ended (None:
  a case began, the session ended, or it ran to the end of the record).
* ``questions_to_presenter`` counts turns marked ``to_presenter`` taken by someone other
  than the presenter in a case's ``discussion`` phase (where they turn the discussion
  back into cross-examination); ``questions_by_phase`` counts them in every phase.
* ``planned_end`` is where the planned end stood when the session ended, after the
  ``extend`` presses that took effect (``extend_presses``; a press that would move the
  end before the present moment moves it to the present moment, and one that changes
  nothing is not counted).
* ``index`` fields are positions in the session's event list (what the debrief's
  "we talked about it" flags refer to).
* a case's ``planned`` time is its share of the session as the live screen computed it
  (``SessionState.case_planned``), following ``extend`` events made while it ran.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from balint_tui.domain import events as ev
from balint_tui.domain.group_age import GroupAge
from balint_tui.domain.metrics import balance, summary
from balint_tui.domain.model import SessionPlan
from balint_tui.domain.state import CaseState, FoldListener, SessionState
from balint_tui.domain.vocabulary import LEADERS
from balint_tui.domain.withdrawal import effective
from balint_tui.review.card_lives import CardLives, PromptOutcome
from balint_tui.review.labels import card_titles

if TYPE_CHECKING:
    from balint_tui.domain.scenario import ReplayResult

LONG_SILENCE_S = 20.0


@dataclass(frozen=True)
class Turn:
    who: str
    start: float
    end: float
    case: int | None
    phase: str | None
    to_presenter: bool = False

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class SilenceSpan:
    start: float
    length: float
    case: int | None
    phase: str | None
    index: int | None = None
    broken_by: str | None = None  # who took the floor when it ended (module docstring)

    @property
    def end(self) -> float:
        return self.start + self.length


@dataclass(frozen=True)
class MarkAt:
    kind: str
    at: float
    case: int | None
    phase: str | None
    index: int | None = None
    who: str | None = None


@dataclass(frozen=True)
class PhaseSpan:
    phase: str
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class CaseReview:
    number: int
    presenter: str | None  # None: a topic segment (no presenter)
    start: float
    end: float
    planned: float
    phases: tuple[PhaseSpan, ...]
    questions_to_presenter: int
    marks: int
    index: int | None = None

    @property
    def length(self) -> float:
        return self.end - self.start

    @property
    def is_topic(self) -> bool:
        return self.presenter is None

    @property
    def over(self) -> float:
        """Seconds past the planned share (negative: finished early)."""
        return self.length - self.planned


@dataclass(frozen=True)
class Participation:
    who: str
    airtime: float
    turns: int
    first_spoke_at: float | None
    present: bool
    late: bool = False
    left_early: bool = False  # left the room at some time (back or not: see ``away``)
    # every time the member was away after being in the room: (left, back or None)
    away: tuple[tuple[float, float | None], ...] = ()

    @property
    def is_leader(self) -> bool:
        return self.who in LEADERS


@dataclass
class SessionReview:
    session_id: str | None
    group_id: str | None
    started_wall: str | None
    template: str
    # the plan's keys (contract v3): which cards could surface, who kept the record,
    # where the group met
    prompts_level: str
    role: str
    setting: str
    planned_duration: float
    duration: float
    members: list[str]  # roster order (keys)
    names: dict[str, str]  # key -> display name (roster snapshot)
    participation: list[Participation]  # members in roster order, then leaders
    turns: list[Turn]
    silences: list[SilenceSpan]  # every closed silence, in time order
    marks: list[MarkAt]
    prompts: list[PromptOutcome]
    cases: list[CaseReview]
    transitions: dict[tuple[str, str], int]
    never_spoke: list[str]
    absent: list[str]
    balance: float
    leader_share: float
    leader_airtime: float
    total_airtime: float
    questions_to_presenter: int
    longest_silence: float
    extended_by_min: int = 0
    ratings: dict[str, int | None] = field(default_factory=dict)
    planned_end: float = 0.0
    extend_presses: int = 0
    questions_by_phase: dict[str, int] = field(default_factory=dict)
    # every form's answers (``member`` is ``ratings``), who rated, the debrief's flags
    form_ratings: dict[str, dict[str, int | None]] = field(default_factory=dict)
    raters: dict[str, str | None] = field(default_factory=dict)
    presenter_no: int | None = None  # several presenters: which one rated (1 = first)
    talked: tuple[int, ...] = ()
    card_titles: dict[str, str] = field(default_factory=dict)  # card id -> title
    age: GroupAge | None = None  # how long the group had met, its recent turnover
    # the breaks (``pause``): (start, length), which airtime and silences leave out
    breaks: list[tuple[float, float]] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        """Matrix / chart order: roster order, then leader, coleader."""
        return [*self.members, *LEADERS]

    @property
    def long_silences(self) -> list[SilenceSpan]:
        return [s for s in self.silences if s.length >= LONG_SILENCE_S - 1e-9]

    @property
    def present(self) -> list[str]:
        return [p.who for p in self.participation if p.present and not p.is_leader]

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def answers(self, form_id: str) -> dict[str, int | None]:
        """The session's answers on one of the three forms (``member``: the self-rating)."""
        if form_id == "member":
            return self.form_ratings.get("member") or self.ratings
        return self.form_ratings.get(form_id, {})

    def card_title(self, card_id: str) -> str:
        """The card's title from the card library (its id if it is no longer there)."""
        return self.card_titles.get(card_id, card_id)

    def participation_of(self, who: str) -> Participation | None:
        for p in self.participation:
            if p.who == who:
                return p
        return None

    def prompt_counts(self) -> dict[str, int]:
        counts = {"surfaced": len(self.prompts), "acted": 0, "dismissed": 0, "expired": 0,
                  "resolved": 0, "replaced": 0, "open": 0}
        for p in self.prompts:
            counts[p.outcome] = counts.get(p.outcome, 0) + 1
        return counts


class _Collector(FoldListener):
    """Listens to the fold of one session: the turns, silences, marks, cards and case
    figures the review keeps, each with the case and phase it happened in."""

    def __init__(self, plan: SessionPlan, members: list[str]) -> None:
        self.state = SessionState(plan, members, listener=self)
        self.index = 0  # position of the event being folded
        self.turns: list[Turn] = []
        self.marks: list[MarkAt] = []
        self.cards = CardLives()
        self.planned: dict[int, float] = {}  # case number -> its planned share
        self.silence_context: dict[float, tuple[int | None, str | None, int]] = {}
        self.silence_open: float | None = None  # the start of the silence running
        self.broken_by: dict[float, str] = {}  # a silence's start -> who ended it
        self.case_index: dict[int, int] = {}
        self.extended = 0
        self.presses = 0
        self.turn_context: tuple[int | None, str | None] = (None, None)
        # a turn that ended, kept back until the end of its event: the same speaker
        # taking the floor again, in that event, at the very moment the turn began
        # continues it (the review counts one turn there)
        self._ended: Turn | None = None
        self._ended_by = -1  # the index of the event that ended it

    def where(self) -> tuple[int | None, str | None]:
        case = self.state.case
        return (case.number if case else None, self.state.phase)

    def turns_so_far(self) -> list[Turn]:
        self._flush()
        return self.turns

    def _flush(self) -> None:
        if self._ended is not None:
            self.turns.append(self._ended)
            self._ended = None

    def turn_started(self, who: str, at: float) -> None:
        if self.silence_open is not None:  # this turn ended the silence
            self.broken_by[self.silence_open] = who
            self.silence_open = None
        ended = self._ended
        if (ended is not None and self._ended_by == self.index and ended.who == who
                and ended.start == at):
            self._ended = None
        self._flush()
        self.turn_context = self.where()

    def turn_ended(self, who: str, since: float, until: float, to_presenter: bool) -> None:
        self._flush()
        self._ended = Turn(who, since, until, *self.turn_context, to_presenter)
        self._ended_by = self.index

    def silence_started(self, at: float) -> None:
        self.silence_context[at] = (*self.where(), self.index)
        self.silence_open = at

    def case_started(self, case: CaseState) -> None:
        self.silence_open = None  # a case or topic beginning ended it: nobody broke it
        if not case.is_topic:
            self.case_index[case.number] = self.index
        self._plan(case)

    def end_moved(self, minutes: int, before: float, after: float) -> None:
        self.extended += minutes
        self.presses += after != before
        if self.state.case is not None:
            self._plan(self.state.case)

    def _plan(self, case: CaseState) -> None:
        self.planned[case.number] = self.state.case_planned(case)

    def marked(self, kind: str, at: float, who: str | None) -> None:
        self.marks.append(MarkAt(kind, at, *self.where(), self.index, who))

    def card_action(self, card: str, action: str, at: float, who: str | None) -> None:
        self.cards.action(card, action, at, who, self.index)


def review_events(
    plan: SessionPlan,
    members: list[str],
    events: Iterable[ev.AnyEvent],
    names: Mapping[str, str] | None = None,
    *,
    session_id: str | None = None,
    group_id: str | None = None,
    started_wall: str | None = None,
    ratings: Mapping[str, int | None] | None = None,
) -> SessionReview:
    """Refold ``events`` and compute the review. Raises ``EventRejected`` on a bad stream.

    Events withdrawn by ``undo`` are left out first (``withdrawal.effective``): the
    review is what it would be had they never been recorded."""
    heard = _Collector(plan, list(members))
    state = heard.state
    for index, event in enumerate(effective(events)):
        heard.index = index
        heard.cards.follow(event)
        state.apply(event)
    # a stream without an end (a crashed session): close what is open at the last moment
    end_at = state.ended_at if state.ended_at is not None else state.now
    turns = _turns(state, heard, end_at)
    silences = _silences(state, heard, end_at)
    prompts = heard.cards.outcomes()
    started = state.started_at or 0.0
    present_ever = [m for m in state.members if m in state.present_ever]
    return SessionReview(
        session_id=session_id,
        group_id=group_id,
        started_wall=started_wall,
        template=plan.template.name,
        prompts_level=plan.prompts,
        role=plan.role,
        setting=plan.setting,
        planned_duration=plan.duration_s,
        duration=max(0.0, end_at - started),
        members=list(state.members),
        names={m: (names or {}).get(m, m) for m in state.members},
        participation=_participation(state),
        turns=turns,
        silences=silences,
        marks=heard.marks,
        prompts=prompts,
        cases=_cases(state, heard, end_at),
        transitions=dict(state.transitions),
        never_spoke=list(summary(state)["never_spoke"]),
        absent=[m for m in state.members if m not in state.present_ever],
        balance=balance([state.airtime(m) for m in present_ever]),
        leader_share=state.leader_share,
        leader_airtime=state.leader_airtime,
        total_airtime=state.total_airtime,
        questions_to_presenter=sum(c.questions_to_presenter for c in state.cases),
        longest_silence=max((s.length for s in silences), default=0.0),
        extended_by_min=heard.extended,
        ratings=dict(ratings or {}),
        planned_end=state.planned_end,
        extend_presses=heard.presses,
        questions_by_phase=_questions_by_phase(state, turns),
        form_ratings={"member": dict(ratings or {})},
        card_titles=card_titles(p.id for p in prompts),
        breaks=[*state.pauses, *(
            [(state.paused_since, end_at - state.paused_since)]
            if state.paused_since is not None else [])],
    )


def _turns(state: SessionState, heard: _Collector, end_at: float) -> list[Turn]:
    """Every turn, the one still open at the end closed at ``end_at``."""
    turns = heard.turns_so_far()
    if state.floor is not None and state.floor_since is not None:
        turns.append(Turn(state.floor, state.floor_since, end_at, *heard.turn_context,
                          state.floor_to_presenter))
    return turns


def _silences(state: SessionState, heard: _Collector, end_at: float) -> list[SilenceSpan]:
    """Every silence, the one still running at the end closed at ``end_at``."""
    spans = list(state.silences)
    if state.silence_since is not None:
        spans.append((state.silence_since, end_at - state.silence_since))
    unknown: tuple[int | None, str | None, int | None] = (None, None, None)
    return [
        SilenceSpan(start, length, *heard.silence_context.get(start, unknown),
                    broken_by=heard.broken_by.get(start))
        for start, length in spans
    ]


def _cases(state: SessionState, heard: _Collector, end_at: float) -> list[CaseReview]:
    cases: list[CaseReview] = []
    for case in state.cases:
        case_end = case.ended_at if case.ended_at is not None else end_at
        # each phase ends where the next begins, the last with the case (a case with
        # no phase has one bound and no span)
        bounds = [*(at for _, at in case.phases[1:]), case_end]
        pairs = zip(case.phases, bounds, strict=False)
        phases = tuple(PhaseSpan(name, at, nxt) for (name, at), nxt in pairs)
        cases.append(CaseReview(
            number=case.number,
            presenter=case.presenter,
            start=case.started_at,
            end=case_end,
            planned=heard.planned.get(case.number, 0.0),
            phases=phases,
            questions_to_presenter=case.questions_to_presenter,
            marks=len(case.marks),
            index=heard.case_index.get(case.number),
        ))
    return cases


def _questions_by_phase(state: SessionState, turns: list[Turn]) -> dict[str, int]:
    """Questions put to the presenter by someone else, per phase (``none``: no phase)."""
    by_phase: dict[str, int] = {}
    presenters = {c.number: c.presenter for c in state.cases}
    for t in turns:
        if t.to_presenter and t.case is not None and t.who != presenters.get(t.case):
            key = t.phase or "none"
            by_phase[key] = by_phase.get(key, 0) + 1
    return by_phase


def _participation(state: SessionState) -> list[Participation]:
    """Members in roster order, then leader and coleader."""
    started = state.started_at or 0.0
    members = [
        Participation(
            who=m,
            airtime=state.airtime(m),
            turns=state.turns(m),
            first_spoke_at=state.first_spoke_at(m),
            present=m in state.present_ever,
            late=state.arrived_at.get(m, started) > started,
            left_early=bool(state.away.get(m)),
            away=tuple(_away(state, m)),
        )
        for m in state.members
    ]
    leaders = [
        Participation(who, state.airtime(who), state.turns(who), state.first_spoke_at(who),
                      present=state.turns(who) > 0)
        for who in LEADERS
    ]
    return members + leaders


def _away(state: SessionState, who: str) -> list[tuple[float, float | None]]:
    spans: list[tuple[float, float | None]] = []
    for out, back in state.away.get(who, ()):
        assert out is not None  # when they left: always known
        spans.append((out, back))
    return spans


def review_replay(result: ReplayResult, ratings: Mapping[str, int | None] | None = None
                  ) -> SessionReview:
    """The review of a ``balint_tui.domain.scenario.ReplayResult`` (members keyed by name)."""
    state = result.state
    return review_events(state.plan, list(state.members), result.events,
                         {m: m for m in state.members}, ratings=ratings)


__all__ = [
    "LONG_SILENCE_S",
    "CaseReview",
    "MarkAt",
    "Participation",
    "PhaseSpan",
    "PromptOutcome",
    "SessionReview",
    "SilenceSpan",
    "Turn",
    "review_events",
    "review_replay",
]
