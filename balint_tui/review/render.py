"""A session report rendered: markdown, HTML, one standalone SVG, CSV and JSON.

Each renderer takes the ``Report`` that ``report.build_report`` made and prints its
blocks; none adds a phrase of its own beyond ``blocks.TEXT`` and the column names.
"""

from __future__ import annotations

import csv
import io
import re
from html import escape

from balint_tui.review.blocks import TEXT, Chart, Heading, Para, Report, Table
from balint_tui.review.jsonexport import to_json
from balint_tui.review.textcharts import clock

CSV_COLUMNS = ("kind", "start_s", "end_s", "length_s", "case", "phase", "who",
               "to_presenter", "mark")


# ------------------------------------------------------------------ renderers
# Markdown reads these in running text (emphasis, code, links, images, tables, raw
# HTML): each is written as a backslash escape or an entity, so a name shows as typed
# and makes no element. ``&`` ``<`` ``>`` are entities, as in the HTML export.
_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[]!|~#"}
_MD_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MD_TABLE = str.maketrans(_MD_ESCAPES)


def _md_text(text: str) -> str:
    return text.translate(_MD_TABLE)


def _md_cell(text: str) -> str:
    return _md_text(text) or " "


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``: a name of backticks
    inside a chart cannot end it."""
    runs = [len(run) for line in lines for run in re.findall(r"`+", line)]
    return "`" * max(3, max(runs, default=0) + 1)


def to_markdown(report: Report) -> str:
    out: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + _md_text(block.text))
        elif isinstance(block, Para):
            out.append(_md_text(block.text))
        elif isinstance(block, Table):
            if not block.rows:
                out.append(TEXT["none"])
            else:
                out.append("| " + " | ".join(_md_cell(h) for h in block.header) + " |")
                out.append("|" + "---|" * len(block.header))
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
        elif isinstance(block, Chart):
            if block.text_lines:
                fence = _fence(block.text_lines)
                out.append(fence)
                out += block.text_lines
                out.append(fence)
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
    people = TEXT["people_named"] if report.labels.use_names else TEXT["people"]
    parts.append(f'<text x="10" y="{y + 10:.0f}" font-size="11" fill="#2b2b2b">'
                 f"{escape(people)}</text>")
    y += 22
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
    # how people are named (random pseudonyms for this export, or names: ground rule 2)
    people = TEXT["people_named"] if label.use_names else TEXT["people"]
    writer.writerow(["note", "", "", "", "", "", people, "", ""])
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


RENDERERS = {"md": to_markdown, "html": to_html, "svg": to_svg, "csv": to_csv,
             "json": to_json}

__all__ = ["CSV_COLUMNS", "RENDERERS", "to_csv", "to_html", "to_markdown", "to_svg"]
