"""What the live screen shows, computed from the session state (no Textual import).

Each function turns ``SessionState`` into a small frozen record; widgets hold the
record in a reactive, so a widget refreshes only when its record changes.
Member keys are turned into display names here, through ``names`` and
``safe_display``; widgets still render them as literal text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from balint_tui.domain.state import TOPIC_PHASES, SessionState
from balint_tui.domain.vocabulary import COLEADER, LEADER, SETTING_LABELS
from balint_tui.ui import fmt

LEADER_LABELS = {LEADER: "Leader", COLEADER: "Coleader"}


def label(key: str, names: dict[str, str]) -> str:
    """Display name of a speaker key: a member's name, or Leader / Coleader."""
    if key in LEADER_LABELS:
        return LEADER_LABELS[key]
    return fmt.display_name(names.get(key, key))


# ---------------------------------------------------------------- records
# Immutable records compared whole (a widget repaints when its record changes): named
# tuples, which Python makes in a fraction of the time a dataclass takes at start-up.
class ClockView(NamedTuple):
    remaining: str
    over: bool
    elapsed: str
    planned: str
    ends_at: str | None
    ended: bool
    unsaved: int = 0  # events kept in memory while the journal cannot be written
    followed: int = 0  # follow views open on this data folder (balint-tui follow / serve)
    record: str = ""  # the plan's role and setting, in words ("leader · in person")


class CaseView(NamedTuple):
    number: int  # 0 when no case is running
    planned_cases: int
    done: int
    presenter: str
    phase: str | None
    phase_time: str
    case_time: str
    case_planned: str
    over: bool
    phases: tuple[tuple[str, str], ...]  # (phase, "done" | "now" | "next")
    topic: bool = False  # a topic segment: no presenter
    case_left: str = ""  # time left of the case's share, "+m:ss" once over it


class FloorView(NamedTuple):
    mode: str  # "speaking" | "silence" | "break" | "open" | "ended"
    who: str
    length: str
    to_presenter: bool
    is_leader: bool


class MemberRow(NamedTuple):
    key: str  # the key that gives this member the floor (">1": > then 1), or ""
    name: str
    presenter: bool
    not_yet: bool  # present, not the presenter, no turn in the current case
    speaking: bool
    case_turns: int
    case_air: float
    turns: int
    air: float


class ParticipationView(NamedTuple):
    rows: tuple[MemberRow, ...]
    leaders: tuple[MemberRow, ...]
    absent: tuple[str, ...]
    paged: bool  # members past 12 are reached with > then their key
    in_case: bool
    left: tuple[str, ...] = ()  # were here and left early (``absent``: never came)


class QueueEntryView(NamedTuple):
    name: str
    urgent: bool
    carried: bool
    away: bool = False  # not in the room (absent, or left): s cannot start their case


class QueueView(NamedTuple):
    entries: tuple[QueueEntryView, ...]


class CardLine(NamedTuple):
    id: str
    line: str  # the glance line, naming the member the card is about (plain text)
    age: str = ""  # how long it has been up: "new", then whole minutes ("2m")


class PromptsView(NamedTuple):
    cards: tuple[CardLine, ...]
    level: str = ""  # the plan's prompt level ("standard", "few")


# ---------------------------------------------------------------- builders
def clock_view(
    state: SessionState, wall_origin: datetime | None, unsaved: int = 0, followed: int = 0
) -> ClockView:
    ends_at = None
    if wall_origin is not None:
        ends_at = (wall_origin + timedelta(seconds=state.planned_end)).strftime("%H:%M")
    remaining = state.remaining
    return ClockView(
        remaining=fmt.clock(remaining),
        over=remaining < 0,
        elapsed=fmt.mmss(state.elapsed),
        planned=fmt.mmss(state.planned_end),
        ends_at=ends_at,
        ended=state.ended,
        unsaved=unsaved,
        followed=followed,
        record=plan_record(state),
    )


def plan_record(state: SessionState) -> str:
    """Who keeps this record and where the group meets, in words."""
    return f"{state.plan.role} · {SETTING_LABELS[state.plan.setting]}"


