"""Atomic JSON files and the TinyDB storage: permissions, no torn files, damage set aside."""

from __future__ import annotations

import json
import os
import re

import pytest
from store_helpers import mode, set_aside_files
from tinydb import TinyDB

from balint_tui.store.atomic import AtomicJSONStorage, read_json_file, set_aside, write_atomic
from balint_tui.store.errors import CorruptFileError, StoreError
from balint_tui.store.locations import ensure_private_dir, resolve_data_dir

STAMP = re.compile(r"^index\.json\.corrupt-\d{8}T\d{6}Z(-\d+)?$")


def test_write_atomic_round_trips_with_private_modes(tmp_path):
    folder = ensure_private_dir(tmp_path / "a" / "b")
    target = folder / "x.json"
    write_atomic(target, b'{"k": 1}')
    write_atomic(target, b'{"k": 2}')
    assert json.loads(target.read_bytes()) == {"k": 2}
    assert mode(target) == 0o600
    assert mode(folder) == 0o700
    assert os.listdir(folder) == ["x.json"]  # no temp file left behind


def test_write_atomic_failure_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "x.json"
    write_atomic(target, b'{"old": true}')

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(StoreError) as info:
        write_atomic(target, b'{"new": true}')
    assert "\n" not in str(info.value) and "x.json" in str(info.value)
    assert target.read_bytes() == b'{"old": true}'
    assert os.listdir(tmp_path) == ["x.json"]


def test_ensure_private_dir_tightens_an_existing_folder(tmp_path):
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    ensure_private_dir(folder)
    assert mode(folder) == 0o700


def test_ensure_private_dir_on_a_file_is_one_line(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError) as info:
        ensure_private_dir(f)
    assert "\n" not in str(info.value) and "not a folder" in str(info.value)


def test_resolve_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("BALINT_TUI_DATA", str(tmp_path / "env"))
    assert resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("BALINT_TUI_DATA")
    default = resolve_data_dir(None)
    assert default.name == "balint-tui"
    assert str(tmp_path / "xdg") in str(default)  # platformdirs honours XDG_DATA_HOME


def test_storage_round_trip_and_private_file(tmp_path):
    path = tmp_path / "index.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.table("groups").insert({"id": "g1", "name": "Tue"})
    db.close()
    assert mode(path) == 0o600
    db = TinyDB(path, storage=AtomicJSONStorage)
    assert db.table("groups").all() == [{"id": "g1", "name": "Tue"}]
    assert os.listdir(tmp_path) == ["index.json"]


def test_storage_missing_and_empty_file_read_as_new(tmp_path):
    path = tmp_path / "index.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None
    path.write_bytes(b"")
    assert storage.read() is None
    assert not set_aside_files(path)


def test_storage_caches_parsed_data_until_the_file_changes(tmp_path):
    path = tmp_path / "index.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    table = db.table("t", cache_size=0)
    table.insert({"n": 1})
    storage = db.storage
    reads = storage.reads
    for _ in range(50):
        assert table.all() == [{"n": 1}]
    assert storage.reads == reads  # a write refreshes the cache; queries do not re-read
    # another process (another storage) replaces the file: the change is seen
    other = TinyDB(path, storage=AtomicJSONStorage)
    other.table("t").insert({"n": 2})
    assert [d["n"] for d in table.all()] == [1, 2]
    assert storage.reads == reads + 1


def test_storage_hands_out_copies(tmp_path):
    path = tmp_path / "index.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"xs": [1]}}})
    data = storage.read()
    data["t"]["1"]["xs"] = [2]  # what TinyDB does: update documents, tables in place
    data["t"]["2"] = {"xs": [3]}
    data["u"] = {}
    assert storage.read() == {"t": {"1": {"xs": [1]}}}


BAD_FILES = {
    "garbage": b"\x00\xff\xfe not json at all",
    "truncated": b'{"meta": {"1": {"data_version": 1}}, "groups": {"1": {"id": "g',
    "list": b"[1, 2, 3]",
    "string": b'"hello"',
    "table_not_object": b'{"groups": [1, 2]}',
    "doc_not_object": b'{"groups": {"1": "x"}}',
    "nan": b'{"meta": {"1": {"v": NaN}}}',
    "whitespace": b"   \n",
}


@pytest.mark.parametrize("raw", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_damaged_index_is_set_aside_never_read_as_empty(tmp_path, raw):
    path = tmp_path / "index.json"
    path.write_bytes(raw)
    storage = AtomicJSONStorage(path)
    with pytest.raises(CorruptFileError) as info:
        storage.read()
    err = info.value
    assert err.path == path
    assert err.set_aside is not None and STAMP.match(err.set_aside.name)
    assert err.set_aside.read_bytes() == raw  # original bytes preserved
    assert not path.exists()
    message = str(err)
    assert "\n" not in message and "index.json" in message and err.set_aside.name in message
    # a later write creates a new file and never touches the set-aside one
    storage.write({"meta": {"1": {"data_version": 1}}})
    assert err.set_aside.read_bytes() == raw


def test_set_aside_never_overwrites_an_earlier_one(tmp_path):
    path = tmp_path / "index.json"
    firsts = []
    for n in range(3):
        path.write_bytes(b"broken %d" % n)
        firsts.append(set_aside(path))
    assert len(set(firsts)) == 3
    assert sorted(p.read_bytes() for p in firsts) == [b"broken 0", b"broken 1", b"broken 2"]


def test_readonly_storage_reports_damage_but_leaves_the_file(tmp_path):
    path = tmp_path / "index.json"
    path.write_bytes(b"{oops")
    storage = AtomicJSONStorage(path, readonly=True)
    with pytest.raises(CorruptFileError) as info:
        storage.read()
    assert info.value.set_aside is None
    assert path.read_bytes() == b"{oops"
    with pytest.raises(StoreError):
        storage.write({})


def test_read_json_file(tmp_path):
    path = tmp_path / "s.json"
    assert read_json_file(path) is None
    path.write_text('{"a": 1}')
    assert read_json_file(path) == {"a": 1}
    path.write_text('{"a": ')
    with pytest.raises(CorruptFileError):
        read_json_file(path)
    assert not path.exists() and len(set_aside_files(path)) == 1
