"""``balint-tui review --export json PATH``: one session's review as one JSON object.

For a leader doing research with colleagues. Holds what the other exports hold (numbers,
times, vocabulary words and ids, people as ``M1``, ``M2``, ... drawn at random for this
export unless ``--names``) and the three forms with their answers. Keys (``format``
says the version; a later version may add keys, never rename them)::

    format      "balint-review/1"
    session     id, date (UTC), template, prompts (the level), role, setting,
                planned_s, planned_end_s, extend_presses,
                duration_s, group (its name with --names, else null), people
                ("pseudonyms" or "names"), people_note (the report's line: pseudonyms
                drawn at random for this export; or, with names, that a named export
                stays with the leaders), group_age (sessions held up to this one,
                months, window, joined and left in the last window sessions; null
                when not known)
    figures     balance, leader_share, leader_airtime_s, total_airtime_s,
                longest_silence_s, long_silences, long_silence_s (the threshold),
                questions_to_presenter (discussion), questions_by_phase, never_spoke,
                absent, late, left_early, prompts (surfaced, acted, dismissed, expired, open)
    members     per person (in pseudonym order, M1 first; with --names in roster order):
                who, airtime_s, turns, first_spoke_at, present, late, left_early
    cases       number, presenter, start, end, length_s, planned_s, over_s, marks,
                questions_to_presenter, phases [{phase, start, end}]
    turns       who, start, end, case, phase, to_presenter
    silences    start, end, length_s, case, phase
    marks       at, kind, who (always null: a filed session links no member to a mark,
                ground rule 2), case, phase
    prompts     at, id, member, until, ended (acted, dismissed, expired, session_end, or
                what the card's record says), outcome (as the review shows it)
    forms       member, presenter, coleader: id, title, scale {min, max, low, high,
                labels}, na, raters [ids], sections [{id, title, items [{id, label,
                reverse, context (in no mean)}]}]
    ratings     member, presenter, coleader: {item id: 1..5, "na" for N/A, null when
                not rated}
    raters      presenter ("presenter" or "leader"), coleader ("leader" or "coleader"),
                null when not chosen
    debrief     talked: positions in the session's events of the moments leader and
                coleader marked "we talked about it"

Times are seconds since the session started.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from balint_tui.review.abs_items import RATING_MAX, RATING_MIN, RatingForm, forms
from balint_tui.review.blocks import TEXT, Report
from balint_tui.review.labels import Labels
from balint_tui.review.session import LONG_SILENCE_S, CaseReview, SessionReview

JSON_FORMAT = "balint-review/1"
TOP_KEYS = ("format", "session", "figures", "members", "cases", "turns", "silences",
            "marks", "prompts", "forms", "ratings", "raters", "debrief")
# what a card that left the screen is said to have ended with; others pass through
_ENDED = {"open": "session_end"}


def _t(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


Who = Callable[[str | None], str | None]


def review_json(review: SessionReview, *, use_names: bool = False,
                group_name: str | None = None, labels: Labels | None = None
                ) -> dict[str, Any]:
    """``labels``: the report's (one draw of pseudonyms per export); else a new draw."""
    label = labels or Labels(review.members, review.names, use_names)
    review = label.reorder(review)  # members listed in pseudonym order, not the roster's

    def who(key: str | None) -> str | None:
        return None if key is None else label(key)

    # in key order: a label met first (one not in the roster) gets the next number
    out: dict[str, Any] = {
        "format": JSON_FORMAT,
        "session": _session(review, who, use_names=use_names, group_name=group_name),
        "figures": _figures(review, who),
        "members": [
            {"who": who(p.who), "airtime_s": _t(p.airtime), "turns": p.turns,
             "first_spoke_at": _t(p.first_spoke_at), "present": p.present,
             "late": p.late, "left_early": p.left_early}
            for p in review.participation
        ],
        "cases": [_case(c, who) for c in review.cases],
        "turns": [
            {"who": who(t.who), "start": _t(t.start), "end": _t(t.end), "case": t.case,
             "phase": t.phase, "to_presenter": t.to_presenter}
            for t in review.turns
        ],
        "silences": [
            {"start": _t(s.start), "end": _t(s.end), "length_s": _t(s.length),
             "case": s.case, "phase": s.phase}
            for s in review.silences
        ],
        "marks": [
            {"at": _t(m.at), "kind": m.kind, "who": who(m.who), "case": m.case,
             "phase": m.phase}
            for m in review.marks
        ],
        "prompts": [
            {"at": _t(p.surfaced_at), "id": p.id, "member": who(p.who),
             "until": _t(p.closed_at), "ended": _ENDED.get(p.outcome, p.outcome),
             "outcome": p.outcome}
            for p in review.prompts
        ],
        "forms": {form_id: _form(form) for form_id, form in forms().items()},
        "ratings": {form_id: _answers(review, form_id, form)
                    for form_id, form in forms().items()},
        "raters": {form_id: review.raters.get(form_id)
                   for form_id, form in forms().items() if form.raters},
        "debrief": {"talked": sorted(review.talked)},
    }
    return out


