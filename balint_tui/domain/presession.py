"""What the leader sees before pressing start: the queue as it will open (carried-over
cases first), last session's presenters to ask for follow-ups, and the members to keep
an eye on (new, back after an absence, missing sessions). Pure: member keys in, member
keys out; the screen turns them into names.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from balint_tui.domain.group_age import GroupAge
from balint_tui.domain.history import ABSENCE_STREAK, HistoryFacts

FlagKind = Literal["new", "back", "absent"]


@dataclass(frozen=True)
class QueuedCase:
    who: str
    carried: bool
    here: bool  # ticked as present


@dataclass(frozen=True)
class FollowUp:
    who: str
    here: bool


@dataclass(frozen=True)
class MemberFlag:
    """``new``: first time in a group that has met before (present today);
    ``back``: present today after missing ``missed`` sessions in a row;
    ``absent``: away today, has missed ``missed`` sessions in a row as a member."""

    who: str
    kind: FlagKind
    missed: int = 0


@dataclass(frozen=True)
class PreSession:
    sessions: int  # past sessions of the group
    last_date: date | None
    queue: tuple[QueuedCase, ...]
    follow_ups: tuple[FollowUp, ...]
    flags: tuple[MemberFlag, ...]
    age: GroupAge | None = None  # how long the group has met, recent turnover

    def flagged(self, kind: FlagKind) -> list[str]:
        return [f.who for f in self.flags if f.kind == kind]


def pre_session(
    members: Sequence[str],
    present: Collection[str],
    facts: HistoryFacts,
    *,
    streak: int = ABSENCE_STREAK,
    last_date: date | None = None,
    age: GroupAge | None = None,
) -> PreSession:
    """The pre-session view of ``members`` (roster order) with ``present`` ticked."""
    queue = tuple(QueuedCase(m, True, m in present) for m in facts.carried if m in members)
    follow_ups = tuple(FollowUp(m, m in present) for m in facts.follow_ups if m in members)
    flags: list[MemberFlag] = []
    for m in members:
        if m in present:
            if facts.is_new(m):
                flags.append(MemberFlag(m, "new"))
            elif facts.is_returning(m, streak):
                flags.append(MemberFlag(m, "back", facts.missed_in_a_row.get(m, 0)))
        elif facts.is_absent(m, streak):
            flags.append(MemberFlag(m, "absent", facts.missed_as_member(m)))
    return PreSession(facts.sessions, last_date, queue, follow_ups, tuple(flags), age)


__all__ = ["FollowUp", "MemberFlag", "PreSession", "QueuedCase", "pre_session"]
