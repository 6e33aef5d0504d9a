"""How a report names people: pseudonyms (M1, M2, ... drawn at random) or names.

Pseudonyms are stable within one report: a member is the same ``Mn`` wherever they
appear in it. The numbers are a fresh random draw for each export (``random.SystemRandom``
unless a test hands in its own ``rng``), so two exports of one session number the members
differently and neither follows the roster's order: a reader who knows the roster cannot
read a number back to a person (ground rule 2: group material is not for evaluating
members). ``leader`` and ``coleader`` are roles, not people, and keep those words.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from balint_tui.domain.names import safe_display
from balint_tui.domain.vocabulary import LEADERS

T = TypeVar("T")


def new_rng() -> random.Random:
    """The draw of one export's pseudonyms: the operating system's randomness."""
    return random.SystemRandom()


class Labels:
    def __init__(self, members: list[str], names: dict[str, str], use_names: bool,
                 rng: random.Random | None = None) -> None:
        self.use_names = use_names
        self._labels: dict[str, str] = {}
        numbers = list(range(1, len(members) + 1))
        if not use_names:
            (rng or new_rng()).shuffle(numbers)
        for key, number in zip(members, numbers, strict=True):
            self._labels[key] = safe_display(names.get(key, key)) if use_names else f"M{number}"

    def __call__(self, key: str | None) -> str:
        if key is None:
            return ""
        if key in LEADERS:
            return key
        label = self._labels.get(key)
        if label is None:
            # not in this roster (a member of a later roster): never leak the key as text;
            # numbered after the roster's, in the order the export meets them
            label = self._labels[key] = (
                safe_display(key) if self.use_names else f"M{len(self._labels) + 1}"
            )
        return label

    def sort_key(self, key: str) -> tuple[int, str]:
        """Pseudonym order (M1, M2, ...; leaders after): what a list of members is sorted
        by in a pseudonymised export, so that no list shows the roster's order."""
        if key in LEADERS:
            return (1 << 30, key)
        label = self(key)
        return (int(label[1:]), "") if label[1:].isdigit() else (1 << 29, label)

    def ordered(self, keys: Iterable[str]) -> list[str]:
        """``keys`` in pseudonym order; as they are (roster order) with names."""
        return list(keys) if self.use_names else sorted(keys, key=self.sort_key)

    def reorder(self, review: T) -> T:
        """The session review with every list of members in pseudonym order (none in the
        roster's, which would give the numbers away); unchanged with names."""
        if self.use_names:
            return review
        from dataclasses import replace

        data: Any = review
        changes: dict[str, Any] = {
            "members": self.ordered(data.members),
            "participation": sorted(data.participation, key=lambda p: self.sort_key(p.who)),
            "never_spoke": self.ordered(data.never_spoke),
            "absent": self.ordered(data.absent),
        }
        if data.age is not None:
            changes["age"] = replace(data.age, joined=tuple(self.ordered(data.age.joined)),
                                     left=tuple(self.ordered(data.age.left)))
        result: T = replace(data, **changes)
        return result


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
