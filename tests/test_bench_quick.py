"""The benchmark command runs end to end in its quick mode and writes all six sections.

Not a timed test: no figure is compared with its target here (``benchmarks/`` does
that, on a quiet machine); only that every section ran and measured something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("cold_start", "key_latency", "engine", "history", "memory", "undo",
            "follow_latency")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the benchmarks drive a Linux pseudo-terminal"
)


def test_quick_run_writes_every_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALINT_TUI")}
    env["TMPDIR"] = str(tmp_path)  # every data folder the run makes lands here
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(out.read_text())
    assert set(SECTIONS) <= set(results)
    for name in SECTIONS:
        assert "error" not in results[name], results[name].get("traceback")
        assert isinstance(results[name]["met"], bool)
        # the machine's load around each section, beside its figures (issue 27, item 4)
        assert len(results[name]["load_before"]) == len(results[name]["load_after"]) == 3
    meta = results["meta"]
    assert meta["quick"] is True and len(meta["load_at_start"]) == 3

    cold = results["cold_start"]
    assert cold["demo"]["n"] == cold["bare"]["n"] >= 1
    assert cold["cpu_bare"]["median_ms"] > 0  # the bare app's own CPU time, in the row too
    assert f"bare {cold['cpu_bare']['median_ms']:.0f} ms: ratio" in done.stdout
    assert cold["bare"]["median_ms"] > 0 and cold["demo"]["median_ms"] > 0
    latency = results["key_latency"]
    assert latency["presses"] >= 16 and latency["timeouts"] == 0
    assert all(latency["by_key"][k]["n"] > 0
               for k in ("floor", "silence", "undo", "mark_open", "mark"))
    engine = results["engine"]
    assert engine["events"] == 300 and engine["ticks"] > 0 and engine["prompts_surfaced"] > 0
    history = results["history"]
    assert history["past_sessions"] == 3
    for key in ("setup_start", "demo_start", "session_open_in_process"):
        assert history[key]["ratio"] > 0
    memory = results["memory"]
    assert memory["demo"]["rejected"] == 0 and memory["demo"]["fed_events"] == 99
    assert memory["demo_peak_mib"] > memory["bare_peak_mib"] > 0
    undo = results["undo"]
    assert undo["events"] == 299 and undo["undo"]["n"] == undo["redo"]["n"] == 20
    assert undo["max_ms"] > 0 and undo["refold_from_start"]["n"] == 1
    assert undo["undo_across_checkpoint"]["n"] == 1
    follow = results["follow_latency"]
    assert follow["events"] == 20 and follow["timeouts"] == 0 and follow["median_ms"] >= 0
    # the table went to stdout, one line per benchmark
    for label in ("cold start", "key to frame", "engine replay", "peak RSS", "undo in a long",
                  "follow: fsync"):
        assert label in done.stdout
    assert "load (1 min)" in done.stdout.splitlines()[0]
