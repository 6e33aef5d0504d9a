"""Timekeeping rules: a case past its share, talk fading before the end, full flow at it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from balint_tui.domain.cards import Card, CaseOverrunTrigger, FullFlowTrigger, PeteringOutTrigger
from balint_tui.domain.rules.base import ALWAYS, Episode, Key, _Rule, same_case
from balint_tui.domain.state import CaseState, SessionState

if TYPE_CHECKING:
    from balint_tui.domain.rules.engine import RuleEngine


class CaseOverrunRule(_Rule):
    serves = CaseOverrunTrigger
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: CaseOverrunTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.grace = trigger.grace_s
        self._for: tuple[int, float] | None = None  # (case number, planned end) cached
        self._until = 0.0  # when the case's share ends, +grace; inf for the last case

    def limit(self, state: SessionState, case: CaseState) -> float:
        until = case.started_at + state.case_planned(case)
        # the last planned case: its share runs to the planned end (not an overrun)
        last = until >= state.planned_end - 1e-6
        return float("inf") if last else until + self.grace

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        case = state.case
        if case is None:
            self.wake = ALWAYS
            return None
        if self._for != (case.number, state.planned_end):
            self._for = (case.number, state.planned_end)
            self._until = self.limit(state, case)
        if state.now <= self._until:
            self.wake = self._until
            return None
        key = ("case", case.number)
        return None if self.engine._spent_key(self.card, key) else (key, None)

    def holds(self, state: SessionState, ep: Episode) -> bool:
        case = state.case
        return same_case(state, ep) and case is not None and state.now > self.limit(state, case)


class PeteringOutRule(_Rule):
    serves = PeteringOutTrigger
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: PeteringOutTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.t = trigger
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None

    def quiet(self, state: SessionState) -> bool:
        t = self.t
        if self.phases is not None and state.phase not in self.phases:
            return False
        if state.silence_since is not None and state.now - state.silence_since >= t.silence_s:
            return True
        if state.floor is not None or state.paused_since is not None or t.max_turns < 0:
            return False  # somebody is speaking now, or a break: not quiet
        since = state.now - t.window_s
        return since >= (state.started_at or 0.0) and state.turns_since(since) <= t.max_turns

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        t = self.t
        remaining = state.remaining
        if remaining <= 0:
            self.wake = ALWAYS  # only an extend can open a new window
            return None
        if remaining > t.remaining_s:
            self.wake = state.planned_end - t.remaining_s
            return None
        key = ("end", state.planned_end)
        if self.engine._spent_key(self.card, key):
            return None
        return (key, None) if self.quiet(state) else None

    def holds(self, state: SessionState, ep: Episode) -> bool:
        return (
            ep.key[1] == state.planned_end
            and 0 < state.remaining <= self.t.remaining_s
            and self.quiet(state)
        )


class FullFlowRule(_Rule):
    serves = FullFlowTrigger
    timed = True
    observes = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: FullFlowTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.recent = trigger.recent_s
        self.judged_end: float | None = None
        self.flowing = False

    def spoke_recently(self, state: SessionState) -> bool:
        if state.floor is not None:
            return True
        last = state.last_turn_end
        return last is not None and state.now - last <= self.recent

    def observe(self, state: SessionState) -> None:
        end = state.planned_end
        if state.now < end:
            return
        if self.judged_end != end:
            self.judged_end = end
            self.flowing = self.spoke_recently(state)
        elif self.flowing and not self.spoke_recently(state):
            self.flowing = False

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        if not self.flowing or self.judged_end != state.planned_end:
            return None
        key = ("end", self.judged_end)
        return None if self.engine._spent_key(self.card, key) else (key, None)

    def holds(self, state: SessionState, ep: Episode) -> bool:
        return (
            ep.key[1] == state.planned_end
            and state.now >= state.planned_end
            and self.spoke_recently(state)
        )
