"""What a group's earlier sessions say about the one about to start.

Pure functions over ``PastSession`` records (oldest first): who was bumped and is carried
to the top of the queue, who presented last time (ask them for follow-ups), who is new to
a group that has met before, who is back after missing two or more sessions in a row,
and who has now missed two or more in a row. Member keys are whatever the records use:
ids in the store, display names in scenario files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from balint_tui.domain.model import PastSession

ABSENCE_STREAK = 2


@dataclass
class HistoryFacts:
    sessions: int = 0
    carried: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    never_attended: set[str] = field(default_factory=set)
    missed_in_a_row: dict[str, int] = field(default_factory=dict)

    def is_new(self, who: str) -> bool:
        """First time in a group that has met before."""
        return self.sessions > 0 and who in self.never_attended

    def is_returning(self, who: str, streak: int = ABSENCE_STREAK) -> bool:
        """Back after missing ``streak`` or more sessions in a row (and came before)."""
        return who not in self.never_attended and self.missed_in_a_row.get(who, 0) >= streak

    def is_vulnerable(self, who: str, streak: int = ABSENCE_STREAK) -> bool:
        return self.is_new(who) or self.is_returning(who, streak)

    def is_absent(self, who: str, streak: int = ABSENCE_STREAK) -> bool:
        """Has missed ``streak`` or more sessions in a row, up to the last one."""
        return self.missed_in_a_row.get(who, 0) >= streak and who not in self.never_attended


def history_facts(members: list[str], history: list[PastSession]) -> HistoryFacts:
    facts = HistoryFacts(sessions=len(history))
    if not history:
        facts.never_attended = set(members)
        return facts
    last = history[-1]
    member_set = set(members)
    facts.carried = [m for m in last.bumped if m in member_set]
    facts.follow_ups = [m for m in last.presented if m in member_set]
    attended_ever: set[str] = set()
    for past in history:
        attended_ever.update(past.attended)
    facts.never_attended = member_set - attended_ever
    for m in members:
        streak = 0
        for past in reversed(history):
            if m in past.attended:
                break
            streak += 1
        facts.missed_in_a_row[m] = streak
    return facts
