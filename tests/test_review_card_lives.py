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
