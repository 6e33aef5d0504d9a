"""A group's history as the pre-session view and the live session's rules need it.

Read from the index only (never the per-session files), and flat: only the group's last
row is validated as a model; the count, the start times (sessions since a member joined)
and attendance (read from the last session back only as far as each member's last
visit) come from the rows as stored (``Store.group_rows``). So start-up costs the same
whatever the number of past sessions, apart from parsing ``index.json`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from balint_tui.domain.group_age import TURNOVER_WINDOW, GroupAge, group_age
from balint_tui.domain.history import HistoryFacts, joined_counts, recent_history_facts
from balint_tui.domain.model import Group
from balint_tui.store.store import Store


def group_history(
    store: Store, group: Group, members: Sequence[str] | None = None
) -> tuple[HistoryFacts, date | None]:
    """What the group's finished sessions say about the next one, and the (local) date
    of the last of them (None before the first session).

    ``members`` (ids, default: the active roster) are the members judged; a member's
    ``joined`` time limits which sessions count as missed for the absent flag.
    """
    rows = store.group_rows(group.id)
    ids = list(members) if members is not None else [m.id for m in group.active]
    joined = joined_counts((m for m in group.members if m.id in ids), rows.count_since)
    last = rows.last
    facts = recent_history_facts(
        ids,
        len(rows),
        None if last is None else last.past_session(),
        rows.attended_newest_first(),
        joined,
    )
    return facts, (None if last is None else last.local_date)


def group_age_now(store: Store, group: Group, today: date | None = None) -> GroupAge:
    """How long ``group`` has met before its next session, and its recent turnover
    (``domain.group_age``), from the index only: the first row, the count, and who
    attended back only as far as the newcomers need."""
    rows = store.group_rows(group.id)
    first = rows.row(0) if len(rows) else None
    window = min(TURNOVER_WINDOW, len(rows))
    known: dict[str, bool] = {}
    if first is not None:
        for m in group.members:
            if m.joined is not None:
                # added after the first session, and no more than the window's
                # sessions ago: joined lately; else not (no need to look back)
                known[m.id] = m.joined > first.started_wall and rows.count_since(m.joined) <= window
    return group_age(None if first is None else first.local_date, rows.attended_newest_first(),
                     len(rows), [m.id for m in group.active], today or date.today(),
                     known=known)


def group_facts(store: Store, group: Group, members: Sequence[str] | None = None) -> HistoryFacts:
    """``group_history`` without the date."""
    return group_history(store, group, members)[0]


__all__ = ["group_age_now", "group_facts", "group_history"]
