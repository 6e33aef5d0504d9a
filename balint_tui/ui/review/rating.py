"""The rating forms (ABS leader evaluation: member's, presenter's, coleader's), keyboard
only, saved per key.

Up/down (or j/k) move between items; 1-5 rate, n marks N/A (where the form has it),
backspace clears; w chooses who is rating (presenter's and coleader's forms). Every
change is posted as ``RatingForm.Changed`` (the whole form's answers, numbers only) or
``RatingForm.RaterChosen`` (a rater id); the screen stores it at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from balint_tui.review.abs_items import RatingItem, form, from_side
from balint_tui.review.load import save_presenter_no, save_rater, save_rating
from balint_tui.ui.review.unsaved import KeepsUnsaved

if TYPE_CHECKING:
    from balint_tui.review.session import SessionReview
    from balint_tui.ui.review.ports import RatingsStore

SCALE = (1, 2, 3, 4, 5)


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key is handled (``Widget.focus`` waits for the
    message queue, so keys typed quickly after an arrow went to the row left behind)."""
    widget.screen.set_focus(widget)


def scale_text(value: int | None, rated: bool, na: bool = True) -> str:
    """`` 1 [2] 3  4  5  N/A``: the chosen answer in brackets, readable without colour."""
    parts = []
    for n in SCALE:
        parts.append(f"[{n}]" if rated and value == n else f" {n} ")
    if na:
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

    def __init__(self, item: RatingItem, value: int | None, rated: bool, na: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.label = item.label  # as the rater reads it (``from_side``)
        self.value = value
        self.rated = rated
        self.na = na

    @property
    def scale_w(self) -> int:
        return 21 if self.na else 16

    def _label_lines(self, width: int) -> list[str]:
        label = self.label + (" (context)" if self.item.context else "")  # in no mean
        words, lines, line = label.split(), [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        return lines

    def _label_width(self, width: int) -> int:
        return max(10, width - 2 - self.scale_w)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._label_lines(self._label_width(width)))

    def render(self) -> Content:
        width = max(20, self.content_region.width or 60)
        label_w = self._label_width(width)
        label_lines = self._label_lines(label_w)
        marker = "▶ " if self.has_focus else "  "
        scale = scale_text(self.value, self.rated, self.na)
        first = Content(marker) + Content(f"{label_lines[0]:<{label_w}}") + Content(" ")
        first += Content.styled(scale, "bold" if self.rated else "dim")
        out = [first.stylize("bold", 0, 2) if self.has_focus else first]
        out += [Content("  " + line) for line in label_lines[1:]]
        return Content("\n").join(out)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def show(self, value: int | None, rated: bool) -> None:
        """Show a stored answer (no message)."""
        self.value, self.rated = value, rated
        self.refresh()

    def _set(self, value: int | None, rated: bool) -> None:
        self.show(value, rated)
        self.post_message(self.Rated(self))

    def action_rate(self, value: int) -> None:
        self._set(value, True)

    def action_rate_na(self) -> None:
        if self.na:
            self._set(None, True)

    def action_clear(self) -> None:
        self._set(None, False)


class RaterLine(Static):
    """Who is rating this form: its choices, the chosen one in brackets."""

    def __init__(self, form_id: str, rater: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.form_id = form_id
        self.rater = rater

    def on_mount(self) -> None:
        self.show(self.rater)

    def show(self, rater: str | None) -> None:
        self.rater = rater
        the_form = form(self.form_id)
        parts = [f"[{r.label}]" if r.id == rater else r.label for r in the_form.raters]
        head = "w: " if rater is not None else "w chooses: "
        self.update(Content(head + " · ".join(parts)))


class RatingForm(Vertical):
    """Sections and items of one form, as in the ABS form, with who rates whom on top."""

    DEFAULT_CSS = """
    RatingForm { height: auto; }
    RatingForm .rating-section { text-style: bold; margin-top: 1; }
    RatingForm .rating-note { color: $text-muted; }
    RatingForm .rating-who { text-style: italic; }
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "next item", show=False),
        Binding("up,k", "move(-1)", "previous item", show=False),
        Binding("w", "rater", "who rates", show=False),
        Binding("v", "presenter", "which presenter", show=False),
    ]

    class Changed(Message):
        """The form's answers after a key: ``{item_id: 1..5 | None}`` (unrated left out)."""

        def __init__(self, values: dict[str, int | None], form_id: str = "member") -> None:
            super().__init__()
            self.values = values
            self.form_id = form_id

    class RaterChosen(Message):
        def __init__(self, form_id: str, rater: str | None) -> None:
            super().__init__()
            self.form_id = form_id
            self.rater = rater

    class PresenterChosen(Message):
        """Which of several presenters fills the presenter's form (1 = the first)."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, values: dict[str, int | None], form_id: str = "member",
                 rater: str | None = None, presenters: tuple[str, ...] = (),
                 presenter_no: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.form_id = form_id
        self.initial = dict(values)
        self.rater = rater
        # the presenter's form: the session's presenters (names), and which one rates
        self.presenters = presenters
        # as saved (a position among the presenters), else the first
        known = presenter_no is not None and 1 <= presenter_no <= len(presenters)
        self.presenter = presenter_no - 1 if known and presenter_no else 0

    def presenter_text(self) -> Content:
        names = self.presenters
        if len(names) == 1:
            return Content.assemble("The presenter: ", (names[0], "bold"))
        parts = [Content.styled(f"[{n}]", "bold") if i == self.presenter else Content(n)
                 for i, n in enumerate(names)]
        return Content.assemble("Several presenters: which one is rating? v: ",
                                Content(" · ").join(parts))

    def action_presenter(self) -> None:
        if len(self.presenters) > 1:
            self.presenter = (self.presenter + 1) % len(self.presenters)
            self.query_one(".rating-presenter", Static).update(self.presenter_text())
            self.post_message(self.PresenterChosen(self.presenter + 1))

    def compose(self):
        the_form = form(self.form_id)
        yield Static(Content(f"{the_form.title}: {the_form.rated}"), classes="rating-who")
        if self.presenters:
            yield Static(self.presenter_text(), classes="rating-presenter")
        if the_form.raters:
            yield RaterLine(self.form_id, self.rater, classes="rating-rater")
        keys = "n = N/A, " if the_form.na else ""
        yield Static(
            Content(f"{the_form.scale_words()}; {keys}backspace clears; saved on each key"),
            classes="rating-note",
        )
        for section in the_form.sections:
            title = Static(Content(from_side(section.title, self.form_id, self.rater)),
                           classes="rating-section", name=section.title)
            yield title
            for item in section.items:
                row = RatingRow(
                    item,
                    self.initial.get(item.id),
                    item.id in self.initial,
                    the_form.na,
                    id=f"rate-{self.form_id}-" + item.id.replace(".", "-"),
                )
                row.label = from_side(item.label, self.form_id, self.rater)
                yield row

    def _reword(self) -> None:
        """The items and headings as the chosen rater reads them."""
        for title in self.query(".rating-section").results(Static):
            title.update(Content(from_side(title.name or "", self.form_id, self.rater)))
        for row in self.rows:
            row.label = from_side(row.item.label, self.form_id, self.rater)
            row.refresh(layout=True)

    @property
    def rows(self) -> list[RatingRow]:
        return list(self.query(RatingRow))

    def values(self) -> dict[str, int | None]:
        return {row.item.id: row.value for row in self.rows if row.rated}

    def show_values(self, values: dict[str, int | None], rater: str | None) -> None:
        """Show answers stored elsewhere (the debrief's copy of the form)."""
        for row in self.rows:
            row.show(values.get(row.item.id), row.item.id in values)
        self.rater = rater
        for line in self.query(RaterLine):
            line.show(rater)
        self._reword()

    def on_rating_row_rated(self, message: RatingRow.Rated) -> None:
        message.stop()
        self.post_message(self.Changed(self.values(), self.form_id))

    def action_rater(self) -> None:
        options = form(self.form_id).rater_ids
        if not options:
            return
        index = options.index(self.rater) + 1 if self.rater in options else 0
        self.rater = options[index % len(options)]
        for line in self.query(RaterLine):
            line.show(self.rater)
        self._reword()
        self.post_message(self.RaterChosen(self.form_id, self.rater))

    def action_move(self, delta: int) -> None:
        rows = self.rows
        focused = self.screen.focused
        if focused not in rows:
            focus_now(rows[0] if delta > 0 else rows[-1])
            return
        index = rows.index(focused) + delta
        if not 0 <= index < len(rows):
            # past the end of this form: on to the next form on the screen
            self.post_message(self.LeftEdge(self, delta))
            return
        focus_now(rows[index])

    class LeftEdge(Message):
        def __init__(self, form: RatingForm, delta: int) -> None:
            super().__init__()
            self.form = form
            self.delta = delta

    def focus_first_open(self) -> None:
        rows = self.rows
        for row in rows:
            if not row.rated:
                focus_now(row)
                return
        if rows:
            focus_now(rows[0])


__all__ = ["RaterLine", "RatingForm", "RatingRow", "focus_now", "scale_text"]


class SavesRatings(KeepsUnsaved):
    """Mixed into a review screen (it has ``store``, ``session_id``, ``review``,
    ``saved`` and Textual's ``notify``): saves what its rating forms say, numbers only,
    on every key; a failed save is said in one line and kept (``KeepsUnsaved``)."""

    store: RatingsStore
    session_id: str
    review: SessionReview
    saved: int

    def on_rating_form_changed(self, message: RatingForm.Changed) -> None:
        message.stop()
        form_id, values = message.form_id, dict(message.values)

        def commit() -> None:
            save_rating(self.store, self.session_id, values, form_id)
            self.review.form_ratings[form_id] = dict(values)
            if form_id == "member":
                self.review.ratings = dict(values)
            self.saved += 1

        self.save_or_keep(f"rating.{form_id}", commit)

    def on_rating_form_rater_chosen(self, message: RatingForm.RaterChosen) -> None:
        message.stop()
        form_id, rater = message.form_id, message.rater

        def commit() -> None:
            save_rater(self.store, self.session_id, form_id, rater)
            self.review.raters[form_id] = rater
            self.saved += 1

        self.save_or_keep(f"rater.{form_id}", commit)

    def on_rating_form_presenter_chosen(self, message: RatingForm.PresenterChosen) -> None:
        message.stop()
        number = message.number

        def commit() -> None:
            save_presenter_no(self.store, self.session_id, number)
            self.review.presenter_no = number
            self.saved += 1

        self.save_or_keep("rater.presenter_no", commit)

