"""The live screen's keys as the keymap maps them: which keys run which binding, for the
help, the footer, the choosers' member keys and the start-up warning about an action
left without a key. Read once when the screen is mounted (the keymap does not change
during a session)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from textual.binding import Binding


class MappedKeys(NamedTuple):
    by_id: dict[str, list[str]]  # binding id -> key names, as mapped (may be empty)
    by_action: dict[str, list[str]]  # action -> key names
    all_keys: tuple[str, ...]  # every key the screen binds

    def keys(self, binding_id: str) -> list[str]:
        return self.by_id.get(binding_id, [])

    def first(self, binding_id: str) -> str:
        keys = self.keys(binding_id)
        return keys[0] if keys else ""


def mapped_keys(node: Any, bindings: Iterable[Binding]) -> MappedKeys:
    """The keys of ``node``'s ``bindings`` after the app's keymap, in their order."""
    by_id: dict[str, list[str]] = {b.id: [] for b in bindings if b.id}
    by_action: dict[str, list[str]] = {}
    every: list[str] = []
    # Textual applies the keymap to a copy of each node's bindings when it looks a key
    # up (Screen._binding_chain); the same copy says what each key does now
    for owner, bindings_map in node._binding_chain:
        if owner is not node:
            continue
        for key, found in bindings_map.key_to_bindings.items():
            every.append(key)
            for binding in found:
                if binding.id in by_id:
                    by_id[binding.id].append(key)
                by_action.setdefault(binding.action, []).append(key)
    return MappedKeys(by_id, by_action, tuple(dict.fromkeys(every)))


def unmapped(keys: MappedKeys, bindings: Iterable[Binding]) -> list[Binding]:
    """The bindings a keymap left without any key."""
    return [b for b in bindings if b.id and not keys.keys(b.id)]
