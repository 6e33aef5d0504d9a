"""The card library and the prompt rules load after the first frame (not on the path to
it); a session started before then gets its rules when they are ready."""

from __future__ import annotations

from pathlib import Path

from ui_helpers import app_for, open_store

from balint_tui.application.launch import rules_factory_for
from balint_tui.application.live import LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.domain.rules import RuleEngine
from balint_tui.store.card_files import load_cards
from balint_tui.store.store import Store
from balint_tui.ui.screens.live import LiveScreen

SILENCE = "salinsky.tolerate-silence"
SCRIPT = [  # (time, event, fields): a silence of 40 s in the questions phase
    (10, ev.Case, {"who": "m0"}),
    (10, ev.PhaseChange, {"phase": "questions"}),
    (11, ev.Speak, {"who": "m1"}),
    (40, ev.Silence, {}),
]


def _prompts(events):
    return [(e.at, e.id, e.action) for e in events if e.type == "prompt"]


def _run(tmp_path: Path, name: str, attach_at: int | None) -> list:
    """The script with rules from the start (attach_at None) or attached at a time."""
    members = [Member(id=f"m{i}", name=n) for i, n in enumerate(["Ana", "Ben", "Chloe"])]
    group = Group(id="g1", name="G", members=members)
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    store = Store.open(tmp_path / name)
    store.save_group(group)
    factory, _ = rules_factory_for(store, load_cards())
    clock = ManualClock(0)
    live = LiveSession.start(
        store, group, plan, ["m0", "m1", "m2"], clock=clock,
        rules_factory=factory if attach_at is None else None,
    )
    script = list(SCRIPT)
    for t in range(120):
        clock.set(t)
        if attach_at == t:
            live.attach_rules(factory)
        while script and script[0][0] == t:
            _, kind, fields = script.pop(0)
            live.record(kind, **fields)
        live.tick()
    events = list(live.events)
    live.close()
    store.close()
    return events


def test_rules_attached_just_after_the_start_act_as_if_there_from_the_start(tmp_path):
    from_start = _prompts(_run(tmp_path, "a", None))
    attached = _prompts(_run(tmp_path, "b", 1))
    assert (70.0, SILENCE, "surfaced") in from_start  # 30 s of silence (contract v3)
    assert attached == from_start


def test_rules_attached_late_know_when_an_episode_began(tmp_path):
    """Attached in the middle of the silence, the rules know it began at 40 s: they
    surface it at 70 s as usual; attached after that moment, at once, and once."""
    assert _prompts(_run(tmp_path, "c", 50)) == [(70.0, SILENCE, "surfaced")]
    assert _prompts(_run(tmp_path, "d", 90)) == [(90.0, SILENCE, "surfaced")]


async def test_the_demo_gets_its_cards_and_rules_after_the_first_frame(tmp_path):
    store = open_store(tmp_path)
    app = app_for(store, ManualClock(0), demo=True)
    assert app.cards == {} and app.rules_factory is None  # nothing loaded before running
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert isinstance(app.session.engine.rules, RuleEngine)
        assert set(app.screen.cards) == set(load_cards())
        assert app.rules_factory is not None and app.card_warning is None
        await pilot.press("s", "m", "a")  # a case, then advice-giving: its card surfaces
        await pilot.pause()
        assert any(e.type == "prompt" and e.action == "surfaced" for e in app.session.events)
        assert app.screen.query_one("#prompts").has_class("-attention")


async def test_a_broken_card_file_is_one_line_after_the_first_frame(tmp_path):
    store = open_store(tmp_path)
    cards_dir = store.data_dir / "prompts"
    cards_dir.mkdir()
    (cards_dir / "mine.toml").write_text("this is = not [toml\n", "utf-8")
    app = app_for(store, ManualClock(0), demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.card_warning is not None and "mine.toml" in app.card_warning
        assert "\n" not in app.card_warning
        # the packaged library is used meanwhile
        assert set(app.screen.cards) == set(load_cards())
        assert isinstance(app.session.engine.rules, RuleEngine)


async def test_settings_that_cannot_be_read_mean_no_prompts_and_one_line(tmp_path, monkeypatch):
    from balint_tui.application import launch
    from balint_tui.store.errors import StoreError

    def unreadable(store, cards):
        raise StoreError("index.json could not be read (disk error)")

    monkeypatch.setattr(launch, "rules_factory_for", unreadable)
    store = open_store(tmp_path)
    app = app_for(store, ManualClock(0), demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.card_warning == (
            "No prompt cards this session: index.json could not be read (disk error)"
        )
        assert not isinstance(app.session.engine.rules, RuleEngine)
        await pilot.press("1")  # the session carries on
        assert app.session.state.floor is not None


def test_start_time_history_cards_still_surface_when_the_rules_come_after_the_start(tmp_path):
    """The app starts its session before the card library is loaded: the history cards
    a start offers (carry-over, follow-ups, new and back members, the absent one) are
    offered all the same once the rules arrive, as if they had been there."""
    from group_helpers import ids, plan, rules_factory, three_sessions

    store = Store.open(tmp_path / "data")
    group = three_sessions(store)
    m = ids(group)
    here = [i for i in [x.id for x in group.active] if i != m["Gus"]]
    clock = ManualClock(0)
    late = LiveSession.start(store, group, plan(), here, clock=clock)
    clock.set(0.2)
    late.attach_rules(rules_factory(store))
    clock.set(1)
    late.tick()
    cards = {(e.id, e.who) for e in late.events if e.type == "prompt" and e.action == "surfaced"}
    cards |= {(w.card, w.who) for w in late.engine.rules.waiting}
    assert ("salinsky.case-selection.carry-over", m["Eli"]) in cards
    assert ("salinsky.case-selection.follow-ups", m["Dev"]) in cards
    assert {("difficulties.vulnerable-member", m["Hana"]),
            ("difficulties.vulnerable-member", m["Ivy"])} <= cards
    assert ("difficulties.absent-member", m["Gus"]) not in cards  # contract v3: not live
    surfaced = [e for e in late.events if e.type == "prompt" and e.action == "surfaced"]
    assert surfaced and all(e.at == 1 for e in surfaced)  # on the first tick after
    late.close()
    store.close()
