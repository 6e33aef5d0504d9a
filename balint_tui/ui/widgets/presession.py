"""The pre-session panel of the setup screen: queue (carried-over cases first),
follow-ups, flagged members. Renders a ``PreSession`` with names, literally."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from balint_tui.domain.group_age import GroupAge
from balint_tui.domain.presession import PreSession

LABEL_WIDTH = 11
# before a group's first recorded session (issue 23): the group is told what is kept
TELL_THE_GROUP = "Tell the group what is recorded: balint-tui handout prints a page."
FLAG_LABELS = {"new": "New", "back": "Back", "absent": "Missing"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def age_words(age: GroupAge) -> str:
    """``14 months, since Sep 2025`` / ``<1 month, since 10 Nov``: a fact, no stage."""
    if age.first is None:
        return ""
    if age.months:
        return f"{_plural(age.months, 'month')}, since {age.first.strftime('%b %Y')}"
    return f"<1 month, since {age.first.strftime('%d %b')}"


Name = Callable[[str], str]
Row = tuple[str, list[Content]]


def _away(here: bool) -> Content:
    return Content("") if here else Content.styled(" (away)", "italic")


def _names(names: tuple[str, ...], name: Name) -> Content:
    return Content(", ").join(Content(name(m)) for m in names)


def _case_rows(view: PreSession, name: Name) -> list[Row]:
    rows: list[Row] = []
    if view.queue:
        rows.append(("Queue", [
            Content.assemble(f"{n}. ", (name(q.who), "bold"), " carried over", _away(q.here))
            for n, q in enumerate(view.queue, 1)
        ]))
    if view.follow_ups:
        rows.append(("Follow-up", [Content.assemble(name(f.who), _away(f.here))
                                   for f in view.follow_ups]))
    return rows


def _flag_rows(view: PreSession, name: Name) -> list[Row]:
    rows: list[Row] = []
    for kind, label in FLAG_LABELS.items():
        flags = [f for f in view.flags if f.kind == kind]
        if flags:
            rows.append((label, [
                Content(name(f.who)) if kind == "new"
                else Content.assemble(name(f.who), f" (missed {f.missed})")
                for f in flags
            ]))
    return rows


def _age_rows(age: GroupAge | None, name: Name) -> list[Row]:
    if age is None:
        return []
    rows: list[Row] = []
    if age.first is not None:
        rows.append(("Age", [Content(age_words(age))]))
    if age.joined or age.left:
        parts = []
        if age.joined:
            parts.append(Content("joined ") + _names(age.joined, name))
        if age.left:
            parts.append(Content("left ") + _names(age.left, name))
        rows.append(("Turnover", [Content(f"last {age.window}: ") + Content("; ").join(parts)]))
    return rows


def presession_content(view: PreSession, name: Name) -> Content:
    """Lines of the panel; ``name`` turns a member key into a safe display name."""
    if not view.sessions:
        return Content(f"First session of this group.\n{TELL_THE_GROUP}")
    head = _plural(view.sessions, "past session")
    if view.last_date is not None:
        head += f" · last {view.last_date.strftime('%a %d %b')}"
    rows = [*_case_rows(view, name), *_flag_rows(view, name), *_age_rows(view.age, name)]
    lines: list[Content] = [Content(head)] + [
        Content.assemble((label.ljust(LABEL_WIDTH), "bold"), Content(", ").join(parts))
        for label, parts in rows
    ]
    if not rows:
        lines.append(Content("Nothing carried over; nobody to flag."))
    return Content("\n").join(lines)


class PreSessionPanel(Static):
    """Shows the pre-session view handed to ``show``."""

    text: reactive[Content] = reactive(Content(""), layout=True)

    def show(self, view: PreSession | None, name: Callable[[str], str]) -> None:
        self.text = Content("") if view is None else presession_content(view, name)

    def watch_text(self, text: Content) -> None:
        self.update(text)
