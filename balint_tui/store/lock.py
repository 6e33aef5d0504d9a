"""One writer per data folder: an OS lock on ``<data>/.lock``.

The lock is released by the OS when the process ends, however it ends (SIGKILL, power
loss), so there is never a stale lock to clean up. Readers (a second screen following a
running session) do not take it.
"""

from __future__ import annotations

import os
from pathlib import Path

from balint_tui.store.errors import DataDirLockedError, StoreError
from balint_tui.store.locations import FILE_MODE

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"


class DataDirLock:
    """``with DataDirLock(data_dir): ...``; a second holder gets DataDirLockedError."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "DataDirLock":
        if self._fd is not None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise StoreError(
                f"cannot open the lock file {self.path} ({exc.strerror or exc}); "
                "check the data folder's permissions"
            ) from None
        try:
            _lock(fd)
        except BlockingIOError:
            os.close(fd)
            raise DataDirLockedError(self.data_dir) from None
        except OSError as exc:
            os.close(fd)
            raise StoreError(
                f"cannot lock {self.path} ({exc.strerror or exc}); "
                "the data folder must be on a local disk"
            ) from None
        try:  # who holds it, for a curious human; the lock itself is the flock
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the lock

    def __enter__(self) -> "DataDirLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    import msvcrt  # pragma: no cover - Windows

    try:  # pragma: no cover
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:  # pragma: no cover
        raise BlockingIOError(str(exc)) from None


__all__ = ["DataDirLock", "LOCK_NAME"]
