"""``Store``: the one interface the rest of balint-tui uses to keep data.

Layout of a data folder (files 0600, folders 0700)::

    <data>/.lock                  one writer per folder (flock, on the folder itself too)
    <data>/index.json             TinyDB: meta, groups, templates, settings, sessions (index rows),
                                  ratings, logbook (sessions added by hand)
    <data>/sessions/<id>.json     one finished session: header, events, summary
    <data>/journals/<id>.jsonl    a live session's journal (removed once it is finished)

Opening the store reads only ``index.json``; listing sessions, the pre-session history
and ``unfinished()`` read the index and the (few) journals present, never the per-session
files, so start-up does not grow with the number of past sessions. Index rows hold ids
and figures only, no names of anyone.

Every file of the folder is opened through ``store.safe_io`` (regular files only, no
links followed, a size limit), and every write first checks that the folder at the path
is still the one locked (``DataDirLock.check``).
"""
from __future__ import annotations

import os
from pathlib import Path

from tinydb import Query, TinyDB

from balint_tui.store.atomic import AtomicJSONStorage
from balint_tui.store.base import INDEX_MIRROR, INDEX_NAME, JOURNALS_DIR, SESSIONS_DIR
from balint_tui.store.errors import CorruptFileError, MissingFileError, StoreError
from balint_tui.store.fold import fold
from balint_tui.store.foreign import check_data_folder
from balint_tui.store.index import index_row
from balint_tui.store.locations import ensure_private_dir, resolve_data_dir
from balint_tui.store.lock import DataDirLock
from balint_tui.store.migrations import DATA_VERSION
from balint_tui.store.modes import tighten_modes
from balint_tui.store.sessions import JournalInfo, SessionFiles


class Store(SessionFiles):
    """Groups, templates, settings and sessions of one data folder.

    The one interface the rest of balint-tui uses to keep data. Its methods come from
    the parts it is built of (see ``store.base``): ``store.groups`` (groups, templates,
    settings, ratings), ``store.index`` (finished sessions and the index),
    ``store.sessions`` (live journals and finishing them); this class opens and closes
    the folder.
    """

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        data_dir: Path | str | None = None,
        *,
        lock: bool = True,
        readonly: bool = False,
    ) -> Store:
        """Open (creating if needed) the data folder. Reads ``index.json`` and nothing else.

        ``readonly=True`` (a second screen following a session): nothing is created,
        written or set aside, and no lock is taken. ``lock=False`` skips the lock only.
        Raises DataDirLockedError, DataVersionError, CorruptFileError, StoreError.
        """
        path = resolve_data_dir(data_dir)
        if readonly:
            if not path.is_dir():
                raise StoreError(f"there is no balint-tui data folder at {path}")
        else:
            check_data_folder(path)  # someone else's folder: refused, nothing changed
            ensure_private_dir(path)
        held = DataDirLock(path).acquire() if (lock and not readonly) else None
        try:
            if not readonly:
                ensure_private_dir(path / SESSIONS_DIR, inside=True)
                ensure_private_dir(path / JOURNALS_DIR, inside=True)
            db = TinyDB(
                path / INDEX_NAME,
                storage=AtomicJSONStorage,
                readonly=readonly,
                mirror=path / INDEX_MIRROR,
                guard=held.check if held is not None else None,
            )
            store = cls(path, db, held, readonly)
            try:
                store._check_version()
            except CorruptFileError as exc:
                if exc.path != store.index_path:
                    raise
                store = store._index_damaged(exc)
            else:
                if store._index_was_new:
                    store._relist_if_lost()
            if held is not None:
                store._remove_stale_temp_files()
                # loose modes made 0600/0700; ``audit`` reports any left open to others
                tighten_modes(path, own_folders=not store._index_was_new)
        except BaseException:
            if held is not None:
                held.release()
            raise
        return store

    def _index_damaged(self, exc: CorruptFileError) -> Store:
        """The store to use when ``index.json`` was found damaged, emptied or deleted
        on opening: this one with the index restored, or (read-only) one reading its
        mirror copy and changing nothing; StoreError if it cannot be read either way."""
        if self.readonly and isinstance(exc, MissingFileError):
            # emptied or deleted: read its mirror copy instead, changing nothing
            self._db.close()
            db = TinyDB(self.data_dir / INDEX_MIRROR, storage=AtomicJSONStorage, readonly=True)
            store = type(self)(self.data_dir, db, self._lock, self.readonly)
            store._check_version()
            store.warnings.append(
                f"{exc.path} is missing or empty; read from its mirror copy "
                f"{INDEX_MIRROR} and left as it is: run balint-tui once to restore it"
            )
            return store
        if self.readonly:
            raise StoreError(
                f"{exc.path} is damaged ({exc.reason}); it was left as it is: run "
                "balint-tui once to set it aside and restore it from its mirror copy"
            ) from None
        self._recover_index(str(exc))
        return self

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def take_notice(self) -> str | None:
        """One line, once, when the data folder at the path was found to be another
        folder and this process took it over (see ``DataDirLock.check``)."""
        if self._lock is not None and self._lock.notices:
            return self._lock.notices.pop(0)
        return None

    def _remove_stale_temp_files(self) -> None:
        """Temp files a killed writer left (we hold the lock: none is being written).

        Only the data folder and ``journals/`` are looked at (both stay small); a temp
        file in ``sessions/`` is harmless and never read.
        """
        for folder in (self.data_dir, self.data_dir / JOURNALS_DIR):
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if name.startswith(".") and name.endswith(".tmp"):
                    self._remove(folder / name)

    # ------------------------------------------------------------------ groups
    def delete_group(self, group_id: str) -> None:
        """Delete the group, its finished sessions and its live journals."""
        self._writable()
        for row in self.sessions(group_id):
            self.delete_session(row["id"])
        for info in self._journals():
            if info.group_id == group_id:
                self._remove(info.path)
        self._table("logbook").remove(Query().group_id == group_id)  # hand entries
        self._table("groups").remove(Query().id == group_id)


__all__ = [
    "DATA_VERSION",
    "JournalInfo",
    "Store",
    "fold",
    "index_row",
]
