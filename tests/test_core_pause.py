"""The ``pause`` event (contract v3): a break that airtime and silence leave out."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_helpers import at, make_engine
from rules_helpers import replay_rules, rules_engine

from balint_tui.domain import events as ev
from balint_tui.domain.scenario import load_scenario, parse_scenario, replay
from balint_tui.domain.state import EventRejected
from balint_tui.review.session import review_replay

HERE = Path(__file__).parent / "scenarios"


def test_a_break_between_turns_changes_no_airtime_or_silence_figure():
    plain = replay(load_scenario(HERE / "hand_worked.json")).to_json()["summary"]
    paused = replay(load_scenario(HERE / "hand_worked_pause.json")).to_json()["summary"]
    # the session clock keeps real time: the 600 s break is in the duration
    assert paused["duration_s"] == plain["duration_s"] + 600
    assert paused["members"]["Eli"]["first_spoke_at"] == plain["members"]["Eli"][
        "first_spoke_at"] + 600
    for summary in (paused, plain):
        del summary["duration_s"]
        del summary["members"]["Eli"]["first_spoke_at"]
    assert paused == plain


def _scenario(events: list[dict]) -> dict:
    return {
        "format": "balint-scenario/1",
        "group": {"name": "G", "members": ["Olu", "Ana", "Ben"]},
        "plan": {"duration_min": 90, "template": "classic"},
        "events": events,
    }


def test_a_break_ends_the_turn_under_way_and_credits_nobody():
    # Olu held the floor when the session was kept; 10 minutes later he goes on
    result = replay(parse_scenario(_scenario([
        {"at": 0, "type": "start"},
        {"at": 10, "type": "case", "who": "Ana"},
        {"at": 10, "type": "phase", "phase": "presentation"},
        {"at": 20, "type": "speak", "who": "Olu"},
        {"at": 110, "type": "pause"},
        {"at": 300, "type": "phase", "phase": "questions"},  # a break goes on through it
        {"at": 710, "type": "speak", "who": "Olu"},
        {"at": 730, "type": "end"},
    ]))).to_json()["summary"]
    assert result["members"]["Olu"] == {"turns": 2, "airtime_s": 110.0, "first_spoke_at": 20.0}
    assert result["longest_silence_s"] == 0
    assert result["duration_s"] == 730


def test_a_silence_stops_at_a_break_and_no_silence_card_surfaces_in_it():
    result = replay_rules(parse_scenario(_scenario([
        {"at": 0, "type": "start"},
        {"at": 10, "type": "case", "who": "Ana"},
        {"at": 10, "type": "phase", "phase": "questions"},
        {"at": 20, "type": "speak", "who": "Ben", "to_presenter": True},
        {"at": 40, "type": "silence"},
        {"at": 50, "type": "pause"},
        {"at": 900, "type": "silence"},  # back from the break, nobody speaks yet
        {"at": 910, "type": "speak", "who": "Ana"},
        {"at": 950, "type": "end"},
    ]))).to_json()
    assert result["summary"]["longest_silence_s"] == 10
    assert [p for p in result["prompts"] if "silence" in p["id"]] == []


def test_nothing_surfaces_during_a_break():
    engine, clock, _ = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 1, ev.Case, who="Ana")
    at(engine, clock, 1, ev.PhaseChange, phase="questions")
    at(engine, clock, 5, ev.Speak, who="Ben", to_presenter=True)
    at(engine, clock, 6, ev.Pause)
    at(engine, clock, 7, ev.Mark, kind="advice")
    for t in range(8, 400):
        clock.set(t)
        engine.tick()
    assert engine.state.visible_cards == []
    assert engine.state.silence_since is None


def test_a_card_whose_time_came_in_a_break_surfaces_when_it_ends():
    prompts = replay_rules(load_scenario(HERE / "hand_worked_pause.json")).to_json()["prompts"]
    assert not [p for p in prompts if 700 <= p["at"] < 1300]
    quiet = [p for p in prompts if p["id"] == "salinsky.producing.quiet-member"]
    assert [p["at"] for p in quiet] == [1300]


def test_a_break_is_refused_twice_and_before_start_and_can_be_undone():
    engine, clock, _ = make_engine()
    with pytest.raises(EventRejected, match="not started"):
        at(engine, clock, 0, ev.Pause)
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 5, ev.Speak, who="Ana")
    at(engine, clock, 10, ev.Pause)
    with pytest.raises(EventRejected, match="already on a break"):
        at(engine, clock, 12, ev.Pause)
    clock.set(70)
    engine.tick()
    assert engine.state.pause_length == 60
    assert engine.state.airtime("Ana") == 5
    at(engine, clock, 70, ev.Undo)
    # as if the break had never been pressed: Ana still holds the floor
    assert engine.state.paused_since is None
    assert engine.state.floor == "Ana"
    assert engine.state.airtime("Ana") == 65


def test_the_review_leaves_the_break_out_and_counts_it():
    review = review_replay(replay(load_scenario(HERE / "hand_worked_pause.json")))
    plain = review_replay(replay(load_scenario(HERE / "hand_worked.json")))
    assert review.longest_silence == plain.longest_silence == 95
    assert [s.length for s in review.silences] == [s.length for s in plain.silences]
    assert [(p.who, p.airtime) for p in review.participation] == [
        (p.who, p.airtime) for p in plain.participation]
    assert review.breaks == [(700, 600)] and plain.breaks == []
