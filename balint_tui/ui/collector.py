"""Full garbage collections when they cannot delay a key.

Textual makes many short-lived objects per frame, so CPython's full collections come
every few seconds, and each walks every object the app has made: a 30-90 ms pause
wherever it falls, often in the middle of a key. While the live screen is up, the
start-up heap is frozen out of collections and CPython's automatic full collections are
put off; one is run instead as soon as CPython would have wanted one (as many younger
collections since the last as its threshold says), but at a moment that delays no key:
just after a key has been answered (a coleader's next key is further away than the
collection takes), or on the clock tick when no key came for a while. Young
generations are still collected automatically, as usual.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_AFTER_S = 1.0  # "no key for a while": none for this long
QUIET_EVERY_S = 15.0  # with no key, a full collection at least this often
NEVER = 1_000_000_000  # a full-collection threshold that is never reached


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_full = clock()
        self.last_key = clock()
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Freeze what exists now and take over full collections."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(self._saved[0], self._saved[1], NEVER)

    def stop(self) -> None:
        """Give full collections back to CPython, the frozen objects too (what died
        since is collected again: apps started one after another in one process)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            gc.unfreeze()
            self._saved = None

    def _wanted(self) -> bool:
        """CPython would have run a full collection by now."""
        return self._saved is not None and gc.get_count()[2] >= self._saved[2]

    def key_answered(self) -> bool:
        """A key was handled; True if a full collection is due (run it after the frame)."""
        self.last_key = self.clock()
        return self._wanted()

    def quiet_due(self) -> bool:
        now = self.clock()
        return (
            self._saved is not None
            and now - self.last_key >= QUIET_AFTER_S
            and (self._wanted() or now - self.last_full >= QUIET_EVERY_S)
        )

    def collect(self) -> None:
        gc.collect()
        self.last_full = self.clock()
