"""``balint-tui handout``: the page for the group is built from what the store keeps.

Every kind of field the store writes (from the code's registries, and as the audit finds
it in a real data folder) is described; the marks and the forms are listed from their
own vocabularies; the data folder and the retention setting are said as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_helpers import HAND, save_scenario
from store_helpers import make_plan

from balint_tui.application.handout import (
    FIELDS,
    SETTINGS_WORDS,
    build_handout,
    describes,
    missing_fields,
    recorded,
    stored_fields,
    to_html,
    to_markdown,
    to_text,
)
from balint_tui.cli import cli
from balint_tui.domain import events as ev
from balint_tui.domain.vocabulary import MARK_KINDS, MARK_LABELS
from balint_tui.review.abs_items import forms
from balint_tui.store.records import SessionHeader

PACKAGE = Path(__file__).parent.parent / "balint_tui"


def test_every_kind_of_field_the_store_writes_is_described():
    assert missing_fields() == []
    fields = stored_fields()
    # the registries are read, not a copy of them: every event type and field is there
    for cls in ev.EVENT_CLASSES:
        assert f"events.{cls.type_name()}" in fields
        assert all(f"events.{f}" in fields for f in cls.model_fields)
    for key in ("plan.role", "plan.setting", "plan.prompts", "sessions.away",
                "groups.members.joined", "ratings.presenter_rater", "summary.balance"):
        assert key in fields


def test_a_field_not_described_is_found():
    """What the test above guards: a new event field or event type is not described."""
    assert not describes("events.comment")
    assert not describes("sessions.notes")
    assert describes("ratings.items.model.roles")  # inside a described field
    assert describes("summary.members.turns")


def test_every_settings_key_in_the_code_is_described():
    """A settings key sits in a ``SETTINGS_<NAME> = "<key>"`` constant beside its reader
    (ARCHITECTURE.md, "A new setting"); each one is in the handout's words."""
    keys = {"thresholds"}
    for path in PACKAGE.rglob("*.py"):
        keys.update(re.findall(r'^SETTINGS_[A-Z_]+ = "([a-z_]+)"', path.read_text(),
                               re.MULTILINE))
    assert {"theme", "keymap", "thresholds"} <= keys
    assert keys <= set(SETTINGS_WORDS), keys - set(SETTINGS_WORDS)


def _normal(path: str) -> str:
    """An audit path as the handout's keys spell it: no ``<n>``, ``[]``, ids or names."""
    parts = []
    for part in path.replace("[]", "").split("."):
        if part in ("<n>", "<name>") or re.fullmatch(r"(m\d+|[a-z][0-9a-f]{8})", part):
            continue
        parts.append(part)
    return ".".join(parts)


def test_every_field_found_on_disk_is_described(store):
    """A data folder with a filed session, all three forms rated, settings, a template
    and a live journal: every field path the audit lists is described."""
    from balint_tui.audit.audit import audit

    sid = save_scenario(store, HAND, session_id="shand01")
    store.save_rating(sid, {"model.roles": 4, "safety.trust": None})
    store.save_form_rating(sid, "presenter", {"presenter.hope": 3})
    store.save_rater(sid, "presenter", "leader")
    store.save_form_rating(sid, "coleader", {"coleader.team": 5})
    store.save_rater(sid, "coleader", "coleader")
    store.save_talked(sid, [3])
    store.save_settings({"theme": "textual-light", "thresholds": {"cooldown_s": 200},
                         "keymap": {"live.floor.1": "f1"}, "retention_months": 24})
    store.save_template(make_plan(30).template.model_copy(update={"name": "short"}))
    group = store.group("g1")
    writer = store.begin_session(group, make_plan(), carried=[group.members[0].id])
    writer.append(ev.Start(at=0))
    writer.append(ev.Mark(at=5, kind="presenter_distress", who=group.members[0].id))
    writer.append(ev.Queue(at=6, who=group.members[1].id, urgent=True))
    writer.close()
    report = audit(store.data_dir)
    seen = set()
    assert not report.flagged, report.flags
    header = {*SessionHeader.model_fields, "format"}
    for g in report.groups.values():
        for path in g.fields:
            path = _normal(path)
            if g.pattern.startswith("journals/") and path.split(".")[0] not in header:
                path = f"events.{path}"  # a journal's lines after the header are events
            seen.add(path)
    assert {"events.kind", "ratings.presenter.<vocabulary>", "settings.value.theme",
            "carried", "templates.name", "events.urgent", "settings.value.retention_months",
            "plan.role"} <= seen
    assert [p for p in sorted(seen) if p and not describes(p)] == []


