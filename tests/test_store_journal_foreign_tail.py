"""Bytes appended to the live journal by something else (a torn tail no write of ours
left) never swallow the next event: the writer cuts them off before its line, so "End
and save" files the session; and the line said at the shell tells what became of the
session (issue 22, item 15)."""

from __future__ import annotations

import pytest
from ui_helpers import app_for, group_of, start

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock


def test_the_next_event_starts_a_line_of_its_own_and_the_session_files(store):
    session = start(store, group_of(["Ana", "Ben"]), ManualClock(0))
    ana, ben = session.state.members
    session.record(ev.Speak, who=ana)
    path = session.writer.path
    with open(path, "ab") as f:
        f.write(b"garbage, no newline")
    session.record(ev.Speak, who=ben)
    assert session.pending == 0
    assert [e.type for e in store.read_journal(session.session_id).events][-2:] == [
        "speak", "speak"]
    sid = session.finish()
    assert sid in [row.id for row in store.index_rows()]
    assert not path.exists()  # filed, not set aside
    assert not list(path.parent.glob("*.corrupt-*"))
    assert [s.session_id for s in store.unfinished()] == []


def test_a_foreign_line_with_its_newline_is_cut_off_too(store):
    session = start(store, group_of(["Ana", "Ben"]), ManualClock(0))
    ana, _ = session.state.members
    with open(session.writer.path, "ab") as f:
        f.write(b"{\"not\": \"an event\"}\nmore\n")
    session.record(ev.Speak, who=ana)
    session.finish()
    assert not list(session.writer.path.parent.glob("*.corrupt-*"))


def test_a_journal_cut_short_behind_the_writer_is_written_whole_again(store):
    session = start(store, group_of(["Ana", "Ben"]), ManualClock(0))
    ana, ben = session.state.members
    session.record(ev.Speak, who=ana)
    session.record(ev.Speak, who=ben)
    path = session.writer.path
    raw = path.read_bytes()
    with open(path, "r+b") as f:
        f.truncate(raw.rstrip(b"\n").rfind(b"\n") + 1)  # the last event gone
    session.record(ev.Silence)
    session.tick()  # the events kept in memory are written again, in order
    assert session.pending == 0
    types = [e.type for e in store.read_journal(session.session_id).events]
    assert types[-3:] == ["speak", "speak", "silence"]


async def test_end_and_save_after_garbage_says_saved(store):
    clock = ManualClock(0)
    session = start(store, group_of(["Ana", "Ben"]), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test() as pilot:
        with open(session.writer.path, "ab") as f:
            f.write(b"\x00garbage")
        await pilot.press("1", "2")
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("e")  # end and save
        await pilot.pause()
        line = app.farewell()
    assert "saved" in line and "kept to resume" not in line, line


async def test_a_journal_set_aside_is_never_said_kept_to_resume(store):
    """A line in the middle of the journal damaged behind the writer: "End and save"
    fails twice, the journal is set aside, and the line at the shell says so."""
    clock = ManualClock(0)
    session = start(store, group_of(["Ana", "Ben"]), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test() as pilot:
        await pilot.press("1", "2", "1")
        await pilot.pause()
        path = session.writer.path
        raw = path.read_bytes()
        second = raw.index(b"\n") + 1
        with open(path, "r+b") as f:  # same size, same file: line 2 is no JSON now
            f.seek(second)
            f.write(b"#" * 5)
        for _ in range(3):
            await pilot.press("q")
            await pilot.pause()
            if app.is_running and app.screen.__class__.__name__ == "QuitScreen":
                await pilot.press("e")
                await pilot.pause()
        line = app.farewell()
    assert "kept to resume" not in line, line
    assert "not saved" in line and "set aside" in line, line
    assert store.unfinished() == []


async def test_an_ended_session_not_filed_is_said_to_be_filed_at_the_next_start(store):
    clock = ManualClock(0)
    session = start(store, group_of(["Ana", "Ben"]), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test() as pilot:
        await pilot.press("1")
        await pilot.pause()
        session.record(ev.End)
        app.exit()
    line = app.farewell()
    assert "kept to resume" not in line and "next balint-tui start files it" in line, line


@pytest.mark.parametrize("key", ["r", "e"])
async def test_a_resume_that_sets_the_journal_aside_is_not_said_kept(tmp_path, key):
    """Resume (or end) of a journal that does not replay sets it aside and files what
    replays: the exit line says so, never "kept to resume"."""
    from test_store_unreplayable import _journal, _swap

    store, _sid, _path, _raw = _journal(tmp_path / "data", _swap)
    app = app_for(store, ManualClock(0))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        app.exit()
    line = app.farewell()
    assert "kept to resume" not in line and "set aside as" in line, line
    store.close()


def test_the_crash_line_says_what_the_disk_holds(store):
    from balint_tui.ui.exit_line import (
        CRASH_ENDED,
        CRASH_FILED,
        CRASH_LINE,
        CRASH_LOST,
        CRASH_NO_SESSION,
        crash_line,
    )

    assert crash_line(store, None) == CRASH_NO_SESSION
    session = start(store, group_of(["Ana", "Ben"]), ManualClock(0))
    sid = session.session_id
    assert crash_line(store, sid) == CRASH_LINE  # unfinished: offered for resume
    session.record(ev.End)
    assert crash_line(store, sid) == CRASH_ENDED
    session.finish()
    assert crash_line(store, sid) == CRASH_FILED
    other = start(store, group_of(["Cy", "Di"], name="Other", gid="g2"), ManualClock(0))
    other.close()
    store.journal_path(other.session_id).unlink()
    assert crash_line(store, other.session_id) == CRASH_LOST
    for line in (CRASH_ENDED, CRASH_FILED, CRASH_LINE, CRASH_LOST, CRASH_NO_SESSION):
        assert len(f"balint-tui: {line}") <= 80
