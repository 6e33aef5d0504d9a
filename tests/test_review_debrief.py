"""The debrief for two: the moments that need a word in time order, one key each, saved
as event numbers; then the coleader's form. Pilot-driven, and snapshots at 80x24."""

from __future__ import annotations

import json

import pytest
from review_helpers import OVERRUN, save_with_prompts

from balint_tui.review.debrief import moments
from balint_tui.review.load import load_review
from balint_tui.store.store import Store
from balint_tui.ui.review.debrief import DebriefScreen, MomentRow
from balint_tui.ui.review.rating import RatingRow
from balint_tui.ui.review.screen import ReviewApp, ReviewScreen

CARDS = [
    {"at": 560, "type": "prompt", "id": "salinsky.tolerate-silence", "action": "surfaced"},
    {"at": 600, "type": "prompt", "id": "salinsky.tolerate-silence", "action": "expired"},
    {"at": 700, "type": "prompt", "id": "dornfest.hold-back", "action": "surfaced",
     "who": "m4"},
    {"at": 705, "type": "prompt", "id": "dornfest.hold-back", "action": "acted"},
]


# the title shows the local date: the zone pinned so snapshots match everywhere
pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def store(store):
    save_with_prompts(store, path=OVERRUN, extra=CARDS, session_id="sdeb0001")
    return store


def test_moments_in_time_order_in_plain_words(store):
    review = load_review(store, "sdeb0001")
    found = moments(review)
    assert [(m.kind, m.at) for m in found] == [
        ("silence", 500.0), ("prompt", 560.0), ("mark", 600.0), ("overrun", 605.0),
        ("prompt", 700.0), ("overrun", 1100.0)]
    words = [m.what for m in found]
    assert words[0] == "silence of 1:00"
    assert words[1] == "Tolerate the silence: left after 40 s"  # the card's title
    assert words[2] == "back on task"  # the mark in words, not back_on_task
    assert words[3].startswith("case 1 ran 3:25 past its planned")
    assert found[4].who == "m4"
    # each keyed by the event it comes from
    events = store.load_session("sdeb0001").events
    assert [events[m.key].type for m in found] == [
        "silence", "prompt", "mark", "case", "prompt", "case"]


async def test_debrief_by_keys(store):
    app = ReviewApp(store, "sdeb0001")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        rows = screen.rows
        assert len(rows) == 6 and app.focused is rows[0]
        await pilot.press("space", "down", "down", "space", "down", "space")
        keys = [m.key for m in screen.moments]
        assert store.session_ratings("sdeb0001").talked == tuple(
            sorted([keys[0], keys[2], keys[3]]))
        await pilot.press("up", "space")  # toggled off again
        assert store.session_ratings("sdeb0001").talked == tuple(sorted([keys[0], keys[3]]))
        assert "6 moments, 2 talked about" in str(screen.query_one("#debrief-title").render())
        # down past the last moment goes on to the coleader's form
        await pilot.press("down", "down", "down", "down")
        assert isinstance(app.focused, RatingRow)
        assert app.focused.item.id == "climate.complicated"
        assert app.focused.region.bottom <= 24  # scrolled into view
        await pilot.press("4", "n", "down", "5", "w", "w")
        rated = store.session_ratings("sdeb0001")
        assert rated.of("coleader") == {"climate.complicated": 4,
                                        "climate.presenter-responsive": 5}  # no N/A here
        assert rated.raters["coleader"] == "coleader"  # w twice: leader, then coleader
        await pilot.press("up", "up")  # back up into the moments
        assert isinstance(app.focused, MomentRow)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        form = app.screen.form("coleader")
        assert form.values() == {"climate.complicated": 4, "climate.presenter-responsive": 5}
        assert form.rater == "coleader"
    # only numbers, ids and fixed words were stored
    doc = json.loads((store.data_dir / "index.json").read_text())["ratings"]["1"]
    assert doc["talked"] == sorted([keys[0], keys[3]])
    assert doc["coleader_rater"] == "coleader"
    assert all(type(v) is int for v in doc["coleader"].values())


async def test_f_goes_to_the_form_and_a_session_without_moments(tmp_path):
    with Store.open(tmp_path / "d") as store:
        save_with_prompts(store, path=OVERRUN, extra=[], session_id="sdeb0002")
        app = ReviewApp(store, "sdeb0002")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("d", "f")
            assert isinstance(app.focused, RatingRow)


def test_snapshot_debrief_80x24(store, snap_compare):
    assert snap_compare(ReviewApp(store, "sdeb0001"), terminal_size=(80, 24),
                        press=["d", "space", "down", "down", "space", "down"])


def test_snapshot_debrief_form_80x24(store, snap_compare):
    assert snap_compare(ReviewApp(store, "sdeb0001"), terminal_size=(80, 24),
                        press=["d", "f", "4", "down", "2", "w"])


async def test_keys_typed_together_land_where_the_first_moved_focus(store):
    """A terminal delivers "f4w" (or "↓4") in one read: the rating keys must reach the
    row the first key moved to, not the row left behind."""
    from textual import events

    app = ReviewApp(store, "sdeb0001")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        for key, char in (("f", "f"), ("4", "4"), ("down", None), ("2", "2"), ("w", "w")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        rated = store.session_ratings("sdeb0001")
        assert rated.of("coleader") == {"climate.complicated": 4,
                                        "climate.presenter-responsive": 2}
        assert rated.raters["coleader"] == "leader"
