"""What a one-key chooser offers and what it answers (the live screen's chooser panel,
the setup screen's chooser screen)."""

from __future__ import annotations

from typing import NamedTuple


class Choice(NamedTuple):
    key: str  # a character: "1", "a", "l"
    label: str  # shown literally
    value: str


class Picked(NamedTuple):
    value: str
    flag: bool = False
