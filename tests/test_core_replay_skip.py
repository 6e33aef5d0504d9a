"""Replay's simulated clock skips idle seconds and still gives the output of ticking every
second; huge, non-numeric or duplicated fields are refused in one line (issue 12, item 6)."""

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from balint_tui.domain import scenario as sc
from balint_tui.domain.engine import Engine
from balint_tui.domain.history import history_facts
from balint_tui.domain.rules import build_rules
from balint_tui.domain.scenario import ScenarioError, load_scenario, parse_scenario
from balint_tui.domain.settings import Thresholds
from balint_tui.domain.simulate import generate_scenario
from balint_tui.store.card_files import load_cards

HERE = Path(__file__).parent
FILES = sorted((HERE / "scenarios").rglob("*.json"))


def _every_second(engine, clock, next_tick, at):
    """Today's loop before skipping: one tick per simulated second between events."""
    while next_tick < at:
        clock.set(next_tick)
        engine.tick()
        next_tick += 1.0
    return next_tick


def _run(scenario, thresholds=None):
    cards = load_cards()

    def factory(s, state):
        facts = history_facts(list(s.group.members), list(s.history))
        return build_rules(cards, thresholds or Thresholds(), facts, state.plan.template)

    result = sc.replay(scenario, rules_factory=factory)
    return json.dumps(result.to_json()), [e.model_dump_json() for e in result.events]


def _both(scenario, monkeypatch, thresholds=None):
    skipped = _run(scenario, thresholds)
    with monkeypatch.context() as m:
        m.setattr(sc, "_tick_until", _every_second)
        stepped = _run(scenario, thresholds)
    return skipped, stepped


def _generated(seed):
    rng = random.Random(seed)
    data = generate_scenario(
        minutes=rng.choice([20, 45, 60, 90, 120]), events=rng.choice([40, 80, 300, 1200]),
        members=rng.choice([5, 6, 8, 12]), cases=rng.choice([1, 2, 3]), seed=seed,
        template=rng.choice(["classic", "residency"]), history=rng.random() < 0.7,
    )
    keep = rng.choice([1.0, 0.3, 0.05, 0.0])  # sparse: long idle stretches
    events = [e for e in data["events"]
              if e["type"] not in ("speak", "silence", "mark") or rng.random() < keep]
    if rng.random() < 0.5:
        i = len(events) // 2
        events.insert(i, {"at": events[i - 1]["at"], "type": "extend",
                          "minutes": rng.choice([-10, -5, 5, 10])})
    if rng.random() < 0.3:
        events = events[:-1]  # no end: the replay stops at the last event
    data["events"] = events
    return parse_scenario(data)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_skipping_matches_every_second_on_the_scenarios(path, monkeypatch):
    skipped, stepped = _both(load_scenario(path), monkeypatch)
    assert skipped == stepped


@pytest.mark.parametrize("seed", range(24))
def test_skipping_matches_every_second_on_generated_scenarios(seed, monkeypatch):
    skipped, stepped = _both(_generated(seed), monkeypatch)
    assert skipped == stepped


@pytest.mark.parametrize("seed", range(6))
def test_skipping_matches_with_short_thresholds(seed, monkeypatch):
    """Cards expire and cool down often, several thresholds fall between seconds."""
    t = Thresholds(expire_s=10.5, wait_s=7.25, cooldown_s=3, tolerate_silence_s=2.5,
                   summarize_silence_s=7.3, quiet_member_after_s=30.2,
                   dominant_member_after_s=12.7, petering_out_remaining_s=1800,
                   petering_out_window_s=33, full_flow_recent_s=4.4)
    skipped, stepped = _both(_generated(100 + seed), monkeypatch, t)
    assert skipped == stepped


def test_an_idle_day_is_not_stepped_second_by_second(monkeypatch):
    ticks = []
    real = Engine.tick
    monkeypatch.setattr(Engine, "tick", lambda self, now=None: ticks.append(1) or real(self, now))
    data = {
        "format": "balint-scenario/1",
        "group": {"name": "G", "members": ["Ana", "Ben"]},
        "plan": {"duration_min": 60},
        "events": [{"at": 0, "type": "start"}, {"at": 10, "type": "speak", "who": "Ana"},
                   {"at": 86400, "type": "end"}],
    }
    started = time.perf_counter()
    _run(parse_scenario(data))
    assert time.perf_counter() - started < 2
    # a few hundred ticks around the planned end and the visible cards, not 86,400
    assert len(ticks) < 1000


BASE = {
    "format": "balint-scenario/1",
    "group": {"name": "G", "members": ["Ana", "Ben"]},
    "plan": {"duration_min": 60},
}


def _cli(tmp_path, text):
    path = tmp_path / "s.json"
    path.write_text(text)
    return subprocess.run([sys.executable, "-m", "balint_tui", "replay", str(path), "--json"],
                          capture_output=True, text=True, timeout=20)


@pytest.mark.parametrize("at", ["1e300", "1e15", "86401"])
def test_huge_times_are_refused_in_one_line(tmp_path, at):
    text = json.dumps({**BASE, "events": [{"at": 0, "type": "start"}]})
    text = text[:-2] + ', {"at": ' + at + ', "type": "end"}]}'
    out = _cli(tmp_path, text)
    assert out.returncode == 2 and out.stdout == ""
    line = out.stderr.strip()
    assert "\n" not in line
    assert "event 1 (end), field 'at'" in line and "24 hours" in line


@pytest.mark.parametrize("at", ['"5"', "true", "null", "[1]"])
def test_times_must_be_numbers(tmp_path, at):
    text = json.dumps({**BASE, "events": [{"at": 0, "type": "start"}]})
    text = text[:-2] + ', {"at": ' + at + ', "type": "end"}]}'
    out = _cli(tmp_path, text)
    assert out.returncode == 2 and out.stdout == ""
    assert "event 1 (end), field 'at': must be a number" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"format": "balint-scenario/1", "group": {"name": "G", "members": ["Ana"]},'
         ' "plan": {"duration_min": 60}, "events": [{"at": 0, "type": "start"},'
         ' {"at": 5, "type": "speak", "who": "Ana", "who": "leader"}]}',
         "event 1 (speak), field 'who': is given twice"),
        ('{"format": "balint-scenario/1", "group": {"name": "G", "name": "H", "members": ["A"]},'
         ' "plan": {"duration_min": 60}, "events": []}',
         "field 'group.name': is given twice"),
        ('{"format": "balint-scenario/1", "group": {"name": "G", "members": ["A"]},'
         ' "plan": {"duration_min": 60}, "events": [], "events": []}',
         "field 'events': is given twice"),
    ],
)
def test_duplicate_keys_are_refused(tmp_path, text, where):
    out = _cli(tmp_path, text)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip().endswith(where)


def test_parse_scenario_checks_times_too():
    with pytest.raises(ScenarioError, match=r"event 1 .*'at'"):
        parse_scenario({**BASE, "events": [{"at": 0, "type": "start"},
                                           {"at": "5", "type": "end"}]})
