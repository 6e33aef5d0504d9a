"""What the review needs of the store, one narrow ``Protocol`` per use.

``review.load`` takes a store through these, not the ``Store`` class: each names
exactly the methods (and ``data_dir``) its function calls, with the store's own
signatures, so a test may pass a small fake and the store may be split behind them.
``balint_tui.store.store.Store`` satisfies every one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from balint_tui.domain.model import Group
from balint_tui.store.ratings import SessionRatings
from balint_tui.store.records import IndexRow, SessionRecord


class HasDataDir(Protocol):
    @property
    def data_dir(self) -> Path: ...


class ListsSessions(HasDataDir, Protocol):
    """The finished sessions as index rows (``pick_session``)."""

    def sessions(self, group_id: str | None = None) -> list[dict[str, Any]]: ...


class ReadsIndexRows(Protocol):
    """The index rows as models (``group_age_at``)."""

    def index_rows(self, group_id: str | None = None) -> list[IndexRow]: ...


class ReadsSession(Protocol):
    def load_session(self, session_id: str) -> SessionRecord: ...


class ReadsReview(ReadsSession, ReadsIndexRows, HasDataDir, Protocol):
    """One stored session, its ratings, the index and the leader's cards (``load_review``)."""

    def session_ratings(self, session_id: str) -> SessionRatings: ...


class ReadsTrend(ReadsSession, Protocol):
    """The group's sessions and everyone's ratings (``group_trend``)."""

    def sessions(self, group_id: str | None = None) -> list[dict[str, Any]]: ...

    def all_session_ratings(self) -> dict[str, SessionRatings]: ...


class ReadsGroup(Protocol):
    """A group by id (``group_name``)."""

    def group(self, group_id: str) -> Group | None: ...


class SavesFormRating(Protocol):
    """``save_rating``: one form's answers."""

    def save_form_rating(self, session_id: str, form_id: str,
                         items: dict[str, int | None]) -> None: ...


class SavesRater(Protocol):
    """``save_rater``: who rated a form."""

    def save_rater(self, session_id: str, form_id: str, rater: str | None) -> None: ...


class SavesPresenterNo(Protocol):
    """``save_presenter_no``: which of several presenters filled the presenter's form."""

    def save_presenter_no(self, session_id: str, number: int | None) -> None: ...


class SavesTalked(Protocol):
    """``save_talked``: the debrief's "we talked about it" flags."""

    def save_talked(self, session_id: str, indices: Sequence[int]) -> None: ...


__all__ = [
    "HasDataDir",
    "ListsSessions",
    "ReadsGroup",
    "ReadsIndexRows",
    "ReadsReview",
    "ReadsSession",
    "ReadsTrend",
    "SavesFormRating",
    "SavesPresenterNo",
    "SavesRater",
    "SavesTalked",
]
