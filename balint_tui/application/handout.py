"""The handout for the group: what the record keeps, in plain words (``balint-tui handout``).

One page the leaders can read out or hand round before a group's first recorded
session: what is recorded and what never is, where it stays, who sees it, how long it
is kept and how a member is forgotten.

It is built from what the store really keeps. ``stored_fields`` lists every kind of
field the tool writes, derived from the code's own registries: the event classes and
their fields (``domain.events``), the session and index records (``store.records``,
``domain.model``), the summary figures (``domain.metrics``), the rating forms' stored
keys (``store.ratings``) and the settings keys. ``FIELDS`` maps each to the topic of
the handout that describes it, and ``missing_fields`` names any that is not mapped (a
test keeps it empty: a new field written to disk fails it until the handout says it).
The marks are listed from the mark vocabulary and the forms from the forms themselves.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from balint_tui.application.keeping import SETTINGS_RETENTION, retention_months
from balint_tui.review.plain import counted

# The settings keys (``Store.settings()``) and the words the handout has for each. A
# new settings key (a ``SETTINGS_<NAME> = "<key>"`` constant beside its reader) is
# added here; the handout test finds the constants in the code.
SETTINGS_WORDS: dict[str, str] = {
    "theme": "the colours",
    "keymap": "their keys",
    "thresholds": "when the tool's prompts appear",
    SETTINGS_RETENTION: "how many months sessions are kept",
    "prompts": "how many prompts a new group starts with",
}

# ------------------------------------------------------------------ topics
# What is recorded, one plain sentence (or more) per topic, in the order printed.
# ``{marks}``, ``{forms}`` and ``{settings}`` are filled from the code's own lists.
RECORDED: dict[str, str] = {
    "names": "The group's name and each member's name, as the leaders typed them, and "
             "when a member joined or left the group. Names are the only words anyone "
             "types into it.",
    "plan": "When each session began and ended; its plan: how long, how many cases, "
            "which phases, in person or online, whether the leader or the coleader keeps "
            "this record, how many prompts the tool shows; minutes added to it.",
    "attendance": "Attendance: who was there, who came late, who stepped out and came "
                  "back, and at which minute.",
    "turns": "Who had the floor, and when: for each turn, who spoke, from which second "
             "to which, and whether it was a question to the presenter. Never what "
             "anyone said.",
    "silences": "Silences: when nobody had the floor, and for how long.",
    "cases": "Cases: who presented, when each case and each of its phases began, who "
             "waited in the queue or was carried over to the next session. Never what "
             "the case was about.",
    "marks": "Marks: a leader may tap a moment from a fixed list: {marks}. Once the "
             "session is filed, a mark is not linked to any member.",
    "prompts": "Which of the tool's fixed reminders for the leaders appeared, and what "
               "became of each.",
    "corrections": "A leader's undo and redo of a key pressed by mistake.",
    "figures": "Figures worked out at the end: each member's number of turns, seconds "
               "of speaking and when they first spoke; who never spoke; the leaders' "
               "share of the speaking; the longest silence; how evenly speaking time was "
               "spread.",
    "ratings": "The leaders' look back at their own leading: numbers from 1 to 5 on three "
               "fixed forms of the American Balint Society ({forms}), who filled in "
               "each, and which moments the leaders talked over. No comments.",
    "leaders": "The leaders' own session templates (a name and timings) and settings "
               "({settings}).",
    "breaks": "Breaks: when a session paused and went on again.",
    "logbook": "The leaders' logbook of their own training: for each session whether the "
               "leader or the coleader kept the record, in person or online, the planned "
               "minutes, how many topics, and the day it was taken to supervision (a "
               "date, no notes); sessions held elsewhere, added by hand with a date, a "
               "group's name, the role, the setting, the minutes and the number of cases.",
    "bookkeeping": "Bookkeeping: random ids that tie these together, and the version "
                   "of the files.",
}

NEVER: tuple[str, ...] = (
    "No words: nothing anyone says, no notes, no comments, no sound, no pictures.",
    "No case: no case title, no story, no diagnosis.",
    "No patient: nothing about any patient.",
    "No free text at all: `balint-tui audit` lists every kind of field on disk and "
    "flags anything that is not a name, a number, a time or a word from the tool's "
    "fixed lists.",
)

# ------------------------------------------------------------------ fields
# Every kind of field the store writes (as ``stored_fields`` spells it) -> its topic.
# Event types are ``events.<type>``, their fields ``events.<field>``; a session file's
# fields are at the top, the index's under its tables (``groups.``, ``sessions.``,
# ``templates.``, ``ratings.``, ``settings.value.``, ``meta.``).
_EVENT_TOPICS = {
    "start": "plan", "end": "plan", "extend": "plan",
    "arrive": "attendance", "leave": "attendance",
    "speak": "turns", "silence": "silences",
    "case": "cases", "queue": "cases", "unqueue": "cases", "phase": "cases", "topic": "cases",
    "mark": "marks", "prompt": "prompts", "undo": "corrections", "redo": "corrections",
    "pause": "breaks", "resume": "breaks",  # said only once the events exist
}
_EVENT_FIELDS = {
    "at": "plan", "type": "bookkeeping", "present": "attendance", "who": "turns",
    "to_presenter": "turns", "urgent": "cases", "phase": "cases", "kind": "marks",
    "minutes": "plan", "id": "prompts", "action": "prompts", "also": "prompts",
}
_PLAN = {"duration_min": "plan", "prompts": "plan", "setting": "plan", "role": "plan",
         "template": "plan"}
_TEMPLATE = {"name": "leaders", "duration_min": "plan", "cases": "plan", "phases": "plan",
             "latecomers_listen": "plan", "topic_sessions": "plan", "problem_solving": "plan"}
_SESSION = {"session_id": "bookkeeping", "group_id": "bookkeeping", "plan": "plan",
            "roster": "names", "started_wall": "plan", "carried": "cases",
            "format": "bookkeeping", "events": "bookkeeping", "summary": "figures"}
_SUMMARY = {"duration_s": "figures", "members": "figures", "turns": "figures",
            "airtime_s": "figures", "first_spoke_at": "figures",
            "leader_airtime_share": "figures", "never_spoke": "figures",
            "longest_silence_s": "figures", "balance": "figures"}
_INDEX_ROW = {"id": "bookkeeping", "group_id": "bookkeeping", "started_wall": "plan",
              "ended": "plan", "duration_s": "plan", "cases": "cases", "template": "plan",
              "attended": "attendance", "presented": "cases", "bumped": "cases",
              "late": "attendance", "left": "attendance", "away": "attendance",
              "prompts": "plan", "role": "logbook", "setting": "logbook",
              "planned_min": "logbook", "topics": "logbook", "supervised_on": "logbook",
              "paused_s": "breaks"}
_HAND_ENTRY = {"id": "bookkeeping", "by_hand": "logbook", "date": "logbook",
               "group": "names", "group_id": "bookkeeping", "role": "logbook",
               "setting": "logbook", "minutes": "logbook", "cases": "logbook",
               "supervised_on": "logbook"}
_GROUP = {"id": "bookkeeping", "name": "names", "members": "names",
          "default_template": "leaders", "prompts": "plan", "role": "logbook",
          "setting": "logbook"}
_MEMBER = {"id": "bookkeeping", "name": "names", "retired": "names", "joined": "names"}


def _fields() -> dict[str, str]:
    out: dict[str, str] = {}
    out.update({f"events.{t}": topic for t, topic in _EVENT_TOPICS.items()})
    out.update({f"events.{f}": topic for f, topic in _EVENT_FIELDS.items()})
    out.update(_SESSION)
    out.update({f"roster.{f}": "names" for f in ("id", "name")})
    out.update({f"plan.{f}": topic for f, topic in _PLAN.items()})
    out.update({f"plan.template.{f}": topic for f, topic in _TEMPLATE.items()})
    out.update({f"summary.{f}": topic for f, topic in _SUMMARY.items()})
    out.update({f"sessions.{f}": topic for f, topic in _INDEX_ROW.items()})
    out.update({f"groups.{f}": topic for f, topic in _GROUP.items()})
    out.update({f"groups.members.{f}": topic for f, topic in _MEMBER.items()})
    out.update({f"templates.{f}": "leaders" for f in _TEMPLATE})
    out.update({f"logbook.{f}": topic for f, topic in _HAND_ENTRY.items()})
    out.update({f"ratings.{k}": "ratings" for k in
                ("session_id", "items", "presenter", "presenter_rater", "coleader",
                 "coleader_rater", "talked", "presenter_no")})
    out.update({f"settings.value.{k}": "leaders" for k in SETTINGS_WORDS})
    out["meta.data_version"] = "bookkeeping"
    return out


FIELDS: dict[str, str] = _fields()


def _model_keys(prefix: str, model: type[BaseModel]) -> Iterator[str]:
    for name in model.model_fields:
        yield f"{prefix}{name}"


def stored_fields() -> list[str]:
    """Every kind of field the store writes, from the code's own registries."""
    from balint_tui.domain.events import EVENT_CLASSES
    from balint_tui.domain.metrics import summary
    from balint_tui.domain.model import Group, Member, SessionPlan, Template
    from balint_tui.domain.state import SessionState
    from balint_tui.store.logbook import HandEntry
    from balint_tui.store.ratings import FORM_KEYS, PRESENTER_NO, RATER_KEYS
    from balint_tui.store.records import IndexRow, RosterEntry, SessionRecord

    keys: list[str] = []
    for cls in EVENT_CLASSES:
        keys.append(f"events.{cls.type_name()}")
        keys += _model_keys("events.", cls)
    keys += _model_keys("", SessionRecord)
    keys += _model_keys("roster.", RosterEntry)
    keys += _model_keys("plan.", SessionPlan)
    keys += _model_keys("plan.template.", Template)
    plan = SessionPlan(duration_min=1, template=Template(name="x", duration_min=10, cases=1,
                                                         phases=("discussion",)))
    figures = summary(SessionState(plan, ["m1"]))
    for key, value in figures.items():
        keys.append(f"summary.{key}")
        if key == "members":
            keys += [f"summary.{k}" for k in value["m1"]]
    keys += _model_keys("sessions.", IndexRow)
    keys += _model_keys("groups.", Group)
    keys += _model_keys("groups.members.", Member)
    keys += _model_keys("templates.", Template)
    keys += _model_keys("logbook.", HandEntry)
    keys += ["ratings.session_id", *(f"ratings.{k}" for k in FORM_KEYS.values()),
             *(f"ratings.{k}" for k, _ in RATER_KEYS.values()), "ratings.talked",
             f"ratings.{PRESENTER_NO}"]
    keys += [f"settings.value.{k}" for k in SETTINGS_WORDS]
    keys.append("meta.data_version")
    return list(dict.fromkeys(keys))


