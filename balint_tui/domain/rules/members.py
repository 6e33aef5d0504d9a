"""Rules about one member: the group's history, quiet and dominant members, latecomers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from balint_tui.domain import events as ev
from balint_tui.domain.cards import (
    Card,
    DominantMemberTrigger,
    HistoryTrigger,
    LateArrivalTrigger,
    QuietMemberTrigger,
)
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.rules.base import ALWAYS, EPS, Episode, Key, _Rule, same_case
from balint_tui.domain.state import CaseState, SessionState
from balint_tui.domain.vocabulary import LEADERS

if TYPE_CHECKING:
    from balint_tui.domain.rules.engine import RuleEngine


class HistoryRule(_Rule):
    serves = HistoryTrigger
    events = (ev.Start, ev.Arrive)

    def __init__(self, engine: RuleEngine, card: Card, trigger: HistoryTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.fact = trigger.fact
        self.on = frozenset(trigger.on)
        self.streak = trigger.streak

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        match event:
            case ev.Start() if "start" in self.on:
                self._at_start(state)
            case ev.Arrive(who=who) if "arrive" in self.on:
                facts = self.engine.facts
                if (facts is not None and self.fact == "vulnerable"
                        and facts.is_vulnerable(who, self.streak)):
                    self.offer(state, ("member", who), who)

    def _at_start(self, state: SessionState) -> None:
        facts = self.engine.facts
        if self.fact == "carry_over":
            self._offer_carry_over(state)
        elif facts is None:
            return
        elif self.fact == "follow_ups":
            # one card naming every last-session presenter who is here, in roster order
            presented = set(facts.follow_ups)
            here = [m for m in state.members if m in presented and m in state.present]
            if here:
                self.offer(state, ("start",), here[0], also=tuple(here[1:]))
        elif self.fact == "vulnerable":
            self._offer_members(state, facts)
        # "absent" is not a live card (contract v3): the pre-session view and the review
        # show who has missed sessions; it never surfaces here

    def _offer_carry_over(self, state: SessionState) -> None:
        # a carried-over member who is away today stays queued, but the card names the
        # first one who is here
        waiting = [
            q.who for q in state.queue
            if (q.carried or q.urgent) and (q.who in state.present or q.urgent)
        ]
        if waiting:
            self.offer(state, ("start",), waiting[0])

    def _offer_members(self, state: SessionState, facts: HistoryFacts) -> None:
        """One episode per present member who is vulnerable."""
        present = state.present
        for m in state.members:
            if m in present and facts.is_vulnerable(m, self.streak):
                self.offer(state, ("member", m), m)

    def holds(self, state: SessionState, ep: Episode) -> bool:
        """Case selection (carry-over, follow-ups) belongs to the opening: it leaves
        when a case starts (carry-over also when that case leaves the queue). A
        vulnerable member's card holds while they are here, an absent one's while they
        are away."""
        who = ep.who
        if self.fact == "carry_over":
            return same_case(state, ep) and any(
                q.who == who and (q.carried or q.urgent) for q in state.queue)
        if self.fact == "follow_ups":
            return same_case(state, ep) and any(
                m in state.present for m in (who, *ep.also))
        if self.fact == "absent":
            return who not in state.present
        return who in state.present


class _PhaseTimedRule(_Rule):
    """A condition read once the current case has been ``after`` seconds in ``phase``."""

    timed = True

    def __init__(
        self, engine: RuleEngine, card: Card,
        trigger: QuietMemberTrigger | DominantMemberTrigger,
    ) -> None:
        super().__init__(engine, card, trigger)
        self.phase = trigger.phase
        self.after = trigger.after_s

    def ready_case(self, state: SessionState) -> CaseState | None:
        """The current case once it is far enough into the phase; else None (and when
        to look again)."""
        case = state.case
        if case is None or case.phase != self.phase:
            self.wake = ALWAYS
            return None
        if state.now - case.phase_started_at < self.after:
            self.wake = case.phase_started_at + self.after
            return None
        return case

    def in_phase(self, state: SessionState, ep: Episode) -> CaseState | None:
        """The episode's case, while it is still in the rule's phase."""
        case = state.case
        if case is None or case.number != ep.key[1] or case.phase != self.phase:
            return None
        return case if same_case(state, ep) else None


class QuietMemberRule(_PhaseTimedRule):
    """One card per case naming every present member (not the presenter) unheard in it
    (``who`` the first in roster order, ``also`` the others); it holds while any of them
    is still unheard and here (``unheard``: the names it shows now)."""

    serves = QuietMemberTrigger

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        case = self.ready_case(state)
        if case is None:
            return None
        self.wake = ALWAYS  # who has spoken changes only with events
        key = ("case", case.number)
        if self.engine._spent_key(self.card, key):
            return None
        # a latecomer asked to listen is not waited for in the case they arrived in
        quiet = state.not_spoken_yet()
        return (key, quiet[0]) if quiet else None

    def episode(self, state: SessionState, key: Key, who: str | None = None,
                data: Any = None, waits: bool = True) -> Episode:
        ep = super().episode(state, key, who, data, waits)
        ep.also = tuple(state.not_spoken_yet()[1:])
        return ep

    def holds(self, state: SessionState, ep: Episode) -> bool:
        return self.in_phase(state, ep) is not None and bool(
            state.unheard((ep.who, *ep.also)))


class DominantMemberRule(_PhaseTimedRule):
    """After ``after_s`` of the phase, a member other than the presenter with
    ``min_turns`` turns in it holds more than ``factor`` times a fair share of its
    airtime among the present members other than the presenter; or, at any time in the
    phase, one turn of a member reaches ``turn_s``. Once per member per case."""

    serves = DominantMemberTrigger

    def __init__(self, engine: RuleEngine, card: Card, trigger: DominantMemberTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.factor = trigger.factor
        self.min_turns = trigger.min_turns
        self.turn_s = trigger.turn_s

    def long_turn(self, state: SessionState, case: CaseState) -> str | None:
        """The member (not the presenter) whose turn in the phase has run ``turn_s``."""
        floor, since = state.floor, state.floor_since
        if (floor is None or since is None or floor in LEADERS or floor == case.presenter
                or case.phase != self.phase):
            return None
        return floor if state.now - max(since, case.phase_started_at) >= self.turn_s else None

    def _turns(self, case: CaseState, who: str) -> int:
        return (case.phase_turns.get(self.phase) or {}).get(who, 0)

    def _shares(
        self, state: SessionState, case: CaseState
    ) -> tuple[dict[str, float], list[tuple[str, float]], float, float, int]:
        """(airtime per counted member, their total, the limit, how many count)."""
        present = state.present
        presenter = case.presenter
        n = len(present) - (1 if presenter in present else 0)
        # closed airtime in this phase, plus the open turn of whoever holds the floor
        airtimes = dict(case.phase_airtime.get(self.phase) or {})
        floor = state.floor
        if floor is not None:
            airtimes[floor] = state.phase_airtime(self.phase, floor)
        counted = [(m, a) for m, a in airtimes.items() if m in present and m != presenter]
        total = sum(a for _, a in counted)
        return airtimes, counted, total, self.factor * total / max(n, 1), n

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        case = state.case
        if case is None or case.phase != self.phase:
            self.wake = ALWAYS
            return None
        spent = self.engine._spent_key
        long = self.long_turn(state, case)
        if long is not None and not spent(self.card, ("member", case.number, long)):
            return ("member", case.number, long), long
        turn_wake = self._turn_wake(state, case)
        if self.ready_case(state) is None:
            self.wake = min(self.wake, turn_wake)
            return None
        found = self._over_share(state, case)
        if found is None:
            self.wake = min(self.wake, turn_wake)
        return found

    def _turn_wake(self, state: SessionState, case: CaseState) -> float:
        """When the floor holder's turn reaches ``turn_s`` (+inf: not a member's turn)."""
        floor, since = state.floor, state.floor_since
        if floor is None or since is None or floor in LEADERS or floor == case.presenter:
            return ALWAYS
        return max(since, case.phase_started_at) + self.turn_s - EPS

    def _over_share(self, state: SessionState, case: CaseState) -> tuple[Key, str] | None:
        airtimes, counted, total, limit, n = self._shares(state, case)
        self.wake = ALWAYS
        if n < 2:
            return None
        spent = self.engine._spent_key
        if total > 0:
            for m, a in counted:
                if a > limit and self._turns(case, m) >= self.min_turns:
                    key = ("member", case.number, m)
                    if not spent(self.card, key):
                        return key, m
        # Without an event only the floor holder's share grows: a + x > f (T + x) / n
        # first holds after x = (f T / n - a) / (1 - f / n) more seconds.
        floor = state.floor
        if (floor in state.present and floor != case.presenter and n > self.factor
                and floor is not None and self._turns(case, floor) >= self.min_turns):
            gap = (limit - airtimes.get(floor, 0.0)) / (1.0 - self.factor / n)
            self.wake = state.now + max(gap - EPS, 0.0)
        return None

    def holds(self, state: SessionState, ep: Episode) -> bool:
        case = self.in_phase(state, ep)
        if case is None or ep.who not in state.present:
            return False
        if self.long_turn(state, case) == ep.who:
            return True
        _, counted, total, limit, n = self._shares(state, case)
        return (n >= 2 and total > 0 and dict(counted).get(ep.who, 0.0) > limit
                and self._turns(case, ep.who) >= self.min_turns)


class LateArrivalRule(_Rule):
    serves = LateArrivalTrigger
    events = (ev.Arrive, ev.Leave)

    def __init__(self, engine: RuleEngine, card: Card, trigger: LateArrivalTrigger) -> None:
        super().__init__(engine, card, trigger)
        template = engine.template
        self.enabled = (not trigger.template_listen) or bool(
            template is not None and template.latecomers_listen
        )
        self.leaves: dict[str, int] = {}

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        match event:
            case ev.Leave(who=who):
                self.leaves[who] = self.leaves.get(who, 0) + 1
            case ev.Arrive(who=who) if self.enabled and who in state.late:
                key = ("arrive", who, self.leaves.get(who, 0))
                self.offer(state, key, who)

    def holds(self, state: SessionState, ep: Episode) -> bool:
        # they listen in the case they arrived in; the next case counts them again
        return same_case(state, ep) and ep.who in state.present
