"""Durable JSON files: atomic writes, damaged files set aside, a TinyDB storage.

A write goes to a temp file in the same folder (0600), is flushed and fsynced, renamed
over the target (``os.replace``, atomic) and the folder is fsynced, so a crash or power
loss leaves either the old file or the new one, never a torn one, and a reader in another
process never sees a half-written file.

A file that does not parse is never read as empty (a later write would wipe the data): it
is renamed aside to ``<name>.corrupt-<YYYYmmddTHHMMSSZ>`` and ``CorruptFileError`` raised.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import Storage

from balint_tui.store.errors import CorruptFileError, MissingFileError, StoreError
from balint_tui.store.locations import FILE_MODE
from balint_tui.store.safe_io import DATA_LIMIT, open_regular, read_error, read_fd, read_regular


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # pragma: no cover - filesystems without directory fsync
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def write_temp(path: Path, data: bytes) -> str:
    """Write ``data`` to a new 0600 temp file beside ``path``, fsynced; return its name.

    The caller renames or links it into place and unlinks it on failure. OSError
    propagates; if the temp file could not be filled it is removed first.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably; the file ends up 0600."""
    path = Path(path)
    folder = path.parent
    try:
        tmp = write_temp(path, data)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise
    try:
        fsync_dir(folder)
    except OSError as exc:  # pragma: no cover - hard to provoke
        raise _write_error(path, exc) from None


def _write_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"could not write {path} ({exc.strerror or exc}); the previous version is intact; "
        "check free space and permissions"
    )


def dumps(data: Any) -> bytes:
    """Compact JSON, UTF-8, no NaN/Infinity (they are not JSON)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def set_aside(path: Path, *, keep: bool = False) -> Path:
    """Rename ``path`` to ``<name>.corrupt-<UTC stamp>`` without replacing any file there.

    ``keep``: link the new name and leave ``path`` too (the caller removes it later, so
    a crash in between leaves both, never neither)."""
    path = Path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{path.name}.corrupt-{stamp}"
    for n in range(1000):
        target = path.with_name(base if n == 0 else f"{base}-{n}")
        try:
            os.link(path, target)  # fails if target exists: nothing is ever replaced
        except FileExistsError:
            continue
        except OSError:  # pragma: no cover - filesystems without hard links
            if target.exists():
                continue
            if keep:
                write_atomic(target, read_bytes(path) or b"")
            else:
                os.rename(path, target)
        else:
            if not keep:
                os.unlink(path)
        fsync_dir(path.parent)
        return target
    raise StoreError(f"could not set aside the damaged file {path}; move it away by hand")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Parse ``raw`` as a JSON object; ValueError (one line) otherwise."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"holds a JSON {type(data).__name__}, not an object")
    return data


def corrupt(path: Path, reason: str, *, move: bool = True) -> CorruptFileError:
    """Set ``path`` aside (when ``move``) and return the error to raise."""
    target = None
    if move:
        try:
            target = set_aside(path)
        except OSError:  # pragma: no cover - report it left in place
            target = None
    return CorruptFileError(path, reason, target)


def read_bytes(path: Path, *, limit: int = DATA_LIMIT) -> bytes | None:
    """The file's bytes, or None if it does not exist. A link, a pipe, a device or a
    file over ``limit`` is refused in one line (``safe_io.UnsafeFileError``)."""
    return read_regular(path, limit=limit)


def read_json_file(path: Path, *, move_corrupt: bool = True) -> dict[str, Any] | None:
    """A JSON object file: None if missing; CorruptFileError (set aside) if it does not parse."""
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        return parse_json_object(raw)
    except ValueError as exc:
        raise corrupt(path, str(exc), move=move_corrupt) from None


def clone_json(value: Any) -> Any:
    """Copy a JSON tree (dicts and lists; leaves are immutable)."""
    if isinstance(value, dict):
        return {k: clone_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone_json(v) for v in value]
    return value


def _copy_tables(data: dict[str, Any]) -> dict[str, Any]:
    """Copy TinyDB's layout down to each document (documents copied one level).

    TinyDB mutates tables and documents in place before writing them back; it never
    reaches into a document's nested values, so a cached copy stays exactly what is on
    disk. Much cheaper than a deep copy of a long sessions index.
    """
    return {
        name: {doc_id: dict(doc) for doc_id, doc in table.items()}
        if isinstance(table, dict)
        else clone_json(table)
        for name, table in data.items()
    }


