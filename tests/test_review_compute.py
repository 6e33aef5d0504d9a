"""Review computations against hand-worked scenarios (tests/review/*.json).

The figures below were worked out by hand from the event lists, not by running the code:
see the comments next to each one.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from review_helpers import SIXTY, replayed

from balint_tui.domain import events as ev
from balint_tui.domain.model import SessionPlan, builtin_templates
from balint_tui.review.abs_items import (
    RatingError,
    check_rating,
    overall_mean,
    rating_form,
    section_means,
)
from balint_tui.review.session import review_events, review_replay
from balint_tui.review.textcharts import clock, hbar, sparkline, timeline
from balint_tui.review.trends import trend_point, trends


@pytest.fixture(scope="module")
def hand():
    return review_replay(replayed())


def test_participation_by_hand(hand):
    # Ana 300-320, 500-620, 720-900; Ben 31-200, 210-300, 320-340, 660-720;
    # Chloe 380-440, 900-960; Dev 440-500, 960-1000; Eli absent; Fay present, silent;
    # leader 200-210, 1000-1020; coleader 630-660.
    got = {p.who: (p.airtime, p.turns) for p in hand.participation}
    assert got == {
        "Ana": (320.0, 3), "Ben": (339.0, 4), "Chloe": (120.0, 2), "Dev": (100.0, 2),
        "Eli": (0.0, 0), "Fay": (0.0, 0), "leader": (30.0, 2), "coleader": (30.0, 1),
    }
    # roster order, then the leaders: never sorted by airtime
    assert [p.who for p in hand.participation] == [
        "Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "leader", "coleader"]
    assert hand.never_spoke == ["Fay"]
    assert hand.absent == ["Eli"]
    assert hand.participation_of("Ben").first_spoke_at == 31.0


def test_figures_by_hand(hand):
    assert hand.total_airtime == pytest.approx(939.0)
    assert hand.leader_share == pytest.approx(60 / 939)
    # balance over the five present members: 320, 339, 120, 100, 0
    shares = [a / 879 for a in (320, 339, 120, 100)]
    expected = -sum(p * math.log(p) for p in shares) / math.log(5)
    assert hand.balance == pytest.approx(expected)
    assert hand.balance == pytest.approx(0.7794, abs=1e-4)
    # Chloe at 380 and Dev at 440 (case 1), Dev at 960 (case 2); Ana at 300 is in questions
    assert hand.questions_to_presenter == 3
    assert hand.duration == 1050.0
    assert hand.extended_by_min == 5


def test_silences_by_hand(hand):
    # 340 -> 380 (the phase change at 370 does not end it), 620 -> 630, 1020 -> 1050 (end)
    assert [(s.start, s.length, s.case, s.phase) for s in hand.silences] == [
        (340.0, 40.0, 1, "questions"), (620.0, 10.0, 1, "discussion"),
        (1020.0, 30.0, 2, "discussion"),
    ]
    assert [s.start for s in hand.long_silences] == [340.0, 1020.0]
    assert hand.longest_silence == 40.0


def test_cases_against_plan_by_hand(hand):
    one, two = hand.cases
    # case 1 starts at 30 with 1800 s planned and 2 cases: (1800 - 30) / 2 = 885
    assert (one.presenter, one.start, one.end, one.planned) == ("Ben", 30.0, 720.0, 885.0)
    assert one.over == pytest.approx(690 - 885)
    assert [(p.phase, p.length) for p in one.phases] == [
        ("presentation", 270.0), ("questions", 70.0), ("discussion", 290.0), ("return", 60.0)]
    assert one.questions_to_presenter == 2 and one.marks == 1
    # case 2 is the last: everything left, after the 5-minute extension at 900: 2100 - 720
    assert (two.presenter, two.length, two.planned) == ("Ana", 330.0, 1380.0)
    assert two.questions_to_presenter == 1


def test_transitions_by_hand(hand):
    # Ben L Ben Ana Ben | Chloe Dev Ana | C Ben || Ana Chloe Dev L  (silences and the
    # case change do not reset "who spoke last")
    assert hand.transitions == {
        ("Ben", "leader"): 1, ("leader", "Ben"): 1, ("Ben", "Ana"): 2, ("Ana", "Ben"): 1,
        ("Ben", "Chloe"): 1, ("Chloe", "Dev"): 2, ("Dev", "Ana"): 1, ("Ana", "coleader"): 1,
        ("coleader", "Ben"): 1, ("Ana", "Chloe"): 1, ("Dev", "leader"): 1,
    }
    assert sum(hand.transitions.values()) == len(hand.turns) - 1 == 13


def test_turns_and_marks(hand):
    assert [(t.who, t.start, t.end) for t in hand.turns[:3]] == [
        ("Ben", 31.0, 200.0), ("leader", 200.0, 210.0), ("Ben", 210.0, 300.0)]
    assert sum(t.length for t in hand.turns) == pytest.approx(939.0)
    q = [t for t in hand.turns if t.to_presenter]
    assert [(t.who, t.phase) for t in q] == [
        ("Ana", "questions"), ("Chloe", "discussion"), ("Dev", "discussion"),
        ("Dev", "discussion")]
    assert [(m.kind, m.at, m.case) for m in hand.marks] == [
        ("advice", 500.0, 1), ("off_task", 1000.0, 2)]


def test_prompt_outcomes_paired():
    result = replayed()
    prompts = [
        ev.PromptAction(at=200, id="salinsky.listener", action="surfaced"),
        ev.PromptAction(at=215, id="salinsky.listener", action="acted"),
        ev.PromptAction(at=360, id="salinsky.tolerate-silence", action="surfaced"),
        ev.PromptAction(at=365, id="salinsky.tolerate-silence", action="dismissed"),
        ev.PromptAction(at=500, id="salinsky.speculation", action="surfaced"),
        ev.PromptAction(at=680, id="salinsky.speculation", action="expired"),
        ev.PromptAction(at=1000, id="salinsky.focus", action="surfaced"),
    ]
    events = sorted([*result.events, *prompts], key=lambda e: e.at)  # stable
    state = result.state
    review = review_events(state.plan, state.members, events)
    assert [(p.id, p.surfaced_at, p.outcome, p.closed_at) for p in review.prompts] == [
        ("salinsky.listener", 200.0, "acted", 215.0),
        ("salinsky.tolerate-silence", 360.0, "dismissed", 365.0),
        ("salinsky.speculation", 500.0, "expired", 680.0),
        ("salinsky.focus", 1000.0, "open", None),
    ]
    assert review.prompt_counts() == {
        "surfaced": 4, "acted": 1, "dismissed": 1, "expired": 1, "resolved": 0,
        "replaced": 0, "open": 1}


def test_session_without_end_closes_at_last_event():
    plan = SessionPlan(duration_min=30, template=builtin_templates()["classic"])
    events = [
        ev.Start(at=0), ev.Case(at=10, who="A"), ev.Speak(at=10, who="A"),
        ev.Silence(at=40), ev.Speak(at=70, who="B"), ev.Mark(at=95, kind="stuck"),
    ]
    review = review_events(plan, ["A", "B"], events)
    assert review.duration == 95.0
    assert [(t.who, t.start, t.end) for t in review.turns] == [("A", 10, 40), ("B", 70, 95)]
    assert review.cases[0].end == 95.0
    assert [s.length for s in review.silences] == [30.0]


def test_sixty_minute_scenario_adds_up():
    review = review_replay(replayed(SIXTY))
    assert review.duration == 3600.0
    assert sum(p.airtime for p in review.participation) == pytest.approx(review.total_airtime)
    assert sum(t.length for t in review.turns) == pytest.approx(review.total_airtime)
    spoken = sum(t.length for t in review.turns) + sum(s.length for s in review.silences)
    assert spoken <= review.duration
    assert len(review.cases) == 2
    assert review.absent == ["Gus"]


def test_timeline_rows(hand):
    rows = {r.key: r.cells for r in timeline(hand, 70)}  # 15 s per column
    assert all(len(cells) == 70 for cells in rows.values())
    assert rows["case"][:2] == "··" and rows["case"][2] == "1"  # case 1 at 30 s: column 2
    assert rows["case"][48] == "2"  # case 2 at 720 s: column 48
    assert rows["phase"][20:23] == "QQQ"  # questions 300-370: columns 20-24
    # silences of 20 s or more: 340-380 (columns 22-25) and 1020-1050 (68-69)
    assert rows["silence"].strip() == "████  ██".replace("  ", " " * (68 - 26))
    assert rows["marks"][33] == "!" and rows["marks"][66] == "!"  # 500 s, 1000 s
    assert rows["leaders"][13] == "▆"  # 200-210 s
    assert rows["axis"].startswith("0   1")


def test_text_charts():
    assert clock(0) == "0:00" and clock(75.4) == "1:15" and clock(3600) == "60:00"
    assert clock(-65) == "-1:05" and clock(None) == "-"
    assert hbar(10, 10, 4) == "████" and hbar(5, 10, 4) == "██" and hbar(0, 10, 4) == ""
    assert hbar(1, 8, 1) == "▏"
    assert sparkline([0, 0.5, None, 1], 1.0) == "▁▅·█"


def test_rating_items_follow_the_form():
    form = rating_form()
    assert [s.id for s in form.sections] == ["model", "safety", "process"]
    assert [len(s.items) for s in form.sections] == [7, 6, 7]
    assert len(set(form.item_ids)) == 20
    assert all(len(i.label) <= 60 for i in form.items)


def test_rating_values_are_numbers_only():
    assert check_rating({"model.roles": 4, "safety.trust": None}) == {
        "model.roles": 4, "safety.trust": None}
    for bad in ({"model.roles": 6}, {"model.roles": 0}, {"model.roles": "4"},
                {"model.roles": True}, {"model.roles": 2.5}, {"comment": 3}):
        with pytest.raises(RatingError):
            check_rating(bad)
    values = {"model.roles": 4, "model.uncertainty": 2, "safety.trust": None}
    assert section_means(values) == {"model": 3.0, "safety": None, "process": None}
    assert overall_mean(values) == 3.0
    assert overall_mean({}) is None


def test_trend_points(hand):
    hand.started_wall = "2026-01-06T18:00:00.000Z"
    hand.ratings = {"model.roles": 5, "safety.trust": 3, "process.moods": None}
    point = trend_point(hand)
    assert point.date == "2026-01-06"
    assert (point.long_silences, point.present, point.roster) == (2, 5, 6)
    assert point.attendance == pytest.approx(5 / 6)
    assert point.rating == 4.0
    assert point.rating_sections == {"model": 5.0, "safety": 3.0, "process": None}
    assert len(trends([hand, hand])) == 2
    hand.ratings = {}


def test_review_maths_never_import_textual():
    code = (
        "import sys\n"
        "import balint_tui.review.session, balint_tui.review.report, balint_tui.review.load\n"
        "import balint_tui.audit.audit, balint_tui.review.trends\n"
        "import balint_tui.commands.review, balint_tui.commands.audit, balint_tui.commands.delete\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual',)]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_session_with_nothing_in_it_still_reports():
    from balint_tui.review.report import RENDERERS, build_report

    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    review = review_events(plan, ["A", "B"], [ev.Start(at=0), ev.End(at=0)])
    assert (review.duration, review.balance, review.leader_share) == (0.0, 0.0, 0.0)
    assert review.never_spoke == ["A", "B"] and review.turns == [] and review.cases == []
    report = build_report(review, [trend_point(review)])
    for render in RENDERERS.values():
        assert render(report)
    assert [r.cells.strip("·") for r in timeline(review, 20)][1] == ""
