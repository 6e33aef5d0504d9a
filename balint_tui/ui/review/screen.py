"""The post-session review screen, and a small app that shows it on its own.

``ReviewScreen(store, session_id)`` can be pushed by the live app once a session has
finished (it uses the app's open store), or shown by ``ReviewApp`` from
``balint-tui review``. Wide terminals show the session's shape on the left and the
self-rating form on the right; narrow ones (under ``NARROW_WIDTH`` columns) one
scrolling column.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from balint_tui.domain.names import safe_display
from balint_tui.domain.vocabulary import SETTING_LABELS
from balint_tui.review.load import group_trend, load_review
from balint_tui.review.session import SessionReview
from balint_tui.review.textcharts import clock
from balint_tui.review.trends import TrendPoint, trend_point
from balint_tui.ui.palette import NothingOutside
from balint_tui.ui.review.charts import (
    CasesPanel,
    FiguresPanel,
    ParticipationChart,
    PromptsPanel,
    SkillsPanel,
    TimelineChart,
    TransitionMatrix,
    TrendsPanel,
)
from balint_tui.ui.review.ports import ReviewStore
from balint_tui.ui.review.rating import RatingForm, SavesRatings, focus_now
from balint_tui.ui.review.unsaved import screens_may_close
from balint_tui.ui.session_port import USER_ERRORS
from balint_tui.ui.signals import QuitOnSignals

NARROW_WIDTH = 110
# form id -> the key that goes to it, and its heading: who rates whom
FORM_HEADINGS = {
    "member": ("r", "Self-rating (ABS group member's form)"),
    "presenter": ("p", "The presenter's view (presenter's form)"),
    "coleader": ("c", "Leader and coleader (coleader's form)"),
}


def local_date(started_wall: str | None) -> str:
    """The session's date on this computer's calendar (the store keeps UTC)."""
    if not started_wall:
        return ""
    try:
        started = datetime.fromisoformat(started_wall.replace("Z", "+00:00"))
        return started.astimezone().date().isoformat()
    except ValueError:
        return started_wall[:10]


def title_line(review: SessionReview, group_name: str | None,
               supervised: date | None = None) -> Content:
    # names come from validated files; replaced again here in case one was edited by hand
    parts = [
        safe_display(p)
        for p in (group_name, local_date(review.started_wall), review.template)
        if p
    ]
    # the plan's keys: the cards that could surface, who kept the record, where
    parts.append(f"{review.prompts_level} cards · {review.role} · "
                 f"{SETTING_LABELS.get(review.setting, review.setting)}")
    if supervised is not None:
        parts.append(f"supervised {supervised.isoformat()}")
    # the planned end as it moved: "ran 79:10 of 74:00→78:15" (figures say more)
    ran = f"ran {clock(review.duration)} of {clock(review.planned_duration)}"
    if review.extend_presses and abs(review.planned_end - review.planned_duration) >= 0.5:
        ran += f"→{clock(review.planned_end)}"
    parts.append(ran)
    return Content.styled("Session review", "bold") + Content(" · " + " · ".join(parts))


class ReviewScreen(SavesRatings, Screen[None]):
    CSS_PATH = "review.tcss"
    store: ReviewStore

    BINDINGS = [
        Binding("r", "rate('member')", "Rate"),
        Binding("p", "rate('presenter')", "Presenter"),
        Binding("c", "rate('coleader')", "Coleader"),
        Binding("d", "debrief", "Debrief"),
        Binding("s", "shape", "Session"),
        Binding("t", "trends", "Trends"),
        Binding("u", "supervised", "Supervised", id="review.supervised",
                tooltip="Mark the session as taken to supervision today (again: unmark)"),
        # escape in a form goes back to the review; elsewhere it closes, as q does
        Binding("escape", "back", "Close"),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(
        self,
        store: ReviewStore,
        session_id: str,
        *,
        review: SessionReview | None = None,
        points: list[TrendPoint] | None = None,
        group_name: str | None = None,
    ) -> None:
        """Raises ReviewError (one line) if the session cannot be read."""
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.review = review or load_review(store, session_id)
        self.points = points if points is not None else group_trend(store, self.review)
        if group_name is None and self.review.group_id is not None:
            try:
                group = store.group(self.review.group_id)
            except Exception:
                group = None
            group_name = group.name if group is not None else None
        self.group_name = group_name
        self.saved = 0
        try:
            self.supervised: date | None = store.supervised_on(session_id)
        except USER_ERRORS:
            self.supervised = None

    def compose(self) -> ComposeResult:
        r = self.review
        yield Static(title_line(r, self.group_name, self.supervised), id="review-title")
        with VerticalScroll(id="panes"):
            with VerticalScroll(id="shape"):
                yield Static("Timeline", classes="review-heading")
                yield TimelineChart(r, id="timeline")
                yield Static("Participation (roster order)", classes="review-heading")
                yield ParticipationChart(r, id="participation")
                yield Static("Figures", classes="review-heading")
                yield FiguresPanel(r, id="figures")
                yield Static("Johnson's five skills: your rating beside the session",
                             classes="review-heading")
                yield SkillsPanel(r, id="skills")
                yield Static("Cases against plan", classes="review-heading")
                yield CasesPanel(r, id="cases")
                yield Static("Prompts", classes="review-heading")
                yield PromptsPanel(r, id="prompts")
                yield Static("Who spoke after whom", classes="review-heading")
                yield TransitionMatrix(r, id="matrix")
                yield Static("Trends", classes="review-heading", id="trends-heading")
                yield TrendsPanel(self.points, id="trends")
            with VerticalScroll(id="rating-pane"):
                for form_id, (key, heading) in FORM_HEADINGS.items():
                    yield Static(f"{key}  {heading}", classes="review-heading",
                                 id=f"rating-heading-{form_id}")
                    yield RatingForm(
                        r.answers(form_id),
                        form_id, r.raters.get(form_id),
                        presenters=self.presenters() if form_id == "presenter" else (),
                        presenter_no=r.presenter_no if form_id == "presenter" else None,
                        id="rating" if form_id == "member" else f"rating-{form_id}",
                    )
        yield Footer(show_command_palette=False)

    def presenters(self) -> tuple[str, ...]:
        """The session's presenters, by name, in the order they presented."""
        keys = dict.fromkeys(c.presenter for c in self.review.cases if c.presenter is not None)
        return tuple(safe_display(self.review.name(k)) for k in keys)

    def on_mount(self) -> None:
        self._layout(self.size.width)
        self._scroller().focus()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        narrow = 0 < width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        # one scrolling column when narrow, two scrolling panes when wide
        self.query_one("#panes").can_focus = narrow
        self.query_one("#shape").can_focus = not narrow
        self.query_one("#rating-pane").can_focus = False

    def _scroller(self) -> VerticalScroll:
        return self.query_one("#panes" if self.has_class("-narrow") else "#shape", VerticalScroll)

    def on_rating_form_left_edge(self, message: RatingForm.LeftEdge) -> None:
        forms = list(self.query(RatingForm))
        index = forms.index(message.form) + message.delta
        if 0 <= index < len(forms):
            rows = forms[index].rows
            focus_now(rows[0] if message.delta > 0 else rows[-1])

    def on_rating_form_changed(self, message: RatingForm.Changed) -> None:
        """``SavesRatings`` saves it (Textual calls both handlers); the trends follow
        once it has."""
        self.call_later(self._refresh_trends)

    def _refresh_trends(self) -> None:
        points = self.points
        if points and points[-1].session_id == self.review.session_id:
            points[-1] = trend_point(self.review)
            self.query_one(TrendsPanel).refresh()

    def form(self, form_id: str) -> RatingForm:
        return next(f for f in self.query(RatingForm) if f.form_id == form_id)

    def action_rate(self, form_id: str = "member") -> None:
        self.form(form_id).focus_first_open()

    def action_debrief(self) -> None:
        from balint_tui.ui.review.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(self.store, self.session_id, self.review,
                                           self.group_name), self._after_debrief)

    def _after_debrief(self, _: object) -> None:
        coleader = self.form("coleader")
        coleader.show_values(self.review.form_ratings.get("coleader", {}),
                             self.review.raters.get("coleader"))

    def action_shape(self) -> None:
        scroller = self._scroller()
        scroller.focus()
        scroller.scroll_home(animate=False)

    def action_trends(self) -> None:
        self._scroller().focus()
        self.query_one("#trends-heading").scroll_visible(animate=False, top=True)

    def action_supervised(self) -> None:
        """Taken to supervision today, or (pressed again) not: a date and a flag only."""
        on = None if self.supervised is not None else date.today()
        try:
            self.store.mark_supervised(self.session_id, on)
        except USER_ERRORS as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.supervised = on
        self.query_one("#review-title", Static).update(
            title_line(self.review, self.group_name, on))
        self.notify("Taken to supervision on " + on.isoformat() if on is not None
                    else "No longer marked as taken to supervision", markup=False, timeout=4)

    def action_back(self) -> None:
        """Escape in a form goes back to the session's shape; elsewhere it closes."""
        focused = self.focused
        if focused is not None and any(
                isinstance(node, RatingForm) for node in focused.ancestors_with_self):
            self.action_shape()
            return
        self.action_close()

    def action_close(self) -> None:
        if self.may_close():  # ratings not on disk yet: said, and a second close leaves
            self.dismiss(None)


class ReviewApp(NothingOutside, QuitOnSignals, App[None]):
    """``balint-tui review``: the review screen on its own (SIGTERM and SIGHUP quit it)."""

    TITLE = "balint-tui review"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: ReviewStore, session_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.session_id = session_id

    def on_mount(self) -> None:
        self.install_signal_handlers()
        self.push_screen(ReviewScreen(self.store, self.session_id), lambda _: self.exit())

    async def action_quit(self) -> None:
        if screens_may_close(self.screen_stack):  # ratings not on disk yet: said first
            self.exit()

    def on_unmount(self) -> None:
        self.remove_signal_handlers()


__all__ = ["NARROW_WIDTH", "ReviewApp", "ReviewScreen", "title_line"]
