"""The follower count touches nothing outside what balint-tui made (issue 22, items 1, 2).

``followers/`` is listed every 3 s by the live screen, which removes the marks of dead
follow views: it must never follow a link there, never remove a file it did not name,
never block on a named pipe, never chmod a folder it did not make; and a ``--data-dir``
that is someone else's folder is refused before anything in it is changed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from balint_tui.store.followers import FOLLOWERS_DIR, FollowerMark, count_followers
from balint_tui.store.foreign import ForeignFolderError, check_data_folder
from balint_tui.store.store import Store

FIXTURES = Path(__file__).parent / "hardening" / "fixtures"
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX files and links")


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    Store.open(data).close()
    return data


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "balint_tui", "--data-dir", str(data), *args],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def test_a_followers_link_to_another_folder_is_never_followed(tmp_path):
    data = _data(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    for name in ("list.csv", "f0123456789abcdef", ".f0123456789abcdef.tmp"):
        (elsewhere / name).write_bytes(b"")
    os.utime(elsewhere / ".f0123456789abcdef.tmp", (0, 0))  # an "old" temp name
    (data / FOLLOWERS_DIR).symlink_to(elsewhere)
    before = sorted(os.listdir(elsewhere))
    for _ in range(3):
        assert count_followers(data) == 0
    with FollowerMark(data) as mark:
        assert not mark.held  # no mark made through the link
        assert count_followers(data) == 0
    assert sorted(os.listdir(elsewhere)) == before
    assert _mode(elsewhere) == 0o755


def test_only_balint_tui_marks_are_removed(tmp_path):
    data = _data(tmp_path)
    folder = data / FOLLOWERS_DIR
    folder.mkdir(mode=0o700)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (folder / "list.csv").write_text("a,b\n")  # someone's file, not a mark
    (folder / "f0000000000000001").write_text("not empty")  # a mark's name, not a mark
    (folder / "f0000000000000002").symlink_to(outside)  # a link with a mark's name
    (folder / "f0000000000000003").mkdir()
    (folder / "f0000000000000004").write_bytes(b"")  # a dead follower's mark
    assert count_followers(data) == 0
    assert sorted(os.listdir(folder)) == [
        "f0000000000000001", "f0000000000000002", "f0000000000000003", "list.csv"
    ]
    assert outside.read_text() == "keep me"
    with FollowerMark(data) as mark:
        assert mark.held and count_followers(data) == 1
    assert count_followers(data) == 0


def test_an_existing_followers_folder_is_not_chmodded(tmp_path):
    data = _data(tmp_path)
    folder = data / FOLLOWERS_DIR
    folder.mkdir()
    os.chmod(folder, 0o750)
    with FollowerMark(data) as mark:
        assert mark.held and count_followers(data) == 1
    assert _mode(folder) == 0o750
    shutil.rmtree(folder)
    with FollowerMark(data) as mark:  # made by the follow view: private
        assert mark.held
        assert _mode(folder) == 0o700


def _counted_within(data: Path, seconds: float) -> list[int]:
    got: list[int] = []
    worker = threading.Thread(target=lambda: got.append(count_followers(data)), daemon=True)
    worker.start()
    worker.join(seconds)
    return got


def test_a_fifo_in_followers_never_blocks_the_count(tmp_path):
    data = _data(tmp_path)
    folder = data / FOLLOWERS_DIR
    folder.mkdir(mode=0o700)
    os.mkfifo(folder / "f00000000000000ff")  # a mark's name
    os.mkfifo(folder / "pipe")
    with FollowerMark(data):
        started = time.monotonic()
        assert _counted_within(data, 5) == [1], "the count blocked on a named pipe"
        assert time.monotonic() - started < 2
    assert stat.S_ISFIFO(os.lstat(folder / "f00000000000000ff").st_mode)  # left as it is


def test_a_foreign_folder_is_refused_and_left_unchanged(tmp_path):
    project = tmp_path / "project"
    (project / "followers").mkdir(parents=True)
    (project / "followers" / "list.csv").write_text("a,b\n")
    (project / "notes.txt").write_text("mine")
    os.chmod(project, 0o755)
    listing = sorted(str(p.relative_to(project)) for p in project.rglob("*"))
    for args in (("demo",), ("follow",), ("serve", "--port", "1")):
        done = _cli(project, *args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2, (args, done.stderr)
        assert len(lines) == 1 and "not a balint-tui data folder" in lines[0], done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert _mode(project) == 0o755
        assert sorted(str(p.relative_to(project)) for p in project.rglob("*")) == listing
    with pytest.raises(ForeignFolderError):
        Store.open(project)
    assert (project / "followers" / "list.csv").read_text() == "a,b\n"


@pytest.mark.parametrize("version", sorted(p.name for p in FIXTURES.iterdir()))
def test_every_earlier_format_still_opens(tmp_path, version):
    data = tmp_path / version
    shutil.copytree(FIXTURES / version, data)
    check_data_folder(data)
    with Store.open(data) as store:
        assert store.sessions()


def test_empty_and_early_folders_are_accepted(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    Store.open(empty).close()
    assert (empty / "index.json").exists()
    early = tmp_path / "early"  # a keymap, own cards and a follow view's mark only
    (early / "prompts").mkdir(parents=True)
    (early / "prompts" / "mine.toml").write_text("")
    (early / "keymap.toml").write_text("")
    (early / "followers").mkdir()
    (early / "followers" / "f0123456789abcdef").write_bytes(b"")
    Store.open(early).close()
    lost = tmp_path / "lost"  # the index lost, the sessions there
    (lost / "sessions").mkdir(parents=True)
    check_data_folder(lost)
    check_data_folder(tmp_path / "missing")
