"""Reading prompt-card files: the packaged library and a leader's own cards.

The cards themselves (models, validation, ``CardError``) are the domain's
(``balint_tui.domain.cards``, pure); this module finds and reads the files safely and
hands their bytes to ``parse_card_text``. The packaged library is found with
``importlib.resources`` in an installed wheel (where hatch puts ``prompts/`` at
``balint_tui/prompts``) or, in a source checkout, in ``prompts/`` next to the package. A
leader's own cards live in ``<data dir>/prompts/``: they add ids or replace a packaged
card with the same id. A bad file raises ``CardError`` with one line naming the file and
the field.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from balint_tui.domain.cards import Card, CardError, parse_card_text
from balint_tui.store.errors import StoreError
from balint_tui.store.safe_io import SMALL_LIMIT, UnsafeFileError, read_regular


def load_card_file(path: Path) -> Card:
    """One card file; a regular file of a sane size only (a named pipe would block,
    /dev/zero fill memory)."""
    try:
        raw = read_regular(path, limit=SMALL_LIMIT)
    except UnsafeFileError as exc:
        raise CardError(f"{path}: {exc.what}; it was left as it is") from None
    except StoreError:  # no permission, an I/O error
        raise CardError(f"{path}: cannot read; check its permissions") from None
    if raw is None:
        raise CardError(f"{path}: cannot read (it is no longer there)")
    return parse_card_text(raw, path)


def load_card_dir(folder: Path) -> dict[str, Card]:
    """Every ``*.toml`` card in ``folder`` (not recursive), sorted by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CardError(f"{folder}: not a folder")
    cards: dict[str, Card] = {}
    for path in sorted(folder.glob("*.toml")):
        card = load_card_file(path)
        cards[card.id] = card
    return cards


def packaged_dir() -> Path:
    """Where the packaged library is: in the wheel, else the source tree's ``prompts/``."""
    installed = resources.files("balint_tui") / "prompts"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "prompts"


@cache
def packaged_cards() -> dict[str, Card]:
    """The packaged library, loaded once per process (cards are frozen)."""
    return load_card_dir(packaged_dir())


def user_cards_dir(data_dir: Path | str) -> Path:
    return Path(data_dir) / "prompts"


def load_cards(*dirs: Path | str | None) -> dict[str, Card]:
    """The packaged cards, then each folder's cards in order (same id: replaced).

    Folders that do not exist are skipped (a data dir without ``prompts/``).
    """
    cards = dict(packaged_cards())
    for folder in dirs:
        if folder is None or not Path(folder).exists():
            continue
        cards.update(load_card_dir(Path(folder)))
    return cards


__all__ = [
    "CardError",
    "load_card_dir",
    "load_card_file",
    "load_cards",
    "packaged_cards",
    "packaged_dir",
    "user_cards_dir",
]
