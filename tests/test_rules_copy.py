"""Card texts are in the project's own words: no card text shares 8 consecutive words
with any seed file (case and punctuation ignored).

The seeds are the source documents beside the repository (``../shared/seeds``), not in
it: the test reads the committed fingerprint of their 8-word runs
(``tests/rules_copy/seed_runs_fingerprint.txt``, built by ``tests/copy_fingerprint.py``), so a
clone alone runs it. Where the seeds are present (CI has them next to the clone;
``BALINT_SEEDS_DIR`` points elsewhere), the fingerprint is checked against them.
"""

from __future__ import annotations

import pytest
from copy_fingerprint import committed, from_seeds, hashes, runs, seed_files, seeds_dir

from balint_tui.store.card_files import load_card_dir, packaged_dir


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
def seed_hashes() -> set[str]:
    found = committed()
    assert len(found) > 15000  # every seed's runs, not a stub
    return found


def copied_runs(text: str, seed: set[str]) -> list[str]:
    from copy_fingerprint import digest

    return [" ".join(r) for r in sorted(runs(text)) if digest(r) in seed]


def test_no_card_text_copies_eight_consecutive_words_of_a_seed(seed_hashes):
    copied = [
        f"{card_id} {field}: '{copied_runs(text, seed_hashes)[0]}'"
        for card_id, field, text in card_texts()
        if hashes(text) & seed_hashes
    ]
    assert not copied, "copied from a seed: " + "; ".join(copied)


def test_the_check_finds_a_copied_sentence(seed_hashes):
    """The check works: a sentence of seed 001 is found (with its case and commas
    changed), and one of the project's own is not."""
    copied = "MAKING space, for quiet people to have their say (picking up what they say)"
    assert hashes(copied) & seed_hashes
    own = "The leader holds back so that the group can find its own way back to the case"
    assert not hashes(own) & seed_hashes


@pytest.mark.skipif(not seed_files(), reason=f"the seed files are not in {seeds_dir()}")
def test_the_fingerprint_matches_the_seeds():
    """Rebuild with ``.venv/bin/python tests/copy_fingerprint.py`` when this fails."""
    assert from_seeds(seed_files()) == committed(), (
        "the seeds changed: rebuild tests/rules_copy/seed_runs_fingerprint.txt with "
        ".venv/bin/python tests/copy_fingerprint.py")
