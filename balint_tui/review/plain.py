"""Figures of a review said in plain words, shared by the screen and the reports.

* the planned end: ``planned 74:00, moved to 78:15 (2 presses)``, counting only the
  ``extend`` presses that moved it (one that would move the end before the present
  moment moves it to the present moment; one that changes nothing is not counted);
* questions put to the presenter, by phase: the headline counts the discussion phase
  (where they turn the discussion back into cross-examination), the others are said;
* the timeline's legend: every symbol the timeline draws, only those it drew.
"""

from __future__ import annotations

from balint_tui.review.labels import OUTCOME_WORDS, outcome_words
from balint_tui.review.session import LONG_SILENCE_S, SessionReview
from balint_tui.review.textcharts import OUTCOME_LETTERS, PHASE_LETTERS, clock


def counted(n: int, word: str, many: str | None = None) -> str:
    """``1 session``, ``2 sessions``, ``0 sessions``: ``many`` when the plural is not
    ``word`` + s."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def extension_words(review: SessionReview) -> str:
    planned = f"planned {clock(review.planned_duration)}"
    presses = review.extend_presses
    if not presses:
        return planned + ", not moved"
    count = counted(presses, "press", "presses")
    if abs(review.planned_end - review.planned_duration) < 0.5:
        return f"{planned}, moved and moved back ({count})"
    return f"{planned}, moved to {clock(review.planned_end)} ({count})"


def questions_words(review: SessionReview) -> str:
    """``0 in discussion, 3 in questions``."""
    by_phase = review.questions_by_phase
    head = f"{review.questions_to_presenter} in discussion"
    others = [f"{n} in {phase}" for phase, n in by_phase.items()
              if phase != "discussion" and n]
    return ", ".join([head, *others])


def age_words(review: SessionReview) -> str:
    """``12 sessions over 5 months`` up to this session (a fact, no stage)."""
    age = review.age
    if age is None or not age.sessions:
        return "-"
    sessions = counted(age.sessions, "session")
    if not age.months:
        return f"{sessions} in under a month"
    return f"{sessions} over {counted(age.months, 'month')}"


def turnover_words(review: SessionReview, label) -> str:
    """``joined M3; left M8`` in the last sessions up to this one."""
    age = review.age
    if age is None or not age.sessions:
        return "-"
    turnover = []
    if age.joined:
        turnover.append("joined " + ", ".join(label(m) for m in age.joined))
    if age.left:
        turnover.append("left " + ", ".join(label(m) for m in age.left))
    return "; ".join(turnover) if turnover else "nobody joined or left"


def timeline_legend(review: SessionReview) -> list[str]:
    """Lines explaining every symbol of the timeline."""
    seen = [name for name in PHASE_LETTERS
            if any(p.phase == name for c in review.cases for p in c.phases)]
    phases = ", ".join(f"{PHASE_LETTERS[name]} {name}" for name in seen) or "none"
    outcomes = [o for o in OUTCOME_LETTERS if any(p.outcome == o for p in review.prompts)]
    prompts = ", ".join(f"{OUTCOME_LETTERS[o]} {outcome_words(o)}" for o in outcomes)
    return [
        "case: 1, 2, … the case running; · between cases",
        f"phase: {phases}",
        f"leaders: ▆ leader or coleader speaking; silence: █ {int(LONG_SILENCE_S)} s or more",
        "marks: ! a mark, ‼ two or more; prompts, where a card surfaced: "
        + (prompts + ", * several" if prompts else "none surfaced"),
    ]


# every fixed phrase above, for the test that checks what exports may print
PHRASES = (
    "planned", "not moved", "moved and moved back", "moved to", "press", "presses",
    "in discussion", "in", "session", "sessions", "over", "month", "months",
    "in under a month", "joined", "left", "nobody joined or left", *OUTCOME_WORDS.values(),
    "left after", "minutes", "s",
    "case: 1, 2, … the case running; · between cases", "phase", "none",
    "leaders: ▆ leader or coleader speaking; silence: █ s or more",
    "marks: ! a mark, ‼ two or more; prompts, where a card surfaced: several none surfaced",
)

__all__ = ["PHRASES", "age_words", "counted", "extension_words", "questions_words",
           "timeline_legend", "turnover_words"]
