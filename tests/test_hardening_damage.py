"""Damaged data and a failing disk, in process: a full disk, an I/O error, a read-only
folder, a data folder or journal that disappears mid-session, damaged and foreign files.

During a live session a failed write never loses the event: it is kept in memory, the
state moves on, the leader is told once, and it is written, in order, before anything
newer as soon as the disk lets it. Damaged files are set aside with a timestamped name,
never overwritten; every error is one line naming the file.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from hardening_helpers import Faults, make_group, make_plan, one_line, rules_factory

from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.store.errors import (
    CorruptFileError,
    DataVersionError,
    JournalUnavailable,
    StoreError,
)
from balint_tui.store.store import Store

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")

STEPS = [
    ("queue", {"who": "m1"}),
    ("case", {"who": "m1"}),
    ("phase", {"phase": "presentation"}),
    ("speak", {"who": "m1"}),
    ("phase", {"phase": "questions"}),
    ("speak", {"who": "m2", "to_presenter": True}),
    ("mark", {"kind": "advice"}),  # surfaces a prompt card: the engine records it too
    ("silence", {}),
    ("speak", {"who": "m0"}),
    ("mark", {"kind": "tension"}),
    ("speak", {"who": "leader"}),
    ("speak", {"who": "m3"}),
]


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def faults(data, monkeypatch):
    return Faults(data).install(monkeypatch.setattr)


def _start(data, clock):
    store = Store.open(data)
    store.save_group(make_group())
    live = LiveSession.start(
        store, store.group("g1"), make_plan(), ["m0", "m1", "m2", "m3"], clock=clock,
        rules_factory=rules_factory(),
    )
    return store, live


def _record(live, clock, steps):
    for kind, fields in steps:
        clock.advance(7)
        live.record(kind, **fields)


def _on_disk(store, live):
    contents = store.read_journal(live.session_id)
    assert not contents.torn_tail
    return contents.events


@pytest.mark.parametrize("mode,partial", [("enospc", False), ("enospc", True), ("eio", False)])
def test_failed_writes_keep_events_in_memory_tell_once_and_catch_up(data, faults, mode, partial):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS[:3])
    faults.mode, faults.partial = mode, partial
    _record(live, clock, STEPS[3:9])
    # the screen kept working: the state moved on with every event
    assert live.state.floor == "m0" and live.state.phase == "questions"
    assert any(e.type == "prompt" for e in live.events[-6:])  # the rules ran too
    assert live.pending >= 6 and faults.hits > 0
    problem = live.write_problem
    assert one_line(problem) and live.session_id in problem and "kept in memory" in problem
    assert f"{live.pending} actions are kept" in problem
    notice = live.take_write_notice()  # told once, however many writes failed
    assert one_line(notice) and ".jsonl" in notice
    assert live.take_write_notice() is None
    clock.advance(1)
    live.tick()  # retried, still failing: nothing new to say
    assert live.take_write_notice() is None and live.pending >= 6
    before = len(_on_disk(store, live))
    assert before == len(live.events) - live.pending  # no half line, nothing out of order
    faults.mode = None
    clock.advance(1)
    live.tick()  # the disk is back: everything kept is written, in order
    assert live.pending == 0 and live.write_problem is None
    assert "can be written again" in live.take_write_notice()
    assert live.take_write_notice() is None
    _record(live, clock, STEPS[9:])
    assert _on_disk(store, live) == live.events
    sid = live.finish()
    assert store.load_session(sid).events == live.events
    store.close()


def test_pending_events_go_before_any_later_event(data, faults):
    clock = ManualClock()
    store, live = _start(data, clock)
    faults.mode = "enospc"
    _record(live, clock, STEPS[:4])
    faults.mode = None
    _record(live, clock, STEPS[4:5])  # the next key press writes the kept ones first
    assert live.pending == 0
    assert [e.type for e in _on_disk(store, live)] == ["start", "queue", "case", "phase",
                                                        "speak", "phase"]
    live.close()
    store.close()


def test_finish_while_the_disk_is_full_loses_nothing(data, faults):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS)
    faults.mode = "enospc"
    clock.advance(30)
    with pytest.raises(JournalUnavailable) as info:
        live.finish()
    assert one_line(str(info.value)) and live.state.ended and live.pending
    assert store.sessions() == []
    faults.mode = None
    sid = live.finish()  # once the disk is back, the same call files it
    assert store.load_session(sid).events == live.events
    assert live.events[-1].type == "end" or any(e.type == "end" for e in live.events)
    assert store.unfinished() == [] and not store.journal_path(sid).exists()
    store.close()


def test_start_with_a_full_disk_says_so_and_leaves_nothing_to_resume(data, faults):
    store = Store.open(data)
    store.save_group(make_group())
    faults.mode = "enospc"
    with pytest.raises(StoreError) as info:
        LiveSession.start(store, store.group("g1"), make_plan(), ["m0"], clock=ManualClock())
    assert one_line(str(info.value)) and "No space left" in str(info.value)
    faults.mode = None
    assert store.unfinished() == []
    store.close()


def test_data_folder_moved_away_mid_session_and_back(data, tmp_path):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS[:4])
    away = tmp_path / "unplugged"
    data.rename(away)  # the drive went away
    _record(live, clock, STEPS[4:8])
    assert live.pending >= 4 and "is not there" in live.write_problem, live.write_problem
    assert one_line(live.take_write_notice())
    clock.advance(1)
    live.tick()
    assert live.pending >= 4
    away.rename(data)  # and came back
    clock.advance(1)
    live.tick()
    assert live.pending == 0 and "again" in live.take_write_notice()
    assert _on_disk(store, live) == live.events
    live.finish()
    store.close()


def test_data_folder_deleted_mid_session_is_written_again_when_it_is_back(data):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS[:4])
    shutil.rmtree(data)
    _record(live, clock, STEPS[4:8])
    assert live.pending >= 4 and str(data) in live.write_problem
    clock.advance(1)
    live.tick()  # not recreated behind the leader's back while the folder is gone
    assert not data.exists() and live.pending >= 4
    data.mkdir()
    _record(live, clock, STEPS[8:])
    assert live.pending == 0
    assert _on_disk(store, live) == live.events  # header and every event, from memory
    sid = live.finish()
    assert store.load_session(sid).events == live.events
    store.close()
    with Store.open(data) as again:  # a new index that knows its version: no upgrade
        assert again.warnings == [] and [r["id"] for r in again.sessions()] == [sid]


def test_journal_deleted_mid_session_is_rewritten_at_once(data):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS[:4])
    os.unlink(store.journal_path(live.session_id))
    _record(live, clock, STEPS[4:5])
    assert live.pending == 0
    assert _on_disk(store, live) == live.events
    assert "no longer there" in live.take_write_notice()
    assert "again" in live.take_write_notice()
    live.close()
    store.close()


def test_journal_replaced_mid_session_is_set_aside_not_overwritten(data):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS[:4])
    path = store.journal_path(live.session_id)
    tmp = path.with_name("other")
    tmp.write_bytes(b"somebody else's file\n")
    os.replace(tmp, path)
    _record(live, clock, STEPS[4:6])
    assert live.pending == 0 and _on_disk(store, live) == live.events
    [aside] = path.parent.glob(f"{path.name}.corrupt-*")
    assert aside.read_bytes() == b"somebody else's file\n"
    live.close()
    store.close()


def test_read_only_data_folder(data, faults):
    Store.open(data).close()
    with Store.open(data) as store:
        store.save_group(make_group())
    faults.mode = "erofs"
    with pytest.raises(StoreError) as info:
        Store.open(data)
    assert one_line(str(info.value)) and "Read-only file system" in str(info.value)
    assert str(data) in str(info.value)
    with Store.open(data, readonly=True) as follower:  # reading still works
        assert follower.group("g1").name == "Tuesday group"


def test_read_only_mid_session_keeps_events(data, faults):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS[:3])
    faults.mode = "erofs"
    _record(live, clock, STEPS[3:6])
    assert live.pending == 3 and "Read-only" in live.write_problem
    faults.mode = None
    live.tick()
    assert live.pending == 0 and _on_disk(store, live) == live.events
    live.close()
    store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions")
def test_read_only_by_permissions(data):
    Store.open(data).close()
    (data / "index.json").chmod(0o400)
    (data / ".lock").chmod(0o400)
    try:
        with pytest.raises(StoreError) as info:
            Store.open(data)
        assert one_line(str(info.value))
    finally:
        (data / ".lock").chmod(0o600)
        (data / "index.json").chmod(0o600)


def test_close_with_events_kept_says_how_many_are_not_written(data, faults):
    clock = ManualClock()
    store, live = _start(data, clock)
    faults.mode = "enospc"
    _record(live, clock, STEPS[:2])
    assert live.close() == 2  # the caller must warn before quitting
    faults.mode = None
    with pytest.raises(StoreError):
        live.record("silence")  # closed: nothing recorded behind the leader's back
    store.close()


# ---------------------------------------------------------------- damaged files at rest
def _finished(data):
    clock = ManualClock()
    store, live = _start(data, clock)
    _record(live, clock, STEPS)
    sid = live.finish()
    store.close()
    return sid


DAMAGE = {
    "truncated": lambda raw: raw[:-7],  # a write cut short
    "half": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: os.urandom(64) + b"\xff\xfe",
    "empty": lambda raw: b"",
    "list": lambda raw: b"[1, 2, 3]",
    "wrong-shape": lambda raw: json.dumps({"sessions": {"1": {"id": 7}}}).encode(),
    "deep": lambda raw: b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("which", ["record", "journal"])
def test_damaged_files_are_set_aside_with_a_timestamp_never_overwritten(data, damage, which):
    sid = _finished(data)
    if which == "journal":  # an interrupted session's journal
        clock = ManualClock()
        store, live = _start(data, clock)
        _record(live, clock, STEPS[:3])
        live.close()
        store.close()
        sid = live.session_id
    path = data / ("sessions" if which == "record" else "journals") / (
        f"{sid}.json" if which == "record" else f"{sid}.jsonl")
    raw = DAMAGE[damage](path.read_bytes())
    path.write_bytes(raw)

    def look(store: Store) -> str:
        if which == "record":
            with pytest.raises(CorruptFileError) as info:
                store.load_session(sid)
            return str(info.value)
        assert store.unfinished() == []
        [warning] = store.warnings
        store.warnings.clear()
        return warning

    with Store.open(data) as store:
        if which == "journal" and damage == "truncated":
            # a cut last line is what a crash leaves: ignored, the session is offered
            assert [j.session_id for j in store.unfinished()] == [sid]
            return
        message = look(store)
        assert one_line(message) and path.name in message and "moved aside" in message
        [aside] = path.parent.glob(f"{path.name}.corrupt-2*")
        assert aside.read_bytes() == raw and not path.exists()
        path.write_bytes(raw)  # damaged again: set aside under its own name
        look(store)
    assert sorted(p.read_bytes() for p in path.parent.glob(f"{path.name}.corrupt-*")) == [raw, raw]


def test_newer_session_record_is_refused_and_left_alone(data):
    sid = _finished(data)
    path = data / "sessions" / f"{sid}.json"
    record = json.loads(path.read_text())
    record["format"] = "balint-session/7"
    record["new_field"] = [1, 2]
    path.write_text(json.dumps(record))
    raw = path.read_bytes()
    with Store.open(data) as store, pytest.raises(DataVersionError) as info:
        store.load_session(sid)
    message = str(info.value)
    assert one_line(message) and "newer balint-tui" in message and path.name in message
    assert path.read_bytes() == raw and not list(path.parent.glob("*.corrupt-*"))


def test_newer_journal_is_reported_not_offered_and_left_alone(data):
    clock = ManualClock()
    store, live = _start(data, clock)
    live.close()
    store.close()
    path = data / "journals" / f"{live.session_id}.jsonl"
    lines = path.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    header["format"] = "balint-journal/3"
    raw = b"\n".join([json.dumps(header).encode(), *lines[1:]])
    path.write_bytes(raw)
    with Store.open(data) as store:
        assert store.unfinished() == []
        [warning] = store.warnings
    assert one_line(warning) and "newer balint-tui" in warning and path.read_bytes() == raw


def test_hand_edited_names_with_escapes_are_refused_at_every_file(data):
    sid = _finished(data)
    bad = "Ana\x1b]52;c;aGk=\x07"  # OSC 52: would write the clipboard
    index = json.loads((data / "index.json").read_text())
    index["groups"]["1"]["members"][0]["name"] = bad
    (data / "index.json").write_text(json.dumps(index))
    record_path = data / "sessions" / f"{sid}.json"
    record = json.loads(record_path.read_text())
    record["roster"][0]["name"] = bad
    record_path.write_text(json.dumps(record))
    with Store.open(data) as store:
        with pytest.raises(CorruptFileError) as info:
            store.groups()
        assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)
        with pytest.raises(CorruptFileError) as info:
            store.load_session(sid)
        assert "\x1b" not in str(info.value)
