"""The real app on a pseudo-terminal (80x24): ``2``, ``3``, ``z`` leaves Ben (member 2
of the demo group) with the floor, and the journal on disk holds the ``undo``."""

from __future__ import annotations

import signal

import pytest
from hardening_helpers import HARDENING  # noqa: F401 - puts tests/hardening on the path
from terminal import FIRST_FRAME, Terminal

from balint_tui.application.launch import DEMO_MEMBERS
from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.store.store import Store

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGHUP"), reason="needs a POSIX pseudo-terminal"
)


def test_2_3_z_in_a_terminal_leaves_ben_with_the_floor(tmp_path):
    assert DEMO_MEMBERS[1] == "Ben"
    data = tmp_path / "data"
    term = Terminal.start("--data-dir", str(data), "demo")
    try:
        term.wait_for(FIRST_FRAME)
        term.press("2", "Ben")
        term.press("3", "Chloe")
        term.press("z", "Undone: Chloe's turn")
        term.signal(signal.SIGTERM)
        assert term.finish() == 0
    finally:
        term.kill()
    with Store.open(data) as store:
        [info] = store.unfinished()
        events = [e for e in store.read_journal(info.session_id).events if e.type != "prompt"]
        names = store.read_journal(info.session_id).header
    assert [e.type for e in events] == ["start", "queue", "speak", "speak", "undo"]
    roster = {r["id"]: r["name"] for r in names["roster"]}
    assert [roster[e.who] for e in events if e.type == "speak"] == ["Ben", "Chloe"]
    # what every reader folds: Ben holds the floor
    with Store.open(data) as store:
        session = LiveSession.resume(store, info.session_id, clock=ManualClock(events[-1].at))
        assert roster[session.state.floor] == "Ben"
        session.close()
