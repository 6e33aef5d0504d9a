"""``balint-tui review --export json PATH``: its keys, the forms and ratings, prompts with
member/until/ended, pseudonymised unless ``--names``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from review_helpers import save_with_prompts

from balint_tui.cli import cli
from balint_tui.review.abs_items import forms
from balint_tui.review.jsonexport import JSON_FORMAT, TOP_KEYS
from balint_tui.store.store import Store

NAMES = ["Zebedee", "Quentin", "[red]Ximena", "Wolfgang", "Yusuf", "Violetta"]


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        save_with_prompts(store, session_id="sjson001", names=NAMES)
        store.save_rating("sjson001", {"model.roles": 4, "safety.trust": None})
        store.save_form_rating("sjson001", "coleader", {"coleader.team": 5})
        store.save_rater("sjson001", "coleader", "leader")
        store.save_talked("sjson001", [6, 18])
        group = store.group("g1")
        store.save_group(group.model_copy(update={"name": "Kestrel circle"}))
    return folder


def export(data, tmp_path, *extra) -> tuple[dict, str]:
    path = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "review", "--last",
                                      "--export", "json", str(path), *extra])
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    return json.loads(text), text


def test_keys_forms_and_ratings(data, tmp_path, roster_order_pseudonyms):
    out, _ = export(data, tmp_path)
    assert tuple(out) == TOP_KEYS and out["format"] == JSON_FORMAT
    assert set(out["session"]) >= {"id", "date", "template", "planned_s", "planned_end_s",
                                   "extend_presses", "duration_s", "group", "people",
                                   "group_age"}
    assert out["session"]["planned_end_s"] == 2100.0 and out["session"]["extend_presses"] == 1
    assert set(out["figures"]) >= {"balance", "leader_share", "longest_silence_s",
                                   "questions_to_presenter", "questions_by_phase",
                                   "never_spoke", "prompts"}
    assert out["figures"]["questions_by_phase"] == {"questions": 1, "discussion": 3}
    assert len(out["cases"]) == 2 and out["cases"][0]["phases"][0]["phase"] == "presentation"
    assert {"who", "start", "end", "case", "phase", "to_presenter"} == set(out["turns"][0])
    assert {"start", "end", "length_s", "case", "phase"} == set(out["silences"][0])
    assert out["marks"][0] == {"at": 500.0, "kind": "advice", "who": None, "case": 1,
                               "phase": "discussion"}
    # prompts: member, until, ended from the record (null where absent)
    assert [(p["id"], p["member"], p["until"], p["ended"]) for p in out["prompts"]] == [
        ("salinsky.listener", None, 205.0, "dismissed"),
        ("salinsky.speculation", None, 520.0, "acted"),
        ("dornfest.hold-back", "M5", None, "session_end"),
    ]
    # forms: items with ids, sections and scale
    assert set(out["forms"]) == {"member", "presenter", "coleader"}
    for form_id, form in forms().items():
        data_form = out["forms"][form_id]
        assert [i["id"] for s in data_form["sections"] for i in s["items"]] == form.item_ids
        assert [i["context"] for s in data_form["sections"] for i in s["items"]] == [
            i.context for i in form.items]
        assert data_form["scale"]["min"] == 1 and data_form["scale"]["max"] == 5
        assert data_form["na"] == form.na
        assert list(out["ratings"][form_id]) == form.item_ids  # every item, in order
    assert out["forms"]["coleader"]["scale"]["labels"][0] == "strongly disagree"
    assert out["ratings"]["member"]["model.roles"] == 4
    assert out["ratings"]["member"]["safety.trust"] == "na"
    assert out["ratings"]["member"]["model.uncertainty"] is None  # not rated
    assert out["ratings"]["coleader"]["coleader.team"] == 5
    assert set(out["ratings"]["presenter"].values()) == {None}
    assert out["raters"] == {"presenter": None, "coleader": "leader"}
    assert out["debrief"] == {"talked": [6, 18]}


def test_pseudonymised_unless_names(data, tmp_path):
    out, text = export(data, tmp_path)
    for name in [*NAMES, "Kestrel circle", "Ximena"]:
        assert name not in text
    assert out["session"]["group"] is None and out["session"]["people"] == "pseudonyms"
    drawn = [m["who"] for m in out["members"]][:6]
    assert sorted(drawn) == ["M1", "M2", "M3", "M4", "M5", "M6"]
    assert "drawn at random for this export" in out["session"]["people_note"]
    (tmp_path / "r.json").unlink()
    named, text = export(data, tmp_path, "--names")
    assert named["session"]["group"] == "Kestrel circle"
    assert named["session"]["people"] == "names"
    assert "[red]Ximena" in [m["who"] for m in named["members"]]
    assert named["prompts"][2]["member"] == "Yusuf"
