"""The served follow view reads on a phone and a tablet, upright and sideways, at the
default text size and at ``&fontsize=28`` (issue 22, item 8).

A page's terminal is as many cells as its screen holds: a phone upright is 24 to 35
columns, sideways 12 to 17 rows. At every such size the session's and the case's
digits are whole on the page (never "10:["), every prompt card's line is there in
full (wrapped, never "Carla is singled out..."; on a page under 15 rows, the top
card), and nothing runs off the page.

The sizes are those headless Chromium's pages ask for (``test_pages_in_chromium``
measures them on this machine, saves each page's screenshot, and checks the view at
exactly that size).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import threading
import time

import pytest
from browser_shot import DEVICES, shoot
from test_follow_screen import follow_app
from test_follow_serve import Served
from test_review_browser import decode_png
from ui_helpers import demo_scene, open_store

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.follow.widgets import CaseLeft, FollowCards, FollowFloor, FollowStatus
from balint_tui.ui.widgets.clock import SessionClock

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# (columns, rows) of pages in headless Chromium: phone upright and sideways, tablet
# upright and sideways, at 20 px and 28 px text; and the live screen's 80x24
PAGE_SIZES = [(32, 36), (70, 16), (68, 51), (98, 35), (24, 27), (52, 12), (51, 38),
              (73, 26), (80, 24)]
FONTS = ("", "?fontsize=28")


@pytest.fixture
def scene(tmp_path, utc):
    store = open_store(tmp_path)
    session = demo_scene(store, ManualClock(0))
    yield store, session
    session.close()
    store.close()


def _inside(widget, screen) -> bool:
    r, s = widget.region, screen.region
    return r.x >= s.x and r.right <= s.right and r.width > 0


async def problems_at(app, size: tuple[int, int]) -> list[str]:
    """What is cut off in the follow view at ``size`` (empty: it reads)."""
    found: list[str] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        clock = app.query_one(SessionClock).query_one("#clock-remaining")
        case = app.query_one(CaseLeft).query_one("#case-left")
        floor = app.query_one(FollowFloor).query_one("#follow-floor-time")
        for name, digits in (("session clock", clock), ("case time", case),
                             ("floor time", floor)):
            if not digits.display:
                continue
            need = digits.get_content_width(screen.size, screen.size)
            if not _inside(digits, screen) or digits.content_region.width < need:
                found.append(f"{name} cut at {size}: {digits.content_region.width} < {need}")
            if digits.region.bottom > screen.region.bottom - 1:  # under the status line
                found.append(f"{name} off the page at {size}")
        cards = app.query_one(FollowCards)
        lines = cards.view.cards if cards.view else ()
        if not lines:
            found.append("no card shown")
        if cards.region.bottom > screen.region.bottom - 1:
            found.append(f"the cards run off the page at {size}")
        width = cards.content_region.width
        need = cards.get_content_height(screen.size, screen.size, width)
        if screen.has_class("-tiny") and lines:  # under 15 rows: the top card in full
            need = -(-(len(lines[0].line) + len(lines[0].age) + 5) // width)
        if cards.content_region.height < need:
            found.append(f"cards cut at {size}: {cards.content_region.height} rows < {need}")
        if cards.styles.text_wrap != "wrap" and any(
                len(card.line) + len(card.age) + 5 > width for card in lines):
            found.append(f"a card's line cut at {size} (width {width})")
        status = app.query_one(FollowStatus)
        if not _inside(status, screen):
            found.append(f"status line off the page at {size}")
        await pilot.press("q")
    return found


@pytest.mark.parametrize("size", PAGE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_view_reads_at_page_sizes(scene, size):
    store, _ = scene
    assert await problems_at(follow_app(store), size) == []


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
async def test_pages_in_chromium(scene, tmp_path):
    """Headless Chromium opens the page at a phone's and a tablet's size, upright and
    sideways, at both text sizes: the page draws the view (its screenshot, saved in
    ``tmp_path`` to look at), and at the size the page asked for, the view reads."""
    store, _ = scene
    server = Served(store.data_dir, "127.0.0.1")
    asked: dict[str, tuple[int, int]] = {}
    try:
        for font in FONTS:
            for name, width, height, scale in DEVICES:
                label = name + ("-28" if font else "")
                sizes = _watch_children(server.proc.pid)
                png = await asyncio.to_thread(
                    shoot, server.local("/" + font), width, height, scale,
                    tmp_path / f"profile-{label}", 1.0)
                sizes.stop()
                (tmp_path / f"{label}.png").write_bytes(png)
                assert sizes.found, f"{label}: the page started no follow view"
                asked[label] = sizes.found[-1]
                _w, h, rows = decode_png(png)
                lit = sum(1 for row in rows[: h // 3] if any(v > 150 for v in row))
                assert lit > 10, f"{label}: nothing drawn ({tmp_path / label}.png)"
    finally:
        server.stop()
    assert asked["phone-portrait"][0] < 40 and asked["phone-portrait-28"][0] < 30
    for label, size in asked.items():
        assert await problems_at(follow_app(store), size) == [], label


class _watch_children:
    """The terminal size (COLUMNS, ROWS) each new follow process of ``serve`` got."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.found: list[tuple[int, int]] = []
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + 120
        while not self._stop.is_set() and time.monotonic() < deadline:
            out = subprocess.run(["pgrep", "-P", str(self.pid)], capture_output=True,
                                 text=True).stdout.split()
            for child in map(int, out):
                if child in self.seen:
                    continue
                try:
                    with open(f"/proc/{child}/environ", "rb") as f:
                        env = dict(x.split(b"=", 1) for x in f.read().split(b"\0")
                                   if b"=" in x)
                except OSError:
                    continue
                self.seen.add(child)
                self.found.append((int(env[b"COLUMNS"]), int(env[b"ROWS"])))
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

