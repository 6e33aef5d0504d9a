"""The command line's words (fix round): click's usage errors in one line with exit
status 2, a name that picks no group or session exits 2 from every command, and the
hints point where the thing is listed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from balint_tui.cli import cli
from balint_tui.domain.model import Group, Member
from balint_tui.store.store import Store


def run(data, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input,
                              prog_name="balint-tui")


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.save_group(Group(id="g1", name="Friday grp", members=[
            Member(id="m1", name="Ann"), Member(id="m2", name="[b]Bo"),
            Member(id="m3", name="Cy", retired=True)]))
    return folder


@pytest.mark.parametrize(("args", "words"), [
    (["review", "--export", "docx", "x.docx"],
     "balint-tui: review: invalid value for '--export': 'docx' is not one of"),
    (["retention", "-3"], "balint-tui: MONTHS is a whole number from 1 to"),
    (["logbook", "add", "--group", "G", "--minutes", "60"],
     "balint-tui: logbook add: missing option '--date' (balint-tui logbook add --help)"),
    (["reveiw"], "balint-tui: there is no command 'reveiw'; did you mean 'review'?"),
    (["xyzzy"], "balint-tui: there is no command 'xyzzy' (balint-tui --help)"),
    (["--bogus"], "balint-tui: no such option '--bogus'"),
    (["delete", "sesion"], "balint-tui: delete: no such command 'sesion' (did you mean"),
    (["groups", "a", "b"], "balint-tui: groups: got unexpected extra argument (b)"),
])
def test_usage_errors_are_one_line_exit_2(data, args, words):
    result = run(data, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(words), result.stderr
    assert "Usage:" not in result.stderr and "Traceback" not in result.stderr


def test_help_and_version_still_exit_0(data):
    assert run(data, "--help").exit_code == 0
    assert run(data, "groups", "--help").output.startswith("Usage: balint-tui groups")
    assert run(data, "--version").exit_code == 0


@pytest.mark.parametrize("args", [
    ["forget", "Nobody", "Ann", "--yes"],
    ["sessions", "--group", "Nobody"],
    ["logbook", "--group", "Nobody"],
    ["delete", "group", "Nobody", "--yes"],
    ["delete", "session", "Nobody", "--yes"],
    ["groups", "Nobody"],
])
def test_a_name_that_picks_nothing_exits_2_everywhere(data, args):
    result = run(data, *args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and "Nobody" in result.stderr


def test_a_folder_that_cannot_open_still_exits_1(tmp_path):
    for args in (["sessions"], ["groups"], ["forget", "G", "M", "--yes"]):
        result = run(tmp_path / "none", *args)
        assert result.exit_code == 1 and "no balint-tui data folder" in result.stderr


def test_forget_points_to_the_list_of_members_and_it_lists_them(data):
    result = run(data, "forget", "Friday grp", "Zed", "--yes")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("balint-tui: there is no member 'Zed' in Friday grp "
                                     "(balint-tui groups 'Friday grp' lists them)")
    listed = run(data, "groups", "Friday grp")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split() == ["id", "member"]
    assert lines[1].split() == ["m1", "Ann"] and lines[2].split() == ["m2", "[b]Bo"]
    assert lines[3].split() == ["m3", "Cy", "left", "the", "roster"]
    assert run(data, "groups", "g1").output == listed.output
    assert run(data, "groups").output.splitlines()[1].split() == [
        "g1", "Friday", "grp", "2", "0"]


def test_review_of_no_such_session_exits_2_and_of_none_yet_1(tmp_path):
    from review_helpers import HAND, save_scenario

    folder = tmp_path / "data"
    Store.open(folder).close()
    none = run(folder, "review", "--last", "--export", "md", str(tmp_path / "x.md"))
    assert none.exit_code == 1 and "there are no finished sessions" in none.stderr
    with Store.open(folder) as store:
        save_scenario(store, HAND, session_id="shand01")
    missing = run(folder, "review", "snosuch1", "--export", "md", str(tmp_path / "x.md"))
    assert missing.exit_code == 2 and "no session 'snosuch1'" in missing.stderr
