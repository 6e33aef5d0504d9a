"""Card texts are in the project's own words: no card text shares 8 consecutive words
with any seed file (case and punctuation ignored).

The seeds are the source documents beside the repository, in ``../shared/seeds``
(CI has them next to the clone). ``BALINT_SEEDS_DIR`` points elsewhere (a git
worktree kept away from the clone). Without them this test fails: it never skips.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from balint_tui.store.card_files import load_card_dir, packaged_dir

RUN = 8
REPO = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path:
    override = os.environ.get("BALINT_SEEDS_DIR")
    return Path(override) if override else REPO.parent / "shared" / "seeds"


def words(text: str) -> list[str]:
    """Lower case, apostrophes dropped (don't = dont), every other mark a break."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def card_texts():
    for card in load_card_dir(packaged_dir()).values():
        yield card.id, "title", card.title
        yield card.id, "line", card.line
        if card.member_line:
            yield card.id, "member_line", card.member_line
        yield card.id, "explanation", card.explanation
        for i, example in enumerate(card.examples):
            yield card.id, f"examples[{i}]", example


@pytest.fixture(scope="module")
def seed_runs() -> set[tuple[str, ...]]:
    folder = seeds_dir()
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        pytest.fail(f"the seed files are missing: expected them in {folder} (../shared/seeds "
                    "beside the repository, or set BALINT_SEEDS_DIR)")
    out: set[tuple[str, ...]] = set()
    for path in files:
        out |= runs(path.read_text(encoding="utf-8", errors="replace"))
    return out


def test_no_card_text_copies_eight_consecutive_words_of_a_seed(seed_runs):
    copied = [
        f"{card_id} {field}: '{' '.join(sorted(runs(text) & seed_runs)[0])}'"
        for card_id, field, text in card_texts()
        if runs(text) & seed_runs
    ]
    assert not copied, "copied from a seed: " + "; ".join(copied)


def test_the_check_finds_a_copied_sentence(seed_runs):
    """The check works: a sentence of seed 001 is found (with its case and commas
    changed)."""
    copied = "MAKING space, for quiet people to have their say (picking up what they say)"
    assert runs(copied) & seed_runs
