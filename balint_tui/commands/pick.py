"""Find a group or a session from what the leader typed: an id, a group's name, or
``--last``. An answer that is not unambiguous raises ``PickError`` with one line that
says which ids match. Reads the store only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from balint_tui.domain.model import Group
    from balint_tui.store.journal import JournalContents
    from balint_tui.store.records import IndexRow
    from balint_tui.store.store import JournalInfo


class PickError(Exception):
    """One line for the user: what they typed picks no one group or session (bad input,
    exit status 2 on the command line)."""

    exit_code = 2


class NothingThere(PickError):
    """No session to pick at all (the folder or the group has none): nothing the user
    typed was wrong (exit status 1)."""

    exit_code = 1


class SessionSource(Protocol):
    """What ``session_entries`` reads of ``Store``."""

    def index_rows(self, group_id: str | None = None) -> list[IndexRow]: ...

    def live_journals(self) -> list[JournalInfo]: ...

    def read_journal(self, session_id: str) -> JournalContents: ...


class GroupSource(Protocol):
    """What ``find_group`` reads of ``Store``."""

    @property
    def data_dir(self) -> Path: ...

    def group(self, group_id: str) -> Group | None: ...

    def groups(self) -> list[Group]: ...


class PickSource(SessionSource, GroupSource, Protocol):
    """What ``find_session`` reads of ``Store``: both."""


@dataclass(frozen=True)
class SessionEntry:
    id: str
    group_id: str
    started: datetime
    finished: bool
    length_s: float
    cases: int

    @property
    def local_start(self) -> str:
        return self.started.astimezone().strftime("%Y-%m-%d %H:%M")


def session_entries(store: SessionSource, group_id: str | None = None) -> list[SessionEntry]:
    """Finished sessions (the index) and unfinished ones (live journals), oldest first."""
    out = [
        SessionEntry(r.id, r.group_id, r.started_wall, True, r.duration_s, r.cases)
        for r in store.index_rows(group_id)
    ]
    finished = {e.id for e in out}
    for j in store.live_journals():
        if j.session_id in finished or (group_id is not None and j.group_id != group_id):
            continue
        try:
            events = store.read_journal(j.session_id).events
        except Exception:
            events = []
        from balint_tui.domain.withdrawal import effective

        # a topic is one of the planned cases; an undone case is none
        cases = sum(1 for e in effective(events) if e.type in ("case", "topic"))
        out.append(SessionEntry(j.session_id, j.group_id, j.started_wall, False,
                                max(0.0, j.last_at), cases))
    out.sort(key=lambda e: (e.started, e.id))
    return out


def _ids(entries: list[SessionEntry]) -> str:
    shown = ", ".join(f"{e.id} ({e.local_start})" for e in entries[:12])
    more = f" and {len(entries) - 12} more" if len(entries) > 12 else ""
    return shown + more


def _matches(store: GroupSource, text: str) -> list[Group]:
    """The group whose id is ``text`` (any case) and every group called ``text`` (by
    ``name_key``: any case, fullwidth letters...), each once."""
    from balint_tui.domain.names import name_key

    # ids are lower case: "G1" can only mean the id g1
    by_id = (store.group(text) or store.group(text.lower())) if text else None
    wanted = name_key(text)
    named = [g for g in store.groups() if name_key(g.name) == wanted]
    return ([by_id] if by_id is not None else []) + [
        g for g in named if by_id is None or g.id != by_id.id]


def _which(groups: list[Group]) -> str:
    from balint_tui.domain.names import safe_display

    return ", ".join(f"{g.id} ('{safe_display(g.name)}')" for g in groups)


def find_group(store: GroupSource, text: str) -> Group:
    """The one group whose id or name is ``text``. PickError (one line, naming every
    match) when none is, or more than one: one group's id and another's name too."""
    matches = _matches(store, text)
    if len(matches) == 1:
        return matches[0]
    if matches and all(g.id != text.lower() for g in matches):
        raise PickError(f"{len(matches)} groups are called '{text}': "
                        + ", ".join(g.id for g in matches) + "; give the group's id")
    if matches:  # one group's id, another's name: neither is taken
        raise PickError(f"'{text}' is the id of one group and the name of another: "
                        f"{_which(matches)}; nothing was chosen: give a name or an id "
                        "only one of them has")
    raise PickError(f"there is no group '{text}' in {store.data_dir} "
                    "(balint-tui groups lists them)")


def find_session(store: PickSource, text: str | None, last: bool) -> SessionEntry:
    """``text``: a session id, or a group (id or name) with one session or ``--last``;
    ``last`` alone: the latest session of any group."""
    if text is not None and not last:
        every = session_entries(store)
        match = [e for e in every if e.id == text]
        if match:
            groups = _matches(store, text)
            if groups:  # a session's id and a group's name or id too
                raise PickError(
                    f"'{text}' is the id of a session and also of a group or its name: "
                    f"session {match[0].id}, group {_which(groups)}; nothing was chosen: "
                    "give the group's other name or id, or pick the session from its group")
            return match[0]
        try:
            group = find_group(store, text)
        except PickError:
            raise PickError(f"there is no session '{text}' in {store.data_dir} "
                            "(balint-tui sessions lists them)") from None
        entries = [e for e in every if e.group_id == group.id]
        if len(entries) == 1:
            return entries[0]
        if not entries:
            raise NothingThere(f"the group '{group.name}' ({group.id}) has no sessions")
        raise PickError(f"the group '{group.name}' has {len(entries)} sessions: "
                        f"{_ids(entries)}; give an id, or --last")
    if text is not None:
        group = find_group(store, text)
        entries = session_entries(store, group.id)
        where = f"the group '{group.name}' ({group.id})"
    else:
        entries = session_entries(store)
        where = str(store.data_dir)
    if not entries:
        raise NothingThere(f"there are no sessions in {where}")
    latest = [e for e in entries if e.started == entries[-1].started]
    if len(latest) > 1:
        raise PickError(f"{len(latest)} sessions started at the same time: "
                        f"{_ids(latest)}; give an id")
    return entries[-1]


__all__ = [
    "GroupSource",
    "PickError",
    "PickSource",
    "SessionEntry",
    "SessionSource",
    "find_group",
    "find_session",
    "session_entries",
]
