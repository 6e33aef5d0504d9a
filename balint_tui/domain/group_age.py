"""How long a group has met and who came and went lately: facts, no diagnosis.

The context a leader needs for the group member's-form item on intervening to suit the
group's stage of development (Brock's stages of group development, seed 001): the
tool says how many sessions and months, and who joined and who left in the last
``TURNOVER_WINDOW`` sessions; it never names a stage.

* ``sessions``: the sessions counted (before the next one, or up to and including the
  one reviewed); ``months``: whole calendar months from the first to ``on``.
* ``joined``: members whose first session is one of the last ``window`` sessions, when
  the group had met before it (founding members are not "joined");
* ``left``: members who came to one of the last ``window`` sessions and are not on the
  roster now (retired, or not on the roster of the session reviewed).

Pure: member keys in, member keys out, in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

TURNOVER_WINDOW = 10


@dataclass(frozen=True)
class GroupAge:
    sessions: int
    first: date | None
    months: int
    window: int  # how many of the latest sessions turnover looked at
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(0, months)


def group_age(
    first: date | None,
    attended_newest_first: Iterable[frozenset[str]],
    sessions: int,
    roster: Sequence[str],
    on: date,
    window: int = TURNOVER_WINDOW,
    known: Mapping[str, bool] | None = None,
) -> GroupAge:
    """``attended_newest_first``: who attended each counted session, the latest first
    (read lazily: only as far back as needed to place the window's newcomers).
    ``known``: members already known to have joined within the window (True) or before
    it (False), from when they were added to the group; they need no looking back."""
    known = known or {}
    if not sessions or first is None:
        return GroupAge(0, None, 0, 0)
    window = min(window, sessions)
    recent: list[frozenset[str]] = []
    seen_before: set[str] = set()
    came: list[str] = []
    pending: set[str] = set()
    for i, attended in enumerate(attended_newest_first):
        if i < window:
            recent.append(attended)
            for m in sorted(attended):
                if m not in came:
                    came.append(m)
            pending = {m for m in came if m not in known}
            continue
        seen_before |= attended & pending
        pending -= attended
        if not pending:
            break
    joined: list[str] = []
    if sessions > window or len(recent) > 1:
        # the oldest session of the group is never a joining: founding members
        founding = recent[-1] if sessions <= window else frozenset()
        joined = [m for m in came
                  if known.get(m, m not in seen_before and m not in founding)]
    order = {m: i for i, m in enumerate(roster)}
    joined.sort(key=lambda m: (order.get(m, len(order)), m))
    left = [m for m in came if m not in order]
    return GroupAge(sessions, first, months_between(first, on), window,
                    tuple(joined), tuple(left))


__all__ = ["TURNOVER_WINDOW", "GroupAge", "group_age", "months_between"]
