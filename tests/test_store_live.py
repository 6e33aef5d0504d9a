"""LiveSession: start, journal, resume, finish; SIGKILL at random moments loses nothing
acknowledged; ``replay --save`` files a replay as a past session."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_helpers import make_group, make_plan

from balint_tui.application.live import LiveSession, finish_ended_sessions
from balint_tui.application.replay import replay_scenario, save_replay
from balint_tui.cli import cli
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.state import EventRejected
from balint_tui.store.store import Store

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "store"))
from crash_child import expected  # noqa: E402


@pytest.fixture
def store(store):
    store.save_group(make_group())
    return store


def test_start_records_start_and_journals_every_event(store):
    clock = ManualClock()
    live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0", "m1"], clock=clock)
    assert live.names == {"m0": "Ana", "m1": "Ben", "m2": "Chloe", "m3": "Dev"}
    clock.set(5)
    live.record(ev.Queue, who="m1")
    clock.set(9)
    live.record("case", who="m1")
    journal = store.read_journal(live.session_id)
    assert [e.type for e in journal.events] == ["start", "queue", "case"]
    assert journal.events[0].present == ("m0", "m1")
    assert journal.events == live.events
    with pytest.raises(EventRejected):
        live.record("speak", who="nobody")
    assert len(store.read_journal(live.session_id).events) == 3  # rejected: not journaled
    live.close()


def test_journal_append_happens_before_the_state_changes(store):
    live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0"], clock=ManualClock())
    seen = []
    live.engine.listeners.append(
        lambda e: seen.append(len(store.read_journal(live.session_id).events))
    )
    live.record("speak", who="m0")
    assert seen == [2]
    live.close()


def test_finish_files_the_session_with_display_names(store):
    clock = ManualClock()
    live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0", "m1", "m2"], clock=clock)
    clock.set(10)
    live.record("speak", who="m0")
    clock.set(70)
    sid = live.finish()
    assert store.unfinished() == [] and not store.journal_path(sid).exists()
    record = store.load_session(sid)
    assert [e.type for e in record.events] == ["start", "speak", "end"]
    assert record.summary["members"]["Ana"]["airtime_s"] == 60.0
    assert record.summary["never_spoke"] == ["Ben", "Chloe"]
    [row] = store.sessions("g1")
    assert row["duration_s"] == 70.0 and row["attended"] == ["m0", "m1", "m2"]


def test_bumped_members_start_the_next_session_carried(store):
    clock = ManualClock()
    g = store.group("g1")
    first = LiveSession.start(store, g, make_plan(), ["m0", "m1", "m2"], clock=clock)
    for t, (kind, who) in enumerate([("queue", "m2"), ("queue", "m1"), ("case", "m1")], 1):
        clock.set(t)
        first.record(kind, who=who)
    first.finish()
    second = LiveSession.start(store, g, make_plan(), ["m0", "m1", "m2"], clock=ManualClock())
    assert [(q.who, q.carried) for q in second.state.queue] == [("m2", True)]
    assert second.facts.follow_ups == ["m1"]
    # the carried queue is in the header, so a resume rebuilds it
    second.close()
    again = LiveSession.resume(store, second.session_id, clock=ManualClock())
    assert [(q.who, q.carried) for q in again.state.queue] == [("m2", True)]
    again.close()


def test_resume_continues_with_nothing_lost(tmp_path):
    data = tmp_path / "data"
    store = Store.open(data)
    store.save_group(make_group())
    clock = ManualClock()
    live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0", "m1"], clock=clock)
    for t in range(1, 30):
        clock.set(t * 7)
        live.record(*expected(t)[:1], **expected(t)[1])
    before = list(live.events)
    airtime = live.state.airtime("m0")
    store.close()  # the app dies without finishing (lock released by the OS)
    with open(store.journal_path(live.session_id), "ab") as f:
        f.write(b'{"at": 999, "type": "spe')  # torn by the crash
    store = Store.open(data)
    [info] = store.unfinished()
    assert info.session_id == live.session_id and info.torn_tail
    again = LiveSession.resume(store, live.session_id)
    assert again.events == before
    assert again.state.airtime("m0") >= airtime
    # the real clock continues at least from the last event
    assert again.engine.now() >= before[-1].at
    again.record("mark", kind="stuck")
    again.finish()
    record = store.load_session(live.session_id)
    assert record.events[: len(before)] == before
    assert [e.type for e in record.events[len(before):]] == ["mark", "end"]
    store.close()


def test_resume_clock_follows_wall_time_since_start(store):
    g = store.group("g1")
    writer = store.begin_session(
        g, make_plan(), started_wall=datetime.now(UTC) - timedelta(minutes=10)
    )
    writer.append(ev.Start(at=0))
    writer.append(ev.Speak(at=30, who="m0"))
    writer.close()
    live = LiveSession.resume(store, writer.header["session_id"])
    assert 590 < live.engine.now() < 700
    live.close()


def test_resume_clock_never_goes_before_the_last_event(store):
    g = store.group("g1")
    writer = store.begin_session(g, make_plan(), started_wall=datetime.now(UTC))
    writer.append(ev.Start(at=0))
    writer.append(ev.Speak(at=500, who="m0"))
    writer.close()
    live = LiveSession.resume(store, writer.header["session_id"])
    assert live.engine.now() >= 500
    assert live.record("silence").at >= 500
    live.close()


def test_session_ended_but_not_filed_is_finished_at_startup(store):
    live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0"], clock=ManualClock())
    live.record("end")
    live.close()  # crash before finish_session
    assert store.unfinished() == []
    assert finish_ended_sessions(store) == [live.session_id]
    assert store.load_session(live.session_id).events[-1].type == "end"


def test_journal_without_start_is_not_offered(store):
    writer = store.begin_session(store.group("g1"), make_plan())
    writer.close()  # killed before the start event
    assert store.unfinished() == []
    assert not store.journal_path(writer.header["session_id"]).exists()


# ---------------------------------------------------------------- SIGKILL
def _reader(stream, lines):
    for line in stream:
        lines.append(line)


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_event(tmp_path):
    rng = random.Random(20261122)
    data = tmp_path / "data"
    child_script = HERE / "store" / "crash_child.py"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    on_disk = 0  # events after start known to be in the journal
    for run in range(20):
        proc = subprocess.Popen(
            [sys.executable, str(child_script), str(data)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        lines: list[str] = []
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        reader.start()
        if run % 4 == 3:  # anywhere from start-up on
            time.sleep(rng.uniform(0.0, 0.6))
        else:  # while it records
            deadline = time.monotonic() + 20
            while not lines and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            assert lines, proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)
        reader.join(timeout=20)
        stderr = proc.stderr.read()
        assert proc.returncode == -signal.SIGKILL, stderr
        acked = [int(line) for line in lines if line.strip().isdigit()]
        if lines and lines[0].startswith("started"):
            first = int(lines[0].split()[2])
            assert first >= on_disk
            assert acked == list(range(first, first + len(acked)))  # in order, none skipped
        with Store.open(data) as store:  # the lock died with the child
            unfinished = store.unfinished()
            assert store.warnings == []
            if not unfinished:
                assert not acked and on_disk == 0
                continue
            [info] = unfinished
            events = store.read_journal(info.session_id).events
        assert events[0].type == "start"
        body = events[1:]
        for i, event in enumerate(body):
            kind, fields = expected(i)
            assert event.type == kind and all(getattr(event, k) == v for k, v in fields.items())
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert all(i < len(body) for i in acked), (acked[-3:], len(body))
        assert len(body) >= on_disk
        on_disk = len(body)
    assert on_disk > 20
    with Store.open(data) as store:
        [info] = store.unfinished()
        live = LiveSession.resume(store, info.session_id)
        assert len(live.events) == on_disk + 1
        live.record("mark", kind="stuck")
        sid = live.finish()
        assert len(store.load_session(sid).events) == on_disk + 3


# ---------------------------------------------------------------- replay --save
SCENARIO = {
    "format": "balint-scenario/1",
    "group": {"name": "Replay group", "members": ["Ana", "Ben", "Chloe", "Dev"]},
    "plan": {"duration_min": 60, "template": "classic"},
    "history": [
        {"date": "2026-11-10", "attended": ["Ana", "Ben", "Chloe"], "presented": ["Ben"],
         "bumped": ["Chloe"]}
    ],
    "events": [
        {"at": 0, "type": "start", "present": ["Ana", "Ben", "Chloe"]},
        {"at": 30, "type": "queue", "who": "Ana"},
        {"at": 60, "type": "case", "who": "Ana"},
        {"at": 61, "type": "speak", "who": "Ana"},
        {"at": 300, "type": "arrive", "who": "Dev"},
        {"at": 400, "type": "speak", "who": "leader"},
        {"at": 3600, "type": "end"},
    ],
}


def test_replay_save_files_a_real_past_session(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(SCENARIO))
    data = tmp_path / "data"
    runner = CliRunner()
    args = ["--data-dir", str(data), "replay", str(scenario), "--json", "--save"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert "saved as session" in result.stderr
    with Store.open(data) as store:
        [group] = store.groups()
        assert group.name == "Replay group"
        ids = {m.name: m.id for m in group.members}
        assert set(ids) == {"Ana", "Ben", "Chloe", "Dev"}
        [row] = store.sessions(group.id)
        assert row["attended"] == [ids["Ana"], ids["Ben"], ids["Chloe"], ids["Dev"]]
        assert row["presented"] == [ids["Ana"]]
        assert row["bumped"] == [ids["Chloe"]]  # carried from the history, not reached
        record = store.load_session(row["id"])
        assert record.summary == printed["summary"]  # display names
        whos = {getattr(e, "who", None) for e in record.events} - {None, "leader"}
        assert whos <= set(ids.values())
        assert record.events[0].present == (ids["Ana"], ids["Ben"], ids["Chloe"])
        # the next live session of that group starts with Chloe carried over
        live = LiveSession.start(store, group, make_plan(), list(ids.values()), clock=ManualClock())
        assert [q.who for q in live.state.queue] == [ids["Chloe"]]
        live.close()
    # saving again reuses the group and its members
    result = runner.invoke(cli, ["--data-dir", str(data), "replay", str(scenario), "--save"])
    assert result.exit_code == 0, result.output
    with Store.open(data) as store:
        [group] = store.groups()
        assert {m.name: m.id for m in group.members} == ids
        assert len(store.sessions()) == 2


def test_replay_without_save_writes_nothing(tmp_path, monkeypatch):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(SCENARIO))
    data = tmp_path / "data"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "replay", str(scenario), "--json"])
    assert result.exit_code == 0 and not data.exists()


def test_replay_save_reports_a_locked_folder_in_one_line(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(SCENARIO))
    data = tmp_path / "data"
    with Store.open(data):
        result = CliRunner().invoke(
            cli, ["--data-dir", str(data), "replay", str(scenario), "--save"]
        )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "another balint-tui is using" in result.stderr
    assert result.stdout == ""


def test_save_replay_api_and_env_data_dir(tmp_path, monkeypatch):
    from balint_tui.domain.scenario import parse_scenario

    monkeypatch.setenv("BALINT_TUI_DATA", str(tmp_path / "env"))
    result = replay_scenario(parse_scenario(SCENARIO), None)
    sid = save_replay(result, None)
    with Store.open(tmp_path / "env") as store:
        assert [r["id"] for r in store.sessions()] == [sid]


def test_finish_interrupted_ends_where_it_stopped(store):
    g = store.group("g1")
    writer = store.begin_session(g, make_plan(), started_wall=datetime.now(UTC) - timedelta(days=2))
    writer.append(ev.Start(at=0))
    writer.append(ev.Speak(at=30, who="m0"))
    writer.close()
    from balint_tui.application.live import finish_interrupted

    sid = finish_interrupted(store, writer.header["session_id"])
    record = store.load_session(sid)
    assert record.events[-1] == ev.End(at=30)
    assert record.summary["duration_s"] == 30.0  # not two days of airtime nobody saw
