"""``balint-tui serve`` holds on an open network (issue 22, items 5, 6, 7): real
``serve`` processes, real follow processes, headless Chromium. Only 127.0.0.1 is ever
contacted; every loop is bounded in count and time.

* item 5: no traceback reaches the terminal, whatever a client sends;
* item 6: Host and Origin checked on every address (another site's page, DNS
  rebinding), at most 8 pages, a capped terminal size, quiet at the open-file limit;
* item 7: a page's follow process ends when its page goes, when ``serve`` exits, and
  within seconds of ``serve`` being killed; no stale mark is counted.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from test_follow_serve import Served, free_port
from ui_helpers import demo_scene, open_store

from balint_tui.domain.clock import ManualClock
from balint_tui.store.followers import count_followers
from balint_tui.ui.serve import MAX_PAGES, host_is_ours
from balint_tui.ui.serve_page import MAX_HEIGHT, MAX_WIDTH, clamp_size, parse_frame

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
HOSTILE_FRAMES = ["not json", "[]", "{}", '["stdin",5]', '["resize",{}]', "[" * 5000 + "]" * 5000,
                  '["resize",{"width":true,"height":"x"}]', '["ping",{"a":1}]', "\x00",
                  '["stdin"]', '[5,"x"]', '["nope",1]']


@pytest.fixture
def running(tmp_path):
    store = open_store(tmp_path)
    session = demo_scene(store, ManualClock(0))
    yield store, session
    session.close()
    store.close()


def children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def reap(pids) -> None:
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def ws_url(server: Served, query: str = "width=80&height=24") -> str:
    return f"ws://127.0.0.1:{server.port}/ws?{query}"


async def first_frame(ws, seconds: float = 40) -> None:
    import aiohttp

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        msg = await ws.receive(timeout=deadline - time.monotonic())
        if msg.type == aiohttp.WSMsgType.BINARY:
            return
        assert msg.type not in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR), msg
    raise AssertionError("no frame of the follow view")


async def pong(ws, seconds: float = 10) -> bool:
    import aiohttp

    await ws.send_str(json.dumps(["ping", "p1"]))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        msg = await ws.receive(timeout=deadline - time.monotonic())
        if msg.type == aiohttp.WSMsgType.TEXT and json.loads(msg.data) == ["pong", "p1"]:
            return True
        if msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return False
    return False


# ---------------------------------------------------------------- item 5
def test_what_a_client_sends_never_prints_a_traceback(running):
    import aiohttp

    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    try:
        status, body, _ = server.get("/ws")  # a plain GET, no upgrade
        assert status == 400 and b"websocket" in body

        async def talk() -> None:
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(ws_url(server)) as ws:
                    await first_frame(ws)
                    for frame in HOSTILE_FRAMES:
                        await ws.send_str(frame)
                    assert await pong(ws), "the page's connection did not survive"
                deep = "[" * 100_000 + "]" * 100_000  # too large a frame: closed, quietly
                async with http.ws_connect(ws_url(server)) as ws:
                    await ws.send_str(deep)
                    await ws.receive(timeout=20)

        asyncio.run(talk())
        time.sleep(1)
    finally:
        out = server.stop()
    assert "Traceback" not in out and "Error" not in out, out
    assert len(out.splitlines()) <= 3, out  # the address and the warning


def test_frames_are_checked_before_the_child():
    for frame in HOSTILE_FRAMES:
        assert parse_frame(frame) is None, frame
    assert parse_frame('["stdin","q"]') == ("stdin", "q")
    assert parse_frame('["resize",{"width":20000,"height":20000}]') == (
        "resize", (MAX_WIDTH, MAX_HEIGHT))
    assert clamp_size("20000", "20000") == (MAX_WIDTH, MAX_HEIGHT)
    assert clamp_size("1e9", "24") is None


# ---------------------------------------------------------------- item 6
def test_host_and_origin_are_checked_on_loopback_too(running):
    import aiohttp

    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    port = server.port
    try:
        assert server.get("/")[0] == 200
        assert server.get("/", Host=f"localhost:{port}")[0] == 200
        # DNS rebinding: another site's name pointed at 127.0.0.1
        assert server.get("/", Host=f"evil.example:{port}")[0] == 403
        assert server.get("/static/js/textual.js", Host=f"evil.example:{port}")[0] == 403
        assert server.get("/", Host="127.0.0.1:1")[0] == 403  # another port
        assert server.get("/", Origin="http://evil.example")[0] == 403

        async def ws_status(**headers: str) -> int:
            async with aiohttp.ClientSession() as http:
                try:
                    async with http.ws_connect(ws_url(server), headers=headers):
                        return 101
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status

        assert asyncio.run(ws_status(Origin="http://evil.example")) == 403
        assert asyncio.run(ws_status(Origin=f"http://evil.example:{port}")) == 403
        assert asyncio.run(ws_status(Host=f"evil.example:{port}",
                                     Origin=f"http://evil.example:{port}")) == 403
        assert asyncio.run(ws_status(Origin=f"http://127.0.0.1:{port}")) == 101
    finally:
        out = server.stop()
    assert "Traceback" not in out


def test_the_host_rule():
    name = socket.gethostname()
    assert host_is_ours("127.0.0.1:8000", 8000) and host_is_ours("[::1]:8000", 8000)
    assert host_is_ours("192.168.1.5:8000", 8000) and host_is_ours(f"{name}:8000", 8000)
    assert host_is_ours("localhost:8000", 8000) and host_is_ours("LOCALHOST.:8000", 8000)
    for bad in ("evil.example:8000", "127.0.0.1.evil.example:8000", "localhost:8001",
                "", None, "localhost:x", "a@127.0.0.1:8000"):
        assert not host_is_ours(bad, 8000), bad


def test_at_most_eight_pages_and_a_capped_size(running):
    import aiohttp

    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    seen: set[int] = set()
    try:
        async def many() -> tuple[int, int, str]:
            async with aiohttp.ClientSession() as http:
                sockets = []
                try:
                    for _ in range(MAX_PAGES):
                        sockets.append(await http.ws_connect(
                            ws_url(server, "width=20000&height=20000")))
                    try:
                        await http.ws_connect(ws_url(server))
                        refused = 101
                    except aiohttp.WSServerHandshakeError as exc:
                        refused = exc.status
                    async with http.get(f"http://127.0.0.1:{server.port}/") as page:
                        index, text = page.status, await page.text()
                    wait_until(lambda: len(children(server.proc.pid)) >= MAX_PAGES, 30)
                    seen.update(children(server.proc.pid))
                    return refused, index, text
                finally:
                    for ws in sockets:
                        await ws.close()

        refused, index, text = asyncio.run(many())
        assert refused == 503 and index == 503 and f"{MAX_PAGES} pages" in text
        assert len(seen) == MAX_PAGES
        for pid in seen:  # the size asked for (20000 x 20000) was capped
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = dict(x.split(b"=", 1) for x in f.read().split(b"\0") if b"=" in x)
            assert int(env[b"COLUMNS"]) <= MAX_WIDTH and int(env[b"ROWS"]) <= MAX_HEIGHT
        assert wait_until(lambda: not children(server.proc.pid), 30), "pages' processes ran on"
    finally:
        out = server.stop()
        reap(seen)
    assert "Traceback" not in out
    assert out.count("refused a page") <= 2, out


def _few_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))


def test_at_the_open_file_limit_it_waits_quietly(running):
    store, _ = running
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "balint_tui", "--data-dir", str(store.data_dir), "serve",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_few_files,
    )
    held: list[socket.socket] = []
    try:
        assert wait_until(lambda: _connects(port), 20)
        for _ in range(120):  # more than the server's 48 descriptors
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        time.sleep(4)  # the accept loop meets EMFILE, again and again
        for s in held:
            s.close()
        held.clear()
        assert wait_until(lambda: _index_ok(port), 20), "it did not serve again"
    finally:
        for s in held:
            s.close()
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert b"Traceback" not in out and len(out) < 2000, out[:3000]


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _index_ok(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


# ---------------------------------------------------------------- item 7
@needs_chromium
def test_a_page_screenshotted_by_chromium_leaves_no_process(running, tmp_path):
    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    seen: set[int] = set()
    try:
        shot = tmp_path / "shot.png"
        browser = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
             "--window-size=390,844", "--virtual-time-budget=3000",
             server.local("/")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while browser.poll() is None and time.monotonic() < deadline:
            seen.update(children(server.proc.pid))
            time.sleep(0.05)
        if browser.poll() is None:
            browser.kill()
        browser.wait()
        seen.update(children(server.proc.pid))
        assert seen, "the page never opened its websocket"
        gone = wait_until(lambda: not any(alive(p) for p in seen), 8)
        assert gone, "a follow process outlived its page"
        assert count_followers(store.data_dir) == 0
    finally:
        server.stop()
        reap(seen)


async def _open_page(port: int, http):
    ws = await http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24")
    await first_frame(ws)
    return ws


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGKILL"])
def test_pages_end_with_serve(running, how):
    import aiohttp

    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    seen: set[int] = set()
    try:
        async def hold() -> float:
            async with aiohttp.ClientSession() as http:
                ws = await _open_page(server.port, http)
                seen.update(children(server.proc.pid))
                assert len(seen) == 1
                assert await asyncio.to_thread(
                    wait_until, lambda: count_followers(store.data_dir) == 1, 20)
                server.proc.send_signal(getattr(signal, how))
                started = time.monotonic()
                await asyncio.to_thread(
                    wait_until, lambda: not any(alive(p) for p in seen), 10)
                took = time.monotonic() - started
                await ws.close()
                return took

        took = asyncio.run(hold())
        assert not any(alive(p) for p in seen), f"a follow process outlived serve ({how})"
        assert took < 6, took
        assert server.proc.wait(timeout=10) is not None
        assert count_followers(store.data_dir) == 0  # no stale mark counted
    finally:
        if server.proc.poll() is None:
            server.stop()
        reap(seen)


def test_a_follow_process_ends_on_sigterm_at_once(running):
    import aiohttp

    store, _ = running
    server = Served(store.data_dir, "127.0.0.1")
    seen: set[int] = set()
    try:
        async def term() -> None:
            async with aiohttp.ClientSession() as http:
                ws = await _open_page(server.port, http)
                seen.update(children(server.proc.pid))
                for _ in range(200):  # a page resizing in a loop
                    await ws.send_str(json.dumps(
                        ["resize", {"width": 60 + len(seen) % 2, "height": 30}]))
                for pid in seen:
                    os.kill(pid, signal.SIGTERM)
                ended = await asyncio.to_thread(
                    wait_until, lambda: not any(alive(p) for p in seen), 3)
                assert ended, "SIGTERM did not end the follow view within 3 s"
                await ws.close()

        asyncio.run(term())
    finally:
        server.stop()
        reap(seen)



# ---------------------------------------------------------------- the dependencies
def test_what_serve_imports_is_declared():
    """Every package the browser view imports is a declared dependency, and of
    textual-serve only its static files are used (no private hook of its server)."""
    import ast
    import tomllib
    from importlib.metadata import packages_distributions
    from pathlib import Path

    from balint_tui.ui.serve import statics_path

    root = Path(__file__).resolve().parents[1]
    declared = {
        dep.split(">")[0].split("<")[0].split("=")[0].split(";")[0].strip().lower()
        for dep in tomllib.loads((root / "pyproject.toml").read_text())["project"][
            "dependencies"]
    }
    owners = packages_distributions()
    used = set()
    for module in ("serve.py", "serve_page.py", "follow/lifetime.py"):
        tree = ast.parse((root / "balint_tui" / "ui" / module).read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     and not node.level else [])
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "balint_tui":
                    continue
                assert name != "textual_serve.server", "textual-serve's server is private"
                used.update(d.lower() for d in owners.get(top, [top]))
    assert used and used <= declared, used - declared
    for name in ("js/textual.js", "css/xterm.css"):
        assert (statics_path() / name).is_file(), name
