"""Copies of the session state and the prompt rules, for the engine's undo checkpoints.

A snapshot is a pickle of ``(state, rules)`` in memory (about 20 KB for a 90-minute
session; nothing is written anywhere). What never changes during a session (the plan,
the card library, the thresholds, the history facts, the rules' triggers) is shared
with the live objects rather than copied, so taking a snapshot costs about a
millisecond and restoring one a fifth of that. Rules that cannot be pickled (a test's
stand-in) are copied with ``copy.deepcopy``; rules that cannot be copied at all are
not restored (the live ones are kept).
"""

from __future__ import annotations

import copy
import io
import pickle
from typing import Any

from balint_tui.domain.state import SessionState


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shared: dict[int, Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def persistent_id(self, obj: Any) -> int | None:
        key = id(obj)
        return key if key in self.shared else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shared: dict[int, Any]) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: Any) -> Any:
        return self.shared[pid]


class Snapshots:
    """Takes and restores snapshots of one engine's state and rules."""

    def __init__(self) -> None:
        # objects shared, not copied, by id; kept alive here so an id stays theirs
        self._shared: dict[int, Any] = {}

    def _share(self, state: SessionState, rules: Any) -> None:
        shared = self._shared
        shared[id(state.plan)] = state.plan
        for name in ("cards", "thresholds", "facts", "template"):
            value = getattr(rules, name, None)
            if value is not None:
                shared[id(value)] = value
        groups = [getattr(rules, "timed", ()), *getattr(rules, "by_event", {}).values()]
        for group in groups:
            for rule in group:
                trigger = getattr(rule, "trigger", None)
                if trigger is not None:
                    shared[id(trigger)] = trigger

    def take(self, state: SessionState, rules: Any) -> tuple[str, Any]:
        self._share(state, rules)
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self._shared).dump((state, rules))
            return ("pickle", buffer.getvalue())
        except Exception:
            memo = dict(self._shared)
            state_copy = copy.deepcopy(state, memo)
            try:
                return ("copy", (state_copy, copy.deepcopy(rules, memo)))
            except Exception:
                return ("copy", (state_copy, None))

    def restore(self, snapshot: tuple[str, Any]) -> tuple[SessionState, Any]:
        """Fresh objects of a snapshot: (state, rules); rules None when not kept."""
        kind, data = snapshot
        if kind == "pickle":
            loaded: tuple[SessionState, Any] = _Unpickler(io.BytesIO(data), self._shared).load()
            return loaded
        state, rules = data
        memo = dict(self._shared)
        return copy.deepcopy(state, memo), (None if rules is None else copy.deepcopy(rules, memo))


__all__ = ["Snapshots"]
