"""The rules engine's mechanics: episodes, cool-down, expiry, slots, thresholds."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from rules_helpers import MEMBERS, at, rules_engine, run_until, surfaced

from balint_tui.domain import events as ev
from balint_tui.domain.cards import parse_card
from balint_tui.domain.history import history_facts
from balint_tui.domain.model import PastSession
from balint_tui.domain.settings import Thresholds, card_params
from balint_tui.domain.state import QueueEntry
from balint_tui.store.card_files import load_cards

SILENCE = "salinsky.tolerate-silence"


def discussion(engine, clock, t=100.0):
    """Start, Ana's case, everyone asks a question, discussion from ``t``."""
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="questions")
    for i, who in enumerate(MEMBERS[1:]):
        at(engine, clock, 11 + 2 * i, ev.Speak, who=who, to_presenter=True)
        at(engine, clock, 12 + 2 * i, ev.Speak, who="Ana")
    at(engine, clock, t, ev.PhaseChange, phase="discussion")
    at(engine, clock, t + 1, ev.Speak, who="Ben")


def actions(sink, card_id=None):
    return [
        (e.at, e.id, e.action) for e in sink.events
        if isinstance(e, ev.PromptAction) and (card_id is None or e.id == card_id)
    ]


# ---------------------------------------------------------------- episodes
def test_one_surfacing_per_silence_and_a_new_one_for_the_next_silence():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 260)  # 60 s: still the same silence
    at(engine, clock, 260, ev.Speak, who="Dev")
    at(engine, clock, 500, ev.Silence)
    run_until(engine, clock, 530)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0, 520.0]


def test_silence_outside_the_named_phases_is_not_prompted():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="presentation")
    at(engine, clock, 20, ev.Silence)
    run_until(engine, clock, 80)
    assert surfaced(sink, SILENCE) == []


def test_quiet_members_surface_one_after_another_each_once():
    engine, clock, sink = rules_engine(members=[*MEMBERS, "Gus", "Hana"])
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    for i in range(40):  # Ben..Fay talk; Gus and Hana do not
        at(engine, clock, 11 + 30 * i, ev.Speak, who=MEMBERS[1 + i % 5])
    run_until(engine, clock, 1300)
    quiet = surfaced(sink, "salinsky.producing.quiet-member")
    # Gus at 8 minutes; his card expires at +3 min and Hana's takes its place
    assert quiet == [(490.0, "salinsky.producing.quiet-member", "Gus"),
                     (670.0, "salinsky.producing.quiet-member", "Hana")]


# ---------------------------------------------------------------- dismiss, act, expire
def test_dismissed_card_stays_quiet_for_the_cooldown():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 220)
    at(engine, clock, 225, ev.PromptAction, id=SILENCE, action="dismissed")
    at(engine, clock, 230, ev.Speak, who="Dev")
    at(engine, clock, 300, ev.Silence)  # 20 s at 320: inside the 5 minute cool-down
    at(engine, clock, 330, ev.Speak, who="Eli")
    at(engine, clock, 600, ev.Silence)  # after the cool-down (ends 525)
    run_until(engine, clock, 630)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0, 620.0]
    assert SILENCE in [c.id for c in engine.state.visible_cards]


def test_condition_waits_out_the_cooldown_when_it_still_holds():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 220)
    at(engine, clock, 225, ev.PromptAction, id=SILENCE, action="dismissed")
    at(engine, clock, 230, ev.Speak, who="Dev")
    at(engine, clock, 500, ev.Silence)  # reaches 20 s at 520, cool-down ends at 525
    run_until(engine, clock, 530)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0, 525.0]


def test_acted_starts_no_cooldown():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 220)
    at(engine, clock, 225, ev.PromptAction, id=SILENCE, action="acted")
    at(engine, clock, 230, ev.Speak, who="Dev")
    at(engine, clock, 300, ev.Silence)
    run_until(engine, clock, 330)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0, 320.0]


def test_visible_card_expires_after_three_minutes():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Mark, kind="advice")
    run_until(engine, clock, 400)
    assert actions(sink, "salinsky.speculation") == [
        (200.0, "salinsky.speculation", "surfaced"),
        (380.0, "salinsky.speculation", "expired"),
    ]
    assert "salinsky.speculation" not in [c.id for c in engine.state.visible_cards]


def test_expiry_follows_the_threshold():
    engine, clock, sink = rules_engine(thresholds=Thresholds(expire_s=60))
    discussion(engine, clock)
    at(engine, clock, 200, ev.Mark, kind="advice")
    run_until(engine, clock, 300)
    assert (260.0, "salinsky.speculation", "expired") in actions(sink)


