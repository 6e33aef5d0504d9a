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


def presession_content(view: PreSession, name: Callable[[str], str]) -> Content:
    """Lines of the panel; ``name`` turns a member key into a safe display name."""
    if not view.sessions:
        return Content("First session of this group.")
    head = _plural(view.sessions, "past session")
    age = view.age
    if view.last_date is not None:
        head += f" · last {view.last_date.strftime('%a %d %b')}"
    lines: list[Content] = [Content(head)]

    def row(label: str, parts: list[Content]) -> None:
        lines.append(
            Content.assemble((label.ljust(LABEL_WIDTH), "bold"), Content(", ").join(parts))
        )

    def away(here: bool) -> Content:
        return Content("") if here else Content.styled(" (away)", "italic")

    if view.queue:
        row("Queue", [
            Content.assemble(f"{n}. ", (name(q.who), "bold"), " carried over", away(q.here))
            for n, q in enumerate(view.queue, 1)
        ])
    if view.follow_ups:
        row("Follow-up", [Content.assemble(name(f.who), away(f.here)) for f in view.follow_ups])
    for kind, label in FLAG_LABELS.items():
        flags = [f for f in view.flags if f.kind == kind]
        if not flags:
            continue
        parts = []
        for f in flags:
            if kind == "new":
                parts.append(Content(name(f.who)))
            else:
                parts.append(Content.assemble(name(f.who), f" (missed {f.missed})"))
        row(label, parts)
    if age is not None and age.first is not None:
        row("Age", [Content(age_words(age))])
    if age is not None and (age.joined or age.left):
        parts = []
        if age.joined:
            parts.append(Content("joined ") + Content(", ").join(Content(name(m)) for m in age.joined))
        if age.left:
            parts.append(Content("left ") + Content(", ").join(Content(name(m)) for m in age.left))
        row("Turnover", [Content(f"last {age.window}: ")
                         + Content("; ").join(parts)])
    if len(lines) == 1:
        lines.append(Content("Nothing carried over; nobody to flag."))
    return Content("\n").join(lines)


class PreSessionPanel(Static):
    """Shows the pre-session view handed to ``show``."""

    text: reactive[Content] = reactive(Content(""), layout=True)

    def show(self, view: PreSession | None, name: Callable[[str], str]) -> None:
        self.text = Content("") if view is None else presession_content(view, name)

    def watch_text(self, text: Content) -> None:
        self.update(text)
