"""Follow mode across processes: a writer process records a scripted session through
the real journal; follow processes (the ``Follower`` core headless, and a real
``balint-tui follow`` on a pty) show the same state at every checkpoint, never go
backwards, and survive the writer's kill -9 and resume."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from follow_helpers import snapshot

from balint_tui.application.follow import ENDED, LIVE, WAITING, Follower

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).parent / "follow"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.startup import child_env  # noqa: E402
from benchmarks.term import PtyApp  # noqa: E402

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="follows through /proc/locks and a pty"
)


class Lines:
    """A child's stdout, read by a thread, kept as lines."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.seen = 0  # lines already looked at by ``wait_for``
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, match, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while self.seen < len(self.lines):
                line = self.lines[self.seen]
                self.seen += 1
                if match(line):
                    return line
            time.sleep(0.005)
        raise AssertionError(f"not seen in time; last lines: {self.lines[-3:]}")


def writer(data: Path, mode: str, batch: int = 10) -> tuple[subprocess.Popen, Lines]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "writer.py"), str(data), mode, str(batch)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=child_env(),
    )
    return proc, Lines(proc)


def reader(data: Path) -> tuple[subprocess.Popen, Lines]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "reader.py"), str(data)],
        stdout=subprocess.PIPE, text=True, env=child_env(),
    )
    return proc, Lines(proc)


def reader_state(lines: Lines, want: dict, timeout: float = 10.0) -> str:
    """Wait until the reader process shows ``want``; returns its status word."""
    text = json.dumps(want)
    line = lines.wait_for(lambda s: s.startswith("STATE ") and s.split(" ", 2)[2] == text,
                          timeout)
    return line.split(" ", 2)[1]


def poll_until(follower: Follower, want: dict, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        follower.poll()
        follower.tick()
        state = follower.state
        if state is not None:
            assert state.event_count >= last, "the follower went backwards"
            last = state.event_count
            if snapshot(state) == want:
                return
        time.sleep(0.01)
    got = snapshot(follower.state) if follower.state is not None else None
    assert got == want


def floor_shown(state: dict, names: dict[str, str]):
    """A predicate on the follow view's screen: its floor panel as in ``state``."""
    def shown(screen) -> bool:
        text = screen.text()
        if state["ended"]:
            return "session ended" in text
        if state["floor"] is not None:
            who = names.get(state["floor"], state["floor"].capitalize())
            lines = [ln for ln in screen.lines() if ln.startswith("─Floor")]
            if not lines:
                return False
            at = screen.lines().index(lines[0])
            return any(who in ln for ln in screen.lines()[at + 1:at + 3])
        if state["silence_since"] is not None:
            return any(ln.startswith("─Silence") for ln in screen.lines())
        return True
    return shown


NAMES = {f"m{i}": n for i, n in enumerate(["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"])}


def test_followers_match_the_writer_at_every_checkpoint(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    procs = []
    try:
        read_proc, read_lines = reader(data)
        procs.append(read_proc)
        view = PtyApp.spawn([sys.executable, "-m", "balint_tui", "--data-dir", str(data),
                             "follow"], child_env(), cols=80, rows=24)
        inside = Follower(data)
        write_proc, write_lines = writer(data, "start", batch=7)
        procs.append(write_proc)
        checks = 0
        while True:
            line = write_lines.wait_for(lambda s: s.startswith(("CHECK ", "DONE ")))
            kind, text = line.split(" ", 1)
            want = json.loads(text)
            assert reader_state(read_lines, want) == (ENDED if want["ended"] else LIVE)
            poll_until(inside, want)
            view.read_until(floor_shown(want, NAMES), timeout=10)
            checks += 1
            write_proc.stdin.write("\n")
            write_proc.stdin.flush()
            if kind == "DONE":
                break
        assert checks >= 20
        assert inside.status == ENDED
        assert not [s for s in read_lines.lines if s.startswith("BACKWARDS")]
        assert "read-only" in view.screen.text()
        # the view's keys record nothing: the journal is the writer's alone
        view.send(b"1 m")
        view.read_until(lambda s: "Read-only" in s.text(), timeout=10)
        view.send(b"q")
        assert view.wait(10) == 0
        write_proc.wait(10)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    assert not (data / "followers").exists() or not os.listdir(data / "followers")


def test_writer_killed_then_resumed_is_picked_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    procs = []
    try:
        read_proc, read_lines = reader(data)
        procs.append(read_proc)
        inside = Follower(data)
        first, first_lines = writer(data, "start", batch=40)
        procs.append(first)
        line = first_lines.wait_for(lambda s: s.startswith("CHECK "))
        at_kill = json.loads(line.split(" ", 1)[1])
        poll_until(inside, at_kill)
        first.kill()  # SIGKILL, mid-session
        first.wait()
        if reader_state(read_lines, at_kill) != WAITING:  # the kill seen: waiting
            read_lines.wait_for(lambda s: s.startswith(f"STATE {WAITING} "))
        deadline = time.monotonic() + 5
        while inside.status != WAITING and time.monotonic() < deadline:
            inside.poll()
            time.sleep(0.02)
        assert inside.status == WAITING and snapshot(inside.state) == at_kill

        second, second_lines = writer(data, "resume", batch=40)
        procs.append(second)
        while True:
            line = second_lines.wait_for(lambda s: s.startswith(("CHECK ", "DONE ")))
            kind, text = line.split(" ", 1)
            want = json.loads(text)
            assert reader_state(read_lines, want) in (LIVE, ENDED)
            poll_until(inside, want)
            second.stdin.write("\n")
            second.stdin.flush()
            if kind == "DONE":
                break
        assert want["ended"] and want["events"] > at_kill["events"]
        assert not [s for s in read_lines.lines if s.startswith("BACKWARDS")]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
