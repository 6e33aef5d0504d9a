"""The debrief for two: the session's moments that need a word, in time order.

Leader and coleader go through them together after the session (Balint societies ask
the two leaders to debrief after each meeting): every prompt card that surfaced and what
was done with it, every mark, every silence of ``LONG_SILENCE_S`` or more, every case
that ran past its planned share. Each moment is keyed by the position of the event it
comes from in the session's event list (a prompt surfacing, a mark, the silence's
start, the case's start), so the "we talked about it" flags are numbers only and stay
right however the list is drawn. Then the coleader's form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from balint_tui.review.labels import Labels, mark_words, outcome_words, shown_for
from balint_tui.review.session import LONG_SILENCE_S, SessionReview
from balint_tui.review.textcharts import clock

OVERRUN_MIN_S = 1.0  # a case that ran past its share by at least this much


@dataclass(frozen=True)
class Moment:
    key: int  # position of the event it comes from
    at: float
    kind: str  # prompt, mark, silence, overrun
    what: str  # in plain words
    who: str | None = None  # the member it is about, if any (a key)
    case: int | None = None


def moments(review: SessionReview) -> list[Moment]:
    """Every moment that needs a word, in time order (ties: the order events came)."""
    out: list[Moment] = []
    for p in review.prompts:
        if p.index is None:
            continue
        words = outcome_words(p.outcome, shown_for(p))
        out.append(Moment(p.index, p.surfaced_at, "prompt",
                          f"{review.card_title(p.id)}: {words}", p.who))
    for m in review.marks:
        if m.index is None:
            continue
        out.append(Moment(m.index, m.at, "mark", mark_words(m.kind), m.who, m.case))
    for s in review.long_silences:
        if s.index is None:
            continue
        out.append(Moment(s.index, s.start, "silence", f"silence of {clock(s.length)}",
                          None, s.case))
    for c in review.cases:
        if c.index is None or c.over < OVERRUN_MIN_S:
            continue
        out.append(Moment(c.index, c.start + c.planned, "overrun",
                          f"case {c.number} ran {clock(c.over)} past its planned "
                          f"{clock(c.planned)}", c.presenter, c.number))
    out.sort(key=lambda m: (m.at, m.key))
    return out


KIND_WORDS = {"prompt": "card", "mark": "mark", "silence": "silence", "overrun": "over time"}


def moment_line(moment: Moment, label: Labels) -> str:
    who = f" ({label(moment.who)})" if moment.who else ""
    return f"{clock(moment.at):>6}  {KIND_WORDS[moment.kind]:<9} {moment.what}{who}"


def talked_count(items: Iterable[Moment], talked: Iterable[int]) -> int:
    flags = set(talked)
    return sum(1 for m in items if m.key in flags)


__all__ = ["KIND_WORDS", "LONG_SILENCE_S", "Moment", "moment_line", "moments", "talked_count"]
