"""A follow view whose parent dies (``serve`` killed while a browser page is open, so
its app processes lose their server) leaves by itself instead of running on for ever."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux processes")

PARENT = textwrap.dedent("""
    import os, subprocess, sys, time
    env = dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
               COLUMNS="80", ROWS="24")
    child = subprocess.Popen([sys.executable, "-m", "balint_tui", "--data-dir", sys.argv[1],
                              "follow"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
    print(child.pid, flush=True)
    time.sleep(float(sys.argv[2]))
    print("running" if child.poll() is None else "ended", flush=True)
    os._exit(0)  # the server dies without a word to its app processes
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_follow_view_whose_server_died_leaves(tmp_path):
    from balint_tui.application.launch import start_demo
    from balint_tui.domain.clock import ManualClock
    from balint_tui.store.store import Store

    data = tmp_path / "data"
    with Store.open(data) as store:  # a session to show, interrupted: nothing changes
        session = start_demo(store, clock=ManualClock(0), rules_factory=None)
        session.close()
    parent = subprocess.run([sys.executable, "-c", PARENT, str(data), "6"],
                            capture_output=True, text=True, timeout=60)
    pid, before = parent.stdout.split()[:2]
    pid = int(pid)
    assert before == "running", "the follow view did not start"
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    gone = not _alive(pid)
    if not gone:
        os.kill(pid, 9)
    assert gone, "the follow view ran on after its parent died"
