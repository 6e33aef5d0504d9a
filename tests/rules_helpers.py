"""Builders shared by the rules tests."""

from __future__ import annotations

from pathlib import Path

from core_helpers import MEMBERS, ListSink

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.engine import Engine
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.model import SessionPlan, builtin_templates
from balint_tui.domain.rules import RuleEngine, build_rules
from balint_tui.domain.scenario import ReplayResult, load_scenario, parse_scenario, replay
from balint_tui.domain.settings import Thresholds
from balint_tui.domain.state import QueueEntry, SessionState
from balint_tui.store.card_files import load_cards

SCENARIOS = Path(__file__).parent / "scenarios" / "rules"


def rules_engine(
    template: str = "classic",
    duration_min: int = 60,
    members=MEMBERS,
    thresholds: Thresholds | None = None,
    facts: HistoryFacts | None = None,
    queue: list[QueueEntry] | None = None,
    cards=None,
) -> tuple[Engine, ManualClock, ListSink]:
    tpl = builtin_templates()[template]
    state = SessionState(SessionPlan(duration_min=duration_min, template=tpl), list(members),
                         queue=queue)
    rules = build_rules(cards if cards is not None else load_cards(), thresholds, facts, tpl)
    clock = ManualClock()
    sink = ListSink()
    return Engine(state, clock, sink=sink, rules=rules), clock, sink


def run_until(engine: Engine, clock: ManualClock, t: float) -> None:
    """Tick once per second up to and including ``t`` (like a replay)."""
    now = clock.now()
    step = float(int(now)) + 1.0
    while step <= t:
        clock.set(step)
        engine.tick()
        step += 1.0
    if clock.now() < t:
        clock.set(t)
        engine.tick()


def at(engine: Engine, clock: ManualClock, t: float, event_type, /, **fields):
    """Tick up to ``t``, then record the event at ``t`` and tick (like a replay)."""
    run_until(engine, clock, t)
    clock.set(t)
    event = engine.record(event_type, **fields)
    engine.tick(t)
    return event


def surfaced(sink: ListSink, card_id: str | None = None) -> list[tuple[float, str, str | None]]:
    return [
        (e.at, e.id, e.who) for e in sink.events
        if isinstance(e, ev.PromptAction) and e.action == "surfaced"
        and (card_id is None or e.id == card_id)
    ]


def replay_rules(scenario, thresholds: Thresholds | None = None, cards=None) -> ReplayResult:
    """Replay a scenario (path, dict or Scenario) with every card and rule on."""
    from balint_tui.domain.history import history_facts

    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(Path(scenario))
    elif isinstance(scenario, dict):
        scenario = parse_scenario(scenario)
    library = cards if cards is not None else load_cards()

    def factory(sc, state) -> RuleEngine:
        facts = history_facts(list(sc.group.members), list(sc.history))
        return build_rules(library, thresholds, facts, state.plan.template)

    return replay(scenario, rules_factory=factory)


def prompt_times(result: ReplayResult, card_id: str) -> list[float]:
    return [p["at"] for p in result.prompts if p["id"] == card_id]
