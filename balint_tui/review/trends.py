"""Trends across a group's sessions, oldest first: one point per session.

Balance, leader share, long silences (20 s or more) and the longest silence, attendance
(members present at any time over the roster of that session), the mean self-rating
(numbers only, N/A left out; ``None`` when the session was not rated) and the section
means of each of the three forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from balint_tui.review.abs_items import FORM_IDS, overall_mean, section_means
from balint_tui.review.session import SessionReview


@dataclass(frozen=True)
class TrendPoint:
    session_id: str | None
    date: str | None  # ISO date of the session (UTC), when known
    balance: float
    leader_share: float
    long_silences: int
    longest_silence: float
    present: int
    roster: int
    rating: float | None
    rating_sections: dict[str, float | None]
    # every form's section means: form id -> section id -> mean (None: not rated)
    form_sections: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def attendance(self) -> float:
        return self.present / self.roster if self.roster else 0.0


def trend_point(review: SessionReview) -> TrendPoint:
    return TrendPoint(
        session_id=review.session_id,
        date=(review.started_wall or "")[:10] or None,
        balance=review.balance,
        leader_share=review.leader_share,
        long_silences=len(review.long_silences),
        longest_silence=review.longest_silence,
        present=len(review.present),
        roster=len(review.members),
        rating=overall_mean(review.ratings),
        rating_sections=section_means(review.ratings),
        form_sections={f: section_means(review.answers(f), f) for f in FORM_IDS},
    )


def trends(reviews: Iterable[SessionReview]) -> list[TrendPoint]:
    return [trend_point(r) for r in reviews]


# The series shown as small charts: key, label, how to read a point, the scale's top.
SERIES: tuple[tuple[str, str, float | None], ...] = (
    ("balance", "balance", 1.0),
    ("leader_share", "leader share", 1.0),
    ("long_silences", "silences 20 s+", None),
    ("attendance", "attendance", 1.0),
    ("rating", "self-rating", 5.0),
)
