"""A session report as plain blocks, rendered to markdown, HTML, SVG and CSV.

The report holds only what the store holds: numbers, times, vocabulary words (phases,
marks, card ids, outcomes, the rating items), the template name and people's labels
(``M1``, ``M2``, ... in roster order, or names when the leader asks for them). Every
fixed phrase a report prints is in ``TEXT`` (``blocks``) so a test can check that
nothing else gets in. The group's name appears only with names.

``build_report`` puts the sections in order, one small function each; the renderers
are in ``render`` (re-exported here).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from balint_tui.domain.vocabulary import LEADERS, SETTING_LABELS
from balint_tui.review.abs_items import (
    RatingForm,
    RatingSection,
    forms,
    from_side,
    section_means,
)
from balint_tui.review.blocks import TEXT, Block, Chart, Heading, Para, Report, Table, num
from balint_tui.review.johnson import skills
from balint_tui.review.labels import Labels, mark_words, outcome_words, shown_for
from balint_tui.review.plain import (
    age_words,
    extension_words,
    questions_words,
    timeline_legend,
    turnover_words,
)
from balint_tui.review.render import (
    CSV_COLUMNS,
    RENDERERS,
    to_csv,
    to_html,
    to_markdown,
    to_svg,
)
from balint_tui.review.session import SessionReview
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
from balint_tui.review.trends import SERIES, TrendPoint, shown_views

Section = Callable[[SessionReview, Labels], list[Block]]


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
    rng: random.Random | None = None,
) -> Report:
    """``rng`` draws the pseudonyms (a test's seeded one; else ``random.SystemRandom``)."""
    label = Labels(review.members, review.names, use_names, rng)
    review = label.reorder(review)  # no list in the roster's order (ground rule 2)
    shown_group = group_name if use_names else None
    blocks: list[Block] = [
        Heading(TEXT["title"], 1),
        Para("; ".join(_head(review, label, shown_group))),
        Para(TEXT["people_named"] if use_names else TEXT["people"]),
    ]
    for section in _SECTIONS:
        blocks += section(review, label)
    points = list(points)
    blocks += _trends(points)
    return Report(review, label, points, shown_group, blocks)


def _head(review: SessionReview, label: Labels, group_name: str | None) -> list[str]:
    """The first line: session, date, group, template, planned and actual length."""
    head = []
    if review.session_id:
        head.append(f"{TEXT['session']} {review.session_id}")
    if review.started_wall:
        head.append(f"{TEXT['date']} {review.started_wall[:10]}")
    if group_name:
        head.append(f"{TEXT['group']} {group_name}")
    head.append(f"{TEXT['template']} {review.template}")
    head.append(f"{TEXT['prompts_level']} {review.prompts_level}")
    head.append(f"{TEXT['role']} {review.role}")
    head.append(f"{TEXT['setting']} {SETTING_LABELS.get(review.setting, review.setting)}")
    head.append(f"{TEXT['planned']} {clock(review.planned_duration)}")
    head.append(f"{TEXT['ran']} {clock(review.duration)}")
    if review.extend_presses:
        head.append(f"{TEXT['planned_end']}: {extension_words(review)}")
    if review.age is not None and review.age.sessions:
        window = review.age.window  # "in the last session", "in the last 3 sessions"
        last = TEXT["session"] if window == 1 else f"{window} {TEXT['sessions']}"
        head.append(f"{TEXT['age']} {age_words(review)}; {TEXT['turnover']} "
                    f"{last}: {turnover_words(review, label)}")
    return head


def _timeline(review: SessionReview, label: Labels) -> list[Block]:
    """As on the screen: first; its table of events comes after the cases."""
    text_rows = [f"{row.label:>8} {row.cells}" for row in timeline(review, 64)]
    return [
        Heading(TEXT["timeline"]),
        Chart("timeline", timeline_svg(review, label), text_rows),
        *(Para(line) for line in timeline_legend(review)),
    ]


def _figures(review: SessionReview, label: Labels) -> list[Block]:
    counts = review.prompt_counts()
    late = [p.who for p in review.participation if p.late]
    left = [p for p in review.participation if p.left_early]
    # in table order: a label met first (one not in the roster) gets the next number
    return [
        Heading(TEXT["figures"]),
        Table([TEXT["figure"], TEXT["value"]], [
            [TEXT["balance"], num(review.balance)],
            [TEXT["leader_share"], percent(review.leader_share)],
            [TEXT["longest_silence"], clock(review.longest_silence)],
            [TEXT["long_silences"], str(len(review.long_silences))],
            [TEXT["questions"], questions_words(review)],
            [TEXT["never_spoke"], _list(review.never_spoke, label)],
            [TEXT["absent"], _list(review.absent, label)],
            [TEXT["late"], _list(late, label)],
            [TEXT["left"], ", ".join(_away(p.who, p.away, label) for p in left) or TEXT["none"]],
            [TEXT["prompts_line"], ", ".join(
                str(counts[k]) for k in ("surfaced", "acted", "dismissed", "expired", "open"))],
        ]),
    ]


def _cases(review: SessionReview, label: Labels) -> list[Block]:
    """Cases against plan."""
    header = [TEXT["case"], TEXT["presenter"], TEXT["start"], TEXT["length"], TEXT["planned"],
              TEXT["difference"], TEXT["phases"]]
    rows = [
        [str(c.number), TEXT["topic"] if c.is_topic else label(c.presenter), clock(c.start),
         clock(c.length), clock(c.planned), ("+" if c.over > 0 else "") + clock(c.over),
         " ".join(f"{PHASE_LETTERS.get(p.phase, p.phase)} {clock(p.length)}" for p in c.phases)]
        for c in review.cases
    ]
    return [Heading(TEXT["cases"]), Table(header, rows)]


def _events(review: SessionReview, label: Labels) -> list[Block]:
    return [Heading(TEXT["events"]), Para(TEXT["marks_note"]),
            Table([TEXT["time"], TEXT["event"], TEXT["who"]], _timeline_rows(review, label))]


def _participation(review: SessionReview, label: Labels) -> list[Block]:
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
    return [
        Heading(TEXT["participation"]),
        Chart("participation", participation_svg(review, label), bar_lines),
        Table([TEXT["member"], TEXT["airtime"], TEXT["turns"], TEXT["first_spoke"], ""],
              part_rows),
    ]


def _transitions(review: SessionReview, label: Labels) -> list[Block]:
    speakers = [s for s in review.speakers
                if s not in LEADERS or any(s in pair for pair in review.transitions)]
    return [
        Heading(TEXT["transitions"]),
        Para(TEXT["transitions_note"]),
        Chart("transitions", matrix_svg(review, label)),
        Table(
            ["", *(label(s) for s in speakers)],
            [[label(a), *(str(review.transitions.get((a, b), 0) or "") for b in speakers)]
             for a in speakers],
        ),
    ]


def _prompts(review: SessionReview, label: Labels) -> list[Block]:
    return [
        Heading(TEXT["prompts"]),
        Table(
            [TEXT["surfaced"], TEXT["card"], TEXT["outcome"], TEXT["closed"], TEXT["who"]],
            [[clock(p.surfaced_at), review.card_title(p.id), outcome_words(p.outcome, shown_for(p)),
              clock(p.closed_at) if p.closed_at is not None else "-", label(p.who)]
             for p in review.prompts],
        ),
    ]


def _skills(review: SessionReview, label: Labels) -> list[Block]:
    """Johnson's five skills."""
    return [
        Heading(TEXT["skills"]),
        Para(TEXT["skills_note"]),
        Table([TEXT["skill"], TEXT["rated"], TEXT["shape"]],
              [[row.skill, "; ".join(row.rated), "; ".join(row.context)]
               for row in skills(review)]),
    ]


def _ratings(review: SessionReview, label: Labels) -> list[Block]:
    """The three forms, each with its answers and section means."""
    blocks: list[Block] = [Heading(TEXT["rating"]), Para(TEXT["rating_note"])]
    for form_id, form in forms().items():
        blocks += _form(review, form_id, form)
    return blocks


def _form(review: SessionReview, form_id: str, form: RatingForm) -> list[Block]:
    values = review.answers(form_id)
    means = section_means(values, form_id)
    note = form.scale_words()
    if form.raters:
        rater = form.rater_label(review.raters.get(form_id))
        note += f"; {TEXT['rated_by']}: {rater or TEXT['not_chosen']}"
    blocks: list[Block] = [Heading(f"{form.title}: {form.rated}", 3), Para(note)]
    side = review.raters.get(form_id)  # the items as the one who rated reads them
    for section in form.sections:
        blocks.append(Para(f"{from_side(section.title, form_id, side)}; "
                           f"{TEXT['section_mean']} " + _mean(means.get(section.id))))
        blocks.append(Table([TEXT["item"], TEXT["value"]],
                            _answers(section, values, form_id, side)))
    return blocks


def _answers(section: RatingSection, values: dict[str, int | None], form_id: str = "",
             side: str | None = None) -> list[list[str]]:
    """One row per item: its label and the answer (a number, N/A or not rated)."""
    return [[from_side(item.label, form_id, side)
             + (f" ({TEXT['context_item']})" if item.context else ""),
             _answer(item.id, values)] for item in section.items]


def _answer(item_id: str, values: dict[str, int | None]) -> str:
    if item_id not in values:
        return TEXT["not_rated"]
    value = values[item_id]
    return TEXT["na"] if value is None else str(value)


def _trends(points: list[TrendPoint]) -> list[Block]:
    """This group's sessions up to this one; nothing when there are none."""
    if not points:
        return []
    spark_lines = [
        f"{title:>16} {sparkline([getattr(p, key) for p in points], top)}"
        for key, title, top in SERIES
    ]
    columns = [(view, forms()[view.form_id].sections) for view in shown_views(points)]
    columns_flat = [(view, section) for view, sections in columns for section in sections]
    return [
        Heading(TEXT["trends"]),
        Para(f"{TEXT['trends_note']}; {len(points)} {TEXT['sessions']}"),
        Chart("trends", trends_svg(points), spark_lines),
        Table(
            [TEXT["date"], *(title for _, title, _ in SERIES)],
            [[p.date or "-", num(p.balance), percent(p.leader_share), str(p.long_silences),
              f"{p.present}/{p.roster}", _mean(p.rating)]
             for p in points],
        ),
        Para(TEXT["form_means"]),
        Table(
            [TEXT["date"], *(f"{view.title}: {s.title}" for view, s in columns_flat)],
            [[p.date or "-", *(_mean(p.form_sections.get(view.key, {}).get(s.id))
                               for view, s in columns_flat)]
             for p in points],
        ),
    ]


_SECTIONS: tuple[Section, ...] = (_timeline, _figures, _cases, _events, _participation,
                                  _transitions, _prompts, _skills, _ratings)


def _mean(x: float | None) -> str:
    return "-" if x is None else num(x, 1)


def _timeline_rows(review: SessionReview, label: Labels) -> list[list[str]]:
    """The table of events: cases, phases, absences, long silences, marks, prompts; in
    time order, and at one moment in that order."""
    items = [*_case_items(review, label), *_away_items(review, label)]
    items += [(s.start, 2, [clock(s.start), f"{TEXT['silence']} {clock(s.length)}", ""])
              for s in review.long_silences]
    items += [(m.at, 3, [clock(m.at), f"{TEXT['mark']}: {mark_words(m.kind)}", label(m.who)])
              for m in review.marks]
    items += [(p.surfaced_at, 4, [
        clock(p.surfaced_at),
        f"{TEXT['prompt']}: {review.card_title(p.id)}, {outcome_words(p.outcome, shown_for(p))}",
        label(p.who)]) for p in review.prompts]
    items.sort(key=lambda t: (t[0], t[1]))
    return [row for _, _, row in items]


_Item = tuple[float, int, list[str]]


def _case_items(review: SessionReview, label: Labels) -> list[_Item]:
    items: list[_Item] = []
    for c in review.cases:
        items.append((c.start, 0, [clock(c.start), f"{TEXT['case']} {c.number}"
                                   + (f" {TEXT['topic']}" if c.is_topic else ""),
                                   label(c.presenter)]))
        items += [(p.start, 1, [clock(p.start), f"{TEXT['phase_starts']} {p.phase}", ""])
                  for p in c.phases]
    return items


def _away_items(review: SessionReview, label: Labels) -> list[_Item]:
    items: list[_Item] = []
    for part in review.participation:
        for out, back in part.away:
            items.append((out, 1, [clock(out), TEXT["left_at"], label(part.who)]))
            if back is not None:
                items.append((back, 1, [clock(back), TEXT["back_at"], label(part.who)]))
    return items


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
