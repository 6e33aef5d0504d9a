"""The leader's logbook (issue 25): scenarios with ``plan.role`` and ``plan.setting``
filed into the index, totals across groups and years, hand-added entries, the
supervision date, every export format, and bad input (one line, exit 2, nothing
written)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from balint_tui.cli import cli
from balint_tui.domain.scenario import load_scenario, replay
from balint_tui.domain.vocabulary import ROLES, SETTINGS_PLACES
from balint_tui.review.logbook import Filters, build_logbook
from balint_tui.review.logbook_render import RENDERERS
from balint_tui.store.store import Store

SCENARIOS = Path(__file__).parent / "scenarios"
HAND = SCENARIOS / "hand_worked.json"
RESIDENCY = SCENARIOS / "residency_topic.json"


def run(data: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input)


def scenario_with(tmp_path: Path, source: Path, name: str | None = None, **plan) -> Path:
    """``source`` with ``plan`` keys added (and the group renamed), as a new file."""
    data = json.loads(source.read_text())
    data["plan"].update(plan)
    if name is not None:
        data["group"]["name"] = name
    path = tmp_path / f"{source.stem}-{len(list(tmp_path.glob('*.json')))}.json"
    path.write_text(json.dumps(data))
    return path


def file_at(store: Store, path: Path, when: datetime) -> str:
    """Replay ``path`` and file it as a finished session begun at ``when``, the way
    ``replay --save`` does (application.replay), with the plan the scenario gives."""
    from balint_tui.application.replay import _member_ids, _to_ids, session_summary

    scenario = load_scenario(path)
    result = replay(scenario)
    group, mapping, _ = _member_ids(store, scenario.group.name, scenario.group.members)
    return store.import_session(
        group, result.state.plan, [_to_ids(e, mapping) for e in result.events],
        session_summary(result.state), started_wall=when,
    )


def index_bytes(data: Path) -> bytes:
    return (data / "index.json").read_bytes()


# ---------------------------------------------------------------------- the index
def test_replay_save_files_the_plans_role_and_setting(tmp_path):
    data = tmp_path / "data"
    path = scenario_with(tmp_path, HAND, role="coleader", setting="online", prompts="few")
    result = run(data, "replay", str(path), "--save")
    assert result.exit_code == 0, result.output
    with Store.open(data) as store:
        (row,) = store.index_rows()
    assert (row.role, row.setting, row.prompts) == ("coleader", "online", "few")
    assert row.planned_min == json.loads(HAND.read_text())["plan"]["duration_min"]
    assert row.topics == 0
    listed = run(data, "logbook")
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.output.splitlines() if x.startswith(row.id))
    assert "coleader" in line and "online" in line


def test_held_leaves_the_breaks_out(tmp_path, store):
    """Issue 25: the length held leaves pauses out (a 600 s break, 700 to 1300)."""
    from balint_tui.review.logbook import entries

    pause = SCENARIOS / "hand_worked_pause.json"
    sid = file_at(store, pause, datetime(2026, 3, 3, 18, tzinfo=UTC))
    (row,) = [r for r in store.index_rows() if r.id == sid]
    assert row.paused_s == 600.0
    (entry,) = [e for e in entries(store) if e.id == sid]
    assert entry.held_min == round((row.duration_s - 600.0) / 60, 1)


def test_topics_are_counted_apart_from_cases(tmp_path, store):
    file_at(store, RESIDENCY, datetime(2026, 3, 3, 18, tzinfo=UTC))
    (row,) = store.index_rows()
    book = build_logbook(store, Filters(), date(2026, 12, 1))
    (entry,) = book.entries
    assert row.topics >= 1
    assert entry.cases == row.cases - row.topics
    assert entry.topics == row.topics


def test_an_older_row_gets_its_figures_once_from_its_record(tmp_path, store):
    sid = file_at(store, HAND, datetime(2026, 3, 3, 18, tzinfo=UTC))
    # as a row filed before the logbook: no planned length, no topic count
    from tinydb import Query

    store._table("sessions").update(
        lambda doc: [doc.pop(k, None) for k in ("planned_min", "topics")], Query().id == sid)
    assert store.index_rows()[0].planned_min is None
    (row,) = store.logbook_rows()
    assert row.planned_min is not None and row.topics == 0
    # saved: the next read needs no record
    assert store.index_rows()[0].planned_min == row.planned_min
    store.session_path(sid).unlink()
    assert store.logbook_rows()[0].planned_min == row.planned_min


# ---------------------------------------------------------------------- totals
@pytest.fixture
def two_groups(tmp_path, store):
    tuesday = scenario_with(tmp_path, HAND, "Tuesday group", role="leader", setting="in_person")
    online = scenario_with(tmp_path, HAND, "Tuesday group", role="leader", setting="online")
    thursday = scenario_with(tmp_path, RESIDENCY, role="coleader", setting="online")
    file_at(store, tuesday, datetime(2025, 11, 4, 18, tzinfo=UTC))
    file_at(store, online, datetime(2026, 1, 6, 18, tzinfo=UTC))
    file_at(store, tuesday, datetime(2026, 2, 3, 18, tzinfo=UTC))
    file_at(store, thursday, datetime(2026, 2, 5, 18, tzinfo=UTC))
    return store


def test_totals_across_groups_and_years(two_groups, utc):
    book = build_logbook(two_groups, Filters(), date(2026, 12, 1))
    t = book.totals
    assert t.all.meetings == 4
    assert t.all.cases == sum(e.cases for e in book.entries)
    assert t.all.hours == round(sum(e.held_min for e in book.entries) / 60, 1)
    assert t.by_role["leader"].meetings == 3 and t.by_role["coleader"].meetings == 1
    assert t.by_setting["in_person"].meetings == 2 and t.by_setting["online"].meetings == 2
    assert t.face_to_face_share == 0.5
    assert {y: v.meetings for y, v in t.by_year.items()} == {2025: 1, 2026: 3}
    assert {e.group for e in book.entries} == {"Tuesday group", "Residents"}


def test_filters_from_to_group_role(two_groups, utc):
    def ids(**kw):
        return [e.date.isoformat() for e in build_logbook(
            two_groups, Filters(**kw), date(2026, 12, 1)).entries]

    assert ids(start=date(2026, 1, 1)) == ["2026-01-06", "2026-02-03", "2026-02-05"]
    assert ids(end=date(2026, 1, 6)) == ["2025-11-04", "2026-01-06"]
    assert ids(role="coleader") == ["2026-02-05"]
    tuesday = next(g for g in two_groups.groups() if g.name == "Tuesday group")
    assert len(ids(group_id=tuesday.id)) == 3


def test_cli_filters(two_groups, utc):
    data = two_groups.data_dir
    two_groups.close()
    out = run(data, "logbook", "--group", "tuesday group", "--from", "2026-01-01").output
    assert "2026-01-06" in out and "2026-02-03" in out and "2025-11-04" not in out
    assert "Residents" not in out.split("\n\n")[0]
    out = run(data, "logbook", "--role", "coleader").output
    assert "Residents" in out and "Tuesday group" not in out


# ---------------------------------------------------------------------- by hand
def test_hand_entry_counts_and_deletes_like_a_session(two_groups, utc):
    data = two_groups.data_dir
    two_groups.close()
    added = run(data, "logbook", "add", "--date", "2026-03-10", "--group", "Friday group",
                "--role", "coleader", "--setting", "online", "--minutes", "90", "--cases", "2")
    assert added.exit_code == 0, added.output
    with Store.open(data) as store:
        (entry,) = store.hand_entries()
        book = build_logbook(store, Filters(), date(2026, 12, 1))
    assert entry.by_hand and entry.group == "Friday group" and entry.group_id is None
    assert book.totals.all.meetings == 5 and book.totals.by_hand == 1
    assert book.totals.by_role["coleader"].cases >= 2
    shown = run(data, "logbook").output
    assert "2026-03-10 *" in shown and "Friday group" in shown
    assert run(data, "logbook", "--group", "Friday group").exit_code == 0
    gone = run(data, "delete", "session", entry.id, "--yes")
    assert gone.exit_code == 0, gone.output
    with Store.open(data) as store:
        assert store.hand_entries() == []
        assert len(store.index_rows()) == 4


def test_group_filter_takes_an_entry_added_before_the_group_was_here(tmp_path, utc):
    data = tmp_path / "data"
    assert run(data, "logbook", "add", "--date", "2025-06-03", "--group", "tuesday group",
               "--minutes", "60", "--cases", "1").exit_code == 0
    path = scenario_with(tmp_path, HAND, "Tuesday group")
    assert run(data, "replay", str(path), "--save").exit_code == 0
    out = run(data, "logbook", "--group", "Tuesday group").output
    assert "2025-06-03 *" in out and out.count("Tuesday group") + out.count("tuesday group") == 2


def test_deleting_a_group_deletes_its_hand_entries(two_groups):
    tuesday = next(g for g in two_groups.groups() if g.name == "Tuesday group")
    two_groups.add_hand_entry(date=date(2026, 3, 1), group="Tuesday group", role="leader",
                              setting="in_person", minutes=60, cases=1)
    other = two_groups.add_hand_entry(date=date(2026, 3, 2), group="Elsewhere",
                                      role="leader", setting="online", minutes=60, cases=1)
    two_groups.delete_group(tuesday.id)
    assert [e.id for e in two_groups.hand_entries()] == [other.id]


def test_hand_entry_for_a_group_of_this_folder_follows_its_renames(two_groups):
    tuesday = next(g for g in two_groups.groups() if g.name == "Tuesday group")
    entry = two_groups.add_hand_entry(date=date(2026, 3, 1), group="tuesday GROUP",
                                      role="leader", setting="in_person", minutes=60, cases=1)
    assert entry.group_id == tuesday.id
    two_groups.save_group(tuesday.renamed("Tuesday Balint"))
    book = build_logbook(two_groups, Filters(group_id=tuesday.id), date(2026, 12, 1))
    assert [e.group for e in book.entries] == ["Tuesday Balint"] * 4


@pytest.mark.parametrize(("args", "words"), [
    (["--role", "boss"], "--role: 'boss' is not one of: leader, coleader"),
    (["--setting", "moon"], "--setting: 'moon' is not one of: in person, online"),
    (["--date", "2026-13-01"], "--date: '2026-13-01' is not a date"),
    (["--date", "yesterday"], "--date: 'yesterday' is not a date"),
    (["--date", "2999-01-01"], "--date: 2999-01-01 is in the future"),
    (["--minutes", "0"], "--minutes: 0 is out of range (1-480)"),
    (["--minutes", "481"], "--minutes: 481 is out of range (1-480)"),
    (["--minutes", "ninety"], "--minutes: 'ninety' is not a whole number"),
    (["--minutes", "9_0"], "--minutes: '9_0' is not a whole number"),
    (["--cases", "-1"], "--cases: -1 is out of range (0-12)"),
    (["--group", "..."], "--group: the name must hold at least one letter or digit"),
    (["--group", "a\x1b[31mb"], "--group: the name contains a control"),
    (["--group", "x" * 200], "--group: the name"),
])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, args, words):
    data = tmp_path / "data"
    assert run(data, "logbook", "add", "--date", "2026-01-01", "--group", "G",
               "--minutes", "60").exit_code == 0
    before = index_bytes(data)
    good = {"--date": "2026-02-02", "--group": "G", "--minutes": "60"}
    good.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = run(data, "logbook", "add", *[x for kv in good.items() for x in kv])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "\x1b" not in result.stderr
    assert index_bytes(data) == before


@pytest.mark.parametrize(("args", "words"), [
    (["--role", "boss"], "--role: 'boss'"),
    (["--from", "x"], "--from: 'x' is not a date"),
    (["--from", "2026-02-01", "--to", "2026-01-01"], "is after --to"),
    (["--export", "pdf", "out.pdf"], "--export: 'pdf'"),
    (["--on", "2026-01-01"], "--on goes with --supervised"),
    (["--supervised", "snothere"], "no session snothere"),
])
def test_bad_listing_options(two_groups, args, words):
    data = two_groups.data_dir
    two_groups.close()
    before = index_bytes(data)
    result = run(data, "logbook", *args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert index_bytes(data) == before


# ---------------------------------------------------------------------- supervision
def test_supervised_on_a_date(two_groups, utc):
    data = two_groups.data_dir
    sid = two_groups.index_rows()[-1].id
    two_groups.close()
    future = run(data, "logbook", "--supervised", sid, "--on", "2999-01-01")
    assert future.exit_code == 2 and "in the future" in future.stderr
    early = run(data, "logbook", "--supervised", sid, "--on", "2026-01-01")
    assert early.exit_code == 2 and "before the session" in early.stderr
    done = run(data, "logbook", "--supervised", sid, "--on", "2026-02-20")
    assert done.exit_code == 0, done.output
    with Store.open(data) as store:
        assert store.supervised_on(sid) == date(2026, 2, 20)
        book = build_logbook(store, Filters(), date(2026, 12, 1))
    assert book.totals.all.supervised == 1
    assert book.totals.by_role["coleader"].supervised == 1
    assert "2026-02-20" in run(data, "logbook").output
    undone = run(data, "logbook", "--supervised", sid, "--unmark")
    assert undone.exit_code == 0, undone.output
    with Store.open(data) as store:
        assert store.supervised_on(sid) is None
    assert run(data, "logbook", "--unmark").exit_code == 2
    again = run(data, "logbook", "--supervised", sid, "--unmark")  # it is not marked now
    assert again.exit_code == 0
    assert again.stderr.strip() == (f"session {sid} was not marked as taken to "
                                    "supervision; nothing changed")


def test_setting_is_named_and_taken_as_typed(tmp_path):
    data = tmp_path / "data"
    typed = run(data, "logbook", "add", "--date", "2026-01-01", "--group", "G",
                "--setting", "in person", "--minutes", "60", "--cases", "1")
    assert typed.exit_code == 0, typed.output
    assert "leader in person, 60 min, 1 case (by hand)" in typed.stderr
    with Store.open(data) as store:
        assert store.hand_entries()[0].setting == "in_person"
    assert "in_person" not in run(data, "logbook", "add", "--help").output
    shown = run(data, "logbook").output
    assert "1 meeting, 1 case discussion, 1 hour;" in shown, shown
    wrote = run(data, "logbook", "--export", "md", str(tmp_path / "book.md"))
    assert "(md, 1 session) to" in wrote.stderr


async def test_review_screen_marks_supervision(two_groups, utc):
    from balint_tui.ui.review.screen import ReviewApp

    sid = two_groups.index_rows()[0].id
    app = ReviewApp(two_groups, sid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        title = str(app.screen.query_one("#review-title").render())
        assert two_groups.supervised_on(sid) == date.today()
        assert f"supervised {date.today().isoformat()}" in title
        assert "standard cards · leader · in person" in title
        await pilot.press("u")
        await pilot.pause()
        assert two_groups.supervised_on(sid) is None


# ---------------------------------------------------------------------- exports
def test_every_export_format(two_groups, tmp_path, utc):
    data = two_groups.data_dir
    sid = two_groups.index_rows()[0].id
    two_groups.mark_supervised(sid, date(2025, 11, 20))
    two_groups.close()
    assert run(data, "logbook", "add", "--date", "2024-06-01", "--group", "Old <b>group</b>",
               "--minutes", "90", "--cases", "2").exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    args = [x for fmt in RENDERERS for x in ("--export", fmt, str(out / f"log.{fmt}"))]
    result = run(data, "logbook", *args)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "log.json").read_text())
    assert doc["format"] == "balint-logbook/1"
    assert doc["totals"]["meetings"] == 5
    assert doc["totals"]["by_year"].keys() == {"2024", "2025", "2026"}
    assert doc["totals"]["face_to_face_share"] == pytest.approx(3 / 5)
    assert doc["sessions"][0]["by_hand"] is True
    assert doc["sessions"][1]["supervised_on"] == "2025-11-20"
    rows = list(csv.DictReader(io.StringIO((out / "log.csv").read_text())))
    assert len(rows) == 5 and rows[0]["by_hand"] == "yes"
    assert {r["role"] for r in rows} == {"leader", "coleader"}
    assert rows[0]["planned_min"] == "" and rows[0]["setting"] == "in_person"
    assert rows[1]["supervised_on"] == "2025-11-20" and rows[1]["debrief"] == "no"
    html = (out / "log.html").read_text()
    assert "<b>group" not in html and "Old &lt;b&gt;group&lt;/b&gt;" in html
    assert "@page { size: A4 landscape" in html and html.count("<tr>") >= 5 + 7
    md = (out / "log.md").read_text()
    assert "Old \\<b\\>group\\</b\\>" in md and "| 2025-11-04 |" in md
    # refused without --force; written with it
    again = run(data, "logbook", "--export", "md", str(out / "log.md"))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert run(data, "logbook", "--export", "md", str(out / "log.md"), "--force").exit_code == 0
    inside = run(data, "logbook", "--export", "md", str(data / "x.md"))
    assert inside.exit_code == 1 and "inside the data folder" in inside.stderr


def test_cli_words_equal_the_vocabulary_and_renderers():
    from balint_tui.commands import logbook

    assert tuple(RENDERERS) == logbook.FORMATS
    assert logbook.ROLE_CHOICES == ROLES
    assert logbook.SETTING_CHOICES == SETTINGS_PLACES


def test_audit_lists_the_new_fields(two_groups):
    data = two_groups.data_dir
    two_groups.add_hand_entry(date=date(2026, 3, 1), group="Friday group", role="coleader",
                              setting="online", minutes=60, cases=1)
    two_groups.save_settings({"prompts": "few"})
    two_groups.close()
    result = run(data, "audit")
    assert result.exit_code == 0, result.output
    for field in ("sessions.<n>.role", "sessions.<n>.setting", "sessions.<n>.prompts",
                  "sessions.<n>.planned_min", "sessions.<n>.topics",
                  "sessions.<n>.supervised_on", "logbook.<n>.group", "logbook.<n>.minutes",
                  "settings.<n>.value.prompts"):
        assert field in result.output
    assert "No flagged strings" in result.output
    with Store.open(data) as store:
        store.save_settings({"prompts": "many"})
    flagged = run(data, "audit")
    assert "not a prompt level" in flagged.output


@pytest.mark.parametrize("version", [0, 1])
def test_a_folder_from_before_the_logbook_lists_and_keeps_the_figures(tmp_path, version):
    """The fixture folders of earlier versions (tests/hardening/fixtures): their rows
    read with the plan's defaults, and the first logbook saves the planned length and
    topics into the index, so the next one reads the index alone."""
    import os
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "hardening" / "fixtures" / f"v{version}", data)
    for root, _dirs, files in os.walk(data):
        os.chmod(root, 0o700)
        for name in files:
            os.chmod(os.path.join(root, name), 0o600)
    first = run(data, "logbook")
    assert first.exit_code == 0, first.output
    assert "Tuesday group  leader  in person  60" in first.output
    for path in (data / "sessions").glob("*.json"):
        path.unlink()  # the figures are in the index now
    again = run(data, "logbook")
    assert again.exit_code == 0 and "leader  in person  60" in again.output


def test_the_terminal_table_leaves_columns_out_to_fit(two_groups, utc):
    from balint_tui.review.logbook_render import to_text

    book = build_logbook(two_groups, Filters(), date(2026, 12, 1))
    wide = to_text(book)
    assert "topics" in wide and "left out" not in wide
    narrow = to_text(book, 90)
    table = narrow.split("\n\n")[0].splitlines()
    assert all(len(line) <= 90 for line in table[:-1])
    assert "topics" not in table[0] and "supervised" in table[0] and "held" in table[0]
    assert table[-1].startswith("(topics") and "--export keeps every column" in table[-1]
