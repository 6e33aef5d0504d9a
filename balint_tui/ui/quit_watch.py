"""SIGTERM and SIGHUP read off the main thread, and a quit that cannot hang.

Closing a terminal window (or a tmux session) hangs the terminal up: the kernel sends
SIGHUP and SIGCONT, and every write to the terminal fails from then on. Textual's
SIGCONT handler (there for Ctrl+Z) then starts its output again on the dead terminal;
the new output thread dies at its first write (EIO), its queue fills, and Textual's
shutdown waits forever to put more into it. A terminal that is still there but no
longer read (a stalled connection) blocks the writes the same way. The process stayed
alive, holding the data folder's lock, with no window left to close.

So:
- ``QuitWatch``: a thread reads the signals (the C handler writes each signal's number
  to a pipe: ``signal.set_wakeup_fd``), whatever the main thread is doing, even stuck in
  a write; it asks the app to quit on its event loop (thread-safe).
- ``ExitDeadline`` (the real terminal only, never in tests that run the app in their own
  process): once the terminal is gone, standard output and error are pointed at
  ``/dev/null``, so no later write can fail or block; and the process ends at the latest
  ``QUIT_GRACE_S`` after a quit signal (``EXIT_GRACE_S`` after any other quit). If the
  orderly shutdown has not finished by then: events kept in memory by a write problem
  get one more try (``last_words``), the terminal's modes are put back if it is still
  there (without waiting for it), and ``os._exit``. That is safe: every event was
  fsynced before the screen showed it, TinyDB files are replaced atomically, and the OS
  drops the folder's lock with the process.

No Textual here.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

QUIT_SIGNALS = ("SIGTERM", "SIGHUP")
QUIT_GRACE_S = 1.0  # after SIGTERM or SIGHUP: the orderly shutdown takes ~0.2 s
EXIT_GRACE_S = 3.0  # after any other quit (q, a crash): from the app's unmount

_STOP = 0  # no signal has number 0: the byte that ends the watch thread

# what Textual turns on, turned off: mouse, bracketed paste, Kitty keys, focus events,
# the alternate screen; the cursor shown
RESTORE = (
    b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[<u"
    b"\x1b[?1004l\x1b[?7h\x1b[?1049l\x1b[?25h"
)


def quit_signals() -> list[int]:
    return [getattr(signal, n) for n in QUIT_SIGNALS if hasattr(signal, n)]


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)  # False once a terminal is hung up (its ioctls fail)
    except OSError:  # pragma: no cover - a closed descriptor
        return False


class ExitDeadline:
    """For the app on the real terminal (``balint-tui run``, ``demo``, ``review``):
    the process ends at the latest a few seconds after it was told to quit."""

    def __init__(self, *, stdin_fd: int = 0, out_fds: tuple[int, ...] = (1, 2)) -> None:
        self.stdin_fd = stdin_fd
        self.out_fds = [fd for fd in out_fds if _isatty(fd)]  # a log file is left alone
        self.had_terminal = _isatty(stdin_fd)
        self.tty_attrs: list | None = None
        if self.had_terminal:
            try:
                import termios

                self.tty_attrs = termios.tcgetattr(stdin_fd)
            except Exception:  # pragma: no cover - not a POSIX terminal
                self.tty_attrs = None
        self.last_words: Callable[[], object] | None = None
        self.exit_code: Callable[[], int] = lambda: 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._detached = False

    @property
    def armed(self) -> bool:
        return self._timer is not None

    def terminal_gone(self) -> bool:
        """The terminal was closed (hung up): its descriptors fail from now on."""
        return self.had_terminal and not _isatty(self.stdin_fd)

    def detach_if_gone(self) -> bool:
        """If the terminal is gone: standard output and error to ``/dev/null`` (every
        later write, Textual's or ours, neither fails nor blocks). True if detached."""
        with self._lock:
            if self._detached or not self.terminal_gone():
                return self._detached
            try:
                null = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
            except OSError:  # pragma: no cover
                return False
            try:
                for fd in self.out_fds:
                    os.dup2(null, fd)
            finally:
                os.close(null)
            self._detached = True
            return True

    def arm(self, grace: float) -> None:
        """End the process ``grace`` s from now unless it has ended by then (the first
        call counts; later ones do not push the deadline back)."""
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(grace, self._fire)
            self._timer.name = "balint-exit-deadline"
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        code = 0
        try:
            if self.last_words is not None:
                self.last_words()
            code = self.exit_code()
            self._restore_terminal()
        except BaseException:
            pass
        finally:
            os._exit(code)

    def _restore_terminal(self) -> None:
        """Put the terminal's modes back if it is still there, never waiting for it."""
        if not self.had_terminal or self.terminal_gone():
            return
        import termios

        if self.tty_attrs is not None:
            try:
                termios.tcsetattr(self.stdin_fd, termios.TCSANOW, self.tty_attrs)
            except termios.error:
                pass
        # a descriptor of its own, so that non-blocking does not leak to the shell's
        fd = os.open(os.ttyname(self.stdin_fd),
                     os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        try:
            os.write(fd, RESTORE)
        except OSError:  # nobody reads the terminal: its buffer is full
            pass
        finally:
            os.close(fd)


class QuitWatch:
    """Reads SIGTERM and SIGHUP on a thread of its own and calls ``on_quit(signum)``
    there (it must be thread-safe); ``deadline`` (the real terminal) is detached and
    armed first. ``start`` and ``stop`` from the main thread."""

    def __init__(self, on_quit: Callable[[int], None],
                 deadline: ExitDeadline | None = None) -> None:
        self.on_quit = on_quit
        self.deadline = deadline
        self._quit = set(quit_signals())
        self._cont = getattr(signal, "SIGCONT", None)
        self._write_fd = -1
        self._previous_fd = -1

    def start(self) -> None:
        read_fd, write_fd = os.pipe()  # not inherited by child processes
        try:
            os.set_blocking(write_fd, False)
            previous = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
            os.close(read_fd)
            os.close(write_fd)
            return
        self._write_fd, self._previous_fd = write_fd, previous
        threading.Thread(
            target=self._run, args=(read_fd, write_fd, previous),
            name="balint-quit-watch", daemon=True,
        ).start()

    def stop(self) -> None:
        if self._write_fd < 0:
            return
        write_fd, self._write_fd = self._write_fd, -1
        signal.set_wakeup_fd(self._previous_fd)
        try:
            os.write(write_fd, bytes([_STOP]))  # the thread closes both ends
        except OSError:  # pragma: no cover - the pipe is full: the thread is gone
            pass

    def _run(self, read_fd: int, write_fd: int, previous: int) -> None:
        try:
            while True:
                try:
                    data = os.read(read_fd, 64)
                except InterruptedError:  # pragma: no cover
                    continue
                if not data:  # pragma: no cover
                    return
                for signum in data:
                    if signum == _STOP:
                        return
                    if previous >= 0:  # whoever had the wakeup fd before still gets it
                        try:
                            os.write(previous, bytes([signum]))
                        except OSError:
                            pass
                    self._seen(signum)
        finally:
            os.close(read_fd)
            os.close(write_fd)

    def _seen(self, signum: int) -> None:
        deadline = self.deadline
        if signum in self._quit:
            if deadline is not None:
                deadline.detach_if_gone()
                deadline.arm(QUIT_GRACE_S)
            try:
                self.on_quit(signum)
            except Exception:
                pass
        elif signum == self._cont and deadline is not None:
            deadline.detach_if_gone()  # a hang-up sends SIGCONT after SIGHUP


__all__ = ["EXIT_GRACE_S", "QUIT_GRACE_S", "ExitDeadline", "QuitWatch", "quit_signals"]
