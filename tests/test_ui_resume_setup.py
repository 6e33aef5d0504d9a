"""Resume offer, setup screen, literal names, signals and the crash line."""

from __future__ import annotations

import os
import signal

from textual.content import Content
from ui_helpers import (
    Notes,
    app_for,
    group_of,
    journal_types,
    open_store,
    start,
    state,
)

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.resume import ResumeScreen
from balint_tui.ui.screens.setup import SetupScreen


# ---------------------------------------------------------------- resume
async def interrupted_session(store) -> tuple[str, list]:
    """A demo session with a case and a speaker, left by 'keep to resume'."""
    clock = ManualClock(0)
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("s")
        clock.advance(90)
        await pilot.press("2")
        clock.advance(30)
        await pilot.press("q", "k")
        await pilot.pause()
    return app.session.session_id, list(app.session.events)


async def test_resume_continues_the_clock_from_the_recorded_events(store):
    sid, events = await interrupted_session(store)
    clock = ManualClock(0)  # a fresh clock: the session's own time comes from its events
    app = app_for(store, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("r")
        assert isinstance(app.screen, LiveScreen)
        s = state(app)
        assert app.session.session_id == sid
        assert s.event_count == len(events)
        # kept to resume: on a break since the keep, nobody holds the floor
        assert s.case is not None and s.floor is None and s.paused_since == 120
        assert s.now == 120  # never earlier than the last recorded event
        clock.set(130)
        app.screen.tick()
        await pilot.pause()
        assert s.now == 130 and s.pause_length == 10
        await pilot.press("space")
        assert journal_types(store, sid)[-1] == "silence"


async def test_resume_offer_end_saves_it_and_later_goes_to_setup(store):
    sid, _ = await interrupted_session(store)
    app = app_for(store, ManualClock(0))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
    assert [j.session_id for j in store.unfinished()] == [sid]
    app = app_for(store, ManualClock(0))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
    assert store.unfinished() == []
    assert [r["id"] for r in store.sessions()] == [sid]


async def test_demo_also_offers_the_interrupted_session_first(store):
    sid, _ = await interrupted_session(store)
    app = app_for(store, ManualClock(0), demo=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("r")
        assert app.session.session_id == sid


# ---------------------------------------------------------------- setup
async def type_into(pilot, selector, text):
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


def message(app, selector) -> str:
    return str(app.screen.query_one(selector).render())


async def test_setup_creates_a_group_with_members_and_starts(store):
    clock = ManualClock(0)
    app = app_for(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.focused.id == "group-name"  # no group yet: name one
        await pilot.press(*"Tuesday", "enter")
        await pilot.pause()
        for name in ("Ann", "Ben", "Chloe"):
            await type_into(pilot, "#member-name", name)
        await type_into(pilot, "#member-name", "coleader")
        assert "reserved for the leaders" in message(app, "#member-msg")
        await type_into(pilot, "#member-name", "ben")
        assert "already has this name" in message(app, "#member-msg")
        await type_into(pilot, "#member-name", " ")
        assert "must not be empty" in message(app, "#member-msg")
        # Ben is away today
        roster = app.screen.query_one("#members")
        roster.focus()
        roster.highlighted = 1
        await pilot.press("space")
        assert "2 of 3 present" in message(app, "#present-msg")
        await type_into(pilot, "#plan", "ends 13:30")
        assert "90 min" in message(app, "#plan-msg")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        s = state(app)
        assert s.plan.duration_min == 90
        names = app.session.names
        assert [names[m] for m in s.members] == ["Ann", "Ben", "Chloe"]
        assert {names[m] for m in s.present} == {"Ann", "Chloe"}
    group = store.groups()[0]
    assert group.name == "Tuesday" and [m.name for m in group.active] == ["Ann", "Ben", "Chloe"]


async def test_start_with_a_name_still_in_the_member_field_says_so_and_loses_nothing(store):
    """ctrl+s right after typing a name (its Enter not yet handled, or never pressed):
    the session does not start without that member; the screen says why, and the name
    waits in the field for its Enter."""
    clock = ManualClock(0)
    app = app_for(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Tuesday", "enter")
        await pilot.pause()
        for name in ("Ann", "Ben"):
            await type_into(pilot, "#member-name", name)
        app.screen.query_one("#member-name").focus()
        await pilot.press(*"Cy", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "Not started: Cy was typed but not added yet" in message(app, "#plan-msg")
        assert app.screen.query_one("#member-name").value == "Cy"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        names = app.session.names
        assert [names[m] for m in state(app).members] == ["Ann", "Ben", "Cy"]


async def test_setup_rename_reorder_retire_and_template(store):
    store.save_group(group_of(["Ana", "Ben", "Chloe", "Dev"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        roster = app.screen.query_one("#members")
        assert app.focused is roster
        roster.highlighted = 0
        await pilot.press("r")
        assert app.focused.id == "member-name"
        app.focused.value = ""
        await pilot.press(*"Anna", "enter")
        await pilot.pause()
        roster.focus()
        roster.highlighted = 3
        await pilot.press("shift+up")
        await pilot.pause()
        roster.highlighted = 1
        await pilot.press("d")
        await pilot.pause()
        assert "Retired" in message(app, "#member-msg")
        template = app.screen.query_one("#template")
        template.value = "residency"
        await pilot.pause()
        assert app.screen.query_one("#plan").value == "90"
        await type_into(pilot, "#plan", "tomorrow")
        assert "neither a length" in message(app, "#plan-msg")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)  # a bad plan does not start
        await type_into(pilot, "#plan", "75")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert state(app).plan.template.name == "residency"
    group = store.group("g1")
    assert [m.name for m in group.active] == ["Anna", "Dev", "Chloe"]
    assert group.member("m2").retired
    assert group.default_template == "residency"


async def test_setup_group_name_is_validated_inline(store):
    app = app_for(store, ManualClock(0))
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one("#group-name")
        field.value = "bad\u202ename"  # a right-to-left override, pasted
        await pilot.press("enter")
        await pilot.pause()
        assert "control or invisible character" in message(app, "#group-msg")
        assert store.groups() == []
        await type_into(pilot, "#group-name", "x" * 41)  # refused whole, not cut to 40
        assert "longer than 40 characters" in message(app, "#group-msg")
        assert store.groups() == []
        await type_into(pilot, "#group-name", "x" * 40)
        assert [len(g.name) for g in store.groups()] == [40]


# ---------------------------------------------------------------- literal names
MARKUP_NAMES = ["[bold]Ann[/]", "[ @click=app.quit]x", "Ben"]


async def test_markup_looking_names_render_literally_in_widgets_and_notifications(store):
    clock = ManualClock(0)
    session = start(store, group_of(MARKUP_NAMES, name="[red]Group[/]"), clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        notes = Notes(app)
        await pilot.press("u", "1")  # notification: "Case queued: [bold]Ann[/]"
        await pilot.press("u", "2")
        await pilot.pause()
        # one notice at a time: the latest (its name literal) takes the place of the last
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("Case queued: [ @click=app.quit]x" in t for t in toasts)
        await pilot.press("s", "2")
        await pilot.pause()
        panel = str(app.screen.query_one("#participation").render())
        assert "[bold]Ann[/]" in panel and "[ @click=app.q" in panel  # cut to the column
        # the presenter is named once, in the case panel's title, literally
        case_title = app.screen.query_one("#case").border_title
        assert "[bold]Ann[/] presenting" in Content.from_markup(case_title).plain
        assert "[ @click=app.quit]x" in str(app.screen.query_one("#queue").render())
        assert all(markup is False for _, _, markup in notes.items)
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("Case 1 started ([bold]Ann[/]) - z to undo" in t for t in toasts)
        assert any("Case queued: [bold]Ann[/]" in m for m, _, _ in notes.items)
        shot = app.export_screenshot()
        assert "[bold]Ann[/]" in shot.replace("&#160;", " ")
        await pilot.click("Toast")  # a click on the toast runs no action in the name
        await pilot.pause()
        assert app.is_running


async def test_names_are_safe_displayed_even_if_a_file_was_edited(store):
    clock = ManualClock(0)
    session = start(store, group_of(["Ann", "Ben"]), clock)
    session.names[session.state.members[0]] = "Ann\x1b[31m"  # hand-edited file
    app = app_for(store, clock, session=session)
    async with app.run_test() as pilot:
        await pilot.pause()
        panel = str(app.screen.query_one("#participation").render())
        assert "\x1b" not in panel and "Ann\ufffd[31m" in panel


# ---------------------------------------------------------------- signals, crashes
async def test_sigterm_ends_the_app_cleanly_with_the_journal_intact(store):
    app = app_for(store, ManualClock(0), demo=True, handle_signals=True)
    async with app.run_test() as pilot:
        await pilot.press("3")
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 0
    [info] = store.unfinished()
    assert info.events == 3  # start, queue, speak: nothing lost, nothing torn
    # the handlers went with the app: the next SIGTERM default is back for pytest
    import asyncio

    assert not asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)


async def test_sighup_ends_the_app_too(store):
    app = app_for(store, ManualClock(0), demo=True, handle_signals=True)
    async with app.run_test() as pilot:
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 0 and len(store.unfinished()) == 1


def test_an_unexpected_error_is_one_short_line_without_names(store, capsys):
    from balint_tui.commands.run import CRASH_LINE, run_app

    clock = ManualClock(0)
    session = start(store, group_of(["Secretname"]), clock)

    def boom() -> None:
        raise RuntimeError("Secretname broke it")

    app = app_for(store, clock, session=session)
    app.call_later(lambda: app.screen.set_timer(0.01, boom))
    code = run_app(app, headless=True)
    assert code == 1
    err = capsys.readouterr().err
    assert "Secretname" not in err and "Traceback" not in err
    assert len(f"balint-tui: {CRASH_LINE}") <= 80  # the one line the command prints
    assert len(store.unfinished()) == 1


def test_the_command_prints_one_line_when_the_app_crashed(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from balint_tui.cli import cli
    from balint_tui.commands import run as run_cmd

    monkeypatch.setattr(run_cmd, "run_app", lambda app, headless=False: 1)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "demo"])
    assert result.exit_code == 1
    # the app never ran: no session to resume, and the line says so (issue 22, item 15)
    from balint_tui.ui.exit_line import CRASH_NO_SESSION

    assert result.output.strip().splitlines() == [f"balint-tui: {CRASH_NO_SESSION}"]


def test_a_locked_data_dir_is_one_line(tmp_path):
    from click.testing import CliRunner

    from balint_tui.cli import cli

    held = open_store(tmp_path)  # another balint-tui holds the folder
    try:
        result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "run"])
    finally:
        held.close()
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "another balint-tui is using" in result.output


def test_the_run_command_module_does_not_import_textual():
    import subprocess
    import sys

    code = (
        "import sys, balint_tui.cli, balint_tui.commands.run, balint_tui.commands.replay;"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_a_terminal_the_app_says_so_in_one_line_and_starts_nothing(tmp_path):
    """``balint-tui demo < /dev/null`` (or from a script): one line, exit 2, no session."""
    from click.testing import CliRunner

    from balint_tui.cli import cli
    from balint_tui.commands.run import NOT_A_TERMINAL

    for command in ("demo", "run"):
        result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), command])
        assert result.exit_code == 2
        assert result.output.strip().splitlines() == [f"balint-tui: {NOT_A_TERMINAL}"]
    from balint_tui.store.store import Store

    store = Store.open(tmp_path / "d")
    assert store.unfinished() == [] and store.sessions() == []
    store.close()
