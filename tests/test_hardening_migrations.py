"""A versioned data format: folders written by every earlier version open, are upgraded
once with the originals kept aside first, and read exactly like the current version.

``tests/hardening/fixtures/v<N>/`` is a data folder as version N wrote it (a group, a
leader's template, settings, a finished session with a self-rating, an interrupted
session's journal). They are committed files: never regenerate an old one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.store import migrations
from balint_tui.store.atomic import AtomicJSONStorage
from balint_tui.store.errors import DataVersionError, StoreError
from balint_tui.store.store import Store

FIXTURES = Path(__file__).parent / "hardening" / "fixtures"
CURRENT = FIXTURES / f"v{migrations.DATA_VERSION}"
FINISHED, LIVE = "s0000f001", "s0000f002"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"
    }


def _copy(version: int, tmp_path: Path) -> Path:
    data = tmp_path / f"v{version}"
    shutil.copytree(FIXTURES / f"v{version}", data)
    return data


def _view(store: Store) -> dict:
    """Everything a leader can see of the folder."""
    record = store.load_session(FINISHED)
    [live] = store.unfinished()
    return {
        "groups": store.groups(),
        "templates": store.templates(),
        "settings": store.settings(),
        "sessions": store.sessions(),
        "history": store.past_sessions("g1"),
        "ratings": store.ratings(),
        "record": record.model_dump(),
        "live": (live.session_id, live.events, live.header, store.read_journal(LIVE).events),
    }


def test_every_earlier_version_has_a_fixture_and_a_step():
    for version in range(migrations.DATA_VERSION):
        assert (FIXTURES / f"v{version}" / "index.json").is_file(), version
        assert version in migrations.INDEX_STEPS
        assert version in migrations.RECORD_STEPS and version in migrations.HEADER_STEPS
    assert (CURRENT / "index.json").is_file()


@pytest.mark.parametrize("version", range(migrations.DATA_VERSION))
def test_older_folder_is_upgraded_once_with_the_originals_kept(tmp_path, version):
    data = _copy(version, tmp_path)
    before = _files(data)
    with Store.open(CURRENT, readonly=True) as reference:
        expected = _view(reference)
    with Store.open(data) as store:
        [warning] = store.warnings
        assert f"from data version {version} to {migrations.DATA_VERSION}" in warning
        assert "\n" not in warning
        [backup] = data.glob(f"backup-v{version}-*")
        assert backup.name in warning
        assert _files(backup) == before  # every original, byte for byte
        assert _view(store) == expected
    # the files are now in the current format
    index = json.loads((data / "index.json").read_text())
    assert index["meta"] == {"1": {"data_version": migrations.DATA_VERSION}}
    record = json.loads((data / "sessions" / f"{FINISHED}.json").read_text())
    assert record["format"] == f"balint-session/{migrations.SESSION_VERSION}"
    header = json.loads((data / "journals" / f"{LIVE}.jsonl").read_text().split("\n")[0])
    assert header["format"] == f"balint-journal/{migrations.JOURNAL_VERSION}"
    # once only
    after = _files(data)
    with Store.open(data) as store:
        assert store.warnings == []
    assert _files(data) == after and len(list(data.glob("backup-*"))) == 1
    # and the interrupted session resumes and files like any other
    with Store.open(data) as store:
        live = LiveSession.resume(store, LIVE, clock=ManualClock(100))
        live.record("speak", who="m0")
        sid = live.finish()
        assert [e.type for e in store.load_session(sid).events][-2:] == ["speak", "end"]


@pytest.mark.parametrize("version", range(migrations.DATA_VERSION))
def test_older_folder_reads_without_writing_for_a_follower(tmp_path, version):
    data = _copy(version, tmp_path)
    before = _files(data)
    with Store.open(CURRENT, readonly=True) as reference:
        expected = _view(reference)
    with Store.open(data, readonly=True) as follower:
        assert _view(follower) == expected
    assert _files(data) == before and not list(data.glob("backup-*"))


def test_current_fixture_opens_unchanged(tmp_path):
    data = tmp_path / "current"
    shutil.copytree(CURRENT, data)
    before = _files(data)
    with Store.open(data) as store:
        assert store.warnings == []
        store.groups()
    assert _files(data) == before


def test_a_crash_half_way_through_the_upgrade_runs_it_again(tmp_path, monkeypatch):
    data = _copy(0, tmp_path)
    real_write = AtomicJSONStorage.write

    def fail(self, value):
        raise StoreError(f"could not write {self.path} (No space left on device)")

    monkeypatch.setattr(AtomicJSONStorage, "write", fail)  # records done, index not
    with pytest.raises(StoreError) as info:
        Store.open(data)
    assert "\n" not in str(info.value)
    monkeypatch.setattr(AtomicJSONStorage, "write", real_write)
    with Store.open(data) as store:
        assert "upgraded" in store.warnings[0]
        assert store.load_session(FINISHED).session_id == FINISHED
        assert [j.session_id for j in store.unfinished()] == [LIVE]
    backups = sorted(data.glob("backup-v0-*"))
    # the first backup holds the untouched originals
    assert _files(backups[0]) == _files(FIXTURES / "v0")


def test_newer_folder_is_refused_and_left_alone(tmp_path):
    data = tmp_path / "newer"
    shutil.copytree(CURRENT, data)
    index = json.loads((data / "index.json").read_text())
    index["meta"]["1"]["data_version"] = migrations.DATA_VERSION + 1
    (data / "index.json").write_text(json.dumps(index))
    before = _files(data)
    for readonly in (False, True):
        with pytest.raises(DataVersionError) as info:
            Store.open(data, readonly=readonly)
        assert "newer balint-tui" in str(info.value) and "\n" not in str(info.value)
    assert _files(data) == before


@pytest.mark.parametrize("bad", ["1", -1, None, True, 1.5])
def test_a_nonsense_data_version_is_damage_not_a_version(tmp_path, bad):
    data = tmp_path / "bad"
    shutil.copytree(CURRENT, data)
    index = json.loads((data / "index.json").read_text())
    index["meta"]["1"]["data_version"] = bad
    (data / "index.json").write_text(json.dumps(index))
    with pytest.raises(StoreError) as info:
        Store.open(data)
    assert "data_version" in str(info.value) and "\n" not in str(info.value)
    assert (data / "index.json").exists()


def test_version_helpers():
    assert migrations.upgrade_record({"session_id": "s1"})["format"] == "balint-session/1"
    assert migrations.upgrade_header({"session_id": "s1"})["format"] == "balint-journal/1"
    with pytest.raises(migrations.NewerVersion):
        migrations.upgrade_record({"format": "balint-session/2"})
    for bad in ("balint-session/x", "other/1", 3, "balint-session/١"):
        with pytest.raises(ValueError):
            migrations.upgrade_record({"format": bad})
    assert migrations.index_version(None) == migrations.DATA_VERSION
    assert migrations.index_version({"groups": {}}) == migrations.DATA_VERSION
    assert migrations.index_version({"groups": {"1": {"id": "g1"}}}) == 0
