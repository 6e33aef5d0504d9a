"""Groups, members, templates and session plans. Names are the only typed strings."""

from __future__ import annotations

import secrets
import tomllib
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from balint_tui.domain.names import Identifier, MemberName, Name, name_key
from balint_tui.domain.vocabulary import Phase


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


class Member(_Model):
    id: Identifier
    name: MemberName
    retired: bool = False
    # when the member was added to the group, or last brought back from retirement
    # (UTC); sessions held before it are not counted as missed. None: not known (a
    # member from before this was kept, or from a scenario file).
    joined: AwareDatetime | None = None

    @field_validator("joined")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)


class Template(_Model):
    """A session template: how long, how many cases, which phases, latecomer handling."""

    name: Name
    duration_min: int = Field(ge=10, le=480)
    cases: int = Field(ge=1, le=6)
    phases: tuple[Phase, ...] = Field(min_length=1)
    latecomers_listen: bool = False
    topic_sessions: bool = False
    # the group may strategise and problem-solve (seed 003): advice is not a danger sign
    problem_solving: bool = False

    @field_validator("phases")
    @classmethod
    def _unique_phases(cls, phases: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(phases)) != len(phases):
            raise ValueError("lists a phase twice")
        return phases


class Group(_Model):
    id: Identifier
    name: Name
    members: list[Member] = Field(default_factory=list)
    default_template: Name = "classic"

    @model_validator(mode="after")
    def _unique(self) -> Group:
        ids = [m.id for m in self.members]
        if len(set(ids)) != len(ids):
            raise ValueError("two members share an id")
        names = [name_key(m.name) for m in self.members if not m.retired]
        if len(set(names)) != len(names):
            raise ValueError("two current members share a name")
        return self

    @property
    def active(self) -> list[Member]:
        return [m for m in self.members if not m.retired]

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None

    def by_name(self, name: str) -> Member | None:
        folded = name_key(name)
        for m in self.members:
            if not m.retired and name_key(m.name) == folded:
                return m
        return None


class SessionPlan(_Model):
    """What the engine needs to know about the session before it starts."""

    duration_min: int = Field(ge=1, le=480)
    template: Template

    @property
    def duration_s(self) -> float:
        return self.duration_min * 60.0


class PastSession(_Model):
    """A session of the group's history, as structure only (CONTRACT.md section 2)."""

    date: date
    attended: tuple[str, ...] = ()
    presented: tuple[str, ...] = ()
    bumped: tuple[str, ...] = ()


@cache
def builtin_templates() -> dict[str, Template]:
    raw = resources.files("balint_tui.data").joinpath("templates.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    return {t["name"]: Template.model_validate(t) for t in data["template"]}
