"""SVG snapshots of the live screen on a break (issue 24, item 1) at 60x20, 80x24 and
120x40: the floor panel says Break and its length, nothing else counts on."""

from __future__ import annotations

import pytest
from ui_helpers import app_for, demo_scene

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock


def break_app(store):
    """The demo scene, then a break of 10:05 (as after "keep to resume")."""
    clock = ManualClock(0)
    session = demo_scene(store, clock)
    clock.advance(5)
    session.record(ev.Pause)
    clock.advance(605)
    session.tick()
    return app_for(store, clock, session=session)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
def test_live_screen_on_a_break(snap_compare, store, size):
    assert snap_compare(break_app(store), terminal_size=size)
