"""Durable storage of balint-tui: an index, one file per finished session, live journals.

No Textual here. ``Store`` is the interface the rest of the app uses.
"""

from balint_tui.store.errors import (
    CorruptFileError,
    DataDirLockedError,
    DataVersionError,
    JournalUnavailable,
    StoreError,
)

__all__ = [
    "CorruptFileError",
    "DataDirLockedError",
    "DataVersionError",
    "JournalUnavailable",
    "StoreError",
]
