"""Noise (CONTRACT.md section 4, issue 21 item 9): a well-run session surfaces almost
nothing. Generated well-run sessions (``simulate.generate_well_run``: 60-90 minutes,
6-12 members, the leader opening the discussion in a sentence and holding back until
everyone has had a turn, even turns of 20-80 s, short silences but one of 35-44 s per
case, the presenter answering questions and having the return) raise no card at
"standard" but ``salinsky.tolerate-silence``, at most once per case, and none at "few".
The truthfulness checker (tests/test_rules_truthful.py) stays beside it."""

from __future__ import annotations

from bisect import bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import replay_rules

from balint_tui.domain.scenario import parse_scenario
from balint_tui.domain.simulate import generate_well_run

SILENCE = "salinsky.tolerate-silence"


def _case_of(data: dict, at: float) -> int:
    starts = [e["at"] for e in data["events"] if e["type"] == "case"]
    return bisect_right(starts, at)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_well_run_session_raises_at_most_one_silence_card_per_case(seed):
    data = generate_well_run(seed)
    prompts = replay_rules(parse_scenario(data)).prompts
    assert {p["id"] for p in prompts} <= {SILENCE}, prompts
    cases = [_case_of(data, p["at"]) for p in prompts]
    assert len(cases) == len(set(cases)), prompts  # at most once per case


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_well_run_session_raises_nothing_at_few(seed):
    data = generate_well_run(seed)
    data["plan"]["prompts"] = "few"
    assert replay_rules(parse_scenario(data)).prompts == []


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_generator_makes_what_the_contract_describes(seed):
    data = generate_well_run(seed)
    assert 60 <= data["plan"]["duration_min"] <= 90
    members = data["group"]["members"]
    assert 6 <= len(members) <= 12
    events = data["events"]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert not [e for e in events if e["type"] == "mark"]
    # per case: one silence of 35-44 s in the discussion, the others short; member
    # turns in the discussion of 20-80 s; the presenter has the return
    phase, case, long_silences = None, None, {}
    for i, e in enumerate(events[:-1]):
        length = events[i + 1]["at"] - e["at"]
        if e["type"] == "case":
            case = e["who"]
        elif e["type"] == "phase":
            phase = e["phase"]
        elif e["type"] == "silence":
            assert length <= 12.0 + 1e-6 or 35.0 <= length <= 44.0, (e, length)
            long_silences[case] = long_silences.get(case, 0) + (length > 12.0 + 1e-6)
        elif e["type"] == "speak" and phase == "discussion" and e["who"] in members:
            nxt = next(x for x in events[i + 1:] if x["type"] in ("speak", "silence", "phase"))
            assert 20.0 - 1e-6 <= nxt["at"] - e["at"] <= 80.0 + 1e-6, e
        elif e["type"] == "speak" and phase == "return":
            assert e["who"] in (case, "leader")
    assert sorted(long_silences.values()) == [1, 1]


def test_the_same_seed_gives_the_same_session():
    assert generate_well_run(7) == generate_well_run(7)
    assert generate_well_run(7) != generate_well_run(8)
