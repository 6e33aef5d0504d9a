"""The current case: presenter, phase, and the time left of the case's share, large.

On a big terminal the phase name is drawn in large letters and the time left in large
digits (``phase_big`` and ``scale``, set by the screen for its size); at 80x24 the
phase is a reversed word and the time left takes 3 rows; on a short terminal all is
text. The number of lines depends on those settings only, never on the time, so the
clock ticking repaints without a layout pass. Over the case's share the time left is
a reversed block with OVER and the overrun.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from balint_tui.ui import bigtext, fmt
from balint_tui.ui.view import CaseView
from balint_tui.ui.widgets.clock import OVER_STYLE, Part, big_parts
from balint_tui.ui.widgets.repaint import set_text, set_title


def line_count(scale: int, phase_big: bool) -> int:
    """Lines the panel shows (title apart) at these settings."""
    if scale == 0:
        return 3
    return (bigtext.rows(1) + 1 if phase_big else 2) + bigtext.rows(scale)


class CasePanel(Static):
    """Renders a ``CaseView``."""

    view: reactive[CaseView | None] = reactive(None)
    scale = 1  # the time left: bigtext scale, 0 for one line of text
    phase_big = False  # the phase name in large letters
    start_key = "s"  # the key that starts the next case, as mapped

    def set_size(self, scale: int, phase_big: bool) -> None:
        if (scale, phase_big) != (self.scale, self.phase_big):
            self.scale, self.phase_big = scale, phase_big
            self.watch_view(self.view)

    def on_resize(self) -> None:
        self.watch_view(self.view)

    def watch_view(self, view: CaseView | None) -> None:
        if view is None:
            return
        self.update_classes({"-idle": view.number == 0, "-over": view.over})  # one restyle
        parts, count = self._parts(view)
        height = line_count(self.scale, self.phase_big)
        parts += ["\n"] * (height - count)
        set_text(self, Content.assemble(*parts))

    def _parts(self, view: CaseView) -> tuple[list[Part], int]:
        """The panel's text as parts for one ``Content.assemble``, and its lines."""
        lines = self._lines(view)
        if isinstance(lines, tuple):  # the time left in large digits, after the lines
            head, block = lines
            parts: list[Part] = []
            for line in head:
                parts += [*line, "\n"]
            return parts + block, len(head) + bigtext.rows(self.scale)
        parts = []
        for i, line in enumerate(lines):
            parts += ["\n", *line] if i else list(line)
        return parts, len(lines)

    def _lines(self, view: CaseView) -> Any:
        if view.number == 0:
            set_title(self, "Case")
            return [
                (f"No case running ({view.done} of {view.planned_cases} done)",),
                (f"{self.start_key} starts the next queued case",),
            ]
        who = "Topic" if view.topic else f"{view.presenter} presenting"
        # set_title draws the presenter's name literally (a Content, never markup)
        set_title(self, f"{fmt.case_of(view.number, view.planned_cases)} · {who}")
        names = [name for name, _ in view.phases]
        now = next((i for i, (_, status) in enumerate(view.phases) if status == "now"), None)
        where = ""
        if now is not None:
            after = f"next {names[now + 1]}" if now + 1 < len(names) else "last phase"
            where = f" · {now + 1} of {len(names)}, {after}"
        phase = view.phase or "no phase yet (n)"
        timing = f" {view.phase_time}" if view.phase else ""
        # who presents is in the title: said once
        lines: list[tuple[Part, ...]] = []
        room = self.content_size.width or self.app.size.width // 2
        if self.phase_big and view.phase and bigtext.width(phase, 1) <= room:
            lines += [((line, "bold"),) for line in bigtext.big_lines(phase, 1)]
            lines.append((f"phase{timing}{where}",))
        else:
            # the phase and its time, then where it stands: each line whole at 80x24
            lines.append(((f" {phase.upper()} ", "bold reverse"), timing))
            lines.append((f"phase {where[3:]}" if where else "",))
        of = f"of {view.case_planned}"
        if self.scale == 0:
            if view.over:
                lines.append(((f" OVER {view.case_left} ", OVER_STYLE),
                              f" case {view.case_time} {of}"))
            else:
                lines.append((f"left {view.case_left} {of} · case {view.case_time}",))
            return lines
        label = ("OVER", of, f"case {view.case_time}") if view.over else (
            "left in case", of, f"case {view.case_time}")
        return lines, big_parts(view.case_left, self.scale, room, over=view.over, label=label)
