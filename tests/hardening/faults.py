"""A misbehaving file system for paths under one folder, by replacing ``os`` functions.

``Faults(root).install(setter)`` with ``monkeypatch.setattr`` (in a test) or ``setattr``
(in ``faulty_cli.py``, for a CLI run in a child process). Then set ``mode``:

``None``      everything works
``"enospc"``  writes and fsyncs of files under ``root`` fail: the disk is full; with
              ``partial=True`` a write first puts half its bytes down, as a real one may
``"eio"``     fsyncs of files under ``root`` fail (a dying disk, a pulled USB stick)
``"erofs"``   nothing under ``root`` can be created, changed or removed (read-only mount)

Linux only (``/proc/self/fd`` names an open file's path).
"""

from __future__ import annotations

import errno
import os

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
MESSAGES = {
    errno.ENOSPC: "No space left on device",
    errno.EIO: "Input/output error",
    errno.EROFS: "Read-only file system",
}


def _fail(code: int) -> OSError:
    return OSError(code, MESSAGES[code])


class Faults:
    def __init__(self, root: os.PathLike[str] | str) -> None:
        self.root = os.path.realpath(os.fspath(root))
        self.mode: str | None = None
        self.partial = False
        self.hits = 0  # how many calls were made to fail
        self.real = {name: getattr(os, name) for name in (
            "open", "write", "fsync", "ftruncate", "mkdir", "chmod", "fchmod", "link",
            "rename", "replace", "unlink", "rmdir",
        )}

    # ------------------------------------------------------------------ where
    def _path_under(self, path: object) -> bool:
        try:
            full = os.path.realpath(os.path.abspath(os.fspath(path)))  # type: ignore[arg-type]
        except TypeError:
            return False
        return full == self.root or full.startswith(self.root + os.sep)

    def _fd_under(self, fd: int) -> bool:
        try:
            return self._path_under(os.readlink(f"/proc/self/fd/{fd}").removesuffix(" (deleted)"))
        except OSError:
            return False

    def _hit(self, code: int) -> OSError:
        self.hits += 1
        return _fail(code)

    # ------------------------------------------------------------------ replacements
    def open(self, path, flags, mode=0o777, *args, **kwargs):
        if self.mode == "erofs" and flags & _WRITE_FLAGS and self._path_under(path):
            raise self._hit(errno.EROFS)
        return self.real["open"](path, flags, mode, *args, **kwargs)

    def write(self, fd, data):
        if self.mode in ("enospc", "erofs") and self._fd_under(fd):
            if self.partial and len(data) > 1:
                self.partial = False
                return self.real["write"](fd, bytes(data[: len(data) // 2]))
            raise self._hit(errno.ENOSPC if self.mode == "enospc" else errno.EROFS)
        return self.real["write"](fd, data)

    def fsync(self, fd):
        if self.mode in ("enospc", "eio") and self._fd_under(fd):
            raise self._hit(errno.ENOSPC if self.mode == "enospc" else errno.EIO)
        return self.real["fsync"](fd)

    def ftruncate(self, fd, length):
        if self.mode == "erofs" and self._fd_under(fd):
            raise self._hit(errno.EROFS)
        return self.real["ftruncate"](fd, length)

    def fchmod(self, fd, mode):
        if self.mode == "erofs" and self._fd_under(fd):
            raise self._hit(errno.EROFS)
        return self.real["fchmod"](fd, mode)

    def _one_path(name: str):
        def call(self, path, *args, **kwargs):
            if self.mode == "erofs" and self._path_under(path):
                raise self._hit(errno.EROFS)
            return self.real[name](path, *args, **kwargs)

        return call

    mkdir = _one_path("mkdir")
    chmod = _one_path("chmod")
    unlink = _one_path("unlink")
    rmdir = _one_path("rmdir")

    def _two_paths(name: str):
        def call(self, src, dst, *args, **kwargs):
            if self.mode == "erofs" and (self._path_under(src) or self._path_under(dst)):
                raise self._hit(errno.EROFS)
            return self.real[name](src, dst, *args, **kwargs)

        return call

    link = _two_paths("link")
    rename = _two_paths("rename")
    replace = _two_paths("replace")

    def install(self, setter) -> Faults:
        for name in self.real:
            setter(os, name, getattr(self, name))
        return self


__all__ = ["Faults"]
