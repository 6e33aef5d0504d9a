"""``balint-tui audit`` on balint-tui's own settings: the key remapping (``keymap.toml``
and the ``keymap`` of the stored settings), the theme and the prompt thresholds.

Each is checked with what the app itself uses (``application.keymap.load_keymap``, the
bindings' ids, Textual's key names and themes, ``Thresholds.from_settings``): an entry
is a ``binding id`` = ``keys``, a ``theme`` is a theme's name, thresholds are numbers
and card ids. Anything else is flagged. Textual and the UI are imported only when a
folder holds such settings, so ``balint-tui audit`` starts without them.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


# the follow view and the browser view are an app of their own, which takes no keymap
_NOT_KEYMAPPED = ("balint_tui.ui.follow", "balint_tui.ui.follow_view", "balint_tui.ui.serve")


@cache
def binding_ids() -> frozenset[str]:
    """Every remappable binding id of the app (``live.silence``, ``setup.start``,
    ``card.dismiss``...): each binding with an id on a class of the UI's modules, so a
    screen or widget added later is known without being listed here."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import balint_tui.ui as ui

    ids: set[str] = set()
    for info in pkgutil.walk_packages(ui.__path__, f"{ui.__name__}."):
        if info.name.startswith(_NOT_KEYMAPPED):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            # a class defined here (one imported here is counted where it is defined)
            if isinstance(value, type) and value.__module__ == module.__name__:
                bindings = getattr(value, "BINDINGS", ())
                ids.update(b.id for b in bindings if isinstance(b, Binding) and b.id)
    return frozenset(ids)


def is_key(name: str) -> bool:
    """A key as Textual names it: ``f12``, ``ctrl+s``, ``space``, ``greater_than_sign``, ``x``."""
    from textual.keys import Keys, key_to_character

    *mods, key = name.split("+")
    if any(m not in MODIFIERS for m in mods) or not key:
        return False
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    if key in {k.value for k in Keys} or key in {"space", "enter", "tab", "escape",
                                                  "backspace", "delete", "insert"}:
        return True
    if key_to_character(key) is not None:
        return True
    try:  # Textual names a character by its Unicode name: ``greater_than_sign``
        unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return False
    return True


def keys_problem(value: Any) -> str | None:
    """Why ``value`` is not the keys of a binding, or None."""
    if not isinstance(value, str):
        return "is not a string of keys"
    parts = [p.strip() for p in value.split(",")]
    bad = next((p for p in parts if not is_key(p)), None)
    return None if bad is None else "is not a key name"


def keymap_entries(keymap: dict[str, Any]) -> list[tuple[str, str, Any, str | None]]:
    """``(path part, kind, value, problem)`` per entry: the binding id, then its keys."""
    out: list[tuple[str, str, Any, str | None]] = []
    ids = binding_ids()
    for binding_id, value in keymap.items():
        problem = None if binding_id in ids else "is not a binding id"
        out.append(("<binding id>" if problem is None else "<text>", "binding id",
                    binding_id, problem))
        out.append(("<binding id>" if problem is None else "<text>", "keys", value,
                    keys_problem(value)))
    return out


def theme_problem(value: Any) -> str | None:
    from textual.theme import BUILTIN_THEMES

    if isinstance(value, str) and value in BUILTIN_THEMES:
        return None
    return "is not the name of a theme"


def thresholds_problem(settings: dict[str, Any]) -> str | None:
    """What ``Thresholds.from_settings`` (as the app reads them) says is wrong, or None."""
    from pydantic import ValidationError

    from balint_tui.domain.settings import Thresholds
    from balint_tui.store.errors import one_line

    try:
        Thresholds.from_settings(settings)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = one_line(".".join(str(p) for p in err.get("loc", ())))[:60]
        return one_line(f"thresholds.{where}: {err.get('msg')}")
    except (TypeError, ValueError) as exc:
        return one_line(f"thresholds: {exc}")[:100]
    return None


__all__ = ["binding_ids", "is_key", "keymap_entries", "keys_problem", "theme_problem",
           "thresholds_problem"]
