"""The blocks a session report is made of, and every fixed phrase it prints.

A report (``report.build_report``) is a list of plain blocks (headings, paragraphs,
tables, charts) that the renderers (``render``) turn into markdown, HTML, SVG and CSV.
Every fixed phrase a report prints is in ``TEXT`` so a test can check that nothing
else gets in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from balint_tui.review.labels import Labels
from balint_tui.review.session import LONG_SILENCE_S, SessionReview
from balint_tui.review.trends import TrendPoint

# Every fixed phrase of a report (headings, row and column titles, notes).
TEXT = {
    "title": "Session review",
    "session": "session",
    "date": "date",
    "group": "group",
    "template": "template",
    "prompts_level": "cards",
    "role": "as",
    "setting": "met",
    "planned": "planned",
    "ran": "ran",
    "planned_end": "planned end",
    "people": "members are shown as M1, M2, ...: the numbering is drawn at random for this "
              "export (another export numbers them differently; it does not follow the roster)",
    "people_named": "members are shown by name: a named export stays with the leaders "
                    "(ground rule 2: group material is not for evaluating members)",
    "figures": "Figures",
    "skills": "Johnson's five skills",
    "skills_note": "the ratings beside figures of the session where they touch: the "
                   "figures are context, not measures of the skill",
    "skill": "skill",
    "rated": "rated",
    "shape": "context (not a measure)",
    "age": "the group had met",
    "turnover": "turnover in the last",
    "figure": "figure",
    "value": "value",
    "balance": "balance (evenness of members' airtime, 1 = even)",
    "leader_share": "leader and coleader share of airtime",
    "longest_silence": "longest silence",
    "long_silences": f"silences of {int(LONG_SILENCE_S)} s or more",
    "questions": "questions to the presenter, by phase",
    "never_spoke": "present, never spoke",
    "absent": "absent",
    "late": "arrived late",
    "left": "left early",
    "left_at": "left",
    "back_at": "back",
    "topic": "topic",
    "none": "none",
    # resolved and replaced cards are in the prompts table (a longer label would wrap)
    "prompts_line": "prompts surfaced, acted, dismissed, expired, open",
    "cases": "Cases",
    "case": "case",
    "presenter": "presenter",
    "start": "start",
    "length": "length",
    "difference": "difference",
    "phases": "phases",
    "timeline": "Timeline",
    "events": "Events in time order",
    "marks_note": "a mark names no member once the session is filed (ground rule 2: group "
                  "material is not for evaluating members)",
    "time": "time",
    "event": "event",
    "who": "who",
    "phase_starts": "phase",
    "silence": "silence",
    "mark": "mark",
    "prompt": "prompt",
    "participation": "Participation",
    "member": "member",
    "airtime": "airtime",
    "turns": "turns",
    "first_spoke": "first spoke",
    "bar": "bar",
    "transitions": "Who spoke after whom",
    "transitions_note": "rows: the speaker before; columns: the speaker after",
    "prompts": "Prompts",
    "surfaced": "surfaced",
    "card": "card",
    "outcome": "outcome",
    "closed": "closed",
    "rating": "Ratings",
    "rating_note": "American Balint Society leader evaluation forms",
    "rated_by": "rated by",
    "not_chosen": "not chosen",
    "form_means": "section means of each form",
    "item": "item",
    "section_mean": "section mean",
    "context_item": "context, in no mean",
    "not_rated": "not rated",
    "na": "N/A",
    "trends": "Trends",
    "trends_note": "this group's sessions up to this one, oldest first",
    "sessions": "sessions",
    "legend": "Legend",
}

# ------------------------------------------------------------------ blocks
@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    name: str
    svg: str
    text_lines: list[str] = field(default_factory=list)


Block = Heading | Para | Table | Chart


@dataclass
class Report:
    review: SessionReview
    labels: Labels
    points: list[TrendPoint]
    group_name: str | None
    blocks: list[Block]


def num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


__all__ = ["TEXT", "Block", "Chart", "Heading", "Para", "Report", "Table", "num"]
