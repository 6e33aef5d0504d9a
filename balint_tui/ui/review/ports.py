"""What the review screens need of the store, as ``Protocol`` classes: each names just
the ``Store`` methods its screen calls, itself or through ``balint_tui.review.load``
(the signatures are ``balint_tui.store.store.Store``'s). A test may hand a screen any
object of that shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from balint_tui.domain.model import Group
    from balint_tui.store.ratings import SessionRatings
    from balint_tui.store.records import IndexRow, SessionRecord


class RatingsStore(Protocol):
    """Saves a rating form's answers and its rater (``SavesRatings``)."""

    def save_form_rating(self, session_id: str, form_id: str,
                         items: dict[str, int | None]) -> None: ...

    def save_rater(self, session_id: str, form_id: str, rater: str | None) -> None: ...


class DebriefStore(RatingsStore, Protocol):
    """The debrief for two: the coleader's form, and the moments talked about."""

    def save_talked(self, session_id: str, indices: Sequence[int]) -> None: ...


class ReviewStore(DebriefStore, Protocol):
    """The review screen: reads the session, its ratings and the group's earlier
    sessions (``load_review``, ``group_trend``), and opens the debrief."""

    @property
    def data_dir(self) -> Path: ...

    def load_session(self, session_id: str) -> SessionRecord: ...

    def session_ratings(self, session_id: str) -> SessionRatings: ...

    def all_session_ratings(self) -> dict[str, SessionRatings]: ...

    def index_rows(self, group_id: str | None = None) -> list[IndexRow]: ...

    def sessions(self, group_id: str | None = None) -> list[dict[str, Any]]: ...

    def group(self, group_id: str) -> Group | None: ...


__all__ = ["DebriefStore", "RatingsStore", "ReviewStore"]
