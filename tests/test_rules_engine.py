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


def every_silence(seconds: float = 20) -> dict:
    """The library with the silence card on every silence of ``seconds`` (not only the
    case's first, contract v3's default): for the mechanics that need several silences."""
    data = load_cards()[SILENCE].model_dump(mode="json")
    data["trigger"] = [{"kind": "silence", "seconds": seconds,
                        "phases": ["questions", "discussion"]}]
    return {**load_cards(), SILENCE: parse_card(data, f"{SILENCE}.toml")}


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
    engine, clock, sink = rules_engine(cards=every_silence())
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 260)  # 60 s: still the same silence
    at(engine, clock, 260, ev.Speak, who="Dev")
    at(engine, clock, 500, ev.Silence)
    run_until(engine, clock, 530)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0, 520.0]


def test_tolerate_silence_only_on_the_case_first_30_s_silence():
    """Contract v3: later silences of the case show only the timer; the next case's
    first 30 s silence raises it again. A 29 s silence is not the first to reach 30 s."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    at(engine, clock, 150, ev.Silence)
    at(engine, clock, 179, ev.Speak, who="Dev")  # 29 s
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 260)
    at(engine, clock, 260, ev.Speak, who="Eli")
    at(engine, clock, 500, ev.Silence)
    run_until(engine, clock, 560)
    at(engine, clock, 600, ev.Case, who="Ben")
    at(engine, clock, 600, ev.PhaseChange, phase="questions")
    at(engine, clock, 610, ev.Silence)
    run_until(engine, clock, 650)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [230.0, 640.0]


def test_a_first_silence_that_found_no_slot_still_counts_as_the_first():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    for kind in ("presenter_distress", "singled_out", "personal_probing"):
        at(engine, clock, 150, ev.Mark, kind=kind)
    at(engine, clock, 160, ev.Silence)
    run_until(engine, clock, 200)  # 40 s: three higher cards hold every slot
    at(engine, clock, 200, ev.Speak, who="Dev")
    at(engine, clock, 600, ev.Silence)  # the cards have expired: slots are free
    run_until(engine, clock, 650)
    assert surfaced(sink, SILENCE) == []


def test_silence_outside_the_named_phases_is_not_prompted():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="presentation")
    at(engine, clock, 20, ev.Silence)
    run_until(engine, clock, 80)
    assert surfaced(sink, SILENCE) == []


def test_one_quiet_member_card_names_everyone_unheard_and_fewer_as_they_speak():
    engine, clock, sink = rules_engine(members=[*MEMBERS, "Gus", "Hana"])
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    for i in range(16):  # Ben..Fay talk; Gus and Hana do not
        at(engine, clock, 11 + 30 * i, ev.Speak, who=MEMBERS[1 + i % 5])
    run_until(engine, clock, 490)
    quiet = "salinsky.producing.quiet-member"
    card = next(e for e in sink.events if isinstance(e, ev.PromptAction) and e.id == quiet)
    assert (card.at, card.action, card.who, card.also) == (490.0, "surfaced", "Gus", ("Hana",))
    (shown,) = [c for c in engine.state.visible_cards if c.id == quiet]
    assert engine.state.named_now(shown, True) == ("Gus", "Hana")
    at(engine, clock, 500, ev.Speak, who="Hana")
    assert engine.state.named_now(shown, True) == ("Gus",)  # the card names fewer
    assert engine.state.named_now(shown) == ("Gus", "Hana")  # as it surfaced
    at(engine, clock, 530, ev.Speak, who="Gus")
    assert actions(sink, quiet) == [(490.0, quiet, "surfaced"), (530.0, quiet, "resolved")]
    run_until(engine, clock, 1300)
    assert len(surfaced(sink, quiet)) == 1  # one card per case


# ---------------------------------------------------------------- dismiss, act, expire
def test_dismissed_card_stays_quiet_for_the_cooldown():
    engine, clock, sink = rules_engine(cards=every_silence())
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
    engine, clock, sink = rules_engine(cards=every_silence())
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 220)
    at(engine, clock, 225, ev.PromptAction, id=SILENCE, action="dismissed")
    at(engine, clock, 230, ev.Speak, who="Dev")
    at(engine, clock, 500, ev.Silence)  # reaches 20 s at 520, cool-down ends at 525
    run_until(engine, clock, 530)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [220.0, 525.0]


def test_acted_starts_no_cooldown():
    engine, clock, sink = rules_engine(cards=every_silence())
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
    """The turn-window reading is off by default (contract v3: a 45 s silence); a leader
    may switch it on with ``petering_out_max_turns``."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    for i in range(4):  # 40 s silences (never 45)
        at(engine, clock, 3000 + 80 * i, ev.Speak, who=MEMBERS[1 + i % 5])
        at(engine, clock, 3040 + 80 * i, ev.Silence)
    at(engine, clock, 3320, ev.Speak, who="Ben")
    run_until(engine, clock, 3400)
    assert surfaced(sink, "salinsky.timekeeping.petering-out") == []

    engine, clock, sink = rules_engine(thresholds=Thresholds(petering_out_max_turns=2))
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


