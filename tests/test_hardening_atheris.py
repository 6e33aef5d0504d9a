"""Coverage-guided fuzzing with atheris (when installed): every parser of outside input
(scenario, card, settings, journal, session record, name) for a bounded number of inputs,
with a fixed seed. A crash (any exception other than the parser's own one-line error)
or a hang (libFuzzer's -timeout) fails the test with atheris's report."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from hardening_helpers import HARDENING

RUNS = 100_000


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
def test_atheris_finds_no_crash_in_the_input_parsers(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        [sys.executable, str(HARDENING / "atheris_fuzz.py"), "all", f"-runs={RUNS}",
         "-seed=20261207", "-max_len=4096", "-timeout=10", "-rss_limit_mb=1024"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert f"Done {RUNS} runs" in proc.stderr
