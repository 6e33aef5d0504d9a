"""The live session's sink: every event to the journal first (durable), then to memory.

A write that fails (disk full, the data folder unplugged or deleted) does not lose the
event and does not stop the session: the event is kept in memory and written, in order,
before anything newer (``JournalWriter.resync``); ``notices`` holds one line when a
problem starts and one when it is over.
"""

from __future__ import annotations

from balint_tui.domain import events as ev
from balint_tui.store.errors import JournalUnavailable, StoreError
from balint_tui.store.journal import JournalWriter


class JournalSink:
    """The engine's sink: the journal first (durable), then the in-memory list.

    When the journal cannot be written the event is kept (the last ``pending`` events
    of ``events`` are not on disk) and written, in order, at the next ``append`` or
    ``retry``; it never raises for a write failure, so the state keeps moving.
    """

    def __init__(self, writer: JournalWriter, events: list[ev.AnyEvent]) -> None:
        self.writer = writer
        self.events = events
        self.pending = 0
        self.problem: JournalUnavailable | None = None
        self.notices: list[str] = []

    def append(self, event: ev.AnyEvent) -> None:
        if not self.pending:
            try:
                self.writer.append(event)
            except StoreError as exc:
                self.events.append(event)
                self.pending = 1
                self._failed(exc)
                self.retry()  # a journal deleted or replaced is rewritten at once
                return
            self.events.append(event)
            return
        self.events.append(event)
        self.pending += 1
        self.retry()

    def retry(self) -> bool:
        """Write the events kept in memory; True when none is left."""
        if not self.pending:
            return True
        try:
            self.writer.resync(self.events)
        except StoreError as exc:
            self.pending = max(0, len(self.events) - self.writer.events_on_disk)
            if self.pending:
                self._failed(exc)
                return False
        written, self.pending, self.problem = self.pending, 0, None
        kept = "the action kept in memory is" if written == 1 else (
            f"the {written} actions kept in memory are"
        )
        self.notices.append(
            f"the session journal {self.writer.path} can be written again: {kept} saved; "
            "nothing was lost"
        )
        return True

    def _failed(self, exc: StoreError) -> None:
        reason = exc.reason if isinstance(exc, JournalUnavailable) else str(exc)
        first = self.problem is None
        self.problem = JournalUnavailable(self.writer.path, reason, self.pending)
        if first:
            self.notices.append(str(self.problem))


__all__ = ["JournalSink"]
