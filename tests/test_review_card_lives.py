"""The review's cards (``review/card_lives.py``): a card an undo took away and a redo
gave back is one card (issue 21, item 5); other leavings are what they were."""

from __future__ import annotations

from balint_tui.domain import events as ev
from balint_tui.review.card_lives import CardLives

CARD = "dornfest.economy-of-aggression"


def fold(events):
    lives = CardLives()
    for index, event in enumerate(events):
        lives.follow(event)
        if isinstance(event, ev.PromptAction):
            lives.action(event.id, event.action, event.at, event.who, index)
    return [(p.id, p.surfaced_at, p.outcome, p.closed_at) for p in lives.outcomes()]


def card(at, action, who=None, card_id=CARD):
    return ev.PromptAction(at=at, id=card_id, action=action, who=who)


def test_undo_then_redo_is_one_card_from_its_first_surfacing():
    events = [ev.Mark(at=5, kind="tension"), card(5, "surfaced"), ev.Undo(at=6),
              card(6, "resolved"), ev.Redo(at=8), card(8, "surfaced"), card(200, "expired")]
    assert fold(events) == [(CARD, 5.0, "expired", 200.0)]


def test_undo_without_redo_leaves_the_card_cleared_then():
    events = [ev.Mark(at=5, kind="tension"), card(5, "surfaced"), ev.Undo(at=6),
              card(6, "resolved"), ev.Speak(at=9, who="m1")]
    assert fold(events) == [(CARD, 5.0, "resolved", 6.0)]


def test_a_card_that_clears_at_a_later_tick_is_not_the_undos():
    """Ticks record only prompt actions: a card resolving 30 s after an undo left for
    its own reason, and a redo's card of the same id is a new one."""
    events = [card(5, "surfaced"), ev.Undo(at=6), card(36, "resolved"), ev.Redo(at=40),
              card(40, "surfaced")]
    assert fold(events) == [(CARD, 5.0, "resolved", 36.0), (CARD, 40.0, "open", None)]


def test_a_redo_brings_back_only_the_same_members_card():
    distress = "salinsky.producing.distress"
    events = [card(5, "surfaced", "m2", distress), ev.Undo(at=6),
              card(6, "resolved", "m2", distress), ev.Redo(at=7),
              card(7, "surfaced", "m3", distress)]
    assert fold(events) == [(distress, 5.0, "resolved", 6.0), (distress, 7.0, "open", None)]


def test_a_card_an_undo_brought_back_and_its_redo_took_away_is_the_first_life():
    """The mirror of the first test: the card cleared (its case ended), ``z`` brought it
    back (its cause held again), ``Z`` took it away again: one card, the first life's end."""
    events = [ev.Mark(at=6, kind="advice"), card(6, "surfaced"), ev.Case(at=8, who="m2"),
              card(8, "resolved"), ev.Undo(at=9), card(9, "surfaced"), ev.Redo(at=10),
              card(10, "resolved"), ev.Speak(at=30, who="m1")]
    assert fold(events) == [(CARD, 6.0, "resolved", 8.0)]


def test_a_card_an_undo_brought_back_for_good_is_a_second_life():
    events = [card(6, "surfaced"), ev.Case(at=8, who="m2"), card(8, "resolved"), ev.Undo(at=9),
              card(9, "surfaced"), card(100, "expired")]
    assert fold(events) == [(CARD, 6.0, "resolved", 8.0), (CARD, 9.0, "expired", 100.0)]


def test_a_card_an_undo_brought_back_leaves_at_a_later_tick_for_its_own_reason():
    events = [card(6, "surfaced"), ev.Case(at=8, who="m2"), card(8, "resolved"), ev.Undo(at=9),
              card(9, "surfaced"), ev.Redo(at=40), card(45, "resolved")]
    assert fold(events) == [(CARD, 6.0, "resolved", 8.0), (CARD, 9.0, "resolved", 45.0)]


def test_an_undo_brings_back_only_the_same_members_card():
    distress = "salinsky.producing.distress"
    events = [card(6, "surfaced", "m2", distress), card(8, "resolved", "m2", distress),
              ev.Undo(at=9), card(9, "surfaced", "m3", distress), ev.Redo(at=10),
              card(10, "resolved", "m3", distress)]
    assert fold(events) == [(distress, 6.0, "resolved", 8.0), (distress, 9.0, "resolved", 10.0)]


def test_the_reported_steps_make_one_card_in_the_review_its_counts_and_debrief():
    """``s``, ``2``, ``m a``, ``u 3``, ``s`` (the card clears: its case ended), ``z``
    (back), ``Z`` (gone again), through the engine: replay's prompt actions keep both
    surfacings; the review, its counts and the debrief one card."""
    from rules_helpers import at, rules_engine, run_until

    from balint_tui.domain.model import SessionPlan, builtin_templates
    from balint_tui.review.debrief import moments
    from balint_tui.review.session import review_events

    engine, clock, sink = rules_engine()
    members = list(engine.state.members)
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 2, ev.Case, who=members[0])
    at(engine, clock, 3, ev.Speak, who=members[1])
    at(engine, clock, 6, ev.Mark, kind="advice")
    advice = [c.id for c in engine.state.visible_cards]
    assert len(advice) == 1
    at(engine, clock, 7, ev.Queue, who=members[2])
    at(engine, clock, 8, ev.Case, who=members[2])
    assert engine.state.visible_cards == []
    at(engine, clock, 9, ev.Undo)
    assert [c.id for c in engine.state.visible_cards] == advice
    at(engine, clock, 10, ev.Redo)
    assert engine.state.visible_cards == []
    run_until(engine, clock, 20)
    actions = [(e.at, e.action) for e in sink.events if e.type == "prompt"]
    assert actions == [(6, "surfaced"), (8, "resolved"), (9, "surfaced"), (10, "resolved")]
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    review = review_events(plan, members, sink.events)
    assert [(p.id, p.surfaced_at, p.outcome, p.closed_at) for p in review.prompts] == [
        (advice[0], 6.0, "resolved", 8.0)]
    assert review.prompt_counts()["surfaced"] == 1
    assert [m.at for m in moments(review) if m.kind == "prompt"] == [6.0]


def test_z_z_Z_Z_over_a_card_brought_back_is_still_the_first_life():
    events = [card(6, "surfaced"), ev.Case(at=8, who="m2"), card(8, "resolved"),
              ev.Undo(at=9), card(9, "surfaced"), ev.Undo(at=10), card(10, "resolved"),
              ev.Redo(at=11), card(11, "surfaced"), ev.Redo(at=12), card(12, "resolved")]
    assert fold(events) == [(CARD, 6.0, "resolved", 8.0)]
