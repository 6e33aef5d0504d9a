"""Groups of 11 and 12 without hidden modes; 13 to 20 with a page shown on screen, for
one key (issue 13, item 4)."""

from __future__ import annotations

from ui_helpers import Notes, app_for, choosing, group_of, pick_text, start, state

from balint_tui.ui.keys import MEMBER_KEYS
from balint_tui.ui.screens import live_keys as live_screen


def app_of(store, clock, count):
    names = [f"P{i:02d}" for i in range(1, count + 1)]
    return app_for(store, clock, session=start(store, group_of(names), clock))


async def test_each_of_twelve_members_has_a_key_of_their_own(store, clock):
    app = app_of(store, clock, 12)
    async with app.run_test(size=(80, 24)) as pilot:
        for index, key in enumerate(MEMBER_KEYS):
            clock.advance(2)
            await pilot.press(key)
            assert state(app).floor == f"m{index + 1}", key
        await pilot.press("1")  # no mode was left behind: 1 is member 1
        assert state(app).floor == "m1"
        table = app.screen.query_one("#participation").lines_at(40).plain
        assert " - " in table and " = " in table and "P12" in table


async def test_the_choosers_use_the_same_member_keys(store, clock):
    app = app_of(store, clock, 12)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        shown = pick_text(app)
        assert "= P12" in shown and "- P11" in shown and "1 P01" in shown
        assert len(shown.splitlines()) == 3  # twelve members in the panel's three lines
        await pilot.press("equals_sign")
        assert [q.who for q in state(app).queue] == ["m12"]
        await pilot.press("s", "n")
        await pilot.press("p")
        shown = pick_text(app)
        assert "l Leader" in shown and "c Coleader" in shown and "- P11" in shown
        assert len(shown.splitlines()) == 3
        await pilot.press("minus")
        assert state(app).floor == "m11" and state(app).floor_to_presenter


async def test_the_chooser_of_twelve_members_fits_at_60_columns(store, clock):
    app = app_of(store, clock, 12)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("u", "1", "s", "p")
        panel = app.screen.query_one("#prompts")
        assert panel.region.height == 4
        lines = pick_text(app).splitlines()
        assert len(lines) == 3 and all(len(line) <= 58 for line in lines)


async def test_members_past_twelve_are_one_key_away_and_shown_large(store, clock):
    app = app_of(store, clock, 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("greater_than_sign")
        assert choosing(app)
        panel = app.screen.query_one("#prompts")
        assert "MEMBERS 13-20" in panel.border_title
        assert "1 P13" in pick_text(app) and "8 P20" in pick_text(app)
        await pilot.press("1")
        assert state(app).floor == "m13"
        await pilot.press("1")  # back on page 1 after one key
        assert state(app).floor == "m1"
        table = app.screen.query_one("#participation").lines_at(40).plain
        assert ">1" in table and ">8" in table  # member 13: > then 1


async def test_the_page_goes_back_after_five_seconds(store, clock, monkeypatch):
    monkeypatch.setattr(live_screen, "PAGE_TIMEOUT_S", 0.2)
    app = app_of(store, clock, 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("greater_than_sign")
        assert choosing(app)
        await pilot.pause(0.4)
        assert not choosing(app)
        await pilot.press("2")
        assert state(app).floor == "m2"


async def test_the_page_works_inside_the_choosers(store, clock):
    app = app_of(store, clock, 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        assert "> next page" in app.screen.query_one("#prompts").border_title
        await pilot.press("greater_than_sign")
        assert "1 P13" in pick_text(app)
        await pilot.press("2")
        assert [q.who for q in state(app).queue] == ["m14"]
        await pilot.press("u", "2")  # the next chooser opens on page 1
        assert [q.who for q in state(app).queue] == ["m14", "m2"]
        await pilot.press("o", "greater_than_sign", "less_than_sign", "3")
        assert "m3" not in state(app).present


async def test_a_small_group_is_told_there_is_no_second_page(store, clock):
    app = app_of(store, clock, 8)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.press("equals_sign")
        assert "No member 12" in notes.last()
        await pilot.press("greater_than_sign")  # said, in one notice; nothing opens
        assert notes.last() == "No members 13-20 in this group."
        assert not choosing(app)


async def test_a_single_thirteenth_member_is_member_13(store, clock):
    app = app_of(store, clock, 13)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("greater_than_sign")
        title = str(app.screen.query_one("#prompts").border_title)
        assert "· MEMBER 13 ·" in title and "MEMBERS" not in title


async def test_the_mark_chooser_title_fits_whole_at_80_columns(store, clock):
    app = app_of(store, clock, 20)  # with a second page's name in the title too
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "s")
        panel = app.screen.query_one("#prompts")
        title = str(panel.border_title)
        assert title.startswith("Member singled out: about whom?") and "no one" in title
        assert len(title) <= panel.size.width - 2, title
        await pilot.press("greater_than_sign")
        title = str(panel.border_title)
        assert "MEMBERS 13-20" in title and len(title) <= panel.size.width - 2, title
