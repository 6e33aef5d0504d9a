"""The setup screen explains itself (issue 24, item 6)."""

from __future__ import annotations

from ui_helpers import Notes, app_for, group_of

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.setup import SetupScreen
from balint_tui.ui.screens.setup_help import SetupHelp
from balint_tui.ui.widgets.roster import RosterList


def message(app, selector) -> str:
    return str(app.screen.query_one(selector).render())


async def on_setup(store, clock=None, size=(80, 24)):
    store.save_group(group_of(["Ana", "Ben", "Chloe"]))
    return app_for(store, clock or ManualClock(0))


async def test_the_focused_field_stands_out_and_typing_on_the_roster_is_kept(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, RosterList)
        plan = app.screen.query_one("#plan")
        name = app.screen.query_one("#member-name")
        unfocused = plan.styles.background
        await pilot.press(*"Zoe")  # typed on the roster: a name, in the add field
        await pilot.pause()
        assert app.focused is name and name.value == "Zoe"
        assert name.styles.background != unfocused
        assert name.styles.text_style.bold


async def test_question_mark_opens_the_setup_help(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, SetupHelp)
        text = str(app.screen.query_one("#setup-help Static").render())
        for words in ("Tab", "space", "present today", "rename", "retire", "ctrl+s"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, SetupScreen)


async def test_choosing_residency_says_it_set_the_length(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#template").value = "residency"
        await pilot.pause()
        said = message(app, "#plan-msg")
        assert "residency set the length to 90 min" in " ".join(said.split())
        assert app.screen.query_one("#plan").value == "90"


async def test_a_name_over_40_characters_is_refused_not_cut(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#member-name")
        field.focus()
        long_name = "Maximiliana-Konstantina Wolkenstein-Habsburg"  # 44
        await pilot.press(*long_name)
        assert field.value == long_name  # not cut while typing
        await pilot.press("enter")
        await pilot.pause()
        assert "longer than 40 characters" in message(app, "#member-msg")
        assert [m.name for m in store.group("g1").active] == ["Ana", "Ben", "Chloe"]


async def test_the_footer_shows_d_for_retire_as_the_readme_says(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        retire = next(b for b in RosterList.BINDINGS if b.id == "setup.retire")
        assert retire.key.split(",")[0] == "d"
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "retire (`d`)" in readme


async def test_a_kept_session_of_the_group_is_said_before_another_starts(store):
    clock = ManualClock(0)
    app = await on_setup(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("q", "k")
        await pilot.pause()
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l")  # the resume offer: later
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "kept to resume" in " ".join(message(app, "#plan-msg").split())
        await pilot.press("ctrl+s")  # said once: again starts a new one
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)


async def test_end_and_save_from_the_resume_offer_says_it_was_saved(store):
    clock = ManualClock(0)
    app = await on_setup(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("q", "k")
        await pilot.pause()
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert any("saved" in m for m in notes.messages)
        assert [n.message for n in app._notifications if "saved" in n.message]
