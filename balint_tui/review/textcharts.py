"""Charts drawn with characters: bars, sparklines and the session timeline.

Plain strings (no Textual, no Rich): the review screen styles them, the markdown export
prints them in code blocks. Every chart reads the same at any width from 20 columns up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from balint_tui.domain.vocabulary import LEADERS
from balint_tui.review.session import SessionReview

_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"
_SPARKS = "▁▂▃▄▅▆▇█"

PHASE_LETTERS = {
    "presentation": "P",
    "questions": "Q",
    "discussion": "D",
    "return": "R",
    "close": "C",
}
OUTCOME_LETTERS = {"acted": "A", "dismissed": "D", "expired": "E", "resolved": "R",
                   "replaced": "P", "open": "O",
                   # how a card can also end (CONTRACT.md, prompts' "ended")
                   "session_end": "O"}


def clock(seconds: float | None) -> str:
    """``m:ss`` with minutes past 59 (``75:30``); ``-`` for nothing."""
    if seconds is None:
        return "-"
    sign = "-" if seconds < 0 else ""
    m, s = divmod(round(abs(seconds)), 60)
    return f"{sign}{m}:{s:02d}"


def percent(share: float) -> str:
    return f"{round(share * 100):d}%"


def hbar(value: float, top: float, width: int) -> str:
    """A horizontal bar ``width`` cells long at most, in eighths of a cell."""
    if width <= 0 or top <= 0 or value <= 0:
        return ""
    eighths = round(min(1.0, value / top) * width * 8)
    full, part = divmod(eighths, 8)
    return _FULL * full + (_EIGHTHS[part] if part else "")


def sparkline(values: Sequence[float | None], top: float | None = None) -> str:
    """One character per value, ``·`` for a missing one; scaled to ``top`` (or the max)."""
    nums = [v for v in values if v is not None]
    if top is None:
        top = max(nums, default=0.0)
    out = []
    for v in values:
        if v is None:
            out.append("·")
        elif top <= 0:
            out.append(_SPARKS[0])
        else:
            level = round(max(0.0, min(1.0, v / top)) * (len(_SPARKS) - 1))
            out.append(_SPARKS[level])
    return "".join(out)


@dataclass(frozen=True)
class TimelineRow:
    key: str  # axis, case, phase, leaders, silence, marks, prompts
    label: str
    cells: str


TIMELINE_LABELS = {
    "axis": "minute",
    "case": "case",
    "phase": "phase",
    "leaders": "leaders",
    "silence": "silence",
    "marks": "marks",
    "prompts": "prompts",
}


def _tick_minutes(duration_min: float, width: int) -> int:
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120):
        if duration_min / step * 4 <= width:
            return step
    return 240


def rcells(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells and right-aligned in them (a CJK
    character takes two cells): a column of names in a text chart."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        text = set_cell_size(text, width).rstrip(" ")
    return " " * (width - cell_len(text)) + text


def timeline(review: SessionReview, width: int) -> list[TimelineRow]:
    """The session in ``width`` columns: one column is ``duration / width`` seconds."""
    width = max(10, width)
    start = min((t.start for t in review.turns), default=0.0)
    start = min([start, *(c.start for c in review.cases)], default=0.0)
    start = 0.0 if start > 0 else start
    span = max(review.duration, 1.0)
    step = span / width

    def col(t: float) -> int:
        return max(0, min(width - 1, int((t - start) / step)))

    def fill(cells: list[str], a: float, b: float, ch: str) -> None:
        for i in range(col(a), col(max(a, b - 1e-6)) + 1):
            cells[i] = ch

    axis = [" "] * width
    tick = _tick_minutes(span / 60, width)
    m = 0
    while m * 60 <= span:
        text = str(m)
        i = col(start + m * 60)
        if i + len(text) <= width and all(c == " " for c in axis[max(0, i - 1):i + len(text)]):
            axis[i:i + len(text)] = list(text)
        m += tick

    case_cells = ["·"] * width
    phase_cells = [" "] * width
    for case in review.cases:
        fill(case_cells, case.start, case.end, str(case.number % 10))
        for phase in case.phases:
            fill(phase_cells, phase.start, phase.end, PHASE_LETTERS.get(phase.phase, "?"))

    leader_cells = [" "] * width
    for turn in review.turns:
        if turn.who in LEADERS:
            fill(leader_cells, turn.start, turn.end, "▆")

    silence_cells = [" "] * width
    for s in review.long_silences:
        fill(silence_cells, s.start, s.end, "█")

    mark_cells = [" "] * width
    for mark in review.marks:
        i = col(mark.at)
        mark_cells[i] = "!" if mark_cells[i] == " " else "‼"

    prompt_cells = [" "] * width
    for p in review.prompts:
        i = col(p.surfaced_at)
        letter = OUTCOME_LETTERS.get(p.outcome, "?")
        prompt_cells[i] = letter if prompt_cells[i] == " " else "*"

    rows = [
        ("axis", axis), ("case", case_cells), ("phase", phase_cells),
        ("leaders", leader_cells), ("silence", silence_cells), ("marks", mark_cells),
        ("prompts", prompt_cells),
    ]
    return [TimelineRow(key, TIMELINE_LABELS[key], "".join(cells)) for key, cells in rows]


def scale_top(values: Sequence[float]) -> float:
    """A round top for a bar chart's scale (at least the largest value)."""
    top = max(values, default=0.0)
    if top <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(top))
    for nice in (1, 2, 2.5, 5, 10):
        if nice * magnitude >= top:
            return nice * magnitude
    return top  # pragma: no cover


__all__ = [
    "OUTCOME_LETTERS",
    "PHASE_LETTERS",
    "TimelineRow",
    "clock",
    "hbar",
    "percent",
    "rcells",
    "scale_top",
    "sparkline",
    "timeline",
]
