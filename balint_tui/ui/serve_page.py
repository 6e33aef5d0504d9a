"""One browser page of ``balint-tui serve``: its follow view process and the frames
between them.

The follow view runs as ``balint-tui follow`` under Textual's web driver (its public
protocol: the child prints ``__GANGLION__``, then writes packets of one type byte, a
4-byte big-endian length and the payload: ``D`` screen data, ``M`` JSON meta, ``P``
packed; it reads ``D`` keys and ``M`` meta: resize, focus, blur, quit). The process is
started directly (no shell between), so it is this server's child and watches it
(``ui/follow/lifetime.py``).

What a page sends is checked before it reaches the child: a frame that is not the
JSON array of a known message with fields of the right type is dropped, silently; a
terminal size is clamped to ``MAX_WIDTH`` x ``MAX_HEIGHT``; resizes are coalesced (at
most one every ``RESIZE_EVERY_S``, only when the size changed: a page resizing in a
loop never floods the child). When the page goes, the child is asked to quit, then
ended (SIGTERM, SIGKILL) if it has not within a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import Awaitable, Callable
from typing import Any

MAX_WIDTH, MAX_HEIGHT = 300, 120  # cells: a 4K screen at a small font; never 20000
MIN_WIDTH, MIN_HEIGHT = 10, 4
DEFAULT_SIZE = (80, 24)
RESIZE_EVERY_S = 0.1
MAX_STDIN = 4096  # characters of one key frame (the view is read-only: keys are few)
MAX_PACKET = 16 * 1024 * 1024  # a frame of the child's larger than this ends the page
START_S = 30.0  # the child must say it started within this
QUIT_S, TERM_S = 2.0, 2.0  # after the page went: quit, then SIGTERM, then SIGKILL
SERVE_PID_ENV = "BALINT_TUI_SERVE_PID"


def clamp_size(width: object, height: object) -> tuple[int, int] | None:
    """A terminal size from a page (any JSON or query value), within the caps; None if
    it is not two integers."""
    def number(value: object) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().isdigit() and len(value) < 7:
            return int(value)
        return None

    w, h = number(width), number(height)
    if w is None or h is None:
        return None
    return max(MIN_WIDTH, min(MAX_WIDTH, w)), max(MIN_HEIGHT, min(MAX_HEIGHT, h))


def parse_frame(text: str) -> tuple[str, Any] | None:
    """A page's websocket text frame as (kind, value), or None for anything else
    (not JSON, too deep, not a list, an unknown kind, a field of the wrong type)."""
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    kind, value = envelope[0], (envelope[1] if len(envelope) > 1 else None)
    if kind == "stdin":
        return (kind, value) if isinstance(value, str) and len(value) <= MAX_STDIN else None
    if kind == "resize":
        size = clamp_size(value.get("width"), value.get("height")) if isinstance(
            value, dict) else None
        return (kind, size) if size is not None else None
    if kind == "ping":
        ok = isinstance(value, str | int | float) and len(str(value)) <= 64
        return (kind, value) if ok else None
    if kind in ("focus", "blur"):
        return (kind, None)
    return None


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


class FollowPage:
    """The follow view process of one page. ``start``, then ``pump`` (the child's
    screen to ``send``) beside ``feed`` (the page's frames to the child), ``stop``."""

    def __init__(self, argv: list[str], size: tuple[int, int],
                 send: Callable[[bytes], Awaitable[None]]) -> None:
        self.argv = argv
        self.size = size
        self.send = send
        self.process: asyncio.subprocess.Process | None = None
        self._want = size
        self._sent = size
        self._last_resize = 0.0
        self._resize_handle: asyncio.TimerHandle | None = None
        self._resizing: asyncio.Future[None] | None = None
        self._lock = asyncio.Lock()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "TERM_PROGRAM": "textual",
            "COLUMNS": str(self.size[0]),
            "ROWS": str(self.size[1]),
            SERVE_PID_ENV: str(os.getpid()),
        })
        env.pop("TEXTUAL", None)  # no devtools
        return env

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, env=self._env(),
        )

    async def pump(self) -> None:
        """The child's screen to the page until the child ends (or says ``exit``)."""
        assert self.process is not None and self.process.stdout is not None
        out = self.process.stdout
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, ValueError,
                                 TimeoutError):
            async with asyncio.timeout(START_S):
                for _ in range(10):
                    line = await out.readline()
                    if not line:
                        return
                    if line == b"__GANGLION__\n":
                        break
                else:
                    return
            while True:
                head = await out.readexactly(5)
                size = int.from_bytes(head[1:], "big")
                if size > MAX_PACKET:
                    return
                payload = await out.readexactly(size)
                if head[:1] == b"D":
                    await self.send(payload)
                elif head[:1] == b"M" and _meta_type(payload) == "exit":
                    return

    async def feed(self, kind: str, value: Any) -> None:
        """One checked frame of the page (``parse_frame``) to the child."""
        if kind == "stdin":
            await self._write(packet(b"D", value.encode("utf-8", "replace")))
        elif kind == "resize":
            self._want = value
            self._schedule_resize()
        elif kind in ("focus", "blur"):
            await self._meta({"type": kind})

    def _schedule_resize(self) -> None:
        if self._resize_handle is not None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, self._last_resize + RESIZE_EVERY_S - loop.time())
        self._resize_handle = loop.call_later(delay, self._resize_now)

    def _resize_now(self) -> None:
        self._resize_handle = None
        if self._want == self._sent:
            return
        self._sent = self._want
        self._last_resize = asyncio.get_running_loop().time()
        width, height = self._want
        self._resizing = asyncio.ensure_future(
            self._meta({"type": "resize", "width": width, "height": height}))

    async def _meta(self, data: dict[str, Any]) -> None:
        await self._write(packet(b"M", json.dumps(data).encode()))

    async def _write(self, data: bytes) -> None:
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        async with self._lock:
            with contextlib.suppress(ConnectionError, RuntimeError, OSError):
                process.stdin.write(data)
                await asyncio.wait_for(process.stdin.drain(), 5)

    async def stop(self) -> None:
        """Ask the child to quit; end it if it has not within a few seconds."""
        if self._resize_handle is not None:
            self._resize_handle.cancel()
            self._resize_handle = None
        process = self.process
        if process is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._meta({"type": "quit"}), 1)
        for then, wait in ((signal.SIGTERM, QUIT_S), (signal.SIGKILL, TERM_S), (None, 5.0)):
            try:
                await asyncio.wait_for(process.wait(), wait)
                break
            except TimeoutError:
                if then is not None:
                    with contextlib.suppress(ProcessLookupError):
                        process.send_signal(then)
        if process.stdin is not None:
            with contextlib.suppress(Exception):
                process.stdin.close()

    def end_now(self) -> None:
        """SIGTERM to the child at once (``serve`` is stopping)."""
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)


def _meta_type(payload: bytes) -> object:
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return data.get("type") if isinstance(data, dict) else None


__all__ = [
    "MAX_HEIGHT", "MAX_WIDTH", "SERVE_PID_ENV", "FollowPage", "clamp_size", "parse_frame",
]
