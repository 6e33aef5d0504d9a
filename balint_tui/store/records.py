"""Shapes of what the store keeps about a session (pydantic, no free text)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from balint_tui.domain.events import Event
from balint_tui.domain.model import PastSession, SessionPlan
from balint_tui.domain.names import Identifier, MemberName, Name
from balint_tui.domain.vocabulary import PromptLevel, Role, Setting

SESSION_FORMAT = "balint-session/2"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC (a naive datetime is taken as local time)."""
    return moment.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RosterEntry(_Model):
    id: Identifier
    name: MemberName


class SessionHeader(_Model):
    """What a session's journal header and its finished record both start with."""

    session_id: Identifier
    group_id: Identifier
    plan: SessionPlan
    roster: list[RosterEntry]
    started_wall: AwareDatetime
    carried: list[Identifier] = Field(default_factory=list)

    @field_validator("started_wall")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return utc(value)

    @property
    def members(self) -> list[str]:
        return [r.id for r in self.roster]

    @property
    def names(self) -> dict[str, str]:
        """member id -> display name, as the roster was when the session began."""
        return {r.id: r.name for r in self.roster}

    @classmethod
    def from_journal(cls, header: dict[str, Any]) -> SessionHeader:
        return cls.model_validate({k: v for k, v in header.items() if k != "format"})

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["started_wall"] = iso_utc(self.started_wall)
        return data


class SessionRecord(SessionHeader):
    """A finished session: ``sessions/<id>.json``."""

    format: Literal["balint-session/2"]
    events: list[Event]
    summary: dict[str, Any]


class IndexRow(_Model):
    """One row of the ``sessions`` table: structure and member ids only, no names."""

    id: Identifier
    group_id: Identifier
    started_wall: AwareDatetime
    ended: bool
    duration_s: float
    cases: int
    template: Name
    attended: list[Identifier] = Field(default_factory=list)
    presented: list[Identifier] = Field(default_factory=list)
    bumped: list[Identifier] = Field(default_factory=list)
    # attendance beyond ``attended``: seconds into the session a late member arrived,
    # and a member who left early first left (whether or not they came back); ``away``
    # keeps every absence after being in the room: (left, back), back None if they
    # did not come back
    late: dict[Identifier, float] = Field(default_factory=dict)
    left: dict[Identifier, float] = Field(default_factory=dict)
    away: dict[Identifier, list[tuple[float, float | None]]] = Field(default_factory=dict)
    # for the logbook (issue 25): the plan's keys (contract v3; a row from before had
    # the defaults, as its header's plan has), the planned length and how many of
    # ``cases`` were topics (None: a row filed before these were kept, filled from its
    # record the first time the logbook reads it), and the day the session was taken to
    # supervision (None: not taken)
    prompts: PromptLevel = "standard"
    role: Role = "leader"
    setting: Setting = "in_person"
    planned_min: int | None = None
    topics: int | None = None
    supervised_on: date | None = None
    # seconds on a break (``pause``, contract v3): the logbook's held length leaves them
    # out (None: a row filed before breaks were kept, which had none)
    paused_s: float | None = None

    @property
    def local_date(self) -> date:
        return self.started_wall.astimezone().date()

    def past_session(self) -> PastSession:
        return PastSession(
            date=self.local_date,
            attended=tuple(self.attended),
            presented=tuple(self.presented),
            bumped=tuple(self.bumped),
        )

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["started_wall"] = iso_utc(self.started_wall)
        return data


class GroupRows:
    """One group's index rows, oldest first, for start-up: each row is validated as an
    ``IndexRow`` only when it is read (``row``), so what the next session needs (the
    count, the last row, attendance back to the members' last visits, sessions since a
    date) does not validate every past session.

    Built from the index's documents as stored: a row's group id, start time and id
    are read as they are (a row whose start time or id is not plain is validated to
    get them), and so is who attended (``attended_newest_first``); a damaged row that
    is never read is not noticed here (the review and ``index_rows`` validate all).
    """

    def __init__(
        self,
        docs: Iterable[Mapping[str, Any]],
        group_id: str,
        validate: Callable[[Mapping[str, Any]], IndexRow],
    ) -> None:
        self._validate = validate
        parse = datetime.fromisoformat
        # (start time, id, document) per row of the group; ``checked``: rows that had
        # to be validated to be placed, by their document's identity
        entries: list[tuple[datetime, str, Mapping[str, Any]]] = []
        checked: dict[int, IndexRow] = {}
        for doc in docs:
            if doc.get("group_id") != group_id:
                continue
            started, row_id = doc.get("started_wall"), doc.get("id")
            if type(started) is str and type(row_id) is str:
                try:
                    moment: datetime | None = parse(started)
                except ValueError:
                    moment = None
                if moment is not None and moment.tzinfo is not None:
                    entries.append((moment, row_id, doc))
                    continue
            row = checked[id(doc)] = validate(doc)  # raises if the row is damaged
            entries.append((row.started_wall, row.id, doc))
        entries.sort(key=_by_start_then_id)  # stable: the order ``Store.index_rows`` gives
        self._starts = [e[0] for e in entries]
        self._docs = [e[2] for e in entries]
        self._rows: dict[int, IndexRow] = {}  # validated so far, by position
        if checked:
            for i, doc in enumerate(self._docs):
                if id(doc) in checked:
                    self._rows[i] = checked[id(doc)]

    def __len__(self) -> int:
        return len(self._docs)

    def row(self, i: int) -> IndexRow:
        """The ``i``-th row (oldest first; -1 the last), validated (once)."""
        i = range(len(self._docs))[i]  # IndexError out of range; negatives counted back
        row = self._rows.get(i)
        if row is None:
            row = self._rows[i] = self._validate(self._docs[i])
        return row

    @property
    def last(self) -> IndexRow | None:
        return self.row(-1) if self._docs else None

    def attended_newest_first(self) -> Iterator[frozenset[str]]:
        """Who attended each session (member ids), from the last one back; lazily,
        so a caller that stops early reads no further."""
        for i in range(len(self._docs) - 1, -1, -1):
            raw = self._docs[i].get("attended")
            ids = None
            if type(raw) is list and i not in self._rows:
                try:
                    ids = frozenset(raw)
                except TypeError:  # something that is no id: validation says what
                    ids = None
            yield ids if ids is not None else frozenset(self.row(i).attended)

    def count_since(self, moment: datetime) -> int:
        """How many of the sessions began at or after ``moment`` (aware)."""
        return len(self._starts) - bisect_left(self._starts, moment)


_by_start_then_id = itemgetter(0, 1)


__all__ = [
    "SESSION_FORMAT",
    "GroupRows",
    "IndexRow",
    "RosterEntry",
    "SessionHeader",
    "SessionRecord",
    "iso_utc",
    "utc",
]
