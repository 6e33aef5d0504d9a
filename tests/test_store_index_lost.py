"""An emptied or deleted ``index.json`` is damage, not a new folder (issue 12, item 2).

While its mirror copy or the session files hold data, the index is restored from the
mirror (or listed again from the session files), the leader is told in one line, and the
mirror is never rewritten from an index that lost its rows.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from store_helpers import make_group, make_plan

from balint_tui.domain import events as ev
from balint_tui.store.errors import StoreError
from balint_tui.store.store import Store

SESSION = [ev.Start(at=0, present=("m0", "m1")), ev.Speak(at=5, who="m0"), ev.End(at=60)]


def _folder(data, sessions=2):
    with Store.open(data) as store:
        group = make_group()
        store.save_group(group)
        ids = [
            store.import_session(group, make_plan(), SESSION, {"duration_s": 60.0})
            for _ in range(sessions)
        ]
    return group, ids


def _cli(data, *args):
    return subprocess.run(
        [sys.executable, "-m", "balint_tui", "--data-dir", str(data), *args],
        capture_output=True, text=True, timeout=60,
    )


LOSSES = {
    "emptied": lambda path: path.write_bytes(b""),
    "deleted": lambda path: path.unlink(),
}


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_lost_index_is_restored_from_its_mirror_never_the_mirror_from_it(tmp_path, loss):
    data = tmp_path / "data"
    group, ids = _folder(data)
    mirror = (data / "index.mirror.json").read_bytes()
    LOSSES[loss](data / "index.json")
    with Store.open(data) as store:
        assert [r["id"] for r in store.sessions()] == ids
        assert [g.name for g in store.groups()] == [group.name]
        (warning,) = store.warnings
        assert "index.json" in warning and "mirror" in warning and "\n" not in warning
    assert json.loads((data / "index.mirror.json").read_bytes()) == json.loads(mirror)
    assert json.loads((data / "index.json").read_bytes()) == json.loads(mirror)
    assert not list(data.glob("index.json.corrupt-*"))  # nothing in it to keep aside
    with Store.open(data) as store:  # told once
        assert store.warnings == []


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_lost_index_and_mirror_are_listed_again_from_the_session_files(tmp_path, loss):
    data = tmp_path / "data"
    group, ids = _folder(data)
    LOSSES[loss](data / "index.json")
    LOSSES[loss](data / "index.mirror.json")
    with Store.open(data) as store:
        assert sorted(r["id"] for r in store.sessions()) == sorted(ids)
        (rebuilt,) = store.groups()
        assert rebuilt.id == group.id
        assert [m.name for m in rebuilt.members] == [m.name for m in group.members]
        (warning,) = store.warnings
        assert "session files" in warning and "\n" not in warning
    rows = json.loads((data / "index.mirror.json").read_bytes())["sessions"]
    assert sorted(r["id"] for r in rows.values()) == sorted(ids)


def test_a_new_folder_with_no_data_is_still_just_new(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    (data / "index.json").unlink()
    (data / "index.mirror.json").unlink()
    with Store.open(data) as store:
        assert store.warnings == [] and store.sessions() == []


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_the_cli_reads_the_mirror_and_the_next_start_restores_it(tmp_path, loss):
    data = tmp_path / "data"
    _, ids = _folder(data)
    mirror = (data / "index.mirror.json").read_bytes()
    LOSSES[loss](data / "index.json")
    out = _cli(data, "review", "--last", "--export", "csv", str(tmp_path / "last.csv"))
    assert out.returncode == 0, out.stderr
    warning, wrote = out.stderr.splitlines()
    assert "index.json" in warning and "mirror" in warning and "Traceback" not in out.stderr
    assert f"wrote csv report of session {ids[-1]}" in wrote
    assert (data / "index.mirror.json").read_bytes() == mirror  # a reader changes nothing
    with Store.open(data) as store:  # a writer (``balint-tui``) restores it
        assert [r["id"] for r in store.sessions()] == ids
        assert len(store.warnings) == 1


def test_an_index_emptied_mid_session_never_overwrites_the_mirror(tmp_path):
    data = tmp_path / "data"
    group, ids = _folder(data)
    mirror = (data / "index.mirror.json").read_bytes()
    with Store.open(data) as store:
        writer = store.begin_session(group, make_plan())
        sid = writer.header["session_id"]
        for event in SESSION:
            writer.append(event)
        writer.close()
        (data / "index.json").write_bytes(b"")  # while the session runs
        with pytest.raises(StoreError) as info:  # no write from an empty index
            store.save_group(make_group("g2", "Another group"))
        assert "index.json" in str(info.value) and "\n" not in str(info.value)
        assert (data / "index.mirror.json").read_bytes() == mirror
        store.finish_session(sid, SESSION, {"duration_s": 60.0})  # restored first
        assert [r["id"] for r in store.sessions()] == [*ids, sid]
        assert any("mirror" in w for w in store.warnings)
    rows = json.loads((data / "index.mirror.json").read_bytes())["sessions"]
    assert sorted(r["id"] for r in rows.values()) == sorted([*ids, sid])
