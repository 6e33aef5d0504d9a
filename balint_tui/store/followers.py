"""Who follows: one empty file per open follow view, under ``<data>/followers/``.

A follower (``balint-tui follow``, or one browser page of ``balint-tui serve``) holds a
shared ``flock`` on its own empty file (``followers/f<hex>``, 0600, in a 0700 folder)
for as long as it runs, and removes it when it ends. The writer counts the files whose
lock is held (``count_followers``): a file left by a follower that was killed has lost
its lock with its process, and is removed by the count. Nothing about the session is
in these files, and the session's journal never hears of its followers.

The file is locked before it gets its name (a temp name, then a rename), so a count
never sees an unlocked file of a follower that is still starting.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from balint_tui.store.locations import FILE_MODE, ensure_private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FOLLOWERS_DIR = "followers"
STALE_TEMP_S = 60.0  # a temp name this old belongs to a follower that died starting


class FollowerMark:
    """``with FollowerMark(data_dir): ...`` while a follow view is open. Best effort:
    a folder that cannot be written leaves the view uncounted, nothing else."""

    def __init__(self, data_dir: Path | str) -> None:
        self.folder = Path(data_dir) / FOLLOWERS_DIR
        self.path: Path | None = None
        self._fd: int | None = None

    def acquire(self) -> FollowerMark:
        if self._fd is not None or fcntl is None:
            return self
        name = f"f{secrets.token_hex(8)}"
        temp = self.folder / f".{name}.tmp"
        try:
            ensure_private_dir(self.folder)
            fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_RDONLY, FILE_MODE)
        except Exception:
            return self
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            os.rename(temp, self.folder / name)
        except OSError:
            os.close(fd)
            try:
                os.unlink(temp)
            except OSError:
                pass
            return self
        self._fd, self.path = fd, self.folder / name
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if self.path is not None:
                os.unlink(self.path)
        except OSError:
            pass
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FollowerMark:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def count_followers(data_dir: Path | str, *, clean: bool = True) -> int:
    """How many follow views are open on ``data_dir`` now. ``clean``: remove the files
    of followers that died (only the writer, holding the data folder, should)."""
    if fcntl is None:  # pragma: no cover - Windows
        return 0
    folder = Path(data_dir) / FOLLOWERS_DIR
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    count = 0
    for name in names:
        path = folder / name
        if name.startswith("."):
            if clean and name.endswith(".tmp"):
                _remove_old_temp(path)
            continue
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                count += 1  # its follower holds it
                continue
            except OSError:
                continue
            if clean:  # nobody holds it: its follower is gone
                try:
                    os.unlink(path)
                except OSError:
                    pass
        finally:
            os.close(fd)
    return count


def _remove_old_temp(path: Path) -> None:
    try:
        if time.time() - os.stat(path).st_mtime > STALE_TEMP_S:
            os.unlink(path)
    except OSError:
        pass


__all__ = ["FOLLOWERS_DIR", "FollowerMark", "count_followers"]
