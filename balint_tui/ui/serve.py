"""``balint-tui serve``: the follow view in a browser (aiohttp; textual-serve's page
scripts).

Each page that connects gets its own ``balint-tui follow`` process (``ui/serve_page.py``),
on the same data folder: the served app is the follow view only, read-only, never
anything that records. The server is aiohttp's public API; of textual-serve only its
static files (``static/js/textual.js``, ``static/css/xterm.css``, the page's terminal)
are used, from the installed package.

Every request, on every address:

* its ``Host`` must name this server: an IP address, ``localhost`` or this computer's
  name, with this port (a page of another site whose name was made to point here,
  DNS rebinding, is refused: 403);
* an ``Origin``, if sent, must be this server's own (another site's page may not open
  the websocket or read the view: 403);
* beyond a loopback address it needs the run's random token (``secrets``, 256 bits):
  the page's address carries it (``?token=...``), and the page then holds it in a
  cookie (HttpOnly, SameSite=Strict) for its scripts, styles and websocket. A request
  without it gets 401, with a wrong one 403 (compared in constant time).

At most ``MAX_PAGES`` pages are open at once (each one is a process); the next one is
refused with a page that says so (503). Nothing reaches the terminal but the address
at start and one line for a refused page, at most one a second: no access log, no
traceback (aiohttp's and asyncio's logs go nowhere; running out of open files, the
accept loop waits and tries again, quietly). Only the index, the websocket and the
static files are served.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import ipaddress
import logging
import secrets
import signal
import socket
import string
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from balint_tui.ui.serve_page import DEFAULT_SIZE, FollowPage, clamp_size, parse_frame

TOKEN_COOKIE = "balint_follow"
PAGE = Path(__file__).parent / "web" / "follow_index.html"
MAX_PAGES = 8
MAX_FRAME = 16 * 1024  # bytes of one websocket frame from a page
SAY_EVERY_S = 1.0  # at most one line a second about refused pages
FULL = ("{n} pages already show this view, as many as balint-tui serve opens at once. "
        "Close one of them (or stop serve with Ctrl+C) and reload this page.")


def statics_path() -> Path:
    """textual-serve's page scripts and styles (its ``static`` folder)."""
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def follow_argv(data_dir: Path, session_id: str | None) -> list[str]:
    """The command run for each page: the follow view, nothing else (no shell)."""
    argv = [sys.executable, "-m", "balint_tui", "--data-dir", str(data_dir), "follow"]
    if session_id:
        argv += ["--session", session_id]
    return argv


def shown_host(host: str) -> str:
    """The address a phone or tablet on the room's network would use."""
    if host not in ("0.0.0.0", "::", ""):
        return f"[{host}]" if ":" in host else host
    try:  # which interface would reach another machine: a UDP connect sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed
            return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()


def host_is_ours(host_header: str | None, port: int) -> bool:
    """The ``Host`` a browser sent names this server: an IP address, ``localhost`` or
    this computer's name, and this port. A domain name of anyone else's (DNS
    rebinding: evil.example made to resolve to 127.0.0.1) is not."""
    if not host_header or any(c in host_header for c in "@/?#\\ \t"):
        return False
    try:
        parts = urlsplit("//" + host_header)
        name, given_port = parts.hostname, parts.port
    except ValueError:
        return False
    if name is None or (given_port or 80) != port:
        return False
    name = name.rstrip(".").lower()
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(name)
        return True
    own = socket.gethostname().lower()
    return name in ("localhost", own, own.split(".")[0], own + ".local")


