"""The real app in a pseudo-terminal (80x24, xterm-256color): SIGTERM, SIGHUP and a
closed window end it cleanly; an unexpected error is one short line; names edited by
hand into the data files never reach the terminal as escape sequences.

Each run is a child process driven through ``tests/hardening/terminal.py``: keys are
sent one by one and each waits until the screen shows its effect (the journal is on
disk before the screen shows anything), every read has a deadline."""

from __future__ import annotations

import json
import signal

import pytest
from hardening_helpers import HARDENING
from terminal import FIRST_FRAME, Terminal, screen_text

from balint_tui.commands.run import CRASH_LINE
from balint_tui.store.store import Store

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGHUP"), reason="needs a POSIX pseudo-terminal"
)

# s records the case, its first phase and the presenter's turn; 2 gives Ben the floor
KEYED = ["start", "queue", "case", "phase", "speak", "speak", "silence"]


def keyed_demo(data, script=None, env=None) -> Terminal:
    """The demo at 80x24 with: s (first case), 2 (Ben has the floor), space (silence)."""
    args = ("--data-dir", str(data), "demo")
    term = Terminal.script(script, *args, env=env) if script else Terminal.start(*args, env=env)
    try:
        term.wait_for(FIRST_FRAME)
        term.press("s", "presenting")
        term.press("2", "speaking")
        if script is None:
            term.press(" ", "nobody speaking")
    except BaseException:
        term.kill()
        raise
    return term


def journal_of(data):
    """The one interrupted session: its journal read back (no torn line)."""
    with Store.open(data) as store:
        [info] = store.unfinished()
        contents = store.read_journal(info.session_id)
    assert not contents.torn_tail
    return [e.type for e in contents.events if e.type != "prompt"]


# ---------------------------------------------------------------- signals
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_ends_the_app_cleanly_and_the_session_resumes(tmp_path, sig):
    data = tmp_path / "data"
    term = keyed_demo(data)
    term.signal(sig)
    assert term.finish() == 0
    assert term.restored()  # alternate screen left, cursor shown
    assert b"Traceback" not in term.raw
    # nothing went wrong: one line says the session is kept to resume, and where
    said = " ".join(screen_text(term.after_app).split())
    assert said.startswith("balint-tui: session ") and "kept to resume" in said, said
    assert said.count("balint-tui:") == 1
    assert journal_of(data) == KEYED
    if sig == signal.SIGTERM:
        # and the next start offers it; resuming shows the silence still running
        term = Terminal.start("--data-dir", str(data), "run")
        try:
            term.wait_for("was interrupted")
            term.press("r", "nobody speaking")
            term.signal(signal.SIGTERM)
            assert term.finish() == 0
        finally:
            term.kill()


def test_closing_the_terminal_window_keeps_the_session(tmp_path):
    data = tmp_path / "data"
    term = keyed_demo(data)
    term.hang_up()  # the kernel sends SIGHUP; the terminal is gone
    assert term.finish() == 0
    assert journal_of(data) == KEYED


def test_the_review_screen_ends_cleanly_on_sigterm(tmp_path):
    data = tmp_path / "data"
    _data_with_a_session(data, finish=True)
    term = Terminal.start("--data-dir", str(data), "review", "--last")
    try:
        term.wait_for("Session review")
        term.signal(signal.SIGTERM)
        assert term.finish() == 0
    finally:
        term.kill()
    assert term.restored() and b"Traceback" not in term.raw


# ---------------------------------------------------------------- a crash
CRASHING = HARDENING / "crashing_cli.py"


def test_an_unexpected_error_is_one_short_line_and_the_session_resumes(tmp_path):
    from crashing_cli import SECRET

    data = tmp_path / "data"
    term = keyed_demo(data, script=CRASHING)
    term.press(" ", "")  # the broken key
    assert term.finish() == 1
    assert term.restored()
    raw = bytes(term.raw)
    for leak in (b"Traceback", SECRET.encode(), b"secret_local", b"broke while",
                 b"member_name", b"locals", b"RuntimeError"):
        assert leak not in raw, leak
    said = screen_text(term.after_app).strip()
    assert said == f"balint-tui: {CRASH_LINE}" and len(said) <= 80
    assert journal_of(data) == KEYED[:-1]  # everything keyed before the crash


def test_debug_shows_the_full_traceback(tmp_path):
    data = tmp_path / "data"
    term = keyed_demo(data, script=CRASHING, env={"BALINT_TUI_DEBUG": "1"})
    term.press(" ", "")
    assert term.finish() == 1
    assert term.restored()
    text = screen_text(term.after_app)
    assert "Traceback" in text and "broke while" in text and CRASH_LINE in text
    assert journal_of(data) == KEYED[:-1]


