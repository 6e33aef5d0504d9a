"""What the leader's logbook keeps beyond the index rows (issue 25).

Two things, both in ``index.json`` (read at start-up with the rest of it, so the
logbook never opens a session file once its figures are in the rows):

* the ``logbook`` table: sessions recorded elsewhere and added by hand
  (``HandEntry``: a date, a group's name, the role, the setting, minutes and cases;
  no other text), each with an id like a session's, so ``balint-tui delete`` takes it;
* on an index row (``IndexRow``) or a hand entry, ``supervised_on``: the day the
  session was taken to supervision (a date and nothing else).

Rows filed before the logbook existed lack the planned length and the topic count;
``logbook_rows`` fills them from each such session's record once (then saves the row,
when the folder is open for writing), so later reads use the index alone.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from tinydb import Query

from balint_tui.domain.model import new_id
from balint_tui.domain.names import Identifier, Name, name_key
from balint_tui.domain.state import EventRejected
from balint_tui.domain.vocabulary import Role, Setting
from balint_tui.store.base import checked_id
from balint_tui.store.errors import StoreError
from balint_tui.store.fold import fold
from balint_tui.store.index import SessionIndex
from balint_tui.store.records import IndexRow, SessionHeader

HAND_TABLE = "logbook"
HAND_PREFIX = "h"  # a hand entry's id: "h" and 8 hex digits (a session's begins with "s")
MIN_MINUTES = 1
MAX_MINUTES = 480
MAX_CASES = 12


class HandEntry(BaseModel):
    """A session recorded elsewhere, added by hand (``balint-tui logbook add``)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: Identifier
    by_hand: Literal[True] = True
    date: date
    group: Name  # as typed (a name, checked as every name is)
    group_id: Identifier | None = None  # the group of that name in this folder, if any
    role: Role
    setting: Setting
    minutes: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES)
    cases: int = Field(ge=0, le=MAX_CASES)
    supervised_on: dt.date | None = None


class LogbookStore(SessionIndex):
    """Hand entries, the supervision date, and index rows with the logbook's figures."""

    # ------------------------------------------------------------------ hand entries
    def hand_entries(self) -> list[HandEntry]:
        entries = [self._model(HandEntry, d, "a logbook entry") for d in self._docs(HAND_TABLE)]
        entries.sort(key=lambda e: (e.date, e.id))
        return entries

    def hand_entry(self, entry_id: str) -> HandEntry | None:
        doc = next((d for d in self._docs(HAND_TABLE) if d.get("id") == entry_id), None)
        return None if doc is None else self._model(HandEntry, doc, "a logbook entry")

    def add_hand_entry(self, **fields: Any) -> HandEntry:
        """A new hand entry (validated; ValueError says which field is wrong, nothing
        is written). A group of the same name in this folder is linked by its id."""
        self._writable()
        key = name_key(str(fields.get("group", "")))
        group = next((g for g in self.groups() if name_key(g.name) == key), None)
        entry = HandEntry.model_validate({
            "id": new_id(HAND_PREFIX), **fields,
            "group_id": group.id if group is not None else None,
        })
        self._table(HAND_TABLE).insert(entry.model_dump(mode="json"))
        return entry

    def delete_hand_entry(self, entry_id: str) -> None:
        self._writable()
        self._table(HAND_TABLE).remove(Query().id == checked_id(entry_id))

    # ------------------------------------------------------------------ supervision
    def supervised_on(self, session_id: str) -> date | None:
        """The day the finished session was taken to supervision (None: not, or no
        such session)."""
        doc = self._row_doc(checked_id(session_id))
        return None if doc is None else self._model(IndexRow, doc, "a session row").supervised_on

    def mark_supervised(self, entry_id: str, on: date | None) -> None:
        """The session (or hand entry) ``entry_id`` was taken to supervision ``on``
        (None: it was not, after all). StoreError if there is no such entry."""
        self._writable()
        value = None if on is None else on.isoformat()
        query = Query().id == checked_id(entry_id)
        for table in ("sessions", HAND_TABLE):
            if self._table(table).get(query) is not None:
                self._table(table).update({"supervised_on": value}, query)
                return
        raise StoreError(f"there is no finished session or logbook entry {entry_id}")

    # ------------------------------------------------------------------ rows
    def logbook_rows(self) -> list[IndexRow]:
        """Every index row, oldest first, with the planned length and the topic count
        (filled from the record for a row filed before they were kept, and saved when
        the folder is writable; a damaged record leaves the row as it is)."""
        rows = self.index_rows()
        for i, row in enumerate(rows):
            if row.planned_min is not None and row.topics is not None:
                continue
            filled = self._fill_row(row)
            if filled is None:
                continue
            rows[i] = filled
            if not self.readonly:
                self._table("sessions").update(
                    {"planned_min": filled.planned_min, "topics": filled.topics},
                    Query().id == row.id,
                )
        return rows

    def _fill_row(self, row: IndexRow) -> IndexRow | None:
        try:
            record = self.load_session(row.id)
            header = SessionHeader.model_validate(
                record.model_dump(include=set(SessionHeader.model_fields))
            )
            state = fold(header, record.events)
        except (StoreError, EventRejected) as exc:
            self.warnings.append(str(exc))
            return None
        topics = sum(1 for case in state.cases if case.is_topic)
        return row.model_copy(update={"planned_min": header.plan.duration_min, "topics": topics})


__all__ = ["HAND_PREFIX", "HAND_TABLE", "MAX_CASES", "MAX_MINUTES", "MIN_MINUTES",
           "HandEntry", "LogbookStore"]
