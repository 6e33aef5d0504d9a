"""A mark about a member (distress, singled out, personal probing) names them on the live
card only (ground rule 2, contract v3): the live journal keeps ``who``; the filed session,
the index, the review and every export format hold no member beside a mark."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from group_helpers import plan, rules_factory
from review_helpers import HAND, save_scenario

from balint_tui.application import launch
from balint_tui.application.live import LiveSession
from balint_tui.cli import cli
from balint_tui.commands.review import FORMATS
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.vocabulary import MARK_LABELS
from balint_tui.review.load import load_review
from balint_tui.store.store import Store
from balint_tui.store.unlink import links, mark_card_ids

NAMES = ["Zebedee", "Quentin", "Ximena", "Wolfgang", "Yusuf", "Violetta"]
MEMBER_KINDS = ("presenter_distress", "singled_out", "personal_probing")


def scenario_with_member_marks(tmp_path):
    data = json.loads(HAND.read_text())
    events = data["events"]
    members = data["group"]["members"]
    at = events[-1]["at"] - 30
    for i, kind in enumerate(MEMBER_KINDS):
        events.insert(len(events) - 1, {"at": at + i, "type": "mark", "kind": kind,
                                        "who": members[1 + i]})
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return path


def _words(kind: str) -> list[str]:
    return [kind, MARK_LABELS.get(kind, kind), kind.replace("_", " ")]


def test_a_filed_session_and_every_export_hold_no_member_beside_a_mark(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        sid = save_scenario(store, scenario_with_member_marks(tmp_path), names=NAMES)
        review = load_review(store, sid)
    record = json.loads((folder / "sessions" / f"{sid}.json").read_text())
    marks = [e for e in record["events"] if e["type"] == "mark"]
    assert {e["kind"] for e in marks} >= set(MEMBER_KINDS)
    assert all("who" not in e for e in marks)
    assert links(record["events"], mark_card_ids(folder)) == []
    assert [m.who for m in review.marks] == [None] * len(review.marks)
    for use_names in (False, True):
        extra = ["--names"] if use_names else []
        args = ["--data-dir", str(folder), "review", "--last", *extra]
        for fmt in FORMATS:
            args += ["--export", fmt, str(tmp_path / f"r{use_names}.{fmt}")]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        for fmt in FORMATS:
            text = (tmp_path / f"r{use_names}.{fmt}").read_text()
            people = re.compile(r"\bM\d+\b|\bm\d+\b|" + "|".join(NAMES))
            for line in text.splitlines():
                for kind in MEMBER_KINDS:
                    if any(w in line for w in _words(kind)):
                        assert not people.search(line), (fmt, line)
            if fmt == "json":
                doc = json.loads(text)
                assert all(m["who"] is None for m in doc["marks"])
                card_ids = mark_card_ids()
                assert all(p["member"] is None for p in doc["prompts"] if p["id"] in card_ids)


@pytest.mark.parametrize("kind", MEMBER_KINDS)
def test_end_and_save_keeps_who_live_and_drops_it_when_filed(tmp_path, kind):
    with Store.open(tmp_path / "data") as store:
        group = launch.demo_group(store)
        member = group.active[1].id
        clock = ManualClock(0)
        present = [m.id for m in group.active]
        live = LiveSession.start(store, group, plan(), present, clock=clock,
                                 rules_factory=rules_factory(store))
        for at, etype, fields in [(5, "queue", {"who": present[0]}),
                                  (10, "case", {"who": present[0]}),
                                  (20, "speak", {"who": present[0]}),
                                  (60, "mark", {"kind": kind, "who": member})]:
            clock.set(at)
            live.tick()
            live.record(etype, **fields)
        journal = live.writer.path.read_text()
        # live: the card and a resumed session need the member
        assert f'"who":"{member}"' in journal.splitlines()[-2] + journal.splitlines()[-1]
        clock.set(70)
        live.tick()
        sid = live.finish()
        assert not live.writer.path.exists()
    for path in (tmp_path / "data").rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for chunk in re.findall(r"\{[^{}]*\}", text):
            if f'"{member}"' in chunk:
                assert '"mark"' not in chunk and kind not in chunk, (path, chunk)
    record = json.loads((tmp_path / "data" / "sessions" / f"{sid}.json").read_text())
    surfaced = [e for e in record["events"] if e["type"] == "prompt"]
    assert surfaced and all("who" not in e for e in surfaced)


def test_a_journal_set_aside_keeps_no_member_on_a_mark_once_its_session_is_filed(tmp_path):
    """A journal that does not replay is kept under a new name and what replays of it is
    filed: the kept copy loses the member on its marks, nothing else (its lines out of
    order are still there for a repair)."""
    from store_helpers import make_group, make_plan

    from balint_tui.domain import events as ev
    from balint_tui.store.errors import StoreError

    store = Store.open(tmp_path / "data")
    group = make_group()
    store.save_group(group)
    writer = store.begin_session(group, make_plan())
    sid = writer.header["session_id"]
    for event in [ev.Start(at=0, present=("m0", "m1", "m2")), ev.Queue(at=5, who="m1"),
                  ev.Case(at=10, who="m1"), ev.Speak(at=20, who="m1"),
                  ev.Mark(at=30, kind="presenter_distress", who="m1"),
                  ev.Speak(at=40, who="m2"), ev.Speak(at=60, who="m0")]:
        writer.append(event)
    writer.close()
    path = store.journal_path(sid)
    lines = path.read_text().splitlines()
    lines[-1], lines[-2] = lines[-2], lines[-1]  # out of order: does not replay
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(StoreError):
        LiveSession.resume(store, sid, clock=ManualClock(0))
    (aside,) = path.parent.glob(f"{path.name}.corrupt-*")
    kept = aside.read_text().splitlines()
    assert len(kept) == len(lines)
    for before, after in zip(lines, kept, strict=True):
        if '"mark"' in before:
            assert json.loads(after) == {k: v for k, v in json.loads(before).items()
                                         if k != "who"}
        else:
            assert after == before
    record = json.loads(store.session_path(sid).read_text())
    assert links(record["events"], mark_card_ids()) == []
    store.close()
