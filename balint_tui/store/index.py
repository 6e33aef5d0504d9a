"""The store's index of finished sessions, their records, and the index's repair.

``index.json`` lists one row per finished session (``IndexRow``: ids and figures only);
``sessions/<id>.json`` holds each session's header, events and summary. Start-up reads
the rows, never the records. The index is kept twice (``index.mirror.json``, the same
bytes written after it): an index found damaged is set aside and restored from its
mirror, an index lost with its mirror is listed again from the session files, and an
older data folder is upgraded here (``store.migrations``) before anything else reads it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from tinydb import Query

from balint_tui.domain.model import Group, Member, PastSession
from balint_tui.domain.names import is_identifier
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.store import migrations
from balint_tui.store.atomic import (
    clone_json,
    corrupt,
    dumps,
    parse_json_object,
    read_bytes,
    read_json_file,
    tinydb_shape,
    write_atomic,
)
from balint_tui.store.base import INDEX_MIRROR, JOURNALS_DIR, SESSIONS_DIR, validation_reason
from balint_tui.store.errors import DataVersionError, StoreError
from balint_tui.store.fold import fold
from balint_tui.store.forget import remove_copies
from balint_tui.store.groups import GroupsAndSettings
from balint_tui.store.migrations import DATA_VERSION, NewerVersion
from balint_tui.store.records import GroupRows, IndexRow, SessionHeader, SessionRecord
from balint_tui.store.unlink import mark_card_ids, unlink_copies, unlinked_bytes


def _since(moment: float | None, started: float) -> float:
    assert moment is not None  # an absence always has its start
    return round(moment - started, 3)


def index_row(header: SessionHeader, state: SessionState) -> IndexRow:
    """The session's row of the index, from its header and its folded state."""
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
        left={m: _since(state.away[m][0][0], started) for m in state.members
              if state.away.get(m)},
        away={m: [(_since(out, started), None if back is None else round(back - started, 3))
                  for out, back in state.away[m]]
              for m in state.members if state.away.get(m)},
        prompts=header.plan.prompts,
        role=header.plan.role,
        setting=header.plan.setting,
        planned_min=header.plan.duration_min,
        topics=sum(1 for case in state.cases if case.is_topic),
        paused_s=round(state.paused_total, 3),  # an ended session's breaks are closed
    )


def _upgraded_journal(raw: bytes) -> bytes | None:
    """The journal with its header upgraded, or None if it needs nothing (or is damaged)."""
    first, _newline, rest = raw.partition(b"\n")
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


class SessionIndex(GroupsAndSettings):
    """Index rows and session records; the index's version, upgrade and repair."""

    # ------------------------------------------------------------------ version, upgrade
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
        ids = mark_card_ids(self.data_dir)
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
                    if raw is not None and new is not None:
                        # the backup is for going back: the original, with no member
                        # beside a mark (ground rule 2; still a valid old record)
                        kept = unlinked_bytes(raw, ids, journal=False) if ext == "json" else raw
                        migrations.keep_original(self.data_dir, backup, path, kept)
                        write_atomic(path, new)
            unlink_copies(self.data_dir)  # earlier upgrades' backups, set-aside copies
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

    # ------------------------------------------------------------------ repair
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
        restored = from_mirror and self._restore_from_mirror()
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

    def _restore_from_mirror(self) -> bool:
        """Write the mirror's bytes back as ``index.json`` if they parse as an index;
        True if they did. A mirror that is damaged too is reported in ``warnings``."""
        mirror = self.data_dir / INDEX_MIRROR
        try:
            raw = read_bytes(mirror)
        except StoreError as exc:  # a link, a pipe, unreadable: not a copy to trust
            self.warnings.append(str(exc))
            return False
        if not raw:
            return False
        try:
            tinydb_shape(parse_json_object(raw))
        except ValueError:
            self.warnings.append(str(corrupt(mirror, "does not parse either")))
            return False
        write_atomic(self.index_path, raw)
        return True

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
        def validate(doc: Mapping[str, Any]) -> IndexRow:
            return self._model(IndexRow, doc, "a session row")

        return GroupRows(self._docs("sessions"), group_id, validate)

    def sessions(self, group_id: str | None = None) -> list[dict[str, Any]]:
        """Index rows (oldest first): id, group_id, started_wall (ISO UTC), ended,
        duration_s, cases, template, attended/presented/bumped (member ids), late/left
        (member id -> seconds into the session they arrived late / left early), away;
        for the logbook: prompts, role, setting (the plan's keys), planned_min, topics
        (null on a row filed before they were kept, until the logbook fills it) and
        supervised_on (the day it was taken to supervision, or null)."""
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
            raise corrupt(path, validation_reason(exc), move=not self.readonly) from None
        if record.session_id != session_id:
            raise corrupt(path, f"holds session {record.session_id}", move=not self.readonly)
        return record

    def delete_session(self, session_id: str) -> None:
        """Remove the session's file, any journal, then its index row; and every copy
        kept of it (an upgrade's backup, a file set aside): deleted means gone."""
        self._writable()
        self._remove(self.session_path(session_id))
        self._remove(self.journal_path(session_id))
        remove_copies(self.data_dir, session_id)
        self._table("sessions").remove(Query().id == session_id)
        self._table("ratings").remove(Query().session_id == session_id)


__all__ = ["SessionIndex", "index_row"]
