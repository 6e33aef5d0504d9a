"""``balint-tui sessions``, ``balint-tui groups``, and ``delete`` by name or ``--last``:
ids a user can see, and one line listing the matching ids when a name is ambiguous."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from review_helpers import HAND, SIXTY, save_scenario

from balint_tui.application.live import LiveSession
from balint_tui.cli import cli
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.store.store import Store


def run(data, *args, input=None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input)


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        save_scenario(store, HAND, day=0, session_id="sone1")
        save_scenario(store, SIXTY, day=1, session_id="stwo1")
        other = Group(id="g2", name="[b]Night owls",
                      members=[Member(id="n1", name="Ola"), Member(id="n2", name="Per")])
        store.save_group(other)
        plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
        live = LiveSession.start(store, other, plan, ["n1", "n2"],
                                 clock=ManualClock(0))
        live.record("case", who="n1")
        live.close()  # interrupted: its journal stays
        # a second of that name: a folder written before the store refused name twins
        # (``save_group`` refuses them now), so put in as an older version left it
        store._table("groups").insert(Group(id="g3", name="Thursday group").model_dump(mode="json"))
    return folder


def test_sessions_lists_finished_and_unfinished(data):
    result = run(data, "sessions")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "group", "date", "length", "cases"]
    assert "sone1" in lines[1] and "Thursday group" in lines[1] and "2026-01-06" in lines[1]
    assert "17:30" in lines[1] and "finished" in lines[1]
    assert "stwo1" in lines[2] and "60:00" in lines[2]
    assert "[b]Night owls" in lines[3] and "unfinished" in lines[3]  # the name as typed
    assert lines[3].split()[-2] == "1"  # one case started
    only = run(data, "sessions", "--group", "g2")
    assert len(only.output.splitlines()) == 2
    ambiguous = run(data, "sessions", "--group", "thursday group")
    assert ambiguous.exit_code == 2
    assert "2 groups are called" in ambiguous.output and "g1, g3" in ambiguous.output


def test_groups_lists_ids_names_members_sessions(data):
    result = run(data, "groups")
    assert result.exit_code == 0, result.output
    rows = [line.split("  ") for line in result.output.splitlines()]
    assert result.output.splitlines()[0].split() == ["id", "name", "members", "sessions"]
    text = result.output
    assert "g1  Thursday group  7        2" in text
    assert "g2  [b]Night owls" in text and "g3  Thursday group" in text
    assert len(rows) == 4


def test_delete_group_by_name_or_id(data):
    ambiguous = run(data, "delete", "group", "Thursday group", "--yes")
    assert ambiguous.exit_code == 2
    assert "2 groups are called 'Thursday group': g1, g3" in ambiguous.output
    assert len(ambiguous.output.strip().splitlines()) == 1
    by_name = run(data, "delete", "group", "[b]night OWLS", "--yes")
    assert by_name.exit_code == 0, by_name.output
    with Store.open(data) as store:
        assert store.group("g2") is None and store.unfinished() == []
        assert store.group("g1") is not None


def test_delete_session_by_group_name_and_last(data):
    many = run(data, "delete", "session", "g1", "--yes")
    assert many.exit_code == 2
    assert "has 2 sessions: sone1 (" in many.output and "stwo1 (" in many.output
    assert "give an id, or --last" in many.output
    one = run(data, "delete", "session", "[b]Night owls", input="y\n")  # its one session
    assert one.exit_code == 0, one.output
    assert "unfinished" in one.output
    last_of = run(data, "delete", "session", "g1", "--last", "--yes")
    assert last_of.exit_code == 0 and "deleted session stwo1" in last_of.output
    last = run(data, "delete", "session", "--last", "--yes")
    assert last.exit_code == 0 and "deleted session sone1" in last.output
    none = run(data, "delete", "session", "--last", "--yes")
    assert none.exit_code == 1 and "there are no sessions" in none.output
    missing = run(data, "delete", "session", "nosuch", "--yes")
    assert missing.exit_code == 2 and "no session 'nosuch'" in missing.output
    bare = run(data, "delete", "session")
    assert bare.exit_code == 2 and "--last" in bare.output


def test_last_is_ambiguous_when_two_sessions_started_together(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        save_scenario(store, HAND, day=0, session_id="sa1")
        store.save_group(Group(id="g9", name="Other group"))  # group names are unique
        save_scenario(store, HAND, day=0, session_id="sb1", group_id="g9")
    result = run(data, "delete", "session", "--last", "--yes")
    assert result.exit_code == 2
    assert "2 sessions started at the same time" in result.output
    assert "sa1" in result.output and "sb1" in result.output


def test_listings_without_data(tmp_path):
    for command in ("sessions", "groups"):
        result = run(tmp_path / "none", command)
        assert result.exit_code == 1 and "no balint-tui data folder" in result.output
    (tmp_path / "empty").mkdir()
    assert run(tmp_path / "empty", "sessions").output.strip() == "No sessions yet."
    assert run(tmp_path / "empty", "groups").output.strip() == "No groups yet."


def test_a_group_id_that_is_another_groups_name_deletes_nothing(tmp_path):
    """One group's id is another group's name (issue 22, item 11): the README's word,
    an argument that matches several deletes nothing, and the line says which match."""
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.save_group(Group(id="g1", name="Tuesday", members=[Member(id="m1", name="Ana")]))
        store.save_group(Group(id="g2", name="G1", members=[Member(id="m1", name="Ben")]))
    for text in ("g1", "G1"):
        result = run(folder, "delete", "group", text, "--yes")
        assert result.exit_code == 2, result.output
        line = result.output.strip()
        assert len(line.splitlines()) == 1
        assert "g1 ('Tuesday')" in line and "g2 ('G1')" in line and "nothing" in line, line
    with Store.open(folder) as store:
        assert {g.id for g in store.groups()} == {"g1", "g2"}
    assert run(folder, "delete", "group", "Tuesday", "--yes").exit_code == 0
    with Store.open(folder) as store:
        assert {g.id for g in store.groups()} == {"g2"}
    assert run(folder, "delete", "group", "g1", "--yes").exit_code == 0  # now one match: G1
    with Store.open(folder) as store:
        assert store.groups() == []


def test_a_session_id_that_is_a_groups_name_deletes_nothing(data):
    with Store.open(data) as store:
        store.save_group(Group(id="g9", name="sone1", members=[Member(id="m1", name="Ana")]))
    result = run(data, "delete", "session", "sone1", "--yes")
    assert result.exit_code == 2, result.output
    assert "session sone1" in result.output and "g9 ('sone1')" in result.output
    with Store.open(data) as store:
        assert "sone1" in {r.id for r in store.index_rows()}
