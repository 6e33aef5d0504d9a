"""The session engine: the one path every event takes, live or replayed.

``Engine.record(...)`` stamps an event with the session clock, hands it to the sink (the
journal: durable before the call returns), folds it into the state and lets the rules
react; prompt actions the rules produce take the same path. ``Engine.tick()`` moves the
state's clock and evaluates the time-based rules.

Undo. An ordinary event is folded in O(1). An ``undo`` (or ``redo``) changes which
earlier events count (``balint_tui.domain.withdrawal``): the state and the rules are
rebuilt from the latest checkpoint before the event it withdraws (or gives back),
folding the effective events after it as a resume does (the rules catch up silently).
A checkpoint is a copy of the state and the rules (``snapshots``), taken every
``CHECKPOINT_EVERY`` events (the last ``CHECKPOINTS`` are kept, and the one before the
first event), so an undo costs a restore and at most a few hundred folds, whatever the
session's length; one that reaches further back than the kept checkpoints refolds
from the start.
The state object is rebuilt in place: whoever holds it sees the new state. Then the
rules answer the correction at once (``after_event``): a card whose cause was withdrawn
leaves, and one whose cause is back (a ``redo``, or the undo of what had ended it)
surfaces again (``RuleEngine._revive``).
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, Protocol

from balint_tui.domain import events as ev
from balint_tui.domain.clock import Clock
from balint_tui.domain.snapshots import Snapshots
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.domain.withdrawal import CORRECTIONS, Withdrawals, key_group, key_group_ahead

CHECKPOINT_EVERY = 256
CHECKPOINTS = 6  # besides the one before the first event


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
        # every event processed, withdrawn or not (the raw list), and which count
        self.log: list[ev.AnyEvent] = []
        self.withdrawals = Withdrawals()
        # (events folded, state copy, rules copy): before the first event, then every
        # CHECKPOINT_EVERY events; indices ascending
        self._snapshots = Snapshots()
        self._checkpoints: list[tuple[int, Any]] = []
        self._checkpoint(0)

    def now(self) -> float:
        return max(self.clock.now(), self.state.now)

    def record(self, event_type: type[ev.AnyEvent], /, **fields: Any) -> ev.AnyEvent:
        """Build an event at the clock's time and process it. Raises EventRejected."""
        event = event_type(at=round(self.now(), 3), **fields)
        self.process(event)
        return event

    def record_group(
        self, items: list[tuple[type[ev.AnyEvent], dict[str, Any]]]
    ) -> list[ev.AnyEvent]:
        """Record what one key records (``withdrawal.key_group``): the events, in order,
        all at one time. Each is checked against the state the previous ones made; a
        rejection stops there (raises EventRejected; the earlier ones stay recorded)."""
        at = round(self.now(), 3)
        out: list[ev.AnyEvent] = []
        for event_type, fields in items:
            event = event_type(at=at, **fields)
            self.process(event)
            out.append(event)
        return out

    def process(self, event: ev.AnyEvent) -> None:
        """Check against the state (once: the fold that follows does not check again),
        persist, fold, then run the rules."""
        self.state.check(event)
        self.withdrawals.check(event)
        if self.sink is not None:
            self.sink.append(event)
        if isinstance(event, CORRECTIONS):
            self._correct(event)
            for listener in self.listeners:
                listener(event)
            # the rules answer at once: a card whose cause was withdrawn leaves, one
            # whose cause came back returns (a resume's ``replay`` surfaces nothing)
            for action in self.rules.after_event(self.state, event):
                self._emit(action)
            self._maybe_checkpoint()
            return
        self._fold(event)
        for action in self.rules.after_event(self.state, event):
            self._emit(action)
        self._maybe_checkpoint()

    def replay(self, event: ev.AnyEvent) -> None:
        """Fold an event already on disk (resume): no sink; the rules catch up silently,
        so an episode that already surfaced its card does not surface it again."""
        if isinstance(event, CORRECTIONS):
            self.state.check(event)
            self.withdrawals.check(event)
            self._correct(event)
            return
        self.state.apply(event)
        self.rules.observe(self.state, event)
        self._logged(event)
        self._maybe_checkpoint()

    def attach_rules(self, rules: Rules) -> None:
        """Give the engine other rules (built on a state before any event) and bring
        them up to date with every event so far, silently, as on resume."""
        state0, _ = self._snapshots.restore(self._checkpoints[0][1])
        self._checkpoints = [(0, self._snapshots.take(state0, rules))]
        self._refold(0)

    # ------------------------------------------------------------ undo
    def undoable(self) -> list[ev.AnyEvent]:
        """What ``z`` would withdraw: the events the last key recorded (oldest first)."""
        stack = self.withdrawals.stack
        tail = [self.log[i] for i in stack[-3:]]
        return tail[len(tail) - key_group(tail):]

    def redoable(self) -> list[ev.AnyEvent]:
        """What ``Z`` would give back: the events one key recorded (in order)."""
        pending = [self.log[i] for i in reversed(self.withdrawals.redo[-3:])]
        return pending[:key_group_ahead(pending)]

    def _correct(self, event: ev.Undo | ev.Redo) -> None:
        """Fold a checked ``undo`` or ``redo``: rebuild from before what it touches."""
        target = self.withdrawals.take(event)
        self.log.append(event)
        assert target is not None
        # a checkpoint taken after the target folded the old answer: drop it
        self._checkpoints = [c for c in self._checkpoints if c[0] <= target]
        self._refold(target)

    def _refold(self, target: int) -> None:
        """Rebuild state and rules from the last checkpoint at or before ``target``,
        folding the effective events from there to the end of the log."""
        now = self.state.now  # ticks may have moved it past the last event: keep that
        starts = [c[0] for c in self._checkpoints]
        at, snapshot = self._checkpoints[bisect_right(starts, target) - 1]
        fresh, rules = self._snapshots.restore(snapshot)
        self.state.__dict__.clear()
        self.state.__dict__.update(fresh.__dict__)
        if rules is not None:
            self.rules = rules
        state, rules, withdrawn, log = self.state, self.rules, self.withdrawals.withdrawn, self.log
        # full collections wait until the rebuild is over (it makes many objects at once)
        paused = gc.isenabled()
        gc.disable()
        try:
            for index in range(at, len(log)):
                if index not in withdrawn:
                    event = log[index]
                    state.apply(event)
                    rules.observe(state, event)
                if index + 1 - self._checkpoints[-1][0] >= CHECKPOINT_EVERY:
                    self._checkpoint(index + 1)
        finally:
            if paused:
                gc.enable()
        state.advance(now)

    def _logged(self, event: ev.AnyEvent) -> None:
        self.withdrawals.take(event)
        self.log.append(event)

    def _maybe_checkpoint(self) -> None:
        """A checkpoint once CHECKPOINT_EVERY events have come since the last: called
        when the rules have seen every event logged (the end of ``process``)."""
        if len(self.log) - self._checkpoints[-1][0] >= CHECKPOINT_EVERY:
            self._checkpoint(len(self.log))

    def _checkpoint(self, count: int) -> None:
        self._checkpoints.append((count, self._snapshots.take(self.state, self.rules)))
        if len(self._checkpoints) > CHECKPOINTS + 1:
            del self._checkpoints[1]

    def tick(self, now: float | None = None) -> list[ev.PromptAction]:
        """Advance the state to ``now`` (default: the clock) and run time-based rules."""
        self.state.advance(self.now() if now is None else now)
        actions = self.rules.on_tick(self.state)
        for action in actions:
            self._emit(action)
        if actions:
            self._maybe_checkpoint()
        return actions

    def _emit(self, action: ev.PromptAction) -> None:
        self.state.check(action)
        if self.sink is not None:
            self.sink.append(action)
        self._fold(action)
        # the rules see their own actions (to track visibility and cool-downs)
        for follow in self.rules.after_event(self.state, action):
            self._emit(follow)

    def _fold(self, event: ev.AnyEvent) -> None:
        """Fold a checked event in, log it and tell the listeners."""
        self.state.fold(event)
        self._logged(event)
        for listener in self.listeners:
            listener(event)


__all__ = ["Engine", "EventRejected", "EventSink", "NoRules", "Rules"]
