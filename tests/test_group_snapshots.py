"""SVG snapshots of the pre-session view (setup screen after three sessions) and the
template editor, at 80x24. Dates are fixed (``FixedNow``) so the SVGs do not age.

Regenerate with ``pytest tests/test_group_snapshots.py --snapshot-update`` and look at
the result (tests/__snapshots__/test_group_snapshots/)."""

from __future__ import annotations

import pytest
from group_helpers import FixedNow, three_sessions
from ui_helpers import app_for

from balint_tui.domain.clock import ManualClock


@pytest.fixture
def store(store, monkeypatch):
    FixedNow().install(monkeypatch)
    three_sessions(store)
    return store


async def gus_away(pilot):
    roster = pilot.app.screen.query_one("#members")
    roster.highlighted = 6  # Gus
    await pilot.press("space")
    roster.highlighted = 0


def test_pre_session_80x24(snap_compare, store):
    assert snap_compare(app_for(store, ManualClock(0)), run_before=gus_away,
                        terminal_size=(80, 24))


def test_pre_session_no_color(snap_compare, store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(store, ManualClock(0))
    assert app.no_color
    assert snap_compare(app, run_before=gus_away, terminal_size=(80, 24))


def test_template_editor_80x24(snap_compare, store):
    assert snap_compare(app_for(store, ManualClock(0)), press=["ctrl+t"],
                        terminal_size=(80, 24))
