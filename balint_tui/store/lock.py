"""One writer per data folder: an OS lock on the data folder itself and on ``<data>/.lock``.

The lock is released by the OS when the process ends, however it ends (SIGKILL, power
loss), so there is never a stale lock to clean up. Readers (a second screen following a
running session) do not take it.

The ``flock`` is taken on a descriptor of the data folder itself, so deleting ``.lock``
does not let a second writer in; ``.lock`` (a regular file, never a link, holding the
PID for a curious human) is locked too, as earlier versions locked only that.
``check()``, called before every write, makes sure the folder at the path is still the
one locked (same device and inode): a data folder deleted, unmounted or replaced
mid-session is never written into unless this process holds its lock (it takes the
lock of a recreated, unused folder; one another balint-tui uses is left alone).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from balint_tui.store.errors import DataDirLockedError, StoreError
from balint_tui.store.locations import FILE_MODE, ensure_private_dir
from balint_tui.store.safe_io import UnsafeFileError, open_regular

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class FolderNotHeld(OSError):
    """The data folder at the path is not the one this process holds (a write refused)."""


class DataDirLock:
    """``with DataDirLock(data_dir): ...``; a second holder gets DataDirLockedError."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_NAME
        self._fd: int | None = None
        self._dir_fd: int | None = None
        # one line each time another folder at the path was taken over (for the screen)
        self.notices: list[str] = []

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> DataDirLock:
        if self._fd is not None:
            return self
        self._dir_fd, self._fd = _take(self.data_dir, self.path)
        return self

    def check(self) -> None:
        """Before a write: OSError (one-line ``strerror``) unless the folder at the path
        is the one locked. A recreated folder nobody holds is locked and used."""
        if self._dir_fd is None:
            return
        try:
            at_path = os.stat(self.data_dir)
        except FileNotFoundError:
            raise FileNotFoundError(
                errno.ENOENT, f"the data folder {self.data_dir} is not there"
            ) from None
        held = os.fstat(self._dir_fd)
        if (at_path.st_dev, at_path.st_ino) == (held.st_dev, held.st_ino):
            return
        # another folder at the path (recreated, remounted): only if we can hold it
        try:
            ensure_private_dir(self.data_dir)
            taken = _take(self.data_dir, self.path)
        except DataDirLockedError:
            raise FolderNotHeld(
                errno.EBUSY,
                f"the data folder {self.data_dir} was replaced by another one, which another "
                "balint-tui is using; nothing is written there",
            ) from None
        except StoreError as exc:
            raise FolderNotHeld(
                errno.EPERM,
                f"the data folder {self.data_dir} was replaced by another one that cannot be "
                f"locked ({exc}); nothing is written there",
            ) from None
        self.release()
        self._dir_fd, self._fd = taken
        self.notices.append(
            f"the data folder {self.data_dir} is another folder than when it was opened "
            "(made again, or another disk mounted there); balint-tui now holds it and "
            "writes there"
        )

    def release(self) -> None:
        for name in ("_fd", "_dir_fd"):
            fd = getattr(self, name)
            if fd is not None:
                setattr(self, name, None)
                os.close(fd)  # closing the descriptor drops the lock

    def __enter__(self) -> DataDirLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _take(data_dir: Path, path: Path) -> tuple[int | None, int]:
    """Lock the folder, then its ``.lock`` file; return both descriptors."""
    dir_fd = None
    if fcntl is not None and _DIRECTORY:
        try:
            dir_fd = os.open(data_dir, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
        except OSError as exc:
            raise StoreError(
                f"cannot open the data folder {data_dir} ({exc.strerror or exc}); "
                "check its permissions"
            ) from None
        try:
            _lock(dir_fd, path)
        except BaseException:
            os.close(dir_fd)
            raise
    try:
        fd = _open_lock_file(path)
        try:
            _lock(fd, path)
        except BaseException:
            os.close(fd)
            raise
    except BaseException:
        if dir_fd is not None:
            os.close(dir_fd)
        raise
    try:  # who holds it, for a curious human; the lock itself is the flock
        if os.fstat(fd).st_nlink == 1:  # never through a hard link to another file
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
    except OSError:
        pass
    return dir_fd, fd


def _open_lock_file(path: Path) -> int:
    try:
        fd, _ = open_regular(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except UnsafeFileError:
        raise
    except OSError as exc:
        raise StoreError(
            f"cannot open the lock file {path} ({exc.strerror or exc}); "
            "check the data folder's permissions"
        ) from None
    return fd


def _lock(fd: int, path: Path) -> None:
    try:
        _flock(fd)
    except BlockingIOError:
        raise DataDirLockedError(path.parent) from None
    except OSError as exc:
        raise StoreError(
            f"cannot lock {path} ({exc.strerror or exc}); "
            "the data folder must be on a local disk"
        ) from None


def _flock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    import msvcrt  # pragma: no cover - Windows

    try:  # pragma: no cover
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:  # pragma: no cover
        raise BlockingIOError(str(exc)) from None


__all__ = ["LOCK_NAME", "DataDirLock", "FolderNotHeld"]
