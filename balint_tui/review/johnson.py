"""Johnson's five leadership skills beside the session's measured shape.

Johnson, Nease, Milberg and Addison (seed 000) drew five essential skills of Balint
group leadership from a factor analysis of the leader evaluation forms, free-text
comments and focus groups. Each skill here pairs the leader's own rating (the section
means and items of the group member's form that belong to it) with what the session's
record measures where the two touch: counts about the group's shape and the leaders'
moves, never a figure about one member (no member is scored or named here).
"""

from __future__ import annotations

from dataclasses import dataclass

from balint_tui.review.abs_items import form, section_means
from balint_tui.review.plain import age_words
from balint_tui.review.session import SessionReview
from balint_tui.review.textcharts import clock, percent


@dataclass(frozen=True)
class SkillRow:
    skill: str
    rated: list[str]  # "Keeping the group safe 3.8", "I made room for everyone to speak 4"
    measured: list[str]  # "questions to the presenter in discussion: 2"


def longest_question_run(review: SessionReview) -> int:
    """The most turns in a row put to the presenter by others in a discussion phase
    (the presenter answering does not break a run; the questions phase is for them)."""
    presenters = {c.number: c.presenter for c in review.cases}
    best = run = 0
    case = None
    for t in review.turns:
        if t.case != case:
            case, run = t.case, 0
        if t.case is None or t.phase != "discussion":
            run = 0
            continue
        presenter = presenters.get(t.case)
        if t.who == presenter:
            continue
        run = run + 1 if t.to_presenter else 0
        best = max(best, run)
    return best


def _marks(review: SessionReview, *kinds: str) -> int:
    return sum(1 for m in review.marks if m.kind in kinds)


def skills(review: SessionReview) -> list[SkillRow]:
    member = form("member")
    values = review.answers("member")
    means = section_means(values, "member")
    titles = {s.id: s.title for s in member.sections}
    labels = {i.id: i.label for i in member.items}

    def mean(section: str) -> str:
        m = means.get(section)
        return f"{titles[section]}: {'-' if m is None else f'{m:.1f}'}"

    def item(item_id: str) -> str:
        v = values.get(item_id, "")
        shown = "not rated" if item_id not in values else ("N/A" if v is None else str(v))
        return f"{labels[item_id]}: {shown}"

    present = len(review.present)
    never = len(review.never_spoke)
    over = sum(1 for c in review.cases if c.over >= 1.0)
    return [
        SkillRow("Creates a climate of safety, acceptance and trust",
                 [mean("safety"), item("safety.protected-presenter"), item("safety.no-probing")],
                 [f"questions to the presenter in discussion: {review.questions_to_presenter}",
                  "most questions to the presenter in a row, in discussion: "
                  f"{longest_question_run(review)}",
                  f"marks of personal probing: {_marks(review, 'personal_probing')}, "
                  f"of presenter distress: {_marks(review, 'presenter_distress')}"]),
        SkillRow("Establishes and maintains group norms",
                 [item("safety.rules-boundaries"), item("safety.all-speak")],
                 [f"present members who never spoke: {never} of {present}",
                  f"balance of members' airtime: {review.balance:.2f}",
                  f"cases past their planned share: {over} of {len(review.cases)}"]),
        SkillRow("Promotes movement toward the group's task",
                 [mean("process"), item("process.promote")],
                 [f"marks of advice, medical detail or off task: "
                  f"{_marks(review, 'advice', 'medical_detail', 'off_task')}; "
                  f"back on task: {_marks(review, 'back_on_task')}; "
                  f"stuck: {_marks(review, 'stuck')}"]),
        SkillRow("Understands group process",
                 [item("process.stage"), item("process.parallel"), item("process.moods")],
                 [f"the group had met: {age_words(review)}",
                  f"marks of tension, singling out or too safe: "
                  f"{_marks(review, 'tension', 'singled_out', 'too_safe')}"]),
        SkillRow("Personality and style of the leader",
                 [mean("model"), item("model.uncertainty")],
                 [f"leader and coleader share of airtime: {percent(review.leader_share)}",
                  f"silences of 20 s or more: {len(review.long_silences)}, "
                  f"longest {clock(review.longest_silence)}"]),
    ]


# every fixed phrase above, for the export test
PHRASES = (
    "Creates a climate of safety, acceptance and trust",
    "Establishes and maintains group norms", "Promotes movement toward the group's task",
    "Understands group process", "Personality and style of the leader",
    "questions to the presenter in discussion",
    "most questions to the presenter in a row, in discussion",
    "marks of personal probing, of presenter distress", "present members who never spoke of",
    "balance of members' airtime", "cases past their planned share of",
    "marks of advice, medical detail or off task; back on task; stuck",
    "the group had met", "marks of tension, singling out or too safe",
    "leader and coleader share of airtime", "silences of 20 s or more, longest",
    "not rated", "N/A",
)

__all__ = ["PHRASES", "SkillRow", "longest_question_run", "skills"]
