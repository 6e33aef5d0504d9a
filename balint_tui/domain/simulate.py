"""Synthetic sessions for benchmarks and load tests (no case content: names and times).

``generate_scenario(minutes=90, events=3000, ...)`` returns a valid scenario dict
(CONTRACT.md section 2) with exactly ``events`` events: a start, queued cases, each case
through the template's phases, turns of varied length (questions to the presenter in
the questions and discussion phases, leader and coleader turns), silences, marks, a
late arrival, an early leave and an end at the planned time. The same seed gives the
same scenario.
"""

from __future__ import annotations

import random
from typing import Any

from balint_tui.domain.vocabulary import MARK_KINDS

DEFAULT_MEMBERS = (
    "Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea",
)
PHASES = ("presentation", "questions", "discussion", "return")


def generate_scenario(
    minutes: int = 90,
    events: int = 3000,
    members: int = 8,
    cases: int = 2,
    seed: int = 0,
    template: str = "residency",
    history: bool = True,
) -> dict[str, Any]:
    """A scenario dict of ``minutes`` with exactly ``events`` events (at least 40)."""
    if events < 40:
        raise ValueError("events must be at least 40")
    rng = random.Random(seed)
    names = list(DEFAULT_MEMBERS[:members]) + [
        f"M{i}" for i in range(max(0, members - len(DEFAULT_MEMBERS)))
    ]
    duration = minutes * 60.0
    late, early = names[-1], names[-2]
    present = [m for m in names if m != late]
    presenters = present[:cases]

    head: list[dict[str, Any]] = [{"at": 0, "type": "start", "present": present}]
    head += [{"at": 1 + i, "type": "queue", "who": who} for i, who in enumerate(presenters)]
    # the structural events each case needs: case + phases
    per_case = 1 + len(PHASES)
    fixed = len(head) + cases * per_case + 2 + 1  # + arrive, leave, end
    fill = events - fixed
    if fill < cases * len(PHASES):
        raise ValueError("too few events for the number of cases")

    start, end = 30.0, duration - 5.0
    span = (end - start) / cases
    body = _cases(rng, presenters, names, (start, span), fill, cases)
    # a late arrival and an early leave, placed mid-session
    arrive_at = start + span * 0.3
    left_at = duration / 2 + span * 0.4
    body.append({"at": round(arrive_at, 2), "type": "arrive", "who": late})
    body.append({"at": round(left_at, 2), "type": "leave", "who": early})
    body.sort(key=lambda e: e["at"])
    _leaders_stand_in(body, late, arrive_at, early, left_at)
    out = head + body + [{"at": duration, "type": "end"}]
    assert len(out) == events, (len(out), events)
    scenario: dict[str, Any] = {
        "format": "balint-scenario/1",
        "group": {"name": "Synthetic group", "members": names},
        "plan": {"duration_min": minutes, "template": template},
        "events": out,
    }
    if history:
        scenario["history"] = [
            {"date": "2026-01-06", "attended": names[:-1], "presented": names[2:4],
             "bumped": [names[4]]},
            {"date": "2026-01-13", "attended": names[:-2], "presented": names[4:5],
             "bumped": []},
        ]
    return scenario


def _cases(
    rng: random.Random,
    presenters: list[str],
    names: list[str],
    start_span: tuple[float, float],
    fill: int,
    cases: int,
) -> list[dict[str, Any]]:
    """Each case through the phases (one ``span`` of time each, from ``start``), with
    ``fill`` turns, silences and marks spread over ``cases`` cases' phases."""
    start, span = start_span
    body: list[dict[str, Any]] = []
    per_phase = fill // (cases * len(PHASES))
    extra = fill - per_phase * cases * len(PHASES)
    shares = (0.2, 0.2, 0.45, 0.15)
    for c, presenter in enumerate(presenters):
        t0 = start + c * span
        body.append({"at": round(t0, 2), "type": "case", "who": presenter})
        t = t0
        for p, phase in enumerate(PHASES):
            length = span * shares[p]
            body.append({"at": round(t, 2), "type": "phase", "phase": phase})
            n = per_phase + (1 if extra > 0 else 0)
            extra -= 1 if extra > 0 else 0
            step = length / (n + 1)
            for i in range(n):
                at = round(t + step * (i + 1) * rng.uniform(0.9, 1.0), 2)
                body.append(_filler(rng, at, phase, presenter, names))
            t += length
    body.sort(key=lambda e: e["at"])
    return body


def _leaders_stand_in(
    body: list[dict[str, Any]], late: str, arrive_at: float, early: str, left_at: float
) -> None:
    """Nobody speaks before arriving or after leaving: a leader's turn instead."""
    for e in body:
        if e["at"] > left_at and e.get("who") == early and e["type"] == "speak":
            e["who"] = "leader"
            e.pop("to_presenter", None)
        if e["at"] < arrive_at and e.get("who") == late and e["type"] == "speak":
            e["who"] = "coleader"
            e.pop("to_presenter", None)


