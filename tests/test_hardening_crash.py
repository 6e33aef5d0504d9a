"""Crash safety: a live session (engine, rules and store in a child process) is SIGKILLed
at random moments, 240 times with a fixed seed, and the data folder is reopened after
every kill: the store always opens, every event acknowledged before the kill is there,
in order, exactly once, and the session resumes where it stopped.

The child is forked from a server that imported balint-tui once
(``tests/hardening/crash_server.py``), so a run costs milliseconds. Kills land during
start-up (opening the store, filing an ended session, resuming), while events are
recorded, and while a session is being finished and the next one begun. Every seventh
run also leaves a torn last line in the journal, as a power cut during a write would.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from balint_tui.application.live import LiveSession
from balint_tui.store.store import Store

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "store"))
sys.path.insert(0, str(HERE / "hardening"))
from crash_child import expected  # noqa: E402

SEED = 20261207
KILLS = 240
SESSION_LEN = 40  # crash_server.SESSION_LEN
NOT_BODY = ("start", "prompt", "end")


def _body(events):
    return [e for e in events if e.type not in NOT_BODY]


def _check_body(events, where):
    body = _body(events)
    for i, event in enumerate(body):
        kind, fields = expected(i)
        assert event.type == kind, (where, i, event)
        assert all(getattr(event, k) == v for k, v in fields.items()), (where, i, event)
    ats = [e.at for e in events]
    assert ats == sorted(ats), where
    return body


class Server:
    def __init__(self, tmp: Path) -> None:
        self.stderr_path = tmp / "server.stderr"
        self.stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - the server's, until stop()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "hardening" / "crash_server.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
            text=True, env=env,
        )

    def line(self) -> str:
        line = self.proc.stdout.readline()
        assert line, f"the crash server died: {self.stderr_path.read_text()[-3000:]}"
        return line.split()

    def fork(self, data: Path, acks: Path) -> int:
        self.proc.stdin.write(f"run {data} {acks}\n")
        self.proc.stdin.flush()
        word, pid = self.line()
        assert word == "pid"
        return int(pid)

    def reap(self) -> int:
        word, status = self.line()
        assert word == "exit"
        return int(status)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=20)
        self.stderr.close()


def _wait_for(acks: Path, prefix: str, count: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            text = acks.read_text()
        except FileNotFoundError:
            text = ""
        if sum(1 for line in text.splitlines() if line.startswith(prefix)) >= count:
            return
        time.sleep(0.001)


def _tear(data: Path, rng: random.Random) -> None:
    """Leave half a line at the end of the live journal (a write cut by a power loss)."""
    journals = sorted((data / "journals").glob("*.jsonl"))
    if journals:
        cut = rng.randint(1, 30)
        with open(journals[0], "ab") as f:
            f.write(b'{"at": 99999.5, "type": "speak", "who": "m1"}'[:cut])


@pytest.mark.slow
def test_sigkill_240_times_loses_no_acknowledged_event(tmp_path):
    rng = random.Random(SEED)
    data = tmp_path / "data"
    server = Server(tmp_path)
    acked: dict[str, int] = {}  # session id -> highest acknowledged event index
    filed: set[str] = set()  # sessions the child said were filed
    on_disk: dict[str, int] = {}  # session id -> events on disk at the last check
    moments = {"start-up": 0, "recording": 0, "finishing": 0}
    try:
        for run in range(KILLS):
            acks = tmp_path / f"acks-{run}.txt"
            roll = rng.random()
            pid = server.fork(data, acks)
            deadline = time.monotonic() + 10
            if roll < 0.2:
                moments["start-up"] += 1
                time.sleep(rng.uniform(0.0, 0.025))
            elif roll < 0.4:
                moments["finishing"] += 1
                _wait_for(acks, "F ", 1, deadline)
                time.sleep(rng.uniform(0.0, 0.015))
            else:
                moments["recording"] += 1
                _wait_for(acks, "A ", 1, deadline)
                time.sleep(rng.uniform(0.0, 0.04))
            os.kill(pid, signal.SIGKILL)
            status = server.reap()
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                run, status, server.stderr_path.read_text()[-3000:])

            text = acks.read_text() if acks.exists() else ""
            lines = [line.split() for line in text.splitlines()]
            for line in lines:
                if line[0] == "S":  # resumed exactly where the disk said, nothing doubled
                    assert int(line[2]) == on_disk.get(line[1], 0), (run, line, on_disk)
                    assert line[1] not in filed
                elif line[0] == "A":
                    acked[line[1]] = max(acked.get(line[1], -1), int(line[2]))
                elif line[0] == "D":
                    filed.add(line[1])
            if run % 7 == 6:
                _tear(data, rng)

            with Store.open(data) as store:  # always opens: the lock died with the child
                journals = {j.session_id: j for j in store.live_journals()}
                assert store.warnings == [], (run, store.warnings)
                assert len(journals) <= 1, journals
                rows = {r["id"] for r in store.sessions()}
                touched = {line[1] for line in lines if len(line) > 1} | set(journals)
                for sid in touched:
                    if sid in rows:
                        record = store.load_session(sid)
                        body = _check_body(record.events, (run, sid))
                        assert len(body) == SESSION_LEN and record.events[-1].type in (
                            "end",
                            "prompt",
                        )
                        assert sid not in journals
                    else:
                        assert sid not in filed, (run, sid)
                        if sid not in journals:  # killed before start reached the disk
                            assert acked.get(sid, -1) == -1
                            continue
                        body = _check_body(store.read_journal(sid).events, (run, sid))
                    assert len(body) > acked.get(sid, -1), (run, sid, len(body), acked[sid])
                    assert len(body) >= on_disk.get(sid, 0)
                    on_disk[sid] = len(body)
    finally:
        server.close()

    assert len(filed) >= 10 and len(acked) >= 10, (len(filed), len(acked))
    assert min(moments.values()) >= 20, moments
    # the last interrupted session resumes and is filed with everything in it
    with Store.open(data) as store:
        for info in store.live_journals():
            live = LiveSession.resume(store, info.session_id)
            n = len(_body(live.events))
            if not live.state.ended:
                kind, fields = expected(n)
                live.record(kind, **fields)
                n += 1
            sid = live.finish()
            assert len(_check_body(store.load_session(sid).events, sid)) == n
        assert store.unfinished() == [] and store.warnings == []
        assert {r["id"] for r in store.sessions()} >= filed
