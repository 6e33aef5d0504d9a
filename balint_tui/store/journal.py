"""The journal of a live session: append-only JSON lines, one fsync per event.

Line 1 is the header ``{"format": "balint-journal/1", ...}``; every other line is one
event (``balint_tui.domain.events``). ``JournalWriter.append`` returns only once the line
is on disk, so an event the screen shows survives a crash or a power cut.

A crash can leave a torn last line (a write that never completed, hence never
acknowledged): readers ignore it, and the writer cuts it off before appending again so
the next event starts on a fresh line. Damage anywhere else is not a crash artefact: the
file is set aside and ``CorruptFileError`` raised. Reading never modifies the file unless
asked to set a damaged one aside, so a second process can follow a running session.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from balint_tui.domain.events import EVENT, AnyEvent, event_to_dict
from balint_tui.store.atomic import (
    corrupt,
    dumps,
    fsync_dir,
    read_bytes,
    set_aside,
    write_temp,
)
from balint_tui.store.errors import DataVersionError, JournalUnavailable, StoreError
from balint_tui.store.locations import ensure_private_dir
from balint_tui.store.migrations import JOURNAL_VERSION, NewerVersion, upgrade_header
from balint_tui.store.safe_io import open_regular

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

JOURNAL_FORMAT = "balint-journal/1"
_FORMAT_PREFIX = "balint-journal/"


@dataclass
class JournalContents:
    header: dict[str, Any]
    events: list[AnyEvent] = field(default_factory=list)
    torn_tail: bool = False
    good_size: int = 0  # bytes up to the end of the last good line

    @property
    def ended(self) -> bool:
        """An ``end`` event is in the journal (prompt actions may follow it)."""
        return any(e.type == "end" for e in reversed(self.events))

    @property
    def last_at(self) -> float:
        return self.events[-1].at if self.events else 0.0


def _event_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    return f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg", "invalid"))


def parse_journal(raw: bytes) -> JournalContents:
    """Parse a journal's bytes; ValueError (one line, naming the line) for damage.

    Torn tail: bytes after the last newline, or a last complete line that is not JSON.
    """
    lines = raw.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline
    torn = bool(tail)
    if not lines:
        raise ValueError("no header line")
    try:
        header = json.loads(lines[0])
    except (ValueError, RecursionError):
        raise ValueError("line 1 (header) is not valid JSON") from None
    if not isinstance(header, dict) or ("format" not in header and "session_id" not in header):
        raise ValueError("line 1 is not a journal header")
    try:  # an older header (version 0 had no "format") is upgraded in memory
        header = upgrade_header(header)
    except NewerVersion as exc:
        raise _VersionMismatch(exc.found) from None
    except ValueError:
        raise ValueError(
            f"line 1 names format {header.get('format')!r}, not {JOURNAL_FORMAT}"
        ) from None
    events: list[AnyEvent] = []
    size = len(lines[0]) + 1
    last = len(lines) - 1
    for number, line in enumerate(lines[1:], start=1):
        try:
            event = EVENT.validate_json(line)
        except ValidationError as exc:
            is_json = _is_json(line)
            if number == last and not torn and not is_json:
                torn = True  # the last line was cut short
                break
            reason = "not valid JSON" if not is_json else _event_error(exc)
            raise ValueError(f"line {number + 1} is damaged ({reason})") from None
        events.append(event)
        size += len(line) + 1
    return JournalContents(header, events, torn, size)


def mark_written(fd: int) -> None:
    """Hold an exclusive ``flock`` on the open journal while it is written: a follower
    (``store.tail.is_being_written``) sees from ``/proc/locks`` that the session is
    being recorded, without taking any lock itself. The OS drops it when the writer
    closes the file or dies. Best effort: never blocks, never fails the writer."""
    if fcntl is None:  # pragma: no cover - Windows
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass


def _is_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


class _VersionMismatch(ValueError):
    def __init__(self, found: object) -> None:
        super().__init__(found)
        self.found = found


def read_journal(path: Path, *, set_aside: bool = True) -> JournalContents:
    """Read a journal. Raises StoreError if missing, CorruptFileError if damaged.

    ``set_aside=False`` (a read-only follower) reports damage but leaves the file alone.
    """
    path = Path(path)
    raw = read_bytes(path)
    if raw is None:
        raise StoreError(f"the session journal {path} does not exist")
    try:
        return parse_journal(raw)
    except _VersionMismatch as exc:
        raise DataVersionError(path, exc.found, JOURNAL_VERSION) from None
    except ValueError as exc:
        raise corrupt(path, str(exc), move=set_aside) from None


class JournalWriter:
    """Appends events to a journal, durably (implements ``domain.engine.EventSink``).

    A new journal is created whole (header written to a temp file, fsynced and linked
    into place), so it either exists with its header or not at all. An existing one is
    reopened for appending after cutting off a torn last line; ``header`` is then the
    file's own header.

    ``guard`` (the data folder's lock ``check``) is called before every write: it raises
    OSError when the data folder at the path is not the one this process holds, and
    the event is then kept in memory like any failed write.
    """

    def __init__(
        self, path: Path, header: dict[str, Any], guard: Callable[[], None] | None = None
    ) -> None:
        self.path = Path(path)
        self._guard = guard
        self._fd: int | None = None
        self._broken: str | None = None
        if "format" in header:
            raise ValueError("the journal header sets its own 'format'")
        if guard is not None:
            try:
                guard()
            except OSError as exc:
                raise self._error(exc) from None
        if self.path.exists():
            contents = read_journal(self.path)
            self.header = contents.header
            self.events_on_disk = len(contents.events)
            self._fd = self._open()
            try:
                if os.fstat(self._fd).st_size != contents.good_size:
                    os.ftruncate(self._fd, contents.good_size)
                    os.fsync(self._fd)
            except OSError as exc:
                self.close()
                raise self._error(exc) from None
            self._size = contents.good_size
        else:
            self.header = {"format": JOURNAL_FORMAT, **header}
            self.events_on_disk = 0
            self._size = self._create(dumps(self.header) + b"\n")
            self._fd = self._open()

    # ------------------------------------------------------------------ writing
    def append(self, event: AnyEvent) -> None:
        """Write one event line; returns once it is fsynced. Raises StoreError."""
        if self._fd is None:
            raise StoreError(f"the session journal {self.path} is closed; nothing was written")
        if self._broken is not None:
            raise JournalUnavailable(self.path, self._broken)
        line = dumps(event_to_dict(event)) + b"\n"
        try:
            if self._check_in_place() > self._size:
                # bytes no write of ours left (appended by something else): cut off, as
                # a torn tail is on reopening, so this event starts a line of its own
                os.ftruncate(self._fd, self._size)
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view):]
            os.fsync(self._fd)
        except OSError as exc:
            error = self._error(exc)
            try:  # leave no partial line for the next append to continue
                if os.fstat(self._fd).st_size > self._size:
                    os.ftruncate(self._fd, self._size)
            except OSError:
                self._broken = error.reason
            raise error from None
        self._size += len(line)
        self.events_on_disk += 1

    def resync(self, events: Sequence[AnyEvent]) -> None:
        """Make the journal hold exactly ``events`` (the session's whole list, of which
        the first ``events_on_disk`` are on disk), appending the rest in order.

        After a failed append (disk full, I/O error) the missing events are appended.
        If the file is no longer there (deleted, its folder removed or moved away) or
        its state is unknown, it is read again: when it holds a prefix of ``events`` the
        rest is appended; when it is missing it is created anew from ``events`` (its
        folder too, if the data folder itself is there); when it holds anything else it
        is set aside and created anew. Raises JournalUnavailable while that cannot be
        done; call again later.
        """
        if self._fd is not None and self._broken is None and self._in_place():
            for event in events[self.events_on_disk:]:
                self.append(event)
            return
        self.close()
        self._broken = None
        try:
            self._reopen(events)
        except OSError as exc:
            self.close()
            raise self._error(exc) from None
        except JournalUnavailable:
            self.close()
            raise
        except StoreError as exc:  # e.g. a damaged file that could not be set aside
            self.close()
            raise JournalUnavailable(self.path, str(exc)) from None
        for event in events[self.events_on_disk:]:
            self.append(event)

    def _reopen(self, events: Sequence[AnyEvent]) -> None:
        if self._guard is not None:
            self._guard()  # nothing is read, set aside or created in a folder not held
        if self.path.parent.is_symlink():
            raise JournalUnavailable(
                self.path,
                f"{self.path.parent} is a symbolic link, and balint-tui follows no links "
                "inside its data folder",
            )
        if self.path.exists():
            try:
                contents = read_journal(self.path, set_aside=False)
                ours = contents.header == self.header and (
                    contents.events == list(events[: len(contents.events)])
                )
            except StoreError:
                ours = False
            if ours:
                self._fd = self._open()
                if os.fstat(self._fd).st_size != contents.good_size:
                    os.ftruncate(self._fd, contents.good_size)
                    os.fsync(self._fd)
                self._size = contents.good_size
                self.events_on_disk = len(contents.events)
                return
            set_aside(self.path)  # not what this session wrote: kept, never overwritten
        folder = self.path.parent
        if not folder.is_dir():
            if not folder.parent.is_dir():
                raise JournalUnavailable(
                    self.path, f"the data folder {folder.parent} is not there"
                )
            ensure_private_dir(folder, inside=True)
        lines = [dumps(self.header)] + [dumps(event_to_dict(e)) for e in events]
        self.events_on_disk = 0
        self._size = self._create(b"\n".join(lines) + b"\n")
        self._fd = self._open()
        self.events_on_disk = len(events)

    def _in_place(self) -> bool:
        try:
            self._check_in_place()
        except OSError:
            return False
        return True

    def _check_in_place(self) -> int:
        """OSError unless the open file is still the one at ``path`` (a folder deleted or
        moved away mid-session must not swallow events into a file nobody will read),
        holds at least what was written to it (a journal cut short is read again and
        completed by ``resync``), and the data folder is still the one this process
        holds (``guard``). Returns the file's size."""
        assert self._fd is not None
        if self._guard is not None:
            self._guard()
        st = os.fstat(self._fd)
        try:
            at_path = os.stat(self.path)
        except FileNotFoundError:
            raise FileNotFoundError(errno.ENOENT, "the file is no longer there") from None
        if st.st_nlink == 0 or (at_path.st_dev, at_path.st_ino) != (st.st_dev, st.st_ino):
            raise FileNotFoundError(errno.ENOENT, "the file is no longer there")
        if st.st_size < self._size:
            raise OSError(errno.EIO, "the file was cut short by something else")
        return st.st_size

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._fd is None

    # ------------------------------------------------------------------ helpers
    def _open(self) -> int:
        try:
            fd = open_regular(self.path, os.O_WRONLY | os.O_APPEND)[0]
        except OSError as exc:
            raise self._error(exc) from None
        mark_written(fd)
        return fd

    def _create(self, data: bytes) -> int:
        folder = self.path.parent
        try:
            tmp = write_temp(self.path, data)
        except OSError as exc:
            raise self._error(exc) from None
        try:
            try:
                os.link(tmp, self.path)  # never replaces an existing journal
            except FileExistsError:
                raise StoreError(f"the session journal {self.path} already exists") from None
            except OSError:  # pragma: no cover - filesystems without hard links
                if self.path.exists():
                    raise StoreError(f"the session journal {self.path} already exists") from None
                os.rename(tmp, self.path)
            fsync_dir(folder)
        except OSError as exc:
            raise self._error(exc) from None
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return len(data)

    def _error(self, exc: OSError) -> JournalUnavailable:
        return JournalUnavailable(self.path, exc.strerror or str(exc))


__all__ = ["JOURNAL_FORMAT", "JournalContents", "JournalWriter", "parse_journal", "read_journal"]
