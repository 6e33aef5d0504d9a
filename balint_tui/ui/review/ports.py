"""What the review screens need of the store: the review layer's own Protocols
(``balint_tui.review.ports``), put together per screen. Each names just the ``Store``
methods its screen calls, itself or through ``balint_tui.review.load``. A test may hand
a screen any object of that shape.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from balint_tui.review.ports import (
    ListsSessions,
    ReadsGroup,
    ReadsReview,
    ReadsTrend,
    SavesFormRating,
    SavesPresenterNo,
    SavesRater,
    SavesTalked,
)


class RatingsStore(SavesFormRating, SavesRater, SavesPresenterNo, Protocol):
    """Saves a rating form's answers and its rater (``SavesRatings``)."""


class DebriefStore(RatingsStore, SavesTalked, Protocol):
    """The debrief for two: the coleader's form, and the moments talked about."""


class SupervisionStore(Protocol):
    """Whether the session was taken to supervision, and on which day (the logbook)."""

    def supervised_on(self, session_id: str) -> date | None: ...

    def mark_supervised(self, entry_id: str, on: date | None) -> None: ...


class ReviewStore(DebriefStore, ReadsReview, ReadsTrend, ReadsGroup, ListsSessions,
                  SupervisionStore, Protocol):
    """The review screen: reads the session, its ratings and the group's earlier
    sessions (``load_review``, ``group_trend``), and opens the debrief."""


__all__ = ["DebriefStore", "RatingsStore", "ReviewStore", "SupervisionStore"]