def missing_fields() -> list[str]:
    """The kinds of field the store writes that the handout does not describe."""
    return [k for k in stored_fields() if k not in FIELDS]


# fields whose keys are ids, rating items or a setting's own names: what is below them
# is described with them
OPEN_FIELDS = frozenset({"ratings.items", "ratings.presenter", "ratings.coleader",
                         "summary.members", "settings.value.keymap",
                         "settings.value.thresholds"})


def describes(path: str) -> bool:
    """Whether a field path (``sessions.late``, ``ratings.items.model.roles``) is
    described, itself or as part of an open field."""
    parts = path.split(".")
    return path in FIELDS or any(".".join(parts[:n]) in OPEN_FIELDS
                                 for n in range(len(parts) - 1, 0, -1))


# ------------------------------------------------------------------ the page
@dataclass(frozen=True)
class Handout:
    title: str
    intro: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # heading, its paragraphs or items


def _marks() -> str:
    from balint_tui.domain.vocabulary import MARK_KINDS, MARK_LABELS

    return ", ".join(MARK_LABELS.get(k, k.replace("_", " ")) for k in MARK_KINDS)


def _forms() -> str:
    from balint_tui.review.abs_items import forms

    return ", ".join(f.title.lower() for f in forms().values())


def _settings() -> str:
    words = list(SETTINGS_WORDS.values())
    return ", ".join(words[:-1]) + " and " + words[-1]


