"""Pilot tests: a stale card leaves the live screen and the fitting card takes its
place; cards name their member literally and show their age; a member mark names its
member through a second key (or none with enter / Escape)."""

from __future__ import annotations

from ui_helpers import app_for, choosing, group_of, state

from balint_tui.domain import events as ev
from balint_tui.domain.model import SessionPlan, builtin_templates
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.widgets.prompts import PromptsPanel


def panel_text(app) -> str:
    return app.screen.query_one(PromptsPanel).text


def visible(app) -> set[str]:
    return {c.id for c in state(app).visible_cards}


def journal_prompts(store, app) -> list[tuple[str, str]]:
    return [(e.id, e.action) for e in store.read_journal(app.session.session_id).events
            if e.type == "prompt"]


async def tick(pilot, clock, seconds):
    for _ in range(int(seconds)):
        clock.advance(1)
        pilot.app.screen.tick()
    await pilot.pause()


async def to_discussion(pilot):
    await pilot.press("s", "n", "n")  # the demo's first case: presentation, questions, discussion
    assert state(pilot.app).phase == "discussion"


async def test_stale_cards_leave_and_the_silence_card_takes_the_freed_slot(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await to_discussion(pilot)
        await pilot.press("2")  # a member holds the floor
        await pilot.press("m", "o")  # off task: the group has 2 minutes to find its way back
        await tick(pilot, clock, 121)
        for letter in ("t", "c"):  # tension, too safe: three cards with the drift's
            await pilot.press("m", letter)
        assert visible(app) == {"dornfest.economy-of-aggression", "salinsky.focus",
                                "dornfest.too-safe"}
        assert "Drifting from the doctor and patient" in panel_text(app)
        await pilot.press("space")
        await tick(pilot, clock, 35)  # a 30 s silence: every slot is taken by cards that hold
        assert "salinsky.tolerate-silence" not in visible(app)
        await pilot.press("m", "k")  # back on task: the drift card is no longer true
        assert "salinsky.focus" not in visible(app)
        assert "Drifting from the doctor" not in panel_text(app)
        assert ("salinsky.focus", "resolved") in journal_prompts(store, app)
        # the fitting card (the silence going on now) takes the freed slot at once
        assert "salinsky.tolerate-silence" in visible(app)
        assert "Silence: let it work" in panel_text(app)
        await pilot.press("2")  # someone takes the floor: the silence card leaves
        assert "salinsky.tolerate-silence" not in visible(app)
        assert "Silence: let it work" not in panel_text(app)
        assert ("salinsky.tolerate-silence", "resolved") in journal_prompts(store, app)


async def test_case_cards_leave_when_the_next_case_starts(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await to_discussion(pilot)
        await pilot.press("m", "t")
        assert "Tension is building" in panel_text(app)
        await pilot.press("u", "3")  # queue another case, then start it
        await pilot.press("n")  # return
        await pilot.press("s")
        assert state(app).case.number == 2
        assert "dornfest.economy-of-aggression" not in visible(app)
        assert "Tension is building" not in panel_text(app)


async def test_a_card_names_its_member_literally_and_shows_its_age(store, clock):
    from balint_tui.application.live import LiveSession
    from balint_tui.domain.rules import build_rules
    from balint_tui.store.card_files import load_cards

    group = group_of(["Ana", "[b]Bo[/b]", "Cy", "Dee"])
    store.save_group(group)
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    session = LiveSession.start(
        store, group, plan, [m.id for m in group.active], clock=clock,
        rules_factory=lambda st, facts: build_rules(load_cards(), None, facts, st.plan.template))
    app = app_for(store, clock, session=session)
    async with app.run_test() as pilot:
        engine = app.session.engine
        members = list(engine.state.members)
        app.session.record(ev.Queue, who=members[0])
        await pilot.pause()
        await pilot.press("s", "n", "n")
        await pilot.press("m", "d", "2")  # distress, about member 2
        mark = state(app).marks[-1]
        assert mark[0] == "presenter_distress"
        text = panel_text(app)
        assert "[b]Bo[/b] seems overwhelmed" in text  # the name, never markup
        assert "new" in text
        await tick(pilot, clock, 61)
        assert " 1m " in panel_text(app)
        await pilot.press("e")  # the explanation names the member too
        from textual.widgets import Static

        line = app.screen.query_one("#card-line", Static)
        assert "[b]Bo[/b] seems overwhelmed" in str(line.content)
        await pilot.press("escape")


async def test_member_marks_take_an_optional_member_and_others_record_at_once(store, clock):
    app = app_for(store, clock, demo=True, rules_factory=None)
    async with app.run_test() as pilot:
        ids = list(state(app).members)
        await pilot.press("s")
        await pilot.press("m", "a")  # advice: no member step
        assert not choosing(app)
        assert state(app).marks[-1][0] == "advice"
        await pilot.press("m", "d")
        assert choosing(app)  # whom is it about?
        await pilot.press("3")
        assert not choosing(app) and isinstance(app.screen, LiveScreen)
        events = [e for e in store.read_journal(app.session.session_id).events if e.type == "mark"]
        assert (events[-1].kind, events[-1].who) == ("presenter_distress", ids[2])
        await pilot.press("m", "s", "enter")
        await pilot.press("m", "p", "escape")
        events = [e for e in store.read_journal(app.session.session_id).events if e.type == "mark"]
        assert [(e.kind, e.who) for e in events[-2:]] == [
            ("singled_out", None), ("personal_probing", None)]


async def test_the_quiet_member_card_names_everyone_unheard_and_fewer_as_they_speak(store, clock):
    """Issue 21, item 3: one card naming every unheard member (roster order); its text
    names fewer as they speak, and it leaves when all have spoken."""
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await to_discussion(pilot)
        for key in ("2", "3", "4", "5", "6"):  # Ben..Fay speak; Gus and Hana do not
            await pilot.press(key)
        await tick(pilot, clock, 481)  # 8 minutes into the discussion
        assert "Not heard yet in this case: Gus, Hana - one may choose" in panel_text(app)
        await pilot.press("8")  # Hana speaks
        assert "Not heard yet in this case: Gus - one may choose" in panel_text(app)
        assert "Hana" not in panel_text(app)
        await pilot.press("7")  # Gus speaks: everyone has been heard
        assert "salinsky.producing.quiet-member" not in visible(app)
        assert ("salinsky.producing.quiet-member", "resolved") in journal_prompts(store, app)


async def test_m_d_needs_no_member_enter_takes_the_presenter(store, clock):
    """Issue 21, item 6: presenter distress is about the presenter unless a member key
    names another member; the chooser says so (before: "enter/Esc: no one")."""
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ids = list(state(app).members)
        await pilot.press("s")  # Ana's case
        await pilot.press("m", "d")
        assert choosing(app)
        title = str(app.screen.query_one(PromptsPanel).border_title)
        assert title.startswith("Presenter distress · enter/Esc: the presenter (Ana)")
        assert "no one" not in title + panel_text(app)
        await pilot.press("enter")
        assert not choosing(app)
        assert state(app).marks[-1][0] == "presenter_distress"
        marks = [e for e in store.read_journal(app.session.session_id).events
                 if e.type == "mark"]
        assert (marks[-1].kind, marks[-1].who) == ("presenter_distress", None)
        await pilot.pause()
        assert "The presenter seems overwhelmed" in panel_text(app)
        await pilot.press("m", "d", "3")  # another member: Chloe
        marks = [e for e in store.read_journal(app.session.session_id).events
                 if e.type == "mark"]
        assert (marks[-1].kind, marks[-1].who) == ("presenter_distress", ids[2])
        await pilot.press("m", "s")  # singled out: still about whom, enter no one
        assert "enter/Esc: no one" in str(app.screen.query_one(PromptsPanel).border_title)
        await pilot.press("escape")


async def test_m_d_between_cases_is_about_no_one(store, clock):
    app = app_for(store, clock, demo=True, rules_factory=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "d")
        assert "about whom?" in str(app.screen.query_one(PromptsPanel).border_title)
        assert "no one" in panel_text(app)
        await pilot.press("enter")
        assert state(app).marks[-1][0] == "presenter_distress"
