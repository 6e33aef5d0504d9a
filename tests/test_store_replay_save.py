"""``replay --save`` never changes an existing group's roster (issue 12, item 9)."""

import json
from datetime import datetime

from click.testing import CliRunner

from balint_tui.application.replay import replay_group_name
from balint_tui.cli import cli
from balint_tui.domain.names import MAX_NAME_LEN, name_key
from balint_tui.store.store import Store

DEMO = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana"]


def _scenario(tmp_path, name, members, file="s.json"):
    path = tmp_path / file
    path.write_text(json.dumps({
        "format": "balint-scenario/1",
        "group": {"name": name, "members": members},
        "plan": {"duration_min": 60},
        "events": [{"at": 0, "type": "start"}, {"at": 5, "type": "speak", "who": members[-1]},
                   {"at": 60, "type": "end"}],
    }))
    return path


def _save(data, path):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "replay", str(path), "--save"])


def _rosters(data):
    with Store.open(data) as store:
        return {g.name: [m.name for m in g.members] for g in store.groups()}


def test_a_lookalike_group_is_not_merged_into_the_real_one(tmp_path):
    data = tmp_path / "d"
    assert _save(data, _scenario(tmp_path, "Demo group", DEMO, "demo.json")).exit_code == 0
    out = _save(data, _scenario(tmp_path, "demo GROUP", ["Ana", "Intruder"]))
    assert out.exit_code == 0, out.output
    rosters = _rosters(data)
    assert rosters["Demo group"] == DEMO  # nobody added
    [other] = [n for n in rosters if n != "Demo group"]
    assert other.startswith("demo GROUP (replay ") and len(other) <= MAX_NAME_LEN
    assert rosters[other] == ["Ana", "Intruder"]
    line = out.stderr.strip()
    assert "\n" not in line and f'a new group "{other}"' in line


def test_same_name_other_roster_gets_its_own_group(tmp_path):
    data = tmp_path / "d"
    _save(data, _scenario(tmp_path, "Demo group", DEMO, "demo.json"))
    out = _save(data, _scenario(tmp_path, "Demo group", [*DEMO, "Intruder"]))
    assert out.exit_code == 0
    rosters = _rosters(data)
    assert rosters["Demo group"] == DEMO
    assert len(rosters) == 2
    # a subset of the roster is not the same roster either
    _save(data, _scenario(tmp_path, "Demo group", DEMO[:3], "few.json"))
    assert _rosters(data)["Demo group"] == DEMO and len(_rosters(data)) == 3


def test_exact_name_and_roster_is_the_same_group(tmp_path):
    data = tmp_path / "d"
    path = _scenario(tmp_path, "Demo group", DEMO)
    _save(data, path)
    out = _save(data, _scenario(tmp_path, "Demo group", list(reversed(DEMO)), "rev.json"))
    assert 'in the group "Demo group"' in out.stderr
    with Store.open(data) as store:
        [group] = store.groups()
        assert len(store.sessions(group.id)) == 2


def test_a_fullwidth_name_is_a_taken_name(tmp_path):
    data = tmp_path / "d"
    _save(data, _scenario(tmp_path, "Demo group", DEMO, "demo.json"))
    _save(data, _scenario(tmp_path, "Ｄｅｍｏ ｇｒｏｕｐ", ["Ana"]))
    names = list(_rosters(data))
    assert len(names) == 2 and len({name_key(n) for n in names}) == 2


def test_replay_names_fit_the_limit_and_stay_distinct():
    now = datetime(2026, 12, 3, 16, 40)
    long = "A" * MAX_NAME_LEN
    first = replay_group_name(long, [long], now)
    assert len(first) <= MAX_NAME_LEN and first.endswith("(replay 2026-12-03 16:40)")
    second = replay_group_name(long, [long, first], now)
    assert second != first and len(second) <= MAX_NAME_LEN
    assert replay_group_name("Fresh", ["Other"], now) == "Fresh"


def test_a_card_about_several_members_is_saved_with_member_ids(tmp_path):
    """The follow-ups card names Ben and Dev: the saved session keeps both as ids
    (``who`` and ``also``), never the names."""
    from pathlib import Path

    data = tmp_path / "d"
    scenario = (Path(__file__).parent / "scenarios" / "rules"
                / "salinsky.case-selection.follow-ups.hit.json")
    out = CliRunner().invoke(cli, ["--data-dir", str(data), "replay", str(scenario), "--save"])
    assert out.exit_code == 0, out.output
    with Store.open(data) as store:
        ids = {m.name: m.id for g in store.groups() for m in g.members}
    [session] = list((data / "sessions").glob("*.json"))
    events = json.loads(session.read_text())["events"]
    [card] = [e for e in events if e["type"] == "prompt" and e["action"] == "surfaced"]
    assert (card["who"], card["also"]) == (ids["Ben"], [ids["Dev"]])
