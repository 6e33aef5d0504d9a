"""The debrief for two: leader and coleader go through the session's moments, then the
coleader's form. Keyboard only: up/down move, space says "we talked about it" (saved at
once, as event numbers), f jumps to the form, escape goes back to the review.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from balint_tui.review.debrief import Moment, moment_line, moments, talked_count
from balint_tui.review.labels import Labels
from balint_tui.review.load import ReviewError, save_talked
from balint_tui.review.plain import counted
from balint_tui.review.session import SessionReview
from balint_tui.ui.review.ports import DebriefStore
from balint_tui.ui.review.rating import RatingForm, SavesRatings, focus_now


class MomentRow(Widget, can_focus=True):
    """One moment: ``[x]`` once talked about, its time, kind and what it was."""

    DEFAULT_CSS = """
    MomentRow { height: 1; }
    MomentRow:focus { background: $boost; }
    """

    BINDINGS = [
        Binding("space,t", "toggle_talked", "talked about", show=False),
        # on the row, not the screen: the scrolling body would take the arrows first
        Binding("down,j", "screen.move(1)", "next", show=False),
        Binding("up,k", "screen.move(-1)", "previous", show=False),
    ]

    class Toggled(Message):
        def __init__(self, row: MomentRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, moment: Moment, text: str, talked: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.moment = moment
        self.text = text
        self.talked = talked

    def render(self) -> Content:
        marker = "▶ " if self.has_focus else "  "
        box = "[x] " if self.talked else "[ ] "
        line = Content(marker) + Content.styled(box, "bold" if self.talked else "dim")
        line += Content(self.text)
        return line.truncate(max(10, self.content_region.width or 78), ellipsis=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_toggle_talked(self) -> None:
        self.talked = not self.talked
        self.refresh()
        self.post_message(self.Toggled(self))


class DebriefScreen(SavesRatings, Screen[None]):
    """Pushed from the review screen (``d``)."""

    DEFAULT_CSS = """
    DebriefScreen #debrief-title { height: auto; padding: 0 1; background: $panel; }
    DebriefScreen #debrief-note { height: auto; padding: 0 1; color: $text-muted; }
    DebriefScreen #debrief-body { height: 1fr; padding: 0 1; }
    DebriefScreen .review-heading { text-style: bold; margin-top: 1; }
    DebriefScreen RatingRow:focus { background: $boost; }
    /* a notice takes lines of its own (as on the review screen): it covers nothing */
    DebriefScreen ToastRack { layer: default; }
    DebriefScreen Toast { padding: 0 1; }
    """

    BINDINGS = [
        Binding("f", "form", "Coleader's form"),
        Binding("escape,q", "close", "Back"),
    ]

    store: DebriefStore

    def __init__(self, store: DebriefStore, session_id: str, review: SessionReview,
                 group_name: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.review = review
        self.group_name = group_name
        self.moments = moments(review)
        self.talked = set(review.talked)
        self.saved = 0

    def compose(self) -> ComposeResult:
        label = Labels(self.review.members, self.review.names, use_names=True)
        yield Static(self._title(), id="debrief-title")
        yield Static(Content("↑/↓ move · space: we talked about it (saved at once) · "
                             "f: the coleader's form · esc: back to the review"),
                     id="debrief-note")
        with VerticalScroll(id="debrief-body"):
            yield Static("Moments that need a word, in time order", classes="review-heading")
            if not self.moments:
                yield Static(Content("No card, mark, long silence or case over time."))
            for i, m in enumerate(self.moments):
                yield MomentRow(m, moment_line(m, label), m.key in self.talked,
                                id=f"moment-{i}")
            yield Static("c  Leader and coleader (coleader's form)", classes="review-heading")
            yield RatingForm(self.review.form_ratings.get("coleader", {}), "coleader",
                             self.review.raters.get("coleader"), id="debrief-coleader")
        yield Footer(show_command_palette=False)

    def _title(self) -> Content:
        n = len(self.moments)
        done = talked_count(self.moments, self.talked)
        return (Content.styled("Debrief for two", "bold")
                + Content(f"  {counted(n, 'moment')}, {done} talked about"))

    def on_mount(self) -> None:
        rows = self.rows
        if rows:
            rows[0].focus()
        else:
            self.action_form()

    @property
    def rows(self) -> list[MomentRow]:
        return list(self.query(MomentRow))

    @property
    def form(self) -> RatingForm:
        return self.query_one(RatingForm)

    def action_move(self, delta: int) -> None:
        rows = self.rows
        focused = self.focused
        if focused not in rows:
            return  # the form moves itself
        index = rows.index(focused) + delta
        if index >= len(rows):
            focus_now(self.form.rows[0])
        elif index >= 0:
            focus_now(rows[index])

    def action_form(self) -> None:
        self.form.focus_first_open()

    def on_moment_row_toggled(self, message: MomentRow.Toggled) -> None:
        key = message.row.moment.key
        wanted = set(self.talked)
        (wanted.add if message.row.talked else wanted.discard)(key)
        try:
            save_talked(self.store, self.session_id, wanted)
        except ReviewError as exc:
            message.row.talked = not message.row.talked  # not saved: not shown as saved
            message.row.refresh()
            self.notify(str(exc), severity="error", markup=False)
            return
        self.talked = wanted
        self.review.talked = tuple(sorted(wanted))
        self.saved += 1
        self.query_one("#debrief-title", Static).update(self._title())

    def on_rating_form_left_edge(self, message: RatingForm.LeftEdge) -> None:
        message.stop()
        rows = self.rows
        if message.delta < 0 and rows:
            focus_now(rows[-1])

    def action_close(self) -> None:
        if self.may_close():  # the coleader's form not on disk yet: said first
            self.dismiss(None)


__all__ = ["DebriefScreen", "MomentRow"]
