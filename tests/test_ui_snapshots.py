"""SVG snapshots of the screens (pytest-textual-snapshot), time fixed.

Regenerate with ``pytest tests/test_ui_snapshots.py --snapshot-update`` and look at the
result before committing (the SVGs are in tests/__snapshots__/).
"""

from __future__ import annotations

from ui_helpers import app_for, demo_scene, group_of

from balint_tui.domain.clock import ManualClock


def live_app(store):
    clock = ManualClock(0)
    return app_for(store, clock, session=demo_scene(store, clock))


def test_live_screen_80x24(snap_compare, store):
    assert snap_compare(live_app(store), terminal_size=(80, 24))


def test_live_screen_120x40(snap_compare, store):
    assert snap_compare(live_app(store), terminal_size=(120, 40))


def test_live_screen_no_color(snap_compare, store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = live_app(store)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24))


def test_live_screen_mark_mode(snap_compare, store):
    assert snap_compare(live_app(store), press=["m"], terminal_size=(80, 24))


def test_help_screen(snap_compare, store):
    assert snap_compare(live_app(store), press=["question_mark"], terminal_size=(80, 24))


def test_setup_screen(snap_compare, store):
    store.save_group(group_of(["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"]))

    async def away(pilot):
        roster = pilot.app.screen.query_one("#members")
        roster.highlighted = 3
        await pilot.press("space")
        roster.highlighted = 0

    assert snap_compare(app_for(store, ManualClock(0)), run_before=away, terminal_size=(80, 24))


def test_live_screen_60x20(snap_compare, store):
    assert snap_compare(live_app(store), terminal_size=(60, 20))


def over_app(store):
    """The demo scene run past its case's share and the session's planned end."""
    from ui_helpers import demo_scene

    clock = ManualClock(0)
    session = demo_scene(store, clock)
    clock.set(3600 + 192)
    session.tick()
    return app_for(store, clock, session=session)


def test_live_screen_over_120x40(snap_compare, store):
    assert snap_compare(over_app(store), terminal_size=(120, 40))


def test_live_screen_over_no_color(snap_compare, store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(over_app(store), terminal_size=(80, 24))