def _filler(
    rng: random.Random, at: float, phase: str, presenter: str, names: list[str]
) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.07:
        return {"at": at, "type": "silence"}
    if roll < 0.10:
        return {"at": at, "type": "mark", "kind": rng.choice(MARK_KINDS)}
    if roll < 0.16:
        return {"at": at, "type": "speak", "who": rng.choice(("leader", "coleader"))}
    if phase == "presentation" or (phase == "return" and roll < 0.6):
        return {"at": at, "type": "speak", "who": presenter}
    who = rng.choice([m for m in names if m != presenter])
    event: dict[str, Any] = {"at": at, "type": "speak", "who": who}
    if phase in ("questions", "discussion") and rng.random() < 0.4:
        event["to_presenter"] = True
    return event


# ---------------------------------------------------------------- a well-run session
def generate_well_run(
    seed: int = 0, minutes: int | None = None, members: int | None = None
) -> dict[str, Any]:
    """A well-run session (CONTRACT.md section 4, "Noise"), for the noise test.

    ``minutes`` (60-90) and ``members`` (6-12) are drawn from ``seed`` when not given.
    Two cases of the classic template, each in its share of the session (the next case
    starts a little before the share ends); the presenter presents, answers the
    questions put to them and has the return. In the discussion the leader opens in a
    sentence and holds back until every member has had a turn; members take turns of
    20-80 s in rounds (everyone once a round, in a new order), so the spread stays
    roughly even, and the first round fits in 7 minutes; the leaders speak briefly
    between rounds only. Silences are short (2-12 s), but for one of 35-44 s per case.
    No marks, no history, nobody late; the session ends just before its planned end.
    """
    rng = random.Random(seed)
    minutes = minutes if minutes is not None else rng.randint(60, 90)
    count = members if members is not None else rng.randint(6, 12)
    names = list(DEFAULT_MEMBERS[:count]) + [f"M{i}" for i in range(count - len(DEFAULT_MEMBERS))]
    duration = minutes * 60.0
    span = (duration - 30.0) / 2
    events: list[dict[str, Any]] = [{"at": 0, "type": "start"}]
    presenters = rng.sample(names, 2)
    for i, who in enumerate(presenters):
        events.append({"at": 1 + i, "type": "queue", "who": who})
    for c, presenter in enumerate(presenters):
        start = 30.0 + c * span
        _WellRunCase(rng, names, presenter, events).run(start, start + span - 5.0)
    events.append({"at": round(duration - 5.0, 2), "type": "end"})
    return {
        "format": "balint-scenario/1",
        "group": {"name": "Well-run group", "members": names},
        "plan": {"duration_min": minutes, "template": "classic"},
        "events": events,
    }


class _WellRunCase:
    """One case of a well-run session, appended to ``events`` in time order."""

    def __init__(self, rng: random.Random, names: list[str], presenter: str,
                 events: list[dict[str, Any]]) -> None:
        self.rng, self.presenter, self.events = rng, presenter, events
        self.others = [m for m in names if m != presenter]
        self.t = 0.0
        self.long_silence_left = True

    def speak(self, who: str, length: float, pause: bool = True, **extra: Any) -> None:
        self.events.append({"at": round(self.t, 2), "type": "speak", "who": who, **extra})
        self.t += length
        if pause and self.rng.random() < 0.25:  # a short pause after the turn
            self.silence(self.rng.uniform(2.0, 12.0))

    def silence(self, length: float) -> None:
        self.events.append({"at": round(self.t, 2), "type": "silence"})
        self.t += length

    def phase(self, name: str) -> None:
        """The next phase begins as the last turn (or pause) ends: no gap."""
        self.events.append({"at": round(self.t, 2), "type": "phase", "phase": name})

    def run(self, start: float, end: float) -> None:
        rng, span = self.rng, end - start
        self.t = start
        self.events.append({"at": round(start, 2), "type": "case", "who": self.presenter})
        self.phase("presentation")
        while self.t < start + 0.15 * span:  # the presenter tells the case
            self.speak(self.presenter, rng.uniform(40.0, 120.0))
        self.phase("questions")
        self.questions(start + 0.35 * span)
        self.phase("discussion")
        self.discussion(start + 0.85 * span)
        self.phase("return")
        while self.t < end - 100:  # the presenter's return, a leader's thanks
            self.speak(self.presenter, rng.uniform(40.0, 90.0))
        self.speak("leader", rng.uniform(3.0, 8.0), pause=False)  # till the next case

    def questions(self, until: float) -> None:
        rng = self.rng
        order = rng.sample(self.others, len(self.others))
        i = 0
        while self.t < until:
            self.speak(order[i % len(order)], rng.uniform(10.0, 30.0), to_presenter=True)
            self.speak(self.presenter, rng.uniform(20.0, 60.0))
            i += 1

    def discussion(self, until: float) -> None:
        rng = self.rng
        self.speak("leader", rng.uniform(5.0, 12.0))  # the opening sentence
        first = min(80.0, 400.0 / len(self.others))  # the first round fits in 7 minutes
        rounds = 0
        while self.t < until:
            for who in rng.sample(self.others, len(self.others)):
                if self.t >= until:
                    break
                top = first if rounds == 0 else 80.0
                self.speak(who, rng.uniform(20.0, max(20.0, top)))
            rounds += 1
            if self.long_silence_left and self.t < until:
                self.silence(rng.uniform(35.0, 44.0))  # the case's one long silence
                self.long_silence_left = False
            elif rng.random() < 0.5 and self.t < until:
                self.speak(rng.choice(("leader", "coleader")), rng.uniform(5.0, 25.0))


__all__ = ["generate_scenario", "generate_well_run"]
