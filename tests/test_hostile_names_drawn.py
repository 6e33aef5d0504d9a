"""Names that look like markup are drawn literally in every place a name is drawn, and
none of them ends the app (issue 22, item 3): one corpus (``hostile_names.py``), one
test per place."""

from __future__ import annotations

import pytest
from hostile_names import HOSTILE_NAMES, assert_shown, screen_text
from ui_helpers import Notes, app_for, group_of, open_store, pick_text, start

from balint_tui.application.live import LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.names import check_name

NAMES = list(HOSTILE_NAMES)
SHORT = [n for n in NAMES if len(n) <= 12]  # whole in every column


def test_the_corpus_are_names_a_person_can_type():
    assert [check_name(n) for n in NAMES] == NAMES


@pytest.fixture
def live(store):
    clock = ManualClock(0)
    session = start(store, group_of(NAMES, name="[b]Tuesday[/] [/]"), clock)
    yield store, session, clock
    session.close()


async def test_every_presenter_in_the_case_panel_and_its_border_title(live):
    store, session, clock = live
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(160, 40)) as pilot:
        for i, name in enumerate(NAMES):
            await pilot.press("u", str(i + 1), "s")  # queued, and the next case starts
            await pilot.pause()
            text = screen_text(app)
            assert f" · {name} presenting─" in text, text
            assert f"{name} presenting · phase" in text or f"{name} presenting" in text
        assert app.is_running


async def test_resume_of_a_session_whose_presenter_looks_like_markup(store):
    clock = ManualClock(0)
    session = start(store, group_of(NAMES), clock)
    session.record(ev.Case, who=session.state.members[0])  # Fay [/] presenting
    sid = session.session_id
    session.close()
    again = LiveSession.resume(store, sid, clock=clock)
    app = app_for(store, clock, session=again)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Case 1 of 2 · Fay [/] presenting" in screen_text(app)
        assert app.is_running
    again.close()


async def test_the_panels_who_has_spoken_queue_and_floor(live):
    store, session, clock = live
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(160, 40)) as pilot:
        for m in session.state.members[:4]:
            session.record(ev.Queue, who=m)
        await pilot.pause()
        text = screen_text(app)
        assert_shown(text, NAMES, cut=20)  # "Who has spoken" lists everyone
        queue = str(app.screen.query_one("#queue").render())
        assert_shown(queue, NAMES[:4], cut=20)
        for m, name in zip(session.state.members, NAMES, strict=True):
            session.record(ev.Speak, who=m)
            await pilot.pause()
            assert name in screen_text(app)  # the floor: "<name> speaking"


async def test_notices(live):
    store, session, clock = live
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        notes = Notes(app)
        for key in ("1", "2", "3", "4", "5", "6", "7", "8"):
            await pilot.press("u", key)  # "Case queued: <name>"
            await pilot.pause()
            toasts = "\n".join(str(t.render()) for t in app.screen.query("Toast"))
            assert f"Case queued: {NAMES[int(key) - 1]}" in toasts
        assert_shown("\n".join(notes.messages))
        assert all(markup is False for _, _, markup in notes.items)


async def test_choosers(live):
    store, session, clock = live
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(160, 40)) as pilot:
        for key in ("u", "U", "o"):  # queue, urgent, leaves
            await pilot.press(key)
            await pilot.pause()
            assert_shown(pick_text(app), SHORT)
            assert_shown(screen_text(app), NAMES, cut=20)
            await pilot.press("escape")
        assert app.is_running


async def test_help_over_a_group_of_such_names(live):
    store, session, clock = live
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Keys" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert_shown(screen_text(app), NAMES, cut=20)
        assert app.is_running


async def test_the_command_palette(live):
    store, session, clock = live
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        for name in NAMES:
            await pilot.press(*"floor")
            await pilot.pause(0.3)
            assert f"Floor: {name}" in screen_text(app), name
            await pilot.press(*["backspace"] * 5)
        await pilot.press("escape")
        assert app.is_running


async def test_setup_lists_the_group_and_its_members(store):
    store.save_group(group_of(NAMES, name="[b]Tuesday[/] [/]"))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[b]Tuesday[/] [/]" in text
        assert_shown(text, NAMES, cut=20)
        assert app.is_running


async def test_the_follow_view(tmp_path, utc):
    import os

    if not os.path.exists("/proc/locks"):
        pytest.skip("the writer's journal lock is read from /proc/locks")
    from test_follow_screen import follow_app

    store = open_store(tmp_path)
    session = start(store, group_of(NAMES), ManualClock(0))
    try:
        members = session.state.members
        for who in members[:3]:
            session.record(ev.Queue, who=who)
        for i, name in enumerate(NAMES):
            session.record(ev.Case, who=members[i])
            session.record(ev.Speak, who=members[(i + 1) % len(members)])
            app = follow_app(store)
            async with app.run_test(size=(160, 40)) as pilot:
                await pilot.pause()
                text = screen_text(app)
                assert f"{name} · " in text, text
                assert NAMES[(i + 1) % len(NAMES)] in text  # the floor
                assert app.is_running
    finally:
        session.close()
        store.close()


async def test_the_review_screen(store, utc):
    from review_helpers import HAND, save_scenario

    from balint_tui.ui.review.screen import ReviewApp

    save_scenario(store, HAND, names=NAMES[:6], session_id="shand01")
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert_shown(screen_text(app), NAMES[:6], cut=11)  # the chart cuts at 12
        await pilot.press("d")  # the debrief
        await pilot.pause()
        screen_text(app)
        assert app.is_running


def _with_rules(store, names, clock):
    from balint_tui.application import launch
    from balint_tui.application.live import LiveSession
    from balint_tui.domain.model import SessionPlan, builtin_templates

    cards, _ = launch.cards_for(store.data_dir)
    factory, _ = launch.rules_factory_for(store, cards)
    group = group_of(names)
    store.save_group(group)
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    return LiveSession.start(store, group, plan, [m.id for m in group.members], clock=clock,
                             rules_factory=factory)


@pytest.mark.parametrize("name", NAMES)
async def test_a_prompt_card_naming_the_member_and_its_explanation(store, name):
    clock = ManualClock(0)
    session = _with_rules(store, ["Ann", name], clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("u", "1", "s", "m", "s", "2")  # Ann presents; <name> singled out
        await pilot.pause()
        assert f"{name} is singled out" in str(app.screen.query_one("#prompts").render())
        await pilot.press("e")  # the card's explanation, on a screen of its own
        await pilot.pause()
        assert f"{name} is singled out" in screen_text(app)
        assert app.is_running
    session.close()


async def test_the_resume_offer_names_the_group_as_typed(store):
    clock = ManualClock(0)
    group_name = "[link=https://e.org]G[/link] [/]"
    session = start(store, group_of(NAMES, name=group_name), clock)
    session.record(ev.Case, who=session.state.members[0])
    session.close()  # interrupted: offered at the next start
    app = app_for(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert f"A session of {group_name}" in text, text  # whole, before the wrap
        assert "was interrupted" in text, text
        await pilot.press("r")  # resumed: Fay [/] presenting
        await pilot.pause()
        assert " · Fay [/] presenting─" in screen_text(app)
        assert app.is_running


async def test_setup_shows_a_template_name_as_typed(store):
    from balint_tui.domain.model import builtin_templates

    tpl = builtin_templates()["classic"].model_copy(update={"name": "[red]T[/] [/]"})
    store.save_template(tpl)
    store.save_group(group_of(NAMES))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.click("#template")
        await pilot.pause()
        assert "[red]T[/] [/]" in screen_text(app)
        assert app.is_running
