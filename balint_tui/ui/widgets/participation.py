"""Participation: every present member in roster order (never sorted by airtime).

A member with no turn yet in the current case carries a ``○``, bold, with "not yet"
where their case figures would be, so the leader sees at a glance who has not spoken
(members who have spoken are muted); the presenter carries ``P``, whoever holds
the floor ``▶``. Columns: the digit that gives the floor, turns and airtime in this case
and in the session.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
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

COMPACT_BELOW = 24  # terminal rows: below, no column header and no blank line


def line_count(view: ParticipationView, compact: bool = False) -> int:
    """How many lines ``render`` gives ``view`` (``compact``: a short terminal, where
    the column header and the blank line before the leaders go, so that twelve
    members and the Coleader row fit in 20 rows)."""
    extra = 0 if compact else 1 + bool(view.rows)
    return extra + len(view.rows) + len(view.leaders) + bool(view.absent or view.left)


class ParticipationPanel(Widget):
    """Renders a ``ParticipationView``. As tall as its lines (a key re-renders those
    lines, not the empty rest of the column); a layout pass only when their number
    changes (a member arrives or leaves, a page turns)."""

    view: reactive[ParticipationView | None] = reactive(None)

    def watch_view(self, old: ParticipationView | None, view: ParticipationView | None) -> None:
        if view is None:
            return
        if old is None or line_count(old, self.compact) != line_count(view, self.compact):
            self.refresh(layout=True)
        self.set_class(any(r.not_yet for r in view.rows), "-waiting")
        title = "Who has spoken"
        if view.paged:
            title += " · >1 is > then 1"
        set_title(self, title)

    @property
    def compact(self) -> bool:
        try:
            return self.app.size.height < COMPACT_BELOW
        except Exception:  # no app yet
            return False

    def render(self) -> Visual:
        return _Table(self)

    def lines_at(self, width: int) -> Content:
        """The panel's text ``width`` cells wide: no line wraps, whatever the names
        (wide CJK characters count two cells) or the counts (1,000 turns)."""
        view = self.view
        if view is None:
            return Content("")
        width = max(20, width)
        cols = _Columns(view.rows + view.leaders)
        show_session = width >= 30 and width - 5 - cols.case_w - cols.session_w - 2 >= 6
        session_w = cols.session_w + 1 if show_session else 0
        name_w = min(24, max(6, width - 5 - (cols.case_w + 1) - session_w))
        lines: list[Content] = []
        compact = self.compact
        header = f"{'':5}{'':{name_w}} {'case':>{cols.case_w}}"
        if show_session:
            header += f" {'session':>{cols.session_w}}"
        if not compact:
            lines.append(Content.styled(header, self._style("header")))
        for row in view.rows:
            lines.append(self._row(row, name_w, show_session, view.in_case, cols, width))
        if view.rows and not compact:
            lines.append(Content(""))
        for row in view.leaders:
            lines.append(self._row(row, name_w, show_session, view.in_case, cols, width))
        if view.absent or view.left:
            absent = " · ".join(f"{word}: " + ", ".join(names) for word, names in (
                ("absent", view.absent), ("left", view.left)) if names)
            lines.append(
                Content.styled(fmt.display_name(absent, width), self._style("dim"))
            )
        return Content("\n").join(lines)

    def _row(self, row: MemberRow, name_w: int, show_session: bool, in_case: bool,
             cols: _Columns, width: int) -> Content:
        if row.speaking:
            marker = "▶"
        elif row.presenter:
            marker = "P"
        elif row.not_yet:
            marker = "○"
        else:
            marker = " "
        key = f"{row.key[:3]:>2} " if row.key else "   "
        name = fmt.fit(row.name, name_w)
        if not in_case:
            case_cols = f"{'–':>{cols.case_w}}"
        elif row.not_yet:
            case_cols = f"{'not yet':>{cols.case_w}}"
        else:
            case_cols = cols.case(row.case_turns, row.case_air)
        text = f"{key}{marker} {name} {case_cols}"
        if show_session:
            text += " " + cols.session(row.turns, row.air)
        if cell_len(text) > width:  # a narrow panel: cut, never wrap
            text = set_cell_size(text, width)
        if row.not_yet:
            return Content.styled(text, self._style("not-yet"))
        if row.speaking:
            return Content.styled(text, self._style("speaking"))
        return Content.styled(text, self._style("spoken"))

    @staticmethod
    def _style(role: str) -> str:
        return _STYLES[role]


class _Columns:
    """Widths of the number columns: turns and airtime, as wide as the widest figure
    (at least ``99 59:59``), so a 1,000th turn widens its column instead of wrapping."""

    def __init__(self, rows: Sequence[MemberRow]) -> None:
        self.turns_w = max([2, *(len(str(r.case_turns)) for r in rows)])
        self.air_w = max([5, *(len(fmt.mmss(r.case_air)) for r in rows)])
        self.s_turns_w = max([2, *(len(str(r.turns)) for r in rows)])
        self.s_air_w = max([5, *(len(fmt.mmss(r.air)) for r in rows)])
        self.case_w = max(8, self.turns_w + 1 + self.air_w)
        self.session_w = max(8, self.s_turns_w + 1 + self.s_air_w)

    def case(self, turns: int, air: float) -> str:
        return f"{turns:>{self.turns_w}} {fmt.mmss(air):>{self.air_w}}".rjust(self.case_w)

    def session(self, turns: int, air: float) -> str:
        return f"{turns:>{self.s_turns_w}} {fmt.mmss(air):>{self.s_air_w}}".rjust(
            self.session_w)


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
        return line_count(view, self.panel.compact) if view is not None else 1

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
