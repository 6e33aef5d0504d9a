"""The follow view on screen (Pilot, snapshots) and the coleader's "followed (N)"."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from ui_helpers import app_for, demo_scene, open_store

from balint_tui.application.follow import Follower
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.store.followers import FollowerMark
from balint_tui.ui.follow.app import READ_ONLY, FollowApp
from balint_tui.ui.follow.widgets import FollowCards, FollowFloor, FollowStatus, NotYet
from balint_tui.ui.widgets.clock import SessionClock

pytestmark = pytest.mark.skipif(
    not os.path.exists("/proc/locks"), reason="the writer's journal lock is read from /proc/locks"
)
START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def scene(tmp_path, utc):
    store = open_store(tmp_path)
    clock = ManualClock(0)
    session = demo_scene(store, clock)
    yield store, session
    session.close()
    store.close()


def follow_app(store, *, session_id=None):
    follower = Follower(store.data_dir, session_id, monotonic=lambda: 0.0, wall=lambda: 0.0)
    follower.poll()
    follower.header = follower.header.model_copy(update={"started_wall": START})
    from balint_tui.application.launch import cards_for

    return FollowApp(store.data_dir, follower=follower, cards=cards_for(None)[0],
                     poll_interval=None, mark=False, handle_signals=False)


def text(widget) -> str:
    return str(widget.render())


def test_follow_view_80x24(snap_compare, scene):
    store, _ = scene
    assert snap_compare(follow_app(store), terminal_size=(80, 24))


def test_follow_view_no_color(snap_compare, scene, monkeypatch):
    store, _ = scene
    monkeypatch.setenv("NO_COLOR", "1")
    app = follow_app(store)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24))


async def test_the_view_shows_the_session_and_is_read_only(scene):
    store, session = scene
    journal = session.writer.path.read_bytes()
    app = follow_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.query_one(FollowFloor).border_title == "Silence"
        not_yet = text(app.query_one(NotYet))
        assert "Chloe" in not_yet and "Ana" not in not_yet  # Ana presents
        cards = app.query_one(FollowCards)
        assert cards.border_title.startswith("Prompts (")
        assert "Demo group" in text(app.query_one(FollowStatus))
        for key in ("1", "space", "m", "a", "x", "s", "plus"):
            await pilot.press(key)
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said.count(READ_ONLY) == 1
        await pilot.press("q")
    assert session.writer.path.read_bytes() == journal  # nothing recorded


async def test_names_render_literally(tmp_path, utc):
    from ui_helpers import group_of, start

    store = open_store(tmp_path)
    session = start(store, group_of(["[red]x", "Ben"]), ManualClock(0))
    session.record(ev.Speak, who=session.state.members[0])
    app = follow_app(store)
    async with app.run_test(size=(80, 24)):
        who = app.query_one("#follow-floor-who")
        assert "[red]x" in str(who.render())
    session.close()
    store.close()


async def test_waiting_then_live_again(scene):
    store, session = scene
    app = follow_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "live" in text(app.query_one(FollowStatus))
        session.close()
        app.follower._next_scan = 0
        app.poll()
        await pilot.pause()
        assert "waiting for the session" in text(app.query_one(FollowStatus))


async def test_the_live_screen_says_followed(tmp_path):
    store = open_store(tmp_path)
    clock = ManualClock(0)
    app = app_for(store, clock, session=demo_scene(store, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.count_followers()
        assert "followed" not in app.screen.query_one(SessionClock).border_title
        with FollowerMark(store.data_dir), FollowerMark(store.data_dir):
            screen.count_followers()
            await pilot.pause()
            assert "followed (2)" in screen.query_one(SessionClock).border_title
            # at 80x24 the title fits whole: "in person", the default, left out first
            title = str(screen.query_one(SessionClock).border_title)
            assert title == "Session left · followed (2) · leader", title
        screen.count_followers()
        await pilot.pause()
        assert "followed" not in screen.query_one(SessionClock).border_title
    store.close()


async def test_a_card_about_a_member_names_them_once(tmp_path, utc):
    """A card about a member (``who`` on its prompt event) is shown in the follow view
    with the member's name, as the coleader's screen words it, once."""
    from ui_helpers import group_of, start

    store = open_store(tmp_path)
    session = start(store, group_of(["[b]Ana", "Ben"]), ManualClock(0))
    ana = session.state.members[0]
    session.record(ev.Mark, kind="presenter_distress", who=ana)
    session.engine.record(ev.PromptAction, id="salinsky.producing.distress",
                          action="surfaced", who=ana)
    app = follow_app(store)
    async with app.run_test(size=(80, 24)):
        shown = text(app.query_one(FollowCards))
        assert shown.count("[b]Ana") == 1, shown
    session.close()
    store.close()


async def test_a_topic_is_followed(tmp_path, utc):
    """Found by a new user: the follow view crashed on a topic (no presenter)."""
    from ui_helpers import group_of, start

    store = open_store(tmp_path)
    session = start(store, group_of(["Ana", "Ben"]), ManualClock(0), template="residency")
    session.record(ev.Topic)
    app = follow_app(store)
    async with app.run_test(size=(80, 24)):
        assert "Topic" in app.export_screenshot()
    session.close()
    store.close()


async def test_the_follow_view_scales_up_on_a_large_screen(scene):
    from balint_tui.ui.follow.widgets import FollowFloor
    from balint_tui.ui.widgets.clock import SessionClock

    store, _ = scene
    for size, grows in (((80, 24), False), ((160, 50), True)):
        app = follow_app(store)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert (app.query_one(SessionClock).scale > 1) == grows
            assert (app.query_one(FollowFloor).big_scale() > 1) == grows


def test_the_clock_title_leaves_the_defaults_out_first():
    from balint_tui.ui.widgets.clock import record_words

    title = "Session left · followed (1)"
    assert record_words(title, "leader · in person", 80) == " · leader · in person"
    assert record_words(title, "leader · in person", 38) == " · leader"
    assert record_words(title, "leader · in person", 30) == ""
    assert record_words(title, "coleader · online", 30) == " · coleader · online"  # cut
    assert record_words(title, "coleader · in person", 40) == " · coleader"
    assert record_words(title, "", 10) == ""