def recorded() -> list[str]:
    """What is recorded: one line per topic that a stored field belongs to."""
    used = {FIELDS[k] for k in stored_fields() if k in FIELDS}
    fill = {"marks": _marks(), "forms": _forms(), "settings": _settings()}
    return [text.format(**fill) for topic, text in RECORDED.items() if topic in used]


def build_handout(data_dir: Path, settings: dict[str, Any], *, exists: bool) -> Handout:
    """The page, for the data folder ``data_dir`` and its ``settings``."""
    from balint_tui.domain.names import safe_display

    where = [f"On this computer only, in the data folder {safe_display(str(data_dir))}"
             + ("." if exists else " (made when the first session is saved).")
             + " Nothing is sent anywhere: there is no account and no cloud. A second "
             "screen the leaders may open on the running session shows it and keeps "
             "nothing."]
    months = retention_months(settings)
    if months is None:
        kept = ("Until the leaders delete it; no time limit is set. They can delete the "
                "sessions held before a date: `balint-tui delete sessions --before DATE`.")
    else:
        kept = (f"{counted(months, 'month')}: when the tool starts, it "
                "offers to delete older sessions (never without asking). The leaders can "
                "also delete the sessions held before a date: "
                "`balint-tui delete sessions --before DATE`.")
    return Handout(
        title="What the record of our Balint group keeps",
        intro=("The leaders keep the time of our sessions with balint-tui: a clock, a timer "
               "for each case, and who has the floor. This page says what it keeps."),
        sections=(
            ("What is recorded", tuple(recorded())),
            ("What is never recorded", NEVER),
            ("Where it stays", tuple(where)),
            ("Who sees it", (
                "The group's leaders, for their own look back at how they led. It is not "
                "used to evaluate members: what happens in the group is not material for "
                "assessing trainees or for quality review.",
                "A report the leaders export shows members as M1, M2, ..., drawn at random "
                "for each report, unless they ask for names; a report with names stays "
                "with the leaders.",
            )),
            ("How long it is kept", (kept,)),
            ("How to be forgotten", (
                "A member who leaves can ask to be forgotten. The leaders run "
                "`balint-tui forget GROUP MEMBER`: the member's name is removed from every "
                "file, and in the roster and past sessions they become \"former member\", "
                "so the group's figures still add up.",
            )),
        ),
    )


