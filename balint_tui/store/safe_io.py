"""Opening a file of the data folder safely: a regular file, not a link, of a sane size.

Every file balint-tui reads from (or opens for writing in) its data folder is opened
through ``open_regular``:

* ``O_NOFOLLOW``: a symbolic link is refused, never followed (a ``.lock`` linked to a
  file elsewhere would be truncated, an ``index.json`` linked to ``/dev/zero`` read
  until memory runs out);
* ``O_NONBLOCK``: opening a named pipe returns at once instead of waiting, forever, for
  a writer (a ``keymap.toml`` made a FIFO blocked start-up on a blank screen);
* ``fstat``: only a regular file is used, not a pipe, a device, a socket or a folder;
* a size limit (``read_regular``): a file larger than balint-tui ever writes is refused
  before it is read.

Each refusal is an ``UnsafeFileError``: one line naming the file and what it is, and
the file is left as it is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from balint_tui.domain.file_kinds import kind_of
from balint_tui.store.errors import StoreError

MIB = 1024 * 1024
DATA_LIMIT = 64 * MIB  # the index, a session record, a journal (a long day is < 2 MiB)
SMALL_LIMIT = 1 * MIB  # a keymap or a prompt card: a few hundred bytes

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows


class UnsafeFileError(StoreError):
    """A path in the data folder that is not a plain regular file, or far too large."""

    def __init__(self, path: Path | str, what: str, advice: str) -> None:
        self.path = Path(path)
        self.what = what
        super().__init__(f"{self.path} {what}; it was left as it is: {advice}")


def _kind(mode: int) -> str:
    return kind_of(mode)


def _not_regular(path: Path | str, kind: str) -> UnsafeFileError:
    what = "is not a regular file" if kind == "not a regular file" else (
        f"is {kind}, not a regular file"
    )
    return UnsafeFileError(
        path, what, "balint-tui reads only regular files; move it out of the data folder"
    )


def symlink_error(path: Path | str) -> UnsafeFileError:
    return UnsafeFileError(
        path,
        "is a symbolic link",
        "balint-tui follows no links inside its data folder; put the file itself there",
    )


def open_regular(
    path: Path | str, flags: int = os.O_RDONLY, mode: int = 0o600
) -> tuple[int, os.stat_result]:
    """Open ``path`` (never following a link, never blocking on a pipe) and return the
    descriptor and its ``fstat``. UnsafeFileError unless it is a regular file; any other
    OSError (FileNotFoundError, PermissionError, ...) propagates for the caller to word."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EMLINK and _is_link(path)):
            raise symlink_error(path) from None
        if exc.errno == errno.EISDIR:
            raise _not_regular(path, "a folder") from None
        if exc.errno == errno.ENXIO:  # a FIFO opened for writing with no reader
            raise _not_regular(path, _kind_at(path)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, _kind(st.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _is_link(path: Path | str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _kind_at(path: Path | str) -> str:
    try:
        return _kind(os.lstat(path).st_mode)
    except OSError:
        return "not a regular file"


def too_large(path: Path | str, size: int, limit: int) -> UnsafeFileError:
    cap = f"{limit // MIB} MiB" if limit >= MIB else f"{limit} bytes"
    return UnsafeFileError(
        path,
        f"is larger than {cap} ({size} bytes), far more than balint-tui writes there",
        "move it out of the data folder",
    )


def read_fd(fd: int, st: os.stat_result, path: Path | str, limit: int) -> bytes:
    """The bytes of an open regular file, refused (before reading) above ``limit``."""
    if st.st_size > limit:
        raise too_large(path, st.st_size, limit)
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, max(st.st_size - total, 0) + 65536)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:  # it grew while being read
            raise too_large(path, total, limit)
    return b"".join(chunks)


def read_regular(path: Path | str, *, limit: int = DATA_LIMIT) -> bytes | None:
    """The bytes of the regular file ``path``, or None if there is none.

    UnsafeFileError (one line) for a link, a pipe, a device, a folder or a file over
    ``limit``; StoreError (one line) if it cannot be read."""
    try:
        fd, st = open_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise read_error(path, exc) from None
    try:
        return read_fd(fd, st, path, limit)
    except OSError as exc:
        raise read_error(path, exc) from None
    finally:
        os.close(fd)


def read_error(path: Path | str, exc: OSError) -> StoreError:
    return StoreError(f"could not read {path} ({exc.strerror or exc}); check its permissions")


__all__ = [
    "DATA_LIMIT",
    "SMALL_LIMIT",
    "UnsafeFileError",
    "open_regular",
    "read_error",
    "read_fd",
    "read_regular",
    "symlink_error",
]
