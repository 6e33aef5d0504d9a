"""What every rule shares: episodes, the rule base class and the scope tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from balint_tui.domain import events as ev
from balint_tui.domain.cards import Card, TriggerModel
from balint_tui.domain.state import SessionState

if TYPE_CHECKING:
    from balint_tui.domain.rules.engine import RuleEngine

Key = tuple[Any, ...]
NEVER = float("-inf")
ALWAYS = float("inf")
EPS = 1e-6  # computed wake times are brought forward by this much (float rounding)


def case_number(state: SessionState) -> int | None:
    case = state.case
    return case.number if case is not None else None


@dataclass(slots=True)
class Episode:
    """One trigger episode of one card: waiting for a slot, or on screen.

    ``case`` and ``phase`` are where the session was when it began (None: between
    cases); ``data`` is what the rule needs to tell whether it still holds (the mark,
    the leader's turn...)."""

    card: str
    key: Key
    who: str | None
    priority: int
    created: float
    case: int | None
    phase: str | None
    rule: _Rule
    data: Any = None
    waits: bool = True  # an event episode (a leader's ``wait_s`` caps its wait)
    cases: int = 0  # how many cases had started when it began
    # a card about several members: the others after ``who`` (roster order)
    also: tuple[str, ...] = ()

    def holds(self, state: SessionState) -> bool:
        return self.rule.holds(state, self)


class _Rule:
    """One trigger of one card. A rule class names the trigger model it ``serves`` (the
    engine finds the rule of a card's trigger by it), sets ``events`` (the event classes
    its ``on_event`` reacts to) and/or ``timed``, and says in ``holds`` when an episode
    stops being true (see the trigger model's ``leaves_when``)."""

    serves: ClassVar[type[TriggerModel]]  # the trigger model (kind) this rule implements
    events: ClassVar[tuple[type[ev.AnyEvent], ...]] = ()
    timed: ClassVar[bool] = False  # has a condition read on every tick (``current``)
    # needs ``observe`` on every tick, even when it cannot surface
    observes: ClassVar[bool] = False
    # ``current`` need not be read before this time: set by a condition rule that found
    # nothing and knows when that can change without an event (+inf: only an event can);
    # the engine resets it after every event and whenever a card leaves the screen.
    wake = NEVER

    def __init__(self, engine: RuleEngine, card: Card, trigger: TriggerModel) -> None:
        self.engine = engine
        self.card = card.id
        self.priority = card.priority

    # event rules
    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None: ...

    # condition rules: the first current episode not yet spent, as (key, who)
    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        return None

    def observe(self, state: SessionState) -> None: ...

    # every rule: is the episode still true in ``state`` as it is now?
    def holds(self, state: SessionState, ep: Episode) -> bool:
        return same_case(state, ep)

    def episode(self, state: SessionState, key: Key, who: str | None = None,
                data: Any = None, waits: bool = True) -> Episode:
        return Episode(self.card, key, who, self.priority, state.now, case_number(state),
                       state.phase, self, data, waits, len(state.cases))

    def offer(self, state: SessionState, key: Key, who: str | None = None,
              data: Any = None, also: tuple[str, ...] = ()) -> None:
        ep = self.episode(state, key, who, data)
        ep.also = also
        self.engine._offer(ep)


def in_topic(state: SessionState) -> bool:
    """A topic segment is running: no presenter, so no card about one."""
    case = state.case
    return case is not None and case.is_topic


def same_case(state: SessionState, ep: Episode) -> bool:
    """The case under way when the episode began is still the current one (or, for an
    episode begun between cases, no case has started since)."""
    return len(state.cases) == ep.cases and case_number(state) == ep.case


def same_phase(state: SessionState, ep: Episode) -> bool:
    return same_case(state, ep) and state.phase == ep.phase
