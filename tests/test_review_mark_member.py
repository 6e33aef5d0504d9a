"""A mark about a member (distress, singled out, personal probing) names them in the
review and the exports: by pseudonym (M2) unless ``--names``."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from review_helpers import HAND, save_scenario

from balint_tui.cli import cli
from balint_tui.review.load import load_review
from balint_tui.store.store import Store

NAMES = ["Zebedee", "Quentin", "Ximena", "Wolfgang", "Yusuf", "Violetta"]


def scenario_with_member_mark(tmp_path):
    data = json.loads(HAND.read_text())
    events = data["events"]
    members = data["group"]["members"]
    at = events[-1]["at"] - 5
    events.insert(len(events) - 1, {"at": at, "type": "mark", "kind": "presenter_distress",
                                    "who": members[1]})
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return path, at


def test_mark_member_in_review_and_pseudonymised_in_exports(tmp_path):
    path, _at = scenario_with_member_mark(tmp_path)
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        sid = save_scenario(store, path, names=NAMES)
        review = load_review(store, sid)
    marks = [(m.kind, m.who) for m in review.marks if m.kind == "presenter_distress"]
    assert marks == [("presenter_distress", "m2")]

    def export(*extra):
        out = tmp_path / f"report{len(extra)}.csv"
        md = tmp_path / f"report{len(extra)}.md"
        result = CliRunner().invoke(cli, ["--data-dir", str(folder), "review", "--last",
                                          "--export", "csv", str(out), "--export", "md",
                                          str(md), *extra])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        return [r for r in rows if r["mark"] == "presenter_distress"], md.read_text()

    rows, md = export()
    assert [r["who"] for r in rows] == ["M2"]
    assert "Quentin" not in md and "| mark: presenter distress | M2 |" in md
    rows, md = export("--names")
    assert [r["who"] for r in rows] == ["Quentin"]
