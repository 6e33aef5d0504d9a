"""Cold starts through a real pseudo-terminal (sections 1 and 4).

A start is timed from just before the fork until the first frame whose text shows the
screen is read from the terminal: for ``balint-tui demo`` the live screen (participation
and prompts panels and its footer), for ``balint-tui`` the setup screen with the group's
roster and its history line, for the bare app its Static and footer. Every start gets
a fresh copy of its data folder; kinds are interleaved (A B A B ...) so a change in the
machine's load hits them alike.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import datadirs
from benchmarks.bare_app import READY
from benchmarks.term import PtyApp, VirtualScreen

BARE_APP = str(Path(__file__).with_name("bare_app.py"))
COLS, ROWS = 100, 30

Predicate = Callable[[VirtualScreen], bool]


def live_screen_shown(screen: VirtualScreen) -> bool:
    text = screen.text()
    return "Who has spoken" in text and "Prompts" in text and "silence" in screen.lines()[-1]


def setup_screen_shown(screen: VirtualScreen) -> bool:
    text = screen.text()
    return "Hana" in text and re.search(r"past session|First session", text) is not None


def bare_shown(screen: VirtualScreen) -> bool:
    return READY in screen.text() and "Quit" in screen.lines()[-1]


# Not passed on: Textual's and balint-tui's own settings, colour and size overrides, and
# PYTHONDONTWRITEBYTECODE (set on some build machines: every start would compile the
# package's modules from source again, which no installed copy does after its first run)
NOT_PASSED = ("NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")


def child_env(data_dir: Path | None = None) -> dict[str, str]:
    """The environment of a started program: the caller's, a known terminal, no
    Textual or colour overrides, the data folder given."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "BALINT_TUI")) and k not in NOT_PASSED
    }
    env["TERM"] = "xterm-256color"
    if data_dir is not None:
        env["BALINT_TUI_DATA"] = str(data_dir)
    return env


def balint_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "balint_tui", *args]


def bare_argv() -> list[str]:
    return [sys.executable, BARE_APP]


def time_start(
    argv: Sequence[str], shown: Predicate, template: Path | None, *, bare: bool = False,
    timeout: float = 30.0, cpu: list[float] | None = None,
) -> float:
    """Seconds from spawn to the first frame that satisfies ``shown``. The CPU time
    (user + system) the program used up to then is appended to ``cpu``: a figure the
    machine's other work disturbs less than the wall time."""
    data = None if bare else datadirs.fresh_copy(template)
    try:
        env = child_env(data)
        started = time.perf_counter()
        with PtyApp.spawn(argv, env, cols=COLS, rows=ROWS) as app:
            seen = app.read_until(shown, timeout=timeout)
        if cpu is not None and app.cpu_s is not None:
            cpu.append(app.cpu_s)
        return seen - started
    finally:
        if data is not None:
            datadirs.remove(data)


def interleaved(
    kinds: dict[str, Callable[[], float]], runs: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Run each kind ``runs`` times, interleaved; the first ``warmup`` rounds (page
    cache, bytecode) are not kept. The order within a round alternates."""
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    names = list(kinds)
    for round_ in range(warmup + runs):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            took = kinds[name]()
            if round_ >= warmup:
                samples[name].append(took)
    return samples


# what each start imports before its first frame (the demo's lazily loaded command and
# screens included); the bare app's own imports
DEMO_IMPORTS = (
    "balint_tui.cli", "balint_tui.commands.run", "balint_tui.store.store",
    "balint_tui.ui.app", "balint_tui.ui.screens.live",
)
BARE_IMPORTS = ("textual.app", "textual.widgets._header", "textual.widgets._footer",
                "textual.widgets._static")


def import_ms_by_package(modules: Sequence[str]) -> dict[str, float]:
    """Import time of ``modules`` in a fresh interpreter (``-X importtime``), summed
    by top-level package: where a start-up's time goes before any work is done."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import " + ", ".join(modules)],
        capture_output=True, text=True, env=child_env(), check=True,
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        top = name.split(".")[0]
        totals[top] = totals.get(top, 0.0) + int(self_us) / 1000
    big = {k: round(v, 1) for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v >= 3}
    big["(other)"] = round(sum(v for v in totals.values() if v < 3), 1)
    big["(total)"] = round(sum(totals.values()), 1)
    return big
