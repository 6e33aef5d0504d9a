"""Undo in a long session (section 6): ``z`` in a 90-minute, 3,000-event session.

The generated session (``generate_scenario``, as in section 3) is replayed with every
card's rules on, up to just before its ``end``; then 20 ``undo`` events walk back, and
20 ``redo`` events give it all back, each timed on its own (``Engine.process``: the
withdrawal, the rebuild of state and rules from the nearest checkpoint, the fold of
the events after it); then turns are added until a checkpoint has just been taken and
one more undo is timed (the worst ``z``: its checkpoint is dropped and the rebuild
starts one further back). Repeated on fresh replays. Also timed: a rebuild from the very
start (what an undo would cost without checkpoints, or one reaching further back
than the kept checkpoints), for comparison.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.stats import percentile, summary_ms

STEPS = 20


def measure(minutes: int = 90, events: int = 3000, repeats: int = 5) -> dict[str, Any]:
    from balint_tui.domain import events as ev
    from balint_tui.domain.engine import CHECKPOINT_EVERY
    from balint_tui.domain.history import history_facts
    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.scenario import parse_scenario, replay
    from balint_tui.domain.settings import Thresholds
    from balint_tui.domain.simulate import generate_scenario
    from balint_tui.store.card_files import load_cards

    data = generate_scenario(minutes=minutes, events=events)
    data["events"] = data["events"][:-1]  # up to just before the end: undo still applies
    scenario = parse_scenario(data)
    cards, thresholds = load_cards(), Thresholds()

    def rules_factory(sc: Any, state: Any) -> Any:
        facts = history_facts(list(sc.group.members), list(sc.history))
        return build_rules(cards, thresholds, facts, state.plan.template)

    undo: list[float] = []
    redo: list[float] = []
    across: list[float] = []
    refold: list[float] = []
    log = 0
    for _ in range(repeats):
        engine = replay(scenario, rules_factory=rules_factory).engine
        log = len(engine.log)
        at = engine.state.now
        for kind, into in ((ev.Undo, undo), (ev.Redo, redo)):
            for _step in range(STEPS):
                at += 0.5
                event = kind(at=at)
                started = time.perf_counter()
                engine.process(event)
                into.append(time.perf_counter() - started)
        # the worst z: the event it withdraws came just before a checkpoint, which is
        # then dropped, so the rebuild starts one checkpoint further back
        members = list(engine.state.present)
        while engine._checkpoints[-1][0] != len(engine.log):
            at += 0.5
            engine.process(ev.Speak(at=at, who=members[len(engine.log) % len(members)]))
        at += 0.5
        started = time.perf_counter()
        engine.process(ev.Undo(at=at))
        across.append(time.perf_counter() - started)
        started = time.perf_counter()
        engine._refold(0)
        refold.append(time.perf_counter() - started)
    both = undo + redo + across
    return {
        "minutes": minutes,
        "events": len(scenario.events),
        "events_in_log": log,
        "repeats": repeats,
        "steps": STEPS,
        "checkpoint_every": CHECKPOINT_EVERY,
        "undo": summary_ms(undo),
        "redo": summary_ms(redo),
        "undo_across_checkpoint": summary_ms(across),
        "median_ms": round(statistics.median(both) * 1000, 2),
        "p99_ms": round(percentile([t * 1000 for t in both], 99), 2),
        "max_ms": round(max(both) * 1000, 2),
        "refold_from_start": summary_ms(refold),
    }
