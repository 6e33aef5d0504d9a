"""What a one-key chooser offers and what it answers (the live screen's chooser panel,
the setup screen's chooser screen)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    key: str  # a character: "1", "a", "l"
    label: str  # shown literally
    value: str


@dataclass(frozen=True)
class Picked:
    value: str
    flag: bool = False
