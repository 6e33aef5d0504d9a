"""What the follow view shows, computed from a ``Follower`` (no Textual import).

The same kind of small records as ``ui.view`` (the clock and the floor are its own
``ClockView`` and ``FloorView``), for a glance from across the circle: the time left
in the session and in the case, the phase, who holds the floor or how long the
silence is, who has not spoken in this case, the visible cards with their member and
age. Names are display names, rendered literally by the widgets.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from balint_tui.application.follow import ENDED, LIVE, NO_SESSION, WAITING, Follower
from balint_tui.ui import fmt
from balint_tui.ui import view as views


class CaseLeftView(NamedTuple):
    number: int  # 0: no case running
    planned_cases: int
    presenter: str
    phase: str | None
    left: str  # the case's time left against its planned share ("+m:ss" once over)
    over: bool
    done: int


class NotYetView(NamedTuple):
    in_case: bool
    names: tuple[str, ...]


class CardRow(NamedTuple):
    id: str
    line: str
    member: str  # "" for a card about no one member
    age: str


class CardsView(NamedTuple):
    cards: tuple[CardRow, ...]


class StatusView(NamedTuple):
    status: str  # follow.LIVE / WAITING / ENDED / NO_SESSION
    group: str
    problem: str | None


STATUS_WORDS = {
    LIVE: "live",
    WAITING: "waiting for the session",
    ENDED: "session ended",
    NO_SESSION: "waiting for a session",
}


def case_left_view(follower: Follower) -> CaseLeftView:
    state = follower.state
    if state is None:
        return CaseLeftView(0, 0, "", None, "", False, 0)
    done = sum(1 for c in state.cases if c.ended_at is not None)
    case = state.case
    cases = state.plan.template.cases
    if case is None:
        return CaseLeftView(0, cases, "", state.phase, "", False, done)
    left = state.case_planned() - state.case_elapsed
    return CaseLeftView(
        case.number, cases,
        "Topic" if case.presenter is None else views.label(case.presenter, follower.names),
        case.phase,
        fmt.clock(left), left < 0, done,
    )


def not_yet_view(follower: Follower) -> NotYetView:
    state = follower.state
    if state is None or state.case is None or state.ended:
        return NotYetView(False, ())
    names = follower.names
    return NotYetView(True, tuple(views.label(m, names) for m in state.not_spoken_in_case()))


def cards_view(follower: Follower, cards: dict[str, Any], limit: int = 3) -> CardsView:
    """The visible cards as the coleader's screen orders them, each with its member
    (the member the card is about) and how long it has been visible."""
    state = follower.state
    if state is None or state.ended:
        return CardsView(())
    shown = views.prompts_view(state, cards, follower.names, limit).cards
    by_id = {c.id: c for c in state.visible_cards}
    rows = []
    for line in shown:
        card = by_id.get(line.id)
        # every member it names now (the quiet-member card: those still unheard)
        unheard_only = bool(getattr(cards.get(line.id), "names_unheard", False))
        named = state.named_now(card, unheard_only) if card is not None else ()
        member = ", ".join(views.label(m, follower.names) for m in named)
        age = fmt.short_minutes(max(0.0, state.now - card.surfaced_at)) if card else ""
        rows.append(CardRow(line.id, line.line, member, age))
    return CardsView(tuple(rows))


def status_view(follower: Follower, group: str) -> StatusView:
    return StatusView(follower.status, group, follower.problem)


__all__ = [
    "STATUS_WORDS",
    "CardRow",
    "CardsView",
    "CaseLeftView",
    "NotYetView",
    "StatusView",
    "cards_view",
    "case_left_view",
    "not_yet_view",
    "status_view",
]
