"""Clocks the engine can be driven by.

The live clock follows real elapsed time, including time the laptop spent suspended,
and does not jump when the wall clock is adjusted: on Linux it reads CLOCK_BOOTTIME,
elsewhere the monotonic clock. Tests and replays inject a ManualClock.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...


def _boottime() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


class SystemClock:
    """Real elapsed time, across suspend, immune to wall-clock changes."""

    def __init__(self) -> None:
        self._read = _boottime if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic
        try:
            self._read()
        except OSError:  # pragma: no cover - kernels without CLOCK_BOOTTIME
            self._read = time.monotonic

    def now(self) -> float:
        return self._read()


class ManualClock:
    """A clock that moves only when told to: for tests and replays."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def set(self, value: float) -> None:
        if value < self._now:
            raise ValueError("a clock cannot go backwards")
        self._now = float(value)

    def advance(self, seconds: float) -> None:
        self.set(self._now + seconds)


class SessionClock:
    """Seconds since the session started, read from an underlying clock.

    ``offset`` lets a resumed session continue from the time it had reached.
    """

    def __init__(self, clock: Clock, offset: float = 0.0) -> None:
        self._clock = clock
        self._origin = clock.now() - offset

    def now(self) -> float:
        return max(0.0, self._clock.now() - self._origin)
