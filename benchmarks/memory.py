"""Peak memory (section 5): a simulated 90-minute session in the real app against the
bare Textual app, each in its own process on a pseudo-terminal; both report their
peak resident set size (``VmHWM`` in /proc/self/status) before quitting."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks import datadirs
from benchmarks.startup import BARE_APP, child_env
from benchmarks.term import PtyApp

MEMORY_APP = str(Path(__file__).with_name("memory_app.py"))
COLS, ROWS = 120, 40


def _run(argv: list[str], env: dict[str, str], report: Path, timeout: float) -> dict[str, Any]:
    with PtyApp.spawn(argv, env, cols=COLS, rows=ROWS) as app:
        code = app.wait(timeout)
        if code is None:
            raise TimeoutError(f"{argv[1]} did not finish in {timeout:.0f} s")
    if not report.exists():
        raise RuntimeError(f"{argv[1]} wrote no report (exit {code}):\n{app.screen.text()}")
    return json.loads(report.read_text())


def measure(template: Path, minutes: int = 90, events: int = 3000) -> dict[str, Any]:
    data = datadirs.fresh_copy(template)
    try:
        demo = _run(
            [sys.executable, MEMORY_APP, str(data / "data"), str(data / "demo.json"),
             str(minutes), str(events)],
            child_env(), data / "demo.json", timeout=600,
        )
        bare = _run(
            [sys.executable, BARE_APP, "--report", str(data / "bare.json"), "--after", "1.0"],
            child_env(), data / "bare.json", timeout=60,
        )
    finally:
        datadirs.remove(data)
    above = (demo["vm_hwm_kib"] - bare["vm_hwm_kib"]) / 1024
    return {
        "minutes": minutes,
        "events": events,
        "demo": demo,
        "bare": bare,
        "demo_peak_mib": round(demo["vm_hwm_kib"] / 1024, 1),
        "bare_peak_mib": round(bare["vm_hwm_kib"] / 1024, 1),
        "growth_during_session_mib": round(
            (demo["vm_hwm_kib"] - demo["vm_hwm_start_kib"]) / 1024, 1
        ),
        # the live screen's first frames: composed (widgets built) to drawn, 1 s later
        "first_frames_mib": round(
            (demo["vm_hwm_start_kib"] - demo["vm_hwm_composed_kib"]) / 1024, 1
        ),
        "above_bare_mib": round(above, 1),
    }
