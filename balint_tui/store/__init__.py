"""Durable storage of balint-tui: an index, one file per finished session, live journals.

No Textual here. ``Store`` (``store.store``) is the interface the rest of the app uses,
built of parts along the store's seams: ``store.groups`` (groups, templates, settings,
ratings), ``store.index`` (finished sessions, the index and its repair) and
``store.sessions`` (live journals and filing them), on ``store.base``.
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