def test_a_mark_while_its_card_is_visible_is_absorbed():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Mark, kind="advice")
    at(engine, clock, 260, ev.Mark, kind="advice")
    run_until(engine, clock, 600)
    assert [t for t, _, _ in surfaced(sink, "salinsky.speculation")] == [200.0]


# ---------------------------------------------------------------- slots and priority
def test_at_most_three_visible_a_higher_card_replaces_the_lowest_and_waiting_cards_fill_slots():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    clock.set(150)
    for kind in ("advice", "too_safe", "stuck"):  # priorities 40, 45, 30
        engine.record(ev.Mark, kind=kind)
    clock.set(160)
    for kind in ("patient_blamed", "tension"):  # 55 and 80 push off the lowest
        engine.record(ev.Mark, kind=kind)
    engine.tick(160)
    visible = {c.id for c in engine.state.visible_cards}
    assert visible == {"dornfest.too-safe", "salinsky.represent-patient",
                       "dornfest.economy-of-aggression"}
    assert (160.0, "salinsky.summarize", "replaced") in actions(sink)
    assert (160.0, "salinsky.speculation", "replaced") in actions(sink)
    # a lower card waits for a freed slot
    clock.set(165)
    engine.record(ev.Mark, kind="asks_leader")  # 55 beats the lowest (too-safe, 45)
    engine.tick(165)
    assert surfaced(sink, "dornfest.turn-back-to-group") == [
        (165.0, "dornfest.turn-back-to-group", None)
    ]
    assert (165.0, "dornfest.too-safe", "replaced") in actions(sink)
    clock.set(166)
    engine.record(ev.Mark, kind="stuck")  # 30: waits
    engine.tick(166)
    assert len(surfaced(sink, "salinsky.summarize")) == 1
    at(engine, clock, 170, ev.PromptAction, id="salinsky.represent-patient", action="acted")
    assert surfaced(sink, "salinsky.summarize")[-1] == (170.0, "salinsky.summarize", None)
    assert len(engine.state.visible_cards) == 3


def test_waiting_event_card_gives_up_after_wait_s():
    engine, clock, sink = rules_engine(thresholds=Thresholds(wait_s=30))
    discussion(engine, clock)
    clock.set(200)
    for kind in ("tension", "presenter_distress", "singled_out", "advice"):
        engine.record(ev.Mark, kind=kind)
    engine.tick(200)
    at(engine, clock, 240, ev.PromptAction, id="dornfest.group-crisis", action="acted")
    run_until(engine, clock, 300)
    assert surfaced(sink, "salinsky.speculation") == []


def test_waiting_condition_card_surfaces_when_a_slot_frees_if_still_current():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    clock.set(200)
    for kind in ("tension", "presenter_distress", "singled_out"):
        engine.record(ev.Mark, kind=kind)
    at(engine, clock, 201, ev.Silence)
    run_until(engine, clock, 240)  # 39 s of silence, all slots taken
    assert surfaced(sink, SILENCE) == []
    at(engine, clock, 240, ev.PromptAction, id="dornfest.group-crisis", action="dismissed")
    assert surfaced(sink, SILENCE) == [(240.0, SILENCE, None)]


def test_waiting_condition_card_is_dropped_when_its_episode_ends():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    clock.set(200)
    for kind in ("tension", "presenter_distress", "singled_out"):
        engine.record(ev.Mark, kind=kind)
    at(engine, clock, 201, ev.Silence)
    run_until(engine, clock, 230)
    at(engine, clock, 235, ev.Speak, who="Dev")  # the silence is over
    at(engine, clock, 240, ev.PromptAction, id="dornfest.group-crisis", action="dismissed")
    run_until(engine, clock, 260)
    assert surfaced(sink, SILENCE) == []


def test_max_visible_threshold():
    engine, clock, sink = rules_engine(thresholds=Thresholds(max_visible=1))
    discussion(engine, clock)
    clock.set(200)
    engine.record(ev.Mark, kind="tension")
    engine.record(ev.Mark, kind="presenter_distress")
    engine.tick(200)
    # one slot: the higher-priority card takes it, the other leaves replaced
    assert [c.id for c in engine.state.visible_cards] == ["salinsky.producing.distress"]
    assert (200.0, "dornfest.economy-of-aggression", "replaced") in actions(sink)
    engine.record(ev.Mark, kind="tension")  # lower than the one visible: waits
    engine.tick(200)
    assert [c.id for c in engine.state.visible_cards] == ["salinsky.producing.distress"]


def test_nothing_surfaces_after_end():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    at(engine, clock, 205, ev.End)
    assert engine.rules.on_tick(engine.state) == []
    assert surfaced(sink, SILENCE) == []


# ---------------------------------------------------------------- more triggers
def test_summarize_on_stuck_mark():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 150, ev.Mark, kind="stuck")
    assert surfaced(sink, "salinsky.summarize") == [(150.0, "salinsky.summarize", None)]


