"""Prompt levels (CONTRACT.md section 4, issue 21 item 2): at ``plan.prompts = "few"``
the cards that watch the talk never surface, in replay as in the live app (the same
engine); time, case selection, arrivals and what a mark asks for still do."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rules_helpers import SCENARIOS, at, prompt_times, replay_rules, rules_engine, run_until
from test_rules_scenarios import EXPECTED

from balint_tui.cli import cli
from balint_tui.domain import events as ev
from balint_tui.domain.cards import surfaces_at, triggers_at
from balint_tui.store.card_files import load_cards

# the contract's list of cards that never surface at "few" (summarize: on silence only)
HIDDEN = (
    "salinsky.listener", "salinsky.producing.quiet-member",
    "salinsky.producing.dominant-member", "salinsky.tolerate-silence", "salinsky.summarize",
    "salinsky.reflect-questions", "dornfest.pairing", "dornfest.hold-back",
    "dornfest.shutting-up", "groundrules.leader-not-teacher",
)
SHOWN = sorted(set(EXPECTED) - set(HIDDEN))


def at_level(card_id: str, level: str, kind: str = "hit") -> dict:
    data = json.loads((SCENARIOS / f"{card_id}.{kind}.json").read_text())
    data["plan"]["prompts"] = level
    return data


def test_the_few_list_is_read_from_the_trigger_models():
    cards = load_cards()
    hidden = {c.id for c in cards.values() if not surfaces_at(c, "few")}
    assert hidden == set(HIDDEN) - {"salinsky.summarize"}
    # summarize keeps its `stuck` mark at "few", not its silence
    assert [t.kind for t in triggers_at(cards["salinsky.summarize"], "few")] == ["mark"]
    assert all(surfaces_at(c, "standard") for c in cards.values())


@pytest.mark.parametrize("card_id", HIDDEN)
def test_a_talk_card_never_surfaces_at_few(card_id):
    assert prompt_times(replay_rules(at_level(card_id, "standard")), card_id) == [
        EXPECTED[card_id]]
    result = replay_rules(at_level(card_id, "few"))
    assert [p["id"] for p in result.prompts if p["id"] in HIDDEN] == []


@pytest.mark.parametrize("card_id", SHOWN)
def test_time_selection_arrival_and_mark_cards_still_surface_at_few(card_id):
    result = replay_rules(at_level(card_id, "few"))
    assert prompt_times(result, card_id) == [EXPECTED[card_id]]


def test_summarize_on_stuck_still_surfaces_at_few():
    data = at_level("salinsky.summarize", "few")
    data["events"].append({"at": 1100, "type": "mark", "kind": "stuck"})
    data["events"].sort(key=lambda e: e["at"])
    result = replay_rules(data)
    assert prompt_times(result, "salinsky.summarize") == [1100.0]


def test_the_live_engine_follows_the_plan_level():
    from balint_tui.domain.model import SessionPlan

    engine, clock, sink = rules_engine()
    engine.state.plan = SessionPlan(duration_min=60, template=engine.state.plan.template,
                                    prompts="few")
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    at(engine, clock, 20, ev.Silence)
    run_until(engine, clock, 300)  # a 280 s silence: neither silence card at "few"
    at(engine, clock, 300, ev.Mark, kind="tension")
    ids = [e.id for e in sink.events if e.type == "prompt" and e.action == "surfaced"]
    assert ids == ["dornfest.economy-of-aggression"]


def test_an_explicit_level_wins_over_the_plan():
    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.scenario import load_scenario, replay

    scenario = load_scenario(SCENARIOS / "salinsky.tolerate-silence.hit.json")
    result = replay(scenario, rules_factory=lambda sc, st: build_rules(
        load_cards(), None, None, st.plan.template, level="few"))
    assert prompt_times(result, "salinsky.tolerate-silence") == []


def test_replay_cli_honours_plan_prompts(tmp_path):
    path = tmp_path / "few.json"
    path.write_text(json.dumps(at_level("dornfest.pairing", "few")))
    out = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "replay", str(path),
                                   "--json"])
    assert out.exit_code == 0, out.output
    assert "dornfest.pairing" not in {p["id"] for p in json.loads(out.stdout)["prompts"]}
