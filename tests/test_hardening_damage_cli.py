"""Damaged data folders on the command line: each of ``audit``, ``prompts``, ``review``
and ``replay --save`` is run in a child process on a folder damaged one way or another
(truncated, garbage, valid JSON of the wrong shape, a newer or older data version, bad
settings, a bad card, a missing folder, a read-only folder, a full disk).

Every run ends with exit status 0, 1 or 2; a failure prints exactly one line on stderr
(what happened, which file, what to do) and nothing on stdout; no run prints a
traceback; and the damaged bytes are still on disk afterwards, in place or set aside
under a timestamped name, never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hardening_helpers import HARDENING, make_group, make_plan, rules_factory

from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.store.store import Store

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")

SCENARIO = {
    "format": "balint-scenario/1",
    "group": {"name": "Replay group", "members": ["Ana", "Ben", "Chloe"]},
    "plan": {"duration_min": 60, "template": "classic"},
    "events": [
        {"at": 0, "type": "start"},
        {"at": 30, "type": "case", "who": "Ana"},
        {"at": 31, "type": "speak", "who": "Ana"},
        {"at": 90, "type": "mark", "kind": "advice"},
        {"at": 600, "type": "end"},
    ],
}


def _build(data: Path) -> dict[str, str]:
    """A data folder with a group, a finished session and an interrupted one."""
    clock = ManualClock()
    with Store.open(data) as store:
        store.save_group(make_group())
        for interrupted in (False, True):
            live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0", "m1", "m2"],
                                     clock=clock, rules_factory=rules_factory())
            for kind, fields in [("case", {"who": "m1"}), ("speak", {"who": "m1"}),
                                 ("mark", {"kind": "advice"}), ("speak", {"who": "m2"})]:
                clock.advance(20)
                live.record(kind, **fields)
            if interrupted:
                live.close()
                journal = live.session_id
            else:
                finished = live.finish()
        store.save_settings({"thresholds": {"tolerate_silence_s": 25}})
    return {"record": f"sessions/{finished}.json", "journal": f"journals/{journal}.jsonl"}


def _edit_index(data: Path, change) -> str:
    index = json.loads((data / "index.json").read_text())
    change(index)
    (data / "index.json").write_text(json.dumps(index))
    return "index.json"


def _bytes(rel_key: str, raw: bytes):
    def damage(data: Path, files: dict[str, str]) -> str:
        rel = files.get(rel_key, rel_key)
        (data / rel).write_bytes(raw(data / rel) if callable(raw) else raw)
        return rel

    return damage


def _index(change):
    def damage(data: Path, files) -> str:
        return _edit_index(data, change)

    damage.index_change = change
    return damage


def _record(change):
    def damage(data: Path, files: dict[str, str]) -> str:
        path = data / files["record"]
        record = json.loads(path.read_text())
        change(record)
        path.write_text(json.dumps(record))
        return files["record"]

    return damage


def _set(doc, *path_value):
    *path, value = path_value
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _del(doc, *path):
    node = doc
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]


def _card(data: Path, files) -> str:
    (data / "prompts").mkdir(mode=0o700)
    (data / "prompts" / "my.card.toml").write_bytes(b'id = "my.card"\ntitle = [1\n')
    return "prompts/my.card.toml"


def _gone(data: Path, files) -> None:
    shutil.rmtree(data)


# case -> (damage, fault, needle in failing lines, commands expected to fail)
CASES = {
    "index-truncated": (
        _bytes("index.json", lambda p: p.read_bytes()[:-9]),
        None,
        "index.json",
        {"review-export", "replay"},
    ),
    "index-garbage": (
        _bytes("index.json", b"\x00\xffgarbage\x1b[2J"),
        None,
        "index.json",
        {"review-export", "replay"},
    ),
    "index-list": (
        _bytes("index.json", b"[1, 2, 3]"),
        None,
        "index.json",
        {"review-export", "replay"},
    ),
    "index-bad-row": (
        _index(lambda i: _set(i, "sessions", "1", "duration_s", "long")),
        None,
        "index.json",
        {"review", "review-export"},
    ),
    "index-bad-group": (
        _index(lambda i: _set(i, "groups", "1", "members", "Ana, Ben")),
        None,
        "index.json",
        {"replay"},
    ),
    "index-newer": (
        _index(lambda i: _set(i, "meta", "1", "data_version", 99)),
        None,
        "newer balint-tui",
        {"review", "review-export", "replay"},
    ),
    "index-older": (_index(lambda i: _del(i, "meta")), None, None, set()),
    "record-truncated": (
        _bytes("record", lambda p: p.read_bytes()[:100]),
        None,
        ".json",
        {"review", "review-export"},
    ),
    "record-garbage": (
        _bytes("record", os.urandom(200)),
        None,
        ".json",
        {"review", "review-export"},
    ),
    "record-wrong-shape": (
        _bytes("record", b'{"format": "balint-session/1", "events": 3}'),
        None,
        ".json",
        {"review", "review-export"},
    ),
    "record-newer": (
        _record(lambda r: _set(r, "format", "balint-session/9")),
        None,
        "newer balint-tui",
        {"review", "review-export"},
    ),
    "journal-garbage": (_bytes("journal", b"\xff" * 50 + b"\n{}\n"), None, ".jsonl", set()),
    "settings-wrong": (
        _index(lambda i: _set(i, "settings", "1", "value", "thresholds", {"cooldown_s": "soon"})),
        None,
        "settings",
        {"replay"},
    ),
    "card-bad": (_card, None, "my.card.toml", {"prompts", "replay"}),
    "folder-missing": (
        _gone,
        None,
        "no balint-tui data folder",
        {"audit", "review", "review-export"},
    ),
    "read-only": (lambda data, files: None, "erofs", "Read-only file system", {"review", "replay"}),
    "disk-full": (lambda data, files: None, "enospc", "No space left on device", {"replay"}),
}


def _commands(out: Path, scenario: Path) -> dict[str, list[str]]:
    return {
        "audit": ["audit"],
        "prompts": ["prompts"],
        "review-export": ["review", "--last", "--export", "md", str(out / "review.md")],
        "review": ["review", "--last"],
        "replay": ["replay", str(scenario), "--json", "--save"],
    }


def _still_there(data: Path, rel: str | None, damaged: bytes | None, name: str) -> bool:
    """The damaged bytes are on disk: in place, set aside, or in an upgrade's backup;
    for a bad entry inside the index, that entry is still in it (other rows may change)."""
    if rel is None:
        return True
    path = data / rel
    candidates = [path, *path.parent.glob(f"{path.name}.corrupt-*"), *data.glob(f"backup-*/{rel}")]
    if any(p.exists() and p.read_bytes() == damaged for p in candidates):
        return True
    damage = CASES[name][0]
    if getattr(damage, "index_change", None) and path.exists():
        now = json.loads(path.read_text())
        again = json.loads(json.dumps(now))
        damage.index_change(again)
        return again == now
    return False


def _run_one(
    name: str, command: str, template: Path, files: dict[str, str], root: Path, scenario: Path
):
    damage, fault, _needle, _failing = CASES[name]
    data = root / f"{name}-{command}" / "data"
    out = root / f"{name}-{command}" / "out"
    out.mkdir(parents=True)
    shutil.copytree(template, data)
    rel = damage(data, files)
    damaged = (data / rel).read_bytes() if rel else None
    env = {**os.environ, "BALINT_TUI_DATA": str(data), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("BALINT_TUI_DEBUG", None)
    if fault:
        env.update(BALINT_FAULT=fault, BALINT_FAULT_DIR=str(data))
    proc = subprocess.run(
        [sys.executable, str(HARDENING / "faulty_cli.py"), *_commands(out, scenario)[command]],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return name, command, proc, _still_there(data, rel, damaged, name)


def test_damaged_folders_give_one_line_never_a_traceback(tmp_path):
    template = tmp_path / "template"
    files = _build(template)
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    runs = [
        (name, command)
        for name in CASES
        for command in _commands(tmp_path, scenario)
        # plain ``review`` opens the review screen when nothing is wrong
        if command != "review" or command in CASES[name][3]
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(
            pool.map(lambda run: _run_one(*run, template, files, tmp_path / "runs", scenario), runs)
        )
    problems = []
    for name, command, proc, kept in outcomes:
        _, _, needle, failing = CASES[name]
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
        where = f"{name} / {command}: exit {code}, stderr {stderr!r}"
        if not kept:
            problems.append(f"{where}: the damaged file was overwritten or removed")
        if "Traceback" in stderr or "Traceback" in stdout:
            problems.append(f"{where}: a traceback")
            continue
        if "\x1b" in stderr:
            problems.append(f"{where}: an escape sequence reached the terminal")
        should_fail = command in failing
        if command == "audit" and not should_fail:
            # exit 1 = some stored string is flagged (the report is on stdout)
            if code not in (0, 1) or stderr or "Data folder" not in stdout:
                problems.append(f"{where}: no audit report")
            continue
        if code not in (0, 1, 2) or (code != 0) != should_fail:
            problems.append(f"{where}: unexpected exit status")
            continue
        if code:
            lines = stderr.splitlines()
            if len(lines) != 1 or not lines[0].startswith("balint-tui: ") or stdout:
                problems.append(f"{where}: not exactly one line on stderr / stdout {stdout!r}")
            elif needle and needle not in lines[0]:
                problems.append(f"{where}: does not name {needle!r}")
        elif len(stderr.splitlines()) > 1:
            problems.append(f"{where}: more than one line on stderr")
    assert len(outcomes) >= 70
    assert not problems, "\n".join(problems)
