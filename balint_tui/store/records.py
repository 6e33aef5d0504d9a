"""Shapes of what the store keeps about a session (pydantic, no free text)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from balint_tui.domain.events import Event
from balint_tui.domain.model import PastSession, SessionPlan
from balint_tui.domain.names import Identifier, MemberName, Name

SESSION_FORMAT = "balint-session/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    def from_journal(cls, header: dict[str, Any]) -> "SessionHeader":
        return cls.model_validate({k: v for k, v in header.items() if k != "format"})

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["started_wall"] = iso_utc(self.started_wall)
        return data


class SessionRecord(SessionHeader):
    """A finished session: ``sessions/<id>.json``."""

    format: Literal["balint-session/1"]
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
    # and a member who left early (and did not come back) left
    late: dict[Identifier, float] = Field(default_factory=dict)
    left: dict[Identifier, float] = Field(default_factory=dict)

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


__all__ = [
    "IndexRow",
    "RosterEntry",
    "SESSION_FORMAT",
    "SessionHeader",
    "SessionRecord",
    "iso_utc",
    "utc",
]
