"""Keeping less (issue 23, item 4): ``forget GROUP MEMBER`` leaves the member's name
nowhere under the data folder; ``delete sessions --before DATE``; the retention setting."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from group_helpers import plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balint_tui.application import keeping
from balint_tui.application.live import LiveSession
from balint_tui.cli import cli
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member
from balint_tui.review.load import load_review
from balint_tui.store.store import Store

GONE = "Zoë Ünal-Ødegård"  # non-ASCII: escaped as \uXXXX in JSON, other bytes in UTF-16
NAMESAKE_GROUP = "Thursday circle"


def _forms(name: str) -> list[bytes]:
    """Every way a file could hold ``name``."""
    escaped = json.dumps(name)[1:-1]
    forms = {name.encode("utf-8"), name.encode("utf-16-le"), name.encode("utf-16-be"),
             escaped.encode(), escaped.upper().replace("\\U", "\\u").encode(),
             name.casefold().encode("utf-8")}
    for word in name.replace("-", " ").split():
        if len(word) > 3:
            forms.add(word.encode("utf-8"))
            forms.add(json.dumps(word)[1:-1].encode())
    return sorted(forms)


def _holding(folder, name: str) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(folder):
        for f in files:
            with open(os.path.join(root, f), "rb") as handle:
                raw = handle.read()
            if any(form in raw for form in _forms(name)):
                found.append(os.path.relpath(os.path.join(root, f), folder))
    return sorted(found)


def _session(store, group, started, *, finish=True, steps=()):
    clock = ManualClock(0)
    ids = [m.id for m in group.active]
    live = LiveSession.start(store, store.group(group.id), plan(), ids, clock=clock)
    for at, etype, fields in steps:
        clock.set(at)
        live.tick()
        live.record(etype, **fields)
    clock.set(1800)
    live.tick()
    if finish:
        return live.finish()
    live.close()
    return live.session_id


def _folder(tmp_path):
    """A data folder where the name is in every kind of file balint-tui writes."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        group = Group(id="g1", name="Tuesday group", members=[
            Member(id="m1", name="Ana"), Member(id="m2", name="Zoe"),
            Member(id="m3", name="Ben")])
        store.save_group(group)
        other = Group(id="g2", name=NAMESAKE_GROUP, members=[
            Member(id="n1", name=GONE), Member(id="n2", name="Ivo")])
        store.save_group(other)
        steps = [(5, "queue", {"who": "m2"}), (10, "case", {"who": "m2"}),
                 (20, "speak", {"who": "m2"}), (300, "speak", {"who": "m1"}),
                 (400, "mark", {"kind": "presenter_distress", "who": "m2"})]
        first = _session(store, group, None, steps=steps)  # as "Zoe"
        store.save_group(group.model_copy(update={"members": [
            Member(id="m1", name="Ana"), Member(id="m2", name=GONE),
            Member(id="m3", name="Ben")]}))
        group = store.group("g1")
        second = _session(store, group, None, steps=steps)
        _session(store, other, None, steps=[(20, "speak", {"who": "n1"})])
        kept = _session(store, group, None, finish=False, steps=steps[:3])
    # the copies balint-tui keeps: an upgrade's backup, a file set aside, a partial write
    backup = data / "backup-v1-20260101T000000Z"
    (backup / "sessions").mkdir(parents=True)
    shutil.copy(data / "index.json", backup / "index.json")
    shutil.copy(data / "sessions" / f"{second}.json", backup / "sessions")
    (backup / "journals").mkdir()
    shutil.copy(data / "journals" / f"{kept}.jsonl", backup / "journals")
    raw = (data / "sessions" / f"{first}.json").read_bytes()
    (data / "sessions" / f"{first}.json.corrupt-20260102T000000Z").write_bytes(raw[:-40])
    escaped = json.dumps({"groups": {"1": {"id": "g1", "members": [
        {"id": "m2", "name": GONE}]}}}).encode()  # an ASCII-escaped copy, torn
    (data / "index.json.corrupt-20260103T000000Z").write_bytes(escaped[:-3])
    return data, first, second, kept


def _forget(data, *args, input=None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "forget", *args], input=input)