def test_petering_out_when_few_turns_and_nobody_speaks():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    for i in range(10):  # lively until 3000
        at(engine, clock, 2800 + 20 * i, ev.Speak, who=MEMBERS[1 + i % 5])
    for i in range(4):  # then a 40 s turn every 80 s, 40 s silences (never 45)
        at(engine, clock, 3000 + 80 * i, ev.Speak, who=MEMBERS[1 + i % 5])
        at(engine, clock, 3040 + 80 * i, ev.Silence)
    run_until(engine, clock, 3400)
    # at 3200 the window 3020..3200 holds two turns (3080, 3160) and nobody speaks
    assert surfaced(sink, "salinsky.timekeeping.petering-out") == [
        (3200.0, "salinsky.timekeeping.petering-out", None)
    ]


def test_full_flow_new_episode_after_extend():
    engine, clock, sink = rules_engine(duration_min=10)
    discussion(engine, clock, t=60)
    for i in range(10):
        at(engine, clock, 570 + 10 * i, ev.Speak, who=MEMBERS[1 + i % 5])
        if i == 3:
            at(engine, clock, 605, ev.PromptAction,
               id="salinsky.timekeeping.full-flow-at-end", action="acted")
    at(engine, clock, 665, ev.Extend, minutes=2)  # the end moves from 600 to 720
    for i in range(8):
        at(engine, clock, 670 + 10 * i, ev.Speak, who=MEMBERS[1 + i % 5])
    run_until(engine, clock, 760)
    times = [t for t, _, _ in surfaced(sink, "salinsky.timekeeping.full-flow-at-end")]
    assert times == [600.0, 720.0]


def test_carry_over_for_an_urgent_case():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Queue, who="Dev", urgent=True)
    at(engine, clock, 0, ev.Start)
    assert surfaced(sink, "salinsky.case-selection.carry-over") == [
        (0.0, "salinsky.case-selection.carry-over", "Dev")
    ]


def test_carry_over_from_the_initial_queue():
    engine, clock, sink = rules_engine(queue=[QueueEntry("Eli", carried=True)])
    at(engine, clock, 0, ev.Start)
    assert surfaced(sink, "salinsky.case-selection.carry-over")[0][2] == "Eli"


def test_vulnerable_member_on_arrival():
    history = [PastSession(date="2026-11-03", attended=tuple(MEMBERS[:-1]))]
    facts = history_facts(MEMBERS, history)  # Fay never came: new to a group that has met
    engine, clock, sink = rules_engine(facts=facts)
    at(engine, clock, 0, ev.Start, present=tuple(MEMBERS[:-1]))
    assert surfaced(sink, "difficulties.vulnerable-member") == []
    at(engine, clock, 400, ev.Arrive, who="Fay")
    assert surfaced(sink, "difficulties.vulnerable-member") == [
        (400.0, "difficulties.vulnerable-member", "Fay")
    ]
    # no latecomer card in the classic template
    assert surfaced(sink, "residency.latecomer") == []


def test_first_session_of_a_group_has_no_vulnerable_member():
    facts = history_facts(MEMBERS, [])
    engine, clock, sink = rules_engine(facts=facts)
    at(engine, clock, 0, ev.Start)
    assert surfaced(sink) == []


def test_latecomer_card_names_the_member_once_per_arrival():
    engine, clock, sink = rules_engine(template="residency", duration_min=90)
    at(engine, clock, 0, ev.Start, present=tuple(MEMBERS[:-1]))
    at(engine, clock, 300, ev.Arrive, who="Fay")
    at(engine, clock, 310, ev.Arrive, who="Fay")  # already here
    at(engine, clock, 900, ev.Leave, who="Fay")
    at(engine, clock, 1000, ev.Arrive, who="Fay")
    late = surfaced(sink, "residency.latecomer")
    assert late == [(300.0, "residency.latecomer", "Fay"), (1000.0, "residency.latecomer", "Fay")]


def test_hold_back_once_per_case():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    at(engine, clock, 20, ev.Speak, who="leader")
    at(engine, clock, 30, ev.Speak, who="Ben")
    at(engine, clock, 250, ev.Speak, who="coleader")
    assert [t for t, _, _ in surfaced(sink, "dornfest.hold-back")] == [20.0]


# ---------------------------------------------------------------- thresholds
def test_thresholds_defaults_follow_the_contract():
    t = Thresholds()
    assert (t.tolerate_silence_s, t.summarize_silence_s, t.quiet_member_after_s) == (20, 90, 480)
    assert (t.expire_s, t.max_visible, t.cooldown_s) == (180, 3, 300)
    assert t.changed() == {}


