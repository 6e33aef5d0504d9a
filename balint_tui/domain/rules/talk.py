"""Rules about the floor: silences, leader turns, questions, pairing, leader share."""

from __future__ import annotations

from balint_tui.domain.cards import (
    LeaderShareTrigger,
    LeaderSpeaksTrigger,
    PairingTrigger,
    QuestionsTrigger,
    SilenceTrigger,
)
from balint_tui.domain.rules.base import ALWAYS, EPS, _Rule, same_case, same_phase
from balint_tui.domain.vocabulary import LEADERS


class SilenceRule(_Rule):
    timed = True

    def __init__(self, engine, card, trigger: SilenceTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.seconds = trigger.seconds
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None

    def current(self, state):
        since = state.silence_since
        if since is None or (self.phases is not None and state.phase not in self.phases):
            self.wake = ALWAYS
            return None
        if state.now - since < self.seconds:
            self.wake = since + self.seconds
            return None
        key = ("silence", since)
        return None if self.engine._spent_key(self.card, key) else (key, None)

    def holds(self, state, ep):
        # the same silence goes on (someone taking the floor ends it), in a named phase
        return state.silence_since == ep.key[1] and (
            self.phases is None or state.phase in self.phases
        )


class LeaderSpeaksRule(_Rule):
    events = ("speak",)

    def __init__(self, engine, card, trigger: LeaderSpeaksTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.phases = frozenset(trigger.phases)
        self.before_all = trigger.before_all_spoken

    def on_event(self, state, event):
        if event.who not in LEADERS:
            return
        case = state.case
        if case is None or case.phase not in self.phases:
            return
        if self.before_all and not state.not_spoken_yet():
            return
        self.offer(state, ("case", case.number), None, (event.who, event.at))

    def holds(self, state, ep):
        if not same_phase(state, ep):
            return False
        if self.before_all:
            return bool(state.not_spoken_yet())
        who, since = ep.data
        return state.floor == who and state.floor_since == since


class QuestionsRule(_Rule):
    events = ("speak",)

    def __init__(self, engine, card, trigger: QuestionsTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.count = trigger.count
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None
        self.run = 0

    def on_event(self, state, event):
        in_a_row = state.questions_in_a_row
        if event.to_presenter and in_a_row == 1:
            self.run += 1
        if in_a_row < self.count or state.case is None or state.case.is_topic:
            return
        if self.phases is not None and state.phase not in self.phases:
            return
        self.offer(state, ("run", self.run))

    def holds(self, state, ep):
        # the presenter answering does not break a run (see SessionState._on_speak)
        return same_phase(state, ep) and state.questions_in_a_row >= self.count


class PairingRule(_Rule):
    events = ("speak", "case")

    def __init__(self, engine, card, trigger: PairingTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.needed = 2 * trigger.alternations
        self.last: str | None = None
        self.before: str | None = None
        self.length = 0
        self.run = 0

    def on_event(self, state, event):
        if event.type == "case":
            self.last = self.before = None
            self.length = 0
            return
        who = event.who
        if who == self.last:
            self.length = 1
            self.run += 1
        elif self.before is not None and who == self.before:
            self.length += 1
        else:
            self.length = 2 if self.last is not None else 1
            self.run += 1
        self.before, self.last = self.last, who
        if self.length < self.needed:
            return
        pair = (who, self.before)
        leaders = [p for p in pair if p in LEADERS]
        if len(leaders) != 1:
            return
        member = pair[0] if pair[1] in LEADERS else pair[1]
        self.offer(state, ("run", self.run), member, frozenset(pair))

    def holds(self, state, ep):
        # nobody but the two has taken the floor since
        return same_case(state, ep) and state.last_speaker in ep.data


class LeaderShareRule(_Rule):
    timed = True

    def __init__(self, engine, card, trigger: LeaderShareTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.after = trigger.after_s
        self.share = trigger.share

    def current(self, state):
        case = state.case
        if case is None:
            self.wake = ALWAYS
            return None
        if state.now - case.started_at < self.after:
            self.wake = case.started_at + self.after
            return None
        key = ("case", case.number)
        if self.engine._spent_key(self.card, key):
            self.wake = ALWAYS
            return None
        share = state.case_leader_share()
        if share > self.share:
            return key, None
        # Without an event the share grows only while a leader holds the floor:
        # (L + x) / (T + x) > s first holds after x = (s T - L) / (1 - s) more seconds.
        self.wake = ALWAYS
        floor = state.floor
        if floor in LEADERS:
            total = case.airtime + state.case_airtime(floor, case) - case.tally(floor).airtime
            gap = (self.share * total - share * total) / (1.0 - self.share)
            self.wake = state.now + max(gap - EPS, 0.0)
        return None

    def holds(self, state, ep):
        return same_case(state, ep) and state.case_leader_share() > self.share
