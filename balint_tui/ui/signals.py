"""SIGTERM and SIGHUP (a closed terminal window) end a Textual app like a quit.

Textual does not handle them: without a handler the process dies with the terminal
left in the alternate screen and the app's unmount handlers never run. A mix-in for
the apps: ``install_signal_handlers()`` once the loop runs (on mount),
``remove_signal_handlers()`` on unmount.

The signals are read by a thread of their own (``quit_watch.QuitWatch``), so they are
seen even when the main thread is stuck writing to a terminal that is gone or no
longer read. On the real terminal the CLI sets ``exit_deadline`` (an
``quit_watch.ExitDeadline``): the process then ends within ``QUIT_GRACE_S`` of the
signal however Textual's shutdown goes. While quitting, once the app is closing, or
once the terminal is gone, Textual's SIGCONT handler (for Ctrl+Z: it starts the
terminal output again) is not run: a hang-up sends SIGCONT, and output started again
on a dead terminal blocked the shutdown for good.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

from balint_tui.ui.quit_watch import EXIT_GRACE_S, ExitDeadline, QuitWatch, quit_signals


def _noop(signum: int, frame: Any) -> None:
    """A Python-level handler: the signal is read from the wakeup pipe, not here."""


class QuitOnSignals:
    """For an ``App`` subclass: the signals call ``exit(return_code=0)``."""

    exit_deadline: ExitDeadline | None = None  # set by the CLI on the real terminal
    _quitting_by_signal = False
    _closing = False
    _signal_watch: QuitWatch | None = None
    _saved_handlers: dict[int, Any]

    if TYPE_CHECKING:  # the App's
        def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
            ...

    def install_signal_handlers(self) -> None:
        if self._signal_watch is not None:
            return
        loop = asyncio.get_running_loop()
        deadline = self.exit_deadline
        if deadline is not None:
            deadline.last_words = self.last_words_before_exit
            deadline.exit_code = self.exit_code_now
        def seen(signum: int) -> None:  # on the watch's thread
            self._quitting_by_signal = True
            loop.call_soon_threadsafe(self.quit_on_signal)

        watch = QuitWatch(seen, deadline)
        watch.start()  # first: from now on no signal is missed
        self._signal_watch = watch
        self._saved_handlers = {}
        for sig in quit_signals():
            try:
                self._saved_handlers[sig] = signal.signal(sig, _noop)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover
                continue
        self._guard_sigcont()

    def remove_signal_handlers(self) -> None:
        watch, self._signal_watch = self._signal_watch, None
        if watch is None:
            return
        watch.stop()
        # SIGCONT keeps its guard, which now never resumes: the app is closing
        self._closing = True
        for sig, handler in self._saved_handlers.items():
            try:
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover
                pass
        self._saved_handlers = {}
        if self.exit_deadline is not None:
            # the app is closing: the rest (Textual's shutdown, the last line on the
            # command line) must not hang on the terminal either
            self.exit_deadline.arm(EXIT_GRACE_S)

    def _guard_sigcont(self) -> None:
        sig = getattr(signal, "SIGCONT", None)
        if sig is None:  # pragma: no cover - not POSIX
            return
        textual_handler = signal.getsignal(sig)
        if not callable(textual_handler):
            return  # headless: nothing to resume

        def on_sigcont(signum: int, frame: Any) -> None:
            if self._quitting_by_signal or self._closing or not _terminal_there():
                return
            textual_handler(signum, frame)

        signal.signal(sig, on_sigcont)

    def quit_on_signal(self) -> None:
        self._quitting_by_signal = True
        self.exit(return_code=0)

    # ------------------------------------------------------------ the deadline's hooks
    def last_words_before_exit(self) -> None:
        """Called on the deadline's thread just before ``os._exit``, if the orderly
        shutdown has not finished: anything that must reach the disk first."""

    def exit_code_now(self) -> int:
        code = getattr(self, "return_code", None)
        return code if isinstance(code, int) else 0


def _terminal_there() -> bool:
    stdin = sys.__stdin__
    if stdin is None:
        return False
    try:
        return os.isatty(stdin.fileno())  # False once hung up
    except (AttributeError, OSError, ValueError):
        return False


__all__ = ["QuitOnSignals"]