def test_the_page_lists_the_marks_and_forms_and_says_where_and_how_long(tmp_path):
    page = build_handout(tmp_path / "data", {}, exists=False)
    text = to_text(page)
    flat = " ".join(text.split())
    for kind in MARK_KINDS:
        assert MARK_LABELS[kind] in flat
    for form in forms().values():
        assert form.title.lower() in flat
    assert str(tmp_path / "data") in flat and "made when the first session is saved" in flat
    for words in ("No words", "No case", "No patient", "not linked to any member",
                  "no time limit is set", "balint-tui delete sessions --before DATE",
                  "balint-tui forget GROUP MEMBER", "former member", "drawn at random"):
        assert words in flat, words
    assert max(len(line) for line in text.splitlines()) <= 78
    kept = " ".join(to_text(build_handout(tmp_path, {"retention_months": 18},
                                          exists=True)).split())
    assert "18 months: when the tool starts, it offers to delete older sessions" in kept
    assert "made when" not in kept
    # every topic printed is one a stored field belongs to
    assert len(recorded()) == len({FIELDS[k] for k in stored_fields()})


def test_a_data_folder_path_cannot_act_on_the_terminal(tmp_path):
    text = to_text(build_handout(tmp_path / "x\x1b[2Jy", {}, exists=False))
    assert "\x1b" not in text and "x\ufffd[2Jy" in text


def test_markdown_and_html(tmp_path):
    page = build_handout(tmp_path / "a<b>&c", {}, exists=True)
    md = to_markdown(page)
    assert md.startswith("# What the record of our Balint group keeps")
    assert "## How to be forgotten" in md and "`balint-tui forget GROUP MEMBER`" in md
    page_html = to_html(page)
    assert "a&lt;b&gt;&amp;c" in page_html and "a<b>" not in page_html
    assert "<code>balint-tui forget GROUP MEMBER</code>" in page_html


def test_cli_prints_and_exports(tmp_path):
    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(cli, ["--data-dir", str(data), "handout"])
    assert result.exit_code == 0, result.output
    assert "What is never recorded" in result.output and str(data) in result.output
    assert not data.exists()  # printing the handout makes no data folder
    out = tmp_path / "handout.html"
    result = runner.invoke(cli, ["--data-dir", str(data), "handout", "--export", "html",
                                 str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("<!doctype html>")
    again = runner.invoke(cli, ["--data-dir", str(data), "handout", "--export", "md",
                                str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    assert out.read_text().startswith("<!doctype html>")  # not overwritten
    forced = runner.invoke(cli, ["--data-dir", str(data), "handout", "--export", "md",
                                 str(out), "--force"])
    assert forced.exit_code == 0 and out.read_text().startswith("# What the record")
    bad = runner.invoke(cli, ["--data-dir", str(data), "handout", "--export", "pdf", "x"])
    assert bad.exit_code == 2
    nowhere = runner.invoke(cli, ["--data-dir", str(data), "handout", "--export", "md",
                                  str(tmp_path / "no" / "such.md")])
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.output


def test_cli_says_the_retention_setting(store, tmp_path):
    store.save_settings({"retention_months": 6})
    data = store.data_dir
    store.close()
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "handout"])
    assert result.exit_code == 0, result.output
    assert "6 months: when the tool starts" in " ".join(result.output.split())


@pytest.mark.parametrize("value", [0, -3, "12", 2.5, True, None, 5000])
def test_a_retention_value_that_is_no_number_of_months_is_not_said(tmp_path, value):
    text = " ".join(to_text(build_handout(tmp_path, {"retention_months": value},
                                          exists=True)).split())
    assert "no time limit is set" in text
