"""The live screen when the journal cannot be written (disk full, dying disk): the
leader is told once, a steady indicator counts the actions kept in memory, the keys keep
working, and nothing is lost when the disk comes back; ending or quitting meanwhile.

The file system is made to fail with ``tests/hardening/faults.py`` (os.write / os.fsync
raise ENOSPC or EIO for files under the data folder)."""

from __future__ import annotations

import html
import json
import re

import pytest
from hardening_helpers import Faults
from ui_helpers import Notes, app_for, group_of, start

from balint_tui.store.errors import JournalUnavailable
from balint_tui.ui.review.screen import ReviewScreen
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.quit import QuitScreen
from balint_tui.ui.widgets.clock import SessionClock

NAMES = ["Ana", "Ben", "Chloe", "Dev"]


@pytest.fixture
def faults(store, monkeypatch):
    return Faults(store.data_dir).install(monkeypatch.setattr)


def running_app(store, clock):
    session = start(store, group_of(NAMES), clock)
    return app_for(store, clock, session=session), session


def on_disk(store, session):
    contents = store.read_journal(session.session_id)
    assert not contents.torn_tail
    return contents.events


def clock_detail(app) -> str:
    return str(app.screen.query_one("#clock-detail").render())


def visible(app) -> str:
    """The text actually on the (80x24) screen."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", app.export_screenshot())
    return html.unescape(" ".join(texts)).replace("\xa0", " ")


def errors(notes: Notes) -> list[str]:
    return [m for m, severity, _ in notes.items if severity == "error"]


def infos(notes: Notes) -> list[str]:
    return [m for m, severity, _ in notes.items if severity == "information"]


async def keys(pilot, clock, *pressed: str) -> None:
    for key in pressed:
        clock.advance(5)
        await pilot.press(key)
    await pilot.pause()


@pytest.mark.parametrize("mode", ["enospc", "eio"])
async def test_a_failing_disk_is_told_once_the_keys_keep_working_and_nothing_is_lost(
    store, faults, clock, mode
):
    app, session = running_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await keys(pilot, clock, "u", "1")  # queue Ana: on disk
        assert session.pending == 0 and "NOT SAVED" not in clock_detail(app)
        faults.mode = mode
        await keys(pilot, clock, "s", "2", "space", "3", "l")
        # the screen kept working: every key changed the state
        state = session.engine.state
        assert state.case is not None and state.case.presenter == "m1"
        assert state.floor == "leader"
        assert session.pending >= 5 and faults.hits > 0
        # told once, as an error, in one line naming the journal; the indicator counts
        [told] = errors(notes)
        assert "could not write the session journal" in told and ".jsonl" in told
        assert "\n" not in told and "Traceback" not in told
        assert f"NOT SAVED YET: {session.pending}" in clock_detail(app)
        assert f"NOT SAVED YET: {session.pending}" in visible(app)  # not cut off at 80x24
        panel = app.screen.query_one(SessionClock)
        assert panel.has_class("-unsaved")
        # calm: nothing on the screen blinks (no blink style anywhere)
        for widget in app.screen.query("*"):
            assert not widget.styles.text_style.blink
        detail = app.screen.query_one("#clock-detail").render()
        assert detail.spans and not any("blink" in str(span.style) for span in detail.spans)
        # the 1 s tick retries, still failing: nothing new is said
        clock.advance(1)
        app.screen.tick()
        await keys(pilot, clock, "2")
        assert len(errors(notes)) == 1 and session.pending >= 6
        kept_back = session.pending
        assert len(on_disk(store, session)) == len(session.events) - kept_back
        # the disk comes back: the next key writes everything kept, in order, first
        faults.mode = None
        await keys(pilot, clock, "3")
        assert session.pending == 0
        assert on_disk(store, session) == session.events
        assert len(errors(notes)) == 1
        [back] = [m for m in infos(notes) if "written again" in m]
        assert f"the {kept_back + 1} actions kept in memory are saved" in back  # and "3"
        assert "NOT SAVED" not in clock_detail(app) and not panel.has_class("-unsaved")
        types = [e.type for e in on_disk(store, session)]
        # s: the case, its first phase and the presenter's turn (one key, one z)
        assert types == ["start", "queue", "case", "phase", "speak", "speak", "silence", "speak",
                         "speak", "speak", "speak"]


async def test_the_tick_writes_the_kept_actions_when_the_disk_is_back(store, faults, clock):
    app, session = running_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        faults.mode = "enospc"
        await keys(pilot, clock, "1", "2")
        assert session.pending == 2 and "NOT SAVED YET: 2" in clock_detail(app)
        faults.mode = None
        clock.advance(1)
        app.screen.tick()  # no key pressed: the timer's tick writes them
        await pilot.pause()
        assert session.pending == 0 and on_disk(store, session) == session.events
        assert len(errors(notes)) == 1
        assert sum("written again" in m for m in infos(notes)) == 1
        assert "NOT SAVED" not in clock_detail(app)


async def test_a_problem_over_within_one_key_is_said_as_error_then_all_clear(store, clock):
    """Both notices arrive at once: the first is still the error, the second the relief."""
    app, session = running_app(store, clock)
    notices = iter(["could not write the session journal x.jsonl (No space left on device)",
                    "the session journal x.jsonl can be written again"])
    session.take_write_notice = lambda: next(notices, None)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await keys(pilot, clock, "1")
        assert [(m[:9], s) for m, s, _ in notes.items] == [
            ("could not", "error"), ("the sessi", "information")
        ]


async def test_ending_while_the_disk_is_full_keeps_the_app_open_and_saves_later(
    store, faults, clock
):
    app, session = running_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await keys(pilot, clock, "u", "1", "s", "2")
        faults.mode = "enospc"
        await keys(pilot, clock, "3")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("e")
        await pilot.pause()
        # one line, the app stays open on the live screen, nothing filed, nothing lost
        assert app.is_running and isinstance(app.screen, LiveScreen)
        saving = [m for m in errors(notes) if m.startswith("Could not save the session")]
        assert len(saving) == 1 and "\n" not in saving[0]
        assert "nothing is lost yet: q tries again (No space left on device)" in saving[0]
        assert session.engine.state.ended and session.pending >= 2
        assert store.sessions() == []
        assert "NOT SAVED YET" in clock_detail(app)
        # the disk comes back; the tick writes the end and says so; q files it
        faults.mode = None
        clock.advance(1)
        app.screen.tick()
        await pilot.pause()
        assert session.pending == 0
        assert [e.type for e in on_disk(store, session)][-1] == "end"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    [row] = store.sessions()
    assert store.load_session(row["id"]).events == session.events
    assert store.unfinished() == []


async def test_ending_fails_twice_then_warns_once_and_a_last_quit_leaves(store, faults, clock):
    app, session = running_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await keys(pilot, clock, "u", "1", "s")
        on_disk_before = len(on_disk(store, session))
        faults.mode = "enospc"
        await keys(pilot, clock, "2")
        await pilot.press("ctrl+q", "e")
        await pilot.pause()
        assert app.is_running and len(errors(notes)) == 2  # the problem, then the end
        with pytest.raises(JournalUnavailable):
            session.finish()  # still failing (what the next quit tries)
        await pilot.press("q")  # tries again, fails: one warning, still open
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LiveScreen)
        warning = errors(notes)[-1]
        assert "not on disk yet" in warning and "quit again to leave anyway" in warning
        assert len(errors(notes)) == 3
        await pilot.press("q")  # leaves anyway
        await pilot.pause()
    assert not app.is_running and app.return_code == 0
    # what was written before the disk filled up is intact and offered for resume
    [info] = store.unfinished()
    assert info.session_id == session.session_id
    assert len(on_disk(store, session)) == on_disk_before


async def test_keep_to_resume_writes_the_kept_actions_first(store, faults, clock):
    app, session = running_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        faults.mode = "enospc"
        await keys(pilot, clock, "1", "2", "space")
        assert session.pending == 3
        faults.mode = None  # back, but no key or tick has come since
        await pilot.press("ctrl+q", "k")
        await pilot.pause()
    assert not app.is_running
    assert not [m for m in errors(notes) if "not on disk yet" in m]  # no warning needed
    assert on_disk(store, session) == session.events
    assert [i.session_id for i in store.unfinished()] == [session.session_id]


async def test_keep_to_resume_while_the_disk_is_full_warns_once_then_leaves(
    store, faults, clock
):
    app, session = running_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await keys(pilot, clock, "u", "1")
        faults.mode = "enospc"
        await keys(pilot, clock, "2")
        await pilot.press("ctrl+q", "k")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LiveScreen)
        [warning] = [m for m in errors(notes) if "not on disk yet" in m]
        # Ben's turn and the break that keeping records (the time away is nobody's)
        assert warning.startswith("Recorded actions not on disk yet: 2; quitting now")
        assert "quitting now loses them" in warning and "\n" not in warning
        await pilot.press("ctrl+q", "k")
        await pilot.pause()
    assert not app.is_running
    assert len([m for m in errors(notes) if "not on disk yet" in m]) == 1
    assert [e.type for e in on_disk(store, session)] == ["start", "queue"]
    assert [i.session_id for i in store.unfinished()] == [session.session_id]


# ---------------------------------------------------------------- hand-edited settings
HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b[2J\nline two\u202e"


def _safe(text: str) -> None:
    assert text and "\n" not in text and "\x1b" not in text and "\x07" not in text
    assert "\u202e" not in text and len(text) < 400


async def test_a_hostile_thresholds_key_is_one_safe_line(store, clock):
    from balint_tui.application import launch

    store.save_settings({"thresholds": {HOSTILE * 30: 5}})
    cards, _ = launch.cards_for(store.data_dir)
    factory, warning = launch.rules_factory_for(store, cards)
    assert factory is not None
    _safe(warning)
    assert "prompt thresholds in the settings are invalid" in warning
    app = app_for(store, clock, rules_factory=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.pause()
        assert app.card_warning == warning
    del notes


def test_a_hostile_keymap_key_is_one_safe_line(store):
    from balint_tui.application import keymap as launch

    (store.data_dir / launch.KEYMAP_FILE).write_text(
        f"{json.dumps(HOSTILE)} = 3\n", "utf-8"
    )
    keymap, warning = launch.load_keymap(store.data_dir)
    assert keymap == {}
    _safe(warning)
    (store.data_dir / launch.KEYMAP_FILE).write_bytes(b"[\x1b]52;c;x\x07\n")
    keymap, warning = launch.load_keymap(store.data_dir)
    assert keymap == {}
    _safe(warning)


async def test_a_damaged_group_does_not_stop_the_resume_offer(store, clock):
    """index.json edited by hand (a name with an escape) while a session waits."""
    session = start(store, group_of(NAMES), clock)
    session.close()
    path = store.data_dir / "index.json"
    raw = path.read_text("utf-8")
    path.write_text(raw.replace('"Tuesday group"', json.dumps("Tue" + HOSTILE)), "utf-8")
    from balint_tui.ui.screens.resume import ResumeScreen

    app = app_for(store, clock)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        [told] = [m for m in errors(notes) if "index.json is damaged" in m]
        _safe(told)
        assert "A session of a group" in str(app.screen.query_one("#resume-question").render())
