"""Participation: every present member in roster order (never sorted by airtime).

A member with no turn yet in the current case carries a ``○``, bold, with "not yet"
where their case figures would be, so the leader sees at a glance who has not spoken
(members who have spoken are muted); the presenter carries ``P``, whoever holds
the floor ``▶``. Columns: the digit that gives the floor, turns and airtime in this case
and in the session.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from balint_tui.ui import fmt
from balint_tui.ui.view import MemberRow, ParticipationView
from balint_tui.ui.widgets.repaint import set_title


def line_count(view: ParticipationView) -> int:
    """How many lines ``render`` gives ``view``."""
    return 1 + len(view.rows) + bool(view.rows) + len(view.leaders) + bool(view.absent)


class ParticipationPanel(Widget):
    """Renders a ``ParticipationView``. As tall as its lines (a key re-renders those
    lines, not the empty rest of the column); a layout pass only when their number
    changes (a member arrives or leaves, a page turns)."""

    view: reactive[ParticipationView | None] = reactive(None)

    def watch_view(self, old: ParticipationView | None, view: ParticipationView | None) -> None:
        if view is None:
            return
        if old is None or line_count(old) != line_count(view):
            self.refresh(layout=True)
        self.set_class(any(r.not_yet for r in view.rows), "-waiting")
        title = "Who has spoken"
        if view.paged:
            title += " · >1 is > then 1"
        set_title(self, title)

    def render(self) -> Visual:
        return _Table(self)

    def lines_at(self, width: int) -> Content:
        """The panel's text ``width`` cells wide."""
        view = self.view
        if view is None:
            return Content("")
        width = max(20, width)
        show_session = width >= 30
        cols = 9 if show_session else 0
        name_w = min(24, max(6, width - 5 - 9 - cols))
        lines: list[Content] = []
        header = f"{'':5}{'':{name_w}} {'case':>8}"
        if show_session:
            header += f" {'session':>8}"
        lines.append(Content.styled(header, self._style("header")))
        for row in view.rows:
            lines.append(self._row(row, name_w, show_session, view.in_case))
        if view.rows:
            lines.append(Content(""))
        for row in view.leaders:
            lines.append(self._row(row, name_w, show_session, view.in_case))
        if view.absent:
            absent = "absent: " + ", ".join(view.absent)
            lines.append(
                Content.styled(fmt.display_name(absent, width), self._style("dim"))
            )
        return Content("\n").join(lines)

    def _row(self, row: MemberRow, name_w: int, show_session: bool, in_case: bool) -> Content:
        if row.speaking:
            marker = "▶"
        elif row.presenter:
            marker = "P"
        elif row.not_yet:
            marker = "○"
        else:
            marker = " "
        key = f"{row.key[:3]:>2} " if row.key else "   "
        name = fmt.display_name(row.name, name_w)
        if not in_case:
            case_cols = f"{'–':>8}"
        elif row.not_yet:
            case_cols = f"{'not yet':>8}"
        else:
            case_cols = f"{row.case_turns:>2} {fmt.mmss(row.case_air):>5}"
        text = f"{key}{marker} {name:<{name_w}} {case_cols}"
        if show_session:
            text += f" {row.turns:>2} {fmt.mmss(row.air):>5}"
        if row.not_yet:
            return Content.styled(text, self._style("not-yet"))
        if row.speaking:
            return Content.styled(text, self._style("speaking"))
        return Content.styled(text, self._style("spoken"))

    @staticmethod
    def _style(role: str) -> str:
        return _STYLES[role]


class _Table(Visual):
    """The panel's lines, laid out for the width Textual renders them at: the name
    column takes what the number columns leave. (A ``render`` that asked the widget for
    its width would have Textual arrange the whole screen again after every layout
    pass, only to answer.)"""

    def __init__(self, panel: ParticipationPanel) -> None:
        self.panel = panel

    def __str__(self) -> str:
        """The text at the panel's present width (as ``str(Content)`` gives it)."""
        return self.panel.lines_at(self.panel.content_size.width).plain

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        view = self.panel.view
        return line_count(view) if view is not None else 1

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.panel.lines_at(width).render_strips(width, height, style, options)


# Bold, reverse and dim keep the cues under NO_COLOR, next to the glyphs; the accent
# colour is kept for prompt cards.
_STYLES = {
    "header": "dim",
    "not-yet": "bold",
    "speaking": "bold",
    "spoken": "$text-muted",
    "dim": "dim",
}
