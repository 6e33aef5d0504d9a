"""A page of ``balint-tui serve`` as headless Chromium shows it on a phone or tablet:
its screenshot (PNG), once the follow view has drawn. Only 127.0.0.1 is contacted.

The page is shown at the device's size in CSS pixels at a pixel ratio of 1 (as
``chromium --window-size=390,844`` does): under headless Chromium's device emulation
a pixel ratio above 1 draws the page's terminal canvas larger than the page."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# (name, CSS width, CSS height, device pixel ratio)
DEVICES = [
    ("phone-portrait", 390, 844, 1),
    ("phone-landscape", 844, 390, 1),
    ("tablet-portrait", 820, 1180, 1),
    ("tablet-landscape", 1180, 820, 1),
]



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot(url: str, width: int, height: int, scale: int, profile: Path,
          settle_s: float = 2.0) -> bytes:
    """The screenshot (PNG) of ``url`` at that size, once the view has drawn."""
    assert CHROMIUM is not None
    devtools = _free_port()
    browser = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
         f"--window-size={width},{height}", f"--remote-debugging-port={devtools}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        page = None
        deadline = time.monotonic() + 60
        while page is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json", timeout=5) as r:
                    page = next((t for t in json.load(r) if t["type"] == "page"), None)
            except OSError:
                time.sleep(0.2)
        assert page is not None, "chromium did not start"
        return asyncio.run(_drive(page["webSocketDebuggerUrl"], url, width, height, scale,
                                  settle_s))
    finally:
        browser.kill()
        browser.wait()


async def _drive(debugger: str, url: str, width: int, height: int, scale: int,
                 settle_s: float) -> bytes:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(debugger, max_msg_size=0) as ws:
            counter = iter(range(1, 10_000))

            async def call(method: str, **params) -> dict:
                n = next(counter)
                await ws.send_json({"id": n, "method": method, "params": params})
                while True:
                    msg = await ws.receive_json(timeout=30)
                    if msg.get("id") == n:
                        return msg.get("result", {})

            await call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                       deviceScaleFactor=scale, mobile=True)
            await call("Page.navigate", url=url)
            for _ in range(150):  # until the follow view's first frame came through
                await asyncio.sleep(0.2)
                got = await call("Runtime.evaluate", returnByValue=True,
                                 expression="document.body ? document.body.className : ''")
                if "-first-byte" in (got.get("result", {}).get("value") or ""):
                    break
            await asyncio.sleep(settle_s)  # the resize to the page's size, painted
            shot = await call("Page.captureScreenshot", format="png")
            return base64.b64decode(shot["data"])