def test_hold_back_once_per_case_and_never_on_the_discussion_opening():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    at(engine, clock, 20, ev.Speak, who="leader")  # the opening sentence: not a card
    at(engine, clock, 30, ev.Speak, who="Ben")
    at(engine, clock, 250, ev.Speak, who="coleader")
    at(engine, clock, 260, ev.Speak, who="Chloe")
    at(engine, clock, 270, ev.Speak, who="leader")
    assert [t for t, _, _ in surfaced(sink, "dornfest.hold-back")] == [250.0]


# ---------------------------------------------------------------- thresholds
def test_thresholds_defaults_follow_the_contract():
    t = Thresholds()
    assert (t.tolerate_silence_s, t.summarize_silence_s, t.quiet_member_after_s) == (30, 180, 480)
    assert (t.dominant_member_after_s, t.dominant_member_factor, t.dominant_member_min_turns,
            t.dominant_member_turn_s) == (600, 2.5, 3, 240)
    assert (t.listener_turn_s, t.focus_after_s, t.interpret_process_after_s,
            t.wrong_direction_after_s, t.hold_back_opening_s, t.leader_not_teacher_s) == (
        15, 120, 120, 300, 60, 120)
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
    engine, clock, sink = rules_engine(thresholds=Thresholds(tolerate_silence_s=35))
    discussion(engine, clock)
    at(engine, clock, 200, ev.Silence)
    run_until(engine, clock, 240)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [235.0]


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
                        "petering_out_max_turns", "wait_s")
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
    run_until(engine, clock, 235)
    at(engine, clock, 236, ev.PromptAction, id=SILENCE, action="acted")
    run_until(engine, clock, 240)
    journal = list(sink.events)
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [230.0]

    # a new process folds the journal back (the rules observe each event) and carries on
    state = SessionState(engine.state.plan, list(engine.state.members))
    rules = build_rules(load_cards(), None, None, state.plan.template)
    resumed = Engine(state, ManualClock(240), sink=sink, rules=rules)
    for event in journal:
        resumed.replay(event)
    run_until(resumed, resumed.clock, 500)
    # the same silence does not come back; the open drift still reaches its 5 minutes
    assert [t for t, _, _ in surfaced(sink, SILENCE)] == [230.0]
    assert surfaced(sink, "dornfest.wrong-direction") == [(450.0, "dornfest.wrong-direction", None)]


def test_leader_share_crossing_during_a_leader_turn():
    """Shutting-up reads the discussion phase only (contract v3): the coleader's long
    presentation turn does not count."""
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="presentation")
    at(engine, clock, 10, ev.Speak, who="coleader")
    at(engine, clock, 300, ev.PhaseChange, phase="discussion")  # a phase change mid-turn
    at(engine, clock, 310, ev.Speak, who="Ben")
    at(engine, clock, 400, ev.Speak, who="Chloe")
    at(engine, clock, 600, ev.Speak, who="coleader")
    run_until(engine, clock, 900)
    # leaders (10 + x) / (300 + x) > 0.25 once x > 86.7 s
    assert surfaced(sink, "dornfest.shutting-up") == [(687.0, "dornfest.shutting-up", None)]


