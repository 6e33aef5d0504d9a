"""Widgets of the review screen that draw the session: figures, timeline, bars, matrix.

Each renders a ``SessionReview`` (or trend points) as ``Content`` at the width it is
given; names go through ``safe_display`` and are never parsed as markup. Glyphs and
bold/dim carry every cue, so the charts read the same under NO_COLOR.
"""

from __future__ import annotations

from textwrap import wrap

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.widget import Widget

from balint_tui.domain.names import safe_display
from balint_tui.domain.vocabulary import LEADERS
from balint_tui.review.labels import outcome_words, shown_for
from balint_tui.review.plain import (
    age_words,
    counted,
    extension_words,
    questions_words,
    timeline_legend,
    turnover_words,
)
from balint_tui.review.session import SessionReview
from balint_tui.review.textcharts import (
    OUTCOME_LETTERS,
    PHASE_LETTERS,
    clock,
    hbar,
    percent,
    scale_top,
    sparkline,
    timeline,
)
from balint_tui.review.trends import SERIES, TrendPoint, shown_views, view_sections

_STYLES = {
    "title": "bold",
    "dim": "dim",
    "accent": "bold $accent",
    "leader": "italic",
    "bar": "$primary",
    "leader-bar": "$secondary",
}


def fit(text: str, width: int) -> str:
    """``text`` made safe and padded or cut (with an ellipsis) to ``width`` cells."""
    text = safe_display(text)
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def name_of(review: SessionReview, who: str | None) -> str:
    if who is None:
        return ""
    return who if who in LEADERS else review.name(who)


class _Chart(Widget):
    """A chart that knows its height before it knows its width."""

    DEFAULT_CSS = """
    _Chart { height: auto; }
    """

    def __init__(self, review: SessionReview, **kwargs) -> None:
        super().__init__(**kwargs)
        self.review = review

    def lines(self, width: int) -> list[Content]:  # pragma: no cover - abstract
        raise NotImplementedError

    def line_count(self) -> int:
        return len(self.lines(80))

    def get_content_height(self, container, viewport, width: int) -> int:
        # the lines at the width given: legends and long figures wrap
        return len(self.lines(max(20, width))) if width else self.line_count()

    def render(self) -> Content:
        width = max(20, self.content_region.width or 80)
        return Content("\n").join(self.lines(width))

    @staticmethod
    def style(role: str) -> str:
        return _STYLES[role]


class FiguresPanel(_Chart):
    """The session's figures, one per line."""

    def rows(self) -> list[tuple[str, str, bool]]:
        r = self.review
        counts = r.prompt_counts()
        never = ", ".join(name_of(r, m) for m in r.never_spoke) or "none"
        absent = ", ".join(name_of(r, m) for m in r.absent) or "none"
        age = []
        if r.age is not None and r.age.sessions:
            age = [("group had met", age_words(r), False),
                   ("turnover, last " + ("session" if r.age.window == 1
                                         else f"{r.age.window} sessions"),
                    turnover_words(r, lambda m: name_of(r, m)), False)]
        return [
            *age,
            ("balance (1 = even airtime)", f"{r.balance:.2f}", False),
            ("leader + coleader share", percent(r.leader_share), False),
            ("longest silence", clock(r.longest_silence), False),
            ("silences of 20 s or more", str(len(r.long_silences)), False),
            ("questions to presenter", questions_words(r), False),
            ("present, never spoke", never, bool(r.never_spoke)),
            ("absent", absent, False),
            *self.attendance_rows(),
            ("planned end", extension_words(r), False),
            ("prompts surfaced", str(counts["surfaced"]), False),
            ("  acted · dismissed · expired",
             f"{counts['acted']} · {counts['dismissed']} · {counts['expired']}", False),
            ("  resolved · replaced",
             f"{counts['resolved']} · {counts['replaced']}", False),
        ]

    def attendance_rows(self) -> list[tuple[str, str, bool]]:
        """Arrived late and left early, as the exports have them; the breaks."""
        r = self.review
        late = [name_of(r, p.who) for p in r.participation if p.late]
        left = []
        for p in r.participation:
            if p.left_early:
                spans = "; ".join(f"left {clock(out)}" + ("" if back is None else
                                  f", back {clock(back)}") for out, back in p.away)
                left.append(f"{name_of(r, p.who)} ({spans})" if spans else name_of(r, p.who))
        rows = [("arrived late", ", ".join(late) or "none", False),
                ("left early", ", ".join(left) or "none", False)]
        if r.breaks:
            total = sum(length for _, length in r.breaks)
            rows.append(("breaks (not in airtime)",
                         f"{len(r.breaks)}, {clock(total)} in all", False))
        return rows

    def lines(self, width: int) -> list[Content]:
        out = []
        label_w = 29
        value_w = max(10, width - label_w - 1)
        for label, value, flag in self.rows():
            parts = wrap(safe_display(value), value_w) or [""]
            for i, part in enumerate(parts):
                text = fit(label if i == 0 else "", label_w) + " " + part
                out.append(Content.styled(text, self.style("accent")) if flag else Content(text))
        return out