def test_forget_leaves_the_name_nowhere_and_the_sessions_add_up(tmp_path):
    data, first, second, kept = _folder(tmp_path)
    with Store.open(data, readonly=True) as store:
        before = {sid: load_review(store, sid) for sid in (first, second)}
    holding = _holding(data, GONE)
    assert "index.json" in holding and "index.mirror.json" in holding
    assert "index.json.corrupt-20260103T000000Z" in holding
    assert any("corrupt" in p for p in _holding(data, "Zoe"))
    result = _forget(data, "Tuesday group", GONE, "--yes")
    assert result.exit_code == 0, result.output
    assert "former member" in result.output
    assert _holding(data, "Zoe") == []  # the name she had before, in older sessions too
    # only the namesake in the other group keeps the name (index, mirror, her session)
    with Store.open(data) as store:
        assert store.group("g2").members[0].name == GONE
        member = store.group("g1").member("m2")
        assert member.name == "former member" and member.retired
        for sid in (first, second):
            after = load_review(store, sid)
            assert after.names["m2"] == "former member"
            assert [(p.who, p.airtime, p.turns) for p in after.participation] == [
                (p.who, p.airtime, p.turns) for p in before[sid].participation]
            assert after.turns == before[sid].turns and after.marks == before[sid].marks
        # the session kept to resume resumes with the label
        live = LiveSession.resume(store, kept, clock=ManualClock(100))
        assert live.names["m2"] == "former member"
        live.close()
    g2_files = _holding(data, GONE)
    assert g2_files[:3] == ["backup-v1-20260101T000000Z/index.json", "index.json",
                            "index.mirror.json"]
    for p in g2_files[3:]:
        assert p.startswith("sessions/") and '"g2"' in (data / p).read_text()
    # forgetting the namesake too leaves the name nowhere at all
    result = _forget(data, NAMESAKE_GROUP, GONE, "--yes")
    assert result.exit_code == 0, result.output
    assert _holding(data, GONE) == []


def test_several_forgotten_members_get_distinct_labels(tmp_path):
    data, *_ = _folder(tmp_path)
    assert _forget(data, "g1", "Ana", "--yes").exit_code == 0
    assert _forget(data, "g1", "m3", "--yes").exit_code == 0
    with Store.open(data) as store:
        names = [m.name for m in store.group("g1").members]
    assert names == ["former member", GONE, "former member 2"]


def test_forget_asks_first_and_bad_input_is_one_line(tmp_path):
    data, *_ = _folder(tmp_path)
    Store.open(data).close()  # opening tidies unfinished writes away
    before = _holding(data, GONE)
    result = _forget(data, "Tuesday group", GONE, input="n\n")
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert _holding(data, GONE) == before
    for args in (["Nowhere", "Ana"], ["Tuesday group", "Nobody"]):
        result = _forget(data, *args, "--yes")
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert _forget(data, "g1", "Ana", "--yes").exit_code == 0
    result = _forget(data, "g1", "former member", "--yes")
    assert result.exit_code == 2 and "already" in result.output


def _dated_sessions(data, days):
    """One finished session per date (filed directly), in one group."""
    from balint_tui.domain import events as ev

    with Store.open(data) as store:
        group = Group(id="g1", name="Tuesday group", members=[Member(id="m1", name="Ana")])
        store.save_group(group)
        ids = []
        for day in days:
            ids.append(store.import_session(
                group, plan(), [ev.Start(at=0), ev.End(at=60)], {},
                started_wall=datetime.combine(day, datetime.min.time(), UTC)
                + timedelta(hours=12)))
        return ids


def test_delete_sessions_before_a_date(tmp_path):
    data = tmp_path / "data"
    ids = _dated_sessions(data, [date(2025, 1, 10), date(2025, 6, 1), date(2026, 2, 1)])
    backup = data / "backup-v1-20260101T000000Z" / "sessions"
    backup.mkdir(parents=True)
    shutil.copy(data / "sessions" / f"{ids[0]}.json", backup)
    run = CliRunner().invoke
    result = run(cli, ["--data-dir", str(data), "delete", "sessions", "--before",
                       "2025-06-01"], input="n\n")
    assert result.exit_code == 1 and "Delete 1 session started before 2025-06-01" in result.output
    result = run(cli, ["--data-dir", str(data), "delete", "sessions", "--before",
                       "2025-06-02", "--yes"])
    assert result.exit_code == 0, result.output
    with Store.open(data) as store:
        assert [r["id"] for r in store.sessions()] == [ids[2]]
    assert not list(backup.iterdir())  # no copy of a deleted session is kept
    result = run(cli, ["--data-dir", str(data), "delete", "sessions", "--before", "2025-01-01"])
    assert result.exit_code == 0 and "nothing was deleted" in result.output
    for bad in ("yesterday", "2025-02-30", ""):
        result = run(cli, ["--data-dir", str(data), "delete", "sessions", "--before", bad])
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("today", "months", "cutoff"), [
    (date(2026, 3, 31), 1, date(2026, 2, 28)), (date(2026, 1, 15), 12, date(2025, 1, 15)),
    (date(2024, 5, 31), 3, date(2024, 2, 29)), (date(2026, 1, 1), 1, date(2025, 12, 1))])
