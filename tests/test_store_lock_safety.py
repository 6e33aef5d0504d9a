"""The lock cannot be sidestepped or written through (issue 12, item 3).

One writer per data folder even when ``.lock`` is deleted; a data folder replaced
mid-session is never written into unless this process holds its lock; no link inside the
data folder is followed (``.lock``, ``journals/``); no folder of another user's is
chmod-ed; folders balint-tui creates are 0700 whatever the umask.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest
from store_helpers import make_group, make_plan, mode

from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.store.errors import DataDirLockedError, StoreError
from balint_tui.store.locations import ensure_private_dir
from balint_tui.store.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks and modes")

HOLDER = textwrap.dedent(
    """
    import sys
    from balint_tui.store.store import Store
    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    """
)


def _holder(data):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = child.stdout.readline().strip()
    if line != "ready":
        child.kill()
        raise AssertionError(child.stderr.read())
    return child


def _stop(child):
    child.stdin.close()
    child.wait(timeout=10)


def _start(data, clock):
    store = Store.open(data)
    store.save_group(make_group())
    live = LiveSession.start(store, store.group("g1"), make_plan(), ["m0", "m1", "m2"], clock=clock)
    return store, live


def _speak(live, clock, who="m1", times=1):
    for _ in range(times):
        clock.advance(5)
        live.record("speak", who=who)


def test_deleting_the_lock_file_lets_no_second_writer_in(tmp_path):
    data = tmp_path / "data"
    child = _holder(data)
    try:
        os.unlink(data / ".lock")
        with pytest.raises(DataDirLockedError) as info:
            Store.open(data)
        assert "\n" not in str(info.value)
        assert not (data / ".lock").exists() or (data / ".lock").read_text() != f"{os.getpid()}\n"
    finally:
        _stop(child)
    Store.open(data).close()  # released when the holder ends


def test_a_second_cli_refuses_the_folder_when_the_lock_file_is_gone(tmp_path):
    data = tmp_path / "data"
    child = _holder(data)
    try:
        os.unlink(data / ".lock")
        out = subprocess.run(
            [sys.executable, "-m", "balint_tui", "--data-dir", str(data), "demo"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )
        assert out.returncode != 0
        assert "another balint-tui is using" in out.stderr and "Traceback" not in out.stderr
    finally:
        _stop(child)


def test_a_folder_replaced_mid_session_and_held_by_another_is_never_written(tmp_path):
    data = tmp_path / "data"
    clock = ManualClock()
    store, live = _start(data, clock)
    _speak(live, clock, times=2)
    shutil.rmtree(data)
    data.mkdir()  # a new folder at the path (remounted, recreated) ...
    child = _holder(data)  # ... that another balint-tui now uses
    try:
        _speak(live, clock, "m2", times=3)
        assert live.pending == 3
        assert "another balint-tui" in live.write_problem and "\n" not in live.write_problem
        notice = live.take_write_notice()
        assert notice and "\n" not in notice
        clock.advance(1)
        live.tick()
        assert live.pending == 3
        assert not (data / "journals" / f"{live.session_id}.jsonl").exists()
        with pytest.raises(StoreError):  # nor is the session filed there
            live.finish()
    finally:
        _stop(child)
    # the other one has gone: the folder is free, this session takes it and catches up
    clock.advance(1)
    live.tick()
    assert live.pending == 0
    assert store.read_journal(live.session_id).events == live.events
    notices = []
    while (notice := live.take_write_notice()) is not None:
        notices.append(notice)
    assert any("another folder than when it was opened" in n for n in notices), notices
    assert all("\n" not in n for n in notices)
    sid = live.finish()
    assert store.load_session(sid).events == live.events
    store.close()


def test_the_lock_is_checked_once_per_event_cheaply(tmp_path):
    """An fstat/stat pair per event for the folder (a few microseconds beside the fsync)."""
    data = tmp_path / "data"
    clock = ManualClock()
    store, live = _start(data, clock)
    calls = []
    real = store._lock.check

    def counted():
        calls.append(1)
        real()

    live.writer._guard = counted
    started = time.perf_counter()
    for _ in range(200):
        real()
    per_check = (time.perf_counter() - started) / 200
    _speak(live, clock, times=10)
    assert len(calls) == 10 and live.pending == 0
    assert per_check < 0.001, per_check
    live.close()
    store.close()


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me\n")
    os.symlink(outside, data / ".lock")
    with pytest.raises(StoreError) as info:
        Store.open(data)
    message = str(info.value)
    assert ".lock" in message and "symbolic link" in message and "\n" not in message
    assert outside.read_text() == "keep me\n"
    assert os.path.islink(data / ".lock")


@pytest.mark.parametrize("name", ["journals", "sessions"])
def test_a_linked_folder_inside_the_data_folder_is_refused_never_chmod_ed(tmp_path, name):
    data = tmp_path / "data"
    data.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    target.chmod(0o755)
    os.symlink(target, data / name)
    with pytest.raises(StoreError) as info:
        Store.open(data)
    assert "symbolic link" in str(info.value) and "\n" not in str(info.value)
    assert mode(target) == 0o755


def test_links_to_files_inside_the_data_folder_are_never_followed(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.save_group(make_group())
        writer = store.begin_session(make_group(), make_plan())
        sid = writer.header["session_id"]
        writer.close()
    outside = tmp_path / "outside.jsonl"
    journal = data / "journals" / f"{sid}.jsonl"
    shutil.copy(journal, outside)
    journal.unlink()
    os.symlink(outside, journal)
    before = outside.read_bytes()
    with Store.open(data) as store:
        assert store.unfinished() == []
        (warning,) = store.warnings
        assert "symbolic link" in warning and "\n" not in warning
        with pytest.raises(StoreError):
            store.reopen_journal(sid)
    assert outside.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a folder of another user")
def test_a_folder_of_another_user_is_never_chmod_ed(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chown(shared, 4242, 4242)
    shared.chmod(0o777)
    with pytest.raises(StoreError) as info:
        Store.open(shared)
    assert "another user" in str(info.value) and "\n" not in str(info.value)
    assert mode(shared) == 0o777
    inside = shared / "balint"  # a data folder of ours inside it: the parent is left
    Store.open(inside).close()
    assert mode(shared) == 0o777 and mode(inside) == 0o700


def test_parents_made_under_umask_000_are_private(tmp_path):
    old = os.umask(0)
    try:
        data = tmp_path / "a" / "b" / "data"
        Store.open(data).close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data, data / "journals"):
        assert mode(folder) == 0o700, folder
    for name in ("index.json", ".lock"):
        assert mode(data / name) == 0o600


def test_an_existing_parent_is_left_as_it_is(tmp_path):
    parent = tmp_path / "p"
    parent.mkdir()
    parent.chmod(0o755)
    ensure_private_dir(parent / "x" / "data")
    assert mode(parent) == 0o755 and mode(parent / "x") == 0o700


def test_a_journals_folder_swapped_for_a_link_mid_session_is_not_written_through(tmp_path):
    data = tmp_path / "data"
    clock = ManualClock()
    store, live = _start(data, clock)
    _speak(live, clock)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(str(data / "journals"), str(tmp_path / "journals-away"))
    os.symlink(elsewhere, data / "journals")
    _speak(live, clock, "m2", times=2)
    assert live.pending == 2 and "symbolic link" in live.write_problem
    assert list(elsewhere.iterdir()) == []
    os.unlink(data / "journals")
    shutil.move(str(tmp_path / "journals-away"), str(data / "journals"))
    clock.advance(1)
    live.tick()
    assert live.pending == 0 and store.read_journal(live.session_id).events == live.events
    live.close()
    store.close()


def test_a_lock_file_hard_linked_to_another_file_is_not_written_into(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    other = tmp_path / "other.txt"
    other.write_text("keep me\n")
    os.link(other, data / ".lock")
    Store.open(data).close()  # it still locks (the flock is on the folder too) ...
    assert other.read_text() == "keep me\n"  # ... but writes no PID through the link
