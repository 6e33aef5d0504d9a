"""The pieces behind "a closed terminal ends the app within 2 s" (the whole of it, in a
real pseudo-terminal: ``test_hardening_terminal_close.py``).

- a quit signal is seen while the main thread is stuck (as in a write to a terminal
  that is gone): it is read on a thread of its own, not on the event loop;
- Textual's SIGCONT handler (it starts the terminal output again) is not run while
  quitting, once the app is closing, or once the terminal is gone;
- the exit deadline ends a process whose main thread never returns.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from balint_tui.ui import signals as app_signals
from balint_tui.ui.quit_watch import QUIT_GRACE_S, QuitWatch

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


def test_a_quit_signal_is_seen_while_the_main_thread_is_stuck():
    stuck = threading.Lock()
    stuck.acquire()
    seen: list[tuple[int, str]] = []

    def on_quit(signum: int) -> None:
        seen.append((signum, threading.current_thread().name))
        stuck.release()  # only another thread can unblock the main one

    previous = signal.signal(signal.SIGTERM, app_signals._noop)
    watch = QuitWatch(on_quit)
    watch.start()
    try:
        signal.raise_signal(signal.SIGTERM)
        assert stuck.acquire(timeout=5), "the signal was not seen while the main thread waited"
    finally:
        watch.stop()
        signal.signal(signal.SIGTERM, previous)
    assert seen == [(signal.SIGTERM, "balint-quit-watch")]


class _App(app_signals.QuitOnSignals):
    pass


@pytest.mark.parametrize(
    ("quitting", "closing", "terminal", "resumed"),
    [(False, False, True, True), (True, False, True, False),
     (False, True, True, False), (False, False, False, False)],
    ids=["running", "quitting", "closing", "terminal-gone"],
)
def test_textual_resumes_output_on_sigcont_only_while_running_on_a_live_terminal(
    monkeypatch, quitting, closing, terminal, resumed
):
    calls = []
    previous = signal.signal(signal.SIGCONT, lambda *a: calls.append(a))  # Textual's
    try:
        app = _App()
        app._saved_handlers = {}
        app._guard_sigcont()
        app._quitting_by_signal, app._closing = quitting, closing
        monkeypatch.setattr(app_signals, "_terminal_there", lambda: terminal)
        signal.getsignal(signal.SIGCONT)(signal.SIGCONT, None)
    finally:
        signal.signal(signal.SIGCONT, previous)
    assert bool(calls) == resumed


def test_the_exit_deadline_ends_a_process_whose_main_thread_never_returns():
    script = textwrap.dedent(
        f"""
        import threading
        from balint_tui.ui.quit_watch import ExitDeadline
        deadline = ExitDeadline()
        deadline.exit_code = lambda: 7
        deadline.last_words = lambda: print("last words", flush=True)
        deadline.arm({QUIT_GRACE_S!r})
        lock = threading.Lock()
        lock.acquire()
        lock.acquire()  # stuck for good, like Textual's shutdown on a dead terminal
        """
    )
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=15)
    took = time.monotonic() - start
    assert done.returncode == 7 and done.stdout == b"last words\n"
    assert QUIT_GRACE_S <= took < QUIT_GRACE_S + 5
