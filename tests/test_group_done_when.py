"""Issue 5's "Done when": after three recorded sessions of the demo group, the fourth
session's pre-session screen shows the carried-over presenter first, last session's
presenters for follow-up and the flagged members, all derived from stored events, and
nothing on disk holds case content."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from group_helpers import ids, three_sessions
from ui_helpers import app_for

from balint_tui.application.live import EVENT_TYPES
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.names import is_identifier
from balint_tui.domain.vocabulary import (
    CARD_ACTIONS,
    LEADERS,
    MARK_KINDS,
    PHASES,
    PROMPT_LEVELS,
    ROLES,
    SETTINGS_PLACES,
)
from balint_tui.store.card_files import load_cards
from balint_tui.store.records import SessionHeader
from balint_tui.store.store import Store, fold, index_row

FORMATS = {"balint-session/1", "balint-journal/1"}


def _field_names() -> set[str]:
    from balint_tui.domain.model import Group, Member, SessionPlan, Template
    from balint_tui.store.records import IndexRow, RosterEntry, SessionRecord

    models = [Group, Member, SessionPlan, Template, IndexRow, RosterEntry, SessionRecord,
              *EVENT_TYPES.values()]
    fields = {f for model in models for f in model.model_fields}
    tables = {"meta", "groups", "templates", "settings", "sessions", "ratings"}
    summary = {"duration_s", "members", "turns", "airtime_s", "first_spoke_at",
               "leader_airtime_share", "never_spoke", "longest_silence_s", "balance"}
    return fields | tables | summary | {"data_version", "value", "items", "session_id"}


FIELD_NAMES = _field_names()


def _iso(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d([T ][0-9:.]+(Z|[+-]\d\d:\d\d)?)?", text))


def strings_on_disk(data: Path) -> list[tuple[str, str, bool]]:
    """(file, string, is_key) for every string in every file of the data folder."""
    found: list[tuple[str, str, bool]] = []

    def walk(where: str, value) -> None:
        if isinstance(value, str):
            found.append((where, value, False))
        elif isinstance(value, dict):
            for key, item in value.items():
                found.append((where, key, True))
                walk(where, item)
        elif isinstance(value, list):
            for item in value:
                walk(where, item)
        else:
            assert value is None or isinstance(value, (bool, int, float)), (where, value)

    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        rel = str(path.relative_to(data))
        raw = path.read_text("utf-8")
        if path.name == ".lock":
            assert raw.strip() == "" or raw.strip().isdigit(), raw
            continue
        lines = raw.splitlines() if path.suffix == ".jsonl" else [raw]
        for line in lines:
            walk(rel, json.loads(line))
    return found


def not_allowed(data: Path, names: set[str], vocabulary: set[str]) -> list[tuple[str, str]]:
    """Strings that are not a name, an id, a vocabulary word, an ISO date/time or a
    format tag. Keys may be field names (identifiers) or names."""
    bad = []
    for where, text, is_key in strings_on_disk(data):
        if text in names or text in vocabulary or text in FORMATS or _iso(text):
            continue
        if is_key and (text in FIELD_NAMES or text.isdigit()):
            continue  # a field name, or a TinyDB document number
        if is_identifier(text) and re.fullmatch(r"[a-z][0-9a-f]{8}|mivy", text):
            continue  # a generated id (a letter + 8 hex digits), or the test's own
        bad.append((where, text))
    return bad


def vocabulary(store: Store) -> set[str]:
    return {*PHASES, *MARK_KINDS, *LEADERS, *CARD_ACTIONS, *EVENT_TYPES,
            *PROMPT_LEVELS, *ROLES, *SETTINGS_PLACES,  # the plan's keys, on every index row
            *load_cards(), *store.templates()}


def group_names(store: Store) -> set[str]:
    names: set[str] = set()
    for g in store.groups():
        names.add(g.name)
        names.update(m.name for m in g.members)
        for row in store.sessions(g.id):
            names.update(store.load_session(row["id"]).names.values())  # names of the day
    return names


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


async def test_fourth_pre_session_screen_after_three_recorded_sessions(data):
    with Store.open(data) as store:
        group = three_sessions(store, with_rules=True)
    # a fresh process: everything below is read back from disk
    with Store.open(data) as store:
        for row in store.sessions(group.id):
            record = store.load_session(row["id"])
            header = SessionHeader.model_validate(
                record.model_dump(include=set(SessionHeader.model_fields)))
            assert index_row(header, fold(header, record.events)).to_json() == row
        app = app_for(store, ManualClock(0))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            roster = app.screen.query_one("#members")
            roster.highlighted = [m.name for m in group.active].index("Gus")
            await pilot.press("space")  # Gus is away again today
            await pilot.pause()
            lines = str(app.screen.query_one("#presession").render()).splitlines()
            shot = app.export_screenshot().replace("&#160;", " ")
        assert lines[0].startswith("3 past sessions")
        assert lines[1] == "Queue      1. Eli carried over"  # the carried presenter first
        assert lines[2] == "Follow-up  Dev, Fay"  # last session's presenters
        assert lines[3:6] == ["New        Ivy", "Back       Hana (missed 2)",
                              "Missing    Gus (missed 3)"]
        assert lines[6].startswith("Age        <1 month, since ")  # how long it has met
        assert lines[7:] == []
        for text in ("Queue", "Eli", "Follow-up", "Hana (missed 2)", "Gus (missed 3)",
                     "classic", "60 min, ends at 13:00", "8 of 9 present"):
            assert text in shot


def test_nothing_on_disk_holds_case_content(data):
    with Store.open(data) as store:
        three_sessions(store, with_rules=True)
        names, words = group_names(store), vocabulary(store)
    assert any(p.suffix == ".json" for p in (data / "sessions").iterdir())
    assert not list((data / "journals").iterdir())  # finished sessions leave no journal
    assert not_allowed(data, names, words) == []


def test_the_content_check_catches_free_text(data):
    with Store.open(data) as store:
        group = three_sessions(store)
        names, words = group_names(store), vocabulary(store)
        m = ids(group)
    index = json.loads((data / "index.json").read_text())
    row = index["sessions"]["1"]
    row["note"] = "patient with chest pain"
    row["late"] = {m["Eli"]: 300.0, "angry": 1}
    (data / "index.json").write_text(json.dumps(index))
    bad = {text for _, text in not_allowed(data, names, words)}
    assert bad == {"patient with chest pain", "note", "angry"}
