"""The engine on its own (section 3): a 90-minute, 3,000-event scenario replayed with
every prompt rule on, as ``balint-tui replay`` runs it (one tick per simulated second).

The whole replay is timed (the scenario parsed and the card library loaded beforehand,
as they are once per run); a second, instrumented replay times every rules tick.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.stats import percentile


class _TimedRules:
    """Wraps the rules engine; times each ``on_tick``."""

    def __init__(self, rules: Any, into: list[float]) -> None:
        self.rules = rules
        self.into = into

    def after_event(self, state: Any, event: Any) -> Any:
        return self.rules.after_event(state, event)

    def observe(self, state: Any, event: Any) -> None:
        self.rules.observe(state, event)

    def on_tick(self, state: Any) -> Any:
        started = time.perf_counter()
        out = self.rules.on_tick(state)
        self.into.append(time.perf_counter() - started)
        return out


def measure(minutes: int = 90, events: int = 3000, repeats: int = 5) -> dict[str, Any]:
    from balint_tui.domain.history import history_facts
    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.scenario import parse_scenario, replay
    from balint_tui.domain.settings import Thresholds
    from balint_tui.domain.simulate import generate_scenario
    from balint_tui.store.card_files import load_cards

    started = time.perf_counter()
    scenario = parse_scenario(generate_scenario(minutes=minutes, events=events))
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    cards, thresholds = load_cards(), Thresholds()
    loaded = time.perf_counter() - started
    ticks: list[float] = []

    def factory(timed: bool):
        def rules_factory(sc: Any, state: Any) -> Any:
            facts = history_facts(list(sc.group.members), list(sc.history))
            rules = build_rules(cards, thresholds, facts, state.plan.template)
            return _TimedRules(rules, ticks) if timed else rules

        return rules_factory

    runs: list[float] = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = replay(scenario, rules_factory=factory(False))
        runs.append(time.perf_counter() - started)
    replay(scenario, rules_factory=factory(True))
    assert result is not None
    best = statistics.median(runs)
    tick_us = [t * 1e6 for t in ticks]
    return {
        "minutes": minutes,
        "events": len(scenario.events),
        "events_with_prompts": len(result.events),
        "prompts_surfaced": len(result.prompts),
        "cards": len(cards),
        "repeats": repeats,
        "replay_median_s": round(best, 4),
        "replay_max_s": round(max(runs), 4),
        "events_per_s": round(len(scenario.events) / best),
        "scenario_parse_s": round(parsed, 4),
        "card_library_load_s": round(loaded, 4),
        "ticks": len(ticks),
        "tick_median_us": round(statistics.median(tick_us), 1),
        "tick_p99_us": round(percentile(tick_us, 99), 1),
        "tick_max_us": round(max(tick_us), 1),
    }
