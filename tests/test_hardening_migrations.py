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
        assert version in migrations.RECORD_STEPS
        # the journal's format is older than the folder's: version 2 did not change it
        assert version in migrations.HEADER_STEPS or version >= migrations.JOURNAL_VERSION
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
        # every original, byte for byte (none of these links a member to a mark)
        assert _files(backup) == {k: v for k, v in before.items() if k in _files(backup)}
        assert set(_files(backup)) >= {"index.json", f"sessions/{FINISHED}.json"}
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
    assert migrations.upgrade_record({"session_id": "s1"})["format"] == "balint-session/2"
    assert migrations.upgrade_header({"session_id": "s1"})["format"] == "balint-journal/1"
    with pytest.raises(migrations.NewerVersion):
        migrations.upgrade_record({"format": "balint-session/3"})
    for bad in ("balint-session/x", "other/1", 3, "balint-session/١"):
        with pytest.raises(ValueError):
            migrations.upgrade_record({"format": bad})
    assert migrations.index_version(None) == migrations.DATA_VERSION
    assert migrations.index_version({"groups": {}}) == migrations.DATA_VERSION
    assert migrations.index_version({"groups": {"1": {"id": "g1"}}}) == 0


# ---------------------------------------------------------------------- version 2
LINKED = [{"at": 401.0, "kind": "presenter_distress", "who": "m1", "type": "mark"},
          {"at": 401.0, "id": "salinsky.producing.distress", "action": "surfaced",
           "who": "m1", "type": "prompt"},
          {"at": 402.0, "kind": "singled_out", "who": "m3", "type": "mark"},
          {"at": 402.0, "id": "my.own-card", "action": "surfaced", "who": "m3",
           "type": "prompt"}]


def _linked_v1(tmp_path: Path) -> Path:
    """The v1 fixture as version 1 wrote it for a session with marks about members, and
    the copies earlier versions kept: a v0 upgrade's backup, a set-aside journal."""
    data = _copy(1, tmp_path)
    path = data / "sessions" / f"{FINISHED}.json"
    record = json.loads(path.read_text())
    record["events"][10:10] = LINKED
    path.write_text(json.dumps(record))
    old = data / "backup-v0-20260101T000000Z"
    (old / "sessions").mkdir(parents=True)
    (old / "sessions" / f"{FINISHED}.json").write_text(json.dumps(record))
    (old / "journals").mkdir()
    lines = [json.dumps({k: v for k, v in record.items() if k != "events"})]
    lines += [json.dumps(e) for e in record["events"]]
    (old / "journals" / f"{FINISHED}.jsonl").write_text("\n".join(lines) + "\n")
    (data / "journals" / f"{FINISHED}.jsonl.corrupt-20260107T000000Z").write_text(
        "\n".join(lines) + '\n{"at": 9')
    # the live session's journal keeps its member on a mark: it is not filed
    live = data / "journals" / f"{LIVE}.jsonl"
    live.write_text(live.read_text() + json.dumps(LINKED[0]) + "\n")
    return data


def _linking_files(data: Path) -> list[str]:
    """Files of ``data`` where a member id sits in the same JSON object as a mark."""
    import re

    found = []
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.name == ".lock":
            continue
        text = path.read_text(errors="replace")
        for chunk in re.findall(r"\{[^{}]*\}", text):
            if re.search(r'"who": ?"m\d"', chunk) and (
                    '"mark"' in chunk or "distress" in chunk or "own-card" in chunk):
                found.append(path.relative_to(data).as_posix())
                break
    return found


def test_upgrade_to_2_leaves_no_copy_that_links_a_member_to_a_mark(tmp_path):
    data = _linked_v1(tmp_path)
    assert set(_linking_files(data)) == {
        f"sessions/{FINISHED}.json", f"journals/{LIVE}.jsonl",
        f"backup-v0-20260101T000000Z/sessions/{FINISHED}.json",
        f"backup-v0-20260101T000000Z/journals/{FINISHED}.jsonl",
        f"journals/{FINISHED}.jsonl.corrupt-20260107T000000Z"}
    with Store.open(data) as store:
        assert "from data version 1 to 2" in store.warnings[0]
        record = store.load_session(FINISHED)
        marks = [e for e in record.events if e.type == "mark"]
        assert [m.kind for m in marks][1:3] == ["presenter_distress", "singled_out"]
        assert all(m.who is None for m in marks)
        assert all(e.who is None for e in record.events if e.type == "prompt")
        # the live session still names the member: its card needs it
        assert store.read_journal(LIVE).events[-1].who == "m1"
    assert _linking_files(data) == [f"journals/{LIVE}.jsonl"]
    # the backup is still the version-1 original, only without the link: usable to go back
    [backup] = data.glob("backup-v1-*")
    kept = json.loads((backup / "sessions" / f"{FINISHED}.json").read_text())
    assert kept["format"] == "balint-session/1"
    assert [e["type"] for e in kept["events"]] == [
        e["type"] for e in json.loads(json.dumps(kept))["events"]]
    assert len(kept["events"]) == 16 + len(LINKED)
    assert (backup / "index.json").read_bytes() == (FIXTURES / "v1" / "index.json").read_bytes()
    # a torn line of a set-aside copy is kept for a repair
    aside = data / "journals" / f"{FINISHED}.jsonl.corrupt-20260107T000000Z"
    assert aside.read_text().endswith('{"at": 9')


def test_a_filed_record_that_links_is_rewritten_as_it_is_read(tmp_path):
    data = _linked_v1(tmp_path)
    with Store.open(data, readonly=True) as follower:
        record = follower.load_session(FINISHED)
        assert all(getattr(e, "who", None) is None for e in record.events
                   if e.type in ("mark", "prompt"))


def test_audit_flags_every_file_that_links_a_member_to_a_mark(tmp_path):
    from balint_tui.audit.audit import audit

    data = _linked_v1(tmp_path)
    report = audit(data)
    flagged = {f.file for f in report.link_flags}
    assert flagged == {
        f"sessions/{FINISHED}.json",
        f"backup-v0-20260101T000000Z/sessions/{FINISHED}.json",
        f"backup-v0-20260101T000000Z/journals/{FINISHED}.jsonl",
        f"journals/{FINISHED}.jsonl.corrupt-20260107T000000Z"}
    assert report.flagged and report.live_links == 1
    text = "\n".join(report.lines())
    assert "presenter_distress about member 'm1'" in text and "ground rule 2" in text
    assert "live card needs it" in text
    Store.open(data).close()
    report = audit(data)
    assert report.link_flags == [] and report.live_links == 1
