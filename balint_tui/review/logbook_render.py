"""The logbook written out: a terminal table, markdown, HTML (one or two A4 pages),
CSV and JSON. Names (of groups), numbers, dates and vocabulary words only."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from typing import Any

from balint_tui.review.logbook import (
    ROLE_WORDS,
    SETTING_WORDS,
    Entry,
    Logbook,
    Tally,
)
from balint_tui.review.plain import counted

FORMAT = "balint-logbook/1"
HEADER = ["date", "group", "role", "setting", "planned", "held", "cases", "topics",
          "present", "debrief", "supervised"]
NOTE = ("Lengths in minutes; held is from start to end as recorded. Cases: cases "
        "presented (topics apart). Present: members present. Debrief: the leaders' "
        "debrief for two was recorded. Supervised: the day the session was taken to "
        "supervision. * added by hand (recorded elsewhere).")


def _num(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _yes(value: bool | None) -> str:
    return "–" if value is None else "yes" if value else "no"


def cells(entry: Entry) -> list[str]:
    return [
        entry.date.isoformat() + (" *" if entry.by_hand else ""),
        entry.group, ROLE_WORDS[entry.role], SETTING_WORDS[entry.setting],
        _num(entry.planned_min), f"{round(entry.held_min):d}", str(entry.cases),
        _num(entry.topics), _num(entry.present), _yes(entry.debrief),
        entry.supervised_on.isoformat() if entry.supervised_on else "–",
    ]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _share(book: Logbook) -> str:
    share = book.totals.face_to_face_share
    return "–" if share is None else f"{round(share * 100)}%"


def total_rows(book: Logbook) -> list[tuple[str, Tally]]:
    """(label, tally) for every line of the totals: all, by role, by setting, by year."""
    t = book.totals
    rows = [("all sessions", t.all)]
    rows += [(f"as {ROLE_WORDS[r]}", v) for r, v in t.by_role.items()]
    rows += [(SETTING_WORDS[s], v) for s, v in t.by_setting.items()]
    rows += [(str(y), v) for y, v in t.by_year.items()]
    return rows


TOTAL_HEADER = ["", "meetings", "case discussions", "hours", "supervised"]


def _total_cells(label: str, tally: Tally) -> list[str]:
    return [label, str(tally.meetings), str(tally.cases), f"{tally.hours:g}",
            str(tally.supervised)]


def _summary(book: Logbook) -> str:
    t = book.totals
    return (f"{counted(t.all.meetings, 'meeting')}, "
            f"{counted(t.all.cases, 'case discussion')}, "
            f"{t.all.hours:g} hour{'' if t.all.hours == 1 else 's'}; face to face {_share(book)}; "
            f"{t.all.supervised} taken to supervision; {t.debriefed} debriefed; "
            f"{t.by_hand} added by hand")


# left out of the terminal's table, in this order, when it is narrower than the table
NARROW_DROPS = ("topics", "present", "debrief", "planned")


def to_text(book: Logbook, width: int | None = None) -> str:
    """The logbook for the terminal; ``width``: columns are left out (``NARROW_DROPS``)
    until the table fits, and a line says which (the exports keep every column)."""
    from rich.cells import cell_len

    from balint_tui.domain.names import safe_display

    gap = "  "

    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows])
                  for i, h in enumerate(header)]
        return [gap.join(c + " " * (w - cell_len(c)) for c, w in zip(r, widths, strict=False))
                .rstrip() for r in [header, *rows]]

    header = ["id", *HEADER]
    rows = [[e.id, *(safe_display(c) for c in cells(e))] for e in book.entries]
    dropped: list[str] = []
    for column in NARROW_DROPS:
        if not rows or width is None or cell_len(table(header, rows)[0]) <= width:
            break
        i = header.index(column)
        header = header[:i] + header[i + 1:]
        rows = [r[:i] + r[i + 1:] for r in rows]
        dropped.append(column)
    if rows and width is not None and cell_len(table(header, rows)[0]) > width:
        gap = " "  # the last inches
    lines = table(header, rows) if rows else ["No sessions."]
    if dropped:
        lines.append(f"({', '.join(dropped)} left out to fit; --export keeps every column)")
    lines += ["", *table(TOTAL_HEADER, [_total_cells(lab, t) for lab, t in total_rows(book)])]
    first, _, rest = _summary(book).partition("; ")
    lines += ["", first, rest] if width is not None and width < 120 else ["", _summary(book)]
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    """``text`` literally in markdown: every character markdown could act on escaped."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#!|~&":
        out = out.replace(ch, "\\" + ch)
    return out


