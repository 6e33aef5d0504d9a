"""The live screen at every size (issue 24, item 3): notices, choosers, the case panel."""

from __future__ import annotations

from ui_helpers import app_for, pick_text

from balint_tui.ui.screens.help import HelpScreen


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_notice_never_covers_a_chooser_or_the_help(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert notices(app)  # "Case 1 started (Ana) - z to undo"
        await pilot.press("u")  # the queue chooser, in the prompts panel at the bottom
        await pilot.pause()
        assert notices(app) == []
        await pilot.press("escape", "right_square_bracket")
        await pilot.pause()
        assert notices(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert notices(app) == []


async def test_the_choosers_cancel_key_is_the_keymaps(store, clock):
    app = app_for(store, clock, demo=True, keymap={"chooser.cancel": "ctrl+g"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        title = str(app.screen.chooser.border_title)
        assert "Escape cancels" not in title and "cancels" in title
        assert "g" in title.split("cancels")[0].lower()
        assert pick_text(app)


async def test_the_phase_line_is_whole_at_80x24_and_presenting_said_once(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "n")  # questions: "next discussion" is the longest
        await pilot.pause()
        case = app.screen.query_one("#case")
        body = str(case.render())
        assert "next discussion" in body.replace("\n", " ")
        for line in body.splitlines():
            assert len(line.rstrip()) <= case.content_size.width
        text = f"{case.border_title}\n{body}"
        assert text.count("presenting") == 1


async def test_at_60x20_twelve_members_and_the_coleader_row_show(store, clock):
    from ui_helpers import group_of, start

    from balint_tui.ui.widgets.participation import ParticipationPanel

    names = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jan",
             "Kim", "Lou"]
    session = start(store, group_of(names), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(ParticipationPanel)
        shown = panel.region.height - 1  # its border's line
        lines = str(panel.lines_at(panel.content_size.width)).splitlines()
        assert len(lines) <= shown
        assert "Coleader" in lines[-1] and "Lou" in "\n".join(lines)


async def test_the_floor_time_grows_with_the_screen(tmp_path, clock):
    from ui_helpers import open_store

    from balint_tui.ui.widgets.floor import FloorPanel

    for size, scale in (((80, 24), 1), ((120, 40), 2)):
        app = app_for(open_store(tmp_path / f"{size[0]}"), clock, demo=True)
        async with app.run_test(size=size) as pilot:
            await pilot.press("space")
            await pilot.pause()
            floor = app.screen.query_one(FloorPanel)
            assert floor.big_scale() == scale
            big = floor.query_one(".floor-big")
            assert big.display == (scale > 1)
            if scale > 1:
                assert big.region.height == 5  # bigtext.rows(2)
