"""A journal whose lines parse but do not replay is not offered forever (issue 12, item 4).

Events out of order, or naming a member the roster does not hold: the leader is told
once, the journal is set aside under a timestamped name (never overwritten, nothing
deleted), and what replays of it, up to the first bad line, is kept as a finished
session.
"""

from __future__ import annotations

import json

import pytest
from store_helpers import make_group, make_plan
from ui_helpers import Notes, app_for

from balint_tui.application.live import LiveSession, finish_ended_sessions, finish_interrupted
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.store.errors import StoreError
from balint_tui.store.store import Store
from balint_tui.ui.screens.resume import ResumeScreen
from balint_tui.ui.screens.setup import SetupScreen

GOOD = [
    ev.Start(at=0, present=("m0", "m1", "m2")),
    ev.Queue(at=5, who="m1"),
    ev.Case(at=10, who="m1"),
    ev.Speak(at=20, who="m1"),
    ev.Speak(at=40, who="m2"),
    ev.Speak(at=60, who="m0"),
]


def _swap(lines):  # lines 5 and 6 (events at 20 and 40) change places
    lines[4], lines[5] = lines[5], lines[4]


def _stranger(lines):  # line 6 names a member the roster does not hold
    event = json.loads(lines[5])
    event["who"] = "m99"
    lines[5] = json.dumps(event)


# what replays of each: the events before the first one that does not
BREAKS = {
    "swapped": (_swap, [*GOOD[:3], GOOD[4]]),
    "unknown-member": (_stranger, GOOD[:4]),
}


def _journal(data, breaker, *, ended=False):
    store = Store.open(data)
    group = make_group()
    store.save_group(group)
    writer = store.begin_session(group, make_plan())
    sid = writer.header["session_id"]
    for event in GOOD + ([ev.End(at=90)] if ended else []):
        writer.append(event)
    writer.close()
    path = store.journal_path(sid)
    lines = path.read_text().splitlines()
    breaker(lines)
    path.write_text("\n".join(lines) + "\n")
    return store, sid, path, path.read_bytes()


def _set_aside_and_kept(store, sid, path, raw, kept):
    (aside,) = path.parent.glob(f"{path.name}.corrupt-*")
    assert aside.read_bytes() == raw  # the whole journal, as it was
    assert not path.exists()
    assert store.unfinished() == [] and store.live_journals() == []
    record = store.load_session(sid)
    assert record.events[:-1] == kept
    assert record.events[-1].type == "end"
    assert record.events[-1].at == kept[-1].at  # ended where the good part stops
    assert [r["id"] for r in store.sessions()] == [sid]


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_resume_sets_it_aside_once_and_keeps_what_replays(tmp_path, kind):
    breaker, kept = BREAKS[kind]
    store, sid, path, raw = _journal(tmp_path / "data", breaker)
    assert [j.session_id for j in store.unfinished()] == [sid]
    with pytest.raises(StoreError) as info:
        LiveSession.resume(store, sid, clock=ManualClock(0))
    message = str(info.value)
    assert "\n" not in message and path.name in message and "line 6" in message
    assert "set aside" in message and f"first {len(kept)} event(s)" in message
    _set_aside_and_kept(store, sid, path, raw, kept)
    store.close()


def test_end_it_sets_it_aside_too(tmp_path):
    store, sid, path, raw = _journal(tmp_path / "data", _swap)
    with pytest.raises(StoreError):
        finish_interrupted(store, sid)
    _set_aside_and_kept(store, sid, path, raw, BREAKS["swapped"][1])
    store.close()


def test_an_ended_journal_that_does_not_replay_is_told_at_start_up_once(tmp_path):
    store, sid, path, raw = _journal(tmp_path / "data", _swap, ended=True)
    assert finish_ended_sessions(store) == []
    (warning,) = store.warnings
    assert "does not replay" in warning and "\n" not in warning
    _set_aside_and_kept(store, sid, path, raw, BREAKS["swapped"][1])
    store.close()
    with Store.open(tmp_path / "data") as again:
        assert finish_ended_sessions(again) == [] and again.warnings == []


def test_a_first_line_that_does_not_replay_keeps_nothing_but_the_file(tmp_path):
    def no_start(lines):
        del lines[1]  # the start event is gone: a queue replays, then the case does not

    store, sid, path, raw = _journal(tmp_path / "data", no_start)
    with pytest.raises(StoreError) as info:
        LiveSession.resume(store, sid, clock=ManualClock(0))
    assert "nothing before it" in str(info.value)
    (aside,) = path.parent.glob(f"{path.name}.corrupt-*")
    assert aside.read_bytes() == raw and not path.exists()
    assert store.unfinished() == [] and store.sessions() == []
    store.close()


@pytest.mark.parametrize("key", ["r", "e"])
async def test_the_app_says_it_once_and_never_offers_it_again(tmp_path, key):
    store, sid, _path, _raw = _journal(tmp_path / "data", _swap)
    app = app_for(store, ManualClock(0))
    notes = Notes(app)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
    (said,) = [m for m in notes.messages if "does not replay" in m]
    assert "set aside" in said
    app = app_for(store, ManualClock(0))
    notes = Notes(app)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)  # no resume offer
    assert not [m for m in notes.messages if "resume" in m.lower() or "end it" in m.lower()]
    assert [r["id"] for r in store.sessions()] == [sid]
    store.close()
