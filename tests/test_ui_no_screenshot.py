"""Nothing is written outside the data folder from the palette (issue 22, item 14):
Textual's system command "Screenshot" wrote the live screen, names and all, to
~/Downloads at 0644. The live app, the follow view and the review offer no such
command, and the screenshot action writes nothing and says why."""

from __future__ import annotations

import os

import pytest
from hostile_names import screen_text
from review_helpers import HAND, save_scenario
from ui_helpers import app_for, group_of, start

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.palette import NO_SCREENSHOT


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(home / "Downloads"))
    monkeypatch.chdir(tmp_path)
    return home


def written(home) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(home) for f in files]


async def _no_screenshot(app, pilot, home) -> None:
    titles = [c.title for c in app.get_system_commands(app.screen)]
    assert titles and not any("screenshot" in t.casefold() for t in titles), titles
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"screenshot")
    await pilot.pause(0.5)
    assert "Save an SVG" not in screen_text(app)
    await pilot.press("enter")  # whatever is left at the top runs: never a screenshot
    await pilot.pause(0.5)
    app.action_screenshot()
    app.deliver_screenshot()
    await pilot.pause(0.3)
    assert written(home) == []
    assert not list(home.parent.glob("*.svg"))
    assert NO_SCREENSHOT in [n.message for n in app._notifications]


async def test_the_live_app(store, home):
    clock = ManualClock(0)
    session = start(store, group_of(["Ana", "Ben"]), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _no_screenshot(app, pilot, home)
    session.close()


async def test_the_review(store, home, utc):
    from balint_tui.ui.review.screen import ReviewApp

    save_scenario(store, HAND, session_id="shand01")
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _no_screenshot(app, pilot, home)


async def test_the_follow_view(tmp_path, home, utc):
    if not os.path.exists("/proc/locks"):
        pytest.skip("the writer's journal lock is read from /proc/locks")
    from test_follow_screen import follow_app
    from ui_helpers import open_store

    store = open_store(tmp_path)
    session = start(store, group_of(["Ana", "Ben"]), ManualClock(0))
    app = follow_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _no_screenshot(app, pilot, home)
    session.close()
    store.close()
