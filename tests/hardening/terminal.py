"""Run balint-tui in a pseudo-terminal, as a leader's terminal would (tests only).

``Terminal.start([...args])`` starts ``python -m balint_tui ARGS`` (or a script) on the
slave side of a pty sized 80x24 with TERM=xterm-256color; the pty is the child's
controlling terminal, so closing it (``hang_up``) sends SIGHUP like a closed window.
Every read has a deadline: a hang fails the test instead of blocking it.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence

# escape sequences, to read the screen's words (CSI, OSC, charset and keypad modes)
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
FIRST_FRAME = "Session left"  # the live screen's clock panel


def screen_text(raw: bytes) -> str:
    """The words written to the terminal, escape sequences replaced by a space."""
    return re.sub(r"\s+", " ", _ESCAPES.sub(b" ", raw).decode("utf-8", "replace"))


# the child, a new session's leader, takes the pty as its controlling terminal, then
# becomes the program (no preexec_fn: not safe with threads)
_TAKE_TTY = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


class Terminal:
    def __init__(self, argv: Sequence[str], *, env: dict[str, str] | None = None,
                 rows: int = 24, cols: int = 80) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        child_env = {
            k: v for k, v in os.environ.items()
            if not k.startswith(("BALINT_TUI", "TEXTUAL", "NO_COLOR", "COLUMNS", "LINES"))
        }
        child_env.update(TERM="xterm-256color", **(env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TAKE_TTY, *argv], stdin=slave, stdout=slave,
            stderr=slave, env=child_env, start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.raw = bytearray()
        self.closed = False  # nothing more to read (the child's side closed, or hung up)
        self._fd_open = True

    @classmethod
    def start(cls, *args: str, env: dict[str, str] | None = None) -> Terminal:
        return cls([sys.executable, "-m", "balint_tui", *args], env=env)

    @classmethod
    def script(cls, path: os.PathLike[str] | str, *args: str,
               env: dict[str, str] | None = None) -> Terminal:
        return cls([sys.executable, os.fspath(path), *args], env=env)

    # ------------------------------------------------------------------ reading
    def _read_once(self, wait: float) -> bool:
        """Read what is there (up to ``wait`` s); False once the terminal is closed."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed its side
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.raw.extend(chunk)
        return True

    def wait_for(self, text: str, *, since: int = 0, timeout: float = 15.0) -> int:
        """Read until ``text`` shows on screen after byte ``since``; returns the new end.
        Fails (AssertionError) at the deadline or if the app exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in screen_text(bytes(self.raw[since:])):
                return len(self.raw)
            if not self._read_once(0.05):
                break
        if text in screen_text(bytes(self.raw[since:])):
            return len(self.raw)
        tail = screen_text(bytes(self.raw[-1500:]))
        raise AssertionError(f"{text!r} never showed (exit {self.proc.poll()}): ...{tail}")

    def press(self, key: str, shows: str, *, timeout: float = 15.0) -> None:
        """Send one key and wait until ``shows`` appears in what is drawn after it."""
        since = len(self.raw)
        os.write(self.master, key.encode())
        self.wait_for(shows, since=since, timeout=timeout)

    # ------------------------------------------------------------------ ending
    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def hang_up(self) -> None:
        """Close the terminal (a closed window): the kernel sends SIGHUP to the app."""
        if self._fd_open:
            os.close(self.master)
            self._fd_open = False
        self.closed = True

    def finish(self, timeout: float = 15.0) -> int:
        """Read to the end and return the exit status; kill and fail on a hang."""
        deadline = time.monotonic() + timeout
        while self._read_once(0.05):  # until the child's side closes
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("the app did not exit in time")
        try:
            code = self.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("the app did not exit in time") from None
        self.hang_up()
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(5)
        self.hang_up()

    # ------------------------------------------------------------------ checks
    @property
    def after_app(self) -> bytes:
        """What was written after the app left the alternate screen (the last time)."""
        raw = bytes(self.raw)
        return raw[raw.rfind(LEAVE_ALT):] if LEAVE_ALT in raw else b""

    def restored(self) -> bool:
        """The alternate screen was left and the cursor shown again, after the app's
        last entry into it."""
        raw = bytes(self.raw)
        last_enter = raw.rfind(ENTER_ALT)
        tail = raw[last_enter:]
        return last_enter >= 0 and LEAVE_ALT in tail and SHOW_CURSOR in tail[tail.find(LEAVE_ALT):]


__all__ = ["FIRST_FRAME", "Terminal", "screen_text"]
