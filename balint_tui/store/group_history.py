"""A group's history as the pre-session view and the live session's rules need it.

Read from the index only (never the per-session files), so it costs the same whatever
the number of past sessions' files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from balint_tui.domain.history import HistoryFacts, history_facts, joined_counts
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
    rows = store.index_rows(group.id)  # validated once, not dumped and validated again
    ids = list(members) if members is not None else [m.id for m in group.active]
    joined = joined_counts(
        [m for m in group.members if m.id in ids], [r.started_wall for r in rows]
    )
    facts = history_facts(ids, [r.past_session() for r in rows], joined)
    return facts, (rows[-1].local_date if rows else None)


def group_facts(store: Store, group: Group, members: Sequence[str] | None = None) -> HistoryFacts:
    """``group_history`` without the date."""
    return group_history(store, group, members)[0]


__all__ = ["group_facts", "group_history"]
