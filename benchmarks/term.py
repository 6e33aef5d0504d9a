"""A program in a real pseudo-terminal, and the screen it paints.

``PtyApp.spawn(argv, env)`` starts a program on a new pty (its controlling terminal,
``cols`` x ``rows``); ``read_until(predicate)`` feeds its output to ``VirtualScreen``,
a minimal terminal emulator (cursor moves, erase, text; colours ignored), until the
predicate holds on the screen. Enough for Textual's output, which positions every
line it writes.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
import unicodedata
from collections.abc import Callable, Sequence

# escape sequences: CSI, OSC (BEL or ST terminated), DCS/APC/PM/SOS, and two-byte ESC x
_TOKEN = re.compile(
    r"\x1b\[(?P<csi>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[P_^X][^\x1b]*\x1b\\"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[^\[\]P_^X()*+]"
    r"|(?P<text>[^\x00-\x1f\x7f]+)"
    r"|(?P<ctl>[\x00-\x1a\x1c-\x1f\x7f])"
)
# an escape sequence cut by the end of a read: kept for the next one
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[P_^X][^\x1b]*|[()*+])?\Z")
_WIDE = re.compile(r"[\u1100-\U0010ffff]")


class VirtualScreen:
    """The character cells of a terminal (no attributes)."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self._pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        cut = _PARTIAL.search(text)
        if cut is not None:
            self._pending, text = text[cut.start():], text[: cut.start()]
        else:
            self._pending = ""
        for match in _TOKEN.finditer(text):
            run = match.group("text")
            if run is not None:
                self._write(run)
            elif match.group("final") is not None:
                self._csi(match.group("csi"), match.group("final"))
            elif match.group("ctl") is not None:
                ctl = match.group("ctl")
                if ctl == "\r":
                    self.x = 0
                elif ctl == "\n":
                    self.y = min(self.rows - 1, self.y + 1)
                elif ctl == "\b":
                    self.x = max(0, self.x - 1)

    def _write(self, run: str) -> None:
        if _WIDE.search(run) is not None:
            cells: list[str] = []
            for char in run:
                cells.append(char)
                if unicodedata.east_asian_width(char) in "WF":
                    cells.append("")
        else:
            cells = list(run)
        row = self.grid[self.y]
        end = min(self.cols, self.x + len(cells))
        row[self.x:end] = cells[: end - self.x]
        self.x = end

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            return  # private modes, queries
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        first = nums[0] if nums else 0
        if final in "Hf":
            row = (nums[0] if len(nums) > 0 and nums[0] else 1) - 1
            col = (nums[1] if len(nums) > 1 and nums[1] else 1) - 1
            self.y = max(0, min(self.rows - 1, row))
            self.x = max(0, min(self.cols - 1, col))
        elif final == "A":
            self.y = max(0, self.y - (first or 1))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + (first or 1))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + (first or 1))
        elif final == "D":
            self.x = max(0, self.x - (first or 1))
        elif final == "G":
            self.x = max(0, min(self.cols - 1, (first or 1) - 1))
        elif final == "J":
            if first == 2 or first == 3:
                self.grid = [[" "] * self.cols for _ in range(self.rows)]
            elif first == 0:
                self.grid[self.y][self.x:] = [" "] * (self.cols - self.x)
                for r in range(self.y + 1, self.rows):
                    self.grid[r] = [" "] * self.cols
        elif final == "K":
            row = self.grid[self.y]
            if first == 0:
                row[self.x:] = [" "] * (self.cols - self.x)
            elif first == 1:
                row[: self.x + 1] = [" "] * (self.x + 1)
            else:
                self.grid[self.y] = [" "] * self.cols

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())


class Timeout(RuntimeError):
    """The expected screen did not appear in time."""


class PtyApp:
    """A child process on its own pseudo-terminal."""

    def __init__(self, pid: int, fd: int, cols: int, rows: int) -> None:
        self.pid, self.fd = pid, fd
        self.screen = VirtualScreen(cols, rows)
        self.received = 0
        self._status: int | None = None
        self.cpu_s: float | None = None  # user + system CPU time of the child, once reaped

    @classmethod
    def spawn(
        cls, argv: Sequence[str], env: dict[str, str], *, cols: int = 100, rows: int = 30,
        cwd: str | None = None,
    ) -> PtyApp:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the program reads it
            try:
                fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        return cls(pid, fd, cols, rows)

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def pump(self, timeout: float) -> bool:
        """Read what the program wrote within ``timeout`` s; False at end of output."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.received += len(data)
        self.screen.feed(data)
        return True

    def read_until(
        self, predicate: Callable[[VirtualScreen], bool], timeout: float = 10.0
    ) -> float:
        """Read until ``predicate(screen)`` holds; returns the ``perf_counter`` time of
        the read that made it hold. Raises Timeout."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise Timeout(self.screen.text())
            if not self.pump(left):
                raise Timeout("the program ended:\n" + self.screen.text())
            now = time.perf_counter()
            if predicate(self.screen):
                return now

    def drain(self, quiet: float = 0.05, limit: float = 2.0) -> None:
        """Read until the program has been quiet for ``quiet`` s (or ``limit`` s)."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready or not self.pump(0):
                return

    def wait(self, timeout: float = 10.0) -> int | None:
        """Wait for the program to exit (reading its output meanwhile)."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self._status = status
                self.cpu_s = usage.ru_utime + usage.ru_stime
                return os.waitstatus_to_exitcode(status)
            self.pump(0.02)
        return None

    def kill(self) -> None:
        if self._status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, self._status, usage = os.wait4(self.pid, 0)
                self.cpu_s = usage.ru_utime + usage.ru_stime
            except ChildProcessError:
                self._status = 0
        try:
            os.close(self.fd)
        except OSError:
            pass

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
