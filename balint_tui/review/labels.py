"""How a report names people: pseudonyms (M1, M2, ... in roster order) or names.

Pseudonyms are stable within one report: the n-th member of the session's roster
snapshot is ``Mn`` wherever they appear. ``leader`` and ``coleader`` are roles, not
people, and keep those words.
"""

from __future__ import annotations

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
