"""Reports in plain words: card titles not ids, marks in words, every timeline symbol
explained, questions to the presenter by phase, the planned end as it really moved;
ids stay in the CSV. Also Johnson's five skills and the group's age beside the figures."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from review_helpers import HAND, OVERRUN, replayed, save_scenario, save_with_prompts

from balint_tui.cli import cli
from balint_tui.review.johnson import longest_question_run, silence_breakers, skills
from balint_tui.review.load import load_review
from balint_tui.review.plain import extension_words, questions_words, timeline_legend
from balint_tui.review.report import build_report, to_csv, to_markdown
from balint_tui.review.session import review_replay
from balint_tui.review.textcharts import timeline
from balint_tui.store.store import Store
from balint_tui.ui.review.charts import FiguresPanel, PromptsPanel, SkillsPanel, TimelineChart


@pytest.fixture
def store(store):
    save_with_prompts(store, session_id="sprompt1")  # HAND with three cards
    save_with_prompts(store, path=OVERRUN, extra=[], session_id="sover001", day=1)
    return store


def test_markdown_says_titles_and_words_not_ids(store):
    md = to_markdown(build_report(load_review(store, "sprompt1")))
    assert "Model listening" in md and "Invite speculation" in md and "Hold back" in md
    for card_id in ("salinsky.listener", "salinsky.speculation", "dornfest.hold-back"):
        assert card_id not in md
    assert "advice-giving" in md and "off task" in md
    assert "off_task" not in md and "back_on_task" not in md
    assert "acted on" in md and "still showing at the end" in md
    # the CSV keeps the ids
    rows = list(csv.DictReader(io.StringIO(to_csv(build_report(load_review(store, "sprompt1"))))))
    assert {r["mark"] for r in rows if r["kind"] == "mark"} == {"advice", "off_task"}


def test_questions_to_the_presenter_say_which_phase(store):
    """Three questions in the questions phase: the figure counted 0 (discussion only,
    by design: that is where they turn into cross-examination); it now says so and
    gives the other phases."""
    review = load_review(store, "sover001")
    assert review.questions_to_presenter == 0
    assert review.questions_by_phase == {"questions": 3}
    assert questions_words(review) == "0 in discussion, 3 in questions"
    md = to_markdown(build_report(review))
    assert "| questions to the presenter, by phase | 0 in discussion, 3 in questions |" in md
    assert "0 in discussion, 3 in questions" in "\n".join(
        str(c) for c in FiguresPanel(review).lines(80))


def test_the_planned_end_as_it_moved_counting_presses_that_took_effect(store):
    # +5, -5, -240 (the end cannot go before now: it moves to now), -5 (changes nothing)
    review = load_review(store, "sover001")
    assert review.extended_by_min == -245
    assert review.extend_presses == 3
    assert review.planned_end == 1100.0
    assert extension_words(review) == "planned 20:00, moved to 18:20 (3 presses)"
    md = to_markdown(build_report(review))
    assert "; planned end: planned 20:00, moved to 18:20 (3 presses)" in md
    assert "extended by minutes" not in md and "-245" not in md
    hand = review_replay(replayed(HAND))
    assert extension_words(hand) == "planned 30:00, moved to 35:00 (1 press)"


def test_the_timeline_legend_explains_every_symbol(store):
    review = load_review(store, "sprompt1")
    legend = " ".join(timeline_legend(review))
    drawn = set("".join(row.cells for row in timeline(review, 64) if row.key != "axis"))
    explained = {ch for ch in drawn if ch in legend or ch == " "}
    assert drawn - explained <= set("0123456789")  # case numbers: "1, 2, …"
    for words in ("P presentation", "D discussion", "R return", "▆ leader or coleader",
                  "█ 20 s or more", "! a mark", "A acted on", "D dismissed",
                  "O still showing at the end", "· between cases"):
        assert words in legend
    text = "\n".join(str(line) for line in TimelineChart(review).lines(80))
    assert "A acted on" in text
    prompts = "\n".join(str(line) for line in PromptsPanel(review).lines(80))
    assert "Hold back: still showing at the end (Eli)" in prompts
    assert "dornfest.hold-back" not in prompts


def test_johnsons_skills_beside_the_session(store):
    store.save_rating("sover001", {"safety.protected-presenter": 4, "safety.all-speak": 2,
                                   "safety.trust": 5})
    review = load_review(store, "sover001")
    rows = skills(review)
    assert [r.skill for r in rows] == [
        "Creates a climate of safety, acceptance and trust",
        "Establishes and maintains group norms", "Promotes movement toward the group's task",
        "Understands group process", "Personality and style of the leader"]
    safety, norms = rows[0], rows[1]
    assert "Keeping the group safe: 3.7" in safety.rated  # (4 + 2 + 5) / 3
    assert "I shielded presenter and members from interrogation: 4" in safety.rated
    assert "I made room for everyone to speak: 2" in norms.rated
    assert "present but never spoke (had no turn): 2 of 6" in norms.context
    assert "cases past their planned share: 2 of 2" in norms.context
    # nothing names or scores a member
    names = set(review.names.values())
    for row in rows:
        for text in row.rated + row.context:
            assert not any(name in text for name in names), text


def test_skills_say_context_not_measures(store):
    """Safety shows the presenter's form, not a count of the presenter's distress;
    norms the opportunity to speak, not balance; group process is said to be not
    directly observable; style who broke each silence, not how many there were."""
    review = load_review(store, "sover001")
    safety, norms, _, process, style = skills(review)
    text = " ".join(safety.context + norms.context + style.context)
    assert "distress" not in text and "balance" not in text
    assert "Presenter's form: not rated" in safety.rated
    assert "Keeping the group safe: not rated" in safety.rated  # one wording, not "-"
    assert not any(t.endswith(": -") for row in skills(review) for t in row.rated)
    assert process.context[0].startswith("not directly observable (Johnson et al.)")
    assert not any(t.startswith("silences of") for t in style.context)
    store.save_form_rating("sover001", "presenter", {"presenter.protected": 4,
                                                     "presenter.hope": 2})
    store.save_rater("sover001", "presenter", "leader")
    safety = skills(load_review(store, "sover001"))[0]
    assert "Presenter's form, imagined by the leader: 3.0" in safety.rated
    assert "I felt safe and backed up by the leader: 4" in safety.rated
    md = to_markdown(build_report(load_review(store, "sover001")))
    assert "| skill | rated | context (not a measure) |" in md
    assert "figures are context, not measures of the skill" in md
    panel = "\n".join(str(c) for c in SkillsPanel(review).lines(80))
    assert "  context not directly observable" in panel
    assert "…" not in panel  # long lines wrap, never cut


def test_who_broke_each_silence_is_heard_from_the_fold():
    """HAND: the silence at 340 s ends with the discussion's first turn (Chloe, 380),
    the one at 620 s with the coleader (630), the one at 1020 s with the end."""
    review = review_replay(replayed(HAND))
    assert [(s.start, s.broken_by) for s in review.silences] == [
        (340, "Chloe"), (620, "coleader"), (1020, None)]
    assert silence_breakers(review) == (1, 1, 1)
    style = skills(review)[4]
    assert ("who broke each silence: leader or coleader 1, a member 1; ended by a case or "
            "the end 1") in style.context


def test_a_silence_ended_by_a_case_was_broken_by_nobody():
    from store_helpers import make_plan

    from balint_tui.domain import events as ev
    from balint_tui.review.session import review_events

    events = [ev.Start(at=0), ev.Case(at=1, who="a"), ev.Silence(at=10),
              ev.Silence(at=15), ev.Case(at=40, who="b"), ev.Speak(at=41, who="leader"),
              ev.Silence(at=50), ev.Speak(at=70, who="leader"), ev.Silence(at=80),
              ev.Leave(at=85, who="a"), ev.Speak(at=90, who="b"), ev.End(at=100)]
    review = review_events(make_plan(), ["a", "b"], events)
    assert [(s.start, s.broken_by) for s in review.silences] == [
        (10, None), (50, "leader"), (80, "b")]


def test_question_runs_count_the_discussion_only():
    review = review_replay(replayed(HAND))
    # HAND: Chloe and Dev put questions in a row in the discussion of case 1
    assert longest_question_run(review) == 2


def test_group_age_in_the_review(store, tmp_path):
    review = load_review(store, "sover001")
    assert review.age is not None and review.age.sessions == 2
    text = "\n".join(str(c) for c in FiguresPanel(review).lines(80))
    assert "2 sessions in under a month" in text
    md = to_markdown(build_report(review))
    assert "the group had met 2 sessions in under a month; turnover in the last 2" in md


def test_cli_markdown_export_in_plain_words(store, tmp_path):
    store.close()
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "review",
                                      "sprompt1", "--export", "md", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Model listening" in text and "salinsky.listener" not in text
    Store.open(tmp_path / "data").close()


def test_save_scenario_helper_still_plain(tmp_path):
    with Store.open(tmp_path / "d") as store:
        sid = save_scenario(store, HAND)
        assert load_review(store, sid).prompts == []


def test_counts_of_one_are_singular():
    from balint_tui.review.plain import counted

    assert [counted(n, "session") for n in (0, 1, 2)] == ["0 sessions", "1 session",
                                                          "2 sessions"]
    assert counted(1, "press", "presses") == "1 press" and counted(3, "press", "presses") == (
        "3 presses")


def test_the_svg_participation_says_one_turn(store):
    from balint_tui.review.svgcharts import participation_svg

    review = load_review(store, "sover001")
    ones = [p for p in review.participation if p.present and p.turns == 1]
    assert ones, "the scenario has a speaker with one turn"
    svg = participation_svg(review, lambda m: m)
    assert "  1 turn<" in svg or " 1 turn<" in svg.replace("&#160;", " ")
    assert " 1 turns" not in svg
