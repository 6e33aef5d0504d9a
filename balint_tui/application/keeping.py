"""Keeping less: sessions deleted by date, the retention setting, a member forgotten.

One way in for the CLI (``balint-tui delete sessions --before``, ``balint-tui forget``)
and the app (the retention offer at start, ``ui/screens/retention.py``).

* ``sessions_before(store, cutoff)``: every session (finished, or kept to resume) that
  started before ``cutoff`` (a date, in local time: the date the listing shows).
* ``delete_sessions``: each deleted as ``delete session`` does (record, journal, index
  row, ratings, and the copies balint-tui kept of it: ``store.forget.remove_copies``).
* ``SETTINGS_RETENTION`` (``retention_months`` in the settings dict): when set, the app
  offers at start to delete the sessions older than that many months. It never deletes
  without the leader's yes.
* ``forget_member``: the member becomes ``former member`` (``former member 2``, ... when
  the group has forgotten one before) in the roster and every file on disk, and is
  retired. Their sessions stay whole (the events name members by id): the review and
  exports still add up. A session kept to resume shows the label when it is resumed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from balint_tui.domain.model import Group, Member
from balint_tui.store.forget import Forgetting
from balint_tui.store.records import IndexRow
from balint_tui.store.sessions import JournalInfo

SETTINGS_RETENTION = "retention_months"
RETENTION_MAX = 1200  # a hundred years: anything longer is no retention
FORMER = "former member"


class KeepingStore(Protocol):
    @property
    def data_dir(self) -> Any: ...

    def index_rows(self, group_id: str | None = None) -> list[IndexRow]: ...

    def unfinished(self) -> list[JournalInfo]: ...

    def delete_session(self, session_id: str) -> None: ...

    def group(self, group_id: str) -> Group | None: ...

    def save_group(self, group: Group) -> None: ...


@dataclass(frozen=True)
class OldSession:
    id: str
    group_id: str
    started: datetime
    finished: bool


# ---------------------------------------------------------------------- by date
def sessions_before(store: KeepingStore, cutoff: date) -> list[OldSession]:
    """Sessions that started before ``cutoff`` (local date), oldest first."""
    out = [OldSession(r.id, r.group_id, r.started_wall, True) for r in store.index_rows()]
    finished = {s.id for s in out}
    out += [OldSession(j.session_id, j.group_id, j.started_wall, False)
            for j in store.unfinished() if j.session_id not in finished]
    old = [s for s in out if s.started.astimezone().date() < cutoff]
    old.sort(key=lambda s: (s.started, s.id))
    return old


def delete_sessions(store: KeepingStore, sessions: Sequence[OldSession]) -> int:
    """Delete each session and every copy kept of it (``Store.delete_session``); returns
    how many were deleted."""
    for s in sessions:
        store.delete_session(s.id)
    return len(sessions)


# ---------------------------------------------------------------------- retention
def retention_months(settings: Mapping[str, Any]) -> int | None:
    """The retention setting: whole months (1 to 1200), or None (not set, or not valid)."""
    value = settings.get(SETTINGS_RETENTION)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= RETENTION_MAX else None


def retention_problem(value: Any) -> str | None:
    """Why a stored retention value is not read (None: it is, or it is not set)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "not a whole number of months"
    if not 1 <= value <= RETENTION_MAX:
        return f"not between 1 and {RETENTION_MAX} months"
    return None


def months_back(today: date, months: int) -> date:
    """``today`` less ``months`` calendar months (the 31st becomes the month's last)."""
    total = today.year * 12 + (today.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"no date {months} months before {today}")  # pragma: no cover


@dataclass(frozen=True)
class RetentionOffer:
    months: int
    cutoff: date
    sessions: tuple[OldSession, ...]


def retention_offer(store: KeepingStore, settings: Mapping[str, Any],
                    today: date) -> RetentionOffer | None:
    """What to offer at start: the sessions older than the retention setting, or None
    (no setting, or nothing that old)."""
    months = retention_months(settings)
    if months is None:
        return None
    cutoff = months_back(today, months)
    old = sessions_before(store, cutoff)
    return RetentionOffer(months, cutoff, tuple(old)) if old else None


# ---------------------------------------------------------------------- forget
class ForgetError(ValueError):
    """The member cannot be forgotten; ``str()`` is the one line the leader is shown."""


def is_forgotten(member: Member) -> bool:
    name = member.name
    return name == FORMER or (name.startswith(FORMER + " ") and name[len(FORMER) + 1:].isdigit())


def former_label(group: Group) -> str:
    """``former member``, or the next free ``former member N`` in this group."""
    taken = {m.name for m in group.members}
    if FORMER not in taken:
        return FORMER
    n = 2
    while f"{FORMER} {n}" in taken:
        n += 1
    return f"{FORMER} {n}"


def forget_member(store: KeepingStore, group_id: str, member_id: str) -> str:
    """Forget the member everywhere on disk; returns the label they now have."""
    group = store.group(group_id)
    member = group.member(member_id) if group is not None else None
    if group is None or member is None:
        raise ForgetError(f"there is no member {member_id} in group {group_id}")
    if is_forgotten(member):
        raise ForgetError(f"{member.name} is already a forgotten member")
    label = former_label(group)
    work = Forgetting(store.data_dir, group_id, member_id, label, [member.name])
    work.collect_names()
    work.rewrite()  # every other file first: the index, naming them, is written last
    members = [m.model_copy(update={"name": label, "retired": True}) if m.id == member_id
               else m for m in group.members]
    store.save_group(group.model_copy(update={"members": members}))
    return label


__all__ = [
    "FORMER",
    "RETENTION_MAX",
    "SETTINGS_RETENTION",
    "ForgetError",
    "OldSession",
    "RetentionOffer",
    "delete_sessions",
    "forget_member",
    "former_label",
    "is_forgotten",
    "months_back",
    "retention_months",
    "retention_offer",
    "retention_problem",
    "sessions_before",
]
