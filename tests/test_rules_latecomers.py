"""Listening latecomers (seed 003): in a template that asks latecomers to sit and
listen, a member who arrives late is not waited for in the case they arrived in:
neither ``dornfest.hold-back`` nor ``salinsky.producing.quiet-member`` fires because of
them. From the next case they count again. In a template without that rule they count
at once."""

from __future__ import annotations

import pytest
from rules_helpers import prompt_times, replay_rules

HOLD_BACK = "dornfest.hold-back"
QUIET = "salinsky.producing.quiet-member"
OTHERS = ["Ben", "Chloe", "Dev", "Eli"]  # Ana presents; Fay arrives late


def _turns(start: float, who: list[str], step: float = 30) -> list[dict]:
    return [{"at": start + i * step, "type": "speak", "who": w} for i, w in enumerate(who)]


def scenario(template: str, second_case: bool = False, fay_speaks_in_case_2: bool = False) -> dict:
    events = [
        {"at": 0, "type": "start", "present": ["Ana", "Ben", "Chloe", "Dev", "Eli"]},
        {"at": 10, "type": "case", "who": "Ana"},
        {"at": 10, "type": "phase", "phase": "presentation"},
        {"at": 11, "type": "speak", "who": "Ana"},
        {"at": 200, "type": "arrive", "who": "Fay"},  # late, during case 1
        {"at": 300, "type": "phase", "phase": "discussion"},
        *_turns(301, OTHERS),  # everyone but Fay speaks
        {"at": 430, "type": "speak", "who": "leader"},  # the leader comes in
        *_turns(460, OTHERS * 4),  # ... discussion goes on past 8 minutes, Fay listening
        {"at": 940, "type": "phase", "phase": "return"},
        {"at": 941, "type": "speak", "who": "Ana"},
    ]
    end = 1000
    if second_case:
        who = ["Ana", "Chloe", "Dev", "Eli"] + (["Fay"] if fay_speaks_in_case_2 else [])
        events += [
            {"at": 1000, "type": "case", "who": "Ben"},
            {"at": 1000, "type": "phase", "phase": "presentation"},
            {"at": 1001, "type": "speak", "who": "Ben"},
            {"at": 1200, "type": "phase", "phase": "discussion"},
            *_turns(1201, who),
            {"at": 1400, "type": "speak", "who": "leader"},
            *_turns(1430, ["Ana", "Chloe", "Dev", "Eli"] * 4),
        ]
        end = 1950
    events.append({"at": end, "type": "end"})
    return {
        "format": "balint-scenario/1",
        "group": {"name": "Residents", "members": ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"]},
        "plan": {"duration_min": 90, "template": template},
        "events": events,
    }


def test_residency_latecomer_is_not_waited_for_in_the_case_they_arrived_in():
    result = replay_rules(scenario("residency"))
    assert prompt_times(result, HOLD_BACK) == []
    assert prompt_times(result, QUIET) == []
    assert prompt_times(result, "residency.latecomer") == [200.0]


def test_classic_latecomer_counts_at_once():
    result = replay_rules(scenario("classic"))
    assert prompt_times(result, HOLD_BACK) == [430.0]
    assert [(p["at"], p["member"]) for p in result.prompts if p["id"] == QUIET] == [
        (780.0, "Fay")]  # 8 minutes into the discussion


@pytest.mark.parametrize("speaks", [False, True])
def test_residency_latecomer_counts_again_from_the_next_case(speaks):
    result = replay_rules(scenario("residency", second_case=True, fay_speaks_in_case_2=speaks))
    hold_back = prompt_times(result, HOLD_BACK)
    quiet = [(p["at"], p["member"]) for p in result.prompts if p["id"] == QUIET]
    if speaks:  # Fay speaks in case 2 before the leader: nobody is waited for
        assert hold_back == [] and quiet == []
    else:
        assert hold_back == [1400.0]
        assert quiet == [(1680.0, "Fay")]
