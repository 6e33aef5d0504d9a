"""Scenario ``history`` feeds the same logic as the store in replay: the history cards
at start and on arrival, the carried queue, and the pre-session view agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from balint_tui.application.replay import replay_scenario
from balint_tui.domain import events as ev
from balint_tui.domain.history import history_facts
from balint_tui.domain.presession import pre_session
from balint_tui.domain.scenario import initial_state, load_scenario
from balint_tui.store.group_history import group_facts
from balint_tui.store.store import Store

SCENARIO = Path(__file__).parent / "group" / "four_sessions.json"


def surfaced(result, card: str) -> list[tuple[float, str | None]]:
    return [(e.at, e.who) for e in result.events
            if isinstance(e, ev.PromptAction) and e.action == "surfaced" and e.id == card]


def test_history_drives_the_cards_in_replay():
    result = replay_scenario(load_scenario(SCENARIO))
    # Bo was bumped last time and is present: his case opens the queue
    assert surfaced(result, "salinsky.case-selection.carry-over") == [(0.0, "Bo")]
    # Al presented last time; the card waits for a free slot, and case selection is
    # over once the first case starts (at 60): it never shows after that
    assert all(t < 60 for t, _ in surfaced(result, "salinsky.case-selection.follow-ups"))
    vulnerable = surfaced(result, "difficulties.vulnerable-member")
    assert {w for _, w in vulnerable} == {"Dan", "Eve", "Gil"}  # back, new, back on arrival
    assert min(t for t, w in vulnerable if w == "Gil") >= 300.0  # on arrival, not before
    # contract v3: not a live card; the pre-session view names Cy and Gil (below)
    assert surfaced(result, "difficulties.absent-member") == []


def test_replay_and_the_pre_session_view_agree():
    scenario = load_scenario(SCENARIO)
    members = list(scenario.group.members)
    facts = history_facts(members, list(scenario.history))
    present = set(scenario.events[0].present)
    view = pre_session(members, present, facts)
    assert [(q.who, q.carried) for q in view.queue] == [("Bo", True)]
    assert [f.who for f in view.follow_ups] == ["Al"]
    assert view.flagged("new") == ["Eve"] and view.flagged("back") == ["Dan"]
    assert view.flagged("absent") == ["Cy", "Gil"]
    assert [(q.who, q.carried) for q in initial_state(scenario).queue] == [("Bo", True)]


def test_cli_replay_json_lists_the_history_cards(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "balint_tui", "--data-dir", str(tmp_path / "d"),
         "replay", str(SCENARIO), "--json"],
        capture_output=True, text=True, check=True,
    )
    ids = {p["id"] for p in json.loads(out.stdout)["prompts"]}
    assert {"salinsky.case-selection.carry-over", "difficulties.vulnerable-member"} <= ids
    assert "difficulties.absent-member" not in ids  # contract v3: not a live card


def test_a_saved_replay_becomes_the_groups_history(tmp_path):
    from balint_tui.application.replay import save_replay

    data = tmp_path / "d"
    result = replay_scenario(load_scenario(SCENARIO))
    save_replay(result, str(data))
    with Store.open(data) as store:
        [group] = store.groups()
        by_name = {m.name: m.id for m in group.members}
        facts = group_facts(store, group)
        assert facts.sessions == 1
        assert facts.carried == [by_name["Fay"]]  # queued, not reached
        assert facts.follow_ups == [by_name["Bo"]]
        [row] = store.sessions(group.id)
        assert row["late"] == {by_name["Gil"]: 300.0}
