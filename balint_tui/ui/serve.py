"""``balint-tui serve``: the follow view in a browser, through textual-serve.

Each page that connects gets its own ``balint-tui follow`` process (textual-serve
starts the command per websocket), on the same data folder: the served app is the
follow view only, read-only, never anything that records.

On a loopback address (the default, 127.0.0.1) anyone on this computer may open it.
On any other address every request needs the run's random token (``secrets``, 256
bits): the page's address carries it (``?token=...``), and the page then holds it in a
cookie (HttpOnly, SameSite=Strict) for its scripts, styles and websocket. A request
without it gets 401, with a wrong one 403 (compared in constant time); a websocket
opened from another site's page gets 403 too. The token is never logged (no access
log). Only the index, the websocket and textual-serve's static files are served.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

TOKEN_COOKIE = "balint_follow"
TEMPLATES = Path(__file__).parent / "web"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def follow_command(data_dir: Path, session_id: str | None) -> str:
    """The shell command textual-serve runs for each page: the follow view, nothing else."""
    argv = [sys.executable, "-m", "balint_tui", "--data-dir", str(data_dir), "follow"]
    if session_id:
        argv += ["--session", session_id]
    return shlex.join(argv)


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


class FollowServer(Server):
    """textual-serve's server with the token guard, own page, no downloads, no log."""

    def __init__(self, command: str, host: str, port: int, token: str | None) -> None:
        super().__init__(command, host=host, port=port, title="balint-tui follow",
                         templates_path=TEMPLATES)
        self.token = token
        query = f"/?token={token}" if token else "/"
        self.url = f"http://{shown_host(host)}:{port}{query}"

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        return app

    def _allowed(self, request: web.Request) -> tuple[bool, int, bool]:
        """(allowed, status if not, token came in the address)."""
        if self.token is None:
            return True, 0, False
        given = request.query.get("token")
        from_query = given is not None
        if given is None:
            given = request.cookies.get(TOKEN_COOKIE)
        if given is None:
            return False, 401, False
        if not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
            return False, 403, False
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            return False, 403, False  # another site's page using the cookie
        return True, 0, from_query

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        allowed, status, from_query = self._allowed(request)
        if not allowed:
            text = ("This view needs the address printed by balint-tui serve, with its "
                    "token." if status == 401 else "Wrong token.")
            return web.Response(status=status, text=text)
        response = await handler(request)
        if from_query and request.path == "/" and self.token is not None:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict",
                                path="/")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @aiohttp_jinja2.template("follow_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        scheme = "wss" if request.secure else "ws"
        return {
            "font_size": max(8, min(64, to_int(request.query.get("fontsize", "20"), 20))),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "static_url": "/static/",
            "title": self.title,
        }

    async def on_startup(self, app: web.Application) -> None:
        return None

    def serve(self, debug: bool = False) -> None:
        import asyncio
        import signal

        self.debug = debug
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_exit)
            except NotImplementedError:  # pragma: no cover - not POSIX
                pass
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False,
                    loop=loop, print=lambda *args: None, access_log=None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


__all__ = ["FollowServer", "follow_command", "is_loopback", "new_token", "shown_host"]
