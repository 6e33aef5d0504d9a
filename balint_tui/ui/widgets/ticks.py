"""Tick boxes that read without colour: a ticked box shows X, an unticked one a blank.

Textual draws both as ``▐X▌`` and tells them apart by colour alone, which NO_COLOR
(and a dim screen) loses; here the X itself says it."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

UNTICKED = " "
TICKED: str = Checkbox.BUTTON_INNER  # Textual's X


class TickList(SelectionList[str]):
    """A SelectionList whose unticked boxes are blank, not a dimmer X."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return strip
        if self.get_option_at_index(index).value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != TICKED:
            return strip
        segments[1] = Segment(UNTICKED, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)


class TickBox(Checkbox):
    """A Checkbox whose box is blank when off."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's name, read per draw
        return TICKED if self.value else UNTICKED


__all__ = ["UNTICKED", "TickBox", "TickList"]
