"""The store's live sessions: journals begun, reopened, read and listed, then filed.

A live session is ``journals/<id>.jsonl`` (``store.journal``: a header line, then one
event a line, fsynced per event). Finishing it writes ``sessions/<id>.json``, adds its
index row (``store.index``) and removes the journal, in that order, so a crash between
the steps loses nothing and the next listing completes them. A journal that does not
replay is set aside under a new name, what replays of it filed as a session.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from balint_tui.domain import events as ev
from balint_tui.domain.model import Group, SessionPlan, new_id
from balint_tui.domain.names import is_identifier
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.store.atomic import corrupt, dumps, read_bytes, set_aside, write_atomic
from balint_tui.store.base import JOURNALS_DIR, SESSIONS_DIR, checked_id, validation_reason
from balint_tui.store.errors import CorruptFileError, DataVersionError, StoreError
from balint_tui.store.fold import fold
from balint_tui.store.index import index_row
from balint_tui.store.journal import JournalContents, JournalWriter, read_journal
from balint_tui.store.locations import ensure_private_dir
from balint_tui.store.logbook import LogbookStore
from balint_tui.store.migrations import DATA_VERSION
from balint_tui.store.records import SESSION_FORMAT, RosterEntry, SessionHeader, utc
from balint_tui.store.unlink import mark_card_ids, unlinked, unlinked_lines


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
    # kept to resume (its last event, cards aside, is a ``pause``), not cut off by a crash
    kept: bool = False


class SessionFiles(LogbookStore):
    """Live journals, and turning them (or a replay) into finished sessions."""

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
        sid = session_id or new_id("s")
        checked_id(sid)
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
            raise StoreError(f"cannot begin the session: {validation_reason(exc)}") from None

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
                path, f"header {validation_reason(exc)}", move=not self.readonly
            ) from None

    # ------------------------------------------------------------------ listing journals
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
            if self._finished_meanwhile(sid):
                continue
            info = self._journal_info(folder / name)
            if info is not None:
                found.append(info)
        found.sort(key=lambda j: (j.started_wall, j.session_id))
        return found

    def _finished_meanwhile(self, session_id: str) -> bool:
        """True if the session's record exists (the crash came before its journal was
        removed) and so it is not a journal to list; the finishing is completed here.
        A damaged record (now set aside) is reported: the journal still holds the whole
        session, so it is listed again."""
        if not self.session_path(session_id).exists():
            return False
        if self.readonly:
            return True
        try:
            self._complete_finish(session_id)
            return True
        except CorruptFileError as exc:
            self.warnings.append(str(exc))
            return False

    def _journal_info(self, path: Path) -> JournalInfo | None:
        """The journal at ``path`` to list, or None: damaged (reported in ``warnings``),
        gone, or header only."""
        try:
            contents = read_journal(path, set_aside=not self.readonly)
            header = self._header(path, contents)
        except (CorruptFileError, DataVersionError) as exc:
            self.warnings.append(str(exc))
            return None
        except StoreError as exc:
            if path.exists():  # unreadable; if it vanished, its writer finished it
                self.warnings.append(str(exc))
            return None
        if not contents.events:
            # header only: the process died before ``start`` was recorded, so
            # nothing of it was ever shown; not a session to offer
            if not self.readonly:
                self._remove(path)
            return None
        return JournalInfo(
            session_id=header.session_id,
            group_id=header.group_id,
            started_wall=header.started_wall,
            path=path,
            header=header,
            events=len(contents.events),
            last_at=contents.last_at,
            ended=contents.ended,
            torn_tail=contents.torn_tail,
            kept=next((e.type == "pause" for e in reversed(contents.events)
                       if e.type != "prompt"), False),
        )

    def live_journals(self) -> list[JournalInfo]:
        """Every live journal with no finished record, oldest first (ended ones too).

        A damaged journal is set aside and reported in ``warnings``, not raised.
        """
        return self._journals()

    def unfinished(self) -> list[JournalInfo]:
        """Interrupted sessions to offer for resume: no ``end`` event, no finished record."""
        return [j for j in self._journals() if not j.ended]

    # ------------------------------------------------------------------ filing sessions
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
            # the session is filed: its set-aside copy no longer links a member to a mark
            raw = read_bytes(target)
            if raw is not None:
                write_atomic(target, unlinked_lines(raw, mark_card_ids(self.data_dir)))
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
            # no member beside a mark once filed (ground rule 2): ``store.unlink``
            "events": unlinked(
                [ev.event_to_dict(e) for e in events], mark_card_ids(self.data_dir)
            ),
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


__all__ = ["JournalInfo", "SessionFiles"]