def tinydb_shape(data: dict[str, Any]) -> None:
    """TinyDB's layout: {table: {doc_id: {document}}}. ValueError if not."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table '{name}' is not a JSON object")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise ValueError(f"table '{name}', document {doc_id} is not a JSON object")


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes atomically and caches the parsed file.

    TinyDB calls ``read()`` on every operation; the parsed data is kept, keyed on the
    file's (inode, mtime_ns, size), so only a changed file is read and parsed again (a
    reader in another process sees each atomic rename as a new inode). ``read()`` hands
    TinyDB a copy (down to each document), because TinyDB mutates what it reads before
    writing it back; a failed write drops the cache.

    ``readonly``: writes raise and damaged files are reported but left in place.
    ``mirror``: a second file that every write also replaces (after the main one), so a
    main file damaged later, by a disk fault or a hand edit, can be restored from it. A
    main file found empty or missing while the mirror holds data is damage, not a new
    file: MissingFileError (a CorruptFileError), so nothing is ever written, and the
    mirror never replaced, from an index that lost its rows.
    ``guard``: called before every write; it raises (OSError) when the data folder is no
    longer the one this process holds, and nothing is written.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        validate: Callable[[dict[str, Any]], None] | None = tinydb_shape,
        mirror: str | os.PathLike[str] | None = None,
        guard: Callable[[], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.mirror = Path(mirror) if mirror is not None else None
        self.guard = guard
        self.readonly = readonly
        self._validate = validate
        self._key: tuple[int, int, int] | None = None
        self._data: dict[str, Any] | None = None
        self.reads = 0  # how many times the file was actually read and parsed

    def read(self) -> dict[str, Any] | None:
        data = self.read_shared()
        return None if data is None else _copy_tables(data)

    def read_shared(self) -> dict[str, Any] | None:
        """What ``read`` returns, but the cached data itself, not a copy (a copy of a
        long sessions table costs about 0.2 us a row): for a caller that only looks at
        it. Never change what it returns (a write replaces it, never changes it)."""
        try:
            fd, st = open_regular(self.path)
        except FileNotFoundError:
            self._key = self._data = None
            self._lost("is missing")
            return None
        except OSError as exc:
            raise read_error(self.path, exc) from None
        try:
            key = (st.st_ino, st.st_mtime_ns, st.st_size)
            if key == self._key:
                return self._data
            raw = read_fd(fd, st, self.path, DATA_LIMIT)
        except OSError as exc:
            raise read_error(self.path, exc) from None
        finally:
            os.close(fd)
        self.reads += 1
        if not raw:  # a new, empty file (unless its mirror says otherwise)
            self._key = self._data = None
            self._lost("is empty")
            data = None
        else:
            try:
                data = parse_json_object(raw)
                if self._validate is not None:
                    self._validate(data)
            except ValueError as exc:
                self._key = self._data = None
                raise corrupt(self.path, str(exc), move=not self.readonly) from None
        self._key, self._data = key, data
        return data

    def _lost(self, how: str) -> None:
        """The main file is missing or empty: damage if the mirror holds data."""
        if self.mirror is None:
            return
        try:
            mirror = os.lstat(self.mirror)
        except OSError:
            return
        if not (stat.S_ISREG(mirror.st_mode) and mirror.st_size):
            return
        # (an empty file holds nothing to keep aside: restoring over it loses nothing)
        raise MissingFileError(self.path, how)

    def write(self, data: dict[str, Any]) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only; nothing was written")
        if self.guard is not None:
            try:
                self.guard()
            except OSError as exc:
                raise _write_error(self.path, exc) from None
        raw = dumps(data)
        self._key = self._data = None
        write_atomic(self.path, raw)
        if self.mirror is not None:
            write_atomic(self.mirror, raw)
        st = os.stat(self.path)
        self._key, self._data = (st.st_ino, st.st_mtime_ns, st.st_size), clone_json(data)
        # (a deep copy here: the caller may keep and change what it wrote)

    def close(self) -> None:
        self._key = self._data = None


__all__ = [
    "AtomicJSONStorage",
    "clone_json",
    "corrupt",
    "dumps",
    "fsync_dir",
    "parse_json_object",
    "read_bytes",
    "read_json_file",
    "set_aside",
    "write_atomic",
    "write_temp",
]
