"""The retention setting at start: sessions older than it are offered for deletion in a
small modal screen, never deleted without a yes."""

from __future__ import annotations

from datetime import UTC, datetime

from group_helpers import plan
from ui_helpers import app_for, group_of

from balint_tui.domain import events as ev
from balint_tui.ui.screens.retention import RetentionScreen
from balint_tui.ui.screens.setup import SetupScreen


def _filed(store, *days):
    group = group_of(["Ana", "Ben", "Chloe"])
    store.save_group(group)
    return [store.import_session(group, plan(), [ev.Start(at=0), ev.End(at=60)], {},
                                 started_wall=datetime(*day, 18, tzinfo=UTC))
            for day in days]


def _setup(store, months):
    # the wall clock of ui_helpers is 2026-11-17: twelve months back is 2025-11-17
    ids = _filed(store, (2025, 3, 1), (2025, 11, 10), (2026, 10, 6))
    store.save_settings({"retention_months": months})
    return ids


async def test_older_sessions_are_offered_and_deleted_on_yes(store, clock):
    ids = _setup(store, 12)
    app = app_for(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RetentionScreen)
        text = str(app.screen.query_one("#retention-question").render())
        assert "2 sessions started before 2025-11-17" in text and "12 months" in text
        assert [r["id"] for r in store.sessions()] == ids  # nothing deleted yet
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
    assert [r["id"] for r in store.sessions()] == ids[2:]


async def test_keep_leaves_them_and_the_offer_comes_back(store, clock):
    ids = _setup(store, 12)
    for key in ("k", "escape"):
        app = app_for(store, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RetentionScreen)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, SetupScreen)
        assert [r["id"] for r in store.sessions()] == ids


async def test_no_offer_without_the_setting_or_without_older_sessions(store, clock):
    _filed(store, (2025, 3, 1))
    for settings in ({}, {"retention_months": 24}, {"retention_months": "12"}):
        store.save_settings(settings)
        app = app_for(store, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SetupScreen)
        assert len(store.sessions()) == 1


def test_retention_screen_80x24(snap_compare, store, clock):
    _setup(store, 12)
    assert snap_compare(app_for(store, clock), terminal_size=(80, 24))
