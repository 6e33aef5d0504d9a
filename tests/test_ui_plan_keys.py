"""The plan's keys on screen (contract v3, issue 25): the setup screen's choosers for
the prompt level, the role and the setting, remembered per group and changeable per
session, a new group's level from the settings; the live screen's titles say them."""

from __future__ import annotations

from ui_helpers import app_for, group_of

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.setup import SetupScreen


def chosen(app) -> tuple[str, str, str]:
    return tuple(str(app.screen.query_one(f"#plan-{k}").value)
                 for k in ("prompts", "role", "setting"))


async def choose(pilot, select_id: str, steps: str) -> None:
    """Keyboard only: focus the chooser, open it, move, take the choice."""
    pilot.app.screen.query_one(select_id).focus()
    await pilot.press("enter", steps, "enter")
    await pilot.pause()


async def test_choices_start_the_session_and_are_remembered(store):
    store.save_group(group_of(["Ana", "Ben", "Chloe"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert chosen(app) == ("standard", "leader", "in_person")
        await choose(pilot, "#plan-prompts", "down")
        await choose(pilot, "#plan-role", "down")
        await choose(pilot, "#plan-setting", "down")
        assert chosen(app) == ("few", "coleader", "online")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        plan = app.session.engine.state.plan
        assert (plan.prompts, plan.role, plan.setting) == ("few", "coleader", "online")
        clock_title = str(app.screen.query_one("#clock").border_title)
        prompts_title = str(app.screen.query_one("#prompts").border_title)
        assert "coleader · online" in clock_title
        assert "few" in prompts_title
    group = store.groups()[0]
    assert (group.prompts, group.role, group.setting) == ("few", "coleader", "online")


async def test_remembered_per_group_and_changed_for_one_session(store):
    store.save_group(group_of(["Ana", "Ben"]).model_copy(
        update={"prompts": "few", "role": "coleader", "setting": "online"}))
    store.save_group(group_of(["Dev", "Eli"], name="Residents", gid="g2"))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.select_group("g1")
        await pilot.pause()
        assert chosen(app) == ("few", "coleader", "online")
        screen.select_group("g2")
        await pilot.pause()
        assert chosen(app) == ("standard", "leader", "in_person")
        screen.select_group("g1")
        await pilot.pause()
        await choose(pilot, "#plan-setting", "up")  # this week the group meets in person
        await pilot.press("ctrl+s")
        await pilot.pause()
        plan = app.session.engine.state.plan
        assert (plan.prompts, plan.role, plan.setting) == ("few", "coleader", "in_person")
        assert "coleader · in person" in str(app.screen.query_one("#clock").border_title)
    assert store.group("g1").setting == "in_person"
    assert store.group("g2").setting == "in_person" and store.group("g2").role == "leader"


async def test_a_new_groups_level_comes_from_the_settings(store):
    store.save_settings({"prompts": "few"})
    store.save_group(group_of(["Ana", "Ben"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert chosen(app) == ("few", "leader", "in_person")


async def test_the_demo_takes_the_groups_keys(store):
    from balint_tui.application.launch import DEMO_GROUP, demo_group

    group = demo_group(store)
    assert group.name == DEMO_GROUP
    store.save_group(group.model_copy(update={"role": "coleader", "setting": "online"}))
    store.save_settings({"prompts": "few"})
    from balint_tui.application.launch import start_demo

    session = start_demo(store, clock=ManualClock(0), rules_factory=None)
    plan = session.state.plan
    assert (plan.prompts, plan.role, plan.setting) == ("few", "coleader", "online")


async def test_the_palette_sets_the_level_new_groups_start_with(store):
    store.save_group(group_of(["Ana", "Ben"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        commands = {title: run for title, run, _ in app.screen.palette_commands()}
        commands["New groups start with few cards"]()
        await pilot.pause()
        assert store.settings()["prompts"] == "few"
        commands["New groups start with standard cards"]()
        await pilot.pause()
        assert store.settings()["prompts"] == "standard"