def case_view(state: SessionState, names: dict[str, str]) -> CaseView:
    template = state.plan.template
    case = state.case
    done = sum(1 for c in state.cases if c.ended_at is not None)
    if case is None:
        return CaseView(0, template.cases, done, "", None, "", "", "", False, ())
    phases: list[tuple[str, str]] = []
    seen = {name for name, _ in case.phases}
    for name in (TOPIC_PHASES if case.is_topic else template.phases):
        if name == case.phase:
            phases.append((name, "now"))
        elif name in seen:
            phases.append((name, "done"))
        else:
            phases.append((name, "next"))
    planned = state.case_planned()
    return CaseView(
        number=case.number,
        planned_cases=template.cases,
        done=done,
        presenter="" if case.presenter is None else label(case.presenter, names),
        phase=case.phase,
        phase_time=fmt.mmss(state.phase_elapsed),
        case_time=fmt.mmss(state.case_elapsed),
        case_planned=fmt.mmss(planned),
        over=state.case_elapsed > planned,
        phases=tuple(phases),
        topic=case.is_topic,
        case_left=(
            fmt.mmss(planned - state.case_elapsed) if state.case_elapsed <= planned
            else "+" + fmt.mmss(state.case_elapsed - planned)
        ),
    )


def floor_view(state: SessionState, names: dict[str, str]) -> FloorView:
    if state.ended:
        return FloorView("ended", "", "", False, False)
    if state.floor is not None:
        return FloorView(
            "speaking",
            label(state.floor, names),
            fmt.mmss(state.floor_length),
            state.floor_to_presenter,
            state.floor in LEADER_LABELS,
        )
    if state.paused_since is not None:
        return FloorView("break", "", fmt.mmss(state.pause_length), False, False)
    if state.silence_since is not None:
        return FloorView("silence", "", fmt.mmss(state.silence_length), False, False)
    return FloorView("open", "", "", False, False)


def participation_view(
    state: SessionState,
    names: dict[str, str],
    keys: tuple[str, ...] = (),
    leader_keys: tuple[str, str] = ("l", "c"),
) -> ParticipationView:
    """``keys``: each member's floor key as shown, in roster order."""
    key_of = dict(zip(state.members, keys, strict=False))
    case = state.case
    not_yet = set(state.not_spoken_in_case())

    def row(key: str, who: str) -> MemberRow:
        return MemberRow(
            key=key,
            name=label(who, names),
            presenter=case is not None and case.presenter == who,
            not_yet=who in not_yet,
            speaking=state.floor == who,
            case_turns=state.case_turns(who),
            case_air=round(state.case_airtime(who)),
            turns=state.turns(who),
            air=round(state.airtime(who)),
        )

    rows = tuple(row(key_of.get(m, ""), m) for m in state.members if m in state.present)
    leaders = (row(leader_keys[0], LEADER), row(leader_keys[1], COLEADER))
    away = [m for m in state.members if m not in state.present]
    absent = tuple(label(m, names) for m in away if m not in state.present_ever)
    left = tuple(label(m, names) for m in away if m in state.present_ever)
    paged = any(k.startswith(">") for k in keys)
    return ParticipationView(rows, leaders, absent, paged, case is not None, left)


def queue_view(state: SessionState, names: dict[str, str]) -> QueueView:
    return QueueView(
        tuple(
            QueueEntryView(label(q.who, names), q.urgent, q.carried, q.who not in state.present)
            for q in state.queue
        )
    )


def card_age(seconds: float) -> str:
    """A visible card's age, coarse enough to change once a minute: "new", "1m"..."""
    return "new" if seconds < 60 else f"{int(seconds // 60)}m"


def prompts_view(
    state: SessionState, cards: dict, names: dict[str, str] | None = None, limit: int = 3
) -> PromptsView:
    """Visible cards, highest priority first, then in the order they surfaced."""
    visible = list(state.visible_cards)
    visible.sort(key=lambda c: (-_priority(cards.get(c.id)), c.surfaced_at))
    lines = []
    for card in visible[:limit]:
        found = cards.get(card.id)
        if found is None:
            line = card.id
        else:
            named = state.named_now(card, found.names_unheard)
            member = ", ".join(label(m, names or {}) for m in named) if named else None
            line = found.line_for(member)
        lines.append(CardLine(card.id, line, card_age(state.now - card.surfaced_at)))
    return PromptsView(tuple(lines), state.plan.prompts)


def _priority(card: object) -> float:
    value = getattr(card, "priority", 0)
    return float(value) if isinstance(value, (int, float)) else 0.0
