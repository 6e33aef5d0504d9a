"""The help screen's sections for the live screen: every key as the keymap maps it, in
the order of the bindings, the mark letters after the mark key as mapped."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import Binding

from balint_tui.domain.vocabulary import MARK_LABELS
from balint_tui.ui.keys import MARK_KEYS, MEMBER_KEYS, PAGE_SIZE
from balint_tui.ui.mapped_keys import MappedKeys
from balint_tui.ui.screens.help import HelpRow, HelpSection

NO_KEY = "(no key)"


def _floor_keys(shown: list[str]) -> str:
    """The twelve member keys in one cell: ``1…9 0 - =`` as they come."""
    if shown == [k if len(k) == 1 else {"minus": "-", "equals_sign": "="}[k]
                 for k in MEMBER_KEYS]:
        return "1…9 0 - ="
    return " ".join(k or "·" for k in shown)


def live_help(
    keys: MappedKeys, bindings: Iterable[Binding], display: Callable[[str], str],
    *, paged: bool,
) -> list[HelpSection]:
    """``display(key)``: how a key name is shown ("question_mark" -> "?")."""
    def shown(binding_id: str) -> str:
        found = keys.keys(binding_id)
        return " ".join(dict.fromkeys(display(k) for k in found)) if found else NO_KEY

    rows: list[HelpRow] = []
    for binding in bindings:
        if binding.id is None or binding.id.startswith("live.floor."):
            if binding.id == "live.floor.1":
                member = [display(keys.first(f"live.floor.{i + 1}")) if keys.first(
                    f"live.floor.{i + 1}") else "" for i in range(PAGE_SIZE)]
                rows.append(HelpRow(
                    _floor_keys(member), f"Give the floor to member 1 to {PAGE_SIZE} "
                    "(roster order, one key each)"))
            continue
        if binding.id == "live.page_next" and not paged:
            continue
        rows.append(HelpRow(shown(binding.id), binding.tooltip or binding.description))
    mark = shown("live.mark")
    marks = tuple(HelpRow(f"{mark} {k}" if mark != NO_KEY else k, MARK_LABELS[kind])
                  for k, kind in MARK_KEYS.items())
    member_mark = f"{mark} d 3" if mark != NO_KEY else "d 3"
    marks += (HelpRow(member_mark, "about member 3 (after d, s or p; enter: no one; "
                                   "d: the presenter)"),)
    other = [
        HelpRow("ctrl+p", "command palette: every action, every member by name, themes"),
        HelpRow("Escape", "cancels a chooser (queue, ask, mark...)"),
        HelpRow("!", "in the queue chooser: urgent on/off"),
    ]
    if paged:
        other.append(HelpRow("> <", "in a chooser: members 13-20 on the same keys, and back"))
    other.append(HelpRow("any live key", "under this help or a card: closes it and acts"))
    title = f"Marks ({mark}, then the letter)" if mark != NO_KEY else "Marks (the letter)"
    return [
        HelpSection("Live session", tuple(rows)),
        HelpSection(title, marks),
        HelpSection("Anywhere", tuple(other)),
    ]
