import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from balint_tui.domain.metrics import balance
from balint_tui.domain.scenario import ScenarioError, load_scenario, parse_scenario, replay

HERE = Path(__file__).parent
HAND = HERE / "scenarios" / "hand_worked.json"


def run_cli(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "balint_tui", *args], capture_output=True, text=True, **kw
    )


def test_hand_worked_summary():
    summary = replay(load_scenario(HAND)).to_json()["summary"]
    assert summary["duration_s"] == 1030
    assert summary["members"] == {
        "Ana": {"turns": 2, "airtime_s": 371.0, "first_spoke_at": 61.0},
        "Ben": {"turns": 2, "airtime_s": 133.0, "first_spoke_at": 402.0},
        "Chloe": {"turns": 1, "airtime_s": 30.0, "first_spoke_at": 460.0},
        "Dev": {"turns": 1, "airtime_s": 160.0, "first_spoke_at": 540.0},
        "Eli": {"turns": 1, "airtime_s": 100.0, "first_spoke_at": 700.0},
        "Fay": {"turns": 0, "airtime_s": 0.0, "first_spoke_at": None},
    }
    assert summary["leader_airtime_share"] == round(50 / 844, 3)
    assert summary["never_spoke"] == ["Fay"]
    assert summary["longest_silence_s"] == 95
    shares = [a / 794 for a in (371, 133, 30, 160, 100)]
    expected = -sum(p * math.log(p) for p in shares) / math.log(6)
    assert summary["balance"] == round(expected, 3)


def test_balance_extremes():
    assert balance([10, 10, 10]) == pytest.approx(1.0)
    assert balance([10, 0, 0]) == 0.0
    assert balance([0, 0]) == 0.0
    assert balance([5]) == 1.0


def test_cli_replay_prints_contract_json():
    out = run_cli("replay", str(HAND), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"prompts", "summary"}
    assert set(data["summary"]) == {
        "duration_s", "members", "leader_airtime_share", "never_spoke",
        "longest_silence_s", "balance",
    }
    assert data["prompts"]
    assert all(set(p) == {"at", "id", "member", "until", "ended"} for p in data["prompts"])
    ended = {"resolved", "expired", "replaced", "session_end"}
    for p in data["prompts"]:
        assert p["ended"] in ended, p
        assert (p["until"] is None) == (p["ended"] == "session_end"), p
        assert p["until"] is None or p["until"] >= p["at"]
    assert [p["at"] for p in data["prompts"]] == sorted(p["at"] for p in data["prompts"])


def _broken(tmp_path, mutate):
    data = json.loads(HAND.read_text())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["events"][6].update(who="Zed"), "event 6 (speak): 'Zed' is not a member"),
        (lambda d: d["events"][3].update(phase="chat"), "event 3 (phase), field 'phase'"),
        (lambda d: d["events"][8].update(note="x"), "event 8 (speak), field 'note'"),
        (lambda d: d["events"][7].update(at=1), "event 7 (speak): at 1 is earlier"),
        (lambda d: d["events"][2].update(type="gossip"), "event 2"),
        (lambda d: d.update(extra=1), "field 'extra'"),
        (lambda d: d["group"]["members"].append("ana"), "field 'group.members'"),
        (lambda d: d["group"]["members"].append("Leader"), "reserved"),
        (lambda d: d["plan"].update(template="nope"), "unknown template 'nope'"),
        (lambda d: d.update(format="balint-scenario/9"), "field 'format'"),
        (
            lambda d: d["events"].insert(0, {"at": 0, "type": "speak", "who": "Ana"}),
            "has not started",
        ),
    ],
)
def test_bad_scenarios_exit_2_with_one_line(tmp_path, mutate, expected):
    out = run_cli("replay", str(_broken(tmp_path, mutate)), "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_not_json_and_missing_file(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    out = run_cli("replay", str(bad), "--json")
    assert out.returncode == 2 and "not valid JSON" in out.stderr and out.stdout == ""
    out = run_cli("replay", str(tmp_path / "missing.json"), "--json")
    assert out.returncode == 2 and "cannot read" in out.stderr


def test_parse_errors_name_the_field():
    with pytest.raises(ScenarioError, match="field 'group'"):
        parse_scenario({"format": "balint-scenario/1", "plan": {"duration_min": 60}, "events": []})
