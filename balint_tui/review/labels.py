"""How a report names people: pseudonyms (M1, M2, ... in roster order) or names.

Pseudonyms are stable within one report: the n-th member of the session's roster
snapshot is ``Mn`` wherever they appear. ``leader`` and ``coleader`` are roles, not
people, and keep those words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from balint_tui.domain.names import safe_display
from balint_tui.domain.vocabulary import LEADERS


class Labels:
    def __init__(self, members: list[str], names: dict[str, str], use_names: bool) -> None:
        self.use_names = use_names
        self._labels: dict[str, str] = {}
        for index, key in enumerate(members, start=1):
            self._labels[key] = safe_display(names.get(key, key)) if use_names else f"M{index}"

    def __call__(self, key: str | None) -> str:
        if key is None:
            return ""
        if key in LEADERS:
            return key
        label = self._labels.get(key)
        if label is None:
            # not in this roster (a member of a later roster): never leak the key as text
            label = self._labels[key] = (
                safe_display(key) if self.use_names else f"M{len(self._labels) + 1}"
            )
        return label


# ------------------------------------------------------------------ plain words
# One place for the words a review shows for the vocabularies it stores: marks (the
# live screen's labels), what became of a prompt card, card titles (from the card
# library). Exports keep the ids in CSV and JSON; screens and reports show these.
OUTCOME_WORDS: dict[str, str] = {
    "acted": "acted on",
    "dismissed": "dismissed",
    "expired": "left after its time",
    "open": "still showing at the end",
    "session_end": "still showing at the end",
    "resolved": "cleared when its cause ended",
    "replaced": "gave way to a more urgent card",
}


def mark_words(kind: str) -> str:
    """``back_on_task`` -> ``back on task`` (the live screen's mark labels)."""
    from balint_tui.domain.vocabulary import MARK_LABELS

    return MARK_LABELS.get(kind, kind.replace("_", " "))


def outcome_words(outcome: str, shown_s: float | None = None) -> str:
    """What became of a card; one that expired says after how long (``shown_s``),
    "left after 3 minutes", when that is known."""
    if outcome == "expired" and shown_s is not None and shown_s >= 0:
        if shown_s < 90:
            return f"left after {round(shown_s)} s"
        return f"left after {round(shown_s / 60)} minutes"
    return OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))


def shown_for(outcome: object) -> float | None:
    """How long a ``PromptOutcome`` was on screen (None while it was still showing)."""
    closed = getattr(outcome, "closed_at", None)
    return None if closed is None else closed - getattr(outcome, "surfaced_at", closed)


def card_titles(card_ids: Iterable[str], data_dir: Path | str | None = None) -> dict[str, str]:
    """Titles of ``card_ids`` from the card library (the data folder's own cards too);
    a card no longer in the library keeps its id."""
    from balint_tui.store.card_files import load_cards, packaged_cards, user_cards_dir

    wanted = set(card_ids)
    try:
        cards = load_cards(user_cards_dir(data_dir)) if data_dir is not None else packaged_cards()
    except Exception:
        cards = packaged_cards()
    return {cid: safe_display(cards[cid].title) if cid in cards else cid for cid in wanted}


def card_title(card_id: str, titles: Mapping[str, str] | None = None) -> str:
    if titles and card_id in titles:
        return titles[card_id]
    return card_titles([card_id]).get(card_id, card_id)
