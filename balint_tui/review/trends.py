"""Trends across a group's sessions, oldest first: one point per session.

Balance, leader share, long silences (20 s or more) and the longest silence, attendance
(members present at any time over the roster of that session), the mean self-rating
(numbers only, N/A left out; ``None`` when the session was not rated) and the section
means of each of the three forms, kept apart by who rated (``views``): the presenter's
own answers apart from the leader's guess of them, the leader rating the coleader apart
from the coleader rating the leader, and answers whose rater was not said apart from both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from balint_tui.review.abs_items import form, forms, overall_mean, section_means
from balint_tui.review.session import SessionReview

UNSAID = "-"  # the rater of a view whose rater was not said


@dataclass(frozen=True)
class TrendView:
    """One form as filled in by one kind of rater: a line of its own in the trends."""

    key: str  # "member", "presenter:presenter", "presenter:leader", "coleader:-" ...
    form_id: str
    rater: str | None  # None: the form has no choice of rater; UNSAID: not said
    title: str  # "Presenter's form, imagined by the leader"
    short: str  # for the screen's narrow labels


# "L on co.": the leader rates the coleader; "co. on L": the coleader rates the leader
_SHORT = {"member": "self", "presenter:presenter": "pres.", "presenter:leader": "pres. guess",
          "presenter:-": "pres.?", "coleader:leader": "L on co.",
          "coleader:coleader": "co. on L", "coleader:-": "co.?"}


def views() -> list[TrendView]:
    """Every form, once per rater it may have (and once for a rater not said)."""
    out = []
    for form_id, the_form in forms().items():
        if not the_form.raters:
            out.append(TrendView(form_id, form_id, None, the_form.title, _SHORT[form_id]))
            continue
        for rater in (*the_form.rater_ids, UNSAID):
            key = f"{form_id}:{rater}"
            said = the_form.rater_label(rater) or "who rated not said"
            out.append(TrendView(key, form_id, rater, f"{the_form.title}, {said}",
                                 _SHORT.get(key, key)))
    return out


def view_sections(point_views: list[TrendView]) -> list[tuple[TrendView, str, str]]:
    """(view, section id, label) for every section of ``point_views``."""
    out = []
    for view in point_views:
        sections = form(view.form_id).sections
        for section in sections:
            label = view.short if len(sections) == 1 else f"{view.short} {section.id}"
            out.append((view, section.id, label))
    return out


def shown_views(points: Iterable[TrendPoint]) -> list[TrendView]:
    """The views to show: all but those of a rater not said that no point has."""
    points = list(points)
    return [v for v in views()
            if v.rater != UNSAID or any(v.key in p.form_sections for p in points)]


def _rated_by(review: SessionReview) -> dict[str, dict[str, float | None]]:
    """Each form's section means under the view of whoever rated it this session."""
    out: dict[str, dict[str, float | None]] = {}
    for form_id, the_form in forms().items():
        values = review.answers(form_id)
        if not the_form.raters:
            out[form_id] = section_means(values, form_id)
        elif values:
            rater = review.raters.get(form_id) or UNSAID
            out[f"{form_id}:{rater}"] = section_means(values, form_id)
    return out


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
    # every form's section means by who rated: view key -> section id -> mean (None or
    # no key: not rated by that rater)
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
        form_sections=_rated_by(review),
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
