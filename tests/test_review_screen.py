"""The review screen: Pilot-driven keys, the rating saved per key, SVG snapshots."""

from __future__ import annotations

import itertools

import pytest
from review_helpers import HAND, SIXTY, save_scenario
from textual.app import App

from balint_tui.review.abs_items import rating_form
from balint_tui.ui.review.charts import ParticipationChart, TimelineChart, TrendsPanel
from balint_tui.ui.review.rating import RatingForm, RatingRow
from balint_tui.ui.review.screen import ReviewApp, ReviewScreen

NAMES = ["Ana", "[red]Ben", "Chloe", "Dev", "Eli", "Fay", "Gus"]


# the title shows the local date: the zone pinned so snapshots match everywhere
pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def store(store):
    save_scenario(store, HAND, names=NAMES[:6], day=0, session_id="shand01")
    save_scenario(store, SIXTY, names=NAMES, day=1, session_id="ssixty1")
    store.save_rating("shand01", dict.fromkeys(rating_form().item_ids[:10], 3))
    return store


def lines_of(widget) -> list[str]:
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_screen_shows_timeline_chart_and_form(store):
    app = ReviewApp(store, "ssixty1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert not screen.has_class("-narrow")
        timeline = screen.query_one(TimelineChart)
        chart = screen.query_one(ParticipationChart)
        form = screen.query_one(RatingForm)
        for widget in (timeline, chart, form):
            assert widget.region.height > 0 and widget.region.width > 0
            assert widget.region.y < 40  # visible without scrolling, side by side
        text = "\n".join(lines_of(chart))
        assert "[red]Ben" in text  # the name as typed, not parsed as markup
        assert text.index("Ana") < text.index("[red]Ben") < text.index("Chloe")  # roster order
        assert "absent" in text  # Gus
        rows = lines_of(timeline)
        assert rows[0].startswith("minute") and rows[1].startswith("case")
        assert len(form.rows) == 20


async def test_rating_keys_save_each_time(store):
    app = ReviewApp(store, "ssixty1")
    first, second, third = rating_form().item_ids[:3]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        await pilot.press("r")
        assert isinstance(app.focused, RatingRow) and app.focused.item.id == first
        await pilot.press("4")
        assert store.rating("ssixty1") == {first: 4}
        await pilot.press("down", "n")
        assert store.rating("ssixty1") == {first: 4, second: None}
        await pilot.press("down", "5", "2")  # a second key replaces the first answer
        assert store.rating("ssixty1") == {first: 4, second: None, third: 2}
        await pilot.press("up", "backspace")
        assert store.rating("ssixty1") == {first: 4, third: 2}
        await pilot.press("up", "up", "9", "x")  # keys outside 1-5 and n change nothing
        assert store.rating("ssixty1") == {first: 4, third: 2}
        # the focused row is on screen after moving down the form
        await pilot.press(*["down"] * 12)
        focused = app.focused
        assert focused.region.y >= 0 and focused.region.bottom <= 24
        assert app.screen.saved == 5  # 4, n, 5, 2, backspace


async def test_rating_form_starts_from_the_stored_rating(store):
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        form = app.screen.query_one(RatingForm)
        assert len(form.values()) == 10
        await pilot.press("r")  # goes to the first item not yet rated
        assert app.focused.item.id == rating_form().item_ids[10]
        assert "[3]" in lines_of(form.rows[0])[0]


async def test_trends_key_and_close(store):
    app = ReviewApp(store, "ssixty1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        trends = app.screen.query_one(TrendsPanel)
        assert 0 <= trends.region.y < 24
        assert len(trends.points) == 2
        text = "\n".join(lines_of(trends))
        assert "2 sessions, 2026-01-06 to 2026-01-13" in text
        await pilot.press("escape")
    assert app.return_code == 0


async def test_live_app_can_push_the_screen(store):
    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ReviewScreen(store, "shand01"))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_no_overlap_at_80x24(store):
    app = ReviewApp(store, "ssixty1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panes = app.screen.query_one("#panes")
        spans = []
        for pane in (panes.query_one("#shape"), panes.query_one("#rating-pane")):
            top = pane.virtual_region.y
            for child in pane.children:
                region = child.virtual_region
                if region.height:
                    spans.append((top + region.y, top + region.bottom))
        spans.sort()
        assert len(spans) == 22  # 8 headings + 8 charts, three form headings + forms
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start >= end
        assert panes.max_scroll_y > 0  # the column scrolls instead of squeezing


# ------------------------------------------------------------------ snapshots
def test_snapshot_80x24(store, snap_compare):
    assert snap_compare(ReviewApp(store, "ssixty1"), terminal_size=(80, 24))


def test_snapshot_120x40(store, snap_compare):
    assert snap_compare(ReviewApp(store, "ssixty1"), terminal_size=(120, 40))


def test_snapshot_rating_form_80x24(store, snap_compare):
    assert snap_compare(ReviewApp(store, "ssixty1"), terminal_size=(80, 24),
                        press=["r", "4", "down", "n", "down", "2"])


def test_snapshot_no_color_80x24(store, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ReviewApp(store, "ssixty1"), terminal_size=(80, 24), press=["t"])


async def test_escape_in_a_form_goes_back_to_the_review(store):
    """Found by a new user: Escape in a form closed the review (and after "end and
    save", the app) before they could reach the debrief."""
    app = ReviewApp(store, "ssixty1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")  # not in a form: closes
    assert app.return_code == 0


async def test_a_group_first_session_is_said_in_the_singular(store):
    """Its trends: ``1 session, 2026-01-06`` (not ``1 sessions, ... to ...``); its figures:
    ``turnover, last session``."""
    from balint_tui.ui.review.charts import FiguresPanel

    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        figures = "\n".join(lines_of(app.screen.query_one(FiguresPanel)))
        await pilot.press("t")
        trends = "\n".join(lines_of(app.screen.query_one(TrendsPanel)))
    assert "1 session, 2026-01-06" in trends and "sessions" not in trends.splitlines()[0]
    assert "turnover, last session " in figures, figures