def test_dominance_crossing_during_a_long_turn():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 5, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    turns = [("Ben", 10), ("Chloe", 110), ("Ben", 140), ("Dev", 240), ("Ben", 270),
             ("Eli", 370), ("Fay", 400), ("Chloe", 430), ("Ben", 650)]
    for who, t in turns:
        at(engine, clock, t, ev.Speak, who=who)
    run_until(engine, clock, 800)
    # at 650 Ben has 300 s of 640 (3 turns); 300 + x > 2.5 (640 + x) / 5 once x > 40 s
    assert surfaced(sink, "salinsky.producing.dominant-member") == [
        (691.0, "salinsky.producing.dominant-member", "Ben")
    ]


def test_dominance_needs_three_turns_or_a_four_minute_turn():
    engine, clock, sink = rules_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 5, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="discussion")
    at(engine, clock, 10, ev.Speak, who="Chloe")
    at(engine, clock, 20, ev.Speak, who="Ben")  # one turn: over the share, but one turn
    run_until(engine, clock, 259)
    assert surfaced(sink, "salinsky.producing.dominant-member") == []
    run_until(engine, clock, 260)  # the turn reaches 4 minutes, before 10 minutes
    assert surfaced(sink, "salinsky.producing.dominant-member") == [
        (260.0, "salinsky.producing.dominant-member", "Ben")]
    at(engine, clock, 300, ev.Speak, who="Dev")  # the turn ends: one turn, not dominant
    assert ("salinsky.producing.dominant-member", "resolved") in [
        (i, a) for _, i, a in actions(sink)]
    at(engine, clock, 320, ev.Speak, who="Ben")
    run_until(engine, clock, 700)
    assert len(surfaced(sink, "salinsky.producing.dominant-member")) == 1  # once per case


def test_a_member_here_from_the_start_who_left_and_came_back_is_no_latecomer():
    """Found by a new user: Fay, in the room from the start, stepped out and came back;
    the latecomer card said she "arrived late"."""
    engine, clock, sink = rules_engine(template="residency", duration_min=90)
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 300, ev.Leave, who="Fay")
    at(engine, clock, 400, ev.Arrive, who="Fay")
    assert surfaced(sink, "residency.latecomer") == []
    assert "Fay" not in engine.state.late


def test_interpret_process_once_per_case_and_only_when_the_group_does_not_come_back():
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    card = "salinsky.interpret-process"
    at(engine, clock, 150, ev.Mark, kind="off_task")
    at(engine, clock, 200, ev.Mark, kind="medical_detail")  # second drift mark
    at(engine, clock, 300, ev.Mark, kind="back_on_task")  # back within 2 minutes
    run_until(engine, clock, 500)
    assert surfaced(sink, card) == []
    at(engine, clock, 500, ev.Mark, kind="off_task")  # within 10 minutes of 200
    run_until(engine, clock, 620)
    assert surfaced(sink, card) == [(620.0, card, None)]
    at(engine, clock, 700, ev.Mark, kind="back_on_task")
    at(engine, clock, 720, ev.Mark, kind="off_task")
    at(engine, clock, 730, ev.Mark, kind="medical_detail")
    run_until(engine, clock, 1000)
    assert len(surfaced(sink, card)) == 1  # at most once per case
    at(engine, clock, 1000, ev.Case, who="Ben")
    at(engine, clock, 1000, ev.PhaseChange, phase="discussion")
    at(engine, clock, 1010, ev.Mark, kind="off_task")
    at(engine, clock, 1020, ev.Mark, kind="off_task")
    run_until(engine, clock, 1200)
    assert [t for t, _, _ in surfaced(sink, card)] == [620.0, 1140.0]  # the next case's


def test_the_case_first_silence_is_remembered_through_an_undo():
    """An undo rebuilds the rules from the journal without ticking: the first 30 s
    silence, which found no slot, is still the case's first afterwards."""
    engine, clock, sink = rules_engine()
    discussion(engine, clock)
    for kind in ("presenter_distress", "singled_out", "personal_probing"):
        at(engine, clock, 150, ev.Mark, kind=kind)
    at(engine, clock, 160, ev.Silence)
    run_until(engine, clock, 200)  # 40 s: three higher cards hold every slot
    at(engine, clock, 200, ev.Speak, who="Dev")
    at(engine, clock, 210, ev.Speak, who="Eli")
    at(engine, clock, 215, ev.Undo)  # withdraws Eli's turn: the rules are rebuilt
    at(engine, clock, 600, ev.Silence)  # the cards have expired: slots are free
    run_until(engine, clock, 650)
    assert surfaced(sink, SILENCE) == []
