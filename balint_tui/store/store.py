"""``Store``: the one interface the rest of balint-tui uses to keep data.

Layout of a data folder (files 0600, folders 0700)::

    <data>/.lock                  one writer per folder (flock, on the folder itself too)
    <data>/index.json             TinyDB: meta, groups, templates, settings, sessions (index rows)
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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import Query, TinyDB
from tinydb.table import Document, Table

from balint_tui.domain import events as ev
from balint_tui.domain.model import (
    Group,
    Member,
    PastSession,
    SessionPlan,
    Template,
    builtin_templates,
)
from balint_tui.domain.names import is_identifier, name_key
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.store import migrations
from balint_tui.store import ratings as ratings_doc
from balint_tui.store.atomic import (
    AtomicJSONStorage,
    clone_json,
    corrupt,
    dumps,
    fsync_dir,
    parse_json_object,
    read_bytes,
    read_json_file,
    set_aside,
    tinydb_shape,
    write_atomic,
)
from balint_tui.store.errors import (
    CorruptFileError,
    DataVersionError,
    MissingFileError,
    StoreError,
    one_line,
)
from balint_tui.store.fold import fold
from balint_tui.store.journal import JournalContents, JournalWriter, read_journal
from balint_tui.store.locations import ensure_private_dir, resolve_data_dir
from balint_tui.store.lock import DataDirLock
from balint_tui.store.migrations import DATA_VERSION, NewerVersion
from balint_tui.store.ratings import SessionRatings
from balint_tui.store.records import (
    SESSION_FORMAT,
    GroupRows,
    IndexRow,
    RosterEntry,
    SessionHeader,
    SessionRecord,
    utc,
)

INDEX_NAME = "index.json"
INDEX_MIRROR = "index.mirror.json"  # the same bytes, written after the index
SESSIONS_DIR = "sessions"
JOURNALS_DIR = "journals"
_SETTINGS_DOC = 1


@dataclass
class JournalInfo:
    """A live journal found on disk (a session under way, or interrupted)."""

    session_id: str
    group_id: str
    started_wall: datetime
    path: Path
    header: SessionHeader
    events: int
    last_at: float
    ended: bool
    torn_tail: bool


def _validation_reason(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid"))
    return f"field '{loc}': {msg}" if loc else msg


def index_row(header: SessionHeader, state: SessionState) -> IndexRow:
    presented: list[str] = []
    for case in state.cases:
        if case.presenter is not None and case.presenter not in presented:  # None: a topic
            presented.append(case.presenter)
    started = state.started_at or 0.0
    end = state.ended_at if state.ended_at is not None else state.now
    return IndexRow(
        id=header.session_id,
        group_id=header.group_id,
        started_wall=header.started_wall,
        ended=state.ended,
        duration_s=round(max(0.0, end - started), 3),
        cases=len(state.cases),
        template=header.plan.template.name,
        attended=[m for m in state.members if m in state.present_ever],
        presented=presented,
        bumped=[q.who for q in state.queue],
        late={m: round(state.arrived_at[m] - started, 3) for m in state.members
              if state.arrived_at.get(m, started) > started},
        # the first time a member left, whether or not they came back; every absence
        # after being in the room (left, back or None) in ``away``
        left={m: round(state.away[m][0][0] - started, 3) for m in state.members
              if state.away.get(m)},
        away={m: [(round(out - started, 3), None if back is None else round(back - started, 3))
                  for out, back in state.away[m]]
              for m in state.members if state.away.get(m)},
    )


class Store:
    """Groups, templates, settings and sessions of one data folder."""

    def __init__(
        self, data_dir: Path, db: TinyDB, lock: DataDirLock | None, readonly: bool
    ) -> None:
        self.data_dir = data_dir
        self.readonly = readonly
        self._db = db
        self._lock = lock
        self._storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        # before every write: the data folder at the path is still the one locked
        self._guard = lock.check if lock is not None else None
        # one line per damaged file found and set aside while listing (for the screen)
        self.warnings: list[str] = []

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
                if readonly and isinstance(exc, MissingFileError):
                    # emptied or deleted: read its mirror copy instead, changing nothing
                    db.close()
                    db = TinyDB(path / INDEX_MIRROR, storage=AtomicJSONStorage, readonly=True)
                    store = cls(path, db, held, readonly)
                    store._check_version()
                    store.warnings.append(
                        f"{exc.path} is missing or empty; read from its mirror copy "
                        f"{INDEX_MIRROR} and left as it is: run balint-tui once to restore it"
                    )
                elif readonly:
                    raise StoreError(
                        f"{exc.path} is damaged ({exc.reason}); it was left as it is: run "
                        "balint-tui once to set it aside and restore it from its mirror copy"
                    ) from None
                else:
                    store._recover_index(str(exc))
            else:
                if store._index_was_new:
                    store._relist_if_lost()
            if held is not None:
                store._remove_stale_temp_files()
        except BaseException:
            if held is not None:
                held.release()
            raise
        return store

    def _check_version(self) -> None:
        """Refuse a newer data folder; upgrade an older one (see ``store.migrations``)."""
        data = self._storage.read_shared()  # only looked at here: not copied
        self._index_was_new = data is None
        try:
            found = migrations.index_version(data)
        except ValueError as exc:
            raise corrupt(self.index_path, str(exc), move=False) from None
        if found > DATA_VERSION:
            raise DataVersionError(self.index_path, found, DATA_VERSION)
        if self.readonly:
            return  # older files are upgraded in memory as they are read
        if found < DATA_VERSION:
            assert data is not None
            self._upgrade(clone_json(data), found)
        elif not (data or {}).get("meta"):  # what was just read: no second read
            self._table("meta").insert({"data_version": DATA_VERSION})

    def _upgrade(self, data: dict[str, Any], found: int) -> None:
        """Upgrade every file of an older data folder, originals copied aside first.

        Journals and session records first, the index (whose version says the folder
        is done) last: a crash half-way runs the upgrade again at the next open.
        Damaged files are left for the usual checks to set aside when they are read.
        """
        try:
            backup = migrations.backup_folder(self.data_dir, found)
            migrations.keep_original(
                self.data_dir, backup, self.index_path, read_bytes(self.index_path) or b""
            )
            for folder, ext, upgrade in (
                (JOURNALS_DIR, "jsonl", _upgraded_journal),
                (SESSIONS_DIR, "json", _upgraded_record),
            ):
                for name in sorted(os.listdir(self.data_dir / folder)):
                    sid, dot, suffix = name.rpartition(".")
                    if suffix != ext or not dot or not is_identifier(sid):
                        continue
                    path = self.data_dir / folder / name
                    raw = read_bytes(path)
                    new = None if raw is None else upgrade(raw)
                    if new is not None:
                        migrations.keep_original(self.data_dir, backup, path, raw)
                        write_atomic(path, new)
            self._storage.write(migrations.upgrade_index(data))
        except OSError as exc:
            raise StoreError(
                f"could not upgrade the data folder {self.data_dir} "
                f"({exc.strerror or exc}); nothing was lost; check free space and permissions"
            ) from None
        self.warnings.append(
            f"the data folder {self.data_dir} was upgraded from data version {found} to "
            f"{DATA_VERSION}; the original files are kept in {backup.name}"
        )

    def _relist_if_lost(self) -> None:
        """``index.json`` was missing or empty, and so was its mirror: a new folder,
        unless session files are there (then it lost its rows: list them again)."""
        try:
            names = os.listdir(self.data_dir / SESSIONS_DIR)
        except OSError:
            return
        files = [n for n in names if n.endswith(".json") and is_identifier(n[:-5])]
        if not files:
            return
        if self.readonly:
            raise StoreError(
                f"{self.index_path} is missing or empty while {len(files)} session file(s) "
                f"are in {self.data_dir / SESSIONS_DIR}; it was left as it is: run "
                "balint-tui once to list them again"
            )
        self._recover_index(
            f"{self.index_path} is missing or empty (and so is its mirror copy) while "
            f"{len(files)} session file(s) are in {self.data_dir / SESSIONS_DIR}",
            from_mirror=False,
        )

    def _recover_index(self, damage: str, *, from_mirror: bool = True) -> None:
        """``index.json`` was damaged (and set aside), emptied or deleted: restore it
        from its mirror, list again the sessions whose files the restored index does not
        name, and rebuild from their rosters any group the index no longer holds.
        Nothing is read as empty: a damaged file stays set aside for the leader to
        inspect, and the mirror is only rewritten from what it held, plus what the
        session files add."""
        mirror = self.data_dir / INDEX_MIRROR
        restored = False
        try:
            raw = read_bytes(mirror) if from_mirror else None
        except StoreError as exc:  # a link, a pipe, unreadable: not a copy to trust
            self.warnings.append(str(exc))
            raw = None
        if raw:
            try:
                tinydb_shape(parse_json_object(raw))
            except ValueError:
                self.warnings.append(str(corrupt(mirror, "does not parse either")))
            else:
                write_atomic(self.index_path, raw)
                restored = True
        self._check_version()
        added = self.reindex_sessions()
        known = {g.id for g in self.groups()}
        rebuilt = 0
        for session_id in added:
            header = self.load_session(session_id)
            if header.group_id in known:
                continue
            rebuilt += 1
            known.add(header.group_id)
            self.save_group(
                Group(
                    id=header.group_id,
                    name=f"Recovered group {rebuilt}",
                    members=[Member(id=r.id, name=r.name) for r in header.roster],
                )
            )
        source = "its mirror copy" if restored else "the session files"
        self.warnings.append(
            f"{damage} — restored from {source}; {len(added)} session(s) listed again, "
            f"{rebuilt} group(s) rebuilt from session rosters"
        )

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ paths
    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_NAME

    def session_path(self, session_id: str) -> Path:
        return self.data_dir / SESSIONS_DIR / f"{_checked_id(session_id)}.json"

    def journal_path(self, session_id: str) -> Path:
        return self.data_dir / JOURNALS_DIR / f"{_checked_id(session_id)}.jsonl"

    # ------------------------------------------------------------------ helpers
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

    def _model(self, model: type, doc: dict[str, Any], what: str) -> Any:
        try:
            return model.model_validate(dict(doc))
        except ValidationError as exc:
            raise CorruptFileError(
                self.index_path, f"{what}: {_validation_reason(exc)}", None
            ) from None

    # ------------------------------------------------------------------ groups
    def groups(self) -> list[Group]:
        return [self._model(Group, doc, "a group") for doc in self._docs("groups")]

    def group(self, group_id: str) -> Group | None:
        doc = next((d for d in self._docs("groups") if d.get("id") == group_id), None)
        return None if doc is None else self._model(Group, doc, "a group")

    def save_group(self, group: Group) -> None:
        self._writable()
        group = Group.model_validate(group.model_dump())
        key = name_key(group.name)
        if any(g.id != group.id and name_key(g.name) == key for g in self.groups()):
            raise StoreError(f"another group is already called {group.name}")
        self._table("groups").upsert(group.model_dump(mode="json"), Query().id == group.id)

    def delete_group(self, group_id: str) -> None:
        """Delete the group, its finished sessions and its live journals."""
        self._writable()
        for row in self.sessions(group_id):
            self.delete_session(row["id"])
        for info in self._journals():
            if info.group_id == group_id:
                self._remove(info.path)
        self._table("groups").remove(Query().id == group_id)

    # ------------------------------------------------------------------ templates
    def templates(self) -> dict[str, Template]:
        """Built-in templates overlaid by the leader's own (same name wins)."""
        user = {
            t.name: t
            for t in (self._model(Template, d, "a template") for d in self._docs("templates"))
        }
        return {**builtin_templates(), **user}

    def save_template(self, template: Template) -> None:
        self._writable()
        template = Template.model_validate(template.model_dump())
        key = name_key(template.name)
        clash = next((n for n in self.templates() if n != template.name and name_key(n) == key), None)
        if clash is not None:
            raise StoreError(f"a template called {clash} already exists")
        self._table("templates").upsert(
            template.model_dump(mode="json"), Query().name == template.name
        )

    def delete_template(self, name: str) -> None:
        """Remove the leader's template ``name`` (a built-in of that name shows again)."""
        self._writable()
        self._table("templates").remove(Query().name == name)

    # ------------------------------------------------------------------ settings
    def settings(self) -> dict[str, Any]:
        doc = self._table_docs("settings").get(str(_SETTINGS_DOC))
        value = doc.get("value") if isinstance(doc, dict) else None
        return clone_json(value) if isinstance(value, dict) else {}

    def save_settings(self, settings: dict[str, Any]) -> None:
        """Replace the settings with ``settings`` (a JSON-able dict), in one write."""
        self._writable()
        if not isinstance(settings, dict):
            raise TypeError("settings must be a dict")
        try:
            dumps(settings)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"settings cannot be stored as JSON ({exc}); nothing was saved")
        self._table("settings").upsert(Document({"value": settings}, doc_id=_SETTINGS_DOC))

    # ------------------------------------------------------------------ ratings
    # The review's ratings (balint_tui.review.abs_items, store.ratings): numbers, rater
    # ids and event numbers only, one document per session in the ``ratings`` table of
    # index.json (written atomically like the rest of it). ``rating``/``save_rating``
    # are the self-rating (the group member's form), as they always were.
    def rating(self, session_id: str) -> dict[str, int | None]:
        return self.session_ratings(session_id).of("member")

    def ratings(self) -> dict[str, dict[str, int | None]]:
        """Every stored self-rating, by session id (one read of the index)."""
        return {sid: r.of("member") for sid, r in self.all_session_ratings().items()}

    def session_ratings(self, session_id: str) -> SessionRatings:
        doc = self._table("ratings").get(Query().session_id == _checked_id(session_id))
        return ratings_doc.from_doc(doc, self.index_path)

    def all_session_ratings(self) -> dict[str, SessionRatings]:
        return {
            doc["session_id"]: ratings_doc.from_doc(doc, self.index_path)
            for doc in self._table("ratings").all()
            if isinstance(doc.get("session_id"), str)
        }

    def save_rating(self, session_id: str, items: dict[str, int | None]) -> None:
        """Replace the session's self-rating with ``items`` (validated: numbers only)."""
        self.save_form_rating(session_id, "member", items)

    def save_form_rating(self, session_id: str, form_id: str,
                         items: dict[str, int | None]) -> None:
        """Replace the session's answers on ``form_id`` (member, presenter, coleader)."""
        clean = ratings_doc.check_values(form_id, items)
        self._save_rating_part(session_id, ratings_doc.FORM_KEYS[form_id], clean)

    def save_rater(self, session_id: str, form_id: str, rater: str | None) -> None:
        """Who rated ``form_id`` (one of the form's rater ids, or None)."""
        rater = ratings_doc.check_rater(form_id, rater)
        self._save_rating_part(session_id, ratings_doc.RATER_KEYS[form_id][0], rater)

    def save_talked(self, session_id: str, indices: Sequence[int]) -> None:
        """The debrief's "we talked about it" flags: positions of events in the record."""
        self._save_rating_part(session_id, "talked", ratings_doc.check_talked(indices))

    def _save_rating_part(self, session_id: str, key: str, value: Any) -> None:
        self._writable()
        if self._row_doc(_checked_id(session_id)) is None:
            raise StoreError(f"there is no finished session {session_id} to rate")
        table = self._table("ratings")
        query = Query().session_id == session_id
        doc = dict(table.get(query) or {"session_id": session_id})
        doc[key] = value
        table.upsert(doc, query)

    # ------------------------------------------------------------------ live sessions
    def begin_session(
        self,
        group: Group,
        plan: SessionPlan,
        *,
        session_id: str | None = None,
        started_wall: datetime | None = None,
        carried: Sequence[str] = (),
    ) -> JournalWriter:
        """Create the session's journal (header only) and return its writer.

        The header holds the session id, group id, plan, roster snapshot (active
        members' ids and names, in order), the start time (UTC) and ``carried`` (member
        ids starting at the top of the queue, bumped last time).
        """
        self._writable()
        header = self._new_header(group, plan, session_id, started_wall, carried)
        return JournalWriter(
            self.journal_path(header.session_id), header.to_json(), guard=self._guard
        )

    def _new_header(
        self,
        group: Group,
        plan: SessionPlan,
        session_id: str | None,
        started_wall: datetime | None,
        carried: Sequence[str],
    ) -> SessionHeader:
        from balint_tui.domain.model import new_id

        sid = session_id or new_id("s")
        _checked_id(sid)
        if (
            self.journal_path(sid).exists()
            or self.session_path(sid).exists()
            or any(doc.get("id") == sid for doc in self._docs("sessions"))
        ):
            raise StoreError(f"a session with id {sid} already exists in {self.data_dir}")
        try:
            return SessionHeader(
                session_id=sid,
                group_id=group.id,
                plan=plan,
                roster=[RosterEntry(id=m.id, name=m.name) for m in group.active],
                started_wall=utc(started_wall or datetime.now(UTC)),
                carried=list(carried),
            )
        except ValidationError as exc:
            raise StoreError(f"cannot begin the session: {_validation_reason(exc)}") from None

    def reopen_journal(self, session_id: str) -> JournalWriter:
        """The writer of an interrupted session's journal (a torn last line is cut off)."""
        self._writable()
        path = self.journal_path(session_id)
        if not path.exists():
            raise StoreError(f"there is no live journal for session {session_id}")
        return JournalWriter(path, {}, guard=self._guard)

    def read_journal(self, session_id: str) -> JournalContents:
        """The journal's header (validated) and events; a torn last line is ignored."""
        path = self.journal_path(session_id)
        contents = read_journal(path, set_aside=not self.readonly)
        self._header(path, contents)
        return contents

    def _header(self, path: Path, contents: JournalContents) -> SessionHeader:
        try:
            return SessionHeader.from_journal(contents.header)
        except ValidationError as exc:
            raise corrupt(
                path, f"header {_validation_reason(exc)}", move=not self.readonly
            ) from None

    def _journals(self) -> list[JournalInfo]:
        folder = self.data_dir / JOURNALS_DIR
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            return []
        found: list[JournalInfo] = []
        for name in names:
            sid, dot, ext = name.rpartition(".")
            if ext != "jsonl" or not dot or not is_identifier(sid):
                continue  # temp files, set-aside files
            path = folder / name
            if self.session_path(sid).exists():
                # finished, but the crash came before the journal was removed
                if self.readonly:
                    continue
                try:
                    self._complete_finish(sid)
                    continue
                except CorruptFileError as exc:
                    # the record is damaged (now set aside): the journal still holds
                    # the whole session, so it is offered again below
                    self.warnings.append(str(exc))
            try:
                contents = read_journal(path, set_aside=not self.readonly)
                header = self._header(path, contents)
            except (CorruptFileError, DataVersionError) as exc:
                self.warnings.append(str(exc))
                continue
            except StoreError as exc:
                if path.exists():  # unreadable; if it vanished, its writer finished it
                    self.warnings.append(str(exc))
                continue
            if not contents.events:
                # header only: the process died before ``start`` was recorded, so
                # nothing of it was ever shown; not a session to offer
                if not self.readonly:
                    self._remove(path)
                continue
            found.append(
                JournalInfo(
                    session_id=header.session_id,
                    group_id=header.group_id,
                    started_wall=header.started_wall,
                    path=path,
                    header=header,
                    events=len(contents.events),
                    last_at=contents.last_at,
                    ended=contents.ended,
                    torn_tail=contents.torn_tail,
                )
            )
        found.sort(key=lambda j: (j.started_wall, j.session_id))
        return found

    def live_journals(self) -> list[JournalInfo]:
        """Every live journal with no finished record, oldest first (ended ones too).

        A damaged journal is set aside and reported in ``warnings``, not raised.
        """
        return self._journals()

    def unfinished(self) -> list[JournalInfo]:
        """Interrupted sessions to offer for resume: no ``end`` event, no finished record."""
        return [j for j in self._journals() if not j.ended]

    def finish_session(
        self,
        session_id: str,
        events: Sequence[ev.AnyEvent] | None,
        summary: dict[str, Any],
    ) -> None:
        """Turn a journal into a finished session (idempotent; crash-safe between steps).

        1. ``sessions/<id>.json`` is written atomically (header + events + summary);
        2. the index row is added; 3. the journal is removed. A crash after 1 leaves a
        record that ``unfinished()`` never offers and that the next listing completes.
        ``events=None`` takes them from the journal. An index emptied, deleted or
        damaged meanwhile is restored (as at start-up) before the row is added.
        """
        self._writable()
        try:
            self._finish(session_id, events, summary)
        except CorruptFileError as exc:
            if exc.path != self.index_path:
                raise
            self._recover_index(str(exc))
            self._finish(session_id, events, summary)

    def _finish(
        self, session_id: str, events: Sequence[ev.AnyEvent] | None, summary: dict[str, Any]
    ) -> None:
        record_path = self.session_path(session_id)
        if not record_path.exists():
            contents = read_journal(self.journal_path(session_id))
            header = self._header(self.journal_path(session_id), contents)
            events = contents.events if events is None else list(events)
            state = self._write_record(header, events, summary)
            self._complete_finish(session_id, index_row(header, state))
        else:
            self._complete_finish(session_id)

    def set_aside_journal(
        self, session_id: str, events: Sequence[ev.AnyEvent], summary: dict[str, Any]
    ) -> Path:
        """A journal that does not replay: kept under a timestamped name (never
        overwritten), ``events`` (what replays of it) filed as a finished session when
        there are any, then the journal removed. Returns the set-aside file. A crash
        half-way leaves the journal and its copy (and maybe the record): nothing lost."""
        self._writable()
        path = self.journal_path(session_id)
        contents = read_journal(path)
        header = self._header(path, contents)
        self._check_held(path)
        target = set_aside(path, keep=True)
        if events:
            state = self._write_record(header, list(events), summary)
            self._complete_finish(session_id, index_row(header, state))
        else:
            self._remove(path)
        return target

    def import_session(
        self,
        group: Group,
        plan: SessionPlan,
        events: Sequence[ev.AnyEvent],
        summary: dict[str, Any],
        *,
        carried: Sequence[str] = (),
        started_wall: datetime | None = None,
        session_id: str | None = None,
    ) -> str:
        """Store an already complete session (e.g. a replay) directly as finished."""
        self._writable()
        header = self._new_header(group, plan, session_id, started_wall, carried)
        state = self._write_record(header, list(events), summary)
        self._complete_finish(header.session_id, index_row(header, state))
        return header.session_id

    def _write_record(
        self, header: SessionHeader, events: list[ev.AnyEvent], summary: dict[str, Any]
    ) -> SessionState:
        try:
            state = fold(header, events)
        except EventRejected as exc:
            raise StoreError(
                f"session {header.session_id} was not saved: its events do not add up ({exc})"
            ) from None
        record = {
            "format": SESSION_FORMAT,
            **header.to_json(),
            "events": [ev.event_to_dict(e) for e in events],
            "summary": summary,
        }
        try:
            data = dumps(record)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"session {header.session_id} was not saved ({exc})") from None
        self._check_held(self.session_path(header.session_id))
        # the folder may have gone mid-session (restored by hand): make it again
        ensure_private_dir(self.data_dir / SESSIONS_DIR, inside=True)
        if not self.index_path.exists():  # so a new index says its version
            self._table("meta").insert({"data_version": DATA_VERSION})
        write_atomic(self.session_path(header.session_id), data)
        return state

    def _complete_finish(self, session_id: str, row: IndexRow | None = None) -> None:
        """Steps 2 and 3 of finishing: the index row, then the journal goes.

        Without ``row`` (recovering from a crash) the row is rebuilt from the record.
        """
        if row is not None:
            self._table("sessions").upsert(row.to_json(), Query().id == session_id)
        elif self._row_doc(session_id) is None:
            record = self.load_session(session_id)
            header = SessionHeader.model_validate(
                record.model_dump(include=set(SessionHeader.model_fields))
            )
            try:
                state = fold(header, record.events)
            except EventRejected as exc:
                raise corrupt(
                    self.session_path(session_id), f"events do not add up ({exc})"
                ) from None
            row = index_row(header, state)
            self._table("sessions").upsert(row.to_json(), Query().id == session_id)
        self._remove(self.journal_path(session_id))

    # ------------------------------------------------------------------ finished sessions
    def _row_doc(self, session_id: str) -> Document | None:
        return self._table("sessions").get(Query().id == session_id)

    def _rows(self, group_id: str | None = None) -> list[IndexRow]:
        rows = [self._model(IndexRow, d, "a session row") for d in self._docs("sessions")]
        if group_id is not None:
            rows = [r for r in rows if r.group_id == group_id]
        rows.sort(key=lambda r: (r.started_wall, r.id))
        return rows

    def index_rows(self, group_id: str | None = None) -> list[IndexRow]:
        """The index rows as models, oldest first (what ``sessions`` returns as JSON).
        Validates every row: for the review and the trends, not for start-up."""
        return self._rows(group_id)

    def group_rows(self, group_id: str) -> GroupRows:
        """The group's index rows, oldest first, each validated only when read: what
        start-up uses (``store.group_history``), so its cost does not grow with the
        number of past sessions beyond parsing ``index.json``. See ``GroupRows``."""
        def validate(doc: dict[str, Any]) -> IndexRow:
            return self._model(IndexRow, doc, "a session row")

        return GroupRows(self._docs("sessions"), group_id, validate)

    def sessions(self, group_id: str | None = None) -> list[dict[str, Any]]:
        """Index rows (oldest first): id, group_id, started_wall (ISO UTC), ended,
        duration_s, cases, template, attended/presented/bumped (member ids), late/left
        (member id -> seconds into the session they arrived late / left early)."""
        return [r.to_json() for r in self._rows(group_id)]

    def past_sessions(self, group_id: str) -> list[PastSession]:
        """The group's finished sessions as history (member ids), oldest first.

        Read from the index only (attended = present at start or arrived, presented =
        case presenters, bumped = still queued at the end), never from session files.
        """
        return [r.past_session() for r in self._rows(group_id)]

    def load_session(self, session_id: str) -> SessionRecord:
        """A finished session; CorruptFileError (file set aside) if it is damaged."""
        path = self.session_path(session_id)
        data = read_json_file(path, move_corrupt=not self.readonly)
        if data is None:
            raise StoreError(f"session {session_id} has no file ({path}); it may have been deleted")
        try:  # an older record is upgraded in memory; a newer one is left alone
            data = migrations.upgrade_record(data)
        except NewerVersion as exc:
            raise DataVersionError(path, exc.found, migrations.SESSION_VERSION) from None
        except ValueError as exc:
            raise corrupt(path, str(exc), move=not self.readonly) from None
        try:
            record = SessionRecord.model_validate(data)
        except ValidationError as exc:
            raise corrupt(path, _validation_reason(exc), move=not self.readonly) from None
        if record.session_id != session_id:
            raise corrupt(path, f"holds session {record.session_id}", move=not self.readonly)
        return record

    def delete_session(self, session_id: str) -> None:
        """Remove the session's file, any journal, then its index row."""
        self._writable()
        self._remove(self.session_path(session_id))
        self._remove(self.journal_path(session_id))
        self._table("sessions").remove(Query().id == session_id)
        self._table("ratings").remove(Query().session_id == session_id)

    def reindex_sessions(self) -> list[str]:
        """Add index rows for session files the index does not list (after an index was
        set aside or lost). Reads every session file: a repair, never run at start-up.
        Damaged files are set aside and reported in ``warnings``. Returns the ids added."""
        self._writable()
        known = {r.id for r in self._rows()}
        added: list[str] = []
        folder = self.data_dir / SESSIONS_DIR
        for name in sorted(os.listdir(folder)):
            sid, dot, ext = name.rpartition(".")
            if ext != "json" or not dot or not is_identifier(sid) or sid in known:
                continue
            try:
                self._complete_finish(sid)
            except StoreError as exc:  # damaged (set aside), a pipe, a link, newer
                self.warnings.append(str(exc))
                continue
            added.append(sid)
        return added

    # ------------------------------------------------------------------ files
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

    def take_notice(self) -> str | None:
        """One line, once, when the data folder at the path was found to be another
        folder and this process took it over (see ``DataDirLock.check``)."""
        if self._lock is not None and self._lock.notices:
            return self._lock.notices.pop(0)
        return None

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


def _upgraded_journal(raw: bytes) -> bytes | None:
    """The journal with its header upgraded, or None if it needs nothing (or is damaged)."""
    first, newline, rest = raw.partition(b"\n")
    try:
        header = parse_json_object(first)
        if migrations.header_version(header) >= migrations.JOURNAL_VERSION:
            return None
        upgraded = migrations.upgrade_header(header)
    except ValueError:
        return None
    return dumps(upgraded) + b"\n" + rest


def _upgraded_record(raw: bytes) -> bytes | None:
    """The session record upgraded, or None if it needs nothing (or is damaged)."""
    try:
        data = parse_json_object(raw)
        if migrations.record_version(data) >= migrations.SESSION_VERSION:
            return None
        return dumps(migrations.upgrade_record(data))
    except ValueError:
        return None


def _checked_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not is_identifier(session_id):
        raise StoreError(f"{one_line(repr(session_id))} is not a session id")
    return session_id


__all__ = [
    "DATA_VERSION",
    "JournalInfo",
    "Store",
    "fold",
    "index_row",
]
