"""Key-to-frame latency on the live screen, through a real pseudo-terminal (section 2).

``balint-tui demo`` runs on its own pty with its real clock and its 1 s tick. For each
press the key's bytes are written to the terminal and the clock stops when the output
read back paints the key's effect (the journal append, fsync included, happens before
the screen changes):

* a number: the floor panel names that member;  ``l`` / ``c``: Leader / Coleader;
* space: the floor panel turns to Silence;
* ``z`` (after ``l``, ``8``): the floor panel names the Leader again (Hana's turn undone);
* ``m``: the mark chooser shows;  then a letter: the chooser is gone. The screen
  records the mark (journal fsync included) and updates its panels before Textual
  paints that frame, so it is the frame showing the mark; the "Marked: ..." notice
  Textual mounts afterwards is timed apart (``mark_notice``, not in the statistics).

Between presses the harness waits a random 60-200 ms (reading the output meanwhile), so
keys do not fall in step with the screen's 60 Hz update timer: about seven keys a
second, already faster than a coleader taps. (At thirty keys a second the app's garbage
grows thirty times faster than in use, and full collections land in the measurements.)
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import datadirs
from benchmarks.startup import balint_argv, child_env, live_screen_shown
from benchmarks.stats import summary_ms
from benchmarks.term import PtyApp, Timeout, VirtualScreen

COLS, ROWS = 120, 40
THINK_S = (0.060, 0.200)  # the pause between presses
MEMBERS = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana")
MARKS = (  # (letter, label) as in balint_tui.ui.keys.MARK_KEYS / vocabulary.MARK_LABELS
    ("a", "advice-giving"), ("m", "medical detail"), ("o", "off task"),
    ("k", "back on task"), ("t", "tension"), ("s", "member singled out"),
    ("p", "personal probing"), ("l", "asks the leader"), ("d", "presenter distress"),
    ("c", "too safe"), ("b", "patient blamed"), ("u", "stuck"),
)
# one round: 14 floor / silence keys, then a mark (two keys): the twelve marks come
# round again after ~20 s, so a mark's notice (5 s) is gone before the same one comes
# ``z`` at the end undoes Hana's turn: the floor goes back to the Leader
ROUND = ("1", " ", "2", "l", "3", " ", "c", "4", "5", " ", "6", "7", "l", "8", "z")


def _floor_row(screen: VirtualScreen) -> tuple[str, str] | None:
    """(title, first content line) of the floor panel, left column only."""
    lines = screen.lines()
    left = lines[0].find("─Who has spoken")
    if left <= 0:
        return None
    for i, line in enumerate(lines[:-1]):
        head = line[:left]
        if head.startswith(("─Floor", "─Silence")):
            return head, lines[i + 1][:left]
    return None


def _names(who: str) -> Callable[[VirtualScreen], bool]:
    pattern = re.compile(rf"(?<!\w){re.escape(who)}(?!\w)")

    def shown(screen: VirtualScreen) -> bool:
        floor = _floor_row(screen)
        return (
            floor is not None and floor[0].startswith("─Floor") and bool(pattern.search(floor[1]))
        )

    return shown


def _silence(screen: VirtualScreen) -> bool:
    floor = _floor_row(screen)
    return floor is not None and floor[0].startswith("─Silence")


CHOOSER = "Escape cancels"  # the chooser's border line


def _chooser_open(screen: VirtualScreen) -> bool:
    return CHOOSER in screen.text()


def _notices(screen: VirtualScreen, label: str) -> int:
    return screen.text().count(f"Marked: {label}")


def _chooser_closed(screen: VirtualScreen) -> bool:
    return CHOOSER not in screen.text()


def _noticed(label: str, before: int) -> Callable[[VirtualScreen], bool]:
    def shown(screen: VirtualScreen) -> bool:
        return _notices(screen, label) > before

    return shown


def measure(presses: int, template: Path, *, seed: int = 1, timeout: float = 5.0) -> dict:
    rng = random.Random(seed)
    data = datadirs.fresh_copy(template)
    samples: dict[str, list[float]] = {
        "floor": [],
        "leader": [],
        "silence": [],
        "undo": [],
        "mark_open": [],
        "mark": [],
    }
    every: list[float] = []
    try:
        with PtyApp.spawn(balint_argv("demo"), child_env(data), cols=COLS, rows=ROWS) as app:
            app.read_until(live_screen_shown, timeout=30)
            app.drain(0.3)
            done = 0
            mark_no = 0
            timeouts = 0
            notices: list[float] = []
            silent = False  # the demo opens with the floor open, not silent
            while done < presses:
                ok = True
                for key in ROUND:
                    if key == " " and silent:
                        continue  # space on a silence changes nothing on screen
                    if key.isdigit():
                        kind, shown = "floor", _names(MEMBERS[int(key) - 1])
                    elif key == " ":
                        kind, shown = "silence", _silence
                    elif key == "z":
                        kind, shown = "undo", _names("Leader")
                    else:
                        kind, shown = "leader", _names("Leader" if key == "l" else "Coleader")
                    ok = _press(app, key, shown, timeout, samples[kind], every)
                    silent = key == " "
                    done += 1
                    if not ok:
                        break
                    _think(app, rng)
                if ok:
                    letter, label = MARKS[mark_no % len(MARKS)]
                    mark_no += 1
                    ok = _press(app, "m", _chooser_open, timeout, samples["mark_open"], every)
                    done += 1
                    if ok:
                        _think(app, rng)
                        before = _notices(app.screen, label)
                        sent = time.perf_counter()
                        ok = _press(app, letter, _chooser_closed, timeout, samples["mark"], every)
                        done += 1
                        if ok:  # the "Marked: ..." notice follows: timed apart
                            try:
                                seen = app.read_until(_noticed(label, before), timeout=timeout)
                                notices.append(seen - sent)
                            except Timeout:
                                pass
                        _think(app, rng)
                if not ok:  # not counted: close any chooser, start a new round
                    timeouts += 1
                    app.send(b"\x1b")
                    app.drain(0.3)
                    silent = False
    finally:
        datadirs.remove(data)
    out = {"presses": len(every), "timeouts": timeouts, **summary_ms(every)}
    out["by_key"] = {k: summary_ms(v) for k, v in samples.items()}
    out["mark_notice"] = summary_ms(notices)
    return out


def _press(
    app: PtyApp,
    key: str,
    shown: Callable[[VirtualScreen], bool],
    timeout: float,
    into: list[float],
    every: list[float],
) -> bool:
    """Press ``key``; False if its effect did not show within ``timeout`` s."""
    sent = time.perf_counter()
    app.send(key.encode())
    try:
        seen = app.read_until(shown, timeout=timeout)
    except Timeout:
        return False
    into.append(seen - sent)
    every.append(seen - sent)
    return True


def _think(app: PtyApp, rng: random.Random) -> None:
    end = time.perf_counter() + rng.uniform(THINK_S[0], THINK_S[1])
    while (left := end - time.perf_counter()) > 0:
        app.pump(left)
