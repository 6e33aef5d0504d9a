"""Charts as SVG fragments for the HTML and SVG exports (no scripts, no external files).

Each function returns one ``<svg>`` element as a string, with a ``data-chart`` attribute
naming it. Every piece of text comes from the review (labels, numbers, vocabulary words)
and is escaped for XML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from balint_tui.domain.vocabulary import LEADERS
from balint_tui.review.session import SessionReview
from balint_tui.review.textcharts import (
    OUTCOME_LETTERS,
    PHASE_LETTERS,
    clock,
    scale_top,
)
from balint_tui.review.trends import SERIES, TrendPoint

INK = "#2b2b2b"
MUTED = "#8a8a8a"
RULE = "#d9d9d9"
MEMBER = "#5b7f95"  # calm blue-grey
LEADER = "#9b8b6e"  # warm grey
ACCENT = "#c0673c"  # the one accent: long silences and marks
PHASE_FILL = {
    "presentation": "#e6edf1",
    "questions": "#eef1e6",
    "discussion": "#f3ece2",
    "return": "#ece6f1",
    "close": "#eeeeee",
}
FONT = "font-family=\"DejaVu Sans, Verdana, sans-serif\""

Label = Callable[[str | None], str]

# The fixed words the charts print besides labels, numbers and vocabulary.
CHART_WORDS = ("minute", "case", "silence", "marks", "prompts", "turn", "turns", "absent", "after",
               "before", "timeline", "participation", "transitions", "trends")


def _t(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start",
       fill: str = INK, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(text)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(0.0, w):.1f}" height="{max(0.0, h):.1f}" '
        f'fill="{fill}"{extra}/>'
    )


def _svg(name: str, width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="{name}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" {FONT}><title>{escape(title)}</title>'
        + "".join(body) + "</svg>"
    )


def _spoke(review: SessionReview, who: str) -> bool:
    """Whether ``who`` (the leader or coleader) took the floor at all."""
    part = review.participation_of(who)
    return part is not None and bool(part.turns)


def timeline_svg(review: SessionReview, label: Label, width: int = 760) -> str:
    """Cases and phases on top, one lane per speaker, then long silences, marks, prompts."""
    left, right = 90, 10
    plot = width - left - right
    span = max(review.duration, 1.0)

    def x(t: float) -> float:
        return left + plot * max(0.0, min(1.0, t / span))

    speakers = [s for s in review.speakers
                if s not in LEADERS or _spoke(review, s)]
    lane_h, top = 14, 22
    body: list[str] = []
    # minute axis
    step = 5 if span <= 3600 else 10
    m = 0
    axis_y = top - 8
    while m * 60 <= span:
        body.append(f'<line x1="{x(m * 60):.1f}" y1="{axis_y + 2}" x2="{x(m * 60):.1f}" '
                    f'y2="{top + (len(speakers) + 4) * lane_h}" stroke="{RULE}" stroke-width="1"/>')
        body.append(_t(x(m * 60), axis_y, str(m), size=9, anchor="middle", fill=MUTED))
        m += step
    body.append(_t(4, axis_y, "minute", size=9, fill=MUTED))
    # cases and phases
    y = top
    body.append(_t(4, y + 11, "case", size=10, fill=MUTED))
    for case in review.cases:
        for phase in case.phases:
            body.append(_rect(x(phase.start), y, x(phase.end) - x(phase.start), lane_h - 2,
                              PHASE_FILL.get(phase.phase, "#eeeeee")))
            if x(phase.end) - x(phase.start) > 12:
                body.append(_t((x(phase.start) + x(phase.end)) / 2, y + 10,
                               PHASE_LETTERS.get(phase.phase, ""), size=9, anchor="middle",
                               fill=MUTED))
        body.append(f'<line x1="{x(case.start):.1f}" y1="{y - 2}" x2="{x(case.start):.1f}" '
                    f'y2="{y + lane_h}" stroke="{INK}" stroke-width="1.5"/>')
        body.append(_t(x(case.start) + 2, y - 3, f"case {case.number}", size=9, fill=INK))
    y += lane_h + 4
    # speaker lanes
    lane_of = {who: i for i, who in enumerate(speakers)}
    for who, i in lane_of.items():
        body.append(_t(4, y + i * lane_h + 10, label(who), size=10,
                       fill=LEADER if who in LEADERS else INK))
        body.append(f'<line x1="{left}" y1="{y + i * lane_h + lane_h - 1:.1f}" '
                    f'x2="{left + plot}" y2="{y + i * lane_h + lane_h - 1:.1f}" '
                    f'stroke="{RULE}" stroke-width="0.5"/>')
    for turn in review.turns:
        lane = lane_of.get(turn.who)
        if lane is None:
            continue
        w = max(1.0, x(turn.end) - x(turn.start))
        body.append(_rect(x(turn.start), y + lane * lane_h + 2, w, lane_h - 5,
                          LEADER if turn.who in LEADERS else MEMBER, ' data-kind="turn"'))
    y += len(speakers) * lane_h + 4
    # long silences, marks, prompts
    body.append(_t(4, y + 10, "silence", size=10, fill=MUTED))
    for s in review.long_silences:
        body.append(_rect(x(s.start), y + 2, max(1.5, x(s.end) - x(s.start)), lane_h - 5, ACCENT,
                          ' data-kind="silence"'))
    y += lane_h
    body.append(_t(4, y + 10, "marks", size=10, fill=MUTED))
    for mark in review.marks:
        cx = x(mark.at)
        body.append(f'<path d="M{cx - 4:.1f},{y + 11} L{cx:.1f},{y + 3} L{cx + 4:.1f},{y + 11} Z" '
                    f'fill="{ACCENT}" data-kind="mark"/>')
    y += lane_h
    body.append(_t(4, y + 10, "prompts", size=10, fill=MUTED))
    for p in review.prompts:
        cx = x(p.surfaced_at)
        filled = INK if p.outcome == "acted" else "none"
        body.append(f'<circle cx="{cx:.1f}" cy="{y + 7}" r="4" fill="{filled}" stroke="{INK}" '
                    f'data-kind="prompt"/>')
        body.append(_t(cx + 5, y + 11, OUTCOME_LETTERS.get(p.outcome, ""), size=8, fill=MUTED))
    y += lane_h + 6
    return _svg("timeline", width, y, body, "timeline")


def participation_svg(review: SessionReview, label: Label, width: int = 760) -> str:
    """Airtime per speaker as bars, roster order then the leaders; turns alongside."""
    rows = [p for p in review.participation if not p.is_leader or p.turns]
    left, right, row_h = 110, 130, 20
    plot = width - left - right
    top_value = scale_top([p.airtime for p in rows])
    body = []
    for i, p in enumerate(rows):
        y = 8 + i * row_h
        body.append(_t(4, y + 12, label(p.who), size=11, fill=LEADER if p.is_leader else INK))
        w = plot * p.airtime / top_value if top_value else 0
        if p.airtime > 0:
            body.append(_rect(left, y + 2, max(1.0, w), row_h - 6,
                              LEADER if p.is_leader else MEMBER, ' data-kind="bar"'))
        turns = f"{p.turns} turn{'' if p.turns == 1 else 's'}"
        note = f"{clock(p.airtime)}  {turns}" if p.present else "absent"
        body.append(_t(left + max(0.0, w) + 6, y + 12, note, size=10, fill=MUTED))
    height = 12 + len(rows) * row_h
    return _svg("participation", width, height, body, "participation")


def matrix_svg(review: SessionReview, label: Label, cell: int = 26) -> str:
    """Who spoke after whom: rows are the speaker before, columns the speaker after."""
    speakers = [s for s in review.speakers
                if s not in LEADERS or any(s in pair for pair in review.transitions)]
    left, top = 100, 70
    n = len(speakers)
    peak = max(review.transitions.values(), default=0)
    body = [_t(left, 12, "after", size=10, fill=MUTED),
            _t(4, top - 6, "before", size=10, fill=MUTED)]
    for j, who in enumerate(speakers):
        cx = left + j * cell + cell / 2
        body.append(
            f'<text x="{cx:.1f}" y="{top - 6}" font-size="10" fill="{INK}" '
            f'transform="rotate(-45 {cx:.1f} {top - 6})">{escape(label(who))}</text>'
        )
    for i, a in enumerate(speakers):
        y = top + i * cell
        body.append(_t(4, y + cell / 2 + 4, label(a), size=10,
                       fill=LEADER if a in LEADERS else INK))
        for j, b in enumerate(speakers):
            count = review.transitions.get((a, b), 0)
            shade = 0.08 + 0.8 * (count / peak) if peak and count else 0.0
            fill = MEMBER if shade else "#f7f7f7"
            extra = f' fill-opacity="{shade:.2f}"' if shade else ""
            body.append(_rect(left + j * cell, y, cell - 2, cell - 2, fill,
                              extra + ' data-kind="cell"'))
            if count:
                body.append(_t(left + j * cell + cell / 2 - 1, y + cell / 2 + 3, str(count),
                               size=10, anchor="middle", fill=INK))
    width = left + n * cell + 60
    height = top + n * cell + 6
    return _svg("transitions", width, height, body, "transitions")


def trends_svg(points: Sequence[TrendPoint], width: int = 760) -> str:
    """One small chart per series, one bar per session (oldest first)."""
    chart_h, gap, left = 46, 16, 130
    plot = width - left - 70
    body = []
    n = max(1, len(points))
    bar_w = min(24.0, plot / n)
    for k, (key, title, top) in enumerate(SERIES):
        y0 = 6 + k * (chart_h + gap)
        values = [getattr(p, key) for p in points]
        nums = [v for v in values if v is not None]
        hi = top if top is not None else max(1.0, max(nums, default=0.0))
        body.append(_t(4, y0 + chart_h / 2 + 4, title, size=11))
        body.append(f'<line x1="{left}" y1="{y0 + chart_h}" x2="{left + plot}" '
                    f'y2="{y0 + chart_h}" stroke="{RULE}" stroke-width="1"/>')
        for i, v in enumerate(values):
            if v is None:
                continue
            h = chart_h * max(0.0, min(1.0, v / hi)) if hi else 0
            body.append(_rect(left + i * bar_w + 1, y0 + chart_h - max(1.0, h), bar_w - 2,
                              max(1.0, h), MEMBER, ' data-kind="bar"'))
        last = next((v for v in reversed(values) if v is not None), None)
        if last is not None:
            text = (f"{round(last * 100)}%" if key in ("leader_share", "attendance")
                    else f"{last:.2f}" if isinstance(last, float) else str(last))
            body.append(_t(left + plot + 8, y0 + chart_h / 2 + 4, text, size=10, fill=MUTED))
    height = 6 + len(SERIES) * (chart_h + gap)
    return _svg("trends", width, height, body, "trends")


__all__ = ["CHART_WORDS", "matrix_svg", "participation_svg", "timeline_svg", "trends_svg"]
