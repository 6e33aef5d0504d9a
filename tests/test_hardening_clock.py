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


def _interrupted(tmp_path, started_wall, last_at):
    from hardening_helpers import make_group, make_plan

    from balint_tui.domain import events as ev
    from balint_tui.store.store import Store

    store = Store.open(tmp_path / "data")
    store.save_group(make_group())
    writer = store.begin_session(store.group("g1"), make_plan(), started_wall=started_wall)
    writer.append(ev.Start(at=0))
    writer.append(ev.Speak(at=last_at, who="m0"))
    writer.close()
    return store, writer.header["session_id"]


def test_resume_after_wall_clock_changes_never_goes_back_and_then_ignores_the_wall(
    tmp_path, monkeypatch
):
    """A session interrupted at 500 s is resumed after the wall clock was set back an
    hour: it continues from 500 s (max(last event, wall time since start)), not from a
    negative time; later wall-clock jumps do not move it; a suspend does."""
    from datetime import UTC, datetime, timedelta

    import balint_tui.application.live as live_module
    from balint_tui.application.live import LiveSession

    kernel = FakeKernel()
    monkeypatch.setattr(clockmod.time, "clock_gettime", kernel.clock_gettime)
    monkeypatch.setattr(clockmod.time, "monotonic", lambda: kernel.monotonic)
    started = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
    store, sid = _interrupted(tmp_path, started, 500.0)
    wall = {"now": started + timedelta(seconds=520) - timedelta(hours=1)}

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return wall["now"]

    monkeypatch.setattr(live_module, "datetime", FakeDatetime)
    live = LiveSession.resume(store, sid)
    assert live.engine.now() == 500.0
    kernel.run(30)
    assert live.engine.now() == 530.0
    wall["now"] += timedelta(hours=5)  # NTP fixes the wall clock mid-session
    kernel.set_wall(kernel.wall + 5 * 3600)
    assert live.engine.now() == 530.0
    kernel.suspend(120)  # the lid was closed for two minutes
    assert live.record("silence").at == 650.0
    live.close()
    store.close()


def test_resume_after_a_suspend_counts_the_time_away(tmp_path, monkeypatch):
    from datetime import UTC, datetime, timedelta

    import balint_tui.application.live as live_module
    from balint_tui.application.live import LiveSession

    started = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
    store, sid = _interrupted(tmp_path, started, 500.0)

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return started + timedelta(seconds=1500)  # away for 1000 s after the last key

    monkeypatch.setattr(live_module, "datetime", FakeDatetime)
    live = LiveSession.resume(store, sid)
    assert 1500 <= live.engine.now() < 1510
    live.close()
    store.close()
