"""Breaks on the live screen, kept sessions and the resume offer (issue 24, item 1)."""

from __future__ import annotations

from ui_helpers import Notes, app_for, journal_types, state

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.resume import ResumeScreen
from balint_tui.ui.widgets.floor import FloorPanel


async def speaking_then_left(store, *, keep: bool) -> tuple[str, str]:
    """A demo session where member 2 holds the floor from 90 s; at 120 s the leader keeps
    it to resume (``keep``) or the app goes without a word (a crash)."""
    clock = ManualClock(0)
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("s")
        clock.advance(90)
        await pilot.press("2")
        clock.advance(30)
        if keep:
            await pilot.press("q", "k")
        await pilot.pause()
        who = state(app).members[1]
    return app.session.session_id, who


def floor_text(app) -> str:
    panel = app.screen.query_one(FloorPanel)
    return f"{panel.border_title} {panel.query_one('#floor-who').render()}"


async def test_keep_to_resume_records_a_break_and_the_time_away_is_nobodys(store):
    sid, who = await speaking_then_left(store, keep=True)
    assert journal_types(store, sid)[-1] == "pause"
    clock = ManualClock(720)  # ten minutes after the keep
    app = app_for(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        question = str(app.screen.query_one("#resume-question").render())
        assert "kept to resume" in question and "interrupted" not in question
        await pilot.press("r")
        assert isinstance(app.screen, LiveScreen)
        app.screen.tick()
        await pilot.pause()
        s = state(app)
        assert s.airtime(who) == 30  # not 30 + the ten minutes away
        assert s.floor is None and s.silence_since is None
        assert s.pause_length == 600
        assert floor_text(app).startswith("Break")
        assert s.now == 720  # the session clock kept real time
        await pilot.press("2")  # the group is back: the break ends with a turn
        assert s.paused_since is None and s.pauses == [(120, 600)]


async def test_after_a_crash_the_offer_says_interrupted_and_b_counts_the_gap_as_a_break(store):
    sid, who = await speaking_then_left(store, keep=False)
    assert journal_types(store, sid)[-1] == "speak"
    app = app_for(store, ManualClock(700))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        question = str(app.screen.query_one("#resume-question").render())
        assert "interrupted" in question and "break (b)" in question
        await pilot.press("b")
        assert isinstance(app.screen, LiveScreen)
        s = state(app)
        # the break starts at the last event on disk (90 s): the gap is nobody's
        assert s.paused_since == 90 and s.airtime(who) == 0
    assert journal_types(store, sid)[-1] == "pause"


async def test_resume_without_the_break_keeps_the_old_reading(store):
    _, who = await speaking_then_left(store, keep=False)
    app = app_for(store, ManualClock(700))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        app.screen.tick()
        s = state(app)
        assert s.paused_since is None and s.airtime(who) == 610


async def test_the_break_key_and_its_palette_entry(store):
    clock = ManualClock(0)
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.press("s", "1")
        clock.advance(40)
        await pilot.press("b")
        s = state(app)
        assert s.paused_since == 40 and s.floor is None
        clock.advance(300)
        app.screen.tick()
        await pilot.pause()
        assert floor_text(app).startswith("Break")
        assert "5:00" in app.screen.query_one("#floor-time").value
        await pilot.press("b")  # again: the break is over, a silence starts
        assert s.paused_since is None and s.silence_since == 340
        assert any("Break over" in m for m in notes.messages)
        assert s.airtime(s.members[0]) == 40
        titles = [t for t, _, _ in app.screen.palette_commands()]
        assert "Break (again: end the break)" in titles
        await pilot.press("z")  # undo the break's end: on a break again
        assert s.paused_since == 40


async def test_the_resume_offer_shows_every_choice_whole_at_60x20(store):
    from textual.widgets import Button

    await speaking_then_left(store, keep=False)
    app = app_for(store, ManualClock(700))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        buttons = list(app.screen.query(Button))
        assert [b.id for b in buttons] == ["resume", "break", "end", "later"]
        for button in buttons:
            region = button.region
            assert region.x >= 0 and region.right <= 60 and region.bottom <= 20
            assert str(button.label).endswith(")")  # its key is shown, not cut
