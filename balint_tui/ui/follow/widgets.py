"""Widgets of the follow view: large digits, few words, names as typed.

Each renders one record of ``ui.follow_view`` (or ``ui.view``) held in a reactive,
so it repaints only when its record changes. The session clock is the live screen's
own ``SessionClock``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Digits, Static

from balint_tui.ui import fmt
from balint_tui.ui.follow_view import (
    STATUS_WORDS,
    CardsView,
    CaseLeftView,
    NotYetView,
    StatusView,
)
from balint_tui.ui.widgets.floor import FloorPanel
from balint_tui.ui.widgets.repaint import set_digits, set_text, set_title


class CaseLeft(Vertical):
    """The case: its time left in large digits; presenter and phase below."""

    view: reactive[CaseLeftView | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Digits("", id="case-left")
        yield Static("", id="case-detail", markup=False)

    def watch_view(self, view: CaseLeftView | None) -> None:
        if view is None or not self.is_mounted:
            return
        digits = self.query_one("#case-left", Digits)
        detail = self.query_one("#case-detail", Static)
        self.update_classes({"-idle": view.number == 0, "-over": view.over})
        if view.number == 0:
            set_title(self, "Case")
            set_digits(digits, "")
            digits.display = False
            text = f"no case running · {view.done} of {view.planned_cases} done"
            if view.phase:
                text = f"{view.phase} · {text}"
            set_text(detail, Content(text))
            return
        digits.display = True
        set_title(self, f"{fmt.case_of(view.number, view.planned_cases)} · "
                  + ("over" if view.over else "left"))
        set_digits(digits, view.left)
        set_text(detail, Content.assemble(
            (fmt.display_name(view.presenter), "bold"), " · ", view.phase or "no phase yet"
        ))

    def on_mount(self) -> None:
        self.watch_view(self.view)


class FollowFloor(FloorPanel):
    """Who holds the floor and for how long, or the silence timer: the live screen's
    panel, in fewer words and with the follow view's own ids (``follow.tcss``)."""

    TIME_ID, WHO_ID = "follow-floor-time", "follow-floor-who"
    SILENCE_TEXT = "silence"

    def open_text(self) -> str:
        return "open"

    def break_text(self) -> str:
        return "break"


class NotYet(Static):
    """Present members, presenter aside, with no turn yet in this case."""

    view: reactive[NotYetView | None] = reactive(None)

    def watch_view(self, view: NotYetView | None) -> None:
        if view is None:
            return
        set_title(self, "Not spoken yet in this case")
        self.set_class(bool(view.names), "-waiting")
        if not view.in_case:
            set_text(self, Content("–"))
        elif not view.names:
            set_text(self, Content("everyone has spoken"))
        else:
            set_text(self, Content(", ".join(fmt.display_name(n) for n in view.names)))


class FollowCards(Static):
    """The visible prompt cards (at most three), top card first."""

    view: reactive[CardsView | None] = reactive(None)

    def watch_view(self, view: CardsView | None) -> None:
        if view is None:
            return
        self.set_class(bool(view.cards), "-attention")
        set_title(self, f"Prompts ({len(view.cards)})" if view.cards else "Prompts")
        if not view.cards:
            set_text(self, Content("no prompt"), layout=False)
            return
        lines = []
        for i, card in enumerate(view.cards):
            # a card about a member names them in its line (``Card.member_line``)
            style = "bold" if i == 0 else ""
            lines.append(Content.assemble(
                ("▸ " if i == 0 else "  ", style), (card.line, style),
                (f" · {card.age}", "dim"),
            ))
        set_text(self, Content("\n").join(lines), layout=False)


class FollowStatus(Static):
    """One line: the group, live or waiting, read-only, q quits."""

    view: reactive[StatusView | None] = reactive(None)

    def watch_view(self, view: StatusView | None) -> None:
        if view is None:
            return
        self.update_classes({"-waiting": view.status != "live"})
        word = STATUS_WORDS.get(view.status, view.status)
        parts: list[Content | str | tuple[str, str]] = []
        if view.group:
            parts += [(fmt.display_name(view.group), "bold"), " · "]
        parts.append((word, "reverse" if view.status != "live" else "bold"))
        if view.problem:
            parts += [" · ", fmt.display_name(view.problem)]
        parts.append(" · read-only · q quits")
        set_text(self, Content.assemble(*parts), layout=False)
