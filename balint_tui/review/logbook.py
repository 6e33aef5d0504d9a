"""The leader's logbook (issue 25): every session led or co-led, with totals.

Built from the index alone (``LogbookSource``: the rows, the hand entries, the groups
and the ratings, all in ``index.json``): no session file is read once the rows hold
their figures (``LogbookStore.logbook_rows``). One ``Entry`` per session, filed or
added by hand; ``Totals`` count meetings, case discussions and hours, by role, by
setting (with the face-to-face share) and by year.

"Held" is the session's length from start to end as filed (``IndexRow.duration_s``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from balint_tui.domain.model import Group
from balint_tui.domain.names import name_key
from balint_tui.domain.vocabulary import ROLES, SETTING_LABELS, SETTINGS_PLACES
from balint_tui.store.logbook import HandEntry
from balint_tui.store.ratings import SessionRatings
from balint_tui.store.records import IndexRow

ROLE_WORDS = {"leader": "leader", "coleader": "coleader"}
SETTING_WORDS = SETTING_LABELS


class LogbookSource(Protocol):
    """What the logbook reads of ``Store`` (the index only)."""

    def logbook_rows(self) -> list[IndexRow]: ...

    def hand_entries(self) -> list[HandEntry]: ...

    def groups(self) -> list[Group]: ...

    def all_session_ratings(self) -> dict[str, SessionRatings]: ...


@dataclass(frozen=True)
class Entry:
    """One line of the logbook."""

    id: str
    date: date
    group: str  # the group's name (its id if the group is gone)
    group_id: str | None
    role: str
    setting: str
    prompts: str | None  # None: added by hand
    planned_min: int | None
    held_min: float
    cases: int  # cases presented (topics apart)
    topics: int | None
    present: int | None  # members present (None: added by hand)
    debrief: bool | None  # the debrief for two done (None: added by hand)
    supervised_on: dt.date | None
    by_hand: bool = False


def debrief_done(ratings: SessionRatings | None) -> bool:
    """The debrief for two was done: a moment ticked as talked about, or the coleader's
    form filled in (``review.debrief``)."""
    return ratings is not None and (bool(ratings.talked) or any(
        v is not None for v in ratings.of("coleader").values()))


def entries(source: LogbookSource) -> list[Entry]:
    """Every session of the data folder, filed or added by hand, oldest first."""
    names = {g.id: g.name for g in source.groups()}
    ratings = source.all_session_ratings()
    out = [_filed(row, names, ratings.get(row.id)) for row in source.logbook_rows()]
    out += [_by_hand(e, names) for e in source.hand_entries()]
    out.sort(key=lambda e: (e.date, e.group, e.id))
    return out


def _filed(row: IndexRow, names: dict[str, str], ratings: SessionRatings | None) -> Entry:
    topics = row.topics
    return Entry(
        id=row.id, date=row.local_date, group=names.get(row.group_id, row.group_id),
        group_id=row.group_id, role=row.role, setting=row.setting, prompts=row.prompts,
        planned_min=row.planned_min,
        held_min=round(max(0.0, row.duration_s - (row.paused_s or 0.0)) / 60, 1),
        cases=row.cases - (topics or 0), topics=topics, present=len(row.attended),
        debrief=debrief_done(ratings), supervised_on=row.supervised_on,
    )


def _by_hand(entry: HandEntry, names: dict[str, str]) -> Entry:
    group = names.get(entry.group_id, entry.group) if entry.group_id else entry.group
    return Entry(
        id=entry.id, date=entry.date, group=group, group_id=entry.group_id,
        role=entry.role, setting=entry.setting, prompts=None, planned_min=None,
        held_min=float(entry.minutes), cases=entry.cases, topics=None, present=None,
        debrief=None, supervised_on=entry.supervised_on, by_hand=True,
    )


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    group_id: str | None = None
    group_name: str | None = None  # shown in the report's heading
    group_key: str | None = None  # a group known only from entries added by hand
    role: str | None = None

    def keep(self, entry: Entry) -> bool:
        return ((self.start is None or entry.date >= self.start)
                and (self.end is None or entry.date <= self.end)
                and self._group_ok(entry)
                and (self.role is None or entry.role == self.role))

    def _group_ok(self, entry: Entry) -> bool:
        """The group asked for: by its id, or by its name (an entry added by hand
        before a group of that name was in this folder)."""
        if self.group_id is None and self.group_key is None:
            return True
        if self.group_id is not None and entry.group_id == self.group_id:
            return True
        return (self.group_key is not None and entry.group_id is None
                and name_key(entry.group) == self.group_key)

    def words(self) -> str:
        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or '…'} to {self.end or '…'}")
        if self.group_name:
            parts.append(f"group {self.group_name}")
        if self.role:
            parts.append(f"as {self.role}")
        return ", ".join(parts) or "every session in this data folder"


@dataclass
class Tally:
    meetings: int = 0
    cases: int = 0
    minutes: float = 0.0
    supervised: int = 0

    def add(self, entry: Entry) -> None:
        self.meetings += 1
        self.cases += entry.cases
        self.minutes += entry.held_min
        self.supervised += entry.supervised_on is not None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class Totals:
    all: Tally = field(default_factory=Tally)
    by_role: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROLES})
    by_setting: dict[str, Tally] = field(
        default_factory=lambda: {s: Tally() for s in SETTINGS_PLACES})
    by_year: dict[int, Tally] = field(default_factory=dict)
    by_hand: int = 0
    debriefed: int = 0

    @property
    def face_to_face_share(self) -> float | None:
        """In-person meetings over all meetings (None: no meeting)."""
        if not self.all.meetings:
            return None
        return self.by_setting["in_person"].meetings / self.all.meetings


def totals(items: Iterable[Entry]) -> Totals:
    out = Totals()
    for entry in items:
        out.all.add(entry)
        out.by_role[entry.role].add(entry)
        out.by_setting[entry.setting].add(entry)
        out.by_year.setdefault(entry.date.year, Tally()).add(entry)
        out.by_hand += entry.by_hand
        out.debriefed += bool(entry.debrief)
    out.by_year = dict(sorted(out.by_year.items()))
    return out


@dataclass(frozen=True)
class Logbook:
    entries: list[Entry]
    totals: Totals
    filters: Filters
    made_on: date


def build_logbook(source: LogbookSource, filters: Filters, today: date) -> Logbook:
    kept = [e for e in entries(source) if filters.keep(e)]
    return Logbook(kept, totals(kept), filters, today)


__all__ = ["ROLE_WORDS", "SETTING_WORDS", "Entry", "Filters", "Logbook", "LogbookSource",
           "Tally", "Totals", "build_logbook", "debrief_done", "entries", "totals"]
