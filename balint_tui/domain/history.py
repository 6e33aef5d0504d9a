"""What a group's earlier sessions say about the one about to start.

Pure functions over ``PastSession`` records (oldest first): who was bumped and is carried
to the top of the queue, who presented last time (ask them for follow-ups), who is new to
a group that has met before, who is back after missing two or more sessions in a row,
and who has now missed two or more in a row. Member keys are whatever the records use:
ids in the store, display names in scenario files.

When it is known how many of those sessions were held since a member joined the group
(or was brought back from retirement), only those count as missed for the absent flag,
so a member who joined recently is never flagged for sessions held before they came.
A member back from retirement is still "back after missing 2 or more" when they return.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from balint_tui.domain.model import Member, PastSession

ABSENCE_STREAK = 2


@dataclass
class HistoryFacts:
    sessions: int = 0
    carried: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    never_attended: set[str] = field(default_factory=set)
    missed_in_a_row: dict[str, int] = field(default_factory=dict)
    # sessions held since the member joined (or came back); absent: not known
    since_joined: dict[str, int] = field(default_factory=dict)

    def is_new(self, who: str) -> bool:
        """First time in a group that has met before."""
        return self.sessions > 0 and who in self.never_attended

    def is_returning(self, who: str, streak: int = ABSENCE_STREAK) -> bool:
        """Back after missing ``streak`` or more sessions in a row (and came before)."""
        return who not in self.never_attended and self.missed_in_a_row.get(who, 0) >= streak

    def is_vulnerable(self, who: str, streak: int = ABSENCE_STREAK) -> bool:
        return self.is_new(who) or self.is_returning(who, streak)

    def missed_as_member(self, who: str) -> int:
        """Sessions missed in a row up to the last one, counting only those held since
        the member joined; 0 for a member who never came and whose joining is unknown."""
        missed = self.missed_in_a_row.get(who, 0)
        if who in self.since_joined:
            return min(missed, self.since_joined[who])
        return 0 if who in self.never_attended else missed

    def is_absent(self, who: str, streak: int = ABSENCE_STREAK) -> bool:
        """Has missed ``streak`` or more sessions in a row, up to the last one, while a
        member of the group."""
        return self.missed_as_member(who) >= streak


def history_facts(
    members: list[str],
    history: list[PastSession],
    since_joined: Mapping[str, int] | None = None,
) -> HistoryFacts:
    """``since_joined``: member -> how many of ``history``'s sessions (the latest ones)
    were held since they joined; members left out are taken as there all along."""
    return recent_history_facts(
        members,
        len(history),
        history[-1] if history else None,
        (past.attended for past in reversed(history)),
        since_joined,
    )


def recent_history_facts(
    members: list[str],
    sessions: int,
    last: PastSession | None,
    attended_newest_first: Iterable[Collection[str]],
    since_joined: Mapping[str, int] | None = None,
) -> HistoryFacts:
    """``history_facts`` from what it needs, read from the newest session back only as
    far as needed: ``sessions`` (how many), the ``last`` one, and who attended each
    (newest first; iterated lazily and left as soon as every member has been seen, so
    a long history costs nothing more unless someone never came).
    """
    facts = HistoryFacts(sessions=sessions)
    if since_joined:
        facts.since_joined = {
            m: max(0, min(int(n), sessions)) for m, n in since_joined.items() if m in members
        }
    if last is None or not sessions:
        facts.never_attended = set(members)
        return facts
    member_set = set(members)
    facts.carried = [m for m in last.bumped if m in member_set]
    facts.follow_ups = [m for m in last.presented if m in member_set]
    streaks: dict[str, int] = {}
    unseen = set(member_set)
    if unseen:
        for back, attended in enumerate(attended_newest_first):
            for m in unseen.intersection(attended):
                streaks[m] = back
            unseen.difference_update(attended)
            if not unseen:
                break
    facts.never_attended = unseen
    for m in members:
        facts.missed_in_a_row[m] = streaks.get(m, sessions)
    return facts


def sessions_since(moment: datetime | None, starts: Iterable[datetime]) -> int | None:
    """How many of the sessions that started at ``starts`` began at or after ``moment``."""
    if moment is None:
        return None
    return sum(1 for s in starts if s >= moment)


def joined_counts(
    members: Iterable[Member], count_since: Callable[[datetime], int]
) -> dict[str, int]:
    """member id -> sessions held since they joined, for members whose joining is known.
    ``count_since(moment)``: how many sessions began at or after ``moment`` (the store's
    ``GroupRows.count_since``, or ``sessions_since`` over a list of start times)."""
    return {m.id: count_since(m.joined) for m in members if m.joined is not None}
