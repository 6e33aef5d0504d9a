"""Quitting (issue 13, item 8): the quit dialog can discard a mistaken session (asking
once more), and every way out to the shell says in one line what became of the session
and where the data folder is."""

from __future__ import annotations

from ui_helpers import app_for, state

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.quit import QuitScreen


def question(app) -> str:
    return str(app.screen.query_one("#quit-question").render())


async def test_discard_asks_once_then_deletes_the_session_for_good(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        sid = app.session.session_id
        clock.advance(7)
        await pilot.press("2", "q", "d")
        assert isinstance(app.screen, QuitScreen) and app.screen.confirming
        assert "for good" in question(app)
        assert store.journal_path(sid).exists()  # nothing deleted yet
        await pilot.press("e", "k")  # only d or Escape answer the question
        assert isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("d")
        await pilot.pause()
    assert app.return_code == 0
    assert not store.journal_path(sid).exists()
    assert not store.session_path(sid).exists()
    assert store.unfinished() == [] and store.sessions() == []
    line = app.farewell()
    assert "discarded" in line and str(store.data_dir) in line and "\n" not in line


async def test_escape_from_the_discard_question_goes_back_not_out(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q", "d", "escape")
        assert isinstance(app.screen, QuitScreen) and not app.screen.confirming
        assert "Quit how?" in question(app)
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("3")  # the session runs on
        assert state(app).floor is not None
    assert [j.session_id for j in store.unfinished()] == [app.session.session_id]


async def test_the_discard_buttons_work_with_the_mouse_too(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        sid = app.session.session_id
        await pilot.press("q")
        await pilot.click("#discard")
        assert app.screen.confirming
        await pilot.click("#discard-yes")
        await pilot.pause()
    assert not store.journal_path(sid).exists()


async def test_the_line_after_keep_says_how_to_resume(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "q", "k")
        await pilot.pause()
    line = app.farewell()
    assert f"session {app.session.session_id} kept to resume" in line
    assert "next balint-tui start offers it" in line and str(store.data_dir) in line


async def test_the_line_after_end_and_save_names_the_session(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.advance(60)
        await pilot.press("2", "q", "e")
        await pilot.pause()
        await pilot.press("escape")  # the review closes: out
        await pilot.pause()
    line = app.farewell()
    assert f"session {app.session.session_id} saved" in line and str(store.data_dir) in line


async def test_the_line_when_no_session_was_started(store, clock):
    app = app_for(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.farewell() == f"no session was started; data folder: {store.data_dir}"


def test_the_command_prints_the_line_when_the_app_closes(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from balint_tui.cli import cli
    from balint_tui.commands import run as run_cmd

    monkeypatch.setattr(run_cmd, "run_app", lambda app, headless=False: 0)
    data = tmp_path / "d"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "run"])
    assert result.exit_code == 0
    assert result.output.strip().splitlines() == [
        f"balint-tui: no session was started; data folder: {data}"
    ]


async def test_the_line_after_a_resume_offer_left_for_later_or_ended(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "q", "k")
        await pilot.pause()
    sid = app.session.session_id
    later = app_for(store, ManualClock(0))
    async with later.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l")  # the offer: later
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert later.farewell().startswith(f"session {sid} kept to resume")
    ended = app_for(store, ManualClock(0))
    async with ended.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")  # the offer: end and save it
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert ended.farewell().startswith(f"session {sid} (interrupted) ended and saved")
