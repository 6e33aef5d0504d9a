"""A resumed session does not surface again a card its journal already surfaced."""

from balint_tui.application.launch import rules_factory_for
from balint_tui.application.live import LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.store.card_files import load_cards
from balint_tui.store.store import Store

SILENCE = "salinsky.tolerate-silence"


def surfaced(events, card):
    return [e.at for e in events if e.type == "prompt" and e.id == card and e.action == "surfaced"]


def test_resume_keeps_the_rules_episodes(tmp_path):
    members = [Member(id=f"m{i}", name=n) for i, n in enumerate(["Ana", "Ben", "Chloe"])]
    group = Group(id="g1", name="G", members=members)
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    store = Store.open(tmp_path / "d")
    store.save_group(group)
    factory, warning = rules_factory_for(store, load_cards())
    assert warning is None
    clock = ManualClock(0)
    live = LiveSession.start(
        store, group, plan, ["m0", "m1", "m2"], clock=clock, rules_factory=factory
    )
    for t, kind, fields in [
        (10, ev.Case, {"who": "m0"}),
        (10, ev.PhaseChange, {"phase": "questions"}),
        (11, ev.Speak, {"who": "m1"}),
        (40, ev.Silence, {}),
    ]:
        clock.set(t)
        live.record(kind, **fields)
    for t in range(41, 75):
        clock.set(t)
        live.tick()
    live.record(ev.PromptAction, id=SILENCE, action="acted")  # off the screen, no cool-down
    for t in range(75, 80):
        clock.set(t)
        live.tick()
    session_id = live.session_id
    assert surfaced(live.events, SILENCE) == [70.0]
    live.close()  # the app was killed here: the journal stays, no end event
    store.close()

    store = Store.open(tmp_path / "d")
    clock = ManualClock(80)
    resumed = LiveSession.resume(store, session_id, clock=clock, rules_factory=factory)
    assert resumed.state.silence_since == 40
    for t in range(80, 200):
        clock.set(t)
        resumed.tick()
    assert surfaced(resumed.events, SILENCE) == [70.0]  # the same silence, once
    clock.set(200)
    resumed.record(ev.Speak, who="m2")
    clock.set(201)
    resumed.record(ev.Silence)
    for t in range(202, 240):
        clock.set(t)
        resumed.tick()
    # contract v3: only the case's first 30 s silence raises the card, also after a resume
    assert surfaced(resumed.events, SILENCE) == [70.0]
    resumed.finish()
    store.close()
