"""Formatting of times and names for the screen (no Textual import)."""

from __future__ import annotations

import math

from rich.cells import cell_len, set_cell_size

from balint_tui.domain.names import safe_display


def mmss(seconds: float) -> str:
    """``m:ss`` for any non-negative duration (minutes may exceed 59: ``90:00``)."""
    total = max(0, math.floor(seconds + 1e-6))
    minutes, secs = divmod(total, 60)
    return f"{minutes}:{secs:02d}"


def clock(seconds: float) -> str:
    """The big clock: ``mm:ss`` remaining, ``+m:ss`` once past the planned end."""
    if seconds < 0:
        return "+" + mmss(-seconds + 0.999)
    return f"{mmss(seconds + 0.999):0>5}"


def case_of(number: int, planned: int, topic: bool = False) -> str:
    """``Case 2 of 3``, ``Topic 2 of 3``; past the plan ``Case 3, 2 planned`` (never
    "3 of 2")."""
    word = "Topic" if topic else "Case"
    return f"{word} {number} of {planned}" if number <= planned \
        else f"{word} {number}, {planned} planned"


def short_minutes(seconds: float) -> str:
    """``5m``, ``1m`` or ``40s``: a compact airtime for narrow columns."""
    if seconds < 60:
        return f"{int(seconds)}s"
    return f"{int(seconds // 60)}m"


def display_name(name: str, width: int | None = None) -> str:
    """A name made safe for the terminal, cut to ``width`` terminal cells with an
    ellipsis (a CJK character takes two cells, a combining mark none)."""
    text = safe_display(name)
    if width is not None and cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)).rstrip(" ") + "…"
    return text


def fit(name: str, width: int) -> str:
    """``display_name`` padded with spaces to exactly ``width`` cells: a column."""
    return set_cell_size(display_name(name, width), max(0, width))
