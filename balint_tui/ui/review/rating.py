"""The self-rating form: the ABS leader evaluation items, keyboard only, saved per key.

Up/down (or j/k, tab) move between items; 1-5 rate, n marks N/A, backspace clears.
Every change is posted as ``RatingForm.Changed`` with the whole rating (numbers only);
the screen stores it at once.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from balint_tui.review.abs_items import RatingItem, rating_form

SCALE = (1, 2, 3, 4, 5)


def scale_text(value: int | None, rated: bool) -> str:
    """`` 1 [2] 3  4  5  N/A``: the chosen answer in brackets, readable without colour."""
    parts = []
    for n in SCALE:
        parts.append(f"[{n}]" if rated and value == n else f" {n} ")
    parts.append("[N/A]" if rated and value is None else " N/A ")
    return "".join(parts)


class RatingRow(Widget, can_focus=True):
    """One item: its label and the scale; focusable."""

    DEFAULT_CSS = """
    RatingRow { height: auto; }
    """

    BINDINGS = [
        Binding("1", "rate(1)", "1", show=False),
        Binding("2", "rate(2)", "2", show=False),
        Binding("3", "rate(3)", "3", show=False),
        Binding("4", "rate(4)", "4", show=False),
        Binding("5", "rate(5)", "5", show=False),
        Binding("n", "rate_na", "N/A", show=False),
        Binding("backspace,delete", "clear", "clear", show=False),
    ]

    class Rated(Message):
        def __init__(self, row: RatingRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, item: RatingItem, value: int | None, rated: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.value = value
        self.rated = rated

    SCALE_W = 21

    def _label_lines(self, width: int) -> list[str]:
        words, lines, line = self.item.label.split(), [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        return lines

    def _label_width(self, width: int) -> int:
        return max(10, width - 2 - self.SCALE_W)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._label_lines(self._label_width(width)))

    def render(self) -> Content:
        width = max(20, self.content_region.width or 60)
        label_w = self._label_width(width)
        label_lines = self._label_lines(label_w)
        marker = "▶ " if self.has_focus else "  "
        scale = scale_text(self.value, self.rated)
        first = Content(marker) + Content(f"{label_lines[0]:<{label_w}}") + Content(" ")
        first += Content.styled(scale, "bold" if self.rated else "dim")
        out = [first.stylize("bold", 0, 2) if self.has_focus else first]
        out += [Content("  " + line) for line in label_lines[1:]]
        return Content("\n").join(out)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _set(self, value: int | None, rated: bool) -> None:
        self.value, self.rated = value, rated
        self.refresh()
        self.post_message(self.Rated(self))

    def action_rate(self, value: int) -> None:
        self._set(value, True)

    def action_rate_na(self) -> None:
        self._set(None, True)

    def action_clear(self) -> None:
        self._set(None, False)


class RatingForm(Vertical):
    """Sections and items of the form, as in the ABS group member's form."""

    DEFAULT_CSS = """
    RatingForm { height: auto; }
    RatingForm .rating-section { text-style: bold; margin-top: 1; }
    RatingForm .rating-note { color: $text-muted; }
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "next item", show=False),
        Binding("up,k", "move(-1)", "previous item", show=False),
    ]

    class Changed(Message):
        """The rating after a key: ``{item_id: 1..5 | None}`` (unrated items left out)."""

        def __init__(self, values: dict[str, int | None]) -> None:
            super().__init__()
            self.values = values

    def __init__(self, values: dict[str, int | None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.initial = dict(values)

    def compose(self):
        form = rating_form()
        yield Static(
            Content(f"1 = {form.scale_low} … 5 = {form.scale_high}, n = N/A, "
                    "backspace clears; saved on each key"),
            classes="rating-note",
        )
        for section in form.sections:
            yield Static(Content(section.title), classes="rating-section")
            for item in section.items:
                yield RatingRow(
                    item,
                    self.initial.get(item.id),
                    item.id in self.initial,
                    id="rate-" + item.id.replace(".", "-"),
                )

    @property
    def rows(self) -> list[RatingRow]:
        return list(self.query(RatingRow))

    def values(self) -> dict[str, int | None]:
        return {row.item.id: row.value for row in self.rows if row.rated}

    def on_rating_row_rated(self, message: RatingRow.Rated) -> None:
        message.stop()
        self.post_message(self.Changed(self.values()))

    def action_move(self, delta: int) -> None:
        rows = self.rows
        focused = self.screen.focused
        index = rows.index(focused) if focused in rows else (-1 if delta > 0 else len(rows))
        target = max(0, min(len(rows) - 1, index + delta))
        rows[target].focus()

    def focus_first_open(self) -> None:
        rows = self.rows
        for row in rows:
            if not row.rated:
                row.focus()
                return
        if rows:
            rows[0].focus()


__all__ = ["RatingForm", "RatingRow", "scale_text"]
