"""The live journal: one fsynced line per event, torn tails ignored, damage set aside."""

from __future__ import annotations

import json
import os

import pytest
from store_helpers import mode, set_aside_files

from balint_tui.domain import events as ev
from balint_tui.domain.engine import EventSink
from balint_tui.store.errors import CorruptFileError, DataVersionError, StoreError
from balint_tui.store.journal import JOURNAL_FORMAT, JournalWriter, read_journal

EVENTS = [
    ev.Start(at=0),
    ev.Queue(at=5, who="m1"),
    ev.Case(at=10, who="m1"),
    ev.Speak(at=11, who="m1"),
    ev.Mark(at=20, kind="advice"),
]


def write(path, events=EVENTS):
    with JournalWriter(path, {"session_id": "s1"}) as w:
        for e in events:
            w.append(e)
    return path


def test_header_and_events_round_trip(tmp_path):
    path = write(tmp_path / "s1.jsonl")
    assert mode(path) == 0o600
    assert os.listdir(tmp_path) == ["s1.jsonl"]
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]) == {"format": JOURNAL_FORMAT, "session_id": "s1"}
    contents = read_journal(path)
    assert contents.events == EVENTS
    assert not contents.torn_tail and not contents.ended
    assert contents.good_size == path.stat().st_size


def test_writer_is_an_event_sink_and_fsyncs_each_append(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    w = JournalWriter(tmp_path / "s1.jsonl", {})
    assert isinstance(w, JournalWriter) and hasattr(w, "append")
    sink: EventSink = w
    before = len(synced)
    sink.append(EVENTS[0])
    sink.append(EVENTS[1])
    assert len(synced) - before == 2
    w.close()
    with pytest.raises(StoreError):
        w.append(EVENTS[2])


@pytest.mark.parametrize(
    "tail",
    [
        b'{"at": 30, "type": "sp',
        b'{"at": 30, "type": "speak", "who": "m2"}',
        b'{"at": 3\n',
        b"\x00\x00",
    ],
    ids=["cut-mid-line", "no-newline", "bad-last-line", "zeros"],
)
def test_torn_last_line_is_ignored_and_next_append_is_clean(tmp_path, tail):
    path = write(tmp_path / "s1.jsonl")
    good = path.read_bytes()
    with open(path, "ab") as f:
        f.write(tail)
    contents = read_journal(path)
    assert contents.torn_tail and contents.events == EVENTS
    assert path.read_bytes() == good + tail  # reading never changes the file
    with JournalWriter(path, {}) as w:  # reopening cuts the torn tail off
        assert w.header["session_id"] == "s1"
        w.append(ev.End(at=40))
    contents = read_journal(path)
    assert not contents.torn_tail
    assert contents.events == [*EVENTS, ev.End(at=40)] and contents.ended
    assert path.read_bytes().startswith(good)


@pytest.mark.parametrize(
    "damage",
    [
        lambda lines: lines.insert(2, b'{"at": 1, "ty'),  # torn line in the middle
        lambda lines: lines.insert(2, b'{"at": 1, "type": "nonsense"}'),  # unknown event
        lambda lines: lines.append(b'{"at": 99, "type": "mark", "kind": "free text!"}'),
        lambda lines: lines.__setitem__(0, b'{"format": "something else"}'),
        lambda lines: lines.__setitem__(0, b"[]"),
        lambda lines: lines.__setitem__(0, b"{not json"),
    ],
    ids=[
        "middle-torn",
        "middle-unknown",
        "last-valid-json-bad-event",
        "foreign",
        "header-list",
        "header-torn",
    ],
)
def test_damage_elsewhere_sets_the_file_aside(tmp_path, damage):
    path = write(tmp_path / "s1.jsonl")
    lines = path.read_bytes().split(b"\n")[:-1]
    damage(lines)
    raw = b"\n".join(lines) + b"\n"
    path.write_bytes(raw)
    with pytest.raises(CorruptFileError) as info:
        read_journal(path)
    assert "\n" not in str(info.value) and "s1.jsonl" in str(info.value)
    [aside] = set_aside_files(path)
    assert aside == info.value.set_aside and aside.read_bytes() == raw
    assert not path.exists()


def test_follower_reads_damage_without_moving_it(tmp_path):
    path = write(tmp_path / "s1.jsonl")
    raw = path.read_bytes().replace(b'"queue"', b'"qu"')
    path.write_bytes(raw)
    with pytest.raises(CorruptFileError) as info:
        read_journal(path, set_aside=False)
    assert info.value.set_aside is None and path.read_bytes() == raw


def test_newer_journal_format_is_a_version_error(tmp_path):
    path = tmp_path / "s1.jsonl"
    path.write_bytes(b'{"format": "balint-journal/2"}\n')
    with pytest.raises(DataVersionError):
        read_journal(path)
    assert path.exists()


def test_new_journal_never_replaces_an_existing_file(tmp_path):
    path = write(tmp_path / "s1.jsonl")
    before = path.read_bytes()
    with JournalWriter(path, {"session_id": "other"}) as w:  # reopens, keeps its header
        assert w.header["session_id"] == "s1"
    assert path.read_bytes() == before


def test_failed_append_leaves_no_partial_line(tmp_path, monkeypatch):
    path = tmp_path / "s1.jsonl"
    w = JournalWriter(path, {})
    w.append(EVENTS[0])
    real_write = os.write

    def half_then_fail(fd, data):
        if fd == w._fd:
            real_write(fd, bytes(data[:5]))
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(StoreError) as info:
        w.append(EVENTS[1])
    assert "not recorded" in str(info.value)
    monkeypatch.setattr(os, "write", real_write)
    w.append(EVENTS[1])
    w.close()
    contents = read_journal(path)
    assert contents.events == EVENTS[:2] and not contents.torn_tail
