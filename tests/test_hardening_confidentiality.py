"""Confidentiality: after a full simulated day of use, every file balint-tui wrote is
0600 in a 0700 folder, every string stored is a name, an id, a vocabulary word, an ISO
date/time or a number (nothing else: no free text), and nothing was written outside the
data folder (HOME and TMPDIR stay empty; no log files)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from hardening_helpers import NAMES, make_group, make_plan, rules_factory

from balint_tui.application.live import LiveSession
from balint_tui.audit.audit import audit
from balint_tui.domain import events as ev
from balint_tui.domain.cards import TRIGGER_KINDS
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Template, builtin_templates
from balint_tui.domain.names import ID_PATTERN
from balint_tui.domain.vocabulary import (
    CARD_ACTIONS,
    LEADERS,
    MARK_KINDS,
    PHASES,
    PROMPT_LEVELS,
    ROLES,
    SETTINGS_PLACES,
)
from balint_tui.review.abs_items import forms, rating_form
from balint_tui.store.card_files import packaged_cards
from balint_tui.store.store import Store

GROUP_NAME = "Tuesday group"
TEMPLATE_NAME = "Short evening"
SCENARIO = {
    "format": "balint-scenario/1",
    "group": {"name": "Replay group", "members": ["Ana", "Ben", "Zoë"]},
    "plan": {"duration_min": 60, "template": "classic", "role": "coleader",
             "setting": "online", "prompts": "few"},
    "events": [
        {"at": 0, "type": "start"},
        {"at": 30, "type": "queue", "who": "Zoë", "urgent": True},
        {"at": 40, "type": "case", "who": "Zoë"},
        {"at": 40, "type": "phase", "phase": "presentation"},
        {"at": 41, "type": "speak", "who": "Zoë"},
        {"at": 400, "type": "phase", "phase": "questions"},
        {"at": 402, "type": "speak", "who": "Ben", "to_presenter": True},
        {"at": 900, "type": "mark", "kind": "medical_detail"},
        {"at": 3600, "type": "end"},
    ],
}
TYPED_NAMES = {*NAMES, GROUP_NAME, TEMPLATE_NAME, "Replay group", "Zoë", "Friday group"}


def _vocabulary() -> set[str]:
    words = {*PHASES, *MARK_KINDS, *CARD_ACTIONS, *LEADERS, *TRIGGER_KINDS, *builtin_templates()}
    words |= {cls.model_fields["type"].default for cls in ev.AnyEvent.__args__}
    words |= set(packaged_cards())
    words |= {*PROMPT_LEVELS, *ROLES, *SETTINGS_PLACES}  # the plan's keys (contract v3)
    words |= {"balint-session/1", "balint-session/2", "balint-journal/1"}
    for form in forms().values():  # the review's three forms and who may rate them
        words |= set(form.item_ids) | set(form.rater_ids)
    return words


VOCABULARY = _vocabulary()
ID = re.compile(ID_PATTERN)
NEW_ID = re.compile(r"^[a-z][0-9a-f]{8}$")  # model.new_id ("mdbbaebab" has no digit)
FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


def _iso(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except ValueError:
        try:
            date.fromisoformat(text)
            return True
        except ValueError:
            return False


def _kind(value: str) -> str | None:
    if value in TYPED_NAMES:
        return "name"
    if value in VOCABULARY:
        return "vocabulary"
    if ID.match(value) and (any(c.isdigit() for c in value) or NEW_ID.match(value)):
        return "id"
    if _iso(value):
        return "date/time"
    return None


def _strings(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            if not (FIELD.match(key) or key.isdigit() or _kind(key)):
                yield f"{path}.<key>", key
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, f"{path}[]")
    elif isinstance(value, str):
        if _kind(value) is None:
            yield path, value
    else:
        assert value is None or isinstance(value, (bool, int, float)), (path, value)


def _documents(path: Path):
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return [json.loads(path.read_text("utf-8"))]


def _simulated_day(data: Path, scenario: Path, env: dict) -> None:
    clock = ManualClock()
    with Store.open(data) as store:
        group = make_group(name=GROUP_NAME)
        store.save_group(group)
        store.save_template(Template(name=TEMPLATE_NAME, duration_min=45, cases=1,
                                     phases=("presentation", "discussion")))
        thresholds = {"tolerate_silence_s": 25.0, "off": ["dornfest.pairing"]}
        store.save_settings({"thresholds": thresholds})
        for finish in (True, False):
            live = LiveSession.start(
                store,
                group,
                make_plan(),
                ["m0", "m1", "m2", "m3"],
                clock=clock,
                rules_factory=rules_factory(),
            )
            steps = [
                ("queue", {"who": "m1", "urgent": True}),
                ("queue", {"who": "m2"}),
                ("case", {"who": "m1"}),
                ("phase", {"phase": "presentation"}),
                ("speak", {"who": "m1"}),
                ("speak", {"who": "leader"}),
                ("phase", {"phase": "questions"}),
                ("speak", {"who": "m0", "to_presenter": True}),
                ("silence", {}),
                ("mark", {"kind": "advice"}),
                ("mark", {"kind": "tension"}),
                ("phase", {"phase": "discussion"}),
                ("speak", {"who": "m2"}),
                ("arrive", {"who": "m4"}),
                ("mark", {"kind": "off_task"}),
                ("speak", {"who": "coleader"}),
                ("extend", {"minutes": 5}),
                ("leave", {"who": "m3"}),
                ("unqueue", {"who": "m2"}),
            ]
            for i, (kind, fields) in enumerate(steps):
                clock.advance(45)
                live.record(kind, **fields)
                live.tick()
                if live.state.visible_cards and i % 2:  # the leader acts on or dismisses one
                    card = live.state.visible_cards[0]
                    live.record(
                        ev.PromptAction, id=card.id, action=("acted", "dismissed")[i % 4 // 2]
                    )
            assert any(e.type == "prompt" and e.action == "acted" for e in live.events)
            assert any(e.type == "prompt" and e.action == "dismissed" for e in live.events)
            if finish:
                clock.advance(600)
                live.tick()
                sid = live.finish()
            else:
                live.close()  # interrupted: its journal stays
        items = rating_form().item_ids
        store.save_rating(sid, {items[0]: 4, items[1]: None, items[2]: 2})
        # the presenter's and coleader's forms, who rated them, the debrief's flags
        presenter, coleader = forms()["presenter"].item_ids, forms()["coleader"].item_ids
        store.save_form_rating(sid, "presenter", {presenter[0]: 5, presenter[1]: None})
        store.save_rater(sid, "presenter", "presenter")
        store.save_form_rating(sid, "coleader", {coleader[0]: 1, coleader[-1]: 4})
        store.save_rater(sid, "coleader", "coleader")
        store.save_talked(sid, [3, 7, 12])
        doc = json.loads((data / "index.json").read_text("utf-8"))["ratings"]
        [stored] = doc.values()
        assert set(stored) == {
            "session_id",
            "items",
            "presenter",
            "presenter_rater",
            "coleader",
            "coleader_rater",
            "talked",
        }
    proc = subprocess.run(
        [sys.executable, "-m", "balint_tui", "replay", str(scenario), "--json", "--save"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    # the logbook: a session recorded elsewhere added by hand, one taken to supervision
    for args in (["logbook", "add", "--date", "2026-01-05", "--group", "Friday group",
                  "--role", "coleader", "--setting", "online", "--minutes", "90",
                  "--cases", "2"],
                 ["logbook", "--supervised", sid, "--on", date.today().isoformat()]):
        proc = subprocess.run([sys.executable, "-m", "balint_tui", *args],
                              capture_output=True, text=True, env=env, timeout=60)
        assert proc.returncode == 0, proc.stderr


def test_a_day_of_use_stores_no_free_text_and_nothing_outside_the_data_folder(
    tmp_path, monkeypatch
):
    home, tmp, data = tmp_path / "home", tmp_path / "tmp", tmp_path / "data"
    home.mkdir()
    tmp.mkdir()
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("XDG_")},
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "BALINT_TUI_DATA": str(data),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    for key, value in env.items():
        if key.startswith(("XDG_", "HOME", "TMPDIR", "BALINT")):
            monkeypatch.setenv(key, value)
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR

    _simulated_day(data, scenario, env)

    assert list(home.iterdir()) == [] and list(tmp.iterdir()) == []  # nothing outside
    files = []
    for root, dirs, names in os.walk(data):
        for d in dirs:
            assert stat.S_IMODE(os.stat(Path(root) / d).st_mode) == 0o700, d
        files += [Path(root) / n for n in names]
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    kinds = set()
    for path in files:
        rel = path.relative_to(data).as_posix()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, rel
        if rel == ".lock":
            assert path.read_text().strip().isdigit()  # the writer's pid, nothing else
            continue
        kind = re.sub(r"s[0-9a-f]{8}", "<id>", rel)
        assert kind in (
            "index.json",
            "index.mirror.json",
            "sessions/<id>.json",
            "journals/<id>.jsonl",
        ), rel  # no logs
        kinds.add(kind)
        for doc in _documents(path):
            bad = list(_strings(doc))
            assert not bad, (rel, bad[:5])
    assert kinds == {"index.json", "index.mirror.json", "sessions/<id>.json", "journals/<id>.jsonl"}
    assert len(list((data / "sessions").iterdir())) == 2
    # and the leader's own check agrees
    report = audit(data)
    assert report.flags == [], report.flags[:5]


def test_the_classifier_would_catch_free_text(tmp_path):
    """The walk above fails on the kind of thing the no-notes rule forbids."""
    for text in ("patient is a 45 year old teacher", "Ana cried", "see notes", "Ana, Ben"):
        assert list(_strings({"summary": {"comment": text}})) != []
    assert list(_strings({"who": "m3", "at": 1.5, "kind": "advice", "name": "Ana"})) == []
    # an id from model.new_id may hold no digit: still an id, for this walk and the audit
    from balint_tui.audit.audit import classify

    assert _kind("mdbbaebab") == "id" and classify("sabcdefab", frozenset()) == "id"