class SkillsPanel(_Chart):
    """Johnson's five skills: the ratings beside figures of the session, as context."""

    def rows(self):
        from balint_tui.review.johnson import skills

        return skills(self.review)

    def lines(self, width: int) -> list[Content]:
        """Each skill, then its ratings and its context, wrapped under their label."""
        out = []
        text_w = max(10, width - 10)
        for row in self.rows():
            out.append(Content.styled(fit(row.skill, width).rstrip(), self.style("title")))
            for label, texts, dim in (("rated", row.rated, False),
                                      ("context", row.context, True)):
                for text in texts:
                    for i, part in enumerate(wrap(safe_display(text), text_w) or [""]):
                        line = f"  {label if i == 0 else '':<8}{part}"
                        out.append(Content.styled(line, self.style("dim")) if dim
                                   else Content(line))
        return out


class TimelineChart(_Chart):
    """The session across the width: cases, phases, leaders' turns, silences, marks, prompts."""

    LABEL_W = 9

    def line_count(self) -> int:
        return 7 + len(timeline_legend(self.review))

    def lines(self, width: int) -> list[Content]:
        cols = max(10, width - self.LABEL_W)
        rows = timeline(self.review, cols)
        styles = {"axis": "dim", "silence": "accent", "marks": "accent", "leaders": "leader"}
        out = []
        for row in rows:
            label = Content.styled(fit(row.label, self.LABEL_W - 1) + " ", self.style("dim"))
            cells = Content(row.cells)
            if row.key in styles:
                cells = Content.styled(row.cells, self.style(styles[row.key]))
            out.append(label + cells)
        for legend in timeline_legend(self.review):
            for part in wrap(legend, width, subsequent_indent="  "):
                out.append(Content.styled(fit(part, width).rstrip(), self.style("dim")))
        return out


class ParticipationChart(_Chart):
    """Airtime per member as bars, roster order (never ranked), then the leaders."""

    NAME_W = 12

    def rows(self):
        return [p for p in self.review.participation if not p.is_leader or p.turns]

    def line_count(self) -> int:
        return len(self.rows()) + 1

    def lines(self, width: int) -> list[Content]:
        rows = self.rows()
        top = scale_top([p.airtime for p in rows])
        tail_w = 15
        bar_w = max(4, width - self.NAME_W - 2 - tail_w)
        out = [Content.styled(
            fit("", self.NAME_W + 2) + fit(f"0 … {clock(top)}", bar_w) + " airtime  turns",
            self.style("dim"),
        )]
        for p in self.rows():
            marker = "○" if p.present and not p.turns and not p.is_leader else " "
            name = fit(name_of(self.review, p.who), self.NAME_W)
            head = Content(f"{marker}{name} ")
            if not p.present:
                out.append(head + Content.styled("absent", self.style("dim")))
                continue
            bar = hbar(p.airtime, top, bar_w)
            bar_content = Content.styled(
                bar, self.style("leader-bar" if p.is_leader else "bar")
            ) + Content(" " * (bar_w - cell_len(bar)))
            tail = Content(f" {clock(p.airtime):>7} {p.turns:>5}")
            line = head + bar_content + tail
            if marker == "○":
                line = line.stylize(self.style("accent"), 0, len(marker) + len(name))
            out.append(line)
        return out


class TransitionMatrix(_Chart):
    """Who spoke after whom: row = speaker before, column = speaker after."""

    def speakers(self) -> list[str]:
        r = self.review
        return [s for s in r.speakers
                if s not in LEADERS or any(s in pair for pair in r.transitions)]

    def line_count(self) -> int:
        return len(self.speakers()) + 2

    def lines(self, width: int) -> list[Content]:
        r = self.review
        speakers = self.speakers()
        keys = [("L" if s == "leader" else "C" if s == "coleader" else str(i + 1))
                for i, s in enumerate(speakers)]
        cell = max(3, max((len(str(v)) for v in r.transitions.values()), default=1) + 1)
        name_w = max(6, min(14, width - 4 - cell * len(speakers)))
        out = [Content.styled(
            fit("before ↓  after →", name_w + 4) + "".join(f"{k:>{cell}}" for k in keys),
            self.style("dim"),
        )]
        for key, a in zip(keys, speakers, strict=True):
            cells = "".join(
                f"{(r.transitions.get((a, b)) or '·'):>{cell}}" for b in speakers
            )
            out.append(Content(f"{key:>2} ") + Content(fit(name_of(r, a), name_w) + " ")
                       + Content(cells))
        out.append(Content.styled(
            fit("counts of turns that followed one another (silences between included)",
                width).rstrip(), self.style("dim")))
        return out


