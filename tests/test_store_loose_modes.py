"""Loose modes (issue 22, item 13): a ``.lock``, the index, session records, journals,
``keymap.toml``, ``followers/`` and its marks found open to others are made 0600 (a
folder 0700) when balint-tui opens the folder to write; never through a link, never a
folder or file it does not own; ``audit`` reports what is still open to others."""

from __future__ import annotations

import os
import stat

from click.testing import CliRunner
from ui_helpers import group_of, start

from balint_tui.cli import cli
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.store.store import Store


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def folder_with_a_session(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        session = start(store, group_of(["Ana", "Ben"]), ManualClock(0))
        session.record(ev.Speak, who=session.state.members[0])
        session.close()  # its journal stays
        finished = start(store, group_of(["Cy", "Di"], name="Other", gid="g2"), ManualClock(0))
        finished.finish()
    (data / "keymap.toml").write_text("")
    (data / "followers").mkdir(mode=0o700)
    (data / "followers" / "f0123456789abcdef").write_bytes(b"")
    return data


def loosen(data) -> list:
    paths = [data / ".lock", data / "index.json", data / "index.mirror.json",
             data / "keymap.toml", *sorted((data / "sessions").iterdir()),
             *sorted((data / "journals").iterdir()), data / "followers" / "f0123456789abcdef"]
    for p in paths:
        os.chmod(p, 0o666)
    for folder in (data, data / "sessions", data / "journals", data / "followers"):
        os.chmod(folder, 0o777)
    return paths


def test_what_balint_tui_owns_is_tightened_when_it_opens_the_folder(tmp_path):
    data = folder_with_a_session(tmp_path)
    files = loosen(data)
    with Store.open(data):
        pass
    assert {str(p): mode(p) for p in files} == {str(p): 0o600 for p in files}
    for folder in (data, data / "sessions", data / "journals", data / "followers"):
        assert mode(folder) == 0o700, folder


def test_a_link_is_never_followed_nor_an_unknown_file_touched(tmp_path):
    data = folder_with_a_session(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    (data / "keymap.toml").unlink()
    (data / "keymap.toml").symlink_to(outside)
    other = data / "notes.txt"
    other.write_text("y")
    os.chmod(other, 0o666)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    (data / "journals" / "x.jsonl").symlink_to(outside)
    try:
        Store.open(data).close()
    except Exception:
        pass  # the link may be refused: what matters is what was not changed
    assert mode(outside) == 0o644 and mode(other) == 0o666 and mode(elsewhere) == 0o755


def test_a_hard_link_to_a_file_elsewhere_is_not_chmod_ed(tmp_path):
    data = folder_with_a_session(tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    os.chmod(outside, 0o644)
    (data / "keymap.toml").unlink()
    os.link(outside, data / "keymap.toml")
    with Store.open(data):
        pass
    assert mode(outside) == 0o644
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "audit"])
    assert any("open to others (mode 0644)" in ln and ln.split()[0] == "keymap.toml"
               for ln in result.output.splitlines()), result.output


def test_followers_in_a_folder_that_was_not_balint_tuis_is_left_alone(tmp_path):
    data = tmp_path / "project"
    (data / "followers").mkdir(parents=True)
    os.chmod(data / "followers", 0o755)
    try:
        Store.open(data).close()
    except Exception:
        pass  # a folder of something else may be refused outright
    assert mode(data / "followers") == 0o755


def test_audit_reports_what_is_still_open_to_others(tmp_path):
    data = folder_with_a_session(tmp_path)
    loosen(data)
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "audit"])
    assert result.exit_code == 1, result.output
    for rel in (".lock", "keymap.toml", "index.json", "sessions/", "journals/", "followers/",
                "followers/f0123456789abcdef"):
        line = next((ln for ln in result.output.splitlines()
                     if "open to others" in ln and ln.split()[0] == rel), "")
        assert "open to others (mode 0666)" in line or "open to others (mode 0777)" in line, (
            rel, result.output)
    with Store.open(data):
        pass
    after = CliRunner().invoke(cli, ["--data-dir", str(data), "audit"])
    assert "open to others" not in after.output, after.output
