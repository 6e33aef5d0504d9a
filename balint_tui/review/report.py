"""A session report as plain blocks, rendered to markdown, HTML, SVG and CSV.

The report holds only what the store holds: numbers, times, vocabulary words (phases,
marks, card ids, outcomes, the rating items), the template name and people's labels
(``M1``, ``M2``, ... in roster order, or names when the leader asks for them). Every
fixed phrase a report prints is in ``TEXT`` so a test can check that nothing else gets
in. The group's name appears only with names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from balint_tui.domain.vocabulary import LEADERS
from balint_tui.review.abs_items import forms, section_means
from balint_tui.review.johnson import skills
from balint_tui.review.labels import Labels, mark_words, outcome_words
from balint_tui.review.plain import (
    age_words,
    extension_words,
    questions_words,
    timeline_legend,
    turnover_words,
)
from balint_tui.review.session import LONG_SILENCE_S, SessionReview
from balint_tui.review.svgcharts import (
    matrix_svg,
    participation_svg,
    timeline_svg,
    trends_svg,
)
from balint_tui.review.textcharts import (
    PHASE_LETTERS,
    clock,
    hbar,
    percent,
    scale_top,
    sparkline,
    timeline,
)
from balint_tui.review.textcharts import rcells as _rcells
from balint_tui.review.trends import SERIES, TrendPoint

# Every fixed phrase of a report (headings, row and column titles, notes).
TEXT = {
    "title": "Session review",
    "session": "session",
    "date": "date",
    "group": "group",
    "template": "template",
    "planned": "planned",
    "ran": "ran",
    "planned_end": "planned end",
    "people": "members are shown as M1, M2, ... in roster order",
    "people_named": "members are shown by name",
    "figures": "Figures",
    "skills": "Johnson's five skills",
    "skills_note": "the leader's own rating beside what the session measured, where they touch",
    "skill": "skill",
    "rated": "rated",
    "shape": "the session",
    "age": "the group had met",
    "turnover": "turnover in the last",
    "figure": "figure",
    "value": "value",
    "balance": "balance (evenness of members' airtime, 1 = even)",
    "leader_share": "leader and coleader share of airtime",
    "longest_silence": "longest silence",
    "long_silences": f"silences of {int(LONG_SILENCE_S)} s or more",
    "questions": "questions to the presenter, by phase",
    "never_spoke": "present, never spoke",
    "absent": "absent",
    "late": "arrived late",
    "left": "left early",
    "left_at": "left",
    "back_at": "back",
    "topic": "topic",
    "none": "none",
    # resolved and replaced cards are in the prompts table (a longer label would wrap)
    "prompts_line": "prompts surfaced, acted, dismissed, expired, open",
    "cases": "Cases",
    "case": "case",
    "presenter": "presenter",
    "start": "start",
    "length": "length",
    "difference": "difference",
    "phases": "phases",
    "timeline": "Timeline",
    "events": "Events in time order",
    "time": "time",
    "event": "event",
    "who": "who",
    "phase_starts": "phase",
    "silence": "silence",
    "mark": "mark",
    "prompt": "prompt",
    "participation": "Participation",
    "member": "member",
    "airtime": "airtime",
    "turns": "turns",
    "first_spoke": "first spoke",
    "bar": "bar",
    "transitions": "Who spoke after whom",
    "transitions_note": "rows: the speaker before; columns: the speaker after",
    "prompts": "Prompts",
    "surfaced": "surfaced",
    "card": "card",
    "outcome": "outcome",
    "closed": "closed",
    "rating": "Ratings",
    "rating_note": "American Balint Society leader evaluation forms",
    "rated_by": "rated by",
    "not_chosen": "not chosen",
    "form_means": "section means of each form",
    "item": "item",
    "section_mean": "section mean",
    "not_rated": "not rated",
    "na": "N/A",
    "trends": "Trends",
    "trends_note": "this group's sessions up to this one, oldest first",
    "sessions": "sessions",
    "legend": "Legend",
}

CSV_COLUMNS = ("kind", "start_s", "end_s", "length_s", "case", "phase", "who",
               "to_presenter", "mark")


# ------------------------------------------------------------------ blocks
@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    name: str
    svg: str
    text_lines: list[str] = field(default_factory=list)


Block = Heading | Para | Table | Chart


@dataclass
class Report:
    review: SessionReview
    labels: Labels
    points: list[TrendPoint]
    group_name: str | None
    blocks: list[Block]


def _num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


def _away(who: str, spans: Sequence[tuple[float, float | None]], label: Labels) -> str:
    """``M3 (left 12:00, back 20:05; left 41:00)``: every time a member was away."""
    parts = [
        f"{TEXT['left_at']} {clock(out)}"
        + ("" if back is None else f", {TEXT['back_at']} {clock(back)}")
        for out, back in spans
    ]
    return f"{label(who)} ({'; '.join(parts)})" if parts else label(who)


def _list(keys: Sequence[str], label: Labels) -> str:
    return ", ".join(label(k) for k in keys) if keys else TEXT["none"]


def build_report(
    review: SessionReview,
    points: Sequence[TrendPoint] = (),
    *,
    use_names: bool = False,
    group_name: str | None = None,
) -> Report:
    label = Labels(review.members, review.names, use_names)
    blocks: list[Block] = [Heading(TEXT["title"], 1)]
    head = []
    if review.session_id:
        head.append(f"{TEXT['session']} {review.session_id}")
    if review.started_wall:
        head.append(f"{TEXT['date']} {review.started_wall[:10]}")
    if use_names and group_name:
        head.append(f"{TEXT['group']} {group_name}")
    head.append(f"{TEXT['template']} {review.template}")
    head.append(f"{TEXT['planned']} {clock(review.planned_duration)}")
    head.append(f"{TEXT['ran']} {clock(review.duration)}")
    if review.extend_presses:
        head.append(f"{TEXT['planned_end']}: {extension_words(review)}")
    if review.age is not None and review.age.sessions:
        head.append(f"{TEXT['age']} {age_words(review)}; {TEXT['turnover']} "
                    f"{review.age.window} {TEXT['sessions']}: {turnover_words(review, label)}")
    blocks.append(Para("; ".join(head)))
    blocks.append(Para(TEXT["people_named"] if use_names else TEXT["people"]))

    # timeline (as on the screen: first), its table of events comes after the cases
    text_rows = [f"{row.label:>8} {row.cells}" for row in timeline(review, 64)]
    blocks.append(Heading(TEXT["timeline"]))
    blocks.append(Chart("timeline", timeline_svg(review, label), text_rows))
    blocks += [Para(line) for line in timeline_legend(review)]

    # figures
    counts = review.prompt_counts()
    late = [p.who for p in review.participation if p.late]
    left = [p for p in review.participation if p.left_early]
    blocks += [
        Heading(TEXT["figures"]),
        Table([TEXT["figure"], TEXT["value"]], [
            [TEXT["balance"], _num(review.balance)],
            [TEXT["leader_share"], percent(review.leader_share)],
            [TEXT["longest_silence"], clock(review.longest_silence)],
            [TEXT["long_silences"], str(len(review.long_silences))],
            [TEXT["questions"], questions_words(review)],
            [TEXT["never_spoke"], _list(review.never_spoke, label)],
            [TEXT["absent"], _list(review.absent, label)],
            [TEXT["late"], _list(late, label)],
            [TEXT["left"], ", ".join(_away(p.who, p.away, label) for p in left) or TEXT["none"]],
            [TEXT["prompts_line"], ", ".join(str(counts[k]) for k in
                                             ("surfaced", "acted", "dismissed", "expired", "open"))],
        ]),
    ]

    # cases against plan
    blocks.append(Heading(TEXT["cases"]))
    blocks.append(Table(
        [TEXT["case"], TEXT["presenter"], TEXT["start"], TEXT["length"], TEXT["planned"],
         TEXT["difference"], TEXT["phases"]],
        [[str(c.number), TEXT["topic"] if c.is_topic else label(c.presenter), clock(c.start), clock(c.length), clock(c.planned),
          ("+" if c.over > 0 else "") + clock(c.over),
          " ".join(f"{PHASE_LETTERS.get(p.phase, p.phase)} {clock(p.length)}" for p in c.phases)]
         for c in review.cases],
    ))


    blocks.append(Heading(TEXT["events"]))
    blocks.append(Table([TEXT["time"], TEXT["event"], TEXT["who"]], _timeline_rows(review, label)))

    # participation
    top = scale_top([p.airtime for p in review.participation])
    part_rows = []
    bar_lines = []
    for p in review.participation:
        if p.is_leader and not p.turns:
            continue
        status = "" if p.present else TEXT["absent"]
        part_rows.append([label(p.who), clock(p.airtime), str(p.turns),
                          clock(p.first_spoke_at) if p.first_spoke_at is not None else "-",
                          status])
        bar_lines.append(f"{_rcells(label(p.who), 12)} {hbar(p.airtime, top, 40):<40} "
                         f"{clock(p.airtime)}")
    blocks.append(Heading(TEXT["participation"]))
    blocks.append(Chart("participation", participation_svg(review, label), bar_lines))
    blocks.append(Table([TEXT["member"], TEXT["airtime"], TEXT["turns"], TEXT["first_spoke"], ""],
                        part_rows))

    # transitions
    speakers = [s for s in review.speakers
                if s not in LEADERS or any(s in pair for pair in review.transitions)]
    blocks.append(Heading(TEXT["transitions"]))
    blocks.append(Para(TEXT["transitions_note"]))
    blocks.append(Chart("transitions", matrix_svg(review, label)))
    blocks.append(Table(
        [""] + [label(s) for s in speakers],
        [[label(a)] + [str(review.transitions.get((a, b), 0) or "") for b in speakers]
         for a in speakers],
    ))

    # prompts
    blocks.append(Heading(TEXT["prompts"]))
    blocks.append(Table(
        [TEXT["surfaced"], TEXT["card"], TEXT["outcome"], TEXT["closed"], TEXT["who"]],
        [[clock(p.surfaced_at), review.card_title(p.id), outcome_words(p.outcome),
          clock(p.closed_at) if p.closed_at is not None else "-", label(p.who)]
         for p in review.prompts],
    ))

    # Johnson's five skills
    blocks.append(Heading(TEXT["skills"]))
    blocks.append(Para(TEXT["skills_note"]))
    blocks.append(Table([TEXT["skill"], TEXT["rated"], TEXT["shape"]],
                        [[row.skill, "; ".join(row.rated), "; ".join(row.measured)]
                         for row in skills(review)]))

    # ratings: the three forms
    blocks.append(Heading(TEXT["rating"]))
    blocks.append(Para(TEXT["rating_note"]))
    for form_id, form in forms().items():
        values = review.answers(form_id)
        means = section_means(values, form_id)
        blocks.append(Heading(f"{form.title}: {form.rated}", 3))
        note = form.scale_words()
        if form.raters:
            rater = form.rater_label(review.raters.get(form_id))
            note += f"; {TEXT['rated_by']}: {rater or TEXT['not_chosen']}"
        blocks.append(Para(note))
        for section in form.sections:
            mean = means.get(section.id)
            rows = []
            for item in section.items:
                if item.id not in values:
                    value = TEXT["not_rated"]
                elif values[item.id] is None:
                    value = TEXT["na"]
                else:
                    value = str(values[item.id])
                rows.append([item.label, value])
            blocks.append(Para(f"{section.title}; {TEXT['section_mean']} "
                               + (_num(mean, 1) if mean is not None else "-")))
            blocks.append(Table([TEXT["item"], TEXT["value"]], rows))

    # trends
    points = list(points)
    if points:
        blocks.append(Heading(TEXT["trends"]))
        blocks.append(Para(f"{TEXT['trends_note']}; {len(points)} {TEXT['sessions']}"))
        spark_lines = [
            f"{title:>16} {sparkline([getattr(p, key) for p in points], top)}"
            for key, title, top in SERIES
        ]
        blocks.append(Chart("trends", trends_svg(points), spark_lines))
        blocks.append(Table(
            [TEXT["date"], *(title for _, title, _ in SERIES)],
            [[p.date or "-", _num(p.balance), percent(p.leader_share), str(p.long_silences),
              f"{p.present}/{p.roster}", _num(p.rating, 1) if p.rating is not None else "-"]
             for p in points],
        ))
        columns = [(f, s) for f, form in forms().items() for s in form.sections]
        blocks.append(Para(TEXT["form_means"]))
        blocks.append(Table(
            [TEXT["date"], *(f"{forms()[f].title}: {s.title}" for f, s in columns)],
            [[p.date or "-", *(_mean(p.form_sections.get(f, {}).get(s.id)) for f, s in columns)]
             for p in points],
        ))
    return Report(review, label, points, group_name if use_names else None, blocks)


def _mean(x: float | None) -> str:
    return "-" if x is None else _num(x, 1)


def _timeline_rows(review: SessionReview, label: Labels) -> list[list[str]]:
    items: list[tuple[float, int, list[str]]] = []
    for c in review.cases:
        items.append((c.start, 0, [clock(c.start), f"{TEXT['case']} {c.number}"
                                   + (f" {TEXT['topic']}" if c.is_topic else ""),
                                   label(c.presenter)]))
        for p in c.phases:
            items.append((p.start, 1, [clock(p.start), f"{TEXT['phase_starts']} {p.phase}", ""]))
    for part in review.participation:
        for out, back in part.away:
            items.append((out, 1, [clock(out), TEXT["left_at"], label(part.who)]))
            if back is not None:
                items.append((back, 1, [clock(back), TEXT["back_at"], label(part.who)]))
    for s in review.long_silences:
        items.append((s.start, 2, [clock(s.start), f"{TEXT['silence']} {clock(s.length)}", ""]))
    for m in review.marks:
        items.append((m.at, 3, [clock(m.at), f"{TEXT['mark']}: {mark_words(m.kind)}",
                                label(m.who)]))
    for p in review.prompts:
        items.append((p.surfaced_at, 4, [
            clock(p.surfaced_at),
            f"{TEXT['prompt']}: {review.card_title(p.id)}, {outcome_words(p.outcome)}",
            label(p.who)]))
    items.sort(key=lambda t: (t[0], t[1]))
    return [row for _, _, row in items]


# ------------------------------------------------------------------ renderers
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|") or " "


def to_markdown(report: Report) -> str:
    out: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + block.text)
        elif isinstance(block, Para):
            out.append(block.text)
        elif isinstance(block, Table):
            if not block.rows:
                out.append(TEXT["none"])
            else:
                out.append("| " + " | ".join(_md_cell(h) for h in block.header) + " |")
                out.append("|" + "---|" * len(block.header))
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
        elif isinstance(block, Chart):
            if block.text_lines:
                out.append("```")
                out += block.text_lines
                out.append("```")
            else:
                continue
        out.append("")
    return "\n".join(out)


_CSS = """
body{font-family:"DejaVu Sans",Verdana,sans-serif;color:#2b2b2b;background:#fff;
max-width:820px;margin:2em auto;padding:0 1em;line-height:1.4}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;
border-bottom:1px solid #d9d9d9;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #e3e3e3;padding:.15em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5;font-weight:600}p{margin:.4em 0;color:#555}
figure{margin:.6em 0}svg{display:block;max-width:100%;height:auto}
@media print{body{margin:0}}
"""


def to_html(report: Report) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(TEXT['title'])}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    for block in report.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            out.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, Table):
            if not block.rows:
                out.append(f"<p>{escape(TEXT['none'])}</p>")
                continue
            out.append("<table><thead><tr>" + "".join(
                f"<th>{escape(h)}</th>" for h in block.header) + "</tr></thead><tbody>")
            for row in block.rows:
                out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
            out.append("</tbody></table>")
        elif isinstance(block, Chart):
            out.append(f'<figure class="chart" id="chart-{block.name}">{block.svg}</figure>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def to_svg(report: Report) -> str:
    """The charts of the report stacked in one standalone SVG file."""
    charts = [b for b in report.blocks if isinstance(b, Chart)]
    titles = {"timeline": TEXT["timeline"], "participation": TEXT["participation"],
              "transitions": TEXT["transitions"], "trends": TEXT["trends"]}
    parts = []
    y = 10.0
    width = 780.0
    review = report.review
    header = (f"{TEXT['title']}  {review.started_wall[:10] if review.started_wall else ''}  "
              f"{TEXT['template']} {review.template}  {TEXT['ran']} {clock(review.duration)}")
    parts.append(f'<text x="10" y="{y + 14:.0f}" font-size="16" fill="#2b2b2b">'
                 f"{escape(header.strip())}</text>")
    y += 30
    for chart in charts:
        parts.append(f'<text x="10" y="{y + 14:.0f}" font-size="13" font-weight="bold" '
                     f'fill="#2b2b2b">{escape(titles.get(chart.name, chart.name))}</text>')
        y += 22
        h = _svg_height(chart.svg)
        parts.append(chart.svg.replace("<svg ", f'<svg x="10" y="{y:.0f}" ', 1))
        y += h + 16
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{y:.0f}" '
        f'viewBox="0 0 {width:.0f} {y:.0f}" font-family="DejaVu Sans, Verdana, sans-serif">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        + "".join(parts) + "</svg>\n"
    )


def _svg_height(svg: str) -> float:
    start = svg.index('height="') + len('height="')
    return float(svg[start:svg.index('"', start)])


def to_csv(report: Report) -> str:
    """One row per turn, silence, mark and absence (``away``: a member out of the room
    from ``start_s`` to ``end_s``, empty if they did not come back), in time order."""
    review, label = report.review, report.labels
    rows: list[tuple[float, int, list[str]]] = []

    def n(x: float | None) -> str:
        return "" if x is None else f"{x:.3f}".rstrip("0").rstrip(".")

    for t in review.turns:
        rows.append((t.start, 0, ["turn", n(t.start), n(t.end), n(t.length),
                                  n(t.case), t.phase or "", label(t.who),
                                  "true" if t.to_presenter else "false", ""]))
    for s in review.silences:
        rows.append((s.start, 1, ["silence", n(s.start), n(s.end), n(s.length),
                                  n(s.case), s.phase or "", "", "", ""]))
    for part in review.participation:
        for out, back in part.away:
            rows.append((out, 3, ["away", n(out), n(back), n(None if back is None else back - out),
                                  "", "", label(part.who), "", ""]))
    for m in review.marks:
        rows.append((m.at, 2, ["mark", n(m.at), "", "", n(m.case), m.phase or "",
                               label(m.who) if m.who is not None else "", "", m.kind]))
    rows.sort(key=lambda r: (r[0], r[1]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for _, _, row in rows:
        writer.writerow([_csv_safe(c) for c in row])
    return buffer.getvalue()


def _csv_safe(cell: str) -> str:
    """Keep a spreadsheet from reading a name as a formula."""
    if cell and cell[0] in "=+-@\t\r" and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _to_json(report: Report) -> str:
    from balint_tui.review.jsonexport import to_json

    return to_json(report)


RENDERERS = {"md": to_markdown, "html": to_html, "svg": to_svg, "csv": to_csv,
             "json": _to_json}

__all__ = [
    "CSV_COLUMNS",
    "RENDERERS",
    "TEXT",
    "Report",
    "build_report",
    "to_csv",
    "to_html",
    "to_markdown",
    "to_svg",
]
