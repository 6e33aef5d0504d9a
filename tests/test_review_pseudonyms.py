"""Pseudonyms that do not give members away (ground rule 2): each export draws M1, M2, ...
afresh at random, stable within that export; neither export follows the roster's order;
a named export reminds that it stays with the leaders."""

from __future__ import annotations

import json
import random
from collections import Counter

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from review_helpers import HAND, save_scenario

from balint_tui.cli import cli
from balint_tui.review import labels as labels_mod
from balint_tui.review.blocks import TEXT
from balint_tui.review.labels import Labels
from balint_tui.store.store import Store

NAMES = ["Zebedee", "Quentin", "Ximena", "Wolfgang", "Yusuf", "Violetta"]


def _assignment(members, rng=None):
    label = Labels(members, {m: m for m in members}, use_names=False, rng=rng)
    return [label(m) for m in members]


def _in_order(n):
    return [f"M{i}" for i in range(1, n + 1)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.from_regex(r"m[0-9]{1,4}", fullmatch=True), min_size=12, max_size=40,
                unique=True))
def test_two_exports_differ_and_neither_follows_the_roster(members):
    # the real draw (SystemRandom): with 12 or more members, the chance of a test
    # failing by bad luck is below one in 400 million per roster
    first, second = _assignment(members), _assignment(members)
    assert sorted(first) == sorted(second) == sorted(_in_order(len(members)))
    assert first != second
    assert first != _in_order(len(members)) and second != _in_order(len(members))


def test_small_rosters_are_numbered_uniformly():
    """For any roster size, the first member of the roster is any number as often: the
    roster's order cannot be read back from the numbers (a seeded draw, so no luck)."""
    rng = random.Random(23)
    for n in range(2, 9):
        members = [f"m{i}" for i in range(n)]
        draws = 400 * n
        seen = Counter(_assignment(members, rng)[0] for _ in range(draws))
        assert set(seen) == set(_in_order(n))
        for count in seen.values():
            assert abs(count - 400) < 120, (n, seen)


def test_a_member_keeps_one_pseudonym_within_an_export():
    members = [f"m{i}" for i in range(6)]
    label = Labels(members, {}, use_names=False, rng=random.Random(5))
    assert [label(m) for m in members] == [label(m) for m in members]
    assert label("m99") == "M7"  # met later, not of the roster: numbered after it
    assert label("leader") == "leader"


def _export_json(folder, tmp_path, name, *extra):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["--data-dir", str(folder), "review", "--last",
                                      "--export", "json", str(out), "--export", "md",
                                      str(out.with_suffix(".md")), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text()), out.with_suffix(".md").read_text()


def test_two_cli_exports_of_one_session_draw_their_own_numbers(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        save_scenario(store, HAND, names=NAMES)
    named, _ = _export_json(folder, tmp_path, "named.json", "--names")
    figures = {m["who"]: (m["airtime_s"], m["turns"], m["first_spoke_at"])
               for m in named["members"]}
    seeds = iter([3, 4])
    monkeypatch.setattr(labels_mod, "new_rng", lambda: random.Random(next(seeds)))
    one, md_one = _export_json(folder, tmp_path, "one.json")
    two, md_two = _export_json(folder, tmp_path, "two.json")
    roster = [f"m{i}" for i in range(1, len(NAMES) + 1)]
    drawn = []
    for doc, seed in ((one, 3), (two, 4)):
        expected = _assignment(roster, random.Random(seed))  # the roster's n-th: Mk
        assert expected != _in_order(len(NAMES))
        drawn.append(expected)
        # every list of members is in pseudonym order: none shows the roster's
        assert [m["who"] for m in doc["members"]][:len(NAMES)] == _in_order(len(NAMES))
        got = {m["who"]: (m["airtime_s"], m["turns"], m["first_spoke_at"])
               for m in doc["members"]}
        for name, label in zip(NAMES, expected, strict=True):
            assert got[label] == figures[name]
    assert drawn[0] != drawn[1]
    for doc, md in ((one, md_one), (two, md_two)):
        assert doc["session"]["people_note"] == TEXT["people"]
        assert "the numbering is drawn at random for this export" in md
        # within one export, the presenter of case 1 is one pseudonym everywhere
        presenter = doc["cases"][0]["presenter"]
        assert presenter in [t["who"] for t in doc["turns"] if t["case"] == 1]
    assert not any(name in md_one + md_two for name in NAMES)


def test_a_named_export_says_it_stays_with_the_leaders(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        save_scenario(store, HAND, names=NAMES)
    doc, md = _export_json(folder, tmp_path, "named.json", "--names")
    assert [m["who"] for m in doc["members"]][:6] == NAMES
    assert md.count("a named export stays with the leaders") == 1
    assert "ground rule 2" in doc["session"]["people_note"]


def test_no_export_carries_a_per_member_table_across_sessions(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        for day in range(3):
            save_scenario(store, HAND, names=NAMES, day=day, session_id=f"s{day}")
    doc, md = _export_json(folder, tmp_path, "t.json")
    assert "## Trends" in md
    trends = md[md.index("## Trends"):]
    assert not any(f"M{i}" in trends for i in range(1, 10))
    assert set(doc) >= {"members"} and "trends" not in json.dumps(doc["members"])
