"""What every part of ``Store`` shares: the folder's layout, the index's tables, the
write guard and removing a file.

``Store`` (``store.store``) is built as a short chain of parts, each a class that adds
one seam of the store to the one below it::

    StoreBase            this module: paths, tables, the guard, removing files
    GroupsAndSettings    store.groups: groups, templates, settings, ratings
    SessionIndex         store.index: index rows, session records, the mirror, repair
    SessionFiles         store.sessions: live journals, finishing, setting aside
    Store                store.store: opening and closing the folder

A part calls only what it and the parts below it define, so each is checked by mypy
on its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from tinydb import Query, TinyDB
from tinydb.table import Document, Table

from balint_tui.domain.names import is_identifier
from balint_tui.store.atomic import AtomicJSONStorage, fsync_dir
from balint_tui.store.errors import CorruptFileError, StoreError, one_line
from balint_tui.store.lock import DataDirLock

INDEX_NAME = "index.json"
INDEX_MIRROR = "index.mirror.json"  # the same bytes, written after the index
SESSIONS_DIR = "sessions"
JOURNALS_DIR = "journals"

ModelT = TypeVar("ModelT", bound=BaseModel)


def validation_reason(exc: ValidationError) -> str:
    """The first error of ``exc`` in one line: which field, and what is wrong with it."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid"))
    return f"field '{loc}': {msg}" if loc else msg


def checked_id(session_id: str) -> str:
    """``session_id`` if it is an identifier (safe in a file name), else StoreError."""
    if not isinstance(session_id, str) or not is_identifier(session_id):
        raise StoreError(f"{one_line(repr(session_id))} is not a session id")
    return session_id


class StoreBase:
    """The data folder, its index (TinyDB on ``AtomicJSONStorage``) and its lock."""

    def __init__(
        self, data_dir: Path, db: TinyDB, lock: DataDirLock | None, readonly: bool
    ) -> None:
        self.data_dir = data_dir
        self.readonly = readonly
        self._db = db
        self._lock = lock
        storage = db.storage
        if not isinstance(storage, AtomicJSONStorage):
            raise TypeError("the store's index must be kept by an AtomicJSONStorage")
        self._storage = storage
        # before every write: the data folder at the path is still the one locked
        self._guard: Callable[[], None] | None = lock.check if lock is not None else None
        # one line per damaged file found and set aside while listing (for the screen)
        self.warnings: list[str] = []
        # set by ``_check_version``: the index was missing or empty when opened
        self._index_was_new = False

    # ------------------------------------------------------------------ paths
    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_NAME

    def session_path(self, session_id: str) -> Path:
        return self.data_dir / SESSIONS_DIR / f"{checked_id(session_id)}.json"

    def journal_path(self, session_id: str) -> Path:
        return self.data_dir / JOURNALS_DIR / f"{checked_id(session_id)}.jsonl"

    # ------------------------------------------------------------------ tables
    def _table(self, name: str) -> Table:
        # no query cache: a read-only follower must see another process's writes
        return self._db.table(name, cache_size=0)

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.data_dir} is open read-only; nothing was changed")

    def _table_docs(self, name: str) -> dict[str, dict[str, Any]]:
        """A table as stored (doc id -> document), read without TinyDB and without a
        copy: only look at it. TinyDB copies every table on every operation, which
        grows with the sessions index; reads use this instead."""
        table = (self._storage.read_shared() or {}).get(name)
        return table if isinstance(table, dict) else {}

    def _docs(self, name: str) -> list[dict[str, Any]]:
        """A table's documents as stored, in order (see ``_table_docs``)."""
        return list(self._table_docs(name).values())

    def _model(self, model: type[ModelT], doc: Mapping[str, Any], what: str) -> ModelT:
        """``doc`` of the index validated as ``model``; CorruptFileError if it is not one."""
        try:
            return model.model_validate(dict(doc))
        except ValidationError as exc:
            raise CorruptFileError(
                self.index_path, f"{what}: {validation_reason(exc)}", None
            ) from None

    def _row_doc(self, session_id: str) -> Document | None:
        """The session's index row as stored, or None if the index does not list it."""
        return self._table("sessions").get(Query().id == session_id)

    # ------------------------------------------------------------------ files
    def _check_held(self, path: Path) -> None:
        """StoreError (nothing written) unless the data folder is still the one locked."""
        if self._guard is None:
            return
        try:
            self._guard()
        except OSError as exc:
            raise StoreError(
                f"could not write {path} ({exc.strerror or exc}); nothing was changed"
            ) from None

    def _remove(self, path: Path) -> None:
        self._check_held(path)
        try:
            os.unlink(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(
                f"could not remove {path} ({exc.strerror or exc}); check its permissions"
            ) from None
        fsync_dir(path.parent)


__all__ = [
    "INDEX_MIRROR",
    "INDEX_NAME",
    "JOURNALS_DIR",
    "SESSIONS_DIR",
    "StoreBase",
    "checked_id",
    "validation_reason",
]