def to_md(book: Logbook) -> str:
    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                *("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows)]

    lines = ["# Balint group logbook", "",
             f"{_md_cell(_capital(book.filters.words()))}; made on {book.made_on.isoformat()}.", ""]
    lines += table(HEADER, [cells(e) for e in book.entries]) if book.entries else ["No sessions."]
    lines += ["", _md_cell(NOTE), "", "## Totals", ""]
    lines += table(TOTAL_HEADER, [_total_cells(lab, t) for lab, t in total_rows(book)])
    lines += ["", _md_cell(_summary(book)), ""]
    return "\n".join(lines)


_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font: 8.5pt/1.2 system-ui, sans-serif; color: #111; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 2pt; }
h2 { font-size: 11pt; margin: 10pt 0 3pt; }
p { margin: 2pt 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.5pt solid #bbb; padding: 0.8pt 4pt; text-align: left; }
th { border-bottom: 1.5px solid #333; }
td.n, th.n { text-align: right; }
tr { page-break-inside: avoid; }
table.totals { width: auto; }
.note { color: #444; font-size: 8pt; }
.sign { margin-top: 14pt; }
.sign span { display: inline-block; min-width: 60mm; border-bottom: 1px solid #333;
             margin: 0 12pt 0 4pt; }
"""
_NUMERIC = frozenset({"planned", "held", "cases", "topics", "present"})
_TOTAL_NUMERIC = frozenset({"meetings", "case discussions", "hours", "supervised"})


def _html_table(header: list[str], rows: list[list[str]], cls: str = "",
                numeric: frozenset[str] = _NUMERIC) -> str:
    def cell(tag: str, col: str, text: str) -> str:
        num = ' class="n"' if col in numeric else ""
        return f"<{tag}{num}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", h, h) for h in header)
    body = "".join("<tr>" + "".join(cell("td", h, c) for h, c in zip(header, r, strict=False))
                   + "</tr>" for r in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(book: Logbook) -> str:
    rows = [cells(e) for e in book.entries]
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<title>Balint group logbook</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>Balint group logbook</h1>",
        f"<p>{html.escape(_capital(book.filters.words()))}; made on {book.made_on.isoformat()} "
        "with balint-tui from the sessions it recorded.</p>",
        _html_table(HEADER, rows) if rows else "<p>No sessions.</p>",
        f"<p class=\"note\">{html.escape(NOTE)}</p>",
        "<h2>Totals</h2>",
        _html_table(TOTAL_HEADER, [_total_cells(lab, t) for lab, t in total_rows(book)],
                    "totals", _TOTAL_NUMERIC),
        f"<p>{html.escape(_summary(book))}.</p>",
        "<p class=\"sign\">Name<span></span>Signature<span></span></p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


CSV_COLUMNS = ("id", "date", "group", "role", "setting", "prompts", "planned_min",
               "held_min", "cases", "topics", "present", "debrief", "supervised_on", "by_hand")


def to_csv(book: Logbook) -> str:
    """One row per session, the vocabulary's words (``in_person``), empty where a
    figure is not known (a session added by hand)."""
    def plain(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return _num(value) if isinstance(value, (int, float)) else str(value)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in book.entries:
        writer.writerow([
            e.id, e.date.isoformat(), _csv_safe(e.group), e.role, e.setting,
            *(plain(v) for v in (e.prompts, e.planned_min, e.held_min, e.cases, e.topics,
                                 e.present, e.debrief, e.supervised_on, e.by_hand)),
        ])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet does not take for a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_json(book: Logbook) -> str:
    def tally(t: Tally) -> dict[str, Any]:
        return {"meetings": t.meetings, "case_discussions": t.cases, "hours": t.hours,
                "supervised": t.supervised}

    t = book.totals
    f = book.filters
    data = {
        "format": FORMAT,
        "made_on": book.made_on.isoformat(),
        "filters": {"from": f.start and f.start.isoformat(), "to": f.end and f.end.isoformat(),
                    "group": f.group_name, "role": f.role},
        "sessions": [{
            "id": e.id, "date": e.date.isoformat(), "group": e.group, "role": e.role,
            "setting": e.setting, "prompts": e.prompts, "planned_min": e.planned_min,
            "held_min": e.held_min, "cases": e.cases, "topics": e.topics,
            "present": e.present, "debrief": e.debrief,
            "supervised_on": e.supervised_on and e.supervised_on.isoformat(),
            "by_hand": e.by_hand,
        } for e in book.entries],
        "totals": {
            **tally(t.all),
            "face_to_face_share": t.face_to_face_share,
            "debriefed": t.debriefed, "by_hand": t.by_hand,
            "by_role": {r: tally(v) for r, v in t.by_role.items()},
            "by_setting": {s: tally(v) for s, v in t.by_setting.items()},
            "by_year": {str(y): tally(v) for y, v in t.by_year.items()},
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[Logbook], str]] = {
    "md": to_md, "html": to_html, "csv": to_csv, "json": to_json,
}

__all__ = ["FORMAT", "RENDERERS", "to_csv", "to_html", "to_json", "to_md", "to_text"]
