"""``python -m benchmarks [--quick] [--json PATH] [--only SECTION ...]``

Runs the six benchmarks of docs/PERFORMANCE.md, prints a table and writes
every figure as JSON (default ``benchmarks/results/latest.json``; ``--quick``: small
counts, a few seconds per section, ``benchmarks/results/quick.json``, to check that it
works).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import datadirs, startup
from benchmarks.stats import load, ratio, summary_ms

SECTIONS = ("cold_start", "key_latency", "engine", "history", "memory", "undo",
            "follow_latency")
HERE = Path(__file__).parent


class Plan:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.start_runs = 1 if quick else 11
        self.warmup = 0 if quick else 1
        self.presses = 16 if quick else 500
        self.engine = (10, 300, 1) if quick else (90, 3000, 5)  # minutes, events, repeats
        self.past_sessions = 3 if quick else 500
        self.history_runs = 1 if quick else 15
        self.open_runs = 2 if quick else 21
        self.memory = (5, 100) if quick else (90, 3000)  # minutes, events
        self.undo = (10, 300, 1) if quick else (90, 3000, 5)  # minutes, events, repeats
        self.follow_events = 20 if quick else 300


# ---------------------------------------------------------------------- sections
def cold_start(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    cpu: dict[str, list[float]] = {"bare": [], "demo": []}
    kinds = {
        "bare": lambda: startup.time_start(
            startup.bare_argv(), startup.bare_shown, None, bare=True, cpu=cpu["bare"]
        ),
        "demo": lambda: startup.time_start(
            startup.balint_argv("demo"), startup.live_screen_shown, dirs["group"], cpu=cpu["demo"]
        ),
    }
    samples = startup.interleaved(kinds, plan.start_runs, warmup=plan.warmup)
    demo, bare = summary_ms(samples["demo"]), summary_ms(samples["bare"])
    cpu_demo, cpu_bare = (
        summary_ms(cpu["demo"][-plan.start_runs :]),
        summary_ms(cpu["bare"][-plan.start_runs :]),
    )
    return {
        "runs": plan.start_runs,
        "terminal": f"{startup.COLS}x{startup.ROWS}",
        "demo_data_dir": "a fresh copy of a folder where the demo group already exists "
        "(its one-time creation on the very first run is not included; opening the "
        "demo session, journal fsync included, is)",
        "demo": demo,
        "bare": bare,
        "ratio": ratio(demo["median_ms"], bare["median_ms"]),
        "cpu_demo": cpu_demo,
        "cpu_bare": cpu_bare,
        "cpu_ratio": ratio(cpu_demo["median_ms"], cpu_bare["median_ms"]),
        # where the difference goes: import time by package (-X importtime, one run)
        "import_ms_demo": startup.import_ms_by_package(startup.DEMO_IMPORTS),
        "import_ms_bare": startup.import_ms_by_package(startup.BARE_IMPORTS),
        "target": "ratio <= 1.3",
        "met": ratio(demo["median_ms"], bare["median_ms"]) <= 1.3,
    }


def _judged(out: dict[str, Any], target: str, met: bool) -> dict[str, Any]:
    out["target"] = target
    out["met"] = met
    return out


def key_latency(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    from benchmarks import latency

    out = latency.measure(plan.presses, dirs["group"])
    out["terminal"] = f"{latency.COLS}x{latency.ROWS}"
    met = out["median_ms"] < 16 and out["p99_ms"] < 33
    return _judged(out, "median < 16 ms, p99 < 33 ms", met)


def engine(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    from benchmarks import engine as eng

    out = eng.measure(*plan.engine)
    return _judged(out, "whole replay < 0.2 s", out["replay_median_s"] < 0.2)


def history(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    from benchmarks import history as hist

    out = hist.measure(
        dirs["group"], dirs["history"], plan.past_sessions, plan.history_runs, plan.open_runs
    )
    worst = max(out["setup_start"]["ratio"], out["demo_start"]["ratio"])
    return _judged(out, "start-up ratio <= 1.1", worst <= 1.1)


def memory(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    from benchmarks import memory as mem

    out = mem.measure(dirs["group"], *plan.memory)
    return _judged(out, "<= 25 MiB above the bare app", out["above_bare_mib"] <= 25)


def undo(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    from benchmarks import undo as und

    out = und.measure(*plan.undo)
    return _judged(out, "every undo / redo < 16 ms (one frame)", out["max_ms"] < 16)


def follow_latency(plan: Plan, dirs: dict[str, Path]) -> dict[str, Any]:
    from benchmarks import follow

    out = follow.measure(plan.follow_events, dirs["group"])
    met = out["timeouts"] == 0 and out["p99_ms"] < 250
    return _judged(out, "every event shown within 250 ms of its fsync (p99 < 250 ms)", met)


RUNNERS: dict[str, Callable[[Plan, dict[str, Path]], dict[str, Any]]] = {
    "cold_start": cold_start,
    "key_latency": key_latency,
    "engine": engine,
    "history": history,
    "memory": memory,
    "undo": undo,
    "follow_latency": follow_latency,
}


# ---------------------------------------------------------------------- report
Row = tuple[str, str, str, str, str]


def _load_text(section: dict[str, Any]) -> str:
    """The 1-minute load average before and after a section: the machine's other work,
    which every time in that row shares."""
    before, after = section.get("load_before") or [], section.get("load_after") or []
    if not before or not after:
        return ""
    return f"{before[0]:.1f} -> {after[0]:.1f}"


def _verdict(section: dict[str, Any]) -> str:
    return "error" if "error" in section else ("met" if section.get("met") else "MISSED")


def _cold_start_text(s: dict[str, Any]) -> str:
    return (
        f"demo {s['demo']['median_ms']:.0f} ms (max {s['demo']['max_ms']:.0f}), "
        f"bare {s['bare']['median_ms']:.0f} ms (max {s['bare']['max_ms']:.0f}): "
        f"ratio {s['ratio']:.2f}; CPU time demo {s['cpu_demo']['median_ms']:.0f} ms, "
        f"bare {s['cpu_bare']['median_ms']:.0f} ms: ratio {s['cpu_ratio']:.2f}"
    )


def _key_latency_text(s: dict[str, Any]) -> str:
    return f"{s['presses']} presses: median {s['median_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms"


def _key_latency_detail(s: dict[str, Any]) -> list[Row]:
    if "by_key" not in s:
        return []
    return [
        (f"    {kind}", f"{k['n']}: median {k['median_ms']:.1f} ms, p99 {k['p99_ms']:.1f} ms",
         "", "", "")
        for kind, k in [*s["by_key"].items(), ("(mark notice)", s["mark_notice"])]
        if k["n"]
    ]


def _engine_text(s: dict[str, Any]) -> str:
    return (
        f"{s['events']} events, {s['minutes']} min: {s['replay_median_s'] * 1000:.0f} ms "
        f"({s['events_per_s']:,} events/s); tick {s['tick_median_us']:.0f} us "
        f"(p99 {s['tick_p99_us']:.0f})"
    )


def _history_rows(s: dict[str, Any]) -> list[Row]:
    if "error" in s:
        return [("4 history", s["error"], "ratio <= 1.1", "error", _load_text(s))]
    n = str(s["past_sessions"])
    out = []
    for key, label in (
        ("setup_start", "balint-tui to setup"),
        ("demo_start", "balint-tui demo to live"),
        ("session_open_in_process", "open session (no UI)"),
    ):
        x = s[key]
        cpu = f" (CPU time ratio {x['cpu_ratio']:.2f})" if "cpu_ratio" in x else ""
        detail = key == "session_open_in_process"
        out.append((
            f"4 {label}",
            f"0: {x['0']['median_ms']:.1f} ms, {n}: {x[n]['median_ms']:.1f} ms: "
            f"ratio {x['ratio']:.2f}{cpu}",
            "(detail)" if detail else "ratio <= 1.1",
            "" if detail else _verdict(s),
            "" if detail else _load_text(s),
        ))
    return out


def _memory_text(s: dict[str, Any]) -> str:
    return (
        f"{s['minutes']} min session {s['demo_peak_mib']:.1f} MiB, bare "
        f"{s['bare_peak_mib']:.1f} MiB: +{s['above_bare_mib']:.1f} MiB "
        f"(+{s['growth_during_session_mib']:.1f} during the session, "
        f"+{s.get('first_frames_mib', 0):.1f} drawing the first frames)"
    )


def _undo_text(s: dict[str, Any]) -> str:
    return (
        f"{s['events']} events: {s['steps']} undos then {s['steps']} redos x "
        f"{s['repeats']}: median {s['median_ms']:.2f} ms, max {s['max_ms']:.2f} ms "
        f"(from the start: {s['refold_from_start']['median_ms']:.1f} ms)"
    )


def _follow_text(s: dict[str, Any]) -> str:
    return (
        f"{s['events']} events: median {s['median_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, "
        f"max {s['max_ms']:.1f} ms ({s['timeouts']} not shown in 5 s)"
    )


# section: (label, target in the table, measured text, detail rows under it)
ROW_OF: dict[str, tuple[str, str, Callable[[dict[str, Any]], str],
                        Callable[[dict[str, Any]], list[Row]] | None]] = {
    "cold_start": ("1 cold start to first frame", "ratio <= 1.3", _cold_start_text, None),
    "key_latency": ("2 key to frame (live screen)", "median < 16, p99 < 33 ms",
                    _key_latency_text, _key_latency_detail),
    "engine": ("3 engine replay, all rules", "< 0.2 s", _engine_text, None),
    "memory": ("5 peak RSS", "<= 25 MiB above bare", _memory_text, None),
    "undo": ("6 undo in a long session", "< 16 ms each", _undo_text, None),
    "follow_latency": ("7 follow: fsync to frame", "p99 < 250 ms", _follow_text, None),
}


def rows(results: dict[str, Any]) -> list[Row]:
    """(benchmark, measured, target, verdict, load before -> after) lines of the table."""
    out: list[Row] = []
    for name in SECTIONS:
        if (s := results.get(name)) is None:
            continue
        if name == "history":
            out += _history_rows(s)
            continue
        label, target, text, detail = ROW_OF[name]
        out.append((label, s.get("error") or text(s), target, _verdict(s), _load_text(s)))
        if detail is not None:
            out += detail(s)
    return out


def table(results: dict[str, Any]) -> str:
    lines = rows(results)
    widths = [max(len(r[i]) for r in lines) for i in range(5)] if lines else [0] * 5
    head = ("benchmark", "measured", "target", "", "load (1 min)")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*r) for r in lines]
    return "\n".join(line.rstrip() for line in out)


def machine() -> dict[str, Any]:
    import textual

    return {
        "python": platform.python_version(),
        "textual": getattr(textual, "__version__", "?"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "temp_dir": tempfile.gettempdir(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Start-up, key latency, engine, history, memory, undo and follow "
        "benchmarks of balint-tui.",
    )
    parser.add_argument("--quick", action="store_true", help="small counts: checks it works")
    parser.add_argument("--json", type=Path, default=None, help="where to write the results")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    args = parser.parse_args(argv)
    plan = Plan(args.quick)
    path = args.json or HERE / "results" / ("quick.json" if args.quick else "latest.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "meta": {
            **machine(),
            "quick": args.quick,
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "load_at_start": load(),
        }
    }
    root = Path(tempfile.mkdtemp(prefix="balint-bench-dirs-"))
    failed = False
    try:
        dirs = {"group": datadirs.demo_group_dir(root, 0)}
        if "history" in args.only:
            started = time.perf_counter()
            dirs["history"] = datadirs.demo_group_dir(root, plan.past_sessions)
            results["meta"]["history_prepared_s"] = round(time.perf_counter() - started, 1)
        for name in args.only:
            print(f"{name} ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            load_before = load()
            try:
                results[name] = RUNNERS[name](plan, dirs)
            except Exception as exc:
                failed = True
                results[name] = {
                    "error": f"{type(exc).__name__}: {exc}".splitlines()[0],
                    "traceback": traceback.format_exc(),
                }
            results[name]["load_before"] = load_before
            results[name]["load_after"] = load()
            results[name]["took_s"] = round(time.perf_counter() - started, 1)
    finally:
        datadirs.remove(root)
    results["meta"]["load_at_end"] = load()
    results["meta"]["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    meta = results["meta"]
    print(
        f"\nload average (1/5/15 min) at start {meta['load_at_start']}, at end "
        f"{meta['load_at_end']} on {meta['cpus']} CPUs; results in {path}"
    )
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
