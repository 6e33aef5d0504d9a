"""A card's life never harms another's (issue 21, item 4; CONTRACT.md section 4, its last
paragraph): a card that could not surface for want of a place waits and surfaces when a
place frees while its condition still holds, and a card that leaves never ends the
episode of the card that takes its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rules_helpers import at, replay_rules, rules_engine, run_until, surfaced

from balint_tui.domain import events as ev
from balint_tui.domain.history import history_facts
from balint_tui.domain.model import PastSession
from balint_tui.domain.settings import Thresholds

SCENARIOS = Path(__file__).parent / "scenarios"
START = SCENARIOS / "start_cards_wait.json"
VULNERABLE = "difficulties.vulnerable-member"
FOLLOW_UPS = "salinsky.case-selection.follow-ups"


def entries(result, card_id):
    return [p for p in result.prompts if p["id"] == card_id]


@pytest.mark.parametrize("places", [
    Thresholds(),
    Thresholds(max_visible=2, off=("difficulties.absent-member",)),
], ids=["three places", "two places"])
def test_start_cards_that_wait_for_a_place_surface_when_one_frees(places):
    """More start cards than places (two new members, a carried-over case, last
    session's presenter, a member long away), the session begun at 0.4 s as a live one
    is: those that found no place surface when the first ones leave at 3 minutes,
    before the case starts (at 300 s). Before: they waited at most ``wait_s`` (180 s,
    as long as the cards ahead of them stay), and at the tick after 180.4 s they had
    given up: follow-ups and Fay's card never showed."""
    result = replay_rules(START, thresholds=places)
    follow = entries(result, FOLLOW_UPS)
    assert [p["member"] for p in follow] == ["Ben"]
    assert follow[0]["at"] < 300
    vulnerable = entries(result, VULNERABLE)
    assert [p["member"] for p in vulnerable] == ["Eli", "Fay"]
    assert vulnerable[1]["at"] == vulnerable[0]["until"] == 181.0
    assert vulnerable[1]["ended"] == "expired"


def test_the_replay_at_of_a_waiting_card_is_when_it_surfaces():
    result = replay_rules(START)
    fay = next(p for p in entries(result, VULNERABLE) if p["member"] == "Fay")
    eli = next(p for p in entries(result, VULNERABLE) if p["member"] == "Eli")
    assert eli["at"] == 0.4 and eli["until"] == 181.0 and eli["ended"] == "expired"
    assert fay["at"] == 181.0  # when it became visible, not when it began to wait
    assert fay["until"] == 361.0 and fay["ended"] == "expired"


def new_members_engine():
    facts = history_facts(
        ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"],
        [PastSession(date="2026-11-10", attended=["Ana", "Ben", "Chloe", "Dev"])],
    )
    return rules_engine(facts=facts)


def test_a_member_card_that_expires_does_not_end_the_next_members_card():
    """Eli's card expires at 180 and Fay's takes its place in the same second: Fay's
    card stays its own 3 minutes. Before: the engine took Eli's leaving as the end of
    the card's episode, by then Fay's, and her card left as resolved at 181."""
    engine, clock, sink = new_members_engine()
    at(engine, clock, 0, ev.Start)
    assert surfaced(sink, VULNERABLE) == [(0.0, VULNERABLE, "Eli")]
    run_until(engine, clock, 359)
    assert surfaced(sink, VULNERABLE)[1:] == [(180.0, VULNERABLE, "Fay")]
    assert [(c.id, c.who) for c in engine.state.visible_cards] == [(VULNERABLE, "Fay")]
    run_until(engine, clock, 360)
    left = [(e.at, e.who, e.action) for e in sink.events
            if e.type == "prompt" and e.id == VULNERABLE and e.action != "surfaced"]
    assert left == [(180.0, "Eli", "expired"), (360.0, "Fay", "expired")]


def test_a_dismissed_member_card_leaves_the_next_members_card_its_episode():
    engine, clock, sink = new_members_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 20, ev.PromptAction, id=VULNERABLE, action="acted", who="Eli")
    assert surfaced(sink, VULNERABLE)[-1] == (20.0, VULNERABLE, "Fay")
    run_until(engine, clock, 100)
    assert [(c.id, c.who) for c in engine.state.visible_cards] == [(VULNERABLE, "Fay")]
    at(engine, clock, 120, ev.Leave, who="Fay")  # her condition ends: now it leaves
    assert engine.state.visible_cards == []


def test_a_resumed_engine_keeps_the_episode_of_the_card_that_took_a_place():
    from balint_tui.domain.clock import ManualClock
    from balint_tui.domain.engine import Engine

    engine, clock, sink = new_members_engine()
    at(engine, clock, 0, ev.Start)
    run_until(engine, clock, 200)
    fresh, _, _ = new_members_engine()
    again = Engine(fresh.state, ManualClock(200), rules=fresh.rules)
    for e in sink.events:
        again.replay(e)
    assert [(c.id, c.who) for c in again.state.visible_cards] == [(VULNERABLE, "Fay")]
    again.clock.set(210)
    again.tick()
    assert [(c.id, c.who) for c in again.state.visible_cards] == [(VULNERABLE, "Fay")]
    again.clock.set(215)
    again.record(ev.Leave, who="Fay")
    assert again.state.visible_cards == []


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.json")), ids=lambda p: p.stem)
def test_no_card_that_takes_the_place_of_its_own_kind_leaves_a_second_later(path):
    """The second symptom, seen in ``residency_topic.json`` (Ben's quiet-member card
    expired at 690 and Dev's left one second after it surfaced): a card that surfaces
    in the second another card of its id leaves is not resolved at the next tick
    unless what it is about changed then (an event at that second)."""
    result = replay_rules(path)
    events = json.loads(path.read_text())["events"]
    event_times = {float(e["at"]) for e in events}
    left = {(p["id"], p["until"]) for p in result.prompts if p["until"] is not None}
    for p in result.prompts:
        quick = p["ended"] == "resolved" and p["until"] - p["at"] <= 1.0
        if quick and (p["id"], p["at"]) in left:
            assert p["until"] in event_times, p


def test_a_waiting_mark_card_waits_as_long_as_its_mark_holds():
    """Three marks fill the places at 200.5; the ``advice`` mark's card waits the 3
    minutes they stay and surfaces at the tick they expire, its mark still open in the
    case (before: it gave up at that tick, 180.5 s after it began to wait)."""
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    clock.set(200.5)
    for kind in ("tension", "presenter_distress", "singled_out", "advice"):
        engine.record(ev.Mark, kind=kind)
    run_until(engine, clock, 400)
    assert surfaced(sink, "salinsky.speculation") == [(381.0, "salinsky.speculation", None)]


def test_a_leaders_wait_s_still_caps_the_wait_and_old_settings_load():
    assert Thresholds().wait_s is None
    assert Thresholds.from_settings({"thresholds": {"wait_s": 180}}).wait_s == 180.0
    engine, clock, sink = rules_engine(thresholds=Thresholds(wait_s=179))
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    clock.set(200)
    for kind in ("tension", "presenter_distress", "singled_out", "advice"):
        engine.record(ev.Mark, kind=kind)
    run_until(engine, clock, 400)
    assert surfaced(sink, "salinsky.speculation") == []
