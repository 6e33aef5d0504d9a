"""Flat with history (section 4): the same starts with 0 and with N past sessions of
the demo group (8 members), interleaved.

* ``balint-tui`` to its setup screen showing the group and its history line;
* ``balint-tui demo`` to the live screen (a session of the group opened: its history
  read for the carried-over queue and the prompts);
* in process, no Textual: ``Store.open`` + opening the demo session (``start_demo``),
  the part of start-up that reads the history, timed alone so a cost that grows with
  history is not hidden in the noise of a process start.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks import datadirs, startup
from benchmarks.stats import ratio, summary_ms


def _open_session(template: Path) -> float:
    from balint_tui.application import launch
    from balint_tui.domain.clock import ManualClock
    from balint_tui.store.store import Store

    data = datadirs.fresh_copy(template)
    try:
        started = time.perf_counter()
        store = Store.open(data)
        cards, _ = launch.cards_for(store.data_dir)
        factory, _ = launch.rules_factory_for(store, cards)
        session = launch.start_demo(store, clock=ManualClock(0.0), rules_factory=factory)
        took = time.perf_counter() - started
        session.close()
        store.close()
        return took
    finally:
        datadirs.remove(data)


def measure(
    empty: Path, full: Path, sessions: int, runs: int, in_process_runs: int
) -> dict[str, Any]:
    out: dict[str, Any] = {"past_sessions": sessions, "group_members": 8}
    cpu: dict[str, list[float]] = {k: [] for k in ("setup_0", "setup_n", "demo_0", "demo_n")}

    def start(kind: str, template: Path) -> Any:
        argv = startup.balint_argv("demo") if kind.startswith("demo") else startup.balint_argv()
        shown = startup.live_screen_shown if kind.startswith("demo") else startup.setup_screen_shown
        return lambda: startup.time_start(argv, shown, template, cpu=cpu[kind])

    kinds = {
        "setup_0": start("setup_0", empty),
        "setup_n": start("setup_n", full),
        "demo_0": start("demo_0", empty),
        "demo_n": start("demo_n", full),
    }
    samples = startup.interleaved(kinds, runs)
    for name in ("setup", "demo"):
        zero, many = summary_ms(samples[f"{name}_0"]), summary_ms(samples[f"{name}_n"])
        cpu_zero = summary_ms(cpu[f"{name}_0"][-runs:])
        cpu_many = summary_ms(cpu[f"{name}_n"][-runs:])
        out[f"{name}_start"] = {
            "0": zero,
            str(sessions): many,
            "ratio": ratio(many["median_ms"], zero["median_ms"]),
            "cpu_0": cpu_zero,
            f"cpu_{sessions}": cpu_many,
            "cpu_ratio": ratio(cpu_many["median_ms"], cpu_zero["median_ms"]),
        }
    opens = startup.interleaved(
        {"0": lambda: _open_session(empty), "n": lambda: _open_session(full)}, in_process_runs
    )
    zero, many = summary_ms(opens["0"]), summary_ms(opens["n"])
    out["session_open_in_process"] = {
        "0": zero,
        str(sessions): many,
        "ratio": ratio(many["median_ms"], zero["median_ms"]),
        "extra_ms": round(
            statistics.median(opens["n"]) * 1000 - statistics.median(opens["0"]) * 1000, 2
        ),
    }
    return out