def test_thresholds_from_a_plain_dict_and_from_settings():
    assert Thresholds.model_validate({"tolerate_silence_s": 30}).tolerate_silence_s == 30
    t = Thresholds.from_settings({"thresholds": {"expire_s": 120}, "theme": "x"})
    assert t.expire_s == 120
    assert Thresholds.from_settings({}) == Thresholds()
    with pytest.raises(ValidationError):
        Thresholds.model_validate({"tolerate_silence": 30})
    with pytest.raises(ValidationError):
        Thresholds.model_validate({"max_visible": 4})


def test_leader_threshold_changes_the_rule():
    engine, clock, sink = rules_engine(thresholds=Thresholds(tolerate_silence_s=30))
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 240)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [230.0]


def test_user_card_numbers_apply_unless_the_leader_changed_the_threshold():
    card = load_cards()[SILENCE]
    data = card.model_dump(mode="json")
    data["trigger"] = [{"kind": "silence", "seconds": 40, "phases": ["discussion"]}]
    mine = {**load_cards(), SILENCE: parse_card(data, f"{SILENCE}.toml")}
    for thresholds, expected in ((Thresholds(), 240.0), (Thresholds(tolerate_silence_s=25), 225.0)):
        engine, clock, sink = rules_engine(thresholds=thresholds, cards=mine)
        discussion(engine, clock)
        at(engine, clock, 200, ev.Silence)
        run_until(engine, clock, 260)
        assert [t for t, _, _ in surfaced(sink, SILENCE)] == [expected]


def test_every_threshold_field_maps_to_a_card_parameter():
    cards = load_cards()
    changed = Thresholds(**{
        name: (info.default * 2 if not isinstance(info.default, tuple) else info.default)
        for name, info in Thresholds.model_fields.items()
        if name not in ("max_visible", "off", "shutting_up_share", "petering_out_window_s",
                        "wait_s")
    })
    for card_id, params in card_params(changed).items():
        card = cards[card_id]
        for param in params:
            assert any(param in type(t).model_fields for t in card.trigger), (card_id, param)


def test_switched_off_card_never_surfaces():
    engine, clock, sink = rules_engine(thresholds=Thresholds(off=(SILENCE,)))
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 260)
    assert surfaced(sink, SILENCE) == []


# ---------------------------------------------------------------- resume
def test_observe_rebuilds_the_rules_after_a_resume():
    from balint_tui.domain.clock import ManualClock
    from balint_tui.domain.engine import Engine
    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.state import SessionState

    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 150, ev.Mark, kind="off_task")
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 225)
    at(engine, clock, 226, ev.PromptAction, id=SILENCE, action="acted")
    run_until(engine, clock, 240)
    journal = list(sink.events)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0]

    # a new process folds the journal back (the rules observe each event) and carries on
    state = SessionState(engine.state.plan, list(engine.state.members))
    rules = build_rules(load_cards(), None, None, state.plan.template)
    resumed = Engine(state, ManualClock(240), sink=sink, rules=rules)
    for event in journal:
        resumed.replay(event)
    run_until(resumed, resumed.clock, 400)
    # the same silence does not come back; the open drift still reaches its 3 minutes
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0]
    assert surfaced(sink, "dornfest.wrong-direction") == [(330.0, "dornfest.wrong-direction", None)]


def test_leader_share_crossing_during_a_leader_turn():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="presentation")
    at(engine, clock, 10, ev.Speak, who="Ana")
    at(engine, clock, 300, ev.PhaseChange, phase="questions")  # a phase change mid-turn
    at(engine, clock, 400, ev.Speak, who="coleader")
    run_until(engine, clock, 700)
    # leaders x / (390 + x) > 0.25 once x > 130 s
    assert surfaced(sink, "dornfest.shutting-up") == [(531.0, "dornfest.shutting-up", None)]


def test_dominance_crossing_during_a_long_turn():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 5, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    for i, who in enumerate(["Chloe", "Dev", "Eli", "Fay", "Ben"]):
        at(engine, clock, 10 + 60 * i, ev.Speak, who=who)
    run_until(engine, clock, 600)
    # Ben from 250: x > 2 * (240 + x) / 5 once x > 160 s
    assert surfaced(sink, "salinsky.producing.dominant-member") == [
        (411.0, "salinsky.producing.dominant-member", "Ben")
    ]


def test_a_member_here_from_the_start_who_left_and_came_back_is_no_latecomer():
    """Found by a new user: Fay, in the room from the start, stepped out and came back;
    the latecomer card said she "arrived late"."""
    engine, clock, sink = rules_engine(template="residency", duration_min=90)
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 300, ev.Leave, who="Fay")
    at(engine, clock, 400, ev.Arrive, who="Fay")
    assert surfaced(sink, "residency.latecomer") == []
    assert "Fay" not in engine.state.late
