"""Follow latency (section 6): from the writer's fsync to the follow view's frame.

The writer is this process: the demo session (``LiveSession``, real clock) on a fresh
copy of a data folder. ``balint-tui follow`` runs on its own pty (100x30) on the same
folder. For each event (a member, the leader or the coleader takes the floor, or a
silence; never the same twice in a row) the clock starts when ``record`` returns (the
line is fsynced then) and stops when the follow view's output paints it in its floor
panel. Between events a random 60-150 ms pause, reading the view's output meanwhile.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from benchmarks import datadirs
from benchmarks.startup import balint_argv, child_env
from benchmarks.stats import summary_ms
from benchmarks.term import PtyApp, Timeout, VirtualScreen

COLS, ROWS = 100, 30
THINK_S = (0.060, 0.150)


def _floor(screen: VirtualScreen) -> tuple[str, str] | None:
    lines = screen.lines()
    for i, line in enumerate(lines[:-2]):
        if line.startswith(("─Floor", "─Silence")):
            return line, lines[i + 1] + lines[i + 2]
    return None


def _shows(who: str | None):
    def shown(screen: VirtualScreen) -> bool:
        floor = _floor(screen)
        if floor is None:
            return False
        if who is None:
            return floor[0].startswith("─Silence")
        return floor[0].startswith("─Floor") and f" {who} " in f" {floor[1]} "
    return shown


def _live(screen: VirtualScreen) -> bool:
    return "live · read-only" in screen.text()


def measure(events: int, template: Path, *, seed: int = 1, timeout: float = 5.0) -> dict[str, Any]:
    from balint_tui.application.launch import start_demo
    from balint_tui.domain import events as ev
    from balint_tui.store.store import Store

    rng = random.Random(seed)
    data = datadirs.fresh_copy(template)
    samples: list[float] = []
    timeouts = 0
    try:
        store = Store.open(data)
        session = start_demo(store, clock=None, rules_factory=None)
        names = session.names
        members = list(session.state.members)
        choices: list[tuple[str | None, str | None]] = [(m, names[m]) for m in members]
        choices += [("leader", "Leader"), ("coleader", "Coleader"), (None, None)]
        try:
            with PtyApp.spawn(balint_argv("follow"), child_env(data), cols=COLS, rows=ROWS) as app:
                app.read_until(_live, timeout=30)
                app.drain(0.3)
                last: str | None = "open"
                while len(samples) + timeouts < events:
                    key, label = rng.choice(choices)
                    if key == last:
                        continue
                    if key is None:
                        session.record(ev.Silence)
                    else:
                        session.record(ev.Speak, who=key)
                    written = time.perf_counter()  # record returns once fsynced
                    last = key
                    try:
                        seen = app.read_until(_shows(label), timeout=timeout)
                    except Timeout:
                        timeouts += 1
                        continue
                    samples.append(max(0.0, seen - written))
                    end = time.perf_counter() + rng.uniform(*THINK_S)
                    while (left := end - time.perf_counter()) > 0:
                        app.pump(left)
        finally:
            session.close()
            store.close()
    finally:
        datadirs.remove(data)
    return {"events": len(samples), "timeouts": timeouts,
            "terminal": f"{COLS}x{ROWS}", **summary_ms(samples)}
