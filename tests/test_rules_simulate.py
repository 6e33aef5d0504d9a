"""The synthetic-session generator (reused by benchmarks) gives valid, replayable scenarios."""

from __future__ import annotations

import pytest

from balint_tui.application.replay import replay_scenario
from balint_tui.domain.scenario import parse_scenario
from balint_tui.domain.simulate import generate_scenario


def test_default_is_a_90_minute_3000_event_scenario():
    data = generate_scenario()
    assert len(data["events"]) == 3000
    assert data["plan"]["duration_min"] == 90
    scenario = parse_scenario(data)
    result = replay_scenario(scenario)
    assert result.state.ended
    assert result.to_json()["summary"]["duration_s"] == 5400.0
    assert result.prompts  # the rules ran
    times = [p["at"] for p in result.prompts]
    assert times == sorted(times)


def test_same_seed_same_scenario_and_sizes_are_exact():
    assert generate_scenario(seed=3) == generate_scenario(seed=3)
    assert generate_scenario(seed=3) != generate_scenario(seed=4)
    for events in (40, 500, 10_000):
        data = generate_scenario(minutes=60, events=events, template="classic", seed=events)
        assert len(data["events"]) == events
        replay_scenario(parse_scenario(data))


def test_too_few_events_is_refused():
    with pytest.raises(ValueError):
        generate_scenario(events=10)
