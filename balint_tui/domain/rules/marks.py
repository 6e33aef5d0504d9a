"""Rules raised by marks: a mark, a repeated mark, a mark nobody resolves."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from balint_tui.domain import events as ev
from balint_tui.domain.cards import Card, MarkRepeatTrigger, MarkTrigger, MarkUnresolvedTrigger
from balint_tui.domain.rules.base import ALWAYS, Episode, Key, _Rule, in_topic, same_case
from balint_tui.domain.state import SessionState

if TYPE_CHECKING:
    from balint_tui.domain.rules.engine import RuleEngine


def _scope_marks(state: SessionState) -> list[tuple[str, float]]:
    """The marks of the current case (between cases: of the session)."""
    case = state.case
    return case.marks if case is not None else state.marks


def mark_still_open(state: SessionState, ep: Episode, resolved_by: frozenset[str]) -> bool:
    """The episode's mark is still recorded in its case (not withdrawn) and no
    ``resolved_by`` mark has come after it."""
    if not same_case(state, ep):
        return False
    kind, at = ep.data
    for k, t in reversed(_scope_marks(state)):
        if k == kind and t == at:
            return True
        if k in resolved_by:
            return False
    return False


class MarkRule(_Rule):
    serves = MarkTrigger
    events = (ev.Mark,)

    def __init__(self, engine: RuleEngine, card: Card, trigger: MarkTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        template = engine.template
        self.enabled = not (
            trigger.unless_problem_solving and template is not None and template.problem_solving
        )

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        match event:
            case ev.Mark(kind=kind, who=who, at=at) if self.enabled and kind in self.marks:
                if kind == "presenter_distress" and who is None and in_topic(state):
                    return  # a topic has no presenter, and the mark names no member
                self.offer(state, ("mark", self.engine.marks_seen), who, (kind, at))

    def holds(self, state: SessionState, ep: Episode) -> bool:
        if ep.who is not None and ep.who not in state.present:
            return False
        return mark_still_open(state, ep, self.resolved_by)


class MarkRepeatRule(_Rule):
    """``count`` marks of ``marks`` within ``within_s`` in one case. With ``after_s``
    the card waits that long for a ``resolved_by`` mark after the last of them (the
    group often finds its way back); with ``once_per_case`` one card per case."""

    serves = MarkRepeatTrigger
    events = (ev.Mark, ev.Case, ev.Topic)
    timed = True  # only with ``after_s``

    def __init__(self, engine: RuleEngine, card: Card, trigger: MarkRepeatTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        self.count = trigger.count
        self.within = trigger.within_s
        self.after = trigger.after_s
        self.once = trigger.once_per_case
        self.times: deque[float] = deque()
        self.due: tuple[Key, str, float] | None = None  # (key, kind, at) waiting out after_s

    def _key(self, state: SessionState) -> Key:
        case = state.case
        if self.once and case is not None:
            return ("case", len(state.cases))
        return ("mark", self.engine.marks_seen)

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        match event:
            case ev.Case() | ev.Topic():
                self.times.clear()
                self.due = None
            case ev.Mark(kind=kind, at=at) if kind in self.marks:
                times = self.times
                times.append(at)
                while times and times[0] < at - self.within:
                    times.popleft()
                if len(times) >= self.count:
                    if self.after > 0:
                        self.due = (self._key(state), kind, at)
                    else:
                        self.offer(state, self._key(state), None, (kind, at))

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        due = self.due
        if due is None:
            self.wake = ALWAYS
            return None
        key, _, at = due
        if state.now - at < self.after:
            self.wake = at + self.after
            return None
        self.wake = ALWAYS
        ep = self.episode(state, key)
        if self.engine._spent_key(self.card, key) or not self.holds(state, ep):
            self.due = None
            return None
        return key, None

    def episode(self, state: SessionState, key: Key, who: str | None = None,
                data: Any = None, waits: bool = True) -> Episode:
        ep = super().episode(state, key, who, data, waits)
        if ep.data is None and self.due is not None and self.due[0] == key:
            ep.data = self.due[1:]  # the mark that made the repeat: (kind, at)
        return ep

    def holds(self, state: SessionState, ep: Episode) -> bool:
        return ep.data is not None and mark_still_open(state, ep, self.resolved_by)


class MarkUnresolvedRule(_Rule):
    serves = MarkUnresolvedTrigger
    events = (ev.Mark, ev.Case, ev.End)
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: MarkUnresolvedTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        self.after = trigger.after_s
        self.open_since: float | None = None
        self.drift = 0

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        match event:
            case ev.Mark(kind=kind, at=at) if kind not in self.resolved_by:
                if kind in self.marks and self.open_since is None:
                    self.open_since = at
                    self.drift += 1
            case _:  # a resolving mark, a new case, the end
                self.open_since = None

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        since = self.open_since
        if since is None:
            self.wake = ALWAYS
            return None
        if state.now - since < self.after:
            self.wake = since + self.after
            return None
        key = ("drift", self.drift)
        return None if self.engine._spent_key(self.card, key) else (key, None)

    def holds(self, state: SessionState, ep: Episode) -> bool:
        """A drift mark of the case is still open: the latest of these marks and the
        ``resolved_by`` marks is a drift mark."""
        if not same_case(state, ep):
            return False
        for kind, _ in reversed(_scope_marks(state)):  # between cases: the session's
            if kind in self.resolved_by:
                return False
            if kind in self.marks:
                return True
        return False
