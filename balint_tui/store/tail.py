"""Reading a live journal as another process writes it (a follower; no Textual).

``JournalTail.poll()`` reads what the writer appended since the last call: whole,
newline-terminated lines only, so a line being written (or torn by a crash) is never
read; its bytes are read again, whole, once its newline is there. A poll whose file
has not changed costs one ``stat``. A journal replaced under the same name (a new
inode, or shorter than what was read: its torn tail cut off and something else
written) is read again from the start (``TailUpdate.reset``).

Reading never writes, moves or locks anything. ``is_being_written(path)`` tells
whether a writer holds the journal open right now (``JournalWriter`` keeps an
exclusive ``flock`` on it), from ``/proc/locks`` on Linux, so no lock is taken to
find out; elsewhere from the data folder's lock file (the writer's pid, alive).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from balint_tui.domain.events import EVENT, AnyEvent
from balint_tui.store.migrations import NewerVersion, upgrade_header
from balint_tui.store.safe_io import UnsafeFileError, open_regular

PROC_LOCKS = "/proc/locks"


class TailError(ValueError):
    """The journal holds something that is not a journal line (one line, says which)."""


@dataclass
class TailUpdate:
    events: list[AnyEvent] = field(default_factory=list)
    reset: bool = False  # the file was read again from the start: ``events`` is all of it
    gone: bool = False  # the file is not there (finished and filed, or deleted)


class JournalTail:
    """Follows one journal file. ``header`` is set once its first line is read."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.header: dict[str, Any] | None = None
        self.lines = 0  # event lines read
        self._identity: tuple[int, int] | None = None
        self._offset = 0  # bytes read, always at the end of a whole line
        self.mtime: float | None = None  # of the last change read (wall clock)
        self.problem: str | None = None  # a whole line that is not an event

    def poll(self) -> TailUpdate:
        """What was appended since the last poll. Raises TailError for a damaged header."""
        try:
            st = os.lstat(self.path)  # a link is not followed, a pipe never opened
        except FileNotFoundError:
            return TailUpdate(gone=True)
        if not stat.S_ISREG(st.st_mode):
            self.problem = f"{self.path.name} is not a regular file: not read"
            return TailUpdate()
        identity = (st.st_dev, st.st_ino)
        reset = False
        if identity != self._identity or st.st_size < self._offset:
            reset = self.header is not None  # something was read: start again
            self._identity, self._offset, self.header, self.lines = identity, 0, None, 0
        if st.st_size == self._offset:
            return TailUpdate(reset=reset)
        try:
            fd, opened = open_regular(self.path)
            with os.fdopen(fd, "rb") as f:
                if (opened.st_dev, opened.st_ino) != identity:
                    self._identity = None  # replaced between stat and open: next poll
                    return TailUpdate(reset=reset)
                f.seek(self._offset)
                chunk = f.read(st.st_size - self._offset)
        except FileNotFoundError:
            return TailUpdate(gone=True)
        except UnsafeFileError:  # replaced by a link or a pipe between lstat and open
            self._identity = None
            return TailUpdate(reset=reset)
        end = chunk.rfind(b"\n")
        if end < 0:
            return TailUpdate(reset=reset)  # no whole line yet
        events: list[AnyEvent] = []
        self.problem = None
        for line in chunk[:end].split(b"\n"):
            if self.header is None:
                self.header = _header(line)
            else:
                try:
                    event = EVENT.validate_json(line)
                except ValidationError:
                    # not a whole event: stop before it and read it again next time
                    # (a writer resuming cuts a torn last line off; anything else is
                    # damage, said by ``problem``)
                    self.problem = (
                        f"line {self.lines + 2} of {self.path.name} is not a journal event"
                    )
                    break
                events.append(event)
                self.lines += 1
            self._offset += len(line) + 1
        self.mtime = st.st_mtime
        return TailUpdate(events, reset=reset)


def _header(line: bytes) -> dict[str, Any]:
    try:
        header = json.loads(line)
        if not isinstance(header, dict):
            raise ValueError
        return upgrade_header(header)
    except NewerVersion as exc:
        raise TailError(f"the journal is of a newer version ({exc.found})") from None
    except (ValueError, RecursionError):
        raise TailError("line 1 is not a journal header") from None


def read_header(path: Path) -> dict[str, Any] | None:
    """The journal's first line, parsed; None if it cannot be read (yet)."""
    try:
        fd, _ = open_regular(path)
        with os.fdopen(fd, "rb") as f:
            line = f.readline(1 << 16)
    except (OSError, UnsafeFileError):
        return None
    if not line.endswith(b"\n"):
        return None
    try:
        return _header(line[:-1])
    except TailError:
        return None


def _locked_inodes() -> set[tuple[int, int, int]] | None:
    """(major, minor, inode) of every file with an exclusive flock, or None when the
    system does not list its locks."""
    try:
        with open(PROC_LOCKS, "rb") as f:
            raw = f.read()
    except OSError:
        return None
    found: set[tuple[int, int, int]] = set()
    for line in raw.split(b"\n"):
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 7327 fe:00:2146327 0 EOF" ("->" marks a waiter)
        if len(parts) < 6 or parts[1] != b"FLOCK" or parts[2] == b"->":
            continue
        if parts[3] != b"WRITE":
            continue
        try:
            major, minor, inode = parts[5].split(b":")
            found.add((int(major, 16), int(minor, 16), int(inode)))
        except ValueError:
            continue
    return found


def is_being_written(path: Path, lock_file: Path | None = None) -> bool:
    """A writer has this journal open now (see the module's docstring)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    locked = _locked_inodes()
    if locked is not None:
        return (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino) in locked
    return lock_file is not None and _pid_alive(lock_file)  # pragma: no cover - not Linux


def _pid_alive(lock_file: Path) -> bool:  # pragma: no cover - not Linux
    try:
        pid = int(Path(lock_file).read_text().strip())
        os.kill(pid, 0)
    except PermissionError:
        return True
    except (OSError, ValueError):
        return False
    return True


__all__ = ["JournalTail", "TailError", "TailUpdate", "is_being_written", "read_header"]
