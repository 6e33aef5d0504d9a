"""The cards a review lists: each card from when it surfaced to what became of it.

A card that an ``undo`` took away (it left ``resolved`` with the event the undo
withdrew) and a ``redo`` brought back (it surfaced again with the event given back) is
one card: the slip and its correction are not the card's life. A card an undo took
away for good cleared then (``resolved``). The mirror case too: a card that had cleared,
brought back by an undo (its cause held again without the event withdrawn) and taken
away again by the redo that cancels that undo, is the first life alone, with its end.
"""

from __future__ import annotations

from dataclasses import dataclass

from balint_tui.domain import events as ev

# a card on screen: (surfaced at, the member it is about, position of its surfacing)
Entry = tuple[float, str | None, int]


@dataclass(frozen=True)
class PromptOutcome:
    """A card that surfaced and what became of it: acted, dismissed, expired, resolved
    (what brought it stopped being true), replaced (a higher-priority card took its
    place) or open (still on screen when the session ended)."""

    id: str
    surfaced_at: float
    outcome: str
    closed_at: float | None
    who: str | None = None
    index: int | None = None


class CardLives:
    """Follows the prompt actions of one fold, in order (``follow`` every event)."""

    def __init__(self) -> None:
        self.closed: list[PromptOutcome] = []
        self.open: dict[str, Entry] = {}
        # the correction (undo, redo) the prompt actions being folded answer, if any,
        # and its time (the engine answers it at once: within the second)
        self.correcting: type[ev.AnyEvent] | None = None
        self.corrected_at = 0.0
        # a card an undo took away, until a redo brings it back: (left at, its entry)
        self.taken_back: dict[str, tuple[float, Entry]] = {}
        # the member of each card's latest life that closed; an undo that brings such a
        # card back: the cards on screen only until the redo (no life of their own)
        self.last_closed: dict[str, str | None] = {}
        self.brought_back: set[str] = set()

    def follow(self, event: ev.AnyEvent) -> None:
        """Before ``event`` is folded: the engine's answers to a correction come
        right after it."""
        if not isinstance(event, ev.PromptAction):
            self.correcting = type(event) if isinstance(event, (ev.Undo, ev.Redo)) else None
            self.corrected_at = event.at

    def _answers(self, correction: type[ev.AnyEvent], at: float) -> bool:
        return self.correcting is correction and at - self.corrected_at < 1.0

    def action(self, card: str, action: str, at: float, who: str | None, index: int) -> None:
        if action == "surfaced":
            self._surfaced(card, at, who, index)
        elif card in self.open:
            self._left(card, action, at)

    def _surfaced(self, card: str, at: float, who: str | None, index: int) -> None:
        back = self.taken_back.pop(card, None)
        if back is not None and self._answers(ev.Redo, at) and back[1][1] == who:
            self.open[card] = back[1]  # the same card, given back by the redo
            return
        if back is not None:
            self._close(card, back[1], "resolved", back[0])
        if card not in self.open:
            self.open[card] = (at, who, index)
            self.brought_back.discard(card)
            if self._answers(ev.Undo, at) and card in self.last_closed \
                    and self.last_closed[card] == who:
                self.brought_back.add(card)  # back while the undo stands

    def _left(self, card: str, action: str, at: float) -> None:
        if card in self.brought_back and action == "resolved" and self._answers(ev.Redo, at):
            self.brought_back.discard(card)
            del self.open[card]  # the redo undid the undo: the first life stands
        elif action == "resolved" and self._answers(ev.Undo, at):
            self.taken_back[card] = (at, self.open.pop(card))  # (brought back or not)
        else:
            self.brought_back.discard(card)
            self._close(card, self.open.pop(card), action, at)

    def _close(self, card: str, entry: Entry, action: str, at: float) -> None:
        surfaced, about, index = entry
        self.last_closed[card] = about
        if action == "session_end":  # on screen when the session ended
            self.closed.append(PromptOutcome(card, surfaced, "open", None, about, index))
        else:
            self.closed.append(PromptOutcome(card, surfaced, action, at, about, index))

    def outcomes(self) -> list[PromptOutcome]:
        """Every card that surfaced, in time order; those still up at the end ``open``."""
        prompts = list(self.closed)
        for card, (at, entry) in self.taken_back.items():
            surfaced, about, index = entry
            prompts.append(PromptOutcome(card, surfaced, "resolved", at, about, index))
        for card_id, (at, who, at_index) in self.open.items():
            prompts.append(PromptOutcome(card_id, at, "open", None, who, at_index))
        prompts.sort(key=lambda p: (p.surfaced_at, p.id))
        return prompts


__all__ = ["CardLives", "PromptOutcome"]
