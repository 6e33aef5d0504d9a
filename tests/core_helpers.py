"""Small builders shared by the core tests."""

from __future__ import annotations

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.engine import Engine
from balint_tui.domain.model import SessionPlan, builtin_templates
from balint_tui.domain.state import EventRejected, SessionState

MEMBERS = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"]


class ListSink:
    def __init__(self) -> None:
        self.events: list[ev.AnyEvent] = []

    def append(self, event: ev.AnyEvent) -> None:
        self.events.append(event)


def make_engine(duration_min: int = 60, template: str = "classic", members=MEMBERS):
    plan = SessionPlan(duration_min=duration_min, template=builtin_templates()[template])
    state = SessionState(plan, list(members))
    clock = ManualClock()
    sink = ListSink()
    return Engine(state, clock, sink=sink), clock, sink


def at(engine: Engine, clock: ManualClock, t: float, event_type, /, **fields):
    clock.set(t)
    return engine.record(event_type, **fields)


def play_step(engine: Engine, clock: ManualClock, t: float, kind, fields) -> None:
    """One generated step at ``t``: a tick (``kind == "tick"``) or an event of ``kind``,
    which the state may refuse (the property tests try anything)."""
    clock.set(t)
    if kind == "tick":
        engine.tick()
        return
    try:
        engine.record(kind, **fields)
    except EventRejected:
        pass


__all__ = ["MEMBERS", "ListSink", "at", "ev", "make_engine", "play_step"]
