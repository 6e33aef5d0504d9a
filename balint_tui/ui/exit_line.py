"""The line said at the shell about a session the app leaves without filing it: read
from the disk, so it says what the next start will find (kept to resume, filed then,
or set aside), never what was meant to happen."""

from __future__ import annotations

from balint_tui.store.errors import StoreError
from balint_tui.store.journal import read_journal
from balint_tui.store.store import Store


def unfiled_session_line(store: Store, session_id: str, unwritten: int, where: str) -> str:
    journal = store.journal_path(session_id)
    aside = sorted(journal.parent.glob(f"{journal.name}.corrupt-*"))
    if store.session_path(session_id).exists():  # filed, the journal maybe not yet removed
        if aside and not journal.exists():
            return (f"session {session_id} saved up to where its journal stopped replaying "
                    f"(the journal set aside as {aside[-1]}); {where}")
        return f"session {session_id} saved (balint-tui review --last shows it); {where}"
    lost = f", {unwritten} recorded actions could not be written" if unwritten else ""
    try:
        contents = read_journal(journal, set_aside=False)
    except StoreError:
        if journal.exists():
            return (f"session {session_id} not saved: its journal {journal} is damaged; the "
                    f"next balint-tui start sets it aside and keeps what replays{lost}; {where}")
        kept = f"set aside as {aside[-1]}" if aside else "no longer there"
        return (f"session {session_id} not saved and cannot be resumed: its journal is "
                f"{kept}{lost}; {where}")
    if contents.ended:
        return (f"session {session_id} ended, not filed yet: the next balint-tui start "
                f"files it{lost}; {where}")
    return (f"session {session_id} kept to resume (the next balint-tui start offers it)"
            f"{lost}; {where}")


def farewell_line(store: Store, session_id: str | None, *, outcome: str | None,
                  offered: tuple[str, str] | None, unwritten: int) -> str:
    """The app's last line: the session it ran (``session_id``; ``outcome`` "saved" or
    "discarded" when the leader chose so), else the one the resume offer was answered
    for (``offered``: its id and the choice), and the data folder."""
    where = f"data folder: {store.data_dir}"
    if outcome == "discarded":
        return f"session discarded (deleted for good); {where}"
    if session_id is None:
        if offered is not None and offered[1] != "resume":
            # said as the disk has it: ended and saved, kept, or set aside
            sid, choice = offered
            line = unfiled_session_line(store, sid, 0, where)
            if choice == "end" and line.startswith(f"session {sid} saved ("):
                return f"session {sid} (interrupted) ended and saved; {where}"
            return line
        return f"no session was started; {where}"
    if outcome == "saved":
        return f"session {session_id} saved (balint-tui review --last shows it); {where}"
    return unfiled_session_line(store, session_id, unwritten, where)


CRASH_LINE = "unexpected error; the session is saved - run balint-tui to resume"
CRASH_NO_SESSION = "unexpected error; no session was running, nothing was lost"
CRASH_FILED = "unexpected error; the session is saved (balint-tui review --last)"
CRASH_ENDED = "unexpected error; the session is saved: the next start files it"
CRASH_LOST = "unexpected error; the session's journal is gone (balint-tui audit)"


def crash_line(store: Store, session_id: str | None) -> str:
    """The one short line (no names) said when the app ended on an unexpected error:
    what the disk holds of the session that ran, if one did."""
    if session_id is None:
        return CRASH_NO_SESSION
    if store.session_path(session_id).exists():
        return CRASH_FILED
    try:
        contents = read_journal(store.journal_path(session_id), set_aside=False)
    except StoreError:
        return CRASH_LOST if not store.journal_path(session_id).exists() else CRASH_LINE
    return CRASH_ENDED if contents.ended else CRASH_LINE


__all__ = ["CRASH_LINE", "crash_line", "farewell_line", "unfiled_session_line"]
