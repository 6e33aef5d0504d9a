"""Participation: every present member in roster order (never sorted by airtime).

A member with no turn yet in the current case carries a ``○``, bold, with "not yet"
where their case figures would be, so the leader sees at a glance who has not spoken
(members who have spoken are muted); the presenter carries ``P``, whoever holds
the floor ``▶``. Columns: the digit that gives the floor, turns and airtime in this case
and in the session.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from balint_tui.ui import fmt
from balint_tui.ui.view import MemberRow, ParticipationView
from balint_tui.ui.widgets.repaint import set_title


class ParticipationPanel(Widget):
    """Renders a ``ParticipationView``."""

    view: reactive[ParticipationView | None] = reactive(None)

    def watch_view(self, view: ParticipationView | None) -> None:
        if view is None:
            return
        self.set_class(any(r.not_yet for r in view.rows), "-waiting")
        title = "Who has spoken"
        if view.pages > 1:
            title += f" · keys page {view.page + 1}/{view.pages} (< >)"
        set_title(self, title)

    def render(self) -> Content:
        view = self.view
        if view is None:
            return Content("")
        width = max(20, self.content_region.width or self.size.width)
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
        key = f"{row.key:>2} " if row.key else "   "
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


# Bold, reverse and dim keep the cues under NO_COLOR, next to the glyphs; the accent
# colour is kept for prompt cards.
_STYLES = {
    "header": "dim",
    "not-yet": "bold",
    "speaking": "bold",
    "spoken": "$text-muted",
    "dim": "dim",
}
