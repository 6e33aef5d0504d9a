"""A chooser opening or closing repaints what changed, not the whole live screen.

Textual repaints a whole screen when its focus moves (the ``focused`` reactive), and
the live screen's choosers take the focus when they open and give it back when they
close: a full frame in the middle of ``m`` and of the mark's letter (issue 27, item 3).
The live screen keeps the focus change and the focus styles, without the full repaint.
"""

from __future__ import annotations

from typing import Any

from ui_helpers import app_for, journal_types, state

from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.widgets.prompts import PromptsPanel


def _watch_whole_screen_repaints(screen: LiveScreen) -> list[dict[str, Any]]:
    """Every call of ``screen.refresh`` without regions: a repaint of the whole screen."""
    calls: list[dict[str, Any]] = []
    own = screen.refresh

    def refresh(*regions: Any, **kw: Any) -> Any:
        if not regions:
            calls.append(kw)
        return own(*regions, **kw)

    screen.refresh = refresh  # type: ignore[method-assign]
    return calls


async def test_a_mark_chosen_through_the_chooser_never_repaints_the_whole_screen(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        await pilot.press("1")
        await pilot.pause()
        whole = _watch_whole_screen_repaints(screen)
        prompts = screen.query_one("#prompts", PromptsPanel)

        await pilot.press("m")
        await pilot.pause()
        assert prompts.is_open and screen.focused is prompts  # the focus moved...
        assert prompts.has_pseudo_class("focus")  # ...and its style with it

        await pilot.press("a")
        await pilot.pause()
        assert not prompts.is_open and screen.focused is None
        assert not prompts.has_pseudo_class("focus")
        assert state(app).marks[-1][0] == "advice"
        assert "mark" in journal_types(store, app.session.session_id)  # on disk
        assert whole == []  # ...and no full frame for either
