"""Undo and redo treat cards alike (issue 21, item 5): ``z`` takes away the card the
withdrawn event had raised, ``Z`` brings it back; the same for an arrival's card, and
for a card the withdrawn event had ended."""

from __future__ import annotations

from rules_helpers import MEMBERS, at, rules_engine, run_until, surfaced

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.engine import Engine
from balint_tui.domain.history import history_facts
from balint_tui.domain.model import PastSession, SessionPlan, builtin_templates
from balint_tui.domain.rules import build_rules
from balint_tui.domain.state import SessionState
from balint_tui.store.card_files import load_cards

TENSION = "dornfest.economy-of-aggression"
VULNERABLE = "difficulties.vulnerable-member"
LATECOMER = "residency.latecomer"
SILENCE = "salinsky.tolerate-silence"


def shown(engine) -> list[tuple[str, str | None]]:
    return [(c.id, c.who) for c in engine.state.visible_cards]


def card_actions(sink, card_id):
    return [(e.at, e.action) for e in sink.events if e.type == "prompt" and e.id == card_id]


def discussion(engine, clock):
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    at(engine, clock, 11, ev.Speak, who="Ben")


def resumed(sink, template="classic", facts=None, minutes=60, present_all=MEMBERS):
    tpl = builtin_templates()[template]
    state = SessionState(SessionPlan(duration_min=minutes, template=tpl), list(present_all))
    again = Engine(state, ManualClock(sink.events[-1].at),
                   rules=build_rules(load_cards(), None, facts, tpl))
    for e in sink.events:
        again.replay(e)
    return again


def test_redo_of_a_mark_brings_back_its_card():
    """``m t``, ``z``, ``Z``: before, the card left with the undo and never came back
    (its episode had been spent when it first surfaced), and the debrief said it had
    cleared when its cause ended."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="tension")
    assert shown(engine) == [(TENSION, None)]
    at(engine, clock, 105, ev.Undo)
    assert shown(engine) == []  # at once, with the undo
    at(engine, clock, 110, ev.Redo)
    assert shown(engine) == [(TENSION, None)]
    run_until(engine, clock, 200)
    assert shown(engine) == [(TENSION, None)]
    assert card_actions(sink, TENSION) == [
        (100.0, "surfaced"), (105.0, "resolved"), (110.0, "surfaced")]
    again = resumed(sink)
    assert shown(again) == [(TENSION, None)]
    again.clock.set(215)
    again.record(ev.Mark, kind="back_on_task")  # still its episode: the mark's
    again.tick()
    assert shown(again) == [(TENSION, None)]  # back on task does not resolve tension


def test_z_and_Z_again_and_again_keep_one_card_in_step():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="presenter_distress", who="Chloe")
    for t in range(101, 121, 4):
        at(engine, clock, t, ev.Undo)
        assert shown(engine) == []
        at(engine, clock, t + 2, ev.Redo)
        assert shown(engine) == [("salinsky.producing.distress", "Chloe")]
    at(engine, clock, 130, ev.Leave, who="Chloe")  # its condition ends: it leaves
    assert shown(engine) == []
    assert len(surfaced(sink, "salinsky.producing.distress")) == 6


def test_redo_of_an_arrival_brings_back_the_arrivals_cards():
    facts = history_facts(
        list(MEMBERS), [PastSession(date="2026-11-10", attended=list(MEMBERS[:-1]))])
    engine, clock, sink = rules_engine(template="residency", duration_min=90, facts=facts)
    late = MEMBERS[-1]  # new to a group that has met: a vulnerable member, and late
    at(engine, clock, 0, ev.Start, present=list(MEMBERS[:-1]))
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="presentation")
    at(engine, clock, 60, ev.Arrive, who=late)
    expected = sorted([(VULNERABLE, late), (LATECOMER, late)])
    assert sorted(shown(engine)) == expected
    at(engine, clock, 65, ev.Undo)
    assert shown(engine) == []
    at(engine, clock, 70, ev.Redo)
    assert sorted(shown(engine)) == expected
    run_until(engine, clock, 100)
    assert sorted(shown(engine)) == expected
    assert sorted(shown(resumed(sink, "residency", facts, 90))) == expected


def test_undo_of_the_turn_that_ended_a_silence_brings_its_card_back():
    """Had the turn never been recorded the silence would still run, and its card be
    up: undo gives the screen that."""
    engine, clock, _sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 240)
    assert shown(engine) == [(SILENCE, None)]
    at(engine, clock, 245, ev.Speak, who="Dev")
    assert shown(engine) == []
    at(engine, clock, 250, ev.Undo)
    assert shown(engine) == [(SILENCE, None)]
    at(engine, clock, 255, ev.Speak, who="Dev")
    assert shown(engine) == []


def test_a_journal_without_corrections_resumes_with_nothing_come_back_to_life():
    """Only a change in which events count revives a card: resumed from an ordinary
    journal (generated sessions, no undo), the rules spend and wait for the same
    episodes as the live ones did."""
    from rules_helpers import replay_rules

    from balint_tui.domain.scenario import initial_state
    from balint_tui.domain.simulate import generate_scenario

    for seed in range(4):
        data = generate_scenario(minutes=60, events=500, seed=seed)
        data["events"] = [e for e in data["events"] if e["type"] != "end"]
        live = replay_rules(data)
        sc = live.scenario
        state = initial_state(sc)
        facts = history_facts(list(sc.group.members), list(sc.history))
        again = Engine(state, ManualClock(0.0), rules=build_rules(
            load_cards(), None, facts, state.plan.template))
        for e in live.events:
            again.replay(e)
        assert any(e.type == "prompt" and e.action == "resolved" for e in live.events)
        assert again.rules.spent == live.engine.rules.spent
        assert [(w.card, w.key) for w in again.rules.waiting] == [
            (w.card, w.key) for w in live.engine.rules.waiting]


def test_a_resume_after_a_redo_whose_card_was_not_written_yet_brings_it_back():
    """The journal ends with the redo (the card's return not yet on disk): the resumed
    engine has the card waiting, and it surfaces at the first tick."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 100, ev.Mark, kind="tension")
    at(engine, clock, 105, ev.Undo)
    at(engine, clock, 110, ev.Redo)
    cut = [e.type for e in sink.events].index("redo") + 1
    sink.events[:] = sink.events[:cut]
    again = resumed(sink)
    assert shown(again) == []
    again.clock.set(111)
    again.tick()
    assert shown(again) == [(TENSION, None)]
