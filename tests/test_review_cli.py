"""``review --last`` after ``replay --save``, ``audit`` and ``delete``, end to end."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from review_helpers import HAND, SIXTY, save_scenario

from balint_tui.cli import cli
from balint_tui.review.load import pick_session
from balint_tui.store.store import Store
from balint_tui.ui.review.charts import ParticipationChart, TimelineChart
from balint_tui.ui.review.rating import RatingForm
from balint_tui.ui.review.screen import ReviewApp


def run(data, *args, input=None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input)


@pytest.fixture
def saved(tmp_path):
    data = tmp_path / "data"
    result = run(data, "replay", str(SIXTY), "--save", "--json")
    assert result.exit_code == 0, result.output
    return data


async def test_review_last_after_replay_save(saved, tmp_path):
    # the screen `balint-tui review --last` opens
    with Store.open(saved) as store:
        sid = pick_session(store)
        app = ReviewApp(store, sid)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for widget in (TimelineChart, ParticipationChart, RatingForm):
                assert app.screen.query_one(widget).size.height > 0
            timeline = app.screen.query_one(TimelineChart)
            assert timeline.region.y < 24  # visible when the screen opens
            await pilot.press("r", "5")
        assert list(store.rating(sid).values()) == [5]
    # and its exports, pseudonymised
    members = json.loads(SIXTY.read_text())["group"]["members"]
    for fmt in ("md", "html", "svg", "csv"):
        path = tmp_path / f"r.{fmt}"
        result = run(saved, "review", "--last", "--export", fmt, str(path))
        assert result.exit_code == 0, result.output
        text = path.read_text("utf-8")
        assert "M1" in text
        for name in members:
            assert name not in text, (fmt, name)


def test_audit_lists_fields_and_flags_nothing(saved):
    result = run(saved, "audit")
    assert result.exit_code == 0, result.output
    out = result.output
    for expected in ("index.json", "sessions/<id>.json", "events[].who", "roster[].name",
                     "groups.<n>.members[].name", "No flagged strings"):
        assert expected in out, expected
    assert "name ×" in out and "id ×" in out and "vocabulary ×" in out


def test_audit_flags_free_text(saved):
    record = next((saved / "sessions").glob("*.json"))
    data = json.loads(record.read_text())
    data["events"][5]["note"] = "patient was furious"
    data["summary"]["members"]["thought about the mother"] = {"turns": 1}
    (saved / "sessions" / "sextra1.json").write_text(json.dumps(data))
    (saved / "journals").mkdir(exist_ok=True)
    (saved / "journals" / "slive1.jsonl").write_text(
        json.dumps({"format": "balint-journal/1", "session_id": "slive1"}) + "\n"
        + json.dumps({"at": 3, "type": "mark", "kind": "a very sad story"}) + "\n")
    (saved / "prompts").mkdir()
    (saved / "prompts" / "my.card.toml").write_text('id = "my.card"\ntitle = "Breathe"\n')
    result = run(saved, "audit")
    assert result.exit_code == 1
    out = result.output
    assert "events[].note" in out and "'patient was furious'" in out
    assert "summary.members.<text> (key)" in out and "'thought about the mother'" in out
    assert "journals/<id>.jsonl" in out and "'a very sad story'" in out
    assert "card text (your own prompt cards)" in out and "'Breathe'" not in out
    assert "3 string(s) are not a name" in out


def test_audit_without_data(tmp_path):
    result = run(tmp_path / "none", "audit")
    assert result.exit_code == 1
    assert result.output.strip().startswith("balint-tui: there is no balint-tui data folder")


@pytest.fixture
def two_sessions(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        a = save_scenario(store, HAND, day=0, session_id="sone1")
        save_scenario(store, SIXTY, day=1, session_id="stwo1")
        store.save_rating(a, {"model.roles": 3})
    return data


def test_delete_session_asks_first(two_sessions):
    data = two_sessions
    no = run(data, "delete", "session", "sone1", input="n\n")
    assert no.exit_code == 1 and "nothing was deleted" in no.output
    assert (data / "sessions" / "sone1.json").exists()
    yes = run(data, "delete", "session", "sone1", input="y\n")
    assert yes.exit_code == 0, yes.output
    assert not (data / "sessions" / "sone1.json").exists()
    with Store.open(data) as store:
        assert [r["id"] for r in store.sessions()] == ["stwo1"]
        assert store.ratings() == {}
    again = run(data, "delete", "session", "sone1", "--yes")
    assert again.exit_code == 2 and "no session 'sone1'" in again.output
    assert len(again.output.strip().splitlines()) == 1


def test_delete_group(two_sessions):
    data = two_sessions
    result = run(data, "delete", "group", "g1", "--yes")
    assert result.exit_code == 0, result.output
    with Store.open(data) as store:
        assert store.sessions() == [] and store.group("g1") is None
    assert list((data / "sessions").glob("*.json")) == []
    missing = run(data, "delete", "group", "g1", "--yes")
    assert missing.exit_code == 2 and "no group 'g1'" in missing.output


def test_delete_refuses_bad_ids(two_sessions):
    result = run(two_sessions, "delete", "session", "../index", "--yes")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (two_sessions / "index.json").exists()


def test_review_without_a_terminal_says_so_in_one_line(saved):
    """``review --last </dev/null`` (or piped): the one line run, demo and follow say, exit 2,
    no traceback; every command that opens the app, in a real process."""
    import subprocess
    import sys

    from balint_tui.commands.run import NOT_A_TERMINAL

    with Store.open(saved, readonly=True) as store:
        sid = pick_session(store)
    for args in (["review", "--last"], ["review", sid], ["review"], ["demo"], ["run"],
                 ["follow"]):
        out = subprocess.run(
            [sys.executable, "-m", "balint_tui", "--data-dir", str(saved), *args],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        )
        assert "Traceback" not in out.stderr, (args, out.stderr)
        assert out.stderr.strip().splitlines() == [f"balint-tui: {NOT_A_TERMINAL}"], args
        assert out.returncode == 2, args
