"""Every card leaves the screen, ended ``resolved``, within 1 s of its condition ending
(CONTRACT.md section 4), and the replay says so (``until``, ``ended``, ``member``).

Each card's leave scenario (tests/scenarios/rules/<id>.leave.json) is its hit scenario
with the events that end its condition (or, where the hit scenario already ends it, the
same). The card must surface as in the hit scenario and leave within 1 s of the moment
its condition ends (ENDS); ``test_rules_scenarios.LEAVES`` pins the exact entry.
"""

from __future__ import annotations

import pytest
from rules_helpers import SCENARIOS, at, replay_rules, rules_engine, run_until
from test_rules_scenarios import EXPECTED, LIVE_IDS

from balint_tui.domain import events as ev

# card id -> when its condition ends in its leave scenario
ENDS: dict[str, float] = {
    "salinsky.timekeeping.case-overrun": 1835,  # the next case
    "salinsky.timekeeping.petering-out": 3100,  # Chloe speaks
    "salinsky.timekeeping.full-flow-at-end": 3670,  # nobody for 60 s after 3610
    "salinsky.case-selection.carry-over": 60,  # the first case starts
    "salinsky.case-selection.follow-ups": 60,
    "salinsky.listener": 150,  # the presenter has the floor back
    "salinsky.producing.quiet-member": 930,  # Fay, the last it names, speaks
    "salinsky.producing.dominant-member": 1024,  # Ben's share falls to 2.5 x fair
    "salinsky.producing.distress": 600,  # the next case
    "salinsky.producing.personal-probing": 600,
    "salinsky.focus": 700,  # back_on_task
    "salinsky.interpret-process": 1100,
    "salinsky.represent-patient": 600,
    "salinsky.tolerate-silence": 535,  # Dev takes the floor
    "salinsky.summarize": 690,
    "salinsky.reflect-questions": 481,  # Ben speaks without a question
    "salinsky.speculation": 600,
    "dornfest.turn-back-to-group": 600,
    "dornfest.economy-of-aggression": 600,
    "dornfest.group-crisis": 600,
    "dornfest.too-safe": 600,
    "dornfest.pairing": 510,  # Chloe, a third person, speaks
    "dornfest.wrong-direction": 850,
    "dornfest.hold-back": 561,  # Fay, the last, speaks
    "dornfest.shutting-up": 760,  # the leaders' share is back to 25%
    "groundrules.leader-not-teacher": 600,  # the leader's turn ends
    "difficulties.vulnerable-member": 30,  # Fay leaves
    "residency.latecomer": 420,  # the next case
}

MEMBER_OF = {
    "salinsky.case-selection.carry-over": "Chloe",
    "salinsky.case-selection.follow-ups": "Ben, Dev",
    "salinsky.producing.quiet-member": "Eli, Fay",
    "salinsky.producing.dominant-member": "Ben",
    "dornfest.pairing": "Ben",
    "difficulties.vulnerable-member": "Fay",
    "residency.latecomer": "Fay",
}


def test_every_live_contract_card_has_an_ending():
    assert sorted(ENDS) == LIVE_IDS


@pytest.mark.parametrize("card_id", LIVE_IDS)
def test_card_leaves_within_a_second_of_its_condition_ending(card_id):
    result = replay_rules(SCENARIOS / f"{card_id}.leave.json")
    entries = [p for p in result.prompts if p["id"] == card_id]
    assert [p["at"] for p in entries] == [EXPECTED[card_id]]
    entry = entries[0]
    ends = ENDS[card_id]
    assert entry["ended"] == "resolved", entry
    assert ends <= entry["until"] <= ends + 1, entry
    assert entry["member"] == MEMBER_OF.get(card_id), entry


@pytest.mark.parametrize("card_id", LIVE_IDS)
def test_replay_entries_carry_member_until_and_ended(card_id):
    result = replay_rules(SCENARIOS / f"{card_id}.hit.json")
    assert result.prompts
    for p in result.prompts:
        assert list(p) == ["at", "id", "member", "until", "ended"]
        assert p["ended"] in ("resolved", "expired", "replaced", "session_end"), p
        assert (p["until"] is None) == (p["ended"] == "session_end"), p
        if p["until"] is not None:
            assert p["until"] >= p["at"]
        if p["ended"] == "expired":
            assert p["until"] - p["at"] == pytest.approx(180.0, abs=1.0)


# ---------------------------------------------------------------- unit cases
def discussion(engine, clock):
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")


def visible(engine) -> set[str]:
    return {c.id for c in engine.state.visible_cards}


