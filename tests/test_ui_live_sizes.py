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