def _quiet_logs() -> None:
    """aiohttp's and asyncio's loggers write nowhere (no traceback on the terminal)."""
    for name in ("aiohttp", "asyncio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [logging.NullHandler()]
        logger.propagate = False


class FollowServer:
    """The follow view's web server: the guard, the page, the websocket, the pages'
    processes."""

    def __init__(self, argv: list[str], host: str, port: int, token: str | None) -> None:
        self.argv = argv
        self.host = host
        self.port = port
        self.token = token
        query = f"/?token={token}" if token else "/"
        self.url = f"http://{shown_host(host)}:{port}{query}"
        self.pages: set[FollowPage] = set()
        self._said = 0.0

    # ------------------------------------------------------------ the app
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.static("/static", statics_path(), show_index=False, follow_symlinks=False),
        ])
        app.on_shutdown.append(self._end_pages)
        return app

    def _allowed(self, request: web.Request) -> tuple[int, str, bool]:
        """(0 if allowed else the status, why, the token came in the address)."""
        if not host_is_ours(request.headers.get("Host"), self.port):
            return 403, "This address is not this server's.", False
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{request.host}":
            return 403, "Another site's page may not open this view.", False
        if self.token is None:
            return 0, "", False
        given = request.query.get("token")
        from_query = given is not None
        if given is None:
            given = request.cookies.get(TOKEN_COOKIE)
        if given is None:
            return 401, ("This view needs the address printed by balint-tui serve, with "
                         "its token."), False
        if not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
            return 403, "Wrong token.", False
        return 0, "", from_query

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        status, why, from_query = self._allowed(request)
        if status:
            return web.Response(status=status, text=why)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = web.Response(status=exc.status, text=exc.reason)
        if from_query and request.path == "/" and self.token is not None:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict",
                                path="/")
        if not response.prepared:
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        if len(self.pages) >= MAX_PAGES:
            self._say_refused()
            return web.Response(status=503, text=FULL.format(n=MAX_PAGES))
        raw = request.query.get("fontsize", "20")
        font_size = max(8, min(64, int(raw))) if raw.isdigit() and len(raw) < 4 else 20
        page = string.Template(PAGE.read_text(encoding="utf-8")).substitute(
            title="balint-tui follow",
            static_url="/static/",
            app_websocket_url=html.escape(f"ws://{request.host}/ws"),
            font_size=font_size,
        )
        return web.Response(text=page, content_type="text/html")

    def _say_refused(self) -> None:
        now = time.monotonic()
        if now - self._said >= SAY_EVERY_S:
            self._said = now
            with contextlib.suppress(OSError):
                print(f"balint-tui serve: refused a page: {MAX_PAGES} are open already",
                      flush=True)

    # ------------------------------------------------------------ the websocket
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_FRAME)
        if not ws.can_prepare(request).ok:
            return web.Response(status=400, text="This address is the view's websocket.")
        if len(self.pages) >= MAX_PAGES:
            self._say_refused()
            return web.Response(status=503, text=FULL.format(n=MAX_PAGES))
        size = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
        page = FollowPage(self.argv, size or DEFAULT_SIZE, ws.send_bytes)
        self.pages.add(page)
        try:
            await ws.prepare(request)
            await page.start()
            pump = asyncio.ensure_future(page.pump())
            reader = asyncio.ensure_future(self._read_page(ws, page))
            await asyncio.wait({pump, reader}, return_when=asyncio.FIRST_COMPLETED)
            for task in (pump, reader):
                task.cancel()
            await asyncio.gather(pump, reader, return_exceptions=True)
        except (Exception, asyncio.CancelledError):
            pass
        finally:
            self.pages.discard(page)
            await asyncio.shield(self._close(ws, page))
        return ws

    async def _read_page(self, ws: web.WebSocketResponse, page: FollowPage) -> None:
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            frame = parse_frame(message.data)
            if frame is None:
                continue
            kind, value = frame
            if kind == "ping":
                await ws.send_json(["pong", value])
            else:
                await page.feed(kind, value)

    @staticmethod
    async def _close(ws: web.WebSocketResponse, page: FollowPage) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 2)
        await page.stop()

    async def _end_pages(self, app: web.Application) -> None:
        pages = list(self.pages)
        for page in pages:
            page.end_now()
        await asyncio.gather(*(page.stop() for page in pages), return_exceptions=True)

    # ------------------------------------------------------------ running
    def serve(self) -> None:
        """Serve until Ctrl+C, SIGTERM or SIGHUP; then every page's process ends.
        OSError if the address cannot be listened on."""
        _quiet_logs()
        asyncio.run(self._run())

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, _context: None)  # e.g. accept at EMFILE
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False,
                               shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            stop = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, stop.set)
            await stop.wait()
        finally:
            await self._end_pages(runner.app)
            await runner.cleanup()


def new_token() -> str:
    return secrets.token_urlsafe(32)


__all__ = [
    "MAX_PAGES", "TOKEN_COOKIE", "FollowServer", "follow_argv", "host_is_ours",
    "is_loopback", "new_token", "shown_host", "statics_path",
]
