"""Timers follow real elapsed time across a suspend and ignore wall-clock changes."""

import time

from balint_tui.domain import clock as clockmod
from balint_tui.domain.clock import ManualClock, SessionClock, SystemClock


class FakeKernel:
    """CLOCK_BOOTTIME keeps counting while suspended; CLOCK_MONOTONIC stops; wall jumps."""

    def __init__(self):
        self.boottime = 1000.0
        self.monotonic = 500.0
        self.wall = 1_700_000_000.0

    def run(self, seconds):
        self.boottime += seconds
        self.monotonic += seconds
        self.wall += seconds

    def suspend(self, seconds):
        self.boottime += seconds
        self.wall += seconds

    def set_wall(self, value):
        self.wall = value

    def clock_gettime(self, which):
        if which == time.CLOCK_BOOTTIME:
            return self.boottime
        if which == time.CLOCK_MONOTONIC:
            return self.monotonic
        return self.wall


def test_session_clock_follows_suspend_and_ignores_wall_clock(monkeypatch):
    kernel = FakeKernel()
    monkeypatch.setattr(clockmod.time, "clock_gettime", kernel.clock_gettime)
    monkeypatch.setattr(clockmod.time, "monotonic", lambda: kernel.monotonic)
    monkeypatch.setattr(clockmod.time, "time", lambda: kernel.wall)
    session = SessionClock(SystemClock())
    kernel.run(60)
    assert session.now() == 60
    kernel.suspend(300)  # lid closed for five minutes: the session went on
    assert session.now() == 360
    kernel.set_wall(kernel.wall - 3600)  # NTP or a time-zone fix moves the wall clock back
    kernel.run(10)
    assert session.now() == 370
    kernel.set_wall(kernel.wall + 7200)
    assert session.now() == 370


def test_resumed_session_clock_continues_from_offset():
    base = ManualClock(50)
    session = SessionClock(base, offset=1200)
    assert session.now() == 1200
    base.advance(30)
    assert session.now() == 1230


def test_manual_clock_never_goes_backwards():
    c = ManualClock(10)
    try:
        c.set(5)
    except ValueError:
        pass
    else:
        raise AssertionError("went backwards")
