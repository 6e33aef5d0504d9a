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

from balint_tui.domain.names import (
    Identifier,
    MemberName,
    Name,
    check_member_name,
    check_name,
    name_key,
)
from balint_tui.domain.vocabulary import Phase, PromptLevel, Role, Setting


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


class RosterError(ValueError):
    """A roster change the rules refuse; ``str()`` is the one line the leader is shown."""


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
    # the plan's keys as last chosen for this group (contract v3): the prompt level
    # (None: the settings' default), who keeps the record, where the group meets
    prompts: PromptLevel | None = None
    role: Role = "leader"
    setting: Setting = "in_person"

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

    def by_name(self, name: str, *, retired: bool = False) -> Member | None:
        """The member on the roster (or, ``retired``, off it) called ``name``, compared
        by ``name_key``."""
        folded = name_key(name)
        for m in self.members:
            if m.retired == retired and name_key(m.name) == folded:
                return m
        return None

    # ------------------------------------------------------------------ roster changes
    # Each returns a new Group (``self`` is unchanged) or raises RosterError; the new
    # group is validated when it is saved.
    @staticmethod
    def checked_name(text: str) -> str:
        """``text`` as a group's name, or RosterError saying what is wrong with it."""
        try:
            return check_name(text)
        except ValueError as exc:
            raise RosterError(f"Group name {exc}.") from None

    def renamed(self, name: str) -> Group:
        return self.model_copy(update={"name": Group.checked_name(name)})

    def checked_member_name(self, text: str, renaming: str | None = None) -> str:
        """``text`` as the name of a new member (or of ``renaming``, a member id), or
        RosterError: not a name, or someone on the roster has it."""
        try:
            name = check_member_name(text)
        except ValueError as exc:
            raise RosterError(f"Name {exc}.") from None
        clash = self.by_name(name)
        if clash is not None and clash.id != renaming:
            raise RosterError("Someone in the group already has this name.")
        return name

    def retired_by_name(self, name: str) -> Member | None:
        """The retired member called ``name`` (compared by ``name_key``), if any."""
        return self.by_name(name, retired=True)

    def with_member(self, member_id: str, name: str, joined: datetime) -> Group:
        """A new member at the end of the roster."""
        member = Member(id=member_id, name=self.checked_member_name(name), joined=joined)
        return self.model_copy(update={"members": [*self.members, member]})

    def with_member_renamed(self, member_id: str, name: str) -> Group:
        name = self.checked_member_name(name, renaming=member_id)
        members = [
            m.model_copy(update={"name": name}) if m.id == member_id else m for m in self.members
        ]
        return self.model_copy(update={"members": members})

    def with_member_retired(self, member_id: str) -> Group:
        """No longer on the roster; past sessions keep them (same id)."""
        members = [
            m.model_copy(update={"retired": True}) if m.id == member_id else m
            for m in self.members
        ]
        return self.model_copy(update={"members": members})

    def with_member_moved(self, member_id: str, step: int) -> Group | None:
        """``member_id`` swapped with the member ``step`` (-1 up, +1 down) places away on
        the roster; None when there is nobody there (the top or the bottom already)."""
        active = [m.id for m in self.active]
        other = active.index(member_id) + step
        if not 0 <= other < len(active):
            return None
        members = list(self.members)
        i = next(k for k, m in enumerate(members) if m.id == member_id)
        j = next(k for k, m in enumerate(members) if m.id == active[other])
        members[i], members[j] = members[j], members[i]
        return self.model_copy(update={"members": members})

    def with_member_back(self, member_id: str, joined: datetime) -> Group:
        """A retired member returns: same id (their history), at the end of the roster,
        ``joined`` now (sessions held while they were away do not count as missed).
        RosterError when someone on the roster has their name."""
        member = self.member(member_id)
        if member is None or not member.retired:
            raise RosterError(f"{member_id} is not a retired member of this group.")
        if self.by_name(member.name) is not None:
            raise RosterError(
                f"{member.name} cannot come back under this name: someone on the roster "
                "has it. Rename one of them first."
            )
        back = member.model_copy(update={"retired": False, "joined": joined})
        members = [m for m in self.members if m.id != member_id] + [back]
        return self.model_copy(update={"members": members})


class SessionPlan(_Model):
    """What the engine needs to know about the session before it starts."""

    duration_min: int = Field(ge=1, le=480)
    template: Template
    # contract v3, section 2 (defaults keep earlier plans and headers valid)
    prompts: PromptLevel = "standard"
    setting: Setting = "in_person"
    role: Role = "leader"

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
