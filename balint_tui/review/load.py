"""Reviews of stored sessions: pick a session, refold it, gather the group's trend.

Reads the store only (``Store.sessions``, ``load_session``, ``rating(s)``); nothing here
writes except ``save_rating``, ``save_rater`` and ``save_talked``. Each function takes
the store through the narrow protocol of ``review.ports`` that names what it calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from balint_tui.domain.group_age import GroupAge, group_age
from balint_tui.domain.state import EventRejected
from balint_tui.review.abs_items import FORM_IDS, RatingError, check_rater, check_rating
from balint_tui.review.labels import card_titles
from balint_tui.review.ports import (
    ListsSessions,
    ReadsGroup,
    ReadsIndexRows,
    ReadsReview,
    ReadsTrend,
    SavesFormRating,
    SavesPresenterNo,
    SavesRater,
    SavesTalked,
)
from balint_tui.review.session import SessionReview, review_events
from balint_tui.review.trends import TrendPoint, trend_point
from balint_tui.store.errors import StoreError
from balint_tui.store.ratings import SessionRatings
from balint_tui.store.records import SessionRecord, iso_utc

TREND_SESSIONS = 24  # trends show at most this many sessions, the latest ones


class ReviewError(Exception):
    """A review that cannot be shown; the message is one line for the user."""


class NoSuchSession(ReviewError):
    """The session id typed is not a finished session here: bad input (exit status 2)."""

    exit_code = 2


def pick_session(store: ListsSessions, session_id: str | None = None) -> str:
    """``session_id`` if the store has it, else the latest finished session."""
    rows = store.sessions()
    if not rows:
        raise ReviewError(f"there are no finished sessions in {store.data_dir}")
    if session_id is None:
        return rows[-1]["id"]
    if not any(r["id"] == session_id for r in rows):
        raise NoSuchSession(
            f"there is no session '{session_id}' in {store.data_dir} "
            "(balint-tui review --last opens the latest)"
        )
    return session_id


def review_record(record: SessionRecord,
                  ratings: SessionRatings | Mapping[str, int | None] | None = None
                  ) -> SessionReview:
    """The review of a stored session; ``ratings`` is a ``SessionRatings`` (every form)
    or the self-rating alone (``{item_id: value}``)."""
    rated: SessionRatings | None
    member: Mapping[str, int | None] | None
    if isinstance(ratings, SessionRatings):
        rated, member = ratings, ratings.of("member")
    else:
        rated, member = None, ratings
    try:
        review = review_events(
            record.plan,
            record.members,
            record.events,
            record.names,
            session_id=record.session_id,
            group_id=record.group_id,
            started_wall=iso_utc(record.started_wall),
            ratings=member,
        )
    except EventRejected as exc:
        raise ReviewError(f"session {record.session_id} cannot be reviewed: {exc}") from None
    if rated is not None:
        apply_ratings(review, rated)
    return review


def apply_ratings(review: SessionReview, rated: SessionRatings) -> None:
    """Put a session's stored ratings, raters and debrief flags on its review."""
    review.form_ratings = {f: dict(rated.of(f)) for f in FORM_IDS}
    review.ratings = review.form_ratings["member"]
    review.raters = dict(rated.raters)
    review.presenter_no = rated.presenter_no
    review.talked = tuple(rated.talked)


def load_review(store: ReadsReview, session_id: str) -> SessionReview:
    try:
        record = store.load_session(session_id)
        ratings = store.session_ratings(session_id)
    except StoreError as exc:
        raise ReviewError(str(exc)) from None
    review = review_record(record, ratings)
    # the leader's own cards have titles too
    review.card_titles = card_titles((p.id for p in review.prompts), store.data_dir)
    review.age = group_age_at(store, review)
    return review


def group_age_at(store: ReadsIndexRows, review: SessionReview) -> GroupAge | None:
    """How long the group had met up to and including this session, and who joined and
    left in the last sessions up to it (``domain.group_age``); None if unknown."""
    if review.group_id is None:
        return None
    try:
        rows = store.index_rows(review.group_id)
    except StoreError:
        return None
    ids = [r.id for r in rows]
    if review.session_id not in ids:
        return None
    rows = rows[: ids.index(review.session_id) + 1]
    return group_age(rows[0].local_date, (frozenset(r.attended) for r in reversed(rows)),
                     len(rows), review.members, rows[-1].local_date)


def group_trend(store: ReadsTrend, review: SessionReview, limit: int = TREND_SESSIONS
                ) -> list[TrendPoint]:
    """Trend points of the review's group, oldest first, ending with this session.

    Sessions that cannot be read are left out (the store sets damaged files aside).
    """
    rows = store.sessions(review.group_id)
    ids = [r["id"] for r in rows]
    if review.session_id in ids:
        ids = ids[: ids.index(review.session_id) + 1]
    ids = ids[-limit:]
    try:
        all_ratings = store.all_session_ratings()
    except StoreError:
        all_ratings = {}
    points: list[TrendPoint] = []
    for sid in ids:
        if sid == review.session_id:
            points.append(trend_point(review))
            continue
        try:
            record = store.load_session(sid)
            other = review_record(record, all_ratings.get(sid, SessionRatings()))
        except (StoreError, ReviewError):
            continue
        points.append(trend_point(other))
    return points


def save_rating(store: SavesFormRating, session_id: str, values: Mapping[str, int | None],
                form_id: str = "member") -> None:
    """Check the values against the form's items and store them (numbers only)."""
    try:
        store.save_form_rating(session_id, form_id, check_rating(values, form_id))
    except (RatingError, StoreError) as exc:
        raise ReviewError(str(exc)) from None


def save_rater(store: SavesRater, session_id: str, form_id: str, rater: str | None) -> None:
    """Store who rated the presenter's or the coleader's form (a rater id)."""
    try:
        store.save_rater(session_id, form_id, check_rater(form_id, rater))
    except (RatingError, StoreError) as exc:
        raise ReviewError(str(exc)) from None


def save_presenter_no(store: SavesPresenterNo, session_id: str, number: int | None) -> None:
    """Store which of the session's presenters filled the presenter's form (a position)."""
    try:
        store.save_presenter_no(session_id, number)
    except StoreError as exc:
        raise ReviewError(str(exc)) from None


def save_talked(store: SavesTalked, session_id: str, indices: Iterable[int]) -> None:
    """Store the debrief's "we talked about it" flags (event positions)."""
    try:
        store.save_talked(session_id, sorted(indices))
    except StoreError as exc:
        raise ReviewError(str(exc)) from None


def group_name(store: ReadsGroup, group_id: str | None) -> str | None:
    if group_id is None:
        return None
    try:
        group = store.group(group_id)
    except StoreError:
        return None
    return group.name if group is not None else None


__all__ = [
    "TREND_SESSIONS",
    "ReviewError",
    "apply_ratings",
    "group_name",
    "group_trend",
    "load_review",
    "pick_session",
    "review_record",
    "save_rater",
    "save_rating",
    "save_talked",
]