def _fill(text: str, bullet: bool) -> str:
    """Wrapped at 78 columns, a command (between backticks) kept on one line."""
    from textwrap import fill

    parts = text.split("`")
    joined = "".join(p.replace(" ", "\x00") if i % 2 else p for i, p in enumerate(parts))
    indent = ("- ", "  ") if bullet else ("", "")
    wrapped = fill(joined, 78, initial_indent=indent[0], subsequent_indent=indent[1],
                   break_on_hyphens=False, break_long_words=False)
    return wrapped.replace("\x00", " ")


def to_text(page: Handout) -> str:
    lines = [page.title, "=" * len(page.title), "", _fill(page.intro, False)]
    for heading, items in page.sections:
        lines += ["", heading, "-" * len(heading)]
        lines += [_fill(item, len(items) > 1) for item in items]
    return "\n".join(lines) + "\n"


def to_markdown(page: Handout) -> str:
    lines = [f"# {page.title}", "", page.intro]
    for heading, items in page.sections:
        lines += ["", f"## {heading}", ""]
        bullets = len(items) > 1
        lines += [f"- {item}" if bullets else item for item in items]
    return "\n".join(lines) + "\n"


def _html_inline(text: str) -> str:
    """Escaped, with `code` spans."""
    parts = html.escape(text, quote=True).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def to_html(page: Handout) -> str:
    body = [f"<h1>{_html_inline(page.title)}</h1>", f"<p>{_html_inline(page.intro)}</p>"]
    for heading, items in page.sections:
        body.append(f"<h2>{_html_inline(heading)}</h2>")
        if len(items) > 1:
            body.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in items) + "</ul>")
        else:
            body += [f"<p>{_html_inline(i)}</p>" for i in items]
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_html_inline(page.title)}</title>"
            "<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;"
            "line-height:1.4}</style></head>\n<body>\n" + "\n".join(body)
            + "\n</body></html>\n")


RENDERERS = {"text": to_text, "md": to_markdown, "html": to_html}

__all__ = [
    "FIELDS",
    "RENDERERS",
    "SETTINGS_WORDS",
    "Handout",
    "build_handout",
    "describes",
    "missing_fields",
    "recorded",
    "stored_fields",
    "to_html",
    "to_markdown",
    "to_text",
]
