"""``topic`` (CONTRACT.md section 1): a segment with no presenter, phases discussion and
close, ending the case before it and counted as one of the planned cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from balint_tui.application.replay import replay_scenario
from balint_tui.domain.scenario import ScenarioError, load_scenario, parse_scenario, replay
from balint_tui.review.report import build_report, to_csv, to_markdown
from balint_tui.review.session import review_replay

TOPIC = Path(__file__).parent / "scenarios" / "residency_topic.json"


def test_topic_scenario_replays_with_a_topic_then_a_case():
    result = replay(load_scenario(TOPIC))
    state = result.state
    topic, case = state.cases
    assert topic.is_topic and topic.presenter is None and topic.started_at == 30
    assert [p for p, _ in topic.phases] == ["discussion", "close"]
    assert topic.ended_at == 1600  # the case ends the topic
    assert case.presenter == "Ben" and [p for p, _ in case.phases] == [
        "presentation", "questions", "discussion"]  # the topic at 2100 was undone
    # counted as one of the two planned cases: the first gets half of the session
    assert state.case_planned(topic) == (5400 - 30) / 2
    assert state.case_planned(case) == 5400 - 1600


def test_replay_cli_prints_the_topic_session(tmp_path):
    out = subprocess.run([sys.executable, "-m", "balint_tui", "replay", str(TOPIC), "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)["summary"]
    assert summary["members"]["Ana"]["turns"] == 5 and summary["duration_s"] == 5400


def test_cards_that_need_a_presenter_stay_quiet_in_a_topic():
    data = json.loads(TOPIC.read_text())
    data["events"] = [
        *data["events"][:4],
        {"at": 50, "type": "mark", "kind": "presenter_distress"},
        {"at": 60, "type": "speak", "who": "Ana"},
        {"at": 1600, "type": "end"},
    ]
    result = replay_scenario(parse_scenario(data))
    ids = [p["id"] for p in result.prompts]
    assert "salinsky.producing.distress" not in ids
    assert "salinsky.reflect-questions" not in ids
    assert "salinsky.listener" not in ids
    # quiet-member counts everyone in a topic (nobody is left out as the presenter)
    quiet = [p for p in result.prompts if p["id"] == "salinsky.producing.quiet-member"]
    assert quiet, ids


def test_the_same_mark_in_a_case_surfaces_the_distress_card():
    data = json.loads(TOPIC.read_text())
    data["events"] = [
        *data["events"][:2],
        {"at": 30, "type": "case", "who": "Ben"},
        {"at": 30, "type": "phase", "phase": "presentation"},
        {"at": 50, "type": "mark", "kind": "presenter_distress"},
        {"at": 600, "type": "end"},
    ]
    ids = [p["id"] for p in replay_scenario(parse_scenario(data)).prompts]
    assert "salinsky.producing.distress" in ids


@pytest.mark.parametrize(
    "event, message",
    [
        (
            {"at": 40, "type": "speak", "who": "Ana", "to_presenter": True},
            "a topic has no presenter to put a question to",
        ),
        (
            {"at": 40, "type": "phase", "phase": "presentation"},
            "a topic has the phases discussion and close, not presentation",
        ),
    ],
)
def test_what_a_topic_cannot_hold_is_one_line(event, message):
    data = json.loads(TOPIC.read_text())
    data["events"] = [*data["events"][:4], event]
    with pytest.raises(ScenarioError, match=f"event 4 \\({event['type']}\\): {message}"):
        replay(parse_scenario(data))


def test_a_topic_in_a_template_without_topics_is_refused():
    data = json.loads(TOPIC.read_text())
    data["plan"]["template"] = "classic"
    with pytest.raises(
        ScenarioError,
        match="event 2 \\(topic\\): the template 'classic' does not take topic sessions",
    ):
        replay(parse_scenario(data))


def test_review_and_exports_show_the_topic():
    review = review_replay(replay(load_scenario(TOPIC)))
    assert [c.is_topic for c in review.cases] == [True, False]
    report = build_report(review)
    md = to_markdown(report)
    assert "| 1 | topic | 0:30 |" in md
    assert "| 0:30 | case 1 topic |   |" in md
    assert "topic" not in to_csv(report).split("\n")[0]
