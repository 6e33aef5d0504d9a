"""Rules raised by marks: a mark, a repeated mark, a mark nobody resolves."""

from __future__ import annotations

from collections import deque

from balint_tui.domain.cards import MarkRepeatTrigger, MarkTrigger, MarkUnresolvedTrigger
from balint_tui.domain.rules.base import ALWAYS, Episode, _Rule, in_topic, same_case
from balint_tui.domain.state import SessionState


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
    events = ("mark",)

    def __init__(self, engine, card, trigger: MarkTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        template = engine.template
        self.enabled = not (
            trigger.unless_problem_solving and template is not None and template.problem_solving
        )

    def on_event(self, state, event):
        if self.enabled and event.kind in self.marks:
            if event.kind == "presenter_distress" and event.who is None and in_topic(state):
                return  # a topic has no presenter, and the mark names no member
            self.offer(state, ("mark", self.engine.marks_seen), event.who, (event.kind, event.at))

    def holds(self, state, ep):
        if ep.who is not None and ep.who not in state.present:
            return False
        return mark_still_open(state, ep, self.resolved_by)


class MarkRepeatRule(_Rule):
    events = ("mark", "case")

    def __init__(self, engine, card, trigger: MarkRepeatTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        self.count = trigger.count
        self.within = trigger.within_s
        self.times: deque[float] = deque()

    def on_event(self, state, event):
        if event.type == "case":
            self.times.clear()
            return
        if event.kind not in self.marks:
            return
        times = self.times
        times.append(event.at)
        while times and times[0] < event.at - self.within:
            times.popleft()
        if len(times) >= self.count:
            self.offer(state, ("mark", self.engine.marks_seen), None, (event.kind, event.at))

    def holds(self, state, ep):
        return mark_still_open(state, ep, self.resolved_by)


class MarkUnresolvedRule(_Rule):
    events = ("mark", "case", "end")
    timed = True

    def __init__(self, engine, card, trigger: MarkUnresolvedTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        self.after = trigger.after_s
        self.open_since: float | None = None
        self.drift = 0

    def on_event(self, state, event):
        if event.type != "mark" or event.kind in self.resolved_by:
            self.open_since = None
        elif event.kind in self.marks and self.open_since is None:
            self.open_since = event.at
            self.drift += 1

    def current(self, state):
        since = self.open_since
        if since is None:
            self.wake = ALWAYS
            return None
        if state.now - since < self.after:
            self.wake = since + self.after
            return None
        key = ("drift", self.drift)
        return None if self.engine._spent_key(self.card, key) else (key, None)

    def holds(self, state, ep):
        """A drift mark of the case is still open: the latest of these marks and the
        ``resolved_by`` marks is a drift mark."""
        if not same_case(state, ep) or state.case is None:
            return False
        for kind, _ in reversed(state.case.marks):
            if kind in self.resolved_by:
                return False
            if kind in self.marks:
                return True
        return False