def _session(review: SessionReview, who: Who, *, use_names: bool,
             group_name: str | None) -> dict[str, Any]:
    age = review.age
    return {
        "id": review.session_id,
        "date": (review.started_wall or "")[:10] or None,
        "template": review.template,
        "prompts": review.prompts_level,
        "role": review.role,
        "setting": review.setting,
        "planned_s": _t(review.planned_duration),
        "planned_end_s": _t(review.planned_end),
        "extend_presses": review.extend_presses,
        "duration_s": _t(review.duration),
        "group": group_name if use_names else None,
        "people": "names" if use_names else "pseudonyms",
        "people_note": TEXT["people_named"] if use_names else TEXT["people"],
        "group_age": None if age is None else {
            "sessions": age.sessions, "months": age.months,
            "window": age.window, "joined": [who(m) for m in age.joined],
            "left": [who(m) for m in age.left]},
    }


def _figures(review: SessionReview, who: Who) -> dict[str, Any]:
    counts = review.prompt_counts()
    late = [p.who for p in review.participation if p.late]
    left = [p.who for p in review.participation if p.left_early]
    return {
        "balance": round(review.balance, 4),
        "leader_share": round(review.leader_share, 4),
        "leader_airtime_s": _t(review.leader_airtime),
        "total_airtime_s": _t(review.total_airtime),
        "longest_silence_s": _t(review.longest_silence),
        "long_silences": len(review.long_silences),
        "long_silence_s": LONG_SILENCE_S,
        "questions_to_presenter": review.questions_to_presenter,
        "questions_by_phase": dict(review.questions_by_phase),
        "never_spoke": [who(m) for m in review.never_spoke],
        "absent": [who(m) for m in review.absent],
        "late": [who(m) for m in late],
        "left_early": [who(m) for m in left],
        "prompts": {k: counts.get(k, 0)
                    for k in ("surfaced", "acted", "dismissed", "expired", "open")},
    }


def _case(c: CaseReview, who: Who) -> dict[str, Any]:
    return {
        "number": c.number, "presenter": who(c.presenter), "start": _t(c.start),
        "end": _t(c.end), "length_s": _t(c.length), "planned_s": _t(c.planned),
        "over_s": _t(c.over), "marks": c.marks,
        "questions_to_presenter": c.questions_to_presenter,
        "phases": [{"phase": p.phase, "start": _t(p.start), "end": _t(p.end)}
                   for p in c.phases],
    }


def _form(form: RatingForm) -> dict[str, Any]:
    """A rating form as the export describes it: scale, raters, sections and items."""
    return {
        "id": form.id,
        "title": form.title,
        "scale": {"min": RATING_MIN, "max": RATING_MAX, "low": form.scale_low,
                  "high": form.scale_high,
                  "labels": list(form.labels) if form.labels else None},
        "na": form.na,
        "raters": list(form.rater_ids),
        "sections": [
            {"id": s.id, "title": s.title,
             "items": [{"id": i.id, "label": i.label, "reverse": i.reverse,
                        "context": i.context} for i in s.items]}
            for s in form.sections
        ],
    }


def _answers(review: SessionReview, form_id: str, form: RatingForm) -> dict[str, Any]:
    """``{item id: 1..5, "na" for N/A, None when not rated}``."""
    values = review.answers(form_id)
    return {i.id: _answer(i.id, values) for i in form.items}


def _answer(item_id: str, values: Mapping[str, int | None]) -> int | str | None:
    if item_id not in values:
        return None
    value = values[item_id]
    return "na" if value is None else value


def to_json(report: Report) -> str:
    """The report's review as JSON text (``RENDERERS["json"]``)."""
    data = review_json(report.review, use_names=report.labels.use_names,
                       group_name=report.group_name, labels=report.labels)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


__all__ = ["JSON_FORMAT", "TOP_KEYS", "review_json", "to_json"]
