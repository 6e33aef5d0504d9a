"""``replay`` reads only a regular file of a sane size (issue 22, item 4): a device, a
named pipe or a huge file is refused in one line (exit status 2), without reading it,
without a hang and without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from balint_tui.domain.scenario import SCENARIO_LIMIT, ScenarioError, load_scenario

GOOD = {
    "format": "balint-scenario/1",
    "group": {"name": "G", "members": ["Ana", "Ben"]},
    "plan": {"duration_min": 60, "template": "classic"},
    "events": [{"at": 0, "type": "start"}, {"at": 5, "type": "speak", "who": "Ana"},
               {"at": 9, "type": "end"}],
}


def replay(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BALINT_TUI_DATA": str(tmp_path / "data")}
    return subprocess.run(
        [sys.executable, "-m", "balint_tui", "replay", str(path), "--json"],
        capture_output=True, text=True, timeout=30, env=env,
    )


def one_refusal(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused_without_reading_it(tmp_path):
    one_refusal(replay(Path("/dev/zero"), tmp_path), "/dev/zero", "a device")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_without_a_hang(tmp_path):
    fifo = tmp_path / "scenario.json"
    os.mkfifo(fifo)
    one_refusal(replay(fifo, tmp_path), str(fifo), "named pipe")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(SCENARIO_LIMIT + 1)  # sparse: nothing is written
    one_refusal(replay(big, tmp_path), str(big), "MiB")
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(big)


def test_a_link_to_a_scenario_is_still_read(tmp_path):
    real = tmp_path / "real.json"
    real.write_text(json.dumps(GOOD))
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert load_scenario(link).group.members == ["Ana", "Ben"]
    done = replay(link, tmp_path)
    assert done.returncode == 0, done.stderr