def test_a_mark_no_longer_in_the_state_ends_its_card():
    """The still-holds test reads the state, not the triggering event: a mark that is
    gone from the state (withdrawn) ends its card as resolved at the next tick."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="tension")
    assert "dornfest.economy-of-aggression" in visible(engine)
    engine.state.case.marks.pop()  # as if the mark had never been recorded
    engine.state.marks.pop()
    run_until(engine, clock, 101)
    assert "dornfest.economy-of-aggression" not in visible(engine)
    assert [(e.id, e.action) for e in sink.events if e.type == "prompt"][-1] == (
        "dornfest.economy-of-aggression", "resolved")


def test_a_member_mark_names_the_member_and_leaves_when_they_leave():
    engine, clock, _sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="presenter_distress", who="Chloe")
    assert [(c.id, c.who) for c in engine.state.visible_cards] == [
        ("salinsky.producing.distress", "Chloe")]
    at(engine, clock, 120, ev.Leave, who="Chloe")
    assert "salinsky.producing.distress" not in visible(engine)


def test_a_mark_about_someone_not_in_the_group_is_refused():
    engine, clock, _ = rules_engine()
    discussion(engine, clock)
    from balint_tui.domain.state import EventRejected

    with pytest.raises(EventRejected):
        engine.record(ev.Mark, kind="singled_out", who="Zed")


def test_summarize_replaces_tolerate_silence_and_keeps_it_off_screen():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Silence)
    run_until(engine, clock, 135)
    assert "salinsky.tolerate-silence" in visible(engine)
    run_until(engine, clock, 285)
    assert "salinsky.summarize" in visible(engine)
    assert "salinsky.tolerate-silence" not in visible(engine)
    actions = [(e.at, e.id, e.action) for e in sink.events if e.type == "prompt"]
    assert (280.0, "salinsky.tolerate-silence", "replaced") in actions
    assert actions.index((280.0, "salinsky.tolerate-silence", "replaced")) < actions.index(
        (280.0, "salinsky.summarize", "surfaced"))


def test_waiting_mark_card_that_stops_holding_never_surfaces():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    for kind in ("presenter_distress", "singled_out", "personal_probing"):  # 90, 85, 85
        at(engine, clock, 100, ev.Mark, kind=kind)
    at(engine, clock, 101, ev.Mark, kind="off_task")  # focus (50) waits
    at(engine, clock, 110, ev.Mark, kind="back_on_task")  # ... and is no longer true
    at(engine, clock, 120, ev.PromptAction, id="dornfest.group-crisis", action="acted")
    run_until(engine, clock, 130)
    assert not [e for e in sink.events if e.type == "prompt" and e.id == "salinsky.focus"]


def test_session_end_closes_every_visible_card_in_the_journal():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="tension")
    at(engine, clock, 110, ev.End)
    assert engine.state.visible_cards == []
    last = [e for e in sink.events if e.type == "prompt"][-1]
    assert (last.id, last.action, last.at) == ("dornfest.economy-of-aggression", "session_end", 110)


def test_speculation_stays_quiet_where_the_template_allows_problem_solving():
    engine, clock, _sink = rules_engine(template="residency", duration_min=90)
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="advice")
    assert "salinsky.speculation" not in visible(engine)
    engine, clock, _sink = rules_engine(template="classic")
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="advice")
    assert "salinsky.speculation" in visible(engine)


def test_resumed_engine_ends_a_card_that_stops_holding():
    """After a resume the episodes of the visible cards are known again."""
    from rules_helpers import MEMBERS

    from balint_tui.domain.clock import ManualClock
    from balint_tui.domain.engine import Engine
    from balint_tui.domain.model import SessionPlan, builtin_templates
    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.state import SessionState
    from balint_tui.store.card_files import load_cards

    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Silence)
    run_until(engine, clock, 131)
    assert "salinsky.tolerate-silence" in visible(engine)
    tpl = builtin_templates()["classic"]
    state = SessionState(SessionPlan(duration_min=60, template=tpl), list(MEMBERS))
    again = Engine(state, ManualClock(131), rules=build_rules(load_cards(), None, None, tpl))
    for e in sink.events:
        again.replay(e)
    assert "salinsky.tolerate-silence" in visible(again)
    again.clock.set(135)
    again.record(ev.Speak, who="Ben")
    assert "salinsky.tolerate-silence" not in visible(again)


def test_an_undone_mark_ends_its_card():
    """Found by a new user: after ``z`` withdrew the mark, its card stayed on screen
    (the undo rebuilds state and rules from a checkpoint, and the rebuilt rules had no
    episode for the card any more, so nothing asked whether it still held)."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="tension")
    assert "dornfest.economy-of-aggression" in visible(engine)
    at(engine, clock, 105, ev.Undo)
    run_until(engine, clock, 106)
    assert "dornfest.economy-of-aggression" not in visible(engine)
    assert [(e.id, e.action) for e in sink.events if e.type == "prompt"][-1] == (
        "dornfest.economy-of-aggression", "resolved")


def test_a_card_still_true_stays_after_an_undo_of_something_else():
    engine, clock, _sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="tension")
    at(engine, clock, 102, ev.Speak, who="Ben")
    at(engine, clock, 105, ev.Undo)  # withdraws Ben's turn, not the mark
    run_until(engine, clock, 110)
    assert "dornfest.economy-of-aggression" in visible(engine)
