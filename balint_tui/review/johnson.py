"""Johnson's five leadership skills beside the session's record.

Johnson, Nease, Milberg and Addison (seed 000) drew five essential skills of Balint
group leadership from a factor analysis of the leader evaluation forms, free-text
comments and focus groups. Each skill here pairs the ratings that belong to it (the
group member's form, which the leader fills in imagining the members' view, and for
safety the presenter's form) with figures of the session where the two touch. The
figures are context, not measures of the skill: a count of silences or of questions
does not say how well a leader led. None is about one member (no member is scored or
named here).

* Safety: no count of the presenter's distress (a reasonable level of anxiety is a
  condition of Balint work, seed 001), the presenter's form instead.
* Norms: the opportunity to speak (present members who never spoke), not an evenness
  of airtime held up as a virtue.
* Understanding of group process: not directly observable (Johnson et al.); said so.
* Style: who broke each silence, a leader or a member, not how many silences there were.
"""

from __future__ import annotations

from dataclasses import dataclass

from balint_tui.review.abs_items import form, section_means
from balint_tui.review.plain import age_words
from balint_tui.review.session import SessionReview
from balint_tui.review.textcharts import percent
from balint_tui.review.trends import UNSAID

NOT_OBSERVABLE = ("not directly observable (Johnson et al.): the record cannot show it; "
                  "the figures below are only its setting")
PRESENTER_BY = {"presenter": "rated by the presenter", "leader": "imagined by the leader",
                UNSAID: "who rated not said"}


@dataclass(frozen=True)
class SkillRow:
    skill: str
    rated: list[str]  # "Keeping the group safe 3.8", "I made room for everyone to speak 4"
    context: list[str]  # "questions to the presenter in discussion: 2": context, no measure


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


def silence_breakers(review: SessionReview) -> tuple[int, int, int]:
    """How many silences a leader (or coleader) ended by speaking, how many a member
    did, how many nobody did (a case began, the session ended)."""
    leaders = sum(1 for s in review.silences if s.broken_by in ("leader", "coleader"))
    nobody = sum(1 for s in review.silences if s.broken_by is None)
    return leaders, len(review.silences) - leaders - nobody, nobody


def _presenter_form(review: SessionReview) -> list[str]:
    """The presenter's form: its mean and who filled it in, the safety item."""
    values = review.answers("presenter")
    the_form = form("presenter")
    if not values:
        return [f"{the_form.title}: not rated"]
    by = PRESENTER_BY[review.raters.get("presenter") or UNSAID]
    mean = section_means(values, "presenter")["presenter"]
    item = next(i for i in the_form.items if i.id == "presenter.protected")
    shown = "N/A" if values.get(item.id, 0) is None else values.get(item.id, "not rated")
    return [f"{the_form.title}, {by}: {'not rated' if mean is None else f'{mean:.1f}'}",
            f"{item.label}: {shown}"]


def skills(review: SessionReview) -> list[SkillRow]:
    member = form("member")
    values = review.answers("member")
    means = section_means(values, "member")
    titles = {s.id: s.title for s in member.sections}
    labels = {i.id: i.label for i in member.items}

    def mean(section: str) -> str:
        m = means.get(section)
        return f"{titles[section]}: {'not rated' if m is None else f'{m:.1f}'}"

    def item(item_id: str) -> str:
        v = values.get(item_id, "")
        shown = "not rated" if item_id not in values else ("N/A" if v is None else str(v))
        return f"{labels[item_id]}: {shown}"

    present = len(review.present)
    never = len(review.never_spoke)
    over = sum(1 for c in review.cases if c.over >= 1.0)
    by_leader, by_member, by_nobody = silence_breakers(review)
    return [
        SkillRow("Creates a climate of safety, acceptance and trust",
                 [mean("safety"), item("safety.protected-presenter"), item("safety.no-probing"),
                  *_presenter_form(review)],
                 [f"questions to the presenter in discussion: {review.questions_to_presenter}",
                  "most questions to the presenter in a row, in discussion: "
                  f"{longest_question_run(review)}",
                  f"marks of personal probing: {_marks(review, 'personal_probing')}"]),
        SkillRow("Establishes and maintains group norms",
                 [item("safety.rules-boundaries"), item("safety.all-speak")],
                 [f"present but never spoke (had no turn): {never} of {present}",
                  f"cases past their planned share: {over} of {len(review.cases)}"]),
        SkillRow("Promotes movement toward the group's task",
                 [mean("process"), item("process.promote")],
                 [f"marks of advice, medical detail or off task: "
                  f"{_marks(review, 'advice', 'medical_detail', 'off_task')}; "
                  f"back on task: {_marks(review, 'back_on_task')}; "
                  f"stuck: {_marks(review, 'stuck')}"]),
        SkillRow("Understands group process",
                 [item("process.stage"), item("process.parallel"), item("process.moods")],
                 [NOT_OBSERVABLE,
                  f"the group had met: {age_words(review)}",
                  f"marks of tension, singling out or too safe: "
                  f"{_marks(review, 'tension', 'singled_out', 'too_safe')}"]),
        SkillRow("Personality and style of the leader",
                 [mean("model"), item("model.uncertainty")],
                 [f"leader and coleader share of airtime: {percent(review.leader_share)}",
                  f"who broke each silence: leader or coleader {by_leader}, "
                  f"a member {by_member}; ended by a case or the end {by_nobody}"]),
    ]


# every fixed phrase above, for the export test
PHRASES = (
    "Creates a climate of safety, acceptance and trust",
    "Establishes and maintains group norms", "Promotes movement toward the group's task",
    "Understands group process", "Personality and style of the leader",
    "questions to the presenter in discussion",
    "most questions to the presenter in a row, in discussion",
    "marks of personal probing", "present but never spoke (had no turn) of",
    "cases past their planned share of",
    "marks of advice, medical detail or off task; back on task; stuck",
    "the group had met", "marks of tension, singling out or too safe", NOT_OBSERVABLE,
    "leader and coleader share of airtime",
    "who broke each silence: leader or coleader, a member; ended by a case or the end",
    *PRESENTER_BY.values(), "not rated", "N/A",
)

__all__ = ["NOT_OBSERVABLE", "PHRASES", "SkillRow", "longest_question_run", "silence_breakers",
           "skills"]
