"""``balint-tui serve``: the follow view in a browser. Loopback only is ever contacted:
beyond loopback the server listens on 0.0.0.0 and is reached at 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from ui_helpers import demo_scene, open_store

from balint_tui.domain.clock import ManualClock
from balint_tui.store.followers import count_followers
from balint_tui.ui.serve import TOKEN_COOKIE, follow_argv, is_loopback

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.startup import child_env  # noqa: E402
from benchmarks.term import VirtualScreen  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    not os.path.exists("/proc/locks"), reason="the follow view reads /proc/locks"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def running(tmp_path):
    store = open_store(tmp_path)
    session = demo_scene(store, ManualClock(0))
    yield store, session
    session.close()
    store.close()


class Served:
    def __init__(self, data: Path, host: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "balint_tui", "--data-dir", str(data), "serve",
             "--host", host, "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=child_env(),
        )
        first = self.proc.stdout.readline()
        match = re.search(r"is at (http://\S+)", first)
        assert match, first
        self.url = match.group(1)
        self.token = self.url.split("?token=")[1] if "?token=" in self.url else None
        self.printed = first
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)

    def local(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, **headers: str) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.local(path), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), dict(exc.headers)

    def stop(self) -> str:
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return self.printed + (out or "")


@pytest.fixture
def served_beyond(running):
    store, _ = running
    server = Served(store.data_dir, "0.0.0.0")
    yield server
    server.stop()


def test_the_command_served_is_the_follow_view_only(tmp_path):
    argv = follow_argv(tmp_path / "my data", "s1234abcd")
    assert argv[-3:] == ["follow", "--session", "s1234abcd"]
    assert str(tmp_path / "my data") in argv  # one argument, no shell between
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_beyond_loopback_a_token_is_required(served_beyond):
    server = served_beyond
    assert server.token and len(server.token) >= 43  # 256 bits, url-safe
    assert server.get("/")[0] == 401
    assert server.get("/?token=wrong")[0] == 403
    assert server.get("/?token=" + server.token[:-1] + "x")[0] == 403
    assert server.get("/static/js/textual.js")[0] == 401
    assert server.get("/ws", Connection="Upgrade", Upgrade="websocket")[0] == 401
    status, body, headers = server.get("/?token=" + server.token)
    assert status == 200 and b"data-session-websocket-url" in body
    assert b"googleapis" not in body  # the page loads nothing from elsewhere
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}={server.token}") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert server.get("/static/js/textual.js",
                      Cookie=f"{TOKEN_COOKIE}={server.token}")[0] == 200
    assert server.get("/static/js/textual.js", Cookie=f"{TOKEN_COOKIE}=nope")[0] == 403
    assert server.get(f"/download/x?token={server.token}")[0] == 404  # no downloads
    # a page of another site may not use the cookie for the websocket
    assert server.get("/ws", Cookie=f"{TOKEN_COOKIE}={server.token}",
                      Origin="http://evil.example")[0] == 403
    out = server.stop()
    assert out.count(server.token) == 1  # printed once (the QR code draws it too)
    assert "trusted room network" in out and "▀" in out  # the warning; the QR code


def test_on_loopback_no_token(running):
    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    try:
        assert server.token is None
        assert server.get("/")[0] == 200
    finally:
        server.stop()


def test_the_served_page_shows_the_clock_and_records_nothing(running, served_beyond):
    store, session = running
    server = served_beyond
    journal = session.writer.path.read_bytes()
    import aiohttp

    async def talk() -> VirtualScreen:
        screen = VirtualScreen(80, 24)
        cookies = {TOKEN_COOKIE: server.token}
        async with aiohttp.ClientSession(cookies=cookies) as http:
            async with http.ws_connect(server.local("/ws?width=80&height=24")
                                       .replace("http:", "ws:")) as ws:

                async def until(text: str, timeout: float = 30) -> None:
                    deadline = time.monotonic() + timeout
                    while text not in screen.text():
                        left = deadline - time.monotonic()
                        assert left > 0, screen.text()
                        try:
                            msg = await ws.receive(timeout=left)
                        except TimeoutError:
                            continue
                        if msg.type == aiohttp.WSMsgType.BINARY:
                            screen.feed(msg.data)
                        elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                            raise AssertionError("closed: " + screen.text())

                await until("Session left")
                await until("Demo group")
                assert count_followers(store.data_dir) == 1  # the coleader sees it
                for key in ("1", " ", "m", "a", "s"):
                    await ws.send_str(json.dumps(["stdin", key]))
                await until("Read-only")
                await ws.send_str(json.dumps(["stdin", "q"]))
        return screen

    screen = asyncio.run(talk())
    assert "Silence" in screen.text() and "Chloe" in screen.text()
    assert session.writer.path.read_bytes() == journal
    deadline = time.monotonic() + 10
    while count_followers(store.data_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert count_followers(store.data_dir) == 0


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
def test_the_page_loads_in_chromium(running, served_beyond, tmp_path):
    """Headless Chromium opens the address printed (reached at 127.0.0.1): its page's
    websocket starts a follow view, whose frames reach the page and draw the clock."""
    import base64

    import aiohttp
    from test_review_browser import decode_png

    store, _ = running
    server = served_beyond
    devtools = free_port()
    browser = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--hide-scrollbars",
            "--window-size=1000,700",
            f"--remote-debugging-port={devtools}",
            server.local(f"/?token={server.token}"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while count_followers(store.data_dir) != 1:  # the page's websocket: a follow view
            assert time.monotonic() < deadline and browser.poll() is None, "never connected"
            time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")

        async def look() -> tuple[str, bytes]:
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:

                    async def call(n: int, method: str, **params) -> dict:
                        await ws.send_json({"id": n, "method": method, "params": params})
                        while True:
                            msg = await ws.receive_json(timeout=30)
                            if msg.get("id") == n:
                                return msg["result"]

                    classes = ""
                    for n in range(100):  # until the app's first frame came through
                        got = await call(
                            n + 1, "Runtime.evaluate", expression="document.body.className"
                        )
                        classes = got["result"].get("value", "")
                        if "-first-byte" in classes:
                            break
                        await asyncio.sleep(0.2)
                    await asyncio.sleep(1.0)  # the frame painted
                    shot = await call(1000, "Page.captureScreenshot", format="png")
                    return classes, base64.b64decode(shot["data"])

        classes, png = asyncio.run(look())
    finally:
        browser.kill()
        browser.wait()
    (tmp_path / "follow.png").write_bytes(png)  # to look at when it fails
    assert "-first-byte" in classes and "-closed" not in classes
    _width, height, rows = decode_png(png)
    lit = sum(1 for row in rows[: height // 3] if any(v > 150 for v in row))
    assert lit > 20  # the big clock digits are drawn at the top