# ---------------------------------------------------------------- hostile names
# OSC 52 (write the clipboard), OSC 0 (window title), a C1 CSI, clear the screen
HOSTILE = "\x1b]52;c;UFdORUQ=\x07\x1b]0;PWNED\x07\u009b2J\x1b[2J"
RAW_SEQUENCES = (b"\x1b]52", b"\x1b]0;PWNED", b"\xc2\x9b", b"\x1b[2J")


def _data_with_a_session(data, *, finish: bool = False) -> str:
    from balint_tui.application.live import LiveSession
    from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates

    with Store.open(data) as store:
        group = Group(id="g1", name="Tuesday group",
                      members=[Member(id="m1", name="Ana"), Member(id="m2", name="Ben")])
        store.save_group(group)
        plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
        live = LiveSession.start(store, group, plan, ["m1", "m2"])
        live.record("speak", who="m1")
        if finish:
            live.finish()
        else:
            live.close()
        return live.session_id


def _edit(path, *pairs: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def _hostile_index(data) -> None:
    _edit(data / "index.json", ('"Ana"', json.dumps("Ana" + HOSTILE)),
          ('"Tuesday group"', json.dumps("Tue" + HOSTILE)))


def hostile_index_demo(data):
    _data_with_a_session(data, finish=True)
    _hostile_index(data)
    return "demo", "damaged"


def hostile_index_resume(data):
    _data_with_a_session(data)
    _hostile_index(data)
    return "run", "interrupted"


def hostile_journal(data):
    sid = _data_with_a_session(data)
    _edit(data / "journals" / f"{sid}.jsonl", ('"Ana"', json.dumps("Ana" + HOSTILE)))
    return "run", "aside"


def hostile_record(data):
    sid = _data_with_a_session(data, finish=True)
    _edit(data / "sessions" / f"{sid}.json", ('"Ana"', json.dumps("Ana" + HOSTILE)))
    return "review --last", "damaged"  # said on the command line; exits 1


def hostile_keymaps(data):
    _data_with_a_session(data, finish=True)
    (data / "keymap.toml").write_text(
        f'"live.silence" = {json.dumps(HOSTILE)}\n', "utf-8")
    with Store.open(data) as store:
        store.save_settings({"keymap": {"live.next_case": HOSTILE},
                             "thresholds": {HOSTILE: 1}})
    return "demo", "remapped"  # the keymap.toml warning


@pytest.mark.parametrize("edit", [hostile_index_demo, hostile_index_resume, hostile_journal,
                                  hostile_record, hostile_keymaps])
def test_escape_sequences_edited_into_the_files_never_reach_the_terminal(tmp_path, edit):
    data = tmp_path / "data"
    command, says = edit(data)
    term = Terminal.start("--data-dir", str(data), *command.split())
    try:
        term.wait_for(says)  # the problem is said, in the app or on the command line
        if command.startswith("review"):
            code = term.finish()
            assert code == 1 and says in screen_text(term.raw)
        else:
            term.signal(signal.SIGTERM)
            code = term.finish()
            assert code == 0 and term.restored()
    finally:
        term.kill()
    raw = bytes(term.raw)
    for sequence in RAW_SEQUENCES:
        assert sequence not in raw, sequence
    assert b"Traceback" not in raw


# ---------------------------------------------------------------- before the app runs
@pytest.mark.parametrize("debug", [False, True])
def test_an_error_while_building_the_app_is_one_line_too(tmp_path, monkeypatch, debug):
    from click.testing import CliRunner

    from balint_tui.cli import cli
    from balint_tui.ui import app

    def broken(store, **options):
        secret_local = "Zebulon-secret"
        raise RuntimeError(f"{secret_local} broke it")

    monkeypatch.setattr(app, "make_app", broken)
    if debug:
        monkeypatch.setenv("BALINT_TUI_DEBUG", "1")
    else:
        monkeypatch.delenv("BALINT_TUI_DEBUG", raising=False)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "demo"])
    if debug:  # the error itself, for a bug report
        assert isinstance(result.exception, RuntimeError)
        return
    assert result.exit_code == 1
    # no app, no session: the line says nothing was lost (issue 22, item 15)
    from balint_tui.ui.exit_line import CRASH_NO_SESSION

    assert result.output.strip().splitlines() == [f"balint-tui: {CRASH_NO_SESSION}"]


def test_a_store_error_while_building_the_app_is_its_own_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from balint_tui.cli import cli
    from balint_tui.store.errors import StoreError
    from balint_tui.ui import app

    def broken(store, **options):
        raise StoreError("settings.json is damaged\n(set aside)")

    monkeypatch.setattr(app, "make_app", broken)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "run"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "balint-tui: settings.json is damaged (set aside)"
    ]
