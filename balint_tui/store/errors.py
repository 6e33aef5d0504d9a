"""Errors of the store. ``str(error)`` is one line: what happened, which file, what to do."""

from __future__ import annotations

from pathlib import Path

from balint_tui.domain.names import safe_display


def one_line(text: str) -> str:
    """Collapse whitespace and neutralise control characters (paths may hold anything)."""
    return safe_display(" ".join(str(text).split()))


class StoreError(Exception):
    """Anything the store cannot do; the message is a single line fit for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))

    def __str__(self) -> str:
        return one_line(super().__str__())


class CorruptFileError(StoreError):
    """A data file that does not parse. It was renamed aside (``set_aside``), never emptied."""

    def __init__(self, path: Path, reason: str, set_aside: Path | None = None) -> None:
        self.path = Path(path)
        self.reason = one_line(reason)
        self.set_aside = set_aside
        if set_aside is not None:
            what_to_do = (
                f"it was moved aside to {set_aside.name} (nothing deleted); "
                "balint-tui carries on without it"
            )
        else:
            what_to_do = (
                "it was left as it is (nothing deleted); restore it from a backup, or move "
                "it aside and balint-tui starts that file afresh"
            )
        super().__init__(f"{self.path} is damaged ({self.reason}); {what_to_do}")


class MissingFileError(CorruptFileError):
    """A file that should hold data (its mirror copy does) is missing, or empty and
    left in place (a reader changes nothing)."""

    def __init__(self, path: Path, how: str = "is missing") -> None:
        self.path = Path(path)
        self.reason = f"it {how}, while its mirror copy is not"
        self.set_aside = None
        StoreError.__init__(self, f"{self.path} {how}, while its mirror copy is not")


class JournalSetAside(StoreError):
    """A journal whose lines parse but do not replay (events out of order, a member the
    roster does not hold): set aside, and what replays filed as a finished session."""


class DataDirLockedError(StoreError):
    """Another process holds the data folder's lock (one writer per data folder)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        super().__init__(
            f"another balint-tui is using {self.data_dir}; close it first "
            "(or pass --data-dir to use another folder)"
        )


class DataVersionError(StoreError):
    """The data folder was written by a newer balint-tui."""

    def __init__(self, path: Path, found: object, supported: int) -> None:
        self.path = Path(path)
        self.found = found
        self.supported = supported
        super().__init__(
            f"{self.path} was made by a newer balint-tui (data version {found!r}; this one "
            f"reads up to version {supported}); it was left as it is: upgrade balint-tui to open it"
        )


class JournalUnavailable(StoreError):
    """The live session's journal cannot be written just now (disk full, folder gone,
    read-only). ``pending``: how many events the live session keeps in memory, to be
    written, in order, as soon as the journal can be written again."""

    def __init__(self, path: Path, reason: str, pending: int = 0) -> None:
        self.path = Path(path)
        self.reason = one_line(reason)
        self.pending = pending
        if pending:
            noun = "action is" if pending == 1 else "actions are"
            what_to_do = (
                f"{pending} {noun} kept in memory and saved as soon as it can be written "
                "(retried at every action); check free space, permissions and that the data "
                "folder is still there"
            )
        else:
            what_to_do = (
                "the last action was not recorded; check free space, permissions and that "
                "the data folder is still there"
            )
        super().__init__(
            f"could not write the session journal {self.path} ({self.reason}); {what_to_do}"
        )


__all__ = [
    "CorruptFileError",
    "DataDirLockedError",
    "DataVersionError",
    "JournalSetAside",
    "JournalUnavailable",
    "MissingFileError",
    "StoreError",
    "one_line",
]
