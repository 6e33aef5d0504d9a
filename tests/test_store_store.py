"""``Store``: groups, templates, settings, sessions; finishing is crash-safe; start-up
reads the index only; one writer per data folder."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import make_group, make_plan, mode, set_aside_files

from balint_tui.domain import events as ev
from balint_tui.domain.model import Member, Template
from balint_tui.store.errors import (
    CorruptFileError,
    DataDirLockedError,
    DataVersionError,
    StoreError,
)
from balint_tui.store.store import Store

SESSION = [
    ev.Start(at=0, present=("m0", "m1", "m2")),
    ev.Queue(at=5, who="m1"),
    ev.Queue(at=6, who="m2"),
    ev.Case(at=10, who="m1"),
    ev.Speak(at=11, who="m1"),
    ev.Arrive(at=12, who="m3"),
    ev.Speak(at=30, who="leader"),
    ev.End(at=60),
]
SUMMARY = {"duration_s": 60.0}


def run_session(store, group, events=SESSION, started_wall=None, finish=True):
    writer = store.begin_session(group, make_plan(), started_wall=started_wall)
    sid = writer.header["session_id"]
    for e in events:
        writer.append(e)
    writer.close()
    if finish:
        store.finish_session(sid, events, SUMMARY)
    return sid


def test_open_creates_private_layout(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.save_group(make_group())
    for folder in (data, data / "sessions", data / "journals"):
        assert mode(folder) == 0o700
    for f in (data / "index.json", data / ".lock"):
        assert mode(f) == 0o600
    assert json.loads((data / "index.json").read_text())["meta"] == {"1": {"data_version": 2}}


def test_groups_round_trip_and_update(store):
    g = make_group()
    store.save_group(g)
    assert store.groups() == [g]
    g2 = g.model_copy(update={"members": [*g.members, Member(id="m9", name="Zoe")]})
    store.save_group(g2)
    assert store.group("g1") == g2 and len(store.groups()) == 1
    assert store.group("nope") is None


def test_templates_overlay_builtins(store):
    base = store.templates()
    assert {"classic", "residency"} <= set(base)
    mine = Template(name="classic", duration_min=75, cases=1, phases=("presentation", "discussion"))
    store.save_template(mine)
    store.save_template(Template(name="short", duration_min=30, cases=1, phases=("discussion",)))
    t = store.templates()
    assert t["classic"] == mine and t["residency"] == base["residency"] and "short" in t
    store.delete_template("classic")
    assert store.templates()["classic"] == base["classic"]


def test_settings_replace_whole(store):
    assert store.settings() == {}
    store.save_settings({"thresholds": {"tolerate_silence_s": 30}, "x": 1})
    store.save_settings({"thresholds": {"cooldown_s": 10}})
    assert store.settings() == {"thresholds": {"cooldown_s": 10}}
    store.settings()["thresholds"]["cooldown_s"] = 99  # a caller's copy, not the store's
    assert store.settings() == {"thresholds": {"cooldown_s": 10}}
    with pytest.raises(StoreError):
        store.save_settings({"bad": float("nan")})


def test_finished_session_row_and_record(store):
    g = make_group()
    store.save_group(g)
    sid = run_session(store, g)
    [row] = store.sessions()
    assert row["id"] == sid and row["group_id"] == "g1" and row["ended"] is True
    assert row["duration_s"] == 60.0 and row["cases"] == 1 and row["template"] == "classic"
    assert row["attended"] == ["m0", "m1", "m2", "m3"]
    assert row["presented"] == ["m1"] and row["bumped"] == ["m2"]
    assert row["started_wall"].endswith("Z")
    # no names of anyone in the index rows
    assert not {"Ana", "Ben", "Chloe", "Dev"} & set(json.dumps(store.sessions()).split('"'))
    record = store.load_session(sid)
    assert record.events == SESSION and record.summary == SUMMARY
    assert record.names == {"m0": "Ana", "m1": "Ben", "m2": "Chloe", "m3": "Dev"}
    assert not store.journal_path(sid).exists()
    assert mode(store.session_path(sid)) == 0o600
    [past] = store.past_sessions("g1")
    assert past.attended == ("m0", "m1", "m2", "m3") and past.bumped == ("m2",)
    assert past.presented == ("m1",)


def test_sessions_oldest_first_and_by_group(store):
    g, h = make_group("g1"), make_group("g2", "Other")
    store.save_group(g)
    store.save_group(h)
    now = datetime.now(UTC)
    late = run_session(store, g, started_wall=now)
    early = run_session(store, g, started_wall=now - timedelta(days=7))
    other = run_session(store, h, started_wall=now - timedelta(days=3))
    assert [r["id"] for r in store.sessions()] == [early, other, late]
    assert [r["id"] for r in store.sessions("g1")] == [early, late]
    assert len(store.past_sessions("g2")) == 1


def test_finish_is_idempotent(store):
    g = make_group()
    store.save_group(g)
    sid = run_session(store, g)
    before = store.session_path(sid).read_bytes()
    store.finish_session(sid, SESSION[:2], {"other": 1})
    store.finish_session(sid, None, SUMMARY)
    assert len(store.sessions()) == 1
    assert store.session_path(sid).read_bytes() == before


@pytest.mark.parametrize("crash_in", ["_complete_finish", "_remove"])
def test_crash_between_finish_steps_is_recovered(tmp_path, crash_in, monkeypatch):
    data = tmp_path / "data"
    store = Store.open(data)
    g = make_group()
    store.save_group(g)
    sid = run_session(store, g, finish=False)

    def crash(*a, **k):
        raise KeyboardInterrupt("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(Store, crash_in, crash)
        with pytest.raises(KeyboardInterrupt):
            store.finish_session(sid, SESSION, SUMMARY)
    store.close()
    assert store.session_path(sid).exists() and store.journal_path(sid).exists()
    with Store.open(data) as store:
        assert store.unfinished() == []  # never offered: its record exists
        assert [r["id"] for r in store.sessions()] == [sid]
        assert not store.journal_path(sid).exists()
        store.finish_session(sid, SESSION, SUMMARY)
        assert len(store.sessions()) == 1


def test_unfinished_lists_interrupted_journals_only(store):
    g = make_group()
    store.save_group(g)
    finished = run_session(store, g)
    live = run_session(store, g, events=SESSION[:4], finish=False)
    ended = run_session(store, g, events=SESSION, finish=False)
    [info] = store.unfinished()
    assert info.session_id == live and info.events == 4 and info.last_at == 10
    assert not info.ended and info.header.names["m0"] == "Ana"
    assert {j.session_id for j in store.live_journals()} == {live, ended}
    assert finished not in {j.session_id for j in store.live_journals()}


def test_damaged_journal_is_set_aside_and_reported(store):
    g = make_group()
    store.save_group(g)
    sid = run_session(store, g, events=SESSION[:4], finish=False)
    path = store.journal_path(sid)
    raw = path.read_bytes().replace(b'"queue"', b'"q"', 1)
    path.write_bytes(raw)
    assert store.unfinished() == []
    [warning] = store.warnings
    assert "\n" not in warning and path.name in warning
    [aside] = set_aside_files(path)
    assert aside.read_bytes() == raw


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"[]", b'{"format": "balint-session/1"}', b"\xff\xfe"],
    ids=["empty", "truncated", "list", "wrong-shape", "binary"],
)
def test_damaged_session_file_is_set_aside(store, raw):
    g = make_group()
    store.save_group(g)
    sid = run_session(store, g)
    path = store.session_path(sid)
    path.write_bytes(raw)
    with pytest.raises(CorruptFileError) as info:
        store.load_session(sid)
    [aside] = set_aside_files(path)
    assert aside.read_bytes() == raw and not path.exists()
    assert "\n" not in str(info.value)
    with pytest.raises(StoreError) as info:  # now missing: one line, no traceback
        store.load_session(sid)
    assert "no file" in str(info.value)


def test_damaged_index_is_kept_aside_and_restored_from_its_mirror(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.save_group(make_group())
    raw = (data / "index.json").read_bytes()[:-7]
    (data / "index.json").write_bytes(raw)
    with Store.open(data) as store:
        assert [g.name for g in store.groups()] == [make_group().name]
        (warning,) = store.warnings
        assert "index.json" in warning and "mirror" in warning and "\n" not in warning
    (aside,) = data.glob("index.json.corrupt-*")
    assert aside.read_bytes() == raw  # the damaged file is kept, never overwritten


def test_damaged_index_without_mirror_is_rebuilt_from_session_files(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        group = make_group()
        store.save_group(group)
        session_id = store.import_session(
            group, make_plan(), [ev.Start(at=0), ev.End(at=60)], {"duration_s": 60.0}
        )
    (data / "index.json").write_bytes(b"\x00garbage")
    (data / "index.mirror.json").unlink()
    with Store.open(data) as store:
        assert [r["id"] for r in store.sessions()] == [session_id]
        (rebuilt,) = store.groups()
        assert rebuilt.id == group.id
        assert [m.name for m in rebuilt.members] == [m.name for m in group.members]
        assert "session files" in store.warnings[0]
    assert len(list(data.glob("index.json.corrupt-*"))) == 1


def test_bad_group_row_is_reported_not_set_aside(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.save_group(make_group())
    index = json.loads((data / "index.json").read_text())
    index["groups"]["1"]["members"][0]["name"] = "x\x1b[31m"
    (data / "index.json").write_text(json.dumps(index))
    with Store.open(data) as store, pytest.raises(CorruptFileError) as info:
        store.groups()
    assert info.value.set_aside is None and "\x1b" not in str(info.value)
    assert (data / "index.json").exists()


def test_newer_data_version_refuses_to_open(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    index = json.loads((data / "index.json").read_text())
    index["meta"]["1"]["data_version"] = 3
    (data / "index.json").write_text(json.dumps(index))
    with pytest.raises(DataVersionError) as info:
        Store.open(data)
    assert "\n" not in str(info.value) and "upgrade" in str(info.value)
    with pytest.raises(DataVersionError):
        Store.open(data, readonly=True)
    from balint_tui.store.lock import DataDirLock

    with DataDirLock(data):  # a refused open released its lock
        pass


def test_delete_session_and_group(store):
    g, h = make_group("g1"), make_group("g2", "Other")
    store.save_group(g)
    store.save_group(h)
    a = run_session(store, g)
    b = run_session(store, h)
    live = run_session(store, g, events=SESSION[:3], finish=False)
    store.delete_session(b)
    assert not store.session_path(b).exists() and [r["id"] for r in store.sessions()] == [a]
    store.delete_group("g1")
    assert store.groups() == [h] and store.sessions() == []
    assert not store.session_path(a).exists() and not store.journal_path(live).exists()


def test_bad_session_ids_never_become_paths(store):
    for bad in ("../x", "a/b", "", ".hidden", "UPPER"):
        with pytest.raises(StoreError):
            store.load_session(bad)


# ---------------------------------------------------------------- start-up cost
_OPENED: list[str] | None = None


def _audit(event, args):
    if _OPENED is not None and event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


def _startup(data):
    store = Store.open(data)
    store.groups()
    store.templates()
    store.settings()
    store.sessions()
    store.past_sessions("g1")
    store.unfinished()
    store.close()


def test_startup_reads_no_session_file(tmp_path):
    global _OPENED
    data = tmp_path / "data"
    with Store.open(data) as store:
        g = make_group()
        store.save_group(g)
        for _ in range(30):
            run_session(store, g)
        live = run_session(store, g, events=SESSION[:3], finish=False)
    _OPENED = []
    try:
        _startup(data)
        opened = list(_OPENED)
    finally:
        _OPENED = None
    assert any(p.endswith("index.json") for p in opened)
    assert any(p.endswith(f"{live}.jsonl") for p in opened)  # the journals present
    assert not [p for p in opened if "/sessions/" in p], opened
    # and the same with every session file replaced by garbage: nothing notices
    for f in (data / "sessions").iterdir():
        f.write_bytes(b"garbage")
    _startup(data)
    assert not list((data / "sessions").glob("*.corrupt-*"))


# ---------------------------------------------------------------- one writer
HOLDER = textwrap.dedent(
    """
    import sys, time
    from balint_tui.store.store import Store
    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    """
)


def test_second_writer_in_another_process_is_refused(tmp_path):
    data = tmp_path / "data"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(DataDirLockedError) as info:
            Store.open(data)
        message = str(info.value)
        assert message.startswith(f"another balint-tui is using {data}")
        assert "\n" not in message
        # a follower needs no lock
        with Store.open(data, readonly=True) as follower:
            assert follower.groups() == []
            with pytest.raises(StoreError):
                follower.save_group(make_group())
    finally:
        child.stdin.close()
        child.wait(timeout=10)
    Store.open(data).close()  # released when the holder exits


def test_lock_in_the_same_process_too(tmp_path):
    data = tmp_path / "data"
    with Store.open(data):
        with pytest.raises(DataDirLockedError):
            Store.open(data)
        Store.open(data, lock=False).close()
    Store.open(data).close()


def test_follower_sees_a_running_session_without_touching_it(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        g = make_group()
        store.save_group(g)
        writer = store.begin_session(g, make_plan())
        sid = writer.header["session_id"]
        for e in SESSION[:4]:
            writer.append(e)
        path = store.journal_path(sid)
        with open(path, "ab") as f:  # a line being written right now
            f.write(b'{"at": 11, "type": "spe')
        raw = path.read_bytes()
        follower = Store.open(data, readonly=True)
        [info] = follower.unfinished()
        assert info.session_id == sid and info.events == 4 and info.torn_tail
        assert follower.read_journal(sid).events == SESSION[:4]
        assert path.read_bytes() == raw
        follower.close()
        writer.close()


def test_sessions_come_back_after_the_index_was_set_aside(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        g = make_group()
        store.save_group(g)
        ids = {run_session(store, g) for _ in range(3)}
        rows = store.sessions()
    (data / "index.json").write_bytes(b"{torn")
    (data / "index.mirror.json").unlink()
    with Store.open(data) as store:  # set aside; the sessions are listed again at once
        assert {r["id"] for r in store.sessions()} == ids
        def by_id(r):
            return r["id"]

        assert sorted(store.sessions(), key=by_id) == sorted(rows, key=by_id)
        assert store.reindex_sessions() == []


def test_damaged_record_with_journal_left_is_offered_again(store):
    g = make_group()
    store.save_group(g)
    sid = run_session(store, g, finish=False)
    store.session_path(sid).write_bytes(b"{half a rec")  # crash image: record torn, journal kept
    [info] = store.live_journals()
    assert info.session_id == sid and info.ended
    [warning] = store.warnings
    assert "half" not in warning and f"{sid}.json" in warning
    store.finish_session(sid, None, SUMMARY)
    assert store.load_session(sid).events == SESSION
