"""Endurance: a simulated 8-hour workshop day, five groups back to back, 20,000 events
(``domain.simulate``) through ``LiveSession`` with the prompt rules on, the journal and
the store, a tick every simulated second. Memory stays flat from one session to the
next, and the work per event does not grow: not over the day, not within a session.

Work is counted, not timed: Python lines executed (``sys.settrace``) over windows of
events, which is deterministic. fsync is skipped here (durability is proven by the crash
test); everything else is the real path.
"""

from __future__ import annotations

import gc
import os
import sys
import tracemalloc

import pytest
from hardening_helpers import rules_factory

from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, SessionPlan
from balint_tui.domain.scenario import parse_scenario, resolve_template
from balint_tui.domain.simulate import generate_scenario
from balint_tui.store.store import Store

GROUPS = 5
MINUTES = 96  # 5 x 96 min = 8 hours
EVENTS = 4000  # per session: 20,000 in the day
WINDOW = 250  # events counted at the start and at the end of each session
MEMORY_SLACK = 1_000_000  # bytes the day may keep beyond the first session (index rows...)


class LineCounter:
    """Counts Python lines executed (``sys.settrace``): a loop over the session's history
    would show as lines run per event growing with the history."""

    def __init__(self) -> None:
        self.lines = 0

    def __call__(self, frame, event, arg):
        self.lines += 1
        return self


def _run_session(store: Store, index: int) -> tuple[int, int]:
    """One group's session; returns calls per event in its first and last windows."""
    data = generate_scenario(minutes=MINUTES, events=EVENTS, members=10, cases=2, seed=7,
                             template="classic", history=False)
    scenario = parse_scenario(data)
    ids = {name: f"m{i}" for i, name in enumerate(scenario.group.members)}
    group = Group(id=f"g{index}", name=f"Group {index}",
                  members=[Member(id=i, name=n) for n, i in ids.items()])
    store.save_group(group)
    plan = SessionPlan(duration_min=MINUTES, template=resolve_template(scenario.plan.template))
    clock = ManualClock()
    start, *rest = scenario.events
    present = [ids[p] for p in start.present] if start.present else list(ids.values())
    live = LiveSession.start(store, group, plan, present, clock=clock,
                             rules_factory=rules_factory())
    counts = []
    counter = LineCounter()
    windows = {1: "first", len(rest) - WINDOW: "last"}
    next_tick = 1.0
    for n, event in enumerate(rest, start=1):
        if n in windows:
            counter.lines = 0
            sys.settrace(counter)
        while next_tick < event.at:  # the screen ticks once a second
            clock.set(next_tick)
            live.tick()
            next_tick += 1.0
        clock.set(max(clock.now(), event.at))
        fields = event.model_dump(exclude={"at", "type"}, exclude_defaults=True)
        if "who" in fields and fields["who"] in ids:
            fields["who"] = ids[fields["who"]]
        live.record(type(event), **fields)
        if n - WINDOW in windows:
            sys.settrace(None)
            counts.append(counter.lines // WINDOW)
    sys.settrace(None)
    assert live.state.ended and live.pending == 0
    assert sum(1 for e in live.events if e.type != "prompt") == EVENTS
    live.finish()
    return counts[0], counts[1]


@pytest.mark.slow
def test_an_eight_hour_day_runs_with_flat_memory_and_no_slowdown(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    gc.collect()
    tracemalloc.start()
    memory, work = [], []
    try:
        with Store.open(tmp_path / "data") as store:
            for index in range(GROUPS):
                work.append(_run_session(store, index))
                gc.collect()
                memory.append(tracemalloc.get_traced_memory()[0])
            assert len(store.sessions()) == GROUPS
    finally:
        tracemalloc.stop()
    growth = memory[-1] - memory[0]
    assert growth < MEMORY_SLACK, (memory, growth)
    first_session, last_session = work[0], work[-1]
    # same stream each session: the last one costs what the first one did
    assert last_session[0] <= first_session[0] * 1.2 + 50, work
    assert last_session[1] <= first_session[1] * 1.2 + 50, work
    for early, late in work:  # within a session, the end costs about what the start did
        assert late <= early * 2.5 + 50, work
