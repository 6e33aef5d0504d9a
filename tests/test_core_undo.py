"""``undo`` (CONTRACT.md section 1): the state, summary and review are what they would
be had the withdrawn events never been recorded; ``redo`` gives them back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from core_helpers import MEMBERS, at, make_engine, play_step
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_helpers import rules_engine

from balint_tui.domain import events as ev
from balint_tui.domain.engine import CHECKPOINT_EVERY
from balint_tui.domain.metrics import summary
from balint_tui.domain.model import SessionPlan, builtin_templates
from balint_tui.domain.scenario import ScenarioError, load_scenario, parse_scenario, replay
from balint_tui.domain.simulate import generate_scenario
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.domain.vocabulary import MARK_KINDS, PHASES
from balint_tui.domain.withdrawal import Withdrawals, effective, key_group
from balint_tui.review.session import review_events, review_replay

HERE = Path(__file__).parent / "scenarios"

speaker = st.sampled_from([*MEMBERS, "leader", "coleader"])
member = st.sampled_from(MEMBERS)
step = st.one_of(
    st.builds(lambda w, q: (ev.Speak, {"who": w, "to_presenter": q}), speaker, st.booleans()),
    st.just((ev.Silence, {})),
    st.builds(lambda w: (ev.Case, {"who": w}), member),
    st.just((ev.Topic, {})),
    st.builds(lambda p: (ev.PhaseChange, {"phase": p}), st.sampled_from(PHASES)),
    st.builds(lambda k: (ev.Mark, {"kind": k}), st.sampled_from(MARK_KINDS)),
    st.builds(lambda w, u: (ev.Queue, {"who": w, "urgent": u}), member, st.booleans()),
    st.builds(lambda w: (ev.Unqueue, {"who": w}), member),
    st.builds(lambda w: (ev.Arrive, {"who": w}), member),
    st.builds(lambda w: (ev.Leave, {"who": w}), member),
    st.builds(lambda m: (ev.Extend, {"minutes": m}), st.integers(-10, 10)),
    st.just((ev.Undo, {})),
    st.just((ev.Undo, {})),
    st.just((ev.Redo, {})),
    st.just(("tick", {})),
)
gaps = st.sampled_from([0, 0, 1, 2.5, 5, 20, 60, 130])


def _fresh(template: str, members=MEMBERS) -> SessionState:
    plan = SessionPlan(duration_min=60, template=builtin_templates()[template])
    return SessionState(plan, list(members))


def _without_withdrawn(events):
    """The sequence as it would have been recorded without the slips: the withdrawn
    events and the undo/redo events themselves left out."""
    w = Withdrawals()
    for e in events:
        w.push(e)
    return [e for i, e in enumerate(events)
            if i not in w.withdrawn and e.type not in ("undo", "redo")]


def _same(a: SessionState, b: SessionState) -> None:
    assert summary(a) == summary(b)
    assert a.tallies == b.tallies
    assert a.cases == b.cases
    assert a.queue == b.queue
    assert a.present == b.present and a.away == b.away
    assert a.planned_end == b.planned_end
    assert a.silences == b.silences and a.silence_since == b.silence_since
    assert (a.floor, a.floor_since, a.floor_to_presenter) == (
        b.floor, b.floor_since, b.floor_to_presenter)
    assert a.transitions == b.transitions
    assert a.questions_in_a_row == b.questions_in_a_row


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(gaps, step), max_size=80), st.booleans(), st.booleans())
def test_any_sequence_with_undos_folds_as_if_the_slips_were_never_recorded(
    steps, residency, end
):
    template = "residency" if residency else "classic"
    engine, clock, sink = make_engine(template=template)
    engine.record(ev.Start)
    t = 0.0
    for gap, (kind, fields) in steps:
        t += gap
        play_step(engine, clock, t, kind, fields)
    if end:
        clock.set(t + 1)
        engine.record(ev.End)
    raw = sink.events
    # the live engine (incremental + refolds) ...
    plain = _fresh(template)
    for e in _without_withdrawn(raw):
        plain.apply(e)
    plain.advance(engine.state.now)
    _same(engine.state, plain)
    # ... every reader of the journal (effective) ...
    folded = _fresh(template)
    for e in effective(raw):
        folded.apply(e)
    folded.advance(engine.state.now)
    _same(folded, plain)
    # ... a resume from the journal ...
    resumed, _, _ = make_engine(template=template)
    for e in raw:
        resumed.replay(e)
    resumed.state.advance(engine.state.now)
    _same(resumed.state, plain)
    # ... and the review (of an ended session: one that did not end closes what is
    # open at its last event, and an undo is an event of its own)
    names = {m: m for m in MEMBERS}
    if end:
        assert _shape(review_events(plain.plan, MEMBERS, raw, names)) == _shape(
            review_events(plain.plan, MEMBERS, _without_withdrawn(raw), names))


def _shape(review):
    """A review without its ``index`` fields: those say where each moment stands in the
    list of events that count (the debrief's flags point there), which has the undos
    and their slips in one case and not in the other."""
    import dataclasses

    def strip(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: strip(getattr(value, f.name)) for f in dataclasses.fields(value)
                    if f.name != "index"}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        return value

    return strip(review)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(gaps, step), max_size=60))
def test_undo_with_rules_keeps_cards_that_surfaced(steps):
    """With every card's rules on: a refold never fails, and a card that surfaced stays
    surfaced in the journal (prompt events are not withdrawn)."""
    engine, clock, sink = rules_engine()
    clock.set(0)
    engine.record(ev.Start)
    t = 0.0
    surfaced = 0
    for gap, (kind, fields) in steps:
        t += gap
        play_step(engine, clock, t, kind, fields)
        now = sum(1 for e in effective(sink.events)
                  if e.type == "prompt" and e.action == "surfaced")
        assert now >= surfaced
        surfaced = now
        assert len(engine.state.visible_cards) <= 3


def test_the_contract_example_gives_the_floor_back():
    """A mistaken speak at 95 undone at 100 leaves the floor with whoever held it
    before, from 95 on."""
    engine, clock, sink = make_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 10, ev.Speak, who="Ana")
    at(engine, clock, 95, ev.Speak, who="Ben")
    at(engine, clock, 100, ev.Undo)
    state = engine.state
    assert state.floor == "Ana" and state.floor_since == 10
    assert state.airtime("Ana") == 90 and state.airtime("Ben") == 0 and state.turns("Ben") == 0
    assert [e.type for e in sink.events] == ["start", "speak", "speak", "undo"]
    clock.set(130)
    engine.tick()
    assert state.airtime("Ana") == 120


def test_repeated_undo_walks_back_and_redo_gives_back():
    engine, clock, sink = make_engine()
    at(engine, clock, 0, ev.Start)
    for i, who in enumerate(MEMBERS * 4):  # 24 turns
        at(engine, clock, 10 + i, ev.Speak, who=who)
    for i in range(22):
        at(engine, clock, 100 + i, ev.Undo)
    state = engine.state
    assert state.floor == "Ben" and state.turns("Ana") == 1 and state.turns("Ben") == 1
    assert state.floor_since == 11 and state.turns("Chloe") == 0
    at(engine, clock, 130, ev.Undo)
    at(engine, clock, 131, ev.Undo)
    assert state.floor is None and not state.tallies.get("Ana", None)
    with pytest.raises(EventRejected, match="nothing to undo"):
        at(engine, clock, 132, ev.Undo)  # start is not withdrawn
    at(engine, clock, 133, ev.Redo)
    at(engine, clock, 134, ev.Redo)
    assert state.floor == "Ben" and state.turns("Ana") == 1
    at(engine, clock, 140, ev.Silence)  # something new: nothing left to redo
    with pytest.raises(EventRejected, match="nothing to redo"):
        at(engine, clock, 141, ev.Redo)
    assert [e.type for e in sink.events].count("undo") == 24


def test_undo_far_back_in_a_long_session_crosses_checkpoints():
    scenario = parse_scenario(generate_scenario(minutes=90, events=3000))
    events = [e.model_dump() for e in scenario.events]
    end = events.pop()
    last = events[-1]["at"]
    events += [
        {"at": round(last + 0.01 * (i + 1), 3), "type": "undo"}
        for i in range(CHECKPOINT_EVERY + 40)
    ]
    events.append(end)
    data = generate_scenario(minutes=90, events=3000)
    data["events"] = events
    result = replay(parse_scenario(data))
    plain = replay(parse_scenario({**data, "events": _dicts(_without_withdrawn(result.events))}))
    assert result.to_json()["summary"] == plain.to_json()["summary"]
    assert review_replay(result).turns == review_replay(plain).turns


def _dicts(events):
    return [ev.event_to_dict(e) for e in events if e.type != "prompt"]


def test_hand_worked_undo_scenario_has_the_summary_without_the_slips():
    undone = replay(load_scenario(HERE / "hand_worked_undo.json")).to_json()
    plain = replay(load_scenario(HERE / "hand_worked.json")).to_json()
    assert undone["summary"] == plain["summary"]


def test_replay_cli_honours_undo_and_keeps_surfaced_cards():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "balint_tui",
            "replay",
            str(HERE / "hand_worked_undo.json"),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    plain = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "balint_tui",
                "replay",
                str(HERE / "hand_worked.json"),
                "--json",
            ],
            capture_output=True,
            text=True,
        ).stdout
    )
    assert data["summary"] == plain["summary"]
    # the advice mark at 650 was undone at 651: its card had surfaced and stays listed
    assert {"at": 650.0, "id": "salinsky.speculation"} in [
        {"at": p["at"], "id": p["id"]} for p in data["prompts"]
    ]


def test_undo_with_nothing_to_withdraw_is_one_line_naming_the_event(tmp_path):
    data = json.loads((HERE / "hand_worked.json").read_text())
    data["events"].insert(1, {"at": 1, "type": "undo"})
    with pytest.raises(ScenarioError, match=r"event 1 \(undo\): there is nothing to undo"):
        replay(parse_scenario(data))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    out = subprocess.run(
        [sys.executable, "-m", "balint_tui", "replay", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip().count("\n") == 0 and "nothing to undo" in out.stderr


def test_redo_is_not_a_scenario_event():
    data = json.loads((HERE / "hand_worked.json").read_text())
    data["events"].insert(3, {"at": 20, "type": "redo"})
    with pytest.raises(ScenarioError, match="event 3"):
        parse_scenario(data)


def test_key_groups():
    case = ev.Case(at=5, who="Ben")
    phase = ev.PhaseChange(at=5, phase="presentation")
    turn = ev.Speak(at=5, who="Ben")
    assert key_group([ev.Speak(at=1, who="Ana"), case, phase, turn]) == 3
    assert key_group([case, phase]) == 2
    assert key_group([ev.Topic(at=5), ev.PhaseChange(at=5, phase="discussion")]) == 2
    assert key_group([ev.Arrive(at=7, who="Eli"), ev.Speak(at=7, who="Eli")]) == 2
    # a turn of another member at the same moment is a key of its own
    assert key_group([ev.Arrive(at=7, who="Eli"), ev.Speak(at=7, who="Ana")]) == 1
    assert key_group([case, ev.PhaseChange(at=6, phase="presentation")]) == 1
    assert key_group([]) == 0


def test_one_key_group_is_undone_by_as_many_undos():
    engine, clock, _sink = make_engine()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 5, ev.Queue, who="Ben")
    at(engine, clock, 10, ev.Speak, who="Ana")
    clock.set(60)
    engine.record_group(
        [
            (ev.Case, {"who": "Ben"}),
            (ev.PhaseChange, {"phase": "presentation"}),
            (ev.Speak, {"who": "Ben"}),
        ]
    )
    assert [e.type for e in engine.undoable()] == ["case", "phase", "speak"]
    for _ in engine.undoable():
        at(engine, clock, 65, ev.Undo)
    state = engine.state
    assert state.case is None and state.floor == "Ana" and [q.who for q in state.queue] == ["Ben"]
    assert [e.type for e in engine.redoable()] == ["case", "phase", "speak"]
    assert [e.type for e in engine.undoable()] == ["speak"]
