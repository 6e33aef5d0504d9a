"""Ratings typed while the disk refuses writes are not lost without a word when the
review closes (issue 22, item 12): each failed save is said and kept, tried again every
2 s and said when saved; closing with ratings kept warns once and stays (the leader may
wait), and a second close leaves without them."""

from __future__ import annotations

import errno

import pytest
from review_helpers import HAND, save_scenario

from balint_tui.review.abs_items import rating_form
from balint_tui.store.errors import StoreError
from balint_tui.ui.review.screen import ReviewApp, ReviewScreen

pytestmark = pytest.mark.usefixtures("utc")


class FullDisk:
    """``save_form_rating`` and ``save_rater`` refuse while ``full``."""

    def __init__(self, store, monkeypatch) -> None:
        self.full = True
        for name in ("save_form_rating", "save_rater"):
            real = getattr(store, name)

            def refusing(*args, _real=real, **kw):
                if self.full:
                    raise StoreError(f"cannot write the index: {errno.errorcode[errno.ENOSPC]}"
                                     " (No space left on device)")
                return _real(*args, **kw)

            monkeypatch.setattr(store, name, refusing)


@pytest.fixture
def setup(store, monkeypatch):
    save_scenario(store, HAND, session_id="shand01")
    return store, FullDisk(store, monkeypatch)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_closing_with_unsaved_ratings_warns_and_waits(setup):
    store, disk = setup
    first = rating_form().item_ids[0]
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r", "4")
        await pilot.pause()
        assert store.rating("shand01") in (None, {})
        assert any("No space left" in m for m in messages(app))
        await pilot.press("escape", "q")  # back to the shape, then close
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReviewScreen)
        assert any("not saved yet" in m and "close again" in m for m in messages(app))
        disk.full = False  # the disk takes writes again: saved while the leader waits
        await pilot.pause(2.3)
        assert store.rating("shand01") == {first: 4}
        assert "The ratings are saved now." in messages(app)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_a_second_close_leaves_without_them_and_ctrl_q_asks_too(setup):
    store, _disk = setup
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r", "2")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert any("not saved yet" in m for m in messages(app))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert store.rating("shand01") in (None, {})


async def test_a_close_when_the_disk_is_back_saves_and_closes_at_once(setup):
    store, disk = setup
    first = rating_form().item_ids[0]
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r", "5")
        await pilot.pause()
        disk.full = False
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not app.is_running
    assert store.rating("shand01") == {first: 5}


async def test_the_review_after_a_live_session_asks_too(store, monkeypatch):
    from ui_helpers import app_for, group_of, start

    from balint_tui.domain.clock import ManualClock

    clock = ManualClock(0)
    session = start(store, group_of(["Ana", "Ben"]), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("1", "q")
        await pilot.pause()
        await pilot.press("e")  # end and save: the review opens
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        FullDisk(store, monkeypatch)
        await pilot.press("r", "3")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReviewScreen)
        assert any("not saved yet" in m for m in messages(app))
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not app.is_running


async def test_the_coleaders_form_in_the_debrief_is_kept_too(setup):
    store, disk = setup
    app = ReviewApp(store, "shand01")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("d", "f", "4")  # the debrief, its coleader's form, a rating
        await pilot.pause()
        debrief = app.screen
        assert not isinstance(debrief, ReviewScreen)
        await pilot.press("escape")  # close the debrief: kept, said, and it stays
        await pilot.pause()
        assert app.screen is debrief
        assert any("not saved yet" in m for m in messages(app))
        disk.full = False
        await pilot.press("q")  # saved now, and closed
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert store.session_ratings("shand01").of("coleader")
