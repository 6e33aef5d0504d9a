"""Choosers and keys (issue 24, item 5)."""

from __future__ import annotations

from ui_helpers import app_for, group_of, pick_text, start, state

from balint_tui.ui.palette import BalintCommands, fold


async def test_the_ask_chooser_offers_only_members_in_the_room(store, clock):
    group = group_of(["Ana", "Ben", "Chloe", "Dev"])
    session = start(store, group, clock, present=["m1", "m2", "m3"])
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u", "1", "s")  # Ana presents
        await pilot.press("o", "2")  # Ben leaves; Dev never came
        await pilot.press("p")
        await pilot.pause()
        text = pick_text(app)
        assert "Chloe" in text and "Ben" not in text and "Dev" not in text
        assert "Ana" not in text  # the presenter
        assert "Leader" in text and "Coleader" in text


def test_fold_keeps_one_character_for_one():
    assert fold("Zoë José Ånne") == "Zoe Jose Anne"
    assert fold("ß") == "ß"  # no one-character fold: kept, offsets still line up
    assert len(fold("Ærøskøbing")) == len("Ærøskøbing")


async def test_the_palette_finds_a_member_without_accents(store, clock):
    group = group_of(["Zoë", "Ben"])
    session = start(store, group, clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"floor zoe")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert state(app).floor == "m1"
    assert BalintCommands  # the provider the app registers
