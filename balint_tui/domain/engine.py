"""The session engine: the one path every event takes, live or replayed.

``Engine.record(...)`` stamps an event with the session clock, hands it to the sink (the
journal: durable before the call returns), folds it into the state and lets the rules
react; prompt actions the rules produce take the same path. ``Engine.tick()`` moves the
state's clock and evaluates the time-based rules.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from balint_tui.domain import events as ev
from balint_tui.domain.clock import Clock
from balint_tui.domain.state import EventRejected, SessionState


class EventSink(Protocol):
    def append(self, event: ev.AnyEvent) -> None:
        """Make the event durable; raise if it could not be."""
        ...


class Rules(Protocol):
    """Turns state and events into prompt actions (see balint_tui.domain.rules)."""

    def after_event(self, state: SessionState, event: ev.AnyEvent) -> list[ev.PromptAction]: ...

    def on_tick(self, state: SessionState) -> list[ev.PromptAction]: ...

    def observe(self, state: SessionState, event: ev.AnyEvent) -> None:
        """Catch up with an event replayed from the journal (resume); surface nothing."""
        ...


class NoRules:
    def after_event(self, state: SessionState, event: ev.AnyEvent) -> list[ev.PromptAction]:
        return []

    def on_tick(self, state: SessionState) -> list[ev.PromptAction]:
        return []

    def observe(self, state: SessionState, event: ev.AnyEvent) -> None:
        return None


class Engine:
    def __init__(
        self,
        state: SessionState,
        clock: Clock,
        sink: EventSink | None = None,
        rules: Rules | None = None,
    ) -> None:
        self.state = state
        self.clock = clock
        self.sink = sink
        self.rules: Rules = rules or NoRules()
        self.listeners: list[Callable[[ev.AnyEvent], None]] = []

    def now(self) -> float:
        return max(self.clock.now(), self.state.now)

    def record(self, event_type: type[Any], /, **fields: Any) -> ev.AnyEvent:
        """Build an event at the clock's time and process it. Raises EventRejected."""
        event = event_type(at=round(self.now(), 3), **fields)
        self.process(event)
        return event

    def process(self, event: ev.AnyEvent) -> None:
        """Validate against the state, persist, fold, then run the rules."""
        self.state.check(event)
        if self.sink is not None:
            self.sink.append(event)
        self._fold(event)
        for action in self.rules.after_event(self.state, event):
            self._emit(action)

    def replay(self, event: ev.AnyEvent) -> None:
        """Fold an event already on disk (resume): no sink; the rules catch up silently,
        so an episode that already surfaced its card does not surface it again."""
        self.state.apply(event)
        self.rules.observe(self.state, event)

    def tick(self, now: float | None = None) -> list[ev.PromptAction]:
        """Advance the state to ``now`` (default: the clock) and run time-based rules."""
        self.state.advance(self.now() if now is None else now)
        actions = self.rules.on_tick(self.state)
        for action in actions:
            self._emit(action)
        return actions

    def _emit(self, action: ev.PromptAction) -> None:
        if self.sink is not None:
            self.sink.append(action)
        self._fold(action)
        # the rules see their own actions (to track visibility and cool-downs)
        for follow in self.rules.after_event(self.state, action):
            self._emit(follow)

    def _fold(self, event: ev.AnyEvent) -> None:
        self.state.apply(event)
        for listener in self.listeners:
            listener(event)


__all__ = ["Engine", "EventRejected", "EventSink", "NoRules", "Rules"]