class CasesPanel(_Chart):
    """Each case: presenter, time against its planned share, phases."""

    def line_count(self) -> int:
        return max(1, 2 * len(self.review.cases))

    def lines(self, width: int) -> list[Content]:
        r = self.review
        if not r.cases:
            return [Content.styled("no case was started", self.style("dim"))]
        out = []
        for c in r.cases:
            over = c.over
            sign = "+" if over > 0 else ""
            who = "topic" if c.is_topic else name_of(r, c.presenter)
            head = Content(f"{c.number} ") + Content(fit(who, 12))
            timing = f" {clock(c.length):>6} of {clock(c.planned):>6} planned ({sign}{clock(over)})"
            timing_c = (Content.styled(timing, self.style("accent")) if over > 60
                        else Content(timing))
            out.append((head + timing_c).truncate(width, ellipsis=True))
            phases = "  " + " · ".join(
                f"{PHASE_LETTERS.get(p.phase, '?')} {clock(p.length)}" for p in c.phases)
            out.append(Content.styled(fit(phases, width).rstrip(), self.style("dim")))
        return out


class PromptsPanel(_Chart):
    """The prompts that surfaced, when, and what became of them."""

    def line_count(self) -> int:
        return max(1, len(self.review.prompts))

    def lines(self, width: int) -> list[Content]:
        r = self.review
        if not r.prompts:
            return [Content.styled("no prompt surfaced", self.style("dim"))]
        out = []
        for p in r.prompts:
            letter = OUTCOME_LETTERS.get(p.outcome, "?")
            who = f" ({name_of(r, p.who)})" if p.who else ""
            text = fit(f"{clock(p.surfaced_at):>7} {letter} {r.card_title(p.id)}: "
                       f"{outcome_words(p.outcome, shown_for(p))}{who}", width)
            out.append(Content(text.rstrip()))
        return out


class TrendsPanel(Widget):
    """The group's sessions up to this one: one sparkline per series, oldest first."""

    DEFAULT_CSS = """
    TrendsPanel { height: auto; }
    """

    def __init__(self, points: list[TrendPoint], **kwargs) -> None:
        super().__init__(**kwargs)
        self.points = points

    def get_content_height(self, container, viewport, width: int) -> int:
        legend = len(self.legend(max(20, width))) if width else 1
        return len(SERIES) + len(view_sections(shown_views(self.points))) + 1 + legend

    LEGEND = ("· = not rated; pres. guess: imagined by the leader; L on co.: the leader "
              "rates the coleader; co. on L: the coleader rates the leader")

    def legend(self, width: int) -> list[str]:
        return wrap(self.LEGEND, width)

    def render(self) -> Content:
        points = self.points
        width = max(20, self.content_region.width or 80)
        label_w = 18
        spark_w = max(4, width - label_w - 10)
        shown = points[-spark_w:]
        first = shown[0].date if shown and shown[0].date else "-"
        last = shown[-1].date if shown and shown[-1].date else "-"
        lines = [Content.styled(
            fit(f"{counted(len(shown), 'session')}, "
                + (f"{first}" if first == last else f"{first} to {last}, oldest first"),
                width).rstrip(),
            "dim")]
        for key, title, top in SERIES:
            values = [getattr(p, key) for p in shown]
            lines.append(self._line(title, values, top, label_w, key))
        # each form by who rated it: the presenter's own answers apart from the leader's
        # guess, the leader rating the coleader apart from the coleader rating the leader
        for view, section_id, label in view_sections(shown_views(points)):
            values = [p.form_sections.get(view.key, {}).get(section_id) for p in shown]
            lines.append(self._line(label, values, 5.0, label_w, "rating"))
        lines += [Content.styled(line, "dim") for line in self.legend(width)]
        return Content("\n").join(lines)

    def _line(self, title, values, top, label_w, key) -> Content:
        last = next((v for v in reversed(values) if v is not None), None)
        if last is None:
            shown = "-"
        elif key in ("leader_share", "attendance"):
            shown = percent(last)
        elif isinstance(last, float):
            shown = f"{last:.2f}"
        else:
            shown = str(last)
        return (Content.styled(fit(title, label_w), "dim") + Content(" ")
                + Content.styled(sparkline(values, top), "$primary") + Content(f"  {shown}"))


__all__ = [
    "CasesPanel",
    "FiguresPanel",
    "ParticipationChart",
    "PromptsPanel",
    "SkillsPanel",
    "TimelineChart",
    "TransitionMatrix",
    "TrendsPanel",
    "fit",
]