def test_months_back(today, months, cutoff):
    assert keeping.months_back(today, months) == cutoff


def test_retention_offer(tmp_path):
    data = tmp_path / "data"
    _dated_sessions(data, [date(2025, 1, 10), date(2026, 2, 1)])
    with Store.open(data) as store:
        assert keeping.retention_offer(store, {}, date(2026, 3, 1)) is None
        for bad in ("12", True, 0, -3, 5000, 1.5):
            assert keeping.retention_offer(store, {"retention_months": bad},
                                           date(2026, 3, 1)) is None
            assert keeping.retention_problem(bad)
        offer = keeping.retention_offer(store, {"retention_months": 12}, date(2026, 3, 1))
        assert offer is not None and offer.cutoff == date(2025, 3, 1)
        assert len(offer.sessions) == 1
        assert keeping.retention_offer(store, {"retention_months": 24},
                                       date(2026, 3, 1)) is None


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(st.characters(categories=("Lu", "Ll", "Lo")), min_size=5, max_size=14),
       st.sampled_from("éßØñÆçŁřžΩЖ中ñ"))
def test_forget_any_name_leaves_it_nowhere(tmp_path_factory, base, accent):
    from balint_tui.domain.names import check_member_name

    name = base[:2] + accent + base[2:]
    try:
        name = check_member_name(name)
    except ValueError:
        return
    if "former" in name.casefold() or len(name) < 6:
        return
    data = tmp_path_factory.mktemp("any") / "data"
    with Store.open(data) as store:
        group = Group(id="g1", name="Tuesday group", members=[
            Member(id="m1", name="Ana"), Member(id="m2", name=name)])
        store.save_group(group)
        _session(store, group, None, steps=[(20, "speak", {"who": "m2"})])
        _session(store, group, None, finish=False, steps=[(20, "speak", {"who": "m2"})])
    assert _holding(data, name)
    result = _forget(data, "Tuesday group", name, "--yes")
    assert result.exit_code == 0, result.output
    found = []
    for path in data.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            found += [path.name for form in (name.encode(), name.encode("utf-16-le"),
                                             json.dumps(name)[1:-1].encode()) if form in raw]
    assert found == []


def test_retention_command_sets_shows_and_clears_the_setting(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    run = CliRunner().invoke

    def retention(*args):
        return run(cli, ["--data-dir", str(data), "retention", *args])

    assert "no retention time is set" in retention().output
    result = retention("24")
    assert result.exit_code == 0 and "24 months" in result.output
    with Store.open(data, readonly=True) as store:
        assert store.settings()["retention_months"] == 24
    assert "kept for 24 months" in retention().output
    for bad in ("0", "1201", "two", "١٢", "1.5"):
        result = retention(bad)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert retention("off").exit_code == 0
    with Store.open(data, readonly=True) as store:
        assert "retention_months" not in store.settings()


def test_forget_renames_names_not_figures_spelt_alike(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        group = Group(id="g1", name="Tuesday group", members=[
            Member(id="m1", name="Ana"), Member(id="m2", name="balance")])
        store.save_group(group)
        sid = _session(store, group, None, steps=[(20, "speak", {"who": "m1"})])
    assert _forget(data, "g1", "balance", "--yes").exit_code == 0
    summary = json.loads((data / "sessions" / f"{sid}.json").read_text())["summary"]
    assert isinstance(summary["balance"], float)
    assert set(summary["members"]) == {"Ana", "former member"}
    assert summary["never_spoke"] == ["former member"]
