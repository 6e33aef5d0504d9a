"""Who follows: one empty file per open follow view, under ``<data>/followers/``.

A follower (``balint-tui follow``, or one browser page of ``balint-tui serve``) holds a
shared ``flock`` on its own empty file (``followers/f<16 hex>``, 0600) for as long as it
runs, and removes it when it ends. The writer counts the files whose lock is held
(``count_followers``): a file left by a follower that was killed has lost its lock with
its process, and is removed by the count. Nothing about the session is in these files,
and the session's journal never hears of its followers.

The file is locked before it gets its name (a temp name, then a rename), so a count
never sees an unlocked file of a follower that is still starting.

``followers/`` may hold anything else someone put there; it is never balint-tui's to
touch: the folder is opened without following a link (a ``followers`` that is a link
to another folder is not counted, not written, not cleaned), only names made as a mark
is made are opened, each without following a link and without blocking (a named pipe
never stops the live screen), only an empty regular file of this user's counts or is
removed, and the folder is made 0700 when a follow view makes it, never chmod-ed when
it was already there.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import time
from pathlib import Path

from balint_tui.store.foreign import MARK_RE, MARK_TEMP_RE
from balint_tui.store.locations import DIR_MODE, FILE_MODE

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FOLLOWERS_DIR = "followers"
STALE_TEMP_S = 60.0  # a temp name this old belongs to a follower that died starting
MAX_LISTED = 4096  # names looked at in one count (a folder stuffed full stays cheap)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _open_folder(data_dir: Path | str, *, make: bool) -> int | None:
    """A descriptor of ``<data_dir>/followers`` (never a link), made 0700 if ``make`` and
    it is not there; None if it cannot be had so."""
    folder = Path(data_dir) / FOLLOWERS_DIR
    if make:
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            pass
        except OSError:
            return None
        else:
            try:
                os.chmod(folder, DIR_MODE)  # ours, just made: the umask may have taken bits
            except OSError:
                pass
    try:
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError:  # missing, a link (ELOOP), not a folder, not readable
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode) and st.st_uid == _uid():
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


class FollowerMark:
    """``with FollowerMark(data_dir): ...`` while a follow view is open. Best effort:
    a folder that cannot be written leaves the view uncounted, nothing else."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / FOLLOWERS_DIR
        self.path: Path | None = None
        self._fd: int | None = None
        self._dir_fd: int | None = None

    def acquire(self) -> FollowerMark:
        if self._fd is not None or fcntl is None:
            return self
        dir_fd = _open_folder(self.data_dir, make=True)
        if dir_fd is None:
            return self
        name = f"f{secrets.token_hex(8)}"
        temp = f".{name}.tmp"
        try:
            fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_RDONLY | _NOFOLLOW | _CLOEXEC,
                         FILE_MODE, dir_fd=dir_fd)
        except OSError:
            os.close(dir_fd)
            return self
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            os.rename(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except OSError:
            os.close(fd)
            try:
                os.unlink(temp, dir_fd=dir_fd)
            except OSError:
                pass
            os.close(dir_fd)
            return self
        self._fd, self._dir_fd, self.path = fd, dir_fd, self.folder / name
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        dir_fd, self._dir_fd = self._dir_fd, None
        try:
            if self.path is not None and dir_fd is not None:
                os.unlink(self.path.name, dir_fd=dir_fd)
        except OSError:
            pass
        os.close(fd)
        if dir_fd is not None:
            os.close(dir_fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FollowerMark:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def count_followers(data_dir: Path | str, *, clean: bool = True) -> int:
    """How many follow views are open on ``data_dir`` now. ``clean``: remove the marks
    of followers that died (only the writer, holding the data folder, should).

    Never blocks and never follows a link (see the module): on the live screen's loop."""
    if fcntl is None:  # pragma: no cover - Windows
        return 0
    dir_fd = _open_folder(data_dir, make=False)
    if dir_fd is None:
        return 0
    try:
        names = os.listdir(dir_fd)[:MAX_LISTED]
        count = 0
        for name in names:
            if MARK_RE.match(name):
                count += _count_one(dir_fd, name, clean)
            elif clean and MARK_TEMP_RE.match(name):
                _remove_old_temp(dir_fd, name)
        return count
    except OSError:
        return 0
    finally:
        os.close(dir_fd)


def _count_one(dir_fd: int, name: str, clean: bool) -> int:
    """1 if the mark ``name`` is held by its follower; a mark nobody holds is removed
    (``clean``). Anything but an empty regular file of this user's is left alone."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return 0
    try:
        st = os.fstat(fd)
        if not _is_mark(st):
            return 0
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            return 1 if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN) else 0
        if clean:  # nobody holds it: its follower is gone
            _unlink_if_same(dir_fd, name, st)
        return 0
    except OSError:
        return 0
    finally:
        os.close(fd)


def _is_mark(st: os.stat_result) -> bool:
    return stat.S_ISREG(st.st_mode) and st.st_size == 0 and st.st_uid == _uid()


def _unlink_if_same(dir_fd: int, name: str, st: os.stat_result) -> None:
    """Remove ``name`` if it is still the file ``st`` describes (not swapped meanwhile)."""
    try:
        now = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
            os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def _remove_old_temp(dir_fd: int, name: str) -> None:
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if _is_mark(st) and time.time() - st.st_mtime > STALE_TEMP_S:
            os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


__all__ = ["FOLLOWERS_DIR", "FollowerMark", "count_followers"]
